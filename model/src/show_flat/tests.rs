use super::*;
use crate::roster::Role;
use crate::test_support::{actor, both_ways, office_supervisor, on_tablet, staff as author, sync};
use proptest::prelude::*;
use std::collections::HashSet;

const DATE: &str = "2026-11-23";
const FLAT: &str = "flat-t";
use CountSession::{Closing, Opening};

fn item(id: &str, zh: &str, en: &str, expected: u32) -> FlatItem {
    FlatItem {
        id: id.into(),
        name: Bilingual::new(zh, en),
        expected,
        location: String::new(),
    }
}

/// A small flat: living room (sofa 1, cushions 4, vase 2), kitchen
/// (kettle 1, cups 6).
fn small_flat() -> FlatItems {
    FlatItems {
        flat_id: FLAT.into(),
        name: Bilingual::new("测试样板房", "Test flat"),
        rooms: vec![
            Room {
                id: "living".into(),
                name: Bilingual::new("客厅", "Living room"),
                items: vec![
                    item("sofa", "沙发", "Sofa", 1),
                    item("cushions", "抱枕", "Cushions", 4),
                    item("vase", "花瓶", "Vase", 2),
                ],
            },
            Room {
                id: "kitchen".into(),
                name: Bilingual::new("厨房", "Kitchen"),
                items: vec![
                    item("kettle", "电水壶", "Kettle", 1),
                    item("cups", "杯子", "Cups", 6),
                ],
            },
        ],
    }
}

fn replica(n: u8) -> Automerge {
    on_tablet(genesis("demo", FLAT, DATE).unwrap(), n)
}

fn put(
    doc: &mut Automerge,
    session: CountSession,
    item: &str,
    quantity: u32,
    condition: Condition,
    note: &str,
    by: &Attribution,
) -> ChangeHash {
    count(
        doc,
        &small_flat(),
        session,
        item,
        quantity,
        condition,
        note,
        by,
    )
    .unwrap()
}

fn view(doc: &Automerge) -> ShowFlatDay<'_> {
    ShowFlatDay::new(doc).unwrap()
}

fn d(item: &str, room: &str, kind: DiscrepancyKind) -> Discrepancy {
    Discrepancy {
        room: room.into(),
        item: item.into(),
        kind,
    }
}

// ───────────────────────────── genesis ─────────────────────────────

#[test]
fn independent_geneses_are_byte_identical_and_hold_only_the_identity() {
    let a = genesis("demo", FLAT, DATE).unwrap();
    let b = genesis("demo", FLAT, DATE).unwrap();
    assert_eq!(a.save(), b.save());
    assert_eq!(a.get_heads(), b.get_heads());
    assert_ne!(
        a.get_heads(),
        genesis("demo", FLAT, "2026-11-24").unwrap().get_heads(),
        "another day is another document"
    );
    let v = view(&a);
    assert_eq!(
        (v.site().unwrap(), v.flat_id().unwrap(), v.date().unwrap()),
        ("demo".to_owned(), FLAT.to_owned(), DATE.to_owned())
    );
    assert_eq!(v.flat().unwrap(), None, "no item list before a count");
    assert_eq!(v.visitors().unwrap(), 0);
    assert!(v.history().unwrap().is_empty() && v.visitor_log().unwrap().is_empty());
    assert!(v.discrepancies().unwrap().is_empty());
    assert!(crate::signature::signatures(&a).unwrap().is_empty());
    assert_eq!(purpose(FLAT, DATE), "show-flat/2/flat-t/2026-11-23");
    assert!(matches!(
        genesis("demo", FLAT, "2026-02-30x"),
        Err(ModelError::BadDate(_))
    ));
    assert!(matches!(
        genesis("demo", "a/b", DATE),
        Err(ModelError::BadItemList(_))
    ));
}

// ──────────────────────────── counting ────────────────────────────

#[test]
fn a_count_round_trips_with_its_attribution_and_writes_the_snapshot_once() {
    let mut a = replica(1);
    let h = put(
        &mut a,
        Opening,
        "vase",
        1,
        Condition::Damaged,
        " 瓶口缺损 ",
        &author(1, 30_600_500),
    );
    let v = view(&a);
    assert_eq!(v.flat().unwrap(), Some(small_flat()));
    let ItemCount::Counted(c) = v.item_count(Opening, "vase").unwrap() else {
        panic!("the vase should be counted");
    };
    assert_eq!(
        c,
        Count {
            session: Opening,
            item: "vase".into(),
            quantity: 1,
            condition: Condition::Damaged,
            note: "瓶口缺损".into(),
            person_id: "id1".into(),
            by: "p1".into(),
            device: "T1".into(),
            at_ms: 30_600_500,
        }
    );
    assert_eq!(v.item_count(Closing, "vase").unwrap(), ItemCount::Uncounted);
    assert_eq!(v.history().unwrap(), vec![c.clone()]);
    assert_eq!(a.get_change_by_hash(&h).unwrap().timestamp(), 30_600);
    let last = crate::attribution::history(&a).pop().unwrap();
    assert_eq!(last.hash, h.to_string());
    assert_eq!(last.attribution, Some(author(1, 30_600_500)));
    assert_eq!(last.summary, "count opening/vase 1 damaged");

    // A later count with another version of the list keeps the day's
    // snapshot: the day's list is what the first count saw.
    let mut edited = small_flat();
    edited.rooms[0].items[0].expected = 2;
    count(
        &mut a,
        &edited,
        Opening,
        "sofa",
        1,
        Condition::InPlace,
        "",
        &author(1, 2),
    )
    .unwrap();
    assert_eq!(view(&a).flat().unwrap(), Some(small_flat()));
    assert_eq!(
        a.get_all(ROOT, "flat_snapshot").unwrap().len(),
        1,
        "written once"
    );
}

#[test]
fn a_count_made_after_seeing_another_replaces_it_and_both_stay_in_the_log() {
    let mut a = replica(1);
    put(
        &mut a,
        Opening,
        "cups",
        5,
        Condition::InPlace,
        "",
        &author(1, 1),
    );
    let mut b = replica(2);
    b.merge(&mut a.clone()).unwrap();
    put(
        &mut b,
        Opening,
        "cups",
        6,
        Condition::InPlace,
        "",
        &author(2, 2),
    );
    let (ab, ba) = both_ways(&a, &b);
    for doc in [&ab, &ba] {
        let v = view(doc);
        assert!(
            matches!(v.item_count(Opening, "cups").unwrap(), ItemCount::Counted(c) if c.quantity == 6 && c.device == "T2")
        );
        assert_eq!(v.history().unwrap().len(), 2);
        assert!(v.discrepancies().unwrap().is_empty());
    }
}

#[test]
fn bad_input_is_refused_without_changing_the_document() {
    let mut a = replica(1);
    let heads = a.get_heads();
    let by = author(1, 1);
    let flat = small_flat();
    assert!(matches!(
        count(&mut a, &flat, Opening, "piano", 1, Condition::InPlace, "", &by),
        Err(ModelError::UnknownFlatItem(i)) if i == "piano"
    ));
    assert!(matches!(
        count(
            &mut a,
            &flat,
            Opening,
            "sofa",
            MAX_QUANTITY + 1,
            Condition::InPlace,
            "",
            &by
        ),
        Err(ModelError::BadCount(_))
    ));
    assert!(matches!(
        all_as_expected(&mut a, &flat, Opening, "attic", &by),
        Err(ModelError::UnknownRoom(r)) if r == "attic"
    ));
    let mut other = small_flat();
    other.flat_id = "flat-b".into();
    assert!(matches!(
        count(
            &mut a,
            &other,
            Opening,
            "sofa",
            1,
            Condition::InPlace,
            "",
            &by
        ),
        Err(ModelError::BadItemList(_))
    ));
    let mut invalid = small_flat();
    invalid.rooms[1].items[0].id = "sofa".into();
    assert!(matches!(
        count(
            &mut a,
            &invalid,
            Opening,
            "sofa",
            1,
            Condition::InPlace,
            "",
            &by
        ),
        Err(ModelError::BadItemList(_))
    ));
    for n in [0, -3, MAX_VISITORS_ADDED + 1] {
        assert!(matches!(
            add_visitors(&mut a, n, &by),
            Err(ModelError::BadCount(_))
        ));
    }
    assert_eq!(a.get_heads(), heads);
    assert_eq!(view(&a).flat().unwrap(), None);

    // An item the day's snapshot lacks is refused even if the tablet's
    // newer list has it.
    put(&mut a, Opening, "sofa", 1, Condition::InPlace, "", &by);
    let heads = a.get_heads();
    let mut newer = small_flat();
    newer.rooms[1]
        .items
        .push(item("toaster", "烤面包机", "Toaster", 1));
    assert!(matches!(
        count(
            &mut a,
            &newer,
            Opening,
            "toaster",
            1,
            Condition::InPlace,
            "",
            &by
        ),
        Err(ModelError::UnknownFlatItem(_))
    ));
    assert_eq!(a.get_heads(), heads);

    let mut templates = crate::templates::genesis("demo").unwrap();
    assert!(matches!(
        count(
            &mut templates,
            &flat,
            Opening,
            "sofa",
            1,
            Condition::InPlace,
            "",
            &by
        ),
        Err(ModelError::WrongSchema(_))
    ));
    assert!(matches!(
        ShowFlatDay::new(&Automerge::new()),
        Err(ModelError::WrongSchema(_))
    ));
    let mut bare = Automerge::new();
    bare.transact::<_, _, automerge::AutomergeError>(|tx| {
        tx.put(ROOT, "schema", SCHEMA)?;
        Ok(())
    })
    .unwrap();
    assert!(
        view(&bare).visitors().is_err() && view(&bare).item_count(Opening, "sofa").is_err(),
        "a count day without containers is an error, not a panic"
    );
}

#[test]
fn all_as_expected_fills_a_room_but_keeps_earlier_exceptions() {
    let mut a = replica(1);
    put(
        &mut a,
        Opening,
        "cushions",
        3,
        Condition::Missing,
        "少一个",
        &author(1, 1),
    );
    let flat = small_flat();
    let h = all_as_expected(&mut a, &flat, Opening, "living", &author(1, 2))
        .unwrap()
        .unwrap();
    let v = view(&a);
    assert!(
        matches!(v.item_count(Opening, "cushions").unwrap(), ItemCount::Counted(c) if c.quantity == 3 && c.condition == Condition::Missing && c.note == "少一个"),
        "the exception entered first stays"
    );
    for (id, expected) in [("sofa", 1), ("vase", 2)] {
        let ItemCount::Counted(c) = v.item_count(Opening, id).unwrap() else {
            panic!("{id} should be counted");
        };
        assert_eq!(
            (c.quantity, c.condition, c.device.as_str(), c.at_ms),
            (expected, Condition::InPlace, "T1", 2)
        );
    }
    assert_eq!(v.uncounted(Opening).unwrap(), vec!["kettle", "cups"]);
    assert_eq!(
        v.uncounted(Closing).unwrap().len(),
        5,
        "the closing count is separate"
    );
    assert_eq!(
        v.history()
            .unwrap()
            .iter()
            .map(|c| c.item.as_str())
            .collect::<Vec<_>>(),
        ["cushions", "sofa", "vase"],
        "one log entry per item filled, appended in walking order"
    );
    let last = crate::attribution::history(&a).pop().unwrap();
    assert_eq!(last.hash, h.to_string());
    assert_eq!(
        last.summary,
        "count opening room living as expected (2 items)"
    );
    assert_eq!(
        v.discrepancies().unwrap(),
        vec![
            d(
                "cushions",
                "living",
                DiscrepancyKind::ExpectedMismatch {
                    session: Opening,
                    expected: 4,
                    counted: 3
                }
            ),
            d(
                "cushions",
                "living",
                DiscrepancyKind::ConditionNotInPlace {
                    session: Opening,
                    condition: Condition::Missing
                }
            ),
        ]
    );
    let heads = a.get_heads();
    assert_eq!(
        all_as_expected(&mut a, &flat, Opening, "living", &author(1, 3)).unwrap(),
        None,
        "nothing left to fill: no change"
    );
    assert_eq!(a.get_heads(), heads);

    // The first tap of the day may be "all as expected": it writes the
    // snapshot too.
    let mut b = replica(2);
    all_as_expected(&mut b, &flat, Closing, "kitchen", &author(2, 5)).unwrap();
    let v = view(&b);
    assert_eq!(v.flat().unwrap(), Some(small_flat()));
    assert_eq!(
        v.uncounted(Closing).unwrap(),
        vec!["sofa", "cushions", "vase"]
    );
}

// ────────────────────────── discrepancy rules ──────────────────────────

fn everything_as_expected(doc: &mut Automerge, by: &Attribution) {
    for session in CountSession::ALL {
        for room in ["living", "kitchen"] {
            all_as_expected(doc, &small_flat(), session, room, by).unwrap();
        }
    }
}

#[test]
fn nothing_is_a_discrepancy_when_every_count_matches() {
    let mut a = replica(1);
    everything_as_expected(&mut a, &author(1, 1));
    let v = view(&a);
    assert!(v.discrepancies().unwrap().is_empty());
    assert!(v.damaged_items().unwrap().is_empty());
    assert!(v.uncounted(Opening).unwrap().is_empty() && v.uncounted(Closing).unwrap().is_empty());
    assert!(
        discrepancies(&a).unwrap().is_empty(),
        "the free function agrees"
    );
}

#[test]
fn each_discrepancy_kind_is_reported_for_its_item_and_session() {
    let mut a = replica(1);
    let by = author(1, 10);
    // opening: sofa moved (quantity right), cushions 3 of 4 in place.
    put(&mut a, Opening, "sofa", 1, Condition::Moved, "", &by);
    put(&mut a, Opening, "cushions", 3, Condition::InPlace, "", &by);
    // closing: the vase broke during the day; cups 6 at opening, 5 at closing.
    put(
        &mut a,
        Closing,
        "vase",
        2,
        Condition::Damaged,
        "一只有裂纹",
        &by,
    );
    put(&mut a, Closing, "cups", 5, Condition::InPlace, "", &by);
    everything_as_expected(&mut a, &author(1, 20));
    let found = discrepancies(&a).unwrap();
    assert_eq!(
        found,
        vec![
            d(
                "sofa",
                "living",
                DiscrepancyKind::ConditionNotInPlace {
                    session: Opening,
                    condition: Condition::Moved
                }
            ),
            d(
                "cushions",
                "living",
                DiscrepancyKind::ExpectedMismatch {
                    session: Opening,
                    expected: 4,
                    counted: 3
                }
            ),
            d(
                "cushions",
                "living",
                DiscrepancyKind::OpeningClosingDiffer {
                    opening: 3,
                    closing: 4
                }
            ),
            d(
                "vase",
                "living",
                DiscrepancyKind::ConditionNotInPlace {
                    session: Closing,
                    condition: Condition::Damaged
                }
            ),
            d(
                "cups",
                "kitchen",
                DiscrepancyKind::ExpectedMismatch {
                    session: Closing,
                    expected: 6,
                    counted: 5
                }
            ),
            d(
                "cups",
                "kitchen",
                DiscrepancyKind::OpeningClosingDiffer {
                    opening: 6,
                    closing: 5
                }
            ),
        ]
    );
    let damaged = damaged_items(&a).unwrap();
    assert_eq!(damaged.len(), 1);
    assert_eq!(
        (damaged[0].room.as_str(), damaged[0].item.id.as_str()),
        ("living", "vase")
    );
    assert_eq!(damaged[0].item.expected, 2);
    assert_eq!(damaged[0].reports.len(), 1);
    assert_eq!(damaged[0].reports[0].note, "一只有裂纹");
    assert_eq!(damaged[0].reports[0].session, Closing);
}

#[test]
fn the_same_shortfall_at_opening_and_closing_is_no_opening_closing_difference() {
    let mut a = replica(1);
    let by = author(1, 1);
    put(&mut a, Opening, "cups", 5, Condition::InPlace, "", &by);
    put(&mut a, Closing, "cups", 5, Condition::InPlace, "", &by);
    let found = discrepancies(&a).unwrap();
    assert_eq!(found.len(), 2);
    assert!(found.iter().all(|x| matches!(
        x.kind,
        DiscrepancyKind::ExpectedMismatch {
            expected: 6,
            counted: 5,
            ..
        }
    )));
    // Expected 4: 4 at opening, 2 at closing is a difference; the closing
    // recounted as 4 clears it.
    put(&mut a, Opening, "cushions", 4, Condition::InPlace, "", &by);
    put(&mut a, Closing, "cushions", 2, Condition::InPlace, "", &by);
    assert!(
        discrepancies(&a)
            .unwrap()
            .iter()
            .any(|x| x.item == "cushions"
                && x.kind
                    == DiscrepancyKind::OpeningClosingDiffer {
                        opening: 4,
                        closing: 2
                    })
    );
    put(&mut a, Closing, "cushions", 4, Condition::InPlace, "", &by);
    assert!(
        discrepancies(&a)
            .unwrap()
            .iter()
            .all(|x| x.item != "cushions")
    );
}

// ─────────────────────────── concurrent counts ───────────────────────────

#[test]
fn concurrent_different_counts_are_disputed_with_every_value_on_both_replicas() {
    let (mut a, mut b) = (replica(1), replica(2));
    put(
        &mut a,
        Opening,
        "cushions",
        4,
        Condition::InPlace,
        "",
        &author(1, 1_000),
    );
    put(
        &mut b,
        Opening,
        "cushions",
        3,
        Condition::Missing,
        "少一个",
        &author(2, 1_200),
    );
    // A condition difference alone is a dispute too.
    put(
        &mut a,
        Opening,
        "vase",
        2,
        Condition::InPlace,
        "",
        &author(1, 1_000),
    );
    put(
        &mut b,
        Opening,
        "vase",
        2,
        Condition::Moved,
        "",
        &author(2, 1_200),
    );
    let (ab, ba) = both_ways(&a, &b);
    assert_eq!(ab.get_heads(), ba.get_heads());
    for doc in [&ab, &ba] {
        let v = view(doc);
        let ItemCount::Disputed(counts) = v.item_count(Opening, "cushions").unwrap() else {
            panic!("expected a dispute");
        };
        assert_eq!(
            counts
                .iter()
                .map(|c| (c.quantity, c.condition, c.by.as_str(), c.device.as_str()))
                .collect::<Vec<_>>(),
            vec![
                (4, Condition::InPlace, "p1", "T1"),
                (3, Condition::Missing, "p2", "T2")
            ],
            "both values and who counted, oldest first"
        );
        assert!(matches!(
            v.item_count(Opening, "vase").unwrap(),
            ItemCount::Disputed(c) if c.len() == 2
        ));
        assert_eq!(
            v.discrepancies().unwrap(),
            vec![
                d(
                    "cushions",
                    "living",
                    DiscrepancyKind::Disputed { session: Opening }
                ),
                d(
                    "vase",
                    "living",
                    DiscrepancyKind::Disputed { session: Opening }
                ),
            ],
            "a dispute is reported as such, not as one side's mismatch"
        );
        assert_eq!(v.history().unwrap().len(), 4);
    }
}

#[test]
fn concurrent_recounts_of_an_item_both_had_counted_are_disputed_too() {
    let mut a = replica(1);
    put(
        &mut a,
        Opening,
        "cushions",
        4,
        Condition::InPlace,
        "",
        &author(1, 1_000),
    );
    let mut b = replica(2);
    b.merge(&mut a.clone()).unwrap();
    // Both saw the first count; each recounts without seeing the other.
    put(
        &mut a,
        Opening,
        "cushions",
        3,
        Condition::InPlace,
        "",
        &author(1, 2_000),
    );
    put(
        &mut b,
        Opening,
        "cushions",
        4,
        Condition::Moved,
        "",
        &author(2, 2_100),
    );
    let (ab, ba) = both_ways(&a, &b);
    for doc in [&ab, &ba] {
        let ItemCount::Disputed(counts) = view(doc).item_count(Opening, "cushions").unwrap() else {
            panic!("two whole counts, never a mix of their fields");
        };
        assert_eq!(
            counts.iter().map(|c| c.result()).collect::<Vec<_>>(),
            vec![(3, Condition::InPlace), (4, Condition::Moved)]
        );
    }
}

#[test]
fn concurrent_equal_counts_merge_quietly() {
    let (mut a, mut b) = (replica(1), replica(2));
    put(
        &mut a,
        Opening,
        "sofa",
        1,
        Condition::InPlace,
        "",
        &author(1, 1_000),
    );
    put(
        &mut b,
        Opening,
        "sofa",
        1,
        Condition::InPlace,
        "ok",
        &author(2, 1_100),
    );
    // Two tablets tapping "all as expected" on the same room agree too.
    all_as_expected(&mut a, &small_flat(), Opening, "kitchen", &author(1, 2_000)).unwrap();
    all_as_expected(&mut b, &small_flat(), Opening, "kitchen", &author(2, 2_100)).unwrap();
    let (ab, ba) = both_ways(&a, &b);
    for doc in [&ab, &ba] {
        let v = view(doc);
        assert!(
            matches!(v.item_count(Opening, "sofa").unwrap(), ItemCount::Counted(c) if c.device == "T2"),
            "the latest of the agreeing counts"
        );
        assert_eq!(
            v.current_counts(Opening, "sofa").unwrap().len(),
            2,
            "both stay recorded"
        );
        assert!(matches!(
            v.item_count(Opening, "cups").unwrap(),
            ItemCount::Counted(_)
        ));
        assert!(v.discrepancies().unwrap().is_empty());
    }
}

#[test]
fn a_recount_after_seeing_a_dispute_resolves_it_everywhere() {
    let (mut a, mut b) = (replica(1), replica(2));
    put(
        &mut a,
        Closing,
        "cups",
        6,
        Condition::InPlace,
        "",
        &author(1, 1_000),
    );
    put(
        &mut b,
        Closing,
        "cups",
        4,
        Condition::InPlace,
        "",
        &author(2, 1_100),
    );
    let (mut ab, ba) = both_ways(&a, &b);
    assert!(matches!(
        view(&ab).item_count(Closing, "cups").unwrap(),
        ItemCount::Disputed(_)
    ));
    put(
        &mut ab,
        Closing,
        "cups",
        5,
        Condition::InPlace,
        "recounted",
        &author(3, 2_000),
    );
    let (x, y) = both_ways(&ab, &ba);
    for doc in [&x, &y] {
        let v = view(doc);
        let ItemCount::Counted(c) = v.item_count(Closing, "cups").unwrap() else {
            panic!("the recount resolves the dispute");
        };
        assert_eq!((c.quantity, c.by.as_str()), (5, "p3"));
        assert_eq!(
            v.history().unwrap().len(),
            3,
            "the disputed counts stay in the log"
        );
        assert_eq!(
            v.discrepancies().unwrap(),
            vec![d(
                "cups",
                "kitchen",
                DiscrepancyKind::ExpectedMismatch {
                    session: Closing,
                    expected: 6,
                    counted: 5
                }
            )]
        );
    }
}

#[test]
fn all_as_expected_concurrent_with_an_exception_is_disputed_not_overwritten() {
    let (mut a, mut b) = (replica(1), replica(2));
    all_as_expected(&mut a, &small_flat(), Opening, "living", &author(1, 1_000)).unwrap();
    put(
        &mut b,
        Opening,
        "vase",
        2,
        Condition::Damaged,
        "摔裂",
        &author(2, 1_100),
    );
    let (ab, _) = both_ways(&a, &b);
    let v = view(&ab);
    assert!(matches!(
        v.item_count(Opening, "vase").unwrap(),
        ItemCount::Disputed(c) if c.iter().any(|c| c.condition == Condition::Damaged)
    ));
    let damaged = v.damaged_items().unwrap();
    assert_eq!(damaged.len(), 1, "a disputed damage report still shows");
    assert_eq!(damaged[0].reports[0].by, "p2");
}

#[test]
fn concurrent_first_counts_with_different_lists_show_the_union() {
    let (mut a, mut b) = (replica(1), replica(2));
    let mut newer = small_flat();
    newer.rooms[1]
        .items
        .push(item("toaster", "烤面包机", "Toaster", 1));
    newer.rooms.push(Room {
        id: "balcony".into(),
        name: Bilingual::new("阳台", "Balcony"),
        items: vec![item("chairs", "休闲椅", "Chairs", 2)],
    });
    put(
        &mut a,
        Opening,
        "sofa",
        1,
        Condition::InPlace,
        "",
        &author(1, 1),
    );
    count(
        &mut b,
        &newer,
        Opening,
        "toaster",
        1,
        Condition::InPlace,
        "",
        &author(2, 2),
    )
    .unwrap();
    let (mut ab, ba) = both_ways(&a, &b);
    let (fa, fb) = (
        view(&ab).flat().unwrap().unwrap(),
        view(&ba).flat().unwrap().unwrap(),
    );
    assert_eq!(fa, fb, "the same union on every device");
    assert_eq!(fa.item_count(), 7);
    assert!(fa.item("toaster").is_some() && fa.room("balcony").is_some());
    assert_eq!(
        view(&ab).uncounted(Opening).unwrap().len(),
        5,
        "sofa and toaster counted"
    );
    // The older tablet may now count the toaster it never had.
    put(
        &mut ab,
        Opening,
        "toaster",
        1,
        Condition::InPlace,
        "",
        &author(1, 3),
    );
}

// ──────────────────── corrections, feedback, summary ────────────────────

#[test]
fn a_correction_subtracts_with_its_reason_and_adds_up_with_concurrent_additions() {
    let mut lobby = replica(1);
    add_visitors(&mut lobby, 5, &author(1, 100)).unwrap();
    let mut flat = lobby.fork();
    flat.set_actor(actor(2));
    // The flat post corrects a double tap while the lobby adds a group.
    correct_visitors(&mut flat, 2, "  重复点击  ", &author(2, 200)).unwrap();
    add_visitors(&mut lobby, 3, &author(1, 300)).unwrap();
    let (ab, ba) = both_ways(&lobby, &flat);
    for doc in [&ab, &ba] {
        assert_eq!(visitors(doc).unwrap(), 6);
        let log = view(doc).visitor_log().unwrap();
        assert_eq!(log.iter().map(|e| e.n).sum::<i64>(), 6);
        let correction = log.iter().find(|e| e.n < 0).unwrap();
        assert_eq!((correction.n, correction.reason.as_str()), (-2, "重复点击"));
        assert!(log.iter().filter(|e| e.n > 0).all(|e| e.reason.is_empty()));
    }
    assert_eq!(view(&ab).summary().unwrap().corrections, 1);
}

#[test]
fn corrections_without_a_reason_or_beyond_the_count_are_refused_unchanged() {
    let mut doc = replica(1);
    add_visitors(&mut doc, 2, &author(1, 100)).unwrap();
    let heads = doc.get_heads();
    for (n, reason) in [
        (1, ""),
        (1, "   "),
        (3, "too many"),
        (0, "zero"),
        (-1, "negative"),
    ] {
        assert!(
            matches!(
                correct_visitors(&mut doc, n, reason, &author(1, 200)),
                Err(ModelError::BadCount(_))
            ),
            "{n} {reason:?}"
        );
    }
    let long = "x".repeat(2 * MAX_GUEST_CHARS + 1);
    assert!(correct_visitors(&mut doc, 1, &long, &author(1, 200)).is_err());
    assert_eq!(doc.get_heads(), heads);
    assert_eq!(visitors(&doc).unwrap(), 2);
}

#[test]
fn feedback_from_two_tablets_is_all_kept_with_who_recorded_it() {
    let mut a = replica(1);
    let mut b = replica(2);
    add_feedback(
        &mut a,
        FeedbackKind::Opinion,
        " 客厅很亮 ",
        "李女士",
        &author(1, 100),
    )
    .unwrap();
    add_feedback(
        &mut b,
        FeedbackKind::Suggestion,
        "希望增加儿童房样板",
        "",
        &author(2, 200),
    )
    .unwrap();
    let (ab, ba) = both_ways(&a, &b);
    let fa = view(&ab).feedback().unwrap();
    assert_eq!(fa, view(&ba).feedback().unwrap());
    assert_eq!(fa.len(), 2);
    let opinion = fa.iter().find(|f| f.kind == FeedbackKind::Opinion).unwrap();
    assert_eq!(
        (
            opinion.text.as_str(),
            opinion.guest.as_str(),
            opinion.by.as_str()
        ),
        ("客厅很亮", "李女士", "p1")
    );
    assert!(
        fa.iter()
            .any(|f| f.kind == FeedbackKind::Suggestion && f.device == "T2")
    );
}

#[test]
fn bad_feedback_is_refused_unchanged() {
    let mut doc = replica(1);
    let heads = doc.get_heads();
    let long = "长".repeat(MAX_FEEDBACK_CHARS + 1);
    let guest = "g".repeat(MAX_GUEST_CHARS + 1);
    for (text, guest) in [
        ("", ""),
        ("  ", ""),
        (long.as_str(), ""),
        ("ok", guest.as_str()),
    ] {
        assert!(matches!(
            add_feedback(&mut doc, FeedbackKind::Opinion, text, guest, &author(1, 1)),
            Err(ModelError::BadFeedback(_))
        ));
    }
    assert_eq!(doc.get_heads(), heads);
    assert!(view(&doc).feedback().unwrap().is_empty());
}

#[test]
fn the_summary_counts_progress_and_the_leaders_review_shows_later_changes() {
    let mut doc = replica(1);
    let empty = view(&doc).summary().unwrap();
    assert_eq!((empty.items, empty.counted), (0, [0, 0]));
    for room in ["living", "kitchen"] {
        all_as_expected(&mut doc, &small_flat(), Opening, room, &author(1, 100)).unwrap();
    }
    put(
        &mut doc,
        Closing,
        "sofa",
        0,
        Condition::Missing,
        "",
        &author(1, 200),
    );
    add_visitors(&mut doc, 4, &author(1, 300)).unwrap();
    add_feedback(&mut doc, FeedbackKind::Opinion, "好", "", &author(1, 310)).unwrap();
    let before = view(&doc).summary().unwrap();
    let total = small_flat().item_count();
    assert_eq!(before.items, total);
    assert_eq!(before.counted, [total, 1]);
    assert_eq!(before.visitors, 4);
    assert_eq!(before.feedback.len(), 1);
    assert!(before.reviews.is_empty());
    assert!(!before.discrepancies.is_empty());

    let mut leader = author(9, 400);
    leader.role = Role::Leader;
    assert!(
        crate::signature::sign(
            &mut doc,
            crate::signature::Meaning::DailyReview,
            &author(1, 400)
        )
        .is_err()
    );
    crate::signature::sign(&mut doc, crate::signature::Meaning::DailyReview, &leader).unwrap();
    let signed = view(&doc).summary().unwrap();
    assert_eq!(signed.reviews.len(), 1);
    assert_eq!(signed.reviews[0].person, "p9");
    assert_eq!(signed.changed_after_review, 0);

    put(
        &mut doc,
        Closing,
        "vase",
        1,
        Condition::InPlace,
        "",
        &author(1, 500),
    );
    let after = view(&doc).summary().unwrap();
    assert_eq!(after.changed_after_review, 1);
    assert_eq!(after.counted, [total, 2]);
}

// ──────────────────────────── visitors ────────────────────────────

#[test]
fn visitors_added_concurrently_on_three_replicas_sum_exactly_in_any_merge_order() {
    let mut r: Vec<Automerge> = (1..=3).map(replica).collect();
    add_visitors(&mut r[0], 3, &author(1, 100)).unwrap();
    add_visitors(&mut r[1], 2, &author(2, 200)).unwrap();
    add_visitors(&mut r[2], 4, &author(3, 300)).unwrap();
    let mut forward = r[0].clone();
    forward.merge(&mut r[1].clone()).unwrap();
    forward.merge(&mut r[2].clone()).unwrap();
    let mut backward = r[2].clone();
    backward.merge(&mut r[1].clone()).unwrap();
    backward.merge(&mut r[0].clone()).unwrap();
    assert_eq!(forward.get_heads(), backward.get_heads());
    for doc in [&forward, &backward] {
        assert_eq!(visitors(doc).unwrap(), 9);
        let mut log: Vec<(i64, String)> = view(doc)
            .visitor_log()
            .unwrap()
            .into_iter()
            .map(|e| (e.n, e.device))
            .collect();
        log.sort();
        assert_eq!(
            log,
            vec![(2, "T2".into()), (3, "T1".into()), (4, "T3".into())],
            "every addition explained"
        );
    }
    let h = add_visitors(&mut forward, 1, &author(1, 400)).unwrap();
    assert_eq!(visitors(&forward).unwrap(), 10);
    let last = crate::attribution::history(&forward).pop().unwrap();
    assert_eq!(
        (last.hash, last.summary.as_str()),
        (h.to_string(), "visitors +1")
    );
    assert_eq!(
        view(&forward).visitor_log().unwrap().last().unwrap().by,
        "p1"
    );
}

#[test]
fn the_count_day_takes_the_daily_sign_off() {
    let mut a = replica(1);
    everything_as_expected(&mut a, &author(1, 1));
    let leader = Attribution {
        role: Role::Leader,
        ..author(9, 5)
    };
    crate::signature::sign(&mut a, crate::signature::Meaning::DailyReview, &leader).unwrap();
    assert_eq!(crate::signature::signatures(&a).unwrap().len(), 1);
}

// ──────────────────────────── inventory ────────────────────────────

fn supervisor(n: u8) -> Attribution {
    office_supervisor(n, i64::from(n))
}

fn inventory(n: u8) -> Automerge {
    on_tablet(inventory_genesis("demo").unwrap(), n)
}

#[test]
fn the_inventory_stores_item_lists_per_flat() {
    assert_eq!(inventory(1).save(), inventory(2).save(), "one genesis");
    assert!(SiteInventory::empty().flats().unwrap().is_empty());
    let mut doc = inventory(1);
    assert!(
        SiteInventory::new(&doc)
            .unwrap()
            .flats()
            .unwrap()
            .is_empty()
    );
    put_flat(&mut doc, &demo_flat(), &supervisor(1)).unwrap();
    put_flat(&mut doc, &small_flat(), &supervisor(1)).unwrap();
    let inv = SiteInventory::new(&doc).unwrap();
    assert_eq!(inv.flats().unwrap(), vec![demo_flat(), small_flat()]);
    assert_eq!(inv.flat(FLAT).unwrap(), Some(small_flat()));
    assert_eq!(inv.flat("nope").unwrap(), None);
    let mut edited = small_flat();
    edited.rooms[0].items.remove(1);
    edited.rooms[0].items[0].location = "靠窗".into();
    put_flat(&mut doc, &edited, &supervisor(1)).unwrap();
    let inv = SiteInventory::new(&doc).unwrap();
    assert_eq!(inv.flat(FLAT).unwrap(), Some(edited), "replaced as a whole");
    assert!(inv.conflicts(FLAT).unwrap().is_empty());
    let last = crate::attribution::history(&doc).pop().unwrap();
    assert_eq!(last.summary, "inventory put flat-t");
    assert!(matches!(
        SiteInventory::new(&crate::templates::genesis("demo").unwrap()),
        Err(ModelError::WrongSchema(_))
    ));
}

/// A change that makes a valid item list invalid.
type Spoil = fn(&mut FlatItems);

#[test]
fn invalid_item_lists_are_refused_without_a_change() {
    let mut doc = inventory(1);
    let heads = doc.get_heads();
    let cases: Vec<(&str, Spoil)> = vec![
        ("bad flat id", |f| f.flat_id = "a b".into()),
        ("no flat name", |f| f.name = Bilingual::new(" ", "")),
        ("no rooms", |f| f.rooms.clear()),
        ("room twice", |f| f.rooms[1].id = "living".into()),
        ("bad room id", |f| f.rooms[1].id = String::new()),
        ("room unnamed", |f| f.rooms[1].name = Bilingual::new("", "")),
        ("empty room", |f| f.rooms[1].items.clear()),
        ("item twice across rooms", |f| {
            f.rooms[1].items[0].id = "sofa".into()
        }),
        ("bad item id", |f| f.rooms[0].items[0].id = "a/b".into()),
        ("item unnamed", |f| {
            f.rooms[0].items[0].name = Bilingual::new("", " ")
        }),
        ("too many expected", |f| {
            f.rooms[0].items[0].expected = MAX_QUANTITY + 1
        }),
    ];
    for (why, spoil) in cases {
        let mut f = small_flat();
        spoil(&mut f);
        assert!(
            matches!(
                put_flat(&mut doc, &f, &supervisor(1)),
                Err(ModelError::BadItemList(_))
            ),
            "{why}"
        );
    }
    assert_eq!(doc.get_heads(), heads);
    let mut english_only = small_flat();
    english_only.rooms[0].items[0].name.zh.clear();
    english_only.validate().unwrap();
}

#[test]
fn concurrent_edits_of_one_flat_conflict_as_whole_versions() {
    let (mut a, mut b) = (inventory(1), inventory(2));
    put_flat(&mut a, &small_flat(), &supervisor(1)).unwrap();
    b.merge(&mut a.clone()).unwrap();
    let mut more = small_flat();
    more.rooms[0].items[1].expected = 6;
    let mut fewer = small_flat();
    fewer.rooms.truncate(1);
    put_flat(&mut a, &more, &supervisor(1)).unwrap();
    put_flat(&mut b, &fewer, &supervisor(2)).unwrap();
    let (ab, ba) = both_ways(&a, &b);
    for doc in [&ab, &ba] {
        let inv = SiteInventory::new(doc).unwrap();
        let versions = inv.conflicts(FLAT).unwrap();
        assert_eq!(versions.len(), 2);
        assert!(versions.contains(&more) && versions.contains(&fewer));
        let shown = inv.flat(FLAT).unwrap().unwrap();
        assert!(shown == more || shown == fewer, "one whole version");
    }
    assert_eq!(
        SiteInventory::new(&ab).unwrap().flats().unwrap(),
        SiteInventory::new(&ba).unwrap().flats().unwrap()
    );
}

// ──────────────────────────── demo flat ────────────────────────────

#[test]
fn the_demo_flat_is_realistic_bilingual_and_valid() {
    let flat = demo_flat();
    flat.validate().unwrap();
    assert_eq!(flat.flat_id, DEMO_FLAT_ID);
    assert!(
        (55..=70).contains(&flat.item_count()),
        "{}",
        flat.item_count()
    );
    let rooms: Vec<&str> = flat.rooms.iter().map(|r| r.name.zh.as_str()).collect();
    assert_eq!(
        rooms,
        [
            "客厅",
            "餐厅",
            "厨房",
            "主卧",
            "次卧",
            "儿童房",
            "主卫",
            "次卫",
            "阳台"
        ]
    );
    let ids: HashSet<&str> = flat.items().map(|(_, i)| i.id.as_str()).collect();
    assert_eq!(ids.len(), flat.item_count(), "item ids unique in the flat");
    assert!(!flat.name.zh.is_empty() && !flat.name.en.is_empty());
    for room in &flat.rooms {
        assert!(!room.name.zh.is_empty() && !room.name.en.is_empty());
        for i in &room.items {
            assert!(
                !i.name.zh.trim().is_empty() && !i.name.en.trim().is_empty(),
                "{}",
                i.id
            );
            assert!((1..=20).contains(&i.expected), "{}", i.id);
        }
    }
    // It travels through both documents unchanged.
    let json = serde_json::to_string(&flat).unwrap();
    assert_eq!(serde_json::from_str::<FlatItems>(&json).unwrap(), flat);
    let mut day = genesis("demo", DEMO_FLAT_ID, DATE).unwrap();
    day.set_actor(actor(1));
    for room in &flat.rooms {
        all_as_expected(&mut day, &flat, Opening, &room.id, &author(1, 1)).unwrap();
    }
    let v = view(&day);
    assert_eq!(v.flat().unwrap(), Some(flat.clone()));
    assert_eq!(v.history().unwrap().len(), flat.item_count());
    assert!(v.discrepancies().unwrap().is_empty() && v.uncounted(Opening).unwrap().is_empty());
}

// ──────────────────────────── properties ────────────────────────────

/// One step: (replica, closing?, item, quantity, condition, visitors to
/// add, replica to merge from).
type Step = (usize, bool, usize, u32, usize, Option<i64>, Option<usize>);

fn step() -> impl Strategy<Value = Step> {
    (
        0..3usize,
        any::<bool>(),
        0..5usize,
        0..4u32,
        0..4usize,
        proptest::option::of(1..5i64),
        proptest::option::of(0..3usize),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// Three tablets count random items in random sessions with random
    /// results, add visitors, and merge from a random other tablet at
    /// random points: after a full merge they hold one document, the log
    /// has every count once, the visitors are the sum of every addition,
    /// every (session, item) ever counted shows counted or disputed and no
    /// other does, and a dispute always has disagreeing values.
    #[test]
    fn three_tablets_converge_with_every_count_and_every_visitor(
        steps in proptest::collection::vec(step(), 1..40)
    ) {
        let flat = small_flat();
        let items: Vec<String> = flat.items().map(|(_, i)| i.id.clone()).collect();
        let mut replicas: Vec<Automerge> = (1..=3).map(replica).collect();
        for (n, (who, closing, item, quantity, condition, add, sync_with)) in steps.iter().enumerate() {
            let session = if *closing { Closing } else { Opening };
            let by = author(*who as u8 + 1, n as i64);
            count(&mut replicas[*who], &flat, session, &items[*item], *quantity, Condition::ALL[*condition], "", &by).unwrap();
            if let Some(add) = add {
                add_visitors(&mut replicas[*who], *add, &by).unwrap();
            }
            if let Some(other) = sync_with.filter(|o| o != who) {
                sync(&mut replicas, *who, other);
            }
        }
        let mut all = replicas[0].clone();
        for r in &replicas[1..] {
            all.merge(&mut r.clone()).unwrap();
        }
        for r in &mut replicas {
            r.merge(&mut all.clone()).unwrap();
            prop_assert_eq!(r.get_heads(), all.get_heads());
        }
        let v = view(&all);
        prop_assert_eq!(v.history().unwrap().len(), steps.len());
        let added: i64 = steps.iter().filter_map(|s| s.5).sum();
        prop_assert_eq!(v.visitors().unwrap(), added);
        prop_assert_eq!(v.visitor_log().unwrap().iter().map(|e| e.n).sum::<i64>(), added);
        for session in CountSession::ALL {
            for (i, id) in items.iter().enumerate() {
                let counted = steps.iter().any(|s| s.2 == i && (s.1 == (session == Closing)));
                match v.item_count(session, id).unwrap() {
                    ItemCount::Uncounted => prop_assert!(!counted),
                    ItemCount::Counted(c) => {
                        prop_assert!(counted);
                        prop_assert_eq!(&c.item, id);
                    }
                    ItemCount::Disputed(cs) => {
                        prop_assert!(counted);
                        prop_assert!(cs.len() >= 2);
                        prop_assert!(cs.iter().any(|c| c.result() != cs[0].result()));
                    }
                }
            }
        }
        let reference = v.discrepancies().unwrap();
        for r in &replicas {
            prop_assert_eq!(&view(r).discrepancies().unwrap(), &reference);
        }
    }
}
