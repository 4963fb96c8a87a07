//! The supervisor's desktop: one site at a time (a picker when the
//! supervisor has several), a left sidebar of tabs grouped by section
//! (`shell/sidebar.rs`, the screens with a desktop tab in
//! [`crate::nav::Screen`]) — the dashboard (the first screen),
//! today's round, follow-ups, past days, checklists; the show flats, the
//! key register, work permits; the hand-overs, the duty log, visitors,
//! owner requests and complaints, the owner-visit record; the staff
//! roster, the security log and the site settings — and the tab's content
//! in the rest of the width. The tab lives in the address's fragment
//! (`/supervisor#roster`, `#complaint/<month>/<id>` inside the complaints
//! tab), so a reload stays on it.

use crate::admin::roster::RosterAdmin;
use crate::admin::security_log::SecurityLogPanel;
use crate::admin::settings::SettingsAdmin;
use crate::complaints::page::ComplaintsDesk;
use crate::core::store::Store;
use crate::core::supervisor::{self, SupervisorSite};
use crate::dashboard::page::DashboardPanel;
use crate::duty_log::page::DutyLogPanel;
use crate::handover::desk::HandoversDesk;
use crate::keys::page::KeysPanel;
use crate::nav::Screen;
use crate::owner_visits::page::OwnerVisitsPanel;
use crate::permits::desk::PermitsAdmin;
use crate::rounds::checkpoints_desk::CheckpointsAdmin;
use crate::rounds::followups::FollowUpsPanel;
use crate::rounds::history::HistoryPanel;
use crate::rounds::templates_desk::TemplatesAdmin;
use crate::shell::sidebar::DeskSidebar;
use crate::shell::tablet::Routed;
use crate::show_flat::desk::FlatsAdmin;
use crate::ui::{banners::Banners, header::Header, print_stamp::PrintStamp};
use crate::visitors::page::VisitorsPanel;
use crate::words::i18n::Msg;
use leptos::prelude::*;

fn current_fragment() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// The desktop page for the store's site; `sites` are all the supervisor's.
#[component]
pub fn DesktopPage(sites: Vec<SupervisorSite>) -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let tab = RwSignal::new(Screen::on_desk(&current_fragment()));
    let current_site = store.enrolment().site;
    // Links inside a tab (a summary's "open the count") change the
    // fragment; follow them to the tab they name.
    let listener = window_event_listener(leptos::ev::hashchange, move |_| {
        tab.set(Screen::on_desk(&current_fragment()));
    });
    on_cleanup(move || listener.remove());
    let picker = (sites.len() > 1).then(|| {
        let options = sites
            .iter()
            .map(|s| {
                let selected = s.id == current_site;
                view! { <option value=s.id.clone() selected=selected>{s.name.clone()}</option> }
            })
            .collect_view();
        view! {
            <label class="site-picker">
                <span>{move || Msg::SitePicker.text(lang.get())}</span>
                <select data-testid="site-picker" on:change=move |ev| {
                    supervisor::choose_site(&event_target_value(&ev));
                    if let Some(w) = web_sys::window() {
                        let _ = w.location().reload();
                    }
                }>
                    {options}
                </select>
            </label>
        }
    });
    view! {
        <Header date=crate::platform::clock::today()/>
        <div class="shell desk">
        <DeskSidebar tab=tab>{picker}</DeskSidebar>
        <div class="shell-main">
        <Banners/>
        <PrintStamp/>
        {move || match tab.get() {
            // A flat's count or a book's day opened from its tab.
            Screen::ShowFlat | Screen::Handover if Screen::desk_shows_record(&current_fragment()) => {
                view! { <Routed/> }.into_any()
            }
            Screen::Dashboard => view! { <DashboardPanel sites=sites.clone()/> }.into_any(),
            Screen::Agenda => view! { <Routed/> }.into_any(),
            Screen::FollowUps => view! { <FollowUpsPanel/> }.into_any(),
            Screen::History => view! { <HistoryPanel/> }.into_any(),
            Screen::ShowFlat => view! { <FlatsAdmin/> }.into_any(),
            Screen::Keys => view! { <KeysPanel/> }.into_any(),
            Screen::Permits => view! { <PermitsAdmin/> }.into_any(),
            Screen::Handover => view! { <HandoversDesk/> }.into_any(),
            Screen::Complaints => view! { <ComplaintsDesk/> }.into_any(),
            Screen::OwnerVisits => {
                let month = match crate::nav::route::Route::from_fragment(&current_fragment()) {
                    crate::nav::route::Route::OwnerVisits(month) => month,
                    _ => None,
                };
                view! { <OwnerVisitsPanel month=month/> }.into_any()
            }
            Screen::DutyLog => view! { <DutyLogPanel date=crate::core::service_day::current_service_day()/> }.into_any(),
            Screen::Visitors => view! { <VisitorsPanel/> }.into_any(),
            Screen::Templates => view! { <TemplatesAdmin/> }.into_any(),
            Screen::Checkpoints => view! { <CheckpointsAdmin/> }.into_any(),
            Screen::Roster => view! { <RosterAdmin/> }.into_any(),
            Screen::Security => view! { <SecurityLogPanel/> }.into_any(),
            Screen::Settings => view! { <SettingsAdmin/> }.into_any(),
        }}
        </div>
        </div>
    }
}
