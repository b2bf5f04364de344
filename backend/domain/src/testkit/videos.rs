//! Uploaded videos.

use super::*;
use crate::ids::VideoId;
use crate::ports::VideoRepository;
use crate::video::{Video, VideoDescription, VideoStatus, VideoTitle};

pub fn video(id: &str, channel: &ChannelId, minute: i64) -> Video {
    Video {
        id: VideoId::parse(id).unwrap(),
        channel_id: channel.clone(),
        uploader: UserId::parse("u-uploader").unwrap(),
        title: VideoTitle::parse("여행 영상").unwrap(),
        description: VideoDescription::parse("line one\nline two").unwrap(),
        private: false,
        file_name: "trip.mp4".into(),
        size_bytes: 40 << 20,
        upload_id: Some("upload-1".into()),
        status: VideoStatus::Uploading,
        progress: 0,
        failure: None,
        duration_ms: None,
        created_at: t(minute),
        updated_at: t(minute),
        playlist_url: None,
        thumbnail_url: None,
    }
}

/// Conditional puts, a channel's videos newest first in pages, deletion.
pub async fn video_repository(repo: &dyn VideoRepository) {
    let a = ChannelId::parse("chvida").unwrap();
    let b = ChannelId::parse("chvidb").unwrap();
    let v1 = video("vd1", &a, 1);
    repo.put_video(&v1, None).await.unwrap();
    assert!(matches!(
        repo.put_video(&v1, None).await,
        Err(WriteError::VersionMismatch)
    ));
    let ready = Video {
        status: VideoStatus::Ready,
        progress: 100,
        upload_id: None,
        duration_ms: Some(20_000),
        playlist_url: Some("https://cdn.example/videos/vd1/index.m3u8".into()),
        updated_at: t(9),
        ..v1.clone()
    };
    repo.put_video(&ready, Some(&v1)).await.unwrap();
    // A write based on an outdated read is refused.
    assert!(matches!(
        repo.put_video(&v1, Some(&v1)).await,
        Err(WriteError::VersionMismatch)
    ));
    assert_eq!(repo.get_video(&v1.id).await.unwrap(), Some(ready.clone()));

    for (id, channel, minute) in [("vd2", &b, 2), ("vd3", &a, 3), ("vd4", &a, 4)] {
        repo.put_video(&video(id, channel, minute), None)
            .await
            .unwrap();
    }
    let ids = |page: &crate::page::Page<Video, _>| -> Vec<String> {
        page.items
            .iter()
            .map(|v| v.id.as_str().to_owned())
            .collect()
    };
    let first = repo.list_channel_videos(&a, None, 2).await.unwrap();
    assert_eq!(ids(&first), ["vd4", "vd3"]);
    let rest = repo
        .list_channel_videos(&a, first.next.as_ref(), 2)
        .await
        .unwrap();
    assert_eq!(ids(&rest), ["vd1"]);
    assert_eq!(rest.next, None);
    assert_eq!(rest.items[0], ready);

    repo.delete_video(&ready).await.unwrap();
    repo.delete_video(&ready).await.unwrap();
    assert_eq!(repo.get_video(&v1.id).await.unwrap(), None);
    assert_eq!(
        ids(&repo.list_channel_videos(&a, None, 10).await.unwrap()),
        ["vd4", "vd3"]
    );
    assert_eq!(
        ids(&repo.list_channel_videos(&b, None, 10).await.unwrap()),
        ["vd2"]
    );
}
