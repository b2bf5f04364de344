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
use tokio::sync::mpsc;

use super::frames::Frame;

const ROOM_ARN_PREFIX: &str = "arn:cloumer:ivschat:local:room/";

/// What a connection's writer task is told to do.
#[derive(Debug, Clone)]
pub enum Outbound {
    /// A frame for the client.
    Frame(Frame),
    /// Close the connection with this WebSocket close code and reason.
    Close(u16, String),
}

struct Member {
    user_id: UserId,
    /// A signed-in member as the room's presence list shows them (`None` for readers).
    shown_as: Option<PresentUser>,
    /// The client's address, when known: signed-out readers are told apart by it.
    client: Option<IpAddr>,
    outbox: mpsc::Sender<Outbound>,
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
    /// `None` until known: set when the room is created or updated, or read from the channel
    /// by the first connection after a restart.
    limits: Mutex<Option<RoomLimits>>,
    /// (second the window started, messages sent in it): the room-wide rate limit.
    window: Mutex<(i64, u32)>,
}

impl Room {
    fn new(arn: String) -> Self {
        Self {
            arn,
            members: Mutex::default(),
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

    pub fn join(
        &self,
        user_id: UserId,
        shown_as: Option<PresentUser>,
        client: Option<IpAddr>,
        outbox: mpsc::Sender<Outbound>,
    ) -> u64 {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        let id = NEXT.fetch_add(1, Ordering::Relaxed);
        self.members.lock().expect("room lock").insert(
            id,
            Member {
                user_id,
                shown_as,
                client,
                outbox,
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

    /// Queues a frame for every connection. A connection whose queue is full is dropped from the
    /// room (its writer sees the channel close and ends the connection).
    pub fn broadcast(&self, frame: Frame) {
        let mut members = self.members.lock().expect("room lock");
        members.retain(|_, member| match member.outbox.try_send(Outbound::Frame(frame.clone())) {
            Ok(()) => true,
            Err(mpsc::error::TrySendError::Full(_)) => {
                tracing::warn!(room = %self.arn, user = %member.user_id, "dropping a slow chat reader");
                false
            }
            Err(mpsc::error::TrySendError::Closed(_)) => false,
        });
    }

    /// Announces `frame` to the room, then closes every connection of `user` once it received
    /// what was already queued. Returns how many connections it closed.
    pub fn disconnect(&self, user: &UserId, frame: Frame, reason: &str) -> usize {
        self.broadcast(frame);
        let mut members = self.members.lock().expect("room lock");
        let before = members.len();
        members.retain(|_, member| {
            if &member.user_id != user {
                return true;
            }
            let _ = member
                .outbox
                .try_send(Outbound::Close(1000, reason.to_owned()));
            false
        });
        before - members.len()
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
        let room = Room::new("r".into());
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
        let mut outboxes = Vec::new();
        let mut join = |user: UserId, client| {
            let (tx, rx) = mpsc::channel(4);
            outboxes.push(rx);
            room.join(user, None, client, tx);
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

    #[tokio::test]
    async fn a_slow_reader_is_dropped_instead_of_blocking_the_room() {
        let room = room_with_rate(10);
        let (fast_tx, mut fast_rx) = mpsc::channel(super::super::OUTBOX_CAPACITY);
        let (slow_tx, _slow_rx) = mpsc::channel(2);
        room.join(UserId::parse("fast").unwrap(), None, None, fast_tx);
        room.join(UserId::parse("slow").unwrap(), None, None, slow_tx);
        for i in 0..5 {
            room.broadcast(Frame::from(format!("frame {i}")));
        }
        assert_eq!(room.connection_count(), 1);
        let mut received = 0;
        while let Ok(Outbound::Frame(_)) = fast_rx.try_recv() {
            received += 1;
        }
        assert_eq!(received, 5);
    }
}
