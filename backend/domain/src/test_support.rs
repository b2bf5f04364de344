//! Builders for unit tests.

use time::OffsetDateTime;

use crate::channel::Channel;
use crate::handle::ChannelHandle;
use crate::ids::UserId;
use crate::profile::{Avatar, Language, Nickname, NotificationPreferences, Profile};

pub fn profile(user: &str) -> Profile {
    let user_id = UserId::parse(user).unwrap();
    Profile {
        avatar: Avatar::default_for(&user_id),
        user_id,
        username: user.to_owned(),
        nickname: Nickname::parse(user).unwrap(),
        language: Language::En,
        email: Some(format!("{user}@example.com")),
        notifications: NotificationPreferences::default(),
    }
}

pub fn channel(owner: &str, handle: &str) -> Channel {
    Channel::new(
        &profile(owner),
        ChannelHandle::parse(handle).unwrap(),
        OffsetDateTime::UNIX_EPOCH,
    )
}
