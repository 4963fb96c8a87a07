//! The words of [`complaint::Refusal`]: owner requests and complaints
//! (《业主投诉登记表》) — the steps from receipt to return visit and close,
//! and the rules on who may close when.

use super::Words;
use super::free_text::{other_month, other_site};
use crate::words::i18n::complaint_difficulty as difficulty;
use shiftbook_model::complaint::Refusal;

/// The words of `r`.
pub(super) fn words(r: &Refusal) -> Words {
    match r {
        Refusal::OtherMonth { received, month } => other_month(received, month),
        Refusal::OtherSite { .. } => other_site(),
        Refusal::Exists(_) => Words::new(
            "这条投诉已经登记过了",
            "This complaint is already registered",
        ),
        Refusal::Unknown(_) => Words::new(
            "找不到这条投诉(可能还没同步到这台设备)",
            "No such complaint here (it may not have reached this device yet)",
        ),
        Refusal::Closed(_) => Words::new(
            "这条投诉已关闭,不能再操作",
            "This complaint is closed: nothing more can be done on it",
        ),
        Refusal::NotForwarded(_) => Words::new(
            "还没有转交部门,不能确认签收",
            "It has not been forwarded to a department yet: no receipt to confirm",
        ),
        Refusal::NotReplied(_) => Words::new(
            "还没有答复业主:先答复,才能回访或由员工关闭",
            "The owner has not had a reply: reply first, before a return visit or a close by staff",
        ),
        Refusal::Unsatisfied(_) => Words::new(
            "业主回访不满意:只有领班或主管可以关闭,并须写明原因",
            "The owner was unsatisfied at the return visit: only a team leader or a supervisor closes it, with a reason",
        ),
        Refusal::NotEscalated(_) => Words::new(
            "这是重大投诉:须先上报经理,才能关闭",
            "This complaint is serious: escalate it to the manager before closing",
        ),
        Refusal::AlreadySerious(_) => Words::new(
            "这条投诉已标记为重大投诉",
            "This complaint is already marked serious",
        ),
        Refusal::SameDifficulty { difficulty: d, .. } => Words::each(|lang| {
            let word = difficulty(lang, Some(*d));
            match lang {
                shiftbook_model::Lang::Zh => format!("难度已经是「{word}」"),
                shiftbook_model::Lang::En => format!("The difficulty is already “{word}”"),
            }
        }),
    }
}
