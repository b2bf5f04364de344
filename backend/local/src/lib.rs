//! The Cloumer local stack: everything the cloud provides, on one machine, with no AWS account.
//!
//! One HTTP listener serves the browser app (`dist/`), the API router from `cloumer-http`, and the
//! runtime configuration the browser app reads at start-up.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use axum::Router;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tower_http::services::{ServeDir, ServeFile};

/// Settings of one local stack.
#[derive(Clone, Debug)]
pub struct LocalConfig {
    /// Address of the HTTP listener; port 0 picks a free port.
    pub listen: SocketAddr,
    /// The built browser app (Trunk's `dist/`).
    pub dist_dir: PathBuf,
    /// Durable state: the embedded store, recordings, generated signing keys.
    pub data_dir: PathBuf,
}

/// A started local stack. Dropping it does not stop it; call [`RunningStack::shutdown`].
pub struct RunningStack {
    /// The bound address (with the real port when 0 was asked for).
    pub addr: SocketAddr,
    shutdown: tokio::sync::oneshot::Sender<()>,
    server: JoinHandle<std::io::Result<()>>,
}

impl RunningStack {
    /// The URL where a browser reaches the app.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting connections, lets in-flight requests finish, and waits for the server.
    pub async fn shutdown(self) -> anyhow::Result<()> {
        let _ = self.shutdown.send(());
        self.server.await.context("server task panicked")??;
        Ok(())
    }
}

/// Builds the whole local router: API first, then the browser app with SPA fallback routing.
pub fn router(config: &LocalConfig) -> Router {
    let index = config.dist_dir.join("index.html");
    // Any path that is not a file in dist/ is a client-side route: answer with index.html.
    let spa = ServeDir::new(&config.dist_dir).fallback(ServeFile::new(index));
    cloumer_http::app(cloumer_http::AppState {
        environment: "local",
    })
    .fallback_service(spa)
}

/// Binds the listener and starts serving in the background.
pub async fn start(config: LocalConfig) -> anyhow::Result<RunningStack> {
    let listener = TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    let addr = listener.local_addr()?;
    let app = router(&config);
    let (shutdown, on_shutdown) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = on_shutdown.await;
            })
            .await
    });
    Ok(RunningStack {
        addr,
        shutdown,
        server,
    })
}
