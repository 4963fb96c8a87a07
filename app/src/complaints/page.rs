//! Owner requests and complaints (`#complaints`, and the desktop's
//! complaints tab): take one; the open ones with their deadline timers —
//! those needing attention (escalate to the manager now, overdue, an
//! unsatisfied owner) red and first — re-rendered every 15 s and whenever
//! a document changes; the closed ones; search and filter by day or range,
//! unit, person, status, kind, post and words. The desktop adds the
//! month's figures. Tapping a complaint opens it (`#complaint/…`).

use crate::complaints::complaint::ComplaintPanel;
use crate::complaints::form::{FilterForm, status_choices};
use crate::complaints::take::TakeComplaint;
use crate::complaints::view::{self, ComplaintRow, ComplaintsView, FigureLine};
use crate::complaints::words::Words;
use crate::core::error::AppProblem;
use crate::core::store::Store;
use crate::nav::route::Route;
use crate::nav::route::go;
use crate::ui::bound_input::bound_input;
use crate::words::i18n::Msg;
use leptos::prelude::*;
use shiftbook_model::Lang;
use shiftbook_model::complaint::{Kind, Step, figures};

/// The complaint list, its search, and (`figures`) the month's figures.
#[component]
pub fn ComplaintsPanel(#[prop(optional)] figures: bool) -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let tick = crate::platform::ticker::ticker(15);
    let taking = RwSignal::new(false);
    let saved = RwSignal::new(false);
    let filter = RwSignal::new(FilterForm::default());
    let months = store.derived(move |s| {
        let extra = filter.with(|f| f.months(lang.get()));
        s.complaint_months(&extra)
    });
    let asker = store.clone();
    Effect::new(move |_| asker.want_complaints(&months.get()));
    let view = store.derived(move |s| {
        tick.track();
        let lang = lang.get();
        let f = filter.with(|f| f.filter(lang))?;
        let now = s
            .local_now()
            .ok_or_else(|| AppProblem::NoClock.text(lang))?;
        let all = s.complaints_of(&months.get());
        let settings = s.complaint_deadlines();
        Ok::<_, String>(ComplaintsView::build(
            &all,
            &f,
            &settings,
            now,
            crate::platform::clock::local,
            lang,
        ))
    });
    let deadlines =
        store.derived(move |s| view::deadline_summary(&s.complaint_deadlines(), lang.get()));
    let done = Callback::new(move |()| {
        taking.set(false);
        saved.set(true);
    });
    let cancel = Callback::new(move |()| taking.set(false));
    view! {
        <main class="complaints" data-testid="complaints">
            <section class="card admin-head">
                <div>
                    <h1>{move || Words::CpTitle.text(lang.get())}</h1>
                    <p class="muted">{move || Words::CpHelp.text(lang.get())}</p>
                    <p class="deadline-settings" data-testid="deadline-settings">{move || deadlines.get()}</p>
                </div>
                {move || (!taking.get()).then(|| view! {
                    <button class="btn primary big" data-action="take-complaint" on:click=move |_| {
                        saved.set(false);
                        taking.set(true);
                    }>
                        "+ " {move || Words::CpTake.text(lang.get())}
                    </button>
                })}
            </section>
            {move || saved.get().then(|| view! {
                <p class="card saved-banner" data-testid="complaint-saved">"✓ " {Words::CpSaved.text(lang.get())}</p>
            })}
            {move || taking.get().then(|| view! { <TakeComplaint done=done cancel=cancel/> })}
            {figures.then(|| view! { <MonthFigures/> })}
            <FilterBar filter=filter/>
            {move || match view.get() {
                Err(e) => view! { <p class="error">{e}</p> }.into_any(),
                Ok(v) => {
                    let nothing = v.attention.is_empty() && v.open.is_empty();
                    view! {
                        {(!v.attention.is_empty()).then(|| view! {
                            <section class="complaint-section attention" data-testid="complaints-attention">
                                <h2 class="bad">{move || Words::CpAttention.text(lang.get())} " · " {v.attention.len()}</h2>
                                {rows(v.attention.clone(), lang)}
                            </section>
                        })}
                        {(nothing || !v.open.is_empty()).then(|| view! {
                            <section class="complaint-section" data-testid="complaints-open">
                                <h2>{move || Words::CpOpen.text(lang.get())} " · " {v.open.len()}</h2>
                                {if nothing {
                                    view! { <p class="muted card pad" data-testid="no-complaints">{move || Words::CpNoneOpen.text(lang.get())}</p> }.into_any()
                                } else {
                                    rows(v.open.clone(), lang).into_any()
                                }}
                            </section>
                        })}
                        {(!v.closed.is_empty()).then(|| view! {
                            <details class="complaint-section closed" data-testid="complaints-closed">
                                <summary>{move || Words::CpClosed.text(lang.get())} " · " {v.closed.len()}</summary>
                                {rows(v.closed.clone(), lang)}
                            </details>
                        })}
                    }.into_any()
                }
            }}
        </main>
    }
}

/// Complaint rows that open their complaint when tapped.
fn rows(list: Vec<ComplaintRow>, lang: RwSignal<Lang>) -> impl IntoView {
    list.into_iter()
        .map(|r| {
            let route = Route::Complaint(r.month.clone(), r.id.clone());
            let class = format!(
                "complaint-row card{}{}{}",
                if r.needs_attention() { " attention" } else { "" },
                if r.serious { " serious" } else { "" },
                if r.status == Step::Closed { " closed" } else { "" },
            );
            view! {
                <button
                    class=class
                    data-complaint=r.id.clone()
                    data-unit=r.unit.clone()
                    data-status=r.status.as_str()
                    data-overdue=r.overdue.to_string()
                    data-escalate=r.escalate_now.to_string()
                    on:click=move |_| go(&route)
                >
                    <span class="when">{r.received.clone()}</span>
                    <span class="what">
                        <b>{r.unit.clone()} " · " {r.owner.clone()}</b>
                        <span class="muted">" " {r.kind.clone()} " · " {r.channel.clone()}</span>
                        <span class="content">{r.content.clone()}</span>
                    </span>
                    <span class="flags">
                        {r.escalate_now.then(|| view! {
                            <span class="tag escalate" data-testid="escalate-now">{move || Words::CpEscalateNow.text(lang.get())}</span>
                        })}
                        {(r.serious && !r.escalate_now).then(|| view! {
                            <span class="tag serious">{move || Words::CpSerious.text(lang.get())}</span>
                        })}
                        <span class=format!("tag status {}", r.status.as_str())>{r.status_text.clone()}</span>
                        {r.next.clone().map(|d| view! {
                            <span class=format!("timer {}", d.class()) data-testid="next-deadline" data-deadline=d.kind.as_str() data-state=d.class()>
                                {d.name.clone()} " · " {d.words.clone()}
                            </span>
                        })}
                    </span>
                </button>
            }
        })
        .collect_view()
}

/// The search and filter of the register.
#[component]
fn FilterBar(filter: RwSignal<FilterForm>) -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let error = move || filter.with(|f| f.filter(lang.get()).err());
    view! {
        <details class="card complaint-filter" data-testid="complaint-filter">
            <summary>{move || Words::CpSearch.text(lang.get())}</summary>
            <div class="filter-grid">
                {bound_input(filter, "field", "date", "from", Words::CpFrom, |f| f.from.clone(), |f, v| f.from = v)}
                {bound_input(filter, "field", "date", "to", Words::CpTo, |f| f.to.clone(), |f, v| f.to = v)}
                {bound_input(filter, "field", "text", "filter-unit", Msg::CpUnit, |f| f.unit.clone(), |f, v| f.unit = v)}
                {bound_input(filter, "field", "text", "filter-person", Words::CpPerson, |f| f.person.clone(), |f, v| f.person = v)}
                <label class="field">
                    <span>{move || Words::CpStatus.text(lang.get())}</span>
                    <select name="filter-status" on:change=move |ev| filter.update(|f| f.status = event_target_value(&ev))>
                        {status_choices().into_iter().map(|s| view! {
                            <option value=s selected=move || filter.with(|f| f.status == s)>
                                {move || status_choice(lang.get(), s)}
                            </option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span>{move || Words::CpKind.text(lang.get())}</span>
                    <select name="filter-kind" on:change=move |ev| filter.update(|f| f.kind = event_target_value(&ev))>
                        <option value="">{move || Words::CpAny.text(lang.get())}</option>
                        {Kind::ALL.into_iter().map(|k| view! {
                            <option value=k.as_str()>{move || view::kind(lang.get(), k)}</option>
                        }).collect_view()}
                    </select>
                </label>
                {bound_input(filter, "field", "text", "filter-post", Words::CpPost, |f| f.post.clone(), |f, v| f.post = v)}
                {bound_input(filter, "field", "search", "filter-text", Words::CpWords, |f| f.text.clone(), |f, v| f.text = v)}
            </div>
            {move || error().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <button class="btn secondary small" data-action="clear-filter" on:click=move |_| filter.set(FilterForm::default())>
                {move || Words::CpClearFilter.text(lang.get())}
            </button>
        </details>
    }
}

/// A status choice of the filter, in words.
fn status_choice(lang: Lang, s: &str) -> String {
    match s {
        "" => Words::CpAny.text(lang).to_owned(),
        "open" => Words::CpOpen.text(lang).to_owned(),
        "closed" => Words::CpClosed.text(lang).to_owned(),
        other => Step::ALL
            .into_iter()
            .find(|x| x.as_str() == other)
            .map(|x| view::status(lang, x).to_owned())
            .unwrap_or_default(),
    }
}

/// The figures of the complaints received in a month (this one, or
/// another picked with ‹ ›): reply on time, return visits, satisfaction,
/// each deadline on time.
#[component]
fn MonthFigures() -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let this_month = crate::platform::clock::today()
        .get(..7)
        .unwrap_or_default()
        .to_owned();
    let month = RwSignal::new(this_month);
    let asker = store.clone();
    Effect::new(move |_| asker.want_complaints(&[month.get()]));
    let tick = crate::platform::ticker::ticker(60);
    let lines = store.derived(move |s| {
        tick.track();
        let m = month.get();
        let now = s.local_now()?;
        let all = s.complaints_of(std::slice::from_ref(&m));
        let f = figures(
            &all,
            &s.complaint_deadlines(),
            now,
            crate::platform::clock::local,
        );
        Some(view::figure_lines(&f, lang.get()))
    });
    let shift = move |delta: i32| {
        month.update(|m| *m = crate::core::service_day::shift_month(m, delta));
    };
    view! {
        <section class="card complaint-figures" data-testid="complaint-figures">
            <header>
                <h2>{move || Words::CpFigures.text(lang.get())}</h2>
                <div class="month-pick">
                    <button class="btn secondary small" data-action="previous-month" on:click=move |_| shift(-1)>"‹"</button>
                    <b data-testid="figures-month">{move || month.get()}</b>
                    <button class="btn secondary small" data-action="next-month" on:click=move |_| shift(1)>"›"</button>
                </div>
            </header>
            <dl>
                {move || lines.get().unwrap_or_default().into_iter().map(|l: FigureLine| view! {
                    <div class="figure" class:below=l.below_target data-figure=l.key>
                        <dt>{l.name}</dt>
                        <dd>{l.value}</dd>
                    </div>
                }).collect_view()}
            </dl>
        </section>
    }
}

/// The desktop's complaints tab: the list with figures, or the complaint
/// the address names, following the address as it changes.
#[component]
pub fn ComplaintsDesk() -> impl IntoView {
    let route = RwSignal::new(crate::nav::route::current_route());
    let listener = window_event_listener(leptos::ev::hashchange, move |_| {
        route.set(crate::nav::route::current_route());
    });
    on_cleanup(move || listener.remove());
    move || match route.get() {
        Route::Complaint(month, id) => view! { <ComplaintPanel month=month id=id/> }.into_any(),
        _ => view! { <ComplaintsPanel figures=true/> }.into_any(),
    }
}
