//! One work permit (《工作联络单》) on the tablet and the desktop: the
//! application (company, team leader, scope, place, date and window,
//! headcount, who typed it in), its status and alerts, the sweep round,
//! the actions [`crate::permits::view`] allows the signed-in person, and
//! its history (who, when, device).

use crate::core::error::AppError;
use crate::core::store::Store;
use crate::nav::route::Route;
use crate::nav::route::go;
use crate::permits::view::PermitRow;
use crate::permits::words::Words;
use crate::ui::event_history::EventHistory;
use crate::words::i18n::Msg;
use crate::words::i18n::Text;
use leptos::prelude::*;

/// Which of a permit's forms is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Panel {
    None,
    Reject,
    Enter,
    Exit,
    Count,
    Cancel,
    Note,
}

impl Panel {
    fn name(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Reject => "reject",
            Self::Enter => "enter",
            Self::Exit => "exit",
            Self::Count => "count",
            Self::Cancel => "cancel",
            Self::Note => "note",
        }
    }

    fn submit(self) -> Text {
        match self {
            Self::Reject => Words::Reject.into(),
            Self::Enter => Words::LogEntry.into(),
            Self::Exit => Words::LogExit.into(),
            Self::Count => Words::HeadCount.into(),
            Self::Cancel => Words::CancelPermit.into(),
            Self::Note | Self::None => Msg::AddNote.into(),
        }
    }
}

/// One permit.
#[component]
pub fn PermitCard(row: PermitRow) -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let a = row.actions.clone();
    let panel = RwSignal::new(Panel::None);
    let people = RwSignal::new(String::new());
    let text = RwSignal::new(String::new());
    let tools_ok = RwSignal::new(true);
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let id = StoredValue::new(row.id.clone());
    let date = StoredValue::new(row.date.clone());
    let (enter_max, exit_max, on_site) = (a.enter_max, a.exit_max, row.on_site);
    let open = move |p: Panel| {
        error.set(None);
        text.set(String::new());
        tools_ok.set(true);
        people.set(match p {
            Panel::Enter => enter_max.unwrap_or(1).to_string(),
            Panel::Exit => exit_max.unwrap_or(1).to_string(),
            Panel::Count => on_site.to_string(),
            _ => String::new(),
        });
        panel.update(|x| *x = if *x == p { Panel::None } else { p });
    };
    let done = move |result: Result<(), String>| match result {
        Ok(()) => {
            panel.set(Panel::None);
            error.set(None);
        }
        Err(e) => error.set(Some(e)),
    };
    let words =
        move |result: Result<(), AppError>| result.map_err(|e| e.text(lang.get_untracked()));
    let run = {
        let store = store.clone();
        move || {
            let (i, d, t) = (id.get_value(), date.get_value(), text.get_untracked());
            let n = people.get_untracked().trim().parse::<u32>();
            let p = panel.get_untracked();
            let needs_people = matches!(p, Panel::Enter | Panel::Exit | Panel::Count);
            let n = match (needs_people, n) {
                (false, _) => 0,
                (true, Ok(n)) => n,
                (true, Err(_)) => {
                    error.set(Some(Words::People.text(lang.get_untracked()).to_owned()));
                    return;
                }
            };
            let missing = match p {
                Panel::Reject | Panel::Cancel | Panel::Note => {
                    t.trim().is_empty().then_some(Text::from(Msg::TextRequired))
                }
                Panel::Exit => (!tools_ok.get_untracked() && t.trim().is_empty())
                    .then_some(Text::from(Words::ToolsNoteRequired)),
                _ => None,
            };
            if let Some(m) = missing {
                error.set(Some(m.text(lang.get_untracked()).to_owned()));
                return;
            }
            done(words(match p {
                Panel::Reject => store.reject_permit(&d, &i, &t),
                Panel::Enter => store.permit_enter(&d, &i, n),
                Panel::Exit => store.permit_exit(&d, &i, n, tools_ok.get_untracked(), &t),
                Panel::Count => store.permit_count(&d, &i, n),
                Panel::Cancel => store.cancel_permit(&d, &i, &t),
                Panel::Note => store.permit_note(&d, &i, &t),
                Panel::None => Ok(()),
            }));
        }
    };
    let direct = {
        let store = store.clone();
        move |what: &'static str| {
            let (i, d) = (id.get_value(), date.get_value());
            match what {
                "approve" => done(words(store.approve_permit(&d, &i, ""))),
                "close" => done(words(store.close_permit(&d, &i))),
                _ => match store.start_permit_sweep(&d, &i) {
                    Ok(round) => go(&Route::Round(round)),
                    Err(e) => error.set(Some(e.text(lang.get_untracked()))),
                },
            }
        }
    };
    let button = move |p: Panel, msg: Text, class: &'static str| {
        view! {
            <button class=format!("btn {class}") data-action=p.name() aria-expanded=move || (panel.get() == p).to_string() on:click=move |_| open(p)>
                {move || msg.text(lang.get())}
            </button>
        }
    };
    let text_field = move |placeholder: Text, name: &'static str| {
        view! {
            <input class="note" name=name autocomplete="off"
                placeholder=move || placeholder.text(lang.get())
                prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))/>
        }
    };
    let people_field = move || {
        view! {
            <label class="people"><span>{move || Words::People.text(lang.get())}</span>
                <input type="number" inputmode="numeric" min="0" name="people" prop:value=move || people.get() on:input=move |ev| people.set(event_target_value(&ev))/>
            </label>
        }
    };
    let status = row.status.as_str();
    let unapproved = row.status == shiftbook_model::work_permit::PermitStatus::Applied;
    let sweep = row.sweep.clone();
    // The state the contractor left the place in, after the work.
    let sweep_photos = row.sweep.as_ref().and(store.permit_board_of(&row.date)).map(|board| {
        view! {
            <crate::ui::record_photos::RecordPhotos id=board record=format!("{}/sweep", row.id)/>
        }
    });
    let (d1, d2, d3) = (direct.clone(), direct.clone(), direct);
    view! {
        <article class=format!("permit card {status}") data-permit=row.id.clone() data-company=row.company.clone() data-status=status>
            <header>
                <div>
                    <h2>{row.company.clone()} <span class="muted">" · " {row.team_leader.clone()}</span></h2>
                    <p class="when"><b>{row.date.clone()} " " {row.window.clone()}</b> " · " {row.place.clone()} " · "
                        {move || Words::Headcount.text(lang.get())} " " {row.headcount}
                    </p>
                </div>
                <span class=format!("tag permit-status {status}") data-testid="permit-status">{row.status_text.clone()}</span>
            </header>
            <p class="scope">{row.scope.clone()}</p>
            <p class="muted applied">{row.applied.clone()}
                {row.applied_late.then(|| view! { <span class="tag late" data-testid="applied-late">{move || Words::AppliedLate.text(lang.get())}</span> })}
            </p>
            {(!row.alerts.is_empty()).then(|| view! {
                <ul class="permit-alerts">{row.alerts.iter().map(|t| view! { <li>{t.clone()}</li> }).collect_view()}</ul>
            })}
            {sweep.map(|s| {
                let round = s.round.clone();
                view! {
                    <p class="sweep" class:finished=s.finished data-testid="sweep" data-finished=s.finished.to_string()>
                        {s.text.clone()}
                        {round.map(|r| view! {
                            <button class="btn secondary small" data-action="open-sweep" on:click=move |_| go(&Route::Round(r.clone()))>
                                {move || Words::OpenSweep.text(lang.get())}
                            </button>
                        })}
                    </p>
                    {sweep_photos}
                }
            })}
            <div class="permit-actions">
                {a.decide.then(|| view! {
                    <button class="btn primary" data-action="approve" on:click=move |_| d1("approve")>{move || Words::Approve.text(lang.get())}</button>
                })}
                {a.decide.then(|| button(Panel::Reject, Words::Reject.into(), "secondary"))}
                // Letting people in before an approval is recorded (and
                // alerted), never encouraged.
                {a.enter_max.is_some().then(|| button(Panel::Enter, Words::LogEntry.into(), if unapproved { "secondary" } else { "primary" }))}
                {a.exit_max.is_some().then(|| button(Panel::Exit, Words::LogExit.into(), "primary"))}
                {a.count.then(|| button(Panel::Count, Words::HeadCount.into(), "primary"))}
                {a.start_sweep.then(|| view! {
                    <button class="btn primary" data-action="start-sweep" on:click=move |_| d2("sweep")>{move || Words::StartSweep.text(lang.get())}</button>
                })}
                {a.close.then(|| view! {
                    <button class="btn primary" data-action="close-permit" on:click=move |_| d3("close")>{move || Words::ClosePermit.text(lang.get())}</button>
                })}
                {a.cancel.then(|| button(Panel::Cancel, Words::CancelPermit.into(), "ghost-dark"))}
                {button(Panel::Note, Msg::AddNote.into(), "ghost-dark")}
            </div>
            {move || {
                let p = panel.get();
                (p != Panel::None).then(|| {
                    let run = run.clone();
                    let fields = match p {
                        Panel::Enter | Panel::Count => people_field().into_any(),
                        Panel::Exit => view! {
                            {people_field()}
                            <div class="tools" role="group">
                                <button type="button" class="btn choice normal" data-tools="ok" aria-pressed=move || tools_ok.get().to_string() on:click=move |_| tools_ok.set(true)>
                                    {move || Words::ToolsOk.text(lang.get())}
                                </button>
                                <button type="button" class="btn choice abnormal" data-tools="not-ok" aria-pressed=move || (!tools_ok.get()).to_string() on:click=move |_| tools_ok.set(false)>
                                    {move || Words::ToolsNotOk.text(lang.get())}
                                </button>
                            </div>
                            {move || (!tools_ok.get()).then(|| text_field(Words::ToolsNote.into(), "tools-note"))}
                        }.into_any(),
                        Panel::Reject | Panel::Cancel => text_field(Words::Reason.into(), "reason").into_any(),
                        Panel::Note | Panel::None => text_field(Msg::AddNote.into(), "permit-note").into_any(),
                    };
                    view! {
                        <form class="permit-panel" data-panel=p.name() on:submit=move |ev| { ev.prevent_default(); run(); }>
                            {fields}
                            <button class="btn primary" type="submit" data-action="confirm-permit-action">{move || p.submit().text(lang.get())}</button>
                        </form>
                    }
                })
            }}
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <EventHistory lines=row.history.clone() class="permit-history" testid="permit-history"/>
        </article>
    }
}
