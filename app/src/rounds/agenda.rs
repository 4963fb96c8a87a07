//! The tablet's main screen: the hand-overs refused or not taken over, the
//! leader's "sign the day", the rounds due now, those missed in the last
//! day, what comes next, and the rounds started when needed. Tapping one
//! opens it (`#round/…`). Recomputed every minute and whenever a document
//! changes; offline it uses the device clock and what the tablet holds.
//! The other screens and their red counts are on the navigation rail
//! (`shell/rail.rs`).

use crate::core::store::Store;
use crate::nav::route::{Route, go};
use crate::rounds::agenda_view::{AgendaRow, AgendaView};
use crate::words::i18n::{self, Msg};
use leptos::prelude::*;
use shiftbook_model::Lang;

/// How many missed rounds show before the rest fold away.
const MISSED_SHOWN: usize = 3;

/// Round rows that open their round when tapped.
pub fn rows(list: Vec<AgendaRow>, lang: RwSignal<Lang>, kind: &'static str) -> impl IntoView {
    list.into_iter()
        .map(|r| {
            let state = r.state;
            let round = r.round.clone();
            view! {
                <button
                    class=format!("agenda-row card {kind} {}", i18n::slot_state_class(state))
                    data-round=r.round.path()
                    data-state=i18n::slot_state_class(state)
                    on:click=move |_| go(&Route::Round(round.clone()))
                >
                    <span class="time">{r.due.clone()} "–" {r.deadline.clone()}</span>
                    <span class="title">{r.title.clone()}</span>
                    <span class="date muted">{r.round.date.clone()}</span>
                    <span class="state">{move || i18n::slot_state(lang.get(), state)}</span>
                </button>
            }
        })
        .collect_view()
}

/// The agenda.
#[component]
pub fn AgendaPage(
    /// What goes first: the hand-over alerts of the person's books, which
    /// the shell passes in (the agenda does not import the hand-over).
    #[prop(into)]
    alerts: ViewFn,
) -> impl IntoView {
    let store = expect_context::<Store>();
    let sig = store.signals;
    let lang = sig.lang;
    let start = sig.start;
    let person = sig.person;
    // The clock moves the agenda too: tick every minute.
    let minute = crate::platform::ticker::ticker(60);
    // From the start data: the agenda shows before the documents load,
    // and follows them once they have.
    let view = Memo::new(move |_| {
        minute.track();
        let lang = lang.get();
        let now = crate::platform::clock::local(crate::platform::clock::now_ms());
        let id = person.with(|p| p.as_ref().map(|p| p.id.clone()));
        start.with(|d| {
            let posts = d.posts_of(id.as_deref());
            now.map(|now| AgendaView::build(&d.templates, &posts, lang, now, |r| d.progress(r)))
        })
    });
    let signer = store.clone();
    let may_sign = store.signals.person.with_untracked(|p| {
        p.as_ref().is_some_and(|p| {
            matches!(
                p.role,
                shiftbook_model::roster::Role::Leader | shiftbook_model::roster::Role::Supervisor
            )
        })
    });
    // Yesterday too: a night round's service day began yesterday.
    let days: Vec<String> = [
        crate::platform::clock::now_ms() - 86_400_000,
        crate::platform::clock::now_ms(),
    ]
    .into_iter()
    .filter_map(|ms| crate::platform::clock::local(ms).map(|t| t.date.to_string()))
    .collect();
    let to_sign = Memo::new(move |_| start.with(|d| d.to_sign.clone()));
    let confirming = RwSignal::new(false);
    let sign_result: RwSignal<Option<String>> = RwSignal::new(None);
    let starter = store.clone();
    move || {
        let Some(v) = view.get() else {
            return view! { <main class="agenda"><p class="error">"clock"</p></main> }.into_any();
        };
        let starter = starter.clone();
        view! {
            <main class="agenda" data-testid="agenda">
                {alerts.run()}
                {(may_sign && !to_sign.get().is_empty()).then(|| {
                    let signer = signer.clone();
                    let days = days.clone();
                    let titles = to_sign.get().join("、");
                    view! {
                        <section class="card sign-day" data-testid="sign-day">
                            <p>
                                <b>{move || Msg::SignDay.text(lang.get())}</b>
                                " · " {titles}
                            </p>
                            {move || if confirming.get() {
                                let signer = signer.clone();
                                let days = days.clone();
                                view! {
                                    <button class="btn primary" data-action="confirm-sign-day" on:click=move |_| {
                                        confirming.set(false);
                                        let signing = crate::core::engine::sign_days(signer.clone(), days.clone());
                                        leptos::task::spawn_local(async move {
                                            let refused = signing.await.err();
                                            sign_result.set(refused.map(|e| e.text(lang.get_untracked())));
                                        });
                                    }>
                                        {move || Msg::ConfirmSignOff.text(lang.get())}
                                    </button>
                                }.into_any()
                            } else {
                                view! {
                                    <button class="btn secondary" data-action="sign-day" on:click=move |_| confirming.set(true)>
                                        {move || Msg::SignDay.text(lang.get())}
                                    </button>
                                }.into_any()
                            }}
                            {move || sign_result.get().map(|e| view! { <p class="error">{e}</p> })}
                        </section>
                    }
                })}
                <section class="agenda-section">
                    <h2>{move || Msg::DueNow.text(lang.get())}</h2>
                    {if v.due_now.is_empty() {
                        view! { <p class="muted" data-testid="nothing-due">{move || Msg::NothingDue.text(lang.get())}</p> }.into_any()
                    } else {
                        rows(v.due_now.clone(), lang, "due").into_any()
                    }}
                </section>
                {(!v.missed.is_empty()).then(|| {
                    // The latest few stay in view; a night of missed rounds
                    // folds away rather than pushing what is next off screen.
                    let mut missed = v.missed.clone();
                    let earlier = missed.len().saturating_sub(MISSED_SHOWN);
                    let rest: Vec<AgendaRow> = missed.drain(..earlier).collect();
                    view! {
                        <section class="agenda-section" data-testid="missed">
                            <h2 class="bad">{move || Msg::Missed.text(lang.get())} " · " {v.missed.len()}</h2>
                            {rows(missed, lang, "missed")}
                            {(!rest.is_empty()).then(|| view! {
                                <details class="earlier">
                                    <summary>{move || Msg::EarlierMissed.text(lang.get())} " (" {rest.len()} ")"</summary>
                                    {rows(rest.clone(), lang, "missed")}
                                </details>
                            })}
                        </section>
                    }
                })}
                <section class="agenda-section">
                    <h2>{move || Msg::Next.text(lang.get())}</h2>
                    {rows(v.next.clone(), lang, "next")}
                </section>
                {(!v.on_demand.is_empty()).then(|| view! {
                    <section class="agenda-section">
                        <h2>{move || Msg::OnDemand.text(lang.get())}</h2>
                        {v.on_demand
                            .iter()
                            .map(|(id, title)| {
                                let id = id.clone();
                                let starter = starter.clone();
                                view! {
                                    <button class="agenda-row card on-demand" data-start=id.clone() on:click=move |_| {
                                        let round = starter.new_on_demand_round(&id);
                                        go(&Route::Round(round));
                                    }>
                                        <span class="title">{title.clone()}</span>
                                        <span class="state">{move || Msg::StartRound.text(lang.get())}</span>
                                    </button>
                                }
                            })
                            .collect_view()}
                    </section>
                })}
            </main>
        }
        .into_any()
    }
}
