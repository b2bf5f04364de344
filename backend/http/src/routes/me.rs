//! The signed-in user's own profile and channel (the streamer dashboard).

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use cloumer_api_types as api;
use cloumer_domain::DomainError;
use cloumer_domain::channel::{
    Category, ChannelChange, ChannelType, LatencyMode, RaidPolicy, StreamTitle,
};
use cloumer_domain::chat_rules::{ChatRules, FilterMode, WordFilter};
use cloumer_domain::handle::ChannelHandle;
use cloumer_domain::profile::{Avatar, Language, Nickname, ProfileChange};
use cloumer_domain::stream_language::StreamLanguage;

use super::chat::HistoryQuery;
use super::params::HandlePath;
use crate::error::ApiError;
use crate::extract::{AppJson, AppPath, AppQuery, Caller};
use crate::{AppState, convert, cursor};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The caller's profile and channel.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(me, update_me, delete_me))
        .routes(routes!(export_me))
        .routes(routes!(sent_messages))
        .routes(routes!(my_channel, update_channel))
        .routes(routes!(stream_key))
        .routes(routes!(reset_stream_key))
        .routes(routes!(chat_rules, update_chat_rules))
        .routes(routes!(viewers))
        .routes(routes!(grant_viewer, revoke_viewer))
}

/// The caller's profile; creates their profile and channel on first use.
#[utoipa::path(get, path = "/me", tag = "me", security(("cognito" = [])),
    responses((status = 200, body = api::Me), (status = 401, body = api::ErrorBody)))]
pub async fn me(
    State(state): State<AppState>,
    Caller(who): Caller,
) -> Result<Json<api::Me>, ApiError> {
    let account = state.platform.ensure_account(&who).await?;
    Ok(Json(convert::me(
        &account.profile,
        &account.channel,
        who.staff,
    )))
}

/// Changes the caller's nickname, avatar or language.
#[utoipa::path(patch, path = "/me", tag = "me", security(("cognito" = [])),
    request_body = api::UpdateProfile,
    responses((status = 200, body = api::Me), (status = 400, body = api::ErrorBody), (status = 401, body = api::ErrorBody),
        (status = 429, body = api::ErrorBody)))]
pub async fn update_me(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppJson(body): AppJson<api::UpdateProfile>,
) -> Result<Json<api::Me>, ApiError> {
    let change = ProfileChange {
        nickname: body.nickname.as_deref().map(Nickname::parse).transpose()?,
        avatar: body.avatar.as_deref().map(Avatar::parse).transpose()?,
        language: body.language.as_deref().map(Language::parse).transpose()?,
        email_notifications: body.email_notifications,
    };
    let account = state.platform.update_profile(&who, change).await?;
    Ok(Json(convert::me(
        &account.profile,
        &account.channel,
        who.staff,
    )))
}

/// Deletes the caller's account for good: their channel with its past broadcasts, clips,
/// videos, emotes, chat and stream, whom they follow and who follows them, their notifications
/// and profile. Only with a token from a sign-in in the last ten minutes (403 otherwise: sign in
/// again). The sign-in itself is then deleted by the app (Cognito `DeleteUser`). Asking again
/// after a failure finishes the job.
#[utoipa::path(delete, path = "/me", tag = "me", security(("cognito" = [])),
    responses((status = 204), (status = 401, body = api::ErrorBody), (status = 403, body = api::ErrorBody)))]
pub async fn delete_me(
    State(state): State<AppState>,
    Caller(who): Caller,
) -> Result<StatusCode, ApiError> {
    state.platform.delete_account(&who).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Everything the platform keeps of the caller's own, as a file to save
/// (`cloumer-<handle>.json`): profile, channel settings, whom they follow and blocked, their
/// moderators and allowed viewers, their channel's past broadcasts, clips and videos, their
/// webhooks (without secrets) and notifications, and the reports and appeals they filed.
#[utoipa::path(get, path = "/me/export", tag = "me", security(("cognito" = [])),
    responses((status = 200, body = api::AccountExport), (status = 401, body = api::ErrorBody)))]
pub async fn export_me(
    State(state): State<AppState>,
    Caller(who): Caller,
) -> Result<impl IntoResponse, ApiError> {
    let export = state.platform.export_account(&who).await?;
    let channel = &export.account.channel;
    let body = api::AccountExport {
        exported_at: convert::rfc3339(export.exported_at),
        profile: convert::me(&export.account.profile, channel, who.staff),
        channel: convert::my_channel(&export.channel),
        following: export.following.iter().map(convert::summary).collect(),
        blocked: export.blocked.iter().map(convert::blocked_user).collect(),
        moderators: export.moderators.iter().map(convert::moderator).collect(),
        allowed_viewers: export.allowed_viewers.iter().map(convert::grant).collect(),
        recordings: export
            .recordings
            .iter()
            .map(|r| convert::recording(r, channel))
            .collect(),
        clips: export
            .clips
            .iter()
            .map(|c| convert::clip(c, channel))
            .collect(),
        videos: export
            .videos
            .iter()
            .map(|v| convert::video(v, channel, Some(&who.user_id)))
            .collect(),
        webhooks: export.webhooks.iter().map(convert::webhook).collect(),
        notifications: export
            .notifications
            .iter()
            .map(|n| convert::notification(n, export.notifications_seen_at))
            .collect(),
        reports: export
            .reports
            .iter()
            .map(convert::exported_report)
            .collect(),
    };
    // A handle is letters, digits and `_`: nothing to escape in the file name.
    let disposition = format!("attachment; filename=\"cloumer-{}.json\"", channel.handle);
    Ok(([(header::CONTENT_DISPOSITION, disposition)], Json(body)))
}

/// What the caller said in every channel's chat, newest first, with each channel's handle; not
/// what was deleted. The data download collects it page by page.
#[utoipa::path(get, path = "/me/messages", tag = "me", security(("cognito" = [])),
    params(HistoryQuery),
    responses((status = 200, body = api::SentMessagePage), (status = 400, body = api::ErrorBody),
        (status = 401, body = api::ErrorBody)))]
pub async fn sent_messages(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppQuery(query): AppQuery<HistoryQuery>,
) -> Result<Json<api::SentMessagePage>, ApiError> {
    let (limit, before) = query.read()?;
    let page = state
        .platform
        .sent_messages(&who, before.as_ref(), limit)
        .await?;
    Ok(Json(api::SentMessagePage {
        items: page.items.iter().map(convert::sent_message).collect(),
        next: page.next.as_ref().map(cursor::encode_message),
    }))
}

/// The caller's channel with its live state, ingest server and chat rules.
#[utoipa::path(get, path = "/me/channel", tag = "me", security(("cognito" = [])),
    responses((status = 200, body = api::MyChannel), (status = 401, body = api::ErrorBody)))]
pub async fn my_channel(
    State(state): State<AppState>,
    Caller(who): Caller,
) -> Result<Json<api::MyChannel>, ApiError> {
    let view = state.platform.my_channel(&who).await?;
    Ok(Json(convert::my_channel(&view)))
}

fn parse_latency(value: &str) -> Result<LatencyMode, DomainError> {
    match value {
        "LOW" => Ok(LatencyMode::Low),
        "NORMAL" => Ok(LatencyMode::Normal),
        _ => Err(DomainError::invalid(
            "invalid_latency_mode",
            "latencyMode must be LOW or NORMAL",
        )),
    }
}

fn parse_channel_type(value: &str) -> Result<ChannelType, DomainError> {
    match value {
        "STANDARD" => Ok(ChannelType::Standard),
        "BASIC" => Ok(ChannelType::Basic),
        _ => Err(DomainError::invalid(
            "invalid_channel_type",
            "channelType must be STANDARD or BASIC",
        )),
    }
}

fn parse_raid_policy(value: &str) -> Result<RaidPolicy, DomainError> {
    match value {
        "EVERYONE" => Ok(RaidPolicy::Everyone),
        "FOLLOWED" => Ok(RaidPolicy::Followed),
        "NOBODY" => Ok(RaidPolicy::Nobody),
        _ => Err(DomainError::invalid(
            "invalid_raid_policy",
            "raids must be EVERYONE, FOLLOWED or NOBODY",
        )),
    }
}

/// Changes the handle, title, category, latency mode, channel type, privacy, recording or
/// whose raids it takes, of the caller's channel.
/// With the other changes of channel settings, at most 60 in ten minutes (429).
#[utoipa::path(patch, path = "/me/channel", tag = "me", security(("cognito" = [])),
    request_body = api::UpdateChannel,
    responses((status = 200, body = api::MyChannel), (status = 400, body = api::ErrorBody),
        (status = 401, body = api::ErrorBody), (status = 409, body = api::ErrorBody, description = "handle taken or reserved, or a video setting (latency, channel type, privacy, recording) changed while live")))]
pub async fn update_channel(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppJson(body): AppJson<api::UpdateChannel>,
) -> Result<Json<api::MyChannel>, ApiError> {
    let change = ChannelChange {
        handle: body
            .handle
            .as_deref()
            .map(ChannelHandle::parse)
            .transpose()?,
        title: body.title.as_deref().map(StreamTitle::parse).transpose()?,
        category: body.category.as_deref().map(Category::parse).transpose()?,
        latency: body
            .latency_mode
            .as_deref()
            .map(parse_latency)
            .transpose()?,
        channel_type: body
            .channel_type
            .as_deref()
            .map(parse_channel_type)
            .transpose()?,
        private: body.private,
        recording: body.recording,
        mature: body.mature,
        language: body
            .language
            .as_deref()
            .map(StreamLanguage::parse)
            .transpose()?,
        raids: body.raids.as_deref().map(parse_raid_policy).transpose()?,
    };
    state.platform.update_channel(&who, change).await?;
    let view = state.platform.my_channel(&who).await?;
    Ok(Json(convert::my_channel(&view)))
}

/// The ingest server and stream key. The key is a secret: only its owner ever receives it.
#[utoipa::path(get, path = "/me/channel/stream-key", tag = "me", security(("cognito" = [])),
    responses((status = 200, body = api::StreamKeyBody), (status = 401, body = api::ErrorBody)))]
pub async fn stream_key(
    State(state): State<AppState>,
    Caller(who): Caller,
) -> Result<Json<api::StreamKeyBody>, ApiError> {
    let ingest = state.platform.ingest_settings(&who).await?;
    Ok(Json(api::StreamKeyBody {
        ingest_server: ingest.server,
        stream_key: ingest.stream_key.0,
    }))
}

/// Replaces the stream key; the old one stops working.
/// With the other changes of channel settings, at most 60 in ten minutes (429).
#[utoipa::path(post, path = "/me/channel/stream-key/reset", tag = "me", security(("cognito" = [])),
    responses((status = 200, body = api::StreamKeyBody), (status = 401, body = api::ErrorBody)))]
pub async fn reset_stream_key(
    State(state): State<AppState>,
    Caller(who): Caller,
) -> Result<Json<api::StreamKeyBody>, ApiError> {
    let ingest = state.platform.reset_stream_key(&who).await?;
    Ok(Json(api::StreamKeyBody {
        ingest_server: ingest.server,
        stream_key: ingest.stream_key.0,
    }))
}

/// The caller's chat limits and word filter.
#[utoipa::path(get, path = "/me/channel/chat-rules", tag = "me", security(("cognito" = [])),
    responses((status = 200, body = api::ChatRules), (status = 401, body = api::ErrorBody)))]
pub async fn chat_rules(
    State(state): State<AppState>,
    Caller(who): Caller,
) -> Result<Json<api::ChatRules>, ApiError> {
    let view = state.platform.my_channel(&who).await?;
    Ok(Json(convert::chat_rules(&view.channel.chat_rules)))
}

/// Replaces the caller's chat limits, word filter, slow mode and account age.
/// With the other changes of channel settings, at most 60 in ten minutes (429).
#[utoipa::path(put, path = "/me/channel/chat-rules", tag = "me", security(("cognito" = [])),
    request_body = api::ChatRules,
    responses((status = 200, body = api::ChatRules), (status = 400, body = api::ErrorBody), (status = 401, body = api::ErrorBody)))]
pub async fn update_chat_rules(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppJson(body): AppJson<api::ChatRules>,
) -> Result<Json<api::ChatRules>, ApiError> {
    let mode = match body.filter_mode.as_str() {
        "BLOCK" => FilterMode::Block,
        "MASK" => FilterMode::Mask,
        _ => {
            return Err(DomainError::invalid(
                "invalid_chat_rules",
                "filterMode must be BLOCK or MASK",
            )
            .into());
        }
    };
    let rules = ChatRules {
        max_message_length: body.max_message_length,
        max_messages_per_second: body.max_messages_per_second,
        word_filter: WordFilter::new(&body.filtered_words, mode)?,
        slow_mode_seconds: body.slow_mode_seconds,
        min_account_age_minutes: body.min_account_age_minutes,
        followers_only_minutes: body.followers_only_minutes,
        emote_only: body.emote_only,
        links_off: body.links_off,
        unique_chat: body.unique_chat,
    };
    let channel = state.platform.update_chat_rules(&who, rules).await?;
    Ok(Json(convert::chat_rules(&channel.chat_rules)))
}

/// Who may watch the caller's channel while it is private.
#[utoipa::path(get, path = "/me/channel/viewers", tag = "me", security(("cognito" = [])),
    responses((status = 200, body = Vec<api::ViewerGrantBody>), (status = 401, body = api::ErrorBody)))]
pub async fn viewers(
    State(state): State<AppState>,
    Caller(who): Caller,
) -> Result<Json<Vec<api::ViewerGrantBody>>, ApiError> {
    let grants = state.platform.viewers(&who).await?;
    Ok(Json(grants.iter().map(convert::grant).collect()))
}

/// Allows the user with this channel handle to watch the caller's private channel.
#[utoipa::path(put, path = "/me/channel/viewers/{handle}", tag = "me", security(("cognito" = [])),
    params(HandlePath),
    responses((status = 200, body = api::ViewerGrantBody), (status = 401, body = api::ErrorBody), (status = 404, body = api::ErrorBody),
        (status = 409, body = api::ErrorBody, description = "the caller's own handle: owners always watch their channel")))]
pub async fn grant_viewer(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppPath(HandlePath { handle }): AppPath<HandlePath>,
) -> Result<Json<api::ViewerGrantBody>, ApiError> {
    let grant = state.platform.grant_viewer(&who, &handle).await?;
    Ok(Json(convert::grant(&grant)))
}

/// Withdraws a viewer's permission.
#[utoipa::path(delete, path = "/me/channel/viewers/{handle}", tag = "me", security(("cognito" = [])),
    params(HandlePath),
    responses((status = 204), (status = 401, body = api::ErrorBody), (status = 404, body = api::ErrorBody)))]
pub async fn revoke_viewer(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppPath(HandlePath { handle }): AppPath<HandlePath>,
) -> Result<StatusCode, ApiError> {
    state.platform.revoke_viewer(&who, &handle).await?;
    Ok(StatusCode::NO_CONTENT)
}
