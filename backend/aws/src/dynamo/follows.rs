//! Follows on the table. Items:
//!
//! | item | pk | sk | other keys |
//! |---|---|---|---|
//! | follow | `USER#<user>` | `FOLLOWS#<channel>` | `gsi1` = `FOLLOWERS#<channel>`/`<time>#<user>`; `gsi2` = `FOLLOWING#<user>`/`<time>#<channel>` |
//! | followers of a channel | `CHANNEL#<id>` | `FOLLOWERS` | `n` |
//! | channels a user follows | `USER#<user>` | `FOLLOWING` | `n` |
//!
//! Why this shape holds for a channel with 100,000 followers: a follow is one transaction of
//! three single-item writes (the follow, and `ADD` to both counts, the user's with the limit as
//! its condition), so its cost does not grow with the channel; the count is one item read; and
//! the followers are read through the channel's own `gsi1` partition in pages (Query, newest
//! first; ~1 MB a page), which is how notifications fan out without a scan.

use async_trait::async_trait;
use aws_sdk_dynamodb::types::{Delete, TransactWriteItem};
use cloumer_domain::error::{PortContext, PortError, PortResult};
use cloumer_domain::follow::{Follow, FollowCursor, FollowOutcome};
use cloumer_domain::ids::{ChannelId, UserId};
use cloumer_domain::page::Page;
use cloumer_domain::ports::FollowRepository;

use super::{DynamoStore, Item, add_count, decode, encode, item, put, s, time_key, written};

fn user_pk(user: &UserId) -> String {
    format!("USER#{user}")
}

fn follow_sk(channel: &ChannelId) -> String {
    format!("FOLLOWS#{channel}")
}

fn count_of(found: Option<Item>) -> PortResult<u64> {
    let Some(found) = found else { return Ok(0) };
    found
        .get("n")
        .and_then(|v| v.as_n().ok())
        .and_then(|n| n.parse::<i64>().ok())
        .map(|n| u64::try_from(n).unwrap_or(0))
        .ok_or_else(|| PortError::new("reading a count", "the item has no count"))
}

fn follows_page(found: Vec<Item>, more: bool) -> PortResult<Page<Follow, FollowCursor>> {
    let items = found
        .iter()
        .map(decode)
        .collect::<PortResult<Vec<Follow>>>()?;
    Ok(Page::continuing(items, more))
}

#[async_trait]
impl FollowRepository for DynamoStore {
    async fn follow(&self, follow: &Follow, max_following: u32) -> PortResult<FollowOutcome> {
        let (user, channel) = (&follow.user_id, &follow.channel_id);
        let at = time_key(follow.followed_at);
        let record = item(&[
            ("pk", s(user_pk(user))),
            ("sk", s(follow_sk(channel))),
            ("data", s(encode(follow)?)),
            ("gsi1pk", s(format!("FOLLOWERS#{channel}"))),
            ("gsi1sk", s(format!("{at}#{user}"))),
            ("gsi2pk", s(format!("FOLLOWING#{user}"))),
            ("gsi2sk", s(format!("{at}#{channel}"))),
        ]);
        let failed = self
            .transact_retrying(|| {
                Ok(vec![
                    put(
                        &self.table,
                        record.clone(),
                        Some("attribute_not_exists(pk)"),
                    )?,
                    add_count(
                        &self.table,
                        user_pk(user),
                        "FOLLOWING",
                        1,
                        Some(("attribute_not_exists(n) OR n < :max", max_following.into())),
                    )?,
                    add_count(
                        &self.table,
                        format!("CHANNEL#{channel}"),
                        "FOLLOWERS",
                        1,
                        None,
                    )?,
                ])
            })
            .await?;
        Ok(match failed.as_deref() {
            None => FollowOutcome::Added,
            Some(failed) if failed.contains(&0) => FollowOutcome::AlreadyFollowing,
            Some(_) => FollowOutcome::LimitReached,
        })
    }

    async fn unfollow(&self, user: &UserId, channel: &ChannelId) -> PortResult<bool> {
        let failed = self
            .transact_retrying(|| {
                let delete = Delete::builder()
                    .table_name(&self.table)
                    .key("pk", s(user_pk(user)))
                    .key("sk", s(follow_sk(channel)))
                    .condition_expression("attribute_exists(pk)")
                    .build()
                    .port("building a delete")?;
                Ok(vec![
                    TransactWriteItem::builder().delete(delete).build(),
                    add_count(&self.table, user_pk(user), "FOLLOWING", -1, None)?,
                    add_count(
                        &self.table,
                        format!("CHANNEL#{channel}"),
                        "FOLLOWERS",
                        -1,
                        None,
                    )?,
                ])
            })
            .await?;
        Ok(failed.is_none())
    }

    async fn get_follow(&self, user: &UserId, channel: &ChannelId) -> PortResult<Option<Follow>> {
        let found = self.get(&user_pk(user), &follow_sk(channel)).await?;
        found.as_ref().map(decode).transpose()
    }

    async fn set_notify(
        &self,
        user: &UserId,
        channel: &ChannelId,
        notify: bool,
    ) -> PortResult<bool> {
        let Some(mut follow) = self.get_follow(user, channel).await? else {
            return Ok(false);
        };
        follow.notify = notify;
        // Only if the follow is still there: an unfollow in between must not bring it back.
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .key("pk", s(user_pk(user)))
            .key("sk", s(follow_sk(channel)))
            .update_expression("SET #data = :data")
            .condition_expression("attribute_exists(pk)")
            .expression_attribute_names("#data", "data")
            .expression_attribute_values(":data", s(encode(&follow)?))
            .send()
            .await;
        match result {
            Ok(_) => Ok(true),
            Err(error) => written("DynamoDB UpdateItem", error).map_or(Ok(false), Err),
        }
    }

    async fn follower_count(&self, channel: &ChannelId) -> PortResult<u64> {
        count_of(self.get(&format!("CHANNEL#{channel}"), "FOLLOWERS").await?)
    }

    async fn followed_channel_ids(&self, user: &UserId) -> PortResult<Vec<ChannelId>> {
        self.query_prefix(&user_pk(user), "FOLLOWS#")
            .await?
            .iter()
            .map(|found| {
                let follow: Follow = decode(found)?;
                Ok(follow.channel_id)
            })
            .collect()
    }

    async fn list_following(
        &self,
        user: &UserId,
        after: Option<&FollowCursor>,
        limit: usize,
    ) -> PortResult<Page<Follow, FollowCursor>> {
        let before = after.map(|c| format!("{}#{}", time_key(c.at), c.channel_id));
        let (found, more) = self
            .query_index_desc("gsi2", &format!("FOLLOWING#{user}"), before, limit)
            .await?;
        follows_page(found, more)
    }

    async fn list_followers(
        &self,
        channel: &ChannelId,
        after: Option<&FollowCursor>,
        limit: usize,
    ) -> PortResult<Page<Follow, FollowCursor>> {
        let before = after.map(|c| format!("{}#{}", time_key(c.at), c.user_id));
        let (found, more) = self
            .query_index_desc("gsi1", &format!("FOLLOWERS#{channel}"), before, limit)
            .await?;
        follows_page(found, more)
    }
}
