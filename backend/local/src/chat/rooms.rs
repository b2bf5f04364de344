//! Rooms: who is connected, the room's limits, and fan-out of frames to every connection. A room
//! knows nothing of reviews or history: it delivers what it is handed, in the order handed.
//!
//! A frame is written into every member's socket by whoever hands it to the room, under the
//! room's lock (see [`super::outlet`]): every connection gets the room's frames in one order,
//! and a delivery wakes no task.

use std::collections::{HashMap, HashSet};
use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use cloumer_domain::chat_rules::ChatRules;
use cloumer_domain::ids::{ChannelId, UserId};
use cloumer_domain::limits::RateLimit;
use cloumer_domain::presence::{Presence, PresentUser};
use time::{Duration, OffsetDateTime};

use super::frames::Frame;
use super::outlet::{Outlet, Sent};

const ROOM_ARN_PREFIX: &str = "arn:cloumer:ivschat:local:room/";

/// Rooms with this many connections count as crowded. A delivery costs a system call per
/// connection, so a crowded room is written by every core at once, since one thread writing to
/// thousands of sockets makes the last reader wait for all the others (`cargo xtask bench chat`,
/// 2,000 readers at 20 messages/s on two cores: p50 15.7 → 13.4 ms, p99 35.9 → 28.9 ms, means
/// of three and nine runs), and it fans out at most once per [`CROWDED_FAN_OUT_INTERVAL`].
const CROWDED_FROM: usize = 512;

/// How often a crowded room fans out at most: messages that come meanwhile wait and go out
/// together, one system call per connection for all of them instead of one each, so what a
/// busy crowded room costs is bounded by its size, not by its message rate. 2,000 readers at
/// 100 messages/s (`cargo xtask bench chat`, against the bare relay in the same run): CPU per
/// delivery 1.14× → 0.83–0.92×, p99 0.58× → 0.42–0.52× (one run before, eight after); at 20
/// messages/s, when messages come further apart than this, nothing waits. Far below what a
/// chat reader can notice.
pub const CROWDED_FAN_OUT_INTERVAL: std::time::Duration = std::time::Duration::from_millis(20);

/// The cores this process may use (read once: finding out reads the cgroup's files).
fn cores() -> usize {
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, usize::from))
}

/// Runs `work`, which holds this thread for milliseconds (a crowded room's fan-out), after
/// handing the other tasks waiting for this worker of a multi-threaded runtime to another, so
/// they are not held up with it (an API request arriving during a fan-out to 10,000 readers).
fn holding_this_thread<T>(work: impl FnOnce() -> T) -> T {
    use tokio::runtime::{Handle, RuntimeFlavor};
    if Handle::try_current()
        .is_ok_and(|runtime| runtime.runtime_flavor() == RuntimeFlavor::MultiThread)
    {
        tokio::task::block_in_place(work)
    } else {
        work()
    }
}

/// Why every connection is closed when the server stops (1001, going away: clients reconnect).
const SERVER_STOPPING: &str = "the chat server is stopping";
/// The close reason when a room is deleted (its channel with it).
const ROOM_DELETED: &str = "the room was deleted";

struct Member {
    user_id: UserId,
    /// A signed-in member as the room's presence list shows them (`None` for readers).
    shown_as: Option<PresentUser>,
    /// The client's address, when known: signed-out readers are told apart by it.
    client: Option<IpAddr>,
    outlet: Arc<Outlet>,
}

impl Member {
    /// Sends `bytes` to this member; false when the connection no longer takes frames (it
    /// leaves the room then).
    fn send(&self, bytes: &[u8], room: &str) -> bool {
        match self.outlet.send(bytes) {
            Sent::Taken => true,
            Sent::TooSlow => {
                tracing::warn!(room, user = %self.user_id, "dropping a slow chat reader");
                false
            }
            Sent::Closed => false,
        }
    }
}

/// Who a connection counts as among a room's viewers.
#[derive(Hash, PartialEq, Eq)]
enum Viewer {
    User(UserId),
    Client(IpAddr),
    /// A signed-out connection whose client is unknown counts on its own.
    Connection(u64),
}

/// The limits IVS enforces per room, cached here so a message does not cost a store read.
#[derive(Clone, Debug)]
pub struct RoomLimits {
    pub max_message_length: usize,
    pub max_messages_per_second: u32,
}

impl From<&ChatRules> for RoomLimits {
    fn from(rules: &ChatRules) -> Self {
        Self {
            max_message_length: usize::from(rules.max_message_length),
            max_messages_per_second: u32::from(rules.max_messages_per_second),
        }
    }
}

/// One chat room: its connections, its limits and its message rate.
pub struct Room {
    pub arn: String,
    /// Held while a frame is written to every member: one order for all of them.
    members: Mutex<HashMap<u64, Member>>,
    /// From how many members the room is crowded ([`CROWDED_FROM`]).
    crowded_from: usize,
    /// When the room last began writing a frame to every member.
    last_fan_out: Mutex<Option<Instant>>,
    /// `None` until known: set when the room is created or updated, or read from the channel
    /// by the first connection after a restart.
    limits: Mutex<Option<RoomLimits>>,
    /// The room-wide rate limit, as the generic cell rate algorithm keeps it: when the next
    /// message would be on schedule if every earlier one had come exactly at the rate (`None`
    /// before the first).
    on_schedule: Mutex<Option<OffsetDateTime>>,
}

impl Room {
    fn new(arn: String) -> Self {
        Self {
            arn,
            members: Mutex::default(),
            crowded_from: CROWDED_FROM,
            last_fan_out: Mutex::new(None),
            limits: Mutex::new(None),
            on_schedule: Mutex::new(None),
        }
    }

    /// The room's limits (IVS's defaults until they are known).
    pub fn limits(&self) -> RoomLimits {
        self.limits
            .lock()
            .expect("room lock")
            .clone()
            .unwrap_or_else(|| RoomLimits::from(&ChatRules::default()))
    }

    pub fn knows_limits(&self) -> bool {
        self.limits.lock().expect("room lock").is_some()
    }

    pub fn set_limits(&self, rules: &ChatRules) {
        *self.limits.lock().expect("room lock") = Some(RoomLimits::from(rules));
    }

    /// Counts a message against the room's rate; false when over it. A burst of up to the
    /// per-second limit passes at once, then one message per interval (a second divided by the
    /// limit): messages paced at the rate always pass, however they fall across clock seconds
    /// (the platform's rule for every rate, [`RateLimit::take`]).
    pub fn admit_message(&self, now: OffsetDateTime) -> bool {
        let room = RateLimit {
            max: self.limits().max_messages_per_second.max(1),
            per: Duration::SECOND,
        };
        let mut on_schedule = self.on_schedule.lock().expect("room lock");
        match room.take(*on_schedule, now) {
            Ok(until) => {
                *on_schedule = Some(until);
                true
            }
            Err(_) => false,
        }
    }

    /// Adds a connection; every frame broadcast from now on goes to `outlet`.
    pub fn join(
        &self,
        user_id: UserId,
        shown_as: Option<PresentUser>,
        client: Option<IpAddr>,
        outlet: Arc<Outlet>,
    ) -> u64 {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        let id = NEXT.fetch_add(1, Ordering::Relaxed);
        self.members.lock().expect("room lock").insert(
            id,
            Member {
                user_id,
                shown_as,
                client,
                outlet,
            },
        );
        id
    }

    /// Signed-out connections to this room from `client`.
    pub fn anonymous_connections_from(&self, client: IpAddr) -> usize {
        self.members
            .lock()
            .expect("room lock")
            .values()
            .filter(|m| m.user_id.is_anonymous() && m.client == Some(client))
            .count()
    }

    /// The live viewer count from the clients playing the channel (see
    /// [`crate::ingest::PlaybackViews`]): each client once, or once per signed-in person in
    /// the room from its address (a household on one connection, each signed in). People in
    /// the room who are not playing do not count: IVS counts playback, not chat.
    pub fn viewers_among(&self, playing: &[IpAddr]) -> usize {
        let mut signed_in: HashMap<IpAddr, HashSet<&UserId>> = HashMap::new();
        let members = self.members.lock().expect("room lock");
        for member in members.values() {
            if let (false, Some(client)) = (member.user_id.is_anonymous(), member.client) {
                signed_in.entry(client).or_default().insert(&member.user_id);
            }
        }
        playing
            .iter()
            .map(|client| {
                signed_in
                    .get(client)
                    .map_or(1, |people| people.len().max(1))
            })
            .sum()
    }

    /// People in the room: each signed-in user once, however many tabs they have open, and
    /// signed-out readers once per client address, so one client cannot inflate the count.
    fn people(&self) -> HashSet<Viewer> {
        let members = self.members.lock().expect("room lock");
        let mut people: HashSet<Viewer> = HashSet::new();
        for (id, member) in members.iter() {
            people.insert(match (member.user_id.is_anonymous(), member.client) {
                (false, _) => Viewer::User(member.user_id.clone()),
                (true, Some(client)) => Viewer::Client(client),
                (true, None) => Viewer::Connection(*id),
            });
        }
        people
    }

    /// Who is connected: signed-in members as they are shown, and signed-out readers counted as
    /// [`Room::people`] counts them.
    pub fn presence(&self) -> Presence {
        let users: Vec<PresentUser> = self
            .members
            .lock()
            .expect("room lock")
            .values()
            .filter_map(|m| m.shown_as.clone())
            .collect();
        let readers = self
            .people()
            .iter()
            .filter(|p| !matches!(p, Viewer::User(_)))
            .count();
        Presence::from_found(users, readers as u64)
    }

    pub fn leave(&self, member: u64) {
        self.members.lock().expect("room lock").remove(&member);
    }

    pub fn connection_count(&self) -> usize {
        self.members.lock().expect("room lock").len()
    }

    /// When the next fan-out may begin, if not at once: a crowded room waits for
    /// [`CROWDED_FAN_OUT_INTERVAL`] after the last one began.
    pub fn next_fan_out(&self, now: Instant) -> Option<Instant> {
        if self.connection_count() < self.crowded_from {
            return None;
        }
        let last = (*self.last_fan_out.lock().expect("room lock"))?;
        let next = last + CROWDED_FAN_OUT_INTERVAL;
        (next > now).then_some(next)
    }

    /// Sends `frame` to every connection. A connection too far behind is closed and leaves,
    /// so one stalled reader never holds up the room.
    pub fn broadcast(&self, frame: &Frame) {
        self.broadcast_all(std::slice::from_ref(frame));
    }

    /// Sends `frames`, in order, to every connection: together, so a busy room costs each
    /// connection one system call per batch rather than one per frame.
    pub fn broadcast_all(&self, frames: &[Frame]) {
        let joined: Vec<u8>;
        let bytes = match frames {
            [] => return,
            [one] => one.bytes(),
            many => {
                joined = many.iter().map(Frame::bytes).collect::<Vec<_>>().concat();
                &joined
            }
        };
        let mut members = self.members.lock().expect("room lock");
        *self.last_fan_out.lock().expect("room lock") = Some(Instant::now());
        if members.len() < self.crowded_from {
            members.retain(|_, member| member.send(bytes, &self.arn));
            return;
        }
        // One share per core: this thread writes the first while threads of their own write
        // the others (a pool would have this thread wait idle, and measured slower).
        let everyone: Vec<(&u64, &Member)> = members.iter().collect();
        let share = everyone.len().div_ceil(cores());
        let send = |some: &[(&u64, &Member)]| -> Vec<u64> {
            some.iter()
                .filter(|(_, member)| !member.send(bytes, &self.arn))
                .map(|(id, _)| **id)
                .collect()
        };
        let gone: Vec<u64> = holding_this_thread(|| {
            std::thread::scope(|scope| {
                let mut shares = everyone.chunks(share);
                let mine = shares.next().unwrap_or_default();
                let others: Vec<_> = shares
                    .map(|other| {
                        std::thread::Builder::new()
                            .name("chat-fan-out".to_owned())
                            .spawn_scoped(scope, || send(other))
                            // No thread to be had: written here, after this thread's own share.
                            .map_err(|_| send(other))
                    })
                    .collect();
                let mut gone = send(mine);
                for other in others {
                    match other {
                        Ok(thread) => {
                            gone.extend(thread.join().expect("a fan-out thread panicked"))
                        }
                        Err(written_here) => gone.extend(written_here),
                    }
                }
                gone
            })
        });
        drop(everyone);
        for id in gone {
            members.remove(&id);
        }
    }

    /// Announces `frame` to the room, then closes every connection of `user` after it.
    /// Returns how many connections it closed.
    pub fn disconnect(&self, user: &UserId, frame: &Frame, reason: &str) -> usize {
        let mut closed = 0;
        self.members.lock().expect("room lock").retain(|_, member| {
            let taking = member.send(frame.bytes(), &self.arn);
            if &member.user_id != user {
                return taking;
            }
            member.outlet.close(1000, reason);
            closed += 1;
            false
        });
        closed
    }

    /// Closes every connection after what it was already sent.
    fn close_every_connection(&self, code: u16, reason: &str) {
        for member in self.members.lock().expect("room lock").values() {
            member.outlet.close(code, reason);
        }
    }
}

/// Every room of the local chat, created on first use. Rooms live in memory: after a restart
/// their limits are read back from the channel by the first connection.
#[derive(Default)]
pub struct Rooms {
    rooms: Mutex<HashMap<String, Arc<Room>>>,
}

impl Rooms {
    /// The room ARN of a channel's room (the room is named after the channel, as in the cloud).
    pub fn arn(channel: &ChannelId) -> String {
        format!("{ROOM_ARN_PREFIX}{channel}")
    }

    pub fn room(&self, arn: &str) -> Arc<Room> {
        self.rooms
            .lock()
            .expect("rooms lock")
            .entry(arn.to_owned())
            .or_insert_with(|| Arc::new(Room::new(arn.to_owned())))
            .clone()
    }

    /// Forgets the room and closes every connection to it, after what was already queued (IVS
    /// Chat `DeleteRoom`).
    pub fn delete(&self, arn: &str) {
        let removed = self.rooms.lock().expect("rooms lock").remove(arn);
        if let Some(room) = removed {
            room.close_every_connection(1000, ROOM_DELETED);
        }
    }

    /// Closes every connection of every room, after what was already queued: the server is
    /// stopping. Connections hold the stack's data while open, and clients reconnect to the
    /// next start.
    pub fn close_every_connection(&self) {
        let rooms: Vec<Arc<Room>> = self
            .rooms
            .lock()
            .expect("rooms lock")
            .values()
            .cloned()
            .collect();
        for room in rooms {
            room.close_every_connection(1001, SERVER_STOPPING);
        }
    }

    /// The live viewer count of a room's channel, from the clients playing it (see
    /// [`Room::viewers_among`]).
    pub fn viewer_count(&self, arn: &str, playing: &[IpAddr]) -> usize {
        let room = self.rooms.lock().expect("rooms lock").get(arn).cloned();
        room.map_or(playing.len(), |room| room.viewers_among(playing))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    use tokio::io::AsyncReadExt;
    use tokio::net::TcpStream;

    use crate::chat::outlet::loopback_pair;

    fn room_with_rate(per_second: u16) -> Room {
        let room = Room::new("r".into());
        room.set_limits(&ChatRules {
            max_messages_per_second: per_second,
            ..ChatRules::default()
        });
        room
    }

    /// A member connected over loopback (with the smallest buffers if `stalled`), with
    /// `backlog` bytes allowed to wait; its client's end.
    async fn member(room: &Room, user: &str, stalled: bool, backlog: usize) -> TcpStream {
        let (socket, client) = loopback_pair(stalled).await;
        room.join(
            UserId::parse(user).unwrap(),
            None,
            None,
            Arc::new(Outlet::new(socket, backlog)),
        );
        client
    }

    /// What a client received, frame by frame, until the server's side closed.
    async fn frames_of(mut client: TcpStream) -> Vec<String> {
        let mut bytes = Vec::new();
        tokio::time::timeout(Duration::from_secs(5), client.read_to_end(&mut bytes))
            .await
            .expect("the server's side closed")
            .unwrap();
        let mut seen = Vec::new();
        let mut rest = &bytes[..];
        while let [head, length, tail @ ..] = rest {
            // Lengths to 125 in the byte itself; 126 says two bytes follow with it.
            let (length, tail) = match (*length, tail) {
                (126, [high, low, tail @ ..]) => {
                    (usize::from(u16::from_be_bytes([*high, *low])), tail)
                }
                (length, tail) => (usize::from(length), tail),
            };
            let (payload, next) = tail.split_at(length);
            seen.push(match head {
                0x81 => String::from_utf8(payload.to_vec()).unwrap(),
                0x88 => format!(
                    "close {} {}",
                    u16::from_be_bytes([payload[0], payload[1]]),
                    std::str::from_utf8(&payload[2..]).unwrap()
                ),
                other => panic!("unexpected frame {other:#x}"),
            });
            rest = next;
        }
        seen
    }

    fn at(seconds: f64) -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp(1_000).unwrap() + time::Duration::seconds_f64(seconds)
    }

    #[test]
    fn the_room_rate_limit_lets_a_burst_of_its_rate_through_then_one_per_interval() {
        let room = room_with_rate(2);
        assert!(room.admit_message(at(0.0)));
        assert!(room.admit_message(at(0.0)));
        assert!(!room.admit_message(at(0.1)), "the burst is spent");
        assert!(!room.admit_message(at(0.4)));
        assert!(room.admit_message(at(0.5)), "half a second earns one");
        assert!(!room.admit_message(at(0.6)));
        assert!(
            room.admit_message(at(1.6)),
            "a second earns two, up to the burst"
        );
        assert!(room.admit_message(at(1.6)));
        assert!(!room.admit_message(at(1.6)));
    }

    /// Messages paced at exactly the room's rate, one a little early: a count per clock second
    /// saw three in one second and refused one (6–11 of 2,000 in `cargo xtask bench chat` at
    /// 100 messages/s).
    #[test]
    fn messages_at_the_rooms_rate_pass_even_when_one_comes_early() {
        let room = room_with_rate(2);
        for seconds in [0.0, 0.5, 0.99, 1.5, 2.0, 2.49, 3.0] {
            assert!(room.admit_message(at(seconds)), "at {seconds} s");
        }
    }

    #[tokio::test]
    async fn readers_and_viewers_are_people_not_connections() {
        let room = room_with_rate(10);
        let here: IpAddr = "192.0.2.1".parse().unwrap();
        let there: IpAddr = "192.0.2.2".parse().unwrap();
        let (socket, _client) = loopback_pair(false).await;
        let join = |user: UserId, client| {
            room.join(
                user,
                None,
                client,
                Arc::new(Outlet::new(socket.clone(), 64)),
            );
        };
        let alice = UserId::parse("alice").unwrap();
        join(alice.clone(), Some(here));
        join(alice, Some(there));
        for _ in 0..5 {
            join(UserId::anonymous(), Some(here));
        }
        join(UserId::anonymous(), Some(there));
        join(UserId::anonymous(), None);
        assert_eq!(room.connection_count(), 9);
        assert_eq!(room.presence().readers, 3, "two clients, one unknown");
        assert_eq!(room.anonymous_connections_from(here), 5);
        // Viewers are the clients playing: one each, or each signed-in person there.
        let elsewhere: IpAddr = "192.0.2.3".parse().unwrap();
        assert_eq!(room.viewers_among(&[]), 0, "in the room is not watching");
        assert_eq!(room.viewers_among(&[elsewhere]), 1);
        join(UserId::parse("bob").unwrap(), Some(here));
        assert_eq!(
            room.viewers_among(&[here, there, elsewhere]),
            4,
            "alice and bob here, alice there, a reader elsewhere"
        );
    }

    #[tokio::test]
    async fn a_slow_reader_is_dropped_instead_of_blocking_the_room() {
        let room = room_with_rate(10);
        let mut reading = member(&room, "fast", false, 4096).await;
        let _stalled = member(&room, "slow", true, 4096).await;
        for i in 0..200 {
            let frame = Frame::text(format!("frame {i} {}", "x".repeat(1000)));
            room.broadcast(&frame);
            let mut bytes = vec![0; frame.bytes().len()];
            reading.read_exact(&mut bytes).await.unwrap();
            assert_eq!(bytes, frame.bytes(), "frame {i}");
            if i == 1 {
                assert_eq!(room.connection_count(), 2, "two frames are not too slow");
            }
        }
        assert_eq!(room.connection_count(), 1, "the stalled reader was dropped");
    }

    #[tokio::test]
    async fn a_disconnect_follows_what_was_broadcast_before_it() {
        let room = room_with_rate(10);
        let mallory = UserId::parse("mallory").unwrap();
        let theirs = member(&room, "mallory", false, 4096).await;
        let _alice = member(&room, "alice", false, 4096).await;
        room.broadcast(&Frame::text("before".into()));
        let event = Frame::text("event".into());
        assert_eq!(room.disconnect(&mallory, &event, "banned"), 1);
        assert_eq!(room.connection_count(), 1);
        room.broadcast(&Frame::text("after".into()));
        // The outlet's sending side ends once its connection's task finishes with it; with no
        // task here, the room's members are dropped instead.
        drop(room);
        assert_eq!(
            frames_of(theirs).await,
            ["before", "event", "close 1000 banned"]
        );
    }

    /// A room big enough to be written by several threads: every member gets every frame in
    /// order, and the stalled ones, wherever they fall among the shares, are dropped.
    #[tokio::test]
    async fn a_crowded_room_is_written_by_every_core_and_still_drops_the_stalled() {
        crowded_room_fan_out().await;
    }

    /// The same on the server's multi-threaded runtime, where a fan-out first hands this
    /// worker's other tasks to another.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_crowded_room_is_written_the_same_on_a_multi_threaded_runtime() {
        crowded_room_fan_out().await;
    }

    async fn crowded_room_fan_out() {
        let mut room = room_with_rate(10);
        room.crowded_from = 8;
        let mut readers = Vec::new();
        for i in 0..40 {
            // Every tenth member never reads.
            let stalled = i % 10 == 0;
            readers.push((stalled, member(&room, "crowd", stalled, 4096).await));
        }
        let frames: Vec<Frame> = (0..200)
            .map(|i| Frame::text(format!("frame {i} {}", "x".repeat(1000))))
            .collect();
        // Read as they arrive, as readers do.
        let reading: Vec<_> = readers
            .into_iter()
            .filter(|(stalled, _)| !stalled)
            .map(|(_, client)| tokio::spawn(frames_of(client)))
            .collect();
        for frame in &frames {
            room.broadcast(frame);
            tokio::task::yield_now().await;
        }
        assert_eq!(room.connection_count(), 36);
        drop(room);
        let expected: Vec<String> = frames
            .iter()
            .map(|frame| String::from_utf8(frame.bytes()[4..].to_vec()).unwrap())
            .collect();
        for received in reading {
            assert_eq!(received.await.unwrap(), expected);
        }
    }

    #[tokio::test]
    async fn a_crowded_room_waits_its_interval_between_fan_outs() {
        let mut room = room_with_rate(10);
        room.crowded_from = 2;
        let _alice = member(&room, "alice", false, 4096).await;
        room.broadcast(&Frame::text("to one".into()));
        assert_eq!(room.next_fan_out(Instant::now()), None, "not crowded");

        let _bob = member(&room, "bob", false, 4096).await;
        let before = Instant::now();
        room.broadcast(&Frame::text("to two".into()));
        let after = Instant::now();
        let turn = room
            .next_fan_out(before)
            .expect("a crowded room waits after a fan-out");
        assert!(
            (before + CROWDED_FAN_OUT_INTERVAL..=after + CROWDED_FAN_OUT_INTERVAL).contains(&turn),
            "its turn comes one interval after the fan-out began"
        );
        assert_eq!(room.next_fan_out(turn), None, "and no later");
    }

    #[tokio::test]
    async fn frames_broadcast_together_arrive_in_order() {
        let room = room_with_rate(10);
        let client = member(&room, "alice", false, 4096).await;
        let batch: Vec<Frame> = ["one", "two", "three"]
            .into_iter()
            .map(|text| Frame::text(text.into()))
            .collect();
        room.broadcast_all(&batch);
        room.broadcast(&Frame::text("four".into()));
        drop(room);
        assert_eq!(frames_of(client).await, ["one", "two", "three", "four"]);
    }
}
