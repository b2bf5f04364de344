//! Paging cursors: what a client passes back to get the next page. Clients treat them as
//! opaque; their syntax is plain text the OpenAPI document states exactly (see the query
//! parameters in `routes::params`), so every cursor that matches it decodes, and one that does not
//! is a 400, never a panic.

use cloumer_domain::DomainError;
use cloumer_domain::channel::ActivityCursor;
use cloumer_domain::chat::MessageCursor;
use cloumer_domain::clip::ClipCursor;
use cloumer_domain::follow::FollowCursor;
use cloumer_domain::ids::{ChannelId, ClipId, MessageId, RecordingId, ReportId, UserId, VideoId};
use cloumer_domain::moderation_log::ModerationCursor;
use cloumer_domain::notification::NotificationCursor;
use cloumer_domain::recording::RecordingCursor;
use cloumer_domain::report::ReportCursor;
use cloumer_domain::use_cases::directory::DirectoryCursor;
use cloumer_domain::use_cases::follows::FollowerCursor;
use cloumer_domain::video::VideoCursor;
use time::OffsetDateTime;

fn invalid() -> DomainError {
    DomainError::invalid("invalid_cursor", "the cursor is not one this API issued")
}

/// `<nanoseconds since 1970>:<id>`, the time in at most 19 digits (before the year 2286).
fn time_and_id(text: &str) -> Result<(OffsetDateTime, &str), DomainError> {
    let (nanos, id) = text.split_once(':').ok_or_else(invalid)?;
    if nanos.is_empty() || nanos.len() > 19 || !nanos.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid());
    }
    let nanos: i128 = nanos.parse().map_err(|_| invalid())?;
    let at = OffsetDateTime::from_unix_timestamp_nanos(nanos).map_err(|_| invalid())?;
    Ok((at, id))
}

pub fn encode_directory(cursor: &DirectoryCursor) -> String {
    match cursor {
        DirectoryCursor::Live { offset } => format!("L{offset}"),
        DirectoryCursor::Others(None) => "O".to_owned(),
        DirectoryCursor::Others(Some(a)) => format!("O{}:{}", a.at.unix_timestamp_nanos(), a.id),
    }
}

pub fn decode_directory(cursor: &str) -> Result<DirectoryCursor, DomainError> {
    let text = cursor;
    if let Some(offset) = text.strip_prefix('L') {
        if offset.is_empty() || offset.len() > 9 || !offset.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid());
        }
        let offset = offset.parse().map_err(|_| invalid())?;
        return Ok(DirectoryCursor::Live { offset });
    }
    match text.strip_prefix('O') {
        Some("") => Ok(DirectoryCursor::Others(None)),
        Some(rest) => {
            let (at, id) = time_and_id(rest)?;
            let id = ChannelId::parse(id).map_err(|_| invalid())?;
            Ok(DirectoryCursor::Others(Some(ActivityCursor { at, id })))
        }
        None => Err(invalid()),
    }
}

pub fn encode_message(cursor: &MessageCursor) -> String {
    format!("{}:{}", cursor.sent_at.unix_timestamp_nanos(), cursor.id)
}

pub fn decode_message(cursor: &str) -> Result<MessageCursor, DomainError> {
    let (sent_at, id) = time_and_id(cursor)?;
    let id = MessageId::parse(id).map_err(|_| invalid())?;
    Ok(MessageCursor { sent_at, id })
}

pub fn encode_recording(cursor: &RecordingCursor) -> String {
    format!("{}:{}", cursor.at.unix_timestamp_nanos(), cursor.id)
}

pub fn decode_recording(cursor: &str) -> Result<RecordingCursor, DomainError> {
    let (at, id) = time_and_id(cursor)?;
    let id = RecordingId::parse(id).map_err(|_| invalid())?;
    Ok(RecordingCursor { at, id })
}

pub fn encode_clip(cursor: &ClipCursor) -> String {
    format!("{}:{}", cursor.at.unix_timestamp_nanos(), cursor.id)
}

pub fn decode_clip(cursor: &str) -> Result<ClipCursor, DomainError> {
    let (at, id) = time_and_id(cursor)?;
    let id = ClipId::parse(id).map_err(|_| invalid())?;
    Ok(ClipCursor { at, id })
}

pub fn encode_video(cursor: &VideoCursor) -> String {
    format!("{}:{}", cursor.at.unix_timestamp_nanos(), cursor.id)
}

pub fn decode_video(cursor: &str) -> Result<VideoCursor, DomainError> {
    let (at, id) = time_and_id(cursor)?;
    let id = VideoId::parse(id).map_err(|_| invalid())?;
    Ok(VideoCursor { at, id })
}

/// The caller's followed channels: the follow's time and the channel (the user is the caller).
pub fn encode_following(cursor: &FollowCursor) -> String {
    format!("{}:{}", cursor.at.unix_timestamp_nanos(), cursor.channel_id)
}

pub fn decode_following(cursor: &str, user: &UserId) -> Result<FollowCursor, DomainError> {
    let (at, id) = time_and_id(cursor)?;
    let channel_id = ChannelId::parse(id).map_err(|_| invalid())?;
    Ok(FollowCursor {
        at,
        user_id: user.clone(),
        channel_id,
    })
}

/// The caller's channel's followers: the follow's time and the follower (the channel is the
/// caller's).
pub fn encode_follower(cursor: &FollowerCursor) -> String {
    format!("{}:{}", cursor.at.unix_timestamp_nanos(), cursor.user_id)
}

pub fn decode_follower(cursor: &str) -> Result<FollowerCursor, DomainError> {
    let (at, id) = time_and_id(cursor)?;
    let user_id = UserId::parse(id).map_err(|_| invalid())?;
    Ok(FollowerCursor { at, user_id })
}

/// The caller's notifications: the time and the channel.
pub fn encode_notification(cursor: &NotificationCursor) -> String {
    format!("{}:{}", cursor.at.unix_timestamp_nanos(), cursor.channel_id)
}

pub fn decode_notification(cursor: &str) -> Result<NotificationCursor, DomainError> {
    let (at, id) = time_and_id(cursor)?;
    let channel_id = ChannelId::parse(id).map_err(|_| invalid())?;
    Ok(NotificationCursor { at, channel_id })
}

pub fn encode_report(cursor: &ReportCursor) -> String {
    format!("{}:{}", cursor.created_at.unix_timestamp_nanos(), cursor.id)
}

pub fn decode_report(cursor: &str) -> Result<ReportCursor, DomainError> {
    let (created_at, id) = time_and_id(cursor)?;
    let id = ReportId::parse(id).map_err(|_| invalid())?;
    Ok(ReportCursor { created_at, id })
}

pub fn encode_moderation(cursor: &ModerationCursor) -> String {
    format!("{}:{}", cursor.at.unix_timestamp_nanos(), cursor.id)
}

pub fn decode_moderation(cursor: &str) -> Result<ModerationCursor, DomainError> {
    let (at, id) = time_and_id(cursor)?;
    // The query's pattern: what a log entry's id may be (ours are 12 letters and digits).
    let valid = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b':' | b'-');
    if id.is_empty() || id.len() > 64 || !id.bytes().all(valid) {
        return Err(invalid());
    }
    Ok(ModerationCursor {
        at,
        id: id.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip() {
        let at = OffsetDateTime::from_unix_timestamp_nanos(1_790_000_000_123_456_789).unwrap();
        for cursor in [
            DirectoryCursor::Live { offset: 40 },
            DirectoryCursor::Others(None),
            DirectoryCursor::Others(Some(ActivityCursor {
                at,
                id: ChannelId::parse("chabc").unwrap(),
            })),
        ] {
            assert_eq!(
                decode_directory(&encode_directory(&cursor)).unwrap(),
                cursor
            );
        }
        let message = MessageCursor {
            sent_at: at,
            id: MessageId::parse("AbCdEf123456").unwrap(),
        };
        assert_eq!(decode_message(&encode_message(&message)).unwrap(), message);
        let user = UserId::parse("viewer").unwrap();
        let follow = FollowCursor {
            at,
            user_id: user.clone(),
            channel_id: ChannelId::parse("chabc").unwrap(),
        };
        assert_eq!(
            decode_following(&encode_following(&follow), &user).unwrap(),
            follow
        );
        let follower = FollowerCursor {
            at,
            user_id: user.clone(),
        };
        assert_eq!(
            decode_follower(&encode_follower(&follower)).unwrap(),
            follower
        );
        let notification = NotificationCursor {
            at,
            channel_id: ChannelId::parse("chabc").unwrap(),
        };
        assert_eq!(
            decode_notification(&encode_notification(&notification)).unwrap(),
            notification
        );
    }

    #[test]
    fn tampered_cursors_are_invalid_not_panics() {
        for bad in [
            "",
            "!!!",
            "TA",
            "L-1",
            "L+1",
            "O12:",
            "X",
            "99999999999999999999999999999:a",
            "+12:a",
            "12:a b",
        ] {
            assert!(decode_directory(bad).is_err(), "{bad}");
            assert!(decode_message(bad).is_err(), "{bad}");
            assert!(
                decode_following(bad, &UserId::parse("u").unwrap()).is_err(),
                "{bad}"
            );
            assert!(decode_notification(bad).is_err(), "{bad}");
        }
    }
}
