//! The supervisor's desktop: one site at a time (a picker when the
//! supervisor has several), with tabs for today's round, follow-ups, past
//! days, the show flats, the key register, work permits, the hand-overs,
//! the duty log, visitors, owner requests and complaints, the owner-visit
//! record, templates, the staff roster, the security log and the site
//! settings. The tab lives in the address's fragment
//! (`/supervisor#roster`, `#complaint/<month>/<id>` inside the complaints
//! tab), so a reload stays on it.

use crate::components::{banners::Banners, header::Header};
use crate::i18n::Msg;
use crate::pages::complaints::ComplaintsDesk;
use crate::pages::duty_log::DutyLogPanel;
use crate::pages::flats_admin::FlatsAdmin;
use crate::pages::followups::FollowUpsPanel;
use crate::pages::handovers_desk::HandoversDesk;
use crate::pages::history::HistoryPanel;
use crate::pages::keys::KeysPanel;
use crate::pages::owner_visits::OwnerVisitsPanel;
use crate::pages::permits_admin::PermitsAdmin;
use crate::pages::roster_admin::RosterAdmin;
use crate::pages::security_log::SecurityLogPanel;
use crate::pages::settings_admin::SettingsAdmin;
use crate::pages::tablet::Routed;
use crate::pages::templates_admin::TemplatesAdmin;
use crate::pages::visitors::VisitorsPanel;
use crate::store::Store;
use crate::supervisor::{self, SupervisorSite};
use leptos::prelude::*;

/// A desktop tab.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    /// The agenda and rounds.
    Round,
    /// Follow-ups.
    FollowUps,
    /// Past days.
    History,
    /// Show flats: daily summaries and item lists.
    Flats,
    /// The show flats' key register.
    Keys,
    /// Contractor work permits.
    Permits,
    /// Hand-over books' days.
    Handovers,
    /// Owner requests and complaints.
    Complaints,
    /// The monthly owner-visit record.
    OwnerVisits,
    /// The duty log: a day, filters, search across days, the review.
    DutyLog,
    /// Visitors: inside now, waiting for approval, a day, search.
    Visitors,
    /// Checklist templates.
    Templates,
    /// The staff roster.
    Roster,
    /// The security log.
    Security,
    /// Site settings.
    Settings,
}

impl Tab {
    /// Every tab, in the order shown.
    pub const ALL: [Tab; 15] = [
        Tab::Round,
        Tab::FollowUps,
        Tab::History,
        Tab::Flats,
        Tab::Keys,
        Tab::Permits,
        Tab::Handovers,
        Tab::Complaints,
        Tab::OwnerVisits,
        Tab::DutyLog,
        Tab::Visitors,
        Tab::Templates,
        Tab::Roster,
        Tab::Security,
        Tab::Settings,
    ];

    /// The fragment naming the tab.
    pub fn fragment(self) -> &'static str {
        match self {
            Self::Round => "round",
            Self::FollowUps => "followups",
            Self::History => "history",
            Self::Flats => "flats",
            Self::Keys => "keys",
            Self::Permits => "permits",
            Self::Handovers => "handovers",
            Self::Complaints => "complaints",
            Self::OwnerVisits => "owner-visits",
            Self::DutyLog => "duty-log",
            Self::Visitors => "visitors",
            Self::Templates => "templates",
            Self::Roster => "roster",
            Self::Security => "security",
            Self::Settings => "settings",
        }
    }

    /// The tab a fragment names (`#roster`; a complaint `#complaint/…`
    /// and a month of owner visits `#owner-visits/<month>` are in their
    /// tabs); the rounds (agenda or one round, `#round/…`) for anything
    /// else.
    pub fn from_fragment(fragment: &str) -> Self {
        let f = fragment.trim_start_matches('#');
        match crate::route::Route::from_fragment(f) {
            crate::route::Route::Complaint(..) => return Self::Complaints,
            crate::route::Route::OwnerVisits(_) => return Self::OwnerVisits,
            _ => {}
        }
        Self::ALL
            .into_iter()
            .find(|t| t.fragment() == f)
            .unwrap_or(Self::Round)
    }

    fn label(self) -> Msg {
        match self {
            Self::Round => Msg::TabRound,
            Self::FollowUps => Msg::TabFollowUps,
            Self::History => Msg::History,
            Self::Flats => Msg::TabFlats,
            Self::Keys => Msg::KeysLink,
            Self::Permits => Msg::PermitsLink,
            Self::Handovers => Msg::TabHandovers,
            Self::Complaints => Msg::CpTitle,
            Self::OwnerVisits => Msg::OvTitle,
            Self::DutyLog => Msg::DutyLog,
            Self::Visitors => Msg::VisitorLog,
            Self::Templates => Msg::TabTemplates,
            Self::Roster => Msg::TabRoster,
            Self::Security => Msg::TabSecurity,
            Self::Settings => Msg::TabSettings,
        }
    }
}

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
    let tab = RwSignal::new(Tab::from_fragment(&current_fragment()));
    let current_site = store.enrolment().site;
    // Links inside a tab (a summary's "open the count") change the
    // fragment; follow them to the tab they name.
    let listener = window_event_listener(leptos::ev::hashchange, move |_| {
        tab.set(Tab::from_fragment(&current_fragment()));
    });
    on_cleanup(move || listener.remove());
    let choose = move |t: Tab| {
        tab.set(t);
        if let Some(w) = web_sys::window() {
            let _ = w.location().set_hash(t.fragment());
        }
    };
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
        <Header date=crate::clock::today()/>
        <Banners/>
        <nav class="desktop-tabs" data-testid="desktop-tabs">
            {Tab::ALL
                .into_iter()
                .map(|t| view! {
                    <button
                        class="tab"
                        class:active=move || tab.get() == t
                        data-tab=t.fragment()
                        on:click=move |_| choose(t)
                    >
                        {move || t.label().text(lang.get())}
                    </button>
                })
                .collect_view()}
            {picker}
        </nav>
        {move || match tab.get() {
            Tab::Round => view! { <Routed/> }.into_any(),
            Tab::FollowUps => view! { <FollowUpsPanel/> }.into_any(),
            Tab::History => view! { <HistoryPanel/> }.into_any(),
            Tab::Flats => view! { <FlatsAdmin/> }.into_any(),
            Tab::Keys => view! { <KeysPanel/> }.into_any(),
            Tab::Permits => view! { <PermitsAdmin/> }.into_any(),
            Tab::Handovers => view! { <HandoversDesk/> }.into_any(),
            Tab::Complaints => view! { <ComplaintsDesk/> }.into_any(),
            Tab::OwnerVisits => {
                let month = match crate::route::Route::from_fragment(&current_fragment()) {
                    crate::route::Route::OwnerVisits(month) => month,
                    _ => None,
                };
                view! { <OwnerVisitsPanel month=month/> }.into_any()
            }
            Tab::DutyLog => view! { <DutyLogPanel date=crate::pages::duty_log::current_service_day()/> }.into_any(),
            Tab::Visitors => view! { <VisitorsPanel/> }.into_any(),
            Tab::Templates => view! { <TemplatesAdmin/> }.into_any(),
            Tab::Roster => view! { <RosterAdmin/> }.into_any(),
            Tab::Security => view! { <SecurityLogPanel/> }.into_any(),
            Tab::Settings => view! { <SettingsAdmin/> }.into_any(),
        }}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_name_tabs_and_anything_else_is_the_round() {
        for t in Tab::ALL {
            assert_eq!(Tab::from_fragment(&format!("#{}", t.fragment())), t);
        }
        assert_eq!(Tab::from_fragment(""), Tab::Round);
        assert_eq!(Tab::from_fragment("#round/a/2026-11-25/0830"), Tab::Round);
        assert_eq!(Tab::from_fragment("#nonsense"), Tab::Round);
        assert_eq!(
            Tab::from_fragment("#complaint/2026-11/c-1"),
            Tab::Complaints
        );
        assert_eq!(
            Tab::from_fragment("#owner-visits/2026-10"),
            Tab::OwnerVisits
        );
    }
}
