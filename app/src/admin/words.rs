//! The fixed texts of the site administration (roster, settings, security log), in Chinese and English: only this
//! family's screens show them, so they load with its piece of the wasm.
//! Texts every screen shares are [`crate::words::i18n::Msg`].

crate::words::i18n::fixed_texts! {
    /// A fixed text of the site administration (roster, settings, security log).
    pub enum Words {
        /// Roster: add button.
        AddPerson => ("添加人员", "Add a person"),
        /// Roster: name.
        Name => ("姓名", "Name"),
        /// Roster: role.
        RoleLabel => ("角色", "Role"),
        /// Roster: how to enter posts.
        PostsHelp => (
            "多个岗位用逗号分隔,例如 lobby, show-flat",
            "Separate posts with commas, e.g. lobby, show-flat",
        ),
        /// Roster: PIN again.
        PinAgain => ("再次输入PIN码", "PIN again"),
        /// Roster: still working here.
        Active => ("在职", "Active"),
        /// Roster: has left.
        Inactive => ("已停用", "Inactive"),
        /// Roster: PIN set.
        PinSet => ("已设PIN", "PIN set"),
        /// Roster: no PIN.
        PinNotSet => ("未设PIN", "No PIN"),
        /// While the PIN is hashed.
        HashingPin => ("正在加密PIN码…", "Hashing the PIN…"),
        /// Form error.
        FormNoName => ("请填写姓名", "Enter a name"),
        /// Form error.
        FormNoRole => ("请选择角色", "Choose a role"),
        /// Form error.
        /// Form error.
        FormPinMismatch => ("两次输入的PIN码不一致", "The two PINs differ"),
        /// Form error.
        FormNeedsPin => (
            "新人员需要设置PIN码才能登录",
            "A new person needs a PIN to sign in",
        ),
        /// Roster: concurrent edits.
        RosterConflict => (
            "两位主管同时修改了此人,请核对后重新保存。各版本:",
            "Two supervisors changed this person at the same time. Check and save again. The versions:",
        ),
        /// Roster: nobody yet.
        RosterEmpty => ("名册中还没有人员", "Nobody on the roster yet"),
        /// Roster: what happens on save.
        RosterHelp => (
            "保存后名册同步到本项目的所有平板;PIN码只以加密形式保存。",
            "Saved changes reach every tablet of the site; PINs are stored only hashed.",
        ),
        /// Settings: concurrent values.
        SettingConflict => (
            "不同主管同时设置了不同的值:",
            "Different values were set at the same time:",
        ),
        /// Settings: where they apply.
        SettingsHelp => (
            "设置同步到本项目的所有平板。",
            "Settings reach every tablet of the site.",
        ),
        /// Security log: empty day.
        SecurityNone => ("当天没有记录", "Nothing recorded that day"),
    }
}
