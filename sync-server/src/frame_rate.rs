//! How fast one sync socket may send frames: a token bucket.
//!
//! A device asking for 20,000 ids as fast as it could write them pushed
//! another site's round trip to 145 ms. Each socket may send
//! [`BURST`] frames at once (a tablet back from a 12-hour offline shift
//! sends a few hundred) and [`FRAMES_PER_SECOND`] after that; beyond it the
//! socket is simply not read for a while, so TCP slows the sender down and
//! nothing is lost or refused.

use std::time::{Duration, Instant};

/// Frames a socket may send in one go.
pub const BURST: f64 = 2_000.0;
/// Frames a socket may send per second, sustained.
pub const FRAMES_PER_SECOND: f64 = 500.0;

/// One socket's bucket.
#[derive(Debug, Clone)]
pub struct FrameRate {
    tokens: f64,
    last: Instant,
}

impl FrameRate {
    /// A full bucket at `now`.
    pub fn new(now: Instant) -> Self {
        Self {
            tokens: BURST,
            last: now,
        }
    }

    /// Take a frame at `now`: how long to wait before handling it, if at
    /// all. Frames handled after waiting are paid for in advance, so a
    /// steady sender settles at [`FRAMES_PER_SECOND`].
    pub fn take(&mut self, now: Instant) -> Option<Duration> {
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        self.last = now;
        self.tokens = (self.tokens + elapsed * FRAMES_PER_SECOND).min(BURST);
        self.tokens -= 1.0;
        (self.tokens < 0.0).then(|| Duration::from_secs_f64(-self.tokens / FRAMES_PER_SECOND))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_passes_then_frames_are_paced() {
        let t0 = Instant::now();
        let mut rate = FrameRate::new(t0);
        for _ in 0..BURST as usize {
            assert_eq!(rate.take(t0), None);
        }
        let wait = rate.take(t0).unwrap();
        assert_eq!(wait, Duration::from_secs_f64(1.0 / FRAMES_PER_SECOND));
        // A second later the bucket holds a second's worth again (minus
        // the frame taken on credit).
        let t1 = t0 + Duration::from_secs(1);
        for _ in 0..(FRAMES_PER_SECOND as usize - 1) {
            assert_eq!(rate.take(t1), None);
        }
        assert!(rate.take(t1).is_some());
    }

    #[test]
    fn a_steady_flood_settles_at_the_rate() {
        let t0 = Instant::now();
        let mut rate = FrameRate::new(t0);
        let mut now = t0;
        let frames = 10_000;
        for _ in 0..frames {
            if let Some(wait) = rate.take(now) {
                now += wait;
            }
        }
        let took = now.duration_since(t0).as_secs_f64();
        let expected = (frames as f64 - BURST) / FRAMES_PER_SECOND;
        assert!(
            (took - expected).abs() < 0.05,
            "took {took} s, expected {expected}"
        );
    }

    #[test]
    fn an_idle_socket_refills_only_up_to_the_burst() {
        let t0 = Instant::now();
        let mut rate = FrameRate::new(t0);
        let later = t0 + Duration::from_secs(3600);
        for _ in 0..BURST as usize {
            assert_eq!(rate.take(later), None);
        }
        assert!(rate.take(later).is_some());
    }
}
