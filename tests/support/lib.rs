//! Helpers for the end-to-end tests: a real local stack on random loopback ports, real headless
//! Chromium driven over WebDriver (chromedriver + fantoccini), real ffmpeg publishing RTMP.

use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
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

/// Copies a directory tree (the built app, for a test to change).
pub fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

/// Removes the compressed copies `cargo xtask build-web` writes beside `file` (gzip and brotli),
/// which the stack would send in its place: a test that changes or hides the file itself.
pub fn remove_compressed_copies(file: &Path) -> Result<()> {
    for suffix in [".gz", ".br"] {
        let mut copy = file.as_os_str().to_owned();
        copy.push(suffix);
        let copy = Path::new(&copy);
        anyhow::ensure!(
            copy.is_file(),
            "build-web wrote no {suffix} copy of {}",
            file.display()
        );
        std::fs::remove_file(copy)?;
    }
    Ok(())
}

/// A local stack serving the built browser app on a random loopback port.
pub struct TestStack {
    pub stack: cloumer_local::RunningStack,
    _data: tempfile::TempDir,
}

impl TestStack {
    pub async fn start(ingest: bool) -> Result<Self> {
        Self::start_serving(ingest, dist_dir()?).await
    }

    /// A stack whose webhooks and push may call receivers on this machine (the tests' own): the setting
    /// the product never enables by default.
    pub async fn start_with_loopback_destinations() -> Result<Self> {
        Self::start_configured(true, dist_dir()?, |config| {
            config.outbound_destinations =
                cloumer_domain::outbound::OutboundDestinations::AlsoLoopback;
        })
        .await
    }

    /// A stack with ingest whose stream summaries' timer ticks every half second (the domain
    /// still keeps samples 45 s apart: one sample a short broadcast).
    pub async fn start_sampling_often() -> Result<Self> {
        Self::start_configured(true, dist_dir()?, |config| {
            config.audience_sample_every = Duration::from_millis(500);
        })
        .await
    }

    /// A stack whose staff (who settle reports) are the people of `emails`.
    pub async fn start_with_staff(ingest: bool, emails: &[&str]) -> Result<Self> {
        Self::start_configured(ingest, dist_dir()?, |config| {
            config.staff = emails.iter().map(|e| (*e).to_owned()).collect();
        })
        .await
    }

    /// A stack serving the browser app from `dist_dir` (for tests that tamper with a copy).
    pub async fn start_serving(ingest: bool, dist_dir: PathBuf) -> Result<Self> {
        Self::start_configured(ingest, dist_dir, |_| {}).await
    }

    async fn start_configured(
        ingest: bool,
        dist_dir: PathBuf,
        adjust: impl FnOnce(&mut cloumer_local::LocalConfig),
    ) -> Result<Self> {
        let data = tempfile::tempdir()?;
        let mut config = cloumer_local::LocalConfig::new(
            SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            dist_dir,
            data.path().to_path_buf(),
            0,
        );
        config.ingest = ingest;
        adjust(&mut config);
        let stack = cloumer_local::start(config).await?;
        Ok(Self { stack, _data: data })
    }

    /// Where the stack keeps its recordings' files.
    pub fn recordings_dir(&self) -> PathBuf {
        self._data.path().join("recordings")
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.stack.url())
    }

    /// The emails the stack has sent (its outbox), oldest first.
    pub fn outbox(&self) -> Vec<Vec<u8>> {
        let dir = cloumer_local::outbox_dir(self._data.path());
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        files.sort();
        files.iter().filter_map(|f| std::fs::read(f).ok()).collect()
    }

    /// One call of the local Cognito-compatible API; its JSON answer, an error's too.
    pub async fn cognito(&self, target: &str, body: Value) -> Result<Value> {
        let response = reqwest::Client::new()
            .post(self.url("/cognito/"))
            .header(
                "X-Amz-Target",
                format!("AWSCognitoIdentityProviderService.{target}"),
            )
            .header("Content-Type", "application/x-amz-json-1.1")
            .body(body.to_string())
            .send()
            .await?;
        Ok(response.json().await?)
    }

    /// A confirmed account, made through the Cognito-compatible API (faster than the UI).
    pub async fn account(
        &self,
        email: &str,
        password: &str,
        handle: &str,
        nickname: &str,
    ) -> Result<()> {
        let client_id = cloumer_local::identity::CLIENT_ID;
        self.cognito(
            "SignUp",
            json!({"ClientId": client_id, "Username": email, "Password": password, "UserAttributes": [
                {"Name": "preferred_username", "Value": handle}, {"Name": "nickname", "Value": nickname}]}),
        )
        .await?;
        let code = self
            .stack
            .identity()
            .pending_code(email)
            .context("no confirmation code")?;
        self.cognito(
            "ConfirmSignUp",
            json!({"ClientId": client_id, "Username": email, "ConfirmationCode": code}),
        )
        .await?;
        Ok(())
    }
}

pub use cloumer_test_media::{CLOCK_BAR_HEIGHT, CLOCK_BITS};

/// The test publisher (see `cloumer-test-media`), as these tests handle errors.
pub fn publish(url: &str, seconds: u32) -> Result<Child> {
    cloumer_test_media::publish(url, seconds).context("ffmpeg is installed by cargo xtask setup")
}

/// Headless Chromium under chromedriver, in a process group of their own: dropping it kills the
/// group, so a test that panics leaves no browser behind (killing the driver alone left its
/// Chromium running: 24 processes per failed story test, taking CPU from the tests after it).
pub struct Browser {
    pub client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        // The group's id is the driver's pid (`process_group(0)`).
        if let Some(group) = self.driver.id() {
            let _ = std::process::Command::new("kill")
                .args(["-KILL", "--", &format!("-{group}")])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
    }
}

fn free_port() -> Result<u16> {
    Ok(TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?
        .local_addr()?
        .port())
}

const WAIT: Duration = Duration::from_secs(20);
/// The narrowest window headless Chromium draws.
const MIN_WINDOW_WIDTH: u32 = 500;

impl Browser {
    /// A browser with its own profile (own local storage: own sign-in), window `width`×`height`.
    pub async fn launch_sized(width: u32, height: u32) -> Result<Self> {
        let port = free_port()?;
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .kill_on_drop(true)
            .spawn()
            .context("cannot start chromedriver (installed by `cargo xtask setup`)")?;
        let profile = tempfile::tempdir()?;
        let mut capabilities = json!({
            "goog:chromeOptions": {
                "binary": chromium_binary(),
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    "--autoplay-policy=no-user-gesture-required",
                    "--lang=en-US",
                    format!("--window-size={width},{height}"),
                    format!("--user-data-dir={}", profile.path().display()),
                ]
            }
        });
        if width < MIN_WINDOW_WIDTH {
            // A headless window is never narrower than 500 px (a "420 px" phone was drawn at
            // 500): a phone's width is given to the page as a phone's screen instead.
            capabilities["goog:chromeOptions"]["mobileEmulation"] = json!({
                "deviceMetrics": {"width": width, "height": height, "pixelRatio": 1.0}
            });
        }
        let Value::Object(capabilities) = capabilities else {
            unreachable!("a JSON object literal")
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
                Err(_) if Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(100)).await
                }
                Err(e) => return Err(e).context("chromedriver did not start a browser"),
            }
        };
        Ok(Self {
            client,
            driver,
            _profile: profile,
        })
    }

    pub async fn launch() -> Result<Self> {
        Self::launch_sized(1280, 800).await
    }

    pub async fn goto(&self, url: &str) -> Result<()> {
        self.client.goto(url).await?;
        Ok(())
    }

    /// Waits for an element matching `css`.
    pub async fn wait(&self, css: &str) -> Result<Element> {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Ok(element) = self.client.find(Locator::Css(css)).await {
                return Ok(element);
            }
            if Instant::now() >= deadline {
                let path = self.screenshot("failure").await.ok();
                bail!("no `{css}` within {WAIT:?} (screenshot: {path:?})");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits for an element matching `css` whose text contains `text`, and returns its text.
    pub async fn wait_for_text(&self, css: &str, text: &str, timeout: Duration) -> Result<String> {
        let deadline = Instant::now() + timeout;
        let mut last = String::new();
        loop {
            if let Ok(elements) = self.client.find_all(Locator::Css(css)).await {
                for element in elements {
                    last = element.text().await.unwrap_or_default();
                    if last.contains(text) {
                        return Ok(last);
                    }
                }
            }
            if Instant::now() >= deadline {
                let path = self.screenshot("failure").await.ok();
                bail!(
                    "no `{css}` containing {text:?} within {timeout:?}; last text was {last:?} (screenshot: {path:?})"
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until no element matching `css` contains `text`.
    pub async fn wait_gone(&self, css: &str, text: &str) -> Result<()> {
        let deadline = Instant::now() + WAIT;
        loop {
            let mut present = false;
            for element in self
                .client
                .find_all(Locator::Css(css))
                .await
                .unwrap_or_default()
            {
                if element.text().await.unwrap_or_default().contains(text) {
                    present = true;
                }
            }
            if !present {
                return Ok(());
            }
            if Instant::now() >= deadline {
                bail!("`{css}` still contains {text:?} after {WAIT:?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Types into the field matching `css` (after clearing it).
    pub async fn fill(&self, css: &str, text: &str) -> Result<()> {
        let field = self.wait(css).await?;
        field.clear().await?;
        field.send_keys(text).await?;
        Ok(())
    }

    /// What axe-core (the npm package, injected into the page) finds against WCAG 2.0, 2.1
    /// and 2.2 levels A and AA on the page as it is now: one line per violation, with the
    /// elements it found it on. Empty when the page passes.
    pub async fn accessibility_violations(&self) -> Result<Vec<String>> {
        if self.js("return typeof window.axe").await? != "object" {
            let path =
                Path::new(env!("CARGO_MANIFEST_DIR")).join("../node_modules/axe-core/axe.min.js");
            let source = std::fs::read_to_string(&path).with_context(|| {
                format!(
                    "{} is missing (cargo xtask setup installs it)",
                    path.display()
                )
            })?;
            self.js(&source).await?;
        }
        let found = self
            .js(
                "const result = await axe.run(document, { \
                   runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] }, \
                   resultTypes: ['violations'] }); \
                 return result.violations.map(v => `${v.id} (${v.impact}): ${v.help} — ` + \
                   v.nodes.map(n => n.target.join(' ')).join(', '));",
            )
            .await?;
        Ok(serde_json::from_value(found)?)
    }

    /// Moves the mouse onto the element matching `css` (a little beside its centre, then onto
    /// it, so the page sees the pointer move even if it was there already), as a user reaching
    /// for it: what shows controls that hide while a video plays.
    pub async fn point_at(&self, css: &str) -> Result<Element> {
        use fantoccini::actions::{InputSource, MouseActions, PointerAction};
        let element = self.wait(css).await?;
        let to = |x: f64| PointerAction::MoveToElement {
            element: element.clone(),
            duration: None,
            x,
            y: 0.0,
        };
        let moves = MouseActions::new("mouse".into())
            .then(to(2.0))
            .then(to(0.0));
        self.client.perform_actions(moves).await?;
        Ok(element)
    }

    /// Accepts the page's open dialog (`confirm`, `alert`) and returns what it asked.
    pub async fn accept_dialog(&self) -> Result<String> {
        let deadline = Instant::now() + WAIT;
        loop {
            match self.client.get_alert_text().await {
                Ok(text) => {
                    self.client.accept_alert().await?;
                    return Ok(text);
                }
                Err(_) if Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(100)).await
                }
                Err(e) => return Err(e).context("no dialog opened"),
            }
        }
    }

    /// Sends `keys` to the element matching `css` (focusing it), as a user typing there.
    pub async fn press(&self, css: &str, keys: &str) -> Result<()> {
        self.wait(css).await?.send_keys(keys).await?;
        Ok(())
    }

    /// Presses Tab wherever the focus is (no element is focused first), as a keyboard user
    /// moving on from there.
    pub async fn tab(&self) -> Result<()> {
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        const TAB: char = '\u{e004}';
        let press = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value: TAB })
            .then(KeyAction::Up { value: TAB });
        self.client.perform_actions(press).await?;
        Ok(())
    }

    /// Chooses the interface's language (`en`, `ko`) as the profile page does, for the pages
    /// loaded from now on.
    pub async fn prefer_language(&self, lang: &str) -> Result<()> {
        self.js(&format!("localStorage.setItem('cloumer.lang', '{lang}')"))
            .await?;
        Ok(())
    }

    /// Waits until `script` (a function body) returns `true` in the page.
    pub async fn wait_until(&self, script: &str, what: &str) -> Result<()> {
        self.wait_until_within(script, what, WAIT).await
    }

    /// Waits until the document's title (what the tab, history and a screen reader call the
    /// page) is `expected`; a failure says what it was instead.
    pub async fn wait_title(&self, expected: &str) -> Result<()> {
        let check = format!(
            "return document.title === {}",
            serde_json::to_string(expected)?
        );
        if let Err(error) = self
            .wait_until(&check, &format!("titled {expected:?}"))
            .await
        {
            let title = self.js("return document.title").await?;
            bail!("{error}; the title is {title}");
        }
        Ok(())
    }

    /// [`Self::wait_until`] for something slower than a page (a video being transcoded on a
    /// loaded machine).
    pub async fn wait_until_within(
        &self,
        script: &str,
        what: &str,
        timeout: Duration,
    ) -> Result<()> {
        let deadline = Instant::now() + timeout;
        while self.js(script).await? != true {
            if Instant::now() >= deadline {
                let path = self.screenshot("failure").await.ok();
                bail!("not {what} within {timeout:?} (screenshot: {path:?})");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Ok(())
    }

    /// Clicks the element `css` finds; one redrawn between being found and clicked (a stale
    /// reference) is found again, as a person would click what is there now.
    pub async fn click(&self, css: &str) -> Result<()> {
        let deadline = Instant::now() + WAIT;
        loop {
            match self.wait(css).await?.click().await {
                Ok(()) => return Ok(()),
                Err(error) if error.is_stale_element_reference() && Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(error) => return Err(error.into()),
            }
        }
    }

    /// Opens a new tab of this browser (same profile: same sign-in, and it hears the others'
    /// `BroadcastChannel`s) at `url`, and acts on it from now on; returns the tab it left.
    pub async fn open_tab(&self, url: &str) -> Result<fantoccini::wd::WindowHandle> {
        let left = self.client.window().await?;
        let opened = self.client.new_window(true).await?;
        self.client.switch_to_window(opened.handle).await?;
        self.goto(url).await?;
        Ok(left)
    }

    /// Acts on the tab `tab` from now on; returns the tab it left.
    pub async fn switch_tab(
        &self,
        tab: fantoccini::wd::WindowHandle,
    ) -> Result<fantoccini::wd::WindowHandle> {
        let left = self.client.window().await?;
        self.client.switch_to_window(tab).await?;
        Ok(left)
    }

    /// Runs JavaScript in the page and returns its result.
    pub async fn js(&self, script: &str) -> Result<Value> {
        Ok(self.client.execute(script, vec![]).await?)
    }

    /// Goes into the frame `css` finds: what follows acts on the framed page.
    pub async fn enter_frame(&self, css: &str) -> Result<()> {
        self.wait(css).await?.enter_frame().await?;
        Ok(())
    }

    /// Back from a frame to the page around it.
    pub async fn leave_frame(&self) -> Result<()> {
        self.client.enter_parent_frame().await?;
        Ok(())
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

    /// The stream time (seconds) of the frame the page's `<video>` shows, read from the clock
    /// bars [`publish`] draws; `None` before a frame is shown.
    pub async fn displayed_stream_time(&self) -> Result<Option<f64>> {
        let script = format!(
            "const v = document.querySelector('video');
             if (!v || !v.videoWidth) return null;
             const c = document.createElement('canvas');
             c.width = v.videoWidth; c.height = v.videoHeight;
             const g = c.getContext('2d');
             g.drawImage(v, 0, 0);
             const row = Math.floor({half} * v.videoHeight / 360);
             const pixels = g.getImageData(0, row, c.width, 1).data;
             let hundredths = 0;
             for (let i = 0; i < {bits}; i++) {{
               const x = Math.floor((i + 0.5) * c.width / {bits});
               if (pixels[x * 4] > 128) hundredths += 2 ** i;
             }}
             return hundredths / 100;",
            half = CLOCK_BAR_HEIGHT / 2,
            bits = CLOCK_BITS
        );
        Ok(self.js(&script).await?.as_f64())
    }

    /// Signs in through the sign-in page.
    pub async fn sign_in(&self, stack: &TestStack, email: &str, password: &str) -> Result<()> {
        self.goto(&stack.url("/signin")).await?;
        self.fill("input[name=email]", email).await?;
        self.fill("input[name=password]", password).await?;
        self.click("form button[type=submit]").await?;
        // Signed in: the top bar offers to sign out.
        self.wait_for_text("header.topbar", "Sign out", WAIT)
            .await?;
        Ok(())
    }

    pub async fn close(self) -> Result<()> {
        self.client.clone().close().await?;
        Ok(())
    }

    /// A DevTools protocol connection to this browser, for what WebDriver cannot do (permissions,
    /// service workers, push). chromedriver says where the browser listens.
    pub async fn devtools(&self) -> Result<DevTools> {
        let address = self
            .client
            .capabilities()
            .and_then(|c| c.get("goog:chromeOptions"))
            .and_then(|o| o.get("debuggerAddress"))
            .and_then(Value::as_str)
            .context("chromedriver gave no debuggerAddress")?
            .to_owned();
        let version: Value = reqwest::get(format!("http://{address}/json/version"))
            .await?
            .json()
            .await?;
        let url = version["webSocketDebuggerUrl"]
            .as_str()
            .context("no browser WebSocket")?;
        let (socket, _) = tokio_tungstenite::connect_async(url).await?;
        Ok(DevTools {
            socket,
            next_id: 0,
            events: Vec::new(),
        })
    }
}

/// One DevTools protocol connection (the browser's), with sessions for its pages (flattened).
pub struct DevTools {
    socket: tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >,
    next_id: u64,
    /// Events read while waiting for answers, oldest first.
    events: Vec<Value>,
}

impl DevTools {
    /// Calls `method` (on the page session `session`, or the browser) and returns its result.
    pub async fn call(
        &mut self,
        session: Option<&str>,
        method: &str,
        params: Value,
    ) -> Result<Value> {
        use futures_util::{SinkExt, StreamExt};
        self.next_id += 1;
        let id = self.next_id;
        let mut message = json!({"id": id, "method": method, "params": params});
        if let Some(session) = session {
            message["sessionId"] = json!(session);
        }
        self.socket
            .send(tokio_tungstenite::tungstenite::Message::text(
                message.to_string(),
            ))
            .await?;
        loop {
            let frame = tokio::time::timeout(WAIT, self.socket.next())
                .await
                .with_context(|| format!("no answer to {method}"))?
                .context("DevTools closed")??;
            let Ok(text) = frame.to_text() else { continue };
            let Ok(answer) = serde_json::from_str::<Value>(text) else {
                continue;
            };
            if answer["id"] == json!(id) {
                if let Some(error) = answer.get("error") {
                    bail!("{method}: {error}");
                }
                return Ok(answer["result"].clone());
            }
            if answer.get("method").is_some() {
                self.events.push(answer);
            }
        }
    }

    /// A session on the first page whose URL starts with `url`.
    pub async fn attach_to_page(&mut self, url: &str) -> Result<String> {
        let targets = self.call(None, "Target.getTargets", json!({})).await?;
        let page = targets["targetInfos"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|t| t["type"] == "page" && t["url"].as_str().is_some_and(|u| u.starts_with(url)))
            .with_context(|| format!("no page at {url}: {targets}"))?;
        let attached = self
            .call(
                None,
                "Target.attachToTarget",
                json!({"targetId": page["targetId"], "flatten": true}),
            )
            .await?;
        Ok(attached["sessionId"]
            .as_str()
            .context("no session id")?
            .to_owned())
    }

    /// The events read so far and not yet waited for (for a failure's message).
    pub fn unclaimed_events(&self) -> &[Value] {
        &self.events
    }

    /// Waits for an event `method` that `matches`, also among those already read.
    pub async fn event(&mut self, method: &str, matches: impl Fn(&Value) -> bool) -> Result<Value> {
        use futures_util::StreamExt;
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(at) = self
                .events
                .iter()
                .position(|e| e["method"] == method && matches(&e["params"]))
            {
                return Ok(self.events.remove(at)["params"].clone());
            }
            let left = deadline
                .checked_duration_since(Instant::now())
                .with_context(|| format!("no {method} within {WAIT:?}"))?;
            let frame = tokio::time::timeout(left, self.socket.next())
                .await
                .with_context(|| format!("no {method} within {WAIT:?}"))?
                .context("DevTools closed")??;
            if let Ok(event) = frame.to_text().map(serde_json::from_str::<Value>)
                && let Ok(event) = event
                && event.get("method").is_some()
            {
                self.events.push(event);
            }
        }
    }
}

fn chromium_binary() -> String {
    std::env::var("CLOUMER_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_owned())
}
