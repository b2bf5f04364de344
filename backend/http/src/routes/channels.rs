//! Public channel pages, the directory, handle availability and playback.

use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use cloumer_api_types as api;
use cloumer_domain::PortError;
use cloumer_domain::platform::check_limit;
use cloumer_domain::use_cases::directory::DirectoryFilter;

use super::params::{DEFAULT_LIMIT, DirectoryQuery, HandlePath};
use crate::error::ApiError;
use crate::extract::{AcceptsGzip, AppPath, AppQuery, Caller};
use crate::snapshot::{DirectorySnapshots, PageBytes};
use crate::{AppState, convert, cursor};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The directory, handle availability, channel pages and playback.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(directory))
        .routes(routes!(categories))
        .routes(routes!(handle_availability))
        .routes(routes!(channel_page))
        .routes(routes!(playback))
}

/// The live directory: live channels (most viewers first), then the others (most recently live first).
#[utoipa::path(get, path = "/directory", tag = "channels", params(DirectoryQuery),
    responses((status = 200, body = api::DirectoryPage), (status = 400, body = api::ErrorBody)))]
pub async fn directory(
    State(state): State<AppState>,
    Extension(snapshots): Extension<Arc<DirectorySnapshots>>,
    AcceptsGzip(accepts_gzip): AcceptsGzip,
    AppQuery(query): AppQuery<DirectoryQuery>,
) -> Result<Response, ApiError> {
    let limit = check_limit(query.limit.map(|l| l as usize), DEFAULT_LIMIT)?;
    let filter = DirectoryFilter::parse(
        query.q.as_deref(),
        query.category.as_deref(),
        query.language.as_deref(),
    )?;
    let cursor = query
        .cursor
        .as_deref()
        .map(cursor::decode_directory)
        .transpose()?;
    // The unfiltered first page is what every visitor of the home page asks for: answered from
    // a copy while it is fresh (see snapshot.rs). Searches and later pages are built each time.
    let first_page = cursor.is_none() && filter.is_empty();
    let generation = state.platform.channels_generation();
    if first_page && let Some(page) = snapshots.fresh(limit, generation) {
        return Ok(page.answer(accepts_gzip));
    }
    let built = Instant::now();
    let page = state.platform.directory(&filter, cursor, limit).await?;
    let body = Bytes::from(
        serde_json::to_vec(&api::DirectoryPage {
            items: page.items.iter().map(convert::summary).collect(),
            next: page.next.as_ref().map(cursor::encode_directory),
        })
        .map_err(|e| ApiError::Domain(PortError::new("encoding the directory", e).into()))?,
    );
    if first_page {
        let page = PageBytes::new(body);
        snapshots.keep(limit, generation, built, page.clone());
        return Ok(page.answer(accepts_gzip));
    }
    Ok(json_bytes(body))
}

/// The curated categories, in the order to offer them, each with its live channels and viewers.
#[utoipa::path(get, path = "/categories", tag = "channels",
    responses((status = 200, body = api::CategoryList)))]
pub async fn categories(
    State(state): State<AppState>,
) -> Result<Json<api::CategoryList>, ApiError> {
    let items = state.platform.categories().await?;
    Ok(Json(api::CategoryList {
        items: items
            .into_iter()
            .map(|c| api::CategoryBody {
                name: c.category.as_str().to_owned(),
                live_channels: c.live_channels as u64,
                viewer_count: c.viewers,
            })
            .collect(),
    }))
}

fn json_bytes(body: Bytes) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// Whether a handle is valid and free (for the sign-up form).
#[utoipa::path(get, path = "/handles/{handle}", tag = "channels",
    params(HandlePath),
    responses((status = 200, body = api::HandleAvailability), (status = 400, body = api::ErrorBody),
        (status = 409, body = api::ErrorBody, description = "reserved")))]
pub async fn handle_availability(
    State(state): State<AppState>,
    AppPath(HandlePath { handle }): AppPath<HandlePath>,
) -> Result<Json<api::HandleAvailability>, ApiError> {
    let (handle, available) = state.platform.handle_available(&handle).await?;
    Ok(Json(api::HandleAvailability {
        handle: handle.to_string(),
        available,
    }))
}

/// A channel's public page, as the caller sees it.
#[utoipa::path(get, path = "/channels/{handle}", tag = "channels",
    params(HandlePath),
    responses((status = 200, body = api::ChannelPage), (status = 404, body = api::ErrorBody)))]
pub async fn channel_page(
    State(state): State<AppState>,
    AppPath(HandlePath { handle }): AppPath<HandlePath>,
    caller: Option<Caller>,
) -> Result<Json<api::ChannelPage>, ApiError> {
    let who = caller.as_ref().map(|Caller(who)| &who.user_id);
    let view = state.platform.channel_page(&handle, who).await?;
    Ok(Json(convert::page(&view)))
}

/// What to load in the player: the playback URL, with a signed token for private channels.
#[utoipa::path(post, path = "/channels/{handle}/playback", tag = "channels",
    params(HandlePath),
    responses((status = 200, body = api::PlaybackBody), (status = 401, body = api::ErrorBody),
        (status = 403, body = api::ErrorBody), (status = 404, body = api::ErrorBody)))]
pub async fn playback(
    State(state): State<AppState>,
    AppPath(HandlePath { handle }): AppPath<HandlePath>,
    caller: Option<Caller>,
) -> Result<Json<api::PlaybackBody>, ApiError> {
    let who = caller.as_ref().map(|Caller(who)| &who.user_id);
    let access = state.platform.playback(&handle, who).await?;
    Ok(Json(api::PlaybackBody {
        url: access.url,
        token: access.token,
        expires_at: access.expires_at.map(convert::rfc3339),
    }))
}
