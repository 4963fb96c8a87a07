//! The fixed texts of the visitor log, in Chinese and English: only this
//! family's screens show them, so they load with its piece of the wasm.
//! Texts every screen shares are [`crate::words::i18n::Msg`].

crate::words::i18n::fixed_texts! {
    /// A fixed text of the visitor log.
    pub enum Words {
        /// Visitors inside now.
        InsideNow => ("在内访客", "Inside now"),
        /// Nobody inside.
        NobodyInside => ("目前没有访客在内", "Nobody inside"),
        /// Visits waiting for a supervisor.
        WaitingApproval => ("待主管批准", "Waiting for a supervisor"),
        /// The day's visits.
        VisitsOfDay => ("当日来访", "Visits of the day"),
        /// No visits.
        NoVisits => ("没有来访记录", "No visits"),
        /// New-visit form heading.
        NewVisit => ("来访登记", "Log a visit"),
        /// A blocked category.
        NeedsSupervisor => ("需主管批准", "Needs a supervisor"),
        /// Label: last 4 characters of the ID.
        IdLastFour => ("证件后4位", "Last 4 of the ID"),
        /// Why only the last 4 characters.
        WhyLastFour => (
            "只记证件号后4位:完整证件号不得保存,以保护来访者的个人信息。",
            "Only the last 4 characters: full ID numbers are never stored, to protect visitors' personal data.",
        ),
        /// Field: visitor's name.
        VisitorName => ("来访人姓名", "Visitor's name"),
        /// Field: host.
        VisitHost => ("被访人", "Host"),
        /// Field: unit.
        VisitUnit => ("房号/单元", "Unit"),
        /// Field: purpose.
        VisitPurpose => ("事由", "Purpose"),
        /// Field: people.
        VisitPeople => ("人数", "People"),
        /// Field: time in.
        TimeIn => ("进入时间", "Time in"),
        /// Label: how approved.
        HowApproved => ("放行方式", "Let in by"),
        /// Log the visit.
        LogVisit => ("登记", "Log visit"),
        /// The visitor left now.
        VisitorLeft => ("离开", "Left"),
        /// Supervisor approves.
        ApproveVisit => ("批准进入", "Approve"),
        /// Refuse a waiting visit.
        RefuseVisit => ("拒绝", "Refuse"),
        /// Turn away a visitor let in without approval (the resident declined).
        TurnAway => ("拒绝进入", "Turn away"),
        /// Placeholder: why refused.
        RefuseReason => ("原因(必填)", "Reason (required)"),
        /// A decision: approved.
        VisitApproved => ("已批准", "Approved"),
        /// A decision: refused.
        VisitRefused => ("已拒绝", "Refused"),
        /// An exit.
        VisitLeft => ("离开", "Left"),
        /// An approval and a refusal crossed.
        VisitDisputedHelp => (
            "批准与拒绝同时作出,按在内计,请主管重新决定或登记离开",
            "Approved and refused at the same time: counted inside until a supervisor decides again or the exit is logged",
        ),
        /// Sign the day's visitor log.
        SignVisitorDay => ("领班签字确认当日来访记录", "Sign the day's visitor log"),
        /// Filter: every category.
        EveryCategory => ("全部类别", "Every category"),
        /// Column: category.
        VisitCategory => ("类别", "Category"),
        /// Column: status.
        VisitStatusLabel => ("状态", "Status"),
        /// Form: pick a category.
        VisitPickCategory => ("请先点选来访类别", "Tap the visitor's category first"),
        /// Form: the name.
        VisitNoName => ("请填写来访人姓名", "Enter the visitor's name"),
        /// Form: the ID type.
        VisitPickIdType => ("请选择查验的证件", "Choose the ID seen"),
        /// Form: how approved.
        VisitPickApproval => ("请选择放行方式", "Choose how they are let in"),
        /// A refusal's reason.
        VisitNoReason => ("请写明拒绝原因", "Give the reason"),
    }
}
