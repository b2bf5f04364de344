//! The IVS Chat message-review handler: every message sent to a room passes through here
//! before delivery. It must answer well within IVS's 200 ms; on an error or a timeout the room's
//! fallback result (ALLOW) applies.

use std::collections::BTreeMap;

use cloumer_domain::ids::{MessageId, UserId};
use cloumer_domain::use_cases::message_review::{ReviewInput, Verdict};
use cloumer_domain::{DomainError, Platform};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ReviewRequest {
    pub content: String,
    pub message_id: String,
    pub room_arn: String,
    #[serde(default)]
    pub attributes: Option<BTreeMap<String, String>>,
    pub sender: ReviewSender,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ReviewSender {
    #[serde(default)]
    pub attributes: Option<BTreeMap<String, String>>,
    pub user_id: String,
    #[serde(default)]
    pub ip: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ReviewResponse {
    /// `ALLOW` or `DENY`.
    pub review_result: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attributes: Option<BTreeMap<String, String>>,
}

impl ReviewResponse {
    /// Not delivered. Also the answer when a message could not be checked in time: a message
    /// that skipped the ban list and word filter must not reach the room (fail closed).
    pub fn deny() -> Self {
        Self {
            review_result: "DENY",
            content: None,
            attributes: None,
        }
    }
}

pub async fn handle(
    platform: &Platform,
    request: ReviewRequest,
) -> Result<ReviewResponse, DomainError> {
    let input = ReviewInput {
        room_arn: request.room_arn,
        message_id: MessageId::parse(&request.message_id)?,
        sender: UserId::parse(&request.sender.user_id)?,
        sender_attributes: request.sender.attributes.unwrap_or_default(),
        content: request.content,
        attributes: request.attributes.unwrap_or_default(),
        // IVS stamps its own SendTime on delivery; history keeps the moment we allowed it.
        sent_at: platform.now(),
    };
    Ok(match platform.review_message(input).await? {
        Verdict::Allow(message) => {
            // Kept before IVS delivers it: history never misses a message a viewer saw.
            platform
                .keep_messages(std::slice::from_ref(&message))
                .await?;
            ReviewResponse {
                review_result: "ALLOW",
                content: Some(message.content),
                attributes: Some(message.attributes),
            }
        }
        Verdict::Deny(reason) => {
            tracing::info!(reason = reason.message(), "message denied");
            ReviewResponse::deny()
        }
    })
}
