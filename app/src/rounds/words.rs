//! The fixed texts of rounds, follow-ups and templates, in Chinese and English: only this
//! family's screens show them, so they load with its piece of the wasm.
//! Texts every screen shares are [`crate::words::i18n::Msg`].

crate::words::i18n::fixed_texts! {
    /// A fixed text of rounds, follow-ups and templates.
    pub enum Words {
        /// ✓ button.
        Normal => ("✓ 正常", "✓ Normal"),
        /// × button.
        Abnormal => ("× 异常", "× Abnormal"),
        /// Placeholder of the note field.
        NotePlaceholder => ("备注(可选)", "Note (optional)"),
        /// Button that saves a changed note.
        SaveNote => ("保存备注", "Save note"),
        /// Shown when an item has no mark yet.
        NotChecked => ("未检查", "Not checked"),
        /// What to do about a conflict.
        ConflictHelp => (
            "两台平板同时记录了不同结果,请现场核实后重新选择。",
            "Two tablets recorded different results at the same time. Check on site and mark again.",
        ),
        /// Items checked, as in "8 / 11 checked".
        Checked => ("已检查", "checked"),
        /// Items marked abnormal.
        AbnormalCount => ("异常", "abnormal"),
        /// Sign-off button.
        SignOffDaily => ("领班签字确认", "Sign off today's round"),
        /// Heading of the signed version.
        AsSigned => ("签字时的记录", "As signed"),
        /// Column: a checklist's name.
        ChecklistName => ("名称", "Name"),
        /// A checklist in use.
        InUse => ("启用", "In use"),
        /// A checklist retired.
        Retired => ("已停用", "Retired"),
        /// Templates: what saving does.
        TemplatesHelp => (
            "保存后同步到本项目的所有平板;已做过的巡查保留当时的表。",
            "Saved checklists reach every tablet of the site; rounds already walked keep the checklist they were walked with.",
        ),
        /// Add a template.
        AddTemplate => ("新建巡查表", "New checklist"),
        /// Schedule.
        Schedule => ("巡查时间", "Schedule"),
        /// Items.
        Items => ("检查项", "Items"),
        /// Chinese text.
        TitleZh => ("中文", "Chinese"),
        /// English text.
        TitleEn => ("英文", "English"),
        /// Fixed times.
        Times => ("时间(如 08:30, 18:00)", "Times (e.g. 08:30, 18:00)"),
        /// Every N minutes.
        EveryMinutes => ("每隔(分钟)", "Every (minutes)"),
        /// N times a day.
        TimesPerDay => ("每天次数", "Times a day"),
        /// Day of the month.
        DayOfMonth => ("每月几号", "Day of the month"),
        /// × needs a note.
        NoteOnAbnormal => ("异常须说明", "× needs a note"),
        /// Department.
        Department => ("负责部门", "Department"),
        /// Schedule kind.
        KindNone => ("按需", "When needed"),
        /// Schedule kind.
        KindFixed => ("固定时间", "At fixed times"),
        /// Schedule kind.
        KindEvery => ("时段内每隔N分钟", "Every N minutes in a window"),
        /// Schedule kind.
        KindTimesPerDay => ("每天N次", "N times a day"),
        /// Schedule kind.
        KindMonthly => ("每月一次", "Monthly"),
        /// History: a day without scheduled rounds.
        NothingScheduled => ("当天没有排定的巡查", "No rounds scheduled that day"),
        /// Follow-ups heading.
        FollowUps => (
            "跟进事项(报修/整改)",
            "Follow-ups (repairs and rectifications)",
        ),
        /// No follow-ups.
        NoFollowUps => ("没有跟进事项", "No follow-ups"),
        /// Close a follow-up.
        CloseFollowUp => ("处理完毕,关闭", "Done — close"),
        /// Rectification notice.
        RectificationNotice => ("整改通知单", "Rectification notice"),
        /// Issue a notice.
        IssueNotice => ("发出整改通知", "Issue notice"),
        /// Finish a round.
        FinishRound => ("完成巡查", "Finish round"),
        /// Round progress.
        StartedBy => ("开始", "Started"),
        /// Round progress.
        FinishedBy => ("完成", "Finished"),
        /// A round of a template this site does not have.
        UnknownTemplate => ("本项目没有这个巡查表", "This site has no such checklist"),
        /// The round's checkpoint section.
        Checkpoints => ("巡更点", "Checkpoints"),
        /// Button that opens the camera to scan a checkpoint's label.
        ScanCheckpoint => ("扫描巡更点", "Scan a checkpoint"),
        /// Shown while the camera looks for a label.
        PointCamera => ("请把巡更点标签放在框内", "Hold the checkpoint label in the frame"),
        /// Closes the camera.
        CloseCamera => ("关闭相机", "Close the camera"),
        /// Web NFC is reading.
        NfcReady => ("也可把平板贴近巡更点的 NFC 标签", "Or hold the tablet to the checkpoint's NFC tag"),
        /// The camera could not be opened.
        NoCamera => (
            "无法打开相机,请允许使用相机,或选择「无法扫码」并写明原因",
            "The camera could not be opened: allow it, or choose \"Cannot scan\" and say why",
        ),
        /// Read a QR code that is not a checkpoint label.
        NotALabel => ("这不是巡更点标签", "This is not a checkpoint label"),
        /// Scanned a code this tablet does not know.
        UnknownLabel => (
            "未知巡更点(可能尚未同步到这台平板),已记录,由主管核对",
            "A checkpoint this tablet does not know (it may not have synced yet): recorded for the supervisor to check",
        ),
        /// Scanned: "已扫描 大门".
        Scanned => ("已扫描", "Scanned"),
        /// Button: the label cannot be scanned.
        CannotScan => ("无法扫码", "Cannot scan"),
        /// Field: why it cannot be scanned.
        CannotScanReason => ("原因(如标签损坏)", "Why (e.g. label damaged)"),
        /// Saves a "cannot scan".
        SaveCannotScan => ("记录无法扫码", "Record cannot scan"),
        /// An item waiting for a scan: "先扫描巡更点 大门(10 分钟内有效)".
        ScanFirst => ("请先扫描巡更点", "Scan the checkpoint first"),
        /// The scan window, as in "(valid 10 min)".
        ValidMinutes => ("分钟内有效", "min window"),
        /// A mark backed by a scan.
        TagWalked => ("已扫码", "Scanned"),
        /// A mark backed by "cannot scan".
        TagCannotScan => ("无法扫码", "Not scanned"),
        /// A mark made without the scan it needed.
        TagUnscanned => ("未扫码", "No scan"),
        /// A mark made on a supervisor's desktop.
        TagAtDesk => ("在办公桌记录,不算巡查", "Recorded at the desk, not walked"),
        /// A leg walked faster than the template allows.
        TooFast => ("过快", "Too fast"),
        /// A scan of a revoked label.
        RevokedLabel => ("标签已作废", "Revoked label"),
        /// Minutes walked between two checkpoints.
        Walked => ("步行", "walked"),
        /// Column: minutes after a scan within which an item may be marked.
        ScanWithin => ("扫码后(分钟)", "After scan (min)"),
        /// What the column means.
        ScanWithinHelp => (
            "填写后,这一项须在扫描证明它的巡更点后这么多分钟内打勾;留空则不需扫码",
            "When filled in, the item is marked only within this many minutes after scanning a checkpoint that proves it; empty: no scan needed",
        ),
        /// The area rule: every item of one area needs a scan.
        AreaScan => ("整个区域需扫码", "A whole area needs a scan"),
        /// Button: give the area's items the rule.
        AreaScanApply => ("用于该区域全部项目", "Apply to all its items"),
        /// Field: the least seconds between two checkpoints.
        MinWalk => ("两个巡更点间最短步行(秒)", "Least walk between checkpoints (s)"),
        /// What the checkpoints page is for.
        CheckpointsHelp => (
            "在每个巡更点贴上标签;巡查时扫码证明到过现场。标签丢失时作废并重新打印。",
            "Put a label up at each checkpoint; a round scans it to prove it was there. Revoke a lost label and print its new one.",
        ),
        /// Button: add a checkpoint.
        AddCheckpoint => ("添加巡更点", "Add a checkpoint"),
        /// Column / field: where a checkpoint is.
        Place => ("位置", "Place"),
        /// Column: what a scan there proves.
        Proves => ("证明的检查项", "Proves"),
        /// Column: the label (its number).
        Label => ("标签", "Label"),
        /// Field: why a label is revoked.
        RevokeReason => ("作废原因", "Why revoked"),
        /// Button: revoke the label and make a new one.
        RevokeLabel => ("作废标签并换新", "Revoke label, make a new one"),
        /// Button: retire a checkpoint.
        Retire => ("停用", "Retire"),
        /// Button: use a retired checkpoint again.
        Reuse => ("启用", "Use again"),
        /// Heading of the printable labels.
        LabelSheet => ("标签(用顶部的打印按钮打印)", "Labels (print with the print button above)"),
        /// What the checkboxes of a new checkpoint mean.
        ProvesHelp => (
            "勾选在这里扫码可证明的检查项或整个区域",
            "Tick the items, or whole areas, a scan here proves",
        ),
        /// A whole area.
        WholeArea => ("整区", "whole area"),
        /// Column / field: a checkpoint's name.
        CheckpointName => ("名称", "Name"),
        /// Heading of the checkpoint report.
        CoverageTitle => ("巡更报告", "Checkpoint report"),
        /// No round of the day has checkpoints.
        CoverageNone => ("这一天没有设有巡更点的巡查", "No round of this day has checkpoints"),
        /// Column: checkpoints scanned of those expected.
        CoverageScanned => ("已扫 / 应扫", "Scanned / expected"),
        /// Column: marks made at the desk.
        CoverageAtDesk => ("办公桌记录", "At the desk"),
        /// Column: rounds counted.
        CoverageRounds => ("巡查次数", "Rounds"),
        /// Column: who walked it.
        CoveragePeople => ("人员", "People"),
        /// Column: checkpoints not passed.
        CoverageMissing => ("未到的巡更点", "Checkpoints missed"),
        /// Heading: sums per person.
        CoverageByPerson => ("按人员", "By person"),
        /// Heading: sums per post.
        CoverageByPost => ("按岗位", "By post"),
    }
}
