//! A broadcast's life: it begins when nginx relays an authorized publish into `live`, and ends
//! when the encoder stops (or the stack does). Each turns into the domain's stream and recording
//! events, as IVS's EventBridge events do in the cloud.

use std::time::Instant;

use cloumer_domain::channel::ChannelType;
use cloumer_domain::ids::{ChannelId, RecordingId, StreamId, random_alphanumeric};
use cloumer_domain::live::{StreamEvent, StreamEventKind};
use cloumer_domain::ports::{StreamHealth, StreamStatus};
use cloumer_domain::recording::{RecordingEvent, RecordingEventKind};
use time::OffsetDateTime;

use super::ladder::{self, RUNGS};
use super::{IngestState, Recorder, playlists};
use crate::chat::Rooms;

/// A broadcast in progress.
#[derive(Clone, Debug)]
pub(super) struct Broadcast {
    /// nginx's id for the connection relaying it into `live`.
    pub client: String,
    pub stream_id: StreamId,
    pub started_at: OffsetDateTime,
    pub recording_id: Option<RecordingId>,
    pub thumbnail_version: u64,
    pub last_thumbnail: Option<Instant>,
}

/// The relay into `live/<channel>` started (nginx's connection `client`): the channel is live.
/// Returns whether nginx may go on.
pub(super) async fn begin(state: &IngestState, channel_id: ChannelId, client: String) -> bool {
    let policy = match state.platform.broadcast_policy(&channel_id).await {
        Ok(Some(policy)) => policy,
        _ => return false,
    };
    let stream_id = StreamId::generate();
    let started_at = state.clock.now();
    {
        let mut live = state.live.lock().expect("ingest lock");
        if live.contains_key(&channel_id) {
            return false;
        }
        live.insert(
            channel_id.clone(),
            Broadcast {
                client: client.clone(),
                stream_id: stream_id.clone(),
                started_at,
                recording_id: None,
                thumbnail_version: 0,
                last_thumbnail: None,
            },
        );
    }
    // nginx may have written a rung after the last broadcast's end (its encoder stops as the
    // broadcast does), and reads these playlists next, to number on.
    end_live_playlists(state, &channel_id);
    state.video.set_status(
        &channel_id,
        Some(status(
            state,
            &channel_id,
            &stream_id,
            started_at,
            StreamHealth::Healthy,
            None,
        )),
    );
    let event = StreamEvent {
        channel_id: channel_id.clone(),
        stream_id: stream_id.clone(),
        kind: StreamEventKind::Start,
        at: started_at,
    };
    if let Err(error) = state.platform.handle_stream_event(&event).await {
        tracing::error!(%error, "could not record the stream start");
    }
    if policy.channel_type == ChannelType::Standard {
        match ladder::start(state, &channel_id) {
            Ok(transcode) => {
                state
                    .transcodes
                    .lock()
                    .expect("ingest lock")
                    .insert(channel_id.clone(), transcode);
            }
            // The source still plays: viewers get one quality instead of several.
            Err(error) => tracing::error!(%error, channel = %channel_id, "no ladder"),
        }
    }
    if policy.record {
        let recording_id =
            RecordingId::parse(&format!("rec-{}", random_alphanumeric(16))).expect("a valid id");
        state.recording.lock().expect("ingest lock").insert(
            channel_id.clone(),
            Recorder {
                recording_id: recording_id.clone(),
                private: policy.private,
                stream_id: stream_id.clone(),
                started_at,
                client,
            },
        );
        if let Some(broadcast) = state.live.lock().expect("ingest lock").get_mut(&channel_id) {
            broadcast.recording_id = Some(recording_id.clone());
        }
        let event = RecordingEvent {
            channel_id: channel_id.clone(),
            recording_id,
            stream_id: Some(stream_id.clone()),
            kind: RecordingEventKind::Started,
            at: started_at,
            duration_ms: None,
            playlist_url: None,
            thumbnail_url: None,
            live_thumbnail_url: None,
            private: Some(policy.private),
        };
        if let Err(error) = state.platform.handle_recording_event(&event).await {
            tracing::error!(%error, "could not record the recording start");
        }
    }
    tracing::info!(channel = %channel_id, stream = %stream_id, "broadcast started");
    true
}

/// nginx says `client` stopped publishing into `live/<channel>`: the channel goes offline, if
/// that client is the one broadcasting it. Returns whether it was.
pub(super) async fn end_by(state: &IngestState, channel: &ChannelId, client: &str) -> bool {
    let theirs = state
        .live
        .lock()
        .expect("ingest lock")
        .get(channel)
        .is_some_and(|b| b.client == client);
    if theirs {
        end(state, channel).await;
    }
    theirs
}

/// The encoder stopped (or the stack is stopping): the channel goes offline.
pub(super) async fn end(state: &IngestState, channel: &ChannelId) {
    let Some(broadcast) = state.live.lock().expect("ingest lock").remove(channel) else {
        return;
    };
    state.video.set_status(channel, None);
    end_live_playlists(state, channel);
    // Dropping the transcode stops its ffmpeg.
    state
        .transcodes
        .lock()
        .expect("ingest lock")
        .remove(channel);
    let _ = std::fs::remove_file(state.dirs.thumbnails.join(format!("{channel}.jpg")));
    let event = StreamEvent {
        channel_id: channel.clone(),
        stream_id: broadcast.stream_id.clone(),
        kind: StreamEventKind::End,
        at: state.clock.now(),
    };
    if let Err(error) = state.platform.handle_stream_event(&event).await {
        tracing::error!(%error, "could not record the stream end");
    }
    tracing::info!(%channel, stream = %broadcast.stream_id, "broadcast ended");
}

/// What the local video service reports for a live channel.
pub(super) fn status(
    state: &IngestState,
    channel: &ChannelId,
    stream_id: &StreamId,
    started_at: OffsetDateTime,
    health: StreamHealth,
    thumbnail_url: Option<String>,
) -> StreamStatus {
    StreamStatus {
        channel_arn: crate::video::arn(channel),
        stream_id: stream_id.clone(),
        started_at,
        health,
        // Counted from playback, as IVS counts it (embedded players too), each client or
        // signed-in person once: see `PlaybackViews` and `Room::viewers_among`.
        viewer_count: state
            .rooms
            .viewer_count(&Rooms::arn(channel), &state.views.watching(channel))
            as u64,
        thumbnail_url,
    }
}

/// Ends the live playlists of the channel's source and rungs, as IVS ends a broadcast's: a
/// player still loading one plays to its end and stops, and while the channel's next broadcast
/// has no playlist of its own yet, this one is known for the last broadcast's. nginx numbers the
/// next broadcast's segments on from it all the same.
fn end_live_playlists(state: &IngestState, channel: &ChannelId) {
    let source = state.dirs.hls.join(channel.as_str());
    let rungs = RUNGS
        .iter()
        .map(|rung| ladder::rung_dir(&state.dirs.renditions, channel, rung));
    for dir in std::iter::once(source).chain(rungs) {
        end_playlist(&dir.join("index.m3u8"));
    }
}

/// What a previous run left in `root` (the live source's or the rungs' directory, one
/// directory per quality): its segments go; each quality's playlist stays, ended, for nginx to
/// number that quality's next broadcast on from (a browser may still hold the last run's
/// segments under their names).
pub(super) fn clear_last_run(root: &std::path::Path) {
    let Ok(qualities) = std::fs::read_dir(root) else {
        return;
    };
    for quality in qualities.flatten().map(|entry| entry.path()) {
        let Ok(files) = std::fs::read_dir(&quality) else {
            let _ = std::fs::remove_file(&quality);
            continue;
        };
        for file in files.flatten().map(|entry| entry.path()) {
            if file.file_name().is_some_and(|name| name == "index.m3u8") {
                end_playlist(&file);
            } else if file.is_dir() {
                let _ = std::fs::remove_dir_all(&file);
            } else {
                let _ = std::fs::remove_file(&file);
            }
        }
    }
}

fn end_playlist(path: &std::path::Path) {
    let Ok(media) = std::fs::read_to_string(path) else {
        return;
    };
    if playlists::has_ended(&media) {
        return;
    }
    // Replaced whole, so that no player reads it half written.
    let written = path.with_extension("m3u8.ended");
    let result = std::fs::write(&written, playlists::ended(&media))
        .and_then(|()| std::fs::rename(&written, path));
    if let Err(error) = result {
        tracing::warn!(%error, path = %path.display(), "cannot end a live playlist");
    }
}
