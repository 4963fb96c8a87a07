//! What a desktop search across days found, as the searches show it (duty
//! log, visitor log): the reason the search cannot run, a line saying
//! nothing was found, or a table with one row per result.

use crate::words::i18n::Text;
use leptos::prelude::*;
use shiftbook_model::Lang;

/// The results of `found` in a table of class `class` under `headers`, one
/// `row` each; `empty` says nothing was found.
pub fn found_table<R, V>(
    found: Memo<Result<Vec<R>, String>>,
    lang: RwSignal<Lang>,
    class: &'static str,
    empty: impl Into<Text>,
    headers: Vec<Text>,
    row: impl Fn(R) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView
where
    R: Clone + PartialEq + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let empty: Text = empty.into();
    move || {
        match found.get() {
        Err(e) => view! { <p class="error">{e}</p> }.into_any(),
        Ok(rows) if rows.is_empty() => {
            view! { <p class="muted">{move || empty.text(lang.get())}</p> }.into_any()
        }
        Ok(rows) => view! {
            <table class=format!("security-table {class}")>
                <thead><tr>
                    {headers.iter().copied().map(|h| view! { <th>{move || h.text(lang.get())}</th> }).collect_view()}
                </tr></thead>
                <tbody>{rows.into_iter().map(row.clone()).collect_view()}</tbody>
            </table>
        }
        .into_any(),
    }
    }
}
