//! What the user does in one tab reaches this browser's other tabs at once (a
//! `BroadcastChannel`, which never leaves the browser): a block or an unblock (an open chat
//! drops or lets back the person's lines without waiting for its next token), a follow or an
//! unfollow (an open page of that channel shows it, and its followers-only chat opens or shuts).

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{BroadcastChannel, MessageEvent};

/// The channel's name: every tab of the site's origin that opens it hears the others.
const CHANNEL: &str = "cloumer-tabs";

/// What one tab tells the others.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TabNews {
    Blocked(String),
    Unblocked(String),
    /// The user follows the channel `handle` now (or no longer), which has `followers`.
    Follow {
        handle: String,
        following: bool,
        followers: u64,
    },
}

impl TabNews {
    fn encode(&self) -> String {
        match self {
            Self::Blocked(user) => format!("block {user}"),
            Self::Unblocked(user) => format!("unblock {user}"),
            Self::Follow {
                handle,
                following,
                followers,
            } => {
                let verb = if *following { "follow" } else { "unfollow" };
                format!("{verb} {handle} {followers}")
            }
        }
    }

    /// Another tab's words; anything else on the channel (an older or newer app) is ignored.
    fn decode(text: &str) -> Option<Self> {
        let mut words = text.split(' ');
        let verb = words.next()?;
        let subject = words
            .next()
            .filter(|s| !s.is_empty() && !s.contains(char::is_whitespace))?;
        let count = words.next();
        if words.next().is_some() {
            return None;
        }
        let follow = |following: bool| {
            Some(Self::Follow {
                handle: subject.to_owned(),
                following,
                followers: count?.parse().ok()?,
            })
        };
        match (verb, count) {
            ("block", None) => Some(Self::Blocked(subject.to_owned())),
            ("unblock", None) => Some(Self::Unblocked(subject.to_owned())),
            ("follow", Some(_)) => follow(true),
            ("unfollow", Some(_)) => follow(false),
            _ => None,
        }
    }
}

/// Tells this browser's other tabs (and other listeners in this one) of `news`. A browser
/// without `BroadcastChannel` simply does not: their next reload says it as well.
pub fn tell(news: &TabNews) {
    if let Ok(channel) = BroadcastChannel::new(CHANNEL) {
        let _ = channel.post_message(&JsValue::from_str(&news.encode()));
        channel.close();
    }
}

/// Hears news from other tabs until dropped.
pub struct Listening {
    channel: BroadcastChannel,
    _callback: Closure<dyn FnMut(MessageEvent)>,
}

impl Drop for Listening {
    fn drop(&mut self) {
        self.channel.set_onmessage(None);
        self.channel.close();
    }
}

/// Calls `heard` with each piece of news told elsewhere, while the result is kept.
pub fn listen(mut heard: impl FnMut(TabNews) + 'static) -> Option<Listening> {
    let channel = BroadcastChannel::new(CHANNEL).ok()?;
    let callback = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        if let Some(news) = event
            .data()
            .as_string()
            .as_deref()
            .and_then(TabNews::decode)
        {
            heard(news);
        }
    });
    channel.set_onmessage(Some(callback.as_ref().unchecked_ref()));
    Some(Listening {
        channel,
        _callback: callback,
    })
}

/// Hears news from other tabs for as long as the component being built lives.
pub fn listen_while_mounted(heard: impl FnMut(TabNews) + 'static) {
    let listening = send_wrapper::SendWrapper::new(listen(heard));
    leptos::prelude::on_cleanup(move || drop(listening));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn news_reads_back_as_told_and_nothing_else_is_news() {
        for news in [
            TabNews::Blocked("u-1".into()),
            TabNews::Unblocked("a1b2c3d4-0000-4000-8000-000000000000".into()),
            TabNews::Follow {
                handle: "mina".into(),
                following: true,
                followers: 12,
            },
            TabNews::Follow {
                handle: "jun_01".into(),
                following: false,
                followers: 0,
            },
        ] {
            assert_eq!(TabNews::decode(&news.encode()), Some(news));
        }
        for other in [
            "",
            "block",
            "block ",
            "mute u-1",
            "block u-1 u-2",
            "unblock\tu-1",
            "follow mina",
            "follow mina many",
            "follow mina -1",
            "unfollow mina 3 4",
        ] {
            assert_eq!(TabNews::decode(other), None, "{other:?}");
        }
    }
}
