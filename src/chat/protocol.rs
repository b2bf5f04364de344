//! The IVS Chat protocol as the chat panel reads it: the frames are the shared definitions in
//! [`cloumer_api_types::chat`] (the local chat server writes the same types); this module turns
//! them into what the panel shows. Pure data, tested on the host.

use cloumer_api_types::chat::{Attributes, Request, ServerFrame, event, reply};

/// A chat line as the panel shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChatLine {
    pub id: String,
    pub request_id: String,
    pub sender_id: String,
    /// The sender's channel handle (how they are mentioned); may be empty.
    pub handle: String,
    pub nickname: String,
    pub avatar: String,
    pub role: String,
    pub content: String,
    pub send_time: String,
    /// The message this one answers, as the room's review wrote it (boxed: most lines answer
    /// nothing, and every line is moved around in the panel's list).
    pub reply: Option<Box<Reply>>,
}

/// Whose message a reply answers (the text is found among the page's lines, if still there).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    pub id: String,
    pub sender_id: String,
    pub nickname: String,
    pub handle: String,
}

impl Reply {
    /// The reply a message's attributes describe: only one the review wrote (it names the
    /// answered message's sender; a client sends just the id).
    pub fn of(attributes: Option<&Attributes>) -> Option<Box<Reply>> {
        let attributes = attributes?;
        let get = |key: &str| attributes.get(key).cloned();
        Some(Box::new(Reply {
            id: get(reply::TO)?,
            sender_id: get(reply::SENDER)?,
            nickname: get(reply::NICKNAME).unwrap_or_default(),
            handle: get(reply::HANDLE).unwrap_or_default(),
        }))
    }
}

/// The message pinned above the chat, and the nickname of whoever pinned it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pinned {
    pub line: ChatLine,
    pub by: String,
}

/// A poll in the chat, as the panel shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Poll {
    pub id: String,
    pub question: String,
    pub choices: Vec<String>,
    /// Each answer's votes, in order.
    pub votes: Vec<u64>,
    /// This user's answer, if they voted.
    pub my_vote: Option<u8>,
    /// When it closes by itself (RFC 3339).
    pub ends_at: String,
    /// Who opened it (a nickname).
    pub by: String,
    /// Ended (early, or this page learnt it is past its end).
    pub closed: bool,
}

impl Poll {
    pub fn of(body: cloumer_api_types::PollBody) -> Self {
        Self {
            id: body.id,
            question: body.question,
            choices: body.choices,
            votes: body.votes,
            my_vote: body.my_vote,
            ends_at: body.ends_at,
            by: body.opened_by,
            closed: !body.open,
        }
    }

    /// Takes a newer count of the same poll. Votes only ever grow, so a count that left the
    /// server before this page's own vote was counted lowers nothing.
    pub fn counted(&mut self, votes: &[u64]) {
        if votes.len() == self.votes.len() {
            for (mine, theirs) in self.votes.iter_mut().zip(votes) {
                *mine = (*mine).max(*theirs);
            }
        }
    }
}

/// `3,0,12` → `[3, 0, 12]`; `None` for anything else.
fn votes_of(text: &str) -> Option<Vec<u64>> {
    text.split(',').map(|n| n.parse().ok()).collect()
}

/// A raid's other channel: the one it sends the room's viewers to, or the one whose viewers it
/// brings (with how many were watching). One type for both, so the app carries one signal type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Raid {
    pub handle: String,
    pub nickname: String,
    /// 0 for a raid leaving this room (it does not say).
    pub viewers: u64,
}

/// What the server sent, as the panel understands it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Incoming {
    Message(ChatLine),
    Deleted {
        message_id: String,
    },
    Disconnected {
        user_id: String,
        reason: String,
    },
    StreamStarted,
    StreamEnded,
    /// Staff suspended the channel or lifted it: as much a change of the channel as a start.
    SuspensionChanged,
    /// A viewer was timed out until `until` (RFC 3339).
    TimedOut {
        user_id: String,
        until: String,
    },
    /// The room's rules for viewers changed.
    RulesChanged {
        slow_mode_seconds: u16,
        min_account_age_minutes: u32,
        /// Followers-only chat (`None`: off; the attribute is absent then).
        followers_only_minutes: Option<u32>,
        /// Emote-only chat (the attribute is `true`, and absent when off).
        emote_only: bool,
        /// Links off for viewers (the attribute is `true`, and absent when off).
        links_off: bool,
        /// Unique chat for viewers (the attribute is `true`, and absent when off).
        unique_chat: bool,
        /// Shield mode raised (the attribute is `true`, and absent when lowered).
        shield: bool,
    },
    /// The channel's custom emotes changed.
    EmotesChanged,
    /// The message `message_id` was pinned above the chat, by `by`.
    Pinned {
        message_id: String,
        by: String,
    },
    /// The pinned message `message_id` was taken down.
    Unpinned {
        message_id: String,
    },
    /// A poll opened (boxed: most frames are messages).
    PollOpened(Box<Poll>),
    /// The count of the poll `poll_id` so far.
    PollVotes {
        poll_id: String,
        votes: Vec<u64>,
    },
    /// The poll `poll_id` was ended early with these votes.
    PollEnded {
        poll_id: String,
        votes: Vec<u64>,
    },
    /// The streamer sends everyone to another live channel.
    Raid(Raid),
    /// A streamer is sending their viewers to this channel.
    Raided(Raid),
    OtherEvent(String),
    Error {
        request_id: String,
        code: u16,
        message: String,
    },
}

/// Whether `text` could be a channel handle (what a page may be moved to): 3–25 lowercase
/// letters, digits and underscores, as the domain's handles are. Only our backend sends room
/// events (a chat token cannot), but a page is not moved to anything else all the same.
fn is_handle(text: &str) -> bool {
    (3..=25).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// Reads a frame; `None` for anything that is not one.
pub fn parse(text: &str) -> Option<Incoming> {
    Some(match serde_json::from_str::<ServerFrame>(text).ok()? {
        ServerFrame::Message(frame) => Incoming::Message(ChatLine {
            nickname: frame.sender.attribute("nickname").to_owned(),
            handle: frame.sender.attribute("handle").to_owned(),
            avatar: frame.sender.attribute("avatar").to_owned(),
            role: frame.sender.attribute("role").to_owned(),
            sender_id: frame.sender.user_id,
            id: frame.id,
            request_id: frame.request_id,
            reply: Reply::of(frame.attributes.as_ref()),
            content: frame.content,
            send_time: frame.send_time,
        }),
        ServerFrame::Event(frame) => match frame.event_name.as_str() {
            event::DELETE_MESSAGE => Incoming::Deleted {
                message_id: frame.deleted_message_id().unwrap_or_default().to_owned(),
            },
            event::DISCONNECT_USER => Incoming::Disconnected {
                user_id: frame.attribute("UserId").to_owned(),
                reason: frame.attribute("Reason").to_owned(),
            },
            event::STREAM_START => Incoming::StreamStarted,
            event::STREAM_END => Incoming::StreamEnded,
            event::CHANNEL_SUSPENDED => Incoming::SuspensionChanged,
            event::TIMEOUT => Incoming::TimedOut {
                user_id: frame.attribute("UserId").to_owned(),
                until: frame.attribute("Until").to_owned(),
            },
            event::CHAT_RULES => Incoming::RulesChanged {
                slow_mode_seconds: frame.attribute("SlowModeSeconds").parse().unwrap_or(0),
                min_account_age_minutes: frame
                    .attribute("MinAccountAgeMinutes")
                    .parse()
                    .unwrap_or(0),
                followers_only_minutes: frame.attribute("FollowersOnlyMinutes").parse().ok(),
                emote_only: frame.attribute("EmoteOnly") == "true",
                links_off: frame.attribute("LinksOff") == "true",
                unique_chat: frame.attribute("UniqueChat") == "true",
                shield: frame.attribute("Shield") == "true",
            },
            event::EMOTES => Incoming::EmotesChanged,
            event::PIN => Incoming::Pinned {
                message_id: frame.attribute("MessageId").to_owned(),
                by: frame.attribute("By").to_owned(),
            },
            event::UNPIN => Incoming::Unpinned {
                message_id: frame.attribute("MessageId").to_owned(),
            },
            event::POLL => {
                let choices: Vec<String> = (1..=5)
                    .map(|i| frame.attribute(&format!("Choice{i}")))
                    .take_while(|choice| !choice.is_empty())
                    .map(str::to_owned)
                    .collect();
                Incoming::PollOpened(Box::new(Poll {
                    id: frame.attribute("PollId").to_owned(),
                    question: frame.attribute("Question").to_owned(),
                    votes: vec![0; choices.len()],
                    choices,
                    my_vote: None,
                    ends_at: frame.attribute("EndsAt").to_owned(),
                    by: frame.attribute("By").to_owned(),
                    closed: false,
                }))
            }
            name @ (event::POLL_VOTES | event::POLL_END) => {
                let Some(votes) = votes_of(frame.attribute("Votes")) else {
                    return Some(Incoming::OtherEvent(frame.event_name));
                };
                let poll_id = frame.attribute("PollId").to_owned();
                if name == event::POLL_END {
                    Incoming::PollEnded { poll_id, votes }
                } else {
                    Incoming::PollVotes { poll_id, votes }
                }
            }
            // A raid names a channel to move to: only a handle's characters, so that an event
            // cannot send the page anywhere but a channel of this site.
            name @ (event::RAID | event::RAIDED) if is_handle(frame.attribute("Handle")) => {
                let raid = Raid {
                    handle: frame.attribute("Handle").to_owned(),
                    nickname: frame.attribute("Nickname").to_owned(),
                    viewers: frame.attribute("Viewers").parse().unwrap_or(0),
                };
                if name == event::RAID {
                    Incoming::Raid(raid)
                } else {
                    Incoming::Raided(raid)
                }
            }
            _ => Incoming::OtherEvent(frame.event_name),
        },
        ServerFrame::Error(frame) => Incoming::Error {
            request_id: frame.request_id,
            code: frame.error_code,
            message: frame.error_message,
        },
    })
}

/// A `SEND_MESSAGE` request.
pub fn send_message(request_id: &str, content: &str, reply_to: Option<&str>) -> String {
    serde_json::to_string(&Request::send_message(request_id, content, reply_to)).unwrap_or_default()
}

/// Reconnection delay after `attempt` failures: 1 s, 2 s, 4 s … up to 30 s, with ±20% jitter
/// (`jitter` in 0..1) so a room's clients do not all come back at once.
pub fn backoff_ms(attempt: u32, jitter: f64) -> f64 {
    let base = 1000.0 * 2f64.powi(attempt.min(5) as i32);
    base.min(30_000.0) * (0.8 + 0.4 * jitter.clamp(0.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_poll_and_its_counts_parse_from_their_events() {
        let opened = r#"{"Type":"EVENT","EventName":"app:POLL","Attributes":{"PollId":"po1","Question":"다음 맵?","Choice1":"Dust","Choice2":"Mirage","EndsAt":"2026-12-06T20:00:00Z","By":"방장"}}"#;
        let Some(Incoming::PollOpened(poll)) = parse(opened) else {
            panic!("not a poll");
        };
        assert_eq!(poll.choices, ["Dust", "Mirage"]);
        assert_eq!((poll.votes.as_slice(), poll.closed), (&[0, 0][..], false));
        assert_eq!(
            (poll.question.as_str(), poll.by.as_str()),
            ("다음 맵?", "방장")
        );
        let votes = r#"{"Type":"EVENT","EventName":"app:POLL_VOTES","Attributes":{"PollId":"po1","Votes":"3,12"}}"#;
        assert_eq!(
            parse(votes),
            Some(Incoming::PollVotes {
                poll_id: "po1".into(),
                votes: vec![3, 12]
            })
        );
        let end = r#"{"Type":"EVENT","EventName":"app:POLL_END","Attributes":{"PollId":"po1","Votes":"4,12"}}"#;
        assert!(matches!(parse(end), Some(Incoming::PollEnded { .. })));
        let garbled = r#"{"Type":"EVENT","EventName":"app:POLL_VOTES","Attributes":{"PollId":"po1","Votes":"3,x"}}"#;
        assert!(matches!(parse(garbled), Some(Incoming::OtherEvent(_))));

        // A count that left before this page's own vote lowers nothing.
        let mut poll = *poll;
        poll.votes = vec![1, 5];
        poll.counted(&[0, 7]);
        assert_eq!(poll.votes, [1, 7]);
        poll.counted(&[9]);
        assert_eq!(poll.votes, [1, 7], "another poll's shape is ignored");
    }

    #[test]
    fn timeouts_and_rule_changes_parse_from_their_events() {
        let timeout = r#"{"Type":"EVENT","EventName":"app:TIMEOUT","Attributes":{"UserId":"u2","Until":"2026-11-30T12:10:00Z"}}"#;
        assert_eq!(
            parse(timeout),
            Some(Incoming::TimedOut {
                user_id: "u2".into(),
                until: "2026-11-30T12:10:00Z".into()
            })
        );
        let rules = r#"{"Type":"EVENT","EventName":"app:CHAT_RULES","Attributes":{"SlowModeSeconds":"30","MinAccountAgeMinutes":"x"}}"#;
        assert_eq!(
            parse(rules),
            Some(Incoming::RulesChanged {
                slow_mode_seconds: 30,
                min_account_age_minutes: 0,
                followers_only_minutes: None,
                emote_only: false,
                links_off: false,
                unique_chat: false,
                shield: false
            })
        );
        let followers_only = r#"{"Type":"EVENT","EventName":"app:CHAT_RULES","Attributes":{"SlowModeSeconds":"0","MinAccountAgeMinutes":"0","FollowersOnlyMinutes":"10","EmoteOnly":"true","LinksOff":"true","UniqueChat":"true","Shield":"true"}}"#;
        assert_eq!(
            parse(followers_only),
            Some(Incoming::RulesChanged {
                slow_mode_seconds: 0,
                min_account_age_minutes: 0,
                followers_only_minutes: Some(10),
                emote_only: true,
                links_off: true,
                unique_chat: true,
                shield: true
            })
        );
        let emotes = r#"{"Type":"EVENT","EventName":"app:EMOTES","Attributes":null}"#;
        assert_eq!(parse(emotes), Some(Incoming::EmotesChanged));
        let pin =
            r#"{"Type":"EVENT","EventName":"app:PIN","Attributes":{"MessageId":"m1","By":"방장"}}"#;
        assert_eq!(
            parse(pin),
            Some(Incoming::Pinned {
                message_id: "m1".into(),
                by: "방장".into()
            })
        );
        let unpin = r#"{"Type":"EVENT","EventName":"app:UNPIN","Attributes":{"MessageId":"m1","By":"방장"}}"#;
        assert_eq!(
            parse(unpin),
            Some(Incoming::Unpinned {
                message_id: "m1".into()
            })
        );
    }

    #[test]
    fn a_raid_names_a_channel_of_this_site_and_nothing_else() {
        let event = |name: &str, attributes: &str| {
            parse(&format!(
                r#"{{"Type":"EVENT","EventName":"{name}","Attributes":{attributes}}}"#
            ))
        };
        assert_eq!(
            event("app:RAID", r#"{"Handle":"jun_2","Nickname":"준"}"#),
            Some(Incoming::Raid(Raid {
                handle: "jun_2".into(),
                nickname: "준".into(),
                viewers: 0
            }))
        );
        for handle in [
            "",
            "//evil.example",
            "../dashboard",
            "Jun",
            "x",
            &"a".repeat(26),
        ] {
            let attributes = format!(r#"{{"Handle":"{handle}","Nickname":"n","Viewers":"1"}}"#);
            for name in ["app:RAID", "app:RAIDED"] {
                assert_eq!(
                    event(name, &attributes),
                    Some(Incoming::OtherEvent(name.into())),
                    "{handle}"
                );
            }
        }
        assert_eq!(
            event(
                "app:RAIDED",
                r#"{"Handle":"mina","Nickname":"Mina","Viewers":"12"}"#
            ),
            Some(Incoming::Raided(Raid {
                handle: "mina".into(),
                nickname: "Mina".into(),
                viewers: 12
            }))
        );
        assert!(matches!(
            event(
                "app:RAIDED",
                r#"{"Handle":"mina","Nickname":"Mina","Viewers":"many"}"#
            ),
            Some(Incoming::Raided(Raid { viewers: 0, .. }))
        ));
    }

    #[test]
    fn messages_events_and_errors_parse_as_ivs_sends_them() {
        let message = r#"{"Type":"MESSAGE","Id":"AbCdEf123456","RequestId":"r1","Attributes":null,
            "Content":"안녕","SendTime":"2026-11-22T12:00:00.123456789Z",
            "Sender":{"UserId":"u1","Attributes":{"nickname":"Alice","avatar":"preset:fox","role":"owner"}}}"#;
        match parse(message).unwrap() {
            Incoming::Message(line) => {
                assert_eq!(line.id, "AbCdEf123456");
                assert_eq!(line.nickname, "Alice");
                assert_eq!(line.role, "owner");
                assert_eq!(line.content, "안녕");
            }
            other => panic!("{other:?}"),
        }
        let deleted = r#"{"Type":"EVENT","Id":"x","RequestId":"","EventName":"aws:DELETE_MESSAGE","Attributes":{"MessageID":"m1","Reason":"spam"},"SendTime":"t"}"#;
        assert_eq!(
            parse(deleted),
            Some(Incoming::Deleted {
                message_id: "m1".into()
            })
        );
        let disconnected = r#"{"Type":"EVENT","EventName":"aws:DISCONNECT_USER","Attributes":{"UserId":"u2","Reason":"bye"}}"#;
        assert_eq!(
            parse(disconnected),
            Some(Incoming::Disconnected {
                user_id: "u2".into(),
                reason: "bye".into()
            })
        );
        let error = r#"{"Type":"ERROR","Id":"e","RequestId":"r9","ErrorCode":429,"ErrorMessage":"slow down"}"#;
        assert_eq!(
            parse(error),
            Some(Incoming::Error {
                request_id: "r9".into(),
                code: 429,
                message: "slow down".into()
            })
        );
        assert_eq!(
            parse(r#"{"Type":"EVENT","EventName":"app:STREAM_START"}"#),
            Some(Incoming::StreamStarted)
        );
        assert_eq!(parse("not json"), None);
        assert_eq!(parse(r#"{"Type":"SOMETHING"}"#), None);
    }

    #[test]
    fn send_requests_are_ivs_actions() {
        let frame: serde_json::Value =
            serde_json::from_str(&send_message("r1", "hi \"there\"", None)).unwrap();
        assert_eq!(frame["Action"], "SEND_MESSAGE");
        assert_eq!(frame["RequestId"], "r1");
        assert_eq!(frame["Content"], "hi \"there\"");
        let reply: serde_json::Value =
            serde_json::from_str(&send_message("r2", "yes", Some("M1"))).unwrap();
        assert_eq!(reply["Attributes"], serde_json::json!({"replyTo": "M1"}));
    }

    #[test]
    fn a_reply_is_read_only_as_the_review_wrote_it() {
        let frame = |attributes: &str| {
            format!(
                r#"{{"Type":"MESSAGE","Id":"M2","RequestId":"","Attributes":{attributes},"Content":"yes","SendTime":"2026-12-05T12:00:00.000000000Z","Sender":{{"UserId":"u2","Attributes":{{}}}}}}"#
            )
        };
        let reply_of = |attributes: &str| match parse(&frame(attributes)) {
            Some(Incoming::Message(line)) => line.reply,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            reply_of(
                r#"{"replyTo":"M1","replyToSender":"u1","replyToNickname":"미나","replyToHandle":"mina"}"#
            ),
            Some(Box::new(Reply {
                id: "M1".into(),
                sender_id: "u1".into(),
                nickname: "미나".into(),
                handle: "mina".into(),
            }))
        );
        // Only the id: what a client sends, not what a review delivers.
        assert_eq!(reply_of(r#"{"replyTo":"M1"}"#), None);
        assert_eq!(reply_of("null"), None);
    }

    #[test]
    fn reconnection_backs_off_exponentially_with_a_cap() {
        assert_eq!(backoff_ms(0, 0.5), 1000.0);
        assert_eq!(backoff_ms(2, 0.5), 4000.0);
        assert_eq!(backoff_ms(9, 0.5), 30_000.0);
        assert_eq!(backoff_ms(0, 0.0), 800.0);
        assert!((backoff_ms(0, 1.0) - 1200.0).abs() < 1e-9);
    }
}
