//! Handlers, one module per area of the API.

pub mod channels;
pub mod chat;
pub mod me;
pub mod moderation;
pub mod recordings;

use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;

use crate::AppState;

/// Every `/api/v1` route, from each area's own router.
pub fn v1() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(channels::router())
        .merge(chat::router())
        .merge(recordings::router())
        .merge(me::router())
        .merge(moderation::router())
}

/// `?cursor=&limit=` on listings.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    /// The `next` value of the previous page.
    pub cursor: Option<String>,
    /// 1–100; default 24.
    pub limit: Option<usize>,
}

pub const DEFAULT_LIMIT: usize = 24;
