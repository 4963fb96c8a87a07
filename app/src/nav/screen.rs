//! The one list of the app's screens: every screen once, with its group,
//! its glyph, the red count it carries, and where it is offered — on the
//! tablet's rail (its short label, its `data-action`, where a tap goes) and
//! on the supervisor desktop's sidebar (its label, the tab's fragment).
//! The rail ([`crate::nav::rail`]), the sidebar ([`crate::nav::sidebar`])
//! and the desktop's tab from the address are all read from here, so a
//! new screen is one variant, its place in [`Screen::ALL`] and its
//! [`Screen::entry`]. [`Screen::of`] says which screen an address
//! ([`Route`]) belongs to.

use super::{Badge, Section, Targets};
use crate::nav::route::Route;
use crate::words::i18n::Msg;

/// A screen of the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Screen {
    /// 运营看板: the period's figures across sites (desktop only, its
    /// first screen).
    Dashboard,
    /// 任务: due now, missed, next, and the rounds (the desktop's
    /// "today's round").
    Agenda,
    /// 跟进: follow-ups.
    FollowUps,
    /// 交接班: the hand-over books' days.
    Handover,
    /// 值班记录: the duty log.
    DutyLog,
    /// 来访: the visitor log.
    Visitors,
    /// 投诉报修: owner requests and complaints.
    Complaints,
    /// 业户访问: the monthly owner-visit record.
    OwnerVisits,
    /// 样板房: the show flats (a flat's count; on the desktop, the daily
    /// summaries and item lists).
    ShowFlat,
    /// 钥匙: the show flats' key register.
    Keys,
    /// 施工: contractor work permits.
    Permits,
    /// 历史: past days' rounds.
    History,
    /// Checklist templates (desktop only).
    Templates,
    /// Checkpoints and their labels (desktop only).
    Checkpoints,
    /// The staff roster (desktop only).
    Roster,
    /// The security log (desktop only).
    Security,
    /// Site settings (desktop only).
    Settings,
}

/// What the list says about one screen.
#[derive(Debug, Clone, Copy)]
pub struct ScreenEntry {
    /// The group it is shown in.
    pub section: Section,
    /// A small glyph: plain Unicode that common fonts carry (no image, no
    /// icon font, no emoji); the same on the rail and the sidebar.
    pub glyph: &'static str,
    /// The red count it carries, on the rail and the sidebar alike.
    pub badge: Option<Badge>,
    /// Its place on the tablet's rail; `None`: not on the tablet.
    pub rail: Option<RailPlace>,
    /// Its tab on the desktop's sidebar; `None`: not on the desktop.
    pub desk: Option<DeskPlace>,
}

/// A screen's target on the tablet's rail.
#[derive(Debug, Clone, Copy)]
pub struct RailPlace {
    /// The short label.
    pub label: Msg,
    /// The tap target's `data-action`, the name the e2e tests use.
    pub action: &'static str,
    /// Where tapping it goes; `None` when there is nothing to open (no
    /// hand-over book for the person's posts, no show flat on the site).
    pub opens: fn(&Targets) -> Option<Route>,
}

/// A screen's tab on the desktop's sidebar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeskPlace {
    /// The label.
    pub label: Msg,
    /// The fragment naming the tab (`/supervisor#roster`), also its
    /// `data-tab`.
    pub tab: &'static str,
}

impl Screen {
    /// Every screen. The rail lists its screens in this order; the
    /// sidebar lists its tabs section by section, each in this order.
    pub const ALL: [Screen; 17] = [
        Screen::Dashboard,
        Screen::Agenda,
        Screen::FollowUps,
        Screen::Handover,
        Screen::DutyLog,
        Screen::Visitors,
        Screen::Complaints,
        Screen::OwnerVisits,
        Screen::ShowFlat,
        Screen::Keys,
        Screen::Permits,
        Screen::History,
        Screen::Templates,
        Screen::Checkpoints,
        Screen::Roster,
        Screen::Security,
        Screen::Settings,
    ];

    /// What the list says about it.
    pub fn entry(self) -> ScreenEntry {
        use Section::*;
        match self {
            Self::Dashboard => ScreenEntry {
                section: Patrol,
                glyph: "▤",
                badge: None,
                rail: None,
                desk: Some(DeskPlace {
                    label: Msg::TabDashboard,
                    tab: "dashboard",
                }),
            },
            Self::Agenda => ScreenEntry {
                section: Patrol,
                glyph: "☑",
                badge: None,
                rail: Some(RailPlace {
                    label: Msg::NavAgenda,
                    action: "agenda",
                    opens: |_| Some(Route::Agenda),
                }),
                desk: Some(DeskPlace {
                    label: Msg::TabRound,
                    tab: "round",
                }),
            },
            Self::FollowUps => ScreenEntry {
                section: Patrol,
                glyph: "⚑",
                badge: Some(Badge::OpenFollowUps),
                rail: Some(RailPlace {
                    label: Msg::NavFollowUps,
                    action: "followups",
                    opens: |_| Some(Route::FollowUps),
                }),
                desk: Some(DeskPlace {
                    label: Msg::TabFollowUps,
                    tab: "followups",
                }),
            },
            Self::Handover => ScreenEntry {
                section: FrontDesk,
                glyph: "⇄",
                badge: Some(Badge::HandoverAlerts),
                rail: Some(RailPlace {
                    label: Msg::NavHandover,
                    action: "handover",
                    opens: |t| Some(Route::Handover(t.first_book.clone()?, t.today.clone())),
                }),
                desk: Some(DeskPlace {
                    label: Msg::TabHandovers,
                    tab: "handovers",
                }),
            },
            Self::DutyLog => ScreenEntry {
                section: FrontDesk,
                glyph: "✎",
                badge: None,
                rail: Some(RailPlace {
                    label: Msg::NavDutyLog,
                    action: "duty-log",
                    opens: |t| Some(Route::DutyLog(t.service_day.clone())),
                }),
                desk: Some(DeskPlace {
                    label: Msg::DutyLog,
                    tab: "duty-log",
                }),
            },
            Self::Visitors => ScreenEntry {
                section: FrontDesk,
                glyph: "☺",
                badge: Some(Badge::VisitorsWaiting),
                rail: Some(RailPlace {
                    label: Msg::NavVisitors,
                    action: "visitors",
                    opens: |_| Some(Route::Visitors),
                }),
                desk: Some(DeskPlace {
                    label: Msg::VisitorLog,
                    tab: "visitors",
                }),
            },
            Self::Complaints => ScreenEntry {
                section: FrontDesk,
                glyph: "☎",
                badge: Some(Badge::UrgentComplaints),
                rail: Some(RailPlace {
                    label: Msg::NavComplaints,
                    action: "complaints",
                    opens: |_| Some(Route::Complaints),
                }),
                desk: Some(DeskPlace {
                    label: Msg::CpTab,
                    tab: "complaints",
                }),
            },
            Self::OwnerVisits => ScreenEntry {
                section: FrontDesk,
                glyph: "⌂",
                badge: None,
                rail: Some(RailPlace {
                    label: Msg::NavOwnerVisits,
                    action: "owner-visits",
                    opens: |_| Some(Route::OwnerVisits(None)),
                }),
                desk: Some(DeskPlace {
                    label: Msg::OvTitle,
                    tab: "owner-visits",
                }),
            },
            Self::ShowFlat => ScreenEntry {
                section: ShowFlats,
                glyph: "▦",
                badge: None,
                rail: Some(RailPlace {
                    label: Msg::NavShowFlat,
                    action: "show-flat",
                    opens: |t| Some(Route::Flat(t.first_flat.clone()?, t.today.clone())),
                }),
                desk: Some(DeskPlace {
                    label: Msg::TabFlats,
                    tab: "flats",
                }),
            },
            Self::Keys => ScreenEntry {
                section: ShowFlats,
                glyph: "⚷",
                badge: Some(Badge::KeyAlerts),
                rail: Some(RailPlace {
                    label: Msg::NavKeys,
                    action: "keys",
                    opens: |_| Some(Route::Keys),
                }),
                desk: Some(DeskPlace {
                    label: Msg::KeysLink,
                    tab: "keys",
                }),
            },
            Self::Permits => ScreenEntry {
                section: ShowFlats,
                glyph: "⚒",
                badge: Some(Badge::PermitAlerts),
                rail: Some(RailPlace {
                    label: Msg::NavPermits,
                    action: "permits",
                    opens: |_| Some(Route::Permits),
                }),
                desk: Some(DeskPlace {
                    label: Msg::PermitsLink,
                    tab: "permits",
                }),
            },
            Self::History => ScreenEntry {
                section: Patrol,
                glyph: "◷",
                badge: None,
                rail: Some(RailPlace {
                    label: Msg::NavHistory,
                    action: "history",
                    opens: |_| Some(Route::History),
                }),
                desk: Some(DeskPlace {
                    label: Msg::History,
                    tab: "history",
                }),
            },
            Self::Templates => ScreenEntry {
                section: Patrol,
                glyph: "☰",
                badge: None,
                rail: None,
                desk: Some(DeskPlace {
                    label: Msg::TabTemplates,
                    tab: "templates",
                }),
            },
            Self::Checkpoints => ScreenEntry {
                section: Patrol,
                glyph: "◎",
                badge: None,
                rail: None,
                desk: Some(DeskPlace {
                    label: Msg::TabCheckpoints,
                    tab: "checkpoints",
                }),
            },
            Self::Roster => ScreenEntry {
                section: Admin,
                glyph: "⚇",
                badge: None,
                rail: None,
                desk: Some(DeskPlace {
                    label: Msg::TabRoster,
                    tab: "roster",
                }),
            },
            Self::Security => ScreenEntry {
                section: Admin,
                glyph: "⚠",
                badge: None,
                rail: None,
                desk: Some(DeskPlace {
                    label: Msg::TabSecurity,
                    tab: "security",
                }),
            },
            Self::Settings => ScreenEntry {
                section: Admin,
                glyph: "⚙",
                badge: None,
                rail: None,
                desk: Some(DeskPlace {
                    label: Msg::TabSettings,
                    tab: "settings",
                }),
            },
        }
    }

    /// The screen an address belongs to (a round to the agenda, a
    /// complaint to the complaints, a book's day to the hand-overs).
    pub fn of(route: &Route) -> Screen {
        match route {
            Route::Agenda | Route::Round(_) => Self::Agenda,
            Route::FollowUps => Self::FollowUps,
            Route::Handover(..) => Self::Handover,
            Route::DutyLog(_) => Self::DutyLog,
            Route::Visitors => Self::Visitors,
            Route::Complaints | Route::Complaint(..) => Self::Complaints,
            Route::OwnerVisits(_) => Self::OwnerVisits,
            Route::Flat(..) => Self::ShowFlat,
            Route::Keys => Self::Keys,
            Route::Permits => Self::Permits,
            Route::History => Self::History,
        }
    }

    /// The group it is shown in.
    pub fn section(self) -> Section {
        self.entry().section
    }

    /// Its glyph.
    pub fn glyph(self) -> &'static str {
        self.entry().glyph
    }

    /// The count it carries, if any.
    pub fn badge(self) -> Option<Badge> {
        self.entry().badge
    }

    /// Its place on the tablet's rail, if it has one.
    pub fn rail(self) -> Option<RailPlace> {
        self.entry().rail
    }

    /// Its tab on the desktop, if it has one.
    pub fn desk(self) -> Option<DeskPlace> {
        self.entry().desk
    }

    /// The desktop tab a fragment names: a tab's own fragment (`#roster`),
    /// else the tab of the screen the address belongs to (a complaint
    /// `#complaint/…`, a month of owner visits `#owner-visits/<month>`, a
    /// flat's count `#flat/…`, a hand-over book's day `#handover/…`, a
    /// day of the duty log `#duty-log/<date>`);
    /// the dashboard for none; the rounds (agenda or one round,
    /// `#round/…`) for anything else.
    pub fn on_desk(fragment: &str) -> Screen {
        let f = fragment.trim_start_matches('#');
        if f.is_empty() {
            return Self::Dashboard;
        }
        Self::ALL
            .into_iter()
            .find(|s| s.desk().is_some_and(|d| d.tab == f))
            .unwrap_or_else(|| {
                let screen = Self::of(&Route::from_fragment(f));
                if screen.desk().is_some() {
                    screen
                } else {
                    Self::Agenda
                }
            })
    }

    /// Whether a fragment names one record whose tablet screen the
    /// desktop shows inside its tab (a flat's count, a hand-over book's
    /// day) rather than the tab's overview.
    pub fn desk_shows_record(fragment: &str) -> bool {
        matches!(
            Route::from_fragment(fragment),
            Route::Flat(..) | Route::Handover(..)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn every_screen_is_listed_once_with_its_own_glyph_and_names() {
        let screens: BTreeSet<String> = Screen::ALL.iter().map(|s| format!("{s:?}")).collect();
        assert_eq!(screens.len(), Screen::ALL.len());
        let glyphs: BTreeSet<&str> = Screen::ALL.iter().map(|s| s.glyph()).collect();
        assert_eq!(glyphs.len(), Screen::ALL.len());
        let rail: Vec<RailPlace> = Screen::ALL.iter().filter_map(|s| s.rail()).collect();
        let actions: BTreeSet<&str> = rail.iter().map(|r| r.action).collect();
        assert_eq!(actions.len(), rail.len());
        let labels: BTreeSet<&str> = rail
            .iter()
            .map(|r| r.label.text(shiftbook_model::Lang::Zh))
            .collect();
        assert_eq!(labels.len(), rail.len());
        let desk: Vec<DeskPlace> = Screen::ALL.iter().filter_map(|s| s.desk()).collect();
        let tabs: BTreeSet<&str> = desk.iter().map(|d| d.tab).collect();
        assert_eq!(tabs.len(), desk.len());
        let labels: BTreeSet<&str> = desk
            .iter()
            .map(|d| d.label.text(shiftbook_model::Lang::Zh))
            .collect();
        assert_eq!(labels.len(), desk.len());
    }

    #[test]
    fn each_count_sits_on_one_screen() {
        let badged: Vec<(Screen, Badge)> = Screen::ALL
            .into_iter()
            .filter_map(|s| Some((s, s.badge()?)))
            .collect();
        assert_eq!(
            badged,
            [
                (Screen::FollowUps, Badge::OpenFollowUps),
                (Screen::Handover, Badge::HandoverAlerts),
                (Screen::Visitors, Badge::VisitorsWaiting),
                (Screen::Complaints, Badge::UrgentComplaints),
                (Screen::Keys, Badge::KeyAlerts),
                (Screen::Permits, Badge::PermitAlerts),
            ]
        );
    }

    #[test]
    fn fragments_name_tabs_none_is_the_dashboard_and_anything_else_the_round() {
        for s in Screen::ALL {
            let Some(desk) = s.desk() else { continue };
            assert_eq!(Screen::on_desk(&format!("#{}", desk.tab)), s);
        }
        assert_eq!(Screen::on_desk(""), Screen::Dashboard);
        assert_eq!(Screen::on_desk("#"), Screen::Dashboard);
        assert_eq!(Screen::on_desk("#round/a/2026-11-25/0830"), Screen::Agenda);
        assert_eq!(Screen::on_desk("#nonsense"), Screen::Agenda);
        assert_eq!(
            Screen::on_desk("#complaint/2026-11/c-1"),
            Screen::Complaints
        );
        assert_eq!(
            Screen::on_desk("#owner-visits/2026-10"),
            Screen::OwnerVisits
        );
        assert_eq!(Screen::on_desk("#duty-log/2026-11-25"), Screen::DutyLog);
        assert_eq!(Screen::on_desk("#followups"), Screen::FollowUps);
    }

    #[test]
    fn a_flats_count_and_a_books_day_open_inside_their_tabs() {
        let flat = "#flat/demo-flat-a/2026-11-30";
        let book = "#handover/lobby/2026-11-30";
        assert_eq!(Screen::on_desk(flat), Screen::ShowFlat);
        assert_eq!(Screen::on_desk(book), Screen::Handover);
        assert!(Screen::desk_shows_record(flat));
        assert!(Screen::desk_shows_record(book));
        for overview in [
            "",
            "#flats",
            "#handovers",
            "#round/lobby-opening/2026-11-30/0830",
            "#complaint/2026-11/c-1",
            "#flat/a b/2026-11-30",
        ] {
            assert!(!Screen::desk_shows_record(overview), "{overview}");
        }
    }
}
