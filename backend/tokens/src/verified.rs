//! Tokens this process has verified already.
//!
//! A signed-in browser sends the same ID token with every request for up to an hour, and checking
//! its RS256 signature is most of what a cheap request costs (the chat-token route spent a third
//! of its CPU there). A token whose signature and claims were verified once is remembered by its
//! SHA-256 until it expires; everything time-dependent is still checked on every use.

use std::collections::HashMap;
use std::sync::Mutex;

use cloumer_domain::Identity;
use sha2::{Digest, Sha256};

/// Tokens remembered at most; past that, expired ones are dropped and, if that is not enough,
/// all of them (a flood of distinct valid tokens only costs re-verification).
const CAPACITY: usize = 10_000;

#[derive(Default)]
pub(crate) struct VerifiedTokens {
    tokens: Mutex<HashMap<[u8; 32], Verified>>,
}

#[derive(Clone)]
pub(crate) struct Verified {
    pub identity: Identity,
    /// The token's `exp` and `nbf` (seconds since the epoch), checked on every use.
    pub expires: i64,
    pub not_before: Option<i64>,
}

impl VerifiedTokens {
    pub fn get(&self, token: &str) -> Option<Verified> {
        let tokens = self.tokens.lock().unwrap_or_else(|e| e.into_inner());
        tokens.get(&digest(token)).cloned()
    }

    pub fn keep(&self, token: &str, verified: Verified, now: i64) {
        let mut tokens = self.tokens.lock().unwrap_or_else(|e| e.into_inner());
        if tokens.len() >= CAPACITY {
            tokens.retain(|_, v| v.expires >= now);
            if tokens.len() >= CAPACITY {
                tokens.clear();
            }
        }
        tokens.insert(digest(token), verified);
    }
}

fn digest(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}
