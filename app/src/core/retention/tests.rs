//! Retention policy tests: unsynced documents are never removed at any
//! age (an empty or foreign confirmed list counts as unsynced), concurrent
//! heads must all be confirmed, site documents and the boards and days
//! open indexes name stay, the retention period is a sharp boundary on the
//! newest change, and a property test over three replicas and a server
//! that saw random parts of them.

use super::*;
use automerge::ActorId;
#[cfg(not(target_arch = "wasm32"))]
use proptest::prelude::*;
use shiftbook_model::attribution::Attribution;
use shiftbook_model::roster::Role;
use shiftbook_model::security_log::{self, EventKind, SecurityEvent};
use shiftbook_model::{roster, settings, show_flat, templates};
use std::collections::BTreeMap;

/// "Now" on the device: 2026-05-28.
const NOW: i64 = 1_780_000_000_000;

fn key() -> SiteKey {
    SiteKey::from_random([3; 32])
}

fn by(at_ms: i64) -> Attribution {
    Attribution {
        person_id: "zhang".into(),
        person: "张伟".into(),
        role: Role::Leader,
        device: "T1".into(),
        at_ms,
    }
}

/// A security-log day (an ordinary daily record) on replica `actor`.
fn day(actor: u8) -> Automerge {
    let mut doc = security_log::genesis("demo", "2026-04-01").unwrap();
    doc.set_actor(ActorId::from(vec![actor; 16]));
    doc
}

fn append(doc: &mut Automerge, at_ms: i64) -> ChangeHash {
    let event = SecurityEvent {
        kind: EventKind::SignIn,
        person_id: "zhang".into(),
        person: "张伟".into(),
        device: "T1".into(),
        at_ms,
    };
    security_log::append(doc, &event).unwrap()
}

fn days_ago(n: i64) -> i64 {
    NOW - n * DAY_MS
}

#[test]
fn unsynced_documents_stay_whatever_their_age() {
    let mut doc = day(1);
    let genesis = doc.get_heads();
    append(&mut doc, days_ago(400));
    let ancient = RetentionPeriod::days(0);
    for confirmed in [
        Vec::new(),
        genesis.clone(),
        vec![ChangeHash([9; 32])],
        // A corrupt list with the real head among foreign ones.
        vec![doc.get_heads()[0], ChangeHash([9; 32])],
    ] {
        for needed in [false, true] {
            assert_eq!(
                verdict(&doc, &confirmed, needed, ancient, NOW),
                Verdict::Keep(Keep::Unsynced),
                "confirmed {confirmed:?}"
            );
        }
    }
    assert!(!fully_confirmed(&doc, &genesis));
    assert_eq!(
        verdict(&doc, &doc.get_heads(), false, ancient, NOW),
        Verdict::Remove
    );
    // A change after the server's heads: unsynced again.
    let confirmed = doc.get_heads();
    append(&mut doc, days_ago(399));
    assert_eq!(
        verdict(&doc, &confirmed, false, ancient, NOW),
        Verdict::Keep(Keep::Unsynced)
    );
}

#[test]
fn an_empty_document_is_never_confirmed() {
    let doc = Automerge::new();
    assert!(!fully_confirmed(&doc, &[]));
    assert_eq!(newest_change_ms(&doc), 0);
    assert_eq!(
        verdict(&doc, &[], false, RetentionPeriod::NORMAL, NOW),
        Verdict::Keep(Keep::Unsynced)
    );
}

#[test]
fn every_concurrent_head_must_be_confirmed() {
    let mut a = day(1);
    let mut b = day(2);
    let ha = append(&mut a, days_ago(60));
    let hb = append(&mut b, days_ago(61));
    a.merge(&mut b).unwrap();
    assert_eq!(a.get_heads().len(), 2);
    let period = RetentionPeriod::NORMAL;
    assert_eq!(
        verdict(&a, &[ha], false, period, NOW),
        Verdict::Keep(Keep::Unsynced)
    );
    assert_eq!(
        verdict(&a, &[hb], false, period, NOW),
        Verdict::Keep(Keep::Unsynced)
    );
    assert_eq!(verdict(&a, &[hb, ha], false, period, NOW), Verdict::Remove);
}

#[test]
fn the_period_is_counted_from_the_newest_change() {
    let mut doc = day(1);
    // Written late but stamped earlier (another device's clock): the
    // newest time counts, not the last change written.
    append(&mut doc, days_ago(10));
    append(&mut doc, days_ago(50));
    assert_eq!(newest_change_ms(&doc), days_ago(10));
    let heads = doc.get_heads();
    assert_eq!(
        verdict(&doc, &heads, false, RetentionPeriod::NORMAL, NOW),
        Verdict::Keep(Keep::Recent)
    );
    assert_eq!(
        verdict(&doc, &heads, false, RetentionPeriod::UNDER_PRESSURE, NOW),
        Verdict::Remove
    );
}

#[test]
fn the_period_is_a_sharp_boundary() {
    let mut doc = day(1);
    // Change times are whole seconds.
    let at = (days_ago(35) / 1000) * 1000;
    append(&mut doc, at + 999);
    assert_eq!(newest_change_ms(&doc), at);
    let heads = doc.get_heads();
    let exactly = at + 35 * DAY_MS;
    let normal = RetentionPeriod::NORMAL;
    assert_eq!(
        verdict(&doc, &heads, false, normal, exactly),
        Verdict::Keep(Keep::Recent)
    );
    assert_eq!(
        verdict(&doc, &heads, false, normal, exactly + 1),
        Verdict::Remove
    );
    let seven = at + 7 * DAY_MS;
    let pressure = RetentionPeriod::UNDER_PRESSURE;
    assert_eq!(
        verdict(&doc, &heads, false, pressure, seven),
        Verdict::Keep(Keep::Recent)
    );
    assert_eq!(
        verdict(&doc, &heads, false, pressure, seven + 1),
        Verdict::Remove
    );
}

#[test]
fn a_day_never_written_is_as_old_as_genesis() {
    let doc = day(1);
    assert_eq!(newest_change_ms(&doc), 0);
    let heads = doc.get_heads();
    assert_eq!(
        verdict(&doc, &heads, false, RetentionPeriod::NORMAL, NOW),
        Verdict::Remove
    );
}

#[test]
fn changes_stamped_in_the_future_are_recent() {
    let mut doc = day(1);
    append(&mut doc, NOW + 3 * DAY_MS);
    let heads = doc.get_heads();
    assert_eq!(
        verdict(&doc, &heads, false, RetentionPeriod::days(0), NOW),
        Verdict::Keep(Keep::Recent)
    );
}

#[test]
fn needed_documents_stay_however_old() {
    let mut doc = day(1);
    append(&mut doc, days_ago(300));
    let heads = doc.get_heads();
    assert_eq!(
        verdict(&doc, &heads, true, RetentionPeriod::UNDER_PRESSURE, NOW),
        Verdict::Keep(Keep::Needed)
    );
}

#[test]
fn site_documents_are_needed_without_any_index() {
    let key = key();
    let needed = needed(&key, "2026-05-28", |_| None);
    for id in site_documents(&key) {
        assert!(needed.contains(&id), "{id}");
    }
    for id in [
        roster::document_id(&key),
        settings::document_id(&key),
        templates::document_id(&key),
        show_flat::inventory_document_id(&key),
        shiftbook_model::handover::equipment_lists::document_id(&key),
        key_register::document_id(&key),
        followup::index_document_id(&key),
        complaint::index_document_id(&key),
        visitor_log::index_document_id(&key),
        pending::index_document_id(&key, &books::lobby().id),
        pending::index_document_id(&key, &books::show_flat().id),
    ] {
        assert!(needed.contains(&id), "{id}");
    }
    // The agenda's permit boards: this month and the next.
    assert!(needed.contains(&work_permit::document_id(&key, "2026-05")));
    assert!(needed.contains(&work_permit::document_id(&key, "2026-06")));
    // An old day nobody names is not needed.
    assert!(!needed.contains(&visitor_log::document_id(&key, "2026-03-02")));
    assert!(!needed.contains(&followup::document_id(&key, "2026-02")));
}

/// The open indexes of a site where, months ago, a visitor came in and
/// never left, a follow-up, a complaint and a pending item were opened and
/// never closed.
fn indexes_with_old_open_records(key: &SiteKey) -> BTreeMap<DocumentId, Automerge> {
    use shiftbook_model::complaint::{Channel, Kind, NewComplaint};
    use shiftbook_model::schedule::LocalDateTime;
    use shiftbook_model::visitor_log::{ApprovalMethod, Arrival, Category, IdType};
    let old = days_ago(90);
    let mut visitors = visitor_log::index_genesis("demo").unwrap();
    let mut visit_day = visitor_log::genesis("demo", "2026-02-27").unwrap();
    let arrival = Arrival {
        name: "访客".into(),
        category: Category::Guest,
        id_type: IdType::IdCard,
        id_last: "1234".into(),
        host: "业主".into(),
        unit: "3栋1201".into(),
        purpose: "探亲".into(),
        approval: ApprovalMethod::Intercom,
        time_in: "2026-02-27 10:00".into(),
        people: 1,
    };
    visitor_log::arrive(&mut visit_day, &mut visitors, "v1", &arrival, &by(old)).unwrap();

    let mut followups = followup::index_genesis("demo").unwrap();
    let mut board = followup::genesis("demo", "2026-01").unwrap();
    let t = shiftbook_model::template::lobby_opening();
    let source = followup::Source {
        round: DocumentId::derive(key, "checklist/3/lobby-opening/2026-01-15").to_string(),
        template: t.id.clone(),
        item: t.items[0].id.clone(),
        item_label: t.items[0].label.clone(),
        round_title: t.title.clone(),
        date: "2026-01-15".into(),
    };
    followup::open(
        &mut board,
        &mut followups,
        &source,
        followup::Department::Engineering,
        "灯不亮",
        &by(old),
    )
    .unwrap();

    let mut complaints = complaint::index_genesis("demo").unwrap();
    let mut complaint_board = complaint::genesis("demo", "2025-12").unwrap();
    let new = NewComplaint {
        id: "c1".into(),
        kind: Kind::Complaint,
        received: LocalDateTime::parse("2025-12-20 09:00").unwrap(),
        channel: Channel::Phone,
        owner: "王女士".into(),
        unit: "3栋1201".into(),
        contact: "138 0000 0000".into(),
        content: "楼上漏水".into(),
        serious: false,
        difficulty: None,
        post: "lobby".into(),
        related: None,
    };
    complaint::receive(&mut complaint_board, &mut complaints, &new, &by(old)).unwrap();

    let book = books::lobby().id;
    let mut pending_index = pending::index_genesis("demo", &book).unwrap();
    let mut pending_board = pending::genesis("demo", &book, "2026-02").unwrap();
    pending::open(
        &mut pending_board,
        &mut pending_index,
        "p1",
        "门禁读卡器失灵",
        "2026-02-10",
        None,
        &by(old),
    )
    .unwrap();

    BTreeMap::from([
        (visitor_log::index_document_id(key), visitors),
        (followup::index_document_id(key), followups),
        (complaint::index_document_id(key), complaints),
        (pending::index_document_id(key, &book), pending_index),
    ])
}

#[test]
fn boards_and_days_open_indexes_name_are_needed() {
    let key = key();
    let indexes = indexes_with_old_open_records(&key);
    let needed = needed(&key, "2026-05-28", |id| indexes.get(id));
    assert!(needed.contains(&visitor_log::document_id(&key, "2026-02-27")));
    assert!(needed.contains(&followup::document_id(&key, "2026-01")));
    assert!(needed.contains(&complaint::document_id(&key, "2025-12")));
    assert!(needed.contains(&pending::document_id(&key, &books::lobby().id, "2026-02")));
    // Today's and this month's are named too (the indexes always add them).
    assert!(needed.contains(&visitor_log::document_id(&key, "2026-05-28")));
    assert!(needed.contains(&followup::document_id(&key, "2026-05")));
    // Another book's months are not this one's.
    assert!(!needed.contains(&pending::document_id(
        &key,
        &books::show_flat().id,
        "2026-02"
    )));
    // Without the indexes held, nothing old is named.
    let bare = super::needed(&key, "2026-05-28", |_| None);
    assert!(!bare.contains(&visitor_log::document_id(&key, "2026-02-27")));
}

/// One step of three replicas' work: a change on a replica (its time,
/// days before now), a merge from one replica into another, or the server
/// receiving a replica's document as it is now.
#[cfg(not(target_arch = "wasm32"))]
#[derive(Debug, Clone)]
enum Step {
    Change(usize, i64),
    Merge(usize, usize),
    Upload(usize),
}

#[cfg(not(target_arch = "wasm32"))]
fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (0..3usize, 0..90i64).prop_map(|(r, d)| Step::Change(r, d)),
        1 => (0..3usize, 0..3usize).prop_map(|(a, b)| Step::Merge(a, b)),
        1 => (0..3usize).prop_map(Step::Upload),
    ]
}

#[cfg(not(target_arch = "wasm32"))]
proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Whatever three replicas did and whatever part of it the server
    /// saw: a document is removed only if the server holds every one of
    /// its changes and the newest is older than the period; and a
    /// document the server holds entirely, old enough, is removed.
    #[test]
    fn only_what_the_server_holds_is_ever_removed(
        steps in proptest::collection::vec(step(), 1..24),
        period in 0..60i64,
    ) {
        let mut replicas = [day(1), day(2), day(3)];
        let mut server = day(9);
        for s in &steps {
            match *s {
                Step::Change(r, d) => {
                    append(&mut replicas[r], days_ago(d));
                }
                Step::Merge(a, b) if a != b => {
                    let mut from = replicas[b].clone();
                    replicas[a].merge(&mut from).unwrap();
                }
                Step::Merge(..) => {}
                Step::Upload(r) => {
                    let mut from = replicas[r].clone();
                    server.merge(&mut from).unwrap();
                }
            }
        }
        let period = RetentionPeriod::days(period);
        for doc in &replicas {
            // What the sync protocol confirms: the server's heads this
            // replica also holds (the shared heads).
            let shared: Vec<ChangeHash> = server
                .get_heads()
                .into_iter()
                .filter(|h| automerge::ReadDoc::get_change_by_hash(doc, h).is_some())
                .collect();
            let on_server = doc
                .get_changes_meta(&[])
                .iter()
                .all(|c| automerge::ReadDoc::get_change_by_hash(&server, &c.hash).is_some());
            let old = NOW - newest_change_ms(doc) > period.ms();
            let v = verdict(doc, &shared, false, period, NOW);
            if v == Verdict::Remove {
                prop_assert!(on_server, "removed a document the server lacks");
                prop_assert!(old);
            }
            // The server's heads all held here: exactly the server's
            // document, so removable once old.
            let same = on_server && shared.len() == server.get_heads().len();
            if same && old {
                prop_assert_eq!(v, Verdict::Remove);
            }
            // A foreign head in the list (the server is ahead): kept.
            let all = server.get_heads();
            if all.len() != shared.len() {
                prop_assert_eq!(
                    verdict(doc, &all, false, period, NOW),
                    Verdict::Keep(Keep::Unsynced)
                );
            }
        }
    }
}
