//! The fixed texts of the duty log, in Chinese and English: only this
//! family's screens show them, so they load with its piece of the wasm.
//! Texts every screen shares are [`crate::words::i18n::Msg`].

crate::words::i18n::fixed_texts! {
    /// A fixed text of the duty log.
    pub enum Words {
        /// Quick entry heading.
        DutyNewEntry => ("新增记录", "New entry"),
        /// Field: the post.
        DutyPost => ("岗位", "Post"),
        /// Field: the event type.
        DutyKind => ("类型", "Type"),
        /// Field: action taken.
        DutyAction => ("处理措施", "Action taken"),
        /// Field: result.
        DutyResult => ("结果", "Result"),
        /// Placeholder: what happened.
        DutyWhatHappened => ("发生了什么(必填)", "What happened (required)"),
        /// Record an entry.
        DutyRecord => ("记录", "Record"),
        /// No entries.
        DutyNone => ("没有记录", "No entries"),
        /// State: never corrected.
        DutyAsWritten => ("原始记录", "As written"),
        /// State: corrected.
        DutyAmended => ("已更正", "Corrected"),
        /// A time on the night after the service day.
        NextMorning => ("次日", "next day"),
        /// Form: pick a type first.
        DutyPickKind => ("请先点选事件类型", "Tap an event type first"),
        /// Form: a post.
        DutyNoPost => ("请选择岗位", "Choose a post"),
        /// Form: what happened is required.
        DutyNoEvent => ("请写明发生了什么", "Say what happened"),
        /// Correction: the reason is required.
        DutyNoReason => ("请写明更正原因", "Give the reason for the correction"),
        /// Open the correction form.
        DutyCorrect => ("更正", "Correct"),
        /// One correction, as listed.
        DutyCorrection => ("更正", "Correction"),
        /// The original values of a corrected entry.
        DutyOriginal => ("原记录:", "Originally:"),
        /// A correction's reason.
        DutyReason => ("原因", "Reason"),
        /// Label: the reason (required).
        DutyReasonRequired => ("更正原因(必填)", "Reason for the correction (required)"),
        /// Save the correction.
        DutyConfirmCorrection => ("确认更正", "Save the correction"),
        /// Corrections made at the same time disagree.
        DutyDisagree => ("同时更正不一致:", "Corrected differently at the same time:"),
        /// Heading of the day's review.
        DailyReview => ("领班审核", "The leader's review"),
        /// Sign the day's duty log.
        SignDutyDay => ("领班签字确认当日值班记录", "Sign the day's duty log"),
        /// Filter: every type.
        EveryKind => ("全部类型", "Every type"),
        /// Filter: text search.
        SearchText => ("搜索文字", "Search text"),
        /// A blank value in a correction or an original.
        DutyBlank => ("(空)", "(blank)"),
        /// An entry corrected after the day was signed.
        DutyCorrectedAfterSigning => ("签字后更正", "Corrected after the signature"),
    }
}
