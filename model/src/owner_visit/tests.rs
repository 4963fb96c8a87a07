//! Owner-visit record tests: visits round-trip with attribution, views by
//! unit across months, follow-ups (also concurrent), refusals that change
//! nothing, the supervisor's month-end signature with what came after it,
//! and a property test over three replicas.

use super::*;
use crate::roster::Role;
use crate::test_support::{merge_everywhere, merged, on_tablet, person, supervisor, sync};
use proptest::prelude::*;

const MONTH: &str = "2026-11";

fn staff(n: u8) -> Attribution {
    person(n, Role::Staff, 1_000 * i64::from(n))
}

fn replica(n: u8, month: &str) -> Automerge {
    on_tablet(genesis("demo", month).unwrap(), n)
}

fn date(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn new_visit(id: &str, unit: &str, on: &str) -> NewVisit {
    NewVisit {
        id: id.into(),
        unit: unit.into(),
        owner: " 陈先生 ".into(),
        date: date(on),
        visitor: "张伟".into(),
        opinions: "电梯高峰期等候太久".into(),
        requests: String::new(),
        follow_up: String::new(),
    }
}

fn refusal(e: ModelError) -> Refusal {
    match e {
        ModelError::OwnerVisit(r) => r,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn words_purposes_and_one_genesis() {
    assert_eq!(EventKind::FollowedUp.as_str(), "followed-up");
    assert_eq!(purpose(MONTH), "owner-visits/2026-11");
    let site = crate::SiteKey::from_random([3; 32]);
    assert_eq!(
        document_id(&site, MONTH),
        crate::DocumentId::derive(&site, "owner-visits/2026-11")
    );
    assert_eq!(
        genesis("demo", MONTH).unwrap().save(),
        genesis("demo", MONTH).unwrap().save()
    );
    assert!(genesis("demo", "2026-00").is_err());
    assert_eq!(record_month(&replica(1, MONTH)).unwrap(), MONTH);
}

#[test]
fn a_visit_round_trips_with_attribution() {
    let mut doc = replica(1, MONTH);
    let mut v = new_visit("v1", "3栋 1201", "2026-11-05");
    v.requests = " 希望增加快递柜 ".into();
    v.follow_up = "联系快递柜供应商".into();
    record(&mut doc, &v, &staff(1)).unwrap();
    note(&mut doc, "v1", "业主电话 138…", &staff(2)).unwrap();
    let visit = visit(&doc, "v1").unwrap().unwrap();
    assert_eq!(visit.date, date("2026-11-05"));
    assert_eq!(visit.month, MONTH);
    assert_eq!(visit.details.owner, "陈先生");
    assert_eq!(visit.details.requests, "希望增加快递柜");
    assert_eq!(visit.details.follow_up.as_deref(), Some("联系快递柜供应商"));
    assert_eq!(visit.recorded_by().unwrap().person, "p1");
    assert_eq!(visit.notes()[0].text, "业主电话 138…");
    assert!(visit.needs_follow_up());
    let summaries: Vec<(String, String)> = crate::attribution::history(&doc)
        .into_iter()
        .filter_map(|c| Some((c.attribution?.person, c.summary)))
        .collect();
    assert_eq!(
        summaries,
        [
            ("p1".into(), "owner-visit visited v1".into()),
            ("p2".into(), "owner-visit note v1".into())
        ]
    );
}

#[test]
fn visits_by_unit_across_months() {
    let mut oct = replica(1, "2026-10");
    let mut nov = replica(1, MONTH);
    record(
        &mut oct,
        &new_visit("a", "3栋1201", "2026-10-30"),
        &staff(1),
    )
    .unwrap();
    record(
        &mut nov,
        &new_visit("b", "3栋 １２０１", "2026-11-02"),
        &staff(1),
    )
    .unwrap();
    record(&mut nov, &new_visit("c", "5栋101", "2026-11-01"), &staff(1)).unwrap();
    record(
        &mut nov,
        &new_visit("d", "3栋1201 ", "2026-11-20"),
        &staff(1),
    )
    .unwrap();
    let units = by_unit(&nov).unwrap();
    assert_eq!(units.keys().collect::<Vec<_>>(), ["3栋1201", "5栋101"]);
    let ids = |vs: &[Visit]| vs.iter().map(|v| v.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&units["3栋1201"]), ["b", "d"]);
    assert_eq!(
        ids(&unit_history(&[&nov, &oct], "3栋 1201").unwrap()),
        ["a", "b", "d"]
    );
    assert_eq!(ids(&visits(&nov).unwrap()), ["c", "b", "d"], "by date");
}

#[test]
fn follow_ups_stay_open_until_recorded_and_concurrent_ones_are_kept() {
    let mut a = replica(1, MONTH);
    let mut v = new_visit("v1", "3栋1201", "2026-11-05");
    v.follow_up = "检查单元门闭门器".into();
    record(&mut a, &v, &staff(1)).unwrap();
    record(&mut a, &new_visit("v2", "5栋101", "2026-11-06"), &staff(1)).unwrap();
    let open = open_follow_ups(&[&a]).unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].id, "v1");
    let heads = a.get_heads();
    assert_eq!(
        refusal(followed_up(&mut a, "v2", "x", &staff(1)).unwrap_err()),
        Refusal::NoFollowUp("v2".into())
    );
    assert!(matches!(
        followed_up(&mut a, "v1", " ", &staff(1)),
        Err(ModelError::BadText(_))
    ));
    assert_eq!(a.get_heads(), heads);

    let mut b = replica(2, MONTH);
    b.merge(&mut a.clone()).unwrap();
    followed_up(&mut a, "v1", "已调整闭门器", &staff(1)).unwrap();
    followed_up(&mut b, "v1", "已报工程部", &staff(2)).unwrap();
    assert_eq!(
        refusal(followed_up(&mut a, "v1", "again", &staff(1)).unwrap_err()),
        Refusal::AlreadyFollowedUp("v1".into())
    );
    let m = merged(&a, &b);
    let v1 = visit(&m, "v1").unwrap().unwrap();
    assert_eq!(v1.follow_ups().len(), 2);
    assert!(!v1.needs_follow_up());
    assert!(open_follow_ups(&[&m]).unwrap().is_empty());
    assert_eq!(visits(&m).unwrap(), visits(&merged(&b, &a)).unwrap());
}

#[test]
fn bad_input_is_refused_and_nothing_changes() {
    let mut doc = replica(1, MONTH);
    record(
        &mut doc,
        &new_visit("v1", "3栋1201", "2026-11-05"),
        &staff(1),
    )
    .unwrap();
    let heads = doc.get_heads();
    let with = |f: &dyn Fn(&mut NewVisit)| {
        let mut v = new_visit("v2", "3栋1201", "2026-11-05");
        f(&mut v);
        v
    };
    for v in [
        with(&|v| v.unit = " ".into()),
        with(&|v| v.owner = String::new()),
        with(&|v| v.visitor = "\t".into()),
        with(&|v| v.id = "v 2".into()),
        with(&|v| v.opinions = "意".repeat(MAX_TEXT_CHARS + 1)),
        with(&|v| v.unit = "单".repeat(MAX_NAME_CHARS + 1)),
    ] {
        assert!(
            matches!(record(&mut doc, &v, &staff(1)), Err(ModelError::BadText(_))),
            "{v:?}"
        );
    }
    assert_eq!(
        refusal(record(&mut doc, &with(&|v| v.date = date("2026-12-01")), &staff(1)).unwrap_err()),
        Refusal::OtherMonth {
            date: "2026-12-01".into(),
            month: MONTH.into()
        }
    );
    assert_eq!(
        refusal(record(&mut doc, &new_visit("v1", "x", "2026-11-01"), &staff(1)).unwrap_err()),
        Refusal::Exists("v1".into())
    );
    assert_eq!(
        refusal(note(&mut doc, "v9", "x", &staff(1)).unwrap_err()),
        Refusal::Unknown("v9".into())
    );
    assert!(matches!(
        note(&mut doc, "v1", "", &staff(1)),
        Err(ModelError::BadText(_))
    ));
    assert_eq!(doc.get_heads(), heads);
    let mut other = crate::complaint::genesis("demo", MONTH).unwrap();
    assert!(matches!(
        record(&mut other, &new_visit("v3", "x", "2026-11-01"), &staff(1)),
        Err(ModelError::WrongSchema(_))
    ));
}

#[test]
fn the_supervisor_signs_at_month_end_and_later_visits_show_as_added() {
    let mut a = replica(1, MONTH);
    record(&mut a, &new_visit("v1", "3栋1201", "2026-11-05"), &staff(1)).unwrap();
    let heads = a.get_heads();
    for role in [Role::Staff, Role::Leader] {
        assert!(matches!(
            sign_month(&mut a, date("2026-11-30"), &person(2, role, 5)),
            Err(ModelError::NotAllowed { .. })
        ));
    }
    for early in ["2026-11-29", "2026-10-31"] {
        assert_eq!(
            refusal(sign_month(&mut a, date(early), &supervisor(5)).unwrap_err()),
            Refusal::MonthNotOver {
                month: MONTH.into(),
                today: early.into()
            }
        );
    }
    assert_eq!(a.get_heads(), heads);

    // Another tablet records a visit the supervisor has not seen.
    let mut b = replica(2, MONTH);
    b.merge(&mut a.clone()).unwrap();
    record(&mut b, &new_visit("v2", "5栋101", "2026-11-29"), &staff(2)).unwrap();
    let signature = sign_month(&mut a, date("2026-11-30"), &supervisor(6)).unwrap();
    assert_eq!(signature.meaning, Meaning::MonthlyReview);
    record(&mut a, &new_visit("v3", "6栋202", "2026-11-30"), &staff(1)).unwrap();
    let m = merged(&a, &b);
    assert_eq!(signatures(&m).unwrap(), std::slice::from_ref(&signature));
    let after: Vec<String> = crate::signature::changes_after(&m, &signature)
        .unwrap()
        .into_iter()
        .map(|c| c.summary)
        .collect();
    assert_eq!(after.len(), 2);
    assert!(after.contains(&"owner-visit visited v2".to_owned()));
    assert!(after.contains(&"owner-visit visited v3".to_owned()));
    let signed = crate::signature::as_signed(&m, &signature).unwrap();
    let ids: Vec<String> = visits(&signed).unwrap().into_iter().map(|v| v.id).collect();
    assert_eq!(ids, ["v1"]);
    // Signing the following month is fine too.
    let mut dec = replica(3, "2026-12");
    sign_month(&mut dec, date("2027-01-02"), &supervisor(7)).unwrap();
}

/// One random step: on which replica, what, on which visit, then sync.
#[derive(Debug, Clone)]
struct RandomStep {
    replica: usize,
    action: u8,
    visit: usize,
    follow_up: bool,
    sync: Option<usize>,
}

fn random_steps() -> impl Strategy<Value = Vec<RandomStep>> {
    proptest::collection::vec(
        (
            0..3usize,
            0..5u8,
            0..3usize,
            any::<bool>(),
            proptest::option::of(0..3usize),
        )
            .prop_map(|(replica, action, visit, follow_up, sync)| RandomStep {
                replica,
                action,
                visit,
                follow_up,
                sync,
            }),
        1..40,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    /// Random visits, notes, follow-ups and signatures on three replicas
    /// with random partial syncs: every refusal changes nothing; after a
    /// full merge every replica shows the same visits, every event written
    /// is there once, and a visit needs a follow-up exactly when it asked
    /// for one and none is recorded.
    #[test]
    fn three_replicas_converge_and_lose_nothing(steps in random_steps()) {
        let ids = ["v0", "v1", "v2"];
        let mut rs = [replica(1, MONTH), replica(2, MONTH), replica(3, MONTH)];
        let mut written: Vec<(String, EventKind, String)> = Vec::new();
        let mut signed = 0;
        for (n, step) in steps.iter().enumerate() {
            let by = person(step.replica as u8, Role::Staff, n as i64 * 1_000);
            let id = ids[step.visit];
            let text = format!("t{n}");
            let doc = &mut rs[step.replica];
            let heads = doc.get_heads();
            let result = match step.action {
                0 | 1 => {
                    let mut v = new_visit(id, "3栋1201", "2026-11-05");
                    if step.follow_up {
                        v.follow_up = text.clone();
                    }
                    record(doc, &v, &by).map(|_| Some((EventKind::Visited, String::new())))
                }
                2 => note(doc, id, &text, &by).map(|_| Some((EventKind::Note, text.clone()))),
                3 => followed_up(doc, id, &text, &by)
                    .map(|_| Some((EventKind::FollowedUp, text.clone()))),
                _ => sign_month(doc, date("2026-11-30"), &supervisor(n as i64)).map(|_| None),
            };
            match result {
                Ok(None) => signed += 1,
                Ok(Some((kind, stored))) => written.push((id.to_owned(), kind, stored)),
                Err(e) => {
                    prop_assert!(matches!(e, ModelError::OwnerVisit(_)), "{:?}", e);
                    prop_assert_eq!(doc.get_heads(), heads);
                }
            }
            if let Some(other) = step.sync.filter(|o| *o != step.replica) {
                sync(&mut rs, step.replica, other);
            }
        }
        merge_everywhere(&mut rs);
        let view = visits(&rs[0]).unwrap();
        for r in &rs[1..] {
            prop_assert_eq!(r.get_heads(), rs[0].get_heads());
            prop_assert_eq!(&visits(r).unwrap(), &view);
        }
        prop_assert_eq!(signatures(&rs[0]).unwrap().len(), signed);
        let mut seen: Vec<(String, EventKind, String)> = events(&rs[0])
            .unwrap()
            .into_iter()
            .map(|e| (e.visit, e.kind, e.text))
            .collect();
        seen.sort();
        written.sort();
        prop_assert_eq!(&seen, &written);
        for v in &view {
            let asked = v.details.follow_up.is_some();
            let done = v.history.iter().any(|e| e.kind == EventKind::FollowedUp);
            prop_assert_eq!(v.needs_follow_up(), asked && !done);
        }
    }
}
