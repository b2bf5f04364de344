//! The browser app's entry page in the site bucket (`index.html`, which `cargo xtask
//! site-upload` writes last, after the files it names), for the pages shared links open
//! (`cloumer_http::link_previews`).

use std::sync::Arc;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use cloumer_domain::error::{PortContext, PortError, PortResult};
use cloumer_domain::ports::AppEntryPage;
use tokio::sync::Mutex;

const KEY: &str = "index.html";
const READ: &str = "S3 GetObject index.html";
/// How long a warm function serves the page it read before reading it again: a new build shows
/// within this (and CloudFront's minute) without a read per request.
pub const REREAD_AFTER: Duration = Duration::from_secs(30);
/// The build's page is a few kilobytes; anything much larger is not it.
const MAX_BYTES: usize = 1024 * 1024;

pub struct S3EntryPage {
    client: aws_sdk_s3::Client,
    bucket: String,
    reread_after: Duration,
    kept: Mutex<Option<(Arc<str>, Instant)>>,
}

impl S3EntryPage {
    pub fn new(client: aws_sdk_s3::Client, bucket: impl Into<String>) -> Self {
        Self {
            client,
            bucket: bucket.into(),
            reread_after: REREAD_AFTER,
            kept: Mutex::new(None),
        }
    }

    /// Reads the page again once it is `after` old, instead of [`REREAD_AFTER`].
    pub fn reread_after(self, after: Duration) -> Self {
        Self {
            reread_after: after,
            ..self
        }
    }

    async fn read(&self) -> PortResult<Arc<str>> {
        let object = self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(KEY)
            .send()
            .await
            .port(READ)?;
        let bytes = object.body.collect().await.port(READ)?.into_bytes();
        if bytes.len() > MAX_BYTES {
            return Err(PortError::new(
                READ,
                format!("{} bytes: not the app's entry page", bytes.len()),
            ));
        }
        let text = String::from_utf8(bytes.to_vec()).port(READ)?;
        Ok(text.into())
    }
}

#[async_trait]
impl AppEntryPage for S3EntryPage {
    /// The page read in the last [`REREAD_AFTER`] (or as set), or a fresh read; when that read fails, the
    /// page read before it, for another while (an older page names files that are still
    /// there: uploads keep old builds' files).
    async fn entry_page(&self) -> PortResult<Arc<str>> {
        let mut kept = self.kept.lock().await;
        if let Some((page, read_at)) = kept.as_ref()
            && read_at.elapsed() < self.reread_after
        {
            return Ok(page.clone());
        }
        match (self.read().await, kept.as_mut()) {
            (Ok(page), _) => {
                *kept = Some((page.clone(), Instant::now()));
                Ok(page)
            }
            (Err(error), Some((page, read_at))) => {
                tracing::warn!(error = %error, "serving the entry page read before");
                *read_at = Instant::now();
                Ok(page.clone())
            }
            (Err(error), None) => Err(error),
        }
    }
}

/// For functions deployed without the site bucket: they say so if asked.
pub struct NoEntryPage;

#[async_trait]
impl AppEntryPage for NoEntryPage {
    async fn entry_page(&self) -> PortResult<Arc<str>> {
        Err(PortError::new(
            "read the app's entry page",
            "SITE_BUCKET is not set for this function",
        ))
    }
}
