//! The duty log's side of the store (《值班记录表》): one document per
//! site and service day, opened offline with its deterministic genesis
//! only when something is written (viewing a day asks the server for it),
//! entries and corrections written through the model with the signed-in
//! person's attribution, the leader's daily review, and reads of a day or
//! of a range of days.

use crate::core::error::AppError;
use crate::core::store::Store;
use crate::duty_log::view::{self, DutyDayView, EntryRow};
use leptos::prelude::*;
use shiftbook_model::DocumentId;
use shiftbook_model::duty_log::{self, Correction, Draft, EntryFilter};

/// A new duty-log entry's id.
pub fn new_entry_id() -> String {
    crate::core::ids::new_id("e", crate::platform::random::random_bytes::<4>())
}

impl Store {
    /// The id of the duty log of service day `date`.
    pub fn duty_log_id(&self, date: &str) -> DocumentId {
        self.id(|ids| duty_log::document_id(ids, date))
    }

    /// Open the duty log of `date` for writing, creating its genesis here
    /// if neither this device nor the server's copy has reached it yet.
    fn open_duty_log(&self, date: &str) -> Result<DocumentId, AppError> {
        let id = self.duty_log_id(date);
        let day = date.to_owned();
        self.ensure_site_document(&id, |site| duty_log::genesis(site, &day))?;
        Ok(id)
    }

    /// Ask the server for the duty logs of `dates` this device does not
    /// hold (days nobody wrote stay empty).
    pub fn want_duty_logs(&self, dates: &[String]) {
        let ids: Vec<DocumentId> = dates.iter().map(|d| self.duty_log_id(d)).collect();
        self.want_missing(ids);
    }

    /// Record `draft` in the log of service day `date`; its id back.
    pub fn record_duty_entry(&self, date: &str, draft: &Draft) -> Result<String, AppError> {
        let id = self.open_duty_log(date)?;
        self.edit(&id, |doc, by| duty_log::record(doc, draft, by))?;
        Ok(draft.id.clone())
    }

    /// Correct entry `entry` of `date`'s log: the corrected fields and why.
    pub fn amend_duty_entry(
        &self,
        date: &str,
        entry: &str,
        correction: &Correction,
        reason: &str,
    ) -> Result<(), AppError> {
        let id = self.open_duty_log(date)?;
        self.edit(&id, |doc, by| {
            duty_log::amend(doc, entry, correction, reason, by)
        })
    }

    /// Sign `date`'s log as its daily review (team leaders, supervisors).
    pub fn sign_duty_day(&self, date: &str) -> Result<(), AppError> {
        let id = self.open_duty_log(date)?;
        self.edit(&id, duty_log::sign_day)
    }

    /// The duty log of `date` as the screen shows it, filtered.
    pub fn duty_day(&self, date: &str, filter: &EntryFilter) -> Result<DutyDayView, AppError> {
        let id = self.duty_log_id(date);
        let lang = self.signals.lang.get_untracked();
        self.read_docs(&[id], |docs| {
            DutyDayView::build(docs.first().copied(), date, filter, lang)
        })
        .map_err(|e| self.refused(e))
    }

    /// The entries of `dates` (those this device holds) that `filter`
    /// passes, in time order: (service day, row).
    pub fn search_duty_logs(
        &self,
        dates: &[String],
        filter: &EntryFilter,
    ) -> Result<Vec<(String, EntryRow)>, AppError> {
        let ids: Vec<DocumentId> = dates.iter().map(|d| self.duty_log_id(d)).collect();
        let lang = self.signals.lang.get_untracked();
        self.read_docs(&ids, |docs| view::search(docs, filter, lang))
            .map_err(|e| self.refused(e))
    }
}
