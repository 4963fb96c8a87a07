//! A tap's change is synced right after the frame that shows it: the sync
//! client holds local changes back ([`SyncClient::defer_local_sync`]), and
//! this makes and sends their sync messages after the next paint (an
//! animation frame, then a zero timeout), or after [`LATEST_MS`] where no
//! frame comes (a hidden tab). The change is on its way to storage in the
//! tap's own task already (`persist`); only the sync message, and the
//! server's answer to it, wait a frame.
//!
//! [`SyncClient::defer_local_sync`]: shiftbook_model::client::SyncClient::defer_local_sync

use super::Store;
use leptos::prelude::{request_animation_frame, set_timeout};
use std::cell::Cell;
use std::time::Duration;

/// The longest a local change waits for a frame before it is synced.
const LATEST_MS: u64 = 100;

thread_local! {
    /// A flush is on its way.
    static SCHEDULED: Cell<bool> = const { Cell::new(false) };
}

impl Store {
    /// Sync the local changes the client holds back once the screen shows
    /// them (once, however many changes come before).
    pub(super) fn sync_after_frame(&self) {
        if SCHEDULED.replace(true) {
            return;
        }
        let (after_paint, at_the_latest) = (self.clone(), self.clone());
        request_animation_frame(move || {
            set_timeout(move || flush(&after_paint), Duration::ZERO);
        });
        set_timeout(
            move || flush(&at_the_latest),
            Duration::from_millis(LATEST_MS),
        );
    }
}

/// Make and send the held-back sync messages, unless the other way came
/// first.
fn flush(store: &Store) {
    if !SCHEDULED.replace(false) {
        return;
    }
    store.with(|inner| inner.client.sync_local_changes());
    store.pump();
}
