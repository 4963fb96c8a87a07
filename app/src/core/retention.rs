//! Which documents may leave the tablet's storage, so localStorage (≈ 5 MiB
//! per origin) never fills up with months of finished records.
//!
//! A document may be removed only when ALL of these hold:
//! 1. the server confirmed every one of its changes — its stored
//!    `confirmed` heads cover the document's heads (an empty list, or one
//!    naming a change the document does not hold, counts as unsynced);
//!    nothing unsynced is ever removed, whatever its age;
//! 2. it is not needed offline: not a site document (roster, settings,
//!    templates, show-flat inventory, key register, the open indexes) and
//!    not a board or day an open index names, nor a permit board the
//!    agenda shows ([`needed`]);
//! 3. its newest change (automerge change time: the attribution's device
//!    time in seconds; genesis is time 0) is more than the
//!    [`RetentionPeriod`] old.
//!
//! Removing deletes the local copy only: the server holds it, and a screen
//! that asks for it while online gets it again. Pure logic: time, the site
//! key and the documents are arguments.

use automerge::{Automerge, ChangeHash};
use shiftbook_model::handover::{books, pending};
use shiftbook_model::{
    DocumentId, SiteKey, complaint, followup, key_register, visitor_log, work_permit,
};
use std::collections::BTreeSet;

/// One day, in milliseconds.
const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// How long a synced document stays after its last change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetentionPeriod {
    days: i64,
}

impl RetentionPeriod {
    /// At start: 35 days, so the current and the previous month stay.
    pub const NORMAL: Self = Self::days(35);
    /// When storage refused a write: 7 days.
    pub const UNDER_PRESSURE: Self = Self::days(7);

    /// A period of `days` days.
    pub const fn days(days: i64) -> Self {
        Self { days }
    }

    /// The period in days.
    pub fn in_days(self) -> i64 {
        self.days
    }

    fn ms(self) -> i64 {
        self.days.saturating_mul(DAY_MS)
    }
}

/// Why a document stays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// The server has not confirmed all of its changes.
    Unsynced,
    /// Needed offline: a site document or one an open index names.
    Needed,
    /// Changed within the retention period (or in the future by this
    /// device's clock).
    Recent,
}

/// What to do with one stored document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Leave it in storage.
    Keep(Keep),
    /// Delete the local copy; the server holds it.
    Remove,
}

/// Decide for `doc` with the heads the server confirmed, whether it is
/// `needed` offline, under `period` at device time `now_ms`.
pub fn verdict(
    doc: &Automerge,
    confirmed: &[ChangeHash],
    needed: bool,
    period: RetentionPeriod,
    now_ms: i64,
) -> Verdict {
    if !fully_confirmed(doc, confirmed) {
        return Verdict::Keep(Keep::Unsynced);
    }
    if needed {
        return Verdict::Keep(Keep::Needed);
    }
    if now_ms.saturating_sub(newest_change_ms(doc)) <= period.ms() {
        return Verdict::Keep(Keep::Recent);
    }
    Verdict::Remove
}

/// Whether the server holds every change of `doc`: `confirmed` is not
/// empty, names only changes `doc` holds, and no change of `doc` lies
/// outside their causal past.
pub fn fully_confirmed(doc: &Automerge, confirmed: &[ChangeHash]) -> bool {
    if confirmed.is_empty() || !shiftbook_model::heads::absent(doc, confirmed).is_empty() {
        return false;
    }
    doc.get_changes_meta(confirmed).is_empty()
}

/// The device time of `doc`'s newest change, ms (0 for genesis only or
/// no change at all).
pub fn newest_change_ms(doc: &Automerge) -> i64 {
    doc.get_changes_meta(&[])
        .iter()
        .map(|c| c.timestamp.saturating_mul(1000))
        .max()
        .unwrap_or(0)
}

/// The documents every device keeps: the site's own
/// ([`shiftbook_model::site_documents`]), the key register and the open
/// indexes (follow-ups, complaints, visitors, each book's pending
/// items).
pub fn site_documents(site_key: &SiteKey) -> Vec<DocumentId> {
    let mut ids: Vec<DocumentId> = shiftbook_model::site_documents::site_documents(site_key)
        .map(|(_, id)| id)
        .collect();
    ids.extend([
        key_register::document_id(site_key),
        followup::index_document_id(site_key),
        complaint::index_document_id(site_key),
        visitor_log::index_document_id(site_key),
    ]);
    ids.extend(
        books::builtins()
            .iter()
            .map(|b| pending::index_document_id(site_key, &b.id)),
    );
    ids
}

/// Every document the tablet needs offline on `today` (`YYYY-MM-DD`, the
/// device's date): [`site_documents`], the boards and days the open
/// indexes held here name (with the current month's and today's), and the
/// permit boards the agenda shows. `held` looks a document up.
pub fn needed<'a>(
    site_key: &SiteKey,
    today: &str,
    held: impl Fn(&DocumentId) -> Option<&'a Automerge>,
) -> BTreeSet<DocumentId> {
    let month = today.get(..7).unwrap_or_default();
    let named = |index: DocumentId, periods: &dyn Fn(&Automerge) -> Vec<String>| {
        held(&index).map(periods).unwrap_or_default()
    };
    let mut ids: BTreeSet<DocumentId> = site_documents(site_key).into_iter().collect();
    let followups = named(followup::index_document_id(site_key), &|d| {
        followup::months_to_load(d, month).unwrap_or_default()
    });
    ids.extend(followups.iter().map(|m| followup::document_id(site_key, m)));
    let complaints = named(complaint::index_document_id(site_key), &|d| {
        complaint::months_to_load(d, month).unwrap_or_default()
    });
    ids.extend(
        complaints
            .iter()
            .map(|m| complaint::document_id(site_key, m)),
    );
    let visitor_days = named(visitor_log::index_document_id(site_key), &|d| {
        visitor_log::days_to_load(d, today).unwrap_or_default()
    });
    ids.extend(
        visitor_days
            .iter()
            .map(|d| visitor_log::document_id(site_key, d)),
    );
    for book in books::builtins() {
        let months = named(pending::index_document_id(site_key, &book.id), &|d| {
            pending::months_to_load(d, month).unwrap_or_default()
        });
        ids.extend(
            months
                .iter()
                .map(|m| pending::document_id(site_key, &book.id, m)),
        );
    }
    ids.extend(
        crate::core::service_day::months_shown(today)
            .iter()
            .map(|m| work_permit::document_id(site_key, m)),
    );
    ids
}

#[cfg(test)]
mod tests;
