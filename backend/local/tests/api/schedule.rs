//! A streamer's weekly schedule over HTTP: kept as written (sorted, the zone's own name), shown
//! on the channel page as the next streams, removed by an empty one, and every bad request
//! refused with a JSON error that changes nothing.

use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::helpers::spawn_app;

fn at(value: &Value) -> OffsetDateTime {
    OffsetDateTime::parse(value.as_str().unwrap(), &Rfc3339).unwrap()
}

#[tokio::test]
async fn a_streamer_plans_their_week_and_the_channel_page_shows_the_next_streams() {
    let app = spawn_app().await;
    let star = app.user("star@example.com", "star", "Star").await;
    let schedule = json!({"timeZone": "asia/seoul", "slots": [
        {"day": "FRI", "start": "21:00", "durationMinutes": 120, "title": "Speedruns"},
        {"day": "TUE", "start": "20:00", "durationMinutes": 90, "title": "  저녁 방송 "},
    ]});
    let saved = app
        .put("/api/v1/me/channel/schedule", star.auth(), schedule)
        .await;
    assert_eq!(saved.status, 200, "{}", saved.text);
    assert_eq!(
        saved.body,
        json!({"timeZone": "Asia/Seoul", "slots": [
            {"day": "TUE", "start": "20:00", "durationMinutes": 90, "title": "저녁 방송"},
            {"day": "FRI", "start": "21:00", "durationMinutes": 120, "title": "Speedruns"},
        ]})
    );
    let mine = app.get("/api/v1/me/channel", star.auth()).await;
    assert_eq!(mine.body["schedule"], saved.body, "{}", mine.text);

    // Anyone sees the next three, soonest first, each as long as planned, none over.
    let page = app.get("/api/v1/channels/star", None).await;
    let upcoming = page.body["upcoming"].as_array().unwrap().clone();
    assert_eq!(upcoming.len(), 3, "{}", page.text);
    let now = OffsetDateTime::now_utc();
    let mut previous = None;
    for planned in &upcoming {
        let (starts, ends) = (at(&planned["startsAt"]), at(&planned["endsAt"]));
        assert!(ends > now, "{planned}");
        assert!(previous.is_none_or(|p| p < starts), "{upcoming:?}");
        previous = Some(starts);
        let minutes = (ends - starts).whole_minutes();
        let expected = if planned["title"] == "Speedruns" {
            120
        } else {
            assert_eq!(planned["title"], "저녁 방송");
            90
        };
        assert_eq!(minutes, expected, "{planned}");
        // Seoul has no daylight saving: 20:00 or 21:00 there is 11:00 or 12:00 UTC.
        assert!([11, 12].contains(&starts.hour()), "{planned}");
    }
    assert!(at(&upcoming[0]["startsAt"]) < now + time::Duration::days(7));

    // An empty week removes the schedule.
    let cleared = app
        .put(
            "/api/v1/me/channel/schedule",
            star.auth(),
            json!({"timeZone": "asia/SEOUL", "slots": []}),
        )
        .await;
    assert_eq!(cleared.status, 200, "{}", cleared.text);
    assert_eq!(
        cleared.body,
        json!({"timeZone": "Asia/Seoul", "slots": []}),
        "an empty week is answered in the zone's own name too"
    );
    let page = app.get("/api/v1/channels/star", None).await;
    assert_eq!(page.body["upcoming"], json!([]));
    let mine = app.get("/api/v1/me/channel", star.auth()).await;
    assert!(mine.body.get("schedule").is_none(), "{}", mine.text);
}

#[tokio::test]
async fn a_schedule_that_cannot_be_kept_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let star = app.user("star@example.com", "star", "Star").await;
    let good = json!({"timeZone": "UTC", "slots": [
        {"day": "MON", "start": "18:00", "durationMinutes": 60, "title": ""}]});
    let saved = app
        .put("/api/v1/me/channel/schedule", star.auth(), good.clone())
        .await;
    assert_eq!(saved.status, 200, "{}", saved.text);
    let slot = |day: &str, start: &str, minutes: Value, title: &str| json!({"day": day, "start": start, "durationMinutes": minutes, "title": title});
    let week = |slots: Vec<Value>| json!({"timeZone": "UTC", "slots": slots});
    let too_many: Vec<Value> = (0..15)
        .map(|i| {
            slot(
                ["MON", "TUE", "WED"][i % 3],
                &format!("{:02}:00", i),
                json!(15),
                "",
            )
        })
        .collect();
    for (body, status, code) in [
        (
            json!({"timeZone": "Mars/Olympus", "slots": []}),
            409,
            "unknown_time_zone",
        ),
        // Never looked for on disk: the zones are the ones built in.
        (
            json!({"timeZone": "../../etc/passwd", "slots": []}),
            409,
            "unknown_time_zone",
        ),
        (
            week(vec![
                slot("MON", "20:00", json!(120), ""),
                slot("MON", "21:00", json!(60), ""),
            ]),
            409,
            "schedule_overlap",
        ),
        (
            week(vec![slot("MONDAY", "20:00", json!(60), "")]),
            400,
            "invalid_schedule",
        ),
        (
            week(vec![slot("MON", "24:00", json!(60), "")]),
            400,
            "invalid_schedule",
        ),
        (
            week(vec![slot("MON", "8:00", json!(60), "")]),
            400,
            "invalid_schedule",
        ),
        (
            week(vec![slot("MON", "20:00", json!(10), "")]),
            400,
            "invalid_schedule",
        ),
        (
            week(vec![slot("MON", "20:00", json!(60.5), "")]),
            400,
            "invalid_json",
        ),
        (
            week(vec![slot("MON", "20:00", json!(60), "\u{202E}evil")]),
            400,
            "invalid_schedule",
        ),
        (week(too_many), 400, "invalid_schedule"),
        (
            json!({"timeZone": "UTC", "slots": [], "extra": true}),
            400,
            "invalid_json",
        ),
    ] {
        let refused = app
            .put("/api/v1/me/channel/schedule", star.auth(), body.clone())
            .await;
        assert_eq!(
            (refused.status.as_u16(), refused.code()),
            (status, code),
            "{body}: {}",
            refused.text
        );
    }
    let anonymous = app
        .put("/api/v1/me/channel/schedule", None, good.clone())
        .await;
    assert_eq!(anonymous.status, 401, "{}", anonymous.text);
    let mine = app.get("/api/v1/me/channel", star.auth()).await;
    assert_eq!(mine.body["schedule"], saved.body, "nothing changed");
}

/// A follower's list of followed channels says what is coming up from them, soonest first.
#[tokio::test]
async fn a_followers_list_says_which_planned_streams_come_next() {
    let app = spawn_app().await;
    let star = app.user("star@example.com", "star", "Star").await;
    let fan = app.user("fan@example.com", "fan", "Fan").await;
    // Every day at the same time: the next five are on five days in a row.
    let slots: Vec<Value> = ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"]
        .iter()
        .map(
            |day| json!({"day": day, "start": "03:00", "durationMinutes": 60, "title": "Dawn run"}),
        )
        .collect();
    let saved = app
        .put(
            "/api/v1/me/channel/schedule",
            star.auth(),
            json!({"timeZone": "UTC", "slots": slots}),
        )
        .await;
    assert_eq!(saved.status, 200, "{}", saved.text);
    let followed = app
        .put("/api/v1/channels/star/follow", fan.auth(), json!(null))
        .await;
    assert_eq!(followed.status, 200, "{}", followed.text);

    let list = app.get("/api/v1/me/following", fan.auth()).await;
    assert_eq!(list.status, 200, "{}", list.text);
    let coming = list.body["comingUp"].as_array().unwrap().clone();
    assert_eq!(coming.len(), 5, "{}", list.text);
    let now = OffsetDateTime::now_utc();
    let mut previous = now;
    for plan in &coming {
        assert_eq!(plan["handle"], "star");
        assert_eq!(plan["ownerNickname"], "Star");
        assert_eq!(plan["title"], "Dawn run");
        let starts = at(&plan["startsAt"]);
        assert!(
            starts > previous,
            "soonest first, none under way: {coming:?}"
        );
        assert_eq!((starts.hour(), starts.minute()), (3, 0));
        assert_eq!(at(&plan["endsAt"]) - starts, time::Duration::hours(1));
        previous = starts;
    }
    // The star's own list follows nobody: nothing is coming up there.
    let own = app.get("/api/v1/me/following", star.auth()).await;
    assert_eq!(own.body["comingUp"], json!([]), "{}", own.text);
}
