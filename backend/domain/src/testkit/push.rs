//! Push subscriptions.

use super::*;
use crate::outbound::OutboundDestinations;
use crate::ports::PushSubscriptionRepository;
use crate::push::{PushEndpoint, PushKeys, PushSubscription};

/// A browser's P-256 public key, as subscriptions carry it (any valid one will do).
pub const P256DH: &str =
    "BLn9b-VR0ca83knDNZ32dCHGyjJp-1riX9ZTN40MqV8K_LpQmLqxC_DoHvqvFXO_nGdAB4W9dogZb_sM-uV4JbY";

/// A browser's authentication secret, as subscriptions carry it.
pub const AUTH: &str = "_ordMnz7uTCmrpBTeUV4Bw";

/// A subscription of `user`'s `n`th browser, made at minute `n`.
pub fn push_subscription(user: &str, n: i64) -> PushSubscription {
    PushSubscription {
        user_id: UserId::parse(user).unwrap(),
        endpoint: PushEndpoint::parse(
            &format!("https://push.example.com/send/{user}-{n}"),
            OutboundDestinations::PublicHttpsOnly,
        )
        .unwrap(),
        keys: PushKeys::parse(P256DH, AUTH).unwrap(),
        created_at: t(n),
    }
}

fn sorted(mut subscriptions: Vec<PushSubscription>) -> Vec<PushSubscription> {
    subscriptions.sort_by(|a, b| a.endpoint.as_str().cmp(b.endpoint.as_str()));
    subscriptions
}

/// Saving (again, with new keys), the oldest forgotten past the limit also when saves race,
/// reading many users' at once, removal, a browser taken over by another user.
pub async fn push_subscription_repository(repo: &dyn PushSubscriptionRepository) {
    let (ann, bob) = (
        UserId::parse("pushann").unwrap(),
        UserId::parse("pushbob").unwrap(),
    );
    repo.save_push_subscription(&push_subscription("pushann", 1), 3)
        .await
        .unwrap();
    let mut renewed = push_subscription("pushann", 1);
    renewed.keys.auth = "AAAAAAAAAAAAAAAAAAAAAA".into();
    renewed.created_at = t(5);
    repo.save_push_subscription(&renewed, 3).await.unwrap();
    repo.save_push_subscription(&push_subscription("pushann", 2), 3)
        .await
        .unwrap();
    repo.save_push_subscription(&push_subscription("pushbob", 1), 3)
        .await
        .unwrap();
    assert_eq!(
        sorted(
            repo.push_subscriptions_of(std::slice::from_ref(&ann))
                .await
                .unwrap()
        ),
        [renewed.clone(), push_subscription("pushann", 2)],
        "one subscription per endpoint, the newest keys"
    );

    // Six saves race for a user who may keep three: three stay, and they are the newest.
    let racing: Vec<_> = (10..16).map(|n| push_subscription("pushann", n)).collect();
    let saved = futures_util::future::join_all(
        racing
            .iter()
            .map(|subscription| repo.save_push_subscription(subscription, 3)),
    )
    .await;
    assert!(saved.iter().all(Result::is_ok), "{saved:?}");
    let kept = repo
        .push_subscriptions_of(std::slice::from_ref(&ann))
        .await
        .unwrap();
    assert_eq!(kept.len(), 3, "{kept:?}");
    assert!(
        kept.iter()
            .all(|subscription| subscription.created_at >= t(13)),
        "the oldest go: {kept:?}"
    );

    let many: Vec<UserId> = (0..250)
        .map(|n| UserId::parse(&format!("pushmany{n}")).unwrap())
        .chain([bob.clone(), ann.clone()])
        .collect();
    let everyone = repo.push_subscriptions_of(&many).await.unwrap();
    assert_eq!(everyone.len(), 4, "{everyone:?}");
    assert!(repo.push_subscriptions_of(&[]).await.unwrap().is_empty());

    let endpoint = &push_subscription("pushbob", 1).endpoint;
    assert!(repo.remove_push_subscription(&bob, endpoint).await.unwrap());
    assert!(!repo.remove_push_subscription(&bob, endpoint).await.unwrap());
    assert!(
        !repo.remove_push_subscription(&ann, endpoint).await.unwrap(),
        "only the owner's"
    );
    assert!(repo.push_subscriptions_of(&[bob]).await.unwrap().is_empty());

    // A browser belongs to one user: someone else signing in there and turning push on takes
    // it over, so the first user's channels stop notifying it.
    let (cat, dan) = (
        UserId::parse("pushcat").unwrap(),
        UserId::parse("pushdan").unwrap(),
    );
    let shared = push_subscription("pushcat", 1);
    repo.save_push_subscription(&shared, 3).await.unwrap();
    let taken = PushSubscription {
        user_id: dan.clone(),
        created_at: t(2),
        ..shared.clone()
    };
    repo.save_push_subscription(&taken, 3).await.unwrap();
    assert!(
        repo.push_subscriptions_of(std::slice::from_ref(&cat))
            .await
            .unwrap()
            .is_empty(),
        "the browser left its first user"
    );
    assert_eq!(
        repo.push_subscriptions_of(std::slice::from_ref(&dan))
            .await
            .unwrap(),
        std::slice::from_ref(&taken)
    );
    // The first user removing it (their old record) does not take it from the second.
    assert!(
        !repo
            .remove_push_subscription(&cat, &shared.endpoint)
            .await
            .unwrap()
    );
    assert_eq!(repo.push_subscriptions_of(&[dan]).await.unwrap().len(), 1);
}
