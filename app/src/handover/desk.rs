//! The supervisor's hand-overs (desktop, `#handovers`): every book's day
//! at a glance — books with refusals first, then those with open pending
//! items — each with its alerts (refusals and their reasons, hand-overs
//! not taken over in time), its open pending items, its hand-overs (shift,
//! from → to, state, who signed as outgoing and incoming) and the
//! leader's or supervisor's review signature of the day.

use crate::core::store::Store;
use crate::handover::equipment_editor::EquipmentEditor;
use crate::handover::view::BookDayView;
use crate::handover::view::alert_line;
use crate::handover::words::Words;
use crate::platform::clock::time_of_day;
use crate::ui::flat_review::DayReview;
use crate::words::i18n::{self, Msg};
use leptos::prelude::*;
use shiftbook_model::handover::{AlertKind, Book, Capacity, books};

/// How urgent a book's day is: refusals first, then open pending items.
pub fn urgency(v: &BookDayView) -> (bool, bool) {
    let refused = v
        .alerts
        .iter()
        .any(|a| matches!(a.kind, AlertKind::Refused(_)));
    (!refused, v.open_items.is_empty())
}

/// The hand-overs tab.
#[component]
pub fn HandoversDesk() -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let date = RwSignal::new(crate::platform::clock::today());
    let asker = store.clone();
    let rev = store.signals.rev;
    Effect::new(move |_| {
        rev.track();
        let ids: Vec<String> = books::builtins().into_iter().map(|b| b.id).collect();
        asker.want_handover_docs(&ids, &[date.get()]);
    });
    // "Not taken over in time" comes with time, not with a change.
    let tick = crate::platform::ticker::ticker(15);
    let days = store.derived(move |s| {
        tick.track();
        let d = date.get();
        let range = crate::platform::clock::day_range_ms(&d);
        let now = crate::platform::clock::now_ms();
        let mut all: Vec<(Book, BookDayView)> = s
            .all_handover_books()
            .into_iter()
            .filter_map(|b| {
                let v = s.handover_day(&b, &d, now, range).ok()?;
                Some((b, v))
            })
            .collect();
        all.sort_by_key(|(_, v)| urgency(v));
        all
    });
    view! {
        <main class="admin" data-testid="handovers-desk">
            <section class="card admin-head">
                <div>
                    <h1>{move || Msg::TabHandovers.text(lang.get())}</h1>
                    <p class="muted">{move || Words::HoDeskHelp.text(lang.get())}</p>
                </div>
                <label class="date-pick">
                    <span>{move || Msg::Date.text(lang.get())}</span>
                    <input type="date" name="handover-date" prop:value=move || date.get() on:change=move |ev| {
                        let v = event_target_value(&ev);
                        if shiftbook_model::checklist::validate_date(&v).is_ok() {
                            date.set(v);
                        }
                    }/>
                </label>
            </section>
            <div class="ho-books">
                {move || days.get().into_iter().map(|(book, v)| view! { <BookDayCard book=book date=date.get() view=v/> }).collect_view()}
            </div>
            <section class="card admin-body ho-equipment-lists" data-testid="equipment-lists">
                <h2>{move || Words::HoEquipmentList.text(lang.get())}</h2>
                <p class="muted">{move || Words::HoEquipmentListsHelp.text(lang.get())}</p>
                {store.all_handover_books().into_iter().map(|b| view! { <EquipmentEditor book=b/> }).collect_view()}
            </section>
        </main>
    }
}

/// One book's day on the desktop.
#[component]
fn BookDayCard(book: Book, date: String, view: BookDayView) -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let l = lang.get_untracked();
    let (book_id, day) = (book.id.clone(), date.clone());
    let sign = Callback::new(move |()| {
        store
            .open_handover_day(&book_id, &day)
            .and_then(|id| store.sign_handover_day(&id))
            .map_err(|e| e.text(lang.get_untracked()))
    });
    let open = format!(
        "#{}",
        crate::nav::route::Route::Handover(book.id.clone(), date.clone()).fragment()
    );
    let v = view;
    view! {
        <article class="card ho-book" data-book=book.id.clone() class:refused=!urgency(&v).0>
            <header class="title">
                <h2>{book.title.get(l).to_owned()}</h2>
                <a class="btn secondary small" href=open data-action="open-book">{Words::HoOpenBook.text(l)}</a>
            </header>
            {(!v.alerts.is_empty()).then(|| view! {
                <div class="ho-alerts" data-testid="handover-alerts">
                    {v.alerts.iter().map(|a| view! {
                        <p data-testid="handover-alert" data-kind=if matches!(a.kind, AlertKind::Refused(_)) { "refused" } else { "late" }>
                            "⚠ " {alert_line(l, a)}
                        </p>
                    }).collect_view()}
                </div>
            })}
            <div class="ho-open" data-testid="desk-pending">
                <h3>{Words::HoPending.text(l)} " · " {v.open_items.len()}</h3>
                {(!v.open_items.is_empty()).then(|| view! {
                    <ul>
                        {v.open_items.iter().map(|i| view! {
                            <li data-pending-item=i.id.clone()>
                                {i.text.clone()}
                                <span class="muted">" · " {i.opened.date.clone().unwrap_or_default()} " · " {i.opened.by.person.clone()}</span>
                                {(!i.notes.is_empty()).then(|| view! { <span class="muted">" · " {i.notes.len()} "✎"</span> })}
                            </li>
                        }).collect_view()}
                    </ul>
                })}
            </div>
            {if v.handovers.is_empty() {
                view! { <p class="muted">{Words::HoNoHandovers.text(l)}</p> }.into_any()
            } else {
                view! {
                    <table class="security-table ho-table">
                        <tbody>
                            {v.handovers.iter().map(|c| {
                                let signed = |cap: Capacity| c.signed_as(cap).iter().map(|s| format!("{} {}", s.person, time_of_day(s.at_ms))).collect::<Vec<_>>().join("、");
                                let (out, inc) = (signed(Capacity::Outgoing), signed(Capacity::Incoming));
                                view! {
                                    <tr data-handover=c.id.clone() data-state=i18n::handover_state_class(c.state) class:alarm=c.state == shiftbook_model::handover::HandoverState::Refused>
                                        <td>{time_of_day(c.outgoing.at_ms)}</td>
                                        <td>{c.shift.get(l).to_owned()}</td>
                                        <td>{format!("{} → {}", i18n::post(l, &c.from_post), i18n::post(l, &c.to_post))}</td>
                                        <td>{i18n::handover_state(l, c.state)}</td>
                                        <td data-testid="desk-signatures">
                                            {format!("{}:{}", Words::HoOutgoing.text(l), if out.is_empty() { "—".to_owned() } else { format!("✍ {out}") })}
                                            <br/>
                                            {format!("{}:{}", Words::HoIncoming.text(l), if inc.is_empty() { "—".to_owned() } else { format!("✍ {inc}") })}
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
            <DayReview reviews=v.reviews.clone() changed_after=v.changed_after_review label=Words::HoSignDay sign=sign testid="handover-review"/>
        </article>
    }
}
