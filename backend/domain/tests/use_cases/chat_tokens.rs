use cloumer_domain::DomainError;
use cloumer_domain::chat::{ChatCapability, ChatRole};
use cloumer_domain::use_cases::chat_moderation::{ChatOf, Restriction};
use time::Duration;

use crate::world::world;

#[tokio::test]
async fn capabilities_follow_the_callers_role_in_that_room() {
    let world = world();
    let (owner, _) = world.account("u-owner", "owner").await;
    let (viewer, _) = world.account("u-viewer", "viewer").await;
    let anonymous = world
        .platform
        .chat_token("owner", None, Some("192.0.2.1"))
        .await
        .unwrap();
    assert_eq!(anonymous.role, ChatRole::Anonymous);
    assert!(anonymous.capabilities.is_empty());
    assert!(anonymous.user_id.is_anonymous());
    let signed_in = world
        .platform
        .chat_token("owner", Some(&viewer), None)
        .await
        .unwrap();
    assert_eq!(signed_in.capabilities, vec![ChatCapability::SendMessage]);
    assert_eq!(signed_in.user_id, viewer.user_id);
    let own = world
        .platform
        .chat_token("owner", Some(&owner), None)
        .await
        .unwrap();
    assert_eq!(own.role, ChatRole::Owner);
    assert_eq!(own.capabilities.len(), 3);
}

#[tokio::test]
async fn a_banned_user_gets_no_token_and_learns_until_when() {
    let world = world();
    let (owner, _) = world.account("u-owner", "owner").await;
    let (troll, _) = world.account("u-troll", "troll").await;
    world
        .platform
        .restrict(
            &owner,
            ChatOf::Mine,
            &troll.user_id,
            Restriction::Ban(Some(Duration::hours(1))),
            None,
        )
        .await
        .unwrap();
    let error = world
        .platform
        .chat_token("owner", Some(&troll), None)
        .await
        .unwrap_err();
    assert!(matches!(
        error,
        DomainError::Banned { until: Some(until) } if until == world.platform.now() + Duration::hours(1)
    ));
}

#[tokio::test]
async fn a_private_channels_room_is_for_its_allowed_viewers() {
    let world = world();
    let (owner, _) = world.account("u-owner", "owner").await;
    let (friend, _) = world.account("u-friend", "friend").await;
    world.set_private(&owner, true).await;
    assert!(matches!(
        world
            .platform
            .chat_token("owner", Some(&friend), None)
            .await,
        Err(DomainError::Forbidden(_))
    ));
    assert!(matches!(
        world
            .platform
            .chat_token("owner", None, Some("192.0.2.1"))
            .await,
        Err(DomainError::Forbidden(_))
    ));
    world.platform.grant_viewer(&owner, "friend").await.unwrap();
    assert!(
        world
            .platform
            .chat_token("owner", Some(&friend), None)
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn signed_out_minting_is_limited_per_client() {
    let world = world();
    let (viewer, _) = world.account("u-viewer", "viewer").await;
    for _ in 0..10 {
        world
            .platform
            .chat_token("viewer", None, Some("192.0.2.1"))
            .await
            .unwrap();
    }
    assert!(matches!(
        world
            .platform
            .chat_token("viewer", None, Some("192.0.2.1"))
            .await,
        Err(DomainError::RateLimited { .. })
    ));
    assert!(
        world
            .platform
            .chat_token("viewer", None, Some("192.0.2.2"))
            .await
            .is_ok(),
        "another client"
    );
    world.advance(Duration::minutes(1));
    assert!(
        world
            .platform
            .chat_token("viewer", None, Some("192.0.2.1"))
            .await
            .is_ok()
    );
    assert!(
        world
            .platform
            .chat_token("viewer", Some(&viewer), Some("192.0.2.1"))
            .await
            .is_ok(),
        "signed in, the client's signed-out limit does not apply"
    );
}
