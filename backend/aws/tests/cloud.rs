//! The cloud adapters against an AWS emulator (moto, over real HTTP) for every operation it
//! implements, and against recorded responses (aws-smithy-mocks) for the ones it does not
//! (IVS stream keys and streams, all of IVS Chat).

use std::sync::Arc;

use cloumer_aws::dynamo::{DynamoStore, create_table};
use cloumer_aws::ivs::{IvsVideo, RecordingConfigurations};
use cloumer_aws::ivschat::IvsChat;
use cloumer_aws::jwks::HttpJwks;
use cloumer_aws::testing::{CognitoUser, Moto};
use cloumer_domain::channel::{ChannelType, ChatRoom, LatencyMode, VideoChannel};
use cloumer_domain::chat::{ChatCapability, ChatTokenRequest};
use cloumer_domain::chat_rules::ChatRules;
use cloumer_domain::ids::{ChannelId, MessageId, UserId};
use cloumer_domain::ports::{
    ChatRoomSpec, ChatService, IdentityVerifier, StreamHealth, SystemClock, VideoChannelSpec,
    VideoService,
};
use cloumer_domain::testkit;
use cloumer_tokens::JwtVerifier;
use serde_json::json;

async fn dynamo_store() -> (DynamoStore, Moto) {
    let (store, _, moto) = dynamo_store_and_client().await;
    (store, moto)
}

/// The store, and a client to its table to write items as an older version did.
async fn dynamo_store_and_client() -> (DynamoStore, aws_sdk_dynamodb::Client, Moto) {
    let moto = Moto::start().await;
    let client = aws_sdk_dynamodb::Client::new(&moto.sdk_config().await);
    create_table(&client, "cloumer").await.unwrap();
    (DynamoStore::new(client.clone(), "cloumer"), client, moto)
}

#[tokio::test]
async fn dynamodb_behaves_as_a_channel_repository() {
    let (store, _moto) = dynamo_store().await;
    testkit::channel_repository(&store).await;
}

#[tokio::test]
async fn dynamodb_behaves_as_a_chat_repository() {
    let (store, _moto) = dynamo_store().await;
    testkit::chat_repository(&store).await;
}

/// Takes `gsi1` off the items `filter` (on `:prefix`) finds, as an older version wrote them;
/// how many it found.
async fn without_gsi1(client: &aws_sdk_dynamodb::Client, filter: &str, prefix: &str) -> usize {
    use aws_sdk_dynamodb::types::AttributeValue;
    let found = client
        .scan()
        .table_name("cloumer")
        .filter_expression(filter)
        .expression_attribute_values(":prefix", AttributeValue::S(prefix.into()))
        .send()
        .await
        .unwrap();
    for item in found.items() {
        client
            .update_item()
            .table_name("cloumer")
            .key("pk", item["pk"].clone())
            .key("sk", item["sk"].clone())
            .update_expression("REMOVE gsi1pk, gsi1sk")
            .send()
            .await
            .unwrap();
    }
    found.items().len()
}

/// A table from before messages were indexed by sender: the deploy's upgrade indexes its older
/// messages once (not one deleted meanwhile, not twice), and a person's messages are then found.
#[tokio::test]
async fn dynamodb_indexes_older_messages_by_sender_once() {
    use cloumer_domain::chat::StoredMessage;
    use cloumer_domain::ports::ChatRepository;
    let (store, client, _moto) = dynamo_store_and_client().await;
    let channel = ChannelId::parse("chold").unwrap();
    let said = |id: &str, sender: &str, second: i64| StoredMessage {
        channel_id: channel.clone(),
        id: MessageId::parse(id).unwrap(),
        sent_at: time::OffsetDateTime::from_unix_timestamp(1_790_000_000 + second).unwrap(),
        sender: UserId::parse(sender).unwrap(),
        sender_attributes: Default::default(),
        content: format!("said {id}"),
        attributes: Default::default(),
    };
    // Written as the older version wrote them: the message item without its index keys.
    for message in [
        said("a1", "alice", 1),
        said("b1", "bob", 2),
        said("a2", "alice", 3),
    ] {
        store.append_messages(&[message]).await.unwrap();
    }
    without_gsi1(&client, "begins_with(sk, :prefix)", "MSG#").await;
    let alice = UserId::parse("alice").unwrap();
    let listed = |store: &DynamoStore| {
        let (store, alice) = (store.clone(), alice.clone());
        async move {
            let page = store.list_sent_messages(&alice, None, 10).await.unwrap();
            page.items
                .iter()
                .map(|m| m.id.as_str().to_owned())
                .collect::<Vec<_>>()
        }
    };
    assert!(
        listed(&store).await.is_empty(),
        "older messages are not found by sender"
    );
    // One written since the new functions went in, and one deleted before the upgrade runs.
    store
        .append_messages(&[said("a3", "alice", 4)])
        .await
        .unwrap();
    store
        .delete_message(
            &channel,
            &MessageId::parse("b1").unwrap(),
            time::OffsetDateTime::now_utc(),
        )
        .await
        .unwrap();

    assert_eq!(store.index_older_messages().await.unwrap(), Some(2));
    assert_eq!(listed(&store).await, ["a3", "a2", "a1"]);
    assert_eq!(
        store
            .get_message(&channel, &MessageId::parse("b1").unwrap())
            .await
            .unwrap(),
        None
    );
    // Done once: the next deploy skips it.
    assert_eq!(store.index_older_messages().await.unwrap(), None);
}

/// A table from before reports were indexed by their reporter: the deploy's upgrade indexes the
/// older ones once, open or settled, and a person's reports are then found for their data
/// download.
#[tokio::test]
async fn dynamodb_indexes_older_reports_by_reporter_once() {
    use cloumer_domain::ports::ReportRepository;
    use cloumer_domain::report::ReportSubject;
    let (store, client, _moto) = dynamo_store_and_client().await;
    let clip = ReportSubject::Clip(cloumer_domain::ids::ClipId::parse("clold").unwrap());
    let channel = ReportSubject::Channel(ChannelId::parse("chold").unwrap());
    let older = [
        testkit::report("rpold1", &clip, "u-mina", 1),
        testkit::report("rpold2", &channel, "u-mina", 2),
        testkit::report("rpold3", &clip, "u-jun", 3),
    ];
    for report in &older {
        assert!(store.file_report(report).await.unwrap());
    }
    let mut settled = older[0].clone();
    settled.outcome = Some(cloumer_domain::report::ReportOutcome {
        action: cloumer_domain::report::ReportAction::Dismissed,
        by: UserId::parse("u-staff").unwrap(),
        at: time::OffsetDateTime::now_utc(),
    });
    store.close_report(&settled).await.unwrap();
    // Written as the older version wrote them: the report items without these index keys.
    assert_eq!(
        without_gsi1(&client, "begins_with(pk, :prefix)", "REPORT#").await,
        3
    );
    let mina = UserId::parse("u-mina").unwrap();
    let filed = |store: &DynamoStore| {
        let (store, mina) = (store.clone(), mina.clone());
        async move {
            let page = store.reports_by(&mina, None, 10).await.unwrap();
            page.items
                .iter()
                .map(|r| r.id.as_str().to_owned())
                .collect::<Vec<_>>()
        }
    };
    assert!(
        filed(&store).await.is_empty(),
        "older reports are not found"
    );
    // One filed since the new functions went in.
    let newer = testkit::report("rpnew", &clip, "u-mina", 4);
    assert!(store.file_report(&newer).await.unwrap());

    assert_eq!(store.index_older_reports().await.unwrap(), Some(3));
    assert_eq!(filed(&store).await, ["rpnew", "rpold2", "rpold1"]);
    // The open queue is as it was: the upgrade touched only the reporter's keys.
    let open = store.list_open_reports(None, 10).await.unwrap();
    let open: Vec<&str> = open.items.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(open, ["rpold2", "rpold3", "rpnew"]);
    // Done once: the next deploy skips it.
    assert_eq!(store.index_older_reports().await.unwrap(), None);
}

/// A table from before the moderation log was indexed by person: the deploy's upgrade indexes
/// the entries that hold someone to account (not a pin), once, and a chatter's entries are then
/// found.
#[tokio::test]
async fn dynamodb_indexes_older_log_entries_by_person_once() {
    use cloumer_domain::moderation_log::{ModerationAction, ModerationEntry};
    use cloumer_domain::ports::ChatRepository;
    let (store, client, _moto) = dynamo_store_and_client().await;
    let channel = ChannelId::parse("chold").unwrap();
    let entry = |id: &str, target: &str, action: ModerationAction| ModerationEntry {
        channel_id: channel.clone(),
        id: id.to_owned(),
        at: time::OffsetDateTime::now_utc(),
        actor: UserId::parse("moderator").unwrap(),
        actor_nickname: "Mod".into(),
        action,
        target: Some(UserId::parse(target).unwrap()),
        target_nickname: Some(target.to_owned()),
        reason: Some("spam".into()),
    };
    let ban = entry("e1", "troll", ModerationAction::Ban { until: None });
    let pin = entry(
        "e2",
        "troll",
        ModerationAction::PinMessage {
            message_id: MessageId::parse("m1").unwrap(),
            excerpt: None,
        },
    );
    let unban = entry("e3", "bob", ModerationAction::Unban);
    for written in [&ban, &pin, &unban] {
        store.append_moderation(written).await.unwrap();
    }
    // As the older version wrote them: the entries without their index keys.
    assert_eq!(
        without_gsi1(&client, "begins_with(pk, :prefix)", "MODLOG#").await,
        3
    );
    let troll = UserId::parse("troll").unwrap();
    assert!(
        store
            .list_moderation_of(&channel, &troll, 10)
            .await
            .unwrap()
            .is_empty()
    );

    assert_eq!(store.index_older_log_entries().await.unwrap(), Some(2));
    assert_eq!(
        store
            .list_moderation_of(&channel, &troll, 10)
            .await
            .unwrap(),
        [ban]
    );
    assert_eq!(
        store
            .list_moderation_of(&channel, &UserId::parse("bob").unwrap(), 10)
            .await
            .unwrap(),
        [unban]
    );
    assert_eq!(store.index_older_log_entries().await.unwrap(), None);
}

#[tokio::test]
async fn dynamodb_behaves_as_a_poll_repository() {
    let (store, _moto) = dynamo_store().await;
    testkit::poll_repository(&store).await;
}

#[tokio::test]
async fn dynamodb_behaves_as_a_follow_repository() {
    let (store, _moto) = dynamo_store().await;
    testkit::follow_repository(&store).await;
}

#[tokio::test]
async fn dynamodb_behaves_as_a_block_repository() {
    let (store, _moto) = dynamo_store().await;
    testkit::block_repository(&store).await;
}

#[tokio::test]
async fn dynamodb_behaves_as_a_notification_repository() {
    let (store, _moto) = dynamo_store().await;
    testkit::notification_repository(&store).await;
}

#[tokio::test]
async fn dynamodb_behaves_as_a_recording_repository() {
    let (store, _moto) = dynamo_store().await;
    testkit::recording_repository(&store).await;
}

#[tokio::test]
async fn dynamodb_behaves_as_a_clip_repository() {
    let (store, _moto) = dynamo_store().await;
    testkit::clip_repository(&store).await;
}

#[tokio::test]
async fn dynamodb_behaves_as_a_video_repository() {
    let (store, _moto) = dynamo_store().await;
    testkit::video_repository(&store).await;
}

#[tokio::test]
async fn dynamodb_keeps_rate_limits_for_every_instance_at_once() {
    let (store, _moto) = dynamo_store().await;
    testkit::rate_counter(&store).await;
}

#[tokio::test]
async fn dynamodb_keeps_who_is_in_a_room_from_their_heartbeats() {
    let (store, _moto) = dynamo_store().await;
    testkit::heartbeat_presence(&cloumer_aws::dynamo::DynamoPresence::new(store)).await;
}

fn spec(name: &ChannelId, private: bool) -> VideoChannelSpec {
    VideoChannelSpec {
        name: name.clone(),
        latency: LatencyMode::Low,
        channel_type: ChannelType::Standard,
        private,
        recording: false,
    }
}

#[tokio::test]
async fn ivs_channels_are_created_once_per_name_and_updated() {
    let moto = Moto::start().await;
    let client = aws_sdk_ivs::Client::new(&moto.sdk_config().await);
    let video = IvsVideo::new(
        client.clone(),
        RecordingConfigurations::default(),
        Arc::new(SystemClock),
    );
    let id = ChannelId::generate();
    let created = video.create_channel(&spec(&id, false)).await.unwrap();
    assert!(created.arn.starts_with("arn:aws:ivs:"), "{created:?}");
    assert!(
        created.ingest_server.starts_with("rtmps://")
            && created.ingest_server.ends_with(":443/app/")
    );
    assert!(created.playback_url.ends_with(".m3u8"), "{created:?}");
    // A retry (e.g. after a failed store write) finds the same channel instead of a twin.
    let again = video.create_channel(&spec(&id, false)).await.unwrap();
    assert_eq!(again, created);
    let listed = client.list_channels().send().await.unwrap();
    assert_eq!(listed.channels().len(), 1);
    let stored = client.get_channel().arn(&created.arn).send().await.unwrap();
    assert_eq!(
        stored.channel().unwrap().r#type().map(|t| t.as_str()),
        Some("STANDARD")
    );

    video
        .update_channel(
            &created,
            &VideoChannelSpec {
                latency: LatencyMode::Normal,
                channel_type: ChannelType::Basic,
                ..spec(&id, true)
            },
        )
        .await
        .unwrap();
    let stored = client.get_channel().arn(&created.arn).send().await.unwrap();
    let channel = stored.channel().unwrap();
    assert!(channel.authorized());
    assert_eq!(channel.latency_mode().map(|l| l.as_str()), Some("NORMAL"));
    assert_eq!(channel.r#type().map(|t| t.as_str()), Some("BASIC"));
}

/// The operations moto does not implement, against recorded responses.
mod recorded {
    use super::*;
    use aws_sdk_ivs::operation::{
        create_stream_key::CreateStreamKeyOutput,
        delete_stream_key::DeleteStreamKeyOutput,
        get_stream_key::GetStreamKeyOutput,
        list_stream_keys::ListStreamKeysOutput,
        list_streams::ListStreamsOutput,
        stop_stream::{StopStreamError, StopStreamOutput},
    };
    use aws_sdk_ivs::types::{
        StreamHealth as IvsHealth, StreamKey, StreamKeySummary, StreamState, StreamSummary,
    };
    use aws_sdk_ivschat::operation::{
        create_chat_token::CreateChatTokenOutput, create_room::CreateRoomOutput,
        list_rooms::ListRoomsOutput,
    };
    use aws_smithy_mocks::{RuleMode, mock, mock_client};

    /// The IVS adapter on a mocked client, with no recording configurations.
    fn ivs_video(client: aws_sdk_ivs::Client) -> IvsVideo {
        IvsVideo::new(
            client,
            RecordingConfigurations::default(),
            Arc::new(SystemClock),
        )
    }

    fn video_channel() -> VideoChannel {
        VideoChannel {
            arn: "arn:aws:ivs:ap-northeast-2:123456789012:channel/abc".into(),
            ingest_server: "rtmps://x.global-contribute.live-video.net:443/app/".into(),
            playback_url: "https://x.m3u8".into(),
        }
    }

    #[tokio::test]
    async fn stream_keys_are_read_and_reset_by_delete_then_create() {
        let list = mock!(aws_sdk_ivs::Client::list_stream_keys).then_output(|| {
            ListStreamKeysOutput::builder()
                .stream_keys(
                    StreamKeySummary::builder()
                        .arn("arn:aws:ivs:ap-northeast-2:123456789012:stream-key/old")
                        .build(),
                )
                .build()
                .unwrap()
        });
        let get = mock!(aws_sdk_ivs::Client::get_stream_key)
            .match_requests(|r| {
                r.arn() == Some("arn:aws:ivs:ap-northeast-2:123456789012:stream-key/old")
            })
            .then_output(|| {
                GetStreamKeyOutput::builder()
                    .stream_key(StreamKey::builder().value("sk_ap-northeast-2_old").build())
                    .build()
            });
        let delete = mock!(aws_sdk_ivs::Client::delete_stream_key)
            .match_requests(|r| {
                r.arn() == Some("arn:aws:ivs:ap-northeast-2:123456789012:stream-key/old")
            })
            .then_output(|| DeleteStreamKeyOutput::builder().build());
        let create = mock!(aws_sdk_ivs::Client::create_stream_key)
            .match_requests(|r| {
                r.channel_arn() == Some("arn:aws:ivs:ap-northeast-2:123456789012:channel/abc")
            })
            .then_output(|| {
                CreateStreamKeyOutput::builder()
                    .stream_key(StreamKey::builder().value("sk_ap-northeast-2_new").build())
                    .build()
            });
        let client = mock_client!(
            aws_sdk_ivs,
            RuleMode::MatchAny,
            [&list, &get, &delete, &create]
        );
        let video = ivs_video(client);
        assert_eq!(
            video.get_stream_key(&video_channel()).await.unwrap().0,
            "sk_ap-northeast-2_old"
        );
        assert_eq!(
            video.reset_stream_key(&video_channel()).await.unwrap().0,
            "sk_ap-northeast-2_new"
        );
        assert_eq!(delete.num_calls(), 1, "the old key is deleted");
        assert_eq!(create.num_calls(), 1);
    }

    /// Item 3 of the trust issue: private channels recorded into the bucket CloudFront serves
    /// to anyone.
    #[tokio::test]
    async fn private_channels_record_into_the_private_bucket_only() {
        use aws_sdk_ivs::operation::update_channel::UpdateChannelOutput;
        let configurations = RecordingConfigurations {
            public: Some(
                "arn:aws:ivs:ap-northeast-2:123456789012:recording-configuration/pub".into(),
            ),
            private: Some(
                "arn:aws:ivs:ap-northeast-2:123456789012:recording-configuration/priv".into(),
            ),
        };
        let cases = [
            (
                false,
                true,
                "arn:aws:ivs:ap-northeast-2:123456789012:recording-configuration/pub",
            ),
            (
                true,
                true,
                "arn:aws:ivs:ap-northeast-2:123456789012:recording-configuration/priv",
            ),
            (true, false, ""),
        ];
        for (private, recording, expected) in cases {
            let update = mock!(aws_sdk_ivs::Client::update_channel)
                .match_requests(move |r| {
                    r.recording_configuration_arn() == Some(expected)
                        && r.authorized() == Some(private)
                })
                .then_output(|| UpdateChannelOutput::builder().build());
            let client = mock_client!(aws_sdk_ivs, RuleMode::MatchAny, [&update]);
            let video = IvsVideo::new(client, configurations.clone(), Arc::new(SystemClock));
            let spec = VideoChannelSpec {
                recording,
                ..spec(&ChannelId::generate(), private)
            };
            video.update_channel(&video_channel(), &spec).await.unwrap();
            assert_eq!(
                update.num_calls(),
                1,
                "private {private}, recording {recording}"
            );
        }
        // Without a private bucket, a private channel does not record at all.
        let update = mock!(aws_sdk_ivs::Client::update_channel)
            .match_requests(|r| r.recording_configuration_arn() == Some(""))
            .then_output(|| UpdateChannelOutput::builder().build());
        let client = mock_client!(aws_sdk_ivs, RuleMode::MatchAny, [&update]);
        let public_only = RecordingConfigurations {
            private: None,
            ..configurations
        };
        let video = IvsVideo::new(client, public_only, Arc::new(SystemClock));
        let spec = VideoChannelSpec {
            recording: true,
            ..spec(&ChannelId::generate(), true)
        };
        video.update_channel(&video_channel(), &spec).await.unwrap();
        assert_eq!(update.num_calls(), 1);
    }

    #[tokio::test]
    async fn stopping_a_stream_disconnects_the_encoder_and_is_fine_when_nothing_is_on_air() {
        let on_air = mock!(aws_sdk_ivs::Client::stop_stream)
            .match_requests(|r| {
                r.channel_arn() == Some("arn:aws:ivs:ap-northeast-2:123456789012:channel/abc")
            })
            .then_output(|| StopStreamOutput::builder().build());
        let client = mock_client!(aws_sdk_ivs, RuleMode::MatchAny, [&on_air]);
        let video = ivs_video(client);
        video.stop_stream(&video_channel()).await.unwrap();
        assert_eq!(on_air.num_calls(), 1);

        let off_air = mock!(aws_sdk_ivs::Client::stop_stream).then_error(|| {
            StopStreamError::ChannelNotBroadcasting(
                aws_sdk_ivs::types::error::ChannelNotBroadcasting::builder().build(),
            )
        });
        let client = mock_client!(aws_sdk_ivs, RuleMode::MatchAny, [&off_air]);
        let video = ivs_video(client);
        video.stop_stream(&video_channel()).await.unwrap();

        let denied = mock!(aws_sdk_ivs::Client::stop_stream).then_error(|| {
            StopStreamError::AccessDeniedException(
                aws_sdk_ivs::types::error::AccessDeniedException::builder().build(),
            )
        });
        let client = mock_client!(aws_sdk_ivs, RuleMode::MatchAny, [&denied]);
        let video = ivs_video(client);
        assert!(video.stop_stream(&video_channel()).await.is_err());
    }

    #[tokio::test]
    async fn deleting_a_channel_ends_its_stream_first_and_is_fine_when_it_is_gone() {
        use aws_sdk_ivs::operation::delete_channel::{DeleteChannelError, DeleteChannelOutput};
        let arn = "arn:aws:ivs:ap-northeast-2:123456789012:channel/abc";
        // On air: IVS refuses; the stream is stopped and the delete tried again.
        let on_air = mock!(aws_sdk_ivs::Client::delete_channel)
            .match_requests(move |r| r.arn() == Some(arn))
            .then_error(|| {
                DeleteChannelError::ConflictException(
                    aws_sdk_ivs::types::error::ConflictException::builder().build(),
                )
            });
        let stop = mock!(aws_sdk_ivs::Client::stop_stream)
            .match_requests(move |r| r.channel_arn() == Some(arn))
            .then_output(|| StopStreamOutput::builder().build());
        let deleted = mock!(aws_sdk_ivs::Client::delete_channel)
            .match_requests(move |r| r.arn() == Some(arn))
            .then_output(|| DeleteChannelOutput::builder().build());
        let client = mock_client!(
            aws_sdk_ivs,
            RuleMode::Sequential,
            [&on_air, &stop, &deleted]
        );
        let video = ivs_video(client);
        video.delete_channel(&video_channel()).await.unwrap();
        assert_eq!(
            (on_air.num_calls(), stop.num_calls(), deleted.num_calls()),
            (1, 1, 1)
        );

        let gone = mock!(aws_sdk_ivs::Client::delete_channel).then_error(|| {
            DeleteChannelError::ResourceNotFoundException(
                aws_sdk_ivs::types::error::ResourceNotFoundException::builder().build(),
            )
        });
        let client = mock_client!(aws_sdk_ivs, RuleMode::MatchAny, [&gone]);
        let video = ivs_video(client);
        video.delete_channel(&video_channel()).await.unwrap();

        let denied = mock!(aws_sdk_ivs::Client::delete_channel).then_error(|| {
            DeleteChannelError::AccessDeniedException(
                aws_sdk_ivs::types::error::AccessDeniedException::builder().build(),
            )
        });
        let client = mock_client!(aws_sdk_ivs, RuleMode::MatchAny, [&denied]);
        let video = ivs_video(client);
        assert!(video.delete_channel(&video_channel()).await.is_err());
        assert_eq!(denied.num_calls(), 1);
    }

    #[tokio::test]
    async fn deleting_a_room_is_fine_when_it_is_gone() {
        use aws_sdk_ivschat::operation::delete_room::{DeleteRoomError, DeleteRoomOutput};
        let room = ChatRoom {
            arn: "arn:aws:ivschat:ap-northeast-2:123456789012:room/abc".into(),
        };
        let deleted = mock!(aws_sdk_ivschat::Client::delete_room)
            .match_requests(|r| {
                r.identifier() == Some("arn:aws:ivschat:ap-northeast-2:123456789012:room/abc")
            })
            .then_output(|| DeleteRoomOutput::builder().build());
        let gone = mock!(aws_sdk_ivschat::Client::delete_room).then_error(|| {
            DeleteRoomError::ResourceNotFoundException(
                aws_sdk_ivschat::types::error::ResourceNotFoundException::builder()
                    .message("no such room")
                    .resource_id("abc")
                    .resource_type(aws_sdk_ivschat::types::ResourceType::Room)
                    .build()
                    .unwrap(),
            )
        });
        let denied = mock!(aws_sdk_ivschat::Client::delete_room).then_error(|| {
            DeleteRoomError::AccessDeniedException(
                aws_sdk_ivschat::types::error::AccessDeniedException::builder()
                    .message("not allowed")
                    .build()
                    .unwrap(),
            )
        });
        let client = mock_client!(
            aws_sdk_ivschat,
            RuleMode::Sequential,
            [&deleted, &gone, &denied]
        );
        let chat = IvsChat::new(
            client,
            "ap-northeast-2",
            None,
            Vec::new(),
            Arc::new(SystemClock),
        );
        chat.delete_room(&room).await.unwrap();
        chat.delete_room(&room).await.unwrap();
        assert!(chat.delete_room(&room).await.is_err());
        assert_eq!(
            (deleted.num_calls(), gone.num_calls(), denied.num_calls()),
            (1, 1, 1)
        );
    }

    #[tokio::test]
    async fn live_streams_come_from_list_streams_and_are_cached() {
        let streams = mock!(aws_sdk_ivs::Client::list_streams).then_output(|| {
            ListStreamsOutput::builder()
                .streams(
                    StreamSummary::builder()
                        .channel_arn("arn:aws:ivs:ap-northeast-2:123456789012:channel/abc")
                        .stream_id("st-1A2b3c4D5e6F78ab")
                        .state(StreamState::StreamLive)
                        .health(IvsHealth::Starving)
                        .viewer_count(42)
                        .build(),
                )
                .build()
                .unwrap()
        });
        let client = mock_client!(aws_sdk_ivs, RuleMode::MatchAny, [&streams]);
        let video = ivs_video(client);
        let live = video.live_streams().await.unwrap();
        assert_eq!(live.len(), 1);
        assert_eq!(live[0].viewer_count, 42);
        assert_eq!(live[0].health, StreamHealth::Starving);
        video.live_streams().await.unwrap();
        assert_eq!(
            streams.num_calls(),
            1,
            "ListStreams (5 calls/s per account) is cached"
        );
    }

    /// When Terraform changes where chat is logged, rooms created before get the new logging
    /// configurations; rooms of other applications in the account are never touched.
    #[tokio::test]
    async fn rooms_created_under_an_older_configuration_are_brought_up_to_date() {
        use aws_sdk_ivschat::types::{FallbackResult, MessageReviewHandler, RoomSummary};
        const HANDLER: &str = "arn:aws:lambda:ap-northeast-2:123456789012:function:chat-review";
        const LOGS: &str = "arn:aws:ivschat:ap-northeast-2:123456789012:logging-configuration/logs";
        const S3: &str = "arn:aws:ivschat:ap-northeast-2:123456789012:logging-configuration/s3";
        let room = |arn: &str, handler: &str, logging: &[&str]| {
            RoomSummary::builder()
                .arn(arn)
                .name("chabc")
                .message_review_handler(
                    MessageReviewHandler::builder()
                        .uri(handler)
                        .fallback_result(FallbackResult::Allow)
                        .build(),
                )
                .set_logging_configuration_identifiers(Some(
                    logging.iter().map(|l| l.to_string()).collect(),
                ))
                .build()
        };
        let first_page = mock!(aws_sdk_ivschat::Client::list_rooms)
            .match_requests(|r| r.next_token().is_none())
            .then_output(move || {
                ListRoomsOutput::builder()
                    .set_rooms(Some(vec![
                        room("room/old", HANDLER, &[LOGS]),
                        room(
                            "room/theirs",
                            "arn:aws:lambda:ap-northeast-2:123456789012:function:other",
                            &[],
                        ),
                        room("room/current", HANDLER, &[S3, LOGS]),
                    ]))
                    .next_token("page-2")
                    .build()
                    .unwrap()
            });
        let second_page = mock!(aws_sdk_ivschat::Client::list_rooms)
            .match_requests(|r| r.next_token() == Some("page-2"))
            .then_output(move || {
                ListRoomsOutput::builder()
                    .set_rooms(Some(vec![room("room/unlogged", HANDLER, &[])]))
                    .build()
                    .unwrap()
            });
        let update = mock!(aws_sdk_ivschat::Client::update_room)
            .match_requests(|r| {
                matches!(r.identifier(), Some("room/old" | "room/unlogged"))
                    && r.logging_configuration_identifiers() == [LOGS, S3]
                    && r.message_review_handler().and_then(|h| h.uri()) == Some(HANDLER)
            })
            .then_output(|| {
                aws_sdk_ivschat::operation::update_room::UpdateRoomOutput::builder().build()
            });
        let client = mock_client!(
            aws_sdk_ivschat,
            RuleMode::MatchAny,
            [&first_page, &second_page, &update]
        );
        let chat = IvsChat::new(
            client,
            "ap-northeast-2",
            Some(HANDLER.into()),
            vec![LOGS.into(), S3.into()],
            Arc::new(SystemClock),
        );
        assert_eq!(chat.reconcile_rooms().await.unwrap(), 2);
        assert_eq!(update.num_calls(), 2);
        assert_eq!(second_page.num_calls(), 1);
    }

    #[tokio::test]
    async fn chat_rooms_tokens_and_moderation_map_to_ivs_chat() {
        let no_rooms = mock!(aws_sdk_ivschat::Client::list_rooms).then_output(|| {
            ListRoomsOutput::builder()
                .set_rooms(Some(vec![]))
                .build()
                .unwrap()
        });
        let create_room = mock!(aws_sdk_ivschat::Client::create_room)
            .match_requests(|r| {
                r.name() == Some("chabc")
                    && r.maximum_message_length() == Some(300)
                    && r.maximum_message_rate_per_second() == Some(5)
                    && r.message_review_handler().and_then(|h| h.uri())
                        == Some("arn:aws:lambda:ap-northeast-2:123456789012:function:chat-review")
                    && r.message_review_handler()
                        .and_then(|h| h.fallback_result())
                        .map(|f| f.as_str())
                        == Some("ALLOW")
            })
            .then_output(|| {
                CreateRoomOutput::builder()
                    .arn("arn:aws:ivschat:ap-northeast-2:123456789012:room/xyz")
                    .build()
            });
        let token = mock!(aws_sdk_ivschat::Client::create_chat_token)
            .match_requests(|r| {
                r.room_identifier() == Some("arn:aws:ivschat:ap-northeast-2:123456789012:room/xyz")
                    && r.user_id() == Some("user-1")
                    && r.capabilities().len() == 1
                    && r.capabilities()[0].as_str() == "SEND_MESSAGE"
                    && r.session_duration_in_minutes() == Some(60)
                    && r.attributes()
                        .and_then(|a| a.get("nickname"))
                        .map(String::as_str)
                        == Some("민지")
            })
            .then_output(|| {
                CreateChatTokenOutput::builder()
                    .token("AQICAHg-token")
                    .build()
            });
        let delete = mock!(aws_sdk_ivschat::Client::delete_message)
            .match_requests(|r| r.id() == Some("AbCdEf123456") && r.reason() == Some("spam"))
            .then_output(|| {
                aws_sdk_ivschat::operation::delete_message::DeleteMessageOutput::builder().build()
            });
        let disconnect = mock!(aws_sdk_ivschat::Client::disconnect_user)
            .match_requests(|r| r.user_id() == Some("troll") && r.reason() == Some("banned"))
            .then_output(|| {
                aws_sdk_ivschat::operation::disconnect_user::DisconnectUserOutput::builder().build()
            });
        let event = mock!(aws_sdk_ivschat::Client::send_event)
            .match_requests(|r| r.event_name() == Some("app:STREAM_START"))
            .then_output(|| {
                aws_sdk_ivschat::operation::send_event::SendEventOutput::builder().build()
            });
        let update = mock!(aws_sdk_ivschat::Client::update_room)
            .match_requests(|r| r.maximum_message_length() == Some(100))
            .then_output(|| {
                aws_sdk_ivschat::operation::update_room::UpdateRoomOutput::builder().build()
            });
        let client = mock_client!(
            aws_sdk_ivschat,
            RuleMode::MatchAny,
            [
                &no_rooms,
                &create_room,
                &token,
                &delete,
                &disconnect,
                &event,
                &update
            ]
        );
        let chat = IvsChat::new(
            client,
            "ap-northeast-2",
            Some("arn:aws:lambda:ap-northeast-2:123456789012:function:chat-review".into()),
            Vec::new(),
            Arc::new(SystemClock),
        );
        let rules = ChatRules {
            max_message_length: 300,
            max_messages_per_second: 5,
            ..ChatRules::default()
        };
        let room = chat
            .create_room(&ChatRoomSpec {
                name: ChannelId::parse("chabc").unwrap(),
                rules: rules.clone(),
            })
            .await
            .unwrap();
        assert_eq!(
            room,
            ChatRoom {
                arn: "arn:aws:ivschat:ap-northeast-2:123456789012:room/xyz".into()
            }
        );
        let minted = chat
            .create_token(&ChatTokenRequest {
                room: room.clone(),
                user_id: UserId::parse("user-1").unwrap(),
                capabilities: vec![ChatCapability::SendMessage],
                session_duration_minutes: 60,
                attributes: [("nickname".to_owned(), "민지".to_owned())].into(),
            })
            .await
            .unwrap();
        assert_eq!(minted.token, "AQICAHg-token");
        assert_eq!(
            minted.endpoint,
            "wss://edge.ivschat.ap-northeast-2.amazonaws.com"
        );
        chat.delete_message(&room, &MessageId::parse("AbCdEf123456").unwrap(), "spam")
            .await
            .unwrap();
        chat.disconnect_user(&room, &UserId::parse("troll").unwrap(), "banned")
            .await
            .unwrap();
        chat.send_event(&room, "app:STREAM_START", &Default::default())
            .await
            .unwrap();
        chat.update_room(
            &room,
            &ChatRules {
                max_message_length: 100,
                ..rules
            },
        )
        .await
        .unwrap();
        for (rule, name) in [
            (&create_room, "CreateRoom"),
            (&token, "CreateChatToken"),
            (&delete, "DeleteMessage"),
            (&disconnect, "DisconnectUser"),
            (&event, "SendEvent"),
            (&update, "UpdateRoom"),
        ] {
            assert_eq!(
                rule.num_calls(),
                1,
                "{name} was called once with the expected input"
            );
        }
    }
}

/// Cognito (moto) as the identity provider: the API's verifier accepts its tokens through the
/// JWKS it publishes, and refuses tokens for another app client.
#[tokio::test]
async fn cognito_tokens_verify_against_the_user_pool_jwks() {
    let moto = Moto::start().await;
    let CognitoUser {
        pool_id,
        client_id,
        id_token,
        access_token,
        ..
    } = moto
        .cognito_user("minji@example.com", "minji_live", "민지")
        .await;

    // moto names the issuer like Cognito does and serves the keys under its own host.
    let issuer = format!("https://cognito-idp.us-east-1.amazonaws.com/{pool_id}");
    let jwks = Arc::new(HttpJwks::new(format!(
        "{}/{pool_id}/.well-known/jwks.json",
        moto.url
    )));
    let verifier = JwtVerifier::new(
        issuer.clone(),
        client_id.clone(),
        jwks.clone(),
        Arc::new(SystemClock),
    );
    let who = verifier.verify(&id_token).await.unwrap();
    // moto leaves user attributes such as preferred_username out of its ID token, so the
    // identity is checked by subject; the claim mapping itself is tested in cloumer-tokens.
    let user = moto
        .cognito("GetUser", json!({"AccessToken": access_token}))
        .await;
    let sub = user["UserAttributes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|attribute| attribute["Name"] == "sub")
        .and_then(|attribute| attribute["Value"].as_str())
        .unwrap()
        .to_owned();
    assert_eq!(who.user_id.as_str(), sub);
    let by_access = verifier.verify(&access_token).await.unwrap();
    assert_eq!(by_access.user_id, who.user_id);
    let other_app = JwtVerifier::new(issuer, "another-client", jwks, Arc::new(SystemClock));
    assert!(other_app.verify(&id_token).await.is_err());
}

#[tokio::test]
async fn dynamodb_behaves_as_a_push_subscription_repository() {
    let (store, _moto) = dynamo_store().await;
    testkit::push_subscription_repository(&store).await;
}

#[tokio::test]
async fn dynamodb_behaves_as_a_report_repository() {
    let (store, _moto) = dynamo_store().await;
    testkit::report_repository(&store).await;
}

#[tokio::test]
async fn dynamodb_behaves_as_a_webhook_repository() {
    let (store, _moto) = dynamo_store().await;
    testkit::webhook_repository(&store).await;
}

/// A stream start reaches the go-live topic's subscribers as the event's JSON: here an HTTP
/// subscriber, which moto calls on publish as SNS would (the cloud's subscriber is the go-live
/// function, which reads the same message).
#[tokio::test]
async fn a_stream_start_is_published_to_the_go_live_topic() {
    use cloumer_aws::sns::{GO_LIVE_SUBJECT, SnsTopic};
    use cloumer_domain::notification::GoLive;
    use cloumer_domain::ports::GoLiveAnnouncer;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let moto = Moto::start().await;
    let sns = aws_sdk_sns::Client::new(&moto.sdk_config().await);
    let topic = sns
        .create_topic()
        .name("cloumer-test-go-live")
        .send()
        .await
        .unwrap()
        .topic_arn
        .unwrap();
    // The subscriber: one HTTP request, kept whole.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://{}/sns", listener.local_addr().unwrap());
    let received = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut request = Vec::new();
        let mut buffer = [0u8; 8192];
        loop {
            let n = socket.read(&mut buffer).await.unwrap();
            request.extend_from_slice(&buffer[..n]);
            let text = String::from_utf8_lossy(&request);
            if let Some((head, body)) = text.split_once("\r\n\r\n") {
                let length = head
                    .lines()
                    .find_map(|l| {
                        l.to_ascii_lowercase()
                            .strip_prefix("content-length:")
                            .map(|v| v.trim().parse::<usize>().unwrap())
                    })
                    .unwrap_or(0);
                if body.len() >= length {
                    socket
                        .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n")
                        .await
                        .unwrap();
                    return body.to_owned();
                }
            }
        }
    });
    sns.subscribe()
        .topic_arn(&topic)
        .protocol("http")
        .endpoint(&endpoint)
        .send()
        .await
        .unwrap();

    let event = GoLive {
        channel_id: ChannelId::parse("chgolive").unwrap(),
        stream_id: cloumer_domain::ids::StreamId::parse("st-golive").unwrap(),
        started_at: time::OffsetDateTime::from_unix_timestamp(1_790_000_000).unwrap(),
        channel_handle: "minji".into(),
        owner_nickname: "민지".into(),
        title: "밤샘 코딩".into(),
    };
    SnsTopic::<GoLive>::new(sns, &topic)
        .announce(&event)
        .await
        .unwrap();
    let body = tokio::time::timeout(std::time::Duration::from_secs(20), received)
        .await
        .expect("moto delivered the message")
        .unwrap();
    let notification: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(notification["Type"], "Notification");
    assert_eq!(notification["TopicArn"], topic.as_str());
    assert_eq!(notification["Subject"], GO_LIVE_SUBJECT);
    let published: GoLive =
        serde_json::from_str(notification["Message"].as_str().unwrap()).unwrap();
    assert_eq!(published, event);
}

/// Go-live emails wait in an SQS queue (moto's): 25 a message, every one of them there once,
/// and those queued with a delay not handed out before it.
#[tokio::test]
async fn go_live_emails_wait_in_the_queue_for_the_email_sender() {
    use cloumer_aws::sqs::{EMAILS_PER_MESSAGE, SqsEmailQueue, emails_of};
    use cloumer_domain::ports::EmailSender;

    let moto = Moto::start().await;
    let sqs = aws_sdk_sqs::Client::new(&moto.sdk_config().await);
    let queue = moto.create_queue("cloumer-test-emails").await;
    let emails: Vec<_> = (0..60)
        .map(|n| go_live_email(&format!("fan{n}@example.com")))
        .collect();
    let report = SqsEmailQueue::new(sqs.clone(), &queue)
        .send_go_live(&emails)
        .await
        .unwrap();
    assert_eq!((report.sent, report.failed), (60, 0));

    let mut received = Vec::new();
    let mut messages = 0;
    loop {
        let answer = sqs
            .receive_message()
            .queue_url(&queue)
            .max_number_of_messages(10)
            .send()
            .await
            .unwrap();
        if answer.messages().is_empty() {
            break;
        }
        for message in answer.messages() {
            messages += 1;
            let batch = emails_of(message.body().unwrap()).unwrap();
            assert!(batch.len() <= EMAILS_PER_MESSAGE);
            received.extend(batch);
        }
    }
    assert_eq!(messages, 3, "25 + 25 + 10");
    received.sort_by(|a, b| a.to.cmp(&b.to));
    let mut sent = emails.clone();
    sent.sort_by(|a, b| a.to.cmp(&b.to));
    assert_eq!(received, sent, "every email once, whole");

    // Throttled emails go back with a delay: not handed out at once.
    SqsEmailQueue::new(sqs.clone(), &queue)
        .enqueue(&emails[..2], std::time::Duration::from_secs(60))
        .await
        .unwrap();
    let early = sqs
        .receive_message()
        .queue_url(&queue)
        .send()
        .await
        .unwrap();
    assert!(early.messages().is_empty(), "{early:?}");
}

fn go_live_email(to: &str) -> cloumer_domain::notification::GoLiveEmail {
    use cloumer_domain::notification::{GoLive, GoLiveEmail};
    GoLiveEmail {
        to: to.into(),
        language: cloumer_domain::profile::Language::Ko,
        user_id: UserId::parse("u-fan").unwrap(),
        unsubscribe_token: "tok".into(),
        event: GoLive {
            channel_id: ChannelId::parse("chses").unwrap(),
            stream_id: cloumer_domain::ids::StreamId::parse("st-ses").unwrap(),
            started_at: time::OffsetDateTime::from_unix_timestamp(1_790_000_000).unwrap(),
            channel_handle: "minji".into(),
            owner_nickname: "민지".into(),
            title: "밤샘 코딩".into(),
        },
    }
}

/// The email-sender's pace, against recorded SES answers: no faster than the rate it is given;
/// an email SES throttles comes back to be queued again, one it refuses for good is counted.
#[tokio::test]
async fn paced_emails_keep_to_the_rate_and_hand_back_the_throttled() {
    use aws_sdk_sesv2::operation::send_email::{SendEmailError, SendEmailOutput};
    use aws_sdk_sesv2::types::error::{MessageRejected, TooManyRequestsException};
    use aws_smithy_mocks::{RuleMode, mock, mock_client};
    use cloumer_aws::ses::SesEmail;

    fn to(request: &aws_sdk_sesv2::operation::send_email::SendEmailInput, who: &str) -> bool {
        request
            .content()
            .and_then(|c| c.raw())
            .is_some_and(|raw| String::from_utf8_lossy(raw.data().as_ref()).contains(who))
    }
    let throttled = mock!(aws_sdk_sesv2::Client::send_email)
        .match_requests(|r| to(r, "To: slow@example.com"))
        .then_error(|| {
            SendEmailError::TooManyRequestsException(
                TooManyRequestsException::builder()
                    .message("Maximum sending rate exceeded.")
                    .build(),
            )
        });
    let refused = mock!(aws_sdk_sesv2::Client::send_email)
        .match_requests(|r| to(r, "To: bad@example.com"))
        .then_error(|| {
            SendEmailError::MessageRejected(MessageRejected::builder().message("no").build())
        });
    let sent = mock!(aws_sdk_sesv2::Client::send_email)
        .then_output(|| SendEmailOutput::builder().message_id("m").build());
    let client = mock_client!(
        aws_sdk_sesv2,
        RuleMode::MatchAny,
        [&throttled, &refused, &sent]
    );
    let ses = SesEmail::new(
        client,
        "Cloumer <notifications@cloumer.example>",
        cloumer_email::Links {
            site_url: "https://cloumer.example".into(),
            api_url: "https://api.cloumer.example".into(),
        },
    )
    .unwrap();
    let emails: Vec<_> = ["a", "slow", "bad", "b", "c", "d"]
        .iter()
        .map(|who| go_live_email(&format!("{who}@example.com")))
        .collect();
    let started = std::time::Instant::now();
    let report = ses.send_paced(&emails, 20.0).await;
    // Six emails at 20 a second: the last starts 250 ms after the first, never sooner.
    assert!(
        started.elapsed() >= std::time::Duration::from_millis(250),
        "{:?}",
        started.elapsed()
    );
    assert_eq!((report.sent, report.failed), (4, 1));
    let back: Vec<_> = report.throttled.iter().map(|e| e.to.as_str()).collect();
    assert_eq!(back, ["slow@example.com"]);
}

/// Go-live emails through SES v2 in moto: the raw message from a verified sender is accepted,
/// one with an address that cannot be written is counted as failed without stopping the rest.
#[tokio::test]
async fn go_live_emails_are_sent_through_ses_from_a_verified_sender() {
    use cloumer_aws::ses::SesEmail;
    use cloumer_domain::ports::EmailSender;

    let moto = Moto::start().await;
    let ses = aws_sdk_sesv2::Client::new(&moto.sdk_config().await);
    ses.create_email_identity()
        .email_identity("cloumer.example")
        .send()
        .await
        .unwrap();
    let sender = SesEmail::new(
        ses,
        "Cloumer <notifications@cloumer.example>",
        cloumer_email::Links {
            site_url: "https://cloumer.example".into(),
            api_url: "https://api.cloumer.example".into(),
        },
    )
    .unwrap();
    let email = go_live_email;
    let report = sender
        .send_go_live(&[
            email("fan@example.com"),
            email("not an address"),
            email("b@example.com"),
        ])
        .await
        .unwrap();
    assert_eq!((report.sent, report.failed), (2, 1));

    // What SES counted (the v1 query API moto shares with v2).
    assert_eq!(moto.ses_sent_last_24_hours().await, 2);

    // An uploader told their video is ready: one email, straight through SES.
    let ready = cloumer_domain::video::VideoReadyEmail {
        to: "uploader@example.com".into(),
        language: cloumer_domain::profile::Language::Ko,
        user_id: UserId::parse("u-uploader").unwrap(),
        video_id: cloumer_domain::ids::VideoId::parse("vdJeju").unwrap(),
        title: "제주 여행".into(),
    };
    sender.send_video_ready(&ready).await.unwrap();
    assert_eq!(moto.ses_sent_last_24_hours().await, 3);

    // An unverified sender is refused by SES, and every email counts as failed.
    let unverified = SesEmail::new(
        aws_sdk_sesv2::Client::new(&moto.sdk_config().await),
        "someone@elsewhere.example",
        cloumer_email::Links {
            site_url: "https://cloumer.example".into(),
            api_url: "https://api.cloumer.example".into(),
        },
    )
    .unwrap();
    let report = unverified
        .send_go_live(&[email("fan@example.com")])
        .await
        .unwrap();
    assert_eq!((report.sent, report.failed), (0, 1));
}

/// Emote images in S3 (moto): kept with their type and the cache lifetime CloudFront passes
/// on, replaced whole, removed, and removing a missing one is not an error.
#[tokio::test]
async fn s3_keeps_public_files_with_their_type_and_cache_lifetime() {
    use cloumer_aws::s3::{CACHE_FOREVER, S3PublicFiles};
    use cloumer_domain::ports::PublicFiles;

    let moto = Moto::start().await;
    let client = cloumer_aws::s3::client(&moto.sdk_config().await);
    client
        .create_bucket()
        .bucket("recordings")
        .send()
        .await
        .unwrap();
    let files = S3PublicFiles::new(client.clone(), "recordings");
    let key = "emotes/chAbc/emXyz.png";
    files.put(key, b"\x89PNG first", "image/png").await.unwrap();
    files
        .put(key, b"\x89PNG second", "image/png")
        .await
        .unwrap();
    let object = client
        .get_object()
        .bucket("recordings")
        .key(key)
        .send()
        .await
        .unwrap();
    assert_eq!(object.content_type(), Some("image/png"));
    assert_eq!(object.cache_control(), Some(CACHE_FOREVER));
    let body = object.body.collect().await.unwrap().into_bytes();
    assert_eq!(&body[..], b"\x89PNG second");

    files.delete(key).await.unwrap();
    files.delete(key).await.unwrap();
    let left = client
        .list_objects_v2()
        .bucket("recordings")
        .send()
        .await
        .unwrap();
    assert_eq!(left.key_count(), Some(0));
    // A bucket that is not there is an error the caller sees (and the domain undoes the upload).
    let missing = S3PublicFiles::new(client, "no-such-bucket");
    assert!(missing.put(key, b"x", "image/png").await.is_err());
}

/// The app's entry page from the site bucket (moto): read once and kept a while, read again
/// once old, and when a read fails the page read before still serves; with nothing read yet the
/// failure is the caller's to see.
#[tokio::test]
async fn the_apps_entry_page_comes_from_the_site_bucket_and_outlives_a_failed_read() {
    use cloumer_aws::site::S3EntryPage;
    use cloumer_domain::ports::AppEntryPage;
    use std::time::Duration;

    let moto = Moto::start().await;
    let client = cloumer_aws::s3::client(&moto.sdk_config().await);
    client.create_bucket().bucket("site").send().await.unwrap();
    let upload = |text: &'static str| {
        client
            .put_object()
            .bucket("site")
            .key("index.html")
            .body(text.as_bytes().to_vec().into())
            .send()
    };
    upload("<title>build one</title>").await.unwrap();
    let kept = S3EntryPage::new(client.clone(), "site");
    let fresh = S3EntryPage::new(client.clone(), "site").reread_after(Duration::ZERO);
    assert_eq!(
        &*kept.entry_page().await.unwrap(),
        "<title>build one</title>"
    );
    assert_eq!(
        &*fresh.entry_page().await.unwrap(),
        "<title>build one</title>"
    );

    upload("<title>build two</title>").await.unwrap();
    assert_eq!(
        &*kept.entry_page().await.unwrap(),
        "<title>build one</title>"
    );
    assert_eq!(
        &*fresh.entry_page().await.unwrap(),
        "<title>build two</title>"
    );

    client
        .delete_object()
        .bucket("site")
        .key("index.html")
        .send()
        .await
        .unwrap();
    assert_eq!(
        &*fresh.entry_page().await.unwrap(),
        "<title>build two</title>"
    );
    let never_read = S3EntryPage::new(client, "site");
    assert!(never_read.entry_page().await.is_err());
}

/// A deleted past broadcast's files in S3 (moto): every object under its own prefix goes, in
/// the bucket its playlist is served from; its neighbours (another recording whose id starts the
/// same, another channel, emotes) stay, and asking again is not an error.
#[tokio::test]
async fn s3_removes_a_recordings_files_and_nothing_beside_them() {
    use cloumer_aws::s3::S3RecordingFiles;
    use cloumer_domain::ids::{ChannelId, RecordingId};
    use cloumer_domain::ports::RecordingFiles;
    use cloumer_domain::recording::{Recording, RecordingStatus};

    let moto = Moto::start().await;
    let client = cloumer_aws::s3::client(&moto.sdk_config().await);
    for bucket in ["public-recordings", "private-recordings"] {
        client.create_bucket().bucket(bucket).send().await.unwrap();
    }
    let prefix = "ivs/v1/123456789012/chanA/2026/11/30/1/5";
    let mut keys = vec![
        format!("{prefix}/rec1x/media/hls/master.m3u8"),
        "ivs/v1/123456789012/chanB/2026/11/30/1/5/rec9/media/hls/master.m3u8".to_owned(),
        "emotes/chanA/em1.png".to_owned(),
    ];
    // More than one DeleteObjects batch (1,000 keys each).
    for i in 0..1_005 {
        keys.push(format!("{prefix}/rec1/media/hls/720p30/{i}.ts"));
    }
    for key in &keys {
        for bucket in ["public-recordings", "private-recordings"] {
            client
                .put_object()
                .bucket(bucket)
                .key(key)
                .body(b"ts".to_vec().into())
                .send()
                .await
                .unwrap();
        }
    }
    let files = S3RecordingFiles::new(
        client.clone(),
        Some("public-recordings".into()),
        Some("private-recordings".into()),
    );
    let recording = |url: String| Recording {
        id: RecordingId::parse("rec1").unwrap(),
        channel_id: ChannelId::parse("chanA").unwrap(),
        stream_id: None,
        title: Default::default(),
        category: Default::default(),
        private: false,
        status: RecordingStatus::Deleted,
        started_at: None,
        ended_at: None,
        duration_ms: None,
        playlist_url: Some(url),
        thumbnail_url: None,
        markers: Vec::new(),
        audience: Default::default(),
    };
    let left = |bucket: &'static str| {
        let client = client.clone();
        async move {
            let mut keys = Vec::new();
            let mut token = None;
            loop {
                let page = client
                    .list_objects_v2()
                    .bucket(bucket)
                    .set_continuation_token(token)
                    .send()
                    .await
                    .unwrap();
                keys.extend(
                    page.contents()
                        .iter()
                        .filter_map(|o| o.key().map(str::to_owned)),
                );
                token = page.next_continuation_token().map(str::to_owned);
                if token.is_none() {
                    break keys;
                }
            }
        }
    };
    let neighbours = {
        let mut n = keys[..3].to_vec();
        n.sort();
        n
    };
    files
        .delete(&recording(format!(
            "https://d1.cloudfront.net/private-recordings/{prefix}/rec1/media/hls/master.m3u8?Policy=p"
        )))
        .await
        .unwrap();
    assert_eq!(left("private-recordings").await, neighbours);
    assert_eq!(
        left("public-recordings").await.len(),
        keys.len(),
        "the public bucket is untouched"
    );
    let public = recording(format!(
        "https://d1.cloudfront.net/{prefix}/rec1/media/hls/master.m3u8"
    ));
    files.delete(&public).await.unwrap();
    files.delete(&public).await.unwrap();
    assert_eq!(left("public-recordings").await, neighbours);
    // A URL that does not name this recording's own prefix deletes nothing.
    assert!(
        files
            .delete(&recording(
                "https://d1.cloudfront.net/emotes/chanA/em1.png".into()
            ))
            .await
            .is_err()
    );
    assert_eq!(left("public-recordings").await, neighbours);
}

/// Uploaded videos' files as S3 multipart uploads (moto): each part sent with a plain `PUT` to
/// its presigned URL as a browser does, completed into one object with the parts in order;
/// aborting and deleting are safe to repeat. (moto 5.2.5 answers ListParts with a
/// `ListPartsResponse` root, which no S3 client reads: listing is checked with the SDK's mocks
/// below.)
#[tokio::test]
async fn s3_takes_an_upload_in_presigned_parts() {
    use cloumer_aws::video_uploads::{S3VideoUploads, upload_key, video_of_key};
    use cloumer_domain::ids::VideoId;
    use cloumer_domain::ports::VideoUploads;
    use cloumer_domain::video::UploadedPart;

    let moto = Moto::start().await;
    let client = cloumer_aws::s3::client(&moto.sdk_config().await);
    client
        .create_bucket()
        .bucket("uploads")
        .send()
        .await
        .unwrap();
    let uploads = S3VideoUploads::new(client.clone(), "uploads");
    let video = VideoId::generate();
    assert_eq!(video_of_key(&upload_key(&video)), Some(video.clone()));
    assert_eq!(video_of_key("uploads/../x"), None);
    let upload = uploads.begin(&video).await.unwrap();
    // S3's smallest part but the last is 5 MiB.
    let first = vec![b'a'; 5 << 20];
    let second = b"the last part".to_vec();
    let expires = time::OffsetDateTime::now_utc() + time::Duration::hours(1);
    let http = reqwest::Client::new();
    let mut parts = Vec::new();
    for (number, bytes) in [(2, &second), (1, &first)] {
        let url = uploads
            .part_url(&video, &upload, number, bytes.len() as u64, expires)
            .await
            .unwrap();
        assert!(url.contains("X-Amz-Signature="), "{url}");
        let sent = http.put(&url).body(bytes.clone()).send().await.unwrap();
        assert!(sent.status().is_success(), "{}", sent.status());
        parts.push(UploadedPart {
            number,
            etag: sent.headers()["etag"].to_str().unwrap().to_owned(),
            size_bytes: bytes.len() as u64,
        });
    }
    parts.sort_by_key(|p| p.number);
    uploads.complete(&video, &upload, &parts).await.unwrap();
    let object = client
        .get_object()
        .bucket("uploads")
        .key(upload_key(&video))
        .send()
        .await
        .unwrap();
    let body = object.body.collect().await.unwrap().into_bytes();
    assert_eq!(body.len(), first.len() + second.len());
    assert!(body.ends_with(b"the last part"));

    // An unfinished upload is dropped; doing it again (or after S3 expired it) is no error.
    let other = VideoId::generate();
    let unfinished = uploads.begin(&other).await.unwrap();
    uploads.abort(&other, &unfinished).await.unwrap();
    uploads.abort(&other, &unfinished).await.unwrap();
    uploads.delete(&video).await.unwrap();
    uploads.delete(&video).await.unwrap();
    let left = client
        .list_objects_v2()
        .bucket("uploads")
        .send()
        .await
        .unwrap();
    assert_eq!(left.key_count(), Some(0));
}

/// The parts S3 holds, read across ListParts pages (the SDK's mocks, in S3's own shape).
#[tokio::test]
async fn s3_lists_an_uploads_parts_across_pages() {
    use aws_sdk_s3::operation::list_parts::ListPartsOutput;
    use aws_sdk_s3::types::Part;
    use aws_smithy_mocks::{RuleMode, mock, mock_client};
    use cloumer_aws::video_uploads::S3VideoUploads;
    use cloumer_domain::ids::VideoId;
    use cloumer_domain::ports::VideoUploads;

    let part = |n: i32, size: i64| {
        Part::builder()
            .part_number(n)
            .e_tag(format!("\"etag-{n}\""))
            .size(size)
            .build()
    };
    let first = mock!(aws_sdk_s3::Client::list_parts)
        .match_requests(|r| r.part_number_marker().is_none() && r.upload_id() == Some("up-1"))
        .then_output(move || {
            ListPartsOutput::builder()
                .parts(part(1, 16 << 20))
                .parts(part(2, 16 << 20))
                .is_truncated(true)
                .next_part_number_marker("2")
                .build()
        });
    let second = mock!(aws_sdk_s3::Client::list_parts)
        .match_requests(|r| r.part_number_marker() == Some("2"))
        .then_output(move || {
            ListPartsOutput::builder()
                .parts(part(3, 10))
                .is_truncated(false)
                .build()
        });
    let client = mock_client!(aws_sdk_s3, RuleMode::MatchAny, [&first, &second]);
    let uploads = S3VideoUploads::new(client, "uploads");
    let parts = uploads
        .parts(&VideoId::parse("vdAbc").unwrap(), "up-1")
        .await
        .unwrap();
    assert_eq!(
        parts
            .iter()
            .map(|p| (p.number, p.etag.as_str(), p.size_bytes))
            .collect::<Vec<_>>(),
        [
            (1, "\"etag-1\"", 16 << 20),
            (2, "\"etag-2\"", 16 << 20),
            (3, "\"etag-3\"", 10)
        ]
    );
}

/// MediaConvert (the SDK's mocks: moto does not implement it): the upload probed from its own
/// object, what the probe says in the domain's terms, and the job made from it — the ladder and
/// a picture under the video's own prefix, as the video's role, tagged with the video.
#[tokio::test]
async fn mediaconvert_probes_the_upload_and_makes_its_ladder() {
    use aws_sdk_mediaconvert::operation::create_job::CreateJobOutput;
    use aws_sdk_mediaconvert::operation::probe::ProbeOutput;
    use aws_sdk_mediaconvert::types::{
        Codec, Container, Format, ProbeResult, Track, TrackType, VideoProperties,
    };
    use aws_smithy_mocks::{RuleMode, mock, mock_client};
    use cloumer_aws::mediaconvert::MediaConvertVideos;
    use cloumer_domain::ids::VideoId;
    use cloumer_domain::media::Container as Kind;
    use cloumer_domain::ports::VideoProcessing;

    let video = testkit::video("vdJeju", &ChannelId::parse("chv").unwrap(), 1);
    let probe = mock!(aws_sdk_mediaconvert::Client::probe)
        .match_requests(|r| {
            r.input_files()
                .iter()
                .map(|f| f.file_url())
                .eq([Some("s3://uploads-bucket/uploads/vdJeju")])
        })
        .then_output(|| {
            ProbeOutput::builder()
                .probe_results(
                    ProbeResult::builder()
                        .container(
                            Container::builder()
                                .format(Format::Quicktime)
                                .duration(20.5)
                                .tracks(
                                    Track::builder()
                                        .track_type(TrackType::Video)
                                        .codec(Codec::Avc)
                                        .video_properties(
                                            VideoProperties::builder()
                                                .width(1920)
                                                .height(1080)
                                                .build(),
                                        )
                                        .build(),
                                )
                                .tracks(
                                    Track::builder()
                                        .track_type(TrackType::Audio)
                                        .codec(Codec::Aac)
                                        .build(),
                                )
                                .build(),
                        )
                        .build(),
                )
                .build()
        });
    let job = mock!(aws_sdk_mediaconvert::Client::create_job)
        .match_requests(|r| {
            let settings = r.settings().unwrap();
            let groups = settings.output_groups();
            let ladder = &groups[0];
            let hls = ladder
                .output_group_settings()
                .and_then(|s| s.hls_group_settings())
                .unwrap();
            let heights: Vec<_> = ladder
                .outputs()
                .iter()
                .map(|o| o.video_description().and_then(|v| v.height()))
                .collect();
            r.role() == Some("arn:aws:iam::123456789012:role/cloumer-mediaconvert")
                && r.user_metadata()
                    .and_then(|m| m.get("videoId"))
                    .map(String::as_str)
                    == Some("vdJeju")
                && settings.inputs()[0].file_input() == Some("s3://uploads-bucket/uploads/vdJeju")
                && hls.destination() == Some("s3://recordings-private/video-files/vdJeju/index")
                && heights == [Some(720), Some(360)]
                && ladder.outputs()[0].audio_descriptions().len() == 1
                && groups[1]
                    .output_group_settings()
                    .and_then(|s| s.file_group_settings())
                    .and_then(|f| f.destination())
                    == Some("s3://recordings-private/video-files/vdJeju/thumb")
        })
        .then_output(|| CreateJobOutput::builder().build());
    let client = mock_client!(aws_sdk_mediaconvert, RuleMode::MatchAny, [&probe, &job]);
    let moto = Moto::start().await;
    let s3 = cloumer_aws::s3::client(&moto.sdk_config().await);
    let videos = MediaConvertVideos::new(
        client,
        s3,
        "arn:aws:iam::123456789012:role/cloumer-mediaconvert",
        "uploads-bucket",
        "recordings-private",
        None,
        "https://d.example",
    );
    let media = videos.probe(&video).await.unwrap().unwrap();
    assert_eq!(media.container, Kind::Mp4);
    assert_eq!(media.video_codec.as_deref(), Some("h264"));
    assert_eq!(media.audio_codec.as_deref(), Some("aac"));
    assert_eq!(
        (media.width, media.height, media.duration_ms),
        (1920, 1080, 20_500)
    );
    assert_eq!(cloumer_domain::media::check(&media), Ok(()));
    videos.transcode(&video, &media).await.unwrap();
    assert_eq!(
        job.num_calls(),
        1,
        "the job's settings were not as expected"
    );
    // Without a signing key, no grant (the functions that only process videos have none).
    assert!(
        videos
            .grant(
                &VideoId::parse("vdJeju").unwrap(),
                time::OffsetDateTime::now_utc()
            )
            .is_err()
    );
    // A file MediaConvert finds no media in is refused with a reason.
    assert!(cloumer_aws::mediaconvert::media_info(None).is_err());
}
