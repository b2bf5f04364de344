//! Uploaded videos: a file a streamer uploads to their channel, probed, transcoded into an HLS
//! ladder with a picture, and then played like a past broadcast.
//!
//! The file goes straight from the browser to storage in parts (S3's multipart upload, or the
//! local stack's stand-in with the same shape), each part to a URL the API signs; the API never
//! carries the bytes. Once every part is in, the upload is completed and processing starts.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::error::DomainError;
use crate::ids::{ChannelId, UserId, VideoId};
use crate::media::Refusal;
use crate::page::{ChannelListed, Listed};
use crate::profile::Language;
use crate::text;

/// The largest file one upload may be.
pub const MAX_UPLOAD_BYTES: u64 = 4 << 30;
/// What one user's videos may take together (their uploads' sizes).
pub const UPLOAD_QUOTA_BYTES: u64 = 20 << 30;
/// Every part but the last is this long: above S3's 5 MiB minimum, and the largest file is 256
/// parts, far below its 10,000.
pub const PART_BYTES: u64 = 16 << 20;
/// The most part URLs one request gets (a browser asks again as it goes).
pub const MAX_PART_URLS: usize = 50;
pub const MAX_TITLE_CHARS: usize = 100;
pub const MAX_DESCRIPTION_CHARS: usize = 5000;
pub const MAX_FILE_NAME_CHARS: usize = 255;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct VideoTitle(String);

impl VideoTitle {
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        text::clean(
            input,
            "invalid_video_title",
            "a video's title",
            1,
            MAX_TITLE_CHARS,
        )
        .map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for VideoTitle {
    type Error = DomainError;
    fn try_from(stored: String) -> Result<Self, DomainError> {
        Self::parse(&stored).or_else(|_| Ok(Self(text::salvage(&stored, MAX_TITLE_CHARS))))
    }
}

impl From<VideoTitle> for String {
    fn from(value: VideoTitle) -> Self {
        value.0
    }
}

/// A description: up to [`MAX_DESCRIPTION_CHARS`], line breaks allowed (each line is checked
/// like any other text).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct VideoDescription(String);

impl VideoDescription {
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        if input.chars().count() > MAX_DESCRIPTION_CHARS {
            return Err(DomainError::invalid(
                "invalid_video_description",
                format!("a video's description must be at most {MAX_DESCRIPTION_CHARS} characters"),
            ));
        }
        let lines = input
            .replace("\r\n", "\n")
            .split('\n')
            .map(|line| {
                text::clean(
                    line,
                    "invalid_video_description",
                    "a video's description",
                    0,
                    MAX_DESCRIPTION_CHARS,
                )
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self(lines.join("\n").trim().to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for VideoDescription {
    type Error = DomainError;
    fn try_from(stored: String) -> Result<Self, DomainError> {
        Self::parse(&stored).or_else(|_| {
            Ok(Self(
                stored
                    .split('\n')
                    .map(|line| text::salvage(line, MAX_DESCRIPTION_CHARS))
                    .collect::<Vec<_>>()
                    .join("\n")
                    .chars()
                    .take(MAX_DESCRIPTION_CHARS)
                    .collect(),
            ))
        })
    }
}

impl From<VideoDescription> for String {
    fn from(value: VideoDescription) -> Self {
        value.0
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum VideoStatus {
    /// Parts are being sent.
    Uploading,
    /// Every part is in and the file is whole: waiting to be probed and processed.
    Uploaded,
    /// Being transcoded ([`Video::progress`] says how far).
    Processing,
    /// It plays.
    Ready,
    /// Refused or failed ([`Video::failure`] says why); nothing of it is published.
    Failed,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Video {
    pub id: VideoId,
    pub channel_id: ChannelId,
    pub uploader: UserId,
    pub title: VideoTitle,
    #[serde(default)]
    pub description: VideoDescription,
    /// Shown only to the channel's allowed viewers, whatever the channel's own setting.
    pub private: bool,
    /// The name the file had on the uploader's machine (shown to them only).
    pub file_name: String,
    pub size_bytes: u64,
    /// The storage's multipart upload, while the parts are being sent.
    pub upload_id: Option<String>,
    pub status: VideoStatus,
    /// 0–100 while processing.
    pub progress: u8,
    /// Why it failed, for the uploader.
    #[serde(default, deserialize_with = "Refusal::stored")]
    pub failure: Option<Refusal>,
    /// How long it plays, once probed.
    pub duration_ms: Option<u64>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    /// Its multivariant playlist and its picture, once ready.
    pub playlist_url: Option<String>,
    pub thumbnail_url: Option<String>,
}

impl Video {
    /// What it takes of its channel's [`UPLOAD_QUOTA_BYTES`]: its file's size, unless it failed
    /// (then nothing of it is kept).
    pub fn stored_bytes(&self) -> u64 {
        if self.status == VideoStatus::Failed {
            0
        } else {
            self.size_bytes
        }
    }

    /// How many parts the upload is sent in.
    pub fn part_count(&self) -> u32 {
        part_count(self.size_bytes)
    }

    /// How long part `number` (1-based) must be.
    pub fn part_size(&self, number: u32) -> u64 {
        let start = u64::from(number - 1) * PART_BYTES;
        self.size_bytes.saturating_sub(start).min(PART_BYTES)
    }

    /// Whether anyone but the uploader's channel may see it now.
    pub fn published(&self) -> bool {
        self.status == VideoStatus::Ready
    }

    /// Whether its files are still being made (a job or an upload may still write them).
    pub fn in_progress(&self) -> bool {
        matches!(
            self.status,
            VideoStatus::Uploading | VideoStatus::Uploaded | VideoStatus::Processing
        )
    }
}

/// How many [`PART_BYTES`] parts a file of `size_bytes` takes.
pub fn part_count(size_bytes: u64) -> u32 {
    u32::try_from(size_bytes.div_ceil(PART_BYTES).max(1)).unwrap_or(u32::MAX)
}

/// A file name as the uploader's browser gave it, kept for them to recognise: control and
/// direction characters refused, at most [`MAX_FILE_NAME_CHARS`]. Never used as a path.
pub fn check_file_name(input: &str) -> Result<String, DomainError> {
    text::clean(
        input,
        "invalid_file_name",
        "a file name",
        1,
        MAX_FILE_NAME_CHARS,
    )
}

/// A position in a channel's videos, newest first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VideoCursor {
    pub at: OffsetDateTime,
    pub id: VideoId,
}

impl ChannelListed for Video {
    fn key(&self) -> &str {
        self.id.as_str()
    }
    fn channel(&self) -> &ChannelId {
        &self.channel_id
    }
    fn created_at(&self) -> OffsetDateTime {
        self.created_at
    }
}

impl Listed for Video {
    type Cursor = VideoCursor;
    fn cursor(&self) -> VideoCursor {
        VideoCursor {
            at: self.created_at,
            id: self.id.clone(),
        }
    }
}

/// A part the storage holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UploadedPart {
    pub number: u32,
    /// The storage's tag for it (S3's ETag), which completing the upload names.
    pub etag: String,
    pub size_bytes: u64,
}

/// "Your video is ready", by email to its uploader, in their language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VideoReadyEmail {
    pub to: String,
    pub language: Language,
    pub user_id: UserId,
    pub video_id: VideoId,
    pub title: String,
}

/// "A video is ready to watch": what the job's end announces (an SNS topic in the cloud, a
/// background task locally) to whoever acts on it, with what a message about it needs. Its
/// metadata is the probe's, taken before the job; the video is already published when this is
/// sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VideoReady {
    pub video_id: VideoId,
    pub channel_id: ChannelId,
    pub uploader: UserId,
    pub title: String,
    pub private: bool,
    pub duration_ms: Option<u64>,
    #[serde(with = "time::serde::rfc3339")]
    pub ready_at: OffsetDateTime,
    pub channel_handle: String,
    pub owner_nickname: String,
    pub owner_avatar: String,
}

/// What a finished transcoding job made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transcoded {
    pub playlist_url: String,
    pub thumbnail_url: Option<String>,
}

/// Each part of `video`'s upload that is in whole (the right length), by number (the first
/// slot is part 1).
fn whole_parts<'a>(video: &Video, parts: &'a [UploadedPart]) -> Vec<Option<&'a UploadedPart>> {
    let mut by_number: Vec<Option<&UploadedPart>> = vec![None; video.part_count() as usize];
    for part in parts {
        let slot = part
            .number
            .checked_sub(1)
            .and_then(|i| by_number.get_mut(i as usize));
        if let Some(slot) = slot
            && part.size_bytes == video.part_size(part.number)
        {
            *slot = Some(part);
        }
    }
    by_number
}

/// The numbers of the parts of `video`'s upload that are in whole, in order.
pub fn uploaded_parts(video: &Video, parts: &[UploadedPart]) -> Vec<u32> {
    (1..)
        .zip(whole_parts(video, parts))
        .filter_map(|(number, part)| part.map(|_| number))
        .collect()
}

/// The parts of `video`'s upload that are in and whole (the right length), in order, if every
/// part is: else the numbers still missing.
pub fn whole_upload(video: &Video, parts: &[UploadedPart]) -> Result<Vec<UploadedPart>, Vec<u32>> {
    let by_number = whole_parts(video, parts);
    let missing: Vec<u32> = (1..)
        .zip(&by_number)
        .filter_map(|(number, part)| part.is_none().then_some(number))
        .collect();
    if missing.is_empty() {
        Ok(by_number.into_iter().flatten().cloned().collect())
    } else {
        Err(missing)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn video(size_bytes: u64) -> Video {
        let at = OffsetDateTime::UNIX_EPOCH;
        Video {
            id: VideoId::generate(),
            channel_id: crate::test_support::channel("u1", "one").id,
            uploader: UserId::parse("u1").unwrap(),
            title: VideoTitle::parse("A video").unwrap(),
            description: VideoDescription::default(),
            private: false,
            file_name: "a.mp4".into(),
            size_bytes,
            upload_id: Some("up".into()),
            status: VideoStatus::Uploading,
            progress: 0,
            failure: None,
            duration_ms: None,
            created_at: at,
            updated_at: at,
            playlist_url: None,
            thumbnail_url: None,
        }
    }

    fn part(number: u32, size_bytes: u64) -> UploadedPart {
        UploadedPart {
            number,
            etag: format!("\"{number}\""),
            size_bytes,
        }
    }

    #[test]
    fn a_file_is_cut_into_whole_parts_and_a_shorter_last_one() {
        let v = video(2 * PART_BYTES + 10);
        assert_eq!(v.part_count(), 3);
        assert_eq!(v.part_size(1), PART_BYTES);
        assert_eq!(v.part_size(3), 10);
        assert_eq!(video(PART_BYTES).part_count(), 1);
        assert_eq!(video(1).part_count(), 1);
        assert_eq!(part_count(MAX_UPLOAD_BYTES), 256);
    }

    #[test]
    fn an_upload_is_whole_only_with_every_part_at_its_length() {
        let v = video(2 * PART_BYTES + 10);
        let all = [part(2, PART_BYTES), part(1, PART_BYTES), part(3, 10)];
        let whole = whole_upload(&v, &all).unwrap();
        assert_eq!(
            whole.iter().map(|p| p.number).collect::<Vec<_>>(),
            [1, 2, 3]
        );
        assert_eq!(whole_upload(&v, &all[..2]), Err(vec![3]));
        // A short middle part (a browser that sliced the file wrongly) is as good as missing,
        // and parts past the end or numbered 0 are ignored.
        let short = [
            part(1, PART_BYTES),
            part(2, 5),
            part(3, 10),
            part(0, 1),
            part(9, 1),
        ];
        assert_eq!(whole_upload(&v, &short), Err(vec![2]));
    }

    #[test]
    fn the_parts_in_are_those_whole_at_their_number_once_each() {
        let v = video(2 * PART_BYTES + 10);
        let parts = [
            part(3, 10),
            part(1, 10),
            part(2, PART_BYTES),
            part(2, PART_BYTES),
            part(9, PART_BYTES),
            part(0, PART_BYTES),
        ];
        assert_eq!(uploaded_parts(&v, &parts), [2, 3]);
        assert_eq!(whole_upload(&v, &parts), Err(vec![1]));
    }

    #[test]
    fn descriptions_keep_their_lines_and_refuse_hidden_characters() {
        let d = VideoDescription::parse("first line\r\nsecond\n\n").unwrap();
        assert_eq!(d.as_str(), "first line\nsecond");
        assert!(VideoDescription::parse("a\u{202e}b").is_err());
        assert!(VideoDescription::parse(&"x".repeat(MAX_DESCRIPTION_CHARS + 1)).is_err());
        assert!(VideoTitle::parse("  ").is_err());
        assert!(check_file_name("clip\u{0}.mp4").is_err());
    }
}
