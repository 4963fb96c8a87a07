//! Checklist rounds opened the way a tablet opens them (schema 3, see
//! `shiftbook_model::checklist`).
//!
//! A tablet builds a round's genesis itself, offline, from the round's
//! day's identity alone (site, template id, service date): byte-equal
//! on every tablet, and nobody's change. Before anything can be marked the
//! round must be *started* ([`checklist::start`]): the template snapshot
//! (written by the first start only) and a `started` event, as one change
//! attributed to the person starting it. Every tablet that opens a round
//! starts (or resumes) it before marking, as the app does, so each start
//! is one more attributed change by that tablet: the server confirms it,
//! and gives it a receipt, like any mark.
//!
//! [`Round::open`] is genesis then start on a tablet that does not hold the
//! round yet; [`Round::start`] is the start alone, on a tablet that fetched
//! the round from the server.

use crate::native_tablet::{NativeTablet, TabletError};
use automerge::{Automerge, ChangeHash};
use shiftbook_model::attribution::Attribution;
use shiftbook_model::template::{self, Template};
use shiftbook_model::{DocumentId, ModelError, SiteKey, checklist};

/// The slot key of lobby-opening rounds: the built-in template's schedule
/// has one fixed time, 08:30.
pub const LOBBY_SLOT: &str = "0830";

/// What went wrong opening or starting a round.
#[derive(Debug, thiserror::Error)]
pub enum RoundError {
    /// The model refused the genesis or the start (boxed: a model error
    /// is large).
    #[error("checklist error: {0}")]
    Model(Box<ModelError>),
    /// The tablet refused the document.
    #[error(transparent)]
    Tablet(#[from] TabletError),
}

impl From<ModelError> for RoundError {
    fn from(e: ModelError) -> Self {
        Self::Model(Box::new(e))
    }
}

/// One round's identity, and the template it is started with.
#[derive(Debug, Clone)]
pub struct Round {
    /// The site the round belongs to.
    pub site: String,
    /// The template; its id is part of the round's identity, its content
    /// is what [`Round::start`] snapshots.
    pub template: Template,
    /// The service date, `YYYY-MM-DD`.
    pub date: String,
    /// The slot key.
    pub slot: String,
}

impl Round {
    /// The built-in lobby-opening round of `site` on `date`, slot
    /// [`LOBBY_SLOT`].
    pub fn lobby_opening(site: &str, date: &str) -> Self {
        Self {
            site: site.to_owned(),
            template: template::lobby_opening(),
            date: date.to_owned(),
            slot: LOBBY_SLOT.to_owned(),
        }
    }

    /// The round's document id within the site of `key`.
    pub fn id(&self, key: &SiteKey) -> DocumentId {
        DocumentId::derive(key, &checklist::purpose(&self.template.id, &self.date))
    }

    /// The round's genesis, identical wherever it is built.
    pub fn genesis(&self) -> Result<Automerge, RoundError> {
        Ok(checklist::genesis(
            &self.site,
            &self.template.id,
            &self.date,
        )?)
    }

    /// Open the round on `tablet` under `id` as `by`: track its genesis,
    /// then start it. The start's hash (genesis has none worth keeping:
    /// it is nobody's change).
    pub fn open(
        &self,
        tablet: &NativeTablet,
        id: DocumentId,
        by: &Attribution,
    ) -> Result<ChangeHash, RoundError> {
        tablet.insert(id, self.genesis()?)?;
        self.start(tablet, id, by)
    }

    /// Start (or resume) the round `tablet` already tracks under `id` as
    /// `by`; the start's hash.
    pub fn start(
        &self,
        tablet: &NativeTablet,
        id: DocumentId,
        by: &Attribution,
    ) -> Result<ChangeHash, RoundError> {
        tablet.change(id, |d| {
            checklist::start(d, &self.template, &self.slot, by).map_err(RoundError::from)
        })?
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use shiftbook_model::schedule::{Date, slots_on};

    #[test]
    fn the_lobby_slot_is_the_one_the_templates_schedule_gives() {
        let t = template::lobby_opening();
        let schedule = t.schedule.as_ref().expect("lobby opening has a schedule");
        let slots = slots_on(schedule, Date::parse("2026-11-23").unwrap()).unwrap();
        let keys: Vec<_> = slots.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(keys, [LOBBY_SLOT]);
    }

    #[test]
    fn a_rounds_genesis_is_its_days_identity_and_its_id_names_the_day() {
        let round = Round::lobby_opening("site-a", "2026-11-23");
        assert_eq!(
            round.genesis().unwrap().save(),
            round.genesis().unwrap().save()
        );
        let key = SiteKey::from_hex(&"ab".repeat(32)).unwrap();
        assert_eq!(
            round.id(&key),
            DocumentId::derive(&key, "checklist/3/lobby-opening/2026-11-23")
        );
    }
}
