//! One page per file.

pub mod agenda;
pub mod checklist;
pub mod complaint;
pub mod complaints;
pub mod desktop;
pub mod duty_log;
pub mod enroll;
pub mod flats_admin;
pub mod followups;
pub mod handover;
pub mod handovers_desk;
pub mod history;
pub mod keys;
pub mod not_enrolled;
pub mod owner_visits;
pub mod permits;
pub mod permits_admin;
pub mod roster_admin;
pub mod security_log;
pub mod settings_admin;
pub mod show_flat;
pub mod sign_in;
pub mod supervisor_login;
pub mod tablet;
pub mod templates_admin;
pub mod visitors;
