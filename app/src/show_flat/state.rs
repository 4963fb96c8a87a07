//! The show flats' side of the store: item lists (the site inventory),
//! each flat's count day — counts, visitors, guest feedback, the leader's
//! daily review — and the supervisor's daily summary across flats.

use crate::core::error::AppError;
use crate::core::store::Store;
use crate::platform::log::web_sys_log;
use shiftbook_model::DocumentId;
use shiftbook_model::followup;
use shiftbook_model::show_flat::{
    self, Condition, CountSession, DaySummary, FeedbackKind, FlatItems,
};
use shiftbook_model::signature::{self, Meaning};

impl Store {
    /// The site's show flats and their item lists (none until the
    /// inventory reaches this device).
    pub fn flats(&self) -> Vec<FlatItems> {
        // Kept while the inventory does not change: the rail, the permits
        // and the nav badges ask on every change to any document, and
        // reading it hydrates every room's items (tens of ms a tap).
        let id = self.id(show_flat::inventory_document_id);
        self.read_kept(&id, "flats", |d| {
            show_flat::SiteInventory::new(d)
                .and_then(|v| v.flats())
                .unwrap_or_default()
        })
        .map(|flats| flats.as_ref().clone())
        .unwrap_or_default()
    }

    /// Open the count document of `flat` for service day `date`, creating
    /// its deterministic genesis offline if new.
    pub fn open_flat_day(&self, flat: &str, date: &str) -> Result<DocumentId, AppError> {
        let id = self.id(|ids| show_flat::document_id(ids, flat, date));
        let (flat, date) = (flat.to_owned(), date.to_owned());
        self.ensure_site_document(&id, |site| show_flat::genesis(site, &flat, &date))?;
        self.pump();
        Ok(id)
    }

    /// Count `item` of the day `id` in `session`; a damaged item opens a
    /// repair follow-up.
    #[allow(clippy::too_many_arguments)]
    pub fn count_flat_item(
        &self,
        id: &DocumentId,
        flat: &FlatItems,
        date: &str,
        session: CountSession,
        item: &str,
        quantity: u32,
        condition: Condition,
    ) -> Result<(), AppError> {
        self.edit(id, |doc, by| {
            show_flat::count(doc, flat, session, item, quantity, condition, "", by)
        })?;
        if condition == Condition::Damaged
            && let Some((_, spec)) = flat.item(item)
        {
            let source = followup::Source {
                round: id.to_string(),
                template: flat.flat_id.clone(),
                item: item.to_owned(),
                item_label: spec.name.clone(),
                round_title: flat.name.clone(),
                date: date.to_owned(),
            };
            if let Err(e) = self.open_followup_for(&source, followup::Department::Engineering, "") {
                web_sys_log(&format!("shiftbook: follow-up not opened: {e}"));
            }
        }
        Ok(())
    }

    /// Count every uncounted item of `room` as expected, in place.
    pub fn flat_room_as_expected(
        &self,
        id: &DocumentId,
        flat: &FlatItems,
        session: CountSession,
        room: &str,
    ) -> Result<(), AppError> {
        self.edit(id, |doc, by| {
            show_flat::all_as_expected(doc, flat, session, room, by)
        })
    }

    /// Add `n` visitors to the day `id`.
    pub fn add_flat_visitors(&self, id: &DocumentId, n: i64) -> Result<(), AppError> {
        self.edit(id, |doc, by| show_flat::add_visitors(doc, n, by))
    }

    /// The site's inventory document id.
    pub fn inventory_id(&self) -> DocumentId {
        self.id(show_flat::inventory_document_id)
    }

    /// Add or change a flat's item list (supervisors, on the desktop).
    pub fn put_flat(&self, flat: &FlatItems) -> Result<(), AppError> {
        self.edit_site_document(
            &self.inventory_id(),
            show_flat::inventory_genesis,
            |doc, by| show_flat::put_flat(doc, flat, by),
        )
    }

    /// The versions of flat `id`'s item list that were saved concurrently
    /// (empty unless two supervisors edited it at once).
    pub fn flat_conflicts(&self, id: &str) -> Vec<FlatItems> {
        self.read(&self.inventory_id(), |d| {
            show_flat::SiteInventory::new(d)
                .and_then(|v| v.conflicts(id))
                .unwrap_or_default()
        })
        .unwrap_or_default()
    }

    /// Correct the day's visitors down by `n`, with the reason.
    pub fn correct_flat_visitors(
        &self,
        id: &DocumentId,
        n: i64,
        reason: &str,
    ) -> Result<(), AppError> {
        self.edit(id, |doc, by| {
            show_flat::correct_visitors(doc, n, reason, by)
        })
    }

    /// Record a guest's opinion or suggestion on the day `id`.
    pub fn add_flat_feedback(
        &self,
        id: &DocumentId,
        kind: FeedbackKind,
        text: &str,
        guest: &str,
    ) -> Result<(), AppError> {
        self.edit(id, |doc, by| {
            show_flat::add_feedback(doc, kind, text, guest, by)
        })
    }

    /// Sign the flat's day as its daily review (shift leader or supervisor).
    pub fn sign_flat_day(&self, id: &DocumentId) -> Result<(), AppError> {
        self.edit(id, |doc, by| signature::sign(doc, Meaning::DailyReview, by))
    }

    /// Each flat's day `date` at a glance, in the inventory's order: the
    /// summary when this device holds the day's document, `None` when
    /// nobody has opened it (yet, or not synced here).
    pub fn flat_summaries(&self, date: &str) -> Vec<(FlatItems, Option<DaySummary>)> {
        let site_key = self.borrow(|i| i.enrolment.site_key.clone());
        self.flats()
            .into_iter()
            .map(|flat| {
                let id = show_flat::document_id(&site_key, &flat.flat_id, date);
                let summary = self
                    .read(&id, |d| {
                        show_flat::ShowFlatDay::new(d)
                            .and_then(|v| v.summary())
                            .ok()
                    })
                    .flatten();
                (flat, summary)
            })
            .collect()
    }

    /// Ask the server for the flats' days `date` not held here.
    pub fn want_flat_days(&self, date: &str) {
        let book = self.borrow(|i| i.ids.clone());
        let ids: Vec<DocumentId> = self
            .flats()
            .iter()
            .map(|f| show_flat::document_id(&book, &f.flat_id, date))
            .collect();
        self.want_missing(ids);
    }
}
