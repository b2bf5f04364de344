//! Starting after a crash. A previous run that died during broadcasts left their channels live in
//! the store, their recordings unfinished, and nginx's partly written FLV files behind: end the
//! broadcasts, and make what was recorded a playable past broadcast (a recording with nothing to
//! play fails, and viewers are not shown it).

use std::path::{Path, PathBuf};

use cloumer_domain::ids::ChannelId;
use cloumer_domain::recording::Recording;
use time::OffsetDateTime;

use super::IngestState;
use super::vod::{self, Recorded};

/// How much earlier than its recording's start an FLV may have been opened (nginx names the file
/// when the relay starts, just before the broadcast's start is recorded).
const FLV_LEAD: time::Duration = time::Duration::seconds(60);

pub(super) async fn recover(state: &IngestState) {
    let mut channels = match state.platform.end_stale_broadcasts().await {
        Ok(ended) => ended,
        Err(error) => {
            tracing::warn!(%error, "could not end the broadcasts a previous run left live");
            Vec::new()
        }
    };
    let leftovers = leftover_flvs(&state.dirs.flv);
    // A crash just after a broadcast ended, before its recording was kept, leaves a channel
    // that is not live with an FLV: its recording is unfinished too.
    for (channel, _, _) in &leftovers {
        if !channels.contains(channel) {
            channels.push(channel.clone());
        }
    }
    for channel in channels {
        let Ok(unfinished) = state.platform.unfinished_recordings(&channel).await else {
            continue;
        };
        for recording in unfinished {
            let recorded = Recorded {
                recording_id: recording.id.clone(),
                stream_id: recording.stream_id.clone(),
                started_at: recording.started_at.unwrap_or_else(|| state.clock.now()),
                private: recording.private,
            };
            match flv_of(&leftovers, &channel, &recording) {
                Some(flv) => vod::keep(state, &channel, &recorded, flv).await,
                None => {
                    let event = vod::failed(&channel, &recorded, state.clock.now());
                    let _ = state.platform.handle_recording_event(&event).await;
                }
            }
        }
    }
    // What no recording claimed (a channel that does not record) is of no use.
    for (_, _, path) in &leftovers {
        let _ = std::fs::remove_file(path);
    }
}

/// nginx's recordings left in `dir`: `<channel>-<unix time>.flv` (`record_unique`).
fn leftover_flvs(dir: &Path) -> Vec<(ChannelId, OffsetDateTime, PathBuf)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<_> = entries
        .flatten()
        .filter_map(|entry| {
            let path = entry.path();
            let (channel, opened) = parse_name(path.file_name()?.to_str()?)?;
            Some((channel, opened, path))
        })
        .collect();
    found.sort_by_key(|(_, opened, _)| *opened);
    found
}

fn parse_name(name: &str) -> Option<(ChannelId, OffsetDateTime)> {
    let stem = name.strip_suffix(".flv")?;
    let (channel, time) = stem.rsplit_once('-')?;
    let opened = OffsetDateTime::from_unix_timestamp(time.parse().ok()?).ok()?;
    Some((ChannelId::parse(channel).ok()?, opened))
}

/// The FLV holding `recording`: the first of its channel's opened since the recording started
/// (less nginx's lead); later ones belong to later broadcasts.
fn flv_of<'a>(
    leftovers: &'a [(ChannelId, OffsetDateTime, PathBuf)],
    channel: &ChannelId,
    recording: &Recording,
) -> Option<&'a Path> {
    let start = recording.started_at?;
    leftovers
        .iter()
        .filter(|(c, opened, _)| c == channel && *opened >= start - FLV_LEAD)
        .min_by_key(|(_, opened, _)| *opened)
        .map(|(_, _, path)| path.as_path())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nginx_names_recordings_by_channel_and_time() {
        let (channel, opened) = parse_name("chAbc123-1796000000.flv").unwrap();
        assert_eq!(channel.as_str(), "chAbc123");
        assert_eq!(opened.unix_timestamp(), 1_796_000_000);
        for other in [
            "chAbc123.flv",
            "chAbc123-x.flv",
            "chAbc123-1796000000.mp4",
            "-1.flv",
        ] {
            assert!(parse_name(other).is_none(), "{other}");
        }
    }
}
