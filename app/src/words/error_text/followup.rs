//! The words of [`followup::Refusal`]: follow-ups (报修/整改) opened by ×
//! marks — notes, closing with what was done, rectification notices.

use super::Words;
use super::free_text::{bad_month, other_month, other_site};
use shiftbook_model::followup::Refusal;

/// The words of `r`.
pub(super) fn words(r: &Refusal) -> Words {
    match r {
        Refusal::EmptyKey => Words::new(
            "这条跟进事项缺少编号,无法保存",
            "This follow-up has no id and cannot be saved",
        ),
        Refusal::BadSource(what) => {
            let f = super::field(what);
            Words::new(
                format!("跟进事项缺少来源:{}", f.zh),
                format!("A follow-up needs its source: {}", f.en),
            )
        }
        Refusal::EmptyAction => Words::new(
            "关闭跟进事项须写明处理结果",
            "Say what was done before closing the follow-up",
        ),
        Refusal::EmptyNote => {
            Words::new("请填写备注或添加附件", "Write a note or add an attachment")
        }
        Refusal::EmptyNotice => Words::new(
            "请填写整改通知的内容",
            "Write what the rectification notice requires",
        ),
        Refusal::BlankAttachment => Words::new(
            "附件为空,请重新添加",
            "An attachment is blank: add it again",
        ),
        Refusal::BadMonth(m) => bad_month(m),
        Refusal::OtherMonth { date, month } => other_month(date, month),
        Refusal::OtherSite { .. } => other_site(),
        Refusal::NotOpened(_) => Words::new(
            "找不到这条跟进事项(可能还没同步到这台设备)",
            "No such follow-up here (it may not have reached this device yet)",
        ),
        Refusal::AlreadyClosed(_) => {
            Words::new("这条跟进事项已经关闭", "This follow-up is already closed")
        }
        Refusal::NotClosed(_) => Words::new("这条跟进事项仍未关闭", "This follow-up is still open"),
    }
}
