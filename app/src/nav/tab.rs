//! The supervisor desktop's tabs and its left sidebar: the tabs grouped
//! under section headings (巡查 patrol, 样板房 show flats, 前台 front desk,
//! 管理 admin), the current one highlighted, the same red counts as the
//! tablet's rail where a supervisor acts on them. A tab lives in the
//! address's fragment (`/supervisor#roster`), so a reload stays on it.

use super::{Badge, Badges, Section};
use crate::nav::route::Route;
use crate::words::i18n::Msg;

/// A desktop tab.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tab {
    /// The agenda and rounds.
    Round,
    /// Follow-ups.
    FollowUps,
    /// Past days.
    History,
    /// Checklist templates.
    Templates,
    /// Show flats: daily summaries and item lists.
    Flats,
    /// The show flats' key register.
    Keys,
    /// Contractor work permits.
    Permits,
    /// Hand-over books' days.
    Handovers,
    /// The duty log: a day, filters, search across days, the review.
    DutyLog,
    /// Visitors: inside now, waiting for approval, a day, search.
    Visitors,
    /// Owner requests and complaints.
    Complaints,
    /// The monthly owner-visit record.
    OwnerVisits,
    /// The staff roster.
    Roster,
    /// The security log.
    Security,
    /// Site settings.
    Settings,
}

impl Tab {
    /// Every tab, in the order shown (section by section).
    pub const ALL: [Tab; 15] = [
        Tab::Round,
        Tab::FollowUps,
        Tab::History,
        Tab::Templates,
        Tab::Flats,
        Tab::Keys,
        Tab::Permits,
        Tab::Handovers,
        Tab::DutyLog,
        Tab::Visitors,
        Tab::Complaints,
        Tab::OwnerVisits,
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
            Self::Templates => "templates",
            Self::Flats => "flats",
            Self::Keys => "keys",
            Self::Permits => "permits",
            Self::Handovers => "handovers",
            Self::DutyLog => "duty-log",
            Self::Visitors => "visitors",
            Self::Complaints => "complaints",
            Self::OwnerVisits => "owner-visits",
            Self::Roster => "roster",
            Self::Security => "security",
            Self::Settings => "settings",
        }
    }

    /// The tab a fragment names (`#roster`; a complaint `#complaint/…`,
    /// a month of owner visits `#owner-visits/<month>`, a flat's count
    /// `#flat/…` and a hand-over book's day `#handover/…` are in their
    /// tabs); the rounds (agenda or one round, `#round/…`) for anything
    /// else.
    pub fn from_fragment(fragment: &str) -> Self {
        let f = fragment.trim_start_matches('#');
        match Route::from_fragment(f) {
            Route::Complaint(..) => return Self::Complaints,
            Route::OwnerVisits(_) => return Self::OwnerVisits,
            Route::Flat(..) => return Self::Flats,
            Route::Handover(..) => return Self::Handovers,
            _ => {}
        }
        Self::ALL
            .into_iter()
            .find(|t| t.fragment() == f)
            .unwrap_or(Self::Round)
    }

    /// Whether a fragment names one record whose tablet screen the
    /// desktop shows inside its tab (a flat's count, a hand-over book's
    /// day) rather than the tab's overview.
    pub fn shows_record(fragment: &str) -> bool {
        matches!(
            Route::from_fragment(fragment),
            Route::Flat(..) | Route::Handover(..)
        )
    }

    /// The label.
    pub fn label(self) -> Msg {
        match self {
            Self::Round => Msg::TabRound,
            Self::FollowUps => Msg::TabFollowUps,
            Self::History => Msg::History,
            Self::Templates => Msg::TabTemplates,
            Self::Flats => Msg::TabFlats,
            Self::Keys => Msg::KeysLink,
            Self::Permits => Msg::PermitsLink,
            Self::Handovers => Msg::TabHandovers,
            Self::DutyLog => Msg::DutyLog,
            Self::Visitors => Msg::VisitorLog,
            Self::Complaints => Msg::CpTab,
            Self::OwnerVisits => Msg::OvTitle,
            Self::Roster => Msg::TabRoster,
            Self::Security => Msg::TabSecurity,
            Self::Settings => Msg::TabSettings,
        }
    }

    /// The section it is listed under.
    pub fn section(self) -> Section {
        match self {
            Self::Round | Self::FollowUps | Self::History | Self::Templates => Section::Patrol,
            Self::Flats | Self::Keys | Self::Permits => Section::ShowFlats,
            Self::Handovers
            | Self::DutyLog
            | Self::Visitors
            | Self::Complaints
            | Self::OwnerVisits => Section::FrontDesk,
            Self::Roster | Self::Security | Self::Settings => Section::Admin,
        }
    }

    /// A small glyph, the tablet rail's where the screens are the same.
    pub fn glyph(self) -> &'static str {
        match self {
            Self::Round => "☑",
            Self::FollowUps => "⚑",
            Self::History => "◷",
            Self::Templates => "☰",
            Self::Flats => "▦",
            Self::Keys => "⚷",
            Self::Permits => "⚒",
            Self::Handovers => "⇄",
            Self::DutyLog => "✎",
            Self::Visitors => "☺",
            Self::Complaints => "☎",
            Self::OwnerVisits => "⌂",
            Self::Roster => "⚇",
            Self::Security => "⚠",
            Self::Settings => "⚙",
        }
    }

    /// The count it carries, if any: what a supervisor acts on.
    pub fn badge(self) -> Option<Badge> {
        match self {
            Self::FollowUps => Some(Badge::OpenFollowUps),
            Self::Keys => Some(Badge::KeyAlerts),
            Self::Permits => Some(Badge::PermitAlerts),
            Self::Handovers => Some(Badge::HandoverAlerts),
            Self::Visitors => Some(Badge::VisitorsWaiting),
            Self::Complaints => Some(Badge::UrgentComplaints),
            Self::Round
            | Self::History
            | Self::Templates
            | Self::Flats
            | Self::DutyLog
            | Self::OwnerVisits
            | Self::Roster
            | Self::Security
            | Self::Settings => None,
        }
    }
}

/// One tab in the sidebar as shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SidebarItem {
    /// Which tab.
    pub tab: Tab,
    /// Whether it is the tab shown now.
    pub active: bool,
    /// The red count, when there is one.
    pub count: Option<usize>,
}

/// A section of the sidebar: its heading and tabs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SidebarGroup {
    /// The heading.
    pub section: Section,
    /// Its tabs, in order.
    pub items: Vec<SidebarItem>,
}

/// The sidebar with `current` shown.
pub fn sidebar(current: Tab, badges: &Badges) -> Vec<SidebarGroup> {
    Section::ALL
        .into_iter()
        .map(|section| SidebarGroup {
            section,
            items: Tab::ALL
                .into_iter()
                .filter(|t| t.section() == section)
                .map(|tab| SidebarItem {
                    tab,
                    active: tab == current,
                    count: tab.badge().and_then(|b| b.shown(badges)),
                })
                .collect(),
        })
        .collect()
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

    #[test]
    fn a_flats_count_and_a_books_day_open_inside_their_tabs() {
        let flat = "#flat/demo-flat-a/2026-11-30";
        let book = "#handover/lobby/2026-11-30";
        assert_eq!(Tab::from_fragment(flat), Tab::Flats);
        assert_eq!(Tab::from_fragment(book), Tab::Handovers);
        assert!(Tab::shows_record(flat));
        assert!(Tab::shows_record(book));
        for overview in [
            "",
            "#flats",
            "#handovers",
            "#round/lobby-opening/2026-11-30/0830",
            "#complaint/2026-11/c-1",
            "#flat/a b/2026-11-30",
        ] {
            assert!(!Tab::shows_record(overview), "{overview}");
        }
    }

    #[test]
    fn the_sidebar_groups_every_tab_once_under_the_four_headings() {
        let groups = sidebar(Tab::Round, &Badges::default());
        let sections: Vec<Section> = groups.iter().map(|g| g.section).collect();
        assert_eq!(sections, Section::ALL);
        let names = |s: Section| -> Vec<Tab> {
            groups
                .iter()
                .find(|g| g.section == s)
                .map(|g| g.items.iter().map(|i| i.tab).collect())
                .unwrap_or_default()
        };
        assert_eq!(
            names(Section::Patrol),
            [Tab::Round, Tab::FollowUps, Tab::History, Tab::Templates]
        );
        assert_eq!(
            names(Section::ShowFlats),
            [Tab::Flats, Tab::Keys, Tab::Permits]
        );
        assert_eq!(
            names(Section::FrontDesk),
            [
                Tab::Handovers,
                Tab::DutyLog,
                Tab::Visitors,
                Tab::Complaints,
                Tab::OwnerVisits
            ]
        );
        assert_eq!(
            names(Section::Admin),
            [Tab::Roster, Tab::Security, Tab::Settings]
        );
        // In the sidebar's order, every tab exactly once.
        let all: Vec<Tab> = groups
            .iter()
            .flat_map(|g| g.items.iter().map(|i| i.tab))
            .collect();
        assert_eq!(all, Tab::ALL);
    }

    #[test]
    fn exactly_the_current_tab_is_active_and_badges_sit_where_supervisors_act() {
        for current in Tab::ALL {
            let groups = sidebar(current, &Badges::default());
            let active: Vec<Tab> = groups
                .iter()
                .flat_map(|g| g.items.iter().filter(|i| i.active).map(|i| i.tab))
                .collect();
            assert_eq!(active, [current]);
        }
        let badges = Badges {
            open_followups: 1,
            handover_alerts: 2,
            key_alerts: 3,
            permit_alerts: 4,
            urgent_complaints: 5,
            visitors_waiting: 6,
        };
        let counted: Vec<(Tab, usize)> = sidebar(Tab::Round, &badges)
            .iter()
            .flat_map(|g| g.items.iter().filter_map(|i| Some((i.tab, i.count?))))
            .collect();
        assert_eq!(
            counted,
            [
                (Tab::FollowUps, 1),
                (Tab::Keys, 3),
                (Tab::Permits, 4),
                (Tab::Handovers, 2),
                (Tab::Visitors, 6),
                (Tab::Complaints, 5),
            ]
        );
        assert!(
            sidebar(Tab::Round, &Badges::default())
                .iter()
                .all(|g| g.items.iter().all(|i| i.count.is_none()))
        );
    }
}
