//! Owner requests and complaints (《业主投诉登记表》, seed 003 投诉处理程序;
//! 000 standards; 002 quality table): what the owner asked or complained
//! about, when and how it came in, the first response, the form forwarded
//! to the handling department (who confirms receipt), the preliminary
//! solution, root cause and corrective action, the reply to the owner, the
//! return visit with the owner's satisfaction, and the close — with the
//! seeds' deadlines ([`deadline`]) running on every tablet and the desktop,
//! and serious complaints escalated to the manager at once (003 §1.3.6).
//!
//! Two document kinds hold them, like [`crate::followup`]'s:
//!
//! ```text
//! board: one per site and month received, purpose `complaints/<YYYY-MM>`
//! ROOT
//! ├── schema  "shiftbook/complaints/1"
//! ├── site, month                          ← written once, by genesis
//! └── events  [ ComplaintEvent, … ]        append-only, one fresh map each
//!               {complaint, kind, by {person_id, person, role, device, at_ms},
//!                details?, department?, person?, cause?, satisfaction?,
//!                difficulty?, seen?, text}
//!
//! open index: one per site, purpose `complaints-open` (see crate::open_index)
//! ROOT
//! ├── schema  "shiftbook/complaints-open/1"
//! ├── site                                 ← written once, by genesis
//! └── open    { complaint id → "YYYY-MM" } scalars only
//! ```
//!
//! # Rules
//!
//! * **A board per month received.** A complaint lives in the board of the
//!   month of its received local date-time ([`month_of`]), which the
//!   person typing it in gives (the call may have come in a little before
//!   it was typed), not the device clock. Genesis is deterministic
//!   ([`crate::genesis::build`]), so every tablet creates the same board
//!   offline. Open complaints of older months are found through the open
//!   index ([`months_to_load`]).
//! * **Ids are drawn by the caller** ([`crate::ids::is_key`], e.g. random
//!   when the form is opened): one device registers a complaint.
//!   Registering an id this board already holds is refused; if two
//!   tablets ever registered one id concurrently, both `received` events
//!   are kept ([`Complaint::receipts`]) and the first in list order gives
//!   the details.
//! * **Events, never edits.** Everything said about a complaint is a fresh
//!   map appended to `events` in one attributed change
//!   ([`Attribution::commit_options`], summary `complaint <kind> <id>`):
//!   `received`, `responded`, `forwarded`, `receipt-confirmed`,
//!   `preliminary`, `corrected` (root cause and corrective action),
//!   `replied`, `return-visit`, `closed`, `escalated`, `difficulty`,
//!   `serious`, `note`. No object is ever created under a fixed key after
//!   genesis and nothing is overwritten, so a merge loses nothing: every
//!   event is in [`Complaint::history`].
//! * **Status is the furthest step any event reached**, whatever the list
//!   order ([`Step`]): `received < responded < forwarded <
//!   receipt-confirmed < preliminary < corrected < replied < return-visited
//!   < closed`. A forward on one tablet and a reply on another, made
//!   concurrently, end *replied* on every replica, both in the history; a
//!   close concurrent with a note ends closed with the note kept. Steps may
//!   be recorded out of order (the front desk may answer a simple request
//!   itself and reply without forwarding); an earlier step recorded after
//!   a later one (a second corrective action after an unsatisfied return
//!   visit) is kept and never lowers the status. There is no reopening:
//!   an owner who comes back about a closed complaint is a new complaint
//!   whose `related` names the old one.
//! * **Deadlines** ([`deadline`]) count from the received time and are met
//!   by the first event (by its device time, in local wall time) at or
//!   beyond their step: a later step makes an earlier one moot (a reply
//!   meets the forward deadline of a request the desk dealt with itself).
//! * **Difficulty** (general / hard, 002 table) may be given at receipt or
//!   later (`difficulty` events); unset counts as general, the stricter
//!   deadline. Each `difficulty` event stores `seen`, how many difficulty
//!   events its writer held: one written after seeing the others replaces
//!   them; values written concurrently resolve to *hard* (someone judged it
//!   hard without seeing the other's judgement; the longer deadline is not
//!   silently dropped — both stay in the history).
//! * **Serious** (重大投诉) is a flag that only goes up: at receipt, or by a
//!   `serious` event with why. A serious complaint raises
//!   [`AlertKind::EscalateNow`] from when it became serious until an
//!   `escalated` event (to whom — a supervisor, the manager in this
//!   product — by whom, when) exists, whatever its status.
//! * **Who may do what.** Anyone on duty registers, responds, forwards,
//!   records the department's receipt (with the name of the department's
//!   person who confirmed it, the form's 处理人), the preliminary solution,
//!   the cause and corrective action, the reply and the return visit,
//!   escalates, marks serious, sets the difficulty and adds notes.
//!   Closing: anyone once a reply to the owner is recorded and the latest
//!   return visit (if any) is not *unsatisfied*; without a reply, or after
//!   an unsatisfied return visit, only a leader or supervisor may close,
//!   and must say why (e.g. outside the property's remit). A serious
//!   complaint is closed by no one before it is escalated.
//! * **Closed is closed.** On a replica that shows a complaint closed,
//!   only notes, escalations, `serious` and return visits (often after
//!   the close) are accepted; every other step is refused.
//!   Confirming receipt needs a forward, and a return visit a reply (or a
//!   close), on the writer's replica.
//! * **The board is the truth.** [`receive`] and [`close`] also put / remove
//!   the id in the open index (board first, index second);
//!   [`reconcile_index`] repairs the index from a board.
//! * Every refusal ([`Refusal`], [`crate::free_text::BadText`],
//!   [`ModelError::NotAllowed`]) leaves both documents unchanged. Texts are
//!   trimmed; names and units at most [`MAX_NAME_CHARS`], other texts
//!   [`MAX_TEXT_CHARS`] characters.
//!
//! # Time
//!
//! The received time is local wall time ([`LocalDateTime`]); events carry
//! device milliseconds. Views that compare them ([`Complaint::facts`],
//! [`Complaint::deadlines`], [`alerts`], [`figures`]) take a conversion
//! `local: Fn(ms) -> Option<LocalDateTime>` (the app passes its device
//! time zone; tests and fixed-offset sites
//! [`crate::work_permit::fixed_offset`]) and `now` in local wall time.
//! Nothing here reads a clock.

use crate::ModelError;
use crate::attribution::{Attribution, Who};
use crate::event_board;
use crate::followup::Department;
use crate::free_text;
use crate::open_index::{self, Mark};
use crate::roster::Role;
use crate::schedule::LocalDateTime;
use automerge::{Automerge, ChangeHash};
use autosurgeon::{Hydrate, Reconcile};
use std::collections::BTreeMap;

mod alerts;
pub mod deadline;
mod figures;
mod search;
#[cfg(test)]
mod tests;

pub use alerts::{Alert, AlertKind, alerts, alerts_of};
pub use deadline::{
    Deadline, DeadlineKind, DeadlineSettings, DeadlineState, Escalation, Facts, deadlines,
};
pub use figures::{Figures, Rate, figures};
pub use search::{Filter, search};

/// The changes [`receive`] and [`close`] made.
pub use crate::open_index::Written;

/// The schema tag of complaint boards.
pub const SCHEMA: &str = "shiftbook/complaints/1";

/// The schema tag of a site's open-complaint index.
pub const INDEX_SCHEMA: &str = "shiftbook/complaints-open/1";

/// The purpose that derives a site's open-complaint index id.
pub const INDEX_PURPOSE: &str = "complaints-open";

/// The most characters of a content, note, solution, cause or action.
pub const MAX_TEXT_CHARS: usize = 2_000;

/// The most characters of an owner's name, unit, contact or a person's
/// name.
pub const MAX_NAME_CHARS: usize = 100;

/// The `meaning` of [`ModelError::NotAllowed`] when staff close without a
/// reply or after an unsatisfied return visit.
pub const CLOSE_MEANING: &str = "complaint-close-override";

/// A request (报修 / 求助) or a complaint (投诉).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// A repair or help request (报修 / 求助).
    Request,
    /// A complaint (投诉).
    Complaint,
}

impl Kind {
    /// Both, in the order pickers list them.
    pub const ALL: [Kind; 2] = [Kind::Request, Kind::Complaint];
}

crate::string_enum::string_enum!(Kind, "request or complaint", {
    Request => "request",
    Complaint => "complaint",
});

/// How a complaint came in (003 §1.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Channel {
    /// By phone (来电).
    Phone,
    /// In person at the desk (来访).
    Visit,
    /// By letter or in writing (来信 / 书面).
    Letter,
    /// Forwarded by the company or a superior (公司转来 / 上级转来).
    Forwarded,
    /// Any other way.
    Other,
}

impl Channel {
    /// Every channel, in the order pickers list them.
    pub const ALL: [Channel; 5] = [
        Channel::Phone,
        Channel::Visit,
        Channel::Letter,
        Channel::Forwarded,
        Channel::Other,
    ];
}

crate::string_enum::string_enum!(Channel, "a complaint channel", {
    Phone => "phone",
    Visit => "visit",
    Letter => "letter",
    Forwarded => "forwarded",
    Other => "other",
});

/// How hard the issue is (002 table: general the same day, hard within a
/// week). Ordered: general < hard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Difficulty {
    /// A general issue (一般性问题), dealt with the same day.
    General,
    /// A hard issue (疑难问题), dealt with within a week.
    Hard,
}

crate::string_enum::string_enum!(Difficulty, "general or hard", {
    General => "general",
    Hard => "hard",
});

/// The owner's satisfaction at a return visit (回访).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Satisfaction {
    /// 满意.
    Satisfied,
    /// 基本满意.
    BasicallySatisfied,
    /// 不满意.
    Unsatisfied,
}

impl Satisfaction {
    /// Every answer, in the order pickers list them.
    pub const ALL: [Satisfaction; 3] = [
        Satisfaction::Satisfied,
        Satisfaction::BasicallySatisfied,
        Satisfaction::Unsatisfied,
    ];

    /// Whether it counts as satisfied in the satisfaction rate (satisfied
    /// or basically satisfied).
    pub fn is_satisfied(self) -> bool {
        self != Self::Unsatisfied
    }
}

crate::string_enum::string_enum!(Satisfaction, "satisfied, basically-satisfied or unsatisfied", {
    Satisfied => "satisfied",
    BasicallySatisfied => "basically-satisfied",
    Unsatisfied => "unsatisfied",
});

/// What an event says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EventKind {
    /// Registered: the form's header ([`Details`]).
    Received,
    /// The first (or a further) response to the owner (回应).
    Responded,
    /// The form forwarded to a department.
    Forwarded,
    /// The department's person confirmed receipt (处理人签收).
    ReceiptConfirmed,
    /// A preliminary solution.
    Preliminary,
    /// Root cause and corrective action (原因分析与纠正措施).
    Corrected,
    /// The result replied to the owner (回复).
    Replied,
    /// A return visit (回访) with the owner's satisfaction.
    ReturnVisit,
    /// Closed.
    Closed,
    /// Escalated to the manager (a supervisor).
    Escalated,
    /// The difficulty set or changed.
    Difficulty,
    /// Marked serious (重大投诉), with why.
    Serious,
    /// A note.
    Note,
}

crate::string_enum::string_enum!(EventKind, "a complaint event kind", {
    Received => "received",
    Responded => "responded",
    Forwarded => "forwarded",
    ReceiptConfirmed => "receipt-confirmed",
    Preliminary => "preliminary",
    Corrected => "corrected",
    Replied => "replied",
    ReturnVisit => "return-visit",
    Closed => "closed",
    Escalated => "escalated",
    Difficulty => "difficulty",
    Serious => "serious",
    Note => "note",
});

impl EventKind {
    /// The step this event reaches; `None` for escalations, difficulty,
    /// serious and notes, which are not steps.
    pub fn step(self) -> Option<Step> {
        Some(match self {
            Self::Received => Step::Received,
            Self::Responded => Step::Responded,
            Self::Forwarded => Step::Forwarded,
            Self::ReceiptConfirmed => Step::ReceiptConfirmed,
            Self::Preliminary => Step::Preliminary,
            Self::Corrected => Step::Corrected,
            Self::Replied => Step::Replied,
            Self::ReturnVisit => Step::ReturnVisited,
            Self::Closed => Step::Closed,
            Self::Escalated | Self::Difficulty | Self::Serious | Self::Note => return None,
        })
    }
}

/// The steps of a complaint, in order: its status is the furthest step any
/// of its events reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Step {
    /// Registered.
    Received,
    /// The owner had a first response.
    Responded,
    /// Forwarded to the handling department.
    Forwarded,
    /// The department confirmed receipt.
    ReceiptConfirmed,
    /// A preliminary solution was given.
    Preliminary,
    /// Root cause and corrective action recorded: dealt with.
    Corrected,
    /// The result was replied to the owner.
    Replied,
    /// The owner was visited again (回访).
    ReturnVisited,
    /// Closed.
    Closed,
}

impl Step {
    /// Every step, in order.
    pub const ALL: [Step; 9] = [
        Step::Received,
        Step::Responded,
        Step::Forwarded,
        Step::ReceiptConfirmed,
        Step::Preliminary,
        Step::Corrected,
        Step::Replied,
        Step::ReturnVisited,
        Step::Closed,
    ];

    /// The word for filters, messages and logs.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Received => "received",
            Self::Responded => "responded",
            Self::Forwarded => "forwarded",
            Self::ReceiptConfirmed => "receipt-confirmed",
            Self::Preliminary => "preliminary",
            Self::Corrected => "corrected",
            Self::Replied => "replied",
            Self::ReturnVisited => "return-visited",
            Self::Closed => "closed",
        }
    }
}

/// Why a complaint change was refused (inside [`ModelError::Complaint`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The received date is not in the board's month.
    #[error("a complaint received on {received} belongs in the board of its month, not {month}")]
    OtherMonth {
        /// The received date.
        received: String,
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
    /// Registering an id this board already holds.
    #[error("complaint `{0}` is already registered")]
    Exists(String),
    /// No `received` event for this id in this board.
    #[error("no complaint `{0}` in this board")]
    Unknown(String),
    /// A step on a complaint this replica shows closed.
    #[error("complaint `{0}` is closed")]
    Closed(String),
    /// Confirming receipt before the complaint was forwarded.
    #[error("complaint `{0}` has not been forwarded to a department")]
    NotForwarded(String),
    /// A return visit, or a close by staff, before a reply to the owner.
    #[error("complaint `{0}`: the owner has not had a reply")]
    NotReplied(String),
    /// Staff closing after an unsatisfied return visit.
    #[error("complaint `{0}`: the owner was unsatisfied at the return visit")]
    Unsatisfied(String),
    /// Closing a serious complaint that was not escalated.
    #[error("complaint `{0}` is serious: escalate it to the manager first")]
    NotEscalated(String),
    /// Marking serious a complaint this replica shows serious.
    #[error("complaint `{0}` is already serious")]
    AlreadySerious(String),
    /// Setting the difficulty this replica already shows.
    #[error("complaint `{id}` is already {}", .difficulty.as_str())]
    SameDifficulty {
        /// The complaint.
        id: String,
        /// Its difficulty.
        difficulty: Difficulty,
    },
}

/// The form's header as stored in the `received` event (《业主投诉登记表》:
/// time, channel, owner and unit, content).
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate)]
pub struct Details {
    /// Request or complaint.
    pub kind: Kind,
    /// When it came in, local wall time `YYYY-MM-DD HH:MM`
    /// ([`Complaint::received`] has it parsed).
    pub received: String,
    /// How it came in.
    pub channel: Channel,
    /// The owner's (or resident's) name.
    pub owner: String,
    /// The unit (房号), as typed.
    pub unit: String,
    /// How to reach the owner, if given.
    pub contact: Option<String>,
    /// What the owner asked or complained about.
    pub content: String,
    /// Serious at receipt (重大投诉).
    pub serious: bool,
    /// The difficulty, if judged at receipt.
    pub difficulty: Option<Difficulty>,
    /// The post that received it ([`crate::ids::is_key`], e.g. `lobby`).
    pub post: String,
    /// An earlier complaint this one follows up, if any (its id).
    pub related: Option<String>,
}

/// What the person registering a complaint types in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewComplaint {
    /// The id, drawn by the caller ([`crate::ids::is_key`]).
    pub id: String,
    /// Request or complaint.
    pub kind: Kind,
    /// When it came in, local wall time; its month picks the board.
    pub received: LocalDateTime,
    /// How it came in.
    pub channel: Channel,
    /// The owner's name (required).
    pub owner: String,
    /// The unit (required).
    pub unit: String,
    /// How to reach the owner; blank for none.
    pub contact: String,
    /// What it is about (required).
    pub content: String,
    /// Serious (escalate at once).
    pub serious: bool,
    /// The difficulty, if already known.
    pub difficulty: Option<Difficulty>,
    /// The post receiving it ([`crate::ids::is_key`]).
    pub post: String,
    /// An earlier complaint this one follows up ([`crate::ids::is_key`]).
    pub related: Option<String>,
}

impl NewComplaint {
    /// The stored header: texts trimmed and checked, ids checked.
    fn details(&self) -> Result<Details, ModelError> {
        free_text::key("a complaint id", &self.id)?;
        free_text::key("a post", &self.post)?;
        if let Some(r) = &self.related {
            free_text::key("a related complaint id", r)?;
        }
        let contact = free_text::check("a contact", &self.contact, false, MAX_NAME_CHARS)?;
        Ok(Details {
            kind: self.kind,
            received: self.received.to_string(),
            channel: self.channel,
            owner: free_text::check("the owner", &self.owner, true, MAX_NAME_CHARS)?,
            unit: free_text::check("the unit", &self.unit, true, MAX_NAME_CHARS)?,
            contact: (!contact.is_empty()).then_some(contact),
            content: free_text::check("the content", &self.content, true, MAX_TEXT_CHARS)?,
            serious: self.serious,
            difficulty: self.difficulty,
            post: self.post.clone(),
            related: self.related.clone(),
        })
    }
}

/// One event of a complaint, as stored in the board's `events`.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate)]
pub struct ComplaintEvent {
    /// The complaint id.
    pub complaint: String,
    /// What the event says.
    pub kind: EventKind,
    /// Who wrote it and when (the step's time is `by.at_ms`).
    pub by: Who,
    /// The form's header: `received` only.
    pub details: Option<Details>,
    /// The department: `forwarded` and `receipt-confirmed`.
    pub department: Option<Department>,
    /// The department's person who confirmed receipt
    /// (`receipt-confirmed`), or whom it was escalated to (`escalated`).
    pub person: Option<String>,
    /// The root cause: `corrected` only.
    pub cause: Option<String>,
    /// The owner's satisfaction: `return-visit` only.
    pub satisfaction: Option<Satisfaction>,
    /// The difficulty: `difficulty` only.
    pub difficulty: Option<Difficulty>,
    /// How many `difficulty` events of the complaint the writer held:
    /// `difficulty` only.
    pub seen: Option<u32>,
    /// What was said: the response, the note on a forward, the solution,
    /// the corrective action, the reply, the owner's words at the return
    /// visit, the closing remark or reason, why it is serious, the note.
    pub text: String,
}

impl ComplaintEvent {
    fn new(id: &str, kind: EventKind, by: &Attribution, text: String) -> Self {
        Self {
            complaint: id.to_owned(),
            kind,
            by: Who::from(by),
            details: None,
            department: None,
            person: None,
            cause: None,
            satisfaction: None,
            difficulty: None,
            seen: None,
            text,
        }
    }
}

/// One complaint as a board shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Complaint {
    /// The id.
    pub id: String,
    /// The board's month, `YYYY-MM`.
    pub month: String,
    /// The form's header (the first `received` event's).
    pub details: Details,
    /// When it came in, local wall time.
    pub received: LocalDateTime,
    /// The furthest step reached.
    pub status: Step,
    /// Serious: at receipt or marked since.
    pub serious: bool,
    /// The difficulty (see the module rules); `None` until judged.
    pub difficulty: Option<Difficulty>,
    /// The department it was last forwarded to, in list order.
    pub department: Option<Department>,
    /// Every event of the complaint, in list order.
    pub history: Vec<ComplaintEvent>,
}

impl Complaint {
    /// Whether it is not closed.
    pub fn is_open(&self) -> bool {
        self.status != Step::Closed
    }

    /// Every event of `kind`, in list order.
    pub fn events_of(&self, kind: EventKind) -> Vec<&ComplaintEvent> {
        self.history.iter().filter(|e| e.kind == kind).collect()
    }

    /// Every `received` event (one unless an id was registered twice
    /// concurrently).
    pub fn receipts(&self) -> Vec<&ComplaintEvent> {
        self.events_of(EventKind::Received)
    }

    /// Who registered it, and when (the first `received` event's writer).
    pub fn received_by(&self) -> Option<&Who> {
        self.receipts().first().map(|e| &e.by)
    }

    /// Every note, in list order, whatever the status.
    pub fn notes(&self) -> Vec<&ComplaintEvent> {
        self.events_of(EventKind::Note)
    }

    /// Every return visit, in list order.
    pub fn return_visits(&self) -> Vec<&ComplaintEvent> {
        self.events_of(EventKind::ReturnVisit)
    }

    /// Every escalation, in list order.
    pub fn escalations(&self) -> Vec<&ComplaintEvent> {
        self.events_of(EventKind::Escalated)
    }

    /// The owner's satisfaction at the latest return visit in list order.
    pub fn satisfaction(&self) -> Option<Satisfaction> {
        self.history
            .iter()
            .rev()
            .filter(|e| e.kind == EventKind::ReturnVisit)
            .find_map(|e| e.satisfaction)
    }

    /// Whether a reply to the owner is recorded.
    pub fn replied(&self) -> bool {
        self.history.iter().any(|e| e.kind == EventKind::Replied)
    }

    /// Whether the complaint was escalated at least once.
    pub fn is_escalated(&self) -> bool {
        self.history.iter().any(|e| e.kind == EventKind::Escalated)
    }

    /// The unit as compared in searches ([`crate::free_text::unit_key`]).
    pub fn unit_key(&self) -> String {
        crate::free_text::unit_key(&self.details.unit)
    }

    /// The facts the deadlines are computed from, with device times
    /// converted to local wall time by `local`; a time that cannot be
    /// converted counts as [`LocalDateTime::MAX`] (late, so it is looked
    /// at).
    pub fn facts(&self, local: impl Fn(i64) -> Option<LocalDateTime>) -> Facts {
        let at = |e: &ComplaintEvent| local(e.by.at_ms).unwrap_or(LocalDateTime::MAX);
        let mut reached: BTreeMap<Step, LocalDateTime> = BTreeMap::new();
        for event in &self.history {
            let Some(step) = event.kind.step() else {
                continue;
            };
            let t = at(event);
            for s in Step::ALL.into_iter().filter(|s| *s <= step) {
                reached
                    .entry(s)
                    .and_modify(|earliest| *earliest = (*earliest).min(t))
                    .or_insert(t);
            }
        }
        reached.insert(Step::Received, self.received);
        let serious_at_receipt = self
            .receipts()
            .iter()
            .any(|e| e.details.as_ref().is_some_and(|d| d.serious));
        let marked = self.events_of(EventKind::Serious).into_iter().map(at).min();
        let serious_since = if serious_at_receipt {
            Some(self.received)
        } else {
            marked
        };
        Facts {
            received: self.received,
            difficulty: self.difficulty.unwrap_or(Difficulty::General),
            reached,
            serious_since,
            escalated_at: self.escalations().into_iter().map(at).min(),
        }
    }

    /// Each deadline's due time and state at `now` ([`deadlines`]).
    pub fn deadlines(
        &self,
        settings: &DeadlineSettings,
        now: LocalDateTime,
        local: impl Fn(i64) -> Option<LocalDateTime>,
    ) -> Vec<Deadline> {
        deadlines(&self.facts(local), settings, now)
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

/// The month (`YYYY-MM`) of a received time: the board it goes in.
pub fn month_of(received: LocalDateTime) -> String {
    crate::free_text::month_of(received.date)
}

/// The purpose that derives the board's id for `month`:
/// `complaints/<YYYY-MM>`.
pub fn purpose(month: &str) -> String {
    format!("complaints/{month}")
}

/// The id of the site's board for `month`.
pub fn document_id(site_key: &impl crate::ids::Derive, month: &str) -> crate::DocumentId {
    site_key.derive(&purpose(month))
}

/// The id of the site's open-complaint index.
pub fn index_document_id(site_key: &impl crate::ids::Derive) -> crate::DocumentId {
    site_key.derive(INDEX_PURPOSE)
}

/// Build the board's first change, identical on every device.
pub fn genesis(site: &str, month: &str) -> Result<Automerge, ModelError> {
    crate::free_text::validate_month(month)?;
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
pub fn events(board: &Automerge) -> Result<Vec<ComplaintEvent>, ModelError> {
    event_board::events(board, SCHEMA)
}

/// The difficulty after the `difficulty` events in list order, starting
/// from `initial` (see the module rules).
fn resolve_difficulty(
    initial: Option<Difficulty>,
    history: &[ComplaintEvent],
) -> Option<Difficulty> {
    let mut current = initial;
    let mut count: u32 = 0;
    for event in history.iter().filter(|e| e.kind == EventKind::Difficulty) {
        if let Some(value) = event.difficulty {
            let saw_all = event.seen.is_some_and(|seen| seen >= count);
            current = if saw_all {
                Some(value)
            } else {
                current.max(Some(value))
            };
        }
        count = count.saturating_add(1);
    }
    current
}

/// Build the view of one complaint from its events in list order; `None`
/// when it has no `received` event.
fn build(
    id: &str,
    month: &str,
    history: Vec<ComplaintEvent>,
) -> Result<Option<Complaint>, ModelError> {
    // Every other event of an id is written on a replica holding its
    // `received` event, so it comes after that in list order.
    let Some(receipt) = history.iter().find(|e| e.kind == EventKind::Received) else {
        return Ok(None);
    };
    let Some(details) = receipt.details.clone() else {
        return Err(ModelError::Corrupt(format!("details of complaint {id}")));
    };
    let received = LocalDateTime::parse(&details.received)
        .map_err(|_| ModelError::Corrupt(format!("received time of complaint {id}")))?;
    let status = history
        .iter()
        .filter_map(|e| e.kind.step())
        .max()
        .unwrap_or(Step::Received);
    let serious = history
        .iter()
        .any(|e| e.kind == EventKind::Serious || e.details.as_ref().is_some_and(|d| d.serious));
    let department = history
        .iter()
        .rev()
        .filter(|e| e.kind == EventKind::Forwarded)
        .find_map(|e| e.department);
    Ok(Some(Complaint {
        id: id.to_owned(),
        month: month.to_owned(),
        difficulty: resolve_difficulty(details.difficulty, &history),
        details,
        received,
        status,
        serious,
        department,
        history,
    }))
}

/// Every complaint registered in the board, by received time, then id.
/// Events of an id never registered here (which this module never
/// writes) are left out here and kept in [`events`].
pub fn complaints(board: &Automerge) -> Result<Vec<Complaint>, ModelError> {
    let month = board_month(board)?;
    let mut out = Vec::new();
    for (id, history) in event_board::by_record(events(board)?, |e| &e.complaint) {
        out.extend(build(&id, &month, history)?);
    }
    crate::sort_once::sort_by(&mut out, |a, b| {
        (a.received, &a.id).cmp(&(b.received, &b.id))
    });
    Ok(out)
}

/// The complaint `id` as the board shows it; `None` when it was not
/// registered in this board.
pub fn complaint(board: &Automerge, id: &str) -> Result<Option<Complaint>, ModelError> {
    let month = board_month(board)?;
    let history = events(board)?
        .into_iter()
        .filter(|e| e.complaint == id)
        .collect();
    build(id, &month, history)
}

/// Every complaint of the given boards (the months a device holds, see
/// [`months_to_load`]), by received time, then id.
pub fn all_complaints(boards: &[&Automerge]) -> Result<Vec<Complaint>, ModelError> {
    let mut out = Vec::new();
    for board in boards {
        out.extend(complaints(board)?);
    }
    crate::sort_once::sort_by(&mut out, |a, b| {
        (a.received, &a.id).cmp(&(b.received, &b.id))
    });
    Ok(out)
}

/// The open complaints of the given boards, by received time, then id.
pub fn open_complaints(boards: &[&Automerge]) -> Result<Vec<Complaint>, ModelError> {
    Ok(all_complaints(boards)?
        .into_iter()
        .filter(Complaint::is_open)
        .collect())
}

/// The complaint `id`, which must be registered in this board.
fn existing(board: &Automerge, id: &str) -> Result<Complaint, ModelError> {
    free_text::key("a complaint id", id)?;
    complaint(board, id)?.ok_or_else(|| Refusal::Unknown(id.to_owned()).into())
}

/// The complaint `id`, which must be registered and not closed here.
fn still_open(board: &Automerge, id: &str) -> Result<Complaint, ModelError> {
    let c = existing(board, id)?;
    if c.is_open() {
        Ok(c)
    } else {
        Err(Refusal::Closed(id.to_owned()).into())
    }
}

/// Append `event` to the board as one change by `by`, summarised
/// `complaint <kind> <id>`.
fn append(
    board: &mut Automerge,
    event: ComplaintEvent,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    let options = by.commit_options(&summary(&event));
    event_board::append(board, SCHEMA, &[event], options)
}

/// The summary of a change appending `event`: `complaint <kind> <id>`.
fn summary(event: &ComplaintEvent) -> String {
    format!("complaint {} {}", event.kind.as_str(), event.complaint)
}

/// Check the board and the index belong together (schemas, containers,
/// one site) before any write. Returns the board's month.
fn check_pair(board: &Automerge, index: &Automerge) -> Result<String, ModelError> {
    BOARDS.check_pair(board, index, |board, index| {
        Refusal::OtherSite { board, index }.into()
    })
}

/// Register a complaint or request (`new`) as `by`: a `received` event in
/// the board of the received month, then the id in the open index.
pub fn receive(
    board: &mut Automerge,
    index: &mut Automerge,
    new: &NewComplaint,
    by: &Attribution,
) -> Result<Written, ModelError> {
    let month = check_pair(board, index)?;
    let details = new.details()?;
    if month_of(new.received) != month {
        return Err(Refusal::OtherMonth {
            received: new.received.date.to_string(),
            month,
        }
        .into());
    }
    if complaint(board, &new.id)?.is_some() {
        return Err(Refusal::Exists(new.id.clone()).into());
    }
    let mut event = ComplaintEvent::new(&new.id, EventKind::Received, by, String::new());
    event.details = Some(details);
    let summary = summary(&event);
    let mark = Mark::Open(&new.id, &month);
    BOARDS.write(board, index, &[event], &summary, mark, by)
}

/// Record a `kind` step whose only content is `text` (checked as `what`,
/// required or not) on complaint `id`, which must be open on this replica.
fn plain_step(
    board: &mut Automerge,
    id: &str,
    kind: EventKind,
    what: &'static str,
    text: &str,
    required: bool,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    let text = free_text::check(what, text, required, MAX_TEXT_CHARS)?;
    still_open(board, id)?;
    append(board, ComplaintEvent::new(id, kind, by, text), by)
}

/// Record a response to the owner (what was said; may be blank).
pub fn respond(
    board: &mut Automerge,
    id: &str,
    said: &str,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    plain_step(
        board,
        id,
        EventKind::Responded,
        "the response",
        said,
        false,
        by,
    )
}

/// Forward the complaint form to `department`, with an optional note.
/// Forwarding again (another department) is allowed; the latest in list
/// order is [`Complaint::department`].
pub fn forward(
    board: &mut Automerge,
    id: &str,
    department: Department,
    note: &str,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    let note = free_text::check("a note", note, false, MAX_TEXT_CHARS)?;
    still_open(board, id)?;
    let mut event = ComplaintEvent::new(id, EventKind::Forwarded, by, note);
    event.department = Some(department);
    append(board, event, by)
}

/// Record that `person` (required: the department's person who signed for
/// the form, 处理人) confirmed receipt, with an optional note. Needs a
/// forward on this replica; the event names the department forwarded to.
pub fn confirm_receipt(
    board: &mut Automerge,
    id: &str,
    person: &str,
    note: &str,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    let person = free_text::check("who confirmed receipt", person, true, MAX_NAME_CHARS)?;
    let note = free_text::check("a note", note, false, MAX_TEXT_CHARS)?;
    let c = still_open(board, id)?;
    let Some(department) = c.department else {
        return Err(Refusal::NotForwarded(id.to_owned()).into());
    };
    let mut event = ComplaintEvent::new(id, EventKind::ReceiptConfirmed, by, note);
    event.department = Some(department);
    event.person = Some(person);
    append(board, event, by)
}

/// Record the preliminary solution (required).
pub fn preliminary(
    board: &mut Automerge,
    id: &str,
    solution: &str,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    let what = "the preliminary solution";
    plain_step(board, id, EventKind::Preliminary, what, solution, true, by)
}

/// Record the root cause and the corrective action (both required): the
/// issue is dealt with (the resolution deadline is met).
pub fn correct(
    board: &mut Automerge,
    id: &str,
    cause: &str,
    action: &str,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    let cause = free_text::check("the root cause", cause, true, MAX_TEXT_CHARS)?;
    let action = free_text::check("the corrective action", action, true, MAX_TEXT_CHARS)?;
    still_open(board, id)?;
    let mut event = ComplaintEvent::new(id, EventKind::Corrected, by, action);
    event.cause = Some(cause);
    append(board, event, by)
}

/// Record the reply to the owner (required: what they were told).
pub fn reply(
    board: &mut Automerge,
    id: &str,
    told: &str,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    plain_step(board, id, EventKind::Replied, "the reply", told, true, by)
}

/// Record a return visit with the owner's `satisfaction` and words
/// (required when unsatisfied). Needs a reply (or a close) on this
/// replica; accepted after the close too.
pub fn return_visit(
    board: &mut Automerge,
    id: &str,
    satisfaction: Satisfaction,
    words: &str,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    let required = satisfaction == Satisfaction::Unsatisfied;
    let words = free_text::check("what the owner said", words, required, MAX_TEXT_CHARS)?;
    let c = existing(board, id)?;
    if c.status < Step::Replied {
        return Err(Refusal::NotReplied(id.to_owned()).into());
    }
    let mut event = ComplaintEvent::new(id, EventKind::ReturnVisit, by, words);
    event.satisfaction = Some(satisfaction);
    append(board, event, by)
}

/// Record that the complaint was escalated to `to` (required: the
/// supervisor or manager told), with an optional note; at any status.
pub fn escalate(
    board: &mut Automerge,
    id: &str,
    to: &str,
    note: &str,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    let to = free_text::check("whom it was escalated to", to, true, MAX_NAME_CHARS)?;
    let note = free_text::check("a note", note, false, MAX_TEXT_CHARS)?;
    existing(board, id)?;
    let mut event = ComplaintEvent::new(id, EventKind::Escalated, by, note);
    event.person = Some(to);
    append(board, event, by)
}

/// Set the difficulty, with an optional reason. Refused when this replica
/// already shows that difficulty.
pub fn set_difficulty(
    board: &mut Automerge,
    id: &str,
    difficulty: Difficulty,
    reason: &str,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    let reason = free_text::check("a reason", reason, false, MAX_TEXT_CHARS)?;
    let c = still_open(board, id)?;
    if c.difficulty == Some(difficulty) {
        return Err(Refusal::SameDifficulty {
            id: id.to_owned(),
            difficulty,
        }
        .into());
    }
    let seen = c.events_of(EventKind::Difficulty).len();
    let mut event = ComplaintEvent::new(id, EventKind::Difficulty, by, reason);
    event.difficulty = Some(difficulty);
    event.seen = Some(u32::try_from(seen).unwrap_or(u32::MAX));
    append(board, event, by)
}

/// Mark the complaint serious (required: why), at any status: it must then
/// be escalated ([`AlertKind::EscalateNow`]). Refused when already serious
/// on this replica.
pub fn mark_serious(
    board: &mut Automerge,
    id: &str,
    why: &str,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    let why = free_text::check("why it is serious", why, true, MAX_TEXT_CHARS)?;
    if existing(board, id)?.serious {
        return Err(Refusal::AlreadySerious(id.to_owned()).into());
    }
    append(
        board,
        ComplaintEvent::new(id, EventKind::Serious, by, why),
        by,
    )
}

/// Add a note (required), whatever the status.
pub fn note(
    board: &mut Automerge,
    id: &str,
    note: &str,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    let note = free_text::check("a note", note, true, MAX_TEXT_CHARS)?;
    existing(board, id)?;
    append(
        board,
        ComplaintEvent::new(id, EventKind::Note, by, note),
        by,
    )
}

/// Close the complaint with a remark, then remove it from the open index.
/// Anyone may once a reply is recorded and the latest return visit is not
/// unsatisfied (the remark may be blank); otherwise only a leader or
/// supervisor, with a reason (required). A serious complaint must be
/// escalated first. Refused when this replica already shows it closed.
pub fn close(
    board: &mut Automerge,
    index: &mut Automerge,
    id: &str,
    remark: &str,
    by: &Attribution,
) -> Result<Written, ModelError> {
    check_pair(board, index)?;
    let c = still_open(board, id)?;
    if c.serious && !c.is_escalated() {
        return Err(Refusal::NotEscalated(id.to_owned()).into());
    }
    let unsatisfied = c.satisfaction() == Some(Satisfaction::Unsatisfied);
    let override_needed = !c.replied() || unsatisfied;
    let remark = if override_needed {
        if by.role == Role::Staff {
            return Err(if c.replied() {
                Refusal::Unsatisfied(id.to_owned())
            } else {
                Refusal::NotReplied(id.to_owned())
            }
            .into());
        }
        free_text::check("the reason for closing", remark, true, MAX_TEXT_CHARS)?
    } else {
        free_text::check("a remark", remark, false, MAX_TEXT_CHARS)?
    };
    let closed = ComplaintEvent::new(id, EventKind::Closed, by, remark);
    let summary = summary(&closed);
    BOARDS.write(board, index, &[closed], &summary, Mark::Closed(id), by)
}

/// Make the index agree with the board (the truth) for the board's month,
/// as at most one change: every complaint the board shows open is put with
/// the board's month; every one it shows closed is removed if the index
/// points it at this month. Ids the board does not know are left alone.
/// Returns whether the index changed.
pub fn reconcile_index(
    board: &Automerge,
    index: &mut Automerge,
    by: &Attribution,
) -> Result<bool, ModelError> {
    let month = check_pair(board, index)?;
    let records = complaints(board)?
        .into_iter()
        .map(|c| (c.id.clone(), c.is_open()));
    BOARDS.reconcile(index, &month, records, by)
}

/// Every (id, month) the index lists, sorted; an id with concurrent
/// different months is listed once per month.
pub fn open_in_index(index: &Automerge) -> Result<Vec<(String, String)>, ModelError> {
    BOARDS.entries(index, free_text::is_month)
}

/// The months whose boards a device loads to show every open complaint:
/// `current` and every month in the index, oldest first, each once.
pub fn months_to_load(index: &Automerge, current: &str) -> Result<Vec<String>, ModelError> {
    free_text::validate_month(current)?;
    BOARDS.periods_to_load(index, current, free_text::is_month)
}
