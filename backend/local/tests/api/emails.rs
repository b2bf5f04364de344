//! Go-live emails in the local stack: a follower's email lands in the outbox when the channel
//! goes live, its one-click link (as a mail client posts it) turns them off, the profile turns
//! them back on, and forged links change nothing.

use cloumer_domain::ids::StreamId;
use cloumer_domain::live::{StreamEvent, StreamEventKind};
use mailparse::MailHeaderMap;
use serde_json::json;
use time::OffsetDateTime;

use crate::helpers::{TestApp, channel_of, go_live, spawn_app};

/// The outbox's files once `count` are there (written in the background).
async fn outbox(app: &TestApp, count: usize) -> Vec<Vec<u8>> {
    let dir = cloumer_local::outbox_dir(app._data.as_ref().unwrap().path());
    for _ in 0..100 {
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .map(|entries| entries.map(|e| e.unwrap().path()).collect())
            .unwrap_or_default();
        if files.len() >= count {
            files.sort();
            return files.iter().map(|f| std::fs::read(f).unwrap()).collect();
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the outbox never had {count} emails");
}

#[tokio::test]
async fn a_follower_is_emailed_when_the_channel_goes_live_and_one_click_unsubscribes() {
    let app = spawn_app().await;
    let streamer = app.user("mina@example.com", "mina", "미나").await;
    let fan = app.user("fan@example.com", "fan", "Fan").await;
    let me = app.get("/api/v1/me", Some(&fan.token)).await;
    assert_eq!(me.body["email"], "fan@example.com");
    assert_eq!(me.body["emailNotifications"], true);
    let followed = app
        .put(
            "/api/v1/channels/mina/follow",
            Some(&fan.token),
            json!(null),
        )
        .await;
    assert_eq!(followed.status, 200);

    go_live(&app, &streamer, "st-mail-1").await;
    let emails = outbox(&app, 1).await;
    let email = mailparse::parse_mail(&emails[0]).unwrap();
    assert_eq!(
        email.headers.get_first_value("To").unwrap(),
        "fan@example.com"
    );
    assert_eq!(
        email.headers.get_first_value("Subject").unwrap(),
        "미나 is live"
    );
    let text = email.subparts[0].get_body().unwrap();
    assert!(
        text.contains(&format!("Watch now: {}/mina", app.stack.url())),
        "{text}"
    );
    let one_click = email
        .headers
        .get_first_value("List-Unsubscribe")
        .unwrap()
        .trim_matches(|c| c == '<' || c == '>')
        .to_owned();
    assert!(one_click.starts_with(&format!("{}/api/v1/unsubscribe?user=", app.stack.url())));

    // Forged links: wrong token, someone else's id, no token, a GET (prefetchers must not).
    let forged = one_click.replace("token=", "token=x");
    let answer = app.client.post(&forged).send().await.unwrap();
    assert_eq!(answer.status(), 404);
    let body: serde_json::Value = answer.json().await.unwrap();
    assert_eq!(body["code"], "not_found");
    let other = one_click.replace(&fan.user_id, &streamer.user_id);
    assert_eq!(app.client.post(&other).send().await.unwrap().status(), 404);
    let bare = one_click.split('&').next().unwrap().to_owned();
    assert_eq!(app.client.post(&bare).send().await.unwrap().status(), 400);
    assert_eq!(
        app.client.get(&one_click).send().await.unwrap().status(),
        405
    );
    let me = app.get("/api/v1/me", Some(&fan.token)).await;
    assert_eq!(me.body["emailNotifications"], true);

    // What a mail client posts (RFC 8058).
    let answer = app
        .client
        .post(&one_click)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 204);
    let me = app.get("/api/v1/me", Some(&fan.token)).await;
    assert_eq!(me.body["emailNotifications"], false);

    // Off: the next broadcast sends nothing (an hour later, so not a flap).
    let channel = channel_of(&app, &streamer).await;
    let end = StreamEvent {
        channel_id: channel.id,
        stream_id: StreamId::parse("st-mail-1").unwrap(),
        kind: StreamEventKind::End,
        at: OffsetDateTime::now_utc() - time::Duration::hours(1),
    };
    app.stack
        .platform()
        .handle_stream_event(&end)
        .await
        .unwrap();
    go_live(&app, &streamer, "st-mail-2").await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(outbox(&app, 1).await.len(), 1);

    // The profile turns them back on.
    let on = app
        .patch(
            "/api/v1/me",
            Some(&fan.token),
            json!({"emailNotifications": true}),
        )
        .await;
    assert_eq!(on.status, 200, "{}", on.text);
    assert_eq!(on.body["emailNotifications"], true);
    let wrong = app
        .patch(
            "/api/v1/me",
            Some(&fan.token),
            json!({"emailNotifications": "yes"}),
        )
        .await;
    assert_eq!(wrong.status, 400);
}
