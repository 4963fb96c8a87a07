//! Follow-ups (跟进): repair reports (报修) and rectifications (整改) that an
//! abnormal × on a patrol checklist opens, and that stay open — on every
//! tablet of the site and on the supervisor's desktop — until someone closes
//! them with what was done. Supervisors issue rectification notices
//! (整改通知单) on them and see them to closure.
//!
//! Two document kinds hold them:
//!
//! ```text
//! board: one per site and month, purpose `followups/<YYYY-MM>`
//! ROOT
//! ├── schema  "shiftbook/followups/1"
//! ├── site, month                          ← written once, by genesis
//! └── events  [ FollowUpEvent, … ]         append-only, one fresh map each
//!               {key, kind, by {person_id, person, role, device, at_ms},
//!                department?, source?, text, attachments [ref, …], due?}
//!
//! open index: one per site, purpose `followups-open`
//! ROOT
//! ├── schema  "shiftbook/followups-open/1"
//! ├── site                                 ← written once, by genesis
//! └── open    { follow-up key → "YYYY-MM" }   scalars only
//! ```
//!
//! # Rules
//!
//! * **A board per month.** A follow-up lives in the board of the month of
//!   the round that opened it (its service date, [`month_of`]), not of the
//!   device clock: two tablets that open the same item around midnight at
//!   month end still write into one board. A board stays small (a month of
//!   one site's follow-ups) and is a naturally bounded unit, like a round
//!   (ARCHITECTURE, "How records are split into documents"). Its genesis is
//!   deterministic ([`crate::genesis::build`]), so every tablet creates the
//!   same document offline.
//! * **Events, never edits.** Everything said about a follow-up is a fresh
//!   map appended to `events` in one attributed change
//!   ([`Attribution::commit_options`], summary `followup <kind> <key>`):
//!   `opened`, `note`, `department`, `notice`, `closed`, `reopened`. No
//!   object is ever created under a fixed key after genesis
//!   (ARCHITECTURE invariant 1), and nothing written is overwritten, so a
//!   merge can lose nothing: every event is in [`FollowUp::history`].
//! * **The key is deterministic**: `<round document id>/<item id>`
//!   ([`Source::key`]). Two tablets that mark the same item × offline open
//!   *one* follow-up: two `opened` events under one key, shown as one
//!   follow-up with two [`FollowUp::openers`].
//! * **Status is a walk of the list.** automerge orders a list the same on
//!   every replica, and an event appended after seeing another comes after
//!   it. Walking a key's events in list order: the first `opened` opens,
//!   `closed` closes, `reopened` reopens; notes, notices, re-assignments —
//!   and further `opened` events — change nothing. So a note added
//!   concurrently with (or after) a close stays visible in
//!   [`FollowUp::notes`] and the follow-up stays closed; a second opener
//!   concurrent with a close is listed among the openers of the closed
//!   follow-up (like a note) and does not reopen it; a close concurrent
//!   with a reopen ends in whichever comes last in list order — the same on
//!   every replica, both events in the history. Marking an item × again
//!   *after seeing* its follow-up closed ([`open`]) appends `opened` and
//!   `reopened` together, so that does reopen it.
//! * **The open index holds scalars.** Tablets load the current month's
//!   board and, through the small index, the older boards that still hold
//!   open follow-ups. `open` maps key → month as a plain string, never a
//!   nested object, so concurrent writers can never hide each other's
//!   containers; concurrent puts of one key write the same month.
//! * **The board is the truth.** [`open`], [`close`] and [`reopen`] change
//!   two documents: the board first, then the index, as two changes. A
//!   crash between them, or a close concurrent with a reopen (automerge
//!   keeps a put concurrent with a delete), can leave the index out of
//!   step; views ([`followups`]) read only the board, and
//!   [`reconcile_index`] repairs the index from a board: it adds every key
//!   the board shows open and removes this month's keys the board shows
//!   closed. It never removes a key the board does not know (the board copy
//!   may simply not have synced yet). A copy of a board can be behind the
//!   index (the index synced first): reconciling then may remove a key that
//!   a later reopen put — run it again whenever a board you hold changes,
//!   and it puts the key back once the reopen arrives.
//! * Only a supervisor issues a rectification notice
//!   ([`ModelError::NotAllowed`] otherwise). Every refusal leaves both
//!   documents unchanged.
//! * Attachments are references (strings) on notes; no binary is stored.

use crate::ModelError;
use crate::attribution::Attribution;
/// Who wrote an event: the one struct every event family stores.
pub use crate::attribution::Who;
use crate::event_board;
/// The changes [`open`], [`close`] and [`reopen`] made.
pub use crate::open_index::Written;
use crate::open_index::{self, Mark};
use crate::roster::Role;
use crate::template::Bilingual;
use automerge::{Automerge, ChangeHash};
use autosurgeon::{Hydrate, Reconcile};

/// The schema tag of follow-up boards.
pub const SCHEMA: &str = "shiftbook/followups/1";

/// The schema tag of a site's open-follow-up index.
pub const INDEX_SCHEMA: &str = "shiftbook/followups-open/1";

/// The purpose that derives a site's open-follow-up index id.
pub const INDEX_PURPOSE: &str = "followups-open";

/// The `meaning` of [`ModelError::NotAllowed`] when a notice is refused.
pub const NOTICE_MEANING: &str = "rectification-notice";

/// The department responsible for a follow-up.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Department {
    /// Engineering, 工程部.
    Engineering,
    /// Cleaning, 保洁部.
    Cleaning,
    /// Security, 安管部.
    Security,
    /// Customer service, 客服部.
    CustomerService,
}

impl Department {
    /// Every department, in the order pickers list them.
    pub const ALL: [Department; 4] = [
        Department::Engineering,
        Department::Cleaning,
        Department::Security,
        Department::CustomerService,
    ];
}

crate::string_enum::string_enum!(Department, "a department", {
    Engineering => "engineering",
    Cleaning => "cleaning",
    Security => "security",
    CustomerService => "customer-service",
});

/// What an event says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EventKind {
    /// Opened from a × (or another × on the same item): source, department,
    /// the mark's note.
    Opened,
    /// A note, with optional attachment references.
    Note,
    /// Re-assigned to another department.
    Department,
    /// A supervisor's rectification notice (整改通知单) with a due date.
    Notice,
    /// Closed with what was done.
    Closed,
    /// Reopened, with a reason.
    Reopened,
}

crate::string_enum::string_enum!(EventKind, "a follow-up event kind", {
    Opened => "opened",
    Note => "note",
    Department => "department",
    Notice => "notice",
    Closed => "closed",
    Reopened => "reopened",
});

/// Why a follow-up change was refused (inside [`ModelError::FollowUp`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The follow-up key is empty.
    #[error("a follow-up needs a key")]
    EmptyKey,
    /// The source does not name a round document and an item.
    #[error("a follow-up's source needs {0}")]
    BadSource(&'static str),
    /// Closing needs what was done.
    #[error("closing a follow-up needs what was done")]
    EmptyAction,
    /// A note with neither text nor attachments.
    #[error("a note needs text or an attachment")]
    EmptyNote,
    /// A rectification notice without text.
    #[error("a rectification notice needs text")]
    EmptyNotice,
    /// An attachment reference that is blank.
    #[error("an attachment reference is blank")]
    BlankAttachment,
    /// A month that is not `YYYY-MM` (month 01–12).
    #[error("not a month (YYYY-MM): {0:?}")]
    BadMonth(String),
    /// The round's date is not in the board's month.
    #[error("a round of {date} belongs in the board of its month, not {month}")]
    OtherMonth {
        /// The round's service date.
        date: String,
        /// The board's month.
        month: String,
    },
    /// The board and the index are of different sites.
    #[error("board of site {board:?} with index of site {index:?}")]
    OtherSite {
        /// The board's site.
        board: String,
        /// The index's site.
        index: String,
    },
    /// No `opened` event for this key in this board.
    #[error("follow-up `{0}` was not opened in this board")]
    NotOpened(String),
    /// Closing a follow-up this replica already shows closed.
    #[error("follow-up `{0}` is already closed")]
    AlreadyClosed(String),
    /// Reopening a follow-up this replica shows open.
    #[error("follow-up `{0}` is open")]
    NotClosed(String),
}

/// Where a follow-up comes from: the × on one item of one round.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate)]
pub struct Source {
    /// The round's (checklist's) document id, as [`crate::DocumentId`]
    /// displays it.
    pub round: String,
    /// The round's template id.
    pub template: String,
    /// The item marked ×.
    pub item: String,
    /// The item's label when it was marked.
    pub item_label: Bilingual,
    /// The round's title.
    pub round_title: Bilingual,
    /// The round's service date, `YYYY-MM-DD`; its month picks the board.
    pub date: String,
}

impl Source {
    /// The follow-up key: `<round document id>/<item id>`. The same on
    /// every tablet that marks the item ×, so they open one follow-up.
    pub fn key(&self) -> String {
        format!("{}/{}", self.round, self.item)
    }

    /// Check the source names a round and an item and has a date.
    fn validate(&self) -> Result<(), ModelError> {
        let canonical = self
            .round
            .parse::<crate::DocumentId>()
            .map(|id| id.to_string() == self.round)
            .unwrap_or(false);
        if !canonical {
            return Err(Refusal::BadSource("a round document id").into());
        }
        if self.item.trim().is_empty() {
            return Err(Refusal::BadSource("an item id").into());
        }
        crate::checklist::validate_date(&self.date)
    }
}

/// One event of a follow-up, as stored in the board's `events`.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate)]
pub struct FollowUpEvent {
    /// The follow-up key ([`Source::key`]).
    pub key: String,
    /// What the event says.
    pub kind: EventKind,
    /// Who wrote it and when.
    pub by: Who,
    /// The department: set on `opened` and `department` events.
    pub department: Option<Department>,
    /// The source: set on `opened` events.
    pub source: Option<Source>,
    /// The text: the ×'s note (`opened`), the note, the notice, what was
    /// done (`closed`) or why (`reopened`); empty on `department` events.
    pub text: String,
    /// Attachment references (photos later); notes only for now.
    pub attachments: Vec<String>,
    /// The notice's due date, `YYYY-MM-DD`: set on `notice` events.
    pub due: Option<String>,
}

impl FollowUpEvent {
    fn new(key: &str, kind: EventKind, by: &Attribution, text: &str) -> Self {
        Self {
            key: key.to_owned(),
            kind,
            by: Who::from(by),
            department: None,
            source: None,
            text: text.trim().to_owned(),
            attachments: Vec::new(),
            due: None,
        }
    }
}

/// Whether a follow-up is open, after all the events a board holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FollowUpStatus {
    /// Still to be dealt with.
    Open,
    /// Closed by the last `closed` event in list order.
    Closed {
        /// Who closed it, and when (`by.at_ms`).
        by: Who,
        /// What was done.
        action: String,
    },
}

/// One follow-up as a board shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUp {
    /// The key ([`Source::key`]).
    pub key: String,
    /// Where it comes from (the first `opened` event's source).
    pub source: Source,
    /// The responsible department now: the latest `opened` or
    /// `department` event's, in list order.
    pub department: Department,
    /// Every `opened` event (who marked ×, when, with which note), in list
    /// order.
    pub openers: Vec<FollowUpEvent>,
    /// Every `note` event, in list order, whatever the status.
    pub notes: Vec<FollowUpEvent>,
    /// Every rectification notice (`notice` events), in list order.
    pub notices: Vec<FollowUpEvent>,
    /// Open or closed.
    pub status: FollowUpStatus,
    /// Every event of this follow-up, in list order.
    pub history: Vec<FollowUpEvent>,
}

impl FollowUp {
    /// Whether it is still open.
    pub fn is_open(&self) -> bool {
        self.status == FollowUpStatus::Open
    }

    /// When it was first opened (the earliest opener's device time).
    pub fn opened_at_ms(&self) -> i64 {
        self.openers
            .iter()
            .map(|e| e.by.at_ms)
            .min()
            .unwrap_or(i64::MAX)
    }
}

/// The boards and the open index, as [`open_index`] writes them.
const BOARDS: open_index::Family = open_index::Family {
    board_schema: SCHEMA,
    index_schema: INDEX_SCHEMA,
    summary: INDEX_PURPOSE,
    period: "month",
    owner: &["site"],
};

/// Check that `month` is `YYYY-MM` with a month 01–12.
pub fn validate_month(month: &str) -> Result<(), ModelError> {
    if crate::free_text::is_month(month) {
        Ok(())
    } else {
        Err(Refusal::BadMonth(crate::free_text::clip(month)).into())
    }
}

/// The month (`YYYY-MM`) of a date (`YYYY-MM-DD`): the board a round of
/// that date opens its follow-ups in.
pub fn month_of(date: &str) -> Result<String, ModelError> {
    crate::checklist::validate_date(date)?;
    Ok(date[..7].to_owned())
}

/// The purpose that derives the board's id for `month`:
/// `followups/<YYYY-MM>`.
pub fn purpose(month: &str) -> String {
    format!("followups/{month}")
}

/// The id of the site's board for `month`.
pub fn document_id(site_key: &impl crate::ids::Derive, month: &str) -> crate::DocumentId {
    site_key.derive(&purpose(month))
}

/// The id of the site's open-follow-up index.
pub fn index_document_id(site_key: &impl crate::ids::Derive) -> crate::DocumentId {
    site_key.derive(INDEX_PURPOSE)
}

/// Build the board's first change, identical on every device.
pub fn genesis(site: &str, month: &str) -> Result<Automerge, ModelError> {
    validate_month(month)?;
    event_board::monthly_genesis(SCHEMA, site, month)
}

/// Build the index's first change, identical on every device.
pub fn index_genesis(site: &str) -> Result<Automerge, ModelError> {
    open_index::genesis(INDEX_SCHEMA, site)
}

/// The board's month, `YYYY-MM`.
pub fn board_month(board: &Automerge) -> Result<String, ModelError> {
    event_board::field(board, SCHEMA, "month")
}

/// Every event of the board, in list order (the same on every replica).
pub fn events(board: &Automerge) -> Result<Vec<FollowUpEvent>, ModelError> {
    event_board::events(board, SCHEMA)
}

/// Build the view of one key from its events in list order; `None` when
/// the key has no `opened` event.
fn build(key: &str, history: Vec<FollowUpEvent>) -> Result<Option<FollowUp>, ModelError> {
    let mut source = None;
    let mut department = None;
    let mut status = None;
    let (mut openers, mut notes, mut notices) = (Vec::new(), Vec::new(), Vec::new());
    for event in &history {
        match event.kind {
            EventKind::Opened => {
                if source.is_none() {
                    source.clone_from(&event.source);
                }
                if status.is_none() {
                    status = Some(FollowUpStatus::Open);
                }
                openers.push(event.clone());
            }
            EventKind::Note => notes.push(event.clone()),
            EventKind::Notice => notices.push(event.clone()),
            EventKind::Department => {}
            EventKind::Closed => {
                status = Some(FollowUpStatus::Closed {
                    by: event.by.clone(),
                    action: event.text.clone(),
                });
            }
            EventKind::Reopened => status = Some(FollowUpStatus::Open),
        }
        if matches!(event.kind, EventKind::Opened | EventKind::Department)
            && let Some(d) = event.department
        {
            department = Some(d);
        }
    }
    if openers.is_empty() {
        return Ok(None);
    }
    let (Some(source), Some(department), Some(status)) = (source, department, status) else {
        return Err(ModelError::Corrupt(format!("source of follow-up {key}")));
    };
    Ok(Some(FollowUp {
        key: key.to_owned(),
        source,
        department,
        openers,
        notes,
        notices,
        status,
        history,
    }))
}

/// Every follow-up opened in the board, oldest first (by first opened
/// time, then key). Events of a key never opened in this board (which
/// this module never writes) are left out here and kept in [`events`].
pub fn followups(board: &Automerge) -> Result<Vec<FollowUp>, ModelError> {
    let mut out = Vec::new();
    for (key, history) in event_board::by_record(events(board)?, |e| &e.key) {
        if let Some(f) = build(&key, history)? {
            out.push(f);
        }
    }
    crate::sort_once::sort_by(&mut out, |a, b| {
        (a.opened_at_ms(), &a.key).cmp(&(b.opened_at_ms(), &b.key))
    });
    Ok(out)
}

/// The follow-up `key` as the board shows it; `None` when it was not
/// opened in this board.
pub fn followup(board: &Automerge, key: &str) -> Result<Option<FollowUp>, ModelError> {
    let history = events(board)?
        .into_iter()
        .filter(|e| e.key == key)
        .collect();
    build(key, history)
}

/// The follow-up `key`, which must have been opened in this board.
fn existing(board: &Automerge, key: &str) -> Result<FollowUp, ModelError> {
    if key.is_empty() {
        return Err(Refusal::EmptyKey.into());
    }
    followup(board, key)?.ok_or_else(|| Refusal::NotOpened(key.to_owned()).into())
}

/// Append `events` to the board as one change by `by`.
fn append(
    board: &mut Automerge,
    events: &[FollowUpEvent],
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    event_board::append(board, SCHEMA, events, by.commit_options(&summary(events)))
}

/// The summary of a change appending `events`: `followup <last kind>
/// <key>`.
fn summary(events: &[FollowUpEvent]) -> String {
    match (events.first(), events.last()) {
        (Some(first), Some(last)) => format!("followup {} {}", last.kind.as_str(), first.key),
        _ => String::new(),
    }
}

/// Append `events` to the board, then `mark` the follow-up in the index.
fn write(
    board: &mut Automerge,
    index: &mut Automerge,
    events: &[FollowUpEvent],
    mark: Mark<'_>,
    by: &Attribution,
) -> Result<Written, ModelError> {
    BOARDS.write(board, index, events, &summary(events), mark, by)
}

/// Check the board and the index belong together, before any write:
/// schemas, containers, one site. Returns the board's month.
fn check_pair(board: &Automerge, index: &Automerge) -> Result<String, ModelError> {
    BOARDS.check_pair(board, index, |board, index| {
        Refusal::OtherSite { board, index }.into()
    })
}

/// Open the follow-up of a × on `source`'s item: an `opened` event in the
/// board (the board of the round date's month), then the key in the index.
///
/// Opening a key that is already open adds an opener (with its note).
/// Opening a key this replica shows closed — the item marked × again
/// after the close — appends `opened` and `reopened` in one change
/// (summary `followup reopened <key>`), so it is open again. Board first, index second (see the module rules); if the
/// index write fails the board change stays and [`reconcile_index`]
/// repairs the index.
pub fn open(
    board: &mut Automerge,
    index: &mut Automerge,
    source: &Source,
    department: Department,
    note: &str,
    by: &Attribution,
) -> Result<Written, ModelError> {
    let month = check_pair(board, index)?;
    source.validate()?;
    if month_of(&source.date)? != month {
        return Err(Refusal::OtherMonth {
            date: source.date.clone(),
            month,
        }
        .into());
    }
    let key = source.key();
    let mut opened = FollowUpEvent::new(&key, EventKind::Opened, by, note);
    opened.department = Some(department);
    opened.source = Some(source.clone());
    let mut new = vec![opened];
    if followup(board, &key)?.is_some_and(|f| !f.is_open()) {
        new.push(FollowUpEvent::new(&key, EventKind::Reopened, by, note));
    }
    write(board, index, &new, Mark::Open(&key, &month), by)
}

/// Add a note (text and/or attachment references) to the follow-up
/// `key`, whatever its status: a note never reopens a closed follow-up.
pub fn note(
    board: &mut Automerge,
    key: &str,
    text: &str,
    attachments: &[String],
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    if attachments.iter().any(|a| a.trim().is_empty()) {
        return Err(Refusal::BlankAttachment.into());
    }
    if text.trim().is_empty() && attachments.is_empty() {
        return Err(Refusal::EmptyNote.into());
    }
    existing(board, key)?;
    let mut event = FollowUpEvent::new(key, EventKind::Note, by, text);
    event.attachments = attachments.iter().map(|a| a.trim().to_owned()).collect();
    append(board, &[event], by)
}

/// Re-assign the follow-up `key` to `department`.
pub fn reassign(
    board: &mut Automerge,
    key: &str,
    department: Department,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    existing(board, key)?;
    let mut event = FollowUpEvent::new(key, EventKind::Department, by, "");
    event.department = Some(department);
    append(board, &[event], by)
}

/// Issue a rectification notice (整改通知单) on the follow-up `key`, due on
/// `due` (`YYYY-MM-DD`). Only a supervisor may.
pub fn notice(
    board: &mut Automerge,
    key: &str,
    text: &str,
    due: &str,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    if by.role != Role::Supervisor {
        return Err(ModelError::NotAllowed {
            role: by.role.as_str(),
            meaning: NOTICE_MEANING,
        });
    }
    if text.trim().is_empty() {
        return Err(Refusal::EmptyNotice.into());
    }
    crate::checklist::validate_date(due)?;
    existing(board, key)?;
    let mut event = FollowUpEvent::new(key, EventKind::Notice, by, text);
    event.due = Some(due.to_owned());
    append(board, &[event], by)
}

/// Close the follow-up `key` with what was done (`action`, required): a
/// `closed` event in the board, then the key removed from the index.
/// Refused when this replica already shows it closed.
pub fn close(
    board: &mut Automerge,
    index: &mut Automerge,
    key: &str,
    action: &str,
    by: &Attribution,
) -> Result<Written, ModelError> {
    check_pair(board, index)?;
    if action.trim().is_empty() {
        return Err(Refusal::EmptyAction.into());
    }
    if !existing(board, key)?.is_open() {
        return Err(Refusal::AlreadyClosed(key.to_owned()).into());
    }
    let closed = FollowUpEvent::new(key, EventKind::Closed, by, action);
    write(board, index, &[closed], Mark::Closed(key), by)
}

/// Reopen the follow-up `key` (the reason may be empty): a `reopened`
/// event in the board, then the key back in the index. Refused when this
/// replica shows it open.
pub fn reopen(
    board: &mut Automerge,
    index: &mut Automerge,
    key: &str,
    reason: &str,
    by: &Attribution,
) -> Result<Written, ModelError> {
    let month = check_pair(board, index)?;
    if existing(board, key)?.is_open() {
        return Err(Refusal::NotClosed(key.to_owned()).into());
    }
    let reopened = FollowUpEvent::new(key, EventKind::Reopened, by, reason);
    write(board, index, &[reopened], Mark::Open(key, &month), by)
}

/// Make the index agree with the board (the truth) for the board's month,
/// as at most one change: every follow-up the board shows open is put
/// with the board's month; every key the board shows closed is removed if
/// the index points it at this month. Keys the board does not know are
/// left alone. Returns whether the index changed.
pub fn reconcile_index(
    board: &Automerge,
    index: &mut Automerge,
    by: &Attribution,
) -> Result<bool, ModelError> {
    let month = check_pair(board, index)?;
    let records = followups(board)?.into_iter().map(|f| {
        let is_open = f.is_open();
        (f.key, is_open)
    });
    BOARDS.reconcile(index, &month, records, by)
}

/// Every (key, month) the index lists, sorted; a key with concurrent
/// different months is listed once per month. Values that are not months
/// are skipped: the index is only a hint of which boards to load.
pub fn open_in_index(index: &Automerge) -> Result<Vec<(String, String)>, ModelError> {
    BOARDS.entries(index, crate::free_text::is_month)
}

/// The months whose boards a device loads to show every open follow-up:
/// `current` and every month in the index, oldest first, each once.
pub fn months_to_load(index: &Automerge, current: &str) -> Result<Vec<String>, ModelError> {
    validate_month(current)?;
    BOARDS.periods_to_load(index, current, crate::free_text::is_month)
}

#[cfg(test)]
mod tests;
