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
const KNOWN: &[Known] = &[
    Known {
        target: "doc-handover_equipment",
        file: "automerge-load-sort-not-total-order.bin",
        at: "does not correctly implement a total order",
        bug: "BUG-3: automerge load of malformed bytes sorts with an inconsistent order and the \
              standard library's sort panics (op_set2/change/batch.rs BatchApply::apply)",
    },
    Known {
        target: "client",
        file: "bloom-filter-without-bits.bin",
        at: "automerge-0.12.0/src/sync/bloom.rs:74",
        bug: "BUG-1: a sync message whose `have` bloom filter has no bits makes generate_sync_message divide by zero (automerge BloomFilter::get_probes, sync/bloom.rs:74): the hub's shard task and the client panic",
    },
    Known {
        target: "client",
        file: "missing-ops-in-generate-sync-message.bin",
        at: "automerge-0.12.0/src/op_set2/change/collector.rs:788",
        bug: "BUG-2: after a crafted sync message, generate_sync_message unwraps Err(MissingOps) (automerge op_set2/change/collector.rs:788)",
    },
    Known {
        target: "doc-checklist",
        file: "automerge-load-unwrap-none.bin",
        at: "/automerge-0.12.0/src/",
        bug: "BUG-3: automerge 0.12.0 panics (unwrap, index out of bounds, assertions) instead of returning an error on malformed document or change bytes: Automerge::load, load_incremental, merge / apply_changes",
    },
    Known {
        target: "doc-checklist",
        file: "automerge-obj-missing-from-index.bin",
        at: "/automerge-0.12.0/src/",
        bug: "BUG-3: automerge 0.12.0 panics (unwrap, index out of bounds, assertions) instead of returning an error on malformed document or change bytes: Automerge::load, load_incremental, merge / apply_changes",
    },
    Known {
        target: "doc-checklist",
        file: "automerge-change-graph-index-out-of-bounds.bin",
        at: "/automerge-0.12.0/src/",
        bug: "BUG-3: automerge 0.12.0 panics (unwrap, index out of bounds, assertions) instead of returning an error on malformed document or change bytes: Automerge::load, load_incremental, merge / apply_changes",
    },
    Known {
        target: "doc-checklist",
        file: "hexane-delta-run-overflows.bin",
        at: "/hexane-1.0.0-alpha.5/src/",
        bug: "BUG-4: hexane 1.0.0-alpha.5 (automerge's column codec) panics on malformed columns and on changes with extreme values (delta overflows i64) in load, load_incremental and merge / apply_changes",
    },
    Known {
        target: "doc-settings",
        file: "hexane-delta-value-overflows.bin",
        at: "/hexane-1.0.0-alpha.5/src/",
        bug: "BUG-4: hexane 1.0.0-alpha.5 (automerge's column codec) panics on malformed columns and on changes with extreme values (delta overflows i64) in load, load_incremental and merge / apply_changes",
    },
    Known {
        target: "doc-checklist",
        file: "hexane-take-crosses-slab-boundary.bin",
        at: "/hexane-1.0.0-alpha.5/src/",
        bug: "BUG-4: hexane 1.0.0-alpha.5 (automerge's column codec) panics on malformed columns and on changes with extreme values (delta overflows i64) in load, load_incremental and merge / apply_changes",
    },
    Known {
        target: "doc-checklist",
        file: "hexane-null-in-non-nullable-column.bin",
        at: "/hexane-1.0.0-alpha.5/src/",
        bug: "BUG-4: hexane 1.0.0-alpha.5 (automerge's column codec) panics on malformed columns and on changes with extreme values (delta overflows i64) in load, load_incremental and merge / apply_changes",
    },
    Known {
        target: "doc-checklist",
        file: "hexane-unwrap-invalid-number.bin",
        at: "/hexane-1.0.0-alpha.5/src/",
        bug: "BUG-4: hexane 1.0.0-alpha.5 (automerge's column codec) panics on malformed columns and on changes with extreme values (delta overflows i64) in load, load_incremental and merge / apply_changes",
    },
];

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
    known_client_bloom_filter_without_bits => "client", "bloom-filter-without-bits.bin",
        "BUG-1: bloom filter without bits → division by zero in generate_sync_message (client)";
    known_client_missing_ops => "client", "missing-ops-in-generate-sync-message.bin",
        "BUG-2: generate_sync_message unwraps Err(MissingOps) (client)";
    known_automerge_load_unwrap_none => "doc-checklist", "automerge-load-unwrap-none.bin",
        "BUG-3: automerge load of malformed bytes unwraps None (batch.rs:1121)";
    known_automerge_obj_missing_from_index => "doc-checklist", "automerge-obj-missing-from-index.bin",
        "BUG-3: automerge load of malformed bytes panics: object missing from index (batch.rs:920)";
    known_automerge_change_graph_index => "doc-checklist", "automerge-change-graph-index-out-of-bounds.bin",
        "BUG-3: automerge load of malformed bytes indexes out of bounds (change_graph.rs:1007)";
    known_automerge_load_sort_order => "doc-handover_equipment", "automerge-load-sort-not-total-order.bin",
        "BUG-3: automerge load of malformed bytes: sort with an inconsistent order panics";
    known_hexane_delta_run_overflows => "doc-checklist", "hexane-delta-run-overflows.bin",
        "BUG-4: a received change with an extreme time, then a local commit: delta run overflows i64 (hexane delta/indexed.rs:118)";
    known_hexane_delta_value_overflows => "doc-settings", "hexane-delta-value-overflows.bin",
        "BUG-4: applying a change with time i64::MIN panics: delta value overflows i64 (hexane delta/indexed.rs:119)";
    known_hexane_take_crosses_slab => "doc-checklist", "hexane-take-crosses-slab-boundary.bin",
        "BUG-4: load of malformed columns panics (hexane raw.rs:622)";
    known_hexane_null_in_non_nullable => "doc-checklist", "hexane-null-in-non-nullable-column.bin",
        "BUG-4: load of malformed columns panics: null in non-nullable column (hexane lib.rs:364)";
    known_hexane_unwrap_invalid_number => "doc-checklist", "hexane-unwrap-invalid-number.bin",
        "BUG-4: load of malformed columns unwraps InvalidNumber (hexane lib.rs:354)";
}

/// Crashes of the server found by fuzzing and fixed (the hub catches
/// automerge's panics and closes only the offending connection): their
/// files replay without a panic.
#[test]
fn fixed_hub_bloom_filter_without_bits() {
    replay_known("hub", "bloom-filter-without-bits.bin");
}

/// See [`fixed_hub_bloom_filter_without_bits`].
#[test]
fn fixed_hub_missing_ops_in_generate_sync_message() {
    replay_known("hub", "missing-ops-in-generate-sync-message.bin");
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
