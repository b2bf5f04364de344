use cloumer_domain::DomainError;
use time::Duration;

use crate::world::world;

#[tokio::test]
async fn following_shows_on_the_channel_page_and_counts_once() {
    let world = world();
    let (streamer, _) = world.account("u-streamer", "streamer").await;
    let (viewer, _) = world.account("u-viewer", "viewer").await;

    let before = world
        .platform
        .channel_page("streamer", Some(&viewer.user_id))
        .await
        .unwrap();
    assert_eq!(
        before.follow.map(|f| (f.followers, f.following)),
        Some((0, false))
    );

    let status = world.platform.follow(&viewer, "streamer").await.unwrap();
    assert_eq!((status.followers, status.following), (1, true));
    let again = world.platform.follow(&viewer, "Streamer").await.unwrap();
    assert_eq!(
        (again.followers, again.following),
        (1, true),
        "a second follow counts once"
    );

    let page = world
        .platform
        .channel_page("streamer", Some(&viewer.user_id))
        .await
        .unwrap();
    assert_eq!(
        page.follow.map(|f| (f.followers, f.following)),
        Some((1, true))
    );
    let signed_out = world.platform.channel_page("streamer", None).await.unwrap();
    assert_eq!(
        signed_out.follow.map(|f| (f.followers, f.following)),
        Some((1, false))
    );
    let dashboard = world.platform.my_channel(&streamer).await.unwrap();
    assert_eq!(dashboard.follow.map(|f| f.followers), Some(1));

    let after = world.platform.unfollow(&viewer, "streamer").await.unwrap();
    assert_eq!((after.followers, after.following), (0, false));
    let twice = world.platform.unfollow(&viewer, "streamer").await.unwrap();
    assert_eq!((twice.followers, twice.following), (0, false));
}

#[tokio::test]
async fn nobody_follows_their_own_channel_an_unknown_one_or_a_private_one_they_cannot_watch() {
    let world = world();
    let (streamer, _) = world.account("u-streamer", "streamer").await;
    let (viewer, _) = world.account("u-viewer", "viewer").await;
    assert!(matches!(
        world.platform.follow(&streamer, "streamer").await,
        Err(DomainError::Conflict {
            code: "own_channel",
            ..
        })
    ));
    assert!(matches!(
        world.platform.follow(&viewer, "nobody_here").await,
        Err(DomainError::NotFound("channel"))
    ));
    assert!(matches!(
        world.platform.follow(&viewer, "../etc").await,
        Err(DomainError::NotFound("channel"))
    ));
    world.set_private(&streamer, true).await;
    assert!(matches!(
        world.platform.follow(&viewer, "streamer").await,
        Err(DomainError::Forbidden(_))
    ));
    world
        .platform
        .grant_viewer(&streamer, "viewer")
        .await
        .unwrap();
    let allowed = world.platform.follow(&viewer, "streamer").await.unwrap();
    assert!(
        allowed.following,
        "an allowed viewer may follow a private channel"
    );
}

#[tokio::test]
async fn toggling_follows_is_rate_limited_per_user() {
    let world = world();
    world.account("u-streamer", "streamer").await;
    let (viewer, _) = world.account("u-viewer", "viewer").await;
    let mut refused = None;
    for attempt in 0..40 {
        let result = if attempt % 2 == 0 {
            world.platform.follow(&viewer, "streamer").await
        } else {
            world.platform.unfollow(&viewer, "streamer").await
        };
        if let Err(error) = result {
            refused = Some((attempt, error));
            break;
        }
    }
    assert!(
        matches!(refused, Some((30, DomainError::RateLimited { .. }))),
        "the 31st change within a minute is refused: {refused:?}"
    );
    world.advance(Duration::minutes(1));
    world.platform.follow(&viewer, "streamer").await.unwrap();
}

#[tokio::test]
async fn the_following_list_puts_live_channels_first_however_old_the_follow() {
    let world = world();
    let (viewer, _) = world.account("u-viewer", "viewer").await;
    let mut channels = Vec::new();
    for (user, handle) in [
        ("u-a", "aaa"),
        ("u-b", "bbb"),
        ("u-c", "ccc"),
        ("u-d", "ddd"),
    ] {
        channels.push(world.account(user, handle).await.1.channel);
        world.advance(Duration::minutes(1));
        world.platform.follow(&viewer, handle).await.unwrap();
    }
    // Not followed, live: never listed.
    let (_, stranger) = world.account("u-e", "eee").await;
    world.go_live(&stranger.channel, 500).await;
    // The oldest follow and one other go live.
    world.go_live(&channels[0], 5).await;
    world.go_live(&channels[2], 50).await;

    let first = world.platform.following(&viewer, None, 2).await.unwrap();
    let handles = |views: &[cloumer_domain::use_cases::directory::ChannelView]| -> Vec<String> {
        views.iter().map(|v| v.channel.handle.to_string()).collect()
    };
    assert_eq!(handles(&first.live), ["ccc", "aaa"], "most viewers first");
    assert_eq!(first.live[0].viewer_count(), 50);
    assert_eq!(
        handles(&first.page.items),
        ["ddd", "ccc"],
        "newest follow first"
    );
    let rest = world
        .platform
        .following(&viewer, first.page.next.clone(), 2)
        .await
        .unwrap();
    assert!(
        rest.live.is_empty(),
        "the live ones come with the first page only"
    );
    assert_eq!(handles(&rest.page.items), ["bbb", "aaa"]);
    assert!(rest.page.next.is_none());
}

/// The first page of followed channels says what is coming up: the next planned streams of its
/// offline channels the caller may watch, soonest first, none under way; later pages do not.
#[tokio::test]
async fn the_following_list_says_which_planned_streams_come_next() {
    use cloumer_domain::schedule::{Day, Schedule, Slot};
    use time::macros::datetime;

    let world = world();
    let (viewer, _) = world.account("u-viewer", "viewer").await;
    let slot = |day: Day, hour: u16, title: &str| Slot {
        day,
        start_minute: hour * 60,
        duration_minutes: 120,
        title: title.to_owned(),
    };
    // The world starts on Monday 2026-09-21, 14:13 UTC.
    let weeks = [
        (
            "u-a",
            "aaa",
            vec![slot(Day::Mon, 15, "a-mon"), slot(Day::Tue, 10, "a-tue")],
        ),
        // Monday's is under way: not "coming".
        (
            "u-b",
            "bbb",
            vec![slot(Day::Mon, 13, "b-mon"), slot(Day::Wed, 9, "b-wed")],
        ),
        ("u-c", "ccc", vec![slot(Day::Mon, 16, "c-live")]),
        ("u-d", "ddd", vec![slot(Day::Mon, 17, "d-private")]),
    ];
    let mut owners = Vec::new();
    for (user, handle, week) in weeks {
        let (owner, account) = world.account(user, handle).await;
        world
            .platform
            .set_schedule(&owner, Some(Schedule::new("UTC", week).unwrap()))
            .await
            .unwrap();
        world.platform.follow(&viewer, handle).await.unwrap();
        owners.push((owner, account.channel));
    }
    // Live now: its plans wait; made private without the viewer: not theirs to see.
    world.go_live(&owners[2].1, 3).await;
    world.set_private(&owners[3].0, true).await;

    let first = world.platform.following(&viewer, None, 24).await.unwrap();
    let coming: Vec<(String, String, time::OffsetDateTime)> = first
        .coming_up
        .iter()
        .map(|p| {
            (
                p.channel.handle.to_string(),
                p.stream.title.clone(),
                p.stream.starts_at,
            )
        })
        .collect();
    assert_eq!(
        coming,
        [
            (
                "aaa".into(),
                "a-mon".into(),
                datetime!(2026-09-21 15:00 UTC)
            ),
            (
                "aaa".into(),
                "a-tue".into(),
                datetime!(2026-09-22 10:00 UTC)
            ),
            (
                "bbb".into(),
                "b-wed".into(),
                datetime!(2026-09-23 09:00 UTC)
            ),
            (
                "bbb".into(),
                "b-mon".into(),
                datetime!(2026-09-28 13:00 UTC)
            ),
            (
                "aaa".into(),
                "a-mon".into(),
                datetime!(2026-09-28 15:00 UTC)
            ),
        ]
    );
    let first_page = world.platform.following(&viewer, None, 2).await.unwrap();
    let rest = world
        .platform
        .following(&viewer, first_page.page.next, 2)
        .await
        .unwrap();
    assert!(rest.coming_up.is_empty(), "the first page's only");
}

/// A channel that streams daily, its stream of today under way: coming up are still its next
/// five, not four (found by the Lambda test run while 21:00 in Seoul was under way).
#[tokio::test]
async fn a_stream_under_way_leaves_the_next_five_coming_up() {
    use cloumer_domain::schedule::{Day, Schedule, Slot};
    use time::macros::datetime;

    let world = world();
    let (viewer, _) = world.account("u-viewer", "viewer").await;
    let (owner, _) = world.account("u-daily", "daily").await;
    // The world starts on Monday 2026-09-21, 14:13 UTC: today's 13:00 is under way.
    let daily = Day::ALL
        .into_iter()
        .map(|day| Slot {
            day,
            start_minute: 13 * 60,
            duration_minutes: 120,
            title: "daily".into(),
        })
        .collect();
    world
        .platform
        .set_schedule(&owner, Some(Schedule::new("UTC", daily).unwrap()))
        .await
        .unwrap();
    world.platform.follow(&viewer, "daily").await.unwrap();
    let first = world.platform.following(&viewer, None, 24).await.unwrap();
    let starts: Vec<_> = first.coming_up.iter().map(|p| p.stream.starts_at).collect();
    assert_eq!(
        starts,
        [
            datetime!(2026-09-22 13:00 UTC),
            datetime!(2026-09-23 13:00 UTC),
            datetime!(2026-09-24 13:00 UTC),
            datetime!(2026-09-25 13:00 UTC),
            datetime!(2026-09-26 13:00 UTC),
        ]
    );
}

/// A streamer reads who follows them, newest first, a page at a time, with each follower's
/// name and channel; someone who unfollows leaves the list, and nobody reads another's.
#[tokio::test]
async fn a_streamer_reads_who_follows_them_newest_first() {
    use cloumer_domain::use_cases::follows::FollowerCursor;

    let world = world();
    let (streamer, _) = world.account("u-streamer", "streamer").await;
    let mut fans = Vec::new();
    let mut handles = std::collections::HashMap::new();
    for name in ["ana", "bo", "cy"] {
        let (fan, account) = world.account(&format!("u-{name}"), name).await;
        world.platform.follow(&fan, "streamer").await.unwrap();
        world.advance(Duration::minutes(1));
        handles.insert(account.channel.handle.to_string(), name);
        fans.push(fan);
    }
    let first = world
        .platform
        .my_followers(&streamer, None, 2)
        .await
        .unwrap();
    // Named by their channels' handles.
    let names = |page: &[cloumer_domain::use_cases::follows::Follower]| {
        page.iter()
            .map(|f| handles[&f.handle.as_ref().unwrap().to_string()])
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&first.items), ["cy", "bo"]);
    assert_eq!(first.items[0].profile.user_id, fans[2].user_id);
    assert_eq!(
        first.items[1].followed_at,
        first.items[0].followed_at - Duration::minutes(1)
    );
    let next: FollowerCursor = first.next.clone().unwrap();
    let rest = world
        .platform
        .my_followers(&streamer, Some(&next), 2)
        .await
        .unwrap();
    assert_eq!(names(&rest.items), ["ana"]);
    assert_eq!(rest.next, None);

    // Unfollowed: gone from the list. Each streamer reads their own channel's, never another's.
    world.platform.unfollow(&fans[1], "streamer").await.unwrap();
    let now = world
        .platform
        .my_followers(&streamer, None, 50)
        .await
        .unwrap();
    assert_eq!(names(&now.items), ["cy", "ana"]);
    let theirs = world
        .platform
        .my_followers(&fans[0], None, 50)
        .await
        .unwrap();
    assert!(theirs.items.is_empty());
    // Asked for none or too many: one at least, at most a page.
    let one = world
        .platform
        .my_followers(&streamer, None, 0)
        .await
        .unwrap();
    assert_eq!(one.items.len(), 1);
}

/// A followed channel staff suspended is shown to nobody but its owner: not among the live
/// channels its followers see (while the store still counts it live, before the video service's
/// end arrives), nor its plans coming up; it stays in their list, unwatchable, to unfollow.
#[tokio::test]
async fn a_suspended_channel_is_not_live_nor_coming_up_for_its_followers() {
    use cloumer_domain::schedule::{Day, Schedule, Slot};

    use crate::reports::suspend_reported;
    let world = world();
    let (viewer, _) = world.account("u-viewer", "viewer").await;
    let (owner, account) = world.account("u-owner", "owner").await;
    let evening = Slot {
        day: Day::Tue,
        start_minute: 20 * 60,
        duration_minutes: 120,
        title: "tuesday".to_owned(),
    };
    world
        .platform
        .set_schedule(&owner, Some(Schedule::new("UTC", vec![evening]).unwrap()))
        .await
        .unwrap();
    world.platform.follow(&viewer, "owner").await.unwrap();
    world.go_live(&account.channel, 5).await;
    let before = world.platform.following(&viewer, None, 24).await.unwrap();
    assert_eq!(before.live.len(), 1);
    assert_eq!(before.page.items.len(), 1);

    suspend_reported(&world, &viewer, "owner", None).await;
    let after = world.platform.following(&viewer, None, 24).await.unwrap();
    assert!(after.live.is_empty(), "{:?}", after.live);
    assert!(after.coming_up.is_empty(), "{:?}", after.coming_up);
    let listed: Vec<_> = after
        .page
        .items
        .iter()
        .map(|v| (v.channel.handle.as_str(), v.can_watch))
        .collect();
    assert_eq!(listed, [("owner", false)]);
    // Once it ends (lifted here), all of it is back.
    world
        .stream_event(
            &account.channel.id,
            "st-owner",
            cloumer_domain::live::StreamEventKind::End,
        )
        .await;
    world
        .platform
        .lift_suspension(&crate::reports::staff("u-staff"), "owner")
        .await
        .unwrap();
    let lifted = world.platform.following(&viewer, None, 24).await.unwrap();
    assert!(
        !lifted.coming_up.is_empty()
            && lifted.coming_up.iter().all(|p| p.stream.title == "tuesday"),
        "{:?}",
        lifted.coming_up
    );
    assert!(lifted.page.items[0].can_watch);
}
