//! Push subscriptions: (user, endpoint) → subscription, so a user's few browsers are one range
//! read and saving the same endpoint again replaces it; endpoint → user, so a browser belongs to
//! one user. The limit is kept in the same write transaction as the save, which redb runs one at
//! a time, so racing saves cannot pass it.

use async_trait::async_trait;
use cloumer_domain::error::{PortContext, PortResult};
use cloumer_domain::ids::UserId;
use cloumer_domain::ports::PushSubscriptionRepository;
use cloumer_domain::push::{PushEndpoint, PushSubscription};
use redb::{ReadableTable, TableDefinition};

use super::{EmbeddedStore, TxResult, decode, encode, port_only};

/// (user, endpoint) → subscription
const SUBSCRIPTIONS: TableDefinition<(&str, &str), &[u8]> = TableDefinition::new("push");
/// endpoint → the user whose it is
const OWNERS: TableDefinition<&str, &str> = TableDefinition::new("push_owners");

pub(super) fn create_tables(tx: &redb::WriteTransaction) -> PortResult<()> {
    tx.open_table(SUBSCRIPTIONS).port("t")?;
    tx.open_table(OWNERS).port("t")?;
    Ok(())
}

/// Forgets `user`'s subscription at `endpoint` (and the endpoint's owner, when it is `user`).
fn forget(
    subscriptions: &mut redb::Table<(&'static str, &'static str), &'static [u8]>,
    owners: &mut redb::Table<&'static str, &'static str>,
    user: &str,
    endpoint: &str,
) -> PortResult<bool> {
    let removed = subscriptions
        .remove((user, endpoint))
        .port("removing a push subscription")?
        .is_some();
    let owned = owners
        .get(endpoint)
        .port("reading a push endpoint's owner")?
        .is_some_and(|owner| owner.value() == user);
    if owned {
        owners
            .remove(endpoint)
            .port("removing a push endpoint's owner")?;
    }
    Ok(removed)
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
            let mut owners = tx.open_table(OWNERS).port("opening push owners")?;
            let previous = owners
                .get(endpoint.as_str())
                .port("reading a push endpoint's owner")?
                .map(|owner| owner.value().to_owned());
            if let Some(previous) = previous.filter(|previous| *previous != user) {
                forget(&mut table, &mut owners, &previous, &endpoint)?;
            }
            table
                .insert((user.as_str(), endpoint.as_str()), bytes.as_slice())
                .port("saving a push subscription")?;
            owners
                .insert(endpoint.as_str(), user.as_str())
                .port("saving a push endpoint's owner")?;
            let mut kept = users_subscriptions(&table, &user)?;
            if kept.len() > max {
                kept.sort_by_key(|subscription| subscription.created_at);
                for old in &kept[..kept.len() - max] {
                    forget(&mut table, &mut owners, &user, old.endpoint.as_str())?;
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
            let mut owners = tx.open_table(OWNERS).port("opening push owners")?;
            Ok(forget(
                &mut table,
                &mut owners,
                user.as_str(),
                endpoint.as_str(),
            )?)
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
