//! A channel's weekly schedule: when its streamer means to go live, in their own time zone (a
//! stream at 20:00 in New York stays at 20:00 there when the clocks change), and the next
//! streams it promises, as instants each viewer's page shows in their own time.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::error::DomainError;
use crate::text;

/// At most this many streams a week: two a day.
pub const MAX_SLOTS: usize = 14;
/// A stream is planned for 15 minutes to 12 hours.
pub const MIN_SLOT_MINUTES: u16 = 15;
pub const MAX_SLOT_MINUTES: u16 = 720;
/// A planned stream's title, in characters (optional).
pub const MAX_SLOT_TITLE_CHARS: usize = 80;
/// How many coming streams a channel page shows.
pub const UPCOMING: usize = 3;

const MINUTES_A_DAY: u16 = 24 * 60;
const MINUTES_A_WEEK: u32 = 7 * 24 * 60;

/// A day of the week, Monday first (ISO 8601).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Day {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl Day {
    pub const ALL: [Day; 7] = [
        Day::Mon,
        Day::Tue,
        Day::Wed,
        Day::Thu,
        Day::Fri,
        Day::Sat,
        Day::Sun,
    ];

    /// Monday 0 to Sunday 6.
    fn index(self) -> u32 {
        self as u32
    }

    fn of(weekday: jiff::civil::Weekday) -> Self {
        Self::ALL[usize::from(weekday.to_monday_zero_offset().unsigned_abs())]
    }
}

/// One weekly stream: its day, when it starts (minutes after midnight, the streamer's time) and
/// how long it is meant to last.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slot {
    pub day: Day,
    pub start_minute: u16,
    pub duration_minutes: u16,
    /// What the streamer means to do then (may be empty).
    #[serde(default)]
    pub title: String,
}

impl Slot {
    /// Its minutes within the week, from Monday 00:00; it may run past the week's end.
    fn week_minutes(&self) -> (u32, u32) {
        let start = self.day.index() * u32::from(MINUTES_A_DAY) + u32::from(self.start_minute);
        (start, start + u32::from(self.duration_minutes))
    }
}

/// A stream the schedule promises, from when to when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedStream {
    pub starts_at: OffsetDateTime,
    pub ends_at: OffsetDateTime,
    pub title: String,
}

/// The weekly streams of a channel, in its streamer's time zone; kept sorted by day and time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    /// An IANA time zone name (`Asia/Seoul`, `America/New_York`, `UTC`).
    pub time_zone: String,
    pub slots: Vec<Slot>,
}

impl Schedule {
    /// A schedule with its rules checked: a known time zone, at most [`MAX_SLOTS`] streams, each
    /// starting within its day and lasting [`MIN_SLOT_MINUTES`]–[`MAX_SLOT_MINUTES`], none
    /// overlapping another (a stream past midnight on Sunday meets Monday's), titles clean.
    pub fn new(time_zone: &str, mut slots: Vec<Slot>) -> Result<Self, DomainError> {
        let invalid = |message: String| DomainError::invalid("invalid_schedule", message);
        // Well-formed but not a zone the database knows (or not one any more): refused as a
        // conflict with it, as an overlap is, rather than as a malformed request.
        let zone = jiff::tz::TimeZone::get(time_zone).map_err(|_| {
            DomainError::conflict(
                "unknown_time_zone",
                format!("{time_zone:?} is not a time zone of the IANA database"),
            )
        })?;
        if slots.len() > MAX_SLOTS {
            return Err(invalid(format!(
                "a schedule has at most {MAX_SLOTS} streams a week"
            )));
        }
        for slot in &mut slots {
            if slot.start_minute >= MINUTES_A_DAY {
                return Err(invalid("a stream starts between 00:00 and 23:59".into()));
            }
            if !(MIN_SLOT_MINUTES..=MAX_SLOT_MINUTES).contains(&slot.duration_minutes) {
                return Err(invalid(format!(
                    "a stream lasts {MIN_SLOT_MINUTES}–{MAX_SLOT_MINUTES} minutes"
                )));
            }
            slot.title = text::clean(
                &slot.title,
                "invalid_schedule",
                "a planned stream's title",
                0,
                MAX_SLOT_TITLE_CHARS,
            )?;
        }
        slots.sort_by_key(|slot| (slot.day, slot.start_minute));
        for (i, a) in slots.iter().enumerate() {
            for b in &slots[i + 1..] {
                if overlap(a.week_minutes(), b.week_minutes()) {
                    return Err(DomainError::conflict(
                        "schedule_overlap",
                        "two streams of the schedule overlap; move or shorten one",
                    ));
                }
            }
        }
        Ok(Self {
            // The zone's own name, however it was written (`asia/seoul`).
            time_zone: zone.iana_name().unwrap_or(time_zone).to_owned(),
            slots,
        })
    }

    /// The next `count` streams not yet over at `now`, soonest first (one under way counts).
    pub fn upcoming(&self, now: OffsetDateTime, count: usize) -> Vec<PlannedStream> {
        let Ok(zone) = jiff::tz::TimeZone::get(&self.time_zone) else {
            return Vec::new();
        };
        let Ok(now_there) = jiff::Timestamp::from_second(now.unix_timestamp()) else {
            return Vec::new();
        };
        let today = now_there.to_zoned_datetime(zone.clone()).date();
        // Yesterday's late stream may still run; each week ahead holds every slot once, and
        // one week more covers the part of this one already gone.
        let weeks = i64::try_from(count.div_ceil(self.slots.len().max(1))).unwrap_or(1) + 1;
        let mut planned: Vec<PlannedStream> = (-1..=7 * weeks)
            .filter_map(|offset| today.checked_add(jiff::Span::new().days(offset)).ok())
            .flat_map(|date| {
                let day = Day::of(date.weekday());
                self.slots
                    .iter()
                    .filter(move |slot| slot.day == day)
                    .map(move |slot| (date, slot))
            })
            .filter_map(|(date, slot)| {
                let start = date
                    .to_datetime(jiff::civil::Time::midnight())
                    .checked_add(jiff::Span::new().minutes(slot.start_minute))
                    .ok()?
                    // A start the clocks skip (a spring-forward gap) moves on by the gap.
                    .to_zoned_datetime(zone.clone())
                    .ok()?
                    .timestamp()
                    .as_second();
                let starts_at = OffsetDateTime::from_unix_timestamp(start).ok()?;
                let ends_at = starts_at + time::Duration::minutes(i64::from(slot.duration_minutes));
                (ends_at > now).then(|| PlannedStream {
                    starts_at,
                    ends_at,
                    title: slot.title.clone(),
                })
            })
            .collect();
        planned.sort_by_key(|p| p.starts_at);
        planned.truncate(count);
        planned
    }
}

/// Whether two spans of the week (minutes, the second may run past the week's end) meet.
fn overlap(a: (u32, u32), b: (u32, u32)) -> bool {
    // Each span, and each again a week later, so a span running into Monday meets Monday's.
    [0, MINUTES_A_WEEK].iter().any(|shift_a| {
        [0, MINUTES_A_WEEK].iter().any(|shift_b| {
            let (a0, a1) = (a.0 + shift_a, a.1 + shift_a);
            let (b0, b1) = (b.0 + shift_b, b.1 + shift_b);
            a0 < b1 && b0 < a1
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn slot(day: Day, hour: u16, minute: u16, duration_minutes: u16, title: &str) -> Slot {
        Slot {
            day,
            start_minute: hour * 60 + minute,
            duration_minutes,
            title: title.to_owned(),
        }
    }

    #[test]
    fn the_next_streams_come_soonest_first_in_the_streamers_time_zone() {
        let schedule = Schedule::new(
            "Asia/Seoul",
            vec![
                slot(Day::Fri, 21, 0, 120, "Speedruns"),
                slot(Day::Tue, 20, 0, 90, "저녁 방송"),
            ],
        )
        .unwrap();
        assert_eq!(schedule.slots[0].day, Day::Tue, "kept in the week's order");
        // Tuesday 2026-12-08, 12:00 in Seoul (03:00 UTC).
        let now = datetime!(2026-12-08 03:00 UTC);
        let next = schedule.upcoming(now, 3);
        let starts: Vec<_> = next.iter().map(|p| p.starts_at).collect();
        assert_eq!(
            starts,
            [
                datetime!(2026-12-08 11:00 UTC),
                datetime!(2026-12-11 12:00 UTC),
                datetime!(2026-12-15 11:00 UTC),
            ]
        );
        assert_eq!(next[0].ends_at, datetime!(2026-12-08 12:30 UTC));
        assert_eq!(next[0].title, "저녁 방송");
        // Under way, it still counts; once over, the next one leads.
        let during = schedule.upcoming(datetime!(2026-12-08 12:00 UTC), 1);
        assert_eq!(during[0].starts_at, datetime!(2026-12-08 11:00 UTC));
        let after = schedule.upcoming(datetime!(2026-12-08 12:30 UTC), 1);
        assert_eq!(after[0].starts_at, datetime!(2026-12-11 12:00 UTC));
    }

    #[test]
    fn a_stream_keeps_its_local_time_when_the_clocks_change() {
        let schedule =
            Schedule::new("America/New_York", vec![slot(Day::Sun, 20, 0, 60, "")]).unwrap();
        // 20:00 EDT (UTC−4) before the change on 2026-11-01; 20:00 EST (UTC−5) after it.
        let next = schedule.upcoming(datetime!(2026-10-24 00:00 UTC), 2);
        assert_eq!(next[0].starts_at, datetime!(2026-10-26 00:00 UTC));
        assert_eq!(next[1].starts_at, datetime!(2026-11-02 01:00 UTC));
        // A start the spring-forward gap skips (02:30 on 2027-03-14) moves on by the gap.
        let gap = Schedule::new("America/New_York", vec![slot(Day::Sun, 2, 30, 60, "")]).unwrap();
        let next = gap.upcoming(datetime!(2027-03-13 12:00 UTC), 1);
        assert_eq!(next[0].starts_at, datetime!(2027-03-14 07:30 UTC));
    }

    #[test]
    fn a_late_stream_past_midnight_is_still_under_way_the_next_day() {
        let schedule = Schedule::new("UTC", vec![slot(Day::Sun, 23, 0, 180, "late")]).unwrap();
        // Monday 01:00: Sunday's stream runs until 02:00.
        let next = schedule.upcoming(datetime!(2026-12-07 01:00 UTC), 1);
        assert_eq!(next[0].starts_at, datetime!(2026-12-06 23:00 UTC));
    }

    #[test]
    fn a_schedule_refuses_what_cannot_be_kept() {
        let refused = |zone: &str, slots: Vec<Slot>| {
            matches!(
                Schedule::new(zone, slots),
                Err(DomainError::Invalid {
                    code: "invalid_schedule",
                    ..
                })
            )
        };
        let conflict = |zone: &str, slots: Vec<Slot>| match Schedule::new(zone, slots) {
            Err(DomainError::Conflict { code, .. }) => code,
            other => panic!("{other:?}"),
        };
        for zone in ["Mars/Olympus", "", "../../etc/passwd", "/etc/localtime"] {
            assert_eq!(conflict(zone, vec![]), "unknown_time_zone", "{zone}");
        }
        assert!(refused("UTC", vec![slot(Day::Mon, 24, 0, 60, "")]));
        assert!(refused("UTC", vec![slot(Day::Mon, 20, 0, 14, "")]));
        assert!(refused("UTC", vec![slot(Day::Mon, 20, 0, 721, "")]));
        assert!(refused(
            "UTC",
            vec![slot(Day::Mon, 20, 0, 60, "\u{202E}evil")]
        ));
        assert!(refused(
            "UTC",
            vec![slot(Day::Mon, 20, 0, 60, &"a".repeat(81))]
        ));
        assert_eq!(
            conflict(
                "UTC",
                vec![
                    slot(Day::Mon, 20, 0, 120, ""),
                    slot(Day::Mon, 21, 0, 60, "")
                ]
            ),
            "schedule_overlap"
        );
        assert_eq!(
            conflict(
                "UTC",
                vec![
                    slot(Day::Sun, 23, 0, 120, ""),
                    slot(Day::Mon, 0, 30, 60, "")
                ]
            ),
            "schedule_overlap",
            "Sunday's late stream runs into Monday's"
        );
        assert!(refused(
            "UTC",
            (0..15)
                .map(|i| slot(Day::ALL[i % 7], 1 + (i / 7) as u16 * 2, 0, 60, ""))
                .collect()
        ));
        // Back to back is fine; the zone's name is its own.
        let kept = Schedule::new(
            "asia/seoul",
            vec![
                slot(Day::Mon, 20, 0, 60, " Chat "),
                slot(Day::Mon, 21, 0, 60, ""),
            ],
        )
        .unwrap();
        assert_eq!(kept.time_zone, "Asia/Seoul");
        assert_eq!(kept.slots[0].title, "Chat");
        assert!(Schedule::new("UTC", Vec::new()).is_ok());
    }
}
