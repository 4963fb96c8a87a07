//! The signed-in tablet: the left navigation rail beside the agenda, or
//! beside the screen the address's fragment names (`#round/…`,
//! `#duty-log/…`, `#visitors`, …), following the fragment as it changes —
//! so the back button, a reload or a crash lands on the same screen.

use crate::nav::route::{Route, followed_route};
use crate::rounds::agenda::AgendaPage;
use crate::shell::rail::NavRail;
use crate::shell::split_points::*;
use crate::ui::{banners::Banners, header::Header};
use leptos::prelude::*;

/// The agenda or another screen, as `route` (by default the fragment)
/// says.
#[component]
pub fn Routed(#[prop(optional)] route: Option<RwSignal<Route>>) -> impl IntoView {
    let route = route.unwrap_or_else(followed_route);
    move || match route.get() {
        Route::Agenda => view! { <AgendaPage alerts=|| screen(handover_alerts_view)/> }.into_any(),
        Route::Round(r) => screen(move || round_screen(r.clone())),
        Route::FollowUps => screen(followups_screen),
        Route::History => screen(history_screen),
        Route::Flat(flat, date) => screen(move || flat_screen(flat.clone(), date.clone())),
        Route::Keys => screen(keys_screen),
        Route::Permits => screen(permits_screen),
        Route::Handover(book, date) => screen(move || handover_screen(book.clone(), date.clone())),
        Route::Complaints => screen(complaints_screen),
        Route::Complaint(month, id) => screen(move || complaint_screen(month.clone(), id.clone())),
        Route::OwnerVisits(month) => screen(move || owner_visits_screen(month.clone())),
        Route::DutyLog(date) => screen(move || duty_log_screen(date.clone())),
        Route::Visitors => screen(visitors_screen),
    }
}

/// The tablet's page once someone is signed in: the rail on the left, the
/// screen in the rest of the width.
#[component]
pub fn TabletPage() -> impl IntoView {
    let route = followed_route();
    view! {
        <Header date=crate::platform::clock::today()/>
        <div class="shell">
            <NavRail route=route/>
            <div class="shell-main">
                <Banners/>
                <Routed route=route/>
            </div>
        </div>
    }
}
