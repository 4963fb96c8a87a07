//! Pending items (遗留事项) of hand-overs: what a shift could not finish,
//! carried forward shift after shift until someone marks it done with
//! what was done (004 §2L: 在完成的事项后签字确认; §2B, §2N: the next
//! shift reads them and follows up).
//!
//! Two document kinds per book (the post's hand-over record, see
//! [`super`]), like [`crate::followup`]'s:
//!
//! ```text
//! board: one per site, book and month, purpose `handover-pending/<book>/<YYYY-MM>`
//! ROOT
//! ├── schema  "shiftbook/handover-pending/1"
//! ├── site, book, month                    ← written once, by genesis
//! └── events  [ PendingEvent, … ]          append-only, one fresh map each
//!               {item, kind, by {…}, text, handover?, date?}
//!
//! open index: one per site and book, purpose `handover-pending-open/<book>`
//! ROOT
//! ├── schema  "shiftbook/handover-pending-open/1"
//! ├── site, book                           ← written once, by genesis
//! └── open    { item id → "YYYY-MM" }      scalars only
//! ```
//!
//! # Rules
//!
//! * **A board per month** of the service day the item was raised on
//!   (not the device clock), deterministic genesis, so every tablet holds
//!   the same board offline; a board stays a month of one book's items.
//! * **Item ids are drawn by the caller** ([`crate::ids::is_key`], e.g.
//!   random): one device raises an item. Opening an id the board already
//!   holds is refused.
//! * **Events, never edits**: `opened` (text, from which hand-over, service
//!   day), `note`, `done` (what was done — the person's confirmation,
//!   attributed), `reopened` (why). One attributed change each (summary
//!   `handover-pending <kind> <item>`).
//! * **Status is a walk of the list**, as for follow-ups: the first
//!   `opened` opens, `done` closes, `reopened` reopens; notes (and further
//!   `opened` events of one id, which only concurrent raises of one id
//!   could make) change nothing. So an item marked done on one tablet
//!   while another adds a note offline ends done *with* the note in
//!   [`PendingItem::notes`]; done concurrent with reopened ends as the
//!   later of the two in list order — the same on every replica, both in
//!   the history.
//! * **The open index holds scalars** (id → month) so a tablet knows
//!   which older boards still hold open items ([`months_to_load`]). Writes
//!   change the board first, then the index; the board is the truth, views
//!   read only boards, and [`reconcile_index`] repairs the index (it never
//!   removes an id the board does not know).
//! * Every refusal leaves both documents unchanged.

use super::{MAX_TEXT, Refusal, key, text};
use crate::ModelError;
use crate::attribution::{Attribution, Who};
use crate::event_board;
use crate::genesis::{Container, Root};
use crate::open_index::{self, Mark};
use automerge::{Automerge, ChangeHash};
use autosurgeon::{Hydrate, Reconcile};

/// The changes [`open`], [`done`] and [`reopen`] made.
pub use crate::open_index::Written;

/// The schema tag of pending-item boards.
pub const SCHEMA: &str = "shiftbook/handover-pending/1";

/// The schema tag of a book's open-pending-item index.
pub const INDEX_SCHEMA: &str = "shiftbook/handover-pending-open/1";

/// What a pending-item event says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PendingKind {
    /// Raised: what is pending, from which hand-over.
    Opened,
    /// A note (progress, a question).
    Note,
    /// Done, with what was done.
    Done,
    /// Reopened, with why.
    Reopened,
}

crate::string_enum::string_enum!(PendingKind, "a pending-item event kind", {
    Opened => "opened",
    Note => "note",
    Done => "done",
    Reopened => "reopened",
});

/// One event of a pending item, as stored in a board's `events`.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate)]
pub struct PendingEvent {
    /// The item id.
    pub item: String,
    /// What the event says.
    pub kind: PendingKind,
    /// Who wrote it and when.
    pub by: Who,
    /// What is pending (`opened`), the note, what was done (`done`) or
    /// why (`reopened`).
    pub text: String,
    /// The hand-over it was raised in, if any: `opened` only.
    pub handover: Option<String>,
    /// The service day it was raised on: `opened` only.
    pub date: Option<String>,
}

impl PendingEvent {
    fn new(item: &str, kind: PendingKind, by: &Attribution, text: String) -> Self {
        Self {
            item: item.to_owned(),
            kind,
            by: Who::from(by),
            text,
            handover: None,
            date: None,
        }
    }
}

/// Whether a pending item is open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PendingStatus {
    /// Still to be followed up.
    Open,
    /// Done, by the last `done` event in list order.
    Done {
        /// Who confirmed it done, and when (`by.at_ms`).
        by: Who,
        /// What was done.
        action: String,
    },
}

/// One pending item as a board shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingItem {
    /// The item id.
    pub id: String,
    /// The board's month, `YYYY-MM`.
    pub month: String,
    /// What is pending (the first `opened` event's text).
    pub text: String,
    /// The first `opened` event (who raised it, when, from which
    /// hand-over, on which service day).
    pub opened: PendingEvent,
    /// Every note, in list order, whatever the status.
    pub notes: Vec<PendingEvent>,
    /// Open or done.
    pub status: PendingStatus,
    /// Every event of the item, in list order.
    pub history: Vec<PendingEvent>,
}

impl PendingItem {
    /// Whether it is still open.
    pub fn is_open(&self) -> bool {
        self.status == PendingStatus::Open
    }

    /// What a hand-over records of it ([`PendingRef`]).
    pub fn to_ref(&self) -> PendingRef {
        PendingRef {
            id: self.id.clone(),
            month: self.month.clone(),
            text: self.text.clone(),
        }
    }
}

/// A pending item as a hand-over lists it when written: its id, the month
/// of its board (so the board can be loaded) and its text as it read.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate)]
pub struct PendingRef {
    /// The item id.
    pub id: String,
    /// Its board's month, `YYYY-MM`.
    pub month: String,
    /// What is pending.
    pub text: String,
}

impl PendingRef {
    /// A checked copy: id a key, month `YYYY-MM`, text trimmed, required
    /// and at most [`MAX_TEXT`] characters.
    pub(super) fn validated(&self) -> Result<Self, ModelError> {
        key("a pending item id", &self.id)?;
        validate_month(&self.month)?;
        Ok(Self {
            id: self.id.clone(),
            month: self.month.clone(),
            text: text("a pending item", &self.text, true, MAX_TEXT)?,
        })
    }
}

/// The references of the open items among `items`, for
/// [`super::Draft::pending`].
pub fn carry(items: &[PendingItem]) -> Vec<PendingRef> {
    items
        .iter()
        .filter(|i| i.is_open())
        .map(PendingItem::to_ref)
        .collect()
}

/// A book's boards and its open index, as [`open_index`] writes them.
const BOARDS: open_index::Family = open_index::Family {
    board_schema: SCHEMA,
    index_schema: INDEX_SCHEMA,
    summary: "handover-pending-open",
    period: "month",
    owner: &["site", "book"],
};

/// Check that `month` is `YYYY-MM` with a month 01–12.
pub fn validate_month(month: &str) -> Result<(), ModelError> {
    if crate::free_text::is_month(month) {
        Ok(())
    } else {
        Err(Refusal::BadMonth(crate::free_text::clip(month)).into())
    }
}

/// The month (`YYYY-MM`) of a service day (`YYYY-MM-DD`): the board an
/// item raised that day goes in.
pub fn month_of(date: &str) -> Result<String, ModelError> {
    crate::checklist::validate_date(date)?;
    Ok(date[..7].to_owned())
}

/// The purpose of `book`'s board for `month`:
/// `handover-pending/<book>/<YYYY-MM>`.
pub fn purpose(book: &str, month: &str) -> String {
    format!("handover-pending/{book}/{month}")
}

/// The purpose of `book`'s open index: `handover-pending-open/<book>`.
pub fn index_purpose(book: &str) -> String {
    format!("handover-pending-open/{book}")
}

/// The id of `book`'s board for `month`.
pub fn document_id(
    site_key: &impl crate::ids::Derive,
    book: &str,
    month: &str,
) -> crate::DocumentId {
    site_key.derive(&purpose(book, month))
}

/// The id of `book`'s open index.
pub fn index_document_id(site_key: &impl crate::ids::Derive, book: &str) -> crate::DocumentId {
    site_key.derive(&index_purpose(book))
}

/// Build a board's first change, identical on every device.
pub fn genesis(site: &str, book: &str, month: &str) -> Result<Automerge, ModelError> {
    key("a book", book)?;
    validate_month(month)?;
    crate::genesis::build(&Root {
        schema: SCHEMA,
        identity: &[("site", site), ("book", book), ("month", month)],
        containers: &[("events", Container::List)],
    })
}

/// Build an index's first change, identical on every device.
pub fn index_genesis(site: &str, book: &str) -> Result<Automerge, ModelError> {
    key("a book", book)?;
    crate::genesis::build(&Root {
        schema: INDEX_SCHEMA,
        identity: &[("site", site), ("book", book)],
        containers: &[("open", Container::Map)],
    })
}

/// The board's month, `YYYY-MM`.
pub fn board_month(board: &Automerge) -> Result<String, ModelError> {
    event_board::field(board, SCHEMA, "month")
}

/// Every event of the board, in list order.
pub fn events(board: &Automerge) -> Result<Vec<PendingEvent>, ModelError> {
    event_board::events(board, SCHEMA)
}

/// The view of one item from its events in list order; `None` without an
/// `opened` event.
fn build(id: &str, month: &str, history: Vec<PendingEvent>) -> Option<PendingItem> {
    let opened = history
        .iter()
        .find(|e| e.kind == PendingKind::Opened)?
        .clone();
    let mut status = None;
    let mut notes = Vec::new();
    for event in &history {
        match event.kind {
            PendingKind::Opened => {
                status.get_or_insert(PendingStatus::Open);
            }
            PendingKind::Note => notes.push(event.clone()),
            PendingKind::Done => {
                status = Some(PendingStatus::Done {
                    by: event.by.clone(),
                    action: event.text.clone(),
                });
            }
            PendingKind::Reopened => status = Some(PendingStatus::Open),
        }
    }
    Some(PendingItem {
        id: id.to_owned(),
        month: month.to_owned(),
        text: opened.text.clone(),
        opened,
        notes,
        status: status.unwrap_or(PendingStatus::Open),
        history,
    })
}

/// Every item raised in the board, oldest first (by raised time, then id).
pub fn items(board: &Automerge) -> Result<Vec<PendingItem>, ModelError> {
    let month = board_month(board)?;
    let mut out: Vec<PendingItem> = event_board::by_record(events(board)?, |e| &e.item)
        .into_iter()
        .filter_map(|(id, history)| build(&id, &month, history))
        .collect();
    crate::sort_once::sort_by(&mut out, |a, b| {
        (a.opened.by.at_ms, &a.id).cmp(&(b.opened.by.at_ms, &b.id))
    });
    Ok(out)
}

/// The item `id` as the board shows it; `None` when it was not raised in
/// this board.
pub fn item(board: &Automerge, id: &str) -> Result<Option<PendingItem>, ModelError> {
    let month = board_month(board)?;
    let history = events(board)?
        .into_iter()
        .filter(|e| e.item == id)
        .collect();
    Ok(build(id, &month, history))
}

/// The open items of every given board (a book's boards a device holds,
/// [`months_to_load`]), oldest first (by raised time, then id).
pub fn open_items(boards: &[&Automerge]) -> Result<Vec<PendingItem>, ModelError> {
    let mut out = Vec::new();
    for board in boards {
        out.extend(items(board)?.into_iter().filter(PendingItem::is_open));
    }
    crate::sort_once::sort_by(&mut out, |a, b| {
        (a.opened.by.at_ms, &a.id).cmp(&(b.opened.by.at_ms, &b.id))
    });
    Ok(out)
}

/// The item `id`, which must have been raised in this board.
fn existing(board: &Automerge, id: &str) -> Result<PendingItem, ModelError> {
    key("a pending item id", id)?;
    item(board, id)?.ok_or_else(|| Refusal::ItemNotOpened(id.to_owned()).into())
}

/// Append `event` to the board as one change by `by`.
fn append(
    board: &mut Automerge,
    event: &PendingEvent,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    let options = by.commit_options(&summary(event));
    event_board::append(board, SCHEMA, std::slice::from_ref(event), options)
}

/// The summary of a change appending `event`: `handover-pending <kind>
/// <item>`.
fn summary(event: &PendingEvent) -> String {
    format!("handover-pending {} {}", event.kind.as_str(), event.item)
}

/// Append `event` to the board, then `mark` the item in the index.
fn write(
    board: &mut Automerge,
    index: &mut Automerge,
    event: &PendingEvent,
    mark: Mark<'_>,
    by: &Attribution,
) -> Result<Written, ModelError> {
    let events = std::slice::from_ref(event);
    BOARDS.write(board, index, events, &summary(event), mark, by)
}

/// Check the board and the index belong together (schemas, containers,
/// one site and book) before any write. Returns the board's month.
fn check_pair(board: &Automerge, index: &Automerge) -> Result<String, ModelError> {
    BOARDS.check_pair(board, index, |board, index| {
        Refusal::OtherBook { board, index }.into()
    })
}

/// Raise a pending item `id` (drawn by the caller) on service day `date`
/// (its month must be the board's), optionally from hand-over `handover`:
/// an `opened` event in the board, then the id in the index.
pub fn open(
    board: &mut Automerge,
    index: &mut Automerge,
    id: &str,
    what: &str,
    date: &str,
    handover: Option<&str>,
    by: &Attribution,
) -> Result<Written, ModelError> {
    let month = check_pair(board, index)?;
    key("a pending item id", id)?;
    let what = text("a pending item", what, true, MAX_TEXT)?;
    if let Some(h) = handover {
        key("a hand-over id", h)?;
    }
    if month_of(date)? != month {
        return Err(Refusal::OtherMonth {
            date: date.to_owned(),
            month,
        }
        .into());
    }
    if item(board, id)?.is_some() {
        return Err(Refusal::ItemExists(id.to_owned()).into());
    }
    let mut event = PendingEvent::new(id, PendingKind::Opened, by, what);
    event.handover = handover.map(str::to_owned);
    event.date = Some(date.to_owned());
    write(board, index, &event, Mark::Open(id, &month), by)
}

/// Add a note (required) to item `id`, whatever its status: a note never
/// reopens a done item.
pub fn note(
    board: &mut Automerge,
    id: &str,
    note: &str,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    let note = text("a note", note, true, MAX_TEXT)?;
    existing(board, id)?;
    append(
        board,
        &PendingEvent::new(id, PendingKind::Note, by, note),
        by,
    )
}

/// Mark item `id` done with what was done (required): a `done` event in
/// the board (who, when — the confirmation), then the id removed from the
/// index. Refused when this replica already shows it done.
pub fn done(
    board: &mut Automerge,
    index: &mut Automerge,
    id: &str,
    action: &str,
    by: &Attribution,
) -> Result<Written, ModelError> {
    check_pair(board, index)?;
    let action = text("what was done", action, true, MAX_TEXT)?;
    if !existing(board, id)?.is_open() {
        return Err(Refusal::ItemDone(id.to_owned()).into());
    }
    let done = PendingEvent::new(id, PendingKind::Done, by, action);
    write(board, index, &done, Mark::Closed(id), by)
}

/// Reopen item `id` with why (required): a `reopened` event in the board,
/// then the id back in the index. Refused when this replica shows it open.
pub fn reopen(
    board: &mut Automerge,
    index: &mut Automerge,
    id: &str,
    reason: &str,
    by: &Attribution,
) -> Result<Written, ModelError> {
    let month = check_pair(board, index)?;
    let reason = text("a reason", reason, true, MAX_TEXT)?;
    if existing(board, id)?.is_open() {
        return Err(Refusal::ItemOpen(id.to_owned()).into());
    }
    let reopened = PendingEvent::new(id, PendingKind::Reopened, by, reason);
    write(board, index, &reopened, Mark::Open(id, &month), by)
}

/// Make the index agree with the board for the board's month, as at most
/// one change: every item the board shows open is put with its month;
/// every item the board shows done is removed if the index points it at
/// this month. Ids the board does not know are left alone. Returns
/// whether the index changed.
pub fn reconcile_index(
    board: &Automerge,
    index: &mut Automerge,
    by: &Attribution,
) -> Result<bool, ModelError> {
    let month = check_pair(board, index)?;
    let records = items(board)?.into_iter().map(|i| {
        let is_open = i.is_open();
        (i.id, is_open)
    });
    BOARDS.reconcile(index, &month, records, by)
}

/// Every (id, month) the index lists, sorted; values that are not months
/// are skipped (the index is only a hint of which boards to load).
pub fn open_in_index(index: &Automerge) -> Result<Vec<(String, String)>, ModelError> {
    BOARDS.entries(index, crate::free_text::is_month)
}

/// The months whose boards a device loads to show every open item:
/// `current` and every month in the index, oldest first, each once.
pub fn months_to_load(index: &Automerge, current: &str) -> Result<Vec<String>, ModelError> {
    validate_month(current)?;
    BOARDS.periods_to_load(index, current, crate::free_text::is_month)
}
