use cloumer_domain::DomainError;
use cloumer_domain::Identity;
use cloumer_domain::notification::NotificationKind;
use cloumer_domain::report::{ReportAction, ReportReason, ReportSubject};
use cloumer_domain::use_cases::reports::{ReportInQueue, Reported};
use time::Duration;

use crate::reports::{report, staff};
use crate::world::{World, world};

/// A channel reported for violence and suspended by staff: (owner, staff).
async fn suspended(world: &World) -> (Identity, Identity) {
    let (owner, _) = world.account("u-owner", "owner").await;
    let (mina, _) = world.account("u-mina", "mina").await;
    let staff = staff("u-staff");
    let on_channel = Reported::Channel { handle: "owner" };
    assert!(report(world, &mina, on_channel, "violence").await.unwrap());
    let queue = open_queue(world, &staff).await;
    world
        .platform
        .settle_report(&staff, queue[0].report.id.as_str(), "suspend", None)
        .await
        .unwrap();
    (owner, staff)
}

/// The staff's queue, first page.
pub async fn open_queue(world: &World, staff: &Identity) -> Vec<ReportInQueue> {
    world
        .platform
        .open_reports(staff, None, 10)
        .await
        .unwrap()
        .items
}

pub fn is_conflict(result: &Result<impl std::fmt::Debug, DomainError>, expected: &str) -> bool {
    matches!(result, Err(DomainError::Conflict { code, .. }) if *code == expected)
}

#[tokio::test]
async fn a_suspended_owner_appeals_once_and_staff_keep_the_suspension() {
    let world = world();
    let (owner, staff) = suspended(&world).await;
    let (bora, _) = world.account("u-bora", "bora").await;

    // Nothing to appeal for a channel that is not suspended; words are required and clean.
    let refused = world.platform.appeal_suspension(&bora, "let me out").await;
    assert!(is_conflict(&refused, "not_suspended"), "{refused:?}");
    for bad in ["", "  \n ", "hidden\u{202e}text", &"가".repeat(1001)] {
        let refused = world.platform.appeal_suspension(&owner, bad).await;
        assert!(
            matches!(refused, Err(DomainError::Invalid { .. })),
            "{bad:?}: {refused:?}"
        );
    }
    assert_eq!(
        world
            .platform
            .my_channel(&owner)
            .await
            .unwrap()
            .channel
            .suspension
            .unwrap()
            .appealed_at,
        None,
        "a refused appeal is no appeal"
    );

    let appealed_at = world
        .platform
        .appeal_suspension(&owner, "That was a film clip,\nnot a threat.")
        .await
        .unwrap();
    // Once per suspension.
    let again = world.platform.appeal_suspension(&owner, "please").await;
    assert!(is_conflict(&again, "already_appealed"), "{again:?}");
    let suspension = world
        .platform
        .my_channel(&owner)
        .await
        .unwrap()
        .channel
        .suspension
        .unwrap();
    assert_eq!(suspension.appealed_at, Some(appealed_at));

    // In the staff's queue: the owner's words, on the suspension, for the suspension's reason.
    let queue = open_queue(&world, &staff).await;
    assert_eq!(queue.len(), 1);
    let appeal = &queue[0];
    assert_eq!(
        appeal.report.subject,
        ReportSubject::Suspension(suspension_channel(&world, &owner).await)
    );
    assert_eq!(appeal.report.reason, ReportReason::Violence);
    assert_eq!(appeal.report.details, "That was a film clip, not a threat.");
    assert_eq!(appeal.reporter_handle.as_deref(), Some("owner"));
    // An appeal is not taken down or suspended: kept or lifted.
    for wrong in ["remove", "suspend"] {
        let refused = world
            .platform
            .settle_report(&staff, appeal.report.id.as_str(), wrong, None)
            .await;
        assert!(
            matches!(refused, Err(DomainError::Invalid { .. })),
            "{refused:?}"
        );
    }

    // Kept: the channel stays suspended, its owner is told, and may not appeal again.
    world.advance(Duration::minutes(1));
    let settled = world
        .platform
        .settle_report(&staff, appeal.report.id.as_str(), "dismiss", None)
        .await
        .unwrap();
    assert_eq!(settled.action, ReportAction::Dismissed);
    let channel = world.platform.my_channel(&owner).await.unwrap().channel;
    assert!(channel.suspension.is_some());
    let suspension = channel.suspension.unwrap();
    assert_eq!(
        (suspension.appealed_at, suspension.appeal_rejected_at),
        (Some(appealed_at), Some(appealed_at + Duration::minutes(1)))
    );
    let told = world
        .platform
        .notifications(&owner, None, 10)
        .await
        .unwrap()
        .page
        .items;
    assert_eq!(
        told[0].kind,
        NotificationKind::AppealRejected {
            rejected_appeal: ReportReason::Violence
        }
    );
    assert!(
        !told
            .iter()
            .any(|n| matches!(n.kind, NotificationKind::ReportReviewed { .. }))
    );
    let again = world.platform.appeal_suspension(&owner, "please").await;
    assert!(is_conflict(&again, "already_appealed"), "{again:?}");
    assert!(open_queue(&world, &staff).await.is_empty());
}

async fn suspension_channel(world: &World, owner: &Identity) -> cloumer_domain::ids::ChannelId {
    world.platform.my_channel(owner).await.unwrap().channel.id
}

#[tokio::test]
async fn staff_lift_an_appealed_suspension_from_the_queue_or_the_channel_and_the_appeal_closes() {
    let world = world();
    let (owner, staff) = suspended(&world).await;
    let (mina, _) = world.account("u-mina2", "mina2").await;
    world
        .platform
        .appeal_suspension(&owner, "I removed the clip")
        .await
        .unwrap();
    let appeal = open_queue(&world, &staff).await[0].report.clone();
    // A viewer's report on the channel is another subject: the appeal does not settle it.
    let on_channel = Reported::Channel { handle: "owner" };
    assert!(report(&world, &mina, on_channel, "spam").await.unwrap());

    world.advance(Duration::minutes(1));
    let settled = world
        .platform
        .settle_report(&staff, appeal.id.as_str(), "reinstate", None)
        .await
        .unwrap();
    assert_eq!(settled.action, ReportAction::Reinstated);
    let channel = world.platform.my_channel(&owner).await.unwrap().channel;
    assert!(channel.suspension.is_none());
    let told = world
        .platform
        .notifications(&owner, None, 10)
        .await
        .unwrap()
        .page
        .items;
    assert_eq!(
        told[0].kind,
        NotificationKind::SuspensionLifted {
            lifted_suspension: ReportReason::Violence
        }
    );
    let queue = open_queue(&world, &staff).await;
    assert_eq!(queue.len(), 1);
    assert_eq!(queue[0].report.reporter, mina.user_id);
    world
        .platform
        .settle_report(&staff, queue[0].report.id.as_str(), "dismiss", None)
        .await
        .unwrap();

    // Suspended again (a new suspension may be appealed), then lifted from the channel's page:
    // the waiting appeal is settled with it.
    let (jun, _) = world.account("u-jun", "jun").await;
    assert!(
        report(&world, &jun, Reported::Channel { handle: "owner" }, "hate")
            .await
            .unwrap()
    );
    let queue = open_queue(&world, &staff).await;
    world
        .platform
        .settle_report(&staff, queue[0].report.id.as_str(), "suspend", None)
        .await
        .unwrap();
    world
        .platform
        .appeal_suspension(&owner, "again, a mistake")
        .await
        .unwrap();
    let queue = open_queue(&world, &staff).await;
    assert_eq!(queue.len(), 1);
    assert_eq!(queue[0].report.reason, ReportReason::Hate);
    world.advance(Duration::minutes(1));
    world
        .platform
        .lift_suspension(&staff, "owner")
        .await
        .unwrap();
    assert!(open_queue(&world, &staff).await.is_empty());
    let closed = world
        .platform
        .settle_report(&staff, queue[0].report.id.as_str(), "dismiss", None)
        .await;
    assert!(is_conflict(&closed, "already_settled"), "{closed:?}");
    // A report that is not an appeal is not settled by reinstating.
    assert!(
        report(&world, &jun, Reported::Channel { handle: "owner" }, "spam")
            .await
            .unwrap()
    );
    let queue = open_queue(&world, &staff).await;
    let refused = world
        .platform
        .settle_report(&staff, queue[0].report.id.as_str(), "reinstate", None)
        .await;
    assert!(
        matches!(
            refused,
            Err(DomainError::Invalid {
                code: "cannot_reinstate",
                ..
            })
        ),
        "{refused:?}"
    );
}
