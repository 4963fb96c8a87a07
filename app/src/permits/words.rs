//! The fixed texts of work permits, in Chinese and English: only this
//! family's screens show them, so they load with its piece of the wasm.
//! Texts every screen shares are [`crate::words::i18n::Msg`].

crate::words::i18n::fixed_texts! {
    /// A fixed text of work permits.
    pub enum Words {
        /// The permits' heading.
        PermitsTitle => ("施工工作联络单", "Contractor work permits"),
        /// What the permit rules are.
        PermitsHelp => (
            "施工须提前2天申报,经领导批准后由安管部登记出入;完工后逐一排查现场、检查离场人员携带的工具材料,确认无误后关闭。",
            "Work is applied for 2 days ahead and approved by a leader; security logs every entry and exit. After the work the site is swept and the tools and materials leaving are checked; then the permit is closed.",
        ),
        /// Button: type in an application.
        ApplyPermit => ("登记施工申请", "New application"),
        /// Field: the company.
        Company => ("施工单位", "Company"),
        /// Field: the team leader.
        TeamLeader => ("施工负责人", "Team leader"),
        /// Field: phone.
        Phone => ("电话", "Phone"),
        /// Field: the scope of work.
        Scope => ("施工项目、范围", "Scope of work"),
        /// Field: the work date.
        WorkDate => ("施工日期", "Work date"),
        /// Field: headcount.
        Headcount => ("施工人数", "Headcount"),
        /// Button: submit an application.
        SubmitApplication => ("提交申请", "Submit"),
        /// Section: today's work.
        TodayWork => ("今日施工", "Today's work"),
        /// Section: earlier work not closed.
        EarlierOpen => ("之前未关闭的", "Earlier, not closed"),
        /// Section: later work.
        UpcomingWork => ("即将施工", "Upcoming"),
        /// Section: done.
        FinishedWork => ("已结束", "Finished"),
        /// A section without permits.
        NoWork => ("没有", "None"),
        /// Button: approve.
        Approve => ("批准", "Approve"),
        /// Button: reject.
        Reject => ("不批准", "Reject"),
        /// Field: a reason.
        Reason => ("原因(必填)", "Reason (required)"),
        /// Button: log people coming in.
        LogEntry => ("登记进场", "Log entry"),
        /// Button: log people leaving.
        LogExit => ("登记离场", "Log exit"),
        /// Field: how many people.
        People => ("人数", "People"),
        /// Tools and materials check ✓.
        ToolsOk => ("工具材料 ✓ 无误", "Tools ✓ as declared"),
        /// Tools and materials check ×.
        ToolsNotOk => ("工具材料 × 有问题", "Tools × not as declared"),
        /// Field: what is wrong with the tools.
        ToolsNote => ("× 说明(必填)", "What is wrong (required for ×)"),
        /// Button: count the people on site.
        HeadCount => ("清点在场人数", "Count people on site"),
        /// Button: start the sweep.
        StartSweep => ("开始清场检查", "Start the sweep"),
        /// Button: open the sweep round.
        OpenSweep => ("打开清场检查", "Open the sweep"),
        /// Button: close a permit.
        ClosePermit => ("关闭联络单", "Close the permit"),
        /// Button: cancel a permit.
        CancelPermit => ("取消施工", "Cancel the work"),
        /// Tag: applied late.
        AppliedLate => ("迟报", "Late"),
        /// Label: a month.
        Month => ("月份", "Month"),
        /// A × on the tools check without a note.
        ToolsNoteRequired => (
            "工具材料 × 须写明情况",
            "Say what is wrong with the tools first",
        ),
        /// The sweep round has not reached this device.
        SweepNotHere => (
            "清场检查:记录尚未同步到本机",
            "Sweep: its round has not reached this device yet",
        ),
    }
}
