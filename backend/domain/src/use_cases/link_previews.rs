//! What a shared link to one of the app's pages says before anyone opens it: the card a chat
//! app, a social site or a messenger draws from the page's Open Graph tags. Their crawlers run
//! no JavaScript, so the page's HTML must carry it. It is told as to a visitor who is not signed
//! in: a private channel's page, or a private clip's, tells nothing; nor does a suspended
//! channel's, or anything of it.

use crate::channel::Channel;
use crate::error::{DomainError, DomainResult};
use crate::ids::{ClipId, RecordingId, VideoId};
use crate::platform::Platform;
use crate::use_cases::directory::view;

/// A page of the app a link can name, as its path says (`/<handle>`, `/clips/<id>`,
/// `/videos/<id>`); the ids are as the path gives them, checked here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SharedPage<'a> {
    Channel(&'a str),
    Clip(&'a str),
    /// An uploaded video or a past broadcast: the app shows both at `/videos/<id>`.
    Video(&'a str),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkPreview {
    /// What the page shows: the streamer, or the clip's or video's title (the streamer's name
    /// when it has none).
    pub title: String,
    /// A line about it: a channel's stream title, a video's description, or whose a clip is.
    /// Empty when there is nothing to say.
    pub description: String,
    /// A picture of it.
    pub picture: CardPicture,
    /// Video to watch (a live channel, a clip, a video): cards show a large picture for it.
    pub video: bool,
    /// Whose it is (an oEmbed answer's author).
    pub streamer: Streamer,
}

/// A streamer as a link's preview names them: their name, and their channel's handle (its page
/// is `/<handle>`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Streamer {
    pub nickname: String,
    pub handle: String,
}

impl Streamer {
    fn of(channel: &Channel) -> Self {
        Self {
            nickname: channel.owner_nickname.as_str().to_owned(),
            handle: channel.handle.as_str().to_owned(),
        }
    }
}

/// A card's picture, as a site path or a whole URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CardPicture {
    /// A frame of the video: the live stream's latest, or the clip's or video's. Cards show it
    /// large.
    Frame(String),
    /// The streamer's avatar (its PNG copy: crawlers draw no SVG), for what has no frame: an
    /// offline channel, or a video whose picture is not made yet. Cards show it as a small square.
    Avatar(String),
}

impl CardPicture {
    /// `frame`, or else the channel's streamer. A channel marked for adults shows no frame:
    /// a card pasted in a chat app or a feed cannot ask first, as its pages do.
    fn frame_or_avatar(frame: Option<String>, channel: &Channel) -> Self {
        frame.filter(|_| !channel.mature).map_or_else(
            || Self::Avatar(channel.owner_avatar.png_path()),
            Self::Frame,
        )
    }
}

impl Platform {
    /// The preview of `page`, or `None` when a visitor who is not signed in may not see it or
    /// it does not exist (its link then shows the site's own card).
    pub async fn link_preview(&self, page: SharedPage<'_>) -> DomainResult<Option<LinkPreview>> {
        let preview = match page {
            SharedPage::Channel(handle) => self.channel_preview(handle).await,
            SharedPage::Clip(id) => self.clip_preview(id).await,
            SharedPage::Video(id) => self.video_preview(id).await,
        };
        match preview {
            Err(DomainError::NotFound(_)) => Ok(None),
            other => other,
        }
    }

    /// One read of the channel (and the video service's live list while it is live): not the
    /// channel page's follower count, which a card does not show.
    async fn channel_preview(&self, handle: &str) -> DomainResult<Option<LinkPreview>> {
        let channel = self.channel_by_handle(handle).await?;
        // Suspended: shown to nobody but its owner (its title or bio may be why).
        if channel.private || channel.is_suspended(self.now()) {
            return Ok(None);
        }
        let status = self.live_status(&channel).await;
        let view = view(channel, status, None, true);
        let live = view.is_live();
        let frame = live
            .then(|| view.thumbnail_url().map(str::to_owned))
            .flatten();
        // What is on while live; otherwise what the channel says of itself, when it does.
        let bio = view.channel.about.as_ref().map(|a| a.bio.as_str());
        let description = match bio {
            Some(bio) if !live && !bio.is_empty() => bio,
            _ => view.channel.title.as_str(),
        };
        Ok(Some(LinkPreview {
            title: view.channel.owner_nickname.as_str().to_owned(),
            description: description.to_owned(),
            picture: CardPicture::frame_or_avatar(frame, &view.channel),
            video: live,
            streamer: Streamer::of(&view.channel),
        }))
    }

    async fn clip_preview(&self, id: &str) -> DomainResult<Option<LinkPreview>> {
        let id = ClipId::parse(id).map_err(|_| DomainError::NotFound("clip"))?;
        let (clip, channel) = self.clip(&id, None).await?;
        Ok(Some(LinkPreview {
            title: clip.title.as_str().to_owned(),
            description: streamer(&channel),
            picture: CardPicture::frame_or_avatar(clip.thumbnail_url, &channel),
            video: true,
            streamer: Streamer::of(&channel),
        }))
    }

    async fn video_preview(&self, id: &str) -> DomainResult<Option<LinkPreview>> {
        // Uploads' ids start "vd" (see `VideoId::generate`); the app tells them apart the same way.
        if id.starts_with("vd") {
            let id = VideoId::parse(id).map_err(|_| DomainError::NotFound("video"))?;
            let (video, channel) = self.video(&id, None).await?;
            let description = match video.description.as_str() {
                "" => streamer(&channel),
                said => said.to_owned(),
            };
            return Ok(Some(LinkPreview {
                title: titled(video.title.as_str(), &channel),
                description,
                picture: CardPicture::frame_or_avatar(video.thumbnail_url, &channel),
                video: true,
                streamer: Streamer::of(&channel),
            }));
        }
        let id = RecordingId::parse(id).map_err(|_| DomainError::NotFound("recording"))?;
        let (recording, channel) = self.recording(&id, None).await?;
        Ok(Some(LinkPreview {
            title: titled(recording.title.as_str(), &channel),
            description: streamer(&channel),
            picture: CardPicture::frame_or_avatar(recording.thumbnail_url, &channel),
            video: true,
            streamer: Streamer::of(&channel),
        }))
    }
}

fn streamer(channel: &Channel) -> String {
    channel.owner_nickname.as_str().to_owned()
}

/// A title, or the streamer's name for an untitled one (the app's "Untitled stream" is in the
/// reader's language, which a card cannot know).
fn titled(title: &str, channel: &Channel) -> String {
    if title.trim().is_empty() {
        streamer(channel)
    } else {
        title.to_owned()
    }
}
