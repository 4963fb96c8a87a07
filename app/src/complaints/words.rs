//! The fixed texts of owner requests and complaints, in Chinese and English: only this
//! family's screens show them, so they load with its piece of the wasm.
//! Texts every screen shares are [`crate::words::i18n::Msg`].

crate::words::i18n::fixed_texts! {
    /// A fixed text of owner requests and complaints.
    pub enum Words {
        /// Complaints: the screen's title.
        CpTitle => ("业主投诉/报修", "Owner complaints & requests"),
        /// Complaints: what the screen is for.
        CpHelp => (
            "《业主投诉登记表》:超时和需上报经理的排在最前。本项目时限:",
            "The complaint register: overdue ones and escalations come first. This site's deadlines:",
        ),
        /// Complaints: take a complaint.
        CpTake => ("登记投诉/报修", "Take a complaint"),
        /// Complaints: a complaint was saved.
        CpSaved => ("已登记,已保存在本机", "Registered and saved on this device"),
        /// Complaints: the section of those needing attention.
        CpAttention => ("需立即处理", "Needs attention now"),
        /// Complaints: open ones.
        CpOpen => ("处理中", "Open"),
        /// Complaints: closed ones.
        CpClosed => ("已关闭", "Closed"),
        /// Complaints: none open.
        CpNoneOpen => ("没有待处理的投诉或报修", "No open complaints or requests"),
        /// Complaints: a serious one not escalated (short).
        CpEscalateNow => ("请立即上报经理", "Escalate to the manager now"),
        /// Complaints: a serious one not escalated (banner).
        CpEscalateNowLong => (
            "重大投诉:请立即上报项目经理,上报后再处理关闭。",
            "Serious complaint: escalate to the property manager now; it cannot be closed before.",
        ),
        /// Complaints: serious (重大投诉).
        CpSerious => ("重大投诉", "Serious"),
        /// Complaints form: serious, on.
        CpSeriousYes => ("是:需立即上报经理", "Yes: escalate to the manager at once"),
        /// Complaints form: serious, off.
        CpSeriousNo => ("否", "No"),
        /// Complaints: received time.
        CpReceived => ("受理时间", "Received"),
        /// Complaints: channel.
        CpChannel => ("渠道", "Channel"),
        /// Complaints: kind.
        CpKind => ("类别", "Kind"),
        /// Complaints: contact.
        CpContact => ("联系方式", "Contact"),
        /// Complaints: content.
        CpContent => ("内容", "What it is about"),
        /// Complaints: difficulty.
        CpDifficulty => ("难度", "Difficulty"),
        /// Complaints: the post that received it.
        CpPost => ("受理岗位", "Post"),
        /// Complaints: the handling department.
        CpDepartment => ("处理部门", "Department"),
        /// Complaints: who registered it.
        CpRegisteredBy => ("登记人", "Registered by"),
        /// Complaints form: save.
        CpSaveComplaint => ("保存登记", "Save"),
        /// Complaints form: the received time is not a time.
        CpBadReceived => (
            "受理时间格式不对",
            "The received time is not a date and time",
        ),
        /// Complaints form: received later than now.
        CpReceivedInFuture => (
            "受理时间不能晚于现在",
            "The received time cannot be later than now",
        ),
        /// Filter: the range ends before it starts.
        CpBadRange => ("结束日期早于开始日期", "The range ends before it starts"),
        /// Channel: phone.
        CpChannelPhone => ("来电", "Phone"),
        /// Channel: in person.
        CpChannelVisit => ("来访", "In person"),
        /// Channel: letter.
        CpChannelLetter => ("来信", "Letter"),
        /// Channel: forwarded by the company.
        CpChannelForwarded => ("上级转来", "Forwarded"),
        /// Channel: other.
        CpChannelOther => ("其他", "Other"),
        /// Kind: request.
        CpKindRequest => ("报修/求助", "Request"),
        /// Kind: complaint.
        CpKindComplaint => ("投诉", "Complaint"),
        /// Status: received.
        CpStatusReceived => ("已登记", "Received"),
        /// Status: responded.
        CpStatusResponded => ("已回应", "Responded"),
        /// Status: forwarded.
        CpStatusForwarded => ("已转交", "Forwarded"),
        /// Status: receipt confirmed.
        CpStatusReceiptConfirmed => ("部门已签收", "Receipt confirmed"),
        /// Status: preliminary solution given.
        CpStatusPreliminary => ("已给初步方案", "Preliminary solution"),
        /// Status: corrected.
        CpStatusCorrected => ("已纠正", "Corrected"),
        /// Status: replied to the owner.
        CpStatusReplied => ("已回复业主", "Replied"),
        /// Status: return-visited.
        CpStatusReturnVisited => ("已回访", "Return-visited"),
        /// Status: closed.
        CpStatusClosed => ("已关闭", "Closed"),
        /// Deadline: respond.
        CpDeadlineRespond => ("响应", "Respond"),
        /// Deadline: forward.
        CpDeadlineForward => ("转交处理部门", "Forward to the department"),
        /// Deadline: preliminary solution.
        CpDeadlinePreliminary => ("初步解决方案", "Preliminary solution"),
        /// Deadline: dealt with.
        CpDeadlineResolve => ("处理完毕", "Dealt with"),
        /// Complaint page: the deadlines.
        CpDeadlines => ("处理时限", "Deadlines"),
        /// Complaint page: due at.
        CpDue => ("截止", "due"),
        /// Satisfaction: satisfied.
        CpSatisfied => ("满意", "Satisfied"),
        /// Satisfaction: basically satisfied.
        CpBasicallySatisfied => ("基本满意", "Basically satisfied"),
        /// Satisfaction: unsatisfied.
        CpUnsatisfied => ("不满意", "Unsatisfied"),
        /// History: registered.
        CpEvReceived => ("登记", "Registered"),
        /// History: responded.
        CpEvResponded => ("回应业主", "Responded"),
        /// History: forwarded.
        CpEvForwarded => ("转交部门", "Forwarded"),
        /// History: receipt confirmed.
        CpEvReceiptConfirmed => ("部门签收", "Receipt confirmed"),
        /// History: preliminary solution.
        CpEvPreliminary => ("初步方案", "Preliminary solution"),
        /// History: corrected.
        CpEvCorrected => ("原因与纠正措施", "Cause and corrective action"),
        /// History: replied.
        CpEvReplied => ("回复业主", "Replied to the owner"),
        /// History: return visit.
        CpEvReturnVisit => ("回访", "Return visit"),
        /// History: closed.
        CpEvClosed => ("关闭", "Closed"),
        /// History: escalated.
        CpEvEscalated => ("上报", "Escalated"),
        /// History: difficulty.
        CpEvDifficulty => ("难度", "Difficulty"),
        /// History: marked serious.
        CpEvSerious => ("标为重大投诉", "Marked serious"),
        /// History: note.
        CpEvNote => ("备注", "Note"),
        /// Complaint page: back to the list.
        CpBackToList => ("返回投诉列表", "Back to the complaints"),
        /// Complaint page: not on this device (yet).
        CpNotHere => (
            "这条投诉还未同步到本机,联网后会自动显示。",
            "This complaint has not reached this device yet; it shows once synced.",
        ),
        /// Complaint page: the next steps.
        CpNextSteps => ("下一步", "Next steps"),
        /// Complaint page: a step was saved.
        CpStepSaved => ("已保存", "Saved"),
        /// Complaint page: the owner came back about a closed complaint.
        CpAgain => ("业主再次反映", "Owner came back about this"),
        /// Complaint page: why a closed complaint is not reopened.
        CpAgainHelp => (
            "已关闭的投诉不会重新打开:业主就此事再次反映时,新登记一条并关联本条。",
            "A closed complaint is not reopened: when the owner comes back about it, take a new one linked to this.",
        ),
        /// Complaint page: the new, linked complaint was saved.
        CpAgainSaved => (
            "已新登记并关联本条",
            "Taken as a new complaint linked to this one",
        ),
        /// Complaint page: the earlier complaint this one follows up.
        CpFollows => ("接续前次投诉", "Follows up"),
        /// Complaint page: later complaints following this one up.
        CpFollowedBy => ("后续再次反映", "Followed up by"),
        /// Complaint page: a linked complaint this device does not hold.
        CpNotOnDevice => ("(不在本机)", "(not on this device)"),
        /// Complaint page: the form's facts.
        CpFacts => ("登记内容", "Registered"),
        /// Complaint page: the history.
        CpHistory => ("处理记录", "History"),
        /// Step form: confirm.
        CpConfirm => ("确认", "Confirm"),
        /// Step form: an optional field.
        CpOptional => ("(可选)", "(optional)"),
        /// Step form: set the difficulty to.
        CpSetTo => ("改为", "Set to"),
        /// Step form: whom to escalate to, prefilled.
        CpManager => ("项目经理", "Property manager"),
        /// Step: respond.
        CpActRespond => ("回应业主", "Respond"),
        /// Step: forward.
        CpActForward => ("转交处理部门", "Forward to a department"),
        /// Step: the department confirms receipt.
        CpActConfirmReceipt => ("部门签收", "Department confirms receipt"),
        /// Step: preliminary solution.
        CpActPreliminary => ("初步解决方案", "Preliminary solution"),
        /// Step: root cause and corrective action.
        CpActCorrect => ("原因分析与纠正措施", "Root cause and corrective action"),
        /// Step: reply to the owner.
        CpActReply => ("回复业主", "Reply to the owner"),
        /// Step: return visit.
        CpActReturnVisit => ("回访业主", "Return visit"),
        /// Step: escalate.
        CpActEscalate => ("上报经理", "Escalate to the manager"),
        /// Step: difficulty.
        CpActDifficulty => ("调整难度", "Difficulty"),
        /// Step: mark serious.
        CpActSerious => ("标为重大投诉", "Mark serious"),
        /// Step: close.
        CpActClose => ("关闭", "Close"),
        /// Step field: what was said.
        CpFieldSaid => ("回应内容", "What was said"),
        /// Step field: who confirmed receipt.
        CpFieldReceiver => (
            "签收人(部门处理人)",
            "Who signed for it (the department's handler)",
        ),
        /// Step field: the preliminary solution.
        CpFieldSolution => ("初步解决方案", "Preliminary solution"),
        /// Step field: the root cause.
        CpFieldCause => ("原因", "Root cause"),
        /// Step field: the corrective action.
        CpFieldAction => ("纠正措施", "Corrective action"),
        /// Step field: what the owner was told.
        CpFieldTold => ("回复内容", "What the owner was told"),
        /// Step field: the owner's words at the return visit.
        CpFieldOwnerWords => (
            "业主意见(不满意时必填)",
            "What the owner said (required when unsatisfied)",
        ),
        /// Step field: escalated to whom.
        CpFieldEscalatedTo => ("上报给", "Escalated to"),
        /// Step field: a reason.
        CpFieldReason => ("原因", "Reason"),
        /// Step field: why it is serious.
        CpFieldWhySerious => ("为何属重大投诉", "Why it is serious"),
        /// Step field: why close without a reply or satisfaction.
        CpFieldCloseReason => (
            "关闭原因(未回复业主或业主不满意)",
            "Why close (no reply, or the owner was unsatisfied)",
        ),
        /// Step field: a closing remark.
        CpFieldRemark => ("结案备注", "Closing remark"),
        /// Filter: heading.
        CpSearch => ("查找 / 筛选", "Search and filter"),
        /// Filter: from day.
        CpFrom => ("日期(从)", "From"),
        /// Filter: to day.
        CpTo => ("到", "To"),
        /// Filter: a person.
        CpPerson => ("经手人", "Person"),
        /// Filter: status.
        CpStatus => ("状态", "Status"),
        /// Filter: words.
        CpWords => ("关键词", "Words"),
        /// Filter: any.
        CpAny => ("全部", "Any"),
        /// Filter: clear.
        CpClearFilter => ("清除筛选", "Clear"),
        /// Desktop: the month's figures.
        CpFigures => ("本月统计", "The month's figures"),
        /// Figures: how many.
        CpFigTotal => ("登记数", "Registered"),
        /// Figures: reply on time.
        CpFigReplyOnTime => (
            "投诉回复及时率(目标 99.9%)",
            "Replied on time (target 99.9%)",
        ),
        /// Figures: return-visit rate.
        CpFigReturnVisits => ("回访率(目标 ≥90%)", "Return visits (target ≥ 90%)"),
        /// Figures: satisfaction.
        CpFigSatisfaction => ("满意率(目标 ≥90%)", "Satisfaction (target ≥ 90%)"),
    }
}
