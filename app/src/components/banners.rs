//! Warnings that must not be missed: storage failures, set-aside records,
//! a refused device.

use crate::i18n::Msg;
use crate::store::Store;
use leptos::prelude::*;

/// The warnings, each shown only while it applies.
#[component]
pub fn Banners() -> impl IntoView {
    let store = expect_context::<Store>();
    let s = store.signals;
    view! {
        <Show when=move || s.storage_failed.get()>
            <div class="banner danger" role="alert" data-testid="storage-failed">
                {move || Msg::StorageFailed.text(s.lang.get())}
            </div>
        </Show>
        <Show when=move || s.refused.get()>
            <div class="banner warn" role="alert" data-testid="device-refused">
                {move || Msg::DeviceRevoked.text(s.lang.get())}
            </div>
        </Show>
        <Show when=move || { s.quarantined.get() > 0 }>
            <div class="banner warn" role="alert">
                {move || Msg::StorageQuarantined.text(s.lang.get())}
            </div>
        </Show>
    }
}
