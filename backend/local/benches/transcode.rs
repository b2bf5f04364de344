//! The local transcoding worker (`cargo xtask bench transcode`): a minute of 720p H.264/AAC
//! uploaded through the API in signed parts to the real `cloumer-local` binary, timed from
//! completing the upload to the video being ready (probe, the 720p + 360p ladder, its picture),
//! against the reference of ffmpeg encoding the same file once at 720p with the same preset, in
//! the same run. `BENCH_SECONDS` changes the input's length.

mod support;

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use support::{env_number, sign_up, start_server};

async fn api(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> Value {
    let mut request = client
        .request(method, format!("{base}{path}"))
        .bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    assert!(
        response.status().is_success(),
        "{path}: {}",
        response.status()
    );
    response.json().await.unwrap_or(Value::Null)
}

#[tokio::main]
async fn main() {
    let seconds = env_number("BENCH_SECONDS", 60) as u32;
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("input.mp4");
    cloumer_test_media::write_mp4(&input, seconds)
        .await
        .unwrap();
    let bytes = std::fs::read(&input).unwrap();

    // The reference: one 720p encode of the same file, as the ladder's top rung is made.
    let started = Instant::now();
    let status = tokio::process::Command::new("ffmpeg")
        .args(["-hide_banner", "-loglevel", "error", "-nostdin", "-i"])
        .arg(&input)
        .args([
            "-vf",
            "scale=-2:720",
            "-c:v",
            "libx264",
            "-preset",
            "veryfast",
        ])
        .args(["-c:a", "aac", "-f", "null", "-"])
        .status()
        .await
        .unwrap();
    assert!(status.success());
    let reference = started.elapsed();

    let data = dir.path().join("stack");
    let (server, _) = start_server(&data, &["--no-ingest"]);
    let client = reqwest::Client::new();
    let token = sign_up(&client, &server, "bench_uploader").await;
    let base = server.base.clone();
    let upload = api(
        &client,
        &base,
        &token,
        reqwest::Method::POST,
        "/api/v1/videos",
        Some(json!({"title": "Bench", "fileName": "input.mp4", "sizeBytes": bytes.len()})),
    )
    .await;
    let id = upload["video"]["id"].as_str().unwrap().to_owned();
    let part_bytes = upload["partBytes"].as_u64().unwrap() as usize;
    let count = upload["partCount"].as_u64().unwrap() as u32;
    let sending = Instant::now();
    for first in (1..=count).step_by(50) {
        let numbers: Vec<u32> = (first..=count.min(first + 49)).collect();
        let urls = api(
            &client,
            &base,
            &token,
            reqwest::Method::POST,
            &format!("/api/v1/videos/{id}/upload/parts"),
            Some(json!({ "parts": numbers })),
        )
        .await;
        for part in urls["parts"].as_array().unwrap() {
            let number = part["number"].as_u64().unwrap() as usize;
            let start = (number - 1) * part_bytes;
            let end = (start + part_bytes).min(bytes.len());
            let url = part["url"].as_str().unwrap();
            let sent = client
                .put(url)
                .body(bytes[start..end].to_vec())
                .send()
                .await
                .unwrap();
            assert!(sent.status().is_success());
        }
    }
    let upload_time = sending.elapsed();
    let completed = Instant::now();
    api(
        &client,
        &base,
        &token,
        reqwest::Method::POST,
        &format!("/api/v1/videos/{id}/upload/complete"),
        None,
    )
    .await;
    loop {
        let video = api(
            &client,
            &base,
            &token,
            reqwest::Method::GET,
            &format!("/api/v1/videos/{id}"),
            None,
        )
        .await;
        match video["status"].as_str() {
            Some("READY") => break,
            Some("FAILED") => panic!("the video failed: {video}"),
            _ => tokio::time::sleep(Duration::from_millis(100)).await,
        }
        assert!(completed.elapsed() < Duration::from_secs(1800), "too slow");
    }
    let processed = completed.elapsed();
    let per_minute = processed.as_secs_f64() * 60.0 / f64::from(seconds);
    println!(
        "transcode: {seconds} s of 720p input ({:.1} MB) sent in {} parts in {:.2} s; \
         complete → ready in {:.2} s = {per_minute:.1} s per minute of input \
         (720p + 360p ladder and picture)",
        bytes.len() as f64 / 1e6,
        count,
        upload_time.as_secs_f64(),
        processed.as_secs_f64(),
    );
    println!(
        "  reference, the same file encoded once at 720p (veryfast): {:.2} s; the ladder takes {:.2}× it",
        reference.as_secs_f64(),
        processed.as_secs_f64() / reference.as_secs_f64(),
    );
    drop(server);
}
