//! `fuzz-corpus`: write every target's seeds — frames captured from the
//! model's encoder and a real session, saved documents of every family,
//! short mutation programs — to `fuzz/corpus/<target>/seed-NNN.bin`
//! (replacing earlier `seed-*` files; other files there are kept), and
//! make sure `fuzz/crashes/<target>/` exists with its README.
//!
//! `cargo run -p shiftbook-fuzz --bin fuzz-corpus`

use shiftbook_fuzz::{fuzz_dir, targets};
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut written = 0;
    for t in targets::all() {
        let dir = fuzz_dir().join("corpus").join(t.name);
        let crashes = fuzz_dir().join("crashes").join(t.name);
        let result = (|| -> std::io::Result<usize> {
            std::fs::create_dir_all(&dir)?;
            std::fs::create_dir_all(&crashes)?;
            let readme = crashes.join("README.md");
            if !readme.exists() {
                std::fs::write(
                    &readme,
                    format!(
                        "Crashing inputs of the `{}` target go here (minimised, as `fuzz-run` saves them); `cargo test -p shiftbook-fuzz` replays every one as a test.\n",
                        t.name
                    ),
                )?;
            }
            for entry in std::fs::read_dir(&dir)?.flatten() {
                if entry.file_name().to_string_lossy().starts_with("seed-") {
                    std::fs::remove_file(entry.path())?;
                }
            }
            let seeds = (t.seeds)();
            for (i, seed) in seeds.iter().enumerate() {
                std::fs::write(dir.join(format!("seed-{i:03}.bin")), seed)?;
            }
            Ok(seeds.len())
        })();
        match result {
            Ok(n) => {
                println!("{:<24} {n} seeds", t.name);
                written += n;
            }
            Err(e) => {
                eprintln!("{}: {e}", t.name);
                return ExitCode::FAILURE;
            }
        }
    }
    println!(
        "{written} seed files written under {}",
        fuzz_dir().join("corpus").display()
    );
    ExitCode::SUCCESS
}
