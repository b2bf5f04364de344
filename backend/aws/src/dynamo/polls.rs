//! Poll votes on the table, one partition per poll (a busy poll's writes stay off its channel's
//! items). Items:
//!
//! | item | pk | sk | other |
//! |---|---|---|---|
//! | a ballot | `POLL#<poll>` | `VOTER#<user>` | `choice`, `expires_at` |
//! | the count | `POLL#<poll>` | `COUNT` | `c0`…`c4` (each answer's), `expires_at` |
//!
//! Both carry `expires_at` (the ballot's `keep_until`), after which the table's TTL removes them.
//!
//! A vote is two writes, not a transaction: the ballot (only if the voter has none), then `ADD`
//! to its answer's count. Transactions on one item that many voters write at once cancel each
//! other (`TransactionConflict`); plain updates of one item queue instead, and take about a
//! thousand votes a second. If the count cannot be written, the ballot is taken back, so the
//! voter may try again; only a process that dies between the two writes leaves a ballot
//! uncounted.

use async_trait::async_trait;
use aws_sdk_dynamodb::types::AttributeValue;
use cloumer_domain::error::{PortContext, PortResult};
use cloumer_domain::ids::{PollId, UserId};
use cloumer_domain::poll::{Ballot, VoteOutcome};
use cloumer_domain::ports::PollRepository;

use super::{DynamoStore, Item, s, written};

const COUNT: &str = "COUNT";

fn pk(poll: &PollId) -> String {
    format!("POLL#{poll}")
}

fn ballot_sk(voter: &UserId) -> String {
    format!("VOTER#{voter}")
}

fn number(item: &Item, name: &str) -> Option<u64> {
    item.get(name)
        .and_then(|v| v.as_n().ok())
        .and_then(|n| n.parse().ok())
}

#[async_trait]
impl PollRepository for DynamoStore {
    async fn cast_vote(&self, ballot: &Ballot) -> PortResult<VoteOutcome> {
        let partition = pk(&ballot.poll_id);
        let sk = ballot_sk(&ballot.voter);
        let expires_at = AttributeValue::N(ballot.keep_until.unix_timestamp().to_string());
        let kept = self
            .client
            .put_item()
            .table_name(&self.table)
            .item("pk", s(&partition))
            .item("sk", s(&sk))
            .item("choice", AttributeValue::N(ballot.choice.to_string()))
            .item("expires_at", expires_at.clone())
            .condition_expression("attribute_not_exists(pk)")
            .send()
            .await;
        if let Err(error) = kept {
            if let Some(error) = written("DynamoDB PutItem", error) {
                return Err(error);
            }
            let earlier = self.get(&partition, &sk).await?;
            let earlier = earlier
                .as_ref()
                .and_then(|item| number(item, "choice"))
                .and_then(|choice| u8::try_from(choice).ok())
                .unwrap_or(ballot.choice);
            return Ok(VoteOutcome::AlreadyVoted(earlier));
        }
        let counted = self
            .client
            .update_item()
            .table_name(&self.table)
            .key("pk", s(&partition))
            .key("sk", s(COUNT))
            .update_expression("ADD #choice :one SET expires_at = :expires")
            .expression_attribute_names("#choice", format!("c{}", ballot.choice))
            .expression_attribute_values(":one", AttributeValue::N("1".to_owned()))
            .expression_attribute_values(":expires", expires_at)
            .send()
            .await
            .port("DynamoDB UpdateItem");
        if let Err(error) = counted {
            // Uncounted, the ballot would stop its voter from voting at all.
            if let Err(undo) = self.delete(&partition, &sk).await {
                tracing::warn!(error = %undo, "taking back an uncounted ballot failed");
            }
            return Err(error);
        }
        Ok(VoteOutcome::Counted)
    }

    async fn tally(&self, poll: &PollId, choices: usize) -> PortResult<Vec<u64>> {
        let found = self.get(&pk(poll), COUNT).await?;
        Ok((0..choices)
            .map(|choice| {
                found
                    .as_ref()
                    .and_then(|item| number(item, &format!("c{choice}")))
                    .unwrap_or(0)
            })
            .collect())
    }

    async fn vote_of(&self, poll: &PollId, voter: &UserId) -> PortResult<Option<u8>> {
        let found = self.get(&pk(poll), &ballot_sk(voter)).await?;
        Ok(found
            .as_ref()
            .and_then(|item| number(item, "choice"))
            .and_then(|choice| u8::try_from(choice).ok()))
    }

    async fn erase_votes(&self, poll: &PollId) -> PortResult<()> {
        self.erase_partition(&pk(poll)).await
    }
}
