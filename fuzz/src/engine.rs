//! The fuzzing loop: run a target on its corpus, then on mutated inputs,
//! catching panics and timing every execution.
//!
//! A [`Target`] is a function from bytes to an *outcome signature* (a hash
//! of which way the input went: decoded as what, refused why, which
//! effects followed). The loop keeps every mutated input whose signature
//! is new in its in-memory pool, so mutations build on inputs that reached
//! somewhere new — a cheap stand-in for coverage feedback, which stable
//! Rust cannot give without instrumenting the build.
//!
//! Everything is determined by the seed: the same seed, target and corpus
//! give the same inputs in the same order, so a crash is reproduced by
//! its input (printed in hex and saved) or by `--seed` and the iteration.

use crate::mutate;
use crate::rng::Rng;
use std::cell::{Cell, RefCell};
use std::collections::HashSet;
use std::fmt::Write as _;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// One fuzz target.
#[derive(Clone, Copy)]
pub struct Target {
    /// Its name (`--target NAME`, the corpus and crashes directories).
    pub name: &'static str,
    /// What it feeds to what, in a line.
    pub about: &'static str,
    /// Run one input; returns the outcome signature. Panics are the bugs.
    pub run: fn(&[u8]) -> u64,
    /// Seed inputs made with the model's own encoders and writers (what
    /// `fuzz-corpus` writes to `fuzz/corpus/<name>/`).
    pub seeds: fn() -> Vec<Vec<u8>>,
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Target").field("name", &self.name).finish()
    }
}

/// A panic caught while running an input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Panic {
    /// The panic message and its location (`file:line:col`).
    pub message: String,
    /// Where it came from (captured for the first panic at each location).
    pub backtrace: Option<String>,
}

thread_local! {
    static CAPTURING: Cell<bool> = const { Cell::new(false) };
    static LAST_PANIC: RefCell<Option<Panic>> = const { RefCell::new(None) };
    static SEEN_LOCATIONS: RefCell<HashSet<String>> = RefCell::new(HashSet::new());
    /// The target and input this thread is running (for
    /// [`report_memory_bomb`]); the buffer is reused, so recording an input
    /// allocates only when it is the longest yet.
    static RUNNING: RefCell<(&'static str, Vec<u8>)> = const { RefCell::new(("", Vec::new())) };
}

/// Save the input this thread is running as a memory bomb: called once by
/// [`crate::memory_cap::CappedAlloc`] when an allocation of `size` bytes
/// (with `live` bytes already allocated) crosses its cap, just before that
/// allocation fails and the process aborts. The input goes to
/// `target/fuzz-crashes/<target>/oom-<pid>.bin` and its path to stderr.
pub fn report_memory_bomb(size: usize, live: usize) {
    let saved = RUNNING.try_with(|r| {
        let Ok(r) = r.try_borrow() else { return None };
        let (target, input) = (r.0, &r.1);
        if target.is_empty() {
            return None;
        }
        let dir = crate::found_dir(target);
        let path = dir.join(format!("oom-{}.bin", std::process::id()));
        std::fs::create_dir_all(&dir).ok()?;
        std::fs::write(&path, input).ok()?;
        Some((target, path))
    });
    match saved {
        Ok(Some((target, path))) => eprintln!(
            "MEMORY BOMB in {target}: an allocation of {size} bytes with {live} live; \
             input saved: {} (replay it with --replay under a memory limit)",
            path.display()
        ),
        _ => eprintln!(
            "MEMORY BOMB: an allocation of {size} bytes with {live} live, outside a fuzzed input"
        ),
    }
}

static HOOK: Once = Once::new();

/// Whether the first panic at each location captures a backtrace (slow:
/// symbolising takes a global lock; `fuzz-run` turns it on, the tests
/// leave it off).
static BACKTRACES: AtomicBool = AtomicBool::new(false);

/// Capture a backtrace of the first panic at each location (see
/// [`execute`]).
pub fn capture_backtraces(on: bool) {
    BACKTRACES.store(on, Ordering::Relaxed);
}

/// Install the panic hook that records panics of fuzzed inputs quietly
/// (once per process; panics elsewhere still print as usual).
fn install_hook() {
    HOOK.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !CAPTURING.with(Cell::get) {
                default(info);
                return;
            }
            let payload = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "(non-string panic payload)".to_owned());
            let location = info
                .location()
                .map_or_else(|| "unknown location".to_owned(), ToString::to_string);
            let first = BACKTRACES.load(Ordering::Relaxed)
                && SEEN_LOCATIONS.with(|s| s.borrow_mut().insert(location.clone()));
            let backtrace = first.then(|| std::backtrace::Backtrace::force_capture().to_string());
            LAST_PANIC.with(|p| {
                *p.borrow_mut() = Some(Panic {
                    message: format!("{payload} (at {location})"),
                    backtrace,
                });
            });
        }));
    });
}

/// Run `target` on `input` once: its signature, or the panic.
pub fn execute(target: &Target, input: &[u8]) -> Result<u64, Panic> {
    install_hook();
    RUNNING.with(|r| {
        let mut r = r.borrow_mut();
        r.0 = target.name;
        r.1.clear();
        r.1.extend_from_slice(input);
    });
    CAPTURING.with(|c| c.set(true));
    let result = panic::catch_unwind(AssertUnwindSafe(|| (target.run)(input)));
    CAPTURING.with(|c| c.set(false));
    result.map_err(|_| {
        LAST_PANIC
            .with(|p| p.borrow_mut().take())
            .unwrap_or_else(|| Panic {
                message: "panic (no message recorded)".to_owned(),
                backtrace: None,
            })
    })
}

/// A crashing input.
#[derive(Debug, Clone)]
pub struct Crash {
    /// The execution it happened in (0-based; the corpus comes first).
    pub iteration: u64,
    /// The input.
    pub input: Vec<u8>,
    /// The panic.
    pub panic: Panic,
}

/// How a campaign runs.
#[derive(Debug, Clone)]
pub struct Config {
    /// The seed of every random choice.
    pub seed: u64,
    /// Executions to run (the corpus replay counts).
    pub execs: u64,
    /// Stop early after this long (the report says how many ran).
    pub time_limit: Option<Duration>,
    /// At most this many stacked mutations per input.
    pub max_stack: usize,
    /// Print a progress line this often (`None`: quiet).
    pub progress_every: Option<Duration>,
}

impl Config {
    /// `execs` executions with `seed`, no time limit, quiet.
    pub fn new(seed: u64, execs: u64) -> Self {
        Self {
            seed,
            execs,
            time_limit: None,
            max_stack: 6,
            progress_every: None,
        }
    }
}

/// What a campaign did.
#[derive(Debug, Clone)]
pub struct Report {
    /// The target's name.
    pub target: &'static str,
    /// Executions run.
    pub execs: u64,
    /// Executions that panicked.
    pub crashing_execs: u64,
    /// One crash per panic location, in the order found.
    pub crashes: Vec<Crash>,
    /// Wall time.
    pub elapsed: Duration,
    /// The slowest execution and its input.
    pub slowest: (Duration, Vec<u8>),
    /// Distinct outcome signatures seen.
    pub signatures: usize,
    /// Inputs kept in the pool (corpus and new finds).
    pub pool: usize,
}

impl Report {
    /// Executions per second.
    pub fn rate(&self) -> f64 {
        let s = self.elapsed.as_secs_f64();
        if s > 0.0 { self.execs as f64 / s } else { 0.0 }
    }
}

/// Most inputs the in-memory pool keeps.
const POOL_CAP: usize = 4096;

/// Run `target`: every `corpus` entry once as it is, then mutated inputs
/// until `config.execs` executions (or the time limit).
pub fn run(target: &Target, corpus: &[Vec<u8>], config: &Config) -> Report {
    let mut rng = Rng::for_target(config.seed, target.name);
    let started = Instant::now();
    let mut last_progress = started;
    let mut pool: Vec<Vec<u8>> = corpus.to_vec();
    if pool.is_empty() {
        pool.push(Vec::new());
    }
    let seeds = pool.len();
    let mut seen: HashSet<u64> = HashSet::new();
    let mut seen_crash: HashSet<String> = HashSet::new();
    let mut report = Report {
        target: target.name,
        execs: 0,
        crashing_execs: 0,
        crashes: Vec::new(),
        elapsed: Duration::ZERO,
        slowest: (Duration::ZERO, Vec::new()),
        signatures: 0,
        pool: 0,
    };
    for i in 0..config.execs {
        if config.time_limit.is_some_and(|t| started.elapsed() >= t) {
            break;
        }
        let input = match corpus.get(i as usize) {
            Some(entry) => entry.clone(),
            None => {
                // Half the time from the seeds, half from what was found.
                let from = if pool.len() > seeds && rng.chance(1, 2) {
                    seeds + rng.below(pool.len() - seeds)
                } else {
                    rng.below(seeds)
                };
                let mut input = pool.get(from).cloned().unwrap_or_default();
                mutate::mutate(&mut input, &mut rng, &pool, config.max_stack);
                input
            }
        };
        let t = Instant::now();
        let outcome = execute(target, &input);
        let took = t.elapsed();
        report.execs += 1;
        if took > report.slowest.0 {
            report.slowest = (took, input.clone());
        }
        match outcome {
            Ok(signature) => {
                if seen.insert(signature)
                    && corpus.get(i as usize).is_none()
                    && pool.len() < POOL_CAP
                {
                    pool.push(input);
                }
            }
            Err(panic) => {
                report.crashing_execs += 1;
                let key = panic
                    .message
                    .rsplit_once(" (at ")
                    .map_or(panic.message.clone(), |(_, at)| at.to_owned());
                if seen_crash.insert(key) {
                    report.crashes.push(Crash {
                        iteration: i,
                        input,
                        panic,
                    });
                }
            }
        }
        if let Some(every) = config.progress_every
            && last_progress.elapsed() >= every
        {
            last_progress = Instant::now();
            eprintln!(
                "  {}: {} execs, {} crashing, {:.0}/s, {} signatures",
                target.name,
                report.execs,
                report.crashing_execs,
                report.execs as f64 / started.elapsed().as_secs_f64(),
                seen.len()
            );
        }
    }
    report.elapsed = started.elapsed();
    report.signatures = seen.len();
    report.pool = pool.len();
    report
}

/// Greedily shrink `input` while `target` still panics at the same place
/// (whole ranges first, then single bytes, then bytes lowered towards 0).
pub fn minimise(target: &Target, input: &[u8], budget: usize) -> Vec<u8> {
    let Err(first) = execute(target, input) else {
        return input.to_vec();
    };
    let place = |p: &Panic| p.message.rsplit_once(" (at ").map(|(_, at)| at.to_owned());
    let want = place(&first);
    let still = |candidate: &[u8]| match execute(target, candidate) {
        Err(p) => place(&p) == want,
        Ok(_) => false,
    };
    let mut best = input.to_vec();
    let mut tries = 0;
    let mut chunk = best.len().next_power_of_two().max(1);
    while chunk >= 1 && tries < budget {
        let mut at = 0;
        while at < best.len() && tries < budget {
            let mut candidate = best.clone();
            let end = (at + chunk).min(candidate.len());
            candidate.drain(at..end);
            tries += 1;
            if still(&candidate) {
                best = candidate;
            } else {
                at += chunk;
            }
        }
        chunk /= 2;
    }
    for i in 0..best.len() {
        if tries >= budget {
            break;
        }
        for lower in [0u8, 1, b'0', b'a'] {
            if best.get(i).is_some_and(|&b| b > lower) {
                let mut candidate = best.clone();
                if let Some(b) = candidate.get_mut(i) {
                    *b = lower;
                }
                tries += 1;
                if still(&candidate) {
                    best = candidate;
                    break;
                }
            }
        }
    }
    best
}

/// `bytes` as lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// Hex back to bytes (whitespace ignored); `None` if it is not hex.
pub fn unhex(text: &str) -> Option<Vec<u8>> {
    let digits: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if !digits.len().is_multiple_of(2) {
        return None;
    }
    digits
        .chunks(2)
        .map(|pair| {
            let s = std::str::from_utf8(pair).ok()?;
            u8::from_str_radix(s, 16).ok()
        })
        .collect()
}

/// A 64-bit FNV-1a hash, for outcome signatures.
#[derive(Debug, Clone, Copy)]
pub struct Sig(u64);

impl Default for Sig {
    fn default() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
}

impl Sig {
    /// Mix in bytes.
    pub fn bytes(&mut self, bytes: &[u8]) -> &mut Self {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
        self
    }

    /// Mix in a string.
    pub fn str(&mut self, s: &str) -> &mut Self {
        self.bytes(s.as_bytes()).bytes(&[0xff])
    }

    /// Mix in a number.
    pub fn num(&mut self, n: u64) -> &mut Self {
        self.bytes(&n.to_le_bytes())
    }

    /// The hash.
    pub fn finish(&self) -> u64 {
        self.0
    }
}

/// The kind of an error for a signature: its text up to the first digit
/// or quote, so that "at offset 17" and "at offset 18" are one outcome.
pub fn error_kind(text: &str) -> &str {
    let end = text
        .find(|c: char| c.is_ascii_digit() || c == '"' || c == '\'')
        .unwrap_or(text.len());
    text.get(..end.min(80)).unwrap_or(text)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn panics_on_ab(input: &[u8]) -> u64 {
        if input.windows(2).any(|w| w == b"ab") {
            panic!("found ab");
        }
        input.first().copied().map_or(0, u64::from)
    }

    fn no_seeds() -> Vec<Vec<u8>> {
        Vec::new()
    }

    const T: Target = Target {
        name: "test",
        about: "panics on ab",
        run: panics_on_ab,
        seeds: no_seeds,
    };

    #[test]
    fn a_panic_is_caught_with_its_message_and_location() {
        let p = execute(&T, b"xxabyy").unwrap_err();
        assert!(p.message.starts_with("found ab (at "), "{}", p.message);
        assert!(p.message.contains("engine.rs"), "{}", p.message);
        assert_eq!(execute(&T, b"zz"), Ok(u64::from(b'z')));
    }

    #[test]
    fn the_loop_finds_the_crash_and_the_minimiser_shrinks_it() {
        let report = run(&T, &[b"a".to_vec(), b"b".to_vec()], &Config::new(3, 20_000));
        assert_eq!(report.execs, 20_000);
        let crash = report.crashes.first().expect("a crash");
        let small = minimise(&T, &crash.input, 10_000);
        assert_eq!(small, b"ab");
    }

    #[test]
    fn the_same_seed_gives_the_same_run() {
        let a = run(&T, &[b"a".to_vec()], &Config::new(9, 2_000));
        let b = run(&T, &[b"a".to_vec()], &Config::new(9, 2_000));
        assert_eq!(a.crashing_execs, b.crashing_execs);
        assert_eq!(a.signatures, b.signatures);
        assert_eq!(
            a.crashes.first().map(|c| c.input.clone()),
            b.crashes.first().map(|c| c.input.clone())
        );
    }

    #[test]
    fn hex_round_trips() {
        assert_eq!(
            unhex(&hex(&[0, 1, 0xab, 0xff])),
            Some(vec![0, 1, 0xab, 0xff])
        );
        assert_eq!(unhex("0g"), None);
    }
}
