use cloumer_domain::DomainError;
use cloumer_domain::presence::PRESENCE_LIFETIME;
use time::Duration;

use crate::world::world;

const READER: &str = "readerSession0001";

#[tokio::test]
async fn who_is_here_lists_users_with_their_role_counts_readers_and_forgets_who_left() {
    let world = world();
    let (owner, _) = world.account("u-owner", "owner").await;
    let (moderator, _) = world.account("u-mod", "mod").await;
    let (viewer, _) = world.account("u-viewer", "viewer").await;
    world
        .platform
        .appoint_moderator(&owner, "mod")
        .await
        .unwrap();

    world
        .platform
        .here("owner", Some(&viewer), None, None)
        .await
        .unwrap();
    world
        .platform
        .here("owner", None, Some(READER), Some("192.0.2.1"))
        .await
        .unwrap();
    world
        .platform
        .here("owner", Some(&owner), None, None)
        .await
        .unwrap();
    let presence = world
        .platform
        .here("owner", Some(&moderator), None, None)
        .await
        .unwrap();
    let listed: Vec<(&str, &str)> = presence
        .users
        .iter()
        .map(|u| (u.user_id.as_str(), u.role.as_str()))
        .collect();
    assert_eq!(
        listed,
        [
            ("u-owner", "owner"),
            ("u-mod", "moderator"),
            ("u-viewer", "viewer")
        ]
    );
    assert_eq!(presence.users[2].nickname, "u-viewer 님");
    assert_eq!((presence.user_count, presence.readers), (3, 1));

    // One leaves by saying so; the reader stops sending heartbeats and lapses.
    world
        .platform
        .leave("owner", Some(&viewer), None)
        .await
        .unwrap();
    world.advance(PRESENCE_LIFETIME - Duration::seconds(5));
    world
        .platform
        .here("owner", Some(&owner), None, None)
        .await
        .unwrap();
    world
        .platform
        .here("owner", Some(&moderator), None, None)
        .await
        .unwrap();
    world.advance(Duration::seconds(6));
    let presence = world
        .platform
        .here("owner", Some(&owner), None, None)
        .await
        .unwrap();
    assert_eq!(presence.users.len(), 2);
    assert_eq!(presence.readers, 0);
}

#[tokio::test]
async fn readers_need_a_session_are_rate_limited_and_private_rooms_are_for_allowed_viewers() {
    let world = world();
    let (owner, _) = world.account("u-owner", "owner").await;
    let (stranger, _) = world.account("u-x", "stranger").await;
    assert!(matches!(
        world
            .platform
            .here("owner", None, None, Some("192.0.2.9"))
            .await,
        Err(DomainError::Unauthenticated)
    ));
    for session in [Some("short"), Some("has spaces in it!!")] {
        assert!(matches!(
            world
                .platform
                .here("owner", None, session, Some("192.0.2.9"))
                .await,
            Err(DomainError::Invalid {
                code: "invalid_session",
                ..
            })
        ));
    }
    assert!(matches!(
        world
            .platform
            .here("nobody_here", None, Some(READER), None)
            .await,
        Err(DomainError::NotFound("channel"))
    ));
    let limit = cloumer_domain::limits::ANONYMOUS_HEARTBEATS.max;
    for _ in 0..limit {
        world
            .platform
            .here("owner", None, Some(READER), Some("192.0.2.7"))
            .await
            .unwrap();
    }
    assert!(matches!(
        world
            .platform
            .here("owner", None, Some(READER), Some("192.0.2.7"))
            .await,
        Err(DomainError::RateLimited { .. })
    ));

    let private = cloumer_domain::channel::ChannelChange {
        private: Some(true),
        ..Default::default()
    };
    world
        .platform
        .update_channel(&owner, private)
        .await
        .unwrap();
    assert!(matches!(
        world
            .platform
            .here("owner", Some(&stranger), None, None)
            .await,
        Err(DomainError::Forbidden(_))
    ));
    assert!(matches!(
        world
            .platform
            .here("owner", None, Some(READER), Some("192.0.2.8"))
            .await,
        Err(DomainError::Forbidden(_))
    ));
    let own = world
        .platform
        .here("owner", Some(&owner), None, None)
        .await
        .unwrap();
    assert_eq!(own.users.len(), 1);
}
