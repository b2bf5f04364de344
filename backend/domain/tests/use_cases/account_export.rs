//! Taking one's data away: the export holds everything of the caller's own, and nothing of
//! anyone else's private records.

use cloumer_domain::DomainError;
use cloumer_domain::ids::RecordingId;
use cloumer_domain::limits::ACCOUNT_EXPORTS;
use cloumer_domain::live::StreamEventKind;
use cloumer_domain::report::{ReportAction, ReportReason};
use cloumer_domain::testkit::{AUTH, P256DH};
use cloumer_domain::use_cases::reports::Reported;
use time::Duration;

use crate::clip_making::{recorded, vod};
use crate::reports::{report, staff};
use crate::videos::{h264, transcoded, uploaded_and_probed};
use crate::world::world;

#[tokio::test]
async fn the_export_holds_everything_of_the_callers_own() {
    let world = world();
    let (star, account) = world.account("u-star", "star").await;
    let (fan, _) = world.account("u-fan", "fan").await;
    let (other, other_account) = world.account("u-other", "other").await;
    let (troll, _) = world.account("u-troll", "troll").await;
    let channel = account.channel.id.clone();

    recorded(&world, &channel, "rec1", 40, &vod(10)).await;
    recorded(&world, &channel, "rec2", 40, &vod(10)).await;
    world
        .platform
        .delete_recording(&star, &RecordingId::parse("rec2").unwrap())
        .await
        .unwrap();
    let clip = world
        .platform
        .clip_recording(&fan, &RecordingId::parse("rec1").unwrap(), "best", 0, 8_000)
        .await
        .unwrap();
    let video = uploaded_and_probed(&world, &star, Ok(h264())).await;
    transcoded(&world, &video).await;
    world
        .platform
        .add_webhook(&star, "https://discord.com/api/webhooks/1/abc")
        .await
        .unwrap();
    world.platform.follow(&star, "other").await.unwrap();
    world.platform.follow(&fan, "star").await.unwrap();
    world
        .platform
        .block_user(&star, troll.user_id.as_str())
        .await
        .unwrap();
    world
        .platform
        .appoint_moderator(&star, "fan")
        .await
        .unwrap();
    world.platform.grant_viewer(&star, "fan").await.unwrap();
    world
        .platform
        .subscribe_push(&star, "https://push.example.com/star", P256DH, AUTH)
        .await
        .unwrap();
    world.advance(Duration::minutes(1));
    world
        .stream_event(&other_account.channel.id, "st-1", StreamEventKind::Start)
        .await;
    // Others' records of their own are not the star's.
    world.platform.follow(&other, "fan").await.unwrap();
    // The star's reports: one staff dismissed (which the bell says too), one waiting; the
    // fan's is the fan's.
    let on = |handle| Reported::Channel { handle };
    assert!(report(&world, &star, on("other"), "spam").await.unwrap());
    let staff = staff("u-staff");
    let queue = world.platform.open_reports(&staff, None, 10).await.unwrap();
    world.advance(Duration::minutes(1));
    world
        .platform
        .settle_report(&staff, queue.items[0].report.id.as_str(), "dismiss", None)
        .await
        .unwrap();
    assert!(report(&world, &star, on("troll"), "hate").await.unwrap());
    assert!(report(&world, &fan, on("troll"), "hate").await.unwrap());

    let export = world.platform.export_account(&star).await.unwrap();
    assert_eq!(export.exported_at, world.platform.now());
    assert_eq!(export.account.profile.user_id, star.user_id);
    assert_eq!(export.channel.channel.id, channel);
    assert_eq!(export.channel.follow.unwrap().followers, 1);
    let following: Vec<_> = export
        .following
        .iter()
        .map(|v| v.channel.handle.as_str())
        .collect();
    assert_eq!(following, ["other"]);
    assert_eq!(export.blocked.len(), 1);
    assert_eq!(export.blocked[0].user_id, troll.user_id);
    let moderators: Vec<_> = export
        .moderators
        .iter()
        .map(|m| m.user_id.clone())
        .collect();
    assert_eq!(moderators, std::slice::from_ref(&fan.user_id));
    assert_eq!(export.allowed_viewers.len(), 1);
    // The deleted broadcast is not in it.
    let recordings: Vec<_> = export.recordings.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(recordings, ["rec1"]);
    assert_eq!(export.clips.len(), 1);
    assert_eq!(export.clips[0].id, clip.id);
    assert_eq!(export.videos.len(), 1);
    assert_eq!(export.videos[0].id, video.id);
    assert_eq!(export.webhooks.len(), 1);
    assert_eq!(export.notifications.len(), 2);
    assert!(
        export
            .notifications
            .iter()
            .all(|n| n.channel_id == other_account.channel.id)
    );
    let reports: Vec<_> = export
        .reports
        .iter()
        .map(|r| {
            (
                r.reporter.clone(),
                r.reason,
                r.outcome.as_ref().map(|o| o.action),
            )
        })
        .collect();
    assert_eq!(
        reports,
        [
            (star.user_id.clone(), ReportReason::Hate, None),
            (
                star.user_id.clone(),
                ReportReason::Spam,
                Some(ReportAction::Dismissed)
            ),
        ]
    );
}

#[tokio::test]
async fn exports_are_a_few_an_hour() {
    let world = world();
    let (star, _) = world.account("u-star", "star").await;
    let (fan, _) = world.account("u-fan", "fan").await;
    for _ in 0..ACCOUNT_EXPORTS.max {
        world.platform.export_account(&star).await.unwrap();
    }
    assert!(matches!(
        world.platform.export_account(&star).await,
        Err(DomainError::RateLimited { .. })
    ));
    // Someone else's are theirs to count.
    world.platform.export_account(&fan).await.unwrap();
    world.advance(ACCOUNT_EXPORTS.per);
    world.platform.export_account(&star).await.unwrap();
}
