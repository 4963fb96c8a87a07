//! The line a printed page of the desktop starts with — who printed it, when
//! and for which site — so a page filed on paper (a day's duty log, a
//! month's complaints) says where it came from. Shown only in print
//! (`@media print` in `style/app.css`); the time follows the clock by the
//! minute, so printing with the browser's own menu stamps it too.

use crate::core::store::Store;
use leptos::prelude::*;

/// The print stamp.
#[component]
pub fn PrintStamp() -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let person = store.signals.person;
    let site = store.enrolment().site_name;
    let minute = crate::platform::ticker::ticker(60);
    view! {
        <p class="print-stamp" data-testid="print-stamp">
            {move || {
                minute.track();
                let now = crate::platform::clock::now_ms();
                let time = crate::platform::clock::local(now).map(|t| t.to_string()).unwrap_or_default();
                let who = person.with(|p| p.as_ref().map(|p| p.name.clone())).unwrap_or_default();
                crate::words::i18n::printed(lang.get(), &who, &time, &site)
            }}
        </p>
    }
}
