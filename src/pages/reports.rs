//! `/staff/reports`: the platform staff's queue of open reports, oldest first, each with what it
//! is about as it is now and who reported it; staff dismiss a report or take its content down,
//! which settles every open report on the same thing. Suspended channels' owners' appeals wait
//! here too: staff keep the suspension or lift it.

use cloumer_api_types::{ReportBody, ReportDecision, ReportKind};
use leptos::prelude::*;

use crate::api::use_api;
use crate::components::report::{EN as REASONS_EN, KO as REASONS_KO};
use crate::components::{PageStatus, Paging, RequireSignIn, ago_text, name_page};
use crate::i18n::use_i18n;
use crate::reactive::Submit;

struct QueueWords {
    title: &'static str,
    empty: &'static str,
    channel: &'static str,
    clip: &'static str,
    video: &'static str,
    recording: &'static str,
    gone: &'static str,
    reported_by: &'static str,
    deleted_account: &'static str,
    dismiss: &'static str,
    remove: &'static str,
    suspend: &'static str,
    working: &'static str,
    settled: &'static str,
    appeal: &'static str,
    suspended_for: &'static str,
    appealed_by: &'static str,
    keep_suspended: &'static str,
    lift: &'static str,
    /// The suspension's length, before the channel's Suspend button; its choices in
    /// [`SUSPENSION_DAYS`]' order.
    length: &'static str,
    lengths: [&'static str; 5],
}

/// What staff may choose for how long a suspension lasts: until they lift it, or some days.
const SUSPENSION_DAYS: [Option<u32>; 5] = [None, Some(1), Some(3), Some(7), Some(30)];

const EN: QueueWords = QueueWords {
    title: "Reports",
    empty: "No open reports.",
    channel: "Channel",
    clip: "Clip",
    video: "Video",
    recording: "Past broadcast",
    gone: "(gone)",
    reported_by: "Reported by",
    deleted_account: "a deleted account",
    dismiss: "Dismiss",
    remove: "Take down",
    suspend: "Suspend channel",
    working: "Working…",
    settled: "Settled: every open report on it is closed.",
    appeal: "Appeal against a suspension",
    suspended_for: "Suspended for",
    appealed_by: "Appealed by",
    keep_suspended: "Keep suspended",
    lift: "Lift the suspension",
    length: "For",
    lengths: ["until lifted", "1 day", "3 days", "7 days", "30 days"],
};

const KO: QueueWords = QueueWords {
    title: "신고",
    empty: "처리할 신고가 없습니다.",
    channel: "채널",
    clip: "클립",
    video: "동영상",
    recording: "지난 방송",
    gone: "(삭제됨)",
    reported_by: "신고한 사람",
    deleted_account: "삭제된 계정",
    dismiss: "기각",
    remove: "삭제 조치",
    suspend: "채널 정지",
    working: "처리 중…",
    settled: "처리했습니다. 같은 대상의 열린 신고가 모두 닫혔습니다.",
    appeal: "채널 정지 이의 제기",
    suspended_for: "정지 사유",
    appealed_by: "이의를 제기한 사람",
    keep_suspended: "정지 유지",
    lift: "정지 해제",
    length: "기간",
    lengths: ["해제할 때까지", "1일", "3일", "7일", "30일"],
};

#[component]
pub fn Reports() -> impl IntoView {
    let i18n = use_i18n();
    name_page(move || Some(i18n.pick(&EN, &KO).title.to_owned()));
    view! {
        <RequireSignIn>
            <Queue />
        </RequireSignIn>
    }
}

#[component]
fn Queue() -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.pick(&EN, &KO);
    let api = use_api();
    let items = RwSignal::new(Vec::<ReportBody>::new());
    let paging = Paging::new();
    let more = Callback::new(move |cursor: Option<String>| {
        paging.load(items, cursor, move |cursor| async move {
            let page = api.open_reports(cursor.as_deref()).await?;
            Ok((page.items, page.next))
        });
    });
    more.run(None);
    // Settled subjects leave the list with all their reports, and the page says so.
    let just_settled = RwSignal::new(false);
    let settled = Callback::new(move |settled: ReportBody| {
        items.update(|items| items.retain(|r| !same_subject(r, &settled)));
        just_settled.set(true);
    });
    view! {
        <section class="narrow" aria-labelledby="reports-heading" data-testid="reports">
            <h1 id="reports-heading">{move || t().title}</h1>
            <p class="hint" role="status">{move || just_settled.get().then(|| t().settled)}</p>
            <div class="report-list">
                {move || items.get().into_iter().map(|r| view! { <QueuedReport report=r settled=settled /> }).collect_view()}
            </div>
            <PageStatus paging=paging is_empty=Signal::derive(move || items.with(Vec::is_empty))
                empty=move || t().empty more=more />
        </section>
    }
}

/// Whether two reports are on the same thing (a channel's appeal is not a report on it).
fn same_subject(a: &ReportBody, b: &ReportBody) -> bool {
    (a.kind, &a.subject_id, a.appeal) == (b.kind, &b.subject_id, b.appeal)
}

/// Where the reported thing is seen on the site.
fn subject_href(report: &ReportBody) -> Option<String> {
    let id = crate::api::encode(&report.subject_id);
    match report.kind {
        ReportKind::Channel => report.channel_handle.as_ref().map(|h| format!("/{h}")),
        ReportKind::Clip => Some(format!("/clips/{id}")),
        ReportKind::Video | ReportKind::Recording => Some(format!("/videos/{id}")),
    }
}

#[component]
fn QueuedReport(report: ReportBody, settled: Callback<ReportBody>) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.pick(&EN, &KO);
    let reasons = move || i18n.pick(&REASONS_EN, &REASONS_KO);
    let api = use_api();
    let (kind, appeal) = (report.kind, report.appeal);
    let this = StoredValue::new(report.clone());
    // Which of SUSPENSION_DAYS the channel's suspension would last.
    let length = RwSignal::new(0_usize);
    let settle = Submit::new(move |decision: &ReportDecision| {
        let (this, decision) = (this.get_value(), *decision);
        async move {
            // Only a suspension has a length.
            // The page's own choices; an index from an edited page names none (until lifted).
            let days = (decision == ReportDecision::Suspend)
                .then(|| {
                    SUSPENSION_DAYS
                        .get(length.get_untracked())
                        .copied()
                        .flatten()
                })
                .flatten();
            api.settle_report(&this.id, decision, days)
                .await
                .map_err(|e| e.explained(i18n))?;
            settled.run(this);
            Ok::<(), String>(())
        }
    });
    let kind_name = move || match kind {
        _ if appeal => t().appeal,
        ReportKind::Channel => t().channel,
        ReportKind::Clip => t().clip,
        ReportKind::Video => t().video,
        ReportKind::Recording => t().recording,
    };
    let title = report.subject_title.clone().filter(|t| !t.is_empty());
    let subject = match (subject_href(&report), title.clone()) {
        // An appeal is about the channel, named next.
        _ if appeal => ().into_any(),
        (Some(href), Some(title)) => view! { <a href=href>{title}</a> }.into_any(),
        (Some(href), None) if report.kind == ReportKind::Channel => {
            view! { <a href=href>{move || i18n.t().untitled}</a> }.into_any()
        }
        _ => view! { <span class="muted">{move || t().gone}</span> }.into_any(),
    };
    let channel = report.channel_handle.clone().map(|handle| {
        let nickname = report.channel_nickname.clone().unwrap_or_default();
        view! { {(!appeal).then_some(" · ")} <a href=format!("/{handle}")>{nickname}" @"{handle.clone()}</a> }
    });
    let reporter = match report.reporter_handle.clone() {
        Some(handle) => view! { <a href=format!("/{handle}")>"@"{handle.clone()}</a> }.into_any(),
        None => view! { <span>{move || t().deleted_account}</span> }.into_any(),
    };
    let reason = report.reason;
    let removable = kind != ReportKind::Channel;
    let button = move |decision, words: fn(&QueueWords) -> &'static str, class| {
        view! {
            <button type="button" class=class disabled=move || settle.pending().get()
                on:click=move |_| settle.dispatch(decision)>
                {move || if settle.pending().get() { t().working } else { words(t()) }}
            </button>
        }
    };
    view! {
        <article class="report-item" class:appeal=appeal data-testid="report-item">
            <p><strong class="report-kind">{kind_name}</strong>" "{subject}{channel}</p>
            <p>{appeal.then(|| view! { {move || t().suspended_for}": " })}
                <span class="report-reason">{move || reasons().reason(reason)}</span>
                {(!report.details.is_empty()).then(|| view! { " — " <q>{report.details.clone()}</q> })}</p>
            <p class="muted">{move || if appeal { t().appealed_by } else { t().reported_by }}" "{reporter}" · "{ago_text(&report.created_at)}</p>
            {move || settle.value().and_then(Result::err).map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <div class="row">
                {match (appeal, removable) {
                    // An appeal: kept (its owner is told) or lifted (the channel is back).
                    (true, _) => view! {
                        {button(ReportDecision::Dismiss, |t| t.keep_suspended, "secondary")}
                        {button(ReportDecision::Reinstate, |t| t.lift, "")}
                    }.into_any(),
                    (false, true) => view! {
                        {button(ReportDecision::Dismiss, |t| t.dismiss, "secondary")}
                        {button(ReportDecision::Remove, |t| t.remove, "danger")}
                    }.into_any(),
                    (false, false) => view! {
                        {button(ReportDecision::Dismiss, |t| t.dismiss, "secondary")}
                        // The length goes with the suspension: they wrap together.
                        <span class="suspend-with-length">
                            <label class="suspension-length">{move || t().length}" "
                                <select name="suspension-length" disabled=move || settle.pending().get()
                                    on:change=move |ev| length.set(event_target_value(&ev).parse().unwrap_or(0))>
                                    {(0..SUSPENSION_DAYS.len()).map(|at| view! {
                                        <option value=at.to_string() selected=move || length.get() == at>{move || t().lengths[at]}</option>
                                    }).collect_view()}
                                </select>
                            </label>
                            {button(ReportDecision::Suspend, |t| t.suspend, "danger")}
                        </span>
                    }.into_any(),
                }}
            </div>
        </article>
    }
}
