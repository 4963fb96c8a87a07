//! Schedules of patrol rounds, and which rounds are due, next, late and
//! missed — computed offline from the device clock.
//!
//! Everything here is local wall time: the app turns the device clock into a
//! [`LocalDateTime`] (a [`Date`] and a [`MinuteOfDay`]) and passes it in.
//! Nothing reads a clock; daylight saving is not modelled (local wall time
//! in, local wall time out). Dates are proleptic Gregorian, years
//! 0000–9999, computed with Howard Hinnant's `days_from_civil` /
//! `civil_from_days`.
//!
//! # Kinds of schedule
//!
//! A [`Schedule`] is stored in a template's document. Every kind has `days`
//! ([`Weekdays`], the days of the week it runs — the site's "working days";
//! all seven for a 24/7 post) and `grace_minutes`.
//!
//! * [`Schedule::Fixed`] — at fixed times of the day (lobby opening
//!   inspection at 08:30). One slot per time, due at that time. Its
//!   deadline is the next fixed time of the same day; **the last time of the
//!   day runs until the end of its day** (next day 00:00). A fixed time
//!   after midnight (02:00) belongs to the calendar day it falls on.
//! * [`Schedule::Every`] — every N minutes within a window `from`–`to`
//!   (show-flat night round every 30 minutes, 18:00–08:00). The window may
//!   cross midnight; `from == to` is refused (ambiguous: empty or 24 h).
//!   Slots are due at `from`, `from + N`, … while inside the window; each
//!   slot's deadline is the next slot's due time, and the last slot's is the
//!   window's end (so a last slot may be shorter than N).
//! * [`Schedule::TimesPerDay`] — N times within a window (public-area patrol
//!   twice per working day, 08:00–20:00): the window is split into `count`
//!   equal parts (whole minutes; part `i` runs from `from + ⌊i·len/count⌋`
//!   to `from + ⌊(i+1)·len/count⌋`). A part is one slot, due at its start
//!   and to be done within it: its deadline is the part's end.
//! * [`Schedule::Monthly`] — once a month on `day_of_month` at `at` (fire
//!   equipment check). Day 31 in a shorter month means its last day (Feb
//!   2028 → 29th). If that day is not one of `days`, the slot moves to the
//!   next day that is (a Mon–Fri monthly check on Saturday 31 October is
//!   due on Monday 2 November), so a month is never silently skipped. The
//!   deadline is the end of the slot's day (next day 00:00).
//!
//! # Service date and keys
//!
//! Every [`Slot`] belongs to a *service date*: the date its window starts
//! on. The 07:30 slot of the 18:00–08:00 window of Friday is due on Saturday
//! morning but belongs to Friday — and runs only if Friday is one of the
//! schedule's `days`. A slot's `key` is short and stable: the due time as
//! `HHMM` ("0830", "1800", "0730") for fixed, every and times-per-day, and
//! `"m"` for monthly. Keys are unique per (schedule, service date), so every
//! tablet derives the same round id from (template id, service date, key)
//! on its own.
//!
//! # Due, late, missed
//!
//! A slot is *upcoming* before `due`; *due* from `due` for `grace_minutes`
//! (until [`Slot::late_from`]); *late* from then until `deadline`; *missed*
//! from `deadline` on — all boundaries at whole minutes, the start included
//! and the end excluded. The grace never reaches past the deadline
//! (`late_from = min(due + grace, deadline)`). Defaults:
//! [`DEFAULT_GRACE_MINUTES`] (10) for fixed and every; [`WHOLE_SLOT`] for
//! times-per-day and monthly, which are "due" for their whole part or day
//! and then missed, never "late".
//!
//! What is known of the slot's round ([`RoundProgress`]) takes precedence
//! over the clock ([`Slot::state`]):
//!
//! * a round *started before the deadline* is [`SlotState::InProgress`]
//!   however long it takes, and when finished is
//!   [`SlotState::Done`] with `late` set if it was *begun* at or after
//!   `late_from` (walking a round takes time; what the rule checks is
//!   that it was begun within its grace);
//! * a round *started at or after the deadline* still counts — it is shown
//!   in progress / done, always late, and with `after_deadline` set, so the
//!   record never hides that the slot was missed on time;
//! * a round started before its slot was due is not penalised.
//!
//! [`Agenda`] gathers, for the tablet's main screen, what is due now, the
//! next round of each template and what was missed recently.

use autosurgeon::{Hydrate, HydrateError, Reconcile};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[cfg(test)]
mod tests;

/// Minutes in a day.
pub const MINUTES_PER_DAY: u16 = 1440;

/// The default grace of fixed and every-N-minutes schedules: due for ten
/// minutes, then late.
pub const DEFAULT_GRACE_MINUTES: u16 = 10;

/// A grace as long as any slot can be: the slot is due until its deadline
/// and is never late, only missed. The default of times-per-day and monthly
/// schedules.
pub const WHOLE_SLOT: u16 = MINUTES_PER_DAY;

/// The most slots a [`Schedule::TimesPerDay`] may have (one per quarter
/// hour).
pub const MAX_TIMES_PER_DAY: u8 = 96;

/// How far ahead [`Agenda::build`] looks for a template's next round.
pub const NEXT_HORIZON_DAYS: i32 = 70;

/// Why a date, a time or a schedule was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    /// Not a calendar date `YYYY-MM-DD` (years 0000–9999).
    #[error("not a date (YYYY-MM-DD): {0:?}")]
    BadDate(String),
    /// Not a time of day `HH:MM` (00:00–23:59).
    #[error("not a time of day (HH:MM): {0:?}")]
    BadTime(String),
    /// Not a local date and time `YYYY-MM-DD HH:MM`.
    #[error("not a local date and time (YYYY-MM-DD HH:MM): {0:?}")]
    BadDateTime(String),
    /// A weekday set with bits beyond the seven days.
    #[error("not a set of weekdays: {0}")]
    BadWeekdays(u64),
    /// The schedule runs on no day of the week.
    #[error("a schedule must run on at least one day of the week")]
    NoDays,
    /// A grace longer than a day.
    #[error("grace must be at most {WHOLE_SLOT} minutes, not {0}")]
    BadGrace(u16),
    /// A fixed schedule without times.
    #[error("a fixed schedule needs at least one time")]
    NoTimes,
    /// A fixed time listed twice.
    #[error("fixed time {0} is listed twice")]
    DuplicateTime(MinuteOfDay),
    /// An interval of 0 or more than a day.
    #[error("the interval must be 1 to 1440 minutes, not {0}")]
    BadInterval(u16),
    /// A times-per-day count of 0 or more than [`MAX_TIMES_PER_DAY`].
    #[error("times per day must be 1 to {MAX_TIMES_PER_DAY}, not {0}")]
    BadCount(u8),
    /// A window that starts when it ends.
    #[error("the window {0}–{0} is empty")]
    EmptyWindow(MinuteOfDay),
    /// A window shorter than its number of parts (each needs a minute).
    #[error("a window of {window_minutes} minutes cannot hold {count} parts")]
    WindowTooShort {
        /// The parts asked for.
        count: u8,
        /// The window's length.
        window_minutes: u16,
    },
    /// A day of month of 0 or more than 31.
    #[error("day of month must be 1 to 31, not {0}")]
    BadDayOfMonth(u8),
    /// A slot would fall outside the years 0000–9999.
    #[error("slot outside the supported years 0000–9999")]
    OutOfRange,
}

// ---------------------------------------------------------------- calendar

/// Howard Hinnant's `days_from_civil`: days since 1970-01-01 of a
/// proleptic Gregorian date.
fn days_from_civil(year: i64, month: u8, day: u8) -> i64 {
    let (m, d) = (i64::from(month), i64::from(day));
    let y = if m <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400; // [0, 399]
    let mp = (m + 9) % 12; // March = 0
    let doy = (153 * mp + 2) / 5 + d - 1; // [0, 365]
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; // [0, 146096]
    era * 146_097 + doe - 719_468
}

/// Howard Hinnant's `civil_from_days`: the date `z` days after 1970-01-01.
fn civil_from_days(z: i64) -> (i64, u8, u8) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097; // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11]
    let d = doy - (153 * mp + 2) / 5 + 1; // [1, 31]
    let m = if mp < 10 { mp + 3 } else { mp - 9 }; // [1, 12]
    let y = yoe + era * 400 + i64::from(m <= 2);
    // `d` and `m` are in range by construction.
    (y, m as u8, d as u8)
}

/// Whether `year` is a Gregorian leap year.
pub fn is_leap_year(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

/// Days in `month` (1–12) of `year`; 0 for a month that does not exist.
pub fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// A day of the week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Weekday {
    /// 星期一
    Monday,
    /// 星期二
    Tuesday,
    /// 星期三
    Wednesday,
    /// 星期四
    Thursday,
    /// 星期五
    Friday,
    /// 星期六
    Saturday,
    /// 星期日
    Sunday,
}

impl Weekday {
    /// Monday to Sunday.
    pub const ALL: [Weekday; 7] = [
        Weekday::Monday,
        Weekday::Tuesday,
        Weekday::Wednesday,
        Weekday::Thursday,
        Weekday::Friday,
        Weekday::Saturday,
        Weekday::Sunday,
    ];

    /// 0 for Monday … 6 for Sunday.
    pub fn index(self) -> u8 {
        self as u8
    }

    /// The weekday with [`index`](Self::index) `i % 7`.
    pub fn from_index(i: u8) -> Weekday {
        Self::ALL[usize::from(i % 7)]
    }
}

/// A set of weekdays, bit 0 = Monday … bit 6 = Sunday. Stored in documents
/// as that integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Weekdays(u8);

impl Weekdays {
    /// Every day: the default, for 24/7 posts.
    pub const ALL: Weekdays = Weekdays(0b111_1111);
    /// Monday to Friday.
    pub const MONDAY_TO_FRIDAY: Weekdays = Weekdays(0b001_1111);
    /// No day (not a valid schedule's set).
    pub const NONE: Weekdays = Weekdays(0);

    /// The set with these bits; bits beyond the seventh are refused.
    pub fn from_bits(bits: u8) -> Result<Self, ScheduleError> {
        if bits <= Self::ALL.0 {
            Ok(Self(bits))
        } else {
            Err(ScheduleError::BadWeekdays(u64::from(bits)))
        }
    }

    /// The stored bits.
    pub fn bits(self) -> u8 {
        self.0
    }

    /// The set of these days.
    pub fn of(days: impl IntoIterator<Item = Weekday>) -> Self {
        days.into_iter().fold(Self::NONE, Self::with)
    }

    /// This set and `day`.
    pub fn with(self, day: Weekday) -> Self {
        Self(self.0 | (1 << day.index()))
    }

    /// This set without `day`.
    pub fn without(self, day: Weekday) -> Self {
        Self(self.0 & !(1 << day.index()))
    }

    /// Whether `day` is in the set.
    pub fn contains(self, day: Weekday) -> bool {
        self.0 & (1 << day.index()) != 0
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}

impl Default for Weekdays {
    fn default() -> Self {
        Self::ALL
    }
}

impl TryFrom<u8> for Weekdays {
    type Error = ScheduleError;
    fn try_from(bits: u8) -> Result<Self, ScheduleError> {
        Self::from_bits(bits)
    }
}

impl From<Weekdays> for u8 {
    fn from(days: Weekdays) -> u8 {
        days.0
    }
}

impl Reconcile for Weekdays {
    type Key<'a> = autosurgeon::reconcile::NoKey;
    fn reconcile<R: autosurgeon::Reconciler>(&self, mut r: R) -> Result<(), R::Error> {
        r.u64(u64::from(self.0))
    }
}

impl Hydrate for Weekdays {
    fn hydrate_uint(u: u64) -> Result<Self, HydrateError> {
        u8::try_from(u)
            .ok()
            .and_then(|b| Self::from_bits(b).ok())
            .ok_or_else(|| HydrateError::unexpected("a set of weekdays (0..=127)", u.to_string()))
    }

    fn hydrate_int(i: i64) -> Result<Self, HydrateError> {
        u64::try_from(i)
            .map_err(|_| HydrateError::unexpected("a set of weekdays (0..=127)", i.to_string()))
            .and_then(Self::hydrate_uint)
    }
}

/// A calendar date (proleptic Gregorian, years 0000–9999). Ordered
/// chronologically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// 0000-01-01, the earliest date.
    pub const MIN: Date = Date {
        year: 0,
        month: 1,
        day: 1,
    };
    /// 9999-12-31, the latest date.
    pub const MAX: Date = Date {
        year: 9999,
        month: 12,
        day: 31,
    };

    /// The date, if it is on the calendar.
    pub fn new(year: u16, month: u8, day: u8) -> Result<Self, ScheduleError> {
        if year <= 9999 && (1..=days_in_month(year, month)).contains(&day) {
            Ok(Self { year, month, day })
        } else {
            Err(ScheduleError::BadDate(format!(
                "{year:04}-{month:02}-{day:02}"
            )))
        }
    }

    /// Parse `YYYY-MM-DD` (the shape [`crate::checklist::validate_date`]
    /// accepts) and check the day exists: 2027-02-29 and 2026-04-31 are
    /// refused.
    pub fn parse(s: &str) -> Result<Self, ScheduleError> {
        let bad = || ScheduleError::BadDate(s.chars().take(32).collect());
        crate::checklist::validate_date(s).map_err(|_| bad())?;
        let year = s[0..4].parse().map_err(|_| bad())?;
        let month = s[5..7].parse().map_err(|_| bad())?;
        let day = s[8..10].parse().map_err(|_| bad())?;
        Self::new(year, month, day).map_err(|_| bad())
    }

    /// The year.
    pub fn year(self) -> u16 {
        self.year
    }

    /// The month, 1–12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// The day of the month, from 1.
    pub fn day(self) -> u8 {
        self.day
    }

    /// Days in this date's month.
    pub fn days_in_month(self) -> u8 {
        days_in_month(self.year, self.month)
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days_since_epoch(self) -> i64 {
        days_from_civil(i64::from(self.year), self.month, self.day)
    }

    /// The date `days` days after 1970-01-01, if within 0000–9999.
    pub fn from_days_since_epoch(days: i64) -> Option<Self> {
        if !(Self::MIN.days_since_epoch()..=Self::MAX.days_since_epoch()).contains(&days) {
            return None;
        }
        let (y, month, day) = civil_from_days(days);
        let year = u16::try_from(y).ok()?;
        Some(Self { year, month, day })
    }

    /// The date `n` days later (earlier if negative), if within 0000–9999.
    pub fn checked_add_days(self, n: i32) -> Option<Self> {
        Self::from_days_since_epoch(self.days_since_epoch() + i64::from(n))
    }

    /// The date `n` days later (earlier if negative), saturating at
    /// [`Date::MIN`] and [`Date::MAX`].
    pub fn add_days(self, n: i32) -> Self {
        let days = (self.days_since_epoch() + i64::from(n))
            .clamp(Self::MIN.days_since_epoch(), Self::MAX.days_since_epoch());
        Self::from_days_since_epoch(days).unwrap_or(if n < 0 { Self::MIN } else { Self::MAX })
    }

    /// The day of the week.
    pub fn weekday(self) -> Weekday {
        // 1970-01-01 was a Thursday (index 3).
        let i = (self.days_since_epoch() + 3).rem_euclid(7);
        Weekday::from_index(i as u8)
    }

    /// The first day of the previous month, if within 0000–9999.
    fn previous_month(self) -> Option<Self> {
        match self.month {
            1 => Self::new(self.year.checked_sub(1)?, 12, 1).ok(),
            m => Self::new(self.year, m - 1, 1).ok(),
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for Date {
    type Err = ScheduleError;
    fn from_str(s: &str) -> Result<Self, ScheduleError> {
        Self::parse(s)
    }
}

/// A minute of the day, 00:00–23:59. Stored in documents and JSON as
/// `"HH:MM"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MinuteOfDay(u16);

impl MinuteOfDay {
    /// 00:00.
    pub const MIDNIGHT: MinuteOfDay = MinuteOfDay(0);

    /// The minute `minutes` after midnight (0–1439).
    pub fn from_minutes(minutes: u16) -> Result<Self, ScheduleError> {
        if minutes < MINUTES_PER_DAY {
            Ok(Self(minutes))
        } else {
            Err(ScheduleError::BadTime(format!(
                "{:02}:{:02}",
                minutes / 60,
                minutes % 60
            )))
        }
    }

    /// `hour:minute`, if a time of day.
    pub fn new(hour: u8, minute: u8) -> Result<Self, ScheduleError> {
        if hour < 24 && minute < 60 {
            Ok(Self(u16::from(hour) * 60 + u16::from(minute)))
        } else {
            Err(ScheduleError::BadTime(format!("{hour:02}:{minute:02}")))
        }
    }

    /// Parse `HH:MM` (two digits each, 00:00–23:59).
    pub fn parse(s: &str) -> Result<Self, ScheduleError> {
        let bad = || ScheduleError::BadTime(s.chars().take(32).collect());
        let b = s.as_bytes();
        let shaped =
            b.len() == 5 && b[2] == b':' && [0, 1, 3, 4].iter().all(|&i| b[i].is_ascii_digit());
        if !shaped {
            return Err(bad());
        }
        let hour = s[0..2].parse().map_err(|_| bad())?;
        let minute = s[3..5].parse().map_err(|_| bad())?;
        Self::new(hour, minute).map_err(|_| bad())
    }

    /// Minutes since midnight, 0–1439.
    pub fn as_minutes(self) -> u16 {
        self.0
    }

    /// The hour, 0–23.
    pub fn hour(self) -> u8 {
        (self.0 / 60) as u8
    }

    /// The minute of the hour, 0–59.
    pub fn minute(self) -> u8 {
        (self.0 % 60) as u8
    }

    /// `HHMM`, the slot key of a slot due at this time.
    pub fn key(self) -> String {
        format!("{:02}{:02}", self.hour(), self.minute())
    }
}

impl fmt::Display for MinuteOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.hour(), self.minute())
    }
}

impl FromStr for MinuteOfDay {
    type Err = ScheduleError;
    fn from_str(s: &str) -> Result<Self, ScheduleError> {
        Self::parse(s)
    }
}

impl TryFrom<String> for MinuteOfDay {
    type Error = ScheduleError;
    fn try_from(s: String) -> Result<Self, ScheduleError> {
        Self::parse(&s)
    }
}

impl From<MinuteOfDay> for String {
    fn from(m: MinuteOfDay) -> String {
        m.to_string()
    }
}

impl Reconcile for MinuteOfDay {
    type Key<'a> = autosurgeon::reconcile::NoKey;
    fn reconcile<R: autosurgeon::Reconciler>(&self, mut r: R) -> Result<(), R::Error> {
        r.str(self.to_string())
    }
}

impl Hydrate for MinuteOfDay {
    fn hydrate_string(s: &str) -> Result<Self, HydrateError> {
        Self::parse(s).map_err(|_| HydrateError::unexpected("a time HH:MM", s.to_owned()))
    }
}

/// A local wall-clock date and minute. Ordered chronologically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LocalDateTime {
    /// The calendar date.
    pub date: Date,
    /// The minute of that date.
    pub minute: MinuteOfDay,
}

impl LocalDateTime {
    /// 0000-01-01 00:00.
    pub const MIN: LocalDateTime = LocalDateTime {
        date: Date::MIN,
        minute: MinuteOfDay::MIDNIGHT,
    };
    /// 9999-12-31 23:59.
    pub const MAX: LocalDateTime = LocalDateTime {
        date: Date::MAX,
        minute: MinuteOfDay(MINUTES_PER_DAY - 1),
    };

    /// `minute` on `date`.
    pub fn new(date: Date, minute: MinuteOfDay) -> Self {
        Self { date, minute }
    }

    /// Parse `YYYY-MM-DD HH:MM` (or with `T` between date and time).
    pub fn parse(s: &str) -> Result<Self, ScheduleError> {
        let bad = || ScheduleError::BadDateTime(s.chars().take(40).collect());
        let (date, minute) = s
            .split_once(' ')
            .or_else(|| s.split_once('T'))
            .ok_or_else(bad)?;
        Ok(Self {
            date: Date::parse(date).map_err(|_| bad())?,
            minute: MinuteOfDay::parse(minute).map_err(|_| bad())?,
        })
    }

    /// Minutes since 1970-01-01 00:00 local (negative before).
    pub fn epoch_minutes(self) -> i64 {
        self.date.days_since_epoch() * i64::from(MINUTES_PER_DAY) + i64::from(self.minute.0)
    }

    /// The local time `minutes` after 1970-01-01 00:00, if within
    /// 0000–9999.
    pub fn from_epoch_minutes(minutes: i64) -> Option<Self> {
        let per_day = i64::from(MINUTES_PER_DAY);
        let date = Date::from_days_since_epoch(minutes.div_euclid(per_day))?;
        let minute = MinuteOfDay(u16::try_from(minutes.rem_euclid(per_day)).ok()?);
        Some(Self { date, minute })
    }

    /// `n` minutes later (earlier if negative), if within 0000–9999.
    pub fn checked_add_minutes(self, n: i64) -> Option<Self> {
        Self::from_epoch_minutes(self.epoch_minutes().checked_add(n)?)
    }

    /// `n` minutes later (earlier if negative), saturating at
    /// [`LocalDateTime::MIN`] and [`LocalDateTime::MAX`].
    pub fn add_minutes(self, n: i64) -> Self {
        let m = self
            .epoch_minutes()
            .saturating_add(n)
            .clamp(Self::MIN.epoch_minutes(), Self::MAX.epoch_minutes());
        Self::from_epoch_minutes(m).unwrap_or(if n < 0 { Self::MIN } else { Self::MAX })
    }

    /// Minutes from `self` to `later` (negative if `later` is earlier).
    pub fn minutes_until(self, later: LocalDateTime) -> i64 {
        later.epoch_minutes() - self.epoch_minutes()
    }
}

impl fmt::Display for LocalDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.date, self.minute)
    }
}

impl FromStr for LocalDateTime {
    type Err = ScheduleError;
    fn from_str(s: &str) -> Result<Self, ScheduleError> {
        Self::parse(s)
    }
}

// ---------------------------------------------------------------- schedules

/// When a template's rounds are due. Stored in documents (autosurgeon) as
/// `{"<kind>": {fields}}` with kinds `fixed`, `every`, `times-per-day` and
/// `monthly`; JSON (serde) uses the same shape. Two supervisors changing
/// the kind concurrently leave both kinds in the map; the first in the
/// order above is read.
///
/// Build with [`Schedule::fixed`], [`Schedule::every`],
/// [`Schedule::times_per_day`] or [`Schedule::monthly`] (validated, with
/// default days and grace), then [`Schedule::with_days`] /
/// [`Schedule::with_grace`]. A hydrated schedule may be invalid:
/// [`slots_on`] and [`slots_between`] validate it first.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Reconcile, Hydrate, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Schedule {
    /// At fixed times of the day.
    #[autosurgeon(rename = "fixed")]
    Fixed {
        /// The times, each due once a day; distinct.
        times: Vec<MinuteOfDay>,
        /// The days of the week it runs.
        days: Weekdays,
        /// Minutes a slot is "due" before it is "late".
        grace_minutes: u16,
    },
    /// Every `every_minutes` within the window `from`–`to` (which may cross
    /// midnight).
    #[autosurgeon(rename = "every")]
    Every {
        /// The interval, 1–1440 minutes.
        every_minutes: u16,
        /// Start of the window, the first slot's due time.
        from: MinuteOfDay,
        /// End of the window, the last slot's deadline.
        to: MinuteOfDay,
        /// The days of the week the window starts on.
        days: Weekdays,
        /// Minutes a slot is "due" before it is "late".
        grace_minutes: u16,
    },
    /// `count` times within the window `from`–`to`, split into equal parts.
    #[autosurgeon(rename = "times-per-day")]
    TimesPerDay {
        /// The number of parts, 1–96.
        count: u8,
        /// Start of the window.
        from: MinuteOfDay,
        /// End of the window.
        to: MinuteOfDay,
        /// The days of the week the window starts on.
        days: Weekdays,
        /// Minutes a slot is "due" before it is "late".
        grace_minutes: u16,
    },
    /// Once a month.
    #[autosurgeon(rename = "monthly")]
    Monthly {
        /// 1–31; past the month's end means its last day.
        day_of_month: u8,
        /// The time it is due.
        at: MinuteOfDay,
        /// The days of the week it may fall on; otherwise it moves to the
        /// next such day.
        days: Weekdays,
        /// Minutes a slot is "due" before it is "late".
        grace_minutes: u16,
    },
}

/// The length in minutes of the window `from`–`to`, crossing midnight if
/// `to` is earlier than `from`.
fn window_minutes(from: MinuteOfDay, to: MinuteOfDay) -> Result<u16, ScheduleError> {
    let len = (i32::from(to.0) - i32::from(from.0)).rem_euclid(i32::from(MINUTES_PER_DAY));
    match u16::try_from(len) {
        Ok(len) if len > 0 => Ok(len),
        _ => Err(ScheduleError::EmptyWindow(from)),
    }
}

impl Schedule {
    /// At `times` every day, grace [`DEFAULT_GRACE_MINUTES`]. The times are
    /// stored sorted.
    pub fn fixed(times: impl IntoIterator<Item = MinuteOfDay>) -> Result<Self, ScheduleError> {
        let mut times: Vec<MinuteOfDay> = times.into_iter().collect();
        crate::sort_once::sort(&mut times);
        Self::Fixed {
            times,
            days: Weekdays::ALL,
            grace_minutes: DEFAULT_GRACE_MINUTES,
        }
        .validated()
    }

    /// Every `every_minutes` from `from` to `to` every day, grace
    /// [`DEFAULT_GRACE_MINUTES`].
    pub fn every(
        every_minutes: u16,
        from: MinuteOfDay,
        to: MinuteOfDay,
    ) -> Result<Self, ScheduleError> {
        Self::Every {
            every_minutes,
            from,
            to,
            days: Weekdays::ALL,
            grace_minutes: DEFAULT_GRACE_MINUTES,
        }
        .validated()
    }

    /// `count` times from `from` to `to` every day, each due for its whole
    /// part ([`WHOLE_SLOT`]).
    pub fn times_per_day(
        count: u8,
        from: MinuteOfDay,
        to: MinuteOfDay,
    ) -> Result<Self, ScheduleError> {
        Self::TimesPerDay {
            count,
            from,
            to,
            days: Weekdays::ALL,
            grace_minutes: WHOLE_SLOT,
        }
        .validated()
    }

    /// On `day_of_month` at `at`, any day of the week, due all that day
    /// ([`WHOLE_SLOT`]).
    pub fn monthly(day_of_month: u8, at: MinuteOfDay) -> Result<Self, ScheduleError> {
        Self::Monthly {
            day_of_month,
            at,
            days: Weekdays::ALL,
            grace_minutes: WHOLE_SLOT,
        }
        .validated()
    }

    /// The same schedule on `days` only.
    pub fn with_days(mut self, days: Weekdays) -> Result<Self, ScheduleError> {
        *self.days_mut() = days;
        self.validated()
    }

    /// The same schedule with another grace.
    pub fn with_grace(mut self, grace_minutes: u16) -> Result<Self, ScheduleError> {
        *self.grace_mut() = grace_minutes;
        self.validated()
    }

    fn validated(self) -> Result<Self, ScheduleError> {
        self.validate()?;
        Ok(self)
    }

    /// The kind as stored: `fixed`, `every`, `times-per-day`, `monthly`.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Fixed { .. } => "fixed",
            Self::Every { .. } => "every",
            Self::TimesPerDay { .. } => "times-per-day",
            Self::Monthly { .. } => "monthly",
        }
    }

    /// The days of the week it runs.
    pub fn days(&self) -> Weekdays {
        match self {
            Self::Fixed { days, .. }
            | Self::Every { days, .. }
            | Self::TimesPerDay { days, .. }
            | Self::Monthly { days, .. } => *days,
        }
    }

    fn days_mut(&mut self) -> &mut Weekdays {
        match self {
            Self::Fixed { days, .. }
            | Self::Every { days, .. }
            | Self::TimesPerDay { days, .. }
            | Self::Monthly { days, .. } => days,
        }
    }

    /// Minutes a slot is "due" before it is "late" (capped by each slot's
    /// deadline).
    pub fn grace_minutes(&self) -> u16 {
        match self {
            Self::Fixed { grace_minutes, .. }
            | Self::Every { grace_minutes, .. }
            | Self::TimesPerDay { grace_minutes, .. }
            | Self::Monthly { grace_minutes, .. } => *grace_minutes,
        }
    }

    fn grace_mut(&mut self) -> &mut u16 {
        match self {
            Self::Fixed { grace_minutes, .. }
            | Self::Every { grace_minutes, .. }
            | Self::TimesPerDay { grace_minutes, .. }
            | Self::Monthly { grace_minutes, .. } => grace_minutes,
        }
    }

    /// Check the schedule can produce slots.
    pub fn validate(&self) -> Result<(), ScheduleError> {
        match self {
            Self::Fixed { times, .. } => {
                let mut sorted = times.clone();
                crate::sort_once::sort(&mut sorted);
                if sorted.is_empty() {
                    return Err(ScheduleError::NoTimes);
                }
                if let Some(pair) = sorted.windows(2).find(|w| w[0] == w[1]) {
                    return Err(ScheduleError::DuplicateTime(pair[0]));
                }
            }
            Self::Every {
                every_minutes,
                from,
                to,
                ..
            } => {
                if *every_minutes == 0 || *every_minutes > MINUTES_PER_DAY {
                    return Err(ScheduleError::BadInterval(*every_minutes));
                }
                window_minutes(*from, *to)?;
            }
            Self::TimesPerDay {
                count, from, to, ..
            } => {
                if *count == 0 || *count > MAX_TIMES_PER_DAY {
                    return Err(ScheduleError::BadCount(*count));
                }
                let window = window_minutes(*from, *to)?;
                if u16::from(*count) > window {
                    return Err(ScheduleError::WindowTooShort {
                        count: *count,
                        window_minutes: window,
                    });
                }
            }
            Self::Monthly { day_of_month, .. } => {
                if !(1..=31).contains(day_of_month) {
                    return Err(ScheduleError::BadDayOfMonth(*day_of_month));
                }
            }
        }
        if self.days().is_empty() {
            return Err(ScheduleError::NoDays);
        }
        if self.grace_minutes() > WHOLE_SLOT {
            return Err(ScheduleError::BadGrace(self.grace_minutes()));
        }
        Ok(())
    }
}

// ---------------------------------------------------------------- slots

/// One scheduled round: when it is due, when it turns late and when it is
/// missed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Slot {
    /// The date the slot's window starts on (see the module docs).
    pub service_date: Date,
    /// Short and unique per (schedule, service date): `HHMM` of the due
    /// time, or `"m"` for monthly.
    pub key: String,
    /// From here on the round is due.
    pub due: LocalDateTime,
    /// From here on an unfinished round is late: `min(due + grace,
    /// deadline)`.
    pub late_from: LocalDateTime,
    /// From here on a round not started is missed.
    pub deadline: LocalDateTime,
}

/// What is known of a slot's round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RoundProgress {
    /// No round yet.
    NotStarted,
    /// Begun and not finished.
    Started {
        /// When it was begun.
        at: LocalDateTime,
    },
    /// Finished.
    Finished {
        /// When it was begun (decides whether it was late, and whether it
        /// was missed on time).
        started: LocalDateTime,
        /// When it was finished (shown, not judged).
        at: LocalDateTime,
    },
}

/// A slot's state at some moment, given its round's progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SlotState {
    /// Not due yet.
    Upcoming,
    /// Due, within the grace.
    Due,
    /// Past the grace, before the deadline, not started.
    Late,
    /// Past the deadline and never started.
    Missed,
    /// Started and not finished.
    InProgress {
        /// Started at or after the deadline: the slot was missed on time
        /// and is being made up.
        after_deadline: bool,
    },
    /// Finished.
    Done {
        /// Begun at or after [`Slot::late_from`].
        late: bool,
        /// Started at or after the deadline (implies `late`).
        after_deadline: bool,
    },
}

impl Slot {
    /// The slot's state at `now`. A known round decides over the clock:
    /// see the module docs for the rules.
    pub fn state(&self, now: LocalDateTime, progress: RoundProgress) -> SlotState {
        match progress {
            RoundProgress::NotStarted if now < self.due => SlotState::Upcoming,
            RoundProgress::NotStarted if now < self.late_from => SlotState::Due,
            RoundProgress::NotStarted if now < self.deadline => SlotState::Late,
            RoundProgress::NotStarted => SlotState::Missed,
            RoundProgress::Started { at } => SlotState::InProgress {
                after_deadline: at >= self.deadline,
            },
            RoundProgress::Finished { started, at } => {
                let after_deadline = started >= self.deadline;
                // Walking a round takes time: a round begun within its
                // grace is on time however long the walk; the finish
                // time is shown, not judged.
                let _ = at;
                SlotState::Done {
                    late: started >= self.late_from,
                    after_deadline,
                }
            }
        }
    }

    /// Whether `[due, deadline)` overlaps `[from, to)`.
    pub fn overlaps(&self, from: LocalDateTime, to: LocalDateTime) -> bool {
        self.due < to && self.deadline > from
    }
}

/// The slots of `schedule` whose service date is `service_date`, sorted by
/// due time. Within one schedule, slots never overlap: each one's deadline
/// is at or before the next one's due time, across service dates too.
pub fn slots_on(schedule: &Schedule, service_date: Date) -> Result<Vec<Slot>, ScheduleError> {
    schedule.validate()?;
    slots_of_valid(schedule, service_date)
}

/// [`slots_on`] for a schedule already validated.
fn slots_of_valid(schedule: &Schedule, service_date: Date) -> Result<Vec<Slot>, ScheduleError> {
    let runs = schedule.days().contains(service_date.weekday());
    // (due, deadline) in minutes after the service date's 00:00.
    let mut spans: Vec<(u16, u16)> = Vec::new();
    match schedule {
        Schedule::Fixed { times, .. } if runs => {
            let mut times: Vec<u16> = times.iter().map(|t| t.0).collect();
            crate::sort_once::sort(&mut times);
            let ends = times.iter().skip(1).copied().chain([MINUTES_PER_DAY]);
            spans.extend(times.iter().copied().zip(ends));
        }
        Schedule::Every {
            every_minutes,
            from,
            to,
            ..
        } if runs => {
            let len = window_minutes(*from, *to)?;
            let mut offset = 0;
            while offset < len {
                let end = offset.saturating_add(*every_minutes).min(len);
                spans.push((from.0 + offset, from.0 + end));
                offset = end;
            }
        }
        Schedule::TimesPerDay {
            count, from, to, ..
        } if runs => {
            let len = u32::from(window_minutes(*from, *to)?);
            let count = u32::from(*count);
            let bound = |i: u32| from.0 + (len * i / count) as u16;
            spans.extend((0..count).map(|i| (bound(i), bound(i + 1))));
        }
        Schedule::Monthly {
            day_of_month,
            at,
            days,
            ..
        } => {
            let on = |month: Option<Date>| {
                month.and_then(|m| monthly_date(m, *day_of_month, *days)) == Some(service_date)
            };
            if on(Some(service_date)) || on(service_date.previous_month()) {
                spans.push((at.0, MINUTES_PER_DAY));
            }
        }
        _ => {}
    }
    let start = LocalDateTime::new(service_date, MinuteOfDay::MIDNIGHT);
    let grace = i64::from(schedule.grace_minutes());
    let monthly = matches!(schedule, Schedule::Monthly { .. });
    spans
        .into_iter()
        .map(|(due, deadline)| {
            let at = |m: u16| {
                start
                    .checked_add_minutes(i64::from(m))
                    .ok_or(ScheduleError::OutOfRange)
            };
            let (due_at, deadline) = (at(due)?, at(deadline)?);
            let key = if monthly {
                "m".to_owned()
            } else {
                MinuteOfDay(due % MINUTES_PER_DAY).key()
            };
            Ok(Slot {
                service_date,
                key,
                due: due_at,
                late_from: due_at.add_minutes(grace).min(deadline),
                deadline,
            })
        })
        .collect()
}

/// The date of the monthly slot for the month of `month` (any day in it):
/// `day_of_month` capped at the month's end, moved forward to the first day
/// in `days`.
fn monthly_date(month: Date, day_of_month: u8, days: Weekdays) -> Option<Date> {
    let day = day_of_month.min(month.days_in_month());
    let mut date = Date::new(month.year, month.month, day).ok()?;
    for _ in 0..7 {
        if days.contains(date.weekday()) {
            return Some(date);
        }
        date = date.checked_add_days(1)?;
    }
    None
}

/// Every slot whose `[due, deadline)` overlaps `[from, to)`, sorted by due
/// time — including slots of the day before `from` whose window runs past
/// midnight. Empty when `to <= from`. The work grows with the range: ask
/// for days, not years.
pub fn slots_between(
    schedule: &Schedule,
    from: LocalDateTime,
    to: LocalDateTime,
) -> Result<Vec<Slot>, ScheduleError> {
    schedule.validate()?;
    let mut out = Vec::new();
    if to <= from {
        return Ok(out);
    }
    // A service date's slots lie within its own day and the next.
    let mut date = from.date.checked_add_days(-1).unwrap_or(from.date);
    loop {
        out.extend(
            slots_of_valid(schedule, date)?
                .into_iter()
                .filter(|s| s.overlaps(from, to)),
        );
        match date.checked_add_days(1) {
            Some(next) if next <= to.date => date = next,
            _ => break,
        }
    }
    crate::sort_once::sort_by_key(&mut out, |s| (s.due, s.service_date));
    Ok(out)
}

// ---------------------------------------------------------------- agenda

/// One slot of one template, with its state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgendaEntry {
    /// The template whose round this is.
    pub template_id: String,
    /// The slot.
    pub slot: Slot,
    /// Its state at the agenda's `now`.
    pub state: SlotState,
}

/// What the tablet's main screen shows at one moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agenda {
    /// The moment it was computed for.
    pub now: LocalDateTime,
    /// Rounds to do now: due, late, or in progress (including rounds begun
    /// early or after their deadline). Most urgent first: by deadline, then
    /// due time, then template id.
    pub due_now: Vec<AgendaEntry>,
    /// Each template's earliest upcoming round (within
    /// [`NEXT_HORIZON_DAYS`]), soonest first, then by template id.
    pub next: Vec<AgendaEntry>,
    /// Rounds missed (never started) whose deadline lies within the
    /// look-back, oldest first, then by template id.
    pub missed: Vec<AgendaEntry>,
    /// Templates whose schedule is invalid, with the reason; shown, never
    /// silently skipped.
    pub invalid: Vec<(String, ScheduleError)>,
}

impl Agenda {
    /// The agenda at `now` for `schedules` (template id, schedule), looking
    /// back `look_back_minutes` for missed rounds (1440 for the last 24 h).
    /// `progress(template id, slot)` says what is known of that slot's
    /// round.
    pub fn build<'a, I, F>(
        now: LocalDateTime,
        look_back_minutes: u32,
        schedules: I,
        mut progress: F,
    ) -> Agenda
    where
        I: IntoIterator<Item = (&'a str, &'a Schedule)>,
        F: FnMut(&str, &Slot) -> RoundProgress,
    {
        let mut agenda = Agenda {
            now,
            due_now: Vec::new(),
            next: Vec::new(),
            missed: Vec::new(),
            invalid: Vec::new(),
        };
        let back = now.add_minutes(-i64::from(look_back_minutes));
        for (template_id, schedule) in schedules {
            if let Err(e) = agenda.add(template_id, schedule, back, &mut progress) {
                agenda.invalid.push((template_id.to_owned(), e));
            }
        }
        crate::sort_once::sort_by(&mut agenda.due_now, |a, b| {
            (a.slot.deadline, a.slot.due, &a.template_id).cmp(&(
                b.slot.deadline,
                b.slot.due,
                &b.template_id,
            ))
        });
        crate::sort_once::sort_by(&mut agenda.next, |a, b| {
            (a.slot.due, &a.template_id).cmp(&(b.slot.due, &b.template_id))
        });
        crate::sort_once::sort_by(&mut agenda.missed, |a, b| {
            (a.slot.due, &a.template_id).cmp(&(b.slot.due, &b.template_id))
        });
        agenda
    }

    fn add<F>(
        &mut self,
        template_id: &str,
        schedule: &Schedule,
        back: LocalDateTime,
        progress: &mut F,
    ) -> Result<(), ScheduleError>
    where
        F: FnMut(&str, &Slot) -> RoundProgress,
    {
        let now = self.now;
        let entry = |slot: Slot, state| AgendaEntry {
            template_id: template_id.to_owned(),
            slot,
            state,
        };
        // Slots due by now whose span reaches into the look-back.
        for slot in slots_between(schedule, back, now.add_minutes(1))? {
            let state = slot.state(now, progress(template_id, &slot));
            match state {
                SlotState::Due | SlotState::Late | SlotState::InProgress { .. } => {
                    self.due_now.push(entry(slot, state));
                }
                SlotState::Missed => self.missed.push(entry(slot, state)),
                SlotState::Upcoming | SlotState::Done { .. } => {}
            }
        }
        // The first slot due after now that is still to do; rounds begun
        // early are in progress.
        let mut date = now.date.checked_add_days(-1).unwrap_or(now.date);
        for _ in 0..=NEXT_HORIZON_DAYS {
            for slot in slots_of_valid(schedule, date)? {
                if slot.due <= now {
                    continue;
                }
                let state = slot.state(now, progress(template_id, &slot));
                match state {
                    SlotState::Upcoming => {
                        self.next.push(entry(slot, state));
                        return Ok(());
                    }
                    SlotState::InProgress { .. } => self.due_now.push(entry(slot, state)),
                    _ => {}
                }
            }
            match date.checked_add_days(1) {
                Some(d) => date = d,
                None => break,
            }
        }
        Ok(())
    }
}
