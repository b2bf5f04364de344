//! `cloumer-local`: runs the whole Cloumer platform on this machine.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;
use cloumer_domain::outbound::OutboundDestinations;
use cloumer_local::LocalConfig;

#[derive(Parser, Debug)]
#[command(version, about)]
struct Args {
    /// Address for the web app, the API, chat and HLS playback.
    #[arg(long, env = "CLOUMER_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Directory of the built browser app.
    #[arg(long, env = "CLOUMER_DIST", default_value = "dist")]
    dist: PathBuf,
    /// Where the embedded store, recordings and generated keys live (kept across restarts).
    #[arg(long, env = "CLOUMER_DATA_DIR", default_value = ".cloumer/data")]
    data_dir: PathBuf,
    /// The URL people use to reach this stack, if not http://<listen address>.
    #[arg(long, env = "CLOUMER_PUBLIC_URL")]
    public_url: Option<String>,
    /// The RTMP ingest port (rtmp://<host>:<port>/app/<stream key>).
    #[arg(long, env = "CLOUMER_RTMP_PORT", default_value_t = 1935)]
    rtmp_port: u16,
    /// Do not start the RTMP ingest (the API, chat and playback of recordings still work).
    #[arg(long)]
    no_ingest: bool,
    /// Do not tell clients apart by address, so limits per client (signed-out chat tokens and
    /// connections, codes sent) do not apply: for load tests where every client runs on this
    /// machine. Never for a stack people use.
    #[arg(long)]
    no_per_client_limits: bool,
    /// Let webhooks and push endpoints be plain http on this machine (a receiver you run
    /// yourself while building an integration). Never for a stack people use: anyone could make
    /// it call local services.
    #[arg(long, env = "CLOUMER_ALLOW_LOOPBACK_DESTINATIONS")]
    allow_loopback_destinations: bool,
    /// The email address of one of the platform's staff, who read and settle reports (repeat,
    /// or give a comma-separated list). They sign in as usual; in the cloud this is the user
    /// pool's `staff` group.
    #[arg(long = "staff", env = "CLOUMER_STAFF", value_delimiter = ',')]
    staff: Vec<String>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,tower_http=warn".into()),
        )
        .init();
    let args = Args::parse();
    let outbox = cloumer_local::outbox_dir(&std::path::absolute(&args.data_dir)?);
    let mut config = LocalConfig::new(args.listen, args.dist, args.data_dir, args.rtmp_port);
    config.public_url = args.public_url;
    config.ingest = !args.no_ingest;
    config.per_client_limits = !args.no_per_client_limits;
    config.staff = args.staff;
    if args.allow_loopback_destinations {
        config.outbound_destinations = OutboundDestinations::AlsoLoopback;
    }
    let stack = cloumer_local::start(config).await?;
    println!("Cloumer is running at {}", stack.url());
    println!(
        "Emails (go-live notifications) are written to {} (open the .eml files with any mail program).",
        outbox.display()
    );
    if !args.no_ingest {
        println!(
            "Stream to {} with the stream key from your dashboard (OBS: Settings > Stream > Custom).",
            stack.rtmp_url()
        );
    }
    shutdown_signal().await?;
    println!("Stopping…");
    stack.shutdown().await
}

/// Ctrl-C (SIGINT) or SIGTERM.
async fn shutdown_signal() -> anyhow::Result<()> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut terminate = signal(SignalKind::terminate())?;
    tokio::select! {
        result = tokio::signal::ctrl_c() => result?,
        _ = terminate.recv() => {}
    }
    Ok(())
}
