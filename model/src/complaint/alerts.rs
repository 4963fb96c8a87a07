//! What needs someone's attention now, for the tablet and the desktop:
//! serious complaints not yet escalated, overdue deadlines, owners
//! unsatisfied at the return visit — most urgent first.

use super::{Complaint, Deadline, DeadlineSettings, DeadlineState, Satisfaction, all_complaints};
use crate::ModelError;
use crate::schedule::LocalDateTime;
use automerge::Automerge;

/// Why a complaint is on the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AlertKind {
    /// Serious and not escalated to the manager: escalate at once
    /// (whatever the status), since when it became serious.
    EscalateNow {
        /// Serious since.
        since: LocalDateTime,
    },
    /// A deadline past due and not met.
    Overdue(Deadline),
    /// The owner was unsatisfied at the latest return visit and the
    /// complaint is not closed.
    Unsatisfied,
}

impl AlertKind {
    /// Sort key within one complaint: escalations, then overdue deadlines
    /// by due time, then unsatisfied owners.
    fn rank(&self) -> (u8, LocalDateTime) {
        match self {
            Self::EscalateNow { since } => (0, *since),
            Self::Overdue(d) => (1, d.due),
            Self::Unsatisfied => (2, LocalDateTime::MAX),
        }
    }
}

/// A complaint that needs attention now, with every reason, most urgent
/// first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alert {
    /// The complaint.
    pub complaint: Complaint,
    /// Why, most urgent first (never empty).
    pub kinds: Vec<AlertKind>,
}

impl Alert {
    /// Sort key across complaints: one needing escalation first, then the
    /// one whose oldest overdue deadline fell due first, then received
    /// time and id.
    fn urgency(&self) -> (u8, LocalDateTime, LocalDateTime, &str) {
        let (rank, at) = self
            .kinds
            .first()
            .map_or((u8::MAX, LocalDateTime::MAX), AlertKind::rank);
        (rank, at, self.complaint.received, &self.complaint.id)
    }
}

/// The alerts of `complaints` at `now` (local wall time), device times
/// converted by `local`, most urgent first: complaints to escalate (oldest
/// first), then those with overdue deadlines (the longest overdue first),
/// then owners unsatisfied at the return visit. Closed complaints appear
/// only while a serious one was never escalated.
pub fn alerts_of(
    complaints: &[Complaint],
    settings: &DeadlineSettings,
    now: LocalDateTime,
    local: impl Fn(i64) -> Option<LocalDateTime>,
) -> Vec<Alert> {
    let mut out: Vec<Alert> = complaints
        .iter()
        .filter_map(|c| {
            let facts = c.facts(&local);
            let mut kinds: Vec<AlertKind> = Vec::new();
            if let Some(e) = facts.escalation().filter(|e| e.is_needed()) {
                kinds.push(AlertKind::EscalateNow { since: e.since });
            }
            kinds.extend(
                super::deadlines(&facts, settings, now)
                    .into_iter()
                    .filter(|d| d.state == DeadlineState::Overdue)
                    .map(AlertKind::Overdue),
            );
            if c.is_open() && c.satisfaction() == Some(Satisfaction::Unsatisfied) {
                kinds.push(AlertKind::Unsatisfied);
            }
            crate::sort_once::sort_by_key(&mut kinds, AlertKind::rank);
            (!kinds.is_empty()).then(|| Alert {
                complaint: c.clone(),
                kinds,
            })
        })
        .collect();
    crate::sort_once::sort_by(&mut out, |a, b| a.urgency().cmp(&b.urgency()));
    out
}

/// The alerts of every complaint in `boards` (the months a device holds,
/// [`super::months_to_load`]) at `now`; see [`alerts_of`].
pub fn alerts(
    boards: &[&Automerge],
    settings: &DeadlineSettings,
    now: LocalDateTime,
    local: impl Fn(i64) -> Option<LocalDateTime>,
) -> Result<Vec<Alert>, ModelError> {
    Ok(alerts_of(&all_complaints(boards)?, settings, now, local))
}
