//! Work permit tests: the lifecycle round trip, lunch breaks, concurrent
//! decisions, entries and closes on two and three replicas, refusals, the
//! views (late applications, expected on a date, alerts) and a property
//! test over three replicas.

use super::*;
use crate::test_support::{
    actor, both_ways, leader, merge_everywhere, on_tablet, person, staff, sync,
};
use automerge::ReadDoc;
use proptest::prelude::*;
use std::collections::BTreeSet;

const MONTH: &str = "2026-11";
const DATE: &str = "2026-11-23";
/// China: UTC+8.
const CST: i32 = 480;

/// Device time (ms) of a local date-time in China.
fn ms(local: &str) -> i64 {
    (LocalDateTime::parse(local).unwrap().epoch_minutes() - i64::from(CST)) * 60_000
}

fn hm(s: &str) -> MinuteOfDay {
    MinuteOfDay::parse(s).unwrap()
}

fn application(date: &str, from: &str, to: &str, headcount: u32) -> Application {
    Application {
        scope: " 更换主卧墙纸 ".into(),
        place: Place {
            flat: Some("flat-a".into()),
            area: "主卧".into(),
        },
        date: date.into(),
        from: hm(from),
        to: hm(to),
        headcount,
        team: Team {
            company: "安居装饰".into(),
            leader: "李工".into(),
            phone: "138 0000 1234".into(),
        },
    }
}

fn app() -> Application {
    application(DATE, "09:00", "17:00", 5)
}

fn replica(n: u8) -> Automerge {
    on_tablet(genesis("demo", MONTH).unwrap(), n)
}

fn round_id(n: u8) -> String {
    crate::DocumentId::from_random([n; 16]).to_string()
}

fn get(board: &Automerge, id: &str) -> Permit {
    permit(board, id).unwrap().unwrap()
}

fn refusal(e: ModelError) -> Refusal {
    match e {
        ModelError::Permit(r) => r,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// A board with permit `p1` applied (one day ahead) and approved.
fn approved_board(n: u8) -> Automerge {
    let mut b = replica(n);
    apply(&mut b, "p1", &app(), &staff(1, ms("2026-11-21 10:00"))).unwrap();
    approve(&mut b, "p1", "", &leader(2, ms("2026-11-21 11:00"))).unwrap();
    b
}

#[test]
fn stored_words_purposes_and_the_sweep_template() {
    assert_eq!(EventKind::SweepStarted.as_str(), "sweep-started");
    assert_eq!(PermitStatus::OnSite.as_str(), "on-site");
    assert_eq!(purpose(MONTH), "permits/2026-11");
    assert_eq!(month_of("2026-11-30").unwrap(), "2026-11");
    let site = crate::SiteKey::from_random([9; 32]);
    assert_eq!(
        document_id(&site, MONTH),
        crate::DocumentId::derive(&site, "permits/2026-11")
    );
    assert_eq!(
        crate::template::after_construction_sweep().id,
        SWEEP_TEMPLATE
    );
    assert!(
        crate::template::after_construction_sweep()
            .schedule
            .is_none()
    );
    assert_eq!(replica(1).save(), replica(2).save(), "one genesis");
    assert_eq!(board_month(&replica(1)).unwrap(), MONTH);
}

#[test]
fn the_whole_lifecycle_is_attributed_and_walks_every_status() {
    let mut b = replica(1);
    let applied = apply(&mut b, "p1", &app(), &staff(1, ms("2026-11-20 10:00"))).unwrap();
    let p = get(&b, "p1");
    assert_eq!(p.status, PermitStatus::Applied);
    assert_eq!(p.application.scope, "更换主卧墙纸", "stored trimmed");
    assert_eq!(p.application.team.phone, "138 0000 1234");
    assert_eq!(p.applied_by().person, "p1");

    approve(
        &mut b,
        "p1",
        "注意成品保护",
        &leader(2, ms("2026-11-20 11:00")),
    )
    .unwrap();
    assert_eq!(get(&b, "p1").status, PermitStatus::Approved);
    enter(&mut b, "p1", 5, "", &staff(3, ms("2026-11-23 09:05"))).unwrap();
    assert_eq!(get(&b, "p1").status, PermitStatus::OnSite);
    assert_eq!(get(&b, "p1").on_site, 5);
    exit(&mut b, "p1", 5, true, "", &staff(3, ms("2026-11-23 16:30"))).unwrap();
    assert_eq!(get(&b, "p1").status, PermitStatus::Left);
    let round = round_id(4);
    let slot = crate::checklist::on_demand_slot([1, 2, 3, 4]);
    start_sweep(
        &mut b,
        "p1",
        &round,
        &slot,
        &staff(3, ms("2026-11-23 16:35")),
    )
    .unwrap();
    assert_eq!(get(&b, "p1").status, PermitStatus::Swept);
    note(
        &mut b,
        "p1",
        "现场已恢复",
        &staff(3, ms("2026-11-23 16:50")),
    )
    .unwrap();
    let closed = close(&mut b, "p1", "", &leader(2, ms("2026-11-23 17:10"))).unwrap();

    let all = permits(&b).unwrap();
    assert_eq!(all.len(), 1);
    let p = &all[0];
    assert_eq!(p.status, PermitStatus::Closed);
    assert_eq!(p.on_site, 0);
    assert_eq!(
        p.sweep(),
        Some(&SweepRound {
            round: round.clone(),
            slot
        })
    );
    assert_eq!(p.approvals[0].text, "注意成品保护");
    assert_eq!(p.notes[0].text, "现场已恢复");
    assert_eq!(
        p.history.iter().map(|e| e.kind).collect::<Vec<_>>(),
        [
            EventKind::Applied,
            EventKind::Approved,
            EventKind::Entered,
            EventKind::Exited,
            EventKind::SweepStarted,
            EventKind::Note,
            EventKind::Closed,
        ]
    );
    assert!(p.tools_failures().is_empty());
    assert!(!p.applied_late(2, fixed_offset(CST)));
    assert!(
        alerts(&b, ms("2026-11-24 09:00"), fixed_offset(CST))
            .unwrap()
            .is_empty()
    );

    let h = crate::attribution::history(&b);
    assert_eq!(h[1].hash, applied.to_string());
    assert_eq!(h[1].summary, "permit applied p1");
    assert_eq!(h.last().unwrap().hash, closed.to_string());
    assert_eq!(h.last().unwrap().summary, "permit closed p1");
    assert_eq!(
        h.last().unwrap().attribution,
        Some(leader(2, ms("2026-11-23 17:10")))
    );
    assert_eq!(
        b.get_change_by_hash(&closed).unwrap().timestamp(),
        ms("2026-11-23 17:10") / 1000,
        "change time is the device time in seconds"
    );
}

#[test]
fn people_go_out_for_lunch_and_come_back() {
    let mut b = approved_board(1);
    let guard = |t: &str| staff(3, ms(&format!("{DATE} {t}")));
    enter(&mut b, "p1", 3, "", &guard("09:00")).unwrap();
    enter(&mut b, "p1", 2, "后到", &guard("09:30")).unwrap();
    exit(&mut b, "p1", 5, true, "午饭", &guard("12:00")).unwrap();
    assert_eq!(get(&b, "p1").status, PermitStatus::Left);
    enter(&mut b, "p1", 4, "", &guard("13:00")).unwrap();
    let p = get(&b, "p1");
    assert_eq!((p.status, p.on_site), (PermitStatus::OnSite, 4));
    assert_eq!(p.movements.len(), 4);
    exit(&mut b, "p1", 1, true, "", &guard("15:00")).unwrap();
    exit(&mut b, "p1", 3, false, "少带走一袋水泥", &guard("16:00")).unwrap();
    let p = get(&b, "p1");
    assert_eq!((p.status, p.on_site), (PermitStatus::Left, 0));
    assert_eq!(p.tools_failures().len(), 1);
    assert_eq!(p.tools_failures()[0].text, "少带走一袋水泥");
}

#[test]
fn approve_concurrent_with_enter_resolves_to_the_furthest_step() {
    // Both actor orders, so the entry lands before the approval in list
    // order in one run and after it in the other.
    for (x, y) in [(1, 2), (2, 1)] {
        let mut a = replica(x);
        apply(&mut a, "p1", &app(), &staff(1, 1_000)).unwrap();
        let mut b = replica(y);
        b.merge(&mut a.clone()).unwrap();
        approve(&mut a, "p1", "", &leader(2, 2_000)).unwrap();
        // B's tablet is offline: the approval has not reached it.
        enter(&mut b, "p1", 5, "", &staff(3, 2_100)).unwrap();
        assert_eq!(
            alerts(&b, 2_200, fixed_offset(CST)).unwrap(),
            [Alert {
                permit: "p1".into(),
                kind: AlertKind::Unapproved
            }]
        );
        let (ab, ba) = both_ways(&a, &b);
        assert_eq!(ab.get_heads(), ba.get_heads());
        let (p, q) = (get(&ab, "p1"), get(&ba, "p1"));
        assert_eq!(p, q);
        assert_eq!((p.status, p.on_site), (PermitStatus::OnSite, 5));
        assert_eq!((p.approvals.len(), p.movements.len()), (1, 1));
        assert!(
            alerts(&ab, 2_200, fixed_offset(CST)).unwrap().is_empty(),
            "the approval clears the alert"
        );
    }
}

#[test]
fn entries_on_two_tablets_are_both_counted_and_ask_for_a_head_count() {
    let alert = |kind| Alert {
        permit: "p1".into(),
        kind,
    };
    let now = ms("2026-11-23 10:00");
    for (x, y) in [(1, 2), (2, 1)] {
        let mut a = approved_board(x);
        let mut b = replica(y);
        b.merge(&mut a.clone()).unwrap();
        let before = (a.clone(), b.clone());
        // Two groups at two gates: 3 at the lobby, 2 at the back door.
        enter(&mut a, "p1", 3, "大堂", &staff(3, ms("2026-11-23 09:00"))).unwrap();
        enter(&mut b, "p1", 2, "后门", &staff(4, ms("2026-11-23 09:01"))).unwrap();
        let (mut ab, ba) = both_ways(&a, &b);
        let p = get(&ab, "p1");
        assert_eq!(p, get(&ba, "p1"));
        assert_eq!((p.status, p.on_site), (PermitStatus::OnSite, 5));
        assert!(p.count_unsure);
        let devices: BTreeSet<_> = p.movements.iter().map(|e| e.by.device.clone()).collect();
        assert_eq!(devices, BTreeSet::from(["T3".to_owned(), "T4".to_owned()]));
        assert_eq!(
            alerts(&ab, now, fixed_offset(CST)).unwrap(),
            [alert(AlertKind::CountUnsure)]
        );
        count(&mut ab, "p1", 5, "", &staff(3, ms("2026-11-23 09:30"))).unwrap();
        let p = get(&ab, "p1");
        assert_eq!((p.on_site, p.count_unsure), (5, false));
        assert!(alerts(&ab, now, fixed_offset(CST)).unwrap().is_empty());

        // The same 5 logged on two tablets: counted twice (never fewer),
        // flagged, settled by a head count.
        let (mut c, mut d) = before;
        enter(&mut c, "p1", 5, "", &staff(3, ms("2026-11-23 09:00"))).unwrap();
        enter(&mut d, "p1", 5, "", &staff(4, ms("2026-11-23 09:00"))).unwrap();
        let (mut cd, dc) = both_ways(&c, &d);
        let p = get(&cd, "p1");
        assert_eq!(p, get(&dc, "p1"));
        assert_eq!(p.movements.len(), 2, "both entries kept");
        assert_eq!(p.on_site, 10);
        assert_eq!(
            alerts(&cd, now, fixed_offset(CST)).unwrap(),
            [
                alert(AlertKind::OverHeadcount {
                    on_site: 10,
                    headcount: 5
                }),
                alert(AlertKind::CountUnsure)
            ]
        );
        count(
            &mut cd,
            "p1",
            5,
            "重复登记",
            &staff(3, ms("2026-11-23 09:40")),
        )
        .unwrap();
        let p = get(&cd, "p1");
        assert_eq!(
            (p.on_site, p.count_unsure, p.movements.len()),
            (5, false, 3)
        );
        assert!(alerts(&cd, now, fixed_offset(CST)).unwrap().is_empty());
    }
}

#[test]
fn a_head_count_concurrent_with_a_movement_stays_unsure() {
    for (x, y) in [(1, 2), (2, 1)] {
        let mut a = approved_board(x);
        enter(&mut a, "p1", 2, "", &staff(3, 3_000)).unwrap();
        enter(&mut a, "p1", 2, "", &staff(3, 3_100)).unwrap();
        let mut b = replica(y);
        b.merge(&mut a.clone()).unwrap();
        count(&mut a, "p1", 4, "", &staff(3, 4_000)).unwrap();
        exit(&mut b, "p1", 1, true, "", &staff(4, 4_000)).unwrap();
        let (mut ab, ba) = both_ways(&a, &b);
        let p = get(&ab, "p1");
        assert_eq!(p, get(&ba, "p1"));
        assert!(p.count_unsure, "neither saw the other");
        count(&mut ab, "p1", 3, "", &staff(3, 5_000)).unwrap();
        let p = get(&ab, "p1");
        assert_eq!((p.on_site, p.count_unsure), (3, false));
    }
}

#[test]
fn an_entry_concurrent_with_an_exit_is_counted() {
    for (x, y) in [(1, 2), (2, 1)] {
        let mut a = approved_board(x);
        enter(&mut a, "p1", 5, "", &staff(3, 3_000)).unwrap();
        let mut b = replica(y);
        b.merge(&mut a.clone()).unwrap();
        exit(&mut a, "p1", 5, true, "", &staff(3, 4_000)).unwrap();
        // B did not see the exit: room for no one more, refused…
        assert!(matches!(
            refusal(enter(&mut b, "p1", 1, "", &staff(4, 4_000)).unwrap_err()),
            Refusal::OverHeadcount { on_site: 5, .. }
        ));
        // …but B's own exit and re-entry of 2 are logged.
        exit(&mut b, "p1", 2, true, "", &staff(4, 4_100)).unwrap();
        enter(&mut b, "p1", 2, "", &staff(4, 4_200)).unwrap();
        let (ab, ba) = both_ways(&a, &b);
        let p = get(&ab, "p1");
        assert_eq!(p, get(&ba, "p1"));
        assert_eq!(p.movements.len(), 4);
        // However the list orders them, the status follows the count.
        let expected = if p.on_site > 0 {
            PermitStatus::OnSite
        } else {
            PermitStatus::Left
        };
        assert_eq!(p.status, expected);
        assert!(p.count_unsure, "the guard is asked to count");
        let mut ab = ab;
        count(&mut ab, "p1", 2, "", &staff(3, 5_000)).unwrap();
        let p = get(&ab, "p1");
        assert_eq!(
            (p.status, p.on_site, p.count_unsure),
            (PermitStatus::OnSite, 2, false)
        );
    }
}

#[test]
fn reject_concurrent_with_approve_ends_rejected_and_keeps_both() {
    for (x, y) in [(1, 2), (2, 1)] {
        let mut a = replica(x);
        apply(&mut a, "p1", &app(), &staff(1, 1_000)).unwrap();
        let mut b = replica(y);
        b.merge(&mut a.clone()).unwrap();
        approve(&mut a, "p1", "", &leader(2, 2_000)).unwrap();
        reject(
            &mut b,
            "p1",
            "未交施工图纸",
            &person(3, Role::Supervisor, 2_000),
        )
        .unwrap();
        let (mut ab, ba) = both_ways(&a, &b);
        let p = get(&ab, "p1");
        assert_eq!(p, get(&ba, "p1"));
        assert_eq!(p.status, PermitStatus::Rejected);
        assert_eq!(p.approvals.len(), 1);
        assert_eq!(p.rejections[0].text, "未交施工图纸");
        let heads = ab.get_heads();
        assert_eq!(
            refusal(enter(&mut ab, "p1", 1, "", &staff(4, 3_000)).unwrap_err()),
            Refusal::Terminated {
                permit: "p1".into(),
                kind: EventKind::Rejected
            }
        );
        assert_eq!(ab.get_heads(), heads);
    }
}

#[test]
fn a_cancel_concurrent_with_approve_ends_cancelled_and_with_reject_rejected() {
    for (x, y) in [(1, 2), (2, 1)] {
        let mut a = replica(x);
        apply(&mut a, "p1", &app(), &staff(1, 1_000)).unwrap();
        let mut b = replica(y);
        b.merge(&mut a.clone()).unwrap();
        let mut c = b.clone();
        c.set_actor(actor(9));
        approve(&mut a, "p1", "", &leader(2, 2_000)).unwrap();
        cancel(&mut b, "p1", "业主改期", &staff(3, 2_000)).unwrap();
        let (ab, _) = both_ways(&a, &b);
        assert_eq!(get(&ab, "p1").status, PermitStatus::Cancelled);
        reject(&mut c, "p1", "超范围", &leader(4, 2_000)).unwrap();
        let (bc, cb) = both_ways(&b, &c);
        let p = get(&bc, "p1");
        assert_eq!(p, get(&cb, "p1"));
        assert_eq!(p.status, PermitStatus::Rejected);
        assert_eq!((p.cancellations.len(), p.rejections.len()), (1, 1));
    }
}

#[test]
fn people_entering_while_another_tablet_cancels_are_followed_to_closing() {
    for (x, y) in [(1, 2), (2, 1)] {
        let mut a = approved_board(x);
        let mut b = replica(y);
        b.merge(&mut a.clone()).unwrap();
        cancel(&mut a, "p1", "业主改期", &staff(1, ms("2026-11-23 08:50"))).unwrap();
        enter(&mut b, "p1", 4, "", &staff(3, ms("2026-11-23 09:00"))).unwrap();
        let (mut ab, ba) = both_ways(&a, &b);
        let p = get(&ab, "p1");
        assert_eq!(p, get(&ba, "p1"));
        assert_eq!((p.status, p.on_site), (PermitStatus::OnSite, 4));
        assert_eq!(p.cancellations.len(), 1);
        let at = |t: &str| ms(&format!("{DATE} {t}"));
        assert_eq!(
            alerts(&ab, at("09:10"), fixed_offset(CST)).unwrap(),
            [Alert {
                permit: "p1".into(),
                kind: AlertKind::Unapproved
            }]
        );
        // Nobody more may come in; the people are checked out, the site
        // swept and the permit closed.
        assert!(matches!(
            refusal(enter(&mut ab, "p1", 1, "", &staff(3, at("09:20"))).unwrap_err()),
            Refusal::Terminated {
                kind: EventKind::Cancelled,
                ..
            }
        ));
        exit(&mut ab, "p1", 4, true, "已劝离", &staff(3, at("09:30"))).unwrap();
        start_sweep(
            &mut ab,
            "p1",
            &round_id(1),
            "od00000001",
            &staff(3, at("09:40")),
        )
        .unwrap();
        close(&mut ab, "p1", "", &leader(2, at("10:00"))).unwrap();
        let p = get(&ab, "p1");
        assert_eq!(p.status, PermitStatus::Closed);
        assert!(
            alerts(&ab, at("18:00"), fixed_offset(CST))
                .unwrap()
                .is_empty()
        );
    }
}

#[test]
fn three_tablets_enter_exit_and_close_concurrently() {
    // A approves and logs 2 in; B logs 3 in; C (the leader's desktop)
    // sees only A. Then everybody leaves through A and B, C starts the
    // sweep and closes while B logs one who came back.
    let mut a = approved_board(1);
    let mut b = replica(2);
    let mut c = replica(3);
    b.merge(&mut a.clone()).unwrap();
    enter(&mut a, "p1", 2, "", &staff(1, 10_000)).unwrap();
    enter(&mut b, "p1", 3, "", &staff(2, 10_100)).unwrap();
    c.merge(&mut a.clone()).unwrap();
    assert_eq!(get(&c, "p1").on_site, 2);
    a.merge(&mut b.clone()).unwrap();
    b.merge(&mut a.clone()).unwrap();
    assert_eq!(get(&a, "p1").on_site, 5);
    exit(&mut a, "p1", 2, true, "", &staff(1, 20_000)).unwrap();
    exit(&mut b, "p1", 3, true, "", &staff(2, 20_100)).unwrap();
    c.merge(&mut a.clone()).unwrap();
    c.merge(&mut b.clone()).unwrap();
    assert_eq!(get(&c, "p1").status, PermitStatus::Left);
    assert!(get(&c, "p1").count_unsure, "the exits were concurrent");
    assert_eq!(
        refusal(
            start_sweep(&mut c, "p1", &round_id(7), "od0a0b0c0d", &staff(3, 29_000)).unwrap_err()
        ),
        Refusal::CountUnsure("p1".into())
    );
    count(&mut c, "p1", 0, "全部离场", &staff(3, 29_500)).unwrap();
    let mut b2 = c.clone();
    b2.set_actor(actor(22));
    start_sweep(&mut c, "p1", &round_id(7), "od0a0b0c0d", &staff(3, 30_000)).unwrap();
    close(&mut c, "p1", "", &leader(3, 31_000)).unwrap();
    enter(&mut b2, "p1", 1, "回来取工具", &staff(2, 30_500)).unwrap();
    let mut all = [a, b2, c];
    merge_everywhere(&mut all);
    let p = get(&all[0], "p1");
    for r in &all[1..] {
        assert_eq!(r.get_heads(), all[0].get_heads());
        assert_eq!(get(r, "p1"), p);
    }
    assert_eq!(p.status, PermitStatus::Closed, "the close is the furthest");
    assert_eq!(p.on_site, 1, "the one who came back is still counted");
    assert_eq!(p.movements.len(), 6);
    assert!(!p.count_unsure, "the last entry saw every movement");
    let late = alerts(&all[0], ms("2026-11-23 17:00"), fixed_offset(CST)).unwrap();
    assert_eq!(
        late,
        [Alert {
            permit: "p1".into(),
            kind: AlertKind::StillOnSite { on_site: 1 }
        }]
    );
    // The one who came back still leaves through the gate.
    exit(&mut all[0], "p1", 1, true, "", &staff(2, 40_000)).unwrap();
    assert!(
        alerts(&all[0], ms("2026-11-23 17:00"), fixed_offset(CST))
            .unwrap()
            .is_empty()
    );
}

#[test]
fn roles_approve_reject_and_close_only_leaders_and_supervisors() {
    let mut b = replica(1);
    apply(&mut b, "p1", &app(), &staff(1, 1_000)).unwrap();
    let heads = b.get_heads();
    let not_allowed = |e: ModelError, expected: &str| {
        assert!(
            matches!(e, ModelError::NotAllowed { role: "staff", meaning } if meaning == expected),
            "{e:?}"
        );
    };
    not_allowed(
        approve(&mut b, "p1", "", &staff(2, 2_000)).unwrap_err(),
        APPROVE_MEANING,
    );
    not_allowed(
        reject(&mut b, "p1", "no", &staff(2, 2_000)).unwrap_err(),
        REJECT_MEANING,
    );
    not_allowed(
        close(&mut b, "p1", "", &staff(2, 2_000)).unwrap_err(),
        CLOSE_MEANING,
    );
    assert_eq!(b.get_heads(), heads);
    approve(&mut b, "p1", "", &person(3, Role::Supervisor, 3_000)).unwrap();
    enter(&mut b, "p1", 1, "", &staff(2, 4_000)).unwrap();
    exit(&mut b, "p1", 1, true, "", &staff(2, 5_000)).unwrap();
    start_sweep(&mut b, "p1", &round_id(1), "od01020304", &staff(2, 6_000)).unwrap();
    close(&mut b, "p1", "", &leader(3, 7_000)).unwrap();
    assert_eq!(get(&b, "p1").status, PermitStatus::Closed);
}

#[test]
fn bad_input_and_steps_out_of_order_are_refused_and_nothing_changes() {
    let mut b = replica(1);
    let by = leader(1, 1_000);
    let heads = b.get_heads();
    let bad_app = |f: &dyn Fn(&mut Application)| {
        let mut a = app();
        f(&mut a);
        a
    };
    let cases: Vec<(Application, Refusal)> = vec![
        (
            bad_app(&|a| a.scope = "  ".into()),
            Refusal::EmptyText("scope"),
        ),
        (
            bad_app(&|a| a.scope = "x".repeat(MAX_TEXT_CHARS + 1)),
            Refusal::TooLong {
                field: "scope",
                max: MAX_TEXT_CHARS,
            },
        ),
        (
            bad_app(&|a| {
                a.place = Place {
                    flat: None,
                    area: " ".into(),
                }
            }),
            Refusal::BadPlace,
        ),
        (
            bad_app(&|a| a.place.flat = Some("flat/a".into())),
            Refusal::BadPlace,
        ),
        (bad_app(&|a| a.to = a.from), Refusal::BadWindow(hm("09:00"))),
        (bad_app(&|a| a.headcount = 0), Refusal::BadHeadcount(0)),
        (
            bad_app(&|a| a.headcount = MAX_HEADCOUNT + 1),
            Refusal::BadHeadcount(MAX_HEADCOUNT + 1),
        ),
        (
            bad_app(&|a| a.team.company = "".into()),
            Refusal::EmptyText("company"),
        ),
        (
            bad_app(&|a| a.team.leader = "\t".into()),
            Refusal::EmptyText("team leader"),
        ),
        (
            bad_app(&|a| a.team.phone = "call me".into()),
            Refusal::BadPhone("call me".into()),
        ),
        (
            bad_app(&|a| a.team.phone = "12".into()),
            Refusal::BadPhone("12".into()),
        ),
        (
            bad_app(&|a| a.date = "2026-12-01".into()),
            Refusal::OtherMonth {
                date: "2026-12-01".into(),
                month: MONTH.into(),
            },
        ),
    ];
    for (application, expected) in cases {
        assert_eq!(
            refusal(apply(&mut b, "p1", &application, &by).unwrap_err()),
            expected
        );
    }
    assert!(matches!(
        apply(
            &mut b,
            "p1",
            &bad_app(&|a| a.date = "2026-11-31".into()),
            &by
        ),
        Err(ModelError::BadDate(_))
    ));
    for id in ["", "a/b", "x y"] {
        assert_eq!(
            refusal(apply(&mut b, id, &app(), &by).unwrap_err()),
            Refusal::BadPermitId(id.into())
        );
    }
    assert_eq!(
        refusal(approve(&mut b, "nope", "", &by).unwrap_err()),
        Refusal::UnknownPermit("nope".into())
    );
    assert_eq!(b.get_heads(), heads);

    apply(&mut b, "p1", &app(), &by).unwrap();
    let heads = b.get_heads();
    let r = round_id(1);
    let refusals: Vec<(Result<ChangeHash, ModelError>, Refusal)> = vec![
        (
            apply(&mut b, "p1", &app(), &by),
            Refusal::DuplicatePermit("p1".into()),
        ),
        (
            exit(&mut b, "p1", 1, true, "", &by),
            Refusal::ExitBeforeEntry("p1".into()),
        ),
        (
            count(&mut b, "p1", 0, "", &by),
            Refusal::ExitBeforeEntry("p1".into()),
        ),
        (
            count(&mut b, "p1", MAX_HEADCOUNT + 1, "", &by),
            Refusal::BadPeople(MAX_HEADCOUNT + 1),
        ),
        (enter(&mut b, "p1", 0, "", &by), Refusal::BadPeople(0)),
        (
            enter(&mut b, "p1", 6, "", &by),
            Refusal::OverHeadcount {
                headcount: 5,
                on_site: 0,
                people: 6,
            },
        ),
        (
            start_sweep(&mut b, "p1", &r, "od01", &by),
            Refusal::WrongStatus {
                permit: "p1".into(),
                status: PermitStatus::Applied,
                action: "start the sweep",
            },
        ),
        (
            start_sweep(&mut b, "p1", "not-a-doc", "od01", &by),
            Refusal::BadRound("not-a-doc".into()),
        ),
        (
            start_sweep(&mut b, "p1", &r, "od/01", &by),
            Refusal::BadSlot("od/01".into()),
        ),
        (
            close(&mut b, "p1", "", &by),
            Refusal::WrongStatus {
                permit: "p1".into(),
                status: PermitStatus::Applied,
                action: "close",
            },
        ),
        (cancel(&mut b, "p1", " ", &by), Refusal::EmptyText("reason")),
        (reject(&mut b, "p1", "", &by), Refusal::EmptyText("reason")),
        (note(&mut b, "p1", "", &by), Refusal::EmptyText("note")),
        (
            note(&mut b, "p1", &"长".repeat(MAX_TEXT_CHARS + 1), &by),
            Refusal::TooLong {
                field: "note",
                max: MAX_TEXT_CHARS,
            },
        ),
    ];
    for (result, expected) in refusals {
        assert_eq!(refusal(result.unwrap_err()), expected);
    }
    assert_eq!(b.get_heads(), heads);

    approve(&mut b, "p1", "", &by).unwrap();
    enter(&mut b, "p1", 3, "", &by).unwrap();
    let heads = b.get_heads();
    let refusals: Vec<(Result<ChangeHash, ModelError>, Refusal)> = vec![
        (
            approve(&mut b, "p1", "", &by),
            Refusal::AlreadyApproved("p1".into()),
        ),
        (
            reject(&mut b, "p1", "no", &by),
            Refusal::AlreadyApproved("p1".into()),
        ),
        (
            exit(&mut b, "p1", 4, true, "", &by),
            Refusal::NotOnSite {
                on_site: 3,
                people: 4,
            },
        ),
        (
            exit(&mut b, "p1", 1, false, " ", &by),
            Refusal::ToolsNoteRequired,
        ),
        (
            start_sweep(&mut b, "p1", &r, "od01", &by),
            Refusal::PeopleOnSite(3),
        ),
        (close(&mut b, "p1", "", &by), Refusal::PeopleOnSite(3)),
        (
            cancel(&mut b, "p1", "改期", &by),
            Refusal::WrongStatus {
                permit: "p1".into(),
                status: PermitStatus::OnSite,
                action: "cancel",
            },
        ),
    ];
    for (result, expected) in refusals {
        assert_eq!(refusal(result.unwrap_err()), expected);
    }
    assert_eq!(b.get_heads(), heads);

    exit(&mut b, "p1", 3, true, "", &by).unwrap();
    start_sweep(&mut b, "p1", &r, "od01", &by).unwrap();
    close(&mut b, "p1", "", &by).unwrap();
    let heads = b.get_heads();
    for result in [
        close(&mut b, "p1", "", &by),
        enter(&mut b, "p1", 1, "", &by),
        start_sweep(&mut b, "p1", &r, "od02", &by),
        cancel(&mut b, "p1", "x", &by),
        approve(&mut b, "p1", "", &by),
    ] {
        assert_eq!(refusal(result.unwrap_err()), Refusal::Closed("p1".into()));
    }
    assert_eq!(b.get_heads(), heads);

    assert!(matches!(
        permits(&crate::followup::genesis("demo", MONTH).unwrap()),
        Err(ModelError::WrongSchema(_))
    ));
    for bad in [
        "2026-13",
        "2026-00",
        "2026-1",
        "26-11",
        "2026/11",
        "2026-11-01",
    ] {
        assert!(
            matches!(
                genesis("demo", bad),
                Err(ModelError::Permit(Refusal::BadMonth(_)))
            ),
            "{bad}"
        );
    }
}

#[test]
fn a_place_may_be_an_area_without_a_flat_and_windows_may_cross_midnight() {
    let mut b = replica(1);
    let mut night = application("2026-11-30", "22:00", "06:00", 2);
    night.place = Place {
        flat: None,
        area: " 2号楼大堂 ".into(),
    };
    apply(&mut b, "night", &night, &staff(1, 1_000)).unwrap();
    let p = get(&b, "night");
    assert_eq!(p.application.place.area, "2号楼大堂");
    assert_eq!(p.application.place.flat, None);
    assert_eq!(
        p.application.window(),
        Some((
            LocalDateTime::parse("2026-11-30 22:00").unwrap(),
            LocalDateTime::parse("2026-12-01 06:00").unwrap()
        ))
    );
}

#[test]
fn late_applications_are_flagged_by_local_date() {
    let mut b = replica(1);
    // Work on the 23rd. The 21st is 2 days ahead; the 22nd is late.
    let cases = [
        ("early", "2026-11-21 23:59", false),
        ("late", "2026-11-22 00:01", true),
        ("same-day", "2026-11-23 07:00", true),
        ("after", "2026-11-24 07:00", true),
    ];
    for (id, at, _) in cases {
        apply(&mut b, id, &app(), &staff(1, ms(at))).unwrap();
    }
    for (id, _, late) in cases {
        assert_eq!(get(&b, id).applied_late(2, fixed_offset(CST)), late, "{id}");
    }
    // 2026-11-21 23:59 in China is 15:59 UTC, 00:59 on the 22nd in UTC+9:
    // the local date decides.
    assert!(!get(&b, "early").applied_late(2, fixed_offset(CST)));
    assert!(get(&b, "early").applied_late(2, fixed_offset(540)));
    assert!(!get(&b, "late").applied_late(1, fixed_offset(CST)));
    assert!(!get(&b, "late").applied_late(0, fixed_offset(CST)));
    assert!(
        get(&b, "early").applied_late(2, |_| None),
        "unreadable counts as late"
    );
}

#[test]
fn expected_on_a_date_lists_that_days_work_and_last_nights() {
    let mut b = replica(1);
    let by = leader(1, 1_000);
    apply(
        &mut b,
        "day",
        &application("2026-11-23", "13:00", "17:00", 2),
        &by,
    )
    .unwrap();
    apply(
        &mut b,
        "early",
        &application("2026-11-23", "08:00", "10:00", 2),
        &by,
    )
    .unwrap();
    apply(
        &mut b,
        "night",
        &application("2026-11-22", "22:00", "02:00", 2),
        &by,
    )
    .unwrap();
    apply(
        &mut b,
        "eve",
        &application("2026-11-22", "18:00", "23:00", 2),
        &by,
    )
    .unwrap();
    apply(
        &mut b,
        "no",
        &application("2026-11-23", "09:00", "10:00", 2),
        &by,
    )
    .unwrap();
    apply(
        &mut b,
        "off",
        &application("2026-11-23", "09:00", "10:00", 2),
        &by,
    )
    .unwrap();
    reject(&mut b, "no", "资料不全", &by).unwrap();
    cancel(&mut b, "off", "改期", &by).unwrap();
    let ids = |d: &str| -> Vec<String> {
        expected_on(&b, d)
            .unwrap()
            .into_iter()
            .map(|p| p.id)
            .collect()
    };
    assert_eq!(ids("2026-11-23"), ["night", "early", "day"]);
    assert_eq!(ids("2026-11-22"), ["eve", "night"]);
    assert!(ids("2026-11-24").is_empty());
    assert!(matches!(
        expected_on(&b, "2026-11-31"),
        Err(ModelError::BadDate(_))
    ));
}

#[test]
fn alerts_after_the_window_nobody_came_no_sweep_and_tools() {
    let mut b = replica(1);
    let by = leader(1, ms("2026-11-20 09:00"));
    let at = |t: &str| ms(&format!("{DATE} {t}"));
    for id in ["stay", "gone", "none", "tools", "done"] {
        apply(&mut b, id, &app(), &by).unwrap();
        approve(&mut b, id, "", &by).unwrap();
    }
    for id in ["stay", "gone", "tools", "done"] {
        enter(&mut b, id, 2, "", &staff(2, at("09:00"))).unwrap();
    }
    exit(&mut b, "stay", 1, true, "", &staff(2, at("12:00"))).unwrap();
    exit(&mut b, "gone", 2, true, "", &staff(2, at("16:00"))).unwrap();
    exit(
        &mut b,
        "tools",
        2,
        false,
        "电钻未登记",
        &staff(2, at("16:00")),
    )
    .unwrap();
    exit(&mut b, "done", 2, true, "", &staff(2, at("16:00"))).unwrap();
    start_sweep(&mut b, "done", &round_id(1), "od01", &staff(2, at("16:10"))).unwrap();
    start_sweep(
        &mut b,
        "tools",
        &round_id(1),
        "od02",
        &staff(2, at("16:10")),
    )
    .unwrap();

    let kinds = |b: &Automerge, now: i64| -> Vec<(String, AlertKind)> {
        alerts(b, now, fixed_offset(CST))
            .unwrap()
            .into_iter()
            .map(|a| (a.permit, a.kind))
            .collect()
    };
    let tools = ("tools".to_owned(), AlertKind::ToolsCheckFailed { exits: 1 });
    assert_eq!(
        kinds(&b, at("16:30")),
        std::slice::from_ref(&tools),
        "within the window"
    );
    assert_eq!(
        kinds(&b, at("17:00")),
        [
            ("gone".to_owned(), AlertKind::NoSweep),
            ("none".to_owned(), AlertKind::NobodyCame),
            ("stay".to_owned(), AlertKind::StillOnSite { on_site: 1 }),
            tools,
        ]
    );
    close(&mut b, "tools", "电钻已追回", &by).unwrap();
    assert_eq!(kinds(&b, at("16:30")), []);
    assert_eq!(alerts(&b, at("17:00"), |_| None).unwrap(), [], "no time");
}

/// One random step: on which replica, what, on which permit, how many,
/// sync after with which other replica.
#[derive(Debug, Clone)]
struct Step {
    replica: usize,
    action: u8,
    permit: usize,
    people: u32,
    flag: bool,
    sync: Option<usize>,
}

fn steps() -> impl Strategy<Value = Vec<Step>> {
    proptest::collection::vec(
        (
            0..3usize,
            0..10u8,
            0..3usize,
            1..4u32,
            any::<bool>(),
            proptest::option::of(0..3usize),
        )
            .prop_map(|(replica, action, permit, people, flag, sync)| Step {
                replica,
                action,
                permit,
                people,
                flag,
                sync,
            }),
        1..48,
    )
}

/// Whether `e` is a refusal a random step may meet.
fn expected_refusal(e: &ModelError) -> bool {
    matches!(e, ModelError::Permit(_))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// Random applications, decisions, entries, exits, sweeps, closes,
    /// cancellations and notes on three replicas with random partial
    /// syncs. Every refusal leaves its replica unchanged. After a full
    /// merge every replica holds the same board and view, every event
    /// written is there exactly once, the status is the furthest step and
    /// the people on site are the walk of the movements.
    #[test]
    fn three_replicas_converge_and_lose_nothing(steps in steps()) {
        let ids = ["p0", "p1", "p2"];
        let mut rs = [replica(1), replica(2), replica(3)];
        let mut written: Vec<(String, EventKind, String)> = Vec::new();
        for (n, step) in steps.iter().enumerate() {
            let at = 1_000 + n as i64 * 1_000;
            let role = if step.flag { Role::Leader } else { Role::Staff };
            let by = person(step.replica as u8, role, at);
            let id = ids[step.permit];
            let text = format!("t{n}");
            let r = &mut rs[step.replica];
            let heads = r.get_heads();
            let (kind, result) = match step.action {
                0 => (EventKind::Applied, apply(r, id, &application(DATE, "09:00", "17:00", 4), &by)),
                1 => (EventKind::Approved, approve(r, id, &text, &leader(step.replica as u8, at))),
                2 => (EventKind::Rejected, reject(r, id, &text, &by)),
                3 | 4 => (EventKind::Entered, enter(r, id, step.people, &text, &by)),
                5 => (EventKind::Exited, exit(r, id, step.people, step.flag, &text, &by)),
                6 => (EventKind::SweepStarted, start_sweep(r, id, &round_id(n as u8), "od01", &by)),
                7 => if step.flag {
                    (EventKind::Closed, close(r, id, &text, &by))
                } else {
                    (EventKind::Cancelled, cancel(r, id, &text, &by))
                },
                8 => (EventKind::Note, note(r, id, &text, &by)),
                _ => (EventKind::Counted, count(r, id, step.people - 1, &text, &by)),
            };
            match result {
                Ok(_) => {
                    let stored_text = !matches!(kind, EventKind::Applied | EventKind::SweepStarted);
                    let text = if stored_text { text } else { String::new() };
                    written.push((id.to_owned(), kind, text));
                }
                Err(e) => {
                    prop_assert!(
                        expected_refusal(&e)
                            || matches!(e, ModelError::NotAllowed { role: "staff", .. }),
                        "{:?}", e
                    );
                    prop_assert_eq!(r.get_heads(), heads);
                }
            }
            if let Some(other) = step.sync.filter(|o| *o != step.replica) {
                sync(&mut rs, step.replica, other);
            }
        }
        merge_everywhere(&mut rs);
        let view = permits(&rs[0]).unwrap();
        for r in &rs[1..] {
            prop_assert_eq!(r.get_heads(), rs[0].get_heads());
            prop_assert_eq!(&permits(r).unwrap(), &view);
        }
        let mut seen: Vec<(String, EventKind, String)> = events(&rs[0])
            .unwrap()
            .into_iter()
            .map(|e| (e.permit, e.kind, e.text))
            .collect();
        seen.sort();
        written.sort();
        prop_assert_eq!(&seen, &written);
        let in_view: usize = view.iter().map(|p| p.history.len()).sum();
        prop_assert_eq!(in_view, written.len(), "every permit with events was applied for");
        for p in &view {
            let (mut on_site, mut unsure) = (0u32, false);
            for (k, m) in p.movements.iter().enumerate() {
                let n = m.people.unwrap_or(0);
                let chained = m.seen == Some(k as u32);
                on_site = match m.kind {
                    EventKind::Entered => on_site + n,
                    EventKind::Exited => on_site.saturating_sub(n),
                    _ => n,
                };
                unsure = if m.kind == EventKind::Counted && chained { false } else { unsure || !chained };
            }
            prop_assert_eq!(p.on_site, on_site);
            prop_assert_eq!(p.count_unsure, unsure);
            let has = |k: EventKind| p.history.iter().any(|e| e.kind == k);
            let expected = if has(EventKind::Closed) {
                PermitStatus::Closed
            } else if has(EventKind::SweepStarted) {
                PermitStatus::Swept
            } else if !p.movements.is_empty() {
                if on_site > 0 { PermitStatus::OnSite } else { PermitStatus::Left }
            } else if has(EventKind::Rejected) {
                PermitStatus::Rejected
            } else if has(EventKind::Cancelled) {
                PermitStatus::Cancelled
            } else if has(EventKind::Approved) {
                PermitStatus::Approved
            } else {
                PermitStatus::Applied
            };
            prop_assert_eq!(p.status, expected);
        }
        let a = alerts(&rs[0], ms("2026-11-23 18:00"), fixed_offset(CST)).unwrap();
        for r in &rs[1..] {
            prop_assert_eq!(&alerts(r, ms("2026-11-23 18:00"), fixed_offset(CST)).unwrap(), &a);
        }
    }
}
