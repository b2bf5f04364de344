use cloumer_domain::DomainError;
use cloumer_domain::use_cases::private_playback::PlaybackRule;

use crate::world::world;

#[tokio::test]
async fn a_public_channel_plays_from_its_plain_url() {
    let world = world();
    let (_, account) = world.account("u-owner", "owner").await;
    let access = world.platform.playback("owner", None).await.unwrap();
    assert_eq!(access.url, account.channel.video.unwrap().playback_url);
    assert_eq!(access.token, None);
    assert_eq!(
        world
            .platform
            .playback_rule(&account.channel.id)
            .await
            .unwrap(),
        Some(PlaybackRule::Public)
    );
}

#[tokio::test]
async fn a_private_channel_signs_a_token_for_its_allowed_viewers_only() {
    let world = world();
    let (owner, account) = world.account("u-owner", "owner").await;
    let (friend, _) = world.account("u-friend", "friend").await;
    let (stranger, _) = world.account("u-stranger", "stranger").await;
    world.set_private(&owner, true).await;
    let video = account.channel.video.unwrap();
    assert!(
        world.video.specs.lock().unwrap()[&video.arn].private,
        "the video service is told"
    );
    assert!(matches!(
        world.platform.playback("owner", None).await,
        Err(DomainError::Unauthenticated)
    ));
    assert!(matches!(
        world
            .platform
            .playback("owner", Some(&stranger.user_id))
            .await,
        Err(DomainError::Forbidden(_))
    ));
    world.platform.grant_viewer(&owner, "friend").await.unwrap();
    let access = world
        .platform
        .playback("owner", Some(&friend.user_id))
        .await
        .unwrap();
    let expires = world.platform.now() + time::Duration::minutes(10);
    let token = format!("{}|u-friend|{}", video.arn, expires.unix_timestamp());
    assert_eq!(access.token.as_deref(), Some(token.as_str()));
    assert_eq!(access.url, format!("{}?token={token}", video.playback_url));
    assert_eq!(access.expires_at, Some(expires));
    assert_eq!(
        world
            .platform
            .playback_rule(&account.channel.id)
            .await
            .unwrap(),
        Some(PlaybackRule::TokenFor {
            channel_arn: video.arn
        })
    );
    world
        .platform
        .revoke_viewer(&owner, "friend")
        .await
        .unwrap();
    assert!(
        world
            .platform
            .playback("owner", Some(&friend.user_id))
            .await
            .is_err()
    );
}
