//! The desktop's editor of a hand-over book's equipment check list (what
//! the incoming person checks ✓ / × with the outgoing one). Kept out of
//! the day's cards, which are rebuilt on every change, so a list being
//! typed is not reset by a sync. Saving writes the site's list; tablets
//! use it as soon as it syncs, for every hand-over not yet taken over
//! (what was checked keeps its labels).

use crate::core::ids::new_id;
use crate::core::store::Store;
use crate::handover::equipment_form::{EquipmentForm, EquipmentRow};
use crate::handover::words::Words;
use crate::platform::random::random_bytes;
use crate::ui::bound_input::bound_cell;
use crate::words::i18n::Msg;
use leptos::prelude::*;
use shiftbook_model::handover::Book;

/// The form's rows, for the bound cells.
fn rows(f: &EquipmentForm) -> &[EquipmentRow] {
    &f.rows
}

/// The form's rows, to write.
fn rows_mut(f: &mut EquipmentForm) -> &mut [EquipmentRow] {
    &mut f.rows
}

/// One book's list editor, folded under its title.
#[component]
pub fn EquipmentEditor(book: Book) -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let form = RwSignal::new(EquipmentForm::of(&book));
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let saved = RwSignal::new(false);
    let book_id = book.id.clone();
    let conflicts = store.derived(move |s| s.equipment_list_conflicts(&book_id).len());
    let save = {
        let store = store.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            saved.set(false);
            match store.put_equipment_list(&form.with_untracked(EquipmentForm::to_list)) {
                Ok(()) => {
                    error.set(None);
                    saved.set(true);
                }
                Err(e) => error.set(Some(e.text(lang.get_untracked()))),
            }
        }
    };
    let rows = move || {
        let n = form.with(|f| f.rows.len());
        (0..n)
            .map(|i| {
                view! {
                    <tr data-equipment-row=i.to_string()>
                        {bound_cell(form, rows, rows_mut, i, "equipment-zh", |r| r.zh.clone(), |r, v| r.zh = v)}
                        {bound_cell(form, rows, rows_mut, i, "equipment-en", |r| r.en.clone(), |r, v| r.en = v)}
                        <td class="row-actions">
                            <button type="button" class="btn ghost-dark small" data-action="remove-equipment" on:click=move |_| form.update(|f| f.remove(i))>"✕"</button>
                        </td>
                    </tr>
                }
            })
            .collect_view()
    };
    let title = book.title.clone();
    view! {
        <details class="ho-equipment-edit" data-testid="equipment-editor" data-book=book.id.clone()>
            <summary>
                {move || title.get(lang.get()).to_owned()} " · "
                {move || Words::HoEquipmentList.text(lang.get())} " (" {move || form.with(|f| f.rows.len())} ")"
            </summary>
            <form class="member-form" on:submit=save>
                {move || (conflicts.get() > 0).then(|| view! {
                    <p class="conflict" role="alert">{Msg::ConcurrentItemLists.text(lang.get())}</p>
                })}
                <table class="items-table">
                    <thead>
                        <tr>
                            <th>{move || Msg::ItemZh.text(lang.get())}</th>
                            <th>{move || Msg::ItemEn.text(lang.get())}</th>
                            <th></th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
                <button type="button" class="btn secondary" data-action="add-equipment" on:click=move |_| form.update(|f| f.add_row(new_id("eq", random_bytes::<4>())))>
                    {move || Msg::AddItem.text(lang.get())}
                </button>
                {move || error.get().map(|e| view! { <p class="error" role="alert" data-testid="equipment-error">{e}</p> })}
                {move || saved.get().then(|| view! { <p class="saved-note ok" data-testid="equipment-saved">"✓ " {Words::HoEquipmentSaved.text(lang.get())}</p> })}
                <div class="form-actions">
                    <button class="btn primary" type="submit" data-action="save-equipment">{move || Msg::Save.text(lang.get())}</button>
                </div>
            </form>
        </details>
    }
}
