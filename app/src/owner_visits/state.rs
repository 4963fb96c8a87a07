//! The monthly owner-visit record's side of the store (《业户访问记录》):
//! one record per month, opened offline from its deterministic genesis or
//! asked for from the server; visits, follow-ups and notes written through
//! [`shiftbook_model::owner_visit`] with the signed-in person's
//! attribution; the supervisor's month-end signature.

use crate::core::error::{AppError, AppProblem};
use crate::core::store::Store;
use shiftbook_model::DocumentId;
use shiftbook_model::attribution::ChangeInfo;
use shiftbook_model::owner_visit::{self, NewVisit, Visit};
use shiftbook_model::schedule::Date;
use shiftbook_model::signature::{self, Signature};

/// A month's record as this device holds it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OwnerVisitMonth {
    /// Its visits, by date.
    pub visits: Vec<Visit>,
    /// The supervisor's signatures.
    pub signatures: Vec<Signature>,
    /// What changed after the latest signature.
    pub after_latest: Vec<ChangeInfo>,
}

impl Store {
    /// The id of the site's owner-visit record of `month`.
    pub fn owner_visits_id(&self, month: &str) -> DocumentId {
        self.id(|ids| owner_visit::document_id(ids, month))
    }

    /// Ask the server for `month`'s record if this device does not hold it.
    pub fn want_owner_visits(&self, month: &str) {
        let id = self.owner_visits_id(month);
        self.want_missing([id]);
    }

    /// `month`'s record as this device holds it (empty until it arrives).
    pub fn owner_visits(&self, month: &str) -> OwnerVisitMonth {
        let id = self.owner_visits_id(month);
        self.read(&id, |d| {
            let visits = owner_visit::visits(d).ok()?;
            let signatures = owner_visit::signatures(d).unwrap_or_default();
            let after_latest = signatures
                .last()
                .and_then(|s| signature::changes_after(d, s).ok())
                .unwrap_or_default();
            Some(OwnerVisitMonth {
                visits,
                signatures,
                after_latest,
            })
        })
        .flatten()
        .unwrap_or_default()
    }

    /// `month`'s record, created here (deterministic genesis) if new.
    fn open_owner_visits(&self, month: &str) -> Result<DocumentId, AppError> {
        let id = self.owner_visits_id(month);
        let owned = month.to_owned();
        self.ensure_site_document(&id, |site| owner_visit::genesis(site, &owned))?;
        self.pump();
        Ok(id)
    }

    /// Record a visit in the record of its date's month.
    pub fn record_owner_visit(&self, new: &NewVisit) -> Result<(), AppError> {
        let month = shiftbook_model::free_text::month_of(new.date);
        let id = self.open_owner_visits(&month)?;
        self.edit(&id, |doc, by| owner_visit::record(doc, new, by))
    }

    /// Record that visit `id` of `month` was followed up, with what was done.
    pub fn owner_visit_followed_up(
        &self,
        month: &str,
        id: &str,
        done: &str,
    ) -> Result<(), AppError> {
        let doc = self.open_owner_visits(month)?;
        self.edit(&doc, |d, by| owner_visit::followed_up(d, id, done, by))
    }

    /// Add a note to visit `id` of `month`.
    pub fn owner_visit_note(&self, month: &str, id: &str, note: &str) -> Result<(), AppError> {
        let doc = self.open_owner_visits(month)?;
        self.edit(&doc, |d, by| owner_visit::note(d, id, note, by))
    }

    /// Sign `month`'s record as the supervisor's month-end review, on the
    /// device's date.
    pub fn sign_owner_visits(&self, month: &str) -> Result<(), AppError> {
        let today = Date::parse(&crate::platform::clock::today())
            .map_err(|_| AppError::Problem(AppProblem::NoClock))?;
        let doc = self.open_owner_visits(month)?;
        self.edit(&doc, |d, by| owner_visit::sign_month(d, today, by))
    }
}
