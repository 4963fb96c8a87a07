//! Contractor work permits on the tablet (`#permits`, 《工作联络单》): the
//! alerts, today's expected work (`work_permit::expected_on`), earlier work
//! not closed yet, upcoming work and what is finished; typing in an
//! application; approving or rejecting (leaders); security logging entries
//! and exits with the tools and materials check; the after-work sweep on
//! the checklist engine; closing and cancelling. The boards of this and
//! next month are asked for from the server.

use crate::core::service_day::months_shown;
use crate::core::store::Store;
use crate::nav::route::RoundRef;
use crate::permits::card::PermitCard;
use crate::permits::form::PermitApplyForm;
use crate::permits::view::{PermitsView, Section};
use crate::permits::words::Words;
use crate::words::i18n::Msg;
use crate::words::i18n::Text;
use leptos::prelude::*;

/// Open the sweep rounds the permits name, so their progress shows.
pub fn open_sweeps(store: &Store, view: &Result<PermitsView, String>) {
    if let Ok(v) = view {
        let rounds: Vec<RoundRef> = v
            .rows
            .iter()
            .filter_map(|r| r.sweep.as_ref().and_then(|s| s.round.clone()))
            .collect();
        store.open_sweep_rounds(&rounds);
    }
}

/// The alerts list, shared with the desktop.
pub fn alerts_list(
    v: &PermitsView,
    lang: RwSignal<shiftbook_model::Lang>,
) -> impl IntoView + use<> {
    (!v.alerts.is_empty()).then(|| {
        view! {
            <section class="card permit-alerts-top" data-testid="permit-alerts">
                <h2>{move || Msg::NeedsAttention.text(lang.get())}</h2>
                <ul>
                    {v.alerts.iter().map(|a| view! {
                        <li class=a.kind data-alert=a.kind data-permit=a.permit.clone()>{a.text.clone()}</li>
                    }).collect_view()}
                </ul>
            </section>
        }
    })
}

/// The tablet's permits screen.
#[component]
pub fn PermitsPanel() -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let minute = crate::platform::ticker::ticker(60);
    let view = store.derived(move |s| {
        minute.track();
        s.permits_view(&months_shown(&crate::platform::clock::today()), lang.get())
            .map_err(|e| e.text(lang.get()))
    });
    let asker = store.clone();
    Effect::new(move |_| {
        minute.track();
        asker.open_permit_boards(&months_shown(&crate::platform::clock::today()));
        view.with(|v| open_sweeps(&asker, v));
    });
    let applying = RwSignal::new(false);
    let section = move |s: Section, title: Text, testid: &'static str| {
        view! {
            <section class="permit-section" data-testid=testid>
                <h2>{move || title.text(lang.get())}</h2>
                <For
                    each=move || view.get().map(|v| v.section(s)).unwrap_or_default()
                    key=|r| format!("{r:?}")
                    let:row
                >
                    <PermitCard row=row/>
                </For>
                {move || view.with(|v| v.as_ref().is_ok_and(|v| v.section(s).is_empty())).then(|| view! {
                    <p class="muted">{move || Words::NoWork.text(lang.get())}</p>
                })}
            </section>
        }
    };
    view! {
        <main class="permits" data-testid="permits">
            <section class="card admin-head">
                <div>
                    <h1>{move || Words::PermitsTitle.text(lang.get())}</h1>
                    <p class="muted">{move || Words::PermitsHelp.text(lang.get())}</p>
                </div>
                <button class="btn primary" data-action="apply-permit" on:click=move |_| applying.update(|a| *a = !*a)>
                    {move || Words::ApplyPermit.text(lang.get())}
                </button>
            </section>
            {move || applying.get().then(|| view! { <PermitApplyForm open=applying/> })}
            {move || match view.get() {
                Err(e) => view! { <p class="card notice error">{e}</p> }.into_any(),
                Ok(v) => alerts_list(&v, lang).into_any(),
            }}
            {section(Section::Today, Words::TodayWork.into(), "permits-today")}
            {section(Section::Earlier, Words::EarlierOpen.into(), "permits-earlier")}
            {section(Section::Upcoming, Words::UpcomingWork.into(), "permits-upcoming")}
            <details class="permit-section done" data-testid="permits-done">
                <summary>{move || Words::FinishedWork.text(lang.get())}</summary>
                <For
                    each=move || view.get().map(|v| v.section(Section::Done)).unwrap_or_default()
                    key=|r| format!("{r:?}")
                    let:row
                >
                    <PermitCard row=row/>
                </For>
            </details>
        </main>
    }
}
