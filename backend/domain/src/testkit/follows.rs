//! Follows.

use super::*;
use crate::follow::{Follow, FollowOutcome};
use crate::ports::FollowRepository;

fn follow(user: &str, channel: &str, minute: i64) -> Follow {
    Follow {
        user_id: UserId::parse(user).unwrap(),
        channel_id: ChannelId::parse(channel).unwrap(),
        followed_at: t(minute),
        notify: true,
    }
}

fn channels(page: &crate::page::Page<Follow, crate::follow::FollowCursor>) -> Vec<&str> {
    page.items.iter().map(|f| f.channel_id.as_str()).collect()
}

/// Follows are counted once however often they are repeated or raced, the per-user limit holds
/// without leaving anything behind, both listings page newest first, and unfollowing undoes all.
pub async fn follow_repository(repo: &dyn FollowRepository) {
    let viewer = UserId::parse("fviewer").unwrap();
    let chan_a = ChannelId::parse("fchana").unwrap();
    assert_eq!(
        repo.follow(&follow("fviewer", "fchana", 1), 10)
            .await
            .unwrap(),
        FollowOutcome::Added
    );
    assert_eq!(
        repo.follow(&follow("fviewer", "fchana", 2), 10)
            .await
            .unwrap(),
        FollowOutcome::AlreadyFollowing,
        "following again changes nothing"
    );
    assert!(repo.get_follow(&viewer, &chan_a).await.unwrap().is_some());
    assert_eq!(repo.follower_count(&chan_a).await.unwrap(), 1);
    assert_eq!(
        repo.list_following(&viewer, None, 10).await.unwrap().items,
        [follow("fviewer", "fchana", 1)],
        "the first follow's time is kept"
    );

    // Racing follows of one channel by one user count once.
    let racing = follow("fracer", "fchanb", 3);
    let results = tokio::join!(
        repo.follow(&racing, 10),
        repo.follow(&racing, 10),
        repo.follow(&racing, 10),
        repo.follow(&racing, 10),
    );
    let added = [results.0, results.1, results.2, results.3]
        .into_iter()
        .map(|r| r.unwrap())
        .filter(|outcome| *outcome == FollowOutcome::Added)
        .count();
    assert_eq!(added, 1);
    assert_eq!(repo.follower_count(&racing.channel_id).await.unwrap(), 1);

    // The limit: a second channel is one too many for a limit of 2 after two follows.
    assert_eq!(
        repo.follow(&follow("fviewer", "fchanb", 4), 2)
            .await
            .unwrap(),
        FollowOutcome::Added
    );
    assert_eq!(
        repo.follow(&follow("fviewer", "fchanc", 5), 2)
            .await
            .unwrap(),
        FollowOutcome::LimitReached
    );
    let chan_c = ChannelId::parse("fchanc").unwrap();
    assert!(repo.get_follow(&viewer, &chan_c).await.unwrap().is_none());
    assert_eq!(
        repo.follower_count(&chan_c).await.unwrap(),
        0,
        "nothing half-written"
    );
    assert_eq!(
        repo.follow(&follow("fviewer", "fchanc", 5), 3)
            .await
            .unwrap(),
        FollowOutcome::Added
    );

    // A user's channels, newest first, in pages.
    let first = repo.list_following(&viewer, None, 2).await.unwrap();
    assert_eq!(channels(&first), ["fchanc", "fchanb"]);
    let rest = repo
        .list_following(&viewer, first.next.as_ref(), 2)
        .await
        .unwrap();
    assert_eq!(channels(&rest), ["fchana"]);
    assert_eq!(rest.next, None);
    let mut ids: Vec<String> = repo
        .followed_channel_ids(&viewer)
        .await
        .unwrap()
        .iter()
        .map(|c| c.as_str().to_owned())
        .collect();
    ids.sort();
    assert_eq!(ids, ["fchana", "fchanb", "fchanc"]);

    // A channel's followers, newest first, in pages.
    let chan_b = ChannelId::parse("fchanb").unwrap();
    assert_eq!(repo.follower_count(&chan_b).await.unwrap(), 2);
    let first = repo.list_followers(&chan_b, None, 1).await.unwrap();
    assert_eq!(first.items, [follow("fviewer", "fchanb", 4)]);
    let rest = repo
        .list_followers(&chan_b, first.next.as_ref(), 1)
        .await
        .unwrap();
    assert_eq!(rest.items, std::slice::from_ref(&racing));
    assert_eq!(rest.next, None);

    // Notifications of one followed channel turned off, and on again; not for a channel not
    // followed.
    assert!(repo.set_notify(&viewer, &chan_b, false).await.unwrap());
    let muted = repo.get_follow(&viewer, &chan_b).await.unwrap().unwrap();
    assert!(!muted.notify);
    assert_eq!(muted.followed_at, t(4), "the rest of the follow is kept");
    let listed = repo.list_followers(&chan_b, None, 1).await.unwrap();
    assert!(!listed.items[0].notify, "the followers' listing sees it");
    assert!(repo.set_notify(&viewer, &chan_b, true).await.unwrap());
    assert!(
        repo.get_follow(&viewer, &chan_b)
            .await
            .unwrap()
            .unwrap()
            .notify
    );
    assert!(
        !repo
            .set_notify(&viewer, &ChannelId::parse("fnone").unwrap(), false)
            .await
            .unwrap()
    );
    assert!(
        repo.get_follow(&viewer, &ChannelId::parse("fnone").unwrap())
            .await
            .unwrap()
            .is_none(),
        "muting never creates a follow"
    );

    // Unfollowing removes the follow from everywhere, once.
    assert!(repo.unfollow(&viewer, &chan_b).await.unwrap());
    assert!(!repo.unfollow(&viewer, &chan_b).await.unwrap());
    assert!(repo.get_follow(&viewer, &chan_b).await.unwrap().is_none());
    assert_eq!(repo.follower_count(&chan_b).await.unwrap(), 1);
    assert_eq!(
        channels(&repo.list_following(&viewer, None, 10).await.unwrap()),
        ["fchanc", "fchana"]
    );
    assert_eq!(
        repo.list_followers(&chan_b, None, 10).await.unwrap().items,
        [racing]
    );
    assert_eq!(repo.followed_channel_ids(&viewer).await.unwrap().len(), 2);
    // The freed place counts again under the limit.
    assert_eq!(
        repo.follow(&follow("fviewer", "fchand", 6), 3)
            .await
            .unwrap(),
        FollowOutcome::Added
    );
    assert!(
        repo.list_following(&UserId::parse("fnobody").unwrap(), None, 10)
            .await
            .unwrap()
            .items
            .is_empty()
    );
}
