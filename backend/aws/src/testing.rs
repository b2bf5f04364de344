//! Test support (feature `testing`): moto, the AWS emulator from PyPI, as a server on a free
//! loopback port, and SDK configuration pointed at it.

use std::net::{Ipv4Addr, TcpListener};
use std::process::Stdio;
use std::time::{Duration, Instant};

use aws_sdk_dynamodb::config::Credentials;
use tokio::process::{Child, Command};

/// The region every test uses.
pub const REGION: &str = "us-east-1";

/// A running `moto_server`, stopped when dropped.
pub struct Moto {
    _process: Child,
    pub url: String,
}

impl Moto {
    /// Starts moto and waits until it accepts connections.
    pub async fn start() -> Self {
        let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .and_then(|listener| listener.local_addr())
            .expect("a free loopback port")
            .port();
        let process = Command::new("moto_server")
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("moto_server is on PATH (cargo xtask setup installs it; cargo xtask test puts it on PATH)");
        let deadline = Instant::now() + Duration::from_secs(30);
        while tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_err()
        {
            assert!(Instant::now() < deadline, "moto did not start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Self {
            _process: process,
            url: format!("http://127.0.0.1:{port}"),
        }
    }

    /// SDK configuration for moto: fixed region and dummy credentials.
    pub async fn sdk_config(&self) -> aws_config::SdkConfig {
        aws_config::defaults(aws_config::BehaviorVersion::latest())
            .http_client(crate::http_client())
            .endpoint_url(&self.url)
            .region(aws_config::Region::new(REGION))
            .credentials_provider(Credentials::new("test", "test", None, None, "tests"))
            .load()
            .await
    }

    /// The environment a process needs to reach moto through the standard configuration chain.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("AWS_ENDPOINT_URL", self.url.clone()),
            ("AWS_REGION", REGION.to_owned()),
            ("AWS_ACCESS_KEY_ID", "test".to_owned()),
            ("AWS_SECRET_ACCESS_KEY", "test".to_owned()),
        ]
    }
}
