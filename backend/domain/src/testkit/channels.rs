//! Profiles, channels and grants.

use super::*;
use crate::profile::Profile;

/// Profiles, channels, handles, versions, live listing, activity paging and grants.
pub async fn channel_repository(repo: &dyn ChannelRepository) {
    // Profiles round-trip, Korean text included.
    let alice = profile("alice");
    assert_eq!(repo.get_profile(&alice.user_id).await.unwrap(), None);
    repo.put_profile(&alice).await.unwrap();
    assert_eq!(
        repo.get_profile(&alice.user_id).await.unwrap(),
        Some(alice.clone())
    );

    // Profiles are read in batches: more than one DynamoDB BatchGetItem (100 keys), unknown users
    // left out.
    let many: Vec<Profile> = (0..130).map(|i| profile(&format!("batch{i}"))).collect();
    for p in &many {
        repo.put_profile(p).await.unwrap();
    }
    let mut asked: Vec<UserId> = many.iter().map(|p| p.user_id.clone()).collect();
    asked.push(UserId::parse("nobody-here").unwrap());
    let mut found = repo.get_profiles(&asked).await.unwrap();
    found.sort_by(|a, b| a.user_id.cmp(&b.user_id));
    let mut expected = many.clone();
    expected.sort_by(|a, b| a.user_id.cmp(&b.user_id));
    assert_eq!(found, expected);
    assert!(repo.get_profiles(&[]).await.unwrap().is_empty());

    // A channel is found by id, handle, owner and chat room.
    let mut a = channel("alice", "alice", 0);
    repo.create_channel(&a).await.unwrap();
    assert_eq!(repo.get_channel(&a.id).await.unwrap(), Some(a.clone()));
    assert_eq!(
        repo.find_channel_by_handle(&a.handle).await.unwrap(),
        Some(a.clone())
    );
    assert_eq!(
        repo.find_channel_by_owner(&a.owner).await.unwrap(),
        Some(a.clone())
    );
    let room = a.chat_room.clone().unwrap().arn;
    assert_eq!(
        repo.find_channel_by_room(&room).await.unwrap(),
        Some(a.clone())
    );
    assert_eq!(
        repo.find_channel_by_room("arn:nothing").await.unwrap(),
        None
    );

    // Handles are unique, one channel per owner, and a refused create leaves nothing behind.
    let clash = channel("bob", "alice", 1);
    assert!(matches!(
        repo.create_channel(&clash).await,
        Err(WriteError::HandleTaken)
    ));
    assert_eq!(repo.get_channel(&clash.id).await.unwrap(), None);
    assert_eq!(
        repo.find_channel_by_owner(&clash.owner).await.unwrap(),
        None
    );
    let second = channel("alice", "alice_two", 1);
    assert!(matches!(
        repo.create_channel(&second).await,
        Err(WriteError::ChannelExists)
    ));
    assert_eq!(
        repo.find_channel_by_handle(&second.handle).await.unwrap(),
        None,
        "a refused create must not reserve its handle"
    );

    // Updates are conditional on the version read. A suspension, with its end, is kept whole.
    a.title = crate::channel::StreamTitle::parse("첫 방송").unwrap();
    let since = time::OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap();
    a.suspension = Some(crate::channel::Suspension {
        since,
        until: Some(since + time::Duration::days(7)),
        by: UserId::parse("staffer").unwrap(),
        reason: crate::report::ReportReason::Violence,
        appealed_at: Some(since + time::Duration::hours(1)),
        appeal_rejected_at: None,
    });
    a.version = 1;
    repo.update_channel(&a).await.unwrap();
    let mut stale = a.clone();
    stale.title = crate::channel::StreamTitle::parse("stale").unwrap();
    assert!(matches!(
        repo.update_channel(&stale).await,
        Err(WriteError::VersionMismatch)
    ));
    assert_eq!(
        repo.get_channel(&a.id)
            .await
            .unwrap()
            .unwrap()
            .title
            .as_str(),
        "첫 방송"
    );
    // Found by its room again (as every chat message's review does), it is the channel as it is
    // now: a store may remember which channel a room is, not what the channel was.
    assert_eq!(
        repo.find_channel_by_room(&room).await.unwrap(),
        Some(a.clone())
    );

    // Renaming moves the handle atomically; renaming onto a taken handle changes nothing.
    let b = channel("bob", "bob", 2);
    repo.create_channel(&b).await.unwrap();
    let mut renamed = a.clone();
    renamed.handle = ChannelHandle::parse("alice_new").unwrap();
    renamed.version = 2;
    repo.update_channel(&renamed).await.unwrap();
    assert_eq!(
        repo.find_channel_by_handle(&ChannelHandle::parse("alice").unwrap())
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        repo.find_channel_by_handle(&renamed.handle)
            .await
            .unwrap()
            .unwrap()
            .id,
        a.id
    );
    let mut onto_bob = renamed.clone();
    onto_bob.handle = b.handle.clone();
    onto_bob.version = 3;
    assert!(matches!(
        repo.update_channel(&onto_bob).await,
        Err(WriteError::HandleTaken)
    ));
    assert_eq!(
        repo.find_channel_by_handle(&b.handle)
            .await
            .unwrap()
            .unwrap()
            .id,
        b.id
    );
    assert_eq!(
        repo.find_channel_by_handle(&renamed.handle)
            .await
            .unwrap()
            .unwrap()
            .id,
        a.id
    );
    assert_eq!(repo.get_channel(&a.id).await.unwrap().unwrap().version, 2);
    // The old handle is free for others now.
    let c = channel("carol", "alice", 3);
    repo.create_channel(&c).await.unwrap();

    // Live listing follows updates.
    assert!(repo.list_live_channels().await.unwrap().is_empty());
    let mut live_b = b.clone();
    go_live(&mut live_b, 10);
    live_b.version = 1;
    repo.update_channel(&live_b).await.unwrap();
    let live: Vec<ChannelId> = repo
        .list_live_channels()
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(live, vec![b.id.clone()]);
    let mut ended_b = live_b.clone();
    ended_b.live.ended_at = Some(t(20));
    ended_b.version = 2;
    repo.update_channel(&ended_b).await.unwrap();
    assert!(repo.list_live_channels().await.unwrap().is_empty());

    // All channels, most recently active first, in pages: b (live at 10), c (3), a (0).
    let first = repo.list_channels(None, 2).await.unwrap();
    let ids: Vec<_> = first.items.iter().map(|c| c.id.clone()).collect();
    assert_eq!(ids, vec![b.id.clone(), c.id.clone()]);
    let next = first.next.expect("a second page");
    let second_page = repo.list_channels(Some(&next), 2).await.unwrap();
    let ids: Vec<_> = second_page.items.iter().map(|c| c.id.clone()).collect();
    assert_eq!(ids, vec![a.id.clone()]);
    assert_eq!(second_page.next, None);

    // Grants.
    let grant = ViewerGrant {
        channel_id: a.id.clone(),
        user_id: b.owner.clone(),
        handle: "bob".into(),
        granted_at: t(30),
    };
    assert_eq!(repo.get_grant(&a.id, &b.owner).await.unwrap(), None);
    repo.put_grant(&grant).await.unwrap();
    assert_eq!(
        repo.get_grant(&a.id, &b.owner).await.unwrap(),
        Some(grant.clone())
    );
    assert_eq!(repo.list_grants(&a.id).await.unwrap(), vec![grant]);
    assert!(repo.list_grants(&b.id).await.unwrap().is_empty());
    assert!(repo.remove_grant(&a.id, &b.owner).await.unwrap());
    assert!(!repo.remove_grant(&a.id, &b.owner).await.unwrap());
    assert_eq!(repo.get_grant(&a.id, &b.owner).await.unwrap(), None);

    // Erasing a channel frees its handle and every link to it, from what is stored (the
    // caller's copy may be older); other channels keep theirs. Erasing again changes nothing.
    let stored_b = repo.get_channel(&b.id).await.unwrap().unwrap();
    let granted = ViewerGrant {
        channel_id: b.id.clone(),
        user_id: a.owner.clone(),
        handle: "alice".into(),
        granted_at: t(31),
    };
    repo.put_grant(&granted).await.unwrap();
    repo.erase_channel(&b).await.unwrap();
    repo.erase_channel(&b).await.unwrap();
    assert_eq!(repo.get_channel(&b.id).await.unwrap(), None);
    assert_eq!(
        repo.find_channel_by_handle(&stored_b.handle).await.unwrap(),
        None
    );
    // Read together, an erased channel is left out and the others come as stored.
    let mut together = repo
        .get_channels(&[b.id.clone(), a.id.clone(), c.id.clone()])
        .await
        .unwrap();
    together.sort_by(|x, y| x.id.cmp(&y.id));
    let mut expected = vec![
        repo.get_channel(&a.id).await.unwrap().unwrap(),
        repo.get_channel(&c.id).await.unwrap().unwrap(),
    ];
    expected.sort_by(|x, y| x.id.cmp(&y.id));
    assert_eq!(together, expected);
    assert!(repo.get_channels(&[]).await.unwrap().is_empty());
    // A key asked for twice comes once (DynamoDB refuses a batch that names one twice).
    let twice = repo
        .get_channels(&[a.id.clone(), a.id.clone()])
        .await
        .unwrap();
    assert_eq!(twice.len(), 1);
    // By owners: those with a channel; one without (b's, erased) or unknown is left out.
    let mut owned = repo
        .find_channels_by_owners(&[
            c.owner.clone(),
            b.owner.clone(),
            UserId::parse("nobody-here").unwrap(),
            a.owner.clone(),
            a.owner.clone(),
        ])
        .await
        .unwrap();
    owned.sort_by(|x, y| x.id.cmp(&y.id));
    assert_eq!(owned, expected);
    assert!(repo.find_channels_by_owners(&[]).await.unwrap().is_empty());
    assert_eq!(repo.find_channel_by_owner(&b.owner).await.unwrap(), None);
    let b_room = &stored_b.chat_room.as_ref().unwrap().arn;
    assert_eq!(repo.find_channel_by_room(b_room).await.unwrap(), None);
    assert_eq!(repo.get_grant(&b.id, &a.owner).await.unwrap(), None);
    assert!(
        repo.list_live_channels()
            .await
            .unwrap()
            .iter()
            .all(|c| c.id != b.id)
    );
    let listed = repo.list_channels(None, 10).await.unwrap();
    let ids: Vec<_> = listed.items.iter().map(|c| c.id.clone()).collect();
    assert_eq!(ids, vec![c.id.clone(), a.id.clone()]);
    assert!(repo.get_channel(&a.id).await.unwrap().is_some());
    // The handle is free for a new channel.
    let mut reuse = channel("dave", "dave", 40);
    reuse.handle = stored_b.handle.clone();
    repo.create_channel(&reuse).await.unwrap();

    // Erasing a profile: marked first, then gone, the mark kept, others kept, again harmless.
    assert!(!repo.was_erased(&alice.user_id).await.unwrap());
    repo.mark_erased(&alice.user_id).await.unwrap();
    assert!(repo.was_erased(&alice.user_id).await.unwrap());
    assert!(repo.get_profile(&alice.user_id).await.unwrap().is_some());
    repo.erase_profile(&alice.user_id).await.unwrap();
    repo.erase_profile(&alice.user_id).await.unwrap();
    assert_eq!(repo.get_profile(&alice.user_id).await.unwrap(), None);
    assert!(repo.was_erased(&alice.user_id).await.unwrap());
    assert!(!repo.was_erased(&many[0].user_id).await.unwrap());
    assert_eq!(
        repo.get_profile(&many[0].user_id).await.unwrap(),
        Some(many[0].clone())
    );
}
