use cloumer_domain::DomainError;
use cloumer_domain::channel::{Category, ChannelChange, StreamTitle};
use cloumer_domain::identity::Identity;
use cloumer_domain::live::StreamEventKind;
use cloumer_domain::use_cases::directory::{
    DirectoryCursor, DirectoryFilter, FILTER_SCAN, MAX_SEARCH_CHARS,
};
use time::Duration;

use crate::world::{World, person, world};

fn everything() -> DirectoryFilter {
    DirectoryFilter::default()
}

fn filter(search: &str, category: &str) -> DirectoryFilter {
    DirectoryFilter::parse(Some(search), Some(category), None).unwrap()
}

/// Every page of the directory `filter` gives, `limit` at a time: the handles in order, and
/// how many pages it took.
async fn all_pages(world: &World, filter: &DirectoryFilter, limit: usize) -> (Vec<String>, usize) {
    let mut seen = Vec::new();
    let mut cursor: Option<DirectoryCursor> = None;
    let mut pages = 0;
    loop {
        let page = world
            .platform
            .directory(filter, cursor, limit)
            .await
            .unwrap();
        pages += 1;
        assert!(page.items.len() <= limit);
        seen.extend(page.items.iter().map(|v| v.channel.handle.to_string()));
        match page.next {
            Some(next) => cursor = Some(next),
            None => return (seen, pages),
        }
    }
}

async fn set_stream(world: &World, owner: &Identity, title: &str, category: &str) {
    let change = ChannelChange {
        title: Some(StreamTitle::parse(title).unwrap()),
        category: Some(Category::parse(category).unwrap()),
        ..ChannelChange::default()
    };
    world.platform.update_channel(owner, change).await.unwrap();
}

/// Four channels: two live (`piano` 5 viewers, `guitar` 50), two offline (`painter`, then the
/// more recent `violin`), with titles, categories and one chosen nickname.
async fn four_channels(world: &World) {
    let streams = [
        ("u-piano", "piano", "Chopin études, slowly", "music"),
        ("u-guitar", "guitar", "Blues in E", "Music"),
        ("u-painter", "painter", "Oil on canvas: a harbour", "Art"),
        ("u-violin", "violin", "Bach partitas", "MUSIC"),
    ];
    for (user, handle, title, category) in streams {
        world.advance(Duration::minutes(1));
        let mut who = person(user, handle);
        if handle == "painter" {
            who.nickname = Some("Kim Hong-do".into());
        }
        let account = world.platform.ensure_account(&who).await.unwrap();
        set_stream(world, &who, title, category).await;
        match handle {
            "piano" => world.go_live(&account.channel, 5).await,
            "guitar" => world.go_live(&account.channel, 50).await,
            _ => {}
        }
    }
}

#[tokio::test]
async fn a_search_finds_every_word_in_the_title_handle_or_nickname_in_any_case() {
    let world = world();
    four_channels(&world).await;
    let search = |text: &str| {
        let world = &world;
        let filter = filter(text, "");
        async move { all_pages(world, &filter, 10).await.0 }
    };
    assert_eq!(search("BLUES").await, ["guitar"], "title, any case");
    assert_eq!(
        search("@violin").await,
        ["violin"],
        "a handle written as a mention"
    );
    assert_eq!(search("hong-do").await, ["painter"], "the owner's nickname");
    assert_eq!(
        search("chopin ÉTUDES").await,
        ["piano"],
        "every word, non-ASCII case too"
    );
    assert_eq!(
        search("chopin bach").await,
        Vec::<String>::new(),
        "every word must match"
    );
    assert_eq!(
        search("  ").await,
        ["guitar", "piano", "violin", "painter"],
        "blank is everything"
    );
    assert_eq!(search("i").await, ["guitar", "piano", "violin", "painter"]);
}

/// The directory lists the channels streaming in one language (live first), alone or with a
/// category; a channel whose streamer chose none is listed only unfiltered.
#[tokio::test]
async fn a_language_filter_lists_the_channels_streaming_in_it() {
    use cloumer_domain::stream_language::StreamLanguage;
    let world = world();
    four_channels(&world).await;
    let speaks = |user: &'static str, handle: &'static str, language: &'static str| {
        let world = &world;
        async move {
            let change = ChannelChange {
                language: Some(StreamLanguage::parse(language).unwrap()),
                ..ChannelChange::default()
            };
            let who = person(user, handle);
            let view = world.platform.update_channel(&who, change).await.unwrap();
            assert_eq!(view.language.unwrap().as_str(), language);
        }
    };
    speaks("u-piano", "piano", "ko").await;
    speaks("u-painter", "painter", "ko").await;
    speaks("u-guitar", "guitar", "en").await;
    world.advance(Duration::minutes(1));
    let fresh = world
        .platform
        .ensure_account(&person("u-new", "newcomer"))
        .await
        .unwrap();
    assert_eq!(fresh.channel.language, None, "a new channel has none");

    let by = |language: &str, category: &str| {
        let world = &world;
        let filter = DirectoryFilter::parse(None, Some(category), Some(language)).unwrap();
        async move { all_pages(world, &filter, 1).await.0 }
    };
    assert_eq!(by("ko", "").await, ["piano", "painter"], "live first");
    assert_eq!(by("ko", "art").await, ["painter"]);
    assert_eq!(by("en", "").await, ["guitar"]);
    assert_eq!(by("ja", "").await, Vec::<String>::new());
    assert_eq!(
        all_pages(&world, &everything(), 10).await.0,
        ["guitar", "piano", "newcomer", "violin", "painter"]
    );
    for bad in ["xx", "KO", "en-US", "k\u{0}"] {
        let error = DirectoryFilter::parse(None, None, Some(bad)).unwrap_err();
        assert!(
            matches!(&error, DomainError::Invalid { code, .. } if *code == "invalid_language"),
            "{bad:?}: {error:?}"
        );
    }
}

#[tokio::test]
async fn a_category_filter_lists_live_channels_first_then_the_others_across_pages() {
    let world = world();
    four_channels(&world).await;
    let music = filter("", "mUsIc");
    for limit in 1..=4 {
        let (seen, pages) = all_pages(&world, &music, limit).await;
        assert_eq!(seen, ["guitar", "piano", "violin"], "{limit} a page");
        assert!(
            pages <= 3_usize.div_ceil(limit) + 1,
            "{limit} a page: {pages} pages"
        );
    }
    assert_eq!(
        all_pages(&world, &filter("", "Art"), 2).await.0,
        ["painter"]
    );
    assert_eq!(
        all_pages(&world, &filter("bach", "Music"), 2).await.0,
        ["violin"],
        "search and category together"
    );
    assert!(
        all_pages(&world, &filter("", "Games"), 2)
            .await
            .0
            .is_empty()
    );
}

#[tokio::test]
async fn a_rare_search_reads_a_bounded_number_of_channels_per_request_and_then_goes_on() {
    let world = world();
    let (owner, _) = world.account("u-needle", "needle").await;
    set_stream(&world, &owner, "the one to find", "").await;
    for n in 0..FILTER_SCAN + 40 {
        world.advance(Duration::seconds(1));
        world
            .account(&format!("u-hay{n}"), &format!("hay{n}"))
            .await;
    }
    let rare = filter("find", "");
    let first = world.platform.directory(&rare, None, 24).await.unwrap();
    assert!(
        first.items.is_empty(),
        "the first {FILTER_SCAN} channels hold no match"
    );
    assert!(first.next.is_some(), "but the directory goes on");
    assert_eq!(all_pages(&world, &rare, 24).await.0, ["needle"]);
}

#[tokio::test]
async fn searches_and_categories_that_cannot_be_stored_are_refused() {
    let too_long = "a".repeat(MAX_SEARCH_CHARS + 1);
    for (search, category, code) in [
        (too_long.as_str(), "", "invalid_search"),
        ("bell\u{7}", "", "invalid_search"),
        ("", &"c".repeat(41), "invalid_category"),
        ("", "a\u{202E}b", "invalid_category"),
    ] {
        let error = DirectoryFilter::parse(Some(search), Some(category), None).unwrap_err();
        assert!(
            matches!(&error, DomainError::Invalid { code: c, .. } if *c == code),
            "{search:?} {category:?}: {error:?}"
        );
    }
    assert!(DirectoryFilter::parse(Some(&"가".repeat(MAX_SEARCH_CHARS)), None, None).is_ok());
}

#[tokio::test]
async fn the_curated_categories_say_who_is_live_in_them() {
    let world = world();
    four_channels(&world).await;
    let categories = world.platform.categories().await.unwrap();
    let names: Vec<&str> = categories.iter().map(|c| c.category.as_str()).collect();
    assert_eq!(names, cloumer_domain::channel::CURATED_CATEGORIES);
    let music = categories
        .iter()
        .find(|c| c.category.as_str() == "Music")
        .unwrap();
    assert_eq!((music.live_channels, music.viewers), (2, 55));
    let art = categories
        .iter()
        .find(|c| c.category.as_str() == "Art")
        .unwrap();
    assert_eq!(
        (art.live_channels, art.viewers),
        (0, 0),
        "painter is offline"
    );
}

#[tokio::test]
async fn live_channels_come_first_by_viewers_then_the_rest_by_activity_across_pages() {
    let world = world();
    let mut accounts = Vec::new();
    for (user, handle) in [
        ("u-a", "aaa"),
        ("u-b", "bbb"),
        ("u-c", "ccc"),
        ("u-d", "ddd"),
    ] {
        world.advance(Duration::minutes(1));
        accounts.push(world.account(user, handle).await.1);
    }
    for (account, viewers) in [(&accounts[0], 5), (&accounts[1], 50)] {
        world.go_live(&account.channel, viewers).await;
    }
    let (seen, _) = all_pages(&world, &everything(), 1).await;
    assert_eq!(seen, ["bbb", "aaa", "ddd", "ccc"]);
}

#[tokio::test]
async fn a_page_filled_by_live_channels_ends_the_directory_when_nobody_else_is_there() {
    let world = world();
    let (_, account) = world.account("u-a", "aaa").await;
    world
        .stream_event(&account.channel.id, "st-a", StreamEventKind::Start)
        .await;
    let page = world
        .platform
        .directory(&everything(), None, 1)
        .await
        .unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.next, None);
}

#[tokio::test]
async fn every_channel_write_moves_the_generation_and_reads_do_not() {
    let world = world();
    let before = world.platform.channels_generation();
    let (owner, account) = world.account("u-g", "ggg").await;
    let created = world.platform.channels_generation();
    assert!(created > before, "creating and provisioning a channel");
    world
        .platform
        .directory(&everything(), None, 10)
        .await
        .unwrap();
    world.platform.channel_page("ggg", None).await.unwrap();
    world.platform.ensure_account(&owner).await.unwrap();
    assert_eq!(world.platform.channels_generation(), created, "reads");
    world.set_private(&owner, true).await;
    let changed = world.platform.channels_generation();
    assert!(changed > created, "a settings change");
    world
        .stream_event(&account.channel.id, "st-g", StreamEventKind::Start)
        .await;
    assert!(world.platform.channels_generation() > changed, "going live");
}
