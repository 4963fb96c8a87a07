//! `loadgen`: run a load scenario against one or more sync servers and
//! print the figures as one table, a column per target.
//!
//! ```text
//! loadgen [--target ours|node|URL:PID]... [--timeout-s 600] burst [--tablets 100 --sites 5 --docs 5 --changes 20 --pace-ms 500 ...]
//! loadgen [--target ...]... reconnect [--docs 60 --changes 1500 [--new-docs]]
//! ```
//!
//! Exit status: 0 when every run finished clean (everything acknowledged,
//! nothing lost, no errors), 2 when one did not finish in time or lost or
//! refused something (the table says which), 1 on a failure to run.

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use shiftbook_bench::burst::{BurstConfig, run_burst};
use shiftbook_bench::reconnect::{ReconnectConfig, run_reconnect};
use shiftbook_bench::report::Table;
use shiftbook_bench::target::Target;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Parser)]
#[command(
    name = "loadgen",
    about = "Shiftbook's load generator: many tablets against a sync server",
    // A later --timeout-s (say from LOADGEN_ARGS) wins over an earlier one.
    args_override_self = true
)]
struct Args {
    /// `ours` (start target/release/sync-server), `node` (start the
    /// automerge-repo reference server) or `URL:PID` (a running server,
    /// e.g. ws://127.0.0.1:8080/sync:4242). Repeat to run each in turn.
    #[arg(long = "target", default_value = "ours", global = true)]
    targets: Vec<String>,
    /// The sync-server binary for `--target ours`.
    #[arg(long, global = true)]
    server_bin: Option<PathBuf>,
    /// One more argument for our server's `serve` (repeat for several,
    /// e.g. `--server-arg=--unload-after-s --server-arg=10`).
    #[arg(long = "server-arg", global = true, allow_hyphen_values = true)]
    server_args: Vec<String>,
    /// The `node` executable for `--target node`.
    #[arg(long, default_value = "node", global = true)]
    node: PathBuf,
    /// The reference server script for `--target node`.
    #[arg(long, global = true)]
    node_script: Option<PathBuf>,
    /// `--max-old-space-size` (MiB) for the reference server.
    #[arg(long, default_value_t = 8192, global = true)]
    node_max_old_space_mb: u32,
    /// For `URL:PID` of a Shiftbook server: its data directory, to enrol
    /// the devices into (without it no token is sent).
    #[arg(long, global = true)]
    data: Option<PathBuf>,
    /// Give up on a run after this many seconds (it then reports how far
    /// it got).
    #[arg(long, default_value_t = 600, global = true)]
    timeout_s: u64,
    /// No progress lines on stderr.
    #[arg(long, global = true)]
    quiet: bool,
    #[command(subcommand)]
    scenario: Scenario,
}

#[derive(Debug, Subcommand)]
enum Scenario {
    /// Tablets open the day's documents at once, then edit at a pace.
    Burst {
        /// Tablets.
        #[arg(long, default_value_t = 100)]
        tablets: usize,
        /// Sites the tablets are spread over.
        #[arg(long, default_value_t = 5)]
        sites: usize,
        /// New documents each tablet opens at once (its site's).
        #[arg(long, default_value_t = 5)]
        docs: usize,
        /// Changes per document per tablet after the burst.
        #[arg(long, default_value_t = 20)]
        changes: usize,
        /// Milliseconds between two changes of a tablet.
        #[arg(long, default_value_t = 500)]
        pace_ms: u64,
        /// Each interval is pace × (1 ± jitter).
        #[arg(long, default_value_t = 0.5)]
        jitter: f64,
        /// Stop the paced changes after this many seconds.
        #[arg(long)]
        duration_s: Option<u64>,
        /// Idle seconds before the idle memory is read.
        #[arg(long, default_value_t = 5)]
        settle_s: u64,
        /// Seed of the pacing.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Sockets opened at the same time.
        #[arg(long, default_value_t = 64)]
        connect_concurrency: usize,
        /// Read the server's memory this often while changes are made.
        #[arg(long, default_value_t = 60)]
        rss_every_s: u64,
    },
    /// One tablet edits offline for a shift, then reconnects.
    Reconnect {
        /// Documents it works on.
        #[arg(long, default_value_t = 60)]
        docs: usize,
        /// Changes made offline, over all documents.
        #[arg(long, default_value_t = 1500)]
        changes: usize,
        /// Open the documents offline too (nothing on the server before).
        #[arg(long)]
        new_docs: bool,
    },
}

fn target(args: &Args, name: &str) -> anyhow::Result<Target> {
    Ok(match name {
        "ours" => Target::Ours {
            binary: args
                .server_bin
                .clone()
                .unwrap_or_else(Target::default_server_binary),
            args: args.server_args.clone(),
        },
        "node" => Target::Node {
            node: args.node.clone(),
            script: args
                .node_script
                .clone()
                .unwrap_or_else(Target::default_node_script),
            max_old_space_mb: args.node_max_old_space_mb,
        },
        other => Target::attach(other, args.data.clone())?,
    })
}

async fn run(args: Args) -> anyhow::Result<bool> {
    let targets = args
        .targets
        .iter()
        .map(|t| target(&args, t))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let timeout = Duration::from_secs(args.timeout_s);
    let columns: Vec<String> = targets.iter().map(Target::label).collect();
    let mut clean = true;
    let mut notes = Vec::new();
    let table = match &args.scenario {
        Scenario::Burst {
            tablets,
            sites,
            docs,
            changes,
            pace_ms,
            jitter,
            duration_s,
            settle_s,
            seed,
            connect_concurrency,
            rss_every_s,
        } => {
            let config = BurstConfig {
                tablets: *tablets,
                sites: *sites,
                docs: *docs,
                changes: *changes,
                pace: Duration::from_millis(*pace_ms),
                jitter: *jitter,
                duration: duration_s.map(Duration::from_secs),
                timeout,
                settle: Duration::from_secs(*settle_s),
                seed: *seed,
                connect_concurrency: *connect_concurrency,
                rss_every: Duration::from_secs((*rss_every_s).max(1)),
                progress: !args.quiet,
                ..BurstConfig::default()
            };
            let mut table = Table::new(
                &format!(
                    "burst: {tablets} tablets over {sites} sites open {docs} new documents each at once, then {changes} changes per document each, one every {pace_ms} ms"
                ),
                columns,
            );
            for (i, t) in targets.iter().enumerate() {
                let report = run_burst(t, &config)
                    .await
                    .with_context(|| format!("burst against {}", t.label()))?;
                clean &= report.is_clean();
                if let Some(why) = &report.timed_out {
                    notes.push(format!("{}: {why}", t.label()));
                }
                for e in &report.first_errors {
                    notes.push(format!("{}: error: {e}", t.label()));
                }
                table.set(i, report.rows());
            }
            table
        }
        Scenario::Reconnect {
            docs,
            changes,
            new_docs,
        } => {
            let config = ReconnectConfig {
                docs: *docs,
                changes: *changes,
                new_docs: *new_docs,
                timeout,
                progress: !args.quiet,
            };
            let mut table = Table::new(
                &format!(
                    "reconnect: one tablet makes {changes} changes over {docs} documents offline, then connects"
                ),
                columns,
            );
            for (i, t) in targets.iter().enumerate() {
                let report = run_reconnect(t, &config)
                    .await
                    .with_context(|| format!("reconnect against {}", t.label()))?;
                clean &= report.is_clean();
                if let Some(why) = &report.timed_out {
                    notes.push(format!("{}: {why}", t.label()));
                }
                for e in &report.first_errors {
                    notes.push(format!("{}: error: {e}", t.label()));
                }
                table.set(i, report.rows());
            }
            table
        }
    };
    println!("{table}");
    for note in notes {
        println!("{note}");
    }
    Ok(clean)
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args = Args::parse();
    // Ctrl-C or SIGTERM drop the run, and with it the servers started
    // here (they are killed when their handles drop).
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    let outcome = tokio::select! {
        outcome = run(args) => outcome,
        _ = tokio::signal::ctrl_c() => Err(anyhow::anyhow!("interrupted")),
        () = terminate => Err(anyhow::anyhow!("terminated")),
    };
    match outcome {
        Ok(true) => std::process::ExitCode::SUCCESS,
        Ok(false) => std::process::ExitCode::from(2),
        Err(e) => {
            eprintln!("loadgen: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
