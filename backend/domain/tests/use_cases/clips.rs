use cloumer_domain::DomainError;
use cloumer_domain::ids::RecordingId;

use crate::account_deletion::just_signed_in;
use crate::clip_making::{recorded, vod};
use crate::notifications::rename;
use crate::world::world;

#[tokio::test]
async fn a_private_channels_clips_are_for_its_allowed_viewers_only() {
    let world = world();
    let (owner, account) = world.account("u-owner", "owner").await;
    let (friend, _) = world.account("u-friend", "friend").await;
    let (stranger, _) = world.account("u-stranger", "stranger").await;
    world.set_private(&owner, true).await;
    world.platform.grant_viewer(&owner, "friend").await.unwrap();
    recorded(&world, &account.channel.id, "rec1", 40, &vod(10)).await;
    let rec = RecordingId::parse("rec1").unwrap();

    let refused = world
        .platform
        .clip_recording(&stranger, &rec, "mine now", 0, 10_000)
        .await;
    assert!(
        matches!(refused, Err(DomainError::NotFound(_))),
        "{refused:?}"
    );
    let clip = world
        .platform
        .clip_recording(&friend, &rec, "ours", 0, 10_000)
        .await
        .unwrap();
    assert!(clip.private);

    for outsider in [None, Some(&stranger.user_id)] {
        let seen = world.platform.clip(&clip.id, outsider).await;
        assert!(matches!(seen, Err(DomainError::NotFound(_))), "{seen:?}");
        let listed = world
            .platform
            .channel_clips("owner", outsider, None, 10)
            .await;
        assert!(
            matches!(listed, Err(DomainError::Forbidden(_))),
            "{listed:?}"
        );
    }
    // Even once the channel is public again, its private recording's clips stay private.
    world.set_private(&owner, false).await;
    let (listed, _) = world
        .platform
        .channel_clips("owner", Some(&stranger.user_id), None, 10)
        .await
        .unwrap();
    assert!(listed.items.is_empty());
    let seen = world.platform.clip(&clip.id, Some(&stranger.user_id)).await;
    assert!(matches!(seen, Err(DomainError::NotFound(_))), "{seen:?}");

    // The friend gets URLs that open the private files for a while.
    let (theirs, _) = world
        .platform
        .clip(&clip.id, Some(&friend.user_id))
        .await
        .unwrap();
    let url = theirs.playlist_url.unwrap();
    assert!(url.contains(&format!("clip-{}.m3u8?", clip.id)), "{url}");
}

#[tokio::test]
async fn the_owner_deletes_any_clip_the_clipper_their_own_and_nobody_else_either() {
    let world = world();
    let (owner, account) = world.account("u-owner", "owner").await;
    let (clipper, _) = world.account("u-clipper", "clipper").await;
    let (other, _) = world.account("u-other", "other").await;
    recorded(&world, &account.channel.id, "rec1", 40, &vod(10)).await;
    let rec = RecordingId::parse("rec1").unwrap();
    let first = world
        .platform
        .clip_recording(&clipper, &rec, "one", 0, 10_000)
        .await
        .unwrap();
    let second = world
        .platform
        .clip_recording(&clipper, &rec, "two", 10_000, 20_000)
        .await
        .unwrap();

    let refused = world.platform.delete_clip(&other, &first.id).await;
    assert!(
        matches!(refused, Err(DomainError::Forbidden(_))),
        "{refused:?}"
    );
    world
        .platform
        .delete_clip(&clipper, &first.id)
        .await
        .unwrap();
    world
        .platform
        .delete_clip(&owner, &second.id)
        .await
        .unwrap();
    for clip in [&first, &second] {
        let gone = world.platform.clip(&clip.id, None).await;
        assert!(matches!(gone, Err(DomainError::NotFound(_))), "{gone:?}");
    }
    // Their playlists are gone; the recording's own files stay.
    assert_eq!(world.files.keys(), ["recordings/rec1/index.m3u8"]);
    let again = world.platform.delete_clip(&owner, &first.id).await;
    assert!(matches!(again, Err(DomainError::NotFound(_))), "{again:?}");
}

#[tokio::test]
async fn a_deleted_recording_takes_its_clips_with_it() {
    let world = world();
    let (owner, account) = world.account("u-owner", "owner").await;
    let (viewer, _) = world.account("u-viewer", "viewer").await;
    recorded(&world, &account.channel.id, "rec1", 40, &vod(10)).await;
    recorded(&world, &account.channel.id, "rec2", 40, &vod(10)).await;
    let doomed = world
        .platform
        .clip_recording(
            &viewer,
            &RecordingId::parse("rec1").unwrap(),
            "gone soon",
            0,
            10_000,
        )
        .await
        .unwrap();
    let kept = world
        .platform
        .clip_recording(
            &viewer,
            &RecordingId::parse("rec2").unwrap(),
            "stays",
            0,
            10_000,
        )
        .await
        .unwrap();
    world
        .platform
        .delete_recording(&owner, &RecordingId::parse("rec1").unwrap())
        .await
        .unwrap();
    let gone = world.platform.clip(&doomed.id, None).await;
    assert!(matches!(gone, Err(DomainError::NotFound(_))), "{gone:?}");
    let (page, _) = world
        .platform
        .channel_clips("owner", None, None, 10)
        .await
        .unwrap();
    assert_eq!(page.items, [kept]);
}

/// "Clipped by" names the clipper as they are now: a handle kept from when they clipped would
/// lead nowhere after a rename, or to whoever took it since; once their account is deleted the
/// clip (the channel's) stays, naming nobody.
#[tokio::test]
async fn a_clip_names_its_clipper_as_they_are_now_and_nobody_once_deleted() {
    let world = world();
    let (owner, account) = world.account("u-owner", "owner").await;
    let (clipper, _) = world.account("u-clipper", "clipper").await;
    recorded(&world, &account.channel.id, "rec1", 40, &vod(10)).await;
    let rec = RecordingId::parse("rec1").unwrap();
    let clip = world
        .platform
        .clip_recording(&clipper, &rec, "one", 0, 10_000)
        .await
        .unwrap();
    rename(&world, &clipper, "clipper_renamed").await;
    let (shown, _) = world.platform.clip(&clip.id, None).await.unwrap();
    assert_eq!(shown.clipper_handle.as_deref(), Some("clipper_renamed"));
    let (listed, _) = world
        .platform
        .channel_clips("owner", None, None, 10)
        .await
        .unwrap();
    assert_eq!(
        listed.items[0].clipper_handle.as_deref(),
        Some("clipper_renamed")
    );

    world
        .platform
        .delete_account(&just_signed_in(&world, &clipper))
        .await
        .unwrap();
    let (shown, _) = world.platform.clip(&clip.id, None).await.unwrap();
    assert_eq!(shown.clipper_handle, None);
    let (listed, _) = world
        .platform
        .channel_clips("owner", None, None, 10)
        .await
        .unwrap();
    assert_eq!(listed.items[0].clipper_handle, None);
    // The channel's data download names them as its page does.
    let export = world.platform.export_account(&owner).await.unwrap();
    assert_eq!(export.clips[0].clipper_handle, None);
}
