//! Push subscriptions on the table. Items:
//!
//! | item | pk | sk | other attributes |
//! |---|---|---|---|
//! | a user's subscriptions | `USER#<id>` | `PUSH` | `data`: all of them (at most ten) |
//! | whose a browser is | `PUSHENDPOINT#<endpoint>` | `OWNER` | `user` |
//!
//! One item per user, beside their profile, so the go-live fan-out reads a page of followers'
//! subscriptions with one `BatchGetItem` (100 users), never a query per follower. Saving and
//! removing rewrite the item on the condition that it is still what was read (racing writes
//! retry), which keeps the per-user limit exact.

use std::collections::HashMap;

use async_trait::async_trait;
use cloumer_domain::error::{PortError, PortResult};
use cloumer_domain::ids::UserId;
use cloumer_domain::ports::PushSubscriptionRepository;
use cloumer_domain::push::{PushEndpoint, PushSubscription};

use super::{DynamoStore, Item, encode, item, s, text, written};

const SK: &str = "PUSH";
const OWNER: &str = "OWNER";

fn user_pk(user: &UserId) -> String {
    format!("USER#{user}")
}

fn subscriptions_of(found: &Item) -> PortResult<Vec<PushSubscription>> {
    match text(found, "data") {
        Some(json) => serde_json::from_str(&json)
            .map_err(|error| PortError::new("reading push subscriptions", error)),
        None => Ok(Vec::new()),
    }
}

impl DynamoStore {
    /// Rewrites `user`'s subscriptions with `change` (which says whether it changed anything),
    /// retrying while other writes race it.
    async fn change_subscriptions(
        &self,
        user: &UserId,
        change: impl Fn(&mut Vec<PushSubscription>) -> bool + Send + Sync,
    ) -> PortResult<bool> {
        for _ in 0..8 {
            let found = self.get(&user_pk(user), SK).await?;
            let previous = found.as_ref().and_then(|found| text(found, "data"));
            let mut subscriptions = found
                .as_ref()
                .map(subscriptions_of)
                .transpose()?
                .unwrap_or_default();
            if !change(&mut subscriptions) {
                return Ok(false);
            }
            if self
                .replace_subscriptions(user, previous, &subscriptions)
                .await?
            {
                return Ok(true);
            }
        }
        Err(PortError::new(
            "saving push subscriptions",
            "other writes kept racing this one",
        ))
    }

    /// Writes the user's subscriptions (deleting the item when there are none) if the stored
    /// ones are still `previous`; `false` when they are not.
    async fn replace_subscriptions(
        &self,
        user: &UserId,
        previous: Option<String>,
        subscriptions: &[PushSubscription],
    ) -> PortResult<bool> {
        let (condition, names, values) = match previous {
            None => ("attribute_not_exists(pk)", None, None),
            Some(json) => (
                "#data = :previous",
                Some(HashMap::from([("#data".to_owned(), "data".to_owned())])),
                Some(HashMap::from([(":previous".to_owned(), s(json))])),
            ),
        };
        let sent = if subscriptions.is_empty() {
            self.client
                .delete_item()
                .table_name(&self.table)
                .key("pk", s(user_pk(user)))
                .key("sk", s(SK))
                .condition_expression(condition)
                .set_expression_attribute_names(names)
                .set_expression_attribute_values(values)
                .send()
                .await
                .map(drop)
                .map_err(|error| written("DynamoDB DeleteItem", error))
        } else {
            self.client
                .put_item()
                .table_name(&self.table)
                .set_item(Some(item(&[
                    ("pk", s(user_pk(user))),
                    ("sk", s(SK)),
                    ("data", s(encode(&subscriptions)?)),
                ])))
                .condition_expression(condition)
                .set_expression_attribute_names(names)
                .set_expression_attribute_values(values)
                .send()
                .await
                .map(drop)
                .map_err(|error| written("DynamoDB PutItem", error))
        };
        match sent {
            Ok(()) => Ok(true),
            Err(None) => Ok(false),
            Err(Some(error)) => Err(error),
        }
    }
}

fn owner_pk(endpoint: &PushEndpoint) -> String {
    format!("PUSHENDPOINT#{}", endpoint.as_str())
}

impl DynamoStore {
    /// Forgets `endpoint`'s owner item if it is still `user` (someone may have taken it since).
    async fn release_endpoint(&self, user: &UserId, endpoint: &PushEndpoint) -> PortResult<()> {
        self.client
            .delete_item()
            .table_name(&self.table)
            .key("pk", s(owner_pk(endpoint)))
            .key("sk", s(OWNER))
            .condition_expression("#user = :me")
            .expression_attribute_names("#user", "user")
            .expression_attribute_values(":me", s(user.as_str()))
            .send()
            .await
            .map(drop)
            .or_else(|error| match written("DynamoDB DeleteItem", error) {
                None => Ok(()),
                Some(error) => Err(error),
            })
    }

    /// Removes `endpoint` from `user`'s subscriptions; whether it was there.
    async fn drop_endpoint(&self, user: &UserId, endpoint: &PushEndpoint) -> PortResult<bool> {
        self.change_subscriptions(user, |subscriptions| {
            let before = subscriptions.len();
            subscriptions.retain(|kept| &kept.endpoint != endpoint);
            subscriptions.len() != before
        })
        .await
    }
}

#[async_trait]
impl PushSubscriptionRepository for DynamoStore {
    /// The endpoint's owner item says whose the browser is: a save by someone else first takes
    /// the endpoint from the previous owner's subscriptions. (Two users saving one endpoint at
    /// the same moment may both keep it until the next push finds it; a browser has one user at
    /// a time, so that race needs two people at one keyboard.)
    async fn save_push_subscription(
        &self,
        subscription: &PushSubscription,
        max: usize,
    ) -> PortResult<()> {
        let user = &subscription.user_id;
        let previous = self
            .get(&owner_pk(&subscription.endpoint), OWNER)
            .await?
            .and_then(|found| text(&found, "user"))
            .filter(|previous| previous != user.as_str());
        if let Some(previous) = previous {
            let previous = UserId::parse(&previous)
                .map_err(|error| PortError::new("reading a push endpoint's owner", error))?;
            self.drop_endpoint(&previous, &subscription.endpoint)
                .await?;
        }
        let evicted = std::sync::Mutex::new(Vec::new());
        self.change_subscriptions(user, |subscriptions| {
            subscriptions.retain(|kept| kept.endpoint != subscription.endpoint);
            subscriptions.push(subscription.clone());
            subscriptions.sort_by_key(|kept| kept.created_at);
            let excess = subscriptions.len().saturating_sub(max);
            let gone = subscriptions
                .drain(..excess)
                .map(|old| old.endpoint)
                .collect();
            *evicted
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner()) = gone;
            true
        })
        .await?;
        self.put_plain(item(&[
            ("pk", s(owner_pk(&subscription.endpoint))),
            ("sk", s(OWNER)),
            ("user", s(user.as_str())),
        ]))
        .await?;
        let evicted = evicted
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        for endpoint in &evicted {
            self.release_endpoint(user, endpoint).await?;
        }
        Ok(())
    }

    async fn remove_push_subscription(
        &self,
        user: &UserId,
        endpoint: &PushEndpoint,
    ) -> PortResult<bool> {
        let removed = self.drop_endpoint(user, endpoint).await?;
        if removed {
            self.release_endpoint(user, endpoint).await?;
        }
        Ok(removed)
    }

    async fn push_subscriptions_of(&self, users: &[UserId]) -> PortResult<Vec<PushSubscription>> {
        let mut subscriptions = Vec::new();
        let keys = users.iter().map(|user| (format!("USER#{user}"), SK));
        for found in self.items_by_keys(keys).await? {
            subscriptions.extend(subscriptions_of(&found)?);
        }
        Ok(subscriptions)
    }
}
