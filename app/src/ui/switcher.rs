//! A row of big buttons to switch between sibling records of one screen —
//! the hand-over books of the person's posts, the site's show flats — when
//! there are several: the navigation opens the first, this row the others.
//! The one shown is marked; a red count says where something needs
//! someone.

use crate::nav::route::Route;
use crate::nav::route::go;
use crate::words::i18n::Text;
use leptos::prelude::*;
use shiftbook_model::Lang;

/// One record to switch to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// Its id (`data-option`).
    pub id: String,
    /// Its name.
    pub label: String,
    /// A red count (0: none).
    pub count: usize,
    /// Whether it is the one shown.
    pub current: bool,
    /// Where it opens.
    pub route: Route,
}

/// The row; nothing when there are fewer than two choices. Buttons carry
/// `data-action="switch-<kind>"`.
#[component]
pub fn Switcher(
    kind: &'static str,
    #[prop(into)] label: Text,
    lang: RwSignal<Lang>,
    #[prop(into)] choices: Signal<Vec<Choice>>,
) -> impl IntoView {
    move || {
        let list = choices.get();
        (list.len() > 1).then(|| {
            view! {
                <nav class="switcher card" data-testid=format!("{kind}-switcher")>
                    <span class="switcher-label muted">{move || label.text(lang.get())}</span>
                    {list.into_iter().map(|c| {
                        let route = c.route.clone();
                        view! {
                            <button
                                class="btn switch"
                                class:current=c.current
                                aria-current=c.current.then_some("page")
                                data-action=format!("switch-{kind}")
                                data-option=c.id.clone()
                                on:click=move |_| go(&route)
                            >
                                {c.label.clone()}
                                {(c.count > 0).then(|| view! { <b class="count">{c.count}</b> })}
                            </button>
                        }
                    }).collect_view()}
                </nav>
            }
        })
    }
}
