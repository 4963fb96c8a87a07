//! Checks of what people type into records — texts, ids, months — with
//! one error type, [`BadInput`] (inside [`ModelError::BadInput`]), so every
//! record module refuses bad input with the same clear words and before
//! writing anything.

use crate::ModelError;

/// Input that cannot be stored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadInput {
    /// A required text is blank.
    #[error("{0} is required")]
    Empty(&'static str),
    /// A text longer than allowed.
    #[error("{what} is longer than {max} characters")]
    TooLong {
        /// What the text is.
        what: &'static str,
        /// The most characters allowed.
        max: usize,
    },
    /// An id that is not 1–64 letters, digits, `-` or `_`.
    #[error("{what} {key:?} is not 1–64 letters, digits, - or _")]
    BadKey {
        /// What the id names.
        what: &'static str,
        /// The id (at most 32 characters of it).
        key: String,
    },
    /// A month that is not `YYYY-MM` (month 01–12).
    #[error("not a month (YYYY-MM): {0:?}")]
    BadMonth(String),
}

/// At most 32 characters of `s`, for error messages.
pub(crate) fn clip(s: &str) -> String {
    s.chars().take(32).collect()
}

/// `s` trimmed; refused when blank and `required`, or longer than `max`
/// characters.
pub(crate) fn text(
    what: &'static str,
    s: &str,
    required: bool,
    max: usize,
) -> Result<String, ModelError> {
    let t = s.trim();
    if required && t.is_empty() {
        return Err(BadInput::Empty(what).into());
    }
    if t.chars().count() > max {
        return Err(BadInput::TooLong { what, max }.into());
    }
    Ok(t.to_owned())
}

/// `Ok` when `id` is a key ([`crate::ids::is_key`]).
pub(crate) fn key(what: &'static str, id: &str) -> Result<(), ModelError> {
    if crate::ids::is_key(id) {
        Ok(())
    } else {
        Err(BadInput::BadKey {
            what,
            key: clip(id),
        }
        .into())
    }
}

/// `Ok` when `month` is `YYYY-MM` with a month 01–12 (years 0000–9999).
pub fn validate_month(month: &str) -> Result<(), ModelError> {
    let ok = month.len() == 7
        && month.as_bytes()[4] == b'-'
        && crate::schedule::Date::parse(&format!("{month}-01")).is_ok();
    if ok {
        Ok(())
    } else {
        Err(BadInput::BadMonth(clip(month)).into())
    }
}

/// The month `YYYY-MM` of a date.
pub fn month_of(date: crate::schedule::Date) -> String {
    format!("{:04}-{:02}", date.year(), date.month())
}

/// A unit (房号) as compared in searches and views by unit: without
/// spaces, full-width letters and digits as ASCII, letters upper-case — so
/// "3栋 1201", "3栋１２０１" and "3栋1201" are one unit. The typed text is
/// what is stored and shown.
pub fn unit_key(unit: &str) -> String {
    unit.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            // Full-width ASCII (！ to ～) to ASCII.
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
            '—' | '–' => '-',
            other => other,
        })
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_trimmed_and_bounded() {
        assert_eq!(text("a note", "  好 ", true, 3).unwrap(), "好");
        assert_eq!(text("a note", "   ", false, 3).unwrap(), "");
        assert!(matches!(
            text("a note", " \n", true, 3),
            Err(ModelError::BadInput(BadInput::Empty("a note")))
        ));
        assert!(matches!(
            text("a note", "四个汉字", true, 3),
            Err(ModelError::BadInput(BadInput::TooLong { max: 3, .. }))
        ));
        assert_eq!(text("a note", "三个字", true, 3).unwrap(), "三个字");
    }

    #[test]
    fn months_and_keys() {
        for good in ["2026-01", "2026-12", "0000-01", "9999-12"] {
            validate_month(good).unwrap();
        }
        for bad in ["2026-13", "2026-00", "2026-1", "2026/01", "", "２０２６-01"] {
            assert!(
                matches!(
                    validate_month(bad),
                    Err(ModelError::BadInput(BadInput::BadMonth(_)))
                ),
                "{bad}"
            );
        }
        let d = crate::schedule::Date::parse("2026-02-28").unwrap();
        assert_eq!(month_of(d), "2026-02");
        key("an id", "c-1_x").unwrap();
        assert_eq!(unit_key(" 3栋 １２０１ "), "3栋1201");
        assert_eq!(unit_key("b-1201"), unit_key("Ｂ－１２０１"));
        assert!(matches!(
            key("an id", "a/b"),
            Err(ModelError::BadInput(BadInput::BadKey { what: "an id", .. }))
        ));
    }
}
