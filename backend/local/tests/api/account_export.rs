//! Taking one's data away over HTTP: GET /api/v1/me/export, a file to save.

use serde_json::json;

use crate::helpers::spawn_app;

#[tokio::test]
async fn a_user_downloads_everything_of_their_own_as_a_file() {
    let app = spawn_app().await;
    let star = app.user("star@example.com", "star", "Star").await;
    let fan = app.user("fan@example.com", "fan", "Fan").await;
    let other = app.user("other@example.com", "other", "Other").await;
    for (who, handle) in [(&star, "other"), (&fan, "star")] {
        let followed = app
            .put(
                &format!("/api/v1/channels/{handle}/follow"),
                who.auth(),
                json!(null),
            )
            .await;
        assert_eq!(followed.status, 200, "{}", followed.text);
    }
    let blocked = app
        .put(
            &format!("/api/v1/me/blocks/{}", other.user_id),
            star.auth(),
            json!(null),
        )
        .await;
    assert!(blocked.status.is_success(), "{}", blocked.text);
    // Reports to staff are the reporter's: the star's in the star's export, the fan's not.
    for (who, reported) in [(&star, "other"), (&fan, "other")] {
        let report = json!({"kind": "channel", "id": reported, "reason": "spam", "details": "ads"});
        let filed = app.post("/api/v1/reports", who.auth(), Some(report)).await;
        assert_eq!(filed.status, 201, "{}", filed.text);
    }

    let anonymous = app.get("/api/v1/me/export", None).await;
    assert_eq!(anonymous.status, 401, "{}", anonymous.text);

    let response = app
        .client
        .get(app.url("/api/v1/me/export"))
        .bearer_auth(&star.token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-disposition"],
        "attachment; filename=\"cloumer-star.json\""
    );
    let export: cloumer_api_types::AccountExport = response.json().await.unwrap();
    assert_eq!(export.profile.handle, "star");
    assert_eq!(export.profile.user_id, star.user_id);
    assert_eq!(export.channel.page.summary.handle, "star");
    assert_eq!(export.channel.page.followers, 1);
    let following: Vec<_> = export.following.iter().map(|c| c.handle.as_str()).collect();
    assert_eq!(following, ["other"]);
    let blocked: Vec<_> = export.blocked.iter().map(|b| b.user_id.as_str()).collect();
    assert_eq!(blocked, [other.user_id.as_str()]);
    assert!(export.recordings.is_empty() && export.clips.is_empty());
    assert_eq!(export.reports.len(), 1, "{:?}", export.reports);
    let reported = &export.reports[0];
    assert_eq!(
        (
            reported.kind,
            reported.reason,
            reported.details.as_str(),
            reported.decision
        ),
        (
            cloumer_api_types::ReportKind::Channel,
            cloumer_api_types::ReportReason::Spam,
            "ads",
            None
        )
    );
    // Someone else's export is theirs alone.
    let theirs = app.get("/api/v1/me/export", fan.auth()).await;
    assert_eq!(theirs.body["profile"]["handle"], "fan", "{}", theirs.text);
    assert_eq!(
        theirs.body["following"][0]["handle"], "star",
        "{}",
        theirs.text
    );
    assert_eq!(theirs.body["blocked"], json!([]));

    // Five an hour: four more at once, then one every twelve minutes, and a refusal says when.
    for _ in 0..4 {
        let again = app.get("/api/v1/me/export", star.auth()).await;
        assert_eq!(again.status, 200, "{}", again.text);
    }
    let refused = app.get("/api/v1/me/export", star.auth()).await;
    assert_eq!(refused.status, 429, "{}", refused.text);
    assert_eq!(refused.body["code"], "rate_limited");
    let retry_after: u64 = refused.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((715..=720).contains(&retry_after), "{retry_after}");
    assert_eq!(
        refused.body["message"], "too many requests; try again in 12 minutes",
        "{}",
        refused.text
    );
}
