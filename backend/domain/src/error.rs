//! Errors of the domain and of its ports.

use std::error::Error as StdError;

use time::OffsetDateTime;

type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// Why a use case refused or failed. Each variant has one meaning for every transport: the HTTP
/// layer maps them to statuses, the chat server to IVS Chat error codes.
#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    /// The input breaks a rule. `code` is stable (for programs), `message` is for people.
    #[error("{message}")]
    Invalid { code: &'static str, message: String },
    /// The caller must sign in.
    #[error("sign in to do this")]
    Unauthenticated,
    /// The caller's token is of an account that was deleted: its sign-in may outlive it (a
    /// deletion cut short before the identity provider's part), and the client should finish it.
    #[error("this account was deleted")]
    AccountDeleted,
    /// The caller is signed in but may not do this.
    #[error("{0}")]
    Forbidden(&'static str),
    /// The caller is banned from the channel.
    #[error("you are banned from this channel")]
    Banned { until: Option<OffsetDateTime> },
    /// The caller did this too often; they may again in `retry_after_seconds` (at least one).
    #[error("too many requests; try again in {}", in_words(*.retry_after_seconds))]
    RateLimited { retry_after_seconds: u64 },
    /// What the caller asked about does not exist (or is not theirs to see).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The request conflicts with the current state, e.g. a handle that is taken.
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    /// A dependency (store, video or chat service) failed. Details are logged, not shown.
    #[error(transparent)]
    Port(#[from] PortError),
}

impl DomainError {
    pub fn invalid(code: &'static str, message: impl Into<String>) -> Self {
        Self::Invalid {
            code,
            message: message.into(),
        }
    }

    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        Self::Conflict {
            code,
            message: message.into(),
        }
    }

    /// Refused by a rate limit whose next turn comes after `wait`, in whole seconds rounded up
    /// (never zero: a client told to retry at once would).
    pub fn rate_limited(wait: time::Duration) -> Self {
        let nanos = u128::try_from(wait.whole_nanoseconds()).unwrap_or(0).max(1);
        let seconds = nanos.div_ceil(1_000_000_000);
        Self::RateLimited {
            retry_after_seconds: u64::try_from(seconds).unwrap_or(u64::MAX),
        }
    }
}

/// `seconds` as a person says a wait: "40 seconds", "12 minutes", "2 hours" (rounded up).
fn in_words(seconds: u64) -> String {
    let (count, unit) = match seconds {
        0..=59 => (seconds, "second"),
        60..=3599 => (seconds.div_ceil(60), "minute"),
        _ => (seconds.div_ceil(3600), "hour"),
    };
    let plural = if count == 1 { "" } else { "s" };
    format!("{count} {unit}{plural}")
}

/// A failure inside an adapter: the operation that failed and its cause.
#[derive(Debug, thiserror::Error)]
#[error("{operation} failed")]
pub struct PortError {
    pub operation: &'static str,
    #[source]
    pub source: BoxError,
}

impl PortError {
    pub fn new(operation: &'static str, source: impl Into<BoxError>) -> Self {
        Self {
            operation,
            source: source.into(),
        }
    }
}

/// Extension to attach an operation name to any adapter error.
pub trait PortContext<T> {
    fn port(self, operation: &'static str) -> Result<T, PortError>;
}

impl<T, E: Into<BoxError>> PortContext<T> for Result<T, E> {
    fn port(self, operation: &'static str) -> Result<T, PortError> {
        self.map_err(|e| PortError::new(operation, e))
    }
}

/// Why a conditional store write did not happen.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// Another channel already has this handle.
    #[error("handle taken")]
    HandleTaken,
    /// The user already has a channel.
    #[error("channel exists")]
    ChannelExists,
    /// The record changed since it was read; read again and retry.
    #[error("version mismatch")]
    VersionMismatch,
    #[error(transparent)]
    Port(#[from] PortError),
}

impl From<WriteError> for DomainError {
    /// For writes whose caller does not retry: a racing write is a conflict to try again.
    fn from(error: WriteError) -> Self {
        match error {
            WriteError::Port(e) => Self::Port(e),
            WriteError::HandleTaken => Self::conflict("handle_taken", "that handle is taken"),
            WriteError::ChannelExists => Self::conflict("channel_exists", "you have a channel"),
            WriteError::VersionMismatch => Self::conflict(
                "changed_meanwhile",
                "it changed while you were changing it; try again",
            ),
        }
    }
}

pub type DomainResult<T> = Result<T, DomainError>;
pub type PortResult<T> = Result<T, PortError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rate_limit_says_when_in_words_a_person_uses() {
        let said = |wait| DomainError::rate_limited(wait).to_string();
        assert_eq!(
            said(time::Duration::milliseconds(1)),
            "too many requests; try again in 1 second"
        );
        assert_eq!(
            said(time::Duration::seconds(40)),
            "too many requests; try again in 40 seconds"
        );
        assert_eq!(
            said(time::Duration::seconds(61)),
            "too many requests; try again in 2 minutes"
        );
        assert_eq!(
            said(time::Duration::minutes(12)),
            "too many requests; try again in 12 minutes"
        );
        assert_eq!(
            said(time::Duration::minutes(90)),
            "too many requests; try again in 2 hours"
        );
        assert!(matches!(
            DomainError::rate_limited(time::Duration::ZERO),
            DomainError::RateLimited {
                retry_after_seconds: 1
            }
        ));
    }
}
