//! The words of [`handover::Refusal`]: shift hand-overs (交接班) — the
//! written hand-over, the equipment check, refusing or taking over, both
//! signatures, and the book's pending items (遗留事项).

use super::free_text::{bad_key, bad_month, missing, other_month, too_long};
use super::{Words, field};
use shiftbook_model::handover::Refusal;

/// The words of `r`.
pub(super) fn words(r: &Refusal) -> Words {
    match r {
        Refusal::BadKey { what, key } => bad_key(what, key),
        Refusal::Empty(what) => match *what {
            // Only a refusal of a take-over needs a reason in the app.
            "a reason" => Words::new("拒绝接班须写明原因", "Say why you refuse to take over"),
            "a shift label" => Words::new("请选择班次", "Choose the shift"),
            "an equipment check" => {
                Words::new("请先逐项检查设备", "Check the equipment item by item first")
            }
            _ => missing(what),
        },
        Refusal::TooLong { what, max } => too_long(what, *max),
        Refusal::TooMany { what, max } => {
            let f = field(what);
            Words::new(
                format!("{}最多 {max} 项", f.zh),
                format!("At most {max} {}", f.en),
            )
        }
        Refusal::DuplicateEquipment(_) => Words::new(
            "同一件设备不能检查两次",
            "The same equipment is listed twice",
        ),
        Refusal::AbnormalNeedsNote(_) => Words::new(
            "异常(×)的设备须写明情况",
            "Say what is wrong with each × item",
        ),
        Refusal::SamePerson => Words::new(
            "交班人与接班人不能是同一人",
            "The incoming person cannot be the outgoing one",
        ),
        Refusal::NotOutgoing(_) => Words::new(
            "只有交班人能以交班人身份签字",
            "Only who handed over signs as outgoing",
        ),
        Refusal::NotWritten(_) => Words::new("找不到这条交班记录", "No such hand-over"),
        Refusal::AlreadyWritten(_) => {
            Words::new("这条交班记录已存在", "This hand-over is already written")
        }
        Refusal::AlreadyAccepted(_) => Words::new("已接班", "Already taken over"),
        Refusal::NotAccepted(_) => Words::new("接班后才能签字", "Take over before signing"),
        Refusal::AlreadySigned { .. } => Words::new("已签字", "Already signed"),
        Refusal::BadMonth(m) => bad_month(m),
        Refusal::OtherMonth { date, month } => other_month(date, month),
        Refusal::OtherBook { .. } => Words::new(
            "遗留事项与交接班簿不符,请刷新后再试",
            "The pending items belong to another book: reload and try again",
        ),
        Refusal::ItemExists(_) => {
            Words::new("这项遗留事项已存在", "This pending item already exists")
        }
        Refusal::ItemNotOpened(_) => Words::new("找不到该遗留事项", "No such pending item"),
        Refusal::ItemDone(_) => Words::new("该事项已完成", "Already done"),
        Refusal::ItemOpen(_) => Words::new("该事项尚未完成", "Still open"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_required_text_names_its_field() {
        assert_eq!(words(&Refusal::Empty("a summary")).zh, "请填写本班工作情况");
        assert_eq!(words(&Refusal::Empty("a note")).en, "Enter the note");
    }
}
