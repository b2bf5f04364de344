//! Uploaded videos on the table: `VIDEO#<id>`, listed per channel under `CHANVIDEO#<channel>`
//! ([`ChannelItems`]).

use async_trait::async_trait;
use cloumer_domain::error::{PortResult, WriteError};
use cloumer_domain::ids::{ChannelId, VideoId};
use cloumer_domain::page::Page;
use cloumer_domain::ports::VideoRepository;
use cloumer_domain::video::{Video, VideoCursor};

use super::DynamoStore;
use super::channel_items::ChannelItems;

const VIDEOS: ChannelItems = ChannelItems {
    kind: "VIDEO",
    list: "CHANVIDEO",
};

#[async_trait]
impl VideoRepository for DynamoStore {
    async fn put_video(&self, video: &Video, previous: Option<&Video>) -> Result<(), WriteError> {
        VIDEOS.put(self, video, previous).await
    }

    async fn get_video(&self, id: &VideoId) -> PortResult<Option<Video>> {
        VIDEOS.get(self, id.as_str()).await
    }

    async fn delete_video(&self, video: &Video) -> PortResult<()> {
        VIDEOS.delete(self, video.id.as_str()).await
    }

    async fn list_channel_videos(
        &self,
        channel: &ChannelId,
        after: Option<&VideoCursor>,
        limit: usize,
    ) -> PortResult<Page<Video, VideoCursor>> {
        let after = after.map(|c| (c.at, c.id.as_str().to_owned()));
        VIDEOS.list(self, channel.as_str(), after, limit).await
    }
}
