//! A room's delivery line: the one way every message travels. The connection that received it
//! hands it over; the line stamps its `SendTime` (later than every earlier one), has the domain
//! review it (the sender's own rate limit first), spends the room's rate budget on what is
//! allowed, keeps it as history, and only then fans it out to the room. One line
//! per room, so time order, delivery order and history order are one and the same.
//!
//! Messages that queue up while one batch is being stored, or while a crowded room waits for
//! its next fan-out ([`super::rooms::CROWDED_FAN_OUT_INTERVAL`]), are reviewed together, stored
//! in one transaction (one fsync for all of them) and written to each connection at once, which
//! keeps a busy room cheap.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use cloumer_api_types::chat::code;
use cloumer_domain::chat::StoredMessage;
use cloumer_domain::ids::{MessageId, UserId};
use cloumer_domain::moderation::DenyReason;
use cloumer_domain::ports::Clock;
use cloumer_domain::use_cases::message_review::{ReviewInput, Verdict};
use cloumer_domain::{DomainError, Platform};
use futures_util::future::join_all;
use time::{Duration, OffsetDateTime};
use tokio::sync::mpsc;

use super::frames::{self, Frame};
use super::outlet::Outlet;
use super::rooms::Room;

/// Messages that may wait in a room's line; more get ERROR 429.
const LINE_CAPACITY: usize = 4096;
/// Messages reviewed and stored together at most.
const MAX_BATCH: usize = 256;

/// A message a connection received, on its way into the room.
pub struct Submission {
    pub message_id: MessageId,
    pub sender: UserId,
    pub sender_attributes: BTreeMap<String, String>,
    pub content: String,
    pub attributes: BTreeMap<String, String>,
    pub request_id: String,
    /// Where errors for the sender go (their connection).
    pub reply: Arc<Outlet>,
}

/// The delivery lines of every room, started on a room's first message.
pub struct Lines {
    platform: Platform,
    clock: Arc<dyn Clock>,
    lines: Mutex<HashMap<String, mpsc::Sender<Submission>>>,
}

impl Lines {
    pub fn new(platform: Platform, clock: Arc<dyn Clock>) -> Self {
        Self {
            platform,
            clock,
            lines: Mutex::default(),
        }
    }

    /// Queues a message for `room`; false when its line is full.
    pub fn submit(&self, room: &Arc<Room>, submission: Submission) -> bool {
        let queue = {
            let mut lines = self.lines.lock().expect("lines lock");
            lines
                .entry(room.arn.clone())
                .or_insert_with(|| {
                    let (queue, work) = mpsc::channel(LINE_CAPACITY);
                    let line = Line {
                        room: room.clone(),
                        platform: self.platform.clone(),
                        clock: self.clock.clone(),
                        last_send_time: None,
                    };
                    tokio::spawn(line.run(work));
                    queue
                })
                .clone()
        };
        queue.try_send(submission).is_ok()
    }
}

struct Line {
    room: Arc<Room>,
    platform: Platform,
    clock: Arc<dyn Clock>,
    last_send_time: Option<OffsetDateTime>,
}

impl Line {
    async fn run(mut self, mut work: mpsc::Receiver<Submission>) {
        while let Some(first) = work.recv().await {
            // A crowded room's turn: what arrives while it waits goes out with `first`.
            if let Some(turn) = self.room.next_fan_out(std::time::Instant::now()) {
                tokio::time::sleep_until(turn.into()).await;
            }
            let mut batch = vec![first];
            while batch.len() < MAX_BATCH {
                match work.try_recv() {
                    Ok(next) => batch.push(next),
                    Err(_) => break,
                }
            }
            self.deliver(batch).await;
        }
    }

    /// The next `SendTime`: now, or a nanosecond after the previous one if the clock has not
    /// moved on (or went back).
    fn stamp(&mut self) -> OffsetDateTime {
        let now = self.clock.now();
        let at = match self.last_send_time {
            Some(last) if now <= last => last + Duration::nanoseconds(1),
            _ => now,
        };
        self.last_send_time = Some(at);
        at
    }

    async fn deliver(&mut self, batch: Vec<Submission>) {
        let stamped: Vec<(Submission, OffsetDateTime)> =
            batch.into_iter().map(|s| (s, self.stamp())).collect();
        let verdicts = join_all(stamped.iter().map(|(submission, sent_at)| {
            self.platform.review_message(ReviewInput {
                room_arn: self.room.arn.clone(),
                message_id: submission.message_id.clone(),
                sender: submission.sender.clone(),
                sender_attributes: submission.sender_attributes.clone(),
                content: submission.content.clone(),
                attributes: submission.attributes.clone(),
                sent_at: *sent_at,
            })
        }))
        .await;
        let mut allowed: Vec<(StoredMessage, Submission)> = Vec::new();
        for ((submission, _), verdict) in stamped.into_iter().zip(verdicts) {
            match verdict {
                // The room's budget is spent only on what passed the review and the sender's
                // own limit: a flood, or messages the review refuses, cost the room nothing.
                Ok(Verdict::Allow(message)) if self.room.admit_message(self.clock.now()) => {
                    allowed.push((message, submission));
                }
                Ok(Verdict::Allow(_)) => reply(
                    &submission,
                    code::RATE_LIMITED,
                    "the room's message rate limit was exceeded",
                ),
                Ok(Verdict::Deny(DenyReason::RateLimited)) => reply(
                    &submission,
                    code::RATE_LIMITED,
                    DenyReason::RateLimited.message(),
                ),
                Ok(Verdict::Deny(reason)) => reply(&submission, code::DENIED, denied(reason)),
                Err(DomainError::NotFound(_)) => {
                    reply(&submission, code::NOT_FOUND, "the room does not exist");
                }
                Err(error) => {
                    tracing::error!(%error, "chat review failed");
                    reply(
                        &submission,
                        code::INTERNAL,
                        "the message could not be delivered; try again",
                    );
                }
            }
        }
        if allowed.is_empty() {
            return;
        }
        let messages: Vec<StoredMessage> = allowed.iter().map(|(m, _)| m.clone()).collect();
        match self.platform.keep_messages(&messages).await {
            Ok(()) => {
                let frames: Vec<Frame> = allowed
                    .iter()
                    .map(|(message, submission)| frames::message(message, &submission.request_id))
                    .collect();
                self.room.broadcast_all(&frames);
            }
            Err(error) => {
                tracing::error!(%error, count = allowed.len(), "storing chat messages failed");
                for (_, submission) in &allowed {
                    reply(
                        submission,
                        code::INTERNAL,
                        "the message could not be delivered; try again",
                    );
                }
            }
        }
    }
}

fn reply(submission: &Submission, error_code: u16, message: &str) {
    // A sender whose connection is closed or too slow is gone: nobody to tell.
    let _ =
        submission
            .reply
            .send_frame(&frames::error(&submission.request_id, error_code, message));
}

/// What a sender is told when the review refuses their message (IVS answers 406).
fn denied(reason: DenyReason) -> &'static str {
    match reason {
        DenyReason::Banned => "the message was denied: you are banned from this chat",
        DenyReason::Filtered => "the message was denied: it contains a filtered word",
        DenyReason::TimedOut => "the message was denied: you are timed out in this chat",
        DenyReason::SlowMode => {
            "the message was denied: slow mode is on, wait before sending again"
        }
        DenyReason::AccountTooNew => {
            "the message was denied: this chat asks for an older account before you can send"
        }
        DenyReason::FollowersOnly => {
            "the message was denied: this chat is for the channel's followers"
        }
        DenyReason::EmoteOnly => {
            "the message was denied: this chat is emote-only, send emotes and emoji only"
        }
        DenyReason::LinksOff => "the message was denied: links are off in this chat",
        DenyReason::NotUnique => {
            "the message was denied: unique chat is on, and this was said in the last 30 seconds"
        }
        DenyReason::AccountDeleted => "the message was denied: your account was deleted",
        DenyReason::ChannelSuspended => "the message was denied: this channel is suspended",
        DenyReason::TooLong | DenyReason::Empty | DenyReason::RateLimited => {
            "the message was denied"
        }
    }
}
