//! Live state from stream events.
//!
//! Events (IVS "Stream State Change" via EventBridge in the cloud, the local ingest's callbacks
//! locally) are delivered at least once, possibly late and out of order. [`apply`] is written so
//! that any order of the same set of events ends in the same state, and a repeated event changes
//! nothing.

use time::OffsetDateTime;

use crate::channel::LiveState;
use crate::ids::{ChannelId, StreamId};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StreamEventKind {
    /// IVS "Stream Start": the encoder is sending and viewers can watch.
    Start,
    /// IVS "Stream End" or "Session Ended": the broadcast is over.
    End,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StreamEvent {
    pub channel_id: ChannelId,
    pub stream_id: StreamId,
    pub kind: StreamEventKind,
    /// When it happened at the source (the event's own time, not when we received it).
    pub at: OffsetDateTime,
}

/// The latest moment the state knows about, used to recognise events about older broadcasts.
fn latest_known(state: &LiveState) -> Option<OffsetDateTime> {
    match (state.started_at, state.ended_at) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

/// The state after `event`, or `None` when the event changes nothing (a duplicate, or news about
/// a broadcast older than the one we know).
pub fn apply(state: &LiveState, event: &StreamEvent) -> Option<LiveState> {
    let same_stream = state.stream_id.as_ref() == Some(&event.stream_id);
    match (event.kind, same_stream) {
        (StreamEventKind::Start, true) => {
            // Its end may have arrived first: then only fill in the start, never go live again.
            let earlier = state.started_at.is_none_or(|known| event.at < known);
            earlier.then(|| LiveState {
                started_at: Some(event.at),
                ..state.clone()
            })
        }
        (StreamEventKind::End, true) => {
            let earlier = state.ended_at.is_none_or(|known| event.at < known);
            earlier.then(|| LiveState {
                // Clock skew between sources must not make a broadcast end before it started.
                ended_at: Some(state.started_at.map_or(event.at, |s| s.max(event.at))),
                ..state.clone()
            })
        }
        (kind, false) => {
            if latest_known(state).is_some_and(|known| event.at <= known) {
                return None;
            }
            // A newer broadcast: whatever we knew is over.
            Some(LiveState {
                stream_id: Some(event.stream_id.clone()),
                started_at: (kind == StreamEventKind::Start).then_some(event.at),
                ended_at: (kind == StreamEventKind::End).then_some(event.at),
                thumbnail_url: None,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::Duration;

    fn event(stream: &str, kind: StreamEventKind, minute: i64) -> StreamEvent {
        StreamEvent {
            channel_id: ChannelId::parse("ch1").unwrap(),
            stream_id: StreamId::parse(stream).unwrap(),
            kind,
            at: OffsetDateTime::UNIX_EPOCH + Duration::minutes(minute),
        }
    }

    fn run(events: &[StreamEvent]) -> LiveState {
        events.iter().fold(LiveState::default(), |state, e| {
            apply(&state, e).unwrap_or(state)
        })
    }

    fn permutations(items: &[StreamEvent]) -> Vec<Vec<StreamEvent>> {
        if items.len() <= 1 {
            return vec![items.to_vec()];
        }
        let mut all = Vec::new();
        for i in 0..items.len() {
            let mut rest = items.to_vec();
            let first = rest.remove(i);
            for mut tail in permutations(&rest) {
                tail.insert(0, first.clone());
                all.push(tail);
            }
        }
        all
    }

    use StreamEventKind::{End, Start};

    #[test]
    fn start_goes_live_and_end_goes_offline() {
        let live = run(&[event("st-1", Start, 1)]);
        assert!(live.is_live());
        let over = run(&[event("st-1", Start, 1), event("st-1", End, 2)]);
        assert!(!over.is_live());
        assert_eq!(over.stream_id.unwrap().as_str(), "st-1");
    }

    #[test]
    fn a_repeated_event_changes_nothing() {
        let state = run(&[event("st-1", Start, 1)]);
        assert_eq!(apply(&state, &event("st-1", Start, 1)), None);
        let ended = run(&[event("st-1", Start, 1), event("st-1", End, 2)]);
        assert_eq!(apply(&ended, &event("st-1", End, 2)), None);
    }

    #[test]
    fn an_end_that_arrives_before_its_start_keeps_the_channel_offline() {
        let state = run(&[event("st-1", End, 2), event("st-1", Start, 1)]);
        assert!(!state.is_live());
        assert_eq!(
            state.started_at,
            Some(OffsetDateTime::UNIX_EPOCH + Duration::minutes(1))
        );
    }

    #[test]
    fn every_order_of_two_broadcasts_ends_in_the_same_state() {
        let events = [
            event("st-1", Start, 1),
            event("st-1", End, 2),
            event("st-2", Start, 3),
            event("st-2", End, 4),
        ];
        let expected = run(&events);
        for order in permutations(&events) {
            assert_eq!(run(&order), expected, "order {order:?}");
        }
    }

    #[test]
    fn every_order_with_duplicates_of_a_live_second_broadcast_ends_live() {
        let events = [
            event("st-1", Start, 1),
            event("st-1", End, 2),
            event("st-2", Start, 3),
            event("st-1", End, 2),
            event("st-1", Start, 1),
        ];
        for order in permutations(&events) {
            let state = run(&order);
            assert!(state.is_live(), "order {order:?}");
            assert_eq!(state.stream_id.as_ref().unwrap().as_str(), "st-2");
        }
    }

    #[test]
    fn a_lost_end_does_not_keep_an_old_broadcast_live_once_a_newer_one_starts() {
        let state = run(&[
            event("st-1", Start, 1),
            event("st-2", Start, 5),
            event("st-2", End, 6),
        ]);
        assert!(!state.is_live());
        assert_eq!(state.stream_id.unwrap().as_str(), "st-2");
    }
}
