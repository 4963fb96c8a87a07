//! Contractor work permits (《工作联络单》, seed 001 §10 and §5.7(4)): a
//! contractor's work is applied for ahead with its scope, place, date and
//! time window, headcount and team; a leader or supervisor approves or
//! rejects it; security logs every entry and exit (people, and on leaving
//! the tools and materials check ✓/×); after the work an after-construction
//! sweep is walked on the checklist engine; then the permit is closed. It
//! can be cancelled before anyone came.
//!
//! ```text
//! board: one per site and month, purpose `permits/<YYYY-MM>`
//! ROOT
//! ├── schema  "shiftbook/permits/1"
//! ├── site, month                          ← written once, by genesis
//! └── events  [ PermitEvent, … ]           append-only, one fresh map each
//!               {permit, kind, by {person_id, person, role, device, at_ms},
//!                application?, people?, seen?, tools_ok?, sweep? {round, slot},
//!                text}
//! ```
//!
//! # Rules
//!
//! * **A board per month of the work date** ([`month_of`]), not of the
//!   device clock, like [`crate::followup`]: a permit applied in November
//!   for work on 1 December lives in December's board, where security
//!   looks on that day. The genesis is deterministic
//!   ([`crate::genesis::build`]), so every tablet creates the same board
//!   offline. A permit whose window crosses midnight at the month's end
//!   stays in the board of its start date.
//! * **Events, never edits.** Everything said about a permit is a fresh
//!   map appended to `events` in one attributed change
//!   ([`Attribution::commit_options`], summary `permit <kind> <id>`):
//!   `applied` (the whole application, one map), `approved`, `rejected`,
//!   `entered`, `exited`, `counted`, `sweep-started`, `closed`,
//!   `cancelled`, `note`.
//!   Nothing is created under a fixed key after genesis and nothing is
//!   overwritten, so a merge loses nothing: every event is in
//!   [`Permit::history`].
//! * **The permit id is the caller's** ([`crate::ids::is_key`]; the app
//!   draws it at random when the application is typed in). Applying an id
//!   this replica already holds is refused; if two tablets ever applied
//!   the same id concurrently, the first `applied` in list order is the
//!   application and every one is kept in [`Permit::applications`].
//! * **Status is a walk of the list, resolved to the furthest step.**
//!   automerge orders the list the same on every replica. Walking one
//!   permit's events collects its approvals, rejections, cancellations,
//!   movements (entries, exits, head counts), sweeps and closes; the status is the
//!   furthest step any of them reached, whatever their order
//!   ([`PermitStatus`]):
//!
//!   `applied < approved < cancelled < rejected < on site | left < swept < closed`
//!
//!   - *Decisions*: a rejection concurrent with an approval ends
//!     **rejected** (a "no" made without seeing the "yes" stands; the
//!     contractor applies again under a new id); a cancellation
//!     concurrent with an approval ends **cancelled**; a cancellation
//!     concurrent with a rejection ends **rejected** (the leader's reason
//!     is what the record shows). Both are terminal: this replica refuses
//!     to approve or let people in once it shows either.
//!   - *Facts outrank decisions*: people who came in did come in, so any
//!     entry (and exit, sweep, close) outranks a concurrent rejection or
//!     cancellation — the status follows the people (on site, left,
//!     swept, closed) so they are checked out, the site swept and the
//!     permit closed; the refused decision stays in the history and
//!     [`AlertKind::Unapproved`] says so until the permit is closed.
//!   - *On site and left are one step*, decided by the people count, not
//!     by rank: several entries and exits are normal (people go out for
//!     lunch), so [`Permit::on_site`] walks the movements in list order —
//!     plus the people of an entry, minus those of an exit (never below
//!     zero), a head count (`counted`) sets the number — and the permit is
//!     on site while that is above zero. An entry concurrent with an exit
//!     is therefore counted, never hidden by "left".
//!   - *Movements logged concurrently make the count unsure.* Two guards
//!     may log two groups at two gates — or the same group twice. Every
//!     movement stores `seen`, how many movements of the permit its
//!     writer's tablet held; since an appended element comes after
//!     everything its writer saw, the movements form one chain exactly
//!     when the k-th in list order has `seen == k`. Otherwise the sum is
//!     kept (never assuming people gone) and [`Permit::count_unsure`] and
//!     [`AlertKind::CountUnsure`] ask for a head count ([`count`]), which
//!     settles it — like a disputed item count elsewhere, nothing is
//!     picked silently. Sweeping and closing wait for a settled count.
//!   - A sweep or a close concurrent with a new entry keeps its status
//!     (swept, closed); the people are still counted in
//!     [`Permit::on_site`] and [`AlertKind::StillOnSite`] shows them once
//!     the window is over.
//! * **Who may do what.** Approve, reject and close: a leader or a
//!   supervisor ([`ModelError::NotAllowed`] otherwise). Apply, enter, exit,
//!   count, start the sweep, cancel and add notes: anyone on duty. Entering is
//!   not refused for want of an approval this tablet has not received (it
//!   may be offline while the paper form is approved): the entry is
//!   recorded and [`AlertKind::Unapproved`] shows until an approval
//!   arrives. Entering a permit this replica shows rejected, cancelled or
//!   closed is refused, and so is letting in more people than the
//!   application's headcount.
//! * **Exits** need an entry before them and at most the people on site;
//!   a × on the tools and materials check needs a note. Exits and head
//!   counts are never refused for the permit's status: people must always
//!   be checked out.
//! * **The sweep** is a checklist round of the built-in template
//!   [`SWEEP_TEMPLATE`] that the app starts on demand; the permit records
//!   the round's document id and slot ([`SweepRound`]), once everybody has
//!   left. Starting it again (a round abandoned) adds another; all are
//!   kept, the latest in list order is [`Permit::sweep`].
//! * **Closing** needs the sweep started, nobody on site and a settled
//!   count.
//! * **Cancelling** (with a reason) is possible until someone entered.
//! * Every refusal ([`Refusal`], [`ModelError::NotAllowed`],
//!   [`ModelError::BadDate`]) leaves the board unchanged.
//!
//! # Time
//!
//! Dates and windows are local wall time (`YYYY-MM-DD`, `HH:MM`; a window
//! whose end is not after its start ends the next day — night work).
//! Device times are milliseconds since the epoch. The two meet in
//! [`Permit::applied_late`] and [`alerts`], which take a conversion
//! `local: Fn(ms) -> Option<LocalDateTime>` as an argument: the app passes
//! its device-time-zone conversion, tests and fixed-offset sites
//! [`fixed_offset`]. Nothing here reads a clock.

use crate::ModelError;
use crate::attribution::{Attribution, Who};
use crate::event_board;
use crate::free_text::clip;
use crate::roster::Role;
use crate::schedule::{Date, LocalDateTime, MinuteOfDay};
use automerge::{Automerge, ChangeHash};
use autosurgeon::{Hydrate, Reconcile};

#[cfg(test)]
mod tests;

/// The schema tag of permit boards.
pub const SCHEMA: &str = "shiftbook/permits/1";

/// The built-in checklist template walked after the work
/// ([`crate::template::after_construction_sweep`]).
pub const SWEEP_TEMPLATE: &str = "after-construction";

/// The most characters of a scope, note or reason.
pub const MAX_TEXT_CHARS: usize = 1_000;

/// The most characters of a company, team leader or area name.
pub const MAX_NAME_CHARS: usize = 100;

/// The most characters of a phone number.
pub const MAX_PHONE_CHARS: usize = 32;

/// The largest headcount an application, entry or exit may give; larger
/// numbers are typing mistakes.
pub const MAX_HEADCOUNT: u32 = 500;

/// The `meaning` of [`ModelError::NotAllowed`] when an approval is refused.
pub const APPROVE_MEANING: &str = "permit-approval";

/// The `meaning` of [`ModelError::NotAllowed`] when a rejection is refused.
pub const REJECT_MEANING: &str = "permit-rejection";

/// The `meaning` of [`ModelError::NotAllowed`] when a close is refused.
pub const CLOSE_MEANING: &str = "permit-close";

/// What an event says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EventKind {
    /// The application (scope, place, date, window, headcount, team).
    Applied,
    /// Approved by a leader or supervisor, with an optional note.
    Approved,
    /// Rejected by a leader or supervisor, with a reason.
    Rejected,
    /// People came in (security).
    Entered,
    /// People left, with the tools and materials check.
    Exited,
    /// The people on site were counted (settles an unsure count).
    Counted,
    /// The after-construction sweep round was started.
    SweepStarted,
    /// Closed by a leader or supervisor.
    Closed,
    /// Cancelled before anyone came, with a reason.
    Cancelled,
    /// A note, at any time.
    Note,
}

crate::string_enum::string_enum!(EventKind, "a permit event kind", {
    Applied => "applied",
    Approved => "approved",
    Rejected => "rejected",
    Entered => "entered",
    Exited => "exited",
    Counted => "counted",
    SweepStarted => "sweep-started",
    Closed => "closed",
    Cancelled => "cancelled",
    Note => "note",
});

/// Where a permit stands, the furthest step its events reached (see the
/// module rules). Ordered by rank, except that [`PermitStatus::OnSite`]
/// and [`PermitStatus::Left`] are one step decided by the people count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PermitStatus {
    /// Applied, not decided yet.
    Applied,
    /// Approved, nobody came yet.
    Approved,
    /// Cancelled before anyone came (terminal).
    Cancelled,
    /// Rejected (terminal).
    Rejected,
    /// People on site now.
    OnSite,
    /// People came and everybody has left (for now).
    Left,
    /// The after-construction sweep was started.
    Swept,
    /// Closed.
    Closed,
}

impl PermitStatus {
    /// The word for messages and logs.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Applied => "applied",
            Self::Approved => "approved",
            Self::Cancelled => "cancelled",
            Self::Rejected => "rejected",
            Self::OnSite => "on-site",
            Self::Left => "left",
            Self::Swept => "swept",
            Self::Closed => "closed",
        }
    }
}

/// Why a permit change was refused (inside [`ModelError::Permit`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The permit id is not 1–64 letters, digits, `-` or `_`.
    #[error("not a permit id: {0:?}")]
    BadPermitId(String),
    /// A month that is not `YYYY-MM` (month 01–12).
    #[error("not a month (YYYY-MM): {0:?}")]
    BadMonth(String),
    /// The work date is not in the board's month.
    #[error("work on {date} belongs in the board of its month, not {month}")]
    OtherMonth {
        /// The work date.
        date: String,
        /// The board's month.
        month: String,
    },
    /// A required text is blank.
    #[error("{0} is required")]
    EmptyText(&'static str),
    /// A text longer than its limit.
    #[error("{field} is longer than {max} characters")]
    TooLong {
        /// Which text.
        field: &'static str,
        /// The limit in characters.
        max: usize,
    },
    /// The place names neither a show flat nor an area, or a flat id that
    /// is not a key.
    #[error("the place needs a show flat id or an area")]
    BadPlace,
    /// A phone number with other characters than digits, spaces and
    /// `+ - ( )`, or fewer than 3 digits.
    #[error("not a phone number: {0:?}")]
    BadPhone(String),
    /// A time window that starts and ends at the same minute.
    #[error("the time window starts and ends at {0}")]
    BadWindow(MinuteOfDay),
    /// An application's headcount of 0 or above [`MAX_HEADCOUNT`].
    #[error("the headcount must be 1 to {MAX_HEADCOUNT}, not {0}")]
    BadHeadcount(u32),
    /// An entry's or exit's people of 0 or above [`MAX_HEADCOUNT`].
    #[error("the number of people must be 1 to {MAX_HEADCOUNT}, not {0}")]
    BadPeople(u32),
    /// Letting in more people than the application's headcount.
    #[error("letting {people} in with {on_site} on site passes the headcount {headcount}")]
    OverHeadcount {
        /// The application's headcount.
        headcount: u32,
        /// People on site before this entry.
        on_site: u32,
        /// People entering.
        people: u32,
    },
    /// A × on the tools and materials check without a note.
    #[error("a × on the tools and materials check needs a note")]
    ToolsNoteRequired,
    /// The sweep's round is not a document id.
    #[error("not a round document id: {0:?}")]
    BadRound(String),
    /// The sweep's slot is not a key.
    #[error("not a round slot: {0:?}")]
    BadSlot(String),
    /// Applying under an id this board already holds.
    #[error("permit `{0}` already exists")]
    DuplicatePermit(String),
    /// No application under this id in this board.
    #[error("no permit `{0}` in this board")]
    UnknownPermit(String),
    /// Approving or rejecting an approved permit.
    #[error("permit `{0}` is already approved")]
    AlreadyApproved(String),
    /// The permit was rejected or cancelled.
    #[error("permit `{permit}` was {}", .kind.as_str())]
    Terminated {
        /// The permit.
        permit: String,
        /// [`EventKind::Rejected`] or [`EventKind::Cancelled`].
        kind: EventKind,
    },
    /// The permit is closed.
    #[error("permit `{0}` is closed")]
    Closed(String),
    /// An exit or head count with no entry before it.
    #[error("permit `{0}`: nobody has entered yet")]
    ExitBeforeEntry(String),
    /// More people leaving than are on site.
    #[error("{people} leaving but {on_site} on site")]
    NotOnSite {
        /// People on site.
        on_site: u32,
        /// People leaving.
        people: u32,
    },
    /// A sweep or close while people are on site.
    #[error("{0} people still on site")]
    PeopleOnSite(u32),
    /// A sweep or close while the count is unsure (movements logged
    /// concurrently): count the people first.
    #[error("permit `{0}`: the people on site need counting first")]
    CountUnsure(String),
    /// Any other step out of order (cancel after entry, sweep before
    /// anyone came, close before the sweep).
    #[error("permit `{permit}` is {}: cannot {action}", .status.as_str())]
    WrongStatus {
        /// The permit.
        permit: String,
        /// Its status on this replica.
        status: PermitStatus,
        /// What was refused.
        action: &'static str,
    },
}

/// Where the work is: a show flat, an area, or both (an area of a flat).
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate)]
pub struct Place {
    /// The show flat's id ([`crate::show_flat`]), if in a show flat.
    pub flat: Option<String>,
    /// The area in words ("2号楼大堂", "主卧"); may be empty with a flat.
    pub area: String,
}

/// The contractor's team (施工队伍).
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate)]
pub struct Team {
    /// The company (施工单位).
    pub company: String,
    /// The team leader's name (施工负责人).
    pub leader: String,
    /// The team leader's phone.
    pub phone: String,
}

/// The application as the contractor filled in the 《工作联络单》.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate)]
pub struct Application {
    /// What is to be done (施工项目、范围).
    pub scope: String,
    /// Where.
    pub place: Place,
    /// The work date, `YYYY-MM-DD`; its month picks the board.
    pub date: String,
    /// Window start, local time.
    pub from: MinuteOfDay,
    /// Window end, local time; not after `from` means the next day.
    pub to: MinuteOfDay,
    /// How many people (施工人数).
    pub headcount: u32,
    /// The team.
    pub team: Team,
}

impl Application {
    /// The window's start and end as local date-times (the end the next
    /// day when `to` is not after `from`); `None` if the stored date is
    /// not a date.
    pub fn window(&self) -> Option<(LocalDateTime, LocalDateTime)> {
        let date = Date::parse(&self.date).ok()?;
        let start = LocalDateTime::new(date, self.from);
        let end_date = if self.to > self.from {
            date
        } else {
            date.checked_add_days(1)?
        };
        Some((start, LocalDateTime::new(end_date, self.to)))
    }

    /// The same application with texts trimmed, checked: refuses blank or
    /// over-long texts, a place with neither flat nor area, a bad phone, a
    /// window of zero length, a headcount outside 1–[`MAX_HEADCOUNT`] and a
    /// date that is not on the calendar.
    fn validated(&self) -> Result<Self, ModelError> {
        let scope = checked_text("scope", &self.scope, MAX_TEXT_CHARS, true)?;
        let area = checked_text("area", &self.place.area, MAX_NAME_CHARS, false)?;
        let flat = match &self.place.flat {
            Some(f) if crate::ids::is_key(f.trim()) => Some(f.trim().to_owned()),
            Some(_) => return Err(Refusal::BadPlace.into()),
            None => None,
        };
        if flat.is_none() && area.is_empty() {
            return Err(Refusal::BadPlace.into());
        }
        Date::parse(&self.date).map_err(|_| ModelError::BadDate(clip(&self.date)))?;
        if self.from == self.to {
            return Err(Refusal::BadWindow(self.from).into());
        }
        if !(1..=MAX_HEADCOUNT).contains(&self.headcount) {
            return Err(Refusal::BadHeadcount(self.headcount).into());
        }
        let company = checked_text("company", &self.team.company, MAX_NAME_CHARS, true)?;
        let leader = checked_text("team leader", &self.team.leader, MAX_NAME_CHARS, true)?;
        let phone = self.team.phone.trim();
        let phone_ok = phone.chars().count() <= MAX_PHONE_CHARS
            && phone
                .chars()
                .all(|c| c.is_ascii_digit() || " +-()".contains(c))
            && phone.chars().filter(char::is_ascii_digit).count() >= 3;
        if !phone_ok {
            return Err(Refusal::BadPhone(clip(phone)).into());
        }
        Ok(Self {
            scope,
            place: Place { flat, area },
            date: self.date.clone(),
            from: self.from,
            to: self.to,
            headcount: self.headcount,
            team: Team {
                company,
                leader,
                phone: phone.to_owned(),
            },
        })
    }
}

/// The checklist round of a permit's after-construction sweep.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate)]
pub struct SweepRound {
    /// The round's (checklist's) document id, as [`crate::DocumentId`]
    /// displays it.
    pub round: String,
    /// The round's slot (an on-demand slot,
    /// [`crate::checklist::on_demand_slot`]).
    pub slot: String,
}

/// One event of a permit, as stored in the board's `events`.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate)]
pub struct PermitEvent {
    /// The permit id.
    pub permit: String,
    /// What the event says.
    pub kind: EventKind,
    /// Who wrote it and when (an entry's or exit's time is `by.at_ms`).
    pub by: Who,
    /// The application: set on `applied` events.
    pub application: Option<Application>,
    /// How many people came in, left or were counted on site: set on
    /// `entered`, `exited` and `counted`.
    pub people: Option<u32>,
    /// How many movements (`entered`, `exited`, `counted`) of the permit
    /// the writer's tablet held: set on those three.
    pub seen: Option<u32>,
    /// The tools and materials check ✓ (`true`) / × (`false`): set on
    /// `exited`.
    pub tools_ok: Option<bool>,
    /// The sweep round: set on `sweep-started`.
    pub sweep: Option<SweepRound>,
    /// The note, reason or check note; may be empty where optional.
    pub text: String,
}

impl PermitEvent {
    fn new(permit: &str, kind: EventKind, by: &Attribution, text: &str) -> Self {
        Self {
            permit: permit.to_owned(),
            kind,
            by: Who::from(by),
            application: None,
            people: None,
            seen: None,
            tools_ok: None,
            sweep: None,
            text: text.trim().to_owned(),
        }
    }
}

/// One permit as a board shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Permit {
    /// The permit id.
    pub id: String,
    /// The application (the first `applied` event's).
    pub application: Application,
    /// Every `applied` event, in list order (one unless an id was reused
    /// concurrently).
    pub applications: Vec<PermitEvent>,
    /// The furthest step reached.
    pub status: PermitStatus,
    /// People on site now, from the movements in list order.
    pub on_site: u32,
    /// Whether movements were logged concurrently (not one chain) since
    /// the last head count that saw all before it.
    pub count_unsure: bool,
    /// Every `approved` event, in list order.
    pub approvals: Vec<PermitEvent>,
    /// Every `rejected` event, in list order.
    pub rejections: Vec<PermitEvent>,
    /// Every `cancelled` event, in list order.
    pub cancellations: Vec<PermitEvent>,
    /// Every `entered`, `exited` and `counted` event, in list order.
    pub movements: Vec<PermitEvent>,
    /// Every `sweep-started` event, in list order.
    pub sweeps: Vec<PermitEvent>,
    /// Every `closed` event, in list order.
    pub closes: Vec<PermitEvent>,
    /// Every `note` event, in list order.
    pub notes: Vec<PermitEvent>,
    /// Every event of this permit, in list order.
    pub history: Vec<PermitEvent>,
}

impl Permit {
    /// Who applied, and when (the first application's writer).
    pub fn applied_by(&self) -> &Who {
        &self.applications[0].by
    }

    /// The latest sweep round started, in list order.
    pub fn sweep(&self) -> Option<&SweepRound> {
        self.sweeps.iter().rev().find_map(|e| e.sweep.as_ref())
    }

    /// Every exit whose tools and materials check was ×.
    pub fn tools_failures(&self) -> Vec<&PermitEvent> {
        self.movements
            .iter()
            .filter(|e| e.kind == EventKind::Exited && e.tools_ok == Some(false))
            .collect()
    }

    /// Whether the application was made fewer than `min_days_ahead` days
    /// before the work date (the seed asks for 2): the local date of the
    /// application's device time (`local`) against the work date. A time
    /// or date that cannot be read counts as late, so it is looked at.
    pub fn applied_late(
        &self,
        min_days_ahead: u32,
        local: impl Fn(i64) -> Option<LocalDateTime>,
    ) -> bool {
        let (Some(applied), Ok(work)) = (
            local(self.applied_by().at_ms),
            Date::parse(&self.application.date),
        ) else {
            return true;
        };
        work.days_since_epoch() - applied.date.days_since_epoch() < i64::from(min_days_ahead)
    }

    /// Whether anyone came in, and the permit holds no approval or was
    /// rejected or cancelled.
    fn unapproved_entry(&self) -> bool {
        let entered = self.movements.iter().any(|e| e.kind == EventKind::Entered);
        let refused = !self.rejections.is_empty() || !self.cancellations.is_empty();
        entered && (self.approvals.is_empty() || refused)
    }
}

/// Something about a permit that needs someone's attention now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alert {
    /// The permit id.
    pub permit: String,
    /// What.
    pub kind: AlertKind,
}

/// What an [`Alert`] is about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum AlertKind {
    /// People still on site after the window's end (whatever the status).
    StillOnSite {
        /// People on site.
        on_site: u32,
    },
    /// Everybody left, the window is over, and no sweep was started.
    NoSweep,
    /// Approved, the window is over, and nobody came.
    NobodyCame,
    /// Exits with a × on the tools and materials check (until closed).
    ToolsCheckFailed {
        /// How many exits.
        exits: usize,
    },
    /// More people on site than the application's headcount (or one
    /// group logged on two tablets).
    OverHeadcount {
        /// People on site.
        on_site: u32,
        /// The application's headcount.
        headcount: u32,
    },
    /// Movements were logged on several tablets at once: count the
    /// people on site ([`count`]), until closed.
    CountUnsure,
    /// People came in, and the permit holds no approval or was rejected
    /// or cancelled (until closed).
    Unapproved,
}

/// `s` trimmed, at most `max` characters, non-empty if `required`.
fn checked_text(
    field: &'static str,
    s: &str,
    max: usize,
    required: bool,
) -> Result<String, ModelError> {
    let s = s.trim();
    if required && s.is_empty() {
        return Err(Refusal::EmptyText(field).into());
    }
    if s.chars().count() > max {
        return Err(Refusal::TooLong { field, max }.into());
    }
    Ok(s.to_owned())
}

/// Check that `month` is `YYYY-MM` with a month 01–12.
pub fn validate_month(month: &str) -> Result<(), ModelError> {
    if crate::free_text::is_month(month) {
        Ok(())
    } else {
        Err(Refusal::BadMonth(clip(month)).into())
    }
}

/// The month (`YYYY-MM`) of a work date (`YYYY-MM-DD`): the board it goes
/// in.
pub fn month_of(date: &str) -> Result<String, ModelError> {
    Date::parse(date).map_err(|_| ModelError::BadDate(clip(date)))?;
    Ok(date[..7].to_owned())
}

/// The purpose that derives the board's id for `month`: `permits/<YYYY-MM>`.
pub fn purpose(month: &str) -> String {
    format!("permits/{month}")
}

/// The id of the site's board for `month`.
pub fn document_id(site_key: &impl crate::ids::Derive, month: &str) -> crate::DocumentId {
    site_key.derive(&purpose(month))
}

/// Build the board's first change, identical on every device.
pub fn genesis(site: &str, month: &str) -> Result<Automerge, ModelError> {
    validate_month(month)?;
    event_board::monthly_genesis(SCHEMA, site, month)
}

/// The local wall time at a device time for a site at a fixed offset
/// from UTC (`offset_minutes`, +480 for China): a `local` argument of
/// [`Permit::applied_late`] and [`alerts`].
pub fn fixed_offset(offset_minutes: i32) -> impl Fn(i64) -> Option<LocalDateTime> + Copy {
    move |ms: i64| {
        LocalDateTime::from_epoch_minutes(ms.div_euclid(60_000) + i64::from(offset_minutes))
    }
}

/// The board's month, `YYYY-MM`.
pub fn board_month(board: &Automerge) -> Result<String, ModelError> {
    event_board::field(board, SCHEMA, "month")
}

/// Every event of the board, in list order (the same on every replica).
pub fn events(board: &Automerge) -> Result<Vec<PermitEvent>, ModelError> {
    event_board::events(board, SCHEMA)
}

/// Build the view of one permit from its events in list order; `None`
/// when it has no `applied` event.
fn build(id: &str, history: Vec<PermitEvent>) -> Option<Permit> {
    let mut applications = Vec::new();
    let (mut approvals, mut rejections, mut cancellations) = (Vec::new(), Vec::new(), Vec::new());
    let (mut movements, mut sweeps, mut closes, mut notes) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut on_site: u32 = 0;
    let mut count_unsure = false;
    for event in &history {
        if matches!(
            event.kind,
            EventKind::Entered | EventKind::Exited | EventKind::Counted
        ) {
            let chained = event.seen.map(u64::from) == Some(movements.len() as u64);
            let people = event.people.unwrap_or(0);
            match event.kind {
                EventKind::Entered => on_site = on_site.saturating_add(people),
                EventKind::Exited => on_site = on_site.saturating_sub(people),
                _ => {
                    on_site = people;
                    if chained {
                        count_unsure = false;
                    }
                }
            }
            count_unsure |= !chained;
        }
        let list = match event.kind {
            EventKind::Applied => &mut applications,
            EventKind::Approved => &mut approvals,
            EventKind::Rejected => &mut rejections,
            EventKind::Cancelled => &mut cancellations,
            EventKind::Entered | EventKind::Exited | EventKind::Counted => &mut movements,
            EventKind::SweepStarted => &mut sweeps,
            EventKind::Closed => &mut closes,
            EventKind::Note => &mut notes,
        };
        list.push(event.clone());
    }
    let application = applications.iter().find_map(|e| e.application.clone())?;
    let status = if !closes.is_empty() {
        PermitStatus::Closed
    } else if !sweeps.is_empty() {
        PermitStatus::Swept
    } else if !movements.is_empty() {
        if on_site > 0 {
            PermitStatus::OnSite
        } else {
            PermitStatus::Left
        }
    } else if !rejections.is_empty() {
        PermitStatus::Rejected
    } else if !cancellations.is_empty() {
        PermitStatus::Cancelled
    } else if !approvals.is_empty() {
        PermitStatus::Approved
    } else {
        PermitStatus::Applied
    };
    Some(Permit {
        id: id.to_owned(),
        application,
        applications,
        status,
        on_site,
        count_unsure,
        approvals,
        rejections,
        cancellations,
        movements,
        sweeps,
        closes,
        notes,
        history,
    })
}

/// Every permit applied for in the board, by work date, window start and
/// id. Events of an id never applied for (which this module never
/// writes) are left out here and kept in [`events`].
pub fn permits(board: &Automerge) -> Result<Vec<Permit>, ModelError> {
    let mut out: Vec<Permit> = event_board::by_record(events(board)?, |e| &e.permit)
        .into_iter()
        .filter_map(|(id, history)| build(&id, history))
        .collect();
    crate::sort_once::sort_by(&mut out, |a, b| {
        (&a.application.date, a.application.from, &a.id).cmp(&(
            &b.application.date,
            b.application.from,
            &b.id,
        ))
    });
    Ok(out)
}

/// The permit `id` as the board shows it; `None` when it was not applied
/// for in this board.
pub fn permit(board: &Automerge, id: &str) -> Result<Option<Permit>, ModelError> {
    let history = events(board)?
        .into_iter()
        .filter(|e| e.permit == id)
        .collect();
    Ok(build(id, history))
}

/// The permits whose window falls on `date` (`YYYY-MM-DD`, local), in
/// window order: work on that date, and night work of the day before that
/// runs past midnight. Rejected and cancelled ones (nobody came) are left
/// out; every other status is listed. A board holds one month: on the
/// first of a month, also ask the previous month's board.
pub fn expected_on(board: &Automerge, date: &str) -> Result<Vec<Permit>, ModelError> {
    let day = Date::parse(date).map_err(|_| ModelError::BadDate(clip(date)))?;
    let day_start = LocalDateTime::new(day, MinuteOfDay::MIDNIGHT);
    let day_end = match day.checked_add_days(1) {
        Some(next) => LocalDateTime::new(next, MinuteOfDay::MIDNIGHT),
        None => LocalDateTime::MAX,
    };
    let mut out: Vec<(LocalDateTime, Permit)> = permits(board)?
        .into_iter()
        .filter(|p| !matches!(p.status, PermitStatus::Rejected | PermitStatus::Cancelled))
        .filter_map(|p| {
            let (start, end) = p.application.window()?;
            (start < day_end && end > day_start).then_some((start, p))
        })
        .collect();
    crate::sort_once::sort_by(&mut out, |(a, p), (b, q)| (a, &p.id).cmp(&(b, &q.id)));
    Ok(out.into_iter().map(|(_, p)| p).collect())
}

/// The alerts of every permit of the board at device time `now_ms` (local
/// wall time by `local`), by permit (in [`permits`] order) and kind:
///
/// * [`AlertKind::StillOnSite`]: people on site after the window's end,
///   whatever the status;
/// * [`AlertKind::NoSweep`]: everybody left (status left), the window is
///   over, and no sweep started — before the end people may come back
///   from lunch;
/// * [`AlertKind::NobodyCame`]: approved, the window is over, nobody came;
/// * [`AlertKind::ToolsCheckFailed`]: exits with a × check, until closed;
/// * [`AlertKind::OverHeadcount`]: more on site than applied for;
/// * [`AlertKind::CountUnsure`]: movements logged concurrently, until a
///   head count or the close;
/// * [`AlertKind::Unapproved`]: people came in without an approval on
///   record, or the permit was rejected or cancelled, until closed.
///
/// Time alerts are skipped for a permit whose window cannot be read, and
/// for all when `now_ms` cannot be converted.
pub fn alerts(
    board: &Automerge,
    now_ms: i64,
    local: impl Fn(i64) -> Option<LocalDateTime>,
) -> Result<Vec<Alert>, ModelError> {
    let now = local(now_ms);
    let mut out = Vec::new();
    for p in permits(board)? {
        let over = match (now, p.application.window()) {
            (Some(now), Some((_, end))) => now >= end,
            _ => false,
        };
        let closed = p.status == PermitStatus::Closed;
        let mut kinds = Vec::new();
        if over && p.on_site > 0 {
            kinds.push(AlertKind::StillOnSite { on_site: p.on_site });
        }
        if over && p.status == PermitStatus::Left {
            kinds.push(AlertKind::NoSweep);
        }
        if over && p.status == PermitStatus::Approved {
            kinds.push(AlertKind::NobodyCame);
        }
        let failures = p.tools_failures().len();
        if failures > 0 && !closed {
            kinds.push(AlertKind::ToolsCheckFailed { exits: failures });
        }
        if p.on_site > p.application.headcount {
            kinds.push(AlertKind::OverHeadcount {
                on_site: p.on_site,
                headcount: p.application.headcount,
            });
        }
        if p.count_unsure && !closed {
            kinds.push(AlertKind::CountUnsure);
        }
        if p.unapproved_entry() && !closed {
            kinds.push(AlertKind::Unapproved);
        }
        out.extend(kinds.into_iter().map(|kind| Alert {
            permit: p.id.clone(),
            kind,
        }));
    }
    Ok(out)
}

/// The permit `id`, which must have been applied for in this board.
fn existing(board: &Automerge, id: &str) -> Result<Permit, ModelError> {
    if !crate::ids::is_key(id) {
        return Err(Refusal::BadPermitId(clip(id)).into());
    }
    permit(board, id)?.ok_or_else(|| Refusal::UnknownPermit(id.to_owned()).into())
}

/// Refuse a role other than leader or supervisor.
fn leader_or_supervisor(by: &Attribution, meaning: &'static str) -> Result<(), ModelError> {
    match by.role {
        Role::Leader | Role::Supervisor => Ok(()),
        Role::Staff => Err(ModelError::NotAllowed {
            role: by.role.as_str(),
            meaning,
        }),
    }
}

/// Refuse a permit that was rejected or cancelled, or is closed.
fn still_open(p: &Permit) -> Result<(), ModelError> {
    if !p.closes.is_empty() {
        return Err(Refusal::Closed(p.id.clone()).into());
    }
    if let Some(e) = p.rejections.first().or(p.cancellations.first()) {
        return Err(Refusal::Terminated {
            permit: p.id.clone(),
            kind: e.kind,
        }
        .into());
    }
    Ok(())
}

/// Refuse people outside 1–[`MAX_HEADCOUNT`].
fn check_people(people: u32) -> Result<(), ModelError> {
    if (1..=MAX_HEADCOUNT).contains(&people) {
        Ok(())
    } else {
        Err(Refusal::BadPeople(people).into())
    }
}

/// Append `event` to the board as one change by `by`.
fn append(
    board: &mut Automerge,
    event: &PermitEvent,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    let summary = format!("permit {} {}", event.kind.as_str(), event.permit);
    event_board::append(
        board,
        SCHEMA,
        std::slice::from_ref(event),
        by.commit_options(&summary),
    )
}

/// Apply for permit `id` (a key the caller drew) with `application`, as
/// `by` (anyone; usually the front desk typing in the contractor's form):
/// an `applied` event in the board of the work date's month. Texts are
/// stored trimmed. A late application is stored and flagged
/// ([`Permit::applied_late`]), not refused.
pub fn apply(
    board: &mut Automerge,
    id: &str,
    application: &Application,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    let month = board_month(board)?;
    event_board::list(board, SCHEMA)?;
    if !crate::ids::is_key(id) {
        return Err(Refusal::BadPermitId(clip(id)).into());
    }
    let application = application.validated()?;
    if month_of(&application.date)? != month {
        return Err(Refusal::OtherMonth {
            date: application.date,
            month,
        }
        .into());
    }
    if permit(board, id)?.is_some() {
        return Err(Refusal::DuplicatePermit(id.to_owned()).into());
    }
    let mut event = PermitEvent::new(id, EventKind::Applied, by, "");
    event.application = Some(application);
    append(board, &event, by)
}

/// Approve permit `id` with an optional note (conditions). Only a leader
/// or supervisor; refused when this replica shows it approved, rejected,
/// cancelled or closed. An approval after people already came in is
/// allowed (it clears [`AlertKind::Unapproved`]).
pub fn approve(
    board: &mut Automerge,
    id: &str,
    note: &str,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    decide(board, id, EventKind::Approved, note, by)
}

/// Reject permit `id` with a reason (required). Only a leader or
/// supervisor; refused when this replica shows it approved, rejected,
/// cancelled or closed.
pub fn reject(
    board: &mut Automerge,
    id: &str,
    reason: &str,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    decide(board, id, EventKind::Rejected, reason, by)
}

/// A leader's or supervisor's decision on permit `id`: `approved` with an
/// optional note, or `rejected` with a reason (required). Refused when
/// this replica shows it approved, rejected, cancelled or closed.
fn decide(
    board: &mut Automerge,
    id: &str,
    kind: EventKind,
    text: &str,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    let (meaning, what, required) = if kind == EventKind::Approved {
        (APPROVE_MEANING, "note", false)
    } else {
        (REJECT_MEANING, "reason", true)
    };
    leader_or_supervisor(by, meaning)?;
    let text = checked_text(what, text, MAX_TEXT_CHARS, required)?;
    let p = existing(board, id)?;
    still_open(&p)?;
    if !p.approvals.is_empty() {
        return Err(Refusal::AlreadyApproved(id.to_owned()).into());
    }
    append(board, &PermitEvent::new(id, kind, by, &text), by)
}

/// Log that `people` came in on permit `id` (security, anyone on duty),
/// at `by.at_ms`, with an optional note. Refused when this replica shows
/// the permit rejected, cancelled or closed, or when it would put more
/// people on site than the application's headcount.
pub fn enter(
    board: &mut Automerge,
    id: &str,
    people: u32,
    note: &str,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    check_people(people)?;
    let note = checked_text("note", note, MAX_TEXT_CHARS, false)?;
    let p = existing(board, id)?;
    still_open(&p)?;
    let headcount = p.application.headcount;
    if p.on_site.saturating_add(people) > headcount {
        return Err(Refusal::OverHeadcount {
            headcount,
            on_site: p.on_site,
            people,
        }
        .into());
    }
    let mut event = PermitEvent::new(id, EventKind::Entered, by, &note);
    event.people = Some(people);
    event.seen = Some(seen(&p));
    append(board, &event, by)
}

/// Log that `people` left on permit `id` (anyone on duty), at `by.at_ms`,
/// with the tools and materials check (`tools_ok`: ✓ `true`, × `false`;
/// a × needs `note`). Refused with no entry before it or more people than
/// are on site; never for the permit's status.
pub fn exit(
    board: &mut Automerge,
    id: &str,
    people: u32,
    tools_ok: bool,
    note: &str,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    check_people(people)?;
    let note = checked_text("note", note, MAX_TEXT_CHARS, false)?;
    if !tools_ok && note.is_empty() {
        return Err(Refusal::ToolsNoteRequired.into());
    }
    let p = existing(board, id)?;
    if !p.movements.iter().any(|e| e.kind == EventKind::Entered) {
        return Err(Refusal::ExitBeforeEntry(id.to_owned()).into());
    }
    if people > p.on_site {
        return Err(Refusal::NotOnSite {
            on_site: p.on_site,
            people,
        }
        .into());
    }
    let mut event = PermitEvent::new(id, EventKind::Exited, by, &note);
    event.people = Some(people);
    event.seen = Some(seen(&p));
    event.tools_ok = Some(tools_ok);
    append(board, &event, by)
}

/// Record a head count of permit `id`: `people` (0 to [`MAX_HEADCOUNT`])
/// are on site now, as counted by `by` (anyone on duty), with an optional
/// note. It sets [`Permit::on_site`] and settles an unsure count. Refused
/// before anyone entered; never for the permit's status.
pub fn count(
    board: &mut Automerge,
    id: &str,
    people: u32,
    note: &str,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    if people > MAX_HEADCOUNT {
        return Err(Refusal::BadPeople(people).into());
    }
    let note = checked_text("note", note, MAX_TEXT_CHARS, false)?;
    let p = existing(board, id)?;
    if !p.movements.iter().any(|e| e.kind == EventKind::Entered) {
        return Err(Refusal::ExitBeforeEntry(id.to_owned()).into());
    }
    let mut event = PermitEvent::new(id, EventKind::Counted, by, &note);
    event.people = Some(people);
    event.seen = Some(seen(&p));
    append(board, &event, by)
}

/// `Ok` when permit `p` is not closed and nobody is on site for sure (a
/// sweep may start, the permit may close).
fn site_clear(p: &Permit) -> Result<(), ModelError> {
    if !p.closes.is_empty() {
        return Err(Refusal::Closed(p.id.clone()).into());
    }
    if p.on_site > 0 {
        return Err(Refusal::PeopleOnSite(p.on_site).into());
    }
    if p.count_unsure {
        return Err(Refusal::CountUnsure(p.id.clone()).into());
    }
    Ok(())
}

/// The `seen` of a new movement: how many movements this replica holds.
fn seen(p: &Permit) -> u32 {
    u32::try_from(p.movements.len()).unwrap_or(u32::MAX)
}

/// Record that the after-construction sweep of permit `id` was started as
/// round `round` (a checklist document id of template [`SWEEP_TEMPLATE`])
/// in slot `slot` (anyone on duty). Refused while people are on site or
/// the count is unsure, before anyone came, and once closed.
pub fn start_sweep(
    board: &mut Automerge,
    id: &str,
    round: &str,
    slot: &str,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    let canonical = round
        .parse::<crate::DocumentId>()
        .is_ok_and(|d| d.to_string() == round);
    if !canonical {
        return Err(Refusal::BadRound(clip(round)).into());
    }
    if !crate::ids::is_key(slot) {
        return Err(Refusal::BadSlot(clip(slot)).into());
    }
    let p = existing(board, id)?;
    site_clear(&p)?;
    if !matches!(p.status, PermitStatus::Left | PermitStatus::Swept) {
        return Err(Refusal::WrongStatus {
            permit: id.to_owned(),
            status: p.status,
            action: "start the sweep",
        }
        .into());
    }
    let mut event = PermitEvent::new(id, EventKind::SweepStarted, by, "");
    event.sweep = Some(SweepRound {
        round: round.to_owned(),
        slot: slot.to_owned(),
    });
    append(board, &event, by)
}

/// Close permit `id` with an optional note. Only a leader or supervisor;
/// refused before the sweep was started, while people are on site or the
/// count is unsure, and when already closed.
pub fn close(
    board: &mut Automerge,
    id: &str,
    note: &str,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    leader_or_supervisor(by, CLOSE_MEANING)?;
    let note = checked_text("note", note, MAX_TEXT_CHARS, false)?;
    let p = existing(board, id)?;
    site_clear(&p)?;
    if p.status != PermitStatus::Swept {
        return Err(Refusal::WrongStatus {
            permit: id.to_owned(),
            status: p.status,
            action: "close",
        }
        .into());
    }
    append(
        board,
        &PermitEvent::new(id, EventKind::Closed, by, &note),
        by,
    )
}

/// Cancel permit `id` with a reason (required), as anyone on duty (the
/// contractor called it off). Refused once someone came in, and when this
/// replica shows it rejected, cancelled or closed.
pub fn cancel(
    board: &mut Automerge,
    id: &str,
    reason: &str,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    let reason = checked_text("reason", reason, MAX_TEXT_CHARS, true)?;
    let p = existing(board, id)?;
    still_open(&p)?;
    if !p.movements.is_empty() {
        return Err(Refusal::WrongStatus {
            permit: id.to_owned(),
            status: p.status,
            action: "cancel",
        }
        .into());
    }
    append(
        board,
        &PermitEvent::new(id, EventKind::Cancelled, by, &reason),
        by,
    )
}

/// Add a note (required text) to permit `id`, whatever its status.
pub fn note(
    board: &mut Automerge,
    id: &str,
    text: &str,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    let note = checked_text("note", text, MAX_TEXT_CHARS, true)?;
    existing(board, id)?;
    append(board, &PermitEvent::new(id, EventKind::Note, by, &note), by)
}
