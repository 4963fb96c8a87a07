//! Complaint tests: the whole lifecycle with attribution, deadlines across
//! midnight, month and year ends with default and site settings,
//! concurrent steps on two and three replicas, refusals that change
//! nothing, the open index and its repair, escalation alerts, the
//! supervisor's figures, search, and a property test over three replicas.

use super::*;
use crate::schedule::Date;
use crate::settings::{self, Setting, SiteSettings};
use crate::test_support::{merge_everywhere, merged, on_tablet, person, sync};
use crate::work_permit::fixed_offset;
use automerge::ObjType;
use automerge::transaction::Transactable;
use proptest::prelude::*;

const MONTH: &str = "2026-11";
/// China: UTC+8.
const CST: i32 = 480;

fn t(s: &str) -> LocalDateTime {
    LocalDateTime::parse(s).unwrap()
}

/// Device time (ms) of a local date-time in China.
fn ms(local: &str) -> i64 {
    (t(local).epoch_minutes() - i64::from(CST)) * 60_000
}

fn local(ms: i64) -> Option<LocalDateTime> {
    fixed_offset(CST)(ms)
}

fn staff(n: u8, at: &str) -> Attribution {
    person(n, Role::Staff, ms(at))
}

fn leader(n: u8, at: &str) -> Attribution {
    person(n, Role::Leader, ms(at))
}

fn new_complaint(id: &str, received: &str) -> NewComplaint {
    NewComplaint {
        id: id.into(),
        kind: Kind::Complaint,
        received: t(received),
        channel: Channel::Phone,
        owner: " 王女士 ".into(),
        unit: "3栋 1201".into(),
        contact: "138 0000 0000".into(),
        content: "楼上漏水,天花板渗水".into(),
        serious: false,
        difficulty: None,
        post: "lobby".into(),
        related: None,
    }
}

/// A board of `month` and the site's index, on actor `n`.
fn pair(n: u8, month: &str) -> (Automerge, Automerge) {
    let board = on_tablet(genesis("demo", month).unwrap(), n);
    (board, on_tablet(index_genesis("demo").unwrap(), n + 100))
}

fn replica(n: u8) -> (Automerge, Automerge) {
    pair(n, MONTH)
}

fn get(board: &Automerge, id: &str) -> Complaint {
    complaint(board, id).unwrap().unwrap()
}

fn refusal(e: ModelError) -> Refusal {
    match e {
        ModelError::Complaint(r) => r,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn state_of(ds: &[Deadline], kind: DeadlineKind) -> (LocalDateTime, DeadlineState) {
    let d = ds.iter().find(|d| d.kind == kind).unwrap();
    (d.due, d.state)
}

fn kinds(c: &Complaint) -> Vec<EventKind> {
    c.history.iter().map(|e| e.kind).collect()
}

// ─────────────────────────────── records ───────────────────────────────

#[test]
fn stored_words_purposes_and_step_order() {
    assert_eq!(EventKind::ReceiptConfirmed.as_str(), "receipt-confirmed");
    assert_eq!(EventKind::ReturnVisit.as_str(), "return-visit");
    assert_eq!(
        Satisfaction::BasicallySatisfied.as_str(),
        "basically-satisfied"
    );
    assert_eq!(Step::ReturnVisited.as_str(), "return-visited");
    assert_eq!(purpose(MONTH), "complaints/2026-11");
    assert_eq!(month_of(t("2026-12-01 00:00")), "2026-12");
    let site = crate::SiteKey::from_random([9; 32]);
    assert_eq!(
        document_id(&site, MONTH),
        crate::DocumentId::derive(&site, "complaints/2026-11")
    );
    assert_eq!(
        index_document_id(&site),
        crate::DocumentId::derive(&site, "complaints-open")
    );
    let mut sorted = Step::ALL;
    sorted.sort();
    assert_eq!(sorted, Step::ALL, "ALL lists the steps in order");
    assert_eq!(
        genesis("demo", MONTH).unwrap().save(),
        genesis("demo", MONTH).unwrap().save(),
        "one genesis on every device"
    );
    assert!(genesis("demo", "2026-13").is_err());
}

#[test]
fn the_whole_lifecycle_is_attributed_and_walks_every_step() {
    let (mut b, mut i) = replica(1);
    let w = receive(
        &mut b,
        &mut i,
        &new_complaint("c1", "2026-11-23 09:00"),
        &staff(1, "2026-11-23 09:02"),
    )
    .unwrap();
    assert!(w.index.is_some());
    assert_eq!(open_in_index(&i).unwrap(), [("c1".into(), MONTH.into())]);
    let c = get(&b, "c1");
    assert_eq!(c.status, Step::Received);
    assert_eq!(c.details.owner, "王女士", "texts are trimmed");
    assert_eq!(c.details.contact.as_deref(), Some("138 0000 0000"));
    assert_eq!(c.received, t("2026-11-23 09:00"));
    assert_eq!(c.received_by().unwrap().person, "p1");

    respond(&mut b, "c1", "已致歉并记录", &staff(1, "2026-11-23 09:05")).unwrap();
    assert_eq!(get(&b, "c1").status, Step::Responded);
    forward(
        &mut b,
        "c1",
        Department::Engineering,
        "",
        &staff(1, "2026-11-23 09:30"),
    )
    .unwrap();
    confirm_receipt(
        &mut b,
        "c1",
        "工程部 李工",
        "",
        &staff(2, "2026-11-23 09:40"),
    )
    .unwrap();
    preliminary(
        &mut b,
        "c1",
        "先关闭楼上阀门",
        &staff(2, "2026-11-23 10:00"),
    )
    .unwrap();
    correct(
        &mut b,
        "c1",
        "楼上卫生间防水层破损",
        "重做防水,修补天花板",
        &staff(2, "2026-11-23 16:00"),
    )
    .unwrap();
    reply(&mut b, "c1", "已修复,请查看", &staff(1, "2026-11-23 17:00")).unwrap();
    return_visit(
        &mut b,
        "c1",
        Satisfaction::Satisfied,
        "",
        &staff(1, "2026-11-24 10:00"),
    )
    .unwrap();
    note(&mut b, "c1", "业主表示感谢", &staff(1, "2026-11-24 10:01")).unwrap();
    let w = close(&mut b, &mut i, "c1", "", &staff(1, "2026-11-24 10:05")).unwrap();
    assert!(w.index.is_some());
    assert!(open_in_index(&i).unwrap().is_empty());

    let c = get(&b, "c1");
    assert_eq!(c.status, Step::Closed);
    assert!(!c.is_open());
    assert_eq!(c.department, Some(Department::Engineering));
    assert_eq!(c.satisfaction(), Some(Satisfaction::Satisfied));
    assert_eq!(
        kinds(&c),
        [
            EventKind::Received,
            EventKind::Responded,
            EventKind::Forwarded,
            EventKind::ReceiptConfirmed,
            EventKind::Preliminary,
            EventKind::Corrected,
            EventKind::Replied,
            EventKind::ReturnVisit,
            EventKind::Note,
            EventKind::Closed,
        ]
    );
    let confirmed = c.events_of(EventKind::ReceiptConfirmed)[0];
    assert_eq!(confirmed.person.as_deref(), Some("工程部 李工"));
    assert_eq!(confirmed.department, Some(Department::Engineering));
    let corrected = c.events_of(EventKind::Corrected)[0];
    assert_eq!(corrected.cause.as_deref(), Some("楼上卫生间防水层破损"));
    assert_eq!(corrected.text, "重做防水,修补天花板");

    // Every event is one attributed change, in the same order.
    let changes: Vec<_> = crate::attribution::history(&b)
        .into_iter()
        .filter(|c| c.attribution.is_some())
        .collect();
    assert_eq!(changes.len(), c.history.len());
    for (change, event) in changes.iter().zip(&c.history) {
        assert_eq!(
            change.summary,
            format!("complaint {} c1", event.kind.as_str())
        );
        let a = change.attribution.as_ref().unwrap();
        assert_eq!((&a.person, a.at_ms), (&event.by.person, event.by.at_ms));
    }

    // Every deadline was met on time.
    let ds = c.deadlines(&DeadlineSettings::default(), t("2026-11-30 00:00"), local);
    assert!(
        ds.iter().all(|d| d.state == DeadlineState::MetOnTime),
        "{ds:?}"
    );
    assert_eq!(ds[0].met_at, Some(t("2026-11-23 09:05")));
    assert_eq!(ds[3].met_at, Some(t("2026-11-23 16:00")));
}

// ─────────────────────────────── deadlines ───────────────────────────────

fn facts(received: &str, difficulty: Difficulty) -> Facts {
    Facts {
        received: t(received),
        difficulty,
        reached: BTreeMap::new(),
        serious_since: None,
        escalated_at: None,
    }
}

fn dues(f: &Facts, s: &DeadlineSettings) -> Vec<String> {
    deadlines(f, s, f.received)
        .iter()
        .map(|d| d.due.to_string())
        .collect()
}

#[test]
fn default_deadlines_are_the_seeds() {
    let s = DeadlineSettings::default();
    assert_eq!(s, DeadlineSettings::new(10, 60, 24, 24, 7).unwrap());
    assert_eq!(
        dues(&facts("2026-11-23 09:00", Difficulty::General), &s),
        [
            "2026-11-23 09:10",
            "2026-11-23 10:00",
            "2026-11-24 09:00",
            "2026-11-24 00:00"
        ]
    );
    assert_eq!(
        dues(&facts("2026-11-23 09:00", Difficulty::Hard), &s)[3],
        "2026-11-30 09:00"
    );
}

#[test]
fn deadlines_cross_midnight_month_and_year_ends() {
    let s = DeadlineSettings::default();
    // Just before midnight: everything falls on the next day, and "the
    // same day" ends five minutes later.
    assert_eq!(
        dues(&facts("2026-11-23 23:55", Difficulty::General), &s),
        [
            "2026-11-24 00:05",
            "2026-11-24 00:55",
            "2026-11-24 23:55",
            "2026-11-24 00:00"
        ]
    );
    // Month end.
    assert_eq!(
        dues(&facts("2026-11-30 23:58", Difficulty::Hard), &s),
        [
            "2026-12-01 00:08",
            "2026-12-01 00:58",
            "2026-12-01 23:58",
            "2026-12-07 23:58"
        ]
    );
    // Year end.
    assert_eq!(
        dues(&facts("2026-12-31 23:30", Difficulty::General), &s),
        [
            "2026-12-31 23:40",
            "2027-01-01 00:30",
            "2027-01-01 23:30",
            "2027-01-01 00:00"
        ]
    );
    // Leap years.
    assert_eq!(
        dues(&facts("2028-02-25 12:00", Difficulty::Hard), &s)[3],
        "2028-03-03 12:00"
    );
    assert_eq!(
        dues(&facts("2028-02-28 12:00", Difficulty::General), &s)[2],
        "2028-02-29 12:00"
    );
    assert_eq!(
        dues(&facts("2027-02-28 12:00", Difficulty::General), &s)[2],
        "2027-03-01 12:00"
    );
}

#[test]
fn site_settings_change_every_deadline() {
    let s = DeadlineSettings::new(5, 30, 48, 18, 3).unwrap();
    assert_eq!(
        dues(&facts("2026-11-23 17:59", Difficulty::General), &s),
        [
            "2026-11-23 18:04",
            "2026-11-23 18:29",
            "2026-11-25 17:59",
            "2026-11-23 18:00"
        ]
    );
    // At or after the hour, general issues are due at that hour the next
    // day — across the year end too.
    assert_eq!(
        dues(&facts("2026-11-23 18:00", Difficulty::General), &s)[3],
        "2026-11-24 18:00"
    );
    assert_eq!(
        dues(&facts("2026-12-31 18:30", Difficulty::General), &s)[3],
        "2027-01-01 18:00"
    );
    assert_eq!(
        dues(&facts("2026-12-30 08:00", Difficulty::Hard), &s)[3],
        "2027-01-02 08:00"
    );

    // Read from the site's settings document.
    let mut doc = settings::genesis("demo").unwrap();
    let sup = person(9, Role::Supervisor, 1);
    for (setting, value) in [
        (Setting::ComplaintRespondMinutes, 5),
        (Setting::ComplaintForwardMinutes, 30),
        (Setting::ComplaintPreliminaryHours, 48),
        (Setting::ComplaintSameDayUntilHour, 18),
        (Setting::ComplaintHardDays, 3),
    ] {
        settings::set(&mut doc, setting, value, &sup).unwrap();
    }
    assert_eq!(
        DeadlineSettings::from_site(&SiteSettings::new(&doc).unwrap()).unwrap(),
        s
    );
    assert_eq!(
        DeadlineSettings::from_site(&SiteSettings::defaults()).unwrap(),
        DeadlineSettings::default()
    );
    assert!(settings::set(&mut doc, Setting::ComplaintSameDayUntilHour, 25, &sup).is_err());

    for bad in [
        DeadlineSettings::new(0, 60, 24, 24, 7),
        DeadlineSettings::new(10, 1_441, 24, 24, 7),
        DeadlineSettings::new(10, 60, 0, 24, 7),
        DeadlineSettings::new(10, 60, 24, 0, 7),
        DeadlineSettings::new(10, 60, 24, 24, 32),
    ] {
        assert!(matches!(bad, Err(ModelError::OutOfRange { .. })), "{bad:?}");
    }
}

#[test]
fn deadline_states_pending_met_on_time_late_and_overdue() {
    let s = DeadlineSettings::default();
    let mut f = facts("2026-11-23 23:55", Difficulty::General);
    let at = |f: &Facts, now: &str| deadlines(f, &s, t(now));
    // Due 00:05: still pending at 00:05, overdue a minute later.
    assert_eq!(
        state_of(&at(&f, "2026-11-24 00:05"), DeadlineKind::Respond).1,
        DeadlineState::Pending
    );
    assert_eq!(
        state_of(&at(&f, "2026-11-24 00:06"), DeadlineKind::Respond).1,
        DeadlineState::Overdue
    );
    // "The same day" ended at midnight.
    assert_eq!(
        state_of(&at(&f, "2026-11-23 23:59"), DeadlineKind::Resolve).1,
        DeadlineState::Pending
    );
    assert_eq!(
        state_of(&at(&f, "2026-11-24 00:01"), DeadlineKind::Resolve).1,
        DeadlineState::Overdue
    );
    // A response exactly at the due minute is on time; later is late.
    f.reached.insert(Step::Responded, t("2026-11-24 00:05"));
    assert_eq!(
        state_of(&at(&f, "2026-11-30 00:00"), DeadlineKind::Respond).1,
        DeadlineState::MetOnTime
    );
    f.reached.insert(Step::Responded, t("2026-11-24 00:06"));
    let ds = at(&f, "2026-11-24 00:06");
    assert_eq!(
        state_of(&ds, DeadlineKind::Respond).1,
        DeadlineState::MetLate
    );
    let respond = ds[0];
    assert_eq!(respond.minutes_left(t("2026-11-24 00:00")), 5);
    assert_eq!(respond.minutes_left(t("2026-11-24 00:15")), -10);
    assert!(respond.is_met());
}

#[test]
fn a_later_step_meets_earlier_deadlines_and_device_times_are_local() {
    let (mut b, mut i) = replica(1);
    receive(
        &mut b,
        &mut i,
        &new_complaint("c1", "2026-11-23 23:50"),
        &staff(1, "2026-11-23 23:51"),
    )
    .unwrap();
    // The desk answers a simple request itself after midnight: the reply
    // meets respond (late), forward, preliminary and resolve (late).
    correct(
        &mut b,
        "c1",
        "门禁卡消磁",
        "重新写卡",
        &staff(1, "2026-11-24 00:20"),
    )
    .unwrap();
    let c = get(&b, "c1");
    let ds = c.deadlines(&DeadlineSettings::default(), t("2026-11-24 00:30"), local);
    assert_eq!(
        ds.iter().map(|d| d.state).collect::<Vec<_>>(),
        [
            DeadlineState::MetLate,
            DeadlineState::MetOnTime,
            DeadlineState::MetOnTime,
            DeadlineState::MetLate
        ]
    );
    assert!(ds.iter().all(|d| d.met_at == Some(t("2026-11-24 00:20"))));
    // The same complaint judged hard has a week.
    set_difficulty(
        &mut b,
        "c1",
        Difficulty::Hard,
        "",
        &staff(1, "2026-11-24 00:21"),
    )
    .unwrap();
    let c = get(&b, "c1");
    let ds = c.deadlines(&DeadlineSettings::default(), t("2026-11-24 00:30"), local);
    assert_eq!(
        state_of(&ds, DeadlineKind::Resolve),
        (t("2026-11-30 23:50"), DeadlineState::MetOnTime)
    );
    // A device time no local conversion can read counts as late.
    let ds = c.deadlines(&DeadlineSettings::default(), t("2026-11-24 00:30"), |_| {
        None
    });
    assert_eq!(ds[1].state, DeadlineState::MetLate);
}

// ──────────────────────────────── merges ────────────────────────────────

#[test]
fn forwarded_on_one_tablet_and_replied_on_another_resolve_to_the_furthest_step() {
    let (mut a, mut ia) = replica(1);
    receive(
        &mut a,
        &mut ia,
        &new_complaint("c1", "2026-11-23 09:00"),
        &staff(1, "2026-11-23 09:00"),
    )
    .unwrap();
    let (mut b, _) = replica(2);
    b.merge(&mut a.clone()).unwrap();
    forward(
        &mut a,
        "c1",
        Department::Cleaning,
        "",
        &staff(1, "2026-11-23 09:10"),
    )
    .unwrap();
    reply(&mut b, "c1", "已安排清理", &staff(2, "2026-11-23 09:12")).unwrap();
    let (ab, ba) = (merged(&a, &b), merged(&b, &a));
    for m in [&ab, &ba] {
        let c = get(m, "c1");
        assert_eq!(c.status, Step::Replied);
        assert_eq!(c.department, Some(Department::Cleaning));
        assert_eq!(c.events_of(EventKind::Forwarded).len(), 1);
        assert_eq!(c.events_of(EventKind::Replied).len(), 1);
    }
    assert_eq!(get(&ab, "c1"), get(&ba, "c1"));
}

#[test]
fn a_close_concurrent_with_a_note_keeps_both() {
    let (mut a, mut ia) = replica(1);
    receive(
        &mut a,
        &mut ia,
        &new_complaint("c1", "2026-11-23 09:00"),
        &staff(1, "2026-11-23 09:00"),
    )
    .unwrap();
    reply(&mut a, "c1", "已处理", &staff(1, "2026-11-23 10:00")).unwrap();
    let (mut b, mut ib) = replica(2);
    b.merge(&mut a.clone()).unwrap();
    ib.merge(&mut ia.clone()).unwrap();
    close(
        &mut a,
        &mut ia,
        "c1",
        "业主确认",
        &staff(1, "2026-11-23 11:00"),
    )
    .unwrap();
    note(
        &mut b,
        "c1",
        "业主又来电询问",
        &staff(2, "2026-11-23 11:01"),
    )
    .unwrap();
    let m = merged(&a, &b);
    let c = get(&m, "c1");
    assert_eq!(c.status, Step::Closed);
    assert_eq!(c.notes().len(), 1);
    assert_eq!(c.notes()[0].text, "业主又来电询问");
    assert_eq!(c.events_of(EventKind::Closed)[0].text, "业主确认");
    assert_eq!(m.get_heads(), merged(&b, &a).get_heads());
    // The index agrees after merging too.
    assert!(open_in_index(&merged(&ia, &ib)).unwrap().is_empty());
}

#[test]
fn three_tablets_step_concurrently_and_every_one_shows_the_same() {
    let (mut a, mut ia) = replica(1);
    receive(
        &mut a,
        &mut ia,
        &new_complaint("c1", "2026-11-23 09:00"),
        &staff(1, "2026-11-23 09:00"),
    )
    .unwrap();
    let (mut b, _) = replica(2);
    let (mut c, mut ic) = replica(3);
    b.merge(&mut a.clone()).unwrap();
    c.merge(&mut a.clone()).unwrap();
    ic.merge(&mut ia.clone()).unwrap();
    preliminary(&mut a, "c1", "先派人查看", &staff(1, "2026-11-23 09:20")).unwrap();
    respond(&mut b, "c1", "", &staff(2, "2026-11-23 09:05")).unwrap();
    // A leader closes without a reply (the owner withdrew it).
    close(
        &mut c,
        &mut ic,
        "c1",
        "业主撤回投诉",
        &leader(3, "2026-11-23 09:30"),
    )
    .unwrap();
    let mut all = [a.clone(), b.clone(), c.clone()];
    merge_everywhere(&mut all);
    let view = get(&all[0], "c1");
    assert_eq!(view.status, Step::Closed);
    assert_eq!(view.history.len(), 4);
    for r in &all[1..] {
        assert_eq!(get(r, "c1"), view);
    }
    // Closed: further steps are refused, notes and return visits are not.
    let heads = all[0].get_heads();
    assert_eq!(
        refusal(respond(&mut all[0], "c1", "", &staff(1, "2026-11-23 10:00")).unwrap_err()),
        Refusal::Closed("c1".into())
    );
    assert_eq!(all[0].get_heads(), heads);
    note(&mut all[0], "c1", "补记", &staff(1, "2026-11-23 10:00")).unwrap();
    return_visit(
        &mut all[0],
        "c1",
        Satisfaction::BasicallySatisfied,
        "",
        &staff(1, "2026-11-24 10:00"),
    )
    .unwrap();
}

#[test]
fn concurrent_difficulties_resolve_to_hard_and_a_later_one_replaces_them() {
    let (mut a, mut ia) = replica(1);
    receive(
        &mut a,
        &mut ia,
        &new_complaint("c1", "2026-11-23 09:00"),
        &staff(1, "2026-11-23 09:00"),
    )
    .unwrap();
    assert_eq!(get(&a, "c1").difficulty, None);
    let (mut b, _) = replica(2);
    b.merge(&mut a.clone()).unwrap();
    set_difficulty(
        &mut a,
        "c1",
        Difficulty::General,
        "",
        &staff(1, "2026-11-23 09:10"),
    )
    .unwrap();
    set_difficulty(
        &mut b,
        "c1",
        Difficulty::Hard,
        "需更换管道",
        &staff(2, "2026-11-23 09:11"),
    )
    .unwrap();
    let (ab, ba) = (merged(&a, &b), merged(&b, &a));
    assert_eq!(get(&ab, "c1").difficulty, Some(Difficulty::Hard));
    assert_eq!(get(&ba, "c1").difficulty, Some(Difficulty::Hard));
    // Having seen both, a leader decides it is general after all.
    let mut m = ab;
    set_difficulty(
        &mut m,
        "c1",
        Difficulty::General,
        "已找到原因",
        &leader(3, "2026-11-23 10:00"),
    )
    .unwrap();
    assert_eq!(get(&m, "c1").difficulty, Some(Difficulty::General));
    assert_eq!(get(&m, "c1").events_of(EventKind::Difficulty).len(), 3);
}

// ─────────────────────────────── refusals ───────────────────────────────

#[test]
fn bad_input_and_steps_out_of_order_are_refused_and_nothing_changes() {
    let (mut b, mut i) = replica(1);
    receive(
        &mut b,
        &mut i,
        &new_complaint("c1", "2026-11-23 09:00"),
        &staff(1, "2026-11-23 09:00"),
    )
    .unwrap();
    let by = staff(1, "2026-11-23 09:30");
    let heads = (b.get_heads(), i.get_heads());
    let bad_new = |f: &dyn Fn(&mut NewComplaint)| {
        let mut n = new_complaint("c2", "2026-11-23 09:00");
        f(&mut n);
        n
    };
    let input = |e: ModelError| match e {
        ModelError::BadText(b) => b,
        other => panic!("expected bad input, got {other:?}"),
    };
    for (n, expected) in [
        (bad_new(&|n| n.owner = " ".into()), "the owner is required"),
        (bad_new(&|n| n.unit = String::new()), "the unit is required"),
        (
            bad_new(&|n| n.content = "\n".into()),
            "the content is required",
        ),
        (
            bad_new(&|n| n.content = "字".repeat(MAX_TEXT_CHARS + 1)),
            "the content is longer than 2000 characters",
        ),
        (
            bad_new(&|n| n.id = "c/2".into()),
            "a complaint id \"c/2\" is not 1–64 letters, digits, - or _",
        ),
        (
            bad_new(&|n| n.post = "大堂".into()),
            "a post \"大堂\" is not 1–64 letters, digits, - or _",
        ),
        (
            bad_new(&|n| n.related = Some(String::new())),
            "a related complaint id \"\" is not 1–64 letters, digits, - or _",
        ),
    ] {
        let e = receive(&mut b, &mut i, &n, &by).unwrap_err();
        assert_eq!(input(e).to_string(), expected);
    }
    assert_eq!(
        refusal(
            receive(
                &mut b,
                &mut i,
                &new_complaint("c2", "2026-12-01 00:00"),
                &by
            )
            .unwrap_err()
        ),
        Refusal::OtherMonth {
            received: "2026-12-01".into(),
            month: MONTH.into()
        }
    );
    assert_eq!(
        refusal(
            receive(
                &mut b,
                &mut i,
                &new_complaint("c1", "2026-11-23 09:00"),
                &by
            )
            .unwrap_err()
        ),
        Refusal::Exists("c1".into())
    );
    let mut other_site = index_genesis("elsewhere").unwrap();
    assert!(matches!(
        refusal(
            receive(
                &mut b,
                &mut other_site,
                &new_complaint("c2", "2026-11-23 09:00"),
                &by
            )
            .unwrap_err()
        ),
        Refusal::OtherSite { .. }
    ));
    assert!(matches!(
        receive(
            &mut i.clone(),
            &mut i,
            &new_complaint("c2", "2026-11-23 09:00"),
            &by
        ),
        Err(ModelError::WrongSchema(_))
    ));
    assert_eq!(
        refusal(respond(&mut b, "c9", "", &by).unwrap_err()),
        Refusal::Unknown("c9".into())
    );
    assert_eq!(
        refusal(confirm_receipt(&mut b, "c1", "李工", "", &by).unwrap_err()),
        Refusal::NotForwarded("c1".into())
    );
    assert!(matches!(
        confirm_receipt(&mut b, "c1", " ", "", &by),
        Err(ModelError::BadText(_))
    ));
    assert!(matches!(
        preliminary(&mut b, "c1", "", &by),
        Err(ModelError::BadText(_))
    ));
    assert!(matches!(
        correct(&mut b, "c1", "原因", " ", &by),
        Err(ModelError::BadText(_))
    ));
    assert!(matches!(
        correct(&mut b, "c1", "", "措施", &by),
        Err(ModelError::BadText(_))
    ));
    assert!(matches!(
        reply(&mut b, "c1", "", &by),
        Err(ModelError::BadText(_))
    ));
    assert!(matches!(
        note(&mut b, "c1", "  ", &by),
        Err(ModelError::BadText(_))
    ));
    assert!(matches!(
        escalate(&mut b, "c1", "", "", &by),
        Err(ModelError::BadText(_))
    ));
    assert!(matches!(
        mark_serious(&mut b, "c1", "", &by),
        Err(ModelError::BadText(_))
    ));
    assert_eq!(
        refusal(return_visit(&mut b, "c1", Satisfaction::Satisfied, "", &by).unwrap_err()),
        Refusal::NotReplied("c1".into())
    );
    assert_eq!(
        refusal(close(&mut b, &mut i, "c1", "", &by).unwrap_err()),
        Refusal::NotReplied("c1".into())
    );
    assert!(matches!(
        close(&mut b, &mut i, "c1", " ", &leader(2, "2026-11-23 09:30")),
        Err(ModelError::BadText(_))
    ));
    assert_eq!((b.get_heads(), i.get_heads()), heads, "nothing changed");

    // After a reply: an unsatisfied owner's words are required, and staff
    // cannot close while the owner is unsatisfied.
    reply(&mut b, "c1", "已修复", &by).unwrap();
    let heads = (b.get_heads(), i.get_heads());
    assert!(matches!(
        return_visit(&mut b, "c1", Satisfaction::Unsatisfied, " ", &by),
        Err(ModelError::BadText(_))
    ));
    assert_eq!((b.get_heads(), i.get_heads()), heads);
    return_visit(&mut b, "c1", Satisfaction::Unsatisfied, "仍有渗水", &by).unwrap();
    set_difficulty(&mut b, "c1", Difficulty::General, "", &by).unwrap();
    let heads = (b.get_heads(), i.get_heads());
    assert_eq!(
        refusal(close(&mut b, &mut i, "c1", "", &by).unwrap_err()),
        Refusal::Unsatisfied("c1".into())
    );
    assert_eq!(
        refusal(set_difficulty(&mut b, "c1", Difficulty::General, "", &by).unwrap_err()),
        Refusal::SameDifficulty {
            id: "c1".into(),
            difficulty: Difficulty::General
        }
    );
    assert_eq!((b.get_heads(), i.get_heads()), heads);
    // A second corrective action and a satisfied visit let staff close.
    correct(&mut b, "c1", "管道接口松动", "更换接口", &by).unwrap();
    assert_eq!(get(&b, "c1").status, Step::ReturnVisited, "never lowered");
    return_visit(&mut b, "c1", Satisfaction::Satisfied, "", &by).unwrap();
    close(&mut b, &mut i, "c1", "", &by).unwrap();
    let heads = (b.get_heads(), i.get_heads());
    assert_eq!(
        refusal(close(&mut b, &mut i, "c1", "", &by).unwrap_err()),
        Refusal::Closed("c1".into())
    );
    for e in [
        forward(&mut b, "c1", Department::Security, "", &by).unwrap_err(),
        reply(&mut b, "c1", "x", &by).unwrap_err(),
        set_difficulty(&mut b, "c1", Difficulty::Hard, "", &by).unwrap_err(),
    ] {
        assert_eq!(refusal(e), Refusal::Closed("c1".into()));
    }
    assert_eq!((b.get_heads(), i.get_heads()), heads);

    // A leader may close after an unsatisfied visit, saying why.
    receive(
        &mut b,
        &mut i,
        &new_complaint("c2", "2026-11-23 09:00"),
        &by,
    )
    .unwrap();
    reply(&mut b, "c2", "无法满足", &by).unwrap();
    return_visit(&mut b, "c2", Satisfaction::Unsatisfied, "不接受", &by).unwrap();
    let boss = leader(2, "2026-11-23 12:00");
    close(&mut b, &mut i, "c2", "诉求超出物业服务范围", &boss).unwrap();
    assert!(!get(&b, "c2").is_open());
}

// ───────────────────────────── open index ─────────────────────────────

#[test]
fn the_open_index_follows_and_is_repaired_from_the_board() {
    let (mut oct, mut i) = pair(1, "2026-10");
    let (mut nov, _) = pair(1, MONTH);
    let by = staff(1, "2026-11-01 09:00");
    receive(
        &mut oct,
        &mut i,
        &new_complaint("old", "2026-10-31 23:59"),
        &by,
    )
    .unwrap();
    receive(
        &mut oct,
        &mut i,
        &new_complaint("done", "2026-10-30 10:00"),
        &by,
    )
    .unwrap();
    reply(&mut oct, "done", "已处理", &by).unwrap();
    close(&mut oct, &mut i, "done", "", &by).unwrap();
    receive(
        &mut nov,
        &mut i,
        &new_complaint("new", "2026-11-01 08:00"),
        &by,
    )
    .unwrap();
    assert_eq!(
        open_in_index(&i).unwrap(),
        [
            ("new".into(), "2026-11".into()),
            ("old".into(), "2026-10".into())
        ]
    );
    assert_eq!(
        months_to_load(&i, "2026-12").unwrap(),
        ["2026-10", "2026-11", "2026-12"]
    );
    let boards = [&oct, &nov];
    let open: Vec<String> = open_complaints(&boards)
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(open, ["old", "new"], "oldest first, across months");

    // A tablet that crashed between the board and the index: the index
    // lost both writes (a fresh index), and another holds a stale entry.
    let mut lost = index_genesis("demo").unwrap();
    assert!(reconcile_index(&oct, &mut lost, &by).unwrap());
    assert_eq!(
        open_in_index(&lost).unwrap(),
        [("old".into(), "2026-10".into())]
    );
    assert!(
        !reconcile_index(&oct, &mut lost, &by).unwrap(),
        "idempotent"
    );
    let mut stale = index_genesis("demo").unwrap();
    let open_map = crate::genesis::container(&stale, "open", ObjType::Map).unwrap();
    let mut tx = stale.transaction();
    tx.put(&open_map, "done", "2026-10").unwrap();
    tx.put(&open_map, "elsewhere", "2026-09").unwrap();
    tx.commit();
    assert!(reconcile_index(&oct, &mut stale, &by).unwrap());
    assert_eq!(
        open_in_index(&stale).unwrap(),
        [
            ("elsewhere".into(), "2026-09".into()),
            ("old".into(), "2026-10".into())
        ],
        "closed removed, open added, unknown ids left alone"
    );
    assert!(months_to_load(&i, "2026-13").is_err());
}

// ──────────────────────────── alerts, figures ────────────────────────────

#[test]
fn serious_complaints_alert_at_once_until_escalated_even_when_closed() {
    let s = DeadlineSettings::default();
    let (mut a, mut ia) = replica(1);
    let mut serious = new_complaint("s1", "2026-11-23 09:00");
    serious.serious = true;
    receive(&mut a, &mut ia, &serious, &staff(1, "2026-11-23 09:00")).unwrap();
    let now = t("2026-11-23 09:01");
    let alert = alerts(&[&a], &s, now, local).unwrap();
    assert_eq!(alert.len(), 1);
    assert_eq!(
        alert[0].kinds,
        [AlertKind::EscalateNow {
            since: t("2026-11-23 09:00")
        }]
    );
    reply(&mut a, "s1", "已上报", &staff(1, "2026-11-23 09:02")).unwrap();
    assert_eq!(
        refusal(close(&mut a, &mut ia, "s1", "", &staff(1, "2026-11-23 09:03")).unwrap_err()),
        Refusal::NotEscalated("s1".into())
    );
    escalate(
        &mut a,
        "s1",
        "主管 陈经理",
        "电话告知",
        &staff(1, "2026-11-23 09:04"),
    )
    .unwrap();
    assert!(
        alerts(&[&a], &s, t("2026-11-23 09:05"), local)
            .unwrap()
            .is_empty()
    );
    let c = get(&a, "s1");
    let e = c.facts(local).escalation().unwrap();
    assert_eq!(e.at, Some(t("2026-11-23 09:04")));
    assert_eq!(c.escalations()[0].person.as_deref(), Some("主管 陈经理"));

    // Marked serious on one tablet while another closes it: the merge is
    // closed, serious and not escalated, so it alerts until escalated.
    receive(
        &mut a,
        &mut ia,
        &new_complaint("c2", "2026-11-23 10:00"),
        &staff(1, "2026-11-23 10:00"),
    )
    .unwrap();
    reply(&mut a, "c2", "已处理", &staff(1, "2026-11-23 10:30")).unwrap();
    let (mut b, _) = replica(2);
    b.merge(&mut a.clone()).unwrap();
    close(&mut a, &mut ia, "c2", "", &staff(1, "2026-11-23 11:00")).unwrap();
    mark_serious(
        &mut b,
        "c2",
        "业主要投诉到媒体",
        &staff(2, "2026-11-23 11:05"),
    )
    .unwrap();
    assert_eq!(
        refusal(mark_serious(&mut b, "c2", "again", &staff(2, "2026-11-23 11:06")).unwrap_err()),
        Refusal::AlreadySerious("c2".into())
    );
    let mut m = merged(&a, &b);
    let c = get(&m, "c2");
    assert!(c.serious && !c.is_open());
    let alert = alerts(&[&m], &s, t("2026-11-23 12:00"), local).unwrap();
    assert_eq!(alert.len(), 1);
    assert_eq!(alert[0].complaint.id, "c2");
    assert_eq!(
        alert[0].kinds,
        [AlertKind::EscalateNow {
            since: t("2026-11-23 11:05")
        }]
    );
    escalate(
        &mut m,
        "c2",
        "主管 陈经理",
        "",
        &staff(1, "2026-11-23 12:01"),
    )
    .unwrap();
    assert!(
        alerts(&[&m], &s, t("2026-11-23 12:02"), local)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn alerts_list_the_most_urgent_first() {
    let s = DeadlineSettings::default();
    let (mut b, mut i) = replica(1);
    let by = |at: &str| staff(1, at);
    // a: received 08:00, nothing done → everything of the day overdue.
    receive(
        &mut b,
        &mut i,
        &new_complaint("a", "2026-11-23 08:00"),
        &by("2026-11-23 08:00"),
    )
    .unwrap();
    // b: received 09:00, responded, not forwarded.
    receive(
        &mut b,
        &mut i,
        &new_complaint("b", "2026-11-23 09:00"),
        &by("2026-11-23 09:00"),
    )
    .unwrap();
    respond(&mut b, "b", "", &by("2026-11-23 09:01")).unwrap();
    // c: serious, received last.
    let mut c = new_complaint("c", "2026-11-23 11:00");
    c.serious = true;
    receive(&mut b, &mut i, &c, &by("2026-11-23 11:00")).unwrap();
    // d: replied, owner unsatisfied, hard (nothing overdue).
    let mut d = new_complaint("d", "2026-11-23 09:30");
    d.difficulty = Some(Difficulty::Hard);
    receive(&mut b, &mut i, &d, &by("2026-11-23 09:30")).unwrap();
    reply(&mut b, "d", "已处理", &by("2026-11-23 09:31")).unwrap();
    return_visit(
        &mut b,
        "d",
        Satisfaction::Unsatisfied,
        "没修好",
        &by("2026-11-23 10:00"),
    )
    .unwrap();
    // e: received just now, nothing due yet.
    receive(
        &mut b,
        &mut i,
        &new_complaint("e", "2026-11-23 11:05"),
        &by("2026-11-23 11:05"),
    )
    .unwrap();

    let now = t("2026-11-23 11:10");
    let list = alerts(&[&b], &s, now, local).unwrap();
    let ids: Vec<&str> = list.iter().map(|a| a.complaint.id.as_str()).collect();
    assert_eq!(ids, ["c", "a", "b", "d"]);
    assert_eq!(
        list[0].kinds,
        [AlertKind::EscalateNow {
            since: t("2026-11-23 11:00")
        }],
        "11:10 is c's respond minute itself: not overdue yet"
    );
    let overdue = |a: &Alert| -> Vec<DeadlineKind> {
        a.kinds
            .iter()
            .filter_map(|k| match k {
                AlertKind::Overdue(d) => Some(d.kind),
                _ => None,
            })
            .collect()
    };
    assert_eq!(
        overdue(&list[1]),
        [DeadlineKind::Respond, DeadlineKind::Forward]
    );
    assert_eq!(overdue(&list[2]), [DeadlineKind::Forward]);
    assert_eq!(list[3].kinds, [AlertKind::Unsatisfied]);
    // Past midnight, general issues of the day are overdue too; d is
    // hard and replied.
    let list = alerts(&[&b], &s, t("2026-11-24 00:01"), local).unwrap();
    let ids: Vec<&str> = list.iter().map(|a| a.complaint.id.as_str()).collect();
    assert_eq!(ids, ["c", "a", "b", "e", "d"]);
    assert!(overdue(&list[1]).contains(&DeadlineKind::Resolve));
    assert_eq!(list[4].kinds, [AlertKind::Unsatisfied]);
}

#[test]
fn figures_count_what_is_decided() {
    let s = DeadlineSettings::default();
    let (mut b, mut i) = replica(1);
    let by = |at: &str| staff(1, at);
    // Replied on time, visited, satisfied.
    receive(
        &mut b,
        &mut i,
        &new_complaint("a", "2026-11-23 08:00"),
        &by("2026-11-23 08:00"),
    )
    .unwrap();
    respond(&mut b, "a", "", &by("2026-11-23 08:05")).unwrap();
    reply(&mut b, "a", "好了", &by("2026-11-23 12:00")).unwrap();
    return_visit(
        &mut b,
        "a",
        Satisfaction::BasicallySatisfied,
        "",
        &by("2026-11-23 15:00"),
    )
    .unwrap();
    // Replied the next day (late for a general issue), visited, unsatisfied.
    let mut r = new_complaint("b", "2026-11-23 09:00");
    r.kind = Kind::Request;
    receive(&mut b, &mut i, &r, &by("2026-11-23 09:00")).unwrap();
    respond(&mut b, "b", "", &by("2026-11-23 09:30")).unwrap();
    reply(&mut b, "b", "好了", &by("2026-11-24 09:00")).unwrap();
    return_visit(
        &mut b,
        "b",
        Satisfaction::Unsatisfied,
        "慢",
        &by("2026-11-24 10:00"),
    )
    .unwrap();
    // Replied, no visit.
    receive(
        &mut b,
        &mut i,
        &new_complaint("c", "2026-11-23 10:00"),
        &by("2026-11-23 10:00"),
    )
    .unwrap();
    reply(&mut b, "c", "好了", &by("2026-11-23 10:05")).unwrap();
    // Serious, nothing done, resolution due passed.
    let mut d = new_complaint("d", "2026-11-23 11:00");
    d.serious = true;
    receive(&mut b, &mut i, &d, &by("2026-11-23 11:00")).unwrap();
    // Hard, nothing done, not due yet.
    let mut e = new_complaint("e", "2026-11-23 11:00");
    e.difficulty = Some(Difficulty::Hard);
    receive(&mut b, &mut i, &e, &by("2026-11-23 11:00")).unwrap();

    // Withdrawn: a leader closes it without a reply.
    receive(
        &mut b,
        &mut i,
        &new_complaint("w", "2026-11-23 12:00"),
        &by("2026-11-23 12:00"),
    )
    .unwrap();
    close(
        &mut b,
        &mut i,
        "w",
        "业主撤回",
        &leader(2, "2026-11-23 12:05"),
    )
    .unwrap();

    let all = complaints(&b).unwrap();
    let f = figures(&all, &s, t("2026-11-24 12:00"), local);
    assert_eq!(
        (f.total, f.requests, f.complaints, f.serious, f.open),
        (6, 1, 5, 1, 5)
    );
    // Respond: a on time, b late, c on time (the reply), d and e overdue,
    // w on time (the close).
    assert_eq!(f.on_time[&DeadlineKind::Respond], Rate { hits: 3, of: 6 });
    assert_eq!(
        f.reply_on_time,
        Rate { hits: 2, of: 5 },
        "e is not due; w never had a reply"
    );
    assert_eq!(
        f.return_visits,
        Rate { hits: 2, of: 3 },
        "only replied ones count"
    );
    assert_eq!(f.satisfaction, Rate { hits: 1, of: 2 });
    assert_eq!(f.satisfaction.percent(), Some(50.0));
    assert_eq!(Rate::default().percent(), None);
    let empty = figures(&[], &s, t("2026-11-24 12:00"), local);
    assert_eq!(empty.total, 0);
    assert_eq!(empty.on_time[&DeadlineKind::Resolve], Rate::default());
}

#[test]
fn search_by_day_post_unit_person_status_and_text() {
    let (mut b, mut i) = replica(1);
    let mut a = new_complaint("a", "2026-11-23 08:00");
    a.unit = "3栋１２０１".into();
    receive(&mut b, &mut i, &a, &staff(1, "2026-11-23 08:00")).unwrap();
    let mut c = new_complaint("b", "2026-11-24 08:00");
    c.post = "gate".into();
    c.unit = "5栋 101".into();
    c.owner = "Mr Li".into();
    c.kind = Kind::Request;
    receive(&mut b, &mut i, &c, &staff(2, "2026-11-24 08:00")).unwrap();
    forward(
        &mut b,
        "b",
        Department::Security,
        "",
        &staff(2, "2026-11-24 08:05"),
    )
    .unwrap();
    confirm_receipt(&mut b, "b", "安管 赵", "", &staff(2, "2026-11-24 08:10")).unwrap();
    let all = complaints(&b).unwrap();
    let ids =
        |f: Filter| -> Vec<String> { search(&all, &f).into_iter().map(|c| c.id.clone()).collect() };
    assert_eq!(ids(Filter::default()), ["a", "b"]);
    assert_eq!(ids(Filter::day(Date::parse("2026-11-24").unwrap())), ["b"]);
    assert_eq!(
        ids(Filter {
            from: Some(Date::parse("2026-11-22").unwrap()),
            to: Some(Date::parse("2026-11-23").unwrap()),
            ..Filter::default()
        }),
        ["a"]
    );
    assert_eq!(
        ids(Filter {
            post: Some("gate".into()),
            ..Filter::default()
        }),
        ["b"]
    );
    assert_eq!(
        ids(Filter {
            unit: Some("3栋 1201".into()),
            ..Filter::default()
        }),
        ["a"]
    );
    assert_eq!(
        ids(Filter {
            person: Some("id1".into()),
            ..Filter::default()
        }),
        ["a"]
    );
    assert_eq!(
        ids(Filter {
            person: Some("安管 赵".into()),
            ..Filter::default()
        }),
        ["b"]
    );
    assert_eq!(
        ids(Filter {
            statuses: vec![Step::ReceiptConfirmed],
            ..Filter::default()
        }),
        ["b"]
    );
    assert_eq!(
        ids(Filter {
            open: Some(false),
            ..Filter::default()
        }),
        Vec::<String>::new()
    );
    assert_eq!(
        ids(Filter {
            kind: Some(Kind::Request),
            ..Filter::default()
        }),
        ["b"]
    );
    assert_eq!(
        ids(Filter {
            department: Some(Department::Security),
            ..Filter::default()
        }),
        ["b"]
    );
    assert_eq!(
        ids(Filter {
            text: Some("mr li".into()),
            ..Filter::default()
        }),
        ["b"]
    );
    assert_eq!(
        ids(Filter {
            text: Some("渗水".into()),
            ..Filter::default()
        }),
        ["a", "b"]
    );
    assert_eq!(
        ids(Filter {
            text: Some("渗水".into()),
            serious: Some(true),
            ..Filter::default()
        }),
        Vec::<String>::new()
    );
}

// ───────────────────────────── property test ─────────────────────────────

/// One random step: on which replica, what, on which complaint, a role
/// flag and a choice, then sync with which other replica.
#[derive(Debug, Clone)]
struct RandomStep {
    replica: usize,
    action: u8,
    complaint: usize,
    flag: bool,
    choice: usize,
    sync: Option<usize>,
}

fn random_steps() -> impl Strategy<Value = Vec<RandomStep>> {
    proptest::collection::vec(
        (
            0..3usize,
            0..16u8,
            0..3usize,
            any::<bool>(),
            0..3usize,
            proptest::option::of(0..3usize),
        )
            .prop_map(
                |(replica, action, complaint, flag, choice, sync)| RandomStep {
                    replica,
                    action,
                    complaint,
                    flag,
                    choice,
                    sync,
                },
            ),
        1..48,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// Random registrations and steps of three complaints on three
    /// replicas with random partial syncs. Every refusal leaves its replica
    /// unchanged. After a full merge every replica holds the same board,
    /// view and alerts; every event written is there exactly once; each
    /// status is the furthest step of its events; the reconciled index
    /// lists exactly the open complaints.
    #[test]
    fn three_replicas_converge_and_lose_nothing(steps in random_steps()) {
        let ids = ["c0", "c1", "c2"];
        let mut rs = [replica(1), replica(2), replica(3)];
        let mut written: Vec<(String, EventKind, String)> = Vec::new();
        for (n, step) in steps.iter().enumerate() {
            let at = ms("2026-11-23 08:00") + n as i64 * 300_000;
            let role = if step.flag { Role::Leader } else { Role::Staff };
            let by = person(step.replica as u8, role, at);
            let id = ids[step.complaint];
            let text = format!("t{n}");
            let (board, index) = &mut rs[step.replica];
            let heads = (board.get_heads(), index.get_heads());
            let (kind, result) = match step.action {
                0..=2 => {
                    let mut new = new_complaint(id, "2026-11-23 08:00");
                    new.serious = step.flag && step.choice == 0;
                    (EventKind::Received, receive(board, index, &new, &by).map(|w| w.board))
                }
                3 => (EventKind::Responded, respond(board, id, &text, &by)),
                4 => (EventKind::Forwarded, forward(board, id, Department::ALL[step.choice], &text, &by)),
                5 => (EventKind::ReceiptConfirmed, confirm_receipt(board, id, "李工", &text, &by)),
                6 => (EventKind::Preliminary, preliminary(board, id, &text, &by)),
                7 => (EventKind::Corrected, correct(board, id, "原因", &text, &by)),
                8 => (EventKind::Replied, reply(board, id, &text, &by)),
                9 => (EventKind::ReturnVisit, return_visit(board, id, Satisfaction::ALL[step.choice], &text, &by)),
                10 => (EventKind::Closed, close(board, index, id, &text, &by).map(|w| w.board)),
                11 => (EventKind::Escalated, escalate(board, id, "主管", &text, &by)),
                12 => (EventKind::Difficulty, set_difficulty(board, id, if step.flag { Difficulty::Hard } else { Difficulty::General }, &text, &by)),
                13 => (EventKind::Serious, mark_serious(board, id, &text, &by)),
                _ => (EventKind::Note, note(board, id, &text, &by)),
            };
            match result {
                Ok(_) => {
                    let stored = if kind == EventKind::Received { String::new() } else { text };
                    written.push((id.to_owned(), kind, stored));
                }
                Err(e) => {
                    prop_assert!(
                        matches!(e, ModelError::Complaint(_)),
                        "{:?}", e
                    );
                    prop_assert_eq!((board.get_heads(), index.get_heads()), heads);
                }
            }
            if let Some(other) = step.sync.filter(|o| *o != step.replica) {
                sync(&mut rs, step.replica, other);
            }
        }
        merge_everywhere(&mut rs);
        let view = complaints(&rs[0].0).unwrap();
        let now = t("2026-11-24 12:00");
        let s = DeadlineSettings::default();
        let alert = alerts(&[&rs[0].0], &s, now, local).unwrap();
        for (board, _) in &rs[1..] {
            prop_assert_eq!(board.get_heads(), rs[0].0.get_heads());
            prop_assert_eq!(&complaints(board).unwrap(), &view);
            prop_assert_eq!(&alerts(&[board], &s, now, local).unwrap(), &alert);
        }
        let mut seen: Vec<(String, EventKind, String)> = events(&rs[0].0)
            .unwrap()
            .into_iter()
            .map(|e| (e.complaint, e.kind, e.text))
            .collect();
        seen.sort();
        written.sort();
        prop_assert_eq!(&seen, &written);
        let in_view: usize = view.iter().map(|c| c.history.len()).sum();
        prop_assert_eq!(in_view, written.len(), "every complaint with events was registered");
        for c in &view {
            let furthest = c.history.iter().filter_map(|e| e.kind.step()).max();
            prop_assert_eq!(Some(c.status), furthest);
            let serious = c.history.iter().any(|e| {
                e.kind == EventKind::Serious || e.details.as_ref().is_some_and(|d| d.serious)
            });
            prop_assert_eq!(c.serious, serious);
            let needs = serious && !c.is_escalated();
            let listed = alert.iter().any(|a| {
                a.complaint.id == c.id
                    && a.kinds.first().is_some_and(|k| matches!(k, AlertKind::EscalateNow { .. }))
            });
            prop_assert_eq!(needs, listed);
        }
        let (board, index) = &mut rs[0];
        reconcile_index(board, index, &person(1, Role::Staff, 0)).unwrap();
        let open: Vec<(String, String)> = view
            .iter()
            .filter(|c| c.is_open())
            .map(|c| (c.id.clone(), MONTH.to_owned()))
            .collect();
        prop_assert_eq!(open_in_index(index).unwrap(), open);
    }
}

/// Append to `board`'s events, as a newer build would, a copy of the last
/// event with its kind replaced by `word` (a kind this build does not know).
fn append_from_newer_build(board: &mut Automerge, word: &str) {
    use automerge::ReadDoc;
    let last = events(board).unwrap().pop().unwrap();
    let (_, list) = board
        .get(automerge::ROOT, "events")
        .unwrap()
        .expect("an events list");
    let mut tx = board.transaction();
    let at = tx.length(&list);
    autosurgeon::reconcile_insert(&mut tx, list.clone(), at, &last).unwrap();
    let (_, map) = tx.get(&list, at).unwrap().unwrap();
    tx.put(&map, "kind", word).unwrap();
    tx.commit();
}

#[test]
fn a_step_a_newer_build_wrote_is_left_out_counted_and_kept() {
    let (mut b, mut i) = replica(1);
    receive(
        &mut b,
        &mut i,
        &new_complaint("c1", "2026-11-23 09:00"),
        &staff(1, "2026-11-23 09:02"),
    )
    .unwrap();
    respond(&mut b, "c1", "已致歉", &staff(1, "2026-11-23 09:05")).unwrap();
    // Another tablet runs a newer build with a step this one lacks.
    let mut newer = on_tablet(b.fork(), 2);
    append_from_newer_build(&mut newer, "video-call");
    assert!(events(&newer).is_ok() && crate::readable::unreadable_records(&newer).unwrap() == 1);
    b.merge(&mut newer.clone()).unwrap();

    // The board still reads here: the complaint, its known steps.
    assert_eq!(crate::readable::unreadable_records(&b).unwrap(), 1);
    assert_eq!(events(&b).unwrap().len(), 2);
    let c = get(&b, "c1");
    assert_eq!(c.status, Step::Responded);
    assert_eq!(open_complaints(&[&b]).unwrap().len(), 1);
    // … and takes this build's steps.
    forward(
        &mut b,
        "c1",
        Department::Engineering,
        "",
        &staff(1, "2026-11-23 09:20"),
    )
    .unwrap();
    assert_eq!(get(&b, "c1").status, Step::Forwarded);

    // The newer step is kept: stored, loaded again, and back on the newer
    // tablet with this one's forward.
    let loaded = Automerge::load(&b.save()).unwrap();
    assert_eq!(crate::readable::unreadable_records(&loaded).unwrap(), 1);
    newer.merge(&mut b).unwrap();
    use automerge::ReadDoc;
    let (_, list) = newer.get(automerge::ROOT, "events").unwrap().unwrap();
    assert_eq!(
        newer.length(&list),
        4,
        "received, responded, video-call, forwarded"
    );
}
