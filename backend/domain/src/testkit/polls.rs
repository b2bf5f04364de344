//! Poll votes.

use super::*;
use crate::ids::PollId;
use crate::poll::{Ballot, VoteOutcome};
use crate::ports::PollRepository;

fn ballot(poll: &PollId, voter: &str, choice: u8) -> Ballot {
    Ballot {
        poll_id: poll.clone(),
        voter: UserId::parse(voter).unwrap(),
        choice,
        keep_until: t(60 * 24),
    }
}

/// One ballot each, counted once however it races itself; counts per answer; forgetting.
pub async fn poll_repository(repo: &dyn PollRepository) {
    let poll = PollId::generate();
    let other = PollId::generate();
    let voter = UserId::parse("voter1").unwrap();

    assert_eq!(repo.tally(&poll, 3).await.unwrap(), [0, 0, 0]);
    assert_eq!(repo.vote_of(&poll, &voter).await.unwrap(), None);
    assert_eq!(
        repo.cast_vote(&ballot(&poll, "voter1", 2)).await.unwrap(),
        VoteOutcome::Counted
    );
    // Again, for the same answer or another: the first stands and nothing more is counted.
    for choice in [2, 0] {
        assert_eq!(
            repo.cast_vote(&ballot(&poll, "voter1", choice))
                .await
                .unwrap(),
            VoteOutcome::AlreadyVoted(2)
        );
    }
    assert_eq!(repo.vote_of(&poll, &voter).await.unwrap(), Some(2));

    // Ten voters, each sending their ballot three times at once (a double click, a retry).
    let casts = (0..30).map(|i| {
        let ballot = ballot(&poll, &format!("racer{}", i % 10), (i % 10 % 2) as u8);
        async move { repo.cast_vote(&ballot).await.unwrap() }
    });
    let outcomes = futures_util::future::join_all(casts).await;
    let counted = outcomes
        .iter()
        .filter(|o| **o == VoteOutcome::Counted)
        .count();
    assert_eq!(counted, 10);
    assert_eq!(repo.tally(&poll, 3).await.unwrap(), [5, 5, 1]);

    // Another poll counts apart.
    repo.cast_vote(&ballot(&other, "voter1", 0)).await.unwrap();
    assert_eq!(repo.tally(&other, 2).await.unwrap(), [1, 0]);

    repo.erase_votes(&poll).await.unwrap();
    repo.erase_votes(&poll).await.unwrap();
    assert_eq!(repo.tally(&poll, 3).await.unwrap(), [0, 0, 0]);
    assert_eq!(repo.vote_of(&poll, &voter).await.unwrap(), None);
    assert_eq!(repo.tally(&other, 2).await.unwrap(), [1, 0]);
}
