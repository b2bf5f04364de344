//! Presence kept from heartbeats (the cloud's way): each counts until its time, a leave forgets
//! at once, rooms are separate, signed-in users are listed as shown and readers counted.

use super::*;
use crate::ports::PresenceRegistry;
use crate::presence::{PresentUser, ReaderSession, Visitor};

fn user(id: &str, role: &str) -> Visitor {
    Visitor::User(PresentUser {
        user_id: UserId::parse(id).unwrap(),
        handle: format!("{id}_handle"),
        nickname: format!("{id} 님"),
        avatar: "preset:fox".into(),
        role: role.into(),
    })
}

pub async fn heartbeat_presence(registry: &dyn PresenceRegistry) {
    let room_channel = ChannelId::parse("chpresence1").unwrap();
    let other = ChannelId::parse("chpresence2").unwrap();
    let room = ChatRoom {
        arn: "arn:aws:ivschat:us-east-1:123456789012:room/presence".into(),
    };
    // Heartbeat times are whole seconds in the cloud.
    let now = t(0);
    let reader = Visitor::Reader(ReaderSession::parse("readerSession0001").unwrap());
    registry
        .heartbeat(
            &room_channel,
            &user("u1", "viewer"),
            now + Duration::seconds(35),
        )
        .await
        .unwrap();
    registry
        .heartbeat(
            &room_channel,
            &user("u0", "owner"),
            now + Duration::seconds(35),
        )
        .await
        .unwrap();
    registry
        .heartbeat(&room_channel, &reader, now + Duration::seconds(10))
        .await
        .unwrap();
    registry
        .heartbeat(&other, &user("u9", "viewer"), now + Duration::seconds(35))
        .await
        .unwrap();
    // A second heartbeat of the same user is still one user.
    registry
        .heartbeat(
            &room_channel,
            &user("u1", "viewer"),
            now + Duration::seconds(35),
        )
        .await
        .unwrap();

    let present = registry.present(&room_channel, &room, now).await.unwrap();
    let ids: Vec<&str> = present.users.iter().map(|u| u.user_id.as_str()).collect();
    assert_eq!(ids, ["u0", "u1"]);
    assert_eq!(present.users[1].nickname, "u1 님");
    assert_eq!(present.users[1].avatar, "preset:fox");
    assert_eq!(present.users[1].handle, "u1_handle");
    assert_eq!((present.user_count, present.readers), (2, 1));

    // Later (past any answer an adapter keeps for a moment): the reader's time is up, and a
    // user who left is gone.
    registry
        .leave(&room_channel, &user("u1", "viewer"))
        .await
        .unwrap();
    let later = now + Duration::seconds(20);
    let present = registry.present(&room_channel, &room, later).await.unwrap();
    let ids: Vec<&str> = present.users.iter().map(|u| u.user_id.as_str()).collect();
    assert_eq!(ids, ["u0"]);
    assert_eq!(present.readers, 0);
    let much_later = now + Duration::seconds(40);
    let present = registry
        .present(&room_channel, &room, much_later)
        .await
        .unwrap();
    assert!(present.users.is_empty());
}
