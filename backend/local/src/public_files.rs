//! The site's public files on disk under `<data dir>/public` (the cloud keeps them in S3 behind
//! CloudFront): each written whole or not at all, and served at `/<key>` for a year, as a key
//! never gets other bytes.

use std::path::{Path, PathBuf};

use async_trait::async_trait;
use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::Response;
use cloumer_domain::ports::PublicFiles;
use cloumer_domain::{PortError, PortResult};
use tower_http::services::ServeDir;

use crate::file_names;

/// What CloudFront's cache policy and the S3 object say in the cloud.
pub const CACHE_FOREVER: &str = "public, max-age=31536000, immutable";

/// The top-level folders of public files the site serves (and nothing else under the root).
const SERVED: [&str; 1] = ["emotes"];

#[derive(Clone)]
pub struct DiskPublicFiles {
    root: PathBuf,
}

impl DiskPublicFiles {
    pub fn under(data_dir: &Path) -> Self {
        Self {
            root: data_dir.join("public"),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The file of `key`, which must be plain names joined by `/`: never a way out of the root.
    fn path(&self, key: &str) -> PortResult<PathBuf> {
        let safe = |name: &str| {
            !name.is_empty()
                && name.len() <= 64
                && !name.starts_with('.')
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.')
        };
        let names: Vec<&str> = key.split('/').collect();
        if names.len() > 8 || !names.iter().all(|name| safe(name)) {
            return Err(PortError::new(
                "public file key",
                format!("not a safe key: {key:?}"),
            ));
        }
        Ok(names
            .iter()
            .fold(self.root.clone(), |path, name| path.join(name)))
    }

    /// `GET /emotes/…`: the files, with the long cache lifetime on those that exist.
    pub fn router(&self) -> Router {
        SERVED
            .iter()
            .fold(Router::new(), |router, folder| {
                router.nest_service(&format!("/{folder}"), ServeDir::new(self.root.join(folder)))
            })
            .layer(axum::middleware::map_response(cache_found))
            .layer(axum::middleware::from_fn(file_names::missing_if_no_file))
    }
}

async fn cache_found(mut response: Response) -> Response {
    if response.status().is_success() {
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(CACHE_FOREVER),
        );
    }
    response
}

#[async_trait]
impl PublicFiles for DiskPublicFiles {
    async fn put(&self, key: &str, bytes: &[u8], _content_type: &str) -> PortResult<()> {
        let path = self.path(key)?;
        let failed = |e: std::io::Error| PortError::new("write public file", e);
        if let Some(folder) = path.parent() {
            tokio::fs::create_dir_all(folder).await.map_err(failed)?;
        }
        // Written beside it and renamed over it: a reader never sees half a file, and a failed
        // write leaves only the partial file, which is removed.
        let partial = path.with_extension(format!(
            "{}.part",
            cloumer_domain::ids::random_alphanumeric(8)
        ));
        if let Err(error) = tokio::fs::write(&partial, bytes).await {
            let _ = tokio::fs::remove_file(&partial).await;
            return Err(failed(error));
        }
        if let Err(error) = tokio::fs::rename(&partial, &path).await {
            let _ = tokio::fs::remove_file(&partial).await;
            return Err(failed(error));
        }
        Ok(())
    }

    async fn delete(&self, key: &str) -> PortResult<()> {
        match tokio::fs::remove_file(self.path(key)?).await {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(PortError::new("delete public file", e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_never_leave_the_root() {
        let files = DiskPublicFiles::under(Path::new("/data"));
        assert_eq!(
            files.path("emotes/ch1/em2.png").unwrap(),
            Path::new("/data/public/emotes/ch1/em2.png")
        );
        for key in [
            "../secret",
            "emotes/../../x",
            "/etc/passwd",
            "emotes//x.png",
            "emotes/.hidden",
            "emotes/a\\b",
            "",
            "emotes/%2e%2e/x",
        ] {
            assert!(files.path(key).is_err(), "{key:?} was accepted");
        }
    }
}
