//! The upload step against moto's S3 and CloudFront over real HTTP.

use std::fs;
use std::path::PathBuf;

use cloumer_aws::testing::Moto;
use cloumer_site_upload::{IMMUTABLE, REVALIDATE, SHORT, empty, invalidate, manifest, upload};

const HASHED_WASM: &str = "cloumer-web-0123456789abcdef_bg.wasm";
const HASHED_JS: &str = "cloumer-web-0123456789abcdef.js";

fn dist() -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "cloumer-site-upload-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    fs::create_dir_all(dir.join("avatars")).unwrap();
    fs::write(dir.join("index.html"), "<html>v1</html>").unwrap();
    fs::write(dir.join(HASHED_WASM), b"\0asm").unwrap();
    fs::write(dir.join(HASHED_JS), "export{}").unwrap();
    fs::write(dir.join("avatars/cat.svg"), "<svg/>").unwrap();
    // Its PNG copy, which build-web draws for link cards.
    fs::write(dir.join("avatars/cat.png"), b"\x89PNG\r\n\x1a\n").unwrap();
    fs::write(dir.join("config.json"), r#"{"environment":"local"}"#).unwrap();
    dir
}

async fn s3(moto: &Moto) -> aws_sdk_s3::Client {
    let config = aws_sdk_s3::config::Builder::from(&moto.sdk_config().await)
        .force_path_style(true)
        .build();
    aws_sdk_s3::Client::from_conf(config)
}

async fn bucket(s3: &aws_sdk_s3::Client) -> &'static str {
    let bucket = "cloumer-site";
    s3.create_bucket().bucket(bucket).send().await.unwrap();
    bucket
}

async fn head(s3: &aws_sdk_s3::Client, bucket: &str, key: &str) -> (String, String) {
    let head = s3
        .head_object()
        .bucket(bucket)
        .key(key)
        .send()
        .await
        .unwrap();
    (
        head.cache_control().unwrap_or_default().to_string(),
        head.content_type().unwrap_or_default().to_string(),
    )
}

#[test]
fn every_file_gets_the_cache_policy_its_name_allows_and_terraforms_config_is_left_alone() {
    let dist = dist();
    // The gzip and brotli copies build-web writes for the local stack stay out of the bucket:
    // CloudFront compresses for itself.
    fs::write(dist.join(format!("{HASHED_WASM}.gz")), b"\x1f\x8b").unwrap();
    fs::write(dist.join(format!("{HASHED_WASM}.br")), b"\x8b\x00").unwrap();
    fs::write(dist.join("index.html.gz"), b"\x1f\x8b").unwrap();
    fs::write(dist.join("index.html.br"), b"\x8b\x00").unwrap();
    let files = manifest(&dist).unwrap();
    let policies: Vec<(&str, &str)> = files
        .iter()
        .map(|f| (f.key.as_str(), f.cache_control))
        .collect();
    assert_eq!(
        policies,
        [
            ("avatars/cat.png", SHORT),
            ("avatars/cat.svg", SHORT),
            (HASHED_JS, IMMUTABLE),
            (HASHED_WASM, IMMUTABLE),
            ("index.html", REVALIDATE),
        ]
    );
    fs::remove_dir_all(dist).unwrap();
}

#[cfg(unix)]
#[test]
fn a_link_out_of_the_build_directory_is_not_uploaded() {
    let dist = dist();
    std::os::unix::fs::symlink("/etc/passwd", dist.join("passwd.txt")).unwrap();
    let files = manifest(&dist).unwrap();
    assert!(files.iter().all(|f| f.key != "passwd.txt"), "{files:?}");
    fs::remove_dir_all(dist).unwrap();
}

#[test]
fn a_directory_without_an_app_is_refused() {
    let dir = std::env::temp_dir().join(format!("cloumer-empty-dist-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    let error = manifest(&dir).unwrap_err().to_string();
    assert!(error.contains("has no index.html"), "{error}");
    fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn only_changed_files_are_uploaded_and_only_reusable_names_are_invalidated() {
    let moto = Moto::start().await;
    let s3 = s3(&moto).await;
    let bucket = bucket(&s3).await;
    let dist = dist();

    let first = upload(&s3, bucket, &manifest(&dist).unwrap())
        .await
        .unwrap();
    assert_eq!(first.uploaded.len(), 5, "{first:?}");
    assert_eq!(
        first.invalidate,
        ["/", "/avatars/cat.png", "/avatars/cat.svg", "/index.html"]
    );
    assert_eq!(
        head(&s3, bucket, "avatars/cat.png").await,
        (SHORT.to_string(), "image/png".to_string())
    );
    assert_eq!(
        head(&s3, bucket, "index.html").await,
        (
            REVALIDATE.to_string(),
            "text/html; charset=utf-8".to_string()
        )
    );
    assert_eq!(
        head(&s3, bucket, HASHED_WASM).await,
        (IMMUTABLE.to_string(), "application/wasm".to_string())
    );
    let config = s3
        .head_object()
        .bucket(bucket)
        .key("config.json")
        .send()
        .await;
    assert!(config.is_err(), "config.json is Terraform's to write");

    let again = upload(&s3, bucket, &manifest(&dist).unwrap())
        .await
        .unwrap();
    assert!(again.uploaded.is_empty(), "{again:?}");
    assert!(again.invalidate.is_empty(), "{again:?}");

    // A new build: a new content-named file and an index.html that names it.
    fs::write(dist.join("cloumer-web-fedcba9876543210.js"), "export{v2}").unwrap();
    fs::write(dist.join("index.html"), "<html>v2</html>").unwrap();
    let next = upload(&s3, bucket, &manifest(&dist).unwrap())
        .await
        .unwrap();
    assert_eq!(
        next.uploaded,
        ["cloumer-web-fedcba9876543210.js", "index.html"],
        "the new file goes up before the page that names it"
    );
    assert_eq!(next.invalidate, ["/", "/index.html"]);
    let body = s3
        .get_object()
        .bucket(bucket)
        .key("index.html")
        .send()
        .await
        .unwrap()
        .body
        .collect()
        .await
        .unwrap()
        .into_bytes();
    assert_eq!(&body[..], b"<html>v2</html>");
    fs::remove_dir_all(dist).unwrap();
}

#[tokio::test]
async fn emptying_removes_every_version_so_terraform_can_delete_the_bucket() {
    let moto = Moto::start().await;
    let s3 = s3(&moto).await;
    let bucket = bucket(&s3).await;
    s3.put_bucket_versioning()
        .bucket(bucket)
        .versioning_configuration(
            aws_sdk_s3::types::VersioningConfiguration::builder()
                .status(aws_sdk_s3::types::BucketVersioningStatus::Enabled)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let dist = dist();
    upload(&s3, bucket, &manifest(&dist).unwrap())
        .await
        .unwrap();
    fs::write(dist.join("index.html"), "<html>v2</html>").unwrap();
    upload(&s3, bucket, &manifest(&dist).unwrap())
        .await
        .unwrap();

    assert_eq!(empty(&s3, bucket).await.unwrap(), 6);
    let left = s3
        .list_object_versions()
        .bucket(bucket)
        .send()
        .await
        .unwrap();
    assert!(left.versions().is_empty() && left.delete_markers().is_empty());
    s3.delete_bucket().bucket(bucket).send().await.unwrap();
    fs::remove_dir_all(dist).unwrap();
}

#[tokio::test]
async fn changed_paths_are_invalidated_in_one_batch_and_nothing_when_nothing_changed() {
    use aws_sdk_cloudfront::types::{
        DefaultCacheBehavior, DistributionConfig, Origin, Origins, S3OriginConfig,
        ViewerProtocolPolicy,
    };
    let moto = Moto::start().await;
    let cloudfront = aws_sdk_cloudfront::Client::new(&moto.sdk_config().await);
    let origin = Origin::builder()
        .id("site")
        .domain_name("cloumer-site.s3.amazonaws.com")
        .s3_origin_config(S3OriginConfig::builder().origin_access_identity("").build())
        .build()
        .unwrap();
    let config = DistributionConfig::builder()
        .caller_reference("test")
        .comment("")
        .enabled(true)
        .origins(
            Origins::builder()
                .quantity(1)
                .items(origin)
                .build()
                .unwrap(),
        )
        .default_cache_behavior(
            DefaultCacheBehavior::builder()
                .target_origin_id("site")
                .viewer_protocol_policy(ViewerProtocolPolicy::RedirectToHttps)
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    let created = cloudfront
        .create_distribution()
        .distribution_config(config)
        .send()
        .await
        .unwrap();
    let id = created.distribution().unwrap().id().to_string();

    assert_eq!(invalidate(&cloudfront, &id, &[]).await.unwrap(), None);
    let paths = vec!["/".to_string(), "/index.html".to_string()];
    let invalidation = invalidate(&cloudfront, &id, &paths).await.unwrap();
    assert!(invalidation.is_some());
    let listed = cloudfront
        .list_invalidations()
        .distribution_id(&id)
        .send()
        .await
        .unwrap();
    let ids: Vec<&str> = listed
        .invalidation_list()
        .map(|l| l.items().iter().map(|i| i.id()).collect())
        .unwrap_or_default();
    assert_eq!(ids, [invalidation.as_deref().unwrap()]);
}
