//! The IVS Chat messaging protocol's frames, as the official SDK reads and writes them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A request from a client (a JSON text frame).
#[derive(Debug, Deserialize)]
#[serde(tag = "Action", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Request {
    #[serde(rename_all = "PascalCase")]
    SendMessage {
        request_id: Option<String>,
        content: Option<String>,
        #[serde(default)]
        attributes: Option<BTreeMap<String, String>>,
    },
    #[serde(rename_all = "PascalCase")]
    DeleteMessage {
        request_id: Option<String>,
        id: Option<String>,
        reason: Option<String>,
    },
    #[serde(rename_all = "PascalCase")]
    DisconnectUser {
        request_id: Option<String>,
        user_id: Option<String>,
        reason: Option<String>,
    },
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Sender {
    pub user_id: String,
    pub attributes: Option<BTreeMap<String, String>>,
}

/// `{"Type":"MESSAGE", ...}`
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct MessageFrame {
    pub r#type: &'static str,
    pub id: String,
    pub request_id: String,
    pub attributes: Option<BTreeMap<String, String>>,
    pub content: String,
    pub send_time: String,
    pub sender: Sender,
}

/// `{"Type":"EVENT", ...}`
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct EventFrame {
    pub r#type: &'static str,
    pub id: String,
    pub request_id: String,
    pub event_name: String,
    pub attributes: Option<BTreeMap<String, String>>,
    pub send_time: String,
}

/// `{"Type":"ERROR", ...}`
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ErrorFrame {
    pub r#type: &'static str,
    pub id: String,
    pub request_id: String,
    pub error_code: u16,
    pub error_message: String,
}

/// IVS Chat's error codes.
pub mod code {
    pub const BAD_REQUEST: u16 = 400;
    pub const UNAUTHORIZED: u16 = 401;
    pub const FORBIDDEN: u16 = 403;
    pub const NOT_FOUND: u16 = 404;
    pub const DENIED: u16 = 406;
    pub const TOO_LARGE: u16 = 413;
    pub const RATE_LIMITED: u16 = 429;
    pub const INTERNAL: u16 = 500;
}
