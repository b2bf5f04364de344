//! Past broadcasts.

use super::*;

fn recording(id: &str, channel: &ChannelId, minute: i64, private: bool) -> Recording {
    Recording {
        id: RecordingId::parse(id).unwrap(),
        channel_id: channel.clone(),
        stream_id: Some(StreamId::parse(&format!("st-{id}")).unwrap()),
        title: crate::channel::StreamTitle::parse("지난 방송").unwrap(),
        category: crate::channel::Category::parse("Music").unwrap(),
        private,
        status: RecordingStatus::Recording,
        started_at: Some(t(minute)),
        ended_at: None,
        duration_ms: None,
        playlist_url: Some(format!("https://cdn.example/{id}/master.m3u8")),
        thumbnail_url: None,
        markers: Vec::new(),
        audience: Default::default(),
    }
}

/// Conditional puts, per-channel and global listings newest first, paging.
pub async fn recording_repository(repo: &dyn RecordingRepository) {
    let a = ChannelId::parse("chreca").unwrap();
    let b = ChannelId::parse("chrecb").unwrap();
    let r1 = recording("r1", &a, 1, false);
    repo.put_recording(&r1, None).await.unwrap();
    // Creating it again is a conflict: someone else created it first.
    assert!(matches!(
        repo.put_recording(&r1, None).await,
        Err(WriteError::VersionMismatch)
    ));
    let mut ended = r1.clone();
    ended.status = RecordingStatus::Ended;
    ended.ended_at = Some(t(30));
    ended.duration_ms = Some(29 * 60_000);
    repo.put_recording(&ended, Some(&r1)).await.unwrap();
    // An update based on an outdated read is refused.
    assert!(matches!(
        repo.put_recording(&r1, Some(&r1)).await,
        Err(WriteError::VersionMismatch)
    ));
    assert_eq!(
        repo.get_recording(&r1.id).await.unwrap(),
        Some(ended.clone())
    );

    repo.put_recording(&recording("r2", &b, 2, true), None)
        .await
        .unwrap();
    repo.put_recording(&recording("r3", &a, 3, false), None)
        .await
        .unwrap();
    repo.put_recording(&recording("r4", &a, 4, false), None)
        .await
        .unwrap();

    let ids = |page: &crate::page::Page<Recording, _>| -> Vec<String> {
        page.items
            .iter()
            .map(|r| r.id.as_str().to_owned())
            .collect()
    };
    let first = repo.list_channel_recordings(&a, None, 2).await.unwrap();
    assert_eq!(ids(&first), ["r4", "r3"]);
    let rest = repo
        .list_channel_recordings(&a, first.next.as_ref(), 2)
        .await
        .unwrap();
    assert_eq!(ids(&rest), ["r1"]);
    assert_eq!(rest.next, None);
    // The record found through the listing is the latest version.
    assert_eq!(rest.items[0].status, RecordingStatus::Ended);

    let recent = repo.list_recent_recordings(None, 3).await.unwrap();
    assert_eq!(ids(&recent), ["r4", "r3", "r2"]);
    let older = repo
        .list_recent_recordings(recent.next.as_ref(), 3)
        .await
        .unwrap();
    assert_eq!(ids(&older), ["r1"]);
    assert_eq!(
        repo.get_recording(&RecordingId::parse("nope").unwrap())
            .await
            .unwrap(),
        None
    );

    // Erased for good: gone from both lists; again harmless. The caller's copy may be older.
    repo.erase_recording(&r1).await.unwrap();
    repo.erase_recording(&r1).await.unwrap();
    assert_eq!(repo.get_recording(&r1.id).await.unwrap(), None);
    let left = repo.list_channel_recordings(&a, None, 10).await.unwrap();
    assert_eq!(ids(&left), ["r4", "r3"]);
    let recent = repo.list_recent_recordings(None, 10).await.unwrap();
    assert_eq!(ids(&recent), ["r4", "r3", "r2"]);
}
