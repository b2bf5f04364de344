//! Rate limits on the table: one item per key, written only under a condition that holds the
//! rule of [`RateLimit::take`], so every Lambda instance takes turns from the same item.
//!
//! | item | pk | sk | other |
//! |---|---|---|---|
//! | a key's turns | `RATE#<key>` | `TURNS` | `until` (ms since the epoch), `expires_at` |
//!
//! `until` is the instant up to which the key's turns have used up time; the table's TTL removes
//! the item some time after it is past (a past instant lets as much through as none).
//!
//! A turn is one conditional write when nothing is used up (most keys, most of the time); when
//! time is used up ahead of now, the failed write hands back the item, and a second write takes
//! the turn only if that instant is within the limit's tolerance. A refused turn writes nothing.

use async_trait::async_trait;
use aws_sdk_dynamodb::operation::update_item::UpdateItemError;
use aws_sdk_dynamodb::operation::update_item::builders::UpdateItemFluentBuilder;
use aws_sdk_dynamodb::types::{AttributeValue, ReturnValuesOnConditionCheckFailure};
use cloumer_domain::error::{PortError, PortResult};
use cloumer_domain::limits::{RateLimit, Turn};
use cloumer_domain::ports::RateCounter;
use time::OffsetDateTime;

use super::{DynamoStore, s, written};

/// How long an item outlives its instant before the TTL may remove it (TTL deletion is lazy
/// anyway; the slack keeps an item from vanishing while it still holds a turn back).
const SLACK_SECONDS: i64 = 60;

#[async_trait]
impl RateCounter for DynamoStore {
    async fn take_turn(
        &self,
        key: &str,
        now: OffsetDateTime,
        limit: RateLimit,
    ) -> PortResult<Turn> {
        let now = millis(now);
        let interval = whole_millis(limit.interval());
        let tolerance = whole_millis(limit.tolerance());
        // Nothing used up (no item, or its instant is past): the turn starts now.
        let fresh = self
            .turn(key, now + interval)
            .update_expression("SET #until = :until, expires_at = :expires")
            .condition_expression("attribute_not_exists(#until) OR #until <= :now")
            .expression_attribute_values(":until", number(now + interval))
            .expression_attribute_values(":now", number(now))
            .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
            .send()
            .await;
        let used_until = match fresh {
            Ok(_) => return Ok(Turn::Taken),
            Err(error) => match error.as_service_error() {
                Some(UpdateItemError::ConditionalCheckFailedException(failed)) => failed
                    .item()
                    .and_then(|item| item.get("until"))
                    .and_then(|until| until.as_n().ok())
                    .and_then(|until| until.parse::<i64>().ok()),
                _ => return Err(PortError::new("DynamoDB UpdateItem", error)),
            },
        };
        // Time is used up ahead of now: one more turn only within the tolerance. A turn taken
        // by someone else meanwhile only moves the instant further on, so the condition decides.
        let Some(used_until) = used_until else {
            return Ok(refused(interval));
        };
        if used_until - now > tolerance {
            return Ok(refused(used_until - now - tolerance));
        }
        let ahead = self
            .turn(key, now + tolerance + interval)
            .update_expression("SET #until = #until + :interval, expires_at = :expires")
            .condition_expression("#until <= :latest")
            .expression_attribute_values(":interval", number(interval))
            .expression_attribute_values(":latest", number(now + tolerance))
            .send()
            .await;
        match ahead {
            Ok(_) => Ok(Turn::Taken),
            // Others took the turns left meanwhile: the next one frees at most one interval on.
            Err(error) => written("DynamoDB UpdateItem", error).map_or(Ok(refused(interval)), Err),
        }
    }
}

impl DynamoStore {
    /// A write to `key`'s item whose instant will be at most `latest_until` (for its expiry).
    fn turn(&self, key: &str, latest_until: i64) -> UpdateItemFluentBuilder {
        self.client
            .update_item()
            .table_name(&self.table)
            .key("pk", s(format!("RATE#{key}")))
            .key("sk", s("TURNS"))
            .expression_attribute_names("#until", "until")
            .expression_attribute_values(":expires", number(latest_until / 1000 + SLACK_SECONDS))
    }
}

fn refused(retry_after_ms: i64) -> Turn {
    Turn::Refused {
        retry_after: time::Duration::milliseconds(retry_after_ms),
    }
}

fn millis(at: OffsetDateTime) -> i64 {
    i64::try_from(at.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

fn whole_millis(span: time::Duration) -> i64 {
    i64::try_from(span.whole_milliseconds()).unwrap_or(i64::MAX)
}

fn number(value: i64) -> AttributeValue {
    AttributeValue::N(value.to_string())
}
