//! Polls in a channel's chat: the owner and the moderators open one (the next map, the next
//! game) and may end it early; everyone signed in who may watch, and may chat, votes once. The
//! room hears the poll open (`app:POLL`, the whole question), its count as it grows (at most
//! every [`COUNT_EVERY`]) and an early end (`app:POLL_END`), so no client asks for what the room
//! already said; viewers who join get it with their chat token.

use time::Duration;

use crate::channel::Channel;
use crate::error::{DomainError, DomainResult};
use crate::identity::Identity;
use crate::ids::{PollId, UserId};
use crate::limits::{self, RateLimit};
use crate::moderation_log::ModerationAction;
use crate::platform::Platform;
use crate::poll::{Ballot, Poll, PollView, VOTES_KEPT, VoteOutcome};

use super::chat_moderation::ChatOf;

/// Room events of polls (IVS Chat custom events, `SendEvent`).
pub mod events {
    /// A poll opened: `PollId`, `Question`, `Choice1`…`Choice5`, `EndsAt` (RFC 3339) and who
    /// opened it (`By`).
    pub const POLL: &str = "app:POLL";
    /// The count of the open poll `PollId`: `Votes`, each answer's in order (`3,0,12`).
    pub const POLL_VOTES: &str = "app:POLL_VOTES";
    /// The poll `PollId` was ended early; its final `Votes`.
    pub const POLL_END: &str = "app:POLL_END";
}

/// How often at most the room hears a poll's count while votes come in: a vote a second from
/// each of thousands of viewers must not become thousands of events (IVS Chat takes 100
/// `SendEvent`s a second per account).
pub const COUNT_EVERY: Duration = Duration::seconds(2);

/// What a new poll asks.
#[derive(Clone, Debug)]
pub struct PollQuestion {
    pub question: String,
    pub choices: Vec<String>,
    pub duration_seconds: u32,
}

impl Platform {
    /// Opens a poll in the chat (the owner and moderators). Refused while another is open; an
    /// ended one is replaced, and its votes forgotten.
    pub async fn open_poll(
        &self,
        who: &Identity,
        of: ChatOf<'_>,
        asked: &PollQuestion,
    ) -> DomainResult<PollView> {
        let moderating = self.moderating(who, of).await?;
        let poll = Poll::new(
            &asked.question,
            &asked.choices,
            asked.duration_seconds,
            &moderating.actor,
            &moderating.actor_nickname,
            self.now(),
        )?;
        let channel_id = moderating.channel.id.clone();
        self.rate_limit(&format!("polls:{channel_id}"), limits::POLLS)
            .await?;
        let now = self.now();
        let mut replaced = None;
        let (channel, _) = self
            .modify_channel(&channel_id, |c| {
                if c.poll.as_ref().is_some_and(|open| open.is_open(now)) {
                    return Err(DomainError::conflict(
                        "poll_open",
                        "a poll is open; end it before opening another",
                    ));
                }
                replaced = c.poll.replace(poll.clone());
                Ok(true)
            })
            .await?;
        if let Some(replaced) = replaced {
            // Its votes are of no more use; a store that fails to forget them now forgets them
            // later (the cloud's after `VOTES_KEPT`), so the new poll is not held up.
            if let Err(error) = self.ports.polls.erase_votes(&replaced.id).await {
                tracing::warn!(%error, "forgetting a replaced poll's votes failed");
            }
        }
        self.tell_room_of_poll(&channel, events::POLL, poll.announcement())
            .await;
        let action = ModerationAction::OpenPoll {
            poll_id: poll.id.clone(),
            question: poll.question.clone(),
        };
        self.log_moderation(&moderating, action, None, None).await?;
        Ok(PollView {
            votes: vec![0; poll.choices.len()],
            poll,
            open: true,
            my_vote: None,
        })
    }

    /// Ends the poll `id` now (the owner and moderators), with the count as it stands. A poll
    /// that is over already stays as it ended; another poll than `id` is 404.
    pub async fn end_poll(
        &self,
        who: &Identity,
        of: ChatOf<'_>,
        id: &PollId,
    ) -> DomainResult<PollView> {
        let moderating = self.moderating(who, of).await?;
        let now = self.now();
        let mut ended_now = false;
        let (channel, _) = self
            .modify_channel(&moderating.channel.id, |c| {
                let poll = c
                    .poll
                    .as_mut()
                    .filter(|poll| &poll.id == id)
                    .ok_or(DomainError::NotFound("poll"))?;
                ended_now = poll.is_open(now);
                if ended_now {
                    poll.ended_early_at = Some(now);
                }
                Ok(ended_now)
            })
            .await?;
        let view = self.poll_view(&channel, Some(&moderating.actor)).await?;
        let view = view.ok_or(DomainError::NotFound("poll"))?;
        if ended_now {
            self.tell_room_of_poll(
                &channel,
                events::POLL_END,
                view.poll.count_attributes(&view.votes),
            )
            .await;
            let action = ModerationAction::EndPoll {
                poll_id: view.poll.id.clone(),
                question: view.poll.question.clone(),
            };
            self.log_moderation(&moderating, action, None, None).await?;
        }
        Ok(view)
    }

    /// Votes for answer `choice` (from 0) of the open poll `id` in `handle`'s chat. One vote
    /// each: voting again for the same answer changes nothing; for another, 409. Those banned or
    /// timed out of the chat may not vote.
    pub async fn vote(
        &self,
        who: &Identity,
        handle: &str,
        id: &PollId,
        choice: u8,
    ) -> DomainResult<PollView> {
        let channel = self.channel_by_handle(handle).await?;
        let voter = &who.user_id;
        let (may_watch, restriction, erased) = futures_util::future::join3(
            self.can_watch(&channel, Some(voter)),
            self.active_ban(&channel.id, voter),
            self.refuse_erased(who),
        )
        .await;
        erased?;
        if !may_watch? {
            return Err(DomainError::Forbidden("this channel is private"));
        }
        match restriction? {
            Some(ban) if ban.timeout => {
                return Err(DomainError::Forbidden(
                    "you are timed out of this chat and may not vote until it ends",
                ));
            }
            Some(ban) => {
                return Err(DomainError::Banned {
                    until: ban.expires_at,
                });
            }
            None => {}
        }
        let now = self.now();
        let poll = channel
            .poll
            .as_ref()
            .filter(|poll| &poll.id == id)
            .ok_or(DomainError::NotFound("poll"))?;
        if !poll.is_open(now) {
            return Err(DomainError::conflict("poll_closed", "this poll has ended"));
        }
        if usize::from(choice) >= poll.choices.len() {
            return Err(DomainError::invalid(
                "invalid_choice",
                format!("this poll's answers are 0–{}", poll.choices.len() - 1),
            ));
        }
        let ballot = Ballot {
            poll_id: poll.id.clone(),
            voter: voter.clone(),
            choice,
            keep_until: poll.ends_at + VOTES_KEPT,
        };
        let outcome = self.ports.polls.cast_vote(&ballot).await?;
        match outcome {
            VoteOutcome::Counted => {}
            VoteOutcome::AlreadyVoted(earlier) if earlier == choice => {}
            VoteOutcome::AlreadyVoted(_) => {
                return Err(DomainError::conflict(
                    "already_voted",
                    "you voted in this poll already",
                ));
            }
        }
        let votes = self.ports.polls.tally(&poll.id, poll.choices.len()).await?;
        // A vote sent again (a retry, a double click) is not news.
        let counting = outcome == VoteOutcome::Counted
            && self
                .within(
                    &format!("poll-count:{}", poll.id),
                    RateLimit::once_per(COUNT_EVERY),
                )
                .await?;
        if counting {
            self.tell_room_of_poll(&channel, events::POLL_VOTES, poll.count_attributes(&votes))
                .await;
        }
        Ok(PollView {
            poll: poll.clone(),
            open: true,
            votes,
            my_vote: Some(choice),
        })
    }

    /// The latest poll of `handle`'s chat, open or ended, with its count and (signed in) the
    /// caller's vote; for a caller who may watch.
    pub async fn current_poll(
        &self,
        handle: &str,
        who: Option<&UserId>,
    ) -> DomainResult<Option<PollView>> {
        let channel = self.channel_by_handle(handle).await?;
        if !self.can_watch(&channel, who).await? {
            return Err(DomainError::Forbidden("this channel is private"));
        }
        self.poll_view(&channel, who).await
    }

    /// The channel's latest poll as `who` sees it.
    pub(crate) async fn poll_view(
        &self,
        channel: &Channel,
        who: Option<&UserId>,
    ) -> DomainResult<Option<PollView>> {
        let Some(poll) = &channel.poll else {
            return Ok(None);
        };
        let polls = &self.ports.polls;
        let (votes, my_vote) =
            futures_util::future::join(polls.tally(&poll.id, poll.choices.len()), async {
                match who {
                    Some(who) => polls.vote_of(&poll.id, who).await,
                    None => Ok(None),
                }
            })
            .await;
        Ok(Some(PollView {
            poll: poll.clone(),
            open: poll.is_open(self.now()),
            votes: votes?,
            my_vote: my_vote?,
        }))
    }

    async fn tell_room_of_poll(
        &self,
        channel: &Channel,
        event: &str,
        attributes: std::collections::BTreeMap<String, String>,
    ) {
        // The poll is saved; a room that misses the news learns it with the next token.
        self.tell_room_event(channel, event, &attributes).await;
    }
}
