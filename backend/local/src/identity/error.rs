//! The pool's refusals, named as Cognito names them (`__type`), with the messages it sends.

use super::password::HashError;
use super::users::StoreError;

/// A Cognito error: its `__type` and message.
#[derive(Debug)]
pub struct CognitoError {
    pub kind: &'static str,
    pub message: String,
}

pub type Outcome<T> = Result<T, CognitoError>;

impl CognitoError {
    pub fn new(kind: &'static str, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }

    /// A failure of ours; the cause is logged, the client hears only that it was internal.
    pub fn internal(error: impl std::fmt::Display) -> Self {
        tracing::error!(%error, "local identity failure");
        Self::new("InternalErrorException", "internal error")
    }

    pub fn is_internal(&self) -> bool {
        self.kind == "InternalErrorException"
    }

    /// A required request member is missing, worded as Cognito's validation errors are.
    pub fn missing(member: &str) -> Self {
        Self::new(
            "InvalidParameterException",
            format!(
                "1 validation error detected: Value at '{}' failed to satisfy constraint: Member must not be null",
                lower_first(member)
            ),
        )
    }
}

impl From<HashError> for CognitoError {
    fn from(error: HashError) -> Self {
        match error {
            HashError::Busy => Self::new("TooManyRequestsException", "Too many requests"),
            HashError::Failed(cause) => Self::internal(cause),
        }
    }
}

impl From<StoreError> for CognitoError {
    fn from(error: StoreError) -> Self {
        Self::internal(error)
    }
}

fn lower_first(name: &str) -> String {
    let mut chars = name.chars();
    chars
        .next()
        .map(|c| c.to_ascii_lowercase().to_string() + chars.as_str())
        .unwrap_or_default()
}
