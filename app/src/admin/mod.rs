//! The supervisor's site administration on the desktop (管理): the roster
//! ([`roster`], with the form's rules in [`roster_form`]: PINs hashed in
//! the browser), the security log ([`security_log`]) and the site settings
//! ([`settings`]). The store's roster and settings operations are still in
//! `core::store`.

pub mod roster;
pub mod roster_form;
pub mod security_log;
pub mod settings;
pub mod words;
