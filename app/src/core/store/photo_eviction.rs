//! Sent photos leave the tablet, so its storage holds records, not an
//! album: a photo the server has goes once it came to this tablet (taken
//! here, or fetched for a screen) more than the site's
//! [`Setting::PhotoDaysOnTablet`] days ago, and every sent photo goes when
//! storage is full (a photo that finds no room, or any write: the
//! [`Store::watch_photo_storage`] watch). A screen that shows one fetches it again
//! ([`super::photo_uploads::photo_url`]). Unsent photos never leave.
//!
//! The pass runs at start and whenever the tablet is in sync, at most once
//! an hour; it logs what it removed to the console.

use super::Store;
use crate::platform::idb;
use crate::platform::log::web_sys_log;
use leptos::prelude::{Effect, Get};
use shiftbook_model::client::SyncStatus;
use shiftbook_model::settings::Setting;
use std::cell::Cell;

/// A pass at most this often.
const AGAIN_MS: i64 = 60 * 60 * 1000;
const DAY_MS: i64 = 24 * 60 * 60 * 1000;

thread_local! {
    /// When the last pass started.
    static LAST_PASS: Cell<Option<i64>> = const { Cell::new(None) };
}

/// Photos kept before this time may go, for a site keeping them `days`.
fn kept_before(now_ms: i64, days: i64) -> i64 {
    now_ms.saturating_sub(days.saturating_mul(DAY_MS))
}

/// Whether a pass is due at `now_ms` after one at `last`. A clock set
/// back counts as due: the hour is not waited for twice.
fn due(last: Option<i64>, now_ms: i64) -> bool {
    last.is_none_or(|last| now_ms < last || now_ms - last >= AGAIN_MS)
}

impl Store {
    /// Delete the sent photos older than the site's days, unless a pass
    /// ran within the hour.
    pub(crate) async fn evict_old_photos(&self) {
        let now = crate::platform::clock::now_ms();
        if !due(LAST_PASS.get(), now) {
            return;
        }
        LAST_PASS.set(Some(now));
        let days = self
            .read_settings(|s| s.get(Setting::PhotoDaysOnTablet))
            .unwrap_or_else(|_| Setting::PhotoDaysOnTablet.default_value());
        remove(kept_before(now, days), &format!("older than {days} days")).await;
    }

    /// Storage is full: delete every sent photo (the server has them).
    pub(crate) async fn evict_sent_photos(&self) {
        remove(i64::MAX, "storage full").await;
    }

    /// Watch storage and the connection: whenever storage says it is
    /// full, delete every sent photo (the write that found it full is
    /// tried again a few seconds later, `persist`, and finds the room);
    /// whenever the tablet is in sync, run the hourly pass. Started from
    /// the engine's piece, so the first screen does not carry the passes.
    pub fn watch_photo_storage(&self) {
        let (full, status) = (self.signals.storage_full, self.signals.status);
        let store = self.clone();
        Effect::new(move |_| {
            let store = store.clone();
            if full.get() {
                leptos::task::spawn_local(async move { store.evict_sent_photos().await });
            } else if status.get() == SyncStatus::Synced {
                leptos::task::spawn_local(async move { store.evict_old_photos().await });
            }
        });
    }
}

async fn remove(kept_before_ms: i64, why: &str) {
    match idb::remove_sent_blobs(kept_before_ms).await {
        Ok((0, _)) => {}
        Ok((n, bytes)) => web_sys_log(&format!(
            "shiftbook: {n} sent photos ({} KB) left this tablet ({why})",
            bytes / 1024
        )),
        Err(e) => web_sys_log(&format!("shiftbook: sent photos not removed: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn photos_go_after_the_sites_days() {
        let now = 100 * DAY_MS;
        assert_eq!(kept_before(now, 7), 93 * DAY_MS);
        assert_eq!(kept_before(5, 90), 5 - 90 * DAY_MS, "no overflow near 0");
    }

    #[test]
    fn a_pass_runs_at_most_once_an_hour() {
        assert!(due(None, 0));
        assert!(!due(Some(1_000), 1_000 + AGAIN_MS - 1));
        assert!(due(Some(1_000), 1_000 + AGAIN_MS));
        assert!(due(Some(1_000), 999), "a clock set back");
    }
}
