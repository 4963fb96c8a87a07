//! Shiftbook's tablet and desktop app: a Leptos client-side-rendered PWA.
//!
//! Components are thin; what they show is computed by plain types
//! ([`round_view`], [`i18n`], [`backoff`], [`storage`] records) that are
//! unit-tested natively. Effects only talk to the outside world: the
//! tablet's storage ([`storage`]) and the sync server ([`sync_socket`]).

mod admin;
mod app;
mod complaints;
mod core;
mod duty_log;
mod handover;
mod keys;
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
    core::store::register_reactions(&[visitors::state::on_document_changed]);
    leptos::mount::mount_to_body(app::App);
}
