//! Uploaded videos made playable in the cloud by AWS Elemental MediaConvert: its `Probe` reads
//! what the uploaded object is (and nothing else), a job makes the HLS ladder (720p when the
//! source is that tall, and 360p) and one picture into the private recordings bucket under
//! `video-files/<id>/`, served through CloudFront's signed `/private-recordings/*` behaviour; the
//! job's state changes come back as EventBridge events ([`job_event`]).

use async_trait::async_trait;
use aws_sdk_mediaconvert::types::{
    AacCodingMode, AacSettings, AudioCodec, AudioCodecSettings, AudioDefaultSelection,
    AudioDescription, AudioSelector, Codec, ContainerSettings, ContainerType, FileGroupSettings,
    Format, FrameCaptureSettings, H264RateControlMode, H264Settings, HlsGroupSettings, HlsSettings,
    Input, JobSettings, Output, OutputGroup, OutputGroupSettings, OutputGroupType, OutputSettings,
    ProbeInputFile, ProbeResult, TrackType, VideoCodec, VideoCodecSettings, VideoDescription,
    VideoSelector,
};
use cloumer_domain::error::{PortError, PortResult};
use cloumer_domain::ids::VideoId;
use cloumer_domain::media::{Container, MediaInfo, Refusal};
use cloumer_domain::ports::VideoProcessing;
use cloumer_domain::video::{Transcoded, Video};
use cloumer_tokens::CloudFrontSigner;
use time::OffsetDateTime;

use crate::video_uploads::upload_key;

/// Where a video's files are, in the private recordings bucket and under CloudFront's
/// `/private-recordings/` root.
pub fn outputs_prefix(video: &VideoId) -> String {
    format!("video-files/{video}/")
}

/// The URLs of a finished job's playlist and picture (before a grant is added).
pub fn outputs(video: &VideoId, recordings_base_url: &str) -> Transcoded {
    let base = format!(
        "{}/private-recordings/{}",
        recordings_base_url.trim_end_matches('/'),
        outputs_prefix(video)
    );
    Transcoded {
        playlist_url: format!("{base}index.m3u8"),
        thumbnail_url: Some(format!("{base}thumb.0000000.jpg")),
    }
}

/// The job's metadata key naming its video (MediaConvert passes it on in its events).
pub const VIDEO_METADATA: &str = "videoId";

pub struct MediaConvertVideos {
    client: aws_sdk_mediaconvert::Client,
    s3: aws_sdk_s3::Client,
    /// The role jobs run as: it reads the upload bucket and writes under `video-files/`
    /// (empty in functions that start no jobs).
    role_arn: String,
    upload_bucket: String,
    recordings_bucket: String,
    /// Signs grants like private recordings' (`None` in functions without the key).
    signer: Option<CloudFrontSigner>,
    recordings_base_url: String,
}

impl MediaConvertVideos {
    pub fn new(
        client: aws_sdk_mediaconvert::Client,
        s3: aws_sdk_s3::Client,
        role_arn: impl Into<String>,
        upload_bucket: impl Into<String>,
        recordings_bucket: impl Into<String>,
        signer: Option<CloudFrontSigner>,
        recordings_base_url: impl Into<String>,
    ) -> Self {
        Self {
            client,
            s3,
            role_arn: role_arn.into(),
            upload_bucket: upload_bucket.into(),
            recordings_bucket: recordings_bucket.into(),
            signer,
            recordings_base_url: recordings_base_url.into(),
        }
    }

    fn upload_url(&self, video: &VideoId) -> String {
        format!("s3://{}/{}", self.upload_bucket, upload_key(video))
    }

    /// The job: the upload in, the ladder and a picture out.
    pub fn job_settings(&self, video: &VideoId, media: &MediaInfo) -> JobSettings {
        let destination = format!("s3://{}/{}", self.recordings_bucket, outputs_prefix(video));
        let has_audio = media.audio_codec.is_some();
        let mut input = Input::builder()
            .file_input(self.upload_url(video))
            .video_selector(VideoSelector::builder().build());
        if has_audio {
            input = input.audio_selectors(
                "Audio Selector 1",
                AudioSelector::builder()
                    .default_selection(AudioDefaultSelection::Default)
                    .build(),
            );
        }
        let mut rungs = Vec::new();
        if media.height >= 720 {
            rungs.push(("720p", 720, 2_800_000));
        }
        rungs.push(("360p", 360, 800_000));
        let outputs: Vec<Output> = rungs
            .into_iter()
            .map(|(name, height, bitrate)| {
                let mut output = Output::builder()
                    .name_modifier(format!("_{name}"))
                    .container_settings(
                        ContainerSettings::builder()
                            .container(ContainerType::M3U8)
                            .build(),
                    )
                    .output_settings(
                        OutputSettings::builder()
                            .hls_settings(HlsSettings::builder().build())
                            .build(),
                    )
                    .video_description(
                        VideoDescription::builder()
                            .height(height)
                            .codec_settings(
                                VideoCodecSettings::builder()
                                    .codec(VideoCodec::H264)
                                    .h264_settings(
                                        H264Settings::builder()
                                            .rate_control_mode(H264RateControlMode::Qvbr)
                                            .max_bitrate(bitrate)
                                            .build(),
                                    )
                                    .build(),
                            )
                            .build(),
                    );
                if has_audio {
                    output = output.audio_descriptions(
                        AudioDescription::builder()
                            .audio_source_name("Audio Selector 1")
                            .codec_settings(
                                AudioCodecSettings::builder()
                                    .codec(AudioCodec::Aac)
                                    .aac_settings(
                                        AacSettings::builder()
                                            .bitrate(128_000)
                                            .coding_mode(AacCodingMode::CodingMode20)
                                            .sample_rate(48_000)
                                            .build(),
                                    )
                                    .build(),
                            )
                            .build(),
                    );
                }
                output.build()
            })
            .collect();
        let ladder = OutputGroup::builder()
            .name("HLS")
            .output_group_settings(
                OutputGroupSettings::builder()
                    .r#type(OutputGroupType::HlsGroupSettings)
                    .hls_group_settings(
                        HlsGroupSettings::builder()
                            .destination(format!("{destination}index"))
                            .segment_length(4)
                            .min_segment_length(0)
                            .build(),
                    )
                    .build(),
            )
            .set_outputs(Some(outputs))
            .build();
        let picture = OutputGroup::builder()
            .name("Picture")
            .output_group_settings(
                OutputGroupSettings::builder()
                    .r#type(OutputGroupType::FileGroupSettings)
                    .file_group_settings(
                        FileGroupSettings::builder()
                            .destination(format!("{destination}thumb"))
                            .build(),
                    )
                    .build(),
            )
            .outputs(
                Output::builder()
                    .container_settings(
                        ContainerSettings::builder()
                            .container(ContainerType::Raw)
                            .build(),
                    )
                    .video_description(
                        VideoDescription::builder()
                            .width(480)
                            .codec_settings(
                                VideoCodecSettings::builder()
                                    .codec(VideoCodec::FrameCapture)
                                    .frame_capture_settings(
                                        FrameCaptureSettings::builder()
                                            .framerate_numerator(1)
                                            .framerate_denominator(1)
                                            .max_captures(1)
                                            .quality(80)
                                            .build(),
                                    )
                                    .build(),
                            )
                            .build(),
                    )
                    .build(),
            )
            .build();
        JobSettings::builder()
            .inputs(input.build())
            .output_groups(ladder)
            .output_groups(picture)
            .build()
    }
}

/// What MediaConvert's probe found, in the domain's terms (ffprobe's codec names); the reason
/// when it found no media.
pub fn media_info(result: Option<&ProbeResult>) -> Result<MediaInfo, Refusal> {
    let container = result
        .and_then(ProbeResult::container)
        .ok_or(Refusal::Unreadable)?;
    let tracks = container.tracks();
    let of_type = |kind: TrackType| tracks.iter().find(|t| t.track_type() == Some(&kind));
    let video = of_type(TrackType::Video);
    let audio = of_type(TrackType::Audio);
    let size = video.and_then(|t| t.video_properties());
    let seconds = container
        .duration()
        .filter(|d| d.is_finite() && *d >= 0.0)
        .unwrap_or(0.0);
    Ok(MediaInfo {
        container: match container.format() {
            Some(Format::Mp4 | Format::Quicktime) => Container::Mp4,
            Some(Format::Matroska | Format::Webm) => Container::Matroska,
            _ => Container::Other,
        },
        video_codec: video.and_then(|t| t.codec()).map(codec_name),
        audio_codec: audio.and_then(|t| t.codec()).map(codec_name),
        width: size
            .and_then(|p| p.width())
            .and_then(|w| u32::try_from(w).ok())
            .unwrap_or(0),
        height: size
            .and_then(|p| p.height())
            .and_then(|h| u32::try_from(h).ok())
            .unwrap_or(0),
        duration_ms: (seconds * 1000.0) as u64,
    })
}

/// MediaConvert's codec names as ffprobe's, which the domain's rules are written in.
fn codec_name(codec: &Codec) -> String {
    match codec {
        Codec::Avc => "h264".to_owned(),
        other => other.as_str().to_ascii_lowercase(),
    }
}

#[async_trait]
impl VideoProcessing for MediaConvertVideos {
    async fn probe(&self, video: &Video) -> PortResult<Result<MediaInfo, Refusal>> {
        let probed = self
            .client
            .probe()
            .input_files(
                ProbeInputFile::builder()
                    .file_url(self.upload_url(&video.id))
                    .build(),
            )
            .send()
            .await
            .map_err(|e| PortError::new("MediaConvert Probe", e))?;
        Ok(media_info(probed.probe_results().first()))
    }

    async fn transcode(&self, video: &Video, media: &MediaInfo) -> PortResult<()> {
        if self.role_arn.is_empty() {
            return Err(PortError::new(
                "MediaConvert CreateJob",
                "this function does not start transcoding jobs (no MEDIACONVERT_ROLE_ARN)",
            ));
        }
        self.client
            .create_job()
            .role(&self.role_arn)
            .settings(self.job_settings(&video.id, media))
            .user_metadata(VIDEO_METADATA, video.id.as_str())
            .send()
            .await
            .map_err(|e| PortError::new("MediaConvert CreateJob", e))?;
        Ok(())
    }

    async fn delete_outputs(&self, video: &VideoId) -> PortResult<()> {
        crate::s3::delete_prefix(&self.s3, &self.recordings_bucket, &outputs_prefix(video)).await
    }

    fn grant(&self, video: &VideoId, expires_at: OffsetDateTime) -> PortResult<String> {
        let signer = self.signer.as_ref().ok_or_else(|| {
            PortError::new("CloudFront signing", "this function has no signing key")
        })?;
        video_grant(signer, &self.recordings_base_url, video, expires_at)
    }
}

/// The query that opens a video's files through CloudFront until `expires_at`. As private
/// recordings' grants, the `*` before the prefix matches the path with the root as the viewer
/// asks for it and without it as CloudFront's function leaves it.
pub fn video_grant(
    signer: &CloudFrontSigner,
    recordings_base_url: &str,
    video: &VideoId,
    expires_at: OffsetDateTime,
) -> PortResult<String> {
    let resource = format!(
        "{}/*{}*",
        recordings_base_url.trim_end_matches('/'),
        outputs_prefix(video)
    );
    Ok(signer.sign(&resource, expires_at)?.query())
}

/// What a MediaConvert "Job State Change" event says about a video.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JobEvent {
    Progress(VideoId, u8),
    Complete(VideoId),
    Failed(VideoId, String),
}

/// Reads an EventBridge event's `detail`; `None` for events about other jobs or states.
pub fn job_event(detail: &serde_json::Value) -> Option<JobEvent> {
    let video = VideoId::parse(detail["userMetadata"][VIDEO_METADATA].as_str()?).ok()?;
    match detail["status"].as_str()? {
        "STATUS_UPDATE" => {
            let percent = detail["jobProgress"]["jobPercentComplete"].as_u64()?;
            Some(JobEvent::Progress(video, percent.min(100) as u8))
        }
        "COMPLETE" => Some(JobEvent::Complete(video)),
        "ERROR" | "CANCELED" => Some(JobEvent::Failed(
            video,
            detail["errorMessage"]
                .as_str()
                .unwrap_or("the job was canceled")
                .to_owned(),
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn job_events_name_their_video_and_what_happened() {
        let detail = |status: &str| {
            json!({"status": status, "userMetadata": {"videoId": "vdAbc"},
                "jobProgress": {"jobPercentComplete": 42}, "errorMessage": "bad input"})
        };
        let video = VideoId::parse("vdAbc").unwrap();
        assert_eq!(
            job_event(&detail("STATUS_UPDATE")),
            Some(JobEvent::Progress(video.clone(), 42))
        );
        assert_eq!(
            job_event(&detail("COMPLETE")),
            Some(JobEvent::Complete(video.clone()))
        );
        assert_eq!(
            job_event(&detail("ERROR")),
            Some(JobEvent::Failed(video, "bad input".into()))
        );
        assert_eq!(job_event(&detail("SUBMITTED")), None);
        // Another job (no video of ours), or a forged id, is none of ours.
        assert_eq!(job_event(&json!({"status": "COMPLETE"})), None);
        assert_eq!(
            job_event(&json!({"status": "COMPLETE", "userMetadata": {"videoId": "../x"}})),
            None
        );
    }

    #[test]
    fn outputs_are_under_the_private_root_by_video() {
        let video = VideoId::parse("vdAbc").unwrap();
        assert_eq!(
            outputs(&video, "https://d.example/"),
            Transcoded {
                playlist_url: "https://d.example/private-recordings/video-files/vdAbc/index.m3u8"
                    .into(),
                thumbnail_url: Some(
                    "https://d.example/private-recordings/video-files/vdAbc/thumb.0000000.jpg"
                        .into()
                ),
            }
        );
    }
}
