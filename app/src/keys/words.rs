//! The fixed texts of the key register, in Chinese and English: only this
//! family's screens show them, so they load with its piece of the wasm.
//! Texts every screen shares are [`crate::words::i18n::Msg`].

crate::words::i18n::fixed_texts! {
    /// A fixed text of the key register.
    pub enum Words {
        // Key register and work permits (issue 6).
        /// The key register's heading.
        KeysTitle => ("样板房钥匙持用人登记", "Show-flat key register"),
        /// What the key rules are.
        KeysHelp => (
            "钥匙由持有人自行保管,不得转借、不得私自配制;交接须交出人登记、接收人确认。闭馆后钥匙交安管岗并签名确认;钥匙遗失立即报失,由领导安排换锁。",
            "Holders keep their keys, never lend or copy them; a hand-over is written by the giver and confirmed by the receiver. At closing the keys go to the security post, signed for. A lost key is reported at once and the lock changed.",
        ),
        /// No keys registered yet.
        NoKeys => ("还没有登记钥匙", "No keys on the register yet"),
        /// Button: register a key.
        RegisterKey => ("登记钥匙", "Register a key"),
        /// Field: the key's label.
        KeyLabel => (
            "钥匙名称(如:A户型 入户门 #1)",
            "Key label (e.g. Flat A front door #1)",
        ),
        /// Field: the lock.
        KeyLock => ("锁", "Lock"),
        /// A new lock.
        NewLock => ("新的一把锁", "A new lock"),
        /// Field: who holds it.
        KeyHolder => ("持有人", "Holder"),
        /// Button: hand a key over.
        HandOverKey => ("交出钥匙", "Hand over"),
        /// Button: hand a key over with the receiver here, confirming by PIN.
        HandOverInPerson => (
            "当面交接(接收人输入 PIN 确认)",
            "Hand over in person (receiver confirms with PIN)",
        ),
        /// Field: the receiver.
        HandTo => ("交给", "To"),
        /// Field: the giver.
        HandFrom => ("交出人", "From"),
        /// Button: the receiver confirms.
        ConfirmReceipt => ("确认收到", "Confirm receipt"),
        /// Button: report a key lost.
        ReportLost => ("报失", "Report lost"),
        /// Field: what happened.
        LostWhat => ("经过(可选)", "What happened (optional)"),
        /// Button: a leader records a key found.
        KeyFound => ("确认找回", "Record found"),
        /// Field: who has it now.
        FoundWith => ("现由谁保管", "Now held by"),
        /// Button: the lock was changed.
        ChangeLock => ("登记换锁", "Record lock change"),
        /// Field: what was done.
        WhatWasDoneOptional => ("处理情况(可选)", "What was done (optional)"),
        /// Button: withdraw a damaged key.
        WithdrawKey => ("收回(损坏)", "Withdraw (damaged)"),
        /// Field: what is damaged.
        WithdrawReason => ("损坏情况(必填)", "What is damaged (required)"),
    }
}
