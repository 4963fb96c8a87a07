//! Signature coverage tests: unit tests and property tests over two or
//! three replicas of a checklist with random edits, signatures and merges.

use super::*;
use crate::checklist::{self, Checklist, ItemState, Status};
use crate::template::lobby_opening;
use crate::test_support::{on_tablet, person};
use automerge::ReadDoc;
use proptest::prelude::*;
use std::collections::BTreeSet;

const DATE: &str = "2026-11-23";

fn replica(n: u8) -> Automerge {
    on_tablet(checklist::started_for_tests(DATE), n)
}

fn mark(doc: &mut Automerge, n: u8, item: &str, status: Status, at_ms: i64) -> ChangeHash {
    let note = if status == Status::Abnormal {
        "异常"
    } else {
        ""
    };
    checklist::mark(
        doc,
        checklist::TEST_SLOT,
        item,
        status,
        note,
        &person(n, Role::Staff, at_ms),
    )
    .unwrap()
}

fn hashes(infos: &[ChangeInfo]) -> Vec<String> {
    infos.iter().map(|c| c.hash.clone()).collect()
}

/// Everything a reader sees of a checklist, to compare two documents.
fn shown(doc: &Automerge) -> (Vec<checklist::Mark>, Vec<ItemState>, Vec<Signature>) {
    let c = Checklist::new(doc).unwrap();
    let states = lobby_opening()
        .items
        .iter()
        .map(|i| c.item_state(checklist::TEST_SLOT, &i.id).unwrap())
        .collect();
    (c.history().unwrap(), states, signatures(doc).unwrap())
}

fn merge(into: &mut Automerge, from: &Automerge) {
    into.merge(&mut from.clone()).unwrap();
}

#[test]
fn meanings_and_roles_store_as_words() {
    assert_eq!(
        serde_json::to_string(&Meaning::HandoverOutgoing).unwrap(),
        "\"handover-outgoing\""
    );
    let mut doc = replica(1);
    sign(
        &mut doc,
        Meaning::DailyReview,
        &person(1, Role::Leader, 9_000),
    )
    .unwrap();
    let list = signatures_list(&doc).unwrap();
    let (_, entry) = doc.get(&list, 0).unwrap().unwrap();
    let (meaning, _) = doc.get(&entry, "meaning").unwrap().unwrap();
    assert_eq!(meaning.as_str(), Some("daily-review"));
    let (role, _) = doc.get(&entry, "role").unwrap().unwrap();
    assert_eq!(role.as_str(), Some("leader"));
}

#[test]
fn only_leaders_and_supervisors_sign_the_daily_review() {
    let mut doc = replica(1);
    mark(&mut doc, 1, "doors", Status::Normal, 1_000);
    let heads = doc.get_heads();
    assert!(matches!(
        sign(
            &mut doc,
            Meaning::DailyReview,
            &person(1, Role::Staff, 2_000)
        ),
        Err(ModelError::NotAllowed { role: "staff", .. })
    ));
    assert_eq!(
        doc.get_heads(),
        heads,
        "a refused signature changes nothing"
    );
    for role in [Role::Leader, Role::Supervisor] {
        sign(&mut doc, Meaning::DailyReview, &person(2, role, 3_000)).unwrap();
    }
    for meaning in [Meaning::HandoverOutgoing, Meaning::HandoverIncoming] {
        sign(&mut doc, meaning, &person(1, Role::Staff, 4_000)).unwrap();
    }
    let all = signatures(&doc).unwrap();
    assert_eq!(all.len(), 4);
    assert!(all.iter().all(|s| s.meaning.allows(s.role)));
}

#[test]
fn only_supervisors_sign_the_monthly_review_and_every_meaning_stores_one_word() {
    for meaning in [
        Meaning::DailyReview,
        Meaning::HandoverOutgoing,
        Meaning::HandoverIncoming,
        Meaning::MonthlyReview,
    ] {
        assert_eq!(
            serde_json::to_string(&meaning).unwrap(),
            format!("\"{}\"", meaning.as_str()),
            "serde and the stored word agree"
        );
    }
    let mut doc = replica(1);
    let heads = doc.get_heads();
    for role in [Role::Staff, Role::Leader] {
        assert!(matches!(
            sign(&mut doc, Meaning::MonthlyReview, &person(1, role, 1_000)),
            Err(ModelError::NotAllowed {
                meaning: "monthly-review",
                ..
            })
        ));
    }
    assert_eq!(doc.get_heads(), heads);
    let s = sign(
        &mut doc,
        Meaning::MonthlyReview,
        &person(2, Role::Supervisor, 2_000),
    )
    .unwrap();
    assert_eq!(signatures(&doc).unwrap(), vec![s]);
}

#[test]
fn a_document_without_signatures_cannot_be_signed() {
    let mut doc = crate::roster::genesis("demo").unwrap();
    assert!(matches!(
        sign(&mut doc, Meaning::DailyReview, &person(1, Role::Leader, 1)),
        Err(ModelError::Corrupt(_))
    ));
    assert!(signatures(&doc).is_err());
}

#[test]
fn changes_after_signing_are_listed_with_who_and_when_and_the_signed_state_stays() {
    let mut doc = replica(1);
    mark(&mut doc, 1, "doors", Status::Normal, 1_000);
    mark(&mut doc, 1, "lifts", Status::Normal, 2_000);
    let before = doc.clone();
    let s = sign(
        &mut doc,
        Meaning::DailyReview,
        &person(2, Role::Leader, 3_000),
    )
    .unwrap();
    assert_eq!(s.person, "p2");
    assert_eq!(s.at_ms, 3_000);
    assert_eq!(s.change_hashes().unwrap(), before.get_heads());
    assert!(
        changes_after(&doc, &s).unwrap().is_empty(),
        "the signature itself is not an amendment"
    );
    let later = mark(&mut doc, 3, "lifts", Status::Abnormal, 4_000);
    let after = changes_after(&doc, &s).unwrap();
    assert_eq!(hashes(&after), vec![later.to_string()]);
    let who = after[0].attribution.as_ref().unwrap();
    assert_eq!(
        (who.person.as_str(), who.device.as_str(), who.at_ms),
        ("p3", "T3", 4_000)
    );
    assert_eq!(after[0].summary, "mark 0830/lifts abnormal");
    let signed = as_signed(&doc, &s).unwrap();
    assert_eq!(shown(&signed), shown(&before));
    assert!(matches!(
        Checklist::new(&signed).unwrap().item_state(checklist::TEST_SLOT, "lifts").unwrap(),
        ItemState::Marked(m) if m.status == Status::Normal
    ));
}

#[test]
fn an_edit_made_concurrently_on_another_tablet_is_after_signing() {
    let (mut a, mut b) = (replica(1), replica(2));
    mark(&mut a, 1, "doors", Status::Normal, 1_000);
    merge(&mut b, &a);
    // b marks while offline; a's leader signs without having seen it.
    let concurrent = mark(&mut b, 2, "toilets", Status::Abnormal, 1_500);
    let s = sign(
        &mut a,
        Meaning::DailyReview,
        &person(3, Role::Leader, 2_000),
    )
    .unwrap();
    let mut ab = a.clone();
    merge(&mut ab, &b);
    let mut ba = b.clone();
    merge(&mut ba, &a);
    for doc in [&ab, &ba] {
        let sig = &signatures(doc).unwrap()[0];
        assert_eq!(sig, &s);
        assert_eq!(
            hashes(&changes_after(doc, sig).unwrap()),
            vec![concurrent.to_string()]
        );
        assert_eq!(
            Checklist::new(&as_signed(doc, sig).unwrap())
                .unwrap()
                .item_state(checklist::TEST_SLOT, "toilets")
                .unwrap(),
            ItemState::Unmarked
        );
    }
}

#[test]
fn heads_the_document_does_not_have_are_an_error() {
    let mut doc = replica(1);
    let mut s = sign(
        &mut doc,
        Meaning::HandoverOutgoing,
        &person(1, Role::Staff, 1),
    )
    .unwrap();
    s.heads = vec!["not a hash".into()];
    assert!(matches!(
        changes_after(&doc, &s),
        Err(ModelError::BadHeads(_))
    ));
    s.heads = vec![ChangeHash([7; 32]).to_string()];
    assert!(matches!(as_signed(&doc, &s), Err(ModelError::BadHeads(_))));
}

#[derive(Debug, Clone)]
enum Step {
    Mark {
        replica: usize,
        item: usize,
        abnormal: bool,
    },
    Merge {
        from: usize,
        to: usize,
    },
    Sign {
        replica: usize,
        meaning: Meaning,
    },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        5 => (0..3usize, 0..11usize, any::<bool>()).prop_map(|(replica, item, abnormal)| Step::Mark { replica, item, abnormal }),
        3 => (0..3usize, 0..3usize).prop_map(|(from, to)| Step::Merge { from, to }),
        1 => (0..3usize, prop_oneof![
            Just(Meaning::DailyReview),
            Just(Meaning::HandoverOutgoing),
            Just(Meaning::HandoverIncoming),
        ]).prop_map(|(replica, meaning)| Step::Sign { replica, meaning }),
    ]
}

/// One signature made during a run, with what the signer's replica held.
struct Signed {
    signature: Signature,
    snapshot: Automerge,
    known: BTreeSet<String>,
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    /// Random marks, merges and signatures on 2–3 replicas, then a full
    /// merge: for every signature, `changes_after` lists exactly the marks
    /// its signer's replica had not seen when signing (made later or
    /// concurrently), none it had seen and no signature changes, in the
    /// merged document's causal order; and `as_signed` shows exactly what
    /// the signer's replica showed.
    #[test]
    fn changes_after_is_exactly_what_the_signer_had_not_seen(
        n in 2..=3usize,
        steps in proptest::collection::vec(step(), 1..40),
    ) {
        let items: Vec<String> = lobby_opening().items.into_iter().map(|i| i.id).collect();
        let mut docs: Vec<Automerge> = (0..n).map(|i| replica(i as u8 + 1)).collect();
        let mut marks: Vec<String> = Vec::new();
        let mut signed: Vec<Signed> = Vec::new();
        for (clock, step) in steps.iter().enumerate() {
            let at = clock as i64 * 1_000;
            match *step {
                Step::Mark { replica, item, abnormal } => {
                    let r = replica % n;
                    let status = if abnormal { Status::Abnormal } else { Status::Normal };
                    let h = mark(&mut docs[r], r as u8 + 1, &items[item], status, at);
                    marks.push(h.to_string());
                }
                Step::Merge { from, to } => {
                    let (from, to) = (from % n, to % n);
                    if from != to {
                        let src = docs[from].clone();
                        merge(&mut docs[to], &src);
                    }
                }
                Step::Sign { replica, meaning } => {
                    let r = replica % n;
                    let snapshot = docs[r].clone();
                    let known = hashes(&crate::attribution::history(&snapshot)).into_iter().collect();
                    let role = if meaning == Meaning::DailyReview { Role::Leader } else { Role::Staff };
                    let signature = sign(&mut docs[r], meaning, &person(r as u8 + 1, role, at)).unwrap();
                    signed.push(Signed { signature, snapshot, known });
                }
            }
        }
        let mut all = docs[0].clone();
        for d in &docs[1..] {
            merge(&mut all, d);
        }
        let order = hashes(&crate::attribution::history(&all));
        // History is causal: every change comes after all it depends on.
        for (i, h) in order.iter().enumerate() {
            let change = all.get_change_by_hash(&h.parse().unwrap()).unwrap();
            for dep in change.deps() {
                let at = order.iter().position(|o| *o == dep.to_string()).unwrap();
                prop_assert!(at < i, "{} listed before its dependency", h);
            }
        }
        let found = signatures(&all).unwrap();
        prop_assert_eq!(found.len(), signed.len());
        for s in &signed {
            prop_assert!(found.contains(&s.signature));
            let after = hashes(&changes_after(&all, &s.signature).unwrap());
            let expected: Vec<String> = order
                .iter()
                .filter(|h| marks.contains(h) && !s.known.contains(*h))
                .cloned()
                .collect();
            prop_assert_eq!(&after, &expected);
            prop_assert_eq!(shown(&as_signed(&all, &s.signature).unwrap()), shown(&s.snapshot));
        }
    }
}
