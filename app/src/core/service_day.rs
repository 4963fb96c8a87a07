//! Which service day a moment belongs to on the tablet, and the clock
//! times of a service day as the duty-log and visitor forms take them.
//!
//! A service day's records take times on its date and on the night after
//! (the model's `service_day`). The forms ask only for a clock time
//! `HH:MM`: on the tablet a service day runs from [`DAY_STARTS`] to the
//! same time the next morning, so 02:15 on the 23rd's service day is
//! `2026-11-24 02:15` — a night shift's entries past midnight stay in the
//! day its leader signs — and the device clock's current service day is
//! yesterday until 06:00. Days picked for a search are a bounded range.

use shiftbook_model::Lang;
use shiftbook_model::schedule::{Date, LocalDateTime, MinuteOfDay};

/// When a service day begins on the tablet: 06:00. Clock times before it
/// belong to the night after the service day's date.
pub const DAY_STARTS_MINUTES: u16 = 6 * 60;

/// The most days one search across days reads.
pub const MAX_SEARCH_DAYS: usize = 62;

/// Why a time or a range of days is unusable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadDay {
    /// Not a date `YYYY-MM-DD`.
    #[error("not a date: {0:?}")]
    Date(String),
    /// Not a clock time `HH:MM`.
    #[error("not a time: {0:?}")]
    Time(String),
    /// A range that ends before it starts.
    #[error("{to} is before {from}")]
    Backwards {
        /// The first day.
        from: String,
        /// The last day.
        to: String,
    },
    /// A range longer than [`MAX_SEARCH_DAYS`].
    #[error("at most {MAX_SEARCH_DAYS} days at a time")]
    TooLong,
}

impl BadDay {
    /// The problem in words, in `lang` (shown on the search forms).
    pub fn text(&self, lang: Lang) -> String {
        match (self, lang) {
            (BadDay::Date(s), Lang::Zh) => format!("「{s}」不是日期,请用 年-月-日"),
            (BadDay::Date(s), Lang::En) => format!("“{s}” is not a date: use YYYY-MM-DD"),
            (BadDay::Time(s), Lang::Zh) => format!("「{s}」不是时间,请用 时:分"),
            (BadDay::Time(s), Lang::En) => format!("“{s}” is not a time: use HH:MM"),
            (BadDay::Backwards { from, to }, Lang::Zh) => {
                format!("结束日期 {to} 早于开始日期 {from}")
            }
            (BadDay::Backwards { from, to }, Lang::En) => {
                format!("The range ends on {to}, before it starts on {from}")
            }
            (BadDay::TooLong, Lang::Zh) => format!("一次最多查 {MAX_SEARCH_DAYS} 天"),
            (BadDay::TooLong, Lang::En) => format!("At most {MAX_SEARCH_DAYS} days at a time"),
        }
    }
}

/// The service day `at` belongs to.
pub fn of(at: LocalDateTime) -> Date {
    if at.minute.as_minutes() < DAY_STARTS_MINUTES {
        at.date.add_days(-1)
    } else {
        at.date
    }
}

/// The service day before `date` (`YYYY-MM-DD`); `None` for a bad date.
pub fn previous(date: &str) -> Option<String> {
    Date::parse(date)
        .ok()
        .and_then(|d| d.checked_add_days(-1))
        .map(|d| d.to_string())
}

/// The local time of clock time `clock` (`HH:MM`) on service day `date`:
/// that date from [`DAY_STARTS_MINUTES`], the next before it.
pub fn at(date: &str, clock: &str) -> Result<LocalDateTime, BadDay> {
    let day = Date::parse(date).map_err(|_| BadDay::Date(short(date)))?;
    let minute = MinuteOfDay::parse(clock.trim()).map_err(|_| BadDay::Time(short(clock)))?;
    let date = if minute.as_minutes() < DAY_STARTS_MINUTES {
        day.checked_add_days(1)
            .ok_or_else(|| BadDay::Date(short(date)))?
    } else {
        day
    };
    Ok(LocalDateTime::new(date, minute))
}

/// A stored time (`YYYY-MM-DD HH:MM`) of service day `date` as the forms
/// show it: the clock time, and whether it is on the night after.
pub fn clock_of(date: &str, at: &str) -> (String, bool) {
    match LocalDateTime::parse(at) {
        Ok(t) => (t.minute.to_string(), t.date.to_string() != date),
        Err(_) => (at.to_owned(), false),
    }
}

/// The service day the device clock is in.
pub fn current_service_day() -> String {
    crate::platform::clock::local(crate::platform::clock::now_ms())
        .map(|t| crate::core::service_day::of(t).to_string())
        .unwrap_or_else(crate::platform::clock::today)
}

/// Every day from `from` to `to`, both included, oldest first: at most
/// [`MAX_SEARCH_DAYS`].
pub fn days_between(from: &str, to: &str) -> Result<Vec<String>, BadDay> {
    let a = Date::parse(from).map_err(|_| BadDay::Date(short(from)))?;
    let b = Date::parse(to).map_err(|_| BadDay::Date(short(to)))?;
    let n = b.days_since_epoch() - a.days_since_epoch();
    if n < 0 {
        return Err(BadDay::Backwards {
            from: a.to_string(),
            to: b.to_string(),
        });
    }
    if n >= MAX_SEARCH_DAYS as i64 {
        return Err(BadDay::TooLong);
    }
    Ok((0..=n)
        .filter_map(|i| i32::try_from(i).ok().and_then(|i| a.checked_add_days(i)))
        .map(|d| d.to_string())
        .collect())
}

fn short(s: &str) -> String {
    s.chars().take(32).collect()
}

/// `YYYY-MM` of the month after `month` (`YYYY-MM`).
fn next_month(month: &str) -> Option<String> {
    let first = Date::parse(&format!("{month}-01")).ok()?;
    let later = first.checked_add_days(31)?.to_string();
    later.get(..7).map(str::to_owned)
}

/// `YYYY-MM` of the month before the one `date` (`YYYY-MM-DD`) is in.
fn previous_month(date: &str) -> Option<String> {
    let first = Date::parse(&format!("{}-01", date.get(..7)?)).ok()?;
    let before = first.checked_add_days(-1)?.to_string();
    before.get(..7).map(str::to_owned)
}

/// The months whose boards a device shows on `today` (`YYYY-MM-DD`): this
/// and next month, and last month on the 1st (last night's work).
pub fn months_shown(today: &str) -> Vec<String> {
    let Some(this) = today.get(..7).map(str::to_owned) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if today.get(8..10) == Some("01") {
        out.extend(previous_month(today));
    }
    let next = next_month(&this);
    out.push(this);
    out.extend(next);
    out
}

/// The month `delta` months from `month` (`YYYY-MM`); `month` itself when
/// it is not one.
pub fn shift_month(month: &str, delta: i32) -> String {
    let parsed = month
        .split_once('-')
        .and_then(|(y, m)| Some((y.parse::<i32>().ok()?, m.parse::<i32>().ok()?)));
    match parsed {
        Some((y, m)) if (1..=12).contains(&m) => {
            let n = y * 12 + (m - 1) + delta;
            if (0..10_000 * 12).contains(&n) {
                format!("{:04}-{:02}", n.div_euclid(12), n.rem_euclid(12) + 1)
            } else {
                month.to_owned()
            }
        }
        _ => month.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> LocalDateTime {
        LocalDateTime::parse(s).unwrap()
    }

    #[test]
    fn the_night_belongs_to_the_day_it_began() {
        assert_eq!(of(t("2026-11-24 02:15")).to_string(), "2026-11-23");
        assert_eq!(of(t("2026-11-24 05:59")).to_string(), "2026-11-23");
        assert_eq!(of(t("2026-11-24 06:00")).to_string(), "2026-11-24");
        assert_eq!(of(t("2026-11-23 23:59")).to_string(), "2026-11-23");
        assert_eq!(of(t("2027-01-01 00:30")).to_string(), "2026-12-31");
        assert_eq!(previous("2026-03-01").as_deref(), Some("2026-02-28"));
        assert_eq!(previous("nonsense"), None);
    }

    #[test]
    fn clock_times_map_onto_the_service_day_and_back() {
        assert_eq!(
            at("2026-11-23", "21:05").unwrap().to_string(),
            "2026-11-23 21:05"
        );
        assert_eq!(
            at("2026-11-23", "02:15").unwrap().to_string(),
            "2026-11-24 02:15"
        );
        assert_eq!(
            at("2026-12-31", "00:30").unwrap().to_string(),
            "2027-01-01 00:30"
        );
        assert_eq!(at("2026-11-23", "25:00"), Err(BadDay::Time("25:00".into())));
        assert_eq!(at("2026-11-23", ""), Err(BadDay::Time(String::new())));
        assert_eq!(at("23/11", "08:00"), Err(BadDay::Date("23/11".into())));
        for clock in ["06:00", "12:30", "23:59", "00:00", "05:59"] {
            let stored = at("2026-11-23", clock).unwrap().to_string();
            let (shown, next) = clock_of("2026-11-23", &stored);
            assert_eq!(shown, clock);
            assert_eq!(next, clock < "06:00", "{clock}");
        }
    }

    #[test]
    fn ranges_of_days_are_bounded_and_in_order() {
        assert_eq!(
            days_between("2026-11-29", "2026-12-02").unwrap(),
            ["2026-11-29", "2026-11-30", "2026-12-01", "2026-12-02"]
        );
        assert_eq!(
            days_between("2026-11-29", "2026-11-29").unwrap(),
            ["2026-11-29"]
        );
        assert!(matches!(
            days_between("2026-11-29", "2026-11-28"),
            Err(BadDay::Backwards { .. })
        ));
        assert_eq!(
            days_between("2026-01-01", "2026-12-31"),
            Err(BadDay::TooLong)
        );
        assert_eq!(
            days_between("2026-01-01", "2026-03-03").unwrap().len(),
            MAX_SEARCH_DAYS
        );
        assert!(matches!(
            days_between("x", "2026-11-28"),
            Err(BadDay::Date(_))
        ));
    }

    #[test]
    fn a_bad_range_is_said_in_the_persons_language() {
        let backwards = days_between("2026-11-29", "2026-11-28").unwrap_err();
        assert_eq!(
            backwards.text(Lang::Zh),
            "结束日期 2026-11-28 早于开始日期 2026-11-29"
        );
        let bad = [
            BadDay::Date("x".into()),
            BadDay::Time("25:00".into()),
            backwards,
            BadDay::TooLong,
        ];
        for b in bad {
            let (zh, en) = (b.text(Lang::Zh), b.text(Lang::En));
            assert!(
                zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{zh}"
            );
            assert!(!en.is_empty() && zh != en && !en.contains('"') && !zh.contains('"'));
        }
    }

    #[test]
    fn boards_shown_are_this_and_next_month_and_last_month_on_the_first() {
        assert_eq!(months_shown("2026-11-25"), ["2026-11", "2026-12"]);
        assert_eq!(months_shown("2026-12-31"), ["2026-12", "2027-01"]);
        assert_eq!(
            months_shown("2027-01-01"),
            ["2026-12", "2027-01", "2027-02"]
        );
        assert_eq!(months_shown("2026-01-31"), ["2026-01", "2026-02"]);
        assert!(months_shown("").is_empty());
    }
}
