//! The visitor log (《来人来访记录表》, seed 000 内容 rows 1–8, 004 篇2 §1, 004
//! §3 前台登记、验证): who came in through the lobby, with which ID seen, to
//! see whom in which unit, why, how they were let in, when they came and
//! left — and who is still inside, on every tablet and desktop of the site,
//! offline first.
//!
//! ```text
//! day: one per site and service day, purpose `visitors/<YYYY-MM-DD>`
//! ROOT
//! ├── schema      "shiftbook/visitors/1"
//! ├── site, date                           ← identity, written by genesis
//! ├── events      [ VisitEvent, … ]        append-only, one fresh map each
//! │                 {visit, kind, by {person_id, person, role, device, at_ms},
//! │                  arrival? {name, category, id_type, id_last, host, unit,
//! │                  purpose, approval, time_in, people}, time_out?, text,
//! │                  after [event id, …]}
//! └── signatures  [ Signature, … ]         the team leader's daily review
//!
//! open index: one per site, purpose `visitors-open`
//! ROOT
//! ├── schema  "shiftbook/visitors-open/1"
//! ├── site                                 ← written once, by genesis
//! └── open    { visit id → "YYYY-MM-DD" }  scalars only: visits waiting or inside
//! ```
//!
//! # How visits are split into documents
//!
//! A visit lives in the document of the service day it began on (its time
//! in is on that day or the night after, [`crate::service_day`]): the day
//! the desk works in and the leader signs, small (a day's visitors), with a
//! deterministic genesis ([`crate::genesis::build`]) so every tablet holds
//! the same document offline. Everything later said about the visit —
//! approval, refusal, exit, notes — goes into that same document, even
//! days later. A visitor who came in last evening and is still inside must
//! show today: the site's **open index** maps each visit still waiting or
//! inside to its day, as plain scalars (like [`crate::followup`]'s open
//! index, `open_index.rs`), so a device loads today's document plus
//! the days the index names ([`days_to_load`]). The day documents are the
//! truth; views read only them. Writes change the day first, then the
//! index; a crash between the two, or a refusal that crosses an approval
//! (the refusal's delete removes the entry the approval found in place,
//! though the visit is now disputed, so open), can leave the index out of
//! step, so the app runs [`reconcile_index`] on every day it holds
//! whenever that day changes (a merge included).
//!
//! # Rules
//!
//! * **Events, never edits.** A visit has an id the caller draws
//!   ([`crate::ids::is_key`]); everything about it is a fresh map appended
//!   to `events` in one attributed change (summary `visit <kind> <id>`):
//!   `arrived` (the whole [`Arrival`]), `approved`, `refused`, `left`,
//!   `note`. Logging an id this replica holds is refused; two arrivals of
//!   one id written concurrently are both kept ([`Visit::arrivals`]), the
//!   first in list order is the visit.
//! * **No full ID numbers.** The ID seen is recorded as its type and at
//!   most its last [`MAX_ID_CHARS`] characters (letters and digits); a
//!   longer number is refused ([`Refusal::IdTooLong`]), and a full ID
//!   number typed into any text is refused too ([`crate::free_text`]).
//! * **Categories** ([`Category`], seed 000): residents without card,
//!   guests of residents, staff, government, tours, pass holders,
//!   contractors, deliveries, others are let in by intercom, card, escort,
//!   pass or the management office ([`ApprovalMethod`]) and are inside from
//!   their time in — unless they are turned away (the resident declines
//!   over the intercom): anyone may [`refuse`] such a visit, with a
//!   reason, while it is inside and no exit is logged, and it is
//!   [`VisitStatus::Refused`], never inside again. **Blocked categories** — salespeople, insurance agents
//!   and advertisers, and people who cannot say whom they visit nor show
//!   an ID (004 篇2 §1e) — need a supervisor's approval: their visit is
//!   logged with [`ApprovalMethod::Supervisor`] (any other is refused) and
//!   waits ([`VisitStatus::Waiting`]) until a person acting as
//!   [`Role::Supervisor`] approves it ([`approve`]: on the desktop, or
//!   signed in on the tablet; staff and leaders are refused with
//!   [`ModelError::NotAllowed`]) — or anyone refuses it with a reason
//!   ([`refuse`]). Any visit logged with the supervisor method waits the
//!   same way.
//! * **Decisions that cross conflict visibly.** Each approval or refusal
//!   stores in `after` the ids of the visit's latest decisions its writer
//!   held (`causal.rs`). The decisions no other decision was written
//!   after seeing stand ([`Visit::decisions`]): approvals only → inside;
//!   refusals only → refused; both (an approval and a refusal made
//!   concurrently) → [`VisitStatus::Disputed`], counted among those inside
//!   (they may have been let in) and flagged until a supervisor decides
//!   again having seen both, or the exit is logged. On a replica that shows
//!   the visit decided, staff cannot decide again; a supervisor can only
//!   while it is disputed.
//! * **Exits are appended** ([`leave`]): a `left` event with the local
//!   time out, never an edit; it needs the visit inside (or disputed) on
//!   this replica and a time out not before the time in. Exits are facts:
//!   a visit with an exit is [`VisitStatus::Left`] whatever decisions cross
//!   it. Two tablets logging the exit concurrently: both are kept
//!   ([`Visit::exits`]), the visit shows once, with the earliest time out.
//! * **Who is inside** = visits admitted (inside or disputed) with no
//!   exit ([`inside`], [`VisitorDay::inside`]); waiting ones are listed
//!   apart ([`waiting`]).
//! * **The team leader signs the day** ([`sign_day`], a leader or a
//!   supervisor); [`VisitorDay::after_signing`] lists what came after.
//! * **Search** ([`VisitFilter`]): unit, host, visitor name, the person who
//!   logged it, category, status; across days with [`search`].
//! * Every refusal ([`Refusal`], [`ModelError::NotAllowed`],
//!   [`ModelError::BadText`], time errors) leaves both documents
//!   unchanged.

use crate::ModelError;
use crate::attribution::{Attribution, ChangeInfo, Who};
use crate::causal::Seen;
use crate::event_board;
use crate::free_text;
use crate::genesis::{Container, Root};
use crate::open_index::{self, Mark};
use crate::roster::Role;
use crate::signature::{Meaning, Signature};
use automerge::{Automerge, ChangeHash, ROOT};
use autosurgeon::{Hydrate, Reconcile, hydrate_prop};
use std::collections::BTreeSet;

#[cfg(test)]
mod tests;

/// The schema tag of visitor log days.
pub const SCHEMA: &str = "shiftbook/visitors/1";

/// The schema tag of a site's open-visit index.
pub const INDEX_SCHEMA: &str = "shiftbook/visitors-open/1";

/// The purpose that derives a site's open-visit index id.
pub const INDEX_PURPOSE: &str = "visitors-open";

/// The most characters of an ID number recorded: its last four.
pub const MAX_ID_CHARS: usize = 4;

/// The most characters of a name (visitor, host).
pub const MAX_NAME: usize = 64;

/// The most characters of a unit (3栋1201).
pub const MAX_UNIT: usize = 32;

/// The most characters of a purpose, reason or note.
pub const MAX_TEXT: usize = 1_000;

/// The most people one visit may count (a tour group); more is a typing
/// mistake.
pub const MAX_PEOPLE: u32 = 200;

/// The `meaning` of [`ModelError::NotAllowed`] when an approval (or a
/// refusal of a disputed visit) is refused for the role.
pub const APPROVE_MEANING: &str = "visitor-approval";

/// Who a visitor is (seed 000 rows 1–8; 004 篇2 §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    /// A resident without card or code (自称业户且无卡).
    ResidentWithoutCard,
    /// A guest of a resident (外来人员访问住户).
    Guest,
    /// Company staff or leaders (公司员工/领导).
    Staff,
    /// Government officials (政府部门人员).
    Government,
    /// A tour (参观人员).
    Tour,
    /// Holders of an entry pass: renovation, newspapers, milk (持出入证人员).
    PassHolder,
    /// Contractors under a work permit (施工人员).
    Contractor,
    /// Delivering goods to a resident (送货人员).
    Delivery,
    /// Anyone else.
    Other,
    /// Salespeople, insurance agents, advertisers (推销/保险/广告人员):
    /// blocked without a supervisor's approval.
    Salesperson,
    /// Cannot name whom they visit nor show an ID (无法说清联系人且无证件):
    /// blocked without a supervisor's approval.
    Unidentified,
}

impl Category {
    /// Every category, in the order the tablet offers them.
    pub const ALL: [Category; 11] = [
        Category::ResidentWithoutCard,
        Category::Guest,
        Category::Staff,
        Category::Government,
        Category::Tour,
        Category::PassHolder,
        Category::Contractor,
        Category::Delivery,
        Category::Other,
        Category::Salesperson,
        Category::Unidentified,
    ];

    /// Whether visitors of this category are not let in without a
    /// supervisor's approval (004 篇2 §1e).
    pub fn is_blocked(self) -> bool {
        matches!(self, Category::Salesperson | Category::Unidentified)
    }
}

crate::string_enum::string_enum!(Category, "a visitor category", {
    ResidentWithoutCard => "resident-without-card",
    Guest => "guest",
    Staff => "staff",
    Government => "government",
    Tour => "tour",
    PassHolder => "pass-holder",
    Contractor => "contractor",
    Delivery => "delivery",
    Other => "other",
    Salesperson => "salesperson",
    Unidentified => "unidentified",
});

/// The ID document seen (有效证件).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IdType {
    /// Resident identity card (身份证).
    IdCard,
    /// Driving licence (驾驶证).
    DrivingLicence,
    /// Passport (护照).
    Passport,
    /// Work pass or staff card (工作证).
    WorkPass,
    /// Another document.
    Other,
    /// No document seen (a known resident, an unidentifiable person).
    NoId,
}

impl IdType {
    /// Every type, in the order the tablet offers them.
    pub const ALL: [IdType; 6] = [
        IdType::IdCard,
        IdType::DrivingLicence,
        IdType::Passport,
        IdType::WorkPass,
        IdType::Other,
        IdType::NoId,
    ];
}

crate::string_enum::string_enum!(IdType, "an ID document type", {
    IdCard => "id-card",
    DrivingLicence => "driving-licence",
    Passport => "passport",
    WorkPass => "work-pass",
    Other => "other",
    NoId => "none",
});

/// How the visitor was let in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ApprovalMethod {
    /// The host agreed over the intercom (对讲确认).
    Intercom,
    /// An access card or staff card checked (刷卡/验工作证).
    Card,
    /// Escorted by the host or staff (陪同).
    Escort,
    /// An entry pass checked (出入证).
    Pass,
    /// The management office's duty person agreed (管理处值班人员许可).
    Office,
    /// A supervisor's approval, recorded as an `approved` event (主管特别许可):
    /// required for blocked categories.
    Supervisor,
}

impl ApprovalMethod {
    /// Every method, in the order the tablet offers them.
    pub const ALL: [ApprovalMethod; 6] = [
        ApprovalMethod::Intercom,
        ApprovalMethod::Card,
        ApprovalMethod::Escort,
        ApprovalMethod::Pass,
        ApprovalMethod::Office,
        ApprovalMethod::Supervisor,
    ];
}

crate::string_enum::string_enum!(ApprovalMethod, "an approval method", {
    Intercom => "intercom",
    Card => "card",
    Escort => "escort",
    Pass => "pass",
    Office => "office",
    Supervisor => "supervisor",
});

/// What an event says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EventKind {
    /// The visitor arrived and was logged.
    Arrived,
    /// A supervisor approved a visit that waits for approval.
    Approved,
    /// The visit was refused (or the visitor turned away), with a reason.
    Refused,
    /// The visitor left, with the time out.
    Left,
    /// A note, at any time.
    Note,
}

crate::string_enum::string_enum!(EventKind, "a visit event kind", {
    Arrived => "arrived",
    Approved => "approved",
    Refused => "refused",
    Left => "left",
    Note => "note",
});

/// Where a visit stands (see the module rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum VisitStatus {
    /// Waiting for a supervisor's approval; not inside.
    Waiting,
    /// Admitted and not left.
    Inside,
    /// An approval and a refusal crossed; counted as inside until settled.
    Disputed,
    /// Refused, or turned away after being let in without approval; not
    /// inside.
    Refused,
    /// Left.
    Left,
}

impl VisitStatus {
    /// The status as a fixed word (`waiting`, `inside`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            VisitStatus::Waiting => "waiting",
            VisitStatus::Inside => "inside",
            VisitStatus::Disputed => "disputed",
            VisitStatus::Refused => "refused",
            VisitStatus::Left => "left",
        }
    }
}

/// Why a visitor log change was refused (inside [`ModelError::VisitorLog`]).
/// Nothing is written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// A visit id that is not 1–64 letters, digits, `-` or `_`.
    #[error("visit id {0:?} is not 1–64 letters, digits, - or _")]
    BadId(String),
    /// More than the last [`MAX_ID_CHARS`] characters of an ID number.
    #[error(
        "record only the last {MAX_ID_CHARS} characters of the ID number: full ID numbers are never stored"
    )]
    IdTooLong,
    /// The ID characters are not letters and digits.
    #[error("the last characters of an ID number are letters and digits only")]
    BadIdCharacters,
    /// An ID type other than "none" without its last characters.
    #[error("give the last 1 to {MAX_ID_CHARS} characters of the ID seen")]
    IdMissing,
    /// ID characters with the type "none".
    #[error("ID characters given but no ID document seen")]
    IdWithoutType,
    /// A people count outside 1 to [`MAX_PEOPLE`].
    #[error("a visit counts 1 to {MAX_PEOPLE} people, not {0}")]
    BadPeople(u32),
    /// A blocked category logged with another method than a supervisor's
    /// approval.
    #[error("a visitor of category {} is let in only with a supervisor's approval", .0.as_str())]
    NeedsSupervisor(Category),
    /// Logging a visit id this replica already holds.
    #[error("visit `{0}` is already logged")]
    AlreadyLogged(String),
    /// No such visit in this day.
    #[error("no visit `{0}` in this day's log")]
    UnknownVisit(String),
    /// Approving a visit that does not wait for approval.
    #[error("visit `{0}` does not need a supervisor's approval")]
    NoApprovalNeeded(String),
    /// Approving or refusing a visit already decided on this replica.
    #[error("visit `{id}` is {}", .status.as_str())]
    AlreadyDecided {
        /// The visit.
        id: String,
        /// Its status here.
        status: VisitStatus,
    },
    /// Logging the exit of (or turning away) a visit that is not inside
    /// on this replica.
    #[error("visit `{id}` is {}, not inside", .status.as_str())]
    NotInside {
        /// The visit.
        id: String,
        /// Its status here.
        status: VisitStatus,
    },
    /// A time out before the time in.
    #[error("time out {time_out} is before time in {time_in}")]
    OutBeforeIn {
        /// The time in.
        time_in: String,
        /// The time out given.
        time_out: String,
    },
    /// A day and an index of different sites.
    #[error("day of site {day:?} with index of site {index:?}")]
    OtherSite {
        /// The day's site.
        day: String,
        /// The index's site.
        index: String,
    },
}

/// The visit as logged at arrival.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate)]
pub struct Arrival {
    /// The visitor's name (may be blank only for an unidentifiable person).
    pub name: String,
    /// Who the visitor is.
    pub category: Category,
    /// The ID document seen.
    pub id_type: IdType,
    /// At most the last [`MAX_ID_CHARS`] characters of its number; blank
    /// when no document was seen.
    pub id_last: String,
    /// Whom they visit (被访者), may be blank.
    pub host: String,
    /// The unit visited (住址/单元), may be blank.
    pub unit: String,
    /// Why (事由), may be blank.
    pub purpose: String,
    /// How they were let in.
    pub approval: ApprovalMethod,
    /// When they arrived, local `YYYY-MM-DD HH:MM`.
    pub time_in: String,
    /// How many people (a group counts once).
    pub people: u32,
}

impl Arrival {
    /// Whether the visit waits for a supervisor's approval.
    pub fn needs_approval(&self) -> bool {
        self.category.is_blocked() || self.approval == ApprovalMethod::Supervisor
    }

    /// The arrival as stored, for the service day `date`: checked and in
    /// canonical form.
    fn checked(&self, date: &str) -> Result<Arrival, ModelError> {
        let name = free_text::check(
            "the visitor's name",
            &self.name,
            self.category != Category::Unidentified,
            MAX_NAME,
        )?;
        let id_last = self.id_last.trim();
        if id_last.chars().count() > MAX_ID_CHARS {
            return Err(Refusal::IdTooLong.into());
        }
        if !id_last.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(Refusal::BadIdCharacters.into());
        }
        match (self.id_type, id_last.is_empty()) {
            (IdType::NoId, false) => return Err(Refusal::IdWithoutType.into()),
            (t, true) if t != IdType::NoId => return Err(Refusal::IdMissing.into()),
            _ => {}
        }
        if !(1..=MAX_PEOPLE).contains(&self.people) {
            return Err(Refusal::BadPeople(self.people).into());
        }
        if self.category.is_blocked() && self.approval != ApprovalMethod::Supervisor {
            return Err(Refusal::NeedsSupervisor(self.category).into());
        }
        Ok(Arrival {
            name,
            category: self.category,
            id_type: self.id_type,
            id_last: id_last.to_ascii_uppercase(),
            host: free_text::check("the host's name", &self.host, false, MAX_NAME)?,
            unit: free_text::check("the unit", &self.unit, false, MAX_UNIT)?,
            purpose: free_text::check("the purpose", &self.purpose, false, MAX_TEXT)?,
            approval: self.approval,
            time_in: crate::service_day::check(date, &self.time_in)?,
            people: self.people,
        })
    }
}

/// One event as stored in the day's `events`.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate)]
pub struct VisitEvent {
    /// The visit id.
    pub visit: String,
    /// What the event says.
    pub kind: EventKind,
    /// Who wrote it, on which device, when.
    pub by: Who,
    /// The visit as logged: on `arrived`.
    pub arrival: Option<Arrival>,
    /// When the visitor left, local `YYYY-MM-DD HH:MM`: on `left`.
    pub time_out: Option<String>,
    /// The reason (`refused`), the note (`note`, `approved`, may be
    /// empty); empty otherwise.
    pub text: String,
    /// On decisions: ids of the visit's latest decisions the writer held.
    pub after: Vec<String>,
}

impl VisitEvent {
    fn new(visit: &str, kind: EventKind, by: &Attribution, text: String) -> Self {
        Self {
            visit: visit.to_owned(),
            kind,
            by: Who::from(by),
            arrival: None,
            time_out: None,
            text,
            after: Vec::new(),
        }
    }
}

/// An event with its id (the automerge id of its map, the same on every
/// replica).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logged {
    /// The event's id.
    pub id: String,
    /// The event.
    pub event: VisitEvent,
}

/// One visit as the day shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Visit {
    /// The visit id.
    pub id: String,
    /// The service day whose document holds it.
    pub date: String,
    /// The visit as logged (the first arrival in list order).
    pub arrival: Arrival,
    /// Who logged it.
    pub logged_by: Who,
    /// Every `arrived` event, in list order (one unless ids collided).
    pub arrivals: Vec<VisitEvent>,
    /// Every approval, in list order.
    pub approvals: Vec<Logged>,
    /// Every refusal, in list order.
    pub refusals: Vec<Logged>,
    /// The decisions that stand (no other decision was made after seeing
    /// them), in list order: approvals and refusals together when disputed.
    pub decisions: Vec<Logged>,
    /// Every exit, in list order (several when logged concurrently).
    pub exits: Vec<VisitEvent>,
    /// The earliest time out of the exits.
    pub time_out: Option<String>,
    /// Every note, in list order.
    pub notes: Vec<VisitEvent>,
    /// Where the visit stands.
    pub status: VisitStatus,
    /// Every event of the visit, in list order.
    pub history: Vec<VisitEvent>,
}

impl Visit {
    /// Whether the visit waits for (or needed) a supervisor's approval.
    pub fn needs_approval(&self) -> bool {
        self.arrival.needs_approval()
    }

    /// Whether the visitor counts as inside (inside, or disputed).
    pub fn is_inside(&self) -> bool {
        matches!(self.status, VisitStatus::Inside | VisitStatus::Disputed)
    }

    /// Whether the visit is still open: waiting or inside.
    pub fn is_open(&self) -> bool {
        self.status == VisitStatus::Waiting || self.is_inside()
    }

    /// Whether `person_id` logged it (any arrival).
    pub fn logged_by_person(&self, person_id: &str) -> bool {
        self.arrivals.iter().any(|a| a.by.person_id == person_id)
    }

    /// The sort key: time in, device time of logging, id.
    fn key(&self) -> (&str, i64, &str) {
        (&self.arrival.time_in, self.logged_by.at_ms, &self.id)
    }
}

/// Build the view of visit `id` from its events (list order); `None` when
/// it has no `arrived` event.
fn build(id: &str, date: &str, events: Vec<Logged>) -> Option<Visit> {
    let of = |kind: EventKind| -> Vec<Logged> {
        events
            .iter()
            .filter(|e| e.event.kind == kind)
            .cloned()
            .collect()
    };
    let plain =
        |logged: Vec<Logged>| -> Vec<VisitEvent> { logged.into_iter().map(|l| l.event).collect() };
    let arrivals = plain(of(EventKind::Arrived));
    let first = arrivals.first()?;
    let arrival = first.arrival.clone()?;
    let logged_by = first.by.clone();
    let (approvals, refusals) = (of(EventKind::Approved), of(EventKind::Refused));
    let exits = plain(of(EventKind::Left));
    let decided: Vec<&Logged> = events
        .iter()
        .filter(|e| matches!(e.event.kind, EventKind::Approved | EventKind::Refused))
        .collect();
    let seen = Seen::new(
        decided
            .iter()
            .map(|e| (e.id.as_str(), e.event.after.as_slice())),
    );
    let ids: Vec<&str> = decided.iter().map(|e| e.id.as_str()).collect();
    let standing = seen.latest(&ids);
    let decisions: Vec<Logged> = decided
        .into_iter()
        .filter(|e| standing.contains(&e.id.as_str()))
        .cloned()
        .collect();
    let approved = decisions
        .iter()
        .any(|d| d.event.kind == EventKind::Approved);
    let refused = decisions.iter().any(|d| d.event.kind == EventKind::Refused);
    // A visit let in without approval has no approvals: inside until
    // turned away (a refusal stands) or gone.
    let status = if !exits.is_empty() {
        VisitStatus::Left
    } else {
        match (approved, refused) {
            (false, false) if arrival.needs_approval() => VisitStatus::Waiting,
            (_, false) => VisitStatus::Inside,
            (false, true) => VisitStatus::Refused,
            (true, true) => VisitStatus::Disputed,
        }
    };
    let time_out = exits.iter().filter_map(|e| e.time_out.clone()).min();
    Some(Visit {
        id: id.to_owned(),
        date: date.to_owned(),
        arrival,
        logged_by,
        notes: plain(of(EventKind::Note)),
        arrivals,
        approvals,
        refusals,
        decisions,
        exits,
        time_out,
        status,
        history: events.into_iter().map(|l| l.event).collect(),
    })
}

/// What to show of a day's (or several days') visits. Empty fields match
/// everything; texts match case-insensitively anywhere in the field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VisitFilter {
    /// Visits to this unit.
    pub unit: Option<String>,
    /// Visits to this host.
    pub host: Option<String>,
    /// Visitors of this name.
    pub name: Option<String>,
    /// Visits this person (roster id) logged.
    pub logged_by: Option<String>,
    /// Visitors of this category.
    pub category: Option<Category>,
    /// Visits in this status.
    pub status: Option<VisitStatus>,
}

impl VisitFilter {
    /// Whether `visit` passes the filter.
    pub fn matches(&self, visit: &Visit) -> bool {
        let contains = |field: &str, needle: &Option<String>| {
            needle
                .as_ref()
                .is_none_or(|n| field.to_lowercase().contains(&n.trim().to_lowercase()))
        };
        let a = &visit.arrival;
        contains(&a.unit, &self.unit)
            && contains(&a.host, &self.host)
            && contains(&a.name, &self.name)
            && self
                .logged_by
                .as_ref()
                .is_none_or(|p| visit.logged_by_person(p))
            && self.category.is_none_or(|c| a.category == c)
            && self.status.is_none_or(|s| visit.status == s)
    }
}

/// What a daily-review signature does not cover.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AfterSigning {
    /// The signature.
    pub signature: Signature,
    /// The visits with events after signing (or concurrent, unseen by the
    /// signer), in visit order.
    pub visits: Vec<String>,
    /// Those events, in list order.
    pub events: Vec<Logged>,
    /// Every change after signing with who made it
    /// ([`crate::signature::changes_after`]).
    pub changes: Vec<ChangeInfo>,
}

/// The changes [`arrive`], [`approve`], [`refuse`] and [`leave`] made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    /// The day's change.
    pub day: ChangeHash,
    /// The index's change; `None` when the index already said so.
    pub index: Option<ChangeHash>,
}

/// The purpose that derives a day's id: `visitors/<YYYY-MM-DD>`. Changing
/// what genesis writes means a new schema tag and a new purpose.
pub fn purpose(date: &str) -> String {
    format!("visitors/{date}")
}

/// The id of the visitor log of service day `date` at the site of
/// `site_key`.
pub fn document_id(site_key: &impl crate::ids::Derive, date: &str) -> crate::DocumentId {
    site_key.derive(&purpose(date))
}

/// The id of the site's open-visit index.
pub fn index_document_id(site_key: &impl crate::ids::Derive) -> crate::DocumentId {
    site_key.derive(INDEX_PURPOSE)
}

/// Build the day's first change, identical on every device.
pub fn genesis(site: &str, date: &str) -> Result<Automerge, ModelError> {
    crate::checklist::validate_date(date)?;
    crate::genesis::build(&Root {
        schema: SCHEMA,
        identity: &[("site", site), ("date", date)],
        containers: &[("events", Container::List), ("signatures", Container::List)],
    })
}

/// Build the index's first change, identical on every device.
pub fn index_genesis(site: &str) -> Result<Automerge, ModelError> {
    open_index::genesis(INDEX_SCHEMA, site)
}

/// The days and the open index, as [`open_index`] writes them.
const DAYS: open_index::Family = open_index::Family {
    board_schema: SCHEMA,
    index_schema: INDEX_SCHEMA,
    summary: INDEX_PURPOSE,
    period: "date",
    owner: &["site"],
};

/// A read-only view of a visitor log day.
#[derive(Debug, Clone, Copy)]
pub struct VisitorDay<'a> {
    doc: &'a Automerge,
}

impl<'a> VisitorDay<'a> {
    /// View `doc` after checking it is a visitor log day.
    pub fn new(doc: &'a Automerge) -> Result<Self, ModelError> {
        event_board::list(doc, SCHEMA)?;
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

    /// Every event with its id, in list order (the same on every replica).
    pub fn events(&self) -> Result<Vec<Logged>, ModelError> {
        Ok(
            crate::readable::maps(self.doc, &event_board::list(self.doc, SCHEMA)?)?
                .into_iter()
                .map(|(id, event)| Logged { id, event })
                .collect(),
        )
    }

    /// Every visit logged in the day, by time in, then the device time of
    /// logging, then id. Events of an id never logged here are kept in
    /// [`VisitorDay::events`].
    pub fn visits(&self) -> Result<Vec<Visit>, ModelError> {
        let date = self.date()?;
        let mut out: Vec<Visit> = event_board::by_record(self.events()?, |e| &e.event.visit)
            .into_iter()
            .filter_map(|(id, events)| build(&id, &date, events))
            .collect();
        crate::sort_once::sort_by(&mut out, |a, b| a.key().cmp(&b.key()));
        Ok(out)
    }

    /// The visit `id`; `None` when this replica holds no such visit.
    pub fn visit(&self, id: &str) -> Result<Option<Visit>, ModelError> {
        // Only the visit's own events are read (a write on a busy day
        // needs one visit, not all).
        let list = event_board::list(self.doc, SCHEMA)?;
        let events = crate::readable::maps_where::<VisitEvent>(self.doc, &list, "visit", id)?
            .into_iter()
            .map(|(id, event)| Logged { id, event })
            .collect();
        Ok(build(id, &self.date()?, events))
    }

    /// The visits `filter` passes, in visit order.
    pub fn filter(&self, filter: &VisitFilter) -> Result<Vec<Visit>, ModelError> {
        Ok(self
            .visits()?
            .into_iter()
            .filter(|v| filter.matches(v))
            .collect())
    }

    /// The day's visitors still inside (disputed ones included).
    pub fn inside(&self) -> Result<Vec<Visit>, ModelError> {
        Ok(self
            .visits()?
            .into_iter()
            .filter(Visit::is_inside)
            .collect())
    }

    /// The day's visits waiting for a supervisor's approval.
    pub fn waiting(&self) -> Result<Vec<Visit>, ModelError> {
        self.filter(&VisitFilter {
            status: Some(VisitStatus::Waiting),
            ..VisitFilter::default()
        })
    }

    /// Every signature on the day, in list order.
    pub fn signatures(&self) -> Result<Vec<Signature>, ModelError> {
        crate::signature::signatures(self.doc)
    }

    /// What `signature` does not cover: the events after it (or
    /// concurrent), the visits they belong to, and every change after it.
    pub fn after_signing(&self, signature: &Signature) -> Result<AfterSigning, ModelError> {
        let after = crate::signature::elements_after(self.doc, signature, "events")?;
        let events: Vec<Logged> = self
            .events()?
            .into_iter()
            .filter(|e| after.contains(&e.id))
            .collect();
        let touched: BTreeSet<&str> = events.iter().map(|e| e.event.visit.as_str()).collect();
        let visits = self
            .visits()?
            .into_iter()
            .map(|v| v.id)
            .filter(|id| touched.contains(id.as_str()))
            .collect();
        Ok(AfterSigning {
            signature: signature.clone(),
            visits,
            events,
            changes: crate::signature::changes_after(self.doc, signature)?,
        })
    }
}

/// The visits of the given days that `filter` passes, in visit order
/// across days (then by day).
pub fn search(days: &[&Automerge], filter: &VisitFilter) -> Result<Vec<Visit>, ModelError> {
    let visits = days
        .iter()
        .map(|doc| VisitorDay::new(doc)?.visits())
        .collect::<Result<Vec<_>, ModelError>>()?;
    Ok(gather(visits.iter().map(Vec::as_slice), filter))
}

/// [`search`] over days already read ([`VisitorDay::visits`] of each): the
/// visits `filter` passes, in visit order across days (then by day).
pub fn gather<'a>(days: impl IntoIterator<Item = &'a [Visit]>, filter: &VisitFilter) -> Vec<Visit> {
    let mut out: Vec<Visit> = days
        .into_iter()
        .flatten()
        .filter(|v| filter.matches(v))
        .cloned()
        .collect();
    crate::sort_once::sort_by(&mut out, |a, b| (a.key(), &a.date).cmp(&(b.key(), &b.date)));
    out
}

/// Everyone still inside according to the given days (load them with
/// [`days_to_load`]), by time in.
pub fn inside(days: &[&Automerge]) -> Result<Vec<Visit>, ModelError> {
    let mut out = search(days, &VisitFilter::default())?;
    out.retain(Visit::is_inside);
    Ok(out)
}

/// Every visit waiting for a supervisor's approval in the given days.
pub fn waiting(days: &[&Automerge]) -> Result<Vec<Visit>, ModelError> {
    search(
        days,
        &VisitFilter {
            status: Some(VisitStatus::Waiting),
            ..VisitFilter::default()
        },
    )
}

/// Every (visit, day) the index lists, sorted; values that are not dates
/// are skipped (the index is only a hint of which days to load).
pub fn open_in_index(index: &Automerge) -> Result<Vec<(String, String)>, ModelError> {
    DAYS.entries(index, |d| crate::checklist::validate_date(d).is_ok())
}

/// The days whose documents a device loads to show everyone inside or
/// waiting: `today` and every day in the index, oldest first, each once.
pub fn days_to_load(index: &Automerge, today: &str) -> Result<Vec<String>, ModelError> {
    crate::checklist::validate_date(today)?;
    DAYS.periods_to_load(index, today, |d| crate::checklist::validate_date(d).is_ok())
}

/// Check the day and the index belong together, before any write:
/// schemas, containers, one site. Returns the day's date.
fn check_pair(day: &Automerge, index: &Automerge) -> Result<String, ModelError> {
    DAYS.check_pair(day, index, |day, index| {
        Refusal::OtherSite { day, index }.into()
    })
}

/// The visit `id`, which must be logged in this day.
fn existing(day: &Automerge, id: &str) -> Result<Visit, ModelError> {
    if !crate::ids::is_key(id) {
        return Err(Refusal::BadId(crate::free_text::clip(id)).into());
    }
    VisitorDay::new(day)?
        .visit(id)?
        .ok_or_else(|| Refusal::UnknownVisit(id.to_owned()).into())
}

/// Append `event` to the day as one change by `by`.
fn append(
    day: &mut Automerge,
    event: &VisitEvent,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    let options = by.commit_options(&summary(event));
    event_board::append(day, SCHEMA, std::slice::from_ref(event), options)
}

/// The summary of a change appending `event`: `visit <kind> <id>`.
fn summary(event: &VisitEvent) -> String {
    format!("visit {} {}", event.kind.as_str(), event.visit)
}

/// Append `event` to the day, then `mark` the visit in the index.
fn write(
    day: &mut Automerge,
    index: &mut Automerge,
    event: &VisitEvent,
    mark: Mark<'_>,
    by: &Attribution,
) -> Result<Written, ModelError> {
    let events = std::slice::from_ref(event);
    let written = DAYS.write(day, index, events, &summary(event), mark, by)?;
    Ok(Written {
        day: written.board,
        index: written.index,
    })
}

/// Log a visitor's arrival as `by`: an `arrived` event with the checked
/// [`Arrival`] in the day, then the visit in the open index. The time in
/// must be of the day's service day. Refused when this replica holds the
/// id, or when a field is unusable (a full ID number among them).
pub fn arrive(
    day: &mut Automerge,
    index: &mut Automerge,
    id: &str,
    arrival: &Arrival,
    by: &Attribution,
) -> Result<Written, ModelError> {
    let date = check_pair(day, index)?;
    if !crate::ids::is_key(id) {
        return Err(Refusal::BadId(crate::free_text::clip(id)).into());
    }
    let arrival = arrival.checked(&date)?;
    if VisitorDay::new(day)?.visit(id)?.is_some() {
        return Err(Refusal::AlreadyLogged(id.to_owned()).into());
    }
    let mut event = VisitEvent::new(id, EventKind::Arrived, by, String::new());
    event.arrival = Some(arrival);
    write(day, index, &event, Mark::Open(id, &date), by)
}

/// `visit` for a decision by `by`: it needs approval and waits, or (for a
/// supervisor) is disputed.
fn undecided(visit: Visit, by: &Attribution) -> Result<Visit, ModelError> {
    let id = visit.id.clone();
    if !visit.needs_approval() {
        return Err(Refusal::NoApprovalNeeded(id).into());
    }
    match visit.status {
        VisitStatus::Waiting => Ok(visit),
        VisitStatus::Disputed if by.role == Role::Supervisor => Ok(visit),
        VisitStatus::Disputed => Err(ModelError::NotAllowed {
            role: by.role.as_str(),
            meaning: APPROVE_MEANING,
        }),
        status => Err(Refusal::AlreadyDecided { id, status }.into()),
    }
}

/// `visit` to be refused by `by`: one waiting for approval (see
/// [`undecided`]), or one let in without it that is still inside — a
/// visitor turned away at the door.
fn refusable(visit: Visit, by: &Attribution) -> Result<Visit, ModelError> {
    if visit.needs_approval() {
        return undecided(visit, by);
    }
    match visit.status {
        VisitStatus::Inside => Ok(visit),
        VisitStatus::Refused => Err(Refusal::AlreadyDecided {
            id: visit.id,
            status: VisitStatus::Refused,
        }
        .into()),
        status => Err(Refusal::NotInside {
            id: visit.id,
            status,
        }
        .into()),
    }
}

/// A decision event on `visit`, written after its standing decisions.
fn decision(visit: &Visit, kind: EventKind, by: &Attribution, text: String) -> VisitEvent {
    let mut event = VisitEvent::new(&visit.id, kind, by, text);
    event.after = visit.decisions.iter().map(|d| d.id.clone()).collect();
    event
}

/// Approve visit `id` as a supervisor (the note may be empty): the visit
/// is inside from now, and in the open index. Only a person acting as
/// [`Role::Supervisor`] may ([`ModelError::NotAllowed`] otherwise), and
/// only a visit that waits for approval (or is disputed) on this replica.
pub fn approve(
    day: &mut Automerge,
    index: &mut Automerge,
    id: &str,
    note: &str,
    by: &Attribution,
) -> Result<Written, ModelError> {
    let date = check_pair(day, index)?;
    if by.role != Role::Supervisor {
        return Err(ModelError::NotAllowed {
            role: by.role.as_str(),
            meaning: APPROVE_MEANING,
        });
    }
    let note = free_text::check("a note", note, false, MAX_TEXT)?;
    let visit = undecided(existing(day, id)?, by)?;
    let approved = decision(&visit, EventKind::Approved, by, note);
    write(day, index, &approved, Mark::Open(id, &date), by)
}

/// Refuse visit `id`, with a reason (required): the visitor is not let in,
/// and the visit leaves the open index. Anyone may refuse a visit waiting
/// for approval, or turn away one let in without it (the resident
/// declined over the intercom) while it is inside; a disputed one only a
/// supervisor.
pub fn refuse(
    day: &mut Automerge,
    index: &mut Automerge,
    id: &str,
    reason: &str,
    by: &Attribution,
) -> Result<Written, ModelError> {
    check_pair(day, index)?;
    let reason = free_text::check("a reason", reason, true, MAX_TEXT)?;
    let visit = refusable(existing(day, id)?, by)?;
    let refused = decision(&visit, EventKind::Refused, by, reason);
    write(day, index, &refused, Mark::Closed(id), by)
}

/// Log that the visitor of visit `id` left at `time_out` (local
/// `YYYY-MM-DD HH:MM`, not before the time in): a `left` event in the day,
/// then the visit out of the open index. Needs the visit inside (or
/// disputed) on this replica.
pub fn leave(
    day: &mut Automerge,
    index: &mut Automerge,
    id: &str,
    time_out: &str,
    by: &Attribution,
) -> Result<Written, ModelError> {
    check_pair(day, index)?;
    let out = crate::service_day::parse(time_out)?;
    let visit = existing(day, id)?;
    if !visit.is_inside() {
        return Err(Refusal::NotInside {
            id: id.to_owned(),
            status: visit.status,
        }
        .into());
    }
    let time_in = crate::service_day::parse(&visit.arrival.time_in)?;
    if out < time_in {
        return Err(Refusal::OutBeforeIn {
            time_in: visit.arrival.time_in,
            time_out: out.to_string(),
        }
        .into());
    }
    let mut event = VisitEvent::new(id, EventKind::Left, by, String::new());
    event.time_out = Some(out.to_string());
    write(day, index, &event, Mark::Closed(id), by)
}

/// Add a note (required) to visit `id`, whatever its status.
pub fn note(
    day: &mut Automerge,
    id: &str,
    text: &str,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    let text = free_text::check("a note", text, true, MAX_TEXT)?;
    existing(day, id)?;
    append(day, &VisitEvent::new(id, EventKind::Note, by, text), by)
}

/// Make the index agree with the day (the truth), as at most one change:
/// every visit the day shows open (waiting or inside) is put with the
/// day's date; every visit it shows refused or left is removed if the
/// index points it at this day. Visits the day does not know are left
/// alone (its copy may not have synced yet). Returns whether the index
/// changed.
pub fn reconcile_index(
    day: &Automerge,
    index: &mut Automerge,
    by: &Attribution,
) -> Result<bool, ModelError> {
    let date = check_pair(day, index)?;
    let records = VisitorDay::new(day)?.visits()?.into_iter().map(|visit| {
        let is_open = visit.is_open();
        (visit.id, is_open)
    });
    DAYS.reconcile(index, &date, records, by)
}

/// The team leader's (or a supervisor's) daily review of the day: a
/// [`Signature`] with [`Meaning::DailyReview`]. Refused for staff, without
/// a change.
pub fn sign_day(day: &mut Automerge, by: &Attribution) -> Result<Signature, ModelError> {
    VisitorDay::new(day)?;
    crate::signature::sign(day, Meaning::DailyReview, by)
}
