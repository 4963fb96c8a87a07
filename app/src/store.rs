//! The app's state: this session's [`SyncClient`] (which owns the
//! documents), the enrolment, the socket, and the signals the UI reads.
//!
//! Order of events for every edit: change the document → write it to the
//! tablet's storage → only then tell the UI (and the server). If the write
//! fails the UI says so; the change stays in memory and is written again
//! with the next successful write.

use crate::enrolment::Enrolment;
use crate::storage;
use crate::sync_socket::SocketState;
use automerge::ActorId;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use shiftbook_model::attribution::Attribution;
use shiftbook_model::checklist::{self, Status};
use shiftbook_model::client::{Output, SyncClient, SyncStatus};
use shiftbook_model::protocol::PeerId;
use shiftbook_model::roster::Role;
use shiftbook_model::template::Template;
use shiftbook_model::{DocumentId, Lang};
use std::cell::RefCell;
use std::rc::Rc;

/// Signals the UI renders from. All `Copy`.
#[derive(Clone, Copy)]
pub struct Signals {
    /// Bumped whenever any document changed (locally or by a merge).
    pub rev: RwSignal<u64>,
    /// Connection state for the badge.
    pub status: RwSignal<SyncStatus>,
    /// Local changes the server has not confirmed.
    pub unconfirmed: RwSignal<usize>,
    /// The last write to storage failed: edits are NOT safe yet.
    pub storage_failed: RwSignal<bool>,
    /// Unreadable records set aside at start-up.
    pub quarantined: RwSignal<usize>,
    /// The server refuses this tablet's token.
    pub refused: RwSignal<bool>,
    /// UI language.
    pub lang: RwSignal<Lang>,
    /// When the last edit reached the tablet's storage.
    pub saved_at: RwSignal<Option<i64>>,
}

/// What lives behind the store's `RefCell`.
pub struct Inner {
    /// The documents and the protocol state.
    pub client: SyncClient,
    /// Who this tablet is.
    pub enrolment: Enrolment,
    /// The WebSocket and its reconnect state.
    pub socket: SocketState,
}

/// The app's state, shared by every component through context.
#[derive(Clone)]
pub struct Store {
    inner: SendWrapper<Rc<RefCell<Inner>>>,
    /// Signals for rendering.
    pub signals: Signals,
}

/// Random bytes from the platform's secure generator.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut buf = [0u8; N];
    if getrandom::fill(&mut buf).is_err() {
        // Never expected in a browser with WebCrypto; degrade, don't die.
        for b in &mut buf {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    buf
}

impl Store {
    /// Load every stored document and start syncing.
    pub fn start(enrolment: Enrolment, lang: Lang) -> Self {
        let peer = PeerId::from_random(random_bytes::<8>());
        let actor = ActorId::from(random_bytes::<16>().to_vec());
        let mut client = SyncClient::new(peer, actor);
        let mut quarantined = 0;
        for id in storage::stored_doc_ids() {
            match storage::read_doc(&id) {
                Ok(Some((doc, confirmed))) => {
                    if client.insert(id, doc, confirmed).is_err() {
                        quarantined += 1;
                    }
                }
                Ok(None) => {}
                Err(_) => quarantined += 1,
            }
        }
        client.take_outputs();
        let signals = Signals {
            rev: RwSignal::new(0),
            status: RwSignal::new(SyncStatus::Offline),
            unconfirmed: RwSignal::new(client.total_unconfirmed()),
            storage_failed: RwSignal::new(false),
            quarantined: RwSignal::new(quarantined),
            refused: RwSignal::new(false),
            lang: RwSignal::new(lang),
            saved_at: RwSignal::new(None),
        };
        let store = Self {
            inner: SendWrapper::new(Rc::new(RefCell::new(Inner {
                client,
                enrolment,
                socket: SocketState::default(),
            }))),
            signals,
        };
        crate::sync_socket::install_listeners(&store);
        crate::sync_socket::connect(&store);
        store
    }

    /// Run `f` with the inner state borrowed.
    pub fn with<R>(&self, f: impl FnOnce(&mut Inner) -> R) -> R {
        f(&mut self.inner.borrow_mut())
    }

    /// The enrolment.
    pub fn enrolment(&self) -> Enrolment {
        self.with(|i| i.enrolment.clone())
    }

    /// Open today's round of `template`, creating it offline if new.
    pub fn open_checklist(&self, template: &Template, date: &str) -> Result<DocumentId, String> {
        let created = self.with(|inner| -> Result<_, String> {
            let key = &inner.enrolment.site_key;
            let id = DocumentId::derive(key, &checklist::purpose(&template.id, date));
            if inner.client.doc(&id).is_some() {
                return Ok((id, false));
            }
            let genesis = checklist::genesis(template, &inner.enrolment.site, date)
                .map_err(|e| e.to_string())?;
            inner
                .client
                .insert(id, genesis, Vec::new())
                .map_err(|e| e.to_string())?;
            Ok((id, true))
        })?;
        let (id, new) = created;
        if new {
            self.persist(&id);
        }
        self.pump();
        Ok(id)
    }

    /// Record a mark. `Ok` only once it is in the tablet's storage.
    pub fn mark(
        &self,
        id: &DocumentId,
        item: &str,
        status: Status,
        note: &str,
    ) -> Result<(), String> {
        let now = crate::clock::now_ms();
        let result = self.with(|inner| {
            // Until sign-in exists the device stands for the person.
            let device = inner.enrolment.device.clone();
            let by = Attribution {
                person_id: device.clone(),
                person: device.clone(),
                role: Role::Staff,
                device,
                at_ms: now,
            };
            inner
                .client
                .change(id, |doc| checklist::mark(doc, item, status, note, &by))
        });
        match result {
            None => Err("round not open".to_owned()),
            Some(Err(e)) => Err(e.to_string()),
            Some(Ok(_)) => {
                let saved = self.persist(id);
                self.pump();
                self.signals.rev.update(|r| *r += 1);
                if saved {
                    self.signals.saved_at.set(Some(now));
                    Ok(())
                } else {
                    Err("storage".to_owned())
                }
            }
        }
    }

    /// Read a document for rendering.
    pub fn read<R>(
        &self,
        id: &DocumentId,
        f: impl FnOnce(&automerge::Automerge) -> R,
    ) -> Option<R> {
        self.with(|inner| inner.client.doc(id).map(f))
    }

    /// Merge what another tab stored, then write the document. Returns
    /// whether the write succeeded.
    pub fn persist(&self, id: &DocumentId) -> bool {
        let result = self.with(|inner| {
            if let Ok(Some((stored, confirmed))) = storage::read_doc(id) {
                // Another tab may have written marks we have not seen.
                let _ = inner.client.insert(*id, stored, confirmed);
            }
            match inner.client.doc(id) {
                Some(doc) => storage::write_doc(id, doc, &inner.client.confirmed_heads(id)),
                None => Ok(()),
            }
        });
        let ok = result.is_ok();
        if let Err(e) = result {
            web_sys_log(&format!("shiftbook: {e}"));
        }
        self.signals.storage_failed.set(!ok);
        ok
    }

    /// Carry out everything the sync client queued, then refresh the badge.
    pub fn pump(&self) {
        loop {
            let outputs = self.with(|i| i.client.take_outputs());
            if outputs.is_empty() {
                break;
            }
            for output in outputs {
                match output {
                    Output::Send(frame) => crate::sync_socket::send(self, &frame),
                    Output::Changed(id) => {
                        self.persist(&id);
                        self.signals.rev.update(|r| *r += 1);
                    }
                    Output::Confirmed(id) => {
                        self.persist(&id);
                    }
                    Output::Unavailable(id) => {
                        web_sys_log(&format!("shiftbook: server has no access to {id}"));
                    }
                    Output::ServerError(m) => web_sys_log(&format!("shiftbook: server error: {m}")),
                    Output::Connected => self.signals.refused.set(false),
                }
            }
        }
        let (status, unconfirmed) =
            self.with(|i| (i.client.status(), i.client.total_unconfirmed()));
        self.signals.status.set(status);
        self.signals.unconfirmed.set(unconfirmed);
    }
}

/// Log to the browser console.
pub fn web_sys_log(msg: &str) {
    leptos::logging::warn!("{msg}");
}
