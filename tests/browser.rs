//! The browser app in headless Chromium against the real local stack, with ffmpeg publishing.

use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use cloumer_e2e::{Browser, TestStack, copy_dir, dist_dir, publish, remove_compressed_copies};

const PASSWORD: &str = "Browser-Test-1";
const WAIT: Duration = Duration::from_secs(20);

/// What the app last read out to a screen reader about the page: its live region's text,
/// checked to be a live region that interrupts (a new page is news).
async fn announced(browser: &Browser) -> Result<String> {
    let region = browser
        .js("const r = document.getElementById('page-announcer');
             return [r.getAttribute('aria-live'), r.textContent];")
        .await?;
    anyhow::ensure!(region[0] == "assertive", "the announcer: {region}");
    Ok(region[1].as_str().unwrap_or_default().to_owned())
}

/// What the system's media controls are told is playing: `"title / artist / artwork"` (the
/// artwork's addresses against the page's own avatar: `avatar` when one is the same,
/// `avatar.png` for its PNG copy), or
/// `"nothing"` when the app leaves it to the browser.
async fn now_playing(browser: &Browser) -> Result<String> {
    let said = browser
        .js("const m = navigator.mediaSession.metadata;
             if (!m) return 'nothing';
             const avatar = document.querySelector('.channel-info img.avatar');
             const png = avatar && avatar.src.replace(/[.]svg$/, '.png');
             const art = m.artwork.map(a =>
                 !avatar ? a.src : a.src === avatar.src ? 'avatar' : a.src === png ? 'avatar.png' : a.src);
             return `${m.title} / ${m.artist} / ${art.join(' ')}`;")
        .await?;
    Ok(said.as_str().unwrap_or_default().to_owned())
}

async fn video_time(browser: &Browser) -> Result<f64> {
    Ok(browser
        .js("return document.querySelector('video').currentTime")
        .await?
        .as_f64()
        .unwrap_or(0.0))
}

/// The whole story: a streamer signs up and goes live with ffmpeg; viewers watch and chat; the
/// owner deletes a message and bans a viewer; a signed-out viewer reads; the stream ends.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_streamer_goes_live_and_viewers_watch_and_chat() -> Result<()> {
    let stack = TestStack::start(true).await?;

    // The streamer signs up, confirms the email and signs in, all through the app.
    let owner = Browser::launch().await?;
    owner.goto(&stack.url("/signup")).await?;
    owner
        .fill("input[name=email]", "streamer@example.com")
        .await?;
    owner.fill("input[name=password]", PASSWORD).await?;
    owner.fill("input[name=handle]", "e2e_streamer").await?;
    owner
        .wait_for_text("#handle-status", "Available", WAIT)
        .await?;
    owner.fill("input[name=nickname]", "방송인").await?;
    owner.screenshot("signup").await?;
    owner.click("form button[type=submit]").await?;
    owner
        .wait_for_text("h1", "Confirm your email", WAIT)
        .await?;
    owner.wait_title("Confirm your email · Cloumer").await?;
    let code = stack
        .stack
        .identity()
        .pending_code("streamer@example.com")
        .expect("a code");
    owner.fill("input[name=code]", &code).await?;
    owner.click("form button[type=submit]").await?;
    owner.wait_for_text("h1", "Sign in", WAIT).await?;
    owner.wait_title("Sign in · Cloumer").await?;
    owner.fill("input[name=password]", PASSWORD).await?;
    owner.screenshot("signin").await?;
    owner.click("form button[type=submit]").await?;
    owner
        .wait_for_text("header.topbar", "Sign out", WAIT)
        .await?;

    // The dashboard shows the ingest server and, on request, the stream key.
    owner.goto(&stack.url("/dashboard")).await?;
    owner
        .wait_for_text("[data-testid=live-state]", "Offline", WAIT)
        .await?;
    let key_field = owner.wait("[data-testid=stream-key]").await?;
    assert_eq!(
        key_field.attr("type").await?.as_deref(),
        Some("password"),
        "the key starts hidden"
    );
    owner.wait_for_text("button", "Reveal", WAIT).await?;
    owner
        .js("[...document.querySelectorAll('button')].find(b => b.textContent.trim() === 'Reveal').click()")
        .await?;
    let key = loop {
        let value = key_field.prop("value").await?.unwrap_or_default();
        if value.starts_with("sk_") {
            break value;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(key_field.attr("type").await?.as_deref(), Some("text"));
    let server = owner
        .wait("#ingest-server")
        .await?
        .prop("value")
        .await?
        .unwrap_or_default();
    assert_eq!(server, stack.stack.rtmp_url());
    owner.screenshot("dashboard-offline").await?;

    // ffmpeg publishes with that key.
    let publish_started = Instant::now();
    let mut ffmpeg = publish(&format!("{server}{key}"), 150)?;

    // A viewer signs in, sees the channel live in the directory, opens it and it plays.
    stack
        .account("alice@example.com", PASSWORD, "alice", "Alice")
        .await?;
    let alice = Browser::launch().await?;
    alice.sign_in(&stack, "alice@example.com", PASSWORD).await?;
    alice.goto(&stack.url("/")).await?;
    alice
        .wait_for_text(
            "[data-testid=live-grid] .card",
            "방송인",
            Duration::from_secs(30),
        )
        .await?;
    alice.screenshot("home-live").await?;
    alice.wait_title("Cloumer").await?;
    // A loaded document's title is read out by the screen reader itself: nothing to announce.
    assert_eq!(announced(&alice).await?, "");
    alice
        .click("[data-testid=live-grid] .card a.card-link")
        .await?;
    // The tab names what is on and who streams it (no title was given), and a screen reader
    // hears it, as it would on a page load.
    alice
        .wait_title("Untitled stream - 방송인 · Cloumer")
        .await?;
    assert_eq!(
        announced(&alice).await?,
        "Untitled stream - 방송인 · Cloumer"
    );
    alice.wait(".player[data-player-state=Playing]").await?;
    // The phone's lock screen and the browser's media controls say what is on and who streams
    // it, with their avatar (not the tab's title and the site's address).
    assert_eq!(
        now_playing(&alice).await?,
        "Untitled stream / 방송인 / avatar avatar.png"
    );
    alice
        .js("window.describedFirst = navigator.mediaSession.metadata")
        .await?;
    let first = video_time(&alice).await?;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let second = video_time(&alice).await?;
    assert!(
        second > first + 1.5,
        "the video time advances: {first} → {second}"
    );
    // Glass to glass: the stream time of the frame on screen, against the time since ffmpeg
    // started sending (its start-up counts against us: the figure is an upper bound), sampled
    // over a window (8 s here; `cargo xtask bench latency` asks for the minute the target is
    // about), counting the times the player stopped to buffer meanwhile.
    // `CLOUMER_LATENCY_QUALITY` (a menu label: `160p`) measures that quality instead of Auto.
    let quality = std::env::var("CLOUMER_LATENCY_QUALITY").ok();
    if let Some(label) = &quality {
        let height: u32 = label.trim_end_matches('p').parse()?;
        reach(&alice, ".player .quality-button").await?;
        alice.wait(".quality-menu:not([hidden])").await?;
        alice
            .js(&format!(
                "[...document.querySelectorAll('.quality-menu [role=menuitemradio]')]
                   .find(b => b.textContent === '{label}').click();"
            ))
            .await?;
        wait_video(
            &alice,
            &format!("v.videoHeight === {height}"),
            &format!("{label} playing"),
        )
        .await?;
    }
    tokio::time::sleep(Duration::from_secs(10)).await;
    let window: u64 = std::env::var("CLOUMER_LATENCY_WINDOW_SECS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(8);
    // A stop to buffer is one the viewer sees: the player buffering for half a second or more
    // (when the app shows it). A seek within what is buffered, as a skip ahead to near live
    // is, buffers for about a fifth of a second; those are counted apart.
    alice
        .js("window.cloumerStops = { seen: 0, brief: 0, since: null };
             const player = document.querySelector('.player'), stops = window.cloumerStops;
             new MutationObserver(() => {
               const buffering = player.dataset.playerState === 'Buffering';
               if (buffering && stops.since === null) stops.since = performance.now();
               if (!buffering && stops.since !== null) {
                 if (performance.now() - stops.since >= 500) stops.seen += 1; else stops.brief += 1;
                 stops.since = null;
               }
             }).observe(player, { attributes: true, attributeFilter: ['data-player-state'] });")
        .await?;
    // How fast the browser plays against the wall clock: on a machine short of CPU (the
    // publisher, nginx, the ladder's encoder and two browsers on two cores) it has measured
    // 0.95×, and the latency grows by what it falls behind.
    let media_clock = async || -> Result<(f64, f64)> {
        let clocks = alice
            .js("return [document.querySelector('video').currentTime, performance.now() / 1000];")
            .await?;
        Ok((
            clocks[0].as_f64().unwrap_or_default(),
            clocks[1].as_f64().unwrap_or_default(),
        ))
    };
    let (played_from, wall_from) = media_clock().await?;
    let mut latencies = Vec::new();
    let (mut ahead, mut rates, mut readings) = (Vec::new(), Vec::new(), Vec::new());
    let until = Instant::now() + Duration::from_secs(window);
    while Instant::now() < until {
        if let Some(shown) = alice.displayed_stream_time().await? {
            latencies.push(publish_started.elapsed().as_secs_f64() - shown);
            // What the page holds ahead of the picture, and the rate it plays at: which of the
            // two a latency that grows comes from.
            // And the player's own reading of its latency (from the segments' timed metadata).
            let held = alice
                .js("const v = document.querySelector('video'), b = v.buffered;
                     return [b.length ? b.end(b.length - 1) - v.currentTime : 0, v.playbackRate,
                             Number(document.querySelector('.player').dataset.latency || 0)];")
                .await?;
            readings.push(held[2].as_f64().unwrap_or_default());
            ahead.push(held[0].as_f64().unwrap_or_default());
            let rate = held[1].as_f64().unwrap_or(1.0);
            if !rates.contains(&rate) {
                rates.push(rate);
            }
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let stops = alice
        .js("const stops = window.cloumerStops;
             const lasting = stops.since !== null && performance.now() - stops.since >= 500;
             return [stops.seen + (lasting ? 1 : 0), stops.brief,
                     Number(document.querySelector('.player').dataset.skipsAhead)];")
        .await?;
    let count = |at: usize| stops[at].as_u64().unwrap_or(u64::MAX);
    let (stalls, brief_stops, skips) = (count(0), count(1), count(2));
    let (played_to, wall_to) = media_clock().await?;
    let pace = (played_to - played_from) / (wall_to - wall_from);
    assert!(
        latencies.len() as u64 >= window,
        "frames were read: {latencies:?}"
    );
    latencies.sort_by(f64::total_cmp);
    ahead.sort_by(f64::total_cmp);
    readings.sort_by(f64::total_cmp);
    let median = latencies[latencies.len() / 2];
    let reading = readings[readings.len() / 2];
    println!(
        "glass-to-glass latency in the IVS player ({}) over {window} s: median {median:.2} s, \
         range {:.2}–{:.2} s, {stalls} stops to buffer ({brief_stops} shorter than 0.5 s), \
         played at {pace:.3}× the wall clock, {:.2} s held ahead of the picture (median), \
         playback rates seen {rates:?}; the player reads {reading:.2} s (median), and skipped \
         ahead {skips} times since it started",
        quality.as_deref().unwrap_or("Auto"),
        latencies[0],
        latencies[latencies.len() - 1],
        ahead[ahead.len() / 2]
    );
    // The player reads its latency from when each segment's first frame reached the server, as
    // on IVS: the publisher's encoding and sending come before that, so it reads no more than
    // the glass-to-glass figure (which counts ffmpeg's start-up too), and it reads something.
    assert!(
        reading > 0.0 && reading <= median + 0.5,
        "the player reads {reading:.2} s behind live, against {median:.2} s glass to glass: \
         {readings:?}"
    );
    // The ≤ 2 s target, with no stop to buffer, is a speed target, checked by `cargo xtask bench
    // latency` (which sets CLOUMER_LATENCY_BUDGET_SECS=2) on a quiet machine; under a loaded CI
    // run the same path has measured 3.4 s. The test's own bound says the player sits at the
    // live edge rather than replaying the stream from its start.
    let budget: Option<f64> = std::env::var("CLOUMER_LATENCY_BUDGET_SECS")
        .ok()
        .and_then(|v| v.parse().ok());
    let bound = budget.unwrap_or(8.0);
    assert!(
        median > 0.0 && median <= bound,
        "live latency {median:.2} s should be at most {bound} s: {latencies:?}"
    );
    if budget.is_some() {
        assert_eq!(stalls, 0, "the player stopped to buffer");
    }
    alice.screenshot("channel-live").await?;

    // A second viewer; they chat with each other.
    stack
        .account("bob@example.com", PASSWORD, "bob", "Bob")
        .await?;
    let bob = Browser::launch_sized(420, 860).await?;
    bob.sign_in(&stack, "bob@example.com", PASSWORD).await?;
    bob.goto(&stack.url("/e2e_streamer")).await?;
    bob.wait_for_text(".chat-state", "Connected", WAIT).await?;
    alice
        .wait_for_text(".chat-state", "Connected", WAIT)
        .await?;
    alice.fill("#chat-input", "안녕하세요 from Alice").await?;
    alice.click(".chat-form button[type=submit]").await?;
    bob.wait_for_text(".chat-line", "안녕하세요 from Alice", WAIT)
        .await?;
    bob.fill("#chat-input", "hi Alice, Bob here").await?;
    bob.click(".chat-form button[type=submit]").await?;
    alice
        .wait_for_text(".chat-line", "hi Alice, Bob here", WAIT)
        .await?;
    bob.screenshot("channel-phone").await?;
    // Alice's page learns of Bob when it next fetches the channel (every 20 s). What plays did
    // not change, so the media controls are not told again (which may redraw them and fetch the
    // artwork anew).
    alice
        .wait_for_text(".channel-stats", "2 viewers", Duration::from_secs(45))
        .await?;
    assert_eq!(
        alice
            .js("return navigator.mediaSession.metadata === window.describedFirst")
            .await?,
        true,
        "the media controls were told again what they already knew"
    );

    // The owner deletes Alice's message: it disappears for Bob.
    owner.goto(&stack.url("/e2e_streamer")).await?;
    owner
        .wait_for_text(".chat-line", "안녕하세요 from Alice", WAIT)
        .await?;
    owner
        .js("[...document.querySelectorAll('.chat-line')].find(l => l.textContent.includes('from Alice')).querySelector('.delete-message').click()")
        .await?;
    bob.wait_gone(".chat-line", "안녕하세요 from Alice").await?;
    alice
        .wait_gone(".chat-line", "안녕하세요 from Alice")
        .await?;

    // The owner bans Bob: his chat locks and he cannot send.
    owner
        .js("[...document.querySelectorAll('.chat-line')].find(l => l.textContent.includes('Bob here')).querySelector('.ban-user').click()")
        .await?;
    bob.wait_for_text(".chat", "You are banned from this chat.", WAIT)
        .await?;
    let inputs = bob
        .js("return document.querySelectorAll('#chat-input').length")
        .await?;
    assert_eq!(inputs.as_u64(), Some(0), "a banned viewer has no send box");

    // In Korean, at every width from a small phone's to a laptop's, the channel's title keeps
    // room for words (12rem); the stats and the follow button go to the next line when they do
    // not fit. They used to take the row whenever they fitted beside the avatar, squeezing the
    // title to a letter per line (17 px wide).
    bob.prefer_language("ko").await?;
    bob.goto(&stack.url("/e2e_streamer")).await?;
    bob.wait_for_text(".channel-stats", "시청 중", WAIT).await?;
    bob.screenshot("channel-phone-ko").await?;
    let mut devtools = bob.devtools().await?;
    let page = devtools.attach_to_page(&stack.url("/e2e_streamer")).await?;
    for width in (320..=1280).step_by(20) {
        devtools
            .call(
                Some(&page),
                "Emulation.setDeviceMetricsOverride",
                serde_json::json!({"width": width, "height": 860, "deviceScaleFactor": 1, "mobile": false}),
            )
            .await?;
        let title_width = bob
            .js("return document.querySelector('.channel-title').getBoundingClientRect().width")
            .await?;
        assert!(
            title_width.as_f64().is_some_and(|title| title >= 150.0),
            "the channel title is {title_width} px wide in a {width} px window"
        );
    }
    owner.screenshot("channel-owner").await?;

    // A signed-out viewer reads the chat but cannot send.
    let guest = Browser::launch().await?;
    guest.goto(&stack.url("/e2e_streamer")).await?;
    guest
        .wait_for_text(".chat-line", "hi Alice, Bob here", WAIT)
        .await?;
    guest
        .wait_for_text(".chat-locked", "Sign in to chat.", WAIT)
        .await?;
    let inputs = guest
        .js("return document.querySelectorAll('#chat-input').length")
        .await?;
    assert_eq!(inputs.as_u64(), Some(0));

    // The stream ends: the page shows the channel offline.
    ffmpeg.kill().await?;
    alice
        .wait_for_text(
            ".channel-layout[data-live=false] .player.offline",
            "offline",
            Duration::from_secs(30),
        )
        .await?;
    alice.screenshot("channel-offline").await?;
    alice.wait_title("방송인 · Cloumer").await?;
    // The player is gone: the media controls no longer describe it.
    assert_eq!(now_playing(&alice).await?, "nothing");

    // The broadcast was recorded: it plays as a past broadcast.
    alice.goto(&stack.url("/")).await?;
    alice
        .wait_for_text(
            "#recent-heading + .grid .card",
            "방송인",
            Duration::from_secs(30),
        )
        .await?;
    alice
        .click("#recent-heading + .grid .card a.card-link")
        .await?;
    alice
        .wait_title("Untitled stream - 방송인 · Cloumer")
        .await?;
    assert_eq!(
        announced(&alice).await?,
        "Untitled stream - 방송인 · Cloumer"
    );
    alice.wait(".player[data-player-state=Playing]").await?;
    alice.screenshot("recording").await?;

    // The Korean interface, and the profile page.
    owner.goto(&stack.url("/profile")).await?;
    owner.wait("select#lang").await?;
    owner.js("const s = document.querySelector('select#lang'); s.value = 'ko'; s.dispatchEvent(new Event('change'));").await?;
    owner.wait_for_text("h1", "내 프로필", WAIT).await?;
    owner.screenshot("profile-ko").await?;
    owner.goto(&stack.url("/")).await?;
    owner.wait_for_text("h1", "지금 방송 중", WAIT).await?;
    owner.screenshot("home-ko").await?;

    for browser in [owner, alice, bob, guest] {
        browser.close().await?;
    }
    stack.stack.shutdown().await?;
    Ok(())
}

/// A call that cannot reach the server is explained in the interface's language, in words a
/// viewer understands (not the browser's "TypeError: Failed to fetch"): English at desktop width,
/// Korean on a phone.
#[tokio::test]
async fn a_call_that_cannot_reach_the_server_is_explained_in_the_viewers_language() -> Result<()> {
    let stack = TestStack::start(false).await?;
    stack
        .account("calm@example.com", PASSWORD, "calm_star", "조용한 별")
        .await?;
    stack
        .account("reader@example.com", PASSWORD, "reader", "독자")
        .await?;
    for (browser, lang, expected, shot) in [
        (
            Browser::launch().await?,
            "en",
            "Could not reach the server. Check your connection and try again.",
            "follow-offline",
        ),
        (
            Browser::launch_sized(420, 860).await?,
            "ko",
            "서버에 연결할 수 없어요. 인터넷 연결을 확인하고 다시 해 주세요.",
            "follow-offline-ko-phone",
        ),
    ] {
        browser
            .sign_in(&stack, "reader@example.com", PASSWORD)
            .await?;
        browser.prefer_language(lang).await?;
        browser.goto(&stack.url("/calm_star")).await?;
        browser.wait(".follow-box button.follow").await?;
        let mut devtools = browser.devtools().await?;
        let page = devtools.attach_to_page(&stack.url("/calm_star")).await?;
        devtools
            .call(Some(&page), "Network.enable", serde_json::json!({}))
            .await?;
        devtools
            .call(
                Some(&page),
                "Network.emulateNetworkConditions",
                serde_json::json!({"offline": true, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}),
            )
            .await?;
        browser.click(".follow-box button.follow").await?;
        browser
            .wait_for_text(".follow-box [role=alert]", expected, WAIT)
            .await?;
        browser.screenshot(shot).await?;
        browser.close().await?;
    }
    Ok(())
}

/// The width and height a PNG's header gives (its first chunk must be IHDR).
fn png_size(bytes: &[u8]) -> Option<(u32, u32)> {
    let signature = b"\x89PNG\r\n\x1a\n";
    if bytes.len() < 24 || &bytes[..8] != signature || &bytes[12..16] != b"IHDR" {
        return None;
    }
    let number = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
    Some((number(16), number(20)))
}

/// Another site's page (its own origin: another port): `body` as HTML for every request.
async fn other_site(body: String) -> Result<String> {
    let site = axum::Router::new().fallback(move || async move { axum::response::Html(body) });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, site).await });
    Ok(url)
}

/// A streamer copies their player's embed code from the dashboard, a fan site pastes it, and
/// its visitors watch the stream there: offline first, live as soon as the stream starts. The
/// player comes alone (nothing in it acts for a signed-in viewer) with a link to the channel in
/// a new tab. The site's other pages still refuse to be framed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_site_embeds_a_channels_player_and_only_that() -> Result<()> {
    let stack = TestStack::start(true).await?;
    stack
        .account("embedded@example.com", PASSWORD, "on_air", "On Air")
        .await?;
    let owner = Browser::launch().await?;
    owner
        .sign_in(&stack, "embedded@example.com", PASSWORD)
        .await?;
    let key = stream_key(&owner).await?;
    owner.goto(&stack.url("/dashboard")).await?;
    owner.wait("[data-testid=embed-code]").await?;
    let code = owner
        .js("return document.querySelector('[data-testid=embed-code]').value")
        .await?;
    let code = code.as_str().context("no embed code")?.to_owned();
    assert!(
        code.starts_with(&format!(
            "<iframe src=\"{}\" width=\"640\" height=\"360\"",
            stack.url("/embed/on_air")
        )),
        "{code}"
    );
    owner
        .js("document.querySelector('#share-heading').scrollIntoView()")
        .await?;
    owner.screenshot("dashboard-share").await?;
    owner.close().await?;

    let fan_site = other_site(format!(
        "<!doctype html><html><head><title>Fan site</title></head><body><h1>On Air, live here</h1>{code}<iframe id=\"app\" src=\"{}\" width=\"320\" height=\"200\"></iframe><iframe id=\"under\" src=\"{}\" width=\"320\" height=\"200\"></iframe><iframe id=\"typo\" src=\"{}\" width=\"320\" height=\"200\"></iframe></body></html>",
        stack.url("/dashboard"),
        stack.url("/embed/on_air/dashboard"),
        stack.url("/embed/on_ayr"),
    ))
    .await?;
    let fan = Browser::launch().await?;
    // A viewer finds the same code on the channel's page.
    fan.goto(&stack.url("/on_air")).await?;
    assert_eq!(embed_code(&fan).await?, code);
    show_embed_code(&fan).await?;
    fan.screenshot("channel-share").await?;
    // Someone follows a mistyped link to the channel page itself, in another window.
    let lost = Browser::launch().await?;
    lost.goto(&stack.url("/on_ayr")).await?;
    lost.wait_for_text("main", "This page does not exist.", WAIT)
        .await?;
    fan.goto(&fan_site).await?;
    let loaded = Instant::now();
    fan.enter_frame("iframe[src$='/embed/on_air']").await?;
    fan.wait_for_text(".embed .player.offline", "offline", WAIT)
        .await?;
    // The player alone: no top bar, nothing to sign in to; the channel opens in a new tab.
    assert_eq!(
        fan.js("return document.querySelectorAll('.topbar, form, button').length")
            .await?,
        0
    );
    assert_eq!(
        embed_link(&fan).await?,
        format!(
            "{} | _blank | noopener | On Air · Watch on Cloumer",
            stack.url("/on_air")
        )
    );
    fan.leave_frame().await?;
    // The dashboard may not be framed: the browser shows its own error there, not the app.
    fan.enter_frame("iframe#app").await?;
    fan.wait_until(
        "return document.readyState === 'complete' && !document.querySelector('#main')",
        "the framed dashboard refused",
    )
    .await?;
    fan.leave_frame().await?;
    // Under /embed/ (framable), a path that names no player shows none of the app's pages.
    fan.enter_frame("iframe#under").await?;
    fan.wait_for_text(".embed .player.offline", "There is no such channel", WAIT)
        .await?;
    assert_eq!(
        fan.js("return document.querySelectorAll('.topbar, form, button, a').length")
            .await?,
        0
    );
    fan.leave_frame().await?;

    // The stream starts: the embedded player finds it on its next look (every 20 s) and plays.
    let mut ffmpeg = publish(&format!("{}{key}", stack.stack.rtmp_url()), 90)?;
    fan.enter_frame("iframe[src$='/embed/on_air']").await?;
    fan.wait_until_within(
        "return !!document.querySelector('.embed .player[data-player-state=Playing]')",
        "the embedded player playing the live stream",
        Duration::from_secs(60),
    )
    .await?;
    let first = video_time(&fan).await?;
    fan.wait_until_within(
        &format!("return document.querySelector('video').currentTime > {first} + 2"),
        "the embedded video playing on",
        WAIT,
    )
    .await?;
    // Muted, as browsers allow a page to start playing by itself; the viewer may unmute.
    assert_eq!(video_property(&fan, "muted").await?, true);
    fan.leave_frame().await?;
    fan.screenshot("embed-live-on-another-site").await?;
    // The embedded player holds no chat connection, and counts as a viewer all the same, as
    // IVS counts playback (it counted nobody while viewers were chat connections).
    let counted = Instant::now();
    loop {
        let channel: serde_json::Value = reqwest::get(stack.url("/api/v1/channels/on_air"))
            .await?
            .json()
            .await?;
        if channel["viewerCount"] == 1 {
            break;
        }
        anyhow::ensure!(
            counted.elapsed() < WAIT,
            "the embedded player is not counted: {channel}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    ffmpeg.kill().await?;
    // A mistyped handle's embed says there is no such channel, and asks no more after that
    // (the others look every 20 s).
    tokio::time::sleep(Duration::from_secs(25).saturating_sub(loaded.elapsed())).await;
    fan.enter_frame("iframe#typo").await?;
    fan.wait_for_text(".embed .player.offline", "There is no such channel", WAIT)
        .await?;
    let asked = fan
        .js("return performance.getEntriesByType('resource') \
             .filter(e => e.name.includes('/api/v1/channels/on_ayr')).length")
        .await?;
    assert_eq!(asked, 1, "the missing channel was asked about once");
    fan.leave_frame().await?;
    fan.close().await?;
    // Its page, like its embed, asked once: the channel, its chat room, history, emotes and
    // who is in it, each once (the room's token had been asked for again and again, with
    // backoff, and the channel every 20 s).
    let asked = lost
        .js("return performance.getEntriesByType('resource') \
             .map(e => new URL(e.name).pathname) \
             .filter(p => p.startsWith('/api/v1/channels/on_ayr'))")
        .await?;
    let asked: Vec<&str> = asked
        .as_array()
        .context("resources")?
        .iter()
        .filter_map(|path| path.as_str())
        .collect();
    let once: std::collections::BTreeSet<&str> = asked.iter().copied().collect();
    assert!(
        once.contains("/api/v1/channels/on_ayr") && once.len() == asked.len(),
        "the missing channel's page asked about each thing once: {asked:?}"
    );
    lost.close().await?;
    Ok(())
}

/// A streamer ends by raiding another live channel from the dashboard: the people on their page
/// are told where they are going and moved there after a countdown (one stays, the first time);
/// the other channel's chat welcomes them and its streamer's notifications say who came, in
/// Korean on a phone; once that streamer takes no raids, the next is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_streamer_raids_another_channel_and_the_viewers_move_there() -> Result<()> {
    let stack = TestStack::start(true).await?;
    let raider_key = streamer(&stack, "raider@example.com", "mina", "Mina").await?;
    let host_key = streamer(&stack, "host@example.com", "jun", "준").await?;
    let mut raiding = publish(&format!("{}{raider_key}", stack.stack.rtmp_url()), 120)?;
    let mut hosting = publish(&format!("{}{host_key}", stack.stack.rtmp_url()), 120)?;
    let mina = Browser::launch().await?;
    mina.sign_in(&stack, "raider@example.com", PASSWORD).await?;
    mina.goto(&stack.url("/dashboard")).await?;
    mina.wait_for_text("[data-testid=live-state]", "LIVE", Duration::from_secs(30))
        .await?;

    let viewer = Browser::launch().await?;
    viewer.goto(&stack.url("/mina")).await?;
    viewer.wait(".chat-state[data-state=Connected]").await?;
    // Jun watches their own channel on a phone, in Korean.
    let host_fan = korean_phone(&stack, "host@example.com").await?;
    host_fan.goto(&stack.url("/jun")).await?;
    host_fan.wait(".chat-state[data-state=Connected]").await?;

    // Refused with the reason: one's own channel.
    mina.fill("#raid-target", "mina").await?;
    mina.click("[aria-labelledby=raid-heading] button[type=submit]")
        .await?;
    mina.wait_for_text(
        "[aria-labelledby=raid-heading] .error",
        "choose another channel",
        WAIT,
    )
    .await?;
    // The first raid: the viewer reads where to, and stays.
    mina.fill("#raid-target", "@jun").await?;
    mina.click("[aria-labelledby=raid-heading] button[type=submit]")
        .await?;
    mina.wait_for_text("[aria-labelledby=raid-heading] .info", "to 준.", WAIT)
        .await?;
    mina.js("document.querySelector('#raid-heading').scrollIntoView({block: 'center'})")
        .await?;
    mina.screenshot("dashboard-raid").await?;
    viewer
        .wait_for_text(
            ".raid-notice [role=alert]",
            "Raid! The stream is sending everyone to 준's channel.",
            WAIT,
        )
        .await?;
    viewer.screenshot("channel-raid-notice").await?;
    viewer.click(".raid-notice button.secondary").await?;
    tokio::time::sleep(Duration::from_secs(7)).await;
    assert_eq!(
        viewer.js("return location.pathname").await?,
        "/mina",
        "the viewer stayed"
    );
    // The other channel's chat heard who is coming, and links to them.
    let welcome = host_fan
        .wait_for_text(".raided-notice a", "Mina 님이 시청자", WAIT)
        .await?;
    assert!(welcome.ends_with("명과 함께 습격했어요!"), "{welcome}");
    assert_eq!(
        host_fan
            .js("return document.querySelector('.raided-notice a').getAttribute('href')")
            .await?,
        "/mina"
    );
    host_fan.screenshot("channel-raided-ko-phone").await?;
    // Jun's notifications say it too, with how many came, and lead to Mina's channel.
    host_fan.goto(&stack.url("/notifications")).await?;
    let told = host_fan
        .wait_for_text("a.notification", "님이 내 채널을 습격했어요 (", WAIT)
        .await?;
    assert!(
        told.starts_with("Mina 님이 내 채널을 습격했어요 ("),
        "{told}"
    );
    assert_eq!(
        host_fan
            .js("return document.querySelector('a.notification').getAttribute('href')")
            .await?,
        "/mina"
    );
    host_fan.screenshot("notifications-raid-ko-phone").await?;

    // The second: the countdown runs out and the page moves to the other channel, playing.
    mina.click("[aria-labelledby=raid-heading] button[type=submit]")
        .await?;
    viewer
        .wait_for_text(".raid-notice [role=alert]", "준's channel", WAIT)
        .await?;
    viewer
        .wait_until_within(
            "return location.pathname === '/jun' \
             && !!document.querySelector('.player[data-player-state=Playing]')",
            "the viewer moved to the raided channel, playing",
            Duration::from_secs(30),
        )
        .await?;
    assert_eq!(
        viewer
            .js("return document.querySelectorAll('.raid-notice').length")
            .await?,
        0
    );
    // Jun takes no more raids (a phone, in Korean): the next is refused with the reason.
    host_fan.goto(&stack.url("/dashboard")).await?;
    host_fan.wait("select[name=raids]").await?;
    host_fan
        .js("const s = document.querySelector('select[name=raids]'); \
             s.value = 'NOBODY'; s.dispatchEvent(new Event('change'));")
        .await?;
    host_fan
        .click("[aria-labelledby=settings-heading] button[type=submit]")
        .await?;
    host_fan
        .wait("[aria-labelledby=settings-heading] .info")
        .await?;
    host_fan
        .js("document.querySelector('select[name=raids]').scrollIntoView({block: 'center'})")
        .await?;
    host_fan.screenshot("dashboard-raids-off-ko-phone").await?;
    mina.click("[aria-labelledby=raid-heading] button[type=submit]")
        .await?;
    mina.wait_for_text(
        "[aria-labelledby=raid-heading] .error",
        "that channel does not take raids",
        WAIT,
    )
    .await?;
    // The dashboard says what was sent in the language switched to.
    mina.js("const s = document.querySelector('select#lang'); \
             s.value = 'ko'; s.dispatchEvent(new Event('change'));")
        .await?;
    mina.wait_for_text(
        "[aria-labelledby=raid-heading] .error",
        "그 채널은 습격을 받지 않아요.",
        WAIT,
    )
    .await?;
    mina.js("document.querySelector('#raid-heading').scrollIntoView({block: 'center'})")
        .await?;
    mina.screenshot("dashboard-raid-ko").await?;
    raiding.kill().await?;
    hosting.kill().await?;
    for browser in [mina, viewer, host_fan] {
        browser.close().await?;
    }
    Ok(())
}

/// Crawlers that draw link cards draw no SVG: the build draws every built-in avatar as a PNG,
/// and an offline channel's card shows its streamer's.
#[tokio::test]
async fn a_shared_link_to_an_offline_channel_shows_its_streamers_avatar_as_a_png() -> Result<()> {
    let stack = TestStack::start(false).await?;
    let client = reqwest::Client::new();
    for name in cloumer_domain::profile::PRESET_AVATARS {
        let response = client
            .get(stack.url(&format!("/avatars/{name}.png")))
            .send()
            .await?;
        assert_eq!(response.status(), 200, "{name}");
        assert_eq!(response.headers()["content-type"], "image/png", "{name}");
        let bytes = response.bytes().await?;
        assert_eq!(png_size(&bytes), Some((256, 256)), "{name}");
    }

    stack
        .account(
            "offline@example.com",
            PASSWORD,
            "offline_one",
            "Offline One",
        )
        .await?;
    let page = client
        .get(stack.url("/offline_one"))
        .send()
        .await?
        .text()
        .await?;
    let key = "<meta property=\"og:image\" content=\"";
    let start = page.find(key).context("no og:image")? + key.len();
    let image = &page[start..start + page[start..].find('"').context("unclosed")?];
    let avatar = image
        .strip_prefix(&stack.url("/avatars/"))
        .and_then(|name| name.strip_suffix(".png"))
        .with_context(|| format!("not an avatar: {image}"))?;
    assert!(
        cloumer_domain::profile::PRESET_AVATARS.contains(&avatar),
        "{image}"
    );
    assert!(
        page.contains("<meta name=\"twitter:card\" content=\"summary\" />"),
        "{page}"
    );
    // The app still starts from this page.
    assert!(page.contains("<script type=\"module\""), "{page}");
    Ok(())
}

#[tokio::test]
async fn an_unknown_channel_shows_not_found_and_the_home_page_explains_an_empty_directory()
-> Result<()> {
    let stack = TestStack::start(false).await?;
    let browser = Browser::launch().await?;
    browser.goto(&stack.url("/")).await?;
    browser
        .wait_for_text("main", "Nobody is live right now", WAIT)
        .await?;
    // The home page is in the main module; it fetches the watching pages' code ahead of a
    // click, and nothing else.
    wait_until_fetched(&browser, "/split_watch-").await?;
    assert!(!fetched(&browser, "/split_dashboard-").await?);
    assert!(!fetched(&browser, "/split_account-").await?);
    // The app's code crossed the network compressed: wasm and scripts arrive at well under half
    // their size, as build-web's brotli copies (Chromium asks for brotli on localhost, as every
    // browser does over HTTPS; gzip only on plain HTTP elsewhere).
    let dist = dist_dir()?;
    let sizes = browser
        .js("return performance.getEntriesByType('resource') \
               .filter(e => /\\/(cloumer-web|split_watch)-.*\\.(wasm|js)$/.test(e.name)) \
               .map(e => [e.name, e.encodedBodySize, e.decodedBodySize])")
        .await?;
    let sizes = sizes.as_array().context("resource sizes")?;
    assert!(
        sizes.len() >= 3,
        "main wasm, main JS, watch chunk: {sizes:?}"
    );
    for entry in sizes {
        let (sent, size) = (
            entry[1].as_f64().unwrap_or(0.0),
            entry[2].as_f64().unwrap_or(0.0),
        );
        assert!(
            sent > 0.0 && sent < size / 2.0,
            "not compressed on the way: {entry}"
        );
        let name = entry[0].as_str().unwrap_or_default().rsplit('/').next();
        let brotli_copy = dist.join(format!("{}.br", name.unwrap_or_default()));
        assert_eq!(
            sent,
            std::fs::metadata(&brotli_copy)
                .with_context(|| format!("build-web's copy {}", brotli_copy.display()))?
                .len() as f64,
            "sent as {}: {entry}",
            brotli_copy.display()
        );
    }
    // The Content-Security-Policy lets the app's own scripts run, not injected ones.
    let injected = browser
        .js("const s = document.createElement('script'); \
             s.textContent = 'window.injected = true'; \
             document.head.append(s); \
             return window.injected === true")
        .await?;
    assert_eq!(
        injected,
        serde_json::Value::Bool(false),
        "an injected script ran"
    );
    browser.goto(&stack.url("/nobody_here")).await?;
    browser
        .wait_for_text("main", "This page does not exist.", WAIT)
        .await?;
    // A channel nobody has is a page that does not exist, in the tab as on the page.
    browser.wait_title("Page not found · Cloumer").await?;
    // Pages outside the main module arrive on demand (the story test walks through each).
    // A keyboard user following a link in the top bar (which stays) starts on the new page's
    // content, as after a page load, not at the link: the next Tab reaches the sign-in form.
    browser.goto(&stack.url("/")).await?;
    let enter = "\u{e007}";
    browser.press("header a[href='/signin']", enter).await?;
    browser.wait_for_text("h1", "Sign in", WAIT).await?;
    assert!(fetched(&browser, "/split_account-").await?);
    let focused =
        "const e = document.activeElement; return e.id || e.getAttribute('name') || e.tagName";
    assert_eq!(browser.js(focused).await?, "main");
    // No focus ring around the whole page (the keyboard's focus is visible from the next Tab).
    browser.screenshot("signin-reached-by-keyboard").await?;
    browser.tab().await?;
    assert_eq!(browser.js(focused).await?, "email");
    // Back to the home page: focus starts at its content again.
    browser.js("history.back()").await?;
    browser.wait_title("Cloumer").await?;
    assert_eq!(browser.js(focused).await?, "main");
    browser.close().await?;
    stack.stack.shutdown().await?;
    Ok(())
}

/// The first Tab on a page reaches a "skip to content" link, shown only then, which takes the
/// keyboard past the top bar to the page: English at desktop width, Korean on a phone.
#[tokio::test]
async fn a_keyboard_user_skips_the_top_bar_to_the_page() -> Result<()> {
    let stack = TestStack::start(false).await?;
    for (browser, lang, label, shot) in [
        (
            Browser::launch().await?,
            "en",
            "Skip to content",
            "skip-link",
        ),
        (
            Browser::launch_sized(420, 860).await?,
            "ko",
            "본문 바로가기",
            "skip-link-phone-ko",
        ),
    ] {
        browser.goto(&stack.url("/signin")).await?;
        browser.prefer_language(lang).await?;
        browser.goto(&stack.url("/signin")).await?;
        browser.wait("input[name=email]").await?;
        let skip_link = "const a = document.querySelector('.skip-link'); \
                         const r = a.getBoundingClientRect(); \
                         return [a.textContent, document.activeElement === a, \
                                 r.bottom > 0 && r.top >= 0];";
        assert_eq!(
            browser.js(skip_link).await?,
            serde_json::json!([label, false, false]),
            "out of sight until reached"
        );
        browser.tab().await?;
        assert_eq!(
            browser.js(skip_link).await?,
            serde_json::json!([label, true, true]),
            "the first Tab reaches it, in sight"
        );
        browser.screenshot(shot).await?;
        browser.press(".skip-link", "\u{e007}").await?; // Enter
        let focused = "const e = document.activeElement; \
                       return [e.id || e.getAttribute('name'), location.pathname + location.hash];";
        assert_eq!(
            browser.js(focused).await?,
            serde_json::json!(["main", "/signin"])
        );
        browser.tab().await?;
        assert_eq!(
            browser.js(focused).await?,
            serde_json::json!(["email", "/signin"])
        );
        browser.close().await?;
    }
    stack.stack.shutdown().await?;
    Ok(())
}

/// On a phone, from the narrowest (320 px) up, a signed-in viewer's top bar still links to their
/// profile (their name, shortened if it must be), its buttons each on one line, without the
/// page scrolling sideways.
#[tokio::test]
async fn a_signed_in_viewer_reaches_their_profile_from_the_top_bar_on_a_phone() -> Result<()> {
    let stack = TestStack::start(false).await?;
    stack
        .account(
            "calm@example.com",
            PASSWORD,
            "calm_star",
            "조용한 별빛 아래의 시청자",
        )
        .await?;
    for (width, lang, profile, shot) in [
        (320, "ko", "내 프로필", "topbar-signed-in-320-ko"),
        (420, "en", "Your profile", "topbar-signed-in-phone"),
    ] {
        let browser = Browser::launch_sized(width, 700).await?;
        browser
            .sign_in(&stack, "calm@example.com", PASSWORD)
            .await?;
        browser.prefer_language(lang).await?;
        browser.goto(&stack.url("/")).await?;
        browser.wait(".topbar a.account").await?;
        let shown = browser
            .js("const a = document.querySelector('.topbar a.account'); \
                 const r = a.getBoundingClientRect(); \
                 const oneLine = [...document.querySelectorAll( \
                     '.topbar-end button, .topbar-end .button, .topbar-end select')] \
                     .every(e => e.getBoundingClientRect().height < 50); \
                 return [a.textContent, r.width >= 30 && r.height > 0 && r.left >= 0 \
                         && r.right <= innerWidth, \
                         document.documentElement.scrollWidth <= innerWidth, oneLine];")
            .await?;
        assert_eq!(
            shown,
            serde_json::json!(["조용한 별빛 아래의 시청자", true, true, true]),
            "at {width} px"
        );
        browser.screenshot(shot).await?;
        browser.click(".topbar a.account").await?;
        browser
            .wait_until(
                "return location.pathname === '/profile'",
                "on the profile page",
            )
            .await?;
        browser.wait_for_text("main h1", profile, WAIT).await?;
        browser.close().await?;
    }
    stack.stack.shutdown().await?;
    Ok(())
}

/// A lazily loaded page whose code cannot be fetched says so and loads when asked to try again,
/// instead of taking the app down.
#[tokio::test]
async fn a_page_whose_code_cannot_be_fetched_offers_to_try_again() -> Result<()> {
    let dist = tempfile::tempdir()?;
    copy_dir(&dist_dir()?, dist.path())?;
    let chunk = std::fs::read_dir(dist.path())?
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.path())
        .find(|path| {
            path.file_name()
                .and_then(|name| name.to_str())
                .is_some_and(|name| name.starts_with("split_account-") && name.ends_with(".wasm"))
        })
        .context("the app has no account chunk: was it built by cargo xtask build-web?")?;
    remove_compressed_copies(&chunk)?;
    let hidden = chunk.with_extension("hidden");
    std::fs::rename(&chunk, &hidden)?;

    let stack = TestStack::start_serving(false, dist.path().to_path_buf()).await?;
    let browser = Browser::launch().await?;
    browser.goto(&stack.url("/signin")).await?;
    browser
        .wait_for_text("main [role=alert]", "Something went wrong.", WAIT)
        .await?;
    // The app is still alive: the top bar's links work.
    browser
        .wait_for_text("header.topbar", "Sign in", WAIT)
        .await?;

    std::fs::rename(&hidden, &chunk)?;
    browser.click("main [role=alert] button").await?;
    browser.wait_for_text("h1", "Sign in", WAIT).await?;
    browser.close().await?;
    stack.stack.shutdown().await?;
    Ok(())
}

/// A session whose tokens are about to expire is refreshed through the identity provider on the
/// next API request, kept in local storage, and stays signed in.
#[tokio::test]
async fn an_expiring_session_is_refreshed_and_kept() -> Result<()> {
    let stack = TestStack::start(false).await?;
    stack
        .account("bob@example.com", PASSWORD, "bob", "Bob")
        .await?;
    let browser = Browser::launch().await?;
    browser.sign_in(&stack, "bob@example.com", PASSWORD).await?;
    let stored = |field: &str| {
        format!("return JSON.parse(localStorage.getItem('cloumer.session') || 'null')?.{field}")
    };
    let refresh_token = browser.js(&stored("refresh_token")).await?;
    assert!(refresh_token.is_string(), "signed in: {refresh_token}");
    // Make the tokens look one second from expiry, then load a page that calls the API.
    browser
        .js(
            "const s = JSON.parse(localStorage.getItem('cloumer.session')); \
             s.expires_at_ms = Date.now() + 1000; \
             localStorage.setItem('cloumer.session', JSON.stringify(s));",
        )
        .await?;
    browser.goto(&stack.url("/")).await?;
    let deadline = Instant::now() + WAIT;
    loop {
        let expires = browser.js(&stored("expires_at_ms")).await?.as_f64();
        let now = browser.js("return Date.now()").await?.as_f64();
        if let (Some(expires), Some(now)) = (expires, now)
            && expires > now + 10.0 * 60_000.0
        {
            break;
        }
        anyhow::ensure!(Instant::now() < deadline, "the session was not refreshed");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // The refresh answer carries no refresh token: the one in use is kept.
    assert_eq!(browser.js(&stored("refresh_token")).await?, refresh_token);
    browser
        .wait_for_text("header.topbar", "Sign out", WAIT)
        .await?;
    browser.close().await?;
    stack.stack.shutdown().await?;
    Ok(())
}

/// Whether the page has fetched a resource whose URL contains `fragment`.
async fn fetched(browser: &Browser, fragment: &str) -> Result<bool> {
    let script = format!(
        "return performance.getEntriesByType('resource').some(e => e.name.includes({fragment:?}))"
    );
    Ok(browser.js(&script).await? == serde_json::Value::Bool(true))
}

async fn wait_until_fetched(browser: &Browser, fragment: &str) -> Result<()> {
    let deadline = Instant::now() + WAIT;
    while !fetched(browser, fragment).await? {
        anyhow::ensure!(Instant::now() < deadline, "{fragment} was never fetched");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(())
}

/// The owner's stream key, read the way the dashboard reads it (the session's ID token).
async fn stream_key(browser: &Browser) -> Result<String> {
    let key = browser
        .js(
            "const s = JSON.parse(localStorage.getItem('cloumer.session')); \
             const r = await fetch('/api/v1/me/channel/stream-key', \
               { headers: { authorization: 'Bearer ' + s.id_token } }); \
             return (await r.json()).streamKey;",
        )
        .await?;
    key.as_str()
        .map(str::to_owned)
        .context("the stream key answer")
}

/// A new streamer's stream key, read from their dashboard as they would.
async fn streamer(stack: &TestStack, email: &str, handle: &str, nickname: &str) -> Result<String> {
    stack.account(email, PASSWORD, handle, nickname).await?;
    let owner = Browser::launch().await?;
    owner.sign_in(stack, email, PASSWORD).await?;
    let key = stream_key(&owner).await?;
    owner.close().await?;
    Ok(key)
}

/// Ticks or unticks the dashboard's "private" box and saves.
async fn set_private(owner: &Browser, private: bool) -> Result<()> {
    owner
        .js(&format!(
            "const box = document.querySelector('input[name=private]'); \
             if (box.checked !== {private}) box.click();"
        ))
        .await?;
    owner
        .click("[aria-labelledby=settings-heading] button[type=submit]")
        .await?;
    owner
        .wait_for_text("[aria-labelledby=settings-heading] .info", "Saved", WAIT)
        .await?;
    Ok(())
}

/// A streamer marks their channel for adults on the dashboard: its card says 18+, and its page
/// and embedded player ask a viewer before playing, once per channel in that browser. The
/// viewer in English on a desktop, then in Korean on a phone; the embed in a browser of its own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_channel_marked_for_adults_asks_before_it_plays() -> Result<()> {
    let stack = TestStack::start(true).await?;
    stack
        .account("late@example.com", PASSWORD, "late_night", "Late Night")
        .await?;
    let owner = Browser::launch().await?;
    owner.sign_in(&stack, "late@example.com", PASSWORD).await?;
    owner.goto(&stack.url("/dashboard")).await?;
    owner.wait("input[name=mature]").await?;
    owner
        .js("document.querySelector('input[name=mature]').click()")
        .await?;
    owner
        .click("[aria-labelledby=settings-heading] button[type=submit]")
        .await?;
    owner
        .wait_for_text("[aria-labelledby=settings-heading] .info", "Saved", WAIT)
        .await?;
    owner
        .js("document.querySelector('input[name=mature]').scrollIntoView({block: 'center'})")
        .await?;
    owner.screenshot("dashboard-mature").await?;
    let key = stream_key(&owner).await?;
    let mut ffmpeg = publish(&format!("{}{key}", stack.stack.rtmp_url()), 120)?;

    let viewer = Browser::launch().await?;
    viewer.goto(&stack.url("/")).await?;
    viewer
        .wait_for_text(".card .thumb-mature", "18+", Duration::from_secs(30))
        .await?;
    // Its live picture waits for the thumbnail, then shows blurred.
    viewer
        .wait_until(
            "const img = document.querySelector('.card.mature .thumb img'); \
             return !!img && getComputedStyle(img).filter.startsWith('blur');",
            "a blurred live picture",
        )
        .await?;
    viewer.screenshot("home-mature-card").await?;
    viewer.goto(&stack.url("/late_night")).await?;
    viewer
        .wait_for_text(".mature-gate h2", "Mature content", WAIT)
        .await?;
    assert_eq!(
        viewer
            .js("return document.querySelectorAll('.player video').length")
            .await?,
        0,
        "nothing plays before the viewer chooses"
    );
    viewer.screenshot("channel-mature-gate").await?;
    viewer.click(".mature-gate button").await?;
    viewer.wait(".player[data-player-state=Playing]").await?;
    // Asked once for this channel in this browser.
    viewer.goto(&stack.url("/late_night")).await?;
    viewer.wait(".player[data-player-state=Playing]").await?;
    assert_eq!(
        viewer
            .js("return document.querySelectorAll('.mature-gate').length")
            .await?,
        0
    );

    // Another browser's embedded player asks too.
    let embedded = Browser::launch().await?;
    embedded.goto(&stack.url("/embed/late_night")).await?;
    embedded
        .wait_for_text(".mature-gate button", "Start watching", WAIT)
        .await?;
    embedded.click(".mature-gate button").await?;
    embedded.wait(".player[data-player-state=Playing]").await?;

    let phone = Browser::launch_sized(420, 860).await?;
    phone.goto(&stack.url("/")).await?;
    phone.prefer_language("ko").await?;
    phone.goto(&stack.url("/late_night")).await?;
    phone
        .wait_for_text(".mature-gate h2", "성인용 콘텐츠", WAIT)
        .await?;
    let fits = phone
        .js(
            "const g = document.querySelector('.mature-gate'), b = g.querySelector('button'); \
             return b.getBoundingClientRect().bottom <= g.getBoundingClientRect().bottom;",
        )
        .await?;
    assert_eq!(fits, true, "the button stays inside the warning on a phone");
    phone.screenshot("channel-mature-gate-ko-phone").await?;
    phone.click(".mature-gate button").await?;
    phone.wait(".player[data-player-state=Playing]").await?;

    ffmpeg.kill().await?;
    for browser in [owner, viewer, embedded, phone] {
        browser.close().await?;
    }
    stack.stack.shutdown().await?;
    Ok(())
}

/// Private channels in the real player: an allowed viewer watches live (the playback token
/// starts a session the player follows); the broadcast's recording stays private after the
/// channel goes public, and plays for the allowed viewer through the signed grant and the
/// cookies it leaves; a stranger sees neither.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_private_channel_and_its_recordings_are_for_allowed_viewers_only() -> Result<()> {
    let stack = TestStack::start(true).await?;
    for (email, handle, nickname) in [
        ("hidden@example.com", "hidden_show", "비밀 방송"),
        ("friend@example.com", "friend", "Friend"),
    ] {
        stack.account(email, PASSWORD, handle, nickname).await?;
    }
    let owner = Browser::launch().await?;
    owner
        .sign_in(&stack, "hidden@example.com", PASSWORD)
        .await?;
    owner.goto(&stack.url("/dashboard")).await?;
    owner.wait("input[name=private]").await?;
    set_private(&owner, true).await?;
    owner.fill("#add-viewer", "friend").await?;
    owner
        .click("[aria-labelledby=viewers-heading] button[type=submit]")
        .await?;
    owner
        .wait_for_text("[aria-labelledby=viewers-heading] li", "@friend", WAIT)
        .await?;
    owner.screenshot("dashboard-private").await?;
    let key = stream_key(&owner).await?;
    let mut ffmpeg = publish(&format!("{}{key}", stack.stack.rtmp_url()), 120)?;

    // The allowed viewer watches live.
    let friend = Browser::launch().await?;
    friend
        .sign_in(&stack, "friend@example.com", PASSWORD)
        .await?;
    friend.goto(&stack.url("/hidden_show")).await?;
    friend
        .wait(".player[data-player-state=Playing]")
        .await
        .context("the allowed viewer's player plays")?;
    // Plays on well past what the first load fetched (six seconds of one-second segments): the
    // session's later playlists and segments are allowed too. Given time to, as a fresh stream
    // on a loaded machine may stop to buffer (seen once in a full suite run: 0.39 → 1.34 s in
    // the 3 s this test used to give it).
    let first = video_time(&friend).await?;
    if let Err(error) = friend
        .wait_until_within(
            &format!("return document.querySelector('video').currentTime > {first} + 6"),
            "private live video playing on",
            WAIT,
        )
        .await
    {
        let state = player_state(&friend).await?;
        anyhow::bail!("{error}; from {first} s, the player: {state}");
    }
    friend.screenshot("channel-private-live").await?;

    // A stranger (signed out) is told the channel is private, and no video reaches them.
    let guest = Browser::launch_sized(420, 860).await?;
    guest.goto(&stack.url("/hidden_show")).await?;
    guest
        .wait_for_text(".player.offline", "This channel is private", WAIT)
        .await?;
    assert_eq!(
        guest
            .js("return document.querySelectorAll('video').length")
            .await?,
        0
    );
    guest.screenshot("channel-private-locked-phone").await?;
    // Its link may be shared, but no embed code is offered.
    guest
        .wait_for_text(".video-share .share-link", "/hidden_show", WAIT)
        .await?;
    assert_eq!(
        guest
            .js("return document.querySelectorAll('[data-testid=embed-code]').length")
            .await?,
        0
    );
    // Nor does its embedded player play, even for an allowed viewer: it says so instead.
    for viewer in [&guest, &friend] {
        viewer.goto(&stack.url("/embed/hidden_show")).await?;
        viewer
            .wait_for_text(".embed .player.offline", "plays on Cloumer only", WAIT)
            .await?;
        assert_eq!(
            viewer
                .js("return document.querySelectorAll('video').length")
                .await?,
            0
        );
    }
    friend.goto(&stack.url("/hidden_show")).await?;
    friend
        .wait(".player[data-player-state=Playing]")
        .await
        .context("the allowed viewer's player plays again")?;

    // The broadcast ends and the channel goes public; the recording stays private.
    tokio::time::sleep(Duration::from_secs(3)).await;
    ffmpeg.kill().await?;
    friend
        .wait_for_text(
            ".channel-layout[data-live=false] .player.offline",
            "offline",
            Duration::from_secs(30),
        )
        .await?;
    owner.goto(&stack.url("/dashboard")).await?;
    owner.wait("input[name=private]").await?;
    set_private(&owner, false).await?;

    friend.goto(&stack.url("/hidden_show")).await?;
    friend
        .wait_for_text(".card .thumb-lock", "Private", Duration::from_secs(30))
        .await?;
    friend
        .js("document.querySelector('.card').scrollIntoView({ block: 'center' })")
        .await?;
    friend.screenshot("channel-private-recordings").await?;
    friend.click(".card a.card-link").await?;
    friend
        .wait(".player[data-player-state=Playing]")
        .await
        .context("the private recording plays for the allowed viewer")?;
    let first = video_time(&friend).await?;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let second = video_time(&friend).await?;
    assert!(
        second > first + 1.0,
        "the recording plays on: {first} → {second}"
    );
    let recording_page = friend.js("return location.pathname").await?;
    let recording_page = recording_page.as_str().context("a path")?;
    friend
        .wait_for_text(".recording .private-badge", "Private", WAIT)
        .await?;
    friend.screenshot("recording-private").await?;
    // A private video offers no embed code, and embedded it does not play even for the friend.
    assert_eq!(
        friend
            .js("return document.querySelectorAll('[data-testid=embed-code]').length")
            .await?,
        0
    );
    friend
        .goto(&stack.url(&format!("/embed{recording_page}")))
        .await?;
    friend
        .wait_for_text(
            ".embed .player.offline",
            "This video is private: it plays on Cloumer only.",
            WAIT,
        )
        .await?;
    assert_eq!(
        friend
            .js("return document.querySelectorAll('video').length")
            .await?,
        0
    );
    friend.goto(&stack.url(recording_page)).await?;
    friend.wait(".player[data-player-state=Playing]").await?;
    // The friend clips it: the clip is private too.
    let private_clip = make_clip(&friend, "Just for us", Some(("0:00", "0:05"))).await?;
    friend
        .wait(".clip-page .player[data-player-state=Playing]")
        .await
        .context("the private clip plays for the allowed viewer")?;
    friend
        .wait_for_text(".clip-page .private-badge", "Private", WAIT)
        .await?;
    let clip_file = friend
        .js("const r = await fetch('/api/v1' + location.pathname, { headers: { authorization: 'Bearer ' + JSON.parse(localStorage.getItem('cloumer.session')).id_token } }); \
             return (await r.json()).playlistUrl.split('?')[0];")
        .await?;
    let clip_file = clip_file
        .as_str()
        .context("the clip's playlist")?
        .to_owned();

    // The stranger sees the public channel without the private past broadcast, and the
    // recording's page is not found for them.
    guest.goto(&stack.url("/hidden_show")).await?;
    guest
        .wait_for_text(".channel-layout .player.offline", "offline", WAIT)
        .await?;
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(
        guest
            .js("return document.querySelectorAll('.card').length")
            .await?,
        0,
        "no past broadcast listed"
    );
    guest.goto(&stack.url(recording_page)).await?;
    guest
        .wait_for_text("main", "This page does not exist.", WAIT)
        .await?;
    // Nor is the clip, and its playlist is refused without the friend's grant.
    guest.goto(&stack.url(&private_clip)).await?;
    guest
        .wait_for_text("main", "This page does not exist.", WAIT)
        .await?;
    let status = guest
        .js(&format!("return (await fetch('{clip_file}')).status"))
        .await?;
    assert_eq!(status, 403, "the private clip's playlist, without a grant");
    // Embedded, the stranger is told it is not available (not whether it exists).
    guest
        .goto(&stack.url(&format!("/embed{private_clip}")))
        .await?;
    guest
        .wait_for_text(
            ".embed .player.offline",
            "This video is not available",
            WAIT,
        )
        .await?;
    assert_eq!(
        guest
            .js("return document.querySelectorAll('video, a').length")
            .await?,
        0
    );

    for browser in [owner, friend, guest] {
        browser.close().await?;
    }
    stack.stack.shutdown().await?;
    Ok(())
}

/// Clicks the follow button and waits for the server's answer to show: the button pressed (or
/// not) and the count.
async fn click_follow(browser: &Browser, following: bool, expect_count: &str) -> Result<()> {
    browser.click(".follow-box button.follow").await?;
    // The pointer still rests on the button, which then offers to unfollow: read the label it
    // shows at rest.
    browser
        .wait(&format!(
            ".follow-box button.follow[aria-pressed={following}]"
        ))
        .await?;
    let label = browser
        .js("return document.querySelector('.follow-box button.follow .when-idle').textContent")
        .await?;
    assert_eq!(label, if following { "Following" } else { "Follow" });
    browser
        .wait_for_text("[data-testid=followers]", expect_count, WAIT)
        .await?;
    Ok(())
}

/// A streamer sees who follows them on the dashboard, newest first, each name linking to the
/// follower's channel. In English on a desktop, then in Korean on a phone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_streamer_sees_who_follows_them_on_the_dashboard() -> Result<()> {
    let stack = TestStack::start(false).await?;
    for (email, handle, nickname) in [
        ("star@example.com", "star_show", "Star Show"),
        ("mina@example.com", "mina", "미나"),
        ("joe@example.com", "joe", "Joe"),
    ] {
        stack.account(email, PASSWORD, handle, nickname).await?;
    }
    for (email, count) in [("mina@example.com", "1"), ("joe@example.com", "2")] {
        let fan = Browser::launch().await?;
        fan.sign_in(&stack, email, PASSWORD).await?;
        fan.goto(&stack.url("/star_show")).await?;
        fan.wait(".follow-box button.follow").await?;
        click_follow(&fan, true, count).await?;
        fan.close().await?;
    }
    let owner = Browser::launch().await?;
    owner.sign_in(&stack, "star@example.com", PASSWORD).await?;
    owner.goto(&stack.url("/dashboard")).await?;
    owner
        .wait_for_text("#followers-heading", "Followers (2)", WAIT)
        .await?;
    owner.wait(".follower-list li:nth-child(2)").await?;
    assert_eq!(
        owner
            .js("return [...document.querySelectorAll('.follower-list li a')].map(a => [a.textContent, a.getAttribute('href')])")
            .await?,
        serde_json::json!([["Joe", "/joe"], ["미나", "/mina"]]),
        "newest first, each linking to their channel"
    );
    owner
        .js("document.querySelector('#followers-heading').scrollIntoView({block: 'center'})")
        .await?;
    owner.screenshot("dashboard-followers").await?;

    let phone = korean_phone(&stack, "star@example.com").await?;
    phone.goto(&stack.url("/dashboard")).await?;
    phone
        .wait_for_text("#followers-heading", "팔로워 (2명)", WAIT)
        .await?;
    phone.wait(".follower-list li:nth-child(2)").await?;
    phone
        .js("document.querySelector('#followers-heading').scrollIntoView({block: 'start'})")
        .await?;
    phone.screenshot("dashboard-followers-ko-phone").await?;

    owner.close().await?;
    phone.close().await?;
    stack.stack.shutdown().await?;
    Ok(())
}

/// A viewer follows a channel from its page; when it goes live (ffmpeg), their open app shows a
/// toast and the bell counts it, the channel leads their home page's "Following" row and is on
/// their profile; the bell's list marks it seen; the streamer's dashboard counts the follower; a
/// signed-out visitor is asked to sign in; unfollowing undoes it all.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_viewer_follows_a_channel_and_finds_it_first_when_it_goes_live() -> Result<()> {
    let stack = TestStack::start(true).await?;
    for (email, handle, nickname) in [
        ("star@example.com", "follow_me", "팔로우 방송"),
        ("other@example.com", "other_show", "Other"),
        ("fan@example.com", "fan", "Fan"),
    ] {
        stack.account(email, PASSWORD, handle, nickname).await?;
    }
    let fan = Browser::launch().await?;
    fan.sign_in(&stack, "fan@example.com", PASSWORD).await?;
    fan.goto(&stack.url("/other_show")).await?;
    fan.wait_for_text("[data-testid=followers]", "0 followers", WAIT)
        .await?;
    click_follow(&fan, true, "1 follower").await?;
    fan.goto(&stack.url("/follow_me")).await?;
    fan.wait_for_text("[data-testid=followers]", "0 followers", WAIT)
        .await?;
    fan.wait_for_text(
        ".follow-box button.follow[aria-pressed=false]",
        "Follow",
        WAIT,
    )
    .await?;
    click_follow(&fan, true, "1 follower").await?;
    fan.screenshot("channel-following").await?;
    // It holds across a reload: the page reads it from the server.
    fan.goto(&stack.url("/follow_me")).await?;
    fan.wait_for_text(".follow-box button.follow", "Following", WAIT)
        .await?;
    // The bell beside it turns this channel's notifications off and on, kept by the server.
    fan.wait(".follow-box button.notify[aria-pressed=true]")
        .await?;
    fan.click(".follow-box button.notify").await?;
    fan.wait(".follow-box button.notify[aria-pressed=false]")
        .await?;
    fan.screenshot("channel-notify-off").await?;
    fan.goto(&stack.url("/follow_me")).await?;
    fan.wait(".follow-box button.notify[aria-pressed=false]")
        .await?;
    fan.click(".follow-box button.notify").await?;
    fan.wait(".follow-box button.notify[aria-pressed=true]")
        .await?;

    // Offline, both followed channels are in the row, most recently followed first.
    fan.goto(&stack.url("/")).await?;
    fan.wait_for_text("[data-testid=following]", "팔로우 방송", WAIT)
        .await?;
    let order = fan
        .js("return [...document.querySelectorAll('[data-testid=following] .card-meta')].map(e => e.textContent)")
        .await?;
    assert_eq!(
        order,
        serde_json::json!(["팔로우 방송 · @follow_me", "Other · @other_show"])
    );

    // The streamer goes live; their dashboard counts the follower.
    let star = Browser::launch().await?;
    star.sign_in(&stack, "star@example.com", PASSWORD).await?;
    star.goto(&stack.url("/dashboard")).await?;
    star.wait_for_text("[data-testid=followers]", "1", WAIT)
        .await?;
    let key = stream_key(&star).await?;
    let mut ffmpeg = publish(&format!("{}{key}", stack.stack.rtmp_url()), 90)?;
    star.wait_for_text("[data-testid=live-state]", "LIVE", Duration::from_secs(30))
        .await?;
    star.screenshot("dashboard-followers").await?;

    // While the fan's app is open, a toast says the channel went live (the bell polls every
    // 30 s), and the bell counts it.
    fan.wait_for_text(
        "[data-testid=toast]",
        "팔로우 방송",
        Duration::from_secs(45),
    )
    .await?;
    fan.wait_for_text("[data-testid=bell-count]", "1", WAIT)
        .await?;
    // So does the tab's title, for a tab in the background.
    fan.wait_title("(1) Cloumer").await?;
    // The home page (refreshing itself) puts the live channel first in its row, above "Live now".
    fan.wait_for_text(
        "[data-testid=following] .card.live",
        "팔로우 방송",
        Duration::from_secs(40),
    )
    .await?;
    let sections = fan
        .js("return [...document.querySelectorAll('main h1, main h2')].map(e => e.textContent)")
        .await?;
    assert_eq!(sections[0], "Following", "{sections}");
    let order = fan
        .js("return [...document.querySelectorAll('[data-testid=following] .card-meta')].map(e => e.textContent)")
        .await?;
    assert_eq!(
        order,
        serde_json::json!(["팔로우 방송 · @follow_me", "Other · @other_show"]),
        "live first, listed once"
    );
    fan.screenshot("home-following").await?;

    // The bell opens the list, which counts as seen.
    fan.click("[data-testid=bell]").await?;
    fan.wait_for_text(
        "[data-testid=notifications] .notification.unread",
        "팔로우 방송 went live",
        WAIT,
    )
    .await?;
    fan.screenshot("notifications").await?;
    fan.wait_gone("[data-testid=bell-count]:not([hidden])", "1")
        .await?;
    fan.wait_title("Notifications · Cloumer").await?;
    fan.goto(&stack.url("/notifications")).await?;
    fan.wait_for_text(
        "[data-testid=notifications] .notification",
        "팔로우 방송",
        WAIT,
    )
    .await?;
    assert_eq!(
        fan.js("return document.querySelectorAll('.notification.unread').length")
            .await?,
        0,
        "seen on the first visit"
    );

    // The profile lists both followed channels.
    fan.goto(&stack.url("/profile")).await?;
    fan.wait_for_text("[data-testid=profile-following]", "Other", WAIT)
        .await?;
    fan.wait_for_text("[data-testid=profile-following]", "팔로우 방송", WAIT)
        .await?;
    fan.js("document.querySelector('[data-testid=profile-following]').scrollIntoView()")
        .await?;
    fan.screenshot("profile-following").await?;

    // Korean, phone width.
    let phone = korean_phone(&stack, "fan@example.com").await?;
    phone.goto(&stack.url("/")).await?;
    phone
        .wait_for_text("#following-heading", "팔로잉", WAIT)
        .await?;
    phone
        .wait_for_text("[data-testid=following] .card.live", "팔로우 방송", WAIT)
        .await?;
    phone.screenshot("home-following-ko-phone").await?;
    phone.goto(&stack.url("/notifications")).await?;
    phone
        .wait_for_text(".notification", "님이 방송을 시작했어요", WAIT)
        .await?;
    phone.screenshot("notifications-ko-phone").await?;
    phone.goto(&stack.url("/follow_me")).await?;
    phone
        .wait_for_text("[data-testid=followers]", "팔로워 1명", WAIT)
        .await?;
    phone
        .wait_for_text(".follow-box button.follow", "팔로잉", WAIT)
        .await?;
    phone.screenshot("channel-following-ko-phone").await?;

    // Signed out: the button leads to sign-in.
    let guest = Browser::launch_sized(420, 860).await?;
    guest.goto(&stack.url("/follow_me")).await?;
    guest
        .wait_for_text("[data-testid=followers]", "1 follower", WAIT)
        .await?;
    assert_eq!(
        guest
            .js("return document.querySelector('.follow-box a.follow').getAttribute('href')")
            .await?,
        "/signin"
    );

    // Unfollowing: the count drops, and the row no longer has the channel.
    fan.goto(&stack.url("/follow_me")).await?;
    fan.wait_for_text(".follow-box button.follow", "Following", WAIT)
        .await?;
    click_follow(&fan, false, "0 followers").await?;
    fan.goto(&stack.url("/")).await?;
    fan.wait_for_text("[data-testid=following]", "Other", WAIT)
        .await?;
    assert_eq!(
        fan.js("return document.querySelectorAll('[data-testid=following] .card').length")
            .await?,
        1
    );
    ffmpeg.kill().await?;
    for browser in [fan, star, phone, guest] {
        browser.close().await?;
    }
    stack.stack.shutdown().await?;
    Ok(())
}

/// A streamer's webhook on the dashboard: added (its secret shown once), called when the stream
/// starts with ffmpeg, signed with that secret, the delivery shown on the dashboard; the
/// follower's email in the outbox, whose link turns these emails off; and when the encoder drops
/// and reconnects within ten minutes, neither the webhook nor the follower hears of it again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_streamers_webhook_hears_each_stream_start_once_signed_even_when_it_flaps() -> Result<()>
{
    use axum::body::Bytes;
    use axum::http::HeaderMap;
    use std::sync::{Arc, Mutex};

    let stack = TestStack::start_with_loopback_destinations().await?;
    stack
        .account("hook@example.com", PASSWORD, "hooked_show", "웹훅 방송")
        .await?;
    stack
        .account("fan2@example.com", PASSWORD, "fan_two", "Fan")
        .await?;
    let received: Arc<Mutex<Vec<(HeaderMap, Bytes)>>> = Arc::default();
    let receiver = axum::Router::new().route(
        "/discord",
        axum::routing::post({
            let received = received.clone();
            move |headers: HeaderMap, body: Bytes| async move {
                received.lock().unwrap().push((headers, body));
                axum::http::StatusCode::NO_CONTENT
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let hook_url = format!("http://{}/discord", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, receiver).await });

    let fan = Browser::launch().await?;
    fan.sign_in(&stack, "fan2@example.com", PASSWORD).await?;
    fan.goto(&stack.url("/hooked_show")).await?;
    fan.wait_for_text("[data-testid=followers]", "0 followers", WAIT)
        .await?;
    click_follow(&fan, true, "1 follower").await?;

    let star = Browser::launch().await?;
    star.sign_in(&stack, "hook@example.com", PASSWORD).await?;
    star.goto(&stack.url("/dashboard")).await?;
    star.wait_for_text("#webhooks-heading", "Webhooks", WAIT)
        .await?;
    star.wait_for_text(
        "[aria-labelledby=webhooks-heading]",
        "No webhooks yet",
        WAIT,
    )
    .await?;
    // Refused with a clear message: not https.
    star.fill("#add-webhook", "http://discord.example/api/webhooks/1")
        .await?;
    star.click("[aria-labelledby=webhooks-heading] button[type=submit]")
        .await?;
    star.wait_for_text(
        "[aria-labelledby=webhooks-heading] .error",
        "https://",
        WAIT,
    )
    .await?;
    // The same refusal said in Korean to a streamer whose interface is in Korean.
    for (lang, heading) in [("ko", "웹훅"), ("en", "Webhooks")] {
        star.prefer_language(lang).await?;
        star.goto(&stack.url("/dashboard")).await?;
        star.wait_for_text("#webhooks-heading", heading, WAIT)
            .await?;
        if lang == "ko" {
            star.fill("#add-webhook", "http://discord.example/api/webhooks/1")
                .await?;
            star.click("[aria-labelledby=webhooks-heading] button[type=submit]")
                .await?;
            star.wait_for_text(
                "[aria-labelledby=webhooks-heading] .error",
                "웹훅 주소를 쓸 수 없어요. 공개된 https:// 주소여야 하고",
                WAIT,
            )
            .await?;
            star.screenshot("webhook-refused-ko").await?;
        }
    }
    star.fill("#add-webhook", &hook_url).await?;
    star.click("[aria-labelledby=webhooks-heading] button[type=submit]")
        .await?;
    star.wait("[data-testid=webhook-secret]").await?;
    let secret = star
        .js("return document.querySelector('[data-testid=webhook-secret]').value")
        .await?;
    let secret = secret.as_str().context("the secret")?.to_owned();
    assert!(secret.starts_with("whsec_"), "{secret}");
    star.js("document.querySelector('[aria-labelledby=webhooks-heading]').scrollIntoView({block: 'center'})")
        .await?;
    star.screenshot("dashboard-webhook-added").await?;
    star.wait_for_text("[data-testid=webhook-delivery]", "Not called yet", WAIT)
        .await?;

    // Live: the receiver gets one signed, Discord-shaped message.
    let key = stream_key(&star).await?;
    let mut ffmpeg = publish(&format!("{}{key}", stack.stack.rtmp_url()), 60)?;
    star.wait_for_text("[data-testid=live-state]", "LIVE", Duration::from_secs(30))
        .await?;
    let deadline = Instant::now() + Duration::from_secs(20);
    while received.lock().unwrap().is_empty() {
        anyhow::ensure!(Instant::now() < deadline, "the webhook was not called");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    {
        let calls = received.lock().unwrap();
        let (headers, body) = &calls[0];
        let signature = headers["x-cloumer-signature"].to_str()?;
        assert!(
            cloumer_outbound::verify(&secret, signature, body).is_some(),
            "signed with the secret the dashboard showed"
        );
        let message: serde_json::Value = serde_json::from_slice(body)?;
        assert_eq!(message["embeds"][0]["author"]["name"], "웹훅 방송");
        assert_eq!(
            message["embeds"][0]["url"],
            stack.url("/hooked_show").as_str()
        );
    }
    star.goto(&stack.url("/dashboard")).await?;
    star.wait_for_text("[data-testid=webhook-delivery]", "Delivered · 204", WAIT)
        .await?;
    star.js("document.querySelector('[aria-labelledby=webhooks-heading]').scrollIntoView({block: 'center'})")
        .await?;
    star.screenshot("dashboard-webhooks").await?;

    // The follower's email is in the outbox; its footer link turns these emails off.
    let deadline = Instant::now() + Duration::from_secs(20);
    while stack.outbox().is_empty() {
        anyhow::ensure!(Instant::now() < deadline, "no email in the outbox");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let emails = stack.outbox();
    assert_eq!(emails.len(), 1, "one email: only the follower wants them");
    let email = mailparse::parse_mail(&emails[0])?;
    use mailparse::MailHeaderMap;
    assert_eq!(
        email.headers.get_first_value("To").as_deref(),
        Some("fan2@example.com")
    );
    assert_eq!(
        email.headers.get_first_value("Subject").as_deref(),
        Some("웹훅 방송 is live")
    );
    let text = email.subparts[0].get_body()?;
    let unsubscribe = text
        .lines()
        .find_map(|line| line.strip_prefix("Stop these emails: "))
        .context("an unsubscribe link")?
        .trim()
        .to_owned();
    assert!(
        unsubscribe.starts_with(&stack.url("/unsubscribe?user=")),
        "{unsubscribe}"
    );
    let reader = Browser::launch().await?;
    reader.goto(&unsubscribe).await?;
    reader
        .wait_for_text("[data-testid=unsubscribe]", "Stop getting an email", WAIT)
        .await?;
    reader.screenshot("unsubscribe").await?;
    reader.click("[data-testid=unsubscribe] button").await?;
    reader
        .wait_for_text("[data-testid=unsubscribe] .info", "no longer", WAIT)
        .await?;
    reader.screenshot("unsubscribed").await?;
    // A tampered link is refused.
    reader.goto(&format!("{unsubscribe}x")).await?;
    reader.click("[data-testid=unsubscribe] button").await?;
    reader
        .wait_for_text("[data-testid=unsubscribe] .error", "not valid", WAIT)
        .await?;
    reader.close().await?;
    fan.goto(&stack.url("/profile")).await?;
    fan.wait_for_text("[data-testid=notification-email]", "fan2@example.com", WAIT)
        .await?;
    assert_eq!(
        fan.js("return document.querySelector('input[name=email-notifications]').checked")
            .await?,
        false,
        "the profile shows emails off"
    );

    // The encoder drops and comes back within ten minutes: the same broadcast to everyone.
    ffmpeg.kill().await?;
    star.wait_gone("[data-testid=live-state]", "LIVE").await?;
    let mut ffmpeg = publish(&format!("{}{key}", stack.stack.rtmp_url()), 60)?;
    star.wait_for_text("[data-testid=live-state]", "LIVE", Duration::from_secs(30))
        .await?;
    // Deliveries start the moment the channel goes live; give a second one every chance.
    tokio::time::sleep(Duration::from_secs(5)).await;
    assert_eq!(received.lock().unwrap().len(), 1, "a flap is not news");
    assert_eq!(stack.outbox().len(), 1);
    fan.goto(&stack.url("/notifications")).await?;
    fan.wait_for_text(".notification", "웹훅 방송", WAIT)
        .await?;
    assert_eq!(
        fan.js("return document.querySelectorAll('.notification').length")
            .await?,
        1,
        "one notification for the broadcast"
    );

    // Korean, phone width.
    let phone = korean_phone(&stack, "hook@example.com").await?;
    phone.goto(&stack.url("/dashboard")).await?;
    phone
        .wait_for_text("[data-testid=webhook-delivery]", "전달됨", WAIT)
        .await?;
    phone
        .js("document.querySelector('[aria-labelledby=webhooks-heading]').scrollIntoView({block: 'center'})")
        .await?;
    phone.screenshot("dashboard-webhooks-ko-phone").await?;
    let fan_phone = korean_phone(&stack, "fan2@example.com").await?;
    fan_phone.goto(&stack.url("/profile")).await?;
    fan_phone
        .wait_for_text("[data-testid=notification-email]", "받는 주소", WAIT)
        .await?;
    fan_phone
        .js("document.querySelector('input[name=email-notifications]').scrollIntoView({block: 'center'})")
        .await?;
    fan_phone
        .screenshot("profile-notifications-ko-phone")
        .await?;
    fan_phone.close().await?;

    ffmpeg.kill().await?;
    for browser in [fan, star, phone] {
        browser.close().await?;
    }
    stack.stack.shutdown().await?;
    Ok(())
}

/// Stands in for the browser's own push service registration, which cannot complete here (no
/// push service is reachable): `pushManager.subscribe()` answers with a subscription whose
/// endpoint and keys are the test push service's, and keeps what it was asked. `subscribed`: the
/// browser has that subscription already (as a real one keeps it across page loads).
fn fake_push_subscription(
    keys: &cloumer_outbound::testing::TestSubscription,
    subscribed: bool,
) -> String {
    let (endpoint, p256dh, auth) = (&keys.endpoint, &keys.p256dh, &keys.auth);
    format!(
        "const keys = {{ p256dh: '{p256dh}', auth: '{auth}' }}; \
         const sub = Object.create(PushSubscription.prototype); \
         Object.defineProperty(sub, 'endpoint', {{ value: '{endpoint}' }}); \
         sub.toJSON = () => ({{ endpoint: '{endpoint}', expirationTime: null, keys }}); \
         sub.unsubscribe = async () => {{ window.__push.current = null; return true; }}; \
         window.__push = {{ asked: null, current: {subscribed} ? sub : null }}; \
         PushManager.prototype.subscribe = async function (options) {{ \
           window.__push.asked = {{ visible: options.userVisibleOnly, key: options.applicationServerKey }}; \
           window.__push.current = sub; return sub; }}; \
         PushManager.prototype.getSubscription = async function () {{ return window.__push.current; }};"
    )
}

/// Waits until `script` returns `true` in the page; the failure says what did not happen and what
/// the push status line said.
async fn wait_until_true(browser: &Browser, script: &str, what: &str) -> Result<()> {
    if let Err(error) = browser.wait_until(script, what).await {
        let status = browser
            .js("return document.querySelector('[data-testid=push-status]')?.textContent")
            .await?;
        anyhow::bail!("{error}; the status said {status}");
    }
    Ok(())
}

/// The notifications our service worker is showing, as the page sees them.
async fn shown_notifications(browser: &Browser) -> Result<serde_json::Value> {
    browser
        .js("const r = await navigator.serviceWorker.ready; \
             return (await r.getNotifications()).map(n => ({ title: n.title, body: n.body, tag: n.tag, url: n.data.url }));")
        .await
}

/// Web Push as far as this machine allows: a follower turns push on in the profile (the app
/// registers the service worker, asks permission, subscribes with the server's VAPID key and
/// hands the subscription to the API); the streamer goes live with ffmpeg; the test's push
/// service receives the push, signed and encrypted, and decrypts it; delivered to the browser
/// through DevTools, the app's service worker shows it as a notification that opens the channel.
/// Signing out takes the subscription back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_follower_turns_push_on_and_the_service_worker_shows_the_go_live() -> Result<()> {
    use cloumer_domain::ids::UserId;
    use cloumer_domain::ports::PushSubscriptionRepository;
    use cloumer_outbound::testing::TestPushService;

    let stack = TestStack::start_with_loopback_destinations().await?;
    stack
        .account("pushstar@example.com", PASSWORD, "push_show", "푸시 방송")
        .await?;
    stack
        .account("pushfan@example.com", PASSWORD, "push_fan", "Fan")
        .await?;
    let push_service = TestPushService::start().await;
    let browser_keys = push_service.subscribe();

    let fan = Browser::launch().await?;
    fan.sign_in(&stack, "pushfan@example.com", PASSWORD).await?;
    fan.goto(&stack.url("/push_show")).await?;
    click_follow(&fan, true, "1 follower").await?;
    // The site's origin, and the scope of a service worker at its root.
    let origin = stack.url("").trim_end_matches('/').to_owned();
    let scope = format!("{origin}/");
    let mut devtools = fan.devtools().await?;
    devtools
        .call(
            None,
            "Browser.grantPermissions",
            serde_json::json!({"origin": origin, "permissions": ["notifications"]}),
        )
        .await?;
    fan.goto(&stack.url("/profile")).await?;
    fan.wait_for_text(
        "[data-testid=push-status]",
        "even when Cloumer is closed",
        WAIT,
    )
    .await?;
    fan.js(&fake_push_subscription(&browser_keys, false))
        .await?;
    fan.click("[data-testid=push-toggle]").await?;
    // Clicking ticks the box at once; it is on when the app, done (enabled again), keeps it so.
    wait_until_true(
        &fan,
        "const box = document.querySelector('[data-testid=push-toggle]'); \
         return box.checked && !box.disabled && window.__push.current !== null",
        "push turned on",
    )
    .await?;
    let asked = fan.js("return window.__push.asked").await?;
    let vapid: serde_json::Value = reqwest::get(stack.url("/api/v1/push/key"))
        .await?
        .json()
        .await?;
    assert_eq!(
        asked["visible"], true,
        "userVisibleOnly, as browsers require: {asked}"
    );
    assert_eq!(
        asked["key"], vapid["publicKey"],
        "subscribed with the server's key"
    );
    fan.js("document.querySelector('[data-testid=push-toggle]').scrollIntoView({block: 'center'})")
        .await?;
    fan.screenshot("profile-push-on").await?;

    // The streamer goes live: the push service gets one push for the fan's browser.
    let star = Browser::launch().await?;
    star.sign_in(&stack, "pushstar@example.com", PASSWORD)
        .await?;
    let key = stream_key(&star).await?;
    let mut ffmpeg = publish(&format!("{}{key}", stack.stack.rtmp_url()), 40)?;
    let deadline = Instant::now() + Duration::from_secs(40);
    while push_service.received().is_empty() {
        anyhow::ensure!(
            Instant::now() < deadline,
            "no push arrived; refused: {:?}",
            push_service.refused()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let push = push_service.received().remove(0);
    assert_eq!(push.message.title, "푸시 방송 is live");
    assert_eq!(push.message.url, stack.url("/push_show"));
    assert_eq!(
        push.vapid_key,
        vapid["publicKey"].as_str().unwrap_or_default()
    );

    // Delivered to the browser as its push service would: the service worker shows it.
    let page = devtools.attach_to_page(&origin).await?;
    devtools
        .call(Some(&page), "ServiceWorker.enable", serde_json::json!({}))
        .await?;
    let registrations = devtools
        .event("ServiceWorker.workerRegistrationUpdated", |params| {
            params["registrations"]
                .as_array()
                .is_some_and(|r| r.iter().any(|r| r["scopeURL"] == scope.as_str()))
        })
        .await?;
    let registration = registrations["registrations"]
        .as_array()
        .and_then(|r| r.iter().find(|r| r["scopeURL"] == scope.as_str()))
        .context("our registration")?["registrationId"]
        .clone();
    // A worker busy starting on a loaded machine may miss a delivery; a push service retries too
    // (and the tag keeps a repeat from showing twice).
    let mut shown = serde_json::json!([]);
    for _attempt in 0..3 {
        devtools
            .call(
                Some(&page),
                "ServiceWorker.deliverPushMessage",
                serde_json::json!({
                    "origin": origin,
                    "registrationId": registration,
                    "data": String::from_utf8(push.plaintext.clone())?,
                }),
            )
            .await?;
        let deadline = Instant::now() + Duration::from_secs(8);
        while Instant::now() < deadline {
            shown = shown_notifications(&fan).await?;
            if shown.as_array().is_some_and(|n| !n.is_empty()) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        if shown.as_array().is_some_and(|n| !n.is_empty()) {
            break;
        }
    }
    anyhow::ensure!(
        shown.as_array().is_some_and(|n| !n.is_empty()),
        "no notification shown; registration {registrations}; DevTools events since: {:?}",
        devtools.unclaimed_events()
    );
    assert_eq!(
        shown,
        serde_json::json!([{
            "title": "푸시 방송 is live",
            "body": "Tap to watch",
            "tag": push.message.tag,
            "url": stack.url("/push_show"),
        }])
    );

    // Korean at desktop width and English at phone width, push on.
    // (Reached through the app's own link: a page load would drop the stand-in subscription.)
    fan.prefer_language("ko").await?;
    fan.goto(&stack.url("/")).await?;
    fan.wait_for_text("header.topbar", "로그아웃", WAIT).await?;
    fan.js(&fake_push_subscription(&browser_keys, true)).await?;
    fan.click("header.topbar a.account").await?;
    fan.wait_for_text("[data-testid=push-status]", "시스템 알림", WAIT)
        .await?;
    wait_until_true(
        &fan,
        "return document.querySelector('[data-testid=push-toggle]').checked",
        "push shown as on",
    )
    .await?;
    fan.js("document.querySelector('[data-testid=push-toggle]').scrollIntoView({block: 'center'})")
        .await?;
    fan.screenshot("profile-push-on-ko").await?;
    fan.prefer_language("en").await?;
    let phone = Browser::launch_sized(420, 860).await?;
    phone
        .sign_in(&stack, "pushfan@example.com", PASSWORD)
        .await?;
    phone.goto(&stack.url("/profile")).await?;
    phone
        .wait_for_text("[data-testid=push-status]", "closed", WAIT)
        .await?;
    phone
        .js("document.querySelector('[data-testid=push-toggle]').scrollIntoView({block: 'center'})")
        .await?;
    phone.screenshot("profile-push-phone").await?;
    phone.close().await?;

    // Signing out takes this browser's subscription back first.
    let fan_id = fan
        .js(
            "const s = JSON.parse(localStorage.getItem('cloumer.session')); \
             const claims = s.id_token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'); \
             return JSON.parse(atob(claims)).sub;",
        )
        .await?;
    let fan_id = UserId::parse(fan_id.as_str().context("the fan's id")?)?;
    let kept = stack
        .stack
        .store()
        .push_subscriptions_of(std::slice::from_ref(&fan_id))
        .await?;
    assert_eq!(kept.len(), 1);
    fan.goto(&stack.url("/")).await?;
    fan.wait_for_text("header.topbar", "Sign out", WAIT).await?;
    fan.js(&fake_push_subscription(&browser_keys, true)).await?;
    fan.click("header.topbar button.secondary").await?;
    fan.wait_for_text("header.topbar", "Sign in", WAIT).await?;
    let kept = stack
        .stack
        .store()
        .push_subscriptions_of(std::slice::from_ref(&fan_id))
        .await?;
    assert!(kept.is_empty(), "signing out forgets the browser: {kept:?}");

    // A browser still subscribed (as after a renewal the API never heard of) gives the API its
    // subscription again when the app opens signed in.
    devtools
        .call(Some(&page), "Page.enable", serde_json::json!({}))
        .await?;
    devtools
        .call(
            Some(&page),
            "Page.addScriptToEvaluateOnNewDocument",
            serde_json::json!({"source": fake_push_subscription(&browser_keys, true)}),
        )
        .await?;
    fan.sign_in(&stack, "pushfan@example.com", PASSWORD).await?;
    let deadline = Instant::now() + WAIT;
    loop {
        let kept = stack
            .stack
            .store()
            .push_subscriptions_of(std::slice::from_ref(&fan_id))
            .await?;
        if kept.len() == 1 {
            assert_eq!(kept[0].endpoint.as_str(), browser_keys.endpoint);
            break;
        }
        if Instant::now() >= deadline {
            let seen = fan
                .js("const r = await navigator.serviceWorker.getRegistration(); \
                     return { stub: typeof window.__push, current: !!(window.__push && window.__push.current), \
                              permission: Notification.permission, registration: !!r, url: location.href };")
                .await?;
            anyhow::bail!("the subscription was not renewed: {seen}");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    ffmpeg.kill().await?;
    for browser in [fan, star] {
        browser.close().await?;
    }
    stack.stack.shutdown().await?;
    Ok(())
}

/// The chat run by more than its owner: the streamer appoints a moderator and turns slow mode on
/// from the dashboard; the moderator deletes a viewer's message and times the viewer out from
/// the message's menu; the viewer reads on, cannot send until the timeout ends, then can; a
/// second tab of the same viewer is refused by slow mode with a message saying so; the owner's
/// moderation log tells it all.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_moderator_times_out_a_viewer_and_slow_mode_refuses_with_a_reason() -> Result<()> {
    let stack = TestStack::start(false).await?;
    for (email, handle, nickname) in [
        ("host@example.com", "mod_host", "진행자"),
        ("helper@example.com", "helper", "Helper"),
        ("chatty@example.com", "chatty", "Chatty"),
    ] {
        stack.account(email, PASSWORD, handle, nickname).await?;
    }

    // The streamer appoints the moderator and turns slow mode on.
    let owner = Browser::launch().await?;
    owner.sign_in(&stack, "host@example.com", PASSWORD).await?;
    owner.goto(&stack.url("/dashboard")).await?;
    owner.fill("#add-moderator", "@helper").await?;
    owner
        .js("document.querySelector('#add-moderator').form.requestSubmit()")
        .await?;
    owner
        .wait_for_text(".moderators li", "Helper", WAIT)
        .await?;
    owner
        .js("const s = document.querySelector('select[name=slow-mode]'); s.value = '10'; s.dispatchEvent(new Event('change'));
             document.querySelector('select[name=slow-mode]').form.requestSubmit()")
        .await?;
    owner.wait_for_text("[role=status]", "Saved", WAIT).await?;

    let moderator = Browser::launch().await?;
    moderator
        .sign_in(&stack, "helper@example.com", PASSWORD)
        .await?;
    moderator.goto(&stack.url("/mod_host")).await?;
    moderator
        .wait_for_text(".chat-state", "Connected", WAIT)
        .await?;
    let viewer = Browser::launch_sized(420, 860).await?;
    viewer
        .sign_in(&stack, "chatty@example.com", PASSWORD)
        .await?;
    viewer.goto(&stack.url("/mod_host")).await?;
    viewer
        .wait_for_text(".chat-state", "Connected", WAIT)
        .await?;
    // The rule is shown before the viewer types; the moderator is not slowed and sees none.
    viewer
        .wait_for_text(".chat-rules", "Slow mode: one message every 10 s", WAIT)
        .await?;
    let moderator_rules = moderator
        .js("return document.querySelectorAll('.chat-rules').length")
        .await?;
    assert_eq!(moderator_rules.as_u64(), Some(0));

    // Who is here: the viewer sees the moderator (with the badge) and themselves.
    viewer.click(".chat-people-toggle").await?;
    viewer
        .wait_for_text(".chat-people .chat-person", "Helper", WAIT)
        .await?;
    viewer
        .wait_for_text(".chat-people .chat-person", "Chatty", WAIT)
        .await?;
    viewer
        .wait_for_text(".chat-people .chat-person .owner-badge", "Mod", WAIT)
        .await?;
    viewer
        .js("document.querySelector('.chat').scrollIntoView()")
        .await?;
    viewer.screenshot("chat-who-is-here-phone").await?;

    // The viewer speaks; slow mode holds the send button with a countdown.
    viewer.fill("#chat-input", "first message").await?;
    viewer.click(".chat-form button[type=submit]").await?;
    moderator
        .wait_for_text(".chat-line", "first message", WAIT)
        .await?;
    viewer
        .wait_for_text(".chat-form button[type=submit]", " s", WAIT)
        .await?;
    let held = viewer
        .js("return document.querySelector('.chat-form button[type=submit]').disabled")
        .await?;
    assert_eq!(
        held,
        serde_json::Value::Bool(true),
        "the button waits out slow mode"
    );

    // A second tab of the same viewer knows nothing of the first: the server refuses it, and
    // says why.
    let second_tab = Browser::launch().await?;
    second_tab
        .sign_in(&stack, "chatty@example.com", PASSWORD)
        .await?;
    second_tab.goto(&stack.url("/mod_host")).await?;
    second_tab
        .wait_for_text(".chat-state", "Connected", WAIT)
        .await?;
    second_tab.fill("#chat-input", "sneaky second").await?;
    second_tab.click(".chat-form button[type=submit]").await?;
    second_tab
        .wait_for_text(
            ".chat-notice",
            "Slow mode is on: wait before your next message.",
            WAIT,
        )
        .await?;
    // The refused text is back in the box, to send when the wait is over.
    let kept = second_tab
        .js("return document.querySelector('#chat-input').value")
        .await?;
    assert_eq!(kept.as_str(), Some("sneaky second"));
    second_tab.screenshot("chat-slow-mode-refused").await?;
    second_tab.close().await?;

    // The moderator deletes the message from its menu, then times the viewer out for a minute.
    let menu_of = |text: &str| {
        format!(
            "const line = [...document.querySelectorAll('.chat-line')].find(l => l.textContent.includes('{text}'));
             line.querySelector('details.chat-menu').open = true; return line.querySelector('details.chat-menu') !== null"
        )
    };
    assert_eq!(
        moderator.js(&menu_of("first message")).await?,
        serde_json::Value::Bool(true),
        "a moderator has a menu on a viewer's message"
    );
    moderator.screenshot("chat-moderator-menu").await?;
    moderator
        .js("document.querySelector('details.chat-menu[open] .delete-message').click()")
        .await?;
    viewer.wait_gone(".chat-line", "first message").await?;

    // Slow mode is over for the viewer by now; a new message to time out.
    viewer
        .wait_for_text(".chat-form button[type=submit]", "Send", WAIT)
        .await?;
    viewer.fill("#chat-input", "spam spam spam").await?;
    viewer.click(".chat-form button[type=submit]").await?;
    moderator
        .wait_for_text(".chat-line", "spam spam spam", WAIT)
        .await?;
    moderator.js(&menu_of("spam spam spam")).await?;
    moderator
        .fill("details.chat-menu[open] .chat-reason", "도배")
        .await?;
    let timed_out_at = Instant::now();
    moderator
        .js("document.querySelector('details.chat-menu[open] .time-out[data-minutes=\"1\"]').click()")
        .await?;
    viewer
        .wait_for_text(".chat-wait", "You are timed out", WAIT)
        .await?;
    let blocked = viewer
        .js("return document.querySelector('.chat-form button[type=submit]').disabled")
        .await?;
    assert_eq!(blocked, serde_json::Value::Bool(true));
    viewer
        .js("document.querySelector('.chat-form').scrollIntoView()")
        .await?;
    viewer.screenshot("chat-timed-out-phone").await?;
    // Reading goes on: the moderator's message reaches the timed-out viewer. The moderator
    // mentions them, completing the handle from who is here; the line is marked for the viewer.
    moderator.fill("#chat-input", "@cha").await?;
    moderator
        .wait_for_text(".mention-suggestions button", "@chatty", WAIT)
        .await?;
    moderator.click(".mention-suggestions button").await?;
    let completed = moderator
        .js("return document.querySelector('#chat-input').value")
        .await?;
    assert_eq!(completed.as_str(), Some("@chatty "));
    moderator
        .wait("#chat-input")
        .await?
        .send_keys("please keep it civil")
        .await?;
    moderator.click(".chat-form button[type=submit]").await?;
    viewer
        .wait_for_text(".chat-line.mention-me", "please keep it civil", WAIT)
        .await?;
    viewer
        .wait_for_text(".chat-line.mention-me .mention", "@chatty", WAIT)
        .await?;
    // Each line says when, relative, with the exact time on hover.
    let time = viewer
        .js("const t = document.querySelector('.chat-line.mention-me time.chat-time'); return [t.textContent, t.title, t.getAttribute('datetime')]")
        .await?;
    assert_eq!(time[0].as_str(), Some("just now"), "{time}");
    assert!(
        time[1]
            .as_str()
            .is_some_and(|t| t.contains("2026") || t.contains(':')),
        "{time}"
    );
    assert!(time[2].as_str().is_some_and(|t| t.ends_with('Z')), "{time}");
    let marked_for_moderator = moderator
        .js("return document.querySelectorAll('.chat-line.mention-me').length")
        .await?;
    assert_eq!(
        marked_for_moderator.as_u64(),
        Some(0),
        "only its target sees it marked"
    );
    // The moderator's badge.
    viewer
        .wait_for_text(".chat-line .owner-badge", "Mod", WAIT)
        .await?;

    // The owner's log says who did what, while the timeout runs.
    owner.goto(&stack.url("/dashboard")).await?;
    owner
        .wait_for_text(".moderation-log", "Helper timed out Chatty until", WAIT)
        .await?;
    owner
        .wait_for_text(
            ".moderation-log",
            "Helper deleted a message from Chatty",
            WAIT,
        )
        .await?;
    owner
        .wait_for_text(".moderation-log", "made Helper a moderator", WAIT)
        .await?;
    owner
        .js("document.querySelector('#moderators-heading').scrollIntoView()")
        .await?;
    owner.screenshot("dashboard-moderators").await?;
    // The same in Korean.
    owner
        .js("localStorage.setItem('cloumer.lang', 'ko'); location.reload()")
        .await?;
    owner
        .wait_for_text(".moderation-log", "타임아웃", WAIT)
        .await?;
    owner
        .js("document.querySelector('#moderators-heading').scrollIntoView()")
        .await?;
    owner.screenshot("dashboard-moderators-ko").await?;
    viewer
        .js("localStorage.setItem('cloumer.lang', 'ko'); location.reload()")
        .await?;
    viewer
        .wait_for_text(".chat-wait", "타임아웃 중이에요", WAIT)
        .await?;
    viewer
        .js("document.querySelector('.chat-form').scrollIntoView()")
        .await?;
    viewer.screenshot("chat-timed-out-ko-phone").await?;

    // When the minute is over, the viewer sends again.
    let remaining = Duration::from_secs(61).saturating_sub(timed_out_at.elapsed());
    tokio::time::sleep(remaining).await;
    viewer
        .wait_for_text(".chat-form button[type=submit]", "보내기", WAIT)
        .await?;
    viewer.fill("#chat-input", "sorry, I am back").await?;
    viewer.click(".chat-form button[type=submit]").await?;
    moderator
        .wait_for_text(".chat-line", "sorry, I am back", WAIT)
        .await?;
    // Later the room turns followers-only for ten minutes; the viewer follows and waits, and the
    // words say so, not the timeout that is over.
    owner
        .js(
            "const s = document.querySelector('select[name=followers-only]'); s.value = '10';
             s.dispatchEvent(new Event('change')); s.form.requestSubmit()",
        )
        .await?;
    viewer
        .wait_for_text(".chat-locked", "채널을 팔로우하면 채팅할 수 있어요", WAIT)
        .await?;
    viewer.click(".follow-box button.follow").await?;
    viewer
        .wait_for_text(".chat-wait", "10분 후에 채팅할 수 있어요", WAIT)
        .await?;
    let words = viewer
        .js("return document.querySelector('.chat-wait').textContent")
        .await?;
    assert!(
        !words.as_str().unwrap_or_default().contains("타임아웃"),
        "{words}"
    );

    // The moderator leaves the page: the viewer's list drops them.
    viewer.click(".chat-people-toggle").await?;
    viewer
        .wait_for_text(".chat-people .chat-person", "Helper", WAIT)
        .await?;
    // Away to another site, as people leave a page (the browser may keep the page in its
    // back/forward cache, socket and all: the app leaves the room as the page hides).
    moderator.goto("about:blank").await?;
    viewer
        .wait_gone(".chat-people .chat-person", "Helper")
        .await?;

    for browser in [owner, moderator, viewer] {
        browser.close().await?;
    }
    stack.stack.shutdown().await?;
    Ok(())
}

/// A viewer answers another's message from its line: the writer sees whom the answer is to, with
/// the start of their own words, and the line marked for them; Escape lets go of a reply; once
/// the streamer deletes the question, its words leave the answer, which still names its writer.
/// In Korean on a phone, in English on a desktop.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_viewer_answers_a_message_and_the_answer_says_whom_it_answers() -> Result<()> {
    let stack = TestStack::start(false).await?;
    for (email, handle, nickname) in [
        ("host@example.com", "qa_host", "Host"),
        ("mina@example.com", "mina", "미나"),
        ("jun@example.com", "jun", "Jun"),
    ] {
        stack.account(email, PASSWORD, handle, nickname).await?;
    }
    const QUESTION: &str = "Who is playing tonight?";
    const ANSWER: &str = "저요! 9시에 시작해요";
    let mina = Browser::launch().await?;
    mina.sign_in(&stack, "mina@example.com", PASSWORD).await?;
    mina.goto(&stack.url("/qa_host")).await?;
    mina.wait(".chat-state[data-state=Connected]").await?;
    mina.fill("#chat-input", QUESTION).await?;
    mina.click(".chat-form button[type=submit]").await?;
    mina.wait_for_text(".chat-line", QUESTION, WAIT).await?;

    let jun = korean_phone(&stack, "jun@example.com").await?;
    jun.goto(&stack.url("/qa_host")).await?;
    jun.wait(".chat-state[data-state=Connected]").await?;
    jun.wait_for_text(".chat-line", QUESTION, WAIT).await?;
    let reply_to_question = format!(
        "[...document.querySelectorAll('.chat-line')].find(l => l.textContent.includes('{QUESTION}')).querySelector('.chat-reply').click()"
    );
    jun.js(&reply_to_question).await?;
    jun.wait_for_text(".chat-replying", "미나 님에게 답장하는 중", WAIT)
        .await?;
    assert_eq!(
        jun.js("return document.activeElement.id").await?,
        "chat-input",
        "the box is ready for the answer"
    );
    jun.fill("#chat-input", ANSWER).await?;
    jun.js("document.querySelector('.chat-form').scrollIntoView({block: 'center'})")
        .await?;
    jun.screenshot("chat-reply-compose-ko-phone").await?;
    jun.click(".chat-form button[type=submit]").await?;
    jun.wait_until(
        "return document.querySelector('.chat-replying') === null",
        "the reply to go",
    )
    .await?;

    // The writer of the question sees the answer marked for them, quoting them.
    mina.wait_for_text(".chat-line.mention-me", ANSWER, WAIT)
        .await?;
    mina.wait_for_text(".chat-line.mention-me .chat-reply-to", "미나", WAIT)
        .await?;
    mina.wait_for_text(".chat-reply-to .chat-reply-text", QUESTION, WAIT)
        .await?;
    mina.screenshot("chat-reply").await?;
    jun.wait_for_text(".chat-reply-to .chat-reply-text", QUESTION, WAIT)
        .await?;
    jun.screenshot("chat-reply-ko-phone").await?;

    // Escape lets go of a reply begun.
    jun.js(&reply_to_question).await?;
    jun.wait(".chat-replying").await?;
    jun.press("#chat-input", "\u{E00C}").await?;
    jun.wait_until(
        "return document.querySelector('.chat-replying') === null",
        "Escape to let go of the reply",
    )
    .await?;

    // The streamer deletes the question: its words leave the answer on every page.
    let host = Browser::launch().await?;
    host.sign_in(&stack, "host@example.com", PASSWORD).await?;
    host.goto(&stack.url("/qa_host")).await?;
    host.wait(".chat-state[data-state=Connected]").await?;
    host.wait_for_text(".chat-line", QUESTION, WAIT).await?;
    host.js(&format!(
        "const line = [...document.querySelectorAll('.chat-line')].find(l => l.querySelector('.chat-text').textContent.includes('{QUESTION}'));
         line.querySelector('details.chat-menu').open = true; line.querySelector('.delete-message').click()"
    ))
    .await?;
    for page in [&mina, &jun] {
        page.wait_gone(".chat-line", QUESTION).await?;
        page.wait_for_text(".chat-line .chat-reply-to", "미나", WAIT)
            .await?;
        page.wait_for_text(".chat-line", ANSWER, WAIT).await?;
    }

    // A reader scrolled up to read is not pulled down by what comes: the list holds still and
    // offers the way down, counting the messages since. (The list is made short so that two
    // lines overflow it.)
    mina.js("const l = document.querySelector('.chat-lines'); l.style.flex = 'none'; l.style.height = '40px';
             l.scrollTop = 0; l.dispatchEvent(new Event('scroll'))")
        .await?;
    jun.fill("#chat-input", "Anyone still here?").await?;
    jun.click(".chat-form button[type=submit]").await?;
    mina.wait_for_text(".chat-more", "1 new message", WAIT)
        .await?;
    assert_eq!(
        mina.js("return document.querySelector('.chat-lines').scrollTop")
            .await?,
        0,
        "the reader stays where they were reading"
    );
    mina.screenshot("chat-new-messages").await?;
    mina.click(".chat-more").await?;
    mina.wait_until(
        "const l = document.querySelector('.chat-lines');
         return document.querySelector('.chat-more') === null && l.scrollTop > 0
             && l.scrollTop + l.clientHeight >= l.scrollHeight - 24",
        "the list at its newest message",
    )
    .await?;
    Ok(())
}

/// A viewer whose account is too new for the room and who is then timed out for a minute still
/// waits for their account's age: the page once took the timeout's end for the only wait, offered
/// the box after a minute and had the message refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_timeout_does_not_shorten_the_wait_for_an_account_too_new_for_the_room() -> Result<()> {
    let stack = TestStack::start(false).await?;
    for (email, handle, nickname) in [
        ("host@example.com", "age_host", "Host"),
        ("new@example.com", "newbie", "Newbie"),
    ] {
        stack.account(email, PASSWORD, handle, nickname).await?;
    }
    let host = Browser::launch().await?;
    host.sign_in(&stack, "host@example.com", PASSWORD).await?;
    host.goto(&stack.url("/dashboard")).await?;
    host.wait("input[name=min-account-age]").await?;
    host.fill("input[name=min-account-age]", "60").await?;
    host.js("document.querySelector('input[name=min-account-age]').form.requestSubmit()")
        .await?;
    host.wait_for_text("[role=status]", "Saved", WAIT).await?;

    let newbie = Browser::launch().await?;
    newbie.sign_in(&stack, "new@example.com", PASSWORD).await?;
    newbie.goto(&stack.url("/age_host")).await?;
    newbie.wait(".chat-state[data-state=Connected]").await?;
    let an_hour = "/in (59|60) min/.test(document.querySelector('.chat-wait')?.textContent ?? '')";
    newbie
        .wait_until(&format!("return {an_hour}"), "the account's wait")
        .await?;
    let newbie_id = newbie
        .js(
            "const s = JSON.parse(localStorage.getItem('cloumer.session')); \
             const claims = s.id_token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'); \
             return JSON.parse(atob(claims)).sub;",
        )
        .await?;
    let newbie_id = newbie_id.as_str().context("the viewer's id")?;
    let status = host
        .js(&format!(
            "const s = JSON.parse(localStorage.getItem('cloumer.session')); \
             const r = await fetch('/api/v1/channels/age_host/timeouts/{newbie_id}', {{ method: 'PUT', \
               headers: {{ authorization: 'Bearer ' + s.id_token, 'content-type': 'application/json' }}, \
               body: JSON.stringify({{ durationMinutes: 1 }}) }}); \
             return r.status;"
        ))
        .await?;
    assert_eq!(status, 200, "the timeout");
    newbie
        .wait_for_text(".chat-wait", "You are timed out", WAIT)
        .await?;
    let words = newbie
        .js(&format!(
            "return [{an_hour}, document.querySelector('.chat-wait').textContent, \
               document.querySelector('.chat-form button[type=submit]').textContent]"
        ))
        .await?;
    assert_eq!(
        words[0], true,
        "still an hour's wait, not the timeout's minute: {words}"
    );
    newbie.screenshot("chat-timed-out-account-age").await?;
    for browser in [host, newbie] {
        browser.close().await?;
    }
    stack.stack.shutdown().await?;
    Ok(())
}

/// A streamer changes the account age their chat asks for while a new viewer's page is open:
/// lowered to none, the box opens at once; raised again, the page counts the new wait. The page
/// once kept the wait its token gave, so a viewer the room had let in still faced an hour's wait.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_room_changing_its_account_age_moves_an_open_pages_wait() -> Result<()> {
    let stack = TestStack::start(false).await?;
    for (email, handle, nickname) in [
        ("host@example.com", "age_host", "Host"),
        ("new@example.com", "newbie", "Newbie"),
    ] {
        stack.account(email, PASSWORD, handle, nickname).await?;
    }
    let host = Browser::launch().await?;
    host.sign_in(&stack, "host@example.com", PASSWORD).await?;
    host.goto(&stack.url("/dashboard")).await?;
    host.wait("input[name=min-account-age]").await?;
    let set_age = |minutes: &str| {
        format!(
            "const i = document.querySelector('input[name=min-account-age]'); i.value = '{minutes}';
             i.dispatchEvent(new Event('input')); i.form.requestSubmit()"
        )
    };
    host.js(&set_age("60")).await?;
    host.wait_for_text("[role=status]", "Saved", WAIT).await?;

    let newbie = Browser::launch().await?;
    newbie.sign_in(&stack, "new@example.com", PASSWORD).await?;
    newbie.goto(&stack.url("/age_host")).await?;
    newbie.wait(".chat-state[data-state=Connected]").await?;
    let wait_words = |pattern: &str| {
        format!("return /{pattern}/.test(document.querySelector('.chat-wait')?.textContent ?? '')")
    };
    newbie
        .wait_until(&wait_words("in (59|60) min"), "the hour's wait")
        .await?;

    // Lowered to none: the page lets the viewer type and send at once.
    host.js(&set_age("0")).await?;
    newbie
        .wait_until(
            "return document.querySelector('.chat-wait') === null",
            "no wait once the room asks no age",
        )
        .await?;
    says(&newbie, "let in at last").await?;

    // Raised to half an hour: the page counts that wait, from when the account was made.
    host.js(&set_age("30")).await?;
    newbie
        .wait_until(&wait_words("in (29|30) min"), "the half hour's wait")
        .await?;
    newbie.screenshot("chat-account-age-raised").await?;
    for browser in [host, newbie] {
        browser.close().await?;
    }
    stack.stack.shutdown().await?;
    Ok(())
}

/// A streamer makes the chat emote-only from the dashboard while a viewer is in the room: the
/// viewer's page says so at once, words are refused with the reason (and given back), emoji go
/// through, the streamer's own words too; turned off, the rule leaves the page. The streamer in
/// English on a desktop, the viewer in Korean on a phone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_emote_only_chat_takes_emoji_and_refuses_words_with_the_reason() -> Result<()> {
    let stack = TestStack::start(false).await?;
    for (email, handle, nickname) in [
        ("host@example.com", "hype_host", "Host"),
        ("mina@example.com", "mina", "미나"),
    ] {
        stack.account(email, PASSWORD, handle, nickname).await?;
    }
    let mina = korean_phone(&stack, "mina@example.com").await?;
    mina.goto(&stack.url("/hype_host")).await?;
    mina.wait(".chat-state[data-state=Connected]").await?;

    let host = Browser::launch().await?;
    host.sign_in(&stack, "host@example.com", PASSWORD).await?;
    host.goto(&stack.url("/dashboard")).await?;
    toggle_rule(&host, "emote-only").await?;
    host.screenshot("dashboard-emote-only").await?;

    // The viewer's page hears of it at once.
    mina.wait_for_text(".chat-rules .emote-only-rule", "이모티콘 전용 채팅", WAIT)
        .await?;
    type_and_send(&mina, "안녕하세요 여러분").await?;
    mina.wait_for_text(".chat-notice", "이모티콘 전용 채팅이에요", WAIT)
        .await?;
    let kept = mina
        .js("return document.querySelector('#chat-input').value")
        .await?;
    assert_eq!(
        kept.as_str(),
        Some("안녕하세요 여러분"),
        "the words are given back"
    );
    mina.js("document.querySelector('.chat-form').scrollIntoView({block: 'center'})")
        .await?;
    mina.screenshot("chat-emote-only-ko-phone").await?;
    type_and_send(&mina, "🎉🔥 👏🏽").await?;
    mina.wait_for_text(".chat-line .chat-text", "🎉🔥 👏🏽", WAIT)
        .await?;

    // The streamer writes words; then turns the rule off, and it leaves the viewer's page.
    host.goto(&stack.url("/hype_host")).await?;
    host.wait(".chat-state[data-state=Connected]").await?;
    says(&host, "Welcome, raiders!").await?;
    mina.wait_for_text(".chat-line .chat-text", "Welcome, raiders!", WAIT)
        .await?;
    host.goto(&stack.url("/dashboard")).await?;
    toggle_rule(&host, "emote-only").await?;
    mina.wait_until(
        "return document.querySelector('.emote-only-rule') === null",
        "the rule gone",
    )
    .await?;
    type_and_send(&mina, "다시 말할 수 있네요").await?;
    mina.wait_for_text(".chat-line .chat-text", "다시 말할 수 있네요", WAIT)
        .await?;
    for browser in [host, mina] {
        browser.close().await?;
    }
    stack.stack.shutdown().await?;
    Ok(())
}

/// Web addresses in chat are links (a new tab, nothing told to the other site, only http and
/// https), and a streamer turns links off for viewers from the dashboard: the viewer's page says
/// so at once and keeps a message with a link from going, with the reason and the text given
/// back, while words go out and the streamer still posts links. The streamer in English on a
/// desktop, the viewer in Korean on a phone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chat_links_open_in_a_new_tab_and_a_streamer_can_turn_viewers_links_off() -> Result<()> {
    let stack = TestStack::start(false).await?;
    for (email, handle, nickname) in [
        ("host@example.com", "link_host", "Host"),
        ("mina@example.com", "mina", "미나"),
    ] {
        stack.account(email, PASSWORD, handle, nickname).await?;
    }
    let mina = korean_phone(&stack, "mina@example.com").await?;
    mina.goto(&stack.url("/link_host")).await?;
    mina.wait(".chat-state[data-state=Connected]").await?;
    let host = Browser::launch().await?;
    host.sign_in(&stack, "host@example.com", PASSWORD).await?;
    host.goto(&stack.url("/link_host")).await?;
    host.wait(".chat-state[data-state=Connected]").await?;

    // A viewer's address is a link for everyone; only web addresses are followed.
    says(&mina, "방송 일정은 example.com/schedule 에 있어요").await?;
    host.wait_for_text(".chat-line .chat-link", "example.com/schedule", WAIT)
        .await?;
    let link = host
        .js("const a = [...document.querySelectorAll('.chat-link')].pop(); return [a.href, a.target, a.rel]")
        .await?;
    assert_eq!(
        link,
        serde_json::json!([
            "https://example.com/schedule",
            "_blank",
            "noopener noreferrer nofollow ugc"
        ])
    );
    says(&mina, "javascript://example.com/%0Aalert(1)").await?;
    host.wait_for_text(".chat-line .chat-text", "javascript://", WAIT)
        .await?;
    assert_eq!(
        host.js("return [...document.querySelectorAll('.chat-line')].find(l => l.textContent.includes('javascript://')).querySelectorAll('a.chat-link').length")
            .await?,
        0,
        "only http and https are links"
    );
    host.screenshot("chat-links").await?;

    // Links off, from the dashboard.
    host.goto(&stack.url("/dashboard")).await?;
    toggle_rule(&host, "links-off").await?;
    host.screenshot("dashboard-links-off").await?;
    mina.wait_for_text(".chat-rules .links-off-rule", "링크를 보낼 수 없어요", WAIT)
        .await?;
    type_and_send(&mina, "팔로워 무료 bit.ly/abc").await?;
    mina.wait_for_text(".chat-notice", "웹 주소를 빼고", WAIT)
        .await?;
    let kept = mina
        .js("return document.querySelector('#chat-input').value")
        .await?;
    assert_eq!(
        kept.as_str(),
        Some("팔로워 무료 bit.ly/abc"),
        "the text stays"
    );
    mina.js("document.querySelector('.chat-form').scrollIntoView({block: 'center'})")
        .await?;
    mina.screenshot("chat-links-off-ko-phone").await?;
    type_and_send(&mina, "링크 없이 인사해요").await?;
    mina.wait_for_text(".chat-line .chat-text", "링크 없이 인사해요", WAIT)
        .await?;
    host.goto(&stack.url("/link_host")).await?;
    host.wait(".chat-state[data-state=Connected]").await?;
    says(&host, "Merch: example.com/shop").await?;
    mina.wait_for_text(".chat-line .chat-link", "example.com/shop", WAIT)
        .await?;
    assert_eq!(
        host.js("return [...document.querySelectorAll('.chat-line')].filter(l => l.textContent.includes('bit.ly')).length")
            .await?,
        0,
        "the refused link never went"
    );
    for browser in [host, mina] {
        browser.close().await?;
    }
    stack.stack.shutdown().await?;
    Ok(())
}

/// Filtered words, written on the dashboard, are found in disguise: a viewer who writes one in
/// look-alike Cyrillic letters, or spaced out, is refused with the reason and keeps their text;
/// the same words plainly put are delivered. The streamer in English on a desktop, the viewer
/// in Korean on a phone (whose own dashboard shows the filter's hint in Korean).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn filtered_words_are_refused_in_disguise() -> Result<()> {
    let stack = TestStack::start(false).await?;
    for (email, handle, nickname) in [
        ("host@example.com", "filter_host", "Host"),
        ("mina@example.com", "mina", "미나"),
    ] {
        stack.account(email, PASSWORD, handle, nickname).await?;
    }
    let host = Browser::launch().await?;
    host.sign_in(&stack, "host@example.com", PASSWORD).await?;
    host.goto(&stack.url("/dashboard")).await?;
    host.wait("textarea[name=words]").await?;
    host.js(
        "const t = document.querySelector('textarea[name=words]'); t.value = 'spam\\n바보'; \
             t.dispatchEvent(new Event('input', { bubbles: true })); t.form.requestSubmit()",
    )
    .await?;
    host.wait_for_text("[role=status]", "Saved", WAIT).await?;
    host.js("document.querySelector('textarea[name=words]').scrollIntoView({block: 'center'})")
        .await?;
    host.wait_for_text("textarea[name=words] + small", "look-alike letters", WAIT)
        .await?;
    host.screenshot("dashboard-filtered-words").await?;

    let mina = korean_phone(&stack, "mina@example.com").await?;
    mina.goto(&stack.url("/dashboard")).await?;
    mina.wait_for_text("textarea[name=words] + small", "비슷하게 생긴 글자", WAIT)
        .await?;
    mina.js("document.querySelector('textarea[name=words]').scrollIntoView({block: 'center'})")
        .await?;
    mina.screenshot("dashboard-filtered-words-ko-phone").await?;

    mina.goto(&stack.url("/filter_host")).await?;
    mina.wait(".chat-state[data-state=Connected]").await?;
    host.goto(&stack.url("/filter_host")).await?;
    host.wait(".chat-state[data-state=Connected]").await?;
    for disguised in ["buy ѕраm now", "너 바 보"] {
        type_and_send(&mina, disguised).await?;
        mina.wait_for_text(".chat-notice", "허용하지 않는 단어", WAIT)
            .await?;
        let kept = mina
            .js("return document.querySelector('#chat-input').value")
            .await?;
        assert_eq!(kept.as_str(), Some(disguised), "the text stays");
    }
    mina.js("document.querySelector('.chat-form').scrollIntoView({block: 'center'})")
        .await?;
    mina.screenshot("chat-filtered-disguise-ko-phone").await?;
    says(&mina, "바로 보고 있어요").await?;
    host.wait_for_text(".chat-line .chat-text", "바로 보고 있어요", WAIT)
        .await?;
    assert_eq!(
        host.js("return [...document.querySelectorAll('.chat-line')].filter(l => /ѕраm|바 보/.test(l.textContent)).length")
            .await?,
        0,
        "the refused messages never went"
    );
    host.screenshot("chat-filtered-host").await?;
    for browser in [host, mina] {
        browser.close().await?;
    }
    stack.stack.shutdown().await?;
    Ok(())
}

/// Shield mode from the chat's header: the streamer raises it on a raided room and every viewer's
/// page says so at once, with the strict rules it brings (a fresh account must wait, a stranger
/// must follow); lowering it takes them away. The streamer in English on a desktop, the viewer
/// in Korean on a phone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shield_mode_holds_the_chat_to_strict_rules_until_it_is_lowered() -> Result<()> {
    let stack = TestStack::start(false).await?;
    for (email, handle, nickname) in [
        ("host@example.com", "shield_host", "Host"),
        ("mina@example.com", "mina", "미나"),
    ] {
        stack.account(email, PASSWORD, handle, nickname).await?;
    }
    let host = Browser::launch().await?;
    host.sign_in(&stack, "host@example.com", PASSWORD).await?;
    host.goto(&stack.url("/shield_host")).await?;
    host.wait(".chat-state[data-state=Connected]").await?;
    let mina = korean_phone(&stack, "mina@example.com").await?;
    mina.goto(&stack.url("/shield_host")).await?;
    mina.wait(".chat-state[data-state=Connected]").await?;
    says(&mina, "안녕하세요").await?;
    assert_eq!(
        mina.js("return document.querySelectorAll('.chat-shield-toggle').length")
            .await?,
        0,
        "the button is the room's runners'"
    );

    host.click(".chat-shield-toggle").await?;
    host.wait(".chat-shield-toggle[aria-pressed=true]").await?;
    mina.wait_for_text(".chat-rules .shield-rule", "보호 모드 중이에요", WAIT)
        .await?;
    mina.wait_for_text(".chat-rules", "팔로우", WAIT).await?;
    mina.js("document.querySelector('.chat-rules').scrollIntoView({block: 'center'})")
        .await?;
    mina.screenshot("chat-shield-ko-phone").await?;
    host.screenshot("chat-shield-raised").await?;

    host.click(".chat-shield-toggle").await?;
    host.wait(".chat-shield-toggle[aria-pressed=false]").await?;
    mina.wait_until(
        "return !document.querySelector('.chat-rules')",
        "the rules gone with the shield",
    )
    .await?;
    says(&mina, "다시 조용해졌네요").await?;
    host.wait_for_text(".chat-line", "다시 조용해졌네요", WAIT)
        .await?;
    for browser in [host, mina] {
        browser.close().await?;
    }
    stack.stack.shutdown().await?;
    Ok(())
}

/// The room's runners type commands in the chat box, as on other sites: a timeout, its lift, a
/// ban and shield mode by name, each said back; a name nobody has, someone they may not act on
/// and a mistyped command are each told. A viewer's `/…` is a message like any other. The
/// streamer in English on a desktop (and then in Korean on a phone), the viewer in Korean on a
/// phone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_rooms_runners_type_commands_in_the_chat_box() -> Result<()> {
    let stack = TestStack::start(false).await?;
    for (email, handle, nickname) in [
        ("host@example.com", "cmd_host", "Host"),
        ("mina@example.com", "mina", "미나"),
        ("quiet@example.com", "quiet_one", "Quiet"),
    ] {
        stack.account(email, PASSWORD, handle, nickname).await?;
    }
    let host = Browser::launch().await?;
    host.sign_in(&stack, "host@example.com", PASSWORD).await?;
    host.goto(&stack.url("/cmd_host")).await?;
    host.wait(".chat-state[data-state=Connected]").await?;
    let mina = korean_phone(&stack, "mina@example.com").await?;
    mina.goto(&stack.url("/cmd_host")).await?;
    mina.wait(".chat-state[data-state=Connected]").await?;
    says(&mina, "/ban cmd_host 하하").await?;
    host.wait_for_text(".chat-line", "/ban cmd_host 하하", WAIT)
        .await?;
    // A slash in the streamer's box lists the commands; in the viewer's, nothing.
    host.fill("#chat-input", "/ti").await?;
    host.wait_for_text(".chat-command-hint", "Commands: /timeout", WAIT)
        .await?;
    host.screenshot("chat-command-hint").await?;
    mina.fill("#chat-input", "/ti").await?;
    assert_eq!(
        mina.js("return document.querySelectorAll('.chat-command-hint').length")
            .await?,
        0
    );
    mina.fill("#chat-input", "").await?;

    command(
        &host,
        "/timeout @Mina 5 calm down",
        "mina is timed out for 5 minutes.",
    )
    .await?;
    mina.wait_for_text(".chat-wait", "타임아웃 중이에요", WAIT)
        .await?;
    host.screenshot("chat-command-timeout").await?;
    command(&host, "/unban mina", "mina may chat again.").await?;
    mina.wait_until(
        "return !document.querySelector('.chat-wait')",
        "the timeout lifted",
    )
    .await?;
    // Someone who never spoke here is found by their channel's handle.
    command(
        &host,
        "/timeout quiet_one",
        "quiet_one is timed out for 10 minutes.",
    )
    .await?;
    command(
        &host,
        "/ban nobody_here",
        "No one here or on Cloumer is called nobody_here.",
    )
    .await?;
    command(&host, "/timeout cmd_host", "You can't do that to cmd_host.").await?;
    command(
        &host,
        "/bam mina",
        "Commands: /timeout name [minutes] [reason]",
    )
    .await?;
    command(&host, "/shield", "Shield mode is on.").await?;
    host.wait(".chat-shield-toggle[aria-pressed=true]").await?;
    mina.wait_for_text(".chat-rules .shield-rule", "보호 모드 중이에요", WAIT)
        .await?;
    command(&host, "/shieldoff", "Shield mode is off.").await?;
    host.wait(".chat-shield-toggle[aria-pressed=false]").await?;
    command(&host, "/ban mina 도배", "mina is banned from the chat.").await?;
    mina.wait_for_text("aside.chat", "이 채팅에서 차단되었습니다.", WAIT)
        .await?;

    // The same in Korean, on a phone.
    let phone = korean_phone(&stack, "host@example.com").await?;
    phone.goto(&stack.url("/cmd_host")).await?;
    phone.wait(".chat-state[data-state=Connected]").await?;
    command(&phone, "/unban mina", "mina 님이 다시 채팅할 수 있어요.").await?;
    command(
        &phone,
        "/ban 아무개",
        "아무개(이)라는 사람은 여기에도 Cloumer에도 없어요.",
    )
    .await?;
    phone
        .js("document.querySelector('.chat-form').scrollIntoView({block: 'center'})")
        .await?;
    phone.screenshot("chat-command-ko-phone").await?;
    for browser in [host, mina, phone] {
        browser.close().await?;
    }
    stack.stack.shutdown().await?;
    Ok(())
}

/// Unique chat, turned on from the dashboard: a viewer's page says the rule, and a copy of what
/// the room just heard (the streamer's line here) is held back before it goes with the reason
/// and the text given back, while new words go out. The viewer in Korean on a phone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unique_chat_holds_back_a_copy_of_what_was_just_said() -> Result<()> {
    let stack = TestStack::start(false).await?;
    for (email, handle, nickname) in [
        ("host@example.com", "uniq_host", "Host"),
        ("mina@example.com", "mina", "미나"),
    ] {
        stack.account(email, PASSWORD, handle, nickname).await?;
    }
    let mina = korean_phone(&stack, "mina@example.com").await?;
    mina.goto(&stack.url("/uniq_host")).await?;
    mina.wait(".chat-state[data-state=Connected]").await?;
    let host = Browser::launch().await?;
    host.sign_in(&stack, "host@example.com", PASSWORD).await?;
    host.goto(&stack.url("/dashboard")).await?;
    toggle_rule(&host, "unique-chat").await?;
    host.screenshot("dashboard-unique-chat").await?;
    mina.wait_for_text(".chat-rules .unique-chat-rule", "도배 방지", WAIT)
        .await?;

    const GIVEAWAY: &str = "Giveaway at 9 PM, stay tuned!";
    host.goto(&stack.url("/uniq_host")).await?;
    host.wait(".chat-state[data-state=Connected]").await?;
    says(&host, GIVEAWAY).await?;
    mina.wait_for_text(".chat-line .chat-text", GIVEAWAY, WAIT)
        .await?;
    let copy = "giveaway at 9 pm,   STAY TUNED!";
    mina.fill("#chat-input", copy).await?;
    mina.click(".chat-form button[type=submit]").await?;
    mina.wait_for_text(".chat-notice", "방금 나온 말이에요", WAIT)
        .await?;
    let kept = mina
        .js("return document.querySelector('#chat-input').value")
        .await?;
    assert_eq!(kept.as_str(), Some(copy), "the text stays");
    mina.js("document.querySelector('.chat-form').scrollIntoView({block: 'center'})")
        .await?;
    mina.screenshot("chat-unique-ko-phone").await?;
    mina.fill("#chat-input", "9시에 꼭 올게요!").await?;
    mina.click(".chat-form button[type=submit]").await?;
    host.wait_for_text(".chat-line .chat-text", "9시에 꼭 올게요!", WAIT)
        .await?;
    for browser in [host, mina] {
        browser.close().await?;
    }
    stack.stack.shutdown().await?;
    Ok(())
}

/// A streamer plans their week on the dashboard (in their time zone; overlapping streams are
/// refused with the reason) and their channel page shows viewers the next streams in the
/// viewer's own time; an empty week takes the schedule off the page. The streamer in English on
/// a desktop, the viewer in Korean on a phone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_streamer_plans_their_week_and_viewers_see_the_next_streams() -> Result<()> {
    let stack = TestStack::start(false).await?;
    for (email, handle, nickname) in [
        ("host@example.com", "plan_host", "Host"),
        ("mina@example.com", "mina", "미나"),
    ] {
        stack.account(email, PASSWORD, handle, nickname).await?;
    }
    let host = Browser::launch().await?;
    host.sign_in(&stack, "host@example.com", PASSWORD).await?;
    host.goto(&stack.url("/dashboard")).await?;
    host.wait("input[name=time-zone]").await?;
    host.wait_for_text(".schedule .empty", "No streams planned", WAIT)
        .await?;
    set_field(&host, "input[name=time-zone]", "Asia/Seoul").await?;
    // Two streams on the same evening that overlap: refused with the reason.
    host.click(".schedule .add-stream").await?;
    set_field(
        &host,
        ".schedule-row:nth-child(1) input[name=title]",
        "Speedruns",
    )
    .await?;
    host.click(".schedule .add-stream").await?;
    set_field(&host, ".schedule-row:nth-child(2) select[name=day]", "MON").await?;
    set_field(
        &host,
        ".schedule-row:nth-child(2) input[name=start]",
        "21:00",
    )
    .await?;
    host.js("document.querySelector('.schedule form').requestSubmit()")
        .await?;
    host.wait_for_text(".schedule [role=alert]", "overlap", WAIT)
        .await?;
    // Moved to Thursday, the week is kept.
    set_field(&host, ".schedule-row:nth-child(2) select[name=day]", "THU").await?;
    host.js("document.querySelector('.schedule form').requestSubmit()")
        .await?;
    host.wait_for_text(".schedule [role=status]", "Saved", WAIT)
        .await?;
    host.js("document.querySelector('.schedule').scrollIntoView({block: 'start'})")
        .await?;
    host.screenshot("dashboard-schedule").await?;
    host.js("const s = document.querySelector('select#lang'); s.value = 'ko'; s.dispatchEvent(new Event('change'));")
        .await?;
    host.wait_for_text(".schedule h2", "방송 일정", WAIT)
        .await?;
    host.js("document.querySelector('.schedule').scrollIntoView({block: 'start'})")
        .await?;
    host.screenshot("dashboard-schedule-ko").await?;
    host.js("const s = document.querySelector('select#lang'); s.value = 'en'; s.dispatchEvent(new Event('change'));")
        .await?;
    host.wait_for_text(".schedule h2", "Schedule", WAIT).await?;

    // The viewer's page lists the next streams, where the API says they are.
    let mina = korean_phone(&stack, "mina@example.com").await?;
    mina.goto(&stack.url("/plan_host")).await?;
    mina.wait_for_text(".upcoming h2", "방송 일정", WAIT)
        .await?;
    mina.wait_for_text(".upcoming-stream", "Speedruns", WAIT)
        .await?;
    let page: serde_json::Value = reqwest::get(stack.url("/api/v1/channels/plan_host"))
        .await?
        .json()
        .await?;
    let shown = mina
        .js("return [...document.querySelectorAll('.upcoming-stream time')].map(t => [t.getAttribute('datetime'), t.textContent])")
        .await?;
    let shown = shown.as_array().context("a list")?;
    assert_eq!(shown.len(), 3, "{shown:?}");
    for (planned, shown) in page["upcoming"]
        .as_array()
        .context("upcoming")?
        .iter()
        .zip(shown)
    {
        assert_eq!(shown[0], planned["startsAt"], "{shown}");
        assert!(
            shown[1].as_str().is_some_and(|t| t.contains('–')),
            "{shown}"
        );
    }
    mina.js("document.querySelector('.upcoming').scrollIntoView({block: 'center'})")
        .await?;
    mina.screenshot("channel-schedule-ko-phone").await?;
    // Followed, the channel's next streams lead the viewer's home page, soonest first.
    mina.click(".follow-box button.follow").await?;
    mina.wait(".follow-box button.follow[aria-pressed=true]")
        .await?;
    mina.goto(&stack.url("/")).await?;
    mina.wait_for_text(
        "[data-testid=following] .coming-up h3",
        "곧 시작하는 방송",
        WAIT,
    )
    .await?;
    let coming = mina
        .js("return [...document.querySelectorAll('.coming-up .upcoming-stream')].map(s => [s.querySelector('a').getAttribute('href'), s.querySelector('a').textContent, s.querySelector('time').getAttribute('datetime'), s.textContent])")
        .await?;
    let coming = coming.as_array().context("a list")?;
    assert!(coming.len() >= 3, "two a week for three weeks: {coming:?}");
    let mut previous = String::new();
    for stream in coming {
        assert_eq!(stream[0], "/plan_host", "{stream}");
        assert_eq!(stream[1], "Host", "{stream}");
        let starts = stream[2].as_str().context("datetime")?.to_owned();
        assert!(starts > previous, "soonest first: {coming:?}");
        previous = starts;
    }
    assert!(
        coming
            .iter()
            .any(|s| s[3].as_str().is_some_and(|t| t.contains("Speedruns"))),
        "{coming:?}"
    );
    mina.js("document.querySelector('.coming-up').scrollIntoView({block: 'center'})")
        .await?;
    mina.screenshot("home-coming-up-ko-phone").await?;
    let wide = Browser::launch().await?;
    wide.sign_in(&stack, "mina@example.com", PASSWORD).await?;
    wide.goto(&stack.url("/")).await?;
    wide.wait_for_text(".coming-up h3", "Coming up", WAIT)
        .await?;
    wide.js("document.querySelector('.coming-up').scrollIntoView({block: 'center'})")
        .await?;
    wide.screenshot("home-coming-up").await?;
    wide.close().await?;
    // The embedded player, offline, says when the next stream is.
    mina.goto(&stack.url("/embed/plan_host")).await?;
    let next = mina
        .wait_for_text(".player.offline .next-stream", "다음 방송", WAIT)
        .await?;
    assert!(next.contains("(월)") || next.contains("(목)"), "{next}");
    mina.screenshot("embed-next-stream-ko-phone").await?;
    host.goto(&stack.url("/plan_host")).await?;
    host.wait(".upcoming-stream").await?;
    host.js("document.querySelector('.upcoming').scrollIntoView({block: 'center'})")
        .await?;
    host.screenshot("channel-schedule").await?;

    // An empty week takes the schedule off the page.
    host.goto(&stack.url("/dashboard")).await?;
    host.wait(".schedule-row").await?;
    for left in [1, 0] {
        host.click(".schedule .remove-stream").await?;
        host.wait_until(
            &format!("return document.querySelectorAll('.schedule-row').length === {left}"),
            "a stream removed",
        )
        .await?;
    }
    host.wait_for_text(".schedule .empty", "No streams planned", WAIT)
        .await?;
    host.js("document.querySelector('.schedule form').requestSubmit()")
        .await?;
    host.wait_for_text(".schedule [role=status]", "Saved", WAIT)
        .await?;
    mina.goto(&stack.url("/plan_host")).await?;
    mina.wait(".chat-state[data-state=Connected]").await?;
    assert_eq!(
        mina.js("return document.querySelector('.upcoming') === null")
            .await?,
        true
    );
    for browser in [host, mina] {
        browser.close().await?;
    }
    stack.stack.shutdown().await?;
    Ok(())
}

/// A streamer writes their bio and links on the dashboard (an address typed without https://
/// is taken as one; a `javascript:` link is refused with the reason) and their channel page
/// shows them under the player, the bio's addresses as links too; emptied, the page shows none.
/// The streamer in English and Korean on a desktop, the viewer in Korean on a phone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_streamer_writes_their_bio_and_links_and_viewers_read_them() -> Result<()> {
    let stack = TestStack::start(false).await?;
    for (email, handle, nickname) in [
        ("host@example.com", "about_host", "Host"),
        ("mina@example.com", "mina", "미나"),
    ] {
        stack.account(email, PASSWORD, handle, nickname).await?;
    }
    let host = Browser::launch().await?;
    host.sign_in(&stack, "host@example.com", PASSWORD).await?;
    host.goto(&stack.url("/dashboard")).await?;
    host.wait("textarea[name=bio]").await?;
    const BIO: &str = "Speedruns every night at 9.\n\nSchedule and rules: example.com/rules";
    set_field(&host, "textarea[name=bio]", BIO).await?;
    host.wait_for_text(".about-card .counter", "234 characters left", WAIT)
        .await?;
    host.click(".about-card .add-link").await?;
    set_field(
        &host,
        ".about-row:nth-child(1) input[name=link-label]",
        "YouTube",
    )
    .await?;
    set_field(
        &host,
        ".about-row:nth-child(1) input[name=link-url]",
        "youtube.com/@about_host",
    )
    .await?;
    host.click(".about-card .add-link").await?;
    set_field(
        &host,
        ".about-row:nth-child(2) input[name=link-url]",
        "javascript:alert(1)",
    )
    .await?;
    host.js("document.querySelector('.about-card form').requestSubmit()")
        .await?;
    host.wait_for_text(".about-card [role=alert]", "link 2", WAIT)
        .await?;
    set_field(
        &host,
        ".about-row:nth-child(2) input[name=link-url]",
        "https://discord.gg/abc",
    )
    .await?;
    // A third row left empty is not a link.
    host.click(".about-card .add-link").await?;
    host.js("document.querySelector('.about-card form').requestSubmit()")
        .await?;
    host.wait_for_text(".about-card [role=status]", "Saved", WAIT)
        .await?;
    let kept: serde_json::Value = reqwest::get(stack.url("/api/v1/channels/about_host"))
        .await?
        .json()
        .await?;
    assert_eq!(
        kept["about"],
        serde_json::json!({"bio": BIO, "links": [
            {"label": "YouTube", "url": "https://youtube.com/@about_host"},
            {"label": "", "url": "https://discord.gg/abc"},
        ]})
    );
    host.js("document.querySelector('.about-card').scrollIntoView({block: 'start'})")
        .await?;
    host.screenshot("dashboard-about").await?;
    host.js("const s = document.querySelector('select#lang'); s.value = 'ko'; s.dispatchEvent(new Event('change'));")
        .await?;
    host.wait_for_text(".about-card h2", "채널 소개", WAIT)
        .await?;
    host.js("document.querySelector('.about-card').scrollIntoView({block: 'start'})")
        .await?;
    host.screenshot("dashboard-about-ko").await?;
    host.js("const s = document.querySelector('select#lang'); s.value = 'en'; s.dispatchEvent(new Event('change'));")
        .await?;

    // The viewer reads it under the player.
    let mina = korean_phone(&stack, "mina@example.com").await?;
    mina.goto(&stack.url("/about_host")).await?;
    mina.wait_for_text(".about h2", "Host 소개", WAIT).await?;
    let bio = mina
        .js("return document.querySelector('.about-bio').innerText")
        .await?;
    assert_eq!(bio.as_str(), Some(BIO), "paragraphs kept");
    let links = mina
        .js("return [...document.querySelectorAll('.about a')].map(a => [a.textContent, a.href, a.target, a.rel])")
        .await?;
    let rel = "noopener noreferrer nofollow ugc";
    assert_eq!(
        links,
        serde_json::json!([
            [
                "example.com/rules",
                "https://example.com/rules",
                "_blank",
                rel
            ],
            ["YouTube", "https://youtube.com/@about_host", "_blank", rel],
            ["discord.gg", "https://discord.gg/abc", "_blank", rel],
        ])
    );
    mina.js("document.querySelector('.about').scrollIntoView({block: 'center'})")
        .await?;
    mina.screenshot("channel-about-ko-phone").await?;
    host.goto(&stack.url("/about_host")).await?;
    host.wait(".about-links").await?;
    host.js("document.querySelector('.about').scrollIntoView({block: 'center'})")
        .await?;
    host.screenshot("channel-about").await?;

    // Emptied, the page has no "about".
    host.goto(&stack.url("/dashboard")).await?;
    host.wait(".about-row").await?;
    set_field(&host, "textarea[name=bio]", "").await?;
    for left in [1, 0] {
        host.click(".about-card .remove-link").await?;
        host.wait_until(
            &format!("return document.querySelectorAll('.about-row').length === {left}"),
            "a link removed",
        )
        .await?;
    }
    host.js("document.querySelector('.about-card form').requestSubmit()")
        .await?;
    host.wait_for_text(".about-card [role=status]", "Saved", WAIT)
        .await?;
    mina.goto(&stack.url("/about_host")).await?;
    mina.wait(".chat-state[data-state=Connected]").await?;
    assert_eq!(
        mina.js("return document.querySelector('.about') === null")
            .await?,
        true
    );
    // The card on a phone, as a streamer first finds it.
    mina.goto(&stack.url("/dashboard")).await?;
    mina.wait("textarea[name=bio]").await?;
    mina.click(".about-card .add-link").await?;
    mina.js("document.querySelector('.about-card').scrollIntoView({block: 'start'})")
        .await?;
    mina.screenshot("dashboard-about-ko-phone").await?;
    for browser in [host, mina] {
        browser.close().await?;
    }
    stack.stack.shutdown().await?;
    Ok(())
}

/// The streamer pins a viewer's message above the chat: everyone in the room sees it at once,
/// with who pinned it; a viewer may hide it for themselves; someone who opens the page later gets
/// it with the chat; unpinning, or deleting the message, takes it down everywhere; the log says
/// so. The streamer in English on a desktop, the viewer in Korean on a phone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pinned_message_sits_above_the_chat_for_everyone_until_it_is_taken_down() -> Result<()> {
    let stack = TestStack::start(false).await?;
    for (email, handle, nickname) in [
        ("host@example.com", "pin_host", "Host"),
        ("mina@example.com", "mina", "미나"),
    ] {
        stack.account(email, PASSWORD, handle, nickname).await?;
    }
    const RULES: &str = "오늘 추첨은 9시! 채팅에 !참여 라고 쓰면 돼요";
    const LATER: &str = "Second pin: the schedule is on the about page";
    let mina = korean_phone(&stack, "mina@example.com").await?;
    mina.goto(&stack.url("/pin_host")).await?;
    mina.wait(".chat-state[data-state=Connected]").await?;
    says(&mina, RULES).await?;
    assert_eq!(
        mina.js("return document.querySelectorAll('.pin-message').length")
            .await?,
        0,
        "a viewer has nothing to pin with"
    );

    let host = Browser::launch().await?;
    host.sign_in(&stack, "host@example.com", PASSWORD).await?;
    host.goto(&stack.url("/pin_host")).await?;
    host.wait(".chat-state[data-state=Connected]").await?;
    host.wait_for_text(".chat-line", RULES, WAIT).await?;
    let pin = |text: &str| {
        format!(
            "const line = [...document.querySelectorAll('.chat-line')].find(l => l.querySelector('.chat-text').textContent.includes('{text}'));
             line.querySelector('details.chat-menu').open = true; line.querySelector('.pin-message').click()"
        )
    };
    host.js(&pin(RULES)).await?;
    host.wait_for_text(".chat-pinned", "Pinned by Host", WAIT)
        .await?;
    host.wait_for_text(".chat-pinned .chat-text", RULES, WAIT)
        .await?;
    host.screenshot("chat-pinned").await?;
    // The viewer's page hears of it at once, in Korean, and the viewer may put it away.
    mina.wait_for_text(".chat-pinned", "Host 님이 고정함", WAIT)
        .await?;
    mina.wait_for_text(".chat-pinned .chat-nick", "미나", WAIT)
        .await?;
    mina.wait_for_text(".chat-pinned .chat-text", RULES, WAIT)
        .await?;
    assert_eq!(
        mina.js("return document.querySelectorAll('.chat-unpin').length")
            .await?,
        0,
        "only those who run the room unpin"
    );
    mina.screenshot("chat-pinned-ko-phone").await?;
    mina.click(".chat-pinned-hide").await?;
    mina.wait_gone(".chat-pinned", RULES).await?;

    // Someone who comes later, signed out, gets it with the chat.
    let late = Browser::launch().await?;
    late.goto(&stack.url("/pin_host")).await?;
    late.wait(".chat-state[data-state=Connected]").await?;
    late.wait_for_text(".chat-pinned .chat-text", RULES, WAIT)
        .await?;

    // Unpinned: gone from every page.
    host.click(".chat-unpin").await?;
    for page in [&host, &late] {
        page.wait_gone(".chat-pinned", RULES).await?;
    }

    // A new pin shows again for the viewer who hid the first; deleting its message takes it down.
    says(&mina, LATER).await?;
    host.wait_for_text(".chat-line", LATER, WAIT).await?;
    host.js(&pin(LATER)).await?;
    for page in [&mina, &late] {
        page.wait_for_text(".chat-pinned .chat-text", LATER, WAIT)
            .await?;
    }
    host.js(&format!(
        "const line = [...document.querySelectorAll('.chat-line')].find(l => l.querySelector('.chat-text').textContent.includes('{LATER}'));
         line.querySelector('details.chat-menu').open = true; line.querySelector('.delete-message').click()"
    ))
    .await?;
    for page in [&mina, &late, &host] {
        page.wait_gone(".chat-pinned", LATER).await?;
    }
    late.goto(&stack.url("/pin_host")).await?;
    late.wait(".chat-state[data-state=Connected]").await?;
    assert_eq!(
        late.js("return document.querySelectorAll('.chat-pinned').length")
            .await?,
        0,
        "nothing pinned after the deletion"
    );

    // The streamer may pin their own words too (and nothing else is offered on them).
    says(&host, "Stream starts at 9").await?;
    let own_menu = host
        .js("const line = [...document.querySelectorAll('.chat-line')].find(l => l.textContent.includes('Stream starts at 9'));
             return [line.querySelectorAll('.pin-message').length, line.querySelectorAll('.delete-message, .ban-user').length]")
        .await?;
    assert_eq!(own_menu, serde_json::json!([1, 0]));

    // The streamer's log says who pinned whose message.
    host.goto(&stack.url("/dashboard")).await?;
    host.wait_for_text(".moderation-log", "Host pinned a message from 미나", WAIT)
        .await?;
    host.wait_for_text(".moderation-log", "Host unpinned a message from 미나", WAIT)
        .await?;
    host.wait_for_text(".moderation-log", "Host deleted a message from 미나", WAIT)
        .await?;
    for browser in [host, mina, late] {
        browser.close().await?;
    }
    stack.stack.shutdown().await?;
    Ok(())
}

/// The streamer opens a poll from the chat: the viewer (Korean, phone) sees it at once, votes
/// and sees the share of each answer; a viewer signed out is asked to sign in and sees the
/// count grow; the streamer ends it and every page says it ended, with the final count.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_streamer_asks_the_chat_a_question_and_viewers_vote_once() -> Result<()> {
    let stack = TestStack::start(false).await?;
    for (email, handle, nickname) in [
        ("host@example.com", "poll_host", "Host"),
        ("mina@example.com", "mina", "미나"),
    ] {
        stack.account(email, PASSWORD, handle, nickname).await?;
    }
    let host = Browser::launch().await?;
    host.sign_in(&stack, "host@example.com", PASSWORD).await?;
    host.goto(&stack.url("/poll_host")).await?;
    host.wait(".chat-state[data-state=Connected]").await?;
    let mina = korean_phone(&stack, "mina@example.com").await?;
    mina.goto(&stack.url("/poll_host")).await?;
    mina.wait(".chat-state[data-state=Connected]").await?;
    assert_eq!(
        mina.js("return document.querySelectorAll('.chat-poll-toggle').length")
            .await?,
        0,
        "a viewer has no poll to open"
    );
    let reader = Browser::launch().await?;
    reader.goto(&stack.url("/poll_host")).await?;
    reader.wait(".chat-state[data-state=Connected]").await?;

    // The streamer writes the question, adds a third answer, and opens it for two minutes.
    host.click(".chat-poll-toggle").await?;
    host.wait(".chat-poll-form").await?;
    host.fill("#poll-question", "Which game next?").await?;
    host.click(".chat-poll-add").await?;
    // Typed key by key: a field that lost the caret after the first key would keep one letter.
    for (i, answer) in ["Tetris", "테트리스 99", "Chess"].iter().enumerate() {
        host.fill(&format!("#poll-answer-{i}"), answer).await?;
    }
    set_field(&host, "#poll-duration", "120").await?;
    host.screenshot("chat-poll-form").await?;
    host.click(".chat-poll-form button[type=submit]").await?;
    host.wait_gone(".chat-poll-form", "").await?;
    host.wait_for_text(".chat-poll-question", "Which game next?", WAIT)
        .await?;
    host.wait_for_text(".chat-poll-status", "left", WAIT)
        .await?;

    // The viewer's page hears of it at once, in Korean, and offers each answer.
    mina.wait_for_text(".chat-poll-question", "Which game next?", WAIT)
        .await?;
    mina.wait_for_text(".chat-poll-head", "Host님의 투표", WAIT)
        .await?;
    mina.wait_for_text(".chat-poll-status", "남음", WAIT)
        .await?;
    assert_eq!(
        mina.js(
            "return [...document.querySelectorAll('.chat-poll-choice')].map(b => b.textContent)"
        )
        .await?,
        serde_json::json!(["Tetris", "테트리스 99", "Chess"])
    );
    reader
        .wait_for_text(".chat-poll-foot", "Sign in to vote", WAIT)
        .await?;
    assert_eq!(
        reader
            .js("return document.querySelectorAll('.chat-poll-choice').length")
            .await?,
        0,
        "signed out, nobody votes"
    );

    // She votes: her answer is marked, the shares show, and the others' pages count it.
    mina.js("document.querySelectorAll('.chat-poll-choice')[1].click()")
        .await?;
    mina.wait(".chat-poll-result.mine").await?;
    mina.wait_for_text(".chat-poll-result.mine", "100%", WAIT)
        .await?;
    mina.wait_for_text(".chat-poll-total", "1표", WAIT).await?;
    mina.screenshot("chat-poll-voted-ko-phone").await?;
    for page in [&host, &reader] {
        page.wait_for_text(".chat-poll-total", "1 vote", WAIT)
            .await?;
    }
    // A reload brings back her vote with the chat.
    mina.goto(&stack.url("/poll_host")).await?;
    mina.wait_for_text(".chat-poll-result.mine", "테트리스 99", WAIT)
        .await?;
    host.screenshot("chat-poll-open").await?;

    // The streamer ends it: every page says so, with the count.
    host.click(".chat-poll-end").await?;
    for page in [&host, &reader] {
        page.wait_for_text(".chat-poll-status", "Poll ended", WAIT)
            .await?;
    }
    mina.wait_for_text(".chat-poll-status", "투표 종료", WAIT)
        .await?;
    mina.screenshot("chat-poll-ended-ko-phone").await?;
    assert_eq!(
        host.js("return document.querySelectorAll('.chat-poll-end').length")
            .await?,
        0,
        "an ended poll has nothing to end"
    );
    // Anyone may put it away.
    reader.click(".chat-poll-hide").await?;
    reader.wait_gone(".chat-poll", "Which game next?").await?;
    for browser in [host, mina, reader] {
        browser.close().await?;
    }
    stack.stack.shutdown().await?;
    Ok(())
}

/// A viewer blocks someone from their chat line: that person's lines leave the viewer's page at
/// once and stay hidden (new ones, and the history after a reload), while everyone else still
/// sees them and the blocked person is not told; the viewer's other tab on the same chat hears of
/// the block and of the unblock at once; the profile lists whom the viewer blocked, and
/// unblocking there brings their lines back. The viewer in Korean on a phone, the blocked person
/// in English on a desktop.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_viewer_blocks_someone_and_stops_seeing_their_chat_until_they_unblock() -> Result<()> {
    let stack = TestStack::start(false).await?;
    for (email, handle, nickname) in [
        ("host@example.com", "block_host", "Host"),
        ("mina@example.com", "mina", "미나"),
        ("troll@example.com", "troll", "Troll"),
    ] {
        stack.account(email, PASSWORD, handle, nickname).await?;
    }
    const SPAM: &str = "first spam line";
    const MORE_SPAM: &str = "second spam line";
    const HOST_SAYS: &str = "welcome everyone";
    const BACK_AGAIN: &str = "unblocked and back";
    let mina = korean_phone(&stack, "mina@example.com").await?;
    mina.goto(&stack.url("/block_host")).await?;
    mina.wait(".chat-state[data-state=Connected]").await?;
    let troll = Browser::launch().await?;
    troll.sign_in(&stack, "troll@example.com", PASSWORD).await?;
    troll.goto(&stack.url("/block_host")).await?;
    troll.wait(".chat-state[data-state=Connected]").await?;
    says(&troll, SPAM).await?;
    mina.wait_for_text(".chat-line", SPAM, WAIT).await?;
    assert_eq!(
        troll
            .js("return [...document.querySelectorAll('.chat-line')].find(l => l.textContent.includes('first spam')).querySelectorAll('.block-user, .pin-message').length")
            .await?,
        0,
        "nobody blocks themselves, and a viewer pins nothing"
    );
    // A second tab of Mina's browser on the same chat lists Troll among who is here and
    // completes their handle.
    let first_tab = mina.open_tab(&stack.url("/block_host")).await?;
    mina.wait(".chat-state[data-state=Connected]").await?;
    mina.wait_for_text(".chat-line", SPAM, WAIT).await?;
    mina.click(".chat-people-toggle").await?;
    mina.wait_for_text(".chat-people .chat-person", "Troll", WAIT)
        .await?;
    mina.fill("#chat-input", "@tro").await?;
    mina.wait_for_text(".mention-suggestions button", "@troll", WAIT)
        .await?;
    let second_tab = mina.switch_tab(first_tab).await?;

    // A viewer's menu on someone else's line offers only the block.
    let offered = mina
        .js(&format!(
            "const line = [...document.querySelectorAll('.chat-line')].find(l => l.querySelector('.chat-text').textContent.includes('{SPAM}'));
             line.querySelector('details.chat-menu').open = true; line.scrollIntoView({{block: 'center'}});
             return [...line.querySelectorAll('.chat-menu-body button')].map(b => b.className)"
        ))
        .await?;
    assert_eq!(offered, serde_json::json!(["link block-user"]));
    mina.wait_for_text("details.chat-menu[open] .block-user", "차단", WAIT)
        .await?;
    mina.screenshot("chat-block-menu-ko-phone").await?;
    mina.click("details.chat-menu[open] .block-user").await?;
    mina.wait_gone(".chat-line", SPAM).await?;
    mina.wait_for_text(".chat-notice", "차단했어요", WAIT)
        .await?;
    mina.js("document.querySelector('.chat-notice').scrollIntoView({block: 'center'})")
        .await?;
    mina.screenshot("chat-blocked-ko-phone").await?;
    // The other tab hears of it at once: the lines, the name among who is here and the
    // completion go there too, with no reload.
    let first_tab = mina.switch_tab(second_tab).await?;
    mina.wait_gone(".chat-line", SPAM).await?;
    mina.wait_gone(".chat-people .chat-person", "Troll").await?;
    mina.fill("#chat-input", "@tro").await?;
    assert_eq!(
        mina.js("return document.querySelectorAll('.mention-suggestions button').length")
            .await?,
        0,
        "a blocked person's handle is not offered"
    );
    mina.screenshot("chat-blocked-other-tab-ko-phone").await?;
    let second_tab = mina.switch_tab(first_tab).await?;

    // New lines from them stay off the page; others' still come; they see their own as ever.
    says(&troll, MORE_SPAM).await?;
    let host = Browser::launch().await?;
    host.sign_in(&stack, "host@example.com", PASSWORD).await?;
    host.goto(&stack.url("/block_host")).await?;
    host.wait(".chat-state[data-state=Connected]").await?;
    host.wait_for_text(".chat-line", MORE_SPAM, WAIT).await?;
    says(&host, HOST_SAYS).await?;
    mina.wait_for_text(".chat-line", HOST_SAYS, WAIT).await?;
    let spam_on_page = "return [...document.querySelectorAll('.chat-line')].filter(l => l.textContent.includes('spam line')).length";
    assert_eq!(mina.js(spam_on_page).await?, 0);
    troll.wait_for_text(".chat-line", HOST_SAYS, WAIT).await?;
    assert_eq!(
        troll.js(spam_on_page).await?,
        2,
        "the blocked person is not told"
    );

    // After a reload the history comes without them.
    mina.goto(&stack.url("/block_host")).await?;
    mina.wait(".chat-state[data-state=Connected]").await?;
    mina.wait_for_text(".chat-line", HOST_SAYS, WAIT).await?;
    assert_eq!(mina.js(spam_on_page).await?, 0);

    // The profile lists them; unblocking there brings their lines back.
    mina.goto(&stack.url("/profile")).await?;
    mina.wait_for_text(".blocked-people li", "Troll", WAIT)
        .await?;
    mina.wait_for_text(".blocked-people li a", "@troll", WAIT)
        .await?;
    mina.wait_for_text(".blocked-people h2", "차단한 사람", WAIT)
        .await?;
    mina.js("document.querySelector('.blocked-people').scrollIntoView({block: 'center'})")
        .await?;
    mina.screenshot("profile-blocked-ko-phone").await?;
    mina.click(".blocked-people .unblock").await?;
    mina.wait_for_text(".blocked-people", "차단한 사람이 없어요", WAIT)
        .await?;
    // The chat still open in the other tab hears of the unblock: their next line shows there.
    let first_tab = mina.switch_tab(second_tab).await?;
    says(&troll, BACK_AGAIN).await?;
    mina.wait_for_text(".chat-line", BACK_AGAIN, WAIT).await?;
    mina.switch_tab(first_tab).await?;
    mina.goto(&stack.url("/block_host")).await?;
    mina.wait(".chat-state[data-state=Connected]").await?;
    mina.wait_for_text(".chat-line", MORE_SPAM, WAIT).await?;

    // The blocked person may block too: their profile lists it, in English on a desktop.
    troll
        .js(&format!(
            "const line = [...document.querySelectorAll('.chat-line')].find(l => l.querySelector('.chat-text').textContent.includes('{HOST_SAYS}'));
             line.querySelector('details.chat-menu').open = true; line.querySelector('.block-user').click()"
        ))
        .await?;
    troll.wait_gone(".chat-line", HOST_SAYS).await?;
    troll.goto(&stack.url("/profile")).await?;
    troll
        .wait_for_text(".blocked-people li", "Host", WAIT)
        .await?;
    troll
        .js("document.querySelector('.blocked-people').scrollIntoView({block: 'center'})")
        .await?;
    troll.screenshot("profile-blocked").await?;
    for browser in [host, mina, troll] {
        browser.close().await?;
    }
    stack.stack.shutdown().await?;
    Ok(())
}

/// A streamer makes their chat followers-only (a follow of 10 minutes, then any follow) from the
/// dashboard: a viewer who does not follow is told so before typing, following starts the wait,
/// the room's change of rule opens the box live, and a page that does not know the viewer
/// unfollowed meanwhile is refused with the reason; the viewer's other tab of the same page hears
/// of the follow at once. In Korean on a phone, in English on a desktop.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_followers_only_chat_asks_a_viewer_to_follow_first() -> Result<()> {
    let stack = TestStack::start(false).await?;
    for (email, handle, nickname) in [
        ("host@example.com", "fo_host", "호스트"),
        ("fan@example.com", "newfan", "New Fan"),
    ] {
        stack.account(email, PASSWORD, handle, nickname).await?;
    }
    let choose = |value: &str| {
        format!(
            "const s = document.querySelector('select[name=followers-only]'); s.value = '{value}';
             s.dispatchEvent(new Event('change')); s.form.requestSubmit()"
        )
    };
    let owner = Browser::launch().await?;
    owner.sign_in(&stack, "host@example.com", PASSWORD).await?;
    owner.goto(&stack.url("/dashboard")).await?;
    owner.wait("select[name=followers-only]").await?;
    owner.js(&choose("10")).await?;
    owner.wait_for_text("[role=status]", "Saved", WAIT).await?;
    owner
        .js("document.querySelector('select[name=followers-only]').scrollIntoView({block: 'center'})")
        .await?;
    owner.screenshot("dashboard-followers-only").await?;
    owner
        .js("const s = document.querySelector('select#lang'); s.value = 'ko'; s.dispatchEvent(new Event('change'));")
        .await?;
    owner
        .wait_for_text("label", "팔로워 전용 채팅", WAIT)
        .await?;
    owner.screenshot("dashboard-followers-only-ko").await?;

    let fan = korean_phone(&stack, "fan@example.com").await?;
    fan.goto(&stack.url("/fo_host")).await?;
    fan.wait(".chat-state[data-state=Connected]").await?;
    fan.wait_for_text(
        ".chat-rules",
        "팔로워 전용 채팅: 팔로우하고 10분이 지나면 채팅할 수 있어요",
        WAIT,
    )
    .await?;
    fan.wait_for_text(".chat-locked", "채널을 팔로우하면 채팅할 수 있어요", WAIT)
        .await?;
    assert_eq!(
        fan.js("return document.querySelector('#chat-input') === null")
            .await?,
        true,
        "no box to type into before following"
    );
    fan.js("document.querySelector('.chat-rules').scrollIntoView({block: 'center'})")
        .await?;
    fan.screenshot("chat-followers-only-ko-phone").await?;
    let first_tab = fan.open_tab(&stack.url("/fo_host")).await?;
    fan.wait(".chat-locked").await?;
    let second_tab = fan.switch_tab(first_tab).await?;

    // Following opens the box, held for the ten minutes the room asks of a follow.
    fan.click(".follow-box button.follow").await?;
    fan.wait(".follow-box button.follow[aria-pressed=true]")
        .await?;
    // The same page in the browser's other tab hears of the follow at once.
    let first_tab = fan.switch_tab(second_tab).await?;
    fan.wait(".follow-box button.follow[aria-pressed=true]")
        .await?;
    fan.wait_for_text("[data-testid=followers]", "1", WAIT)
        .await?;
    fan.wait_for_text(".chat-wait", "10분 후에 채팅할 수 있어요", WAIT)
        .await?;
    fan.switch_tab(first_tab).await?;
    fan.wait_for_text(".chat-wait", "10분 후에 채팅할 수 있어요", WAIT)
        .await?;
    assert_eq!(
        fan.js("return document.querySelector('.chat-form button[type=submit]').disabled")
            .await?,
        true
    );
    fan.js("document.querySelector('.chat-form').scrollIntoView({block: 'center'})")
        .await?;
    fan.screenshot("chat-followers-wait-ko-phone").await?;

    // Any follower may now talk: the room hears of the change and the wait ends at once.
    owner.js(&choose("0")).await?;
    fan.wait_until(
        "return document.querySelector('.chat-wait') === null",
        "the wait to end",
    )
    .await?;
    fan.wait_for_text(".chat-rules", "팔로워 전용 채팅", WAIT)
        .await?;
    fan.fill("#chat-input", "안녕하세요, 팔로우했어요").await?;
    fan.click(".chat-form button[type=submit]").await?;
    fan.wait_for_text(".chat-line", "안녕하세요, 팔로우했어요", WAIT)
        .await?;

    // A second page of the viewer, in English, does not hear of an unfollow on the phone: it
    // still offers the box, and the room refuses with the reason.
    let desk = Browser::launch().await?;
    desk.sign_in(&stack, "fan@example.com", PASSWORD).await?;
    desk.goto(&stack.url("/fo_host")).await?;
    desk.wait(".chat-state[data-state=Connected]").await?;
    desk.wait_for_text(".chat-rules", "Followers-only chat", WAIT)
        .await?;
    fan.click(".follow-box button.follow").await?;
    fan.wait(".follow-box button.follow[aria-pressed=false]")
        .await?;
    fan.wait_for_text(".chat-locked", "채널을 팔로우하면 채팅할 수 있어요", WAIT)
        .await?;
    desk.fill("#chat-input", "still here?").await?;
    desk.click(".chat-form button[type=submit]").await?;
    desk.wait_for_text(
        ".chat-notice",
        "This chat is for the channel's followers.",
        WAIT,
    )
    .await?;
    assert_eq!(
        desk.js("return document.querySelector('#chat-input').value")
            .await?,
        "still here?",
        "the refused text is back in the box"
    );
    desk.screenshot("chat-followers-only-refused").await?;
    Ok(())
}

/// Chooses `path` in the file input `css` (WebDriver types a path into a file input).
async fn choose_file(browser: &Browser, css: &str, path: &std::path::Path) -> Result<()> {
    browser
        .wait(css)
        .await?
        .send_keys(&path.display().to_string())
        .await?;
    Ok(())
}

/// Whether the image `css` has arrived and decoded (not a broken image).
async fn image_shown(browser: &Browser, css: &str) -> Result<bool> {
    let shown = browser
        .js(&format!(
            "const i = document.querySelector({css:?}); return !!i && i.complete && i.naturalWidth > 0"
        ))
        .await?;
    Ok(shown == serde_json::Value::Bool(true))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_streamer_uploads_an_emote_and_another_viewer_sees_it_in_chat() -> Result<()> {
    let stack = TestStack::start(false).await?;
    stack
        .account(
            "emotes@example.com",
            PASSWORD,
            "emote_host",
            "이모티콘 방송",
        )
        .await?;
    stack
        .account("watcher@example.com", PASSWORD, "watcher", "Watcher")
        .await?;
    let files = tempfile::tempdir()?;
    let hype = files.path().join("hype.png");
    std::fs::write(&hype, cloumer_test_media::images::png(112, 112))?;
    let fake = files.path().join("fake.png");
    std::fs::write(
        &fake,
        b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
    )?;

    // The viewer is already in the chat when the emote is made.
    let viewer = Browser::launch_sized(420, 860).await?;
    viewer
        .sign_in(&stack, "watcher@example.com", PASSWORD)
        .await?;
    viewer.goto(&stack.url("/emote_host")).await?;
    viewer
        .wait_for_text(".chat-state", "Connected", WAIT)
        .await?;

    let owner = Browser::launch().await?;
    owner
        .sign_in(&stack, "emotes@example.com", PASSWORD)
        .await?;
    owner.goto(&stack.url("/dashboard")).await?;
    owner.wait_for_text(".panel h2", "Emotes", WAIT).await?;
    // A file that is not an image is refused, with the server's reason, and nothing is listed.
    owner.fill("#emote-code", "Fake").await?;
    choose_file(&owner, "#emote-file", &fake).await?;
    owner
        .js("document.querySelector('#emote-code').form.requestSubmit()")
        .await?;
    owner
        .wait_for_text(
            "[aria-labelledby=emotes-heading] .error",
            "an emote is a PNG, GIF or WebP image",
            WAIT,
        )
        .await?;
    // A file over the limit is not even sent.
    let big = files.path().join("big.png");
    std::fs::write(&big, vec![0u8; 300 * 1024])?;
    choose_file(&owner, "#emote-file", &big).await?;
    owner
        .js("document.querySelector('#emote-code').form.requestSubmit()")
        .await?;
    owner
        .wait_for_text(
            "[aria-labelledby=emotes-heading] .error",
            "An emote file is at most 256 KB.",
            WAIT,
        )
        .await?;
    // The real one.
    owner.fill("#emote-code", "Hype").await?;
    choose_file(&owner, "#emote-file", &hype).await?;
    owner
        .js("document.querySelector('#emote-code').form.requestSubmit()")
        .await?;
    owner
        .wait_for_text(".emote-list li", ":Hype:", WAIT)
        .await?;
    let listed = owner
        .js("return [...document.querySelectorAll('.emote-list li')].map(l => l.dataset.code)")
        .await?;
    assert_eq!(listed, serde_json::json!(["Hype"]));
    assert!(image_shown(&owner, ".emote-list img").await?);
    owner
        .js("const h = document.querySelector('#emotes-heading'); window.scrollTo(0, h.getBoundingClientRect().top + window.scrollY - 80)")
        .await?;
    owner.screenshot("dashboard-emotes").await?;

    // The open chat heard of it: the viewer picks it from the picker, with an emoji.
    viewer.click(".emote-picker > summary").await?;
    viewer
        .wait(".emote-picker .emote-choice[title=':Hype:'] img")
        .await?;
    viewer.screenshot("chat-emote-picker-phone").await?;
    viewer
        .click(".emote-picker .emote-choice[title=':Hype:']")
        .await?;
    viewer.click(".emote-picker > summary").await?;
    viewer
        .js("[...document.querySelectorAll('.emote-picker .emoji-choice')].find(b => b.textContent === '🔥').click()")
        .await?;
    let typed = viewer
        .js("return document.querySelector('#chat-input').value")
        .await?;
    assert_eq!(typed.as_str(), Some(":Hype: 🔥 "));
    viewer
        .wait("#chat-input")
        .await?
        .send_keys("so good :NotAnEmote:")
        .await?;
    viewer.click(".chat-form button[type=submit]").await?;

    // Another viewer of the channel (its owner here, on the channel page) sees the image.
    owner.goto(&stack.url("/emote_host")).await?;
    owner.wait_for_text(".chat-line", "so good", WAIT).await?;
    let line = ".chat-line img.emote[alt=':Hype:']";
    owner.wait(line).await?;
    let deadline = Instant::now() + WAIT;
    while !image_shown(&owner, line).await? {
        anyhow::ensure!(Instant::now() < deadline, "the emote image did not load");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let text = owner
        .js("return document.querySelector('.chat-line .chat-text').textContent")
        .await?;
    assert_eq!(
        text.as_str(),
        Some(" 🔥 so good :NotAnEmote:"),
        "an unknown code stays text"
    );
    owner.screenshot("chat-emote").await?;
    // In Korean, on a phone-sized window, the picker reads the same.
    viewer
        .js("localStorage.setItem('cloumer.lang', 'ko'); location.reload()")
        .await?;
    viewer.wait_for_text(".chat-state", "연결", WAIT).await?;
    viewer.click(".emote-picker > summary").await?;
    viewer
        .wait_for_text(".emote-picker-body h3", "이 채널의 이모티콘", WAIT)
        .await?;
    viewer.screenshot("chat-emote-picker-ko-phone").await?;

    // Removed on the dashboard, it is text again in the chat.
    owner.goto(&stack.url("/dashboard")).await?;
    owner
        .js("localStorage.setItem('cloumer.lang', 'ko'); location.reload()")
        .await?;
    owner.wait_for_text(".panel h2", "이모티콘", WAIT).await?;
    owner.wait(".emote-list li[data-code=Hype] img").await?;
    owner
        .js("const h = document.querySelector('#emotes-heading'); window.scrollTo(0, h.getBoundingClientRect().top + window.scrollY - 80)")
        .await?;
    owner.screenshot("dashboard-emotes-ko").await?;
    owner
        .js("document.querySelector('.emote-list li[data-code=Hype] button').click()")
        .await?;
    owner
        .wait_for_text(
            "[aria-labelledby=emotes-heading]",
            "아직 이모티콘이 없어요",
            WAIT,
        )
        .await?;
    viewer
        .wait_for_text(".chat-line .chat-text", ":Hype:", WAIT)
        .await?;

    for browser in [owner, viewer] {
        browser.close().await?;
    }
    stack.stack.shutdown().await?;
    Ok(())
}

/// Clicks a player control the way a user does: the pointer comes over it first (which shows
/// the controls if they had hidden).
async fn reach(browser: &Browser, css: &str) -> Result<()> {
    browser.point_at(css).await?.click().await?;
    Ok(())
}

/// `video.<property>` of the player's video element.
async fn video_property(browser: &Browser, property: &str) -> Result<serde_json::Value> {
    browser
        .js(&format!(
            "return document.querySelector('.player video').{property}"
        ))
        .await
}

/// What the player and its video element say, for a failure's message.
async fn player_state(browser: &Browser) -> Result<serde_json::Value> {
    browser
        .js("const v = document.querySelector('.player video'); const p = document.querySelector('.player'); \
             return {time: v.currentTime, duration: v.duration, paused: v.paused, ended: v.ended, \
             seeking: v.seeking, ready: v.readyState, network: v.networkState, \
             state: p.dataset.playerState, latency: p.dataset.latency, skips: p.dataset.skipsAhead, \
             mark: v.dataset.mark ?? null, \
             shown: document.querySelector('.player-time')?.textContent, \
             buffered: [...Array(v.buffered.length).keys()].map(i => [v.buffered.start(i), v.buffered.end(i)])}")
        .await
}

async fn wait_video(browser: &Browser, condition: &str, what: &str) -> Result<()> {
    browser
        .wait_until(
            &format!(
                "const v = document.querySelector('.player video'); return !!v && ({condition});"
            ),
            what,
        )
        .await
}

/// The recording's playlist, which the test takes away and puts back to make playback fail.
fn recording_playlist(stack: &TestStack) -> Result<std::path::PathBuf> {
    let mut found = Vec::new();
    for channel in std::fs::read_dir(stack.recordings_dir())? {
        for recording in std::fs::read_dir(channel?.path())? {
            let playlist = recording?.path().join("index.m3u8");
            if playlist.is_file() {
                found.push(playlist);
            }
        }
    }
    anyhow::ensure!(found.len() == 1, "one recording: {found:?}");
    Ok(found.remove(0))
}

/// What the recorder left on disk, for a failure's message: nginx's FLVs (written until the
/// broadcast ends, removed once kept), the recordings' files, and nginx's own complaints. A
/// recording that does not come has failed once in many runs; this says at which step.
fn recorder_state(stack: &TestStack) -> String {
    let data = stack.recordings_dir();
    let data = data.parent().expect("the data directory");
    let mut files = Vec::new();
    let mut dirs = vec![data.join("ingest/flv"), data.join("recordings")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            match entry.metadata() {
                Ok(meta) if meta.is_dir() => dirs.push(path),
                Ok(meta) => files.push(format!(
                    "{} ({} bytes)",
                    path.strip_prefix(data).unwrap_or(&path).display(),
                    meta.len()
                )),
                Err(_) => {}
            }
        }
    }
    let nginx = std::fs::read_to_string(data.join("ingest/nginx-error.log")).unwrap_or_default();
    let nginx: Vec<&str> = nginx.lines().rev().take(20).collect();
    format!("files: {files:?}; nginx's last words: {nginx:?}")
}

/// Waits for the stack's one broadcast to be recorded and listed on `handle`'s page, then opens
/// it in `browser` and waits for it to play.
async fn open_the_recording(browser: &Browser, stack: &TestStack, handle: &str) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(30);
    while recording_playlist(stack).is_err() {
        anyhow::ensure!(
            Instant::now() < deadline,
            "the broadcast was not recorded; {}",
            recorder_state(stack)
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // The recorder names the broadcast just after writing its files: look again until listed.
    loop {
        browser.goto(&stack.url(&format!("/{handle}"))).await?;
        let listed = tokio::time::timeout(
            Duration::from_secs(3),
            browser.wait(".channel-layout .grid:not(.clips) .card a.card-link"),
        )
        .await;
        if matches!(listed, Ok(Ok(_))) {
            break;
        }
        anyhow::ensure!(Instant::now() < deadline, "the broadcast was not listed");
    }
    browser
        .click(".channel-layout .grid:not(.clips) .card a.card-link")
        .await?;
    browser.wait(".player[data-player-state=Playing]").await?;
    Ok(())
}

/// A streamer marks moments of their live broadcast from the dashboard (once its recording has
/// started); its past broadcast lists them as chapters in order, and a chapter plays the video
/// from its moment. The streamer in English on a desktop; the viewer in English on a desktop,
/// then in Korean on a phone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_streamer_marks_moments_live_and_the_past_broadcast_plays_from_them() -> Result<()> {
    let stack = TestStack::start(true).await?;
    stack
        .account("marker@example.com", PASSWORD, "marker_show", "Marker Show")
        .await?;
    let owner = Browser::launch().await?;
    owner
        .sign_in(&stack, "marker@example.com", PASSWORD)
        .await?;
    let key = stream_key(&owner).await?;
    let started = Instant::now();
    let mut ffmpeg = publish(&format!("{}{key}", stack.stack.rtmp_url()), 120)?;
    owner.goto(&stack.url("/dashboard")).await?;
    owner
        .wait_for_text("[data-testid=live-state]", "LIVE", Duration::from_secs(30))
        .await?;
    // The recording starts a moment after the stream: until then the dashboard says why not.
    let deadline = Instant::now() + Duration::from_secs(20);
    let first_status = loop {
        set_field(&owner, "input[name=marker-note]", "opening").await?;
        owner
            .js("document.querySelector('.mark-moment').requestSubmit()")
            .await?;
        owner
            .wait_until(
                "return !!document.querySelector('.mark-moment [role=status], .mark-moment [role=alert]')",
                "an answer",
            )
            .await?;
        let marked = owner
            .js("return document.querySelector('.mark-moment [role=status]')?.textContent ?? ''")
            .await?;
        if marked.as_str().is_some_and(|t| t.starts_with("Marked at")) {
            break marked;
        }
        anyhow::ensure!(Instant::now() < deadline, "never marked: {marked}");
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    assert_eq!(
        owner
            .js("return document.querySelector('input[name=marker-note]').value")
            .await?,
        "",
        "the note is cleared for the next one"
    );
    tokio::time::sleep(Duration::from_secs(6)).await;
    set_field(&owner, "input[name=marker-note]", "boss fight").await?;
    owner
        .js("document.querySelector('.mark-moment').requestSubmit()")
        .await?;
    owner
        .wait_until(
            &format!(
                "const t = document.querySelector('.mark-moment [role=status]')?.textContent ?? ''; \
                 return t.startsWith('Marked at') && t !== {first_status};"
            ),
            "the second marker",
        )
        .await?;
    owner
        .js("document.querySelector('.mark-moment').scrollIntoView({block: 'center'})")
        .await?;
    owner.screenshot("dashboard-marker").await?;
    // A few seconds past the second marker, the broadcast ends.
    tokio::time::sleep(Duration::from_secs(20).saturating_sub(started.elapsed())).await;
    ffmpeg.kill().await?;

    let viewer = Browser::launch().await?;
    open_the_recording(&viewer, &stack, "marker_show").await?;
    viewer
        .wait_for_text(".markers h2", "Chapters", WAIT)
        .await?;
    let chapters = viewer
        .js("return [...document.querySelectorAll('.markers .marker')].map(m => m.textContent)")
        .await?;
    let chapters: Vec<String> = serde_json::from_value(chapters)?;
    assert_eq!(chapters.len(), 2, "{chapters:?}");
    assert!(chapters[0].ends_with("opening"), "{chapters:?}");
    assert!(chapters[1].ends_with("boss fight"), "{chapters:?}");
    let at = |chapter: &str| -> f64 {
        let clock = chapter
            .split(|c: char| !c.is_ascii_digit() && c != ':')
            .next()
            .unwrap_or("");
        let mut seconds = 0.0;
        for part in clock.split(':') {
            seconds = seconds * 60.0 + part.parse::<f64>().unwrap_or(0.0);
        }
        seconds
    };
    let (first, second) = (at(&chapters[0]), at(&chapters[1]));
    assert!(second >= first + 5.0, "{chapters:?}");
    // Paused at the start, a chapter plays from its moment.
    viewer.press(".player", "k").await?;
    wait_video(&viewer, "v.paused", "paused").await?;
    viewer.click(".markers li:nth-child(2) .marker").await?;
    viewer
        .wait_until(
            &format!("const t = document.querySelector('.player video').currentTime; return t >= {} && t < {};", second - 0.5, second + 3.0),
            "the video at the second chapter",
        )
        .await?;
    viewer
        .js("document.querySelector('.markers').scrollIntoView({block: 'center'})")
        .await?;
    viewer.screenshot("recording-chapters").await?;
    let phone = Browser::launch_sized(420, 860).await?;
    phone.goto(&stack.url("/")).await?;
    phone.prefer_language("ko").await?;
    phone.goto(&viewer_url(&viewer).await?).await?;
    phone.wait_for_text(".markers h2", "챕터", WAIT).await?;
    phone
        .js("document.querySelector('.markers').scrollIntoView({block: 'center'})")
        .await?;
    phone.screenshot("recording-chapters-ko-phone").await?;
    // A chapter clicked the moment it shows, before the video knows its length, still plays
    // the video from its moment (held until the recording is ready, as a shared link's `t`
    // is): the video gets there without having played what lies between (its `played` ranges;
    // autoplaying from the start would pass the moment too, only later).
    phone.goto(&viewer_url(&viewer).await?).await?;
    phone
        .js("window.clickedWhile = null; \
             const poll = setInterval(() => { \
               const chapter = document.querySelector('.markers li:nth-child(2) .marker'); \
               if (!chapter) return; \
               clearInterval(poll); \
               window.clickedWhile = document.querySelector('.player')?.dataset.playerState ?? 'no player'; \
               chapter.click(); \
             }, 5);")
        .await?;
    phone
        .wait_until(
            &format!("const t = document.querySelector('.player video')?.currentTime ?? 0; return t >= {} && t < {};", second - 0.5, second + 3.0),
            "the video at the chapter clicked early",
        )
        .await?;
    let clicked_while = phone.js("return window.clickedWhile").await?;
    assert!(
        !matches!(clicked_while.as_str(), Some("Ready" | "Playing")),
        "the chapter was to be clicked before the video was ready: {clicked_while}"
    );
    let played = phone
        .js("const r = document.querySelector('.player video').played; \
             return [...Array(r.length).keys()].map(i => [r.start(i), r.end(i)]);")
        .await?;
    let played: Vec<(f64, f64)> = serde_json::from_value(played)?;
    let between = second / 2.0;
    assert!(
        !played
            .iter()
            .any(|&(from, to)| from <= between && between <= to),
        "played up to the chapter at {second} s instead of seeking there: {played:?}"
    );
    // A marker made by mistake: its streamer takes it off on the page; viewers see one chapter.
    owner.goto(&viewer_url(&viewer).await?).await?;
    owner.wait(".markers .remove-marker").await?;
    assert_eq!(
        viewer
            .js("return document.querySelectorAll('.markers .remove-marker').length")
            .await?,
        0,
        "only its streamer may"
    );
    let label = owner
        .js("return document.querySelector('.markers .remove-marker').getAttribute('aria-label')")
        .await?;
    assert_eq!(
        label,
        format!(
            "Remove the marker at {}",
            chapters[0].trim_end_matches("opening")
        )
        .as_str()
    );
    owner
        .click(".markers li:first-child .remove-marker")
        .await?;
    owner
        .wait_until(
            "return document.querySelectorAll('.markers .marker').length === 1",
            "one chapter left",
        )
        .await?;
    owner
        .js("document.querySelector('.markers').scrollIntoView({block: 'center'})")
        .await?;
    owner.screenshot("recording-chapters-owner").await?;
    // The other one's name put right from its chapter: Escape leaves it as it was, Save keeps
    // the new one (at the same moment); viewers then see that.
    owner.click(".markers .rename-marker-start").await?;
    owner.wait(".markers input[name=marker-name]").await?;
    owner
        .js("document.querySelector('.markers input[name=marker-name]').dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape'}))")
        .await?;
    owner
        .wait_for_text(".markers .marker", "boss fight", WAIT)
        .await?;
    owner.click(".markers .rename-marker-start").await?;
    assert_eq!(
        owner
            .js("return document.querySelector('.markers input[name=marker-name]').value")
            .await?,
        "boss fight",
        "the name to put right"
    );
    set_field(&owner, ".markers input[name=marker-name]", "final boss").await?;
    owner.screenshot("recording-chapter-rename").await?;
    owner
        .click(".markers .rename-marker button[type=submit]")
        .await?;
    owner
        .wait_for_text(".markers .marker", "final boss", WAIT)
        .await?;
    phone.goto(&viewer_url(&viewer).await?).await?;
    phone
        .wait_for_text(".markers .marker", "final boss", WAIT)
        .await?;
    let kept = phone
        .js("return document.querySelector('.markers .marker').textContent")
        .await?;
    assert_eq!(
        kept.as_str(),
        Some(format!("{}final boss", chapters[1].trim_end_matches("boss fight")).as_str()),
        "at the same moment"
    );
    assert_eq!(
        phone
            .js("return document.querySelectorAll('.markers .marker').length")
            .await?,
        1
    );
    for browser in [owner, viewer, phone] {
        browser.close().await?;
    }
    stack.stack.shutdown().await?;
    Ok(())
}

/// Fills the clip form open on the page and creates the clip; returns the clip page's path.
async fn make_clip(browser: &Browser, title: &str, range: Option<(&str, &str)>) -> Result<String> {
    browser.click(".make-clip").await?;
    browser.fill("#clip-title", title).await?;
    if let Some((from, to)) = range {
        browser
            .js(&format!(
                "for (const [name, value] of [['clip-from', '{from}'], ['clip-to', '{to}']]) {{ \
                   const input = document.querySelector(`input[name=${{name}}]`); \
                   input.value = value; input.dispatchEvent(new Event('input')); }}"
            ))
            .await?;
    }
    browser.click(".clip-form button[type=submit]").await?;
    browser
        .wait_until(
            "return location.pathname.startsWith('/clips/')",
            "the new clip's page",
        )
        .await?;
    let path = browser.js("return location.pathname").await?;
    Ok(path.as_str().context("a path")?.to_owned())
}

/// The embed code a clip's or video's page offers.
async fn embed_code(browser: &Browser) -> Result<String> {
    browser.wait("[data-testid=embed-code]").await?;
    let code = browser
        .js("return document.querySelector('[data-testid=embed-code]').value")
        .await?;
    Ok(code.as_str().context("no embed code")?.to_owned())
}

/// Opens the page's embed code, in view.
async fn show_embed_code(browser: &Browser) -> Result<()> {
    browser.click(".share-embed summary").await?;
    browser
        .js("document.querySelector('.video-share').scrollIntoView({ block: 'center' })")
        .await?;
    Ok(())
}

/// The player code the API's oEmbed answer gives for the page `browser` is on.
async fn oembed_html(browser: &Browser) -> Result<String> {
    let html = browser
        .js(
            "const r = await fetch('/api/v1/oembed?url=' + encodeURIComponent(location.href)); \
             return (await r.json()).html;",
        )
        .await?;
    Ok(html.as_str().context("no oEmbed html")?.to_owned())
}

/// An embedded player's link out: where, how it opens, and what it says.
async fn embed_link(browser: &Browser) -> Result<String> {
    let link = browser
        .js("const a = document.querySelector('a.embed-link'); return [a.href, a.target, a.rel, a.textContent].join(' | ')")
        .await?;
    Ok(link.as_str().context("no link")?.to_owned())
}

/// Clips: a viewer clips the last 30 s of a live broadcast (its page says it is coming, then
/// plays once the broadcast has ended), and a stretch of the past broadcast (the form starts
/// at where the viewer is; a bad time is explained); the channel lists both; the streamer
/// deletes one from its page.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_viewer_clips_a_live_and_a_past_broadcast_and_the_streamer_deletes_a_clip() -> Result<()>
{
    let stack = TestStack::start(true).await?;
    for (email, handle, nickname) in [
        ("clipped@example.com", "clipped_show", "Clipped Show"),
        ("clipper@example.com", "clipper", "클리퍼"),
    ] {
        stack.account(email, PASSWORD, handle, nickname).await?;
    }
    let owner = Browser::launch().await?;
    owner
        .sign_in(&stack, "clipped@example.com", PASSWORD)
        .await?;
    let key = stream_key(&owner).await?;
    let mut ffmpeg = publish(&format!("{}{key}", stack.stack.rtmp_url()), 120)?;
    let fan = Browser::launch().await?;
    fan.sign_in(&stack, "clipper@example.com", PASSWORD).await?;
    fan.goto(&stack.url("/clipped_show")).await?;
    fan.wait(".player[data-player-state=Playing]").await?;
    tokio::time::sleep(Duration::from_secs(8)).await;
    let live_clip = make_clip(&fan, "Live moment 라이브", None).await?;
    fan.wait_for_text(
        ".clip-page .player.offline",
        "ready when the broadcast ends",
        WAIT,
    )
    .await?;
    fan.wait_for_text(".clip-page", "@clipper", WAIT).await?;
    fan.screenshot("clip-pending").await?;
    // The page reached with a click was read out to a screen reader once; asking about the
    // clip again (every 10 s while it is pending) must not read it out again each time.
    let title = fan.js("return document.title").await?;
    assert_eq!(announced(&fan).await?, title.as_str().unwrap_or_default());
    let clip_fetches = "return performance.getEntriesByType('resource')
        .filter(e => e.name.includes('/api/v1/clips/')).length";
    // Room for every request from here on (the browser keeps 250 by default).
    fan.js("performance.setResourceTimingBufferSize(100000)")
        .await?;
    let fetched_before = fan.js(clip_fetches).await?;
    fan.js("window.announcements = 0;
            new MutationObserver(() => window.announcements++).observe(
              document.getElementById('page-announcer'),
              { childList: true, characterData: true, subtree: true });")
        .await?;
    tokio::time::sleep(Duration::from_secs(12)).await;
    let fetched_after = fan.js(clip_fetches).await?;
    assert!(
        fetched_after.as_u64() > fetched_before.as_u64(),
        "the pending clip was asked about again: {fetched_before} → {fetched_after}"
    );
    assert_eq!(fan.js("return window.announcements").await?, 0);
    // Nothing plays yet, so the media controls are told nothing.
    assert_eq!(now_playing(&fan).await?, "nothing");
    // Its embed code, pasted into a fan site: the framed clip waits for the broadcast too.
    let code = embed_code(&fan).await?;
    assert!(
        code.starts_with(&format!(
            "<iframe src=\"{}\" width=\"640\" height=\"360\"",
            stack.url(&format!("/embed{live_clip}"))
        )) && code.contains("title=\"Live moment 라이브 · Cloumer\""),
        "{code}"
    );
    // The same code a blog engine gets from the API's oEmbed answer for the clip's address.
    let oembed = oembed_html(&fan).await?;
    assert_eq!(oembed, code);
    let fan_site = other_site(format!(
        "<!doctype html><html><head><title>Fans</title></head><body>{code}</body></html>"
    ))
    .await?;
    let site_visitor = Browser::launch().await?;
    site_visitor.goto(&fan_site).await?;
    site_visitor.enter_frame("iframe").await?;
    site_visitor
        .wait_for_text(".embed .player.offline", "not ready yet", WAIT)
        .await?;
    site_visitor.leave_frame().await?;
    site_visitor.screenshot("embed-clip-waiting").await?;
    ffmpeg.kill().await?;

    // Once recorded, the live clip plays, on the page left open.
    fan.wait_for_text(
        ".clip-page .player[data-player-state=Playing]",
        "",
        Duration::from_secs(45),
    )
    .await
    .context("the live clip plays once its broadcast is recorded")?;
    assert_eq!(
        now_playing(&fan).await?,
        "Live moment 라이브 / Clipped Show / avatar avatar.png"
    );
    let first = video_time(&fan).await?;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let second = video_time(&fan).await?;
    assert!(
        second > first + 1.0,
        "the clip plays on: {first} → {second}"
    );
    let duration = fan
        .js("return document.querySelector('video').duration")
        .await?;
    let duration = duration.as_f64().context("a duration")?;
    assert!(
        (5.0..=34.0).contains(&duration),
        "the live clip is its broadcast's last 30 s or so: {duration}"
    );
    let link = fan
        .wait_for_text(".video-share .share-link", "/clips/", WAIT)
        .await?;
    assert!(link.ends_with(&live_clip), "the address to share: {link}");
    fan.screenshot("clip-page").await?;
    assert_accessible(&fan, "a clip").await?;
    // On the fan site too, by itself: muted, with a link to the clip's page in a new tab.
    site_visitor.enter_frame("iframe").await?;
    site_visitor
        .wait_until_within(
            "return !!document.querySelector('.embed .player[data-player-state=Playing]')",
            "the embedded clip playing once it is ready",
            Duration::from_secs(30),
        )
        .await?;
    assert_eq!(video_property(&site_visitor, "muted").await?, true);
    assert_eq!(
        embed_link(&site_visitor).await?,
        format!(
            "{} | _blank | noopener | Live moment 라이브 · Clipped Show · Watch on Cloumer",
            stack.url(&live_clip)
        )
    );
    site_visitor.leave_frame().await?;
    site_visitor
        .screenshot("embed-clip-on-another-site")
        .await?;
    show_embed_code(&fan).await?;
    fan.screenshot("clip-share-embed").await?;

    // A clip of the past broadcast: a time that is not one is explained, then 0:02–0:09.
    open_the_recording(&fan, &stack, "clipped_show").await?;
    let broadcast = fan.js("return location.pathname").await?;
    let broadcast = broadcast.as_str().context("a path")?.to_owned();
    assert!(
        embed_code(&fan).await?.contains(&format!(
            "src=\"{}\"",
            stack.url(&format!("/embed{broadcast}"))
        )),
        "the past broadcast's embed code"
    );
    fan.click(".make-clip").await?;
    fan.wait("#clip-title").await?;
    let from = fan
        .js("return document.querySelector('input[name=clip-from]').value")
        .await?;
    assert_eq!(
        from.as_str(),
        Some("0:00"),
        "the form starts near the viewer"
    );
    fan.screenshot("clip-form").await?;
    assert_accessible(&fan, "the clip form").await?;
    fan.click(".clip-form button.secondary").await?;
    fan.click(".make-clip").await?;
    fan.fill("#clip-title", "nope").await?;
    fan.js("const i = document.querySelector('input[name=clip-to]'); i.value = 'soon'; i.dispatchEvent(new Event('input'));")
        .await?;
    fan.click(".clip-form button[type=submit]").await?;
    fan.wait_for_text(".clip-form .error", "minutes:seconds", WAIT)
        .await?;
    fan.click(".clip-form button.secondary").await?;
    let past_clip = make_clip(&fan, "The opening", Some(("0:02", "0:09"))).await?;
    fan.wait(".clip-page .player[data-player-state=Playing]")
        .await?;
    let duration = fan
        .js("return document.querySelector('video').duration")
        .await?;
    let duration = duration.as_f64().context("a duration")?;
    assert!(
        (7.0..=17.0).contains(&duration),
        "whole segments around 0:02–0:09: {duration}"
    );

    // A moment of the broadcast: its address with `?t=` starts the player there, and the page
    // shares it from where its player is, link and embed code alike.
    fan.goto(&stack.url(&format!("{broadcast}?t=6"))).await?;
    wait_video(
        &fan,
        "v.currentTime >= 6",
        "the broadcast playing from 0:06",
    )
    .await?;
    assert!(
        video_time(&fan).await? < 12.0,
        "not from much later than asked"
    );
    // Its oEmbed answer embeds it from that moment too.
    let oembed = oembed_html(&fan).await?;
    let from_six = stack.url(&format!("/embed{broadcast}?t=6"));
    assert!(oembed.contains(&format!("src=\"{from_six}\"")), "{oembed}");
    // Start at offers where the player is (read from it, so a player that reloaded meanwhile
    // under a loaded machine is waited for).
    fan.wait_until(
        "return /Start at 0:(0[6-9]|1[01])$/.test(document.querySelector('.share-start').textContent.trim())",
        "Start at offering the moment the player is at",
    )
    .await?;
    fan.click("input[name=share-start]").await?;
    let shared = fan
        .js(
            "return [document.querySelector('.video-share .share-link').textContent, \
             document.querySelector('[data-testid=embed-code]').value]",
        )
        .await?;
    let link = shared[0].as_str().unwrap_or_default();
    let seconds: u32 = link
        .strip_prefix(&stack.url(&format!("{broadcast}?t=")))
        .and_then(|t| t.parse().ok())
        .with_context(|| format!("a link to a moment: {link}"))?;
    assert!((6..12).contains(&seconds), "{link}");
    let from_there = stack.url(&format!("/embed{broadcast}?t={seconds}"));
    assert!(
        shared[1]
            .as_str()
            .unwrap_or_default()
            .contains(&format!("src=\"{from_there}\"")),
        "{shared}"
    );
    fan.screenshot("recording-share-at-a-moment").await?;

    // The channel lists both; in Korean on a phone too.
    let phone = Browser::launch_sized(420, 860).await?;
    phone.goto(&stack.url("/")).await?;
    phone.prefer_language("ko").await?;
    phone.goto(&stack.url("/clipped_show")).await?;
    phone
        .wait_for_text(".channel-main h2", "클립", WAIT)
        .await?;
    let titles = phone
        .js("return [...document.querySelectorAll('.clip-card .card-title')].map(a => a.textContent)")
        .await?;
    assert_eq!(
        titles,
        serde_json::json!(["The opening", "Live moment 라이브"])
    );
    phone
        .js("document.querySelector('.clips').scrollIntoView({ block: 'center' })")
        .await?;
    phone.screenshot("channel-clips-ko-phone").await?;
    phone.goto(&stack.url(&live_clip)).await?;
    phone
        .wait(".clip-page .player[data-player-state=Playing]")
        .await?;
    phone
        .wait_for_text(".clip-page", "클립 만든 사람", WAIT)
        .await?;
    phone.screenshot("clip-page-ko-phone").await?;

    // The streamer deletes the past clip; it is gone for everyone.
    owner.goto(&stack.url(&past_clip)).await?;
    owner.click(".delete-clip").await?;
    let asked = owner.accept_dialog().await?;
    assert!(asked.contains("Delete this clip"), "{asked}");
    owner
        .wait_until(
            "return location.pathname === '/clipped_show'",
            "back on the channel",
        )
        .await?;
    fan.goto(&stack.url(&past_clip)).await?;
    fan.wait_for_text("main", "This page does not exist.", WAIT)
        .await?;
    fan.goto(&stack.url(&live_clip)).await?;
    fan.wait(".clip-page .player[data-player-state=Playing]")
        .await?;
    // Embedded, the past broadcast plays and the deleted clip is not there, in Korean.
    phone
        .goto(&stack.url(&format!("/embed{broadcast}?t=5")))
        .await?;
    phone
        .wait(".embed .player[data-player-state=Playing]")
        .await?;
    wait_video(
        &phone,
        "v.currentTime >= 5",
        "the embedded broadcast from 0:05",
    )
    .await?;
    assert!(
        embed_link(&phone)
            .await?
            .ends_with("Clipped Show · Cloumer에서 보기"),
        "the past broadcast's link"
    );
    phone
        .goto(&stack.url(&format!("/embed{past_clip}")))
        .await?;
    phone
        .wait_for_text(".embed .player.offline", "볼 수 없는 영상입니다", WAIT)
        .await?;
    phone.screenshot("embed-deleted-clip-ko-phone").await?;

    // The clipper deletes their account: the clip stays the channel's, naming nobody (their
    // handle is free for someone else to take), on its page and on the channel's list.
    fan.goto(&stack.url("/profile")).await?;
    fan.click(".delete-account button.danger").await?;
    fan.fill(".delete-account input[name=confirm-handle]", "clipper")
        .await?;
    fan.fill(".delete-account input[name=password]", PASSWORD)
        .await?;
    fan.click(".delete-account button[type=submit]").await?;
    fan.wait_until(
        "return location.pathname === '/' && document.querySelector('header.topbar').textContent.includes('Sign in')",
        "signed out at home",
    )
    .await?;
    fan.goto(&stack.url(&live_clip)).await?;
    fan.wait_for_text(".clip-page", "Watch the whole broadcast", WAIT)
        .await?;
    let page = fan
        .js("return document.querySelector('.clip-page').textContent")
        .await?;
    let page = page.as_str().unwrap_or_default();
    assert!(
        !page.contains("Clipped by") && !page.contains("@clipper"),
        "{page}"
    );
    fan.screenshot("clip-page-clipper-deleted").await?;
    phone.goto(&stack.url(&live_clip)).await?;
    phone
        .wait_for_text(".clip-page", "전체 방송 보기", WAIT)
        .await?;
    phone
        .screenshot("clip-page-clipper-deleted-ko-phone")
        .await?;
    phone.goto(&stack.url("/clipped_show")).await?;
    phone
        .wait_for_text(".clip-card .card-title", "Live moment 라이브", WAIT)
        .await?;
    let cards = phone
        .js("return [...document.querySelectorAll('.clip-card .card-meta')].map(m => m.textContent)")
        .await?;
    assert!(!cards.to_string().contains("클립 만든 사람"), "{cards}");
    phone
        .js("document.querySelector('.clips').scrollIntoView({ block: 'center' })")
        .await?;
    phone
        .screenshot("channel-clips-clipper-deleted-ko-phone")
        .await?;

    for browser in [owner, fan, phone, site_visitor] {
        browser.close().await?;
    }
    stack.stack.shutdown().await?;
    Ok(())
}

/// The player's own controls, each with the mouse and with the keyboard: live (pause, the live
/// edge) and on a recording (play, seek, sound remembered, fullscreen, picture-in-picture,
/// quality, hiding while playing); a failure offers a retry that works, the end a replay.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_viewer_uses_every_player_control_with_mouse_and_keyboard() -> Result<()> {
    let stack = TestStack::start(true).await?;
    let key = streamer(&stack, "player@example.com", "player_show", "Player Show").await?;
    let mut ffmpeg = publish(&format!("{}{key}", stack.stack.rtmp_url()), 120)?;

    // Live: no timeline; pausing leaves the live edge, "live" goes back to it; k pauses too.
    let viewer = Browser::launch().await?;
    viewer.goto(&stack.url("/player_show")).await?;
    viewer.wait(".player[data-player-state=Playing]").await?;
    viewer.wait(".player .live-edge:not(.behind)").await?;
    assert_eq!(
        viewer
            .js("return document.querySelectorAll('.player .seek').length")
            .await?,
        0,
        "a live stream has no timeline"
    );
    let before = player_state(&viewer).await?;
    // The failure below also tells whether the player was made anew (its video element loses
    // the mark) and the states it went through after the click.
    viewer
        .js("const p = document.querySelector('.player'); p.querySelector('video').dataset.mark = 'before the pause'; \
             window.playerStates = []; \
             new MutationObserver(() => window.playerStates.push([Math.round(performance.now()), \
                 document.querySelector('.player')?.dataset.playerState])) \
                 .observe(p.parentNode, {attributes: true, subtree: true, childList: true, attributeFilter: ['data-player-state']}); \
             return 0")
        .await?;
    reach(&viewer, ".player .play").await?;
    wait_video(&viewer, "v.paused", "paused by the button").await?;
    // Once (CI, with the Lambda package building beside the suite) the stream played again
    // here; what the player said before the click and after tells why, if it comes back.
    if let Err(error) = viewer
        .wait(".player .live-edge.behind[aria-label='Behind live: jump to live']")
        .await
    {
        let after = player_state(&viewer).await?;
        let states = viewer.js("return window.playerStates").await?;
        anyhow::bail!(
            "{error}; the player before the pause: {before}; now: {after}; its states since: {states}"
        );
    }
    // Paused is not loading: nothing covers the picture the viewer stopped on; and no latency
    // figure, which stopped being true when the picture did.
    let overlay = viewer
        .js("return document.querySelector('.player-overlay, .player .latency')?.textContent ?? null")
        .await?;
    let state = player_state(&viewer).await?;
    assert!(
        overlay.is_null(),
        "a paused live stream shows {overlay} over it; the player: {state}"
    );
    viewer.screenshot("player-live-paused").await?;
    reach(&viewer, ".player .live-edge").await?;
    wait_video(&viewer, "!v.paused", "back at the live edge").await?;
    viewer
        .wait(".player[data-player-state=Playing] .live-edge:not(.behind)")
        .await?;
    viewer.press(".player", "k").await?;
    wait_video(&viewer, "v.paused", "paused by k").await?;
    viewer.press(".player", "k").await?;
    wait_video(&viewer, "!v.paused", "playing again by k").await?;
    viewer
        .wait(".player[data-player-state=Playing]:not(.idle)")
        .await?;

    // The browser's own pause and play (media keys, a picture-in-picture window's buttons, the
    // system's media controls) go through the player's controls: the handlers the app gives the
    // Media Session API, called as the browser calls them (kept by a wrapper put in before the
    // app goes to the channel). Paused, nothing covers the picture and the button offers to play; played, the live
    // stream is back at the live edge.
    viewer.goto(&stack.url("/")).await?;
    viewer.wait("[data-testid=live-grid]").await?;
    viewer
        .js("window.mediaHandlers = {}; \
             const set = MediaSession.prototype.setActionHandler; \
             MediaSession.prototype.setActionHandler = function (action, handler) { \
                 window.mediaHandlers[action] = handler; return set.call(this, action, handler); }; \
             history.pushState(null, '', '/player_show'); \
             dispatchEvent(new PopStateEvent('popstate')); return 0")
        .await?;
    viewer.wait(".player[data-player-state=Playing]").await?;
    viewer.js("window.mediaHandlers.pause(); return 0").await?;
    wait_video(&viewer, "v.paused", "paused by the browser's pause").await?;
    viewer
        .wait(".player .live-edge.behind[aria-label='Behind live: jump to live']")
        .await?;
    viewer.wait(".player .play[aria-label='Play (k)']").await?;
    let overlay = viewer
        .js("return document.querySelector('.player-overlay, .player .latency')?.textContent ?? null")
        .await?;
    assert!(
        overlay.is_null(),
        "paused by the browser, the player shows {overlay}"
    );
    viewer.js("window.mediaHandlers.play(); return 0").await?;
    wait_video(&viewer, "!v.paused", "playing by the browser's play").await?;
    viewer
        .wait(".player[data-player-state=Playing] .live-edge:not(.behind)")
        .await?;
    viewer.screenshot("player-live").await?;
    assert_accessible(&viewer, "a live channel").await?;

    // A STANDARD channel (the default) is transcoded: the menu offers the 640×360 source and the
    // local ladder's 160p, each named by its size, and choosing one plays it.
    reach(&viewer, ".player .quality-button").await?;
    viewer.wait(".quality-menu:not([hidden])").await?;
    let labels = viewer
        .js("return [...document.querySelectorAll('.quality-menu [role=menuitemradio]')].map(b => b.textContent)")
        .await?;
    assert_eq!(labels, serde_json::json!(["Auto", "360p", "160p"]));
    reach(&viewer, ".quality-menu li:nth-child(3) button").await?;
    wait_video(&viewer, "v.videoHeight === 160", "the 160p quality playing").await?;
    viewer
        .wait(".player .quality-button[aria-label='Quality: 160p']")
        .await?;
    reach(&viewer, ".player .quality-button").await?;
    viewer.screenshot("player-live-quality").await?;
    reach(&viewer, ".quality-menu li:nth-child(2) button").await?;
    wait_video(&viewer, "v.videoHeight === 360", "the source playing").await?;
    reach(&viewer, ".player .quality-button").await?;
    reach(&viewer, ".quality-menu li:nth-child(1) button").await?;
    viewer.wait(".quality-menu[hidden]").await?;

    // The broadcast ends and is kept; the viewer opens the recording.
    tokio::time::sleep(Duration::from_secs(30)).await;
    ffmpeg.kill().await?;
    open_the_recording(&viewer, &stack, "player_show").await?;
    let time_text = viewer.wait_for_text(".player-time", " / 0:", WAIT).await?;
    let duration: f64 = viewer
        .wait(".player .seek")
        .await?
        .attr("max")
        .await?
        .context("the timeline's length")?
        .parse()?;
    assert!(
        (30.0..90.0).contains(&duration),
        "the recording's length {duration} s ({time_text})"
    );

    // Play and pause with the mouse; the button says what it will do.
    reach(&viewer, ".player .play").await?;
    wait_video(&viewer, "v.paused", "paused by the button").await?;
    viewer.wait(".player .play[aria-label='Play (k)']").await?;
    // Seeking: the arrows move 5 s; a click on the timeline goes there.
    let start = video_time(&viewer).await?;
    viewer
        .press(".player", &fantoccini::key::Key::Right.to_string())
        .await?;
    wait_video(
        &viewer,
        &format!("Math.abs(v.currentTime - {}) < 0.6", start + 5.0),
        "5 s later after →",
    )
    .await?;
    viewer
        .press(".player", &fantoccini::key::Key::Left.to_string())
        .await?;
    wait_video(
        &viewer,
        &format!("Math.abs(v.currentTime - {start}) < 0.6"),
        "back after ←",
    )
    .await?;
    reach(&viewer, ".player .seek").await?;
    wait_video(
        &viewer,
        &format!("Math.abs(v.currentTime - {}) < 1.5", duration / 2.0),
        "at the middle after a click in the middle of the timeline",
    )
    .await?;
    // Space plays when the player has the focus.
    viewer.press(".player", " ").await?;
    wait_video(&viewer, "!v.paused", "playing after space").await?;

    // Sound: the button and m mute and unmute; the arrows and the slider set the volume.
    reach(&viewer, ".player .mute").await?;
    wait_video(
        &viewer,
        "!v.muted && v.volume === 1",
        "unmuted by the button",
    )
    .await?;
    viewer.wait(".player .mute[aria-label='Mute (m)']").await?;
    viewer.press(".player", "m").await?;
    wait_video(&viewer, "v.muted", "muted by m").await?;
    viewer.press(".player", "m").await?;
    let down = fantoccini::key::Key::Down.to_string();
    viewer.press(".player", &format!("{down}{down}")).await?;
    wait_video(
        &viewer,
        "!v.muted && Math.abs(v.volume - 0.9) < 0.001",
        "two steps down",
    )
    .await?;
    reach(&viewer, ".player .volume").await?;
    wait_video(
        &viewer,
        "!v.muted && Math.abs(v.volume - 0.5) < 0.051",
        "half volume from the slider's middle",
    )
    .await?;
    let chosen = video_property(&viewer, "volume").await?;

    // Fullscreen: the button, then f.
    reach(&viewer, ".player .fullscreen").await?;
    viewer
        .wait_until(
            "return document.fullscreenElement?.classList.contains('player') === true",
            "the player fullscreen",
        )
        .await?;
    viewer
        .wait(".player .fullscreen[aria-label='Exit fullscreen (f)']")
        .await?;
    viewer.press(".player", "f").await?;
    viewer
        .wait_until(
            "return document.fullscreenElement === null",
            "fullscreen left",
        )
        .await?;

    // Picture in picture.
    reach(&viewer, ".player .pip").await?;
    viewer
        .wait_until(
            "return document.pictureInPictureElement === document.querySelector('.player video')",
            "the video in picture-in-picture",
        )
        .await?;
    reach(&viewer, ".player .pip").await?;
    viewer
        .wait_until(
            "return document.pictureInPictureElement === null",
            "picture-in-picture left",
        )
        .await?;

    // Quality: Auto first, then the rendition the player has; choosing one fixes it.
    reach(&viewer, ".player .quality-button").await?;
    viewer.wait(".quality-menu:not([hidden])").await?;
    let items = viewer
        .js("return [...document.querySelectorAll('.quality-menu [role=menuitemradio]')].map(b => [b.textContent, b.getAttribute('aria-checked')])")
        .await?;
    assert_eq!(
        items,
        serde_json::json!([["Auto", "true"], ["360p", "false"]]),
        "the menu: Auto, then the 640×360 source"
    );
    reach(&viewer, ".quality-menu li:nth-child(2) button").await?;
    viewer.wait(".quality-menu[hidden]").await?;
    viewer
        .wait(".player .quality-button[aria-label='Quality: 360p']")
        .await?;
    reach(&viewer, ".player .quality-button").await?;
    viewer
        .wait(".quality-menu li:nth-child(2) [aria-checked=true]")
        .await?;
    viewer.screenshot("player-quality").await?;
    viewer.press(".player", "\u{e00c}").await?; // Escape closes the menu.
    viewer.wait(".quality-menu[hidden]").await?;
    reach(&viewer, ".player .quality-button").await?;
    reach(&viewer, ".quality-menu li:nth-child(1) button").await?;
    viewer
        .wait(".player .quality-button[aria-label='Quality: Auto (360p)']")
        .await?;

    // While playing untouched the controls hide; a key brings them back.
    let left = fantoccini::key::Key::Left.to_string();
    viewer.press(".player", &left.repeat(20)).await?;
    wait_video(&viewer, "!v.paused", "playing").await?;
    viewer.wait(".player.idle").await?;
    viewer.press(".player", "\u{e004}").await?; // Tab: to the first control.
    viewer.wait(".player:not(.idle)").await?;
    let focus = viewer
        .js("const e = document.activeElement; return [e.closest('.player-bar') !== null, e.matches(':focus-visible'), getComputedStyle(e).outlineStyle]")
        .await?;
    assert_eq!(
        focus,
        serde_json::json!([true, true, "solid"]),
        "Tab reaches the controls with a visible focus"
    );
    let unnamed = viewer
        .js("return [...document.querySelectorAll('.player-bar button, .player-bar input')].filter(e => !(e.getAttribute('aria-label') || e.textContent).trim()).map(e => e.outerHTML)")
        .await?;
    assert_eq!(unnamed, serde_json::json!([]), "every control is named");
    viewer.screenshot("player-recording").await?;
    assert_accessible(&viewer, "a recording").await?;

    // The end offers to watch again.
    let right = fantoccini::key::Key::Right.to_string();
    viewer.press(".player", &right.repeat(20)).await?;
    let replay = async {
        viewer
            .wait_for_text(".player-overlay .replay", "Watch again", WAIT)
            .await?;
        viewer.click(".player-overlay .replay").await
    };
    if let Err(error) = replay.await {
        anyhow::bail!("{error}; the player: {}", player_state(&viewer).await?);
    }
    wait_video(
        &viewer,
        "!v.paused && v.currentTime < 5",
        "playing from the start",
    )
    .await?;

    // The volume is remembered: a new visit starts muted (no click yet, the browser's rule)
    // and unmutes to the chosen level.
    viewer.goto(&viewer_url(&viewer).await?).await?;
    viewer.wait(".player[data-player-state=Playing]").await?;
    wait_video(&viewer, "v.muted", "starting muted").await?;
    reach(&viewer, ".player .mute").await?;
    wait_video(
        &viewer,
        &format!("!v.muted && v.volume === {chosen}"),
        "the remembered volume",
    )
    .await?;

    // A recording that cannot be fetched: the error, with a retry that works once it is back.
    let playlist = recording_playlist(&stack)?;
    let hidden = playlist.with_extension("away");
    std::fs::rename(&playlist, &hidden)?;
    viewer.goto(&viewer_url(&viewer).await?).await?;
    viewer
        .wait_for_text(".player-overlay[role=alert]", "could not be played", WAIT)
        .await?;
    viewer.screenshot("player-error").await?;
    // Automatic retries back off (1, 2, 4, 8 s…): after 8 s the next is 7 s away, so playing
    // within 4 s of the click is the button's doing.
    tokio::time::sleep(Duration::from_secs(8)).await;
    std::fs::rename(&hidden, &playlist)?;
    viewer.click(".player-overlay .retry").await?;
    tokio::time::timeout(
        Duration::from_secs(4),
        viewer.wait(".player[data-player-state=Playing]"),
    )
    .await
    .context("the retry plays within 4 s")??;

    // In Korean, at phone width.
    let phone = Browser::launch_sized(420, 860).await?;
    phone.goto(&viewer_url(&viewer).await?).await?;
    phone.wait(".player[data-player-state=Playing]").await?;
    phone.press(".player", "\u{e004}").await?;
    phone.screenshot("player-recording-phone").await?;
    for browser in [&viewer, &phone] {
        browser.prefer_language("ko").await?;
        browser.goto(&viewer_url(browser).await?).await?;
        browser.wait(".player[data-player-state=Playing]").await?;
        browser
            .wait(".player .play[aria-label='일시 정지 (k)']")
            .await?;
        browser.press(".player", "\u{e004}").await?;
    }
    viewer.screenshot("player-recording-ko").await?;
    phone.screenshot("player-recording-ko-phone").await?;

    viewer.close().await?;
    phone.close().await?;
    stack.stack.shutdown().await?;
    Ok(())
}

/// A streamer's past broadcast tells them who watched: the figures the stack sampled while it
/// was live, then a long evening's chart; a viewer of the same page sees none of it. The
/// streamer in English on a desktop, then in Korean on a phone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_streamer_reads_who_watched_their_past_broadcast() -> Result<()> {
    use cloumer_domain::audience::Audience;
    use cloumer_domain::ports::{ChannelRepository, RecordingRepository};
    use cloumer_domain::recording::Recording;

    let stack = TestStack::start_sampling_often().await?;
    stack
        .account(
            "summary@example.com",
            PASSWORD,
            "summary_show",
            "Summary Show",
        )
        .await?;
    let owner = Browser::launch().await?;
    owner
        .sign_in(&stack, "summary@example.com", PASSWORD)
        .await?;
    let key = stream_key(&owner).await?;
    let mut ffmpeg = publish(&format!("{}{key}", stack.stack.rtmp_url()), 120)?;
    let viewer = Browser::launch().await?;
    viewer.goto(&stack.url("/summary_show")).await?;
    viewer.wait(".player[data-player-state=Playing]").await?;
    // The stack's timer samples the broadcast once its recording exists.
    let channel = stack
        .stack
        .platform()
        .channel_page("summary_show", None)
        .await?
        .channel
        .id;
    let store = stack.stack.store();
    let deadline = Instant::now() + Duration::from_secs(30);
    let id = loop {
        let page = store.list_channel_recordings(&channel, None, 1).await?;
        if let Some(recording) = page.items.first()
            && recording.audience.samples == 1
        {
            break recording.id.clone();
        }
        anyhow::ensure!(Instant::now() < deadline, "never sampled: {page:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    // Three messages from two people in its chat while it is live (as the chat keeps what it
    // delivers).
    let owner_id = store
        .get_channel(&channel)
        .await?
        .context("the channel")?
        .owner;
    let fan = cloumer_domain::ids::UserId::parse("a-fan")?;
    let said: Vec<cloumer_domain::chat::StoredMessage> =
        [("hi", &owner_id), ("hello", &fan), ("gg", &owner_id)]
            .into_iter()
            .map(|(text, sender)| cloumer_domain::chat::StoredMessage {
                channel_id: channel.clone(),
                id: cloumer_domain::ids::MessageId::generate(),
                sent_at: time::OffsetDateTime::now_utc(),
                sender: sender.clone(),
                sender_attributes: Default::default(),
                content: text.to_owned(),
                attributes: Default::default(),
            })
            .collect();
    stack.stack.platform().keep_messages(&said).await?;
    ffmpeg.kill().await?;

    open_the_recording(&owner, &stack, "summary_show").await?;
    owner
        .wait_for_text(".stream-summary h2", "Stream summary", WAIT)
        .await?;
    let sampled = store
        .get_recording(&id)
        .await?
        .context("the recording")?
        .audience
        .summary()
        .context("a summary")?;
    assert_eq!(
        owner
            .js("return [...document.querySelectorAll('.summary-figures dd')].map(d => d.textContent)")
            .await?,
        serde_json::json!([
            sampled.peak_viewers.to_string(),
            sampled.average_viewers.to_string(),
            "0",
            "3",
            "2"
        ]),
        "the figures sampled while it was live"
    );
    // The viewer's page of the same broadcast has everything else, and no summary.
    open_the_recording(&viewer, &stack, "summary_show").await?;
    viewer.wait(".video-share").await?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(
        viewer
            .js("return document.querySelectorAll('.stream-summary').length")
            .await?,
        0,
        "the streamer's alone"
    );

    // A long evening: an hour and a half, the room filling to 140 then thinning, two
    // followers gained (the domain's own sampling, a minute apart, onto this recording).
    let current = store.get_recording(&id).await?.context("the recording")?;
    let mut audience = Audience::default();
    let start = time::OffsetDateTime::now_utc();
    for minute in 0..90_i64 {
        let viewers = 20 + (120.0 * (minute as f64 * std::f64::consts::PI / 90.0).sin()) as u64;
        audience.sample(
            start + time::Duration::minutes(minute),
            viewers,
            100 + minute as u64 / 30,
        );
    }
    let evening = Recording {
        audience,
        ..current.clone()
    };
    store
        .put_recording(&evening, Some(&current))
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let page = viewer_url(&owner).await?;
    owner.goto(&page).await?;
    owner
        .wait_for_text(".summary-figures .peak-viewers", "140", WAIT)
        .await?;
    assert_eq!(
        owner
            .js("return document.querySelector('.summary-figures .followers-gained').textContent")
            .await?,
        "+2"
    );
    assert_eq!(
        owner
            .js("return document.querySelector('.chart-line').getAttribute('d').split('L').length")
            .await?,
        90,
        "a point a minute"
    );
    assert_eq!(
        owner
            .js("return document.querySelector('.summary-chart figcaption').lastElementChild.textContent")
            .await?,
        "1:30:00"
    );
    owner
        .js("document.querySelector('.stream-summary').scrollIntoView({block: 'center'})")
        .await?;
    owner.screenshot("recording-summary").await?;

    let phone = korean_phone(&stack, "summary@example.com").await?;
    phone.goto(&page).await?;
    phone
        .wait_for_text(".stream-summary h2", "방송 요약", WAIT)
        .await?;
    let label = phone
        .js("return document.querySelector('.summary-chart svg').getAttribute('aria-label')")
        .await?;
    assert_eq!(label, "시간별 시청자: 45:00에 최고 140명");
    phone
        .js("document.querySelector('.stream-summary').scrollIntoView({block: 'center'})")
        .await?;
    phone.screenshot("recording-summary-ko-phone").await?;

    owner.close().await?;
    viewer.close().await?;
    phone.close().await?;
    stack.stack.shutdown().await?;
    Ok(())
}

async fn viewer_url(browser: &Browser) -> Result<String> {
    Ok(browser
        .js("return location.href")
        .await?
        .as_str()
        .context("the page's address")?
        .to_owned())
}

/// The replay panel's lines, as shown.
async fn replayed_lines(browser: &Browser) -> Result<Vec<String>> {
    let lines = browser
        .js("return [...document.querySelectorAll('.chat-replay .chat-line .chat-text')].map(l => l.textContent)")
        .await?;
    Ok(serde_json::from_value(lines)?)
}

/// Sets a form field's value as typing or choosing would (its `input` and `change` events), for
/// characters ChromeDriver cannot type and fields it cannot choose in.
async fn set_field(browser: &Browser, css: &str, value: &str) -> Result<()> {
    browser
        .js(&format!(
            "const e = document.querySelector({css:?}); e.value = {value:?}; \
             e.dispatchEvent(new Event(e.tagName === 'SELECT' ? 'change' : 'input', {{ bubbles: true }})); \
             e.dispatchEvent(new Event('change', {{ bubbles: true }}));"
        ))
        .await?;
    Ok(())
}

/// Turns a chat rule's checkbox on the dashboard over, saves the rules and brings the box into
/// view (for a screenshot).
async fn toggle_rule(host: &Browser, name: &str) -> Result<()> {
    let checkbox = format!("document.querySelector('input[name={name}]')");
    host.wait(&format!("input[name={name}]")).await?;
    host.js(&format!(
        "const c = {checkbox}; c.click(); c.form.requestSubmit()"
    ))
    .await?;
    host.wait_for_text("[role=status]", "Saved", WAIT).await?;
    host.js(&format!("{checkbox}.scrollIntoView({{block: 'center'}})"))
        .await?;
    Ok(())
}

/// Types `text` into the chat box and sends it, without waiting for the line (the page may
/// hold it back). Set through the DOM: ChromeDriver types no characters beyond Unicode's
/// basic plane, such as most emoji.
async fn type_and_send(browser: &Browser, text: &str) -> Result<()> {
    browser
        .js(&format!(
            "const i = document.querySelector('#chat-input'); i.value = {text:?}; \
             i.dispatchEvent(new Event('input', {{ bubbles: true }})); \
             document.querySelector('.chat-form').requestSubmit()"
        ))
        .await?;
    Ok(())
}

/// `browser`'s user types the command `typed` in the chat box: it leaves the box, and the page
/// says `said` of it.
async fn command(browser: &Browser, typed: &str, said: &str) -> Result<()> {
    browser.fill("#chat-input", typed).await?;
    browser.click(".chat-form button[type=submit]").await?;
    browser.wait_for_text(".chat-command", said, WAIT).await?;
    let left = browser
        .js("return document.querySelector('#chat-input').value")
        .await?;
    anyhow::ensure!(left == "", "{typed:?} left {left} in the box");
    Ok(())
}

async fn says(browser: &Browser, text: &str) -> Result<()> {
    browser.fill("#chat-input", text).await?;
    browser.click(".chat-form button[type=submit]").await?;
    browser.wait_for_text(".chat-line", text, WAIT).await?;
    Ok(())
}

/// A name on a chat message opens who that is: their picture, name and channel, since when
/// they have an account and follow the channel; the room's owner also sees a timeout in force,
/// and lifts it there, what they said in the room lately and what was done to them before (the
/// log's entries about them). The
/// streamer in English on a desktop (and then in Korean on a phone), the viewer in Korean on a
/// phone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_name_in_the_chat_opens_who_that_is() -> Result<()> {
    let stack = TestStack::start(false).await?;
    stack
        .account("host@example.com", PASSWORD, "card_host", "Card Host")
        .await?;
    stack
        .account("fan@example.com", PASSWORD, "fan_card", "팬")
        .await?;
    let owner = Browser::launch().await?;
    owner.sign_in(&stack, "host@example.com", PASSWORD).await?;
    owner.goto(&stack.url("/card_host")).await?;
    owner
        .wait_for_text(".chat-state", "Connected", WAIT)
        .await?;
    let fan = Browser::launch_sized(420, 860).await?;
    fan.sign_in(&stack, "fan@example.com", PASSWORD).await?;
    fan.goto(&stack.url("/card_host")).await?;
    click_follow(&fan, true, "1").await?;
    fan.prefer_language("ko").await?;
    fan.goto(&stack.url("/card_host")).await?;
    fan.wait_for_text(".chat-state", "연결", WAIT).await?;
    says(&fan, "안녕하세요").await?;
    owner
        .wait_for_text(".chat-line", "안녕하세요", WAIT)
        .await?;
    let open_card_of = |text: &str| {
        format!(
            "const line = [...document.querySelectorAll('.chat-line')].find(l => l.textContent.includes('{text}'));
             line.querySelector('.chat-nick').click();"
        )
    };
    // From who is here, too.
    owner.click(".chat-people-toggle").await?;
    owner
        .wait_for_text(".chat-people .chat-person", "팬", WAIT)
        .await?;
    owner
        .js("[...document.querySelectorAll('.chat-people .chat-person-name')].find(b => b.textContent === '팬').click()")
        .await?;
    owner
        .wait_for_text(".chatter-card .chatter-card-name", "팬", WAIT)
        .await?;
    owner.click(".chat-people-toggle").await?;
    owner.click(".chatter-card-close").await?;
    owner.wait_gone(".chatter-card", "팬").await?;
    owner.js(&open_card_of("안녕하세요")).await?;
    owner
        .wait_for_text(".chatter-card .chatter-card-name", "팬", WAIT)
        .await?;
    owner
        .wait_for_text(".chatter-card .chatter-card-channel", "@fan_card", WAIT)
        .await?;
    owner
        .wait_for_text(".chatter-card .chatter-card-joined", "Joined ", WAIT)
        .await?;
    owner
        .wait_for_text(
            ".chatter-card .chatter-card-following",
            "Following since ",
            WAIT,
        )
        .await?;
    assert_eq!(
        owner
            .js("return document.querySelectorAll('.chatter-card-restriction').length")
            .await?,
        0
    );
    // Timed out from the message's menu: the card opened again says until when, and why.
    owner
        .js("const line = [...document.querySelectorAll('.chat-line')].find(l => l.textContent.includes('안녕하세요'));
             line.querySelector('details.chat-menu').open = true;")
        .await?;
    owner
        .fill("details.chat-menu[open] .chat-reason", "도배")
        .await?;
    owner
        .js("document.querySelector('details.chat-menu[open] .time-out[data-minutes=\"10\"]').click()")
        .await?;
    fan.wait(".chat-wait").await?;
    owner.click(".chatter-card-close").await?;
    owner.wait_gone(".chatter-card", "팬").await?;
    owner.js(&open_card_of("안녕하세요")).await?;
    owner
        .wait_for_text(
            ".chatter-card .chatter-card-restriction",
            "Timed out until ",
            WAIT,
        )
        .await?;
    owner
        .wait_for_text(".chatter-card .chatter-card-reason", "Reason: 도배", WAIT)
        .await?;
    owner
        .wait_for_text(
            ".chatter-card .chatter-card-history .log-entry[data-action=timeout]",
            "Card Host timed out 팬 until",
            WAIT,
        )
        .await?;
    owner
        .wait_for_text(".chatter-card .chatter-card-messages", "안녕하세요", WAIT)
        .await?;
    owner.screenshot("chat-card-moderator").await?;

    // The fan opens the streamer's card: the badge, no follow of their own channel, and no
    // word of anyone's timeout (theirs included).
    says(&owner, "welcome").await?;
    fan.wait_for_text(".chat-line", "welcome", WAIT).await?;
    fan.js(&open_card_of("welcome")).await?;
    fan.wait_for_text(".chatter-card .chatter-card-name", "Card Host", WAIT)
        .await?;
    fan.wait_for_text(".chatter-card .owner-badge", "스트리머", WAIT)
        .await?;
    fan.wait_for_text(".chatter-card .chatter-card-joined", "가입", WAIT)
        .await?;
    fan.wait_for_text(
        ".chatter-card .chatter-card-following",
        "팔로우하지 않음",
        WAIT,
    )
    .await?;
    fan.screenshot("chat-card-ko-phone").await?;
    fan.js(&open_card_of("안녕하세요")).await?;
    fan.wait_for_text(".chatter-card .chatter-card-following", "부터 팔로우", WAIT)
        .await?;
    assert_eq!(
        fan.js("return document.querySelectorAll('.chatter-card-restriction').length")
            .await?,
        0,
        "a timeout is for the room's owner and moderators to see"
    );
    assert_eq!(
        fan.js("return document.querySelectorAll('.chatter-card-history, .chatter-card-actions').length")
            .await?,
        0,
        "and so is what was done to them before, or doing it"
    );
    // The streamer lifts the timeout from the card: it says so, and the fan's page lets them
    // speak at once (the room hears the timeout is over), not in ten minutes.
    owner.click(".chatter-card .chatter-card-lift").await?;
    owner
        .wait_until(
            "return !document.querySelector('.chatter-card-restriction') \
             && !!document.querySelector('.chatter-card-following')",
            "the card without the timeout",
        )
        .await?;
    fan.wait_until(
        "return !document.querySelector('.chat-wait')",
        "the fan's wait is over",
    )
    .await?;
    says(&fan, "고마워요").await?;
    owner.wait_for_text(".chat-line", "고마워요", WAIT).await?;
    // The lift is in their history now, newest first; the streamer on a phone in Korean sees
    // the same.
    let history = owner
        .js("return [...document.querySelectorAll('.chatter-card-history .log-entry')].map(e => e.dataset.action)")
        .await?;
    assert_eq!(history, serde_json::json!(["unban", "timeout"]));
    let phone = korean_phone(&stack, "host@example.com").await?;
    phone.goto(&stack.url("/card_host")).await?;
    phone.wait(".chat-state[data-state=Connected]").await?;
    phone
        .wait_for_text(".chat-line", "안녕하세요", WAIT)
        .await?;
    phone.js(&open_card_of("안녕하세요")).await?;
    phone
        .wait_for_text(
            ".chatter-card .chatter-card-history-heading",
            "이 채팅에서 받은 조치",
            WAIT,
        )
        .await?;
    phone
        .wait_for_text(".chatter-card .chatter-card-messages", "고마워요", WAIT)
        .await?;
    phone
        .wait_for_text(
            ".chatter-card .chatter-card-history .log-entry[data-action=unban]",
            "Card Host님이 팬님의 제재를 해제",
            WAIT,
        )
        .await?;
    phone
        .wait(".chatter-card .chatter-card-actions .ban-user")
        .await?;
    phone.screenshot("chat-card-history-ko-phone").await?;
    phone.close().await?;
    // The streamer times the fan out again from the card itself, with a reason: in force at
    // once, and first in their history.
    owner
        .fill(".chatter-card-actions .chat-reason", "또 도배")
        .await?;
    owner
        .click(".chatter-card-actions .time-out[data-minutes='1']")
        .await?;
    owner
        .wait_for_text(
            ".chatter-card .chatter-card-reason",
            "Reason: 또 도배",
            WAIT,
        )
        .await?;
    let history = owner
        .js("return [...document.querySelectorAll('.chatter-card-history .log-entry')].map(e => e.dataset.action)")
        .await?;
    assert_eq!(history, serde_json::json!(["timeout", "unban", "timeout"]));
    assert_eq!(
        owner
            .js("return document.querySelectorAll('.chatter-card-actions').length")
            .await?,
        0,
        "nothing more to do while the timeout is in force but lift it"
    );
    // The card's channel link goes there.
    fan.click(".chatter-card .chatter-card-channel").await?;
    fan.wait_until(
        "return location.pathname === '/fan_card'",
        "the fan's own channel",
    )
    .await?;
    for browser in [owner, fan] {
        browser.close().await?;
    }
    stack.stack.shutdown().await?;
    Ok(())
}

/// A past broadcast's chat next to its video: each message appears when playback reaches it,
/// seeking either way re-places the chat, and a message deleted live never appears.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_past_broadcast_replays_its_chat_in_step_with_the_video() -> Result<()> {
    let stack = TestStack::start(true).await?;
    stack
        .account("replay@example.com", PASSWORD, "replay_show", "Replay Show")
        .await?;
    stack
        .account("talker@example.com", PASSWORD, "talker", "Talker")
        .await?;
    let owner = Browser::launch().await?;
    owner
        .sign_in(&stack, "replay@example.com", PASSWORD)
        .await?;
    let key = stream_key(&owner).await?;
    let started = Instant::now();
    let mut ffmpeg = publish(&format!("{}{key}", stack.stack.rtmp_url()), 120)?;
    let talker = Browser::launch().await?;
    talker
        .sign_in(&stack, "talker@example.com", PASSWORD)
        .await?;
    for browser in [&owner, &talker] {
        browser.goto(&stack.url("/replay_show")).await?;
        browser
            .wait_for_text(".chat-state", "Connected", WAIT)
            .await?;
    }
    says(&talker, "first line 안녕").await?;
    says(&talker, "oops, a spoiler").await?;
    owner
        .wait_for_text(".chat-line", "oops, a spoiler", WAIT)
        .await?;
    owner
        .js("const line = [...document.querySelectorAll('.chat-line')].find(l => l.textContent.includes('oops')); \
             line.querySelector('details.chat-menu').open = true; \
             line.querySelector('.delete-message').click();")
        .await?;
    talker.wait_gone(".chat-line", "oops, a spoiler").await?;
    // The second line some 25 s after the first, then the broadcast ends.
    tokio::time::sleep(Duration::from_secs(30).saturating_sub(started.elapsed())).await;
    says(&talker, "second line").await?;
    // Long enough after it that seeking past it stays inside the recording.
    tokio::time::sleep(Duration::from_secs(10)).await;
    ffmpeg.kill().await?;

    // The recording, paused at its start.
    let viewer = Browser::launch().await?;
    open_the_recording(&viewer, &stack, "replay_show").await?;
    viewer.press(".player", "k").await?;
    wait_video(&viewer, "v.paused", "paused").await?;
    // Where each line falls in the video, as the API says.
    let offsets = viewer
        .js("const id = location.pathname.split('/').pop(); \
             const page = await (await fetch('/api/v1/recordings/' + id + '/chat')).json(); \
             return page.items.map(m => [m.content, m.offsetMs]);")
        .await?;
    let offsets: Vec<(String, f64)> = serde_json::from_value(offsets)?;
    let texts: Vec<&str> = offsets.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(
        texts,
        ["first line 안녕", "second line"],
        "the deleted line is not replayed"
    );
    let (first, second) = (offsets[0].1 / 1000.0, offsets[1].1 / 1000.0);
    assert!(second - first > 15.0, "the lines are apart: {offsets:?}");

    // Before the first line's moment: nothing; playing on to it, it appears, and only it.
    let position = video_time(&viewer).await?;
    assert!(position < first, "paused at {position} s, before {first} s");
    viewer
        .wait_for_text(".chat-replay .chat-empty", "Nothing said yet", WAIT)
        .await?;
    viewer.press(".player", "k").await?;
    viewer
        .wait_for_text(
            ".chat-replay .chat-line",
            "first line 안녕",
            Duration::from_secs(30),
        )
        .await?;
    viewer.press(".player", "k").await?;
    wait_video(&viewer, "v.paused", "paused after the first line").await?;
    let at = video_time(&viewer).await?;
    assert!(
        at >= first - 0.6,
        "the line showed at {at} s, its moment {first} s"
    );
    assert_eq!(replayed_lines(&viewer).await?, ["first line 안녕"]);

    // Seeking past the second line shows it; back before it, it goes again.
    let right = fantoccini::key::Key::Right.to_string();
    let steps = ((second - at) / 5.0).floor() as usize + 1;
    viewer.press(".player", &right.repeat(steps)).await?;
    viewer
        .wait_for_text(".chat-replay .chat-line", "second line", WAIT)
        .await?;
    viewer.screenshot("chat-replay").await?;
    assert_accessible(&viewer, "a recording with its chat").await?;
    let left = fantoccini::key::Key::Left.to_string();
    viewer.press(".player", &left.repeat(steps)).await?;
    viewer
        .wait_gone(".chat-replay .chat-line", "second line")
        .await?;
    viewer
        .wait_for_text(".chat-replay .chat-line", "first line 안녕", WAIT)
        .await?;
    assert_eq!(replayed_lines(&viewer).await?, ["first line 안녕"]);

    // In Korean at phone width.
    let phone = Browser::launch_sized(420, 860).await?;
    phone.goto(&stack.url("/")).await?;
    phone.prefer_language("ko").await?;
    phone.goto(&viewer_url(&viewer).await?).await?;
    phone
        .wait_for_text(".chat-replay h2", "채팅 다시 보기", WAIT)
        .await?;
    phone
        .wait_for_text(
            ".chat-replay .chat-line",
            "first line 안녕",
            Duration::from_secs(30),
        )
        .await?;
    phone.screenshot("chat-replay-ko-phone").await?;

    // A clip around the second line replays the broadcast's chat from where it starts.
    let recording_url = viewer_url(&viewer).await?;
    let clock = |seconds: f64| {
        let whole = seconds.max(0.0) as u64;
        format!("{}:{:02}", whole / 60, whole % 60)
    };
    // It ends inside the recording: on a loaded machine the publisher's last seconds may not
    // make it into the recording (seen once: 30 s recorded, the second line at 29 s).
    let recorded = viewer
        .js("const id = location.pathname.split('/').pop(); \
             return (await (await fetch('/api/v1/recordings/' + id)).json()).durationMs;")
        .await?
        .as_f64()
        .context("the recording's duration")?
        / 1000.0;
    talker.goto(&recording_url).await?;
    talker.wait(".player[data-player-state=Playing]").await?;
    let clip = make_clip(
        &talker,
        "The second line",
        Some((
            &clock(second - 4.0),
            &clock((second + 4.0).min(recorded.floor())),
        )),
    )
    .await?;
    talker
        .wait(".clip-page .player[data-player-state=Playing]")
        .await?;
    talker
        .wait_for_text(
            ".chat-replay .chat-line",
            "second line",
            Duration::from_secs(30),
        )
        .await
        .with_context(|| format!("the chat beside the clip {clip}"))?;
    talker.screenshot("clip-chat-replay").await?;

    // The owner renames the broadcast for everyone, then deletes it with its video; viewers
    // have neither tool.
    assert_eq!(
        viewer
            .js("return document.querySelectorAll('.owner-tools').length")
            .await?,
        0
    );
    owner.goto(&recording_url).await?;
    owner.click(".owner-tools .rename").await?;
    owner
        .fill("#recording-title", "Best bits 하이라이트")
        .await?;
    owner.click(".rename-recording button[type=submit]").await?;
    owner
        .wait_for_text("h1.channel-title", "Best bits 하이라이트", WAIT)
        .await?;
    owner
        .wait_title("Best bits 하이라이트 - Replay Show · Cloumer")
        .await?;
    assert_eq!(
        now_playing(&owner).await?,
        "Best bits 하이라이트 / Replay Show / avatar avatar.png"
    );
    owner.screenshot("recording-owner-tools").await?;
    assert_accessible(&owner, "a recording, its owner's view").await?;
    viewer.goto(&recording_url).await?;
    viewer
        .wait_for_text("h1.channel-title", "Best bits 하이라이트", WAIT)
        .await?;
    owner.click(".owner-tools .delete-recording").await?;
    let asked = owner.accept_dialog().await?;
    assert!(asked.contains("Delete this broadcast"), "{asked}");
    owner
        .wait_until(
            "return location.pathname === '/replay_show' && !!document.querySelector('.chat-state')",
            "back on the channel page",
        )
        .await?;
    viewer.goto(&recording_url).await?;
    viewer
        .wait_for_text("main", "This page does not exist.", WAIT)
        .await?;
    assert!(
        recording_playlist(&stack).is_err(),
        "the broadcast's files left the disk"
    );

    for browser in [owner, talker, viewer, phone] {
        browser.close().await?;
    }
    stack.stack.shutdown().await?;
    Ok(())
}

/// A streamer deletes their account from their profile (English, desktop): the password and
/// their handle typed out, a wrong password told; then they are signed out at home, their
/// channel is gone for their follower, who counts it no more, and the address cannot sign in.
/// A follower looks at the same form in Korean on a phone and cancels.
#[tokio::test]
async fn a_user_deletes_their_account_from_their_profile() -> Result<()> {
    use cloumer_domain::chat::StoredMessage;
    use cloumer_domain::handle::ChannelHandle;
    use cloumer_domain::ids::MessageId;
    use cloumer_domain::ports::{ChannelRepository, ChatRepository};
    let stack = TestStack::start(false).await?;
    stack
        .account("leaving@example.com", PASSWORD, "leaving_star", "Leaving")
        .await?;
    stack
        .account("stays@example.com", PASSWORD, "stays", "머무는 팬")
        .await?;
    let fan = korean_phone(&stack, "stays@example.com").await?;
    fan.goto(&stack.url("/leaving_star")).await?;
    fan.wait(".follow-box button.follow[aria-pressed=false]")
        .await?;
    fan.click(".follow-box button.follow").await?;
    fan.wait(".follow-box button.follow[aria-pressed=true]")
        .await?;

    // The star said 150 things in the follower's chat: more than one page of the API's.
    let store = stack.stack.store();
    let channel_of = |handle: &'static str| {
        let store = store.clone();
        async move {
            store
                .find_channel_by_handle(&ChannelHandle::parse(handle)?)
                .await?
                .context("a channel")
        }
    };
    let (star_channel, fans_channel) = (
        channel_of("leaving_star").await?,
        channel_of("stays").await?,
    );
    let now = time::OffsetDateTime::now_utc();
    let said: Vec<StoredMessage> = (0..150)
        .map(|i| StoredMessage {
            channel_id: fans_channel.id.clone(),
            id: MessageId::generate(),
            sent_at: now + time::Duration::milliseconds(i),
            sender: star_channel.owner.clone(),
            sender_attributes: Default::default(),
            content: format!("said {i}"),
            attributes: Default::default(),
        })
        .collect();
    stack.stack.platform().keep_messages(&said).await?;

    let star = Browser::launch().await?;
    star.sign_in(&stack, "leaving@example.com", PASSWORD)
        .await?;
    star.goto(&stack.url("/profile")).await?;
    star.wait_for_text(".delete-account h2", "Delete account", WAIT)
        .await?;
    // First they take their data away: a file named for their handle, holding their profile,
    // whom they follow and what they said in chats, gathered page by page (the file is caught
    // as the page hands it to the browser).
    star.js(
        "window.saved = []; const made = URL.createObjectURL; \
         URL.createObjectURL = b => { window.saved.push(b); return made(b); }; \
         const click = HTMLAnchorElement.prototype.click; \
         HTMLAnchorElement.prototype.click = function () { window.savedAs = this.download; return click.call(this); };",
    )
    .await?;
    // The second page of messages is held back a moment, to see the count gathered so far.
    star.js("const fetched = window.fetch; \
         window.fetch = (...a) => String(a[0].url || a[0]).includes('before=') \
           ? new Promise(r => setTimeout(() => r(fetched(...a)), 1500)) : fetched(...a);")
        .await?;
    star.click(".your-data button.download-data").await?;
    star.wait_for_text(
        ".your-data .gathering",
        "Gathering your chat messages: 100",
        WAIT,
    )
    .await?;
    star.screenshot("profile-your-data-gathering").await?;
    star.wait_until("return window.saved.length === 1", "the data handed over")
        .await?;
    star.wait_gone(".your-data .gathering", "").await?;
    assert_eq!(
        star.js("return window.savedAs").await?,
        "cloumer-leaving_star.json"
    );
    let saved = star.js("return window.saved[0].text()").await?;
    let saved: serde_json::Value = serde_json::from_str(saved.as_str().context("the file")?)?;
    assert_eq!(saved["profile"]["handle"], "leaving_star", "{saved}");
    assert_eq!(saved["channel"]["followers"], 1, "{saved}");
    let messages = saved["messages"]
        .as_array()
        .context("messages in the file")?;
    assert_eq!(messages.len(), 150);
    assert_eq!(messages[0]["channel"], "stays");
    assert_eq!(messages[0]["message"]["content"], "said 149");
    assert_eq!(messages[149]["message"]["content"], "said 0");
    // Five copies an hour: four more go at once, and the sixth is refused with when to try
    // again (the API's Retry-After, which the page reads).
    for copies in 2..=5 {
        star.click(".your-data button.download-data:not([disabled])")
            .await?;
        star.wait_until(
            &format!("return window.saved.length === {copies}"),
            "another copy",
        )
        .await?;
    }
    star.click(".your-data button.download-data:not([disabled])")
        .await?;
    star.wait_for_text(
        ".your-data .error",
        "Too many requests. Try again in 12 minutes.",
        WAIT,
    )
    .await?;
    star.screenshot("profile-your-data-too-many").await?;
    star.click(".delete-account button.danger").await?;
    star.wait(".delete-account input[name=password]").await?;
    // The handle must match before the button works.
    star.fill(".delete-account input[name=confirm-handle]", "someone_else")
        .await?;
    star.wait_for_text(".delete-account .hint", "That is not your handle.", WAIT)
        .await?;
    star.wait(".delete-account button[type=submit][disabled]")
        .await?;
    star.fill(
        ".delete-account input[name=confirm-handle]",
        "@Leaving_Star",
    )
    .await?;
    star.wait(".delete-account button[type=submit]:not([disabled])")
        .await?;
    // A wrong password is told, and nothing is deleted.
    star.fill(".delete-account input[name=password]", "not-the-password")
        .await?;
    star.screenshot("profile-delete-account").await?;
    star.click(".delete-account button[type=submit]").await?;
    star.wait_for_text(
        ".delete-account .error",
        "Incorrect email or password.",
        WAIT,
    )
    .await?;
    fan.goto(&stack.url("/leaving_star")).await?;
    fan.wait(".follow-box button.follow[aria-pressed=true]")
        .await?;

    star.fill(".delete-account input[name=password]", PASSWORD)
        .await?;
    star.click(".delete-account button[type=submit]").await?;
    // Signed out, at home.
    star.wait_until(
        "return location.pathname === '/' && document.querySelector('header.topbar').textContent.includes('Sign in')",
        "signed out at home",
    )
    .await?;
    star.screenshot("account-deleted-home").await?;
    star.goto(&stack.url("/leaving_star")).await?;
    star.wait_for_text("main", "This page does not exist.", WAIT)
        .await?;
    star.goto(&stack.url("/signin")).await?;
    star.fill("input[name=email]", "leaving@example.com")
        .await?;
    star.fill("input[name=password]", PASSWORD).await?;
    star.click("form button[type=submit]").await?;
    star.wait_for_text("form .error", "Incorrect email or password.", WAIT)
        .await?;

    // What they said in the follower's chat went with them.
    let left = store.list_messages(&fans_channel.id, None, 10).await?;
    assert!(left.items.is_empty(), "{:?}", left.items);

    // The follower: the channel is gone, and not among those they follow.
    fan.goto(&stack.url("/leaving_star")).await?;
    fan.wait_for_text("main", "없는 페이지입니다.", WAIT)
        .await?;
    fan.wait_gone(".follow-box", "").await?;
    fan.goto(&stack.url("/profile")).await?;
    fan.wait_for_text(".delete-account h2", "계정 삭제", WAIT)
        .await?;
    let following = fan
        .js("return document.querySelector('[data-testid=profile-following]').textContent")
        .await?;
    assert!(
        !following.as_str().unwrap_or_default().contains("Leaving"),
        "{following}"
    );
    // The follower takes five copies too; the sixth is refused, in Korean, with when.
    fan.js("window.saved = 0; const made = URL.createObjectURL; \
         URL.createObjectURL = b => { window.saved += 1; return made(b); }; \
         HTMLAnchorElement.prototype.click = function () {};")
        .await?;
    for copies in 1..=5 {
        fan.click(".your-data button.download-data:not([disabled])")
            .await?;
        fan.wait_until(
            &format!("return window.saved === {copies}"),
            "a copy of the follower's data",
        )
        .await?;
    }
    fan.click(".your-data button.download-data:not([disabled])")
        .await?;
    fan.wait_for_text(
        ".your-data .error",
        "요청이 너무 많아요. 12분 후에 다시 해 주세요.",
        WAIT,
    )
    .await?;
    fan.js("document.querySelector('.your-data').scrollIntoView()")
        .await?;
    fan.screenshot("profile-your-data-ko-phone").await?;
    fan.click(".delete-account button.danger").await?;
    fan.wait(".delete-account input[name=password]").await?;
    fan.js("document.querySelector('.delete-account').scrollIntoView()")
        .await?;
    fan.screenshot("profile-delete-account-ko-phone").await?;
    fan.click(".delete-account button.secondary").await?;
    fan.wait_gone(".delete-account input[name=password]", "")
        .await?;
    fan.goto(&stack.url("/")).await?;
    fan.wait_for_text("header.topbar", "로그아웃", WAIT).await?;
    star.close().await?;
    fan.close().await?;
    Ok(())
}

/// A deletion cut short after the platform's part (the tab closed before the sign-in itself was
/// deleted) is finished by the app on the next visit: the API says the account was deleted, the
/// app deletes the sign-in and signs out, and the address can sign up afresh.
#[tokio::test]
async fn a_deletion_cut_short_is_finished_on_the_next_visit() -> Result<()> {
    let stack = TestStack::start(false).await?;
    stack
        .account("cut@example.com", PASSWORD, "cut_short", "Cut")
        .await?;
    let browser = Browser::launch().await?;
    browser.sign_in(&stack, "cut@example.com", PASSWORD).await?;
    // The platform's part only, as the profile's button would start it.
    let status = browser
        .js("const s = JSON.parse(localStorage.getItem('cloumer.session')); \
             return fetch('/api/v1/me', {method: 'DELETE', headers: {Authorization: 'Bearer ' + s.id_token}}) \
               .then(r => r.status)")
        .await?;
    assert_eq!(status, 204);
    // The next visit: signed in still, until the API answers.
    browser.goto(&stack.url("/profile")).await?;
    browser
        .wait_until(
            "return localStorage.getItem('cloumer.session') === null \
             && document.querySelector('header.topbar').textContent.includes('Sign in')",
            "signed out once the API said the account was deleted",
        )
        .await?;
    // The sign-in is gone: the password no longer signs in, and the address signs up again.
    let stale = stack
        .cognito(
            "InitiateAuth",
            serde_json::json!({"AuthFlow": "USER_PASSWORD_AUTH",
                "ClientId": cloumer_local::identity::CLIENT_ID,
                "AuthParameters": {"USERNAME": "cut@example.com", "PASSWORD": PASSWORD}}),
        )
        .await?;
    assert!(
        stale.get("AuthenticationResult").is_none(),
        "the old sign-in still works: {stale}"
    );
    stack
        .account("cut@example.com", PASSWORD, "cut_short", "Cut again")
        .await?;
    browser.sign_in(&stack, "cut@example.com", PASSWORD).await?;
    browser.goto(&stack.url("/profile")).await?;
    browser
        .wait_for_text(".delete-account h2", "Delete account", WAIT)
        .await?;
    browser.close().await?;
    stack.stack.shutdown().await?;
    Ok(())
}

/// A viewer reports a channel from its page (English, desktop): the reasons, their words, a
/// thank-you, and "already reported" when they try again; its streamer has no such button, and
/// the viewer no way into the staff's queue. A member of the staff (Korean, phone) finds the
/// report under the top bar's 신고, with who reported what and why, and dismisses it.
#[tokio::test]
async fn a_viewer_reports_a_channel_and_staff_dismiss_it_from_their_queue() -> Result<()> {
    let stack = TestStack::start_with_staff(false, &["sam@example.com"]).await?;
    stack
        .account("hana@example.com", PASSWORD, "hana", "하나")
        .await?;
    stack
        .account("oli@example.com", PASSWORD, "oli", "Oli")
        .await?;
    stack
        .account("sam@example.com", PASSWORD, "sam", "Sam")
        .await?;
    let mut findings = Vec::new();

    let viewer = Browser::launch().await?;
    viewer.sign_in(&stack, "oli@example.com", PASSWORD).await?;
    viewer.prefer_language("en").await?;
    viewer.goto(&stack.url("/hana")).await?;
    viewer.click("[data-testid=report] summary").await?;
    viewer.wait("input[name=report-reason][value=hate]").await?;
    let send = viewer
        .js("return document.querySelector('[data-testid=report] button[type=submit]').disabled")
        .await?;
    assert_eq!(send, true, "nothing is sent without a reason");
    viewer
        .click("input[name=report-reason][value=hate]")
        .await?;
    viewer
        .fill(
            "textarea[name=report-details]",
            "Slurs in the title since 9 pm",
        )
        .await?;
    findings.extend(accessibility_findings(&viewer, "channel-report-form").await?);
    viewer.screenshot("report-form-en-desktop").await?;
    viewer
        .click("[data-testid=report] button[type=submit]")
        .await?;
    viewer
        .wait_for_text(
            "[data-testid=report] [role=status]",
            "Our staff will look at it",
            WAIT,
        )
        .await?;
    // Again, after a reload: the first report stands.
    viewer.goto(&stack.url("/hana")).await?;
    viewer.click("[data-testid=report] summary").await?;
    viewer
        .click("input[name=report-reason][value=spam]")
        .await?;
    viewer
        .click("[data-testid=report] button[type=submit]")
        .await?;
    viewer
        .wait_for_text(
            "[data-testid=report] [role=status]",
            "reported this already",
            WAIT,
        )
        .await?;
    // Not staff: no way in.
    let links = viewer
        .js("return [...document.querySelectorAll('.topbar nav a')].map(a => a.getAttribute('href'))")
        .await?;
    assert!(!links.to_string().contains("/staff/reports"), "{links}");
    viewer.goto(&stack.url("/staff/reports")).await?;
    viewer
        .wait_for_text("[data-testid=reports] [role=alert]", "staff", WAIT)
        .await?;
    viewer.close().await?;
    // The form in Korean on a phone (looked at, not sent).
    let phone = Browser::launch_sized(390, 844).await?;
    phone.sign_in(&stack, "oli@example.com", PASSWORD).await?;
    phone.prefer_language("ko").await?;
    phone.goto(&stack.url("/hana")).await?;
    phone.click("[data-testid=report] summary").await?;
    phone
        .wait_for_text("[data-testid=report] legend", "어떤 문제인가요?", WAIT)
        .await?;
    phone
        .js("document.querySelector('[data-testid=report]').scrollIntoView()")
        .await?;
    phone.screenshot("report-form-ko-phone").await?;
    phone.close().await?;

    let streamer = Browser::launch().await?;
    streamer
        .sign_in(&stack, "hana@example.com", PASSWORD)
        .await?;
    streamer.goto(&stack.url("/hana")).await?;
    streamer.wait(".channel-info").await?;
    let own = streamer
        .js("return document.querySelector('[data-testid=report]') === null")
        .await?;
    assert_eq!(own, true, "nobody reports their own channel");
    streamer.close().await?;

    // The queue on a desktop, in English, then where it is settled: a phone, in Korean.
    let desk = Browser::launch().await?;
    desk.sign_in(&stack, "sam@example.com", PASSWORD).await?;
    desk.prefer_language("en").await?;
    desk.goto(&stack.url("/staff/reports")).await?;
    desk.wait_for_text("[data-testid=report-item]", "Hateful conduct", WAIT)
        .await?;
    desk.screenshot("staff-reports-en-desktop").await?;
    desk.close().await?;
    let staff = Browser::launch_sized(390, 844).await?;
    staff.sign_in(&stack, "sam@example.com", PASSWORD).await?;
    staff.prefer_language("ko").await?;
    staff.goto(&stack.url("/")).await?;
    staff.click(".topbar nav a[href='/staff/reports']").await?;
    staff
        .wait_for_text("[data-testid=report-item]", "혐오 행위", WAIT)
        .await?;
    let item = staff
        .js("return document.querySelector('[data-testid=report-item]').innerText")
        .await?;
    let item = item.as_str().unwrap_or_default();
    for expected in [
        "채널",
        "하나 @hana",
        "Slurs in the title since 9 pm",
        "@oli",
    ] {
        assert!(item.contains(expected), "{expected:?} in {item:?}");
    }
    assert!(
        !item.contains("삭제 조치"),
        "a channel is not taken down: {item:?}"
    );
    findings.extend(accessibility_findings(&staff, "staff-reports").await?);
    staff.screenshot("staff-reports-ko-phone").await?;
    staff
        .click("[data-testid=report-item] button.secondary")
        .await?;
    staff
        .wait_for_text("[data-testid=reports] [role=status]", "처리했습니다", WAIT)
        .await?;
    staff
        .wait_for_text("[data-testid=reports]", "처리할 신고가 없습니다", WAIT)
        .await?;
    staff.screenshot("staff-reports-settled-ko-phone").await?;
    staff.close().await?;
    // The reporter hears what became of it: the bell counts it, its page says what staff found.
    let viewer = Browser::launch().await?;
    viewer.sign_in(&stack, "oli@example.com", PASSWORD).await?;
    viewer.prefer_language("en").await?;
    viewer.goto(&stack.url("/")).await?;
    viewer
        .wait_for_text("[data-testid=bell-count]", "1", WAIT)
        .await?;
    viewer.click("[data-testid=bell]").await?;
    viewer
        .wait_for_text(
            "[data-testid=notifications] .notification",
            "We reviewed your report: we found no rule broken, so it stays.",
            WAIT,
        )
        .await?;
    findings.extend(accessibility_findings(&viewer, "notifications-report-reviewed").await?);
    viewer
        .screenshot("notifications-report-reviewed-en-desktop")
        .await?;
    viewer.close().await?;
    assert!(findings.is_empty(), "{findings:#?}");
    stack.stack.shutdown().await?;
    Ok(())
}

/// Whether the channel is live, as the API says.
async fn is_live(stack: &TestStack, handle: &str) -> Result<bool> {
    let channel: serde_json::Value = reqwest::get(stack.url(&format!("/api/v1/channels/{handle}")))
        .await?
        .json()
        .await?;
    Ok(channel["live"] == true)
}

/// A live channel reported for violence is suspended from the staff's queue: its broadcast
/// stops and ffmpeg, cut off, cannot come back with the key it had; the viewer on its page is
/// told it is suspended (English, desktop) and its streamer why, on the dashboard (Korean,
/// phone), where they appeal. Staff lift it on appeal from their queue, and it goes live again
/// with its new key; the streamer's and the reporter's notifications say what was decided.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reported_live_channel_is_suspended_off_the_air_until_staff_lift_it() -> Result<()> {
    let stack = TestStack::start_with_staff(true, &["sam@example.com"]).await?;
    let key = streamer(&stack, "hana@example.com", "hana", "하나").await?;
    stack
        .account("oli@example.com", PASSWORD, "oli", "Oli")
        .await?;
    stack
        .account("sam@example.com", PASSWORD, "sam", "Sam")
        .await?;
    let mut ffmpeg = publish(&format!("{}{key}", stack.stack.rtmp_url()), 180)?;
    let started = Instant::now();
    while !is_live(&stack, "hana").await? {
        anyhow::ensure!(
            started.elapsed() < Duration::from_secs(60),
            "never went live"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }

    let viewer = Browser::launch().await?;
    viewer.sign_in(&stack, "oli@example.com", PASSWORD).await?;
    viewer.goto(&stack.url("/hana")).await?;
    viewer.wait(".player[data-player-state=Playing]").await?;
    viewer.click("[data-testid=report] summary").await?;
    viewer
        .click("input[name=report-reason][value=violence]")
        .await?;
    viewer
        .click("[data-testid=report] button[type=submit]")
        .await?;
    viewer
        .wait_for_text(
            "[data-testid=report] [role=status]",
            "Our staff will look at it",
            WAIT,
        )
        .await?;

    let staff = Browser::launch().await?;
    staff.sign_in(&stack, "sam@example.com", PASSWORD).await?;
    staff.goto(&stack.url("/staff/reports")).await?;
    staff
        .wait_for_text("[data-testid=report-item]", "Violence or threats", WAIT)
        .await?;
    // For a week (it ends by itself; the domain's tests follow it to its end).
    staff
        .js(
            "const s = document.querySelector('select[name=suspension-length]'); \
             s.value = '3'; s.dispatchEvent(new Event('change'));",
        )
        .await?;
    let length = staff
        .js(
            "const s = document.querySelector('select[name=suspension-length]'); \
             return s.options[s.selectedIndex].text",
        )
        .await?;
    assert_eq!(length, "7 days");
    staff
        .click("[data-testid=report-item] button.danger")
        .await?;
    staff
        .wait_for_text("[data-testid=reports] [role=status]", "Settled", WAIT)
        .await?;
    // Off the air: the ingest dropped the encoder, and the channel is not live.
    let ended = tokio::time::timeout(WAIT, ffmpeg.wait()).await;
    anyhow::ensure!(
        ended.is_ok(),
        "ffmpeg still publishing after the suspension"
    );
    let stopped = Instant::now();
    while is_live(&stack, "hana").await? {
        anyhow::ensure!(stopped.elapsed() < WAIT, "still live after the suspension");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    // The viewer's page hears the end and says why nothing plays.
    viewer
        .wait_for_text(
            ".player.suspended",
            "suspended for breaking Cloumer's rules",
            WAIT,
        )
        .await?;
    viewer.screenshot("channel-suspended-en-desktop").await?;
    viewer.close().await?;
    // The key it had publishes nothing.
    let mut again = publish(&format!("{}{key}", stack.stack.rtmp_url()), 30)?;
    let refused = tokio::time::timeout(WAIT, again.wait()).await;
    anyhow::ensure!(refused.is_ok(), "the old key still publishes");
    anyhow::ensure!(!is_live(&stack, "hana").await?, "live with the old key");

    let owner = Browser::launch_sized(390, 844).await?;
    owner.sign_in(&stack, "hana@example.com", PASSWORD).await?;
    owner.prefer_language("ko").await?;
    owner.goto(&stack.url("/dashboard")).await?;
    owner
        .wait_for_text(".suspended-notice", "운영진이 채널을 정지했습니다", WAIT)
        .await?;
    // Why, to its owner: the rule staff found broken (the viewer's report's), since when and
    // until when (a week from now, in Korean).
    owner
        .wait_for_text(
            "[data-testid=suspended-why]",
            "위반한 규칙: 폭력 또는 위협",
            WAIT,
        )
        .await?;
    let why = owner
        .js("return document.querySelector('[data-testid=suspended-why]').innerText")
        .await?;
    let why = why.as_str().unwrap_or_default();
    let week_on = owner
        .js("return new Date(Date.now() + 7 * 86400000) \
             .toLocaleDateString('ko', {year: 'numeric', month: 'short', day: 'numeric'})")
        .await?;
    let week_on = week_on.as_str().unwrap_or_default();
    anyhow::ensure!(
        why.contains(week_on) && why.ends_with("까지"),
        "the suspension's end ({week_on}) is not in {why:?}"
    );
    // The streamer appeals, once: the form gives way to when they did.
    owner
        .fill(
            "textarea[name=appeal-words]",
            "영화 예고편이었습니다. 실제 폭력이 아닙니다.",
        )
        .await?;
    owner.screenshot("dashboard-appeal-ko-phone").await?;
    owner
        .click("[data-testid=appeal] button[type=submit]")
        .await?;
    owner
        .wait_for_text(
            "[data-testid=appeal] [role=status]",
            "이의를 제기했습니다",
            WAIT,
        )
        .await?;
    assert_accessible(&owner, "dashboard-appealed").await?;
    owner.screenshot("dashboard-suspended-ko-phone").await?;

    // Staff could lift it from its page; they answer the appeal in their queue instead, and it
    // streams again, with a new key.
    staff.goto(&stack.url("/hana")).await?;
    staff
        .wait_for_text(".player.suspended button", "Lift the suspension", WAIT)
        .await?;
    staff.goto(&stack.url("/staff/reports")).await?;
    staff
        .wait_for_text(
            "[data-testid=report-item].appeal",
            "영화 예고편이었습니다",
            WAIT,
        )
        .await?;
    let item = staff
        .js("return document.querySelector('[data-testid=report-item].appeal').innerText")
        .await?;
    let item = item.as_str().unwrap_or_default();
    for expected in [
        // Its kind is drawn in capitals.
        "APPEAL AGAINST A SUSPENSION 하나 @hana",
        "Suspended for: Violence or threats",
        "Appealed by @hana",
    ] {
        assert!(item.contains(expected), "{expected:?} in {item:?}");
    }
    assert_accessible(&staff, "staff-appeal").await?;
    staff.screenshot("staff-appeal-en-desktop").await?;
    staff
        .click("[data-testid=report-item].appeal button:not(.secondary)")
        .await?;
    staff
        .wait_for_text("[data-testid=reports] [role=status]", "Settled", WAIT)
        .await?;
    staff.goto(&stack.url("/hana")).await?;
    staff
        .wait_for_text(".player.offline", "offline", WAIT)
        .await?;
    staff.close().await?;
    let new_key = stream_key(&owner).await?;
    assert_ne!(new_key, key, "the key it had stays dead");
    let mut back = publish(&format!("{}{new_key}", stack.stack.rtmp_url()), 60)?;
    let restarted = Instant::now();
    while !is_live(&stack, "hana").await? {
        anyhow::ensure!(
            restarted.elapsed() < Duration::from_secs(60),
            "never live again"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    back.kill().await?;
    // The streamer's notifications say both decisions, newest first; the reporter's, the outcome.
    owner.goto(&stack.url("/notifications")).await?;
    owner
        .wait_for_text(
            "[data-testid=notifications] .notification",
            "채널 정지가 해제되었습니다",
            WAIT,
        )
        .await?;
    let told = owner
        .js("return [...document.querySelectorAll('[data-testid=notifications] .notification')].map(n => n.innerText)")
        .await?;
    let told: Vec<String> = serde_json::from_value(told)?;
    assert!(
        told.len() == 2
            && told[0].contains("대시보드에서 새 스트림 키를 받아 다시 방송할 수 있습니다.")
            && told[1].contains("내 채널이 정지되었습니다. 위반한 규칙: 폭력 또는 위협 · ")
            && told[1].contains(week_on),
        "{told:?}"
    );
    assert_accessible(&owner, "notifications-staff-decisions").await?;
    owner
        .screenshot("notifications-staff-decisions-ko-phone")
        .await?;
    owner.close().await?;
    let viewer = Browser::launch_sized(390, 844).await?;
    viewer.sign_in(&stack, "oli@example.com", PASSWORD).await?;
    viewer.prefer_language("en").await?;
    viewer.goto(&stack.url("/notifications")).await?;
    viewer
        .wait_for_text(
            "[data-testid=notifications] .notification",
            "it broke our rules, and the channel is suspended.",
            WAIT,
        )
        .await?;
    viewer
        .screenshot("notifications-report-reviewed-en-phone")
        .await?;
    viewer.close().await?;
    stack.stack.shutdown().await?;
    Ok(())
}

/// axe-core's findings on the page as it is now (WCAG 2.x A and AA), each headed by `page`;
/// a screenshot is kept of a page with any.
async fn accessibility_findings(browser: &Browser, page: &str) -> Result<Vec<String>> {
    let violations = browser.accessibility_violations().await?;
    if !violations.is_empty() {
        let name: String = page
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        browser.screenshot(&format!("axe{name}")).await?;
    }
    Ok(violations
        .into_iter()
        .map(|v| format!("{page}: {v}"))
        .collect())
}

/// Fails with axe-core's findings unless the page as it is now meets WCAG 2.x A and AA.
async fn assert_accessible(browser: &Browser, page: &str) -> Result<()> {
    let found = accessibility_findings(browser, page).await?;
    anyhow::ensure!(found.is_empty(), "WCAG violations:\n{}", found.join("\n"));
    Ok(())
}

/// Opens `path` and waits for `ready` and for loading to finish.
async fn open_page(browser: &Browser, stack: &TestStack, path: &str, ready: &str) -> Result<()> {
    browser.goto(&stack.url(path)).await?;
    browser.wait(ready).await?;
    browser
        .wait_until(
            "return document.querySelectorAll('.loading, [aria-busy=true]').length === 0",
            "loaded",
        )
        .await
}

/// Opens `path`, waits for `ready` and for loading to finish, and returns axe's findings.
async fn check_page(
    browser: &Browser,
    stack: &TestStack,
    path: &str,
    ready: &str,
) -> Result<Vec<String>> {
    open_page(browser, stack, path, ready).await?;
    accessibility_findings(browser, &format!("{path} ({ready})")).await
}

/// Everything the page says once it has settled (the same over half a second: parts of a page
/// load after its loading markers are gone): its title (the tab's name), its text, and the
/// labels, hints and titles a screen reader or a pointer reads.
async fn page_words(browser: &Browser) -> Result<String> {
    let mut last = String::new();
    for _ in 0..40 {
        let words = browser
            .js("const said = [...document.querySelectorAll('[aria-label], [placeholder], [title]')]
                   .map(e => ['aria-label', 'placeholder', 'title']
                     .map(a => e.getAttribute(a)).filter(Boolean).join(' | '));
                 return document.title + '\\n' + document.body.innerText + '\\n' + said.join('\\n');")
            .await?;
        let words = words.as_str().unwrap_or_default().to_owned();
        if words == last {
            return Ok(words);
        }
        last = words;
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    anyhow::bail!("the page kept changing: {last}")
}

/// Switching the language with the header's menu redraws the page as it reads when loaded in
/// that language: every word the interface says, not only what is drawn after the switch, and
/// the tab's title (which names the page in each language). The guest is on a phone, the
/// streamer on a laptop.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn switching_the_language_redraws_each_page_as_if_it_had_loaded_in_it() -> Result<()> {
    let stack = TestStack::start(false).await?;
    stack
        .account("lang@example.com", PASSWORD, "lang_show", "Lingo")
        .await?;
    let guest = Browser::launch_sized(420, 860).await?;
    let owner = Browser::launch().await?;
    owner.sign_in(&stack, "lang@example.com", PASSWORD).await?;
    let mut differences = Vec::new();
    for (browser, path, ready, english, korean) in [
        (&guest, "/", "h1", "Cloumer", "Cloumer"),
        (&guest, "/signin", "form", "Sign in", "로그인"),
        (&guest, "/signup", "form", "Sign up", "회원가입"),
        (
            &guest,
            "/browse",
            "[data-testid=browse-results]",
            "Browse",
            "탐색",
        ),
        (&guest, "/lang_show", ".chat-state", "Lingo", "Lingo"),
        (&owner, "/", "h1", "Cloumer", "Cloumer"),
        (
            &owner,
            "/dashboard",
            "[data-testid=live-state]",
            "Creator dashboard",
            "크리에이터 대시보드",
        ),
        (
            &owner,
            "/profile",
            "select#lang",
            "Your profile",
            "내 프로필",
        ),
        (&owner, "/notifications", "h1", "Notifications", "알림"),
        (&owner, "/lang_show", ".chat-form", "Lingo", "Lingo"),
    ] {
        let titled = |name: &str| match name {
            "Cloumer" => name.to_owned(),
            name => format!("{name} · Cloumer"),
        };
        browser.prefer_language("en").await?;
        open_page(browser, &stack, path, ready).await?;
        browser.wait_title(&titled(english)).await?;
        browser
            .js("const s = document.querySelector('select#lang');
                 s.value = 'ko'; s.dispatchEvent(new Event('change'));")
            .await?;
        browser
            .wait_until("return document.documentElement.lang === 'ko'", "Korean")
            .await?;
        browser.wait_title(&titled(korean)).await?;
        let switched = page_words(browser).await?;
        let name = match path
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
        {
            name if name.is_empty() => "home".to_owned(),
            name => name,
        };
        let width = if std::ptr::eq(browser, &guest) {
            "phone"
        } else {
            "desktop"
        };
        browser
            .screenshot(&format!("switched-ko-{name}-{width}"))
            .await?;
        // Loaded again: the choice is kept, so the page now starts in Korean.
        open_page(browser, &stack, path, ready).await?;
        let loaded = page_words(browser).await?;
        if switched != loaded {
            differences.push(format!(
                "{path}: switched to Korean:\n{switched}\n--- loaded in Korean:\n{loaded}"
            ));
        }
    }
    guest.close().await?;
    owner.close().await?;
    stack.stack.shutdown().await?;
    anyhow::ensure!(differences.is_empty(), "{}", differences.join("\n\n"));
    Ok(())
}

/// axe-core on every page without video (the player's pages are checked by the player and
/// replay tests): signed out, signed in, the dashboard, in English and in Korean.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_meets_wcag_a_and_aa() -> Result<()> {
    let stack = TestStack::start(false).await?;
    stack
        .account("a11y@example.com", PASSWORD, "a11y_show", "Accessible")
        .await?;
    let mut found = Vec::new();
    let guest = Browser::launch().await?;
    for (path, ready) in [
        ("/", "h1"),
        ("/signin", "form"),
        ("/signup", "form"),
        ("/a11y_show", ".chat-state"),
        ("/nobody_here", "h1"),
        ("/embed/a11y_show", ".embed .player.offline"),
        ("/embed/nobody_here", ".embed .player.offline"),
        ("/confirm?email=a11y%40example.com", "form"),
        (
            "/unsubscribe?token=not-a-token",
            "main h1, main [role=alert]",
        ),
    ] {
        found.extend(check_page(&guest, &stack, path, ready).await?);
    }
    let owner = Browser::launch().await?;
    owner.sign_in(&stack, "a11y@example.com", PASSWORD).await?;
    for (path, ready) in [
        ("/", "h1"),
        ("/dashboard", "[data-testid=live-state]"),
        ("/profile", "select#lang"),
        ("/notifications", "h1"),
        ("/a11y_show", ".chat-form"),
    ] {
        found.extend(check_page(&owner, &stack, path, ready).await?);
    }
    owner.prefer_language("ko").await?;
    for (path, ready) in [("/", "h1"), ("/dashboard", "[data-testid=live-state]")] {
        found.extend(check_page(&owner, &stack, path, ready).await?);
    }
    guest.close().await?;
    owner.close().await?;
    stack.stack.shutdown().await?;
    anyhow::ensure!(found.is_empty(), "WCAG violations:\n{}", found.join("\n"));
    Ok(())
}

/// A browser the IVS player cannot run in (no Media Source Extensions, say) is told so over the
/// picture, with no controls that would do nothing. The player script is replaced by one that
/// says it is unsupported, as the real one does in such a browser.
#[tokio::test]
async fn a_browser_that_cannot_play_video_is_told_so() -> Result<()> {
    use cloumer_domain::ids::{RecordingId, StreamId};
    use cloumer_domain::recording::{RecordingEvent, RecordingEventKind};

    let dist = tempfile::tempdir()?;
    copy_dir(&dist_dir()?, dist.path())?;
    std::fs::write(
        dist.path().join("ivs-player.js"),
        "window.IVSPlayer = { isPlayerSupported: false };",
    )?;
    remove_compressed_copies(&dist.path().join("ivs-player.js"))?;
    let stack = TestStack::start_serving(false, dist.path().to_path_buf()).await?;
    let channel = stack
        .stack
        .platform()
        .ensure_account(&cloumer_domain::Identity {
            user_id: cloumer_domain::ids::UserId::parse("u-old")?,
            username: "old@example.com".into(),
            preferred_handle: Some("old_browser".into()),
            nickname: Some("Old".into()),
            email: Some("old@example.com".into()),
            signed_in_at: None,
            staff: false,
        })
        .await?
        .channel
        .id;
    let now = stack.stack.platform().now();
    for (kind, at) in [
        (RecordingEventKind::Started, 60),
        (RecordingEventKind::Ended, 0),
    ] {
        let ended = kind == RecordingEventKind::Ended;
        stack
            .stack
            .platform()
            .handle_recording_event(&RecordingEvent {
                channel_id: channel.clone(),
                recording_id: RecordingId::parse("rec-old")?,
                stream_id: Some(StreamId::parse("st-old")?),
                kind,
                at: now - time::Duration::seconds(at),
                duration_ms: ended.then_some(60_000),
                playlist_url: ended.then(|| "/recordings/x/rec-old/index.m3u8".to_owned()),
                thumbnail_url: None,
                live_thumbnail_url: None,
                private: None,
            })
            .await?;
    }
    for (width, lang, text, shot) in [
        (
            1280,
            "en",
            "This browser cannot play the stream.",
            "player-unsupported",
        ),
        (
            420,
            "ko",
            "이 브라우저에서는 재생할 수 없습니다.",
            "player-unsupported-ko-phone",
        ),
    ] {
        let browser = Browser::launch_sized(width, 860).await?;
        browser.goto(&stack.url("/")).await?;
        browser.prefer_language(lang).await?;
        browser.goto(&stack.url("/videos/rec-old")).await?;
        browser
            .wait_for_text(".player-overlay[role=alert]", text, WAIT)
            .await?;
        assert_eq!(
            browser
                .js("return document.querySelectorAll('.player .player-bar').length")
                .await?,
            0,
            "no controls for a player that cannot play"
        );
        browser.screenshot(shot).await?;
        browser.close().await?;
    }
    stack.stack.shutdown().await?;
    Ok(())
}

/// Sets the signed-in streamer's title and category through the API, as the dashboard does.
async fn set_stream(browser: &Browser, title: &str, category: &str) -> Result<()> {
    let status = browser
        .js(&format!(
            "const s = JSON.parse(localStorage.getItem('cloumer.session')); \
             const r = await fetch('/api/v1/me/channel', {{ method: 'PATCH', \
               headers: {{ authorization: 'Bearer ' + s.id_token, 'content-type': 'application/json' }}, \
               body: JSON.stringify({{ title: {title:?}, category: {category:?} }}) }}); \
             return r.status;"
        ))
        .await?;
    anyhow::ensure!(status == 200, "setting the stream: {status}");
    Ok(())
}

/// The handles the browse page lists now, in order.
async fn browse_results(browser: &Browser) -> Result<Vec<String>> {
    let handles = browser
        .js(
            "return [...document.querySelectorAll('[data-testid=browse-results] .card-meta')] \
               .map(m => m.textContent.split('@').pop());",
        )
        .await?;
    Ok(serde_json::from_value(handles)?)
}

/// Waits until the browse page lists exactly `expected` (it searches as typing pauses).
async fn wait_for_results(browser: &Browser, expected: &[&str]) -> Result<()> {
    let deadline = Instant::now() + WAIT;
    loop {
        let shown = browse_results(browser).await?;
        if shown == expected {
            return Ok(());
        }
        if Instant::now() >= deadline {
            browser.screenshot("browse-failed").await?;
            let address = browser.js("return location.href").await?;
            anyhow::bail!("browse at {address} shows {shown:?}, not {expected:?}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Finding streams: a search over titles, handles and nicknames, category chips (curated
/// categories with their live counts), live channels first, the address carrying the search
/// (Back returns to the previous one), a card's category opening its listing, the dashboard
/// suggesting the curated categories; English and Korean, desktop and phone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_viewer_searches_the_directory_and_filters_by_category() -> Result<()> {
    let stack = TestStack::start(true).await?;
    for (email, handle, nickname) in [
        ("ana@example.com", "jazz_ana", "Ana"),
        ("bo@example.com", "brush_bo", "보영"),
        ("cy@example.com", "keys_cy", "Cy"),
    ] {
        stack.account(email, PASSWORD, handle, nickname).await?;
    }
    let setup = Browser::launch().await?;
    for (email, title, category) in [
        ("ana@example.com", "Late night jazz piano", "Music"),
        ("bo@example.com", "Watercolour harbour", "Art"),
    ] {
        setup.sign_in(&stack, email, PASSWORD).await?;
        set_stream(&setup, title, category).await?;
        setup.js("localStorage.clear()").await?;
    }
    setup.close().await?;

    // The streamer picks a category the dashboard suggests (typed in lower case) and goes live.
    let streamer = Browser::launch().await?;
    streamer.sign_in(&stack, "cy@example.com", PASSWORD).await?;
    streamer.goto(&stack.url("/dashboard")).await?;
    streamer
        .wait("#categories option[value='Software Development']")
        .await?;
    streamer.fill("input[name=title]", "Piano scales").await?;
    streamer.fill("input[name=category]", "music").await?;
    // A new channel has no language yet: the choice asks for one.
    let unchosen = streamer
        .js("const s = document.querySelector('select[name=language]'); return [s.value, s.selectedOptions[0].textContent]")
        .await?;
    assert_eq!(
        unchosen,
        serde_json::json!(["", "Choose the language you stream in"])
    );
    // Source only: no ladder to transcode (IVS BASIC), and streamed in Korean; both kept when
    // the dashboard is opened again.
    streamer
        .js(
            "for (const [name, value] of [['channel-type', 'BASIC'], ['language', 'ko']]) { \
               const s = document.querySelector(`select[name=${name}]`); s.value = value; \
               s.dispatchEvent(new Event('change')); }",
        )
        .await?;
    streamer
        .click("[aria-labelledby=settings-heading] button[type=submit]")
        .await?;
    streamer
        .wait_for_text("[aria-labelledby=settings-heading] .info", "Saved", WAIT)
        .await?;
    streamer.goto(&stack.url("/dashboard")).await?;
    streamer.wait("select[name=channel-type]").await?;
    let chosen = streamer
        .js("return ['channel-type', 'language'].map(n => document.querySelector(`select[name=${n}]`).value)")
        .await?;
    assert_eq!(chosen, serde_json::json!(["BASIC", "ko"]));
    let show_settings =
        "document.querySelector('[aria-labelledby=settings-heading]').scrollIntoView()";
    streamer.js(show_settings).await?;
    streamer.screenshot("dashboard-settings").await?;
    let phone = Browser::launch_sized(420, 860).await?;
    phone.sign_in(&stack, "cy@example.com", PASSWORD).await?;
    phone.goto(&stack.url("/dashboard")).await?;
    phone.wait("select#lang").await?;
    phone
        .js("const s = document.querySelector('select#lang'); s.value = 'ko'; s.dispatchEvent(new Event('change'));")
        .await?;
    phone
        .wait_for_text("[aria-labelledby=settings-heading]", "영상 화질", WAIT)
        .await?;
    phone.js(show_settings).await?;
    phone.screenshot("dashboard-settings-ko-phone").await?;
    phone.close().await?;
    let key = stream_key(&streamer).await?;
    let mut ffmpeg = publish(&format!("{}{key}", stack.stack.rtmp_url()), 90)?;

    let viewer = Browser::launch().await?;
    viewer.goto(&stack.url("/")).await?;
    viewer
        .wait_for_text("[data-testid=live-grid]", "Piano scales", WAIT)
        .await?;
    viewer.click("nav a[href='/browse']").await?;
    viewer.wait_for_text("h1", "Browse", WAIT).await?;
    wait_for_results(&viewer, &["keys_cy", "brush_bo", "jazz_ana"]).await?;
    // "music" was stored as the curated "Music"; its chip counts the live channel.
    viewer.wait_for_text(".chips", "Music1 live", WAIT).await?;

    viewer.fill("#browse-q", "PIANO").await?;
    wait_for_results(&viewer, &["keys_cy", "jazz_ana"]).await?;
    let address = viewer.js("return location.search").await?;
    assert_eq!(address, "?q=PIANO");
    viewer.fill("#browse-q", "@brush").await?;
    wait_for_results(&viewer, &["brush_bo"]).await?;
    viewer.fill("#browse-q", "보영").await?;
    wait_for_results(&viewer, &["brush_bo"]).await?;

    // A chip narrows the search; one that matches nothing says so and offers every channel.
    // Emptied by a key, as a user does (clearing a field by script fires no input event).
    viewer.fill("#browse-q", "x").await?;
    viewer.press("#browse-q", "\u{E003}").await?;
    wait_for_results(&viewer, &["keys_cy", "brush_bo", "jazz_ana"]).await?;
    viewer
        .js("[...document.querySelectorAll('.chip')].find(c => c.textContent.startsWith('Music')).click()")
        .await?;
    wait_for_results(&viewer, &["keys_cy", "jazz_ana"]).await?;
    let pressed = viewer
        .js("return document.querySelector('.chip[aria-pressed=true]').textContent")
        .await?;
    assert_eq!(pressed, "Music1 live");
    viewer.fill("#browse-q", "harbour").await?;
    viewer
        .wait_for_text("[data-testid=browse]", "No channel matches", WAIT)
        .await?;
    assert_eq!(
        viewer.js("return location.search").await?,
        "?q=harbour&category=Music"
    );
    // Back returns to the category without the search.
    viewer.js("history.back()").await?;
    wait_for_results(&viewer, &["keys_cy", "jazz_ana"]).await?;
    assert_eq!(
        viewer.js("return location.search").await?,
        "?category=Music"
    );
    assert_eq!(
        viewer
            .js("return document.querySelector('#browse-q').value")
            .await?,
        ""
    );
    assert_accessible(&viewer, "/browse?category=Music").await?;
    viewer.screenshot("browse").await?;
    // The language streamed in narrows it too, each language by its own name.
    viewer
        .js("const s = document.querySelector('select[name=language]'); s.value = 'ko'; s.dispatchEvent(new Event('change'));")
        .await?;
    wait_for_results(&viewer, &["keys_cy"]).await?;
    assert_eq!(
        viewer.js("return location.search").await?,
        "?category=Music&language=ko"
    );
    viewer.screenshot("browse-language").await?;
    // The channel's page names its language, which opens the streams in it.
    viewer.goto(&stack.url("/keys_cy")).await?;
    viewer
        .wait_for_text(".channel-meta a.stream-language[lang=ko]", "한국어", WAIT)
        .await?;
    viewer.screenshot("channel-language").await?;
    viewer.click(".channel-meta a.stream-language").await?;
    wait_for_results(&viewer, &["keys_cy"]).await?;
    assert_eq!(viewer.js("return location.search").await?, "?language=ko");

    // A card's category opens that category's listing.
    viewer.goto(&stack.url("/")).await?;
    viewer
        .wait_for_text("[data-testid=live-grid]", "Piano scales", WAIT)
        .await?;
    viewer
        .click("[data-testid=live-grid] a.card-category")
        .await?;
    wait_for_results(&viewer, &["keys_cy", "jazz_ana"]).await?;
    viewer
        .click("[data-testid=browse] a[href='/browse']")
        .await?;
    wait_for_results(&viewer, &["keys_cy", "brush_bo", "jazz_ana"]).await?;
    // And its language, by its own name, the streams in that language (a channel that chose
    // none names none).
    viewer.goto(&stack.url("/")).await?;
    viewer
        .wait_for_text(
            "[data-testid=live-grid] a.card-language[lang=ko]",
            "한국어",
            WAIT,
        )
        .await?;
    assert_eq!(
        viewer
            .js("return document.querySelectorAll('.card-language').length")
            .await?,
        1
    );
    viewer.screenshot("home-card-language").await?;
    viewer
        .click("[data-testid=live-grid] a.card-language")
        .await?;
    wait_for_results(&viewer, &["keys_cy"]).await?;
    assert_eq!(viewer.js("return location.search").await?, "?language=ko");

    // Korean: the curated categories in Korean, the stored names unchanged.
    viewer.prefer_language("ko").await?;
    viewer.goto(&stack.url("/browse?category=Art")).await?;
    viewer.wait_for_text("h1", "탐색", WAIT).await?;
    wait_for_results(&viewer, &["brush_bo"]).await?;
    viewer
        .wait_for_text(".chip[aria-pressed=true]", "미술", WAIT)
        .await?;
    viewer
        .wait_for_text("[data-testid=browse-results] .card-category", "미술", WAIT)
        .await?;
    assert_accessible(&viewer, "/browse?category=Art (ko)").await?;
    viewer.screenshot("browse-ko").await?;
    let phone = Browser::launch_sized(390, 844).await?;
    for (lang, name) in [("en", "browse-phone"), ("ko", "browse-ko-phone")] {
        phone.goto(&stack.url("/browse?q=piano")).await?;
        phone.prefer_language(lang).await?;
        phone.goto(&stack.url("/browse?q=piano")).await?;
        wait_for_results(&phone, &["keys_cy", "jazz_ana"]).await?;
        phone.screenshot(name).await?;
    }
    phone.goto(&stack.url("/keys_cy")).await?;
    phone
        .wait_for_text(".channel-meta a.stream-language", "한국어", WAIT)
        .await?;
    phone.screenshot("channel-language-ko-phone").await?;
    ffmpeg.kill().await?;
    for browser in [streamer, viewer, phone] {
        browser.close().await?;
    }
    stack.stack.shutdown().await?;
    Ok(())
}

/// A phone (420 × 860) whose browser prefers Korean, signed in as `email`: how the tests look
/// at a page at the other width in the other language.
async fn korean_phone(stack: &TestStack, email: &str) -> Result<Browser> {
    let phone = Browser::launch_sized(420, 860).await?;
    phone.sign_in(stack, email, PASSWORD).await?;
    phone.prefer_language("ko").await?;
    Ok(phone)
}

/// Sends `signal` (e.g. `STOP`, `CONT`) to process `pid`.
fn signal(pid: u32, signal: &str) -> Result<()> {
    let status = std::process::Command::new("kill")
        .arg(format!("-{signal}"))
        .arg(pid.to_string())
        .status()?;
    anyhow::ensure!(status.success(), "kill -{signal} {pid}: {status}");
    Ok(())
}

/// The states a viewer meets when the video stops coming: the encoder freezes (as a dropped
/// uplink does) and the player says it is buffering, then plays on when the video comes back;
/// the viewer's own connection drops and the page says so in words, then catches up as soon as
/// the connection is back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_stream_and_a_lost_connection_each_say_so_and_recover() -> Result<()> {
    let stack = TestStack::start(true).await?;
    let key = streamer(&stack, "stall@example.com", "stall_show", "Stall Show").await?;
    let mut ffmpeg = publish(&format!("{}{key}", stack.stack.rtmp_url()), 120)?;
    let viewer = Browser::launch().await?;
    viewer.goto(&stack.url("/stall_show")).await?;
    viewer.wait(".player[data-player-state=Playing]").await?;

    let pid = ffmpeg.id().context("ffmpeg's process id")?;
    signal(pid, "STOP")?;
    let frozen = signal_guard(pid);
    viewer
        .wait_for_text(".player-overlay[role=status]", "Buffering", WAIT)
        .await?;
    // It shows once it has lasted half a second.
    viewer
        .wait_until(
            "return getComputedStyle(document.querySelector('.player-overlay.waiting')).opacity === '1'",
            "the buffering overlay shown",
        )
        .await?;
    viewer.screenshot("player-buffering").await?;
    drop(frozen);
    viewer.wait_gone(".player-overlay", "Buffering").await?;
    viewer.wait(".player[data-player-state=Playing]").await?;

    let mut devtools = viewer.devtools().await?;
    let page = devtools.attach_to_page(&stack.url("/stall_show")).await?;
    devtools
        .call(Some(&page), "Network.enable", serde_json::json!({}))
        .await?;
    let conditions = |offline: bool| serde_json::json!({"offline": offline, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1});
    devtools
        .call(
            Some(&page),
            "Network.emulateNetworkConditions",
            conditions(true),
        )
        .await?;
    // The page's own refresh fails and says why, in words; the picture plays on from what the
    // player holds (DevTools' emulation does not reach the IVS player's worker, so its own
    // offline message is not what this shows).
    viewer
        .wait_for_text(".failed[role=alert]", "You are offline", WAIT)
        .await?;
    let shown = viewer
        .js("return document.querySelector('.failed').innerText")
        .await?;
    assert!(
        !shown.to_string().contains("Failed to fetch"),
        "the browser's words are not for viewers: {shown}"
    );
    viewer.wait(".player video").await?;
    viewer.screenshot("page-network-offline").await?;
    devtools
        .call(
            Some(&page),
            "Network.emulateNetworkConditions",
            conditions(false),
        )
        .await?;
    // Back online, the page catches up at once, not at its next refresh.
    let back = Instant::now();
    viewer.wait_gone(".failed", "You are offline").await?;
    assert!(
        back.elapsed() < Duration::from_secs(5),
        "caught up {:?} after the connection came back",
        back.elapsed()
    );
    viewer.wait(".player[data-player-state=Playing]").await?;
    ffmpeg.kill().await?;
    viewer.close().await?;
    stack.stack.shutdown().await?;
    Ok(())
}

/// A viewer who arrives as a broadcast starts (from its go-live push, say) sees it loading
/// until its first segment is written, then playing; never that it cannot be played.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_viewer_arriving_as_the_broadcast_starts_sees_it_load_not_fail() -> Result<()> {
    let stack = TestStack::start(true).await?;
    let key = streamer(&stack, "prompt@example.com", "prompt_show", "Prompt Show").await?;
    let viewer = Browser::launch().await?;
    viewer.goto(&stack.url("/")).await?;
    let mut ffmpeg = publish(&format!("{}{key}", stack.stack.rtmp_url()), 120)?;
    tokio::time::timeout(WAIT, async {
        while !stack
            .stack
            .platform()
            .channel_page("prompt_show", None)
            .await?
            .channel
            .live
            .is_live()
        {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        anyhow::Ok(())
    })
    .await
    .context("the channel goes live")??;
    // The page is opened the moment the channel is live; whatever the player overlay says
    // until it plays is noted.
    viewer
        .js(
            "window.overlays = []; \
             new MutationObserver(() => { \
               for (const o of document.querySelectorAll('.player-overlay')) \
                 if (!window.overlays.includes(o.innerText)) window.overlays.push(o.innerText); \
             }).observe(document.body, {subtree: true, childList: true, characterData: true}); \
             history.pushState(null, '', '/prompt_show'); dispatchEvent(new PopStateEvent('popstate'));",
        )
        .await?;
    viewer.wait(".player[data-player-state=Playing]").await?;
    let overlays = viewer.js("return window.overlays").await?;
    assert!(
        !overlays.to_string().contains("could not be played"),
        "the player said it failed on its way to playing: {overlays}"
    );
    ffmpeg.kill().await?;
    viewer.close().await?;
    stack.stack.shutdown().await?;
    Ok(())
}

/// Lets a stopped process go on when dropped, so a failing test leaves no frozen encoder.
fn signal_guard(pid: u32) -> impl Drop {
    struct Resume(u32);
    impl Drop for Resume {
        fn drop(&mut self) {
            let _ = signal(self.0, "CONT");
        }
    }
    Resume(pid)
}

/// Makes the first part the page sends fail once (its URL's signature spoiled, so the storage
/// refuses it), and counts the parts sent; `hold_after` parts, the rest are never sent (a
/// connection that died), so the page can be reloaded mid-upload.
async fn watch_part_uploads(
    browser: &Browser,
    fail_first: bool,
    hold_after: Option<u32>,
) -> Result<()> {
    let hold = hold_after.map_or("null".to_owned(), |n| n.to_string());
    browser
        .js(&format!(
            "window.__parts = {{ failed: 0, sent: 0, statuses: [] }};
             const failFirst = {fail_first}, holdAfter = {hold};
             const open = XMLHttpRequest.prototype.open, send = XMLHttpRequest.prototype.send;
             XMLHttpRequest.prototype.open = function (method, url, ...rest) {{
                 this.__part = method === 'PUT' && url.includes('/video-uploads/');
                 if (this.__part && failFirst && window.__parts.failed === 0) {{
                     window.__parts.failed = 1;
                     url = url.replace('Signature=', 'Signature=spoiled');
                 }}
                 return open.call(this, method, url, ...rest);
             }};
             XMLHttpRequest.prototype.send = function (body) {{
                 if (this.__part) {{
                     if (holdAfter !== null && window.__parts.sent >= holdAfter) return;
                     this.addEventListener('load', () => {{ if (this.status === 200) window.__parts.sent++; }});
                 }}
                 return send.call(this, body);
             }};
             new MutationObserver(() => document.querySelectorAll('li.video-row').forEach(row =>
                 window.__parts.statuses.push(row.dataset.status))).observe(document.body, {{ subtree: true, childList: true, attributes: true }});"
        ))
        .await?;
    Ok(())
}

/// How long a 20-second video may take to be probed and transcoded while the other browser
/// tests run beside it (about 10 s on an idle 2-core machine).
const TRANSCODING: Duration = Duration::from_secs(180);

async fn upload_video(browser: &Browser, file: &std::path::Path, title: &str) -> Result<()> {
    choose_file(browser, "#video-file", file).await?;
    browser
        .wait_until(
            "return document.querySelector('#upload-title').value.length > 0",
            "the title taken from the file's name",
        )
        .await?;
    browser.fill("#upload-title", title).await?;
    browser
        .js("document.querySelector('#upload-title').form.requestSubmit()")
        .await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_streamer_uploads_a_video_that_survives_a_failed_part_and_a_reload_and_plays()
-> Result<()> {
    let stack = TestStack::start(false).await?;
    stack
        .account("uploads@example.com", PASSWORD, "uploader", "Uploader")
        .await?;
    let files = tempfile::tempdir()?;
    let video = files.path().join("jeju-trip.mp4");
    cloumer_test_media::write_mp4(&video, 20).await?;
    let notes = files.path().join("notes.mp4");
    std::fs::write(
        &notes,
        "not a video at all, just words in a file called .mp4\n".repeat(50),
    )?;

    let owner = Browser::launch().await?;
    owner
        .sign_in(&stack, "uploads@example.com", PASSWORD)
        .await?;
    owner.goto(&stack.url("/dashboard")).await?;
    owner.wait_for_text(".panel h2", "Videos", WAIT).await?;
    assert_accessible(&owner, "/dashboard (videos)").await?;

    // The first part fails once and is sent again; the progress shows; it is processed and ready.
    watch_part_uploads(&owner, true, None).await?;
    upload_video(&owner, &video, "Jeju trip").await?;
    owner.wait(".upload-progress progress").await?;
    owner.wait_for_text(".upload-figures", "MB/s", WAIT).await?;
    owner.screenshot("video-uploading").await?;
    owner
        .wait_until_within(
            "return !!document.querySelector('li.video-row[data-status=READY]')",
            "the video processed and ready",
            TRANSCODING,
        )
        .await?;
    let parts = owner.js("return window.__parts").await?;
    assert_eq!(parts["failed"], 1, "{parts}");
    assert_eq!(parts["sent"], 2, "{parts}");
    let seen = parts["statuses"].as_array().cloned().unwrap_or_default();
    assert!(
        seen.iter().any(|s| s == "PROCESSING" || s == "UPLOADED"),
        "the processing state was shown: {seen:?}"
    );
    owner.screenshot("video-ready-dashboard").await?;

    // Its page plays it; the quality can be chosen.
    reach(&owner, "li.video-row[data-status=READY] a").await?;
    owner
        .wait(".video-page .player[data-player-state=Playing]")
        .await?;
    owner
        .wait_for_text(".video-page h1", "Jeju trip", WAIT)
        .await?;
    reach(&owner, ".player .quality-button").await?;
    owner.wait(".quality-menu:not([hidden])").await?;
    let qualities = owner
        .js("return [...document.querySelectorAll('.quality-menu [role=menuitemradio]')].map(b => b.textContent)")
        .await?;
    assert_eq!(qualities, serde_json::json!(["Auto", "720p", "360p"]));
    reach(&owner, ".quality-menu li:nth-child(3) button").await?;
    wait_video(&owner, "v.videoHeight === 360", "the 360p quality playing").await?;
    owner.screenshot("video-page").await?;
    assert_accessible(&owner, "/videos (uploaded)").await?;

    // A second upload's connection dies after its first part; after a reload the same file
    // picks up where it stopped, sending only the part still missing.
    owner.goto(&stack.url("/dashboard")).await?;
    owner.wait_for_text(".panel h2", "Videos", WAIT).await?;
    watch_part_uploads(&owner, false, Some(1)).await?;
    upload_video(&owner, &video, "Jeju again").await?;
    owner
        .wait_until("return window.__parts.sent === 1", "the first part sent")
        .await?;
    owner.goto(&stack.url("/dashboard")).await?;
    owner
        .wait("li.video-row[data-status=UPLOADING] input.resume-file")
        .await?;
    owner.screenshot("video-interrupted").await?;
    watch_part_uploads(&owner, false, None).await?;
    choose_file(
        &owner,
        "li.video-row[data-status=UPLOADING] input.resume-file",
        &video,
    )
    .await?;
    owner
        .wait_until_within(
            "return document.querySelectorAll('li.video-row[data-status=READY]').length === 2",
            "the resumed video processed and ready",
            TRANSCODING,
        )
        .await?;
    assert_eq!(owner.js("return window.__parts.sent").await?, 1);

    // A file that is not a video is refused with its reason, and never shown to viewers.
    upload_video(&owner, &notes, "Notes").await?;
    owner
        .wait_for_text(
            "li.video-row[data-status=FAILED] .video-state",
            "not a video we can read",
            TRANSCODING,
        )
        .await?;
    owner.screenshot("video-refused").await?;

    // The uploader's bell has both ready videos (not the refused file); each leads to its page.
    owner.goto(&stack.url("/")).await?;
    owner
        .wait_for_text("[data-testid=bell-count]", "2", WAIT)
        .await?;
    reach(&owner, "[data-testid=bell]").await?;
    owner
        .wait_until(
            "return document.querySelectorAll('.notification').length === 2",
            "two notifications listed",
        )
        .await?;
    let listed = owner
        .js("return [...document.querySelectorAll('.notification')].map(a => [a.textContent, a.getAttribute('href')])")
        .await?;
    for (note, title) in listed
        .as_array()
        .unwrap()
        .iter()
        .zip(["Jeju again", "Jeju trip"])
    {
        let text = note[0].as_str().unwrap_or_default();
        assert!(
            text.contains("Your video is ready") && text.contains(title),
            "{listed}"
        );
        assert!(
            note[1]
                .as_str()
                .unwrap_or_default()
                .starts_with("/videos/vd"),
            "{listed}"
        );
    }
    owner.screenshot("notifications-videos").await?;
    reach(&owner, ".notification").await?;
    owner
        .wait_for_text(".video-page h1", "Jeju again", WAIT)
        .await?;

    // Viewers find the two on the channel page, in Korean on a phone.
    let viewer = Browser::launch_sized(420, 860).await?;
    viewer.goto(&stack.url("/")).await?;
    viewer.prefer_language("ko").await?;
    viewer.goto(&stack.url("/uploader")).await?;
    viewer.wait_for_text("h2", "동영상", WAIT).await?;
    let titles = viewer
        .js("return [...document.querySelectorAll('.video-card .card-title')].map(a => a.textContent)")
        .await?;
    assert_eq!(titles, serde_json::json!(["Jeju again", "Jeju trip"]));
    viewer.screenshot("channel-videos-ko-phone").await?;
    reach(&viewer, ".video-card .card-title").await?;
    viewer
        .wait(".video-page .player[data-player-state=Playing]")
        .await?;
    viewer.screenshot("video-page-ko-phone").await?;
    assert_accessible(&viewer, "/videos (Korean, phone)").await?;
    // Its embed code frames its player, which plays there alone.
    let page = viewer.js("return location.pathname").await?;
    let page = page.as_str().context("a path")?.to_owned();
    let embed = stack.url(&format!("/embed{page}"));
    let code = embed_code(&viewer).await?;
    assert!(code.contains(&format!("src=\"{embed}\"")), "{code}");
    show_embed_code(&viewer).await?;
    viewer.screenshot("video-share-ko-phone").await?;
    assert!(code.contains("title=\"Jeju again · Cloumer\""), "{code}");
    viewer.goto(&embed).await?;
    viewer
        .wait(".embed .player[data-player-state=Playing]")
        .await?;
    assert_eq!(
        embed_link(&viewer).await?,
        format!(
            "{} | _blank | noopener | Jeju again · Uploader · Cloumer에서 보기",
            stack.url(&page)
        )
    );
    viewer.screenshot("embed-video-ko-phone").await?;
    assert_accessible(&viewer, "/embed/videos (Korean, phone)").await?;

    // The uploader's card in Korean, each video's state in words.
    owner.prefer_language("ko").await?;
    owner.goto(&stack.url("/dashboard")).await?;
    owner
        .wait_for_text(
            "li.video-row[data-status=FAILED] .video-state",
            "게시하지 못했어요: 읽을 수 있는 동영상 파일이 아니에요",
            WAIT,
        )
        .await?;
    owner
        .js("document.querySelector('#videos-heading').scrollIntoView()")
        .await?;
    owner.screenshot("dashboard-videos-ko").await?;

    // Their notifications in Korean on a phone.
    let phone = korean_phone(&stack, "uploads@example.com").await?;
    phone.goto(&stack.url("/notifications")).await?;
    phone
        .wait_for_text(".notification", "영상이 준비됐어요", WAIT)
        .await?;
    phone.screenshot("notifications-videos-ko-phone").await?;
    assert_accessible(&phone, "/notifications (videos, Korean, phone)").await?;
    Ok(())
}
