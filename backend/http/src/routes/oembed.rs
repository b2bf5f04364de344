//! oEmbed (<https://oembed.com>): given a link to one of the site's pages (a channel, clip or
//! video), the code that embeds its player. Blog engines, note apps and link-preview services
//! (Iframely, Embedly) ask it, finding it from the `<link rel="alternate"
//! type="application/json+oembed">` in the page a shared link opens (`link_previews`). It
//! answers as to a visitor who is not signed in: for a private, missing or foreign page, 404.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use cloumer_api_types::{ErrorBody, OEmbedBody, embed};
use cloumer_domain::DomainError;
use cloumer_domain::use_cases::link_previews::{CardPicture, SharedPage};
use serde::Deserialize;
use url::Url;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::ApiError;
use crate::extract::AppQuery;
use crate::link_previews::{SITE_NAME, address, shared_page, whole_url};

/// As long as the pages' cards are kept: a changed title shows within a minute.
const CACHE_AGE_SECONDS: u32 = 60;
/// The size of the avatars' PNG copies, the one picture whose size is known.
const AVATAR_PIXELS: u32 = 256;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(oembed))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OEmbedQuery {
    /// A page's address on the site: its channel `/<handle>`, `/clips/<id>` or `/videos/<id>`
    /// (or that page's `/embed/…`).
    pub url: String,
    /// `json`, the default; no other format is offered (501).
    pub format: Option<String>,
    /// The most room the consumer has for the player, in pixels; the player keeps 16:9 inside.
    #[param(minimum = 16)]
    pub maxwidth: Option<u32>,
    #[param(minimum = 9)]
    pub maxheight: Option<u32>,
}

/// The player of the page `url` names, to embed.
#[utoipa::path(get, path = "/oembed", tag = "sharing", params(OEmbedQuery),
    responses((status = 200, body = OEmbedBody),
        (status = 400, body = ErrorBody, description = "a size too small for a player"),
        (status = 404, body = ErrorBody, description = "not a page of this site with a player a signed-out visitor may watch"),
        (status = 501, body = ErrorBody, description = "a format other than json")))]
pub async fn oembed(
    State(state): State<AppState>,
    AppQuery(query): AppQuery<OEmbedQuery>,
) -> Result<Response, ApiError> {
    if query
        .format
        .as_deref()
        .is_some_and(|format| format != "json")
    {
        let refused = ErrorBody {
            code: "format_not_implemented".into(),
            message: "only format=json is offered".into(),
        };
        return Ok((StatusCode::NOT_IMPLEMENTED, Json(refused)).into_response());
    }
    let (width, height) = player_size(query.maxwidth, query.maxheight)?;
    let not_found = || DomainError::NotFound("page");
    let (path, start) = site_page(&state.site_origin, &query.url).ok_or_else(not_found)?;
    let (page_of, id) = shared_page(&path).ok_or_else(not_found)?;
    let page = page_of(&id);
    let preview = state
        .platform
        .link_preview(page)
        .await?
        .ok_or_else(not_found)?;
    let origin = &state.site_origin;
    let (thumbnail_url, thumbnail_size) = match &preview.picture {
        CardPicture::Avatar(path) => (whole_url(path, origin), Some(AVATAR_PIXELS)),
        CardPicture::Frame(_) => (None, None),
    };
    // A recording starts where the link does; a live channel plays from now.
    let played = match start {
        Some(seconds) if seconds > 0 && !matches!(page, SharedPage::Channel(_)) => {
            format!("{}?t={seconds}", address(page))
        }
        _ => address(page),
    };
    let body = OEmbedBody {
        kind: "video".into(),
        version: "1.0".into(),
        html: embed::embed_code(origin, &played, &preview.title, width, height),
        width,
        height,
        title: preview.title,
        author_name: preview.streamer.nickname,
        author_url: format!("{origin}/{}", preview.streamer.handle),
        provider_name: SITE_NAME.into(),
        provider_url: format!("{origin}/"),
        cache_age: CACHE_AGE_SECONDS,
        thumbnail_width: thumbnail_url.as_ref().and(thumbnail_size),
        thumbnail_height: thumbnail_url.as_ref().and(thumbnail_size),
        thumbnail_url,
    };
    let cache = format!("public, max-age={CACHE_AGE_SECONDS}");
    Ok(([(header::CACHE_CONTROL, cache)], Json(body)).into_response())
}

/// The player's size: the embed code's 640 × 360, or the largest 16:9 inside the room given.
fn player_size(max_width: Option<u32>, max_height: Option<u32>) -> Result<(u32, u32), ApiError> {
    let width = embed::WIDTH
        .min(max_width.unwrap_or(u32::MAX))
        .min(max_height.map_or(u32::MAX, |height| height.saturating_mul(16) / 9));
    if width < 16 {
        return Err(ApiError::BadParameter(
            "a player needs at least 16 × 9 pixels (maxwidth, maxheight)".into(),
        ));
    }
    Ok((width, width * 9 / 16))
}

/// The path of `url` when it is a page of the site at `origin`, and the moment it starts at
/// (`?t=`, kept for the player; the rest of its query and its fragment dropped). An embedded
/// player's address names its page.
fn site_page(origin: &str, url: &str) -> Option<(String, Option<u32>)> {
    // Read as a browser would (case, default ports, user info, IDNA hosts), so that only an
    // address a browser would open on our site names one of its pages.
    let url = Url::parse(url).ok()?;
    if url.origin() != Url::parse(origin).ok()?.origin() {
        return None;
    }
    let start = url
        .query_pairs()
        .find(|(name, _)| name == "t")
        .and_then(|(_, t)| embed::start_offset(&t));
    let path = url.path();
    let embedded = cloumer_api_types::EMBEDDED_PAGES.trim_end_matches('/');
    let path = match path.strip_prefix(embedded) {
        Some(page) if page.starts_with('/') => page,
        _ => path,
    };
    Some((path.to_owned(), start))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_player_keeps_16_by_9_inside_the_room_given() {
        let size = |w, h| player_size(w, h).ok();
        assert_eq!(size(None, None), Some((640, 360)));
        assert_eq!(size(Some(1920), Some(1080)), Some((640, 360)));
        assert_eq!(size(Some(320), None), Some((320, 180)));
        assert_eq!(size(Some(500), Some(200)), Some((355, 199)));
        assert_eq!(size(Some(16), Some(9)), Some((16, 9)));
        assert_eq!(size(None, Some(u32::MAX)), Some((640, 360)));
        for (w, h) in [
            (Some(0), None),
            (Some(15), None),
            (None, Some(8)),
            (None, Some(0)),
        ] {
            assert_eq!(size(w, h), None, "{w:?} × {h:?}");
        }
    }

    #[test]
    fn only_the_sites_own_pages_are_read() {
        let origin = "https://cloumer.example";
        let path = |url| site_page(origin, url).map(|(path, _)| path);
        let page = |path: &str| Some(path.to_owned());
        assert_eq!(path("https://cloumer.example/mina"), page("/mina"));
        assert_eq!(path("HTTPS://Cloumer.Example/mina"), page("/mina"));
        assert_eq!(path("https://cloumer.example:443/mina"), page("/mina"));
        assert_eq!(path("https://cloumer.example"), page("/"));
        assert_eq!(
            path("https://cloumer.example/clips/clAb?t=3#top"),
            page("/clips/clAb")
        );
        assert_eq!(
            path("https://cloumer.example/embed/videos/vd1"),
            page("/videos/vd1")
        );
        assert_eq!(path("https://cloumer.example/embed"), page("/embed"));
        // The moment a link starts at is kept; a `t` that is not one is not.
        let start = |url| site_page(origin, url).and_then(|(_, start)| start);
        assert_eq!(
            start("https://cloumer.example/videos/vd1?t=1m30s"),
            Some(90)
        );
        assert_eq!(
            start("https://cloumer.example/embed/videos/vd1?a=1&t=90#t=5"),
            Some(90)
        );
        assert_eq!(
            start("https://cloumer.example/videos/vd1?t=1m%330s"),
            Some(90),
            "percent-encoded, as a query may be"
        );
        assert_eq!(start("https://cloumer.example/videos/vd1?t=soon"), None);
        assert_eq!(start("https://cloumer.example/videos/vd1#t=5"), None);
        for foreign in [
            "https://cloumer.example.evil.test/mina",
            "https://cloumer.example@evil.test/mina",
            "http://cloumer.example/mina",
            "https://evil.test/https://cloumer.example/mina",
            "https://cloumer.exampl",
            "https://cloumer.example:8443/mina",
            "/mina",
            "",
            "https://cloumer.exampleé/mina",
        ] {
            assert_eq!(path(foreign), None, "{foreign}");
        }
    }
}
