//! The `sync-server` command: `serve`, `enroll`, `revoke` and
//! `add-supervisor`.
//!
//! Human-readable output and the lines scripts rely on go to stdout; logs
//! go to stderr (`RUST_LOG`, default `info`; see
//! [`sync_server::log_filter`]).

use anyhow::Context as _;
use clap::{Args, Parser, Subcommand};
use std::io::IsTerminal as _;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;
use sync_server::demo::{self, DemoSetup};
use sync_server::http_listener::ConnectionLimits;
use sync_server::{LISTENING_PREFIX, ServerConfig, Store, password};

/// Shiftbook 值班簿 sync server.
#[derive(Debug, Parser)]
#[command(name = "sync-server", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the app and the sync WebSocket.
    Serve(ServeArgs),
    /// Enrol a device (creating its site if needed) and print its token.
    Enroll(EnrollArgs),
    /// Revoke a device: its token stops working and live connections close.
    Revoke(RevokeArgs),
    /// Add a supervisor login for one or more sites (creating missing
    /// sites); reads the password from the first line of stdin.
    AddSupervisor(AddSupervisorArgs),
    /// Rebuild the supervisors' figures (the projection) from the stored
    /// documents. Safe while a server runs on the same data directory.
    Reproject(ReprojectArgs),
}

#[derive(Debug, Args)]
struct ReprojectArgs {
    /// Data directory.
    #[arg(long, default_value = "./data")]
    data: PathBuf,
}

#[derive(Debug, Args)]
struct ServeArgs {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Data directory (database and documents).
    #[arg(long, default_value = "./data")]
    data: PathBuf,
    /// Directory of the built app.
    #[arg(long, default_value = "app/dist")]
    app: PathBuf,
    /// Create the demo site on first start: two demo tablets, the demo
    /// supervisor `zhuguan` and a roster of four people with demo PINs.
    #[arg(long)]
    demo: bool,
    /// Session cookies without `Secure`: only for a server reached over
    /// plain HTTP on a LAN address (browsers drop `Secure` cookies there;
    /// `http://localhost` and `http://127.0.0.1` keep them).
    #[arg(long)]
    insecure_cookies: bool,
    /// Seconds a document nobody touches stays in memory.
    #[arg(long, default_value_t = 120)]
    unload_after_s: u64,
    /// Open connections at most (kept below `ulimit -n`).
    #[arg(long, default_value_t = ConnectionLimits::default().max_connections)]
    max_connections: usize,
    /// Open connections from one IP address at most; 0 for no limit (set
    /// 0 behind a reverse proxy, where every client has its address).
    #[arg(long, default_value_t = ConnectionLimits::default().max_per_address)]
    max_connections_per_address: usize,
    /// Seconds a client has to send a request's headers.
    #[arg(long, default_value_t = ConnectionLimits::default().header_timeout.as_secs())]
    header_timeout_s: u64,
    /// A reverse proxy in front of the server (repeat for more): it has no
    /// per-address connection limit, and the client address it appends to
    /// `X-Forwarded-For` is the one login limits count.
    #[arg(long = "trusted-proxy", value_name = "IP")]
    trusted_proxies: Vec<IpAddr>,
}

#[derive(Debug, Args)]
struct EnrollArgs {
    /// Site id (created with a fresh key if absent).
    #[arg(long)]
    site: String,
    /// Device name, unique among enrolled devices.
    #[arg(long)]
    name: String,
    /// Data directory.
    #[arg(long, default_value = "./data")]
    data: PathBuf,
    /// Base URL of the server, for the enrolment link.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    base_url: String,
}

#[derive(Debug, Args)]
struct RevokeArgs {
    /// Name of the device to revoke.
    #[arg(long)]
    name: String,
    /// Data directory.
    #[arg(long, default_value = "./data")]
    data: PathBuf,
}

#[derive(Debug, Args)]
struct AddSupervisorArgs {
    /// The supervisor's user name, unique.
    #[arg(long)]
    name: String,
    /// A site the supervisor supervises (repeat for several).
    #[arg(long = "site", required = true)]
    sites: Vec<String>,
    /// Data directory.
    #[arg(long, default_value = "./data")]
    data: PathBuf,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(
            sync_server::log_filter::directives(std::env::var("RUST_LOG").ok().as_deref()),
        ))
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(args) => {
            // Database calls run on the blocking pool, all on one SQLite
            // connection: more threads than this only wait for it, and
            // each costs a stack and a malloc arena (a flood of requests
            // once grew the server by gigabytes).
            sync_server::memory::configure();
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .max_blocking_threads(sync_server::server::MAX_BLOCKING_THREADS)
                .build()
                .context("starting the async runtime")?;
            runtime.block_on(serve(args))
        }
        Command::Enroll(args) => enroll(args),
        Command::Revoke(args) => revoke(args),
        Command::AddSupervisor(args) => add_supervisor(args),
        Command::Reproject(args) => reproject(&args),
    }
}

fn reproject(args: &ReprojectArgs) -> anyhow::Result<()> {
    sync_server::Store::open(&args.data).context("opening the database")?;
    let store =
        sync_server::doc_store::DocStore::open(&args.data).context("opening the documents")?;
    let mut projection =
        sync_server::projection::Projection::open(&args.data).context("opening the projection")?;
    let started = std::time::Instant::now();
    let report = projection
        .rebuild(&store)
        .context("rebuilding the projection")?;
    println!(
        "projected {} documents ({} with rows, {} unreadable) in {:.1} s",
        report.documents,
        report.with_rows,
        report.failed,
        started.elapsed().as_secs_f64()
    );
    if report.failed > 0 {
        anyhow::bail!(
            "{} documents could not be loaded (see the log)",
            report.failed
        );
    }
    Ok(())
}

async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    // The demo is set up before the document repository starts, so the
    // roster it seeds is in storage before anything can ask for it.
    let demo = if args.demo {
        Some(
            demo::prepare(&args.data)
                .await
                .context("setting up the demo site")?,
        )
    } else {
        None
    };
    let mut config = ServerConfig::new(args.addr, args.data.clone(), args.app.clone());
    config.secure_cookies = !args.insecure_cookies;
    config.idle_unload = std::time::Duration::from_secs(args.unload_after_s);
    config.limits = ConnectionLimits {
        max_connections: args.max_connections.max(1),
        max_per_address: args.max_connections_per_address,
        header_timeout: std::time::Duration::from_secs(args.header_timeout_s.max(1)),
        trusted_proxies: args.trusted_proxies.into(),
    };
    let server = sync_server::serve(config).await?;
    let addr = server.local_addr();
    let base_url = format!("http://{}", openable(addr));
    println!("{LISTENING_PREFIX}http://{addr}");
    println!("Open {base_url}/ on a tablet or in a browser.");
    if let Some(start) = demo {
        print_demo(&start, &base_url, &args.data);
    }
    server.run_until(shutdown_signal()).await?;
    Ok(())
}

fn print_demo(start: &demo::DemoStart, base_url: &str, data: &std::path::Path) {
    match &start.setup {
        DemoSetup::Created {
            site,
            devices,
            supervisor,
        } => {
            println!("Created demo site {} ({}).", site.id, site.name);
            for (device, token) in devices {
                println!(
                    "Enrol {}: {}",
                    device.name,
                    demo::enrolment_link(base_url, token)
                );
            }
            println!(
                "Demo supervisor login (shown only now): user {} password {} (sign in at {base_url}/supervisor)",
                supervisor.name, supervisor.password
            );
        }
        DemoSetup::Exists { site } => {
            println!("Demo site {} ({}) exists already.", site.id, site.name);
            println!(
                "Enrol another tablet: sync-server enroll --site {} --name <NAME> --data {} --base-url {base_url}",
                site.id,
                data.display()
            );
        }
    }
    if start.roster_seeded.is_some() {
        println!("Demo roster (demo data, public PINs; sign in on a demo tablet):");
        for p in demo::DEMO_PEOPLE {
            println!("  {} {} ({}) PIN {}", p.id, p.name, p.role.as_str(), p.pin);
        }
    }
}

/// The address to put in links: a wildcard address is not openable, so
/// use loopback (a LAN tablet needs the machine's own address instead).
fn openable(addr: SocketAddr) -> SocketAddr {
    if addr.ip().is_unspecified() {
        SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), addr.port())
    } else {
        addr
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}

fn enroll(args: EnrollArgs) -> anyhow::Result<()> {
    let store = Store::open(&args.data)?;
    let e = store.enroll(&args.site, &args.site, &args.name)?;
    if e.site_created {
        println!("Created site {} with a new site key.", e.site.id);
    }
    println!(
        "Enrolled {} at site {} ({}).",
        e.device.name, e.site.id, e.site.name
    );
    println!(
        "Enrolment link: {}",
        demo::enrolment_link(&args.base_url, &e.token)
    );
    // Scripts read the token from the last line.
    println!("{}", e.token.reveal());
    Ok(())
}

fn revoke(args: RevokeArgs) -> anyhow::Result<()> {
    let store = Store::open(&args.data)?;
    let device = store.revoke(&args.name)?;
    println!(
        "Revoked {} (site {}); a running server closes its connections within seconds.",
        device.name, device.site
    );
    Ok(())
}

fn add_supervisor(args: AddSupervisorArgs) -> anyhow::Result<()> {
    if std::io::stdin().is_terminal() {
        eprintln!(
            "Password for {} (one line, at least {} characters):",
            args.name,
            password::MIN_PASSWORD_CHARS
        );
    }
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .context("reading the password from stdin")?;
    let secret = line.strip_suffix('\n').unwrap_or(&line);
    let secret = secret.strip_suffix('\r').unwrap_or(secret);
    password::validate(secret)?;
    let phc = password::hash(secret)?;
    let store = Store::open(&args.data)?;
    let added = store.add_supervisor(&args.name, &phc, &args.sites)?;
    for site in &added.created_sites {
        println!("Created site {site} with a new site key.");
    }
    let sites: Vec<&str> = added.sites.iter().map(|s| s.id.as_str()).collect();
    println!(
        "Added supervisor {} for site(s) {}.",
        added.name,
        sites.join(", ")
    );
    Ok(())
}
