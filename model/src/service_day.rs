//! The local times of a service day: when something happened, as staff
//! write it on the paper forms — a local date and time to the minute,
//! `YYYY-MM-DD HH:MM` — checked against the day whose record it goes in.
//!
//! A service day's record takes times on its own date and on the calendar
//! day after: a night shift's events run past midnight and still belong to
//! the day the shift started (like a night patrol's slots,
//! [`crate::schedule`]). Times are stored in the canonical form
//! [`crate::schedule::LocalDateTime`] displays (`2026-11-23 21:05`), so
//! stored times sort chronologically as text.

use crate::ModelError;
use crate::free_text::clip;
use crate::schedule::{Date, LocalDateTime};

/// Parse `at` (`YYYY-MM-DD HH:MM`, or with `T`) as a time of the service
/// day `date`: on `date` or on the day after. Returns the canonical form.
/// [`ModelError::BadDate`] for a bad `date`, [`ModelError::BadDateTime`]
/// for a bad `at`, [`ModelError::OutsideServiceDay`] for a time of
/// another day.
pub fn check(date: &str, at: &str) -> Result<String, ModelError> {
    let day = Date::parse(date).map_err(|_| ModelError::BadDate(clip(date)))?;
    let time = parse(at)?;
    if time.date == day || Some(time.date) == day.checked_add_days(1) {
        Ok(time.to_string())
    } else {
        Err(ModelError::OutsideServiceDay {
            at: time.to_string(),
            date: day.to_string(),
        })
    }
}

/// Parse `at` as a local date and time, `YYYY-MM-DD HH:MM` (or with `T`).
pub fn parse(at: &str) -> Result<LocalDateTime, ModelError> {
    LocalDateTime::parse(at.trim()).map_err(|_| ModelError::BadDateTime(clip(at)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_of_the_day_and_the_night_after_are_accepted_in_canonical_form() {
        assert_eq!(
            check("2026-11-23", "2026-11-23 08:00").unwrap(),
            "2026-11-23 08:00"
        );
        assert_eq!(
            check("2026-11-23", " 2026-11-24T03:15 ").unwrap(),
            "2026-11-24 03:15"
        );
        assert_eq!(
            check("2026-12-31", "2027-01-01 00:30").unwrap(),
            "2027-01-01 00:30"
        );
    }

    #[test]
    fn other_days_and_malformed_times_are_refused() {
        for (at, outside) in [
            ("2026-11-22 23:59", true),
            ("2026-11-25 00:00", true),
            ("2026-11-23", false),
            ("2026-11-23 24:00", false),
            ("2026-02-30 10:00", false),
            ("", false),
        ] {
            match check("2026-11-23", at) {
                Err(ModelError::OutsideServiceDay { .. }) if outside => {}
                Err(ModelError::BadDateTime(_)) if !outside => {}
                other => panic!("{at:?}: {other:?}"),
            }
        }
        assert!(matches!(
            check("2026-13-01", "2026-11-23 08:00"),
            Err(ModelError::BadDate(_))
        ));
    }
}
