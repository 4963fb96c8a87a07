//! The sync hub's tokio adapter: it runs [`Hub`]s and carries out their
//! effects.
//!
//! * **Shards.** Documents are spread over a few hubs by their id's first
//!   byte, one tokio task each (one per core), so one document that is
//!   expensive to merge holds up only its shard. Every shard knows every
//!   connection; a message goes to its document's shard.
//! * **Storage.** One writer thread owns a [`DocStore`] connection and
//!   commits every write queued at that moment in one transaction (group
//!   commit, one fsync); [`READERS`] threads load documents on their own
//!   connections. The hub keeps one operation per document in flight, so
//!   loads and writes of different documents may overlap freely. After a
//!   commit the writer compacts documents with [`COMPACT_AT`] change rows.
//! * **Connections.** Each has a bounded outbox the socket task drains; a
//!   hub never waits for a socket. A client that does not read its frames
//!   fast enough is disconnected when its outbox is full, instead of
//!   making the server hold ever more for it.
//! * **Projection.** The writer tells the projector
//!   ([`crate::projection::worker`]) which documents it committed; the
//!   projector's thread updates the supervisors' figures from them.
//! * **Health.** A failed commit marks storage failing ([`Health`]), which
//!   `/healthz` reports, until a commit succeeds again.

use crate::doc_store::{COMPACT_AT, DocStore, DocStoreError, WriteOp, WriteOutcome};
use crate::hub::{ConnId, Effect, Hub, HubConfig, HubStats, Input};
use crate::principal::Principal;
use crate::projection::worker::Projector;
use shiftbook_model::DocumentId;
use shiftbook_model::protocol::PeerId;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, mpsc as std_mpsc};
use std::time::Duration;
use tokio::sync::mpsc;

/// Threads loading documents.
pub const READERS: usize = 2;
/// Most writes committed in one transaction.
pub const MAX_BATCH: usize = 1_024;
/// Frames a connection's outbox holds before the connection is dropped.
pub const OUTBOX_FRAMES: usize = 4_096;
/// How often shards tick (retries, unloading).
pub const TICK: Duration = Duration::from_secs(1);
/// Documents untouched this long leave memory, by default.
pub const DEFAULT_IDLE_UNLOAD: Duration = Duration::from_secs(120);
/// How often the runtime looks whether documents left memory or tablets
/// left, to give the freed memory back to the operating system.
pub const MEMORY_LOOK: Duration = Duration::from_secs(5);
/// A storage thread with nothing to do for this long frees its page cache.
pub const STORAGE_IDLE: Duration = Duration::from_secs(10);

/// Settings of the runtime.
#[derive(Debug, Clone)]
pub struct RuntimeConfig {
    /// The data directory (the database must exist: [`crate::Store::open`]).
    pub data_dir: PathBuf,
    /// Hub shards (at least one).
    pub shards: usize,
    /// Documents untouched this long leave memory.
    pub idle_unload: Duration,
}

impl RuntimeConfig {
    /// Defaults for `data_dir`: one shard per core, two-minute unloading.
    pub fn new(data_dir: &Path) -> Self {
        Self {
            data_dir: data_dir.to_owned(),
            shards: std::thread::available_parallelism().map_or(2, |n| n.get()),
            idle_unload: DEFAULT_IDLE_UNLOAD,
        }
    }
}

/// Whether document storage is writing, for `/healthz`.
#[derive(Debug, Default)]
pub struct Health {
    failing: AtomicBool,
    last_error: Mutex<Option<String>>,
}

impl Health {
    /// `Err(why)` while the last commit failed.
    pub fn storage(&self) -> Result<(), String> {
        if self.failing.load(Ordering::Acquire) {
            let why = self
                .last_error
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .clone()
                .unwrap_or_default();
            Err(why)
        } else {
            Ok(())
        }
    }

    fn failed(&self, why: String) {
        *self.last_error.lock().unwrap_or_else(|p| p.into_inner()) = Some(why);
        if !self.failing.swap(true, Ordering::AcqRel) {
            tracing::error!(
                "document storage is failing: nothing is acknowledged until it writes again"
            );
        }
    }

    fn ok(&self) {
        if self.failing.swap(false, Ordering::AcqRel) {
            tracing::info!("document storage writes again");
        }
    }
}

/// What a connection's socket task receives.
#[derive(Debug)]
pub enum Outbound {
    /// A frame to send.
    Frame(Vec<u8>),
    /// Close with this reason.
    Close(String),
}

/// Why the runtime could not start.
#[derive(Debug, thiserror::Error)]
pub enum RuntimeError {
    /// Storage could not be opened.
    #[error(transparent)]
    Storage(#[from] DocStoreError),
    /// A thread could not be started.
    #[error("cannot start a storage thread: {0}")]
    Thread(std::io::Error),
    /// The projection could not be opened.
    #[error(transparent)]
    Projection(#[from] crate::projection::ProjectionError),
}

struct ConnTx {
    out: mpsc::Sender<Outbound>,
}

struct Inner {
    shards: Vec<mpsc::UnboundedSender<Input>>,
    conns: Mutex<HashMap<ConnId, ConnTx>>,
    next_conn: AtomicU64,
    server_peer: PeerId,
    health: Arc<Health>,
    stats: Vec<Mutex<HubStats>>,
}

/// A running set of hubs with their storage; cheap to clone.
#[derive(Clone)]
pub struct SyncRuntime {
    inner: Arc<Inner>,
    threads: Arc<Mutex<Vec<std::thread::JoinHandle<()>>>>,
    tasks: Arc<Mutex<Vec<tokio::task::JoinHandle<()>>>>,
    stop: tokio_util::sync::CancellationToken,
}

impl std::fmt::Debug for SyncRuntime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyncRuntime")
            .field("shards", &self.inner.shards.len())
            .finish_non_exhaustive()
    }
}

/// A registered connection: its id and what the hubs send it.
#[derive(Debug)]
pub struct Connection {
    /// The id the hubs know it by.
    pub id: ConnId,
    /// Frames to send and the close request, in order.
    pub outbox: mpsc::Receiver<Outbound>,
}

enum StorageJob {
    Load {
        doc: DocumentId,
        reply: mpsc::UnboundedSender<Input>,
    },
    Write {
        doc: DocumentId,
        op: WriteOp,
        reply: mpsc::UnboundedSender<Input>,
    },
}

impl SyncRuntime {
    /// Open storage and start the shards; must run inside a tokio runtime.
    pub fn start(config: RuntimeConfig, server_peer: PeerId) -> Result<Self, RuntimeError> {
        let health = Arc::new(Health::default());
        let mut threads = Vec::new();
        let (write_tx, write_rx) = std_mpsc::channel::<StorageJob>();
        let writer_store = DocStore::open(&config.data_dir)?;
        let writer_health = health.clone();
        let (projector, projector_thread) = crate::projection::worker::start(&config.data_dir)?;
        threads.push(
            std::thread::Builder::new()
                .name("doc-writer".into())
                .spawn(move || run_writer(writer_store, write_rx, &writer_health, &projector))
                .map_err(RuntimeError::Thread)?,
        );
        // After the writer: it ends when the writer drops its handle.
        threads.push(projector_thread);
        let (load_tx, load_rx) = std_mpsc::channel::<StorageJob>();
        let load_rx = Arc::new(Mutex::new(load_rx));
        for n in 0..READERS {
            let store = DocStore::open(&config.data_dir)?;
            let rx = load_rx.clone();
            threads.push(
                std::thread::Builder::new()
                    .name(format!("doc-reader-{n}"))
                    .spawn(move || run_reader(&store, &rx))
                    .map_err(RuntimeError::Thread)?,
            );
        }
        let shard_count = config.shards.max(1);
        let mut shards = Vec::with_capacity(shard_count);
        let mut receivers = Vec::with_capacity(shard_count);
        for _ in 0..shard_count {
            let (tx, rx) = mpsc::unbounded_channel();
            shards.push(tx);
            receivers.push(rx);
        }
        let inner = Arc::new(Inner {
            shards,
            conns: Mutex::new(HashMap::new()),
            next_conn: AtomicU64::new(1),
            server_peer: server_peer.clone(),
            health,
            stats: (0..shard_count)
                .map(|_| Mutex::new(HubStats::default()))
                .collect(),
        });
        let stop = tokio_util::sync::CancellationToken::new();
        let mut tasks = Vec::new();
        for (index, rx) in receivers.into_iter().enumerate() {
            let hub = Hub::new(HubConfig {
                server_peer: server_peer.clone(),
                idle_unload_ms: u64::try_from(config.idle_unload.as_millis()).unwrap_or(u64::MAX),
            });
            let shard = Shard {
                index,
                hub,
                inner: inner.clone(),
                reply: inner.shards[index].clone(),
                writes: write_tx.clone(),
                loads: load_tx.clone(),
            };
            tasks.push(tokio::spawn(shard.run(rx, stop.clone())));
        }
        tasks.push(tokio::spawn(give_back_memory(inner.clone(), stop.clone())));
        Ok(Self {
            inner,
            threads: Arc::new(Mutex::new(threads)),
            tasks: Arc::new(Mutex::new(tasks)),
            stop,
        })
    }

    /// The server's peer id.
    pub fn server_peer(&self) -> &PeerId {
        &self.inner.server_peer
    }

    /// Whether storage is writing.
    pub fn health(&self) -> &Arc<Health> {
        &self.inner.health
    }

    /// What the hubs hold, summed over shards (as of their last input).
    pub fn stats(&self) -> HubStats {
        self.inner.stats()
    }

    /// Register a connection that completed its handshake.
    pub fn connect(&self, peer: PeerId, principal: Arc<Principal>) -> Connection {
        let id = self.inner.next_conn.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = mpsc::channel(OUTBOX_FRAMES);
        self.inner
            .conns
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(id, ConnTx { out: tx });
        let refused = Arc::new(std::sync::atomic::AtomicU32::new(0));
        for shard in &self.inner.shards {
            // A stopped shard means shutdown; nothing to do then.
            let _ = shard.send(Input::Connected {
                conn: id,
                peer: peer.clone(),
                principal: principal.clone(),
                refused: refused.clone(),
            });
        }
        Connection { id, outbox: rx }
    }

    /// A `request`/`sync` message from `conn` about `doc`.
    pub fn message(&self, conn: ConnId, doc: DocumentId, data: Vec<u8>) {
        let _ = self.shard(&doc).send(Input::Message { conn, doc, data });
    }

    /// A registration from `conn` of `doc`, derived from `purpose` with the
    /// key of `site`.
    pub fn register(&self, conn: ConnId, doc: DocumentId, site: String, purpose: String) {
        let _ = self.shard(&doc).send(Input::Register {
            conn,
            doc,
            site,
            purpose,
        });
    }

    /// The connection closed.
    pub fn disconnect(&self, conn: ConnId) {
        self.inner
            .conns
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&conn);
        for shard in &self.inner.shards {
            let _ = shard.send(Input::Disconnected { conn });
        }
    }

    fn shard(&self, doc: &DocumentId) -> &mpsc::UnboundedSender<Input> {
        let n = self.inner.shards.len();
        &self.inner.shards[usize::from(doc.as_bytes()[0]) % n]
    }

    /// Stop the shards, let the writer commit what is queued, and wait for
    /// the storage threads (at most `grace`).
    pub async fn shutdown(&self, grace: Duration) {
        self.stop.cancel();
        let tasks: Vec<_> =
            std::mem::take(&mut *self.tasks.lock().unwrap_or_else(|p| p.into_inner()));
        for task in tasks {
            let _ = tokio::time::timeout(grace, task).await;
        }
        let threads: Vec<_> =
            std::mem::take(&mut *self.threads.lock().unwrap_or_else(|p| p.into_inner()));
        let joined = tokio::task::spawn_blocking(move || {
            for t in threads {
                let _ = t.join();
            }
        });
        if tokio::time::timeout(grace, joined).await.is_err() {
            tracing::warn!("document storage did not stop in time");
        }
    }
}

struct Shard {
    index: usize,
    hub: Hub,
    inner: Arc<Inner>,
    reply: mpsc::UnboundedSender<Input>,
    writes: std_mpsc::Sender<StorageJob>,
    loads: std_mpsc::Sender<StorageJob>,
}

impl Shard {
    async fn run(
        mut self,
        mut rx: mpsc::UnboundedReceiver<Input>,
        stop: tokio_util::sync::CancellationToken,
    ) {
        let mut ticks = tokio::time::interval(TICK);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            let input = tokio::select! {
                () = stop.cancelled() => break,
                input = rx.recv() => match input {
                    Some(input) => input,
                    None => break,
                },
                _ = ticks.tick() => Input::Tick,
            };
            self.process(input);
        }
        // Dropping the job senders lets the storage threads finish what
        // is queued and end.
    }

    fn process(&mut self, input: Input) {
        let now = u64::try_from(crate::store::now_ms()).unwrap_or(0);
        // The hub catches automerge's known panics itself; anything else
        // must not stop the shard and every document in it.
        let handled =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.hub.handle(now, input)));
        let effects = match handled {
            Ok(effects) => effects,
            Err(_) => {
                tracing::error!(
                    shard = self.index,
                    "the hub panicked on an input; it was dropped"
                );
                return;
            }
        };
        for effect in effects {
            match effect {
                Effect::Send { conn, frame } => self.send(conn, Outbound::Frame(frame)),
                Effect::Close { conn, reason } => self.send(conn, Outbound::Close(reason)),
                Effect::Load { doc } => {
                    let job = StorageJob::Load {
                        doc,
                        reply: self.reply.clone(),
                    };
                    if self.loads.send(job).is_err() {
                        tracing::error!("document readers stopped");
                    }
                }
                Effect::Write { doc, op } => {
                    let job = StorageJob::Write {
                        doc,
                        op,
                        reply: self.reply.clone(),
                    };
                    if self.writes.send(job).is_err() {
                        tracing::error!("document writer stopped");
                    }
                }
            }
        }
        *self.inner.stats[self.index]
            .lock()
            .unwrap_or_else(|p| p.into_inner()) = self.hub.stats();
    }

    fn send(&self, conn: ConnId, out: Outbound) {
        let conns = self.inner.conns.lock().unwrap_or_else(|p| p.into_inner());
        let Some(c) = conns.get(&conn) else {
            return;
        };
        match c.out.try_send(out) {
            Ok(()) => {}
            Err(mpsc::error::TrySendError::Full(_)) => {
                tracing::warn!(conn, "a client does not read its frames; disconnecting it");
                // The socket task is behind: it will see the outbox closed
                // once this end is dropped.
                drop(conns);
                self.inner
                    .conns
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .remove(&conn);
            }
            Err(mpsc::error::TrySendError::Closed(_)) => {}
        }
    }
}

/// The writer: commit queued writes in batches, report each, compact.
impl Inner {
    /// What the hubs hold, summed over shards (as of their last input).
    fn stats(&self) -> HubStats {
        self.stats.iter().fold(HubStats::default(), |mut sum, s| {
            let s = *s.lock().unwrap_or_else(|p| p.into_inner());
            sum.connections = sum.connections.max(s.connections);
            sum.loaded += s.loaded;
            sum.slots += s.slots;
            sum
        })
    }
}

/// Every [`MEMORY_LOOK`], give freed memory back to the operating system
/// when fewer documents are loaded or fewer tablets connected than at the
/// last look (documents unloaded, the morning's tablets gone).
async fn give_back_memory(inner: Arc<Inner>, stop: tokio_util::sync::CancellationToken) {
    let mut looks = tokio::time::interval(MEMORY_LOOK);
    looks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut shrinking = crate::memory::Shrinking::default();
    loop {
        tokio::select! {
            () = stop.cancelled() => return,
            _ = looks.tick() => {}
        }
        let stats = inner.stats();
        if shrinking.less_than_before(stats.loaded, stats.connections) {
            let _ = tokio::task::spawn_blocking(crate::memory::give_back).await;
        }
    }
}

fn run_writer(
    mut store: DocStore,
    rx: std_mpsc::Receiver<StorageJob>,
    health: &Health,
    projector: &Projector,
) {
    let mut worked = false;
    loop {
        let first = match rx.recv_timeout(STORAGE_IDLE) {
            Ok(job) => job,
            Err(std_mpsc::RecvTimeoutError::Timeout) => {
                if std::mem::take(&mut worked) {
                    store.shrink_memory();
                }
                continue;
            }
            Err(std_mpsc::RecvTimeoutError::Disconnected) => return,
        };
        worked = true;
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let mut jobs = Vec::with_capacity(batch.len());
        let mut replies = Vec::with_capacity(batch.len());
        for job in batch {
            match job {
                StorageJob::Write { doc, op, reply } => {
                    jobs.push((doc, op));
                    replies.push((doc, reply));
                }
                // Loads go to the readers; never sent here.
                StorageJob::Load { doc, reply } => {
                    let result = load_guarded(&store, &doc);
                    let _ = reply.send(Input::Loaded { doc, result });
                }
            }
        }
        let committed =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| store.commit(&jobs)))
                .unwrap_or_else(|_| {
                    Err(DocStoreError::Corrupt {
                        doc: "(a batch)".into(),
                        why: "automerge panicked while committing; the transaction was rolled back"
                            .into(),
                    })
                });
        match committed {
            Ok(outcomes) => {
                health.ok();
                for ((doc, reply), outcome) in replies.into_iter().zip(outcomes) {
                    if matches!(
                        outcome,
                        Ok(WriteOutcome::Persisted(_) | WriteOutcome::Reclaimed { .. })
                    ) {
                        projector.written(doc);
                    }
                    let result = outcome.map_err(|e| e.to_string());
                    let _ = reply.send(Input::Written { doc, result });
                }
                compact_written(&mut store, &jobs);
            }
            Err(e) => {
                let why = e.to_string();
                tracing::error!(error = %why, writes = jobs.len(), "committing document writes failed");
                health.failed(why.clone());
                for (doc, reply) in replies {
                    let _ = reply.send(Input::Written {
                        doc,
                        result: Err(why.clone()),
                    });
                }
            }
        }
    }
}

/// Load `doc` from `store`; automerge panicking on stored bytes (a
/// corrupt row) is an error for that document, not the end of the
/// storage thread.
fn load_guarded(
    store: &DocStore,
    doc: &DocumentId,
) -> Result<Box<crate::doc_store::Stored>, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| store.load(doc)))
        .unwrap_or_else(|_| {
            Err(DocStoreError::Corrupt {
                doc: doc.to_string(),
                why: "automerge panicked loading the stored bytes".into(),
            })
        })
        .map(Box::new)
        .map_err(|e| e.to_string())
}

/// Compact the documents just written that have grown enough change rows.
fn compact_written(store: &mut DocStore, jobs: &[(DocumentId, WriteOp)]) {
    let mut seen = std::collections::HashSet::new();
    for (doc, op) in jobs {
        if !matches!(op, WriteOp::Persist { .. }) || !seen.insert(*doc) {
            continue;
        }
        match store.change_rows(doc) {
            Ok(n) if n >= COMPACT_AT => {
                match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| store.compact(doc)))
                    .unwrap_or_else(|_| {
                        Err(DocStoreError::Corrupt {
                            doc: doc.to_string(),
                            why: "automerge panicked while compacting".into(),
                        })
                    }) {
                    Ok(rows) => tracing::debug!(doc = %doc, rows, "compacted"),
                    Err(e) => {
                        tracing::error!(doc = %doc, error = %e, "compaction failed; nothing was removed")
                    }
                }
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(doc = %doc, error = %e, "cannot count change rows"),
        }
    }
}

/// A reader: load documents until the job channel closes.
fn run_reader(store: &DocStore, rx: &Mutex<std_mpsc::Receiver<StorageJob>>) {
    let mut worked = false;
    loop {
        let job = {
            let rx = rx.lock().unwrap_or_else(|p| p.into_inner());
            rx.recv_timeout(STORAGE_IDLE)
        };
        if job.is_ok() {
            worked = true;
        }
        match job {
            Err(std_mpsc::RecvTimeoutError::Timeout) => {
                if std::mem::take(&mut worked) {
                    store.shrink_memory();
                }
            }
            Ok(StorageJob::Load { doc, reply }) => {
                let result = load_guarded(store, &doc);
                if let Err(e) = &result {
                    tracing::error!(doc = %doc, error = %e, "loading a document failed");
                }
                let _ = reply.send(Input::Loaded { doc, result });
            }
            Ok(StorageJob::Write { doc, reply, .. }) => {
                // Writes go to the writer; never sent here.
                let _ = reply.send(Input::Written {
                    doc,
                    result: Err("write sent to a reader".into()),
                });
            }
            Err(std_mpsc::RecvTimeoutError::Disconnected) => return,
        }
    }
}
