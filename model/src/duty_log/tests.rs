//! Duty log tests: the round trip with attribution, refusals that change
//! nothing, amendments that keep the original, concurrent amendments shown
//! as conflicts per field, two offline tablets' entries interleaving by
//! time after merging in both directions, night entries past midnight,
//! filters and search, the leader's signature and what came after it, and
//! a property test over three replicas checked against automerge's own
//! causality.

use super::*;
use crate::roster::Role;
use crate::test_support::{actor, merge_everywhere, merged, on_tablet, person, staff, sync};
use automerge::ReadDoc;
use proptest::prelude::*;

const DATE: &str = "2026-11-23";

fn tablet(n: u8) -> Automerge {
    on_tablet(genesis("demo", DATE).unwrap(), n)
}

fn draft(id: &str, occurred: &str) -> Draft {
    Draft {
        id: id.into(),
        occurred: occurred.into(),
        post: "lobby".into(),
        kind: EventType::Visitor,
        event: " 外卖员要求进入 3 栋 ".into(),
        action: "对讲联系业主".into(),
        result: String::new(),
    }
}

fn refusal(e: ModelError) -> Refusal {
    match e {
        ModelError::DutyLog(r) => r,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn ids(doc: &Automerge) -> Vec<String> {
    DutyLog::new(doc)
        .unwrap()
        .entries()
        .unwrap()
        .into_iter()
        .map(|e| e.id)
        .collect()
}

fn entry(doc: &Automerge, id: &str) -> DutyEntry {
    DutyLog::new(doc).unwrap().entry(id).unwrap().unwrap()
}

fn result_of(text: &str) -> Correction {
    Correction {
        result: Some(text.into()),
        ..Correction::default()
    }
}

#[test]
fn an_entry_round_trips_with_who_and_when() {
    let mut doc = tablet(1);
    assert_eq!(
        genesis("demo", DATE).unwrap().get_heads(),
        genesis("demo", DATE).unwrap().get_heads(),
        "two tablets open the same day offline"
    );
    let by = staff(1, 1_763_800_000_123);
    record(&mut doc, &draft("e1", "2026-11-23T21:05"), &by).unwrap();
    let day = DutyLog::new(&doc).unwrap();
    assert_eq!(
        (day.site().unwrap(), day.date().unwrap()),
        ("demo".into(), DATE.into())
    );
    let e = entry(&doc, "e1");
    assert_eq!(e.original.occurred, "2026-11-23 21:05", "canonical form");
    assert_eq!(e.original.event, "外卖员要求进入 3 栋", "trimmed");
    assert_eq!(e.original.by, Who::from(&by));
    assert_eq!(e.occurred.value(), Some(&"2026-11-23 21:05".to_owned()));
    assert_eq!(e.kind.value(), Some(&EventType::Visitor));
    assert_eq!(e.result.value(), Some(&String::new()));
    assert!(e.occurred.candidates()[0].from.is_none(), "the original");
    assert_eq!(e.state(), EntryState::AsWritten);
    let history = crate::attribution::history(&doc);
    let last = history.last().unwrap();
    assert_eq!(last.summary, "duty-log entry e1");
    assert_eq!(last.attribution.as_ref(), Some(&by));
    assert_eq!(
        document_id(&crate::SiteKey::from_random([3; 32]), DATE),
        crate::DocumentId::derive(&crate::SiteKey::from_random([3; 32]), "duty-log/2026-11-23")
    );
    assert_eq!(EventType::ALL.len(), 10);
    for t in EventType::ALL {
        assert_eq!(
            <EventType as Hydrate>::hydrate_string(t.as_str()).unwrap(),
            t
        );
    }
}

#[test]
fn bad_input_is_refused_and_changes_nothing() {
    let mut doc = tablet(1);
    let by = staff(1, 1_000);
    record(&mut doc, &draft("e1", "2026-11-23 08:00"), &by).unwrap();
    let heads = doc.get_heads();
    let bad_drafts = [
        Draft {
            id: "a b".into(),
            ..draft("x", "2026-11-23 08:00")
        },
        Draft {
            post: "大堂".into(),
            ..draft("x", "2026-11-23 08:00")
        },
        Draft {
            event: "  ".into(),
            ..draft("x", "2026-11-23 08:00")
        },
        Draft {
            event: "字".repeat(MAX_TEXT + 1),
            ..draft("x", "2026-11-23 08:00")
        },
        Draft {
            event: "来访 身份证 440106199001011234".into(),
            ..draft("x", "2026-11-23 08:00")
        },
        draft("x", "2026-11-22 23:00"),
        draft("x", "2026-11-25 01:00"),
        Draft {
            action: "核对证件 110101 19900307 1234".into(),
            ..draft("x", "2026-11-23 08:00")
        },
        draft("x", "08:00"),
        draft("e1", "2026-11-23 09:00"),
    ];
    for d in &bad_drafts {
        let e = record(&mut doc, d, &by).unwrap_err();
        assert_eq!(doc.get_heads(), heads, "{d:?} → {e}");
    }
    assert!(matches!(
        record(&mut doc, &draft("e1", "2026-11-23 09:00"), &by),
        Err(ModelError::DutyLog(Refusal::AlreadyRecorded(_)))
    ));
    for typed in [&bad_drafts[4], &bad_drafts[7]] {
        assert!(matches!(
            record(&mut doc, typed, &by),
            Err(ModelError::BadText(crate::free_text::BadText::IdNumber(_)))
        ));
    }
    assert!(matches!(
        record(&mut doc, &draft("x", "2026-11-25 01:00"), &by),
        Err(ModelError::OutsideServiceDay { .. })
    ));
    let bad_amendments: [(&str, Correction, &str); 6] = [
        ("zz", result_of("ok"), "typo"),
        ("e1", result_of("ok"), " "),
        ("e1", Correction::default(), "typo"),
        ("e1", result_of(""), "same as now"),
        (
            "e1",
            Correction {
                occurred: Some("2026-11-26 08:00".into()),
                ..Correction::default()
            },
            "typo",
        ),
        (
            "e1",
            Correction {
                event: Some(String::new()),
                ..Correction::default()
            },
            "blank event",
        ),
    ];
    for (id, c, reason) in &bad_amendments {
        let e = amend(&mut doc, id, c, reason, &by).unwrap_err();
        assert_eq!(doc.get_heads(), heads, "{id} {c:?} → {e}");
    }
    assert_eq!(
        refusal(amend(&mut doc, "zz", &result_of("ok"), "typo", &by).unwrap_err()),
        Refusal::UnknownEntry("zz".into())
    );
    assert_eq!(
        refusal(amend(&mut doc, "e1", &result_of(""), "same", &by).unwrap_err()),
        Refusal::NothingCorrected("e1".into())
    );
    // Another kind of document is not a duty log.
    let mut other = crate::security_log::genesis("demo", DATE).unwrap();
    let before = other.get_heads();
    assert!(matches!(
        record(&mut other, &draft("x", "2026-11-23 08:00"), &by),
        Err(ModelError::WrongSchema(_))
    ));
    assert_eq!(other.get_heads(), before);
    assert!(genesis("demo", "2026-11-3").is_err());
}

#[test]
fn amendments_keep_the_original_and_list_who_and_when() {
    let mut doc = tablet(1);
    record(&mut doc, &draft("e1", "2026-11-23 08:00"), &staff(1, 1_000)).unwrap();
    let fix = Correction {
        post: Some("gate".into()),
        result: Some("业主同意，已放行".into()),
        action: Some("对讲联系业主".into()), // unchanged: left out
        ..Correction::default()
    };
    amend(&mut doc, "e1", &fix, "写错岗位", &staff(2, 2_000)).unwrap();
    let e = entry(&doc, "e1");
    assert_eq!(e.original.post, "lobby", "the original stays");
    assert_eq!(e.original.result, "");
    assert_eq!(e.post.value(), Some(&"gate".to_owned()));
    assert_eq!(e.result.value(), Some(&"业主同意，已放行".to_owned()));
    assert_eq!(e.action.candidates()[0].from, None, "unchanged field");
    assert_eq!(e.amendments.len(), 1);
    let a = &e.amendments[0].amendment;
    assert_eq!(a.correction.fields(), vec![Field::Post, Field::Result]);
    assert_eq!(
        (a.reason.as_str(), a.by.person.as_str(), a.by.at_ms),
        ("写错岗位", "p2", 2_000)
    );
    let from = e.post.candidates()[0].from.as_ref().unwrap();
    assert_eq!(from.id, e.amendments[0].id);
    assert_eq!(e.state(), EntryState::Amended);
    // A second amendment after seeing the first supersedes it, field by field.
    amend(
        &mut doc,
        "e1",
        &result_of("业主拒绝"),
        "业主改口",
        &staff(1, 3_000),
    )
    .unwrap();
    let e = entry(&doc, "e1");
    assert_eq!(e.result.value(), Some(&"业主拒绝".to_owned()));
    assert_eq!(
        e.post.value(),
        Some(&"gate".to_owned()),
        "kept from the first"
    );
    assert_eq!(e.amendments.len(), 2);
    assert_eq!(
        e.amendments[1].amendment.after,
        vec![e.amendments[0].id.clone()]
    );
    assert_eq!(e.latest_amendments(), vec![e.amendments[1].id.as_str()]);
    assert!(e.conflicts().is_empty());
    assert_eq!(
        crate::attribution::history(&doc).last().unwrap().summary,
        "duty-log amend e1"
    );
}

#[test]
fn concurrent_amendments_conflict_on_the_fields_they_disagree_on() {
    let mut a = tablet(1);
    record(&mut a, &draft("e1", "2026-11-23 08:00"), &staff(1, 1_000)).unwrap();
    let mut b = tablet(2);
    b.merge(&mut a.clone()).unwrap();
    // Offline, both correct the entry.
    let fix_a = Correction {
        result: Some("已放行".into()),
        action: Some("核对业主资料".into()),
        kind: Some(EventType::Delivery),
        ..Correction::default()
    };
    let fix_b = Correction {
        result: Some("已拒绝".into()),
        action: Some("核对业主资料".into()),
        post: Some("gate".into()),
        ..Correction::default()
    };
    amend(&mut a, "e1", &fix_a, "补记结果", &staff(1, 2_000)).unwrap();
    amend(&mut b, "e1", &fix_b, "补记结果", &staff(2, 2_500)).unwrap();
    let (ab, ba) = (merged(&a, &b), merged(&b, &a));
    let (e, e2) = (entry(&ab, "e1"), entry(&ba, "e1"));
    assert_eq!(e, e2, "the same on both");
    assert_eq!(e.conflicts(), vec![Field::Result]);
    assert_eq!(e.state(), EntryState::Conflict);
    let FieldState::Conflict(values) = &e.result else {
        panic!("{:?}", e.result)
    };
    let mut shown: Vec<(&str, &str)> = values
        .iter()
        .map(|c| {
            let by = &c.from.as_ref().unwrap().amendment.by;
            (c.value.as_str(), by.person.as_str())
        })
        .collect();
    shown.sort();
    assert_eq!(shown, vec![("已拒绝", "p2"), ("已放行", "p1")]);
    assert_eq!(e.result.value(), None);
    assert_eq!(
        e.action.value(),
        Some(&"核对业主资料".to_owned()),
        "they agree"
    );
    assert_eq!(
        e.kind.value(),
        Some(&EventType::Delivery),
        "only one set it"
    );
    assert_eq!(e.post.value(), Some(&"gate".to_owned()), "only one set it");
    assert_eq!(e.original.result, "", "the original stays");
    // Whoever settles it must amend the field having seen both.
    let mut c = ab.clone();
    c.set_actor(actor(3));
    let settled = amend(&mut c, "e1", &fix_a, "again", &staff(3, 3_000));
    assert!(
        settled.is_ok(),
        "a value for a field in conflict settles it"
    );
    let e = entry(&c, "e1");
    assert_eq!(e.result.value(), Some(&"已放行".to_owned()));
    assert!(e.conflicts().is_empty());
    assert_eq!(e.amendments.len(), 3, "every amendment kept");
    let last = &e.amendments[2].amendment;
    assert_eq!(
        last.correction.fields(),
        vec![Field::Result],
        "only the conflicting field"
    );
    assert_eq!(last.after.len(), 2, "written after both");
}

#[test]
fn two_offline_tablets_interleave_by_time_in_both_directions() {
    let (mut a, mut b) = (tablet(1), tablet(2));
    let rec = |doc: &mut Automerge, id: &str, at: &str, by: Attribution| {
        record(doc, &draft(id, at), &by).unwrap();
    };
    rec(&mut a, "a1", "2026-11-23 08:00", staff(1, 10_000));
    rec(&mut a, "a2", "2026-11-23 10:00", staff(1, 20_000));
    rec(&mut a, "a3", "2026-11-24 01:30", staff(1, 30_000));
    rec(&mut b, "b1", "2026-11-23 09:00", staff(2, 15_000));
    rec(&mut b, "b2", "2026-11-23 10:00", staff(2, 5_000)); // same minute, recorded earlier
    rec(&mut b, "b3", "2026-11-23 23:59", staff(2, 40_000));
    let (ab, ba) = (merged(&a, &b), merged(&b, &a));
    let expected = ["a1", "b1", "b2", "a2", "b3", "a3"];
    assert_eq!(ids(&ab), expected);
    assert_eq!(ids(&ba), expected);
    assert_eq!(
        DutyLog::new(&ab).unwrap().entries().unwrap(),
        DutyLog::new(&ba).unwrap().entries().unwrap()
    );
    // Merging again duplicates nothing.
    let again = merged(&ab, &ba);
    assert_eq!(ids(&again), expected);
    // An amended time moves the entry.
    let mut c = again.clone();
    let to = Correction {
        occurred: Some("2026-11-23 07:00".into()),
        ..Correction::default()
    };
    amend(&mut c, "b3", &to, "时间写错", &staff(2, 50_000)).unwrap();
    assert_eq!(ids(&c), ["b3", "a1", "b1", "b2", "a2", "a3"]);
}

#[test]
fn entries_recorded_concurrently_under_one_id_are_both_shown() {
    let (mut a, mut b) = (tablet(1), tablet(2));
    record(&mut a, &draft("same", "2026-11-23 08:00"), &staff(1, 1_000)).unwrap();
    let mut other = draft("same", "2026-11-23 09:00");
    other.event = "另一件事".into();
    record(&mut b, &other, &staff(2, 2_000)).unwrap();
    let (ab, ba) = (merged(&a, &b), merged(&b, &a));
    let e = entry(&ab, "same");
    assert_eq!(e, entry(&ba, "same"));
    assert_eq!(ids(&ab), ["same"], "one row");
    assert_eq!(e.duplicates.len(), 1, "the other kept, not dropped");
    let events = [e.original.event.as_str(), e.duplicates[0].event.as_str()];
    assert!(events.contains(&"另一件事") && events.contains(&"外卖员要求进入 3 栋"));
    assert!(e.mentions("另一件事"));
}

#[test]
fn filters_search_and_posts() {
    let mut doc = tablet(1);
    let mut d1 = draft("e1", "2026-11-23 08:00");
    d1.kind = EventType::Repair;
    d1.event = "大堂灯不亮".into();
    record(&mut doc, &d1, &staff(1, 1_000)).unwrap();
    let mut d2 = draft("e2", "2026-11-23 09:00");
    d2.post = "gate".into();
    record(&mut doc, &d2, &staff(2, 2_000)).unwrap();
    record(&mut doc, &draft("e3", "2026-11-23 10:00"), &staff(2, 3_000)).unwrap();
    amend(
        &mut doc,
        "e1",
        &Correction {
            event: Some("大堂吊灯不亮".into()),
            ..Correction::default()
        },
        "补充",
        &staff(3, 4_000),
    )
    .unwrap();
    let day = DutyLog::new(&doc).unwrap();
    let of = |f: EntryFilter| -> Vec<String> {
        day.filter(&f).unwrap().into_iter().map(|e| e.id).collect()
    };
    assert_eq!(of(EntryFilter::default()), ["e1", "e2", "e3"]);
    assert_eq!(
        of(EntryFilter {
            post: Some("gate".into()),
            ..Default::default()
        }),
        ["e2"]
    );
    assert_eq!(
        of(EntryFilter {
            person: Some("id2".into()),
            ..Default::default()
        }),
        ["e2", "e3"]
    );
    assert_eq!(
        of(EntryFilter {
            person: Some("id3".into()),
            ..Default::default()
        }),
        ["e1"],
        "amended by"
    );
    assert_eq!(
        of(EntryFilter {
            kind: Some(EventType::Repair),
            ..Default::default()
        }),
        ["e1"]
    );
    assert_eq!(
        of(EntryFilter {
            text: Some("吊灯".into()),
            ..Default::default()
        }),
        ["e1"]
    );
    assert_eq!(
        of(EntryFilter {
            text: Some("灯不亮".into()),
            ..Default::default()
        }),
        ["e1"]
    );
    assert_eq!(
        of(EntryFilter {
            text: Some("补充".into()),
            ..Default::default()
        }),
        ["e1"],
        "reasons"
    );
    assert_eq!(
        of(EntryFilter {
            text: Some("3 栋".into()),
            ..Default::default()
        }),
        ["e2", "e3"]
    );
    assert_eq!(
        of(EntryFilter {
            state: Some(EntryState::Amended),
            ..Default::default()
        }),
        ["e1"]
    );
    assert_eq!(
        of(EntryFilter {
            post: Some("lobby".into()),
            person: Some("id2".into()),
            ..Default::default()
        }),
        ["e3"]
    );
    let posts: Vec<(String, Vec<String>)> = day
        .by_post()
        .unwrap()
        .into_iter()
        .map(|(p, es)| (p, es.into_iter().map(|e| e.id).collect()))
        .collect();
    assert_eq!(
        posts,
        vec![
            ("gate".into(), vec!["e2".into()]),
            ("lobby".into(), vec!["e1".into(), "e3".into()])
        ]
    );
    // A post in conflict is listed under both posts.
    let mut a = doc.clone();
    let mut b = doc.clone();
    b.set_actor(actor(9));
    let to = |p: &str| Correction {
        post: Some(p.into()),
        ..Correction::default()
    };
    amend(&mut a, "e2", &to("lobby"), "x", &staff(1, 5_000)).unwrap();
    amend(&mut b, "e2", &to("car-park"), "y", &staff(2, 5_000)).unwrap();
    let m = merged(&a, &b);
    let posts: Vec<(String, Vec<String>)> = DutyLog::new(&m)
        .unwrap()
        .by_post()
        .unwrap()
        .into_iter()
        .map(|(p, es)| (p, es.into_iter().map(|e| e.id).collect()))
        .collect();
    assert_eq!(
        posts,
        vec![
            ("car-park".into(), vec!["e2".into()]),
            ("lobby".into(), vec!["e1".into(), "e2".into(), "e3".into()]),
        ]
    );
    let day = DutyLog::new(&m).unwrap();
    assert_eq!(
        day.filter(&EntryFilter {
            state: Some(EntryState::Conflict),
            ..Default::default()
        })
        .unwrap()
        .len(),
        1
    );
    // Across days: the night after one day and the next morning interleave.
    let mut next = genesis("demo", "2026-11-24").unwrap();
    record(
        &mut next,
        &draft("n1", "2026-11-24 07:00"),
        &staff(1, 9_000),
    )
    .unwrap();
    let mut night = tablet(1);
    record(
        &mut night,
        &draft("late", "2026-11-24 02:00"),
        &staff(1, 8_000),
    )
    .unwrap();
    record(
        &mut night,
        &draft("later", "2026-11-24 07:30"),
        &staff(1, 8_500),
    )
    .unwrap();
    let found: Vec<(String, String)> = search(&[&next, &night], &EntryFilter::default())
        .unwrap()
        .into_iter()
        .map(|d| (d.date, d.entry.id))
        .collect();
    assert_eq!(
        found,
        vec![
            ("2026-11-23".into(), "late".into()),
            ("2026-11-24".into(), "n1".into()),
            ("2026-11-23".into(), "later".into()),
        ]
    );
}

#[test]
fn the_leader_signs_and_sees_what_came_after() {
    let mut a = tablet(1);
    record(&mut a, &draft("e1", "2026-11-23 08:00"), &staff(1, 1_000)).unwrap();
    record(&mut a, &draft("e2", "2026-11-23 09:00"), &staff(1, 2_000)).unwrap();
    let mut b = tablet(2);
    b.merge(&mut a.clone()).unwrap();
    let heads = a.get_heads();
    assert!(matches!(
        sign_day(&mut a, &staff(1, 3_000)),
        Err(ModelError::NotAllowed { .. })
    ));
    assert_eq!(a.get_heads(), heads, "a refused signature writes nothing");
    assert!(DutyLog::new(&a).unwrap().review().unwrap().is_none());
    let leader = person(5, Role::Leader, 3_000);
    let signature = sign_day(&mut a, &leader).unwrap();
    assert_eq!(signature.meaning, Meaning::DailyReview);
    let review = DutyLog::new(&a).unwrap().review().unwrap().unwrap();
    assert_eq!(
        (
            review.recorded.len(),
            review.amended.len(),
            review.changes.len()
        ),
        (0, 0, 0)
    );
    // Concurrently (the leader never saw it) and afterwards.
    record(&mut b, &draft("e3", "2026-11-23 09:30"), &staff(2, 3_500)).unwrap();
    a.merge(&mut b.clone()).unwrap();
    amend(&mut a, "e1", &result_of("已处理"), "补记", &staff(1, 4_000)).unwrap();
    let review = DutyLog::new(&a).unwrap().review().unwrap().unwrap();
    assert_eq!(review.signature, signature);
    assert_eq!(review.recorded, vec!["e3".to_owned()]);
    assert_eq!(review.amended, vec!["e1".to_owned()]);
    let who: Vec<&str> = review
        .changes
        .iter()
        .map(|c| c.attribution.as_ref().unwrap().person.as_str())
        .collect();
    assert_eq!(who, ["p2", "p1"]);
    // A second review covers everything so far.
    let supervisor = person(6, Role::Supervisor, 5_000);
    sign_day(&mut a, &supervisor).unwrap();
    let review = DutyLog::new(&a).unwrap().review().unwrap().unwrap();
    assert_eq!(review.signature.person, "p6");
    assert!(review.recorded.is_empty() && review.amended.is_empty());
    assert_eq!(DutyLog::new(&a).unwrap().signatures().unwrap().len(), 2);
}

// ───────────────────────────── property test ─────────────────────────────

#[derive(Debug, Clone)]
struct Step {
    replica: usize,
    person: u8,
    action: u8,
    target: usize,
    minute: u16,
    fields: u8,
    value: usize,
    sync: bool,
}

fn steps() -> impl Strategy<Value = Vec<Step>> {
    proptest::collection::vec(
        (
            0..3usize,
            1..4u8,
            0..5u8,
            0..8usize,
            0..(36 * 60u16),
            1..64u8,
            0..3usize,
            any::<bool>(),
        )
            .prop_map(
                |(replica, person, action, target, minute, fields, value, sync)| Step {
                    replica,
                    person,
                    action,
                    target,
                    minute,
                    fields,
                    value,
                    sync,
                },
            ),
        1..40,
    )
}

/// A local time `minute` minutes after the day's 00:00 (up to the night
/// after), in steps of 30 so that ties happen.
fn time_at(minute: u16) -> String {
    let m = (minute / 30) * 30;
    let (day, m) = if m >= 24 * 60 {
        ("2026-11-24", m - 24 * 60)
    } else {
        (DATE, m)
    };
    format!("{day} {:02}:{:02}", m / 60, m % 60)
}

fn correction(fields: u8, value: usize, minute: u16) -> Correction {
    let pick = |bit: u8| fields & (1 << bit) != 0;
    Correction {
        occurred: pick(0).then(|| time_at(minute)),
        post: pick(1).then(|| ["lobby", "gate", "car-park"][value].to_owned()),
        kind: pick(2).then(|| [EventType::Patrol, EventType::Alarm, EventType::Other][value]),
        event: pick(3).then(|| ["e-a", "e-b", "e-c"][value].to_owned()),
        action: pick(4).then(|| ["a-a", "a-b", ""][value].to_owned()),
        result: pick(5).then(|| ["r-a", "r-b", ""][value].to_owned()),
    }
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

/// What a field must show, by automerge's causality: the values of the
/// amendments setting it that no other amendment setting it depends on.
fn expected<T: Clone + Ord>(
    doc: &Automerge,
    original: &T,
    setters: &[(ChangeHash, T)],
) -> (Vec<T>, bool) {
    let latest: Vec<&(ChangeHash, T)> = setters
        .iter()
        .filter(|(h, _)| !setters.iter().any(|(o, _)| ancestors(doc, o).contains(h)))
        .collect();
    let values: BTreeSet<T> = latest.iter().map(|(_, v)| v.clone()).collect();
    match values.len() {
        0 => (vec![original.clone()], false),
        1 => (values.into_iter().collect(), false),
        _ => (values.into_iter().collect(), true),
    }
}

fn shown<T: Clone + Ord>(state: &FieldState<T>) -> (Vec<T>, bool) {
    let values: BTreeSet<T> = state.values().cloned().collect();
    (values.into_iter().collect(), state.is_conflict())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    /// Random entries and amendments by three people on three replicas
    /// with random partial syncs: after a full merge every replica shows
    /// the same entries in the same order, every entry and every amendment
    /// exactly once, entries in time order, and each field shows exactly
    /// what automerge's own causality says: the original, the latest
    /// amendment, or a conflict between concurrent ones that disagree.
    #[test]
    fn three_replicas_converge_and_lose_nothing(steps in steps()) {
        let mut docs = [tablet(1), tablet(2), tablet(3)];
        let mut recorded: Vec<String> = Vec::new();
        let mut amendments: BTreeMap<String, ChangeHash> = BTreeMap::new();
        for (n, step) in steps.iter().enumerate() {
            let by = staff(step.person, 1_000 * (n as i64 % 7));
            let doc = &mut docs[step.replica];
            if step.action < 2 || recorded.is_empty() {
                let id = format!("e{n}");
                let mut d = draft(&id, &time_at(step.minute));
                d.post = ["lobby", "gate", "car-park"][step.value].to_owned();
                record(doc, &d, &by).unwrap();
                recorded.push(id);
            } else {
                let target = &recorded[step.target % recorded.len()];
                let reason = format!("r{n}");
                let c = correction(step.fields, step.value, step.minute);
                match amend(doc, target, &c, &reason, &by) {
                    Ok(hash) => { amendments.insert(reason, hash); }
                    Err(ModelError::DutyLog(Refusal::UnknownEntry(_) | Refusal::NothingCorrected(_))) => {}
                    Err(e) => panic!("{e:?}"),
                }
            }
            if step.sync {
                sync(&mut docs, step.replica, (step.replica + 1 + n % 2) % 3);
            }
        }
        merge_everywhere(&mut docs);
        let views: Vec<Vec<DutyEntry>> = docs
            .iter()
            .map(|d| DutyLog::new(d).unwrap().entries().unwrap())
            .collect();
        prop_assert_eq!(&views[0], &views[1]);
        prop_assert_eq!(&views[1], &views[2]);
        let doc = &docs[0];
        let entries = &views[0];
        let mut listed: Vec<String> = entries.iter().map(|e| e.id.clone()).collect();
        listed.sort();
        let mut written = recorded.clone();
        written.sort();
        prop_assert_eq!(listed, written, "every entry exactly once");
        for pair in entries.windows(2) {
            prop_assert!(pair[0].key() < pair[1].key(), "time order");
        }
        let mut reasons: Vec<String> = entries
            .iter()
            .flat_map(|e| e.amendments.iter().map(|a| a.amendment.reason.clone()))
            .collect();
        reasons.sort();
        prop_assert_eq!(reasons, amendments.keys().cloned().collect::<Vec<_>>(), "every amendment once");
        for e in entries {
            prop_assert!(e.duplicates.is_empty());
            let with_hash: Vec<(ChangeHash, &Correction)> = e
                .amendments
                .iter()
                .map(|a| (amendments[&a.amendment.reason], &a.amendment.correction))
                .collect();
            macro_rules! check_field {
                ($field:ident) => {{
                    let setters: Vec<(ChangeHash, _)> = with_hash
                        .iter()
                        .filter_map(|(h, c)| c.$field.clone().map(|v| (*h, v)))
                        .collect();
                    prop_assert_eq!(
                        shown(&e.$field),
                        expected(doc, &e.original.$field, &setters),
                        "{} of {}", stringify!($field), e.id
                    );
                }};
            }
            check_field!(occurred);
            check_field!(post);
            check_field!(kind);
            check_field!(event);
            check_field!(action);
            check_field!(result);
        }
    }
}
