//! `fuzz-run`: run the fuzz targets for a set number of executions.
//!
//! ```text
//! cargo run --release -p shiftbook-fuzz --bin fuzz-run -- \
//!     [--target NAME|all] [--execs N] [--seed S] [--jobs J] \
//!     [--max-seconds T] [--progress SECS] [--save-crashes] [--minimise-budget N]
//! cargo run --release -p shiftbook-fuzz --bin fuzz-run -- --target NAME --replay FILE...
//! cargo run --release -p shiftbook-fuzz --bin fuzz-run -- --target NAME --minimise FILE
//! cargo run --release -p shiftbook-fuzz --bin fuzz-run -- --list
//! ```
//!
//! Each target first replays its corpus (`fuzz/corpus/<target>/`), then
//! runs mutated inputs until N executions (default 1,000,000) or the time
//! limit; it prints executions, crashes, elapsed time and executions per
//! second. A crash prints its panic, where it happened, the seed, the
//! iteration and the input in hex; it is minimised and saved under
//! `target/fuzz-crashes/<target>/` (or `fuzz/crashes/<target>/` with
//! `--save-crashes`, where the tests replay it). Exit status 1 if any
//! target crashed.

use shiftbook_fuzz::engine::{self, Config, Report, Target};
use shiftbook_fuzz::memory_cap::CappedAlloc;
use shiftbook_fuzz::{corpus, found_dir, fuzz_dir, targets};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::Duration;

/// One allocation above 1 GiB, or 4 GiB live, is a memory bomb: nothing a
/// target does with a fuzz input of a few KiB needs that much (the largest
/// seed documents load in a few MiB); the input is saved before the abort.
#[global_allocator]
static ALLOC: CappedAlloc = CappedAlloc::new(1 << 30, 4 << 30);

#[derive(Debug)]
struct Args {
    target: String,
    execs: u64,
    seed: u64,
    jobs: usize,
    max_seconds: Option<u64>,
    progress: Option<u64>,
    save_crashes: bool,
    minimise_budget: usize,
    replay: Vec<PathBuf>,
    minimise: Option<PathBuf>,
    list: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        target: "all".into(),
        execs: 1_000_000,
        seed: 0x5eed,
        jobs: 1,
        max_seconds: None,
        progress: None,
        save_crashes: false,
        minimise_budget: 4_000,
        replay: Vec::new(),
        minimise: None,
        list: false,
    };
    let mut it = std::env::args().skip(1);
    let number = |v: Option<String>, what: &str| -> Result<u64, String> {
        let v = v.ok_or_else(|| format!("{what} needs a value"))?;
        let v = v.replace('_', "");
        let parsed = match v.strip_prefix("0x") {
            Some(hex) => u64::from_str_radix(hex, 16),
            None => v.parse(),
        };
        parsed.map_err(|_| format!("{what}: not a number: {v}"))
    };
    while let Some(a) = it.next() {
        match a.as_str() {
            "--target" => args.target = it.next().ok_or("--target needs a name")?,
            "--execs" => args.execs = number(it.next(), "--execs")?,
            "--seed" => args.seed = number(it.next(), "--seed")?,
            "--jobs" => args.jobs = number(it.next(), "--jobs")?.max(1) as usize,
            "--max-seconds" => args.max_seconds = Some(number(it.next(), "--max-seconds")?),
            "--progress" => args.progress = Some(number(it.next(), "--progress")?),
            "--save-crashes" => args.save_crashes = true,
            "--minimise-budget" => {
                args.minimise_budget = number(it.next(), "--minimise-budget")? as usize;
            }
            "--replay" => {
                args.replay.extend(it.by_ref().map(PathBuf::from));
            }
            "--minimise" | "--minimize" => {
                args.minimise = Some(PathBuf::from(it.next().ok_or("--minimise needs a file")?));
            }
            "--list" => args.list = true,
            "-h" | "--help" => {
                return Err("usage: fuzz-run [--target NAME|all] [--execs N] [--seed S] [--jobs J] \
                            [--max-seconds T] [--progress SECS] [--save-crashes] | --replay FILE... \
                            | --minimise FILE | --list"
                    .into());
            }
            other => return Err(format!("unknown argument {other} (try --help)")),
        }
    }
    Ok(args)
}

fn chosen(name: &str) -> Result<Vec<Target>, String> {
    if name == "all" {
        return Ok(targets::all());
    }
    let names: Vec<&str> = name.split(',').collect();
    names
        .iter()
        .map(|n| targets::by_name(n).ok_or_else(|| format!("no target {n} (try --list)")))
        .collect()
}

fn read_input(path: &PathBuf) -> Result<Vec<u8>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    // A `.hex` file holds the input as hex (as a crash report prints it).
    if path.extension().is_some_and(|e| e == "hex") {
        let text = String::from_utf8_lossy(&bytes);
        return engine::unhex(&text).ok_or_else(|| format!("{}: not hex", path.display()));
    }
    Ok(bytes)
}

fn save_crash(target: &Target, input: &[u8], in_tree: bool) -> Option<PathBuf> {
    let dir = if in_tree {
        fuzz_dir().join("crashes").join(target.name)
    } else {
        found_dir(target.name)
    };
    std::fs::create_dir_all(&dir).ok()?;
    let mut sig = engine::Sig::default();
    sig.bytes(input);
    let path = dir.join(format!("crash-{:016x}.bin", sig.finish()));
    std::fs::write(&path, input).ok()?;
    Some(path)
}

/// Hex of `bytes`, cut after 1 KiB (the saved file holds all of it).
fn short_hex(bytes: &[u8]) -> String {
    const MAX: usize = 1024;
    match bytes.get(..MAX) {
        Some(head) if bytes.len() > MAX => format!(
            "{}… (first {MAX} of {} bytes; the saved file holds all)",
            engine::hex(head),
            bytes.len()
        ),
        _ => engine::hex(bytes),
    }
}

fn print_report(r: &Report, target: &Target, seed: u64, save_in_tree: bool, budget: usize) {
    println!(
        "{:<24} execs {:>9}  crashes {:>3} ({} executions)  elapsed {:>8.1} s  {:>9.0} execs/s  slowest {:.3} s  signatures {}",
        r.target,
        r.execs,
        r.crashes.len(),
        r.crashing_execs,
        r.elapsed.as_secs_f64(),
        r.rate(),
        r.slowest.0.as_secs_f64(),
        r.signatures,
    );
    for c in &r.crashes {
        println!(
            "  CRASH in {} at iteration {} (seed {seed:#x}): {}",
            r.target, c.iteration, c.panic.message
        );
        if let Some(bt) = &c.panic.backtrace {
            let frames: Vec<&str> = bt
                .lines()
                .filter(|l| {
                    l.contains("shiftbook") || l.contains("sync_server") || l.contains("automerge")
                })
                .take(16)
                .collect();
            for f in frames {
                println!("    {}", f.trim());
            }
        }
        println!(
            "    input ({} bytes): {}",
            c.input.len(),
            short_hex(&c.input)
        );
        let small = engine::minimise(target, &c.input, budget);
        println!(
            "    minimised ({} bytes): {}",
            small.len(),
            short_hex(&small)
        );
        if let Some(path) = save_crash(target, &small, save_in_tree) {
            println!("    saved: {}", path.display());
        }
        println!(
            "    replay: cargo run --release -p shiftbook-fuzz --bin fuzz-run -- --target {} --replay FILE \
             (or --seed {seed:#x} --execs {})",
            r.target,
            c.iteration + 1
        );
    }
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    engine::capture_backtraces(true);
    if args.list {
        for t in targets::all() {
            println!(
                "{:<24} {} ({} corpus files)",
                t.name,
                t.about,
                corpus(t.name).len()
            );
        }
        return ExitCode::SUCCESS;
    }
    let targets = match chosen(&args.target) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    if !args.replay.is_empty() || args.minimise.is_some() {
        let mut failed = false;
        let files: Vec<PathBuf> = args
            .replay
            .iter()
            .chain(args.minimise.iter())
            .cloned()
            .collect();
        for path in &files {
            let input = match read_input(path) {
                Ok(i) => i,
                Err(e) => {
                    eprintln!("{e}");
                    return ExitCode::from(2);
                }
            };
            for t in &targets {
                match engine::execute(t, &input) {
                    Ok(sig) => println!("{} {}: ok (signature {sig:016x})", t.name, path.display()),
                    Err(p) => {
                        failed = true;
                        println!("{} {}: CRASH {}", t.name, path.display(), p.message);
                        if let Some(bt) = &p.backtrace {
                            println!("{bt}");
                        }
                        if args.minimise.as_ref() == Some(path) {
                            let small = engine::minimise(t, &input, 20_000);
                            println!("minimised ({} bytes): {}", small.len(), engine::hex(&small));
                            if let Some(saved) = save_crash(t, &small, args.save_crashes) {
                                println!("saved: {}", saved.display());
                            }
                        }
                    }
                }
            }
        }
        return if failed {
            ExitCode::FAILURE
        } else {
            ExitCode::SUCCESS
        };
    }
    let config = Config {
        seed: args.seed,
        execs: args.execs,
        time_limit: args.max_seconds.map(Duration::from_secs),
        max_stack: 6,
        progress_every: args.progress.map(Duration::from_secs),
    };
    println!(
        "fuzz-run: {} target(s), {} executions each, seed {:#x}, {} job(s)",
        targets.len(),
        args.execs,
        args.seed,
        args.jobs
    );
    let queue = Mutex::new(targets.clone());
    let reports: Mutex<Vec<Report>> = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..args.jobs.min(targets.len()) {
            s.spawn(|| {
                loop {
                    let next = queue.lock().map(|mut q| {
                        if q.is_empty() {
                            None
                        } else {
                            Some(q.remove(0))
                        }
                    });
                    let Ok(Some(target)) = next else { break };
                    let report = engine::run(&target, &corpus(target.name), &config);
                    if let Ok(_guard) = reports.lock() {
                        print_report(
                            &report,
                            &target,
                            args.seed,
                            args.save_crashes,
                            args.minimise_budget,
                        );
                    }
                    if let Ok(mut r) = reports.lock() {
                        r.push(report);
                    }
                }
            });
        }
    });
    let reports = reports.into_inner().unwrap_or_default();
    let crashes: usize = reports.iter().map(|r| r.crashes.len()).sum();
    let execs: u64 = reports.iter().map(|r| r.execs).sum();
    println!(
        "total: {execs} executions, {crashes} distinct crash(es) in {} target(s)",
        reports.len()
    );
    if crashes > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
