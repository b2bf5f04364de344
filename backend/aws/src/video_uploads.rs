//! Uploaded video files in the upload bucket, as S3 multipart uploads: the API starts one,
//! presigns each part's `UploadPart` (the browser sends the bytes straight to S3), lists the
//! parts to see what is in, and completes it; S3's `ObjectCreated` event then starts processing.
//! The bucket's lifecycle rule aborts uploads left unfinished, so abandoned parts never pile up.

use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_s3::presigning::PresigningConfig;
use aws_sdk_s3::types::{CompletedMultipartUpload, CompletedPart};
use cloumer_domain::error::{PortError, PortResult};
use cloumer_domain::ids::VideoId;
use cloumer_domain::ports::VideoUploads;
use cloumer_domain::video::UploadedPart;
use time::OffsetDateTime;

/// The object an upload becomes: `uploads/<video id>`.
pub fn upload_key(video: &VideoId) -> String {
    format!("uploads/{video}")
}

/// The video an upload's object is, from its key (what the S3 event names).
pub fn video_of_key(key: &str) -> Option<VideoId> {
    VideoId::parse(key.strip_prefix("uploads/")?).ok()
}

#[derive(Clone, Debug)]
pub struct S3VideoUploads {
    client: aws_sdk_s3::Client,
    bucket: String,
}

impl S3VideoUploads {
    pub fn new(client: aws_sdk_s3::Client, bucket: impl Into<String>) -> Self {
        Self {
            client,
            bucket: bucket.into(),
        }
    }
}

#[async_trait]
impl VideoUploads for S3VideoUploads {
    async fn begin(&self, video: &VideoId) -> PortResult<String> {
        let started = self
            .client
            .create_multipart_upload()
            .bucket(&self.bucket)
            .key(upload_key(video))
            .send()
            .await
            .map_err(|e| PortError::new("S3 CreateMultipartUpload", e))?;
        started
            .upload_id()
            .map(str::to_owned)
            .ok_or_else(|| PortError::new("S3 CreateMultipartUpload", "no upload id"))
    }

    async fn part_url(
        &self,
        video: &VideoId,
        upload_id: &str,
        number: u32,
        size_bytes: u64,
        expires_at: OffsetDateTime,
    ) -> PortResult<String> {
        let seconds = (expires_at - OffsetDateTime::now_utc())
            .whole_seconds()
            .clamp(1, 7 * 24 * 3600) as u64;
        let config = PresigningConfig::expires_in(Duration::from_secs(seconds))
            .map_err(|e| PortError::new("presigning a part", e))?;
        let part = i32::try_from(number).map_err(|e| PortError::new("presigning a part", e))?;
        let length =
            i64::try_from(size_bytes).map_err(|e| PortError::new("presigning a part", e))?;
        // The length is signed too: S3 refuses a part of any other size.
        let presigned = self
            .client
            .upload_part()
            .bucket(&self.bucket)
            .key(upload_key(video))
            .upload_id(upload_id)
            .part_number(part)
            .content_length(length)
            .presigned(config)
            .await
            .map_err(|e| PortError::new("presigning a part", e))?;
        Ok(presigned.uri().to_owned())
    }

    async fn parts(&self, video: &VideoId, upload_id: &str) -> PortResult<Vec<UploadedPart>> {
        let mut found = Vec::new();
        let mut marker: Option<String> = None;
        loop {
            let page = self
                .client
                .list_parts()
                .bucket(&self.bucket)
                .key(upload_key(video))
                .upload_id(upload_id)
                .set_part_number_marker(marker.clone())
                .send()
                .await
                .map_err(|e| PortError::new("S3 ListParts", e))?;
            for part in page.parts() {
                let (Some(number), Some(etag)) = (part.part_number(), part.e_tag()) else {
                    continue;
                };
                found.push(UploadedPart {
                    number: u32::try_from(number).unwrap_or(0),
                    etag: etag.to_owned(),
                    size_bytes: part.size().and_then(|s| u64::try_from(s).ok()).unwrap_or(0),
                });
            }
            match (page.is_truncated(), page.next_part_number_marker()) {
                (Some(true), Some(next)) => marker = Some(next.to_owned()),
                _ => return Ok(found),
            }
        }
    }

    async fn complete(
        &self,
        video: &VideoId,
        upload_id: &str,
        parts: &[UploadedPart],
    ) -> PortResult<()> {
        let parts = parts
            .iter()
            .map(|p| {
                CompletedPart::builder()
                    .part_number(i32::try_from(p.number).unwrap_or(i32::MAX))
                    .e_tag(&p.etag)
                    .build()
            })
            .collect();
        self.client
            .complete_multipart_upload()
            .bucket(&self.bucket)
            .key(upload_key(video))
            .upload_id(upload_id)
            .multipart_upload(
                CompletedMultipartUpload::builder()
                    .set_parts(Some(parts))
                    .build(),
            )
            .send()
            .await
            .map_err(|e| PortError::new("S3 CompleteMultipartUpload", e))?;
        Ok(())
    }

    async fn abort(&self, video: &VideoId, upload_id: &str) -> PortResult<()> {
        match self
            .client
            .abort_multipart_upload()
            .bucket(&self.bucket)
            .key(upload_key(video))
            .upload_id(upload_id)
            .send()
            .await
        {
            Ok(_) => Ok(()),
            // Gone already (completed, aborted, or expired by the lifecycle rule).
            Err(e) if e.as_service_error().is_some_and(|e| e.is_no_such_upload()) => Ok(()),
            Err(e) => Err(PortError::new("S3 AbortMultipartUpload", e)),
        }
    }

    async fn delete(&self, video: &VideoId) -> PortResult<()> {
        self.client
            .delete_object()
            .bucket(&self.bucket)
            .key(upload_key(video))
            .send()
            .await
            .map_err(|e| PortError::new("S3 DeleteObject", e))?;
        Ok(())
    }
}
