//! `GET /sync`: the authenticated automerge-repo WebSocket.
//!
//! 1. The device token (or a supervisor's session cookie, see
//!    [`crate::auth::authenticate_connection`]) is checked *before* the
//!    upgrade: a missing,
//!    unknown or revoked token gets a plain 401 and no WebSocket.
//! 2. After the upgrade the server reads the first binary frame itself
//!    (within the join timeout). It must decode as a protocol `join`; its
//!    `senderId` is the peer id the client chose.
//! 3. That peer id is bound to the device in the [`PeerRegistry`]
//!    (refused if it is live for another device), and the socket is handed
//!    to samod with `with_expected_peer_id`, so every later message must
//!    claim the same id. The `join` frame is replayed to samod first.
//! 4. Every inbound `request`/`sync` frame is noted as a *mention* of its
//!    document (see [`crate::policy`]) before samod sees it.
//! 5. The connection's inbound stream ends when its cancellation token
//!    fires (revocation, logout, expiry, shutdown); samod then closes the socket. The
//!    binding is dropped when samod drops the stream.
//!
//! A bad first frame closes the socket with a close frame and is logged;
//! it never affects other connections.
//!
//! [`PeerRegistry`]: crate::peers::PeerRegistry

use crate::auth;
use crate::error::AppError;
use crate::peers::{ConnectionGuard, PeerRegistry, Principal};
use crate::state::AppState;
use axum::extract::State;
use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade, close_code};
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use futures::stream::BoxStream;
use futures::{SinkExt, Stream, StreamExt};
use shiftbook_model::protocol::WireMessage;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

/// Why an inbound frame could not be passed on.
#[derive(Debug, thiserror::Error)]
pub enum InboundError {
    /// The WebSocket failed.
    #[error("websocket receive error: {0}")]
    Socket(#[from] axum::Error),
    /// The protocol is binary; a text frame is a client bug.
    #[error("unexpected text frame")]
    Text,
}

/// The `/sync` handler.
pub async fn upgrade(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
    ws: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Result<Response, AppError> {
    let who = auth::authenticate_connection(&state.store, &headers, &uri).await?;
    let ws = ws?;
    Ok(ws.on_upgrade(move |socket| accept(state, who, socket)))
}

/// How the first frame failed.
enum FirstFrame {
    Closed,
    NotBinary,
}

/// The first binary frame, skipping pings and pongs.
async fn first_binary(socket: &mut WebSocket) -> Result<Vec<u8>, FirstFrame> {
    loop {
        match socket.recv().await {
            Some(Ok(Message::Binary(bytes))) => return Ok(bytes.to_vec()),
            Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
            Some(Ok(Message::Text(_))) => return Err(FirstFrame::NotBinary),
            Some(Ok(Message::Close(_)) | Err(_)) | None => return Err(FirstFrame::Closed),
        }
    }
}

async fn refuse(mut socket: WebSocket, code: u16, reason: &'static str) {
    let frame = CloseFrame {
        code,
        reason: reason.into(),
    };
    // The client may already be gone; nothing to do about it.
    let _ = socket.send(Message::Close(Some(frame))).await;
}

/// Run the handshake checks and hand the socket to samod.
async fn accept(state: AppState, who: Principal, mut socket: WebSocket) {
    let label = who.label().to_owned();
    let first = match tokio::time::timeout(state.join_timeout, first_binary(&mut socket)).await {
        Ok(Ok(frame)) => frame,
        Ok(Err(FirstFrame::Closed)) => {
            tracing::debug!(who = %label, "socket closed before join");
            return;
        }
        Ok(Err(FirstFrame::NotBinary)) => {
            tracing::warn!(who = %label, "first frame was not binary; closing");
            return refuse(
                socket,
                close_code::PROTOCOL,
                "expected a binary join message",
            )
            .await;
        }
        Err(_) => {
            tracing::warn!(who = %label, "no join within the timeout; closing");
            return refuse(socket, close_code::POLICY, "join timeout").await;
        }
    };
    let peer = match WireMessage::decode(&first) {
        Ok(WireMessage::Join { sender_id, .. }) => sender_id,
        Ok(other) => {
            tracing::warn!(who = %label, message = ?kind(&other), "first message was not join; closing");
            return refuse(socket, close_code::PROTOCOL, "expected a join message").await;
        }
        Err(e) => {
            tracing::warn!(who = %label, error = %e, "undecodable first frame; closing");
            return refuse(socket, close_code::PROTOCOL, "expected a join message").await;
        }
    };
    let guard = match state.peers.register_principal(peer.as_str(), who.clone()) {
        Ok(guard) => guard,
        Err(e) => {
            tracing::warn!(who = %label, peer = %peer, error = %e, "refused connection");
            return refuse(
                socket,
                close_code::POLICY,
                "peer id in use by another device",
            )
            .await;
        }
    };
    match &who {
        Principal::Device(d) => {
            tracing::info!(device = %d.name, site = %d.site, peer = %peer, "device connected");
        }
        Principal::Supervisor { name, sites, .. } => {
            tracing::info!(supervisor = %name, sites = ?sites, peer = %peer, "supervisor connected");
        }
    }

    let (sink, stream) = socket.split();
    let outbound = sink.with(|bytes: Vec<u8>| {
        futures::future::ready(Ok::<_, axum::Error>(Message::Binary(bytes.into())))
    });
    let inbound = Guarded {
        inner: inbound_frames(first, stream, state.peers.clone(), &guard),
        _guard: guard,
    };
    let transport = samod::Transport::new(inbound, outbound)
        .with_expected_peer_id(samod::PeerId::from(peer.as_str()));
    if state.acceptor.accept(transport).is_err() {
        tracing::warn!(who = %label, "sync repo is stopping; connection dropped");
    }
}

fn kind(message: &WireMessage) -> &'static str {
    match message {
        WireMessage::Join { .. } => "join",
        WireMessage::Peer { .. } => "peer",
        WireMessage::Leave { .. } => "leave",
        WireMessage::Request { .. } => "request",
        WireMessage::Sync { .. } => "sync",
        WireMessage::DocUnavailable { .. } => "doc-unavailable",
        WireMessage::Error { .. } => "error",
        WireMessage::Other { .. } => "other",
    }
}

/// The join frame again, then every binary frame of the socket, noting
/// document mentions; ends when the connection is cancelled.
fn inbound_frames(
    first: Vec<u8>,
    stream: futures::stream::SplitStream<WebSocket>,
    peers: Arc<PeerRegistry>,
    guard: &ConnectionGuard,
) -> BoxStream<'static, Result<Vec<u8>, InboundError>> {
    let peer = guard.peer().to_owned();
    let rest = stream.filter_map(move |message| {
        let item = match message {
            Ok(Message::Binary(bytes)) => {
                note_mention(&peers, &peer, &bytes);
                Some(Ok(bytes.to_vec()))
            }
            Ok(Message::Ping(_) | Message::Pong(_) | Message::Close(_)) => None,
            Ok(Message::Text(_)) => Some(Err(InboundError::Text)),
            Err(e) => Some(Err(InboundError::Socket(e))),
        };
        futures::future::ready(item)
    });
    futures::stream::once(futures::future::ready(Ok(first)))
        .chain(rest)
        .take_until(guard.cancelled())
        .boxed()
}

fn note_mention(peers: &PeerRegistry, peer: &str, frame: &[u8]) {
    if let Ok(WireMessage::Request { document_id, .. } | WireMessage::Sync { document_id, .. }) =
        WireMessage::decode(frame)
    {
        peers.mention(peer, document_id);
    }
}

/// A stream that keeps the connection's registry binding alive for as
/// long as samod holds it.
struct Guarded {
    inner: BoxStream<'static, Result<Vec<u8>, InboundError>>,
    _guard: ConnectionGuard,
}

impl Stream for Guarded {
    type Item = Result<Vec<u8>, InboundError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}
