//! The morning burst: many tablets open the day's documents at once, then
//! keep editing them at a human pace.
//!
//! 1. N tablets over S sites (tablet `t` at site `t mod S`) connect and
//!    complete the handshake.
//! 2. At one instant every tablet opens its site's D day documents
//!    ([`crate::workload`]): the shared deterministic genesis plus its own
//!    first change (the round's start), all built beforehand so the burst
//!    is only the syncing. Measured: the time until the server has
//!    acknowledged every tablet's every change.
//! 3. Every tablet then makes C changes per document (its documents in
//!    turn), one every P ms ± jitter, its first at a random point of the
//!    first interval, until done or `duration` is over. Measured: the time
//!    from the last change until everything is acknowledged, and for every
//!    change the time until each other tablet of its site merged it.
//! 4. The server's CPU time per change and peak memory; after a few idle
//!    seconds, its resident memory with every tablet still connected.
//! 5. A fresh tablet per site fetches each document and counts the changes
//!    it lacks (lost: must be 0) and the tablets whose copy differs.
//!
//! Every wait is bounded by one deadline for the whole run; a run that
//! does not finish in time says where it stood
//! ([`BurstReport::timed_out`]) and skips what is left.

use crate::proc_stats::{self, Memory};
use crate::report::{self, percentile_ms};
use crate::tablet::{ChangeLedger, Phase, Tablet, TabletStats};
use crate::target::{self, FleetPlan, RunningServer, SiteAccess, Target};
use crate::workload::{self, DocSpec};
use crate::{BenchError, Rng};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

/// How often waits look at the tablets.
const POLL: Duration = Duration::from_millis(20);

/// What to run.
#[derive(Debug, Clone)]
pub struct BurstConfig {
    /// Tablets.
    pub tablets: usize,
    /// Sites the tablets are spread over.
    pub sites: usize,
    /// Documents each tablet opens (its site's, shared by its tablets).
    pub docs: usize,
    /// Changes per document per tablet after the burst (0: none).
    pub changes: usize,
    /// Time between two changes of one tablet.
    pub pace: Duration,
    /// Each interval is `pace × (1 ± jitter)`, jitter in `[0, 1]`.
    pub jitter: f64,
    /// Stop making changes after this long, done or not.
    pub duration: Option<Duration>,
    /// The whole run must finish within this.
    pub timeout: Duration,
    /// Idle time after the load before the idle memory is read.
    pub settle: Duration,
    /// At most this long for the fresh tablets to fetch everything.
    pub verify_timeout: Duration,
    /// Seed of the pacing and jitter.
    pub seed: u64,
    /// Sockets being opened at the same time.
    pub connect_concurrency: usize,
    /// While changes are made, read the server's memory this often (a
    /// soak's "memory stays flat").
    pub rss_every: Duration,
    /// Print progress to stderr.
    pub progress: bool,
}

impl Default for BurstConfig {
    fn default() -> Self {
        Self {
            tablets: 100,
            sites: 5,
            docs: 5,
            changes: 20,
            pace: Duration::from_millis(500),
            jitter: 0.5,
            duration: None,
            timeout: Duration::from_secs(600),
            settle: Duration::from_secs(5),
            verify_timeout: Duration::from_secs(60),
            seed: 1,
            connect_concurrency: 64,
            rss_every: Duration::from_secs(60),
            progress: true,
        }
    }
}

/// What a burst run measured. Durations and figures of phases the run did
/// not reach are `None`.
#[derive(Debug, Clone, Default)]
pub struct BurstReport {
    /// The target's label.
    pub target: String,
    /// The server's process id.
    pub pid: u32,
    /// Tablets, sites, documents per tablet, changes per document per tablet.
    pub shape: (usize, usize, usize, usize),
    /// The pace and jitter.
    pub pace: (Duration, f64),
    /// Distinct documents (sites × documents).
    pub documents: usize,
    /// Until every tablet completed its handshake.
    pub connect: Option<Duration>,
    /// Server CPU time spent while the tablets connected, ms.
    pub connect_cpu_ms: Option<f64>,
    /// From the burst until every change was acknowledged.
    pub open_acknowledged: Option<Duration>,
    /// Server CPU time of the burst, ms.
    pub open_cpu_ms: Option<f64>,
    /// Changes made in the burst (each tablet's first change per document).
    pub open_changes: u64,
    /// From the first to the last paced change.
    pub pace_span: Option<Duration>,
    /// From the last paced change until every change was acknowledged.
    pub pace_acknowledged: Option<Duration>,
    /// Server CPU time from the end of the burst to the last
    /// acknowledgement, ms.
    pub pace_cpu_ms: Option<f64>,
    /// Paced changes made.
    pub pace_changes: u64,
    /// The server's peak resident memory (VmHWM) at the end of the load.
    pub peak_rss_kib: Option<u64>,
    /// The server's resident memory after the idle pause.
    pub idle_rss_kib: Option<u64>,
    /// The server's resident memory every [`BurstConfig::rss_every`]
    /// while changes were made.
    pub paced_rss_kib: Vec<u64>,
    /// That interval.
    pub rss_every: Duration,
    /// The idle pause.
    pub settle: Duration,
    /// Edit → other-tablet latencies in µs, sorted, per [`Phase`].
    pub latencies: [Vec<u32>; 2],
    /// Arrivals expected (each change × the other tablets of its site),
    /// per [`Phase`].
    pub arrivals_expected: [u64; 2],
    /// Every tablet's counters, summed.
    pub stats: TabletStats,
    /// Changes the fresh tablets looked for.
    pub checked: u64,
    /// Of those, changes they did not get.
    pub lost: Option<u64>,
    /// Tablet copies whose heads differ from the fresh tablet's.
    pub diverged: Option<u64>,
    /// Tablet copies compared.
    pub copies: u64,
    /// This process's CPU time over the run, ms.
    pub generator_cpu_ms: f64,
    /// The first few errors the tablets saw.
    pub first_errors: Vec<String>,
    /// Set when the run did not finish: the timeout and where it stood.
    pub timed_out: Option<String>,
}

impl BurstReport {
    /// Whether the run finished with every change acknowledged and found,
    /// and no errors or unavailable answers.
    pub fn is_clean(&self) -> bool {
        self.timed_out.is_none()
            && self.lost == Some(0)
            && self.diverged == Some(0)
            && self.stats.errors == 0
            && self.stats.unavailable == 0
    }

    /// The figures as (label, value) rows.
    pub fn rows(&self) -> Vec<(String, String)> {
        let (tablets, sites, docs, changes) = self.shape;
        let dash = || "—".to_owned();
        let opt_secs = |d: Option<Duration>| d.map_or_else(dash, report::secs);
        let per = |cpu: Option<f64>, n: u64| match cpu {
            Some(cpu) if n > 0 => report::ms(cpu / n as f64),
            _ => dash(),
        };
        let latency = |phase: usize| {
            let s = &self.latencies[phase];
            match (percentile_ms(s, 50.0), percentile_ms(s, 99.0)) {
                (Some(p50), Some(p99)) => format!("{} / {}", report::ms(p50), report::ms(p99)),
                _ => dash(),
            }
        };
        let arrived = |phase: usize| {
            format!(
                "{} of {}",
                self.latencies[phase].len(),
                self.arrivals_expected[phase]
            )
        };
        let total_cpu = match (self.open_cpu_ms, self.pace_cpu_ms) {
            (Some(a), Some(b)) => Some(a + b),
            (Some(a), None) if self.pace_changes == 0 => Some(a),
            _ => None,
        };
        vec![
            (
                "tablets / sites / documents per tablet".into(),
                format!(
                    "{tablets} / {sites} / {docs} ({} documents)",
                    self.documents
                ),
            ),
            (
                "paced changes per document per tablet".into(),
                format!(
                    "{changes}, one every {} ms ± {:.0} %",
                    self.pace.0.as_millis(),
                    self.pace.1 * 100.0
                ),
            ),
            (
                "connect: all handshakes done".into(),
                opt_secs(self.connect),
            ),
            (
                "connect: server CPU per tablet".into(),
                per(self.connect_cpu_ms, tablets as u64),
            ),
            (
                "burst: all documents acknowledged".into(),
                opt_secs(self.open_acknowledged),
            ),
            (
                "burst: server CPU per change".into(),
                per(self.open_cpu_ms, self.open_changes),
            ),
            (
                "burst: edit → same-site tablet p50 / p99".into(),
                latency(Phase::Open as usize),
            ),
            (
                "burst: arrivals at same-site tablets".into(),
                arrived(Phase::Open as usize),
            ),
            (
                "paced: changes made (first to last)".into(),
                match self.pace_span {
                    Some(span) => format!("{} in {}", self.pace_changes, report::secs(span)),
                    None => format!("{}", self.pace_changes),
                },
            ),
            (
                "paced: acknowledged after the last change".into(),
                opt_secs(self.pace_acknowledged),
            ),
            (
                "paced: server CPU per change".into(),
                per(self.pace_cpu_ms, self.pace_changes),
            ),
            (
                "paced: edit → same-site tablet p50 / p99".into(),
                latency(Phase::Pace as usize),
            ),
            (
                "paced: arrivals at same-site tablets".into(),
                arrived(Phase::Pace as usize),
            ),
            (
                "server CPU per change (burst + paced)".into(),
                per(total_cpu, self.open_changes + self.pace_changes),
            ),
            (
                "server peak RSS (VmHWM)".into(),
                self.peak_rss_kib.map_or_else(dash, report::mib),
            ),
            (
                format!(
                    "server RSS every {} s while changes were made",
                    self.rss_every.as_secs()
                ),
                if self.paced_rss_kib.is_empty() {
                    dash()
                } else {
                    self.paced_rss_kib
                        .iter()
                        .map(|k| format!("{:.0}", *k as f64 / 1024.0))
                        .collect::<Vec<_>>()
                        .join(", ")
                        + " MiB"
                },
            ),
            (
                format!(
                    "server idle RSS ({} s after the load)",
                    self.settle.as_secs()
                ),
                self.idle_rss_kib.map_or_else(dash, report::mib),
            ),
            (
                "errors / unavailable / reconnects".into(),
                format!(
                    "{} / {} / {}",
                    self.stats.errors, self.stats.unavailable, self.stats.disconnects
                ),
            ),
            (
                "lost changes (fresh tablet per site)".into(),
                self.lost
                    .map_or_else(dash, |l| format!("{l} of {}", self.checked)),
            ),
            (
                "tablet copies differing from it".into(),
                self.diverged
                    .map_or_else(dash, |d| format!("{d} of {}", self.copies)),
            ),
            (
                "wire: sent / received by the tablets".into(),
                format!(
                    "{} / {}",
                    report::bytes(self.stats.bytes_sent),
                    report::bytes(self.stats.bytes_received)
                ),
            ),
            (
                "load generator CPU (same machine)".into(),
                format!("{:.1} s", self.generator_cpu_ms / 1000.0),
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

/// How a wait ended.
enum Waited {
    Done,
    TimedOut,
    ServerExited,
}

/// Wait until `done` holds, the deadline passes or the server exits.
async fn wait_for(
    deadline: Instant,
    server: &mut RunningServer,
    mut done: impl FnMut() -> bool,
) -> Waited {
    loop {
        if done() {
            return Waited::Done;
        }
        if !server.is_running() {
            return Waited::ServerExited;
        }
        if Instant::now() >= deadline {
            return Waited::TimedOut;
        }
        tokio::time::sleep(POLL).await;
    }
}

fn progress(config: &BurstConfig, text: &str) {
    if config.progress {
        eprintln!("[loadgen] {text}");
    }
}

/// One tablet of the run and what it works on.
struct Member {
    tablet: Arc<Tablet>,
    site: usize,
    url: String,
}

/// Run the burst scenario against `target`.
pub async fn run_burst(target: &Target, config: &BurstConfig) -> Result<BurstReport, BenchError> {
    if config.tablets == 0 || config.sites == 0 || config.docs == 0 {
        return Err(BenchError::Config(
            "tablets, sites and docs must be at least 1".into(),
        ));
    }
    if config.sites > config.tablets {
        return Err(BenchError::Config(
            "more sites than tablets leaves sites empty".into(),
        ));
    }
    if !(0.0..=1.0).contains(&config.jitter) {
        return Err(BenchError::Config("jitter must be within 0–1".into()));
    }
    let started = Instant::now();
    let deadline = started + config.timeout;
    let tag: String = crate::random_bytes::<3>()?
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let plan = FleetPlan {
        sites: (0..config.sites)
            .map(|s| {
                let mut names: Vec<String> = (s..config.tablets)
                    .step_by(config.sites)
                    .map(|t| format!("bench-{tag}-t{t:04}"))
                    .collect();
                // The last device of each site is the one that checks.
                names.push(format!("bench-{tag}-check-{s:03}"));
                (format!("bench-{s:03}"), names)
            })
            .collect(),
    };
    progress(config, &format!("starting {}", target.label()));
    let (mut server, sites) = target::start(target, &plan).await?;
    progress(
        config,
        &format!("{} runs as pid {}", target.label(), server.pid()),
    );
    let mut report = BurstReport {
        target: target.label(),
        pid: server.pid(),
        shape: (config.tablets, config.sites, config.docs, config.changes),
        pace: (config.pace, config.jitter),
        documents: config.sites * config.docs,
        settle: config.settle,
        ..BurstReport::default()
    };
    let outcome = drive(&mut server, &sites, config, deadline, &mut report).await;
    if let Err(why) = &outcome
        && report.timed_out.is_none()
        && !server.is_running()
    {
        report.timed_out = Some(format!("the server exited ({why})"));
    }
    let output = server.last_output();
    server.stop().await;
    match outcome {
        Ok(()) => Ok(report),
        Err(BenchError::ServerStart { why, .. }) => Err(BenchError::ServerStart { why, output }),
        Err(e) => Err(e),
    }
}

async fn drive(
    server: &mut RunningServer,
    sites: &[SiteAccess],
    config: &BurstConfig,
    deadline: Instant,
    report: &mut BurstReport,
) -> Result<(), BenchError> {
    let pid = server.pid();
    let me = std::process::id();
    let generator_cpu_before = proc_stats::cpu_ms(me)?;
    let ledgers: Vec<Arc<ChangeLedger>> = sites.iter().map(|_| Arc::default()).collect();
    let specs: Vec<Vec<DocSpec>> = sites
        .iter()
        .map(|s| workload::site_documents(&s.id, &s.key, config.docs))
        .collect::<Result<_, _>>()?;
    let mut members = Vec::new();
    for (s, site) in sites.iter().enumerate() {
        let workers = site.devices.len().saturating_sub(1);
        for device in &site.devices[..workers] {
            let tablet = Tablet::new(members.len(), &device.name, Some(ledgers[s].clone()))?;
            members.push(Member {
                tablet: Arc::new(tablet),
                site: s,
                url: device.url.clone(),
            });
        }
    }
    let site_sizes: Vec<usize> = (0..sites.len())
        .map(|s| members.iter().filter(|m| m.site == s).count())
        .collect();
    let gate = Arc::new(Semaphore::new(config.connect_concurrency.max(1)));

    'run: {
        // 1. Connect.
        progress(config, &format!("connecting {} tablets", members.len()));
        let cpu = proc_stats::cpu_ms(pid)?;
        let t = Instant::now();
        for m in &members {
            m.tablet.connect(m.url.clone(), gate.clone());
        }
        match wait_for(deadline, server, || {
            members.iter().all(|m| m.tablet.is_connected())
        })
        .await
        {
            Waited::Done => {}
            waited => {
                let up = members.iter().filter(|m| m.tablet.is_connected()).count();
                report.timed_out = Some(stopped_because(
                    waited,
                    config,
                    &format!("connecting: {up} of {} tablets connected", members.len()),
                ));
                break 'run;
            }
        }
        report.connect = Some(t.elapsed());
        report.connect_cpu_ms = Some(proc_stats::cpu_ms(pid)? - cpu);

        // 2. The burst: every tablet opens its site's documents at once.
        let mut prepared = Vec::with_capacity(members.len());
        for m in &members {
            let mut docs = Vec::with_capacity(config.docs);
            for spec in &specs[m.site] {
                let mut doc = spec.genesis().with_actor(m.tablet.actor().clone());
                workload::start(&mut doc, spec, m.tablet.name())?;
                docs.push((spec.id, doc));
            }
            prepared.push(docs);
        }
        progress(
            config,
            &format!(
                "burst: {} tablets open {} documents each",
                members.len(),
                config.docs
            ),
        );
        let cpu = proc_stats::cpu_ms(pid)?;
        let t = Instant::now();
        for (m, docs) in members.iter().zip(prepared) {
            for (id, doc) in docs {
                m.tablet.open(id, doc, Phase::Open)?;
            }
        }
        report.open_changes = (members.len() * config.docs) as u64;
        match wait_for(deadline, server, || all_acknowledged(&members)).await {
            Waited::Done => {}
            waited => {
                report.timed_out = Some(stopped_because(
                    waited,
                    config,
                    &format!("burst: {}", acknowledged_so_far(&members)),
                ));
                report.open_cpu_ms = Some(proc_stats::cpu_ms(pid)? - cpu);
                break 'run;
            }
        }
        report.open_acknowledged = last_acknowledged(&members).map(|at| at - t);
        let cpu_after_burst = proc_stats::cpu_ms(pid)?;
        report.open_cpu_ms = Some(cpu_after_burst - cpu);

        // 3. Paced changes.
        if config.changes > 0 {
            progress(
                config,
                &format!(
                    "paced: {} changes per tablet, one every {} ms",
                    config.changes * config.docs,
                    config.pace.as_millis()
                ),
            );
            let t = Instant::now();
            let stop_at = config.duration.map_or(deadline, |d| (t + d).min(deadline));
            let mut tasks = Vec::with_capacity(members.len());
            for m in &members {
                tasks.push(tokio::spawn(pace(
                    m.tablet.clone(),
                    specs[m.site].clone(),
                    config.clone(),
                    stop_at,
                )));
            }
            let sampling = tokio_util::sync::CancellationToken::new();
            let sampler = tokio::spawn(sample_rss(pid, config.rss_every, sampling.clone()));
            let mut made = 0;
            let mut last = None;
            for task in tasks {
                match task.await {
                    Ok(Ok((n, at))) => {
                        made += n;
                        last = last.max(at);
                    }
                    Ok(Err(e)) => return Err(e),
                    Err(e) => return Err(BenchError::Config(format!("a tablet task failed: {e}"))),
                }
            }
            sampling.cancel();
            report.paced_rss_kib = sampler.await.unwrap_or_default();
            report.rss_every = config.rss_every;
            report.pace_changes = made;
            let last = last.unwrap_or(t);
            report.pace_span = Some(last - t);
            match wait_for(deadline, server, || all_acknowledged(&members)).await {
                Waited::Done => {}
                waited => {
                    report.timed_out = Some(stopped_because(
                        waited,
                        config,
                        &format!("paced changes: {}", acknowledged_so_far(&members)),
                    ));
                    report.pace_cpu_ms = Some(proc_stats::cpu_ms(pid)? - cpu_after_burst);
                    break 'run;
                }
            }
            report.pace_acknowledged =
                last_acknowledged(&members).map(|at| at.saturating_duration_since(last));
            report.pace_cpu_ms = Some(proc_stats::cpu_ms(pid)? - cpu_after_burst);
        }
        report.peak_rss_kib = Some(proc_stats::memory(pid)?.peak_kib);

        // Let the last changes reach the other tablets (bounded: what has
        // not arrived by then shows in the arrival counts).
        let expected = |summaries: &[crate::tablet::LedgerSummary], phase: usize| -> u64 {
            summaries
                .iter()
                .zip(&site_sizes)
                .map(|(s, n)| s.made[phase] * (n.saturating_sub(1)) as u64)
                .sum()
        };
        let grace = (Instant::now() + Duration::from_secs(10)).min(deadline);
        wait_for(grace, server, || {
            let summaries: Vec<_> = ledgers.iter().map(|l| l.summary()).collect();
            (0..2).all(|p| {
                summaries
                    .iter()
                    .map(|s| s.samples[p].len() as u64)
                    .sum::<u64>()
                    >= expected(&summaries, p)
            })
        })
        .await;

        // 4. Idle memory.
        progress(config, &format!("idle for {} s", config.settle.as_secs()));
        tokio::time::sleep(config.settle).await;
        report.idle_rss_kib = Some(proc_stats::memory(pid)?.rss_kib);

        // 5. Nothing lost.
        progress(config, "checking with a fresh tablet per site");
        let check_until = (Instant::now() + config.verify_timeout).min(deadline);
        let mut checkers = Vec::new();
        for (s, site) in sites.iter().enumerate() {
            let Some(device) = site.devices.last() else {
                continue;
            };
            let checker = Tablet::new(usize::MAX - s, &device.name, None)?;
            checker.connect(device.url.clone(), gate.clone());
            checkers.push((s, checker));
        }
        let all_up = wait_for(check_until, server, || {
            checkers.iter().all(|(_, c)| c.is_connected())
        })
        .await;
        if matches!(all_up, Waited::Done) {
            for (s, checker) in &checkers {
                for spec in &specs[*s] {
                    checker.want(spec.id);
                }
            }
        }
        let missing = || -> u64 {
            checkers
                .iter()
                .flat_map(|(s, c)| {
                    let ledger = &ledgers[*s];
                    specs[*s]
                        .iter()
                        .map(move |spec| c.missing(&spec.id, &ledger.changes_of(&spec.id)))
                })
                .sum::<usize>() as u64
        };
        wait_for(check_until, server, || missing() == 0).await;
        report.checked = ledgers
            .iter()
            .map(|l| l.summary().made.iter().sum::<u64>())
            .sum();
        report.lost = Some(missing());
        let mut diverged = 0;
        let mut copies = 0;
        for (s, checker) in &checkers {
            for spec in &specs[*s] {
                let heads = checker.heads(&spec.id);
                for m in members.iter().filter(|m| m.site == *s) {
                    copies += 1;
                    if m.tablet.heads(&spec.id) != heads {
                        diverged += 1;
                    }
                }
            }
        }
        report.diverged = Some(diverged);
        report.copies = copies;
        for (_, checker) in &checkers {
            checker.disconnect().await;
        }
    }

    if report.peak_rss_kib.is_none() {
        report.peak_rss_kib = proc_stats::memory(pid).ok().map(|m: Memory| m.peak_kib);
    }
    let summaries: Vec<_> = ledgers.iter().map(|l| l.summary()).collect();
    for phase in 0..2 {
        let mut all: Vec<u32> = summaries
            .iter()
            .flat_map(|s| s.samples[phase].iter().copied())
            .collect();
        all.sort_unstable();
        report.latencies[phase] = all;
        report.arrivals_expected[phase] = summaries
            .iter()
            .zip(&site_sizes)
            .map(|(s, n)| s.made[phase] * (n.saturating_sub(1)) as u64)
            .sum();
    }
    report.stats = members
        .iter()
        .map(|m| m.tablet.stats())
        .fold(TabletStats::default(), TabletStats::plus);
    report.first_errors = members
        .iter()
        .flat_map(|m| m.tablet.errors())
        .take(5)
        .collect();
    progress(config, "closing the tablets");
    futures::future::join_all(members.iter().map(|m| m.tablet.disconnect())).await;
    report.generator_cpu_ms = proc_stats::cpu_ms(me)? - generator_cpu_before;
    Ok(())
}

fn stopped_because(waited: Waited, config: &BurstConfig, state: &str) -> String {
    match waited {
        Waited::ServerExited => format!("the server exited; {state}"),
        _ => format!(
            "did not finish within {} s; {state}",
            config.timeout.as_secs()
        ),
    }
}

fn all_acknowledged(members: &[Member]) -> bool {
    members.iter().all(|m| m.tablet.confirmed_at().is_some())
}

fn last_acknowledged(members: &[Member]) -> Option<Instant> {
    members.iter().filter_map(|m| m.tablet.confirmed_at()).max()
}

fn acknowledged_so_far(members: &[Member]) -> String {
    let done = members
        .iter()
        .filter(|m| m.tablet.confirmed_at().is_some())
        .count();
    let unconfirmed: usize = members.iter().map(|m| m.tablet.unconfirmed()).sum();
    format!(
        "{done} of {} tablets had every change acknowledged, {unconfirmed} changes were not",
        members.len()
    )
}

/// One tablet's paced changes: its documents in turn, one change every
/// `pace ± jitter`, until done or `stop_at`. How many it made and when
/// the last one was made.
async fn pace(
    tablet: Arc<Tablet>,
    specs: Vec<DocSpec>,
    config: BurstConfig,
    stop_at: Instant,
) -> Result<(u64, Option<Instant>), BenchError> {
    // Tablet indexes are unique, so each gets its own stream.
    let mut rng = Rng::new(config.seed, tablet.index() as u64);
    let mut next = Instant::now() + config.pace.mul_f64(rng.unit());
    let total = config.changes * specs.len();
    let mut made = 0;
    let mut last = None;
    for n in 0..total {
        if next >= stop_at {
            break;
        }
        tokio::time::sleep_until(next.into()).await;
        let spec = &specs[n % specs.len()];
        let name = tablet.name().to_owned();
        tablet.change(spec.id, Phase::Pace, |doc| {
            workload::edit(doc, spec, &name, n / specs.len())
        })?;
        made += 1;
        let now = Instant::now();
        last = Some(now);
        let factor = 1.0 - config.jitter + 2.0 * config.jitter * rng.unit();
        next = now + config.pace.mul_f64(factor);
    }
    Ok((made, last))
}

/// The server's resident memory every `every` until `stop`.
async fn sample_rss(
    pid: u32,
    every: Duration,
    stop: tokio_util::sync::CancellationToken,
) -> Vec<u64> {
    let mut samples = Vec::new();
    let mut ticks = tokio::time::interval(every.max(Duration::from_millis(100)));
    ticks.tick().await;
    loop {
        tokio::select! {
            () = stop.cancelled() => return samples,
            _ = ticks.tick() => {
                if let Ok(m) = proc_stats::memory(pid) {
                    samples.push(m.rss_kib);
                }
            }
        }
    }
}
