//! A new build of the app, waiting. `sw.js` installs a new build's shell
//! and takes over the open page at once, but the page keeps running the
//! build it started with until it is reloaded — and a tablet may stay open
//! for days. `index.html` tells the app when a new worker took over (the
//! `shiftbook-update-ready` event, and `data-update-ready` on `<html>` in
//! case it happened before the app started); the app offers a reload in a
//! banner rather than reloading by itself, so nobody loses a form they are
//! typing. Records are not at stake: every edit is already in storage.

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

/// The window event `index.html` dispatches.
const EVENT: &str = "shiftbook-update-ready";
/// The window event that asks `index.html` to look for a new build.
const LOOK_EVENT: &str = "shiftbook-look-for-update";
/// The attribute `index.html` sets on `<html>`.
const ATTRIBUTE: &str = "data-update-ready";

/// Set `ready` once a new build has taken over this page.
pub fn watch(ready: leptos::prelude::RwSignal<bool>) {
    use leptos::prelude::Set;
    let Some(window) = web_sys::window() else {
        return;
    };
    let flagged = window
        .document()
        .and_then(|d| d.document_element())
        .is_some_and(|e| e.has_attribute(ATTRIBUTE));
    if flagged {
        ready.set(true);
    }
    let on_ready = Closure::<dyn FnMut()>::new(move || ready.set(true));
    if window
        .add_event_listener_with_callback(EVENT, on_ready.as_ref().unchecked_ref())
        .is_ok()
    {
        // Lives as long as the page.
        on_ready.forget();
    }
}

/// Ask the page to look for a new build now (`index.html` calls the
/// service worker registration's `update()`), because records written by
/// one arrived.
pub fn look_now() {
    if let Some(w) = web_sys::window()
        && let Ok(event) = web_sys::Event::new(LOOK_EVENT)
    {
        let _ = w.dispatch_event(&event);
    }
}

/// Reload the page to start the new build.
pub fn reload() {
    if let Some(w) = web_sys::window() {
        let _ = w.location().reload();
    }
}
