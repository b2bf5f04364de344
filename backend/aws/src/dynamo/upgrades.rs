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
use cloumer_domain::moderation_log::ModerationEntry;
use cloumer_domain::report::Report;
use time::OffsetDateTime;

use super::{DynamoStore, Item, decode, item, moderation_log, reports, s, text, time_key};

/// Chat messages stored before messages were indexed by their sender.
const SENDERS: &str = "UPGRADE#senders";
/// Moderation log entries stored before the log was indexed by whom an entry holds to account.
const LOG_PEOPLE: &str = "UPGRADE#moderation-people";
/// Reports filed before reports were indexed by their reporter.
const REPORTERS: &str = "UPGRADE#reporters";

impl DynamoStore {
    /// Gives every chat message stored without it its sender's index keys (`gsi1` =
    /// `SAID#<sender>`, as messages are written now), so what a person said before the upgrade
    /// is in their data download and goes with their account. Returns how many messages it
    /// indexed, or `None` if a run finished before (the table remembers it); a run cut short is
    /// finished by running again. A message deleted meanwhile is not brought back.
    pub async fn index_older_messages(&self) -> PortResult<Option<u64>> {
        self.index_once(SENDERS, ("CHAT#", Some("MSG#")), |found| {
            let message: StoredMessage = decode(found)?;
            Ok(text(found, "sk").map(|sk| (format!("SAID#{}", message.sender), sk)))
        })
        .await
    }

    /// Gives every moderation log entry stored without it the index keys of the person it holds
    /// to account (`gsi1` = `MODOF#<channel>#<user>`, as entries are written now), so a chatter's
    /// card shows what was done to them before the upgrade too. Returns and repeats as
    /// [`Self::index_older_messages`] does.
    pub async fn index_older_log_entries(&self) -> PortResult<Option<u64>> {
        self.index_once(LOG_PEOPLE, ("MODLOG#", None), |found| {
            let entry: ModerationEntry = decode(found)?;
            Ok(entry
                .holds_to_account()
                .zip(text(found, "sk"))
                .map(|(user, sk)| (moderation_log::person(&entry.channel_id, user), sk)))
        })
        .await
    }

    /// Gives every report stored without them its reporter's index keys (`gsi1` =
    /// `FILEDBY#<reporter>`, as reports are written now), so the reports a person filed before
    /// the upgrade are in their data download. Returns and repeats as
    /// [`Self::index_older_messages`] does.
    pub async fn index_older_reports(&self) -> PortResult<Option<u64>> {
        self.index_once(REPORTERS, ("REPORT#", Some("META")), |found| {
            let report: Report = decode(found)?;
            Ok(Some(reports::reporter_keys(&report)))
        })
        .await
    }

    /// Sets `gsi1` to what `keys` gives on every item whose `pk` (and `sk`, if given) start
    /// with `prefixes` and that has none (`keys` may give nothing: the item stays out of the index), once per
    /// table: `mark` remembers a finished run.
    async fn index_once(
        &self,
        mark: &str,
        prefixes: (&str, Option<&str>),
        keys: impl Fn(&Item) -> PortResult<Option<(String, String)>>,
    ) -> PortResult<Option<u64>> {
        if self.get(mark, "DONE").await?.is_some() {
            return Ok(None);
        }
        let mut indexed = 0u64;
        let mut start: Option<Item> = None;
        loop {
            let scan = self
                .client
                .scan()
                .table_name(&self.table)
                .expression_attribute_values(":pk", s(prefixes.0))
                .set_exclusive_start_key(start);
            let scan = match prefixes.1 {
                Some(sk) => scan
                    .filter_expression(
                        "begins_with(pk, :pk) AND begins_with(sk, :sk) \
                         AND attribute_not_exists(gsi1pk)",
                    )
                    .expression_attribute_values(":sk", s(sk)),
                None => {
                    scan.filter_expression("begins_with(pk, :pk) AND attribute_not_exists(gsi1pk)")
                }
            };
            let page = scan.send().await.port("DynamoDB Scan")?;
            for found in page.items.unwrap_or_default() {
                if let Some((gsi1pk, gsi1sk)) = keys(&found)?
                    && self.set_gsi1(&found, gsi1pk, gsi1sk).await?
                {
                    indexed += 1;
                }
            }
            start = page.last_evaluated_key;
            if start.is_none() {
                break;
            }
        }
        self.put_plain(item(&[
            ("pk", s(mark)),
            ("sk", s("DONE")),
            ("at", s(time_key(OffsetDateTime::now_utc()))),
        ]))
        .await?;
        Ok(Some(indexed))
    }

    /// False if the item was deleted since the scan saw it (it is not brought back).
    async fn set_gsi1(&self, found: &Item, gsi1pk: String, gsi1sk: String) -> PortResult<bool> {
        let (Some(pk), Some(sk)) = (text(found, "pk"), text(found, "sk")) else {
            return Ok(false);
        };
        let updated = self
            .client
            .update_item()
            .table_name(&self.table)
            .key("pk", s(pk))
            .key("sk", s(sk))
            .update_expression("SET gsi1pk = :pk, gsi1sk = :sk")
            .condition_expression("attribute_exists(pk)")
            .expression_attribute_values(":pk", s(gsi1pk))
            .expression_attribute_values(":sk", s(gsi1sk))
            .send()
            .await;
        match updated {
            Ok(_) => Ok(true),
            Err(error) if error.code() == Some("ConditionalCheckFailedException") => Ok(false),
            Err(error) => Err(PortError::new("DynamoDB UpdateItem", error)),
        }
    }
}
