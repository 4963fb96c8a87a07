//! The words of [`key_register::Refusal`]: the show flats' key register
//! (《样板房钥匙持用人登记表》) — registering keys, hand-overs and their
//! confirmation, lost and found keys, lock changes and withdrawals.

use super::Words;
use super::free_text::bad_key;
use shiftbook_model::key_register::{
    EventKind, MAX_HOLDER_CHARS, MAX_LABEL_CHARS, MAX_TEXT_CHARS, Refusal,
};
use shiftbook_model::roster::Role;

/// What recording `kind` does, as a verb phrase.
fn doing(kind: EventKind) -> Words {
    match kind {
        EventKind::Registered => Words::new("登记钥匙", "register a key"),
        EventKind::HandedOver => Words::new("交出钥匙", "hand a key over"),
        EventKind::Confirmed => Words::new("确认收到钥匙", "confirm receiving a key"),
        EventKind::Lost => Words::new("报失钥匙", "report a key lost"),
        EventKind::Found => Words::new("登记钥匙找回", "record a key found"),
        EventKind::LockChanged => Words::new("登记换锁", "record a lock change"),
        EventKind::Withdrawn => Words::new("收回钥匙", "withdraw a key"),
        EventKind::Note => Words::new("给钥匙加备注", "add a note on a key"),
    }
}

/// The words of `r`.
pub(super) fn words(r: &Refusal) -> Words {
    match r {
        Refusal::BadId { what, id } => bad_key(what, id),
        Refusal::BadLabel => Words::new(
            format!("请填写钥匙名称(最多 {MAX_LABEL_CHARS} 字)"),
            format!("Give the key a label of 1 to {MAX_LABEL_CHARS} characters"),
        ),
        Refusal::BadHolder(_) => Words::new(
            format!("请选择持有人(姓名或岗位,最多 {MAX_HOLDER_CHARS} 字)"),
            format!(
                "Choose the holder (a name or a post of at most {MAX_HOLDER_CHARS} characters)"
            ),
        ),
        Refusal::BadText(what) => {
            let f = super::field(what);
            Words::new(
                format!("请填写{}(最多 {MAX_TEXT_CHARS} 字)", f.zh),
                format!(
                    "{} needs 1 to {MAX_TEXT_CHARS} characters",
                    super::capitalised(&f.en)
                ),
            )
        }
        Refusal::TextTooLong => Words::new(
            format!("文字不能超过 {MAX_TEXT_CHARS} 字"),
            format!("A text takes at most {MAX_TEXT_CHARS} characters"),
        ),
        Refusal::RoleNotAllowed { role, kind } => {
            let what = doing(*kind);
            match role {
                Role::Staff => Words::new(
                    format!("只有领班或主管可以{}", what.zh),
                    format!("Only a team leader or a supervisor may {}", what.en),
                ),
                Role::Leader | Role::Supervisor => Words::new(
                    format!("你的角色不能{}", what.zh),
                    format!("Your role may not {}", what.en),
                ),
            }
        }
        Refusal::UnknownKey(_) => Words::new(
            "登记表上没有这把钥匙(可能还没同步到这台设备)",
            "No such key on the register (it may not have reached this device yet)",
        ),
        Refusal::AlreadyRegistered(_) => Words::new(
            "这把钥匙已经登记过了",
            "This key is already on the register",
        ),
        Refusal::UnknownLock(_) => Words::new(
            "登记表上没有这把锁的钥匙",
            "No key of this lock is on the register",
        ),
        Refusal::NotHolder(holder, _) => Words::new(
            format!("{holder} 现在不持有这把钥匙,请刷新后再试"),
            format!("{holder} does not hold this key now: reload and try again"),
        ),
        Refusal::NotGiver(_) => Words::new(
            "只有持有人、持有岗位的人、领班或主管可以交出这把钥匙",
            "Only the holder, someone at the holding post, a team leader or a supervisor may hand this key over",
        ),
        Refusal::SameHolder => Words::new(
            "不能把钥匙交给现在的持有人",
            "A key cannot be handed to its own holder",
        ),
        Refusal::DuplicateHandOver(_) => {
            Words::new("这次交接已经登记过了", "This hand-over is already recorded")
        }
        Refusal::UnknownHandOver(_) => {
            Words::new("找不到这次钥匙交接", "No such hand-over of this key")
        }
        Refusal::NotAwaiting(_) => Words::new(
            "这次交接不在等待确认(已确认或已有后续登记)",
            "This hand-over is not awaiting confirmation (already confirmed, or something came after it)",
        ),
        Refusal::NotReceiver(person, receiver) => Words::new(
            format!("{person} 不能替 {receiver} 确认收到钥匙"),
            format!("{person} cannot confirm receipt for {receiver}"),
        ),
        Refusal::KeyLost(_) => Words::new(
            "这把钥匙已报失:先登记换锁,或由领班登记找回",
            "This key is reported lost: record a lock change, or a team leader records it found, first",
        ),
        Refusal::KeyWithdrawn(_) => Words::new(
            "这把钥匙已收回,只能加备注",
            "This key is withdrawn: only notes may be added",
        ),
        Refusal::NotLostOrDisputed(_) => Words::new(
            "这把钥匙没有报失,也没有争议,无需登记找回",
            "This key is neither lost nor disputed: there is nothing to find",
        ),
    }
}
