//! The words of [`checkpoints::Refusal`]: the site's checkpoints, their
//! labels and the scans of a round.

use super::Words;
use shiftbook_model::checkpoints::{MAX_NAME, MAX_PROVES, Refusal};

/// The words of `r`.
pub(super) fn words(r: &Refusal) -> Words {
    match r {
        Refusal::BadId => Words::new(
            "巡更点编号须为 1–64 个字母、数字、- 或 _",
            "A checkpoint id is 1–64 letters, digits, - or _",
        ),
        Refusal::BadName => Words::new(
            format!("巡更点须有名称(最多 {MAX_NAME} 个字)"),
            format!("A checkpoint needs a name of at most {MAX_NAME} characters"),
        ),
        Refusal::BadPlace => Words::new(
            format!("位置最多 {MAX_NAME} 个字"),
            format!("A place is at most {MAX_NAME} characters"),
        ),
        Refusal::BadCode => Words::new(
            "这不是本系统的巡更点标签",
            "This is not a checkpoint label of Shiftbook",
        ),
        Refusal::CodeInUse(_) => Words::new(
            "这个标签码已属于另一个巡更点",
            "This label's code belongs to another checkpoint",
        ),
        Refusal::BadProves => Words::new(
            "巡更点证明的每一项须选一个检查表的一项或一个区域",
            "What a checkpoint proves is one item or one area of a checklist",
        ),
        Refusal::TooManyProves => Words::new(
            format!("一个巡更点最多证明 {MAX_PROVES} 项"),
            format!("A checkpoint proves at most {MAX_PROVES} items or areas"),
        ),
        Refusal::Unknown(_) => Words::new(
            "找不到这个巡更点(可能还没同步到这台设备)",
            "No such checkpoint here (it may not have reached this device yet)",
        ),
    }
}
