//! Notifications: (user, time, channel) → notification, newest read first; each user's "seen"
//! mark. Writing a user's notifications also drops theirs older than their lifetime, as
//! DynamoDB's TTL does in the cloud.

use async_trait::async_trait;
use cloumer_domain::error::{PortContext, PortResult};
use cloumer_domain::ids::UserId;
use cloumer_domain::notification::{NOTIFICATION_LIFETIME, Notification, NotificationCursor};
use cloumer_domain::page::Page;
use cloumer_domain::ports::NotificationRepository;
use redb::{ReadableTable, TableDefinition};
use time::OffsetDateTime;

use super::{
    EmbeddedStore, decode, encode, first_page, from_nanos, nanos, newest_first, port_only,
};

/// (user, created time, channel) → notification
pub(crate) const NOTIFICATIONS: TableDefinition<(&str, i64, &str), &[u8]> =
    TableDefinition::new("notifications");
/// user → until when they have seen their notifications
pub(crate) const SEEN: TableDefinition<&str, i64> = TableDefinition::new("notifications_seen");

pub(super) fn create_tables(tx: &redb::WriteTransaction) -> PortResult<()> {
    tx.open_table(NOTIFICATIONS).port("t")?;
    tx.open_table(SEEN).port("t")?;
    Ok(())
}

/// Removes `user`'s notifications created before `expired_before` (nanoseconds).
fn drop_expired(
    table: &mut redb::Table<(&str, i64, &str), &[u8]>,
    user: &str,
    expired_before: i64,
) -> PortResult<()> {
    let expired: Vec<(i64, String)> = table
        .range((user, i64::MIN, "")..(user, expired_before, ""))
        .port("finding old notifications")?
        .map(|entry| entry.map(|(key, _)| (key.value().1, key.value().2.to_owned())))
        .collect::<Result<_, _>>()
        .port("finding old notifications")?;
    for (old_at, old_channel) in expired {
        table
            .remove((user, old_at, old_channel.as_str()))
            .port("dropping an old notification")?;
    }
    Ok(())
}

#[async_trait]
impl NotificationRepository for EmbeddedStore {
    async fn put_notifications(&self, notifications: &[Notification]) -> PortResult<()> {
        let records = notifications
            .iter()
            .map(|n| {
                Ok((
                    n.user_id.as_str().to_owned(),
                    nanos(n.created_at),
                    n.channel_id.as_str().to_owned(),
                    encode(n)?,
                    nanos(n.created_at - NOTIFICATION_LIFETIME),
                ))
            })
            .collect::<PortResult<Vec<_>>>()?;
        self.write(move |tx| {
            let mut table = tx.open_table(NOTIFICATIONS).port("opening notifications")?;
            for (user, at, channel, bytes, expired_before) in &records {
                table
                    .insert((user.as_str(), *at, channel.as_str()), bytes.as_slice())
                    .port("writing a notification")?;
                drop_expired(&mut table, user, *expired_before)?;
            }
            Ok(())
        })
        .await
        .map_err(port_only)
    }

    async fn add_notification(&self, notification: &Notification) -> PortResult<bool> {
        let user = notification.user_id.as_str().to_owned();
        let at = nanos(notification.created_at);
        let channel = notification.channel_id.as_str().to_owned();
        // Looked for and written in one write transaction: two deliveries racing write it once.
        let bytes = encode(notification)?;
        let expired_before = nanos(notification.created_at - NOTIFICATION_LIFETIME);
        self.write(move |tx| {
            let mut table = tx.open_table(NOTIFICATIONS).port("opening notifications")?;
            let key = (user.as_str(), at, channel.as_str());
            if table.get(key).port("reading a notification")?.is_some() {
                return Ok(false);
            }
            table
                .insert(key, bytes.as_slice())
                .port("writing a notification")?;
            drop_expired(&mut table, &user, expired_before)?;
            Ok(true)
        })
        .await
        .map_err(port_only)
    }

    async fn remove_notification(&self, notification: &Notification) -> PortResult<()> {
        let user = notification.user_id.as_str().to_owned();
        let at = nanos(notification.created_at);
        let channel = notification.channel_id.as_str().to_owned();
        self.write(move |tx| {
            let mut table = tx.open_table(NOTIFICATIONS).port("opening notifications")?;
            table
                .remove((user.as_str(), at, channel.as_str()))
                .port("removing a notification")?;
            Ok(())
        })
        .await
        .map_err(port_only)
    }

    async fn list_notifications(
        &self,
        user: &UserId,
        before: Option<&NotificationCursor>,
        limit: usize,
    ) -> PortResult<Page<Notification, NotificationCursor>> {
        let before = before.map(|c| (nanos(c.at), c.channel_id.as_str().to_owned()));
        self.read(|tx| {
            let table = tx.open_table(NOTIFICATIONS).port("opening notifications")?;
            let found = newest_first(&table, user.as_str(), before.as_ref())?.map(|entry| {
                let (_, value) = entry.port("listing notifications")?;
                decode(value.value()).map(Some)
            });
            first_page(found, limit)
        })
        .await
    }

    async fn seen_at(&self, user: &UserId) -> PortResult<Option<OffsetDateTime>> {
        self.read(|tx| {
            let table = tx.open_table(SEEN).port("opening seen marks")?;
            let found = table.get(user.as_str()).port("reading a seen mark")?;
            Ok(found.map(|v| from_nanos(v.value())))
        })
        .await
    }

    async fn set_seen_at(&self, user: &UserId, at: OffsetDateTime) -> PortResult<()> {
        let user = user.as_str().to_owned();
        self.write(move |tx| {
            tx.open_table(SEEN)
                .port("opening seen marks")?
                .insert(user.as_str(), nanos(at))
                .port("writing a seen mark")?;
            Ok(())
        })
        .await
        .map_err(port_only)
    }
    async fn erase_notifications(&self, user: &UserId) -> PortResult<()> {
        self.erase_notification_records(user).await
    }
}
