//! API integration tests: the real local stack (embedded store, identity stand-in, chat service)
//! on a random loopback port, driven over real HTTP.

mod about;
mod account_deletion;
mod account_export;
mod blocks;
mod channels;
mod chat;
mod chatters;
mod emails;
mod emotes;
mod events;
mod follows;
mod helpers;
mod identity;
mod link_previews;
mod moderation;
mod persistence;
mod push;
mod reports;
mod schedule;
mod webhooks;
