//! One line of a register's history (a key's, a work permit's): what
//! happened in words, who, on which device, when by that device's clock.
//! The views build them; `ui/event_history.rs` shows them.

/// One line of a record's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryLine {
    /// Device time, ms.
    pub at_ms: i64,
    /// The event kind as stored (`handed_over`, …): a CSS class.
    pub kind: &'static str,
    /// What happened, in words.
    pub text: String,
    /// Who (name and role).
    pub who: String,
    /// On which device.
    pub device: String,
}
