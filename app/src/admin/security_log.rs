//! The site's security log on the supervisor's desktop: sign-ins,
//! sign-outs and wrong PINs on the site's tablets, one day at a time
//! (today unless another date is picked). Tablets write it as things
//! happen, offline too; it arrives here when they sync.

use crate::admin::words::Words;
use crate::core::store::Store;
use crate::platform::clock::time_of_day;
use crate::words::i18n::{self, Msg};
use leptos::prelude::*;
use shiftbook_model::security_log::{self, EventKind};

/// The security log panel.
#[component]
pub fn SecurityLogPanel() -> impl IntoView {
    let store = expect_context::<Store>();
    let sig = store.signals;
    let lang = sig.lang;
    let date = RwSignal::new(crate::platform::clock::today());
    // Opening a day's log may create its genesis and store it: an effect,
    // not a computation.
    let opened: RwSignal<Option<Result<shiftbook_model::DocumentId, String>>> = RwSignal::new(None);
    let opener = store.clone();
    Effect::new(move |_| {
        let day = date.get();
        let result = opener.open_security_log(&day);
        opened.set(Some(result.map_err(|e| e.text(lang.get_untracked()))));
    });
    let events = store.derived(move |store| match opened.get() {
        None => Ok(Vec::new()),
        Some(Err(e)) => Err(e),
        Some(Ok(id)) => Ok(store
            .read(&id, |d| security_log::events(d).unwrap_or_default())
            .unwrap_or_default()),
    });
    let rows = move || {
        match events.get() {
        Err(e) => view! { <p class="error">{e}</p> }.into_any(),
        Ok(list) if list.is_empty() => {
            view! { <p class="muted" data-testid="security-empty">{move || Words::SecurityNone.text(lang.get())}</p> }.into_any()
        }
        Ok(list) => view! {
            <table class="security-table">
                <thead>
                    <tr>
                        <th>{move || Msg::Time.text(lang.get())}</th>
                        <th>{move || Msg::Device.text(lang.get())}</th>
                        <th>{move || Msg::Person.text(lang.get())}</th>
                        <th>{move || Msg::Event.text(lang.get())}</th>
                    </tr>
                </thead>
                <tbody>
                    {list
                        .into_iter()
                        .rev()
                        .map(|e| {
                            let kind = e.kind;
                            let who = if e.person.is_empty() { e.person_id.clone() } else { e.person.clone() };
                            view! {
                                <tr data-event=kind.as_str() class:alarm=kind == EventKind::WrongPin>
                                    <td>{time_of_day(e.at_ms)}</td>
                                    <td>{e.device.clone()}</td>
                                    <td>{who}</td>
                                    <td>{move || i18n::security_event(lang.get(), kind)}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        }
        .into_any(),
    }
    };
    view! {
        <main class="admin" data-testid="security-log">
            <section class="card admin-head">
                <h1>{move || Msg::TabSecurity.text(lang.get())}</h1>
                <label class="date-pick">
                    <span>{move || Msg::Date.text(lang.get())}</span>
                    <input
                        type="date"
                        prop:value=move || date.get()
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            if shiftbook_model::checklist::validate_date(&v).is_ok() {
                                date.set(v);
                            }
                        }
                    />
                </label>
            </section>
            <section class="card admin-body">{rows}</section>
        </main>
    }
}
