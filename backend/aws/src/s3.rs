//! The site's public files in S3: the public recordings bucket, which CloudFront serves at
//! `/emotes/*` with the bucket's own `Cache-Control` (a key never gets other bytes, so for a
//! year, immutable).

use async_trait::async_trait;
use aws_sdk_s3::primitives::ByteStream;
use cloumer_domain::error::{PortError, PortResult};
use cloumer_domain::ports::PublicFiles;

/// An S3 client for `sdk`. Against an emulator (an endpoint URL is set) buckets are named in the
/// path, as emulators on a plain address need; AWS itself gets the default, bucket host names.
pub fn client(sdk: &aws_config::SdkConfig) -> aws_sdk_s3::Client {
    let config = aws_sdk_s3::config::Builder::from(sdk)
        .force_path_style(sdk.endpoint_url().is_some())
        .build();
    aws_sdk_s3::Client::from_conf(config)
}

/// What browsers and CloudFront may do with a public file: keep it.
pub const CACHE_FOREVER: &str = "public, max-age=31536000, immutable";

#[derive(Clone, Debug)]
pub struct S3PublicFiles {
    client: aws_sdk_s3::Client,
    bucket: String,
}

impl S3PublicFiles {
    pub fn new(client: aws_sdk_s3::Client, bucket: impl Into<String>) -> Self {
        Self {
            client,
            bucket: bucket.into(),
        }
    }
}

#[async_trait]
impl PublicFiles for S3PublicFiles {
    async fn put(&self, key: &str, bytes: &[u8], content_type: &str) -> PortResult<()> {
        self.client
            .put_object()
            .bucket(&self.bucket)
            .key(key)
            .body(ByteStream::from(bytes.to_vec()))
            .content_type(content_type)
            .cache_control(CACHE_FOREVER)
            .send()
            .await
            .map_err(|error| PortError::new("S3 PutObject", error))?;
        Ok(())
    }

    async fn delete(&self, key: &str) -> PortResult<()> {
        // S3 answers a missing key with success too.
        self.client
            .delete_object()
            .bucket(&self.bucket)
            .key(key)
            .send()
            .await
            .map_err(|error| PortError::new("S3 DeleteObject", error))?;
        Ok(())
    }
}

/// For functions deployed without the bucket: nothing is kept, and they say so if asked.
pub struct NoPublicFiles;

#[async_trait]
impl PublicFiles for NoPublicFiles {
    async fn put(&self, _key: &str, _bytes: &[u8], _content_type: &str) -> PortResult<()> {
        Err(PortError::new(
            "keeping a public file",
            "PUBLIC_FILES_BUCKET is not set for this function",
        ))
    }

    async fn delete(&self, _key: &str) -> PortResult<()> {
        Err(PortError::new(
            "removing a public file",
            "PUBLIC_FILES_BUCKET is not set for this function",
        ))
    }
}
