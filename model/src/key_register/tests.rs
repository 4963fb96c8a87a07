//! Key register tests: registration, hand-overs confirmed by both parties,
//! losses escalated until a lock change, withdrawals, refusals that change
//! nothing, concurrent events on two and three replicas, and a property
//! test over three replicas.

use super::*;
use crate::test_support::{actor, leader, merge_everywhere, merged_all, staff, supervisor, sync};
use proptest::prelude::*;

const LOCK_A: &str = "lock-a";
const LOCK_B: &str = "lock-b";

/// The person holder of `staff(n, _)`.
fn holder(n: u8) -> Holder {
    Holder::person(&format!("id{n}"), &format!("p{n}"))
}

fn security_post() -> Holder {
    Holder::post("post-005", "安管部005岗")
}

fn new_key(id: &str, lock: &str, first: Holder) -> NewKey {
    NewKey {
        id: id.into(),
        label: format!("A户型 入户门 {id}"),
        flat: Some("flat-a".into()),
        lock: lock.into(),
        holder: first,
    }
}

/// A register with keys k1, k2 (lock A, held by p1 and p2) and k3 (lock B,
/// held by p3); the same changes every time it is built.
fn base() -> Automerge {
    let mut doc = genesis("demo").unwrap();
    doc.set_actor(actor(100));
    for (key, lock, n) in [("k1", LOCK_A, 1), ("k2", LOCK_A, 2), ("k3", LOCK_B, 3)] {
        register(&mut doc, &new_key(key, lock, holder(n)), &supervisor(1_000)).unwrap();
    }
    doc
}

fn replica(of: &Automerge, n: u8) -> Automerge {
    of.fork().with_actor(actor(n))
}

fn key(doc: &Automerge, id: &str) -> Key {
    KeyRegister::new(doc).unwrap().key(id).unwrap().unwrap()
}

fn refusal(e: ModelError) -> Refusal {
    match e {
        ModelError::KeyRegister(r) => r,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn kinds(k: &Key) -> Vec<EventKind> {
    k.history.iter().map(|e| e.event.kind).collect()
}

fn claim_holders(claims: &[Claim]) -> Vec<String> {
    claims.iter().map(|c| c.holder().id.clone()).collect()
}

fn last_summary(doc: &Automerge) -> (String, String) {
    let last = crate::attribution::history(doc).pop().unwrap();
    (last.summary, last.attribution.unwrap().person)
}

#[test]
fn stored_words_and_purpose() {
    assert_eq!(EventKind::HandedOver.as_str(), "handed_over");
    assert_eq!(EventKind::LockChanged.as_str(), "lock_changed");
    assert_eq!(HolderKind::Post.as_str(), "post");
    let site = crate::SiteKey::from_random([9; 32]);
    assert_eq!(document_id(&site), crate::DocumentId::derive(&site, "keys"));
    let (a, b) = (genesis("demo").unwrap(), genesis("demo").unwrap());
    assert_eq!(a.get_heads(), b.get_heads(), "genesis is deterministic");
    let view = KeyRegister::new(&a).unwrap();
    assert_eq!(view.site().unwrap(), "demo");
    assert!(view.keys().unwrap().is_empty());
    let other = crate::followup::index_genesis("demo").unwrap();
    assert!(matches!(
        KeyRegister::new(&other),
        Err(ModelError::WrongSchema(_))
    ));
}

#[test]
fn register_hand_over_confirm_round_trip_is_attributed() {
    let mut doc = base();
    let k = key(&doc, "k1");
    assert_eq!(
        (k.label.as_str(), k.flat.as_deref(), k.lock.as_str()),
        ("A户型 入户门 k1", Some("flat-a"), LOCK_A)
    );
    assert!(
        matches!(&k.state, KeyState::InUse(Claim::Held { holder: h, .. }) if h.same(&holder(1)))
    );
    assert_eq!(
        last_summary(&doc),
        ("key registered k3".into(), "p9".into())
    );

    hand_over(
        &mut doc,
        "k1",
        "h1",
        &holder(1),
        &holder(4),
        &staff(1, 2_000),
    )
    .unwrap();
    assert_eq!(
        last_summary(&doc),
        ("key handed_over k1".into(), "p1".into())
    );
    let k = key(&doc, "k1");
    match &k.state {
        KeyState::InUse(Claim::Awaiting {
            from,
            to,
            hand_over,
            ..
        }) => {
            assert!(from.same(&holder(1)) && to.same(&holder(4)));
            assert_eq!(hand_over, "h1");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(k.holders(), vec![&holder(4)], "the receiver has it");

    confirm(&mut doc, "k1", "h1", &staff(4, 3_000)).unwrap();
    assert_eq!(last_summary(&doc), ("key confirmed k1".into(), "p4".into()));
    let k = key(&doc, "k1");
    assert!(
        matches!(&k.state, KeyState::InUse(Claim::Held { holder: h, .. }) if h.same(&holder(4)))
    );
    assert_eq!(
        kinds(&k),
        vec![
            EventKind::Registered,
            EventKind::HandedOver,
            EventKind::Confirmed
        ]
    );
    assert_eq!(k.history[2].event.by.person_id, "id4");
    assert_eq!(k.history[2].event.by.at_ms, 3_000);
    note(&mut doc, "k1", "  钥匙扣松了  ", &staff(4, 4_000)).unwrap();
    let k = key(&doc, "k1");
    assert_eq!(k.history.last().unwrap().event.text, "钥匙扣松了");
    assert!(
        matches!(k.state, KeyState::InUse(Claim::Held { .. })),
        "a note changes nothing"
    );

    let register = KeyRegister::new(&doc).unwrap();
    let held: Vec<String> = register
        .held_by(&holder(4))
        .unwrap()
        .into_iter()
        .map(|k| k.id)
        .collect();
    assert_eq!(held, vec!["k1"]);
    assert!(register.held_by(&holder(1)).unwrap().is_empty());
    assert!(register.alerts(1_000_000, 0).unwrap().is_empty());
}

#[test]
fn both_parties_at_one_tablet_write_one_change() {
    let mut doc = base();
    let before = doc.get_changes(&[]).len();
    hand_over_confirmed(
        &mut doc,
        "k1",
        "h1",
        &holder(1),
        &holder(4),
        &staff(1, 2_000),
        &staff(4, 2_000),
    )
    .unwrap();
    assert_eq!(doc.get_changes(&[]).len(), before + 1, "one change");
    assert_eq!(last_summary(&doc), ("key confirmed k1".into(), "p1".into()));
    let k = key(&doc, "k1");
    assert!(
        matches!(&k.state, KeyState::InUse(Claim::Held { holder: h, .. }) if h.same(&holder(4)))
    );
    let confirmed = &k.history[2];
    assert_eq!(
        confirmed.event.by.person_id, "id4",
        "the receiver's signature"
    );
    assert_eq!(confirmed.event.after, vec![k.history[1].id.clone()]);

    // The receiver must be the person receiving.
    let heads = doc.get_heads();
    let err = hand_over_confirmed(
        &mut doc,
        "k1",
        "h2",
        &holder(4),
        &holder(5),
        &staff(4, 3_000),
        &staff(6, 3_000),
    )
    .unwrap_err();
    assert_eq!(refusal(err), Refusal::NotReceiver("p6".into(), "p5".into()));
    assert_eq!(doc.get_heads(), heads);
}

#[test]
fn closing_hands_the_key_to_the_security_post_confirmed_by_the_guard() {
    let mut doc = base();
    hand_over(
        &mut doc,
        "k1",
        "h1",
        &holder(1),
        &security_post(),
        &staff(1, 2_000),
    )
    .unwrap();
    let heads = doc.get_heads();
    assert_eq!(
        refusal(confirm(&mut doc, "k1", "h1", &staff(1, 3_000)).unwrap_err()),
        Refusal::NotReceiver("p1".into(), "安管部005岗".into()),
        "the giver cannot confirm for the post"
    );
    assert_eq!(doc.get_heads(), heads);
    confirm(&mut doc, "k1", "h1", &staff(5, 3_000)).unwrap();
    let register = KeyRegister::new(&doc).unwrap();
    assert_eq!(register.held_by(&security_post()).unwrap().len(), 1);
    // In the morning, the guard on duty hands it back from the post.
    hand_over(
        &mut doc,
        "k1",
        "h2",
        &security_post(),
        &holder(1),
        &staff(6, 9_000),
    )
    .unwrap();
    assert_eq!(
        refusal(confirm(&mut doc, "k1", "h2", &staff(6, 9_500)).unwrap_err()),
        Refusal::NotReceiver("p6".into(), "p1".into())
    );
    confirm(&mut doc, "k1", "h2", &staff(1, 10_000)).unwrap();
    assert!(
        matches!(&key(&doc, "k1").state, KeyState::InUse(Claim::Held { holder: h, .. }) if h.same(&holder(1)))
    );
}

#[test]
fn hand_overs_are_by_the_holder_or_a_leader_on_their_behalf() {
    let mut doc = base();
    let heads = doc.get_heads();
    assert_eq!(
        refusal(
            hand_over(
                &mut doc,
                "k1",
                "h1",
                &holder(1),
                &holder(4),
                &staff(2, 2_000)
            )
            .unwrap_err()
        ),
        Refusal::NotGiver("k1".into())
    );
    assert_eq!(
        refusal(
            hand_over(
                &mut doc,
                "k1",
                "h1",
                &holder(2),
                &holder(4),
                &staff(2, 2_000)
            )
            .unwrap_err()
        ),
        Refusal::NotHolder("p2".into(), "k1".into())
    );
    assert_eq!(doc.get_heads(), heads);
    hand_over(
        &mut doc,
        "k1",
        "h1",
        &holder(1),
        &holder(4),
        &leader(7, 2_000),
    )
    .unwrap();
    // The receiver may pass it on before confirming; the old hand-over is
    // then no longer awaiting.
    hand_over(
        &mut doc,
        "k1",
        "h2",
        &holder(4),
        &holder(5),
        &staff(4, 3_000),
    )
    .unwrap();
    assert_eq!(
        refusal(confirm(&mut doc, "k1", "h1", &staff(4, 4_000)).unwrap_err()),
        Refusal::NotAwaiting("h1".into())
    );
    assert_eq!(
        refusal(confirm(&mut doc, "k1", "h9", &staff(4, 4_000)).unwrap_err()),
        Refusal::UnknownHandOver("h9".into())
    );
    confirm(&mut doc, "k1", "h2", &staff(5, 4_000)).unwrap();
    assert_eq!(
        refusal(confirm(&mut doc, "k1", "h2", &staff(5, 5_000)).unwrap_err()),
        Refusal::NotAwaiting("h2".into()),
        "already confirmed"
    );
}

#[test]
fn concurrent_hand_overs_are_disputed_until_an_event_settles_them() {
    let base = base();
    let (mut a, mut b) = (replica(&base, 1), replica(&base, 2));
    // p1 hands k1 to p4 at one tablet; a leader, believing p1 still holds
    // it, hands it to p5 at another.
    hand_over(
        &mut a,
        "k1",
        "h-a",
        &holder(1),
        &holder(4),
        &staff(1, 2_000),
    )
    .unwrap();
    hand_over(
        &mut b,
        "k1",
        "h-b",
        &holder(1),
        &holder(5),
        &leader(7, 2_100),
    )
    .unwrap();
    let (ab, ba) = (merged_all(&[&a, &b]), merged_all(&[&b, &a]));
    assert_eq!(ab.get_heads(), ba.get_heads());
    let k = key(&ab, "k1");
    assert_eq!(k, key(&ba, "k1"));
    let KeyState::Disputed(claims) = &k.state else {
        panic!("{:?}", k.state)
    };
    let mut who = claim_holders(claims);
    who.sort();
    assert_eq!(who, vec!["id4", "id5"]);
    assert_eq!(k.holders().len(), 2);
    let register = KeyRegister::new(&ab).unwrap();
    assert_eq!(register.held_by(&holder(4)).unwrap().len(), 1);
    assert_eq!(register.held_by(&holder(5)).unwrap().len(), 1);
    assert!(matches!(
        register.alerts(2_200, 60_000).unwrap().as_slice(),
        [Alert::Disputed { key, .. }] if key == "k1"
    ));

    // p4 confirms having seen the dispute: settled, both hand-overs kept.
    let mut settled = ab.clone();
    confirm(&mut settled, "k1", "h-a", &staff(4, 3_000)).unwrap();
    let k = key(&settled, "k1");
    assert!(
        matches!(&k.state, KeyState::InUse(Claim::Held { holder: h, .. }) if h.same(&holder(4)))
    );
    assert_eq!(k.history.len(), 4);
    assert!(
        KeyRegister::new(&settled)
            .unwrap()
            .alerts(3_100, 60_000)
            .unwrap()
            .is_empty()
    );

    // Or a leader records where it really is.
    let mut by_leader = ab.clone();
    found(
        &mut by_leader,
        "k1",
        &holder(5),
        "在p5处",
        &leader(7, 3_000),
    )
    .unwrap();
    assert!(
        matches!(&key(&by_leader, "k1").state, KeyState::InUse(Claim::Held { holder: h, .. }) if h.same(&holder(5)))
    );
}

#[test]
fn concurrent_confirmations_of_one_hand_over_agree() {
    let mut base = base();
    hand_over(
        &mut base,
        "k1",
        "h1",
        &holder(1),
        &holder(4),
        &staff(1, 2_000),
    )
    .unwrap();
    let (mut a, mut b) = (replica(&base, 1), replica(&base, 2));
    confirm(&mut a, "k1", "h1", &staff(4, 3_000)).unwrap();
    confirm(&mut b, "k1", "h1", &staff(4, 3_001)).unwrap();
    let k = key(&merged_all(&[&a, &b]), "k1");
    assert!(
        matches!(&k.state, KeyState::InUse(Claim::Held { holder: h, .. }) if h.same(&holder(4)))
    );
    assert_eq!(k.history.len(), 4, "both confirmations are kept");
}

#[test]
fn lost_concurrent_with_a_hand_over_is_lost_and_keeps_the_hand_over() {
    let base = base();
    let (mut a, mut b) = (replica(&base, 1), replica(&base, 2));
    hand_over(&mut a, "k1", "h1", &holder(1), &holder(4), &staff(1, 2_000)).unwrap();
    report_lost(&mut b, "k1", "找不到了", &staff(1, 2_100)).unwrap();
    assert_eq!(last_summary(&b), ("key lost k1".into(), "p1".into()));
    for doc in [merged_all(&[&a, &b]), merged_all(&[&b, &a])] {
        let k = key(&doc, "k1");
        let KeyState::Lost { reports } = &k.state else {
            panic!("{:?}", k.state)
        };
        assert_eq!(reports.len(), 1);
        assert_eq!(reports[0].event.text, "找不到了");
        assert_eq!(reports[0].event.holder.as_ref(), Some(&holder(1)));
        assert!(kinds(&k).contains(&EventKind::HandedOver));
        assert!(k.holders().is_empty());
        let alerts = KeyRegister::new(&doc).unwrap().alerts(10_000, 1).unwrap();
        assert!(matches!(alerts.as_slice(), [Alert::Lost { key, .. }] if key == "k1"));
        // A lost key is not handed over, confirmed or withdrawn as damaged.
        let mut doc = doc;
        let heads = doc.get_heads();
        assert_eq!(
            refusal(confirm(&mut doc, "k1", "h1", &staff(4, 3_000)).unwrap_err()),
            Refusal::KeyLost("k1".into())
        );
        assert_eq!(
            refusal(
                hand_over(
                    &mut doc,
                    "k1",
                    "h2",
                    &holder(4),
                    &holder(5),
                    &leader(7, 3_000)
                )
                .unwrap_err()
            ),
            Refusal::KeyLost("k1".into())
        );
        assert_eq!(
            refusal(withdraw(&mut doc, "k1", "坏了", &supervisor(3_000)).unwrap_err()),
            Refusal::KeyLost("k1".into())
        );
        assert_eq!(
            refusal(report_lost(&mut doc, "k1", "", &staff(2, 3_000)).unwrap_err()),
            Refusal::KeyLost("k1".into())
        );
        assert_eq!(doc.get_heads(), heads);
    }
}

#[test]
fn a_lock_change_withdraws_every_key_of_the_lock_and_clears_the_escalation() {
    let mut doc = base();
    report_lost(&mut doc, "k1", "", &staff(1, 2_000)).unwrap();
    assert_eq!(
        KeyRegister::new(&doc)
            .unwrap()
            .alerts(3_000, 0)
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        refusal(change_lock(&mut doc, LOCK_A, "", &staff(2, 3_000)).unwrap_err()),
        Refusal::RoleNotAllowed {
            role: Role::Staff,
            kind: EventKind::LockChanged
        }
    );
    assert_eq!(
        refusal(change_lock(&mut doc, "lock-z", "", &supervisor(3_000)).unwrap_err()),
        Refusal::UnknownLock("lock-z".into())
    );
    change_lock(&mut doc, LOCK_A, "工程部换锁芯", &supervisor(3_000)).unwrap();
    assert_eq!(
        last_summary(&doc),
        ("key lock_changed lock-a".into(), "p9".into())
    );
    let view = KeyRegister::new(&doc).unwrap();
    for id in ["k1", "k2"] {
        let k = view.key(id).unwrap().unwrap();
        assert!(
            matches!(&k.state, KeyState::Withdrawn { by } if by[0].event.kind == EventKind::LockChanged)
        );
        assert_eq!(k.history.last().unwrap().event.text, "工程部换锁芯");
    }
    assert!(matches!(
        view.key("k3").unwrap().unwrap().state,
        KeyState::InUse(_)
    ));
    assert!(view.alerts(4_000, 0).unwrap().is_empty());
    assert!(view.held_by(&holder(2)).unwrap().is_empty());

    let heads = doc.get_heads();
    assert_eq!(
        refusal(
            hand_over(
                &mut doc,
                "k2",
                "h1",
                &holder(2),
                &holder(4),
                &staff(2, 5_000)
            )
            .unwrap_err()
        ),
        Refusal::KeyWithdrawn("k2".into())
    );
    assert_eq!(
        refusal(report_lost(&mut doc, "k2", "", &staff(2, 5_000)).unwrap_err()),
        Refusal::KeyWithdrawn("k2".into())
    );
    assert_eq!(
        refusal(register_again(&mut doc, "k1")),
        Refusal::AlreadyRegistered("k1".into()),
        "ids are never reused"
    );
    assert_eq!(doc.get_heads(), heads);
    note(&mut doc, "k2", "旧钥匙已交回", &staff(2, 5_000)).unwrap();
    register(
        &mut doc,
        &new_key("k1b", LOCK_A, holder(1)),
        &supervisor(6_000),
    )
    .unwrap();
    assert!(matches!(key(&doc, "k1b").state, KeyState::InUse(_)));
}

fn register_again(doc: &mut Automerge, id: &str) -> ModelError {
    register(doc, &new_key(id, LOCK_A, holder(1)), &supervisor(5_000)).unwrap_err()
}

#[test]
fn lost_concurrent_with_a_lock_change_is_withdrawn_and_with_a_withdrawal_is_lost() {
    let base = base();
    let (mut a, mut b) = (replica(&base, 1), replica(&base, 2));
    report_lost(&mut a, "k1", "", &staff(1, 2_000)).unwrap();
    change_lock(&mut b, LOCK_A, "", &supervisor(2_000)).unwrap();
    let doc = merged_all(&[&a, &b]);
    let k = key(&doc, "k1");
    assert!(matches!(k.state, KeyState::Withdrawn { .. }));
    assert!(kinds(&k).contains(&EventKind::Lost));
    assert!(
        KeyRegister::new(&doc)
            .unwrap()
            .alerts(3_000, 0)
            .unwrap()
            .is_empty()
    );

    let (mut a, mut b) = (replica(&base, 1), replica(&base, 2));
    report_lost(&mut a, "k1", "", &staff(1, 2_000)).unwrap();
    withdraw(&mut b, "k1", "钥匙断了", &supervisor(2_000)).unwrap();
    let doc = merged_all(&[&b, &a]);
    assert!(
        matches!(key(&doc, "k1").state, KeyState::Lost { .. }),
        "a loss is never hidden"
    );
}

#[test]
fn a_key_registered_concurrently_with_a_lock_change_stays_in_use() {
    let base = base();
    let (mut a, mut b) = (replica(&base, 1), replica(&base, 2));
    change_lock(&mut a, LOCK_A, "", &supervisor(2_000)).unwrap();
    register(&mut b, &new_key("k4", LOCK_A, holder(4)), &leader(7, 2_000)).unwrap();
    let doc = merged_all(&[&a, &b]);
    assert!(matches!(key(&doc, "k4").state, KeyState::InUse(_)));
    assert!(matches!(key(&doc, "k2").state, KeyState::Withdrawn { .. }));
}

#[test]
fn found_ends_a_loss_and_is_for_leaders_and_supervisors() {
    let mut doc = base();
    let heads = doc.get_heads();
    assert_eq!(
        refusal(found(&mut doc, "k1", &holder(1), "", &leader(7, 2_000)).unwrap_err()),
        Refusal::NotLostOrDisputed("k1".into())
    );
    report_lost(&mut doc, "k1", "", &staff(1, 2_000)).unwrap();
    let heads_lost = doc.get_heads();
    assert_ne!(heads, heads_lost);
    assert_eq!(
        refusal(found(&mut doc, "k1", &holder(1), "", &staff(1, 3_000)).unwrap_err()),
        Refusal::RoleNotAllowed {
            role: Role::Staff,
            kind: EventKind::Found
        }
    );
    assert_eq!(doc.get_heads(), heads_lost);
    found(&mut doc, "k1", &holder(1), "在前台抽屉", &leader(7, 3_000)).unwrap();
    let k = key(&doc, "k1");
    assert!(
        matches!(&k.state, KeyState::InUse(Claim::Held { holder: h, .. }) if h.same(&holder(1)))
    );
    assert!(
        KeyRegister::new(&doc)
            .unwrap()
            .alerts(4_000, 0)
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        kinds(&k),
        vec![EventKind::Registered, EventKind::Lost, EventKind::Found]
    );
}

#[test]
fn found_concurrent_with_a_second_loss_report_stays_lost() {
    let mut base = base();
    report_lost(&mut base, "k1", "", &staff(1, 2_000)).unwrap();
    let mut a = replica(&base, 1);
    found(&mut a, "k1", &holder(1), "", &leader(7, 3_000)).unwrap();
    // A tablet that never saw the first report reports the key lost again.
    let mut b = replica(&self::base(), 2);
    report_lost(&mut b, "k1", "", &staff(2, 3_000)).unwrap();
    let doc = merged_all(&[&a, &b, &base]);
    assert!(matches!(key(&doc, "k1").state, KeyState::Lost { .. }));
}

#[test]
fn unconfirmed_hand_overs_alert_after_the_given_time() {
    let mut doc = base();
    hand_over(
        &mut doc,
        "k1",
        "h1",
        &holder(1),
        &holder(4),
        &staff(1, 10_000),
    )
    .unwrap();
    let register = KeyRegister::new(&doc).unwrap();
    assert!(
        register
            .alerts(10_000 + 600_000, 600_000)
            .unwrap()
            .is_empty()
    );
    match register
        .alerts(10_001 + 600_000, 600_000)
        .unwrap()
        .as_slice()
    {
        [
            Alert::Unconfirmed {
                key,
                claim,
                waiting_ms,
                ..
            },
        ] => {
            assert_eq!(key, "k1");
            assert_eq!(*waiting_ms, 600_001);
            assert!(claim.holder().same(&holder(4)));
        }
        other => panic!("{other:?}"),
    }
    // Lost first, then disputed, then unconfirmed.
    report_lost(&mut doc, "k3", "", &staff(3, 11_000)).unwrap();
    let alerts = KeyRegister::new(&doc)
        .unwrap()
        .alerts(1_000_000, 0)
        .unwrap();
    assert!(matches!(
        alerts.as_slice(),
        [Alert::Lost { .. }, Alert::Unconfirmed { .. }]
    ));
}

#[test]
fn three_replicas_dispute_settle_and_converge() {
    let base = base();
    let mut rs = [replica(&base, 1), replica(&base, 2), replica(&base, 3)];
    hand_over(
        &mut rs[0],
        "k1",
        "h1",
        &holder(1),
        &holder(4),
        &staff(1, 2_000),
    )
    .unwrap();
    hand_over(
        &mut rs[1],
        "k1",
        "h2",
        &holder(1),
        &holder(5),
        &leader(7, 2_000),
    )
    .unwrap();
    hand_over(
        &mut rs[2],
        "k1",
        "h3",
        &holder(1),
        &holder(6),
        &supervisor(2_000),
    )
    .unwrap();
    let all = merged_all(&[&rs[0], &rs[1], &rs[2]]);
    let KeyState::Disputed(claims) = key(&all, "k1").state else {
        panic!()
    };
    assert_eq!(claims.len(), 3);

    // Replica 0 sees replica 1's hand-over and settles those two; replica
    // 2's is still unseen there, so after a full merge the key is disputed
    // between the settled holder and replica 2's receiver.
    let mut zero = merged_all(&[&rs[0], &rs[1]]);
    confirm(&mut zero, "k1", "h2", &staff(5, 3_000)).unwrap();
    rs[0] = zero;
    let docs: Vec<Automerge> = (0..3)
        .map(|i| merged_all(&[&rs[i], &rs[(i + 1) % 3], &rs[(i + 2) % 3]]))
        .collect();
    for d in &docs[1..] {
        assert_eq!(d.get_heads(), docs[0].get_heads());
        assert_eq!(
            KeyRegister::new(d).unwrap().keys().unwrap(),
            KeyRegister::new(&docs[0]).unwrap().keys().unwrap()
        );
    }
    let k = key(&docs[0], "k1");
    let KeyState::Disputed(claims) = &k.state else {
        panic!("{:?}", k.state)
    };
    let mut who = claim_holders(claims);
    who.sort();
    assert_eq!(who, vec!["id5", "id6"]);
    assert_eq!(k.history.len(), 5, "every hand-over and the confirmation");

    // p6 hands it to p5 having seen everything: settled.
    let mut last = docs[0].clone();
    hand_over(
        &mut last,
        "k1",
        "h4",
        &holder(6),
        &holder(5),
        &staff(6, 4_000),
    )
    .unwrap();
    assert!(
        matches!(&key(&last, "k1").state, KeyState::InUse(Claim::Awaiting { hand_over, .. }) if hand_over == "h4")
    );
}

#[test]
fn bad_input_is_refused_and_nothing_changes() {
    let mut doc = base();
    hand_over(
        &mut doc,
        "k3",
        "h1",
        &holder(3),
        &holder(4),
        &staff(3, 2_000),
    )
    .unwrap();
    withdraw(&mut doc, "k2", "钥匙变形", &supervisor(2_000)).unwrap();
    let heads = doc.get_heads();
    let sup = supervisor(3_000);
    let long = "长".repeat(MAX_TEXT_CHARS + 1);
    let with = |f: &dyn Fn(&mut NewKey)| {
        let mut k = new_key("k9", LOCK_A, holder(1));
        f(&mut k);
        refusal(register(&mut doc.clone(), &k, &sup).unwrap_err())
    };
    assert!(matches!(
        with(&|k| k.id = "k 9".into()),
        Refusal::BadId { what: "key id", .. }
    ));
    assert!(matches!(
        with(&|k| k.lock = String::new()),
        Refusal::BadId {
            what: "lock id",
            ..
        }
    ));
    assert!(matches!(
        with(&|k| k.flat = Some("a/b".into())),
        Refusal::BadId {
            what: "flat id",
            ..
        }
    ));
    assert_eq!(with(&|k| k.label = "   ".into()), Refusal::BadLabel);
    assert_eq!(
        with(&|k| k.label = "x".repeat(MAX_LABEL_CHARS + 1)),
        Refusal::BadLabel
    );
    assert!(matches!(
        with(&|k| k.holder.name = " ".into()),
        Refusal::BadHolder(_)
    ));
    assert!(matches!(
        with(&|k| k.holder.id = " id1".into()),
        Refusal::BadHolder(_)
    ));
    assert_eq!(
        refusal(
            register(
                &mut doc,
                &new_key("k9", LOCK_A, holder(1)),
                &staff(1, 3_000)
            )
            .unwrap_err()
        ),
        Refusal::RoleNotAllowed {
            role: Role::Staff,
            kind: EventKind::Registered
        }
    );
    assert_eq!(
        refusal(register(&mut doc, &new_key("k1", LOCK_A, holder(1)), &sup).unwrap_err()),
        Refusal::AlreadyRegistered("k1".into())
    );
    assert_eq!(
        refusal(hand_over(&mut doc, "k0", "h2", &holder(1), &holder(4), &sup).unwrap_err()),
        Refusal::UnknownKey("k0".into())
    );
    assert_eq!(
        refusal(hand_over(&mut doc, "k1", "h 2", &holder(1), &holder(4), &sup).unwrap_err()),
        Refusal::BadId {
            what: "hand-over id",
            id: "h 2".into()
        }
    );
    assert_eq!(
        refusal(hand_over(&mut doc, "k1", "h1", &holder(1), &holder(4), &sup).unwrap_err()),
        Refusal::DuplicateHandOver("h1".into())
    );
    assert_eq!(
        refusal(hand_over(&mut doc, "k1", "h2", &holder(1), &holder(1), &sup).unwrap_err()),
        Refusal::SameHolder
    );
    assert_eq!(
        refusal(hand_over(&mut doc, "k2", "h2", &holder(2), &holder(4), &sup).unwrap_err()),
        Refusal::KeyWithdrawn("k2".into())
    );
    assert_eq!(
        refusal(withdraw(&mut doc, "k2", "again", &sup).unwrap_err()),
        Refusal::KeyWithdrawn("k2".into())
    );
    assert_eq!(
        refusal(withdraw(&mut doc, "k1", " ", &sup).unwrap_err()),
        Refusal::BadText("a withdrawal")
    );
    assert_eq!(
        refusal(withdraw(&mut doc, "k1", "坏了", &staff(1, 3_000)).unwrap_err()),
        Refusal::RoleNotAllowed {
            role: Role::Staff,
            kind: EventKind::Withdrawn
        }
    );
    assert_eq!(
        refusal(confirm(&mut doc, "k3", "h1", &staff(5, 3_000)).unwrap_err()),
        Refusal::NotReceiver("p5".into(), "p4".into())
    );
    assert_eq!(
        refusal(note(&mut doc, "k1", "", &sup).unwrap_err()),
        Refusal::BadText("a note")
    );
    assert_eq!(
        refusal(note(&mut doc, "k1", &long, &sup).unwrap_err()),
        Refusal::BadText("a note")
    );
    assert_eq!(
        refusal(report_lost(&mut doc, "k1", &long, &sup).unwrap_err()),
        Refusal::TextTooLong
    );
    assert_eq!(
        refusal(change_lock(&mut doc, LOCK_A, &long, &sup).unwrap_err()),
        Refusal::TextTooLong
    );
    assert_eq!(
        refusal(note(&mut doc, "nope", "x", &sup).unwrap_err()),
        Refusal::UnknownKey("nope".into())
    );
    assert_eq!(doc.get_heads(), heads);
}

// ──────────────────────────── properties ────────────────────────────

/// One random step: on which replica, what (weighted towards hand-overs
/// and confirmations, away from the final withdrawals), which key, which
/// person, and which replica to merge from afterwards.
type Step = (usize, u8, usize, u8, Option<usize>);

fn step() -> impl Strategy<Value = Step> {
    (
        0..3usize,
        0..16u8,
        0..3usize,
        1..6u8,
        proptest::option::of(0..3usize),
    )
}

/// Everything a step wrote: hand-over ids, notes and loss reports.
#[derive(Default)]
struct Made {
    hand_overs: Vec<String>,
    notes: Vec<String>,
    lost: usize,
    events: usize,
}

/// Run one step on `doc`; refusals are allowed (the replica's view may
/// not permit it), other errors are not.
fn run(doc: &mut Automerge, (_, action, k, p, _): Step, n: usize, made: &mut Made) {
    let ids = ["k1", "k2", "k3"];
    let id = ids[k];
    let current = key(doc, id);
    let first_holder = current.holders().first().map(|h| (*h).clone());
    let awaiting = current.claims().iter().find_map(|c| match c {
        Claim::Awaiting { to, hand_over, .. } => Some((to.clone(), hand_over.clone())),
        Claim::Held { .. } => None,
    });
    let hid = format!("h{n}");
    let result = match action {
        0..=4 => match first_holder {
            Some(from) => hand_over(doc, id, &hid, &from, &holder(p), &leader(7, n as i64))
                .map(|_| made.hand_overs.push(hid.clone())),
            None => return,
        },
        5..=7 => match awaiting {
            Some((to, h)) => {
                let n_of = to.id.trim_start_matches("id").parse::<u8>().unwrap_or(0);
                confirm(doc, id, &h, &staff(n_of, n as i64)).map(|_| ())
            }
            None => return,
        },
        8 | 9 => match first_holder {
            Some(from) if from.id != format!("id{p}") => {
                let giver = staff(
                    from.id.trim_start_matches("id").parse().unwrap_or(0),
                    n as i64,
                );
                hand_over_confirmed(
                    doc,
                    id,
                    &hid,
                    &from,
                    &holder(p),
                    &giver,
                    &staff(p, n as i64),
                )
                .map(|_| {
                    made.hand_overs.push(hid.clone());
                    made.events += 1;
                })
            }
            _ => return,
        },
        10 | 11 => report_lost(doc, id, "", &staff(p, n as i64)).map(|_| made.lost += 1),
        12 => found(doc, id, &holder(p), "", &leader(7, n as i64)).map(|_| ()),
        13 => withdraw(doc, id, "damaged", &supervisor(n as i64)).map(|_| ()),
        14 => change_lock(doc, &current.lock, "", &supervisor(n as i64)).map(|_| ()),
        _ => {
            let text = format!("note {n}");
            note(doc, id, &text, &staff(p, n as i64)).map(|_| made.notes.push(text))
        }
    };
    match result {
        Ok(()) => made.events += 1,
        Err(ModelError::KeyRegister(_)) => {}
        Err(e) => panic!("{e:?}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    /// Random hand-overs, confirmations, losses, finds, withdrawals, lock
    /// changes and notes on three replicas with random partial merges:
    /// after a full merge every replica shows the same register, every
    /// event written is there exactly once (every hand-over and note in
    /// its key's history), and every dispute lists claims that differ.
    #[test]
    fn three_replicas_converge_and_lose_nothing(steps in proptest::collection::vec(step(), 1..40)) {
        let base = base();
        let registered = KeyRegister::new(&base).unwrap().entries().unwrap().len();
        let mut rs = [replica(&base, 1), replica(&base, 2), replica(&base, 3)];
        let mut made = Made::default();
        for (n, s) in steps.iter().enumerate() {
            run(&mut rs[s.0], *s, n + 10, &mut made);
            if let Some(from) = s.4 {
                sync(&mut rs, s.0, from);
            }
        }
        merge_everywhere(&mut rs);
        let view = KeyRegister::new(&rs[0]).unwrap().keys().unwrap();
        let alerts = KeyRegister::new(&rs[0]).unwrap().alerts(1_000_000, 1).unwrap();
        for r in &rs[1..] {
            prop_assert_eq!(r.get_heads(), rs[0].get_heads());
            prop_assert_eq!(&KeyRegister::new(r).unwrap().keys().unwrap(), &view);
            prop_assert_eq!(&KeyRegister::new(r).unwrap().alerts(1_000_000, 1).unwrap(), &alerts);
        }
        let entries = KeyRegister::new(&rs[0]).unwrap().entries().unwrap();
        prop_assert_eq!(entries.len(), registered + made.events);
        let ids: BTreeSet<&str> = entries.iter().map(|e| e.id.as_str()).collect();
        prop_assert_eq!(ids.len(), entries.len(), "event ids are unique");
        let mut handed: Vec<String> = view
            .iter()
            .flat_map(|k| k.history.iter())
            .filter(|e| e.event.kind == EventKind::HandedOver)
            .map(|e| e.event.hand_over.clone())
            .collect();
        handed.sort();
        made.hand_overs.sort();
        prop_assert_eq!(handed, made.hand_overs);
        let mut notes: Vec<String> = view
            .iter()
            .flat_map(|k| k.history.iter())
            .filter(|e| e.event.kind == EventKind::Note)
            .map(|e| e.event.text.clone())
            .collect();
        notes.sort();
        made.notes.sort();
        prop_assert_eq!(notes, made.notes);
        let lost = entries.iter().filter(|e| e.event.kind == EventKind::Lost).count();
        prop_assert_eq!(lost, made.lost);
        prop_assert_eq!(view.len(), 3);
        for k in &view {
            if let KeyState::Disputed(claims) = &k.state {
                prop_assert!(claims.len() >= 2);
                for (i, a) in claims.iter().enumerate() {
                    for b in &claims[i + 1..] {
                        prop_assert!(!a.agrees(b));
                    }
                }
            }
            let escalated = matches!(k.state, KeyState::Lost { .. });
            let alerted = alerts.iter().any(|a| matches!(a, Alert::Lost { key, .. } if key == &k.id));
            prop_assert_eq!(escalated, alerted);
        }
    }
}
