//! Every refusal a person sees, in their language: the one place that
//! turns a [`ModelError`] — every variant, and every variant of every
//! `Refusal` it wraps — into a sentence a front-line person understands,
//! in Simplified Chinese and English, naming the field or the rule
//! ("备注不能超过 2000 字", "只有领班或主管可以审阅签字"). The matches over
//! the model's enums are exhaustive (no catch-all), so a new variant
//! cannot compile without its words.
//!
//! * [`model_error`] / [`words`]: a refused model change.
//! * [`schedule_error`]: a refused schedule (the checklist editor).
//! * [`AppProblem`]: what the app itself refuses before the model is
//!   asked (nobody signed in, the record not on this device, the
//!   tablet's storage refused the write, the clock unreadable…).
//!
//! The model names fields with fixed English words ("the owner", "a
//! note"); [`fields`] gives them their names on the screen. The words of
//! each family of refusals live in their own file, named after the model
//! module they translate.

mod checkpoint;
mod complaint;
mod duty_log;
mod fields;
mod followup;
mod free_text;
mod handover;
mod key_register;
mod owner_visit;
mod rules;
mod schedule;
mod visitor_log;
mod work_permit;

/// Why the form cannot be saved: a short reason for the person
/// typing it (a model rule's refusal in their words, or the form's own).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormError(pub String);

#[cfg(test)]
mod tests;

use crate::core::error::{AppError, AppProblem};
use crate::words::i18n::Msg;
use shiftbook_model::schedule::ScheduleError;
use shiftbook_model::{Lang, ModelError};

pub use fields::field;

/// One sentence in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Words {
    /// Simplified Chinese.
    pub zh: String,
    /// English.
    pub en: String,
}

impl Words {
    /// The sentence in `zh` and `en`.
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// The sentence `f` writes in each language.
    pub fn each(f: impl Fn(Lang) -> String) -> Self {
        Self {
            zh: f(Lang::Zh),
            en: f(Lang::En),
        }
    }

    /// A fixed UI text's two languages.
    pub fn msg(m: Msg) -> Self {
        Self::new(m.text(Lang::Zh), m.text(Lang::En))
    }

    /// The sentence in `lang`.
    pub fn pick(self, lang: Lang) -> String {
        match lang {
            Lang::Zh => self.zh,
            Lang::En => self.en,
        }
    }
}

/// `s` with its first letter in upper case (English sentences start with
/// a field's name: "the owner" → "The owner").
pub(crate) fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A refused model change in words, in `lang`.
pub fn model_error(lang: Lang, e: &ModelError) -> String {
    words(e).pick(lang)
}

/// A refused model change in both languages.
pub fn words(e: &ModelError) -> Words {
    match e {
        ModelError::Automerge(_) => Words::new(
            "记录数据出错,这次没有保存。请重试,仍不行请告诉主管",
            "The record's data could not be changed, so nothing was saved. Try again, and tell your supervisor if it happens again",
        ),
        ModelError::Hydrate(_) => Words::new(
            "这份记录的内容格式不对,无法读取。请更新应用,仍不行请告诉主管",
            "This record's contents are not in the expected form and cannot be read. Update the app, and tell your supervisor if it happens again",
        ),
        ModelError::Reconcile(_) => Words::new(
            "无法写入这份记录,这次没有保存。请重试,仍不行请告诉主管",
            "The record could not be written, so nothing was saved. Try again, and tell your supervisor if it happens again",
        ),
        ModelError::WrongSchema(_) => Words::new(
            "这份记录是另一种或更新版本的记录,本应用不能修改。请刷新或更新应用",
            "This record is of another kind or from a newer version of the app, which this app cannot change. Reload or update the app",
        ),
        ModelError::Corrupt(_) => Words::new(
            "这份记录缺少部分内容,无法修改。已记下的内容不受影响,请告诉主管",
            "This record is missing some of its contents and cannot be changed. What was recorded is kept; tell your supervisor",
        ),
        ModelError::UnknownItem(_) => AppProblem::UnknownItem.words(),
        ModelError::BadDate(s) => Words::new(
            format!("「{s}」不是日期,请用 年-月-日(如 2026-11-23)"),
            format!("“{s}” is not a date: use YYYY-MM-DD (e.g. 2026-11-23)"),
        ),
        ModelError::EmptyChange => Words::new(
            "没有任何改动,无需保存",
            "Nothing was changed, so there is nothing to save",
        ),
        ModelError::BadAttachment(why) => Words::new(
            format!("这张照片无法上传:{why}"),
            format!("This photo cannot be sent: {why}"),
        ),
        ModelError::BadPin => Words::new("PIN 须为 4–8 位数字", "A PIN is 4 to 8 digits"),
        ModelError::BadIterations(n) => Words::new(
            format!("这个 PIN 的加密设置({n} 次)不可用,请为此人重新设置 PIN"),
            format!(
                "This PIN's hash setting ({n} rounds) cannot be used: set the person's PIN again"
            ),
        ),
        ModelError::BadMember(_) => Words::new(
            "人员信息不完整:须有编号和姓名",
            "A staff member needs an id and a name",
        ),
        ModelError::NotAllowed { role, meaning } => rules::not_allowed(role, meaning),
        ModelError::OutOfRange { setting, low, high } => rules::out_of_range(setting, *low, *high),
        ModelError::BadTemplate(_) => Words::new(
            "检查表模板有误:须有编号(1–64 个字母、数字、- 或 _)、标题和至少一项;每项须有不重复的编号(不含空格和 /)和名称;时间安排须有效",
            "The checklist cannot be used: it needs an id (1–64 letters, digits, - or _), a title and at least one item; every item needs its own id (no spaces or /) and a name; the schedule must be valid",
        ),
        ModelError::NotStarted => Words::new(
            "这次巡查还没有开始,请先开始巡查",
            "This round has not been started: start it first",
        ),
        ModelError::NoteRequired(_) => Words::new(
            "这一项标记为异常(×)时须写明情况",
            "Say what is wrong when you mark this item abnormal (×)",
        ),
        ModelError::BadHeads(_) => Words::new(
            "签字所对应的记录内容不在这台设备上,请等同步完成后再签",
            "The record a signature covers is not on this device yet: wait for the sync, then sign",
        ),
        ModelError::FollowUp(r) => followup::words(r),
        ModelError::Permit(r) => work_permit::words(r),
        ModelError::Handover(r) => handover::words(r),
        ModelError::KeyRegister(r) => key_register::words(r),
        ModelError::Complaint(r) => complaint::words(r),
        ModelError::OwnerVisit(r) => owner_visit::words(r),
        ModelError::BadItemList(_) => Words::each(rules::item_list),
        ModelError::UnknownFlatItem(_) => Words::new(
            "样板房物品清单上没有这件物品(清单可能刚被主管修改),请返回后重新打开",
            "The show flat's item list has no such item (a supervisor may just have changed it): go back and open it again",
        ),
        ModelError::UnknownRoom(_) => Words::new(
            "样板房物品清单上没有这个房间(清单可能刚被主管修改),请返回后重新打开",
            "The show flat's item list has no such room (a supervisor may just have changed it): go back and open it again",
        ),
        ModelError::BadCount(_) => Words::each(rules::count),
        ModelError::BadFeedback(_) => Words::each(rules::feedback),
        ModelError::BadText(t) => free_text::words(t),
        ModelError::BadDateTime(s) => Words::new(
            format!("「{s}」不是日期和时间,请用 年-月-日 时:分"),
            format!("“{s}” is not a date and time: use YYYY-MM-DD HH:MM"),
        ),
        ModelError::OutsideServiceDay { at, date } => Words::new(
            format!("{at} 不在 {date} 这个班日内(当天 06:00 至次日 06:00)"),
            format!("{at} is not in the service day {date} (06:00 that day to 06:00 the next)"),
        ),
        ModelError::DutyLog(r) => duty_log::words(r),
        ModelError::VisitorLog(r) => visitor_log::words(r),
        ModelError::Checkpoint(r) => checkpoint::words(r),
    }
}

/// A refused schedule in words, in `lang` (the checklist editor).
pub fn schedule_error(lang: Lang, e: &ScheduleError) -> String {
    schedule::words(e).pick(lang)
}

impl AppError {
    /// The refusal in `lang`: a model rule's words or the app's own.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            Self::Model(e) => model_error(lang, e),
            Self::Problem(p) => p.text(lang),
        }
    }
}

impl AppProblem {
    /// The problem in both languages.
    pub fn words(self) -> Words {
        match self {
            AppProblem::NotSignedIn => Words::new(
                "请先签到(输入 PIN)再操作,这次没有保存",
                "Sign in with your PIN first; nothing was saved",
            ),
            AppProblem::NotOpen => Words::new(
                "这份记录还不在这台设备上,请稍候(联网后会自动获取)再试",
                "This record is not on this device yet: wait a moment (it arrives when online) and try again",
            ),
            AppProblem::StorageFailed => Words::msg(Msg::StorageFailed),
            AppProblem::PhotoUnreadable => Words::new(
                "这个文件不是本机能读取的照片,请重新拍照或选择照片",
                "This file is not a photo this tablet can read: take or pick the photo again",
            ),
            AppProblem::PhotoFailed => Words::new(
                "照片未能保存到本机,请重试;如仍失败请通知主管",
                "The photo could not be kept on this tablet: try again, and tell your supervisor if it fails again",
            ),
            AppProblem::SupervisorsOnly => Words::new(
                "只有主管可以修改人员名单、检查表和设置",
                "Only a supervisor changes the roster, the checklists and the settings",
            ),
            AppProblem::NoClock => Words::new(
                "无法读取本机时间,请检查设备的日期和时间设置",
                "This device's clock cannot be read: check its date and time settings",
            ),
            AppProblem::UnknownItem => Words::new(
                "这张检查表上没有这一项(检查表可能刚被主管修改),请返回后重新打开",
                "This checklist has no such item (a supervisor may just have changed it): go back and open it again",
            ),
            AppProblem::NoChecklist => Words::new(
                "这台设备上还没有所需的检查表,请联网后再试",
                "The checklist this needs is not on this device yet: try again when online",
            ),
            AppProblem::EngineNotLoaded => Words::msg(Msg::EngineNotLoaded),
        }
    }

    /// The problem in `lang`.
    pub fn text(self, lang: Lang) -> String {
        self.words().pick(lang)
    }
}
