//! The files of past broadcasts on this machine: `<recordings dir>/<channel>/<recording>/`,
//! as the recorder writes them (`vod.rs`), removed when the owner deletes the broadcast.

use std::path::PathBuf;

use async_trait::async_trait;
use cloumer_domain::error::{PortError, PortResult};
use cloumer_domain::ports::RecordingFiles;
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

#[async_trait]
impl RecordingFiles for LocalRecordingFiles {
    async fn delete(&self, recording: &Recording) -> PortResult<()> {
        let (channel, id) = (recording.channel_id.as_str(), recording.id.as_str());
        if !plain(channel) || !plain(id) {
            return Err(PortError::new(
                "removing a recording's files",
                format!("not a recording directory: {channel}/{id}"),
            ));
        }
        let dir = self.root.join(channel).join(id);
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
