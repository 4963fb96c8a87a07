//! Owner requests and complaints' side of the store (《业主投诉登记表》):
//! the monthly boards — this month's, the older ones the open index
//! (`complaints-open`) names, and those a search's days need — opened
//! offline from their deterministic genesis or asked for from the server;
//! the site's deadline settings; and every change written through
//! [`shiftbook_model::complaint`] with the signed-in person's attribution,
//! the board and the index together (board first, then the index, as the
//! model writes them).

use crate::complaints::steps::Act;
use crate::core::error::AppError;
use crate::core::store::Store;
use leptos::prelude::With;
use shiftbook_model::DocumentId;
use shiftbook_model::attribution::Who;
use shiftbook_model::complaint::{self, Complaint, DeadlineSettings, NewComplaint};
use shiftbook_model::schedule::LocalDateTime;

impl Store {
    /// The id of the site's open-complaint index.
    pub fn complaint_index_id(&self) -> DocumentId {
        self.id(complaint::index_document_id)
    }

    /// The id of the site's complaint board of `month`.
    pub fn complaint_board_id(&self, month: &str) -> DocumentId {
        self.id(|ids| complaint::document_id(ids, month))
    }

    /// The months whose boards show every open complaint: this month's
    /// (the device clock) and those the index names, plus `extra` (a
    /// search's months), oldest first.
    pub fn complaint_months(&self, extra: &[String]) -> Vec<String> {
        let current = crate::platform::clock::today()
            .get(..7)
            .unwrap_or_default()
            .to_owned();
        let index = self.complaint_index_id();
        let mut months = self
            .read(&index, |d| complaint::months_to_load(d, &current).ok())
            .flatten()
            .unwrap_or_else(|| vec![current.clone()]);
        months.extend(extra.iter().cloned());
        months.sort();
        months.dedup();
        months
    }

    /// Ask the server for the index and the boards of `months` this device
    /// does not hold (retried until the server has them).
    pub fn want_complaints(&self, months: &[String]) {
        let mut ids = vec![self.complaint_index_id()];
        ids.extend(months.iter().map(|m| self.complaint_board_id(m)));
        self.want_missing(ids);
    }

    /// Every complaint of `month`'s board, if this device holds it (kept
    /// until the board changes).
    fn board_complaints(&self, month: &str) -> Option<std::rc::Rc<Vec<Complaint>>> {
        let board = self.complaint_board_id(month);
        self.read_kept(&board, "complaints", |d| {
            if complaint::board_month(d).is_err() {
                return Vec::new();
            }
            complaint::complaints(d).unwrap_or_default()
        })
    }

    /// The server's receipt time of a step on `month`'s board, found by
    /// who wrote it on which device when, as far as receipts are known
    /// (tracked: read again when receipts arrive).
    pub fn complaint_receipts(&self, month: &str) -> impl Fn(&Who) -> Option<i64> + use<> {
        let board = self.complaint_board_id(month);
        let receipts = self
            .signals
            .receipts
            .with(|r| r.get(&board).cloned())
            .unwrap_or_default();
        let authors = if receipts.is_empty() {
            None
        } else {
            self.read_kept(&board, "authors", crate::core::receipts::by_author)
        };
        move |w: &Who| {
            let key = (w.at_ms, w.device.clone(), w.person_id.clone());
            let hash = authors.as_ref()?.get(&key)?;
            receipts.get(hash).copied()
        }
    }

    /// Every complaint on the boards of `months` this device holds, by
    /// received time.
    pub fn complaints_of(&self, months: &[String]) -> Vec<Complaint> {
        let mut out: Vec<Complaint> = months
            .iter()
            .filter_map(|m| self.board_complaints(m))
            .flat_map(|board| board.as_ref().clone())
            .collect();
        out.sort_by(|a, b| (a.received, &a.id).cmp(&(b.received, &b.id)));
        out
    }

    /// The complaint `id` of `month`'s board, if this device holds it.
    pub fn complaint(&self, month: &str, id: &str) -> Option<Complaint> {
        self.board_complaints(month)?
            .iter()
            .find(|c| c.id == id)
            .cloned()
    }

    /// The site's complaint deadlines (the seeds' until a supervisor sets
    /// others, or when the settings hold a value out of range).
    pub fn complaint_deadlines(&self) -> DeadlineSettings {
        self.read_settings(|s| DeadlineSettings::from_site(&s).unwrap_or_default())
    }

    /// Now on the device clock, local wall time.
    pub fn local_now(&self) -> Option<LocalDateTime> {
        crate::platform::clock::local(crate::platform::clock::now_ms())
    }

    /// The board of `month` and the index, created here (deterministic
    /// genesis) if this device does not hold them yet.
    fn complaint_pair(&self, month: &str) -> Result<(DocumentId, DocumentId), AppError> {
        let board = self.complaint_board_id(month);
        let index = self.complaint_index_id();
        let owned = month.to_owned();
        self.ensure_site_document(&board, |site| complaint::genesis(site, &owned))?;
        self.ensure_site_document(&index, complaint::index_genesis)?;
        Ok((board, index))
    }

    /// Register a complaint in the board of its received month.
    pub fn receive_complaint(&self, new: &NewComplaint) -> Result<(), AppError> {
        let (board, index) = self.complaint_pair(&complaint::month_of(new.received))?;
        self.edit_pair(&board, &index, |b, i, by| complaint::receive(b, i, new, by))
    }

    /// Take the step `act` on complaint `id` of `month`'s board.
    pub fn complaint_act(&self, month: &str, id: &str, act: &Act) -> Result<(), AppError> {
        let (board, index) = self.complaint_pair(month)?;
        self.edit_pair(&board, &index, |b, i, by| act.apply(b, i, id, by))
    }
}
