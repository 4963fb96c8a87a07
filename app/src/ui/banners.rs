//! Warnings that must not be missed: the engine's piece not fetched,
//! storage failures, set-aside records,
//! a refused device, an expired supervisor session (whose unsynced changes
//! stay in this browser's storage and sync after logging in again), a
//! new build of the app ready to start, and records written by a newer
//! build that this one leaves out.

use crate::core::store::Store;
use crate::words::i18n::Msg;
use leptos::prelude::*;

/// The warnings, each shown only while it applies.
#[component]
pub fn Banners() -> impl IntoView {
    let store = expect_context::<Store>();
    let s = store.signals;
    let desktop = store.is_desktop();
    view! {
        <Show when=move || s.engine_missing.get()>
            <div class="banner danger" role="alert" data-testid="engine-not-loaded">
                {move || Msg::EngineNotLoaded.text(s.lang.get())}
            </div>
        </Show>
        <Show when=move || s.storage_failed.get()>
            <div class="banner danger" role="alert" data-testid="storage-failed">
                {move || {
                    let msg = if s.storage_full.get() { Msg::StorageFull } else { Msg::StorageFailed };
                    msg.text(s.lang.get())
                }}
            </div>
        </Show>
        <Show when=move || s.refused.get() && !desktop>
            <div class="banner warn" role="alert" data-testid="device-refused">
                {move || Msg::DeviceRevoked.text(s.lang.get())}
            </div>
        </Show>
        <Show when=move || s.refused.get() && desktop>
            <div class="banner warn" role="alert" data-testid="session-expired">
                {move || Msg::SessionExpired.text(s.lang.get())}
                " "
                <button class="btn secondary small" data-action="log-in-again" on:click=move |_| {
                    crate::core::supervisor::forget();
                    if let Some(w) = web_sys::window() {
                        let _ = w.location().replace("/supervisor");
                    }
                }>
                    {move || Msg::SignIn.text(s.lang.get())}
                </button>
            </div>
        </Show>
        <Show when=move || s.update_ready.get()>
            <div class="banner info" role="status" data-testid="update-ready">
                {move || Msg::UpdateReady.text(s.lang.get())}
                " "
                <button class="btn secondary small" data-action="reload-app" on:click=move |_| crate::platform::app_update::reload()>
                    {move || Msg::ReloadApp.text(s.lang.get())}
                </button>
            </div>
        </Show>
        <Show when=move || { s.newer_records.get() > 0 }>
            <div class="banner warn" role="status" data-testid="newer-records">
                {move || crate::words::i18n::newer_records(s.lang.get(), s.newer_records.get())}
            </div>
        </Show>
        <Show when=move || { s.quarantined.get() > 0 }>
            <div class="banner warn" role="alert">
                {move || Msg::StorageQuarantined.text(s.lang.get())}
            </div>
        </Show>
    }
}
