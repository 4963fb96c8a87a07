//! Shiftbook's tablet and desktop app: a Leptos client-side-rendered PWA.
//!
//! One folder per record family ([`rounds`], [`complaints`], [`handover`],
//! [`duty_log`], [`visitors`], [`keys`], [`permits`], [`show_flat`],
//! [`owner_visits`], [`admin`]) over the shared layers: [`core`](crate::core) (the
//! store), [`platform`] (the browser), [`ui`] (shared components), [`nav`]
//! (routes, screens, tabs) and [`words`] (every text). [`shell`] composes
//! the families into the tablet's and the desktop's frames. Components are
//! thin; what they show is computed by plain types that are unit-tested
//! natively. Families never import each other (checked by `layout_rules.rs`, a unit test).

mod admin;
mod app;
mod complaints;
mod core;
mod dashboard;
mod duty_log;
mod handover;
mod keys;
#[cfg(test)]
mod layout_rules;
mod nav;
mod owner_visits;
mod permits;
mod platform;
mod rounds;
mod shell;
mod show_flat;
mod ui;
mod visitors;
mod words;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
