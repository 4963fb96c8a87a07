//! A 12-hour offline shift: one tablet makes many changes while
//! disconnected, then reconnects.
//!
//! The tablet opens D documents (genesis and its start) and syncs them,
//! goes offline, and makes C marks spread over them in turn. (With
//! `new_docs` it opens the documents offline too: the starts are among
//! the C changes and nothing of them is on the server.) Then it connects:
//! measured are the time from opening the socket until the server has
//! acknowledged every change, the bytes on the wire both ways meanwhile
//! (WebSocket payloads), and what the changes take encoded — the sum of
//! each change's `raw_bytes`, each document's `save_after` the heads it
//! had before going offline, and the raw changes gzipped — so the wire
//! cost can be compared with the content. A fresh tablet then fetches
//! every document and counts what it lacks (must be 0).

use crate::BenchError;
use crate::proc_stats;
use crate::report;
use crate::tablet::{ChangeLedger, Phase, Tablet, TabletStats};
use crate::target::{self, FleetPlan, RunningServer, Target};
use crate::workload::{self, DocSpec};
use automerge::ChangeHash;
use flate2::Compression;
use flate2::write::GzEncoder;
use shiftbook_model::genesis::is_genesis_actor;
use std::io::Write as _;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

const POLL: Duration = Duration::from_millis(10);

/// What to run.
#[derive(Debug, Clone)]
pub struct ReconnectConfig {
    /// Documents the tablet works on.
    pub docs: usize,
    /// Changes made offline, over all documents.
    pub changes: usize,
    /// Open the documents offline too (nothing of them on the server).
    pub new_docs: bool,
    /// The whole run must finish within this.
    pub timeout: Duration,
    /// Print progress to stderr.
    pub progress: bool,
}

impl Default for ReconnectConfig {
    fn default() -> Self {
        Self {
            docs: 60,
            changes: 1500,
            new_docs: false,
            timeout: Duration::from_secs(600),
            progress: true,
        }
    }
}

/// What a reconnect run measured.
#[derive(Debug, Clone, Default)]
pub struct ReconnectReport {
    /// The target's label.
    pub target: String,
    /// Documents and offline changes.
    pub shape: (usize, usize),
    /// Whether the documents were opened offline too.
    pub new_docs: bool,
    /// From opening the socket until every change was acknowledged.
    pub acknowledged: Option<Duration>,
    /// Wire counters of the reconnect alone.
    pub wire: TabletStats,
    /// Sum of `raw_bytes().len()` of the offline changes.
    pub raw_bytes: u64,
    /// Sum of the offline changes' `bytes()` (automerge's compressed
    /// change chunks).
    pub compressed_bytes: u64,
    /// Sum over documents of `save_after(heads before going offline)`.
    pub save_after_bytes: u64,
    /// The offline changes' raw bytes, concatenated and gzipped.
    pub gzip_bytes: u64,
    /// Server CPU time of the reconnect, ms.
    pub server_cpu_ms: Option<f64>,
    /// Changes the fresh tablet did not get.
    pub lost: Option<u64>,
    /// Changes it looked for.
    pub checked: u64,
    /// The tablet's counters over the whole run.
    pub stats: TabletStats,
    /// The first few errors the tablet saw.
    pub first_errors: Vec<String>,
    /// Set when the run did not finish: the timeout and where it stood.
    pub timed_out: Option<String>,
}

impl ReconnectReport {
    /// Whether everything was acknowledged and found, without errors.
    pub fn is_clean(&self) -> bool {
        self.timed_out.is_none()
            && self.lost == Some(0)
            && self.stats.errors == 0
            && self.stats.unavailable == 0
    }

    /// The figures as (label, value) rows.
    pub fn rows(&self) -> Vec<(String, String)> {
        let dash = || "—".to_owned();
        let wire = self.wire.bytes_sent + self.wire.bytes_received;
        vec![
            (
                "offline changes / documents".into(),
                format!(
                    "{} / {} ({})",
                    self.shape.1,
                    self.shape.0,
                    if self.new_docs {
                        "documents new, opened offline"
                    } else {
                        "documents on the server before"
                    }
                ),
            ),
            (
                "reconnect: all acknowledged".into(),
                self.acknowledged.map_or_else(dash, report::secs),
            ),
            (
                "reconnect: wire sent / received".into(),
                format!(
                    "{} / {}",
                    report::bytes(self.wire.bytes_sent),
                    report::bytes(self.wire.bytes_received)
                ),
            ),
            (
                "reconnect: frames sent / received".into(),
                format!("{} / {}", self.wire.frames_sent, self.wire.frames_received),
            ),
            (
                "changes encoded (Σ raw_bytes)".into(),
                report::bytes(self.raw_bytes),
            ),
            (
                "changes compressed (Σ bytes())".into(),
                report::bytes(self.compressed_bytes),
            ),
            (
                "Σ save_after(heads before)".into(),
                report::bytes(self.save_after_bytes),
            ),
            ("changes gzipped".into(), report::bytes(self.gzip_bytes)),
            (
                "wire (sent + received) ÷ Σ raw_bytes".into(),
                if self.raw_bytes > 0 && self.acknowledged.is_some() {
                    format!("{:.2}", wire as f64 / self.raw_bytes as f64)
                } else {
                    dash()
                },
            ),
            (
                "reconnect: server CPU".into(),
                self.server_cpu_ms.map_or_else(dash, report::ms),
            ),
            (
                "errors / unavailable".into(),
                format!("{} / {}", self.stats.errors, self.stats.unavailable),
            ),
            (
                "lost changes (fresh tablet)".into(),
                self.lost
                    .map_or_else(dash, |l| format!("{l} of {}", self.checked)),
            ),
            (
                "finished".into(),
                match &self.timed_out {
                    None => "yes".into(),
                    Some(why) => format!("NO: {why}"),
                },
            ),
        ]
    }
}

fn progress(config: &ReconnectConfig, text: &str) {
    if config.progress {
        eprintln!("[loadgen] {text}");
    }
}

/// Wait until `done` holds; `Err(why)` at the deadline or when the server
/// exited.
async fn wait_for(
    deadline: Instant,
    timeout: Duration,
    server: &mut RunningServer,
    what: &str,
    mut done: impl FnMut() -> bool,
) -> Result<(), String> {
    loop {
        if done() {
            return Ok(());
        }
        if !server.is_running() {
            return Err(format!("the server exited while {what}"));
        }
        if Instant::now() >= deadline {
            return Err(format!(
                "did not finish within {} s ({what})",
                timeout.as_secs()
            ));
        }
        tokio::time::sleep(POLL).await;
    }
}

/// Run the reconnect scenario against `target`.
pub async fn run_reconnect(
    target: &Target,
    config: &ReconnectConfig,
) -> Result<ReconnectReport, BenchError> {
    if config.docs == 0 || config.changes < config.docs {
        return Err(BenchError::Config(
            "reconnect needs at least 1 document and a change per document".into(),
        ));
    }
    let deadline = Instant::now() + config.timeout;
    let tag: String = crate::random_bytes::<3>()?
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let plan = FleetPlan {
        sites: vec![(
            "bench-000".into(),
            vec![
                format!("bench-{tag}-offline"),
                format!("bench-{tag}-check-000"),
            ],
        )],
    };
    progress(config, &format!("starting {}", target.label()));
    let (mut server, sites) = target::start(target, &plan).await?;
    let mut report = ReconnectReport {
        target: target.label(),
        shape: (config.docs, config.changes),
        new_docs: config.new_docs,
        ..ReconnectReport::default()
    };
    let outcome = match sites.first() {
        Some(site) => drive(&mut server, site, config, deadline, &mut report).await,
        None => Err(BenchError::Config("no site".into())),
    };
    server.stop().await;
    outcome.map(|()| report)
}

async fn drive(
    server: &mut RunningServer,
    site: &target::SiteAccess,
    config: &ReconnectConfig,
    deadline: Instant,
    report: &mut ReconnectReport,
) -> Result<(), BenchError> {
    let (Some(device), Some(check_device)) = (site.devices.first(), site.devices.get(1)) else {
        return Err(BenchError::Config("the site has no devices".into()));
    };
    let pid = server.pid();
    let gate = Arc::new(Semaphore::new(4));
    let ledger = Arc::new(ChangeLedger::default());
    let tablet = Tablet::new(0, &device.name, Some(ledger.clone()))?;
    let specs = workload::site_documents(&site.id, &site.key, config.docs)?;
    let open = |spec: &DocSpec| -> Result<(), BenchError> {
        let mut doc = spec.genesis().with_actor(tablet.actor().clone());
        workload::start(&mut doc, spec, tablet.name())?;
        tablet.open(spec.id, doc, Phase::Open)
    };

    'run: {
        let mut before: Vec<Vec<ChangeHash>> = vec![Vec::new(); specs.len()];
        let mut marks = config.changes;
        if config.new_docs {
            marks -= specs.len();
        } else {
            progress(
                config,
                &format!("online: opening {} documents", specs.len()),
            );
            tablet.connect(device.url.clone(), gate.clone());
            for spec in &specs {
                open(spec)?;
            }
            if let Err(why) = wait_for(
                deadline,
                config.timeout,
                server,
                "the documents were first synced",
                || tablet.confirmed_at().is_some(),
            )
            .await
            {
                report.timed_out = Some(why);
                break 'run;
            }
            tablet.disconnect().await;
            for (spec, heads) in specs.iter().zip(&mut before) {
                *heads = tablet.heads(&spec.id);
            }
        }

        progress(
            config,
            &format!(
                "offline: {} changes over {} documents",
                config.changes,
                specs.len()
            ),
        );
        if config.new_docs {
            for spec in &specs {
                open(spec)?;
            }
        }
        for n in 0..marks {
            let spec = &specs[n % specs.len()];
            let name = tablet.name().to_owned();
            tablet.change(spec.id, Phase::Pace, |doc| {
                workload::edit(doc, spec, &name, n / specs.len())
            })?;
        }
        let mut gz = GzEncoder::new(Vec::new(), Compression::default());
        for (spec, heads) in specs.iter().zip(&before) {
            let (raw, saved) = tablet.with_doc(&spec.id, |doc| {
                let Some(doc) = doc else {
                    return (Vec::new(), 0);
                };
                let raw: Vec<(Vec<u8>, usize)> = doc
                    .get_changes(heads)
                    .into_iter()
                    .filter(|c| !is_genesis_actor(c.actor_id()))
                    .map(|mut c| {
                        let compressed = c.bytes().len();
                        (c.raw_bytes().to_vec(), compressed)
                    })
                    .collect();
                (raw, doc.save_after(heads).len() as u64)
            });
            report.save_after_bytes += saved;
            report.compressed_bytes += raw.iter().map(|(_, n)| *n as u64).sum::<u64>();
            for (change, _) in raw {
                report.raw_bytes += change.len() as u64;
                gz.write_all(&change).map_err(|source| BenchError::Io {
                    what: "gzip".into(),
                    source,
                })?;
            }
        }
        report.gzip_bytes = gz
            .finish()
            .map_err(|source| BenchError::Io {
                what: "gzip".into(),
                source,
            })?
            .len() as u64;

        progress(config, "reconnecting");
        let wire_before = tablet.stats();
        let cpu = proc_stats::cpu_ms(pid)?;
        let t = Instant::now();
        tablet.connect(device.url.clone(), gate.clone());
        if let Err(why) = wait_for(
            deadline,
            config.timeout,
            server,
            "the offline changes were acknowledged",
            || tablet.confirmed_at().is_some(),
        )
        .await
        {
            report.timed_out = Some(why);
            break 'run;
        }
        report.acknowledged = tablet.confirmed_at().map(|at| at - t);
        report.server_cpu_ms = Some(proc_stats::cpu_ms(pid)? - cpu);
        let after = tablet.stats();
        report.wire = TabletStats {
            bytes_sent: after.bytes_sent - wire_before.bytes_sent,
            bytes_received: after.bytes_received - wire_before.bytes_received,
            frames_sent: after.frames_sent - wire_before.frames_sent,
            frames_received: after.frames_received - wire_before.frames_received,
            ..TabletStats::default()
        };

        progress(config, "checking with a fresh tablet");
        let checker = Tablet::new(1, &check_device.name, None)?;
        checker.connect(check_device.url.clone(), gate.clone());
        let check_until = (Instant::now() + Duration::from_secs(60)).min(deadline);
        let _ = wait_for(check_until, config.timeout, server, "checking", || {
            checker.is_connected()
        })
        .await;
        for spec in &specs {
            checker.want(spec.id);
        }
        let missing = || -> u64 {
            specs
                .iter()
                .map(|spec| checker.missing(&spec.id, &ledger.changes_of(&spec.id)) as u64)
                .sum()
        };
        let _ = wait_for(check_until, config.timeout, server, "checking", || {
            missing() == 0
        })
        .await;
        report.lost = Some(missing());
        report.checked = ledger.summary().made.iter().sum();
        checker.disconnect().await;
    }
    report.stats = tablet.stats();
    report.first_errors = tablet.errors();
    tablet.disconnect().await;
    Ok(())
}
