//! Follows: the record under (user, channel), both time orders (a user's followed channels, a
//! channel's followers) and both counts, always written together in one transaction.

use async_trait::async_trait;
use cloumer_domain::error::{PortContext, PortResult};
use cloumer_domain::follow::{Follow, FollowCursor, FollowOutcome};
use cloumer_domain::ids::{ChannelId, UserId};
use cloumer_domain::page::Page;
use cloumer_domain::ports::FollowRepository;
use redb::{ReadableTable, TableDefinition};

use super::{EmbeddedStore, TxResult, decode, encode, first_page, nanos, newest_first, port_only};

/// (user, channel) → follow
const FOLLOWS: TableDefinition<(&str, &str), &[u8]> = TableDefinition::new("follows");
/// (user, followed time, channel): a user's followed channels in time order.
const FOLLOWING_BY_TIME: TableDefinition<(&str, i64, &str), ()> =
    TableDefinition::new("following_by_time");
/// (channel, followed time, user): a channel's followers in time order.
const FOLLOWERS_BY_TIME: TableDefinition<(&str, i64, &str), ()> =
    TableDefinition::new("followers_by_time");
/// channel → followers
pub(crate) const FOLLOWER_COUNTS: TableDefinition<&str, u64> =
    TableDefinition::new("follower_counts");
/// user → channels followed
pub(crate) const FOLLOWING_COUNTS: TableDefinition<&str, u64> =
    TableDefinition::new("following_counts");

pub(super) fn create_tables(tx: &redb::WriteTransaction) -> PortResult<()> {
    tx.open_table(FOLLOWS).port("t")?;
    tx.open_table(FOLLOWING_BY_TIME).port("t")?;
    tx.open_table(FOLLOWERS_BY_TIME).port("t")?;
    tx.open_table(FOLLOWER_COUNTS).port("t")?;
    tx.open_table(FOLLOWING_COUNTS).port("t")?;
    Ok(())
}

fn count_tx(
    tx: &redb::WriteTransaction,
    table: TableDefinition<&str, u64>,
    key: &str,
) -> TxResult<u64> {
    let counts = tx.open_table(table).port("opening counts")?;
    let found = counts.get(key).port("reading a count")?;
    Ok(found.map_or(0, |v| v.value()))
}

/// Adds `delta` to the count under `key`, removing it at zero.
fn add_count(
    tx: &redb::WriteTransaction,
    table: TableDefinition<&str, u64>,
    key: &str,
    delta: i64,
) -> TxResult<()> {
    let next = count_tx(tx, table, key)?.saturating_add_signed(delta);
    let mut counts = tx.open_table(table).port("opening counts")?;
    if next == 0 {
        counts.remove(key).port("removing a count")?;
    } else {
        counts.insert(key, next).port("writing a count")?;
    }
    Ok(())
}

fn count(
    tx: &redb::ReadTransaction,
    table: TableDefinition<&str, u64>,
    key: &str,
) -> PortResult<u64> {
    let counts = tx.open_table(table).port("opening counts")?;
    Ok(counts
        .get(key)
        .port("reading a count")?
        .map_or(0, |v| v.value()))
}

/// Follows under `owner` in a time index, newest first, strictly before `before`.
fn follows_page(
    tx: &redb::ReadTransaction,
    index: TableDefinition<(&str, i64, &str), ()>,
    owner: &str,
    before: Option<(i64, String)>,
    limit: usize,
    record_key: impl Fn(&str) -> (String, String),
) -> PortResult<Page<Follow, FollowCursor>> {
    let index = tx.open_table(index).port("opening follows")?;
    let records = tx.open_table(FOLLOWS).port("opening follows")?;
    let found = newest_first(&index, owner, before.as_ref())?.map(|entry| {
        let (key, _) = entry.port("listing follows")?;
        let (user, channel) = record_key(key.value().2);
        let bytes = records
            .get((user.as_str(), channel.as_str()))
            .port("reading a follow")?;
        bytes.map(|b| decode(b.value())).transpose()
    });
    first_page(found, limit)
}

/// Writes one follow (record, both time orders, both counts) inside `tx`.
fn follow_tx(
    tx: &redb::WriteTransaction,
    follow: &Follow,
    bytes: &[u8],
    max_following: u32,
) -> TxResult<FollowOutcome> {
    let (user, channel) = (follow.user_id.as_str(), follow.channel_id.as_str());
    let at = nanos(follow.followed_at);
    let mut records = tx.open_table(FOLLOWS).port("opening follows")?;
    if records
        .get((user, channel))
        .port("reading a follow")?
        .is_some()
    {
        return Ok(FollowOutcome::AlreadyFollowing);
    }
    // One writer at a time: the count read here is still the count when this commits.
    if count_tx(tx, FOLLOWING_COUNTS, user)? >= u64::from(max_following) {
        return Ok(FollowOutcome::LimitReached);
    }
    add_count(tx, FOLLOWING_COUNTS, user, 1)?;
    add_count(tx, FOLLOWER_COUNTS, channel, 1)?;
    records
        .insert((user, channel), bytes)
        .port("writing a follow")?;
    tx.open_table(FOLLOWING_BY_TIME)
        .port("opening follows")?
        .insert((user, at, channel), ())
        .port("writing a follow")?;
    tx.open_table(FOLLOWERS_BY_TIME)
        .port("opening follows")?
        .insert((channel, at, user), ())
        .port("writing a follow")?;
    Ok(FollowOutcome::Added)
}

impl EmbeddedStore {
    /// Writes many follows in one transaction, each as [`FollowRepository::follow`] would:
    /// followers brought over from another platform, or a benchmark's hundred thousand (one
    /// durable commit instead of one each). Returns how many were added.
    pub async fn import_follows(
        &self,
        follows: Vec<Follow>,
        max_following: u32,
    ) -> PortResult<usize> {
        let encoded = follows
            .into_iter()
            .map(|follow| encode(&follow).map(|bytes| (follow, bytes)))
            .collect::<PortResult<Vec<_>>>()?;
        self.write(move |tx| {
            let mut added = 0;
            for (follow, bytes) in &encoded {
                if follow_tx(tx, follow, bytes, max_following)? == FollowOutcome::Added {
                    added += 1;
                }
            }
            Ok(added)
        })
        .await
        .map_err(port_only)
    }
}

#[async_trait]
impl FollowRepository for EmbeddedStore {
    async fn follow(&self, follow: &Follow, max_following: u32) -> PortResult<FollowOutcome> {
        let follow = follow.clone();
        let bytes = encode(&follow)?;
        self.write(move |tx| follow_tx(tx, &follow, &bytes, max_following))
            .await
            .map_err(port_only)
    }

    async fn unfollow(&self, user: &UserId, channel: &ChannelId) -> PortResult<bool> {
        let (user, channel) = (user.as_str().to_owned(), channel.as_str().to_owned());
        self.write(move |tx| {
            let (user, channel) = (user.as_str(), channel.as_str());
            let mut records = tx.open_table(FOLLOWS).port("opening follows")?;
            let Some(bytes) = records.remove((user, channel)).port("removing a follow")? else {
                return Ok(false);
            };
            let follow: Follow = decode(bytes.value())?;
            drop(bytes);
            let at = nanos(follow.followed_at);
            tx.open_table(FOLLOWING_BY_TIME)
                .port("opening follows")?
                .remove((user, at, channel))
                .port("removing a follow")?;
            tx.open_table(FOLLOWERS_BY_TIME)
                .port("opening follows")?
                .remove((channel, at, user))
                .port("removing a follow")?;
            add_count(tx, FOLLOWING_COUNTS, user, -1)?;
            add_count(tx, FOLLOWER_COUNTS, channel, -1)?;
            Ok(true)
        })
        .await
        .map_err(port_only)
    }

    async fn get_follow(&self, user: &UserId, channel: &ChannelId) -> PortResult<Option<Follow>> {
        self.read(|tx| {
            let records = tx.open_table(FOLLOWS).port("opening follows")?;
            let found = records
                .get((user.as_str(), channel.as_str()))
                .port("reading a follow")?;
            found.map(|bytes| decode(bytes.value())).transpose()
        })
        .await
    }

    async fn set_notify(
        &self,
        user: &UserId,
        channel: &ChannelId,
        notify: bool,
    ) -> PortResult<bool> {
        let (user, channel) = (user.as_str().to_owned(), channel.as_str().to_owned());
        self.write(move |tx| {
            let mut records = tx.open_table(FOLLOWS).port("opening follows")?;
            let found = records
                .get((user.as_str(), channel.as_str()))
                .port("reading a follow")?
                .map(|bytes| decode::<Follow>(bytes.value()))
                .transpose()?;
            let Some(mut follow) = found else {
                return Ok(false);
            };
            follow.notify = notify;
            records
                .insert(
                    (user.as_str(), channel.as_str()),
                    encode(&follow)?.as_slice(),
                )
                .port("writing a follow")?;
            Ok(true)
        })
        .await
        .map_err(port_only)
    }

    async fn follower_count(&self, channel: &ChannelId) -> PortResult<u64> {
        self.read(|tx| count(tx, FOLLOWER_COUNTS, channel.as_str()))
            .await
    }

    async fn followed_channel_ids(&self, user: &UserId) -> PortResult<Vec<ChannelId>> {
        self.read(|tx| {
            let records = tx.open_table(FOLLOWS).port("opening follows")?;
            let mut ids = Vec::new();
            for entry in records
                .range((user.as_str(), "")..)
                .port("listing follows")?
            {
                let (key, _) = entry.port("listing follows")?;
                let (owner, channel) = key.value();
                if owner != user.as_str() {
                    break;
                }
                ids.push(ChannelId::parse(channel).port("reading a follow")?);
            }
            Ok(ids)
        })
        .await
    }

    async fn list_following(
        &self,
        user: &UserId,
        after: Option<&FollowCursor>,
        limit: usize,
    ) -> PortResult<Page<Follow, FollowCursor>> {
        let before = after.map(|c| (nanos(c.at), c.channel_id.as_str().to_owned()));
        self.read(|tx| {
            follows_page(
                tx,
                FOLLOWING_BY_TIME,
                user.as_str(),
                before,
                limit,
                |channel| (user.as_str().to_owned(), channel.to_owned()),
            )
        })
        .await
    }

    async fn list_followers(
        &self,
        channel: &ChannelId,
        after: Option<&FollowCursor>,
        limit: usize,
    ) -> PortResult<Page<Follow, FollowCursor>> {
        let before = after.map(|c| (nanos(c.at), c.user_id.as_str().to_owned()));
        self.read(|tx| {
            follows_page(
                tx,
                FOLLOWERS_BY_TIME,
                channel.as_str(),
                before,
                limit,
                |user| (user.to_owned(), channel.as_str().to_owned()),
            )
        })
        .await
    }
}
