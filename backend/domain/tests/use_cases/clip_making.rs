use cloumer_domain::DomainError;
use cloumer_domain::clip::{Clip, ClipStatus};
use cloumer_domain::ids::{ChannelId, RecordingId, StreamId};
use cloumer_domain::live::StreamEventKind;
use cloumer_domain::recording::{RecordingEvent, RecordingEventKind};
use time::Duration;

use crate::world::{World, world};

/// A media playlist of `n` 4-second segments, as the local recorder writes one.
pub fn vod(n: usize) -> String {
    let mut text = String::from(
        "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:4\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:VOD\n",
    );
    for i in 0..n {
        text.push_str(&format!("#EXTINF:4.000000,\nseg_{i:05}.ts\n"));
    }
    text.push_str("#EXT-X-ENDLIST\n");
    text
}

/// A finished recording of `seconds` whose main playlist is `main` (kept as `index.m3u8`).
pub async fn recorded(world: &World, channel: &ChannelId, id: &str, seconds: u64, main: &str) {
    world.files.put_playlist(id, "index.m3u8", main);
    for kind in [RecordingEventKind::Started, RecordingEventKind::Ended] {
        world.advance(Duration::seconds(1));
        recorder_says(world, channel, id, kind, seconds).await;
    }
}

/// The recorder tells the platform `kind` of recording `id` (of `seconds`, once ended), now.
async fn recorder_says(
    world: &World,
    channel: &ChannelId,
    id: &str,
    kind: RecordingEventKind,
    seconds: u64,
) {
    world
        .platform
        .handle_recording_event(&recording_event(world, channel, id, kind, seconds))
        .await
        .unwrap();
}

pub fn recording_event(
    world: &World,
    channel: &ChannelId,
    id: &str,
    kind: RecordingEventKind,
    seconds: u64,
) -> RecordingEvent {
    let ended = kind == RecordingEventKind::Ended;
    RecordingEvent {
        channel_id: channel.clone(),
        recording_id: RecordingId::parse(id).unwrap(),
        stream_id: Some(StreamId::parse(&format!("st-{id}")).unwrap()),
        kind,
        at: world.platform.now(),
        duration_ms: ended.then_some(seconds * 1000),
        playlist_url: ended.then(|| format!("/recordings/{channel}/{id}/index.m3u8")),
        thumbnail_url: ended.then(|| format!("/recordings/{channel}/{id}/thumb.jpg")),
        live_thumbnail_url: None,
        private: None,
    }
}

/// The recorder starts recording `id` of `channel`'s broadcast, now.
pub async fn recording_started(world: &World, channel: &ChannelId, id: &str) {
    recorder_says(world, channel, id, RecordingEventKind::Started, 0).await;
}

/// The recorder ends recording `id` of `channel` after `seconds`, its playlist written (4-second
/// segments), now.
pub async fn recording_ended(world: &World, channel: &ChannelId, id: &str, seconds: u64) {
    world
        .files
        .put_playlist(id, "index.m3u8", &vod((seconds / 4) as usize));
    recorder_says(world, channel, id, RecordingEventKind::Ended, seconds).await;
}

fn recording(id: &str) -> RecordingId {
    RecordingId::parse(id).unwrap()
}

#[tokio::test]
async fn a_viewer_clips_a_past_broadcast_from_its_own_segments() {
    let world = world();
    let (_, account) = world.account("u-owner", "owner").await;
    let (viewer, _) = world.account("u-viewer", "viewer").await;
    let channel = account.channel.id;
    recorded(&world, &channel, "rec1", 40, &vod(10)).await;

    let clip = world
        .platform
        .clip_recording(&viewer, &recording("rec1"), "  그 장면 ", 9_000, 21_000)
        .await
        .unwrap();
    assert_eq!(clip.status, ClipStatus::Ready);
    assert_eq!(clip.title.as_str(), "그 장면");
    assert_eq!(clip.clipper_handle.as_deref(), Some("viewer"));
    // Whole segments: 8–24 s covers 9–21 s.
    assert_eq!((clip.start_ms, clip.duration_ms), (8_000, 16_000));
    let file = format!("clip-{}.m3u8", clip.id);
    assert_eq!(
        clip.playlist_url.as_deref(),
        Some(format!("/recordings/{channel}/rec1/{file}").as_str())
    );
    // Its picture shows its moment: a second into it.
    let picture = format!("clip-{}.jpg", clip.id);
    assert_eq!(
        clip.thumbnail_url.as_deref(),
        Some(format!("/pictures/rec1/{picture}?at=9000").as_str())
    );
    assert_eq!(clip.files, [file.clone(), picture]);
    let text = world.files.playlist("rec1", &file).unwrap();
    let segments: Vec<&str> = text.lines().filter(|l| l.starts_with("seg_")).collect();
    assert_eq!(
        segments,
        [
            "seg_00002.ts",
            "seg_00003.ts",
            "seg_00004.ts",
            "seg_00005.ts"
        ]
    );
    assert!(text.ends_with("#EXT-X-ENDLIST\n"));

    let (page, _) = world
        .platform
        .channel_clips("owner", None, None, 10)
        .await
        .unwrap();
    assert_eq!(page.items, std::slice::from_ref(&clip));
    let (seen, _) = world.platform.clip(&clip.id, None).await.unwrap();
    assert_eq!(seen, clip);
}

#[tokio::test]
async fn a_multivariant_recording_gets_a_clip_playlist_per_quality() {
    let world = world();
    let (_, account) = world.account("u-owner", "owner").await;
    let (viewer, _) = world.account("u-viewer", "viewer").await;
    let master = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=800000,RESOLUTION=640x360\n360p30/playlist.m3u8\n#EXT-X-STREAM-INF:BANDWIDTH=300000,RESOLUTION=284x160\n160p30/playlist.m3u8\n";
    for quality in ["360p30", "160p30"] {
        world
            .files
            .put_playlist("rec1", &format!("{quality}/playlist.m3u8"), &vod(10));
    }
    recorded(&world, &account.channel.id, "rec1", 40, master).await;

    let clip = world
        .platform
        .clip_recording(&viewer, &recording("rec1"), "both", 0, 10_000)
        .await
        .unwrap();
    let file = format!("clip-{}.m3u8", clip.id);
    let own = world.files.playlist("rec1", &file).unwrap();
    assert!(own.contains(&format!("360p30/{file}")) && own.contains(&format!("160p30/{file}")));
    for quality in ["360p30", "160p30"] {
        let media = world
            .files
            .playlist("rec1", &format!("{quality}/{file}"))
            .unwrap();
        assert_eq!(media.matches("#EXTINF").count(), 3, "{quality}: {media}");
    }
    assert_eq!(clip.files.len(), 4);
    assert_eq!(clip.duration_ms, 12_000);
}

#[tokio::test]
async fn a_bad_range_or_title_is_refused_and_nothing_is_kept() {
    let world = world();
    let (_, account) = world.account("u-owner", "owner").await;
    let (viewer, _) = world.account("u-viewer", "viewer").await;
    recorded(&world, &account.channel.id, "rec1", 40, &vod(10)).await;
    for (title, start, end, code) in [
        ("t", 30_000, 10_000, "invalid_clip_range"),
        ("t", 0, 61_000, "invalid_clip_range"),
        ("t", 0, 2_000, "invalid_clip_range"),
        ("t", 30_000, 41_000, "invalid_clip_range"),
        ("", 0, 10_000, "invalid_clip_title"),
        ("\u{202e}evil", 0, 10_000, "invalid_clip_title"),
    ] {
        let refused = world
            .platform
            .clip_recording(&viewer, &recording("rec1"), title, start, end)
            .await;
        assert!(
            matches!(&refused, Err(DomainError::Invalid { code: c, .. }) if *c == code),
            "{title:?} {start}..{end}: {refused:?}"
        );
    }
    let missing = world
        .platform
        .clip_recording(&viewer, &recording("nope"), "t", 0, 10_000)
        .await;
    assert!(
        matches!(missing, Err(DomainError::NotFound(_))),
        "{missing:?}"
    );
    let (page, _) = world
        .platform
        .channel_clips("owner", None, None, 10)
        .await
        .unwrap();
    assert!(page.items.is_empty());
    assert_eq!(world.files.keys(), ["recordings/rec1/index.m3u8"]);
}

#[tokio::test]
async fn a_clip_without_a_picture_of_its_own_shows_its_broadcasts() {
    let world = world();
    let (_, account) = world.account("u-owner", "owner").await;
    let (viewer, _) = world.account("u-viewer", "viewer").await;
    recorded(&world, &account.channel.id, "rec1", 40, &vod(10)).await;
    world
        .files
        .fail_puts
        .store(true, std::sync::atomic::Ordering::SeqCst);
    let refused = world
        .platform
        .clip_recording(&viewer, &recording("rec1"), "t", 0, 10_000)
        .await;
    assert!(
        refused.is_err(),
        "a playlist that cannot be written: {refused:?}"
    );
    // Nothing is left of the refused clip.
    let (page, _) = world
        .platform
        .channel_clips("owner", None, None, 10)
        .await
        .unwrap();
    assert!(page.items.is_empty());
    world
        .files
        .fail_puts
        .store(false, std::sync::atomic::Ordering::SeqCst);
    world
        .files
        .no_pictures
        .store(true, std::sync::atomic::Ordering::SeqCst);
    let clip = world
        .platform
        .clip_recording(&viewer, &recording("rec1"), "t", 0, 10_000)
        .await
        .unwrap();
    assert_eq!(
        clip.thumbnail_url.as_deref(),
        Some(format!("/recordings/{}/rec1/thumb.jpg", account.channel.id).as_str())
    );
    assert_eq!(clip.files.len(), 1);
}

#[tokio::test]
async fn a_live_clip_takes_the_last_half_minute_and_plays_once_the_recording_ends() {
    let world = world();
    let (_, account) = world.account("u-owner", "owner").await;
    let (viewer, _) = world.account("u-viewer", "viewer").await;
    let channel = account.channel.id;
    let not_live = world.platform.clip_live(&viewer, "owner", "now").await;
    assert!(
        matches!(
            &not_live,
            Err(DomainError::Conflict {
                code: "not_live",
                ..
            })
        ),
        "{not_live:?}"
    );
    world
        .stream_event(&channel, "st-rec1", StreamEventKind::Start)
        .await;
    // The channel records, but its recording's start is announced after the stream's: a clip
    // asked for in between is early, not refused for good.
    let early = world.platform.clip_live(&viewer, "owner", "now").await;
    assert!(
        matches!(
            &early,
            Err(DomainError::Invalid {
                code: "invalid_clip_range",
                ..
            })
        ),
        "{early:?}"
    );
    recording_started(&world, &channel, "rec1").await;
    world.advance(Duration::seconds(50));

    let clip = world
        .platform
        .clip_live(&viewer, "owner", "that was close")
        .await
        .unwrap();
    assert_eq!(clip.status, ClipStatus::Pending);
    assert_eq!((clip.start_ms, clip.duration_ms), (20_000, 30_000));
    assert_eq!(clip.playlist_url, None);
    // Not playable yet, but there: its page says it is coming.
    let (seen, _) = world.platform.clip(&clip.id, None).await.unwrap();
    assert_eq!(seen.status, ClipStatus::Pending);

    // The recording ends (it came out two seconds shorter than the clock said).
    world.advance(Duration::seconds(10));
    recording_ended(&world, &channel, "rec1", 48).await;
    let stored: Clip = world.platform.clip(&clip.id, None).await.unwrap().0;
    assert_eq!(stored.status, ClipStatus::Ready);
    assert_eq!((stored.start_ms, stored.duration_ms), (16_000, 32_000));
    assert!(stored.playlist_url.is_some());
}

#[tokio::test]
async fn clips_are_rate_limited_per_user() {
    let world = world();
    let (_, account) = world.account("u-owner", "owner").await;
    let (keen, _) = world.account("u-keen", "keen").await;
    let (other, _) = world.account("u-other", "other").await;
    recorded(&world, &account.channel.id, "rec1", 40, &vod(10)).await;
    let rec = recording("rec1");
    let clip = |who| world.platform.clip_recording(who, &rec, "again", 0, 10_000);
    for _ in 0..10 {
        clip(&keen).await.unwrap();
    }
    assert!(matches!(
        clip(&keen).await,
        Err(DomainError::RateLimited { .. })
    ));
    clip(&other).await.unwrap();
    world.advance(Duration::minutes(10));
    clip(&keen).await.unwrap();
}

#[tokio::test]
async fn a_live_broadcast_that_is_not_being_recorded_cannot_be_clipped() {
    let world = world();
    let (_, account) = world.account("u-owner", "owner").await;
    let (viewer, _) = world.account("u-viewer", "viewer").await;
    world
        .stream_event(&account.channel.id, "st-rec1", StreamEventKind::Start)
        .await;
    // Long past when its recording would have begun.
    world.advance(Duration::minutes(2));
    let unrecorded = world.platform.clip_live(&viewer, "owner", "now").await;
    assert!(
        matches!(
            &unrecorded,
            Err(DomainError::Conflict {
                code: "not_recording",
                ..
            })
        ),
        "{unrecorded:?}"
    );
}
