//! The caller's weekly schedule: when they mean to stream, which their channel page shows.

use axum::Json;
use axum::extract::State;
use cloumer_api_types as api;
use cloumer_domain::DomainError;
use cloumer_domain::schedule::{Day, Schedule, Slot};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::ApiError;
use crate::extract::{AppJson, Caller};
use crate::{AppState, convert};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(set_schedule))
}

/// Replaces the caller's weekly schedule (no streams: none). Their channel page then shows the
/// next streams it promises.
/// With the other changes of channel settings, at most 60 in ten minutes (429).
#[utoipa::path(put, path = "/me/channel/schedule", tag = "me", security(("cognito" = [])),
    request_body = api::ScheduleBody,
    responses((status = 200, body = api::ScheduleBody), (status = 400, body = api::ErrorBody),
        (status = 401, body = api::ErrorBody), (status = 409, body = api::ErrorBody)))]
pub async fn set_schedule(
    State(state): State<AppState>,
    Caller(who): Caller,
    AppJson(body): AppJson<api::ScheduleBody>,
) -> Result<Json<api::ScheduleBody>, ApiError> {
    let slots = body.slots.iter().map(slot).collect::<Result<Vec<_>, _>>()?;
    let schedule = Schedule::new(&body.time_zone, slots)?;
    // An empty week keeps no schedule; its answer still names the zone as the database does.
    let asked = convert::schedule(&schedule);
    let channel = state.platform.set_schedule(&who, Some(schedule)).await?;
    Ok(Json(
        channel.schedule.as_ref().map_or(asked, convert::schedule),
    ))
}

fn slot(body: &api::ScheduleSlotBody) -> Result<Slot, DomainError> {
    let invalid = |message: &str| DomainError::invalid("invalid_schedule", message);
    let day = Day::ALL
        .into_iter()
        .find(|day| convert::day(*day) == body.day)
        .ok_or_else(|| invalid("day must be MON, TUE, WED, THU, FRI, SAT or SUN"))?;
    let start_minute = body
        .start
        .split_once(':')
        .filter(|(h, m)| h.len() == 2 && m.len() == 2)
        .and_then(|(h, m)| Some((h.parse::<u16>().ok()?, m.parse::<u16>().ok()?)))
        .filter(|(h, m)| *h < 24 && *m < 60)
        .map(|(h, m)| h * 60 + m)
        .ok_or_else(|| invalid("start must be HH:MM, 00:00 to 23:59"))?;
    Ok(Slot {
        day,
        start_minute,
        duration_minutes: body.duration_minutes,
        title: body.title.clone(),
    })
}
