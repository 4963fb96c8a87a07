//! Which screen a signed-in tablet shows, kept in the address's fragment so
//! a reload (or a crash) comes back to the round being walked:
//! `#round/<template>/<service date>/<slot>` for a round, `#followups` for
//! the follow-ups, `#history` for past days, `#flat/<flat>/<date>` for a show-flat count,
//! `#keys` for the key register, `#permits` for work permits,
//! `#handover/<book>/<date>` for a hand-over book's day,
//! `#complaints` for owner requests and complaints, `#complaint/<month>/<id>`
//! for one, `#owner-visits` (this month) or `#owner-visits/<month>` for the
//! owner-visit record, `#duty-log/<service date>` for a day's duty log,
//! `#visitors` for the visitor log, anything else for the agenda.
//! [`go`] shows a route, [`current_route`] and [`followed_route`] read it:
//! the one place screens and shared components navigate through.

use leptos::prelude::*;

/// Show `route` (sets the address's fragment, which the page follows)
/// from its top.
pub fn go(route: &Route) {
    if let Some(w) = web_sys::window() {
        let _ = w.location().set_hash(&route.fragment());
        w.scroll_to_with_x_and_y(0.0, 0.0);
    }
}

/// The screen the address's fragment names.
pub fn current_route() -> Route {
    let fragment = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    Route::from_fragment(&fragment)
}

/// The screen the fragment names, following it as it changes.
pub fn followed_route() -> RwSignal<Route> {
    let route = RwSignal::new(current_route());
    let listener = window_event_listener(leptos::ev::hashchange, move |_| {
        route.set(current_route());
    });
    on_cleanup(move || listener.remove());
    route
}

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
    /// The show flats' key register.
    Keys,
    /// Contractor work permits.
    Permits,
    /// A hand-over book's service day: (book id, date).
    Handover(String, String),
    /// Owner requests and complaints: the open ones, take one, search.
    Complaints,
    /// One complaint: (board month `YYYY-MM`, id).
    Complaint(String, String),
    /// The owner-visit record of a month (`None`: this month).
    OwnerVisits(Option<String>),
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
            Self::Keys => "keys".to_owned(),
            Self::Permits => "permits".to_owned(),
            Self::Handover(book, date) => format!("handover/{book}/{date}"),
            Self::Complaints => "complaints".to_owned(),
            Self::Complaint(month, id) => format!("complaint/{month}/{id}"),
            Self::OwnerVisits(None) => "owner-visits".to_owned(),
            Self::OwnerVisits(Some(month)) => format!("owner-visits/{month}"),
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
            (Some("keys"), None, ..) => Self::Keys,
            (Some("permits"), None, ..) => Self::Permits,
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
            (Some("handover"), Some(b), Some(d), None, _)
                if shiftbook_model::ids::is_key(b)
                    && shiftbook_model::checklist::validate_date(d).is_ok() =>
            {
                Self::Handover(b.to_owned(), d.to_owned())
            }
            (Some("complaints"), None, ..) => Self::Complaints,
            (Some("complaint"), Some(m), Some(id), None, _)
                if shiftbook_model::free_text::is_month(m) && shiftbook_model::ids::is_key(id) =>
            {
                Self::Complaint(m.to_owned(), id.to_owned())
            }
            (Some("owner-visits"), None, ..) => Self::OwnerVisits(None),
            (Some("owner-visits"), Some(m), None, ..)
                if shiftbook_model::free_text::is_month(m) =>
            {
                Self::OwnerVisits(Some(m.to_owned()))
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
        for r in [Route::Keys, Route::Permits] {
            assert_eq!(Route::from_fragment(&format!("#{}", r.fragment())), r);
        }
        assert_eq!(Route::Keys.fragment(), "keys");
        assert_eq!(Route::Permits.fragment(), "permits");
        assert_eq!(Route::from_fragment("#keys/k1"), Route::Agenda);
        assert_eq!(Route::from_fragment("#permits/2026-11"), Route::Agenda);
        let book = Route::Handover("cs-control-room".into(), "2026-11-25".into());
        assert_eq!(book.fragment(), "handover/cs-control-room/2026-11-25");
        assert_eq!(Route::from_fragment(&format!("#{}", book.fragment())), book);
        for junk in [
            "#handover/lobby",
            "#handover/lobby/2026-13-01",
            "#handover/前台/2026-11-25",
            "#handover/lobby/2026-11-25/h-1",
        ] {
            assert_eq!(Route::from_fragment(junk), Route::Agenda, "{junk}");
        }
        for r in [
            Route::Complaints,
            Route::Complaint("2026-11".into(), "c-9f3a".into()),
            Route::OwnerVisits(None),
            Route::OwnerVisits(Some("2026-10".into())),
        ] {
            assert_eq!(Route::from_fragment(&format!("#{}", r.fragment())), r);
        }
        assert_eq!(
            Route::Complaint("2026-11".into(), "c1".into()).fragment(),
            "complaint/2026-11/c1"
        );
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
            "#complaint/2026-13/c1",
            "#complaint/2026-11/c 1",
            "#complaint/2026-11",
            "#complaints/extra",
            "#owner-visits/2026-1",
            "#duty-log",
            "#duty-log/2026-02-30x",
            "#duty-log/2026-11-25/extra",
            "#visitors/2026-11-25",
        ] {
            assert_eq!(Route::from_fragment(junk), Route::Agenda, "{junk}");
        }
    }
}
