//! `GET /sync`: the authenticated automerge-repo WebSocket.
//!
//! 1. The device token (or a supervisor's session cookie, see
//!    [`crate::auth::authenticate_connection`]) is checked *before* the
//!    upgrade: a missing, unknown or revoked token gets a plain 401 and no
//!    WebSocket.
//! 2. After the upgrade the first binary frame must be a protocol `join`
//!    (within the join timeout); its `senderId` is the peer id the client
//!    chose. It is bound to the authenticated principal in the
//!    [`PeerRegistry`] (refused if it is live for another device), and the
//!    server answers `peer`.
//! 3. From then on every `request`/`sync` frame goes to the sync hub
//!    ([`crate::sync_runtime`]) as a message about its document, and every
//!    `register` frame as registrations of the purposes it names, each id
//!    derived from the *authenticated* site's key. A frame that claims
//!    another sender, names a site the caller does not act for, or cannot
//!    be decoded closes the connection (and only it).
//! 4. What the hub sends the connection leaves through its outbox; the
//!    connection ends when the client leaves, the hub drops it (a client
//!    that does not read), or its cancellation token fires (revocation,
//!    logout, expiry, shutdown).
//!
//! [`PeerRegistry`]: crate::peers::PeerRegistry

use crate::error::AppError;
use crate::frame_rate::FrameRate;
use crate::hub::Input;
use crate::principal::Principal;
use crate::state::AppState;
use crate::sync_runtime::Outbound;
use axum::extract::State;
use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade, close_code};
use axum::response::Response;
use futures::{SinkExt, StreamExt};
use shiftbook_model::protocol::{PROTOCOL_VERSION, WireMessage};
use std::sync::Arc;

/// Bytes a socket reads at a time.
const READ_BUFFER: usize = 8 * 1024;
/// The largest frame (and message) a client may send; larger ones close
/// the socket. A year of a busy site's duty log is a few MiB.
pub const MAX_FRAME: usize = 16 * 1024 * 1024;

/// The `/sync` handler.
pub async fn upgrade(
    State(state): State<AppState>,
    who: Principal,
    ws: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Result<Response, AppError> {
    // tungstenite reads into a 128 KiB buffer per socket by default: with
    // hundreds of tablets connected that alone was half the server's
    // memory. Frames are small; larger ones still arrive, in more reads.
    let ws = ws?
        .read_buffer_size(READ_BUFFER)
        .max_frame_size(MAX_FRAME)
        .max_message_size(MAX_FRAME);
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

/// Run the handshake, then relay frames between the socket and the hub.
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
        Ok(WireMessage::Join {
            sender_id,
            supported_protocol_versions,
            ..
        }) if supported_protocol_versions
            .iter()
            .any(|v| v == PROTOCOL_VERSION) =>
        {
            sender_id
        }
        Ok(WireMessage::Join { .. }) => {
            tracing::warn!(who = %label, "client speaks no protocol version we do; closing");
            return refuse(socket, close_code::PROTOCOL, "unsupported protocol version").await;
        }
        Ok(other) => {
            tracing::warn!(who = %label, message = other.kind(), "first message was not join; closing");
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
        Principal::Device { device, .. } => {
            tracing::info!(device = %device.name, site = %device.site, peer = %peer, "device connected");
        }
        Principal::Supervisor { name, sites, .. } => {
            let sites: Vec<&String> = sites.keys().collect();
            tracing::info!(supervisor = %name, sites = ?sites, peer = %peer, "supervisor connected");
        }
    }
    let answer = WireMessage::Peer {
        sender_id: state.sync.server_peer().clone(),
        target_id: peer.clone(),
        selected_protocol_version: PROTOCOL_VERSION.to_owned(),
    };
    if socket
        .send(Message::Binary(answer.encode().into()))
        .await
        .is_err()
    {
        return;
    }
    let who = Arc::new(who);
    let mut conn = state.sync.connect(peer.clone(), who.clone());
    let (mut sink, mut stream) = socket.split();
    let cancelled = guard.cancelled();
    tokio::pin!(cancelled);
    let mut rate = FrameRate::new(std::time::Instant::now());
    let close = loop {
        tokio::select! {
            () = &mut cancelled => break Some((close_code::POLICY, guard.close_reason().to_owned())),
            out = conn.outbox.recv() => match out {
                Some(Outbound::Frame(frame)) => {
                    if sink.send(Message::Binary(frame.into())).await.is_err() {
                        break None;
                    }
                }
                Some(Outbound::Close(reason)) => break Some((close_code::PROTOCOL, reason)),
                None => break Some((close_code::AGAIN, "too slow to read".to_owned())),
            },
            frame = stream.next() => match frame {
                Some(Ok(Message::Binary(bytes))) => {
                    if let Some(wait) = rate.take(std::time::Instant::now()) {
                        tokio::time::sleep(wait).await;
                    }
                    if let Err(reason) = inbound(&state, conn.id, &peer, &who, &bytes) {
                        tracing::warn!(who = %label, %reason, "closing a connection");
                        break Some((close_code::PROTOCOL, reason));
                    }
                }
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
                Some(Ok(Message::Text(_))) => {
                    break Some((close_code::PROTOCOL, "text frames are not protocol messages".to_owned()));
                }
                Some(Err(e)) => {
                    // tungstenite says "Space limit exceeded" for a frame or
                    // message over MAX_FRAME; anything else is a broken
                    // socket the close frame may not reach.
                    let reason = e.to_string();
                    tracing::warn!(who = %label, %reason, "reading the socket failed; closing");
                    let code = if reason.contains("Space limit") {
                        close_code::SIZE
                    } else {
                        close_code::PROTOCOL
                    };
                    break Some((code, reason));
                }
                Some(Ok(Message::Close(_))) | None => break None,
            },
        }
    };
    state.sync.disconnect(conn.id);
    if let Some((code, reason)) = close {
        let frame = CloseFrame {
            code,
            reason: reason.chars().take(120).collect::<String>().into(),
        };
        // The client may already be gone; nothing to do about it.
        let _ = sink.send(Message::Close(Some(frame))).await;
    }
    drop(guard);
}

/// Pass one inbound frame to the hub ([`crate::inbound`]); `Err(reason)`
/// closes the connection.
fn inbound(
    state: &AppState,
    conn: crate::hub::ConnId,
    peer: &shiftbook_model::protocol::PeerId,
    who: &Principal,
    bytes: &[u8],
) -> Result<(), String> {
    for input in crate::inbound::hub_inputs(conn, peer, who, bytes)? {
        match input {
            Input::Message { conn, doc, data } => state.sync.message(conn, doc, data),
            Input::Register {
                conn,
                doc,
                site,
                purpose,
            } => state.sync.register(conn, doc, site, purpose),
            // hub_inputs makes nothing else.
            _ => {}
        }
    }
    Ok(())
}
