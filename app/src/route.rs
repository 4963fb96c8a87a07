//! Which screen a signed-in tablet shows, kept in the address's fragment so
//! a reload (or a crash) comes back to the round being walked:
//! `#round/<template>/<service date>/<slot>` for a round, `#followups` for
//! the follow-ups, `#history` for past days, `#flat/<flat>/<date>` for a show-flat count,
//! `#duty-log/<service date>` for a day's duty log, `#visitors` for the
//! visitor log, anything else for the agenda.

/// A tablet screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// What is due, next and missed.
    Agenda,
    /// Open and this month's follow-ups.
    FollowUps,
    /// A past day's rounds.
    History,
    /// A show flat's count on a service day: (flat id, date).
    Flat(String, String),
    /// The duty log of a service day.
    DutyLog(String),
    /// The visitor log: who is inside, waiting, today's visits.
    Visitors,
    /// One round.
    Round(RoundRef),
}

/// Which round: template, service date and slot key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RoundRef {
    /// Template id.
    pub template: String,
    /// Service date, `YYYY-MM-DD`.
    pub date: String,
    /// Slot key (`0830`, `1800`, `m`, or an on-demand key).
    pub slot: String,
}

impl RoundRef {
    /// `template/date/slot`, also used as the agenda rows' test id.
    pub fn path(&self) -> String {
        format!("{}/{}/{}", self.template, self.date, self.slot)
    }
}

impl Route {
    /// The fragment for this screen (without `#`).
    pub fn fragment(&self) -> String {
        match self {
            Self::Agenda => String::new(),
            Self::FollowUps => "followups".to_owned(),
            Self::History => "history".to_owned(),
            Self::Flat(flat, date) => format!("flat/{flat}/{date}"),
            Self::DutyLog(date) => format!("duty-log/{date}"),
            Self::Visitors => "visitors".to_owned(),
            Self::Round(r) => format!("round/{}", r.path()),
        }
    }

    /// The screen a fragment names; the agenda for anything malformed.
    pub fn from_fragment(fragment: &str) -> Self {
        let f = fragment.trim_start_matches('#');
        let mut parts = f.split('/');
        match (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) {
            (Some("round"), Some(t), Some(d), Some(s), None)
                if shiftbook_model::ids::is_key(t)
                    && shiftbook_model::ids::is_key(s)
                    && shiftbook_model::checklist::validate_date(d).is_ok() =>
            {
                Self::Round(RoundRef {
                    template: t.to_owned(),
                    date: d.to_owned(),
                    slot: s.to_owned(),
                })
            }
            (Some("followups"), None, ..) => Self::FollowUps,
            (Some("history"), None, ..) => Self::History,
            (Some("visitors"), None, ..) => Self::Visitors,
            (Some("duty-log"), Some(d), None, ..)
                if shiftbook_model::checklist::validate_date(d).is_ok() =>
            {
                Self::DutyLog(d.to_owned())
            }
            (Some("flat"), Some(f), Some(d), None, _)
                if shiftbook_model::ids::is_key(f)
                    && shiftbook_model::checklist::validate_date(d).is_ok() =>
            {
                Self::Flat(f.to_owned(), d.to_owned())
            }
            _ => Self::Agenda,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_round_trip_through_the_fragment_and_junk_is_the_agenda() {
        let r = Route::Round(RoundRef {
            template: "show-flat-night".into(),
            date: "2026-11-25".into(),
            slot: "1830".into(),
        });
        assert_eq!(r.fragment(), "round/show-flat-night/2026-11-25/1830");
        assert_eq!(Route::from_fragment(&format!("#{}", r.fragment())), r);
        assert_eq!(Route::from_fragment("#followups"), Route::FollowUps);
        assert_eq!(Route::FollowUps.fragment(), "followups");
        assert_eq!(Route::from_fragment("#history"), Route::History);
        let flat = Route::Flat("demo-flat-a".into(), "2026-11-25".into());
        assert_eq!(Route::from_fragment(&format!("#{}", flat.fragment())), flat);
        assert_eq!(Route::from_fragment("#flat/a b/2026-11-25"), Route::Agenda);
        let duty = Route::DutyLog("2026-11-25".into());
        assert_eq!(duty.fragment(), "duty-log/2026-11-25");
        assert_eq!(Route::from_fragment(&format!("#{}", duty.fragment())), duty);
        assert_eq!(Route::Visitors.fragment(), "visitors");
        assert_eq!(Route::from_fragment("#visitors"), Route::Visitors);
        for junk in [
            "",
            "#",
            "#round",
            "#round/a/2026-13-01/0830",
            "#round/a b/2026-11-25/0830",
            "#round/a/2026-11-25/0830/extra",
            "#settings",
            "#duty-log",
            "#duty-log/2026-02-30x",
            "#duty-log/2026-11-25/extra",
            "#visitors/2026-11-25",
        ] {
            assert_eq!(Route::from_fragment(junk), Route::Agenda, "{junk}");
        }
    }
}
