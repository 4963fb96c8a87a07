//! The red counts on the navigation: what needs someone now, counted once
//! (`shell/badges.rs` computes them from the store) and shown on
//! the tablet's rail and the desktop's sidebar alike.

use crate::words::i18n::Msg;

/// The counts. Zero means no badge.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Badges {
    /// Follow-ups still open.
    pub open_followups: usize,
    /// Hand-overs refused or not taken over in time (the person's books,
    /// today and yesterday).
    pub handover_alerts: usize,
    /// Keys lost, disputed or handed over and not confirmed.
    pub key_alerts: usize,
    /// Work permits that need someone.
    pub permit_alerts: usize,
    /// Complaints overdue or to escalate now.
    pub urgent_complaints: usize,
    /// Visitors waiting for a supervisor's approval.
    pub visitors_waiting: usize,
}

/// Which count a badge shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Badge {
    /// [`Badges::open_followups`].
    OpenFollowUps,
    /// [`Badges::handover_alerts`].
    HandoverAlerts,
    /// [`Badges::key_alerts`].
    KeyAlerts,
    /// [`Badges::permit_alerts`].
    PermitAlerts,
    /// [`Badges::urgent_complaints`].
    UrgentComplaints,
    /// [`Badges::visitors_waiting`].
    VisitorsWaiting,
}

impl Badge {
    /// Its count in `badges`.
    pub fn count(self, badges: &Badges) -> usize {
        match self {
            Self::OpenFollowUps => badges.open_followups,
            Self::HandoverAlerts => badges.handover_alerts,
            Self::KeyAlerts => badges.key_alerts,
            Self::PermitAlerts => badges.permit_alerts,
            Self::UrgentComplaints => badges.urgent_complaints,
            Self::VisitorsWaiting => badges.visitors_waiting,
        }
    }

    /// The count when there is something to show.
    pub fn shown(self, badges: &Badges) -> Option<usize> {
        Some(self.count(badges)).filter(|n| *n > 0)
    }

    /// The test hook (`data-testid`) of the count, as the e2e tests know it.
    pub fn testid(self) -> &'static str {
        match self {
            Self::OpenFollowUps => "open-followups",
            Self::HandoverAlerts => "handover-alert-count",
            Self::KeyAlerts => "key-alert-count",
            Self::PermitAlerts => "permit-alert-count",
            Self::UrgentComplaints => "urgent-complaints",
            Self::VisitorsWaiting => "visitors-waiting",
        }
    }

    /// What the count counts, for a tooltip and screen readers.
    pub fn meaning(self) -> Msg {
        match self {
            Self::OpenFollowUps => Msg::OpenFollowUps,
            Self::HandoverAlerts => Msg::HoAlerts,
            Self::KeyAlerts => Msg::NavKeyAlerts,
            Self::PermitAlerts => Msg::NavPermitAlerts,
            Self::UrgentComplaints => Msg::NavUrgentComplaints,
            Self::VisitorsWaiting => Msg::NavVisitorsWaiting,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Badge; 6] = [
        Badge::OpenFollowUps,
        Badge::HandoverAlerts,
        Badge::KeyAlerts,
        Badge::PermitAlerts,
        Badge::UrgentComplaints,
        Badge::VisitorsWaiting,
    ];

    #[test]
    fn each_badge_reads_its_own_count_and_zero_shows_nothing() {
        let badges = Badges {
            open_followups: 1,
            handover_alerts: 2,
            key_alerts: 3,
            permit_alerts: 4,
            urgent_complaints: 5,
            visitors_waiting: 6,
        };
        let counts: Vec<usize> = ALL.iter().map(|b| b.count(&badges)).collect();
        assert_eq!(counts, [1, 2, 3, 4, 5, 6]);
        for b in ALL {
            assert_eq!(b.shown(&badges), Some(b.count(&badges)));
            assert_eq!(b.shown(&Badges::default()), None, "{b:?}");
        }
    }

    #[test]
    fn test_hooks_are_distinct_and_keep_the_agenda_links_names() {
        let ids: std::collections::BTreeSet<&str> = ALL.iter().map(|b| b.testid()).collect();
        assert_eq!(ids.len(), ALL.len());
        for kept in [
            "open-followups",
            "key-alert-count",
            "permit-alert-count",
            "urgent-complaints",
            "handover-alert-count",
        ] {
            assert!(ids.contains(kept), "{kept}");
        }
    }
}
