//! Uploaded videos' files in the cloud. The upload bucket, its S3 events and the MediaConvert
//! jobs are not deployed yet (issue #16): until they are, the functions refuse to start an
//! upload, with the reason in their log, rather than take files nothing would process.

use async_trait::async_trait;
use cloumer_domain::error::{PortError, PortResult};
use cloumer_domain::ids::VideoId;
use cloumer_domain::media::{MediaInfo, Refusal};
use cloumer_domain::ports::{VideoProcessing, VideoUploads};
use cloumer_domain::video::{UploadedPart, Video};
use time::OffsetDateTime;

pub struct NoVideoPipeline;

fn not_deployed() -> PortError {
    PortError::new(
        "uploaded videos",
        "the upload bucket and the transcoding jobs are not deployed in the cloud yet",
    )
}

#[async_trait]
impl VideoUploads for NoVideoPipeline {
    async fn begin(&self, _: &VideoId) -> PortResult<String> {
        Err(not_deployed())
    }

    async fn part_url(
        &self,
        _: &VideoId,
        _: &str,
        _: u32,
        _: u64,
        _: OffsetDateTime,
    ) -> PortResult<String> {
        Err(not_deployed())
    }

    async fn parts(&self, _: &VideoId, _: &str) -> PortResult<Vec<UploadedPart>> {
        Err(not_deployed())
    }

    async fn complete(&self, _: &VideoId, _: &str, _: &[UploadedPart]) -> PortResult<()> {
        Err(not_deployed())
    }

    async fn abort(&self, _: &VideoId, _: &str) -> PortResult<()> {
        Err(not_deployed())
    }

    async fn delete(&self, _: &VideoId) -> PortResult<()> {
        Err(not_deployed())
    }
}

#[async_trait]
impl VideoProcessing for NoVideoPipeline {
    async fn probe(&self, _: &Video) -> PortResult<Result<MediaInfo, Refusal>> {
        Err(not_deployed())
    }

    async fn transcode(&self, _: &Video, _: &MediaInfo) -> PortResult<()> {
        Err(not_deployed())
    }

    async fn delete_outputs(&self, _: &VideoId) -> PortResult<()> {
        Err(not_deployed())
    }

    fn grant(&self, _: &VideoId, _: OffsetDateTime) -> PortResult<String> {
        Err(not_deployed())
    }
}
