//! Shift hand-over (交接班): the outgoing person writes what happened and
//! what is pending, the incoming person reads it, checks the equipment
//! with them (✓ / ×), takes over or refuses to with a reason, and both
//! sign (《样板房交接班记录表》, 001 §6.3.10; 客服部交接班管理制度, 001 篇3).
//! The daily 08:00 and 18:00 hand-over between customer service and the
//! security control room (001 篇3 §3) is the same record with a different
//! from-post and to-post. Pending items (遗留事项) live in their own boards
//! ([`pending`]) so they carry forward shift after shift and day after day
//! until someone marks them done (004 §2B, §2L, §2N). Which books a site
//! keeps, their shifts and their equipment lists are in [`books`].
//!
//! ```text
//! hand-over book day: one per site, book and service day,
//!                     purpose `handover/<book>/<YYYY-MM-DD>`
//! ROOT
//! ├── schema      "shiftbook/handover/1"
//! ├── site, book, date                     ← identity, written by genesis
//! ├── events      [ HandoverEvent, … ]     append-only, one fresh map each
//! │                 {handover, kind, by {person_id, person, role, device, at_ms},
//! │                  text, from_post?, to_post?, shift?, pending [PendingRef],
//! │                  equipment?, answers [Who], signature?}
//! └── signatures  [ Signature, … ]         the leader's daily review
//!                                          (see [`crate::signature`])
//! ```
//!
//! # Rules
//!
//! * **A book per post and day.** The *book* is the hand-over record the
//!   staff write in (交接记录本): usually the outgoing post (`lobby`,
//!   `show-flat-a`), or one shared book for an exchange between two posts
//!   (`cs-control-room` for customer service ↔ security control room, both
//!   directions in one document, like the paper 工作交接本). Each
//!   hand-over in it names its from-post and to-post. The service day is
//!   the caller's (the day the shift belongs to, not the device clock).
//!   Genesis is the identity and the empty containers, deterministic
//!   ([`crate::genesis::build`]), so tablets opening the day offline hold
//!   one document. A day is a naturally bounded unit that the team leader
//!   reviews and signs ([`crate::signature::sign`] with
//!   [`crate::signature::Meaning::DailyReview`] on the day document).
//! * **Events, never edits.** A hand-over is identified by an id the
//!   caller draws ([`crate::ids::is_key`]); everything said about it is a
//!   fresh map appended to `events` in one attributed change (summary
//!   `handover <kind> <id>`): `written`, `equipment`, `refused`,
//!   `accepted`, `signed`, `note`. No object is ever created under a fixed
//!   key after genesis and nothing is overwritten, so a merge loses
//!   nothing: every event is in [`Handover::history`].
//! * **Written once.** [`write()`] refuses an id this replica already holds;
//!   two tablets writing one id concurrently (only possible with ids that
//!   are not random) leave two `written` events, both shown
//!   ([`Handover::writings`]); the first in list order gives the summary
//!   and posts, every writer counts as outgoing. More text after writing is
//!   a [`note`].
//! * **Equipment checks** are given by the caller (a template's list),
//!   ✓ or ×; an × needs a note. Every check is kept; an item's result is
//!   its last check in list order (the same on every replica), and
//!   [`EquipmentResult::checks`] lists them all.
//! * **Refusal and acceptance.** The incoming person (never an outgoing
//!   writer) may refuse with a reason (1.6: questions the outgoing cannot
//!   answer) — shown as an alert for the leader ([`alerts`]) — or accept.
//!   An acceptance records which refusals it answers: every refusal the
//!   accepting replica holds ([`HandoverEvent::answers`]). The state is
//!   decided from those facts, not from list order, so it is the same on
//!   every replica and never hides a refusal:
//!   1. **Refused** while any refusal is answered by no acceptance — a
//!      refusal made concurrently with an acceptance (or with signatures)
//!      outranks it; the acceptance stays listed in
//!      [`Handover::acceptances`];
//!   2. **Signed** when accepted and signed in both capacities;
//!   3. **Accepted** when at least one acceptance exists;
//!   4. **Written** otherwise.
//!
//!   Accepting again after seeing a refusal answers it. Refusing or
//!   accepting is refused on a replica that already shows the hand-over
//!   accepted (further remarks are notes, or new pending items).
//! * **Signatures cover exact heads** (ARCHITECTURE invariant 8). A
//!   `signed` event holds a [`Signature`] with the day document's heads
//!   just before signing and meaning
//!   [`Meaning::HandoverOutgoing`] / [`Meaning::HandoverIncoming`]; its
//!   change summary starts with [`crate::signature::SUMMARY_PREFIX`], so
//!   [`crate::signature::changes_after`] and
//!   [`crate::signature::as_signed`] work on it, and
//!   [`added_after_signing`] lists this hand-over's events the signer did
//!   not see. Signing needs the hand-over accepted on this replica; the
//!   outgoing capacity is for a writer, the incoming one for anyone else;
//!   one signature per capacity (concurrent double signatures are both
//!   kept and shown).
//! * **Pending items at writing.** A `written` event lists the pending
//!   items open at that moment ([`PendingRef`]: id, board month, text as
//!   it read), so the hand-over shows what was handed over even when the
//!   boards change later, and the months say which boards to load.
//! * **Alerts** ([`alerts`]): hand-overs refused with a refusal not yet
//!   answered by an acceptance, and hand-overs written but not taken over
//!   after a number of minutes at the caller's `now_ms`.
//! * Every refusal of bad input ([`Refusal`], inside
//!   [`ModelError::Handover`]) leaves the documents unchanged. Texts are
//!   trimmed; summaries, reasons, notes and actions are at most
//!   [`MAX_TEXT`] characters.

use crate::ModelError;
use crate::attribution::{Attribution, Who};
use crate::checklist::Status;
use crate::event_board;
use crate::free_text::clip;
use crate::genesis::{Container, Root};
use crate::signature::{Meaning, Signature};
use crate::template::Bilingual;
use automerge::{Automerge, ChangeHash};
use autosurgeon::{Hydrate, Reconcile};
use std::collections::BTreeSet;

pub mod books;
pub mod equipment_lists;
pub mod pending;
pub use books::{Book, Shift};
pub use pending::PendingRef;

#[cfg(test)]
mod tests;

/// The schema tag of hand-over book days.
pub const SCHEMA: &str = "shiftbook/handover/1";

/// The most characters of a summary, reason, note or action.
pub const MAX_TEXT: usize = 2_000;

/// The most characters of a shift label or an equipment label.
pub const MAX_LABEL: usize = 64;

/// The most pending items one hand-over lists, and the most equipment
/// checks one change records.
pub const MAX_ITEMS: usize = 200;

/// The longest wait [`alerts`] accepts, in minutes (a day).
pub const MAX_WAIT_MINUTES: i64 = 24 * 60;

/// The `setting` of [`ModelError::OutOfRange`] for a bad wait.
pub const WAIT_SETTING: &str = "handover-wait-minutes";

/// Why a hand-over or pending-item change was refused (inside
/// [`ModelError::Handover`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// An id or post that is not 1–64 letters, digits, `-` or `_`.
    #[error("{what} {key:?} is not 1–64 letters, digits, - or _")]
    BadKey {
        /// What the key names.
        what: &'static str,
        /// The key (at most 32 characters of it).
        key: String,
    },
    /// A required text is blank.
    #[error("{0} is required")]
    Empty(&'static str),
    /// A text longer than allowed.
    #[error("{what} is longer than {max} characters")]
    TooLong {
        /// What the text is.
        what: &'static str,
        /// The most characters allowed.
        max: usize,
    },
    /// More entries than one change may carry.
    #[error("more than {max} {what}")]
    TooMany {
        /// What is listed.
        what: &'static str,
        /// The most allowed.
        max: usize,
    },
    /// The same equipment item twice in one check.
    #[error("equipment `{0}` listed twice")]
    DuplicateEquipment(String),
    /// An × on equipment without a note.
    #[error("equipment `{0}` is abnormal: say what is wrong")]
    AbnormalNeedsNote(String),
    /// The incoming person is an outgoing writer of the hand-over.
    #[error("the incoming person cannot be the outgoing one")]
    SamePerson,
    /// Signing as outgoing without having written the hand-over.
    #[error("only who wrote hand-over `{0}` signs as outgoing")]
    NotOutgoing(String),
    /// No `written` event for this id in this document.
    #[error("hand-over `{0}` was not written in this book")]
    NotWritten(String),
    /// Writing an id this replica already holds.
    #[error("hand-over `{0}` is already written")]
    AlreadyWritten(String),
    /// Refusing or accepting a hand-over this replica shows accepted.
    #[error("hand-over `{0}` is already accepted")]
    AlreadyAccepted(String),
    /// Signing a hand-over this replica does not show accepted.
    #[error("hand-over `{0}` is not accepted")]
    NotAccepted(String),
    /// A second signature in one capacity.
    #[error("hand-over `{id}` is already signed as {capacity}")]
    AlreadySigned {
        /// The hand-over.
        id: String,
        /// The capacity already signed.
        capacity: &'static str,
    },
    /// A month that is not `YYYY-MM` (month 01–12).
    #[error("not a month (YYYY-MM): {0:?}")]
    BadMonth(String),
    /// A service date outside the pending board's month.
    #[error("an item of {date} belongs in the board of its month, not {month}")]
    OtherMonth {
        /// The item's service date.
        date: String,
        /// The board's month.
        month: String,
    },
    /// A pending board and an index of different sites or posts.
    #[error("board of {board:?} with index of {index:?}")]
    OtherBook {
        /// The board's site and post.
        board: String,
        /// The index's site and post.
        index: String,
    },
    /// Opening a pending item id the board already holds.
    #[error("pending item `{0}` already exists")]
    ItemExists(String),
    /// No `opened` event for this pending item in this board.
    #[error("pending item `{0}` was not opened in this board")]
    ItemNotOpened(String),
    /// Marking done an item this replica shows done.
    #[error("pending item `{0}` is already done")]
    ItemDone(String),
    /// Reopening an item this replica shows open.
    #[error("pending item `{0}` is open")]
    ItemOpen(String),
}

/// `key` if it is a key ([`crate::ids::is_key`]), else `BadKey`.
fn key(what: &'static str, key: &str) -> Result<(), ModelError> {
    if crate::ids::is_key(key) {
        Ok(())
    } else {
        Err(Refusal::BadKey {
            what,
            key: clip(key),
        }
        .into())
    }
}

/// `s` trimmed, at most `max` characters, non-empty when `required`.
fn text(what: &'static str, s: &str, required: bool, max: usize) -> Result<String, ModelError> {
    let t = s.trim();
    if required && t.is_empty() {
        return Err(Refusal::Empty(what).into());
    }
    if t.chars().count() > max {
        return Err(Refusal::TooLong { what, max }.into());
    }
    Ok(t.to_owned())
}

// ─────────────────────────────── events ───────────────────────────────

/// What a hand-over event says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EventKind {
    /// The outgoing person wrote the hand-over: posts, shift, summary, the
    /// pending items open at writing.
    Written,
    /// One piece of equipment checked ✓ or × with a note.
    Equipment,
    /// The incoming person refused to take over, with a reason.
    Refused,
    /// The incoming person took over (answering the refusals it saw).
    Accepted,
    /// A signature (outgoing or incoming).
    Signed,
    /// A note by anyone (an answer, a remark, the leader's comment).
    Note,
}

crate::string_enum::string_enum!(EventKind, "a hand-over event kind", {
    Written => "written",
    Equipment => "equipment",
    Refused => "refused",
    Accepted => "accepted",
    Signed => "signed",
    Note => "note",
});

/// In which capacity someone signs a hand-over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Capacity {
    /// The outgoing shift hands over (交班).
    Outgoing,
    /// The incoming shift takes over (接班).
    Incoming,
}

impl Capacity {
    /// The signature meaning of this capacity.
    pub fn meaning(self) -> Meaning {
        match self {
            Self::Outgoing => Meaning::HandoverOutgoing,
            Self::Incoming => Meaning::HandoverIncoming,
        }
    }

    /// The capacity of a signature meaning, if it is a hand-over one.
    pub fn of(meaning: Meaning) -> Option<Self> {
        match meaning {
            Meaning::HandoverOutgoing => Some(Self::Outgoing),
            Meaning::HandoverIncoming => Some(Self::Incoming),
            Meaning::DailyReview | Meaning::MonthlyReview => None,
        }
    }
}

/// A piece of equipment to check, as the caller's list (a template) names
/// it.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate)]
pub struct EquipmentItem {
    /// Stable id ([`crate::ids::is_key`]).
    pub id: String,
    /// What it is (对讲机 radio, 监控 CCTV…).
    pub label: Bilingual,
}

/// One equipment check as stored in an `equipment` event.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate)]
pub struct EquipmentCheck {
    /// The equipment's id.
    pub item: String,
    /// Its label when checked.
    pub label: Bilingual,
    /// ✓ or ×.
    pub status: Status,
    /// What is wrong (required on ×), or a remark.
    pub note: String,
}

/// One event of a hand-over, as stored in the day's `events`.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate)]
pub struct HandoverEvent {
    /// The hand-over id.
    pub handover: String,
    /// What the event says.
    pub kind: EventKind,
    /// Who wrote it and when.
    pub by: Who,
    /// The summary (`written`), the reason (`refused`), the remark
    /// (`accepted`, may be empty), the note (`note`); empty otherwise.
    pub text: String,
    /// The post handing over: set on `written`.
    pub from_post: Option<String>,
    /// The post taking over: set on `written`.
    pub to_post: Option<String>,
    /// The shift's label (早班 08:00–18:00…): set on `written`.
    pub shift: Option<String>,
    /// The pending items open at writing: `written` only.
    pub pending: Vec<PendingRef>,
    /// The check: set on `equipment`.
    pub equipment: Option<EquipmentCheck>,
    /// The refusals this acceptance answers (their authors and times):
    /// every refusal the accepting replica held. `accepted` only.
    pub answers: Vec<Who>,
    /// The signature: set on `signed`.
    pub signature: Option<Signature>,
}

impl HandoverEvent {
    fn new(handover: &str, kind: EventKind, by: &Attribution, text: String) -> Self {
        Self {
            handover: handover.to_owned(),
            kind,
            by: Who::from(by),
            text,
            from_post: None,
            to_post: None,
            shift: None,
            pending: Vec::new(),
            equipment: None,
            answers: Vec::new(),
            signature: None,
        }
    }
}

// ──────────────────────────── the document ────────────────────────────

/// The purpose that derives a book day's id: `handover/<book>/<date>`.
/// Changing what genesis writes means a new schema tag and a new purpose.
pub fn purpose(book: &str, date: &str) -> String {
    format!("handover/{book}/{date}")
}

/// The id of `book`'s day `date` at the site of `site_key`.
pub fn document_id(
    site_key: &impl crate::ids::Derive,
    book: &str,
    date: &str,
) -> crate::DocumentId {
    site_key.derive(&purpose(book, date))
}

/// Build the book day's first change, identical on every device: the
/// identity and the empty `events` and `signatures`.
pub fn genesis(site: &str, book: &str, date: &str) -> Result<Automerge, ModelError> {
    crate::checklist::validate_date(date)?;
    key("a book", book)?;
    crate::genesis::build(&Root {
        schema: SCHEMA,
        identity: &[("site", site), ("book", book), ("date", date)],
        containers: &[("events", Container::List), ("signatures", Container::List)],
    })
}

/// The book a day document belongs to.
pub fn book_of(doc: &Automerge) -> Result<String, ModelError> {
    event_board::field(doc, SCHEMA, "book")
}

/// The service day of a day document, `YYYY-MM-DD`.
pub fn date_of(doc: &Automerge) -> Result<String, ModelError> {
    event_board::field(doc, SCHEMA, "date")
}

/// Every event of the day, in list order (the same on every replica).
pub fn events(doc: &Automerge) -> Result<Vec<HandoverEvent>, ModelError> {
    event_board::events(doc, SCHEMA)
}

// ──────────────────────────────── views ────────────────────────────────

/// Where a hand-over stands after every event a replica holds (see the
/// module rules for how it is decided).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HandoverState {
    /// Written, not yet taken over nor refused.
    Written,
    /// At least one refusal no acceptance answers.
    Refused,
    /// Taken over; not yet signed in both capacities.
    Accepted,
    /// Taken over and signed by the outgoing and the incoming side.
    Signed,
}

/// One piece of equipment's checks in a hand-over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EquipmentResult {
    /// The equipment's id.
    pub item: String,
    /// Its label (from the first check).
    pub label: Bilingual,
    /// The result: the last check in list order.
    pub status: Status,
    /// The last check's note.
    pub note: String,
    /// Every check of this item, in list order (with who and when).
    pub checks: Vec<HandoverEvent>,
}

/// One hand-over as a day document shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handover {
    /// The hand-over id.
    pub id: String,
    /// The outgoing person (the first writer in list order).
    pub outgoing: Who,
    /// The post handing over.
    pub from_post: String,
    /// The post taking over.
    pub to_post: String,
    /// The shift's label.
    pub shift: String,
    /// What the outgoing person wrote.
    pub summary: String,
    /// Every `written` event, in list order (one unless two tablets wrote
    /// one id concurrently).
    pub writings: Vec<HandoverEvent>,
    /// The pending items open at writing (every writing's, each id once,
    /// in order).
    pub pending: Vec<PendingRef>,
    /// Equipment results, in the order items were first checked.
    pub equipment: Vec<EquipmentResult>,
    /// Every refusal, in list order.
    pub refusals: Vec<HandoverEvent>,
    /// The refusals no acceptance answers (the reasons the state is
    /// [`HandoverState::Refused`]).
    pub unanswered: Vec<HandoverEvent>,
    /// Every acceptance, in list order.
    pub acceptances: Vec<HandoverEvent>,
    /// Every hand-over signature, in list order.
    pub signatures: Vec<Signature>,
    /// Every note, in list order.
    pub notes: Vec<HandoverEvent>,
    /// The state.
    pub state: HandoverState,
    /// Every event of this hand-over, in list order.
    pub history: Vec<HandoverEvent>,
}

impl Handover {
    /// When it was written (the first writing's device time).
    pub fn written_at_ms(&self) -> i64 {
        self.outgoing.at_ms
    }

    /// Whether `person_id` wrote it (is on the outgoing side).
    pub fn is_outgoing(&self, person_id: &str) -> bool {
        self.writings.iter().any(|w| w.by.person_id == person_id)
    }

    /// The signatures in `capacity`, in list order.
    pub fn signed_as(&self, capacity: Capacity) -> Vec<&Signature> {
        self.signatures
            .iter()
            .filter(|s| s.meaning == capacity.meaning())
            .collect()
    }

    /// The items of `expected` (the caller's equipment list) nobody has
    /// checked in this hand-over.
    pub fn unchecked(&self, expected: &[EquipmentItem]) -> Vec<EquipmentItem> {
        expected
            .iter()
            .filter(|e| !self.equipment.iter().any(|r| r.item == e.id))
            .cloned()
            .collect()
    }
}

/// Build the view of one hand-over from its events in list order; `None`
/// when it has no `written` event.
fn build(id: &str, history: Vec<HandoverEvent>) -> Result<Option<Handover>, ModelError> {
    let writings: Vec<HandoverEvent> = history
        .iter()
        .filter(|e| e.kind == EventKind::Written)
        .cloned()
        .collect();
    let Some(first) = writings.first() else {
        return Ok(None);
    };
    let (Some(from_post), Some(to_post), Some(shift)) = (
        first.from_post.clone(),
        first.to_post.clone(),
        first.shift.clone(),
    ) else {
        return Err(ModelError::Corrupt(format!("posts of hand-over {id}")));
    };
    let mut pending: Vec<PendingRef> = Vec::new();
    for r in writings.iter().flat_map(|w| &w.pending) {
        if !pending.iter().any(|p| p.id == r.id) {
            pending.push(r.clone());
        }
    }
    let of = |kind: EventKind| -> Vec<HandoverEvent> {
        history.iter().filter(|e| e.kind == kind).cloned().collect()
    };
    let (refusals, acceptances, notes) = (
        of(EventKind::Refused),
        of(EventKind::Accepted),
        of(EventKind::Note),
    );
    let mut equipment: Vec<EquipmentResult> = Vec::new();
    for event in history.iter().filter(|e| e.kind == EventKind::Equipment) {
        let Some(check) = &event.equipment else {
            return Err(ModelError::Corrupt(format!("equipment of hand-over {id}")));
        };
        match equipment.iter_mut().find(|r| r.item == check.item) {
            Some(r) => {
                r.status = check.status;
                r.note.clone_from(&check.note);
                r.checks.push(event.clone());
            }
            None => equipment.push(EquipmentResult {
                item: check.item.clone(),
                label: check.label.clone(),
                status: check.status,
                note: check.note.clone(),
                checks: vec![event.clone()],
            }),
        }
    }
    let signatures: Vec<Signature> = history
        .iter()
        .filter(|e| e.kind == EventKind::Signed)
        .filter_map(|e| e.signature.clone())
        .collect();
    let answered: Vec<&Who> = acceptances.iter().flat_map(|a| &a.answers).collect();
    let unanswered: Vec<HandoverEvent> = refusals
        .iter()
        .filter(|r| !answered.contains(&&r.by))
        .cloned()
        .collect();
    let signed = |c: Capacity| signatures.iter().any(|s| s.meaning == c.meaning());
    let state = if !unanswered.is_empty() {
        HandoverState::Refused
    } else if acceptances.is_empty() {
        HandoverState::Written
    } else if signed(Capacity::Outgoing) && signed(Capacity::Incoming) {
        HandoverState::Signed
    } else {
        HandoverState::Accepted
    };
    Ok(Some(Handover {
        id: id.to_owned(),
        outgoing: first.by.clone(),
        from_post,
        to_post,
        shift,
        summary: first.text.clone(),
        pending,
        equipment,
        writings,
        refusals,
        unanswered,
        acceptances,
        signatures,
        notes,
        state,
        history,
    }))
}

/// Every hand-over written in the day, oldest first (by written time,
/// then id). Events of an id never written here are kept in [`events`].
pub fn handovers(doc: &Automerge) -> Result<Vec<Handover>, ModelError> {
    let mut out = Vec::new();
    for (id, history) in event_board::by_record(events(doc)?, |e| &e.handover) {
        out.extend(build(&id, history)?);
    }
    crate::sort_once::sort_by(&mut out, |a, b| {
        (a.written_at_ms(), &a.id).cmp(&(b.written_at_ms(), &b.id))
    });
    Ok(out)
}

/// The hand-over `id` as the day shows it; `None` when it was not written
/// in this document.
pub fn handover(doc: &Automerge, id: &str) -> Result<Option<Handover>, ModelError> {
    let history = events(doc)?
        .into_iter()
        .filter(|e| e.handover == id)
        .collect();
    build(id, history)
}

/// The hand-over `id`, which must be written in this document.
fn existing(doc: &Automerge, id: &str) -> Result<Handover, ModelError> {
    key("a hand-over id", id)?;
    handover(doc, id)?.ok_or_else(|| Refusal::NotWritten(id.to_owned()).into())
}

/// The events of hand-over `id` that `signature` does not cover (made
/// after signing, or concurrently without the signer seeing them), in
/// list order; other signatures are left out. For the whole document's
/// changes with their attribution, see [`crate::signature::changes_after`].
pub fn added_after_signing(
    doc: &Automerge,
    id: &str,
    signature: &Signature,
) -> Result<Vec<HandoverEvent>, ModelError> {
    let signed = crate::signature::as_signed(doc, signature)?;
    let mut covered: Vec<HandoverEvent> = events(&signed)?
        .into_iter()
        .filter(|e| e.handover == id)
        .collect();
    let mut out = Vec::new();
    for event in events(doc)?.into_iter().filter(|e| e.handover == id) {
        // Events are only ever appended, so the signed document's events
        // are a sub-multiset of today's: remove each once.
        match covered.iter().position(|c| *c == event) {
            Some(i) => {
                covered.swap_remove(i);
            }
            None if event.kind != EventKind::Signed => out.push(event),
            None => {}
        }
    }
    Ok(out)
}

/// What an alert is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AlertKind {
    /// The incoming side refused to take over; the refusals no acceptance
    /// answers, with their reasons.
    Refused(Vec<HandoverEvent>),
    /// Written and not taken over for this many whole minutes.
    NotTakenOver {
        /// Minutes since writing, at the caller's `now_ms`.
        minutes: i64,
    },
}

/// A hand-over the team leader must look at (报上级领导处理).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alert {
    /// The book.
    pub book: String,
    /// The service day.
    pub date: String,
    /// The hand-over.
    pub handover: String,
    /// From which post to which.
    pub from_post: String,
    /// The post taking over.
    pub to_post: String,
    /// The outgoing person.
    pub outgoing: Who,
    /// Why.
    pub kind: AlertKind,
}

/// The alerts of the given book days at `now_ms` (the caller's clock):
/// every hand-over in [`HandoverState::Refused`], and every one still
/// [`HandoverState::Written`] at least `wait_minutes` (1 to
/// [`MAX_WAIT_MINUTES`]) after it was written. In day order as given,
/// then by written time.
pub fn alerts(
    days: &[&Automerge],
    now_ms: i64,
    wait_minutes: i64,
) -> Result<Vec<Alert>, ModelError> {
    if !(1..=MAX_WAIT_MINUTES).contains(&wait_minutes) {
        return Err(ModelError::OutOfRange {
            setting: WAIT_SETTING,
            low: 1,
            high: MAX_WAIT_MINUTES,
        });
    }
    let mut out = Vec::new();
    for doc in days {
        let (book, date) = (book_of(doc)?, date_of(doc)?);
        for h in handovers(doc)? {
            let waited = now_ms.saturating_sub(h.written_at_ms()) / 60_000;
            let kind = match h.state {
                HandoverState::Refused => AlertKind::Refused(h.unanswered.clone()),
                HandoverState::Written if waited >= wait_minutes => {
                    AlertKind::NotTakenOver { minutes: waited }
                }
                _ => continue,
            };
            out.push(Alert {
                book: book.clone(),
                date: date.clone(),
                handover: h.id,
                from_post: h.from_post,
                to_post: h.to_post,
                outgoing: h.outgoing,
                kind,
            });
        }
    }
    Ok(out)
}

// ──────────────────────────────── writes ────────────────────────────────

/// Append `events` to the day as one change by `by`, summarised
/// `summary`.
fn append(
    doc: &mut Automerge,
    events: &[HandoverEvent],
    summary: &str,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    event_board::append(doc, SCHEMA, events, by.commit_options(summary))
}

/// Append one event with the summary `handover <kind> <id>`.
fn append_one(
    doc: &mut Automerge,
    event: HandoverEvent,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    let summary = format!("handover {} {}", event.kind.as_str(), event.handover);
    append(doc, &[event], &summary, by)
}

/// What the outgoing person writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    /// The hand-over id, drawn by the caller ([`crate::ids::is_key`]).
    pub id: String,
    /// The post handing over ([`crate::ids::is_key`]).
    pub from_post: String,
    /// The post taking over ([`crate::ids::is_key`]; may equal
    /// `from_post`, a post handing over to its next shift).
    pub to_post: String,
    /// The shift's label (required, at most [`MAX_LABEL`] characters).
    pub shift: String,
    /// What happened (required, at most [`MAX_TEXT`] characters).
    pub summary: String,
    /// The pending items open now, e.g. [`pending::carry`] of the post's
    /// open items (at most [`MAX_ITEMS`]).
    pub pending: Vec<PendingRef>,
}

/// Write a hand-over as the outgoing person `by`: one `written` event.
/// Refused when this replica already holds the id.
pub fn write(
    doc: &mut Automerge,
    draft: &Draft,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    event_board::list(doc, SCHEMA)?;
    key("a hand-over id", &draft.id)?;
    key("the from-post", &draft.from_post)?;
    key("the to-post", &draft.to_post)?;
    let shift = text("a shift label", &draft.shift, true, MAX_LABEL)?;
    let summary = text("a summary", &draft.summary, true, MAX_TEXT)?;
    if draft.pending.len() > MAX_ITEMS {
        return Err(Refusal::TooMany {
            what: "pending items",
            max: MAX_ITEMS,
        }
        .into());
    }
    let pending = draft
        .pending
        .iter()
        .map(PendingRef::validated)
        .collect::<Result<Vec<_>, _>>()?;
    if handover(doc, &draft.id)?.is_some() {
        return Err(Refusal::AlreadyWritten(draft.id.clone()).into());
    }
    let mut event = HandoverEvent::new(&draft.id, EventKind::Written, by, summary);
    event.from_post = Some(draft.from_post.clone());
    event.to_post = Some(draft.to_post.clone());
    event.shift = Some(shift);
    event.pending = pending;
    append_one(doc, event, by)
}

/// Record equipment checks of hand-over `id` (the caller's list, ✓ or ×
/// with a note; an × needs one) as one change, one `equipment` event per
/// item. Either side may record them (they check together, 1.5).
pub fn check_equipment(
    doc: &mut Automerge,
    id: &str,
    checks: &[EquipmentCheck],
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    if checks.is_empty() {
        return Err(Refusal::Empty("an equipment check").into());
    }
    if checks.len() > MAX_ITEMS {
        return Err(Refusal::TooMany {
            what: "equipment checks",
            max: MAX_ITEMS,
        }
        .into());
    }
    let mut seen = BTreeSet::new();
    let mut new = Vec::new();
    for check in checks {
        key("an equipment id", &check.item)?;
        if !seen.insert(check.item.as_str()) {
            return Err(Refusal::DuplicateEquipment(check.item.clone()).into());
        }
        let zh = text("an equipment label", &check.label.zh, false, MAX_LABEL)?;
        let en = text("an equipment label", &check.label.en, false, MAX_LABEL)?;
        if zh.is_empty() && en.is_empty() {
            return Err(Refusal::Empty("an equipment label").into());
        }
        let note = text("an equipment note", &check.note, false, MAX_TEXT)?;
        if check.status == Status::Abnormal && note.is_empty() {
            return Err(Refusal::AbnormalNeedsNote(check.item.clone()).into());
        }
        let mut event = HandoverEvent::new(id, EventKind::Equipment, by, String::new());
        event.equipment = Some(EquipmentCheck {
            item: check.item.clone(),
            label: Bilingual { zh, en },
            status: check.status,
            note,
        });
        new.push(event);
    }
    existing(doc, id)?;
    append(doc, &new, &format!("handover equipment {id}"), by)
}

/// The hand-over `id` for the incoming side `by`: written here, `by` not
/// an outgoing writer, not already accepted on this replica.
fn incoming(doc: &Automerge, id: &str, by: &Attribution) -> Result<Handover, ModelError> {
    let h = existing(doc, id)?;
    if h.is_outgoing(&by.person_id) {
        return Err(Refusal::SamePerson.into());
    }
    if matches!(h.state, HandoverState::Accepted | HandoverState::Signed) {
        return Err(Refusal::AlreadyAccepted(id.to_owned()).into());
    }
    Ok(h)
}

/// Refuse to take over hand-over `id`, with a reason (required): the
/// hand-over shows [`HandoverState::Refused`] and raises an alert until an
/// acceptance answers it.
pub fn refuse(
    doc: &mut Automerge,
    id: &str,
    reason: &str,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    let reason = text("a reason", reason, true, MAX_TEXT)?;
    incoming(doc, id, by)?;
    append_one(
        doc,
        HandoverEvent::new(id, EventKind::Refused, by, reason),
        by,
    )
}

/// Take over hand-over `id` (the remark may be empty), answering every
/// refusal this replica holds.
pub fn accept(
    doc: &mut Automerge,
    id: &str,
    remark: &str,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    let remark = text("a remark", remark, false, MAX_TEXT)?;
    let h = incoming(doc, id, by)?;
    let mut event = HandoverEvent::new(id, EventKind::Accepted, by, remark);
    event.answers = h.refusals.into_iter().map(|r| r.by).collect();
    append_one(doc, event, by)
}

/// Sign hand-over `id` in `capacity`: a `signed` event holding a
/// [`Signature`] of the day document's heads just before signing, with
/// summary `signature handover-<capacity> <id>`. Needs the hand-over
/// accepted on this replica; outgoing is for a writer, incoming for anyone
/// else; one signature per capacity.
pub fn sign(
    doc: &mut Automerge,
    id: &str,
    capacity: Capacity,
    by: &Attribution,
) -> Result<Signature, ModelError> {
    let h = existing(doc, id)?;
    let meaning = capacity.meaning();
    if !meaning.allows(by.role) {
        return Err(ModelError::NotAllowed {
            role: by.role.as_str(),
            meaning: meaning.as_str(),
        });
    }
    match capacity {
        Capacity::Outgoing if !h.is_outgoing(&by.person_id) => {
            return Err(Refusal::NotOutgoing(id.to_owned()).into());
        }
        Capacity::Incoming if h.is_outgoing(&by.person_id) => {
            return Err(Refusal::SamePerson.into());
        }
        _ => {}
    }
    if !matches!(h.state, HandoverState::Accepted | HandoverState::Signed) {
        return Err(Refusal::NotAccepted(id.to_owned()).into());
    }
    if !h.signed_as(capacity).is_empty() {
        return Err(Refusal::AlreadySigned {
            id: id.to_owned(),
            capacity: meaning.as_str(),
        }
        .into());
    }
    let signature = Signature::covering(doc, meaning, by);
    let mut event = HandoverEvent::new(id, EventKind::Signed, by, String::new());
    event.signature = Some(signature.clone());
    let summary = format!(
        "{}{} {id}",
        crate::signature::SUMMARY_PREFIX,
        meaning.as_str()
    );
    append(doc, &[event], &summary, by)?;
    Ok(signature)
}

/// Add a note (required text) to hand-over `id`, whatever its state: a
/// note never changes the state.
pub fn note(
    doc: &mut Automerge,
    id: &str,
    note: &str,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    let note = text("a note", note, true, MAX_TEXT)?;
    existing(doc, id)?;
    append_one(doc, HandoverEvent::new(id, EventKind::Note, by, note), by)
}
