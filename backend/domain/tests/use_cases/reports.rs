use cloumer_domain::DomainError;
use cloumer_domain::Identity;
use cloumer_domain::ids::RecordingId;
use cloumer_domain::moderation::DenyReason;
use cloumer_domain::notification::NotificationKind;
use cloumer_domain::report::{ReportAction, ReportReason, ReportSubject};
use cloumer_domain::use_cases::message_review::Verdict;
use cloumer_domain::use_cases::reports::Reported;
use time::Duration;

use crate::account_deletion::just_signed_in;
use crate::clip_making::{recorded, vod};
use crate::videos::{h264, transcoded, uploaded_and_probed};
use crate::world::{World, person, world};

pub fn staff(user: &str) -> Identity {
    Identity {
        staff: true,
        ..person(user, user)
    }
}

/// `reporter` reports `handle`'s channel (for hate) and staff suspend it from the queue, until
/// lifted or for `days`.
pub async fn suspend_reported(world: &World, reporter: &Identity, handle: &str, days: Option<u32>) {
    let on = Reported::Channel { handle };
    assert!(report(world, reporter, on, "hate").await.unwrap());
    let staff = staff("u-staff");
    let queue = world.platform.open_reports(&staff, None, 10).await.unwrap();
    let filed = queue
        .items
        .iter()
        .find(|r| r.report.reporter == reporter.user_id)
        .unwrap();
    world
        .platform
        .settle_report(&staff, filed.report.id.as_str(), "suspend", days)
        .await
        .unwrap();
}

pub async fn report(
    world: &World,
    who: &Identity,
    subject: Reported<'_>,
    reason: &str,
) -> Result<bool, DomainError> {
    world
        .platform
        .file_report(who, subject, reason, "at 12:03")
        .await
        .map(|(_, filed)| filed)
}

fn open_ids(page: &[cloumer_domain::use_cases::reports::ReportInQueue]) -> Vec<String> {
    page.iter().map(|r| r.report.subject.key()).collect()
}

#[tokio::test]
async fn viewers_report_what_they_see_once_each_and_staff_read_the_queue_oldest_first() {
    let world = world();
    let (_, streamer) = world.account("u-streamer", "streamer").await;
    let (mina, _) = world.account("u-mina", "mina").await;
    let (jun, _) = world.account("u-jun", "jun").await;
    let channel = Reported::Channel { handle: "streamer" };
    recorded(&world, &streamer.channel.id, "rec1", 40, &vod(10)).await;
    let clip = world
        .platform
        .clip_recording(
            &jun,
            &RecordingId::parse("rec1").unwrap(),
            "the moment",
            0,
            10_000,
        )
        .await
        .unwrap();

    assert!(report(&world, &mina, channel, "hate").await.unwrap());
    world.advance(Duration::minutes(1));
    // Asking again, even for another reason, keeps the first report.
    assert!(!report(&world, &mina, channel, "spam").await.unwrap());
    assert!(report(&world, &jun, channel, "harassment").await.unwrap());
    world.advance(Duration::minutes(1));
    let on_clip = Reported::Clip {
        id: clip.id.as_str(),
    };
    assert!(report(&world, &mina, on_clip, "violence").await.unwrap());
    world.advance(Duration::minutes(1));
    let on_recording = Reported::Recording { id: "rec1" };
    assert!(report(&world, &mina, on_recording, "other").await.unwrap());

    let queue = world
        .platform
        .open_reports(&staff("u-staff"), None, 10)
        .await
        .unwrap();
    assert_eq!(
        open_ids(&queue.items),
        [
            format!("channel:{}", streamer.channel.id),
            format!("channel:{}", streamer.channel.id),
            format!("clip:{}", clip.id),
            "recording:rec1".to_owned(),
        ]
    );
    let first = &queue.items[0];
    assert_eq!(first.report.reason, ReportReason::Hate);
    assert_eq!(first.report.details, "at 12:03");
    assert_eq!(first.reporter_handle.as_deref(), Some("mina"));
    assert_eq!(first.channel.as_ref().unwrap().handle.as_str(), "streamer");
    assert_eq!(queue.items[2].subject_title.as_deref(), Some("the moment"));
    // Pages go on where the last ended.
    let head = world
        .platform
        .open_reports(&staff("u-staff"), None, 3)
        .await
        .unwrap();
    let rest = world
        .platform
        .open_reports(&staff("u-staff"), head.next, 3)
        .await
        .unwrap();
    assert_eq!(open_ids(&rest.items), ["recording:rec1"]);
    assert!(rest.next.is_none());

    // Only staff read it.
    let refused = world.platform.open_reports(&mina, None, 10).await;
    assert!(
        matches!(refused, Err(DomainError::Forbidden(_))),
        "{refused:?}"
    );
}

#[tokio::test]
async fn nobody_reports_their_own_what_they_cannot_see_or_what_is_not_there() {
    let world = world();
    let (owner, account) = world.account("u-owner", "owner").await;
    let (clipper, _) = world.account("u-clipper", "clipper").await;
    let (stranger, _) = world.account("u-stranger", "stranger").await;
    recorded(&world, &account.channel.id, "rec1", 40, &vod(10)).await;
    let clip = world
        .platform
        .clip_recording(
            &clipper,
            &RecordingId::parse("rec1").unwrap(),
            "mine",
            0,
            10_000,
        )
        .await
        .unwrap();
    let own = [
        (&owner, Reported::Channel { handle: "owner" }),
        (&owner, Reported::Recording { id: "rec1" }),
        (
            &owner,
            Reported::Clip {
                id: clip.id.as_str(),
            },
        ),
        (
            &clipper,
            Reported::Clip {
                id: clip.id.as_str(),
            },
        ),
    ];
    for (who, subject) in own {
        let refused = report(&world, who, subject, "spam").await;
        assert!(
            matches!(
                refused,
                Err(DomainError::Conflict {
                    code: "own_content",
                    ..
                })
            ),
            "{subject:?}: {refused:?}"
        );
    }
    for subject in [
        Reported::Channel { handle: "nobody" },
        Reported::Clip { id: "clnothing" },
        Reported::Video { id: "vdnothing" },
        Reported::Recording { id: "nothing" },
    ] {
        let refused = report(&world, &stranger, subject, "spam").await;
        assert!(
            matches!(refused, Err(DomainError::NotFound(_))),
            "{refused:?}"
        );
    }
    // A private channel, and what it recorded while private, are not the stranger's to see.
    world.set_private(&owner, true).await;
    recorded(&world, &account.channel.id, "rec2", 40, &vod(10)).await;
    for subject in [
        Reported::Channel { handle: "owner" },
        Reported::Recording { id: "rec2" },
    ] {
        let refused = report(&world, &stranger, subject, "spam").await;
        assert!(
            matches!(
                refused,
                Err(DomainError::NotFound(_) | DomainError::Forbidden(_))
            ),
            "{subject:?}: {refused:?}"
        );
    }
    // Hostile words and reasons are refused with what is wrong.
    let channel = Reported::Channel { handle: "clipper" };
    let refused = report(&world, &stranger, channel, "SPAM").await;
    assert!(
        matches!(
            refused,
            Err(DomainError::Invalid {
                code: "invalid_reason",
                ..
            })
        ),
        "{refused:?}"
    );
    let refused = world
        .platform
        .file_report(&stranger, channel, "spam", &"x".repeat(1001))
        .await;
    assert!(
        matches!(
            refused,
            Err(DomainError::Invalid {
                code: "invalid_details",
                ..
            })
        ),
        "{refused:?}"
    );
    let refused = world
        .platform
        .file_report(&stranger, channel, "spam", "see\u{202e}this")
        .await;
    assert!(
        matches!(
            refused,
            Err(DomainError::Invalid {
                code: "invalid_details",
                ..
            })
        ),
        "{refused:?}"
    );
    let queue = world
        .platform
        .open_reports(&staff("u-staff"), None, 10)
        .await
        .unwrap();
    assert!(queue.items.is_empty(), "nothing refused was filed");
}

#[tokio::test]
async fn reporting_is_limited_per_person() {
    let world = world();
    let (mina, _) = world.account("u-mina", "mina").await;
    for n in 0..21 {
        world.account(&format!("u-ch{n}"), &format!("ch{n}")).await;
    }
    for n in 0..20 {
        let handle = format!("ch{n}");
        let subject = Reported::Channel { handle: &handle };
        assert!(report(&world, &mina, subject, "spam").await.unwrap());
    }
    let refused = report(&world, &mina, Reported::Channel { handle: "ch20" }, "spam").await;
    assert!(
        matches!(refused, Err(DomainError::RateLimited { .. })),
        "{refused:?}"
    );
}

#[tokio::test]
async fn staff_remove_content_once_for_every_report_on_it_or_dismiss_them() {
    let world = world();
    let (owner, account) = world.account("u-owner", "owner").await;
    let (mina, _) = world.account("u-mina", "mina").await;
    let (jun, _) = world.account("u-jun", "jun").await;
    let staff = staff("u-staff");
    recorded(&world, &account.channel.id, "rec1", 40, &vod(10)).await;
    let rec = RecordingId::parse("rec1").unwrap();
    let clip = world
        .platform
        .clip_recording(&jun, &rec, "the moment", 0, 10_000)
        .await
        .unwrap();
    let video = uploaded_and_probed(&world, &owner, Ok(h264())).await;
    transcoded(&world, &video).await;

    let on_clip = Reported::Clip {
        id: clip.id.as_str(),
    };
    assert!(report(&world, &mina, on_clip, "hate").await.unwrap());
    let on_video = Reported::Video {
        id: video.id.as_str(),
    };
    assert!(report(&world, &mina, on_video, "sexual").await.unwrap());
    assert!(report(&world, &jun, on_video, "sexual").await.unwrap());
    let on_recording = Reported::Recording { id: "rec1" };
    assert!(
        report(&world, &jun, on_recording, "violence")
            .await
            .unwrap()
    );
    let on_channel = Reported::Channel { handle: "owner" };
    assert!(report(&world, &jun, on_channel, "spam").await.unwrap());
    let queue = world.platform.open_reports(&staff, None, 10).await.unwrap();
    let id_of = |key: &str| {
        queue
            .items
            .iter()
            .find(|r| r.report.subject.key() == key)
            .unwrap()
            .report
            .id
            .to_string()
    };

    // Not staff: nothing happens.
    let refused = world
        .platform
        .settle_report(
            &mina,
            &id_of(&format!("video:{}", video.id)),
            "remove",
            None,
        )
        .await;
    assert!(
        matches!(refused, Err(DomainError::Forbidden(_))),
        "{refused:?}"
    );

    // The video goes, with its files, and both reports on it are settled.
    let settled = world
        .platform
        .settle_report(
            &staff,
            &id_of(&format!("video:{}", video.id)),
            "remove",
            None,
        )
        .await
        .unwrap();
    assert_eq!(
        (settled.action, settled.reports),
        (ReportAction::Removed, 2)
    );
    let gone = world.platform.video(&video.id, Some(&owner.user_id)).await;
    assert!(matches!(gone, Err(DomainError::NotFound(_))), "{gone:?}");
    // Settled once: again is a conflict, and changes nothing.
    let again = world
        .platform
        .settle_report(
            &staff,
            &id_of(&format!("video:{}", video.id)),
            "dismiss",
            None,
        )
        .await;
    assert!(
        matches!(
            again,
            Err(DomainError::Conflict {
                code: "already_settled",
                ..
            })
        ),
        "{again:?}"
    );

    // The clip goes; the past broadcast it was cut from stays until its own report is settled.
    world
        .platform
        .settle_report(&staff, &id_of(&format!("clip:{}", clip.id)), "remove", None)
        .await
        .unwrap();
    let gone = world.platform.clip(&clip.id, None).await;
    assert!(matches!(gone, Err(DomainError::NotFound(_))), "{gone:?}");
    assert!(world.platform.recording(&rec, None).await.is_ok());
    world
        .platform
        .settle_report(&staff, &id_of("recording:rec1"), "remove", None)
        .await
        .unwrap();
    let gone = world.platform.recording(&rec, Some(&owner.user_id)).await;
    assert!(matches!(gone, Err(DomainError::NotFound(_))), "{gone:?}");

    // A channel is not removed this way; its report may be dismissed.
    let channel_report = id_of(&format!("channel:{}", account.channel.id));
    let refused = world
        .platform
        .settle_report(&staff, &channel_report, "remove", None)
        .await;
    assert!(
        matches!(
            refused,
            Err(DomainError::Invalid {
                code: "cannot_remove_channel",
                ..
            })
        ),
        "{refused:?}"
    );
    let refused = world
        .platform
        .settle_report(&staff, &channel_report, "ban everyone", None)
        .await;
    assert!(
        matches!(refused, Err(DomainError::Invalid { .. })),
        "{refused:?}"
    );
    let settled = world
        .platform
        .settle_report(&staff, &channel_report, "dismiss", None)
        .await
        .unwrap();
    assert_eq!(
        (settled.action, settled.reports),
        (ReportAction::Dismissed, 1)
    );
    let queue = world.platform.open_reports(&staff, None, 10).await.unwrap();
    assert!(queue.items.is_empty(), "{:?}", open_ids(&queue.items));
    // Once settled, the same person may report the channel again: a new report.
    assert!(report(&world, &jun, on_channel, "spam").await.unwrap());
    let queue = world.platform.open_reports(&staff, None, 10).await.unwrap();
    assert_eq!(queue.items.len(), 1);
    assert_eq!(
        queue.items[0].report.subject,
        ReportSubject::Channel(account.channel.id.clone())
    );
}

#[tokio::test]
async fn the_queue_shows_who_and_what_as_they_are_now() {
    let world = world();
    let (owner, account) = world.account("u-owner", "owner").await;
    let (mina, _) = world.account("u-mina", "mina").await;
    let staff = staff("u-staff");
    recorded(&world, &account.channel.id, "rec1", 40, &vod(10)).await;
    assert!(
        report(&world, &mina, Reported::Recording { id: "rec1" }, "hate")
            .await
            .unwrap()
    );
    // The owner deletes the past broadcast, the reporter their account.
    world
        .platform
        .delete_recording(&owner, &RecordingId::parse("rec1").unwrap())
        .await
        .unwrap();
    world
        .platform
        .delete_account(&just_signed_in(&world, &mina))
        .await
        .unwrap();
    let queue = world.platform.open_reports(&staff, None, 10).await.unwrap();
    let [found] = queue.items.as_slice() else {
        panic!("{:?}", open_ids(&queue.items));
    };
    assert_eq!(found.subject_title, None, "the past broadcast is gone");
    assert_eq!(found.reporter_handle, None, "the reporter is gone");
    assert_eq!(found.channel.as_ref().unwrap().handle.as_str(), "owner");
    // Removing what is gone already settles the report.
    let settled = world
        .platform
        .settle_report(&staff, found.report.id.as_str(), "remove", None)
        .await
        .unwrap();
    assert_eq!(settled.reports, 1);
}

#[tokio::test]
async fn a_suspended_channel_stops_broadcasting_chatting_and_showing_until_staff_lift_it() {
    use cloumer_domain::live::StreamEventKind;
    use cloumer_domain::use_cases::directory::DirectoryFilter;
    let world = world();
    let (owner, account) = world.account("u-owner", "owner").await;
    let (mina, _) = world.account("u-mina", "mina").await;
    let staff = staff("u-staff");
    recorded(&world, &account.channel.id, "rec1", 40, &vod(10)).await;
    world.go_live(&account.channel, 12).await;
    let arn = account.channel.video.clone().unwrap().arn;
    let key_before = world
        .platform
        .ingest_settings(&owner)
        .await
        .unwrap()
        .stream_key;
    let on_channel = Reported::Channel { handle: "owner" };
    assert!(report(&world, &mina, on_channel, "violence").await.unwrap());
    let queue = world.platform.open_reports(&staff, None, 10).await.unwrap();
    let id = queue.items[0].report.id.to_string();

    // Only a report on a channel suspends.
    let clip = world
        .platform
        .clip_recording(&mina, &RecordingId::parse("rec1").unwrap(), "x", 0, 10_000)
        .await
        .unwrap();
    let (_, filed) = world
        .platform
        .file_report(
            &staff,
            Reported::Clip {
                id: clip.id.as_str(),
            },
            "spam",
            "",
        )
        .await
        .unwrap();
    assert!(filed);
    let clip_report = world
        .platform
        .open_reports(&staff, None, 10)
        .await
        .unwrap()
        .items
        .into_iter()
        .find(|r| matches!(r.report.subject, ReportSubject::Clip(_)))
        .unwrap()
        .report
        .id
        .to_string();
    let refused = world
        .platform
        .settle_report(&staff, &clip_report, "suspend", None)
        .await;
    assert!(
        matches!(
            refused,
            Err(DomainError::Invalid {
                code: "cannot_suspend",
                ..
            })
        ),
        "{refused:?}"
    );

    let settled = world
        .platform
        .settle_report(&staff, &id, "suspend", None)
        .await
        .unwrap();
    assert_eq!(settled.action, ReportAction::Suspended);
    // The broadcast on air was stopped and its key replaced, which the owner is not shown.
    assert!(world.video.stopped.lock().unwrap().contains(&arn));
    assert_ne!(world.video.keys.lock().unwrap()[&arn], key_before.0);
    let refused = world.platform.ingest_settings(&owner).await;
    assert!(
        matches!(refused, Err(DomainError::Forbidden(_))),
        "{refused:?}"
    );
    let refused = world.platform.reset_stream_key(&owner).await;
    assert!(
        matches!(refused, Err(DomainError::Forbidden(_))),
        "{refused:?}"
    );
    // The video service's end arrives; a new start (a key read before) is stopped at once and
    // never shows live, and the ingest is told not to take it.
    world
        .stream_event(&account.channel.id, "st-owner", StreamEventKind::End)
        .await;
    world.video.stopped.lock().unwrap().clear();
    world
        .stream_event(&account.channel.id, "st-again", StreamEventKind::Start)
        .await;
    assert_eq!(
        *world.video.stopped.lock().unwrap(),
        std::slice::from_ref(&arn)
    );
    assert!(
        world
            .platform
            .broadcast_policy(&account.channel.id)
            .await
            .unwrap()
            .is_none()
    );

    // Nobody chats, plays or finds it; its page says so and plays nothing.
    for who in [Some(&mina), Some(&owner), None] {
        let refused = world
            .platform
            .chat_token("owner", who, Some("1.2.3.4"))
            .await;
        assert!(
            matches!(refused, Err(DomainError::Forbidden(_))),
            "{refused:?}"
        );
    }
    // A chat connection opened before says nothing more.
    let room = account.channel.chat_room.clone().unwrap().arn;
    assert_eq!(
        world.verdict(&room, "u-mina", "still here").await,
        Verdict::Deny(DenyReason::ChannelSuspended)
    );
    let refused = world.platform.playback("owner", Some(&mina.user_id)).await;
    assert!(
        matches!(refused, Err(DomainError::Forbidden(_))),
        "{refused:?}"
    );
    let page = world
        .platform
        .channel_page("owner", Some(&mina.user_id))
        .await
        .unwrap();
    assert!(page.channel.suspension.is_some());
    assert!(!page.is_live());
    assert!(!page.can_watch);
    let listed = world
        .platform
        .directory(&DirectoryFilter::default(), None, 10)
        .await
        .unwrap();
    assert!(
        listed
            .items
            .iter()
            .all(|c| c.channel.id != account.channel.id),
        "not in the directory"
    );
    let recent = world.platform.recent_recordings(None, 10).await.unwrap();
    assert!(
        recent.items.is_empty(),
        "its past broadcasts are not listed"
    );
    let rec = RecordingId::parse("rec1").unwrap();
    let hidden = world.platform.recording(&rec, Some(&mina.user_id)).await;
    assert!(
        matches!(hidden, Err(DomainError::NotFound(_))),
        "{hidden:?}"
    );
    let hidden = world.platform.clip(&clip.id, None).await;
    assert!(
        matches!(hidden, Err(DomainError::NotFound(_))),
        "{hidden:?}"
    );
    let hidden = world
        .platform
        .channel_recordings("owner", Some(&mina.user_id), None, 10)
        .await;
    assert!(
        matches!(hidden, Err(DomainError::Forbidden(_))),
        "{hidden:?}"
    );
    let refused = world
        .platform
        .clip_recording(&mina, &rec, "still", 0, 10_000)
        .await;
    assert!(
        matches!(refused, Err(DomainError::NotFound(_))),
        "{refused:?}"
    );
    // Its owner still sees their own past broadcasts (to know what was kept).
    assert!(
        world
            .platform
            .recording(&rec, Some(&owner.user_id))
            .await
            .is_ok()
    );

    // Only staff lift it; then it broadcasts, chats and shows again.
    let refused = world.platform.lift_suspension(&owner, "owner").await;
    assert!(
        matches!(refused, Err(DomainError::Forbidden(_))),
        "{refused:?}"
    );
    world
        .platform
        .lift_suspension(&staff, "owner")
        .await
        .unwrap();
    assert!(world.platform.ingest_settings(&owner).await.is_ok());
    assert!(
        world
            .platform
            .chat_token("owner", Some(&mina), None)
            .await
            .is_ok()
    );
    assert!(
        world
            .platform
            .broadcast_policy(&account.channel.id)
            .await
            .unwrap()
            .is_some()
    );
    let page = world.platform.channel_page("owner", None).await.unwrap();
    assert!(page.can_watch && page.channel.suspension.is_none());
}

/// What each person's bell says, newest first: (kind, title).
pub async fn told(world: &World, who: &Identity) -> Vec<(NotificationKind, String)> {
    world
        .platform
        .notifications(who, None, 20)
        .await
        .unwrap()
        .page
        .items
        .into_iter()
        .map(|n| (n.kind, n.title))
        .collect()
}

#[tokio::test]
async fn the_people_a_decision_concerns_are_told_what_was_decided_and_why() {
    let world = world();
    let (owner, account) = world.account("u-owner", "owner").await;
    let (mina, _) = world.account("u-mina", "mina").await;
    let (jun, _) = world.account("u-jun", "jun").await;
    let (bora, _) = world.account("u-bora", "bora").await;
    let staff = staff("u-staff");
    recorded(&world, &account.channel.id, "rec1", 40, &vod(10)).await;
    let rec = RecordingId::parse("rec1").unwrap();
    let clip = world
        .platform
        .clip_recording(&jun, &rec, "the moment", 0, 10_000)
        .await
        .unwrap();
    let video = uploaded_and_probed(&world, &owner, Ok(h264())).await;
    transcoded(&world, &video).await;
    let video_title = world
        .platform
        .video(&video.id, Some(&owner.user_id))
        .await
        .unwrap()
        .0
        .title
        .as_str()
        .to_owned();
    let owner_told_before = told(&world, &owner).await;
    let on_video = Reported::Video {
        id: video.id.as_str(),
    };
    assert!(report(&world, &mina, on_video, "sexual").await.unwrap());
    assert!(report(&world, &jun, on_video, "spam").await.unwrap());
    let on_clip = Reported::Clip {
        id: clip.id.as_str(),
    };
    assert!(report(&world, &mina, on_clip, "hate").await.unwrap());
    let on_recording = Reported::Recording { id: "rec1" };
    assert!(report(&world, &mina, on_recording, "spam").await.unwrap());
    let on_channel = Reported::Channel { handle: "owner" };
    assert!(report(&world, &jun, on_channel, "violence").await.unwrap());
    let queue = world.platform.open_reports(&staff, None, 10).await.unwrap();
    let report_on = |subject: &ReportSubject, reporter: &Identity| {
        queue
            .items
            .iter()
            .find(|r| r.report.subject == *subject && r.report.reporter == reporter.user_id)
            .unwrap()
            .report
            .id
            .to_string()
    };
    let video_subject = ReportSubject::Video(video.id.clone());
    let clip_subject = ReportSubject::Clip(clip.id.clone());
    let channel_subject = ReportSubject::Channel(account.channel.id.clone());

    // Staff take the video down on Mina's report (sexual content): both its reporters hear it
    // was taken down, and its uploader why — the rule of the report staff acted on.
    world
        .platform
        .settle_report(&staff, &report_on(&video_subject, &mina), "remove", None)
        .await
        .unwrap();
    let reviewed = |subject: &ReportSubject, outcome| NotificationKind::ReportReviewed {
        reported: subject.clone(),
        outcome,
    };
    let removed_video = (
        reviewed(&video_subject, ReportAction::Removed),
        video_title.clone(),
    );
    assert_eq!(
        told(&world, &mina).await,
        std::slice::from_ref(&removed_video)
    );
    assert_eq!(
        told(&world, &jun).await,
        std::slice::from_ref(&removed_video)
    );
    let owner_told = told(&world, &owner).await;
    assert_eq!(
        owner_told[0],
        (
            NotificationKind::TakenDown {
                taken_down: video_subject.clone(),
                ground: ReportReason::Sexual,
            },
            video_title.clone()
        )
    );
    assert_eq!(owner_told[1..], owner_told_before[..]);

    // The clip is its clipper's: Jun, not the channel's owner, is told why it went.
    world.advance(Duration::minutes(1));
    world
        .platform
        .settle_report(&staff, &report_on(&clip_subject, &mina), "remove", None)
        .await
        .unwrap();
    assert_eq!(
        told(&world, &jun).await,
        [
            (
                NotificationKind::TakenDown {
                    taken_down: clip_subject.clone(),
                    ground: ReportReason::Hate,
                },
                "the moment".to_owned()
            ),
            removed_video.clone()
        ]
    );
    assert_eq!(
        told(&world, &mina).await[0],
        (
            reviewed(&clip_subject, ReportAction::Removed),
            "the moment".to_owned()
        )
    );
    assert_eq!(told(&world, &owner).await.len(), owner_told.len());

    // A dismissed report: its reporter hears it stays; its maker hears nothing.
    world.advance(Duration::minutes(1));
    world
        .platform
        .settle_report(
            &staff,
            &report_on(&ReportSubject::Recording(rec.clone()), &mina),
            "dismiss",
            None,
        )
        .await
        .unwrap();
    assert_eq!(
        told(&world, &mina).await[0].0,
        reviewed(
            &ReportSubject::Recording(rec.clone()),
            ReportAction::Dismissed
        )
    );
    assert_eq!(told(&world, &owner).await.len(), owner_told.len());

    // A suspension: the reporter hears of it, the owner hears why, and again when it is lifted.
    world.advance(Duration::minutes(1));
    world
        .platform
        .settle_report(&staff, &report_on(&channel_subject, &jun), "suspend", None)
        .await
        .unwrap();
    assert_eq!(
        told(&world, &jun).await[0],
        (
            reviewed(&channel_subject, ReportAction::Suspended),
            String::new()
        )
    );
    assert_eq!(
        told(&world, &owner).await[0].0,
        NotificationKind::Suspended {
            suspended_for: ReportReason::Violence,
            suspended_until: None,
        }
    );
    world.advance(Duration::minutes(1));
    world
        .platform
        .lift_suspension(&staff, "owner")
        .await
        .unwrap();
    // Lifting again changes nothing, and says nothing more.
    world
        .platform
        .lift_suspension(&staff, "owner")
        .await
        .unwrap();
    let owner_told_now = told(&world, &owner).await;
    assert_eq!(
        owner_told_now[0].0,
        NotificationKind::SuspensionLifted {
            lifted_suspension: ReportReason::Violence
        }
    );
    assert_eq!(owner_told_now.len(), owner_told.len() + 2);
    // Nobody else hears of any of it.
    assert!(told(&world, &bora).await.is_empty());
    assert!(told(&world, &staff).await.is_empty());
}
