//! The duty log (《值班记录表》, seed 000 内容 §12–13, 004 §2K 做好值班记录):
//! quick entries of what happened at a post — when, where, what, the action
//! taken and the result — made on the lobby and front-desk tablets and the
//! supervisors' desktops, offline first, reviewed and signed each day by
//! the team leader.
//!
//! ```text
//! duty log day: one per site and service day, purpose `duty-log/<YYYY-MM-DD>`
//! ROOT
//! ├── schema      "shiftbook/duty-log/1"
//! ├── site, date                           ← identity, written by genesis
//! ├── entries     [ Record, … ]            append-only, one fresh map each
//! │                 {id, occurred, post, kind, event, action, result,
//! │                  by {person_id, person, role, device, at_ms}}
//! ├── amendments  [ Amendment, … ]         append-only, one fresh map each
//! │                 {entry, correction {occurred?, post?, kind?, event?,
//! │                  action?, result?}, reason, after [amendment id, …], by {…}}
//! └── signatures  [ Signature, … ]         the team leader's daily review
//!                                          (see [`crate::signature`])
//! ```
//!
//! # Rules
//!
//! * **A document per site and service day.** Its genesis is the identity
//!   and the empty containers, deterministic ([`crate::genesis::build`]),
//!   so every tablet that opens the day offline holds one document. The
//!   service day is the caller's (the day the shift belongs to); an
//!   entry's time may be on that day or on the night after it
//!   ([`crate::service_day`]): a night shift's events past midnight stay in
//!   the day the leader signs. A day is small (tens of entries) and is
//!   what the leader reviews.
//! * **Entries are appended, never edited.** [`record`] appends a fresh
//!   map ([`Record`]) with an id the caller draws ([`crate::ids::is_key`],
//!   random), the local time it happened (`YYYY-MM-DD HH:MM`), the post,
//!   one of the common [`EventType`]s, what happened, the action taken and
//!   the result, and who recorded it with the device time of recording —
//!   one attributed change (summary `duty-log entry <id>`). Recording an id
//!   this replica holds is refused; if two tablets ever recorded one id
//!   concurrently (ids that are not random), the first in list order is
//!   the entry and the other is kept in [`DutyEntry::duplicates`].
//! * **Corrections are amendments** ([`amend`]): a fresh map appended to
//!   `amendments` naming the entry, the corrected fields only
//!   ([`Correction`]) and a required reason (summary `duty-log amend
//!   <id>`). The original stays as it was written ([`DutyEntry::original`])
//!   and every amendment is listed with who and when
//!   ([`DutyEntry::amendments`]). A result known later (a repair done) is
//!   an amendment of the result, with its reason.
//! * **Concurrent amendments conflict visibly.** Each amendment stores in
//!   `after` the ids (automerge ids of their maps, the same on every
//!   replica) of the entry's latest amendments its writer held
//!   (`causal.rs`). For each field, the amendments setting it that no
//!   other amendment setting it was written after seeing are its
//!   candidates: none → the original value; one, or several that agree →
//!   [`FieldState::Settled`]; several that disagree →
//!   [`FieldState::Conflict`] listing each value with its amendment, until
//!   someone amends that field having seen them. Fields the amendments do
//!   not disagree on are not in conflict. Nothing is picked silently, and
//!   the result does not depend on list order, so every replica shows the
//!   same.
//! * **Entries interleave by time.** [`DutyLog::entries`] sorts by when it
//!   happened (the current time; the earliest of conflicting times), then
//!   the device time of recording, then the entry id — a total order
//!   computed from the document alone, so two tablets' entries made
//!   offline interleave identically on every replica after a merge, each
//!   once.
//! * **The team leader signs the day** ([`sign_day`], meaning
//!   [`Meaning::DailyReview`], a leader or a supervisor). Signing locks
//!   nothing (tablets are offline); [`DutyLog::after_signing`] says which
//!   entries were recorded and which were amended after (or concurrently
//!   with) a signature, with [`crate::signature::changes_after`]'s
//!   attributed changes.
//! * **Search** ([`EntryFilter`]): post, person (who recorded or amended),
//!   event type, text (anywhere in the entry's history, originals
//!   included), and state (as written, amended, in conflict); across days
//!   with [`search`]; a day's entries by post with [`DutyLog::by_post`].
//! * Every refusal ([`Refusal`], [`ModelError::BadText`],
//!   [`ModelError::BadDateTime`], [`ModelError::OutsideServiceDay`]) leaves
//!   the document unchanged. Texts are trimmed, at most [`MAX_TEXT`]
//!   characters, and never hold a full ID number ([`crate::free_text`]).

use crate::ModelError;
use crate::attribution::{Attribution, ChangeInfo, Who};
use crate::causal::Seen;
use crate::free_text;
use crate::genesis::{Container, Root};
use crate::signature::{Meaning, Signature};
use automerge::{Automerge, ChangeHash, ObjType, ROOT};
use autosurgeon::{Hydrate, Reconcile, hydrate_prop};
use std::collections::{BTreeMap, BTreeSet};

#[cfg(test)]
mod tests;

/// The schema tag of duty log days.
pub const SCHEMA: &str = "shiftbook/duty-log/1";

/// The most characters of what happened, the action, the result or a
/// reason.
pub const MAX_TEXT: usize = 2_000;

/// The common kinds of duty-log event, one tap away on the tablet (seed
/// 000 §1–16 and 004 §2: access control, parcels, repairs, residents'
/// opinions and complaints, alarms, suspicious people, damage to the
/// environment and facilities, hand-overs). The app gives them labels in
/// both languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EventType {
    /// A patrol or inspection (巡查).
    Patrol,
    /// A visitor matter (来访).
    Visitor,
    /// A delivery or parcel (快递/送货).
    Delivery,
    /// A repair report (报修).
    Repair,
    /// A complaint, opinion or request from a resident (投诉/意见/求助).
    Complaint,
    /// A fire or other alarm (火警/报警).
    Alarm,
    /// A security incident: suspicious person, theft, disorder (治安).
    Security,
    /// Environment and public facilities: damage, cleanliness (环境/设施).
    Facilities,
    /// A shift hand-over matter (交接班).
    Handover,
    /// Anything else (其他).
    Other,
}

impl EventType {
    /// Every type, in the order the tablet offers them.
    pub const ALL: [EventType; 10] = [
        EventType::Patrol,
        EventType::Visitor,
        EventType::Delivery,
        EventType::Repair,
        EventType::Complaint,
        EventType::Alarm,
        EventType::Security,
        EventType::Facilities,
        EventType::Handover,
        EventType::Other,
    ];
}

crate::string_enum::string_enum!(EventType, "a duty-log event type", {
    Patrol => "patrol",
    Visitor => "visitor",
    Delivery => "delivery",
    Repair => "repair",
    Complaint => "complaint",
    Alarm => "alarm",
    Security => "security",
    Facilities => "facilities",
    Handover => "handover",
    Other => "other",
});

/// Why a duty log change was refused (inside [`ModelError::DutyLog`]).
/// Nothing is written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// An entry id or post that is not 1–64 letters, digits, `-` or `_`.
    #[error("{what} {id:?} is not 1–64 letters, digits, - or _")]
    BadId {
        /// What the id names.
        what: &'static str,
        /// The id given (at most 32 characters of it).
        id: String,
    },
    /// Recording an entry id this replica already holds.
    #[error("entry `{0}` is already in the log")]
    AlreadyRecorded(String),
    /// Amending an entry this replica does not hold.
    #[error("no entry `{0}` in this day's log")]
    UnknownEntry(String),
    /// An amendment whose fields all equal the entry's current values.
    #[error("the amendment of entry `{0}` corrects nothing")]
    NothingCorrected(String),
}

/// One entry as stored in `entries`: as it was written, forever.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate)]
pub struct Record {
    /// The entry id, drawn by the caller.
    pub id: String,
    /// When it happened, local `YYYY-MM-DD HH:MM`.
    pub occurred: String,
    /// The post (岗位) it happened at.
    pub post: String,
    /// The kind of event.
    pub kind: EventType,
    /// What happened (事件).
    pub event: String,
    /// The action taken (处理措施); may be empty.
    pub action: String,
    /// The result (结果); may be empty.
    pub result: String,
    /// Who recorded it, on which device, and the device time of recording.
    pub by: Who,
}

/// What a person records: an entry before it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    /// The entry id, drawn by the caller ([`crate::ids::is_key`]).
    pub id: String,
    /// When it happened, local `YYYY-MM-DD HH:MM`: on the service day or
    /// the night after.
    pub occurred: String,
    /// The post ([`crate::ids::is_key`]).
    pub post: String,
    /// The kind of event.
    pub kind: EventType,
    /// What happened (required).
    pub event: String,
    /// The action taken (may be empty).
    pub action: String,
    /// The result (may be empty).
    pub result: String,
}

/// The corrected fields of an amendment; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Reconcile, Hydrate)]
pub struct Correction {
    /// When it happened, local `YYYY-MM-DD HH:MM`.
    pub occurred: Option<String>,
    /// The post.
    pub post: Option<String>,
    /// The kind of event.
    pub kind: Option<EventType>,
    /// What happened (not blank).
    pub event: Option<String>,
    /// The action taken (may be blank: "no action").
    pub action: Option<String>,
    /// The result (may be blank).
    pub result: Option<String>,
}

impl Correction {
    /// Whether no field is corrected.
    pub fn is_empty(&self) -> bool {
        *self == Correction::default()
    }

    /// The fields this correction sets.
    pub fn fields(&self) -> Vec<Field> {
        let set = [
            (Field::Occurred, self.occurred.is_some()),
            (Field::Post, self.post.is_some()),
            (Field::Kind, self.kind.is_some()),
            (Field::Event, self.event.is_some()),
            (Field::Action, self.action.is_some()),
            (Field::Result, self.result.is_some()),
        ];
        set.into_iter()
            .filter(|(_, s)| *s)
            .map(|(f, _)| f)
            .collect()
    }

    /// The correction as stored: every given field checked and in
    /// canonical form, for an entry of the service day `date`.
    fn checked(&self, date: &str) -> Result<Correction, ModelError> {
        let opt_text = |what, v: &Option<String>, required| -> Result<Option<String>, ModelError> {
            v.as_deref()
                .map(|t| free_text::check(what, t, required, MAX_TEXT))
                .transpose()
                .map_err(Into::into)
        };
        Ok(Correction {
            occurred: self
                .occurred
                .as_deref()
                .map(|t| crate::service_day::check(date, t))
                .transpose()?,
            post: self
                .post
                .as_deref()
                .map(|p| bad_id("a post", p).map(|()| p.to_owned()))
                .transpose()?,
            kind: self.kind,
            event: opt_text("what happened", &self.event, true)?,
            action: opt_text("the action taken", &self.action, false)?,
            result: opt_text("the result", &self.result, false)?,
        })
    }
}

/// One field of an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    /// When it happened.
    Occurred,
    /// The post.
    Post,
    /// The kind of event.
    Kind,
    /// What happened.
    Event,
    /// The action taken.
    Action,
    /// The result.
    Result,
}

impl Field {
    /// Every field, in form order.
    pub const ALL: [Field; 6] = [
        Field::Occurred,
        Field::Post,
        Field::Kind,
        Field::Event,
        Field::Action,
        Field::Result,
    ];

    /// The field's name as stored (`occurred`, `post`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Occurred => "occurred",
            Field::Post => "post",
            Field::Kind => "kind",
            Field::Event => "event",
            Field::Action => "action",
            Field::Result => "result",
        }
    }
}

/// One amendment as stored in `amendments`.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate)]
pub struct Amendment {
    /// The entry amended.
    pub entry: String,
    /// The corrected fields.
    pub correction: Correction,
    /// Why (required).
    pub reason: String,
    /// Ids of the entry's latest amendments the writer held.
    pub after: Vec<String>,
    /// Who amended it, on which device, when.
    pub by: Who,
}

/// An amendment with its id (the automerge id of its map, the same on
/// every replica).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmendmentEntry {
    /// The amendment's id.
    pub id: String,
    /// The amendment.
    pub amendment: Amendment,
}

/// One value a field may have: the original (`from: None`) or an
/// amendment's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate<T> {
    /// The value.
    pub value: T,
    /// The amendment that set it; `None` for the value as first written.
    pub from: Option<Box<AmendmentEntry>>,
}

/// A field's current value, or the values concurrent amendments disagree
/// on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldState<T> {
    /// One value: the original, or the latest amendment's (the first in
    /// list order when several concurrent ones agree).
    Settled(Candidate<T>),
    /// Concurrent amendments set different values; each is listed, in
    /// list order, until an amendment made after seeing them settles it.
    Conflict(Vec<Candidate<T>>),
}

impl<T> FieldState<T> {
    /// The value when settled; `None` in conflict.
    pub fn value(&self) -> Option<&T> {
        match self {
            FieldState::Settled(c) => Some(&c.value),
            FieldState::Conflict(_) => None,
        }
    }

    /// Whether concurrent amendments disagree on this field.
    pub fn is_conflict(&self) -> bool {
        matches!(self, FieldState::Conflict(_))
    }

    /// Every candidate: the one settled, or each conflicting one.
    pub fn candidates(&self) -> &[Candidate<T>] {
        match self {
            FieldState::Settled(c) => std::slice::from_ref(c),
            FieldState::Conflict(cs) => cs,
        }
    }

    /// Every value the field may have (one unless in conflict).
    pub fn values(&self) -> impl Iterator<Item = &T> {
        self.candidates().iter().map(|c| &c.value)
    }
}

/// Whether an entry was amended and whether its amendments disagree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntryState {
    /// As written: no amendment.
    AsWritten,
    /// Amended; every field settled.
    Amended,
    /// Concurrent amendments disagree on at least one field.
    Conflict,
}

/// One entry as the day shows it: the original, the current values and
/// every amendment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DutyEntry {
    /// The entry id.
    pub id: String,
    /// The entry as first written (the first in list order).
    pub original: Record,
    /// When it happened, now.
    pub occurred: FieldState<String>,
    /// The post, now.
    pub post: FieldState<String>,
    /// The kind of event, now.
    pub kind: FieldState<EventType>,
    /// What happened, now.
    pub event: FieldState<String>,
    /// The action taken, now.
    pub action: FieldState<String>,
    /// The result, now.
    pub result: FieldState<String>,
    /// Every amendment, in list order, with who and when.
    pub amendments: Vec<AmendmentEntry>,
    /// Other entries recorded concurrently under the same id (only ids that
    /// are not random can collide), in list order; shown, never dropped.
    pub duplicates: Vec<Record>,
}

impl DutyEntry {
    /// Who recorded it.
    pub fn recorded_by(&self) -> &Who {
        &self.original.by
    }

    /// The device time of recording.
    pub fn recorded_at_ms(&self) -> i64 {
        self.original.by.at_ms
    }

    /// The time it is sorted by: the current time, or the earliest of the
    /// conflicting ones.
    pub fn sort_time(&self) -> &str {
        self.occurred
            .values()
            .min()
            .map_or(self.original.occurred.as_str(), String::as_str)
    }

    /// The fields concurrent amendments disagree on, in form order.
    pub fn conflicts(&self) -> Vec<Field> {
        Field::ALL
            .into_iter()
            .filter(|f| match f {
                Field::Occurred => self.occurred.is_conflict(),
                Field::Post => self.post.is_conflict(),
                Field::Kind => self.kind.is_conflict(),
                Field::Event => self.event.is_conflict(),
                Field::Action => self.action.is_conflict(),
                Field::Result => self.result.is_conflict(),
            })
            .collect()
    }

    /// As written, amended, or in conflict.
    pub fn state(&self) -> EntryState {
        if !self.conflicts().is_empty() {
            EntryState::Conflict
        } else if self.amendments.is_empty() {
            EntryState::AsWritten
        } else {
            EntryState::Amended
        }
    }

    /// The ids of the entry's latest amendments (none seen by another):
    /// what a new amendment is written after.
    pub fn latest_amendments(&self) -> Vec<&str> {
        let ids: Vec<&str> = self.amendments.iter().map(|a| a.id.as_str()).collect();
        seen_of(&self.amendments).latest(&ids)
    }

    /// Whether `person_id` recorded or amended it.
    pub fn involves(&self, person_id: &str) -> bool {
        self.original.by.person_id == person_id
            || self.duplicates.iter().any(|d| d.by.person_id == person_id)
            || self
                .amendments
                .iter()
                .any(|a| a.amendment.by.person_id == person_id)
    }

    /// Whether `needle` (case-insensitive) appears anywhere in the entry's
    /// history: the original's texts and post, every amendment's texts,
    /// post and reason, and the duplicates'.
    pub fn mentions(&self, needle: &str) -> bool {
        let needle = needle.trim().to_lowercase();
        if needle.is_empty() {
            return true;
        }
        let hit = |s: &str| s.to_lowercase().contains(&needle);
        let record = |r: &Record| hit(&r.post) || hit(&r.event) || hit(&r.action) || hit(&r.result);
        record(&self.original)
            || self.duplicates.iter().any(record)
            || self.amendments.iter().any(|a| {
                let c = &a.amendment.correction;
                hit(&a.amendment.reason)
                    || [&c.post, &c.event, &c.action, &c.result]
                        .into_iter()
                        .flatten()
                        .any(|s| hit(s))
            })
    }

    /// The sort key: time, device time of recording, id.
    fn key(&self) -> (&str, i64, &str) {
        (self.sort_time(), self.recorded_at_ms(), &self.id)
    }
}

/// The links between amendments.
fn seen_of(amendments: &[AmendmentEntry]) -> Seen {
    Seen::new(
        amendments
            .iter()
            .map(|a| (a.id.as_str(), a.amendment.after.as_slice())),
    )
}

/// The state of one field from the original and the entry's amendments.
fn resolve<T: Clone + PartialEq>(
    original: &T,
    amendments: &[AmendmentEntry],
    seen: &Seen,
    get: impl Fn(&Correction) -> Option<&T>,
) -> FieldState<T> {
    let setters: Vec<&AmendmentEntry> = amendments
        .iter()
        .filter(|a| get(&a.amendment.correction).is_some())
        .collect();
    let ids: Vec<&str> = setters.iter().map(|a| a.id.as_str()).collect();
    let latest = seen.latest(&ids);
    let candidates: Vec<Candidate<T>> = setters
        .iter()
        .filter(|a| latest.contains(&a.id.as_str()))
        .filter_map(|a| {
            get(&a.amendment.correction).map(|v| Candidate {
                value: v.clone(),
                from: Some(Box::new((*a).clone())),
            })
        })
        .collect();
    match candidates.first() {
        None => FieldState::Settled(Candidate {
            value: original.clone(),
            from: None,
        }),
        Some(first) if candidates.iter().all(|c| c.value == first.value) => {
            FieldState::Settled(first.clone())
        }
        Some(_) => FieldState::Conflict(candidates),
    }
}

/// Build the view of entry `id` from its records and amendments (list
/// order); `None` when no record has the id.
fn build(id: &str, mut records: Vec<Record>, amendments: Vec<AmendmentEntry>) -> Option<DutyEntry> {
    if records.is_empty() {
        return None;
    }
    let original = records.remove(0);
    let seen = seen_of(&amendments);
    let o = &original;
    Some(DutyEntry {
        id: id.to_owned(),
        occurred: resolve(&o.occurred, &amendments, &seen, |c| c.occurred.as_ref()),
        post: resolve(&o.post, &amendments, &seen, |c| c.post.as_ref()),
        kind: resolve(&o.kind, &amendments, &seen, |c| c.kind.as_ref()),
        event: resolve(&o.event, &amendments, &seen, |c| c.event.as_ref()),
        action: resolve(&o.action, &amendments, &seen, |c| c.action.as_ref()),
        result: resolve(&o.result, &amendments, &seen, |c| c.result.as_ref()),
        original,
        amendments,
        duplicates: records,
    })
}

/// What to show of a day's (or several days') entries. Empty fields match
/// everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntryFilter {
    /// Entries at this post (any of the values of a post in conflict).
    pub post: Option<String>,
    /// Entries this person (roster id) recorded or amended.
    pub person: Option<String>,
    /// Entries of this type (any of the values in conflict).
    pub kind: Option<EventType>,
    /// Entries mentioning this text anywhere in their history
    /// (case-insensitive).
    pub text: Option<String>,
    /// Entries in this state.
    pub state: Option<EntryState>,
}

impl EntryFilter {
    /// Whether `entry` passes the filter.
    pub fn matches(&self, entry: &DutyEntry) -> bool {
        self.post
            .as_ref()
            .is_none_or(|p| entry.post.values().any(|v| v == p))
            && self.person.as_ref().is_none_or(|p| entry.involves(p))
            && self
                .kind
                .is_none_or(|k| entry.kind.values().any(|v| *v == k))
            && self.text.as_ref().is_none_or(|t| entry.mentions(t))
            && self.state.is_none_or(|s| entry.state() == s)
    }
}

/// What a daily-review signature does not cover.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AfterSigning {
    /// The signature.
    pub signature: Signature,
    /// Entries recorded after signing (or concurrently, unseen by the
    /// signer), by id, in entry order.
    pub recorded: Vec<String>,
    /// Entries with amendments made after signing (or concurrently), by
    /// id, in entry order.
    pub amended: Vec<String>,
    /// Every change after signing with who made it
    /// ([`crate::signature::changes_after`]).
    pub changes: Vec<ChangeInfo>,
}

/// The purpose that derives a day's id: `duty-log/<YYYY-MM-DD>`. Changing
/// what genesis writes means a new schema tag and a new purpose.
pub fn purpose(date: &str) -> String {
    format!("duty-log/{date}")
}

/// The id of the duty log of service day `date` at the site of `site_key`.
pub fn document_id(site_key: &impl crate::ids::Derive, date: &str) -> crate::DocumentId {
    site_key.derive(&purpose(date))
}

/// Build the day's first change, identical on every device.
pub fn genesis(site: &str, date: &str) -> Result<Automerge, ModelError> {
    crate::checklist::validate_date(date)?;
    crate::genesis::build(&Root {
        schema: SCHEMA,
        identity: &[("site", site), ("date", date)],
        containers: &[
            ("entries", Container::List),
            ("amendments", Container::List),
            ("signatures", Container::List),
        ],
    })
}

/// The day's list `key`, after checking the schema.
fn list(doc: &Automerge, key: &str) -> Result<automerge::ObjId, ModelError> {
    crate::genesis::schema_container(doc, SCHEMA, key, ObjType::List)
}

/// `Ok` when `id` is a key, else `BadId`.
fn bad_id(what: &'static str, id: &str) -> Result<(), ModelError> {
    if crate::ids::is_key(id) {
        Ok(())
    } else {
        Err(Refusal::BadId {
            what,
            id: crate::free_text::clip(id),
        }
        .into())
    }
}

/// A read-only view of a duty log day.
#[derive(Debug, Clone, Copy)]
pub struct DutyLog<'a> {
    doc: &'a Automerge,
}

impl<'a> DutyLog<'a> {
    /// View `doc` after checking it is a duty log day.
    pub fn new(doc: &'a Automerge) -> Result<Self, ModelError> {
        list(doc, "entries")?;
        list(doc, "amendments")?;
        Ok(Self { doc })
    }

    /// The underlying document.
    pub fn doc(&self) -> &'a Automerge {
        self.doc
    }

    /// The site the day belongs to.
    pub fn site(&self) -> Result<String, ModelError> {
        Ok(hydrate_prop(self.doc, ROOT, "site")?)
    }

    /// The service day, `YYYY-MM-DD`.
    pub fn date(&self) -> Result<String, ModelError> {
        Ok(hydrate_prop(self.doc, ROOT, "date")?)
    }

    /// Every record with its id, in list order.
    pub fn records(&self) -> Result<Vec<(String, Record)>, ModelError> {
        crate::readable::maps(self.doc, &list(self.doc, "entries")?)
    }

    /// Whether a record of entry `id` is in the day (reading only the
    /// records' ids).
    pub fn has_record(&self, id: &str) -> Result<bool, ModelError> {
        let list = list(self.doc, "entries")?;
        Ok(!crate::readable::list_maps_where(self.doc, &list, "id", id)?.is_empty())
    }

    /// Every amendment with its id, in list order.
    pub fn amendments(&self) -> Result<Vec<AmendmentEntry>, ModelError> {
        Ok(
            crate::readable::maps(self.doc, &list(self.doc, "amendments")?)?
                .into_iter()
                .map(|(id, amendment)| AmendmentEntry { id, amendment })
                .collect(),
        )
    }

    /// Every entry, in time order: when it happened, then the device time
    /// of recording, then the id — the same on every replica. Amendments
    /// of an id no record has (which this module never writes) are left
    /// out here and kept in [`DutyLog::amendments`].
    pub fn entries(&self) -> Result<Vec<DutyEntry>, ModelError> {
        let mut records: BTreeMap<String, Vec<Record>> = BTreeMap::new();
        for (_, r) in self.records()? {
            records.entry(r.id.clone()).or_default().push(r);
        }
        let mut amendments: BTreeMap<String, Vec<AmendmentEntry>> = BTreeMap::new();
        for a in self.amendments()? {
            amendments
                .entry(a.amendment.entry.clone())
                .or_default()
                .push(a);
        }
        let mut out: Vec<DutyEntry> = records
            .into_iter()
            .filter_map(|(id, rs)| {
                let amended = amendments.remove(&id).unwrap_or_default();
                build(&id, rs, amended)
            })
            .collect();
        crate::sort_once::sort_by(&mut out, |a, b| a.key().cmp(&b.key()));
        Ok(out)
    }

    /// The entry `id`; `None` when this replica holds no such entry.
    pub fn entry(&self, id: &str) -> Result<Option<DutyEntry>, ModelError> {
        // Only the entry's own records and amendments are read.
        let records =
            crate::readable::maps_where::<Record>(self.doc, &list(self.doc, "entries")?, "id", id)?
                .into_iter()
                .map(|(_, r)| r)
                .collect();
        let amendments = crate::readable::maps_where::<Amendment>(
            self.doc,
            &list(self.doc, "amendments")?,
            "entry",
            id,
        )?
        .into_iter()
        .map(|(id, amendment)| AmendmentEntry { id, amendment })
        .collect();
        Ok(build(id, records, amendments))
    }

    /// The entries `filter` passes, in time order.
    pub fn filter(&self, filter: &EntryFilter) -> Result<Vec<DutyEntry>, ModelError> {
        Ok(self
            .entries()?
            .into_iter()
            .filter(|e| filter.matches(e))
            .collect())
    }

    /// The day's entries by post, posts in order, entries in time order.
    /// An entry whose post is in conflict is listed under each of its
    /// posts (shown wherever it may belong, never nowhere).
    pub fn by_post(&self) -> Result<Vec<(String, Vec<DutyEntry>)>, ModelError> {
        let mut posts: BTreeMap<String, Vec<DutyEntry>> = BTreeMap::new();
        for entry in self.entries()? {
            let of: BTreeSet<String> = entry.post.values().cloned().collect();
            for post in of {
                posts.entry(post).or_default().push(entry.clone());
            }
        }
        Ok(posts.into_iter().collect())
    }

    /// Every signature on the day, in list order.
    pub fn signatures(&self) -> Result<Vec<Signature>, ModelError> {
        crate::signature::signatures(self.doc)
    }

    /// What `signature` does not cover: entries recorded and entries
    /// amended after it (or concurrently), and every change after it.
    pub fn after_signing(&self, signature: &Signature) -> Result<AfterSigning, ModelError> {
        let new_records = crate::signature::elements_after(self.doc, signature, "entries")?;
        let new_amendments = crate::signature::elements_after(self.doc, signature, "amendments")?;
        let recorded_ids: BTreeSet<String> = self
            .records()?
            .into_iter()
            .filter(|(oid, _)| new_records.contains(oid))
            .map(|(_, r)| r.id)
            .collect();
        let amended_ids: BTreeSet<String> = self
            .amendments()?
            .into_iter()
            .filter(|a| new_amendments.contains(&a.id))
            .map(|a| a.amendment.entry)
            .collect();
        let order: Vec<String> = self.entries()?.into_iter().map(|e| e.id).collect();
        let in_order = |ids: &BTreeSet<String>| -> Vec<String> {
            order
                .iter()
                .filter(|id| ids.contains(*id))
                .cloned()
                .collect()
        };
        Ok(AfterSigning {
            signature: signature.clone(),
            recorded: in_order(&recorded_ids),
            amended: in_order(&amended_ids),
            changes: crate::signature::changes_after(self.doc, signature)?,
        })
    }

    /// What the latest signature (by device time, then list order) does
    /// not cover; `None` when the day is not signed.
    pub fn review(&self) -> Result<Option<AfterSigning>, ModelError> {
        let latest = self
            .signatures()?
            .into_iter()
            .enumerate()
            .max_by_key(|(i, s)| (s.at_ms, *i))
            .map(|(_, s)| s);
        latest.map(|s| self.after_signing(&s)).transpose()
    }
}

/// One entry of a search across days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayEntry {
    /// The service day whose log holds it.
    pub date: String,
    /// The entry.
    pub entry: DutyEntry,
}

/// The entries of the given days that `filter` passes, in time order
/// across days (then by day).
pub fn search(days: &[&Automerge], filter: &EntryFilter) -> Result<Vec<DayEntry>, ModelError> {
    let mut out = Vec::new();
    for doc in days {
        let day = DutyLog::new(doc)?;
        let date = day.date()?;
        out.extend(day.filter(filter)?.into_iter().map(|entry| DayEntry {
            date: date.clone(),
            entry,
        }));
    }
    crate::sort_once::sort_by(&mut out, |a, b| {
        (a.entry.key(), &a.date).cmp(&(b.entry.key(), &b.date))
    });
    Ok(out)
}

/// Append `value` to the day's list `key` as one change by `by`.
fn append<T: Reconcile>(
    doc: &mut Automerge,
    key: &str,
    value: &T,
    summary: &str,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    let list = list(doc, key)?;
    crate::write::append_all(
        doc,
        &list,
        std::slice::from_ref(value),
        by.commit_options(summary),
    )
}

/// Record an entry as `by` (who, device, device time of recording): one
/// change appending a [`Record`]. Refused when this replica already holds
/// the id, or when a field is unusable.
pub fn record(
    doc: &mut Automerge,
    draft: &Draft,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    let day = DutyLog::new(doc)?;
    let date = day.date()?;
    bad_id("an entry id", &draft.id)?;
    bad_id("a post", &draft.post)?;
    let record = Record {
        id: draft.id.clone(),
        occurred: crate::service_day::check(&date, &draft.occurred)?,
        post: draft.post.clone(),
        kind: draft.kind,
        event: free_text::check("what happened", &draft.event, true, MAX_TEXT)?,
        action: free_text::check("the action taken", &draft.action, false, MAX_TEXT)?,
        result: free_text::check("the result", &draft.result, false, MAX_TEXT)?,
        by: Who::from(by),
    };
    if day.has_record(&draft.id)? {
        return Err(Refusal::AlreadyRecorded(draft.id.clone()).into());
    }
    append(
        doc,
        "entries",
        &record,
        &format!("duty-log entry {}", record.id),
        by,
    )
}

/// Amend entry `entry` as `by`: the corrected fields and why (required),
/// one change appending an [`Amendment`] written after the entry's latest
/// amendments on this replica. Given fields equal to a settled current
/// value are left out; a field in conflict is settled by any value given
/// for it. Refused when the entry is unknown here, when nothing is left to
/// correct, or when a field is unusable.
pub fn amend(
    doc: &mut Automerge,
    entry: &str,
    correction: &Correction,
    reason: &str,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    let day = DutyLog::new(doc)?;
    bad_id("an entry id", entry)?;
    let checked = correction.checked(&day.date()?)?;
    let reason = free_text::check("the reason for an amendment", reason, true, MAX_TEXT)?;
    let current = day
        .entry(entry)?
        .ok_or_else(|| Refusal::UnknownEntry(entry.to_owned()))?;
    fn changed<T: PartialEq + Clone>(given: &Option<T>, now: &FieldState<T>) -> Option<T> {
        given.clone().filter(|v| now.value() != Some(v))
    }
    let correction = Correction {
        occurred: changed(&checked.occurred, &current.occurred),
        post: changed(&checked.post, &current.post),
        kind: changed(&checked.kind, &current.kind),
        event: changed(&checked.event, &current.event),
        action: changed(&checked.action, &current.action),
        result: changed(&checked.result, &current.result),
    };
    if correction.is_empty() {
        return Err(Refusal::NothingCorrected(entry.to_owned()).into());
    }
    let amendment = Amendment {
        entry: entry.to_owned(),
        correction,
        reason,
        after: current
            .latest_amendments()
            .into_iter()
            .map(str::to_owned)
            .collect(),
        by: Who::from(by),
    };
    append(
        doc,
        "amendments",
        &amendment,
        &format!("duty-log amend {entry}"),
        by,
    )
}

/// The team leader's (or a supervisor's) daily review of the day: a
/// [`Signature`] with [`Meaning::DailyReview`] covering the day as this
/// replica holds it. Refused for staff, without a change.
pub fn sign_day(doc: &mut Automerge, by: &Attribution) -> Result<Signature, ModelError> {
    DutyLog::new(doc)?;
    crate::signature::sign(doc, Meaning::DailyReview, by)
}
