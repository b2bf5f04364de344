//! What a person said, in every channel's chat: theirs to read back, newest first, a page at a
//! time, with where they said it; nobody else's; not what was deleted.

use cloumer_domain::use_cases::chat_moderation::ChatOf;
use time::Duration;

use crate::account_deletion::just_signed_in;
use crate::world::world;

#[tokio::test]
async fn a_person_reads_back_what_they_said_in_every_chat() {
    let world = world();
    let (star, star_account) = world.account("u-star", "star").await;
    let (fan, _) = world.account("u-fan", "fan").await;
    let (other, other_account) = world.account("u-other", "other").await;
    let star_room = star_account.channel.chat_room.unwrap().arn;
    let other_room = other_account.channel.chat_room.unwrap().arn;

    let first = world.said(&star_room, "u-fan", "hello star").await;
    world.advance(Duration::seconds(1));
    world.said(&star_room, "u-star", "hi fan").await;
    world.advance(Duration::seconds(1));
    let second = world.said(&other_room, "u-fan", "hello other 안녕").await;
    world.advance(Duration::seconds(1));
    let removed = world.said(&other_room, "u-fan", "something rude").await;
    world
        .platform
        .delete_message(&other, ChatOf::Mine, &removed.id, "rude")
        .await
        .unwrap();
    world.advance(Duration::seconds(1));
    let third = world.said(&star_room, "u-fan", "bye").await;

    let page = world.platform.sent_messages(&fan, None, 2).await.unwrap();
    let listed: Vec<(&str, Option<&str>)> = page
        .items
        .iter()
        .map(|m| {
            (
                m.message.content.as_str(),
                m.handle.as_ref().map(|h| h.as_str()),
            )
        })
        .collect();
    assert_eq!(
        listed,
        [("bye", Some("star")), ("hello other 안녕", Some("other"))]
    );
    assert_eq!(page.items[0].message, third);
    assert_eq!(page.items[1].message, second);
    let rest = world
        .platform
        .sent_messages(&fan, page.next.as_ref(), 2)
        .await
        .unwrap();
    assert_eq!(rest.items.len(), 1);
    assert_eq!(rest.items[0].message, first);
    assert_eq!(rest.next, None);

    // Each person reads their own.
    let theirs = world.platform.sent_messages(&star, None, 10).await.unwrap();
    assert_eq!(theirs.items.len(), 1);
    assert_eq!(theirs.items[0].message.content, "hi fan");
    assert!(
        world
            .platform
            .sent_messages(&other, None, 10)
            .await
            .unwrap()
            .items
            .is_empty()
    );

    // A channel deleted with its account takes its chat, and the fan's words there, along.
    let other_now = just_signed_in(&world, &other);
    world.platform.delete_account(&other_now).await.unwrap();
    let left = world.platform.sent_messages(&fan, None, 10).await.unwrap();
    let contents: Vec<&str> = left
        .items
        .iter()
        .map(|m| m.message.content.as_str())
        .collect();
    assert_eq!(contents, ["bye", "hello star"]);
}
