//! The fault simulation of sync as a bench: many seeds, the faults
//! injected in total, the failures with their seeds, the time taken.
//! What is simulated and checked is described in
//! `tests/support/fault_sim.rs`; the test command runs a few hundred of
//! the same seeds (`tests/fault_simulation.rs`).
//!
//! ```text
//! cargo run --release -p sync-server --example fault_sim -- --seeds 10000 [--from S] [--jobs J] [--ordered]
//! cargo run --release -p sync-server --example fault_sim -- --seed S [--ordered]   # one seed, verbosely
//! ```
//!
//! `--ordered` keeps every channel ordered and lossless (no drops,
//! duplicates or reorders; stalls, cuts, kills and everything else stay),
//! as a WebSocket over TCP is: a failure there cannot be blamed on the
//! proxy breaking what TCP guarantees.

#[path = "../tests/support/fault_sim.rs"]
mod fault_sim;

use anyhow::{Context as _, bail};
use fault_sim::{Config, Outcome, Stats, failure_kind, run_seed};
use std::collections::BTreeMap;
use std::time::Instant;

struct Args {
    seeds: u64,
    from: u64,
    one: Option<u64>,
    jobs: usize,
    ordered: bool,
}

fn args() -> anyhow::Result<Args> {
    let mut out = Args {
        seeds: 10_000,
        from: 0,
        one: None,
        jobs: std::thread::available_parallelism().map_or(2, |n| n.get()),
        ordered: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = |name: &str| -> anyhow::Result<u64> {
            it.next()
                .with_context(|| format!("{name} needs a value"))?
                .parse()
                .with_context(|| format!("{name} takes a number"))
        };
        match flag.as_str() {
            "--seeds" => out.seeds = value("--seeds")?,
            "--from" => out.from = value("--from")?,
            "--seed" => out.one = Some(value("--seed")?),
            "--jobs" => out.jobs = usize::try_from(value("--jobs")?.max(1))?,
            "--ordered" => out.ordered = true,
            "-h" | "--help" => {
                println!(
                    "fault_sim [--seeds N] [--from S] [--jobs J] [--ordered] | --seed S [--ordered]\n\
                     runs seeds S..S+N (default 0..10000) of the sync fault simulation"
                );
                std::process::exit(0);
            }
            other => bail!("unknown argument {other:?} (try --help)"),
        }
    }
    Ok(out)
}

fn main() -> anyhow::Result<()> {
    let args = args()?;
    let config = Config {
        ordered: args.ordered,
        ..Config::default()
    };
    if let Some(seed) = args.one {
        let started = Instant::now();
        let outcome = run_seed(seed, &config, true);
        println!("{}", outcome.stats);
        println!("digest               {:016x}", outcome.digest);
        println!("elapsed              {:.2?}", started.elapsed());
        if let Some(failure) = outcome.failure {
            println!("FAILED {failure}");
            std::process::exit(1);
        }
        println!("ok");
        return Ok(());
    }
    let started = Instant::now();
    let seeds: Vec<u64> = (args.from..args.from.saturating_add(args.seeds)).collect();
    let jobs = args.jobs.min(seeds.len().max(1));
    let chunk = seeds.len().div_ceil(jobs).max(1);
    let mut outcomes: Vec<Outcome> = std::thread::scope(|scope| {
        let handles: Vec<_> = seeds
            .chunks(chunk)
            .map(|part| {
                let config = config.clone();
                scope.spawn(move || {
                    part.iter()
                        .map(|&seed| run_seed(seed, &config, false))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    outcomes.sort_by_key(|o| o.seed);
    let mut total = Stats::default();
    for o in &outcomes {
        total.add(&o.stats);
    }
    let failures: Vec<&Outcome> = outcomes.iter().filter(|o| o.failure.is_some()).collect();
    println!(
        "fault simulation: seeds {}..{} on {jobs} threads{}",
        args.from,
        args.from.saturating_add(args.seeds),
        if args.ordered {
            ", ordered lossless channels"
        } else {
            ""
        }
    );
    println!("{total}");
    println!(
        "failures             {}{}",
        failures.len(),
        if failures.is_empty() {
            String::new()
        } else {
            format!(
                " (seeds {})",
                failures
                    .iter()
                    .map(|o| o.seed.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    );
    let mut kinds: BTreeMap<&str, Vec<u64>> = BTreeMap::new();
    for o in &failures {
        if let Some(f) = &o.failure {
            kinds.entry(failure_kind(f)).or_default().push(o.seed);
        }
    }
    for (kind, seeds) in &kinds {
        let shown: Vec<String> = seeds.iter().take(12).map(u64::to_string).collect();
        let more = if seeds.len() > 12 { ", …" } else { "" };
        println!(
            "  {:>5} × {kind} (seeds {}{more})",
            seeds.len(),
            shown.join(", ")
        );
    }
    for o in &failures {
        if let Some(f) = &o.failure {
            println!("  {f}");
        }
    }
    println!("elapsed              {:.1?}", started.elapsed());
    if !failures.is_empty() {
        std::process::exit(1);
    }
    Ok(())
}
