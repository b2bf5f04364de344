//! A poll above the chat: the question, an answer button each for a signed-in viewer who has not
//! voted, then each answer's share as a bar (this user's marked), the time left, and for the
//! owner and moderators a way to end it early; and the form they open one with. The room says
//! when a poll opens, how its count grows and when it is ended early; a poll that closes by
//! itself is read once more, a little after its end, for the final count. Its words live here.

use cloumer_api_types::OpenPollRequest;
use leptos::prelude::*;

use crate::api::ApiError;
use crate::chat::ChatClient;
use crate::chat::protocol::Poll;
use crate::i18n::use_i18n;
use crate::reactive::Submit;

pub struct PollTexts {
    pub poll: &'static str,
    /// `{}`: a nickname.
    pub by: &'static str,
    /// `{}`: minutes and seconds, `1:05`.
    pub left: &'static str,
    pub ended: &'static str,
    pub one_vote: &'static str,
    /// `{}`: a number.
    pub votes: &'static str,
    pub end: &'static str,
    pub hide: &'static str,
    pub sign_in_to_vote: &'static str,
    pub start_a_poll: &'static str,
    pub question: &'static str,
    /// `{}`: 1 to 5.
    pub answer: &'static str,
    pub add_answer: &'static str,
    pub remove_answer: &'static str,
    pub open_for: &'static str,
    pub start: &'static str,
    pub cancel: &'static str,
}

pub const EN: PollTexts = PollTexts {
    poll: "Poll",
    by: "Poll by {}",
    left: "{} left",
    ended: "Poll ended",
    one_vote: "1 vote",
    votes: "{} votes",
    end: "End poll",
    hide: "Hide poll",
    sign_in_to_vote: "Sign in to vote",
    start_a_poll: "Start a poll",
    question: "Question",
    answer: "Answer {}",
    add_answer: "Add an answer",
    remove_answer: "Remove answer",
    open_for: "Open for",
    start: "Start poll",
    cancel: "Cancel",
};

pub const KO: PollTexts = PollTexts {
    poll: "투표",
    by: "{}님의 투표",
    left: "{} 남음",
    ended: "투표 종료",
    one_vote: "1표",
    votes: "{}표",
    end: "투표 끝내기",
    hide: "투표 숨기기",
    sign_in_to_vote: "로그인하고 투표하세요",
    start_a_poll: "투표 만들기",
    question: "질문",
    answer: "답 {}",
    add_answer: "답 추가",
    remove_answer: "답 삭제",
    open_for: "진행 시간",
    start: "투표 시작",
    cancel: "취소",
};

/// How long a poll may be open, in seconds: what the form offers (the API takes 15–1800).
const DURATIONS: [u32; 6] = [30, 60, 120, 300, 600, 1800];
const MAX_QUESTION_CHARS: usize = 60;
const MAX_ANSWER_CHARS: usize = 25;
const MAX_ANSWERS: usize = 5;
/// A poll that closed by itself is read again within this long after its end, each page at a
/// random moment in it, so a crowded room's pages do not all ask at once.
const FINAL_COUNT_SPREAD_MS: f64 = 3000.0;

impl ChatClient {
    /// Shows `poll` (or none), and if it is open, reads it again once it has closed by itself.
    pub(crate) fn show_poll(&self, poll: Option<Poll>) {
        let ends = poll
            .as_ref()
            .filter(|p| !p.closed)
            .and_then(|p| Some((p.id.clone(), crate::time::parse_rfc3339_ms(&p.ends_at)?)));
        self.poll.set(poll.map(Box::new));
        let Some((id, ends_ms)) = ends else {
            return;
        };
        let client = *self;
        // At least a second: a page whose clock runs ahead of the server's asks again slowly.
        let wait = (ends_ms - crate::browser::now_ms()).max(1000.0)
            + js_sys::Math::random() * FINAL_COUNT_SPREAD_MS;
        set_timeout(
            move || {
                let still_open = client
                    .poll
                    .try_with_untracked(|p| p.as_ref().is_some_and(|p| p.id == id && !p.closed))
                    .unwrap_or(false);
                if still_open {
                    leptos::task::spawn_local(async move {
                        if let Ok(read) = client.api.chat_poll(&client.handle.get_value()).await {
                            client.show_poll(read.poll.map(Poll::of));
                        }
                    });
                }
            },
            std::time::Duration::from_millis(wait as u64),
        );
    }

    /// The room's news of the poll `poll_id`: its count so far, or (`ended`) its final one.
    pub(crate) fn poll_counted(&self, poll_id: &str, votes: &[u64], ended: bool) {
        self.poll.update(|poll| {
            if let Some(poll) = poll.as_mut().filter(|p| p.id == poll_id) {
                poll.counted(votes);
                poll.closed |= ended;
            }
        });
    }

    /// Votes in the poll shown, or ends it (the owner and moderators); the page shows the
    /// count the answer brings.
    fn act_on_poll(
        &self,
        action: PollAction,
    ) -> impl std::future::Future<Output = Result<(), ApiError>> + use<> {
        let client = *self;
        let id = self
            .poll
            .with_untracked(|p| p.as_ref().map(|p| p.id.clone()));
        async move {
            let Some(id) = id else { return Ok(()) };
            let handle = client.handle.get_value();
            let poll = match action {
                PollAction::Vote(choice) => client.api.vote(&handle, &id, choice).await?,
                PollAction::End => client.api.end_poll(&handle, &id).await?,
            };
            client.show_poll(Some(Poll::of(poll)));
            Ok(())
        }
    }

    /// Opens a poll (the owner and moderators); the page shows it at once.
    fn open_poll(
        &self,
        request: OpenPollRequest,
    ) -> impl std::future::Future<Output = Result<(), ApiError>> + use<> {
        let client = *self;
        async move {
            let opened = client
                .api
                .open_poll(&client.handle.get_value(), &request)
                .await?;
            client.show_poll(Some(Poll::of(opened)));
            Ok(())
        }
    }
}

/// What a poll's card does: vote for an answer, or end it.
#[derive(Clone, Copy)]
enum PollAction {
    Vote(u8),
    End,
}

/// `65_000` ms → `1:05`.
fn minutes_and_seconds(ms: f64) -> String {
    let seconds = (ms.max(0.0) / 1000.0).ceil() as u64;
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

/// Each answer's share of `votes`, in whole percent.
fn percent(votes: &[u64], i: usize) -> u64 {
    let total: u64 = votes.iter().sum();
    if total == 0 {
        return 0;
    }
    (votes[i] * 100 + total / 2) / total
}

/// The poll above the chat, while there is one and this user has not hidden it.
#[component]
pub fn PollCard(chat: ChatClient) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.pick(&EN, &KO);
    let hidden = RwSignal::new(None::<String>);
    let now = Trigger::new();
    if let Ok(timer) =
        set_interval_with_handle(move || now.notify(), std::time::Duration::from_secs(1))
    {
        on_cleanup(move || timer.clear());
    }
    let act = Submit::new(move |action: &PollAction| chat.act_on_poll(*action));
    move || {
        let poll = chat.poll.get()?;
        if hidden.with(|h| h.as_deref() == Some(poll.id.as_str())) {
            return None;
        }
        let ends_ms = crate::time::parse_rfc3339_ms(&poll.ends_at).unwrap_or(0.0);
        // The tick redraws; the time is read afresh (a poll arriving between ticks would
        // otherwise count from up to a second ago).
        now.track();
        let now = crate::browser::now_ms();
        let closed = poll.closed || now >= ends_ms;
        let signed_in = chat.role.get() != "anonymous";
        let may_vote = !closed && signed_in && poll.my_vote.is_none();
        let total: u64 = poll.votes.iter().sum();
        let status = if closed {
            t().ended.to_owned()
        } else {
            t().left.replace("{}", &minutes_and_seconds(ends_ms - now))
        };
        let answers = poll
            .choices
            .iter()
            .enumerate()
            .map(|(i, choice)| {
                let index = u8::try_from(i).unwrap_or(u8::MAX);
                if may_vote {
                    view! {
                        <li><button type="button" class="chat-poll-choice secondary"
                            disabled=move || act.pending().get()
                            on:click=move |_| act.dispatch(PollAction::Vote(index))>{choice.clone()}</button></li>
                    }
                    .into_any()
                } else {
                    let share = percent(&poll.votes, i);
                    let count = poll.votes.get(i).copied().unwrap_or(0);
                    view! {
                        <li class="chat-poll-result" class:mine=poll.my_vote == Some(index)
                            style=format!("--share: {share}%")>
                            <span class="chat-poll-answer">{choice.clone()}</span>
                            <span class="chat-poll-share" title=count.to_string()>{format!("{share}%")}</span>
                        </li>
                    }
                    .into_any()
                }
            })
            .collect_view();
        let id = poll.id.clone();
        Some(view! {
            <section class="chat-poll" data-id=poll.id.clone() data-state=if closed { "closed" } else { "open" }
                aria-label=t().poll>
                <p class="chat-poll-head">
                    <span>{t().by.replace("{}", &poll.by)}</span>
                    <span class="chat-poll-status" role="timer">{status}</span>
                </p>
                <p class="chat-poll-question">{poll.question.clone()}</p>
                <ol class="chat-poll-answers">{answers}</ol>
                <div class="chat-poll-foot">
                    <span class="chat-poll-total">
                        {if total == 1 { t().one_vote.to_owned() } else { t().votes.replace("{}", &total.to_string()) }}
                    </span>
                    {(!signed_in && !closed).then(|| view! {
                        <a href="/signin">{t().sign_in_to_vote}</a>
                    })}
                    {(chat.moderates() && !closed).then(|| view! {
                        <button type="button" class="link chat-poll-end" disabled=move || act.pending().get()
                            on:click=move |_| act.dispatch(PollAction::End)>{t().end}</button>
                    })}
                    <button type="button" class="link chat-poll-hide" title=t().hide aria-label=t().hide
                        on:click=move |_| hidden.set(Some(id.clone()))>"×"</button>
                </div>
                {move || act.value().and_then(Result::err).map(|e| view! {
                    <p class="chat-notice" role="alert">{e.explained(i18n)}</p>
                })}
            </section>
        })
    }
}

/// The owner's and moderators' form for a new poll: a question, two to five answers and how
/// long it is open. `close` takes it away (after a poll opens, too).
#[component]
pub fn PollForm(chat: ChatClient, #[prop(into)] close: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    // The form is made afresh each time it opens, in the language of the moment.
    let t = move || i18n.pick(&EN, &KO);
    let question = RwSignal::new(String::new());
    let answers = RwSignal::new(vec![String::new(), String::new()]);
    let duration = RwSignal::new(DURATIONS[1]);
    let open = Submit::new(move |request: &OpenPollRequest| {
        let request = request.clone();
        async move {
            chat.open_poll(request).await?;
            close.run(());
            Ok::<(), ApiError>(())
        }
    });
    let ready = move || {
        !question.with(|q| q.trim().is_empty())
            && answers.with(|a| a.iter().all(|a| !a.trim().is_empty()))
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        open.dispatch(OpenPollRequest {
            question: question.get_untracked(),
            choices: answers.get_untracked(),
            duration_seconds: duration.get_untracked(),
        });
    };
    // Only adding or removing an answer redraws the list: typing must not (the field would
    // lose the caret).
    let count = Memo::new(move |_| answers.with(Vec::len));
    view! {
        <form class="chat-poll-form" on:submit=submit aria-label=t().start_a_poll>
            <input id="poll-question" type="text" maxlength=MAX_QUESTION_CHARS.to_string() required
                placeholder=t().question aria-label=t().question
                prop:value=move || question.get() on:input=move |ev| question.set(event_target_value(&ev)) />
            {move || (0..count.get()).map(|i| {
                let name = t().answer.replace("{}", &(i + 1).to_string());
                view! {
                    <div class="chat-poll-form-answer">
                        <input id=format!("poll-answer-{i}") type="text" maxlength=MAX_ANSWER_CHARS.to_string()
                            required placeholder=name.clone() aria-label=name
                            prop:value=move || answers.with(|a| a.get(i).cloned().unwrap_or_default())
                            on:input=move |ev| answers.update(|a| if let Some(answer) = a.get_mut(i) { *answer = event_target_value(&ev) }) />
                        {(i >= 2).then(|| view! {
                            <button type="button" class="link" aria-label=t().remove_answer title=t().remove_answer
                                on:click=move |_| answers.update(|a| { if i < a.len() { a.remove(i); } })>"×"</button>
                        })}
                    </div>
                }
            }).collect_view()}
            {move || (count.get() < MAX_ANSWERS).then(|| view! {
                <button type="button" class="link chat-poll-add" on:click=move |_| answers.update(|a| a.push(String::new()))>
                    "+ "{t().add_answer}
                </button>
            })}
            {move || open.value().and_then(Result::err).map(|e| view! {
                <p class="chat-notice" role="alert">{e.explained(i18n)}</p>
            })}
            <label class="chat-poll-form-duration">
                <span>{t().open_for}</span>
                <select id="poll-duration" on:change=move |ev| {
                    if let Ok(seconds) = event_target_value(&ev).parse() { duration.set(seconds) }
                }>
                    {DURATIONS.iter().map(|&seconds| view! {
                        <option value=seconds.to_string() selected=seconds == duration.get_untracked()>
                            {i18n.duration(u64::from(seconds))}
                        </option>
                    }).collect_view()}
                </select>
            </label>
            <div class="chat-poll-form-actions">
                <button type="button" class="secondary" on:click=move |_| close.run(())>{t().cancel}</button>
                <button type="submit" disabled=move || !ready() || open.pending().get()>{t().start}</button>
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::{minutes_and_seconds, percent};

    #[test]
    fn the_time_left_reads_as_minutes_and_seconds_rounded_up() {
        assert_eq!(minutes_and_seconds(65_000.0), "1:05");
        assert_eq!(minutes_and_seconds(59_001.0), "1:00");
        assert_eq!(minutes_and_seconds(-5.0), "0:00");
    }

    #[test]
    fn shares_are_whole_percent_of_all_votes() {
        assert_eq!(percent(&[1, 2], 1), 67);
        assert_eq!(percent(&[1, 2], 0), 33);
        assert_eq!(percent(&[0, 0], 0), 0);
    }
}
