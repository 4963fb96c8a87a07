//! The store's side of checkpoints (巡更点): the site's checkpoints
//! document (supervisors edit it on the desktop, tablets read it), the
//! scans a round records, and the rule that an item asking for a scan is
//! marked only after one ([`shiftbook_model::checkpoints::proof`]).

use crate::core::error::AppError;
use crate::core::store::Store;
use crate::platform::random::random_bytes;
use shiftbook_model::DocumentId;
use shiftbook_model::checklist::{self, Checklist, Scan, ScanOf};
use shiftbook_model::checkpoints::proof::{NeedsScan, RoundProof};
use shiftbook_model::checkpoints::{self, Checkpoint, SiteCheckpoints};
use shiftbook_model::template::Template;

impl Store {
    fn checkpoints_id(&self) -> DocumentId {
        self.id(checkpoints::document_id)
    }

    /// The site's checkpoints (none until the document arrives).
    pub fn checkpoints(&self) -> Vec<Checkpoint> {
        self.read(&self.checkpoints_id(), |d| {
            SiteCheckpoints::new(d)
                .and_then(|v| v.all())
                .unwrap_or_default()
        })
        .unwrap_or_default()
    }

    /// Add or change a checkpoint (supervisors, desktop).
    pub fn put_checkpoint(&self, checkpoint: &Checkpoint) -> Result<(), AppError> {
        self.edit_site_document(&self.checkpoints_id(), checkpoints::genesis, |doc, by| {
            checkpoints::put_checkpoint(doc, checkpoint, by)
        })
    }

    /// Revoke checkpoint `id`'s label (lost, damaged) and give it a new
    /// code to print (supervisors, desktop).
    pub fn revoke_checkpoint_label(&self, id: &str, reason: &str) -> Result<(), AppError> {
        let code = new_checkpoint_code();
        self.edit_site_document(&self.checkpoints_id(), checkpoints::genesis, |doc, by| {
            checkpoints::revoke_label(doc, id, &code, reason, by)
        })
    }

    /// The scans of `slot` of round `id`, oldest first.
    pub fn round_scans(&self, id: &DocumentId, slot: &str) -> Vec<Scan> {
        self.read(id, |d| {
            Checklist::new(d)
                .and_then(|c| c.scans_of(slot))
                .unwrap_or_default()
        })
        .unwrap_or_default()
    }

    /// Record a scan (or a "cannot scan") in `slot` of round `id`.
    pub fn record_scan(&self, id: &DocumentId, slot: &str, what: &ScanOf) -> Result<(), AppError> {
        self.edit(id, |doc, by| checklist::record_scan(doc, slot, what, by))
    }

    /// `Err` with what is missing when `item` of `slot` asks for a scan and
    /// has none in its window now.
    pub fn scan_needed(
        &self,
        id: &DocumentId,
        template: &Template,
        slot: &str,
        item: &str,
    ) -> Result<(), NeedsScan> {
        let checkpoints = self.checkpoints();
        let proof = RoundProof::new(template, &checkpoints, self.round_scans(id, slot));
        proof
            .may_mark(item, crate::platform::clock::now_ms())
            .map(|_| ())
    }
}

/// A new label code from the browser's random source.
pub fn new_checkpoint_code() -> String {
    checkpoints::new_code(random_bytes())
}
