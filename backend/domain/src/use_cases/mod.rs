//! The use cases, one area per module, each an `impl Platform` block written against the ports.
//! The file names say what happens when: a message is reviewed (`message_review`), a stream
//! starts or ends (`stream_events`), a recording finishes (`recording_events`), a streamer
//! resets their key (`stream_setup`), and so on.

pub mod account_deletion;
pub mod account_export;
pub mod accounts;
pub mod appeals;
pub mod audience_samples;
pub mod blocks;
pub mod broadcast_management;
pub mod categories;
pub mod channel_about;
pub mod channel_settings;
pub mod chat_history;
pub mod chat_moderation;
pub mod chat_pins;
pub mod chat_polls;
pub mod chat_replay;
pub mod chat_shield;
pub mod chat_tokens;
pub mod chatter_cards;
pub mod clip_making;
pub mod clips;
pub mod directory;
pub mod emotes;
pub mod erased_replies;
pub mod follows;
pub mod go_live;
pub mod link_previews;
pub mod message_review;
pub mod moderators;
pub mod notifications;
pub mod past_broadcasts;
pub mod presence;
pub mod private_playback;
pub mod push;
pub mod raids;
pub mod recording_events;
pub mod reports;
pub mod sent_messages;
pub mod staff_notices;
pub mod stream_events;
pub mod stream_markers;
pub mod stream_schedule;
pub mod stream_setup;
pub mod suspensions;
pub mod unsubscribe;
pub mod video_processing;
pub mod video_ready;
pub mod video_uploads;
pub mod videos;
pub mod webhooks;
