//! The show-flat key register (《样板房钥匙持用人登记表》, seed 001 §11 and
//! 篇4): who holds each key of the site's show flats, every hand-over
//! confirmed by both parties, lost keys escalated until the lock is
//! changed, damaged keys withdrawn.
//!
//! ```text
//! register: one per site, purpose `keys`
//! ROOT
//! ├── schema  "shiftbook/keys/1"
//! ├── site                                  ← written once, by genesis
//! └── events  [ KeyEvent, … ]               append-only, one fresh map each
//!               {kind, key, lock, label, flat?, holder?, from?, hand_over,
//!                keys [key id, …], after [event id, …], text,
//!                by {person_id, person, role, device, at_ms}}
//! ```
//!
//! # Rules
//!
//! * **One register per site**, with a deterministic genesis
//!   ([`crate::genesis::build`], id [`document_id`]): every tablet creates
//!   the same document offline. Keys are few and their events small, so a
//!   site's whole key history stays in one document, which every tablet
//!   needs whole anyway (who holds what right now).
//! * **Events, never edits.** Everything recorded is a fresh map appended
//!   to `events` in one attributed change (summary `key <kind> <key id>`,
//!   or `key lock_changed <lock id>`): [`register`], [`hand_over`],
//!   [`confirm`] (or [`hand_over_confirmed`], both in one change),
//!   [`report_lost`], [`found`], [`change_lock`], [`withdraw`], [`note`].
//!   No object is created under a fixed key after genesis and nothing is
//!   overwritten, so a merge loses nothing: every event is in
//!   [`Key::history`].
//! * **A key's state comes from its heads, not from list order.** Each
//!   event that changes a key's state stores in `after` the ids of the
//!   key's *head* events its writer saw (an event's id is the automerge id
//!   of its map, the same on every replica). The heads are the key's state
//!   events that no other event lists in its `after`. One writer's events
//!   form a chain with one head; events written concurrently (two tablets
//!   that both believed they held the key) leave several heads. Walking
//!   the list in order, as follow-ups do, could not tell "B handed it on
//!   after A" from "A and B both handed it on, neither seeing the other",
//!   and would silently pick one; the heads can tell.
//! * **Concurrent heads are never resolved silently.** From the heads, in
//!   this order:
//!   1. a `lock_changed` head → [`KeyState::Withdrawn`]: the old lock is
//!      gone, so a loss reported concurrently no longer matters (its
//!      escalation is cleared; the report stays in the history);
//!   2. else a `lost` head → [`KeyState::Lost`] (escalated): a loss is
//!      never hidden by a concurrent hand-over, confirmation or withdrawal,
//!      which stay in the history;
//!   3. else a `withdrawn` head → [`KeyState::Withdrawn`];
//!   4. else every head claims a holder ([`Claim`]): one claim (or several
//!      that agree — same holder, or the same hand-over) →
//!      [`KeyState::InUse`]; claims that differ → [`KeyState::Disputed`],
//!      listing each, until an event written after seeing them settles it:
//!      a hand-over by one of the claimed holders, a confirmation, a loss,
//!      a withdrawal, a lock change or a leader's [`found`].
//! * **Hand-overs need both parties.** [`hand_over`] is the giver's side,
//!   written by the holder (a person), by anyone at a holding post, or by a
//!   leader or supervisor on the holder's behalf (seed 001 §11.5: transfers
//!   are registered with 主管或领班). The key shows handed to the receiver,
//!   awaiting confirmation, until the receiver [`confirm`]s: a person
//!   receiver confirms as themselves; a post (e.g. the security post 005岗
//!   at closing, §6.2.11.4) is confirmed by someone there — any person
//!   other than the giver and the writer of the hand-over. At one tablet
//!   with both present, [`hand_over_confirmed`] writes both events in one
//!   change; the confirmation carries the receiver's attribution (their
//!   signature).
//! * **Lost keys stand out** ([`KeyRegister::alerts`]) until a lock change
//!   withdraws every key of the lock, or a leader or supervisor records the
//!   key [`found`] (deciding that no lock change is needed is theirs).
//!   Anyone may report a loss. A lost key cannot be handed over, confirmed
//!   or withdrawn as damaged.
//! * **Lock changes** ([`change_lock`], leader or supervisor) list the keys
//!   of that lock the writer's replica knows and withdraws them, lost ones
//!   included; a key of the lock registered concurrently (not seen) is not
//!   withdrawn. New keys for the new lock are then registered with new ids.
//! * **Withdrawn is final**: only notes may follow. Key ids and hand-over
//!   ids are never reused; the register has no "copy" operation (keys are
//!   never copied, 篇4 §5).
//! * Registering, lock changes, withdrawals and `found` need a leader or
//!   supervisor. Every refusal ([`Refusal`], or a malformed document)
//!   leaves the document unchanged.
//! * Concurrent registrations of one key id are both kept: label, flat and
//!   lock come from the first in list order, and their holders are claims
//!   like any others (disputed when they differ).

use crate::ModelError;
use crate::attribution::Attribution;
/// Who wrote an event: the one struct every event family stores.
pub use crate::attribution::Who;
use crate::event_board;
use crate::free_text::clip;
use crate::genesis::{Container, Root};
use crate::roster::Role;
use automerge::{Automerge, ChangeHash, ObjType, ROOT, ReadDoc, Value};
use autosurgeon::{Hydrate, Reconcile, hydrate_prop};
use std::collections::BTreeSet;

#[cfg(test)]
mod tests;

/// The schema tag of a site's key register.
pub const SCHEMA: &str = "shiftbook/keys/1";

/// The purpose that derives a site's key register id.
pub const PURPOSE: &str = "keys";

/// The longest key label, in characters.
pub const MAX_LABEL_CHARS: usize = 100;

/// The longest holder id or name, in characters.
pub const MAX_HOLDER_CHARS: usize = 64;

/// The longest note, reason or circumstance text, in characters.
pub const MAX_TEXT_CHARS: usize = 2_000;

/// Whether a holder is a person or a post.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum HolderKind {
    /// A person on the roster (by roster id).
    Person,
    /// A post, e.g. the security post 安管部005岗.
    Post,
}

crate::string_enum::string_enum!(HolderKind, "person or post", {
    Person => "person",
    Post => "post",
});

/// Who holds a key: a person or a post.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Reconcile, Hydrate)]
pub struct Holder {
    /// Person or post.
    pub kind: HolderKind,
    /// The person's roster id, or the post's id.
    pub id: String,
    /// The name as shown (张三, 安管部005岗).
    pub name: String,
}

impl Holder {
    /// A person holder.
    pub fn person(id: &str, name: &str) -> Self {
        Self {
            kind: HolderKind::Person,
            id: id.to_owned(),
            name: name.to_owned(),
        }
    }

    /// A post holder.
    pub fn post(id: &str, name: &str) -> Self {
        Self {
            kind: HolderKind::Post,
            id: id.to_owned(),
            name: name.to_owned(),
        }
    }

    /// Whether `other` is the same holder (kind and id; names may differ).
    pub fn same(&self, other: &Holder) -> bool {
        self.kind == other.kind && self.id == other.id
    }

    /// Whether this holder is the person with roster id `person_id`.
    fn is_person(&self, person_id: &str) -> bool {
        self.kind == HolderKind::Person && self.id == person_id
    }

    /// The holder as stored: id without surrounding blanks (ids are
    /// compared exactly, so blanks are refused, not trimmed), name trimmed,
    /// both 1 to [`MAX_HOLDER_CHARS`] characters.
    fn checked(&self) -> Result<Holder, ModelError> {
        let name = self.name.trim();
        let id_ok = !self.id.is_empty()
            && self.id.trim() == self.id
            && self.id.chars().count() <= MAX_HOLDER_CHARS;
        if !id_ok {
            return Err(Refusal::BadHolder(
                "an id of 1 to 64 characters without surrounding blanks",
            )
            .into());
        }
        if name.is_empty() || name.chars().count() > MAX_HOLDER_CHARS {
            return Err(Refusal::BadHolder("a name of 1 to 64 characters").into());
        }
        Ok(Holder {
            kind: self.kind,
            id: self.id.clone(),
            name: name.to_owned(),
        })
    }
}

/// What an event records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EventKind {
    /// A key put on the register with its first holder.
    Registered,
    /// The giver's side of a hand-over: from the holder to a receiver.
    HandedOver,
    /// The receiver confirms a hand-over.
    Confirmed,
    /// The key was reported lost (escalated).
    Lost,
    /// A leader or supervisor records who has a lost or disputed key.
    Found,
    /// The lock was changed: every key of it listed is withdrawn.
    LockChanged,
    /// The key was withdrawn (damaged).
    Withdrawn,
    /// A note; changes nothing.
    Note,
}

crate::string_enum::string_enum!(EventKind, "a key event kind", {
    Registered => "registered",
    HandedOver => "handed_over",
    Confirmed => "confirmed",
    Lost => "lost",
    Found => "found",
    LockChanged => "lock_changed",
    Withdrawn => "withdrawn",
    Note => "note",
});

/// Why a key register change was refused (inside
/// [`ModelError::KeyRegister`]). Nothing is written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// An id that is not 1–64 letters, digits, `-` or `_`.
    #[error("the {what} {id:?} is not 1–64 letters, digits, - or _")]
    BadId {
        /// Which id: key, lock, flat or hand-over.
        what: &'static str,
        /// The id given (at most 32 characters of it).
        id: String,
    },
    /// A label that is blank or too long.
    #[error("a key needs a label of 1 to {MAX_LABEL_CHARS} characters")]
    BadLabel,
    /// A holder that cannot be stored.
    #[error("a holder needs {0}")]
    BadHolder(&'static str),
    /// A text that is required and blank, or too long.
    #[error("{0} needs a text of 1 to {MAX_TEXT_CHARS} characters")]
    BadText(&'static str),
    /// An optional text that is too long.
    #[error("a text takes up to {MAX_TEXT_CHARS} characters")]
    TextTooLong,
    /// The person's role may not record this.
    #[error("a {role} may not record key {kind}", role = role.as_str(), kind = kind.as_str())]
    RoleNotAllowed {
        /// The role acted in.
        role: Role,
        /// What was refused.
        kind: EventKind,
    },
    /// No key with this id is registered.
    #[error("no key `{0}` on the register")]
    UnknownKey(String),
    /// The key id is already on the register (ids are never reused).
    #[error("key `{0}` is already on the register")]
    AlreadyRegistered(String),
    /// No registered key has this lock.
    #[error("no key of lock `{0}` on the register")]
    UnknownLock(String),
    /// The giver named is not (one of) the key's current holder(s).
    #[error("{0} does not hold key `{1}`")]
    NotHolder(String, String),
    /// The writer is not the giver and may not hand over on their behalf.
    #[error(
        "only the holder, someone at the holding post, a leader or a supervisor may hand key `{0}` over"
    )]
    NotGiver(String),
    /// A hand-over to the holder giving it.
    #[error("a key cannot be handed over to its own holder")]
    SameHolder,
    /// The hand-over id is already used in this register.
    #[error("hand-over `{0}` already exists")]
    DuplicateHandOver(String),
    /// No such hand-over of this key.
    #[error("no hand-over `{0}` of this key")]
    UnknownHandOver(String),
    /// The hand-over is not awaiting confirmation (already confirmed, or
    /// superseded by a later event).
    #[error("hand-over `{0}` is not awaiting confirmation")]
    NotAwaiting(String),
    /// The confirming person is not the receiver (or, for a post, is the
    /// giver or whoever wrote the hand-over).
    #[error("{0} cannot confirm receipt for {1}")]
    NotReceiver(String, String),
    /// The key is lost: deal with it by a lock change or `found` first.
    #[error("key `{0}` is reported lost")]
    KeyLost(String),
    /// The key is withdrawn: only notes may follow.
    #[error("key `{0}` is withdrawn")]
    KeyWithdrawn(String),
    /// `found` on a key that is neither lost nor disputed.
    #[error("key `{0}` is neither lost nor disputed")]
    NotLostOrDisputed(String),
}

/// One event as stored in the register's `events`.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate)]
pub struct KeyEvent {
    /// What it records.
    pub kind: EventKind,
    /// The key; empty on `lock_changed` (see `keys`).
    pub key: String,
    /// The lock: on `registered` and `lock_changed`.
    pub lock: String,
    /// The key's label: on `registered`.
    pub label: String,
    /// The show flat the key opens, if given: on `registered`.
    pub flat: Option<String>,
    /// The holder: first holder (`registered`), receiver (`handed_over`,
    /// `confirmed`), who has it (`found`), last holder known (`lost`, when
    /// one).
    pub holder: Option<Holder>,
    /// The giver: on `handed_over`.
    pub from: Option<Holder>,
    /// The hand-over id: on `handed_over` and `confirmed`.
    pub hand_over: String,
    /// The keys withdrawn: on `lock_changed`.
    pub keys: Vec<String>,
    /// Ids of the events this one follows (the key's heads its writer
    /// saw); empty on notes.
    pub after: Vec<String>,
    /// Note, circumstances (`lost`), reason (`withdrawn`), what was done
    /// (`lock_changed`, `found`); may be empty except on notes and
    /// withdrawals.
    pub text: String,
    /// Who wrote it and when.
    pub by: Who,
}

impl KeyEvent {
    fn new(kind: EventKind, key: &str, by: &Attribution) -> Self {
        Self {
            kind,
            key: key.to_owned(),
            lock: String::new(),
            label: String::new(),
            flat: None,
            holder: None,
            from: None,
            hand_over: String::new(),
            keys: Vec::new(),
            after: Vec::new(),
            text: String::new(),
            by: Who::from(by),
        }
    }

    /// Whether the event changes the state of `key`.
    fn touches(&self, key: &str) -> bool {
        match self.kind {
            EventKind::Note => false,
            EventKind::LockChanged => self.keys.iter().any(|k| k == key),
            _ => self.key == key,
        }
    }

    /// Whether the event belongs in the history of `key`.
    fn concerns(&self, key: &str) -> bool {
        self.key == key || self.touches(key)
    }
}

/// An event with its id (the automerge id of its map, the same on every
/// replica).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The event's id, as other events' `after` name it.
    pub id: String,
    /// The event.
    pub event: KeyEvent,
}

/// What one head event says about where a key is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// Held by `holder` (registered, confirmed or found).
    Held {
        /// Who holds it.
        holder: Holder,
        /// The event that says so.
        entry: Box<Entry>,
    },
    /// Handed from `from` to `to`, awaiting `to`'s confirmation.
    Awaiting {
        /// The giver.
        from: Holder,
        /// The receiver, who now has the key.
        to: Holder,
        /// The hand-over id to confirm.
        hand_over: String,
        /// The `handed_over` event.
        entry: Box<Entry>,
    },
}

impl Claim {
    /// The holder claimed: the holder, or the receiver of a hand-over.
    pub fn holder(&self) -> &Holder {
        match self {
            Claim::Held { holder, .. } => holder,
            Claim::Awaiting { to, .. } => to,
        }
    }

    /// The head event making the claim.
    pub fn entry(&self) -> &Entry {
        match self {
            Claim::Held { entry, .. } | Claim::Awaiting { entry, .. } => entry,
        }
    }

    /// Whether two claims say the same (same holder, or same hand-over).
    fn agrees(&self, other: &Claim) -> bool {
        match (self, other) {
            (Claim::Held { holder: a, .. }, Claim::Held { holder: b, .. }) => a.same(b),
            (
                Claim::Awaiting {
                    hand_over: a,
                    to: ta,
                    ..
                },
                Claim::Awaiting {
                    hand_over: b,
                    to: tb,
                    ..
                },
            ) => a == b && ta.same(tb),
            _ => false,
        }
    }
}

/// Where a key is, from its head events (see the module rules).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyState {
    /// In use: held by one holder, or handed to one awaiting confirmation.
    InUse(Claim),
    /// Concurrent events claim different holders; listed in list order.
    Disputed(Vec<Claim>),
    /// Reported lost and escalated until a lock change or `found`.
    Lost {
        /// The `lost` reports among the heads, in list order.
        reports: Vec<Entry>,
    },
    /// Withdrawn (damaged, or its lock changed).
    Withdrawn {
        /// The `withdrawn` / `lock_changed` events among the heads.
        by: Vec<Entry>,
    },
}

/// One key as the register shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    /// The key id.
    pub id: String,
    /// The label (from the first registration in list order).
    pub label: String,
    /// The show flat it opens, if given.
    pub flat: Option<String>,
    /// The lock it opens (keys of one lock share it).
    pub lock: String,
    /// Where it is.
    pub state: KeyState,
    /// Every event of the key (notes and lock changes included), in list
    /// order.
    pub history: Vec<Entry>,
}

impl Key {
    /// The current holder(s): the holder or receiver of each claim; none
    /// when lost or withdrawn. A giver awaiting confirmation is not listed.
    pub fn holders(&self) -> Vec<&Holder> {
        match &self.state {
            KeyState::InUse(claim) => vec![claim.holder()],
            KeyState::Disputed(claims) => claims.iter().map(Claim::holder).collect(),
            KeyState::Lost { .. } | KeyState::Withdrawn { .. } => Vec::new(),
        }
    }

    /// The claims a hand-over may start from (in use or disputed).
    fn claims(&self) -> &[Claim] {
        match &self.state {
            KeyState::InUse(claim) => std::slice::from_ref(claim),
            KeyState::Disputed(claims) => claims,
            KeyState::Lost { .. } | KeyState::Withdrawn { .. } => &[],
        }
    }
}

/// Something leaders and supervisors must see until it is dealt with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Alert {
    /// A key reported lost, not yet dealt with by a lock change or `found`.
    Lost {
        /// The key id.
        key: String,
        /// Its label.
        label: String,
        /// The reports.
        reports: Vec<Entry>,
    },
    /// Concurrent events claim different holders.
    Disputed {
        /// The key id.
        key: String,
        /// Its label.
        label: String,
        /// The claims.
        claims: Vec<Claim>,
    },
    /// A hand-over unconfirmed for longer than allowed.
    Unconfirmed {
        /// The key id.
        key: String,
        /// Its label.
        label: String,
        /// The awaiting claim.
        claim: Claim,
        /// How long it has waited at `now_ms`, by the giver's device time.
        waiting_ms: i64,
    },
}

/// The site's key register id: `derive(site_key, "keys")`.
pub fn document_id(site_key: &impl crate::ids::Derive) -> crate::DocumentId {
    site_key.derive(PURPOSE)
}

/// Build the register's first change, identical on every device.
pub fn genesis(site: &str) -> Result<Automerge, ModelError> {
    crate::genesis::build(&Root {
        schema: SCHEMA,
        identity: &[("site", site)],
        containers: &[("events", Container::List)],
    })
}

fn check_id(what: &'static str, id: &str) -> Result<(), ModelError> {
    if crate::ids::is_key(id) {
        Ok(())
    } else {
        Err(Refusal::BadId { what, id: clip(id) }.into())
    }
}

/// A required text, trimmed, 1 to [`MAX_TEXT_CHARS`] characters.
fn required_text(what: &'static str, text: &str) -> Result<String, ModelError> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > MAX_TEXT_CHARS {
        return Err(Refusal::BadText(what).into());
    }
    Ok(text.to_owned())
}

/// An optional text, trimmed, up to [`MAX_TEXT_CHARS`] characters.
fn optional_text(text: &str) -> Result<String, ModelError> {
    let text = text.trim();
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(Refusal::TextTooLong.into());
    }
    Ok(text.to_owned())
}

fn leader_or_supervisor(by: &Attribution, kind: EventKind) -> Result<(), ModelError> {
    if matches!(by.role, Role::Leader | Role::Supervisor) {
        Ok(())
    } else {
        Err(Refusal::RoleNotAllowed {
            role: by.role,
            kind,
        }
        .into())
    }
}

/// A read-only view of a site's key register.
#[derive(Debug, Clone, Copy)]
pub struct KeyRegister<'a> {
    doc: &'a Automerge,
}

impl<'a> KeyRegister<'a> {
    /// View `doc` after checking it is a key register.
    pub fn new(doc: &'a Automerge) -> Result<Self, ModelError> {
        event_board::list(doc, SCHEMA)?;
        Ok(Self { doc })
    }

    /// The underlying document.
    pub fn doc(&self) -> &'a Automerge {
        self.doc
    }

    /// The site the register belongs to.
    pub fn site(&self) -> Result<String, ModelError> {
        Ok(hydrate_prop(self.doc, ROOT, "site")?)
    }

    /// Every event with its id, in list order (the same on every replica).
    pub fn entries(&self) -> Result<Vec<Entry>, ModelError> {
        let list = event_board::list(self.doc, SCHEMA)?;
        Ok(crate::readable::maps(self.doc, &list)?
            .into_iter()
            .map(|(id, event)| Entry { id, event })
            .collect())
    }

    /// Every registered key, in the list order of their first registration.
    pub fn keys(&self) -> Result<Vec<Key>, ModelError> {
        let entries = self.entries()?;
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for e in &entries {
            if e.event.kind == EventKind::Registered && seen.insert(e.event.key.clone()) {
                out.extend(build(&e.event.key, &entries));
            }
        }
        Ok(out)
    }

    /// The key `id`; `None` when it is not registered.
    pub fn key(&self, id: &str) -> Result<Option<Key>, ModelError> {
        Ok(build(id, &self.entries()?))
    }

    /// The keys whose current holders include `holder` (by kind and id),
    /// disputed ones included.
    pub fn held_by(&self, holder: &Holder) -> Result<Vec<Key>, ModelError> {
        Ok(self
            .keys()?
            .into_iter()
            .filter(|k| k.holders().iter().any(|h| h.same(holder)))
            .collect())
    }

    /// What needs attention at `now_ms`: lost keys, then disputed keys,
    /// then hand-overs unconfirmed for longer than `unconfirmed_after_ms`
    /// (by the giver's device time), each in key order.
    pub fn alerts(&self, now_ms: i64, unconfirmed_after_ms: i64) -> Result<Vec<Alert>, ModelError> {
        Ok(alerts_of(&self.keys()?, now_ms, unconfirmed_after_ms))
    }
}

/// [`KeyRegister::alerts`] of keys already read (reading a register that
/// holds a year of hand-overs takes a while; the alerts change with the
/// clock).
pub fn alerts_of(keys: &[Key], now_ms: i64, unconfirmed_after_ms: i64) -> Vec<Alert> {
    let (mut lost, mut disputed, mut unconfirmed) = (Vec::new(), Vec::new(), Vec::new());
    for key in keys {
        let (id, label) = (key.id.clone(), key.label.clone());
        match &key.state {
            KeyState::Lost { reports } => lost.push(Alert::Lost {
                key: id,
                label,
                reports: reports.clone(),
            }),
            KeyState::Disputed(claims) => disputed.push(Alert::Disputed {
                key: id,
                label,
                claims: claims.clone(),
            }),
            KeyState::InUse(claim @ Claim::Awaiting { .. }) => {
                let waiting_ms = now_ms.saturating_sub(claim.entry().event.by.at_ms);
                if waiting_ms > unconfirmed_after_ms {
                    unconfirmed.push(Alert::Unconfirmed {
                        key: id,
                        label,
                        claim: claim.clone(),
                        waiting_ms,
                    });
                }
            }
            KeyState::InUse(Claim::Held { .. }) | KeyState::Withdrawn { .. } => {}
        }
    }
    lost.append(&mut disputed);
    lost.append(&mut unconfirmed);
    lost
}

/// The claim a non-terminal head makes.
fn claim_of(entry: &Entry) -> Option<Claim> {
    let e = &entry.event;
    match e.kind {
        EventKind::Registered | EventKind::Confirmed | EventKind::Found => {
            e.holder.clone().map(|holder| Claim::Held {
                holder,
                entry: Box::new(entry.clone()),
            })
        }
        EventKind::HandedOver => match (&e.from, &e.holder) {
            (Some(from), Some(to)) => Some(Claim::Awaiting {
                from: from.clone(),
                to: to.clone(),
                hand_over: e.hand_over.clone(),
                entry: Box::new(entry.clone()),
            }),
            _ => None,
        },
        EventKind::Lost | EventKind::LockChanged | EventKind::Withdrawn | EventKind::Note => None,
    }
}

/// The head events of `key`: its state events no event lists in `after`,
/// in list order.
fn heads<'e>(key: &str, entries: &'e [Entry]) -> Vec<&'e Entry> {
    let superseded: BTreeSet<&str> = entries
        .iter()
        .flat_map(|e| e.event.after.iter().map(String::as_str))
        .collect();
    entries
        .iter()
        .filter(|e| e.event.touches(key) && !superseded.contains(e.id.as_str()))
        .collect()
}

/// The state `key`'s heads give (see the module rules).
fn state_of(heads: &[&Entry]) -> Option<KeyState> {
    let of_kind = |kind: EventKind| -> Vec<Entry> {
        heads
            .iter()
            .filter(|e| e.event.kind == kind)
            .map(|e| (*e).clone())
            .collect()
    };
    let lock_changes = of_kind(EventKind::LockChanged);
    if !lock_changes.is_empty() {
        return Some(KeyState::Withdrawn { by: lock_changes });
    }
    let reports = of_kind(EventKind::Lost);
    if !reports.is_empty() {
        return Some(KeyState::Lost { reports });
    }
    let withdrawals = of_kind(EventKind::Withdrawn);
    if !withdrawals.is_empty() {
        return Some(KeyState::Withdrawn { by: withdrawals });
    }
    let mut claims: Vec<Claim> = Vec::new();
    for claim in heads.iter().filter_map(|e| claim_of(e)) {
        if !claims.iter().any(|c| c.agrees(&claim)) {
            claims.push(claim);
        }
    }
    match claims.len() {
        0 => None,
        1 => claims.pop().map(KeyState::InUse),
        _ => Some(KeyState::Disputed(claims)),
    }
}

/// Build the view of `key`; `None` when it has no registration.
fn build(key: &str, entries: &[Entry]) -> Option<Key> {
    let first = entries
        .iter()
        .find(|e| e.event.kind == EventKind::Registered && e.event.key == key)?;
    let heads = heads(key, entries);
    let state = state_of(&heads)?;
    Some(Key {
        id: key.to_owned(),
        label: first.event.label.clone(),
        flat: first.event.flat.clone(),
        lock: first.event.lock.clone(),
        state,
        history: entries
            .iter()
            .filter(|e| e.event.concerns(key))
            .cloned()
            .collect(),
    })
}

/// The ids of `key`'s heads.
fn head_ids(key: &str, entries: &[Entry]) -> Vec<String> {
    heads(key, entries).iter().map(|e| e.id.clone()).collect()
}

/// What [`register`] puts on the register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewKey {
    /// The key id (1–64 letters, digits, `-` or `_`), never reused.
    pub id: String,
    /// The label, e.g. "A户型 入户门 #1".
    pub label: String,
    /// The show flat it opens, if any (an id like the key's).
    pub flat: Option<String>,
    /// The lock it opens; keys of one lock share it.
    pub lock: String,
    /// Its first holder.
    pub holder: Holder,
}

/// Append `events` as one change by `by`. With `chain`, each event after
/// the first follows the one before it (its `after` is the previous
/// event's id, known only once appended).
fn write(
    doc: &mut Automerge,
    mut events: Vec<KeyEvent>,
    chain: bool,
    summary: &str,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    let list = event_board::list(doc, SCHEMA)?;
    if events.is_empty() {
        return Err(ModelError::EmptyChange);
    }
    let options = by.commit_options(summary);
    let result = doc.transact_with(
        |_| options,
        |tx| -> Result<(), ModelError> {
            let mut previous: Option<String> = None;
            for event in &mut events {
                if chain && let Some(id) = previous.take() {
                    event.after = vec![id];
                }
                let index = tx.length(&list);
                crate::write::append(tx, &list, event)?;
                match tx.get(&list, index)? {
                    Some((Value::Object(ObjType::Map), id)) => previous = Some(id.to_string()),
                    _ => return Err(ModelError::Corrupt("events".to_owned())),
                }
            }
            Ok(())
        },
    );
    crate::write::commit(result)
}

/// Append `event` as one change by `by`, summarised `key <kind> <key>`
/// (`<lock>` for a lock change).
fn write_one(
    doc: &mut Automerge,
    event: KeyEvent,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    let subject = if event.kind == EventKind::LockChanged {
        &event.lock
    } else {
        &event.key
    };
    let summary = format!("key {} {subject}", event.kind.as_str());
    write(doc, vec![event], false, &summary, by)
}

/// The key `id` as this replica shows it, and every entry.
fn existing(doc: &Automerge, id: &str) -> Result<(Key, Vec<Entry>), ModelError> {
    check_id("key id", id)?;
    let entries = KeyRegister::new(doc)?.entries()?;
    match build(id, &entries) {
        Some(key) => Ok((key, entries)),
        None => Err(Refusal::UnknownKey(id.to_owned()).into()),
    }
}

/// Refuse a lost or withdrawn key.
fn in_use(key: &Key) -> Result<(), ModelError> {
    match key.state {
        KeyState::Lost { .. } => Err(Refusal::KeyLost(key.id.clone()).into()),
        KeyState::Withdrawn { .. } => Err(Refusal::KeyWithdrawn(key.id.clone()).into()),
        KeyState::InUse(_) | KeyState::Disputed(_) => Ok(()),
    }
}

/// Put a key on the register with its first holder. Leader or supervisor
/// only; the key id must be new (never reused, even for a withdrawn key).
pub fn register(
    doc: &mut Automerge,
    key: &NewKey,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    check_id("key id", &key.id)?;
    check_id("lock id", &key.lock)?;
    if let Some(flat) = &key.flat {
        check_id("flat id", flat)?;
    }
    let label = key.label.trim();
    if label.is_empty() || label.chars().count() > MAX_LABEL_CHARS {
        return Err(Refusal::BadLabel.into());
    }
    let holder = key.holder.checked()?;
    leader_or_supervisor(by, EventKind::Registered)?;
    let entries = KeyRegister::new(doc)?.entries()?;
    if entries
        .iter()
        .any(|e| e.event.kind == EventKind::Registered && e.event.key == key.id)
    {
        return Err(Refusal::AlreadyRegistered(key.id.clone()).into());
    }
    let mut event = KeyEvent::new(EventKind::Registered, &key.id, by);
    event.lock.clone_from(&key.lock);
    event.label = label.to_owned();
    event.flat.clone_from(&key.flat);
    event.holder = Some(holder);
    write_one(doc, event, by)
}

/// The `handed_over` event after every check of [`hand_over`].
fn hand_over_event(
    doc: &Automerge,
    key: &str,
    hand_over_id: &str,
    from: &Holder,
    to: &Holder,
    by: &Attribution,
) -> Result<KeyEvent, ModelError> {
    check_id("hand-over id", hand_over_id)?;
    let (from, to) = (from.checked()?, to.checked()?);
    if from.same(&to) {
        return Err(Refusal::SameHolder.into());
    }
    let (current, entries) = existing(doc, key)?;
    in_use(&current)?;
    if !current.claims().iter().any(|c| c.holder().same(&from)) {
        return Err(Refusal::NotHolder(from.name.clone(), key.to_owned()).into());
    }
    let on_behalf = matches!(by.role, Role::Leader | Role::Supervisor);
    if !(from.kind == HolderKind::Post || from.is_person(&by.person_id) || on_behalf) {
        return Err(Refusal::NotGiver(key.to_owned()).into());
    }
    if entries
        .iter()
        .any(|e| e.event.kind == EventKind::HandedOver && e.event.hand_over == hand_over_id)
    {
        return Err(Refusal::DuplicateHandOver(hand_over_id.to_owned()).into());
    }
    let mut event = KeyEvent::new(EventKind::HandedOver, key, by);
    event.from = Some(from);
    event.holder = Some(to);
    event.hand_over = hand_over_id.to_owned();
    event.after = head_ids(key, &entries);
    Ok(event)
}

/// Check `receiver` may confirm receipt of a hand-over `to`, given by
/// `from` and written by `writer`.
fn check_receiver(
    receiver: &Attribution,
    from: &Holder,
    to: &Holder,
    writer: &str,
) -> Result<(), ModelError> {
    let ok = match to.kind {
        HolderKind::Person => to.id == receiver.person_id,
        HolderKind::Post => !from.is_person(&receiver.person_id) && writer != receiver.person_id,
    };
    if ok {
        Ok(())
    } else {
        Err(Refusal::NotReceiver(receiver.person.clone(), to.name.clone()).into())
    }
}

/// The `confirmed` event for a hand-over to `to`.
fn confirm_event(key: &str, hand_over_id: &str, to: &Holder, receiver: &Attribution) -> KeyEvent {
    let mut event = KeyEvent::new(EventKind::Confirmed, key, receiver);
    event.holder = Some(to.clone());
    event.hand_over = hand_over_id.to_owned();
    event
}

/// The giver's side of a hand-over of `key` from `from` (a current holder
/// of it) to `to`, with a new `hand_over_id` chosen by the caller. Written
/// by the holder, by anyone for a post, or by a leader or supervisor on
/// the holder's behalf. The key then shows handed to `to`, awaiting
/// [`confirm`]. Refused for a lost or withdrawn key.
pub fn hand_over(
    doc: &mut Automerge,
    key: &str,
    hand_over_id: &str,
    from: &Holder,
    to: &Holder,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    let event = hand_over_event(doc, key, hand_over_id, from, to, by)?;
    write_one(doc, event, by)
}

/// The receiver confirms receipt of the hand-over `hand_over_id` of `key`,
/// which must be awaiting confirmation on this replica. A person receiver
/// confirms as themselves; a post is confirmed by someone there other than
/// the giver and the writer of the hand-over.
pub fn confirm(
    doc: &mut Automerge,
    key: &str,
    hand_over_id: &str,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    check_id("hand-over id", hand_over_id)?;
    let (current, entries) = existing(doc, key)?;
    in_use(&current)?;
    let handed = entries.iter().find(|e| {
        e.event.kind == EventKind::HandedOver
            && e.event.key == key
            && e.event.hand_over == hand_over_id
    });
    if handed.is_none() {
        return Err(Refusal::UnknownHandOver(hand_over_id.to_owned()).into());
    }
    let awaiting = current.claims().iter().find_map(|c| match c {
        Claim::Awaiting {
            from,
            to,
            hand_over,
            entry,
        } if hand_over == hand_over_id => Some((from, to, entry)),
        _ => None,
    });
    let Some((from, to, entry)) = awaiting else {
        return Err(Refusal::NotAwaiting(hand_over_id.to_owned()).into());
    };
    check_receiver(by, from, to, &entry.event.by.person_id)?;
    let mut event = confirm_event(key, hand_over_id, to, by);
    event.after = head_ids(key, &entries);
    write_one(doc, event, by)
}

/// A hand-over with both parties at one tablet: the `handed_over` event
/// (checked as [`hand_over`], by `giver`) and the receiver's confirmation
/// (checked as [`confirm`], carrying `receiver`'s attribution) in one
/// change attributed to the giver.
pub fn hand_over_confirmed(
    doc: &mut Automerge,
    key: &str,
    hand_over_id: &str,
    from: &Holder,
    to: &Holder,
    giver: &Attribution,
    receiver: &Attribution,
) -> Result<ChangeHash, ModelError> {
    let handed = hand_over_event(doc, key, hand_over_id, from, to, giver)?;
    let (Some(from), Some(to)) = (&handed.from, &handed.holder) else {
        return Err(ModelError::Corrupt("hand-over".to_owned()));
    };
    check_receiver(receiver, from, to, &giver.person_id)?;
    let confirmed = confirm_event(key, hand_over_id, to, receiver);
    let summary = format!("key confirmed {key}");
    write(doc, vec![handed, confirmed], true, &summary, giver)
}

/// Report `key` lost (anyone), with what happened (optional): the key is
/// escalated until a lock change or a leader's [`found`]. Refused for a
/// withdrawn key or one this replica already shows lost.
pub fn report_lost(
    doc: &mut Automerge,
    key: &str,
    text: &str,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    let text = optional_text(text)?;
    let (current, entries) = existing(doc, key)?;
    match &current.state {
        KeyState::Withdrawn { .. } => return Err(Refusal::KeyWithdrawn(key.to_owned()).into()),
        KeyState::Lost { .. } => return Err(Refusal::KeyLost(key.to_owned()).into()),
        KeyState::InUse(_) | KeyState::Disputed(_) => {}
    }
    let mut event = KeyEvent::new(EventKind::Lost, key, by);
    event.holder = match &current.state {
        KeyState::InUse(claim) => Some(claim.holder().clone()),
        _ => None,
    };
    event.text = text;
    event.after = head_ids(key, &entries);
    write_one(doc, event, by)
}

/// A leader or supervisor records that a lost or disputed `key` is with
/// `holder` (what was done: optional text). Ends a loss's escalation
/// without a lock change, or settles a dispute.
pub fn found(
    doc: &mut Automerge,
    key: &str,
    holder: &Holder,
    text: &str,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    let holder = holder.checked()?;
    let text = optional_text(text)?;
    leader_or_supervisor(by, EventKind::Found)?;
    let (current, entries) = existing(doc, key)?;
    if !matches!(current.state, KeyState::Lost { .. } | KeyState::Disputed(_)) {
        return Err(Refusal::NotLostOrDisputed(key.to_owned()).into());
    }
    let mut event = KeyEvent::new(EventKind::Found, key, by);
    event.holder = Some(holder);
    event.text = text;
    event.after = head_ids(key, &entries);
    write_one(doc, event, by)
}

/// A leader or supervisor records that `lock` was changed (what was done:
/// optional text): every key of the lock this replica shows not yet
/// withdrawn — lost ones included — is withdrawn in one event. New keys
/// are then registered with new ids.
pub fn change_lock(
    doc: &mut Automerge,
    lock: &str,
    text: &str,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    check_id("lock id", lock)?;
    let text = optional_text(text)?;
    leader_or_supervisor(by, EventKind::LockChanged)?;
    let register = KeyRegister::new(doc)?;
    let entries = register.entries()?;
    let of_lock: Vec<Key> = register
        .keys()?
        .into_iter()
        .filter(|k| k.lock == lock)
        .collect();
    if of_lock.is_empty() {
        return Err(Refusal::UnknownLock(lock.to_owned()).into());
    }
    let mut event = KeyEvent::new(EventKind::LockChanged, "", by);
    event.lock = lock.to_owned();
    event.text = text;
    let mut after = BTreeSet::new();
    for key in of_lock {
        if !matches!(key.state, KeyState::Withdrawn { .. }) {
            after.extend(head_ids(&key.id, &entries));
            event.keys.push(key.id);
        }
    }
    event.after = after.into_iter().collect();
    write_one(doc, event, by)
}

/// A leader or supervisor withdraws `key` (damaged, 篇4 §4) with the
/// reason (required). Refused for a withdrawn key, and for a lost one (a
/// lock change or [`found`] deals with a loss).
pub fn withdraw(
    doc: &mut Automerge,
    key: &str,
    reason: &str,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    let reason = required_text("a withdrawal", reason)?;
    leader_or_supervisor(by, EventKind::Withdrawn)?;
    let (current, entries) = existing(doc, key)?;
    in_use(&current)?;
    let mut event = KeyEvent::new(EventKind::Withdrawn, key, by);
    event.text = reason;
    event.after = head_ids(key, &entries);
    write_one(doc, event, by)
}

/// Add a note (required text) to `key`, whatever its state; it changes
/// nothing.
pub fn note(
    doc: &mut Automerge,
    key: &str,
    text: &str,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    let text = required_text("a note", text)?;
    existing(doc, key)?;
    let mut event = KeyEvent::new(EventKind::Note, key, by);
    event.text = text;
    write_one(doc, event, by)
}
