//! S3's multipart upload on local disk: an upload is a directory of parts, each `PUT` by the
//! browser to a URL the API signed for exactly that part and length (a CloudFront-style signed
//! policy, checked like private recordings' — the browser never sees the difference from S3's
//! presigned URLs). Completing joins the parts into the file and tells the worker, as S3's event
//! tells the cloud's function. Also serves the finished videos' files to holders of a grant.

use std::sync::Arc;

use async_trait::async_trait;
use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Path as UrlPath, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{AppendHeaders, IntoResponse, Response};
use axum::routing::{get, put};
use cloumer_domain::error::{PortContext, PortResult};
use cloumer_domain::ids::{VideoId, random_alphanumeric};
use cloumer_domain::ports::{Clock, VideoUploads};
use cloumer_domain::video::{PART_BYTES, UploadedPart};
use futures_util::StreamExt;
use time::OffsetDateTime;
use tokio::io::AsyncWriteExt;

use super::{LocalVideoPipeline, Work, remove_dir};
use crate::ingest::private_recordings::{RecordingGate, SigningQuery};

#[async_trait]
impl VideoUploads for LocalVideoPipeline {
    async fn begin(&self, video: &VideoId) -> PortResult<String> {
        let upload_id = random_alphanumeric(32);
        std::fs::create_dir_all(self.dirs.uploads.join(video.as_str()).join(&upload_id))
            .port("starting an upload")?;
        Ok(upload_id)
    }

    async fn part_url(
        &self,
        video: &VideoId,
        upload_id: &str,
        number: u32,
        size_bytes: u64,
        expires_at: OffsetDateTime,
    ) -> PortResult<String> {
        let path = format!("/video-uploads/{video}/{upload_id}/{number}/{size_bytes}");
        let query = self.signed(&path, expires_at)?;
        Ok(format!("{}{path}?{query}", self.base_url))
    }

    async fn parts(&self, video: &VideoId, upload_id: &str) -> PortResult<Vec<UploadedPart>> {
        let dir = self.dirs.uploads.join(video.as_str()).join(upload_id);
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(error) => return Err(error).port("listing an upload's parts"),
        };
        let mut parts = Vec::new();
        for entry in entries {
            let entry = entry.port("listing an upload's parts")?;
            let name = entry.file_name();
            let Some(number) = name
                .to_str()
                .and_then(|n| n.strip_prefix("part-"))
                .and_then(|n| n.parse::<u32>().ok())
            else {
                continue;
            };
            let size_bytes = entry.metadata().port("reading a part")?.len();
            parts.push(UploadedPart {
                number,
                etag: etag(number, size_bytes),
                size_bytes,
            });
        }
        parts.sort_by_key(|p| p.number);
        Ok(parts)
    }

    async fn complete(
        &self,
        video: &VideoId,
        upload_id: &str,
        parts: &[UploadedPart],
    ) -> PortResult<()> {
        let dir = self.dirs.uploads.join(video.as_str()).join(upload_id);
        let target = self.dirs.upload_file(video);
        let partial = target.with_extension("partial");
        let mut file = tokio::fs::File::create(&partial)
            .await
            .port("joining an upload")?;
        for part in parts {
            let mut source = tokio::fs::File::open(dir.join(format!("part-{}", part.number)))
                .await
                .port("joining an upload")?;
            tokio::io::copy(&mut source, &mut file)
                .await
                .port("joining an upload")?;
        }
        file.sync_all().await.port("joining an upload")?;
        tokio::fs::rename(&partial, &target)
            .await
            .port("joining an upload")?;
        remove_dir(&dir)?;
        self.enqueue(Work::Arrived(video.clone()));
        Ok(())
    }

    async fn abort(&self, video: &VideoId, upload_id: &str) -> PortResult<()> {
        let video_dir = self.dirs.uploads.join(video.as_str());
        remove_dir(&video_dir.join(upload_id))?;
        // The video's directory goes with its last upload, as nothing is left of an aborted
        // upload in S3; it stays while it holds another (fails as not empty).
        let _ = std::fs::remove_dir(&video_dir);
        Ok(())
    }

    async fn delete(&self, video: &VideoId) -> PortResult<()> {
        remove_dir(&self.dirs.uploads.join(video.as_str()))
    }
}

fn etag(number: u32, size_bytes: u64) -> String {
    format!("\"{number}-{size_bytes}\"")
}

struct Files {
    pipeline: LocalVideoPipeline,
    gate: RecordingGate,
    clock: Arc<dyn Clock>,
}

/// `PUT /video-uploads/<video>/<upload>/<part>/<length>` (signed) and
/// `GET /video-files/<video>/[<quality>/]<file>` (with a grant).
pub fn router(pipeline: LocalVideoPipeline, gate: RecordingGate, clock: Arc<dyn Clock>) -> Router {
    let files = Arc::new(Files {
        pipeline,
        gate,
        clock,
    });
    Router::new()
        .route(
            "/video-uploads/{video}/{upload}/{number}/{size}",
            // A part is at most PART_BYTES; the signed length is checked exactly below.
            put(receive_part).layer(DefaultBodyLimit::max(PART_BYTES as usize)),
        )
        .route("/video-files/{video}/{file}", get(video_file))
        .route("/video-files/{video}/{quality}/{file}", get(quality_file))
        .with_state(files)
}

fn plain(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.')
}

fn refusal(status: StatusCode, code: &str, message: &str) -> Response {
    // S3 answers XML; the browser only reads the status, and people read the message.
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        serde_json::json!({"code": code, "message": message}).to_string(),
    )
        .into_response()
}

async fn receive_part(
    State(files): State<Arc<Files>>,
    UrlPath((video, upload, number, size)): UrlPath<(String, String, u32, u64)>,
    Query(signing): Query<SigningQuery>,
    uri: Uri,
    body: Body,
) -> Response {
    let now = files.clock.now();
    if files.gate.admit(uri.path(), &signing, None, now).is_none() {
        return refusal(
            StatusCode::FORBIDDEN,
            "AccessDenied",
            "this URL is not signed for this part, or it expired",
        );
    }
    // Signed, so these are what the API made; checked anyway before they name files.
    let Ok(video) = VideoId::parse(&video) else {
        return refusal(StatusCode::NOT_FOUND, "NoSuchUpload", "no such upload");
    };
    let dir = files
        .pipeline
        .dirs
        .uploads
        .join(video.as_str())
        .join(&upload);
    if !plain(&upload) || !dir.is_dir() {
        return refusal(StatusCode::NOT_FOUND, "NoSuchUpload", "no such upload");
    }
    let target = dir.join(format!("part-{number}"));
    let partial = dir.join(format!(".part-{number}-{}", random_alphanumeric(8)));
    match write_part(body, &partial, size).await {
        Ok(()) => {}
        Err(why) => {
            let _ = tokio::fs::remove_file(&partial).await;
            return refusal(StatusCode::BAD_REQUEST, "IncompleteBody", &why);
        }
    }
    if tokio::fs::rename(&partial, &target).await.is_err() {
        let _ = tokio::fs::remove_file(&partial).await;
        // Aborted (deleted) while this part was arriving.
        return refusal(StatusCode::NOT_FOUND, "NoSuchUpload", "no such upload");
    }
    let tag = HeaderValue::from_str(&etag(number, size)).expect("ASCII");
    (StatusCode::OK, [(header::ETAG, tag)]).into_response()
}

/// Writes exactly `size` bytes of `body` to `path`; anything shorter or longer is refused.
async fn write_part(body: Body, path: &std::path::Path, size: u64) -> Result<(), String> {
    let mut file = tokio::fs::File::create(path)
        .await
        .map_err(|e| format!("cannot store the part: {e}"))?;
    let mut stream = body.into_data_stream();
    let mut written = 0u64;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| format!("the part did not arrive whole: {e}"))?;
        written += chunk.len() as u64;
        if written > size {
            return Err(format!("this part must be {size} bytes; more arrived"));
        }
        file.write_all(&chunk)
            .await
            .map_err(|e| format!("cannot store the part: {e}"))?;
    }
    if written != size {
        return Err(format!("this part must be {size} bytes; {written} arrived"));
    }
    file.sync_all()
        .await
        .map_err(|e| format!("cannot store the part: {e}"))
}

async fn video_file(
    State(files): State<Arc<Files>>,
    UrlPath((video, file)): UrlPath<(String, String)>,
    query: Query<SigningQuery>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    serve(&files, &video, None, &file, &query, &uri, &headers).await
}

async fn quality_file(
    State(files): State<Arc<Files>>,
    UrlPath((video, quality, file)): UrlPath<(String, String, String)>,
    query: Query<SigningQuery>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    serve(
        &files,
        &video,
        Some(&quality),
        &file,
        &query,
        &uri,
        &headers,
    )
    .await
}

async fn serve(
    files: &Files,
    video: &str,
    quality: Option<&str>,
    file: &str,
    signing: &SigningQuery,
    uri: &Uri,
    headers: &HeaderMap,
) -> Response {
    let cookie = headers
        .get(header::COOKIE)
        .and_then(|value| value.to_str().ok());
    let Some(admitted) = files
        .gate
        .admit(uri.path(), signing, cookie, files.clock.now())
    else {
        return StatusCode::FORBIDDEN.into_response();
    };
    let content_type = match file.rsplit_once('.').map(|(_, ext)| ext) {
        Some("m3u8") => "application/vnd.apple.mpegurl",
        Some("ts") => "video/mp2t",
        Some("jpg") => "image/jpeg",
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    if !plain(video) || !plain(file) || quality.is_some_and(|q| !plain(q)) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let mut path = files.pipeline.dirs.outputs.join(video);
    if let Some(quality) = quality {
        path.push(quality);
    }
    path.push(file);
    let Ok(body) = tokio::fs::read(&path).await else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let cookies = admitted
        .set_cookies
        .into_iter()
        .filter_map(|cookie| HeaderValue::from_str(&cookie).ok())
        .map(|cookie| (header::SET_COOKIE, cookie));
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            // A video's files never change (a new upload is a new video); grants expire, so
            // only the browser keeps them.
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, max-age=3600"),
            ),
        ],
        AppendHeaders(cookies),
        body,
    )
        .into_response()
}
