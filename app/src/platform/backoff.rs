//! When to try reconnecting after the sync socket closed.
//!
//! Doubling delays from one second up to a cap, with jitter so a site's
//! tablets coming back from one outage do not reconnect in lockstep. The
//! cap is short: a tablet in a basement comes back in range often, and a
//! reconnect attempt to the site's server costs next to nothing.

/// Exponential reconnect delays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backoff {
    attempt: u32,
}

/// The first delay, in milliseconds.
const BASE_MS: u32 = 1_000;
/// The longest delay, in milliseconds.
const CAP_MS: u32 = 4_000;

impl Backoff {
    /// A fresh backoff: the next delay is the shortest.
    pub fn new() -> Self {
        Self { attempt: 0 }
    }

    /// The connection worked: start again from the shortest delay.
    pub fn reset(&mut self) {
        self.attempt = 0;
    }

    /// The delay before the next attempt. `jitter` in `[0, 1)` spreads it
    /// over the upper quarter of the nominal delay.
    pub fn next_delay_ms(&mut self, jitter: f64) -> u32 {
        let nominal = BASE_MS.saturating_mul(1 << self.attempt.min(8)).min(CAP_MS);
        self.attempt = self.attempt.saturating_add(1);
        let jitter = jitter.clamp(0.0, 1.0);
        let spread = f64::from(nominal) * 0.25 * jitter;
        (f64::from(nominal) * 0.75 + spread) as u32
    }
}

impl Default for Backoff {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_double_up_to_the_cap_and_reset() {
        let mut b = Backoff::new();
        let delays: Vec<u32> = (0..6).map(|_| b.next_delay_ms(1.0)).collect();
        assert_eq!(delays, vec![1_000, 2_000, 4_000, 4_000, 4_000, 4_000]);
        b.reset();
        assert_eq!(b.next_delay_ms(0.0), 750);
    }

    #[test]
    fn jitter_stays_within_the_upper_quarter_of_the_nominal_delay() {
        for jitter in [0.0, 0.3, 0.99, 5.0, -1.0] {
            let mut b = Backoff::new();
            for nominal in [1_000, 2_000, 4_000, 4_000] {
                let d = b.next_delay_ms(jitter);
                assert!(d >= nominal * 3 / 4 && d <= nominal, "{d} for {nominal}");
            }
        }
    }
}
