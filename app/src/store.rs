//! The app's state: this session's [`SyncClient`] (which owns the
//! documents), the enrolment, the socket, and the signals the UI reads.
//!
//! Order of events for every edit: change the document → write it to the
//! tablet's storage → only then tell the UI (and the server). If the write
//! fails the UI says so; the change stays in memory and is written again
//! with the next successful write.

use crate::enrolment::Enrolment;
use crate::session::{self, SignedIn};
use crate::storage;
use crate::sync_socket::SocketState;
use automerge::ActorId;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use shiftbook_model::attribution::Attribution;
use shiftbook_model::checklist::{self, Status};
use shiftbook_model::client::{Output, SyncClient, SyncStatus};
use shiftbook_model::protocol::PeerId;
use shiftbook_model::roster::{self, Roster, SignIn, StaffMember};
use shiftbook_model::signature::{self, Meaning};
use shiftbook_model::template::Template;
use shiftbook_model::{DocumentId, Lang};
use std::cell::RefCell;
use std::rc::Rc;

/// What a PIN attempt came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInOutcome {
    /// Signed in.
    SignedIn,
    /// Wrong PIN; the next attempt must wait this many ms.
    WrongPin(i64),
    /// Too many wrong PINs: wait this many ms before trying.
    Wait(i64),
    /// Not on the roster (or no longer active).
    Unknown,
    /// The person has no PIN yet.
    NoPin,
    /// The roster is not on this tablet yet.
    NoRoster,
}

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
    /// The person signed in on this tablet.
    pub person: RwSignal<Option<SignedIn>>,
}

/// What lives behind the store's `RefCell`.
pub struct Inner {
    /// The documents and the protocol state.
    pub client: SyncClient,
    /// Who this tablet is.
    pub enrolment: Enrolment,
    /// The WebSocket and its reconnect state.
    pub socket: SocketState,
    /// A supervisor's desktop (signed in with a password, no PIN, no idle
    /// sign-out) rather than a shared tablet.
    pub desktop: bool,
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
        Self::start_as(enrolment, lang, None)
    }

    /// A supervisor's desktop: `person` is the signed-in supervisor, and the
    /// enrolment has no token (the session cookie authorises sync).
    pub fn start_desktop(enrolment: Enrolment, lang: Lang, person: SignedIn) -> Self {
        Self::start_as(enrolment, lang, Some(person))
    }

    fn start_as(enrolment: Enrolment, lang: Lang, desktop: Option<SignedIn>) -> Self {
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
        // The roster is needed to sign in, offline too: ask for it until the
        // server has it (a supervisor creates it).
        let roster_id = roster::document_id(&enrolment.site_key);
        if client.doc(&roster_id).is_none() {
            client.want(roster_id);
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
            person: RwSignal::new(None),
        };
        let store = Self {
            inner: SendWrapper::new(Rc::new(RefCell::new(Inner {
                client,
                enrolment,
                socket: SocketState::default(),
                desktop: desktop.is_some(),
            }))),
            signals,
        };
        let now = crate::clock::now_ms();
        let person = match desktop {
            Some(supervisor) => Some(supervisor),
            None => session::load_person().filter(|p| !p.is_idle(now, session::DEFAULT_IDLE_MS)),
        };
        store.signals.person.set(person);
        crate::sync_socket::install_listeners(&store);
        crate::sync_socket::connect(&store);
        store.install_timers();
        store
    }

    /// Every 15 s: sign out an idle person, ask again for documents the
    /// server did not have (the roster before a supervisor made it).
    fn install_timers(&self) {
        use wasm_bindgen::JsCast;
        use wasm_bindgen::closure::Closure;
        let Some(window) = web_sys::window() else {
            return;
        };
        let store = self.clone();
        let tick = Closure::<dyn FnMut()>::new(move || {
            let now = crate::clock::now_ms();
            let idle = store.signals.person.with_untracked(|p| {
                p.as_ref()
                    .is_some_and(|p| p.is_idle(now, session::DEFAULT_IDLE_MS))
            });
            if idle {
                store.sign_out("idle-sign-out");
            }
            store.with(|i| i.client.retry_unavailable());
            store.pump();
        });
        let _ = window.set_interval_with_callback_and_timeout_and_arguments_0(
            tick.as_ref().unchecked_ref(),
            15_000,
        );
        // Lives as long as the page.
        tick.forget();
    }

    /// Whether this is a supervisor's desktop.
    pub fn is_desktop(&self) -> bool {
        self.with(|i| i.desktop)
    }

    /// The site roster's id.
    pub fn roster_id(&self) -> DocumentId {
        self.with(|i| roster::document_id(&i.enrolment.site_key))
    }

    /// Active people who can sign in here, by name; `None` while the
    /// roster has not reached this tablet.
    pub fn roster_members(&self) -> Option<Vec<StaffMember>> {
        let id = self.roster_id();
        self.read(&id, |doc| {
            let members = Roster::new(doc).ok()?.members().ok()?;
            Some(members.into_iter().filter(|m| m.active).collect::<Vec<_>>())
        })
        .flatten()
    }

    /// Check `pin` for `person_id` against the roster, offline. Wrong PINs
    /// make the next attempt wait longer; every outcome is logged locally.
    pub fn sign_in(&self, person_id: &str, pin: &str) -> SignInOutcome {
        let now = crate::clock::now_ms();
        let mut throttle = session::throttle(person_id);
        let wait = throttle.wait_ms(now);
        if wait > 0 {
            return SignInOutcome::Wait(wait);
        }
        let id = self.roster_id();
        let checked = self.read(&id, |doc| {
            Roster::new(doc).and_then(|r| r.verify_pin(person_id, pin))
        });
        let outcome = match checked {
            None | Some(Err(_)) => SignInOutcome::NoRoster,
            Some(Ok(SignIn::Ok(member))) => {
                throttle.succeeded();
                let person = SignedIn::new(&member, now);
                session::save_person(Some(&person));
                self.signals.person.set(Some(person));
                SignInOutcome::SignedIn
            }
            Some(Ok(SignIn::WrongPin)) => {
                throttle.failed(now);
                SignInOutcome::WrongPin(throttle.wait_ms(now))
            }
            Some(Ok(SignIn::Unknown | SignIn::Inactive)) => SignInOutcome::Unknown,
            Some(Ok(SignIn::NoPin)) => SignInOutcome::NoPin,
        };
        session::save_throttle(person_id, &throttle);
        let event = match outcome {
            SignInOutcome::SignedIn => "sign-in",
            SignInOutcome::WrongPin(_) => "wrong-pin",
            _ => "sign-in-refused",
        };
        session::record(person_id, event, now);
        outcome
    }

    /// Sign the current person out (`reason` goes to the security log).
    pub fn sign_out(&self, reason: &str) {
        if let Some(p) = self.signals.person.get_untracked() {
            session::record(&p.id, reason, crate::clock::now_ms());
        }
        session::save_person(None);
        self.signals.person.set(None);
    }

    /// The person did something: push idle sign-out back.
    fn touch(&self, now: i64) -> Option<SignedIn> {
        let mut person = self.signals.person.get_untracked()?;
        person.last_activity_ms = now;
        if !self.is_desktop() {
            session::save_person(Some(&person));
        }
        self.signals.person.set(Some(person.clone()));
        Some(person)
    }

    /// Who acts now, if anyone is signed in.
    fn attribution(&self, now: i64) -> Option<Attribution> {
        let person = self.touch(now)?;
        let device = self.with(|i| i.enrolment.device.clone());
        Some(person.attribution(&device, now))
    }

    /// Sign the round as the day's review (leader or supervisor).
    pub fn sign_round(&self, id: &DocumentId) -> Result<(), String> {
        let now = crate::clock::now_ms();
        let by = self.attribution(now).ok_or("not signed in")?;
        let result = self.with(|inner| {
            inner
                .client
                .change(id, |doc| signature::sign(doc, Meaning::DailyReview, &by))
        });
        self.after_change(id, result.map(|r| r.map(|_| ())), now)
    }

    fn after_change(
        &self,
        id: &DocumentId,
        result: Option<Result<(), shiftbook_model::ModelError>>,
        now: i64,
    ) -> Result<(), String> {
        match result {
            None => Err("round not open".to_owned()),
            Some(Err(e)) => Err(e.to_string()),
            Some(Ok(())) => {
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
        let by = self.attribution(now).ok_or("not signed in")?;
        let result = self.with(|inner| {
            inner
                .client
                .change(id, |doc| checklist::mark(doc, item, status, note, &by))
        });
        self.after_change(id, result.map(|r| r.map(|_| ())), now)
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
