//! Behaviour every store adapter must have. The embedded store and the DynamoDB store both run
//! these against themselves, so the local stack and the cloud agree on what a write means.

use std::collections::BTreeMap;

use time::{Duration, OffsetDateTime};

use crate::channel::{Channel, ChatRoom, VideoChannel};
use crate::chat::StoredMessage;
use crate::error::WriteError;
use crate::handle::ChannelHandle;
use crate::ids::{ChannelId, MessageId, RecordingId, StreamId, UserId};
use crate::moderation::Ban;
use crate::playback::ViewerGrant;
use crate::ports::{ChannelRepository, ChatRepository, RecordingRepository};
use crate::profile::{Avatar, Language, Nickname, Profile};
use crate::recording::{Recording, RecordingStatus};

fn t(minutes: i64) -> OffsetDateTime {
    // Whole microseconds: what every store keeps exactly.
    OffsetDateTime::from_unix_timestamp(1_790_000_000).unwrap() + Duration::minutes(minutes)
}

pub fn profile(user: &str) -> Profile {
    let user_id = UserId::parse(user).unwrap();
    Profile {
        avatar: Avatar::default_for(&user_id),
        user_id,
        username: format!("{user}-login"),
        nickname: Nickname::parse(&format!("{user} 님")).unwrap(),
        language: Language::Ko,
    }
}

pub fn channel(owner: &str, handle: &str, created_minute: i64) -> Channel {
    let mut channel = Channel::new(
        &profile(owner),
        ChannelHandle::parse(handle).unwrap(),
        t(created_minute),
    );
    channel.chat_room = Some(ChatRoom {
        arn: format!("arn:aws:ivschat:us-east-1:123456789012:room/{}", channel.id),
    });
    channel.video = Some(VideoChannel {
        arn: format!("arn:aws:ivs:us-east-1:123456789012:channel/{}", channel.id),
        ingest_server: "rtmps://example.global-contribute.live-video.net:443/app/".into(),
        playback_url: "https://example.m3u8".into(),
    });
    channel
}

fn go_live(channel: &mut Channel, minute: i64) {
    channel.live.stream_id = Some(StreamId::parse(&format!("st-{minute}")).unwrap());
    channel.live.started_at = Some(t(minute));
    channel.live.ended_at = None;
}

/// Profiles, channels, handles, versions, live listing, activity paging and grants.
pub async fn channel_repository(repo: &dyn ChannelRepository) {
    // Profiles round-trip, Korean text included.
    let alice = profile("alice");
    assert_eq!(repo.get_profile(&alice.user_id).await.unwrap(), None);
    repo.put_profile(&alice).await.unwrap();
    assert_eq!(
        repo.get_profile(&alice.user_id).await.unwrap(),
        Some(alice.clone())
    );

    // A channel is found by id, handle, owner and chat room.
    let mut a = channel("alice", "alice", 0);
    repo.create_channel(&a).await.unwrap();
    assert_eq!(repo.get_channel(&a.id).await.unwrap(), Some(a.clone()));
    assert_eq!(
        repo.find_channel_by_handle(&a.handle).await.unwrap(),
        Some(a.clone())
    );
    assert_eq!(
        repo.find_channel_by_owner(&a.owner).await.unwrap(),
        Some(a.clone())
    );
    let room = a.chat_room.clone().unwrap().arn;
    assert_eq!(
        repo.find_channel_by_room(&room).await.unwrap(),
        Some(a.clone())
    );
    assert_eq!(
        repo.find_channel_by_room("arn:nothing").await.unwrap(),
        None
    );

    // Handles are unique, one channel per owner, and a refused create leaves nothing behind.
    let clash = channel("bob", "alice", 1);
    assert!(matches!(
        repo.create_channel(&clash).await,
        Err(WriteError::HandleTaken)
    ));
    assert_eq!(repo.get_channel(&clash.id).await.unwrap(), None);
    assert_eq!(
        repo.find_channel_by_owner(&clash.owner).await.unwrap(),
        None
    );
    let second = channel("alice", "alice_two", 1);
    assert!(matches!(
        repo.create_channel(&second).await,
        Err(WriteError::ChannelExists)
    ));
    assert_eq!(
        repo.find_channel_by_handle(&second.handle).await.unwrap(),
        None,
        "a refused create must not reserve its handle"
    );

    // Updates are conditional on the version read.
    a.title = crate::channel::StreamTitle::parse("첫 방송").unwrap();
    a.version = 1;
    repo.update_channel(&a).await.unwrap();
    let mut stale = a.clone();
    stale.title = crate::channel::StreamTitle::parse("stale").unwrap();
    assert!(matches!(
        repo.update_channel(&stale).await,
        Err(WriteError::VersionMismatch)
    ));
    assert_eq!(
        repo.get_channel(&a.id)
            .await
            .unwrap()
            .unwrap()
            .title
            .as_str(),
        "첫 방송"
    );

    // Renaming moves the handle atomically; renaming onto a taken handle changes nothing.
    let b = channel("bob", "bob", 2);
    repo.create_channel(&b).await.unwrap();
    let mut renamed = a.clone();
    renamed.handle = ChannelHandle::parse("alice_new").unwrap();
    renamed.version = 2;
    repo.update_channel(&renamed).await.unwrap();
    assert_eq!(
        repo.find_channel_by_handle(&ChannelHandle::parse("alice").unwrap())
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        repo.find_channel_by_handle(&renamed.handle)
            .await
            .unwrap()
            .unwrap()
            .id,
        a.id
    );
    let mut onto_bob = renamed.clone();
    onto_bob.handle = b.handle.clone();
    onto_bob.version = 3;
    assert!(matches!(
        repo.update_channel(&onto_bob).await,
        Err(WriteError::HandleTaken)
    ));
    assert_eq!(
        repo.find_channel_by_handle(&b.handle)
            .await
            .unwrap()
            .unwrap()
            .id,
        b.id
    );
    assert_eq!(
        repo.find_channel_by_handle(&renamed.handle)
            .await
            .unwrap()
            .unwrap()
            .id,
        a.id
    );
    assert_eq!(repo.get_channel(&a.id).await.unwrap().unwrap().version, 2);
    // The old handle is free for others now.
    let c = channel("carol", "alice", 3);
    repo.create_channel(&c).await.unwrap();

    // Live listing follows updates.
    assert!(repo.list_live_channels().await.unwrap().is_empty());
    let mut live_b = b.clone();
    go_live(&mut live_b, 10);
    live_b.version = 1;
    repo.update_channel(&live_b).await.unwrap();
    let live: Vec<ChannelId> = repo
        .list_live_channels()
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(live, vec![b.id.clone()]);
    let mut ended_b = live_b.clone();
    ended_b.live.ended_at = Some(t(20));
    ended_b.version = 2;
    repo.update_channel(&ended_b).await.unwrap();
    assert!(repo.list_live_channels().await.unwrap().is_empty());

    // All channels, most recently active first, in pages: b (live at 10), c (3), a (0).
    let first = repo.list_channels(None, 2).await.unwrap();
    let ids: Vec<_> = first.items.iter().map(|c| c.id.clone()).collect();
    assert_eq!(ids, vec![b.id.clone(), c.id.clone()]);
    let next = first.next.expect("a second page");
    let second_page = repo.list_channels(Some(&next), 2).await.unwrap();
    let ids: Vec<_> = second_page.items.iter().map(|c| c.id.clone()).collect();
    assert_eq!(ids, vec![a.id.clone()]);
    assert_eq!(second_page.next, None);

    // Grants.
    let grant = ViewerGrant {
        channel_id: a.id.clone(),
        user_id: b.owner.clone(),
        handle: "bob".into(),
        granted_at: t(30),
    };
    assert_eq!(repo.get_grant(&a.id, &b.owner).await.unwrap(), None);
    repo.put_grant(&grant).await.unwrap();
    assert_eq!(
        repo.get_grant(&a.id, &b.owner).await.unwrap(),
        Some(grant.clone())
    );
    assert_eq!(repo.list_grants(&a.id).await.unwrap(), vec![grant]);
    assert!(repo.list_grants(&b.id).await.unwrap().is_empty());
    assert!(repo.remove_grant(&a.id, &b.owner).await.unwrap());
    assert!(!repo.remove_grant(&a.id, &b.owner).await.unwrap());
    assert_eq!(repo.get_grant(&a.id, &b.owner).await.unwrap(), None);
}

fn message(channel: &ChannelId, id: &str, second: i64) -> StoredMessage {
    let mut sender_attributes = BTreeMap::new();
    sender_attributes.insert("nickname".to_owned(), "시청자".to_owned());
    StoredMessage {
        channel_id: channel.clone(),
        id: MessageId::parse(id).unwrap(),
        sent_at: t(0) + Duration::seconds(second),
        sender: UserId::parse("viewer").unwrap(),
        sender_attributes,
        content: format!("message {id} 안녕"),
        attributes: BTreeMap::new(),
    }
}

/// History order, paging, idempotence, deletions (also before arrival) and bans.
pub async fn chat_repository(repo: &dyn ChatRepository) {
    let room = ChannelId::parse("chroom1").unwrap();
    let other = ChannelId::parse("chroom2").unwrap();
    for i in 0..7 {
        repo.append_messages(&[message(&room, &format!("m{i}"), i)])
            .await
            .unwrap();
    }
    repo.append_messages(&[message(&other, "x0", 3)])
        .await
        .unwrap();
    // The same id again (a retried delivery) is kept once.
    repo.append_messages(&[message(&room, "m3", 3)])
        .await
        .unwrap();
    // Two messages in the same instant are both kept, ordered by id.
    repo.append_messages(&[message(&room, "m6b", 6)])
        .await
        .unwrap();

    let ids = |page: &crate::page::Page<StoredMessage, _>| -> Vec<String> {
        page.items
            .iter()
            .map(|m| m.id.as_str().to_owned())
            .collect()
    };
    let first = repo.list_messages(&room, None, 3).await.unwrap();
    assert_eq!(ids(&first), ["m6b", "m6", "m5"]);
    assert_eq!(first.items[0].content, "message m6b 안녕");
    let second = repo
        .list_messages(&room, first.next.as_ref(), 3)
        .await
        .unwrap();
    assert_eq!(ids(&second), ["m4", "m3", "m2"]);

    // Deleting hides a message from history, pages stay full and in order.
    repo.delete_message(&room, &MessageId::parse("m4").unwrap(), t(1))
        .await
        .unwrap();
    repo.delete_message(&room, &MessageId::parse("m4").unwrap(), t(1))
        .await
        .unwrap();
    let second = repo
        .list_messages(&room, first.next.as_ref(), 3)
        .await
        .unwrap();
    assert_eq!(ids(&second), ["m3", "m2", "m1"]);
    let rest = repo
        .list_messages(&room, second.next.as_ref(), 3)
        .await
        .unwrap();
    assert_eq!(ids(&rest), ["m0"]);
    assert_eq!(rest.next, None);
    assert_eq!(
        repo.get_message(&room, &MessageId::parse("m4").unwrap())
            .await
            .unwrap(),
        None
    );
    assert!(
        repo.get_message(&room, &MessageId::parse("m5").unwrap())
            .await
            .unwrap()
            .is_some()
    );

    // A deletion that overtakes its message wins: the message never enters history.
    repo.delete_message(&room, &MessageId::parse("late").unwrap(), t(1))
        .await
        .unwrap();
    repo.append_messages(&[message(&room, "late", 100)])
        .await
        .unwrap();
    let newest = repo.list_messages(&room, None, 1).await.unwrap();
    assert_eq!(ids(&newest), ["m6b"]);

    // Rooms are separate.
    assert_eq!(
        ids(&repo.list_messages(&other, None, 10).await.unwrap()),
        ["x0"]
    );

    // Bans.
    let ban = Ban {
        channel_id: room.clone(),
        user_id: UserId::parse("troll").unwrap(),
        nickname: "트롤".into(),
        reason: Some("spam".into()),
        banned_by: UserId::parse("owner").unwrap(),
        created_at: t(5),
        expires_at: Some(t(65)),
    };
    assert_eq!(repo.get_ban(&room, &ban.user_id).await.unwrap(), None);
    repo.put_ban(&ban).await.unwrap();
    assert_eq!(
        repo.get_ban(&room, &ban.user_id).await.unwrap(),
        Some(ban.clone())
    );
    assert_eq!(repo.get_ban(&other, &ban.user_id).await.unwrap(), None);
    assert_eq!(repo.list_bans(&room).await.unwrap(), vec![ban.clone()]);
    let forever = Ban {
        expires_at: None,
        ..ban.clone()
    };
    repo.put_ban(&forever).await.unwrap();
    assert_eq!(
        repo.get_ban(&room, &ban.user_id).await.unwrap(),
        Some(forever)
    );
    assert!(repo.remove_ban(&room, &ban.user_id).await.unwrap());
    assert!(!repo.remove_ban(&room, &ban.user_id).await.unwrap());
    assert!(repo.list_bans(&room).await.unwrap().is_empty());
}

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
}

/// A clock that stands still until a test moves it, for rules that depend on time (bans that
/// expire, token lifetimes, rate windows).
pub struct ManualClock(std::sync::Mutex<OffsetDateTime>);

impl ManualClock {
    pub fn at(now: OffsetDateTime) -> Self {
        Self(std::sync::Mutex::new(now))
    }

    pub fn advance(&self, by: Duration) {
        *self.0.lock().expect("clock lock") += by;
    }
}

impl crate::ports::Clock for ManualClock {
    fn now(&self) -> OffsetDateTime {
        *self.0.lock().expect("clock lock")
    }
}
