//! Helpers for the end-to-end tests: a real local stack on a random loopback port, and a real
//! headless Chromium driven over WebDriver (chromedriver + fantoccini).

use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use fantoccini::{Client, ClientBuilder, Locator};
use tokio::process::{Child, Command};

/// The built browser app. `cargo xtask test` builds it and sets `CLOUMER_DIST`.
pub fn dist_dir() -> Result<PathBuf> {
    let dir = std::env::var_os("CLOUMER_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../dist"));
    if !dir.join("index.html").is_file() {
        bail!(
            "the browser app is not built at {}: run `cargo xtask test` (or `cargo xtask build-web`)",
            dir.display()
        );
    }
    Ok(dir)
}

/// A local stack serving the built browser app on a random loopback port.
pub struct TestStack {
    pub stack: cloumer_local::RunningStack,
    _data: tempfile::TempDir,
}

impl TestStack {
    pub async fn start() -> Result<Self> {
        let data = tempfile::tempdir()?;
        let stack = cloumer_local::start(cloumer_local::LocalConfig {
            listen: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            dist_dir: dist_dir()?,
            data_dir: data.path().to_path_buf(),
            public_url: None,
            rtmp_port: 0,
            ingest: false,
            chat: Default::default(),
        })
        .await?;
        Ok(Self { stack, _data: data })
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.stack.url())
    }
}

/// Headless Chromium under chromedriver. Kill-on-drop stops the driver and its browser even when a
/// test panics.
pub struct Browser {
    pub client: Client,
    _driver: Child,
    _profile: tempfile::TempDir,
}

fn free_port() -> Result<u16> {
    Ok(TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?
        .local_addr()?
        .port())
}

impl Browser {
    pub async fn launch() -> Result<Self> {
        let port = free_port()?;
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .context("cannot start chromedriver (installed by `cargo xtask setup`)")?;
        let profile = tempfile::tempdir()?;
        let capabilities = serde_json::json!({
            "goog:chromeOptions": {
                "binary": chromium_binary(),
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    "--autoplay-policy=no-user-gesture-required",
                    "--window-size=1280,800",
                    format!("--user-data-dir={}", profile.path().display()),
                ]
            }
        });
        let capabilities = match capabilities {
            serde_json::Value::Object(map) => map,
            _ => unreachable!("a JSON object literal"),
        };
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        let client = loop {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector)
                .capabilities(capabilities.clone())
                .connect(&url)
                .await
            {
                Ok(client) => break client,
                Err(e) if Instant::now() < deadline => {
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => return Err(e).context("chromedriver did not start a browser"),
            }
        };
        Ok(Self {
            client,
            _driver: driver,
            _profile: profile,
        })
    }

    /// Waits for an element matching `css` whose text contains `text`, and returns its text.
    pub async fn wait_for_text(&self, css: &str, text: &str, timeout: Duration) -> Result<String> {
        let deadline = Instant::now() + timeout;
        let mut last = String::new();
        loop {
            if let Ok(element) = self.client.find(Locator::Css(css)).await {
                last = element.text().await.unwrap_or_default();
                if last.contains(text) {
                    return Ok(last);
                }
            }
            if Instant::now() >= deadline {
                bail!("no `{css}` containing {text:?} within {timeout:?}; last text was {last:?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Saves a PNG of the current page under `screenshots/` (git-ignored) for people to look at.
    pub async fn screenshot(&self, name: &str) -> Result<PathBuf> {
        let png = self.client.screenshot().await?;
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../screenshots");
        std::fs::create_dir_all(&dir)?;
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png)?;
        Ok(path)
    }

    pub async fn close(self) -> Result<()> {
        self.client.close().await?;
        Ok(())
    }
}

fn chromium_binary() -> String {
    std::env::var("CLOUMER_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_owned())
}
