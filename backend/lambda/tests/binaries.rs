//! The Lambda binaries themselves, as Lambda runs them: each process gets its configuration
//! from the environment, builds the cloud adapters against moto (the AWS emulator) and takes
//! events from a Lambda Runtime API served by this test.

mod support;

use axum::http::StatusCode;
use cloumer_aws::dynamo::DynamoStore;
use cloumer_domain::channel::Channel;
use cloumer_domain::ids::UserId;
use cloumer_domain::ports::{
    BlockRepository, ChannelRepository, ChatRepository, FollowRepository, PollRepository,
};
use cloumer_domain::testkit;
use serde_json::{Value, json};
/// The chat-token route as the router declares it: metrics never carry a channel's handle.
const CHAT_TOKEN_ROUTE: &str = "POST /api/v1/channels/{handle}/chat-token";

use cloumer_aws::testing::Moto;
use support::{
    Runtime, SITE, cloud, fixture, function, printing_function, serve_api, serve_api_for,
    unreachable_push_browser,
};

/// A streamer signed in through moto's Cognito, their channel in DynamoDB, and the API function
/// verifying their tokens (both run while their fields live: bind them, not `..`).
struct StreamerOnApi {
    _moto: Moto,
    store: DynamoStore,
    user: cloumer_aws::testing::CognitoUser,
    _api: tokio::process::Child,
    base: String,
    channel: Channel,
}

async fn streamer_on_api(handle: &str, nickname: &str) -> StreamerOnApi {
    let (moto, store) = cloud().await;
    let user = moto
        .cognito_user("streamer@example.com", handle, nickname)
        .await;
    let (api, base) = serve_api_for(&moto, &user, &[]).await;
    let mut channel = testkit::channel("streamer", handle, 0);
    channel.owner = UserId::parse(&user.sub).unwrap();
    store.create_channel(&channel).await.unwrap();
    StreamerOnApi {
        _moto: moto,
        store,
        user,
        _api: api,
        base,
        channel,
    }
}

/// IVS Chat's review request for a message `id` saying `content` in `room`.
fn review_event(room: &str, content: &str, id: &str) -> Value {
    serde_json::from_str(
        &fixture("chat-review.json")
            .replace("ROOM_ARN", room)
            .replace("hello 바보 world", content)
            .replace("ABC123DEF456", id),
    )
    .unwrap()
}

/// The review function's environment, with its deadline: moto on a busy machine answers slower
/// than DynamoDB answers a Lambda, and these tests check what a review does, not how fast.
fn review_env(runtime: &Runtime, deadline_ms: u64) -> Vec<(&'static str, String)> {
    let mut env = runtime.env("chat-review");
    env.push(("REVIEW_DEADLINE_MS", deadline_ms.to_string()));
    env
}

/// moto with `channel` in its table, and the ARN of the channel's chat room.
async fn room_of(channel: &Channel) -> (Moto, DynamoStore, String) {
    let (moto, store) = cloud().await;
    store.create_channel(channel).await.unwrap();
    let room = channel.chat_room.as_ref().unwrap().arn.clone();
    (moto, store, room)
}

#[tokio::test]
async fn chat_review_allows_stores_in_dynamodb_and_outlives_bad_events() {
    let channel = testkit::channel("owner-1", "minji_live", 0);
    let (moto, store, room) = room_of(&channel).await;
    let event = |content: &str, id: &str| review_event(&room, content, id);
    // The fixture answers a message the room never had; the second answers the first.
    let mut reply = event("반가워요", "MSG000000002");
    reply["Attributes"]["replyTo"] = json!("MSG000000001");
    let mut runtime = Runtime::start(vec![
        event("안녕하세요 everyone", "MSG000000001"),
        reply,
        json!({"not": "a review request"}),
    ])
    .await;
    let (_review, printed) = printing_function("chat-review", &moto, &review_env(&runtime, 10_000));

    let (kind, allowed) = runtime.answer().await;
    assert_eq!(kind, "response", "{allowed}");
    assert_eq!(allowed["ReviewResult"], "ALLOW");
    assert_eq!(allowed["Content"], "안녕하세요 everyone");
    assert_eq!(
        allowed["Attributes"],
        json!({}),
        "no such message to answer"
    );
    let (kind, reply) = runtime.answer().await;
    assert_eq!(kind, "response", "{reply}");
    assert_eq!(
        reply["Attributes"],
        json!({"replyTo": "MSG000000001", "replyToSender": "7f0c1e2a-3b4c-4d5e-8f9a-0b1c2d3e4f5a",
            "replyToNickname": "시청자", "replyToHandle": ""}),
        "the answered message's sender, as DynamoDB holds it"
    );
    let history = store.list_messages(&channel.id, None, 10).await.unwrap();
    assert_eq!(history.items.len(), 2);
    assert_eq!(history.items[1].content, "안녕하세요 everyone");
    assert_eq!(
        history.items[1].sender,
        UserId::parse("7f0c1e2a-3b4c-4d5e-8f9a-0b1c2d3e4f5a").unwrap()
    );

    // A request that is not a review event is an invocation error, and the function lives on.
    let (kind, body) = runtime.answer().await;
    assert_eq!(kind, "error", "{body}");

    // Every review is counted by outcome, with its latency, for the dashboard and the alarm.
    let reviews = printed.wait_for_metrics("ChatReviews", 2).await;
    assert_eq!(reviews.len(), 2, "{reviews:?}");
    assert_eq!(reviews[0]["Outcome"], "allowed");
    assert_eq!(
        reviews[0]["_aws"]["CloudWatchMetrics"][0]["Namespace"],
        "Cloumer"
    );
    assert_eq!(
        reviews[0]["_aws"]["CloudWatchMetrics"][0]["Dimensions"],
        json!([["Outcome"]])
    );
    assert!(reviews[0]["ChatReviewLatency"].as_f64().unwrap() >= 0.0);
}

/// An emote-only room, as DynamoDB holds it: the review refuses a viewer's words and lets their
/// emoji through.
#[tokio::test]
async fn chat_review_keeps_an_emote_only_room_to_emotes_and_emoji() {
    let mut channel = testkit::channel("owner-1", "minji_live", 0);
    channel.chat_rules.emote_only = true;
    let (moto, _store, room) = room_of(&channel).await;
    let mut runtime = Runtime::start(vec![
        review_event(&room, "gg everyone", "MSG000000001"),
        review_event(&room, ":Kappa:", "MSG000000002"),
        review_event(&room, "🎉🔥 👏🏽", "MSG000000003"),
    ])
    .await;
    let _review = function("chat-review", &moto, &review_env(&runtime, 10_000));
    for expected in ["DENY", "DENY", "ALLOW"] {
        let (kind, answer) = runtime.answer().await;
        assert_eq!(kind, "response", "{answer}");
        assert_eq!(answer["ReviewResult"], expected, "{answer}");
    }
}

/// A room with links off, as DynamoDB holds it: the review in the cloud refuses a viewer's link,
/// as the local chat server does, and lets their words through.
#[tokio::test]
async fn chat_review_refuses_a_viewers_link_when_links_are_off() {
    let mut channel = testkit::channel("owner-1", "minji_live", 0);
    channel.chat_rules.links_off = true;
    let (moto, _store, room) = room_of(&channel).await;
    let mut runtime = Runtime::start(vec![
        review_event(&room, "free followers at bit.ly/abc", "MSG000000001"),
        review_event(&room, "v1.2.3 is out, gg", "MSG000000002"),
    ])
    .await;
    let _review = function("chat-review", &moto, &review_env(&runtime, 10_000));
    for expected in ["DENY", "ALLOW"] {
        let (kind, answer) = runtime.answer().await;
        assert_eq!(kind, "response", "{answer}");
        assert_eq!(answer["ReviewResult"], expected, "{answer}");
    }
}

/// Unique chat in the cloud: the review Lambda remembers what the room said in DynamoDB, so a
/// copy is refused whichever instance reviews it, and other words go out.
#[tokio::test]
async fn chat_review_refuses_a_copy_under_unique_chat() {
    let mut channel = testkit::channel("owner-1", "minji_live", 0);
    channel.chat_rules.unique_chat = true;
    let (moto, _store, room) = room_of(&channel).await;
    let mut runtime = Runtime::start(vec![
        review_event(&room, "Follow my channel for free stuff", "MSG000000001"),
        review_event(&room, "follow MY channel for free   stuff", "MSG000000002"),
        review_event(&room, "something else entirely", "MSG000000003"),
    ])
    .await;
    let _review = function("chat-review", &moto, &review_env(&runtime, 10_000));
    for expected in ["ALLOW", "DENY", "ALLOW"] {
        let (kind, answer) = runtime.answer().await;
        assert_eq!(kind, "response", "{answer}");
        assert_eq!(answer["ReviewResult"], expected, "{answer}");
    }
}

/// A streamer's weekly schedule through the API function: kept in the channel's DynamoDB item,
/// and its next streams on the channel page (the time zone rules are built into the binary, as
/// Lambda's image has none to read).
#[tokio::test]
async fn api_keeps_a_streamers_schedule_and_shows_the_next_streams() {
    let StreamerOnApi {
        _moto,
        store,
        user,
        _api,
        base,
        channel,
    } = streamer_on_api("plan_show", "Plan Show").await;
    let http = reqwest::Client::new();
    let saved = http
        .put(format!("{base}/api/v1/me/channel/schedule"))
        .bearer_auth(&user.id_token)
        .json(&json!({"timeZone": "America/New_York", "slots": [
            {"day": "SAT", "start": "19:30", "durationMinutes": 180, "title": "Saturday night"}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 200);
    let kept = store
        .get_channel(&channel.id)
        .await
        .unwrap()
        .unwrap()
        .schedule
        .unwrap();
    assert_eq!(kept.time_zone, "America/New_York");
    assert_eq!(kept.slots[0].start_minute, 19 * 60 + 30);

    let page = get_json(&http, &format!("{base}/api/v1/channels/plan_show")).await;
    let upcoming = page["upcoming"].as_array().unwrap();
    assert_eq!(upcoming.len(), 3, "{page}");
    for planned in upcoming {
        let starts = time::OffsetDateTime::parse(
            planned["startsAt"].as_str().unwrap(),
            &time::format_description::well_known::Rfc3339,
        )
        .unwrap();
        // 19:30 in New York is 23:30 or 00:30 UTC, by the season.
        assert_eq!(starts.minute(), 30, "{planned}");
        assert!([23, 0].contains(&starts.hour()), "{planned}");
        assert_eq!(planned["title"], "Saturday night");
    }
}

/// A channel's bio and links through the API function: kept in the channel's DynamoDB item as
/// tidied, and shown on the channel page.
#[tokio::test]
async fn api_keeps_a_channels_bio_and_links_and_the_page_shows_them() {
    let StreamerOnApi {
        _moto,
        store,
        user,
        _api,
        base,
        channel,
    } = streamer_on_api("about_show", "About Show").await;
    let http = reqwest::Client::new();
    let saved = http
        .put(format!("{base}/api/v1/me/channel/about"))
        .bearer_auth(&user.id_token)
        .json(
            &json!({"bio": "Speedruns nightly.\r\n\r\n\r\n질문 환영", "links": [
            {"label": " Shop ", "url": "https://Shop.Example.com"}]}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 200);
    let kept = store
        .get_channel(&channel.id)
        .await
        .unwrap()
        .unwrap()
        .about
        .unwrap();
    assert_eq!(kept.bio, "Speedruns nightly.\n\n질문 환영");
    assert_eq!(
        (kept.links[0].label.as_str(), kept.links[0].url.as_str()),
        ("Shop", "https://shop.example.com/")
    );
    let page = get_json(&http, &format!("{base}/api/v1/channels/about_show")).await;
    assert_eq!(
        page["about"],
        json!({"bio": "Speedruns nightly.\n\n질문 환영",
            "links": [{"label": "Shop", "url": "https://shop.example.com/"}]}),
        "{page}"
    );
    let refused = http
        .put(format!("{base}/api/v1/me/channel/about"))
        .bearer_auth(&user.id_token)
        .json(&json!({"bio": "", "links": [{"label": "x", "url": "javascript:alert(1)"}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 400);
    let still = store.get_channel(&channel.id).await.unwrap().unwrap();
    assert_eq!(still.about, Some(kept), "nothing changed");
}

/// A streamer marks their channel for adults, and says it streams in Korean, through the api
/// function: the channel in DynamoDB keeps both, its page and the directory say them, and the
/// directory filters by the language.
#[tokio::test]
async fn api_marks_a_channel_for_adults_and_its_language_in_dynamodb() {
    let StreamerOnApi {
        _moto,
        store,
        user,
        _api,
        base,
        channel,
    } = streamer_on_api("late_show", "Late Show").await;
    let http = reqwest::Client::new();
    let changed: Value = http
        .patch(format!("{base}/api/v1/me/channel"))
        .bearer_auth(&user.id_token)
        .json(&json!({"mature": true, "language": "ko"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(changed["mature"], true, "{changed}");
    assert_eq!(changed["language"], "ko", "{changed}");
    let stored = store.get_channel(&channel.id).await.unwrap().unwrap();
    assert!(stored.mature);
    assert_eq!(stored.language.unwrap().as_str(), "ko");
    let page = get_json(&http, &format!("{base}/api/v1/channels/late_show")).await;
    assert_eq!(page["mature"], true, "{page}");
    assert_eq!(page["language"], "ko", "{page}");
    let directory = get_json(&http, &format!("{base}/api/v1/directory")).await;
    assert_eq!(directory["items"][0]["mature"], true, "{directory}");
    let korean = get_json(&http, &format!("{base}/api/v1/directory?language=ko")).await;
    assert_eq!(korean["items"][0]["handle"], "late_show", "{korean}");
    let english = get_json(&http, &format!("{base}/api/v1/directory?language=en")).await;
    assert_eq!(english["items"], json!([]), "{english}");
}

/// `user`'s channel `handle` in DynamoDB, live since `ago` (stream `st-<recording>`), and that
/// broadcast's recording `recording` under way.
async fn live_and_recording(
    store: &DynamoStore,
    user: &cloumer_aws::testing::CognitoUser,
    handle: &str,
    recording: &str,
    ago: time::Duration,
) -> (Channel, cloumer_domain::recording::Recording) {
    use cloumer_domain::ids::{RecordingId, StreamId};
    use cloumer_domain::ports::RecordingRepository;
    use cloumer_domain::recording::{Recording, RecordingStatus};

    let started = time::OffsetDateTime::now_utc() - ago;
    let stream = StreamId::parse(&format!("st-{recording}")).unwrap();
    let mut channel = testkit::channel("streamer", handle, 0);
    channel.owner = UserId::parse(&user.sub).unwrap();
    channel.live.stream_id = Some(stream.clone());
    channel.live.started_at = Some(started);
    store.create_channel(&channel).await.unwrap();
    let recording = Recording {
        id: RecordingId::parse(recording).unwrap(),
        channel_id: channel.id.clone(),
        stream_id: Some(stream),
        title: Default::default(),
        category: Default::default(),
        private: false,
        status: RecordingStatus::Recording,
        started_at: Some(started),
        ended_at: None,
        duration_ms: None,
        playlist_url: None,
        thumbnail_url: None,
        markers: Vec::new(),
        audience: Default::default(),
    };
    store.put_recording(&recording, None).await.unwrap();
    (channel, recording)
}

/// A streamer marks a moment of their live broadcast through the API function: the marker is on
/// the recording's DynamoDB item, at its offset from the recording's start, and the past
/// broadcast's markers list it for a signed-out viewer.
#[tokio::test]
async fn api_keeps_a_live_broadcasts_markers_on_its_recording_in_dynamodb() {
    use cloumer_domain::ports::RecordingRepository;
    use cloumer_domain::recording::{Recording, RecordingStatus};

    let (moto, store) = cloud().await;
    let user = moto
        .cognito_user("streamer@example.com", "marker_show", "Marker Show")
        .await;
    let (_, recording) = live_and_recording(
        &store,
        &user,
        "marker_show",
        "recM",
        time::Duration::seconds(90),
    )
    .await;
    let (_api, base) = serve_api_for(&moto, &user, &[]).await;
    let http = reqwest::Client::new();
    let marked = http
        .post(format!("{base}/api/v1/me/channel/markers"))
        .bearer_auth(&user.id_token)
        .json(&json!({"note": "first boss"}))
        .send()
        .await
        .unwrap();
    assert_eq!(marked.status(), 201);
    let marked: Value = marked.json().await.unwrap();
    let at_ms = marked["atMs"].as_u64().unwrap();
    assert!((90_000..100_000).contains(&at_ms), "{marked}");
    let stored = store.get_recording(&recording.id).await.unwrap().unwrap();
    let kept = &stored.markers;
    assert_eq!(
        (kept[0].at_ms, kept[0].note.as_str()),
        (at_ms, "first boss")
    );
    // Viewers find it once the broadcast is a past broadcast they can play.
    let ended = Recording {
        status: RecordingStatus::Ended,
        duration_ms: Some(120_000),
        playlist_url: Some("https://d1.cloudfront.net/recM/media/hls/master.m3u8".into()),
        ..stored.clone()
    };
    store.put_recording(&ended, Some(&stored)).await.unwrap();
    let listed = get_json(&http, &format!("{base}/api/v1/recordings/recM/markers")).await;
    assert_eq!(
        listed,
        json!({"items": [{"atMs": at_ms, "note": "first boss"}]})
    );
    // Its name put right: the item keeps it at its moment.
    let renamed = http
        .patch(format!(
            "{base}/api/v1/me/channel/recordings/recM/markers/{at_ms}"
        ))
        .bearer_auth(&user.id_token)
        .json(&json!({"note": "the first boss"}))
        .send()
        .await
        .unwrap();
    assert_eq!(renamed.status(), 200);
    let stored = store.get_recording(&recording.id).await.unwrap().unwrap();
    assert_eq!(
        (stored.markers[0].at_ms, stored.markers[0].note.as_str()),
        (at_ms, "the first boss")
    );
    // Marked by mistake: its streamer takes it off the item.
    let removed = http
        .delete(format!(
            "{base}/api/v1/me/channel/recordings/recM/markers/{at_ms}"
        ))
        .bearer_auth(&user.id_token)
        .send()
        .await
        .unwrap();
    assert_eq!(removed.status(), 204);
    let stored = store.get_recording(&recording.id).await.unwrap().unwrap();
    assert!(stored.markers.is_empty(), "{:?}", stored.markers);
}

/// A review that runs past its deadline is denied (IVS Chat would apply the room's fallback
/// anyway), and counted as late.
#[tokio::test]
async fn a_review_past_its_deadline_is_denied_and_counted_late() {
    let channel = testkit::channel("owner-1", "minji_live", 0);
    let (moto, _store, room) = room_of(&channel).await;
    let mut runtime = Runtime::start(vec![review_event(&room, "hello", "MSG000000001")]).await;
    // No review reads its channel from the store in a millisecond.
    let (_review, printed) = printing_function("chat-review", &moto, &review_env(&runtime, 1));
    let (kind, late) = runtime.answer().await;
    assert_eq!(kind, "response", "{late}");
    assert_eq!(late["ReviewResult"], "DENY", "{late}");
    let reviews = printed.wait_for_metrics("ChatReviews", 1).await;
    assert_eq!(reviews[0]["Outcome"], "late", "{reviews:?}");
}

/// The production environment, whose grants the tests hold the functions' calls against.
const PROD: &str = include_str!("../../../infra/environments/prod/main.tf");

/// The production environment's text from `start` to the first `end` after it.
fn prod_block(start: &str, end: &str) -> &'static str {
    let from = &PROD[PROD
        .find(start)
        .unwrap_or_else(|| panic!("no {start} in the production environment"))..];
    &from[..from.find(end).expect("the block ends")]
}

/// The DynamoDB actions named in a piece of Terraform.
fn dynamodb_actions(terraform: &str) -> Vec<String> {
    terraform
        .split('"')
        .filter(|word| word.starts_with("dynamodb:"))
        .map(str::to_owned)
        .collect()
}

/// The actions Terraform grants a function's role on DynamoDB, read from the function's module
/// block in the production environment.
fn granted_dynamodb_actions(module: &str) -> Vec<String> {
    dynamodb_actions(prod_block(&format!("module \"{module}\" {{"), "\n}\n"))
}

/// Every DynamoDB call the review makes (rate counts, slow mode's turn, the sender's account age,
/// their follow in a followers-only room, bans, history) is one its role may make: moto checks
/// no permissions, so this holds the calls against what Terraform grants.
#[tokio::test]
async fn chat_review_is_allowed_every_dynamodb_call_it_makes() {
    let mut channel = testkit::channel("owner-1", "minji_live", 0);
    channel.chat_rules.slow_mode_seconds = 30;
    channel.chat_rules.min_account_age_minutes = 10;
    channel.chat_rules.followers_only_minutes = Some(30);
    let (moto, store, room) = room_of(&channel).await;
    // Two viewers with hour-old accounts: one has followed the channel for an hour, one not.
    const FOLLOWER: &str = "7f0c1e2a-3b4c-4d5e-8f9a-0b1c2d3e4f5a";
    const STRANGER: &str = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
    for (user, handle) in [(FOLLOWER, "viewer_one"), (STRANGER, "viewer_two")] {
        let mut account = testkit::channel(handle, handle, -60);
        account.owner = UserId::parse(user).unwrap();
        store.create_channel(&account).await.unwrap();
    }
    let follow = cloumer_domain::follow::Follow {
        user_id: UserId::parse(FOLLOWER).unwrap(),
        channel_id: channel.id.clone(),
        followed_at: time::OffsetDateTime::now_utc() - time::Duration::hours(1),
        notify: true,
    };
    store.follow(&follow, 100).await.unwrap();
    let event = |content: &str, id: &str| review_event(&room, content, id);
    let mut from_stranger = event("let me in", "MSG000000003");
    from_stranger["Sender"]["UserId"] = json!(STRANGER);
    let mut runtime = Runtime::start(vec![
        event("first", "MSG000000001"),
        event("too soon", "MSG000000002"),
        from_stranger,
    ])
    .await;
    let _review = function("chat-review", &moto, &review_env(&runtime, 10_000));
    let (_, first) = runtime.answer().await;
    assert_eq!(
        first["ReviewResult"], "ALLOW",
        "a follower of an hour: {first}"
    );
    let (_, second) = runtime.answer().await;
    assert_eq!(second["ReviewResult"], "DENY", "slow mode: {second}");
    let (_, third) = runtime.answer().await;
    assert_eq!(third["ReviewResult"], "DENY", "followers only: {third}");

    let granted = granted_dynamodb_actions("chat_review");
    let called: std::collections::BTreeSet<String> = moto
        .json_operations()
        .await
        .into_iter()
        .filter_map(|target| {
            let operation = target.strip_prefix("DynamoDB_20120810.")?;
            // A transaction is authorized item by item (PutItem, ConditionCheckItem, …).
            (operation != "TransactWriteItems").then(|| format!("dynamodb:{operation}"))
        })
        .collect();
    assert!(called.contains("dynamodb:UpdateItem"), "{called:?}");
    // What the test itself did to arrange the table is among them; the role needs no more.
    let arranged = ["dynamodb:CreateTable", "dynamodb:TransactWriteItems"];
    let missing: Vec<&String> = called
        .iter()
        .filter(|action| !granted.contains(action) && !arranged.contains(&action.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "chat-review calls {missing:?}, which its role does not grant ({granted:?})"
    );
}

#[tokio::test]
async fn stream_events_put_a_channel_live_in_dynamodb() {
    let (moto, store) = cloud().await;
    let channel = testkit::channel("owner-2", "jisoo_plays", 0);
    store.create_channel(&channel).await.unwrap();
    let start: Value = serde_json::from_str(
        &fixture("stream-start.json").replace("CHANNEL_ID", channel.id.as_str()),
    )
    .unwrap();
    let mut runtime = Runtime::start(vec![start]).await;
    let (_events, printed) =
        printing_function("stream-events", &moto, &runtime.env("stream-events"));
    let (kind, body) = runtime.answer().await;
    assert_eq!(kind, "response", "{body}");
    let live = store.get_channel(&channel.id).await.unwrap().unwrap();
    assert!(live.live.is_live(), "the channel is live: {live:?}");
    assert_eq!(
        live.live.stream_id.as_ref().map(|id| id.as_str()),
        Some("st-1A2b3c4D5e6F78ab")
    );
    let handled = printed.wait_for_metrics("StreamEvents", 1).await;
    assert_eq!(handled.len(), 1, "{handled:?}");
    assert_eq!(handled[0]["Event"], "stream");
}

/// IVS's `ListStreams` for one live stream of `channel_arn` with `viewers` (moto has no
/// `ListStreams`): the address to give the functions as `AWS_ENDPOINT_URL_IVS`.
async fn ivs_listing(channel_arn: &str, stream_id: &str, viewers: u64) -> String {
    let listing = json!({"streams": [{"channelArn": channel_arn, "streamId": stream_id,
        "state": "LIVE", "health": "HEALTHY", "viewerCount": viewers,
        "startTime": "2026-12-06T21:30:00Z"}]});
    let ivs = axum::Router::new().route(
        "/ListStreams",
        axum::routing::post(move || async move { axum::Json(listing) }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, ivs).await });
    address
}

/// The stream-events function on the minute's schedule: IVS's count of a live channel's viewers
/// lands on its recording in DynamoDB, once however often the tick comes in a minute, and its
/// streamer reads the summary from the api function, with the chat counted in DynamoDB.
#[tokio::test]
async fn stream_events_sample_a_live_broadcasts_audience_on_the_schedule() {
    use cloumer_domain::ports::{ChatRepository, RecordingRepository};

    let (moto, store) = cloud().await;
    let user = moto
        .cognito_user("streamer@example.com", "summary_show", "Summary Show")
        .await;
    let (channel, recording) = live_and_recording(
        &store,
        &user,
        "summary_show",
        "recS",
        time::Duration::minutes(3),
    )
    .await;
    let stream = channel.live.stream_id.clone().unwrap();
    let ivs = ivs_listing(&channel.video.clone().unwrap().arn, stream.as_str(), 42).await;

    let tick: Value = serde_json::from_str(&fixture("scheduled-event.json")).unwrap();
    let mut runtime = Runtime::start(vec![tick.clone(), tick]).await;
    let mut env = runtime.env("stream-events");
    env.push(("AWS_ENDPOINT_URL_IVS", ivs));
    let (_events, printed) = printing_function("stream-events", &moto, &env);
    for _ in 0..2 {
        let (kind, body) = runtime.answer().await;
        assert_eq!(kind, "response", "{body}");
    }
    let handled = printed.wait_for_metrics("StreamEvents", 2).await;
    assert!(
        handled.iter().all(|m| m["Event"] == "audiences"),
        "{handled:?}"
    );
    let sampled = store.get_recording(&recording.id).await.unwrap().unwrap();
    let audience = &sampled.audience;
    assert_eq!(
        (
            audience.samples,
            audience.peak_viewers,
            audience.graph.as_slice()
        ),
        (1, 42, &[42][..]),
        "{audience:?}"
    );

    // Its chat while live: three messages from two people in the table, and one from before
    // the broadcast by a third.
    let said = |id: &str, ago: i64, sender: &str| cloumer_domain::chat::StoredMessage {
        channel_id: channel.id.clone(),
        id: cloumer_domain::ids::MessageId::parse(id).unwrap(),
        sent_at: time::OffsetDateTime::now_utc() - time::Duration::minutes(ago),
        sender: UserId::parse(sender).unwrap(),
        sender_attributes: Default::default(),
        content: "안녕".to_owned(),
        attributes: Default::default(),
    };
    store
        .append_messages(&[
            said("MSGBEFORE001", 10, "viewer-3"),
            said("MSGLIVE00001", 2, "viewer-1"),
            said("MSGLIVE00002", 1, "viewer-2"),
            said("MSGLIVE00003", 1, "viewer-1"),
        ])
        .await
        .unwrap();

    let (_api, base) = serve_api_for(&moto, &user, &[]).await;
    let http = reqwest::Client::new();
    let summary = signed_in_json(
        &http,
        &format!("{base}/api/v1/me/channel/recordings/recS/summary"),
        &user.id_token,
    )
    .await;
    assert_eq!(
        summary,
        json!({"peakViewers": 42, "averageViewers": 42, "followersGained": 0, "samples": 1,
            "viewers": [42], "secondsPerPoint": 60, "chatMessages": 3, "chatters": 2})
    );
    assert_eq!(
        store
            .get_recording(&recording.id)
            .await
            .unwrap()
            .unwrap()
            .audience
            .chat,
        None,
        "counted anew while live"
    );

    // Over: the first reading keeps the count on the recording in DynamoDB.
    let live = store.get_recording(&recording.id).await.unwrap().unwrap();
    let mut ended = live.clone();
    ended.ended_at = Some(time::OffsetDateTime::now_utc());
    store.put_recording(&ended, Some(&live)).await.unwrap();
    let again = signed_in_json(
        &http,
        &format!("{base}/api/v1/me/channel/recordings/recS/summary"),
        &user.id_token,
    )
    .await;
    assert_eq!(again, summary);
    let kept = store.get_recording(&recording.id).await.unwrap().unwrap();
    assert_eq!(
        kept.audience.chat,
        Some(cloumer_domain::chat_message::ChatActivity {
            messages: 3,
            chatters: 2
        })
    );
}

/// The JSON body of an unauthenticated `GET url`.
async fn get_json(http: &reqwest::Client, url: &str) -> Value {
    http.get(url).send().await.unwrap().json().await.unwrap()
}

async fn signed_in_json(http: &reqwest::Client, url: &str, id_token: &str) -> Value {
    http.get(url)
        .bearer_auth(id_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn api_serves_the_directory_from_dynamodb_with_cors_for_the_site() {
    let (moto, store) = cloud().await;
    let mut channel = testkit::channel("owner-3", "hana_music", 0);
    channel.title = "Gayageum covers".to_owned().into();
    channel.category = "music".to_owned().into();
    store.create_channel(&channel).await.unwrap();
    store
        .create_channel(&testkit::channel("owner-5", "minsu_art", 1))
        .await
        .unwrap();
    let (_api, base) = serve_api(&moto, &[]).await;
    let http = reqwest::Client::new();
    let health = get_json(&http, &format!("{base}/api/health")).await;
    assert_eq!(health["environment"], "aws", "{health}");

    // Search and category filters over the channels in DynamoDB.
    for (query, expected) in [
        ("", json!(["minsu_art", "hana_music"])),
        ("?q=GAYAGEUM", json!(["hana_music"])),
        ("?category=Music", json!(["hana_music"])),
        ("?q=minsu&category=Music", json!([])),
    ] {
        let page = get_json(&http, &format!("{base}/api/v1/directory{query}")).await;
        let handles: Vec<Value> = page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["handle"].clone())
            .collect();
        assert_eq!(Value::from(handles), expected, "{query}: {page}");
    }
    let categories = get_json(&http, &format!("{base}/api/v1/categories")).await;
    assert_eq!(categories["items"][2]["name"], "Music", "{categories}");

    let response = http
        .get(format!("{base}/api/v1/channels/hana_music"))
        .header("Origin", SITE)
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["access-control-allow-origin"], SITE);
    assert_eq!(
        response.headers()["access-control-expose-headers"],
        "retry-after"
    );
    let page: Value = response.json().await.unwrap();
    assert_eq!(page["handle"], "hana_music", "{page}");
    let mine = http
        .get(format!("{base}/api/v1/me/channel"))
        .send()
        .await
        .unwrap();
    assert_eq!(mine.status(), StatusCode::UNAUTHORIZED.as_u16());
}

/// Behind API Gateway the API's long answers go gzipped to callers that accept gzip: the
/// function answers with the encoded bytes in base64 (`isBase64Encoded`), which API Gateway
/// decodes and sends on as they are. A caller that does not ask for gzip gets plain JSON.
#[tokio::test]
async fn api_behind_api_gateway_gzips_long_answers_for_callers_that_accept_gzip() {
    let (moto, _store) = cloud().await;
    let get = |accept_encoding: Option<&str>| -> Value {
        let mut event: Value = serde_json::from_str(
            &fixture("apigw-http-chat-token.json").replace("SOURCE_IP", "198.51.100.7"),
        )
        .unwrap();
        event["rawPath"] = "/api/openapi.json".into();
        event["requestContext"]["http"]["path"] = "/api/openapi.json".into();
        event["requestContext"]["http"]["method"] = "GET".into();
        event["pathParameters"]["proxy"] = "openapi.json".into();
        if let Some(encodings) = accept_encoding {
            event["headers"]["accept-encoding"] = encodings.into();
        }
        event
    };
    let mut runtime = Runtime::start(vec![get(None), get(Some("gzip, deflate, br, zstd"))]).await;
    let _api = function("api", &moto, &runtime.env("api"));

    let (kind, plain) = runtime.answer().await;
    assert_eq!(kind, "response", "{plain}");
    assert_eq!(plain["statusCode"], 200);
    assert_eq!(plain["isBase64Encoded"], false);
    assert_eq!(
        plain["headers"].get("content-encoding"),
        None,
        "{}",
        plain["headers"]
    );
    let document = plain["body"].as_str().unwrap().as_bytes().to_vec();
    let parsed: Value = serde_json::from_slice(&document).unwrap();
    assert!(parsed["paths"]["/api/v1/directory"].is_object());

    let (kind, gzipped) = runtime.answer().await;
    assert_eq!(kind, "response", "{gzipped}");
    assert_eq!(gzipped["statusCode"], 200);
    assert_eq!(gzipped["isBase64Encoded"], true);
    assert_eq!(gzipped["headers"]["content-encoding"], "gzip");
    assert_eq!(gzipped["headers"]["content-type"], "application/json");
    // Both the CORS layer's Vary and the compression's reach API Gateway, as one header.
    let vary = gzipped["headers"]["vary"].as_str().unwrap();
    assert!(
        vary.contains("origin") && vary.contains("accept-encoding"),
        "{}",
        gzipped["headers"]
    );
    let sent = aws_smithy_types::base64::decode(gzipped["body"].as_str().unwrap()).unwrap();
    let mut unpacked = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&sent[..]), &mut unpacked)
        .unwrap();
    assert_eq!(unpacked, document);
    assert!(
        sent.len() * 4 < document.len(),
        "{} of {}",
        sent.len(),
        document.len()
    );
}

/// A Cognito user (moto's user pool, its key set) follows a channel through the API binary; the
/// follow and its count are in DynamoDB, and their card in the channel's chat says since when.
#[tokio::test]
async fn api_lets_a_cognito_user_follow_a_channel_in_dynamodb() {
    let (moto, store) = cloud().await;
    let mut channel = testkit::channel("owner-4", "hana_music", 0);
    // Every day at 21:00 in Seoul: the list says what is coming up from it.
    let daily = cloumer_domain::schedule::Day::ALL
        .into_iter()
        .map(|day| cloumer_domain::schedule::Slot {
            day,
            start_minute: 21 * 60,
            duration_minutes: 60,
            title: "Night songs".into(),
        })
        .collect();
    channel.schedule = Some(cloumer_domain::schedule::Schedule::new("Asia/Seoul", daily).unwrap());
    store.create_channel(&channel).await.unwrap();
    let user = moto.cognito_user("fan@example.com", "fan_one", "Fan").await;
    let (_api, base) = serve_api_for(&moto, &user, &[]).await;
    let http = reqwest::Client::new();
    let followed: Value = http
        .put(format!("{base}/api/v1/channels/hana_music/follow"))
        .bearer_auth(&user.id_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        followed,
        json!({"followers": 1, "following": true, "notify": true})
    );
    assert_eq!(store.follower_count(&channel.id).await.unwrap(), 1);
    let following: Value = signed_in_json(
        &http,
        &format!("{base}/api/v1/me/following"),
        &user.id_token,
    )
    .await;
    assert_eq!(following["items"][0]["handle"], "hana_music", "{following}");
    let coming = following["comingUp"].as_array().unwrap();
    assert_eq!(coming.len(), 5, "{following}");
    for plan in coming {
        assert_eq!(
            (&plan["handle"], &plan["title"]),
            (&json!("hana_music"), &json!("Night songs"))
        );
        // 21:00 in Seoul is 12:00 UTC.
        assert!(
            plan["startsAt"].as_str().unwrap().ends_with("T12:00:00Z"),
            "{plan}"
        );
    }
    let page: Value = signed_in_json(
        &http,
        &format!("{base}/api/v1/channels/hana_music"),
        &user.id_token,
    )
    .await;
    assert_eq!(
        (&page["followers"], &page["following"]),
        (&json!(1), &json!(true))
    );
    // Their card in the channel's chat, read from DynamoDB by someone signed out: who they
    // are, and since when they follow. (Their account, made as they first come in, is put in
    // DynamoDB here: moto has no IVS Chat room to give their channel.)
    let fan = UserId::parse(&user.sub).unwrap();
    let mut profile = testkit::profile("fan");
    profile.user_id = fan.clone();
    store.put_profile(&profile).await.unwrap();
    let mut their_channel = testkit::channel("fan", "fan_one", 0);
    their_channel.owner = fan;
    store.create_channel(&their_channel).await.unwrap();
    let card = get_json(
        &http,
        &format!("{base}/api/v1/channels/hana_music/chatters/{}", user.sub),
    )
    .await;
    assert_eq!(
        (&card["handle"], &card["nickname"], &card["role"]),
        (&json!("fan_one"), &json!("fan 님"), &json!("viewer")),
        "{card}"
    );
    assert!(card["followedAt"].is_string(), "{card}");
    assert_eq!(card["restriction"], json!(null), "{card}");
    // Another app's token is not this pool's client: refused, nothing followed.
    let forged = http
        .delete(format!("{base}/api/v1/channels/hana_music/follow"))
        .bearer_auth("eyJhbGciOiJSUzI1NiJ9.e30.c2ln")
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::UNAUTHORIZED.as_u16());
    assert_eq!(store.follower_count(&channel.id).await.unwrap(), 1);
}

/// A report through the API binary in the cloud: a viewer files it, only a member of the pool's
/// staff group (their token says so, as Cognito's do) reads the queue from DynamoDB and settles
/// it, which DynamoDB keeps.
#[tokio::test]
async fn api_files_reports_and_lets_the_staff_group_settle_them() {
    use cloumer_domain::ports::ReportRepository;
    let StreamerOnApi {
        _moto: moto,
        store,
        user: streamer,
        _api,
        base,
        ..
    } = streamer_on_api("hana_live", "하나").await;
    let pool = streamer.pool();
    let viewer = moto
        .cognito_user_in(&pool, "viewer@example.com", "viewer", "Viewer", &[])
        .await;
    let staff = moto
        .cognito_user_in(&pool, "staff@example.com", "staff", "Staff", &["staff"])
        .await;
    let http = reqwest::Client::new();
    let post = |token: &str, path: &str, body: Value| {
        http.post(format!("{base}{path}"))
            .bearer_auth(token)
            .json(&body)
            .send()
    };

    let filed = post(
        &viewer.id_token,
        "/api/v1/reports",
        json!({"kind": "channel", "id": "hana_live", "reason": "impersonation"}),
    )
    .await
    .unwrap();
    assert_eq!(filed.status(), StatusCode::CREATED.as_u16());
    let refused = http
        .get(format!("{base}/api/v1/reports"))
        .bearer_auth(&viewer.id_token)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN.as_u16());
    let queue = signed_in_json(&http, &format!("{base}/api/v1/reports"), &staff.id_token).await;
    assert_eq!(queue["items"][0]["channelHandle"], "hana_live", "{queue}");
    assert_eq!(queue["items"][0]["reason"], "impersonation", "{queue}");
    let id = queue["items"][0]["id"].as_str().unwrap().to_owned();

    let settled = post(
        &staff.id_token,
        &format!("/api/v1/reports/{id}/settle"),
        json!({"decision": "dismiss"}),
    )
    .await
    .unwrap();
    assert_eq!(settled.status(), StatusCode::OK.as_u16());
    let kept = store
        .get_report(&cloumer_domain::ids::ReportId::parse(&id).unwrap())
        .await
        .unwrap()
        .unwrap();
    let outcome = kept.outcome.expect("settled in DynamoDB");
    assert_eq!(outcome.by.as_str(), staff.sub);
    let queue = signed_in_json(&http, &format!("{base}/api/v1/reports"), &staff.id_token).await;
    assert_eq!(queue["items"], json!([]), "{queue}");
    // The reporter's bell (in DynamoDB) says what became of it.
    let bell = signed_in_json(
        &http,
        &format!("{base}/api/v1/me/notifications"),
        &viewer.id_token,
    )
    .await;
    let told = &bell["items"][0];
    assert_eq!(
        (&told["kind"], &told["about"], &told["decision"]),
        (
            &json!("REPORT_REVIEWED"),
            &json!("channel"),
            &json!("dismiss")
        ),
        "{bell}"
    );
    assert_eq!(told["channelHandle"], "hana_live", "{bell}");

    // Another channel is suspended for three days: DynamoDB keeps the end, its page says it
    // is suspended and it gives no chat token meanwhile. (It has no IVS channel: moto's IVS
    // has no stream keys to replace; the IVS calls a suspension makes are checked against the
    // SDK's mocks in cloumer-aws.)
    let mut other = testkit::channel("other-1", "other_one", 3);
    other.video = None;
    store.create_channel(&other).await.unwrap();
    let filed = post(
        &viewer.id_token,
        "/api/v1/reports",
        json!({"kind": "channel", "id": "other_one", "reason": "spam"}),
    )
    .await
    .unwrap();
    assert_eq!(filed.status(), StatusCode::CREATED.as_u16());
    let id = filed.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let asked = time::OffsetDateTime::now_utc();
    let settled = post(
        &staff.id_token,
        &format!("/api/v1/reports/{id}/settle"),
        json!({"decision": "suspend", "suspendDays": 3}),
    )
    .await
    .unwrap();
    assert_eq!(settled.status(), StatusCode::OK.as_u16());
    let kept = store.get_channel(&other.id).await.unwrap().unwrap();
    let until = kept.suspension.and_then(|s| s.until).expect("an end");
    let minutes = (until - asked).whole_minutes();
    assert!(
        (3 * 24 * 60 - 1..=3 * 24 * 60 + 1).contains(&minutes),
        "{until}"
    );
    let page = signed_in_json(
        &http,
        &format!("{base}/api/v1/channels/other_one"),
        &viewer.id_token,
    )
    .await;
    assert_eq!(page["suspended"], json!(true), "{page}");
    let token = post(
        &viewer.id_token,
        "/api/v1/channels/other_one/chat-token",
        json!({}),
    )
    .await
    .unwrap();
    assert_eq!(token.status(), StatusCode::FORBIDDEN.as_u16());
}

/// A Cognito user blocks someone through the API binary: the list is one item in DynamoDB, the
/// chat token and the profile's list carry it (names read from DynamoDB), and unblocking empties
/// it. Every call it makes is one the function's role may make (moto checks no IAM: the role's
/// grants are read from the Terraform).
#[tokio::test]
async fn api_keeps_a_users_block_list_in_dynamodb() {
    let (moto, store) = cloud().await;
    let user = moto
        .cognito_user("viewer@example.com", "blocker", "Blocker")
        .await;
    let (_api, base) = serve_api_for(&moto, &user, &[]).await;
    let troll = testkit::channel("troll-1", "troll_one", 0);
    store.create_channel(&troll).await.unwrap();
    store
        .put_profile(&testkit::profile("troll-1"))
        .await
        .unwrap();
    let http = reqwest::Client::new();

    let blocked = http
        .put(format!("{base}/api/v1/me/blocks/troll-1"))
        .bearer_auth(&user.id_token)
        .send()
        .await
        .unwrap();
    assert_eq!(blocked.status(), StatusCode::NO_CONTENT.as_u16());
    let me = UserId::parse(&user.sub).unwrap();
    let list = store.get_block_list(&me).await.unwrap().unwrap();
    assert_eq!(
        list.user_ids().map(UserId::as_str).collect::<Vec<_>>(),
        ["troll-1"]
    );
    let listed: Value =
        signed_in_json(&http, &format!("{base}/api/v1/me/blocks"), &user.id_token).await;
    assert_eq!(listed["items"][0]["userId"], "troll-1", "{listed}");
    assert_eq!(listed["items"][0]["handle"], "troll_one", "{listed}");

    let unknown = http
        .put(format!("{base}/api/v1/me/blocks/nobody-here"))
        .bearer_auth(&user.id_token)
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND.as_u16());

    let unblocked = http
        .delete(format!("{base}/api/v1/me/blocks/troll-1"))
        .bearer_auth(&user.id_token)
        .send()
        .await
        .unwrap();
    assert_eq!(unblocked.status(), StatusCode::NO_CONTENT.as_u16());
    let list = store.get_block_list(&me).await.unwrap().unwrap();
    assert_eq!(list.blocked, []);
    // The function's own statements, and the store's reads and writes it shares with others.
    let function = prod_block("module \"api_function\" {", "\n}\n");
    assert!(
        function.contains("[local.store_read_write]"),
        "the api function shares the store's grants"
    );
    let mut granted = dynamodb_actions(function);
    granted.extend(dynamodb_actions(prod_block(
        "  store_read_write = {",
        "\n  }\n",
    )));
    for action in ["GetItem", "PutItem", "BatchGetItem", "Query"] {
        assert!(
            granted.iter().any(|g| g == &format!("dynamodb:{action}")),
            "the api role lacks dynamodb:{action}: {granted:?}"
        );
    }
}

/// A streamer pins a message of their chat through the API binary: the pin is on the channel in
/// DynamoDB, a signed-out reader gets it, the moderation log (DynamoDB too) says so, and
/// unpinning takes it down.
#[tokio::test]
async fn api_pins_a_chat_message_on_the_channel_in_dynamodb() {
    let StreamerOnApi {
        _moto,
        store,
        user,
        _api,
        base,
        channel,
    } = streamer_on_api("pin_show", "Pin Show").await;
    let http = reqwest::Client::new();
    // The streamer's channel. moto has no IVS Chat: telling the room fails, which a pin
    // outlives (the event itself is the IVS Chat adapter's, tested on the SDK's mocks).
    let message = cloumer_domain::chat::StoredMessage {
        channel_id: channel.id.clone(),
        id: cloumer_domain::ids::MessageId::parse("PinMe0000001").unwrap(),
        sent_at: time::OffsetDateTime::now_utc(),
        sender: UserId::parse("viewer-1").unwrap(),
        sender_attributes: [("nickname".to_owned(), "미나".to_owned())].into(),
        content: "추첨은 9시: !참여".into(),
        attributes: Default::default(),
    };
    store
        .append_messages(std::slice::from_ref(&message))
        .await
        .unwrap();

    let pinned: Value = http
        .put(format!("{base}/api/v1/channels/pin_show/chat/pin"))
        .bearer_auth(&user.id_token)
        .json(&json!({"messageId": "PinMe0000001"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        pinned["message"]["content"], "추첨은 9시: !참여",
        "{pinned}"
    );
    let streamer = store.get_profile(&channel.owner).await.unwrap().unwrap();
    assert_eq!(pinned["pinnedBy"], streamer.nickname.as_str());
    let stored = store.get_channel(&channel.id).await.unwrap().unwrap();
    assert_eq!(stored.pinned_message.unwrap().message, message);
    let read: Value = get_json(&http, &format!("{base}/api/v1/channels/pin_show/chat/pin")).await;
    assert_eq!(read["pinned"], pinned);
    let log = store.list_moderation(&channel.id, None, 10).await.unwrap();
    assert!(
        matches!(
            &log.items[0].action,
            cloumer_domain::moderation_log::ModerationAction::PinMessage { message_id, .. }
                if message_id.as_str() == "PinMe0000001"
        ),
        "{:?}",
        log.items
    );

    let unpinned = http
        .delete(format!("{base}/api/v1/channels/pin_show/chat/pin"))
        .bearer_auth(&user.id_token)
        .send()
        .await
        .unwrap();
    assert_eq!(unpinned.status(), StatusCode::NO_CONTENT.as_u16());
    let stored = store.get_channel(&channel.id).await.unwrap().unwrap();
    assert_eq!(stored.pinned_message, None);
    let read: Value = get_json(&http, &format!("{base}/api/v1/channels/pin_show/chat/pin")).await;
    assert_eq!(read, json!({"pinned": null}));
}

#[tokio::test]
async fn api_runs_a_chat_poll_with_its_votes_in_dynamodb() {
    let StreamerOnApi {
        _moto,
        store,
        user,
        _api,
        base,
        channel,
    } = streamer_on_api("poll_show", "Poll Show").await;
    let http = reqwest::Client::new();
    let poll = format!("{base}/api/v1/channels/poll_show/chat/poll");
    let token = user.id_token.as_str();
    let send = |request: reqwest::RequestBuilder, body: Value| async move {
        let reply = request.bearer_auth(token).json(&body).send().await.unwrap();
        (
            reply.status().as_u16(),
            reply.json::<Value>().await.unwrap(),
        )
    };
    let (status, opened) = send(
        http.post(&poll),
        json!({"question": "어느 맵?", "choices": ["Dust", "Mirage"], "durationSeconds": 60}),
    )
    .await;
    assert_eq!(status, 201, "{opened}");
    let id = opened["id"].as_str().unwrap().to_owned();
    let stored = store.get_channel(&channel.id).await.unwrap().unwrap();
    assert_eq!(
        stored.poll.as_ref().map(|p| p.id.as_str()),
        Some(id.as_str())
    );

    let vote = format!("{poll}/vote");
    let (status, voted) = send(http.put(&vote), json!({"pollId": id, "choice": 1})).await;
    assert_eq!(status, 200, "{voted}");
    assert_eq!(voted["votes"], json!([0, 1]));
    let (status, again) = send(http.put(&vote), json!({"pollId": id, "choice": 0})).await;
    assert_eq!(status, 409, "{again}");
    assert_eq!(again["code"], "already_voted");
    // Kept in DynamoDB: the ballot and the count, read back through the store.
    let poll_id = cloumer_domain::ids::PollId::parse(&id).unwrap();
    assert_eq!(store.tally(&poll_id, 2).await.unwrap(), [0, 1]);
    assert_eq!(
        store.vote_of(&poll_id, &channel.owner).await.unwrap(),
        Some(1)
    );
    let read = get_json(&http, &poll).await;
    assert_eq!(read["poll"]["votes"], json!([0, 1]), "{read}");

    let (status, ended) = send(http.post(format!("{poll}/end")), json!({"pollId": id})).await;
    assert_eq!(status, 200, "{ended}");
    assert_eq!(ended["open"], false);
    let stored = store.get_channel(&channel.id).await.unwrap().unwrap();
    assert!(stored.poll.unwrap().ended_early_at.is_some());
}

/// Behind API Gateway the caller's address comes from the request context, and per-client limits
/// are counted in DynamoDB, where every instance of the function sees them.
#[tokio::test]
async fn api_behind_api_gateway_limits_anonymous_chat_tokens_per_caller() {
    let (moto, _store) = cloud().await;
    let from = |ip: &str| -> Value {
        serde_json::from_str(&fixture("apigw-http-chat-token.json").replace("SOURCE_IP", ip))
            .unwrap()
    };
    let mut events: Vec<Value> = (0..11).map(|_| from("198.51.100.7")).collect();
    events.push(from("203.0.113.9"));
    // Ten at once, then one every six seconds, wherever a minute ends.
    let mut runtime = Runtime::start(events).await;
    let (_api, printed) = printing_function("api", &moto, &runtime.env("api"));
    let mut answers = Vec::new();
    for _ in 0..12 {
        let (kind, answer) = runtime.answer().await;
        assert_eq!(kind, "response", "{answer}");
        answers.push(answer);
    }
    let statuses: Vec<u64> = answers
        .iter()
        .map(|a| a["statusCode"].as_u64().unwrap())
        .collect();
    // The channel does not exist: the limit is checked first, then the lookup answers 404.
    let mut expected = vec![404; 10];
    expected.extend([429, 404]);
    assert_eq!(statuses, expected);
    // The refusal says when the next turn comes: within six seconds.
    let refused = &answers[10];
    let retry_after: u64 = refused["headers"]["retry-after"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("{refused}"));
    assert!((1..=6).contains(&retry_after), "{refused}");

    // Requests are counted by the route's pattern (never the raw path) and status class.
    let requests = printed.wait_for_metrics("Requests", 12).await;
    let mut by_class: Vec<(String, String)> = requests
        .iter()
        .map(|doc| {
            (
                doc["Route"].as_str().unwrap().to_string(),
                doc["StatusClass"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    by_class.dedup();
    assert_eq!(
        by_class,
        [(CHAT_TOKEN_ROUTE.to_string(), "4xx".to_string()),],
        "{requests:?}"
    );
    assert!(
        requests
            .iter()
            .all(|doc| doc["Latency"].as_f64().unwrap() >= 0.0)
    );
}

/// The API serves the VAPID public key Terraform gives it (as PEM, which is what Terraform has)
/// in the form browsers subscribe with, and says push is not set up without one.
#[tokio::test]
async fn api_serves_the_vapid_public_key_from_its_environment() {
    use p256::pkcs8::{DecodePrivateKey, EncodePublicKey, LineEnding};

    let (moto, _store) = cloud().await;
    let key = cloumer_outbound::VapidKey::generate();
    // What Terraform's tls_private_key gives as public_key_pem.
    let pem = p256::SecretKey::from_pkcs8_pem(key.pkcs8_pem())
        .unwrap()
        .public_key()
        .to_public_key_pem(LineEnding::LF)
        .unwrap();
    let (_api, base) = serve_api(&moto, &[("VAPID_PUBLIC_KEY_PEM", pem)]).await;
    let served: Value = reqwest::get(format!("{base}/api/v1/push/key"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(served, json!({"publicKey": key.public_key()}));

    let (_api, base) = serve_api(&moto, &[]).await;
    let missing = reqwest::get(format!("{base}/api/v1/push/key"))
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
}

/// The API's private keys come from Secrets Manager at cold start, never from its environment;
/// when the secret is missing or malformed the function stops in its init (Lambda reports the
/// failed init and retries on the next request), naming the secret, never echoing what it read.
#[tokio::test]
async fn api_takes_its_signing_keys_from_secrets_manager_and_stops_without_them() {
    let (moto, _store) = cloud().await;
    support::put_secret(
        &moto,
        "cloumer-test-garbled",
        "{\"playback_private_key\": \"-----BEGIN PRIVATE KEY-----MIGHTLEAK\"",
    )
    .await;
    for (secret, expected) in [
        ("cloumer-test-absent", "(cloumer-test-absent)"),
        (
            "cloumer-test-garbled",
            "the secret cloumer-test-garbled is not the JSON object of keys",
        ),
    ] {
        let runtime = Runtime::start(vec![]).await;
        let mut env = runtime.env("api");
        env.push(("SIGNING_KEYS_SECRET_ARN", secret.to_string()));
        let output = support::failed_function("api", &moto, &env).await;
        assert!(!output.status.success());
        let printed = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(printed.contains(expected), "{printed}");
        assert!(!printed.contains("MIGHTLEAK"), "{printed}");
    }

    // With the secret Terraform writes, the same binary starts and serves.
    let mut runtime = Runtime::start(vec![
        serde_json::from_str(
            &fixture("apigw-http-chat-token.json").replace("SOURCE_IP", "198.51.100.7"),
        )
        .unwrap(),
    ])
    .await;
    let _api = support::function("api", &moto, &runtime.env("api"));
    let (kind, answer) = runtime.answer().await;
    assert_eq!(kind, "response", "{answer}");
}

/// One binary holds every function and Lambda says which to run in `_HANDLER` (the function's
/// `handler` in Terraform). A handler it does not know (a typo in Terraform, or none) stops the
/// init with the names it knows, before it takes an invocation; it never falls back to one.
#[tokio::test]
async fn a_handler_naming_no_function_stops_the_init_with_the_names() {
    let (moto, _store) = cloud().await;
    // The functions are the binary's modules (`src/bin/functions/*.rs` but `main`), `-` for `_`.
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/bin/functions");
    let mut functions: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|file| file.strip_suffix(".rs").map(|stem| stem.replace('_', "-")))
        .filter(|name| name != "main")
        .collect();
    functions.sort();
    assert!(functions.iter().any(|name| name == "api"), "{functions:?}");
    let names = functions.join(", ");
    for handler in ["", "bootstrap", "API", "api "] {
        let runtime = Runtime::start(vec![]).await;
        let env = runtime.env("misconfigured");
        let output = support::failed_function(handler, &moto, &env).await;
        assert!(!output.status.success(), "{handler:?}");
        let printed = String::from_utf8_lossy(&output.stderr);
        assert!(
            printed.contains(&format!("_HANDLER is {handler:?}")) && printed.contains(&names),
            "{printed}"
        );
        assert!(
            runtime.first_next().is_none(),
            "{handler:?} asked for an invocation"
        );
    }
}

/// The cloud's go-live chain with the real binaries: stream-events publishes the stream start to
/// the SNS topic (moto hands it to an HTTP subscriber standing in for Lambda's), and the go-live
/// function, given that message in the SNS event Lambda builds, refuses the channel's webhook
/// and a follower's push endpoint that point at this machine (the product never allows it),
/// keeping the webhook's refusal in DynamoDB for the dashboard and forgetting the push
/// subscription, without a request reaching either; the follower's email goes to the queue the
/// email-sender reads.
#[tokio::test]
async fn stream_events_publish_to_the_go_live_topic_and_go_live_refuses_private_destinations() {
    use cloumer_domain::follow::Follow;
    use cloumer_domain::outbound::OutboundDestinations;
    use cloumer_domain::ports::{FollowRepository, PushSubscriptionRepository, WebhookRepository};
    use cloumer_domain::webhook::{Webhook, WebhookUrl};

    let (moto, store) = cloud().await;
    let channel = testkit::channel("owner-9", "minji_live", 0);
    store.create_channel(&channel).await.unwrap();
    let mut fan = testkit::profile("fan-9");
    fan.notifications.unsubscribe_token = Some("t".repeat(32));
    store.put_profile(&fan).await.unwrap();
    store
        .follow(
            &Follow {
                user_id: fan.user_id.clone(),
                channel_id: channel.id.clone(),
                followed_at: time::OffsetDateTime::now_utc(),
                notify: true,
            },
            100,
        )
        .await
        .unwrap();
    let push_service =
        unreachable_push_browser(&moto, &store, &fan.user_id, "cloumer-test-push-keys").await;
    // Stored directly, as if the rules had been looser when it was added.
    let (hits, hit) = tokio::sync::mpsc::unbounded_channel::<()>();
    let receiver = axum::Router::new().route(
        "/hook",
        axum::routing::post(move || async move {
            hits.send(()).unwrap();
            "ok"
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let private = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, receiver).await });
    let webhook = Webhook::new(
        channel.id.clone(),
        WebhookUrl::parse(&private, OutboundDestinations::AlsoLoopback).unwrap(),
        time::OffsetDateTime::now_utc(),
    );
    store.add_webhook(&webhook, 5).await.unwrap();

    let (topic, mut messages) = topic_with_subscriber(&moto, "cloumer-test-go-live").await;

    let start: Value = serde_json::from_str(
        &fixture("stream-start.json").replace("CHANNEL_ID", channel.id.as_str()),
    )
    .unwrap();
    let mut runtime = Runtime::start(vec![start]).await;
    let mut env = runtime.env("stream-events");
    env.push(("GO_LIVE_TOPIC_ARN", topic.clone()));
    let _events = function("stream-events", &moto, &env);
    let (kind, body) = runtime.answer().await;
    assert_eq!(kind, "response", "{body}");
    let (subject, message) = published(&mut messages).await;
    assert_eq!(subject, "stream.started");
    let announced: Value = serde_json::from_str(&message).unwrap();
    assert_eq!(announced["channel_handle"], "minji_live");
    assert_eq!(announced["stream_id"], "st-1A2b3c4D5e6F78ab");

    let mut runtime = Runtime::start(vec![sns_event(&topic, &message)]).await;
    let email_queue = moto.create_queue("cloumer-test-emails").await;
    let mut env = runtime.env("go-live");
    env.push(("PUSH_KEYS_SECRET_ARN", "cloumer-test-push-keys".into()));
    env.push((
        "EMAIL_FROM",
        "Cloumer <notifications@cloumer.example>".into(),
    ));
    env.push(("EMAIL_QUEUE_URL", email_queue.clone()));
    let _go_live = function("go-live", &moto, &env);
    let (kind, body) = runtime.answer().await;
    assert_eq!(
        (kind, body),
        (
            "response",
            json!({
                "webhooks": 0, "emails_sent": 1, "emails_failed": 0,
                "pushes_sent": 0, "pushes_gone": 1, "pushes_failed": 0, "stopped": false
            })
        )
    );
    assert!(
        store
            .push_subscriptions_of(std::slice::from_ref(&fan.user_id))
            .await
            .unwrap()
            .is_empty(),
        "a subscription no push may reach is forgotten"
    );
    assert!(push_service.received().is_empty() && push_service.refused().is_empty());
    // The follower's email waits in the queue for the email-sender.
    let queued = aws_sdk_sqs::Client::new(&moto.sdk_config().await)
        .receive_message()
        .queue_url(&email_queue)
        .send()
        .await
        .unwrap();
    let emails = cloumer_aws::sqs::emails_of(queued.messages()[0].body().unwrap()).unwrap();
    assert_eq!(emails.len(), 1);
    assert_eq!(emails[0].to, "fan-9@example.com");
    assert_eq!(emails[0].event.channel_handle, "minji_live");
    let kept = store.list_webhooks(&channel.id).await.unwrap();
    let last = kept[0].last_delivery.as_ref().expect("the outcome is kept");
    assert_eq!(last.report.error.as_deref(), Some("the URL is not allowed"));
    assert_eq!(last.report.attempts, 0);
    assert!(hit.is_empty(), "nothing reached the private address");
}

/// The email-sender with the SQS event Lambda hands it, against moto's SES: a message of queued
/// emails is sent (SES counts them), one that is not emails is reported failed so SQS hands it
/// out again and then dead-letters it.
#[tokio::test]
async fn email_sender_sends_queued_emails_through_ses_and_reports_a_bad_message() {
    use cloumer_domain::notification::{GoLive, GoLiveEmail};

    let (moto, _store) = cloud().await;
    let config = moto.sdk_config().await;
    aws_sdk_sesv2::Client::new(&config)
        .create_email_identity()
        .email_identity("cloumer.example")
        .send()
        .await
        .unwrap();
    let queue = moto.create_queue("cloumer-test-emails").await;
    let emails: Vec<GoLiveEmail> = (0..3)
        .map(|n| GoLiveEmail {
            to: format!("fan{n}@example.com"),
            language: cloumer_domain::profile::Language::En,
            user_id: cloumer_domain::ids::UserId::parse("u-fan").unwrap(),
            unsubscribe_token: "tok".into(),
            event: GoLive {
                channel_id: cloumer_domain::ids::ChannelId::parse("chmail").unwrap(),
                stream_id: cloumer_domain::ids::StreamId::parse("st-mail").unwrap(),
                started_at: time::OffsetDateTime::now_utc(),
                channel_handle: "minji".into(),
                owner_nickname: "민지".into(),
                title: String::new(),
            },
        })
        .collect();
    let mut event: Value = serde_json::from_str(&fixture("sqs-emails.json")).unwrap();
    event["Records"][0]["body"] = Value::String(serde_json::to_string(&emails).unwrap());
    let mut runtime = Runtime::start(vec![event]).await;
    let mut env = runtime.env("email-sender");
    env.push((
        "EMAIL_FROM",
        "Cloumer <notifications@cloumer.example>".into(),
    ));
    env.push(("EMAIL_QUEUE_URL", queue));
    env.push(("EMAIL_SEND_RATE", "40".into()));
    let _sender = function("email-sender", &moto, &env);
    let (kind, body) = runtime.answer().await;
    assert_eq!(
        (kind, body),
        (
            "response",
            json!({"batchItemFailures": [{"itemIdentifier": "2e1424d4-f796-459a-8184-9c92662be6da"}]})
        )
    );
    assert_eq!(moto.ses_sent_last_24_hours().await, 3);
}

/// An API Gateway request for `method path` from `source_ip`, without a body, on the API's
/// route (`/api/…`) or else the app's pages' route.
fn gateway_event(method: &str, path: &str, source_ip: &str) -> Value {
    let mut event: Value = serde_json::from_str(
        &fixture("apigw-http-chat-token.json").replace("SOURCE_IP", source_ip),
    )
    .unwrap();
    event["rawPath"] = json!(path);
    event["requestContext"]["http"]["path"] = json!(path);
    event["requestContext"]["http"]["method"] = json!(method);
    let proxy = match path.strip_prefix("/api/") {
        Some(proxy) => proxy,
        None => {
            event["routeKey"] = json!("ANY /{proxy+}");
            event["requestContext"]["routeKey"] = json!("ANY /{proxy+}");
            path.trim_start_matches('/')
        }
    };
    event["pathParameters"]["proxy"] = json!(proxy);
    event
}

/// An API Gateway request to `path` by the bearer of `token`, without a body.
fn signed_in_event(method: &str, path: &str, token: &str) -> Value {
    let mut event = gateway_event(method, path, "198.51.100.7");
    event["headers"]["authorization"] = json!(format!("Bearer {token}"));
    event
}

/// The user an ID token was issued to (its `sub`).
fn token_subject(id_token: &str) -> UserId {
    let payload = id_token.split('.').nth(1).unwrap();
    let mut standard = payload.replace('-', "+").replace('_', "/");
    while !standard.len().is_multiple_of(4) {
        standard.push('=');
    }
    let claims: Value =
        serde_json::from_slice(&aws_smithy_types::base64::decode(&standard).unwrap()).unwrap();
    UserId::parse(claims["sub"].as_str().unwrap()).unwrap()
}

/// An API Gateway request carrying a file: the body base64-encoded, as API Gateway sends
/// every binary body to Lambda.
fn upload_event(path: &str, token: &str, content_type: &str, bytes: &[u8]) -> Value {
    let mut event = signed_in_event("PUT", path, token);
    event["headers"]["content-type"] = json!(content_type);
    event["headers"]["content-length"] = json!(bytes.len().to_string());
    event["body"] = json!(aws_smithy_types::base64::encode(bytes));
    event["isBase64Encoded"] = json!(true);
    event
}

/// An emote uploaded through API Gateway lands in the public recordings bucket with its type and
/// cache lifetime, and the channel lists it; a fake image is refused and leaves the bucket as it
/// was.
#[tokio::test]
async fn api_keeps_an_uploaded_emote_in_the_public_bucket() {
    let (moto, store) = cloud().await;
    let s3 = cloumer_aws::s3::client(&moto.sdk_config().await);
    s3.create_bucket()
        .bucket("recordings")
        .send()
        .await
        .unwrap();
    let user = moto
        .cognito_user("owner@example.com", "emote_owner", "Owner")
        .await;
    // The user's channel as sign-up left it (moto has no IVS Chat to make its room now), owned
    // by the token's subject.
    let mut channel = testkit::channel("owner-emotes", "emote_owner", 0);
    channel.owner = token_subject(&user.id_token);
    store.create_channel(&channel).await.unwrap();
    let png = cloumer_test_media::images::png(56, 56);
    let events = vec![
        upload_event(
            "/api/v1/me/channel/emotes/Hype",
            &user.id_token,
            "image/png",
            &png,
        ),
        upload_event(
            "/api/v1/me/channel/emotes/Fake",
            &user.id_token,
            "image/png",
            b"\x89PNG\r\n\x1a\n but then text",
        ),
    ];
    let mut runtime = Runtime::start(events).await;
    let mut env = runtime.env("api");
    env.extend([
        ("COGNITO_USER_POOL_ID", user.pool_id.clone()),
        ("COGNITO_CLIENT_ID", user.client_id.clone()),
        ("PUBLIC_FILES_BUCKET", "recordings".to_owned()),
    ]);
    let _api = function("api", &moto, &env);

    let (kind, answer) = runtime.answer().await;
    assert_eq!(kind, "response", "{answer}");
    assert_eq!(answer["statusCode"], 200, "{answer}");
    let body: Value = serde_json::from_str(answer["body"].as_str().unwrap()).unwrap();
    assert_eq!(
        (&body["code"], &body["width"]),
        (&json!("Hype"), &json!(56))
    );
    let key = body["url"]
        .as_str()
        .unwrap()
        .trim_start_matches('/')
        .to_owned();
    assert!(key.starts_with("emotes/"), "{key}");
    let object = s3
        .get_object()
        .bucket("recordings")
        .key(&key)
        .send()
        .await
        .unwrap();
    assert_eq!(object.content_type(), Some("image/png"));
    assert_eq!(object.cache_control(), Some(cloumer_aws::s3::CACHE_FOREVER));
    assert_eq!(
        object.body.collect().await.unwrap().into_bytes().to_vec(),
        png
    );

    let (kind, answer) = runtime.answer().await;
    assert_eq!(kind, "response", "{answer}");
    assert_eq!(answer["statusCode"], 400, "{answer}");
    let refused: Value = serde_json::from_str(answer["body"].as_str().unwrap()).unwrap();
    assert_eq!(refused["code"], "invalid_image", "{refused}");
    let kept = s3
        .list_objects_v2()
        .bucket("recordings")
        .send()
        .await
        .unwrap();
    let keys: Vec<&str> = kept.contents().iter().filter_map(|o| o.key()).collect();
    assert_eq!(keys, [key.as_str()]);
}

/// A streamer deletes a past broadcast through API Gateway: the record is marked deleted in
/// DynamoDB and every object under the recording's prefix leaves its bucket (moto), the
/// neighbouring recording's stay; viewers get 404 after.
#[tokio::test]
async fn api_deletes_a_past_broadcast_and_its_files_in_s3() {
    use cloumer_domain::ids::RecordingId;
    use cloumer_domain::ports::RecordingRepository;
    use cloumer_domain::recording::{Recording, RecordingStatus};

    let (moto, store) = cloud().await;
    let s3 = cloumer_aws::s3::client(&moto.sdk_config().await);
    for bucket in ["public-recs", "private-recs"] {
        s3.create_bucket().bucket(bucket).send().await.unwrap();
    }
    let user = moto
        .cognito_user("owner@example.com", "vod_owner", "Owner")
        .await;
    let mut channel = testkit::channel("owner-vods", "vod_owner", 0);
    channel.owner = token_subject(&user.id_token);
    store.create_channel(&channel).await.unwrap();
    let prefix = "ivs/v1/123456789012/owner-vods/2026/11/30/1/5";
    let recording = Recording {
        id: RecordingId::parse("recA").unwrap(),
        channel_id: channel.id.clone(),
        stream_id: None,
        title: Default::default(),
        category: Default::default(),
        private: false,
        status: RecordingStatus::Ended,
        started_at: None,
        ended_at: None,
        duration_ms: Some(60_000),
        playlist_url: Some(format!(
            "https://d1.cloudfront.net/{prefix}/recA/media/hls/master.m3u8"
        )),
        thumbnail_url: None,
        markers: Vec::new(),
        audience: Default::default(),
    };
    store.put_recording(&recording, None).await.unwrap();
    for key in [
        format!("{prefix}/recA/media/hls/master.m3u8"),
        format!("{prefix}/recA/media/hls/720p30/1.ts"),
        format!("{prefix}/recB/media/hls/master.m3u8"),
    ] {
        s3.put_object()
            .bucket("public-recs")
            .key(key)
            .body(b"x".to_vec().into())
            .send()
            .await
            .unwrap();
    }
    let mut viewer_asks = signed_in_event("GET", "/api/v1/recordings/recA", &user.id_token);
    viewer_asks["headers"]
        .as_object_mut()
        .unwrap()
        .remove("authorization");
    let events = vec![
        signed_in_event(
            "DELETE",
            "/api/v1/me/channel/recordings/recA",
            &user.id_token,
        ),
        viewer_asks,
    ];
    let mut runtime = Runtime::start(events).await;
    let mut env = runtime.env("api");
    env.extend([
        ("COGNITO_USER_POOL_ID", user.pool_id.clone()),
        ("COGNITO_CLIENT_ID", user.client_id.clone()),
        ("PUBLIC_RECORDINGS_BUCKET", "public-recs".to_owned()),
        ("PRIVATE_RECORDINGS_BUCKET", "private-recs".to_owned()),
    ]);
    let _api = function("api", &moto, &env);

    let (kind, answer) = runtime.answer().await;
    assert_eq!(kind, "response", "{answer}");
    assert_eq!(answer["statusCode"], 204, "{answer}");
    let left = s3
        .list_objects_v2()
        .bucket("public-recs")
        .send()
        .await
        .unwrap();
    let keys: Vec<&str> = left.contents().iter().filter_map(|o| o.key()).collect();
    assert_eq!(keys, [format!("{prefix}/recB/media/hls/master.m3u8")]);
    let stored = store.get_recording(&recording.id).await.unwrap().unwrap();
    assert_eq!(stored.status, RecordingStatus::Deleted);
    let (kind, answer) = runtime.answer().await;
    assert_eq!(kind, "response", "{answer}");
    assert_eq!(answer["statusCode"], 404, "{answer}");
}

/// A viewer clips a past broadcast through API Gateway: the clip's playlists are cut from the
/// recording's in S3 (moto) and written beside them, one per quality, listing the recording's
/// own segments; the clip is kept in DynamoDB; deleting it removes its playlists only.
#[tokio::test]
async fn api_cuts_a_clips_playlists_beside_the_recordings_in_s3_and_deletes_them() {
    use cloumer_domain::ids::RecordingId;
    use cloumer_domain::ports::RecordingRepository;
    use cloumer_domain::recording::{Recording, RecordingStatus};

    let (moto, store) = cloud().await;
    let s3 = cloumer_aws::s3::client(&moto.sdk_config().await);
    for bucket in ["public-recs", "private-recs"] {
        s3.create_bucket().bucket(bucket).send().await.unwrap();
    }
    let user = moto
        .cognito_user("fan@example.com", "clip_fan", "Fan")
        .await;
    let channel = testkit::channel("clipped-channel", "clipped", 0);
    store.create_channel(&channel).await.unwrap();
    // The fan's own account as sign-up left it (moto has no IVS Chat to make its room now).
    let mut own = testkit::channel("fan-channel", "clip_fan", 0);
    own.owner = token_subject(&user.id_token);
    store.create_channel(&own).await.unwrap();
    let prefix = "ivs/v1/123456789012/clipped/2026/12/1/1/5/recC";
    let recording = Recording {
        id: RecordingId::parse("recC").unwrap(),
        channel_id: channel.id.clone(),
        stream_id: None,
        title: Default::default(),
        category: Default::default(),
        private: false,
        status: RecordingStatus::Ended,
        started_at: None,
        ended_at: None,
        duration_ms: Some(24_000),
        playlist_url: Some(format!(
            "https://d1.cloudfront.net/{prefix}/media/hls/master.m3u8"
        )),
        thumbnail_url: None,
        markers: Vec::new(),
        audience: Default::default(),
    };
    store.put_recording(&recording, None).await.unwrap();
    let master = "#EXTM3U\n#EXT-X-INDEPENDENT-SEGMENTS\n#EXT-X-STREAM-INF:BANDWIDTH=2000000,RESOLUTION=1280x720\n720p30/playlist.m3u8\n#EXT-X-STREAM-INF:BANDWIDTH=300000,RESOLUTION=284x160\n160p30/playlist.m3u8\n";
    let media: String = std::iter::once("#EXTM3U\n#EXT-X-TARGETDURATION:6\n".to_owned())
        .chain((0..4).map(|i| format!("#EXTINF:6.0,\n{i}.ts\n")))
        .chain(std::iter::once("#EXT-X-ENDLIST\n".to_owned()))
        .collect();
    let mut objects = vec![(format!("{prefix}/media/hls/master.m3u8"), master.to_owned())];
    for quality in ["720p30", "160p30"] {
        objects.push((
            format!("{prefix}/media/hls/{quality}/playlist.m3u8"),
            media.clone(),
        ));
    }
    for (key, text) in &objects {
        s3.put_object()
            .bucket("public-recs")
            .key(key)
            .body(text.as_bytes().to_vec().into())
            .send()
            .await
            .unwrap();
    }
    let keys = async || -> Vec<String> {
        let listed = s3
            .list_objects_v2()
            .bucket("public-recs")
            .send()
            .await
            .unwrap();
        listed
            .contents()
            .iter()
            .filter_map(|o| o.key().map(str::to_owned))
            .collect()
    };

    let (_api, base) = serve_api_for(
        &moto,
        &user,
        &[
            ("PUBLIC_RECORDINGS_BUCKET", "public-recs".to_owned()),
            ("PRIVATE_RECORDINGS_BUCKET", "private-recs".to_owned()),
        ],
    )
    .await;
    let http = reqwest::Client::new();
    let created = http
        .post(format!("{base}/api/v1/recordings/recC/clips"))
        .bearer_auth(&user.id_token)
        .json(&json!({"title": "the goal", "startMs": 7000, "endMs": 13000}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let clip: Value = created.json().await.unwrap();
    assert_eq!(clip["status"], "READY");
    // Whole 6-second segments: 6–18 s covers 7–13 s.
    assert_eq!(
        (clip["startMs"].as_u64(), clip["durationMs"].as_u64()),
        (Some(6_000), Some(12_000))
    );
    let id = clip["id"].as_str().unwrap().to_owned();
    let file = format!("clip-{id}.m3u8");
    assert_eq!(
        clip["playlistUrl"],
        format!("https://d1.cloudfront.net/{prefix}/media/hls/{file}")
    );
    // Its picture: IVS's thumbnail of its moment (one every ten seconds).
    assert_eq!(
        clip["thumbnailUrl"],
        format!("https://d1.cloudfront.net/{prefix}/media/thumbnails/thumb0.jpg")
    );
    let read = async |key: String| -> String {
        let object = s3
            .get_object()
            .bucket("public-recs")
            .key(key)
            .send()
            .await
            .unwrap();
        String::from_utf8(object.body.collect().await.unwrap().to_vec()).unwrap()
    };
    let own = read(format!("{prefix}/media/hls/{file}")).await;
    assert!(own.contains(&format!("720p30/{file}")), "{own}");
    let cut = read(format!("{prefix}/media/hls/720p30/{file}")).await;
    let segments: Vec<&str> = cut.lines().filter(|l| l.ends_with(".ts")).collect();
    assert_eq!(segments, ["1.ts", "2.ts"], "{cut}");
    assert_eq!(keys().await.len(), 6);

    let listed: Value = http
        .get(format!("{base}/api/v1/channels/clipped/clips"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed["items"][0]["id"], id.as_str());
    let deleted = http
        .delete(format!("{base}/api/v1/clips/{id}"))
        .bearer_auth(&user.id_token)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);
    let mut left = keys().await;
    left.sort();
    let mut expected: Vec<String> = objects.into_iter().map(|(key, _)| key).collect();
    expected.sort();
    assert_eq!(left, expected);
}

/// An SNS topic on moto with an HTTP subscriber, which moto calls on publish as SNS would: the
/// topic's ARN and the notifications it receives.
async fn topic_with_subscriber(
    moto: &Moto,
    name: &str,
) -> (String, tokio::sync::mpsc::UnboundedReceiver<Value>) {
    let sns = aws_sdk_sns::Client::new(&moto.sdk_config().await);
    let topic = sns
        .create_topic()
        .name(name)
        .send()
        .await
        .unwrap()
        .topic_arn
        .unwrap();
    let (published, messages) = tokio::sync::mpsc::unbounded_channel::<Value>();
    let subscriber = axum::Router::new().route(
        "/sns",
        axum::routing::post(move |body: String| async move {
            published
                .send(serde_json::from_str(&body).unwrap())
                .unwrap();
            "ok"
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://{}/sns", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, subscriber).await });
    sns.subscribe()
        .topic_arn(&topic)
        .protocol("http")
        .endpoint(endpoint)
        .send()
        .await
        .unwrap();
    (topic, messages)
}

/// The next notification's subject and message.
async fn published(messages: &mut tokio::sync::mpsc::UnboundedReceiver<Value>) -> (String, String) {
    let notification = tokio::time::timeout(std::time::Duration::from_secs(20), messages.recv())
        .await
        .expect("published to the topic")
        .unwrap();
    (
        notification["Subject"].as_str().unwrap().to_owned(),
        notification["Message"].as_str().unwrap().to_owned(),
    )
}

/// The event Lambda hands a subscriber of `topic` for `message`.
fn sns_event(topic: &str, message: &str) -> Value {
    let mut event: Value = serde_json::from_str(&fixture("sns-go-live.json")).unwrap();
    event["Records"][0]["Sns"]["Message"] = Value::String(message.to_owned());
    event["Records"][0]["Sns"]["TopicArn"] = Value::String(topic.to_owned());
    event
}

/// An EventBridge event from `source` of `kind` with `detail`.
fn eventbridge(source: &str, kind: &str, detail: Value) -> Value {
    json!({"version": "0", "id": "e1", "detail-type": kind, "source": source,
        "account": "123456789012", "time": "2026-12-01T10:00:00Z", "region": "us-east-1",
        "resources": [], "detail": detail})
}

/// The video-events function against DynamoDB and S3 (moto): a job's progress, its end (the
/// video published with URLs under the private root, its upload removed), another's failure (its
/// files removed, the video failed with a reason for the uploader); an object that is not an
/// upload of ours, and an upload whose video is gone, change nothing.
#[tokio::test]
async fn video_events_follow_transcoding_jobs_in_dynamodb_and_s3() {
    use cloumer_domain::notification::NotificationKind;
    use cloumer_domain::ports::{
        NotificationRepository, PushSubscriptionRepository, VideoRepository,
    };
    use cloumer_domain::video::{Video, VideoStatus};

    let (moto, store) = cloud().await;
    let s3 = cloumer_aws::s3::client(&moto.sdk_config().await);
    for bucket in ["uploads", "private-recs"] {
        s3.create_bucket().bucket(bucket).send().await.unwrap();
    }
    let channel = testkit::channel("u-uploader", "vid_maker", 0);
    store.create_channel(&channel).await.unwrap();
    let processing = |id: &str| Video {
        status: VideoStatus::Processing,
        upload_id: None,
        ..testkit::video(id, &channel.id, 1)
    };
    let (done, broken) = (processing("vdDone"), processing("vdBroken"));
    for video in [&done, &broken] {
        store.put_video(video, None).await.unwrap();
        let upload = cloumer_aws::video_uploads::upload_key(&video.id);
        s3.put_object()
            .bucket("uploads")
            .key(upload)
            .body(b"video bytes".to_vec().into())
            .send()
            .await
            .unwrap();
    }
    s3.put_object()
        .bucket("private-recs")
        .key("video-files/vdBroken/index_720p_00001.ts")
        .body(b"half a job".to_vec().into())
        .send()
        .await
        .unwrap();
    let job = |id: &str, status: &str| {
        eventbridge(
            "aws.mediaconvert",
            "MediaConvert Job State Change",
            json!({"status": status, "userMetadata": {"videoId": id},
                "jobProgress": {"jobPercentComplete": 40}, "errorMessage": "Invalid input"}),
        )
    };
    let created = |bucket: &str, key: &str| {
        eventbridge(
            "aws.s3",
            "Object Created",
            json!({"bucket": {"name": bucket}, "object": {"key": key, "size": 11}}),
        )
    };
    let events = vec![
        job("vdDone", "STATUS_UPDATE"),
        job("vdDone", "COMPLETE"),
        job("vdBroken", "ERROR"),
        created("uploads", "elsewhere/thing"),
        created("uploads", "uploads/vdGone"),
    ];
    let count = events.len();
    let (topic, mut messages) = topic_with_subscriber(&moto, "cloumer-test-video-ready").await;
    let settings = [
        ("UPLOAD_BUCKET", "uploads".to_owned()),
        ("PRIVATE_RECORDINGS_BUCKET", "private-recs".to_owned()),
        ("RECORDINGS_BASE_URL", "https://d.example".to_owned()),
        (
            "MEDIACONVERT_ROLE_ARN",
            "arn:aws:iam::123456789012:role/jobs".to_owned(),
        ),
        ("VIDEO_READY_TOPIC_ARN", topic.clone()),
    ];
    let mut runtime = Runtime::start(events).await;
    let mut env = runtime.env("video-events");
    env.extend(settings.clone());
    let _function = function("video-events", &moto, &env);
    for _ in 0..count {
        let (kind, answer) = runtime.answer().await;
        assert_eq!(kind, "response", "{answer}");
    }
    // The ready video is published to the topic (the failed one is not), and nobody is told
    // until the topic's subscriber, this function again, delivers it.
    let (subject, message) = published(&mut messages).await;
    assert_eq!(subject, "video.ready");
    let announced: Value = serde_json::from_str(&message).unwrap();
    assert_eq!(
        (&announced["video_id"], &announced["channel_handle"]),
        (&json!("vdDone"), &json!("vid_maker"))
    );
    assert!(messages.try_recv().is_err(), "one message only");
    let bell = || store.list_notifications(&done.uploader, None, 10);
    assert!(bell().await.unwrap().items.is_empty());
    // The uploader turned push on in a browser whose endpoint the cloud may not reach (stored
    // directly, as if the rules had been looser): the subscriber, holding the push key, tries
    // it and forgets it.
    let push_service = unreachable_push_browser(
        &moto,
        &store,
        &done.uploader,
        "cloumer-test-video-push-keys",
    )
    .await;
    let mut runtime = Runtime::start(vec![sns_event(&topic, &message)]).await;
    let mut env = runtime.env("video-events");
    env.extend(settings);
    env.push((
        "PUSH_KEYS_SECRET_ARN",
        "cloumer-test-video-push-keys".into(),
    ));
    let _subscriber = function("video-events", &moto, &env);
    assert_eq!(runtime.answer().await, ("response", json!(1)));
    assert!(
        store
            .push_subscriptions_of(std::slice::from_ref(&done.uploader))
            .await
            .unwrap()
            .is_empty(),
        "a subscription no push may reach is forgotten"
    );
    assert!(push_service.received().is_empty() && push_service.refused().is_empty());

    let ready = store.get_video(&done.id).await.unwrap().unwrap();
    assert_eq!(ready.status, VideoStatus::Ready);
    assert_eq!(
        ready.playlist_url.as_deref(),
        Some("https://d.example/private-recordings/video-files/vdDone/index.m3u8")
    );
    // The uploader's bell has it (and nothing of the failed one).
    let bell = bell().await.unwrap();
    assert_eq!(
        bell.items.iter().map(|n| &n.kind).collect::<Vec<_>>(),
        [&NotificationKind::VideoReady {
            video_id: done.id.clone()
        }]
    );
    let failed = store.get_video(&broken.id).await.unwrap().unwrap();
    assert_eq!(failed.status, VideoStatus::Failed);
    assert_eq!(
        failed.failure,
        Some(cloumer_domain::media::Refusal::NotTranscoded)
    );
    let left = |bucket: &'static str| {
        let s3 = s3.clone();
        async move {
            let listed = s3.list_objects_v2().bucket(bucket).send().await.unwrap();
            listed
                .contents()
                .iter()
                .filter_map(|o| o.key().map(str::to_owned))
                .collect::<Vec<_>>()
        }
    };
    assert!(
        left("uploads").await.is_empty(),
        "processed and failed uploads removed"
    );
    assert!(
        left("private-recs").await.is_empty(),
        "the failed job's files removed"
    );
}

/// The browser app's entry page as the site bucket holds it (site-upload writes it there).
const ENTRY_PAGE: &str = "<!doctype html>\n<html lang=\"en\">\n  <head>\n    <meta name=\"description\" content=\"Cloumer: live streams\" />\n    <title>Cloumer</title>\n    <script type=\"module\">import init from '/cloumer-web-0123.js'; await init();</script>\n  </head>\n  <body></body>\n</html>\n";

/// A link-card crawler's `GET path` as API Gateway hands it on (CloudFront sends the app's
/// routes there).
fn page_event(path: &str) -> Value {
    let mut event = gateway_event("GET", path, "198.51.100.9");
    event["headers"]["accept"] = json!("text/html");
    event["headers"]["user-agent"] = json!("Slackbot-LinkExpanding 1.0");
    event["headers"].as_object_mut().unwrap().remove("origin");
    event
}

/// A shared channel link through API Gateway: the site bucket's `index.html` with the
/// channel's card from DynamoDB and the address of its oEmbed answer, HTML as it is (not
/// base64); another app page gets the entry page untouched; the oEmbed answer embeds the
/// channel's player. A function without the bucket says the page is unavailable, and nothing else.
#[tokio::test]
async fn api_opens_a_shared_link_with_its_card_from_the_site_bucket() {
    let (moto, store) = cloud().await;
    let s3 = cloumer_aws::s3::client(&moto.sdk_config().await);
    s3.create_bucket().bucket("site").send().await.unwrap();
    s3.put_object()
        .bucket("site")
        .key("index.html")
        .body(ENTRY_PAGE.as_bytes().to_vec().into())
        .content_type("text/html")
        .send()
        .await
        .unwrap();
    let mut channel = testkit::channel("owner-3", "hana_music", 0);
    channel.title = "Gayageum & covers".to_owned().into();
    channel.owner_avatar = "preset:whale".to_owned().into();
    store.create_channel(&channel).await.unwrap();

    let mut head = page_event("/hana_music");
    head["requestContext"]["http"]["method"] = json!("HEAD");
    let mut post = page_event("/hana_music");
    post["requestContext"]["http"]["method"] = json!("POST");
    // What a blog engine asks when it finds the card's oEmbed link.
    let mut oembed = gateway_event("GET", "/api/v1/oembed", "198.51.100.7");
    oembed["rawQueryString"] =
        json!("format=json&url=https%3A%2F%2Fcloumer.example%2Fhana_music&maxwidth=480");
    oembed["queryStringParameters"] = json!({
        "format": "json",
        "url": "https://cloumer.example/hana_music",
        "maxwidth": "480",
    });
    oembed["headers"].as_object_mut().unwrap().remove("origin");
    let mut runtime = Runtime::start(vec![
        page_event("/hana_music"),
        page_event("/dashboard"),
        head,
        post,
        oembed,
    ])
    .await;
    let mut env = runtime.env("api");
    env.push(("SITE_BUCKET", "site".to_owned()));
    env.push(("API_URL", "https://api.cloumer.example".to_owned()));
    let _api = function("api", &moto, &env);
    let (kind, card) = runtime.answer().await;
    assert_eq!(kind, "response", "{card}");
    assert_eq!(card["statusCode"], 200, "{card}");
    assert_eq!(card["isBase64Encoded"], false, "{card}");
    assert_eq!(card["headers"]["content-type"], "text/html; charset=utf-8");
    assert_eq!(
        card["headers"]["cache-control"],
        "public, max-age=0, s-maxage=60"
    );
    let html = card["body"].as_str().unwrap();
    for tag in [
        "<title>owner-3 님 · Cloumer</title>",
        "<meta property=\"og:title\" content=\"owner-3 님\" />",
        "<meta property=\"og:description\" content=\"Gayageum &amp; covers\" />",
        "<meta property=\"og:url\" content=\"https://cloumer.example/hana_music\" />",
        // Offline: the streamer's avatar as the site bucket holds its PNG copy.
        "<meta property=\"og:image\" content=\"https://cloumer.example/avatars/whale.png\" />",
        "<meta name=\"twitter:card\" content=\"summary\" />",
        // The oEmbed answer, on the API's own address (CloudFront sends /api nowhere).
        "<link rel=\"alternate\" type=\"application/json+oembed\" href=\"https://api.cloumer.example/api/v1/oembed?format=json&amp;url=https%3A%2F%2Fcloumer.example%2Fhana_music\" title=\"owner-3 님\" />",
    ] {
        assert!(html.contains(tag), "{tag} in {html}");
    }
    assert!(html.contains("import init from '/cloumer-web-0123.js'"));
    let (kind, plain) = runtime.answer().await;
    assert_eq!(kind, "response", "{plain}");
    assert_eq!(plain["body"], ENTRY_PAGE, "{plain}");
    // Some crawlers ask with HEAD first; nothing but reading is answered.
    let (_, head) = runtime.answer().await;
    assert_eq!(head["statusCode"], 200, "{head}");
    assert_eq!(head["headers"]["content-type"], "text/html; charset=utf-8");
    assert!(
        head["body"].as_str().unwrap_or_default().is_empty(),
        "{head}"
    );
    let (_, post) = runtime.answer().await;
    assert_eq!(post["statusCode"], 405, "{post}");
    let (kind, oembed) = runtime.answer().await;
    assert_eq!(kind, "response", "{oembed}");
    assert_eq!(oembed["statusCode"], 200, "{oembed}");
    assert_eq!(oembed["headers"]["cache-control"], "public, max-age=60");
    let body: Value = serde_json::from_str(oembed["body"].as_str().unwrap()).unwrap();
    assert_eq!(
        body,
        json!({
            "type": "video",
            "version": "1.0",
            "title": "owner-3 님",
            "author_name": "owner-3 님",
            "author_url": "https://cloumer.example/hana_music",
            "provider_name": "Cloumer",
            "provider_url": "https://cloumer.example/",
            "cache_age": 60,
            "html": "<iframe src=\"https://cloumer.example/embed/hana_music\" width=\"480\" height=\"270\" allow=\"autoplay; fullscreen; picture-in-picture\" allowfullscreen title=\"owner-3 님 · Cloumer\"></iframe>",
            "width": 480,
            "height": 270,
            "thumbnail_url": "https://cloumer.example/avatars/whale.png",
            "thumbnail_width": 256,
            "thumbnail_height": 256,
        })
    );

    let mut runtime = Runtime::start(vec![page_event("/hana_music")]).await;
    let _api = function("api", &moto, &runtime.env("api"));
    let (kind, unavailable) = runtime.answer().await;
    assert_eq!(kind, "response", "{unavailable}");
    assert_eq!(unavailable["statusCode"], 503, "{unavailable}");
    assert!(
        !unavailable["body"]
            .as_str()
            .unwrap()
            .contains("SITE_BUCKET")
    );
}

/// CORS is the function's, not API Gateway's (CloudFront needs the API's address, so the API
/// cannot need CloudFront's): a browser's preflight from the site, through API Gateway, gets
/// the methods and headers the app sends, for ten minutes; one from another site gets no
/// permission.
#[tokio::test]
async fn api_answers_the_sites_cors_preflight_itself() {
    let (moto, _store) = cloud().await;
    let preflight = |origin: &str| {
        let mut event = gateway_event("OPTIONS", "/api/v1/me/channel", "198.51.100.7");
        event["headers"]["origin"] = json!(origin);
        event["headers"]["access-control-request-method"] = json!("PATCH");
        event["headers"]["access-control-request-headers"] = json!("authorization,content-type");
        event
    };
    let mut runtime = Runtime::start(vec![
        preflight(SITE),
        preflight("https://elsewhere.example"),
    ])
    .await;
    let _api = function("api", &moto, &runtime.env("api"));

    let (kind, allowed) = runtime.answer().await;
    assert_eq!(kind, "response", "{allowed}");
    assert_eq!(allowed["statusCode"], 200, "{allowed}");
    let headers = &allowed["headers"];
    assert_eq!(headers["access-control-allow-origin"], SITE, "{headers}");
    assert!(
        headers["access-control-allow-methods"]
            .as_str()
            .unwrap()
            .contains("PATCH"),
        "{headers}"
    );
    let allowed_headers = headers["access-control-allow-headers"].as_str().unwrap();
    assert!(
        allowed_headers.contains("authorization") && allowed_headers.contains("content-type"),
        "{headers}"
    );
    assert_eq!(headers["access-control-max-age"], "600", "{headers}");

    let (kind, refused) = runtime.answer().await;
    assert_eq!(kind, "response", "{refused}");
    assert!(
        refused["headers"]
            .get("access-control-allow-origin")
            .is_none(),
        "{refused}"
    );
}

/// Taking one's data away, then deleting the account, through the api function on moto:
/// GET /me/export and /me/messages read it all from DynamoDB; DELETE /me with the Cognito user's
/// fresh token leaves no item of theirs in DynamoDB (nothing under their channel's partition),
/// takes their follows off both sides' counts and what they said out of another channel's chat,
/// and their token gets 401 after. (Their channel is
/// left without its IVS channel and chat room before: moto has neither service.)
#[tokio::test]
async fn api_deletes_a_cognito_users_account_from_dynamodb() {
    use cloumer_domain::ports::{NotificationRepository, WebhookRepository};
    let (moto, store) = cloud().await;
    let user = moto
        .cognito_user("star@example.com", "star_one", "Star")
        .await;
    let star = UserId::parse(&user.sub).unwrap();
    let mut profile = testkit::profile("star");
    profile.user_id = star.clone();
    store.put_profile(&profile).await.unwrap();
    let mut channel = testkit::channel("star", "star_one", 0);
    channel.owner = star.clone();
    store.create_channel(&channel).await.unwrap();
    let other = testkit::channel("owner-9", "hana_music", 0);
    store.create_channel(&other).await.unwrap();
    let fan = UserId::parse("fan-9").unwrap();
    for (who, of) in [(&fan, &channel.id), (&star, &other.id)] {
        let follow = cloumer_domain::follow::Follow {
            user_id: who.clone(),
            channel_id: of.clone(),
            followed_at: time::OffsetDateTime::now_utc(),
            notify: true,
        };
        store.follow(&follow, 100).await.unwrap();
    }
    let mut note = testkit::notification("someone", other.id.as_str(), 1);
    note.user_id = star.clone();
    store.put_notifications(&[note]).await.unwrap();
    let mut hook = testkit::webhook("star", 1);
    hook.channel_id = channel.id.clone();
    assert!(store.add_webhook(&hook, 5).await.unwrap());
    // What they and someone else said in the other channel's chat.
    let said = |id: &str, sender: &UserId, content: &str| cloumer_domain::chat::StoredMessage {
        channel_id: other.id.clone(),
        id: cloumer_domain::ids::MessageId::parse(id).unwrap(),
        sent_at: time::OffsetDateTime::now_utc(),
        sender: sender.clone(),
        sender_attributes: Default::default(),
        content: content.to_owned(),
        attributes: Default::default(),
    };
    let owner = other.owner.clone();
    store
        .append_messages(&[
            said("MSGSTAR00001", &star, "hi hana 안녕"),
            said("MSGHANA00001", &owner, "hi star"),
        ])
        .await
        .unwrap();
    let (_api, base) = serve_api_for(&moto, &user, &[]).await;
    let http = reqwest::Client::new();
    // They reported the other channel to staff (found again by its reporter in the index).
    let filed = http
        .post(format!("{base}/api/v1/reports"))
        .bearer_auth(&user.id_token)
        .json(&json!({"kind": "channel", "id": "hana_music", "reason": "spam", "details": "ads"}))
        .send()
        .await
        .unwrap();
    assert_eq!(filed.status(), StatusCode::CREATED);

    // First they take their data away, read from DynamoDB: what they said is found by its
    // sender in the table's index.
    let sent: Value =
        signed_in_json(&http, &format!("{base}/api/v1/me/messages"), &user.id_token).await;
    assert_eq!(sent["items"].as_array().map(Vec::len), Some(1), "{sent}");
    assert_eq!(sent["items"][0]["channel"], "hana_music", "{sent}");
    assert_eq!(
        sent["items"][0]["message"]["content"], "hi hana 안녕",
        "{sent}"
    );
    let export: Value =
        signed_in_json(&http, &format!("{base}/api/v1/me/export"), &user.id_token).await;
    assert_eq!(export["profile"]["handle"], "star_one", "{export}");
    assert_eq!(export["channel"]["followers"], 1, "{export}");
    assert_eq!(export["following"][0]["handle"], "hana_music", "{export}");
    assert_eq!(
        export["webhooks"].as_array().map(Vec::len),
        Some(1),
        "{export}"
    );
    assert_eq!(
        export["notifications"].as_array().map(Vec::len),
        Some(1),
        "{export}"
    );
    let reported = &export["reports"];
    assert_eq!(reported.as_array().map(Vec::len), Some(1), "{export}");
    assert_eq!(
        (
            &reported[0]["kind"],
            &reported[0]["subjectId"],
            &reported[0]["reason"],
            &reported[0]["details"],
            reported[0].get("decision")
        ),
        (
            &json!("channel"),
            &json!(other.id.as_str()),
            &json!("spam"),
            &json!("ads"),
            None
        ),
        "{export}"
    );
    // moto has neither IVS nor IVS Chat: the channel goes on without its video channel and
    // room, which deleting would otherwise delete there.
    let mut bare = store.get_channel(&channel.id).await.unwrap().unwrap();
    bare.video = None;
    bare.chat_room = None;
    bare.version += 1;
    store.update_channel(&bare).await.unwrap();

    let deleted = http
        .delete(format!("{base}/api/v1/me"))
        .bearer_auth(&user.id_token)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);

    let client = aws_sdk_dynamodb::Client::new(&moto.sdk_config().await);
    for pk in [format!("CHANNEL#{}", channel.id), format!("NOTIFY#{star}")] {
        let left = client
            .query()
            .table_name(support::TABLE)
            .key_condition_expression("pk = :pk")
            .expression_attribute_values(
                ":pk",
                aws_sdk_dynamodb::types::AttributeValue::S(pk.clone()),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(left.count(), 0, "{pk}: {:?}", left.items());
    }
    assert_eq!(store.get_channel(&channel.id).await.unwrap(), None);
    assert_eq!(
        store.find_channel_by_handle(&channel.handle).await.unwrap(),
        None
    );
    assert_eq!(store.get_profile(&star).await.unwrap(), None);
    assert!(store.was_erased(&star).await.unwrap());
    assert_eq!(store.follower_count(&other.id).await.unwrap(), 0);
    assert!(store.followed_channel_ids(&fan).await.unwrap().is_empty());
    assert!(store.list_webhooks(&channel.id).await.unwrap().is_empty());
    assert!(store.get_channel(&other.id).await.unwrap().is_some());
    // What they said in the other channel's chat went; what its owner said stays.
    let history = store.list_messages(&other.id, None, 10).await.unwrap();
    let contents: Vec<&str> = history.items.iter().map(|m| m.content.as_str()).collect();
    assert_eq!(contents, ["hi star"]);
    // The token, valid for an hour yet, brings nothing back.
    let me = http
        .get(format!("{base}/api/v1/me"))
        .bearer_auth(&user.id_token)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(store.get_profile(&star).await.unwrap(), None);
}
