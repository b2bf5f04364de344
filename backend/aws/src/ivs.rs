//! Amazon IVS as the [`VideoService`]: a channel per Cloumer channel (named with our channel id),
//! stream keys, and the live streams with health and viewers.

use std::sync::Arc;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use aws_sdk_ivs::Client;
use aws_sdk_ivs::types::{ChannelLatencyMode, ChannelType, StreamHealth as IvsHealth};
use cloumer_domain::channel::{self, LatencyMode, VideoChannel};
use cloumer_domain::error::{PortContext, PortError, PortResult};
use cloumer_domain::ids::StreamId;
use cloumer_domain::ports::{
    Clock, StreamHealth, StreamKey, StreamStatus, VideoChannelSpec, VideoService,
};
use time::OffsetDateTime;
use tokio::sync::Mutex;

/// ListStreams is limited to 5 calls a second per account: every Lambda shares this cache.
const STREAMS_CACHE: Duration = Duration::from_secs(5);
/// Tries at deleting a channel IVS still holds on air (it refuses with a conflict meanwhile),
/// and the wait between them: a few seconds, well within an API request's ten.
const DELETE_ATTEMPTS: u32 = 4;
const DELETE_RETRY_WAIT: Duration = Duration::from_secs(1);

/// The live streams as last listed, and when.
type StreamsSnapshot = Option<(Instant, Vec<StreamStatus>)>;

/// Where channels record (IVS `RecordingConfiguration` ARNs): public channels into the bucket
/// CloudFront serves to anyone, private ones into the bucket it serves only to signed requests.
/// IVS applies a channel's configuration when a stream starts, so a recording keeps the privacy
/// its channel had then.
#[derive(Clone, Debug, Default)]
pub struct RecordingConfigurations {
    pub public: Option<String>,
    pub private: Option<String>,
}

#[derive(Clone)]
pub struct IvsVideo {
    client: Client,
    recordings: RecordingConfigurations,
    streams: Arc<Mutex<StreamsSnapshot>>,
    clock: Arc<dyn Clock>,
}

fn latency(mode: LatencyMode) -> ChannelLatencyMode {
    match mode {
        LatencyMode::Low => ChannelLatencyMode::LowLatency,
        LatencyMode::Normal => ChannelLatencyMode::NormalLatency,
    }
}

fn channel_type(kind: channel::ChannelType) -> ChannelType {
    match kind {
        channel::ChannelType::Standard => ChannelType::StandardChannelType,
        channel::ChannelType::Basic => ChannelType::BasicChannelType,
    }
}

impl IvsVideo {
    pub fn new(client: Client, recordings: RecordingConfigurations, clock: Arc<dyn Clock>) -> Self {
        Self {
            client,
            recordings,
            streams: Arc::default(),
            clock,
        }
    }

    fn recording(&self, spec: &VideoChannelSpec) -> String {
        // An empty ARN turns recording off (UpdateChannel). A private channel records only
        // into the private bucket: without one, it does not record.
        let arn = match spec.private {
            false => &self.recordings.public,
            true => &self.recordings.private,
        };
        match (arn, spec.recording) {
            (Some(arn), true) => arn.clone(),
            _ => String::new(),
        }
    }

    fn video(channel: &aws_sdk_ivs::types::Channel) -> PortResult<VideoChannel> {
        let missing = |what: &'static str| PortError::new("reading an IVS channel", what);
        Ok(VideoChannel {
            arn: channel.arn().ok_or_else(|| missing("no ARN"))?.to_owned(),
            ingest_server: format!(
                "rtmps://{}:443/app/",
                channel
                    .ingest_endpoint()
                    .ok_or_else(|| missing("no ingest endpoint"))?
            ),
            playback_url: channel
                .playback_url()
                .ok_or_else(|| missing("no playback URL"))?
                .to_owned(),
        })
    }
}

#[async_trait]
impl VideoService for IvsVideo {
    async fn create_channel(&self, spec: &VideoChannelSpec) -> PortResult<VideoChannel> {
        // IVS has no idempotency token for channels: look for one with our name first.
        let existing = self
            .client
            .list_channels()
            .filter_by_name(spec.name.as_str())
            .send()
            .await
            .port("IVS ListChannels")?;
        if let Some(arn) = existing
            .channels()
            .iter()
            .find(|c| c.name() == Some(spec.name.as_str()))
            .and_then(|c| c.arn())
        {
            let found = self
                .client
                .get_channel()
                .arn(arn)
                .send()
                .await
                .port("IVS GetChannel")?;
            let channel = found
                .channel()
                .ok_or_else(|| PortError::new("IVS GetChannel", "no channel"))?;
            return Self::video(channel);
        }
        let mut request = self
            .client
            .create_channel()
            .name(spec.name.as_str())
            .latency_mode(latency(spec.latency))
            .r#type(channel_type(spec.channel_type))
            .authorized(spec.private)
            .insecure_ingest(false);
        let recording = self.recording(spec);
        if !recording.is_empty() {
            request = request.recording_configuration_arn(recording);
        }
        let created = request.send().await.port("IVS CreateChannel")?;
        let channel = created
            .channel()
            .ok_or_else(|| PortError::new("IVS CreateChannel", "no channel"))?;
        Self::video(channel)
    }

    async fn update_channel(
        &self,
        video: &VideoChannel,
        spec: &VideoChannelSpec,
    ) -> PortResult<()> {
        self.client
            .update_channel()
            .arn(&video.arn)
            .latency_mode(latency(spec.latency))
            .r#type(channel_type(spec.channel_type))
            .authorized(spec.private)
            .recording_configuration_arn(self.recording(spec))
            .send()
            .await
            .port("IVS UpdateChannel")?;
        Ok(())
    }

    async fn get_stream_key(&self, video: &VideoChannel) -> PortResult<StreamKey> {
        let keys = self
            .client
            .list_stream_keys()
            .channel_arn(&video.arn)
            .send()
            .await
            .port("IVS ListStreamKeys")?;
        let Some(arn) = keys.stream_keys().first().and_then(|k| k.arn()) else {
            // A channel always has one; if it was deleted elsewhere, make a new one.
            return self.reset_stream_key(video).await;
        };
        let key = self
            .client
            .get_stream_key()
            .arn(arn)
            .send()
            .await
            .port("IVS GetStreamKey")?;
        key.stream_key()
            .and_then(|k| k.value())
            .map(|v| StreamKey(v.to_owned()))
            .ok_or_else(|| PortError::new("IVS GetStreamKey", "no key value"))
    }

    async fn reset_stream_key(&self, video: &VideoChannel) -> PortResult<StreamKey> {
        let keys = self
            .client
            .list_stream_keys()
            .channel_arn(&video.arn)
            .send()
            .await
            .port("IVS ListStreamKeys")?;
        for key in keys.stream_keys() {
            if let Some(arn) = key.arn() {
                self.client
                    .delete_stream_key()
                    .arn(arn)
                    .send()
                    .await
                    .port("IVS DeleteStreamKey")?;
            }
        }
        let created = self
            .client
            .create_stream_key()
            .channel_arn(&video.arn)
            .send()
            .await
            .port("IVS CreateStreamKey")?;
        created
            .stream_key()
            .and_then(|k| k.value())
            .map(|v| StreamKey(v.to_owned()))
            .ok_or_else(|| PortError::new("IVS CreateStreamKey", "no key value"))
    }

    async fn stop_stream(&self, video: &VideoChannel) -> PortResult<()> {
        match self
            .client
            .stop_stream()
            .channel_arn(&video.arn)
            .send()
            .await
        {
            Ok(_) => Ok(()),
            // Nothing on air: nothing to stop.
            Err(error)
                if error
                    .as_service_error()
                    .is_some_and(|e| e.is_channel_not_broadcasting()) =>
            {
                Ok(())
            }
            Err(error) => Err(PortError::new("IVS StopStream", error)),
        }
    }

    async fn delete_channel(&self, video: &VideoChannel) -> PortResult<()> {
        for attempt in 1..=DELETE_ATTEMPTS {
            let error = match self.client.delete_channel().arn(&video.arn).send().await {
                Ok(_) => return Ok(()),
                Err(error) => error,
            };
            let service = error.as_service_error();
            // Deleted already (with its stream keys, which go with it).
            if service.is_some_and(|e| e.is_resource_not_found_exception()) {
                return Ok(());
            }
            // IVS refuses to delete a channel on air: end the stream, and give IVS a moment to
            // let go of it.
            if service.is_some_and(|e| e.is_conflict_exception()) && attempt < DELETE_ATTEMPTS {
                self.stop_stream(video).await?;
                tokio::time::sleep(DELETE_RETRY_WAIT).await;
                continue;
            }
            return Err(PortError::new("IVS DeleteChannel", error));
        }
        Err(PortError::new(
            "IVS DeleteChannel",
            "the channel stayed on air",
        ))
    }

    async fn live_streams(&self) -> PortResult<Vec<StreamStatus>> {
        let mut cache = self.streams.lock().await;
        if let Some((at, streams)) = cache.as_ref()
            && at.elapsed() < STREAMS_CACHE
        {
            return Ok(streams.clone());
        }
        let mut streams = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let page = self
                .client
                .list_streams()
                .set_next_token(token)
                .send()
                .await
                .port("IVS ListStreams")?;
            for summary in page.streams() {
                let (Some(arn), Some(id)) = (summary.channel_arn(), summary.stream_id()) else {
                    continue;
                };
                let Ok(stream_id) = StreamId::parse(id) else {
                    continue;
                };
                let started_at = summary
                    .start_time()
                    .and_then(|t| OffsetDateTime::from_unix_timestamp(t.secs()).ok())
                    .unwrap_or_else(|| self.clock.now());
                streams.push(StreamStatus {
                    channel_arn: arn.to_owned(),
                    stream_id,
                    started_at,
                    health: match summary.health() {
                        Some(IvsHealth::StreamHealthy) => StreamHealth::Healthy,
                        Some(IvsHealth::Starving) => StreamHealth::Starving,
                        _ => StreamHealth::Unknown,
                    },
                    viewer_count: u64::try_from(summary.viewer_count()).unwrap_or(0),
                    thumbnail_url: None,
                });
            }
            token = page.next_token().map(str::to_owned);
            if token.is_none() {
                break;
            }
        }
        *cache = Some((Instant::now(), streams.clone()));
        Ok(streams)
    }
}
