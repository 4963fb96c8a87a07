//! The tablet's screens as the left rail lists them: one big target per
//! screen with a short label and a glyph, in the order front-line staff
//! reach for them, grouped by [`Section`]; the current one from the route
//! (a round belongs to the agenda, a complaint to the complaints); where
//! each goes (the person's first hand-over book, the site's first show
//! flat — their pages switch to the others); the badge each carries.

use super::{Badge, Badges, Section};
use crate::nav::route::Route;
use crate::words::i18n::Msg;

/// A tablet screen the rail leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Screen {
    /// 任务: due now, missed, next.
    Agenda,
    /// 跟进: open follow-ups.
    FollowUps,
    /// 交接班: a hand-over book's day.
    Handover,
    /// 值班记录: the duty log.
    DutyLog,
    /// 来访: the visitor log.
    Visitors,
    /// 投诉报修: owner requests and complaints.
    Complaints,
    /// 业户访问: the owner-visit record.
    OwnerVisits,
    /// 样板房: a show flat's count.
    ShowFlat,
    /// 钥匙: the key register.
    Keys,
    /// 施工: work permits.
    Permits,
    /// 历史: past days' rounds.
    History,
}

/// What the rail needs to know to say where each screen goes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Targets {
    /// The device's date, `YYYY-MM-DD` (hand-over and show-flat days).
    pub today: String,
    /// The current service day (the duty log's day).
    pub service_day: String,
    /// The first hand-over book of the signed-in person's posts, if any.
    pub first_book: Option<String>,
    /// The site's first show flat, if any.
    pub first_flat: Option<String>,
}

impl Screen {
    /// Every screen, in the rail's order.
    pub const ALL: [Screen; 11] = [
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
    ];

    /// The screen `route` belongs to.
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

    /// Where tapping it goes; `None` when there is nothing to open (no
    /// hand-over book for the person's posts, no show flat on the site).
    pub fn route(self, targets: &Targets) -> Option<Route> {
        Some(match self {
            Self::Agenda => Route::Agenda,
            Self::FollowUps => Route::FollowUps,
            Self::Handover => Route::Handover(targets.first_book.clone()?, targets.today.clone()),
            Self::DutyLog => Route::DutyLog(targets.service_day.clone()),
            Self::Visitors => Route::Visitors,
            Self::Complaints => Route::Complaints,
            Self::OwnerVisits => Route::OwnerVisits(None),
            Self::ShowFlat => Route::Flat(targets.first_flat.clone()?, targets.today.clone()),
            Self::Keys => Route::Keys,
            Self::Permits => Route::Permits,
            Self::History => Route::History,
        })
    }

    /// The group it is shown in.
    pub fn section(self) -> Section {
        match self {
            Self::Agenda | Self::FollowUps | Self::History => Section::Patrol,
            Self::Handover
            | Self::DutyLog
            | Self::Visitors
            | Self::Complaints
            | Self::OwnerVisits => Section::FrontDesk,
            Self::ShowFlat | Self::Keys | Self::Permits => Section::ShowFlats,
        }
    }

    /// The short label.
    pub fn label(self) -> Msg {
        match self {
            Self::Agenda => Msg::NavAgenda,
            Self::FollowUps => Msg::NavFollowUps,
            Self::Handover => Msg::NavHandover,
            Self::DutyLog => Msg::NavDutyLog,
            Self::Visitors => Msg::NavVisitors,
            Self::Complaints => Msg::NavComplaints,
            Self::OwnerVisits => Msg::NavOwnerVisits,
            Self::ShowFlat => Msg::NavShowFlat,
            Self::Keys => Msg::NavKeys,
            Self::Permits => Msg::NavPermits,
            Self::History => Msg::NavHistory,
        }
    }

    /// A small glyph: plain Unicode that common fonts carry (no image, no
    /// icon font, no emoji).
    pub fn glyph(self) -> &'static str {
        match self {
            Self::Agenda => "☑",
            Self::FollowUps => "⚑",
            Self::Handover => "⇄",
            Self::DutyLog => "✎",
            Self::Visitors => "☺",
            Self::Complaints => "☎",
            Self::OwnerVisits => "⌂",
            Self::ShowFlat => "▦",
            Self::Keys => "⚷",
            Self::Permits => "⚒",
            Self::History => "◷",
        }
    }

    /// The tap target's `data-action`, the names the e2e tests use.
    pub fn action(self) -> &'static str {
        match self {
            Self::Agenda => "agenda",
            Self::FollowUps => "followups",
            Self::Handover => "handover",
            Self::DutyLog => "duty-log",
            Self::Visitors => "visitors",
            Self::Complaints => "complaints",
            Self::OwnerVisits => "owner-visits",
            Self::ShowFlat => "show-flat",
            Self::Keys => "keys",
            Self::Permits => "permits",
            Self::History => "history",
        }
    }

    /// The count it carries, if any.
    pub fn badge(self) -> Option<Badge> {
        match self {
            Self::FollowUps => Some(Badge::OpenFollowUps),
            Self::Handover => Some(Badge::HandoverAlerts),
            Self::Visitors => Some(Badge::VisitorsWaiting),
            Self::Complaints => Some(Badge::UrgentComplaints),
            Self::Keys => Some(Badge::KeyAlerts),
            Self::Permits => Some(Badge::PermitAlerts),
            Self::Agenda | Self::DutyLog | Self::OwnerVisits | Self::ShowFlat | Self::History => {
                None
            }
        }
    }
}

/// One target of the rail as shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RailItem {
    /// Which screen.
    pub screen: Screen,
    /// Where tapping it goes.
    pub route: Route,
    /// Whether it is the screen shown now.
    pub active: bool,
    /// The red count, when there is one.
    pub count: Option<usize>,
    /// Whether a divider goes before it (its section differs from the
    /// item above).
    pub starts_group: bool,
}

impl RailItem {
    /// The hand-over book it opens (`data-book`).
    pub fn book(&self) -> Option<String> {
        match &self.route {
            Route::Handover(book, _) => Some(book.clone()),
            _ => None,
        }
    }

    /// The show flat it opens (`data-flat`).
    pub fn flat(&self) -> Option<String> {
        match &self.route {
            Route::Flat(flat, _) => Some(flat.clone()),
            _ => None,
        }
    }
}

/// The rail on `current`: every screen with somewhere to go, in order.
pub fn rail(current: &Route, targets: &Targets, badges: &Badges) -> Vec<RailItem> {
    let active = Screen::of(current);
    let mut items: Vec<RailItem> = Vec::with_capacity(Screen::ALL.len());
    for screen in Screen::ALL {
        let Some(route) = screen.route(targets) else {
            continue;
        };
        let starts_group = items
            .last()
            .is_some_and(|prev| prev.screen.section() != screen.section());
        items.push(RailItem {
            screen,
            route,
            active: screen == active,
            count: screen.badge().and_then(|b| b.shown(badges)),
            starts_group,
        });
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nav::route::RoundRef;

    fn targets() -> Targets {
        Targets {
            today: "2026-11-30".into(),
            service_day: "2026-11-29".into(),
            first_book: Some("lobby".into()),
            first_flat: Some("demo-flat-a".into()),
        }
    }

    #[test]
    fn every_screen_is_listed_once_in_the_rails_order() {
        let items = rail(&Route::Agenda, &targets(), &Badges::default());
        let screens: Vec<Screen> = items.iter().map(|i| i.screen).collect();
        assert_eq!(screens, Screen::ALL);
        let labels: std::collections::BTreeSet<&str> = Screen::ALL
            .iter()
            .map(|s| s.label().text(shiftbook_model::Lang::Zh))
            .collect();
        assert_eq!(labels.len(), Screen::ALL.len());
        let actions: std::collections::BTreeSet<&str> =
            Screen::ALL.iter().map(|s| s.action()).collect();
        assert_eq!(actions.len(), Screen::ALL.len());
        let glyphs: std::collections::BTreeSet<&str> =
            Screen::ALL.iter().map(|s| s.glyph()).collect();
        assert_eq!(glyphs.len(), Screen::ALL.len());
    }

    #[test]
    fn each_screen_opens_a_route_that_belongs_to_it() {
        let t = targets();
        for s in Screen::ALL {
            let route = s.route(&t).expect("every target known");
            assert_eq!(Screen::of(&route), s, "{s:?}");
            // The route survives the address bar.
            assert_eq!(Route::from_fragment(&route.fragment()), route, "{s:?}");
        }
        assert_eq!(
            Screen::Handover.route(&t),
            Some(Route::Handover("lobby".into(), "2026-11-30".into()))
        );
        assert_eq!(
            Screen::DutyLog.route(&t),
            Some(Route::DutyLog("2026-11-29".into())),
            "the duty log opens the service day, not the calendar date"
        );
        assert_eq!(
            Screen::ShowFlat.route(&t),
            Some(Route::Flat("demo-flat-a".into(), "2026-11-30".into()))
        );
    }

    #[test]
    fn the_current_screen_is_highlighted_also_deep_inside_it() {
        let t = targets();
        let round = Route::Round(RoundRef {
            template: "lobby-opening".into(),
            date: "2026-11-30".into(),
            slot: "0830".into(),
        });
        for (route, screen) in [
            (Route::Agenda, Screen::Agenda),
            (round, Screen::Agenda),
            (
                Route::Complaint("2026-11".into(), "c-1".into()),
                Screen::Complaints,
            ),
            (
                Route::Handover("cs-control-room".into(), "2026-11-01".into()),
                Screen::Handover,
            ),
            (
                Route::Flat("demo-flat-b".into(), "2026-11-02".into()),
                Screen::ShowFlat,
            ),
            (
                Route::OwnerVisits(Some("2026-10".into())),
                Screen::OwnerVisits,
            ),
            (Route::DutyLog("2026-11-01".into()), Screen::DutyLog),
        ] {
            let items = rail(&route, &t, &Badges::default());
            let active: Vec<Screen> = items
                .iter()
                .filter(|i| i.active)
                .map(|i| i.screen)
                .collect();
            assert_eq!(active, [screen], "{route:?}");
        }
        // Another book's day highlights the hand-over item, which still
        // opens the first book.
        let items = rail(
            &Route::Handover("show-flat".into(), "2026-11-30".into()),
            &t,
            &Badges::default(),
        );
        let ho = items
            .iter()
            .find(|i| i.screen == Screen::Handover)
            .expect("listed");
        assert!(ho.active);
        assert_eq!(ho.book().as_deref(), Some("lobby"));
        assert_eq!(ho.flat(), None);
    }

    #[test]
    fn badges_sit_on_their_screens_and_zero_shows_none() {
        let badges = Badges {
            open_followups: 2,
            handover_alerts: 1,
            key_alerts: 3,
            permit_alerts: 0,
            urgent_complaints: 4,
            visitors_waiting: 5,
        };
        let items = rail(&Route::Agenda, &targets(), &badges);
        let count = |s: Screen| items.iter().find(|i| i.screen == s).and_then(|i| i.count);
        assert_eq!(count(Screen::FollowUps), Some(2));
        assert_eq!(count(Screen::Handover), Some(1));
        assert_eq!(count(Screen::Keys), Some(3));
        assert_eq!(count(Screen::Permits), None);
        assert_eq!(count(Screen::Complaints), Some(4));
        assert_eq!(count(Screen::Visitors), Some(5));
        for s in [
            Screen::Agenda,
            Screen::DutyLog,
            Screen::OwnerVisits,
            Screen::ShowFlat,
            Screen::History,
        ] {
            assert_eq!(count(s), None, "{s:?}");
        }
    }

    #[test]
    fn screens_with_nothing_to_open_are_left_out() {
        let t = Targets {
            first_book: None,
            first_flat: None,
            ..targets()
        };
        let items = rail(&Route::Agenda, &t, &Badges::default());
        let screens: Vec<Screen> = items.iter().map(|i| i.screen).collect();
        assert!(!screens.contains(&Screen::Handover));
        assert!(!screens.contains(&Screen::ShowFlat));
        assert_eq!(screens.len(), Screen::ALL.len() - 2);
        // A hand-over day still highlights nothing else.
        let items = rail(
            &Route::Handover("lobby".into(), "2026-11-30".into()),
            &t,
            &Badges::default(),
        );
        assert!(items.iter().all(|i| !i.active));
    }

    #[test]
    fn a_divider_goes_where_the_section_changes() {
        let items = rail(&Route::Agenda, &targets(), &Badges::default());
        let starts: Vec<Screen> = items
            .iter()
            .filter(|i| i.starts_group)
            .map(|i| i.screen)
            .collect();
        assert_eq!(
            starts,
            [Screen::Handover, Screen::ShowFlat, Screen::History],
            "patrol | front desk | show flats | history"
        );
        assert!(!items[0].starts_group, "nothing above the first item");
        // Without a book, the front desk group starts at the duty log.
        let t = Targets {
            first_book: None,
            ..targets()
        };
        let items = rail(&Route::Agenda, &t, &Badges::default());
        let first_front = items
            .iter()
            .find(|i| i.screen.section() == Section::FrontDesk)
            .expect("listed");
        assert_eq!(first_front.screen, Screen::DutyLog);
        assert!(first_front.starts_group);
    }
}
