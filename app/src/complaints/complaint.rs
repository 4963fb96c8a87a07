//! One complaint (`#complaint/<month>/<id>`): the form's facts, "escalate
//! to the manager now" while a serious one is not escalated, every
//! deadline with its time left, how long overdue or when it was met, the
//! steps the signed-in person may take next as big buttons (the one it
//! waits for highlighted; tapping one opens its short form), and the full
//! history — who, in which role, when, on which device. Timers move every
//! 15 s and whenever a document changes.

use crate::complaints::steps::{Act, Action, Available, Choices, available, form};
use crate::complaints::take::TakeComplaint;
use crate::complaints::view::{self, ComplaintRow, HistoryLine, RelatedLink};
use crate::complaints::words::Words;
use crate::core::store::Store;
use crate::nav::route::Route;
use crate::nav::route::go;
use crate::platform::ticker::ticker;
use leptos::prelude::*;
use shiftbook_model::complaint::{Complaint, Difficulty, Satisfaction};
use shiftbook_model::followup::Department;
use shiftbook_model::roster::Role;

/// Everything the page shows.
#[derive(Debug, Clone, PartialEq)]
struct Page {
    complaint: Complaint,
    row: ComplaintRow,
    facts: Vec<(String, String)>,
    history: Vec<HistoryLine>,
    actions: Vec<Available>,
    follows: Option<RelatedLink>,
    followed_by: Vec<RelatedLink>,
}

/// A device time as local `YYYY-MM-DD HH:MM`.
fn local_text(ms: i64) -> String {
    crate::platform::clock::local(ms)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

/// The complaint page.
#[component]
pub fn ComplaintPanel(month: String, id: String) -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let tick = ticker(15);
    let asker = store.clone();
    let wanted = month.clone();
    Effect::new(move |_| asker.want_complaints(std::slice::from_ref(&wanted)));
    let role = store
        .signals
        .person
        .with_untracked(|p| p.as_ref().map_or(Role::Staff, |p| p.role));
    let (m, i) = (month.clone(), id.clone());
    let page = store.derived(move |s| {
        tick.track();
        let lang = lang.get();
        let c = s.complaint(&m, &i)?;
        let now = s.local_now()?;
        let row = ComplaintRow::new(
            &c,
            &s.complaint_deadlines(),
            now,
            crate::platform::clock::local,
            lang,
        );
        let held = s.complaints_of(&s.complaint_months(std::slice::from_ref(&m)));
        let (follows, followed_by) = view::related(&c, &held, lang);
        let received = s.complaint_receipts(&m);
        Some(Page {
            follows,
            followed_by,
            facts: view::facts(&c, lang, local_text),
            history: view::history(&c, lang, local_text, received),
            actions: available(&c, role),
            row,
            complaint: c,
        })
    });
    let active: RwSignal<Option<Action>> = RwSignal::new(None);
    let saved = RwSignal::new(false);
    let again = RwSignal::new(false);
    let again_saved = RwSignal::new(false);
    let again_done = Callback::new(move |()| {
        again.set(false);
        again_saved.set(true);
    });
    let again_cancel = Callback::new(move |()| again.set(false));
    let board = store.complaint_board_id(&month);
    // Apart from the page, which the clock redraws: the photos stay put.
    let held = Memo::new(move |_| page.with(Option::is_some));
    let actions = Memo::new(move |_| {
        page.with(|p| p.as_ref().map(|p| p.actions.clone()).unwrap_or_default())
    });
    let (month, id) = (StoredValue::new(month), StoredValue::new(id));
    view! {
        <main class="complaint-page" data-testid="complaint" data-complaint=id.get_value()>
            <nav class="round-nav">
                <button class="btn secondary" data-action="back-to-complaints" on:click=move |_| go(&Route::Complaints)>
                    "← " {move || Words::CpBackToList.text(lang.get())}
                </button>
            </nav>
            {move || match page.get() {
                None => view! {
                    <p class="card pad muted" data-testid="complaint-missing">{Words::CpNotHere.text(lang.get())}</p>
                }.into_any(),
                Some(p) => {
                    let r = p.row.clone();
                    view! {
                        <section class="card complaint-head" class:attention=r.needs_attention() data-status=r.status.as_str()>
                            <div class="title">
                                <h1>{r.unit.clone()} " · " {r.owner.clone()}</h1>
                                <span class=format!("tag status {}", r.status.as_str()) data-testid="complaint-status">{r.status_text.clone()}</span>
                                {r.serious.then(|| view! { <span class="tag serious">{Words::CpSerious.text(lang.get())}</span> })}
                            </div>
                            <p class="content">{r.content.clone()}</p>
                            {r.escalate_now.then(|| view! {
                                <p class="escalate-banner" data-testid="escalate-now">{Words::CpEscalateNowLong.text(lang.get())}</p>
                            })}
                        </section>
                        <section class="card deadlines" data-testid="deadlines">
                            <h2>{Words::CpDeadlines.text(lang.get())}</h2>
                            <ul>
                                {r.deadlines.iter().map(|d| view! {
                                    <li class=format!("deadline {}", d.class()) data-deadline=d.kind.as_str() data-state=d.class()>
                                        <span class="name">{d.name.clone()}</span>
                                        <span class="due">{Words::CpDue.text(lang.get())} " " {d.due.clone()}</span>
                                        <span class="words">{d.words.clone()}</span>
                                    </li>
                                }).collect_view()}
                            </ul>
                        </section>
                    }.into_any()
                }
            }}
            // The step buttons and the form being filled in, apart from the
            // page the clock and every merge redraw: what is typed stays.
            {move || held.get().then(|| view! {
                <section class="card steps" data-testid="steps">
                    <h2>{move || Words::CpNextSteps.text(lang.get())}</h2>
                    <div class="step-buttons">
                        <For each=move || actions.get() key=|a| *a let:a>
                            {
                                let action = a.action;
                                let class = format!(
                                    "btn step{}{}",
                                    if a.suggested { " primary suggested" } else { " secondary" },
                                    if a.urgent { " urgent" } else { "" },
                                );
                                view! {
                                    <button
                                        class=class
                                        data-step=action.as_str()
                                        aria-pressed=move || (active.get() == Some(action)).to_string()
                                        on:click=move |_| {
                                            saved.set(false);
                                            active.update(|x| *x = if *x == Some(action) { None } else { Some(action) });
                                        }
                                    >
                                        {move || action.label().text(lang.get())}
                                    </button>
                                }
                            }
                        </For>
                    </div>
                    {move || saved.get().then(|| view! { <p class="ok" data-testid="step-saved">"✓ " {Words::CpStepSaved.text(lang.get())}</p> })}
                    {move || active.get().and_then(|a| {
                        let complaint = page.with_untracked(|p| p.as_ref().map(|p| p.complaint.clone()))?;
                        Some(view! { <StepForm action=a complaint=complaint month=month id=id active=active saved=saved/> })
                    })}
                </section>
            })}
            {move || match page.get() {
                None => ().into_any(),
                Some(p) => {
                    view! {
                        {(!p.complaint.is_open()).then(|| {
                            let earlier = p.complaint.clone();
                            view! {
                                <section class="card again" data-testid="complaint-again">
                                    <div class="again-head">
                                        <p class="muted">{Words::CpAgainHelp.text(lang.get())}</p>
                                        {move || (!again.get()).then(|| view! {
                                            <button class="btn primary big" data-action="complaint-again" on:click=move |_| {
                                                again_saved.set(false);
                                                again.set(true);
                                            }>
                                                "+ " {move || Words::CpAgain.text(lang.get())}
                                            </button>
                                        })}
                                    </div>
                                    {move || again_saved.get().then(|| view! { <p class="ok" data-testid="again-saved">"✓ " {Words::CpAgainSaved.text(lang.get())}</p> })}
                                    {move || again.get().then(|| view! {
                                        <TakeComplaint done=again_done cancel=again_cancel follows=earlier.clone()/>
                                    })}
                                </section>
                            }
                        })}
                        {(p.follows.is_some() || !p.followed_by.is_empty()).then(|| view! {
                            <section class="card related" data-testid="related">
                                {p.follows.clone().map(|l| view! {
                                    <div class="related-row" data-testid="follows">
                                        <b>{Words::CpFollows.text(lang.get())}</b>
                                        {related_link(lang, l)}
                                    </div>
                                })}
                                {(!p.followed_by.is_empty()).then(|| view! {
                                    <div class="related-row" data-testid="followed-by">
                                        <b>{Words::CpFollowedBy.text(lang.get())}</b>
                                        {p.followed_by.iter().cloned().map(|l| related_link(lang, l)).collect_view()}
                                    </div>
                                })}
                            </section>
                        })}
                        <section class="card facts">
                            <h2>{Words::CpFacts.text(lang.get())}</h2>
                            <dl>
                                {p.facts.iter().map(|(label, value)| view! {
                                    <div><dt>{label.clone()}</dt><dd>{value.clone()}</dd></div>
                                }).collect_view()}
                            </dl>
                        </section>
                        <section class="card complaint-history" data-testid="complaint-history">
                            <h2>{Words::CpHistory.text(lang.get())} " (" {p.history.len()} ")"</h2>
                            <ol>
                                {p.history.iter().map(|h| view! {
                                    <li data-event=h.kind>
                                        <time>{h.at.clone()}</time>
                                        <b>{h.what.clone()}</b>
                                        <span class="who">{h.who.clone()} " · " {h.device.clone()}</span>
                                        {(!h.says.is_empty()).then(|| view! { <span class="says">{h.says.clone()}</span> })}
                                        {h.received.clone().map(|r| view! { <span class="received" data-testid="received">{r}</span> })}
                                    </li>
                                }).collect_view()}
                            </ol>
                        </section>
                    }.into_any()
                }
            }}
            {move || held.get().then(|| view! {
                <section class="card complaint-photos" data-testid="complaint-photos">
                    <h2>{move || crate::ui::record_photos::Words::Photos.text(lang.get())}</h2>
                    <crate::ui::record_photos::RecordPhotos id=board record=id.get_value()/>
                </section>
            })}
        </main>
    }
}

/// A linked complaint: a button opening it, or its id when this device
/// does not hold it.
fn related_link(lang: RwSignal<shiftbook_model::Lang>, l: RelatedLink) -> AnyView {
    match l.month {
        Some(month) => {
            let route = Route::Complaint(month, l.id.clone());
            view! {
                <button class="btn secondary related-link" data-related=l.id on:click=move |_| go(&route)>
                    {l.label}
                </button>
            }
            .into_any()
        }
        None => view! {
            <span class="related-link muted" data-related=l.id>
                {l.label} " " {move || Words::CpNotOnDevice.text(lang.get())}
            </span>
        }
        .into_any(),
    }
}

/// The button that wrote a step: a department, a satisfaction or a
/// difficulty, when the step has them.
type Choice = (Option<Department>, Option<Satisfaction>, Option<Difficulty>);

/// The short form of one step: its texts and the buttons that write it.
#[component]
fn StepForm(
    action: Action,
    complaint: Complaint,
    month: StoredValue<String>,
    id: StoredValue<String>,
    active: RwSignal<Option<Action>>,
    saved: RwSignal<bool>,
) -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let shape = form(action, &complaint);
    let prefill = if action == Action::Escalate {
        Words::CpManager.text(lang.get_untracked()).to_owned()
    } else {
        String::new()
    };
    let first = RwSignal::new(prefill);
    let second = RwSignal::new(String::new());
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let write = Callback::new(move |(department, satisfaction, difficulty): Choice| {
        let Some(act) = Act::from_form(
            action,
            &first.get_untracked(),
            &second.get_untracked(),
            department,
            satisfaction,
            difficulty,
        ) else {
            return;
        };
        match store.complaint_act(&month.get_value(), &id.get_value(), &act) {
            Ok(()) => {
                active.set(None);
                saved.set(true);
            }
            Err(e) => error.set(Some(e.text(lang.get_untracked()))),
        }
    });
    let field = move |f: Option<crate::complaints::steps::Field>,
                      value: RwSignal<String>,
                      name: &'static str| {
        f.map(|f| {
            let label = f.label;
            view! {
                <label class="field">
                    <span>
                        {move || label.text(lang.get())}
                        {(!f.required).then(|| view! { <em class="muted">" " {move || Words::CpOptional.text(lang.get())}</em> })}
                    </span>
                    <textarea
                        name=name
                        rows="2"
                        prop:value=move || value.get()
                        on:input=move |ev| value.set(event_target_value(&ev))
                    ></textarea>
                </label>
            }
        })
    };
    let buttons = match shape.choices {
        Choices::Confirm => view! {
            <button class="btn primary big" data-action="confirm-step" on:click=move |_| write.run((None, None, None))>
                {move || Words::CpConfirm.text(lang.get())}
            </button>
        }
        .into_any(),
        Choices::Departments => Department::ALL
            .into_iter()
            .map(|d| view! {
                <button class="btn primary big" data-department=d.as_str() on:click=move |_| write.run((Some(d), None, None))>
                    {move || crate::words::i18n::department(lang.get(), d)}
                </button>
            })
            .collect_view()
            .into_any(),
        Choices::Satisfactions => Satisfaction::ALL
            .into_iter()
            .map(|s| view! {
                <button class=format!("btn big satisfaction {}", s.as_str()) data-satisfaction=s.as_str() on:click=move |_| write.run((None, Some(s), None))>
                    {move || view::satisfaction(lang.get(), s)}
                </button>
            })
            .collect_view()
            .into_any(),
        Choices::To(d) => view! {
            <button class="btn primary big" data-difficulty=d.as_str() on:click=move |_| write.run((None, None, Some(d)))>
                {move || Words::CpSetTo.text(lang.get())} " " {move || view::difficulty(lang.get(), Some(d))}
            </button>
        }
        .into_any(),
    };
    view! {
        <div class="step-form" data-testid="step-form" data-form=action.as_str()>
            {field(shape.first, first, "step-first")}
            {field(shape.second, second, "step-second")}
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <div class="form-actions">{buttons}</div>
        </div>
    }
}
