//! One simulated tablet: the model's [`SyncClient`] over a real WebSocket,
//! reconnecting by itself like the app, and counting what it sees.
//!
//! A [`Tablet`] owns its client behind a mutex that is only ever held for
//! one synchronous step (a frame received, a local change), never across
//! an `await`. Its connection task ([`Tablet::connect`]) opens the socket
//! (at most as many at once as the shared gate allows), performs the
//! handshake through the client, and pumps frames both ways; when the
//! socket closes it reconnects after a second, as the app does, until
//! [`Tablet::disconnect`] stops it.
//!
//! Every change a tablet makes is written into its site's
//! [`ChangeLedger`] with the instant it was made; every change a tablet
//! merges from the server is looked up there, which gives the edit →
//! other-tablet latency on one clock, and the list of changes that must
//! be on the server at the end. The moment a tablet's documents all
//! became confirmed (the server holds every local change) is recorded as
//! it happens ([`Tablet::confirmed_at`]), so waiting for it by polling
//! costs no precision.

use crate::BenchError;
use automerge::{ActorId, Automerge, ChangeHash, ReadDoc};
use futures::{SinkExt, StreamExt};
use shiftbook_model::DocumentId;
use shiftbook_model::client::{Output, SyncClient};
use shiftbook_model::protocol::PeerId;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tokio::sync::{Semaphore, mpsc, watch};
use tokio_tungstenite::tungstenite::Message;

/// How long one attempt to open a socket may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
/// The pause before reconnecting after a socket closed or failed to open.
const RECONNECT_PAUSE: Duration = Duration::from_secs(1);
/// Error texts kept per tablet (the count is kept in full).
const KEPT_ERRORS: usize = 5;

/// When in a run a change was made: latencies are reported per phase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Opening the day's documents (the burst).
    Open = 0,
    /// Changes at the configured pace after the burst.
    Pace = 1,
}

#[derive(Debug)]
struct Origin {
    tablet: usize,
    at: Instant,
    phase: Phase,
}

#[derive(Debug, Default)]
struct LedgerInner {
    origins: HashMap<ChangeHash, Origin>,
    by_doc: HashMap<DocumentId, Vec<ChangeHash>>,
    /// Edit → other-tablet latencies in µs, per [`Phase`].
    samples: [Vec<u32>; 2],
    /// Changes made, per [`Phase`].
    made: [u64; 2],
}

/// Every change a site's tablets made, when and by whom, and how long
/// each took to reach the site's other tablets.
#[derive(Debug, Default)]
pub struct ChangeLedger {
    inner: Mutex<LedgerInner>,
}

/// What a [`ChangeLedger`] saw.
#[derive(Debug, Clone, Default)]
pub struct LedgerSummary {
    /// Changes made, per [`Phase`].
    pub made: [u64; 2],
    /// Edit → other-tablet latencies in µs, per [`Phase`], unsorted.
    pub samples: [Vec<u32>; 2],
}

impl ChangeLedger {
    fn lock(&self) -> MutexGuard<'_, LedgerInner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Tablet `tablet` made change `hash` to `doc` at `at`.
    pub fn made(
        &self,
        doc: DocumentId,
        hash: ChangeHash,
        tablet: usize,
        at: Instant,
        phase: Phase,
    ) {
        let mut inner = self.lock();
        inner.origins.insert(hash, Origin { tablet, at, phase });
        inner.by_doc.entry(doc).or_default().push(hash);
        inner.made[phase as usize] += 1;
    }

    /// Tablet `tablet` merged `hashes` at `at`: one latency sample for
    /// each that another tablet made.
    fn arrived(&self, hashes: &[ChangeHash], tablet: usize, at: Instant) {
        let mut inner = self.lock();
        let LedgerInner {
            origins, samples, ..
        } = &mut *inner;
        for hash in hashes {
            if let Some(origin) = origins.get(hash)
                && origin.tablet != tablet
            {
                let micros = at.saturating_duration_since(origin.at).as_micros();
                samples[origin.phase as usize].push(u32::try_from(micros).unwrap_or(u32::MAX));
            }
        }
    }

    /// Every change made to `doc`.
    pub fn changes_of(&self, doc: &DocumentId) -> Vec<ChangeHash> {
        self.lock().by_doc.get(doc).cloned().unwrap_or_default()
    }

    /// Counts and latencies so far.
    pub fn summary(&self) -> LedgerSummary {
        let inner = self.lock();
        LedgerSummary {
            made: inner.made,
            samples: inner.samples.clone(),
        }
    }
}

/// What a tablet counted on the wire and off it.
#[derive(Debug, Default)]
struct Counters {
    bytes_sent: AtomicU64,
    bytes_received: AtomicU64,
    frames_sent: AtomicU64,
    frames_received: AtomicU64,
    errors: AtomicU64,
    unavailable: AtomicU64,
    connects: AtomicU64,
    disconnects: AtomicU64,
}

/// A copy of a tablet's counters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TabletStats {
    /// Payload bytes of the binary frames sent.
    pub bytes_sent: u64,
    /// Payload bytes of the binary frames received.
    pub bytes_received: u64,
    /// Binary frames sent.
    pub frames_sent: u64,
    /// Binary frames received.
    pub frames_received: u64,
    /// Errors: frames the client refused, server error messages, sockets
    /// that failed to open or broke.
    pub errors: u64,
    /// `doc-unavailable` answers.
    pub unavailable: u64,
    /// Sockets opened.
    pub connects: u64,
    /// Sockets that closed without being asked to.
    pub disconnects: u64,
}

impl TabletStats {
    /// The sum of two tablets' counters.
    pub fn plus(self, o: Self) -> Self {
        Self {
            bytes_sent: self.bytes_sent + o.bytes_sent,
            bytes_received: self.bytes_received + o.bytes_received,
            frames_sent: self.frames_sent + o.frames_sent,
            frames_received: self.frames_received + o.frames_received,
            errors: self.errors + o.errors,
            unavailable: self.unavailable + o.unavailable,
            connects: self.connects + o.connects,
            disconnects: self.disconnects + o.disconnects,
        }
    }
}

#[derive(Debug)]
struct Inner {
    client: SyncClient,
    outbound: Option<mpsc::UnboundedSender<Vec<u8>>>,
    /// Heads as last seen, to find what a merge brought.
    last_heads: HashMap<DocumentId, Vec<ChangeHash>>,
    confirmed_at: Option<Instant>,
    handshake_done: bool,
    errors: Vec<String>,
}

#[derive(Debug)]
struct Shared {
    index: usize,
    name: String,
    actor: ActorId,
    ledger: Option<Arc<ChangeLedger>>,
    inner: Mutex<Inner>,
    counters: Counters,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn error(&self, inner: &mut Inner, text: String) {
        self.counters.errors.fetch_add(1, Ordering::Relaxed);
        if inner.errors.len() < KEPT_ERRORS {
            inner.errors.push(text);
        }
    }

    /// Carry out the client's outputs: queue frames, note the handshake,
    /// arrivals, confirmations and refusals.
    fn drain(&self, inner: &mut Inner, now: Instant) {
        let mut changed = Vec::new();
        let mut check_confirmed = false;
        for output in inner.client.take_outputs() {
            match output {
                Output::Send(frame) => {
                    if let Some(tx) = &inner.outbound {
                        // The pump is gone once its socket closed; the
                        // client resends what is needed after reconnecting.
                        let _ = tx.send(frame);
                    }
                }
                Output::Connected => inner.handshake_done = true,
                Output::Changed(id) => {
                    changed.push(id);
                    check_confirmed = true;
                }
                Output::Confirmed(_) => check_confirmed = true,
                Output::Unavailable(_) => {
                    self.counters.unavailable.fetch_add(1, Ordering::Relaxed);
                }
                Output::ServerError(message) => {
                    self.error(inner, format!("server error: {message}"));
                }
            }
        }
        if let Some(ledger) = &self.ledger {
            for id in changed {
                let Inner {
                    client, last_heads, ..
                } = &mut *inner;
                let Some(doc) = client.doc(&id) else { continue };
                let before = last_heads.get(&id).map(Vec::as_slice).unwrap_or_default();
                let arrived: Vec<ChangeHash> = doc
                    .get_changes_meta(before)
                    .iter()
                    .map(|m| m.hash)
                    .collect();
                ledger.arrived(&arrived, self.index, now);
                last_heads.insert(id, doc.get_heads());
            }
        }
        if check_confirmed && inner.confirmed_at.is_none() && all_confirmed(&inner.client) {
            inner.confirmed_at = Some(now);
        }
    }

    fn receive(&self, frame: &[u8]) {
        let now = Instant::now();
        let mut inner = self.lock();
        if let Err(e) = inner.client.receive(frame) {
            self.error(&mut inner, format!("refused frame: {e}"));
        }
        self.drain(&mut inner, now);
    }
}

/// Whether the server holds every local change of every tracked document.
///
/// The usual case, confirmed heads equal to the document's, is decided
/// from the heads alone: [`SyncClient::unconfirmed`] looks every
/// confirmed head up with `get_change_by_hash`, which rebuilds the change
/// from the whole document, and would make the generator's own CPU time
/// grow with every check.
fn all_confirmed(client: &SyncClient) -> bool {
    client.documents().all(|id| {
        let mut confirmed = client.confirmed_heads(id);
        if confirmed.is_empty() {
            return false;
        }
        let mut heads = client.doc(id).map(Automerge::get_heads).unwrap_or_default();
        confirmed.sort_unstable();
        heads.sort_unstable();
        confirmed == heads || client.unconfirmed(id) == 0
    })
}

/// A simulated tablet.
#[derive(Debug)]
pub struct Tablet {
    shared: Arc<Shared>,
    connection: Mutex<Option<Connection>>,
}

/// A running connection task and the switch that stops it.
#[derive(Debug)]
struct Connection {
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl Tablet {
    /// Tablet number `index` (unique in the run) named `name`, with a
    /// fresh actor and peer id, writing its changes into `ledger` (none
    /// for a tablet that only checks what the server holds).
    pub fn new(
        index: usize,
        name: &str,
        ledger: Option<Arc<ChangeLedger>>,
    ) -> Result<Self, BenchError> {
        let actor = ActorId::from(crate::random_bytes::<16>()?.to_vec());
        let peer = PeerId::from_random(crate::random_bytes::<8>()?);
        Ok(Self {
            shared: Arc::new(Shared {
                index,
                name: name.to_owned(),
                actor: actor.clone(),
                ledger,
                inner: Mutex::new(Inner {
                    client: SyncClient::new(peer, actor),
                    outbound: None,
                    last_heads: HashMap::new(),
                    confirmed_at: None,
                    handshake_done: false,
                    errors: Vec::new(),
                }),
                counters: Counters::default(),
            }),
            connection: Mutex::new(None),
        })
    }

    /// The tablet's number in the run.
    pub fn index(&self) -> usize {
        self.shared.index
    }

    /// The tablet's name (its device name).
    pub fn name(&self) -> &str {
        &self.shared.name
    }

    /// The actor its changes are written with.
    pub fn actor(&self) -> &ActorId {
        &self.shared.actor
    }

    /// Start connecting to `url` (and reconnecting whenever the socket
    /// closes) until [`Tablet::disconnect`]. At most as many tablets as
    /// `gate` has permits open a socket at the same time.
    pub fn connect(&self, url: String, gate: Arc<Semaphore>) {
        let mut connection = self.connection.lock().unwrap_or_else(|p| p.into_inner());
        if connection.is_some() {
            return;
        }
        let (stop, stop_rx) = watch::channel(false);
        let task = tokio::spawn(run(self.shared.clone(), url, gate, stop_rx));
        *connection = Some(Connection { stop, task });
    }

    /// Close the socket and stop reconnecting; the documents stay, as on
    /// a tablet that went offline.
    pub async fn disconnect(&self) {
        let connection = self
            .connection
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        if let Some(Connection { stop, task }) = connection {
            let _ = stop.send(true);
            // A task that panicked has nothing left to close.
            let _ = task.await;
        }
    }

    /// Whether the handshake of the current connection has completed.
    pub fn is_connected(&self) -> bool {
        self.shared.lock().handshake_done
    }

    /// Track `doc` (a new document: genesis and this tablet's first
    /// changes, made with [`Tablet::actor`]) under `id` and sync it. Its
    /// changes by this tablet go into the ledger as made now.
    pub fn open(&self, id: DocumentId, doc: Automerge, phase: Phase) -> Result<(), BenchError> {
        let own: Vec<ChangeHash> = doc
            .get_changes_meta(&[])
            .iter()
            .filter(|m| *m.actor == self.shared.actor)
            .map(|m| m.hash)
            .collect();
        let mut inner = self.shared.lock();
        inner.client.insert(id, doc, Vec::new())?;
        let now = Instant::now();
        if let Some(ledger) = &self.shared.ledger {
            for hash in own {
                ledger.made(id, hash, self.shared.index, now, phase);
            }
        }
        let heads = inner.client.doc(&id).map(Automerge::get_heads);
        inner.last_heads.insert(id, heads.unwrap_or_default());
        inner.confirmed_at = None;
        self.shared.drain(&mut inner, now);
        Ok(())
    }

    /// Make one change to the tracked document `id` with `f`, which
    /// returns the change's hash, and sync it.
    pub fn change(
        &self,
        id: DocumentId,
        phase: Phase,
        f: impl FnOnce(&mut Automerge) -> Result<ChangeHash, BenchError>,
    ) -> Result<ChangeHash, BenchError> {
        let mut inner = self.shared.lock();
        let hash = inner
            .client
            .change(&id, f)
            .ok_or_else(|| BenchError::Config(format!("document {id} is not tracked")))??;
        let now = Instant::now();
        if let Some(ledger) = &self.shared.ledger {
            ledger.made(id, hash, self.shared.index, now, phase);
        }
        let heads = inner.client.doc(&id).map(Automerge::get_heads);
        inner.last_heads.insert(id, heads.unwrap_or_default());
        inner.confirmed_at = None;
        self.shared.drain(&mut inner, now);
        Ok(hash)
    }

    /// Ask the server for a document this tablet does not hold.
    pub fn want(&self, id: DocumentId) {
        let mut inner = self.shared.lock();
        inner.client.want(id);
        self.shared.drain(&mut inner, Instant::now());
    }

    /// When the server last came to hold every local change of every
    /// tracked document; `None` while it lacks some.
    pub fn confirmed_at(&self) -> Option<Instant> {
        self.shared.lock().confirmed_at
    }

    /// Local changes the server has not confirmed, over all documents.
    pub fn unconfirmed(&self) -> usize {
        self.shared.lock().client.total_unconfirmed()
    }

    /// The heads of `id` (empty if not tracked).
    pub fn heads(&self, id: &DocumentId) -> Vec<ChangeHash> {
        self.shared
            .lock()
            .client
            .doc(id)
            .map(Automerge::get_heads)
            .unwrap_or_default()
    }

    /// Run `f` on the tracked document `id`.
    pub fn with_doc<R>(&self, id: &DocumentId, f: impl FnOnce(Option<&Automerge>) -> R) -> R {
        f(self.shared.lock().client.doc(id))
    }

    /// How many of `hashes` the tracked document `id` lacks (a lookup in
    /// the change graph, not a rebuild of each change).
    pub fn missing(&self, id: &DocumentId, hashes: &[ChangeHash]) -> usize {
        self.with_doc(id, |doc| match doc {
            Some(doc) => doc.get_missing_deps(hashes).len(),
            None => hashes.len(),
        })
    }

    /// The tablet's counters.
    pub fn stats(&self) -> TabletStats {
        let c = &self.shared.counters;
        let get = |a: &AtomicU64| a.load(Ordering::Relaxed);
        TabletStats {
            bytes_sent: get(&c.bytes_sent),
            bytes_received: get(&c.bytes_received),
            frames_sent: get(&c.frames_sent),
            frames_received: get(&c.frames_received),
            errors: get(&c.errors),
            unavailable: get(&c.unavailable),
            connects: get(&c.connects),
            disconnects: get(&c.disconnects),
        }
    }

    /// The first few errors this tablet saw, as text.
    pub fn errors(&self) -> Vec<String> {
        self.shared.lock().errors.clone()
    }
}

impl Drop for Tablet {
    fn drop(&mut self) {
        let connection = self
            .connection
            .get_mut()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        if let Some(connection) = connection {
            connection.task.abort();
        }
    }
}

/// Whether `stop` says stop (a dropped sender counts as stop).
async fn stopped(stop: &mut watch::Receiver<bool>) {
    let _ = stop.wait_for(|s| *s).await;
}

/// The connection task: connect, pump, reconnect after a pause, until
/// told to stop.
async fn run(
    shared: Arc<Shared>,
    url: String,
    gate: Arc<Semaphore>,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        let opened = {
            let permit = tokio::select! {
                permit = gate.acquire() => permit,
                () = stopped(&mut stop) => return,
            };
            let opened = tokio::select! {
                opened = tokio::time::timeout(
                    CONNECT_TIMEOUT,
                    tokio_tungstenite::connect_async(url.as_str()),
                ) => opened,
                () = stopped(&mut stop) => return,
            };
            drop(permit);
            opened
        };
        match opened {
            Ok(Ok((socket, _response))) => {
                shared.counters.connects.fetch_add(1, Ordering::Relaxed);
                let (tx, rx) = mpsc::unbounded_channel();
                {
                    let mut inner = shared.lock();
                    inner.outbound = Some(tx);
                    inner.client.connected();
                    shared.drain(&mut inner, Instant::now());
                }
                let asked_to_stop = pump(socket, rx, &shared, &mut stop).await;
                {
                    let mut inner = shared.lock();
                    inner.client.disconnected();
                    inner.outbound = None;
                    inner.handshake_done = false;
                }
                if asked_to_stop {
                    return;
                }
                shared.counters.disconnects.fetch_add(1, Ordering::Relaxed);
            }
            Ok(Err(e)) => {
                let mut inner = shared.lock();
                shared.error(&mut inner, format!("connect: {e}"));
            }
            Err(_) => {
                let mut inner = shared.lock();
                shared.error(
                    &mut inner,
                    format!("connect: no answer in {CONNECT_TIMEOUT:?}"),
                );
            }
        }
        tokio::select! {
            () = tokio::time::sleep(RECONNECT_PAUSE) => {}
            () = stopped(&mut stop) => return,
        }
    }
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Pump frames both ways until the socket closes (`false`) or `stop`
/// says so (`true`, after closing the socket).
async fn pump(
    socket: Socket,
    mut outbound: mpsc::UnboundedReceiver<Vec<u8>>,
    shared: &Shared,
    stop: &mut watch::Receiver<bool>,
) -> bool {
    let (mut sink, mut stream) = socket.split();
    let counters = &shared.counters;
    loop {
        tokio::select! {
            () = stopped(stop) => {
                let _ = tokio::time::timeout(Duration::from_secs(2), sink.close()).await;
                return true;
            }
            incoming = stream.next() => match incoming {
                Some(Ok(Message::Binary(bytes))) => {
                    counters.frames_received.fetch_add(1, Ordering::Relaxed);
                    counters.bytes_received.fetch_add(bytes.len() as u64, Ordering::Relaxed);
                    shared.receive(&bytes);
                }
                Some(Ok(Message::Close(_))) | None => return false,
                Some(Ok(_)) => {}
                Some(Err(e)) => {
                    let mut inner = shared.lock();
                    shared.error(&mut inner, format!("socket: {e}"));
                    return false;
                }
            },
            frame = outbound.recv() => {
                let Some(frame) = frame else { return false };
                // Send everything queued, then flush once.
                let mut batch = vec![frame];
                while let Ok(more) = outbound.try_recv() {
                    batch.push(more);
                }
                for frame in batch {
                    counters.frames_sent.fetch_add(1, Ordering::Relaxed);
                    counters.bytes_sent.fetch_add(frame.len() as u64, Ordering::Relaxed);
                    if let Err(e) = sink.feed(Message::Binary(frame.into())).await {
                        let mut inner = shared.lock();
                        shared.error(&mut inner, format!("send: {e}"));
                        return false;
                    }
                }
                if let Err(e) = sink.flush().await {
                    let mut inner = shared.lock();
                    shared.error(&mut inner, format!("send: {e}"));
                    return false;
                }
            }
        }
    }
}
