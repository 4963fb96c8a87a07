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
//! input method) count as digits.
//!
//! An ID number is also often typed in groups — `110101 19900307 1234`,
//! `110101-19900307-123X` — so digit groups split by spaces or dashes
//! (ASCII or full-width, any number in a row) are read together: any run of whole consecutive groups that reads as a resident
//! ID card number is refused — 18 characters (17 digits and a check digit
//! or X) with a real birth date `YYYYMMDD` (1900–2099) at characters 7–14,
//! or 15 digits with a real `YYMMDD` at 7–12, never starting with 0. The
//! birth date keeps ordinary grouped numbers apart: a unit and a phone
//! number (`1201 13800138000`), two phone numbers, a bank card's four
//! groups of four.

use crate::schedule::Date;

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

/// The value of a digit, ASCII or full-width.
fn digit_value(c: char) -> Option<u8> {
    let v = if c.is_ascii_digit() {
        u32::from(c) - u32::from('0')
    } else if ('０'..='９').contains(&c) {
        u32::from(c) - u32::from('０')
    } else {
        return None;
    };
    u8::try_from(v).ok()
}

/// Whether `c` may split the groups of a number typed in groups.
fn is_separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '\u{3000}' | '-' | '－' | '‐' | '‑' | '‒' | '–' | '—'
    )
}

/// Whether `c` is an ID card's check character X.
fn is_check_x(c: char) -> bool {
    matches!(c, 'X' | 'x' | 'Ｘ' | 'ｘ')
}

/// One group of a number typed in groups: its digits and whether a check
/// character X ends it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Group {
    digits: Vec<u8>,
    check_x: bool,
}

/// The numbers typed in `s`, each as its groups: digit runs joined by
/// separators only. An X right after a group (not
/// followed by a letter or digit) ends the group and the number.
fn grouped_numbers(s: &str) -> Vec<Vec<Group>> {
    let chars: Vec<char> = s.chars().collect();
    let mut numbers = Vec::new();
    let mut groups: Vec<Group> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let Some(first) = chars.get(i).copied().and_then(digit_value) else {
            i += 1;
            continue;
        };
        let mut digits = vec![first];
        i += 1;
        while let Some(d) = chars.get(i).copied().and_then(digit_value) {
            digits.push(d);
            i += 1;
        }
        let check_x = chars.get(i).copied().is_some_and(is_check_x)
            && !chars.get(i + 1).is_some_and(|c| c.is_alphanumeric());
        if check_x {
            i += 1;
        }
        groups.push(Group { digits, check_x });
        let mut j = i;
        while chars.get(j).copied().is_some_and(is_separator) {
            j += 1;
        }
        let continues = !check_x && j > i && chars.get(j).copied().and_then(digit_value).is_some();
        if continues {
            i = j;
        } else {
            numbers.push(std::mem::take(&mut groups));
        }
    }
    numbers
}

/// The number `digits[from..from + len]` reads as.
fn number(digits: &[u8], from: usize, len: usize) -> Option<u16> {
    digits
        .get(from..from + len)?
        .iter()
        .try_fold(0u16, |n, d| n.checked_mul(10)?.checked_add(u16::from(*d)))
}

/// Whether `year`, `month`, `day` is a real date.
fn real_date(year: u16, month: u16, day: u16) -> bool {
    match (u8::try_from(month), u8::try_from(day)) {
        (Ok(m), Ok(d)) => Date::new(year, m, d).is_ok(),
        _ => false,
    }
}

/// Whether `digits` (and a final X) read as a resident ID card number:
/// 18 characters with a birth date `YYYYMMDD` (1900–2099) after the
/// 6-digit region, or 15 digits with `YYMMDD` there.
fn reads_as_id_card(digits: &[u8], check_x: bool) -> bool {
    if digits.first().is_none_or(|d| *d == 0) {
        return false;
    }
    let date = |from: usize, year_len: usize, century: u16| -> bool {
        let (Some(y), Some(m), Some(d)) = (
            number(digits, from, year_len),
            number(digits, from + year_len, 2),
            number(digits, from + year_len + 2, 2),
        ) else {
            return false;
        };
        let year = century + y;
        (1900..=2099).contains(&year) && real_date(year, m, d)
    };
    match (digits.len(), check_x) {
        (18, false) | (17, true) => date(6, 4, 0),
        (15, false) => date(6, 2, 1900),
        _ => false,
    }
}

/// Whether `s` holds what looks like a full ID number: a run of at least
/// [`ID_NUMBER_DIGITS`] digits, or digit groups split by spaces or dashes
/// that read as a resident ID card number (see the module docs).
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
    grouped_numbers(s).iter().any(|groups| {
        (0..groups.len()).any(|from| {
            let mut digits = Vec::new();
            groups[from..].iter().any(|g| {
                digits.extend_from_slice(&g.digits);
                reads_as_id_card(&digits, g.check_x)
            })
        })
    })
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
        assert_eq!(
            check("the purpose", "110101 19900307 1234", true, 100),
            Err(BadText::IdNumber("the purpose"))
        );
        let message = BadText::IdNumber("the visitor's name").to_string();
        assert!(message.contains("never stored"), "{message}");
    }

    #[test]
    fn id_numbers_typed_in_groups_are_refused() {
        for bad in [
            "110101 19900307 1234",
            "110101-19900307-123X",
            "证件号 110101 19900307 123x,已核对",
            "1101 0119 9003 0712 34",
            "11010119900307 1234",
            "110101 - 19900307 - 1234",
            "110101    19900307 1234",
            "１１０１０１　１９９００３０７　１２３４",
            "110101－19900307－1234",
            "110101 900307 123",
            "电话 138 0013 8000 身份证 110101 19900307 1234",
            "3 110101 19900307 1234",
        ] {
            assert!(has_id_number(bad), "{bad}");
            assert_eq!(
                check("what happened", bad, true, 100),
                Err(BadText::IdNumber("what happened"))
            );
        }
    }

    #[test]
    fn grouped_numbers_that_are_not_id_numbers_pass() {
        for good in [
            "1234 5678 9012 3456",
            "138 0013 8000",
            "1201 13800138000",
            "13800138000 13900139000",
            "3栋1201 电话 138-0013-8000",
            "2026-11-23 21:05 巡查 B2",
            "010101 19901332 1234",
            "110101 19901332 1234",
            "110101 18990307 1234",
            "110101 19900307 12345",
            "110101 19900307 123XY",
            "110101 900230 123",
        ] {
            assert!(!has_id_number(good), "{good}");
        }
    }
}
