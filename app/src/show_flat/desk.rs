//! The supervisor's show flats (desktop, `#flats`): the daily summary per
//! flat (001 §8.4) — opening and closing count progress, discrepancies,
//! visitors, guests' opinions and the leader's review — for any day, and
//! each flat's item list to edit (《样板房物品清点记录表》). Saved lists reach
//! every tablet with the next sync; a day already counted keeps the list it
//! was counted against. Form rules live in [`crate::show_flat::form`].

use crate::core::ids::new_id;
use crate::core::store::Store;
use crate::platform::random::random_bytes;
use crate::show_flat::form::FlatForm;
use crate::show_flat::view::discrepancy_line;
use crate::show_flat::words::Words;
use crate::ui::bound_input::{bound_cell, bound_input};
use crate::ui::row_actions::row_actions;
use crate::words::i18n::{self, Msg};
use leptos::prelude::*;
use shiftbook_model::roster::Role;
use shiftbook_model::show_flat::{CountSession, DaySummary, FlatItems};

/// The show-flats page.
#[component]
pub fn FlatsAdmin() -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let date = RwSignal::new(crate::platform::clock::today());
    let summaries = store.derived(move |s| s.flat_summaries(&date.get()));
    let flats = store.derived(|s| s.flats().len());
    let asker = store.clone();
    Effect::new(move |_| {
        flats.track();
        asker.want_flat_days(&date.get());
    });
    let editing: RwSignal<Option<FlatForm>> = RwSignal::new(None);
    let saved: RwSignal<Option<String>> = RwSignal::new(None);
    let supervisor = move || {
        store
            .signals
            .person
            .with(|p| p.as_ref().is_some_and(|p| p.role == Role::Supervisor))
    };
    view! {
        <main class="admin" data-testid="flats-admin">
            <section class="card admin-head">
                <div>
                    <h1>{move || Msg::TabFlats.text(lang.get())}</h1>
                    <p class="muted">{move || Words::FlatsHelp.text(lang.get())}</p>
                </div>
                <label class="date-pick">
                    <span>{move || Msg::Date.text(lang.get())}</span>
                    <input type="date" name="summary-date" prop:value=move || date.get() on:change=move |ev| {
                        let v = event_target_value(&ev);
                        if shiftbook_model::checklist::validate_date(&v).is_ok() {
                            date.set(v);
                        }
                    }/>
                </label>
                {move || supervisor().then(|| view! {
                    <button class="btn primary" data-action="add-flat" on:click=move |_| {
                        saved.set(None);
                        editing.set(Some(FlatForm::new_flat(new_id("flat", random_bytes::<4>()))));
                    }>
                        {move || Words::AddFlat.text(lang.get())}
                    </button>
                })}
            </section>
            {move || saved.get().map(|name| view! {
                <p class="card saved-banner" data-testid="flat-saved">"✓ " {name} " · " {move || Words::ItemListSaved.text(lang.get())}</p>
            })}
            {move || editing.get().map(|f| view! { <FlatEditor start=f editing=editing saved=saved/> })}
            <div class="flat-summaries">
                {move || summaries.get().into_iter().map(|(flat, summary)| {
                    let edit = flat.clone();
                    view! {
                        <div class="flat-cell">
                        <FlatSummaryCard flat=flat date=date.get() summary=summary/>
                        {move || supervisor().then(|| {
                            let edit = edit.clone();
                            view! {
                                <button class="btn secondary small edit-flat" data-action="edit-flat" data-flat=edit.flat_id.clone() on:click=move |_| {
                                    saved.set(None);
                                    editing.set(Some(FlatForm::of(&edit)));
                                }>
                                    {move || Words::EditItemList.text(lang.get())}
                                </button>
                            }
                        })}
                        </div>
                    }
                }).collect_view()}
            </div>
        </main>
    }
}

/// One flat's day.
#[component]
fn FlatSummaryCard(flat: FlatItems, date: String, summary: Option<DaySummary>) -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let name = flat.name.clone();
    let open = format!("#flat/{}/{}", flat.flat_id, date);
    let body = match summary {
        None => view! { <p class="muted" data-testid="not-counted">{move || Words::NotCountedToday.text(lang.get())}</p> }.into_any(),
        Some(s) => {
            let total = s.items.max(flat.item_count());
            let none = s.discrepancies.is_empty();
            let lines: Vec<String> = s
                .discrepancies
                .iter()
                .map(|d| discrepancy_line(&flat, d, lang.get_untracked()))
                .collect();
            let reviewed = s.reviews.last().map(|r| {
                i18n::signed_by(
                    lang.get_untracked(),
                    &r.person,
                    i18n::role(lang.get_untracked(), r.role),
                    &crate::platform::clock::time_of_day(r.at_ms),
                    &r.device,
                )
            });
            view! {
                <div class="stats">
                    {CountSession::ALL.into_iter().zip(s.counted).map(|(session, n)| view! {
                        <span class="stat" data-session=session.as_str()>
                            {move || i18n::count_session(lang.get(), session)} " " <b>{n}</b> " / " {total}
                        </span>
                    }).collect_view()}
                    <span class="stat">{move || Words::Visitors.text(lang.get())} " " <b data-testid="summary-visitors">{s.visitors}</b></span>
                </div>
                <div class="discrepancies" class:none=none>
                    <h3>{move || Words::Discrepancies.text(lang.get())} " (" {lines.len()} ")"</h3>
                    <ul>{lines.into_iter().map(|l| view! { <li data-testid="summary-discrepancy">{l}</li> }).collect_view()}</ul>
                </div>
                <div class="feedback">
                    <h3>{move || Words::GuestFeedback.text(lang.get())} " (" {s.feedback.len()} ")"</h3>
                    <ul>{s.feedback.iter().map(|f| view! { <li data-testid="summary-feedback">{f.text.clone()} {(!f.guest.is_empty()).then(|| format!(" — {}", f.guest))}</li> }).collect_view()}</ul>
                </div>
                <p class="review" data-testid="summary-review">
                    {match reviewed {
                        Some(line) => format!("✍ {line}"),
                        None => Msg::NotSignedYet.text(lang.get_untracked()).to_owned(),
                    }}
                    {(s.changed_after_review > 0).then(|| format!(" · {}", i18n::changed_after_signing(lang.get_untracked(), s.changed_after_review)))}
                </p>
            }
            .into_any()
        }
    };
    view! {
        <article class="card flat-summary" data-flat=flat.flat_id.clone()>
            <div class="title">
                <h2>{move || name.get(lang.get()).to_owned()}</h2>
                <a class="btn secondary small" data-action="open-count" href=open>{move || Words::OpenCount.text(lang.get())}</a>
            </div>
            {body}
        </article>
    }
}

/// The item-list form.
#[component]
fn FlatEditor(
    start: FlatForm,
    editing: RwSignal<Option<FlatForm>>,
    saved: RwSignal<Option<String>>,
) -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let conflicts = store.flat_conflicts(&start.flat_id).len();
    let form = RwSignal::new(start);
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let result = form
            .get_untracked()
            .to_flat(lang.get_untracked(), || new_id("room", random_bytes::<4>()))
            .map_err(|e| e.0)
            .and_then(|f| {
                store
                    .put_flat(&f)
                    .map(|()| f)
                    .map_err(|e| e.text(lang.get_untracked()))
            });
        match result {
            Ok(f) => {
                saved.set(Some(f.name.get(lang.get_untracked()).to_owned()));
                editing.set(None);
            }
            Err(e) => error.set(Some(e)),
        }
    };
    let rows = move || {
        let n = form.with(|f| f.rows.len());
        (0..n)
            .map(|i| {
                view! {
                    <tr data-item-row=i.to_string()>
                        {bound_cell(form, |f| &f.rows, |f| &mut f.rows, i, "room-zh", |r| r.room_zh.clone(), |r, v| r.room_zh = v)}
                        {bound_cell(form, |f| &f.rows, |f| &mut f.rows, i, "room-en", |r| r.room_en.clone(), |r, v| r.room_en = v)}
                        {bound_cell(form, |f| &f.rows, |f| &mut f.rows, i, "item-zh", |r| r.name_zh.clone(), |r, v| r.name_zh = v)}
                        {bound_cell(form, |f| &f.rows, |f| &mut f.rows, i, "item-en", |r| r.name_en.clone(), |r, v| r.name_en = v)}
                        {bound_cell(form, |f| &f.rows, |f| &mut f.rows, i, "expected", |r| r.expected.clone(), |r, v| r.expected = v)}
                        {bound_cell(form, |f| &f.rows, |f| &mut f.rows, i, "location", |r| r.location.clone(), |r, v| r.location = v)}
                        {row_actions(form, |f| &mut f.rows, i)}
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <form class="card member-form flat-form" data-testid="flat-form" on:submit=submit>
            <h2>{move || form.with(|f| f.name_zh.clone())}</h2>
            {(conflicts > 0).then(|| view! { <p class="conflict" role="alert">{move || Msg::ConcurrentItemLists.text(lang.get())}</p> })}
            <div class="fields">
                {bound_input(form, "", "text", "flat-name-zh", Words::FlatNameZh, |f| f.name_zh.clone(), |f, v| f.name_zh = v)}
                {bound_input(form, "", "text", "flat-name-en", Words::FlatNameEn, |f| f.name_en.clone(), |f, v| f.name_en = v)}
            </div>
            <table class="items-table">
                <thead>
                    <tr>
                        <th>{move || Words::Room.text(lang.get())}</th>
                        <th>{move || Words::RoomEn.text(lang.get())}</th>
                        <th>{move || Msg::ItemZh.text(lang.get())}</th>
                        <th>{move || Msg::ItemEn.text(lang.get())}</th>
                        <th>{move || Words::ExpectedQty.text(lang.get())}</th>
                        <th>{move || Words::WhereItStands.text(lang.get())}</th>
                        <th></th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            <button type="button" class="btn secondary" data-action="add-row" on:click=move |_| form.update(|f| f.add_row(new_id("item", random_bytes::<4>())))>
                {move || Msg::AddItem.text(lang.get())}
            </button>
            {move || error.get().map(|e| view! { <p class="error" role="alert" data-testid="flat-error">{e}</p> })}
            <div class="form-actions">
                <button class="btn primary" type="submit" data-action="save-flat">{move || Msg::Save.text(lang.get())}</button>
                <button class="btn ghost-dark" type="button" on:click=move |_| editing.set(None)>{move || Msg::Cancel.text(lang.get())}</button>
            </div>
        </form>
    }
}
