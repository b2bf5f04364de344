//! Fan-out benchmark (`cargo xtask bench fanout`, or `cargo bench -p cloumer-lambda --bench
//! fanout` with moto on PATH): what a stream start costs a channel with 100,000 followers.
//!
//! 1. **Time**, on the embedded store: the stream-start event as the local stack handles it,
//!    which writes every follower's in-app notification, 500 at a time. The reference, measured
//!    in the same run on a fresh store: writing the same 100,000 notifications straight through
//!    the store port in the same pages (so the ratio is what reading the followers adds).
//! 2. **Calls**, on the DynamoDB adapter against moto, counted per operation by an SDK
//!    interceptor at two sizes: the stream-start event (stream-events) and the delivery that
//!    follows it (go-live: webhooks, followers' profiles and push subscriptions, the email
//!    queue, one push service request per subscribed browser; then the email-sender's one SES
//!    call per email). Every count
//!    grows in steps of the adapters' batch sizes, so two sizes give the per-follower rate, from
//!    which the counts at 100,000 follow exactly (moto is far too slow to hold 100,000 followers
//!    in a benchmark run).

#[path = "../tests/support/mod.rs"]
mod support;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextRef;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use cloumer_aws::dynamo::{DynamoStore, create_table};
use cloumer_aws::testing::Moto;
use cloumer_domain::follow::{Follow, MAX_FOLLOWING};
use cloumer_domain::ids::{ChannelId, StreamId, UserId};
use cloumer_domain::live::{StreamEvent, StreamEventKind};
use cloumer_domain::notification::{FAN_OUT_PAGE, Notification, NotificationKind};
use cloumer_domain::outbound::OutboundDestinations;
use cloumer_domain::ports::{
    ChannelRepository, NotificationRepository, PushSubscriptionRepository, SystemClock,
};
use cloumer_domain::{Identity, Platform, PlatformConfig, Ports, testkit};

const FOLLOWERS: usize = 100_000;
const MOTO_SIZES: [usize; 2] = [500, 1000];

fn follower(i: usize) -> UserId {
    UserId::parse(&format!("follower-{i:06}")).unwrap()
}

fn start_event(channel: &ChannelId, stream: &str) -> StreamEvent {
    StreamEvent {
        channel_id: channel.clone(),
        stream_id: StreamId::parse(stream).unwrap(),
        kind: StreamEventKind::Start,
        at: time::OffsetDateTime::now_utc(),
    }
}

/// Calls by operation: (stream-events, go-live), at one size.
type CallCounts = (BTreeMap<String, usize>, BTreeMap<String, usize>);

/// DynamoDB operations made, by name.
#[derive(Clone, Debug, Default)]
struct Calls(Arc<Mutex<BTreeMap<String, usize>>>);

impl Calls {
    fn take(&self) -> BTreeMap<String, usize> {
        std::mem::take(&mut self.0.lock().unwrap())
    }
}

impl Intercept for Calls {
    fn name(&self) -> &'static str {
        "CountCalls"
    }

    /// Every request sent (retries too), by its operation: DynamoDB's JSON protocol names it in
    /// `X-Amz-Target` (`DynamoDB_20120810.Query`).
    fn read_before_transmit(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        _config: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let operation = context
            .request()
            .headers()
            .get("x-amz-target")
            .and_then(|target| target.split('.').next_back())
            .unwrap_or("unknown")
            .to_owned();
        *self.0.lock().unwrap().entry(operation).or_default() += 1;
        Ok(())
    }
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        embedded_time().await;
        dynamodb_calls().await;
    });
}

async fn embedded_time() {
    println!("== In-app fan-out to {FOLLOWERS} followers, embedded store (local stack)");
    let dir = tempfile::tempdir().unwrap();
    let components = cloumer_local::Components::open(
        dir.path(),
        "http://127.0.0.1:9",
        "127.0.0.1",
        1935,
        Arc::new(SystemClock),
        OutboundDestinations::PublicHttpsOnly,
    )
    .unwrap();
    let star = Identity {
        user_id: UserId::parse("star").unwrap(),
        username: "star".into(),
        preferred_handle: Some("star".into()),
        nickname: Some("Star".into()),
        email: None,
        signed_in_at: None,
        staff: false,
    };
    let account = components.platform.ensure_account(&star).await.unwrap();
    let channel = account.channel.id.clone();
    let base = time::OffsetDateTime::now_utc() - time::Duration::days(1);
    let follows: Vec<Follow> = (0..FOLLOWERS)
        .map(|i| Follow {
            user_id: follower(i),
            channel_id: channel.clone(),
            followed_at: base + time::Duration::milliseconds(i as i64),
            notify: true,
        })
        .collect();
    let seeded = Instant::now();
    let added = components
        .store
        .import_follows(follows, MAX_FOLLOWING)
        .await
        .unwrap();
    assert_eq!(added, FOLLOWERS);
    println!(
        "  seeding {FOLLOWERS} follows (one transaction): {:.2?}",
        seeded.elapsed()
    );

    // The reference: the same notifications written straight through the port, same pages.
    let reference_dir = tempfile::tempdir().unwrap();
    let reference_store =
        cloumer_store_embedded::EmbeddedStore::open(&reference_dir.path().join("r.redb")).unwrap();
    let template = Notification {
        user_id: follower(0),
        channel_id: channel.clone(),
        kind: NotificationKind::WentLive {
            stream_id: StreamId::parse("st-reference").unwrap(),
        },
        created_at: time::OffsetDateTime::now_utc(),
        channel_handle: "star".into(),
        owner_nickname: "Star".into(),
        owner_avatar: "preset:fox".into(),
        title: String::new(),
    };
    let notifications: Vec<Notification> = (0..FOLLOWERS)
        .map(|i| Notification {
            user_id: follower(i),
            ..template.clone()
        })
        .collect();
    let reference = Instant::now();
    for page in notifications.chunks(FAN_OUT_PAGE) {
        reference_store.put_notifications(page).await.unwrap();
    }
    let reference = reference.elapsed();

    let fan_out = Instant::now();
    let changed = components
        .platform
        .handle_stream_event(&start_event(&channel, "st-fanout"))
        .await
        .unwrap();
    let fan_out = fan_out.elapsed();
    assert!(changed);
    let last = components
        .store
        .list_notifications(&follower(FOLLOWERS - 1), None, 5)
        .await
        .unwrap();
    assert_eq!(last.items.len(), 1, "the last follower was notified");
    println!(
        "  reference, {FOLLOWERS} notifications written in pages of {FAN_OUT_PAGE}: {reference:.2?}"
    );
    println!("  stream start with the fan-out: {fan_out:.2?}");
    println!(
        "  ratio fan-out / reference: {:.2} ({:.1} µs a follower)",
        fan_out.as_secs_f64() / reference.as_secs_f64(),
        fan_out.as_secs_f64() * 1e6 / FOLLOWERS as f64
    );
}

async fn dynamodb_calls() {
    println!("== DynamoDB, SQS and SES calls of one stream start (moto), by followers");
    let mut rows = Vec::new();
    for size in MOTO_SIZES {
        rows.push((size, calls_at(size).await));
    }
    let operations: std::collections::BTreeSet<String> = rows
        .iter()
        .flat_map(|(_, (a, b))| a.keys().chain(b.keys()).cloned())
        .collect();
    for (stage, pick) in [("stream-events", 0), ("go-live", 1)] {
        println!("  {stage}:");
        for operation in &operations {
            let count = |row: &(usize, CallCounts)| {
                let (_, (a, b)) = row;
                let map = if pick == 0 { a } else { b };
                map.get(operation).copied().unwrap_or(0)
            };
            let (small, large) = (&rows[0], &rows[1]);
            let (n0, n1) = (small.0 as f64, large.0 as f64);
            let (c0, c1) = (count(small) as f64, count(large) as f64);
            if c0 == 0.0 && c1 == 0.0 {
                continue;
            }
            let per_follower = (c1 - c0) / (n1 - n0);
            let fixed = c0 - per_follower * n0;
            println!(
                "    {operation:<18} {:>6} at {}, {:>6} at {} → {:>8.0} at {FOLLOWERS}",
                c0,
                small.0,
                c1,
                large.0,
                (fixed + per_follower * FOLLOWERS as f64).round()
            );
        }
    }
}

/// Writes `size` follow items straight into the table, 25 a call, in the layout
/// `cloumer_aws::dynamo::follows` documents. Following through the store would be one
/// transaction each, and moto copies the whole table for every transaction: quadratic, hours at
/// these sizes. (The counts are not written: the fan-out never reads them.)
async fn seed_follows(client: &aws_sdk_dynamodb::Client, channel: &ChannelId, size: usize) {
    use aws_sdk_dynamodb::types::{AttributeValue, PutRequest, WriteRequest};
    let s = |v: String| AttributeValue::S(v);
    let base = time::OffsetDateTime::now_utc().unix_timestamp_nanos() - 1_000_000_000_000;
    let requests: Vec<WriteRequest> = (0..size)
        .map(|i| {
            let user = follower(i);
            let at = base + i as i128 * 1_000_000;
            let follow = Follow {
                user_id: user.clone(),
                channel_id: channel.clone(),
                followed_at: time::OffsetDateTime::from_unix_timestamp_nanos(at).unwrap(),
                notify: true,
            };
            let item = [
                ("pk", s(format!("USER#{user}"))),
                ("sk", s(format!("FOLLOWS#{channel}"))),
                ("data", s(serde_json::to_string(&follow).unwrap())),
                ("gsi1pk", s(format!("FOLLOWERS#{channel}"))),
                ("gsi1sk", s(format!("{at:020}#{user}"))),
                ("gsi2pk", s(format!("FOLLOWING#{user}"))),
                ("gsi2sk", s(format!("{at:020}#{channel}"))),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
            WriteRequest::builder()
                .put_request(PutRequest::builder().set_item(Some(item)).build().unwrap())
                .build()
        })
        .collect();
    for batch in requests.chunks(25) {
        client
            .batch_write_item()
            .request_items("fanout", batch.to_vec())
            .send()
            .await
            .unwrap();
    }
}

/// (stream-events calls, go-live calls) for a channel with `size` followers.
async fn calls_at(size: usize) -> CallCounts {
    let moto = Moto::start().await;
    let sdk = moto.sdk_config().await;
    let calls = Calls::default();
    let client = aws_sdk_dynamodb::Client::from_conf(
        aws_sdk_dynamodb::config::Builder::from(&sdk)
            .interceptor(calls.clone())
            .build(),
    );
    create_table(&client, "fanout").await.unwrap();
    let client_for_seeding = aws_sdk_dynamodb::Client::new(&sdk);
    let store = DynamoStore::new(client, "fanout");
    let channel = testkit::channel("star", "star", 0);
    store.create_channel(&channel).await.unwrap();
    for i in 0..size {
        let mut profile = testkit::profile(follower(i).as_str());
        profile.email = Some(format!("{}@example.com", follower(i)));
        profile.notifications.unsubscribe_token = Some("t".repeat(32));
        store.put_profile(&profile).await.unwrap();
        // One browser each with push on.
        store
            .save_push_subscription(&testkit::push_subscription(follower(i).as_str(), 0), 10)
            .await
            .unwrap();
    }
    seed_follows(&client_for_seeding, &channel.id, size).await;
    let email_queue = aws_sdk_sqs::Client::new(&sdk)
        .create_queue()
        .queue_name("fanout-emails")
        .send()
        .await
        .unwrap()
        .queue_url
        .unwrap();
    let clock: Arc<dyn cloumer_domain::ports::Clock> = Arc::new(SystemClock);
    let ports = Ports {
        channels: Arc::new(store.clone()),
        chat: Arc::new(store.clone()),
        recordings: Arc::new(store.clone()),
        clips: Arc::new(store.clone()),
        videos: Arc::new(store.clone()),
        video_uploads: Arc::new(cloumer_aws::video_pipeline::NoVideoPipeline),
        video_processing: Arc::new(cloumer_aws::video_pipeline::NoVideoPipeline),
        follows: Arc::new(store.clone()),
        blocks: Arc::new(store.clone()),
        polls: Arc::new(store.clone()),
        notifications: Arc::new(store.clone()),
        webhooks: Arc::new(store.clone()),
        reports: Arc::new(store.clone()),
        push_subscriptions: Arc::new(store.clone()),
        push: Arc::new(cloumer_aws::push_keys::NoPushKeys),
        presence: Arc::new(cloumer_aws::dynamo::DynamoPresence::new(store.clone())),
        files: Arc::new(cloumer_aws::s3::NoPublicFiles),
        recording_files: Arc::new(cloumer_aws::s3::NoRecordingFiles),
        rates: Arc::new(store.clone()),
        webhook_sender: Arc::new(
            cloumer_outbound::HttpWebhookSender::new(
                OutboundDestinations::PublicHttpsOnly,
                "https://cloumer.example",
                cloumer_outbound::Retries::default(),
            )
            .unwrap(),
        ),
        go_live: Arc::new(cloumer_aws::sns::NoTopic(
            "no go-live topic in the benchmark",
        )),
        video_ready: Arc::new(cloumer_aws::sns::NoTopic(
            "no video-ready topic in the benchmark",
        )),
        // The go-live function's: emails go to the queue (counted by the same interceptor).
        email: Arc::new(cloumer_aws::sqs::SqsEmailQueue::new(
            aws_sdk_sqs::Client::from_conf(
                aws_sdk_sqs::config::Builder::from(&sdk)
                    .interceptor(calls.clone())
                    .build(),
            ),
            &email_queue,
        )),
        video: Arc::new(cloumer_aws::ivs::IvsVideo::new(
            aws_sdk_ivs::Client::new(&sdk),
            cloumer_aws::ivs::RecordingConfigurations {
                public: None,
                private: None,
            },
            clock.clone(),
        )),
        chat_service: Arc::new(cloumer_aws::ivschat::IvsChat::new(
            aws_sdk_ivschat::Client::new(&sdk),
            "us-east-1",
            None,
            Vec::new(),
            clock.clone(),
        )),
        playback: Arc::new(cloumer_aws::signing_keys::NoSigningKeys),
        recording_access: Arc::new(cloumer_aws::signing_keys::NoSigningKeys),
        clock,
    };
    let platform = Platform::new(ports, PlatformConfig::default());
    calls.take();
    let started = Instant::now();
    platform
        .handle_stream_event(&start_event(&channel.id, "st-fanout"))
        .await
        .unwrap();
    let stream_events = calls.take();
    let event_took = started.elapsed();
    let event = cloumer_domain::notification::GoLive {
        channel_id: channel.id.clone(),
        stream_id: StreamId::parse("st-fanout").unwrap(),
        started_at: time::OffsetDateTime::now_utc(),
        channel_handle: "star".into(),
        owner_nickname: "Star".into(),
        title: String::new(),
    };
    let delivered = platform.deliver_go_live(&event).await.unwrap();
    assert_eq!(
        delivered.emails.sent, size,
        "every follower's email was queued"
    );
    let mut go_live = calls.take();
    // Each queued email is one SES SendEmail by the email-sender; NoPushKeys counts each push as
    // failed: one request to a push service each.
    go_live.insert("email-sender ses:SendEmail".into(), delivered.emails.sent);
    assert_eq!(
        delivered.pushes.failed, size,
        "every follower was due a push"
    );
    go_live.insert("push:POST".into(), delivered.pushes.failed);
    println!(
        "  {size} followers: stream-events {:.2?} against moto ({} emails queued)",
        event_took, delivered.emails.sent
    );
    (stream_events, go_live)
}
