//! Chat history and bans.

use super::*;
use crate::moderation_log::{ModerationAction, ModerationEntry};

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

    // Replay: a window of time oldest first, never a deleted message, both ends included;
    // a page goes on where the last stopped, also between two messages of the same instant.
    let (from, until) = (t(0) + Duration::seconds(2), t(0) + Duration::seconds(6));
    let window = repo
        .list_messages_between(&room, from, until, None, 2)
        .await
        .unwrap();
    assert_eq!(ids(&window), ["m2", "m3"]);
    let window = repo
        .list_messages_between(&room, from, until, window.next.as_ref(), 2)
        .await
        .unwrap();
    assert_eq!(ids(&window), ["m5", "m6"]);
    let window = repo
        .list_messages_between(&room, from, until, window.next.as_ref(), 2)
        .await
        .unwrap();
    assert_eq!(ids(&window), ["m6b"]);
    assert_eq!(window.next, None);
    let short = repo
        .list_messages_between(&room, from, from, None, 10)
        .await
        .unwrap();
    assert_eq!(ids(&short), ["m2"]);
    // Counted without reading: the same window, both ends included, the deleted one not.
    let activity = |messages, chatters| crate::chat::ChatActivity { messages, chatters };
    assert_eq!(
        repo.chat_activity_between(&room, from, until)
            .await
            .unwrap(),
        activity(5, 1)
    );
    assert_eq!(
        repo.chat_activity_between(&room, from, from).await.unwrap(),
        activity(1, 1)
    );
    assert_eq!(
        repo.chat_activity_between(&room, until + Duration::seconds(1), t(60))
            .await
            .unwrap(),
        activity(0, 0)
    );
    // Chatters are people, each once however much they said; one whose only message was
    // deleted said nothing, and one outside the window is not counted.
    let lively = ChannelId::parse("chroom9").unwrap();
    for (id, sender, second) in [
        ("l1", "ann", 1),
        ("l2", "bob", 2),
        ("l3", "ann", 3),
        ("l4", "cat", 4),
        ("l5", "dan", 40),
    ] {
        let mut said = message(&lively, id, second);
        said.sender = UserId::parse(sender).unwrap();
        repo.append_messages(&[said]).await.unwrap();
    }
    repo.delete_message(&lively, &MessageId::parse("l4").unwrap(), t(5))
        .await
        .unwrap();
    assert_eq!(
        repo.chat_activity_between(&lively, t(0), t(0) + Duration::seconds(30))
            .await
            .unwrap(),
        activity(3, 2)
    );
    assert_eq!(
        ids(&repo
            .list_messages_between(&other, from, until, None, 10)
            .await
            .unwrap()),
        ["x0"]
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
        timeout: true,
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
        timeout: false,
        ..ban.clone()
    };
    repo.put_ban(&forever).await.unwrap();
    assert_eq!(
        repo.get_ban(&room, &ban.user_id).await.unwrap(),
        Some(forever.clone())
    );
    // Removing says what it removed, once.
    assert_eq!(
        repo.remove_ban(&room, &ban.user_id).await.unwrap(),
        Some(forever)
    );
    assert_eq!(repo.remove_ban(&room, &ban.user_id).await.unwrap(), None);
    assert!(repo.list_bans(&room).await.unwrap().is_empty());

    moderation_log(repo, &room, &other).await;
    moderation_of_a_person(repo, &room, &other).await;

    // Erasing a channel's chat takes its messages, deletion marks, bans and log, and nothing of
    // another channel's.
    let elsewhere_messages = repo.list_messages(&other, None, 10).await.unwrap().items;
    assert!(!elsewhere_messages.is_empty());
    repo.put_ban(&ban).await.unwrap();
    repo.erase_chat(&room).await.unwrap();
    repo.erase_chat(&room).await.unwrap();
    assert!(
        repo.list_messages(&room, None, 10)
            .await
            .unwrap()
            .items
            .is_empty()
    );
    assert!(repo.list_bans(&room).await.unwrap().is_empty());
    assert!(
        repo.list_moderation(&room, None, 10)
            .await
            .unwrap()
            .items
            .is_empty()
    );
    assert_eq!(
        repo.list_messages(&other, None, 10).await.unwrap().items,
        elsewhere_messages
    );
    assert_eq!(
        repo.list_moderation(&other, None, 10)
            .await
            .unwrap()
            .items
            .len(),
        1
    );
    let troll = UserId::parse("troll").unwrap();
    assert!(
        repo.list_moderation_of(&room, &troll, 10)
            .await
            .unwrap()
            .is_empty(),
        "a person's entries go with the channel's log"
    );
    assert_eq!(
        repo.list_moderation_of(&other, &troll, 10)
            .await
            .unwrap()
            .len(),
        1
    );

    sent_messages(repo).await;
}

/// What one person said, across rooms: newest first, paged, without deleted messages or those
/// of an erased channel.
async fn sent_messages(repo: &dyn ChatRepository) {
    let (here, there) = (
        ChannelId::parse("chroom3").unwrap(),
        ChannelId::parse("chroom4").unwrap(),
    );
    let talker = UserId::parse("talker").unwrap();
    let said = |channel: &ChannelId, id: &str, second: i64| StoredMessage {
        sender: talker.clone(),
        ..message(channel, id, second)
    };
    repo.append_messages(&[
        said(&here, "t1", 1),
        said(&there, "t2", 2),
        said(&here, "t3", 2),
        message(&here, "v1", 3),
        said(&there, "t4", 4),
    ])
    .await
    .unwrap();
    // Deleted before it arrived: never theirs to list.
    repo.delete_message(&here, &MessageId::parse("t5").unwrap(), t(1))
        .await
        .unwrap();
    repo.append_messages(&[said(&here, "t5", 5)]).await.unwrap();
    let ids = |page: &crate::page::Page<StoredMessage, MessageCursor>| -> Vec<String> {
        page.items
            .iter()
            .map(|m| format!("{}/{}", m.channel_id, m.id))
            .collect()
    };
    let first = repo.list_sent_messages(&talker, None, 2).await.unwrap();
    assert_eq!(ids(&first), ["chroom4/t4", "chroom3/t3"]);
    assert_eq!(first.items[0].content, "message t4 안녕");
    let rest = repo
        .list_sent_messages(&talker, first.next.as_ref(), 2)
        .await
        .unwrap();
    assert_eq!(ids(&rest), ["chroom4/t2", "chroom3/t1"]);
    assert_eq!(rest.next, None);
    // Another person's list is theirs alone (the viewer wrote in every room above).
    let viewer = repo
        .list_sent_messages(&UserId::parse("viewer").unwrap(), None, 100)
        .await
        .unwrap();
    assert!(viewer.items.iter().all(|m| m.sender.as_str() == "viewer"));
    assert!(ids(&viewer).contains(&"chroom3/v1".to_owned()));

    // What they said in one room lately: theirs, that room's, newest first, at most `limit`,
    // among their `within` latest anywhere.
    let in_room = |channel: &ChannelId, limit: usize, within: usize| {
        let (channel, talker) = (channel.clone(), talker.clone());
        async move {
            repo.list_sent_messages_in(&channel, &talker, limit, within)
                .await
                .unwrap()
                .into_iter()
                .map(|m| m.id.to_string())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(in_room(&here, 10, 100).await, ["t3", "t1"]);
    assert_eq!(in_room(&here, 1, 100).await, ["t3"]);
    assert_eq!(in_room(&there, 10, 100).await, ["t4", "t2"]);
    // Their two latest are t4 (there) and t3 (here).
    assert_eq!(in_room(&here, 10, 2).await, ["t3"]);
    assert_eq!(in_room(&there, 10, 1).await, ["t4"]);

    // A deleted message leaves the list; an erased channel takes its messages out of it.
    repo.delete_message(&there, &MessageId::parse("t2").unwrap(), t(9))
        .await
        .unwrap();
    let left = repo.list_sent_messages(&talker, None, 10).await.unwrap();
    assert_eq!(ids(&left), ["chroom4/t4", "chroom3/t3", "chroom3/t1"]);
    assert_eq!(in_room(&there, 10, 100).await, ["t4"]);
    repo.erase_chat(&here).await.unwrap();
    let left = repo.list_sent_messages(&talker, None, 10).await.unwrap();
    assert_eq!(ids(&left), ["chroom4/t4"]);
}

fn log_entry(
    channel: &ChannelId,
    id: &str,
    minute: i64,
    action: ModerationAction,
) -> ModerationEntry {
    ModerationEntry {
        channel_id: channel.clone(),
        id: id.to_owned(),
        at: t(minute),
        actor: UserId::parse("moderator").unwrap(),
        actor_nickname: "모더".into(),
        action,
        target: Some(UserId::parse("troll").unwrap()),
        target_nickname: Some("트롤".into()),
        reason: Some("spam 스팸".into()),
    }
}

/// One person's entries in a channel's log (after [`moderation_log`] wrote its own, all about
/// `troll`): those that hold them to account, newest first, in that channel only.
async fn moderation_of_a_person(repo: &dyn ChatRepository, room: &ChannelId, other: &ChannelId) {
    let troll = UserId::parse("troll").unwrap();
    let pinned = log_entry(
        room,
        "p",
        15,
        ModerationAction::PinMessage {
            message_id: MessageId::parse("m2").unwrap(),
            excerpt: None,
        },
    );
    let mut someone_else = log_entry(room, "v", 16, ModerationAction::Timeout { until: t(30) });
    someone_else.target = Some(UserId::parse("viewer2").unwrap());
    for entry in [&pinned, &someone_else] {
        repo.append_moderation(entry).await.unwrap();
    }
    let ids = |entries: Vec<ModerationEntry>| -> Vec<String> {
        entries.into_iter().map(|entry| entry.id).collect()
    };
    // Deleted message, timeout, ban and lift; not the pin of their message nor their appointment.
    let theirs = repo.list_moderation_of(room, &troll, 10).await.unwrap();
    assert_eq!(theirs[0].action, ModerationAction::Unban, "as written");
    assert_eq!(theirs[0].reason.as_deref(), Some("spam 스팸"));
    assert_eq!(ids(theirs), ["e3", "e2", "e1", "e0"]);
    assert_eq!(
        ids(repo.list_moderation_of(room, &troll, 2).await.unwrap()),
        ["e3", "e2"]
    );
    assert_eq!(
        ids(repo
            .list_moderation_of(room, &UserId::parse("viewer2").unwrap(), 10)
            .await
            .unwrap()),
        ["v"]
    );
    assert_eq!(
        ids(repo.list_moderation_of(other, &troll, 10).await.unwrap()),
        ["x"]
    );
    assert!(
        repo.list_moderation_of(room, &UserId::parse("nobody").unwrap(), 10)
            .await
            .unwrap()
            .is_empty()
    );
}

/// The moderation log: newest first, paged, per channel, entries kept as written.
async fn moderation_log(repo: &dyn ChatRepository, room: &ChannelId, other: &ChannelId) {
    let actions = [
        ModerationAction::DeleteMessage {
            message_id: MessageId::parse("m1").unwrap(),
            excerpt: Some("message m1 안녕".into()),
        },
        ModerationAction::Timeout { until: t(20) },
        ModerationAction::Ban { until: None },
        ModerationAction::Unban,
        ModerationAction::AddModerator,
    ];
    let entries: Vec<ModerationEntry> = actions
        .into_iter()
        .enumerate()
        .map(|(i, action)| log_entry(room, &format!("e{i}"), 10 + i as i64, action))
        .collect();
    for entry in &entries {
        repo.append_moderation(entry).await.unwrap();
    }
    // Two entries in the same instant are both kept, ordered by id.
    let same_time = log_entry(room, "e5", 14, ModerationAction::RemoveModerator);
    repo.append_moderation(&same_time).await.unwrap();
    repo.append_moderation(&log_entry(other, "x", 12, ModerationAction::Unban))
        .await
        .unwrap();

    let first = repo.list_moderation(room, None, 4).await.unwrap();
    let first_ids: Vec<&str> = first.items.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(first_ids, ["e5", "e4", "e3", "e2"]);
    assert_eq!(first.items[0], same_time, "entries come back as written");
    let rest = repo
        .list_moderation(room, first.next.as_ref(), 4)
        .await
        .unwrap();
    let rest_ids: Vec<&str> = rest.items.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(rest_ids, ["e1", "e0"]);
    assert_eq!(rest.next, None);
    assert_eq!(rest.items[1], entries[0]);
    let elsewhere = repo.list_moderation(other, None, 10).await.unwrap();
    assert_eq!(elsewhere.items.len(), 1);
}
