//! Reporting a channel, clip, video or past broadcast to the platform's staff: a "Report"
//! disclosure under the video with the reasons to choose from and room for what happened. Only
//! for signed-in viewers of what is not theirs (the API refuses the rest, too).

use cloumer_api_types::{NewReport, NotificationBody, ReportDecision, ReportKind, ReportReason};
use leptos::prelude::*;

use crate::api::use_api;
use crate::auth::use_session;
use crate::components::until_text;
use crate::i18n::use_i18n;
use crate::reactive::Submit;

/// The words of reports, on the watching pages and the staff's queue.
pub struct ReportWords {
    pub report: &'static str,
    pub why: &'static str,
    pub details: &'static str,
    pub send: &'static str,
    pub sending: &'static str,
    pub thanks: &'static str,
    pub already: &'static str,
    /// What each reason is called, in [`ReportReason::ALL`]'s order.
    pub reasons: [&'static str; 10],
    /// A suspended channel's page, in place of its player.
    pub suspended: &'static str,
    /// The owner's dashboard, while suspended.
    pub yours_suspended: &'static str,
    pub lift: &'static str,
    /// Before the rule staff found broken: "Rule broken: Hateful conduct".
    pub rule_broken: &'static str,
    /// A reporter's notification: staff settled their report, …
    pub report_reviewed: &'static str,
    /// … and what they decided, in [`ReportDecision::ALL`]'s order (dismiss, remove, suspend).
    pub outcomes: [&'static str; 3],
    /// A maker's notification: their clip, video or past broadcast was taken down.
    pub clip_taken_down: &'static str,
    pub video_taken_down: &'static str,
    pub recording_taken_down: &'static str,
    /// An owner's notification: their channel was suspended, then lifted.
    pub channel_suspended: &'static str,
    /// A suspension without an end: "until staff lift it".
    pub until_lifted: &'static str,
    pub suspension_lifted: &'static str,
    pub live_again: &'static str,
    /// An owner's notification: staff kept the suspension they appealed.
    pub appeal_rejected: &'static str,
    /// The dashboard's appeal, while suspended.
    pub appeal: &'static str,
    pub appeal_words: &'static str,
    pub send_appeal: &'static str,
    /// After an appeal is sent: "Appealed 3 minutes ago …".
    pub appealed: &'static str,
    /// After staff kept the suspension on appeal: when.
    pub appeal_kept: &'static str,
}

impl ReportWords {
    pub fn reason(&self, reason: ReportReason) -> &'static str {
        let at = ReportReason::ALL.iter().position(|r| *r == reason);
        at.map_or("", |at| self.reasons[at])
    }

    /// "Rule broken: Hateful conduct".
    pub fn rule_broken_by(&self, ground: ReportReason) -> String {
        format!("{} {}", self.rule_broken, self.reason(ground))
    }
}

pub const EN: ReportWords = ReportWords {
    report: "Report",
    why: "What is wrong?",
    details: "What happens, and when (optional)",
    send: "Send report",
    sending: "Sending…",
    thanks: "Thank you. Our staff will look at it.",
    already: "You have reported this already; our staff will look at it.",
    reasons: [
        "Spam or scam",
        "Harassment or bullying",
        "Hateful conduct",
        "Violence or threats",
        "Sexual content",
        "Endangers a child",
        "Self-harm or suicide",
        "Illegal (copyright, fraud, …)",
        "Impersonation",
        "Something else",
    ],
    suspended: "This channel is suspended for breaking Cloumer's rules.",
    yours_suspended: "Cloumer's staff suspended your channel for breaking the rules: it cannot go live, its chat is closed and it is not shown to anyone else.",
    lift: "Lift the suspension",
    rule_broken: "Rule broken:",
    report_reviewed: "We reviewed your report:",
    outcomes: [
        "we found no rule broken, so it stays.",
        "it broke our rules and was taken down.",
        "it broke our rules, and the channel is suspended.",
    ],
    clip_taken_down: "Your clip was taken down",
    video_taken_down: "Your video was taken down",
    recording_taken_down: "Your past broadcast was taken down",
    channel_suspended: "Your channel was suspended",
    until_lifted: "until staff lift it",
    suspension_lifted: "Your channel's suspension was lifted:",
    live_again: "it can go live again, with a new stream key from your dashboard.",
    appeal_rejected: "We reviewed your appeal: the suspension stays.",
    appeal: "Appeal",
    appeal_words: "Why should the suspension be lifted?",
    send_appeal: "Send appeal",
    appealed: "You appealed {}. Our staff will review it, and you will hear their decision here and in your notifications.",
    appeal_kept: "Our staff reviewed your appeal {} and kept the suspension.",
};

pub const KO: ReportWords = ReportWords {
    report: "신고",
    why: "어떤 문제인가요?",
    details: "무슨 일이 언제 있었나요 (선택)",
    send: "신고하기",
    sending: "보내는 중…",
    thanks: "신고해 주셔서 감사합니다. 운영진이 확인하겠습니다.",
    already: "이미 신고하셨습니다. 운영진이 확인하겠습니다.",
    reasons: [
        "스팸 또는 사기",
        "괴롭힘",
        "혐오 행위",
        "폭력 또는 위협",
        "성적인 콘텐츠",
        "아동 안전 위협",
        "자해 또는 자살",
        "불법 (저작권, 사기 등)",
        "사칭",
        "기타",
    ],
    suspended: "Cloumer 규칙 위반으로 정지된 채널입니다.",
    yours_suspended: "규칙 위반으로 Cloumer 운영진이 채널을 정지했습니다. 방송할 수 없고, 채팅이 닫히며, 다른 사람에게 보이지 않습니다.",
    lift: "정지 해제",
    rule_broken: "위반한 규칙:",
    report_reviewed: "신고를 검토했습니다:",
    outcomes: [
        "규칙 위반이 확인되지 않아 그대로 둡니다.",
        "규칙 위반으로 삭제했습니다.",
        "규칙 위반으로 채널을 정지했습니다.",
    ],
    clip_taken_down: "내 클립이 삭제되었습니다",
    video_taken_down: "내 영상이 삭제되었습니다",
    recording_taken_down: "내 지난 방송이 삭제되었습니다",
    channel_suspended: "내 채널이 정지되었습니다",
    until_lifted: "운영진이 해제할 때까지",
    suspension_lifted: "채널 정지가 해제되었습니다:",
    live_again: "대시보드에서 새 스트림 키를 받아 다시 방송할 수 있습니다.",
    appeal_rejected: "이의 제기를 검토했습니다: 정지를 유지합니다.",
    appeal: "이의 제기",
    appeal_words: "정지를 해제해야 하는 이유는 무엇인가요?",
    send_appeal: "이의 제기 보내기",
    appealed: "{} 이의를 제기했습니다. 운영진이 검토한 뒤 결과를 여기와 알림으로 알려 드립니다.",
    appeal_kept: "운영진이 {} 이의 제기를 검토했고 정지를 유지했습니다.",
};

/// How a notification of a staff decision reads and where it leads (as
/// [`notification_text`](crate::components::bell::notification_text)): `None` for other
/// notifications.
pub fn decision_text(
    n: &NotificationBody,
    words: &ReportWords,
) -> Option<(String, String, String)> {
    let channel = format!("/{}", n.channel_handle);
    let ground = || {
        n.ground
            .map(|ground| words.rule_broken_by(ground))
            .unwrap_or_default()
    };
    Some(match n.kind.as_str() {
        "REPORT_REVIEWED" => {
            let decision = n.decision?;
            let at = ReportDecision::ALL.iter().position(|d| *d == decision)?;
            (
                channel,
                words.report_reviewed.to_owned(),
                (*words.outcomes.get(at)?).to_owned(),
            )
        }
        "TAKEN_DOWN" => {
            let lead = match n.about? {
                ReportKind::Clip => words.clip_taken_down,
                ReportKind::Video => words.video_taken_down,
                ReportKind::Recording | ReportKind::Channel => words.recording_taken_down,
            };
            (channel, format!("{lead}."), ground())
        }
        "SUSPENDED" => (
            "/dashboard".to_owned(),
            format!("{}.", words.channel_suspended),
            format!(
                "{} · {}",
                ground(),
                n.until
                    .as_deref()
                    .map_or_else(|| words.until_lifted.to_owned(), until_text)
            ),
        ),
        "SUSPENSION_LIFTED" => (
            "/dashboard".to_owned(),
            words.suspension_lifted.to_owned(),
            words.live_again.to_owned(),
        ),
        "APPEAL_REJECTED" => (
            "/dashboard".to_owned(),
            words.appeal_rejected.to_owned(),
            ground(),
        ),
        _ => return None,
    })
}

/// Longest explanation the API takes (characters).
pub const MAX_DETAILS: u32 = 1000;

/// `kind` and `id` name what is reported (a channel by its handle). Nothing for a signed-out
/// viewer.
#[component]
pub fn ReportButton(kind: ReportKind, #[prop(into)] id: String) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.pick(&EN, &KO);
    let api = use_api();
    let signed_in = Memo::new(move |_| use_session().user().is_some());
    let reason = RwSignal::new(None::<ReportReason>);
    let details = RwSignal::new(String::new());
    let id = StoredValue::new(id);
    let send = Submit::new(move |report: &NewReport| {
        let report = report.clone();
        async move {
            api.report(&report)
                .await
                .map(|filed| filed.already_reported)
                .map_err(|e| e.explained(i18n))
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(reason) = reason.get_untracked() else {
            return;
        };
        let details = details.get_untracked();
        send.dispatch(NewReport {
            kind,
            id: id.get_value(),
            reason,
            details: (!details.trim().is_empty()).then_some(details),
        });
    };
    let reasons = move || {
        ReportReason::ALL
            .into_iter()
            .map(|choice| {
                view! {
                    <label class="check">
                        <input type="radio" name="report-reason" value=choice.as_str()
                            prop:checked=move || reason.get() == Some(choice)
                            on:change=move |_| reason.set(Some(choice)) />
                        {move || t().reason(choice)}
                    </label>
                }
            })
            .collect_view()
    };
    let done = move || send.value().and_then(Result::ok);
    move || {
        signed_in.get().then(|| view! {
            <details class="report" data-testid="report">
                <summary>{move || t().report}</summary>
                {move || match done() {
                    Some(already) => view! {
                        <p class="hint" role="status">{if already { t().already } else { t().thanks }}</p>
                    }.into_any(),
                    None => view! {
                        <form class="stack" on:submit=submit>
                            <fieldset class="report-reasons">
                                <legend>{move || t().why}</legend>
                                {reasons}
                            </fieldset>
                            <label>{move || t().details}
                                <textarea name="report-details" rows="3" maxlength=MAX_DETAILS
                                    prop:value=move || details.get()
                                    on:input=move |ev| details.set(event_target_value(&ev))></textarea>
                            </label>
                            {move || send.value().and_then(Result::err).map(|e| view! { <p class="error" role="alert">{e}</p> })}
                            <div class="row">
                                <button type="submit" disabled=move || reason.get().is_none() || send.pending().get()>
                                    {move || if send.pending().get() { t().sending } else { t().send }}
                                </button>
                            </div>
                        </form>
                    }.into_any(),
                }}
            </details>
        })
    }
}
