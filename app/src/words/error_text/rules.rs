//! The words of the model's rules that are not one family's: who may
//! sign or decide what ([`ModelError::NotAllowed`]), a setting's range
//! ([`ModelError::OutOfRange`]), and the show flats' item lists, counts
//! and guest feedback, whose refusals carry only an English detail — the
//! rule is said in full instead.
//!
//! [`ModelError::NotAllowed`]: shiftbook_model::ModelError::NotAllowed
//! [`ModelError::OutOfRange`]: shiftbook_model::ModelError::OutOfRange

use super::Words;
use shiftbook_model::roster::Role;
use shiftbook_model::settings::Setting;
use shiftbook_model::show_flat::{
    MAX_FEEDBACK_CHARS, MAX_GUEST_CHARS, MAX_QUANTITY, MAX_VISITORS_ADDED,
};
use shiftbook_model::signature::Meaning;
use shiftbook_model::{Lang, followup, handover, visitor_log, work_permit};

/// A stored word ("daily-review", "leader") read back as the model's
/// enum, through its serde names.
fn parse<T: serde::de::DeserializeOwned>(word: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(word.to_owned())).ok()
}

/// Who may sign with `meaning`.
fn signing(meaning: Meaning) -> Words {
    match meaning {
        Meaning::DailyReview => Words::new(
            "只有领班或主管可以审阅签字",
            "Only a team leader or a supervisor signs the review",
        ),
        Meaning::HandoverOutgoing => Words::new(
            "你不能以交班人身份签字",
            "You may not sign as the outgoing person",
        ),
        Meaning::HandoverIncoming => Words::new(
            "你不能以接班人身份签字",
            "You may not sign as the incoming person",
        ),
        Meaning::MonthlyReview => Words::new(
            "只有主管可以在月底审核签字",
            "Only a supervisor signs the month's review",
        ),
    }
}

/// A person in `role` may not do what `meaning` names.
pub(super) fn not_allowed(role: &str, meaning: &str) -> Words {
    if let Some(m) = parse::<Meaning>(meaning) {
        return signing(m);
    }
    match meaning {
        work_permit::APPROVE_MEANING => Words::new(
            "只有领班或主管可以批准施工",
            "Only a team leader or a supervisor approves a work permit",
        ),
        work_permit::REJECT_MEANING => Words::new(
            "只有领班或主管可以驳回施工申请",
            "Only a team leader or a supervisor rejects a work permit",
        ),
        work_permit::CLOSE_MEANING => Words::new(
            "只有领班或主管可以关闭施工单",
            "Only a team leader or a supervisor closes a work permit",
        ),
        visitor_log::APPROVE_MEANING => Words::new(
            "只有主管可以批准或拒绝这位访客",
            "Only a supervisor approves or refuses this visitor",
        ),
        followup::NOTICE_MEANING => Words::new(
            "只有主管可以发整改通知单",
            "Only a supervisor issues a rectification notice",
        ),
        _ => {
            let role = parse::<Role>(role);
            Words::each(|lang| match (lang, role) {
                (Lang::Zh, Some(r)) => {
                    format!("{}不能做这项操作", crate::words::i18n::role(lang, r))
                }
                (Lang::En, Some(r)) => {
                    format!(
                        "A {} may not do this",
                        crate::words::i18n::role(lang, r).to_lowercase()
                    )
                }
                (Lang::Zh, None) => "你的角色不能做这项操作".to_owned(),
                (Lang::En, None) => "Your role may not do this".to_owned(),
            })
        }
    }
}

/// A setting (or a figure the app passes for one) outside `low..=high`.
pub(super) fn out_of_range(setting: &str, low: i64, high: i64) -> Words {
    let name = Setting::ALL
        .into_iter()
        .find(|s| s.key() == setting)
        .map(|s| Words::msg(crate::words::i18n::setting_label(s)))
        .unwrap_or_else(|| match setting {
            handover::WAIT_SETTING => {
                Words::new("接班等待时间(分钟)", "The take-over wait (minutes)")
            }
            _ => Words::new("这项设置", "This setting"),
        });
    Words::new(
        format!("{}须在 {low} 到 {high} 之间", name.zh),
        format!("{} must be between {low} and {high}", name.en),
    )
}

/// A show flat's item list that cannot be stored.
pub(super) fn item_list(lang: Lang) -> String {
    match lang {
        Lang::Zh => format!(
            "物品清单有误:样板房须有名称和至少一个房间;每个房间须有名称和至少一件物品;每件物品须有名称,编号不能重复,应有数量最多 {MAX_QUANTITY}"
        ),
        Lang::En => format!(
            "The item list cannot be used: the flat needs a name and at least one room; every room a name and at least one item; every item a name and its own id, and at most {MAX_QUANTITY} expected"
        ),
    }
}

/// A count or visitor number that cannot be recorded.
pub(super) fn count(lang: Lang) -> String {
    match lang {
        Lang::Zh => format!(
            "数量不对:清点数量最多 {MAX_QUANTITY};访客每次加 1–{MAX_VISITORS_ADDED} 人;更正访客人数不能多于已记人数,并须写明原因"
        ),
        Lang::En => format!(
            "Not a usable number: a count is at most {MAX_QUANTITY}; visitors are added 1 to {MAX_VISITORS_ADDED} at a time; a correction is at most the visitors counted, with a reason"
        ),
    }
}

/// Guest feedback that cannot be recorded.
pub(super) fn feedback(lang: Lang) -> String {
    match lang {
        Lang::Zh => format!(
            "请填写客人意见(最多 {MAX_FEEDBACK_CHARS} 字);客人称呼最多 {MAX_GUEST_CHARS} 字"
        ),
        Lang::En => format!(
            "Write the guest's feedback (at most {MAX_FEEDBACK_CHARS} characters); who the guest is takes at most {MAX_GUEST_CHARS}"
        ),
    }
}
