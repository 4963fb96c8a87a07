//! The visitor log's side of the store (《来人来访记录表》): one document
//! per site and service day a visit began, and the site's `visitors-open`
//! index of the days still holding someone waiting or inside. Writes go
//! through the model with the signed-in person's attribution and change
//! the day and the index together; the days wanted are today's and
//! yesterday's service days and those the index names. Whenever a day
//! changes here — a merge from the server or another tab included — the
//! index is reconciled with it ([`visitor_log::reconcile_index`]), so a
//! visitor still inside shows on every tablet until logged out.

use crate::core::error::{AppError, AppProblem};
use crate::core::store::Store;
use crate::visitors::view::{self, VisitRow, VisitorsView};
use automerge::Automerge;
use leptos::prelude::*;
use shiftbook_model::attribution::Attribution;
use shiftbook_model::visitor_log::{self, Arrival, Visit, VisitFilter, VisitStatus, VisitorDay};
use shiftbook_model::{DocumentId, ModelError};
use std::rc::Rc;

/// The visitor log's reaction to a changed document, registered with the
/// store ([`crate::core::store::register_reactions`]): the repair runs just
/// after, in the engine's piece of the wasm (it reads and writes visitor
/// logs), and the screens hear of it when it changed the index.
pub fn on_document_changed(store: &Store, id: &DocumentId) {
    let (store, id) = (store.clone(), *id);
    leptos::task::spawn_local(async move {
        if let Err(e) = reconcile_after_change(store, id).await {
            // Offline before the piece was kept: the visitor screen
            // reconciles every open day when it opens.
            crate::platform::log::web_sys_log(&format!("shiftbook: visitors index: {e}"));
        }
    });
}

/// The split point of [`on_document_changed`].
#[allow(unsafe_code, improper_ctypes_definitions)] // an extern "C" import the build links (wasm-split)
#[leptos::wasm_split::wasm_split(engine, wasm_split_path = ::leptos::wasm_split, fallible)]
fn reconcile_after_change(
    store: Store,
    id: DocumentId,
) -> Result<(), leptos::wasm_split::SplitLoaderError> {
    // Only a visitor day can have changed the index: other documents cost
    // nothing more here (a burst of merges is many calls).
    if store.reconcile_visitor_day(&id) {
        store.pump();
    }
    Ok(())
}

impl Store {
    /// The id of the visitor log of service day `date`.
    pub fn visitor_day_id(&self, date: &str) -> DocumentId {
        self.id(|ids| visitor_log::document_id(ids, date))
    }

    /// The site's open-visit index, created here (deterministic genesis)
    /// if the server has not sent it.
    fn visitors_index(&self) -> Result<DocumentId, AppError> {
        let id = self.id(visitor_log::index_document_id);
        self.ensure_site_document(&id, visitor_log::index_genesis)?;
        Ok(id)
    }

    /// The visitor log of `date`, created here if new.
    fn open_visitor_day(&self, date: &str) -> Result<DocumentId, AppError> {
        let id = self.visitor_day_id(date);
        let day = date.to_owned();
        self.ensure_site_document(&id, |site| visitor_log::genesis(site, &day))?;
        Ok(id)
    }

    /// The service days to hold for "inside now" and "waiting": today's
    /// and yesterday's (a night visitor) and every day the index names,
    /// oldest first.
    pub fn visitor_days(&self, today: &str) -> Vec<String> {
        let index = self.id(visitor_log::index_document_id);
        let mut days = self
            .read(&index, |d| visitor_log::days_to_load(d, today).ok())
            .flatten()
            .unwrap_or_else(|| vec![today.to_owned()]);
        days.extend(crate::core::service_day::previous(today));
        days.sort();
        days.dedup();
        days
    }

    /// Ask the server for the index and the visitor days `dates` this
    /// device does not hold.
    pub fn want_visitor_days(&self, dates: &[String]) {
        let mut ids: Vec<DocumentId> = dates.iter().map(|d| self.visitor_day_id(d)).collect();
        ids.push(self.id(visitor_log::index_document_id));
        self.want_missing(ids);
    }

    /// Change the day `date` and the open index together as the signed-in
    /// person; `Ok` once both are in the device's storage.
    fn edit_visitors(
        &self,
        date: &str,
        f: impl FnOnce(&mut Automerge, &mut Automerge, &Attribution) -> Result<(), ModelError>,
    ) -> Result<(), AppError> {
        let now = crate::platform::clock::now_ms();
        let by = self.signed_in(now)?;
        let day = self.open_visitor_day(date)?;
        let index = self.visitors_index()?;
        let result = self.with(|inner| inner.client.change_pair(&day, &index, |d, i| f(d, i, &by)));
        self.persist(&index);
        self.after_change(&day, result)
    }

    /// Log a visitor's arrival in service day `date`; returns the visit id.
    pub fn log_visit(&self, date: &str, arrival: &Arrival) -> Result<String, AppError> {
        let id = crate::core::ids::new_id("v", crate::platform::random::random_bytes::<4>());
        self.edit_visitors(date, |d, i, by| {
            visitor_log::arrive(d, i, &id, arrival, by).map(|_| ())
        })?;
        Ok(id)
    }

    /// Approve visit `id` of `date` (supervisors).
    pub fn approve_visit(&self, date: &str, id: &str) -> Result<(), AppError> {
        self.edit_visitors(date, |d, i, by| {
            visitor_log::approve(d, i, id, "", by).map(|_| ())
        })
    }

    /// Refuse visit `id` of `date` (or turn the visitor away), with why.
    pub fn refuse_visit(&self, date: &str, id: &str, reason: &str) -> Result<(), AppError> {
        self.edit_visitors(date, |d, i, by| {
            visitor_log::refuse(d, i, id, reason, by).map(|_| ())
        })
    }

    /// Add `text` as a note to visit `id` of `date` (anyone, whatever its
    /// status: a parcel left at the desk, a second plate number…).
    pub fn note_visit(&self, date: &str, id: &str, text: &str) -> Result<(), AppError> {
        self.edit_visitors(date, |d, _, by| {
            visitor_log::note(d, id, text, by).map(|_| ())
        })
    }

    /// Log that the visitor of visit `id` of `date` left now.
    pub fn visitor_left(&self, date: &str, id: &str) -> Result<(), AppError> {
        let out = crate::platform::clock::local(crate::platform::clock::now_ms())
            .ok_or(AppProblem::NoClock)?
            .to_string();
        self.edit_visitors(date, |d, i, by| {
            visitor_log::leave(d, i, id, &out, by).map(|_| ())
        })
    }

    /// Sign `date`'s visitor log as its daily review (leaders,
    /// supervisors).
    pub fn sign_visitor_day(&self, date: &str) -> Result<(), AppError> {
        let id = self.open_visitor_day(date)?;
        self.edit(&id, visitor_log::sign_day)
    }

    /// After a document changed here (a merge, another tab): if it is a
    /// visitor day and someone is signed in to attribute the repair,
    /// reconcile the open index with it. Nothing is written when they
    /// agree; a tablet nobody is signed in to catches up when the visitor
    /// screen opens ([`Store::reconcile_visitor_days`]).
    /// Whether it tried (a visitor day, someone signed in): then the
    /// index may have been created or written, for the caller to send.
    pub fn reconcile_visitor_day(&self, id: &DocumentId) -> bool {
        let is_day = self
            .read(id, |d| VisitorDay::new(d).is_ok())
            .unwrap_or(false);
        if !is_day {
            return false;
        }
        let Some(person) = self.signals.person.get_untracked() else {
            return false;
        };
        // A repair, not something the person did: no activity touched.
        let now = crate::platform::clock::now_ms();
        let by = person.attribution(&self.borrow(|i| i.enrolment.device.clone()), now);
        let Ok(index) = self.visitors_index() else {
            return false;
        };
        let result = self.with(|inner| {
            inner.client.change_pair(id, &index, |d, i| {
                // The day is only read: its kept visits serve.
                let d: &Automerge = d;
                crate::core::store::reading_records(id, d, || {
                    visitor_log::reconcile_index(d, i, &by)
                })
            })
        });
        match result {
            Some(Ok(true)) => {
                self.persist(&index);
                self.changed([id, &index]);
            }
            Some(Err(e)) => {
                crate::platform::log::web_sys_log(&format!("shiftbook: visitors index: {e}"))
            }
            _ => {}
        }
        true
    }

    /// Reconcile the open index with every visitor day of `dates` held
    /// here.
    pub fn reconcile_visitor_days(&self, dates: &[String]) {
        for date in dates {
            let id = self.visitor_day_id(date);
            self.reconcile_visitor_day(&id);
        }
        self.pump();
    }

    /// The visits of day `date` as read from its document, kept until the
    /// document changes: the navigation's count, the screen and the search
    /// all read them, and a busy day's log takes ≈ 20 ms natively to read.
    /// `None` while the day is not held here (or is not a visitor day).
    fn day_visits(&self, date: &str) -> Rc<Option<Vec<Visit>>> {
        self.read_kept(&self.visitor_day_id(date), "visits", view::visits_of)
            .unwrap_or_else(|| Rc::new(None))
    }

    /// How many visits of `open_days` (those held here) wait for a
    /// supervisor's approval: the navigation's count.
    pub fn visitors_waiting(&self, open_days: &[String]) -> usize {
        open_days
            .iter()
            .map(|d| {
                self.day_visits(d).as_ref().as_ref().map_or(0, |visits| {
                    visits
                        .iter()
                        .filter(|v| v.status == VisitStatus::Waiting)
                        .count()
                })
            })
            .sum()
    }

    /// The visitor screen: inside and waiting across the days `open_days`,
    /// and `date`'s visits that `filter` passes.
    pub fn visitors(
        &self,
        open_days: &[String],
        date: &str,
        filter: &VisitFilter,
    ) -> Result<VisitorsView, AppError> {
        let now = crate::platform::clock::local(crate::platform::clock::now_ms())
            .ok_or(AppProblem::NoClock)?;
        let today = crate::core::service_day::of(now).to_string();
        let role = self
            .signals
            .person
            .with_untracked(|p| p.as_ref().map(|p| p.role));
        let lang = self.signals.lang.get_untracked();
        let open: Vec<Rc<Option<Vec<Visit>>>> =
            open_days.iter().map(|d| self.day_visits(d)).collect();
        let open: Vec<&[Visit]> = open.iter().filter_map(|v| v.as_deref()).collect();
        let picked_visits = self.day_visits(date);
        let picked = self.visitor_day_id(date);
        self.read_each(&[picked], |each| {
            VisitorsView::build(
                &open,
                each.first()
                    .copied()
                    .flatten()
                    .zip(picked_visits.as_deref()),
                filter,
                now,
                &today,
                role,
                lang,
            )
            .map_err(AppError::Model)
        })
    }

    /// The visits of `dates` (those held here) that `filter` passes.
    pub fn search_visitors(
        &self,
        dates: &[String],
        filter: &VisitFilter,
    ) -> Result<Vec<VisitRow>, AppError> {
        let now = crate::platform::clock::local(crate::platform::clock::now_ms())
            .ok_or(AppProblem::NoClock)?;
        let today = crate::core::service_day::of(now).to_string();
        let role = self
            .signals
            .person
            .with_untracked(|p| p.as_ref().map(|p| p.role));
        let lang = self.signals.lang.get_untracked();
        let days: Vec<Rc<Option<Vec<Visit>>>> = dates.iter().map(|d| self.day_visits(d)).collect();
        let days: Vec<&[Visit]> = days.iter().filter_map(|v| v.as_deref()).collect();
        Ok(view::search(&days, filter, now, &today, role, lang))
    }
}
