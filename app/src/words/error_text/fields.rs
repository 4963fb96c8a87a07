//! The fields the model names in its refusals ("the owner", "a note",
//! "key id" — fixed English words), with their names on the screen. The
//! tests read the model's sources and check that every field it names is
//! here, so a new field cannot reach a person as "此项".

use super::Words;

/// (the model's word, Chinese name, English name with its article).
pub(super) const FIELDS: &[(&str, &str, &str)] = &[
    // Hand-overs and their pending items.
    ("a book", "交接班簿", "the hand-over book"),
    ("a hand-over id", "交接班编号", "the hand-over id"),
    ("a pending item", "遗留事项", "the pending item"),
    ("a pending item id", "遗留事项编号", "the pending item id"),
    ("pending items", "遗留事项", "pending items"),
    ("a shift label", "班次", "the shift"),
    ("a summary", "本班工作情况", "what happened this shift"),
    ("an equipment check", "设备检查", "the equipment check"),
    ("equipment checks", "设备检查项", "equipment checks"),
    ("an equipment id", "设备编号", "the equipment id"),
    ("an equipment label", "设备名称", "the equipment name"),
    (
        "an equipment list",
        "设备检查清单",
        "the equipment check list",
    ),
    (
        "equipment items",
        "设备检查项",
        "items on the equipment list",
    ),
    (
        "an equipment note",
        "设备情况说明",
        "the note on the equipment",
    ),
    ("the from-post", "交班岗位", "the handing-over post"),
    ("the to-post", "接班岗位", "the taking-over post"),
    ("what was done", "完成情况", "what was done"),
    // Shared by several records.
    ("a note", "备注", "the note"),
    ("note", "备注", "the note"),
    ("a reason", "原因", "the reason"),
    ("reason", "原因", "the reason"),
    ("a remark", "备注", "the remark"),
    ("a post", "岗位", "the post"),
    ("the unit", "房号", "the unit"),
    ("the owner", "业主姓名", "the owner's name"),
    // Complaints.
    ("a complaint id", "投诉编号", "the complaint id"),
    (
        "a related complaint id",
        "相关投诉编号",
        "the related complaint id",
    ),
    ("a contact", "联系方式", "the contact"),
    ("the content", "投诉内容", "what the complaint is about"),
    ("the response", "回应内容", "what was said"),
    ("who confirmed receipt", "签收人", "who confirmed receipt"),
    (
        "the preliminary solution",
        "初步解决方案",
        "the preliminary solution",
    ),
    ("the root cause", "原因", "the root cause"),
    ("the corrective action", "纠正措施", "the corrective action"),
    ("the reply", "回复内容", "what the owner was told"),
    ("what the owner said", "业主意见", "what the owner said"),
    (
        "whom it was escalated to",
        "上报对象",
        "whom it was escalated to",
    ),
    ("why it is serious", "重大投诉的理由", "why it is serious"),
    (
        "the reason for closing",
        "关闭原因",
        "the reason for closing",
    ),
    // Owner visits.
    ("a visit id", "访问记录编号", "the visit id"),
    ("who visited", "访问人", "who visited"),
    ("the opinions", "业主意见", "the owner's opinions"),
    ("the requests", "要求/建议", "the owner's requests"),
    ("the follow-up needed", "需跟进事项", "the follow-up needed"),
    // The duty log.
    ("an entry id", "记录编号", "the entry id"),
    ("what happened", "发生了什么", "what happened"),
    ("the action taken", "处理措施", "the action taken"),
    ("the result", "结果", "the result"),
    (
        "the reason for an amendment",
        "更正原因",
        "the reason for the correction",
    ),
    // The visitor log.
    ("the visitor's name", "来访人姓名", "the visitor's name"),
    ("the host's name", "被访人", "the host"),
    ("the purpose", "事由", "the purpose of the visit"),
    // The key register.
    ("key id", "钥匙编号", "the key id"),
    ("lock id", "锁编号", "the lock id"),
    ("flat id", "样板房编号", "the show flat id"),
    ("hand-over id", "钥匙交接编号", "the key hand-over id"),
    (
        "a withdrawal",
        "收回原因",
        "the reason for withdrawing the key",
    ),
    // Work permits.
    ("scope", "施工项目和范围", "what is to be done"),
    ("area", "施工区域", "the area"),
    ("company", "施工单位", "the company"),
    ("team leader", "施工负责人", "the team leader"),
    // Ids only the app names (its refusals of the model's id checks).
    ("a permit id", "施工单编号", "the permit id"),
    ("a logged visit id", "来访记录编号", "the visit id"),
    // Follow-ups' sources.
    (
        "a round document id",
        "巡查记录编号",
        "the round's record id",
    ),
    ("an item id", "检查项编号", "the checklist item's id"),
];

/// The field the model calls `what`, named as on the screen; a field not
/// listed is "此项" in Chinese and the model's own word in English.
pub fn field(what: &str) -> Words {
    FIELDS
        .iter()
        .find(|(word, _, _)| *word == what)
        .map_or_else(
            || Words::new("此项", what),
            |(_, zh, en)| Words::new(*zh, *en),
        )
}
