//! Follow-ups (跟进: 报修 / 整改) on the tablet and the desktop: every
//! follow-up opened by an × that is still open — whichever tablet marked it
//! — and this month's closed ones. Anyone signed in adds notes and closes
//! one with what was done; supervisors issue rectification notices. A
//! follow-up whose × is disputed (another tablet marked the item ✓ at the
//! same time) says so.

use crate::core::store::Store;
use crate::platform::clock::time_of_day;
use crate::rounds::words::Words;
use crate::words::i18n::Text;
use crate::words::i18n::{self, Msg};
use leptos::prelude::*;
use shiftbook_model::followup::{Department, FollowUp, FollowUpEvent, FollowUpStatus};
use shiftbook_model::roster::Role;

fn who(e: &FollowUpEvent) -> String {
    format!(
        "{} · {} · {}",
        time_of_day(e.by.at_ms),
        e.by.person,
        e.by.device
    )
}

/// The follow-ups list.
#[component]
pub fn FollowUpsPanel() -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let list = store.derived(|store| {
        store
            .followups()
            .into_iter()
            .map(|f| {
                let disputed = store.followup_disputed(&f);
                (f, disputed)
            })
            .collect::<Vec<_>>()
    });
    let asker = store.clone();
    Effect::new(move |_| {
        list.track();
        asker.want_followup_boards();
    });
    view! {
        <main class="followups" data-testid="followups">
            <h1>{move || Words::FollowUps.text(lang.get())}</h1>
            {move || {
                let items = list.get();
                if items.is_empty() {
                    return view! { <p class="muted card pad" data-testid="no-followups">{Words::NoFollowUps.text(lang.get())}</p> }.into_any();
                }
                items
                    .into_iter()
                    .map(|(f, disputed)| view! { <FollowUpCard followup=f disputed=disputed/> })
                    .collect_view()
                    .into_any()
            }}
        </main>
    }
}

/// One follow-up with its actions.
#[component]
fn FollowUpCard(followup: FollowUp, disputed: bool) -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let supervisor = store
        .signals
        .person
        .with_untracked(|p| p.as_ref().is_some_and(|p| p.role == Role::Supervisor));
    let f = followup;
    let open = f.is_open();
    let key = StoredValue::new(f.key.clone());
    let date = StoredValue::new(f.source.date.clone());
    let note = RwSignal::new(String::new());
    let action = RwSignal::new(String::new());
    let notice = RwSignal::new(String::new());
    let due = RwSignal::new(f.source.date.clone());
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let run = {
        let store = store.clone();
        move |what: &'static str| {
            let (k, d) = (key.get_value(), date.get_value());
            let result = match what {
                "note" => store.followup_note(&d, &k, &note.get_untracked()),
                "close" => store.close_followup(&d, &k, &action.get_untracked()),
                _ => store.followup_notice(&d, &k, &notice.get_untracked(), &due.get_untracked()),
            }
            .map_err(|e| e.text(lang.get_untracked()));
            match result {
                Ok(()) => {
                    error.set(None);
                    note.set(String::new());
                    action.set(String::new());
                    notice.set(String::new());
                }
                Err(e) => error.set(Some(e)),
            }
        }
    };
    let (run_note, run_close, run_notice) = (run.clone(), run.clone(), run);
    let department = f.department;
    let status_text = match &f.status {
        FollowUpStatus::Open => None,
        FollowUpStatus::Closed { by, action } => Some(format!(
            "{} · {} · {}",
            time_of_day(by.at_ms),
            by.person,
            action
        )),
    };
    let item_label = f.source.item_label.clone();
    let round_title = f.source.round_title.clone();
    let text_input = move |value: RwSignal<String>, name: &'static str, placeholder: Text| {
        view! {
            <input
                class="note"
                name=name
                placeholder=move || placeholder.text(lang.get())
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
        }
    };
    view! {
        <article
            class=if open { "followup card open" } else { "followup card closed" }
            data-followup=f.source.item.clone()
            data-status=if open { "open" } else { "closed" }
            data-disputed=disputed.to_string()
        >
            <header>
                <h2>{move || item_label.get(lang.get()).to_owned()}</h2>
                <span class="muted">{move || round_title.get(lang.get()).to_owned()} " · " {f.source.date.clone()}</span>
                {if open {
                    let store = store.clone();
                    view! {
                        <select class="dept" name="department" on:change=move |ev| {
                            let v = event_target_value(&ev);
                            if let Some(d) = Department::ALL.into_iter().find(|d| d.as_str() == v)
                                && d != department
                            {
                                let result = store.reassign_followup(&date.get_value(), &key.get_value(), d);
                                error.set(result.err().map(|e| e.text(lang.get_untracked())));
                            }
                        }>
                            {Department::ALL.into_iter().map(|d| view! {
                                <option value=d.as_str() selected=d == department>{move || i18n::department(lang.get(), d)}</option>
                            }).collect_view()}
                        </select>
                    }.into_any()
                } else {
                    view! { <span class="tag dept">{move || i18n::department(lang.get(), department)}</span> }.into_any()
                }}
                {disputed.then(|| view! {
                    <span class="tag disputed" data-testid="followup-disputed">{move || Msg::ConflictTitle.text(lang.get())}</span>
                })}
            </header>
            <ul class="events">
                {f.openers.iter().map(|e| view! {
                    <li class="opened"><b>"×"</b> " " {who(e)} {(!e.text.is_empty()).then(|| format!(" · {}", e.text))}</li>
                }).collect_view()}
                {f.notices.iter().map(|e| view! {
                    <li class="notice" data-testid="notice">
                        <b>{move || Words::RectificationNotice.text(lang.get())}</b> " " {who(e)} " · " {e.text.clone()}
                        {e.due.clone().map(|d| format!(" · {d}"))}
                    </li>
                }).collect_view()}
                {f.notes.iter().map(|e| view! {
                    <li class="note-event" data-testid="followup-note">{who(e)} " · " {e.text.clone()}</li>
                }).collect_view()}
            </ul>
            {status_text.map(|t| view! { <p class="closed-by" data-testid="closed-by">"✓ " {t}</p> })}
            // Before: the photos taken with the × it came from (a round's
            // item in any slot, a show flat's damaged item).
            {f.source.round.parse::<shiftbook_model::DocumentId>().ok().map(|round| {
                let item = f.source.item.clone();
                let before = store.derived(move |s| {
                    s.read(&round, |doc| shiftbook_model::photos::of_item(doc, &item))
                        .unwrap_or_default()
                });
                move || (!before.get().is_empty()).then(|| view! {
                    <div class="photos before" data-testid="photos-before">
                        <span class="muted">{move || crate::ui::record_photos::Words::PhotosWhenFound.text(lang.get())}</span>
                        <crate::ui::record_photos::PhotoThumbs id=round photos=before.into()/>
                    </div>
                })
            })}
            // After: the follow-up's own photos (the work).
            {store.board_of(&f.source.date).ok().map(|board| view! {
                <div class="photos-of" data-testid="photos-after">
                    <span class="muted">{move || crate::ui::record_photos::Words::PhotosOfWork.text(lang.get())}</span>
                    <crate::ui::record_photos::RecordPhotos id=board record=f.key.clone()/>
                </div>
            })}
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <div class="followup-actions">
                <div class="row">
                    {text_input(note, "followup-note", Msg::AddNote.into())}
                    <button class="btn secondary" data-action="followup-note" on:click={let r = run_note.clone(); move |_| r("note")}>
                        {move || Msg::AddNote.text(lang.get())}
                    </button>
                </div>
                {open.then(|| view! {
                    <div class="row">
                        {text_input(action, "followup-action", Msg::WhatWasDone.into())}
                        <button class="btn primary" data-action="close-followup" on:click={let r = run_close.clone(); move |_| r("close")}>
                            {move || Words::CloseFollowUp.text(lang.get())}
                        </button>
                    </div>
                })}
                {(open && supervisor).then(|| view! {
                    <div class="row">
                        {text_input(notice, "notice", Words::RectificationNotice.into())}
                        <input class="note due" type="date" name="notice-due" prop:value=move || due.get() on:input=move |ev| due.set(event_target_value(&ev))/>
                        <button class="btn secondary" data-action="issue-notice" on:click={let r = run_notice.clone(); move |_| r("notice")}>
                            {move || Words::IssueNotice.text(lang.get())}
                        </button>
                    </div>
                })}
            </div>
        </article>
    }
}
