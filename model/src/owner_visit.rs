//! The monthly owner-visit record (《业户访问记录》, seed 000 §13): the lobby
//! assistants visit owners every month and write down each visit — unit,
//! owner, date, who visited, what the owner said (opinions, requests) and
//! whether a follow-up is needed; at month end the record goes to the
//! customer-service supervisor (客户服务主管), who signs it.
//!
//! ```text
//! record: one per site and month, purpose `owner-visits/<YYYY-MM>`
//! ROOT
//! ├── schema      "shiftbook/owner-visits/1"
//! ├── site, month                          ← written once, by genesis
//! ├── events      [ VisitEvent, … ]        append-only, one fresh map each
//! │                 {visit, kind, by {person_id, person, role, device, at_ms},
//! │                  details?, text}
//! └── signatures  [ Signature, … ]         the supervisor's month-end review
//! ```
//!
//! # Rules
//!
//! * **A record per month**, deterministic genesis
//!   ([`crate::genesis::build`]), so every tablet holds the same document
//!   offline. A visit goes in the record of its date's month.
//! * **Events, never edits.** A visit is identified by an id the caller
//!   draws ([`crate::ids::is_key`]); everything said about it is a fresh
//!   map appended to `events` in one attributed change (summary
//!   `owner-visit <kind> <id>`): `visited` (the whole visit, one map),
//!   `note` (a correction or addition — the visit itself is never
//!   rewritten), `followed-up` (the follow-up done, with what was done).
//!   A merge loses nothing: every event is in [`Visit::history`].
//!   Recording an id this record already holds is refused; two tablets
//!   recording one id concurrently (only with ids that are not random)
//!   leave two `visited` events, both in the history; the first in list
//!   order gives the details.
//! * **By unit.** Units are compared as [`crate::free_text::unit_key`], so
//!   "3栋 1201" and "3栋１２０１" are one unit ([`by_unit`],
//!   [`unit_history`] over several months).
//! * **Follow-ups.** A visit that needs a follow-up stays in
//!   [`open_follow_ups`] until someone records it `followed-up`; several
//!   (concurrent) follow-up records are all kept. Recording a follow-up
//!   for a visit that needs none, or is already followed up on this
//!   replica, is refused.
//! * **Anyone on duty records visits, notes and follow-ups.** Only a
//!   supervisor signs the month ([`sign_month`],
//!   [`Meaning::MonthlyReview`]), and not before the month's last day.
//!   The signature covers the record's exact heads (ARCHITECTURE invariant
//!   8): visits added after it, or concurrently, are shown by
//!   [`crate::signature::changes_after`], never hidden.
//! * Every refusal ([`Refusal`], [`crate::free_text::BadText`],
//!   [`ModelError::NotAllowed`]) leaves the record unchanged.

use crate::ModelError;
use crate::attribution::{Attribution, Who};
use crate::event_board;
use crate::free_text;
use crate::genesis::{Container, Root};
use crate::schedule::Date;
use crate::signature::{Meaning, Signature};
use automerge::{Automerge, ChangeHash};
use autosurgeon::{Hydrate, Reconcile};
use std::collections::BTreeMap;

#[cfg(test)]
mod tests;

/// The schema tag of owner-visit records.
pub const SCHEMA: &str = "shiftbook/owner-visits/1";

/// The most characters of what the owner said, a follow-up or a note.
pub const MAX_TEXT_CHARS: usize = 2_000;

/// The most characters of a unit, an owner's or a visitor's name.
pub const MAX_NAME_CHARS: usize = 100;

/// What an event says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EventKind {
    /// The visit: unit, owner, date, who visited, what the owner said.
    Visited,
    /// A note on the visit.
    Note,
    /// The follow-up the visit needed was done, with what was done.
    FollowedUp,
}

crate::string_enum::string_enum!(EventKind, "an owner-visit event kind", {
    Visited => "visited",
    Note => "note",
    FollowedUp => "followed-up",
});

/// Why an owner-visit change was refused (inside
/// [`ModelError::OwnerVisit`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The visit's date is not in the record's month.
    #[error("a visit on {date} belongs in the record of its month, not {month}")]
    OtherMonth {
        /// The visit's date.
        date: String,
        /// The record's month.
        month: String,
    },
    /// Recording an id this record already holds.
    #[error("visit `{0}` is already recorded")]
    Exists(String),
    /// No `visited` event for this id in this record.
    #[error("no visit `{0}` in this record")]
    Unknown(String),
    /// A follow-up for a visit that needs none.
    #[error("visit `{0}` needs no follow-up")]
    NoFollowUp(String),
    /// A follow-up for a visit this replica shows followed up.
    #[error("visit `{0}` is already followed up")]
    AlreadyFollowedUp(String),
    /// Signing before the month's last day.
    #[error("the record of {month} is signed from its last day on, not on {today}")]
    MonthNotOver {
        /// The record's month.
        month: String,
        /// The signer's date.
        today: String,
    },
}

/// One visit as stored in its `visited` event.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate)]
pub struct VisitDetails {
    /// The unit visited (房号), as typed.
    pub unit: String,
    /// The owner (or resident) met.
    pub owner: String,
    /// The visit's local date, `YYYY-MM-DD`.
    pub date: String,
    /// Who visited (name as shown; usually the person recording).
    pub visitor: String,
    /// The owner's opinions (意见); may be empty.
    pub opinions: String,
    /// The owner's requests or suggestions (要求 / 建议); may be empty.
    pub requests: String,
    /// The follow-up needed, if any.
    pub follow_up: Option<String>,
}

/// What the person recording a visit types in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewVisit {
    /// The id, drawn by the caller ([`crate::ids::is_key`]).
    pub id: String,
    /// The unit (required).
    pub unit: String,
    /// The owner met (required).
    pub owner: String,
    /// The visit's local date; its month picks the record.
    pub date: Date,
    /// Who visited (required).
    pub visitor: String,
    /// The owner's opinions; may be blank.
    pub opinions: String,
    /// The owner's requests or suggestions; may be blank.
    pub requests: String,
    /// The follow-up needed; blank for none.
    pub follow_up: String,
}

impl NewVisit {
    /// The stored visit: texts trimmed and checked.
    fn details(&self) -> Result<VisitDetails, ModelError> {
        free_text::key("a visit id", &self.id)?;
        let follow_up = free_text::check(
            "the follow-up needed",
            &self.follow_up,
            false,
            MAX_TEXT_CHARS,
        )?;
        Ok(VisitDetails {
            unit: free_text::check("the unit", &self.unit, true, MAX_NAME_CHARS)?,
            owner: free_text::check("the owner", &self.owner, true, MAX_NAME_CHARS)?,
            date: self.date.to_string(),
            visitor: free_text::check("who visited", &self.visitor, true, MAX_NAME_CHARS)?,
            opinions: free_text::check("the opinions", &self.opinions, false, MAX_TEXT_CHARS)?,
            requests: free_text::check("the requests", &self.requests, false, MAX_TEXT_CHARS)?,
            follow_up: (!follow_up.is_empty()).then_some(follow_up),
        })
    }
}

/// One event of a visit, as stored in the record's `events`.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate)]
pub struct VisitEvent {
    /// The visit id.
    pub visit: String,
    /// What the event says.
    pub kind: EventKind,
    /// Who wrote it and when.
    pub by: Who,
    /// The visit: `visited` only.
    pub details: Option<VisitDetails>,
    /// The note, or what was done (`followed-up`); empty on `visited`.
    pub text: String,
}

/// One visit as the record shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Visit {
    /// The id.
    pub id: String,
    /// The record's month, `YYYY-MM`.
    pub month: String,
    /// The visit (the first `visited` event's).
    pub details: VisitDetails,
    /// The visit's date.
    pub date: Date,
    /// Every event of the visit, in list order.
    pub history: Vec<VisitEvent>,
}

impl Visit {
    /// Every event of `kind`, in list order.
    pub fn events_of(&self, kind: EventKind) -> Vec<&VisitEvent> {
        self.history.iter().filter(|e| e.kind == kind).collect()
    }

    /// Who recorded it, and when.
    pub fn recorded_by(&self) -> Option<&Who> {
        self.events_of(EventKind::Visited).first().map(|e| &e.by)
    }

    /// Every note, in list order.
    pub fn notes(&self) -> Vec<&VisitEvent> {
        self.events_of(EventKind::Note)
    }

    /// Every follow-up record, in list order.
    pub fn follow_ups(&self) -> Vec<&VisitEvent> {
        self.events_of(EventKind::FollowedUp)
    }

    /// Whether a follow-up is needed and none is recorded yet.
    pub fn needs_follow_up(&self) -> bool {
        self.details.follow_up.is_some() && self.follow_ups().is_empty()
    }

    /// The unit as compared ([`crate::free_text::unit_key`]).
    pub fn unit_key(&self) -> String {
        crate::free_text::unit_key(&self.details.unit)
    }
}

/// The purpose that derives the record's id for `month`:
/// `owner-visits/<YYYY-MM>`.
pub fn purpose(month: &str) -> String {
    format!("owner-visits/{month}")
}

/// The id of the site's record for `month`.
pub fn document_id(site_key: &impl crate::ids::Derive, month: &str) -> crate::DocumentId {
    site_key.derive(&purpose(month))
}

/// Build the record's first change, identical on every device.
pub fn genesis(site: &str, month: &str) -> Result<Automerge, ModelError> {
    crate::free_text::validate_month(month)?;
    crate::genesis::build(&Root {
        schema: SCHEMA,
        identity: &[("site", site), ("month", month)],
        containers: &[("events", Container::List), ("signatures", Container::List)],
    })
}

/// The record's month, `YYYY-MM`.
pub fn record_month(doc: &Automerge) -> Result<String, ModelError> {
    event_board::field(doc, SCHEMA, "month")
}

/// Every event of the record, in list order (the same on every replica).
pub fn events(doc: &Automerge) -> Result<Vec<VisitEvent>, ModelError> {
    event_board::events(doc, SCHEMA)
}

/// Build the view of one visit; `None` when it has no `visited` event.
fn build(id: &str, month: &str, history: Vec<VisitEvent>) -> Result<Option<Visit>, ModelError> {
    let Some(first) = history.iter().find(|e| e.kind == EventKind::Visited) else {
        return Ok(None);
    };
    let Some(details) = first.details.clone() else {
        return Err(ModelError::Corrupt(format!("details of visit {id}")));
    };
    let date = Date::parse(&details.date)
        .map_err(|_| ModelError::Corrupt(format!("date of visit {id}")))?;
    Ok(Some(Visit {
        id: id.to_owned(),
        month: month.to_owned(),
        details,
        date,
        history,
    }))
}

/// Every visit of the record, by date, unit and id.
pub fn visits(doc: &Automerge) -> Result<Vec<Visit>, ModelError> {
    let month = record_month(doc)?;
    let mut out = Vec::new();
    for (id, history) in event_board::by_record(events(doc)?, |e| &e.visit) {
        out.extend(build(&id, &month, history)?);
    }
    crate::sort_once::sort_by_key(&mut out, |v| (v.date, v.unit_key(), v.id.clone()));
    Ok(out)
}

/// The visit `id`; `None` when it is not in this record.
pub fn visit(doc: &Automerge, id: &str) -> Result<Option<Visit>, ModelError> {
    let month = record_month(doc)?;
    let history = events(doc)?.into_iter().filter(|e| e.visit == id).collect();
    build(id, &month, history)
}

/// The record's visits grouped by unit ([`crate::free_text::unit_key`]), each
/// unit's by date.
pub fn by_unit(doc: &Automerge) -> Result<BTreeMap<String, Vec<Visit>>, ModelError> {
    let mut out: BTreeMap<String, Vec<Visit>> = BTreeMap::new();
    for v in visits(doc)? {
        out.entry(v.unit_key()).or_default().push(v);
    }
    Ok(out)
}

/// Every visit to `unit` in the given records (several months), by date.
pub fn unit_history(docs: &[&Automerge], unit: &str) -> Result<Vec<Visit>, ModelError> {
    let wanted = crate::free_text::unit_key(unit);
    let mut out = Vec::new();
    for doc in docs {
        out.extend(visits(doc)?.into_iter().filter(|v| v.unit_key() == wanted));
    }
    crate::sort_once::sort_by(&mut out, |a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
    Ok(out)
}

/// The visits of the given records that need a follow-up not yet
/// recorded, by date.
pub fn open_follow_ups(docs: &[&Automerge]) -> Result<Vec<Visit>, ModelError> {
    let mut out = Vec::new();
    for doc in docs {
        out.extend(visits(doc)?.into_iter().filter(Visit::needs_follow_up));
    }
    crate::sort_once::sort_by(&mut out, |a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
    Ok(out)
}

/// The visit `id`, which must be in this record.
fn existing(doc: &Automerge, id: &str) -> Result<Visit, ModelError> {
    free_text::key("a visit id", id)?;
    visit(doc, id)?.ok_or_else(|| Refusal::Unknown(id.to_owned()).into())
}

/// Append `event` to the record as one change by `by`.
fn append(
    doc: &mut Automerge,
    event: VisitEvent,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    let summary = format!("owner-visit {} {}", event.kind.as_str(), event.visit);
    event_board::append(doc, SCHEMA, &[event], by.commit_options(&summary))
}

/// Record a visit (`new`) as `by`, in the record of its date's month.
pub fn record(
    doc: &mut Automerge,
    new: &NewVisit,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    let month = record_month(doc)?;
    event_board::list(doc, SCHEMA)?;
    let details = new.details()?;
    if crate::free_text::month_of(new.date) != month {
        return Err(Refusal::OtherMonth {
            date: details.date,
            month,
        }
        .into());
    }
    if visit(doc, &new.id)?.is_some() {
        return Err(Refusal::Exists(new.id.clone()).into());
    }
    append(
        doc,
        VisitEvent {
            visit: new.id.clone(),
            kind: EventKind::Visited,
            by: Who::from(by),
            details: Some(details),
            text: String::new(),
        },
        by,
    )
}

/// Add a note (required) to visit `id`.
pub fn note(
    doc: &mut Automerge,
    id: &str,
    note: &str,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    let note = free_text::check("a note", note, true, MAX_TEXT_CHARS)?;
    existing(doc, id)?;
    append(
        doc,
        VisitEvent {
            visit: id.to_owned(),
            kind: EventKind::Note,
            by: Who::from(by),
            details: None,
            text: note,
        },
        by,
    )
}

/// Record that the follow-up visit `id` needed was done, with what was
/// done (required). Refused when it needs none or this replica shows it
/// followed up.
pub fn followed_up(
    doc: &mut Automerge,
    id: &str,
    done: &str,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    let done = free_text::check("what was done", done, true, MAX_TEXT_CHARS)?;
    let v = existing(doc, id)?;
    if v.details.follow_up.is_none() {
        return Err(Refusal::NoFollowUp(id.to_owned()).into());
    }
    if !v.follow_ups().is_empty() {
        return Err(Refusal::AlreadyFollowedUp(id.to_owned()).into());
    }
    append(
        doc,
        VisitEvent {
            visit: id.to_owned(),
            kind: EventKind::FollowedUp,
            by: Who::from(by),
            details: None,
            text: done,
        },
        by,
    )
}

/// The supervisor signs the month's record ([`Meaning::MonthlyReview`])
/// on `today` (the signer's local date), which must be the month's last
/// day or later. Refused for other roles ([`ModelError::NotAllowed`]).
pub fn sign_month(
    doc: &mut Automerge,
    today: Date,
    by: &Attribution,
) -> Result<Signature, ModelError> {
    let month = record_month(doc)?;
    if !Meaning::MonthlyReview.allows(by.role) {
        return Err(ModelError::NotAllowed {
            role: by.role.as_str(),
            meaning: Meaning::MonthlyReview.as_str(),
        });
    }
    if crate::free_text::month_of(today) < month
        || (crate::free_text::month_of(today) == month && today.day() < today.days_in_month())
    {
        return Err(Refusal::MonthNotOver {
            month,
            today: today.to_string(),
        }
        .into());
    }
    crate::signature::sign(doc, Meaning::MonthlyReview, by)
}

/// Every signature on the record, in list order.
pub fn signatures(doc: &Automerge) -> Result<Vec<Signature>, ModelError> {
    crate::genesis::expect_schema(doc, SCHEMA)?;
    crate::signature::signatures(doc)
}
