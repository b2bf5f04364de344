//! Rooms: who is connected, the room's limits, and fan-out of frames to every connection. A room
//! knows nothing of reviews or history: it delivers what it is handed, in the order handed.

use std::collections::{HashMap, HashSet};
use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use cloumer_domain::chat_rules::ChatRules;
use cloumer_domain::ids::{ChannelId, UserId};
use cloumer_domain::presence::{Presence, PresentUser};
use time::OffsetDateTime;
use tokio::sync::broadcast;

use super::frames::Frame;

const ROOM_ARN_PREFIX: &str = "arn:cloumer:ivschat:local:room/";

/// What a connection's writer is told: by the room (every writer reads the same ring), or by
/// the connection itself (its own replies and its session's end).
#[derive(Debug, Clone)]
pub enum Outbound {
    /// A frame to write.
    Frame(Frame),
    /// Close the connection if it is this user's, after what came before (the reason given).
    Disconnect(UserId, Arc<str>),
    /// Close every connection: the server is stopping.
    GoingAway,
}

/// A connection's view of its room's frames.
pub struct Feed {
    pub ring: broadcast::Receiver<Outbound>,
    /// How many of the room's frames the writer has taken, as last told to the room.
    told: Arc<AtomicU64>,
    /// How many it has taken.
    taken: u64,
    /// The room is told every this many frames, not on every one: a counter the room reads
    /// and every writer writes on every delivery moved a cache line between cores per
    /// delivery (2% of the server's CPU with 2,000 readers).
    tell_every: u64,
}

impl Feed {
    /// Counts a frame taken from the ring.
    pub fn took(&mut self) {
        self.taken += 1;
        if self.taken.is_multiple_of(self.tell_every) {
            self.told.store(self.taken, Ordering::Relaxed);
        }
    }
}

struct Member {
    user_id: UserId,
    /// A signed-in member as the room's presence list shows them (`None` for readers).
    shown_as: Option<PresentUser>,
    /// The client's address, when known: signed-out readers are told apart by it.
    client: Option<IpAddr>,
    /// How many of the room's frames this connection's writer has taken from the ring, as it
    /// last told the room (at most [`Room::tell_every`] less than what it has taken).
    told: Arc<AtomicU64>,
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

/// One chat room: its connections, its limits and its message-rate window.
pub struct Room {
    pub arn: String,
    members: Mutex<HashMap<u64, Member>>,
    /// The room's frames, written once and read by each connection's writer at its own pace
    /// (one ring for the room rather than a queue per connection: a delivery costs no lock
    /// and no copy). A writer more than the ring's length behind is dropped from the room when
    /// the room sees it (its writer is likely stuck on a full socket and cannot tell), and its
    /// writer closes the connection when it next reads, finding that it lagged.
    feed: broadcast::Sender<Outbound>,
    /// The ring's length: frames a connection may be behind.
    ring: u64,
    /// How often a writer tells the room how far it has read ([`Feed::took`]).
    tell_every: u64,
    /// Frames put in the ring so far (changed under the members lock).
    sent: AtomicU64,
    /// `None` until known: set when the room is created or updated, or read from the channel
    /// by the first connection after a restart.
    limits: Mutex<Option<RoomLimits>>,
    /// (second the window started, messages sent in it): the room-wide rate limit.
    window: Mutex<(i64, u32)>,
}

impl Room {
    fn new(arn: String, outbox_capacity: usize) -> Self {
        // The ring is a power of two long: the room's idea of "too far behind" is then exactly
        // the ring's, and a dropped writer always finds it lagged.
        let ring = outbox_capacity.max(1).next_power_of_two();
        Self {
            arn,
            members: Mutex::default(),
            feed: broadcast::Sender::new(ring),
            ring: ring as u64,
            tell_every: (ring as u64 / 8).max(1),
            sent: AtomicU64::new(0),
            limits: Mutex::new(None),
            window: Mutex::new((0, 0)),
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

    /// Counts a message against the room's per-second limit; false when over it.
    pub fn admit_message(&self, now: OffsetDateTime) -> bool {
        let limit = self.limits().max_messages_per_second;
        let second = now.unix_timestamp();
        let mut window = self.window.lock().expect("room lock");
        if window.0 != second {
            *window = (second, 0);
        }
        if window.1 >= limit {
            return false;
        }
        window.1 += 1;
        true
    }

    /// Adds a connection; it receives every frame broadcast from now on.
    pub fn join(
        &self,
        user_id: UserId,
        shown_as: Option<PresentUser>,
        client: Option<IpAddr>,
    ) -> (u64, Feed) {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        let id = NEXT.fetch_add(1, Ordering::Relaxed);
        let mut members = self.members.lock().expect("room lock");
        // Under the lock, so no frame is put in the ring between the count and the subscription.
        let sent = self.sent.load(Ordering::Relaxed);
        let told = Arc::new(AtomicU64::new(sent));
        members.insert(
            id,
            Member {
                user_id,
                shown_as,
                client,
                told: told.clone(),
            },
        );
        let feed = Feed {
            ring: self.feed.subscribe(),
            told,
            taken: sent,
            tell_every: self.tell_every,
        };
        (id, feed)
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

    /// People in the room: each signed-in user once, however many tabs they have open, and
    /// signed-out readers once per client address, so one client cannot inflate the count.
    pub fn viewer_count(&self) -> usize {
        self.people().len()
    }

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
    /// [`Room::viewer_count`] counts them.
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

    /// Queues a frame for every connection. A connection that falls the ring's length behind
    /// is dropped by its writer, so one stalled reader never holds up the room.
    pub fn broadcast(&self, frame: Frame) {
        self.publish(Outbound::Frame(frame));
    }

    fn publish(&self, outbound: Outbound) {
        let mut members = self.members.lock().expect("room lock");
        // An error only says nobody is connected.
        let _ = self.feed.send(outbound);
        let sent = self.sent.fetch_add(1, Ordering::Relaxed) + 1;
        // What a writer told may be up to `tell_every - 1` short of what it took: a member is
        // dropped only when it is surely past the ring, so its writer surely finds it lagged.
        let too_far = self.ring + self.tell_every - 1;
        members.retain(|_, member| {
            let behind = sent - member.told.load(Ordering::Relaxed);
            if behind > too_far {
                tracing::warn!(room = %self.arn, user = %member.user_id, "dropping a slow chat reader");
            }
            behind <= too_far
        });
    }

    /// Announces `frame` to the room, then closes every connection of `user` once it received
    /// what was already queued. Returns how many connections it closed.
    pub fn disconnect(&self, user: &UserId, frame: Frame, reason: &str) -> usize {
        self.broadcast(frame);
        self.publish(Outbound::Disconnect(user.clone(), Arc::from(reason)));
        let mut members = self.members.lock().expect("room lock");
        let before = members.len();
        members.retain(|_, member| &member.user_id != user);
        before - members.len()
    }
}

/// Every room of the local chat, created on first use. Rooms live in memory: after a restart
/// their limits are read back from the channel by the first connection.
pub struct Rooms {
    rooms: Mutex<HashMap<String, Arc<Room>>>,
    /// Frames a connection may be behind before it counts as a slow reader.
    outbox_capacity: usize,
}

impl Rooms {
    pub fn new(outbox_capacity: usize) -> Self {
        Self {
            rooms: Mutex::default(),
            outbox_capacity,
        }
    }

    /// The room ARN of a channel's room (the room is named after the channel, as in the cloud).
    pub fn arn(channel: &ChannelId) -> String {
        format!("{ROOM_ARN_PREFIX}{channel}")
    }

    pub fn room(&self, arn: &str) -> Arc<Room> {
        self.rooms
            .lock()
            .expect("rooms lock")
            .entry(arn.to_owned())
            .or_insert_with(|| Arc::new(Room::new(arn.to_owned(), self.outbox_capacity)))
            .clone()
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
            room.publish(Outbound::GoingAway);
        }
    }

    /// People in a room (see [`Room::viewer_count`]), for the live viewer count.
    pub fn viewer_count(&self, arn: &str) -> usize {
        self.rooms
            .lock()
            .expect("rooms lock")
            .get(arn)
            .map_or(0, |r| r.viewer_count())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::Duration;

    fn room_with_rate(per_second: u16) -> Room {
        let room = Room::new("r".into(), 4);
        room.set_limits(&ChatRules {
            max_messages_per_second: per_second,
            ..ChatRules::default()
        });
        room
    }

    #[test]
    fn the_room_rate_limit_counts_per_second() {
        let room = room_with_rate(2);
        let t = OffsetDateTime::from_unix_timestamp(1_000).unwrap();
        assert!(room.admit_message(t));
        assert!(room.admit_message(t + Duration::milliseconds(500)));
        assert!(!room.admit_message(t + Duration::milliseconds(900)));
        assert!(room.admit_message(t + Duration::seconds(1)));
    }

    #[test]
    fn viewers_are_people_not_connections() {
        let room = room_with_rate(10);
        let here: IpAddr = "192.0.2.1".parse().unwrap();
        let there: IpAddr = "192.0.2.2".parse().unwrap();
        let join = |user: UserId, client| {
            room.join(user, None, client);
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
        assert_eq!(room.viewer_count(), 4, "alice, two clients, one unknown");
        assert_eq!(room.anonymous_connections_from(here), 5);
    }

    #[test]
    fn a_slow_reader_is_dropped_instead_of_blocking_the_room() {
        let room = room_with_rate(10);
        let (_, mut reading) = room.join(UserId::parse("fast").unwrap(), None, None);
        let (_, mut stalled) = room.join(UserId::parse("slow").unwrap(), None, None);
        let mut received = 0;
        for i in 0..10 {
            room.broadcast(Frame::from(format!("frame {i}")));
            while let Ok(Outbound::Frame(_)) = reading.ring.try_recv() {
                reading.took();
                received += 1;
            }
            if i == 3 {
                assert_eq!(
                    room.connection_count(),
                    2,
                    "four behind is not too slow yet"
                );
            }
        }
        assert_eq!(received, 10);
        assert_eq!(room.connection_count(), 1, "the stalled reader was dropped");
        assert!(matches!(
            stalled.ring.try_recv(),
            Err(broadcast::error::TryRecvError::Lagged(6))
        ));
    }

    #[test]
    fn a_reader_is_dropped_only_once_it_surely_lagged() {
        // A ring of 64: writers tell the room every 8 frames.
        let room = Room::new("r".into(), 64);
        let (_, mut stalled) = room.join(UserId::parse("slow").unwrap(), None, None);
        let publish = |count: usize| {
            for i in 0..count {
                room.broadcast(Frame::from(format!("frame {i}")));
            }
        };
        publish(7);
        for _ in 0..7 {
            assert!(matches!(stalled.ring.try_recv(), Ok(Outbound::Frame(_))));
            stalled.took();
        }
        // The room was told nothing yet (7 < 8); the reader is now exactly the ring behind,
        // which the ring still holds.
        publish(64);
        assert_eq!(
            room.connection_count(),
            1,
            "the ring still holds all it missed"
        );
        publish(1);
        assert_eq!(room.connection_count(), 0, "past the ring: dropped");
        assert!(matches!(
            stalled.ring.try_recv(),
            Err(broadcast::error::TryRecvError::Lagged(1))
        ));
    }

    #[test]
    fn a_disconnect_follows_what_was_broadcast_before_it() {
        let room = room_with_rate(10);
        let mallory = UserId::parse("mallory").unwrap();
        let (_, mut theirs) = room.join(mallory.clone(), None, None);
        room.join(UserId::parse("alice").unwrap(), None, None);
        room.broadcast(Frame::from("before"));
        assert_eq!(room.disconnect(&mallory, Frame::from("event"), "banned"), 1);
        assert_eq!(room.connection_count(), 1);
        let seen: Vec<String> = std::iter::from_fn(|| theirs.ring.try_recv().ok())
            .map(|outbound| match outbound {
                Outbound::Frame(frame) => frame.to_string(),
                Outbound::Disconnect(user, reason) => format!("close {user} {reason}"),
                Outbound::GoingAway => "going away".to_owned(),
            })
            .collect();
        assert_eq!(seen, ["before", "event", "close mallory banned"]);
    }
}
