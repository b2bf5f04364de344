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
