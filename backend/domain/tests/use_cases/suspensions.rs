use cloumer_domain::DomainError;
use cloumer_domain::Identity;
use cloumer_domain::notification::NotificationKind;
use cloumer_domain::report::ReportReason;
use cloumer_domain::use_cases::directory::DirectoryFilter;
use cloumer_domain::use_cases::reports::Reported;
use time::Duration;

use crate::appeals::{is_conflict, open_queue};
use crate::reports::{report, staff, suspend_reported, told};
use crate::world::{World, world};

fn is_invalid(result: &Result<impl std::fmt::Debug, DomainError>, expected: &str) -> bool {
    matches!(result, Err(DomainError::Invalid { code, .. }) if *code == expected)
}

/// Whether `who` may chat on, play and set up the owner's channel, and finds it listed.
async fn usable(world: &World, owner: &Identity, who: &Identity) -> [bool; 4] {
    let listed = world
        .platform
        .directory(&DirectoryFilter::default(), None, 10)
        .await
        .unwrap()
        .items
        .iter()
        .any(|c| c.channel.handle.as_str() == "owner");
    [
        world
            .platform
            .chat_token("owner", Some(who), None)
            .await
            .is_ok(),
        world
            .platform
            .playback("owner", Some(&who.user_id))
            .await
            .is_ok(),
        world.platform.ingest_settings(owner).await.is_ok(),
        listed,
    ]
}

#[tokio::test]
async fn a_suspension_for_days_ends_by_itself() {
    let world = world();
    let (owner, _) = world.account("u-owner", "owner").await;
    let (mina, _) = world.account("u-mina", "mina").await;
    let staff = staff("u-staff");
    assert!(
        report(
            &world,
            &mina,
            Reported::Channel { handle: "owner" },
            "violence"
        )
        .await
        .unwrap()
    );
    let id = open_queue(&world, &staff).await[0].report.id.to_string();

    // Days are for a suspension, and a suspension lasts 1 to 365 of them; a refused decision
    // settles nothing.
    for (action, days) in [("suspend", 0), ("suspend", 366), ("dismiss", 3)] {
        let refused = world
            .platform
            .settle_report(&staff, &id, action, Some(days))
            .await;
        assert!(is_invalid(&refused, "invalid_days"), "{refused:?}");
    }
    assert_eq!(open_queue(&world, &staff).await.len(), 1);
    assert_eq!(usable(&world, &owner, &mina).await, [true; 4]);

    let suspended_at = world.platform.now();
    world
        .platform
        .settle_report(&staff, &id, "suspend", Some(7))
        .await
        .unwrap();
    let ends = suspended_at + Duration::days(7);
    // Its owner is told until when; its page and dashboard say it.
    assert_eq!(
        told(&world, &owner).await[0].0,
        NotificationKind::Suspended {
            suspended_for: ReportReason::Violence,
            suspended_until: Some(ends),
        }
    );
    let dashboard = world.platform.my_channel(&owner).await.unwrap();
    assert_eq!(dashboard.channel.suspension.unwrap().until, Some(ends));
    assert_eq!(usable(&world, &owner, &mina).await, [false; 4]);

    // A minute before its end it holds; its owner appeals.
    world.advance(Duration::days(7) - Duration::minutes(1));
    assert_eq!(usable(&world, &owner, &mina).await, [false; 4]);
    assert!(
        world
            .platform
            .channel_page("owner", None)
            .await
            .unwrap()
            .channel
            .suspension
            .is_some()
    );
    world
        .platform
        .appeal_suspension(&owner, "it was a film scene")
        .await
        .unwrap();

    // At its end the channel is back, with nobody doing anything.
    world.advance(Duration::minutes(1));
    assert_eq!(usable(&world, &owner, &mina).await, [true; 4]);
    let page = world.platform.channel_page("owner", None).await.unwrap();
    assert!(page.can_watch && page.channel.suspension.is_none());
    assert!(
        world
            .platform
            .my_channel(&owner)
            .await
            .unwrap()
            .channel
            .suspension
            .is_none()
    );
    let late = world.platform.appeal_suspension(&owner, "again").await;
    assert!(is_conflict(&late, "not_suspended"), "{late:?}");
    // The appeal filed in time is answered; lifting what ended tells its owner nothing new.
    let appeal = open_queue(&world, &staff).await[0].report.id.to_string();
    world
        .platform
        .settle_report(&staff, &appeal, "reinstate", None)
        .await
        .unwrap();
    assert!(open_queue(&world, &staff).await.is_empty());
    assert!(matches!(
        told(&world, &owner).await[0].0,
        NotificationKind::Suspended { .. }
    ));

    // Suspended again, it is a new suspension, until staff lift it.
    suspend_reported(&world, &mina, "owner", None).await;
    let suspension = world
        .platform
        .my_channel(&owner)
        .await
        .unwrap()
        .channel
        .suspension
        .unwrap();
    assert_eq!(
        (suspension.reason, suspension.until, suspension.appealed_at),
        (ReportReason::Hate, None, None)
    );
    world.advance(Duration::days(400));
    assert_eq!(usable(&world, &owner, &mina).await, [false; 4]);
}
