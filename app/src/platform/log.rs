//! The browser console: what the app notes for whoever debugs a tablet
//! (documents removed, refusals, server errors). Never shown to staff.

/// Log to the browser console.
pub fn web_sys_log(msg: &str) {
    leptos::logging::warn!("{msg}");
}
