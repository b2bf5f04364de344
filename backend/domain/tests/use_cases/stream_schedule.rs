//! A streamer's weekly schedule: their channel page shows anyone the next streams it promises,
//! moving on as they pass; an empty week removes it.

use cloumer_domain::schedule::{Day, Schedule, Slot};
use time::Duration;
use time::macros::datetime;

use crate::world::world;

#[tokio::test]
async fn the_channel_page_shows_the_next_planned_streams_as_time_goes_by() {
    let world = world();
    let (owner, _) = world.account("u-owner", "owner").await;
    // The world starts on Monday 2026-09-21, 14:13 UTC.
    assert_eq!(world.platform.now(), datetime!(2026-09-21 14:13:20 UTC));
    let week = vec![
        Slot {
            day: Day::Mon,
            start_minute: 15 * 60,
            duration_minutes: 60,
            title: "Monday chat".into(),
        },
        Slot {
            day: Day::Wed,
            start_minute: 20 * 60,
            duration_minutes: 120,
            title: String::new(),
        },
    ];
    world
        .platform
        .set_schedule(&owner, Some(Schedule::new("UTC", week).unwrap()))
        .await
        .unwrap();
    let page = world.platform.channel_page("owner", None).await.unwrap();
    let starts: Vec<_> = page.upcoming.iter().map(|p| p.starts_at).collect();
    assert_eq!(
        starts,
        [
            datetime!(2026-09-21 15:00 UTC),
            datetime!(2026-09-23 20:00 UTC),
            datetime!(2026-09-28 15:00 UTC),
        ]
    );
    assert_eq!(page.upcoming[0].title, "Monday chat");
    // An hour on, Monday's is under way and still leads; once over, Wednesday's does.
    world.advance(Duration::hours(1));
    let page = world.platform.channel_page("owner", None).await.unwrap();
    assert_eq!(page.upcoming[0].starts_at, datetime!(2026-09-21 15:00 UTC));
    world.advance(Duration::hours(1));
    let page = world.platform.channel_page("owner", None).await.unwrap();
    assert_eq!(page.upcoming[0].starts_at, datetime!(2026-09-23 20:00 UTC));
    let mine = world.platform.my_channel(&owner).await.unwrap();
    assert_eq!(mine.upcoming, page.upcoming);

    // A private channel's plans show only to those who may watch it.
    world.set_private(&owner, true).await;
    let stranger = world.platform.channel_page("owner", None).await.unwrap();
    assert!(stranger.upcoming.is_empty());
    let own = world
        .platform
        .channel_page("owner", Some(&owner.user_id))
        .await
        .unwrap();
    assert_eq!(own.upcoming, page.upcoming);
    world.set_private(&owner, false).await;

    // An empty week is no schedule.
    world
        .platform
        .set_schedule(&owner, Some(Schedule::new("UTC", Vec::new()).unwrap()))
        .await
        .unwrap();
    let page = world.platform.channel_page("owner", None).await.unwrap();
    assert!(page.upcoming.is_empty());
    assert_eq!(page.channel.schedule, None);
}
