//! The streamer's weekly schedule: the days and times they mean to go live, in their own time
//! zone, which their channel page shows viewers as the next streams (in each viewer's time).
//! Its words live here.

use cloumer_api_types::{MyChannel, ScheduleBody, ScheduleSlotBody};
use leptos::prelude::*;

use crate::api::use_api;
use crate::components::SaveStatus;
use crate::i18n::use_i18n;
use crate::reactive::Submit;

pub struct ScheduleTexts {
    pub heading: &'static str,
    pub hint: &'static str,
    pub time_zone: &'static str,
    pub day: &'static str,
    pub start: &'static str,
    pub length: &'static str,
    pub title: &'static str,
    pub add: &'static str,
    pub remove: &'static str,
    pub none: &'static str,
    /// Monday first.
    pub days: [&'static str; 7],
}

pub const EN: ScheduleTexts = ScheduleTexts {
    heading: "Schedule",
    hint: "When you mean to go live each week, in your time zone. Your channel page shows viewers the next streams, in their own time.",
    time_zone: "Time zone",
    day: "Day",
    start: "Starts",
    length: "Length",
    title: "What you will do (optional)",
    add: "Add a stream",
    remove: "Remove",
    none: "No streams planned: your channel page shows no schedule.",
    days: [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ],
};

pub const KO: ScheduleTexts = ScheduleTexts {
    heading: "방송 일정",
    hint: "매주 방송할 요일과 시간을 내 시간대로 정해요. 채널 페이지에서 시청자에게 다음 방송이 각자의 시간으로 보여요.",
    time_zone: "시간대",
    day: "요일",
    start: "시작",
    length: "길이",
    title: "방송 내용 (선택)",
    add: "방송 추가",
    remove: "삭제",
    none: "정한 방송이 없어요. 채널 페이지에 일정이 보이지 않아요.",
    days: [
        "월요일",
        "화요일",
        "수요일",
        "목요일",
        "금요일",
        "토요일",
        "일요일",
    ],
};

/// The API's names of the days, Monday first.
const DAYS: [&str; 7] = ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"];
/// Lengths the form offers, in minutes (15 minutes to 12 hours is what the API takes).
const LENGTHS: [u16; 9] = [30, 60, 90, 120, 180, 240, 360, 480, 720];
/// The most streams a week the API keeps.
const MAX_STREAMS: usize = 14;

/// One stream being edited: its own signals, so typing in one redraws nothing else.
#[derive(Clone, Copy)]
struct Row {
    id: u32,
    day: RwSignal<String>,
    start: RwSignal<String>,
    minutes: RwSignal<u16>,
    title: RwSignal<String>,
}

impl Row {
    fn new(id: u32, slot: &ScheduleSlotBody) -> Self {
        Self {
            id,
            day: RwSignal::new(slot.day.clone()),
            start: RwSignal::new(slot.start.clone()),
            minutes: RwSignal::new(slot.duration_minutes),
            title: RwSignal::new(slot.title.clone()),
        }
    }

    fn slot(&self) -> ScheduleSlotBody {
        ScheduleSlotBody {
            day: self.day.get_untracked(),
            start: self.start.get_untracked(),
            duration_minutes: self.minutes.get_untracked(),
            title: self.title.get_untracked(),
        }
    }
}

#[component]
pub fn ScheduleCard(
    channel: Signal<MyChannel>,
    on_saved: impl Fn() + Copy + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.pick(&EN, &KO);
    let api = use_api();
    let kept = channel.with_untracked(|c| c.schedule.clone());
    // A streamer without a schedule starts from the zone their browser is in.
    let zone = RwSignal::new(
        kept.as_ref()
            .map(|s| s.time_zone.clone())
            .or_else(crate::browser::time_zone)
            .unwrap_or_else(|| "UTC".to_owned()),
    );
    let next_id = StoredValue::new(0u32);
    let new_row = move |slot: &ScheduleSlotBody| {
        let id = next_id.get_value();
        next_id.set_value(id + 1);
        Row::new(id, slot)
    };
    let rows = RwSignal::new(
        kept.iter()
            .flat_map(|s| s.slots.iter())
            .map(new_row)
            .collect::<Vec<_>>(),
    );
    let save = Submit::new(move |schedule: &ScheduleBody| {
        let schedule = schedule.clone();
        async move {
            let saved = api.set_schedule(&schedule).await;
            if saved.is_ok() {
                on_saved();
            }
            saved
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch(ScheduleBody {
            time_zone: zone.get_untracked().trim().to_owned(),
            slots: rows.with_untracked(|rows| rows.iter().map(Row::slot).collect()),
        });
    };
    let add = move |_| {
        // The next day after the last one, at the same time: a week fills in a few clicks.
        let last = rows.with_untracked(|rows| rows.last().map(Row::slot));
        let slot = match last {
            Some(last) => {
                let day = DAYS.iter().position(|d| *d == last.day).unwrap_or(0);
                ScheduleSlotBody {
                    day: DAYS[(day + 1) % 7].to_owned(),
                    title: String::new(),
                    ..last
                }
            }
            None => ScheduleSlotBody {
                day: DAYS[0].to_owned(),
                start: "20:00".to_owned(),
                duration_minutes: 120,
                title: String::new(),
            },
        };
        let row = new_row(&slot);
        rows.update(|rows| rows.push(row));
    };
    view! {
        <section class="panel schedule" aria-labelledby="schedule-heading">
            <h2 id="schedule-heading">{move || t().heading}</h2>
            <p class="muted">{move || t().hint}</p>
            <form class="stack" on:submit=submit>
                <label>{move || t().time_zone}
                    <input type="text" name="time-zone" autocomplete="off" spellcheck="false"
                        prop:value=move || zone.get() on:input=move |ev| zone.set(event_target_value(&ev)) />
                </label>
                {move || rows.with(Vec::is_empty).then(|| view! { <p class="empty">{t().none}</p> })}
                <ul class="schedule-rows">
                    // Redrawn only as streams come and go: each row's fields keep their own
                    // signals (a keyed `For` would cost the dashboard ~15 KB of wasm).
                    {move || rows.get().into_iter().map(|row| view! {
                        <ScheduleRow row=row remove=move || rows.update(|rows| rows.retain(|r| r.id != row.id)) />
                    }).collect_view()}
                </ul>
                <button type="button" class="secondary add-stream"
                    disabled=move || rows.with(|rows| rows.len() >= MAX_STREAMS) on:click=add>
                    {move || t().add}
                </button>
                <SaveStatus outcome=move || save.value() />
                <button type="submit" disabled=move || save.pending().get()>{move || i18n.t().save}</button>
            </form>
        </section>
    }
}

/// One planned stream's fields.
#[component]
fn ScheduleRow(row: Row, remove: impl Fn() + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let t = move || i18n.pick(&EN, &KO);
    // A length set through the API that the list does not offer is kept as a choice of its own.
    let own_length = Some(row.minutes.get_untracked()).filter(|m| !LENGTHS.contains(m));
    view! {
        <li class="schedule-row">
            <label>{move || t().day}
                <select name="day" prop:value=move || row.day.get()
                    on:change=move |ev| row.day.set(event_target_value(&ev))>
                    {DAYS.iter().enumerate().map(|(i, day)| view! {
                        <option value=*day>{move || t().days[i]}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>{move || t().start}
                <input type="time" name="start" required prop:value=move || row.start.get()
                    on:change=move |ev| row.start.set(event_target_value(&ev)) />
            </label>
            <label>{move || t().length}
                <select name="length" prop:value=move || row.minutes.get().to_string()
                    on:change=move |ev| row.minutes.set(event_target_value(&ev).parse().unwrap_or(0))>
                    {LENGTHS.into_iter().chain(own_length).map(|minutes| view! {
                        <option value=minutes.to_string()>{move || i18n.duration(u64::from(minutes) * 60)}</option>
                    }).collect_view()}
                </select>
            </label>
            <label class="schedule-title">{move || t().title}
                <input type="text" name="title" maxlength="80" prop:value=move || row.title.get()
                    on:input=move |ev| row.title.set(event_target_value(&ev)) />
            </label>
            <button type="button" class="link remove-stream" on:click=move |_| remove()>{move || t().remove}</button>
        </li>
    }
}
