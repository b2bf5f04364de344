//! A block or an unblock made in one tab reaches this browser's other tabs at once (a
//! `BroadcastChannel`, which never leaves the browser): an open chat there drops the blocked
//! person's lines without waiting for its next token, and an open profile lists them.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{BroadcastChannel, MessageEvent};

/// The channel's name: every tab of the site's origin that opens it hears the others.
const CHANNEL: &str = "cloumer-blocks";

/// What one tab tells the others.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BlockNews {
    Blocked(String),
    Unblocked(String),
}

impl BlockNews {
    fn encode(&self) -> String {
        match self {
            Self::Blocked(user) => format!("block {user}"),
            Self::Unblocked(user) => format!("unblock {user}"),
        }
    }

    /// Another tab's words; anything else on the channel (an older or newer app) is ignored.
    fn decode(text: &str) -> Option<Self> {
        let (verb, user) = text.split_once(' ')?;
        if user.is_empty() || user.contains(char::is_whitespace) {
            return None;
        }
        match verb {
            "block" => Some(Self::Blocked(user.to_owned())),
            "unblock" => Some(Self::Unblocked(user.to_owned())),
            _ => None,
        }
    }
}

/// Tells this browser's other tabs (and other listeners in this one) of `news`. A browser
/// without `BroadcastChannel` simply does not: their next chat token says it as well.
pub fn tell(news: &BlockNews) {
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
pub fn listen(mut heard: impl FnMut(BlockNews) + 'static) -> Option<Listening> {
    let channel = BroadcastChannel::new(CHANNEL).ok()?;
    let callback = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        if let Some(news) = event
            .data()
            .as_string()
            .as_deref()
            .and_then(BlockNews::decode)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn news_reads_back_as_told_and_nothing_else_is_news() {
        for news in [
            BlockNews::Blocked("u-1".into()),
            BlockNews::Unblocked("a1b2c3d4-0000-4000-8000-000000000000".into()),
        ] {
            assert_eq!(BlockNews::decode(&news.encode()), Some(news));
        }
        for other in [
            "",
            "block",
            "block ",
            "mute u-1",
            "block u-1 u-2",
            "unblock\tu-1",
        ] {
            assert_eq!(BlockNews::decode(other), None, "{other:?}");
        }
    }
}
