//! The chat client: the IVS Chat protocol over the browser's WebSocket, with a token from our
//! API for each connection, history on join, and reconnection with backoff (a fresh token each
//! time: tokens are single-use).

pub mod card;
pub mod commands;
pub mod emotes;
pub mod links;
pub mod mentions;
pub mod panel;
pub mod picker;
pub mod poll;
pub mod protocol;
pub mod raid;
pub mod replay;

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{MessageEvent, WebSocket};

use crate::api::{Api, ApiError};
use crate::tab_news::{self, TabNews};
use cloumer_api_types::{EmoteBody, PresenceBody};
use leptos::prelude::IntervalHandle;
use protocol::{ChatLine, Incoming, Pinned, Poll, Raid, Reply};

/// Lines kept in memory; older ones scroll away.
const MAX_LINES: usize = 300;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChatState {
    Connecting,
    Connected,
    Reconnecting,
    /// Banned from this room: no token, no reconnecting.
    Banned,
    /// A private channel the user may not see.
    Forbidden,
}

impl ChatState {
    /// The state's name, as the chat panel's `data-state` shows it to styles and tests. Written
    /// out rather than taken from `Debug`: the release build has no `Debug` output
    /// (`-Zfmt-debug=none`, see xtask/src/web.rs).
    pub fn name(self) -> &'static str {
        match self {
            Self::Connecting => "Connecting",
            Self::Connected => "Connected",
            Self::Reconnecting => "Reconnecting",
            Self::Banned => "Banned",
            Self::Forbidden => "Forbidden",
        }
    }
}

/// Why the user cannot send right now, or what just happened to their message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Notice {
    RateLimited,
    Filtered,
    TooLong,
    Banned,
    Failed,
    DisconnectedByModerator,
    /// Earlier messages could not be loaded (the live ones still arrive).
    HistoryUnavailable,
    /// Refused: the sender is timed out.
    TimedOut,
    /// Refused: slow mode, the previous message was too recent.
    SlowMode,
    /// Refused: the account is younger than the room asks.
    AccountTooNew,
    /// Refused: a followers-only room, and the sender does not follow (long enough).
    FollowersOnly,
    /// Refused: an emote-only room, and the message had words.
    EmoteOnly,
    /// Refused: links are off, and the message had one (told before it goes, too).
    LinksOff,
    /// Refused: unique chat, and the room just saw the message (told before it goes when this
    /// page saw it too).
    NotUnique,
    /// Refused by the room's rules, for a reason the service did not say.
    Refused,
    /// This user just blocked someone (not an error: says where to undo it).
    Blocked,
}

/// When an account made at `joined_ms` is `minutes` old (ms since the epoch); `None` when the
/// room asks no age, or for someone not signed in.
pub fn old_enough_at(joined_ms: Option<f64>, minutes: u32) -> Option<f64> {
    (minutes > 0).then_some(joined_ms? + f64::from(minutes) * 60_000.0)
}

/// How long unique chat remembers what was said, and the shortest message it holds to it (as
/// the domain's `chat_rules`).
const UNIQUE_MS: f64 = 30_000.0;
const UNIQUE_MIN_CHARS: usize = 10;

/// The words unique chat compares: ASCII case folded (the browser app carries no Unicode case
/// tables; the review folds the rest), spaces made one.
fn unique_words(text: &str) -> String {
    text.split_whitespace()
        .map(str::to_ascii_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// A JavaScript event listener kept alive from Rust.
type Listener = Closure<dyn FnMut(JsValue)>;

struct Inner {
    socket: Option<WebSocket>,
    /// The socket's callbacks, kept alive as long as the socket.
    callbacks: Vec<Closure<dyn FnMut(JsValue)>>,
    attempt: u32,
    stopped: bool,
    request_counter: u64,
    /// Messages sent and not yet answered (request id, text), newest last: a refused one's text
    /// goes back to the send box.
    awaiting: std::collections::VecDeque<(String, String)>,
    /// The presence heartbeat, once the first answer said how often.
    heartbeat: Option<IntervalHandle>,
    /// `pagehide`/`pageshow` listeners on the window, removed when the chat stops.
    page_listeners: Vec<(&'static str, Listener)>,
    /// Blocks and unblocks made in this browser's other tabs, heard until the chat stops.
    tab_news: Option<tab_news::Listening>,
}

/// Timeouts a message's menu and a chatter's card offer: a minute, ten, an hour, a day.
pub const TIMEOUT_MINUTES: [u32; 4] = [1, 10, 60, 1440];

/// One room's chat for one page. Cheap to copy into closures.
#[derive(Clone, Copy)]
pub struct ChatClient {
    pub lines: RwSignal<Vec<ChatLine>>,
    pub state: RwSignal<ChatState>,
    pub notice: RwSignal<Option<Notice>>,
    /// Whether the token allows SEND_MESSAGE.
    pub can_send: RwSignal<bool>,
    /// `anonymous`, `viewer`, `moderator` or `owner`.
    pub role: RwSignal<String>,
    pub user_id: RwSignal<String>,
    /// The room's slow mode and account age for this user (0: off).
    pub slow_mode_seconds: RwSignal<u16>,
    pub min_account_age_minutes: RwSignal<u32>,
    /// Followers-only chat for this user: how long a follow must be (`None`: off, or this user
    /// runs the room).
    pub followers_only_minutes: RwSignal<Option<u32>>,
    /// Emote-only chat, for this user (never for those who run the room).
    pub emote_only: RwSignal<bool>,
    /// Links off, for this user (never for those who run the room).
    pub links_off: RwSignal<bool>,
    /// Unique chat, for this user (never for those who run the room).
    pub unique_chat: RwSignal<bool>,
    /// Whether shield mode is raised on the room (for everyone).
    pub shield: RwSignal<bool>,
    /// When this user followed the channel (ms since the epoch), as far as this page knows.
    pub followed_at: RwSignal<Option<f64>>,
    /// When this user's account was made (ms since the epoch): with the room's minimum account
    /// age, which may change while the page is open, it says when they may chat.
    pub joined_at: RwSignal<Option<f64>>,
    /// When this user's timeout ends (ms since the epoch), if they were timed out: the words
    /// above the box speak of a timeout only while it runs.
    pub timed_out_until: RwSignal<Option<f64>>,
    /// Slow mode: when this user's next message may go (ms since the epoch).
    pub next_turn_at: RwSignal<Option<f64>>,
    /// The time, moved once a second while the user waits for one of the above.
    pub now_ms: RwSignal<f64>,
    pub handle: StoredValue<String>,
    /// Bumped when the room announces the stream started or ended.
    pub stream_changes: RwSignal<u32>,
    /// Who is in the room, as of the last heartbeat.
    pub presence: RwSignal<Option<PresenceBody>>,
    /// Moves every half minute, so "2 min ago" stays true.
    pub minute_tick: RwSignal<u32>,
    /// Where older history continues (`None`: nothing older, or not loaded yet).
    pub older: RwSignal<Option<String>>,
    pub loading_older: RwSignal<bool>,
    /// The channel's custom emotes (re-read when the room says they changed).
    pub emotes: RwSignal<Vec<EmoteBody>>,
    /// Where the streamer is sending everyone (a raid), until the page moves or the viewer stays.
    pub raid: RwSignal<Option<Raid>>,
    /// The latest streamer who sent their viewers here.
    pub raided: RwSignal<Option<Raid>>,
    /// The message pinned above the chat (boxed: a line is large, and most rooms pin nothing).
    pub pinned: RwSignal<Option<Box<Pinned>>>,
    /// The chat's poll, open or lately ended (boxed: most rooms have none).
    pub poll: RwSignal<Option<Box<Poll>>>,
    /// The user ids this user blocked: their lines are dropped as they come, never shown here.
    pub blocked: RwSignal<Vec<String>>,
    /// The text of this user's message the room just refused, for the send box to offer again
    /// (the box was cleared when it went).
    pub refused_text: RwSignal<Option<String>>,
    /// This page's reader session (counts a signed-out reader once).
    session: StoredValue<String>,
    api: Api,
    inner: StoredValue<Rc<RefCell<Inner>>, LocalStorage>,
}

impl ChatClient {
    /// Connects to `handle`'s room and loads its history; disconnects when the owner unmounts.
    pub fn start(api: Api, handle: String) -> Self {
        let client = Self {
            lines: RwSignal::new(Vec::new()),
            state: RwSignal::new(ChatState::Connecting),
            notice: RwSignal::new(None),
            can_send: RwSignal::new(false),
            role: RwSignal::new("anonymous".into()),
            user_id: RwSignal::new(String::new()),
            slow_mode_seconds: RwSignal::new(0),
            min_account_age_minutes: RwSignal::new(0),
            followers_only_minutes: RwSignal::new(None),
            emote_only: RwSignal::new(false),
            links_off: RwSignal::new(false),
            unique_chat: RwSignal::new(false),
            shield: RwSignal::new(false),
            followed_at: RwSignal::new(None),
            joined_at: RwSignal::new(None),
            timed_out_until: RwSignal::new(None),
            next_turn_at: RwSignal::new(None),
            now_ms: RwSignal::new(crate::browser::now_ms()),
            stream_changes: RwSignal::new(0),
            handle: StoredValue::new(handle),
            presence: RwSignal::new(None),
            minute_tick: RwSignal::new(0),
            older: RwSignal::new(None),
            loading_older: RwSignal::new(false),
            emotes: RwSignal::new(Vec::new()),
            refused_text: RwSignal::new(None),
            raid: RwSignal::new(None),
            raided: RwSignal::new(None),
            pinned: RwSignal::new(None),
            poll: RwSignal::new(None),
            blocked: RwSignal::new(Vec::new()),
            session: StoredValue::new(reader_session()),
            api,
            inner: StoredValue::new_local(Rc::new(RefCell::new(Inner {
                socket: None,
                callbacks: Vec::new(),
                attempt: 0,
                stopped: false,
                request_counter: 0,
                awaiting: std::collections::VecDeque::new(),
                heartbeat: None,
                page_listeners: Vec::new(),
                tab_news: None,
            }))),
        };
        client.load_history();
        client.load_emotes();
        client.connect();
        client.start_heartbeat();
        client.follow_page_lifecycle();
        client.hear_block_news();
        let seconds = std::cell::Cell::new(0u32);
        let ticking = set_interval_with_handle(
            move || {
                seconds.set(seconds.get() + 1);
                if seconds.get().is_multiple_of(30) {
                    client.minute_tick.update(|n| *n += 1);
                }
                let now = crate::browser::now_ms();
                let waiting = |until: Option<f64>| until.is_some_and(|at| at > now - 1000.0);
                if untrack(|| client.waits(true)).into_iter().any(waiting) {
                    client.now_ms.set(now);
                }
            },
            std::time::Duration::from_secs(1),
        )
        .ok();
        on_cleanup(move || {
            if let Some(ticking) = ticking {
                ticking.clear();
            }
            client.stop();
        });
        client
    }

    /// When each thing that holds this user back ends (ms since the epoch): a timeout, an
    /// account too young for the room, a follow too new for a followers-only room, and, with
    /// `slow_mode`, slow mode's turn. Each is kept apart, so news of one changes only it.
    fn waits(&self, slow_mode: bool) -> [Option<f64>; 4] {
        [
            self.timed_out_until.get(),
            self.old_enough_at(),
            self.followed_long_enough_at(),
            self.next_turn_at.get().filter(|_| slow_mode),
        ]
    }

    /// Seconds the user must still wait before sending (the longest of the waits).
    pub fn wait_seconds(&self) -> Option<u64> {
        let now = self.now_ms.get();
        self.waits(true)
            .into_iter()
            .flatten()
            .filter(|at| *at > now)
            .map(|at| ((at - now) / 1000.0).ceil() as u64)
            .max()
    }

    /// When this user's account is old enough for the room's minimum account age as it is now
    /// (ms since the epoch): worked out here rather than taken from the token, so a room that
    /// lowers or raises the age while the page is open moves the wait at once.
    fn old_enough_at(&self) -> Option<f64> {
        old_enough_at(self.joined_at.get(), self.min_account_age_minutes.get())
    }

    /// When this user's follow is old enough for a followers-only room (ms since the epoch).
    fn followed_long_enough_at(&self) -> Option<f64> {
        let minutes = self.followers_only_minutes.get()?;
        Some(self.followed_at.get()? + f64::from(minutes) * 60_000.0)
    }

    /// Whether this user may not send for a while yet, slow mode aside.
    pub fn held_back(&self) -> bool {
        let now = self.now_ms.get();
        self.waits(false).into_iter().flatten().any(|at| at > now)
    }

    /// Whether this user may send here now or after a wait (and so reply to a message).
    pub fn may_send(&self) -> bool {
        self.can_send.get() && self.state.get() != ChatState::Banned && !self.must_follow()
    }

    /// Whether a timeout holds this user back now (one that ended does not, whatever else
    /// still does).
    pub fn timed_out_now(&self) -> bool {
        let now = self.now_ms.get();
        self.timed_out_until.get().is_some_and(|until| until > now)
    }

    /// Whether the room is followers-only and this user does not follow the channel.
    pub fn must_follow(&self) -> bool {
        self.followers_only_minutes.get().is_some() && self.followed_at.get().is_none()
    }

    /// The page's follow button changed whether this user follows the channel: the room's
    /// followers-only wait starts now, or the user must follow again to send.
    pub fn follow_changed(&self, following: bool) {
        let now = crate::browser::now_ms();
        self.followed_at.set(following.then_some(now));
        self.now_ms.set(now);
    }

    /// This user's own handle, as the room's presence lists it (for mentions of them).
    pub fn own_handle(&self) -> Option<String> {
        let me = self.user_id.get();
        self.presence.with(|p| {
            p.as_ref()?
                .users
                .iter()
                .find(|u| u.user_id == me)
                .map(|u| u.handle.clone())
        })
    }

    /// Whether this user runs the room (deletes, times out and bans).
    pub fn moderates(&self) -> bool {
        self.role.with(|r| r == "owner" || r == "moderator")
    }

    /// Whether this user may delete the messages of, time out or ban `user`, whose role in the
    /// room is `role`: the owner acts on everyone, a moderator on viewers only (the API enforces
    /// the same), and nobody on themselves.
    pub fn may_act_on(&self, user: &str, role: &str) -> bool {
        self.user_id.with(|me| me != user)
            && match role {
                "owner" => false,
                "moderator" => self.role.with(|r| r == "owner"),
                _ => self.moderates(),
            }
    }

    fn inner(&self) -> Rc<RefCell<Inner>> {
        self.inner.get_value()
    }

    /// Reads the channel's emotes; without them, `:code:` simply shows as text.
    fn load_emotes(&self) {
        let client = *self;
        leptos::task::spawn_local(async move {
            if let Ok(emotes) = client.api.channel_emotes(&client.handle.get_value()).await {
                client.emotes.set(emotes);
            }
        });
    }

    fn load_history(&self) {
        let client = *self;
        leptos::task::spawn_local(async move {
            let handle = client.handle.get_value();
            let page = match client.api.chat_history(&handle, None).await {
                Ok(page) => page,
                // A private channel's history: the connection says why, once it is refused.
                Err(ApiError { status: 403, .. }) => return,
                Err(_) => {
                    client.notice.set(Some(Notice::HistoryUnavailable));
                    return;
                }
            };
            client.older.set(page.next.clone());
            {
                let history = history_lines(page);
                client.lines.update(|lines| {
                    // Live lines may have arrived first: history goes before them, without twins.
                    let mut merged: Vec<ChatLine> = history
                        .into_iter()
                        .filter(|h| !lines.iter().any(|l| l.id == h.id))
                        .filter(|h| !client.is_blocked(&h.sender_id))
                        .collect();
                    merged.append(lines);
                    *lines = merged;
                });
            }
        });
    }

    /// Loads the page of history before the oldest line shown and puts it above.
    pub fn load_older(&self) {
        let Some(before) = self.older.get_untracked() else {
            return;
        };
        if self.loading_older.get_untracked() {
            return;
        }
        self.loading_older.set(true);
        let client = *self;
        leptos::task::spawn_local(async move {
            let handle = client.handle.get_value();
            match client.api.chat_history(&handle, Some(&before)).await {
                Ok(page) => {
                    client.older.set(page.next.clone());
                    let older = history_lines(page);
                    client.lines.update(|lines| {
                        let mut merged: Vec<ChatLine> = older
                            .into_iter()
                            .filter(|o| !lines.iter().any(|l| l.id == o.id))
                            .filter(|o| !client.is_blocked(&o.sender_id))
                            .collect();
                        merged.append(lines);
                        *lines = merged;
                    });
                }
                Err(_) => client.notice.set(Some(Notice::HistoryUnavailable)),
            }
            client.loading_older.set(false);
        });
    }

    /// A page the browser keeps in its back/forward cache still holds its socket open: leave the
    /// room when the page is hidden that way (or closed), and come back if it is shown again.
    fn follow_page_lifecycle(&self) {
        let client = *self;
        let hide = Closure::<dyn FnMut(JsValue)>::new(move |_: JsValue| client.suspend());
        let show = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
            let persisted = js_sys::Reflect::get(&event, &JsValue::from_str("persisted"))
                .ok()
                .and_then(|v| v.as_bool())
                .unwrap_or(false);
            if persisted && !client.inner().borrow().stopped {
                client.connect();
                client.start_heartbeat();
            }
        });
        let window = crate::browser::window();
        let inner = self.inner();
        let mut inner = inner.borrow_mut();
        for (name, listener) in [("pagehide", hide), ("pageshow", show)] {
            let _ =
                window.add_event_listener_with_callback(name, listener.as_ref().unchecked_ref());
            inner.page_listeners.push((name, listener));
        }
    }

    /// Leaves the room for now (the page is going away, maybe to come back from the cache).
    fn suspend(&self) {
        let inner = self.inner();
        let mut inner = inner.borrow_mut();
        if let Some(heartbeat) = inner.heartbeat.take() {
            heartbeat.clear();
            self.say_left();
        }
        if let Some(socket) = inner.socket.take() {
            socket.set_onclose(None);
            let _ = socket.close();
        }
    }

    fn say_left(&self) {
        let (api, handle, session) = (self.api, self.handle.get_value(), self.session.get_value());
        leptos::task::spawn_local(async move {
            let _ = api.leave_presence(&handle, &session).await;
        });
    }

    /// Says this page is here now and every `heartbeatSeconds` after, keeping who else is.
    fn start_heartbeat(&self) {
        let client = *self;
        leptos::task::spawn_local(async move {
            let Some(every) = client.beat().await else {
                return;
            };
            let inner = client.inner();
            let mut inner = inner.borrow_mut();
            if inner.stopped {
                return;
            }
            inner.heartbeat = set_interval_with_handle(
                move || {
                    leptos::task::spawn_local(
                        async move { client.beat().await.map(drop).unwrap_or(()) },
                    )
                },
                std::time::Duration::from_secs(u64::from(every.max(5))),
            )
            .ok();
        });
    }

    /// One heartbeat; the interval the server asks for, if it answered.
    async fn beat(&self) -> Option<u32> {
        if self
            .inner
            .try_get_value()
            .is_none_or(|i| i.borrow().stopped)
        {
            return None;
        }
        let handle = self.handle.get_value();
        let session = self.session.get_value();
        let presence = self.api.presence(&handle, &session).await.ok()?;
        let every = presence.heartbeat_seconds;
        self.presence.set(Some(presence));
        Some(every)
    }

    fn connect(&self) {
        let client = *self;
        leptos::task::spawn_local(async move {
            if client.inner().borrow().stopped {
                return;
            }
            let handle = client.handle.get_value();
            match client.api.chat_token(&handle).await {
                Ok(token) => client.open(token),
                Err(ApiError { code, .. }) if code == "banned" => {
                    client.state.set(ChatState::Banned);
                    client.notice.set(Some(Notice::Banned));
                    client.can_send.set(false);
                }
                Err(ApiError { status: 403, .. }) => client.state.set(ChatState::Forbidden),
                // No such room (the page says the channel is not there): trying again with
                // backoff would ask for as long as the page stays open.
                Err(error) if error.is_not_found() => client.stop(),
                Err(_) => client.retry_later(),
            }
        });
    }

    fn open(&self, minted: cloumer_api_types::ChatTokenBody) {
        let client = *self;
        let Ok(socket) = WebSocket::new_with_str(&minted.endpoint, &minted.token) else {
            return self.retry_later();
        };
        self.can_send
            .set(minted.capabilities.iter().any(|c| c == "SEND_MESSAGE"));
        self.role.set(minted.role);
        self.user_id.set(minted.user_id);
        self.slow_mode_seconds.set(minted.slow_mode_seconds);
        self.min_account_age_minutes
            .set(minted.min_account_age_minutes);
        self.followers_only_minutes
            .set(minted.followers_only_minutes);
        self.emote_only.set(minted.emote_only);
        self.links_off.set(minted.links_off);
        self.unique_chat.set(minted.unique_chat);
        self.shield.set(minted.shield);
        self.followed_at.set(
            minted
                .followed_at
                .as_deref()
                .and_then(crate::time::parse_rfc3339_ms),
        );
        self.joined_at.set(
            minted
                .joined_at
                .as_deref()
                .and_then(crate::time::parse_rfc3339_ms),
        );
        self.timed_out_until.set(
            minted
                .timed_out_until
                .as_deref()
                .and_then(crate::time::parse_rfc3339_ms),
        );
        self.now_ms.set(crate::browser::now_ms());
        self.pinned.set(minted.pinned.map(pinned_of));
        self.show_poll(minted.poll.map(Poll::of));
        self.blocked.set(minted.blocked);
        self.drop_blocked();
        let on_open = Closure::<dyn FnMut(JsValue)>::new(move |_| {
            client.inner().borrow_mut().attempt = 0;
            client.state.set(ChatState::Connected);
            // Locally presence is the room's connections: ask again now this one counts.
            leptos::task::spawn_local(async move {
                client.beat().await;
            });
        });
        let on_message = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
            let event: MessageEvent = event.unchecked_into();
            if let Some(text) = event.data().as_string()
                && let Some(incoming) = protocol::parse(&text)
            {
                client.apply(incoming);
            }
        });
        let on_close = Closure::<dyn FnMut(JsValue)>::new(move |_: JsValue| {
            let stopped = client.inner().borrow().stopped;
            if !stopped && client.state.get_untracked() != ChatState::Banned {
                client.retry_later();
            }
        });
        socket.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        let inner = self.inner();
        let mut inner = inner.borrow_mut();
        if let Some(old) = inner.socket.take() {
            old.set_onclose(None);
            let _ = old.close();
        }
        inner.socket = Some(socket);
        inner.callbacks = vec![on_open, on_message, on_close];
    }

    fn retry_later(&self) {
        let client = *self;
        let attempt = {
            let inner = self.inner();
            let mut inner = inner.borrow_mut();
            if inner.stopped {
                return;
            }
            inner.attempt += 1;
            inner.attempt
        };
        self.state.set(ChatState::Reconnecting);
        let delay = protocol::backoff_ms(attempt - 1, js_sys::Math::random());
        set_timeout(
            move || client.connect(),
            std::time::Duration::from_millis(delay as u64),
        );
    }

    fn apply(&self, incoming: Incoming) {
        match incoming {
            Incoming::Message(line) => {
                if line.sender_id == self.user_id.get_untracked() {
                    self.answered(&line.request_id);
                    self.notice.set(None);
                    let slow = self.slow_mode_seconds.get_untracked();
                    if slow > 0 {
                        let now = crate::browser::now_ms();
                        self.next_turn_at.set(Some(now + f64::from(slow) * 1000.0));
                        self.now_ms.set(now);
                    }
                }
                if self.is_blocked(&line.sender_id) {
                    return;
                }
                self.lines.update(|lines| {
                    if !lines.iter().any(|l| l.id == line.id) {
                        lines.push(line);
                        if lines.len() > MAX_LINES {
                            lines.drain(..lines.len() - MAX_LINES);
                        }
                    }
                });
            }
            Incoming::Deleted { message_id } => {
                self.lines
                    .update(|lines| lines.retain(|l| l.id != message_id));
                self.unpinned(&message_id);
            }
            Incoming::Disconnected { user_id, .. } => {
                if user_id == self.user_id.get_untracked() {
                    self.notice.set(Some(Notice::DisconnectedByModerator));
                }
            }
            Incoming::StreamStarted | Incoming::StreamEnded | Incoming::SuspensionChanged => {
                self.stream_changes.update(|n| *n += 1)
            }
            Incoming::TimedOut { user_id, until } => {
                if user_id == self.user_id.get_untracked() {
                    let until = crate::time::parse_rfc3339_ms(&until);
                    self.timed_out_until.set(until);
                    self.now_ms.set(crate::browser::now_ms());
                }
            }
            Incoming::RulesChanged {
                slow_mode_seconds,
                min_account_age_minutes,
                followers_only_minutes,
                emote_only,
                links_off,
                unique_chat,
                shield,
            } => {
                self.shield.set(shield);
                // The owner and moderators are not slowed: their token said 0, and stays so.
                if !self.moderates() {
                    self.slow_mode_seconds.set(slow_mode_seconds);
                    self.min_account_age_minutes.set(min_account_age_minutes);
                    self.followers_only_minutes.set(followers_only_minutes);
                    self.emote_only.set(emote_only);
                    self.links_off.set(links_off);
                    self.unique_chat.set(unique_chat);
                    self.now_ms.set(crate::browser::now_ms());
                }
            }
            Incoming::EmotesChanged => self.load_emotes(),
            Incoming::Pinned { message_id, by } => {
                let held = self
                    .lines
                    .with_untracked(|lines| lines.iter().find(|l| l.id == message_id).cloned());
                match held {
                    Some(line) => self.pinned.set(Some(Box::new(Pinned { line, by }))),
                    None => self.load_pin(),
                }
            }
            Incoming::Unpinned { message_id } => self.unpinned(&message_id),
            Incoming::PollOpened(poll) => self.show_poll(Some(*poll)),
            Incoming::PollVotes { poll_id, votes } => self.poll_counted(&poll_id, &votes, false),
            Incoming::PollEnded { poll_id, votes } => self.poll_counted(&poll_id, &votes, true),
            Incoming::Raid(to) => self.raid.set(Some(to)),
            Incoming::Raided(from) => self.raided.set(Some(from)),
            Incoming::OtherEvent(_) => {}
            Incoming::Error {
                code,
                message,
                request_id,
            } => {
                if let Some(text) = self.answered(&request_id) {
                    self.refused_text.set(Some(text));
                }
                self.notice.set(Some(match code {
                    429 => Notice::RateLimited,
                    406 if message.contains("banned") => Notice::Banned,
                    406 if message.contains("timed out") => Notice::TimedOut,
                    406 if message.contains("slow mode") => Notice::SlowMode,
                    406 if message.contains("older account") => Notice::AccountTooNew,
                    406 if message.contains("followers") => Notice::FollowersOnly,
                    406 if message.contains("emote-only") => Notice::EmoteOnly,
                    406 if message.contains("links are off") => Notice::LinksOff,
                    406 if message.contains("unique chat") => Notice::NotUnique,
                    406 if message.contains("filtered") => Notice::Filtered,
                    // IVS's review handler cannot say why it denied (the local server can): the
                    // client knows slow mode, timeouts, account age and followers-only before
                    // sending.
                    406 => Notice::Refused,
                    400 | 413 if message.contains("at most") || message.contains("too large") => {
                        Notice::TooLong
                    }
                    _ => Notice::Failed,
                }));
            }
        }
    }

    /// Drops the pinned message if it is `message_id` (taken down, or deleted).
    fn unpinned(&self, message_id: &str) {
        if self
            .pinned
            .with_untracked(|p| p.as_ref().is_some_and(|p| p.line.id == message_id))
        {
            self.pinned.set(None);
        }
    }

    /// Reads the pinned message the room named and this page does not hold (it is older than
    /// the lines loaded), within a couple of seconds: a crowded room's pages do not all ask at
    /// once.
    fn load_pin(&self) {
        let client = *self;
        let delay = js_sys::Math::random() * 2000.0;
        set_timeout(
            move || {
                leptos::task::spawn_local(async move {
                    if let Ok(pin) = client.api.chat_pin(&client.handle.get_value()).await {
                        client.pinned.set(pin.pinned.map(pinned_of));
                    }
                });
            },
            std::time::Duration::from_millis(delay as u64),
        );
    }

    /// Pins `id` (a moderator's action); the page shows it at once, and the room hears of it.
    pub fn pin(&self, id: &str) -> impl std::future::Future<Output = Result<(), ApiError>> + use<> {
        let (client, id) = (*self, id.to_owned());
        async move {
            let pinned = client
                .api
                .pin_message(&client.handle.get_value(), &id)
                .await?;
            client.pinned.set(Some(pinned_of(pinned)));
            Ok(())
        }
    }

    /// Whether `text` plainly holds words, by this channel's emotes (see
    /// [`emotes::plainly_words`]).
    pub fn plainly_words(&self, text: &str) -> bool {
        self.emotes.with_untracked(|emotes| {
            emotes::plainly_words(text, |code| emotes.iter().any(|e| e.code == code))
        })
    }

    /// Whether the room said `text` in the last [`UNIQUE_MS`] as far as this page saw (unique
    /// chat compares the words, in any case and spacing; the review decides, this only warns
    /// before the message goes, as IVS's review cannot say why it refused).
    pub fn said_lately(&self, text: &str) -> bool {
        let words = unique_words(text);
        if words.chars().count() < UNIQUE_MIN_CHARS {
            return false;
        }
        let since = crate::browser::now_ms() - UNIQUE_MS;
        self.lines.with_untracked(|lines| {
            lines.iter().rev().any(|line| {
                crate::time::parse_rfc3339_ms(&line.send_time).is_some_and(|at| at > since)
                    && unique_words(&line.content) == words
            })
        })
    }

    /// Whether this user blocked `sender` (their lines never join [`Self::lines`]).
    fn is_blocked(&self, sender: &str) -> bool {
        self.blocked
            .with_untracked(|b| b.iter().any(|id| id == sender))
    }

    /// Takes the lines of those this user blocked off the page: history that came before the
    /// token said whom, or the lines of someone just blocked.
    fn drop_blocked(&self) {
        let blocked = self.blocked.get_untracked();
        if blocked.is_empty() {
            return;
        }
        // The page redraws only when a line actually went.
        self.lines.maybe_update(|lines| {
            let before = lines.len();
            lines.retain(|l| !blocked.contains(&l.sender_id));
            lines.len() != before
        });
    }

    /// A block or an unblock made in another tab of this browser applies here at once, not with
    /// the next token (an unblocked person's lines show again from their next one).
    fn hear_block_news(&self) {
        let client = *self;
        let listening = tab_news::listen(move |news| match news {
            TabNews::Blocked(user) => client.now_blocked(user),
            TabNews::Unblocked(user) => client.blocked.update(|b| b.retain(|id| *id != user)),
            // The page's follow button hears it, and tells the chat.
            TabNews::Follow { .. } => {}
        });
        self.inner().borrow_mut().tab_news = listening;
    }

    /// `user_id` is blocked from now on: their lines leave the page.
    fn now_blocked(&self, user_id: String) {
        self.blocked.update(|b| {
            if !b.contains(&user_id) {
                b.push(user_id);
            }
        });
        self.drop_blocked();
    }

    /// Whether this user blocked `user_id` (tracked: a view that asks redraws on a block).
    pub fn blocks(&self, user_id: &str) -> bool {
        self.blocked.with(|b| b.iter().any(|id| id == user_id))
    }

    /// Blocks the sender `user_id` for this user: their lines leave the page at once, and the
    /// browser's other tabs hear of it.
    pub fn block(
        &self,
        user_id: &str,
    ) -> impl std::future::Future<Output = Result<(), ApiError>> + use<> {
        let (client, user_id) = (*self, user_id.to_owned());
        async move {
            client.api.block_user(&user_id).await?;
            tab_news::tell(&TabNews::Blocked(user_id.clone()));
            client.now_blocked(user_id);
            client.notice.set(Some(Notice::Blocked));
            Ok(())
        }
    }

    /// Takes the pinned message down (a moderator's action).
    pub fn unpin(&self) -> impl std::future::Future<Output = Result<(), ApiError>> + use<> {
        let client = *self;
        let shown = self
            .pinned
            .with_untracked(|p| p.as_ref().map(|p| p.line.id.clone()));
        async move {
            let Some(shown) = shown else {
                return Ok(());
            };
            client
                .api
                .unpin_message(&client.handle.get_value(), &shown)
                .await?;
            client.unpinned(&shown);
            Ok(())
        }
    }

    /// Forgets the sent message `request_id` and returns its text, if it was this page's.
    fn answered(&self, request_id: &str) -> Option<String> {
        let inner = self.inner.try_get_value()?;
        let mut inner = inner.borrow_mut();
        let at = inner.awaiting.iter().position(|(id, _)| id == request_id)?;
        inner.awaiting.remove(at).map(|(_, text)| text)
    }

    /// Sends a message (answering the message `reply_to`, if given); the server echoes it to
    /// everyone (including us) once it is allowed.
    pub fn send(&self, content: &str, reply_to: Option<&str>) -> bool {
        let inner = self.inner();
        let mut inner = inner.borrow_mut();
        inner.request_counter += 1;
        let request_id = format!(
            "r{}-{}",
            inner.request_counter,
            (js_sys::Math::random() * 1e9) as u64
        );
        let sent = match &inner.socket {
            Some(socket) if socket.ready_state() == WebSocket::OPEN => socket
                .send_with_str(&protocol::send_message(&request_id, content, reply_to))
                .is_ok(),
            _ => false,
        };
        if sent {
            // A few at most are in flight; an answer lost to a reconnection must not pile up.
            if inner.awaiting.len() >= 8 {
                inner.awaiting.pop_front();
            }
            inner.awaiting.push_back((request_id, content.to_owned()));
        }
        sent
    }

    fn stop(&self) {
        let Some(inner) = self.inner.try_get_value() else {
            return;
        };
        let mut inner = inner.borrow_mut();
        inner.stopped = true;
        if let Some(heartbeat) = inner.heartbeat.take() {
            heartbeat.clear();
            // Tell the room at once (the cloud would otherwise count us until we time out).
            self.say_left();
        }
        let window = crate::browser::window();
        for (name, listener) in inner.page_listeners.drain(..) {
            let _ =
                window.remove_event_listener_with_callback(name, listener.as_ref().unchecked_ref());
        }
        inner.tab_news = None;
        if let Some(socket) = inner.socket.take() {
            socket.set_onclose(None);
            let _ = socket.close();
        }
        inner.callbacks.clear();
    }
}

/// Lines of a history page, oldest first.
fn history_lines(page: cloumer_api_types::ChatHistoryPage) -> Vec<ChatLine> {
    page.items.into_iter().rev().map(line_of).collect()
}

/// A stored message as the panel shows it.
fn line_of(m: cloumer_api_types::ChatMessageBody) -> ChatLine {
    ChatLine {
        id: m.id,
        request_id: String::new(),
        sender_id: m.sender.user_id,
        handle: m.sender.handle,
        nickname: m.sender.nickname,
        avatar: m.sender.avatar,
        role: m.sender.role,
        reply: Reply::of(Some(&m.attributes)),
        content: m.content,
        send_time: m.sent_at,
    }
}

fn pinned_of(pinned: cloumer_api_types::PinnedMessageBody) -> Box<Pinned> {
    Box::new(Pinned {
        line: line_of(pinned.message),
        by: pinned.pinned_by,
    })
}

/// A random session id for this page: 24 letters and digits.
fn reader_session() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    (0..24)
        .map(|_| {
            let i = (js_sys::Math::random() * ALPHABET.len() as f64) as usize;
            char::from(ALPHABET[i.min(ALPHABET.len() - 1)])
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{old_enough_at, unique_words};

    #[test]
    fn unique_chat_compares_words_whatever_their_case_and_spacing() {
        assert_eq!(
            unique_words("  Follow MY\tchannel   for FREE "),
            "follow my channel for free"
        );
        assert_eq!(unique_words("ㅋㅋ  ㅋㅋ"), "ㅋㅋ ㅋㅋ");
        assert_eq!(unique_words(""), "");
    }

    #[test]
    fn the_account_age_wait_follows_the_rule_as_it_is_now() {
        let joined = Some(1_000_000.0);
        assert_eq!(old_enough_at(joined, 60), Some(1_000_000.0 + 3_600_000.0));
        assert_eq!(old_enough_at(joined, 30), Some(1_000_000.0 + 1_800_000.0));
        assert_eq!(old_enough_at(joined, 0), None, "the room asks no age");
        assert_eq!(old_enough_at(None, 60), None, "not signed in");
    }
}
