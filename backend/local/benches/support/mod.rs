//! What the benchmarks share: the real `cloumer-local` binary on a loopback port, a signed-in
//! account, and a process's memory as Linux reports it.

#![allow(dead_code)] // each bench uses its own part

use std::io::{BufRead, BufReader};
use std::net::{Ipv4Addr, TcpListener};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

pub fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A `cloumer-local` process on a loopback port, killed when dropped.
pub struct Server {
    pub child: Child,
    pub base: String,
    /// Confirmation codes, read from its log as the stand-in prints them.
    codes: std::sync::mpsc::Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the real binary on `dir`: (the server, process start → first `200` from `/api/health`).
/// `flags` are added to the command line (`--no-ingest`, …).
pub fn start_server(dir: &std::path::Path, flags: &[&str]) -> (Server, Duration) {
    let dist = dir.join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("index.html"), "<!doctype html>").unwrap();
    let port = free_port();
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_cloumer-local"))
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .arg("--data-dir")
        .arg(dir)
        .arg("--dist")
        .arg(&dist)
        .args(["--rtmp-port", &free_port().to_string()])
        .args(flags)
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Confirmation codes are printed to the log, as the stand-in promises.
    let (codes_tx, codes) = std::sync::mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(code) = line.split("confirmation code for ").nth(1) {
                let _ = codes_tx.send(
                    code.rsplit(": ")
                        .next()
                        .unwrap_or_default()
                        .trim()
                        .to_owned(),
                );
            }
        }
    });
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || for _ in BufReader::new(stdout).lines() {});
    let base = format!("http://127.0.0.1:{port}");
    let client = std::net::SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    // Poll with raw HTTP/1.1 so the measurement has no client start-up in it.
    loop {
        if let Ok(mut stream) =
            std::net::TcpStream::connect_timeout(&client, Duration::from_millis(50))
        {
            use std::io::{Read, Write};
            let _ = stream
                .write_all(b"GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            let mut response = String::new();
            let _ = stream.read_to_string(&mut response);
            if response.starts_with("HTTP/1.1 200") {
                break;
            }
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the server did not start"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
    let first_ok = started.elapsed();
    (Server { child, base, codes }, first_ok)
}

/// Signs up, confirms and signs in `handle`: its ID token.
pub async fn sign_up(client: &reqwest::Client, server: &Server, handle: &str) -> String {
    let cognito = |target: &str, body: Value| {
        client
            .post(format!("{}/cognito/", server.base))
            .header(
                "X-Amz-Target",
                format!("AWSCognitoIdentityProviderService.{target}"),
            )
            .header("Content-Type", "application/x-amz-json-1.1")
            .body(body.to_string())
            .send()
    };
    let client_id = cloumer_local::identity::CLIENT_ID;
    let email = format!("{handle}@example.com");
    let email = email.as_str();
    let password = "Bench-Password-1";
    cognito(
        "SignUp",
        json!({"ClientId": client_id, "Username": email, "Password": password,
        "UserAttributes": [{"Name": "preferred_username", "Value": handle}]}),
    )
    .await
    .unwrap();
    let code = server.codes.recv_timeout(Duration::from_secs(10)).unwrap();
    cognito(
        "ConfirmSignUp",
        json!({"ClientId": client_id, "Username": email, "ConfirmationCode": code}),
    )
    .await
    .unwrap();
    let auth: Value = cognito(
        "InitiateAuth",
        json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id,
        "AuthParameters": {"USERNAME": email, "PASSWORD": password}}),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    auth["AuthenticationResult"]["IdToken"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// A memory figure of a process from `/proc/PID/status` (`VmHWM:` peak, `VmRSS:` now), in KiB.
pub fn memory_kib(pid: u32, field: &str) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .unwrap_or(f64::NAN)
}

/// CPU time a process has used so far (user + system), in seconds.
pub fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which may hold spaces) start at its closing parenthesis;
    // utime and stime are the 14th and 15th fields, in clock ticks.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or(Vec::new(), |(_, rest)| rest.split_whitespace().collect());
    let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok());
    match (ticks(11), ticks(12)) {
        (Some(user), Some(system)) => (user + system) / clock_ticks_per_second(),
        _ => f64::NAN,
    }
}

fn clock_ticks_per_second() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(100.0)
}

/// The `q` quantile of durations sorted from shortest to longest (zero when there are none).
pub fn percentile(sorted: &[Duration], q: f64) -> Duration {
    sorted
        .get(((sorted.len() as f64 * q) as usize).min(sorted.len().saturating_sub(1)))
        .copied()
        .unwrap_or_default()
}

/// Resident memory of a process now and at its peak (Linux `VmRSS`, `VmHWM`), in MiB.
pub fn memory(pid: u32) -> (f64, f64) {
    (
        memory_kib(pid, "VmRSS:") / 1024.0,
        memory_kib(pid, "VmHWM:") / 1024.0,
    )
}

pub fn print_memory(name: &str, pid: u32) {
    let (now, peak) = memory(pid);
    println!("{name:<34} {now:>9.1} MiB resident, peak {peak:.1} MiB");
}
