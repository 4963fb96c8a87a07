//! The fixed texts of owner visits, in Chinese and English: only this
//! family's screens show them, so they load with its piece of the wasm.
//! Texts every screen shares are [`crate::words::i18n::Msg`].

crate::words::i18n::fixed_texts! {
    /// A fixed text of owner visits.
    pub enum Words {
        /// Owner visits: what it is.
        OvHelp => (
            "每月走访业户,记录意见和要求;月底交客户服务主管审核签字。",
            "Monthly visits to owners, their opinions and requests; the supervisor signs the month.",
        ),
        /// Owner visits: add a visit.
        OvAdd => ("登记访问", "Add a visit"),
        /// Owner visits: save a visit.
        OvSave => ("保存访问", "Save the visit"),
        /// Owner visits: the date.
        OvDate => ("访问日期", "Date"),
        /// Owner visits: who visited.
        OvVisitor => ("访问人", "Visited by"),
        /// Owner visits: opinions.
        OvOpinions => ("业主意见", "Opinions"),
        /// Owner visits: requests.
        OvRequests => ("要求/建议", "Requests"),
        /// Owner visits: the follow-up needed.
        OvFollowUp => ("需跟进", "Follow-up"),
        /// Owner visits form: the follow-up needed.
        OvFollowUpNeeded => ("需跟进事项(无则不填)", "Follow-up needed (blank if none)"),
        /// Owner visits: what was done.
        OvWhatWasDone => ("跟进结果", "What was done"),
        /// Owner visits: mark followed up.
        OvMarkFollowedUp => ("标记已跟进", "Mark followed up"),
        /// Owner visits: visits (count).
        OvVisits => ("次访问", "visits"),
        /// Owner visits: follow-ups still to do (count).
        OvOpenFollowUps => ("项待跟进", "follow-ups to do"),
        /// Owner visits: none this month.
        OvNone => ("本月还没有访问记录", "No visits this month yet"),
        /// Owner visits: the supervisor signs the month.
        OvSignMonth => ("主管审核签字(本月)", "Sign the month (supervisor)"),
    }
}
