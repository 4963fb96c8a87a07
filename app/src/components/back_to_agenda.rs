//! "← Back to the agenda", on the tablet's screens below the agenda. The
//! desktop has tabs instead, so it shows nothing there.

use crate::i18n::Msg;
use crate::pages::agenda::go;
use crate::route::Route;
use crate::store::Store;
use leptos::prelude::*;

/// The way back to the agenda (tablets only).
#[component]
pub fn BackToAgenda() -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    (!store.is_desktop()).then(|| {
        view! {
            <nav class="round-nav">
                <button class="btn secondary" data-action="back" on:click=move |_| go(&Route::Agenda)>
                    "← " {move || Msg::BackToAgenda.text(lang.get())}
                </button>
            </nav>
        }
    })
}
