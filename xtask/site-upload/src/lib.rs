//! The browser app's files in the site bucket: which cache policy each gets, uploading only what
//! changed, and invalidating in CloudFront only what a browser or the CDN may hold an old copy of.
//!
//! Files trunk names by content (`main-540ef588975527c2.css`) never change under their name, so
//! they are cached for a year as immutable and never need invalidating. `index.html` names those
//! files and must be fetched fresh (`no-cache`: revalidated on every load). Files with fixed names
//! (the IVS player's worker, the avatars) are cached briefly and invalidated when they change.
//! `config.json` belongs to Terraform, which writes it with the deployment's endpoints, and the
//! `.gz` and `.br` copies beside the files are the local stack's (CloudFront compresses by itself).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use aws_sdk_s3::primitives::ByteStream;
use sha2::{Digest, Sha256};

pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
pub const REVALIDATE: &str = "no-cache";
pub const SHORT: &str = "public, max-age=300";

/// The object metadata holding a file's SHA-256, to tell a changed file from an unchanged one.
const DIGEST_METADATA: &str = "sha256";

/// Files Terraform writes into the bucket itself.
const OWNED_BY_TERRAFORM: &[&str] = &["config.json"];

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteFile {
    /// Object key: the path under `dist/`, with `/` separators.
    pub key: String,
    pub path: PathBuf,
    pub content_type: String,
    pub cache_control: &'static str,
    pub sha256: String,
}

impl SiteFile {
    /// Whether a CDN or browser may hold an older copy under the same key.
    pub fn needs_invalidation(&self) -> bool {
        self.cache_control != IMMUTABLE
    }
}

/// Every file under `dist`, with its cache policy, in key order.
pub fn manifest(dist: &Path) -> Result<Vec<SiteFile>> {
    let mut files = Vec::new();
    walk(dist, dist, &mut files)?;
    files.sort_by(|a, b| a.key.cmp(&b.key));
    anyhow::ensure!(
        files.iter().any(|f| f.key == "index.html"),
        "{} has no index.html: build the app first (cargo xtask build-web)",
        dist.display()
    );
    Ok(files)
}

fn walk(dist: &Path, dir: &Path, out: &mut Vec<SiteFile>) -> Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let entry = entry?;
        let path = entry.path();
        let kind = entry.file_type()?;
        if kind.is_dir() {
            walk(dist, &path, out)?;
            continue;
        }
        // Never follow links out of the build directory.
        if !kind.is_file() {
            continue;
        }
        let key = path
            .strip_prefix(dist)?
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        if OWNED_BY_TERRAFORM.contains(&key.as_str()) || is_compressed_copy(&path) {
            continue;
        }
        let bytes = std::fs::read(&path)?;
        out.push(SiteFile {
            cache_control: cache_policy(&key),
            content_type: content_type(&key),
            sha256: hex(&Sha256::digest(&bytes)),
            key,
            path,
        });
    }
    Ok(())
}

/// A `.gz` or `.br` copy `cargo xtask build-web` wrote beside a file for the local stack;
/// CloudFront compresses the file itself.
fn is_compressed_copy(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "gz" || e == "br") && path.with_extension("").is_file()
}

pub fn cache_policy(key: &str) -> &'static str {
    let name = key.rsplit('/').next().unwrap_or(key);
    if name == "index.html" {
        REVALIDATE
    } else if is_content_named(name) {
        IMMUTABLE
    } else {
        SHORT
    }
}

/// trunk's content names: `<stem>-<16 hex digits>.<extension>`.
fn is_content_named(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or(name);
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-')
        .is_some_and(|(_, hash)| hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn content_type(key: &str) -> String {
    let guess = mime_guess::from_path(key).first_or_octet_stream();
    match guess.type_() {
        mime_guess::mime::TEXT => format!("{guess}; charset=utf-8"),
        _ if guess.subtype() == "javascript" => "text/javascript; charset=utf-8".to_string(),
        _ => guess.to_string(),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What an upload did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    pub uploaded: Vec<String>,
    pub unchanged: Vec<String>,
    /// CloudFront paths to invalidate (`/index.html`, and `/` with it).
    pub invalidate: Vec<String>,
}

/// Uploads the files whose content differs from the bucket's copy. Content-named files go first
/// and `index.html` last, so a visitor never gets a page naming files that are not there yet.
pub async fn upload(s3: &aws_sdk_s3::Client, bucket: &str, files: &[SiteFile]) -> Result<Outcome> {
    let mut ordered: Vec<&SiteFile> = files.iter().collect();
    ordered.sort_by_key(|f| (f.cache_control == REVALIDATE, f.cache_control != IMMUTABLE));
    let mut outcome = Outcome::default();
    for file in ordered {
        if stored_digest(s3, bucket, &file.key).await?.as_deref() == Some(file.sha256.as_str()) {
            outcome.unchanged.push(file.key.clone());
            continue;
        }
        s3.put_object()
            .bucket(bucket)
            .key(&file.key)
            .body(ByteStream::from_path(&file.path).await?)
            .content_type(&file.content_type)
            .cache_control(file.cache_control)
            .metadata(DIGEST_METADATA, &file.sha256)
            .send()
            .await
            .with_context(|| format!("uploading {} to s3://{bucket}", file.key))?;
        outcome.uploaded.push(file.key.clone());
        if file.needs_invalidation() {
            outcome.invalidate.push(format!("/{}", file.key));
            if file.key == "index.html" {
                // The SPA's routes are rewritten to /index.html at the edge, but `/` is cached
                // under its own key.
                outcome.invalidate.push("/".to_string());
            }
        }
    }
    outcome.invalidate.sort();
    Ok(outcome)
}

async fn stored_digest(s3: &aws_sdk_s3::Client, bucket: &str, key: &str) -> Result<Option<String>> {
    match s3.head_object().bucket(bucket).key(key).send().await {
        Ok(head) => Ok(head
            .metadata()
            .and_then(|m: &std::collections::HashMap<String, String>| m.get(DIGEST_METADATA))
            .cloned()),
        Err(error) if error.as_service_error().is_some_and(|e| e.is_not_found()) => Ok(None),
        Err(error) => Err(error).with_context(|| format!("reading s3://{bucket}/{key}")),
    }
}

/// Starts one CloudFront invalidation for `paths`; returns its id (none when nothing changed).
pub async fn invalidate(
    cloudfront: &aws_sdk_cloudfront::Client,
    distribution: &str,
    paths: &[String],
) -> Result<Option<String>> {
    use aws_sdk_cloudfront::types::{InvalidationBatch, Paths};
    if paths.is_empty() {
        return Ok(None);
    }
    let batch = InvalidationBatch::builder()
        .paths(
            Paths::builder()
                .quantity(i32::try_from(paths.len())?)
                .set_items(Some(paths.to_vec()))
                .build()?,
        )
        .caller_reference(format!(
            "cloumer-{}",
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)?
                .as_millis()
        ))
        .build()?;
    let created = cloudfront
        .create_invalidation()
        .distribution_id(distribution)
        .invalidation_batch(batch)
        .send()
        .await
        .with_context(|| {
            format!("invalidating {paths:?} in CloudFront distribution {distribution}")
        })?;
    Ok(created.invalidation().map(|i| i.id().to_string()))
}

/// Deletes every object in the bucket (before `terraform destroy`, which refuses non-empty buckets);
/// returns how many. Only used on the site bucket, whose contents every deploy recreates.
pub async fn empty(s3: &aws_sdk_s3::Client, bucket: &str) -> Result<usize> {
    use aws_sdk_s3::types::{Delete, ObjectIdentifier};
    let mut deleted = 0;
    loop {
        // Versioned bucket: every version and delete marker goes.
        let listed = s3.list_object_versions().bucket(bucket).send().await?;
        let mut ids = Vec::new();
        for version in listed.versions() {
            ids.push((version.key(), version.version_id()));
        }
        for marker in listed.delete_markers() {
            ids.push((marker.key(), marker.version_id()));
        }
        if ids.is_empty() {
            return Ok(deleted);
        }
        let objects = ids
            .into_iter()
            .map(|(key, version)| {
                ObjectIdentifier::builder()
                    .key(key.unwrap_or_default())
                    .set_version_id(version.map(str::to_string))
                    .build()
            })
            .collect::<Result<Vec<_>, _>>()?;
        deleted += objects.len();
        s3.delete_objects()
            .bucket(bucket)
            .delete(Delete::builder().set_objects(Some(objects)).build()?)
            .send()
            .await?;
    }
}

/// SDK configuration from the standard chain (profile, SSO, environment), over the same
/// rustls + ring stack the backend uses.
pub async fn sdk_config() -> aws_config::SdkConfig {
    use aws_smithy_http_client::tls::{Provider, rustls_provider::CryptoMode};
    let http = aws_smithy_http_client::Builder::new()
        .tls_provider(Provider::Rustls(CryptoMode::Ring))
        .build_https();
    aws_config::defaults(aws_config::BehaviorVersion::latest())
        .http_client(http)
        .load()
        .await
}

/// Counts by cache policy, for the plan printout.
pub fn summary(files: &[SiteFile]) -> BTreeMap<&'static str, usize> {
    let mut counts = BTreeMap::new();
    for file in files {
        *counts.entry(file.cache_control).or_default() += 1;
    }
    counts
}
