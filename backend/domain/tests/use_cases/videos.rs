use cloumer_domain::DomainError;
use cloumer_domain::media::{Container, MediaInfo, Refusal};
use cloumer_domain::notification::NotificationKind;
use cloumer_domain::profile::Language;
use cloumer_domain::testkit::{AUTH, P256DH};
use cloumer_domain::use_cases::video_uploads::NewVideo;
use cloumer_domain::use_cases::videos::VideoChange;
use cloumer_domain::video::{PART_BYTES, Transcoded, Video, VideoStatus};

use crate::world::{World, world};

fn new_video(size_bytes: u64) -> NewVideo {
    NewVideo {
        title: "Trip to Jeju".into(),
        description: "Day one\nDay two".into(),
        file_name: "jeju.mp4".into(),
        size_bytes,
        private: false,
    }
}

pub fn h264() -> MediaInfo {
    MediaInfo {
        container: Container::Mp4,
        video_codec: Some("h264".into()),
        audio_codec: Some("aac".into()),
        width: 1280,
        height: 720,
        duration_ms: 20_000,
    }
}

/// Sends every part of the video's upload, as a browser would.
fn send_all(world: &World, video: &Video) {
    let upload = video.upload_id.as_deref().unwrap();
    for number in 1..=video.part_count() {
        world
            .uploads
            .send_part(upload, number, video.part_size(number));
    }
}

/// A 1000-byte upload sent whole, completed, and probed as `probe` says (which starts its job
/// when the probe finds a video we take).
pub async fn uploaded_and_probed(
    world: &World,
    owner: &cloumer_domain::Identity,
    probe: Result<MediaInfo, Refusal>,
) -> Video {
    let video = world
        .platform
        .start_video_upload(owner, new_video(1000))
        .await
        .unwrap()
        .video;
    send_all(world, &video);
    world
        .platform
        .complete_video_upload(owner, &video.id)
        .await
        .unwrap();
    *world.uploads.probed_as.lock().unwrap() = Some(probe);
    world.platform.process_upload(&video.id).await.unwrap();
    video
}

/// The start was refused for the quota.
fn assert_over_quota<T: std::fmt::Debug>(started: &Result<T, DomainError>) {
    assert!(
        matches!(
            started,
            Err(DomainError::Conflict {
                code: "video_quota_exceeded",
                ..
            })
        ),
        "{started:?}"
    );
}

/// The video's job ends well (as often as called: jobs report more than once).
pub async fn transcoded(world: &World, video: &Video) {
    world
        .platform
        .video_transcoded(
            &video.id,
            Transcoded {
                playlist_url: "https://cdn.test/videos/v/index.m3u8".into(),
                thumbnail_url: None,
            },
        )
        .await
        .unwrap();
}

fn ids(videos: &[Video]) -> Vec<String> {
    videos.iter().map(|v| v.id.to_string()).collect()
}

#[tokio::test]
async fn an_upload_is_sent_in_parts_completed_processed_and_published() {
    let world = world();
    let (owner, _) = world.account("u-owner", "owner").await;
    let (viewer, _) = world.account("u-viewer", "viewer").await;
    world
        .platform
        .subscribe_push(
            &owner,
            "https://push.example.com/owner-laptop",
            P256DH,
            AUTH,
        )
        .await
        .unwrap();
    let size = 2 * PART_BYTES + 1000;
    let video = world
        .platform
        .start_video_upload(&owner, new_video(size))
        .await
        .unwrap()
        .video;
    assert_eq!(video.status, VideoStatus::Uploading);
    assert_eq!(video.part_count(), 3);

    let urls = world
        .platform
        .video_part_urls(&owner, &video.id, &[1, 3])
        .await
        .unwrap();
    assert_eq!(urls.len(), 2);
    assert_eq!(urls[1].size_bytes, 1000);
    assert!(urls[0].url.contains("partNumber=1"), "{}", urls[0].url);

    // One part in: the state says so, and completing is refused with what is missing.
    let upload = video.upload_id.clone().unwrap();
    world.uploads.send_part(&upload, 1, PART_BYTES);
    let state = world
        .platform
        .video_upload_state(&owner, &video.id)
        .await
        .unwrap();
    assert_eq!(state.uploaded, [1]);
    assert_eq!(state.part_bytes, PART_BYTES);
    let early = world
        .platform
        .complete_video_upload(&owner, &video.id)
        .await;
    assert!(
        matches!(&early, Err(DomainError::Conflict { code: "upload_incomplete", message }) if message.contains("part 2")),
        "{early:?}"
    );

    send_all(&world, &video);
    let (uploaded, _) = world
        .platform
        .complete_video_upload(&owner, &video.id)
        .await
        .unwrap();
    assert_eq!(uploaded.status, VideoStatus::Uploaded);
    assert_eq!(
        *world.uploads.completed.lock().unwrap(),
        [video.id.to_string()]
    );
    // Not for viewers yet.
    assert!(matches!(
        world.platform.video(&video.id, Some(&viewer.user_id)).await,
        Err(DomainError::NotFound(_))
    ));

    *world.uploads.probed_as.lock().unwrap() = Some(Ok(h264()));
    world.platform.process_upload(&video.id).await.unwrap();
    // The event again (S3 delivers at least once) starts no second job.
    world.platform.process_upload(&video.id).await.unwrap();
    assert_eq!(*world.uploads.jobs.lock().unwrap(), [video.id.to_string()]);
    world.platform.video_progress(&video.id, 40).await.unwrap();
    world.platform.video_progress(&video.id, 20).await.unwrap();
    let (processing, _) = world
        .platform
        .video(&video.id, Some(&owner.user_id))
        .await
        .unwrap();
    assert_eq!(
        (
            processing.status,
            processing.progress,
            processing.duration_ms
        ),
        (VideoStatus::Processing, 40, Some(20_000))
    );

    world
        .platform
        .video_transcoded(
            &video.id,
            Transcoded {
                playlist_url: "https://cdn.test/videos/v/index.m3u8".into(),
                thumbnail_url: Some("https://cdn.test/videos/v/thumb.jpg".into()),
            },
        )
        .await
        .unwrap();
    let (ready, channel) = world
        .platform
        .video(&video.id, Some(&viewer.user_id))
        .await
        .unwrap();
    assert_eq!(ready.status, VideoStatus::Ready);
    assert_eq!(channel.handle.as_str(), "owner");
    let url = ready.playlist_url.unwrap();
    assert!(
        url.starts_with("https://cdn.test/videos/v/index.m3u8?grant="),
        "{url}"
    );
    // The upload it was made from is removed.
    assert_eq!(
        *world.uploads.deleted.lock().unwrap(),
        [video.id.to_string()]
    );
    // Its readiness is announced once (the report again changes nothing); the announcement's
    // delivery tells the uploader by email and on their bell, once however often it arrives.
    transcoded(&world, &video).await;
    let announced = world.announcements.videos_ready.lock().unwrap().clone();
    let [ready_event] = announced.as_slice() else {
        panic!("{announced:?}")
    };
    assert_eq!(
        (
            ready_event.video_id.as_str(),
            ready_event.uploader.as_str(),
            ready_event.channel_handle.as_str(),
            ready_event.duration_ms
        ),
        (video.id.as_str(), "u-owner", "owner", Some(20_000))
    );
    world
        .platform
        .deliver_video_ready(ready_event)
        .await
        .unwrap();
    let emails = world.announcements.video_emails.lock().unwrap().clone();
    assert_eq!(
        emails
            .iter()
            .map(|e| (e.user_id.as_str(), e.video_id.as_str()))
            .collect::<Vec<_>>(),
        [("u-owner", video.id.as_str())]
    );
    // And to the browser where they turned push on.
    let pushed = world.announcements.pushes.lock().unwrap().clone();
    assert_eq!(
        pushed,
        [(
            "https://push.example.com/owner-laptop".to_owned(),
            Language::default(),
            video.id.to_string()
        )]
    );
    // SNS delivers at least once: a repeated delivery emails and pushes to nobody again.
    world
        .platform
        .deliver_video_ready(ready_event)
        .await
        .unwrap();
    assert_eq!(world.announcements.video_emails.lock().unwrap().len(), 1);
    assert_eq!(world.announcements.pushes.lock().unwrap().len(), 1);
    let bell = world
        .platform
        .notifications(&owner, None, 10)
        .await
        .unwrap();
    assert_eq!(bell.unread, 1);
    let [note] = bell.page.items.as_slice() else {
        panic!("{:?}", bell.page.items)
    };
    assert_eq!(
        note.kind,
        NotificationKind::VideoReady {
            video_id: video.id.clone()
        }
    );
    assert_eq!(
        (note.title.as_str(), note.channel_handle.as_str()),
        ("Trip to Jeju", "owner")
    );
    let viewers = world
        .platform
        .notifications(&viewer, None, 10)
        .await
        .unwrap();
    assert!(viewers.page.items.is_empty());
    let (listed, _) = world
        .platform
        .channel_videos("owner", None, None, 10)
        .await
        .unwrap();
    assert_eq!(ids(&listed.items), [video.id.to_string()]);

    // Deleted, it leaves the uploader's bell too (its item would lead nowhere).
    world
        .platform
        .delete_video(&owner, &video.id)
        .await
        .unwrap();
    let bell = world
        .platform
        .notifications(&owner, None, 10)
        .await
        .unwrap();
    assert!(bell.page.items.is_empty(), "{:?}", bell.page.items);
}

#[tokio::test]
async fn what_is_not_a_video_we_take_fails_with_its_reason_and_leaves_nothing() {
    let world = world();
    let (owner, _) = world.account("u-owner", "owner").await;
    let mut refused = Vec::new();
    for probe in [
        Err(Refusal::Unreadable),
        Ok(MediaInfo {
            video_codec: Some("mjpeg".into()),
            ..h264()
        }),
    ] {
        let video = uploaded_and_probed(&world, &owner, probe).await;
        let (failed, _) = world
            .platform
            .video(&video.id, Some(&owner.user_id))
            .await
            .unwrap();
        assert_eq!(failed.status, VideoStatus::Failed);
        refused.push(failed.failure.unwrap());
        assert!(
            world
                .uploads
                .deleted
                .lock()
                .unwrap()
                .contains(&video.id.to_string())
        );
    }
    assert_eq!(
        refused,
        [Refusal::Unreadable, Refusal::VideoCodec("mjpeg".into())]
    );
    assert!(world.uploads.jobs.lock().unwrap().is_empty());
    // The owner sees them with their reasons; viewers see nothing.
    let (mine, _) = world
        .platform
        .channel_videos("owner", Some(&owner.user_id), None, 10)
        .await
        .unwrap();
    assert_eq!(mine.items.len(), 2);
    let (theirs, _) = world
        .platform
        .channel_videos("owner", None, None, 10)
        .await
        .unwrap();
    assert!(theirs.items.is_empty());
}

#[tokio::test]
async fn a_failed_job_unpublishes_nothing_and_removes_its_outputs() {
    let world = world();
    let (owner, _) = world.account("u-owner", "owner").await;
    let video = uploaded_and_probed(&world, &owner, Ok(h264())).await;
    world
        .platform
        .video_failed(&video.id, Refusal::NotTranscoded)
        .await
        .unwrap();
    // A late "finished" for the failed job publishes nothing.
    world
        .platform
        .video_transcoded(
            &video.id,
            Transcoded {
                playlist_url: "https://cdn.test/x.m3u8".into(),
                thumbnail_url: None,
            },
        )
        .await
        .unwrap();
    let (failed, _) = world
        .platform
        .video(&video.id, Some(&owner.user_id))
        .await
        .unwrap();
    assert_eq!(failed.status, VideoStatus::Failed);
    assert_eq!(failed.playlist_url, None);
    assert_eq!(
        *world.uploads.outputs_deleted.lock().unwrap(),
        [video.id.to_string()]
    );
}

/// Starts racing each other (a hostile user sending them all at once) never take more than the
/// quota together: of eight 4 GiB files started at once, five fit in 20 GiB; the storage uploads
/// begun for the others are aborted. A video that failed frees its room.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn uploads_started_at_once_stay_within_the_quota_together() {
    let world = world();
    let (owner, _) = world.account("u-owner", "owner").await;
    let starts = (0..8).map(|_| {
        world
            .platform
            .start_video_upload(&owner, new_video(4 << 30))
    });
    let results = futures_util::future::join_all(starts).await;
    let started: Vec<&Video> = results
        .iter()
        .filter_map(|r| r.as_ref().ok().map(|upload| &upload.video))
        .collect();
    assert_eq!(started.len(), 5, "{results:?}");
    for refused in results.iter().filter(|r| r.is_err()) {
        assert_over_quota(refused);
    }
    let (mine, _) = world
        .platform
        .channel_videos("owner", Some(&owner.user_id), None, 100)
        .await
        .unwrap();
    assert_eq!(mine.items.len(), 5);
    assert_eq!(world.uploads.aborted.lock().unwrap().len(), 3);

    // One of them fails: its 4 GiB are free again.
    let failed = started[0];
    send_all(&world, failed);
    world
        .platform
        .complete_video_upload(&owner, &failed.id)
        .await
        .unwrap();
    *world.uploads.probed_as.lock().unwrap() = Some(Err(Refusal::Unreadable));
    world.platform.process_upload(&failed.id).await.unwrap();
    world
        .platform
        .start_video_upload(&owner, new_video(4 << 30))
        .await
        .unwrap();
    // And a deleted one too.
    world
        .platform
        .delete_video(&owner, &started[1].id)
        .await
        .unwrap();
    world
        .platform
        .start_video_upload(&owner, new_video(4 << 30))
        .await
        .unwrap();
    assert_over_quota(
        &world
            .platform
            .start_video_upload(&owner, new_video(1))
            .await,
    );
}

#[tokio::test]
async fn sizes_quotas_parts_and_other_peoples_uploads_are_checked() {
    let world = world();
    let (owner, _) = world.account("u-owner", "owner").await;
    let (other, _) = world.account("u-other", "other").await;
    let too_big = world
        .platform
        .start_video_upload(&owner, new_video((4 << 30) + 1))
        .await;
    assert!(
        matches!(
            too_big,
            Err(DomainError::Invalid {
                code: "invalid_video_size",
                ..
            })
        ),
        "{too_big:?}"
    );
    let empty = world
        .platform
        .start_video_upload(&owner, new_video(0))
        .await;
    assert!(matches!(empty, Err(DomainError::Invalid { .. })));
    let bad_title = world
        .platform
        .start_video_upload(
            &owner,
            NewVideo {
                title: "\u{202e}evil".into(),
                ..new_video(10)
            },
        )
        .await;
    assert!(matches!(bad_title, Err(DomainError::Invalid { .. })));

    // 4 GiB files: the fifth goes over the 20 GiB quota, and nothing is kept of it.
    for _ in 0..5 {
        world
            .platform
            .start_video_upload(&owner, new_video(4 << 30))
            .await
            .unwrap();
    }
    assert_over_quota(
        &world
            .platform
            .start_video_upload(&owner, new_video(1))
            .await,
    );
    let (mine, _) = world
        .platform
        .channel_videos("owner", Some(&owner.user_id), None, 100)
        .await
        .unwrap();
    assert_eq!(mine.items.len(), 5);

    let video = &mine.items[0];
    let outside = world
        .platform
        .video_part_urls(&owner, &video.id, &[0, 1])
        .await;
    assert!(matches!(
        outside,
        Err(DomainError::Invalid {
            code: "invalid_parts",
            ..
        })
    ));
    let too_many = world
        .platform
        .video_part_urls(&owner, &video.id, &(1..=51).collect::<Vec<_>>())
        .await;
    assert!(matches!(too_many, Err(DomainError::Invalid { .. })));
    // Someone else's upload does not exist for them.
    for refused in [
        world
            .platform
            .video_part_urls(&other, &video.id, &[1])
            .await
            .map(|_| ()),
        world
            .platform
            .complete_video_upload(&other, &video.id)
            .await
            .map(|_| ()),
        world.platform.delete_video(&other, &video.id).await,
    ] {
        assert!(
            matches!(refused, Err(DomainError::NotFound(_))),
            "{refused:?}"
        );
    }

    // Deleting an unfinished upload aborts it.
    world
        .platform
        .delete_video(&owner, &video.id)
        .await
        .unwrap();
    assert_eq!(
        *world.uploads.aborted.lock().unwrap(),
        [video.upload_id.clone().unwrap()]
    );
    assert!(matches!(
        world.platform.video(&video.id, Some(&owner.user_id)).await,
        Err(DomainError::NotFound(_))
    ));
}

#[tokio::test]
async fn a_private_video_is_for_the_channels_allowed_viewers_and_edits_keep_its_files() {
    let world = world();
    let (owner, _) = world.account("u-owner", "owner").await;
    let (friend, _) = world.account("u-friend", "friend").await;
    let (stranger, _) = world.account("u-stranger", "stranger").await;
    world.platform.grant_viewer(&owner, "friend").await.unwrap();
    let video = uploaded_and_probed(&world, &owner, Ok(h264())).await;
    transcoded(&world, &video).await;

    let (edited, _) = world
        .platform
        .edit_video(
            &owner,
            &video.id,
            VideoChange {
                title: Some("  Jeju, edited ".into()),
                private: Some(true),
                ..VideoChange::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(edited.title.as_str(), "Jeju, edited");
    assert_eq!(edited.description.as_str(), "Day one\nDay two");
    assert!(edited.private);
    assert!(
        world
            .platform
            .video(&video.id, Some(&friend.user_id))
            .await
            .is_ok()
    );
    for who in [Some(&stranger.user_id), None] {
        assert!(matches!(
            world.platform.video(&video.id, who).await,
            Err(DomainError::NotFound(_))
        ));
        let (listed, _) = world
            .platform
            .channel_videos("owner", who, None, 10)
            .await
            .unwrap();
        assert!(listed.items.is_empty());
    }
    let refused = world
        .platform
        .edit_video(&stranger, &video.id, VideoChange::default())
        .await;
    assert!(matches!(refused, Err(DomainError::NotFound(_))));

    world
        .platform
        .delete_video(&owner, &video.id)
        .await
        .unwrap();
    assert_eq!(
        *world.uploads.outputs_deleted.lock().unwrap(),
        [video.id.to_string()]
    );
    assert!(matches!(
        world.platform.video(&video.id, Some(&friend.user_id)).await,
        Err(DomainError::NotFound(_))
    ));
}

#[tokio::test]
async fn a_job_that_ends_after_its_video_was_deleted_leaves_no_files() {
    let world = world();
    let (owner, _) = world.account("u-owner", "owner").await;
    let video = uploaded_and_probed(&world, &owner, Ok(h264())).await;
    world
        .platform
        .delete_video(&owner, &video.id)
        .await
        .unwrap();
    // The job (a cloud job is not stopped from here) finishes and writes its files anyway.
    transcoded(&world, &video).await;
    assert_eq!(
        *world.uploads.outputs_deleted.lock().unwrap(),
        [video.id.to_string(), video.id.to_string()]
    );
    assert!(matches!(
        world.platform.video(&video.id, Some(&owner.user_id)).await,
        Err(DomainError::NotFound(_))
    ));
}
