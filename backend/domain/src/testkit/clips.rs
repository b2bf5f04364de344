//! Clips.

use super::*;
use crate::clip::{Clip, ClipStatus, ClipTitle};
use crate::ids::ClipId;
use crate::ports::ClipRepository;

pub fn clip(id: &str, channel: &ChannelId, minute: i64) -> Clip {
    Clip {
        id: ClipId::parse(id).unwrap(),
        channel_id: channel.clone(),
        recording_id: RecordingId::parse("rec1").unwrap(),
        title: ClipTitle::parse("그 장면").unwrap(),
        clipper: UserId::parse("u-clipper").unwrap(),
        clipper_handle: Some("clipper".into()),
        private: false,
        status: ClipStatus::Pending,
        start_ms: 10_000,
        duration_ms: 30_000,
        created_at: t(minute),
        playlist_url: None,
        thumbnail_url: None,
        files: Vec::new(),
    }
}

/// Conditional puts, a channel's clips newest first in pages, deletion.
pub async fn clip_repository(repo: &dyn ClipRepository) {
    let a = ChannelId::parse("chclipa").unwrap();
    let b = ChannelId::parse("chclipb").unwrap();
    let c1 = clip("cl1", &a, 1);
    repo.put_clip(&c1, None).await.unwrap();
    assert!(matches!(
        repo.put_clip(&c1, None).await,
        Err(WriteError::VersionMismatch)
    ));
    let ready = Clip {
        status: ClipStatus::Ready,
        playlist_url: Some("https://cdn.example/rec1/clip-cl1.m3u8".into()),
        files: vec!["clip-cl1.m3u8".into()],
        ..c1.clone()
    };
    repo.put_clip(&ready, Some(&c1)).await.unwrap();
    // A write based on an outdated read is refused.
    assert!(matches!(
        repo.put_clip(&c1, Some(&c1)).await,
        Err(WriteError::VersionMismatch)
    ));
    assert_eq!(repo.get_clip(&c1.id).await.unwrap(), Some(ready.clone()));

    for (id, channel, minute) in [("cl2", &b, 2), ("cl3", &a, 3), ("cl4", &a, 4)] {
        repo.put_clip(&clip(id, channel, minute), None)
            .await
            .unwrap();
    }
    let ids = |page: &crate::page::Page<Clip, _>| -> Vec<String> {
        page.items
            .iter()
            .map(|c| c.id.as_str().to_owned())
            .collect()
    };
    let first = repo.list_channel_clips(&a, None, 2).await.unwrap();
    assert_eq!(ids(&first), ["cl4", "cl3"]);
    let rest = repo
        .list_channel_clips(&a, first.next.as_ref(), 2)
        .await
        .unwrap();
    assert_eq!(ids(&rest), ["cl1"]);
    assert_eq!(rest.next, None);
    assert_eq!(rest.items[0], ready);

    repo.delete_clip(&ready).await.unwrap();
    repo.delete_clip(&ready).await.unwrap();
    assert_eq!(repo.get_clip(&c1.id).await.unwrap(), None);
    let after = repo.list_channel_clips(&a, None, 10).await.unwrap();
    assert_eq!(ids(&after), ["cl4", "cl3"]);
    assert_eq!(
        ids(&repo.list_channel_clips(&b, None, 10).await.unwrap()),
        ["cl2"]
    );
}
