//! The monthly owner-visit record (《业户访问记录》, `#owner-visits/<month>`
//! on the tablet, the desktop's owner-visits tab): the month's visits by
//! unit — what the owner said, the follow-up needed and when it was done,
//! who recorded it when on which device; adding a visit; marking a
//! follow-up done; the supervisor's month-end signature, and what was
//! added after it. ‹ › step through the months.

use crate::core::service_day::shift_month;
use crate::core::store::Store;
use crate::nav::route::Route;
use crate::owner_visits::view::{OwnerVisitsView, VisitForm, VisitRow, may_sign};
use crate::owner_visits::words::Words;
use crate::platform::random::random_bytes;
use crate::ui::bound_input::bound_input;
use crate::words::i18n::Msg;
use crate::words::i18n::Text;
use leptos::prelude::*;
use shiftbook_model::roster::Role;
use shiftbook_model::schedule::Date;

/// A fresh visit id: random, one device records it.
fn new_id() -> String {
    let hex: String = random_bytes::<8>()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("v-{hex}")
}

/// A device time as local `MM-DD HH:MM`.
fn local_text(ms: i64) -> String {
    crate::platform::clock::local(ms)
        .map(|t| format!("{:02}-{:02} {}", t.date.month(), t.date.day(), t.minute))
        .unwrap_or_default()
}

/// The record of `month` (this month when `None`).
#[component]
pub fn OwnerVisitsPanel(month: Option<String>) -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let today = crate::platform::clock::today();
    let month =
        RwSignal::new(month.unwrap_or_else(|| today.get(..7).unwrap_or_default().to_owned()));
    let asker = store.clone();
    Effect::new(move |_| asker.want_owner_visits(&month.get()));
    let person = store.signals.person.get_untracked();
    let role = person.as_ref().map_or(Role::Staff, |p| p.role);
    let view = store.derived(move |s| {
        let held = s.owner_visits(&month.get());
        OwnerVisitsView::build(
            &held.visits,
            &held.signatures,
            &held.after_latest,
            lang.get(),
            local_text,
        )
    });
    let shift = move |delta: i32| {
        let m = shift_month(&month.get_untracked(), delta);
        month.set(m.clone());
        // The address keeps the month, so a reload comes back to it.
        if let Some(w) = web_sys::window() {
            let _ = w
                .location()
                .set_hash(&Route::OwnerVisits(Some(m)).fragment());
        }
    };
    let adding = RwSignal::new(false);
    let sign_error: RwSignal<Option<String>> = RwSignal::new(None);
    let signer = store.clone();
    let today_date = Date::parse(&today).ok();
    view! {
        <main class="owner-visits" data-testid="owner-visits">
            <section class="card admin-head">
                <div>
                    <h1>{move || Msg::OvTitle.text(lang.get())}</h1>
                    <p class="muted">{move || Words::OvHelp.text(lang.get())}</p>
                </div>
                <div class="month-pick">
                    <button class="btn secondary" data-action="previous-month" on:click=move |_| shift(-1)>"‹"</button>
                    <b data-testid="visits-month">{move || month.get()}</b>
                    <button class="btn secondary" data-action="next-month" on:click=move |_| shift(1)>"›"</button>
                </div>
                {move || (!adding.get()).then(|| view! {
                    <button class="btn primary big" data-action="add-visit" on:click=move |_| adding.set(true)>
                        "+ " {move || Words::OvAdd.text(lang.get())}
                    </button>
                })}
            </section>
            {move || adding.get().then(|| view! { <AddVisit month=month adding=adding/> })}
            {move || {
                let v = view.get();
                let may = today_date.is_some_and(|d| may_sign(role, d, &month.get()));
                let signer = signer.clone();
                view! {
                    <section class="card visits-summary" data-testid="visits-summary">
                        <span class="stat"><b data-testid="visits-total">{v.total}</b> " " {Words::OvVisits.text(lang.get())}</span>
                        <span class="stat" class:bad={v.open_follow_ups > 0}>
                            <b data-testid="visits-open-follow-ups">{v.open_follow_ups}</b> " " {Words::OvOpenFollowUps.text(lang.get())}
                        </span>
                        {v.signatures.iter().map(|s| view! { <p class="signature" data-testid="visits-signature">"✓ " {s.clone()}</p> }).collect_view()}
                        {(v.changed_after > 0 && !v.signatures.is_empty()).then(|| view! {
                            <p class="after-signing" data-testid="visits-after-signing">{crate::words::i18n::changed_after_signing(lang.get(), v.changed_after)}</p>
                        })}
                        {(may && v.total > 0).then(|| view! {
                            <button class="btn primary" data-action="sign-month" on:click=move |_| {
                                sign_error.set(signer.sign_owner_visits(&month.get_untracked()).err().map(|e| e.text(lang.get_untracked())));
                            }>
                                {Words::OvSignMonth.text(lang.get())}
                            </button>
                        })}
                        {move || sign_error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                    </section>
                    {if v.units.is_empty() {
                        view! { <p class="muted card pad" data-testid="no-visits">{Words::OvNone.text(lang.get())}</p> }.into_any()
                    } else {
                        v.units.into_iter().map(|u| view! {
                            <section class="visit-unit" data-unit=u.unit.clone()>
                                <h2 class="area">{u.unit.clone()} " · " {u.visits.len()}</h2>
                                {u.visits.into_iter().map(|r| view! { <VisitCard row=r month=month/> }).collect_view()}
                            </section>
                        }).collect_view().into_any()
                    }}
                }
            }}
        </main>
    }
}

/// One visit, with "followed up" when it needs it.
#[component]
fn VisitCard(row: VisitRow, month: RwSignal<String>) -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let done = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let id = StoredValue::new(row.id.clone());
    let noter = store.clone();
    let add_note = move |_| match noter.owner_visit_note(
        &month.get_untracked(),
        &id.get_value(),
        &note.get_untracked(),
    ) {
        Ok(()) => {
            error.set(None);
            note.set(String::new());
        }
        Err(e) => error.set(Some(e.text(lang.get_untracked()))),
    };
    let follow = move |_| {
        let result = store.owner_visit_followed_up(
            &month.get_untracked(),
            &id.get_value(),
            &done.get_untracked(),
        );
        match result {
            Ok(()) => {
                error.set(None);
                done.set(String::new());
            }
            Err(e) => error.set(Some(e.text(lang.get_untracked()))),
        }
    };
    let line = |label: Text, text: String| {
        (!text.is_empty()).then(|| {
            view! {
                <p><span class="muted">{move || label.text(lang.get())} ":"</span> {text}</p>
            }
        })
    };
    view! {
        <article class="visit card" class:needs=row.needs_follow_up data-visit=row.id.clone()>
            <header>
                <b>{row.date.clone()}</b>
                <span>{row.owner.clone()}</span>
                <span class="muted">{move || Words::OvVisitor.text(lang.get())} " " {row.visitor.clone()}</span>
            </header>
            {line(Words::OvOpinions.into(), row.opinions.clone())}
            {line(Words::OvRequests.into(), row.requests.clone())}
            {row.follow_up.clone().map(|f| view! {
                <p class="follow-up"><span class="muted">{move || Words::OvFollowUp.text(lang.get())} ":"</span> {f}</p>
            })}
            {row.followed_up.iter().map(|f| view! { <p class="ok" data-testid="followed-up">"✓ " {f.clone()}</p> }).collect_view()}
            {row.notes.iter().map(|n| view! { <p class="muted">{n.clone()}</p> }).collect_view()}
            <p class="attribution">{row.recorded.clone()}</p>
            {row.needs_follow_up.then(|| view! {
                <div class="row follow-up-row">
                    <input class="note" name="followed-up" autocomplete="off"
                        placeholder=move || Words::OvWhatWasDone.text(lang.get())
                        prop:value=move || done.get()
                        on:input=move |ev| done.set(event_target_value(&ev))/>
                    <button class="btn primary" data-action="mark-followed-up" on:click=follow>
                        {move || Words::OvMarkFollowedUp.text(lang.get())}
                    </button>
                </div>
            })}
            <div class="row follow-up-row">
                <input class="note" name="visit-note" autocomplete="off"
                    placeholder=move || Msg::CpFieldNote.text(lang.get())
                    prop:value=move || note.get()
                    on:input=move |ev| note.set(event_target_value(&ev))/>
                <button class="btn secondary" data-action="visit-note" on:click=add_note>
                    {move || Msg::CpActNote.text(lang.get())}
                </button>
            </div>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
        </article>
    }
}

/// The form of a new visit.
#[component]
fn AddVisit(month: RwSignal<String>, adding: RwSignal<bool>) -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let today = crate::platform::clock::today();
    let visitor = store
        .signals
        .person
        .with_untracked(|p| p.as_ref().map(|p| p.name.clone()))
        .unwrap_or_default();
    // A visit on a day of the month shown: today when it is this month.
    let date = if today.starts_with(&month.get_untracked()) {
        today
    } else {
        format!("{}-01", month.get_untracked())
    };
    let form = RwSignal::new(VisitForm {
        date,
        visitor,
        ..VisitForm::default()
    });
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let result = form
            .get_untracked()
            .to_new(&new_id(), lang.get_untracked())
            .and_then(|new| {
                store
                    .record_owner_visit(&new)
                    .map_err(|e| e.text(lang.get_untracked()))
            });
        match result {
            Ok(()) => adding.set(false),
            Err(e) => error.set(Some(e)),
        }
    };
    view! {
        <form class="card take-complaint add-visit" data-testid="add-visit" on:submit=submit>
            <h2>{move || Words::OvAdd.text(lang.get())}</h2>
            <div class="take-grid">
                {bound_input(form, "field", "text", "visit-unit", Msg::CpUnit, |f| f.unit.clone(), |f, v| f.unit = v)}
                {bound_input(form, "field", "text", "visit-owner", Msg::CpOwner, |f| f.owner.clone(), |f, v| f.owner = v)}
                {bound_input(form, "field", "date", "visit-date", Words::OvDate, |f| f.date.clone(), |f, v| f.date = v)}
                {bound_input(form, "field", "text", "visit-visitor", Words::OvVisitor, |f| f.visitor.clone(), |f, v| f.visitor = v)}
                {bound_input(form, "field", "text", "visit-opinions", Words::OvOpinions, |f| f.opinions.clone(), |f, v| f.opinions = v)}
                {bound_input(form, "field", "text", "visit-requests", Words::OvRequests, |f| f.requests.clone(), |f, v| f.requests = v)}
                {bound_input(form, "field", "text", "visit-follow-up", Words::OvFollowUpNeeded, |f| f.follow_up.clone(), |f, v| f.follow_up = v)}
            </div>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <div class="form-actions">
                <button class="btn primary big" type="submit" data-action="save-visit">{move || Words::OvSave.text(lang.get())}</button>
                <button class="btn secondary" type="button" data-action="cancel-visit" on:click=move |_| adding.set(false)>
                    {move || Msg::CpCancel.text(lang.get())}
                </button>
            </div>
        </form>
    }
}
