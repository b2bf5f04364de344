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

#[tokio::test]
async fn video_settings_wait_for_the_broadcast_to_end_as_ivs_requires() {
    use cloumer_domain::channel::{ChannelChange, StreamTitle};
    use cloumer_domain::error::DomainError;
    use cloumer_domain::ids::StreamId;
    use cloumer_domain::live::{StreamEvent, StreamEventKind};

    let world = world();
    let (owner, account) = world.account("u-owner", "owner").await;
    let arn = account.channel.video.clone().unwrap().arn;
    let stream = |kind| StreamEvent {
        channel_id: account.channel.id.clone(),
        stream_id: StreamId::parse("st-1").unwrap(),
        kind,
        at: world.platform.now(),
    };
    world
        .platform
        .handle_stream_event(&stream(StreamEventKind::Start))
        .await
        .unwrap();
    let private = || ChannelChange {
        private: Some(true),
        ..ChannelChange::default()
    };
    let refused = world.platform.update_channel(&owner, private()).await;
    assert!(
        matches!(
            refused,
            Err(DomainError::Conflict {
                code: "channel_live",
                ..
            })
        ),
        "{refused:?}"
    );
    // Nothing of it was kept, in the store or at the video service.
    let mine = world.platform.my_channel(&owner).await.unwrap();
    assert!(!mine.channel.private);
    assert!(!world.video.specs.lock().unwrap()[&arn].private);
    // What IVS does not hold may change while live: the title, and marking the channel for
    // adults (a streamer who sees where the stream is going), which its listing then says.
    let title = ChannelChange {
        title: Some(StreamTitle::parse("Still live").unwrap()),
        mature: Some(true),
        ..ChannelChange::default()
    };
    let changed = world.platform.update_channel(&owner, title).await.unwrap();
    assert!(changed.mature && !changed.private);
    assert!(
        !world.video.specs.lock().unwrap()[&arn].private,
        "the video service is not told"
    );
    let listed = world.platform.channel_page("owner", None).await.unwrap();
    assert!(listed.channel.mature);

    world
        .platform
        .handle_stream_event(&stream(StreamEventKind::End))
        .await
        .unwrap();
    let changed = world
        .platform
        .update_channel(&owner, private())
        .await
        .unwrap();
    assert!(changed.private);
    assert!(changed.mature, "a later change keeps it");
    assert!(world.video.specs.lock().unwrap()[&arn].private);
}

/// Several channel settings pass to IVS, whose quotas are per AWS account (UpdateChannel,
/// UpdateRoom, stream keys), or tell everyone in the room (chat rules): one streamer's script
/// must not use them up for everyone. Changes share one budget, 60 in ten minutes; a refused
/// one changes nothing, a bad one costs nothing, and others are not held back.
#[tokio::test]
async fn channel_changes_share_one_limit_and_a_refused_change_changes_nothing() {
    use cloumer_domain::DomainError;
    use cloumer_domain::about::ChannelAbout;
    use cloumer_domain::channel::{ChannelChange, StreamTitle};
    use cloumer_domain::chat_rules::ChatRules;
    use time::Duration;

    let world = world();
    let (owner, _) = world.account("u-owner", "owner").await;
    let (other, _) = world.account("u-other", "other").await;
    let titled = |title: &str| ChannelChange {
        title: Some(StreamTitle::parse(title).unwrap()),
        ..ChannelChange::default()
    };
    let slow = |seconds| ChatRules {
        slow_mode_seconds: seconds,
        ..ChatRules::default()
    };
    let bio = |text: &str| ChannelAbout::new(text, &[]).unwrap();
    let named = |nickname: &str| cloumer_domain::profile::ProfileChange {
        nickname: Some(cloumer_domain::profile::Nickname::parse(nickname).unwrap()),
        ..Default::default()
    };
    let platform = &world.platform;
    // The profile too: each change of it writes the channel's copy of the name.
    for i in 0..10 {
        platform
            .update_profile(&owner, named(&format!("name {i}")))
            .await
            .unwrap();
    }
    for i in 0..10 {
        platform
            .update_channel(&owner, titled(&format!("title {i}")))
            .await
            .unwrap();
        platform
            .set_about(&owner, bio(&format!("bio {i}")))
            .await
            .unwrap();
        platform.set_schedule(&owner, None).await.unwrap();
        platform.update_chat_rules(&owner, slow(i)).await.unwrap();
        platform.reset_stream_key(&owner).await.unwrap();
    }
    let key = platform.ingest_settings(&owner).await.unwrap().stream_key;
    fn limited<T>(result: Result<T, DomainError>) -> bool {
        matches!(result, Err(DomainError::RateLimited { .. }))
    }
    assert!(limited(
        platform
            .update_channel(&owner, titled("one too many"))
            .await
    ));
    assert!(limited(
        platform.set_about(&owner, bio("one too many")).await
    ));
    assert!(limited(platform.set_schedule(&owner, None).await));
    assert!(limited(platform.update_chat_rules(&owner, slow(30)).await));
    assert!(limited(platform.reset_stream_key(&owner).await));
    assert!(limited(
        platform.update_profile(&owner, named("one too many")).await
    ));
    let view = platform.my_channel(&owner).await.unwrap();
    let channel = &view.channel;
    assert_eq!(channel.title.as_str(), "title 9");
    assert_eq!(channel.about, Some(bio("bio 9")));
    assert_eq!(channel.chat_rules.slow_mode_seconds, 9);
    assert_eq!(channel.owner_nickname.as_str(), "name 9");
    assert_eq!(
        platform.ingest_settings(&owner).await.unwrap().stream_key,
        key
    );
    // Bad rules are refused for what they are, before anything is counted.
    let bad = ChatRules {
        max_message_length: 0,
        ..ChatRules::default()
    };
    assert!(matches!(
        platform.update_chat_rules(&owner, bad).await,
        Err(DomainError::Invalid { .. })
    ));
    platform
        .update_channel(&other, titled("someone else's"))
        .await
        .unwrap();
    world.advance(Duration::minutes(10));
    platform
        .update_channel(&owner, titled("later"))
        .await
        .unwrap();
}
