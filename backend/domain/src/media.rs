//! What an uploaded file must be before anything transcodes it: a video in a container and with
//! codecs we take, of a size and length we serve. The prober (ffprobe locally, a header reader in
//! the cloud) says what the file is; these rules decide, the same in both worlds.

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

/// Whether `info` is a video we take; the reason, for the uploader, when it is not.
pub fn check(info: &MediaInfo) -> Result<(), String> {
    if !CONTAINERS.contains(&info.container) {
        return Err("the file must be an MP4, MOV, MKV or WebM video".into());
    }
    let Some(video) = &info.video_codec else {
        return Err("the file has no video in it".into());
    };
    if !VIDEO_CODECS.contains(&video.as_str()) {
        return Err(format!(
            "its video is {video}; we take H.264, H.265, VP8, VP9 or AV1"
        ));
    }
    if let Some(audio) = &info.audio_codec
        && !AUDIO_CODECS.contains(&audio.as_str())
    {
        return Err(format!(
            "its sound is {audio}; we take AAC, MP3, Opus, Vorbis or AC-3"
        ));
    }
    let (w, h) = (info.width, info.height);
    if w < MIN_SIDE || h < MIN_SIDE || w > MAX_SIDE || h > MAX_SIDE {
        return Err(format!(
            "its picture is {w}×{h}; each side must be {MIN_SIDE}–{MAX_SIDE} pixels"
        ));
    }
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(format!(
            "its picture is {w}×{h}; the most we take is 4K (3840×2160)"
        ));
    }
    let millis = |d: Duration| d.whole_milliseconds() as u64;
    if info.duration_ms < millis(MIN_DURATION) {
        return Err("it is shorter than a second".into());
    }
    if info.duration_ms > millis(MAX_DURATION) {
        return Err("it is longer than 4 hours".into());
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
        let refused = |info: MediaInfo| check(&info).unwrap_err();
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
}
