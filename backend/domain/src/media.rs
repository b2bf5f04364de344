//! What an uploaded file must be before anything transcodes it: a video in a container and with
//! codecs we take, of a size and length we serve. The prober (ffprobe locally, a header reader in
//! the cloud) says what the file is; these rules decide, the same in both worlds.

use serde::{Deserialize, Serialize};
use time::Duration;

/// The longest video we take.
pub const MAX_DURATION: Duration = Duration::hours(4);
/// The shortest: anything shorter is not worth a player.
pub const MIN_DURATION: Duration = Duration::seconds(1);
/// The largest picture (4K UHD either way round).
pub const MAX_PIXELS: u64 = 3840 * 2160;
pub const MAX_SIDE: u32 = 4096;
pub const MIN_SIDE: u32 = 16;

/// Containers we take, as ffprobe names their families.
const CONTAINERS: [Container; 2] = [Container::Mp4, Container::Matroska];
/// Video codecs we take.
const VIDEO_CODECS: [&str; 5] = ["h264", "hevc", "vp8", "vp9", "av1"];
/// Audio codecs we take (a video without sound is fine).
const AUDIO_CODECS: [&str; 5] = ["aac", "mp3", "opus", "vorbis", "ac3"];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Container {
    /// MP4 and QuickTime (`.mp4`, `.mov`, `.m4v`).
    Mp4,
    /// Matroska and WebM.
    Matroska,
    Other,
}

impl Container {
    /// From ffprobe's `format_name` (e.g. `mov,mp4,m4a,3gp,3g2,mj2`, `matroska,webm`).
    pub fn from_format_name(name: &str) -> Self {
        let names: Vec<&str> = name.split(',').collect();
        if names.contains(&"mp4") || names.contains(&"mov") {
            Self::Mp4
        } else if names.contains(&"matroska") || names.contains(&"webm") {
            Self::Matroska
        } else {
            Self::Other
        }
    }
}

/// What a prober found in a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MediaInfo {
    pub container: Container,
    /// The first video stream's codec (ffprobe's `codec_name`), if it has one.
    pub video_codec: Option<String>,
    pub audio_codec: Option<String>,
    pub width: u32,
    pub height: u32,
    pub duration_ms: u64,
}

/// Why an upload is not published, for its uploader: a stable code, which apps say in the
/// uploader's language, and what was found when the reason names it. Displayed, the English
/// sentence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", content = "found", rename_all = "snake_case")]
pub enum Refusal {
    /// No prober could read it as media.
    Unreadable,
    /// Media in a container we do not take.
    Container,
    NoVideo,
    /// Its video codec (ffprobe's name).
    VideoCodec(String),
    /// Its audio codec (ffprobe's name).
    AudioCodec(String),
    /// Its picture (`W×H`), a side outside [`MIN_SIDE`]–[`MAX_SIDE`].
    PictureSize(String),
    /// Its picture (`W×H`), more pixels than 4K.
    Over4k(String),
    TooShort,
    TooLong,
    /// It was taken but the transcoder could not make it.
    NotTranscoded,
    /// A reason recorded as a sentence (before reasons had codes).
    Other(String),
}

impl Refusal {
    /// The stable code apps translate (`video_codec`, …).
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unreadable => "unreadable",
            Self::Container => "container",
            Self::NoVideo => "no_video",
            Self::VideoCodec(_) => "video_codec",
            Self::AudioCodec(_) => "audio_codec",
            Self::PictureSize(_) => "picture_size",
            Self::Over4k(_) => "over_4k",
            Self::TooShort => "too_short",
            Self::TooLong => "too_long",
            Self::NotTranscoded => "not_transcoded",
            Self::Other(_) => "other",
        }
    }

    /// What the reason names (a codec, a picture's size), if it names something.
    pub fn found(&self) -> Option<&str> {
        match self {
            Self::VideoCodec(found)
            | Self::AudioCodec(found)
            | Self::PictureSize(found)
            | Self::Over4k(found) => Some(found),
            _ => None,
        }
    }

    /// A reason as stored: a [`Refusal`], or the sentence stored before reasons had codes.
    pub fn stored<'de, D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Self>, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Stored {
            Coded(Refusal),
            Sentence(String),
        }
        Ok(match Option::<Stored>::deserialize(deserializer)? {
            Some(Stored::Coded(refusal)) => Some(refusal),
            Some(Stored::Sentence(sentence)) => Some(Self::Other(sentence)),
            None => None,
        })
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Unreadable => {
                f.write_str("the file is not a video we can read (an MP4, MOV, MKV or WebM file)")
            }
            Self::Container => f.write_str("the file must be an MP4, MOV, MKV or WebM video"),
            Self::NoVideo => f.write_str("the file has no video in it"),
            Self::VideoCodec(codec) => {
                write!(
                    f,
                    "its video is {codec}; we take H.264, H.265, VP8, VP9 or AV1"
                )
            }
            Self::AudioCodec(codec) => {
                write!(
                    f,
                    "its sound is {codec}; we take AAC, MP3, Opus, Vorbis or AC-3"
                )
            }
            Self::PictureSize(size) => write!(
                f,
                "its picture is {size}; each side must be {MIN_SIDE}–{MAX_SIDE} pixels"
            ),
            Self::Over4k(size) => {
                write!(
                    f,
                    "its picture is {size}; the most we take is 4K (3840×2160)"
                )
            }
            Self::TooShort => f.write_str("it is shorter than a second"),
            Self::TooLong => f.write_str("it is longer than 4 hours"),
            Self::NotTranscoded => f.write_str("the video could not be transcoded"),
            Self::Other(sentence) => f.write_str(sentence),
        }
    }
}

/// Whether `info` is a video we take; the reason, for the uploader, when it is not.
pub fn check(info: &MediaInfo) -> Result<(), Refusal> {
    if !CONTAINERS.contains(&info.container) {
        return Err(Refusal::Container);
    }
    let Some(video) = &info.video_codec else {
        return Err(Refusal::NoVideo);
    };
    if !VIDEO_CODECS.contains(&video.as_str()) {
        return Err(Refusal::VideoCodec(video.clone()));
    }
    if let Some(audio) = &info.audio_codec
        && !AUDIO_CODECS.contains(&audio.as_str())
    {
        return Err(Refusal::AudioCodec(audio.clone()));
    }
    let (w, h) = (info.width, info.height);
    if w < MIN_SIDE || h < MIN_SIDE || w > MAX_SIDE || h > MAX_SIDE {
        return Err(Refusal::PictureSize(format!("{w}×{h}")));
    }
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(Refusal::Over4k(format!("{w}×{h}")));
    }
    let millis = |d: Duration| d.whole_milliseconds() as u64;
    if info.duration_ms < millis(MIN_DURATION) {
        return Err(Refusal::TooShort);
    }
    if info.duration_ms > millis(MAX_DURATION) {
        return Err(Refusal::TooLong);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h264() -> MediaInfo {
        MediaInfo {
            container: Container::from_format_name("mov,mp4,m4a,3gp,3g2,mj2"),
            video_codec: Some("h264".into()),
            audio_codec: Some("aac".into()),
            width: 1280,
            height: 720,
            duration_ms: 20_000,
        }
    }

    #[test]
    fn an_ordinary_phone_video_passes() {
        assert_eq!(check(&h264()), Ok(()));
        let silent_webm = MediaInfo {
            container: Container::from_format_name("matroska,webm"),
            video_codec: Some("vp9".into()),
            audio_codec: None,
            ..h264()
        };
        assert_eq!(check(&silent_webm), Ok(()));
    }

    #[test]
    fn what_is_not_a_video_we_take_is_refused_with_its_reason() {
        let refused = |info: MediaInfo| check(&info).unwrap_err().to_string();
        assert!(
            refused(MediaInfo {
                container: Container::from_format_name("mp3"),
                ..h264()
            })
            .contains("MP4")
        );
        assert!(
            refused(MediaInfo {
                video_codec: None,
                ..h264()
            })
            .contains("no video")
        );
        assert!(
            refused(MediaInfo {
                video_codec: Some("mjpeg".into()),
                ..h264()
            })
            .contains("mjpeg")
        );
        assert!(
            refused(MediaInfo {
                audio_codec: Some("pcm_s16le".into()),
                ..h264()
            })
            .contains("pcm_s16le")
        );
        assert!(
            refused(MediaInfo {
                width: 4096,
                height: 4096,
                ..h264()
            })
            .contains("4K")
        );
        assert!(refused(MediaInfo { width: 8, ..h264() }).contains("16–4096"));
        assert!(
            refused(MediaInfo {
                duration_ms: 5 * 3600 * 1000,
                ..h264()
            })
            .contains("4 hours")
        );
    }

    #[test]
    fn reasons_are_stored_by_code_and_old_sentences_still_read() {
        #[derive(Serialize, Deserialize, PartialEq, Debug)]
        struct Stored {
            #[serde(deserialize_with = "Refusal::stored")]
            failure: Option<Refusal>,
        }
        let coded = Stored {
            failure: Some(Refusal::VideoCodec("mjpeg".into())),
        };
        let json = serde_json::to_string(&coded).unwrap();
        assert_eq!(
            json,
            r#"{"failure":{"code":"video_codec","found":"mjpeg"}}"#
        );
        assert_eq!(serde_json::from_str::<Stored>(&json).unwrap(), coded);
        let unit = r#"{"failure":{"code":"too_long"}}"#;
        assert_eq!(
            serde_json::from_str::<Stored>(unit).unwrap().failure,
            Some(Refusal::TooLong)
        );
        let old = r#"{"failure":"it is longer than 4 hours"}"#;
        let read = serde_json::from_str::<Stored>(old)
            .unwrap()
            .failure
            .unwrap();
        assert_eq!(
            (read.code(), read.to_string().as_str()),
            ("other", "it is longer than 4 hours")
        );
        assert_eq!(
            serde_json::from_str::<Stored>(r#"{"failure":null}"#)
                .unwrap()
                .failure,
            None
        );
        assert_eq!(Refusal::VideoCodec("mjpeg".into()).found(), Some("mjpeg"));
    }
}
