//! The files of past broadcasts on this machine: `<recordings dir>/<channel>/<recording>/`,
//! as the recorder writes them (`vod.rs`), removed when the owner deletes the broadcast.

use std::path::PathBuf;

use async_trait::async_trait;
use cloumer_domain::clip_playlist::{beside_url, plain_relative, segment_at};
use cloumer_domain::error::{PortError, PortResult};
use cloumer_domain::ports::{ClipPicture, RecordingFiles};
use cloumer_domain::recording::Recording;

pub struct LocalRecordingFiles {
    root: PathBuf,
}

impl LocalRecordingFiles {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }
}

/// A name that is one directory of ours: ids may hold dots, so `.` and `..` (and any name
/// starting with a dot) are refused rather than joined.
fn plain(name: &str) -> bool {
    !name.is_empty() && !name.starts_with('.') && !name.contains(['/', '\\'])
}

impl LocalRecordingFiles {
    /// The recording's directory, if its channel and id are plain names.
    fn dir(&self, recording: &Recording, what: &'static str) -> PortResult<PathBuf> {
        let (channel, id) = (recording.channel_id.as_str(), recording.id.as_str());
        if !plain(channel) || !plain(id) {
            return Err(PortError::new(
                what,
                format!("not a recording directory: {channel}/{id}"),
            ));
        }
        Ok(self.root.join(channel).join(id))
    }

    /// A playlist in the recording's directory (where its `index.m3u8` is).
    fn playlist(
        &self,
        recording: &Recording,
        path: &str,
        what: &'static str,
    ) -> PortResult<PathBuf> {
        if !plain_relative(path) {
            return Err(PortError::new(
                what,
                format!("not a playlist name: {path:?}"),
            ));
        }
        Ok(self.dir(recording, what)?.join(path))
    }
}

#[async_trait]
impl RecordingFiles for LocalRecordingFiles {
    async fn read_playlist(&self, recording: &Recording, path: &str) -> PortResult<Option<String>> {
        const WHAT: &str = "reading a recording's playlist";
        match tokio::fs::read_to_string(self.playlist(recording, path, WHAT)?).await {
            Ok(text) => Ok(Some(text)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(PortError::new(WHAT, e)),
        }
    }

    async fn write_playlist(
        &self,
        recording: &Recording,
        path: &str,
        text: &str,
    ) -> PortResult<()> {
        const WHAT: &str = "writing a clip's playlist";
        let target = self.playlist(recording, path, WHAT)?;
        // Written aside then renamed, so a reader never sees half a playlist; the file server
        // never serves a name starting with a dot.
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let aside = target.with_file_name(format!(".{name}.part"));
        tokio::fs::write(&aside, text)
            .await
            .map_err(|e| PortError::new(WHAT, e))?;
        tokio::fs::rename(&aside, &target)
            .await
            .map_err(|e| PortError::new(WHAT, e))
    }

    async fn delete_playlist(&self, recording: &Recording, path: &str) -> PortResult<()> {
        const WHAT: &str = "removing a clip's playlist";
        match tokio::fs::remove_file(self.playlist(recording, path, WHAT)?).await {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(PortError::new(WHAT, e)),
        }
    }

    /// A frame of the segment playing at `at_ms`, taken with ffmpeg into `<name>.jpg` beside
    /// the recording's files.
    async fn clip_picture(
        &self,
        recording: &Recording,
        at_ms: u64,
        name: &str,
    ) -> PortResult<Option<ClipPicture>> {
        const WHAT: &str = "taking a clip's picture";
        let file = format!("{name}.jpg");
        let (Some(url), true) = (recording.playlist_url.as_deref(), plain(&file)) else {
            return Ok(None);
        };
        let dir = self.dir(recording, WHAT)?;
        let Some(media) = self.read_playlist(recording, "index.m3u8").await? else {
            return Ok(None);
        };
        let Some((segment, offset_ms)) = segment_at(&media, at_ms) else {
            return Ok(None);
        };
        if !plain(&segment) {
            return Ok(None);
        }
        super::ffmpeg::snapshot(
            &dir.join(&segment),
            &dir.join(&file),
            offset_ms as f64 / 1000.0,
        )
        .await
        .map_err(|e| PortError::new(WHAT, e))?;
        Ok(Some(ClipPicture {
            url: beside_url(url, &file),
            written: Some(file),
        }))
    }

    async fn delete(&self, recording: &Recording) -> PortResult<()> {
        let dir = self.dir(recording, "removing a recording's files")?;
        match tokio::fs::remove_dir_all(&dir).await {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(PortError::new("removing a recording's files", e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_names_are_directories() {
        for name in ["rec-1", "chan_2", "a.b"] {
            assert!(plain(name), "{name}");
        }
        for name in ["", ".", "..", ".hidden", "a/b", "a\\b"] {
            assert!(!plain(name), "{name}");
        }
    }
}
