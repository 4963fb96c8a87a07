//! What staff type into records, as it is stored, refused with one
//! error type ([`BadText`]) before anything is written: ids ([`key`]),
//! months ([`validate_month`]), units as compared ([`unit_key`]) — and
//! free text typed by staff ([`check`]): trimmed, within a length
//! limit, present when required — and never holding a full ID number.
//!
//! The visitor log records only the last characters of an ID document
//! ([`crate::visitor_log`]); a full number typed into any text field (a
//! visitor's name, a purpose, a duty-log event) would defeat that rule, so
//! [`check`] refuses text holding a run of [`ID_NUMBER_DIGITS`] or more
//! digits: a mainland resident ID card number has 18 characters (17
//! digits and a check digit or X), the older cards 15 digits, passports
//! and other cards fewer but those are rarely typed in full. Mobile phone
//! numbers (11 digits) pass. Full-width digits (０–９, typed with a Chinese
//! input method) count as digits. Only unbroken runs count: a number
//! typed with spaces or dashes in it is not recognised.

/// The shortest run of digits taken for a full ID number.
pub const ID_NUMBER_DIGITS: usize = 15;

/// Why typed input cannot be stored (inside [`crate::ModelError::BadText`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadText {
    /// A required text is blank.
    #[error("{0} is required")]
    Missing(&'static str),
    /// A text longer than allowed.
    #[error("{what} is longer than {max} characters")]
    TooLong {
        /// What the text is.
        what: &'static str,
        /// The most characters allowed.
        max: usize,
    },
    /// A text that holds what looks like a full ID number.
    #[error(
        "{0} holds what looks like a full ID number: full ID numbers are never stored, record only the last 4 characters"
    )]
    IdNumber(&'static str),
    /// An id that is not 1–64 letters, digits, `-` or `_`
    /// ([`crate::ids::is_key`]).
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

/// Whether `c` is a digit, ASCII or full-width.
fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// Whether `s` holds a run of at least [`ID_NUMBER_DIGITS`] digits.
pub fn has_id_number(s: &str) -> bool {
    let mut run = 0;
    for c in s.chars() {
        if is_digit(c) {
            run += 1;
            if run >= ID_NUMBER_DIGITS {
                return true;
            }
        } else {
            run = 0;
        }
    }
    false
}

/// `s` as stored: trimmed, at most `max` characters, not blank when
/// `required`, without a full ID number. `what` names the text in the
/// refusal ("the visitor's name").
pub fn check(what: &'static str, s: &str, required: bool, max: usize) -> Result<String, BadText> {
    let t = s.trim();
    if required && t.is_empty() {
        return Err(BadText::Missing(what));
    }
    if t.chars().count() > max {
        return Err(BadText::TooLong { what, max });
    }
    if has_id_number(t) {
        return Err(BadText::IdNumber(what));
    }
    Ok(t.to_owned())
}

/// At most 32 characters of `s`, for error messages.
pub(crate) fn clip(s: &str) -> String {
    s.chars().take(32).collect()
}

/// `Ok` when `id` is a key ([`crate::ids::is_key`]); `what` names it in
/// the refusal ("a complaint id").
pub(crate) fn key(what: &'static str, id: &str) -> Result<(), BadText> {
    if crate::ids::is_key(id) {
        Ok(())
    } else {
        Err(BadText::BadKey {
            what,
            key: clip(id),
        })
    }
}

/// Whether `month` is `YYYY-MM` with a month 01–12 (years 0000–9999).
pub fn is_month(month: &str) -> bool {
    month.len() == 7
        && month.as_bytes()[4] == b'-'
        && crate::schedule::Date::parse(&format!("{month}-01")).is_ok()
}

/// `Ok` when `month` is `YYYY-MM` with a month 01–12 ([`is_month`]).
pub fn validate_month(month: &str) -> Result<(), BadText> {
    if is_month(month) {
        Ok(())
    } else {
        Err(BadText::BadMonth(clip(month)))
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
    fn text_is_trimmed_bounded_and_required_when_asked() {
        assert_eq!(
            check("a note", "  巡查正常 ", true, 10),
            Ok("巡查正常".into())
        );
        assert_eq!(check("a note", " ", false, 10), Ok(String::new()));
        assert_eq!(
            check("a note", " \n", true, 10),
            Err(BadText::Missing("a note"))
        );
        assert_eq!(
            check("a note", "一二三四五", true, 5),
            Ok("一二三四五".into())
        );
        assert_eq!(
            check("a note", "一二三四五六", true, 5),
            Err(BadText::TooLong {
                what: "a note",
                max: 5
            })
        );
    }

    #[test]
    fn months_keys_and_units() {
        for good in ["2026-01", "2026-12", "0000-01", "9999-12"] {
            validate_month(good).unwrap();
        }
        for bad in ["2026-13", "2026-00", "2026-1", "2026/01", "", "２０２６-01"] {
            assert!(
                matches!(validate_month(bad), Err(BadText::BadMonth(_))),
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
            Err(BadText::BadKey { what: "an id", .. })
        ));
    }

    #[test]
    fn full_id_numbers_are_refused_and_phone_numbers_pass() {
        for bad in [
            "440106199001011234",
            "证件 44010619900101123X 已查验",
            "123456789012345",
            "４４０１０６１９９００１０１１２３４",
        ] {
            assert!(has_id_number(bad), "{bad}");
            assert_eq!(
                check("the purpose", bad, true, 100),
                Err(BadText::IdNumber("the purpose"))
            );
        }
        for good in [
            "13800138000",
            "3栋1201 电话 13800138000",
            "12345678901234",
            "1234 5678 9012 3456",
        ] {
            assert!(!has_id_number(good), "{good}");
        }
        let message = BadText::IdNumber("the visitor's name").to_string();
        assert!(message.contains("never stored"), "{message}");
    }
}
