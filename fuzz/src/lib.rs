//! Fuzzing of every decoder a hostile or buggy peer, or a corrupted
//! storage, can feed Shiftbook — on stable Rust, inside `cargo test` and
//! as a release binary (`fuzz-run`).
//!
//! # Engine: `arbitrary` + our own seeded mutator
//!
//! Not `cargo-fuzz` (nightly only) and not `bolero`: on stable, bolero
//! without `cargo-bolero` runs its random-generation test engine — inputs
//! drawn from type generators, not mutations of a corpus of real frames
//! and documents — and its fuzzing engines (libFuzzer, AFL, honggfuzz) need
//! `cargo-bolero` and their toolchains; it would also add its own corpus
//! layout and a dozen crates. What the decoders here need most is
//! *structure*: a real sync message with one change bent, a real day's
//! duty log with one field of the wrong type. So:
//!
//! * [`engine`]: a deterministic loop (SplitMix64 [`rng`], a fixed seed)
//!   that replays the corpus, then mutates it ([`mutate`]: bit flips, byte
//!   insert / delete, truncation, splicing corpus entries, interesting
//!   integers as fixed-width, LEB128 and CBOR heads), keeps inputs that
//!   reach a new *outcome signature* (a cheap stand-in for coverage, which
//!   stable Rust cannot measure without instrumenting the build), catches
//!   panics, and reports each crash with its input in hex, the seed and the
//!   iteration; [`engine::minimise`] shrinks a crasher.
//! * `arbitrary`'s `Unstructured` turns fuzz bytes into structured
//!   choices ([`targets::values`]): mutation programs applied to real
//!   documents through automerge's API ([`targets::edit`]) and
//!   field-by-field rewrites of real sync messages ([`targets::script`]).
//!   Byte mutation of those programs is structure-aware mutation of the
//!   documents and frames.
//! * [`chunks`]: mutated automerge bytes get their chunk checksums
//!   recomputed, so mutations reach the column decoders.
//! * [`memory_cap`]: `fuzz-run`'s allocator; an input that makes the code
//!   allocate beyond a cap is saved before the process aborts (a memory
//!   bomb is a finding, not a machine that swaps).
//!
//! # Targets
//!
//! See [`targets`]: `wire`, `client`, `hub` and one `doc-<family>` per
//! document family. Seeds are made by the model's own encoders and writers
//! ([`seeds`], [`targets::session`]) and written to `fuzz/corpus/<target>/`
//! by `cargo run -p shiftbook-fuzz --bin fuzz-corpus`; crashers are kept in
//! `fuzz/crashes/<target>/` and replayed by `tests/fuzz.rs`.

pub mod chunks;
pub mod engine;
pub mod memory_cap;
pub mod mutate;
pub mod rng;
pub mod seeds;
pub mod targets;

use std::path::{Path, PathBuf};

/// The `fuzz/` directory of the workspace.
pub fn fuzz_dir() -> PathBuf {
    // Cargo names it at run time; the compile-time path is only a fallback
    // (a binary reused from another clone would point there).
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf())
}

/// Where `fuzz-run` saves what it finds outside the tree:
/// `target/fuzz-crashes/<target>/` of the workspace.
pub fn found_dir(target: &str) -> PathBuf {
    fuzz_dir()
        .join("..")
        .join("target")
        .join("fuzz-crashes")
        .join(target)
}

/// The files of `fuzz/<kind>/<target>/` (`kind`: `corpus` or `crashes`),
/// sorted by name; README files are not inputs.
pub fn files(kind: &str, target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = fuzz_dir().join(kind).join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut out: Vec<(PathBuf, Vec<u8>)> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.is_file()
                && !p
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("README"))
        })
        .filter_map(|p| std::fs::read(&p).ok().map(|b| (p, b)))
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// The corpus of `target` as stored.
pub fn corpus(target: &str) -> Vec<Vec<u8>> {
    files("corpus", target)
        .into_iter()
        .map(|(_, b)| b)
        .collect()
}
