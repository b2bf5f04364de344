//! Cloumer on AWS Lambda: the event handlers behind each function. Each turns the AWS event into
//! a domain call and the answer back into what AWS expects; the thin `main`s in `src/bin/` only
//! build the cloud adapters and hand events to these.

pub mod chat_review;
pub mod ivs_events;
pub mod post_confirmation;
