//! The supervisor desktop's left sidebar as plain data: the screens of
//! [`Screen::ALL`] that have a desktop tab, grouped under the section
//! headings (巡查 patrol, 样板房 show flats, 前台 front desk, 管理 admin),
//! the current one highlighted, the same red counts as the tablet's rail.
//! A tab lives in the address's fragment (`/supervisor#roster`,
//! [`Screen::on_desk`]), so a reload stays on it.

use super::{Badges, Screen, Section};
use crate::words::i18n::Msg;

/// One tab in the sidebar as shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SidebarItem {
    /// Which screen.
    pub screen: Screen,
    /// Its label.
    pub label: Msg,
    /// The fragment naming the tab, also its `data-tab`.
    pub tab: &'static str,
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
pub fn sidebar(current: Screen, badges: &Badges) -> Vec<SidebarGroup> {
    Section::ALL
        .into_iter()
        .map(|section| SidebarGroup {
            section,
            items: Screen::ALL
                .into_iter()
                .filter(|s| s.section() == section)
                .filter_map(|screen| {
                    let place = screen.desk()?;
                    Some(SidebarItem {
                        screen,
                        label: place.label,
                        tab: place.tab,
                        active: screen == current,
                        count: screen.badge().and_then(|b| b.shown(badges)),
                    })
                })
                .collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sidebar_groups_every_tab_once_under_the_four_headings() {
        let groups = sidebar(Screen::Agenda, &Badges::default());
        let sections: Vec<Section> = groups.iter().map(|g| g.section).collect();
        assert_eq!(sections, Section::ALL);
        let tabs = |s: Section| -> Vec<&str> {
            groups
                .iter()
                .find(|g| g.section == s)
                .map(|g| g.items.iter().map(|i| i.tab).collect())
                .unwrap_or_default()
        };
        assert_eq!(
            tabs(Section::Patrol),
            [
                "dashboard",
                "round",
                "followups",
                "history",
                "templates",
                "checkpoints"
            ]
        );
        assert_eq!(tabs(Section::ShowFlats), ["flats", "keys", "permits"]);
        assert_eq!(
            tabs(Section::FrontDesk),
            [
                "handovers",
                "duty-log",
                "visitors",
                "complaints",
                "owner-visits"
            ]
        );
        assert_eq!(tabs(Section::Admin), ["roster", "security", "settings"]);
        // Every screen with a desktop tab exactly once: all of them.
        let all: Vec<Screen> = groups
            .iter()
            .flat_map(|g| g.items.iter().map(|i| i.screen))
            .collect();
        assert_eq!(all.len(), Screen::ALL.len());
        for s in Screen::ALL {
            assert_eq!(all.iter().filter(|t| **t == s).count(), 1, "{s:?}");
        }
    }

    #[test]
    fn exactly_the_current_tab_is_active_and_badges_sit_where_supervisors_act() {
        for current in Screen::ALL {
            let groups = sidebar(current, &Badges::default());
            let active: Vec<Screen> = groups
                .iter()
                .flat_map(|g| g.items.iter().filter(|i| i.active).map(|i| i.screen))
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
        let counted: Vec<(&str, usize)> = sidebar(Screen::Agenda, &badges)
            .iter()
            .flat_map(|g| g.items.iter().filter_map(|i| Some((i.tab, i.count?))))
            .collect();
        assert_eq!(
            counted,
            [
                ("followups", 1),
                ("keys", 3),
                ("permits", 4),
                ("handovers", 2),
                ("visitors", 6),
                ("complaints", 5),
            ]
        );
        assert!(
            sidebar(Screen::Agenda, &Badges::default())
                .iter()
                .all(|g| g.items.iter().all(|i| i.count.is_none()))
        );
    }
}
