//! EventBridge events from Amazon IVS: "IVS Stream State Change" and "IVS Recording State Change";
//! and the minute's "Scheduled Event" (an EventBridge schedule), which samples live broadcasts'
//! audiences for their stream summaries.
//!
//! Our IVS channels are named with our channel id, so `detail.channel_name` names the channel.
//! Events may arrive late, twice or out of order; the domain handles that.

use cloumer_domain::ids::{ChannelId, RecordingId, StreamId};
use cloumer_domain::live::{StreamEvent, StreamEventKind};
use cloumer_domain::recording::{RecordingEvent, RecordingEventKind};
use cloumer_domain::{DomainError, Platform};
use serde::Deserialize;

use crate::metrics;
use serde_json::Value;
use time::OffsetDateTime;

/// An EventBridge event with the fields we read.
#[derive(Debug, Clone, Deserialize)]
pub struct IvsEvent {
    #[serde(rename = "detail-type")]
    pub detail_type: String,
    pub source: String,
    #[serde(with = "time::serde::rfc3339")]
    pub time: OffsetDateTime,
    #[serde(default)]
    pub resources: Vec<String>,
    pub detail: Value,
}

#[derive(Debug, Deserialize)]
struct StreamDetail {
    event_name: String,
    channel_name: String,
    stream_id: String,
}

#[derive(Debug, Deserialize)]
struct RecordingDetail {
    recording_status: String,
    recording_s3_key_prefix: String,
    #[serde(default)]
    recording_duration_ms: Option<u64>,
    channel_name: String,
    #[serde(default)]
    stream_id: Option<String>,
    #[serde(default)]
    recording_s3_bucket_name: Option<String>,
}

/// Where recordings are served from: the CloudFront distribution in front of the recordings
/// buckets, e.g. `https://d111111abcdef8.cloudfront.net`. Private channels record into their own
/// bucket (their own IVS recording configuration), served under `/private-recordings/` to
/// signed requests only.
#[derive(Debug, Clone)]
pub struct RecordingUrls {
    pub base_url: String,
    /// The bucket private channels record into.
    pub private_bucket: Option<String>,
}

/// The root private recordings are served under (the CloudFront behaviour's path).
pub const PRIVATE_ROOT: &str = "private-recordings";

impl RecordingUrls {
    fn under(&self, private: bool, prefix: &str, path: &str) -> String {
        let root = if private {
            format!("/{PRIVATE_ROOT}")
        } else {
            String::new()
        };
        format!(
            "{}{root}/{}/{path}",
            self.base_url.trim_end_matches('/'),
            prefix.trim_matches('/')
        )
    }

    /// Whether the bucket an event names is the private one; `None` when the event names none.
    fn private(&self, bucket: Option<&str>) -> Option<bool> {
        bucket.map(|bucket| self.private_bucket.as_deref() == Some(bucket))
    }
}

/// What an event means to the domain.
#[derive(Debug, PartialEq, Eq)]
pub enum Translated {
    Stream(StreamEvent),
    Recording(RecordingEvent),
    /// The schedule's tick: sample every live broadcast's audience.
    SampleAudiences,
    /// An event we do not act on (e.g. "Session Created"), with why.
    Ignored(String),
}

#[derive(Debug, thiserror::Error)]
pub enum EventError {
    /// The event cannot be understood; retrying will not help.
    #[error("malformed IVS event: {0}")]
    Malformed(String),
    /// The domain failed (e.g. the store): retrying may help.
    #[error(transparent)]
    Domain(#[from] DomainError),
}

pub fn translate(event: &IvsEvent, urls: &RecordingUrls) -> Result<Translated, EventError> {
    // A tick comes from EventBridge itself; however often (a retry, someone else's schedule
    // pointed here), the domain keeps samples a minute apart.
    if event.source == "aws.events" && event.detail_type == "Scheduled Event" {
        return Ok(Translated::SampleAudiences);
    }
    if event.source != "aws.ivs" {
        return Ok(Translated::Ignored(format!("source {}", event.source)));
    }
    let malformed = |e: serde_json::Error| EventError::Malformed(e.to_string());
    match event.detail_type.as_str() {
        "IVS Stream State Change" => {
            let detail: StreamDetail =
                serde_json::from_value(event.detail.clone()).map_err(malformed)?;
            let kind = match detail.event_name.as_str() {
                "Stream Start" => StreamEventKind::Start,
                "Stream End" | "Session Ended" => StreamEventKind::End,
                other => return Ok(Translated::Ignored(format!("stream event {other}"))),
            };
            let Ok(channel_id) = ChannelId::parse(&detail.channel_name) else {
                return Ok(Translated::Ignored(format!(
                    "channel {} is not ours",
                    detail.channel_name
                )));
            };
            let stream_id = StreamId::parse(&detail.stream_id)
                .map_err(|e| EventError::Malformed(e.to_string()))?;
            Ok(Translated::Stream(StreamEvent {
                channel_id,
                stream_id,
                kind,
                at: event.time,
            }))
        }
        "IVS Recording State Change" => {
            let detail: RecordingDetail =
                serde_json::from_value(event.detail.clone()).map_err(malformed)?;
            let kind = match detail.recording_status.as_str() {
                "Recording Start" => RecordingEventKind::Started,
                "Recording End" => RecordingEventKind::Ended,
                "Recording Start Failure" | "Recording End Failure" => RecordingEventKind::Failed,
                other => return Ok(Translated::Ignored(format!("recording status {other}"))),
            };
            let Ok(channel_id) = ChannelId::parse(&detail.channel_name) else {
                return Ok(Translated::Ignored(format!(
                    "channel {} is not ours",
                    detail.channel_name
                )));
            };
            // ivs/v1/<account>/<channel>/<y>/<m>/<d>/<h>/<min>/<recording id>
            let prefix = detail.recording_s3_key_prefix.trim_matches('/');
            let last = prefix.rsplit('/').next().unwrap_or_default();
            let recording_id =
                RecordingId::parse(last).map_err(|e| EventError::Malformed(e.to_string()))?;
            let stream_id = detail
                .stream_id
                .as_deref()
                .and_then(|s| StreamId::parse(s).ok());
            let private = urls.private(detail.recording_s3_bucket_name.as_deref());
            let hidden = private == Some(true);
            Ok(Translated::Recording(RecordingEvent {
                channel_id,
                recording_id,
                stream_id,
                kind,
                at: event.time,
                duration_ms: detail
                    .recording_duration_ms
                    .filter(|_| kind != RecordingEventKind::Started),
                playlist_url: Some(urls.under(hidden, prefix, "media/hls/master.m3u8")),
                thumbnail_url: Some(urls.under(hidden, prefix, "media/thumbnails/thumb0.jpg")),
                // A private channel's frames are not shown in public lists.
                live_thumbnail_url: (kind == RecordingEventKind::Started && !hidden)
                    .then(|| urls.under(false, prefix, "media/latest_thumbnail/thumb.jpg")),
                private,
            }))
        }
        other => Ok(Translated::Ignored(format!("detail type {other}"))),
    }
}

/// Handles one event. Malformed and foreign events are logged and acknowledged (a retry would
/// fail the same way); domain failures are returned so EventBridge retries the delivery.
pub async fn handle(
    platform: &Platform,
    urls: &RecordingUrls,
    event: IvsEvent,
) -> Result<(), EventError> {
    let (kind, result) = match translate(&event, urls) {
        Ok(Translated::Stream(stream)) => match platform.handle_stream_event(&stream).await {
            Ok(changed) => {
                tracing::info!(channel = %stream.channel_id, stream = %stream.stream_id, kind = ?stream.kind, changed, "stream event");
                ("stream", Ok(()))
            }
            Err(error) => ("failed", Err(error.into())),
        },
        Ok(Translated::Recording(recording)) => {
            match platform.handle_recording_event(&recording).await {
                Ok(changed) => {
                    tracing::info!(channel = %recording.channel_id, recording = %recording.recording_id, kind = ?recording.kind, changed, "recording event");
                    ("recording", Ok(()))
                }
                Err(error) => ("failed", Err(error.into())),
            }
        }
        Ok(Translated::SampleAudiences) => match platform.sample_audiences().await {
            Ok(sampled) => {
                tracing::info!(sampled, "audiences sampled");
                ("audiences", Ok(()))
            }
            Err(error) => ("failed", Err(error.into())),
        },
        Ok(Translated::Ignored(why)) => {
            tracing::debug!(%why, "event ignored");
            ("ignored", Ok(()))
        }
        Err(EventError::Malformed(why)) => {
            tracing::warn!(%why, "malformed event dropped");
            ("malformed", Ok(()))
        }
        Err(error) => ("failed", Err(error)),
    };
    metrics::record(
        &[("Event", kind)],
        &[("StreamEvents", 1.0, metrics::Unit::Count)],
    );
    result
}
