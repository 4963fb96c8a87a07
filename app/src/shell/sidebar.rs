//! The supervisor desktop's left sidebar: the tabs under their section
//! headings ([`crate::nav::sidebar`]), the current one highlighted, the
//! navigation's red counts ([`loaded_badges`]); anything passed as children
//! (the site picker) above them. Choosing a tab puts it in the address's
//! fragment, so a reload stays on it.

use crate::core::store::Store;
use crate::nav::{Screen, sidebar};
use crate::shell::badges::loaded_badges;
use leptos::prelude::*;

/// The sidebar; `tab` is the tab shown.
#[component]
pub fn DeskSidebar(
    tab: RwSignal<Screen>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let badges = loaded_badges(&store);
    let groups = Memo::new(move |_| badges.with(|b| sidebar(tab.get(), b)));
    // The fragment first: the content reads it when the tab changes.
    let choose = move |screen: Screen, fragment: &str| {
        if let Some(w) = web_sys::window() {
            let _ = w.location().set_hash(fragment);
        }
        tab.set(screen);
    };
    // The layout never changes, only what is current and the counts: the
    // buttons stay, so a click never lands on a replaced element.
    let initial = groups.get_untracked();
    view! {
        <nav class="desk-sidebar" data-testid="desktop-tabs">
            {children.map(|c| c())}
            {initial.into_iter().map(|g| {
                let section = g.section;
                view! {
                    <section class="desk-group" data-section=section.key()>
                        <h2>{move || section.label().text(lang.get())}</h2>
                        {g.items.into_iter().map(|i| {
                            let (t, fragment, label) = (i.screen, i.tab, i.label);
                            let item = move || groups.with(|gs| gs.iter().flat_map(|g| g.items.iter()).find(|i| i.screen == t).copied());
                            let active = move || item().is_some_and(|i| i.active);
                            view! {
                                <button
                                    class="tab"
                                    class:active=active
                                    aria-current=move || active().then_some("page")
                                    data-tab=fragment
                                    on:click=move |_| choose(t, fragment)
                                >
                                    <span class="glyph" aria-hidden="true">{t.glyph()}</span>
                                    <span class="label">{move || label.text(lang.get())}</span>
                                    {move || t.badge().zip(item().and_then(|i| i.count)).map(|(badge, n)| view! {
                                        <b class="count" data-testid=badge.testid() title=move || badge.meaning().text(lang.get())>{n}</b>
                                    })}
                                </button>
                            }
                        }).collect_view()}
                    </section>
                }
            }).collect_view()}
        </nav>
    }
}
