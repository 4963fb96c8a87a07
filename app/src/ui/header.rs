//! The top bar: product, site, device, date, language switch and badge.

use crate::core::store::Store;
use crate::ui::status_badge::StatusBadge;
use crate::words::i18n::{self, Msg};
use leptos::prelude::*;
use shiftbook_model::Lang;

/// The top bar.
#[component]
pub fn Header(#[prop(into)] date: String) -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let person = store.signals.person;
    let e = store.enrolment();
    let toggle = move |_| {
        let next = if lang.get_untracked() == Lang::Zh {
            Lang::En
        } else {
            Lang::Zh
        };
        lang.set(next);
        crate::platform::storage::store_lang(next);
    };
    view! {
        <header class="topbar">
            <div class="brand">
                <span class="logo" aria-hidden="true">"值"</span>
                <div>
                    <div class="product">{move || Msg::AppName.text(lang.get())}</div>
                    <div class="site" data-testid="site-name">{e.site_name.clone()}</div>
                </div>
            </div>
            <div class="meta">
                <span class="device" data-testid="device-name">
                    {move || Msg::Device.text(lang.get())} " · " {e.device.clone()}
                </span>
                <span class="date">{date}</span>
            </div>
            <div class="actions">
                {move || person.get().map(|p| {
                    let store = store.clone();
                    let desktop = store.is_desktop();
                    view! {
                        <span class="person-chip" data-testid="person">
                            {p.name.clone()} " · " {move || i18n::role(lang.get(), p.role)}
                        </span>
                        {if desktop {
                            view! {
                                <button class="btn ghost" data-testid="print" data-action="print" on:click=move |_| {
                                    if let Some(w) = web_sys::window() {
                                        let _ = w.print();
                                    }
                                }>
                                    {move || Msg::Print.text(lang.get())}
                                </button>
                                <button class="btn ghost" data-testid="log-out" on:click=move |_| {
                                    leptos::task::spawn_local(async {
                                        crate::core::supervisor::logout().await;
                                        if let Some(w) = web_sys::window() {
                                            let _ = w.location().replace("/supervisor");
                                        }
                                    });
                                }>
                                    {move || Msg::LogOut.text(lang.get())}
                                </button>
                            }.into_any()
                        } else {
                            view! {
                                <button
                                    class="btn ghost"
                                    data-testid="switch-person"
                                    on:click=move |_| crate::core::engine::sign_out(&store, shiftbook_model::security_log::EventKind::SignOut)
                                >
                                    {move || Msg::SwitchPerson.text(lang.get())}
                                </button>
                            }.into_any()
                        }}
                    }
                })}
                <StatusBadge/>
                <button class="btn ghost lang" data-testid="lang-switch" on:click=toggle>
                    {move || Msg::SwitchLanguage.text(lang.get())}
                </button>
            </div>
        </header>
    }
}
