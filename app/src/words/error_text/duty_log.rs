//! The words of [`duty_log::Refusal`]: the duty log (值班记录表) — entries
//! and their corrections.

use super::Words;
use super::free_text::bad_key;
use crate::words::i18n::Msg;
use shiftbook_model::duty_log::Refusal;

/// The words of `r`.
pub(super) fn words(r: &Refusal) -> Words {
    match r {
        Refusal::BadId { what, id } => bad_key(what, id),
        Refusal::AlreadyRecorded(_) => Words::new(
            "这条记录已经在值班记录里了",
            "This entry is already in the log",
        ),
        Refusal::UnknownEntry(_) => Words::new(
            "当天的值班记录里找不到这条记录(可能还没同步到这台设备)",
            "No such entry in this day's log (it may not have reached this device yet)",
        ),
        Refusal::NothingCorrected(_) => Words::msg(Msg::DutyNothingCorrected),
    }
}
