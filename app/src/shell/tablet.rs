//! The signed-in tablet: the left navigation rail beside the agenda, or
//! beside the screen the address's fragment names (`#round/…`,
//! `#duty-log/…`, `#visitors`, …), following the fragment as it changes —
//! so the back button, a reload or a crash lands on the same screen.

use crate::complaints::complaint::ComplaintPanel;
use crate::complaints::page::ComplaintsPanel;
use crate::duty_log::page::DutyLogPanel;
use crate::handover::alerts::HandoverAlerts;
use crate::handover::page::HandoverPanel;
use crate::keys::page::KeysPanel;
use crate::nav::route::{Route, followed_route};
use crate::owner_visits::page::OwnerVisitsPanel;
use crate::permits::page::PermitsPanel;
use crate::rounds::agenda::AgendaPage;
use crate::rounds::followups::FollowUpsPanel;
use crate::rounds::history::HistoryPanel;
use crate::rounds::page::RoundPanel;
use crate::shell::rail::NavRail;
use crate::show_flat::page::ShowFlatPanel;
use crate::ui::{banners::Banners, header::Header};
use crate::visitors::page::VisitorsPanel;
use leptos::prelude::*;

/// The agenda or another screen, as `route` (by default the fragment)
/// says.
#[component]
pub fn Routed(#[prop(optional)] route: Option<RwSignal<Route>>) -> impl IntoView {
    let route = route.unwrap_or_else(followed_route);
    move || match route.get() {
        Route::Agenda => view! { <AgendaPage alerts=|| view! { <HandoverAlerts/> }/> }.into_any(),
        Route::Round(r) => view! { <RoundPanel round=r/> }.into_any(),
        Route::FollowUps => view! { <FollowUpsPanel/> }.into_any(),
        Route::History => view! { <HistoryPanel/> }.into_any(),
        Route::Flat(flat, date) => view! { <ShowFlatPanel flat=flat date=date/> }.into_any(),
        Route::Keys => view! { <KeysPanel/> }.into_any(),
        Route::Permits => view! { <PermitsPanel/> }.into_any(),
        Route::Handover(book, date) => view! { <HandoverPanel book=book date=date/> }.into_any(),
        Route::Complaints => view! { <ComplaintsPanel/> }.into_any(),
        Route::Complaint(month, id) => view! { <ComplaintPanel month=month id=id/> }.into_any(),
        Route::OwnerVisits(month) => view! { <OwnerVisitsPanel month=month/> }.into_any(),
        Route::DutyLog(date) => view! { <DutyLogPanel date=date/> }.into_any(),
        Route::Visitors => view! { <VisitorsPanel/> }.into_any(),
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
