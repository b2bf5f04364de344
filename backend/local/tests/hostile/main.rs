//! A hostile client against the real local stack: real HTTP, real WebSocket, real ffmpeg for the
//! ingest. Each test is an attack that once got through (the trust issue lists them) or one of
//! its kind found since; each must now be refused, and refused cleanly (a clear error, nothing
//! lost, no secret leaked).

// Shared with the API tests; not every helper is used here.
#[allow(dead_code)]
#[path = "../api/helpers.rs"]
mod helpers;

#[allow(dead_code)]
#[path = "../support/streaming.rs"]
mod streaming;

#[allow(dead_code)]
#[path = "../support/chat_client.rs"]
mod chat_client;

mod accounts;
mod chat;
mod contract;
mod ingest;
mod input;
mod uploads;
