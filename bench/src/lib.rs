//! Shiftbook's load generator.
//!
//! Many tablets in one process, each the model's sans-IO
//! [`SyncClient`](shiftbook_model::client::SyncClient) over its own real
//! WebSocket (tokio-tungstenite), against a sync server: Shiftbook's
//! `sync-server`, the automerge-repo reference server (Node), or any
//! server already running. The scenarios ([`burst`], [`reconnect`]) return
//! their figures as plain data; [`report`] turns them into a table.
//!
//! Everything runs on one clock: a change's latency to another tablet is
//! measured from the moment its tablet made it to the moment the other
//! tablet merged it ([`tablet::ChangeLedger`]). The server's CPU time and
//! memory are read from `/proc` ([`proc_stats`]), so figures are Linux
//! only.

pub mod burst;
pub mod proc_stats;
pub mod reconnect;
pub mod report;
pub mod tablet;
pub mod target;
pub mod workload;

use std::time::Duration;

/// What stopped a scenario. Slowness is not an error: a run that does not
/// finish in time reports how far it got ([`burst::BurstReport::timed_out`]).
#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    /// A process could not be started, or a file could not be read.
    #[error("{what}: {source}")]
    Io {
        /// What was being done.
        what: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// The server did not come up.
    #[error("the server did not start: {why}\n--- its last output ---\n{output}")]
    ServerStart {
        /// Why not.
        why: String,
        /// The last lines it printed.
        output: String,
    },
    /// Enrolling the devices into the server's data directory failed.
    #[error("enrolling devices: {0}")]
    Enrol(#[from] sync_server::StoreError),
    /// A target was named wrongly.
    #[error("bad target {0:?}: use ours, node, or URL:PID (e.g. ws://127.0.0.1:8080/sync:4242)")]
    BadTarget(String),
    /// The workload could not be built (a model error, boxed: it is large).
    #[error("building the workload: {0}")]
    Model(Box<shiftbook_model::ModelError>),
    /// automerge refused a document.
    #[error("automerge: {0}")]
    Automerge(#[from] automerge::AutomergeError),
    /// A configuration that cannot run.
    #[error("bad configuration: {0}")]
    Config(String),
    /// No randomness for actor ids and site keys.
    #[error("no randomness: {0}")]
    Random(String),
    /// Tablets could not connect within the time allowed.
    #[error("{failed} of {total} tablets had not connected after {waited:?}; first error: {first}")]
    Connect {
        /// Tablets without a completed handshake.
        failed: usize,
        /// Tablets in the run.
        total: usize,
        /// How long was waited.
        waited: Duration,
        /// The first connection error seen, if any.
        first: String,
    },
}

impl From<shiftbook_model::ModelError> for BenchError {
    fn from(e: shiftbook_model::ModelError) -> Self {
        Self::Model(Box::new(e))
    }
}

/// `n` random bytes from the OS.
pub(crate) fn random_bytes<const N: usize>() -> Result<[u8; N], BenchError> {
    let mut out = [0u8; N];
    getrandom::fill(&mut out).map_err(|e| BenchError::Random(e.to_string()))?;
    Ok(out)
}

/// A small deterministic random number generator (SplitMix64) for the
/// workload's pacing and jitter, so a run can be repeated with `--seed`.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator for stream `stream` of seed `seed`.
    pub fn new(seed: u64, stream: u64) -> Self {
        let mut rng = Self(seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        rng.next_u64();
        rng
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A float in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::Rng;

    #[test]
    fn the_rng_repeats_per_seed_and_stream_and_stays_in_range() {
        let a: Vec<u64> = (0..4).map(|_| Rng::new(1, 2).next_u64()).collect();
        assert!(a.windows(2).all(|w| w[0] == w[1]));
        assert_ne!(Rng::new(1, 2).next_u64(), Rng::new(1, 3).next_u64());
        let mut r = Rng::new(7, 0);
        assert!((0..1000).map(|_| r.unit()).all(|u| (0.0..1.0).contains(&u)));
    }
}
