//! The words of [`visitor_log::Refusal`]: the visitor log (来人来访记录表)
//! — who comes in, the ID seen (only its last characters), supervisors'
//! approval of blocked visitors, exits. The new-visit form refuses with
//! the same fixed texts where it checks the same rule first.

use super::Words;
use super::free_text::{bad_key, other_site};
use crate::words::i18n::Msg;
use crate::words::i18n::{visit_category as category, visit_status as status};
use shiftbook_model::visitor_log::Refusal;

/// The words of `r`.
pub(super) fn words(r: &Refusal) -> Words {
    match r {
        Refusal::BadId(id) => bad_key("a logged visit id", id),
        Refusal::IdTooLong | Refusal::BadIdCharacters => Words::msg(Msg::VisitIdLastOnly),
        Refusal::IdMissing => Words::msg(Msg::VisitIdMissing),
        Refusal::IdWithoutType => Words::msg(Msg::VisitIdWithoutType),
        Refusal::BadPeople(_) => Words::msg(Msg::VisitBadPeople),
        Refusal::NeedsSupervisor(c) => Words::each(|lang| match lang {
            shiftbook_model::Lang::Zh => {
                format!("「{}」类来访须经主管批准才能进入", category(lang, *c))
            }
            shiftbook_model::Lang::En => format!(
                "A visitor of the category “{}” comes in only with a supervisor's approval",
                category(lang, *c)
            ),
        }),
        Refusal::AlreadyLogged(_) => {
            Words::new("这次来访已经登记过了", "This visit is already logged")
        }
        Refusal::UnknownVisit(_) => Words::new(
            "当天的来访记录里找不到这次来访(可能还没同步到这台设备)",
            "No such visit in this day's log (it may not have reached this device yet)",
        ),
        Refusal::NoApprovalNeeded(_) => Words::new(
            "这次来访不需要主管批准",
            "This visit does not need a supervisor's approval",
        ),
        Refusal::AlreadyDecided { status: s, .. } => Words::each(|lang| match lang {
            shiftbook_model::Lang::Zh => format!("这次来访已处理:{}", status(lang, *s)),
            shiftbook_model::Lang::En => {
                format!("This visit is already decided: {}", status(lang, *s))
            }
        }),
        Refusal::NotInside { status: s, .. } => Words::each(|lang| match lang {
            shiftbook_model::Lang::Zh => format!("来访人不在内(现在是「{}」)", status(lang, *s)),
            shiftbook_model::Lang::En => {
                format!("The visitor is not inside (now: {})", status(lang, *s))
            }
        }),
        Refusal::OutBeforeIn { time_in, time_out } => Words::new(
            format!("离开时间 {time_out} 早于进入时间 {time_in}"),
            format!("The time out {time_out} is before the time in {time_in}"),
        ),
        Refusal::OtherSite { .. } => other_site(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shiftbook_model::visitor_log::{MAX_ID_CHARS, MAX_PEOPLE};

    #[test]
    fn the_id_rules_read_as_the_form_says_them() {
        assert_eq!(words(&Refusal::IdTooLong), Words::msg(Msg::VisitIdLastOnly));
        assert!(
            words(&Refusal::IdTooLong)
                .zh
                .contains(&MAX_ID_CHARS.to_string())
        );
        assert!(
            words(&Refusal::BadPeople(0))
                .zh
                .contains(&MAX_PEOPLE.to_string())
        );
    }
}
