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

/// Conditional puts, a channel's videos newest first in pages, deletion; the bytes each
/// channel's videos take, kept by every write and held to a quota by creation even when
/// creations race.
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

    // Bytes: a has vd3 and vd4 left.
    let size = v1.size_bytes;
    assert_eq!(repo.stored_video_bytes(&a).await.unwrap(), 2 * size);
    assert_eq!(repo.stored_video_bytes(&b).await.unwrap(), size);
    // A failed video takes nothing, and deleting it gives nothing back.
    let vd3 = video("vd3", &a, 3);
    let failed = Video {
        status: VideoStatus::Failed,
        ..vd3.clone()
    };
    repo.put_video(&failed, Some(&vd3)).await.unwrap();
    assert_eq!(repo.stored_video_bytes(&a).await.unwrap(), size);
    repo.delete_video(&failed).await.unwrap();
    assert_eq!(repo.stored_video_bytes(&a).await.unwrap(), size);
    // Creation within a quota of three videos' bytes.
    let quota = 3 * size;
    assert!(
        repo.create_video(&video("vd5", &a, 5), quota)
            .await
            .unwrap()
    );
    assert!(
        repo.create_video(&video("vd6", &a, 6), quota)
            .await
            .unwrap()
    );
    assert!(
        !repo
            .create_video(&video("vd7", &a, 7), quota)
            .await
            .unwrap()
    );
    assert_eq!(
        repo.get_video(&VideoId::parse("vd7").unwrap())
            .await
            .unwrap(),
        None
    );
    assert!(matches!(
        repo.create_video(&video("vd5", &a, 5), 100 * quota).await,
        Err(WriteError::VersionMismatch)
    ));
    assert_eq!(repo.stored_video_bytes(&a).await.unwrap(), quota);
    // Deleting gives its bytes back (once, however often it is deleted).
    let vd5 = video("vd5", &a, 5);
    repo.delete_video(&vd5).await.unwrap();
    repo.delete_video(&vd5).await.unwrap();
    assert_eq!(repo.stored_video_bytes(&a).await.unwrap(), 2 * size);

    // Eight creations at once, room for five: five are stored.
    let c = ChannelId::parse("chvidc").unwrap();
    let racing: Vec<Video> = (0..8)
        .map(|i| video(&format!("vdrace{i}"), &c, 10 + i))
        .collect();
    let created =
        futures_util::future::join_all(racing.iter().map(|v| repo.create_video(v, 5 * size))).await;
    let stored = created.iter().filter(|r| matches!(r, Ok(true))).count();
    assert_eq!(stored, 5, "{created:?}");
    assert_eq!(repo.stored_video_bytes(&c).await.unwrap(), 5 * size);
    assert_eq!(
        repo.list_channel_videos(&c, None, 10)
            .await
            .unwrap()
            .items
            .len(),
        5
    );
}
