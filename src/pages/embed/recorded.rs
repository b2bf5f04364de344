//! A clip, past broadcast or uploaded video, embedded: it plays at once (muted until the viewer
//! unmutes, as browsers allow), and one still being made (a live clip waiting for its broadcast
//! to end, a video being processed) plays as soon as it is ready.

use cloumer_api_types::{ClipBody, RecordingBody, VideoBody};
use leptos::prelude::*;

use super::{EmbedLink, notice};
use crate::api::use_api;
use crate::components::{Loaded, avatar_src, linked_start, name_page, or_untitled, video_name};
use crate::i18n::use_i18n;
use crate::player::{MatureGate, NowPlaying, VideoPlayer, describe_playing};
use crate::reactive::Fetch;

/// Which of the site's recorded pages the path named.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Clip,
    Recording,
    Video,
}

/// How often one still being made is asked about again.
const WAITING_REFRESH: std::time::Duration = std::time::Duration::from_secs(10);

/// What an embed shows of one, whichever kind it is.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Recorded {
    title: String,
    by: String,
    avatar: String,
    /// Its page on the site, which the embed links to.
    page: String,
    showing: Showing,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Showing {
    /// Its playlist, and its channel's handle when marked for adults (the viewer is asked
    /// first).
    Playing {
        playlist: String,
        mature_channel: Option<String>,
    },
    Waiting,
    /// Its viewers are checked on the site itself, where a session is (a third-party frame's
    /// storage is usually partitioned away from it).
    Private,
    /// It could not be made (a failed upload or recording).
    Unplayable,
}

impl Showing {
    fn of(
        private: bool,
        playlist: Option<String>,
        waiting: bool,
        mature_channel: Option<String>,
    ) -> Self {
        match playlist {
            _ if private => Self::Private,
            Some(playlist) => Self::Playing {
                playlist,
                mature_channel,
            },
            None if waiting => Self::Waiting,
            None => Self::Unplayable,
        }
    }
}

impl From<ClipBody> for Recorded {
    fn from(c: ClipBody) -> Self {
        Self {
            page: format!("/clips/{}", crate::api::encode(&c.id)),
            showing: Showing::of(
                c.private,
                c.playlist_url,
                c.status == "PENDING",
                c.mature.then_some(c.channel_handle),
            ),
            title: c.title,
            by: c.owner_nickname,
            avatar: c.owner_avatar,
        }
    }
}

impl From<RecordingBody> for Recorded {
    fn from(r: RecordingBody) -> Self {
        Self {
            page: format!("/videos/{}", crate::api::encode(&r.id)),
            showing: Showing::of(
                r.private,
                r.playlist_url,
                false,
                r.mature.then_some(r.channel_handle),
            ),
            title: r.title,
            by: r.owner_nickname,
            avatar: r.owner_avatar,
        }
    }
}

impl From<VideoBody> for Recorded {
    fn from(v: VideoBody) -> Self {
        let waiting = crate::pages::video::in_progress(&v);
        Self {
            page: format!("/videos/{}", crate::api::encode(&v.id)),
            showing: Showing::of(
                v.private,
                v.playlist_url,
                waiting,
                v.mature.then_some(v.channel_handle),
            ),
            title: v.title,
            by: v.owner_nickname,
            avatar: v.owner_avatar,
        }
    }
}

#[component]
pub fn EmbedRecorded(kind: Kind, id: String) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let id = StoredValue::new(id);
    let item = Fetch::new(move || async move {
        let id = id.get_value();
        match kind {
            Kind::Clip => api.clip(&id).await.map(Recorded::from),
            Kind::Recording => api.recording(&id).await.map(Recorded::from),
            Kind::Video => api.video(&id).await.map(Recorded::from),
        }
    });
    // The latest good answer: a failed look while waiting keeps the notice.
    let latest = item.latest_ok();
    let showing = Memo::new(move |_| latest.with(|r| r.as_ref().map(|r| r.showing.clone())));
    item.refresh_every(WAITING_REFRESH, move || {
        showing.get_untracked() == Some(Showing::Waiting)
    });
    name_page(move || {
        latest.with(|r| {
            r.as_ref()
                .map(|r| video_name(&r.title, i18n.t().untitled, &r.by))
        })
    });
    describe_playing(move || {
        latest.with(|r| {
            let r = r
                .as_ref()
                .filter(|r| matches!(r.showing, Showing::Playing { .. }))?;
            Some(NowPlaying {
                title: or_untitled(&r.title, i18n.t().untitled).to_owned(),
                streamer: r.by.clone(),
                artwork: avatar_src(&r.avatar),
            })
        })
    });
    // Once it is known: no link to a page that is not there.
    let link = move || {
        latest.with(|r| {
            r.as_ref().map(|r| {
                let name = or_untitled(&r.title, i18n.t().untitled).to_owned();
                view! { <EmbedLink href=r.page.clone() name=name by=r.by.clone() /> }
            })
        })
    };

    view! {
        <div class="embed">
            <Loaded retry=move || item.refetch()>
                {move || Suspend::new(async move {
                    match item.await {
                        Err(error) if error.status == 404 => Ok(notice(|t| t.embed_gone).into_any()),
                        Err(error) => Err(error),
                        Ok(_) => Ok(().into_any()),
                    }
                })}
            </Loaded>
            {move || showing.get().map(|showing| match showing {
                Showing::Playing { playlist, mature_channel } => view! {
                    <MatureGate mature=mature_channel.is_some() handle=mature_channel.unwrap_or_default()>
                        <VideoPlayer url=Signal::stored(Some(playlist.clone())) start_at=linked_start() />
                    </MatureGate>
                }
                .into_any(),
                Showing::Waiting => notice(|t| t.embed_not_ready).into_any(),
                Showing::Private => notice(|t| t.embed_private_video).into_any(),
                Showing::Unplayable => notice(|t| t.embed_gone).into_any(),
            })}
            {link}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_private_one_never_plays_and_one_being_made_waits() {
        let playlist = || Some("https://media.example/index.m3u8".to_owned());
        assert_eq!(Showing::of(true, playlist(), false, None), Showing::Private);
        assert_eq!(Showing::of(true, None, true, None), Showing::Private);
        assert_eq!(
            Showing::of(false, playlist(), false, None),
            Showing::Playing {
                playlist: "https://media.example/index.m3u8".into(),
                mature_channel: None
            }
        );
        // Marked for adults: it plays once asked, with the channel the answer is kept for.
        assert_eq!(
            Showing::of(false, playlist(), false, Some("late_night".into())),
            Showing::Playing {
                playlist: "https://media.example/index.m3u8".into(),
                mature_channel: Some("late_night".into())
            }
        );
        assert_eq!(Showing::of(false, None, true, None), Showing::Waiting);
        assert_eq!(Showing::of(false, None, false, None), Showing::Unplayable);
    }
}
