//! The show-flat count (`#flat/<flat>/<date>`, 《样板房物品清点记录表》):
//! the receptionist walks room by room at opening and at closing, taps
//! "all as expected" for a room, then corrects the exceptions — quantity
//! with big − / + buttons, condition (in place / moved / damaged /
//! missing). Every tap is a count saved on the tablet; discrepancies show
//! at once (and reach the supervisor with the next sync); a damaged item
//! opens a repair follow-up. Visitors of the day add up across posts.

use crate::core::store::Store;
use crate::nav::route::Route;
use crate::platform::clock::time_of_day;
use crate::show_flat::feedback::FlatFeedback;
use crate::show_flat::view::{FlatDayView, FlatRow};
use crate::show_flat::words::Words;
use crate::ui::flat_review::FlatReview;
use crate::ui::switcher::{Choice, Switcher};
use crate::words::i18n::{self, Msg};
use leptos::prelude::*;
use shiftbook_model::DocumentId;
use shiftbook_model::show_flat::{Condition, CountSession, FlatItems, ItemCount};

/// The count screen of `flat` on `date`.
#[component]
pub fn ShowFlatPanel(flat: String, date: String) -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    // The site's other flats, the same day: the navigation opens the
    // first one.
    let choices = {
        let (flat, date) = (flat.clone(), date.clone());
        store.derived(move |s| {
            let lang = lang.get();
            s.flats()
                .into_iter()
                .map(|f| Choice {
                    current: f.flat_id == flat,
                    label: f.name.get(lang).to_owned(),
                    count: 0,
                    route: Route::Flat(f.flat_id.clone(), date.clone()),
                    id: f.flat_id,
                })
                .collect::<Vec<_>>()
        })
    };
    let Some(items) = store.flats().into_iter().find(|f| f.flat_id == flat) else {
        return view! {
            <main class="centered"><div class="card notice error">{move || Words::NoFlats.text(lang.get())}</div></main>
        }
        .into_any();
    };
    let id = match store.open_flat_day(&flat, &date) {
        Ok(id) => id,
        Err(e) => {
            let e = e.text(lang.get_untracked());
            return view! { <main class="centered"><div class="card notice error">{e}</div></main> }
                .into_any();
        }
    };
    let session = RwSignal::new(CountSession::Opening);
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let items = StoredValue::new(items);
    let date = StoredValue::new(date);
    let day = store.derived(move |s| {
        let lang = lang.get();
        let at = session.get();
        items.with_value(|f| {
            s.read(&id, |d| FlatDayView::build(Some(d), f, at, lang))
                .unwrap_or_else(|| FlatDayView::build(None, f, at, lang))
                .map_err(|e| crate::words::error_text::model_error(lang, &e))
        })
    });
    let visitors_store = store.clone();
    let add_visitor = move |_| {
        let result = visitors_store.add_flat_visitors(&id, 1);
        error.set(result.err().map(|e| e.text(lang.get_untracked())));
    };
    let correcting = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let correct_store = store.clone();
    let correct = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match correct_store.correct_flat_visitors(&id, 1, &reason.get_untracked()) {
            Ok(()) => {
                correcting.set(false);
                reason.set(String::new());
                error.set(None);
            }
            Err(e) => error.set(Some(e.text(lang.get_untracked()))),
        }
    };
    view! {
        <main class="show-flat" data-testid="show-flat" data-doc=id.to_string()>
            <Switcher kind="flat" label=Words::ShowFlats lang=lang choices=choices/>
            {move || match day.get() {
                Err(e) => view! { <div class="card notice error">{e}</div> }.into_any(),
                Ok(v) => view! {
                    <section class="summary card">
                        <div class="title">
                            <h1>{v.title.clone()}</h1>
                            <span class="muted">{date.get_value()}</span>
                        </div>
                        <div class="sessions" role="group">
                            {[CountSession::Opening, CountSession::Closing].into_iter().map(|s| view! {
                                <button
                                    class="btn session"
                                    data-session=s.as_str()
                                    aria-pressed=move || (session.get() == s).to_string()
                                    on:click=move |_| session.set(s)
                                >
                                    {move || i18n::count_session(lang.get(), s)}
                                </button>
                            }).collect_view()}
                        </div>
                        <span class="stat" data-testid="flat-progress"><b>{v.counted}</b> " / " {v.total}</span>
                        <span class="stat visitors">
                            {move || Words::Visitors.text(lang.get())} " " <b data-testid="visitors">{v.visitors}</b>
                            <button class="btn secondary small" data-action="add-visitor" on:click=add_visitor.clone()>
                                {move || Words::AddVisitor.text(lang.get())}
                            </button>
                            {(v.visitors > 0).then(|| view! {
                                <button class="btn ghost-dark small" data-action="correct-visitor" on:click=move |_| correcting.update(|c| *c = !*c)>
                                    {move || Words::CorrectVisitor.text(lang.get())}
                                </button>
                            })}
                        </span>
                        {let correct = correct.clone(); move || correcting.get().then(|| view! {
                            <form class="correction" on:submit=correct.clone()>
                                <input name="correction-reason" autocomplete="off"
                                    placeholder=move || Words::CorrectionReason.text(lang.get())
                                    prop:value=move || reason.get()
                                    on:input=move |ev| reason.set(event_target_value(&ev))/>
                                <button class="btn primary small" type="submit" data-action="confirm-correction">
                                    {move || Msg::Confirm.text(lang.get())}
                                </button>
                            </form>
                        })}
                    </section>
                    <section class=if v.discrepancies.is_empty() { "card discrepancies none" } else { "card discrepancies" } data-testid="discrepancies">
                        <h2>{move || Words::Discrepancies.text(lang.get())}</h2>
                        {if v.discrepancies.is_empty() {
                            view! { <p class="muted">{move || Words::NoDiscrepancies.text(lang.get())}</p> }.into_any()
                        } else {
                            view! { <ul>{v.discrepancies.iter().map(|d| view! { <li data-testid="discrepancy">{d.clone()}</li> }).collect_view()}</ul> }.into_any()
                        }}
                    </section>
                    {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                    <FlatReview id=id reviews=v.reviews changed_after=v.changed_after_review/>
                    {v.rooms.into_iter().map(|room| {
                        let room_id = room.id.clone();
                        let store = expect_context::<Store>();
                        view! {
                            <section class="flat-room" data-room=room.id.clone()>
                                <h2 class="area">
                                    {room.name.clone()}
                                    {(room.uncounted > 0).then(|| view! {
                                        <button class="btn secondary small" data-action="room-as-expected" on:click=move |_| {
                                            let r = items.with_value(|f| store.flat_room_as_expected(&id, f, session.get_untracked(), &room_id));
                                            error.set(r.err().map(|e| e.text(lang.get_untracked())));
                                        }>
                                            {move || Words::AllAsExpected.text(lang.get())}
                                        </button>
                                    })}
                                </h2>
                                {room.rows.into_iter().map(|row| view! { <FlatItemRow id=id row=row items=items date=date session=session error=error/> }).collect_view()}
                            </section>
                        }
                    }).collect_view()}
                    <FlatFeedback id=id entries=v.feedback/>
                }.into_any(),
            }}
        </main>
    }
    .into_any()
}

fn state_key(count: &ItemCount) -> &'static str {
    match count {
        ItemCount::Uncounted => "uncounted",
        ItemCount::Counted(_) => "counted",
        ItemCount::Disputed(_) => "disputed",
    }
}

/// One item: expected, − quantity +, and the four conditions.
#[component]
fn FlatItemRow(
    id: DocumentId,
    row: FlatRow,
    items: StoredValue<FlatItems>,
    date: StoredValue<String>,
    session: RwSignal<CountSession>,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let (quantity, condition) = match &row.count {
        ItemCount::Counted(c) => (c.quantity, Some(c.condition)),
        _ => (row.expected, None),
    };
    let item = StoredValue::new(row.item.clone());
    let count = move |q: u32, c: Condition| {
        let result = items.with_value(|f| {
            store.count_flat_item(
                &id,
                f,
                &date.get_value(),
                session.get_untracked(),
                &item.get_value(),
                q,
                c,
            )
        });
        error.set(result.err().map(|e| e.text(lang.get_untracked())));
    };
    let (minus, plus, pick) = (count.clone(), count.clone(), count);
    let current = condition.unwrap_or(Condition::InPlace);
    let disputed = match &row.count {
        ItemCount::Disputed(counts) => Some(
            counts
                .iter()
                .map(|c| {
                    format!(
                        "{} · {} · {} {} · {}",
                        c.by,
                        c.device,
                        c.quantity,
                        i18n::condition(lang.get_untracked(), c.condition),
                        time_of_day(c.at_ms)
                    )
                })
                .collect::<Vec<_>>(),
        ),
        _ => None,
    };
    view! {
        <article
            class="flat-item card"
            class:discrepancy=row.discrepancy
            data-flat-item=row.item.clone()
            data-state=state_key(&row.count)
        >
            <div class="flat-item-text">
                <h3>{row.name.clone()}</h3>
                <p class="muted">{move || Words::Expected.text(lang.get())} " " {row.expected} {(!row.location.is_empty()).then(|| format!(" · {}", row.location))}</p>
                {disputed.map(|lines| view! {
                    <div class="conflict" data-testid="count-disputed">
                        <strong>{move || Words::Recount.text(lang.get())}</strong>
                        <ul>{lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
                    </div>
                })}
            </div>
            <div class="stepper" role="group">
                <button class="btn digit" data-action="less" on:click=move |_| minus(quantity.saturating_sub(1), current)>"−"</button>
                <span class="quantity" data-testid="quantity">{quantity}</span>
                <button class="btn digit" data-action="more" on:click=move |_| plus(quantity.saturating_add(1), current)>"+"</button>
            </div>
            <div class="conditions" role="group">
                {Condition::ALL.into_iter().map(|c| {
                    let pick = pick.clone();
                    view! {
                        <button
                            class=format!("btn condition {}", c.as_str())
                            data-condition=c.as_str()
                            aria-pressed=(condition == Some(c)).to_string()
                            on:click=move |_| pick(quantity, c)
                        >
                            {move || i18n::condition(lang.get(), c)}
                        </button>
                    }
                }).collect_view()}
            </div>
            // Photos of what is wrong, taken on a damaged or missing item
            // and shown in both counts of the day (the repair follow-up
            // shows them as "before").
            <crate::ui::record_photos::RecordPhotos
                id=id
                record=row.item.clone()
                take=matches!(condition, Some(Condition::Damaged | Condition::Missing))
            />
        </article>
    }
}
