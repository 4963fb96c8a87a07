//! A signal bumped every so many seconds, for what moves with the clock
//! alone (deadlines, "not taken over in time", the service day, the
//! agenda's states). The interval ends with the component that made it.

use leptos::prelude::*;

/// A signal bumped every `seconds` while the calling component lives.
pub fn ticker(seconds: u64) -> RwSignal<u64> {
    let tick = RwSignal::new(0u64);
    if let Ok(handle) = set_interval_with_handle(
        move || tick.update(|t| *t += 1),
        std::time::Duration::from_secs(seconds),
    ) {
        on_cleanup(move || handle.clear());
    }
    tick
}
