//! Replies in chat. A message names the one it answers by id (`replyTo`, the only key a client
//! sends); the review then writes whose message that was from the message as stored, so no
//! client can put a name on a reply that its target did not write. The answered text is not
//! copied into the reply: a message a moderator deleted must not live on in the replies to it,
//! so pages show that text only while they still hold the message itself.

use std::collections::BTreeMap;

use crate::chat::StoredMessage;
use crate::ids::{MessageId, UserId};

// The same names as `cloumer_api_types::chat::reply`, which the browser app reads.

/// The id of the message answered: the client's, checked against the room's history.
pub const REPLY_TO: &str = "replyTo";
/// Written by the review from the answered message: its sender's user id, nickname and handle.
pub const REPLY_TO_SENDER: &str = "replyToSender";
pub const REPLY_TO_NICKNAME: &str = "replyToNickname";
pub const REPLY_TO_HANDLE: &str = "replyToHandle";

/// The message `attributes` say this one answers, if they name one shaped like a message id.
pub fn answered(attributes: &BTreeMap<String, String>) -> Option<MessageId> {
    attributes
        .get(REPLY_TO)
        .and_then(|id| MessageId::parse(id).ok())
}

/// Whose message `attributes` say this one answers, as the review wrote it.
pub fn answered_sender(attributes: &BTreeMap<String, String>) -> Option<UserId> {
    attributes
        .get(REPLY_TO_SENDER)
        .and_then(|id| UserId::parse(id).ok())
}

/// `attributes` as the room delivers them: the reply written from `parent`, the answered message
/// as this room's history holds it (`None` when it names none, or one that is not there: deleted,
/// never sent, or another room's), and nothing a client wrote under the review's keys.
pub fn with_reply(
    mut attributes: BTreeMap<String, String>,
    parent: Option<&StoredMessage>,
) -> BTreeMap<String, String> {
    for key in [REPLY_TO_SENDER, REPLY_TO_NICKNAME, REPLY_TO_HANDLE] {
        attributes.remove(key);
    }
    match parent {
        Some(parent) => {
            let said = |key: &str| {
                parent
                    .sender_attributes
                    .get(key)
                    .cloned()
                    .unwrap_or_default()
            };
            attributes.insert(REPLY_TO.to_owned(), parent.id.to_string());
            attributes.insert(REPLY_TO_SENDER.to_owned(), parent.sender.to_string());
            attributes.insert(REPLY_TO_NICKNAME.to_owned(), said("nickname"));
            attributes.insert(REPLY_TO_HANDLE.to_owned(), said("handle"));
        }
        None => {
            attributes.remove(REPLY_TO);
        }
    }
    attributes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{ChannelId, UserId};
    use time::macros::datetime;

    fn parent() -> StoredMessage {
        StoredMessage {
            channel_id: ChannelId::parse("ch1").unwrap(),
            id: MessageId::parse("M1parent").unwrap(),
            sent_at: datetime!(2026-12-05 12:00 UTC),
            sender: UserId::parse("u-mina").unwrap(),
            sender_attributes: BTreeMap::from([
                ("nickname".to_owned(), "미나".to_owned()),
                ("handle".to_owned(), "mina".to_owned()),
                ("avatar".to_owned(), "preset:cat".to_owned()),
            ]),
            content: "안녕".to_owned(),
            attributes: BTreeMap::new(),
        }
    }

    fn sent(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn a_reply_names_the_answered_sender_as_stored_whatever_the_client_wrote() {
        let forged = sent(&[
            (REPLY_TO, "M1parent"),
            (REPLY_TO_NICKNAME, "Admin"),
            (REPLY_TO_SENDER, "u-admin"),
            ("colour", "blue"),
        ]);
        assert_eq!(answered(&forged), MessageId::parse("M1parent").ok());
        assert_eq!(
            with_reply(forged, Some(&parent())),
            sent(&[
                (REPLY_TO, "M1parent"),
                (REPLY_TO_SENDER, "u-mina"),
                (REPLY_TO_NICKNAME, "미나"),
                (REPLY_TO_HANDLE, "mina"),
                ("colour", "blue"),
            ])
        );
    }

    #[test]
    fn a_reply_to_nothing_there_goes_as_a_plain_message() {
        let forged = sent(&[(REPLY_TO, "gone"), (REPLY_TO_HANDLE, "jun")]);
        assert_eq!(with_reply(forged, None), BTreeMap::new());
        assert_eq!(answered(&sent(&[(REPLY_TO, "../../x")])), None);
        assert_eq!(answered(&sent(&[])), None);
        assert_eq!(with_reply(sent(&[("a", "b")]), None), sent(&[("a", "b")]));
    }
}
