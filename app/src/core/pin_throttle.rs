//! Growing delays after wrong PINs on a shared tablet, so guessing a
//! colleague's PIN takes hours, while a slip of the finger costs nothing.
//!
//! The first two failures cost nothing; then each failure doubles the wait,
//! from 2 s up to 5 minutes. A correct PIN clears the count.

/// Free attempts before delays start.
const FREE_FAILURES: u32 = 2;
/// The first delay, in milliseconds.
const FIRST_DELAY_MS: i64 = 2_000;
/// The longest delay, in milliseconds.
const MAX_DELAY_MS: i64 = 300_000;

/// Failures and the earliest time of the next attempt, per person.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PinThrottle {
    failures: u32,
    next_attempt_ms: i64,
}

impl PinThrottle {
    /// Milliseconds to wait before the next attempt (0 = try now).
    pub fn wait_ms(&self, now_ms: i64) -> i64 {
        (self.next_attempt_ms - now_ms).max(0)
    }

    /// Failures since the last success.
    #[cfg(test)]
    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// A wrong PIN at `now_ms`.
    pub fn failed(&mut self, now_ms: i64) {
        self.failures = self.failures.saturating_add(1);
        let over = self.failures.saturating_sub(FREE_FAILURES);
        let delay = if over == 0 {
            0
        } else {
            FIRST_DELAY_MS
                .saturating_mul(1i64 << (over - 1).min(20))
                .min(MAX_DELAY_MS)
        };
        self.next_attempt_ms = now_ms.saturating_add(delay);
    }

    /// The right PIN.
    pub fn succeeded(&mut self) {
        *self = Self::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_start_after_two_slips_and_double_up_to_five_minutes() {
        let mut t = PinThrottle::default();
        let mut waits = Vec::new();
        for _ in 0..12 {
            t.failed(1_000);
            waits.push(t.wait_ms(1_000));
        }
        assert_eq!(&waits[..6], &[0, 0, 2_000, 4_000, 8_000, 16_000]);
        assert_eq!(*waits.last().unwrap(), 300_000);
        assert_eq!(t.wait_ms(1_000 + 300_000), 0);
        t.succeeded();
        assert_eq!((t.failures(), t.wait_ms(0)), (0, 0));
    }

    #[test]
    fn a_clock_going_backwards_only_makes_the_wait_longer_not_negative() {
        let mut t = PinThrottle::default();
        for _ in 0..3 {
            t.failed(10_000);
        }
        assert_eq!(t.wait_ms(5_000), 7_000);
        assert_eq!(t.wait_ms(i64::MAX), 0);
    }
}
