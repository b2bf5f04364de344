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
        matches!(refused, Some((30, DomainError::RateLimited))),
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
