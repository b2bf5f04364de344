//! Chat tokens and history.

use axum::Json;
use axum::extract::State;
use cloumer_api_types as api;
use cloumer_domain::chat::MessageCursor;
use cloumer_domain::platform::check_limit;
use serde::Deserialize;
use utoipa::IntoParams;

use super::params::HandlePath;
use crate::error::ApiError;
use crate::extract::{AppPath, AppQuery, Caller, Client};
use crate::{AppState, convert, cursor};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Chat tokens and history.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(chat_token))
        .routes(routes!(history))
}

/// Mints a token for the channel's chat room. Signed out: read-only; signed in: may send; the
/// owner and moderators: may also delete messages and disconnect users. Banned users get 403
/// `banned` (timed-out users get a token, with `sendAfter`); minting too often, 429
/// `rate_limited`.
#[utoipa::path(post, path = "/channels/{handle}/chat-token", tag = "chat",
    params(HandlePath),
    responses((status = 200, body = api::ChatTokenBody), (status = 403, body = api::ErrorBody),
        (status = 404, body = api::ErrorBody), (status = 429, body = api::ErrorBody)))]
pub async fn chat_token(
    State(state): State<AppState>,
    AppPath(HandlePath { handle }): AppPath<HandlePath>,
    Client(client): Client,
    caller: Option<Caller>,
) -> Result<Json<api::ChatTokenBody>, ApiError> {
    let who = caller.as_ref().map(|Caller(who)| who);
    let issued = state
        .platform
        .chat_token(&handle, who, client.as_deref())
        .await?;
    let account_old_enough_at = issued.account_old_enough_at(state.platform.now());
    Ok(Json(api::ChatTokenBody {
        token: issued.token.token,
        endpoint: issued.token.endpoint,
        token_expiration_time: convert::rfc3339(issued.token.token_expiration_time),
        session_expiration_time: convert::rfc3339(issued.token.session_expiration_time),
        user_id: issued.user_id.to_string(),
        role: issued.role.as_str().to_owned(),
        capabilities: issued
            .capabilities
            .iter()
            .map(|c| c.as_str().to_owned())
            .collect(),
        send_after: issued.send_after.map(convert::rfc3339),
        timed_out_until: issued.timed_out_until.map(convert::rfc3339),
        account_old_enough_at: account_old_enough_at.map(convert::rfc3339),
        joined_at: issued.joined_at.map(convert::rfc3339),
        slow_mode_seconds: issued.slow_mode_seconds,
        min_account_age_minutes: issued.min_account_age_minutes,
        followers_only_minutes: issued.followers_only_minutes,
        followed_at: issued.followed_at.map(convert::rfc3339),
        emote_only: issued.emote_only,
        links_off: issued.links_off,
        unique_chat: issued.unique_chat,
        shield: issued.shield,
        pinned: issued.pinned_message.as_ref().map(convert::pinned),
        poll: issued.poll.as_ref().map(convert::poll),
        blocked: issued.blocked.iter().map(ToString::to_string).collect(),
    }))
}

/// `?before=&limit=` on chat history.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct HistoryQuery {
    /// The `next` value of the previous page: messages older than it come next.
    #[param(pattern = r"^[0-9]{1,19}:[A-Za-z0-9._:-]{1,64}$")]
    pub before: Option<String>,
    /// How many messages at most; default 50.
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
}

impl HistoryQuery {
    /// How many messages to answer and where to start: the room's history and the caller's own
    /// messages page alike.
    pub fn read(&self) -> Result<(usize, Option<MessageCursor>), ApiError> {
        let limit = check_limit(self.limit.map(|l| l as usize), 50)?;
        let before = self
            .before
            .as_deref()
            .map(cursor::decode_message)
            .transpose()?;
        Ok((limit, before))
    }
}

/// The room's history, newest first, without deleted messages.
#[utoipa::path(get, path = "/channels/{handle}/chat/messages", tag = "chat",
    params(HandlePath, HistoryQuery),
    responses((status = 200, body = api::ChatHistoryPage), (status = 403, body = api::ErrorBody),
        (status = 404, body = api::ErrorBody)))]
pub async fn history(
    State(state): State<AppState>,
    AppPath(HandlePath { handle }): AppPath<HandlePath>,
    AppQuery(query): AppQuery<HistoryQuery>,
    caller: Option<Caller>,
) -> Result<Json<api::ChatHistoryPage>, ApiError> {
    let (limit, before) = query.read()?;
    let who = caller.as_ref().map(|Caller(who)| &who.user_id);
    let page = state
        .platform
        .chat_history(&handle, who, before, limit)
        .await?;
    Ok(Json(api::ChatHistoryPage {
        items: page.items.iter().map(convert::message).collect(),
        next: page.next.as_ref().map(cursor::encode_message),
    }))
}
