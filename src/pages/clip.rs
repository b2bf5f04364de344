//! Clips: a clip's page (`/clips/<id>`, with its broadcast's chat beside it), the cards a channel lists its clips with, and the forms
//! that make one — from a past broadcast (a stretch around where the viewer is) or from a live
//! one (its last 30 seconds). Their words live here, so they load with the watch pages' code.

use cloumer_api_types::{ClipBody, ReportKind};
use leptos::prelude::*;

use crate::api::{ApiError, use_api};
use crate::chat::replay::ChatReplay;
use crate::components::{
    Avatar, Loaded, ReportButton, ShareVideo, ago_text, avatar_src, name_page, or_untitled,
    video_name,
};
use crate::i18n::{I18n, use_i18n};
use crate::pages::NotFound;
use crate::player::{MatureGate, NowPlaying, VideoPlayer, describe_playing};
use crate::reactive::{Fetch, Submit};
use crate::time;

pub struct ClipTexts {
    pub clips: &'static str,
    clip: &'static str,
    make_heading: &'static str,
    title_label: &'static str,
    from: &'static str,
    to: &'static str,
    time_hint: &'static str,
    bad_time: &'static str,
    create: &'static str,
    live_hint: &'static str,
    clipped_by: &'static str,
    pending: &'static str,
    whole_broadcast: &'static str,
    link: &'static str,
    delete: &'static str,
    delete_confirm: &'static str,
    /// Refusals the form says more precisely than the shared table ([`I18n::failure`]) can;
    /// `None`: the API's own words.
    refused: Option<Refusals>,
}

/// The API explains in English; Korean visitors read these, where the form knows more than the
/// error code says. Every other refusal is the shared table's.
struct Refusals {
    /// The past-broadcast form's range: the viewer picked it.
    range: &'static str,
    /// A live clip's range is refused only while the broadcast has just begun.
    just_started: &'static str,
    /// Only clip-making is limited here, not every request.
    too_many: &'static str,
}

pub const EN: ClipTexts = ClipTexts {
    clips: "Clips",
    clip: "Clip",
    make_heading: "Make a clip",
    title_label: "Clip title",
    from: "From",
    to: "To",
    time_hint: "Minutes:seconds; a clip lasts 5 to 60 seconds.",
    bad_time: "Write each time as minutes:seconds, for example 1:05.",
    create: "Create clip",
    live_hint: "Clips the last 30 seconds. It plays once the broadcast has ended.",
    clipped_by: "Clipped by",
    pending: "This clip will be ready when the broadcast ends.",
    whole_broadcast: "Watch the whole broadcast",
    link: "Clip link",
    delete: "Delete clip",
    delete_confirm: "Delete this clip? The broadcast stays.",
    refused: None,
};

pub const KO: ClipTexts = ClipTexts {
    clips: "클립",
    clip: "클립",
    make_heading: "클립 만들기",
    title_label: "클립 제목",
    from: "시작",
    to: "끝",
    time_hint: "분:초 형식, 클립은 5초에서 60초까지예요.",
    bad_time: "시간은 분:초로 적어 주세요. 예: 1:05",
    create: "클립 만들기",
    live_hint: "마지막 30초를 클립으로 만들어요. 방송이 끝나면 볼 수 있어요.",
    clipped_by: "클립 만든 사람",
    pending: "방송이 끝나면 이 클립을 볼 수 있어요.",
    whole_broadcast: "전체 방송 보기",
    link: "클립 링크",
    delete: "클립 삭제",
    delete_confirm: "이 클립을 삭제할까요? 방송은 그대로 남아요.",
    refused: Some(Refusals {
        range: "클립은 방송 안에서 5초에서 60초까지예요.",
        just_started: "방송이 막 시작했어요. 몇 초 뒤에 다시 해 주세요.",
        too_many: "클립을 너무 많이 만들었어요.",
    }),
};

impl ClipTexts {
    /// What to say when the API refused a clip of a past broadcast.
    fn refusal(&self, error: &ApiError, i18n: I18n) -> String {
        let said = self
            .refused
            .as_ref()
            .and_then(|r| match error.code.as_str() {
                "invalid_clip_range" => Some(r.range.to_owned()),
                "rate_limited" => {
                    let when = error.retry_after_seconds.map_or_else(
                        || "잠시 후에 다시 해 주세요.".to_owned(),
                        |seconds| i18n.try_again_in(seconds),
                    );
                    Some(format!("{} {when}", r.too_many))
                }
                _ => None,
            });
        said.unwrap_or_else(|| error.explained(i18n))
    }

    /// The same for a clip of a live broadcast.
    fn live_refusal(&self, error: &ApiError, i18n: I18n) -> String {
        match &self.refused {
            Some(r) if error.code == "invalid_clip_range" => r.just_started.to_owned(),
            _ => self.refusal(error, i18n),
        }
    }
}

/// How often the page of a clip waiting for its broadcast to end looks again.
const PENDING_REFRESH: std::time::Duration = std::time::Duration::from_secs(10);

/// `/clips/<id>`.
#[component]
pub fn Clip(id: String) -> impl IntoView {
    let api = use_api();
    let id = StoredValue::new(id);
    let clip = Fetch::new(move || async move { api.clip(&id.get_value()).await });
    // A clip of a broadcast still live is asked about again until it plays.
    clip.refresh_every(
        PENDING_REFRESH,
        move || matches!(clip.get_untracked(), Some(Ok(c)) if c.status == "PENDING"),
    );
    view! {
        <Loaded retry=move || clip.refetch()>
            {move || Suspend::new(async move {
                match clip.await {
                    Err(error) if error.status == 404 => Ok(view! { <NotFound /> }.into_any()),
                    Err(error) => Err(error),
                    Ok(found) => Ok(view! { <WatchClip clip=found /> }.into_any()),
                }
            })}
        </Loaded>
    }
}

#[component]
fn WatchClip(clip: ClipBody) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.pick(&EN, &KO);
    let c = clip;
    let url = Signal::stored(c.playlist_url.clone());
    let when = ago_text(&c.created_at);
    let duration = time::clock(c.duration_ms as f64);
    let broadcast = format!("/videos/{}", crate::api::encode(&c.recording_id));
    // The broadcast's chat beside it, from where the clip starts.
    let position = RwSignal::new(0.0);
    let start = c.start_ms as f64 / 1000.0;
    let in_broadcast = Signal::derive(move || position.get() + start);
    let ready = c.playlist_url.is_some();
    let (title, by) = (c.title.clone(), c.owner_nickname.clone());
    let artwork = avatar_src(&c.owner_avatar);
    describe_playing({
        let (title, by) = (title.clone(), by.clone());
        move || {
            ready.then(|| NowPlaying {
                title: or_untitled(&title, i18n.t().untitled).to_owned(),
                streamer: by.clone(),
                artwork: artwork.clone(),
            })
        }
    });
    name_page(move || Some(video_name(&title, i18n.t().untitled, &by)));
    view! {
        <div class="channel-layout">
        <section class="recording clip-page channel-main">
            {if ready {
                view! {
                    <MatureGate mature=c.mature handle=c.channel_handle.clone()>
                        <VideoPlayer url=url position=position />
                    </MatureGate>
                }
                .into_any()
            } else {
                view! { <div class="player offline" role="status"><p>{move || t().pending}</p></div> }.into_any()
            }}
            <div class="channel-info">
                <Avatar src=c.owner_avatar.clone() size=56 />
                <div class="channel-text">
                    <h1 class="channel-title">{c.title.clone()}</h1>
                    <div class="channel-meta">
                        <a href=format!("/{}", c.channel_handle)>{c.owner_nickname.clone()}</a>
                        " · "{duration}" · "{when}
                        {c.private.then(|| view! { " · " <span class="private-badge">{move || i18n.t().private_recording}</span> })}
                    </div>
                    <div class="channel-meta">
                        {c.clipped_by.clone().map(|by| view! {
                            {move || t().clipped_by}" "<a href=format!("/{by}")>"@"{by.clone()}</a>" · "
                        })}
                        <a href=broadcast>{move || t().whole_broadcast}</a>
                    </div>
                </div>
            </div>
            <ShareVideo page=format!("/clips/{}", c.id) title=c.title.clone()
                link_name=Signal::derive(move || t().link) private=c.private />
            {c.deletable.then(|| view! { <DeleteClip id=c.id.clone() handle=c.channel_handle.clone() /> })}
            {(!c.deletable).then(|| view! { <ReportButton kind=ReportKind::Clip id=c.id.clone() /> })}
        </section>
        {ready.then(|| view! { <ChatReplay id=c.recording_id.clone() handle=c.channel_handle.clone() position=in_broadcast /> })}
        </div>
    }
}

#[component]
fn DeleteClip(id: String, handle: String) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.pick(&EN, &KO);
    let api = use_api();
    let location = crate::router::use_location();
    let (id, handle) = (StoredValue::new(id), StoredValue::new(handle));
    let delete = Submit::new(move |_: &()| async move {
        api.delete_clip(&id.get_value()).await?;
        location.navigate(&format!("/{}", handle.get_value()));
        Ok::<_, crate::api::ApiError>(())
    });
    view! {
        <div class="owner-tools row">
            <button type="button" class="danger delete-clip" disabled=move || delete.pending().get()
                on:click=move |_| {
                    if crate::browser::confirm(t().delete_confirm) {
                        delete.dispatch(());
                    }
                }>{move || t().delete}</button>
            {move || delete.value().and_then(Result::err).map(|e| view! { <p class="error" role="alert">{e.explained(i18n)}</p> })}
        </div>
    }
}

/// A channel's clips as cards.
#[component]
pub fn ClipGrid(clips: Vec<ClipBody>) -> impl IntoView {
    view! {
        <div class="grid clips">
            {clips.into_iter().map(|clip| view! { <ClipCard clip=clip /> }).collect_view()}
        </div>
    }
}

#[component]
fn ClipCard(clip: ClipBody) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.pick(&EN, &KO);
    let href = format!("/clips/{}", clip.id);
    let duration = time::clock(clip.duration_ms as f64);
    let when = ago_text(&clip.created_at);
    view! {
        <article class="card clip-card" class:mature=clip.mature>
            <a href=href.clone() class="card-link" tabindex="-1" aria-hidden="true">
                <div class="thumb">
                    {match clip.thumbnail_url.clone() {
                        Some(src) => view! { <img src=src alt="" loading="lazy" /> }.into_any(),
                        None => view! { <div class="thumb-placeholder"><Avatar src=clip.owner_avatar.clone() size=64 /></div> }.into_any(),
                    }}
                    <span class="thumb-bottom"><span class="duration">{duration}</span></span>
                    {clip.private.then(|| view! { <span class="thumb-lock">{move || i18n.t().private_recording}</span> })}
                    {clip.mature.then(crate::components::mature_badge)}
                </div>
            </a>
            <div class="card-body">
                <div class="card-text">
                    <a href=href class="card-title">{clip.title.clone()}</a>
                    <div class="card-meta">
                        {clip.clipped_by.clone().map(|by| view! { {move || t().clipped_by}" @"{by}" · " })}
                        {when}
                    </div>
                </div>
            </div>
        </article>
    }
}

/// "Clip": a past broadcast's stretch around `position` (seconds), 30 seconds by default.
#[component]
pub fn ClipRecording(
    recording_id: String,
    duration_ms: u64,
    position: Signal<f64>,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.pick(&EN, &KO);
    let api = use_api();
    let location = crate::router::use_location();
    let recording_id = StoredValue::new(recording_id);
    let open = RwSignal::new(false);
    let title = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let bad_time = RwSignal::new(false);
    let create = Submit::new(move |range: &(String, u64, u64)| {
        let (title, start, end) = range.clone();
        async move {
            let clip = api
                .clip_recording(&recording_id.get_value(), &title, start, end)
                .await?;
            location.navigate(&format!("/clips/{}", clip.id));
            Ok::<_, crate::api::ApiError>(())
        }
    });
    let start_editing = move |_| {
        let (start, end) = default_range(position.get_untracked() * 1000.0, duration_ms);
        from.set(time::clock(start as f64));
        to.set(time::clock(end as f64));
        create.clear();
        bad_time.set(false);
        open.set(true);
    };
    view! {
        <div class="clip-maker">
            {move || if open.get() {
                view! {
                    <form class="clip-form" on:submit=move |ev| {
                        ev.prevent_default();
                        match (parse_clock(&from.get_untracked()), parse_clock(&to.get_untracked())) {
                            (Some(start), Some(end)) => {
                                bad_time.set(false);
                                create.dispatch((title.get_untracked(), start, end));
                            }
                            _ => bad_time.set(true),
                        }
                    }>
                        <h2>{move || t().make_heading}</h2>
                        <label for="clip-title">{move || t().title_label}</label>
                        <input id="clip-title" name="clip-title" type="text" maxlength="100" required
                            prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev)) />
                        <div class="row clip-range">
                            <label>{move || t().from}
                                <input name="clip-from" type="text" inputmode="numeric" size="8" required aria-describedby="clip-time-hint"
                                    prop:value=move || from.get() on:input=move |ev| from.set(event_target_value(&ev)) />
                            </label>
                            <label>{move || t().to}
                                <input name="clip-to" type="text" inputmode="numeric" size="8" required aria-describedby="clip-time-hint"
                                    prop:value=move || to.get() on:input=move |ev| to.set(event_target_value(&ev)) />
                            </label>
                        </div>
                        <p id="clip-time-hint" class="muted">{move || t().time_hint}</p>
                        <div class="row">
                            <button type="submit" disabled=move || create.pending().get()>{move || t().create}</button>
                            <button type="button" class="secondary" on:click=move |_| open.set(false)>{move || i18n.t().cancel}</button>
                        </div>
                        {move || bad_time.get().then(|| view! { <p class="error" role="alert">{move || t().bad_time}</p> })}
                        {move || create.value().and_then(Result::err).map(|e| view! { <p class="error" role="alert">{t().refusal(&e, i18n)}</p> })}
                    </form>
                }.into_any()
            } else {
                view! { <button type="button" class="secondary make-clip" on:click=start_editing>{move || t().clip}</button> }.into_any()
            }}
        </div>
    }
}

/// "Clip" on a live channel: its last 30 seconds.
#[component]
pub fn ClipLive(handle: String) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.pick(&EN, &KO);
    let api = use_api();
    let location = crate::router::use_location();
    let handle = StoredValue::new(handle);
    let open = RwSignal::new(false);
    let title = RwSignal::new(String::new());
    let create = Submit::new(move |title: &String| {
        let title = title.clone();
        async move {
            let clip = api.clip_live(&handle.get_value(), &title).await?;
            location.navigate(&format!("/clips/{}", clip.id));
            Ok::<_, crate::api::ApiError>(())
        }
    });
    view! {
        <div class="clip-maker">
            {move || if open.get() {
                view! {
                    <form class="clip-form" on:submit=move |ev| {
                        ev.prevent_default();
                        create.dispatch(title.get_untracked());
                    }>
                        <h2>{move || t().make_heading}</h2>
                        <label for="clip-title">{move || t().title_label}</label>
                        <input id="clip-title" name="clip-title" type="text" maxlength="100" required
                            prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev)) />
                        <p class="muted">{move || t().live_hint}</p>
                        <div class="row">
                            <button type="submit" disabled=move || create.pending().get()>{move || t().create}</button>
                            <button type="button" class="secondary" on:click=move |_| open.set(false)>{move || i18n.t().cancel}</button>
                        </div>
                        {move || create.value().and_then(Result::err).map(|e| view! { <p class="error" role="alert">{t().live_refusal(&e, i18n)}</p> })}
                    </form>
                }.into_any()
            } else {
                view! {
                    <button type="button" class="secondary make-clip" on:click=move |_| {
                        create.clear();
                        open.set(true);
                    }>{move || t().clip}</button>
                }.into_any()
            }}
        </div>
    }
}

/// The stretch a clip form starts with: the 30 seconds up to where the viewer is (the first 30
/// when they are nearer the start), inside the broadcast. Milliseconds.
fn default_range(position_ms: f64, duration_ms: u64) -> (u64, u64) {
    const LENGTH: u64 = 30_000;
    // Whole seconds, as the form shows them.
    let at = if position_ms.is_finite() {
        (position_ms.max(0.0) / 1000.0).floor() as u64 * 1000
    } else {
        0
    };
    let end = at.max(LENGTH).min(duration_ms);
    (end.saturating_sub(LENGTH), end)
}

/// `m:ss` or `h:mm:ss` (or plain seconds) → milliseconds.
fn parse_clock(text: &str) -> Option<u64> {
    let parts: Vec<&str> = text.trim().split(':').collect();
    if parts.len() > 3 || parts.iter().any(|p| p.is_empty() || p.len() > 4) {
        return None;
    }
    let mut seconds = 0u64;
    for (index, part) in parts.iter().enumerate() {
        let value: u64 = part.parse().ok()?;
        if index > 0 && value >= 60 {
            return None;
        }
        seconds = seconds * 60 + value;
    }
    Some(seconds * 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn korean_visitors_read_why_a_clip_was_refused_in_korean() {
        let error = |code: &str| ApiError {
            status: 400,
            code: code.into(),
            message: "in English".into(),
            retry_after_seconds: None,
        };
        Owner::new().with(|| {
            let ko = I18n {
                lang: RwSignal::new(crate::i18n::Lang::Ko),
            };
            let en = I18n {
                lang: RwSignal::new(crate::i18n::Lang::En),
            };
            assert_eq!(
                KO.refusal(&error("invalid_clip_range"), ko),
                "클립은 방송 안에서 5초에서 60초까지예요."
            );
            assert_eq!(
                KO.refusal(&error("rate_limited"), ko),
                "클립을 너무 많이 만들었어요. 잠시 후에 다시 해 주세요."
            );
            let limited = ApiError {
                retry_after_seconds: Some(55),
                ..error("rate_limited")
            };
            assert_eq!(
                KO.refusal(&limited, ko),
                "클립을 너무 많이 만들었어요. 55초 후에 다시 해 주세요."
            );
            assert_eq!(
                EN.refusal(&limited, en),
                "Too many requests. Try again in 55 seconds."
            );
            // The rest are the shared table's, and an unknown code keeps the server's words.
            assert_eq!(
                KO.refusal(&error("not_recording"), ko),
                "이 방송은 녹화되고 있지 않아서 클립을 만들 수 없어요."
            );
            assert_eq!(
                KO.refusal(&error("invalid_clip_title"), ko),
                "클립 제목을 1~100자로 적어 주세요. 보이지 않는 문자는 쓸 수 없어요."
            );
            assert_eq!(
                KO.refusal(&error("invalid_json"), ko),
                "요청을 처리할 수 없어요. (in English)"
            );
            assert_eq!(EN.refusal(&error("invalid_clip_range"), en), "in English");
            // A failed fetch is not shown as the browser's "TypeError: Failed to fetch".
            let offline = ApiError {
                status: 0,
                code: "network".into(),
                message: "TypeError: Failed to fetch".into(),
                retry_after_seconds: None,
            };
            assert!(
                EN.refusal(&offline, en)
                    .starts_with("Could not reach the server")
            );
            // Live, the range is refused only while the broadcast has just begun.
            assert_eq!(
                KO.live_refusal(&error("invalid_clip_range"), ko),
                "방송이 막 시작했어요. 몇 초 뒤에 다시 해 주세요."
            );
            assert_eq!(
                KO.live_refusal(&error("not_live"), ko),
                "지금은 방송 중이 아니에요."
            );
            assert_eq!(
                EN.live_refusal(&error("invalid_clip_range"), en),
                "in English"
            );
        });
    }

    #[test]
    fn clock_times_parse_to_milliseconds() {
        assert_eq!(parse_clock("1:05"), Some(65_000));
        assert_eq!(parse_clock(" 0:30 "), Some(30_000));
        assert_eq!(parse_clock("1:00:01"), Some(3_601_000));
        assert_eq!(parse_clock("42"), Some(42_000));
        for bad in [
            "", "1:", ":30", "1:60", "a:bc", "1:2:3:4", "-1:00", "99999:00",
        ] {
            assert_eq!(parse_clock(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn a_new_clip_ends_where_the_viewer_is_and_stays_inside_the_broadcast() {
        assert_eq!(default_range(95_400.0, 600_000), (65_000, 95_000));
        assert_eq!(default_range(10_000.0, 600_000), (0, 30_000));
        assert_eq!(default_range(10_000.0, 12_000), (0, 12_000));
        assert_eq!(default_range(f64::NAN, 600_000), (0, 30_000));
    }
}
