//! The fixed texts of shift and key hand-overs, in Chinese and English: only this
//! family's screens show them, so they load with its piece of the wasm.
//! Texts every screen shares are [`crate::words::i18n::Msg`].

crate::words::i18n::fixed_texts! {
    /// A fixed text of shift and key hand-overs.
    pub enum Words {
        // Shift hand-over (交接班) and co-signing.
        /// A hand-over book's screen.
        HandoverTitle => ("交接班", "Shift hand-over"),
        /// Open the form to write a hand-over.
        HoWrite => ("写交班记录", "Write a hand-over"),
        /// The shift handed over.
        HoShift => ("班次", "Shift"),
        /// What the outgoing shift writes.
        HoSummary => (
            "本班工作情况(发生了什么、需交代什么)",
            "What happened this shift, what to pass on",
        ),
        /// A new pending item.
        HoNewPending => ("新增遗留事项", "New pending item"),
        /// Add a pending item to the form.
        HoAdd => ("添加", "Add"),
        /// Write the hand-over.
        HoSubmit => ("提交交班记录", "Hand over"),
        /// A day without hand-overs.
        HoNoHandovers => ("当天还没有交班记录", "No hand-overs written this day"),
        /// Pending items heading.
        HoPending => ("遗留事项", "Pending items"),
        /// No pending items open.
        HoNoPending => ("没有未完成的遗留事项", "No pending items open"),
        /// A pending item from an earlier day.
        HoCarried => ("前班遗留", "Carried forward"),
        /// Pending items done that day.
        HoDoneToday => ("当天已完成", "Done this day"),
        /// Mark a pending item done (the person's confirmation).
        HoMarkDone => ("完成并签字", "Mark done"),
        /// The pending items a hand-over lists.
        HoListed => ("交班时未完成的遗留事项", "Pending at hand-over"),
        /// Equipment check heading.
        HoEquipment => ("设备交接检查", "Equipment check"),
        /// The incoming person's questions or reason.
        HoReasonPlaceholder => (
            "疑问或拒绝接班的原因(拒绝时必填)",
            "Questions, or why you refuse (required to refuse)",
        ),
        /// Refuse to take over.
        HoRefuse => ("拒绝接班", "Refuse to take over"),
        /// Take over.
        HoAccept => ("确认接班", "Take over"),
        /// Sign as the outgoing side.
        HoSignOutgoing => ("交班人签字", "Sign as outgoing"),
        /// Sign as the incoming side.
        HoSignIncoming => ("接班人签字", "Sign as incoming"),
        /// Confirm a signature.
        HoConfirmSign => ("确认签字", "Confirm signature"),
        /// The outgoing side.
        HoOutgoing => ("交班人", "Outgoing"),
        /// The incoming side.
        HoIncoming => ("接班人", "Incoming"),
        /// A note on a hand-over.
        HoNotePlaceholder => ("回复疑问或补充说明", "Answer a question or add a note"),
        /// Add a note to a hand-over.
        HoAddNote => ("添加说明", "Add note"),
        /// A note on a hand-over, as listed.
        HoNoteLabel => ("说明", "Note"),
        /// An acceptance, as listed.
        HoTakenOver => ("已接班", "Taken over"),
        /// A refusal an acceptance answered.
        HoAnswered => ("已答复", "answered"),
        /// A book this site does not have.
        HoUnknownBook => ("没有这个交接本", "No such hand-over book"),
        /// A pending item whose board is not on the device.
        HoNotHere => ("尚未同步到本机", "Not on this device yet"),
        /// The leader's review of a book's day.
        HoSignDay => ("领班审阅签字", "Sign the day's review"),
        /// Open a book's day.
        HoOpenBook => ("打开交接本", "Open the book"),
        /// Hand-overs (desktop): a book's equipment check list.
        HoEquipmentList => ("设备检查清单", "Equipment check list"),
        /// Hand-overs (desktop): the equipment list was saved.
        HoEquipmentSaved => (
            "清单已保存,各平板随即使用;已做的检查不变",
            "List saved; tablets use it at once, checks already made stay as they were",
        ),
        /// Hand-overs (desktop): what the equipment lists are.
        HoEquipmentListsHelp => (
            "接班人与交班人逐项核对(✓/×)的设备物品,按本项目实际配置修改。已做的检查保留原来的名称。",
            "What the incoming person checks with the outgoing one (✓ / ×), as this site has it. Checks already made keep their labels.",
        ),
        /// Help under the desktop's hand-overs heading.
        HoDeskHelp => (
            "各交接本当天的交接记录:拒绝接班与未完成的遗留事项排在前面。",
            "Each book's day: refusals and open pending items first.",
        ),
        /// Hand-over page: switch to another book.
        NavBooks => ("交接本", "Books"),
    }
}
