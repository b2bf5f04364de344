use crate::world::world;

#[tokio::test]
async fn a_reset_key_replaces_the_old_one_and_ends_the_broadcast_made_with_it() {
    let world = world();
    let (owner, account) = world.account("u-owner", "owner").await;
    let before = world.platform.ingest_settings(&owner).await.unwrap();
    let after = world.platform.reset_stream_key(&owner).await.unwrap();
    assert_ne!(before.stream_key, after.stream_key);
    assert_eq!(before.server, after.server);
    assert_eq!(
        world
            .platform
            .ingest_settings(&owner)
            .await
            .unwrap()
            .stream_key,
        after.stream_key
    );
    assert_eq!(
        *world.video.stopped.lock().unwrap(),
        [account.channel.video.unwrap().arn],
        "the video service is told to stop the stream"
    );
}

#[tokio::test]
async fn the_channel_type_reaches_the_video_service_and_the_next_broadcast() {
    use cloumer_domain::channel::{ChannelChange, ChannelType};

    let world = world();
    let (owner, account) = world.account("u-owner", "owner").await;
    let arn = account.channel.video.clone().unwrap().arn;
    let spec_type = || world.video.specs.lock().unwrap()[&arn].channel_type;
    let policy_type = async || {
        world
            .platform
            .broadcast_policy(&account.channel.id)
            .await
            .unwrap()
            .unwrap()
            .channel_type
    };
    // IVS's default: a ladder of qualities.
    assert_eq!(account.channel.channel_type, ChannelType::Standard);
    assert_eq!(spec_type(), ChannelType::Standard);
    assert_eq!(policy_type().await, ChannelType::Standard);

    let basic = ChannelChange {
        channel_type: Some(ChannelType::Basic),
        ..ChannelChange::default()
    };
    let changed = world.platform.update_channel(&owner, basic).await.unwrap();
    assert_eq!(changed.channel_type, ChannelType::Basic);
    assert_eq!(spec_type(), ChannelType::Basic);
    assert_eq!(policy_type().await, ChannelType::Basic);
}
