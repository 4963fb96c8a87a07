//! Hand-over tests: the round trip, refusal and acceptance (one after the
//! other and concurrently, on two and three replicas), signatures and what
//! came after them, equipment checks, alerts, pending items carried across
//! two days and months, a done item noted concurrently, refusals of bad
//! input, the open index and its repair, and a property test over three
//! replicas.

use super::pending::{self, PendingKind, PendingStatus};
use super::*;
use crate::roster::Role;
use crate::test_support::{
    Merge, actor, both_ways, merge_everywhere, on_tablet, person, staff, sync,
};
use automerge::ReadDoc;
use proptest::prelude::*;

const BOOK: &str = "cs-control-room";
const DATE: &str = "2026-11-23";
const MONTH: &str = "2026-11";

fn refusal(e: ModelError) -> Refusal {
    match e {
        ModelError::Handover(r) => r,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// A tablet's documents: the book's day, this month's pending board and
/// the book's open index.
#[derive(Clone)]
struct Desk {
    day: Automerge,
    board: Automerge,
    index: Automerge,
}

fn desk(n: u8) -> Desk {
    desk_on(n, DATE)
}

fn desk_on(n: u8, date: &str) -> Desk {
    Desk {
        day: on_tablet(genesis("demo", BOOK, date).unwrap(), n),
        board: on_tablet(pending::genesis("demo", BOOK, &date[..7]).unwrap(), n),
        index: on_tablet(pending::index_genesis("demo", BOOK).unwrap(), n),
    }
}

impl Merge for Desk {
    fn merge_from(&mut self, other: &Desk) {
        self.day.merge_from(&other.day);
        self.board.merge_from(&other.board);
        self.index.merge_from(&other.index);
    }
}

impl Desk {
    fn write(&mut self, id: &str, by: &Attribution) -> Result<ChangeHash, ModelError> {
        write(&mut self.day, &draft(id, Vec::new()), by)
    }

    fn raise(&mut self, id: &str, what: &str, by: &Attribution) -> pending::Written {
        pending::open(
            &mut self.board,
            &mut self.index,
            id,
            what,
            DATE,
            Some("h1"),
            by,
        )
        .unwrap()
    }

    fn view(&self, id: &str) -> Handover {
        handover(&self.day, id).unwrap().unwrap()
    }
}

fn draft(id: &str, pending: Vec<PendingRef>) -> Draft {
    Draft {
        id: id.into(),
        from_post: "customer-service".into(),
        to_post: "control-room".into(),
        shift: "日班 08:00–18:00".into(),
        summary: " 18:00 前 3 宗报修已转工程部 ".into(),
        pending,
    }
}

fn radio() -> EquipmentItem {
    EquipmentItem {
        id: "radio".into(),
        label: Bilingual::new("对讲机", "Radio"),
    }
}

fn cctv() -> EquipmentItem {
    EquipmentItem {
        id: "cctv".into(),
        label: Bilingual::new("监控", "CCTV"),
    }
}

fn check(item: &EquipmentItem, status: Status, note: &str) -> EquipmentCheck {
    EquipmentCheck {
        item: item.id.clone(),
        label: item.label.clone(),
        status,
        note: note.into(),
    }
}

fn index_ids(index: &Automerge) -> Vec<String> {
    pending::open_in_index(index)
        .unwrap()
        .into_iter()
        .map(|(id, _)| id)
        .collect()
}

fn open_ids(board: &Automerge) -> Vec<String> {
    pending::open_items(&[board])
        .unwrap()
        .into_iter()
        .map(|i| i.id)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

#[test]
fn stored_words_purposes_and_identical_geneses() {
    assert_eq!(EventKind::Equipment.as_str(), "equipment");
    assert_eq!(PendingKind::Done.as_str(), "done");
    assert_eq!(purpose(BOOK, DATE), "handover/cs-control-room/2026-11-23");
    assert_eq!(
        pending::purpose(BOOK, MONTH),
        "handover-pending/cs-control-room/2026-11"
    );
    assert_eq!(
        pending::index_purpose(BOOK),
        "handover-pending-open/cs-control-room"
    );
    let site = crate::SiteKey::from_random([9; 32]);
    assert_eq!(
        document_id(&site, BOOK, DATE),
        crate::DocumentId::derive(&site, "handover/cs-control-room/2026-11-23")
    );
    assert_ne!(
        pending::document_id(&site, BOOK, MONTH),
        pending::index_document_id(&site, BOOK)
    );
    let (a, b) = (desk(1), desk(2));
    assert_eq!(a.day.save(), b.day.save(), "one day genesis");
    assert_eq!(a.board.save(), b.board.save(), "one board genesis");
    assert_eq!(a.index.save(), b.index.save(), "one index genesis");
    assert_eq!(book_of(&a.day).unwrap(), BOOK);
    assert_eq!(date_of(&a.day).unwrap(), DATE);
    assert!(handovers(&a.day).unwrap().is_empty());
    assert_eq!(Capacity::of(Meaning::DailyReview), None);
    assert_eq!(
        Capacity::of(Capacity::Incoming.meaning()),
        Some(Capacity::Incoming)
    );
    assert!(matches!(
        genesis("demo", "a/b", DATE),
        Err(ModelError::Handover(Refusal::BadKey { .. }))
    ));
    assert!(matches!(
        genesis("demo", BOOK, "2026-11-32"),
        Err(ModelError::BadDate(_))
    ));
    for bad in ["2026-13", "2026-00", "26-11", "2026-11-01"] {
        assert!(
            matches!(
                pending::genesis("demo", BOOK, bad),
                Err(ModelError::Handover(Refusal::BadMonth(_)))
            ),
            "{bad}"
        );
    }
}

#[test]
fn a_hand_over_round_trip_is_attributed_and_ends_signed() {
    let mut d = desk(1);
    let out = staff(1, 1_000);
    d.raise("p1", "3栋电梯异响待工程部回复", &out);
    let carried = pending::carry(&pending::open_items(&[&d.board]).unwrap());
    let written = write(&mut d.day, &draft("h1", carried.clone()), &out).unwrap();
    let h = d.view("h1");
    assert_eq!(h.state, HandoverState::Written);
    assert_eq!(h.summary, "18:00 前 3 宗报修已转工程部", "trimmed");
    assert_eq!(h.outgoing, Who::from(&out));
    assert_eq!(
        (h.from_post.as_str(), h.to_post.as_str()),
        ("customer-service", "control-room")
    );
    assert_eq!(h.pending, carried);
    assert_eq!(h.pending[0].month, MONTH);
    assert_eq!(h.unchecked(&[radio(), cctv()]), [radio(), cctv()]);

    let inc = staff(2, 60_000);
    check_equipment(
        &mut d.day,
        "h1",
        &[
            check(&radio(), Status::Normal, ""),
            check(&cctv(), Status::Abnormal, " 3号摄像头黑屏 "),
        ],
        &inc,
    )
    .unwrap();
    accept(&mut d.day, "h1", "", &inc).unwrap();
    assert_eq!(d.view("h1").state, HandoverState::Accepted);
    sign(&mut d.day, "h1", Capacity::Outgoing, &staff(1, 61_000)).unwrap();
    assert_eq!(d.view("h1").state, HandoverState::Accepted, "one side only");
    let s = sign(&mut d.day, "h1", Capacity::Incoming, &staff(2, 62_000)).unwrap();
    assert_eq!(s.meaning, Meaning::HandoverIncoming);

    let h = d.view("h1");
    assert_eq!(h.state, HandoverState::Signed);
    assert!(h.unchecked(&[radio(), cctv()]).is_empty());
    assert_eq!(h.equipment.len(), 2);
    assert_eq!(h.equipment[1].status, Status::Abnormal);
    assert_eq!(h.equipment[1].note, "3号摄像头黑屏");
    assert_eq!(h.equipment[1].checks[0].by, Who::from(&inc));
    assert_eq!(h.signatures.len(), 2);
    assert_eq!(h.signed_as(Capacity::Outgoing)[0].person, "p1");
    assert_eq!(
        h.history.iter().map(|e| e.kind).collect::<Vec<_>>(),
        [
            EventKind::Written,
            EventKind::Equipment,
            EventKind::Equipment,
            EventKind::Accepted,
            EventKind::Signed,
            EventKind::Signed
        ]
    );
    assert!(added_after_signing(&d.day, "h1", &s).unwrap().is_empty());

    let summaries: Vec<_> = crate::attribution::history(&d.day)
        .into_iter()
        .skip(1)
        .map(|c| (c.summary, c.attribution.unwrap().person))
        .collect();
    assert_eq!(
        summaries,
        [
            ("handover written h1".to_owned(), "p1".to_owned()),
            ("handover equipment h1".into(), "p2".into()),
            ("handover accepted h1".into(), "p2".into()),
            ("signature handover-outgoing h1".into(), "p1".into()),
            ("signature handover-incoming h1".into(), "p2".into()),
        ]
    );
    assert_eq!(
        d.day.get_change_by_hash(&written).unwrap().timestamp(),
        1,
        "change time is the device time in seconds"
    );
    // The leader's daily review signs the whole day document.
    crate::signature::sign(
        &mut d.day,
        Meaning::DailyReview,
        &person(7, Role::Leader, 90_000),
    )
    .unwrap();
    assert_eq!(crate::signature::signatures(&d.day).unwrap().len(), 1);
    assert_eq!(d.view("h1").state, HandoverState::Signed);
}

#[test]
fn a_refusal_then_an_acceptance_answers_it() {
    let mut d = desk(1);
    d.write("h1", &staff(1, 0)).unwrap();
    refuse(&mut d.day, "h1", " 钥匙数量与记录不符 ", &staff(2, 60_000)).unwrap();
    let h = d.view("h1");
    assert_eq!(h.state, HandoverState::Refused);
    assert_eq!(h.unanswered.len(), 1);
    assert_eq!(h.unanswered[0].text, "钥匙数量与记录不符");
    let raised = alerts(&[&d.day], 120_000, 30).unwrap();
    assert_eq!(raised.len(), 1);
    assert!(matches!(&raised[0].kind, AlertKind::Refused(r) if r.len() == 1));
    assert_eq!(
        (
            raised[0].book.as_str(),
            raised[0].date.as_str(),
            raised[0].handover.as_str()
        ),
        (BOOK, DATE, "h1")
    );
    // A second reason, then the answer and the take-over.
    refuse(&mut d.day, "h1", "对讲机缺一台", &staff(2, 61_000)).unwrap();
    note(
        &mut d.day,
        "h1",
        "钥匙在主管处,对讲机在充电",
        &staff(1, 62_000),
    )
    .unwrap();
    accept(&mut d.day, "h1", "已核实", &staff(2, 63_000)).unwrap();
    let h = d.view("h1");
    assert_eq!(h.state, HandoverState::Accepted);
    assert_eq!(h.refusals.len(), 2);
    assert!(h.unanswered.is_empty());
    assert_eq!(h.acceptances[0].answers.len(), 2);
    assert_eq!(h.notes.len(), 1);
    assert!(alerts(&[&d.day], 10_000_000, 30).unwrap().is_empty());
    let heads = d.day.get_heads();
    assert_eq!(
        refusal(refuse(&mut d.day, "h1", "again", &staff(2, 64_000)).unwrap_err()),
        Refusal::AlreadyAccepted("h1".into())
    );
    assert_eq!(
        refusal(accept(&mut d.day, "h1", "", &staff(3, 64_000)).unwrap_err()),
        Refusal::AlreadyAccepted("h1".into())
    );
    assert_eq!(d.day.get_heads(), heads);
}

#[test]
fn a_refusal_and_an_acceptance_made_concurrently_both_stay_and_the_refusal_holds() {
    // Both actor orders, so either event comes first in list order.
    for (x, y) in [(1, 2), (2, 1)] {
        refused_while_accepted(desk(x), desk(y));
    }
}

fn refused_while_accepted(mut a: Desk, mut b: Desk) {
    a.write("h1", &staff(1, 0)).unwrap();
    b.merge_from(&a);
    accept(&mut a.day, "h1", "", &staff(2, 60_000)).unwrap();
    sign(&mut a.day, "h1", Capacity::Incoming, &staff(2, 61_000)).unwrap();
    refuse(&mut b.day, "h1", "监控3号黑屏未说明", &staff(3, 60_500)).unwrap();
    let (mut ab, ba) = both_ways(&a, &b);
    assert_eq!(ab.day.get_heads(), ba.day.get_heads());
    let (x, y) = (ab.view("h1"), ba.view("h1"));
    assert_eq!(x, y);
    assert_eq!(x.state, HandoverState::Refused);
    assert_eq!(x.acceptances.len(), 1, "the acceptance stays visible");
    assert_eq!(x.refusals.len(), 1);
    assert_eq!(x.unanswered, x.refusals);
    assert_eq!(x.signatures.len(), 1);
    assert_eq!(alerts(&[&ab.day], 60_000, 30).unwrap().len(), 1);
    // Accepting again, having seen the refusal, answers it.
    accept(&mut ab.day, "h1", "已解释", &staff(2, 70_000)).unwrap();
    let h = ab.view("h1");
    assert_eq!(h.state, HandoverState::Accepted);
    assert_eq!(h.acceptances.len(), 2);
    assert!(alerts(&[&ab.day], 70_000, 30).unwrap().is_empty());
}

#[test]
fn concurrent_refusals_on_three_tablets_each_need_an_acceptance_that_saw_them() {
    let (mut a, mut b, mut c) = (desk(1), desk(2), desk(3));
    a.write("h1", &staff(1, 0)).unwrap();
    b.merge_from(&a);
    c.merge_from(&a);
    refuse(&mut a.day, "h1", "交接本未填完", &staff(2, 10_000)).unwrap();
    refuse(&mut b.day, "h1", "钥匙少一把", &staff(3, 11_000)).unwrap();
    c.merge_from(&a);
    accept(&mut c.day, "h1", "", &staff(4, 12_000)).unwrap();
    let mut all = [a, b, c];
    merge_everywhere(&mut all);
    let view = all[0].view("h1");
    for d in &all[1..] {
        assert_eq!(d.view("h1"), view);
    }
    assert_eq!(view.state, HandoverState::Refused);
    assert_eq!(view.unanswered.len(), 1);
    assert_eq!(view.unanswered[0].text, "钥匙少一把", "the one C never saw");
    assert_eq!(view.acceptances.len(), 1);
    accept(&mut all[1].day, "h1", "钥匙在主管处", &staff(3, 13_000)).unwrap();
    assert_eq!(all[1].view("h1").state, HandoverState::Accepted);
}

#[test]
fn signatures_cover_exact_heads_and_show_what_came_after() {
    let mut a = desk(1);
    a.write("h1", &staff(1, 0)).unwrap();
    a.write("h2", &staff(5, 100)).unwrap();
    accept(&mut a.day, "h1", "", &staff(2, 1_000)).unwrap();
    let mut b = a.clone();
    b.day.set_actor(actor(2));
    let out = sign(&mut a.day, "h1", Capacity::Outgoing, &staff(1, 2_000)).unwrap();
    // Concurrently, unseen by the signer: a note on h1 and one on h2.
    note(&mut b.day, "h1", "补充:3号门禁卡未归还", &staff(2, 2_100)).unwrap();
    note(&mut b.day, "h2", "other hand-over", &staff(5, 2_200)).unwrap();
    let (ab, _) = both_ways(&a, &b);
    let after = added_after_signing(&ab.day, "h1", &out).unwrap();
    assert_eq!(after.len(), 1);
    assert_eq!(after[0].text, "补充:3号门禁卡未归还");
    // A later signature is not an amendment.
    let mut later = ab.clone();
    sign(&mut later.day, "h1", Capacity::Incoming, &staff(2, 3_000)).unwrap();
    assert_eq!(added_after_signing(&later.day, "h1", &out).unwrap(), after);
    let changes = crate::signature::changes_after(&later.day, &out).unwrap();
    assert_eq!(changes.len(), 2, "both notes, not the signature");
    let signed = crate::signature::as_signed(&ab.day, &out).unwrap();
    assert!(handover(&signed, "h1").unwrap().unwrap().notes.is_empty());
    assert_eq!(later.view("h1").state, HandoverState::Signed);
}

#[test]
fn concurrent_equipment_checks_are_all_kept() {
    for (x, y) in [(1, 2), (2, 1)] {
        let mut a = desk(x);
        a.write("h1", &staff(1, 0)).unwrap();
        let mut b = desk(y);
        b.merge_from(&a);
        check_equipment(
            &mut a.day,
            "h1",
            &[check(&radio(), Status::Normal, "")],
            &staff(1, 1),
        )
        .unwrap();
        check_equipment(
            &mut b.day,
            "h1",
            &[check(&radio(), Status::Abnormal, "电池不足")],
            &staff(2, 2),
        )
        .unwrap();
        let (ab, ba) = both_ways(&a, &b);
        let (v, w) = (ab.view("h1"), ba.view("h1"));
        assert_eq!(v, w);
        let r = &v.equipment[0];
        assert_eq!(r.checks.len(), 2);
        let last = r.checks[1].equipment.as_ref().unwrap();
        assert_eq!((r.status, &r.note), (last.status, &last.note));
    }
}

#[test]
fn concurrent_writes_of_one_id_show_both_writers() {
    let (mut a, mut b) = (desk(1), desk(2));
    a.write("h0800", &staff(1, 0)).unwrap();
    let mut d = draft("h0800", Vec::new());
    d.summary = "夜班无异常".into();
    write(&mut b.day, &d, &staff(2, 5)).unwrap();
    let (ab, ba) = both_ways(&a, &b);
    let v = ab.view("h0800");
    assert_eq!(v, ba.view("h0800"));
    assert_eq!(v.writings.len(), 2);
    assert!(v.is_outgoing("id1") && v.is_outgoing("id2"));
    assert_eq!(
        refusal(accept(&mut ab.clone().day, "h0800", "", &staff(2, 9)).unwrap_err()),
        Refusal::SamePerson
    );
}

#[test]
fn alerts_for_hand_overs_not_taken_over_in_time() {
    let mut d = desk(1);
    let t = 1_700_000_000_000;
    d.write("h1", &staff(1, t)).unwrap();
    assert!(alerts(&[&d.day], t + 29 * 60_000, 30).unwrap().is_empty());
    let a = alerts(&[&d.day], t + 30 * 60_000 + 5, 30).unwrap();
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].kind, AlertKind::NotTakenOver { minutes: 30 });
    assert_eq!(a[0].outgoing.person, "p1");
    assert_eq!(
        (a[0].from_post.as_str(), a[0].to_post.as_str()),
        ("customer-service", "control-room")
    );
    for bad in [0, MAX_WAIT_MINUTES + 1] {
        assert!(matches!(
            alerts(&[&d.day], t, bad),
            Err(ModelError::OutOfRange {
                setting: WAIT_SETTING,
                ..
            })
        ));
    }
    accept(&mut d.day, "h1", "", &staff(2, t + 40 * 60_000)).unwrap();
    assert!(alerts(&[&d.day], t + 90 * 60_000, 30).unwrap().is_empty());
}

#[test]
fn a_done_item_noted_concurrently_stays_done_with_the_note() {
    // Both actor orders, so the note lands before the done in list order
    // in one run and after it in the other.
    for (x, y) in [(1, 2), (2, 1)] {
        let mut a = desk(x);
        a.raise("p1", "B座大堂灯不亮", &staff(1, 1_000));
        let mut b = desk(y);
        b.merge_from(&a);
        pending::done(
            &mut a.board,
            &mut a.index,
            "p1",
            "已换灯管",
            &staff(1, 5_000),
        )
        .unwrap();
        pending::note(&mut b.board, "p1", "工程部说明天来", &staff(2, 6_000)).unwrap();
        let (ab, ba) = both_ways(&a, &b);
        assert_eq!(ab.board.get_heads(), ba.board.get_heads());
        let (x, y) = (
            pending::items(&ab.board).unwrap(),
            pending::items(&ba.board).unwrap(),
        );
        assert_eq!(x, y);
        let item = &x[0];
        assert!(
            matches!(&item.status, PendingStatus::Done { action, by } if action == "已换灯管" && by.person == "p1"),
            "{:?}",
            item.status
        );
        assert_eq!(item.notes.len(), 1);
        assert_eq!(item.notes[0].text, "工程部说明天来");
        assert!(index_ids(&ab.index).is_empty());
        assert!(pending::open_items(&[&ab.board]).unwrap().is_empty());
    }
}

#[test]
fn done_concurrent_with_reopen_ends_the_same_everywhere_and_the_index_follows() {
    let (mut a, mut b) = (desk(1), desk(2));
    a.raise("p1", "空调漏水", &staff(1, 1_000));
    b.merge_from(&a);
    pending::done(&mut b.board, &mut b.index, "p1", "已修", &staff(2, 2_000)).unwrap();
    pending::reopen(&mut b.board, &mut b.index, "p1", "又漏了", &staff(2, 3_000)).unwrap();
    pending::done(&mut a.board, &mut a.index, "p1", "已处理", &staff(1, 2_500)).unwrap();
    let (mut ab, mut ba) = both_ways(&a, &b);
    let x = pending::item(&ab.board, "p1").unwrap().unwrap();
    assert_eq!(x, pending::item(&ba.board, "p1").unwrap().unwrap());
    let last = x
        .history
        .iter()
        .rev()
        .find(|e| matches!(e.kind, PendingKind::Done | PendingKind::Reopened))
        .unwrap();
    assert_eq!(x.is_open(), last.kind == PendingKind::Reopened);
    assert_eq!(x.history.len(), 4, "every event kept");
    for d in [&mut ab, &mut ba] {
        pending::reconcile_index(&d.board, &mut d.index, &staff(3, 9_000)).unwrap();
        assert_eq!(index_ids(&d.index), open_ids(&d.board));
    }
}

#[test]
fn pending_items_carry_forward_across_two_days_and_months() {
    // Day 1, 2026-11-30, 18:00: customer service hands over to the control
    // room with two pending items raised that day.
    let d1 = "2026-11-30";
    let mut nov = desk_on(1, d1);
    let cs = staff(1, 1_000);
    for (id, what) in [
        ("p1", "1205 业主投诉噪音,待回访"),
        ("p2", "B1 车库门禁卡坏"),
    ] {
        pending::open(
            &mut nov.board,
            &mut nov.index,
            id,
            what,
            d1,
            Some("h-1130-18"),
            &cs,
        )
        .unwrap();
    }
    let open = pending::open_items(&[&nov.board]).unwrap();
    write(
        &mut nov.day,
        &draft("h-1130-18", pending::carry(&open)),
        &cs,
    )
    .unwrap();
    accept(&mut nov.day, "h-1130-18", "", &staff(2, 2_000)).unwrap();

    // Day 2, 2026-12-01, 08:00: another tablet, which syncs the index and
    // November's board (the months to load), and opens December's.
    let d2 = "2026-12-01";
    let mut dec = desk_on(3, d2);
    dec.index.merge(&mut nov.index.clone()).unwrap();
    assert_eq!(
        pending::months_to_load(&dec.index, "2026-12").unwrap(),
        ["2026-11", "2026-12"]
    );
    let mut nov_board = nov.board.clone();
    nov_board.set_actor(actor(3));
    let carried = pending::open_items(&[&nov_board, &dec.board]).unwrap();
    assert_eq!(
        carried.iter().map(|i| i.id.as_str()).collect::<Vec<_>>(),
        ["p1", "p2"]
    );
    assert_eq!(carried[0].opened.handover.as_deref(), Some("h-1130-18"));
    assert_eq!(carried[0].opened.date.as_deref(), Some(d1));

    // The control room finishes p1 (signed by who did it) and raises p3.
    let cr = staff(2, 86_400_000);
    pending::done(&mut nov_board, &mut dec.index, "p1", "已回访,业主满意", &cr).unwrap();
    assert_eq!(
        refusal(
            pending::open(&mut nov_board, &mut dec.index, "p3", "x", d2, None, &cr).unwrap_err()
        ),
        Refusal::OtherMonth {
            date: d2.into(),
            month: "2026-11".into()
        }
    );
    pending::open(
        &mut dec.board,
        &mut dec.index,
        "p3",
        "监控硬盘报警",
        d2,
        Some("h-1201-08"),
        &cr,
    )
    .unwrap();
    let open = pending::open_items(&[&nov_board, &dec.board]).unwrap();
    let mut d = draft("h-1201-08", pending::carry(&open));
    d.from_post = "control-room".into();
    d.to_post = "customer-service".into();
    d.shift = "夜班 18:00–08:00".into();
    write(&mut dec.day, &d, &cr).unwrap();

    let h2 = handover(&dec.day, "h-1201-08").unwrap().unwrap();
    assert_eq!(
        h2.pending
            .iter()
            .map(|p| (p.id.as_str(), p.month.as_str()))
            .collect::<Vec<_>>(),
        [("p2", "2026-11"), ("p3", "2026-12")]
    );
    let h1 = handover(&nov.day, "h-1130-18").unwrap().unwrap();
    assert_eq!(h1.pending.len(), 2, "what was open at writing stays");
    // The index tells the next tablet which boards still hold open items.
    assert_eq!(index_ids(&dec.index), ["p2", "p3"]);
    let p1 = pending::item(&nov_board, "p1").unwrap().unwrap();
    assert!(matches!(p1.status, PendingStatus::Done { ref by, .. } if by.person == "p2"));
    let last = crate::attribution::history(&nov_board).pop().unwrap();
    assert_eq!(last.summary, "handover-pending done p1");
    assert_eq!(last.attribution.unwrap().person, "p2");
}

#[test]
fn bad_input_is_refused_and_nothing_changes() {
    let mut d = desk(1);
    d.write("h1", &staff(1, 0)).unwrap();
    d.raise("p1", "待跟进", &staff(1, 0));
    let heads = (d.day.get_heads(), d.board.get_heads(), d.index.get_heads());
    let (out, inc) = (staff(1, 10), staff(2, 10));
    let mut long = draft("h2", Vec::new());
    long.summary = "长".repeat(MAX_TEXT + 1);
    let cases: Vec<(Draft, Refusal)> = vec![
        (
            Draft {
                summary: " ".into(),
                ..draft("h2", Vec::new())
            },
            Refusal::Empty("a summary"),
        ),
        (
            Draft {
                shift: String::new(),
                ..draft("h2", Vec::new())
            },
            Refusal::Empty("a shift label"),
        ),
        (
            long,
            Refusal::TooLong {
                what: "a summary",
                max: MAX_TEXT,
            },
        ),
        (
            draft("h 2", Vec::new()),
            Refusal::BadKey {
                what: "a hand-over id",
                key: "h 2".into(),
            },
        ),
        (
            Draft {
                to_post: "前台".into(),
                ..draft("h2", Vec::new())
            },
            Refusal::BadKey {
                what: "the to-post",
                key: "前台".into(),
            },
        ),
        (
            draft(
                "h2",
                vec![PendingRef {
                    id: "p1".into(),
                    month: "2026-13".into(),
                    text: "x".into(),
                }],
            ),
            Refusal::BadMonth("2026-13".into()),
        ),
        (
            draft(
                "h2",
                vec![PendingRef {
                    id: "p1".into(),
                    month: MONTH.into(),
                    text: " ".into(),
                }],
            ),
            Refusal::Empty("a pending item"),
        ),
        (
            draft("h1", Vec::new()),
            Refusal::AlreadyWritten("h1".into()),
        ),
    ];
    for (draft, expected) in cases {
        assert_eq!(
            refusal(write(&mut d.day, &draft, &out).unwrap_err()),
            expected
        );
    }
    let many = vec![
        PendingRef {
            id: "p1".into(),
            month: MONTH.into(),
            text: "x".into()
        };
        MAX_ITEMS + 1
    ];
    assert!(matches!(
        refusal(write(&mut d.day, &draft("h2", many), &out).unwrap_err()),
        Refusal::TooMany { .. }
    ));

    let r = |e: Result<ChangeHash, ModelError>| refusal(e.unwrap_err());
    assert_eq!(
        r(refuse(&mut d.day, "h1", "  ", &inc)),
        Refusal::Empty("a reason")
    );
    assert_eq!(
        r(refuse(&mut d.day, "h1", "不清楚", &out)),
        Refusal::SamePerson
    );
    assert_eq!(r(accept(&mut d.day, "h1", "", &out)), Refusal::SamePerson);
    assert_eq!(
        r(refuse(&mut d.day, "h9", "x", &inc)),
        Refusal::NotWritten("h9".into())
    );
    assert_eq!(
        r(note(&mut d.day, "h1", "", &inc)),
        Refusal::Empty("a note")
    );
    assert_eq!(
        r(note(&mut d.day, "", "x", &inc)),
        Refusal::BadKey {
            what: "a hand-over id",
            key: String::new()
        }
    );
    assert_eq!(
        r(check_equipment(&mut d.day, "h1", &[], &inc)),
        Refusal::Empty("an equipment check")
    );
    assert_eq!(
        r(check_equipment(
            &mut d.day,
            "h1",
            &[check(&radio(), Status::Abnormal, " ")],
            &inc
        )),
        Refusal::AbnormalNeedsNote("radio".into())
    );
    assert_eq!(
        r(check_equipment(
            &mut d.day,
            "h1",
            &[
                check(&radio(), Status::Normal, ""),
                check(&radio(), Status::Normal, "")
            ],
            &inc
        )),
        Refusal::DuplicateEquipment("radio".into())
    );
    let mut unnamed = check(&cctv(), Status::Normal, "");
    unnamed.label = Bilingual::new(" ", "");
    assert_eq!(
        r(check_equipment(&mut d.day, "h1", &[unnamed], &inc)),
        Refusal::Empty("an equipment label")
    );
    assert_eq!(
        r(check_equipment(
            &mut d.day,
            "h9",
            &[check(&radio(), Status::Normal, "")],
            &inc
        )),
        Refusal::NotWritten("h9".into())
    );

    let s = |e: Result<Signature, ModelError>| refusal(e.unwrap_err());
    assert_eq!(
        s(sign(&mut d.day, "h1", Capacity::Outgoing, &out)),
        Refusal::NotAccepted("h1".into())
    );
    assert_eq!(
        s(sign(&mut d.day, "h1", Capacity::Outgoing, &inc)),
        Refusal::NotOutgoing("h1".into())
    );
    assert_eq!(
        s(sign(&mut d.day, "h1", Capacity::Incoming, &out)),
        Refusal::SamePerson
    );

    let p = |e: Result<pending::Written, ModelError>| refusal(e.unwrap_err());
    assert_eq!(
        p(pending::open(
            &mut d.board,
            &mut d.index,
            "p1",
            "again",
            DATE,
            None,
            &inc
        )),
        Refusal::ItemExists("p1".into())
    );
    assert_eq!(
        p(pending::open(
            &mut d.board,
            &mut d.index,
            "p2",
            " ",
            DATE,
            None,
            &inc
        )),
        Refusal::Empty("a pending item")
    );
    assert_eq!(
        p(pending::open(
            &mut d.board,
            &mut d.index,
            "p2",
            "x",
            DATE,
            Some("h/1"),
            &inc
        )),
        Refusal::BadKey {
            what: "a hand-over id",
            key: "h/1".into()
        }
    );
    assert_eq!(
        p(pending::done(&mut d.board, &mut d.index, "p1", "", &inc)),
        Refusal::Empty("what was done")
    );
    assert_eq!(
        p(pending::done(&mut d.board, &mut d.index, "p9", "x", &inc)),
        Refusal::ItemNotOpened("p9".into())
    );
    assert_eq!(
        p(pending::reopen(
            &mut d.board,
            &mut d.index,
            "p1",
            "why",
            &inc
        )),
        Refusal::ItemOpen("p1".into())
    );
    assert_eq!(
        refusal(pending::note(&mut d.board, "p1", " ", &inc).unwrap_err()),
        Refusal::Empty("a note")
    );
    let mut other_book = pending::index_genesis("demo", "lobby").unwrap();
    assert!(matches!(
        p(pending::done(
            &mut d.board,
            &mut other_book,
            "p1",
            "x",
            &inc
        )),
        Refusal::OtherBook { .. }
    ));
    let (mut board, mut index) = (d.board.clone(), d.index.clone());
    assert!(matches!(
        pending::done(&mut index, &mut board, "p1", "x", &inc),
        Err(ModelError::WrongSchema(_))
    ));
    assert!(matches!(
        handovers(&d.board),
        Err(ModelError::WrongSchema(_))
    ));
    assert_eq!(
        (d.day.get_heads(), d.board.get_heads(), d.index.get_heads()),
        heads
    );

    // Twice in one capacity, and done twice.
    accept(&mut d.day, "h1", "", &inc).unwrap();
    sign(&mut d.day, "h1", Capacity::Outgoing, &out).unwrap();
    pending::done(&mut d.board, &mut d.index, "p1", "完成", &inc).unwrap();
    let heads = (d.day.get_heads(), d.board.get_heads());
    assert_eq!(
        s(sign(&mut d.day, "h1", Capacity::Outgoing, &out)),
        Refusal::AlreadySigned {
            id: "h1".into(),
            capacity: "handover-outgoing"
        }
    );
    assert_eq!(
        p(pending::done(&mut d.board, &mut d.index, "p1", "x", &inc)),
        Refusal::ItemDone("p1".into())
    );
    assert_eq!((d.day.get_heads(), d.board.get_heads()), heads);
}

#[test]
fn the_index_is_repaired_from_the_board() {
    let mut d = desk(1);
    d.raise("p1", "one", &staff(1, 1));
    // A crash between the board write and the index write.
    let before = d.index.clone();
    d.raise("p2", "two", &staff(1, 2));
    d.index = before;
    assert_eq!(index_ids(&d.index), ["p1"]);
    let by = staff(9, 3);
    assert!(pending::reconcile_index(&d.board, &mut d.index, &by).unwrap());
    assert_eq!(index_ids(&d.index), ["p1", "p2"]);
    assert!(!pending::reconcile_index(&d.board, &mut d.index, &by).unwrap());
    assert_eq!(
        crate::attribution::history(&d.index).pop().unwrap().summary,
        "handover-pending-open reconcile 2026-11"
    );
}

/// One random step: on which replica, by whom, what, on which hand-over
/// or item, sync after.
#[derive(Debug, Clone)]
struct Step {
    replica: usize,
    person: u8,
    action: u8,
    target: usize,
    sync: bool,
}

fn steps() -> impl Strategy<Value = Vec<Step>> {
    proptest::collection::vec(
        (0..3usize, 1..4u8, 0..10u8, 0..2usize, any::<bool>()).prop_map(
            |(replica, person, action, target, sync)| Step {
                replica,
                person,
                action,
                target,
                sync,
            },
        ),
        1..50,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    /// Random writes, checks, refusals, acceptances, signatures, notes and
    /// pending-item changes by three people on three replicas with random
    /// partial syncs: after a full merge every replica shows the same,
    /// every event written is there exactly once, the state follows the
    /// rules, and reconciling makes the index list exactly the open items.
    #[test]
    fn three_replicas_converge_and_lose_nothing(steps in steps()) {
        let mut ds = [desk(1), desk(2), desk(3)];
        let mut texts = Vec::new();
        let (mut day_events, mut item_events) = (0usize, 0usize);
        let mut raised = BTreeSet::new();
        for (n, step) in steps.iter().enumerate() {
            let by = staff(step.person, n as i64 * 1_000);
            let h = ["h0", "h1"][step.target];
            let item = ["p0", "p1"][step.target];
            let d = &mut ds[step.replica];
            let text = format!("t{n}");
            let ok = match step.action {
                0 => write(&mut d.day, &Draft { summary: text.clone(), ..draft(h, Vec::new()) }, &by).map(|_| ()),
                1 => check_equipment(&mut d.day, h, &[check(&radio(), Status::Abnormal, &text)], &by).map(|_| ()),
                2 => refuse(&mut d.day, h, &text, &by).map(|_| ()),
                3 => accept(&mut d.day, h, &text, &by).map(|_| ()),
                4 => {
                    let c = if n % 2 == 0 { Capacity::Outgoing } else { Capacity::Incoming };
                    sign(&mut d.day, h, c, &by).map(|_| ())
                }
                5 => note(&mut d.day, h, &text, &by).map(|_| ()),
                6 => pending::open(&mut d.board, &mut d.index, item, &text, DATE, Some(h), &by).map(|_| ()),
                7 => pending::note(&mut d.board, item, &text, &by).map(|_| ()),
                8 => pending::done(&mut d.board, &mut d.index, item, &text, &by).map(|_| ()),
                _ => pending::reopen(&mut d.board, &mut d.index, item, &text, &by).map(|_| ()),
            };
            match ok {
                Ok(()) => {
                    if step.action == 6 {
                        raised.insert(item.to_owned());
                    }
                    if step.action < 6 {
                        day_events += 1;
                    } else {
                        item_events += 1;
                    }
                    if step.action != 4 {
                        texts.push(text);
                    }
                }
                Err(ModelError::Handover(_)) => {}
                Err(e) => panic!("{e:?}"),
            }
            if step.sync {
                sync(&mut ds, step.replica, (step.replica + 1 + n % 2) % 3);
            }
        }
        merge_everywhere(&mut ds);
        let views = handovers(&ds[0].day).unwrap();
        let items = pending::items(&ds[0].board).unwrap();
        for d in &ds[1..] {
            prop_assert_eq!(d.day.get_heads(), ds[0].day.get_heads());
            prop_assert_eq!(d.board.get_heads(), ds[0].board.get_heads());
            prop_assert_eq!(d.index.get_heads(), ds[0].index.get_heads());
            prop_assert_eq!(&handovers(&d.day).unwrap(), &views);
            prop_assert_eq!(&pending::items(&d.board).unwrap(), &items);
        }
        // Nothing lost: every successful write is one event, every text once.
        let day = events(&ds[0].day).unwrap();
        let board = pending::events(&ds[0].board).unwrap();
        prop_assert_eq!(day.len(), day_events);
        prop_assert_eq!(board.len(), item_events);
        let mut seen: Vec<String> = day
            .iter()
            .map(|e| match &e.equipment {
                Some(c) => c.note.clone(),
                None => e.text.clone(),
            })
            .chain(board.iter().map(|e| e.text.clone()))
            .filter(|t| !t.is_empty())
            .collect();
        seen.sort();
        texts.sort();
        prop_assert_eq!(seen, texts);
        let ids: BTreeSet<String> = items.iter().map(|i| i.id.clone()).collect();
        prop_assert_eq!(ids, raised);
        // The state follows the rules.
        for v in &views {
            let answered: Vec<&Who> = v.acceptances.iter().flat_map(|a| &a.answers).collect();
            let unanswered = v.refusals.iter().any(|r| !answered.contains(&&r.by));
            prop_assert_eq!(unanswered, v.state == HandoverState::Refused);
            if v.state == HandoverState::Written {
                prop_assert!(v.acceptances.is_empty());
            }
            prop_assert_eq!(
                v.history.len(),
                day.iter().filter(|e| e.handover == v.id).count()
            );
        }
        let by = person(9, Role::Supervisor, 1_000_000);
        pending::reconcile_index(&ds[0].board, &mut ds[0].index, &by).unwrap();
        prop_assert_eq!(index_ids(&ds[0].index), open_ids(&ds[0].board));
        prop_assert!(!pending::reconcile_index(&ds[0].board, &mut ds[0].index, &by).unwrap());
    }
}
