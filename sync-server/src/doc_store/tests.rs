//! Document storage on a real SQLite file: writes, receipts, ownership
//! claims, compaction and the legacy import.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::store::Store;
use automerge::transaction::Transactable as _;
use automerge::{ActorId, ROOT};

struct Fixture {
    dir: tempfile::TempDir,
    store: Store,
    docs: DocStore,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    store.enroll("a", "a", "a1").unwrap();
    store.enroll("b", "b", "b1").unwrap();
    let docs = DocStore::open(dir.path()).unwrap();
    Fixture { dir, store, docs }
}

fn device(name: &str) -> Uploader {
    Uploader::Device {
        id: if name == "a1" { 1 } else { 2 },
        name: name.into(),
    }
}

/// `n` changes by `actor` on top of `doc`, as storage wants them
/// (uploader and time filled in by [`persist`]).
fn changes(doc: &mut Automerge, actor: u8, n: usize) -> Vec<NewChange> {
    doc.set_actor(ActorId::from(vec![actor; 16]));
    let before = doc.get_heads();
    for _ in 0..n {
        let seq = doc.get_changes(&[]).len() as i64;
        doc.transact::<_, _, automerge::AutomergeError>(|tx| {
            tx.put(ROOT, format!("k{actor}-{seq}"), seq)?;
            Ok(())
        })
        .unwrap();
    }
    doc.get_changes(&before)
        .into_iter()
        .map(|c| NewChange {
            hash: c.hash(),
            bytes: c.raw_bytes().to_vec(),
            genesis: false,
            by: Uploader::Server,
            at_ms: 0,
        })
        .collect()
}

fn persist(
    mut changes: Vec<NewChange>,
    by: Uploader,
    at_ms: i64,
    claim_for: Option<&str>,
) -> WriteOp {
    for c in &mut changes {
        c.by = by.clone();
        c.at_ms = at_ms;
    }
    WriteOp::Persist {
        changes,
        claim_for: claim_for.map(str::to_owned),
    }
}

fn commit_one(f: &mut Fixture, doc: DocumentId, op: WriteOp) -> WriteOutcome {
    f.docs.commit(&[(doc, op)]).unwrap().pop().unwrap().unwrap()
}

#[test]
fn stored_changes_load_back_with_their_owner_and_receipts() {
    let mut f = fixture();
    let id = DocumentId::from_random([1; 16]);
    let mut doc = Automerge::new();
    let first = changes(&mut doc, 1, 3);
    let owner = commit_one(&mut f, id, persist(first, device("a1"), 1_000, Some("a")));
    assert!(
        matches!(owner, WriteOutcome::Persisted(ref o) if o.site == "a" && o.how == OwnerHow::Uploaded)
    );
    let second = changes(&mut doc, 1, 2);
    let again = second.clone();
    commit_one(&mut f, id, persist(second, device("a1"), 2_000, None));
    // Writing the same changes again is harmless and keeps the first time.
    commit_one(&mut f, id, persist(again, device("a1"), 3_000, None));
    let loaded = f.docs.load(&id).unwrap();
    assert_eq!(loaded.doc.get_heads(), doc.get_heads());
    assert_eq!(loaded.owner.unwrap().site, "a");
    let receipts = f.store.receipts(&id).unwrap();
    assert_eq!(receipts.len(), 5);
    let mut times: Vec<i64> = receipts.values().map(|r| r.at).collect();
    times.sort_unstable();
    assert_eq!(times, [1_000, 1_000, 1_000, 2_000, 2_000]);
    assert!(receipts.values().all(|r| r.by.as_deref() == Some("a1")));
    // Reopened (a restart): the same.
    drop(f.docs);
    let docs = DocStore::open(f.dir.path()).unwrap();
    assert_eq!(docs.load(&id).unwrap().doc.get_heads(), doc.get_heads());
}

#[test]
fn genesis_changes_are_stored_but_get_no_receipt() {
    let mut f = fixture();
    let id = DocumentId::from_random([2; 16]);
    let mut doc = Automerge::new();
    let mut c = changes(&mut doc, 1, 2);
    c[0].genesis = true;
    commit_one(&mut f, id, persist(c, device("a1"), 1_000, Some("a")));
    assert_eq!(f.docs.load(&id).unwrap().doc.get_heads(), doc.get_heads());
    assert_eq!(f.store.receipts(&id).unwrap().len(), 1);
}

#[test]
fn an_upload_claim_loses_to_an_existing_owner_and_stores_nothing() {
    let mut f = fixture();
    let id = DocumentId::from_random([3; 16]);
    let mut a = Automerge::new();
    commit_one(
        &mut f,
        id,
        persist(changes(&mut a, 1, 1), device("a1"), 1, Some("a")),
    );
    let mut b = Automerge::new();
    let outcome = commit_one(
        &mut f,
        id,
        persist(changes(&mut b, 2, 1), device("b1"), 2, Some("b")),
    );
    assert!(matches!(outcome, WriteOutcome::Conflict(ref o) if o.site == "a"));
    assert_eq!(f.docs.load(&id).unwrap().doc.get_heads(), a.get_heads());
    assert_eq!(f.store.receipts(&id).unwrap().len(), 1);
}

#[test]
fn registering_claims_keeps_and_takes_back_from_an_upload_squat() {
    let mut f = fixture();
    let register = |site: &str| WriteOp::Register {
        site: site.into(),
        purpose: "duty-log/2026-11-23".into(),
        by: device(if site == "a" { "a1" } else { "b1" }),
    };
    // Fresh: owned by the registrant.
    let fresh = DocumentId::from_random([4; 16]);
    assert!(
        matches!(commit_one(&mut f, fresh, register("a")), WriteOutcome::Registered(ref o) if o.site == "a" && o.how == OwnerHow::Registered)
    );
    // Again, and by another site: the first registration stands.
    assert!(matches!(
        commit_one(&mut f, fresh, register("a")),
        WriteOutcome::Registered(_)
    ));
    assert!(
        matches!(commit_one(&mut f, fresh, register("b")), WriteOutcome::Refused(ref o) if o.site == "a")
    );
    // Squatted by b's upload: a's registration takes it back, b's content
    // goes aside.
    let squatted = DocumentId::from_random([5; 16]);
    let mut b = Automerge::new();
    commit_one(
        &mut f,
        squatted,
        persist(changes(&mut b, 2, 2), device("b1"), 1, Some("b")),
    );
    let outcome = commit_one(&mut f, squatted, register("a"));
    assert!(
        matches!(outcome, WriteOutcome::Reclaimed { ref owner, ref from } if owner.site == "a" && from == "b")
    );
    let loaded = f.docs.load(&squatted).unwrap();
    assert!(loaded.doc.get_heads().is_empty());
    assert!(f.store.receipts(&squatted).unwrap().is_empty());
    let set_aside: Vec<u8> = f
        .docs
        .conn
        .query_row("SELECT data FROM quarantined_docs", [], |r| r.get(0))
        .unwrap();
    let mut kept = Automerge::new();
    kept.load_incremental(&set_aside).unwrap();
    assert_eq!(kept.get_heads(), b.get_heads(), "kept whole, loadable");
    // An upload claim by the same site is upgraded, not taken away.
    let own = DocumentId::from_random([6; 16]);
    let mut a = Automerge::new();
    commit_one(
        &mut f,
        own,
        persist(changes(&mut a, 1, 1), device("a1"), 1, Some("a")),
    );
    assert!(
        matches!(commit_one(&mut f, own, register("a")), WriteOutcome::Registered(ref o) if o.how == OwnerHow::Registered)
    );
    assert_eq!(f.docs.load(&own).unwrap().doc.get_heads(), a.get_heads());
}

#[test]
fn one_commit_carries_many_documents_and_a_failing_job_fails_alone() {
    let mut f = fixture();
    let mut jobs = Vec::new();
    let mut docs = Vec::new();
    for n in 0..20u8 {
        let id = DocumentId::from_random([100 + n; 16]);
        let mut doc = Automerge::new();
        jobs.push((
            id,
            persist(changes(&mut doc, 1, 2), device("a1"), 5, Some("a")),
        ));
        docs.push((id, doc));
    }
    // A persist for a document nobody owns, without a claim, is an error
    // of that job only.
    let orphan = DocumentId::from_random([99; 16]);
    let mut o = Automerge::new();
    jobs.push((
        orphan,
        persist(changes(&mut o, 1, 1), device("a1"), 5, None),
    ));
    let outcomes = f.docs.commit(&jobs).unwrap();
    assert!(
        outcomes[..20]
            .iter()
            .all(|o| matches!(o, Ok(WriteOutcome::Persisted(_))))
    );
    assert!(outcomes[20].is_err());
    for (id, doc) in docs {
        assert_eq!(f.docs.load(&id).unwrap().doc.get_heads(), doc.get_heads());
    }
    assert!(f.docs.load(&orphan).unwrap().doc.get_heads().is_empty());
}

#[test]
fn compaction_replaces_rows_with_a_snapshot_that_holds_them_all() {
    let mut f = fixture();
    let id = DocumentId::from_random([7; 16]);
    let mut doc = Automerge::new();
    for round in 0..4 {
        let claim = (round == 0).then_some("a");
        commit_one(
            &mut f,
            id,
            persist(changes(&mut doc, 1, 100), device("a1"), round, claim),
        );
    }
    assert_eq!(f.docs.change_rows(&id).unwrap(), 400);
    assert_eq!(f.docs.compact(&id).unwrap(), 400);
    assert_eq!(f.docs.change_rows(&id).unwrap(), 0);
    assert_eq!(f.docs.load(&id).unwrap().doc.get_heads(), doc.get_heads());
    // Receipts outlive compaction.
    assert_eq!(f.store.receipts(&id).unwrap().len(), 400);
    // More changes after a snapshot load on top of it.
    commit_one(
        &mut f,
        id,
        persist(changes(&mut doc, 2, 3), device("a1"), 9, None),
    );
    assert_eq!(f.docs.load(&id).unwrap().doc.get_heads(), doc.get_heads());
    assert_eq!(f.docs.compact(&id).unwrap(), 3);
    assert_eq!(f.docs.compact(&id).unwrap(), 0, "nothing left to replace");
}

#[test]
fn a_corrupt_stored_change_is_an_error_and_nothing_is_removed() {
    let mut f = fixture();
    let id = DocumentId::from_random([8; 16]);
    let mut doc = Automerge::new();
    commit_one(
        &mut f,
        id,
        persist(changes(&mut doc, 1, 2), device("a1"), 1, Some("a")),
    );
    f.docs
        .conn
        .execute(
            "INSERT INTO doc_changes (doc_id, hash, data) VALUES (?1, x'00', x'deadbeef')",
            params![id.to_string()],
        )
        .unwrap();
    assert!(matches!(
        f.docs.load(&id),
        Err(DocStoreError::Corrupt { .. })
    ));
    assert!(f.docs.compact(&id).is_err());
    assert_eq!(f.docs.change_rows(&id).unwrap(), 3, "nothing deleted");
}

#[test]
fn the_legacy_directory_is_imported_once_and_kept() {
    let f = fixture();
    let legacy = f.dir.path().join(LEGACY_DOCS_DIR);
    let id = DocumentId::from_random([9; 16]);
    let text = id.to_string();
    let base = legacy.join(&text[..2]).join(&text[2..]);
    std::fs::create_dir_all(base.join("snapshot")).unwrap();
    std::fs::create_dir_all(base.join("incremental")).unwrap();
    let mut doc = Automerge::new();
    changes(&mut doc, 1, 3);
    std::fs::write(base.join("snapshot").join("s1"), doc.save()).unwrap();
    let heads = doc.get_heads();
    let more = changes(&mut doc, 1, 1);
    std::fs::write(base.join("incremental").join("i1"), &more[0].bytes).unwrap();
    // A torn write, as samod left after a full disk.
    std::fs::write(base.join("incremental").join("torn"), b"").unwrap();
    // A claim without content (an earlier server gave ids away on a bare
    // request) and one with content.
    let empty = DocumentId::from_random([10; 16]);
    let conn = Connection::open(f.dir.path().join(DB_FILE)).unwrap();
    for (doc, site) in [(empty, "b"), (id, "a")] {
        conn.execute(
            "INSERT INTO documents (doc_id, site, how, created_at) VALUES (?1, ?2, 'uploaded', 0)",
            params![doc.to_string(), site],
        )
        .unwrap();
    }
    let report = import_legacy(f.dir.path()).unwrap().unwrap();
    assert_eq!(report.documents, 1);
    assert_eq!(report.unreadable_files, 1);
    assert_eq!(report.empty_claims_dropped, 1);
    assert!(
        !legacy.exists() && report.moved_to.is_dir(),
        "renamed, not deleted"
    );
    let loaded = f.docs.load(&id).unwrap();
    assert_eq!(loaded.doc.get_heads(), doc.get_heads());
    assert_ne!(loaded.doc.get_heads(), heads);
    assert_eq!(loaded.owner.unwrap().site, "a");
    assert_eq!(f.store.doc_owner(&empty).unwrap(), None);
    assert!(import_legacy(f.dir.path()).unwrap().is_none(), "once");
}

#[test]
fn a_device_creates_a_bounded_number_of_documents_a_day() {
    let mut f = fixture();
    let id = |n: i64, salt: u8| {
        let mut bytes = [salt; 16];
        bytes[..8].copy_from_slice(&n.to_le_bytes());
        DocumentId::from_random(bytes)
    };
    let register = |n: i64, by: &str| WriteOp::Register {
        site: "a".into(),
        purpose: format!("duty-log/day-{n}"),
        by: device(by),
    };
    let ops: Vec<_> = (0..MAX_NEW_DOCUMENTS_PER_DAY)
        .map(|n| (id(n, 1), register(n, "a1")))
        .collect();
    assert!(
        f.docs
            .commit(&ops)
            .unwrap()
            .iter()
            .all(|o| matches!(o, Ok(WriteOutcome::Registered(_))))
    );
    // Registering a document it already has is not a new one.
    assert!(matches!(
        commit_one(&mut f, id(0, 1), register(0, "a1")),
        WriteOutcome::Registered(_)
    ));
    // One more new one, by registration or by a first upload, is refused
    // and leaves no owner.
    let extra = id(MAX_NEW_DOCUMENTS_PER_DAY, 1);
    assert!(matches!(
        commit_one(&mut f, extra, register(-1, "a1")),
        WriteOutcome::OverLimit
    ));
    let mut doc = Automerge::new();
    let upload = persist(changes(&mut doc, 1, 1), device("a1"), 5, Some("a"));
    assert!(matches!(
        commit_one(&mut f, extra, upload),
        WriteOutcome::OverLimit
    ));
    assert_eq!(f.store.doc_owner(&extra).unwrap(), None);
    // Another device is not affected.
    assert!(matches!(
        commit_one(&mut f, id(1, 2), register(1, "b1")),
        WriteOutcome::Registered(_)
    ));
    // A day later the device may create documents again.
    let conn = Connection::open(f.dir.path().join(DB_FILE)).unwrap();
    conn.execute(
        "UPDATE documents SET created_at = created_at - ?1",
        [24 * 60 * 60 * 1000i64],
    )
    .unwrap();
    assert!(matches!(
        commit_one(&mut f, extra, register(-1, "a1")),
        WriteOutcome::Registered(_)
    ));
}
