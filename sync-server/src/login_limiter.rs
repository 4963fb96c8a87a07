//! The login rate limit, in memory: per client address, and per user name
//! *from* an address.
//!
//! - Every address may start [`ADDRESS_ATTEMPTS`] logins within
//!   [`WINDOW`], whatever the names: a flood of fresh names from one
//!   address is refused before any password is hashed.
//! - A name may fail [`MAX_FAILURES`] times within [`WINDOW`] from one
//!   address. Failures elsewhere do not count: somebody guessing a
//!   supervisor's password from another address cannot lock the real
//!   supervisor out (they still share a limit behind one NAT).
//!
//! Every attempt is counted as a failure when it starts and taken back if
//! the password was right, so concurrent guesses count too. A success
//! forgives nothing; failures age out. Guessing from many addresses is
//! bounded by the password pool ([`crate::password_checks`]). The limiter
//! forgets on restart; its keys are bounded (names cut to 64 characters,
//! windows pruned once [`PRUNE_AT`] keys are held).

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failed logins per user name and address allowed within [`WINDOW`].
pub const MAX_FAILURES: usize = 5;
/// Logins per address (any names) allowed within [`WINDOW`].
pub const ADDRESS_ATTEMPTS: usize = 30;
/// The limits' window.
pub const WINDOW: Duration = Duration::from_secs(60);
/// Keys held before aged-out windows are dropped.
const PRUNE_AT: usize = 10_000;

/// Why a login was refused before its password was checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// This address started too many logins; retry after this long.
    Address(Duration),
    /// This name failed too often from this address; retry after this long.
    User(Duration),
}

impl Refusal {
    /// When the client may try again.
    pub fn retry_after(self) -> Duration {
        match self {
            Refusal::Address(d) | Refusal::User(d) => d,
        }
    }
}

/// An attempt under way (counted as a failure until it succeeds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    key: (IpAddr, String),
    at: Instant,
}

/// The limiter.
#[derive(Debug, Default)]
pub struct LoginLimiter {
    windows: Mutex<Windows>,
}

#[derive(Debug, Default)]
struct Windows {
    failures: HashMap<(IpAddr, String), VecDeque<Instant>>,
    attempts: HashMap<IpAddr, VecDeque<Instant>>,
}

impl LoginLimiter {
    /// Start an attempt from `addr` for `user` at `now`; nothing is
    /// counted when it is refused.
    pub fn begin(&self, addr: IpAddr, user: &str, now: Instant) -> Result<Attempt, Refusal> {
        let mut w = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        if w.failures.len() + w.attempts.len() >= PRUNE_AT {
            w.failures.retain(|_, t| aged_out(t, now));
            w.attempts.retain(|_, t| aged_out(t, now));
        }
        let key = (addr, user.chars().take(64).collect::<String>());
        let attempts = w.attempts.entry(addr).or_default();
        if let Some(wait) = full(attempts, ADDRESS_ATTEMPTS, now) {
            return Err(Refusal::Address(wait));
        }
        let failures = w.failures.entry(key.clone()).or_default();
        if let Some(wait) = full(failures, MAX_FAILURES, now) {
            return Err(Refusal::User(wait));
        }
        failures.push_back(now);
        w.attempts.entry(addr).or_default().push_back(now);
        Ok(Attempt { key, at: now })
    }

    /// The password of `attempt` was right: it is not a failure.
    pub fn succeeded(&self, attempt: &Attempt) {
        let mut w = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(times) = w.failures.get_mut(&attempt.key) {
            if let Some(i) = times.iter().rposition(|t| *t == attempt.at) {
                times.remove(i);
            }
            if times.is_empty() {
                w.failures.remove(&attempt.key);
            }
        }
    }
}

/// Drop what is a window old; true while something is left.
fn aged_out(times: &mut VecDeque<Instant>, now: Instant) -> bool {
    while times
        .front()
        .is_some_and(|t| now.saturating_duration_since(*t) >= WINDOW)
    {
        times.pop_front();
    }
    !times.is_empty()
}

/// How long until `times` has room for one more of `max`, if it is full.
fn full(times: &mut VecDeque<Instant>, max: usize, now: Instant) -> Option<Duration> {
    aged_out(times, now);
    (times.len() >= max).then(|| {
        let oldest = times.front().copied().unwrap_or(now);
        (oldest + WINDOW)
            .saturating_duration_since(now)
            .max(Duration::from_secs(1))
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const HOME: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 1));
    const AWAY: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(192, 0, 2, 7));

    fn at(t0: Instant, s: u64) -> Instant {
        t0 + Duration::from_secs(s)
    }

    #[test]
    fn the_sixth_failure_within_a_minute_is_refused_until_the_first_ages_out() {
        let limiter = LoginLimiter::default();
        let t0 = Instant::now();
        for i in 0..5 {
            limiter.begin(HOME, "zhang", at(t0, i)).unwrap();
        }
        assert_eq!(
            limiter.begin(HOME, "zhang", at(t0, 10)),
            Err(Refusal::User(Duration::from_secs(50)))
        );
        limiter.begin(HOME, "li", at(t0, 10)).unwrap();
        limiter.begin(HOME, "zhang", at(t0, 60)).unwrap();
    }

    #[test]
    fn failures_from_another_address_do_not_lock_the_real_user_out() {
        let limiter = LoginLimiter::default();
        let t0 = Instant::now();
        for i in 0..20 {
            let _ = limiter.begin(AWAY, "zhuguan", at(t0, i));
        }
        assert!(limiter.begin(AWAY, "zhuguan", at(t0, 21)).is_err());
        let mine = limiter.begin(HOME, "zhuguan", at(t0, 21)).unwrap();
        limiter.succeeded(&mine);
    }

    #[test]
    fn a_flood_of_fresh_names_from_one_address_is_refused() {
        let limiter = LoginLimiter::default();
        let t0 = Instant::now();
        for i in 0..ADDRESS_ATTEMPTS {
            limiter.begin(AWAY, &format!("user{i}"), t0).unwrap();
        }
        assert_eq!(
            limiter.begin(AWAY, "user-next", at(t0, 30)),
            Err(Refusal::Address(Duration::from_secs(30)))
        );
        limiter.begin(HOME, "zhuguan", at(t0, 30)).unwrap();
        limiter.begin(AWAY, "user-next", at(t0, 60)).unwrap();
    }

    #[test]
    fn a_success_is_not_a_failure_but_forgives_nothing() {
        let limiter = LoginLimiter::default();
        let t0 = Instant::now();
        for i in 0..4 {
            limiter.begin(HOME, "zhang", at(t0, i)).unwrap();
        }
        let ok = limiter.begin(HOME, "zhang", at(t0, 5)).unwrap();
        limiter.succeeded(&ok);
        limiter.begin(HOME, "zhang", at(t0, 6)).unwrap();
        assert!(limiter.begin(HOME, "zhang", at(t0, 7)).is_err());
    }
}
