//! Uploaded videos on one machine, shaped as in the cloud: S3's multipart upload, with each
//! part sent to a signed URL ([`uploads`]); a transcoding worker driving ffmpeg, one job at a
//! time, its jobs kept on disk and resumed after a restart ([`worker`]); and the finished files
//! served behind the same signed-policy gate as private recordings (CloudFront's, in the cloud).

pub mod uploads;
pub mod worker;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use cloumer_domain::error::{PortContext, PortResult};
use cloumer_domain::ids::VideoId;
use cloumer_domain::media::{MediaInfo, Refusal};
use cloumer_domain::ports::VideoProcessing;
use cloumer_domain::video::Video;
use cloumer_tokens::CloudFrontSigner;
use time::OffsetDateTime;
use tokio::sync::{mpsc, oneshot};

use crate::ingest::private_recordings::KEY_PAIR_ID;

/// Where uploaded videos' files live under the data directory.
#[derive(Clone, Debug)]
pub struct VideoDirs {
    /// `<video>/<upload id>/part-<n>` while uploading, then `<video>/file`.
    pub uploads: PathBuf,
    /// `<video>/index.m3u8`, `<video>/<quality>/…`, `<video>/thumb.jpg`.
    pub outputs: PathBuf,
    /// One file per queued transcoding job: what survives a restart.
    pub jobs: PathBuf,
}

impl VideoDirs {
    pub fn under(data_dir: &Path) -> Self {
        Self {
            uploads: data_dir.join("video-uploads"),
            outputs: data_dir.join("video-files"),
            jobs: data_dir.join("video-jobs"),
        }
    }

    pub fn upload_file(&self, video: &VideoId) -> PathBuf {
        self.uploads.join(video.as_str()).join("file")
    }
}

/// What the worker is asked to do.
#[derive(Debug)]
pub enum Work {
    /// An upload was completed: probe it and start its job (the S3 event, in the cloud).
    Arrived(VideoId),
    /// Transcode it.
    Transcode(VideoId),
}

/// The job being run, and how to stop it (its video deleted meanwhile).
type RunningJob = (VideoId, oneshot::Sender<()>);

/// The local upload storage and transcoder, sharing the worker's queue.
#[derive(Clone)]
pub struct LocalVideoPipeline {
    pub(crate) dirs: VideoDirs,
    signer: Arc<CloudFrontSigner>,
    base_url: String,
    queue: mpsc::UnboundedSender<Work>,
    running: Arc<Mutex<Option<RunningJob>>>,
}

impl LocalVideoPipeline {
    /// The pipeline, and the queue its worker ([`worker::run`]) takes work from.
    pub fn new(
        data_dir: &Path,
        signing_pem: &str,
        base_url: &str,
    ) -> PortResult<(Self, mpsc::UnboundedReceiver<Work>)> {
        let dirs = VideoDirs::under(data_dir);
        for dir in [&dirs.uploads, &dirs.outputs, &dirs.jobs] {
            std::fs::create_dir_all(dir).port("creating the video directories")?;
        }
        let (queue, work) = mpsc::unbounded_channel();
        Ok((
            Self {
                dirs,
                signer: Arc::new(CloudFrontSigner::from_pem(KEY_PAIR_ID, signing_pem)?),
                base_url: base_url.trim_end_matches('/').to_owned(),
                queue,
                running: Arc::default(),
            },
            work,
        ))
    }

    /// A URL of the site, signed to be usable until `expires_at` (`resource` may end in `*`).
    fn signed(&self, resource: &str, expires_at: OffsetDateTime) -> PortResult<String> {
        let policy = self
            .signer
            .sign(&format!("{}{resource}", self.base_url), expires_at)?;
        Ok(policy.query())
    }

    fn enqueue(&self, work: Work) {
        // The worker runs as long as the stack; a send after it stopped changes nothing.
        let _ = self.queue.send(work);
    }
}

#[async_trait]
impl VideoProcessing for LocalVideoPipeline {
    async fn probe(&self, video: &Video) -> PortResult<Result<MediaInfo, Refusal>> {
        Ok(worker::probe(&self.dirs.upload_file(&video.id)).await)
    }

    async fn transcode(&self, video: &Video, media: &MediaInfo) -> PortResult<()> {
        let job = worker::Job::for_media(media);
        let path = self.dirs.jobs.join(video.id.as_str());
        let partial = path.with_extension("partial");
        std::fs::write(&partial, serde_json::to_vec(&job).port("encoding a job")?)
            .port("queueing a job")?;
        std::fs::rename(&partial, &path).port("queueing a job")?;
        self.enqueue(Work::Transcode(video.id.clone()));
        Ok(())
    }

    async fn delete_outputs(&self, video: &VideoId) -> PortResult<()> {
        // Stop its job if it is the one running (one lock: the worker cannot swap jobs between).
        {
            let mut running = self.running.lock().expect("not poisoned");
            if running.as_ref().is_some_and(|(id, _)| id == video)
                && let Some((_, stop)) = running.take()
            {
                let _ = stop.send(());
            }
        }
        remove_file(&self.dirs.jobs.join(video.as_str()))?;
        remove_dir(&self.dirs.outputs.join(video.as_str()))
    }

    fn grant(&self, video: &VideoId, expires_at: OffsetDateTime) -> PortResult<String> {
        self.signed(&format!("/video-files/{video}/*"), expires_at)
    }
}

fn remove_file(path: &Path) -> PortResult<()> {
    match std::fs::remove_file(path) {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
            Err(error).port("removing a video's file")
        }
        _ => Ok(()),
    }
}

fn remove_dir(path: &Path) -> PortResult<()> {
    match std::fs::remove_dir_all(path) {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
            Err(error).port("removing a video's files")
        }
        _ => Ok(()),
    }
}
