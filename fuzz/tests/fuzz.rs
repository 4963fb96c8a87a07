//! The fuzz targets as tests: corpus and crash files replayed (see
//! `replay_set`: every corpus file through the frame targets, and through
//! each document target its own corpus, the frame corpora and a sample of
//! the other families'), then mutated executions per target with a fixed
//! seed. A crash fails the test with its panic, iteration and input in
//! hex (replay it with `fuzz-run --replay`).
//!
//! The counts (fewer for the families whose read path is heaviest) are
//! what a debug build on two cores runs in well under a minute: automerge's column decoders (the `hexane` and `leb128` crates)
//! are not optimised in the dev profile, which makes a document read
//! 5–10× slower than it would be with them at `opt-level = 3`. The
//! release binary `fuzz-run` is for the long runs.
//!
//! Bugs not fixed yet are listed in `KNOWN`: their crash files are
//! replayed by their own `#[ignore]`d tests naming the bug (to be
//! un-ignored, and removed from the list, with the fix), and panics at
//! their locations in the mutated runs are printed, not failed.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use shiftbook_fuzz::engine::{self, Config, Target};
use shiftbook_fuzz::{files, targets};

/// The seed of the mutated executions (fixed: the same inputs every run).
const SEED: u64 = 0x5eed_f022;

/// An open bug found by the fuzzer: its minimised crash file (replayed by
/// its own `#[ignore]`d test below) and the panic location that
/// identifies it. Until it is fixed, panics at `at` in the mutated runs
/// are printed, not failed.
struct Known {
    target: &'static str,
    file: &'static str,
    at: &'static str,
    bug: &'static str,
}

/// The open bugs; see [`Known`]. The first whose `at` a panic names is
/// the one it is counted as.
const KNOWN: &[Known] = &[Known {
    target: "doc-checklist",
    file: "automerge-load-unwrap-none.bin",
    at: "/automerge-0.12.0/src/",
    bug: "BUG-3: automerge 0.12.0 panics (unwrap, index out of bounds, assertions) instead of returning an error on malformed document or change bytes: Automerge::load, load_incremental, merge / apply_changes",
}];

/// The frame and script targets, whose corpora every target replays.
const FRAME_TARGETS: [&str; 3] = ["wire", "client", "hub"];

/// What `name` replays before mutating: for the frame targets every
/// corpus file of every target; for a document target its own corpus,
/// the frame targets' corpora and the first file of every other
/// document target's (all of them through every document target would
/// take minutes in a debug build).
fn replay_set(name: &str) -> Vec<(String, Vec<u8>)> {
    targets::all()
        .iter()
        .flat_map(|t| {
            let all = files("corpus", t.name);
            let take = if FRAME_TARGETS.contains(&name)
                || FRAME_TARGETS.contains(&t.name)
                || t.name == name
            {
                all.len()
            } else {
                1
            };
            all.into_iter().take(take)
        })
        .map(|(p, b)| (p.display().to_string(), b))
        .collect()
}

fn known_file(target: &str, path: &std::path::Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    KNOWN.iter().any(|k| k.target == target && k.file == name)
}

/// The open bug a panic message belongs to, if any.
fn known_panic(message: &str) -> Option<&'static Known> {
    KNOWN.iter().find(|k| message.contains(k.at))
}

/// Replay [`replay_set`] and this target's crash files, then run `execs`
/// mutated executions; fail on any crash that is not a [`KNOWN`] bug.
fn fuzz(name: &str, execs: u64) {
    let target: Target = targets::by_name(name).expect("a target of that name");
    let mut failures = Vec::new();
    let mut known = Vec::new();
    let mut note =
        |what: String, message: &str, failures: &mut Vec<String>| match known_panic(message) {
            Some(k) => known.push(format!("known bug ({}): {message} — {what}", k.bug)),
            None => failures.push(format!("{message} — {what}")),
        };
    for (path, input) in replay_set(name) {
        if let Err(p) = engine::execute(&target, &input) {
            note(format!("corpus file {path}"), &p.message, &mut failures);
        }
    }
    for (path, input) in files("crashes", name) {
        if known_file(name, &path) {
            continue;
        }
        if let Err(p) = engine::execute(&target, &input) {
            note(
                format!("crash file {}", path.display()),
                &p.message,
                &mut failures,
            );
        }
    }
    let own = shiftbook_fuzz::corpus(name);
    assert!(
        !own.is_empty(),
        "no corpus for {name}: run `cargo run -p shiftbook-fuzz --bin fuzz-corpus`"
    );
    let report = engine::run(&target, &own, &Config::new(SEED, own.len() as u64 + execs));
    for c in &report.crashes {
        note(
            format!(
                "iteration {} (seed {SEED:#x}), input {}",
                c.iteration,
                engine::hex(&c.input)
            ),
            &c.panic.message,
            &mut failures,
        );
    }
    for k in &known {
        println!("{name}: {k}");
    }
    println!(
        "{name}: {} executions in {:.1} s ({:.0}/s), {} signatures, slowest {:.3} s",
        report.execs,
        report.elapsed.as_secs_f64(),
        report.rate(),
        report.signatures,
        report.slowest.0.as_secs_f64()
    );
    assert!(
        failures.is_empty(),
        "{name} crashed:\n{}",
        failures.join("\n")
    );
}

/// Replay one known crash file (the `#[ignore]`d tests): it fails while
/// the bug is there.
fn replay_known(target: &str, file: &str) {
    let t = targets::by_name(target).expect("a target of that name");
    let path = shiftbook_fuzz::fuzz_dir()
        .join("crashes")
        .join(target)
        .join(file);
    let input = std::fs::read(&path).expect("the crash file");
    if let Err(p) = engine::execute(&t, &input) {
        panic!("{}: {}", path.display(), p.message);
    }
}

#[test]
fn every_target_has_a_corpus_and_a_crashes_directory() {
    for t in targets::all() {
        assert!(
            !files("corpus", t.name).is_empty(),
            "no corpus for {}",
            t.name
        );
        let crashes = shiftbook_fuzz::fuzz_dir().join("crashes").join(t.name);
        assert!(
            crashes.join("README.md").is_file(),
            "no {}",
            crashes.display()
        );
    }
    for k in KNOWN {
        let path = shiftbook_fuzz::fuzz_dir()
            .join("crashes")
            .join(k.target)
            .join(k.file);
        assert!(path.is_file(), "known crash {} is missing", path.display());
    }
}

macro_rules! known_tests {
    ($($test:ident => $target:literal, $file:literal, $bug:literal;)*) => {
        $(
            #[test]
            #[ignore = $bug]
            fn $test() {
                replay_known($target, $file);
            }
        )*
    };
}

// One `#[ignore]`d replay per open bug's crash file (see `KNOWN`);
// un-ignore with the fix.
known_tests! {
    known_automerge_load_unwrap_none => "doc-checklist", "automerge-load-unwrap-none.bin",
        "BUG-3: automerge load of malformed bytes unwraps None (batch.rs:1121)";
}

/// Crashes of the server found by fuzzing and fixed (the hub catches
/// automerge's panics and closes only the offending connection): their
/// files replay without a panic.
#[test]
fn fixed_hub_bloom_filter_without_bits() {
    replay_known("hub", "bloom-filter-without-bits.bin");
}

/// The client checks a message's Bloom filters before automerge uses
/// them ([`shiftbook_model::sync_guard`]): a filter with entries and no
/// bits is refused with an error instead of dividing by zero.
#[test]
fn fixed_client_bloom_filter_without_bits() {
    replay_known("client", "bloom-filter-without-bits.bin");
}

/// The client drops repeated hashes from a message's `need` before
/// automerge answers it ([`shiftbook_model::sync_guard`]); automerge
/// unwrapped `Err(MissingOps)` answering them.
#[test]
fn fixed_client_missing_ops_in_generate_sync_message() {
    replay_known("client", "missing-ops-in-generate-sync-message.bin");
}

/// Changes timed far in the past or future reach a tablet's automerge
/// only through its client, which counts them against
/// `client::RECEIVE_BUDGET` first (times outside `CHANGE_TIMES` are
/// refused): automerge panicked applying one timed `i64::MIN`, and on a
/// local commit after one (a delta overflowed i64 in hexane).
#[test]
fn fixed_extreme_change_times() {
    replay_known("doc-checklist", "hexane-delta-run-overflows.bin");
    replay_known("doc-settings", "hexane-delta-value-overflows.bin");
}

/// See [`fixed_hub_bloom_filter_without_bits`].
#[test]
fn fixed_hub_missing_ops_in_generate_sync_message() {
    replay_known("hub", "missing-ops-in-generate-sync-message.bin");
}

/// Inputs on which automerge 0.12 panics or allocates without bound,
/// which the server's budget ([`sync_server::hub::MESSAGE_BUDGET`],
/// counted from the encoded bytes) refuses before automerge sees them —
/// as the document targets now do: they replay without a panic, and the
/// budget's refusal is checked on its own, so that a budget that lets one
/// through fails here by name rather than by exhausting memory.
#[test]
fn refused_by_the_budget_before_automerge() {
    let refused = [
        // BUG-3: load panics — object missing from index (batch.rs:920),
        // change graph index out of bounds (change_graph.rs:1007), a sort
        // with an inconsistent order.
        ("doc-checklist", "automerge-obj-missing-from-index.bin"),
        (
            "doc-checklist",
            "automerge-change-graph-index-out-of-bounds.bin",
        ),
        (
            "doc-handover_equipment",
            "automerge-load-sort-not-total-order.bin",
        ),
        // BUG-4: hexane panics on malformed columns.
        ("doc-checklist", "hexane-take-crosses-slab-boundary.bin"),
        ("doc-checklist", "hexane-null-in-non-nullable-column.bin"),
        ("doc-checklist", "hexane-unwrap-invalid-number.bin"),
        // A 951-byte document whose change metadata claims 242 trillion
        // changes (four actor columns, one a run of 2^47): Automerge::load
        // allocated beyond 8 GiB (ChangeGraphCols::load).
        (
            "doc-handover_pending",
            "memory-bomb-242-trillion-changes.bin",
        ),
    ];
    for (target, file) in refused {
        let path = shiftbook_fuzz::fuzz_dir()
            .join("crashes")
            .join(target)
            .join(file);
        let input = std::fs::read(&path).expect("the crash file");
        assert_eq!(input.first().map(|b| b % 4), Some(0), "{file} is raw bytes");
        let bytes = shiftbook_fuzz::chunks::fix_checksums(&input[1..]);
        let counted =
            shiftbook_model::chunk_budget::count(&bytes, &sync_server::hub::MESSAGE_BUDGET);
        assert!(
            counted.is_err(),
            "{file}: the budget let it through: {counted:?}"
        );
        replay_known(target, file);
    }
}

macro_rules! fuzz_tests {
    ($($test:ident => $name:literal, $execs:expr;)*) => {
        $(
            #[test]
            fn $test() {
                fuzz($name, $execs);
            }
        )*
    };
}

fuzz_tests! {
    fuzz_wire => "wire", 5_000;
    fuzz_client => "client", 300;
    fuzz_hub => "hub", 1_000;
    fuzz_doc_checklist => "doc-checklist", 150;
    fuzz_doc_roster => "doc-roster", 150;
    fuzz_doc_settings => "doc-settings", 150;
    fuzz_doc_templates => "doc-templates", 60;
    fuzz_doc_security_log => "doc-security_log", 150;
    fuzz_doc_followup => "doc-followup", 150;
    fuzz_doc_complaint => "doc-complaint", 80;
    fuzz_doc_work_permit => "doc-work_permit", 80;
    fuzz_doc_handover => "doc-handover", 50;
    fuzz_doc_handover_pending => "doc-handover_pending", 150;
    fuzz_doc_handover_equipment => "doc-handover_equipment", 150;
    fuzz_doc_key_register => "doc-key_register", 50;
    fuzz_doc_duty_log => "doc-duty_log", 80;
    fuzz_doc_visitor_log => "doc-visitor_log", 100;
    fuzz_doc_owner_visit => "doc-owner_visit", 150;
    fuzz_doc_show_flat => "doc-show_flat", 150;
    fuzz_doc_signature => "doc-signature", 40;
}
