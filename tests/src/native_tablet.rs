//! A tablet without a browser: the model's sans-IO [`SyncClient`] driven
//! over a real WebSocket (tokio-tungstenite) to a sync server's `/sync`.
//!
//! [`NativeTablet::connect`] opens the socket (token in the query string,
//! as the browser app does, or as a bearer header;
//! [`NativeTablet::connect_with_session`] presents a supervisor's session
//! cookie instead), starts the handshake
//! and spawns a task that pumps frames both ways. Every frame the client
//! produces, whether from a local change or in answer to the server, goes
//! through one queue, so frames leave in the order the client made them.
//! The async helpers lock the client briefly, do one thing, and send what
//! it produced; [`NativeTablet::wait_until`] waits, bounded in time, for
//! a condition on the client.

use automerge::{ActorId, Automerge};
use futures::{SinkExt, StreamExt};
use shiftbook_model::DocumentId;
use shiftbook_model::client::{Output, SyncClient, SyncStatus};
use shiftbook_model::protocol::{DecodeError, PeerId};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::net::TcpStream;
use tokio::sync::{mpsc, watch};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::{self, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// A raw client WebSocket.
pub type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// How a tablet presents its token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenVia {
    /// `/sync?token=…`, as the browser app must.
    Query,
    /// `Authorization: Bearer …`.
    Header,
}

/// What went wrong talking to the server.
#[derive(Debug, thiserror::Error)]
pub enum TabletError {
    /// The server answered the upgrade request with this HTTP status.
    #[error("upgrade refused with HTTP {0}")]
    Refused(u16),
    /// The WebSocket could not be opened.
    #[error("websocket error: {0}")]
    Socket(#[from] tungstenite::Error),
    /// A condition did not hold in time.
    #[error("timed out after {0:?} waiting for {1}")]
    Timeout(Duration, String),
    /// automerge refused a document.
    #[error("document error: {0}")]
    Automerge(#[from] automerge::AutomergeError),
    /// A peer id could not be made.
    #[error("bad peer id: {0}")]
    PeerId(#[from] DecodeError),
    /// The document is not tracked by this tablet.
    #[error("document {0} is not tracked")]
    NotTracked(DocumentId),
}

/// Open `/sync` on `addr`, presenting `token` (if any) `via` the query or
/// a header. An HTTP refusal is [`TabletError::Refused`].
pub async fn open_socket(
    addr: SocketAddr,
    token: Option<&str>,
    via: TokenVia,
) -> Result<Socket, TabletError> {
    let url = match (token, via) {
        (Some(t), TokenVia::Query) => format!("ws://{addr}/sync?token={t}"),
        _ => format!("ws://{addr}/sync"),
    };
    let mut request = url.into_client_request()?;
    if let (Some(t), TokenVia::Header) = (token, via) {
        let value = HeaderValue::from_str(&format!("Bearer {t}"))
            .map_err(|e| tungstenite::Error::HttpFormat(e.into()))?;
        request.headers_mut().insert("authorization", value);
    }
    match tokio_tungstenite::connect_async(request).await {
        Ok((socket, _response)) => Ok(socket),
        Err(tungstenite::Error::Http(response)) => {
            Err(TabletError::Refused(response.status().as_u16()))
        }
        Err(e) => Err(e.into()),
    }
}

/// Open `/sync` on `addr` presenting a supervisor's session cookie
/// (`Cookie: shiftbook_session=<session>`), as a logged-in browser does.
pub async fn open_socket_with_session(
    addr: SocketAddr,
    session: &str,
) -> Result<Socket, TabletError> {
    let mut request = format!("ws://{addr}/sync").into_client_request()?;
    let value = HeaderValue::from_str(&format!("shiftbook_session={session}"))
        .map_err(|e| tungstenite::Error::HttpFormat(e.into()))?;
    request.headers_mut().insert("cookie", value);
    match tokio_tungstenite::connect_async(request).await {
        Ok((socket, _response)) => Ok(socket),
        Err(tungstenite::Error::Http(response)) => {
            Err(TabletError::Refused(response.status().as_u16()))
        }
        Err(e) => Err(e.into()),
    }
}

/// Wait until `socket` is closed by the server; the close frame if one
/// came. Frames received meanwhile are ignored.
pub async fn wait_for_close(
    socket: &mut Socket,
    timeout: Duration,
) -> Result<Option<CloseFrame>, TabletError> {
    let closed = async {
        loop {
            match socket.next().await {
                Some(Ok(Message::Close(frame))) => return frame,
                Some(Ok(_)) => continue,
                Some(Err(_)) | None => return None,
            }
        }
    };
    tokio::time::timeout(timeout, closed)
        .await
        .map_err(|_| TabletError::Timeout(timeout, "the server to close the socket".into()))
}

/// Unique enough ids for test sessions: process id, time and a counter.
fn fresh_bytes() -> [u8; 16] {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    let mut out = [0u8; 16];
    out[..8].copy_from_slice(&(nanos ^ (u64::from(std::process::id()) << 32)).to_le_bytes());
    out[8..].copy_from_slice(&n.to_le_bytes());
    out
}

/// A fresh peer id for a test tablet.
pub fn fresh_peer_id() -> Result<PeerId, DecodeError> {
    let hex: String = fresh_bytes().iter().map(|b| format!("{b:02x}")).collect();
    PeerId::new(format!("native-tablet-{hex}"))
}

#[derive(Debug)]
struct Shared {
    client: Mutex<SyncClient>,
    outputs: Mutex<Vec<Output>>,
    errors: Mutex<Vec<String>>,
    close: Mutex<Option<(u16, String)>>,
    closed: watch::Sender<bool>,
    changed: watch::Sender<u64>,
    outbound: mpsc::UnboundedSender<Vec<u8>>,
}

impl Shared {
    fn client(&self) -> MutexGuard<'_, SyncClient> {
        self.client.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Queue the client's frames and record everything else. Called with
    /// the client locked, so frames are queued in the order made.
    fn drain(&self, client: &mut SyncClient) {
        for output in client.take_outputs() {
            match output {
                Output::Send(frame) => {
                    // The pump is gone once the socket closed; nothing to send to.
                    let _ = self.outbound.send(frame);
                }
                other => self
                    .outputs
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push(other),
            }
        }
        self.changed.send_modify(|n| *n = n.wrapping_add(1));
    }
}

/// A [`SyncClient`] connected to a server over a real socket.
#[derive(Debug)]
pub struct NativeTablet {
    shared: Arc<Shared>,
    pump: tokio::task::JoinHandle<()>,
}

impl NativeTablet {
    /// Connect with a fresh peer id and actor.
    pub async fn connect(
        addr: SocketAddr,
        token: &str,
        via: TokenVia,
    ) -> Result<Self, TabletError> {
        Self::connect_as(addr, token, via, fresh_peer_id()?).await
    }

    /// Connect announcing `peer` as this tablet's peer id.
    pub async fn connect_as(
        addr: SocketAddr,
        token: &str,
        via: TokenVia,
        peer: PeerId,
    ) -> Result<Self, TabletError> {
        let socket = open_socket(addr, Some(token), via).await?;
        let client = SyncClient::new(peer, ActorId::from(fresh_bytes().to_vec()));
        Ok(Self::start(socket, client))
    }

    /// Connect as a supervisor's browser: the session cookie instead of a
    /// token, with a fresh peer id and actor.
    pub async fn connect_with_session(
        addr: SocketAddr,
        session: &str,
    ) -> Result<Self, TabletError> {
        let socket = open_socket_with_session(addr, session).await?;
        let client = SyncClient::new(fresh_peer_id()?, ActorId::from(fresh_bytes().to_vec()));
        Ok(Self::start(socket, client))
    }

    fn start(socket: Socket, client: SyncClient) -> Self {
        let (tx, rx) = mpsc::unbounded_channel();
        let shared = Arc::new(Shared {
            client: Mutex::new(client),
            outputs: Mutex::new(Vec::new()),
            errors: Mutex::new(Vec::new()),
            close: Mutex::new(None),
            closed: watch::Sender::new(false),
            changed: watch::Sender::new(0),
            outbound: tx,
        });
        {
            let mut client = shared.client();
            client.connected();
            shared.drain(&mut client);
        }
        let pump = tokio::spawn(pump(socket, rx, shared.clone()));
        Self { shared, pump }
    }

    /// Run `f` on the client (read-only questions).
    pub fn with_client<R>(&self, f: impl FnOnce(&SyncClient) -> R) -> R {
        f(&self.shared.client())
    }

    /// Track `doc` under `id` and sync it.
    pub fn insert(&self, id: DocumentId, doc: Automerge) -> Result<(), TabletError> {
        let mut client = self.shared.client();
        client.insert(id, doc, Vec::new())?;
        self.shared.drain(&mut client);
        Ok(())
    }

    /// Change a tracked document and sync the change.
    pub fn change<R>(
        &self,
        id: DocumentId,
        f: impl FnOnce(&mut Automerge) -> R,
    ) -> Result<R, TabletError> {
        let mut client = self.shared.client();
        let out = client.change(&id, f).ok_or(TabletError::NotTracked(id))?;
        self.shared.drain(&mut client);
        Ok(out)
    }

    /// Tell the client the purpose `id` was derived from (it registers it
    /// with the server before syncing it, as the app does).
    pub fn note_purpose(&self, id: DocumentId, purpose: &str) {
        let mut client = self.shared.client();
        client.note_purpose(id, purpose);
        self.shared.drain(&mut client);
    }

    /// Name the site registrations are for (a supervisor of several).
    pub fn set_site(&self, site: &str) {
        self.shared.client().set_site(Some(site.to_owned()));
    }

    /// Ask again for documents the server said were unavailable.
    pub fn retry_unavailable(&self) {
        let mut client = self.shared.client();
        client.retry_unavailable();
        self.shared.drain(&mut client);
    }

    /// Ask the server for a document this tablet does not hold.
    pub fn want(&self, id: DocumentId) {
        let mut client = self.shared.client();
        client.want(id);
        self.shared.drain(&mut client);
    }

    /// A copy of the tracked document.
    pub fn doc(&self, id: DocumentId) -> Option<Automerge> {
        self.shared.client().doc(&id).cloned()
    }

    /// The client's sync status.
    pub fn status(&self) -> SyncStatus {
        self.shared.client().status()
    }

    /// Every output other than frames, in order.
    pub fn outputs(&self) -> Vec<Output> {
        self.shared
            .outputs
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Frames the client refused, as text.
    pub fn errors(&self) -> Vec<String> {
        self.shared
            .errors
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Wait until `condition` holds for the client.
    pub async fn wait_until(
        &self,
        what: &str,
        timeout: Duration,
        condition: impl Fn(&SyncClient) -> bool,
    ) -> Result<(), TabletError> {
        let mut changes = self.shared.changed.subscribe();
        let wait = async {
            loop {
                changes.borrow_and_update();
                if condition(&self.shared.client()) {
                    return true;
                }
                if changes.changed().await.is_err() {
                    return condition(&self.shared.client());
                }
            }
        };
        match tokio::time::timeout(timeout, wait).await {
            Ok(true) => Ok(()),
            _ => Err(TabletError::Timeout(timeout, what.to_owned())),
        }
    }

    /// Wait for the handshake.
    pub async fn wait_connected(&self, timeout: Duration) -> Result<(), TabletError> {
        self.wait_until("the handshake", timeout, |c| {
            matches!(c.status(), SyncStatus::Synced | SyncStatus::Syncing)
        })
        .await
    }

    /// Wait until the server holds every local change of `id`.
    pub async fn wait_confirmed(
        &self,
        id: DocumentId,
        timeout: Duration,
    ) -> Result<(), TabletError> {
        self.wait_until("the server to confirm every change", timeout, |c| {
            c.unconfirmed(&id) == 0 && !c.confirmed_heads(&id).is_empty()
        })
        .await
    }

    /// Connect with a token in the query and wait for the handshake.
    pub async fn connect_ready(
        addr: SocketAddr,
        token: &str,
        timeout: Duration,
    ) -> Result<Self, TabletError> {
        let t = Self::connect(addr, token, TokenVia::Query).await?;
        t.wait_connected(timeout).await?;
        Ok(t)
    }

    /// Whether the socket has closed.
    pub fn is_closed(&self) -> bool {
        *self.shared.closed.borrow()
    }

    /// The server's close frame (code, reason), if it sent one.
    pub fn close_frame(&self) -> Option<(u16, String)> {
        self.shared
            .close
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Wait until the socket has closed.
    pub async fn wait_closed(&self, timeout: Duration) -> Result<(), TabletError> {
        let mut closed = self.shared.closed.subscribe();
        tokio::time::timeout(timeout, closed.wait_for(|c| *c))
            .await
            .map_err(|_| TabletError::Timeout(timeout, "the connection to close".into()))?
            .map(|_| ())
            .map_err(|_| TabletError::Timeout(timeout, "the connection to close".into()))
    }

    /// Close the connection from this side.
    pub fn disconnect(self) {
        self.pump.abort();
    }

    /// Close the connection from this side and hand back the client with
    /// its documents and what it knows the server holds, to connect again
    /// ([`NativeTablet::reconnect`]) as a tablet does after an outage.
    pub fn into_client(self) -> SyncClient {
        self.pump.abort();
        let placeholder =
            SyncClient::new(PeerId::from_random([0; 8]), ActorId::from(vec![0u8; 16]));
        let mut client = std::mem::replace(&mut *self.shared.client(), placeholder);
        client.disconnected();
        let _ = client.take_outputs();
        client
    }

    /// Connect `client` (from [`NativeTablet::into_client`]) again, with
    /// the token in the query.
    pub async fn reconnect(
        addr: SocketAddr,
        token: &str,
        client: SyncClient,
    ) -> Result<Self, TabletError> {
        let socket = open_socket(addr, Some(token), TokenVia::Query).await?;
        Ok(Self::start(socket, client))
    }
}

impl Drop for NativeTablet {
    fn drop(&mut self) {
        self.pump.abort();
    }
}

async fn pump(socket: Socket, mut outbound: mpsc::UnboundedReceiver<Vec<u8>>, shared: Arc<Shared>) {
    let (mut sink, mut stream) = socket.split();
    loop {
        tokio::select! {
            incoming = stream.next() => match incoming {
                Some(Ok(Message::Binary(bytes))) => {
                    let mut client = shared.client();
                    if let Err(e) = client.receive(&bytes) {
                        shared.errors.lock().unwrap_or_else(|p| p.into_inner()).push(e.to_string());
                    }
                    shared.drain(&mut client);
                }
                Some(Ok(Message::Close(frame))) => {
                    if let Some(frame) = frame {
                        *shared.close.lock().unwrap_or_else(|p| p.into_inner()) =
                            Some((u16::from(frame.code), frame.reason.to_string()));
                    }
                    break;
                }
                Some(Ok(_)) => {}
                Some(Err(_)) | None => break,
            },
            frame = outbound.recv() => match frame {
                Some(frame) => {
                    if sink.send(Message::Binary(frame.into())).await.is_err() {
                        break;
                    }
                }
                None => break,
            },
        }
    }
    let _ = sink.close().await;
    {
        let mut client = shared.client();
        client.disconnected();
        shared.drain(&mut client);
    }
    shared.closed.send_replace(true);
}
