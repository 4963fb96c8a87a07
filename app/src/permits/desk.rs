//! The supervisor's work permits (desktop, `#permits`): a month's permits
//! by date with their alerts, to approve or reject, follow and close; the
//! same cards as the tablet.

use crate::core::store::Store;
use crate::permits::card::PermitCard;
use crate::permits::form::PermitApplyForm;
use crate::permits::page::{alerts_list, open_sweeps};
use crate::permits::words::Words;
use leptos::prelude::*;

/// The desktop's permits tab.
#[component]
pub fn PermitsAdmin() -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let month = RwSignal::new(
        crate::platform::clock::today()
            .get(..7)
            .unwrap_or_default()
            .to_owned(),
    );
    let view = store.derived(move |s| {
        s.permits_view(&[month.get()], lang.get())
            .map_err(|e| e.text(lang.get()))
    });
    let asker = store.clone();
    Effect::new(move |_| {
        asker.open_permit_boards(&[month.get()]);
        view.with(|v| open_sweeps(&asker, v));
    });
    let applying = RwSignal::new(false);
    view! {
        <main class="admin permits" data-testid="permits-admin">
            <section class="card admin-head">
                <div>
                    <h1>{move || Words::PermitsTitle.text(lang.get())}</h1>
                    <p class="muted">{move || Words::PermitsHelp.text(lang.get())}</p>
                </div>
                <label class="date-pick">
                    <span>{move || Words::Month.text(lang.get())}</span>
                    <input type="month" name="permits-month" prop:value=move || month.get() on:change=move |ev| {
                        let v = event_target_value(&ev);
                        if shiftbook_model::work_permit::validate_month(&v).is_ok() {
                            month.set(v);
                        }
                    }/>
                </label>
                <button class="btn secondary" data-action="apply-permit" on:click=move |_| applying.update(|a| *a = !*a)>
                    {move || Words::ApplyPermit.text(lang.get())}
                </button>
            </section>
            {move || applying.get().then(|| view! { <PermitApplyForm open=applying/> })}
            {move || match view.get() {
                Err(e) => view! { <p class="card notice error">{e}</p> }.into_any(),
                Ok(v) => view! {
                    {alerts_list(&v, lang)}
                    {v.rows.is_empty().then(|| view! { <p class="muted card pad">{move || Words::NoWork.text(lang.get())}</p> })}
                }.into_any(),
            }}
            <div class="permit-list">
                <For
                    each=move || view.get().map(|v| v.rows).unwrap_or_default()
                    key=|r| format!("{r:?}")
                    let:row
                >
                    <PermitCard row=row/>
                </For>
            </div>
        </main>
    }
}
