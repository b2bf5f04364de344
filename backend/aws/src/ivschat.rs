//! Amazon IVS Chat as the [`ChatService`]: a room per channel (named with our channel id) whose
//! messages pass the `chat-review` Lambda, tokens with server-chosen capabilities, and moderation.

use std::collections::BTreeMap;
use std::sync::Arc;

use async_trait::async_trait;
use aws_sdk_ivschat::Client;
use aws_sdk_ivschat::types::{ChatTokenCapability, FallbackResult, MessageReviewHandler};
use cloumer_domain::channel::ChatRoom;
use cloumer_domain::chat::{ChatCapability, ChatToken, ChatTokenRequest};
use cloumer_domain::chat_rules::ChatRules;
use cloumer_domain::error::{PortContext, PortError, PortResult};
use cloumer_domain::ids::{MessageId, UserId};
use cloumer_domain::ports::{ChatRoomSpec, ChatService, Clock};
use time::OffsetDateTime;

#[derive(Clone)]
pub struct IvsChat {
    client: Client,
    /// `wss://edge.ivschat.<region>.amazonaws.com`
    endpoint: String,
    /// The `chat-review` Lambda's ARN.
    review_handler_arn: Option<String>,
    /// Chat logging configurations every room logs to (CloudWatch Logs and S3 in Terraform).
    logging_configuration_arns: Vec<String>,
    clock: Arc<dyn Clock>,
}

impl IvsChat {
    pub fn new(
        client: Client,
        region: &str,
        review_handler_arn: Option<String>,
        logging_configuration_arns: Vec<String>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            client,
            endpoint: format!("wss://edge.ivschat.{region}.amazonaws.com"),
            review_handler_arn,
            logging_configuration_arns,
            clock,
        }
    }

    /// Brings rooms created under an earlier configuration up to this one: rooms whose logging
    /// configurations or review handler differ get an `UpdateRoom`. Run by Terraform when the
    /// configuration changes (`infra/environments/prod`, `aws_lambda_invocation`). A room is ours
    /// when its messages pass our review handler; other rooms in the account are left alone.
    /// Returns how many rooms were updated.
    pub async fn reconcile_rooms(&self) -> PortResult<usize> {
        let Some(handler) = self.review_handler_arn.as_deref() else {
            return Ok(0);
        };
        let wanted: std::collections::BTreeSet<&str> = self
            .logging_configuration_arns
            .iter()
            .map(String::as_str)
            .collect();
        let mut updated = 0;
        let mut next_token = None;
        loop {
            let page = self
                .client
                .list_rooms()
                .max_results(50)
                .set_next_token(next_token)
                .send()
                .await
                .port("IVS Chat ListRooms")?;
            for room in page.rooms() {
                let ours = room
                    .message_review_handler()
                    .and_then(|h| h.uri())
                    .is_some_and(|uri| uri == handler);
                let logging: std::collections::BTreeSet<&str> = room
                    .logging_configuration_identifiers()
                    .iter()
                    .map(String::as_str)
                    .collect();
                let fallback_ok = room
                    .message_review_handler()
                    .and_then(|h| h.fallback_result())
                    == Some(&FallbackResult::Allow);
                if !ours || (logging == wanted && fallback_ok) {
                    continue;
                }
                let Some(arn) = room.arn() else { continue };
                self.client
                    .update_room()
                    .identifier(arn)
                    .set_logging_configuration_identifiers(Some(
                        self.logging_configuration_arns.clone(),
                    ))
                    .set_message_review_handler(self.review_handler())
                    .send()
                    .await
                    .port("IVS Chat UpdateRoom")?;
                updated += 1;
            }
            next_token = page.next_token().map(str::to_string);
            if next_token.is_none() {
                return Ok(updated);
            }
        }
    }

    fn review_handler(&self) -> Option<MessageReviewHandler> {
        // If the hook fails or is slow, messages go through (IVS's default) rather than vanish.
        self.review_handler_arn.as_ref().map(|uri| {
            MessageReviewHandler::builder()
                .uri(uri)
                .fallback_result(FallbackResult::Allow)
                .build()
        })
    }
}

fn capability(c: ChatCapability) -> ChatTokenCapability {
    match c {
        ChatCapability::SendMessage => ChatTokenCapability::SendMessage,
        ChatCapability::DeleteMessage => ChatTokenCapability::DeleteMessage,
        ChatCapability::DisconnectUser => ChatTokenCapability::DisconnectUser,
    }
}

/// An SDK time; IVS always sends one, but a missing one reads as now rather than failing.
fn time(t: Option<&aws_sdk_ivschat::primitives::DateTime>, now: OffsetDateTime) -> OffsetDateTime {
    t.and_then(|t| OffsetDateTime::from_unix_timestamp(t.secs()).ok())
        .unwrap_or(now)
}

#[async_trait]
impl ChatService for IvsChat {
    async fn create_room(&self, spec: &ChatRoomSpec) -> PortResult<ChatRoom> {
        let existing = self
            .client
            .list_rooms()
            .name(spec.name.as_str())
            .send()
            .await
            .port("IVS Chat ListRooms")?;
        if let Some(arn) = existing
            .rooms()
            .iter()
            .find(|r| r.name() == Some(spec.name.as_str()))
            .and_then(|r| r.arn())
        {
            return Ok(ChatRoom {
                arn: arn.to_owned(),
            });
        }
        let created = self
            .client
            .create_room()
            .name(spec.name.as_str())
            .maximum_message_length(i32::from(spec.rules.max_message_length))
            .maximum_message_rate_per_second(i32::from(spec.rules.max_messages_per_second))
            .set_message_review_handler(self.review_handler())
            .set_logging_configuration_identifiers(
                Some(self.logging_configuration_arns.clone()).filter(|arns| !arns.is_empty()),
            )
            .send()
            .await
            .port("IVS Chat CreateRoom")?;
        let arn = created
            .arn()
            .ok_or_else(|| PortError::new("IVS Chat CreateRoom", "no ARN"))?;
        Ok(ChatRoom {
            arn: arn.to_owned(),
        })
    }

    async fn update_room(&self, room: &ChatRoom, rules: &ChatRules) -> PortResult<()> {
        self.client
            .update_room()
            .identifier(&room.arn)
            .maximum_message_length(i32::from(rules.max_message_length))
            .maximum_message_rate_per_second(i32::from(rules.max_messages_per_second))
            .send()
            .await
            .port("IVS Chat UpdateRoom")?;
        Ok(())
    }

    async fn create_token(&self, request: &ChatTokenRequest) -> PortResult<ChatToken> {
        let output = self
            .client
            .create_chat_token()
            .room_identifier(&request.room.arn)
            .user_id(request.user_id.as_str())
            .set_capabilities(Some(
                request
                    .capabilities
                    .iter()
                    .copied()
                    .map(capability)
                    .collect(),
            ))
            .session_duration_in_minutes(i32::from(request.session_duration_minutes))
            .set_attributes(Some(request.attributes.clone().into_iter().collect()))
            .send()
            .await
            .port("IVS Chat CreateChatToken")?;
        Ok(ChatToken {
            token: output
                .token()
                .ok_or_else(|| PortError::new("IVS Chat CreateChatToken", "no token"))?
                .to_owned(),
            endpoint: self.endpoint.clone(),
            token_expiration_time: time(output.token_expiration_time(), self.clock.now()),
            session_expiration_time: time(output.session_expiration_time(), self.clock.now()),
        })
    }

    async fn delete_message(
        &self,
        room: &ChatRoom,
        id: &MessageId,
        reason: &str,
    ) -> PortResult<()> {
        self.client
            .delete_message()
            .room_identifier(&room.arn)
            .id(id.as_str())
            .reason(reason)
            .send()
            .await
            .port("IVS Chat DeleteMessage")?;
        Ok(())
    }

    async fn disconnect_user(
        &self,
        room: &ChatRoom,
        user: &UserId,
        reason: &str,
    ) -> PortResult<()> {
        self.client
            .disconnect_user()
            .room_identifier(&room.arn)
            .user_id(user.as_str())
            .reason(reason)
            .send()
            .await
            .port("IVS Chat DisconnectUser")?;
        Ok(())
    }

    async fn delete_room(&self, room: &ChatRoom) -> PortResult<()> {
        match self.client.delete_room().identifier(&room.arn).send().await {
            Ok(_) => Ok(()),
            // Deleted already.
            Err(error)
                if error
                    .as_service_error()
                    .is_some_and(|e| e.is_resource_not_found_exception()) =>
            {
                Ok(())
            }
            Err(error) => Err(PortError::new("IVS Chat DeleteRoom", error)),
        }
    }

    async fn send_event(
        &self,
        room: &ChatRoom,
        name: &str,
        attributes: &BTreeMap<String, String>,
    ) -> PortResult<()> {
        self.client
            .send_event()
            .room_identifier(&room.arn)
            .event_name(name)
            .set_attributes(Some(attributes.clone().into_iter().collect()))
            .send()
            .await
            .port("IVS Chat SendEvent")?;
        Ok(())
    }
}
