//! Text inputs bound to one string of a form kept in a signal: the value
//! is read from the form, every keystroke is written back, and the form's
//! own type does the checking when it is submitted. One place for what
//! every form of the app repeats.

use crate::core::store::Store;
use crate::words::i18n::Text;
use leptos::prelude::*;

/// A labelled `<input type=kind name=name>` bound to one string of `form`.
/// `class` is the label's class (`"field"` in the record forms, `""` in the
/// administration forms, whose CSS styles bare labels).
pub fn bound_input<F: Send + Sync + 'static>(
    form: RwSignal<F>,
    class: &'static str,
    kind: &'static str,
    name: &'static str,
    label: impl Into<Text>,
    get: fn(&F) -> String,
    set: fn(&mut F, String),
) -> impl IntoView {
    let lang = expect_context::<Store>().signals.lang;
    let label: Text = label.into();
    view! {
        <label class=class>
            <span>{move || label.text(lang.get())}</span>
            <input
                type=kind
                name=name
                autocomplete="off"
                prop:value=move || form.with(get)
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    form.update(|f| set(f, v));
                }
            />
        </label>
    }
}

/// A table cell holding an input bound to one string of row `i` of the
/// form's rows (`rows` reads them, `rows_mut` writes them). A row removed
/// meanwhile reads as empty and ignores the keystroke.
pub fn bound_cell<F: Send + Sync + 'static, R: 'static>(
    form: RwSignal<F>,
    rows: fn(&F) -> &[R],
    rows_mut: fn(&mut F) -> &mut [R],
    i: usize,
    name: &'static str,
    get: fn(&R) -> String,
    set: fn(&mut R, String),
) -> impl IntoView {
    view! {
        <td>
            <input
                name=name
                autocomplete="off"
                prop:value=move || form.with(|f| rows(f).get(i).map(get).unwrap_or_default())
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    form.update(|f| {
                        if let Some(row) = rows_mut(f).get_mut(i) {
                            set(row, v);
                        }
                    });
                }
            />
        </td>
    }
}
