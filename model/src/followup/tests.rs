//! Follow-up tests: the round trip, concurrent opens, closes, notes and
//! reopens on two replicas, refusals, the open index and its repair, and a
//! property test over three replicas.

use super::*;
use crate::test_support::{Merge, both_ways, merge_everywhere, on_tablet, person, staff, sync};
use automerge::ReadDoc;
use proptest::prelude::*;
use std::collections::BTreeSet;

const MONTH: &str = "2026-11";

fn round_id(n: u8) -> String {
    crate::DocumentId::from_random([n; 16]).to_string()
}

fn source(round: u8, item: &str) -> Source {
    Source {
        round: round_id(round),
        template: "lobby-opening".into(),
        item: item.into(),
        item_label: Bilingual::new("门禁", "Doors"),
        round_title: Bilingual::new("大堂开班巡查", "Lobby opening inspection"),
        date: "2026-11-23".into(),
    }
}

/// A tablet's pair of documents: this month's board and the site's index.
#[derive(Clone)]
struct Replica {
    board: Automerge,
    index: Automerge,
}

fn replica(n: u8) -> Replica {
    Replica {
        board: on_tablet(genesis("demo", MONTH).unwrap(), n),
        index: on_tablet(index_genesis("demo").unwrap(), n),
    }
}

impl Merge for Replica {
    fn merge_from(&mut self, other: &Replica) {
        self.board.merge_from(&other.board);
        self.index.merge_from(&other.index);
    }
}

impl Replica {
    fn open(&mut self, src: &Source, by: &Attribution) -> Result<Written, ModelError> {
        open(
            &mut self.board,
            &mut self.index,
            src,
            Department::Engineering,
            "",
            by,
        )
    }

    fn close(&mut self, key: &str, by: &Attribution) -> Result<Written, ModelError> {
        close(&mut self.board, &mut self.index, key, "fixed", by)
    }

    fn reopen(&mut self, key: &str, by: &Attribution) -> Result<Written, ModelError> {
        reopen(&mut self.board, &mut self.index, key, "again", by)
    }
}

fn index_keys(index: &Automerge) -> Vec<String> {
    open_in_index(index)
        .unwrap()
        .into_iter()
        .map(|(k, _)| k)
        .collect()
}

fn open_keys(board: &Automerge) -> Vec<String> {
    followups(board)
        .unwrap()
        .into_iter()
        .filter(FollowUp::is_open)
        .map(|f| f.key)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

#[test]
fn stored_words_and_purposes() {
    assert_eq!(Department::CustomerService.as_str(), "customer-service");
    assert_eq!(EventKind::Reopened.as_str(), "reopened");
    assert_eq!(purpose(MONTH), "followups/2026-11");
    assert_eq!(month_of("2026-11-30").unwrap(), "2026-11");
    let src = source(7, "doors");
    assert_eq!(src.key(), format!("{}/doors", round_id(7)));
    let site = crate::SiteKey::from_random([9; 32]);
    assert_eq!(
        document_id(&site, MONTH),
        crate::DocumentId::derive(&site, "followups/2026-11")
    );
    assert_eq!(
        index_document_id(&site),
        crate::DocumentId::derive(&site, "followups-open")
    );
}

#[test]
fn open_note_close_round_trip_is_attributed() {
    let mut r = replica(1);
    let src = source(1, "doors");
    let key = src.key();
    let opened = open(
        &mut r.board,
        &mut r.index,
        &src,
        Department::Engineering,
        " 门禁失灵 ",
        &staff(1, 10_000),
    )
    .unwrap();
    assert!(opened.index.is_some());
    assert_eq!(
        open_in_index(&r.index).unwrap(),
        [(key.clone(), MONTH.into())]
    );
    let noted = note(
        &mut r.board,
        &key,
        "已报工程部",
        &["photo:abc".to_owned()],
        &staff(2, 20_500),
    )
    .unwrap();
    let f = followup(&r.board, &key).unwrap().unwrap();
    assert!(f.is_open());
    let closed = close(
        &mut r.board,
        &mut r.index,
        &key,
        " 更换门禁读卡器 ",
        &person(3, Role::Leader, 30_000),
    )
    .unwrap();
    assert!(index_keys(&r.index).is_empty(), "closing removes the key");

    let all = followups(&r.board).unwrap();
    assert_eq!(all.len(), 1);
    let f = &all[0];
    assert_eq!(f.key, key);
    assert_eq!(f.source, src);
    assert_eq!(f.department, Department::Engineering);
    assert_eq!(f.openers.len(), 1);
    assert_eq!(f.openers[0].text, "门禁失灵");
    assert_eq!(f.openers[0].by, Who::from(&staff(1, 10_000)));
    assert_eq!(f.notes.len(), 1);
    assert_eq!(f.notes[0].attachments, ["photo:abc"]);
    assert_eq!(
        f.status,
        FollowUpStatus::Closed {
            by: Who::from(&person(3, Role::Leader, 30_000)),
            action: "更换门禁读卡器".into(),
        }
    );
    assert_eq!(
        f.history.iter().map(|e| e.kind).collect::<Vec<_>>(),
        [EventKind::Opened, EventKind::Note, EventKind::Closed]
    );

    let h = crate::attribution::history(&r.board);
    let tail: Vec<_> = h[h.len() - 3..]
        .iter()
        .map(|c| {
            (
                c.hash.clone(),
                c.summary.clone(),
                c.attribution.as_ref().unwrap().person.clone(),
            )
        })
        .collect();
    assert_eq!(
        tail,
        [
            (
                opened.board.to_string(),
                format!("followup opened {key}"),
                "p1".into()
            ),
            (
                noted.to_string(),
                format!("followup note {key}"),
                "p2".into()
            ),
            (
                closed.board.to_string(),
                format!("followup closed {key}"),
                "p3".into()
            ),
        ]
    );
    assert_eq!(
        r.board.get_change_by_hash(&noted).unwrap().timestamp(),
        20,
        "change time is the device time in seconds"
    );
    let ih = crate::attribution::history(&r.index);
    assert_eq!(
        ih.last().unwrap().summary,
        format!("followups-open delete {key}")
    );
    assert_eq!(
        ih.last().unwrap().attribution,
        Some(person(3, Role::Leader, 30_000))
    );
}

#[test]
fn reassign_and_notice_show_in_the_view() {
    let mut r = replica(1);
    let key = source(1, "toilets").key();
    r.open(&source(1, "toilets"), &staff(1, 1_000)).unwrap();
    reassign(&mut r.board, &key, Department::Cleaning, &staff(1, 2_000)).unwrap();
    let sup = person(9, Role::Supervisor, 3_000);
    notice(&mut r.board, &key, "今日内清洁完毕", "2026-11-24", &sup).unwrap();
    let f = followup(&r.board, &key).unwrap().unwrap();
    assert_eq!(f.department, Department::Cleaning);
    assert_eq!(f.notices.len(), 1);
    assert_eq!(f.notices[0].due.as_deref(), Some("2026-11-24"));
    assert_eq!(f.notices[0].by.role, Role::Supervisor);
    assert_eq!(f.notices[0].text, "今日内清洁完毕");
    assert!(f.is_open(), "a notice does not close");
}

#[test]
fn two_tablets_opening_the_same_item_make_one_follow_up() {
    let (mut a, mut b) = (replica(1), replica(2));
    assert_eq!(a.board.save(), b.board.save(), "one board genesis");
    assert_eq!(a.index.save(), b.index.save(), "one index genesis");
    let src = source(1, "doors");
    a.open(&src, &staff(1, 1_000)).unwrap();
    open(
        &mut b.board,
        &mut b.index,
        &src,
        Department::Security,
        "也看到了",
        &staff(2, 1_100),
    )
    .unwrap();
    let (ab, ba) = both_ways(&a, &b);
    assert_eq!(ab.board.get_heads(), ba.board.get_heads());
    assert_eq!(ab.index.get_heads(), ba.index.get_heads());
    let (x, y) = (followups(&ab.board).unwrap(), followups(&ba.board).unwrap());
    assert_eq!(x, y);
    assert_eq!(x.len(), 1);
    let devices: BTreeSet<_> = x[0].openers.iter().map(|e| e.by.device.clone()).collect();
    assert_eq!(devices, BTreeSet::from(["T1".to_owned(), "T2".to_owned()]));
    assert!(x[0].is_open());
    assert_eq!(
        open_in_index(&ab.index).unwrap(),
        [(src.key(), MONTH.into())]
    );
}

#[test]
fn closed_on_one_tablet_while_another_adds_a_note_keeps_both() {
    // Both actor orders, so the note lands before the close in list order
    // in one run and after it in the other.
    for (x, y) in [(1, 2), (2, 1)] {
        closed_while_noted(replica(x), replica(y));
    }
}

fn closed_while_noted(mut a: Replica, mut b: Replica) {
    let key = source(1, "lifts").key();
    a.open(&source(1, "lifts"), &staff(1, 1_000)).unwrap();
    b.merge_from(&a);
    a.close(&key, &staff(1, 5_000)).unwrap();
    note(&mut b.board, &key, "2号梯仍有异响", &[], &staff(2, 6_000)).unwrap();
    let (ab, ba) = both_ways(&a, &b);
    assert_eq!(ab.board.get_heads(), ba.board.get_heads());
    let (x, y) = (followups(&ab.board).unwrap(), followups(&ba.board).unwrap());
    assert_eq!(x, y);
    let f = &x[0];
    assert!(
        matches!(&f.status, FollowUpStatus::Closed { action, .. } if action == "fixed"),
        "{:?}",
        f.status
    );
    assert_eq!(f.notes.len(), 1);
    assert_eq!(f.notes[0].text, "2号梯仍有异响");
    assert!(index_keys(&ab.index).is_empty());
}

#[test]
fn close_concurrent_with_reopen_ends_the_same_everywhere() {
    let (mut a, mut b) = (replica(1), replica(2));
    let key = source(1, "doors").key();
    a.open(&source(1, "doors"), &staff(1, 1_000)).unwrap();
    b.merge_from(&a);
    // B closes and reopens; A, not knowing, closes.
    b.close(&key, &staff(2, 2_000)).unwrap();
    let reopened = b.reopen(&key, &staff(2, 3_000)).unwrap();
    let closed = a.close(&key, &staff(1, 2_500)).unwrap();
    let (mut ab, mut ba) = both_ways(&a, &b);
    assert_eq!(ab.board.get_heads(), ba.board.get_heads());
    assert_eq!(ab.index.get_heads(), ba.index.get_heads());
    let (x, y) = (
        followup(&ab.board, &key).unwrap().unwrap(),
        followup(&ba.board, &key).unwrap().unwrap(),
    );
    assert_eq!(x, y);
    let kinds: Vec<_> = x.history.iter().map(|e| e.kind).collect();
    assert_eq!(kinds.iter().filter(|k| **k == EventKind::Closed).count(), 2);
    assert_eq!(
        kinds.iter().filter(|k| **k == EventKind::Reopened).count(),
        1
    );
    // The status is whatever the last status event in list order says.
    let last = x
        .history
        .iter()
        .rev()
        .find(|e| matches!(e.kind, EventKind::Closed | EventKind::Reopened))
        .unwrap();
    assert_eq!(x.is_open(), last.kind == EventKind::Reopened);
    let summaries: Vec<_> = crate::attribution::history(&ab.board)
        .into_iter()
        .map(|c| c.hash)
        .collect();
    assert!(summaries.contains(&reopened.board.to_string()));
    assert!(summaries.contains(&closed.board.to_string()));
    // The index kept B's put (concurrent with A's delete); reconciling
    // makes it say what the board says, on both replicas alike.
    for r in [&mut ab, &mut ba] {
        reconcile_index(&r.board, &mut r.index, &staff(3, 9_000)).unwrap();
        assert_eq!(index_keys(&r.index), open_keys(&r.board));
    }
}

#[test]
fn marking_again_after_seeing_the_close_reopens() {
    let mut r = replica(1);
    let src = source(1, "doors");
    r.open(&src, &staff(1, 1_000)).unwrap();
    r.close(&src.key(), &staff(1, 2_000)).unwrap();
    let w = r.open(&src, &staff(2, 3_000)).unwrap();
    assert!(w.index.is_some());
    let f = followup(&r.board, &src.key()).unwrap().unwrap();
    assert!(f.is_open());
    assert_eq!(f.openers.len(), 2);
    assert_eq!(
        f.history.iter().map(|e| e.kind).collect::<Vec<_>>(),
        [
            EventKind::Opened,
            EventKind::Closed,
            EventKind::Opened,
            EventKind::Reopened
        ]
    );
    assert_eq!(index_keys(&r.index), [src.key()]);
    // Opening an open follow-up again adds an opener, the index is as it was.
    let w = r.open(&src, &staff(3, 4_000)).unwrap();
    assert_eq!(w.index, None);
}

#[test]
fn a_concurrent_second_opener_does_not_reopen_a_closed_follow_up() {
    for (x, y) in [(1, 2), (2, 1)] {
        opened_while_closed(replica(x), replica(y));
    }
}

fn opened_while_closed(mut a: Replica, mut b: Replica) {
    let src = source(1, "doors");
    a.open(&src, &staff(1, 1_000)).unwrap();
    a.close(&src.key(), &staff(1, 2_000)).unwrap();
    b.open(&src, &staff(2, 1_500)).unwrap();
    let (ab, ba) = both_ways(&a, &b);
    for r in [&ab, &ba] {
        let f = followup(&r.board, &src.key()).unwrap().unwrap();
        assert!(!f.is_open());
        assert_eq!(f.openers.len(), 2, "the second opener stays visible");
    }
}

#[test]
fn notices_are_for_supervisors_only() {
    let mut r = replica(1);
    let key = source(1, "doors").key();
    r.open(&source(1, "doors"), &staff(1, 1_000)).unwrap();
    let heads = r.board.get_heads();
    for role in [Role::Staff, Role::Leader] {
        let err = notice(
            &mut r.board,
            &key,
            "整改",
            "2026-11-30",
            &person(2, role, 2_000),
        )
        .unwrap_err();
        assert!(
            matches!(
                err,
                ModelError::NotAllowed {
                    meaning: NOTICE_MEANING,
                    ..
                }
            ),
            "{err:?}"
        );
        assert_eq!(r.board.get_heads(), heads);
    }
}

#[test]
fn bad_input_is_refused_and_nothing_changes() {
    let mut r = replica(1);
    let src = source(1, "doors");
    let key = src.key();
    r.open(&src, &staff(1, 1_000)).unwrap();
    let (board_heads, index_heads) = (r.board.get_heads(), r.index.get_heads());
    let sup = person(9, Role::Supervisor, 2_000);
    let refusal = |e: ModelError| match e {
        ModelError::FollowUp(r) => r,
        other => panic!("expected a refusal, got {other:?}"),
    };

    assert_eq!(
        refusal(note(&mut r.board, "", "x", &[], &sup).unwrap_err()),
        Refusal::EmptyKey
    );
    assert_eq!(
        refusal(note(&mut r.board, &key, "  ", &[], &sup).unwrap_err()),
        Refusal::EmptyNote
    );
    assert_eq!(
        refusal(note(&mut r.board, &key, "x", &[" ".into()], &sup).unwrap_err()),
        Refusal::BlankAttachment
    );
    assert_eq!(
        refusal(r.close(&source(2, "doors").key(), &sup).unwrap_err()),
        Refusal::NotOpened(source(2, "doors").key())
    );
    assert_eq!(
        refusal(close(&mut r.board, &mut r.index, &key, " ", &sup).unwrap_err()),
        Refusal::EmptyAction
    );
    assert_eq!(
        refusal(r.reopen(&key, &sup).unwrap_err()),
        Refusal::NotClosed(key.clone())
    );
    assert_eq!(
        refusal(notice(&mut r.board, &key, "", "2026-11-30", &sup).unwrap_err()),
        Refusal::EmptyNotice
    );
    assert!(matches!(
        notice(&mut r.board, &key, "整改", "2026-13-01", &sup),
        Err(ModelError::BadDate(_))
    ));
    let mut other_month = source(1, "lifts");
    other_month.date = "2026-12-01".into();
    assert!(matches!(
        refusal(r.open(&other_month, &sup).unwrap_err()),
        Refusal::OtherMonth { .. }
    ));
    let mut bad_round = source(1, "lifts");
    bad_round.round = "not-an-id".into();
    assert!(matches!(
        refusal(r.open(&bad_round, &sup).unwrap_err()),
        Refusal::BadSource(_)
    ));
    let mut no_item = source(1, "");
    no_item.item = " ".into();
    assert!(matches!(
        refusal(r.open(&no_item, &sup).unwrap_err()),
        Refusal::BadSource(_)
    ));
    let mut other_site = index_genesis("elsewhere").unwrap();
    assert!(matches!(
        refusal(
            open(
                &mut r.board,
                &mut other_site,
                &source(1, "lifts"),
                Department::Engineering,
                "",
                &sup
            )
            .unwrap_err()
        ),
        Refusal::OtherSite { .. }
    ));
    // Board and index swapped: wrong schema.
    let (mut board, mut index) = (r.board.clone(), r.index.clone());
    assert!(matches!(
        open(
            &mut index,
            &mut board,
            &source(1, "lifts"),
            Department::Engineering,
            "",
            &sup
        ),
        Err(ModelError::WrongSchema(_))
    ));
    assert!(matches!(
        followups(&crate::roster::genesis("demo").unwrap()),
        Err(ModelError::WrongSchema(_))
    ));
    assert_eq!(r.board.get_heads(), board_heads);
    assert_eq!(r.index.get_heads(), index_heads);

    r.close(&key, &sup).unwrap();
    let heads = r.board.get_heads();
    assert_eq!(
        refusal(r.close(&key, &sup).unwrap_err()),
        Refusal::AlreadyClosed(key.clone())
    );
    assert_eq!(r.board.get_heads(), heads);

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
                Err(ModelError::FollowUp(Refusal::BadMonth(_)))
            ),
            "{bad}"
        );
    }
    assert!(validate_month("2026-12").is_ok());
}

#[test]
fn the_index_follows_open_close_reopen_and_is_repaired_from_the_board() {
    let mut r = replica(1);
    let (d, l) = (source(1, "doors"), source(1, "lifts"));
    r.open(&d, &staff(1, 1_000)).unwrap();
    r.open(&l, &staff(1, 1_100)).unwrap();
    assert_eq!(index_keys(&r.index), open_keys(&r.board));
    r.close(&d.key(), &staff(1, 2_000)).unwrap();
    assert_eq!(index_keys(&r.index), [l.key()]);
    r.reopen(&d.key(), &staff(1, 3_000)).unwrap();
    assert_eq!(index_keys(&r.index), open_keys(&r.board));
    assert!(!reconcile_index(&r.board, &mut r.index, &staff(1, 3_500)).unwrap());
    assert_eq!(
        months_to_load(&r.index, "2026-12").unwrap(),
        ["2026-11", "2026-12"]
    );

    // A crash between the two writes: the board says open, the index
    // lacks the key. And a stale key: closed on the board, still indexed.
    let lifts = l.key();
    append(
        &mut r.board,
        &[FollowUpEvent::new(
            &lifts,
            EventKind::Closed,
            &staff(1, 4_000),
            "done",
        )],
        &staff(1, 4_000),
    )
    .unwrap();
    let missing = source(1, "toilets");
    let mut crashed = r.index.clone();
    r.open(&missing, &staff(1, 5_000)).unwrap();
    std::mem::swap(&mut r.index, &mut crashed);
    // An entry of another month the board does not know stays.
    let unknown = format!("{}/x", round_id(5));
    let open = BOARDS.open_map(&r.index).unwrap();
    r.index
        .transact::<_, _, automerge::AutomergeError>(|tx| {
            automerge::transaction::Transactable::put(tx, &open, unknown.as_str(), "2026-10")?;
            Ok(())
        })
        .unwrap();
    assert!(index_keys(&r.index).contains(&lifts));
    assert!(!index_keys(&r.index).contains(&missing.key()));

    let by = person(9, Role::Supervisor, 6_000);
    assert!(reconcile_index(&r.board, &mut r.index, &by).unwrap());
    let mut expected = open_keys(&r.board);
    assert_eq!(expected, [d.key(), missing.key()]);
    expected.push(unknown.clone());
    expected.sort();
    assert_eq!(index_keys(&r.index), expected);
    assert_eq!(
        open_in_index(&r.index)
            .unwrap()
            .into_iter()
            .find(|(k, _)| *k == unknown),
        Some((unknown, "2026-10".into()))
    );
    let last = crate::attribution::history(&r.index).pop().unwrap();
    assert_eq!(last.summary, "followups-open reconcile 2026-11");
    assert!(
        !reconcile_index(&r.board, &mut r.index, &by).unwrap(),
        "nothing left to repair"
    );
}

/// One random step: on which replica, what, on which key, sync after.
#[derive(Debug, Clone)]
struct Step {
    replica: usize,
    action: u8,
    key: usize,
    sync: bool,
}

fn steps() -> impl Strategy<Value = Vec<Step>> {
    proptest::collection::vec(
        (0..3usize, 0..4u8, 0..3usize, any::<bool>()).prop_map(|(replica, action, key, sync)| {
            Step {
                replica,
                action,
                key,
                sync,
            }
        }),
        1..40,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    /// Random opens, notes, closes and reopens on three replicas with
    /// random partial syncs: after a full merge every replica is the same,
    /// every note is there exactly once, every opened key is there, and
    /// reconciling makes the index list exactly the open follow-ups.
    #[test]
    fn three_replicas_converge_and_lose_nothing(steps in steps()) {
        let sources = [source(1, "doors"), source(1, "lifts"), source(2, "doors")];
        let mut rs = [replica(1), replica(2), replica(3)];
        let mut notes = Vec::new();
        let mut opened = BTreeSet::new();
        for (n, step) in steps.iter().enumerate() {
            let at = n as i64 * 1_000;
            let by = staff(step.replica as u8, at);
            let src = &sources[step.key];
            let key = src.key();
            let r = &mut rs[step.replica];
            match step.action {
                0 => {
                    r.open(src, &by).unwrap();
                    opened.insert(key);
                }
                1 => {
                    let text = format!("note {n}");
                    match note(&mut r.board, &key, &text, &[format!("ref{n}")], &by) {
                        Ok(_) => notes.push(text),
                        Err(ModelError::FollowUp(Refusal::NotOpened(_))) => {}
                        Err(e) => panic!("{e:?}"),
                    }
                }
                2 => match r.close(&key, &by) {
                    Ok(_)
                    | Err(ModelError::FollowUp(
                        Refusal::NotOpened(_) | Refusal::AlreadyClosed(_),
                    )) => {}
                    Err(e) => panic!("{e:?}"),
                },
                _ => match r.reopen(&key, &by) {
                    Ok(_)
                    | Err(ModelError::FollowUp(Refusal::NotOpened(_) | Refusal::NotClosed(_))) => {}
                    Err(e) => panic!("{e:?}"),
                },
            }
            if step.sync {
                sync(&mut rs, step.replica, (step.replica + 1 + n % 2) % 3);
            }
        }
        merge_everywhere(&mut rs);
        let view = followups(&rs[0].board).unwrap();
        for r in &rs[1..] {
            prop_assert_eq!(r.board.get_heads(), rs[0].board.get_heads());
            prop_assert_eq!(r.index.get_heads(), rs[0].index.get_heads());
            prop_assert_eq!(&followups(&r.board).unwrap(), &view);
        }
        let mut seen: Vec<String> = view
            .iter()
            .flat_map(|f| f.notes.iter().map(|e| e.text.clone()))
            .collect();
        seen.sort();
        notes.sort();
        prop_assert_eq!(seen, notes);
        let keys: BTreeSet<String> = view.iter().map(|f| f.key.clone()).collect();
        prop_assert_eq!(keys, opened);

        let by = person(9, Role::Supervisor, 1_000_000);
        reconcile_index(&rs[0].board, &mut rs[0].index, &by).unwrap();
        prop_assert_eq!(index_keys(&rs[0].index), open_keys(&rs[0].board));
        prop_assert!(!reconcile_index(&rs[0].board, &mut rs[0].index, &by).unwrap());
    }
}
