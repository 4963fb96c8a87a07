//! The words of [`owner_visit::Refusal`]: the monthly owner-visit record
//! (《业户访问记录》) — visits, their follow-ups and the supervisor's
//! month-end signature.

use super::Words;
use super::free_text::other_month;
use shiftbook_model::owner_visit::Refusal;

/// The words of `r`.
pub(super) fn words(r: &Refusal) -> Words {
    match r {
        Refusal::OtherMonth { date, month } => other_month(date, month),
        Refusal::Exists(_) => Words::new("这次访问已经登记过了", "This visit is already recorded"),
        Refusal::Unknown(_) => Words::new(
            "找不到这次访问(可能还没同步到这台设备)",
            "No such visit here (it may not have reached this device yet)",
        ),
        Refusal::NoFollowUp(_) => {
            Words::new("这次访问没有需跟进的事项", "This visit needs no follow-up")
        }
        Refusal::AlreadyFollowedUp(_) => {
            Words::new("这次访问已经跟进过了", "This visit is already followed up")
        }
        Refusal::MonthNotOver { month, today } => Words::new(
            format!("{month} 的访问记录要到月底最后一天才能审核签字(今天是 {today})"),
            format!("The record of {month} is signed from its last day on, not on {today}"),
        ),
    }
}
