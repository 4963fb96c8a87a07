//! The tablet's left rail, beside every screen: one big target per screen
//! (a glyph and a short label), the current one highlighted, red counts
//! where something needs someone. What it lists, where each goes and
//! which is current come from [`crate::nav::rail`]; the counts from
//! [`loaded_badges`].

use crate::core::store::Store;
use crate::nav::route::Route;
use crate::nav::route::go;
use crate::nav::{RailItem, Screen, Targets, rail};
use crate::shell::badges::loaded_badges;
use crate::words::i18n::Msg;
use leptos::prelude::*;
use shiftbook_model::Lang;

/// The rail for the screen `route` shows.
#[component]
pub fn NavRail(route: RwSignal<Route>) -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let badges = loaded_badges(&store);
    // The dates move at midnight (and the service day at 06:00).
    let minute = crate::platform::ticker::ticker(60);
    let start = store.signals.start;
    let targets = Memo::new(move |_| {
        minute.track();
        start.with(|d| Targets {
            today: crate::platform::clock::today(),
            service_day: crate::core::service_day::current_service_day(),
            first_book: d.first_book.clone(),
            first_flat: d.first_flat.clone(),
        })
    });
    let items = Memo::new(move |_| targets.with(|t| badges.with(|b| rail(&route.get(), t, b))));
    let screens =
        Memo::new(move |_| items.with(|v| v.iter().map(|i| i.screen).collect::<Vec<_>>()));
    view! {
        <nav class="nav-rail" data-testid="nav-rail" aria-label=move || Msg::NavName.text(lang.get())>
            <For each=move || screens.get() key=|s| *s let:screen>
                <RailButton screen=screen items=items lang=lang/>
            </For>
        </nav>
    }
}

/// One target, re-rendering only its own parts as the rail changes.
#[component]
fn RailButton(screen: Screen, items: Memo<Vec<RailItem>>, lang: RwSignal<Lang>) -> impl IntoView {
    let item = Memo::new(move |_| items.with(|v| v.iter().find(|i| i.screen == screen).cloned()));
    let active = move || item.with(|i| i.as_ref().is_some_and(|i| i.active));
    let count = move || item.with(|i| i.as_ref().and_then(|i| i.count));
    let place = screen.rail();
    view! {
        <button
            class="rail-item"
            class:active=active
            class:group-start=move || item.with(|i| i.as_ref().is_some_and(|i| i.starts_group))
            aria-current=move || active().then_some("page")
            data-action=place.map(|p| p.action)
            data-book=move || item.with(|i| i.as_ref().and_then(RailItem::book))
            data-flat=move || item.with(|i| i.as_ref().and_then(RailItem::flat))
            on:click=move |_| {
                if let Some(route) = item.with_untracked(|i| i.as_ref().map(|i| i.route.clone())) {
                    go(&route);
                }
            }
        >
            <span class="glyph" aria-hidden="true">{screen.glyph()}</span>
            <span class="label">{move || place.map(|p| p.label.text(lang.get()))}</span>
            {move || screen.badge().zip(count()).map(|(badge, n)| view! {
                <b class="count" data-testid=badge.testid() title=move || badge.meaning().text(lang.get())>{n}</b>
            })}
        </button>
    }
}
