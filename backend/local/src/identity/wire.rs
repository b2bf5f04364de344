//! The Cognito Identity Provider JSON API, as the browser app (and AWS's SDKs) call it:
//! `POST /cognito/` with `X-Amz-Target: AWSCognitoIdentityProviderService.<Operation>` and an
//! `application/x-amz-json-1.1` body; answers in Cognito's shapes, errors as
//! `{"__type": "...Exception", "message": ...}` with `x-amzn-ErrorType`.

use axum::Json;
use axum::body::Bytes;
use std::net::IpAddr;

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use cloumer_tokens::JwkSet;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::error::{CognitoError, Outcome};
use super::sessions::SignedIn;
use super::signer::TOKEN_SECONDS;
use super::{CLIENT_ID, LocalIdentity};
use crate::client::ClientAddress;

impl IntoResponse for CognitoError {
    fn into_response(self) -> Response {
        let status = if self.is_internal() {
            StatusCode::INTERNAL_SERVER_ERROR
        } else {
            StatusCode::BAD_REQUEST
        };
        let mut response = (
            status,
            amz_json(json!({ "__type": self.kind, "message": self.message })),
        )
            .into_response();
        if let Ok(value) = HeaderValue::from_str(&format!("{}:", self.kind)) {
            response.headers_mut().insert("x-amzn-ErrorType", value);
        }
        response
    }
}

fn amz_json(value: Value) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/x-amz-json-1.1")],
        value.to_string(),
    )
}

/// `<issuer>/.well-known/jwks.json`
pub(super) async fn jwks(State(identity): State<LocalIdentity>) -> Json<JwkSet> {
    Json((*identity.jwks()).clone())
}

/// `POST /cognito/`: one operation per `X-Amz-Target`.
pub(super) async fn handle(
    State(identity): State<LocalIdentity>,
    ClientAddress(client): ClientAddress,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let target = headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("AWSCognitoIdentityProviderService."))
        .unwrap_or_default()
        .to_owned();
    let outcome = match serde_json::from_slice(&body) {
        Ok(Value::Object(map)) => dispatch(&identity, &target, Value::Object(map), client).await,
        _ => Err(CognitoError::new(
            "SerializationException",
            "the request body is not a JSON object",
        )),
    };
    let mut response = match outcome {
        Ok(value) => amz_json(value).into_response(),
        Err(error) => error.into_response(),
    };
    // Answers carry tokens and where codes went: never kept by a cache.
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

async fn dispatch(
    identity: &LocalIdentity,
    target: &str,
    body: Value,
    client: Option<IpAddr>,
) -> Outcome<Value> {
    match target {
        "SignUp" => {
            let request: SignUp = read(body)?;
            check_client(request.client_id)?;
            let attributes = request
                .user_attributes
                .unwrap_or_default()
                .into_iter()
                .map(|a| (a.name.unwrap_or_default(), a.value.unwrap_or_default()))
                .collect();
            let (sub, email) = identity
                .sign_up(
                    &required(request.username, "Username")?,
                    required(request.password, "Password")?,
                    attributes,
                    client,
                )
                .await?;
            Ok(json!({
                "UserConfirmed": false,
                "UserSub": sub,
                "CodeDeliveryDetails": delivery(&email),
            }))
        }
        "ConfirmSignUp" => {
            let request: Confirm = read(body)?;
            check_client(request.client_id)?;
            identity
                .confirm_sign_up(
                    &required(request.username, "Username")?,
                    &required(request.confirmation_code, "ConfirmationCode")?,
                )
                .await?;
            Ok(json!({}))
        }
        "ResendConfirmationCode" => {
            let request: ByUsername = read(body)?;
            check_client(request.client_id)?;
            let email = identity.resend_code(&required(request.username, "Username")?, client)?;
            Ok(json!({ "CodeDeliveryDetails": delivery(&email) }))
        }
        "ForgotPassword" => {
            let request: ByUsername = read(body)?;
            check_client(request.client_id)?;
            let email =
                identity.forgot_password(&required(request.username, "Username")?, client)?;
            Ok(json!({ "CodeDeliveryDetails": delivery(&email) }))
        }
        "ConfirmForgotPassword" => {
            let request: Confirm = read(body)?;
            check_client(request.client_id)?;
            identity
                .confirm_forgot_password(
                    &required(request.username, "Username")?,
                    &required(request.confirmation_code, "ConfirmationCode")?,
                    required(request.password, "Password")?,
                )
                .await?;
            Ok(json!({}))
        }
        "InitiateAuth" => {
            let request: InitiateAuth = read(body)?;
            check_client(request.client_id)?;
            let flow = required(request.auth_flow, "AuthFlow")?;
            let parameters = request.auth_parameters.unwrap_or_default();
            let signed_in = match flow.as_str() {
                "USER_PASSWORD_AUTH" => {
                    identity
                        .password_auth(
                            &required(parameters.username, "USERNAME")?,
                            required(parameters.password, "PASSWORD")?,
                        )
                        .await?
                }
                "REFRESH_TOKEN_AUTH" | "REFRESH_TOKEN" => {
                    identity.refresh_auth(&required(parameters.refresh_token, "REFRESH_TOKEN")?)?
                }
                other => {
                    return Err(CognitoError::new(
                        "InvalidParameterException",
                        format!("Initiate Auth method not supported: {other}"),
                    ));
                }
            };
            Ok(authentication_result(signed_in))
        }
        "GetUser" => {
            let request: GetUser = read(body)?;
            let user =
                identity.user_of_access_token(&required(request.access_token, "AccessToken")?)?;
            let mut attributes = vec![
                json!({ "Name": "sub", "Value": user.sub }),
                json!({ "Name": "email_verified", "Value": "true" }),
            ];
            for (name, value) in &user.attributes {
                attributes.push(json!({ "Name": name, "Value": value }));
            }
            Ok(json!({ "Username": user.sub, "UserAttributes": attributes }))
        }
        "DeleteUser" => {
            let request: GetUser = read(body)?;
            identity.delete_user(&required(request.access_token, "AccessToken")?)?;
            Ok(json!({}))
        }
        "RevokeToken" => {
            let request: RevokeToken = read(body)?;
            check_client(request.client_id)?;
            identity.revoke_token(&required(request.token, "Token")?)?;
            Ok(json!({}))
        }
        "" => Err(CognitoError::new(
            "UnknownOperationException",
            "missing X-Amz-Target",
        )),
        _ => Err(CognitoError::new(
            "UnknownOperationException",
            format!("{target} is not supported by the local user pool"),
        )),
    }
}

fn authentication_result(signed_in: SignedIn) -> Value {
    let mut result = json!({
        "AccessToken": signed_in.tokens.access_token,
        "IdToken": signed_in.tokens.id_token,
        "ExpiresIn": TOKEN_SECONDS,
        "TokenType": "Bearer",
    });
    if let Some(refresh) = signed_in.refresh_token {
        result["RefreshToken"] = json!(refresh);
    }
    json!({ "AuthenticationResult": result, "ChallengeParameters": {} })
}

/// A request body as the operation's members; wrong types are Cognito's `SerializationException`.
fn read<T: DeserializeOwned>(body: Value) -> Outcome<T> {
    serde_json::from_value(body)
        .map_err(|e| CognitoError::new("SerializationException", e.to_string()))
}

fn required(value: Option<String>, member: &str) -> Outcome<String> {
    value.ok_or_else(|| CognitoError::missing(member))
}

fn check_client(client: Option<String>) -> Outcome<()> {
    let client = required(client, "ClientId")?;
    if client != CLIENT_ID {
        return Err(CognitoError::new(
            "ResourceNotFoundException",
            format!("User pool client {client} does not exist."),
        ));
    }
    Ok(())
}

/// `CodeDeliveryDetails`: where a code went, with the address masked as Cognito masks it.
fn delivery(email: &str) -> Value {
    json!({ "Destination": mask_email(email), "DeliveryMedium": "EMAIL", "AttributeName": "email" })
}

fn mask_email(email: &str) -> String {
    let (local, domain) = email.split_once('@').unwrap_or((email, ""));
    let first = local.chars().next().unwrap_or('*');
    let domain_first = domain.chars().next().unwrap_or('*');
    let tld = domain.rsplit_once('.').map(|(_, t)| t).unwrap_or("");
    format!("{first}***@{domain_first}***.{tld}")
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct SignUp {
    client_id: Option<String>,
    username: Option<String>,
    password: Option<String>,
    user_attributes: Option<Vec<Attribute>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Attribute {
    name: Option<String>,
    value: Option<String>,
}

/// `ConfirmSignUp` and `ConfirmForgotPassword`.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Confirm {
    client_id: Option<String>,
    username: Option<String>,
    confirmation_code: Option<String>,
    password: Option<String>,
}

/// `ResendConfirmationCode` and `ForgotPassword`.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ByUsername {
    client_id: Option<String>,
    username: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct InitiateAuth {
    client_id: Option<String>,
    auth_flow: Option<String>,
    auth_parameters: Option<AuthParameters>,
}

#[derive(Default, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
struct AuthParameters {
    username: Option<String>,
    password: Option<String>,
    refresh_token: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct GetUser {
    access_token: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RevokeToken {
    client_id: Option<String>,
    token: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delivery_details_mask_the_address_as_cognito_does() {
        assert_eq!(mask_email("alice@example.com"), "a***@e***.com");
    }
}
