//! Custom emotes: what is kept, what is refused (and that a refusal leaves no file), replacing,
//! removing, the limit, and who may do it.

use std::sync::atomic::Ordering;

use cloumer_domain::DomainError;
use cloumer_domain::emote::{EmoteFormat, MAX_EMOTE_BYTES, MAX_EMOTES};
use cloumer_test_media::images;

use crate::world::{ChatCall, World, world};

/// The codes of the channel `handle`'s emotes, in their order.
async fn listed(world: &World, handle: &str) -> Vec<String> {
    let (_, emotes) = world.platform.channel_emotes(handle).await.unwrap();
    emotes.iter().map(|e| e.code.as_str().to_owned()).collect()
}

fn refused_with<T: std::fmt::Debug>(result: Result<T, DomainError>) -> &'static str {
    match result {
        Err(DomainError::Invalid { code, .. } | DomainError::Conflict { code, .. }) => code,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn an_uploaded_emote_is_kept_at_a_fresh_key_and_listed_for_the_channel() {
    let world = world();
    let (owner, account) = world.account("u-owner", "owner").await;
    let png = images::png(56, 56);

    let (channel, emote) = world
        .platform
        .put_emote(&owner, "Hype", &png)
        .await
        .unwrap();
    assert_eq!(channel, account.channel.id);
    assert_eq!(emote.code.as_str(), "Hype");
    assert_eq!(
        (emote.format, emote.width, emote.height),
        (EmoteFormat::Png, 56, 56)
    );
    assert!(!emote.animated);
    let key = emote.file_key(&account.channel.id);
    assert!(key.starts_with(&format!("emotes/{}/em", account.channel.id)));
    assert!(key.ends_with(".png"));
    let kept = world.files.kept.lock().unwrap().get(&key).cloned().unwrap();
    assert_eq!(kept, (png, "image/png".to_owned()));

    let (channel, emotes) = world.platform.channel_emotes("OWNER").await.unwrap();
    assert_eq!(channel, account.channel.id);
    assert_eq!(emotes, vec![emote]);

    let gif = world
        .platform
        .put_emote(&owner, "dance_2", &images::gif(32, 32, 4))
        .await
        .unwrap()
        .1;
    assert_eq!((gif.format, gif.animated), (EmoteFormat::Gif, true));
    let webp = world
        .platform
        .put_emote(&owner, "wave", &images::webp(64, 32))
        .await
        .unwrap()
        .1;
    assert_eq!(
        (webp.format, webp.width, webp.height),
        (EmoteFormat::Webp, 64, 32)
    );
    assert_eq!(listed(&world, "owner").await, ["Hype", "dance_2", "wave"]);
    assert_eq!(world.files.keys().len(), 3);
}

#[tokio::test]
async fn hostile_uploads_are_refused_with_a_reason_and_leave_nothing_behind() {
    let world = world();
    let (owner, _) = world.account("u-owner", "owner").await;
    let png = images::png(56, 56);
    let mut truncated = png.clone();
    truncated.truncate(png.len() - 20);
    let mut html_after_header = png[..33].to_vec();
    html_after_header.extend_from_slice(b"<script>alert(1)</script>");
    let mut oversize = images::png(56, 56);
    oversize.resize(MAX_EMOTE_BYTES + 1, 0);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("text", b"hello, I am a PNG".to_vec(), "unsupported_image"),
        ("empty", Vec::new(), "unsupported_image"),
        (
            "svg",
            br#"<svg xmlns="http://www.w3.org/2000/svg"/>"#.to_vec(),
            "unsupported_image",
        ),
        (
            "jpeg header",
            vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F'],
            "unsupported_image",
        ),
        ("truncated", truncated, "invalid_image"),
        ("header then html", html_after_header, "invalid_image"),
        ("oversize", oversize, "image_too_large"),
        ("too small", images::png(8, 8), "invalid_image_size"),
        ("too big", images::png(600, 600), "invalid_image_size"),
        ("too thin", images::png(128, 16), "invalid_image_size"),
        (
            "too many frames",
            images::gif(16, 16, 201),
            "too_many_frames",
        ),
    ];
    for (case, bytes, code) in cases {
        let result = world.platform.put_emote(&owner, "Hype", &bytes).await;
        assert_eq!(refused_with(result), code, "{case}");
    }
    for code in [
        "a",
        ":Hype:",
        "hype!",
        "12345",
        "with space",
        "é_moji",
        &"x".repeat(25),
    ] {
        let result = world.platform.put_emote(&owner, code, &png).await;
        assert_eq!(refused_with(result), "invalid_emote_code", "{code:?}");
    }
    assert!(world.files.keys().is_empty());
    assert!(listed(&world, "owner").await.is_empty());
}

#[tokio::test]
async fn a_store_that_fails_leaves_neither_a_file_nor_an_emote() {
    let world = world();
    let (owner, _) = world.account("u-owner", "owner").await;
    world.files.fail_puts.store(true, Ordering::SeqCst);
    let result = world
        .platform
        .put_emote(&owner, "Hype", &images::png(32, 32))
        .await;
    assert!(matches!(result, Err(DomainError::Port(_))), "{result:?}");
    assert!(listed(&world, "owner").await.is_empty());
}

#[tokio::test]
async fn uploading_a_code_again_replaces_its_image_and_removes_the_old_file() {
    let world = world();
    let (owner, account) = world.account("u-owner", "owner").await;
    let (_, first) = world
        .platform
        .put_emote(&owner, "Hype", &images::png(32, 32))
        .await
        .unwrap();
    let (_, second) = world
        .platform
        .put_emote(&owner, "Hype", &images::gif(48, 48, 3))
        .await
        .unwrap();
    assert_ne!(first.id, second.id);
    assert_eq!(world.files.keys(), [second.file_key(&account.channel.id)]);
    assert_eq!(
        world.platform.channel_emotes("owner").await.unwrap().1,
        vec![second.clone()]
    );

    world.platform.remove_emote(&owner, "Hype").await.unwrap();
    assert!(world.files.keys().is_empty());
    // Each change told the room, so open chats read the emotes again.
    let room = account.channel.chat_room.clone().unwrap().arn;
    let announced = world
        .chat
        .calls()
        .into_iter()
        .filter(|call| matches!(call, ChatCall::Event(r, name, _) if r == &room && name == "app:EMOTES"))
        .count();
    assert_eq!(announced, 3);
    assert!(listed(&world, "owner").await.is_empty());
    for code in ["Hype", "../x", ""] {
        let again = world.platform.remove_emote(&owner, code).await;
        assert!(
            matches!(again, Err(DomainError::NotFound("emote"))),
            "{again:?}"
        );
    }
}

#[tokio::test]
async fn a_channel_has_at_most_its_limit_of_emotes_but_may_still_replace_one() {
    let world = world();
    let (owner, _) = world.account("u-owner", "owner").await;
    let png = images::png(16, 16);
    for n in 0..MAX_EMOTES {
        world
            .platform
            .put_emote(&owner, &format!("e{n}"), &png)
            .await
            .unwrap();
    }
    let result = world.platform.put_emote(&owner, "one_more", &png).await;
    assert_eq!(refused_with(result), "too_many_emotes");
    world.platform.put_emote(&owner, "e7", &png).await.unwrap();
    assert_eq!(world.files.keys().len(), MAX_EMOTES);
}

#[tokio::test]
async fn emotes_belong_to_the_callers_own_channel_and_anyone_may_list_them() {
    let world = world();
    let (owner, _) = world.account("u-owner", "owner").await;
    let (moderator, _) = world.account("u-mod", "mod").await;
    world
        .platform
        .appoint_moderator(&owner, "mod")
        .await
        .unwrap();
    world
        .platform
        .put_emote(&owner, "Hype", &images::png(32, 32))
        .await
        .unwrap();
    // A moderator's uploads and removals act on their own channel, never on the owner's.
    world
        .platform
        .put_emote(&moderator, "ModHype", &images::png(32, 32))
        .await
        .unwrap();
    let removal = world.platform.remove_emote(&moderator, "Hype").await;
    assert!(
        matches!(removal, Err(DomainError::NotFound("emote"))),
        "{removal:?}"
    );

    assert_eq!(listed(&world, "owner").await, ["Hype"]);
    assert_eq!(listed(&world, "mod").await, ["ModHype"]);
    let unknown = world.platform.channel_emotes("nobody").await;
    assert!(
        matches!(unknown, Err(DomainError::NotFound(_))),
        "{unknown:?}"
    );
}
