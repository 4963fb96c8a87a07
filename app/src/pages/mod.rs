//! One page per file.

pub mod checklist;
pub mod enroll;
pub mod not_enrolled;
pub mod sign_in;
pub mod supervisor_login;
