//! Deleting an account: everything of the user's goes, in every store and service, and nothing
//! of anyone else's; only with a recent password; asking again is harmless.

use cloumer_domain::DomainError;
use std::collections::BTreeMap;

use cloumer_domain::Identity;
use cloumer_domain::chat::StoredMessage;
use cloumer_domain::ids::RecordingId;
use cloumer_domain::live::StreamEventKind;
use cloumer_domain::ports::{
    BlockRepository, ChannelRepository, ChatRepository, ClipRepository, FollowRepository,
    NotificationRepository, PollRepository, PushSubscriptionRepository, RecordingRepository,
    VideoRepository, WebhookRepository,
};
use cloumer_domain::testkit::{AUTH, P256DH};
use cloumer_domain::use_cases::account_deletion::RECENT_SIGN_IN;
use cloumer_domain::use_cases::chat_moderation::{ChatOf, Restriction};
use cloumer_test_media::images;
use time::Duration;

use crate::clip_making::{recorded, recording_ended, recording_started, vod};
use crate::videos::{h264, transcoded, uploaded_and_probed};
use crate::world::{ChatCall, World, world};

/// `who` as they are just after typing their password.
pub(crate) fn just_signed_in(world: &World, who: &Identity) -> Identity {
    Identity {
        signed_in_at: Some(world.platform.now()),
        ..who.clone()
    }
}

#[tokio::test]
async fn a_deleted_account_leaves_nothing_of_its_own_and_takes_nothing_of_anyone_elses() {
    let world = world();
    let (star, account) = world.account("u-star", "star").await;
    let (fan, _) = world.account("u-fan", "fan").await;
    let (other, other_account) = world.account("u-other", "other").await;
    let (troll, _) = world.account("u-troll", "troll").await;
    let channel = account.channel.id.clone();
    let store = &world.store;
    let room = account.channel.chat_room.as_ref().unwrap().arn.clone();

    // A channel with a bit of everything on it.
    recorded(&world, &channel, "rec1", 40, &vod(10)).await;
    let clip = world
        .platform
        .clip_recording(&fan, &RecordingId::parse("rec1").unwrap(), "best", 0, 8_000)
        .await
        .unwrap();
    let video = uploaded_and_probed(&world, &star, Ok(h264())).await;
    transcoded(&world, &video).await;
    let (_, emote) = world
        .platform
        .put_emote(&star, "Hype", &images::png(56, 56))
        .await
        .unwrap();
    let emote_file = emote.file_key(&channel);
    world
        .platform
        .add_webhook(&star, "https://discord.com/api/webhooks/1/abc")
        .await
        .unwrap();
    world.said(&room, "u-fan", "hello star").await;
    world
        .platform
        .restrict(
            &star,
            ChatOf::Channel("star"),
            &troll.user_id,
            Restriction::Ban(None),
            Some("spam"),
        )
        .await
        .unwrap();
    world.platform.follow(&fan, "star").await.unwrap();
    let poll = poll_in_own_room(&world, &star).await;
    let voted = world
        .platform
        .vote(&fan, "star", &poll.id, 1)
        .await
        .unwrap();
    assert_eq!(voted.votes, [0, 1]);
    // And a user with follows, a block, a browser for pushes and notifications.
    world.platform.follow(&star, "other").await.unwrap();
    world
        .platform
        .block_user(&star, troll.user_id.as_str())
        .await
        .unwrap();
    world
        .platform
        .subscribe_push(&star, "https://push.example.com/star", P256DH, AUTH)
        .await
        .unwrap();
    world.advance(Duration::minutes(1));
    world
        .stream_event(&other_account.channel.id, "st-1", StreamEventKind::Start)
        .await;
    assert_eq!(
        world
            .platform
            .notifications(&star, None, 10)
            .await
            .unwrap()
            .page
            .items
            .len(),
        1
    );
    // The star moderates another channel and may watch it privately.
    world
        .platform
        .appoint_moderator(&other, "star")
        .await
        .unwrap();
    world.platform.grant_viewer(&other, "star").await.unwrap();
    assert_eq!(world.platform.moderators(&other).await.unwrap().len(), 1);
    assert_eq!(world.platform.viewers(&other).await.unwrap().len(), 1);
    // What the star said in someone else's chat (pinned there, too) goes with them; what the
    // others said there stays.
    let other_room = other_account
        .channel
        .chat_room
        .as_ref()
        .unwrap()
        .arn
        .clone();
    let star_said = world.said(&other_room, "u-star", "hi other").await;
    let other_said = world.said(&other_room, "u-other", "hi star").await;
    world
        .platform
        .pin_message(&other, ChatOf::Mine, &star_said.id)
        .await
        .unwrap();
    assert_eq!(
        world
            .platform
            .sent_messages(&star, None, 10)
            .await
            .unwrap()
            .items
            .len(),
        1
    );

    // All of it is there before.
    assert_eq!(
        store
            .list_messages(&channel, None, 10)
            .await
            .unwrap()
            .items
            .len(),
        1
    );
    assert_eq!(store.list_bans(&channel).await.unwrap().len(), 1);
    assert!(
        !store
            .list_moderation(&channel, None, 10)
            .await
            .unwrap()
            .items
            .is_empty()
    );
    assert_eq!(store.list_webhooks(&channel).await.unwrap().len(), 1);
    assert_eq!(store.follower_count(&channel).await.unwrap(), 1);
    assert_eq!(
        store
            .follower_count(&other_account.channel.id)
            .await
            .unwrap(),
        1
    );
    assert!(store.get_block_list(&star.user_id).await.unwrap().is_some());
    assert_eq!(
        store
            .push_subscriptions_of(std::slice::from_ref(&star.user_id))
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(world.files.keys().contains(&emote_file));
    assert!(
        world
            .files
            .keys()
            .iter()
            .any(|k| k.starts_with("recordings/rec1/clip-"))
    );

    // A token without a recent password cannot delete anything, however valid.
    let stale = Identity {
        signed_in_at: Some(world.platform.now() - RECENT_SIGN_IN - Duration::seconds(1)),
        ..star.clone()
    };
    for who in [&star, &stale] {
        assert!(matches!(
            world.platform.delete_account(who).await,
            Err(DomainError::Forbidden(_))
        ));
    }
    assert!(store.get_channel(&channel).await.unwrap().is_some());
    assert!(world.video.deleted.lock().unwrap().is_empty());

    let star_now = just_signed_in(&world, &star);
    world.platform.delete_account(&star_now).await.unwrap();

    // The channel: its record, handle, video channel, chat room, files and every record on it.
    assert_eq!(store.get_channel(&channel).await.unwrap(), None);
    assert_eq!(
        store.find_channel_by_owner(&star.user_id).await.unwrap(),
        None
    );
    assert!(world.platform.handle_available("star").await.unwrap().1);
    let video_arn = account.channel.video.as_ref().unwrap().arn.clone();
    assert_eq!(*world.video.deleted.lock().unwrap(), [video_arn]);
    assert!(world.chat.calls().contains(&ChatCall::DeleteRoom(room)));
    let files = world.files.keys();
    assert!(
        !files
            .iter()
            .any(|k| k.starts_with("recordings/rec1/") || *k == emote_file),
        "files left: {files:?}"
    );
    assert!(
        world
            .uploads
            .outputs_deleted
            .lock()
            .unwrap()
            .contains(&video.id.to_string())
    );
    assert_eq!(
        store
            .get_recording(&RecordingId::parse("rec1").unwrap())
            .await
            .unwrap(),
        None
    );
    assert_eq!(store.get_clip(&clip.id).await.unwrap(), None);
    assert_eq!(store.get_video(&video.id).await.unwrap(), None);
    assert!(
        store
            .list_channel_recordings(&channel, None, 10)
            .await
            .unwrap()
            .items
            .is_empty()
    );
    assert!(store.list_webhooks(&channel).await.unwrap().is_empty());
    assert!(store.list_bans(&channel).await.unwrap().is_empty());
    assert_eq!(store.tally(&poll.id, 2).await.unwrap(), [0, 0]);
    assert_eq!(store.vote_of(&poll.id, &fan.user_id).await.unwrap(), None);
    assert!(
        store
            .list_messages(&channel, None, 10)
            .await
            .unwrap()
            .items
            .is_empty()
    );
    assert!(
        store
            .list_moderation(&channel, None, 10)
            .await
            .unwrap()
            .items
            .is_empty()
    );
    // Its follower follows it no more, and counts one follow fewer.
    assert!(
        store
            .followed_channel_ids(&fan.user_id)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        world
            .platform
            .following(&fan, None, 10)
            .await
            .unwrap()
            .page
            .items
            .is_empty()
    );

    // The user: follows (the followed channel counts one follower fewer), push, notifications,
    // block list, profile.
    assert!(
        store
            .followed_channel_ids(&star.user_id)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store
            .follower_count(&other_account.channel.id)
            .await
            .unwrap(),
        0
    );
    assert!(
        store
            .push_subscriptions_of(std::slice::from_ref(&star.user_id))
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        store
            .list_notifications(&star.user_id, None, 10)
            .await
            .unwrap()
            .items
            .is_empty()
    );
    assert_eq!(store.seen_at(&star.user_id).await.unwrap(), None);
    assert_eq!(store.get_block_list(&star.user_id).await.unwrap(), None);
    assert_eq!(store.get_profile(&star.user_id).await.unwrap(), None);

    // The channel they moderated, and the one they could watch, list them no more (its owner
    // could not take them off: they have no handle now, or someone else's).
    assert!(world.platform.moderators(&other).await.unwrap().is_empty());
    let theirs = store
        .get_channel(&other_account.channel.id)
        .await
        .unwrap()
        .unwrap();
    assert!(theirs.moderators.is_empty());
    assert!(world.platform.viewers(&other).await.unwrap().is_empty());
    assert_eq!(
        store
            .get_grant(&other_account.channel.id, &star.user_id)
            .await
            .unwrap(),
        None
    );

    // Nobody else lost anything.
    assert!(store.get_profile(&fan.user_id).await.unwrap().is_some());
    assert!(store.get_profile(&other.user_id).await.unwrap().is_some());
    assert!(
        store
            .get_channel(&other_account.channel.id)
            .await
            .unwrap()
            .is_some()
    );
    let other_chat = store
        .list_messages(&other_account.channel.id, None, 10)
        .await
        .unwrap();
    assert_eq!(other_chat.items, [other_said]);
    assert_eq!(theirs.pinned_message, None);
    assert_eq!(
        store
            .get_message(&other_account.channel.id, &star_said.id)
            .await
            .unwrap(),
        None
    );
    assert!(
        store
            .list_sent_messages(&star.user_id, None, 10)
            .await
            .unwrap()
            .items
            .is_empty()
    );

    // Asking again (a retry after a failure half way) finds nothing left and succeeds.
    world.platform.delete_account(&star_now).await.unwrap();
    // Its tokens, valid for a while yet, bring nothing back: they are told the account was
    // deleted (so the client can finish the sign-in's part), and the handle stays free.
    assert!(matches!(
        world.platform.ensure_account(&star).await,
        Err(DomainError::AccountDeleted)
    ));
    assert_eq!(store.get_profile(&star.user_id).await.unwrap(), None);
    assert!(world.platform.handle_available("star").await.unwrap().1);
}

#[tokio::test]
async fn a_broadcast_recorded_while_its_account_is_deleted_leaves_no_files() {
    let world = world();
    let (star, account) = world.account("u-star", "star").await;
    let channel = account.channel.id.clone();
    recording_started(&world, &channel, "rec-live").await;
    world.files.put_playlist("rec-live", "index.m3u8", &vod(3));
    world
        .platform
        .delete_account(&just_signed_in(&world, &star))
        .await
        .unwrap();
    // The recorder writes on a moment, then says it has finished.
    world.files.put_playlist("rec-live", "seg_00003.ts", "more");
    recording_ended(&world, &channel, "rec-live", 20).await;
    let files = world.files.keys();
    assert!(
        !files.iter().any(|k| k.starts_with("recordings/rec-live/")),
        "{files:?}"
    );
    assert_eq!(
        world
            .store
            .get_recording(&RecordingId::parse("rec-live").unwrap())
            .await
            .unwrap(),
        None
    );
}

/// The deleted account's tokens, valid for a while yet, follow, block and vote no more: nothing
/// of theirs is made anew after the erasure (a follow would count for a channel forever).
#[tokio::test]
async fn a_deleted_accounts_tokens_follow_block_and_vote_no_more() {
    let world = world();
    let (star, _) = world.account("u-star", "star").await;
    let (other, other_account) = world.account("u-other", "other").await;
    let poll = poll_in_own_room(&world, &other).await;
    world
        .platform
        .delete_account(&just_signed_in(&world, &star))
        .await
        .unwrap();

    for refused in [
        world.platform.follow(&star, "other").await.map(|_| ()),
        world
            .platform
            .block_user(&star, other.user_id.as_str())
            .await,
        world
            .platform
            .vote(&star, "other", &poll.id, 0)
            .await
            .map(|_| ()),
    ] {
        assert!(
            matches!(refused, Err(DomainError::AccountDeleted)),
            "{refused:?}"
        );
    }
    let store = &world.store;
    assert_eq!(
        store
            .follower_count(&other_account.channel.id)
            .await
            .unwrap(),
        0
    );
    assert_eq!(store.get_block_list(&star.user_id).await.unwrap(), None);
    assert_eq!(store.tally(&poll.id, 2).await.unwrap(), [0, 0]);
}

#[tokio::test]
async fn a_request_racing_the_deletion_makes_nothing_anew() {
    let world = world();
    let (star, account) = world.account("u-star", "star").await;
    // Half way: marked, the channel erased, the profile not yet.
    world.store.mark_erased(&star.user_id).await.unwrap();
    world.store.erase_channel(&account.channel).await.unwrap();
    assert!(matches!(
        world.platform.ensure_account(&star).await,
        Err(DomainError::AccountDeleted)
    ));
    assert_eq!(
        world
            .store
            .find_channel_by_owner(&star.user_id)
            .await
            .unwrap(),
        None
    );
    assert!(world.platform.handle_available("star").await.unwrap().1);
}

#[tokio::test]
async fn replies_to_a_deleted_account_name_it_no_more_wherever_they_are_read() {
    let world = world();
    let (star, _) = world.account("u-star", "star").await;
    let (other, other_account) = world.account("u-other", "other").await;
    let (fan, _) = world.account("u-fan", "fan").await;
    let channel = other_account.channel.id.clone();
    let room = other_account.channel.chat_room.clone().unwrap().arn;
    recording_started(&world, &channel, "rec-live").await;
    let reply_to = |to: &StoredMessage, content: &str| {
        let mut reply = world.message(&room, "u-fan", content);
        reply.attributes = BTreeMap::from([("replyTo".to_owned(), to.id.to_string())]);
        reply
    };
    let asked = world.said(&room, "u-star", "who plays tonight?").await;
    let answer = world.keep(reply_to(&asked, "@star me!")).await;
    assert_eq!(answer.attributes["replyToNickname"], "u-star 님");
    let welcomed = world.said(&room, "u-other", "welcome all").await;
    let thanks = world.keep(reply_to(&welcomed, "thanks!")).await;
    assert_eq!(thanks.attributes["replyToSender"], "u-other");
    world
        .platform
        .pin_message(&other, ChatOf::Mine, &answer.id)
        .await
        .unwrap();

    world
        .platform
        .delete_account(&just_signed_in(&world, &star))
        .await
        .unwrap();

    // The fan's reply stays, as a plain message: it no longer says whom it answered (their
    // nickname and handle were theirs) nor which message (it is gone). A reply to someone
    // still here is untouched.
    let as_read = |messages: Vec<&StoredMessage>| {
        let find = |id| messages.iter().find(|m| m.id == id).copied().cloned();
        let answer = find(answer.id.clone()).expect("the reply stays");
        assert_eq!(answer.content, "@star me!");
        assert_eq!(answer.attributes, BTreeMap::new(), "{answer:?}");
        assert_eq!(
            find(thanks.id.clone()).unwrap().attributes,
            thanks.attributes
        );
        assert!(find(asked.id.clone()).is_none());
    };
    let history = world
        .platform
        .chat_history("other", None, None, 10)
        .await
        .unwrap();
    as_read(history.items.iter().collect());
    let replay = world
        .platform
        .chat_replay(
            &RecordingId::parse("rec-live").unwrap(),
            Some(&other.user_id),
            0,
            None,
            10,
        )
        .await
        .unwrap();
    as_read(replay.items.iter().map(|r| &r.message).collect());
    let card = world
        .platform
        .chatter_card(Some(&other.user_id), "other", &fan.user_id)
        .await
        .unwrap();
    as_read(card.recent_messages.iter().collect());
    let theirs = world.platform.sent_messages(&fan, None, 10).await.unwrap();
    as_read(theirs.items.iter().map(|s| &s.message).collect());
    // The pinned reply, as the page reads it and as a chat token hands it to whoever joins.
    let pinned = world.platform.pinned_message("other", None).await.unwrap();
    let joined = world
        .platform
        .chat_token("other", None, None)
        .await
        .unwrap();
    for pin in [pinned, joined.pinned_message] {
        let pin = pin.expect("the reply stays pinned");
        assert_eq!(pin.message.id, answer.id);
        assert_eq!(pin.message.attributes, BTreeMap::new(), "{pin:?}");
    }
}

/// A poll `who` opens in their own channel's chat.
async fn poll_in_own_room(world: &World, who: &Identity) -> cloumer_domain::poll::Poll {
    let asked = cloumer_domain::use_cases::chat_polls::PollQuestion {
        question: "Next game?".to_owned(),
        choices: vec!["Tetris".to_owned(), "Chess".to_owned()],
        duration_seconds: 60,
    };
    world
        .platform
        .open_poll(who, ChatOf::Mine, &asked)
        .await
        .unwrap()
        .poll
}
