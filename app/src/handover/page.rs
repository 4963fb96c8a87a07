//! A hand-over book's day (`#handover/<book>/<date>`, 交接班; the show
//! flat's 《样板房交接班记录表》, the lobby's record, the 08:00 / 18:00
//! exchange between customer service and the control room): alerts at the
//! top; the day's hand-overs, newest first — the outgoing person's summary
//! and the pending items open at writing, the incoming side's equipment
//! check (✓ / ×, × with a note), refusal with a reason or take-over,
//! notes, both signatures and what came after them; the book's pending
//! items carried forward from earlier shifts and days, each marked done
//! with what was done or given a note; the form to write a hand-over; the
//! leader's review of the day. On the outgoing person's tablet the
//! incoming person co-signs their actions with their own PIN.

use crate::core::session::CoSigned;
use crate::core::store::Store;
use crate::handover::alerts::book_alerts;
use crate::handover::view::{
    Decision, EquipmentLine, PendingNow, PendingRow, TakeOverForm, WriteForm, alert_line,
    unchecked_text,
};
use crate::handover::words::Words;
use crate::nav::route::Route;
use crate::platform::clock::time_of_day;
use crate::ui::co_sign::CoSign;
use crate::ui::flat_review::DayReview;
use crate::ui::switcher::{Choice, Switcher};
use crate::words::i18n::{self, Msg};
use leptos::prelude::*;
use shiftbook_model::DocumentId;
use shiftbook_model::checklist::Status;
use shiftbook_model::followup::Who;
use shiftbook_model::handover::{AlertKind, Book, Capacity, EquipmentCheck};

/// "name · HH:MM · device".
fn who(w: &Who) -> String {
    format!("{} · {} · {}", w.person, time_of_day(w.at_ms), w.device)
}

/// The screen of `book` on `date`.
#[component]
pub fn HandoverPanel(book: String, date: String) -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let Some(book) = store.handover_book(&book) else {
        return view! {
            <main class="centered"><div class="card notice error">{move || Words::HoUnknownBook.text(lang.get())}</div></main>
        }
        .into_any();
    };
    let day_id = match store.open_handover_day(&book.id, &date) {
        Ok(id) => id,
        Err(e) => {
            let e = e.text(lang.get_untracked());
            return view! { <main class="centered"><div class="card notice error">{e}</div></main> }
                .into_any();
        }
    };
    // The clock moves "not taken over in time": tick every minute.
    let minute = crate::platform::ticker::ticker(60);
    // Ask for the index and the boards it names, as they arrive.
    let asker = store.clone();
    let (want_book, want_date) = (vec![book.id.clone()], vec![date.clone()]);
    let rev = store.signals.rev;
    Effect::new(move |_| {
        rev.track();
        asker.want_handover_docs(&want_book, &want_date);
    });
    let range = crate::platform::clock::day_range_ms(&date);
    let title = book.title.clone();
    let book = StoredValue::new(book);
    let date = StoredValue::new(date);
    let day = store.derived(move |s| {
        minute.track();
        let now = crate::platform::clock::now_ms();
        // The site's current list: a supervisor may change it meanwhile.
        let b = book.with_value(|b| s.handover_book(&b.id).unwrap_or_else(|| b.clone()));
        s.handover_day(&b, &date.get_value(), now, range)
            .map_err(|e| e.text(lang.get()))
    });
    let writing = RwSignal::new(false);
    let ids = move || {
        day.with(|d| {
            d.as_ref()
                .map(|v| v.handovers.iter().map(|c| c.id.clone()).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    };
    let sign_day = {
        let store = store.clone();
        Callback::new(move |()| {
            store
                .sign_handover_day(&day_id)
                .map_err(|e| e.text(lang.get_untracked()))
        })
    };
    let desktop = store.is_desktop();
    // The other books of the person's posts, the same day: the navigation
    // opens the first one.
    let alerts = book_alerts(&store);
    let books = store.derived(|s| s.handover_books());
    let choices = Signal::derive(move || {
        let (shown, day) = (book.with_value(|b| b.id.clone()), date.get_value());
        let lang = lang.get();
        books
            .get()
            .into_iter()
            .map(|b| Choice {
                count: alerts.with(|a| a.iter().filter(|x| x.book == b.id).count()),
                current: b.id == shown,
                label: b.title.get(lang).to_owned(),
                route: Route::Handover(b.id.clone(), day.clone()),
                id: b.id,
            })
            .collect::<Vec<_>>()
    });
    view! {
        <main class="handover" data-testid="handover" data-book=book.with_value(|b| b.id.clone()) data-doc=day_id.to_string()>
            <Switcher kind="book" label=Words::NavBooks lang=lang choices=choices/>
            <section class="summary card">
                <div class="title">
                    <h1>{move || title.get(lang.get()).to_owned()}</h1>
                    <span class="muted">{date.get_value()}</span>
                </div>
                {move || day.with(|d| d.as_ref().ok().map(|v| view! {
                    <div class="stats">
                        <span class="stat">{move || Words::HandoverTitle.text(lang.get())} " " <b>{v.handovers.len()}</b></span>
                        <span class="stat" class:bad=!v.open_items.is_empty() data-testid="open-pending">
                            {move || Words::HoPending.text(lang.get())} " " <b>{v.open_items.len()}</b>
                        </span>
                    </div>
                }))}
                {(!desktop).then(|| view! {
                    <button class="btn primary" data-action="open-write" on:click=move |_| writing.update(|w| *w = !*w)>
                        "✎ " {move || Words::HoWrite.text(lang.get())}
                    </button>
                })}
            </section>
            {move || day.with(|d| match d {
                Err(e) => Some(view! { <p class="card notice error">{e.clone()}</p> }.into_any()),
                Ok(v) if !v.alerts.is_empty() => {
                    let lines: Vec<(String, &'static str)> = v.alerts.iter().map(|a| (
                        alert_line(lang.get(), a),
                        if matches!(a.kind, AlertKind::Refused(_)) { "refused" } else { "late" },
                    )).collect();
                    Some(view! {
                        <section class="card ho-alerts" data-testid="handover-alerts" role="alert">
                            <h2>{move || Msg::HoAlerts.text(lang.get())}</h2>
                            {lines.into_iter().map(|(l, kind)| view! { <p data-testid="handover-alert" data-kind=kind>"⚠ " {l}</p> }).collect_view()}
                        </section>
                    }.into_any())
                }
                Ok(_) => None,
            })}
            {move || writing.get().then(|| view! { <WriteHandover book=book date=date writing=writing day=day/> })}
            <section class="ho-list">
                {move || ids().is_empty().then(|| view! {
                    <p class="muted card pad" data-testid="no-handovers">{move || Words::HoNoHandovers.text(lang.get())}</p>
                })}
                <For each=ids key=|id| id.clone() let:id>
                    <HandoverCardView id=id book=book date=date day=day/>
                </For>
            </section>
            <PendingSection book=book day=day/>
            {move || day.with(|d| d.as_ref().ok().map(|v| view! {
                <DayReview reviews=v.reviews.clone() changed_after=v.changed_after_review label=Words::HoSignDay sign=sign_day testid="handover-review"/>
            }))}
        </main>
    }
    .into_any()
}

type DayMemo = Memo<Result<crate::handover::view::BookDayView, String>>;

/// The outgoing person's form: shift, summary, new pending items; the
/// book's open items are listed automatically.
#[component]
fn WriteHandover(
    book: StoredValue<Book>,
    date: StoredValue<String>,
    writing: RwSignal<bool>,
    day: DayMemo,
) -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let now = crate::platform::clock::local(crate::platform::clock::now_ms())
        .map_or(shiftbook_model::schedule::MinuteOfDay::MIDNIGHT, |t| {
            t.minute
        });
    let form = RwSignal::new(book.with_value(|b| WriteForm::new(b, now)));
    let new_item = RwSignal::new(String::new());
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let open_count = move || day.with(|d| d.as_ref().map_or(0, |v| v.open_items.len()));
    let add = move || {
        form.update(|f| f.add_item(&new_item.get_untracked()));
        new_item.set(String::new());
    };
    let submit = move |_| {
        // A text typed but not added yet is part of the hand-over.
        add();
        let result =
            book.with_value(|b| store.write_handover(b, &date.get_value(), &form.get_untracked()));
        match result {
            Ok(()) => {
                error.set(None);
                writing.set(false);
            }
            Err(e) => error.set(Some(e.text(lang.get_untracked()))),
        }
    };
    let shifts = book.with_value(|b| b.shifts.clone());
    view! {
        <section class="card ho-write" data-testid="write-handover">
            <h2>{move || Words::HoWrite.text(lang.get())}</h2>
            <div class="ho-shifts" role="group">
                <span class="label">{move || Words::HoShift.text(lang.get())}</span>
                {shifts.into_iter().map(|s| {
                    let id = s.id.clone();
                    let pick = s.id.clone();
                    view! {
                        <button class="btn session" data-shift=s.id.clone()
                            aria-pressed=move || form.with(|f| f.shift == id).to_string()
                            on:click=move |_| form.update(|f| f.shift = pick.clone())>
                            {move || s.label.get(lang.get()).to_owned()}
                            <small>" " {move || format!("{} → {}", i18n::post(lang.get(), &s.from_post), i18n::post(lang.get(), &s.to_post))}</small>
                        </button>
                    }
                }).collect_view()}
            </div>
            <textarea name="handover-summary" rows="3"
                placeholder=move || Words::HoSummary.text(lang.get())
                prop:value=move || form.with(|f| f.summary.clone())
                on:input=move |ev| form.update(|f| f.summary = event_target_value(&ev))></textarea>
            <div class="row">
                <input class="note" name="new-pending" autocomplete="off"
                    placeholder=move || Words::HoNewPending.text(lang.get())
                    prop:value=move || new_item.get()
                    on:input=move |ev| new_item.set(event_target_value(&ev))/>
                <button class="btn secondary" data-action="add-pending" on:click=move |_| add()>
                    "+ " {move || Words::HoAdd.text(lang.get())}
                </button>
            </div>
            <ul class="ho-new-items">
                {move || form.with(|f| f.new_items.iter().enumerate().map(|(n, t)| view! {
                    <li data-testid="new-pending">
                        <span>{t.clone()}</span>
                        <button class="btn ghost-dark small" aria-label="remove" on:click=move |_| form.update(|f| { f.new_items.remove(n); })>"✕"</button>
                    </li>
                }).collect_view())}
            </ul>
            <p class="muted">{move || i18n::pending_listed(lang.get(), open_count())}</p>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <div class="form-actions">
                <button class="btn primary" data-action="write-handover" on:click=submit>
                    {move || Words::HoSubmit.text(lang.get())}
                </button>
                <button class="btn" on:click=move |_| writing.set(false)>{move || Msg::Cancel.text(lang.get())}</button>
            </div>
        </section>
    }
}

/// An action the other party confirms with their PIN on this tablet.
#[derive(Debug, Clone, PartialEq, Eq)]
enum CoAction {
    /// Refuse or take over, with these equipment checks.
    TakeOver(Vec<EquipmentCheck>, Decision),
    /// Sign in a capacity.
    Sign(Capacity),
}

fn status_mark(s: Status) -> &'static str {
    match s {
        Status::Normal => "✓",
        Status::Abnormal => "×",
    }
}

/// One hand-over, keyed by id so its forms survive other changes.
#[component]
fn HandoverCardView(
    id: String,
    book: StoredValue<Book>,
    date: StoredValue<String>,
    day: DayMemo,
) -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let viewer = store
        .signals
        .person
        .with_untracked(|p| p.as_ref().map(|p| p.id.clone()).unwrap_or_default());
    let desktop = store.is_desktop();
    let card = {
        let id = id.clone();
        Memo::new(move |_| day.with(|d| d.as_ref().ok().and_then(|v| v.card(&id).cloned())))
    };
    let id = StoredValue::new(id);
    let form = RwSignal::new(TakeOverForm::default());
    let reason = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let co_action: RwSignal<Option<CoAction>> = RwSignal::new(None);
    let confirming: RwSignal<Option<Capacity>> = RwSignal::new(None);
    let book_id = book.with_value(|b| b.id.clone());
    let book_id = StoredValue::new(book_id);

    // Run an action as `co` (co-signed) or as the signed-in person.
    let run = {
        let store = store.clone();
        move |action: CoAction, co: Option<CoSigned>| -> Result<(), String> {
            let (b, d, h) = (book_id.get_value(), date.get_value(), id.get_value());
            let result = match &action {
                CoAction::TakeOver(checks, decision) => {
                    store.take_over(&b, &d, &h, checks, decision, co)
                }
                CoAction::Sign(capacity) => store.sign_handover(&b, &d, &h, *capacity, co),
            };
            if result.is_ok() {
                if matches!(action, CoAction::TakeOver(..)) {
                    form.set(TakeOverForm::default());
                    reason.set(String::new());
                }
                error.set(None);
            }
            result.map_err(|e| e.text(lang.get_untracked()))
        }
    };
    let start = {
        let run = run.clone();
        let store = store.clone();
        move |action: CoAction, capacity: Capacity| {
            let direct = card.with_untracked(|c| {
                c.as_ref()
                    .is_some_and(|c| c.acts_directly(capacity, &viewer))
            });
            if direct {
                error.set(run(action, None).err());
                return;
            }
            // Refused input is said before anyone types a PIN.
            if let CoAction::TakeOver(checks, decision) = &action
                && let Err(e) = store.check_take_over(
                    &book_id.get_value(),
                    &date.get_value(),
                    &id.get_value(),
                    checks,
                    decision,
                )
            {
                error.set(Some(e.text(lang.get_untracked())));
                return;
            }
            error.set(None);
            co_action.set(Some(action));
        }
    };
    let take_over = {
        let start = start.clone();
        move |refuse: bool| {
            let Some(c) = card.get_untracked() else {
                return;
            };
            let f = form.get_untracked();
            let text = reason.get_untracked();
            if !refuse {
                let missing = f.unchecked(&c);
                if !missing.is_empty() {
                    error.set(Some(unchecked_text(lang.get_untracked(), &missing)));
                    return;
                }
            }
            let decision = if refuse {
                Decision::Refuse(text)
            } else {
                Decision::Accept(text)
            };
            start(
                CoAction::TakeOver(f.checks(&c), decision),
                Capacity::Incoming,
            );
        }
    };
    let on_verified = {
        let run = run.clone();
        Callback::new(move |co: CoSigned| match co_action.get_untracked() {
            Some(action) => run(action, Some(co)),
            None => Ok(()),
        })
    };
    let on_close = Callback::new(move |()| co_action.set(None));
    let add_note = {
        let store = store.clone();
        move |_| {
            let r = store.handover_note(
                &book_id.get_value(),
                &date.get_value(),
                &id.get_value(),
                &note.get_untracked(),
            );
            match r {
                Ok(()) => {
                    note.set(String::new());
                    error.set(None);
                }
                Err(e) => error.set(Some(e.text(lang.get_untracked()))),
            }
        }
    };
    move || {
        let Some(c) = card.get() else {
            return ().into_any();
        };
        let l = lang.get();
        let state = c.state;
        let refuse = take_over.clone();
        let accept = take_over.clone();
        let start = start.clone();
        let add_note = add_note.clone();
        let co_title = move |a: &CoAction| {
            let (side, what) = match a {
                CoAction::TakeOver(_, Decision::Refuse(_)) => (Words::HoIncoming, Words::HoRefuse),
                CoAction::TakeOver(_, Decision::Accept(_)) => (Words::HoIncoming, Words::HoAccept),
                CoAction::Sign(Capacity::Outgoing) => (Words::HoOutgoing, Words::HoSignOutgoing),
                CoAction::Sign(Capacity::Incoming) => (Words::HoIncoming, Words::HoSignIncoming),
            };
            format!(
                "{}{} · {}",
                side.text(lang.get_untracked()),
                Msg::Confirm.text(lang.get_untracked()),
                what.text(lang.get_untracked())
            )
        };
        let co_panel = {
            let c = c.clone();
            move || {
                co_action.get().map(|a| {
                let capacity = match a {
                    CoAction::Sign(cap) => cap,
                    CoAction::TakeOver(..) => Capacity::Incoming,
                };
                let (exclude, only) = c.co_signers(capacity);
                view! { <CoSign title=co_title(&a) exclude=exclude only=only on_verified=on_verified on_close=on_close/> }
            })
            }
        };
        view! {
            <article class=format!("ho-card card {}", i18n::handover_state_class(state))
                data-handover=c.id.clone() data-state=i18n::handover_state_class(state)>
                <header>
                    <h2>{c.shift.get(l).to_owned()}</h2>
                    <span class="muted">{format!("{} → {}", i18n::post(l, &c.from_post), i18n::post(l, &c.to_post))}</span>
                    <span class=format!("tag state {}", i18n::handover_state_class(state)) data-testid="handover-state">{i18n::handover_state(l, state)}</span>
                </header>
                <p class="who">{Words::HoOutgoing.text(l)} ":" {who(&c.outgoing)}</p>
                <p class="ho-summary" data-testid="handover-summary">{c.summary.clone()}</p>
                {(!c.pending.is_empty()).then(|| view! {
                    <div class="ho-listed">
                        <h3>{Words::HoListed.text(l)}</h3>
                        <ul>
                            {c.pending.iter().map(|(p, now)| {
                                let (key, text) = match now {
                                    PendingNow::Open => ("open", String::new()),
                                    PendingNow::Done(w, action) => ("done", format!("✓ {} · {action}", who(w))),
                                    PendingNow::NotHere => ("unknown", Words::HoNotHere.text(l).to_owned()),
                                };
                                view! { <li data-pending=p.id.clone() data-now=key><span>{p.text.clone()}</span> " " <span class="muted">{text}</span></li> }
                            }).collect_view()}
                        </ul>
                    </div>
                })}
                <EquipmentList
                    lines=c.equipment.clone()
                    form=form
                    editable=c.can_take_over() && !desktop
                    photos=(store.handover_day_id(&book_id.get_value(), &date.get_value()), id.get_value())
                />
                <ul class="ho-events">
                    {c.refusals.iter().map(|(r, answered)| view! {
                        <li class="refusal" data-testid="refusal" data-answered=answered.to_string()>
                            <b>{Msg::HoStateRefused.text(l)}</b> " " {who(&r.by)} " · " {r.text.clone()}
                            {answered.then(|| view! { <span class="tag">{Words::HoAnswered.text(l)}</span> })}
                        </li>
                    }).collect_view()}
                    {c.notes.iter().map(|n| view! {
                        <li class="note-event" data-testid="handover-note"><b>{Words::HoNoteLabel.text(l)}</b> " " {who(&n.by)} " · " {n.text.clone()}</li>
                    }).collect_view()}
                    {c.acceptances.iter().map(|a| view! {
                        <li class="accepted" data-testid="acceptance"><b>"✓ " {Words::HoTakenOver.text(l)}</b> " " {who(&a.by)} {(!a.text.is_empty()).then(|| format!(" · {}", a.text))}</li>
                    }).collect_view()}
                </ul>
                <div class="ho-signatures">
                    {[Capacity::Outgoing, Capacity::Incoming].into_iter().map(|cap| {
                        let label = if cap == Capacity::Outgoing { Words::HoOutgoing } else { Words::HoIncoming };
                        let signed = c.signed_as(cap).into_iter().cloned().collect::<Vec<_>>();
                        view! {
                            <p class="ho-signature" data-capacity=cap.meaning().as_str()>
                                <b>{label.text(l)} ":"</b> " "
                                {if signed.is_empty() {
                                    view! { <span class="muted">{Msg::NotSignedYet.text(l)}</span> }.into_any()
                                } else {
                                    signed.iter().map(|s| view! {
                                        <span class="signature" data-testid="signature">"✍ " {format!("{} · {} · {}", s.person, time_of_day(s.at_ms), s.device)}</span>
                                    }).collect_view().into_any()
                                }}
                            </p>
                        }
                    }).collect_view()}
                    {c.signatures.iter().filter(|(_, after)| !after.is_empty()).map(|(s, after)| view! {
                        <div class="after-signing" data-testid="after-signing">
                            <strong>{Msg::AddedAfterSigning.text(l)} " · " {s.person.clone()} " (" {after.len()} ")"</strong>
                            <ul>{after.iter().map(|e| view! { <li>{who(&e.by)} " · " {e.kind.as_str()} {(!e.text.is_empty()).then(|| format!(" · {}", e.text))}</li> }).collect_view()}</ul>
                        </div>
                    }).collect_view()}
                </div>
                {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                {(c.can_take_over() && !desktop).then(|| view! {
                    <div class="ho-take-over">
                        <textarea name="take-over-reason" rows="2"
                            placeholder=move || Words::HoReasonPlaceholder.text(lang.get())
                            prop:value=move || reason.get()
                            on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                        <div class="form-actions">
                            <button class="btn refuse" data-action="refuse" on:click=move |_| refuse(true)>{Words::HoRefuse.text(l)}</button>
                            <button class="btn primary" data-action="accept" on:click=move |_| accept(false)>{Words::HoAccept.text(l)}</button>
                        </div>
                    </div>
                })}
                {(!desktop).then(|| {
                    let caps: Vec<Capacity> = [Capacity::Outgoing, Capacity::Incoming].into_iter().filter(|cap| c.can_sign(*cap)).collect();
                    (!caps.is_empty()).then(|| view! {
                        <div class="form-actions ho-sign">
                            {caps.into_iter().map(|cap| {
                                let start = start.clone();
                                let (label, action) = if cap == Capacity::Outgoing { (Words::HoSignOutgoing, "sign-outgoing") } else { (Words::HoSignIncoming, "sign-incoming") };
                                view! {
                                    {move || if confirming.get() == Some(cap) {
                                        let start = start.clone();
                                        view! {
                                            <button class="btn primary" data-action=format!("confirm-{action}") on:click=move |_| {
                                                confirming.set(None);
                                                start(CoAction::Sign(cap), cap);
                                            }>"✍ " {Words::HoConfirmSign.text(lang.get())} " · " {label.text(lang.get())}</button>
                                        }.into_any()
                                    } else {
                                        view! {
                                            <button class="btn secondary" data-action=action on:click=move |_| confirming.set(Some(cap))>
                                                "✍ " {label.text(lang.get())}
                                            </button>
                                        }.into_any()
                                    }}
                                }
                            }).collect_view()}
                        </div>
                    })
                })}
                {(!desktop).then(|| view! {
                    <div class="row ho-note">
                        <input class="note" name="handover-note" autocomplete="off"
                            placeholder=move || Words::HoNotePlaceholder.text(lang.get())
                            prop:value=move || note.get()
                            on:input=move |ev| note.set(event_target_value(&ev))/>
                        <button class="btn secondary" data-action="handover-note" on:click=add_note>{Words::HoAddNote.text(l)}</button>
                    </div>
                })}
                {co_panel}
            </article>
        }
        .into_any()
    }
}

/// The equipment list: results, and ✓ / × (× with a note) while the
/// incoming side may still take over.
#[component]
fn EquipmentList(
    lines: Vec<EquipmentLine>,
    form: RwSignal<TakeOverForm>,
    editable: bool,
    /// The day's document and the hand-over's id: a × takes photos
    /// (`<hand-over>/<item>`).
    photos: (DocumentId, String),
) -> impl IntoView {
    let lang = expect_context::<Store>().signals.lang;
    let (doc, handover) = photos;
    view! {
        <div class="ho-equipment" data-testid="equipment">
            <h3>{move || Words::HoEquipment.text(lang.get())}</h3>
            {lines.into_iter().map(|line| {
                let item = StoredValue::new(line.item.clone());
                let checked_by = line.checked.as_ref().map(|(_, _, w)| who(w));
                let shown = {
                    let line = line.clone();
                    move || form.with(|f| f.shown(&line))
                };
                let status = {
                    let shown = shown.clone();
                    move || shown().map(|(s, _)| s)
                };
                let state = {
                    let status = status.clone();
                    move || status().map_or("unchecked", |s| s.as_str())
                };
                let label = line.label.clone();
                view! {
                    <div class="ho-eq" data-equipment=line.item.clone() data-state=state>
                        <span class="label">{move || label.get(lang.get()).to_owned()}</span>
                        {if editable {
                            let (s1, s2) = (status.clone(), status.clone());
                            view! {
                                <span class="choices">
                                    <button class="btn choice normal" data-action="eq-normal"
                                        aria-pressed=move || (s1() == Some(Status::Normal)).to_string()
                                        on:click=move |_| form.update(|f| f.mark(&item.get_value(), Status::Normal))>"✓"</button>
                                    <button class="btn choice abnormal" data-action="eq-abnormal"
                                        aria-pressed=move || (s2() == Some(Status::Abnormal)).to_string()
                                        on:click=move |_| form.update(|f| f.mark(&item.get_value(), Status::Abnormal))>"×"</button>
                                </span>
                            }.into_any()
                        } else {
                            let (s1, s2) = (status.clone(), status.clone());
                            view! { <span class="status" class:abnormal=move || s1() == Some(Status::Abnormal)>{move || s2().map_or("—", status_mark)}</span> }.into_any()
                        }}
                        {
                            // Re-created only when the mark flips, so typing keeps focus.
                            let (s3, n1, n2) = (status.clone(), shown.clone(), shown.clone());
                            let abnormal = Memo::new(move |_| editable && s3() == Some(Status::Abnormal));
                            let note = move || n1().map(|(_, n)| n).unwrap_or_default();
                            move || if abnormal.get() {
                                view! {
                                    <input class="note" name="equipment-note" autocomplete="off"
                                        placeholder=move || Msg::NoteRequired.text(lang.get())
                                        prop:value=n2().map(|(_, n)| n).unwrap_or_default()
                                        on:input=move |ev| form.update(|f| f.note(&item.get_value(), &event_target_value(&ev)))/>
                                }.into_any()
                            } else {
                                let note = note.clone();
                                view! { <span class="eq-note">{note}</span> }.into_any()
                            }
                        }
                        {checked_by.map(|w| view! { <span class="muted who">{w}</span> })}
                        {
                            // Photos of what is wrong: on an ×, re-created only when the mark flips.
                            let s4 = status.clone();
                            let abnormal = Memo::new(move |_| s4() == Some(Status::Abnormal));
                            let record = format!("{handover}/{}", line.item);
                            move || abnormal.get().then(|| view! {
                                <crate::ui::record_photos::RecordPhotos id=doc record=record.clone()/>
                            })
                        }
                    </div>
                }
            }).collect_view()}
        </div>
    }
}

/// The book's pending items: open ones (carried forward ones marked),
/// then those done that day; each takes notes, open ones "mark done".
#[component]
fn PendingSection(book: StoredValue<Book>, day: DayMemo) -> impl IntoView {
    let lang = expect_context::<Store>().signals.lang;
    let ids = move |done: bool| {
        day.with(|d| {
            d.as_ref()
                .map(|v| {
                    let list = if done { &v.done_items } else { &v.open_items };
                    list.iter().map(|i| i.id.clone()).collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    view! {
        <section class="card ho-pending" data-testid="pending-items">
            <h2>{move || Words::HoPending.text(lang.get())}</h2>
            {move || ids(false).is_empty().then(|| view! { <p class="muted" data-testid="no-pending">{move || Words::HoNoPending.text(lang.get())}</p> })}
            <For each=move || ids(false) key=|id| id.clone() let:id>
                <PendingRowView id=id book=book day=day/>
            </For>
            {move || (!ids(true).is_empty()).then(|| view! { <h3>{move || Words::HoDoneToday.text(lang.get())}</h3> })}
            <For each=move || ids(true) key=|id| id.clone() let:id>
                <PendingRowView id=id book=book day=day/>
            </For>
        </section>
    }
}

/// One pending item, keyed by id so what is typed survives other changes.
#[component]
fn PendingRowView(id: String, book: StoredValue<Book>, day: DayMemo) -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let row = {
        let id = id.clone();
        Memo::new(move |_| day.with(|d| d.as_ref().ok().and_then(|v| v.item(&id).cloned())))
    };
    let note = RwSignal::new(String::new());
    let action = RwSignal::new(String::new());
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let run = move |done: bool| {
        let Some(r) = row.get_untracked() else { return };
        let b = book.with_value(|b| b.id.clone());
        let result = if done {
            store.pending_done(&b, &r.month, &r.id, &action.get_untracked())
        } else {
            store.pending_note(&b, &r.month, &r.id, &note.get_untracked())
        };
        match result {
            Ok(()) => {
                note.set(String::new());
                action.set(String::new());
                error.set(None);
            }
            Err(e) => error.set(Some(e.text(lang.get_untracked()))),
        }
    };
    move || {
        let Some(r): Option<PendingRow> = row.get() else {
            return ().into_any();
        };
        let l = lang.get();
        let open = r.done.is_none();
        let (run_note, run_done) = (run.clone(), run.clone());
        let raised = format!(
            "{} {} · {}",
            r.opened.date.clone().unwrap_or_default(),
            time_of_day(r.opened.by.at_ms),
            r.opened.by.person
        );
        view! {
            <article class="pending-item" class:done=!open data-pending-item=r.id.clone() data-status=if open { "open" } else { "done" }>
                <div class="pending-text">
                    <b>{r.text.clone()}</b>
                    {r.carried.then(|| view! { <span class="tag carried">{Words::HoCarried.text(l)}</span> })}
                    <span class="muted">" " {raised}</span>
                </div>
                {(!r.notes.is_empty()).then(|| view! {
                    <ul class="pending-notes">
                        {r.notes.iter().map(|n| view! { <li data-testid="pending-note">{who(&n.by)} " · " {n.text.clone()}</li> }).collect_view()}
                    </ul>
                })}
                {r.done.as_ref().map(|(w, a)| view! { <p class="closed-by" data-testid="pending-done">"✓ " {who(w)} " · " {a.clone()}</p> })}
                {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                <div class="row">
                    <input class="note" name="pending-note" autocomplete="off"
                        placeholder=move || Msg::AddNote.text(lang.get())
                        prop:value=move || note.get()
                        on:input=move |ev| note.set(event_target_value(&ev))/>
                    <button class="btn secondary" data-action="pending-note" on:click=move |_| run_note(false)>{Msg::AddNote.text(l)}</button>
                    {open.then(|| view! {
                        <input class="note" name="pending-action" autocomplete="off"
                            placeholder=move || Msg::WhatWasDone.text(lang.get())
                            prop:value=move || action.get()
                            on:input=move |ev| action.set(event_target_value(&ev))/>
                        <button class="btn primary" data-action="pending-done" on:click=move |_| run_done(true)>"✓ " {Words::HoMarkDone.text(l)}</button>
                    })}
                </div>
            </article>
        }
        .into_any()
    }
}
