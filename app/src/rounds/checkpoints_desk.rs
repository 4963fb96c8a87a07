//! The supervisor's checkpoints (巡更点, desktop): every checkpoint of the
//! site with what it proves and its label; add or change one (name, place, the
//! checklist items or whole areas a scan there proves), revoke a lost
//! label (its code stops counting, a new label is printed), retire one.
//! Then the day's checkpoint report (`coverage_desk.rs`). The page ends
//! with the A4 sheet of labels — a QR code, the name, the
//! site — which the desktop's print button prints alone.

use crate::core::store::Store;
use crate::platform::random::random_bytes;
use crate::rounds::checkpoints::new_checkpoint_code;
use crate::rounds::coverage_desk::CoverageReport;
use crate::rounds::words::Words;
use crate::words::i18n::Msg;
use leptos::prelude::*;
use shiftbook_model::Lang;
use shiftbook_model::checkpoints::{Checkpoint, Proves};
use shiftbook_model::template::Template;

/// The QR code of `text` as an SVG image, black on white.
pub fn qr_svg(text: &str) -> String {
    match qrcode::QrCode::new(text.as_bytes()) {
        Ok(code) => code
            .render::<qrcode::render::svg::Color<'_>>()
            .min_dimensions(160, 160)
            .quiet_zone(true)
            .build(),
        Err(_) => String::new(),
    }
}

/// What `cp` proves, in words: "大堂开班巡查:电梯与水牌(整区)、大门开关正常".
fn proves_text(cp: &Checkpoint, templates: &[Template], lang: Lang) -> String {
    let mut parts = Vec::new();
    for p in &cp.proves {
        let t = templates.iter().find(|t| t.id == p.template);
        let title = t.map_or_else(|| p.template.clone(), |t| t.title.get(lang).to_owned());
        let what = if p.item.is_empty() {
            format!("{}({})", p.area, Words::WholeArea.text(lang))
        } else {
            t.and_then(|t| t.item(&p.item))
                .map_or_else(|| p.item.clone(), |i| i.label.get(lang).to_owned())
        };
        parts.push(format!("{title}:{what}"));
    }
    parts.join("、")
}

/// The areas of `t` in walking order, each once (Chinese names, as
/// [`Proves::area`] keeps them).
fn areas(t: &Template) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for i in &t.items {
        if !out.contains(&i.area.zh) {
            out.push(i.area.zh.clone());
        }
    }
    out
}

/// The checkpoints page.
#[component]
pub fn CheckpointsAdmin() -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let checkpoints = store.derived(Store::checkpoints);
    let templates = store.derived(Store::templates);
    let editing: RwSignal<Option<Checkpoint>> = RwSignal::new(None);
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let site = store.enrolment().site_name;
    let site = if site.is_empty() {
        store.enrolment().site
    } else {
        site
    };
    let revoke = {
        let store = store.clone();
        move |id: String, reason: String| {
            error.set(
                store
                    .revoke_checkpoint_label(&id, &reason)
                    .err()
                    .map(|e| e.text(lang.get_untracked())),
            );
        }
    };
    let set_active = {
        let store = store.clone();
        move |mut cp: Checkpoint, active: bool| {
            cp.active = active;
            error.set(
                store
                    .put_checkpoint(&cp)
                    .err()
                    .map(|e| e.text(lang.get_untracked())),
            );
        }
    };
    view! {
        <main class="admin" data-testid="checkpoints-admin">
            <section class="card admin-head">
                <div>
                    <h1>{move || Words::Checkpoints.text(lang.get())}</h1>
                    <p class="muted">{move || Words::CheckpointsHelp.text(lang.get())}</p>
                </div>
                <button class="btn primary" data-action="add-checkpoint" on:click=move |_| editing.set(Some(new_checkpoint()))>
                    {move || Words::AddCheckpoint.text(lang.get())}
                </button>
            </section>
            {move || editing.get().map(|cp| view! { <CheckpointForm start=cp editing=editing templates=templates/> })}
            {move || error.get().map(|e| view! { <p class="card error" role="alert">{e}</p> })}
            <CoverageReport/>
            <section class="card admin-body screen-only">
                <table class="roster-table" data-testid="checkpoints">
                    <thead>
                        <tr>
                            <th>{move || Words::CheckpointName.text(lang.get())}</th>
                            <th>{move || Words::Place.text(lang.get())}</th>
                            <th>{move || Words::Proves.text(lang.get())}</th>
                            <th>{move || Words::Label.text(lang.get())}</th>
                            <th></th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || {
                            let lang = lang.get();
                            let templates = templates.get();
                            checkpoints.get().into_iter().map(|cp| {
                                let reason = RwSignal::new(String::new());
                                let revoke = revoke.clone();
                                let set_active = set_active.clone();
                                let id = cp.id.clone();
                                let toggle = cp.clone();
                                let edit = cp.clone();
                                let active = cp.active;
                                view! {
                                    <tr data-checkpoint=cp.id.clone() class:inactive=!active>
                                        <td class="name">{cp.name.clone()}</td>
                                        <td>{cp.place.clone()}</td>
                                        <td class="muted">{proves_text(&cp, &templates, lang)}</td>
                                        <td>{format!("#{}", cp.revoked.len() + 1)}</td>
                                        <td class="actions">
                                            <input type="text" maxlength="200" data-testid="revoke-reason"
                                                placeholder=Words::RevokeReason.text(lang)
                                                prop:value=move || reason.get()
                                                on:input=move |ev| reason.set(event_target_value(&ev))/>
                                            <button class="btn secondary small" data-action="revoke-label"
                                                on:click=move |_| revoke(id.clone(), reason.get_untracked())>
                                                {Words::RevokeLabel.text(lang)}
                                            </button>
                                            <button class="btn secondary small" data-action="edit-checkpoint"
                                                on:click=move |_| editing.set(Some(edit.clone()))>
                                                {Msg::EditPerson.text(lang)}
                                            </button>
                                            <button class="btn ghost-dark small" data-action="retire-checkpoint"
                                                on:click=move |_| set_active(toggle.clone(), !active)>
                                                {if active { Words::Retire.text(lang) } else { Words::Reuse.text(lang) }}
                                            </button>
                                        </td>
                                    </tr>
                                }
                            }).collect_view()
                        }}
                    </tbody>
                </table>
            </section>
            <section class="card label-sheet" data-testid="label-sheet">
                <h2 class="screen-only">{move || Words::LabelSheet.text(lang.get())}</h2>
                <div class="labels">
                    {move || checkpoints.get().into_iter().filter(|c| c.active).map(|cp| {
                        let svg = qr_svg(&cp.label_text());
                        view! {
                            <figure class="cp-label" data-label=cp.id.clone() data-text=cp.label_text()>
                                <div class="qr" inner_html=svg></div>
                                <figcaption>
                                    <b>{cp.name.clone()}</b>
                                    <span>{site.clone()}</span>
                                    <small>{cp.place.clone()} " · #" {cp.revoked.len() + 1}</small>
                                </figcaption>
                            </figure>
                        }
                    }).collect_view()}
                </div>
            </section>
        </main>
    }
}

/// A checkpoint not saved yet: a new id and label code, nothing else.
fn new_checkpoint() -> Checkpoint {
    let hex: String = random_bytes::<4>()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Checkpoint {
        id: format!("cp-{hex}"),
        name: String::new(),
        place: String::new(),
        proves: Vec::new(),
        code: new_checkpoint_code(),
        revoked: Vec::new(),
        active: true,
    }
}

/// A checkpoint's name, place, and the items or areas it proves; its id,
/// label and revoked labels stay as they are.
#[component]
fn CheckpointForm(
    start: Checkpoint,
    editing: RwSignal<Option<Checkpoint>>,
    templates: Memo<Vec<Template>>,
) -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let name = RwSignal::new(start.name.clone());
    let place = RwSignal::new(start.place.clone());
    let first = start.proves.first().map(|p| p.template.clone());
    let template = RwSignal::new(first.unwrap_or_else(|| {
        templates.with_untracked(|t| {
            t.iter()
                .find(|t| t.active)
                .map(|t| t.id.clone())
                .unwrap_or_default()
        })
    }));
    let proves: RwSignal<Vec<Proves>> = RwSignal::new(start.proves.clone());
    let start = StoredValue::new(start);
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let toggle = move |p: Proves, on: bool| {
        proves.update(|all| {
            all.retain(|x| *x != p);
            if on {
                all.push(p);
            }
        });
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let cp = Checkpoint {
            name: name.get_untracked().trim().to_owned(),
            place: place.get_untracked().trim().to_owned(),
            proves: proves.get_untracked(),
            ..start.get_value()
        };
        match store.put_checkpoint(&cp) {
            Ok(()) => editing.set(None),
            Err(e) => error.set(Some(e.text(lang.get_untracked()))),
        }
    };
    let chosen = move || templates.with(|all| all.iter().find(|t| t.id == template.get()).cloned());
    view! {
        <form class="card member-form checkpoint-form" data-testid="checkpoint-form" on:submit=submit>
            <div class="fields">
                <label>
                    <span>{move || Words::CheckpointName.text(lang.get())}</span>
                    <input type="text" name="checkpoint-name" maxlength="40" required
                        prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                </label>
                <label>
                    <span>{move || Words::Place.text(lang.get())}</span>
                    <input type="text" name="checkpoint-place" maxlength="40"
                        prop:value=move || place.get() on:input=move |ev| place.set(event_target_value(&ev))/>
                </label>
                <label>
                    <span>{move || Msg::TabTemplates.text(lang.get())}</span>
                    <select name="checkpoint-template" on:change=move |ev| template.set(event_target_value(&ev))>
                        {move || templates.get().into_iter().filter(|t| t.active).map(|t| {
                            let selected = t.id == template.get_untracked();
                            view! { <option value=t.id.clone() selected=selected>{t.title.get(lang.get()).to_owned()}</option> }
                        }).collect_view()}
                    </select>
                </label>
            </div>
            <p class="muted">{move || Words::ProvesHelp.text(lang.get())}</p>
            <div class="proves">
                {move || chosen().map(|t| {
                    let lang = lang.get();
                    areas(&t).into_iter().map(|area| {
                        let whole = Proves::area(&t.id, &area);
                        let whole_check = whole.clone();
                        let items: Vec<_> = t.items.iter().filter(|i| i.area.zh == area).cloned().collect();
                        let tid = t.id.clone();
                        view! {
                            <fieldset class="proves-area">
                                <label class="check">
                                    <input type="checkbox" name="proves-area" value=area.clone()
                                        prop:checked=move || proves.with(|p| p.contains(&whole_check))
                                        on:change=move |ev| toggle(whole.clone(), event_target_checked(&ev))/>
                                    <b>{area.clone()} " (" {Words::WholeArea.text(lang)} ")"</b>
                                </label>
                                {items.into_iter().map(|i| {
                                    let one = Proves::item(&tid, &i.id);
                                    let one_check = one.clone();
                                    view! {
                                        <label class="check">
                                            <input type="checkbox" name="proves-item" value=i.id.clone()
                                                prop:checked=move || proves.with(|p| p.contains(&one_check))
                                                on:change=move |ev| toggle(one.clone(), event_target_checked(&ev))/>
                                            <span>{i.label.get(lang).to_owned()}</span>
                                        </label>
                                    }
                                }).collect_view()}
                            </fieldset>
                        }
                    }).collect_view()
                })}
            </div>
            {move || error.get().map(|e| view! { <p class="error" role="alert" data-testid="checkpoint-error">{e}</p> })}
            <div class="form-actions">
                <button class="btn primary" type="submit" data-action="save-checkpoint">{move || Msg::Save.text(lang.get())}</button>
                <button class="btn ghost-dark" type="button" on:click=move |_| editing.set(None)>{move || Msg::Cancel.text(lang.get())}</button>
            </div>
        </form>
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use shiftbook_model::checkpoints::new_code;
    use shiftbook_model::template::lobby_opening;

    #[test]
    fn a_label_is_a_qr_code_that_reads_back_as_the_checkpoints_code() {
        let code = new_code([11; 16]);
        let text = shiftbook_model::checkpoints::label_text(&code);
        let svg = qr_svg(&text);
        assert!(
            svg.starts_with("<?xml") && svg.contains("<svg"),
            "{}",
            &svg[..40]
        );
        // The same modules, drawn as pixels, decode to the label's text.
        let qr = qrcode::QrCode::new(text.as_bytes()).unwrap();
        let n = qr.width();
        let colors = qr.to_colors();
        let (scale, size) = (4, (n + 8) * 4);
        let pixel = |x: usize, y: usize| {
            let (cx, cy) = ((x / scale).wrapping_sub(4), (y / scale).wrapping_sub(4));
            let dark = cx < n && cy < n && colors[cy * n + cx] == qrcode::Color::Dark;
            if dark { 0 } else { 255 }
        };
        let read = crate::platform::qr::decode_luma(size, size, pixel);
        assert_eq!(
            shiftbook_model::checkpoints::code_of_label(&read[0]),
            Some(code)
        );
    }

    #[test]
    fn what_a_checkpoint_proves_reads_as_the_templates_say_it() {
        let t = lobby_opening();
        let cp = Checkpoint {
            id: "cp-1".into(),
            name: "大门".into(),
            place: String::new(),
            proves: vec![
                Proves::area("lobby-opening", "电梯与水牌"),
                Proves::item("lobby-opening", "doors"),
            ],
            code: new_code([1; 16]),
            revoked: Vec::new(),
            active: true,
        };
        assert_eq!(
            proves_text(&cp, std::slice::from_ref(&t), Lang::Zh),
            "大堂开班巡查:电梯与水牌(整区)、大堂开班巡查:大门开关正常"
        );
        assert_eq!(areas(&t)[0], "出入口与扶梯");
        assert_eq!(areas(&t).len(), 4);
    }
}
