//! A sans-IO client of the automerge-repo sync protocol.
//!
//! [`SyncClient`] holds this session's documents and their per-connection
//! sync state. It never touches a socket, storage or a clock: the adapter
//! (a browser WebSocket in the app, a tokio socket in tests) tells it what
//! happened — [`SyncClient::connected`], [`SyncClient::receive`],
//! [`SyncClient::disconnected`] — and carries out the [`Output`]s it
//! queues: frames to send, documents to persist, news for the UI.
//!
//! Every document gets this session's actor, which must be fresh for every
//! running app instance (two tabs on one tablet are two sessions).
//!
//! "Confirmed" heads are the heads the server is known to hold. The app
//! persists them next to the document, so the count of unconfirmed local
//! changes survives a reload while offline.
//!
//! **Registration.** Documents several tablets open offline have ids
//! derived from the site key and a purpose ([`crate::ids`]). The server
//! decides whose a document is from the authenticated site, so before the
//! first sync message about a derived document the server may not hold
//! yet, the client sends a [`WireMessage::Register`] naming its purpose
//! ([`SyncClient::note_purpose`] tells the client purposes). Which
//! documents: those with no confirmed heads (new, or created offline) and
//! those the server said were unavailable. Registering is idempotent on
//! the server; the client registers each document at most once per
//! connection unless the server says it is unavailable.
//!
//! **Received messages** are checked before automerge applies them, as
//! the server checks uploads ([`crate::sync_guard::admit`], against
//! [`RECEIVE_BUDGET`]): automerge 0.12 panics on some of what that
//! refuses, and in the browser a panic is the app gone.

use crate::chunk_budget;
use crate::ids::DocumentId;
use crate::protocol::{
    DecodeError, MAX_PURPOSES_PER_MESSAGE, PROTOCOL_VERSION, PeerId, WireMessage, is_purpose,
};
use automerge::{ActorId, Automerge, ChangeHash, sync, sync::SyncDoc};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

/// What one received sync message may carry, counted before it is
/// applied ([`crate::chunk_budget`]): the server sends a whole document
/// when a tablet has none of it, and holds at most 2,000,000 operations
/// in one; change times as the server accepts them.
pub const RECEIVE_BUDGET: chunk_budget::Budget = chunk_budget::Budget {
    max_ops: 4_000_000,
    max_changes: 2_000_000,
    max_inflated_bytes: 256 * 1024 * 1024,
    earliest_time: *chunk_budget::CHANGE_TIMES.start(),
    latest_time: *chunk_budget::CHANGE_TIMES.end(),
};

/// Something the adapter must do, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// Send this binary frame to the server.
    Send(Vec<u8>),
    /// The handshake completed; syncing has started.
    Connected,
    /// Remote changes were merged into this document: persist and re-render.
    Changed(DocumentId),
    /// The server now holds more of this document: persist its confirmed heads.
    Confirmed(DocumentId),
    /// The server does not have this document or will not share it.
    Unavailable(DocumentId),
    /// The server reported a protocol error and will close the connection.
    ServerError(String),
}

/// Where the connection stands, for the status badge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncStatus {
    /// No connection.
    Offline,
    /// Socket open, handshake under way.
    Connecting,
    /// Connected, and the server lacks some local changes.
    Syncing,
    /// Connected, and the server holds every local change.
    Synced,
}

/// A frame the client could not accept. The adapter should close the
/// connection and reconnect later; no document is changed by a refused frame.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The frame is not a protocol message.
    #[error(transparent)]
    Decode(#[from] DecodeError),
    /// The server chose a protocol version we do not speak.
    #[error("server selected protocol version {0:?}")]
    Version(String),
    /// A message arrived that makes no sense in the connection's state.
    #[error("unexpected {0} message")]
    Unexpected(&'static str),
    /// The `data` of a sync message is not an automerge sync message, or
    /// automerge refused to apply it.
    #[error("bad sync message for {document}: {reason}")]
    BadSync {
        /// The document concerned.
        document: DocumentId,
        /// automerge's explanation.
        reason: String,
    },
    /// Stored bytes of a document are not automerge, are over the budget
    /// ([`RECEIVE_BUDGET`]), or automerge refused them.
    #[error("unreadable stored bytes of {document}: {reason}")]
    BadStored {
        /// The document concerned.
        document: DocumentId,
        /// Why.
        reason: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Link {
    Down,
    Joining,
    Up { server: PeerId },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// We hold content and sync it.
    Ready,
    /// We hold nothing yet and asked the server for it.
    Wanted,
    /// The server said it does not have it (or refuses).
    Unavailable,
}

#[derive(Debug)]
struct Tracked {
    doc: Automerge,
    sync: sync::State,
    confirmed: Vec<ChangeHash>,
    phase: Phase,
    /// The last count of [`Tracked::unconfirmed`], to go on from.
    counted: RefCell<Option<Counted>>,
}

/// A count of unconfirmed changes: of the document at `heads`, against
/// `confirmed`, every one of which the document held.
#[derive(Debug)]
struct Counted {
    heads: Vec<ChangeHash>,
    confirmed: Vec<ChangeHash>,
    count: usize,
}

/// How many of `changes` are not genesis changes (which every replica
/// makes alike and the server never needs to confirm).
fn local_changes(changes: &[automerge::ChangeMetadata<'_>]) -> usize {
    changes
        .iter()
        .filter(|c| !crate::genesis::is_genesis_actor(&c.actor))
        .count()
}

impl Tracked {
    fn unconfirmed(&self) -> usize {
        // The usual case, every document but the one just edited: its heads
        // are confirmed, so are all their ancestors. The badge asks on every
        // change, for every document the tablet holds.
        if self
            .doc
            .get_heads()
            .iter()
            .all(|h| self.confirmed.contains(h))
        {
            return 0;
        }
        // Going on from the last count: with the same confirmed changes, all
        // held then, what came since is unconfirmed (a change the server
        // confirmed was already held, so nothing new lies in its past). A
        // tablet offline for a day counts its new changes, not the day's.
        let heads = self.doc.get_heads();
        let mut counted = self.counted.borrow_mut();
        if let Some(c) = counted.as_mut().filter(|c| c.confirmed == self.confirmed) {
            if c.heads == heads {
                return c.count;
            }
            if crate::heads::absent(&self.doc, &c.heads).is_empty() {
                c.count += local_changes(&self.doc.get_changes_meta(&c.heads));
                c.heads = heads;
                return c.count;
            }
        }
        let known = crate::heads::held(&self.doc, &self.confirmed);
        let count = local_changes(&self.doc.get_changes_meta(&known));
        *counted = (known.len() == self.confirmed.len()).then(|| Counted {
            heads,
            confirmed: self.confirmed.clone(),
            count,
        });
        count
    }
}

/// The sans-IO sync client: this session's documents and one connection.
#[derive(Debug)]
pub struct SyncClient {
    peer_id: PeerId,
    actor: ActorId,
    link: Link,
    docs: BTreeMap<DocumentId, Tracked>,
    outbox: Vec<Output>,
    /// Purposes of derived documents, as the app derived them.
    purposes: BTreeMap<DocumentId, String>,
    /// The site the purposes belong to, for a client of several sites.
    site: Option<String>,
    /// Documents registered on the current connection.
    registered: BTreeSet<DocumentId>,
    /// Local changes wait for [`Self::sync_local_changes`] before their
    /// sync messages are made ([`Self::defer_local_sync`]).
    defer_local: bool,
    /// Documents changed here whose sync messages wait.
    local_unsent: BTreeSet<DocumentId>,
}

impl SyncClient {
    /// A client speaking as `peer_id`, writing with `actor`. Both must be
    /// fresh for this session (drawn at random by the caller).
    pub fn new(peer_id: PeerId, actor: ActorId) -> Self {
        Self {
            peer_id,
            actor,
            link: Link::Down,
            docs: BTreeMap::new(),
            outbox: Vec::new(),
            purposes: BTreeMap::new(),
            site: None,
            registered: BTreeSet::new(),
            defer_local: false,
            local_unsent: BTreeSet::new(),
        }
    }

    /// Make local changes' sync messages only when
    /// [`Self::sync_local_changes`] is called, not inside [`Self::change`]:
    /// a tablet shows the tap's frame first and syncs right after it.
    pub fn defer_local_sync(&mut self, defer: bool) {
        self.defer_local = defer;
        if !defer {
            self.sync_local_changes();
        }
    }

    /// Whether local changes wait for [`Self::sync_local_changes`].
    pub fn has_local_unsent(&self) -> bool {
        !self.local_unsent.is_empty()
    }

    /// Make the sync messages the deferred local changes wait for.
    pub fn sync_local_changes(&mut self) {
        for id in std::mem::take(&mut self.local_unsent) {
            self.sync_doc(id);
        }
    }

    /// Document `id` changed here: sync it now, or note it for
    /// [`Self::sync_local_changes`].
    fn changed_here(&mut self, id: DocumentId) {
        if self.defer_local {
            self.local_unsent.insert(id);
        } else {
            self.sync_doc(id);
        }
    }

    /// Name the site registrations are for (a supervisor's desktop works
    /// on one of several sites; a device's own site needs no name).
    pub fn set_site(&mut self, site: Option<String>) {
        self.site = site;
    }

    /// Tell the client the purpose `id` was derived from. A purpose that
    /// is not well-formed is ignored (the server would refuse it). If the
    /// server may not hold the document yet, it is registered before its
    /// next sync message.
    pub fn note_purpose(&mut self, id: DocumentId, purpose: &str) {
        if !is_purpose(purpose) || self.purposes.get(&id).is_some_and(|p| p == purpose) {
            return;
        }
        self.purposes.insert(id, purpose.to_owned());
        if self.needs_registration(&id) {
            self.register(&[id]);
        }
    }

    /// The purpose `id` was derived from, if the client was told.
    pub fn purpose(&self, id: &DocumentId) -> Option<&str> {
        self.purposes.get(id).map(String::as_str)
    }

    /// Whether `id` is tracked, has a known purpose, has not been
    /// registered on this connection, and the server may not hold it.
    fn needs_registration(&self, id: &DocumentId) -> bool {
        matches!(self.link, Link::Up { .. })
            && self.purposes.contains_key(id)
            && !self.registered.contains(id)
            && self
                .docs
                .get(id)
                .is_some_and(|t| t.confirmed.is_empty() || t.phase == Phase::Unavailable)
    }

    /// Send `register` messages for `ids` (those with a purpose), in
    /// batches the server accepts.
    fn register(&mut self, ids: &[DocumentId]) {
        let Link::Up { server } = &self.link else {
            return;
        };
        let server = server.clone();
        let named: Vec<(DocumentId, String)> = ids
            .iter()
            .filter_map(|id| self.purposes.get(id).map(|p| (*id, p.clone())))
            .collect();
        for batch in named.chunks(MAX_PURPOSES_PER_MESSAGE) {
            for (id, _) in batch {
                self.registered.insert(*id);
            }
            self.outbox.push(Output::Send(
                WireMessage::Register {
                    sender_id: self.peer_id.clone(),
                    target_id: server.clone(),
                    site: self.site.clone(),
                    purposes: batch.iter().map(|(_, p)| p.clone()).collect(),
                }
                .encode(),
            ));
        }
    }

    /// This client's peer id.
    pub fn peer_id(&self) -> &PeerId {
        &self.peer_id
    }

    /// Track `doc` (from storage, or a new genesis), merging it into any copy
    /// already tracked. `confirmed` are heads the server is known to hold.
    pub fn insert(
        &mut self,
        id: DocumentId,
        mut doc: Automerge,
        confirmed: Vec<ChangeHash>,
    ) -> Result<(), automerge::AutomergeError> {
        doc.set_actor(self.actor.clone());
        match self.docs.get_mut(&id) {
            Some(t) => {
                let before = t.doc.get_heads();
                t.doc.merge(&mut doc)?;
                if t.phase != Phase::Ready && !t.doc.get_heads().is_empty() {
                    t.phase = Phase::Ready;
                }
                if t.confirmed.is_empty() {
                    t.confirmed = confirmed;
                }
                if before != t.doc.get_heads() {
                    self.outbox.push(Output::Changed(id));
                }
            }
            None => {
                let phase = if doc.get_heads().is_empty() {
                    Phase::Wanted
                } else {
                    Phase::Ready
                };
                self.docs.insert(
                    id,
                    Tracked {
                        doc,
                        sync: sync::State::new(),
                        confirmed,
                        phase,
                        counted: RefCell::new(None),
                    },
                );
            }
        }
        self.sync_doc(id);
        Ok(())
    }

    /// Add stored automerge bytes of document `id` — a saved document or
    /// changes, as this device's storage holds them (another tab may have
    /// written them) — tracking it if it was not. Changes whose
    /// dependencies are not here yet wait inside the document.
    pub fn load_stored(&mut self, id: DocumentId, bytes: &[u8]) -> Result<(), ClientError> {
        let bad = |reason: String| ClientError::BadStored {
            document: id,
            reason,
        };
        let Some(t) = self.docs.get_mut(&id) else {
            let mut doc = Automerge::new();
            crate::stored::load_into(&mut doc, bytes).map_err(|e| bad(e.0))?;
            return self
                .insert(id, doc, Vec::new())
                .map_err(|e| bad(e.to_string()));
        };
        let before = t.doc.get_heads();
        crate::stored::load_into(&mut t.doc, bytes).map_err(|e| bad(e.0))?;
        if before == t.doc.get_heads() {
            return Ok(());
        }
        if t.phase != Phase::Ready {
            t.phase = Phase::Ready;
        }
        self.outbox.push(Output::Changed(id));
        self.sync_doc(id);
        Ok(())
    }

    /// Set the heads the server is known to hold of document `id`, when
    /// none are known here yet (another tab of this device heard them).
    pub fn note_confirmed(&mut self, id: &DocumentId, confirmed: Vec<ChangeHash>) {
        if let Some(t) = self.docs.get_mut(id)
            && t.confirmed.is_empty()
        {
            t.confirmed = confirmed;
        }
    }

    /// Ask the server for a document this session does not hold.
    pub fn want(&mut self, id: DocumentId) {
        if !self.docs.contains_key(&id) {
            let doc = Automerge::new().with_actor(self.actor.clone());
            self.docs.insert(
                id,
                Tracked {
                    doc,
                    sync: sync::State::new(),
                    confirmed: Vec::new(),
                    phase: Phase::Wanted,
                    counted: RefCell::new(None),
                },
            );
            self.sync_doc(id);
        }
    }

    /// The tracked document.
    pub fn doc(&self, id: &DocumentId) -> Option<&Automerge> {
        self.docs.get(id).map(|t| &t.doc)
    }

    /// Ids of every tracked document.
    pub fn documents(&self) -> impl Iterator<Item = &DocumentId> {
        self.docs.keys()
    }

    /// Change a tracked document locally and sync the change if connected.
    /// `None` if the document is not tracked.
    pub fn change<R>(&mut self, id: &DocumentId, f: impl FnOnce(&mut Automerge) -> R) -> Option<R> {
        let t = self.docs.get_mut(id)?;
        let out = f(&mut t.doc);
        if t.phase != Phase::Ready && !t.doc.get_heads().is_empty() {
            t.phase = Phase::Ready;
        }
        self.changed_here(*id);
        Some(out)
    }

    /// Change two tracked documents in one step (a follow-up's board and
    /// the index of open follow-ups) and sync both. `None` if either is not
    /// tracked or `a == b`.
    pub fn change_pair<R>(
        &mut self,
        a: &DocumentId,
        b: &DocumentId,
        f: impl FnOnce(&mut Automerge, &mut Automerge) -> R,
    ) -> Option<R> {
        if a == b || !self.docs.contains_key(b) {
            return None;
        }
        let mut first = self.docs.remove(a)?;
        let out = match self.docs.get_mut(b) {
            Some(second) => {
                let out = f(&mut first.doc, &mut second.doc);
                if second.phase != Phase::Ready && !second.doc.get_heads().is_empty() {
                    second.phase = Phase::Ready;
                }
                Some(out)
            }
            None => None,
        };
        if first.phase != Phase::Ready && !first.doc.get_heads().is_empty() {
            first.phase = Phase::Ready;
        }
        self.docs.insert(*a, first);
        self.changed_here(*a);
        self.changed_here(*b);
        out
    }

    /// Heads the server is known to hold for `id`.
    pub fn confirmed_heads(&self, id: &DocumentId) -> Vec<ChangeHash> {
        self.docs
            .get(id)
            .map(|t| t.confirmed.clone())
            .unwrap_or_default()
    }

    /// Local changes of `id` the server has not confirmed.
    pub fn unconfirmed(&self, id: &DocumentId) -> usize {
        self.docs.get(id).map_or(0, Tracked::unconfirmed)
    }

    /// Local changes of every document the server has not confirmed.
    pub fn total_unconfirmed(&self) -> usize {
        self.docs.values().map(Tracked::unconfirmed).sum()
    }

    /// Whether the server said it has not got (or will not share) `id`.
    pub fn is_unavailable(&self, id: &DocumentId) -> bool {
        self.docs
            .get(id)
            .is_some_and(|t| t.phase == Phase::Unavailable)
    }

    /// Ask the server again for documents it said it did not have: someone
    /// may have uploaded them since (a roster a supervisor just created).
    pub fn retry_unavailable(&mut self) {
        let unavailable: Vec<DocumentId> = self
            .docs
            .iter()
            .filter(|(_, t)| t.phase == Phase::Unavailable)
            .map(|(id, _)| *id)
            .collect();
        for id in &unavailable {
            self.registered.remove(id);
        }
        let again: Vec<DocumentId> = unavailable
            .into_iter()
            .filter(|id| self.needs_registration(id))
            .collect();
        self.register(&again);
        let ids: Vec<DocumentId> = self
            .docs
            .iter_mut()
            .filter(|(_, t)| t.phase == Phase::Unavailable)
            .map(|(id, t)| {
                t.sync = sync::State::new();
                t.phase = if t.doc.get_heads().is_empty() {
                    Phase::Wanted
                } else {
                    Phase::Ready
                };
                *id
            })
            .collect();
        for id in ids {
            self.sync_doc(id);
        }
    }

    /// The badge's state.
    pub fn status(&self) -> SyncStatus {
        match self.link {
            Link::Down => SyncStatus::Offline,
            Link::Joining => SyncStatus::Connecting,
            Link::Up { .. } if self.total_unconfirmed() == 0 => SyncStatus::Synced,
            Link::Up { .. } => SyncStatus::Syncing,
        }
    }

    /// Take the queued outputs, oldest first.
    pub fn take_outputs(&mut self) -> Vec<Output> {
        std::mem::take(&mut self.outbox)
    }

    /// The socket opened: start the handshake.
    pub fn connected(&mut self) {
        self.reset_sessions();
        self.registered.clear();
        self.link = Link::Joining;
        self.outbox.push(Output::Send(
            WireMessage::Join {
                sender_id: self.peer_id.clone(),
                supported_protocol_versions: vec![PROTOCOL_VERSION.to_owned()],
                is_ephemeral: false,
            }
            .encode(),
        ));
    }

    /// The socket closed (or was never there).
    pub fn disconnected(&mut self) {
        self.link = Link::Down;
        self.registered.clear();
        self.reset_sessions();
    }

    fn reset_sessions(&mut self) {
        for t in self.docs.values_mut() {
            t.sync = sync::State::new();
            if t.phase == Phase::Unavailable {
                t.phase = if t.doc.get_heads().is_empty() {
                    Phase::Wanted
                } else {
                    Phase::Ready
                };
            }
        }
    }

    /// A frame arrived from the server.
    pub fn receive(&mut self, frame: &[u8]) -> Result<(), ClientError> {
        let msg = WireMessage::decode(frame)?;
        match msg {
            WireMessage::Peer {
                sender_id,
                selected_protocol_version,
                ..
            } => {
                if self.link != Link::Joining {
                    return Err(ClientError::Unexpected("peer"));
                }
                if selected_protocol_version != PROTOCOL_VERSION {
                    return Err(ClientError::Version(selected_protocol_version));
                }
                self.link = Link::Up { server: sender_id };
                self.outbox.push(Output::Connected);
                let ids: Vec<DocumentId> = self.docs.keys().copied().collect();
                let unregistered: Vec<DocumentId> = ids
                    .iter()
                    .filter(|id| self.needs_registration(id))
                    .copied()
                    .collect();
                self.register(&unregistered);
                for id in ids {
                    self.sync_doc(id);
                }
                Ok(())
            }
            WireMessage::Sync {
                document_id, data, ..
            }
            | WireMessage::Request {
                document_id, data, ..
            } => self.receive_sync(document_id, &data),
            WireMessage::DocUnavailable { document_id, .. } => {
                if let Some(t) = self.docs.get_mut(&document_id) {
                    t.phase = Phase::Unavailable;
                    self.outbox.push(Output::Unavailable(document_id));
                }
                Ok(())
            }
            // Only clients register; a server's would be a bug to ignore.
            WireMessage::Register { .. } => Ok(()),
            WireMessage::Error { message } => {
                self.outbox.push(Output::ServerError(message));
                Ok(())
            }
            WireMessage::Join { .. } => Err(ClientError::Unexpected("join")),
            WireMessage::Leave { .. } | WireMessage::Other { .. } => Ok(()),
        }
    }

    fn receive_sync(&mut self, id: DocumentId, data: &[u8]) -> Result<(), ClientError> {
        let Link::Up { server } = &self.link else {
            return Err(ClientError::Unexpected("sync before handshake"));
        };
        let server = server.clone();
        let Some(t) = self.docs.get_mut(&id) else {
            // Not ours to hold: say so rather than stay silent.
            self.outbox.push(Output::Send(
                WireMessage::DocUnavailable {
                    document_id: id,
                    sender_id: self.peer_id.clone(),
                    target_id: server,
                }
                .encode(),
            ));
            return Ok(());
        };
        let bad = |reason: String| ClientError::BadSync {
            document: id,
            reason,
        };
        let mut message = sync::Message::decode(data).map_err(|e| bad(e.to_string()))?;
        crate::sync_guard::admit(&mut message, &RECEIVE_BUDGET).map_err(|e| bad(e.to_string()))?;
        let heads_before = t.doc.get_heads();
        let unconfirmed_before = t.unconfirmed();
        // Apply to a scratch copy first: a message automerge rejects half-way
        // must not leave the document half-changed.
        let mut scratch = t.doc.clone();
        let mut state = t.sync.clone();
        scratch
            .receive_sync_message(&mut state, message)
            .map_err(|e| bad(e.to_string()))?;
        t.doc = scratch;
        t.sync = state;
        if t.doc.get_heads() != heads_before {
            if t.phase != Phase::Ready {
                t.phase = Phase::Ready;
            }
            self.outbox.push(Output::Changed(id));
        }
        let shared = t.sync.shared_heads.clone();
        if !shared.is_empty() && shared != t.confirmed {
            let old = std::mem::replace(&mut t.confirmed, shared);
            if t.unconfirmed() <= unconfirmed_before {
                self.outbox.push(Output::Confirmed(id));
            } else {
                t.confirmed = old;
            }
        }
        self.sync_doc(id);
        Ok(())
    }

    /// Send whatever the sync protocol wants to send about `id`.
    fn sync_doc(&mut self, id: DocumentId) {
        let Link::Up { server } = &self.link else {
            return;
        };
        let server = server.clone();
        if self
            .docs
            .get(&id)
            .is_none_or(|t| t.phase == Phase::Unavailable)
        {
            return;
        }
        if self.needs_registration(&id) {
            self.register(&[id]);
        }
        let Some(t) = self.docs.get_mut(&id) else {
            return;
        };
        if let Some(message) = t.doc.generate_sync_message(&mut t.sync) {
            let data = message.encode();
            let wire = if t.phase == Phase::Wanted {
                WireMessage::Request {
                    document_id: id,
                    sender_id: self.peer_id.clone(),
                    target_id: server.clone(),
                    data,
                }
            } else {
                WireMessage::Sync {
                    document_id: id,
                    sender_id: self.peer_id.clone(),
                    target_id: server.clone(),
                    data,
                }
            };
            self.outbox.push(Output::Send(wire.encode()));
        }
    }
}

#[cfg(test)]
mod tests;
