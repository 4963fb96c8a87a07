//! The words of [`work_permit::Refusal`]: contractors' work permits
//! (《工作联络单》) — the application's fields, approval, people coming
//! and going, the after-work sweep and closing. The application form
//! (`PermitForm`) refuses with these same words.

use super::Words;
use super::free_text::{bad_key, bad_month, missing, other_month, too_long};
use crate::words::i18n::permit_status as status_words;
use shiftbook_model::Lang;
use shiftbook_model::work_permit::{EventKind, MAX_HEADCOUNT, PermitStatus, Refusal};

/// A permit's status, as the permit cards say it (without a count).
fn status(s: PermitStatus) -> Words {
    match s {
        PermitStatus::OnSite => Words::new("施工中", "on site"),
        other => Words::each(|lang| {
            let w = status_words(lang, other, 0);
            match lang {
                Lang::Zh => w,
                Lang::En => w.to_lowercase(),
            }
        }),
    }
}

/// A step the model names by an English verb.
fn action(action: &str) -> Words {
    match action {
        "start the sweep" => Words::new("开始清场检查", "start the sweep"),
        "close" => Words::new("关闭", "close it"),
        "cancel" => Words::new("取消", "cancel it"),
        _ => Words::new("进行这一步", "take this step"),
    }
}

/// The words of `r`.
pub(super) fn words(r: &Refusal) -> Words {
    match r {
        Refusal::BadPermitId(id) => bad_key("a permit id", id),
        Refusal::BadMonth(m) => bad_month(m),
        Refusal::OtherMonth { date, month } => other_month(date, month),
        Refusal::EmptyText(field) => missing(field),
        Refusal::TooLong { field, max } => too_long(field, *max),
        Refusal::BadPlace => Words::new(
            "请选择样板房或填写施工区域",
            "Choose a show flat or enter the area",
        ),
        Refusal::BadPhone(phone) => Words::new(
            format!("「{phone}」不是电话号码:请填写负责人的电话号码(至少 3 位数字)"),
            format!(
                "“{phone}” is not a phone number: enter the team leader's number (at least 3 digits)"
            ),
        ),
        Refusal::BadWindow(_) => Words::new(
            "施工时段的开始和结束不能相同",
            "The window cannot start and end at the same time",
        ),
        Refusal::BadHeadcount(_) => Words::new(
            format!("施工人数须为 1–{MAX_HEADCOUNT}"),
            format!("The headcount is 1 to {MAX_HEADCOUNT}"),
        ),
        Refusal::BadPeople(n) => Words::new(
            format!("人数须为 1–{MAX_HEADCOUNT},不能是 {n}"),
            format!("The number of people is 1 to {MAX_HEADCOUNT}, not {n}"),
        ),
        Refusal::OverHeadcount {
            headcount,
            on_site,
            people,
        } => Words::new(
            format!("已有 {on_site} 人在场,再进 {people} 人会超过申请的 {headcount} 人"),
            format!(
                "With {on_site} on site, letting {people} in passes the {headcount} applied for"
            ),
        ),
        Refusal::ToolsNoteRequired => Words::new(
            "工具材料检查有异常(×)时须写明情况",
            "Say what is wrong when the tools and materials check is ×",
        ),
        Refusal::BadRound(_) | Refusal::BadSlot(_) => Words::new(
            "清场检查的巡查记录无效,请重新开始清场检查",
            "The sweep's round is not valid: start the sweep again",
        ),
        Refusal::DuplicatePermit(_) => Words::new(
            "这张施工单已经登记过了",
            "This permit is already registered",
        ),
        Refusal::UnknownPermit(_) => Words::new(
            "找不到这张施工单(可能还没同步到这台设备)",
            "No such permit here (it may not have reached this device yet)",
        ),
        Refusal::AlreadyApproved(_) => {
            Words::new("这张施工单已经批准", "This permit is already approved")
        }
        Refusal::Terminated { kind, .. } => match kind {
            EventKind::Rejected => Words::new(
                "这张施工单未获批准,不能再操作",
                "This permit was rejected: nothing more can be done on it",
            ),
            EventKind::Cancelled => Words::new(
                "这张施工单已取消,不能再操作",
                "This permit was cancelled: nothing more can be done on it",
            ),
            EventKind::Applied
            | EventKind::Approved
            | EventKind::Entered
            | EventKind::Exited
            | EventKind::Counted
            | EventKind::SweepStarted
            | EventKind::Closed
            | EventKind::Note => Words::new(
                "这张施工单已结束,不能再操作",
                "This permit has ended: nothing more can be done on it",
            ),
        },
        Refusal::Closed(_) => Words::new(
            "这张施工单已关闭,不能再操作",
            "This permit is closed: nothing more can be done on it",
        ),
        Refusal::ExitBeforeEntry(_) => Words::new(
            "还没有人进场,不能登记离场或清点人数",
            "Nobody has entered yet: no exit or head count to record",
        ),
        Refusal::NotOnSite { on_site, people } => Words::new(
            format!("在场只有 {on_site} 人,不能登记 {people} 人离场"),
            format!("Only {on_site} on site: {people} cannot leave"),
        ),
        Refusal::PeopleOnSite(n) => Words::new(
            format!("还有 {n} 人在场,请等全部离场后再进行"),
            format!("{n} people are still on site: wait until everyone has left"),
        ),
        Refusal::CountUnsure(_) => Words::new(
            "在场人数不确定(两台设备同时登记了进出),请先清点人数",
            "The number on site is unsure (movements logged on two devices at once): count the people first",
        ),
        Refusal::WrongStatus {
            status: s,
            action: a,
            ..
        } => {
            let (s, a) = (status(*s), action(a));
            Words::new(
                format!("施工单当前为「{}」,不能{}", s.zh, a.zh),
                format!("The permit is {}: you cannot {} now", s.en, a.en),
            )
        }
    }
}
