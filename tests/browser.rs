//! The browser app in headless Chromium against the real local stack.

use std::time::Duration;

use cloumer_e2e::{Browser, TestStack};

#[tokio::test]
async fn the_app_renders_the_api_health_it_fetched() {
    let stack = TestStack::start().await.unwrap();
    let browser = Browser::launch().await.unwrap();
    browser.client.goto(&stack.url("/")).await.unwrap();
    // Only the running WebAssembly app can have written this: it fetched /api/health and
    // rendered what came back.
    let text = browser
        .wait_for_text(".api-status", "API ok (local", Duration::from_secs(20))
        .await
        .unwrap();
    assert!(text.contains(env!("CARGO_PKG_VERSION")), "{text}");
    browser.screenshot("home").await.unwrap();
    browser.close().await.unwrap();
    stack.stack.shutdown().await.unwrap();
}
