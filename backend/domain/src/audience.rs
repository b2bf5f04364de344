//! Who watched a broadcast: its peak and average viewers, the followers it brought and its
//! viewers over time — a stream summary for its streamer, built from one sample of the video
//! service's viewer count a minute while it is live (IVS counts viewers itself; the local ingest
//! counts the players fetching its playlists) — and its chat, counted from the room's history.

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use crate::chat_message::ChatActivity;

/// How often a live broadcast's audience is sampled (the local stack's timer, an EventBridge
/// schedule in the cloud).
pub const SAMPLE_EVERY: Duration = Duration::minutes(1);
/// A sample closer than this to the last one is the same tick again (a doubled or retried
/// schedule, two timers): it is not counted twice.
pub const SAMPLE_GAP: Duration = Duration::seconds(45);
/// Points the viewer graph keeps. Past this, neighbours merge (keeping the higher) and each
/// point covers twice as many samples: a 48-hour broadcast still fits in a few kilobytes.
pub const GRAPH_POINTS: usize = 240;

/// What the samples of one broadcast add up to, kept on its recording.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Audience {
    /// How many samples were taken.
    pub samples: u32,
    pub peak_viewers: u64,
    /// The sampled viewer counts added up: over `samples`, the average.
    pub viewer_sum: u64,
    /// The channel's followers at the first sample and at the latest.
    pub followers_at_start: u64,
    pub followers_latest: u64,
    /// Viewers over time from the first sample: each point the most seen in
    /// `samples_per_point` samples in a row.
    pub graph: Vec<u64>,
    pub samples_per_point: u32,
    #[serde(with = "time::serde::rfc3339::option")]
    pub last_sample_at: Option<OffsetDateTime>,
    /// When the first sample was taken: points are placed by their time from it, so a tick
    /// that never came leaves the time axis true. Summaries kept before it place points in
    /// order.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub first_sample_at: Option<OffsetDateTime>,
    /// The chat while it was live, counted the first time its summary was read after it
    /// ended: counting reads every message's sender, which a busy broadcast's hundreds of
    /// thousands of messages make slow and costly to do on every read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat: Option<ChatActivity>,
}

impl Audience {
    /// Never sampled (a broadcast from before summaries, or one too short for a sample).
    pub fn is_unsampled(&self) -> bool {
        self.samples == 0
    }

    /// Adds what the video service counts `at`, with the channel's followers then. False, and
    /// nothing changed, if the last sample was under [`SAMPLE_GAP`] ago.
    pub fn sample(&mut self, at: OffsetDateTime, viewers: u64, followers: u64) -> bool {
        if self
            .last_sample_at
            .is_some_and(|last| at - last < SAMPLE_GAP)
        {
            return false;
        }
        if self.samples == 0 {
            self.followers_at_start = followers;
            self.samples_per_point = 1;
            self.graph.clear();
            self.first_sample_at = Some(at);
        }
        self.samples = self.samples.saturating_add(1);
        self.peak_viewers = self.peak_viewers.max(viewers);
        self.viewer_sum = self.viewer_sum.saturating_add(viewers);
        self.followers_latest = followers;
        self.last_sample_at = Some(at);
        // The sample's minute from the first (to the nearest), or its place in order for a
        // summary kept before first samples were.
        let minute = match self.first_sample_at {
            Some(first) => {
                let seconds = (at - first).whole_seconds().max(0) as u64;
                (seconds + SAMPLE_EVERY.whole_seconds() as u64 / 2)
                    / SAMPLE_EVERY.whole_seconds() as u64
            }
            None => u64::from(self.samples - 1),
        };
        // A long gap first coarsens the graph until the sample's point is near its end, so
        // filling the gap never takes more than a few hundred points.
        while minute / u64::from(self.samples_per_point.max(1)) > 2 * GRAPH_POINTS as u64 {
            self.coarsen();
        }
        let point = (minute / u64::from(self.samples_per_point.max(1))) as usize;
        // Minutes no tick came for carry the last count on: drawn level, not as nobody.
        if let Some(&last) = self.graph.last() {
            while self.graph.len() < point {
                self.graph.push(last);
            }
        }
        match self.graph.get_mut(point) {
            Some(highest) => *highest = (*highest).max(viewers),
            None => self.graph.push(viewers),
        }
        while self.graph.len() > GRAPH_POINTS {
            self.coarsen();
        }
        true
    }

    /// Merges neighbouring points (keeping the higher): each then covers twice as many samples.
    fn coarsen(&mut self) {
        self.graph = self
            .graph
            .chunks(2)
            .map(|pair| pair.iter().copied().max().unwrap_or(0))
            .collect();
        self.samples_per_point = self.samples_per_point.saturating_mul(2);
    }

    /// The summary its streamer reads; `None` if never sampled.
    pub fn summary(&self) -> Option<StreamSummary> {
        if self.is_unsampled() {
            return None;
        }
        let samples = u64::from(self.samples);
        let followers_gained = i64::try_from(self.followers_latest).unwrap_or(i64::MAX)
            - i64::try_from(self.followers_at_start).unwrap_or(i64::MAX);
        Some(StreamSummary {
            peak_viewers: self.peak_viewers,
            // Rounded to the nearest viewer.
            average_viewers: self.viewer_sum.saturating_add(samples / 2) / samples,
            followers_gained,
            samples: self.samples,
            graph: self.graph.clone(),
            seconds_per_point: SAMPLE_EVERY.whole_seconds() as u64
                * u64::from(self.samples_per_point.max(1)),
            chat_messages: 0,
            chatters: 0,
        })
    }
}

/// A broadcast's audience as its streamer reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StreamSummary {
    pub peak_viewers: u64,
    pub average_viewers: u64,
    /// Followers at the last sample less those at the first (negative if more left than came).
    pub followers_gained: i64,
    pub samples: u32,
    /// Viewers over time from the first sample, each point the most seen in its
    /// `seconds_per_point`.
    pub graph: Vec<u64>,
    pub seconds_per_point: u64,
    /// Chat messages sent while it was live (not those deleted since): counted from the room's
    /// history when the summary is read, not sampled.
    pub chat_messages: u64,
    /// How many different people sent them.
    pub chatters: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minute: i64) -> OffsetDateTime {
        OffsetDateTime::UNIX_EPOCH + Duration::minutes(minute)
    }

    #[test]
    fn samples_give_the_peak_the_rounded_average_and_the_followers_gained() {
        let mut audience = Audience::default();
        assert_eq!(audience.summary(), None);
        for (minute, viewers, followers) in [(0, 3, 100), (1, 10, 104), (2, 4, 103)] {
            assert!(audience.sample(at(minute), viewers, followers));
        }
        let summary = audience.summary().unwrap();
        assert_eq!(summary.peak_viewers, 10);
        // 17 / 3 = 5.67: rounded to 6.
        assert_eq!(summary.average_viewers, 6);
        assert_eq!(summary.followers_gained, 3);
        assert_eq!(summary.graph, [3, 10, 4]);
        assert_eq!(summary.seconds_per_point, 60);
    }

    #[test]
    fn a_tick_again_within_the_gap_counts_once() {
        let mut audience = Audience::default();
        assert!(audience.sample(at(0), 5, 1));
        assert!(!audience.sample(at(0) + Duration::seconds(44), 50, 9));
        assert_eq!(audience.samples, 1);
        assert_eq!(audience.summary().unwrap().peak_viewers, 5);
        assert!(audience.sample(at(0) + SAMPLE_GAP, 7, 1));
        assert_eq!(audience.samples, 2);
    }

    #[test]
    fn followers_lost_are_negative() {
        let mut audience = Audience::default();
        audience.sample(at(0), 1, 10);
        audience.sample(at(1), 1, 7);
        assert_eq!(audience.summary().unwrap().followers_gained, -3);
    }

    #[test]
    fn a_long_broadcast_keeps_a_bounded_graph_with_each_stretch_at_its_highest() {
        let mut audience = Audience::default();
        let minutes = 48 * 60;
        for minute in 0..minutes {
            // One spike of 1,000 viewers an hour and a half in; 10 otherwise.
            let viewers = if minute == 90 { 1_000 } else { 10 };
            assert!(audience.sample(at(minute), viewers, 0));
        }
        let summary = audience.summary().unwrap();
        assert!(
            summary.graph.len() <= GRAPH_POINTS,
            "{}",
            summary.graph.len()
        );
        assert!(
            summary.graph.len() > GRAPH_POINTS / 2,
            "{}",
            summary.graph.len()
        );
        let covered = summary.graph.len() as u64 * summary.seconds_per_point;
        assert!(
            covered >= minutes as u64 * 60 && covered < minutes as u64 * 60 * 2,
            "{covered}"
        );
        // The spike survives the merging, at the point covering minute 90.
        let spike = (90 * 60 / summary.seconds_per_point) as usize;
        assert_eq!(summary.graph[spike], 1_000);
        assert_eq!(summary.graph.iter().filter(|&&v| v == 1_000).count(), 1);
        assert_eq!(summary.peak_viewers, 1_000);
        assert_eq!(summary.average_viewers, 10);
    }

    #[test]
    fn a_tick_that_never_came_leaves_the_time_axis_true() {
        let mut audience = Audience::default();
        // Minutes 0, 1 and 4 (2 and 3 lost), a second late each time.
        for (minute, viewers) in [(0, 5), (1, 8), (4, 3)] {
            assert!(audience.sample(at(minute) + Duration::seconds(1), viewers, 0));
        }
        let summary = audience.summary().unwrap();
        assert_eq!(summary.graph, [5, 8, 8, 8, 3]);
        assert_eq!(summary.samples, 3);
        assert_eq!(summary.average_viewers, 5);
    }

    #[test]
    fn a_clock_that_jumps_years_keeps_the_graph_bounded() {
        let mut audience = Audience::default();
        assert!(audience.sample(at(0), 5, 0));
        assert!(audience.sample(at(10 * 365 * 24 * 60), 7, 0));
        let summary = audience.summary().unwrap();
        assert!(
            summary.graph.len() <= GRAPH_POINTS,
            "{}",
            summary.graph.len()
        );
        assert_eq!(summary.graph.last(), Some(&7));
        assert_eq!(summary.peak_viewers, 7);
    }

    #[test]
    fn counts_near_the_limits_do_not_overflow() {
        let mut audience = Audience::default();
        audience.sample(at(0), u64::MAX, u64::MAX);
        audience.sample(at(1), u64::MAX, 0);
        let summary = audience.summary().unwrap();
        assert_eq!(summary.peak_viewers, u64::MAX);
        assert!(summary.followers_gained < 0);
    }
}
