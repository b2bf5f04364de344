//! Bringing a table written by an older version up to what this one reads, run once by
//! `cargo xtask deploy` after Terraform has put the new functions in place (so nothing written
//! from then on needs it).
//!
//! | item | pk | sk | other keys |
//! |---|---|---|---|
//! | an upgrade done | `UPGRADE#<name>` | `DONE` | `at` |

use aws_sdk_dynamodb::error::ProvideErrorMetadata;
use cloumer_domain::chat::StoredMessage;
use cloumer_domain::error::{PortContext, PortError, PortResult};
use time::OffsetDateTime;

use super::{DynamoStore, Item, decode, item, s, text, time_key};

/// Chat messages stored before messages were indexed by their sender.
const SENDERS: &str = "UPGRADE#senders";

impl DynamoStore {
    /// Gives every chat message stored without it its sender's index keys (`gsi1` =
    /// `SAID#<sender>`, as messages are written now), so what a person said before the upgrade
    /// is in their data download and goes with their account. Returns how many messages it
    /// indexed, or `None` if a run finished before (the table remembers it); a run cut short is
    /// finished by running again. A message deleted meanwhile is not brought back.
    pub async fn index_older_messages(&self) -> PortResult<Option<u64>> {
        if self.get(SENDERS, "DONE").await?.is_some() {
            return Ok(None);
        }
        let mut indexed = 0u64;
        let mut start: Option<Item> = None;
        loop {
            let page = self
                .client
                .scan()
                .table_name(&self.table)
                .filter_expression(
                    "begins_with(pk, :chat) AND begins_with(sk, :message) \
                     AND attribute_not_exists(gsi1pk)",
                )
                .expression_attribute_values(":chat", s("CHAT#"))
                .expression_attribute_values(":message", s("MSG#"))
                .set_exclusive_start_key(start)
                .send()
                .await
                .port("DynamoDB Scan")?;
            for found in page.items.unwrap_or_default() {
                if self.index_sender(&found).await? {
                    indexed += 1;
                }
            }
            start = page.last_evaluated_key;
            if start.is_none() {
                break;
            }
        }
        self.put_plain(item(&[
            ("pk", s(SENDERS)),
            ("sk", s("DONE")),
            ("at", s(time_key(OffsetDateTime::now_utc()))),
        ]))
        .await?;
        Ok(Some(indexed))
    }

    /// False if the message was deleted since the scan saw it.
    async fn index_sender(&self, found: &Item) -> PortResult<bool> {
        let message: StoredMessage = decode(found)?;
        let (Some(pk), Some(sk)) = (text(found, "pk"), text(found, "sk")) else {
            return Ok(false);
        };
        let updated = self
            .client
            .update_item()
            .table_name(&self.table)
            .key("pk", s(pk))
            .key("sk", s(&sk))
            .update_expression("SET gsi1pk = :said, gsi1sk = :sk")
            .condition_expression("attribute_exists(pk)")
            .expression_attribute_values(":said", s(format!("SAID#{}", message.sender)))
            .expression_attribute_values(":sk", s(sk))
            .send()
            .await;
        match updated {
            Ok(_) => Ok(true),
            Err(error) if error.code() == Some("ConditionalCheckFailedException") => Ok(false),
            Err(error) => Err(PortError::new("DynamoDB UpdateItem", error)),
        }
    }
}
