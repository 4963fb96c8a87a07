//! The groups the screens are shown in: the desktop sidebar's headings,
//! the tablet rail's dividers.

use crate::words::i18n::Msg;

/// A group of screens: the desktop sidebar's headings, the tablet rail's
/// dividers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Section {
    /// 巡查: rounds, follow-ups, past days, checklists.
    Patrol,
    /// 样板房: the show flats, their keys, contractors' work permits.
    ShowFlats,
    /// 前台: hand-overs, the duty log, visitors, complaints, owner visits.
    FrontDesk,
    /// 管理: the roster, the security log, the site settings.
    Admin,
}

impl Section {
    /// Every section, in the order the sidebar shows them.
    pub const ALL: [Section; 4] = [
        Section::Patrol,
        Section::ShowFlats,
        Section::FrontDesk,
        Section::Admin,
    ];

    /// The heading.
    pub fn label(self) -> Msg {
        match self {
            Self::Patrol => Msg::NavPatrol,
            Self::ShowFlats => Msg::NavShowFlats,
            Self::FrontDesk => Msg::NavFrontDesk,
            Self::Admin => Msg::NavAdmin,
        }
    }

    /// The CSS class / test hook naming the section.
    pub fn key(self) -> &'static str {
        match self {
            Self::Patrol => "patrol",
            Self::ShowFlats => "show-flats",
            Self::FrontDesk => "front-desk",
            Self::Admin => "admin",
        }
    }
}
