//! The channel's uploaded videos: upload one (drop a file or pick it, with a title, a
//! description and privacy), see it go up with its progress and speed, cancel it, resume it
//! after a dropped connection or a reload (choosing the same file again), and follow each video
//! through processing to ready or failed, without reloading.

use cloumer_api_types::{MyChannel, NewVideo, VideoBody};
use leptos::prelude::*;

use super::part_sender::{self, SendError};
use crate::api::use_api;
use crate::components::Loaded;
use crate::decimal::fixed;
use crate::i18n::use_i18n;
use crate::pages::video::{self, PROGRESS_REFRESH, in_progress};
use crate::reactive::{Fetch, Submit};

struct UploadTexts {
    hint: &'static str,
    drop: &'static str,
    file_label: &'static str,
    upload: &'static str,
    cancel_upload: &'static str,
    choose_file: &'static str,
    of: &'static str,
    interrupted: &'static str,
    not_the_same_file: &'static str,
    cancelled: &'static str,
    no_videos: &'static str,
    delete: &'static str,
}

const EN: UploadTexts = UploadTexts {
    hint: "MP4, MOV, MKV or WebM, up to 4 GB. It is processed into several qualities, then shown on your channel.",
    drop: "Drop a video file on the box below, or click it to choose one",
    file_label: "Video file",
    upload: "Upload",
    cancel_upload: "Cancel upload",
    choose_file: "Choose a video file first.",
    of: "of",
    interrupted: "Upload interrupted: choose the same file again to continue",
    not_the_same_file: "That is not the file this upload started with",
    cancelled: "Upload cancelled.",
    no_videos: "No videos yet.",
    delete: "Delete",
};

const KO: UploadTexts = UploadTexts {
    hint: "MP4, MOV, MKV, WebM 파일, 최대 4GB. 여러 화질로 처리한 뒤 채널에 보여 줘요.",
    drop: "아래 상자에 동영상 파일을 끌어 놓거나, 눌러서 선택하세요",
    file_label: "동영상 파일",
    upload: "업로드",
    cancel_upload: "업로드 취소",
    choose_file: "먼저 동영상 파일을 선택하세요.",
    of: "/",
    interrupted: "업로드가 중단됐어요. 같은 파일을 다시 선택하면 이어서 올려요",
    not_the_same_file: "이 업로드를 시작한 파일이 아니에요",
    cancelled: "업로드를 취소했어요.",
    no_videos: "아직 동영상이 없어요.",
    delete: "삭제",
};

/// An upload being sent from this page.
#[derive(Clone)]
struct Sending {
    video_id: String,
    total: f64,
    /// When this page started sending, and how much storage held then (for the speed).
    started_ms: f64,
    started_bytes: f64,
}

#[component]
pub fn VideosCard(channel: Signal<MyChannel>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.pick(&EN, &KO);
    let vt = move || i18n.pick(&video::EN, &video::KO);
    let api = use_api();
    let handle = StoredValue::new(channel.with_untracked(|c| c.page.summary.handle.clone()));
    let videos = Fetch::new(move || async move { api.channel_videos(&handle.get_value()).await });
    videos.refresh_every(PROGRESS_REFRESH, move || {
        matches!(videos.get_untracked(), Some(Ok(page)) if page.items.iter().any(in_progress))
    });
    let chosen_file = RwSignal::new_local(None::<web_sys::File>);
    let title = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let private = RwSignal::new(false);
    let sending = RwSignal::new(None::<Sending>);
    let sent = RwSignal::new(0.0_f64);
    let notice = RwSignal::new(None::<String>);
    let input = NodeRef::<leptos::html::Input>::new();

    // Sends `file`: a new upload, or the rest of the upload `resume` names.
    let send = Submit::new(move |(file, resume): &(web_sys::File, Option<String>)| {
        let (file, resume) = (file.clone(), resume.clone());
        async move {
            let upload = match resume {
                Some(id) => api.video_upload(&id).await,
                None => {
                    api.start_video_upload(&NewVideo {
                        title: title.get_untracked(),
                        description: description.get_untracked(),
                        file_name: file.name(),
                        size_bytes: file.size() as u64,
                        private: private.get_untracked(),
                    })
                    .await
                }
            };
            let upload = match upload {
                Ok(upload) => upload,
                Err(error) => {
                    notice.set(Some(error.explained(i18n)));
                    return;
                }
            };
            videos.refetch();
            let video_id = upload.video.id.clone();
            let already: f64 = upload.uploaded_parts.len() as f64 * upload.part_bytes as f64;
            sending.set(Some(Sending {
                video_id: video_id.clone(),
                total: file.size(),
                started_ms: crate::browser::now_ms(),
                started_bytes: already.min(file.size()),
            }));
            let result = part_sender::send_file(api, file, upload, sent).await;
            sending.set(None);
            match result {
                Ok(_) => {
                    title.set(String::new());
                    description.set(String::new());
                    chosen_file.set(None);
                    if let Some(input) = input.get_untracked() {
                        input.set_value("");
                    }
                }
                Err(SendError::Cancelled) => {
                    let _ = api.delete_video(&video_id).await;
                    notice.set(Some(t().cancelled.to_owned()));
                }
                Err(SendError::Failed(why)) => notice.set(Some(why)),
            }
            videos.refetch();
        }
    });
    let choose = move |chosen: Option<web_sys::File>| {
        if let Some(chosen) = &chosen
            && title.get_untracked().trim().is_empty()
        {
            let name = chosen.name();
            let stem = name
                .rsplit_once('.')
                .map_or(name.as_str(), |(stem, _)| stem);
            title.set(stem.chars().take(100).collect());
        }
        chosen_file.set(chosen);
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        notice.set(None);
        match chosen_file.get_untracked() {
            Some(chosen) => {
                send.dispatch((chosen, None));
            }
            None => notice.set(Some(t().choose_file.to_owned())),
        }
    };
    let busy = move || sending.with(Option::is_some) || send.pending().get();
    view! {
        <section class="panel wide" aria-labelledby="videos-heading">
            <h2 id="videos-heading">{move || vt().videos}</h2>
            <p class="muted">{move || t().hint}</p>
            <form class="video-upload" on:submit=submit>
                // Dropping a file on a file input chooses it: the input is the drop zone.
                <label class="drop-zone">
                    <span>{move || t().drop}</span>
                    <input id="video-file" type="file" accept="video/*,.mkv" node_ref=input
                        aria-label=move || t().file_label
                        on:change=move |ev| {
                            let picked = event_target::<web_sys::HtmlInputElement>(&ev)
                                .files()
                                .and_then(|f| f.get(0));
                            choose(picked);
                        } />
                </label>
                <label for="upload-title">{move || vt().title_label}</label>
                <input id="upload-title" type="text" maxlength="100" required
                    prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev)) />
                <label for="upload-description">{move || vt().description_label}</label>
                <textarea id="upload-description" maxlength="5000" rows="3"
                    prop:value=move || description.get() on:input=move |ev| description.set(event_target_value(&ev))></textarea>
                <label class="check">
                    <input id="upload-private" type="checkbox" prop:checked=move || private.get()
                        on:change=move |ev| private.set(event_target_checked(&ev)) />
                    {move || vt().private_label}
                </label>
                <button type="submit" disabled=busy>{move || t().upload}</button>
            </form>
            {move || sending.get().map(|s| {
                let total = s.total;
                view! {
                    <div class="upload-progress" role="status">
                        <progress max=fixed(total, 0) value=move || fixed(sent.get(), 0)></progress>
                        <span class="upload-figures">
                            {move || {
                                let now = sent.get();
                                let seconds = (crate::browser::now_ms() - s.started_ms) / 1000.0;
                                let speed = if seconds > 0.5 { (now - s.started_bytes).max(0.0) / seconds } else { 0.0 };
                                format!("{} {} {} · {}/s · {}%", megabytes(now), t().of, megabytes(total),
                                    megabytes(speed), fixed((now / total.max(1.0) * 100.0).floor(), 0))
                            }}
                        </span>
                        <button type="button" class="secondary cancel-upload" on:click=move |_| part_sender::cancel()>
                            {move || t().cancel_upload}
                        </button>
                    </div>
                }
            })}
            {move || notice.get().map(|why| view! { <p class="error" role="alert">{why}</p> })}
            <Loaded retry=move || videos.refetch()>
                {move || Suspend::new(async move {
                    videos.await.map(|page| if page.items.is_empty() {
                        view! { <p class="muted">{t().no_videos}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="video-list">
                                {page.items.into_iter().map(|v| view! {
                                    <VideoRow video=v sending=sending notice=notice
                                        on_resume=move |resume: (web_sys::File, String)| {
                                            notice.set(None);
                                            send.dispatch((resume.0, Some(resume.1)));
                                        }
                                        on_deleted=move || videos.refetch() />
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    })
                })}
            </Loaded>
        </section>
    }
}

fn megabytes(bytes: f64) -> String {
    format!("{} MB", fixed(bytes / 1_000_000.0, 1))
}

/// One of the channel's videos, as its uploader follows it.
#[component]
fn VideoRow(
    video: VideoBody,
    sending: RwSignal<Option<Sending>>,
    notice: RwSignal<Option<String>>,
    on_resume: impl Fn((web_sys::File, String)) + Clone + Send + Sync + 'static,
    on_deleted: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.pick(&EN, &KO);
    let vt = move || i18n.pick(&video::EN, &video::KO);
    let api = use_api();
    let id = StoredValue::new(video.id.clone());
    let this_one =
        move || sending.with(|s| s.as_ref().is_some_and(|s| s.video_id == id.get_value()));
    let interrupted = video.status == "UPLOADING";
    let expected = (video.file_name.clone(), video.size_bytes);
    let delete = Submit::new(move |_: &()| {
        let on_deleted = on_deleted.clone();
        async move {
            let deleted = api.delete_video(&id.get_value()).await;
            on_deleted();
            deleted
        }
    });
    let state = vt().state(&video);
    view! {
        <li class="video-row" data-status=video.status.clone()>
            <a href=format!("/videos/{}", video.id)>{video.title.clone()}</a>
            " "
            <span class="muted video-state">{state}</span>
            {(video.status == "PROCESSING").then(|| view! {
                <progress max="100" value=video.progress.to_string()></progress>
            })}
            {move || (interrupted && !this_one()).then(|| {
                let expected = expected.clone();
                let on_resume = on_resume.clone();
                view! {
                    <label class="resume">
                        <span>{move || t().interrupted}" ("{expected.0.clone().unwrap_or_default()}")"</span>
                        <input type="file" class="resume-file" accept="video/*,.mkv"
                            on:change=move |ev| {
                                let picked = event_target::<web_sys::HtmlInputElement>(&ev)
                                    .files()
                                    .and_then(|f| f.get(0));
                                let Some(picked) = picked else { return };
                                let same = Some(picked.name()) == expected.0
                                    && Some(picked.size() as u64) == expected.1;
                                if same {
                                    on_resume((picked, id.get_value()));
                                } else {
                                    notice.set(Some(t().not_the_same_file.to_owned()));
                                }
                            } />
                    </label>
                }
            })}
            {move || (!this_one()).then(|| view! {
                <button type="button" class="secondary delete-video" disabled=move || delete.pending().get()
                    on:click=move |_| {
                        if crate::browser::confirm(vt().delete_confirm) {
                            delete.dispatch(());
                        }
                    }>{move || t().delete}</button>
            })}
        </li>
    }
}
