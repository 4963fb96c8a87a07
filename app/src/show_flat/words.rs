//! The fixed texts of show flats, in Chinese and English: only this
//! family's screens show them, so they load with its piece of the wasm.
//! Texts every screen shares are [`crate::words::i18n::Msg`].

crate::words::i18n::fixed_texts! {
    /// A fixed text of show flats.
    pub enum Words {
        /// Agenda: show flats.
        ShowFlats => ("样板房清点", "Show-flat counts"),
        /// Count a room as expected.
        AllAsExpected => ("本房间全部如常", "All as expected"),
        /// Visitors today.
        Visitors => ("今日参观人数", "Visitors today"),
        /// Add a visitor.
        AddVisitor => ("+1 位", "+1 visitor"),
        /// Help under the show-flats heading.
        FlatsHelp => (
            "每个样板房当日的清点进度、差异、参观人数和客户意见;主管在此维护物品清单。",
            "Each show flat's day: count progress, discrepancies, visitors and guest feedback. Supervisors keep the item lists here.",
        ),
        /// Button: add a show flat.
        AddFlat => ("新增样板房", "Add a show flat"),
        /// Button: edit a flat's item list.
        EditItemList => ("编辑物品清单", "Edit item list"),
        /// Column: room.
        Room => ("房间", "Room"),
        /// Column: room in English.
        RoomEn => ("房间(英文)", "Room (English)"),
        /// Column: expected quantity.
        ExpectedQty => ("应有数量", "Expected"),
        /// Column: where an item stands.
        WhereItStands => ("摆放位置", "Where it stands"),
        /// Field: the flat's name.
        FlatNameZh => ("样板房名称", "Flat name"),
        /// Field: the flat's English name.
        FlatNameEn => ("英文名称", "English name"),
        /// A flat nobody has counted on the day.
        NotCountedToday => (
            "当日尚未清点(或尚未同步到此处)",
            "Not counted on this day (or not synced here yet)",
        ),
        /// Button: open a flat's count.
        OpenCount => ("打开清点表", "Open the count"),
        /// Heading of guests' opinions and suggestions.
        GuestFeedback => ("客户意见和建议", "Guest opinions and suggestions"),
        /// Placeholder: what the guest said.
        FeedbackText => ("客户原话", "What the guest said"),
        /// Placeholder: who the guest is.
        GuestWho => ("客户(可选:姓氏、电话)", "Guest (optional: name, phone)"),
        /// Button: record feedback.
        RecordFeedback => ("记录", "Record"),
        /// No feedback yet.
        NoFeedback => ("暂无", "None yet"),
        /// Button: correct the visitor count down by one.
        CorrectVisitor => ("更正 −1", "Correct −1"),
        /// Placeholder: why a visitor correction.
        CorrectionReason => ("更正原因(必填)", "Reason (required)"),
        /// Shown after saving an item list.
        ItemListSaved => (
            "物品清单已保存,下次同步后到达各平板",
            "Item list saved; it reaches the tablets with the next sync",
        ),
        /// Discrepancies heading.
        Discrepancies => ("差异", "Discrepancies"),
        /// No discrepancies.
        NoDiscrepancies => ("没有差异", "No discrepancies"),
        /// Expected quantity.
        Expected => ("应有", "Expected"),
        /// Disputed counts.
        Recount => ("记录不一致,请复点", "Counts disagree — recount"),
        /// No show flats.
        NoFlats => ("本项目没有样板房", "This site has no show flats"),
    }
}
