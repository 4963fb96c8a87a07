//! One page per file.

pub mod agenda;
pub mod checklist;
pub mod desktop;
pub mod duty_log;
pub mod enroll;
pub mod flats_admin;
pub mod followups;
pub mod history;
pub mod not_enrolled;
pub mod roster_admin;
pub mod security_log;
pub mod settings_admin;
pub mod show_flat;
pub mod sign_in;
pub mod supervisor_login;
pub mod tablet;
pub mod templates_admin;
pub mod visitors;
