//! The local video service: what IVS does for a channel, on this machine.
//!
//! Stream keys live in the embedded store (they must survive restarts); the live streams, their
//! health and viewer counts are held in memory and fed by the local ingest.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, RwLock};

use async_trait::async_trait;
use cloumer_domain::channel::VideoChannel;
use cloumer_domain::error::{PortContext, PortResult};
use cloumer_domain::ids::{ChannelId, random_alphanumeric};
use cloumer_domain::ports::{StreamKey, StreamStatus, VideoChannelSpec, VideoService};
use redb::{Database, ReadableDatabase, ReadableTable, TableDefinition};

/// channel id → stream key
const STREAM_KEYS: TableDefinition<&str, &str> = TableDefinition::new("video_stream_keys");
/// stream key → channel id
const KEY_OWNERS: TableDefinition<&str, &str> = TableDefinition::new("video_stream_key_owners");

const ARN_PREFIX: &str = "arn:cloumer:ivs:local:channel/";

/// The local "ARN" of a channel's video resource.
pub fn arn(channel: &ChannelId) -> String {
    format!("{ARN_PREFIX}{channel}")
}

pub fn channel_of_arn(arn: &str) -> Option<ChannelId> {
    arn.strip_prefix(ARN_PREFIX)
        .and_then(|id| ChannelId::parse(id).ok())
}

/// Where a channel's live HLS playlist is served, relative to the stack's origin.
pub fn playback_path(channel: &ChannelId) -> String {
    format!("/hls/{channel}/index.m3u8")
}

#[derive(Clone)]
pub struct LocalVideo {
    db: Arc<Database>,
    ingest_server: String,
    live: Arc<RwLock<HashMap<String, StreamStatus>>>,
    /// Channels whose stream was stopped (IVS StopStream); the ingest drops their encoder.
    stops: Arc<Mutex<HashSet<ChannelId>>>,
}

impl LocalVideo {
    /// `ingest_server` is the RTMP URL encoders push to, e.g. `rtmp://127.0.0.1:1935/app/`.
    pub fn new(db: Arc<Database>, ingest_server: String) -> PortResult<Self> {
        let tx = db.begin_write().port("opening video tables")?;
        tx.open_table(STREAM_KEYS).port("opening video tables")?;
        tx.open_table(KEY_OWNERS).port("opening video tables")?;
        tx.commit().port("opening video tables")?;
        Ok(Self {
            db,
            ingest_server,
            live: Arc::default(),
            stops: Arc::default(),
        })
    }

    /// The channel a stream key belongs to (the ingest's publish check).
    pub fn channel_for_key(&self, key: &str) -> PortResult<Option<ChannelId>> {
        let tx = self.db.begin_read().port("reading stream keys")?;
        let owners = tx.open_table(KEY_OWNERS).port("reading stream keys")?;
        let found = owners.get(key).port("reading stream keys")?;
        Ok(found.and_then(|id| ChannelId::parse(id.value()).ok()))
    }

    /// Whether the channel's stream was stopped since the ingest last asked (asking clears it).
    pub fn take_stop_request(&self, channel: &ChannelId) -> bool {
        self.stops.lock().expect("stops lock").remove(channel)
    }

    /// Called by the ingest while a stream is live (and with `None` when it stops).
    pub fn set_status(&self, channel: &ChannelId, status: Option<StreamStatus>) {
        let mut live = self.live.write().expect("live map lock");
        match status {
            Some(status) => live.insert(arn(channel), status),
            None => live.remove(&arn(channel)),
        };
    }

    pub fn status(&self, channel: &ChannelId) -> Option<StreamStatus> {
        self.live
            .read()
            .expect("live map lock")
            .get(&arn(channel))
            .cloned()
    }

    fn new_key() -> String {
        format!("sk_local_{}", random_alphanumeric(32))
    }

    /// Replaces the channel's key (or creates the first one) in one transaction.
    fn replace_key(&self, channel: &ChannelId, only_if_missing: bool) -> PortResult<StreamKey> {
        let tx = self.db.begin_write().port("writing stream keys")?;
        let key = {
            let mut keys = tx.open_table(STREAM_KEYS).port("writing stream keys")?;
            let mut owners = tx.open_table(KEY_OWNERS).port("writing stream keys")?;
            let old = keys
                .get(channel.as_str())
                .port("reading stream keys")?
                .map(|k| k.value().to_owned());
            match old {
                Some(existing) if only_if_missing => existing,
                old => {
                    if let Some(old) = old {
                        owners.remove(old.as_str()).port("deleting a stream key")?;
                    }
                    let key = Self::new_key();
                    keys.insert(channel.as_str(), key.as_str())
                        .port("creating a stream key")?;
                    owners
                        .insert(key.as_str(), channel.as_str())
                        .port("creating a stream key")?;
                    key
                }
            }
        };
        tx.commit().port("writing stream keys")?;
        Ok(StreamKey(key))
    }
}

#[async_trait]
impl VideoService for LocalVideo {
    async fn create_channel(&self, spec: &VideoChannelSpec) -> PortResult<VideoChannel> {
        self.replace_key(&spec.name, true)?;
        Ok(VideoChannel {
            arn: arn(&spec.name),
            ingest_server: self.ingest_server.clone(),
            playback_url: playback_path(&spec.name),
        })
    }

    async fn update_channel(
        &self,
        _video: &VideoChannel,
        _spec: &VideoChannelSpec,
    ) -> PortResult<()> {
        // Latency, privacy and recording are read from the channel when they matter (at publish
        // and playback time), so there is nothing to reconfigure.
        Ok(())
    }

    async fn get_stream_key(&self, video: &VideoChannel) -> PortResult<StreamKey> {
        let channel = channel_of_arn(&video.arn).ok_or_else(|| {
            cloumer_domain::PortError::new("reading a stream key", "not a local channel")
        })?;
        self.replace_key(&channel, true)
    }

    async fn reset_stream_key(&self, video: &VideoChannel) -> PortResult<StreamKey> {
        let channel = channel_of_arn(&video.arn).ok_or_else(|| {
            cloumer_domain::PortError::new("resetting a stream key", "not a local channel")
        })?;
        self.replace_key(&channel, false)
    }

    async fn stop_stream(&self, video: &VideoChannel) -> PortResult<()> {
        let channel = channel_of_arn(&video.arn).ok_or_else(|| {
            cloumer_domain::PortError::new("stopping a stream", "not a local channel")
        })?;
        // Only a live channel has an encoder to drop; a stale request must not cut off the next
        // broadcast.
        if self.status(&channel).is_some() {
            self.stops.lock().expect("stops lock").insert(channel);
        }
        Ok(())
    }

    async fn delete_channel(&self, video: &VideoChannel) -> PortResult<()> {
        let channel = channel_of_arn(&video.arn).ok_or_else(|| {
            cloumer_domain::PortError::new("deleting a channel", "not a local channel")
        })?;
        // Without its key the ingest refuses the encoder at its next update, as after a reset.
        let tx = self.db.begin_write().port("deleting stream keys")?;
        {
            let mut keys = tx.open_table(STREAM_KEYS).port("deleting stream keys")?;
            let mut owners = tx.open_table(KEY_OWNERS).port("deleting stream keys")?;
            if let Some(key) = keys
                .remove(channel.as_str())
                .port("deleting stream keys")?
                .map(|k| k.value().to_owned())
            {
                owners.remove(key.as_str()).port("deleting stream keys")?;
            }
        }
        tx.commit().port("deleting stream keys")?;
        Ok(())
    }

    async fn live_streams(&self) -> PortResult<Vec<StreamStatus>> {
        Ok(self
            .live
            .read()
            .expect("live map lock")
            .values()
            .cloned()
            .collect())
    }
}
