//! The ↑ and ✕ that end each row of a form's editable list (a template's
//! items, a show flat's item list): move the row up one, remove it.

use leptos::prelude::*;

/// Move row `i` of `rows` up one; nothing for the first row or one past
/// the end (removed meanwhile).
pub fn move_up<R>(rows: &mut [R], i: usize) {
    if i > 0 && i < rows.len() {
        rows.swap(i - 1, i);
    }
}

/// The table cell with row `i`'s ↑ and ✕, on the list `rows` of `form`.
pub fn row_actions<F: Send + Sync + 'static, R: 'static>(
    form: RwSignal<F>,
    rows: fn(&mut F) -> &mut Vec<R>,
    i: usize,
) -> impl IntoView {
    view! {
        <td class="row-actions">
            <button type="button" class="btn ghost-dark small" on:click=move |_| form.update(|f| move_up(rows(f), i))>"↑"</button>
            <button type="button" class="btn ghost-dark small" on:click=move |_| form.update(|f| {
                let rows = rows(f);
                if i < rows.len() {
                    rows.remove(i);
                }
            })>"✕"</button>
        </td>
    }
}

#[cfg(test)]
mod tests {
    use super::move_up;

    #[test]
    fn a_row_moves_up_one_and_the_first_or_a_missing_one_stays() {
        let mut rows = vec!['a', 'b', 'c'];
        move_up(&mut rows, 2);
        assert_eq!(rows, ['a', 'c', 'b']);
        move_up(&mut rows, 0);
        move_up(&mut rows, 9);
        assert_eq!(rows, ['a', 'c', 'b']);
    }
}
