//! The photos a tablet still has to send, sans IO: the app stores the
//! queue with the photos, asks it which to send now ([`UploadQueue::due`]),
//! sends them (`PUT /api/blobs/{sha256}?doc=…`) and tells it the server's
//! answer ([`UploadQueue::answered`]); time and randomness come in as
//! arguments, so the rules are tested without a browser or a clock.
//!
//! Rules:
//! - a photo leaves the queue only when the server holds it (201 or 200);
//!   nothing else removes it, and a reload keeps it (the queue is
//!   serialisable; photos in flight when the tablet closed are due again);
//! - a network failure or a server error is tried again later, the wait
//!   doubling from [`FIRST_WAIT_MS`] to [`LONGEST_WAIT_MS`], spread by a
//!   random part so that 500 tablets back at 06:00 do not all send at
//!   once; coming back online ([`UploadQueue::online`]) makes every photo
//!   due at once;
//! - a record the server does not hold yet (409) waits for it to be synced:
//!   tried again after [`FIRST_WAIT_MS`] without counting as a failure;
//! - the day's share used up (429) waits [`LIMITED_WAIT_MS`];
//! - a refusal (400, 404, 413, 415) is final for the server but not for
//!   the photo: it stays, marked refused, for a person to see and a
//!   supervisor to settle — never silently dropped;
//! - at most [`IN_FLIGHT`] photos are on their way at a time.

use crate::ids::DocumentId;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The first wait after a failure, ms.
pub const FIRST_WAIT_MS: i64 = 2_000;
/// The longest wait between tries, ms.
pub const LONGEST_WAIT_MS: i64 = 10 * 60 * 1000;
/// The wait after the server said the uploader's day is used up, ms.
pub const LIMITED_WAIT_MS: i64 = 60 * 60 * 1000;
/// How many photos are sent at a time.
pub const IN_FLIGHT: usize = 2;

/// One photo to send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pending {
    /// SHA-256 of the bytes: the name the bytes are stored under.
    pub sha256: String,
    /// The record it is attached to.
    pub doc: DocumentId,
    /// Its media type.
    pub media_type: String,
    /// Its size in bytes.
    pub size: u64,
    /// Failed tries since the last success of any kind.
    pub failures: u32,
    /// Not to be sent before this time (device clock, ms).
    pub not_before_ms: i64,
    /// On its way now (not kept across a reload).
    #[serde(skip)]
    pub in_flight: bool,
    /// The server refused it for good: why (its status).
    pub refused: Option<u16>,
}

/// What the server (or the network) answered to one upload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// 201 or 200: the server holds it.
    Held,
    /// 409: the record is not on the server yet.
    RecordNotYet,
    /// 429: the uploader's day is used up.
    Limited,
    /// 400, 401, 403, 404, 413, 415: the server will not take it.
    Refused(u16),
    /// No answer, or 5xx: try again later.
    Failed,
}

impl Answer {
    /// The answer an HTTP status stands for.
    pub fn of_status(status: u16) -> Self {
        match status {
            200 | 201 => Self::Held,
            409 => Self::RecordNotYet,
            429 => Self::Limited,
            400..=499 => Self::Refused(status),
            _ => Self::Failed,
        }
    }
}

/// The photos still to send, by hash.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadQueue {
    pending: BTreeMap<String, Pending>,
}

impl UploadQueue {
    /// An empty queue.
    pub fn new() -> Self {
        Self::default()
    }

    /// Send photo `sha256` (of `size` bytes, `media_type`) attached to
    /// `doc`; due at once. A photo already queued stays as it is.
    pub fn add(&mut self, sha256: &str, doc: DocumentId, media_type: &str, size: u64, now_ms: i64) {
        self.pending
            .entry(sha256.to_owned())
            .or_insert_with(|| Pending {
                sha256: sha256.to_owned(),
                doc,
                media_type: media_type.to_owned(),
                size,
                failures: 0,
                not_before_ms: now_ms,
                in_flight: false,
                refused: None,
            });
    }

    /// The photos to send now, oldest wait first, so that at most
    /// [`IN_FLIGHT`] are on their way; each is marked in flight.
    pub fn due(&mut self, now_ms: i64) -> Vec<Pending> {
        let flying = self.pending.values().filter(|p| p.in_flight).count();
        let room = IN_FLIGHT.saturating_sub(flying);
        let mut ready: Vec<&mut Pending> = self
            .pending
            .values_mut()
            .filter(|p| !p.in_flight && p.refused.is_none() && p.not_before_ms <= now_ms)
            .collect();
        ready.sort_by_key(|p| p.not_before_ms);
        ready
            .into_iter()
            .take(room)
            .map(|p| {
                p.in_flight = true;
                p.clone()
            })
            .collect()
    }

    /// The answer to the upload of `sha256`; `random` is any number (the
    /// spread of the next wait). Answers about photos not in flight (a
    /// reload came between) are ignored but `Held`, which removes the
    /// photo whatever else happened.
    pub fn answered(&mut self, sha256: &str, answer: Answer, now_ms: i64, random: u32) {
        if answer == Answer::Held {
            self.pending.remove(sha256);
            return;
        }
        let Some(p) = self.pending.get_mut(sha256).filter(|p| p.in_flight) else {
            return;
        };
        p.in_flight = false;
        match answer {
            Answer::Held => {}
            Answer::RecordNotYet => p.not_before_ms = now_ms + FIRST_WAIT_MS,
            Answer::Limited => p.not_before_ms = now_ms + LIMITED_WAIT_MS,
            Answer::Refused(status) => p.refused = Some(status),
            Answer::Failed => {
                p.failures = p.failures.saturating_add(1);
                p.not_before_ms = now_ms + wait_after(p.failures, random);
            }
        }
    }

    /// The network is back: every photo waiting after a failure is due.
    pub fn online(&mut self, now_ms: i64) {
        for p in self.pending.values_mut() {
            if p.refused.is_none() && !p.in_flight {
                p.not_before_ms = p.not_before_ms.min(now_ms);
            }
        }
    }

    /// How many photos the server does not hold yet (the sync badge counts
    /// them).
    pub fn unsent(&self) -> usize {
        self.pending.len()
    }

    /// The photos the server refused for good.
    pub fn refused(&self) -> impl Iterator<Item = &Pending> {
        self.pending.values().filter(|p| p.refused.is_some())
    }

    /// Whether photo `sha256` is still to be sent (it must not leave the
    /// tablet's storage).
    pub fn holds(&self, sha256: &str) -> bool {
        self.pending.contains_key(sha256)
    }

    /// The earliest time a photo not in flight becomes due, if any: when
    /// to look again.
    pub fn next_due_ms(&self) -> Option<i64> {
        self.pending
            .values()
            .filter(|p| !p.in_flight && p.refused.is_none())
            .map(|p| p.not_before_ms)
            .min()
    }
}

/// The wait after `failures` failed tries: [`FIRST_WAIT_MS`] doubling up
/// to [`LONGEST_WAIT_MS`]: its first half always, its second half in the
/// proportion `random` is of `u32::MAX`.
fn wait_after(failures: u32, random: u32) -> i64 {
    let doublings = failures.saturating_sub(1).min(20);
    let full = FIRST_WAIT_MS
        .saturating_mul(1_i64 << doublings)
        .min(LONGEST_WAIT_MS);
    let half = full / 2;
    half + half * i64::from(random) / i64::from(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: i64 = 1_700_000_000_000;

    fn doc() -> DocumentId {
        DocumentId::from_random([7; 16])
    }

    fn hash(n: u8) -> String {
        format!("{n:02x}").repeat(32)
    }

    fn queue_of(n: u8) -> UploadQueue {
        let mut q = UploadQueue::new();
        for i in 0..n {
            q.add(&hash(i), doc(), "image/jpeg", 200_000, T0 + i64::from(i));
        }
        q
    }

    fn names(p: &[Pending]) -> Vec<String> {
        p.iter().map(|p| p.sha256.clone()).collect()
    }

    #[test]
    fn photos_go_two_at_a_time_oldest_first_and_leave_only_once_held() {
        let mut q = queue_of(3);
        let now = T0 + 10;
        assert_eq!(names(&q.due(now)), vec![hash(0), hash(1)]);
        assert!(q.due(now).is_empty(), "two are in flight");
        q.answered(&hash(0), Answer::Held, now, 0);
        assert_eq!(names(&q.due(now)), vec![hash(2)]);
        assert_eq!(q.unsent(), 2);
        for h in [hash(1), hash(2)] {
            q.answered(&h, Answer::Held, now, 0);
        }
        assert_eq!(q.unsent(), 0);
        assert_eq!(q.next_due_ms(), None);
    }

    #[test]
    fn failures_wait_longer_each_time_up_to_a_limit_and_online_makes_them_due() {
        let mut q = queue_of(1);
        let mut now = T0;
        let mut waits = Vec::new();
        for _ in 0..12 {
            assert_eq!(q.due(now).len(), 1);
            q.answered(&hash(0), Answer::Failed, now, u32::MAX);
            let next = q.next_due_ms().unwrap();
            waits.push(next - now);
            assert!(q.due(next - 1).is_empty(), "not before its time");
            now = next;
        }
        assert_eq!(waits[0], FIRST_WAIT_MS);
        assert!(waits.windows(2).all(|w| w[1] >= w[0]));
        assert_eq!(*waits.last().unwrap(), LONGEST_WAIT_MS);
        // A random part spreads tablets: at least half the wait.
        assert_eq!(wait_after(1, 0), FIRST_WAIT_MS / 2);
        // The network is back: due at once.
        q.due(now);
        q.answered(&hash(0), Answer::Failed, now, 0);
        assert!(q.due(now + 1).is_empty());
        q.online(now + 1);
        assert_eq!(q.due(now + 1).len(), 1);
    }

    #[test]
    fn a_record_not_yet_on_the_server_and_a_used_up_day_wait_without_counting_failures() {
        let mut q = queue_of(2);
        q.due(T0 + 5);
        q.answered(&hash(0), Answer::RecordNotYet, T0 + 5, 0);
        q.answered(&hash(1), Answer::Limited, T0 + 5, 0);
        assert_eq!(names(&q.due(T0 + 5 + FIRST_WAIT_MS)), vec![hash(0)]);
        assert!(q.pending[&hash(0)].failures == 0);
        assert!(q.due(T0 + 5 + LIMITED_WAIT_MS - 1).is_empty());
        q.answered(&hash(0), Answer::Held, T0, 0);
        assert_eq!(names(&q.due(T0 + 5 + LIMITED_WAIT_MS)), vec![hash(1)]);
    }

    #[test]
    fn a_refused_photo_stays_for_a_person_to_see_and_is_not_sent_again() {
        let mut q = queue_of(1);
        q.due(T0);
        q.answered(&hash(0), Answer::of_status(413), T0, 0);
        assert!(q.due(T0 + LONGEST_WAIT_MS * 10).is_empty());
        q.online(T0 + 1);
        assert!(q.due(T0 + 2).is_empty());
        assert_eq!(q.unsent(), 1);
        assert!(q.holds(&hash(0)));
        assert_eq!(
            q.refused().map(|p| p.refused).collect::<Vec<_>>(),
            vec![Some(413)]
        );
    }

    #[test]
    fn a_reload_keeps_every_photo_and_sends_those_that_were_in_flight_again() {
        let mut q = queue_of(3);
        q.due(T0 + 10);
        let stored = serde_json::to_string(&q).unwrap();
        let mut again: UploadQueue = serde_json::from_str(&stored).unwrap();
        assert_eq!(again.unsent(), 3);
        assert_eq!(names(&again.due(T0 + 10)), vec![hash(0), hash(1)]);
        // A late answer from before the reload about a photo no longer in
        // flight changes nothing, except that the server holds it.
        let mut fresh: UploadQueue = serde_json::from_str(&stored).unwrap();
        fresh.answered(&hash(2), Answer::Failed, T0 + 10, 0);
        assert_eq!(fresh.pending[&hash(2)].failures, 0);
        fresh.answered(&hash(2), Answer::Held, T0 + 10, 0);
        assert!(!fresh.holds(&hash(2)));
    }

    #[test]
    fn statuses_map_to_answers() {
        assert_eq!(Answer::of_status(201), Answer::Held);
        assert_eq!(Answer::of_status(200), Answer::Held);
        assert_eq!(Answer::of_status(409), Answer::RecordNotYet);
        assert_eq!(Answer::of_status(429), Answer::Limited);
        assert_eq!(Answer::of_status(404), Answer::Refused(404));
        assert_eq!(Answer::of_status(503), Answer::Failed);
        assert_eq!(Answer::of_status(0), Answer::Failed);
    }
}
