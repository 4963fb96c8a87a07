//! The supervisor's figures over a set of complaints (002 quality table:
//! complaint reply on time 99.9 %, return-visit rate ≥ 90 %, satisfaction
//! with handled complaints ≥ 90 %), plus each deadline's on-time rate.
//!
//! Each rate counts only complaints where the question is decided at
//! `now`:
//!
//! * **deadline on time** — met on time / (met on time + met late +
//!   overdue); pending deadlines are not counted yet;
//! * **reply on time** (投诉回复及时率) — replied to the owner no later than
//!   the resolution deadline / (replied, or past that deadline without a
//!   reply);
//! * **return visits** (回访率) — complaints with a return visit /
//!   complaints whose owner had a reply (solved; a complaint a leader
//!   closed without a reply, e.g. withdrawn, is not counted);
//! * **satisfaction** (满意率) — latest return visit satisfied or basically
//!   satisfied / complaints with a return visit.

use super::{Complaint, DeadlineKind, DeadlineSettings, DeadlineState, Kind, deadline::due};
use crate::schedule::LocalDateTime;
use std::collections::BTreeMap;

/// `hits` out of `of`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Rate {
    /// How many counted as hits.
    pub hits: usize,
    /// How many were counted.
    pub of: usize,
}

impl Rate {
    /// The rate in percent; `None` when nothing was counted.
    pub fn percent(&self) -> Option<f64> {
        (self.of > 0).then(|| self.hits as f64 * 100.0 / self.of as f64)
    }

    fn count(&mut self, hit: bool) {
        self.of += 1;
        if hit {
            self.hits += 1;
        }
    }
}

/// Figures over a set of complaints at `now`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Figures {
    /// How many complaints and requests.
    pub total: usize,
    /// How many of them are requests (报修 / 求助).
    pub requests: usize,
    /// How many of them are complaints (投诉).
    pub complaints: usize,
    /// How many are serious.
    pub serious: usize,
    /// How many are not closed.
    pub open: usize,
    /// Each deadline's on-time rate.
    pub on_time: BTreeMap<DeadlineKind, Rate>,
    /// Replied to the owner by the resolution deadline.
    pub reply_on_time: Rate,
    /// Replied (solved) complaints with a return visit.
    pub return_visits: Rate,
    /// Return-visited complaints whose owner was (basically) satisfied.
    pub satisfaction: Rate,
}

/// The figures of `complaints` at `now` (local wall time), device times
/// converted by `local`.
pub fn figures(
    complaints: &[Complaint],
    settings: &DeadlineSettings,
    now: LocalDateTime,
    local: impl Fn(i64) -> Option<LocalDateTime>,
) -> Figures {
    let mut f = Figures {
        on_time: DeadlineKind::ALL
            .into_iter()
            .map(|k| (k, Rate::default()))
            .collect(),
        ..Figures::default()
    };
    for c in complaints {
        f.total += 1;
        match c.details.kind {
            Kind::Request => f.requests += 1,
            Kind::Complaint => f.complaints += 1,
        }
        f.serious += usize::from(c.serious);
        f.open += usize::from(c.is_open());
        let facts = c.facts(&local);
        for d in super::deadlines(&facts, settings, now) {
            let hit = match d.state {
                DeadlineState::Pending => continue,
                DeadlineState::MetOnTime => true,
                DeadlineState::MetLate | DeadlineState::Overdue => false,
            };
            f.on_time.entry(d.kind).or_default().count(hit);
        }
        let resolve_due = due(
            DeadlineKind::Resolve,
            facts.received,
            facts.difficulty,
            settings,
        );
        let first_reply = c
            .events_of(super::EventKind::Replied)
            .into_iter()
            .map(|e| local(e.by.at_ms).unwrap_or(LocalDateTime::MAX))
            .min();
        match first_reply {
            Some(t) => f.reply_on_time.count(t <= resolve_due),
            None if now > resolve_due => f.reply_on_time.count(false),
            None => {}
        }
        if c.replied() {
            f.return_visits.count(!c.return_visits().is_empty());
        }
        if let Some(s) = c.satisfaction() {
            f.satisfaction.count(s.is_satisfied());
        }
    }
    f
}
