//! Who follows the channel, newest first: each follower's picture, name and channel, and since
//! when; more on request.

use cloumer_api_types::{FollowerBody, MyChannel};
use leptos::prelude::*;

use crate::api::use_api;
use crate::components::{Avatar, ago_text};
use crate::i18n::use_i18n;
use crate::reactive::Submit;

/// The heading (`{0}` the count), the empty list, and the button for more.
const FOLLOWERS_EN: [&str; 3] = ["Followers ({0})", "Nobody follows the channel yet.", "More"];
const FOLLOWERS_KO: [&str; 3] = [
    "팔로워 ({0}명)",
    "아직 채널을 팔로우한 사람이 없어요.",
    "더 보기",
];

#[component]
pub fn FollowersCard(channel: Signal<MyChannel>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.pick(&FOLLOWERS_EN, &FOLLOWERS_KO);
    let api = use_api();
    let followers = RwSignal::new(Vec::<FollowerBody>::new());
    let next = RwSignal::new(None::<String>);
    let load = Submit::new(move |cursor: &Option<String>| {
        let cursor = cursor.clone();
        async move {
            let page = api.followers(cursor.as_deref()).await?;
            if cursor.is_none() {
                followers.set(page.items);
            } else {
                followers.update(|list| list.extend(page.items));
            }
            next.set(page.next);
            Ok::<(), crate::api::ApiError>(())
        }
    });
    load.dispatch(None);
    let count = Memo::new(move |_| channel.with(|c| c.page.followers));
    view! {
        <section class="panel" aria-labelledby="followers-heading">
            <h2 id="followers-heading">{move || t()[0].replacen("{0}", &count.get().to_string(), 1)}</h2>
            {move || load.value().and_then(Result::err).map(|e| view! { <p class="error" role="alert">{e.explained(i18n)}</p> })}
            {move || (followers.with(Vec::is_empty) && !load.pending().get()).then(|| view! {
                <p class="muted">{move || t()[1]}</p>
            })}
            <ul class="list follower-list">
                {move || followers.get().into_iter().map(|follower| {
                    let since = ago_text(&follower.followed_at);
                    let name = match follower.handle {
                        Some(handle) => view! { <a href=format!("/{handle}")>{follower.nickname}</a> }.into_any(),
                        None => view! { <span>{follower.nickname}</span> }.into_any(),
                    };
                    view! {
                        <li>
                            <Avatar src=follower.avatar size=24 />
                            {name}
                            <time class="muted" datetime=follower.followed_at>{since}</time>
                        </li>
                    }
                }).collect_view()}
            </ul>
            {move || next.get().map(|cursor| view! {
                <button class="secondary" disabled=move || load.pending().get()
                    on:click=move |_| { load.dispatch(Some(cursor.clone())); }>
                    {move || t()[2]}
                </button>
            })}
        </section>
    }
}
