//! Server receipt times: when the server first held each change of each
//! document, and `GET /api/receipts/{doc}`, which tells a site's devices
//! and supervisors.
//!
//! Every change a person makes carries its attribution (person, device,
//! device time) in its commit message; the device's clock may be wrong or
//! the device may sync days later. The receipt time is the other half: the
//! server's own clock (ms since the Unix epoch) when its copy of the
//! document first held the change.
//!
//! **Why by observing the server's copy.** The sync protocol does not
//! carry individual changes one can pick out of a frame: automerge's sync
//! messages (V2) may carry a compressed document chunk rather than a list
//! of changes, and samod applies them inside its document actors. So the
//! server watches its own documents instead. samod reports every sync
//! message a document actor has processed to the repository's observer
//! ([`ReceiptObserver`], a [`samod::RepoObserver`]); the observer only
//! queues the document id (it runs inside samod and must not block). A
//! task ([`spawn`]) drains the queue, coalescing repeated ids, and for each
//! document finds the changes its copy now holds beyond the heads already
//! recorded ([`unrecorded`]), then writes them with the current time in
//! one transaction (`INSERT OR IGNORE` into `change_receipts`, see
//! [`crate::store`]).
//!
//! **What a receipt means.** The server held the change at `received_at`
//! and did not hold it when it last looked before; the recorder looks
//! within milliseconds of each sync message, so `received_at` is at most
//! that much after the change arrived, never before. A change recorded once
//! keeps its time for good, across restarts. The recorder remembers the
//! recorded heads in memory only, so after a restart it looks at a whole
//! document the first time a sync message for it arrives; what is recorded
//! keeps its time and only new changes get one. Documents stored before
//! this feature therefore get the time the server first opened them after
//! the upgrade for the changes they already held. Changes held only
//! because a device sent them for a read-only document are not held
//! (samod drops them), so they get no receipt. Genesis changes (the fixed
//! genesis actor, identical on every device) are nobody's and get none.

use crate::auth;
use crate::error::AppError;
use crate::peers::Principal;
use crate::state::AppState;
use crate::store::{Store, StoreError, now_ms};
use automerge::{Automerge, ChangeHash};
use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri, header};
use axum::response::IntoResponse;
use shiftbook_model::DocumentId;
use shiftbook_model::genesis::is_genesis_actor;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

/// How long the recorder waits for samod to make a document available
/// before it gives up on this look (the next sync message tries again).
pub const FIND_TIMEOUT: Duration = Duration::from_secs(10);

/// Why recording one document's receipts failed.
#[derive(Debug, thiserror::Error)]
pub enum ReceiptError {
    /// The samod repository stopped.
    #[error("the document repository stopped")]
    Stopped,
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The changes of a document not yet recorded, and its heads now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unrecorded {
    /// Changes outside the causal past of the heads recorded before, in
    /// causal order, without genesis changes.
    pub changes: Vec<ChangeHash>,
    /// The document's heads: what to pass as `since` next time.
    pub heads: Vec<ChangeHash>,
}

/// The changes of `doc` to record, given the heads `since` up to which
/// receipts are recorded already (empty: none are, take every change).
pub fn unrecorded(doc: &Automerge, since: &[ChangeHash]) -> Unrecorded {
    let changes = doc
        .get_changes_meta(since)
        .into_iter()
        .filter(|meta| !is_genesis_actor(&meta.actor))
        .map(|meta| meta.hash)
        .collect();
    Unrecorded {
        changes,
        heads: doc.get_heads(),
    }
}

/// The samod observer that queues the id of every document that processed
/// a sync message; install it with [`samod::RepoBuilder::with_observer`].
#[derive(Debug, Clone)]
pub struct ReceiptObserver {
    queue: mpsc::UnboundedSender<DocumentId>,
}

impl samod::RepoObserver for ReceiptObserver {
    fn observe(&self, event: &samod::RepoEvent) {
        if let samod::RepoEvent::SyncMessageReceived { document_id, .. } = event
            && let Ok(doc) = DocumentId::from_bytes(document_id.as_bytes())
        {
            // After shutdown began nobody listens; nothing to do then.
            let _ = self.queue.send(doc);
        }
    }
}

/// The receiving end of a [`ReceiptObserver`]'s queue, for [`spawn`].
#[derive(Debug)]
pub struct ReceiptQueue {
    queue: mpsc::UnboundedReceiver<DocumentId>,
}

/// A connected observer and queue.
pub fn channel() -> (ReceiptObserver, ReceiptQueue) {
    let (tx, rx) = mpsc::unbounded_channel();
    (ReceiptObserver { queue: tx }, ReceiptQueue { queue: rx })
}

/// Record receipts for the documents `queue` names until `stop` is
/// cancelled; then record those already queued and end. `repo` must be
/// the repository the queue's observer watches, and must keep running
/// until the returned task ends.
pub fn spawn(
    queue: ReceiptQueue,
    repo: samod::Repo,
    store: Store,
    stop: CancellationToken,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(run(queue.queue, repo, store, stop))
}

/// The recorder's bookkeeping: recorded heads per document, and which
/// documents are being looked at or need another look.
#[derive(Debug, Default)]
struct Recorder {
    recorded: HashMap<DocumentId, Vec<ChangeHash>>,
    busy: HashSet<DocumentId>,
    again: HashSet<DocumentId>,
}

async fn run(
    mut queue: mpsc::UnboundedReceiver<DocumentId>,
    repo: samod::Repo,
    store: Store,
    stop: CancellationToken,
) {
    let mut recorder = Recorder::default();
    let mut tasks: JoinSet<(DocumentId, Option<Vec<ChangeHash>>)> = JoinSet::new();
    let mut task_docs: HashMap<tokio::task::Id, DocumentId> = HashMap::new();
    // Whether the queue still takes ids, and whether it has run dry
    // after closing.
    let (mut open, mut drained) = (true, false);
    let spawn_look = |tasks: &mut JoinSet<_>,
                      task_docs: &mut HashMap<tokio::task::Id, DocumentId>,
                      recorder: &Recorder,
                      doc: DocumentId| {
        let since = recorder.recorded.get(&doc).cloned().unwrap_or_default();
        let (repo, store) = (repo.clone(), store.clone());
        let handle = tasks.spawn(async move {
            let heads = match record(&repo, &store, doc, since).await {
                Ok(heads) => heads,
                Err(e) => {
                    tracing::warn!(error = %e, doc = %doc, "recording change receipts failed");
                    None
                }
            };
            (doc, heads)
        });
        task_docs.insert(handle.id(), doc);
    };
    loop {
        tokio::select! {
            () = stop.cancelled(), if open => {
                // Take what is queued already, then end.
                queue.close();
                open = false;
            }
            next = queue.recv(), if !drained => match next {
                Some(doc) => {
                    if recorder.busy.contains(&doc) {
                        recorder.again.insert(doc);
                    } else {
                        recorder.busy.insert(doc);
                        spawn_look(&mut tasks, &mut task_docs, &recorder, doc);
                    }
                }
                None => (open, drained) = (false, true),
            },
            Some(joined) = tasks.join_next_with_id() => {
                let (id, doc, heads) = match joined {
                    Ok((id, (doc, heads))) => (id, Some(doc), heads),
                    Err(e) => {
                        tracing::error!(error = %e, "change receipt task failed");
                        (e.id(), None, None)
                    }
                };
                let doc = doc.or_else(|| task_docs.get(&id).copied());
                task_docs.remove(&id);
                let Some(doc) = doc else { continue };
                recorder.busy.remove(&doc);
                if let Some(heads) = heads {
                    recorder.recorded.insert(doc, heads);
                }
                if recorder.again.remove(&doc) {
                    recorder.busy.insert(doc);
                    spawn_look(&mut tasks, &mut task_docs, &recorder, doc);
                }
            }
            else => break,
        }
    }
}

/// Record the changes of `doc` beyond `since`; the heads now recorded, or
/// `None` when the document is not available (yet).
async fn record(
    repo: &samod::Repo,
    store: &Store,
    doc: DocumentId,
    since: Vec<ChangeHash>,
) -> Result<Option<Vec<ChangeHash>>, ReceiptError> {
    let Ok(samod_id) = samod::DocumentId::try_from(doc.as_bytes().to_vec()) else {
        return Ok(None);
    };
    let handle = match tokio::time::timeout(FIND_TIMEOUT, repo.find(samod_id)).await {
        Ok(Ok(Some(handle))) => handle,
        // Not held (a request for a document nobody uploaded), or not
        // ready in time: a later sync message brings it back here.
        Ok(Ok(None)) | Err(_) => return Ok(None),
        Ok(Err(samod::Stopped)) => return Err(ReceiptError::Stopped),
    };
    let (pending, at) = handle
        .with_document_async(move |d| (unrecorded(d, &since), now_ms()))
        .await
        .map_err(|samod::Stopped| ReceiptError::Stopped)?;
    if !pending.changes.is_empty() {
        let changes = pending.changes;
        let count = changes.len();
        let new = store
            .call(move |s| s.record_receipts(&doc, &changes, at))
            .await?;
        tracing::debug!(doc = %doc, changes = count, new, "recorded change receipts");
    }
    Ok(Some(pending.heads))
}

/// What `GET /api/receipts/{doc}` answers.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ReceiptsInfo {
    /// The document id, base58check.
    pub doc: String,
    /// Change hash (64 hex digits) → when the server first held that
    /// change (ms since the Unix epoch). Genesis changes are not listed.
    pub receipts: BTreeMap<String, i64>,
}

/// Whether `who` may read documents owned by `site`.
fn may_read(who: &Principal, site: &str) -> bool {
    match who {
        Principal::Device(device) => device.site == site,
        Principal::Supervisor { sites, .. } => sites.contains(site),
    }
}

/// `GET /api/receipts/{doc}`: the receipts of a document of the caller's
/// site (a device token) or of one of its sites (a supervisor's session
/// cookie). 401 without valid credentials, 400 for a malformed id, 404
/// for a document the caller may not read or that has no owner.
pub async fn get(
    State(state): State<AppState>,
    doc: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<impl IntoResponse, AppError> {
    let who = auth::authenticate_connection(&state.store, &headers, &uri).await?;
    let doc: DocumentId = doc
        .map_err(|_| AppError::BadRequest("not a document id"))?
        .0
        .parse()
        .map_err(|_| AppError::BadRequest("not a document id"))?;
    let receipts = state
        .store
        .call(move |s| match s.doc_owner(&doc)? {
            Some(site) if may_read(&who, &site) => s.receipts(&doc).map(Some),
            _ => Ok(None),
        })
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((
        [(header::CACHE_CONTROL, "no-store")],
        Json(ReceiptsInfo {
            doc: doc.to_string(),
            receipts,
        }),
    ))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use automerge::{ActorId, ROOT, transaction::Transactable as _};
    use shiftbook_model::attribution::Attribution;
    use shiftbook_model::checklist::{self, Status};
    use shiftbook_model::roster::Role;
    use shiftbook_model::template;

    fn by(device: &str, at_ms: i64) -> Attribution {
        Attribution {
            person_id: "p1".into(),
            person: "张三".into(),
            role: Role::Staff,
            device: device.into(),
            at_ms,
        }
    }

    /// A lobby-opening round's genesis (nobody's change), held by a
    /// replica with `actor`.
    fn genesis(actor: u8) -> Automerge {
        let id = template::lobby_opening().id;
        let mut doc = checklist::genesis("demo", &id, "2026-11-23").unwrap();
        doc.set_actor(ActorId::from(vec![actor; 16]));
        doc
    }

    /// The round started by the replica with `actor`, as it must be before
    /// anything is marked; the start is that replica's attributed change.
    fn round(actor: u8) -> (Automerge, ChangeHash) {
        let mut doc = genesis(actor);
        let start = checklist::start(
            &mut doc,
            &template::lobby_opening(),
            "0830",
            &by(&format!("t{actor}"), 0),
        )
        .unwrap();
        (doc, start)
    }

    fn item(n: usize) -> String {
        template::lobby_opening().items[n].id.clone()
    }

    #[test]
    fn the_first_look_takes_every_change_but_genesis() {
        let mut doc = genesis(1);
        let genesis = doc.get_heads();
        assert_eq!(unrecorded(&doc, &[]).changes, Vec::<ChangeHash>::new());
        // The start is the replica's change like the marks: it is taken.
        let start =
            checklist::start(&mut doc, &template::lobby_opening(), "0830", &by("t1", 0)).unwrap();
        let m1 =
            checklist::mark(&mut doc, "0830", &item(0), Status::Normal, "", &by("t1", 1)).unwrap();
        let m2 =
            checklist::mark(&mut doc, "0830", &item(1), Status::Normal, "", &by("t1", 2)).unwrap();
        let u = unrecorded(&doc, &[]);
        assert_eq!(u.changes, vec![start, m1, m2]);
        assert!(!u.changes.contains(&genesis[0]));
        assert_eq!(u.heads, vec![m2]);
    }

    #[test]
    fn later_looks_take_only_what_is_new_including_merged_concurrent_changes() {
        let (mut a, start_a) = round(1);
        let m1 =
            checklist::mark(&mut a, "0830", &item(0), Status::Normal, "", &by("t1", 1)).unwrap();
        let first = unrecorded(&a, &[]);
        assert_eq!(first.changes, vec![start_a, m1]);
        assert!(unrecorded(&a, &first.heads).changes.is_empty());

        // Another replica starts the round and marks concurrently, from
        // genesis only: its start is new too.
        let (mut b, start_b) = round(2);
        let m2 =
            checklist::mark(&mut b, "0830", &item(1), Status::Normal, "", &by("t2", 2)).unwrap();
        a.merge(&mut b).unwrap();
        let m3 =
            checklist::mark(&mut a, "0830", &item(2), Status::Normal, "", &by("t1", 3)).unwrap();
        let next = unrecorded(&a, &first.heads);
        let mut got = next.changes.clone();
        got.sort();
        let mut want = vec![start_b, m2, m3];
        want.sort();
        assert_eq!(got, want);
        assert_eq!(next.heads, vec![m3]);
        assert!(unrecorded(&a, &next.heads).changes.is_empty());
    }

    #[test]
    fn a_change_by_any_other_actor_is_recorded_even_without_attribution() {
        let mut doc = Automerge::new();
        doc.transact::<_, _, automerge::AutomergeError>(|tx| {
            tx.put(ROOT, "x", 1)?;
            Ok(())
        })
        .unwrap();
        assert_eq!(unrecorded(&doc, &[]).changes, doc.get_heads());
    }

    #[test]
    fn readers_are_the_owner_sites_devices_and_supervisors() {
        let device = Principal::Device(crate::store::Device {
            id: 1,
            site: "a".into(),
            name: "t".into(),
        });
        let supervisor = Principal::Supervisor {
            name: "zhang".into(),
            sites: ["a".to_owned(), "c".to_owned()].into(),
            session: "x".into(),
        };
        assert!(may_read(&device, "a"));
        assert!(!may_read(&device, "b"));
        assert!(may_read(&supervisor, "a"));
        assert!(may_read(&supervisor, "c"));
        assert!(!may_read(&supervisor, "b"));
    }

    /// The observer, the task and the repository together: a document
    /// synced into a repository gets receipts for its changes, once.
    #[tokio::test]
    async fn the_recorder_records_what_a_synced_repository_holds() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let (observer, queue) = channel();
        let repo = samod::Repo::build_tokio()
            .with_observer(observer.clone())
            .load()
            .await;
        let stop = CancellationToken::new();
        let task = spawn(queue, repo.clone(), store.clone(), stop.clone());

        // A local document, then a queued look at it (as a sync message
        // would cause).
        let (mut doc, start) = round(3);
        let m1 =
            checklist::mark(&mut doc, "0830", &item(0), Status::Normal, "", &by("t1", 1)).unwrap();
        let handle = repo.create(doc).await.unwrap();
        let id = DocumentId::from_bytes(handle.document_id().as_bytes()).unwrap();
        let before = now_ms();
        observer.queue.send(id).unwrap();
        // The start and the mark, both the replica's changes; not genesis.
        let receipts = wait_for(&store, id, 2).await;
        let mut want = vec![start.to_string(), m1.to_string()];
        want.sort();
        assert_eq!(receipts.keys().cloned().collect::<Vec<_>>(), want);
        let t0 = receipts[&start.to_string()];
        let t1 = receipts[&m1.to_string()];
        assert!(t1 >= before && t1 <= now_ms(), "{before} ≤ {t1}");
        assert_eq!(t0, t1, "recorded in one look");

        // A second change: only it is new, the first keeps its time.
        let m2 = handle
            .with_document_async(|d| {
                checklist::mark(d, "0830", &item(1), Status::Normal, "", &by("t1", 2)).unwrap()
            })
            .await
            .unwrap();
        observer.queue.send(id).unwrap();
        observer.queue.send(id).unwrap();
        let receipts = wait_for(&store, id, 3).await;
        assert_eq!(receipts.len(), 3, "{receipts:?}");
        assert_eq!(receipts[&start.to_string()], t0);
        assert_eq!(receipts[&m1.to_string()], t1);
        assert!(receipts[&m2.to_string()] >= t1);

        // Stopping ends the task after what is queued.
        observer.queue.send(id).unwrap();
        stop.cancel();
        tokio::time::timeout(Duration::from_secs(10), task)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(store.receipts(&id).unwrap(), receipts);
        repo.stop().await;
    }

    async fn wait_for(store: &Store, id: DocumentId, n: usize) -> BTreeMap<String, i64> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        loop {
            let receipts = store.receipts(&id).unwrap();
            if receipts.len() >= n {
                return receipts;
            }
            assert!(tokio::time::Instant::now() < deadline, "{receipts:?}");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}
