//! The load generator in-process against the real `sync-server` binary
//! (the debug build: `cargo build -p sync-server` first): every change
//! acknowledged, every change found again by a fresh tablet, every copy
//! converged, no errors. Counts only, never times.
//!
//! The binary is `$SHIFTBOOK_SERVER_BIN` if set, else `sync-server` in the
//! profile directory of this test executable. Without it the tests are
//! skipped with a message, unless `CI` is set: then they fail.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use shiftbook_bench::burst::{BurstConfig, BurstReport, run_burst};
use shiftbook_bench::reconnect::{ReconnectConfig, run_reconnect};
use shiftbook_bench::target::Target;
use std::path::PathBuf;
use std::time::Duration;

/// The server binary, or `None` (after saying why) when the test should
/// be skipped.
fn server_binary(test: &str) -> Option<PathBuf> {
    let name = format!("sync-server{}", std::env::consts::EXE_SUFFIX);
    let path = match std::env::var_os("SHIFTBOOK_SERVER_BIN") {
        Some(path) => PathBuf::from(path),
        None => {
            let exe = std::env::current_exe().unwrap();
            // target/<profile>/deps/<test> → target/<profile>/sync-server
            let profile = exe.parent().and_then(|deps| deps.parent()).unwrap();
            profile.join(name)
        }
    };
    if path.is_file() {
        return Some(path);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{test}: no sync-server binary at {} under CI; run `cargo build -p sync-server` first",
        path.display()
    );
    eprintln!(
        "SKIPPED {test}: no sync-server binary at {} (run `cargo build -p sync-server`)",
        path.display()
    );
    None
}

fn burst_config(tablets: usize, sites: usize) -> BurstConfig {
    BurstConfig {
        tablets,
        sites,
        docs: 5,
        changes: 2,
        pace: Duration::from_millis(100),
        jitter: 0.5,
        duration: None,
        // A bound so a broken server fails the test instead of hanging it;
        // the test asserts nothing about time.
        timeout: Duration::from_secs(900),
        settle: Duration::ZERO,
        verify_timeout: Duration::from_secs(120),
        progress: false,
        ..BurstConfig::default()
    }
}

fn assert_complete(r: &BurstReport, config: &BurstConfig) {
    let shown = r
        .rows()
        .iter()
        .map(|(k, v)| format!("{k}: {v}"))
        .collect::<Vec<_>>()
        .join("\n");
    assert_eq!(r.timed_out, None, "{shown}");
    let opened = (config.tablets * config.docs) as u64;
    let paced = opened * config.changes as u64;
    assert_eq!(r.open_changes, opened, "{shown}");
    assert_eq!(r.pace_changes, paced, "{shown}");
    assert!(r.open_acknowledged.is_some(), "{shown}");
    assert!(r.pace_acknowledged.is_some(), "{shown}");
    assert_eq!(r.checked, opened + paced, "{shown}");
    assert_eq!(r.lost, Some(0), "{shown}");
    assert_eq!(r.diverged, Some(0), "{shown}");
    assert_eq!(r.copies, opened, "{shown}");
    assert_eq!(
        (r.stats.errors, r.stats.unavailable, r.stats.disconnects),
        (0, 0, 0),
        "{shown}\nfirst errors: {:?}",
        r.first_errors
    );
    // Every change reached every other tablet of its site.
    let per_site = (config.tablets / config.sites) as u64;
    assert_eq!(
        r.arrivals_expected,
        [opened * (per_site - 1), paced * (per_site - 1)]
    );
    assert_eq!(
        [r.latencies[0].len() as u64, r.latencies[1].len() as u64],
        r.arrivals_expected,
        "{shown}"
    );
    assert!(r.is_clean(), "{shown}");
}

/// 200 tablets over 40 sites each open 5 new documents at once (their
/// site's day), then make 2 changes per document: every opening and change
/// is acknowledged, reaches the site's other tablets, and nothing is lost.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_tablets_open_five_new_documents_each() {
    let Some(binary) = server_binary("loadgen 200-tablet smoke") else {
        return;
    };
    let config = burst_config(200, 40);
    let report = run_burst(&ours(binary), &config).await.unwrap();
    assert_complete(&report, &config);
}

/// One tablet's offline shift comes back whole.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_offline_shift_is_acknowledged_whole_on_reconnect() {
    let Some(binary) = server_binary("loadgen reconnect smoke") else {
        return;
    };
    let config = ReconnectConfig {
        docs: 10,
        changes: 200,
        new_docs: false,
        timeout: Duration::from_secs(300),
        progress: false,
    };
    let r = run_reconnect(&ours(binary), &config).await.unwrap();
    assert_eq!(r.timed_out, None);
    assert!(r.acknowledged.is_some());
    assert_eq!(r.lost, Some(0));
    assert_eq!(r.checked, 210, "10 starts online, 200 marks offline");
    assert!(r.raw_bytes > 0 && r.wire.bytes_sent > 0);
    assert_eq!((r.stats.errors, r.stats.unavailable), (0, 0));
    assert!(r.is_clean());
}

/// Our server from `binary`; every simulated tablet connects from
/// 127.0.0.1, so the per-address connection limit is lifted.
fn ours(binary: std::path::PathBuf) -> Target {
    Target::Ours {
        binary,
        args: vec!["--max-connections-per-address".into(), "0".into()],
    }
}
