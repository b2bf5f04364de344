//! EventBridge events about uploaded videos: S3's "Object Created" for a completed upload in the
//! upload bucket (probe it, start its job), and MediaConvert's "MediaConvert Job State Change"
//! (progress, finished, failed). Events may arrive twice or out of order; the domain takes each
//! step once and only forward. Objects outside `uploads/` and jobs without our metadata are not
//! ours, and are left alone.

use cloumer_aws::mediaconvert::{JobEvent, job_event, outputs};
use cloumer_aws::video_uploads::video_of_key;
use cloumer_domain::media::Refusal;
use cloumer_domain::{DomainResult, Platform};
use serde::Deserialize;
use serde_json::Value;

/// What invokes the `video-events` function: EventBridge's events, and the video-ready topic's
/// messages (it is that topic's subscriber too, [`crate::video_ready`]).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Invocation {
    ReadyVideos(aws_lambda_events::event::sns::SnsEvent),
    Bus(VideoEvent),
}

#[derive(Debug, Clone, Deserialize)]
pub struct VideoEvent {
    #[serde(rename = "detail-type")]
    pub detail_type: String,
    pub source: String,
    pub detail: Value,
}

/// What one event asks of the platform; `recordings_base_url` is where CloudFront serves the
/// videos' files.
pub async fn handle(
    platform: &Platform,
    upload_bucket: &str,
    recordings_base_url: &str,
    event: VideoEvent,
) -> DomainResult<()> {
    match (event.source.as_str(), event.detail_type.as_str()) {
        ("aws.s3", "Object Created") => {
            let bucket = event.detail["bucket"]["name"].as_str();
            let key = event.detail["object"]["key"].as_str();
            match (bucket, key.and_then(video_of_key)) {
                (Some(bucket), Some(video)) if bucket == upload_bucket => {
                    platform.process_upload(&video).await
                }
                _ => {
                    tracing::warn!(?bucket, ?key, "an object that is no upload of ours");
                    Ok(())
                }
            }
        }
        ("aws.mediaconvert", "MediaConvert Job State Change") => match job_event(&event.detail) {
            Some(JobEvent::Progress(video, percent)) => {
                platform.video_progress(&video, percent).await
            }
            Some(JobEvent::Complete(video)) => {
                platform
                    .video_transcoded(&video, outputs(&video, recordings_base_url))
                    .await
            }
            Some(JobEvent::Failed(video, why)) => {
                tracing::warn!(%video, %why, "a transcoding job failed");
                platform.video_failed(&video, Refusal::NotTranscoded).await
            }
            None => Ok(()),
        },
        (source, kind) => {
            tracing::warn!(source, kind, "an event this function does not handle");
            Ok(())
        }
    }
}
