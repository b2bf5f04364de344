//! Paths no file can have. tower-http's `ServeDir` hands the request's path to the file system,
//! which refuses a name longer than it allows, and `ServeDir` answers that with a 500: a
//! hostile path must instead be a file that is not there.

use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Longer than a file name may be (Linux's `NAME_MAX`), or than a path to one of the files we
/// serve may be: S3's limit on a key, which the cloud serves them under. Still percent-encoded,
/// which only makes a path longer.
pub fn names_no_file(path: &str) -> bool {
    const MAX_NAME: usize = 255;
    const MAX_PATH: usize = 1024;
    path.len() > MAX_PATH || path.split('/').any(|segment| segment.len() > MAX_NAME)
}

/// Middleware in front of a file server: a path no file can have is a 404 before it gets there.
pub async fn missing_if_no_file(request: Request, next: Next) -> Response {
    if names_no_file(request.uri().path()) {
        return StatusCode::NOT_FOUND.into_response();
    }
    next.run(request).await
}
