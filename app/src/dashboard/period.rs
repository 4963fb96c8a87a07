//! Which service dates the dashboard counts: today, this week (Monday to
//! today), this month (the 1st to today) or a range the supervisor types.
//! Pure; the page keeps the choice.

use shiftbook_model::schedule::Date;

/// The longest range the server counts at once, in days.
pub const MAX_DAYS: i64 = 366;

/// The period's kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PeriodKind {
    /// Today.
    Today,
    /// Monday of this week to today.
    Week,
    /// The 1st of this month to today.
    Month,
    /// From and to as typed.
    Range,
}

impl PeriodKind {
    /// Every kind, in the order the buttons show them.
    pub const ALL: [PeriodKind; 4] = [Self::Today, Self::Week, Self::Month, Self::Range];

    /// The `data-period` of its button.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Today => "today",
            Self::Week => "week",
            Self::Month => "month",
            Self::Range => "range",
        }
    }
}

/// Why a typed range cannot be counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadRange {
    /// A date that does not parse.
    NotADate,
    /// It ends before it starts.
    Reversed,
    /// Longer than [`MAX_DAYS`].
    TooLong,
}

/// The first and last service date of `kind` on `today`; a range's from
/// `from` and `to` (`YYYY-MM-DD`).
pub fn span(kind: PeriodKind, today: Date, from: &str, to: &str) -> Result<(Date, Date), BadRange> {
    match kind {
        PeriodKind::Today => Ok((today, today)),
        PeriodKind::Week => {
            // index: 0 for Monday.
            let back = i32::from(today.weekday().index());
            Ok((today.add_days(-back), today))
        }
        PeriodKind::Month => Ok((today.add_days(1 - i32::from(today.day())), today)),
        PeriodKind::Range => {
            let from = Date::parse(from.trim()).map_err(|_| BadRange::NotADate)?;
            let to = Date::parse(to.trim()).map_err(|_| BadRange::NotADate)?;
            let days = to.days_since_epoch() - from.days_since_epoch();
            if days < 0 {
                Err(BadRange::Reversed)
            } else if days >= MAX_DAYS {
                Err(BadRange::TooLong)
            } else {
                Ok((from, to))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn week_and_month_end_today_and_start_on_monday_and_the_first() {
        // 2026-12-07 is a Monday; 2026-12-10 a Thursday.
        let span_of = |k, today| span(k, d(today), "", "").unwrap();
        assert_eq!(
            span_of(PeriodKind::Today, "2026-12-10"),
            (d("2026-12-10"), d("2026-12-10"))
        );
        assert_eq!(
            span_of(PeriodKind::Week, "2026-12-10"),
            (d("2026-12-07"), d("2026-12-10"))
        );
        assert_eq!(
            span_of(PeriodKind::Week, "2026-12-07"),
            (d("2026-12-07"), d("2026-12-07"))
        );
        assert_eq!(
            span_of(PeriodKind::Week, "2026-12-13"),
            (d("2026-12-07"), d("2026-12-13")),
            "Sunday"
        );
        assert_eq!(
            span_of(PeriodKind::Month, "2026-12-10"),
            (d("2026-12-01"), d("2026-12-10"))
        );
    }

    #[test]
    fn a_typed_range_is_checked() {
        let today = d("2026-12-10");
        assert_eq!(
            span(PeriodKind::Range, today, " 2026-11-01", "2026-11-30 "),
            Ok((d("2026-11-01"), d("2026-11-30")))
        );
        assert_eq!(
            span(PeriodKind::Range, today, "11/01", "2026-11-30"),
            Err(BadRange::NotADate)
        );
        assert_eq!(
            span(PeriodKind::Range, today, "2026-11-30", "2026-11-01"),
            Err(BadRange::Reversed)
        );
        assert_eq!(
            span(PeriodKind::Range, today, "2025-01-01", "2026-11-30"),
            Err(BadRange::TooLong)
        );
        assert!(
            span(PeriodKind::Range, today, "2025-12-01", "2026-11-30").is_ok(),
            "365 days"
        );
    }
}
