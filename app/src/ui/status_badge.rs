//! The sync badge: offline / connecting / syncing / all synced, and how
//! many local changes the server has not confirmed and photos it does not
//! have yet.

use crate::core::store::Store;
use crate::words::i18n::{self, Msg};
use leptos::prelude::*;
use shiftbook_model::client::SyncStatus;

/// The badge's machine-readable state, also used as a CSS class.
pub fn status_key(s: SyncStatus) -> &'static str {
    match s {
        SyncStatus::Offline => "offline",
        SyncStatus::Connecting => "connecting",
        SyncStatus::Syncing => "syncing",
        SyncStatus::Synced => "synced",
    }
}

/// The badge.
#[component]
pub fn StatusBadge() -> impl IntoView {
    let store = expect_context::<Store>();
    let sig = store.signals;
    let label = move || {
        let lang = sig.lang.get();
        match sig.status.get() {
            SyncStatus::Offline => Msg::Offline.text(lang),
            SyncStatus::Connecting => Msg::Connecting.text(lang),
            SyncStatus::Syncing => Msg::Syncing.text(lang),
            SyncStatus::Synced => Msg::Synced.text(lang),
        }
    };
    view! {
        <div
            class=move || format!("badge {}", status_key(sig.status.get()))
            data-testid="sync-badge"
            data-status=move || status_key(sig.status.get())
            data-unsynced=move || sig.unconfirmed.get().to_string()
            role="status"
            aria-live="polite"
        >
            <span class="dot" aria-hidden="true"></span>
            <span class="label">{label}</span>
            {move || i18n::unsynced(sig.lang.get(), sig.unconfirmed.get())
                .map(|t| view! { <span class="count">{t}</span> })}
            {move || i18n::unsent_photos(sig.lang.get(), sig.unsent_photos.get())
                .map(|t| view! { <span class="count" data-testid="unsent-photos">{t}</span> })}
        </div>
    }
}
