//! The local user pool (the Cognito stand-in): sign-in, codes, sessions, floods.

use std::time::{Duration, Instant};

use futures_util::future::join_all;
use serde_json::json;

use crate::helpers::{PASSWORD, TestApp, spawn_app};

fn kind(reply: &crate::helpers::Reply) -> String {
    reply.body["__type"].as_str().unwrap_or_default().to_owned()
}

async fn sign_in(app: &TestApp, email: &str, password: &str) -> crate::helpers::Reply {
    app.sign_in(email, password).await
}

async fn confirm(app: &TestApp, email: &str, code: &str) -> crate::helpers::Reply {
    app.cognito(
        "ConfirmSignUp",
        json!({"ClientId": app.client_id(), "Username": email, "ConfirmationCode": code}),
    )
    .await
}

/// A code that is not the pending one.
fn wrong_code(app: &TestApp, email: &str) -> String {
    let right = app.stack.identity().pending_code(email).unwrap_or_default();
    if right == "000000" {
        "111111"
    } else {
        "000000"
    }
    .to_owned()
}

/// Item 5: the lockout was read, awaited and written: 40 racing sign-ins had 39 wrong passwords
/// checked and let the right one in.
#[tokio::test]
async fn the_lockout_holds_when_sign_ins_race() {
    let app = spawn_app().await;
    app.user("race@example.com", "racer", "Racer").await;
    let attempts = (0..40).map(|i| {
        let password = if i == 39 {
            PASSWORD.to_owned()
        } else {
            format!("Wrong-{i}-Pass!")
        };
        let app = &app;
        async move { sign_in(app, "race@example.com", &password).await }
    });
    let replies = join_all(attempts).await;
    let checked = replies
        .iter()
        .filter(|r| r.body["message"] == "Incorrect username or password.")
        .count();
    assert!(checked <= 5, "{checked} wrong passwords were checked");
    assert!(replies.iter().all(|r| r.status != 500));
    let after = sign_in(&app, "race@example.com", PASSWORD).await;
    assert_eq!(
        after.body["message"], "Password attempts exceeded",
        "locked: {}",
        after.text
    );
}

/// Item 6: codes could be guessed in parallel past the limit, and resent without end (200 resends
/// gave 134 guesses).
#[tokio::test]
async fn confirmation_codes_cannot_be_guessed_in_parallel_or_by_resending() {
    let app = spawn_app().await;
    assert_eq!(
        app.sign_up("guess@example.com", "guessed", "G")
            .await
            .status,
        200
    );
    let wrong = wrong_code(&app, "guess@example.com");
    let replies = join_all((0..40).map(|_| confirm(&app, "guess@example.com", &wrong))).await;
    let guesses = replies
        .iter()
        .filter(|r| kind(r) == "CodeMismatchException")
        .count();
    assert!(guesses <= 5, "{guesses} guesses of one code were checked");

    let mut checked = guesses;
    let mut resent = 0;
    for _ in 0..20 {
        let reply = app
            .cognito(
                "ResendConfirmationCode",
                json!({"ClientId": app.client_id(), "Username": "guess@example.com"}),
            )
            .await;
        if reply.status != 200 {
            assert_eq!(kind(&reply), "LimitExceededException", "{}", reply.text);
            continue;
        }
        resent += 1;
        let wrong = wrong_code(&app, "guess@example.com");
        for _ in 0..6 {
            if kind(&confirm(&app, "guess@example.com", &wrong).await) == "CodeMismatchException" {
                checked += 1;
            }
        }
    }
    assert!(resent <= 5, "{resent} codes resent in an hour");
    assert!(checked <= 30, "{checked} guesses in an hour");
}

/// Item 6: one client cannot have codes sent to many accounts.
#[tokio::test]
async fn one_client_cannot_send_codes_without_end() {
    let app = spawn_app().await;
    let mut limited = false;
    for i in 0..40 {
        let email = format!("spam{i}@example.com");
        let reply = app
            .cognito(
                "ForgotPassword",
                json!({"ClientId": app.client_id(), "Username": email}),
            )
            .await;
        if kind(&reply) == "LimitExceededException" {
            limited = true;
            break;
        }
        assert_eq!(reply.status, 200, "{}", reply.text);
    }
    assert!(limited, "code requests from one client are limited");
}

/// Item 7: confirmation, resending and password reset told unknown emails apart (the cloud pool
/// hides this: PreventUserExistenceErrors).
#[tokio::test]
async fn unknown_and_known_emails_get_the_same_answers() {
    let app = spawn_app().await;
    app.user("known@example.com", "known", "Known").await;
    assert_eq!(
        app.sign_up("pending@example.com", "pending", "P")
            .await
            .status,
        200
    );
    let answer = |reply: crate::helpers::Reply| (reply.status.as_u16(), kind(&reply));
    for email in [
        "known@example.com",
        "pending@example.com",
        "nobody@example.com",
    ] {
        let id = app.client_id();
        let resend = app
            .cognito(
                "ResendConfirmationCode",
                json!({"ClientId": id, "Username": email}),
            )
            .await;
        assert_eq!(
            answer(resend.clone()),
            (200, String::new()),
            "{email}: {}",
            resend.text
        );
        assert_eq!(
            resend.body["CodeDeliveryDetails"]["DeliveryMedium"], "EMAIL",
            "{email}"
        );
        let forgot = app
            .cognito("ForgotPassword", json!({"ClientId": id, "Username": email}))
            .await;
        assert_eq!(answer(forgot), (200, String::new()), "{email}");
        let confirm_reset = app
            .cognito(
                "ConfirmForgotPassword",
                json!({"ClientId": id, "Username": email, "ConfirmationCode": "000001",
                    "Password": "Another-Pass-9"}),
            )
            .await;
        assert_eq!(
            answer(confirm_reset),
            (400, "CodeMismatchException".to_owned()),
            "{email}"
        );
    }
    for email in ["pending@example.com", "nobody@example.com"] {
        let wrong = wrong_code(&app, email);
        assert_eq!(
            answer(confirm(&app, email, &wrong).await),
            (400, "CodeMismatchException".to_owned()),
            "{email}"
        );
    }
}

/// Item 7: an unknown email was answered ~20× faster than a wrong password (no hash to check).
#[tokio::test]
async fn signing_in_as_nobody_takes_as_long_as_a_wrong_password() {
    let app = spawn_app().await;
    app.user("real@example.com", "real", "Real").await;
    let median = async |email: &str| {
        let mut times = Vec::new();
        for i in 0..5 {
            let started = Instant::now();
            let reply = sign_in(&app, email, &format!("Wrong-{i}-Pass!")).await;
            times.push(started.elapsed());
            assert_eq!(reply.body["message"], "Incorrect username or password.");
        }
        times.sort();
        times[2]
    };
    // Wrong passwords lock after five: use a second account for the rest.
    app.user("real2@example.com", "real2", "Real").await;
    let known = median("real@example.com").await;
    let unknown = median("nobody@example.com").await;
    let ratio = unknown.as_secs_f64() / known.as_secs_f64();
    assert!(
        (0.4..2.5).contains(&ratio),
        "unknown {unknown:?} vs known {known:?}"
    );
}

/// Item 8: a refresh token kept working after the password was reset.
#[tokio::test]
async fn a_password_reset_ends_every_session() {
    let app = spawn_app().await;
    let user = app.user("reset@example.com", "resetter", "R").await;
    let forgot = app
        .cognito(
            "ForgotPassword",
            json!({"ClientId": app.client_id(), "Username": "reset@example.com"}),
        )
        .await;
    assert_eq!(forgot.status, 200);
    let code = app
        .stack
        .identity()
        .pending_code("reset@example.com")
        .unwrap();
    let reset = app
        .cognito(
            "ConfirmForgotPassword",
            json!({"ClientId": app.client_id(), "Username": "reset@example.com",
                "ConfirmationCode": code, "Password": "Brand-New-Pass-7"}),
        )
        .await;
    assert_eq!(reset.status, 200, "{}", reset.text);
    let refresh = app
        .cognito(
            "InitiateAuth",
            json!({"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": app.client_id(),
                "AuthParameters": {"REFRESH_TOKEN": user.refresh_token}}),
        )
        .await;
    assert_eq!(kind(&refresh), "NotAuthorizedException", "{}", refresh.text);
    assert_eq!(
        sign_in(&app, "reset@example.com", "Brand-New-Pass-7")
            .await
            .status,
        200
    );
}

/// Item 9: every sign-in hashed at once (~19 MiB each): a flood could exhaust memory. A flood
/// is now throttled, as Cognito throttles.
#[tokio::test]
async fn a_sign_in_flood_is_throttled() {
    let app = spawn_app().await;
    app.user("flood@example.com", "flooded", "F").await;
    let replies = join_all((0..80).map(|i| {
        let app = &app;
        async move { sign_in(app, &format!("user{i}@example.com"), "Wrong-Pass-1!").await }
    }))
    .await;
    assert!(replies.iter().all(|r| r.status != 500));
    assert!(
        replies
            .iter()
            .any(|r| kind(r) == "TooManyRequestsException"),
        "a flood is throttled"
    );
    // The pool still answers afterwards.
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        sign_in(&app, "flood@example.com", PASSWORD).await.status,
        200
    );
}
