//! Who is in a room, in the cloud: IVS Chat keeps no member list, so clients say they are here
//! every ten seconds and each heartbeat is one item. Items:
//!
//! | item | pk | sk | other |
//! |---|---|---|---|
//! | signed-in user | `PRESENCE#<channel>` | `U#<user>` | `data` (as shown), `until`, `expires_at` (TTL) |
//! | signed-out reader | `PRESENCE#<channel>` | `R#<session>` | `until`, `expires_at` |
//!
//! Reading a room's presence is one query of its partition, skipping items past `until` (TTL
//! deletion is lazy). Every viewer asks every ten seconds, so each instance keeps a room's
//! answer for [`FRESH_FOR`]: a busy room costs an instance one query per room per few seconds,
//! not one per viewer.

use std::collections::HashMap;
use std::sync::Mutex;

use async_trait::async_trait;
use aws_sdk_dynamodb::types::AttributeValue;
use cloumer_domain::channel::ChatRoom;
use cloumer_domain::error::{PortContext, PortResult};
use cloumer_domain::ids::ChannelId;
use cloumer_domain::ports::PresenceRegistry;
use cloumer_domain::presence::{Presence, PresentUser, Visitor};
use time::{Duration, OffsetDateTime};

use super::{DynamoStore, Item, decode, encode, item, s, text};

/// How long an instance answers a room's presence from its last query.
pub const FRESH_FOR: Duration = Duration::seconds(3);
/// Query pages read at most for one room (1 MB each: tens of thousands of visitors).
const MAX_PAGES: usize = 4;
/// TTL slack: DynamoDB may remove an item once its `until` is well past.
const EXPIRY_SLACK_SECONDS: i64 = 60;

/// Presence on the table, with each room's answer kept briefly per instance.
pub struct DynamoPresence {
    store: DynamoStore,
    recent: Mutex<HashMap<ChannelId, (OffsetDateTime, Presence)>>,
}

impl DynamoPresence {
    pub fn new(store: DynamoStore) -> Self {
        Self {
            store,
            recent: Mutex::default(),
        }
    }
}

fn sort_key(visitor: &Visitor) -> String {
    match visitor {
        Visitor::User(user) => format!("U#{}", user.user_id),
        Visitor::Reader(session) => format!("R#{}", session.as_str()),
    }
}

fn number(item: &Item, name: &str) -> Option<i64> {
    item.get(name)?.as_n().ok()?.parse().ok()
}

#[async_trait]
impl PresenceRegistry for DynamoPresence {
    async fn heartbeat(
        &self,
        channel: &ChannelId,
        visitor: &Visitor,
        until: OffsetDateTime,
    ) -> PortResult<()> {
        let until = until.unix_timestamp();
        let mut fields = vec![
            ("pk", s(format!("PRESENCE#{channel}"))),
            ("sk", s(sort_key(visitor))),
            ("until", AttributeValue::N(until.to_string())),
            (
                "expires_at",
                AttributeValue::N((until + EXPIRY_SLACK_SECONDS).to_string()),
            ),
        ];
        if let Visitor::User(user) = visitor {
            fields.push(("data", s(encode(user)?)));
        }
        self.store.put_plain(item(&fields)).await
    }

    async fn leave(&self, channel: &ChannelId, visitor: &Visitor) -> PortResult<()> {
        self.store
            .delete(&format!("PRESENCE#{channel}"), &sort_key(visitor))
            .await
            .map(drop)
    }

    async fn present(
        &self,
        channel: &ChannelId,
        _: &ChatRoom,
        now: OffsetDateTime,
    ) -> PortResult<Presence> {
        if let Some((at, presence)) = self.recent.lock().expect("presence cache").get(channel)
            && now - *at < FRESH_FOR
        {
            return Ok(presence.clone());
        }
        let mut users: Vec<PresentUser> = Vec::new();
        let mut readers = 0;
        let mut start = None;
        for _ in 0..MAX_PAGES {
            let output = self
                .store
                .client
                .query()
                .table_name(&self.store.table)
                .key_condition_expression("pk = :pk")
                .expression_attribute_values(":pk", s(format!("PRESENCE#{channel}")))
                .set_exclusive_start_key(start)
                .send()
                .await
                .port("DynamoDB Query")?;
            for found in output.items.unwrap_or_default() {
                if number(&found, "until").is_none_or(|until| until <= now.unix_timestamp()) {
                    continue;
                }
                match text(&found, "sk").as_deref() {
                    Some(sk) if sk.starts_with("U#") => users.push(decode(&found)?),
                    Some(_) => readers += 1,
                    None => {}
                }
            }
            start = output.last_evaluated_key;
            if start.is_none() {
                break;
            }
        }
        let presence = Presence::from_found(users, readers);
        let mut recent = self.recent.lock().expect("presence cache");
        // Rooms nobody asked about lately are forgotten, so the cache holds busy rooms only.
        recent.retain(|_, (at, _)| now - *at < FRESH_FOR);
        recent.insert(channel.clone(), (now, presence.clone()));
        Ok(presence)
    }
}
