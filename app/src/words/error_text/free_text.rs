//! The words of [`BadText`]: what staff typed that cannot be stored — a
//! required text left blank, a text too long, a full ID number, an id or
//! a month that is not one. Also used by the families whose refusals say
//! the same things in their own variants (hand-overs, permits, keys).

use super::{Words, capitalised, field};
use crate::words::i18n::Msg;
use shiftbook_model::Lang;
use shiftbook_model::free_text::BadText;

/// A required text left blank: "请填写业主姓名", "Enter the owner's name".
pub(super) fn missing(what: &str) -> Words {
    let f = field(what);
    Words::new(format!("请填写{}", f.zh), format!("Enter {}", f.en))
}

/// A text longer than `max` characters: "备注不能超过 2000 字".
pub(super) fn too_long(what: &str, max: usize) -> Words {
    let f = field(what);
    Words::new(
        format!("{}不能超过 {max} 字", f.zh),
        format!("{} takes at most {max} characters", capitalised(&f.en)),
    )
}

/// An id that is not 1–64 letters, digits, `-` or `_`.
pub(super) fn bad_key(what: &str, key: &str) -> Words {
    let f = field(what);
    Words::new(
        format!("{}「{key}」无效:只能是 1–64 个字母、数字、- 或 _", f.zh),
        format!(
            "{} “{key}” is not 1–64 letters, digits, - or _",
            capitalised(&f.en)
        ),
    )
}

/// A month that is not `YYYY-MM`.
pub(super) fn bad_month(month: &str) -> Words {
    Words::new(
        format!("「{month}」不是月份,请用 年-月(如 2026-11)"),
        format!("“{month}” is not a month: use YYYY-MM (e.g. 2026-11)"),
    )
}

/// A record's date outside the month of the board it was written to
/// (a wrong month picked, or a date typed into the wrong month).
pub(super) fn other_month(date: &str, month: &str) -> Words {
    let own = date.get(..7).unwrap_or(date);
    Words::new(
        format!("{date} 的记录应记入 {own} 这个月,不能记入 {month}"),
        format!("A record of {date} belongs in {own}, not in {month}"),
    )
}

/// Two records of different sites written together.
pub(super) fn other_site() -> Words {
    Words::new(
        "这两份记录属于不同的项目,不能一起修改。请刷新后再试",
        "These records belong to different sites and cannot be changed together. Reload and try again",
    )
}

/// The words of `t`.
pub(super) fn words(t: &BadText) -> Words {
    match t {
        BadText::Missing(what) => missing(what),
        BadText::TooLong { what, max } => too_long(what, *max),
        BadText::IdNumber(what) => {
            let f = field(what);
            Words::new(
                format!(
                    "{}中像是有完整身份证号:{}",
                    f.zh,
                    Msg::NoFullIdNumber.text(Lang::Zh)
                ),
                format!(
                    "{} holds what looks like a full ID number. {}",
                    capitalised(&f.en),
                    Msg::NoFullIdNumber.text(Lang::En)
                ),
            )
        }
        BadText::BadKey { what, key } => bad_key(what, key),
        BadText::BadMonth(m) => bad_month(m),
    }
}
