//! Shiftbook's pure core, shared by the tablet app, the sync server and the
//! tests.
//!
//! * [`checklist`] and [`template`]: the checklist document schema (automerge
//!   + autosurgeon) and the built-in templates.
//! * [`attribution_check`]: a change's attribution held against its
//!   uploader (the server's receipts) and the roster: unconfirmed changes,
//!   invalid signatures.
//! * [`attribution`]: who made a change, carried in every commit message,
//!   and a document's attributed change history.
//! * [`schedule`]: schedules of rounds (fixed times, every N minutes in a
//!   window, N times a day, monthly) and which are due, next, late, missed.
//! * [`round_figures`]: a period's slots judged (on time, late, missed…)
//!   and counted per site, post, person and day — the dashboard's figures
//!   and the server's answers that carry them.
//! * [`roster`]: the site roster document — staff, roles, PIN hashes.
//! * [`templates`]: a site's checklist templates document (supervisors
//!   edit, tablets read; the built-ins until a site has its own).
//! * [`settings`]: the site settings document (idle sign-out time…).
//! * [`security_log`]: a site's daily log of sign-ins and wrong PINs.
//! * [`followup`]: follow-ups (报修/整改) opened by × marks — monthly
//!   boards of events and the site's index of open ones.
//! * [`show_flat`]: show flats (样板房) — each flat's item list (a site
//!   document) and the day's opening and closing item counts with the
//!   visitor counter.
//! * [`key_register`]: the show-flat key register — holders, confirmed
//!   hand-overs, lost keys escalated until the lock is changed.
//! * [`handover`]: shift hand-overs (交接班) — written, equipment checked,
//!   refused or accepted, signed by both; pending items carried forward.
//! * [`work_permit`]: contractor work permits (工作联络单) — monthly boards of
//!   events from application to entry, exit, sweep and close.
//! * [`complaint`]: owner requests and complaints (业主投诉登记表) — monthly
//!   boards of events from receipt to return visit and close, the seeds'
//!   deadlines from per-site settings, alerts, figures and search.
//! * [`owner_visit`]: the monthly owner-visit record (业户访问记录) — visits
//!   per unit, signed by the supervisor at month end.
//! * [`duty_log`]: the duty log (值班记录表) — a site's day of quick
//!   entries, corrected only by amendments that keep the original.
//! * [`visitor_log`]: the visitor log (来人来访记录表) — a day's visits,
//!   supervisor approval of blocked visitors, exits, who is still inside.
//! * `event_board`: the one way documents of appended events (boards,
//!   days, registers) find, read and append their events and group them
//!   by record.
//! * `open_index`: the small index (per site or book) of the days or
//!   months whose boards still hold open records, shared by every family
//!   with boards.
//! * [`signature`]: signatures covering a document's exact state, and what
//!   changed after signing.
//! * [`ids`]: document ids, site keys, derived ids.
//! * [`free_text`]: what staff type, as stored — texts trimmed, bounded,
//!   never a full ID number; ids, months and units checked — one error type.
//! * [`service_day`]: local times (`YYYY-MM-DD HH:MM`) of a service day.
//! * [`readable`]: lists of records as far as this build can read them —
//!   a record a newer build wrote is left out and counted, never an error
//!   for the whole document.
//! * [`chunk_budget`]: operations and changes in automerge bytes counted
//!   from their run lengths, refusing compression bombs before automerge
//!   expands them.
//! * [`photos`]: the photos of a document's records, one root key each
//!   (`photo/<record>/<sha256>`), so concurrent ones all stay.
//! * [`stored`]: a device's stored chunks of a document loaded into it,
//!   counted against that budget first.
//! * [`sync_guard`]: a received sync message made safe for automerge —
//!   Bloom filters of impossible sizes refused, repeated needs dropped.
//! * [`protocol`]: the automerge-repo wire messages.
//! * [`client`]: a sans-IO client of the automerge-repo sync protocol.
//!
//! Invariant: this crate never does IO, never reads a clock and never draws
//! randomness. Time, actor ids and random bytes are arguments.

pub mod attachment;
pub mod attribution;
pub mod attribution_check;
mod causal;
pub mod checklist;
pub mod checkpoints;
pub mod chunk_budget;
pub mod client;
pub mod complaint;
pub mod duty_log;
mod event_board;
pub mod followup;
pub mod free_text;
pub mod genesis;
pub mod handover;
pub mod heads;
pub mod ids;
pub mod key_register;
mod open_index;
pub mod owner_visit;
pub mod photos;
pub mod protocol;
pub mod readable;
pub mod record_cache;
pub mod roster;
pub mod round_figures;
pub mod schedule;
pub mod security_log;
pub mod service_day;
pub mod settings;
pub mod show_flat;
pub mod signature;
pub mod site_documents;
pub mod sort_once;
pub mod stored;
mod string_enum;
pub mod sync_guard;
pub mod template;
pub mod templates;
#[cfg(test)]
mod test_support;
pub mod upload_queue;
pub mod visitor_log;
pub mod work_permit;
mod write;

pub use ids::{DocumentId, SiteKey};

/// The two UI languages.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
pub enum Lang {
    /// Simplified Chinese, the default.
    #[default]
    Zh,
    /// English.
    En,
}

/// Errors of document operations.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// automerge refused an operation or could not load bytes.
    #[error("document error: {0}")]
    Automerge(#[from] automerge::AutomergeError),
    /// The document does not have the shape its schema promises.
    #[error("document has an unexpected shape: {0}")]
    Hydrate(#[from] autosurgeon::HydrateError),
    /// Writing a value into the document failed.
    #[error("could not write to document: {0}")]
    Reconcile(#[from] autosurgeon::ReconcileError),
    /// The document is of another kind.
    #[error("not a document of the expected kind (schema {0:?})")]
    WrongSchema(String),
    /// A container the schema requires is missing.
    #[error("document is missing `{0}`")]
    Corrupt(String),
    /// The item is not on this checklist.
    #[error("no item `{0}` on this checklist")]
    UnknownItem(String),
    /// A date is not `YYYY-MM-DD`.
    #[error("not a date (YYYY-MM-DD): {0:?}")]
    BadDate(String),
    /// A change produced no operations.
    #[error("the change was empty")]
    EmptyChange,
    /// A photo the server would not take; the text says why.
    #[error("not a photo the server takes: {0}")]
    BadAttachment(String),
    /// A PIN is not 4–8 ASCII digits.
    #[error("a PIN is 4 to 8 digits")]
    BadPin,
    /// A PIN hash iteration count out of range.
    #[error("unusable PIN hash iteration count {0}")]
    BadIterations(u32),
    /// A roster entry that cannot be stored.
    #[error("not a valid staff member: {0}")]
    BadMember(String),
    /// The signer's role may not sign with this meaning.
    #[error("a {role} may not sign {meaning}")]
    NotAllowed {
        /// The signer's role.
        role: &'static str,
        /// The meaning refused.
        meaning: &'static str,
    },
    /// A setting's value is outside what it accepts.
    #[error("{setting} must be between {low} and {high}")]
    OutOfRange {
        /// The setting's key.
        setting: &'static str,
        /// Lowest accepted value.
        low: i64,
        /// Highest accepted value.
        high: i64,
    },
    /// A template that cannot be stored or used.
    #[error("not a usable template: {0}")]
    BadTemplate(String),
    /// The round has not been started (its template is not known yet).
    #[error("the round has not been started")]
    NotStarted,
    /// An × on this item needs a note.
    #[error("item `{0}` needs a note when abnormal")]
    NoteRequired(String),
    /// A signature's heads are not change hashes of this document.
    #[error("signature covers unknown change {0:?}")]
    BadHeads(String),
    /// A follow-up change refused (see [`followup::Refusal`]).
    #[error("follow-up refused: {0}")]
    FollowUp(#[from] followup::Refusal),
    /// A work permit change refused (see [`work_permit::Refusal`]).
    #[error("work permit refused: {0}")]
    Permit(#[from] work_permit::Refusal),
    /// A hand-over change refused (see [`handover::Refusal`]).
    #[error("hand-over refused: {0}")]
    Handover(#[from] handover::Refusal),
    /// A key register change refused (see [`key_register::Refusal`]).
    #[error("key register refused: {0}")]
    KeyRegister(#[from] key_register::Refusal),
    /// A complaint change refused (see [`complaint::Refusal`]).
    #[error("complaint refused: {0}")]
    Complaint(#[from] complaint::Refusal),
    /// An owner-visit record change refused (see [`owner_visit::Refusal`]).
    #[error("owner-visit record refused: {0}")]
    OwnerVisit(#[from] owner_visit::Refusal),
    /// A show flat's item list that cannot be stored or used.
    #[error("not a usable item list: {0}")]
    BadItemList(String),
    /// The item is not on the show flat's item list.
    #[error("no item `{0}` on this flat's item list")]
    UnknownFlatItem(String),
    /// The room is not on the show flat's item list.
    #[error("no room `{0}` on this flat's item list")]
    UnknownRoom(String),
    /// A count or visitor number outside what is accepted.
    #[error("not a usable count: {0}")]
    BadCount(String),
    /// Guest feedback that cannot be recorded.
    #[error("not usable feedback: {0}")]
    BadFeedback(String),
    /// Typed input that cannot be stored: a text, an id or a month (see
    /// [`free_text::BadText`]).
    #[error("{0}")]
    BadText(#[from] free_text::BadText),
    /// A local date and time that is not `YYYY-MM-DD HH:MM`.
    #[error("not a local date and time (YYYY-MM-DD HH:MM): {0:?}")]
    BadDateTime(String),
    /// A time that is neither on a service day nor on the night after it.
    #[error("{at} is not a time of the service day {date} (that day or the night after)")]
    OutsideServiceDay {
        /// The time given.
        at: String,
        /// The service day.
        date: String,
    },
    /// A duty log change refused (see [`duty_log::Refusal`]).
    #[error("duty log refused: {0}")]
    DutyLog(#[from] duty_log::Refusal),
    /// A visitor log change refused (see [`visitor_log::Refusal`]).
    #[error("visitor log refused: {0}")]
    VisitorLog(#[from] visitor_log::Refusal),
    /// A checkpoint change or scan refused (see [`checkpoints::Refusal`]).
    #[error("checkpoint refused: {0}")]
    Checkpoint(#[from] checkpoints::Refusal),
}
