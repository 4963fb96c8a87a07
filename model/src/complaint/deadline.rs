//! The deadlines of an owner's request or complaint, as a pure function of
//! the received local time, the complaint's facts, the site's deadline
//! settings and `now` — all local wall time ([`LocalDateTime`], minute
//! precision), so they are right across midnight and month and year ends.
//!
//! | deadline | due | met by the first event at or beyond |
//! |---|---|---|
//! | [`DeadlineKind::Respond`] | received + respond minutes (10, 000 standards) | responded |
//! | [`DeadlineKind::Forward`] | received + forward minutes (60, 003 §2.1) | forwarded |
//! | [`DeadlineKind::Preliminary`] | received + preliminary hours (24, 000 standards) | preliminary solution |
//! | [`DeadlineKind::Resolve`] | general: the same day (see below); hard: received + hard days (7, 002 table) | root cause and corrective action |
//!
//! **The same day** for a general issue (002: 当日; 003 §2.2: 原则上不过夜)
//! is the site's "same day until" hour H (1–24, default 24): a complaint
//! received before H:00 is due at H:00 that day; one received at or after
//! H:00 is due at H:00 the next day. With H = 24 that is the end of the
//! local day it was received (the next day's 00:00). A complaint whose
//! difficulty nobody judged yet counts as general.
//!
//! A deadline's state at `now`: met on time (met at or before due), met
//! late, overdue (not met and `now` after due) or pending. Escalation is
//! not a timed deadline: a serious complaint must be escalated at once,
//! so [`Escalation`] says since when it is needed and when it was done.
//!
//! The settings are an argument ([`DeadlineSettings`], from the site's
//! settings document), never constants.

use super::{Difficulty, Step};
use crate::ModelError;
use crate::schedule::{LocalDateTime, MINUTES_PER_DAY, MinuteOfDay};
use crate::settings::{Setting, SiteSettings};
use std::collections::BTreeMap;

/// A site's complaint deadlines (see the module table), each within
/// [`Setting::range`]. [`Default`] is the seeds'.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DeadlineSettings {
    respond_minutes: i64,
    forward_minutes: i64,
    preliminary_hours: i64,
    same_day_until_hour: i64,
    hard_days: i64,
}

impl Default for DeadlineSettings {
    fn default() -> Self {
        Self {
            respond_minutes: Setting::ComplaintRespondMinutes.default_value(),
            forward_minutes: Setting::ComplaintForwardMinutes.default_value(),
            preliminary_hours: Setting::ComplaintPreliminaryHours.default_value(),
            same_day_until_hour: Setting::ComplaintSameDayUntilHour.default_value(),
            hard_days: Setting::ComplaintHardDays.default_value(),
        }
    }
}

/// `value` if within `setting`'s range, else [`ModelError::OutOfRange`].
fn in_range(setting: Setting, value: i64) -> Result<i64, ModelError> {
    let (low, high) = setting.range();
    if (low..=high).contains(&value) {
        Ok(value)
    } else {
        Err(ModelError::OutOfRange {
            setting: setting.key(),
            low,
            high,
        })
    }
}

impl DeadlineSettings {
    /// Settings from explicit values; a value outside its setting's range
    /// is refused.
    pub fn new(
        respond_minutes: i64,
        forward_minutes: i64,
        preliminary_hours: i64,
        same_day_until_hour: i64,
        hard_days: i64,
    ) -> Result<Self, ModelError> {
        Ok(Self {
            respond_minutes: in_range(Setting::ComplaintRespondMinutes, respond_minutes)?,
            forward_minutes: in_range(Setting::ComplaintForwardMinutes, forward_minutes)?,
            preliminary_hours: in_range(Setting::ComplaintPreliminaryHours, preliminary_hours)?,
            same_day_until_hour: in_range(Setting::ComplaintSameDayUntilHour, same_day_until_hour)?,
            hard_days: in_range(Setting::ComplaintHardDays, hard_days)?,
        })
    }

    /// The site's settings (defaults where none was set).
    pub fn from_site(site: &SiteSettings<'_>) -> Result<Self, ModelError> {
        Self::new(
            site.get(Setting::ComplaintRespondMinutes)?,
            site.get(Setting::ComplaintForwardMinutes)?,
            site.get(Setting::ComplaintPreliminaryHours)?,
            site.get(Setting::ComplaintSameDayUntilHour)?,
            site.get(Setting::ComplaintHardDays)?,
        )
    }

    /// Minutes to the first response.
    pub fn respond_minutes(&self) -> i64 {
        self.respond_minutes
    }

    /// Minutes to forwarding.
    pub fn forward_minutes(&self) -> i64 {
        self.forward_minutes
    }

    /// Hours to a preliminary solution.
    pub fn preliminary_hours(&self) -> i64 {
        self.preliminary_hours
    }

    /// The hour (1–24) general issues are due by the same day.
    pub fn same_day_until_hour(&self) -> i64 {
        self.same_day_until_hour
    }

    /// Days to deal with a hard issue.
    pub fn hard_days(&self) -> i64 {
        self.hard_days
    }
}

/// Which deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DeadlineKind {
    /// The first response to the owner.
    Respond,
    /// The form forwarded to the handling department.
    Forward,
    /// A preliminary solution.
    Preliminary,
    /// Dealt with: root cause and corrective action.
    Resolve,
}

impl DeadlineKind {
    /// Every deadline, in the order they fall due by default.
    pub const ALL: [DeadlineKind; 4] = [
        DeadlineKind::Respond,
        DeadlineKind::Forward,
        DeadlineKind::Preliminary,
        DeadlineKind::Resolve,
    ];

    /// The step whose first event (or any later step's) meets it.
    pub fn step(self) -> Step {
        match self {
            Self::Respond => Step::Responded,
            Self::Forward => Step::Forwarded,
            Self::Preliminary => Step::Preliminary,
            Self::Resolve => Step::Corrected,
        }
    }

    /// The word for messages and logs.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Respond => "respond",
            Self::Forward => "forward",
            Self::Preliminary => "preliminary",
            Self::Resolve => "resolve",
        }
    }
}

/// Where a deadline stands at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DeadlineState {
    /// Not met, not due yet.
    Pending,
    /// Met at or before the due time.
    MetOnTime,
    /// Met after the due time.
    MetLate,
    /// Not met and past due.
    Overdue,
}

impl DeadlineState {
    /// The word for messages and logs.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::MetOnTime => "met-on-time",
            Self::MetLate => "met-late",
            Self::Overdue => "overdue",
        }
    }
}

/// One deadline of a complaint at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Deadline {
    /// Which.
    pub kind: DeadlineKind,
    /// When it is due, local wall time.
    pub due: LocalDateTime,
    /// When it was met (the first event at or beyond its step), if it was.
    pub met_at: Option<LocalDateTime>,
    /// Its state at `now`.
    pub state: DeadlineState,
}

impl Deadline {
    /// Minutes from `now` to the due time; negative once past due.
    pub fn minutes_left(&self, now: LocalDateTime) -> i64 {
        now.minutes_until(self.due)
    }

    /// Whether it was met, on time or late.
    pub fn is_met(&self) -> bool {
        self.met_at.is_some()
    }
}

/// What the deadlines of one complaint are computed from
/// ([`super::Complaint::facts`] builds it from a board).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    /// When it came in, local wall time.
    pub received: LocalDateTime,
    /// Its difficulty (general until judged).
    pub difficulty: Difficulty,
    /// For each step reached, the earliest local time of an event at or
    /// beyond it.
    pub reached: BTreeMap<Step, LocalDateTime>,
    /// Since when it is serious, if it is: the received time when serious
    /// at receipt, else when it was first marked serious.
    pub serious_since: Option<LocalDateTime>,
    /// When it was first escalated, if it was.
    pub escalated_at: Option<LocalDateTime>,
}

/// A serious complaint's escalation to the manager (003 §1.3.6: at once).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Escalation {
    /// Since when it has been needed (serious since).
    pub since: LocalDateTime,
    /// When it was escalated, if it was.
    pub at: Option<LocalDateTime>,
}

impl Escalation {
    /// Whether it is still needed (no escalation yet).
    pub fn is_needed(&self) -> bool {
        self.at.is_none()
    }
}

impl Facts {
    /// The escalation a serious complaint needs; `None` when not serious.
    pub fn escalation(&self) -> Option<Escalation> {
        self.serious_since.map(|since| Escalation {
            since,
            at: self.escalated_at,
        })
    }
}

/// When `kind` falls due for a complaint received at `received` with
/// `difficulty`, under `settings`.
pub fn due(
    kind: DeadlineKind,
    received: LocalDateTime,
    difficulty: Difficulty,
    settings: &DeadlineSettings,
) -> LocalDateTime {
    let per_day = i64::from(MINUTES_PER_DAY);
    match kind {
        DeadlineKind::Respond => received.add_minutes(settings.respond_minutes),
        DeadlineKind::Forward => received.add_minutes(settings.forward_minutes),
        DeadlineKind::Preliminary => received.add_minutes(settings.preliminary_hours * 60),
        DeadlineKind::Resolve => match difficulty {
            Difficulty::Hard => received.add_minutes(settings.hard_days * per_day),
            Difficulty::General => {
                let cutoff = settings.same_day_until_hour * 60;
                let start_of_day = LocalDateTime::new(received.date, MinuteOfDay::MIDNIGHT);
                let minute = i64::from(received.minute.as_minutes());
                let offset = if minute < cutoff {
                    cutoff
                } else {
                    cutoff + per_day
                };
                start_of_day.add_minutes(offset)
            }
        },
    }
}

/// Every deadline of the complaint `facts` describe, at `now`, in
/// [`DeadlineKind::ALL`] order.
pub fn deadlines(facts: &Facts, settings: &DeadlineSettings, now: LocalDateTime) -> Vec<Deadline> {
    DeadlineKind::ALL
        .into_iter()
        .map(|kind| {
            let due = due(kind, facts.received, facts.difficulty, settings);
            let met_at = facts.reached.get(&kind.step()).copied();
            let state = match met_at {
                Some(t) if t <= due => DeadlineState::MetOnTime,
                Some(_) => DeadlineState::MetLate,
                None if now > due => DeadlineState::Overdue,
                None => DeadlineState::Pending,
            };
            Deadline {
                kind,
                due,
                met_at,
                state,
            }
        })
        .collect()
}
