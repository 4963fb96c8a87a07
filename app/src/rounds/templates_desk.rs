//! The supervisor's checklist templates (desktop): every template of the
//! site — the seed procedures' built-ins until changed, and the site's own
//! — with its post, schedule and items; edit one or add a new one. Saved
//! templates reach every tablet of the site (the server keeps the document
//! read-only for tablets). Rounds already walked keep the template they
//! were walked with. Form rules live in [`crate::rounds::template_form`].

use crate::core::store::Store;
use crate::platform::random::random_bytes;
use crate::rounds::template_form::{ItemForm, ScheduleKind, TemplateForm, new_template_id};
use crate::rounds::words::Words;
use crate::ui::bound_input::{bound_cell, bound_input};
use crate::ui::row_actions::row_actions;
use crate::words::i18n::{self, Msg};
use leptos::prelude::*;
use shiftbook_model::followup::Department;
use shiftbook_model::schedule::Weekday;
use shiftbook_model::template::Template;

fn schedule_text(t: &Template, lang: shiftbook_model::Lang) -> String {
    t.schedule.as_ref().map_or_else(
        || Words::KindNone.text(lang).to_owned(),
        |s| i18n::schedule(lang, s),
    )
}

/// The templates page.
#[component]
pub fn TemplatesAdmin() -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let templates = store.derived(Store::templates);
    let editing: RwSignal<Option<TemplateForm>> = RwSignal::new(None);
    let saved: RwSignal<Option<String>> = RwSignal::new(None);
    view! {
        <main class="admin" data-testid="templates-admin">
            <section class="card admin-head">
                <div>
                    <h1>{move || Msg::TabTemplates.text(lang.get())}</h1>
                    <p class="muted">{move || Words::TemplatesHelp.text(lang.get())}</p>
                </div>
                <button class="btn primary" data-action="add-template" on:click=move |_| {
                    saved.set(None);
                    editing.set(Some(TemplateForm::new_template(new_template_id(random_bytes::<4>()))));
                }>
                    {move || Words::AddTemplate.text(lang.get())}
                </button>
            </section>
            {move || saved.get().map(|t| view! {
                <p class="card saved-banner" data-testid="template-saved">"✓ " {t} " · " {Msg::SavedNote.text(lang.get())}</p>
            })}
            {move || editing.get().map(|f| view! { <TemplateEditor start=f editing=editing saved=saved/> })}
            <section class="card admin-body">
                <table class="roster-table">
                    <thead>
                        <tr>
                            <th>{move || Words::ChecklistName.text(lang.get())}</th>
                            <th>{move || Msg::Posts.text(lang.get())}</th>
                            <th>{move || Words::Schedule.text(lang.get())}</th>
                            <th>{move || Words::Items.text(lang.get())}</th>
                            <th></th>
                            <th></th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || templates.get().into_iter().map(|t| {
                            let edit = t.clone();
                            let title = t.title.clone();
                            let post = t.post.clone();
                            let active = t.active;
                            view! {
                                <tr data-template=t.id.clone() class:inactive=!active>
                                    <td class="name">{move || title.get(lang.get()).to_owned()}</td>
                                    <td>{move || i18n::post(lang.get(), &post)}</td>
                                    <td class="muted">{let t = t.clone(); move || schedule_text(&t, lang.get())}</td>
                                    <td>{t.items.len()}</td>
                                    <td>{move || if active { Words::InUse.text(lang.get()) } else { Words::Retired.text(lang.get()) }}</td>
                                    <td>
                                        <button class="btn secondary small" data-action="edit-template" on:click=move |_| {
                                            saved.set(None);
                                            editing.set(Some(TemplateForm::of(&edit)));
                                        }>
                                            {move || Msg::EditPerson.text(lang.get())}
                                        </button>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
        </main>
    }
}

/// The add / edit form.
#[component]
fn TemplateEditor(
    start: TemplateForm,
    editing: RwSignal<Option<TemplateForm>>,
    saved: RwSignal<Option<String>>,
) -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let form = RwSignal::new(start);
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let result = form
            .get_untracked()
            .to_template(lang.get_untracked())
            .map_err(|e| e.0)
            .and_then(|t| {
                store
                    .put_template(&t)
                    .map(|()| t)
                    .map_err(|e| e.text(lang.get_untracked()))
            });
        match result {
            Ok(t) => {
                saved.set(Some(t.title.get(lang.get_untracked()).to_owned()));
                editing.set(None);
            }
            Err(e) => error.set(Some(e)),
        }
    };
    let kind = move || form.with(|f| f.kind);
    let rows = move || {
        let n = form.with(|f| f.items.len());
        (0..n)
            .map(|i| {
                view! {
                    <tr data-item-row=i.to_string()>
                        {bound_cell(form, |f| &f.items, |f| &mut f.items, i, "item-id", |x| x.id.clone(), |x, v| x.id = v)}
                        {bound_cell(form, |f| &f.items, |f| &mut f.items, i, "item-area-zh", |x| x.area_zh.clone(), |x, v| x.area_zh = v)}
                        {bound_cell(form, |f| &f.items, |f| &mut f.items, i, "item-label-zh", |x| x.label_zh.clone(), |x, v| x.label_zh = v)}
                        {bound_cell(form, |f| &f.items, |f| &mut f.items, i, "item-label-en", |x| x.label_en.clone(), |x, v| x.label_en = v)}
                        <td>
                            <input type="checkbox" name="item-note"
                                prop:checked=move || form.with(|f| f.items.get(i).is_some_and(|x| x.note_required))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    form.update(|f| if let Some(x) = f.items.get_mut(i) { x.note_required = on; });
                                }/>
                        </td>
                        <td>
                            <select name="item-department" on:change=move |ev| {
                                let v = event_target_value(&ev);
                                let d = Department::ALL.into_iter().find(|d| d.as_str() == v);
                                form.update(|f| if let Some(x) = f.items.get_mut(i) { x.department = d; });
                            }>
                                {Department::ALL.into_iter().map(|d| view! {
                                    <option value=d.as_str() selected=move || form.with(|f| f.items.get(i).and_then(|x| x.department) == Some(d))>
                                        {move || i18n::department(lang.get(), d)}
                                    </option>
                                }).collect_view()}
                            </select>
                        </td>
                        {bound_cell(form, |f| &f.items, |f| &mut f.items, i, "item-scan-within", |x| x.scan_within.clone(), |x, v| x.scan_within = v)}
                        {row_actions(form, |f| &mut f.items, i)}
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <form class="card member-form template-form" data-testid="template-form" on:submit=submit>
            <h2>{move || form.with(|f| f.title_zh.clone())}</h2>
            <div class="fields">
                {bound_input(form, "", "text", "title-zh", Words::TitleZh, |f| f.title_zh.clone(), |f, v| f.title_zh = v)}
                {bound_input(form, "", "text", "title-en", Words::TitleEn, |f| f.title_en.clone(), |f, v| f.title_en = v)}
                {bound_input(form, "", "text", "post", Msg::Posts, |f| f.post.clone(), |f, v| f.post = v)}
                <label>
                    <span>{move || Words::Schedule.text(lang.get())}</span>
                    <select name="schedule-kind" on:change=move |ev| {
                        let k = ScheduleKind::parse(&event_target_value(&ev));
                        form.update(|f| f.kind = k);
                    }>
                        {ScheduleKind::ALL.into_iter().map(|k| view! {
                            <option value=k.as_str() selected=move || kind() == k>{move || crate::rounds::template_form::schedule_kind(lang.get(), k)}</option>
                        }).collect_view()}
                    </select>
                </label>
                {move || match kind() {
                    ScheduleKind::None => ().into_any(),
                    ScheduleKind::Fixed => bound_input(form, "", "text", "times", Words::Times, |f| f.times.clone(), |f, v| f.times = v).into_any(),
                    ScheduleKind::Every => view! {
                        {bound_input(form, "", "text", "every", Words::EveryMinutes, |f| f.every_minutes.clone(), |f, v| f.every_minutes = v)}
                        {bound_input(form, "", "text", "from", Msg::From, |f| f.from.clone(), |f, v| f.from = v)}
                        {bound_input(form, "", "text", "to", Msg::To, |f| f.to.clone(), |f, v| f.to = v)}
                    }.into_any(),
                    ScheduleKind::TimesPerDay => view! {
                        {bound_input(form, "", "text", "count", Words::TimesPerDay, |f| f.count.clone(), |f, v| f.count = v)}
                        {bound_input(form, "", "text", "from", Msg::From, |f| f.from.clone(), |f, v| f.from = v)}
                        {bound_input(form, "", "text", "to", Msg::To, |f| f.to.clone(), |f, v| f.to = v)}
                    }.into_any(),
                    ScheduleKind::Monthly => view! {
                        {bound_input(form, "", "text", "day", Words::DayOfMonth, |f| f.day_of_month.clone(), |f, v| f.day_of_month = v)}
                        {bound_input(form, "", "text", "from", Msg::From, |f| f.from.clone(), |f, v| f.from = v)}
                    }.into_any(),
                }}
                {move || (kind() != ScheduleKind::None).then(|| view! {
                    <div class="weekdays wide">
                        {Weekday::ALL.into_iter().map(|d| view! {
                            <label class="check">
                                <input type="checkbox" prop:checked=move || form.with(|f| f.runs_on(d)) on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    form.update(|f| f.days = if on { f.days.with(d) } else { f.days.without(d) });
                                }/>
                                <span>{move || i18n::weekday(lang.get(), d)}</span>
                            </label>
                        }).collect_view()}
                    </div>
                })}
                {bound_input(form, "", "text", "min-walk", Words::MinWalk, |f| f.min_walk.clone(), |f, v| f.min_walk = v)}
                <label class="check">
                    <input type="checkbox" name="active" prop:checked=move || form.with(|f| f.active) on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        form.update(|f| f.active = on);
                    }/>
                    <span>{move || Words::InUse.text(lang.get())}</span>
                </label>
            </div>
            <table class="items-table">
                <thead>
                    <tr>
                        <th>"ID"</th>
                        <th>{move || Msg::Area.text(lang.get())}</th>
                        <th>{move || Words::TitleZh.text(lang.get())}</th>
                        <th>{move || Words::TitleEn.text(lang.get())}</th>
                        <th>{move || Words::NoteOnAbnormal.text(lang.get())}</th>
                        <th>{move || Words::Department.text(lang.get())}</th>
                        <th title=move || Words::ScanWithinHelp.text(lang.get())>{move || Words::ScanWithin.text(lang.get())}</th>
                        <th></th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            <button type="button" class="btn secondary" data-action="add-item" on:click=move |_| form.update(|f| f.items.push(ItemForm { department: Some(Department::Engineering), ..ItemForm::default() }))>
                {move || Msg::AddItem.text(lang.get())}
            </button>
            <AreaScanRule form=form/>
            {move || error.get().map(|e| view! { <p class="error" role="alert" data-testid="template-error">{e}</p> })}
            <div class="form-actions">
                <button class="btn primary" type="submit" data-action="save-template">{move || Msg::Save.text(lang.get())}</button>
                <button class="btn ghost-dark" type="button" on:click=move |_| editing.set(None)>{move || Msg::Cancel.text(lang.get())}</button>
            </div>
        </form>
    }
}

/// One scan rule for a whole area: pick the area, type the minutes, and
/// every item in it gets them (empty minutes lift the rule). The items'
/// column shows the result and can still be changed row by row.
#[component]
fn AreaScanRule(form: RwSignal<TemplateForm>) -> impl IntoView {
    let lang = expect_context::<Store>().signals.lang;
    let area = RwSignal::new(String::new());
    let within = RwSignal::new(String::new());
    let areas = move || form.with(TemplateForm::areas);
    view! {
        <fieldset class="area-scan" data-testid="area-scan">
            <legend>{move || Words::AreaScan.text(lang.get())}</legend>
            <select name="area-scan-area" on:change=move |ev| area.set(event_target_value(&ev))>
                <option value="" selected=move || area.with(String::is_empty)>{move || Msg::Area.text(lang.get())}</option>
                {move || areas().into_iter().map(|a| {
                    let shown = a.clone();
                    let value = a.clone();
                    view! { <option value=value selected=move || area.with(|x| *x == a)>{shown}</option> }
                }).collect_view()}
            </select>
            <input type="text" inputmode="numeric" name="area-scan-within" placeholder=move || Words::ScanWithin.text(lang.get())
                prop:value=move || within.get() on:input=move |ev| within.set(event_target_value(&ev))/>
            <button type="button" class="btn secondary" data-action="area-scan"
                disabled=move || area.with(String::is_empty)
                on:click=move |_| {
                    let (a, w) = (area.get_untracked(), within.get_untracked());
                    form.update(|f| { f.set_area_scan(&a, &w); });
                }>
                {move || Words::AreaScanApply.text(lang.get())}
            </button>
        </fieldset>
    }
}
