//! The Cognito-compatible identity stand-in and token checks at the API.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::json;

use crate::helpers::{PASSWORD, spawn_app};

#[tokio::test]
async fn sign_up_refuses_bad_emails_weak_passwords_unknown_attributes_and_duplicates() {
    let app = spawn_app().await;
    let reply = app.sign_up("not-an-email", "alice", "Alice").await;
    assert_eq!(reply.status, 400);
    assert_eq!(reply.body["__type"], "InvalidParameterException");

    let reply = app
        .cognito(
            "SignUp",
            json!({"ClientId": app.client_id(), "Username": "a@example.com", "Password": "short"}),
        )
        .await;
    assert_eq!(reply.body["__type"], "InvalidPasswordException");
    assert!(
        reply.body["message"]
            .as_str()
            .unwrap()
            .contains("not long enough")
    );

    let reply = app
        .cognito(
            "SignUp",
            json!({"ClientId": app.client_id(), "Username": "a@example.com", "Password": PASSWORD,
                   "UserAttributes": [{"Name": "custom:role", "Value": "admin"}]}),
        )
        .await;
    assert_eq!(reply.body["__type"], "InvalidParameterException");

    let reply = app
        .cognito(
            "SignUp",
            json!({"ClientId": "someone-else", "Username": "a@example.com", "Password": PASSWORD}),
        )
        .await;
    assert_eq!(reply.body["__type"], "ResourceNotFoundException");

    let first = app.sign_up("Alice@Example.com", "alice", "Alice").await;
    assert_eq!(first.status, 200, "{}", first.text);
    assert_eq!(first.body["UserConfirmed"], false);
    assert_eq!(
        first.body["CodeDeliveryDetails"]["Destination"],
        "a***@e***.com"
    );
    let again = app.sign_up("alice@example.com", "alice2", "Alice").await;
    assert_eq!(again.body["__type"], "UsernameExistsException");
    assert_eq!(
        again.status, 400,
        "Cognito answers client errors with status 400"
    );
}

#[tokio::test]
async fn confirmation_needs_the_right_code_and_sign_in_needs_confirmation() {
    let app = spawn_app().await;
    app.sign_up("bob@example.com", "bob", "Bob").await;
    let before = app.sign_in("bob@example.com", PASSWORD).await;
    assert_eq!(before.body["__type"], "UserNotConfirmedException");

    let code = app
        .stack
        .identity()
        .pending_code("bob@example.com")
        .unwrap();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let reply = app
        .cognito("ConfirmSignUp", json!({"ClientId": app.client_id(), "Username": "bob@example.com", "ConfirmationCode": wrong}))
        .await;
    assert_eq!(reply.body["__type"], "CodeMismatchException");
    let reply = app
        .cognito("ConfirmSignUp", json!({"ClientId": app.client_id(), "Username": "bob@example.com", "ConfirmationCode": code}))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let reply = app
        .cognito("ConfirmSignUp", json!({"ClientId": app.client_id(), "Username": "bob@example.com", "ConfirmationCode": code}))
        .await;
    // The code is used up; saying "already confirmed" would tell strangers the account exists.
    assert_eq!(reply.body["__type"], "CodeMismatchException");

    // Confirmation created the channel with the chosen handle, as the post-confirmation trigger does.
    let page = app.get("/api/v1/channels/bob", None).await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert_eq!(page.body["ownerNickname"], "Bob");

    let wrong_password = app.sign_in("bob@example.com", "Wrong-Horse-9").await;
    assert_eq!(wrong_password.body["__type"], "NotAuthorizedException");
    assert_eq!(
        wrong_password.body["message"],
        "Incorrect username or password."
    );
    // An unknown user gets the same answer: no user enumeration.
    let unknown = app.sign_in("nobody@example.com", PASSWORD).await;
    assert_eq!(unknown.body["message"], "Incorrect username or password.");
    let ok = app.sign_in("BOB@example.com", PASSWORD).await;
    assert_eq!(ok.status, 200);
    assert_eq!(ok.body["AuthenticationResult"]["TokenType"], "Bearer");
    assert_eq!(ok.body["AuthenticationResult"]["ExpiresIn"], 3600);
}

#[tokio::test]
async fn tokens_have_cognito_claims_refresh_and_revoke() {
    let app = spawn_app().await;
    let user = app.user("carol@example.com", "carol", "캐롤").await;
    let payload = user.token.split('.').nth(1).unwrap();
    let claims: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
    assert_eq!(claims["token_use"], "id");
    assert_eq!(claims["aud"], app.client_id());
    assert_eq!(claims["email"], "carol@example.com");
    assert_eq!(claims["preferred_username"], "carol");
    assert_eq!(claims["cognito:username"], claims["sub"]);
    assert!(
        claims["iss"]
            .as_str()
            .unwrap()
            .ends_with("/cognito/local_cloumer")
    );

    // The key set is published where Cognito publishes it.
    let jwks = app
        .get("/cognito/local_cloumer/.well-known/jwks.json", None)
        .await;
    assert_eq!(jwks.body["keys"][0]["kty"], "RSA");
    assert_eq!(jwks.body["keys"][0]["alg"], "RS256");

    // The access token works for the API too, and for GetUser.
    let me = app.get("/api/v1/me", Some(&user.access_token)).await;
    assert_eq!(me.status, 200, "{}", me.text);
    let got = app
        .cognito("GetUser", json!({"AccessToken": user.access_token}))
        .await;
    assert_eq!(got.status, 200, "{}", got.text);
    assert!(
        got.body["UserAttributes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["Name"] == "nickname" && a["Value"] == "캐롤")
    );
    let id_as_access = app
        .cognito("GetUser", json!({"AccessToken": user.token}))
        .await;
    assert_eq!(id_as_access.body["__type"], "NotAuthorizedException");

    let refreshed = app
        .cognito(
            "InitiateAuth",
            json!({"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": app.client_id(), "AuthParameters": {"REFRESH_TOKEN": user.refresh_token}}),
        )
        .await;
    assert_eq!(refreshed.status, 200, "{}", refreshed.text);
    assert!(refreshed.body["AuthenticationResult"]["RefreshToken"].is_null());
    let new_token = refreshed.body["AuthenticationResult"]["IdToken"]
        .as_str()
        .unwrap();
    assert_eq!(app.get("/api/v1/me", Some(new_token)).await.status, 200);

    let revoked = app
        .cognito(
            "RevokeToken",
            json!({"ClientId": app.client_id(), "Token": user.refresh_token}),
        )
        .await;
    assert_eq!(revoked.status, 200);
    let after = app
        .cognito(
            "InitiateAuth",
            json!({"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": app.client_id(), "AuthParameters": {"REFRESH_TOKEN": user.refresh_token}}),
        )
        .await;
    assert_eq!(after.body["__type"], "NotAuthorizedException");
}

#[tokio::test]
async fn the_api_refuses_missing_malformed_and_forged_tokens() {
    let app = spawn_app().await;
    let user = app.user("dave@example.com", "dave", "Dave").await;
    let reply = app.get("/api/v1/me", None).await;
    assert_eq!(
        (reply.status.as_u16(), reply.code()),
        (401, "unauthenticated")
    );
    let reply = app.get("/api/v1/me", Some("garbage")).await;
    assert_eq!(
        (reply.status.as_u16(), reply.code()),
        (401, "invalid_token")
    );
    // A token with a changed payload no longer matches its signature.
    let mut parts: Vec<&str> = user.token.split('.').collect();
    let forged_payload = URL_SAFE_NO_PAD.encode(br#"{"sub":"someone-else","token_use":"id"}"#);
    parts[1] = &forged_payload;
    let reply = app.get("/api/v1/me", Some(&parts.join("."))).await;
    assert_eq!(reply.status, 401);
    // Public pages accept no token, but a bad one is reported so the client refreshes it.
    assert_eq!(app.get("/api/v1/channels/dave", None).await.status, 200);
    assert_eq!(
        app.get("/api/v1/channels/dave", Some("garbage"))
            .await
            .status,
        401
    );
    let reply = app
        .client
        .get(app.url("/api/v1/me"))
        .header("Authorization", "Basic abc")
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 401);
}

#[tokio::test]
async fn unknown_operations_and_bodies_get_cognito_errors() {
    let app = spawn_app().await;
    let reply = app.cognito("AdminDeleteUser", json!({})).await;
    assert_eq!(reply.body["__type"], "UnknownOperationException");
    let response = app
        .client
        .post(app.url("/cognito/"))
        .header("X-Amz-Target", "AWSCognitoIdentityProviderService.SignUp")
        .body("[1,2")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    assert_eq!(
        response.headers()["content-type"],
        "application/x-amz-json-1.1"
    );
}
