//! The Cloumer local stack: everything the cloud provides, on one machine, with no AWS account.
//!
//! One HTTP listener serves the browser app ([`site`]), the API router from `cloumer-http`, and
//! the local stand-ins: a Cognito user pool ([`identity`]), IVS Chat ([`chat`]) and IVS
//! ([`video`], [`ingest`]). All durable state is in one embedded store file under the data
//! directory. This file only wires the pieces together: [`Components`] builds the adapters and
//! the platform on them, [`start`] serves them.

mod audience;
pub mod chat;
mod client;
mod file_names;
pub mod identity;
pub mod ingest;
mod keys;
pub mod public_files;
mod rates;
pub mod site;
mod sockets;
pub mod topics;
pub mod video;
pub mod videos;

use std::net::SocketAddr;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use cloumer_api_types::RuntimeConfig;
use cloumer_domain::outbound::OutboundDestinations;
use cloumer_domain::ports::{Clock, SystemClock};
use cloumer_domain::{Platform, PlatformConfig, Ports};
use cloumer_email::{Links, Outbox};
use cloumer_http::link_previews::LinkPreviews;
use cloumer_outbound::{HttpWebhookSender, Retries, WebPushSender};
use cloumer_store_embedded::EmbeddedStore;
use cloumer_tokens::{Es384PlaybackSigner, JwtVerifier, PlaybackTokenVerifier, StaticJwks};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use chat::delivery::Lines;
use chat::server::ChatServer;
use chat::{ChatTuning, LocalChat, Rooms, Tokens};
use identity::LocalIdentity;
use ingest::private_recordings::{LocalRecordingAccess, RecordingGate};
use ingest::{Ingest, IngestDirs, IngestSettings};
use public_files::DiskPublicFiles;
use video::LocalVideo;
use videos::LocalVideoPipeline;

/// Settings of one local stack.
#[derive(Clone)]
pub struct LocalConfig {
    /// Address of the HTTP listener; port 0 picks a free port.
    pub listen: SocketAddr,
    /// The built browser app (Trunk's `dist/`).
    pub dist_dir: PathBuf,
    /// Durable state: the embedded store, recordings, generated signing keys.
    pub data_dir: PathBuf,
    /// The URL people reach the stack at, if not `http://<listen address>` (e.g. behind a proxy).
    pub public_url: Option<String>,
    /// The RTMP ingest port encoders push to.
    pub rtmp_port: u16,
    /// Whether to run the RTMP ingest (nginx with the RTMP module).
    pub ingest: bool,
    /// Knobs of the local chat server.
    pub chat: ChatTuning,
    /// Whether clients are told apart by address for limits that apply per client. Off only for
    /// load tests, whose clients all share this machine's address.
    pub per_client_limits: bool,
    /// The time every part of the stack reads (tests may fix it).
    pub clock: Arc<dyn Clock>,
    /// Where streamers' webhooks may point: public `https` only, unless a test's own receiver
    /// on this machine must be reachable.
    pub outbound_destinations: OutboundDestinations,
    /// How often live broadcasts' audiences are sampled for their summaries (a minute; tests
    /// may take less, though the domain keeps samples at least 45 s apart).
    pub audience_sample_every: std::time::Duration,
    /// The email addresses of the platform's staff, who settle reports (in the cloud: the user
    /// pool's `staff` group).
    pub staff: Vec<String>,
}

impl LocalConfig {
    /// A stack on `listen` with the browser app from `dist_dir` and its state in `data_dir`;
    /// the RTMP ingest on `rtmp_port` (0: any free port).
    pub fn new(listen: SocketAddr, dist_dir: PathBuf, data_dir: PathBuf, rtmp_port: u16) -> Self {
        Self {
            listen,
            dist_dir,
            data_dir,
            public_url: None,
            rtmp_port,
            ingest: true,
            chat: ChatTuning::default(),
            per_client_limits: true,
            clock: Arc::new(SystemClock),
            outbound_destinations: OutboundDestinations::PublicHttpsOnly,
            audience_sample_every: cloumer_domain::audience::SAMPLE_EVERY.unsigned_abs(),
            staff: Vec::new(),
        }
    }
}

/// A started local stack. Call [`RunningStack::shutdown`] to stop it.
pub struct RunningStack {
    /// The bound address (with the real port when 0 was asked for).
    pub addr: SocketAddr,
    base_url: String,
    components: Components,
    rtmp_port: u16,
    ingest: Option<Ingest>,
    shutdown: tokio::sync::oneshot::Sender<()>,
    server: JoinHandle<std::io::Result<()>>,
    deliveries: JoinHandle<()>,
    video_worker: Option<JoinHandle<()>>,
    audience_sampler: JoinHandle<()>,
}

impl RunningStack {
    /// The URL where a browser reaches the app.
    pub fn url(&self) -> String {
        self.base_url.clone()
    }

    pub fn platform(&self) -> &Platform {
        &self.components.platform
    }

    pub fn identity(&self) -> &LocalIdentity {
        &self.components.identity
    }

    pub fn chat(&self) -> &LocalChat {
        &self.components.chat
    }

    pub fn chat_rooms(&self) -> &Arc<Rooms> {
        &self.components.rooms
    }

    pub fn video(&self) -> &LocalVideo {
        &self.components.video
    }

    /// The embedded store, for tests that check what was kept.
    pub fn store(&self) -> &EmbeddedStore {
        &self.components.store
    }

    /// Where encoders publish: `rtmp://<host>:<port>/app/` + the stream key.
    pub fn rtmp_url(&self) -> String {
        format!("rtmp://{}:{}/app/", self.addr.ip(), self.rtmp_port)
    }

    /// Stops the ingest (ending live broadcasts), then stops accepting connections, lets
    /// in-flight requests finish, waits for the server, and closes the store.
    pub async fn shutdown(self) -> anyhow::Result<()> {
        if let Some(ingest) = self.ingest {
            ingest.stop().await;
        }
        let _ = self.shutdown.send(());
        // Aborted tasks are awaited: until they have dropped what they hold (the store among
        // it), a start on the same data cannot open it.
        self.deliveries.abort();
        let _ = self.deliveries.await;
        self.audience_sampler.abort();
        let _ = self.audience_sampler.await;
        if let Some(worker) = self.video_worker {
            // A running ffmpeg dies with it (kill on drop); its job starts again next time.
            worker.abort();
            let _ = worker.await;
        }
        self.server.await.context("server task panicked")??;
        // Chat connections outlive the server's graceful shutdown (they were upgraded out of
        // it) and hold the store while open.
        self.components.rooms.close_every_connection();
        // Everything that used the store has stopped; the file is closed before the stop
        // returns, so that a start on the same data right after can open it.
        let store = self.components.store.clone();
        drop(self.components);
        if !store.close().await {
            tracing::warn!(
                "the store was still in use after the stop; it closes with its last use"
            );
        }
        Ok(())
    }
}

/// The local adapters wired into a [`Platform`], without any server: what the HTTP stack serves,
/// and what tests of other entry points (the Lambda event handlers) run the domain on.
pub struct Components {
    pub platform: Platform,
    /// The embedded store itself, for tests and benchmarks that arrange state in bulk.
    pub store: EmbeddedStore,
    pub identity: LocalIdentity,
    pub chat: LocalChat,
    pub rooms: Arc<Rooms>,
    pub tokens: Arc<Tokens>,
    pub video: LocalVideo,
    pub clock: Arc<dyn Clock>,
    /// The public half of the playback key pair, to check private-channel playback tokens.
    pub playback_public_pem: String,
    /// The public half of the key that signs access to private recordings.
    pub recordings_public_pem: String,
    /// Stream starts and ready videos waiting for [`topics::deliver`] (taken when the stack
    /// starts).
    pub announced: std::sync::Mutex<Option<topics::Announced>>,
    /// Emote images and whatever else everyone may fetch.
    pub public_files: DiskPublicFiles,
    /// Uploaded videos' storage and transcoder, and the work waiting for its worker (taken when
    /// the stack starts).
    pub video_pipeline: LocalVideoPipeline,
    pub video_work: std::sync::Mutex<Option<tokio::sync::mpsc::UnboundedReceiver<videos::Work>>>,
}

impl Components {
    /// Opens the store in `data_dir` (creating it and the signing keys on first use).
    /// `base_url` is where the stack is reached; `ingest_host:rtmp_port` where encoders push.
    pub fn open(
        data_dir: &std::path::Path,
        base_url: &str,
        ingest_host: &str,
        rtmp_port: u16,
        clock: Arc<dyn Clock>,
        outbound_destinations: OutboundDestinations,
    ) -> anyhow::Result<Self> {
        let store = EmbeddedStore::open(&data_dir.join("cloumer.redb"))
            .context("cannot open the embedded store")?;
        let db = store.database();
        let video = LocalVideo::new(db.clone(), format!("rtmp://{ingest_host}:{rtmp_port}/app/"))?;
        let rooms = Arc::new(Rooms::default());
        let tokens = Arc::new(Tokens::default());
        let chat = LocalChat::new(
            format!("{}/chat", base_url.replacen("http", "ws", 1)),
            rooms.clone(),
            tokens.clone(),
            clock.clone(),
        );
        let (playback_private, playback_public_pem) = keys::playback_keys(data_dir)?;
        let (recordings_private, recordings_public_pem) = keys::recordings_keys(data_dir)?;
        let vapid = keys::vapid_key(data_dir)?;
        let push_public_key = vapid.public_key().to_owned();
        let (go_live_topic, video_ready_topic, announced) = topics::topics();
        let public_files = DiskPublicFiles::under(data_dir);
        let (video_pipeline, video_work) =
            LocalVideoPipeline::new(data_dir, &recordings_private, base_url)?;
        let ports = Ports {
            channels: Arc::new(store.clone()),
            chat: Arc::new(store.clone()),
            recordings: Arc::new(store.clone()),
            clips: Arc::new(store.clone()),
            videos: Arc::new(store.clone()),
            video_uploads: Arc::new(video_pipeline.clone()),
            video_processing: Arc::new(video_pipeline.clone()),
            follows: Arc::new(store.clone()),
            blocks: Arc::new(store.clone()),
            polls: Arc::new(store.clone()),
            notifications: Arc::new(store.clone()),
            webhooks: Arc::new(store.clone()),
            reports: Arc::new(store.clone()),
            webhook_sender: Arc::new(HttpWebhookSender::new(
                outbound_destinations,
                base_url,
                Retries::default(),
            )?),
            go_live: Arc::new(go_live_topic),
            video_ready: Arc::new(video_ready_topic),
            email: Arc::new(Outbox::new(
                outbox_dir(data_dir),
                "Cloumer <notifications@localhost>"
                    .parse()
                    .context("the outbox's sender")?,
                Links {
                    site_url: base_url.to_owned(),
                    api_url: base_url.to_owned(),
                },
            )),
            push_subscriptions: Arc::new(store.clone()),
            push: Arc::new(WebPushSender::new(
                outbound_destinations,
                vapid,
                "mailto:notifications@localhost",
                base_url,
            )?),
            video: Arc::new(video.clone()),
            chat_service: Arc::new(chat.clone()),
            presence: Arc::new(chat::presence::ConnectedPresence::new(rooms.clone())),
            files: Arc::new(public_files.clone()),
            recording_files: Arc::new(ingest::recording_files::LocalRecordingFiles::new(
                ingest::IngestDirs::under(data_dir).recordings,
            )),
            playback: Arc::new(Es384PlaybackSigner::from_pkcs8_pem(
                playback_private.as_bytes(),
            )?),
            recording_access: Arc::new(LocalRecordingAccess::new(&recordings_private, base_url)?),
            rates: Arc::new(rates::MemoryRates::default()),
            clock: clock.clone(),
        };
        let platform = Platform::new(
            ports,
            PlatformConfig {
                site_origin: base_url.to_owned(),
                outbound_destinations,
                push_public_key: Some(push_public_key),
                ..PlatformConfig::default()
            },
        );
        let identity = LocalIdentity::new(
            db,
            base_url,
            &keys::identity_key(data_dir)?,
            platform.clone(),
            clock.clone(),
        )?;
        Ok(Self {
            platform,
            store,
            identity,
            chat,
            rooms,
            tokens,
            video,
            clock,
            playback_public_pem,
            recordings_public_pem,
            announced: std::sync::Mutex::new(Some(announced)),
            public_files,
            video_pipeline,
            video_work: std::sync::Mutex::new(Some(video_work)),
        })
    }
}

/// Where the local stack's email goes instead of a mail server: one `.eml` file per message.
pub fn outbox_dir(data_dir: &std::path::Path) -> PathBuf {
    data_dir.join("outbox")
}

/// Binds the listener, opens the store and starts serving in the background.
pub async fn start(mut config: LocalConfig) -> anyhow::Result<RunningStack> {
    // nginx resolves relative paths in its config against its own prefix, not our working
    // directory: every path handed on from here is absolute.
    std::fs::create_dir_all(&config.data_dir)
        .with_context(|| format!("cannot create {}", config.data_dir.display()))?;
    // Everything under it is the stack's own: secrets, the store, recordings of private channels.
    std::fs::set_permissions(&config.data_dir, std::fs::Permissions::from_mode(0o700))
        .with_context(|| format!("cannot restrict {}", config.data_dir.display()))?;
    config.data_dir = std::path::absolute(&config.data_dir)?;
    config.dist_dir = std::path::absolute(&config.dist_dir)?;
    let listener =
        listen(config.listen).with_context(|| format!("cannot listen on {}", config.listen))?;
    let addr = listener.local_addr()?;
    let base_url = config
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{addr}"))
        .trim_end_matches('/')
        .to_owned();
    let rtmp_port = match config.rtmp_port {
        0 => free_port(addr.ip())?,
        port => port,
    };
    let components = Components::open(
        &config.data_dir,
        &base_url,
        &addr.ip().to_string(),
        rtmp_port,
        config.clock.clone(),
        config.outbound_destinations,
    )?;
    components
        .identity
        .set_staff(config.staff.iter().map(String::as_str));
    let platform = &components.platform;
    let announced = components.announced.lock().expect("not poisoned").take();
    let video_worker = components
        .video_work
        .lock()
        .expect("not poisoned")
        .take()
        .map(|work| {
            tokio::spawn(videos::worker::run(
                platform.clone(),
                components.video_pipeline.clone(),
                work,
            ))
        });
    let deliveries = match announced {
        Some(announced) => topics::deliver(platform.clone(), announced),
        None => tokio::spawn(async {}),
    };
    let audience_sampler =
        audience::sample_audiences(platform.clone(), config.audience_sample_every);
    let verifier = JwtVerifier::new(
        components.identity.issuer(),
        identity::CLIENT_ID,
        Arc::new(StaticJwks(components.identity.jwks())),
        components.clock.clone(),
    );
    let api = cloumer_http::app(cloumer_http::AppState {
        platform: platform.clone(),
        verifier: Arc::new(verifier),
        environment: "local",
        cors_origins: Vec::new(),
        site_origin: base_url.as_str().into(),
    });
    let chat_server = ChatServer {
        platform: platform.clone(),
        rooms: components.rooms.clone(),
        tokens: components.tokens.clone(),
        lines: Arc::new(Lines::new(platform.clone(), components.clock.clone())),
        clock: components.clock.clone(),
        tuning: config.chat.clone(),
    };
    let chat_endpoint = axum::Router::new().route(
        "/chat",
        axum::routing::get(chat::server::upgrade).with_state(chat_server),
    );
    let runtime_config = site::config(&RuntimeConfig {
        api_base: String::new(),
        cognito_endpoint: format!("{base_url}/cognito/"),
        cognito_client_id: identity::CLIENT_ID.to_owned(),
        environment: "local".to_owned(),
    })?;
    let dirs = IngestDirs::under(&config.data_dir);
    let views = Arc::new(ingest::PlaybackViews::new(components.clock.clone()));
    let files = ingest::hls::router(
        platform.clone(),
        components.video.clone(),
        dirs.clone(),
        PlaybackTokenVerifier::from_public_pem(components.playback_public_pem.as_bytes())?,
        RecordingGate::new(&components.recordings_public_pem, &base_url)?,
        components.clock.clone(),
        views.clone(),
    );
    let loopback = if addr.is_ipv6() { "[::1]" } else { "127.0.0.1" };
    let ingest_settings = IngestSettings {
        platform: platform.clone(),
        video: components.video.clone(),
        rooms: components.rooms.clone(),
        views,
        clock: components.clock.clone(),
        dirs,
        rtmp_host: addr.ip(),
        rtmp_port,
        callback_base: format!("http://{loopback}:{}", addr.port()),
    };
    let mut app = api
        .merge(components.identity.router())
        .merge(runtime_config)
        .merge(chat_endpoint)
        .merge(files)
        .merge(components.public_files.router())
        .merge(videos::uploads::router(
            components.video_pipeline.clone(),
            RecordingGate::new(&components.recordings_public_pem, &base_url)?,
            components.clock.clone(),
        ));
    let prepared = if config.ingest {
        let (prepared, callbacks) = Ingest::prepare(&ingest_settings)?;
        app = app.merge(callbacks);
        Some(prepared)
    } else {
        None
    };
    // One origin serves the site and the API here.
    let previews = LinkPreviews::new(
        platform.clone(),
        Arc::new(site::DistEntryPage(config.dist_dir.clone())),
        &base_url,
        Some(&base_url),
    );
    let app =
        site::with_security_headers(app.fallback_service(site::app(&config.dist_dir, previews)));

    let (shutdown, on_shutdown) = tokio::sync::oneshot::channel::<()>();
    let connections = sockets::Connections {
        app,
        // Connection info is where every per-client limit reads the client's address.
        client_addresses: config.per_client_limits,
    };
    let listener = sockets::SharingListener(listener);
    let server = tokio::spawn(async move {
        axum::serve(listener, connections)
            .with_graceful_shutdown(async {
                let _ = on_shutdown.await;
            })
            .await
    });
    // nginx calls back into the server as soon as an encoder connects: start it last.
    let ingest = match prepared {
        Some(prepared) => Some(prepared.start(&ingest_settings).await?),
        None => None,
    };
    Ok(RunningStack {
        addr,
        base_url,
        components,
        rtmp_port,
        ingest,
        shutdown,
        server,
        deliveries,
        video_worker,
        audience_sampler,
    })
}

/// Connections the kernel may hold for us before we accept them: a raid opens thousands of chat
/// and player connections at once, and with tokio's default (1,024) the ones past it have their
/// SYN dropped and retried seconds later. The kernel caps it at `net.core.somaxconn`.
const LISTEN_BACKLOG: u32 = 8192;

fn listen(address: SocketAddr) -> std::io::Result<TcpListener> {
    let socket = if address.is_ipv4() {
        tokio::net::TcpSocket::new_v4()?
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.bind(address)?;
    socket.listen(LISTEN_BACKLOG)
}

/// A free TCP port on `host` (for the RTMP listener when none was given).
fn free_port(host: std::net::IpAddr) -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind((host, 0))?.local_addr()?.port())
}
