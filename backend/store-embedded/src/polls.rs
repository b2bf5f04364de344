//! Poll votes: each ballot, and each answer's count beside it, written in one transaction (so a
//! ballot is never kept uncounted, nor counted twice). Poll ids are unique across channels, so
//! both tables are keyed by the poll alone.

use async_trait::async_trait;
use cloumer_domain::error::{PortContext, PortResult};
use cloumer_domain::ids::{PollId, UserId};
use cloumer_domain::poll::{Ballot, VoteOutcome};
use cloumer_domain::ports::PollRepository;
use redb::{ReadableTable, TableDefinition};

use super::{EmbeddedStore, port_only};

/// (poll, voter) → the answer they chose
const BALLOTS: TableDefinition<(&str, &str), u8> = TableDefinition::new("poll_ballots");
/// (poll, answer) → its votes
const COUNTS: TableDefinition<(&str, u8), u64> = TableDefinition::new("poll_counts");

pub(super) fn create_tables(tx: &redb::WriteTransaction) -> PortResult<()> {
    tx.open_table(BALLOTS).port("t")?;
    tx.open_table(COUNTS).port("t")?;
    Ok(())
}

#[async_trait]
impl PollRepository for EmbeddedStore {
    async fn cast_vote(&self, ballot: &Ballot) -> PortResult<VoteOutcome> {
        let poll = ballot.poll_id.as_str().to_owned();
        let voter = ballot.voter.as_str().to_owned();
        let choice = ballot.choice;
        self.write(move |tx| {
            let mut ballots = tx.open_table(BALLOTS).port("opening ballots")?;
            let earlier = ballots
                .get((poll.as_str(), voter.as_str()))
                .port("reading a ballot")?
                .map(|found| found.value());
            if let Some(earlier) = earlier {
                return Ok(VoteOutcome::AlreadyVoted(earlier));
            }
            ballots
                .insert((poll.as_str(), voter.as_str()), choice)
                .port("keeping a ballot")?;
            let mut counts = tx.open_table(COUNTS).port("opening counts")?;
            let count = counts
                .get((poll.as_str(), choice))
                .port("reading a count")?
                .map_or(0, |found| found.value());
            counts
                .insert((poll.as_str(), choice), count + 1)
                .port("counting a vote")?;
            Ok(VoteOutcome::Counted)
        })
        .await
        .map_err(port_only)
    }

    async fn tally(&self, poll: &PollId, choices: usize) -> PortResult<Vec<u64>> {
        let poll = poll.as_str().to_owned();
        self.read(move |tx| {
            let counts = tx.open_table(COUNTS).port("opening counts")?;
            (0..choices)
                .map(|choice| {
                    let choice = u8::try_from(choice).port("numbering an answer")?;
                    Ok(counts
                        .get((poll.as_str(), choice))
                        .port("reading a count")?
                        .map_or(0, |found| found.value()))
                })
                .collect()
        })
        .await
    }

    async fn vote_of(&self, poll: &PollId, voter: &UserId) -> PortResult<Option<u8>> {
        let key = (poll.as_str().to_owned(), voter.as_str().to_owned());
        self.read(move |tx| {
            let ballots = tx.open_table(BALLOTS).port("opening ballots")?;
            Ok(ballots
                .get((key.0.as_str(), key.1.as_str()))
                .port("reading a ballot")?
                .map(|found| found.value()))
        })
        .await
    }

    async fn erase_votes(&self, poll: &PollId) -> PortResult<()> {
        let poll = poll.as_str().to_owned();
        self.write(move |tx| {
            let poll = poll.as_str();
            tx.open_table(BALLOTS)
                .port("opening ballots")?
                .retain_in((poll, "")..(poll, "\u{10FFFF}"), |_, _| false)
                .port("forgetting ballots")?;
            tx.open_table(COUNTS)
                .port("opening counts")?
                .retain_in((poll, 0)..=(poll, u8::MAX), |_, _| false)
                .port("forgetting counts")?;
            Ok(())
        })
        .await
        .map_err(port_only)
    }
}
