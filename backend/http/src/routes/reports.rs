//! Reports to the platform's staff: anyone signed in files one; staff list the open ones and
//! settle them.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use cloumer_api_types as api;
use cloumer_domain::platform::check_limit;
use cloumer_domain::use_cases::reports::{ReportInQueue, Reported};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::params::{DEFAULT_LIMIT, HandlePath, MyListQuery, ReportIdPath};
use crate::error::ApiError;
use crate::extract::{AppJson, AppPath, AppQuery, Caller};
use crate::{AppState, convert, cursor};

/// Filing, listing and settling reports.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(open_reports, file_report))
        .routes(routes!(settle_report))
        .routes(routes!(lift_suspension))
        .routes(routes!(appeal_suspension))
}

/// The caller appeals their channel's suspension, once per suspension: their words wait in the
/// staff's queue, who keep the suspension (the caller is told) or lift it.
#[utoipa::path(post, path = "/me/channel/suspension/appeal", tag = "reports", security(("cognito" = [])),
    request_body = api::NewAppeal,
    responses((status = 201, body = api::FiledAppeal), (status = 400, body = api::ErrorBody),
        (status = 401, body = api::ErrorBody),
        (status = 409, body = api::ErrorBody, description = "not suspended, or appealed already")))]
pub async fn appeal_suspension(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppJson(body): AppJson<api::NewAppeal>,
) -> Result<(StatusCode, Json<api::FiledAppeal>), ApiError> {
    let at = state.platform.appeal_suspension(&who, &body.words).await?;
    Ok((
        StatusCode::CREATED,
        Json(api::FiledAppeal {
            appealed_at: convert::rfc3339(at),
        }),
    ))
}

/// Lifts a channel's suspension: it may broadcast (with a new stream key from its dashboard),
/// chat and be listed again. For the platform's staff.
#[utoipa::path(delete, path = "/channels/{handle}/suspension", tag = "reports", security(("cognito" = [])),
    params(HandlePath),
    responses((status = 204), (status = 401, body = api::ErrorBody), (status = 403, body = api::ErrorBody),
        (status = 404, body = api::ErrorBody)))]
pub async fn lift_suspension(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppPath(HandlePath { handle }): AppPath<HandlePath>,
) -> Result<StatusCode, ApiError> {
    state.platform.lift_suspension(&who, &handle).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Reports a channel, clip, uploaded video or past broadcast to the platform's staff, with a
/// reason and (optionally) what happens where. Only what the caller may see, never their own;
/// one open report per person and subject: asking again answers 200 with `alreadyReported`.
#[utoipa::path(post, path = "/reports", tag = "reports", security(("cognito" = [])),
    request_body = api::NewReport,
    responses((status = 201, body = api::FiledReport), (status = 200, body = api::FiledReport),
        (status = 400, body = api::ErrorBody), (status = 401, body = api::ErrorBody),
        (status = 403, body = api::ErrorBody, description = "a private channel the caller may not watch"),
        (status = 404, body = api::ErrorBody),
        (status = 409, body = api::ErrorBody, description = "the caller's own content"),
        (status = 429, body = api::ErrorBody)))]
pub async fn file_report(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppJson(body): AppJson<api::NewReport>,
) -> Result<(StatusCode, Json<api::FiledReport>), ApiError> {
    let id = body.id.as_str();
    let subject = match body.kind {
        api::ReportKind::Channel => Reported::Channel { handle: id },
        api::ReportKind::Clip => Reported::Clip { id },
        api::ReportKind::Video => Reported::Video { id },
        api::ReportKind::Recording => Reported::Recording { id },
    };
    let details = body.details.as_deref().unwrap_or_default();
    let (report, filed) = state
        .platform
        .file_report(&who, subject, body.reason.as_str(), details)
        .await?;
    let status = if filed {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        Json(api::FiledReport {
            id: report.id.to_string(),
            already_reported: !filed,
        }),
    ))
}

/// Open reports, oldest first, with what each is about as it is now: for the platform's staff
/// (403 for anyone else).
#[utoipa::path(get, path = "/reports", tag = "reports", security(("cognito" = [])),
    params(MyListQuery),
    responses((status = 200, body = api::ReportPage), (status = 400, body = api::ErrorBody),
        (status = 401, body = api::ErrorBody), (status = 403, body = api::ErrorBody)))]
pub async fn open_reports(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppQuery(query): AppQuery<MyListQuery>,
) -> Result<Json<api::ReportPage>, ApiError> {
    let limit = check_limit(query.limit.map(|l| l as usize), DEFAULT_LIMIT)?;
    let after = query
        .cursor
        .as_deref()
        .map(cursor::decode_report)
        .transpose()?;
    let page = state.platform.open_reports(&who, after, limit).await?;
    Ok(Json(api::ReportPage {
        items: page.items.iter().map(report).collect(),
        next: page.next.as_ref().map(cursor::encode_report),
    }))
}

/// Settles the report's subject for every open report on it: `dismiss` keeps it, `remove`
/// deletes the clip, video or past broadcast (400 for a channel), `suspend` suspends the
/// reported channel (400 for anything else) for `suspendDays` days or until lifted. For the
/// platform's staff.
#[utoipa::path(post, path = "/reports/{id}/settle", tag = "reports", security(("cognito" = [])),
    params(ReportIdPath), request_body = api::SettleReport,
    responses((status = 200, body = api::SettledReports), (status = 400, body = api::ErrorBody),
        (status = 401, body = api::ErrorBody), (status = 403, body = api::ErrorBody),
        (status = 404, body = api::ErrorBody),
        (status = 409, body = api::ErrorBody, description = "settled already, or a past broadcast still recording")))]
pub async fn settle_report(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppPath(ReportIdPath { id }): AppPath<ReportIdPath>,
    AppJson(body): AppJson<api::SettleReport>,
) -> Result<Json<api::SettledReports>, ApiError> {
    // The decision's wire name is the action the domain reads.
    let settled = state
        .platform
        .settle_report(&who, &id, body.decision.as_str(), body.suspend_days)
        .await?;
    Ok(Json(api::SettledReports {
        decision: convert::report_decision(settled.action),
        reports: settled.reports as u64,
    }))
}

fn report(found: &ReportInQueue) -> api::ReportBody {
    let report = &found.report;
    let (kind, subject_id) = convert::report_kind(&report.subject);
    api::ReportBody {
        id: report.id.to_string(),
        kind,
        appeal: report.is_appeal(),
        subject_id: subject_id.to_owned(),
        subject_title: found.subject_title.clone(),
        channel_handle: found.channel.as_ref().map(|c| c.handle.to_string()),
        channel_nickname: found
            .channel
            .as_ref()
            .map(|c| c.owner_nickname.as_str().to_owned()),
        reason: convert::report_reason(report.reason),
        details: report.details.clone(),
        reporter_handle: found.reporter_handle.clone(),
        created_at: convert::rfc3339(report.created_at),
    }
}
