use std::collections::BTreeMap;

use cloumer_domain::DomainError;
use cloumer_domain::ids::PollId;
use cloumer_domain::moderation_log::ModerationAction;
use cloumer_domain::poll::RESULT_SHOWN;
use cloumer_domain::ports::PollRepository;
use cloumer_domain::use_cases::chat_moderation::{ChatOf, Restriction};
use cloumer_domain::use_cases::chat_polls::{COUNT_EVERY, PollQuestion};
use time::Duration;

use crate::world::{ChatCall, person, world};

fn question(choices: &[&str], duration_seconds: u32) -> PollQuestion {
    PollQuestion {
        question: "다음 맵은?".to_owned(),
        choices: choices.iter().map(|c| (*c).to_owned()).collect(),
        duration_seconds,
    }
}

fn events_named(world: &crate::world::World, name: &str) -> Vec<BTreeMap<String, String>> {
    world
        .chat
        .calls()
        .into_iter()
        .filter_map(|call| match call {
            ChatCall::Event(_, event, attributes) if event == name => Some(attributes),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn a_moderator_opens_a_poll_viewers_vote_once_and_everyone_sees_the_count() {
    let world = world();
    let (_owner, _account, moderator) = world.owner_and_moderator().await;
    let opened = world
        .platform
        .open_poll(
            &moderator,
            ChatOf::Channel("owner"),
            &question(&["Dust", "Inferno", "Mirage"], 60),
        )
        .await
        .unwrap();
    assert_eq!(opened.votes, [0, 0, 0]);
    assert_eq!(opened.poll.opened_by_nickname, "u-mod 님");
    // The room hears the whole question at once.
    let announced = events_named(&world, "app:POLL");
    assert_eq!(announced.len(), 1);
    assert_eq!(announced[0]["Question"], "다음 맵은?");
    assert_eq!(announced[0]["Choice2"], "Inferno");
    assert_eq!(announced[0]["PollId"], opened.poll.id.as_str());

    let id = &opened.poll.id;
    let (ana, bo) = (person("u-ana", "ana"), person("u-bo", "bo"));
    let voted = world.platform.vote(&ana, "owner", id, 1).await.unwrap();
    assert_eq!(
        (voted.votes.clone(), voted.my_vote),
        (vec![0, 1, 0], Some(1))
    );
    // The room hears the count, but not of every vote: the next within COUNT_EVERY is quiet.
    world.platform.vote(&bo, "owner", id, 1).await.unwrap();
    let counts = events_named(&world, "app:POLL_VOTES");
    assert_eq!(counts.len(), 1);
    assert_eq!(counts[0]["Votes"], "0,1,0");
    world.advance(COUNT_EVERY);
    let (cy, _) = world.account("u-cy", "cy").await;
    world.platform.vote(&cy, "owner", id, 2).await.unwrap();
    let counts = events_named(&world, "app:POLL_VOTES");
    assert_eq!(counts.last().unwrap()["Votes"], "0,2,1");

    // One vote each: the same again changes nothing, another answer is refused.
    let again = world.platform.vote(&ana, "owner", id, 1).await.unwrap();
    assert_eq!(again.votes, [0, 2, 1]);
    let other = world.platform.vote(&ana, "owner", id, 0).await.unwrap_err();
    assert!(matches!(
        other,
        DomainError::Conflict {
            code: "already_voted",
            ..
        }
    ));

    // Anyone who may watch reads it; a viewer joining gets it, with their own vote.
    let seen = world.platform.current_poll("owner", None).await.unwrap();
    assert_eq!(seen.as_ref().map(|v| v.votes.clone()), Some(vec![0, 2, 1]));
    assert_eq!(seen.unwrap().my_vote, None);
    let token = world
        .platform
        .chat_token("owner", Some(&bo), Some("198.51.100.7"))
        .await
        .unwrap();
    assert_eq!(token.poll.unwrap().my_vote, Some(1));

    // A second poll waits for the first to end.
    let busy = world
        .platform
        .open_poll(
            &moderator,
            ChatOf::Channel("owner"),
            &question(&["a", "b"], 60),
        )
        .await
        .unwrap_err();
    assert!(matches!(
        busy,
        DomainError::Conflict {
            code: "poll_open",
            ..
        }
    ));
}

#[tokio::test]
async fn a_poll_ended_early_keeps_its_count_refuses_votes_and_is_replaced_by_the_next() {
    let world = world();
    let (owner, _account, moderator) = world.owner_and_moderator().await;
    let first = world
        .platform
        .open_poll(&owner, ChatOf::Mine, &question(&["yes", "no"], 300))
        .await
        .unwrap();
    let id = first.poll.id.clone();
    let ana = person("u-ana", "ana");
    world.platform.vote(&ana, "owner", &id, 0).await.unwrap();

    // Only the owner and moderators end it; another poll's id is not this one.
    let viewer_tries = world
        .platform
        .end_poll(&ana, ChatOf::Channel("owner"), &id)
        .await;
    assert!(viewer_tries.is_err());
    let wrong = world
        .platform
        .end_poll(&moderator, ChatOf::Channel("owner"), &PollId::generate())
        .await
        .unwrap_err();
    assert!(matches!(wrong, DomainError::NotFound("poll")));

    world.advance(Duration::seconds(5));
    let ended = world
        .platform
        .end_poll(&moderator, ChatOf::Channel("owner"), &id)
        .await
        .unwrap();
    assert_eq!(ended.votes, [1, 0]);
    assert_eq!(
        ended.poll.ended_early_at,
        Some(first.poll.opened_at + Duration::seconds(5))
    );
    let end_events = events_named(&world, "app:POLL_END");
    assert_eq!(end_events.len(), 1);
    assert_eq!(end_events[0]["Votes"], "1,0");
    // Ending it again changes nothing and tells no one.
    world.advance(Duration::seconds(5));
    let again = world
        .platform
        .end_poll(&owner, ChatOf::Mine, &id)
        .await
        .unwrap();
    assert_eq!(again.poll.ended_early_at, ended.poll.ended_early_at);
    assert_eq!(events_named(&world, "app:POLL_END").len(), 1);

    let late = world
        .platform
        .vote(&person("u-bo", "bo"), "owner", &id, 1)
        .await
        .unwrap_err();
    assert!(matches!(
        late,
        DomainError::Conflict {
            code: "poll_closed",
            ..
        }
    ));

    // Joiners still get the result for a while, then no more.
    let token = world
        .platform
        .chat_token("owner", None, None)
        .await
        .unwrap();
    assert_eq!(token.poll.map(|p| p.votes), Some(vec![1, 0]));
    world.advance(RESULT_SHOWN);
    let token = world
        .platform
        .chat_token("owner", None, None)
        .await
        .unwrap();
    assert_eq!(token.poll, None);

    // The next poll replaces it, and its votes are forgotten.
    let next = world
        .platform
        .open_poll(&owner, ChatOf::Mine, &question(&["x", "y"], 15))
        .await
        .unwrap();
    assert_ne!(next.poll.id, id);
    // The moderation log says who opened each and who ended the first early; the second,
    // closing by itself, adds nothing.
    world.advance(Duration::seconds(20));
    let log = world
        .platform
        .moderation_log(&owner, ChatOf::Mine, None, None)
        .await
        .unwrap();
    let polls: Vec<(&str, &str, &PollId, &str)> = log
        .items
        .iter()
        .filter_map(|entry| match &entry.action {
            ModerationAction::OpenPoll { poll_id, question } => {
                Some((entry.actor.as_str(), "open", poll_id, question.as_str()))
            }
            ModerationAction::EndPoll { poll_id, question } => {
                Some((entry.actor.as_str(), "end", poll_id, question.as_str()))
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        polls,
        [
            ("u-owner", "open", &next.poll.id, "다음 맵은?"),
            (moderator.user_id.as_str(), "end", &id, "다음 맵은?"),
            ("u-owner", "open", &id, "다음 맵은?"),
        ]
    );
    // A poll is done to no one.
    assert!(
        log.items
            .iter()
            .filter(|entry| matches!(
                entry.action,
                ModerationAction::OpenPoll { .. } | ModerationAction::EndPoll { .. }
            ))
            .all(|entry| entry.target.is_none() && entry.target_nickname.is_none())
    );
    assert_eq!(world.store.vote_of(&id, &ana.user_id).await.unwrap(), None);
}

#[tokio::test]
async fn those_kept_out_of_the_chat_or_the_channel_may_not_vote_and_bad_answers_are_refused() {
    let world = world();
    let (owner, _account, _moderator) = world.owner_and_moderator().await;
    let poll = world
        .platform
        .open_poll(&owner, ChatOf::Mine, &question(&["a", "b"], 60))
        .await
        .unwrap()
        .poll;
    let (muted, banned) = (person("u-muted", "muted"), person("u-banned", "banned"));
    for (who, restriction) in [
        (&muted, Restriction::Timeout(Duration::minutes(5))),
        (&banned, Restriction::Ban(None)),
    ] {
        world
            .platform
            .restrict(&owner, ChatOf::Mine, &who.user_id, restriction, None)
            .await
            .unwrap();
    }
    let refused = world.platform.vote(&muted, "owner", &poll.id, 0).await;
    assert!(matches!(refused, Err(DomainError::Forbidden(_))));
    let refused = world.platform.vote(&banned, "owner", &poll.id, 0).await;
    assert!(matches!(refused, Err(DomainError::Banned { until: None })));

    let ana = person("u-ana", "ana");
    let out_of_range = world.platform.vote(&ana, "owner", &poll.id, 2).await;
    assert!(matches!(
        out_of_range,
        Err(DomainError::Invalid {
            code: "invalid_choice",
            ..
        })
    ));
    // Nothing was counted for any of them.
    let seen = world.platform.current_poll("owner", None).await.unwrap();
    assert_eq!(seen.unwrap().votes, [0, 0]);

    // A private channel's poll is for its allowed viewers only.
    world.set_private(&owner, true).await;
    let stranger = world.platform.vote(&ana, "owner", &poll.id, 0).await;
    assert!(matches!(stranger, Err(DomainError::Forbidden(_))));
    assert!(world.platform.current_poll("owner", None).await.is_err());

    // A poll that closed by itself takes no more votes.
    world.set_private(&owner, false).await;
    world.advance(Duration::seconds(60));
    let closed = world.platform.vote(&ana, "owner", &poll.id, 0).await;
    assert!(matches!(
        closed,
        Err(DomainError::Conflict {
            code: "poll_closed",
            ..
        })
    ));
}

#[tokio::test]
async fn polls_are_limited_per_channel() {
    let world = world();
    let (owner, _account, moderator) = world.owner_and_moderator().await;
    for i in 0..10 {
        let who = if i % 2 == 0 { &owner } else { &moderator };
        let opened = world
            .platform
            .open_poll(who, ChatOf::Channel("owner"), &question(&["a", "b"], 15))
            .await
            .unwrap();
        world
            .platform
            .end_poll(who, ChatOf::Channel("owner"), &opened.poll.id)
            .await
            .unwrap();
    }
    let eleventh = world
        .platform
        .open_poll(
            &moderator,
            ChatOf::Channel("owner"),
            &question(&["a", "b"], 15),
        )
        .await;
    assert!(matches!(eleventh, Err(DomainError::RateLimited { .. })));
}
