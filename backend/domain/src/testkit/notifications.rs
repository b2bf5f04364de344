//! Notifications.

use super::*;
use crate::ids::VideoId;
use crate::notification::{Notification, NotificationKind};
use crate::ports::NotificationRepository;
use crate::report::{ReportAction, ReportReason, ReportSubject};

pub fn notification(user: &str, channel: &str, minute: i64) -> Notification {
    Notification {
        user_id: UserId::parse(user).unwrap(),
        channel_id: ChannelId::parse(channel).unwrap(),
        kind: NotificationKind::WentLive {
            stream_id: StreamId::parse(&format!("st-{minute}")).unwrap(),
        },
        created_at: t(minute),
        channel_handle: format!("{channel}_handle"),
        owner_nickname: "방송인".into(),
        owner_avatar: "preset:fox".into(),
        title: "오늘의 방송".into(),
    }
}

/// Many users' notifications in one write, each user's listed newest first in pages, writes
/// repeated without doubling, the seen mark, and a notification added only once.
pub async fn notification_repository(repo: &dyn NotificationRepository) {
    let user = UserId::parse("nuser").unwrap();
    // More than one DynamoDB batch (25) in one call.
    let mut batch: Vec<Notification> = (0..30)
        .map(|i| notification(&format!("nother{i}"), "nchana", 1))
        .collect();
    batch.push(notification("nuser", "nchana", 1));
    batch.push(notification("nuser", "nchanb", 2));
    repo.put_notifications(&batch).await.unwrap();
    repo.put_notifications(&[notification("nuser", "nchana", 3)])
        .await
        .unwrap();
    repo.put_notifications(&[notification("nuser", "nchana", 3)])
        .await
        .unwrap();
    repo.put_notifications(&[]).await.unwrap();
    let first = repo.list_notifications(&user, None, 2).await.unwrap();
    assert_eq!(
        first.items,
        [
            notification("nuser", "nchana", 3),
            notification("nuser", "nchanb", 2)
        ]
    );
    let rest = repo
        .list_notifications(&user, first.next.as_ref(), 2)
        .await
        .unwrap();
    assert_eq!(rest.items, [notification("nuser", "nchana", 1)]);
    assert_eq!(rest.next, None);
    let other = repo
        .list_notifications(&UserId::parse("nother29").unwrap(), None, 10)
        .await
        .unwrap();
    assert_eq!(other.items, [notification("nother29", "nchana", 1)]);

    assert_eq!(repo.seen_at(&user).await.unwrap(), None);
    repo.set_seen_at(&user, t(2)).await.unwrap();
    assert_eq!(repo.seen_at(&user).await.unwrap(), Some(t(2)));
    repo.set_seen_at(&user, t(5)).await.unwrap();
    assert_eq!(repo.seen_at(&user).await.unwrap(), Some(t(5)));

    // Each kind reads back as it was written.
    let ready = Notification {
        kind: NotificationKind::VideoReady {
            video_id: VideoId::parse("vdready1").unwrap(),
        },
        created_at: t(6),
        ..notification("nuser", "nchanb", 6)
    };
    let raided = Notification {
        kind: NotificationKind::Raided { raid_viewers: 12 },
        created_at: t(5),
        ..notification("nuser", "nchanb", 5)
    };
    repo.put_notifications(&[ready.clone(), raided.clone()])
        .await
        .unwrap();
    let newest = repo.list_notifications(&user, None, 3).await.unwrap();
    assert_eq!(
        newest.items,
        [ready, raided, notification("nuser", "nchana", 3)]
    );
    // What staff decided, as the reporter and the maker are told it.
    let clip = ReportSubject::Clip(crate::ids::ClipId::parse("clstaff1").unwrap());
    let decided: Vec<Notification> = [
        NotificationKind::ReportReviewed {
            reported: clip.clone(),
            outcome: ReportAction::Removed,
        },
        NotificationKind::TakenDown {
            taken_down: clip,
            ground: ReportReason::ChildSafety,
        },
        NotificationKind::Suspended {
            suspended_for: ReportReason::Hate,
            suspended_until: Some(
                time::OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap(),
            ),
        },
        NotificationKind::SuspensionLifted {
            lifted_suspension: ReportReason::Hate,
        },
    ]
    .into_iter()
    .zip(["nchand", "nchane", "nchanf", "nchang"])
    .map(|(kind, channel)| Notification {
        kind,
        ..notification("nstaffed", channel, 1)
    })
    .collect();
    repo.put_notifications(&decided).await.unwrap();
    let staffed = UserId::parse("nstaffed").unwrap();
    let mut read = repo
        .list_notifications(&staffed, None, 10)
        .await
        .unwrap()
        .items;
    read.reverse();
    assert_eq!(read, decided);

    // Added once: the same user, channel and time again is not new, and changes nothing.
    let added = notification("nuser", "nchanc", 7);
    assert!(repo.add_notification(&added).await.unwrap());
    let mut again = added.clone();
    again.title = "다른 제목".into();
    assert!(!repo.add_notification(&again).await.unwrap());
    assert!(
        !repo
            .add_notification(&notification("nuser", "nchana", 3))
            .await
            .unwrap()
    );
    let newest = repo.list_notifications(&user, None, 1).await.unwrap();
    assert_eq!(newest.items, std::slice::from_ref(&added));
    // Removed: gone from the list; removing it again is no error.
    repo.remove_notification(&added).await.unwrap();
    repo.remove_notification(&added).await.unwrap();
    let newest = repo.list_notifications(&user, None, 1).await.unwrap();
    assert_eq!(newest.items[0].created_at, t(6));

    // Erasing a user's notifications takes their seen mark too, and nobody else's.
    repo.set_seen_at(&user, t(9)).await.unwrap();
    repo.erase_notifications(&user).await.unwrap();
    repo.erase_notifications(&user).await.unwrap();
    assert!(
        repo.list_notifications(&user, None, 10)
            .await
            .unwrap()
            .items
            .is_empty()
    );
    assert_eq!(repo.seen_at(&user).await.unwrap(), None);
    let other = repo
        .list_notifications(&UserId::parse("nother29").unwrap(), None, 10)
        .await
        .unwrap();
    assert_eq!(other.items.len(), 1);
}
