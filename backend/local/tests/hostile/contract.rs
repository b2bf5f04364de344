//! The API against its own OpenAPI document, by schemathesis: requests generated from the
//! document (valid ones must be accepted, invalid ones refused), every answer checked against
//! it (status documented, body matching its schema, no server error), signed out and signed in.

use std::process::Stdio;

use crate::helpers::spawn_app;

/// Fixed, so a failure reproduces. To widen the search, set `CLOUMER_CONTRACT_SEED` and
/// `CLOUMER_CONTRACT_EXAMPLES` (see the README's "The API's contract").
const SEED: &str = "20261130";
const EXAMPLES: &str = "50";

fn setting(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}

/// Item 18: the document left out the 400 answers and the constraints the handlers enforce
/// (handle and id patterns, lengths, minimums), so a generated client was wrong about what is
/// valid; schemathesis found 16 failures in it.
#[tokio::test]
async fn the_api_keeps_the_contract_its_openapi_document_states() {
    let app = spawn_app().await;
    let user = app
        .user("contract@example.com", "contract", "Contract")
        .await;
    // Someone else to find: handles and user ids that exist.
    app.user("other@example.com", "someone_else", "Other").await;
    let document = app.url("/api/openapi.json");
    // schemathesis keeps a cache where it runs: not in the checkout, and one for each run.
    let scratch = tempfile::tempdir().unwrap();
    for who in ["signed out", "signed in"] {
        std::fs::create_dir(scratch.path().join(who)).unwrap();
    }
    let base = app.stack.url();
    let runs = [
        ("signed out", None),
        (
            "signed in",
            Some(format!("Authorization: Bearer {}", user.token)),
        ),
    ];
    let seed = setting("CLOUMER_CONTRACT_SEED", SEED);
    let examples = setting("CLOUMER_CONTRACT_EXAMPLES", EXAMPLES);
    // Both at once: each is one Python process, most of the suite's time, on a machine with
    // cores to spare by then.
    let checked = runs.into_iter().map(|(who, header)| {
        let mut command = tokio::process::Command::new("schemathesis");
        command
            .arg("--config-file")
            .arg(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/hostile/schemathesis.toml"
            ))
            .args(["run", &document, "--url", &base, "--checks", "all"])
            .args(["--max-examples", &examples, "--seed", &seed, "--no-color"])
            .env("SCHEMATHESIS_TELEMETRY", "false")
            .current_dir(scratch.path().join(who))
            .stdin(Stdio::null());
        if let Some(header) = &header {
            // Signed in, deleting the account (a fresh sign-in may) would leave the rest of
            // the run nothing but 401s; signed out it is still checked, and the deletion itself
            // is tested over HTTP (api/account_deletion.rs).
            command.args(["--header", header, "--exclude-operation-id", "delete_me"]);
        }
        async move {
            let output = command.output().await.expect(
                "schemathesis runs (cargo xtask setup installs it; cargo xtask test puts it on PATH)",
            );
            (who, output)
        }
    });
    for (who, output) in futures_util::future::join_all(checked).await {
        assert!(
            output.status.success(),
            "schemathesis, {who}, seed {seed}:\n{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}
