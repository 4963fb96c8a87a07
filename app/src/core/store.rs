//! The app's state: this session's [`SyncClient`] (which owns the
//! documents), the enrolment, the socket, and the signals the UI reads.
//!
//! Order of events for every edit: change the document → tell the UI and
//! the server → write it to the tablet's storage in the next turn of the
//! event loop, off the tap ([`persist`]) → only once that is on disk does
//! the screen say saved. If the write fails the UI says so; the change
//! stays in memory and is written again with the next successful write.

mod doc_watch;
mod fetch_receipts;
mod legacy_records;
mod local_sync;
mod newer_records;
mod persist;
mod photo_eviction;
mod photo_uploads;
mod read_cache;
mod retention;
mod sync_socket;
mod unavailable;

use crate::core::enrolment::Enrolment;
use crate::core::error::{AppError, AppProblem};
use crate::core::session::{self, CoSigned, SignedIn};
use crate::core::start_data::StartData;
use crate::platform::log::web_sys_log;
use crate::platform::random::random_bytes;
use crate::platform::storage;
use automerge::ActorId;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use shiftbook_model::attribution::Attribution;
use shiftbook_model::checklist::{self, Status};
use shiftbook_model::client::{Output, SyncClient, SyncStatus};
use shiftbook_model::followup::{self, FollowUp};
use shiftbook_model::ids::Derive as _;
use shiftbook_model::protocol::PeerId;
use shiftbook_model::roster::{self, Roster, SignIn, StaffMember};
use shiftbook_model::schedule::RoundProgress;
use shiftbook_model::security_log::{self, EventKind, SecurityEvent};
use shiftbook_model::settings::{self, Setting, SiteSettings};
use shiftbook_model::signature::{self, Meaning};
use shiftbook_model::template::Template;
use shiftbook_model::templates::{self, SiteTemplates};
use shiftbook_model::{DocumentId, Lang, ModelError};
use std::cell::RefCell;
use std::rc::Rc;
use sync_socket::SocketState;

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
    /// ... because the tablet's storage is full.
    pub storage_full: RwSignal<bool>,
    /// Photos the server does not have yet.
    pub unsent_photos: RwSignal<usize>,
    /// A new build of the app has taken over this page: offer a reload.
    pub update_ready: RwSignal<bool>,
    /// Unreadable records set aside at start-up.
    pub quarantined: RwSignal<usize>,
    /// Records a newer build wrote, left out of the screens until this
    /// tablet updates.
    pub newer_records: RwSignal<usize>,
    /// The server refuses this tablet's token.
    pub refused: RwSignal<bool>,
    /// UI language.
    pub lang: RwSignal<Lang>,
    /// When the last edit reached the tablet's storage.
    pub saved_at: RwSignal<Option<i64>>,
    /// The person signed in on this tablet.
    pub person: RwSignal<Option<SignedIn>>,
    /// When the server first held each change (hash hex → server ms), per
    /// document, as far as this device has heard.
    pub receipts: RwSignal<crate::core::receipts::Receipts>,
    /// Changes another device uploaded than the one they name, per
    /// document (shown as unconfirmed).
    pub uploads: RwSignal<crate::core::receipts::Uploads>,
    /// What the first screen shows: the copy from storage until the engine
    /// computes it from the documents.
    pub start: RwSignal<StartData>,
    /// The engine has loaded the documents ([`Store::start_engine`]).
    pub started: RwSignal<bool>,
    /// The engine's piece of the wasm could not be fetched (it is tried
    /// again): nothing can be read or changed until it is.
    pub engine_missing: RwSignal<bool>,
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
    /// Per document, the records this build cannot read.
    pub newer: newer_records::NewerRecords,
    /// Derives document ids, noting their purposes for registration.
    pub ids: crate::core::id_book::IdBook,
    /// Who was signed out at start for being idle, until the engine logs
    /// it.
    pub idle_person: Option<SignedIn>,
    /// What storage holds, and what waits to be written.
    pub persisted: persist::Persisted,
    /// The engine is loading the documents.
    pub starting: bool,
}

impl Inner {
    /// Tell the sync client the purposes derived since last time (not
    /// inlined: every read and write runs it twice).
    #[inline(never)]
    fn note_purposes(&mut self) {
        for (id, purpose) in self.ids.take_noted() {
            self.client.note_purpose(id, &purpose);
        }
    }
}

/// The app's state, shared by every component through context.
#[derive(Clone)]
pub struct Store {
    inner: SendWrapper<Rc<RefCell<Inner>>>,
    /// Signals for rendering.
    pub signals: Signals,
}

/// What a record family does after any document changed here (a merge,
/// another tab), before the UI hears of it: the visitor log repairs its
/// open index. Registered once by `main` ([`register_reactions`]), so the
/// store runs them without naming a family.
pub type Reaction = fn(&Store, &DocumentId);

static REACTIONS: std::sync::OnceLock<&'static [Reaction]> = std::sync::OnceLock::new();

/// Run `f`, a read of document `id` (`doc`) made outside [`Store::read`] —
/// inside a change of another document — with the document's kept records
/// ([`shiftbook_model::record_cache`]). Only for reads: `doc` must not
/// change while `f` runs.
pub(crate) fn reading_records<R>(
    id: &DocumentId,
    doc: &automerge::Automerge,
    f: impl FnOnce() -> R,
) -> R {
    read_cache::reading(id, doc, f)
}

pub use photo_uploads::photo_url;

/// Register the families' reactions to a changed document; called once,
/// before the app starts. A second call changes nothing.
pub fn register_reactions(list: &'static [Reaction]) {
    let _ = REACTIONS.set(list);
}

/// The registered reactions (none in unit tests).
fn reactions() -> &'static [Reaction] {
    REACTIONS.get().copied().unwrap_or_default()
}

impl Store {
    /// The store of an enrolled tablet, before its documents are loaded:
    /// cheap, in the main module. The person signed in before a reload is
    /// back unless the site's idle time (as the start data says) has
    /// passed; [`Self::start_engine`], in the engine's piece, then loads
    /// the documents and starts syncing.
    pub fn new(enrolment: Enrolment, lang: Lang) -> Self {
        Self::new_as(enrolment, lang, None)
    }

    /// A supervisor's desktop: `person` is the signed-in supervisor, and the
    /// enrolment has no token (the session cookie authorises sync).
    pub fn new_desktop(enrolment: Enrolment, lang: Lang, person: SignedIn) -> Self {
        Self::new_as(enrolment, lang, Some(person))
    }

    fn new_as(enrolment: Enrolment, lang: Lang, desktop: Option<SignedIn>) -> Self {
        let peer = PeerId::from_random(random_bytes::<8>());
        let actor = ActorId::from(random_bytes::<16>().to_vec());
        let mut client = SyncClient::new(peer, actor);
        // A tap's frame first, its sync message right after (`local_sync`).
        client.defer_local_sync(true);
        let ids = crate::core::id_book::IdBook::new(enrolment.site_key.clone());
        let start = StartData::load(&enrolment.site).unwrap_or_default();
        let desktop_person = desktop.is_some();
        let mut person = desktop.or_else(session::load_person);
        // Left signed in on a tablet put away for longer than the site's
        // idle time: signed out now; the engine logs why.
        let mut idle_person = None;
        let now = crate::platform::clock::now_ms();
        if !desktop_person
            && person
                .as_ref()
                .is_some_and(|p| p.is_idle(now, start.idle_ms))
        {
            session::save_person(None);
            idle_person = person.take();
        }
        let signals = Signals {
            rev: RwSignal::new(0),
            status: RwSignal::new(SyncStatus::Offline),
            unconfirmed: RwSignal::new(0),
            storage_failed: RwSignal::new(false),
            storage_full: RwSignal::new(false),
            unsent_photos: RwSignal::new(0),
            update_ready: RwSignal::new(false),
            quarantined: RwSignal::new(0),
            newer_records: RwSignal::new(0),
            refused: RwSignal::new(false),
            lang: RwSignal::new(lang),
            saved_at: RwSignal::new(None),
            person: RwSignal::new(person),
            receipts: RwSignal::new(Default::default()),
            uploads: RwSignal::new(Default::default()),
            start: RwSignal::new(start),
            started: RwSignal::new(false),
            engine_missing: RwSignal::new(false),
        };
        crate::platform::app_update::watch(signals.update_ready);
        Self {
            inner: SendWrapper::new(Rc::new(RefCell::new(Inner {
                client,
                enrolment,
                socket: SocketState::default(),
                desktop: desktop_person,
                newer: newer_records::NewerRecords::default(),
                ids,
                idle_person,
                persisted: persist::Persisted::default(),
                starting: false,
            }))),
            signals,
        }
    }

    /// Load every stored document and start syncing (once; later calls do
    /// nothing). Runs in the engine's piece (`shell/engine.rs`), after the
    /// first screen showed from the start data. Records the localStorage
    /// builds wrote move into IndexedDB first ([`legacy_records`]).
    pub async fn start_engine(&self) {
        if self.signals.started.get_untracked()
            || self.borrow(|inner| std::mem::replace(&mut inner.starting, true))
        {
            return;
        }
        if let Err(e) = legacy_records::migrate().await {
            web_sys_log(&format!("shiftbook: records not moved to IndexedDB: {e}"));
        }
        let stored = match crate::platform::idb::read_all().await {
            Ok(stored) => stored,
            Err(e) => {
                // No IndexedDB: what localStorage holds still shows, and
                // the screen says edits are not safe.
                web_sys_log(&format!("shiftbook: storage unreadable: {e}"));
                self.signals.storage_failed.set(true);
                legacy_records::in_local_storage()
            }
        };
        let loaded = self.borrow(|inner| {
            // Registrations name the site (a supervisor's desktop acts for
            // one of several; a device's must be its own).
            inner.client.set_site(Some(inner.enrolment.site.clone()));
            // Old synced records leave storage here, before connecting.
            let loaded = retention::load_stored(inner, stored);
            let client = &mut inner.client;
            // The roster is needed to sign in, offline too, and the
            // settings say when to sign out: ask for them until the server
            // has them (a supervisor creates them).
            let site_documents =
                shiftbook_model::site_documents::site_documents(&inner.ids).map(|(_, id)| id);
            for id in site_documents.chain([followup::index_document_id(&inner.ids)]) {
                if client.doc(&id).is_none() {
                    client.want(id);
                }
            }
            loaded
        });
        let quarantined = self.finish_loading(loaded).await;
        storage::ask_persistent();
        let (unconfirmed, receipts, uploads, idle_person) = self.borrow(|inner| {
            inner.client.take_outputs();
            (
                inner.client.total_unconfirmed(),
                crate::core::receipts::load(inner.client.documents()),
                crate::core::receipts::load_uploads(inner.client.documents()),
                inner.idle_person.take(),
            )
        });
        let s = self.signals;
        s.unconfirmed.set(unconfirmed);
        s.quarantined.update(|q| *q += quarantined);
        s.receipts.set(receipts);
        s.uploads.set(uploads);
        s.started.set(true);
        if let Some(p) = idle_person {
            self.record_security(EventKind::IdleSignOut, &p.id);
        }
        // The start data's idle time may be older than the settings.
        self.sign_out_if_idle(crate::platform::clock::now_ms());
        self.changed(&[]);
        self.recount_all_newer_records();
        sync_socket::install_listeners(self);
        persist::listen(self);
        sync_socket::connect(self);
        self.queue_unsent_photos().await;
        self.evict_old_photos().await;
        self.install_timers();
    }

    /// Every 15 s: sign out an idle person (after the site's idle time),
    /// ask again for documents the server did not have (the roster before a
    /// supervisor made it).
    fn install_timers(&self) {
        use wasm_bindgen::JsCast;
        use wasm_bindgen::closure::Closure;
        let Some(window) = web_sys::window() else {
            return;
        };
        let store = self.clone();
        let tick = Closure::<dyn FnMut()>::new(move || {
            let now = crate::platform::clock::now_ms();
            store.sign_out_if_idle(now);
            store.with(|i| i.client.retry_unavailable());
            store.pump();
            if store.signals.status.get_untracked() != SyncStatus::Offline {
                fetch_receipts::refresh_missing(&store);
            }
        });
        let _ = window.set_interval_with_callback_and_timeout_and_arguments_0(
            tick.as_ref().unchecked_ref(),
            15_000,
        );
        // Lives as long as the page.
        tick.forget();
    }

    /// A value computed from the documents, recomputed whenever one of
    /// them changes (locally or by a merge).
    ///
    /// It recomputes when a document it read changed: a read of one
    /// document ([`Self::read`], [`Self::read_kept`]) subscribes it to that
    /// document, any other look at the store ([`Self::with`]) to every
    /// change ([`doc_watch`]).
    pub fn derived<T: PartialEq + Send + Sync + 'static>(
        &self,
        f: impl Fn(&Store) -> T + Send + Sync + 'static,
    ) -> Memo<T> {
        let store = self.clone();
        Memo::new(move |_| doc_watch::deriving(|| f(&store)))
    }

    /// Documents `ids` changed (an edit, a merge): recompute what read them.
    pub(crate) fn changed<'a>(&self, ids: impl IntoIterator<Item = &'a DocumentId>) {
        for id in ids {
            doc_watch::notify(id);
        }
        self.signals.rev.update(|r| *r += 1);
    }

    /// Whether this is a supervisor's desktop.
    pub fn is_desktop(&self) -> bool {
        self.inner.borrow().desktop
    }

    /// The site roster's id.
    pub fn roster_id(&self) -> DocumentId {
        self.id(roster::document_id)
    }

    /// Active people who can sign in here, by name; `None` while the
    /// roster has not reached this tablet.
    pub fn roster_members(&self) -> Option<Vec<StaffMember>> {
        self.all_members()
            .map(|all| all.into_iter().filter(|m| m.active).collect())
    }

    /// Everyone on the roster, active or not; `None` while the roster has
    /// not reached this device.
    pub fn all_members(&self) -> Option<Vec<StaffMember>> {
        let id = self.roster_id();
        self.read(&id, |doc| Roster::new(doc).ok()?.members().ok())
            .flatten()
    }

    /// The concurrent differing versions of person `id` (empty if none).
    pub fn member_conflicts(&self, id: &str) -> Vec<StaffMember> {
        let roster = self.roster_id();
        self.read(&roster, |doc| {
            Roster::new(doc)
                .and_then(|r| r.conflicts(id))
                .unwrap_or_default()
        })
        .unwrap_or_default()
    }

    /// The site settings document's id.
    pub fn settings_id(&self) -> DocumentId {
        self.id(settings::document_id)
    }

    /// Read the site settings (defaults until the document arrives).
    pub fn read_settings<R>(&self, f: impl FnOnce(SiteSettings<'_>) -> R) -> R {
        self.read_each(&[self.settings_id()], |each| {
            let view = each
                .first()
                .copied()
                .flatten()
                .and_then(|d| SiteSettings::new(d).ok())
                .unwrap_or_else(SiteSettings::defaults);
            f(view)
        })
    }

    /// The site's idle sign-out time, ms.
    pub fn idle_ms(&self) -> i64 {
        self.read_settings(|s| s.idle_sign_out_ms())
            .unwrap_or_else(|_| Setting::IdleSignOutMinutes.default_value() * 60_000)
    }

    /// Digits of a new PIN on this site.
    pub fn pin_digits(&self) -> i64 {
        self.read_settings(|s| s.get(Setting::PinDigits))
            .unwrap_or_else(|_| Setting::PinDigits.default_value())
    }

    /// The site's minutes before a shift or key hand-over nobody took
    /// over is an alert.
    pub fn take_over_minutes(&self) -> i64 {
        self.read_settings(|s| s.take_over_minutes())
            .unwrap_or_else(|_| Setting::HandoverTakeOverMinutes.default_value())
    }

    /// Make sure the site document `id` exists here, creating its
    /// deterministic genesis if the server has not sent it (yet): the
    /// genesis is the same change the server's copy starts with. A
    /// document asked for but not received is empty and needs it too. What
    /// is created is stored at once.
    pub(crate) fn ensure_site_document(
        &self,
        id: &DocumentId,
        genesis: impl FnOnce(&str) -> Result<automerge::Automerge, ModelError>,
    ) -> Result<(), AppError> {
        let created = self
            .with(|inner| -> Result<bool, ModelError> {
                let present = inner
                    .client
                    .doc(id)
                    .is_some_and(|d| !d.get_heads().is_empty());
                if present {
                    return Ok(false);
                }
                let doc = genesis(&inner.enrolment.site)?;
                inner.client.insert(*id, doc, Vec::new())?;
                Ok(true)
            })
            .map_err(|e| self.refused(e))?;
        if created {
            self.persist(id);
            doc_watch::notify(id);
        }
        Ok(())
    }

    /// Change the site document `id` as the signed-in supervisor, creating
    /// its genesis here first if the server has not sent it.
    pub(crate) fn edit_site_document<T>(
        &self,
        id: &DocumentId,
        genesis: impl FnOnce(&str) -> Result<automerge::Automerge, ModelError>,
        f: impl FnOnce(&mut automerge::Automerge, &Attribution) -> Result<T, ModelError>,
    ) -> Result<(), AppError> {
        let supervisor = self.signals.person.with_untracked(|p| {
            p.as_ref()
                .is_some_and(|p| p.role == roster::Role::Supervisor)
        });
        if !supervisor {
            return Err(AppProblem::SupervisorsOnly.into());
        }
        self.ensure_site_document(id, genesis)?;
        self.edit(id, f)
    }

    /// Add or change a person on the roster (supervisors, on the desktop).
    pub fn put_member(&self, member: &StaffMember) -> Result<(), AppError> {
        self.edit_site_document(&self.roster_id(), roster::genesis, |doc, by| {
            roster::put_member(doc, member, by)
        })
    }

    /// Add or change a checklist template (supervisors, on the desktop).
    pub fn put_template(&self, template: &Template) -> Result<(), AppError> {
        let id = self.id(templates::document_id);
        self.edit_site_document(&id, templates::genesis, |doc, by| {
            templates::put_template(doc, template, by)
        })
    }

    /// Change a site setting (supervisors, on the desktop).
    pub fn set_setting(&self, setting: Setting, value: i64) -> Result<(), AppError> {
        self.edit_site_document(&self.settings_id(), settings::genesis, |doc, by| {
            settings::set(doc, setting, value, by)
        })
    }

    /// The site's templates (the built-in ones until the site has its own).
    pub fn templates(&self) -> Vec<Template> {
        self.read_each(&[self.id(templates::document_id)], |each| {
            let view = each
                .first()
                .copied()
                .flatten()
                .and_then(|d| SiteTemplates::new(d).ok())
                .unwrap_or_else(SiteTemplates::builtin);
            view.all()
                .unwrap_or_else(|_| shiftbook_model::template::builtins())
        })
    }

    /// The template `id` of this site.
    pub fn template(&self, id: &str) -> Option<Template> {
        self.templates().into_iter().find(|t| t.id == id)
    }

    /// The id of the document holding a round (its template's day).
    pub fn round_id(&self, round: &crate::nav::route::RoundRef) -> DocumentId {
        self.id(|ids| ids.derive(&checklist::purpose(&round.template, &round.date)))
    }

    /// How far the round got, as far as this device knows.
    pub fn round_progress(&self, round: &crate::nav::route::RoundRef) -> RoundProgress {
        let id = self.round_id(round);
        let progress = self.read(&id, |doc| {
            checklist::Checklist::new(doc)
                .and_then(|c| c.progress(&round.slot))
                .ok()
        });
        let local = |ms: i64| crate::platform::clock::local(ms);
        match progress.flatten() {
            Some(checklist::Progress {
                started: Some(s),
                finished: Some(f),
            }) => match (local(s.at_ms), local(f.at_ms)) {
                (Some(started), Some(at)) => RoundProgress::Finished { started, at },
                _ => RoundProgress::NotStarted,
            },
            Some(checklist::Progress {
                started: Some(s), ..
            }) => local(s.at_ms).map_or(RoundProgress::NotStarted, |at| RoundProgress::Started {
                at,
            }),
            _ => RoundProgress::NotStarted,
        }
    }

    /// Ask the server for those of `ids` this device does not hold, and
    /// send the requests.
    pub(crate) fn want_missing(&self, ids: impl IntoIterator<Item = DocumentId>) {
        // Collected first: making ids may borrow the store too.
        let ids: Vec<DocumentId> = ids.into_iter().collect();
        self.borrow(|inner| {
            for id in ids {
                if inner.client.doc(&id).is_none() {
                    inner.client.want(id);
                }
            }
        });
        self.pump();
    }

    /// Ask the server for rounds this device does not hold, so progress
    /// made on other tablets shows on the agenda.
    pub fn want_rounds<'a>(&self, rounds: impl Iterator<Item = &'a crate::nav::route::RoundRef>) {
        let mut ids: Vec<DocumentId> = rounds.map(|r| self.round_id(r)).collect();
        ids.sort();
        ids.dedup();
        self.borrow(|inner| {
            for id in ids {
                inner.client.want(id);
            }
        });
        self.pump();
    }

    /// The posts of the person signed in (none for supervisors on the
    /// desktop, or people without posts: they see every template).
    pub fn person_posts(&self) -> Vec<String> {
        let Some(id) = self
            .signals
            .person
            .with(|p| p.as_ref().map(|p| p.id.clone()))
        else {
            return Vec::new();
        };
        self.all_members()
            .and_then(|all| all.into_iter().find(|m| m.id == id))
            .map(|m| m.posts)
            .unwrap_or_default()
    }

    /// A new round of an unscheduled template, today, started by hand:
    /// only this device creates it, so its slot key is random.
    pub fn new_on_demand_round(&self, template: &str) -> crate::nav::route::RoundRef {
        crate::nav::route::RoundRef {
            template: template.to_owned(),
            date: crate::platform::clock::today(),
            slot: checklist::on_demand_slot(random_bytes::<4>()),
        }
    }

    /// The index of open follow-ups, created here (deterministic genesis)
    /// if the server has not sent it.
    fn followup_index(&self) -> Result<DocumentId, AppError> {
        let id = self.id(followup::index_document_id);
        self.ensure_site_document(&id, followup::index_genesis)?;
        Ok(id)
    }

    /// The follow-up board of `month`, created here if new.
    fn followup_board(&self, month: &str) -> Result<DocumentId, AppError> {
        let id = self.id(|ids| followup::document_id(ids, month));
        let month = month.to_owned();
        self.ensure_site_document(&id, |site| followup::genesis(site, &month))?;
        Ok(id)
    }

    /// Change a follow-up board and the open index together as the
    /// signed-in person.
    fn edit_followups<T>(
        &self,
        month: &str,
        f: impl FnOnce(
            &mut automerge::Automerge,
            &mut automerge::Automerge,
            &Attribution,
        ) -> Result<T, ModelError>,
    ) -> Result<(), AppError> {
        let board = self.followup_board(month)?;
        let index = self.followup_index()?;
        self.edit_pair(&board, &index, f)
    }

    /// Change a board and its open index together as the signed-in person
    /// (the model writes the board first, then the index), then store
    /// both. `Ok` only once both are in the device's storage.
    pub(crate) fn edit_pair<T>(
        &self,
        board: &DocumentId,
        index: &DocumentId,
        f: impl FnOnce(
            &mut automerge::Automerge,
            &mut automerge::Automerge,
            &Attribution,
        ) -> Result<T, ModelError>,
    ) -> Result<(), AppError> {
        let now = crate::platform::clock::now_ms();
        let by = self.signed_in(now)?;
        let (board, index) = (*board, *index);
        let result = self.with(|inner| {
            inner
                .client
                .change_pair(&board, &index, |b, i| f(b, i, &by).map(|_| ()))
        });
        self.persist(&index);
        self.after_change(&board, result)
    }

    /// Open (or join) the follow-up of an × on `item` of the round `id`.
    fn open_followup(
        &self,
        id: &DocumentId,
        template: &Template,
        date: &str,
        item: &str,
        note: &str,
    ) -> Result<(), AppError> {
        let Some(spec) = template.item(item) else {
            return Err(AppProblem::UnknownItem.into());
        };
        let source = followup::Source {
            round: id.to_string(),
            template: template.id.clone(),
            item: item.to_owned(),
            item_label: spec.label.clone(),
            round_title: template.title.clone(),
            date: date.to_owned(),
        };
        self.open_followup_for(&source, spec.department, note)
    }

    /// Open the follow-up of `source` unless it is open already.
    pub(crate) fn open_followup_for(
        &self,
        source: &followup::Source,
        department: followup::Department,
        note: &str,
    ) -> Result<(), AppError> {
        let month = followup::month_of(&source.date).map_err(AppError::Model)?;
        let key = source.key();
        let board = self.followup_board(&month)?;
        let already_open = self
            .read(&board, |b| followup::followup(b, &key).ok().flatten())
            .flatten()
            .is_some_and(|f| f.is_open());
        if already_open {
            return Ok(());
        }
        self.edit_followups(&month, |b, i, by| {
            followup::open(b, i, source, department, note, by)
        })
    }

    /// The boards this device should show: the current month's and those
    /// the open index names.
    fn followup_board_ids(&self) -> Vec<DocumentId> {
        let month = crate::platform::clock::today()
            .get(..7)
            .unwrap_or_default()
            .to_owned();
        let index = self.id(followup::index_document_id);
        let months = self
            .read(&index, |d| followup::months_to_load(d, &month).ok())
            .flatten()
            .unwrap_or_else(|| vec![month.clone()]);
        self.borrow(|i| {
            months
                .iter()
                .map(|m| followup::document_id(&i.ids, m))
                .collect()
        })
    }

    /// Every follow-up on those boards, open ones first, newest first.
    pub fn followups(&self) -> Vec<FollowUp> {
        let mut all: Vec<FollowUp> = self
            .followup_board_ids()
            .iter()
            .filter_map(|id| {
                self.read_kept(id, "followups", |b| {
                    followup::followups(b).unwrap_or_default()
                })
            })
            .flat_map(|board| board.as_ref().clone())
            .collect();
        all.sort_by_key(|f| (!f.is_open(), std::cmp::Reverse(f.opened_at_ms())));
        all
    }

    /// Ask the server for the boards not held here.
    pub fn want_followup_boards(&self) {
        let ids = self.followup_board_ids();
        self.want_missing(ids);
    }

    /// Whether the × behind a follow-up is disputed (concurrent marks that
    /// disagree), as far as this device holds the round.
    pub fn followup_disputed(&self, f: &FollowUp) -> bool {
        let Ok(id) = f.source.round.parse::<DocumentId>() else {
            return false;
        };
        self.read(&id, |d| {
            checklist::Checklist::new(d)
                .and_then(|c| c.has_conflict(&f.source.item))
                .unwrap_or(false)
        })
        .unwrap_or(false)
    }

    /// Add a note to follow-up `key` (of the board of `date`'s month).
    pub fn followup_note(&self, date: &str, key: &str, text: &str) -> Result<(), AppError> {
        let board = self.board_of(date)?;
        self.edit(&board, |b, by| followup::note(b, key, text, &[], by))
    }

    /// Close follow-up `key` with what was done.
    pub fn close_followup(&self, date: &str, key: &str, action: &str) -> Result<(), AppError> {
        let month = followup::month_of(date).map_err(AppError::Model)?;
        self.edit_followups(&month, |b, i, by| followup::close(b, i, key, action, by))
    }

    /// Hand follow-up `key` to another department.
    pub fn reassign_followup(
        &self,
        date: &str,
        key: &str,
        department: followup::Department,
    ) -> Result<(), AppError> {
        let board = self.board_of(date)?;
        self.edit(&board, |b, by| followup::reassign(b, key, department, by))
    }

    /// Issue a rectification notice on follow-up `key` (supervisors).
    pub fn followup_notice(
        &self,
        date: &str,
        key: &str,
        text: &str,
        due: &str,
    ) -> Result<(), AppError> {
        let board = self.board_of(date)?;
        self.edit(&board, |b, by| followup::notice(b, key, text, due, by))
    }

    /// The follow-up board of the month of `date`.
    pub(crate) fn board_of(&self, date: &str) -> Result<DocumentId, AppError> {
        let month = followup::month_of(date).map_err(AppError::Model)?;
        self.followup_board(&month)
    }

    /// Finish the round of `slot` (a `finished` event).
    pub fn finish_round(&self, id: &DocumentId, slot: &str) -> Result<(), AppError> {
        self.edit(id, |doc, by| checklist::finish(doc, slot, by))
    }

    /// Open the site's security log of `date` (creating it offline if new).
    pub fn open_security_log(&self, date: &str) -> Result<DocumentId, AppError> {
        let id = self.id(|ids| security_log::document_id(ids, date));
        let date = date.to_owned();
        self.ensure_site_document(&id, |site| security_log::genesis(site, &date))?;
        self.pump();
        Ok(id)
    }

    /// Record a security event in today's shared log (it reaches the
    /// supervisors with the next sync). A failure is logged, never shown
    /// to the person at the tablet.
    pub(crate) fn record_security(&self, kind: EventKind, person_id: &str) {
        let now = crate::platform::clock::now_ms();
        let person = self
            .all_members()
            .and_then(|all| all.into_iter().find(|m| m.id == person_id))
            .map(|m| m.name)
            .unwrap_or_default();
        let event = SecurityEvent {
            kind,
            person_id: person_id.to_owned(),
            person,
            device: self.borrow(|i| i.enrolment.device.clone()),
            at_ms: now,
        };
        let recorded = self
            .open_security_log(&crate::platform::clock::today())
            .and_then(|id| {
                let result = self.with(|inner| {
                    inner
                        .client
                        .change(&id, |doc| security_log::append(doc, &event))
                });
                self.after_change(&id, result.map(|r| r.map(|_| ())))
            });
        if let Err(e) = recorded {
            web_sys_log(&format!("shiftbook: security log: {e}"));
        }
    }

    /// Check `pin` for `person_id` against the roster, offline, behind the
    /// person's wrong-PIN throttle: the member on the right PIN, else why
    /// not. Never stores or logs the PIN.
    async fn check_pin(
        &self,
        person_id: &str,
        pin: &str,
        now: i64,
    ) -> Result<StaffMember, SignInOutcome> {
        let mut throttle = session::throttle(person_id);
        let wait = throttle.wait_ms(now);
        if wait > 0 {
            return Err(SignInOutcome::Wait(wait));
        }
        let id = self.roster_id();
        let to_check = self.read(&id, |doc| {
            Roster::new(doc).and_then(|r| r.pin_to_check(person_id))
        });
        let checked = match to_check {
            None | Some(Err(_)) => None,
            Some(Ok(Err(outcome))) => Some(outcome),
            // The browser derives the key (WebCrypto); a browser that
            // cannot is treated like a missing roster: nobody signs in,
            // nothing is counted against the person.
            Some(Ok(Ok((member, hash)))) => {
                match crate::platform::pin_crypto::matches(&hash, pin).await {
                    Ok(true) => Some(SignIn::Ok(member)),
                    Ok(false) => Some(SignIn::WrongPin),
                    Err(e) => {
                        web_sys_log(&e.to_string());
                        None
                    }
                }
            }
        };
        let result = match checked {
            None => Err(SignInOutcome::NoRoster),
            Some(SignIn::Ok(member)) => {
                throttle.succeeded();
                Ok(member)
            }
            Some(SignIn::WrongPin) => {
                throttle.failed(now);
                Err(SignInOutcome::WrongPin(throttle.wait_ms(now)))
            }
            Some(SignIn::Unknown | SignIn::Inactive) => Err(SignInOutcome::Unknown),
            Some(SignIn::NoPin) => Err(SignInOutcome::NoPin),
        };
        session::save_throttle(person_id, &throttle);
        result
    }

    /// The security event of a PIN check's failure.
    fn refused_event(outcome: SignInOutcome) -> EventKind {
        match outcome {
            SignInOutcome::WrongPin(_) => EventKind::WrongPin,
            _ => EventKind::Refused,
        }
    }

    /// Check `pin` for `person_id` against the roster, offline. Wrong PINs
    /// make the next attempt wait longer; every outcome goes to the site's
    /// security log.
    pub async fn sign_in(&self, person_id: &str, pin: &str) -> SignInOutcome {
        let now = crate::platform::clock::now_ms();
        let (outcome, event) = match self.check_pin(person_id, pin, now).await {
            Err(SignInOutcome::Wait(wait)) => return SignInOutcome::Wait(wait),
            Ok(member) => {
                let person = SignedIn::new(&member, now);
                session::save_person(Some(&person));
                self.signals.person.set(Some(person));
                (SignInOutcome::SignedIn, EventKind::SignIn)
            }
            Err(refused) => (refused, Self::refused_event(refused)),
        };
        self.record_security(event, person_id);
        outcome
    }

    /// A second person confirms one action with their own PIN while
    /// someone else stays signed in (the co-sign component): the same PIN
    /// check, throttle and security log as signing in, but nobody is
    /// signed in or out. The confirmation is for exactly one action.
    pub async fn co_sign(&self, person_id: &str, pin: &str) -> Result<CoSigned, SignInOutcome> {
        let now = crate::platform::clock::now_ms();
        let result = self.check_pin(person_id, pin, now).await;
        let event = match result {
            Err(SignInOutcome::Wait(wait)) => return Err(SignInOutcome::Wait(wait)),
            Ok(_) => EventKind::CoSigned,
            Err(refused) => Self::refused_event(refused),
        };
        self.record_security(event, person_id);
        let device = self.borrow(|i| i.enrolment.device.clone());
        result.map(|member| CoSigned::new(&member, &device, now))
    }

    /// Sign the current person out (`why` goes to the security log).
    pub fn sign_out(&self, why: EventKind) {
        if let Some(p) = self.forget_person() {
            self.record_security(why, &p.id);
        }
    }

    /// A tablet's person idle for longer than the site's idle time at
    /// `now` is signed out, and the log says why (a desktop never is).
    fn sign_out_if_idle(&self, now: i64) {
        let idle_ms = self.idle_ms();
        let idle = !self.is_desktop()
            && self
                .signals
                .person
                .with_untracked(|p| p.as_ref().is_some_and(|p| p.is_idle(now, idle_ms)));
        if idle {
            self.sign_out(EventKind::IdleSignOut);
        }
    }

    /// Nobody is signed in on this device any more; who was, if anyone.
    /// The security log is [`Self::record_security`]'s (the main module
    /// signs out at once and logs it through the engine).
    pub fn forget_person(&self) -> Option<SignedIn> {
        let p = self.signals.person.get_untracked()?;
        session::save_person(None);
        self.signals.person.set(None);
        Some(p)
    }

    /// The person did something: push idle sign-out back. Nothing shows
    /// the last activity, so nothing that reads the person re-runs.
    fn touch(&self, now: i64) -> Option<SignedIn> {
        self.signals.person.update_untracked(|p| {
            if let Some(p) = p {
                p.last_activity_ms = now;
            }
        });
        let person = self.signals.person.get_untracked()?;
        if !self.is_desktop() {
            session::save_activity(&person);
        }
        Some(person)
    }

    /// Who acts now, if anyone is signed in.
    fn attribution(&self, now: i64) -> Option<Attribution> {
        let person = self.touch(now)?;
        let device = self.borrow(|i| i.enrolment.device.clone());
        Some(person.attribution(&device, now))
    }

    /// The rounds of the service days `dates` this device holds that were
    /// walked and are not signed since their last change: (document,
    /// title and date).
    pub fn rounds_to_sign(&self, dates: &[String]) -> Vec<(DocumentId, String)> {
        let lang = self.signals.lang.get_untracked();
        let templates = self.templates();
        dates
            .iter()
            .flat_map(|date| templates.iter().map(move |t| (date, t)))
            .filter_map(|(date, t)| {
                let round = crate::nav::route::RoundRef {
                    template: t.id.clone(),
                    date: date.clone(),
                    slot: String::new(),
                };
                let id = self.round_id(&round);
                let unsigned = self
                    .read(&id, |d| {
                        let started = checklist::Checklist::new(d)
                            .and_then(|c| c.template())
                            .ok()
                            .flatten()
                            .is_some();
                        let signed_since = signature::signatures(d)
                            .ok()
                            .and_then(|all| all.last().cloned())
                            .is_some_and(|last| {
                                signature::changes_after(d, &last).is_ok_and(|c| c.is_empty())
                            });
                        started && !signed_since
                    })
                    .unwrap_or(false);
                unsigned.then(|| {
                    (
                        id,
                        format!("{} {}", t.title.get(lang), date.get(5..).unwrap_or(date)),
                    )
                })
            })
            .collect()
    }

    /// Sign every round [`Self::rounds_to_sign`] lists for `dates`, as the
    /// day's review; how many were signed.
    pub fn sign_days(&self, dates: &[String]) -> Result<usize, AppError> {
        let rounds = self.rounds_to_sign(dates);
        for (id, _) in &rounds {
            self.sign_round(id)?;
        }
        Ok(rounds.len())
    }

    /// Sign the round as the day's review (leader or supervisor).
    pub fn sign_round(&self, id: &DocumentId) -> Result<(), AppError> {
        self.edit(id, |doc, by| signature::sign(doc, Meaning::DailyReview, by))
    }

    /// Change document `id` as the signed-in person (`f` makes the change),
    /// then store it, sync it and tell the UI. `Ok` only once the change is
    /// in the device's storage.
    pub(crate) fn edit<T>(
        &self,
        id: &DocumentId,
        f: impl FnOnce(&mut automerge::Automerge, &Attribution) -> Result<T, ModelError>,
    ) -> Result<(), AppError> {
        let now = crate::platform::clock::now_ms();
        let by = self.signed_in(now)?;
        let result = self.with(|inner| inner.client.change(id, |doc| f(doc, &by).map(|_| ())));
        self.after_change(id, result)
    }

    /// Change document `id` as `by` — the signed-in person, or someone who
    /// confirmed one action with their PIN ([`CoSigned`]) — then store it,
    /// sync it and tell the UI, like [`Self::edit`].
    pub(crate) fn edit_as<T>(
        &self,
        id: &DocumentId,
        by: &Attribution,
        f: impl FnOnce(&mut automerge::Automerge, &Attribution) -> Result<T, ModelError>,
    ) -> Result<(), AppError> {
        let result = self.with(|inner| inner.client.change(id, |doc| f(doc, by).map(|_| ())));
        self.after_change(id, result)
    }

    /// Who acts for one change: the co-signed person if there is one (the
    /// confirmation is used up), else the signed-in person.
    pub(crate) fn actor(&self, co: Option<CoSigned>) -> Result<Attribution, AppError> {
        let now = crate::platform::clock::now_ms();
        match co {
            Some(co) => {
                // The tablet is in use: the signed-in person stays.
                self.touch(now);
                Ok(co.into_attribution(now))
            }
            None => self.signed_in(now),
        }
    }

    /// After a change: store it, sync it and tell the UI; or the refusal,
    /// typed.
    pub(crate) fn after_change(
        &self,
        id: &DocumentId,
        result: Option<Result<(), ModelError>>,
    ) -> Result<(), AppError> {
        match result {
            None => Err(AppProblem::NotOpen.into()),
            Some(Err(e)) => Err(self.refused(e)),
            Some(Ok(())) => {
                self.persist(id);
                self.pump();
                self.changed([id]);
                // Written in the next turn; while writes fail, the person
                // hears that this one is not safe yet either.
                if self.signals.storage_failed.get_untracked() {
                    Err(AppProblem::StorageFailed.into())
                } else {
                    Ok(())
                }
            }
        }
    }

    /// A refusal of the model, typed; the model's own text goes to the
    /// console for whoever supports the tablet.
    pub(crate) fn refused(&self, e: ModelError) -> AppError {
        web_sys_log(&format!("shiftbook: refused: {e}"));
        AppError::Model(e)
    }

    /// Who acts now, or the refusal when nobody is signed in.
    pub(crate) fn signed_in(&self, now: i64) -> Result<Attribution, AppError> {
        self.attribution(now)
            .ok_or(AppError::Problem(AppProblem::NotSignedIn))
    }

    /// Run `f` with the inner state borrowed. Purposes derived before and
    /// inside `f` reach the sync client, so a document is registered
    /// before its first sync message.
    /// Inside [`Self::derived`] this subscribes to every change.
    pub fn with<R>(&self, f: impl FnOnce(&mut Inner) -> R) -> R {
        if doc_watch::is_deriving() {
            self.signals.rev.track();
        }
        self.borrow(f)
    }

    /// The id `derive` makes from the site's key, noted for registration;
    /// subscribes to nothing.
    pub(crate) fn id(
        &self,
        derive: impl FnOnce(&crate::core::id_book::IdBook) -> DocumentId,
    ) -> DocumentId {
        self.borrow(|i| derive(&i.ids))
    }

    /// [`Self::with`] without subscribing: for what does not read the
    /// documents (ids, the enrolment) or reads one and tracks it.
    pub(crate) fn borrow<R>(&self, f: impl FnOnce(&mut Inner) -> R) -> R {
        let mut inner = self.inner.borrow_mut();
        inner.note_purposes();
        let out = f(&mut inner);
        inner.note_purposes();
        out
    }

    /// The enrolment.
    pub fn enrolment(&self) -> Enrolment {
        self.inner.borrow().enrolment.clone()
    }

    /// Open `template`'s rounds of service day `date`, creating the day's
    /// (deterministic) genesis offline if new. Opening is not starting:
    /// nothing is written but the identity every tablet shares.
    pub(crate) fn open_checklist(
        &self,
        template: &Template,
        date: &str,
    ) -> Result<DocumentId, AppError> {
        let id = self.id(|ids| ids.derive(&checklist::purpose(&template.id, date)));
        self.ensure_site_document(&id, |site| checklist::genesis(site, &template.id, date))?;
        self.pump();
        Ok(id)
    }

    /// Record a mark in `slot`, starting that round with `template` first
    /// if nobody has (in the same change). `Ok` only once it is in the
    /// tablet's storage.
    pub fn mark(
        &self,
        id: &DocumentId,
        template: &Template,
        slot: &str,
        item: &str,
        status: Status,
        note: &str,
    ) -> Result<(), AppError> {
        self.edit(id, |doc, by| {
            checklist::mark_starting(doc, template, slot, item, status, note, by)
        })?;
        if status == Status::Abnormal {
            let date = self
                .read(id, |d| {
                    checklist::Checklist::new(d).and_then(|c| c.date()).ok()
                })
                .flatten()
                .unwrap_or_else(crate::platform::clock::today);
            // The mark is saved; a follow-up that could not be opened is
            // opened by the next × or by hand, never at the mark's cost.
            if let Err(e) = self.open_followup(id, template, &date, item, note) {
                web_sys_log(&format!("shiftbook: follow-up not opened: {e}"));
            }
        }
        Ok(())
    }

    /// Read a document for rendering.
    pub fn read<R>(
        &self,
        id: &DocumentId,
        f: impl FnOnce(&automerge::Automerge) -> R,
    ) -> Option<R> {
        doc_watch::track(id);
        self.borrow(|inner| {
            let doc = inner.client.doc(id)?;
            Some(read_cache::reading(id, doc, || f(doc)))
        })
    }

    /// Read those of documents `ids` this device holds, together,
    /// subscribing to each ([`Self::read`]).
    pub fn read_docs<R>(
        &self,
        ids: &[DocumentId],
        f: impl FnOnce(&[&automerge::Automerge]) -> R,
    ) -> R {
        self.read_each(ids, |each| {
            let docs: Vec<&automerge::Automerge> = each.iter().copied().flatten().collect();
            f(&docs)
        })
    }

    /// Read documents `ids` together, each `None` when not held here,
    /// subscribing to each ([`Self::read`]).
    pub fn read_each<R>(
        &self,
        ids: &[DocumentId],
        f: impl FnOnce(&[Option<&automerge::Automerge>]) -> R,
    ) -> R {
        for id in ids {
            doc_watch::track(id);
        }
        self.borrow(|inner| {
            let each: Vec<Option<&automerge::Automerge>> =
                ids.iter().map(|id| inner.client.doc(id)).collect();
            let held: Vec<(DocumentId, &automerge::Automerge)> = ids
                .iter()
                .zip(&each)
                .filter_map(|(id, doc)| Some((*id, (*doc)?)))
                .collect();
            read_cache::reading_all(&held, || f(&each))
        })
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
                    Output::Send(frame) => sync_socket::send(self, &frame),
                    Output::Changed(id) => {
                        self.persist(&id);
                        for react in reactions() {
                            react(self, &id);
                        }
                        self.recount_newer_records([id]);
                        self.changed([&id]);
                        // What arrived came through the server: it has receipts.
                        fetch_receipts::refresh(self, id);
                    }
                    Output::Confirmed(id) => {
                        self.persist(&id);
                        fetch_receipts::refresh(self, id);
                    }
                    Output::Unavailable(id) => {
                        web_sys_log(&format!("shiftbook: server has no access to {id}"));
                        self.retry_soon(&id);
                    }
                    Output::ServerError(m) => web_sys_log(&format!("shiftbook: server error: {m}")),
                    Output::Connected => {
                        self.signals.refused.set(false);
                        self.photos_online();
                    }
                }
            }
        }
        let (status, unconfirmed, held_back) = self.with(|i| {
            (
                i.client.status(),
                i.client.total_unconfirmed(),
                i.client.has_local_unsent(),
            )
        });
        self.signals.status.set(status);
        self.signals.unconfirmed.set(unconfirmed);
        if held_back {
            self.sync_after_frame();
        }
    }
}
