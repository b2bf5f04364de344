//! The signed-in session: Cognito tokens kept in local storage and refreshed before they expire.

pub mod cognito;

use leptos::prelude::*;

pub use cognito::{Cognito, CognitoError, Tokens};

use crate::json::Json;

const STORAGE_KEY: &str = "cloumer.session";
/// Tokens are refreshed when less than this is left.
const REFRESH_MARGIN_MS: f64 = 5.0 * 60_000.0;

/// Who is signed in, from the ID token's claims (for display only: the API verifies tokens).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    pub sub: String,
    pub email: String,
    pub preferred_username: String,
    pub nickname: String,
    /// In the user pool's staff group (`cognito:groups`): the app shows the reports queue. The
    /// API decides who may read it; this only decides what to show.
    pub staff: bool,
}

impl User {
    fn from_claims(claims: &Json) -> Option<Self> {
        let text = |name: &str| claims.get(name).string().unwrap_or_default();
        let staff = claims
            .get("cognito:groups")
            .items()
            .unwrap_or_default()
            .iter()
            .any(|group| group.string().as_deref() == Some("staff"));
        Some(Self {
            sub: claims.get("sub").string()?,
            email: text("email"),
            preferred_username: text("preferred_username"),
            nickname: text("nickname"),
            staff,
        })
    }
}

/// The payload of a JWT, unchecked (the server checks tokens): UTF-8 JSON text.
pub fn jwt_payload(token: &str) -> Option<String> {
    let payload = token.split('.').nth(1)?;
    String::from_utf8(base64url_decode(payload)?).ok()
}

fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let mut bits: u32 = 0;
    let mut count = 0;
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    for byte in text.bytes() {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            b'=' => continue,
            _ => return None,
        };
        bits = (bits << 6) | u32::from(value);
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    Some(out)
}

/// The session, shared by the whole app.
#[derive(Clone, Copy)]
pub struct Session {
    tokens: RwSignal<Option<Tokens>>,
    cognito: StoredValue<Cognito>,
}

impl Session {
    pub fn cognito(&self) -> Cognito {
        self.cognito.get_value()
    }

    pub fn user(&self) -> Option<User> {
        self.tokens
            .with(|t| t.as_ref().and_then(|t| jwt_payload(&t.id_token)))
            .and_then(|payload| User::from_claims(&Json::parse(&payload)?))
    }

    pub fn signed_in(&self) -> bool {
        self.tokens.with(Option::is_some)
    }

    pub fn store(&self, tokens: Tokens) {
        if let Some(storage) = crate::browser::local_storage() {
            let _ = storage.set_item(STORAGE_KEY, &tokens.to_json().stringify());
        }
        self.tokens.set(Some(tokens));
    }

    fn clear(&self) {
        if let Some(storage) = crate::browser::local_storage() {
            let _ = storage.remove_item(STORAGE_KEY);
        }
        self.tokens.set(None);
    }

    /// Signs out here and revokes the refresh token at the identity provider.
    pub fn sign_out(&self) {
        let refresh = self
            .tokens
            .with_untracked(|t| t.as_ref().map(|t| t.refresh_token.clone()));
        self.clear();
        if let Some(refresh) = refresh {
            let cognito = self.cognito();
            leptos::task::spawn_local(async move {
                let _ = cognito.revoke(&refresh).await;
            });
        }
    }

    /// The platform says this user's account was deleted, yet this sign-in outlived it (the
    /// deletion was cut short before the sign-in's own part: a closed tab, a lost connection).
    /// Finishes it: deletes the sign-in at the identity provider (the refresh token goes with
    /// it), and signs out here. The address may then sign up afresh.
    pub async fn account_deleted(&self) {
        let access = self
            .tokens
            .with_untracked(|t| t.as_ref().map(|t| t.access_token.clone()));
        if let Some(access) = access {
            let _ = self.cognito().delete_user(&access).await;
        }
        self.clear();
    }

    /// Swaps the tokens for fresh ones; signs out if the refresh token is no longer accepted.
    pub async fn refresh(&self) -> bool {
        let Some(current) = self.tokens.get_untracked() else {
            return false;
        };
        match self.cognito().refresh(&current.refresh_token).await {
            Ok(tokens) => {
                self.store(tokens);
                true
            }
            Err(error) if error.kind == "NetworkError" => false,
            Err(_) => {
                self.clear();
                false
            }
        }
    }

    /// A usable ID token, refreshed first if it is about to expire.
    pub async fn id_token(&self) -> Option<String> {
        let tokens = self.tokens.get_untracked()?;
        if tokens.expires_at_ms - crate::browser::now_ms() < REFRESH_MARGIN_MS
            && !self.refresh().await
        {
            return self.tokens.get_untracked().map(|t| t.id_token);
        }
        self.tokens.get_untracked().map(|t| t.id_token)
    }

    /// Refreshes in the background before expiry, so a page left open stays signed in.
    pub fn keep_fresh(self) {
        set_interval(
            move || {
                let due = self.tokens.with_untracked(|t| {
                    t.as_ref()
                        .map(|t| t.expires_at_ms - crate::browser::now_ms() < REFRESH_MARGIN_MS)
                });
                if due == Some(true) {
                    leptos::task::spawn_local(async move {
                        self.refresh().await;
                    });
                }
            },
            std::time::Duration::from_secs(60),
        );
    }
}

pub fn provide_session(cognito: Cognito) -> Session {
    let stored: Option<Tokens> = crate::browser::local_storage()
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
        .and_then(|text| Tokens::from_json(&Json::parse(&text)?));
    let session = Session {
        tokens: RwSignal::new(stored),
        cognito: StoredValue::new(cognito),
    };
    provide_context(session);
    session.keep_fresh();
    session
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jwt_payloads_decode_without_padding() {
        let payload = "eyJzdWIiOiJ1LTEiLCJlbWFpbCI6ImFAYi5jIiwibmlja25hbWUiOiLslajrpqzsiqQifQ";
        assert_eq!(
            jwt_payload(&format!("header.{payload}.signature")).as_deref(),
            Some(r#"{"sub":"u-1","email":"a@b.c","nickname":"앨리스"}"#)
        );
        assert!(jwt_payload("no-dots").is_none());
        assert!(jwt_payload("a.!!!.c").is_none());
    }
}
