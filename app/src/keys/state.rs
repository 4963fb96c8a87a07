//! The key register's side of the store (《样板房钥匙持用人登记表》): the
//! site's one register document, opened offline from its deterministic
//! genesis, read for the screen, and every change written through
//! [`shiftbook_model::key_register`] with the signed-in person's
//! attribution — except a receipt, which carries the receiver's
//! ([`Store::receiver_attribution`]).

use crate::core::error::{AppError, AppProblem};
use crate::core::session::CoSigned;
use crate::core::session::Viewer;
use crate::core::store::Store;
use crate::keys::view::{KeysView, holder_options};
use crate::platform::random::random_bytes;
use leptos::prelude::With;
use shiftbook_model::attribution::Attribution;
use shiftbook_model::key_register::{self, Holder, Key, NewKey};
use shiftbook_model::{DocumentId, Lang, ModelError};

impl Store {
    /// The site's key register id.
    pub fn key_register_id(&self) -> DocumentId {
        self.id(key_register::document_id)
    }

    /// Open the site's key register, creating its deterministic genesis
    /// offline if this device has not got it (every device makes the same
    /// one, so the copies merge).
    pub fn open_key_register(&self) -> Result<DocumentId, AppError> {
        let id = self.key_register_id();
        self.ensure_site_document(&id, key_register::genesis)?;
        self.pump();
        Ok(id)
    }

    /// Ask the server for the register if this device does not hold it,
    /// without writing anything (the agenda's alert count).
    pub fn want_key_register(&self) {
        let id = self.key_register_id();
        self.want_missing([id]);
    }

    /// Who is looking, for the views' "what may I do".
    pub fn viewer(&self) -> Option<Viewer> {
        self.signals.person.with(|p| {
            p.as_ref().map(|p| Viewer {
                person_id: p.id.clone(),
                role: p.role,
            })
        })
    }

    /// How many of the register's keys need attention now (the
    /// navigation's badge), without building the screen.
    pub fn key_alert_count(&self) -> usize {
        let id = self.key_register_id();
        let wait = self.take_over_minutes() * 60_000;
        self.read_kept(&id, "keys", crate::keys::view::read_keys)
            .and_then(|keys| match keys.as_ref() {
                Ok(keys) => Some(
                    key_register::alerts_of(keys, crate::platform::clock::now_ms(), wait).len(),
                ),
                Err(_) => None,
            })
            .unwrap_or(0)
    }

    /// The register as the signed-in person sees it now.
    pub fn keys_view(&self, lang: Lang) -> Result<KeysView, AppError> {
        let id = self.key_register_id();
        let viewer = self.viewer();
        let flats = self.flats();
        let now = crate::platform::clock::now_ms();
        let wait = self.take_over_minutes() * 60_000;
        let time = |ms: i64| crate::platform::clock::date_time(ms);
        // Kept until the register changes: a year of hand-overs takes
        // ≈ 0.4 s to read natively, and the navigation's badge and this
        // screen ask every 15 s and on every change to any document.
        let keys = self.read_kept(&id, "keys", crate::keys::view::read_keys);
        let keys: &[Key] = match keys.as_deref() {
            None => &[],
            Some(Ok(keys)) => keys,
            // The kept refusal is shared: read once more for one to own.
            Some(Err(_)) => {
                let refusal = self.read(&id, crate::keys::view::read_keys);
                return Err(match refusal {
                    Some(Err(e)) => self.refused(e),
                    _ => AppProblem::NotOpen.into(),
                });
            }
        };
        Ok(KeysView::build(
            keys,
            viewer.as_ref(),
            &flats,
            lang,
            (now, wait),
            &time,
        ))
    }

    /// Who may hold keys: the roster's active people and the posts.
    pub fn key_holders(&self) -> Vec<Holder> {
        holder_options(&self.roster_members().unwrap_or_default())
    }

    /// Change the register as the signed-in person.
    fn edit_keys(
        &self,
        f: impl FnOnce(
            &mut automerge::Automerge,
            &Attribution,
        ) -> Result<automerge::ChangeHash, ModelError>,
    ) -> Result<(), AppError> {
        let id = self.open_key_register()?;
        self.edit(&id, f)
    }

    /// Put a new key on the register (leaders and supervisors) with a
    /// fresh id; `lock` is an existing lock's id, or `None` for a new lock.
    pub fn register_key(
        &self,
        label: &str,
        flat: Option<String>,
        lock: Option<String>,
        holder: Holder,
    ) -> Result<(), AppError> {
        let key = NewKey {
            id: crate::core::ids::new_id("key", random_bytes::<4>()),
            label: label.to_owned(),
            flat,
            lock: lock.unwrap_or_else(|| crate::core::ids::new_id("lock", random_bytes::<4>())),
            holder,
        };
        self.edit_keys(|doc, by| key_register::register(doc, &key, by))
    }

    /// The giver's side of handing `key` from `from` to `to`, under a new
    /// hand-over id; the receiver confirms later, on any device.
    pub fn hand_over_key(&self, key: &str, from: &Holder, to: &Holder) -> Result<(), AppError> {
        let hand_over = crate::core::ids::new_id("h", random_bytes::<4>());
        self.edit_keys(|doc, by| key_register::hand_over(doc, key, &hand_over, from, to, by))
    }

    /// Hand `key` over with both parties at this tablet: the giver is the
    /// person signed in, the receiver (or, for a post, someone at it)
    /// confirmed with their own PIN (`receiver`, used for this one
    /// change). Both events are one change, so the key is never shown
    /// "awaiting confirmation" in between.
    pub fn hand_over_key_in_person(
        &self,
        key: &str,
        from: &Holder,
        to: &Holder,
        receiver: CoSigned,
    ) -> Result<(), AppError> {
        let hand_over = crate::core::ids::new_id("h", random_bytes::<4>());
        let now = crate::platform::clock::now_ms();
        let receiver = receiver.into_attribution(now);
        self.edit_keys(|doc, giver| {
            key_register::hand_over_confirmed(doc, key, &hand_over, from, to, giver, &receiver)
        })
    }

    /// The receiver, signed in on this device, confirms the hand-over
    /// `hand_over` of `key` written earlier (on any device).
    pub fn confirm_key(&self, key: &str, hand_over: &str) -> Result<(), AppError> {
        let receiver = self.signed_in(crate::platform::clock::now_ms())?;
        let id = self.open_key_register()?;
        let result = self.with(|inner| {
            inner.client.change(&id, |doc| {
                key_register::confirm(doc, key, hand_over, &receiver).map(|_| ())
            })
        });
        self.after_change(&id, result)
    }

    /// Report `key` lost (escalated until a lock change or `found`).
    pub fn report_key_lost(&self, key: &str, text: &str) -> Result<(), AppError> {
        self.edit_keys(|doc, by| key_register::report_lost(doc, key, text, by))
    }

    /// A leader records a lost or disputed `key` found, with `holder`.
    pub fn key_found(&self, key: &str, holder: &Holder, text: &str) -> Result<(), AppError> {
        self.edit_keys(|doc, by| key_register::found(doc, key, holder, text, by))
    }

    /// A leader records `lock` changed: its keys are withdrawn.
    pub fn change_key_lock(&self, lock: &str, text: &str) -> Result<(), AppError> {
        self.edit_keys(|doc, by| key_register::change_lock(doc, lock, text, by))
    }

    /// A leader withdraws a damaged `key`.
    pub fn withdraw_key(&self, key: &str, reason: &str) -> Result<(), AppError> {
        self.edit_keys(|doc, by| key_register::withdraw(doc, key, reason, by))
    }

    /// A note on `key`.
    pub fn key_note(&self, key: &str, text: &str) -> Result<(), AppError> {
        self.edit_keys(|doc, by| key_register::note(doc, key, text, by))
    }
}
