//! Uploaded videos: a video's page (`/videos/vd…`, played in the same player as past
//! broadcasts, with its uploader's tools to edit or delete it, and while it is still being
//! made, how far it is), and the cards a channel lists its videos with. Their words live here.

use cloumer_api_types::{ReportKind, UpdateVideo, VideoBody};
use leptos::prelude::*;

use crate::api::use_api;
use crate::components::{
    Avatar, Loaded, ReportButton, ShareVideo, ago_text, avatar_src, linked_start, name_page,
    or_untitled, video_name,
};
use crate::i18n::use_i18n;
use crate::pages::NotFound;
use crate::player::{MatureGate, NowPlaying, VideoPlayer, describe_playing};
use crate::reactive::{Fetch, Submit};
use crate::time;

pub struct VideoTexts {
    pub videos: &'static str,
    pub uploading: &'static str,
    pub uploaded: &'static str,
    pub processing: &'static str,
    pub failed: &'static str,
    pub ready: &'static str,
    pub edit: &'static str,
    pub title_label: &'static str,
    pub description_label: &'static str,
    pub private_label: &'static str,
    pub delete: &'static str,
    pub delete_confirm: &'static str,
    /// Why a video was not published, by the API's `failureCode` (`{}` is what it found). Where
    /// a code has none, the API's English sentence is shown.
    pub reasons: &'static [(&'static str, &'static str)],
}

pub const EN: VideoTexts = VideoTexts {
    videos: "Videos",
    uploading: "Uploading",
    uploaded: "Uploaded, waiting to be processed",
    processing: "Processing",
    failed: "Could not be published",
    ready: "Ready",
    edit: "Edit",
    title_label: "Title",
    description_label: "Description",
    private_label: "Private: only viewers you allow can watch it",
    delete: "Delete video",
    delete_confirm: "Delete this video and all its files?",
    // The API's sentences are English.
    reasons: &[],
};

pub const KO: VideoTexts = VideoTexts {
    videos: "동영상",
    uploading: "업로드 중",
    uploaded: "업로드 완료, 처리 대기 중",
    processing: "처리 중",
    failed: "게시하지 못했어요",
    ready: "게시됨",
    edit: "수정",
    title_label: "제목",
    description_label: "설명",
    private_label: "비공개: 허락한 시청자만 볼 수 있어요",
    delete: "동영상 삭제",
    delete_confirm: "이 동영상과 모든 파일을 삭제할까요?",
    reasons: &[
        (
            "unreadable",
            "읽을 수 있는 동영상 파일이 아니에요 (MP4, MOV, MKV, WebM 파일)",
        ),
        ("container", "MP4, MOV, MKV, WebM 동영상만 올릴 수 있어요"),
        ("no_video", "파일에 영상이 없어요"),
        (
            "video_codec",
            "영상 코덱이 {}예요. H.264, H.265, VP8, VP9, AV1만 받아요",
        ),
        (
            "audio_codec",
            "소리 코덱이 {}예요. AAC, MP3, Opus, Vorbis, AC-3만 받아요",
        ),
        (
            "picture_size",
            "화면 크기가 {}예요. 가로세로 각각 16~4096픽셀이어야 해요",
        ),
        ("over_4k", "화면 크기가 {}예요. 4K(3840×2160)까지만 받아요"),
        ("too_short", "1초보다 짧아요"),
        ("too_long", "4시간보다 길어요"),
        ("not_transcoded", "동영상을 변환하지 못했어요"),
    ],
};

impl VideoTexts {
    /// Why `video` was not published, in these words, if they have the API's reason.
    fn reason(&self, video: &VideoBody) -> Option<String> {
        let code = video.failure_code.as_deref()?;
        let (_, words) = self.reasons.iter().find(|(known, _)| *known == code)?;
        Some(words.replace("{}", video.failure_found.as_deref().unwrap_or_default()))
    }

    /// Where a video stands, for its uploader.
    pub fn state(&self, video: &VideoBody) -> String {
        match video.status.as_str() {
            "UPLOADING" => self.uploading.to_owned(),
            "UPLOADED" => self.uploaded.to_owned(),
            "PROCESSING" => format!("{} {}%", self.processing, video.progress),
            "FAILED" => match self.reason(video).or_else(|| video.failure.clone()) {
                Some(why) => format!("{}: {why}", self.failed),
                None => self.failed.to_owned(),
            },
            _ => match video.duration_ms {
                Some(ms) => format!("{} · {}", self.ready, time::clock(ms as f64)),
                None => self.ready.to_owned(),
            },
        }
    }
}

/// Whether a video is still being made (its state changes without the uploader doing anything).
pub fn in_progress(video: &VideoBody) -> bool {
    matches!(video.status.as_str(), "UPLOADED" | "PROCESSING")
}

/// How often a page showing a video being made looks again.
pub const PROGRESS_REFRESH: std::time::Duration = std::time::Duration::from_secs(3);

/// `/videos/vd…`.
#[component]
pub fn Video(id: String) -> impl IntoView {
    let api = use_api();
    let id = StoredValue::new(id);
    let video = Fetch::new(move || async move { api.video(&id.get_value()).await });
    video.refresh_every(
        PROGRESS_REFRESH,
        move || matches!(video.get_untracked(), Some(Ok(v)) if in_progress(&v)),
    );
    view! {
        <Loaded retry=move || video.refetch()>
            {move || Suspend::new(async move {
                match video.await {
                    Err(error) if error.status == 404 => Ok(view! { <NotFound /> }.into_any()),
                    Err(error) => Err(error),
                    Ok(found) => Ok(view! { <WatchVideo video=found /> }.into_any()),
                }
            })}
        </Loaded>
    }
}

#[component]
fn WatchVideo(video: VideoBody) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.pick(&EN, &KO);
    let shown = RwSignal::new(video);
    let v = shown.get_untracked();
    // The uploader may edit the title here: the tab follows.
    name_page(move || {
        Some(shown.with(|v| video_name(&v.title, i18n.t().untitled, &v.owner_nickname)))
    });
    describe_playing(move || {
        shown.with(|v| {
            v.playlist_url.is_some().then(|| NowPlaying {
                title: or_untitled(&v.title, i18n.t().untitled).to_owned(),
                streamer: v.owner_nickname.clone(),
                artwork: avatar_src(&v.owner_avatar),
            })
        })
    });
    let url = Signal::stored(v.playlist_url.clone());
    // Where the player is, for sharing the video from there.
    let position = RwSignal::new(0.0);
    let when = ago_text(&v.created_at);
    let duration = v
        .duration_ms
        .map(|ms| time::clock(ms as f64))
        .unwrap_or_default();
    let yours = v.file_name.is_some();
    view! {
        <section class="recording video-page">
            {if v.playlist_url.is_some() {
                view! {
                    <MatureGate mature=v.mature handle=v.channel_handle.clone()>
                        <VideoPlayer url=url position=position start_at=linked_start() />
                    </MatureGate>
                }
                .into_any()
            } else {
                let state = t().state(&v);
                view! {
                    <div class="player offline" role="status">
                        <p>{state}</p>
                        {(v.status == "PROCESSING").then(|| view! {
                            <progress max="100" value=v.progress.to_string()></progress>
                        })}
                    </div>
                }.into_any()
            }}
            <div class="channel-info">
                <Avatar src=v.owner_avatar.clone() size=56 />
                <div class="channel-text">
                    <h1 class="channel-title">{move || shown.with(|v| v.title.clone())}</h1>
                    <div class="channel-meta">
                        <a href=format!("/{}", v.channel_handle)>{v.owner_nickname.clone()}</a>
                        " · "{when}
                        {(!duration.is_empty()).then(|| view! { " · "{duration.clone()} })}
                        {move || shown.with(|v| v.private).then(|| view! { " · " <span class="private-badge">{move || i18n.t().private_recording}</span> })}
                    </div>
                </div>
            </div>
            // Its uploader may make it private or rename it here: the embed code follows.
            {move || shown.with(|v| (v.status == "READY").then(|| view! {
                <ShareVideo page=format!("/videos/{}", v.id) title=or_untitled(&v.title, i18n.t().untitled).to_owned()
                    link_name=move || i18n.page_texts().video_link private=v.private position=position />
            }))}
            <p class="video-description">{move || shown.with(|v| v.description.clone())}</p>
            {yours.then(|| view! { <UploaderTools video=shown /> })}
            {(!yours).then(|| view! { <ReportButton kind=ReportKind::Video id=v.id.clone() /> })}
        </section>
    }
}

/// The uploader's tools: edit the title, description and privacy; delete (asked first).
#[component]
fn UploaderTools(video: RwSignal<VideoBody>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.pick(&EN, &KO);
    let api = use_api();
    let location = crate::router::use_location();
    let editing = RwSignal::new(false);
    let title = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let private = RwSignal::new(false);
    let save = Submit::new(move |change: &UpdateVideo| {
        let change = change.clone();
        async move {
            let id = video.with_untracked(|v| v.id.clone());
            let saved = api.edit_video(&id, &change).await?;
            video.set(saved);
            editing.set(false);
            Ok::<_, crate::api::ApiError>(())
        }
    });
    let delete = Submit::new(move |_: &()| async move {
        let (id, handle) = video.with_untracked(|v| (v.id.clone(), v.channel_handle.clone()));
        api.delete_video(&id).await?;
        location.navigate(&format!("/{handle}"));
        Ok::<_, crate::api::ApiError>(())
    });
    let failure = move || {
        save.value()
            .and_then(Result::err)
            .or_else(|| delete.value().and_then(Result::err))
    };
    view! {
        <div class="owner-tools">
            {move || if editing.get() {
                view! {
                    <form class="edit-video" on:submit=move |ev| {
                        ev.prevent_default();
                        save.dispatch(UpdateVideo {
                            title: Some(title.get_untracked()),
                            description: Some(description.get_untracked()),
                            private: Some(private.get_untracked()),
                        });
                    }>
                        <label for="video-title">{move || t().title_label}</label>
                        <input id="video-title" type="text" maxlength="100" required
                            prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev)) />
                        <label for="video-description">{move || t().description_label}</label>
                        <textarea id="video-description" maxlength="5000" rows="4"
                            prop:value=move || description.get() on:input=move |ev| description.set(event_target_value(&ev))></textarea>
                        <label class="check">
                            <input id="video-private" type="checkbox" prop:checked=move || private.get()
                                on:change=move |ev| private.set(event_target_checked(&ev)) />
                            {move || t().private_label}
                        </label>
                        <div class="row">
                            <button type="submit" disabled=move || save.pending().get()>{move || i18n.t().save}</button>
                            <button type="button" class="secondary" on:click=move |_| editing.set(false)>{move || i18n.t().cancel}</button>
                        </div>
                    </form>
                }.into_any()
            } else {
                view! {
                    <div class="row">
                        <button type="button" class="secondary edit-video-open" on:click=move |_| {
                            save.clear();
                            video.with_untracked(|v| {
                                title.set(v.title.clone());
                                description.set(v.description.clone());
                                private.set(v.private);
                            });
                            editing.set(true);
                        }>{move || t().edit}</button>
                        <button type="button" class="danger delete-video" disabled=move || delete.pending().get()
                            on:click=move |_| {
                                if crate::browser::confirm(t().delete_confirm) {
                                    delete.dispatch(());
                                }
                            }>{move || t().delete}</button>
                    </div>
                }.into_any()
            }}
            {move || failure().map(|e| view! { <p class="error" role="alert">{e.explained(i18n)}</p> })}
        </div>
    }
}

/// A channel's ready videos as cards.
#[component]
pub fn VideoGrid(videos: Vec<VideoBody>) -> impl IntoView {
    view! {
        <div class="grid videos">
            {videos.into_iter().map(|video| view! { <VideoCard video=video /> }).collect_view()}
        </div>
    }
}

#[component]
fn VideoCard(video: VideoBody) -> impl IntoView {
    let i18n = use_i18n();
    let href = format!("/videos/{}", video.id);
    let duration = video
        .duration_ms
        .map(|ms| time::clock(ms as f64))
        .unwrap_or_default();
    let when = ago_text(&video.created_at);
    view! {
        <article class="card video-card" class:mature=video.mature>
            <a href=href.clone() class="card-link" tabindex="-1" aria-hidden="true">
                <div class="thumb">
                    {match video.thumbnail_url.clone() {
                        Some(src) => view! { <img src=src alt="" loading="lazy" /> }.into_any(),
                        None => view! { <div class="thumb-placeholder"><Avatar src=video.owner_avatar.clone() size=64 /></div> }.into_any(),
                    }}
                    <span class="thumb-bottom"><span class="duration">{duration}</span></span>
                    {video.private.then(|| view! { <span class="thumb-lock">{move || i18n.t().private_recording}</span> })}
                    {video.mature.then(crate::components::mature_badge)}
                </div>
            </a>
            <div class="card-body">
                <div class="card-text">
                    <a href=href class="card-title">{video.title.clone()}</a>
                    <div class="card-meta">{when}</div>
                </div>
            </div>
        </article>
    }
}
