use cloumer_domain::ids::RecordingId;
use cloumer_domain::use_cases::link_previews::{CardPicture, LinkPreview, SharedPage, Streamer};
use cloumer_domain::use_cases::videos::VideoChange;

use crate::clip_making::{recorded, vod};
use crate::videos::{h264, transcoded, uploaded_and_probed};
use crate::world::world;

#[tokio::test]
async fn clips_videos_and_past_broadcasts_preview_as_a_signed_out_visitor_sees_them() {
    let world = world();
    let (owner, account) = world.account("u-owner", "owner").await;
    let (clipper, _) = world.account("u-clipper", "clipper").await;
    recorded(&world, &account.channel.id, "rec1", 40, &vod(10)).await;
    let clip = world
        .platform
        .clip_recording(
            &clipper,
            &RecordingId::parse("rec1").unwrap(),
            "the goal",
            0,
            10_000,
        )
        .await
        .unwrap();
    let video = uploaded_and_probed(&world, &owner, Ok(h264())).await;
    // Not ready yet: nobody else may see it, so it previews as nothing.
    let id = video.id.to_string();
    assert_eq!(
        world
            .platform
            .link_preview(SharedPage::Video(&id))
            .await
            .unwrap(),
        None
    );
    transcoded(&world, &video).await;

    let preview = |page| world.platform.link_preview(page);
    let nickname = account.channel.owner_nickname.as_str().to_owned();
    let clip_id = clip.id.to_string();
    let shown = preview(SharedPage::Clip(&clip_id)).await.unwrap().unwrap();
    assert_eq!(shown.title, "the goal");
    assert_eq!(shown.description, nickname);
    assert!(shown.video);
    // Whose it is: the channel's streamer, not the viewer who clipped it.
    let streamer = Streamer {
        nickname: nickname.clone(),
        handle: "owner".into(),
    };
    assert_eq!(shown.streamer, streamer);
    assert!(
        matches!(&shown.picture, CardPicture::Frame(url) if url.contains(&format!("clip-{clip_id}.jpg"))),
        "{shown:?}"
    );
    // No picture made of the video (none here): its streamer's avatar, as crawlers draw it.
    let avatar = CardPicture::Avatar(account.channel.owner_avatar.png_path());
    assert_eq!(
        preview(SharedPage::Video(&id)).await.unwrap(),
        Some(LinkPreview {
            title: "Trip to Jeju".into(),
            description: "Day one\nDay two".into(),
            picture: avatar.clone(),
            video: true,
            streamer: streamer.clone(),
        })
    );
    // An offline channel: its streamer, their stream's title, their avatar.
    assert_eq!(
        preview(SharedPage::Channel("owner")).await.unwrap(),
        Some(LinkPreview {
            title: nickname.clone(),
            description: account.channel.title.as_str().to_owned(),
            picture: avatar,
            video: false,
            streamer: streamer.clone(),
        })
    );
    // A past broadcast without a title is called by its streamer.
    let past = preview(SharedPage::Video("rec1")).await.unwrap().unwrap();
    assert_eq!((past.title.as_str(), past.video), (nickname.as_str(), true));
    assert_eq!(past.streamer, streamer);
    // Marked for adults: no frame of it in a card, which cannot ask first as its pages do.
    let marked = cloumer_domain::channel::ChannelChange {
        mature: Some(true),
        ..Default::default()
    };
    world.platform.update_channel(&owner, marked).await.unwrap();
    let shown = preview(SharedPage::Clip(&clip_id)).await.unwrap().unwrap();
    assert_eq!(
        shown.picture,
        CardPicture::Avatar(account.channel.owner_avatar.png_path())
    );
    let unmarked = cloumer_domain::channel::ChannelChange {
        mature: Some(false),
        ..Default::default()
    };
    world
        .platform
        .update_channel(&owner, unmarked)
        .await
        .unwrap();

    // Private, or gone, or never there: nothing to show.
    world
        .platform
        .edit_video(
            &owner,
            &video.id,
            VideoChange {
                private: Some(true),
                ..VideoChange::default()
            },
        )
        .await
        .unwrap();
    world.set_private(&owner, true).await;
    for page in [
        SharedPage::Video(&id),
        SharedPage::Channel("owner"),
        SharedPage::Channel("nobody"),
        SharedPage::Channel("no!"),
        SharedPage::Clip("clNothing"),
        SharedPage::Clip("../x"),
        SharedPage::Video("vd../x"),
        SharedPage::Video("rec-missing"),
    ] {
        assert_eq!(preview(page).await.unwrap(), None, "{page:?}");
    }
}

/// A suspended channel is shown to nobody but its owner: a link to it, or to its clips and past
/// broadcasts, draws no card (its title and bio are often what it was suspended for) until the
/// suspension is lifted.
#[tokio::test]
async fn a_suspended_channel_previews_as_nothing_until_lifted() {
    use crate::reports::{staff, suspend_reported};
    let world = world();
    let (_, account) = world.account("u-owner", "owner").await;
    let (mina, _) = world.account("u-mina", "mina").await;
    let staff = staff("u-staff");
    recorded(&world, &account.channel.id, "rec1", 40, &vod(10)).await;
    let clip = world
        .platform
        .clip_recording(&mina, &RecordingId::parse("rec1").unwrap(), "x", 0, 10_000)
        .await
        .unwrap();
    let clip_id = clip.id.to_string();
    let pages = [
        SharedPage::Channel("owner"),
        SharedPage::Clip(&clip_id),
        SharedPage::Video("rec1"),
    ];
    for page in pages {
        let preview = world.platform.link_preview(page).await.unwrap();
        assert!(preview.is_some(), "{page:?} before");
    }
    suspend_reported(&world, &mina, "owner", None).await;
    for page in pages {
        let preview = world.platform.link_preview(page).await.unwrap();
        assert_eq!(preview, None, "{page:?} while suspended");
    }
    world
        .platform
        .lift_suspension(&staff, "owner")
        .await
        .unwrap();
    for page in pages {
        let preview = world.platform.link_preview(page).await.unwrap();
        assert!(preview.is_some(), "{page:?} once lifted");
    }
}
