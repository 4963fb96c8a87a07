//! The visitor log (`#visitors`, 《来人来访记录表》): who is inside now —
//! always at the top, across days, with time in and how long — then who
//! waits for a supervisor's approval (salespeople, people who cannot say
//! whom they visit), the new-visit form (category as big buttons, blocked
//! ones marked; the ID's type and last 4 characters only, with why; host,
//! unit, purpose, how approved, people, time in), and the picked day's
//! visits with filters and the leader's signature. "离开" logs the time
//! out in one tap; refusing (or turning away a visitor the resident
//! declined) needs a reason. On the desktop the same screen is a tab,
//! where the supervisor approves or refuses, with a search across days.

use crate::core::service_day::current_service_day;
use crate::core::store::Store;
use crate::ui::day_range::DayRange;
use crate::ui::found_table::found_table;
use crate::ui::sign_off::{SignButton, signature_lines};
use crate::visitors::view::{
    self, STATUSES, VisitForm, VisitRow, VisitorsView, approval_method, category, how_long,
    id_type, parse_category, parse_status, refusal_reason, status,
};
use crate::visitors::words::Words;
use crate::words::i18n::Msg;
use crate::words::i18n::Text;
use leptos::prelude::*;
use shiftbook_model::Lang;
use shiftbook_model::visitor_log::{Category, EventKind, IdType, VisitFilter, VisitStatus};

/// Which list of the screen a card is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    /// Inside now, across days.
    Inside,
    /// Waiting for a supervisor, across days.
    Waiting,
    /// The picked day.
    Day,
}

impl Section {
    fn rows(self, v: &VisitorsView) -> &[VisitRow] {
        match self {
            Section::Inside => &v.inside,
            Section::Waiting => &v.waiting,
            Section::Day => &v.day,
        }
    }
}

type ScreenMemo = Memo<Result<VisitorsView, String>>;

/// The ids of a section's visits, in order.
fn ids(screen: ScreenMemo, section: Section) -> Memo<Vec<String>> {
    Memo::new(move |_| {
        screen.with(|v| {
            v.as_ref()
                .map(|v| section.rows(v).iter().map(|r| r.id.clone()).collect())
                .unwrap_or_default()
        })
    })
}

/// The visitor screen.
#[component]
pub fn VisitorsPanel() -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let desktop = store.is_desktop();
    let today = current_service_day();
    let date = RwSignal::new(today.clone());
    let filter: RwSignal<VisitFilter> = RwSignal::new(VisitFilter::default());
    // Every minute: "how long" moves on, and the service day may change.
    let minute = crate::platform::ticker::ticker(60);
    let open_days = store.derived(move |s| {
        minute.track();
        s.visitor_days(&current_service_day())
    });
    let asker = store.clone();
    Effect::new(move |_| {
        let mut days = open_days.get();
        days.push(date.get());
        asker.want_visitor_days(&days);
        asker.reconcile_visitor_days(&days);
    });
    let person = store.signals.person;
    let role = Memo::new(move |_| person.with(|p| p.as_ref().map(|p| p.role)));
    let screen: ScreenMemo = store.derived(move |s| {
        minute.track();
        lang.track();
        role.track();
        let f = filter.get();
        s.visitors(&open_days.get(), &date.get(), &f)
            .map_err(|e| e.text(lang.get()))
    });
    // Cards keyed by visit id, each rendering from its own memo: news from
    // other tablets re-renders only the visits it changed, and a refusal
    // being typed survives it.
    let (inside, waiting, day) = (
        ids(screen, Section::Inside),
        ids(screen, Section::Waiting),
        ids(screen, Section::Day),
    );
    // A busy day's list opens with its first rows; the rest follow.
    let day_shown = crate::ui::progressive::progressive(day);
    let some_waiting = Memo::new(move |_| !waiting.with(Vec::is_empty));
    let loggers = Memo::new(move |_| {
        screen.with(|v| v.as_ref().map(|v| v.loggers.clone()).unwrap_or_default())
    });
    let signer = store.clone();
    let sign = Callback::new(move |()| {
        signer
            .sign_visitor_day(&date.get_untracked())
            .map_err(|e| e.text(lang.get_untracked()))
    });
    view! {
        <main class="visitors" data-testid="visitors">
            {move || screen.with(|v| v.as_ref().err().cloned()).map(|e| view! { <p class="card notice error">{e}</p> })}
            <section class="card inside-now" data-testid="inside-now">
                <h2>
                    {move || Words::InsideNow.text(lang.get())}
                    <b class="count" data-testid="people-inside">{move || screen.with(|v| v.as_ref().map(|v| v.people_inside).unwrap_or(0))}</b>
                </h2>
                {move || inside.with(Vec::is_empty).then(|| view! { <p class="muted">{move || Words::NobodyInside.text(lang.get())}</p> })}
                <For each=move || inside.get() key=|id| id.clone() let:id>
                    <VisitCard screen=screen section=Section::Inside id=id/>
                </For>
            </section>
            {move || some_waiting.get().then(|| view! {
                <section class="card waiting-approval" data-testid="waiting">
                    <h2>{move || Words::WaitingApproval.text(lang.get())}</h2>
                    <For each=move || waiting.get() key=|id| id.clone() let:id>
                        <VisitCard screen=screen section=Section::Waiting id=id/>
                    </For>
                </section>
            })}
            <NewVisit date=date today=today/>
            <section class="card day-visits" data-testid="visit-day">
                <div class="day-head">
                    <h2>{move || Words::VisitsOfDay.text(lang.get())}</h2>
                    <label class="date-pick">
                        <span>{move || Msg::Date.text(lang.get())}</span>
                        <input type="date" name="visit-date" prop:value=move || date.get() on:change=move |ev| {
                            let d = event_target_value(&ev);
                            if shiftbook_model::checklist::validate_date(&d).is_ok() {
                                date.set(d);
                            }
                        }/>
                    </label>
                    <span class="muted" data-testid="visit-count">
                        {move || {
                            let (shown, total) = screen.with(|v| v.as_ref().map(|v| (v.day.len(), v.day_total)).unwrap_or((0, 0)));
                            crate::words::i18n::shown_of(lang.get(), shown, total)
                        }}
                    </span>
                </div>
                <VisitFilters filter=filter loggers=loggers/>
                {move || day.with(Vec::is_empty).then(|| view! { <p class="muted">{move || Words::NoVisits.text(lang.get())}</p> })}
                <For each=move || day_shown.get() key=|id| id.clone() let:id>
                    <VisitCard screen=screen section=Section::Day id=id/>
                </For>
                <div class="sign-off" data-testid="visit-review">
                    {move || signature_lines(screen.with(|v| v.as_ref().map(|v| v.signatures.clone()).unwrap_or_default()), lang)}
                    {move || screen.with(|v| v.as_ref().ok().and_then(|v| v.review.clone())).filter(|r| r.visits > 0).map(|r| view! {
                        <p class="after-signing" data-testid="after-signing" role="alert">
                            {move || view::visits_after_signing(lang.get(), r.visits)}
                        </p>
                    })}
                    {move || view::may_sign(role.get()).then(|| view! { <SignButton label=Words::SignVisitorDay sign=sign/> })}
                </div>
            </section>
            {desktop.then(|| view! { <VisitorSearch/> })}
        </main>
    }
}

/// One visit of `section`, from its own memo: who, whom, when, how; its
/// decisions, exits and notes; the buttons the signed-in person may use.
#[component]
fn VisitCard(screen: ScreenMemo, section: Section, id: String) -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let refusing = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let noting = RwSignal::new(false);
    let note = RwSignal::new(String::new());
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    // With the language: the card's words are written once per build of
    // the card, not watched one by one (256 cards, a dozen words each).
    let row = Memo::new(move |_| {
        let lang = lang.get();
        screen.with(|v| {
            v.as_ref()
                .ok()
                .and_then(|v| section.rows(v).iter().find(|r| r.id == id).cloned())
                .map(|r| (lang, r))
        })
    });
    // What a button acts on: (service day, visit id).
    let target =
        move || row.with_untracked(|r| r.as_ref().map(|(_, r)| (r.date.clone(), r.id.clone())));
    let leaver = store.clone();
    let leave = Callback::new(move |()| {
        if let Some((d, v)) = target() {
            error.set(
                leaver
                    .visitor_left(&d, &v)
                    .err()
                    .map(|e| e.text(lang.get_untracked())),
            );
        }
    });
    let approver = store.clone();
    let approve = Callback::new(move |()| {
        if let Some((d, v)) = target() {
            error.set(
                approver
                    .approve_visit(&d, &v)
                    .err()
                    .map(|e| e.text(lang.get_untracked())),
            );
        }
    });
    let refuser = store.clone();
    let refuse = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some((d, v)) = target() else {
            return;
        };
        let result = refusal_reason(&reason.get_untracked())
            .map_err(|p| p.text(lang.get_untracked()).to_owned())
            .and_then(|r| {
                refuser
                    .refuse_visit(&d, &v, &r)
                    .map_err(|e| e.text(lang.get_untracked()))
            });
        match result {
            Ok(()) => refusing.set(false),
            Err(e) => error.set(Some(e)),
        }
    };
    let noter = store.clone();
    let add_note = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some((d, v)) = target() else {
            return;
        };
        match noter
            .note_visit(&d, &v, &note.get_untracked())
            .map_err(|e| e.text(lang.get_untracked()))
        {
            Ok(()) => {
                note.set(String::new());
                noting.set(false);
                error.set(None);
            }
            Err(e) => error.set(Some(e)),
        }
    };
    let compact = section != Section::Day;
    view! {
        <div class="visit-wrap">
            {move || row.get().map(|(lang, r)| visit_view(lang, r, compact, refusing, noting, leave, approve))}
            {move || refusing.get().then(|| {
                let refuse = refuse.clone();
                view! {
                    <form class="refuse-form" on:submit=refuse>
                        <input name="refuse-reason" autocomplete="off"
                            placeholder=move || Words::RefuseReason.text(lang.get())
                            prop:value=move || reason.get()
                            on:input=move |ev| reason.set(event_target_value(&ev))/>
                        <button class="btn primary" type="submit" data-action="confirm-refuse">{move || Msg::Confirm.text(lang.get())}</button>
                    </form>
                }
            })}
            {move || noting.get().then(|| {
                let add_note = add_note.clone();
                view! {
                    <form class="refuse-form" on:submit=add_note>
                        <input name="visit-note-text" autocomplete="off"
                            placeholder=move || Msg::CpFieldNote.text(lang.get())
                            prop:value=move || note.get()
                            on:input=move |ev| note.set(event_target_value(&ev))/>
                        <button class="btn primary" type="submit" data-action="save-visit-note">{move || Msg::Save.text(lang.get())}</button>
                    </form>
                }
            })}
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
        </div>
    }
}

/// The visit as the screen shows it.
fn visit_view(
    lang: Lang,
    row: VisitRow,
    compact: bool,
    refusing: RwSignal<bool>,
    noting: RwSignal<bool>,
    leave: Callback<()>,
    approve: Callback<()>,
) -> impl IntoView {
    let st = row.status;
    let a = row.actions;
    let blocked = row.category.is_blocked();
    let name = if row.name.is_empty() {
        "—".to_owned()
    } else {
        row.name.clone()
    };
    let whom: Vec<String> = [row.unit.clone(), row.host.clone()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    let minutes = row.minutes_inside;
    let decisions = row.decisions.clone();
    let logged_by = row.logged_by.clone();
    let exits = row.exits.clone();
    let notes = row.notes.clone();
    let turn_away = a.refuse && st == VisitStatus::Inside;
    view! {
        <article class="visit" class:compact=compact class:blocked=blocked
            data-visit=row.id.clone() data-status=st.as_str() data-date=row.date.clone()>
            <div class="visit-when">
                <span class="time-in" data-testid="time-in">{row.time_in_shown.clone()}</span>
                {row.time_out_shown.clone().map(|t| view! { <span class="time-out">"→ " {t}</span> })}
                {minutes.map(|m| view! { <span class="how-long" data-testid="how-long">{how_long(lang, m)}</span> })}
            </div>
            <div class="visit-who">
                <p class="name">
                    <b>{name}</b>
                    {(row.people > 1).then(|| view! { <span class="tag">{view::people(lang, row.people)}</span> })}
                    <span class="tag category" class:blocked=blocked>{category(lang, row.category)}</span>
                    <span class="tag status" data-status=st.as_str()>{status(lang, st)}</span>
                    {row.after_signing.then(|| view! { <span class="tag after-signing-tag">{Msg::AddedAfterSigning.text(lang)}</span> })}
                </p>
                <p class="muted">
                    {(!whom.is_empty()).then(|| format!("{} · ", whom.join(" ")))}
                    {(!row.purpose.is_empty()).then(|| format!("{} · ", row.purpose))}
                    {row.id_seen.clone()} " · " {approval_method(lang, row.approval)}
                </p>
                {(!compact || !decisions.is_empty() || !notes.is_empty()).then(|| view! {
                    <ul class="visit-events">
                        {decisions.into_iter().map(|d| {
                            let word = match d.kind { EventKind::Approved => Words::VisitApproved, _ => Words::VisitRefused };
                            view! {
                                <li class:superseded=!d.standing data-kind=d.kind.as_str()>
                                    <b>{word.text(lang)}</b>
                                    {(!d.text.is_empty()).then(|| format!(" · {}", d.text))}
                                    " · " <small>{crate::words::i18n::who_line(lang, &d.by)}</small>
                                </li>
                            }
                        }).collect_view()}
                        {exits.into_iter().map(|(t, by)| view! {
                            <li class="exit"><b>{Words::VisitLeft.text(lang)}</b> " " {t} " · " <small>{crate::words::i18n::who_line(lang, &by)}</small></li>
                        }).collect_view()}
                        {notes.into_iter().map(|(t, by)| view! {
                            <li class="visit-note">{t} " · " <small>{crate::words::i18n::who_line(lang, &by)}</small></li>
                        }).collect_view()}
                    </ul>
                })}
                <p class="who muted">{crate::words::i18n::who_line(lang, &logged_by)}</p>
                {(st == VisitStatus::Disputed).then(|| view! {
                    <p class="conflict" data-testid="visit-disputed">{Words::VisitDisputedHelp.text(lang)}</p>
                })}
            </div>
            <div class="visit-actions">
                {a.leave.then(|| view! {
                    <button class="btn primary" data-action="visitor-left" on:click=move |_| leave.run(())>{Words::VisitorLeft.text(lang)}</button>
                })}
                {a.approve.then(|| view! {
                    <button class="btn primary" data-action="approve-visit" on:click=move |_| approve.run(())>{Words::ApproveVisit.text(lang)}</button>
                })}
                {a.refuse.then(|| view! {
                    <button class="btn secondary" data-action="refuse-visit" aria-expanded=move || refusing.get().to_string()
                        on:click=move |_| refusing.update(|r| *r = !*r)>
                        {if turn_away { Words::TurnAway.text(lang) } else { Words::RefuseVisit.text(lang) }}
                    </button>
                })}
                <button class="btn secondary" data-action="note-visit" aria-expanded=move || noting.get().to_string()
                    on:click=move |_| noting.update(|n| *n = !*n)>
                    {Msg::AddNote.text(lang)}
                </button>
            </div>
        </article>
    }
}

/// Unit, host, category, status and who-logged filters of the day.
#[component]
fn VisitFilters(
    filter: RwSignal<VisitFilter>,
    loggers: Memo<Vec<(String, String)>>,
) -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let current = filter.get_untracked();
    let none = |v: String| (!v.trim().is_empty()).then_some(v);
    view! {
        <div class="filters" data-testid="visit-filters">
            <input type="search" name="filter-unit" autocomplete="off" placeholder=move || Words::VisitUnit.text(lang.get())
                prop:value=current.unit.clone().unwrap_or_default()
                on:change=move |ev| filter.update(|f| f.unit = none(event_target_value(&ev)))/>
            <input type="search" name="filter-host" autocomplete="off" placeholder=move || Words::VisitHost.text(lang.get())
                prop:value=current.host.clone().unwrap_or_default()
                on:change=move |ev| filter.update(|f| f.host = none(event_target_value(&ev)))/>
            <select name="filter-category" on:change=move |ev| filter.update(|f| f.category = parse_category(&event_target_value(&ev)))>
                <option value="">{move || Words::EveryCategory.text(lang.get())}</option>
                {Category::ALL.into_iter().map(|c| view! {
                    <option value=c.as_str() selected=current.category == Some(c)>{move || category(lang.get(), c)}</option>
                }).collect_view()}
            </select>
            <select name="filter-status" on:change=move |ev| filter.update(|f| f.status = parse_status(&event_target_value(&ev)))>
                <option value="">{move || Msg::EveryState.text(lang.get())}</option>
                {STATUSES.into_iter().map(|s| view! {
                    <option value=s.as_str() selected=current.status == Some(s)>{move || status(lang.get(), s)}</option>
                }).collect_view()}
            </select>
            <select name="filter-logger" on:change=move |ev| filter.update(|f| f.logged_by = none(event_target_value(&ev)))>
                <option value="">{move || Msg::EveryPerson.text(lang.get())}</option>
                {move || loggers.get().into_iter().map(|(id, name)| {
                    let is = filter.with_untracked(|f| f.logged_by.as_ref() == Some(&id));
                    view! { <option value=id selected=is>{name}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

/// The new-visit form, logging into the picked service day (a late entry
/// for an earlier day says so).
#[component]
fn NewVisit(date: RwSignal<String>, today: String) -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let now = || crate::platform::clock::time_of_day(crate::platform::clock::now_ms());
    let form = RwSignal::new(VisitForm::new(now()));
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let saved = RwSignal::new(false);
    let logger = store.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let day = date.get_untracked();
        let result = form
            .with_untracked(|f| f.arrival(&day))
            .map_err(|p| p.text(lang.get_untracked()).to_owned())
            .and_then(|a| {
                logger
                    .log_visit(&day, &a)
                    .map_err(|e| e.text(lang.get_untracked()))
            });
        match result {
            Ok(_) => {
                form.set(VisitForm::new(now()));
                error.set(None);
                saved.set(true);
            }
            Err(e) => {
                error.set(Some(e));
                saved.set(false);
            }
        }
    };
    let input = move |name: &'static str,
                      label: Text,
                      get: fn(&VisitForm) -> String,
                      set: fn(&mut VisitForm, String)| {
        view! {
            <label>
                <span>{move || label.text(lang.get())}</span>
                <input name=name autocomplete="off" prop:value=move || form.with(get)
                    on:input=move |ev| { saved.set(false); form.update(|f| set(f, event_target_value(&ev))) }/>
            </label>
        }
    };
    let picked = move || form.with(|f| f.category);
    view! {
        <form class="card visit-form" data-testid="visit-form" on:submit=submit>
            <h2>{move || Words::NewVisit.text(lang.get())}</h2>
            {move || (date.get() != today).then(|| view! {
                <p class="banner warn" data-testid="late-entry">{move || view::late_entry(lang.get(), &date.get())}</p>
            })}
            <div class="categories" role="group">
                {Category::ALL.into_iter().map(|c| view! {
                    <button type="button" class="btn category" class:blocked=c.is_blocked() data-category=c.as_str()
                        aria-pressed=move || (picked() == Some(c)).to_string()
                        on:click=move |_| { saved.set(false); form.update(|f| f.pick_category(c)) }>
                        {move || category(lang.get(), c)}
                        {c.is_blocked().then(|| view! { <small class="needs">{move || Words::NeedsSupervisor.text(lang.get())}</small> })}
                    </button>
                }).collect_view()}
            </div>
            <div class="id-seen">
                <div class="id-types" role="group">
                    {IdType::ALL.into_iter().map(|t| view! {
                        <button type="button" class="btn session id-type" data-id-type=t.as_str()
                            aria-pressed=move || (form.with(|f| f.id_type) == Some(t)).to_string()
                            on:click=move |_| form.update(|f| { f.id_type = Some(t); if t == IdType::NoId { f.id_last.clear(); } })>
                            {move || id_type(lang.get(), t)}
                        </button>
                    }).collect_view()}
                </div>
                <label class="id-last">
                    <span>{move || Words::IdLastFour.text(lang.get())}</span>
                    <input name="id-last" maxlength="4" autocomplete="off" inputmode="text"
                        prop:value=move || form.with(|f| f.id_last.clone())
                        on:input=move |ev| form.update(|f| f.id_last = event_target_value(&ev))/>
                </label>
                <p class="muted why" data-testid="why-last-four">{move || Words::WhyLastFour.text(lang.get())}</p>
            </div>
            <div class="fields">
                {input("visitor-name", Words::VisitorName.into(), |f| f.name.clone(), |f, v| f.name = v)}
                {input("visit-host", Words::VisitHost.into(), |f| f.host.clone(), |f, v| f.host = v)}
                {input("visit-unit", Words::VisitUnit.into(), |f| f.unit.clone(), |f, v| f.unit = v)}
                {input("visit-purpose", Words::VisitPurpose.into(), |f| f.purpose.clone(), |f, v| f.purpose = v)}
                <label>
                    <span>{move || Words::VisitPeople.text(lang.get())}</span>
                    <input type="number" min="1" max="200" name="visit-people" prop:value=move || form.with(|f| f.people.clone())
                        on:input=move |ev| form.update(|f| f.people = event_target_value(&ev))/>
                </label>
                <label>
                    <span>{move || Words::TimeIn.text(lang.get())}</span>
                    <input type="time" name="visit-time" prop:value=move || form.with(|f| f.clock.clone())
                        on:input=move |ev| form.update(|f| f.clock = event_target_value(&ev))/>
                </label>
            </div>
            <div class="methods" role="group">
                <span class="label">{move || Words::HowApproved.text(lang.get())}</span>
                {move || form.with(|f| f.methods()).into_iter().map(|m| view! {
                    <button type="button" class="btn session method" data-method=m.as_str()
                        aria-pressed=move || (form.with(|f| f.approval) == Some(m)).to_string()
                        on:click=move |_| form.update(|f| f.approval = Some(m))>
                        {move || approval_method(lang.get(), m)}
                    </button>
                }).collect_view()}
            </div>
            <div class="form-actions">
                <button class="btn primary" type="submit" data-action="log-visit">{move || Words::LogVisit.text(lang.get())}</button>
                {move || saved.get().then(|| view! { <p class="saved-note ok" data-testid="visit-saved">"✓ " {move || Msg::SavedOnTablet.text(lang.get())}</p> })}
            </div>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
        </form>
    }
}

/// The columns of the visitor search's results.
fn visits_found_headers() -> Vec<Text> {
    vec![
        Msg::Date.into(),
        Words::TimeIn.into(),
        Words::VisitorName.into(),
        Words::VisitUnit.into(),
        Words::VisitHost.into(),
        Words::VisitCategory.into(),
        Words::VisitStatusLabel.into(),
    ]
}

/// The desktop's search across a range of days by unit, person, status.
#[component]
pub fn VisitorSearch() -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let range = DayRange::last_week(lang);
    let filter: RwSignal<VisitFilter> = RwSignal::new(VisitFilter::default());
    let found = range.found(&store, lang, Store::want_visitor_days, move |s, days| {
        s.search_visitors(days, &filter.get())
            .map_err(|e| e.text(lang.get()))
    });
    let none = |v: String| (!v.trim().is_empty()).then_some(v);
    view! {
        <section class="card pad visit-search" data-testid="visit-search">
            <h2>{move || Msg::SearchDays.text(lang.get())}</h2>
            <div class="filters">
                {range.inputs(lang)}
                <input type="search" name="search-unit" autocomplete="off" placeholder=move || Words::VisitUnit.text(lang.get())
                    on:change=move |ev| filter.update(|f| f.unit = none(event_target_value(&ev)))/>
                <input type="search" name="search-name" autocomplete="off" placeholder=move || Words::VisitorName.text(lang.get())
                    on:change=move |ev| filter.update(|f| f.name = none(event_target_value(&ev)))/>
                <input type="search" name="search-host" autocomplete="off" placeholder=move || Words::VisitHost.text(lang.get())
                    on:change=move |ev| filter.update(|f| f.host = none(event_target_value(&ev)))/>
                <select name="search-status" on:change=move |ev| filter.update(|f| f.status = parse_status(&event_target_value(&ev)))>
                    <option value="">{move || Msg::EveryState.text(lang.get())}</option>
                    {STATUSES.into_iter().map(|s| view! { <option value=s.as_str()>{move || status(lang.get(), s)}</option> }).collect_view()}
                </select>
            </div>
            {found_table(found, lang, "visits-found", Words::NoVisits, visits_found_headers(), move |r| view! {
                <tr data-visit=r.id.clone() data-status=r.status.as_str()>
                    <td>{r.date.clone()}</td>
                    <td>{r.time_in_shown.clone()} {r.time_out_shown.clone().map(|t| format!(" → {t}"))}</td>
                    <td>{r.name.clone()}</td>
                    <td>{r.unit.clone()}</td>
                    <td>{r.host.clone()}</td>
                    <td>{move || category(lang.get(), r.category)}</td>
                    <td>{move || status(lang.get(), r.status)}</td>
                </tr>
            })}
        </section>
    }
}
