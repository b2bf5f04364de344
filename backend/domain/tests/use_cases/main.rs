//! The use cases, each against the real embedded store in a temporary directory, with a clock the
//! test moves. One module per use-case module of the domain.

mod account_deletion;
mod account_export;
mod accounts;
mod audience_samples;
mod blocks;
mod broadcast_management;
mod channel_about;
mod chat_moderation;
mod chat_pins;
mod chat_polls;
mod chat_replay;
mod chat_tokens;
mod chatter_cards;
mod clip_making;
mod clips;
mod directory;
mod emotes;
mod follows;
mod go_live;
mod link_previews;
mod message_review;
mod moderators;
mod notifications;
mod past_broadcasts;
mod presence;
mod private_playback;
mod push;
mod raids;
mod stream_events;
mod stream_markers;
mod stream_schedule;
mod stream_setup;
mod videos;
mod webhooks;
mod world;
