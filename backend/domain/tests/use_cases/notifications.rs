use cloumer_domain::channel::ChannelChange;
use cloumer_domain::handle::ChannelHandle;
use cloumer_domain::live::StreamEventKind;
use cloumer_domain::notification::{Notification, NotificationKind};
use cloumer_domain::ports::NotificationRepository;
use cloumer_domain::profile::{Nickname, ProfileChange};
use cloumer_domain::testkit::{AUTH, P256DH};
use time::Duration;

use crate::account_deletion::just_signed_in;
use crate::world::{World, world};

/// The stream a go-live notification is about.
fn stream_of(n: &Notification) -> &str {
    match &n.kind {
        NotificationKind::WentLive { stream_id } => stream_id.as_str(),
        other => panic!("not a go-live: {other:?}"),
    }
}

async fn notified_streams(world: &World, who: &cloumer_domain::Identity) -> Vec<String> {
    world
        .platform
        .notifications(who, None, 100)
        .await
        .unwrap()
        .page
        .items
        .iter()
        .map(|n| stream_of(n).to_owned())
        .collect()
}

#[tokio::test]
async fn followers_hear_once_per_stream_start_and_not_when_it_flaps() {
    let world = world();
    let (_, star) = world.account("u-star", "star").await;
    let (fan, _) = world.account("u-fan", "fan").await;
    let (stranger, _) = world.account("u-stranger", "stranger").await;
    world.platform.follow(&fan, "star").await.unwrap();

    world.advance(Duration::minutes(1));
    world
        .stream_event(&star.channel.id, "st-1", StreamEventKind::Start)
        .await;
    // Delivered twice, as EventBridge may.
    world
        .stream_event(&star.channel.id, "st-1", StreamEventKind::Start)
        .await;
    let notes = world.platform.notifications(&fan, None, 10).await.unwrap();
    assert_eq!(notes.page.items.len(), 1);
    let note = &notes.page.items[0];
    assert_eq!(
        (note.channel_handle.as_str(), stream_of(note)),
        ("star", "st-1")
    );
    assert_eq!(notes.unread, 1);
    assert!(notified_streams(&world, &stranger).await.is_empty());

    // The encoder drops and reconnects within ten minutes: the same broadcast to the fan.
    world.advance(Duration::minutes(30));
    world
        .stream_event(&star.channel.id, "st-1", StreamEventKind::End)
        .await;
    world.advance(Duration::minutes(4));
    world
        .stream_event(&star.channel.id, "st-2", StreamEventKind::Start)
        .await;
    assert_eq!(notified_streams(&world, &fan).await, ["st-1"]);

    // A new broadcast after a real break is news again.
    world.advance(Duration::minutes(20));
    world
        .stream_event(&star.channel.id, "st-2", StreamEventKind::End)
        .await;
    world.advance(Duration::minutes(11));
    world
        .stream_event(&star.channel.id, "st-3", StreamEventKind::Start)
        .await;
    assert_eq!(notified_streams(&world, &fan).await, ["st-3", "st-1"]);
    // One at a time: the first page is cut to its size and continues after its last item.
    let first = world.platform.notifications(&fan, None, 1).await.unwrap();
    assert_eq!(stream_of(&first.page.items[0]), "st-3");
    assert_eq!(first.unread, 2, "counted beyond the page");
    let rest = world
        .platform
        .notifications(&fan, first.page.next.clone(), 1)
        .await
        .unwrap();
    assert_eq!(stream_of(&rest.page.items[0]), "st-1");
    assert!(rest.page.next.is_none());
    assert_eq!(
        world
            .platform
            .notifications(&fan, None, 10)
            .await
            .unwrap()
            .unread,
        2
    );

    // Seen: nothing unread until the next one.
    world.platform.mark_notifications_seen(&fan).await.unwrap();
    assert_eq!(
        world
            .platform
            .notifications(&fan, None, 10)
            .await
            .unwrap()
            .unread,
        0
    );
    // Notifications of the channel turned off: followed, but silent.
    let status = world
        .platform
        .set_follow_notify(&fan, "star", false)
        .await
        .unwrap();
    assert_eq!((status.following, status.notify), (true, false));
    world.advance(Duration::minutes(60));
    world
        .stream_event(&star.channel.id, "st-3", StreamEventKind::End)
        .await;
    world.advance(Duration::minutes(60));
    world
        .stream_event(&star.channel.id, "st-muted", StreamEventKind::Start)
        .await;
    assert_eq!(notified_streams(&world, &fan).await, ["st-3", "st-1"]);
    world
        .platform
        .set_follow_notify(&fan, "star", true)
        .await
        .unwrap();
    assert!(matches!(
        world
            .platform
            .set_follow_notify(&stranger, "star", true)
            .await,
        Err(cloumer_domain::DomainError::NotFound("follow"))
    ));

    // An unfollowed channel no longer notifies.
    world.platform.unfollow(&fan, "star").await.unwrap();
    world.advance(Duration::minutes(60));
    world
        .stream_event(&star.channel.id, "st-muted", StreamEventKind::End)
        .await;
    world.advance(Duration::minutes(60));
    world
        .stream_event(&star.channel.id, "st-4", StreamEventKind::Start)
        .await;
    assert_eq!(notified_streams(&world, &fan).await, ["st-3", "st-1"]);
}

#[tokio::test]
async fn every_follower_is_notified_across_many_pages() {
    let world = world();
    let (_, star) = world.account("u-star", "star").await;
    let followers = 1_234;
    for i in 0..followers {
        let who = crate::world::person(&format!("u-f{i}"), &format!("fan{i}"));
        world.platform.follow(&who, "star").await.unwrap();
    }
    world.advance(Duration::minutes(1));
    world
        .stream_event(&star.channel.id, "st-1", StreamEventKind::Start)
        .await;
    for i in [0, 499, 500, 1_233] {
        let who = crate::world::person(&format!("u-f{i}"), &format!("fan{i}"));
        assert_eq!(
            notified_streams(&world, &who).await,
            ["st-1"],
            "follower {i}"
        );
    }
}

/// Item of the notifications issue left from the last stop: a private channel's stream start
/// reaches only followers who may still watch it. One whose access was revoked (or who is
/// banned) learns nothing: no bell, no email, no push.
#[tokio::test]
async fn a_private_channel_tells_only_the_followers_who_may_still_watch_it() {
    let world = world();
    let (owner, star) = world.account("u-star", "star").await;
    let (kept, _) = world.account("u-kept", "kept").await;
    let (revoked, _) = world.account("u-revoked", "revoked").await;
    world.set_private(&owner, true).await;
    for (fan, handle) in [(&kept, "kept"), (&revoked, "revoked")] {
        world.platform.grant_viewer(&owner, handle).await.unwrap();
        world.platform.follow(fan, "star").await.unwrap();
        let endpoint = format!("https://push.example.com/{handle}");
        world
            .platform
            .subscribe_push(fan, &endpoint, P256DH, AUTH)
            .await
            .unwrap();
    }
    world
        .platform
        .revoke_viewer(&owner, "revoked")
        .await
        .unwrap();

    world.advance(Duration::minutes(1));
    world
        .stream_event(&star.channel.id, "st-private", StreamEventKind::Start)
        .await;
    assert_eq!(notified_streams(&world, &kept).await, ["st-private"]);
    assert!(notified_streams(&world, &revoked).await.is_empty());
    let event = world.announcements.announced.lock().unwrap()[0].clone();
    world.platform.deliver_go_live(&event).await.unwrap();
    let emailed: Vec<_> = world
        .announcements
        .emails
        .lock()
        .unwrap()
        .iter()
        .map(|e| e.to.clone())
        .collect();
    assert_eq!(emailed, ["u-kept@example.com"]);
    let pushed: Vec<_> = world
        .announcements
        .pushes
        .lock()
        .unwrap()
        .iter()
        .map(|(endpoint, _, _)| endpoint.clone())
        .collect();
    assert_eq!(pushed, ["https://push.example.com/kept"]);
}

/// `who`'s channel takes the handle `handle`.
pub(crate) async fn rename(world: &World, who: &cloumer_domain::Identity, handle: &str) {
    let change = ChannelChange {
        handle: Some(ChannelHandle::parse(handle).unwrap()),
        ..ChannelChange::default()
    };
    world.platform.update_channel(who, change).await.unwrap();
}

/// A notification is written once, when its channel goes live; the channel may be renamed or its
/// streamer may delete their account in the thirty days it is kept. The bell says who it is now
/// (a link to the old handle would lead nowhere) and forgets an erased account at once.
#[tokio::test]
async fn the_bell_names_each_channel_as_it_is_now_and_forgets_a_deleted_one() {
    let world = world();
    let (star, account) = world.account("u-star", "star").await;
    let (_, other_account) = world.account("u-other", "other").await;
    let (fan, _) = world.account("u-fan", "fan").await;
    world.platform.follow(&fan, "star").await.unwrap();
    world.platform.follow(&fan, "other").await.unwrap();
    world.advance(Duration::minutes(1));
    world
        .stream_event(&account.channel.id, "st-1", StreamEventKind::Start)
        .await;
    world.advance(Duration::minutes(1));
    world
        .stream_event(&other_account.channel.id, "st-2", StreamEventKind::Start)
        .await;
    world.advance(Duration::minutes(1));

    rename(&world, &star, "star_renamed").await;
    world
        .platform
        .update_profile(
            &star,
            ProfileChange {
                nickname: Some(Nickname::parse("New Star").unwrap()),
                ..ProfileChange::default()
            },
        )
        .await
        .unwrap();
    let notes = world.platform.notifications(&fan, None, 10).await.unwrap();
    let named: Vec<_> = notes
        .page
        .items
        .iter()
        .map(|n| {
            (
                n.channel_handle.as_str(),
                n.owner_nickname.as_str(),
                stream_of(n),
            )
        })
        .collect();
    assert_eq!(
        named,
        [
            ("other", "u-other 님", "st-2"),
            ("star_renamed", "New Star", "st-1")
        ]
    );
    assert_eq!(notes.unread, 2);

    // A page of one, continued below after the deletion.
    let first = world.platform.notifications(&fan, None, 1).await.unwrap();
    assert_eq!(stream_of(&first.page.items[0]), "st-2");

    world
        .platform
        .delete_account(&just_signed_in(&world, &star))
        .await
        .unwrap();
    // Unread beyond the page shown, it is not counted either.
    let top = world.platform.notifications(&fan, None, 1).await.unwrap();
    assert_eq!(stream_of(&top.page.items[0]), "st-2");
    assert_eq!(top.unread, 1);
    let notes = world.platform.notifications(&fan, None, 10).await.unwrap();
    assert_eq!(notified_streams(&world, &fan).await, ["st-2"]);
    assert_eq!(notes.unread, 1, "the deleted one is not counted either");
    // Nor on a later page, nor counted there.
    let rest = world
        .platform
        .notifications(&fan, first.page.next.clone(), 1)
        .await
        .unwrap();
    assert!(rest.page.items.is_empty(), "{:?}", rest.page.items);
    assert_eq!(rest.unread, 1);
    let kept = world
        .store
        .list_notifications(&fan.user_id, None, 10)
        .await
        .unwrap();
    assert_eq!(
        kept.items.len(),
        1,
        "the deleted channel's is gone from the store"
    );
}

/// The data download holds the caller's notifications as the bell shows them: a deleted
/// account's go-live leaves it too, even when the bell was not opened since.
#[tokio::test]
async fn the_data_download_holds_notifications_as_the_bell_shows_them() {
    let world = world();
    let (star, account) = world.account("u-star", "star").await;
    let (fan, _) = world.account("u-fan", "fan").await;
    world.platform.follow(&fan, "star").await.unwrap();
    world.advance(Duration::minutes(1));
    world
        .stream_event(&account.channel.id, "st-1", StreamEventKind::Start)
        .await;
    rename(&world, &star, "star_renamed").await;
    let export = world.platform.export_account(&fan).await.unwrap();
    let handles: Vec<_> = export
        .notifications
        .iter()
        .map(|n| n.channel_handle.as_str())
        .collect();
    assert_eq!(handles, ["star_renamed"]);

    world
        .platform
        .delete_account(&just_signed_in(&world, &star))
        .await
        .unwrap();
    let export = world.platform.export_account(&fan).await.unwrap();
    assert!(
        export.notifications.is_empty(),
        "{:?}",
        export.notifications
    );
}
