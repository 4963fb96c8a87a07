//! Measures one PIN verification with [`PIN_ITERATIONS`], to choose the
//! iteration count: `cargo run --release -p shiftbook-model --example pin_bench`.
//! A browser running the wasm build is roughly 3× slower than this figure.

use shiftbook_model::roster::{PIN_ITERATIONS, PinHash};
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let hash = PinHash::new("123456", [9; 16], PIN_ITERATIONS)?;
    let runs = 5;
    let start = Instant::now();
    for _ in 0..runs {
        assert!(hash.verify("123456"));
    }
    let each = start.elapsed().as_secs_f64() / f64::from(runs);
    println!(
        "{PIN_ITERATIONS} iterations: {:.3} s per verification natively, ~{:.2} s estimated in a browser (3×)",
        each,
        each * 3.0
    );
    Ok(())
}
