//! The tablet's left rail as plain data: the screens of [`Screen::ALL`]
//! that have a place on the rail and somewhere to go, in that order (the
//! order front-line staff reach for them), a divider where the
//! [`Section`] changes, the current one from the route (a round belongs
//! to the agenda, a complaint to the complaints), the red count each
//! carries.

use super::{Badges, Screen, Targets};
use crate::nav::route::Route;
use crate::words::i18n::Msg;

/// One target of the rail as shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RailItem {
    /// Which screen.
    pub screen: Screen,
    /// Its short label.
    pub label: Msg,
    /// The tap target's `data-action`.
    pub action: &'static str,
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

/// The rail on `current`: every rail screen with somewhere to go, in order.
pub fn rail(current: &Route, targets: &Targets, badges: &Badges) -> Vec<RailItem> {
    let active = Screen::of(current);
    let mut items: Vec<RailItem> = Vec::with_capacity(Screen::ALL.len());
    for screen in Screen::ALL {
        let Some(place) = screen.rail() else {
            continue;
        };
        let Some(route) = (place.opens)(targets) else {
            continue;
        };
        let starts_group = items
            .last()
            .is_some_and(|prev| prev.screen.section() != screen.section());
        items.push(RailItem {
            screen,
            label: place.label,
            action: place.action,
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
    use crate::nav::Section;
    use crate::nav::route::RoundRef;

    fn targets() -> Targets {
        Targets {
            today: "2026-11-30".into(),
            service_day: "2026-11-29".into(),
            first_book: Some("lobby".into()),
            first_flat: Some("demo-flat-a".into()),
        }
    }

    /// The rail's screens, in the rail's order.
    const RAIL: [Screen; 11] = [
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

    fn opens(s: Screen, t: &Targets) -> Option<Route> {
        s.rail().and_then(|p| (p.opens)(t))
    }

    #[test]
    fn every_rail_screen_is_listed_once_in_the_rails_order() {
        let items = rail(&Route::Agenda, &targets(), &Badges::default());
        let screens: Vec<Screen> = items.iter().map(|i| i.screen).collect();
        assert_eq!(screens, RAIL);
        let actions: Vec<&str> = items.iter().map(|i| i.action).collect();
        assert_eq!(
            actions,
            [
                "agenda",
                "followups",
                "handover",
                "duty-log",
                "visitors",
                "complaints",
                "owner-visits",
                "show-flat",
                "keys",
                "permits",
                "history"
            ]
        );
        let labels: std::collections::BTreeSet<&str> = items
            .iter()
            .map(|i| i.label.text(shiftbook_model::Lang::Zh))
            .collect();
        assert_eq!(labels.len(), RAIL.len());
        let glyphs: std::collections::BTreeSet<&str> =
            items.iter().map(|i| i.screen.glyph()).collect();
        assert_eq!(glyphs.len(), RAIL.len());
        // The desktop-only screens are not on the tablet.
        for s in [
            Screen::Templates,
            Screen::Checkpoints,
            Screen::Roster,
            Screen::Security,
            Screen::Settings,
        ] {
            assert!(s.rail().is_none(), "{s:?}");
        }
    }

    #[test]
    fn each_screen_opens_a_route_that_belongs_to_it() {
        let t = targets();
        for s in RAIL {
            let route = opens(s, &t).expect("every target known");
            assert_eq!(Screen::of(&route), s, "{s:?}");
            // The route survives the address bar.
            assert_eq!(Route::from_fragment(&route.fragment()), route, "{s:?}");
        }
        assert_eq!(
            opens(Screen::Handover, &t),
            Some(Route::Handover("lobby".into(), "2026-11-30".into()))
        );
        assert_eq!(
            opens(Screen::DutyLog, &t),
            Some(Route::DutyLog("2026-11-29".into())),
            "the duty log opens the service day, not the calendar date"
        );
        assert_eq!(
            opens(Screen::ShowFlat, &t),
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
        assert_eq!(screens.len(), RAIL.len() - 2);
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
