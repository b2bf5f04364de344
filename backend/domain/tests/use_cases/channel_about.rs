//! A streamer's bio and links: kept in the channel, shown on its page to whoever may watch it,
//! removed when both are emptied.

use cloumer_domain::about::ChannelAbout;

use crate::world::world;

fn about(bio: &str, links: &[(&str, &str)]) -> ChannelAbout {
    let links: Vec<(String, String)> = links
        .iter()
        .map(|(label, url)| ((*label).to_owned(), (*url).to_owned()))
        .collect();
    ChannelAbout::new(bio, &links).unwrap()
}

#[tokio::test]
async fn the_channel_page_shows_the_bio_and_links_to_whoever_may_watch() {
    let world = world();
    let (owner, _) = world.account("u-owner", "owner").await;
    let (viewer, _) = world.account("u-viewer", "viewer").await;
    let written = about(
        "Speedruns every night.\n\nKorean and English.",
        &[("YouTube", "https://youtube.com/@owner")],
    );
    let kept = world
        .platform
        .set_about(&owner, written.clone())
        .await
        .unwrap();
    assert_eq!(kept.about.as_ref(), Some(&written));
    let page = world.platform.channel_page("owner", None).await.unwrap();
    assert_eq!(page.about.as_ref(), Some(&written));
    let mine = world.platform.my_channel(&owner).await.unwrap();
    assert_eq!(mine.about.as_ref(), Some(&written));
    // Another channel says nothing of it.
    let other = world.platform.channel_page("viewer", None).await.unwrap();
    assert_eq!(other.about, None);

    // A private channel's bio and links show only to those who may watch it.
    world.set_private(&owner, true).await;
    let stranger = world
        .platform
        .channel_page("owner", Some(&viewer.user_id))
        .await
        .unwrap();
    assert_eq!(stranger.about, None);
    let own = world
        .platform
        .channel_page("owner", Some(&owner.user_id))
        .await
        .unwrap();
    assert_eq!(own.about.as_ref(), Some(&written));
    world.set_private(&owner, false).await;

    // Writing the same again changes nothing; emptied, there is none.
    let version = world
        .platform
        .my_channel(&owner)
        .await
        .unwrap()
        .channel
        .version;
    let again = world.platform.set_about(&owner, written).await.unwrap();
    assert_eq!(again.version, version, "nothing written");
    let emptied = world
        .platform
        .set_about(&owner, about(" \n ", &[]))
        .await
        .unwrap();
    assert_eq!(emptied.about, None);
    let page = world.platform.channel_page("owner", None).await.unwrap();
    assert_eq!(page.about, None);
}
