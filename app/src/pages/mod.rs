//! One page per file.

pub mod agenda;
pub mod checklist;
pub mod followups;
pub mod history;
pub mod roster_admin;
pub mod security_log;
pub mod settings_admin;
pub mod templates_admin;
