//! Handlers, one module per area of the API.

pub mod about;
pub mod blocks;
pub mod channels;
pub mod chat;
pub mod chat_pins;
pub mod chat_polls;
pub mod chat_shield;
pub mod chatters;
pub mod clips;
pub mod emotes;
pub mod follows;
pub mod me;
pub mod moderation;
pub mod notifications;
pub mod oembed;
pub mod params;
pub mod presence;
pub mod push;
pub mod raids;
pub mod recordings;
pub mod reports;
pub mod schedule;
pub mod unsubscribe;
pub mod videos;
pub mod webhooks;

use utoipa_axum::router::OpenApiRouter;

use crate::AppState;

/// Every `/api/v1` route, from each area's own router.
pub fn v1() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(channels::router())
        .merge(chat::router())
        .merge(chat_pins::router())
        .merge(chat_polls::router())
        .merge(chat_shield::router())
        .merge(chatters::router())
        .merge(clips::router())
        .merge(videos::router())
        .merge(emotes::router())
        .merge(follows::router())
        .merge(recordings::router())
        .merge(me::router())
        .merge(schedule::router())
        .merge(about::router())
        .merge(blocks::router())
        .merge(moderation::router())
        .merge(notifications::router())
        .merge(presence::router())
        .merge(raids::router())
        .merge(push::router())
        .merge(webhooks::router())
        .merge(reports::router())
        .merge(unsubscribe::router())
        .merge(oembed::router())
}
