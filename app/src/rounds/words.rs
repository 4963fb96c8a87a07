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
    }
}
