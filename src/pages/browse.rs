//! Browsing the directory: search by words (a stream's title, a handle, a nickname) and filter by
//! category and by the language streamed in; live channels come first, most viewers first, then
//! the others, a page at a time.
//!
//! The search, the category and the language live in the address
//! (`/browse?q=piano&category=Music&language=ko`): a search can be shared and bookmarked, Back
//! returns to the previous category, and a category link on a channel card (or a language link on
//! a channel page) simply opens this page. A search typed after arriving or choosing a category is
//! one new history entry, which further typing keeps replacing (not one entry per pause).
//!
//! This page's words are here rather than in the shared texts: the shared texts ship with the
//! first page, this page's code does not.

use std::time::Duration;

use leptos::prelude::*;

use cloumer_api_types::ChannelSummary;

use crate::api::{encode, use_api};
use crate::components::{ChannelCard, PageStatus, Paging, language_options, name_page};
use crate::i18n::use_i18n;
use crate::reactive::Fetch;
use crate::router::{query_value, use_location};

/// How long typing must pause before the search runs.
const TYPING_PAUSE: Duration = Duration::from_millis(300);

/// Empty pages (the server reads a bounded number of channels per request) followed before the
/// page says nothing matched or offers "load more".
const EMPTY_PAGES_FOLLOWED: usize = 4;

struct BrowseTexts {
    heading: &'static str,
    search_label: &'static str,
    search_placeholder: &'static str,
    categories: &'static str,
    all: &'static str,
    language_label: &'static str,
    any_language: &'static str,
    no_match: &'static str,
    clear: &'static str,
    live_in: &'static str,
}

const EN: BrowseTexts = BrowseTexts {
    heading: "Browse",
    search_label: "Search channels",
    search_placeholder: "Search titles, channels and streamers",
    categories: "Categories",
    all: "All",
    language_label: "Language",
    any_language: "All languages",
    no_match: "No channel matches. Try other words or another category.",
    clear: "Show every channel",
    live_in: "live",
};

const KO: BrowseTexts = BrowseTexts {
    heading: "탐색",
    search_label: "채널 검색",
    search_placeholder: "방송 제목, 채널, 스트리머 검색",
    categories: "카테고리",
    all: "전체",
    language_label: "언어",
    any_language: "모든 언어",
    no_match: "일치하는 채널이 없어요. 다른 단어나 카테고리로 찾아 보세요.",
    clear: "모든 채널 보기",
    live_in: "방송 중",
};

/// What the address asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Wanted {
    search: String,
    category: String,
    language: String,
}

impl Wanted {
    fn is_everything(&self) -> bool {
        self.search.is_empty() && self.category.is_empty() && self.language.is_empty()
    }

    /// The browse page's address for it (blank parts left out).
    fn address(&self) -> String {
        let parts: Vec<String> = [
            ("q", self.search.trim()),
            ("category", &self.category),
            ("language", &self.language),
        ]
        .into_iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(name, value)| format!("{name}={}", encode(value)))
        .collect();
        if parts.is_empty() {
            "/browse".to_owned()
        } else {
            format!("/browse?{}", parts.join("&"))
        }
    }
}

#[component]
pub fn Browse() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.pick(&EN, &KO);
    name_page(move || Some(t().heading.to_owned()));
    let api = use_api();
    let location = use_location();
    // What the address asks for; everything below follows it.
    let wanted = Memo::new(move |_| {
        let query = location.query.get();
        Wanted {
            search: query_value(&query, "q").unwrap_or_default(),
            category: query_value(&query, "category").unwrap_or_default(),
            language: query_value(&query, "language").unwrap_or_default(),
        }
    });
    let typed = RwSignal::new(wanted.get_untracked().search);
    // Whether the current history entry is one typing made (and typing may replace it).
    let typing_entry = StoredValue::new(false);
    let categories = Fetch::new(move || async move { api.categories().await });

    let items = RwSignal::new(Vec::<ChannelSummary>::new());
    let paging = Paging::new();
    let more = Callback::new(move |cursor: Option<String>| {
        let wanted = wanted.get_untracked();
        paging.load(items, cursor, move |mut cursor| async move {
            let mut page = api
                .search_directory(
                    &wanted.search,
                    &wanted.category,
                    &wanted.language,
                    cursor.as_deref(),
                )
                .await?;
            for _ in 0..EMPTY_PAGES_FOLLOWED {
                if !page.items.is_empty() || page.next.is_none() {
                    break;
                }
                cursor = page.next.take();
                page = api
                    .search_directory(
                        &wanted.search,
                        &wanted.category,
                        &wanted.language,
                        cursor.as_deref(),
                    )
                    .await?;
            }
            Ok((page.items, page.next))
        });
    });
    Effect::new(move |_| {
        let search = wanted.get().search;
        // Back/Forward and category links change the address: the box shows what is searched.
        if typed.get_untracked().trim() != search.trim() {
            typed.set(search);
            typing_entry.set_value(false);
        }
        paging.reset(items);
        more.run(None);
    });

    // Typing searches once it pauses; each new keystroke cancels the pending search.
    let pending = StoredValue::new_local(None::<TimeoutHandle>);
    let search_now = move || {
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
        let now = wanted.get_untracked();
        let url = Wanted {
            search: typed.get_untracked(),
            ..now.clone()
        }
        .address();
        if url == now.address() {
            return;
        }
        if typing_entry.get_value() {
            location.redirect(&url);
        } else {
            typing_entry.set_value(true);
            location.navigate(&url);
        }
    };
    let on_input = move |ev| {
        typed.set(event_target_value(&ev));
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
        pending.set_value(set_timeout_with_handle(search_now, TYPING_PAUSE).ok());
    };
    // A category or a language chosen: a history entry of its own.
    let choose = move |change: &dyn Fn(&mut Wanted)| {
        let now = wanted.get_untracked();
        let mut next = now.clone();
        change(&mut next);
        if next != now {
            typing_entry.set_value(false);
            location.navigate(&next.address());
        }
    };
    on_cleanup(move || {
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
    });

    view! {
        <section aria-labelledby="browse-heading" data-testid="browse">
            <h1 id="browse-heading">{move || t().heading}</h1>
            <form role="search" class="browse-search" on:submit=move |ev| {
                ev.prevent_default();
                search_now();
            }>
                <label class="visually-hidden" for="browse-q">{move || t().search_label}</label>
                <input id="browse-q" type="search" name="q" maxlength="100" autocomplete="off"
                    placeholder=move || t().search_placeholder
                    prop:value=move || typed.get() on:input=on_input />
                <label class="visually-hidden" for="browse-language">{move || t().language_label}</label>
                <select id="browse-language" name="language" prop:value=move || wanted.get().language
                    on:change=move |ev| {
                        let language = event_target_value(&ev);
                        choose(&move |w: &mut Wanted| w.language = language.clone());
                    }>
                    <option value="">{move || t().any_language}</option>
                    {language_options()}
                </select>
            </form>
            <div class="chips" role="group" aria-label=move || t().categories>
                <button type="button" class="chip" aria-pressed=move || wanted.get().category.is_empty().to_string()
                    on:click=move |_| choose(&|w: &mut Wanted| w.category.clear())>{move || t().all}</button>
                {move || categories.get().and_then(Result::ok).map(|list| {
                    list.items.into_iter().map(|category| {
                        let name = category.name.clone();
                        let pressed = {
                            let name = name.clone();
                            move || wanted.get().category.eq_ignore_ascii_case(&name).to_string()
                        };
                        let label = name.clone();
                        view! {
                            <button type="button" class="chip" aria-pressed=pressed
                                on:click=move |_| {
                                    let name = name.clone();
                                    choose(&move |w: &mut Wanted| w.category = name.clone());
                                }>
                                {move || i18n.category(&label).to_owned()}
                                {(category.live_channels > 0).then(|| view! {
                                    <span class="chip-live">{category.live_channels}" "{move || t().live_in}</span>
                                })}
                            </button>
                        }
                    }).collect_view()
                })}
            </div>
            <div class="grid" data-testid="browse-results">
                {move || items.get().into_iter().map(|channel| view! { <ChannelCard channel=channel /> }).collect_view()}
            </div>
            <PageStatus paging=paging is_empty=Signal::derive(move || items.with(Vec::is_empty))
                empty=move || t().no_match more=more />
            {move || (!wanted.get().is_everything()).then(|| view! {
                <p><a href="/browse">{move || t().clear}</a></p>
            })}
        </section>
    }
}
