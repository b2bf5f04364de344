//! AWS's official IVS Chat SDK (npm `amazon-ivs-chat-messaging`) against the local chat server:
//! connect with tokens from our API, send, receive, delete and disconnect (as the owner and as a
//! moderator), and error codes.

#[path = "api/helpers.rs"]
#[allow(dead_code)]
mod helpers;

use std::path::PathBuf;

use helpers::spawn_app;

#[tokio::test]
async fn the_official_ivs_chat_sdk_works_against_the_local_chat_server() {
    let app = spawn_app().await;
    let owner = app
        .user("sdk-owner@example.com", "sdkroom", "SDK Owner")
        .await;
    let viewer = app
        .user("sdk-viewer@example.com", "sdkviewer", "SDK Viewer")
        .await;
    let moderator = app
        .user("sdk-mod@example.com", "sdkmod", "SDK Moderator")
        .await;
    let appointed = app
        .put(
            "/api/v1/me/channel/moderators/sdkmod",
            owner.auth(),
            serde_json::Value::Null,
        )
        .await;
    assert_eq!(appointed.status, 200, "{}", appointed.text);
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let node_modules = repo.join("node_modules");
    assert!(
        node_modules.join("amazon-ivs-chat-messaging").is_dir(),
        "npm packages are missing: run `cargo xtask setup`"
    );
    let output = tokio::process::Command::new("node")
        .arg(repo.join("backend/local/tests/sdk/ivs-chat-sdk.cjs"))
        .env("NODE_PATH", &node_modules)
        .env("CLOUMER_URL", app.stack.url())
        .env("HANDLE", "sdkroom")
        .env("OWNER_TOKEN", &owner.token)
        .env("VIEWER_TOKEN", &viewer.token)
        .env("MODERATOR_TOKEN", &moderator.token)
        .env("VIEWER_USER_ID", &viewer.user_id)
        .output()
        .await
        .expect("node is installed");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the SDK script failed:\n{stdout}\n{stderr}"
    );
    let report: serde_json::Value =
        serde_json::from_str(stdout.trim().lines().last().unwrap()).unwrap();
    assert_eq!(report["ok"], true);
    // The message the SDK sent is in history, then deleted by the SDK: gone.
    let history = app
        .get("/api/v1/channels/sdkroom/chat/messages", None)
        .await;
    let ids: Vec<&str> = history.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert!(!ids.contains(&report["messageId"].as_str().unwrap()));
    assert!(!ids.contains(&report["moderatorDeletedId"].as_str().unwrap()));
}
