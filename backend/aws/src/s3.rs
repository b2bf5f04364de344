//! Files in S3: the site's public files (the public recordings bucket, which CloudFront serves
//! at `/emotes/*` with the bucket's own `Cache-Control`: a key never gets other bytes, so for a
//! year, immutable), and the files of past broadcasts, removed when their owner deletes them.

use async_trait::async_trait;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{Delete, ObjectIdentifier};
use cloumer_domain::clip_playlist::plain_relative;
use cloumer_domain::error::{PortError, PortResult};
use cloumer_domain::ports::{ClipPicture, PublicFiles, RecordingFiles};
use cloumer_domain::recording::Recording;

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

/// The files IVS auto-record wrote for past broadcasts: every object under the recording's
/// prefix (`ivs/v1/<account>/<channel>/<y>/<m>/<d>/<h>/<min>/<recording id>/`), in the bucket
/// its playlist is served from (private recordings under `/private-recordings/`).
#[derive(Clone, Debug)]
pub struct S3RecordingFiles {
    client: aws_sdk_s3::Client,
    public_bucket: Option<String>,
    private_bucket: Option<String>,
}

impl S3RecordingFiles {
    pub fn new(
        client: aws_sdk_s3::Client,
        public_bucket: Option<String>,
        private_bucket: Option<String>,
    ) -> Self {
        Self {
            client,
            public_bucket,
            private_bucket,
        }
    }
}

/// Where a recording's files are: whether the playlist is served from the private root, and
/// the key prefix (ending in `/`) IVS wrote them under. Only a prefix that names this very
/// recording is accepted: nothing else in the bucket can be reached from a URL.
pub fn recording_prefix(recording: &Recording) -> Option<(bool, String)> {
    let url = recording.playlist_url.as_deref()?;
    let path = url.split(['?', '#']).next()?;
    let private = path.contains("/private-recordings/ivs/v1/");
    let start = path.find("/ivs/v1/")? + 1;
    let segments: Vec<&str> = path[start..].split('/').take(10).collect();
    let plain = |s: &&str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    let named =
        segments.len() == 10 && segments.iter().all(plain) && segments[9] == recording.id.as_str();
    named.then(|| (private, format!("{}/", segments.join("/"))))
}

/// The key of a playlist named relative to the directory of the recording's main playlist
/// (`media/hls/` in IVS's layout); `None` unless both are plain names inside the recording.
pub fn playlist_key(recording: &Recording, path: &str) -> Option<(bool, String)> {
    let (private, prefix) = recording_prefix(recording)?;
    let url = recording.playlist_url.as_deref()?;
    let main = url.split(['?', '#']).next()?;
    let inside = &main[main.find(&prefix)? + prefix.len()..];
    let dir = inside.rsplit_once('/').map_or("", |(dir, _)| dir);
    let plain_dir = dir.split('/').all(|part| {
        !part.is_empty()
            && part
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    });
    if !(dir.is_empty() || plain_dir) || !plain_relative(path) {
        return None;
    }
    let dir = if dir.is_empty() {
        String::new()
    } else {
        format!("{dir}/")
    };
    Some((private, format!("{prefix}{dir}{path}")))
}

/// IVS's sequential thumbnails of a recording are `media/thumbnails/thumb<N>.jpg`, one every
/// this long: the recording configurations' `target_interval_seconds`
/// (`infra/modules/streaming/main.tf`).
pub const THUMBNAIL_INTERVAL_MS: u64 = 10_000;

/// The URL of IVS's thumbnail of the recording at `at_ms` (the last one taken by then).
pub fn ivs_thumbnail_url(recording: &Recording, at_ms: u64) -> Option<String> {
    let (_, prefix) = recording_prefix(recording)?;
    let url = recording
        .playlist_url
        .as_deref()?
        .split(['?', '#'])
        .next()?;
    let end = url.find(&prefix)? + prefix.len();
    Some(format!(
        "{}media/thumbnails/thumb{}.jpg",
        &url[..end],
        at_ms / THUMBNAIL_INTERVAL_MS
    ))
}

impl S3RecordingFiles {
    fn bucket(&self, private: bool, what: &'static str) -> PortResult<&str> {
        let bucket = if private {
            &self.private_bucket
        } else {
            &self.public_bucket
        };
        bucket.as_deref().ok_or_else(|| {
            PortError::new(what, "the recordings bucket is not set for this function")
        })
    }

    fn playlist(
        &self,
        recording: &Recording,
        path: &str,
        what: &'static str,
    ) -> PortResult<(&str, String)> {
        let (private, key) = playlist_key(recording, path).ok_or_else(|| {
            PortError::new(
                what,
                format!("no playlist {path:?} beside {:?}", recording.playlist_url),
            )
        })?;
        Ok((self.bucket(private, what)?, key))
    }
}

#[async_trait]
impl RecordingFiles for S3RecordingFiles {
    async fn read_playlist(&self, recording: &Recording, path: &str) -> PortResult<Option<String>> {
        const WHAT: &str = "reading a recording's playlist";
        let (bucket, key) = self.playlist(recording, path, WHAT)?;
        let object = match self
            .client
            .get_object()
            .bucket(bucket)
            .key(&key)
            .send()
            .await
        {
            Ok(object) => object,
            Err(error) if error.as_service_error().is_some_and(|e| e.is_no_such_key()) => {
                return Ok(None);
            }
            Err(error) => return Err(PortError::new("S3 GetObject", error)),
        };
        let bytes = object
            .body
            .collect()
            .await
            .map_err(|error| PortError::new(WHAT, error))?
            .into_bytes();
        String::from_utf8(bytes.to_vec())
            .map(Some)
            .map_err(|error| PortError::new(WHAT, error))
    }

    async fn write_playlist(
        &self,
        recording: &Recording,
        path: &str,
        text: &str,
    ) -> PortResult<()> {
        const WHAT: &str = "writing a clip's playlist";
        let (bucket, key) = self.playlist(recording, path, WHAT)?;
        self.client
            .put_object()
            .bucket(bucket)
            .key(key)
            .body(ByteStream::from(text.as_bytes().to_vec()))
            .content_type("application/vnd.apple.mpegurl")
            .send()
            .await
            .map_err(|error| PortError::new("S3 PutObject", error))?;
        Ok(())
    }

    async fn delete_playlist(&self, recording: &Recording, path: &str) -> PortResult<()> {
        const WHAT: &str = "removing a clip's playlist";
        let (bucket, key) = self.playlist(recording, path, WHAT)?;
        self.client
            .delete_object()
            .bucket(bucket)
            .key(key)
            .send()
            .await
            .map_err(|error| PortError::new("S3 DeleteObject", error))?;
        Ok(())
    }

    /// IVS took one every ten seconds while recording: nothing to make.
    async fn clip_picture(
        &self,
        recording: &Recording,
        at_ms: u64,
        _name: &str,
    ) -> PortResult<Option<ClipPicture>> {
        Ok(ivs_thumbnail_url(recording, at_ms).map(|url| ClipPicture { url, written: None }))
    }

    async fn delete(&self, recording: &Recording) -> PortResult<()> {
        const WHAT: &str = "removing a recording's files";
        let (private, prefix) = recording_prefix(recording).ok_or_else(|| {
            PortError::new(
                WHAT,
                format!("no recording files at {:?}", recording.playlist_url),
            )
        })?;
        let bucket = self.bucket(private, WHAT)?;
        delete_prefix(&self.client, bucket, &prefix).await
    }
}

/// Removes every object of `bucket` under `prefix`, in batches; nothing happens if none is left.
pub async fn delete_prefix(
    client: &aws_sdk_s3::Client,
    bucket: &str,
    prefix: &str,
) -> PortResult<()> {
    const WHAT: &str = "removing files";
    // Listing again from the start after each batch: what was deleted is gone from it.
    loop {
        let listed = client
            .list_objects_v2()
            .bucket(bucket)
            .prefix(prefix)
            .send()
            .await
            .map_err(|error| PortError::new("S3 ListObjectsV2", error))?;
        let objects: Vec<ObjectIdentifier> = listed
            .contents()
            .iter()
            .filter_map(|o| o.key())
            .filter_map(|key| ObjectIdentifier::builder().key(key).build().ok())
            .collect();
        if objects.is_empty() {
            return Ok(());
        }
        let delete = Delete::builder()
            .set_objects(Some(objects))
            .quiet(true)
            .build()
            .map_err(|error| PortError::new(WHAT, error))?;
        let answer = client
            .delete_objects()
            .bucket(bucket)
            .delete(delete)
            .send()
            .await
            .map_err(|error| PortError::new("S3 DeleteObjects", error))?;
        if let Some(failed) = answer.errors().first() {
            return Err(PortError::new(
                "S3 DeleteObjects",
                format!("{:?}: {:?}", failed.key(), failed.message()),
            ));
        }
    }
}

/// For functions deployed without the recordings buckets.
pub struct NoRecordingFiles;

#[async_trait]
impl RecordingFiles for NoRecordingFiles {
    async fn read_playlist(&self, _: &Recording, _: &str) -> PortResult<Option<String>> {
        Err(no_recordings_buckets())
    }

    async fn write_playlist(&self, _: &Recording, _: &str, _: &str) -> PortResult<()> {
        Err(no_recordings_buckets())
    }

    async fn delete_playlist(&self, _: &Recording, _: &str) -> PortResult<()> {
        Err(no_recordings_buckets())
    }

    async fn clip_picture(
        &self,
        _: &Recording,
        _: u64,
        _: &str,
    ) -> PortResult<Option<ClipPicture>> {
        Err(no_recordings_buckets())
    }

    async fn delete(&self, _recording: &Recording) -> PortResult<()> {
        Err(no_recordings_buckets())
    }
}

fn no_recordings_buckets() -> PortError {
    PortError::new(
        "a recording's files",
        "this function has no access to the recordings buckets",
    )
}

#[cfg(test)]
mod tests {
    use cloumer_domain::ids::{ChannelId, RecordingId};
    use cloumer_domain::recording::RecordingStatus;

    use super::*;

    fn recording(id: &str, url: &str) -> Recording {
        Recording {
            id: RecordingId::parse(id).unwrap(),
            channel_id: ChannelId::parse("chan").unwrap(),
            stream_id: None,
            title: Default::default(),
            category: Default::default(),
            private: false,
            status: RecordingStatus::Ended,
            started_at: None,
            ended_at: None,
            duration_ms: None,
            playlist_url: Some(url.to_owned()),
            thumbnail_url: None,
            markers: Vec::new(),
            audience: Default::default(),
        }
    }

    #[test]
    fn only_the_recordings_own_prefix_is_ever_named() {
        let prefix = "ivs/v1/123456789012/AbCd/2026/11/30/1/5/rec1";
        assert_eq!(
            recording_prefix(&recording(
                "rec1",
                &format!("https://d1.cloudfront.net/{prefix}/media/hls/master.m3u8")
            )),
            Some((false, format!("{prefix}/")))
        );
        assert_eq!(
            recording_prefix(&recording(
                "rec1",
                &format!(
                    "https://d1.cloudfront.net/private-recordings/{prefix}/media/hls/master.m3u8?Policy=x"
                )
            )),
            Some((true, format!("{prefix}/")))
        );
        for url in [
            // Another recording's id, a short path, a climb, an empty segment.
            format!("https://cdn/{prefix}x/media/hls/master.m3u8"),
            "https://cdn/ivs/v1/1/2/rec1/media/hls/master.m3u8".to_owned(),
            "https://cdn/ivs/v1/../../../../../../../rec1/media".to_owned(),
            "https://cdn/ivs/v1/1//2026/11/30/1/5/6/rec1/x".to_owned(),
            "/recordings/chan/rec1/index.m3u8".to_owned(),
        ] {
            assert_eq!(recording_prefix(&recording("rec1", &url)), None, "{url}");
        }
    }

    #[test]
    fn clip_playlists_sit_beside_the_recordings_own() {
        let prefix = "ivs/v1/123456789012/AbCd/2026/11/30/1/5/rec1";
        let rec = recording(
            "rec1",
            &format!("https://d1.cloudfront.net/{prefix}/media/hls/master.m3u8"),
        );
        assert_eq!(
            playlist_key(&rec, "720p30/clip-cl1.m3u8"),
            Some((false, format!("{prefix}/media/hls/720p30/clip-cl1.m3u8")))
        );
        assert_eq!(
            playlist_key(&rec, "master.m3u8"),
            Some((false, format!("{prefix}/media/hls/master.m3u8")))
        );
        for path in [
            "../x.m3u8",
            "a/../../b.m3u8",
            "/abs.m3u8",
            "a/b/c.m3u8",
            ".x",
            "",
        ] {
            assert_eq!(playlist_key(&rec, path), None, "{path}");
        }
    }
}
