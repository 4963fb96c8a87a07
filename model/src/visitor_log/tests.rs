//! Visitor log tests: the round trip with attribution and the open index,
//! refusals of bad input (a full ID number among them) that change
//! nothing, blocked visitors waiting for a supervisor (staff and leaders
//! refused), visitors turned away at the door, approvals and refusals
//! that cross, concurrent exits, a
//! visitor still inside across days, filters and search, the leader's
//! signature, index repair, and a property test over three replicas
//! checked against automerge's own causality.

use super::*;
use crate::roster::Role;
use crate::test_support::{
    Merge, actor, both_ways, merge_everywhere, on_tablet, person, staff, supervisor, sync,
};
use automerge::ReadDoc;
use proptest::prelude::*;
use std::collections::BTreeMap;

const DATE: &str = "2026-11-23";

fn refusal(e: ModelError) -> Refusal {
    match e {
        ModelError::VisitorLog(r) => r,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// A tablet's documents: one day and the site's open index.
#[derive(Clone)]
struct Desk {
    day: Automerge,
    index: Automerge,
}

fn desk_on(n: u8, date: &str) -> Desk {
    Desk {
        day: on_tablet(genesis("demo", date).unwrap(), n),
        index: on_tablet(index_genesis("demo").unwrap(), n),
    }
}

fn desk(n: u8) -> Desk {
    desk_on(n, DATE)
}

impl Merge for Desk {
    fn merge_from(&mut self, other: &Desk) {
        self.day.merge_from(&other.day);
        self.index.merge_from(&other.index);
    }
}

impl Desk {
    fn heads(&self) -> (Vec<ChangeHash>, Vec<ChangeHash>) {
        (self.day.get_heads(), self.index.get_heads())
    }

    fn arrive(&mut self, id: &str, a: &Arrival, by: &Attribution) -> Result<Written, ModelError> {
        arrive(&mut self.day, &mut self.index, id, a, by)
    }

    fn approve(&mut self, id: &str, by: &Attribution) -> Result<Written, ModelError> {
        approve(&mut self.day, &mut self.index, id, "同意", by)
    }

    fn refuse(&mut self, id: &str, by: &Attribution) -> Result<Written, ModelError> {
        refuse(&mut self.day, &mut self.index, id, "未经许可", by)
    }

    fn leave(&mut self, id: &str, at: &str, by: &Attribution) -> Result<Written, ModelError> {
        leave(&mut self.day, &mut self.index, id, at, by)
    }

    fn visit(&self, id: &str) -> Visit {
        VisitorDay::new(&self.day)
            .unwrap()
            .visit(id)
            .unwrap()
            .unwrap()
    }

    fn indexed(&self) -> Vec<String> {
        open_in_index(&self.index)
            .unwrap()
            .into_iter()
            .map(|(id, _)| id)
            .collect()
    }
}

fn guest(time_in: &str) -> Arrival {
    Arrival {
        name: " 李四 ".into(),
        category: Category::Guest,
        id_type: IdType::IdCard,
        id_last: "123x".into(),
        host: "王五".into(),
        unit: "3栋1201".into(),
        purpose: "探亲".into(),
        approval: ApprovalMethod::Intercom,
        time_in: time_in.into(),
        people: 2,
    }
}

fn salesperson(time_in: &str) -> Arrival {
    Arrival {
        name: "推销员".into(),
        category: Category::Salesperson,
        id_type: IdType::NoId,
        id_last: String::new(),
        host: String::new(),
        unit: String::new(),
        purpose: "推销净水器".into(),
        approval: ApprovalMethod::Supervisor,
        time_in: time_in.into(),
        people: 1,
    }
}

#[test]
fn a_visit_round_trips_with_who_and_the_open_index() {
    let mut d = desk(1);
    assert_eq!(
        genesis("demo", DATE).unwrap().get_heads(),
        genesis("demo", DATE).unwrap().get_heads()
    );
    let by = staff(1, 1_763_900_000_000);
    let written = d.arrive("v1", &guest("2026-11-23T19:30"), &by).unwrap();
    assert!(written.index.is_some());
    let v = d.visit("v1");
    assert_eq!(v.arrival.name, "李四");
    assert_eq!(v.arrival.id_last, "123X", "upper case");
    assert_eq!(v.arrival.time_in, "2026-11-23 19:30");
    assert_eq!((v.arrival.people, v.date.as_str()), (2, DATE));
    assert_eq!(v.logged_by, Who::from(&by));
    assert_eq!(v.status, VisitStatus::Inside, "let in by intercom");
    assert!(v.is_inside() && v.is_open() && !v.needs_approval());
    assert_eq!(d.indexed(), ["v1"]);
    assert_eq!(
        open_in_index(&d.index).unwrap(),
        vec![("v1".to_owned(), DATE.to_owned())]
    );
    let day_change = crate::attribution::history(&d.day);
    let last = day_change.last().unwrap();
    assert_eq!(last.summary, "visit arrived v1");
    assert_eq!(last.attribution.as_ref(), Some(&by));
    assert_eq!(
        crate::attribution::history(&d.index)
            .last()
            .unwrap()
            .summary,
        "visitors-open put v1"
    );
    let key = crate::SiteKey::from_random([4; 32]);
    assert_eq!(
        document_id(&key, DATE),
        crate::DocumentId::derive(&key, "visitors/2026-11-23")
    );
    assert_eq!(
        index_document_id(&key),
        crate::DocumentId::derive(&key, "visitors-open")
    );
    for c in Category::ALL {
        assert_eq!(
            <Category as Hydrate>::hydrate_string(c.as_str()).unwrap(),
            c
        );
    }
    let blocked: Vec<Category> = Category::ALL
        .into_iter()
        .filter(|c| c.is_blocked())
        .collect();
    assert_eq!(blocked, [Category::Salesperson, Category::Unidentified]);
}

#[test]
fn bad_input_is_refused_and_changes_nothing() {
    let mut d = desk(1);
    let by = staff(1, 1_000);
    d.arrive("v1", &guest("2026-11-23 19:30"), &by).unwrap();
    let heads = d.heads();
    let g = || guest("2026-11-23 20:00");
    let bad: Vec<(&str, Arrival)> = vec![
        ("a/b", g()),
        ("v1", g()),
        (
            "v2",
            Arrival {
                id_last: "440106199001011234".into(),
                ..g()
            },
        ),
        (
            "v2",
            Arrival {
                id_last: "12345".into(),
                ..g()
            },
        ),
        (
            "v2",
            Arrival {
                id_last: "12-3".into(),
                ..g()
            },
        ),
        (
            "v2",
            Arrival {
                id_last: String::new(),
                ..g()
            },
        ),
        (
            "v2",
            Arrival {
                id_type: IdType::NoId,
                ..g()
            },
        ),
        ("v2", Arrival { people: 0, ..g() }),
        (
            "v2",
            Arrival {
                people: MAX_PEOPLE + 1,
                ..g()
            },
        ),
        (
            "v2",
            Arrival {
                name: " ".into(),
                ..g()
            },
        ),
        (
            "v2",
            Arrival {
                name: "李四 440106199001011234".into(),
                ..g()
            },
        ),
        (
            "v2",
            Arrival {
                purpose: "证件号４４０１０６１９９００１０１１２３４".into(),
                ..g()
            },
        ),
        (
            "v2",
            Arrival {
                time_in: "2026-11-22 20:00".into(),
                ..g()
            },
        ),
        (
            "v2",
            Arrival {
                time_in: "20:00".into(),
                ..g()
            },
        ),
        (
            "v2",
            Arrival {
                approval: ApprovalMethod::Escort,
                ..salesperson("2026-11-23 20:00")
            },
        ),
        (
            "v2",
            Arrival {
                purpose: "证件号 110101 19900307 1234".into(),
                ..g()
            },
        ),
        (
            "v2",
            Arrival {
                host: "王五 110101-19900307-123X".into(),
                ..g()
            },
        ),
    ];
    for (id, a) in &bad {
        let e = d.arrive(id, a, &by).unwrap_err();
        assert_eq!(d.heads(), heads, "{id} {a:?} → {e}");
    }
    let full = d
        .arrive(
            "v2",
            &Arrival {
                id_last: "440106199001011234".into(),
                ..g()
            },
            &by,
        )
        .unwrap_err();
    assert!(
        full.to_string()
            .contains("full ID numbers are never stored"),
        "{full}"
    );
    assert_eq!(refusal(full), Refusal::IdTooLong);
    for typed in [10, 15, 16] {
        assert!(matches!(
            d.arrive("v2", &bad[typed].1, &by),
            Err(ModelError::BadText(crate::free_text::BadText::IdNumber(_)))
        ));
    }
    assert_eq!(
        refusal(d.arrive("v2", &bad[14].1, &by).unwrap_err()),
        Refusal::NeedsSupervisor(Category::Salesperson)
    );
    assert_eq!(
        refusal(d.arrive("v1", &g(), &by).unwrap_err()),
        Refusal::AlreadyLogged("v1".into())
    );
    // Exits, decisions and notes that cannot be.
    assert_eq!(
        refusal(d.leave("v1", "2026-11-23 19:00", &by).unwrap_err()),
        Refusal::OutBeforeIn {
            time_in: "2026-11-23 19:30".into(),
            time_out: "2026-11-23 19:00".into()
        }
    );
    assert!(matches!(
        d.leave("v1", "soon", &by),
        Err(ModelError::BadDateTime(_))
    ));
    assert_eq!(
        refusal(d.leave("zz", "2026-11-23 21:00", &by).unwrap_err()),
        Refusal::UnknownVisit("zz".into())
    );
    assert_eq!(
        refusal(d.approve("v1", &supervisor(2_000)).unwrap_err()),
        Refusal::NoApprovalNeeded("v1".into())
    );
    assert!(note(&mut d.day, "v1", " ", &by).is_err());
    assert_eq!(d.heads(), heads);
    // An index of another site.
    let mut other_index = index_genesis("elsewhere").unwrap();
    let before = other_index.get_heads();
    assert!(matches!(
        arrive(&mut d.day, &mut other_index, "v3", &g(), &by),
        Err(ModelError::VisitorLog(Refusal::OtherSite { .. }))
    ));
    assert_eq!((d.heads(), other_index.get_heads()), (heads, before));
}

#[test]
fn a_blocked_visitor_waits_for_a_supervisor() {
    let mut d = desk(1);
    d.arrive("s1", &salesperson("2026-11-23 10:00"), &staff(1, 1_000))
        .unwrap();
    let v = d.visit("s1");
    assert_eq!(v.status, VisitStatus::Waiting);
    assert!(!v.is_inside() && v.is_open());
    assert!(
        VisitorDay::new(&d.day)
            .unwrap()
            .inside()
            .unwrap()
            .is_empty()
    );
    assert_eq!(VisitorDay::new(&d.day).unwrap().waiting().unwrap().len(), 1);
    assert_eq!(d.indexed(), ["s1"], "waiting visits are open");
    let heads = d.heads();
    for role in [Role::Staff, Role::Leader] {
        match d.approve("s1", &person(2, role, 2_000)) {
            Err(ModelError::NotAllowed { role: r, meaning }) => {
                assert_eq!((r, meaning), (role.as_str(), APPROVE_MEANING));
            }
            other => panic!("{role:?}: {other:?}"),
        }
    }
    assert_eq!(
        refusal(
            d.leave("s1", "2026-11-23 10:30", &staff(1, 2_000))
                .unwrap_err()
        ),
        Refusal::NotInside {
            id: "s1".into(),
            status: VisitStatus::Waiting
        }
    );
    assert_eq!(d.heads(), heads, "nothing written");
    d.approve("s1", &supervisor(3_000)).unwrap();
    let v = d.visit("s1");
    assert_eq!(v.status, VisitStatus::Inside);
    assert_eq!(v.approvals.len(), 1);
    assert_eq!(v.decisions[0].event.by.role, Role::Supervisor);
    assert_eq!(
        refusal(d.refuse("s1", &supervisor(3_500)).unwrap_err()),
        Refusal::AlreadyDecided {
            id: "s1".into(),
            status: VisitStatus::Inside
        }
    );
    d.leave("s1", "2026-11-23 11:00", &staff(1, 4_000)).unwrap();
    assert_eq!(d.visit("s1").status, VisitStatus::Left);
    assert!(d.indexed().is_empty());
    // Anyone may turn a waiting visitor away, with a reason; they never
    // count as inside.
    let mut u = salesperson("2026-11-23 12:00");
    u.category = Category::Unidentified;
    u.name = String::new();
    d.arrive("u1", &u, &staff(1, 5_000)).unwrap();
    assert!(refuse(&mut d.day, &mut d.index, "u1", " ", &staff(1, 5_500)).is_err());
    d.refuse("u1", &staff(1, 6_000)).unwrap();
    let v = d.visit("u1");
    assert_eq!(v.status, VisitStatus::Refused);
    assert_eq!(v.refusals[0].event.text, "未经许可");
    assert!(!v.is_open());
    assert!(d.indexed().is_empty());
    assert_eq!(
        refusal(d.approve("u1", &supervisor(7_000)).unwrap_err()),
        Refusal::AlreadyDecided {
            id: "u1".into(),
            status: VisitStatus::Refused
        }
    );
    // Any visit logged with the supervisor's method waits the same way.
    let g = Arrival {
        approval: ApprovalMethod::Supervisor,
        ..guest("2026-11-23 13:00")
    };
    d.arrive("g1", &g, &staff(1, 8_000)).unwrap();
    assert_eq!(d.visit("g1").status, VisitStatus::Waiting);
}

#[test]
fn a_visitor_turned_away_at_the_door_is_refused_never_inside() {
    let mut d = desk(1);
    d.arrive("g1", &guest("2026-11-23 14:00"), &staff(1, 1_000))
        .unwrap();
    assert_eq!(d.visit("g1").status, VisitStatus::Inside);
    // A blank reason changes nothing.
    let heads = d.heads();
    assert!(matches!(
        refuse(&mut d.day, &mut d.index, "g1", " ", &staff(1, 1_500)),
        Err(ModelError::BadText(_))
    ));
    assert_eq!(d.heads(), heads);
    // The resident declines over the intercom: staff turn the visitor away.
    let written = refuse(
        &mut d.day,
        &mut d.index,
        "g1",
        "业主不同意来访",
        &staff(1, 2_000),
    )
    .unwrap();
    assert!(written.index.is_some(), "out of the open index");
    let v = d.visit("g1");
    assert_eq!(v.status, VisitStatus::Refused);
    assert!(!v.is_inside() && !v.is_open());
    assert_eq!(v.refusals[0].event.text, "业主不同意来访");
    assert!(d.indexed().is_empty());
    assert!(inside(&[&d.day]).unwrap().is_empty());
    assert_eq!(
        crate::attribution::history(&d.day).last().unwrap().summary,
        "visit refused g1"
    );
    // Nothing more to decide: no second refusal, no approval, no exit.
    let heads = d.heads();
    assert_eq!(
        refusal(d.refuse("g1", &staff(2, 3_000)).unwrap_err()),
        Refusal::AlreadyDecided {
            id: "g1".into(),
            status: VisitStatus::Refused
        }
    );
    assert_eq!(
        refusal(d.approve("g1", &supervisor(3_000)).unwrap_err()),
        Refusal::NoApprovalNeeded("g1".into())
    );
    assert_eq!(
        refusal(
            d.leave("g1", "2026-11-23 15:00", &staff(1, 3_000))
                .unwrap_err()
        ),
        Refusal::NotInside {
            id: "g1".into(),
            status: VisitStatus::Refused
        }
    );
    assert_eq!(d.heads(), heads);
    // A visitor who has left cannot be turned away.
    d.arrive("g2", &guest("2026-11-23 14:10"), &staff(1, 4_000))
        .unwrap();
    d.leave("g2", "2026-11-23 14:40", &staff(1, 5_000)).unwrap();
    let heads = d.heads();
    assert_eq!(
        refusal(d.refuse("g2", &staff(1, 6_000)).unwrap_err()),
        Refusal::NotInside {
            id: "g2".into(),
            status: VisitStatus::Left
        }
    );
    assert_eq!(d.heads(), heads);
    // Turned away on one tablet while another logs the exit: the exit is a
    // fact and wins; both events are kept. Two tablets turning the same
    // visitor away: refused once, both reasons kept.
    d.arrive("g3", &guest("2026-11-23 14:20"), &staff(1, 7_000))
        .unwrap();
    d.arrive("g4", &guest("2026-11-23 14:30"), &staff(1, 7_500))
        .unwrap();
    let mut e = desk(2);
    e.merge_from(&d);
    d.refuse("g3", &staff(1, 8_000)).unwrap();
    e.leave("g3", "2026-11-23 14:50", &staff(2, 8_000)).unwrap();
    d.refuse("g4", &staff(1, 8_100)).unwrap();
    e.refuse("g4", &staff(2, 8_100)).unwrap();
    let (mut de, ed) = both_ways(&d, &e);
    let g3 = de.visit("g3");
    assert_eq!(g3, ed.visit("g3"));
    assert_eq!(g3.status, VisitStatus::Left);
    assert_eq!((g3.refusals.len(), g3.exits.len()), (1, 1));
    let g4 = de.visit("g4");
    assert_eq!(g4.status, VisitStatus::Refused);
    assert_eq!((g4.refusals.len(), g4.decisions.len()), (2, 2));
    reconcile_index(&de.day, &mut de.index, &staff(1, 9_000)).unwrap();
    assert!(de.indexed().is_empty());
}

#[test]
fn an_approval_and_a_refusal_that_cross_are_disputed_until_decided() {
    let mut a = desk(1);
    a.arrive("s1", &salesperson("2026-11-23 10:00"), &staff(1, 1_000))
        .unwrap();
    let mut b = desk(2);
    b.merge_from(&a);
    a.approve("s1", &supervisor(2_000)).unwrap();
    b.refuse("s1", &staff(2, 2_100)).unwrap();
    let (mut ab, ba) = both_ways(&a, &b);
    let v = ab.visit("s1");
    assert_eq!(v, ba.visit("s1"));
    assert_eq!(v.status, VisitStatus::Disputed);
    assert!(v.is_inside(), "they may have been let in");
    assert_eq!(v.decisions.len(), 2, "both shown");
    assert_eq!(VisitorDay::new(&ab.day).unwrap().inside().unwrap().len(), 1);
    // The refusal's delete removed the index entry the approval found in
    // place; reconciling puts it back.
    assert!(ab.indexed().is_empty());
    assert!(reconcile_index(&ab.day, &mut ab.index, &staff(1, 2_500)).unwrap());
    assert_eq!(ab.indexed(), ["s1"]);
    // Staff cannot decide a disputed visit; a supervisor can.
    let heads = ab.heads();
    assert!(matches!(
        ab.refuse("s1", &staff(1, 3_000)),
        Err(ModelError::NotAllowed { .. })
    ));
    assert_eq!(ab.heads(), heads);
    ab.refuse("s1", &supervisor(3_000)).unwrap();
    let v = ab.visit("s1");
    assert_eq!(v.status, VisitStatus::Refused);
    assert_eq!(v.decisions.len(), 1);
    assert_eq!(v.decisions[0].event.after.len(), 2, "written after both");
    assert_eq!((v.approvals.len(), v.refusals.len()), (1, 2), "all kept");
    // An exit crossing a refusal: the exit is a fact and wins.
    let (mut c, mut e) = both_ways(&a, &b);
    c.leave("s1", "2026-11-23 10:20", &staff(1, 4_000)).unwrap();
    e.refuse("s1", &supervisor(4_000)).unwrap();
    let (ce, _) = both_ways(&c, &e);
    assert_eq!(ce.visit("s1").status, VisitStatus::Left);
}

#[test]
fn exits_logged_concurrently_are_both_kept_and_the_earliest_shown() {
    let mut a = desk(1);
    a.arrive("v1", &guest("2026-11-23 19:30"), &staff(1, 1_000))
        .unwrap();
    let mut b = desk(2);
    b.merge_from(&a);
    a.leave("v1", "2026-11-23 21:10", &staff(1, 2_000)).unwrap();
    b.leave("v1", "2026-11-23T21:05", &staff(2, 2_500)).unwrap();
    let (ab, ba) = both_ways(&a, &b);
    for d in [&ab, &ba] {
        let visits = VisitorDay::new(&d.day).unwrap().visits().unwrap();
        assert_eq!(visits.len(), 1, "no duplicate");
        let v = &visits[0];
        assert_eq!(v.status, VisitStatus::Left);
        assert_eq!(v.exits.len(), 2);
        assert_eq!(v.time_out.as_deref(), Some("2026-11-23 21:05"));
        assert!(d.indexed().is_empty());
    }
    assert_eq!(ab.visit("v1"), ba.visit("v1"));
    let mut again = ab.clone();
    assert_eq!(
        refusal(
            again
                .leave("v1", "2026-11-23 22:00", &staff(1, 3_000))
                .unwrap_err()
        ),
        Refusal::NotInside {
            id: "v1".into(),
            status: VisitStatus::Left
        }
    );
}

#[test]
fn a_visitor_still_inside_shows_the_next_day() {
    let mut yesterday = desk(1);
    yesterday
        .arrive("v1", &guest("2026-11-23 21:00"), &staff(1, 1_000))
        .unwrap();
    yesterday
        .arrive("v2", &guest("2026-11-23 21:30"), &staff(1, 1_500))
        .unwrap();
    yesterday
        .leave("v2", "2026-11-23 22:00", &staff(1, 2_000))
        .unwrap();
    // The next morning, another tablet holds the index and today's day.
    let mut today = desk_on(2, "2026-11-24");
    today.index.merge(&mut yesterday.index.clone()).unwrap();
    today
        .arrive("v3", &guest("2026-11-24 08:10"), &staff(2, 3_000))
        .unwrap();
    assert_eq!(
        days_to_load(&today.index, "2026-11-24").unwrap(),
        ["2026-11-23", "2026-11-24"]
    );
    let mut old_day = genesis("demo", "2026-11-23").unwrap();
    old_day.set_actor(actor(2));
    old_day.merge(&mut yesterday.day.clone()).unwrap();
    let names: Vec<(String, String)> = inside(&[&today.day, &old_day])
        .unwrap()
        .into_iter()
        .map(|v| (v.date, v.id))
        .collect();
    assert_eq!(
        names,
        vec![
            ("2026-11-23".to_owned(), "v1".to_owned()),
            ("2026-11-24".to_owned(), "v3".to_owned()),
        ]
    );
    // Leaving the next morning goes into the visit's own day.
    leave(
        &mut old_day,
        &mut today.index,
        "v1",
        "2026-11-24 09:00",
        &staff(2, 4_000),
    )
    .unwrap();
    assert_eq!(
        days_to_load(&today.index, "2026-11-24").unwrap(),
        ["2026-11-24"]
    );
    let v = VisitorDay::new(&old_day)
        .unwrap()
        .visit("v1")
        .unwrap()
        .unwrap();
    assert_eq!(v.time_out.as_deref(), Some("2026-11-24 09:00"));
    assert!(days_to_load(&today.index, "24-11-2026").is_err());
}

#[test]
fn filters_and_search() {
    let mut d = desk(1);
    d.arrive("v1", &guest("2026-11-23 09:00"), &staff(1, 1_000))
        .unwrap();
    let mut w = guest("2026-11-23 10:00");
    w.category = Category::Contractor;
    w.unit = "5栋0302".into();
    w.host = "赵六".into();
    w.name = "Zhou Qi".into();
    w.approval = ApprovalMethod::Pass;
    d.arrive("v2", &w, &staff(2, 2_000)).unwrap();
    d.arrive("s1", &salesperson("2026-11-23 11:00"), &staff(2, 3_000))
        .unwrap();
    d.leave("v1", "2026-11-23 09:30", &staff(1, 4_000)).unwrap();
    let day = VisitorDay::new(&d.day).unwrap();
    let of = |f: VisitFilter| -> Vec<String> {
        day.filter(&f).unwrap().into_iter().map(|v| v.id).collect()
    };
    assert_eq!(of(VisitFilter::default()), ["v1", "v2", "s1"]);
    assert_eq!(
        of(VisitFilter {
            unit: Some("1201".into()),
            ..Default::default()
        }),
        ["v1"]
    );
    assert_eq!(
        of(VisitFilter {
            host: Some("赵六".into()),
            ..Default::default()
        }),
        ["v2"]
    );
    assert_eq!(
        of(VisitFilter {
            name: Some("zhou".into()),
            ..Default::default()
        }),
        ["v2"]
    );
    assert_eq!(
        of(VisitFilter {
            logged_by: Some("id2".into()),
            ..Default::default()
        }),
        ["v2", "s1"]
    );
    assert_eq!(
        of(VisitFilter {
            category: Some(Category::Salesperson),
            ..Default::default()
        }),
        ["s1"]
    );
    assert_eq!(
        of(VisitFilter {
            status: Some(VisitStatus::Left),
            ..Default::default()
        }),
        ["v1"]
    );
    assert_eq!(
        of(VisitFilter {
            status: Some(VisitStatus::Inside),
            ..Default::default()
        }),
        ["v2"]
    );
    assert_eq!(
        of(VisitFilter {
            status: Some(VisitStatus::Waiting),
            ..Default::default()
        }),
        ["s1"]
    );
    let mut next = desk_on(1, "2026-11-24");
    next.arrive("n1", &guest("2026-11-24 08:00"), &staff(1, 5_000))
        .unwrap();
    let found: Vec<String> = search(
        &[&next.day, &d.day],
        &VisitFilter {
            unit: Some("3栋".into()),
            ..Default::default()
        },
    )
    .unwrap()
    .into_iter()
    .map(|v| v.id)
    .collect();
    assert_eq!(found, ["v1", "n1"]);
    assert_eq!(waiting(&[&next.day, &d.day]).unwrap().len(), 1);
}

#[test]
fn the_leader_signs_the_day_and_sees_what_came_after() {
    let mut d = desk(1);
    d.arrive("v1", &guest("2026-11-23 09:00"), &staff(1, 1_000))
        .unwrap();
    let heads = d.heads();
    assert!(sign_day(&mut d.day, &staff(1, 2_000)).is_err());
    assert_eq!(d.heads(), heads);
    let signature = sign_day(&mut d.day, &person(5, Role::Leader, 2_000)).unwrap();
    d.leave("v1", "2026-11-23 18:00", &staff(1, 3_000)).unwrap();
    note(&mut d.day, "v1", "留下名片", &staff(1, 3_500)).unwrap();
    let day = VisitorDay::new(&d.day).unwrap();
    assert_eq!(day.signatures().unwrap(), vec![signature.clone()]);
    let after = day.after_signing(&signature).unwrap();
    assert_eq!(after.visits, ["v1"]);
    let kinds: Vec<EventKind> = after.events.iter().map(|e| e.event.kind).collect();
    assert_eq!(kinds, [EventKind::Left, EventKind::Note]);
    assert_eq!(after.changes.len(), 2);
    assert_eq!(d.visit("v1").notes[0].text, "留下名片");
}

#[test]
fn reconciling_repairs_the_index_from_the_day() {
    let mut d = desk(1);
    d.arrive("v1", &guest("2026-11-23 09:00"), &staff(1, 1_000))
        .unwrap();
    d.arrive("v2", &guest("2026-11-23 09:10"), &staff(1, 1_100))
        .unwrap();
    d.leave("v2", "2026-11-23 09:20", &staff(1, 1_200)).unwrap();
    // An index that missed the arrival, still lists the exit, and holds a
    // visit of a day this tablet has not synced.
    let mut index = index_genesis("demo").unwrap();
    let open = DAYS.open_map(&index).unwrap();
    let edits = [
        open_index::Edit::Put("v2".into(), DATE.into()),
        open_index::Edit::Put("other".into(), "2026-11-20".into()),
    ];
    open_index::apply(&mut index, &open, &edits, "stale", &staff(1, 0)).unwrap();
    assert!(reconcile_index(&d.day, &mut index, &staff(1, 2_000)).unwrap());
    assert_eq!(
        open_in_index(&index).unwrap(),
        vec![
            ("other".to_owned(), "2026-11-20".to_owned()),
            ("v1".to_owned(), DATE.to_owned()),
        ]
    );
    assert!(
        !reconcile_index(&d.day, &mut index, &staff(1, 3_000)).unwrap(),
        "nothing left to do"
    );
}

// ───────────────────────────── property test ─────────────────────────────

#[derive(Debug, Clone)]
struct Step {
    replica: usize,
    person: u8,
    action: u8,
    target: usize,
    blocked: bool,
    minute: u16,
    sync: bool,
}

fn steps() -> impl Strategy<Value = Vec<Step>> {
    proptest::collection::vec(
        (
            0..3usize,
            1..4u8,
            0..6u8,
            0..6usize,
            any::<bool>(),
            0..600u16,
            any::<bool>(),
        )
            .prop_map(
                |(replica, person, action, target, blocked, minute, sync)| Step {
                    replica,
                    person,
                    action,
                    target,
                    blocked,
                    minute,
                    sync,
                },
            ),
        1..40,
    )
}

fn at(minute: u16) -> String {
    let m = 18 * 60 + minute; // 18:00 onwards, into the night after
    let (day, m) = if m >= 24 * 60 {
        ("2026-11-24", m - 24 * 60)
    } else {
        (DATE, m)
    };
    format!("{day} {:02}:{:02}", m / 60, m % 60)
}

/// Every change `hash` depends on, transitively (automerge's causality).
fn ancestors(doc: &Automerge, hash: &ChangeHash) -> BTreeSet<ChangeHash> {
    let mut out = BTreeSet::new();
    let mut stack = vec![*hash];
    while let Some(h) = stack.pop() {
        for dep in doc.get_change_by_hash(&h).unwrap().deps() {
            if out.insert(*dep) {
                stack.push(*dep);
            }
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    /// Random arrivals (some blocked), approvals by a supervisor, refusals,
    /// exits and notes on three replicas with random partial syncs: after a
    /// full merge every replica shows the same visits, each arrival exactly
    /// once, in time order; the status follows from the events by
    /// automerge's own causality (exits first, then the decisions no other
    /// decision depends on); the earliest exit is shown; who is inside is
    /// exactly the admitted visits without an exit; and reconciling makes
    /// the index list exactly the open visits.
    #[test]
    fn three_replicas_converge_and_lose_nothing(steps in steps()) {
        let mut ds = [desk(1), desk(2), desk(3)];
        let mut logged: Vec<String> = Vec::new();
        let mut decisions: BTreeMap<String, (ChangeHash, EventKind)> = BTreeMap::new();
        let mut exits = 0usize;
        for (n, step) in steps.iter().enumerate() {
            let d = &mut ds[step.replica];
            let staff_by = staff(step.person, 1_000 * n as i64);
            if step.action == 0 || logged.is_empty() {
                let id = format!("v{n}");
                let a = if step.blocked { salesperson(&at(step.minute)) } else { guest(&at(step.minute)) };
                d.arrive(&id, &a, &staff_by).unwrap();
                logged.push(id);
                continue;
            }
            let target = logged[step.target % logged.len()].clone();
            let text = format!("t{n}");
            let result = match step.action {
                1 => approve(&mut d.day, &mut d.index, &target, &text, &supervisor(1_000 * n as i64))
                    .map(|w| Some((w.day, EventKind::Approved))),
                2 => {
                    let by = if n % 2 == 0 { supervisor(1_000 * n as i64) } else { staff_by };
                    refuse(&mut d.day, &mut d.index, &target, &text, &by)
                        .map(|w| Some((w.day, EventKind::Refused)))
                }
                3 | 4 => leave(&mut d.day, &mut d.index, &target, &at(step.minute + 60), &staff_by)
                    .map(|_| {
                        exits += 1;
                        None
                    }),
                _ => note(&mut d.day, &target, &text, &staff_by).map(|_| None),
            };
            match result {
                Ok(Some(decided)) => { decisions.insert(text, decided); }
                Ok(None) => {}
                Err(ModelError::VisitorLog(_) | ModelError::NotAllowed { .. }) => {}
                Err(e) => panic!("{e:?}"),
            }
            if step.sync {
                sync(&mut ds, step.replica, (step.replica + 1 + n % 2) % 3);
            }
        }
        merge_everywhere(&mut ds);
        let views: Vec<Vec<Visit>> = ds
            .iter()
            .map(|d| VisitorDay::new(&d.day).unwrap().visits().unwrap())
            .collect();
        prop_assert_eq!(&views[0], &views[1]);
        prop_assert_eq!(&views[1], &views[2]);
        let visits = &views[0];
        let doc = &ds[0].day;
        let mut listed: Vec<String> = visits.iter().map(|v| v.id.clone()).collect();
        listed.sort();
        let mut written = logged.clone();
        written.sort();
        prop_assert_eq!(listed, written, "every visit exactly once");
        for pair in visits.windows(2) {
            prop_assert!(pair[0].key() < pair[1].key(), "time order");
        }
        prop_assert_eq!(visits.iter().map(|v| v.exits.len()).sum::<usize>(), exits, "every exit kept");
        for v in visits {
            prop_assert_eq!(v.arrivals.len(), 1);
            let decided: Vec<(ChangeHash, EventKind)> = v
                .approvals
                .iter()
                .chain(&v.refusals)
                .map(|l| decisions[&l.event.text])
                .collect();
            let standing: BTreeSet<EventKind> = decided
                .iter()
                .filter(|(h, _)| !decided.iter().any(|(o, _)| ancestors(doc, o).contains(h)))
                .map(|(_, k)| *k)
                .collect();
            let expected = if !v.exits.is_empty() {
                VisitStatus::Left
            } else if !v.needs_approval() {
                // Let in without approval: inside until turned away.
                if standing.is_empty() { VisitStatus::Inside } else { VisitStatus::Refused }
            } else if standing.is_empty() {
                VisitStatus::Waiting
            } else if standing.len() == 2 {
                VisitStatus::Disputed
            } else if standing.contains(&EventKind::Approved) {
                VisitStatus::Inside
            } else {
                VisitStatus::Refused
            };
            prop_assert_eq!(v.status, expected, "{}", v.id);
            let earliest = v.exits.iter().filter_map(|e| e.time_out.clone()).min();
            prop_assert_eq!(&v.time_out, &earliest);
        }
        let inside_ids: Vec<String> = inside(&[doc]).unwrap().into_iter().map(|v| v.id).collect();
        let expected_inside: Vec<String> = visits
            .iter()
            .filter(|v| matches!(v.status, VisitStatus::Inside | VisitStatus::Disputed))
            .map(|v| v.id.clone())
            .collect();
        prop_assert_eq!(inside_ids, expected_inside);
        let d = &mut ds[0];
        reconcile_index(&d.day, &mut d.index, &staff(1, 0)).unwrap();
        let mut open: Vec<String> = visits.iter().filter(|v| v.is_open()).map(|v| v.id.clone()).collect();
        open.sort();
        prop_assert_eq!(d.indexed(), open);
    }
}
