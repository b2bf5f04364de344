use cloumer_domain::DomainError;
use cloumer_domain::block_list::MAX_BLOCKED;
use cloumer_domain::channel::ChannelChange;
use cloumer_domain::handle::ChannelHandle;
use cloumer_domain::ports::BlockRepository;
use cloumer_domain::profile::{Nickname, ProfileChange};
use time::Duration;

use crate::world::world;

#[tokio::test]
async fn a_block_reaches_the_blockers_chat_token_and_no_one_elses() {
    let world = world();
    world.account("u-streamer", "streamer").await;
    let (mina, _) = world.account("u-mina", "mina").await;
    let (troll, _) = world.account("u-troll", "troll").await;
    let (other, _) = world.account("u-other", "other").await;

    world.platform.block_user(&mina, "u-troll").await.unwrap();
    world
        .platform
        .block_user(&mina, "u-troll")
        .await
        .expect("blocking again changes nothing");

    let token = world
        .platform
        .chat_token("streamer", Some(&mina), None)
        .await
        .unwrap();
    assert_eq!(token.blocked, vec![troll.user_id.clone()]);
    let others = world
        .platform
        .chat_token("streamer", Some(&other), None)
        .await
        .unwrap();
    assert!(others.blocked.is_empty(), "a block is personal");
    let blocked_ones = world
        .platform
        .chat_token("streamer", Some(&troll), None)
        .await
        .unwrap();
    assert!(
        blocked_ones
            .capabilities
            .contains(&cloumer_domain::chat::ChatCapability::SendMessage),
        "the blocked person still chats: only the blocker stops seeing them"
    );

    world.platform.unblock_user(&mina, "u-troll").await.unwrap();
    world
        .platform
        .unblock_user(&mina, "u-troll")
        .await
        .expect("unblocking someone not blocked is no error");
    let token = world
        .platform
        .chat_token("streamer", Some(&mina), None)
        .await
        .unwrap();
    assert!(token.blocked.is_empty());
}

#[tokio::test]
async fn the_list_names_people_as_they_go_by_now_newest_first() {
    let world = world();
    let (mina, _) = world.account("u-mina", "mina").await;
    let (troll, _) = world.account("u-troll", "troll").await;
    let (_, spammer) = world.account("u-spammer", "spammer").await;

    world.platform.block_user(&mina, "u-troll").await.unwrap();
    world.advance(Duration::minutes(1));
    world.platform.block_user(&mina, "u-spammer").await.unwrap();
    world
        .platform
        .update_channel(
            &troll,
            ChannelChange {
                handle: Some(ChannelHandle::parse("renamed_troll").unwrap()),
                ..ChannelChange::default()
            },
        )
        .await
        .unwrap();
    world
        .platform
        .update_profile(
            &troll,
            ProfileChange {
                nickname: Some(Nickname::parse("New Name").unwrap()),
                ..ProfileChange::default()
            },
        )
        .await
        .unwrap();

    let list = world.platform.blocked_users(&mina).await.unwrap();
    let names: Vec<_> = list
        .iter()
        .map(|b| {
            (
                b.user_id.as_str(),
                b.handle.as_ref().map(|h| h.as_str().to_owned()),
                b.profile.as_ref().map(|p| p.nickname.as_str().to_owned()),
            )
        })
        .collect();
    assert_eq!(
        names,
        vec![
            (
                "u-spammer",
                Some("spammer".to_owned()),
                Some(spammer.profile.nickname.as_str().to_owned())
            ),
            (
                "u-troll",
                Some("renamed_troll".to_owned()),
                Some("New Name".to_owned())
            ),
        ]
    );
    assert!(list[0].blocked_at > list[1].blocked_at);
    assert!(
        world
            .platform
            .blocked_users(&troll)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn nobody_blocks_themselves_a_stranger_or_a_made_up_id() {
    let world = world();
    let (mina, _) = world.account("u-mina", "mina").await;
    assert!(matches!(
        world.platform.block_user(&mina, "u-mina").await,
        Err(DomainError::Conflict {
            code: "own_account",
            ..
        })
    ));
    assert!(matches!(
        world.platform.block_user(&mina, "u-nobody").await,
        Err(DomainError::NotFound("user"))
    ));
    assert!(matches!(
        world.platform.block_user(&mina, "anon-Xy12").await,
        Err(DomainError::NotFound("user")),
    ));
    assert!(matches!(
        world.platform.block_user(&mina, "a b/../c").await,
        Err(DomainError::Invalid { .. })
    ));
    assert!(
        world
            .platform
            .blocked_users(&mina)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn blocks_made_at_once_from_two_tabs_all_land() {
    let world = world();
    let (mina, _) = world.account("u-mina", "mina").await;
    let mut targets = Vec::new();
    for n in 0..6 {
        let user = format!("u-{n}");
        world.account(&user, &format!("target{n}")).await;
        targets.push(user);
    }
    let results = futures_util::future::join_all(
        targets
            .iter()
            .map(|user| world.platform.block_user(&mina, user)),
    )
    .await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    let token = world
        .platform
        .chat_token("target0", Some(&mina), None)
        .await
        .unwrap();
    let mut blocked: Vec<_> = token
        .blocked
        .iter()
        .map(|u| u.as_str().to_owned())
        .collect();
    blocked.sort();
    assert_eq!(blocked, targets, "no write lost another's block");
}

#[tokio::test]
async fn block_changes_are_rate_limited_per_user() {
    let world = world();
    let (mina, _) = world.account("u-mina", "mina").await;
    world.account("u-troll", "troll").await;
    for n in 0..30 {
        if n % 2 == 0 {
            world.platform.block_user(&mina, "u-troll").await.unwrap();
        } else {
            world.platform.unblock_user(&mina, "u-troll").await.unwrap();
        }
    }
    assert!(matches!(
        world.platform.block_user(&mina, "u-troll").await,
        Err(DomainError::RateLimited { .. })
    ));
    world.advance(Duration::minutes(1));
    world.platform.block_user(&mina, "u-troll").await.unwrap();
}

#[tokio::test]
async fn a_full_list_refuses_one_more_with_the_limit() {
    let world = world();
    let (mina, _) = world.account("u-mina", "mina").await;
    world.account("u-troll", "troll").await;
    // Filled straight in the store: 500 accounts and rate-limit windows would only slow this.
    let mut full = cloumer_domain::block_list::BlockList::default();
    for n in 0..MAX_BLOCKED {
        let id = cloumer_domain::ids::UserId::parse(&format!("u-gone-{n}")).unwrap();
        full.add(&id, crate::world::start());
    }
    world
        .store
        .put_block_list(&mina.user_id, &full, None)
        .await
        .unwrap();
    match world.platform.block_user(&mina, "u-troll").await {
        Err(DomainError::Conflict { code, message }) => {
            assert_eq!(code, "block_limit");
            assert!(message.contains("500"), "{message}");
        }
        other => panic!("expected the limit, got {other:?}"),
    }
    let list = world.platform.blocked_users(&mina).await.unwrap();
    assert_eq!(list.len(), MAX_BLOCKED);
    assert!(
        list.iter()
            .all(|b| b.profile.is_none() && b.handle.is_none()),
        "accounts that do not exist are listed without a name"
    );
}
