//! `cloumer-site-upload`: run by `cargo xtask deploy` and `cargo xtask destroy` (see lib.rs).

use std::path::PathBuf;

use anyhow::{Result, bail};

const USAGE: &str = "\
cloumer-site-upload upgrade-data <table>
cloumer-site-upload plan   <dist>
cloumer-site-upload upload <dist> <bucket> <distribution id>
cloumer-site-upload empty  <bucket>";

#[tokio::main]
async fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["plan", dist] => {
            let files = cloumer_site_upload::manifest(&PathBuf::from(dist))?;
            for file in &files {
                println!(
                    "    {:<52} {:<40} {}",
                    file.key, file.cache_control, file.content_type
                );
            }
            println!(
                "    {} files: {:?}",
                files.len(),
                cloumer_site_upload::summary(&files)
            );
        }
        ["upload", dist, bucket, distribution] => {
            let files = cloumer_site_upload::manifest(&PathBuf::from(dist))?;
            let config = cloumer_site_upload::sdk_config().await;
            let outcome =
                cloumer_site_upload::upload(&aws_sdk_s3::Client::new(&config), bucket, &files)
                    .await?;
            println!(
                "    uploaded {} files, {} unchanged",
                outcome.uploaded.len(),
                outcome.unchanged.len()
            );
            let cloudfront = aws_sdk_cloudfront::Client::new(&config);
            match cloumer_site_upload::invalidate(&cloudfront, distribution, &outcome.invalidate)
                .await?
            {
                Some(id) => println!(
                    "    invalidating {:?} (invalidation {id})",
                    outcome.invalidate
                ),
                None => println!("    nothing cached to invalidate"),
            }
        }
        ["upgrade-data", table] => {
            let config = cloumer_site_upload::sdk_config().await;
            let store = cloumer_aws::dynamo::DynamoStore::new(
                aws_sdk_dynamodb::Client::new(&config),
                *table,
            );
            match store.index_older_messages().await? {
                Some(indexed) => println!("    indexed {indexed} older chat messages by sender"),
                None => println!("    chat messages are indexed by sender (done before)"),
            }
            match store.index_older_log_entries().await? {
                Some(indexed) => {
                    println!("    indexed {indexed} older moderation log entries by person")
                }
                None => println!("    moderation logs are indexed by person (done before)"),
            }
            match store.index_older_reports().await? {
                Some(indexed) => println!("    indexed {indexed} older reports by reporter"),
                None => println!("    reports are indexed by reporter (done before)"),
            }
        }
        ["empty", bucket] => {
            let config = cloumer_site_upload::sdk_config().await;
            let deleted =
                cloumer_site_upload::empty(&aws_sdk_s3::Client::new(&config), bucket).await?;
            println!("    deleted {deleted} objects and versions from s3://{bucket}");
        }
        _ => bail!("usage:\n{USAGE}"),
    }
    Ok(())
}
