//! The user pool's records in the embedded store: users by email, emails by `sub`, and refresh
//! sessions. Every change to a user is read, changed and written in one write transaction, so two
//! requests racing on one account see each other's effect.

use std::collections::BTreeMap;
use std::sync::Arc;

use redb::{Database, ReadableDatabase, ReadableTable, TableDefinition};
use serde::{Deserialize, Serialize};

/// email → user
const USERS: TableDefinition<&str, &[u8]> = TableDefinition::new("identity_users");
/// sub → email
const SUBS: TableDefinition<&str, &str> = TableDefinition::new("identity_user_subs");
/// refresh token → session
const REFRESH_TOKENS: TableDefinition<&str, &[u8]> =
    TableDefinition::new("identity_refresh_tokens");

/// One account of the pool.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct UserRecord {
    pub sub: String,
    pub email: String,
    pub password_hash: String,
    pub attributes: BTreeMap<String, String>,
    pub confirmed: bool,
    /// The pending code (sign-up confirmation or password reset) and when it expires.
    pub code: Option<(String, i64)>,
    /// Wrong guesses of the pending code.
    #[serde(default)]
    pub code_guesses: u32,
    /// When codes were sent, over the last hour (sending is limited per account).
    #[serde(default)]
    pub code_sends: Vec<i64>,
    /// Wrong passwords in a row (counted before they are checked, so racing attempts all count).
    pub failed_attempts: u32,
    pub locked_until: i64,
    /// Refresh sessions of an older generation are over (a password reset starts a new one).
    #[serde(default)]
    pub session_generation: u64,
}

/// What a refresh token stands for.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RefreshSession {
    pub email: String,
    pub expires_at: i64,
    pub auth_time: i64,
    pub origin_jti: String,
    /// The user's session generation at sign-in.
    #[serde(default)]
    pub generation: u64,
}

/// The store failed underneath (always an internal error to the client).
#[derive(Debug, thiserror::Error)]
#[error("the user store failed: {0}")]
pub struct StoreError(String);

fn fail(error: impl std::fmt::Display) -> StoreError {
    StoreError(error.to_string())
}

pub type StoreResult<T> = Result<T, StoreError>;

/// The pool's tables, in the stack's one embedded store file.
#[derive(Clone)]
pub struct Users {
    db: Arc<Database>,
}

impl Users {
    /// Opens the tables, creating them on first use.
    pub fn open(db: Arc<Database>) -> StoreResult<Self> {
        let tx = db.begin_write().map_err(fail)?;
        tx.open_table(USERS).map_err(fail)?;
        tx.open_table(SUBS).map_err(fail)?;
        tx.open_table(REFRESH_TOKENS).map_err(fail)?;
        tx.commit().map_err(fail)?;
        Ok(Self { db })
    }

    pub fn get(&self, email: &str) -> StoreResult<Option<UserRecord>> {
        let tx = self.db.begin_read().map_err(fail)?;
        let table = tx.open_table(USERS).map_err(fail)?;
        let found = table.get(email).map_err(fail)?;
        found
            .map(|v| serde_json::from_slice(v.value()).map_err(fail))
            .transpose()
    }

    /// The user a `sub` (user id) belongs to.
    pub fn by_sub(&self, sub: &str) -> StoreResult<Option<UserRecord>> {
        let email = {
            let tx = self.db.begin_read().map_err(fail)?;
            let subs = tx.open_table(SUBS).map_err(fail)?;
            let found = subs.get(sub).map_err(fail)?;
            found.map(|e| e.value().to_owned())
        };
        match email {
            Some(email) => self.get(&email),
            None => Ok(None),
        }
    }

    /// Stores a new user; false (and nothing written) if the email is taken.
    pub fn insert_new(&self, user: &UserRecord) -> StoreResult<bool> {
        let tx = self.db.begin_write().map_err(fail)?;
        {
            let mut table = tx.open_table(USERS).map_err(fail)?;
            if table.get(user.email.as_str()).map_err(fail)?.is_some() {
                return Ok(false);
            }
            let bytes = serde_json::to_vec(user).map_err(fail)?;
            table
                .insert(user.email.as_str(), bytes.as_slice())
                .map_err(fail)?;
            let mut subs = tx.open_table(SUBS).map_err(fail)?;
            subs.insert(user.sub.as_str(), user.email.as_str())
                .map_err(fail)?;
        }
        tx.commit().map_err(fail)?;
        Ok(true)
    }

    /// Reads the user, lets `change` decide, and writes the user back in the same transaction.
    /// `change` sees the latest record even when requests race; what it returns is the answer,
    /// and the changed record is kept whether that answer is a success or a refusal (a failed
    /// attempt must count). `None` when there is no such user.
    pub fn update<T>(
        &self,
        email: &str,
        change: impl FnOnce(&mut UserRecord) -> T,
    ) -> StoreResult<Option<T>> {
        let tx = self.db.begin_write().map_err(fail)?;
        let answer = {
            let mut table = tx.open_table(USERS).map_err(fail)?;
            let found: Option<UserRecord> = table
                .get(email)
                .map_err(fail)?
                .map(|v| serde_json::from_slice(v.value()).map_err(fail))
                .transpose()?;
            let Some(mut user) = found else {
                return Ok(None);
            };
            let answer = change(&mut user);
            let bytes = serde_json::to_vec(&user).map_err(fail)?;
            table.insert(email, bytes.as_slice()).map_err(fail)?;
            answer
        };
        tx.commit().map_err(fail)?;
        Ok(Some(answer))
    }

    pub fn put_session(&self, token: &str, session: &RefreshSession) -> StoreResult<()> {
        let tx = self.db.begin_write().map_err(fail)?;
        {
            let mut table = tx.open_table(REFRESH_TOKENS).map_err(fail)?;
            let bytes = serde_json::to_vec(session).map_err(fail)?;
            table.insert(token, bytes.as_slice()).map_err(fail)?;
        }
        tx.commit().map_err(fail)
    }

    pub fn session(&self, token: &str) -> StoreResult<Option<RefreshSession>> {
        let tx = self.db.begin_read().map_err(fail)?;
        let table = tx.open_table(REFRESH_TOKENS).map_err(fail)?;
        let found = table.get(token).map_err(fail)?;
        found
            .map(|v| serde_json::from_slice(v.value()).map_err(fail))
            .transpose()
    }

    /// Deletes the user with every refresh session of theirs (a new user given the address
    /// later must not inherit them). False if there was no such user.
    pub fn delete(&self, email: &str) -> StoreResult<bool> {
        let tx = self.db.begin_write().map_err(fail)?;
        let found = {
            let mut table = tx.open_table(USERS).map_err(fail)?;
            let removed: Option<UserRecord> = table
                .remove(email)
                .map_err(fail)?
                .map(|v| serde_json::from_slice(v.value()).map_err(fail))
                .transpose()?;
            if let Some(user) = &removed {
                let mut subs = tx.open_table(SUBS).map_err(fail)?;
                subs.remove(user.sub.as_str()).map_err(fail)?;
                let mut sessions = tx.open_table(REFRESH_TOKENS).map_err(fail)?;
                sessions
                    .retain(|_, bytes| {
                        serde_json::from_slice::<RefreshSession>(bytes)
                            .map_or(true, |session| session.email != email)
                    })
                    .map_err(fail)?;
            }
            removed.is_some()
        };
        tx.commit().map_err(fail)?;
        Ok(found)
    }

    pub fn remove_session(&self, token: &str) -> StoreResult<()> {
        let tx = self.db.begin_write().map_err(fail)?;
        {
            let mut table = tx.open_table(REFRESH_TOKENS).map_err(fail)?;
            table.remove(token).map_err(fail)?;
        }
        tx.commit().map_err(fail)
    }
}
