//! The WebSocket adapter: drives the store's sans-IO [`SyncClient`] over a
//! browser WebSocket to `/sync`, reconnecting with [`Backoff`] and at once
//! when the browser reports it is back online.
//!
//! Handlers are detached from a closed socket and dropped only when the
//! next socket is made, never while one of them is running.
//!
//! What the socket receives is handed to the client by [`receive`], a split
//! point: the code that reads sync messages (the client's receiving side,
//! the wire decoder, automerge's sync) is not in what a tablet loads to
//! start, but in a piece fetched when the first frame arrives. Frames wait
//! in an inbox meanwhile and are handed over one at a time, in order; a
//! frame of a connection that has closed since is dropped (the next
//! handshake asks again for what it held).
//!
//! [`SyncClient`]: shiftbook_model::client::SyncClient

use super::Store;
use crate::platform::backoff::Backoff;
use crate::platform::log::web_sys_log;
use leptos::wasm_split::{SplitLoaderError, wasm_split};
use std::collections::VecDeque;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{BinaryType, CloseEvent, Event, MessageEvent, WebSocket};

/// The socket and what it needs to be replaced.
#[derive(Default)]
pub struct SocketState {
    ws: Option<WebSocket>,
    handlers: Option<Handlers>,
    retired: Option<Handlers>,
    backoff: Backoff,
    opened: bool,
    retry_pending: bool,
    /// Which connection is the current one (counts closed ones).
    generation: u64,
    /// Received frames not yet handed to the client, with their connection.
    inbox: VecDeque<(u64, Vec<u8>)>,
    /// Whether [`drain`] is handing the inbox over.
    draining: bool,
}

struct Handlers {
    _open: Closure<dyn FnMut(Event)>,
    _message: Closure<dyn FnMut(MessageEvent)>,
    _close: Closure<dyn FnMut(CloseEvent)>,
}

fn sync_url(token: &str) -> Option<String> {
    let location = web_sys::window()?.location();
    let scheme = if location.protocol().ok()? == "https:" {
        "wss"
    } else {
        "ws"
    };
    let host = location.host().ok()?;
    if token.is_empty() {
        // A supervisor's desktop: the session cookie authorises the socket.
        return Some(format!("{scheme}://{host}/sync"));
    }
    let token: String = js_sys::encode_uri_component(token).into();
    Some(format!("{scheme}://{host}/sync?token={token}"))
}

/// Open a socket unless one is open or opening.
pub fn connect(store: &Store) {
    let busy = store.with(|i| {
        i.socket
            .ws
            .as_ref()
            .is_some_and(|ws| matches!(ws.ready_state(), WebSocket::CONNECTING | WebSocket::OPEN))
    });
    if busy {
        return;
    }
    let (token, generation) = store.with(|i| {
        i.socket.retired = None;
        (i.enrolment.token.clone(), i.socket.generation)
    });
    let Some(url) = sync_url(&token) else {
        return;
    };
    let ws = match WebSocket::new(&url) {
        Ok(ws) => ws,
        Err(_) => {
            schedule_retry(store);
            return;
        }
    };
    ws.set_binary_type(BinaryType::Arraybuffer);

    let s = store.clone();
    let open = Closure::<dyn FnMut(Event)>::new(move |_: Event| {
        s.with(|i| {
            i.socket.opened = true;
            i.socket.backoff.reset();
            i.client.connected();
        });
        s.pump();
    });
    let s = store.clone();
    let message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
        let Ok(buf) = ev.data().dyn_into::<js_sys::ArrayBuffer>() else {
            return;
        };
        let frame = js_sys::Uint8Array::new(&buf).to_vec();
        let start = s.with(|i| {
            i.socket.inbox.push_back((generation, frame));
            !std::mem::replace(&mut i.socket.draining, true)
        });
        if start {
            leptos::task::spawn_local(drain(s.clone()));
        }
    });
    let s = store.clone();
    let close = Closure::<dyn FnMut(CloseEvent)>::new(move |_: CloseEvent| {
        let never_opened = s.with(|i| {
            if let Some(ws) = i.socket.ws.take() {
                ws.set_onopen(None);
                ws.set_onmessage(None);
                ws.set_onclose(None);
            }
            i.socket.retired = i.socket.handlers.take();
            // Frames of this connection not yet handed over are dropped
            // (`receive` compares their connection with the current one).
            i.socket.generation += 1;
            i.client.disconnected();
            !std::mem::replace(&mut i.socket.opened, false)
        });
        s.pump();
        if never_opened {
            check_refused(&s);
        }
        schedule_retry(&s);
    });
    ws.set_onopen(Some(open.as_ref().unchecked_ref()));
    ws.set_onmessage(Some(message.as_ref().unchecked_ref()));
    ws.set_onclose(Some(close.as_ref().unchecked_ref()));
    store.with(|i| {
        i.socket.ws = Some(ws);
        i.socket.handlers = Some(Handlers {
            _open: open,
            _message: message,
            _close: close,
        });
    });
}

/// Hands the inbox to the client, a frame at a time, until it is empty.
async fn drain(store: Store) {
    loop {
        let next = store.with(|i| {
            let next = i.socket.inbox.pop_front();
            i.socket.draining = next.is_some();
            next
        });
        let Some((generation, frame)) = next else {
            return;
        };
        if let Err(e) = receive(store.clone(), generation, frame).await {
            // The receiving code could not be fetched: as with a frame we
            // cannot accept, drop this connection and reconnect later.
            web_sys_log(&format!("shiftbook: closing sync connection: {e}"));
            store.with(|i| {
                i.socket.inbox.clear();
                close_current(i);
            });
        }
    }
}

fn close_current(i: &mut super::Inner) {
    if let Some(ws) = &i.socket.ws {
        let _ = ws.close_with_code(4000);
    }
}

/// One frame received on connection `generation` to the client, and what
/// it sends back out; nothing if that connection has closed since (the
/// piece may have been loading meanwhile).
#[allow(unsafe_code, improper_ctypes_definitions)] // a split point (see the module doc)
#[wasm_split(sync, wasm_split_path = ::leptos::wasm_split, fallible)]
fn receive(store: Store, generation: u64, frame: Vec<u8>) -> Result<(), SplitLoaderError> {
    if store.borrow(|i| i.socket.generation != generation) {
        return Ok(());
    }
    let result = store.with(|i| i.client.receive(&frame));
    if let Err(e) = result {
        // A frame we cannot accept: drop this connection, keep every
        // document as it is, and reconnect later.
        web_sys_log(&format!("shiftbook: closing sync connection: {e}"));
        store.with(close_current);
    }
    store.pump();
    Ok(())
}

/// Send a frame if the socket is open; otherwise the sync protocol will
/// resend what is needed after the next handshake.
pub fn send(store: &Store, frame: &[u8]) {
    store.with(|i| {
        if let Some(ws) = &i.socket.ws
            && ws.ready_state() == WebSocket::OPEN
            && ws.send_with_u8_array(frame).is_err()
        {
            let _ = ws.close();
        }
    });
}

fn schedule_retry(store: &Store) {
    let delay = store.with(|i| {
        if i.socket.retry_pending {
            return None;
        }
        i.socket.retry_pending = true;
        Some(i.socket.backoff.next_delay_ms(js_sys::Math::random()))
    });
    let (Some(delay), Some(window)) = (delay, web_sys::window()) else {
        return;
    };
    let s = store.clone();
    let retry = Closure::once_into_js(move || {
        s.with(|i| i.socket.retry_pending = false);
        connect(&s);
    });
    let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
        retry.unchecked_ref(),
        i32::try_from(delay).unwrap_or(i32::MAX),
    );
}

/// A socket that never opened may mean the token was revoked: ask.
fn check_refused(store: &Store) {
    let s = store.clone();
    let token = store.borrow(|i| i.enrolment.token.clone());
    leptos::task::spawn_local(async move {
        use leptos::prelude::Set;
        let answer = if token.is_empty() {
            crate::core::supervisor::fetch_me().await.map(|_| ())
        } else {
            crate::core::enrolment::fetch_device(&token)
                .await
                .map(|_| ())
        };
        match answer {
            Err(crate::core::enrolment::EnrolError::Refused) => s.signals.refused.set(true),
            Ok(_) => s.signals.refused.set(false),
            Err(_) => {}
        }
    });
}

/// Reconnect as soon as the browser says the network is back, and take in
/// what tabs of an older build of this tablet write to localStorage.
pub fn install_listeners(store: &Store) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let s = store.clone();
    let online = Closure::<dyn FnMut(Event)>::new(move |_: Event| {
        s.with(|i| i.socket.backoff.reset());
        connect(&s);
    });
    let _ = window.add_event_listener_with_callback("online", online.as_ref().unchecked_ref());
    // Lives as long as the page.
    online.forget();

    // A tab of an older build still writes records to localStorage:
    // they move to IndexedDB as it writes them, and show here.
    let s = store.clone();
    let storage =
        Closure::<dyn FnMut(web_sys::StorageEvent)>::new(move |ev: web_sys::StorageEvent| {
            let Some(id) = ev.key().and_then(|key| {
                key.strip_prefix(crate::platform::storage::DOC_PREFIX)?
                    .parse()
                    .ok()
            }) else {
                return;
            };
            let s = s.clone();
            leptos::task::spawn_local(async move {
                if super::legacy_records::migrate().await.is_ok() {
                    s.merge_stored(vec![id]).await;
                }
            });
        });
    let _ = window.add_event_listener_with_callback("storage", storage.as_ref().unchecked_ref());
    storage.forget();
}
