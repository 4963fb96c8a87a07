//! The shift hand-over side of the store (交接班): the books of the
//! signed-in person's posts, each book's day document (hand-overs written,
//! refused or taken over, signed by both sides, the leader's review), the
//! book's pending items on monthly boards with their open index, and the
//! alerts for the agenda and the desktop.
//!
//! The incoming side's actions take an optional [`CoSigned`]: on the
//! outgoing person's tablet the incoming person confirms with their own
//! PIN and the action is theirs; on their own tablet (or after "switch
//! person") they act as the signed-in person. A hand-over and its new
//! pending items, and an equipment check and the decision, are tried on
//! copies first, so a refusal of any part writes nothing.

use crate::core::error::{AppError, AppProblem};
use crate::core::ids::new_id;
use crate::core::session::CoSigned;
use crate::core::store::Store;
use crate::handover::view::{BookDayView, Decision, WriteForm};
use crate::platform::random::random_bytes;
use automerge::Automerge;
use shiftbook_model::attribution::Attribution;
use shiftbook_model::handover::equipment_lists::{self, EquipmentList, SiteEquipment};
use shiftbook_model::handover::pending::{self, PendingItem};
use shiftbook_model::handover::{self, Alert, Book, Capacity, EquipmentCheck, books};
use shiftbook_model::signature::{self, Meaning};
use shiftbook_model::{DocumentId, ModelError};

/// A board's and the index's copies, for a trial run.
type Trial = (Automerge, Automerge);

impl Store {
    /// The books of the signed-in person's posts; every book for
    /// supervisors and people without posts. Each with the site's
    /// equipment list where it keeps its own.
    pub fn handover_books(&self) -> Vec<Book> {
        self.with_site_equipment(books::for_posts(&self.person_posts()))
    }

    /// Every book of the site, with the site's equipment lists.
    pub fn all_handover_books(&self) -> Vec<Book> {
        self.with_site_equipment(books::builtins())
    }

    /// The book `id` with the site's equipment list; `None` for a book
    /// this build does not know.
    pub fn handover_book(&self, id: &str) -> Option<Book> {
        books::builtin(id).and_then(|b| self.with_site_equipment(vec![b]).pop())
    }

    fn equipment_lists_id(&self) -> DocumentId {
        self.id(equipment_lists::document_id)
    }

    /// `list` with the site's equipment lists in place of the built-in
    /// ones (the built-in ones until the site document arrives).
    fn with_site_equipment(&self, list: Vec<Book>) -> Vec<Book> {
        let id = self.equipment_lists_id();
        self.read_docs(&[id], |docs| {
            let site = docs
                .first()
                .and_then(|d| SiteEquipment::new(d).ok())
                .unwrap_or_else(SiteEquipment::builtin);
            list.into_iter()
                .map(|b| site.apply(b.clone()).unwrap_or(b))
                .collect()
        })
    }

    /// Save `list` as its book's equipment list (supervisors, desktop).
    pub fn put_equipment_list(&self, list: &EquipmentList) -> Result<(), AppError> {
        self.edit_site_document(
            &self.equipment_lists_id(),
            equipment_lists::genesis,
            |doc, by| equipment_lists::put_list(doc, list, by),
        )
    }

    /// The versions of `book`'s equipment list saved concurrently (empty
    /// unless two supervisors saved it at once).
    pub fn equipment_list_conflicts(&self, book: &str) -> Vec<EquipmentList> {
        self.read(&self.equipment_lists_id(), |d| {
            SiteEquipment::new(d)
                .and_then(|v| v.conflicts(book))
                .unwrap_or_default()
        })
        .unwrap_or_default()
    }

    /// The id of `book`'s day `date`.
    pub fn handover_day_id(&self, book: &str, date: &str) -> DocumentId {
        self.id(|ids| handover::document_id(ids, book, date))
    }

    /// Open `book`'s day `date`, creating its deterministic genesis
    /// offline if new (nothing a person wrote).
    pub fn open_handover_day(&self, book: &str, date: &str) -> Result<DocumentId, AppError> {
        let id = self.handover_day_id(book, date);
        let (book, date) = (book.to_owned(), date.to_owned());
        self.ensure_site_document(&id, |site| handover::genesis(site, &book, &date))?;
        self.pump();
        Ok(id)
    }

    fn pending_index_id(&self, book: &str) -> DocumentId {
        self.id(|ids| pending::index_document_id(ids, book))
    }

    /// `book`'s pending board of `month`, created here if new.
    fn pending_board(&self, book: &str, month: &str) -> Result<DocumentId, AppError> {
        let id = self.id(|ids| pending::document_id(ids, book, month));
        let (book, month) = (book.to_owned(), month.to_owned());
        self.ensure_site_document(&id, |site| pending::genesis(site, &book, &month))?;
        Ok(id)
    }

    /// `book`'s open index, created here if new.
    fn pending_index(&self, book: &str) -> Result<DocumentId, AppError> {
        let id = self.pending_index_id(book);
        let book = book.to_owned();
        self.ensure_site_document(&id, |site| pending::index_genesis(site, &book))?;
        Ok(id)
    }

    /// The boards to show on `date`: its month's and every month the
    /// book's open index names.
    fn pending_board_ids(&self, book: &str, date: &str) -> Vec<DocumentId> {
        let month = date.get(..7).unwrap_or_default().to_owned();
        let index = self.pending_index_id(book);
        let months = self
            .read(&index, |d| pending::months_to_load(d, &month).ok())
            .flatten()
            .unwrap_or_else(|| vec![month.clone()]);
        self.borrow(|i| {
            months
                .iter()
                .map(|m| pending::document_id(&i.ids, book, m))
                .collect()
        })
    }

    /// Ask the server for the books' days `dates`, their open indexes and
    /// the boards those name, where this device does not hold them.
    pub fn want_handover_docs(&self, books: &[String], dates: &[String]) {
        let mut ids = Vec::new();
        for book in books {
            ids.push(self.pending_index_id(book));
            for date in dates {
                ids.push(self.handover_day_id(book, date));
                ids.extend(self.pending_board_ids(book, date));
            }
        }
        self.want_missing(ids);
    }

    /// Run `f` over the documents `ids` this device holds.
    fn read_held<R>(&self, ids: &[DocumentId], f: impl FnOnce(&[&Automerge]) -> R) -> R {
        self.read_docs(ids, |docs| {
            let docs: Vec<&Automerge> = docs
                .iter()
                .copied()
                .filter(|d| !d.get_heads().is_empty())
                .collect();
            f(&docs)
        })
    }

    /// `book`'s day `date` as the screen shows it, at device time `now_ms`;
    /// `day_range` is the day's device-time range (for "done that day").
    pub fn handover_day(
        &self,
        book: &Book,
        date: &str,
        now_ms: i64,
        day_range: (i64, i64),
    ) -> Result<BookDayView, AppError> {
        let take_over = self.take_over_minutes();
        let day = self.handover_day_id(&book.id, date);
        let mut ids = vec![day];
        ids.extend(self.pending_board_ids(&book.id, date));
        self.read_held(&ids, |docs| {
            let (day, boards) = match docs.first() {
                Some(d) if handover::book_of(d).is_ok() => (Some(*d), &docs[1..]),
                _ => (None, docs),
            };
            BookDayView::build(book, day, boards, date, now_ms, take_over, day_range)
        })
        .map_err(|e| self.refused(e))
    }

    /// The open pending items of `book` on the boards this device holds
    /// for `date`.
    fn open_pending(&self, book: &str, date: &str) -> Result<Vec<PendingItem>, ModelError> {
        let ids = self.pending_board_ids(book, date);
        self.read_held(&ids, pending::open_items)
    }

    /// The alerts (refused, not taken over in time) of `books` on `dates`
    /// that this device holds, at device time `now_ms`.
    pub fn handover_alerts(&self, books: &[Book], dates: &[String], now_ms: i64) -> Vec<Alert> {
        let ids: Vec<DocumentId> = books
            .iter()
            .flat_map(|b| dates.iter().map(|d| self.handover_day_id(&b.id, d)))
            .collect();
        let take_over = self.take_over_minutes();
        self.read_held(&ids, |docs| {
            handover::alerts(docs, now_ms, take_over).unwrap_or_default()
        })
    }

    /// Write a hand-over in `book` on `date` as the signed-in (outgoing)
    /// person: the form's new pending items are raised first, then the
    /// hand-over lists every open item of the book. Tried on copies
    /// first: any refusal writes nothing.
    pub fn write_handover(
        &self,
        book: &Book,
        date: &str,
        form: &WriteForm,
    ) -> Result<(), AppError> {
        let by = self.actor(None)?;
        let month = pending::month_of(date).map_err(|e| self.refused(e))?;
        let day = self.open_handover_day(&book.id, date)?;
        let board = self.pending_board(&book.id, &month)?;
        let index = self.pending_index(&book.id)?;
        let id = new_id("h", random_bytes::<4>());
        // Item ids extend the hand-over's, numbered, so they sort in the
        // order they were entered (they are raised in one instant).
        let items: Vec<(String, String)> = form
            .new_items
            .iter()
            .enumerate()
            .map(|(n, t)| (format!("{id}-{:02}", n + 1), t.clone()))
            .collect();
        let raise = |b: &mut Automerge, i: &mut Automerge| -> Result<(), ModelError> {
            for (item, text) in &items {
                pending::open(b, i, item, text, date, Some(&id), &by)?;
            }
            Ok(())
        };
        // The trial: raise on copies, then write the draft listing the
        // copies' open items on a copy of the day.
        let older = self
            .open_pending(&book.id, date)
            .map_err(|e| self.refused(e))?;
        let trial: Option<Result<Trial, ModelError>> = self.with(|inner| {
            let b = inner.client.doc(&board)?.clone();
            let i = inner.client.doc(&index)?.clone();
            let mut d = inner.client.doc(&day)?.clone();
            Some((|| {
                let (mut b, mut i) = (b, i);
                raise(&mut b, &mut i)?;
                let draft = form.draft(book, &id, carried(&older, &b)?)?;
                handover::write(&mut d, &draft, &by)?;
                Ok((b, i))
            })())
        });
        let (tried_board, _) = match trial {
            None => return Err(AppProblem::NotOpen.into()),
            Some(Err(e)) => return Err(self.refused(e)),
            Some(Ok(t)) => t,
        };
        let draft = carried(&older, &tried_board)
            .and_then(|p| form.draft(book, &id, p))
            .map_err(|e| self.refused(e))?;
        if !items.is_empty() {
            let result =
                self.with(|inner| inner.client.change_pair(&board, &index, |b, i| raise(b, i)));
            self.persist(&index);
            self.after_change(&board, result)?;
        }
        self.edit_as(&day, &by, |doc, by| handover::write(doc, &draft, by))
    }

    /// The incoming side refuses or takes over hand-over `id`, recording
    /// the equipment `checks` first — as the co-signed person, or the
    /// signed-in one. Both changes or neither.
    pub fn take_over(
        &self,
        book: &str,
        date: &str,
        id: &str,
        checks: &[EquipmentCheck],
        decision: &Decision,
        co: Option<CoSigned>,
    ) -> Result<(), AppError> {
        let by = self.actor(co)?;
        let day = self.open_handover_day(book, date)?;
        self.edit_as(&day, &by, |doc, by| {
            // Try on a copy: an acceptance refused after the checks were
            // recorded would leave half an action.
            let mut copy = doc.clone();
            take_over_steps(&mut copy, id, checks, decision, by)?;
            take_over_steps(doc, id, checks, decision, by)
        })
    }

    /// Whether [`Self::take_over`] would be refused for what is entered
    /// (no reason, an × without a note, already taken over), tried on a
    /// copy as someone who did not write the hand-over — so a co-signer is
    /// not asked for their PIN for nothing. Writes nothing.
    pub fn check_take_over(
        &self,
        book: &str,
        date: &str,
        id: &str,
        checks: &[EquipmentCheck],
        decision: &Decision,
    ) -> Result<(), AppError> {
        let day = self.handover_day_id(book, date);
        let probe = Attribution {
            person_id: String::new(),
            person: String::new(),
            role: shiftbook_model::roster::Role::Staff,
            device: String::new(),
            at_ms: crate::platform::clock::now_ms(),
        };
        let result = self.read(&day, |doc| {
            let mut copy = doc.clone();
            take_over_steps(&mut copy, id, checks, decision, &probe)
        });
        match result {
            None => Err(AppProblem::NotOpen.into()),
            Some(Err(e)) => Err(self.refused(e)),
            Some(Ok(())) => Ok(()),
        }
    }

    /// Sign hand-over `id` in `capacity`, as the co-signed person or the
    /// signed-in one.
    pub fn sign_handover(
        &self,
        book: &str,
        date: &str,
        id: &str,
        capacity: Capacity,
        co: Option<CoSigned>,
    ) -> Result<(), AppError> {
        let by = self.actor(co)?;
        let day = self.open_handover_day(book, date)?;
        self.edit_as(&day, &by, |doc, by| handover::sign(doc, id, capacity, by))
    }

    /// A note on hand-over `id` (an answer to the incoming side, a remark).
    pub fn handover_note(
        &self,
        book: &str,
        date: &str,
        id: &str,
        text: &str,
    ) -> Result<(), AppError> {
        let day = self.open_handover_day(book, date)?;
        self.edit(&day, |doc, by| handover::note(doc, id, text, by))
    }

    /// Mark pending item `item` (on `book`'s board of `month`) done with
    /// what was done: the signed-in person's confirmation.
    pub fn pending_done(
        &self,
        book: &str,
        month: &str,
        item: &str,
        action: &str,
    ) -> Result<(), AppError> {
        let by = self.actor(None)?;
        let board = self.pending_board(book, month)?;
        let index = self.pending_index(book)?;
        let result = self.with(|inner| {
            inner.client.change_pair(&board, &index, |b, i| {
                pending::done(b, i, item, action, &by).map(|_| ())
            })
        });
        self.persist(&index);
        self.after_change(&board, result)
    }

    /// A note on pending item `item` (on `book`'s board of `month`).
    pub fn pending_note(
        &self,
        book: &str,
        month: &str,
        item: &str,
        text: &str,
    ) -> Result<(), AppError> {
        let board = self.pending_board(book, month)?;
        self.edit(&board, |b, by| pending::note(b, item, text, by))
    }

    /// The leader's (or a supervisor's) review signature on a book's day.
    pub fn sign_handover_day(&self, day: &DocumentId) -> Result<(), AppError> {
        self.edit(day, |doc, by| {
            signature::sign(doc, Meaning::DailyReview, by)
        })
    }
}

/// Record the equipment `checks` (if any), then refuse or take over.
fn take_over_steps(
    doc: &mut Automerge,
    id: &str,
    checks: &[EquipmentCheck],
    decision: &Decision,
    by: &Attribution,
) -> Result<(), ModelError> {
    if !checks.is_empty() {
        handover::check_equipment(doc, id, checks, by)?;
    }
    match decision {
        Decision::Refuse(reason) => handover::refuse(doc, id, reason, by)?,
        Decision::Accept(remark) => handover::accept(doc, id, remark, by)?,
    };
    Ok(())
}

/// The references a hand-over lists: the items open on the other boards
/// (`older`, as held before the new items were raised) and on `board`
/// after raising, each once.
fn carried(
    older: &[PendingItem],
    board: &Automerge,
) -> Result<Vec<handover::PendingRef>, ModelError> {
    let month = pending::board_month(board)?;
    let mut open: Vec<PendingItem> = older.iter().filter(|i| i.month != month).cloned().collect();
    open.extend(pending::open_items(&[board])?);
    open.sort_by(|a, b| (a.opened.by.at_ms, &a.id).cmp(&(b.opened.by.at_ms, &b.id)));
    Ok(pending::carry(&open))
}
