//! Push subscriptions: (user, endpoint) → subscription, so a user's few browsers are one range
//! read and saving the same endpoint again replaces it. The limit is kept in the same write
//! transaction as the save, which redb runs one at a time, so racing saves cannot pass it.

use async_trait::async_trait;
use cloumer_domain::error::{PortContext, PortResult};
use cloumer_domain::ids::UserId;
use cloumer_domain::ports::PushSubscriptionRepository;
use cloumer_domain::push::{PushEndpoint, PushSubscription};
use redb::{ReadableTable, TableDefinition};

use super::{EmbeddedStore, TxResult, decode, encode, port_only};

/// (user, endpoint) → subscription
const SUBSCRIPTIONS: TableDefinition<(&str, &str), &[u8]> = TableDefinition::new("push");

pub(super) fn create_tables(tx: &redb::WriteTransaction) -> PortResult<()> {
    tx.open_table(SUBSCRIPTIONS).port("t")?;
    Ok(())
}

fn users_subscriptions<T: ReadableTable<(&'static str, &'static str), &'static [u8]>>(
    table: &T,
    user: &str,
) -> PortResult<Vec<PushSubscription>> {
    table
        .range((user, "")..=(user, "\u{10FFFF}"))
        .port("listing push subscriptions")?
        .map(|entry| decode(entry.port("listing push subscriptions")?.1.value()))
        .collect()
}

#[async_trait]
impl PushSubscriptionRepository for EmbeddedStore {
    async fn save_push_subscription(
        &self,
        subscription: &PushSubscription,
        max: usize,
    ) -> PortResult<()> {
        let bytes = encode(subscription)?;
        let (user, endpoint) = (
            subscription.user_id.as_str().to_owned(),
            subscription.endpoint.as_str().to_owned(),
        );
        self.write(move |tx| -> TxResult<()> {
            let mut table = tx.open_table(SUBSCRIPTIONS).port("opening push")?;
            table
                .insert((user.as_str(), endpoint.as_str()), bytes.as_slice())
                .port("saving a push subscription")?;
            let mut kept = users_subscriptions(&table, &user)?;
            if kept.len() > max {
                kept.sort_by_key(|subscription| subscription.created_at);
                for old in &kept[..kept.len() - max] {
                    table
                        .remove((user.as_str(), old.endpoint.as_str()))
                        .port("forgetting an old push subscription")?;
                }
            }
            Ok(())
        })
        .await
        .map_err(port_only)
    }

    async fn remove_push_subscription(
        &self,
        user: &UserId,
        endpoint: &PushEndpoint,
    ) -> PortResult<bool> {
        let (user, endpoint) = (user.clone(), endpoint.clone());
        self.write(move |tx| -> TxResult<bool> {
            let mut table = tx.open_table(SUBSCRIPTIONS).port("opening push")?;
            let removed = table
                .remove((user.as_str(), endpoint.as_str()))
                .port("removing a push subscription")?
                .is_some();
            Ok(removed)
        })
        .await
        .map_err(port_only)
    }

    async fn push_subscriptions_of(&self, users: &[UserId]) -> PortResult<Vec<PushSubscription>> {
        let users = users.to_vec();
        self.read(move |tx| {
            let table = tx.open_table(SUBSCRIPTIONS).port("opening push")?;
            let mut found = Vec::new();
            for user in &users {
                found.extend(users_subscriptions(&table, user.as_str())?);
            }
            Ok(found)
        })
        .await
    }
}
