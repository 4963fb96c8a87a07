//! Documents on disk: their content, whose they are, and the receipts of
//! their changes, in the server's SQLite database (tables in
//! [`crate::store`]).
//!
//! **Acknowledged means durable.** The sync hub ([`crate::hub`]) sends
//! nothing that shows a change to any peer — not even the uploader's own
//! acknowledgement — until [`DocStore::commit`] has returned for the write
//! holding it. The connection runs SQLite in WAL mode with
//! `synchronous=FULL`: a commit returns only after the WAL is fsynced, so
//! a change any client saw acknowledged survives `kill -9` and a power
//! cut. `NORMAL` would survive a killed process but could lose the last
//! commits on power loss, after clients were told they were safe. The
//! cost, one fsync per commit, is shared: [`DocStore::commit`] takes every
//! write queued at that moment (documents of every site) in one
//! transaction (group commit).
//!
//! **Errors are errors.** Every failure is returned; a failed commit wrote
//! nothing (SQLite rolls the transaction back), so the hub keeps the
//! changes unacknowledged and tries again; a disk that stays full keeps
//! the server from confirming anything, and `/healthz` says so.
//!
//! **Nothing is deleted that a newer snapshot does not hold.** Each change
//! is a row of `doc_changes` (idempotent by hash); when a document has
//! [`COMPACT_AT`] rows, [`DocStore::compact`] saves the whole document as
//! one snapshot, loads that snapshot back, checks it holds every row it
//! replaces, and only then deletes those rows — in one transaction.
//!
//! A change's receipt (`change_receipts`) is written in the same
//! transaction as the change: when the server first held it and which
//! authenticated connection uploaded it (never what the change says).
//! Genesis changes (fixed actor, identical on every device) are nobody's
//! and get no receipt.
//!
//! [`import_legacy`] moves the document directory of earlier servers
//! (samod's filesystem layout, `docs/`) into the database once.

use crate::ownership::{Owner, OwnerHow};
use crate::principal::Uploader;
use crate::store::{DB_FILE, StoreError, now_ms, owner_of};
use automerge::{Automerge, ChangeHash, ReadDoc};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use shiftbook_model::DocumentId;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Rows of `doc_changes` at which a document is compacted into a snapshot.
pub const COMPACT_AT: usize = 256;

/// How long a writer waits for another connection's lock.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The directory earlier servers kept documents in (samod's filesystem
/// storage), relative to the data directory.
pub const LEGACY_DOCS_DIR: &str = "docs";

/// Why a document operation failed.
#[derive(Debug, thiserror::Error)]
pub enum DocStoreError {
    /// SQLite failed (disk full, I/O error, locked too long…).
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The metadata side of the database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Stored content automerge cannot load; nothing is changed or
    /// removed, the document stays unavailable until someone looks.
    #[error("document {doc} has unreadable stored content: {why}")]
    Corrupt {
        /// The document.
        doc: String,
        /// automerge's explanation.
        why: String,
    },
    /// The database is not at the schema this server writes (open it with
    /// [`crate::Store::open`] first).
    #[error("the database schema is version {0}; open it with Store::open first")]
    Schema(i64),
    /// A file of the legacy document directory could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
}

/// A document as stored.
#[derive(Debug)]
pub struct Stored {
    /// Whose it is, if anyone's.
    pub owner: Option<Owner>,
    /// Its content (empty if nothing is stored).
    pub doc: Automerge,
}

/// One change to store, as automerge encoded it, with its receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewChange {
    /// Its hash.
    pub hash: ChangeHash,
    /// `Change::raw_bytes()`.
    pub bytes: Vec<u8>,
    /// Whether it is a genesis change (no receipt).
    pub genesis: bool,
    /// Whose connection uploaded it.
    pub by: Uploader,
    /// Server time it was received.
    pub at_ms: i64,
}

impl NewChange {
    /// `change`, as storage wants it, uploaded by `by` at `at_ms` (a change
    /// by the genesis actor is marked genesis: nobody's, no receipt).
    pub fn of(change: &automerge::Change, by: Uploader, at_ms: i64) -> Self {
        Self {
            hash: change.hash(),
            bytes: change.raw_bytes().to_vec(),
            genesis: shiftbook_model::genesis::is_genesis_actor(change.actor_id()),
            by,
            at_ms,
        }
    }
}

/// A write the hub asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteOp {
    /// Register the document as `site`'s by `purpose` (its id is derived
    /// from that site's key, so only that site can).
    Register {
        /// The site.
        site: String,
        /// The purpose the id was derived from.
        purpose: String,
        /// Who registered it.
        by: Uploader,
    },
    /// Store new changes with their receipts, claiming the document for
    /// `claim_for` first if it has no owner (by the first change's
    /// uploader).
    Persist {
        /// The changes, each with who uploaded it and when.
        changes: Vec<NewChange>,
        /// The site to claim an unowned document for (its first upload).
        claim_for: Option<String>,
    },
}

/// What a write did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteOutcome {
    /// The document is (now) the registering site's.
    Registered(Owner),
    /// The document had been claimed by another site's upload; it is the
    /// registering site's now and that content was set aside.
    Reclaimed {
        /// The new owner.
        owner: Owner,
        /// The site whose upload was set aside.
        from: String,
    },
    /// Another site registered it (only its key derives the id): nothing
    /// changed.
    Refused(Owner),
    /// The changes are on disk; the document's owner.
    Persisted(Owner),
    /// The upload was to claim an unowned document, but another site owns
    /// it now: nothing was stored.
    Conflict(Owner),
    /// The uploader created [`MAX_NEW_DOCUMENTS_PER_DAY`] documents in the
    /// last 24 hours already: nothing was stored, the document stays
    /// without an owner.
    OverLimit,
}

/// New documents (registered or claimed by a first upload) one device or
/// supervisor may create in 24 hours. A tablet opens a few dozen a day; a
/// week offline catching up, a few hundred.
pub const MAX_NEW_DOCUMENTS_PER_DAY: i64 = 1_000;
const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// A connection to the documents' tables.
#[derive(Debug)]
pub struct DocStore {
    conn: Connection,
}

impl DocStore {
    /// Open the database in `data_dir` for documents; [`crate::Store::open`]
    /// must have created or upgraded it.
    pub fn open(data_dir: &Path) -> Result<Self, DocStoreError> {
        let conn = Connection::open(data_dir.join(DB_FILE))?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        let _mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
        // A small page cache per connection: the OS caches the file, and a
        // server with a few connections should not hold 8 MiB in each.
        conn.execute_batch("PRAGMA synchronous=FULL; PRAGMA cache_size=-2048;")?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version != crate::store::SCHEMA_VERSION {
            return Err(DocStoreError::Schema(version));
        }
        Ok(Self { conn })
    }

    /// Whose `doc` is and what is stored of it.
    pub fn load(&self, doc: &DocumentId) -> Result<Stored, DocStoreError> {
        let owner = owner_of(&self.conn, doc)?;
        let (content, _) = self.content(doc)?;
        Ok(Stored {
            owner,
            doc: content,
        })
    }

    /// Every owned document with stored content and its owner site, by id
    /// (what a rebuild of the projection reads).
    pub fn documents(&self) -> Result<Vec<(DocumentId, String)>, DocStoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT d.doc_id, d.site FROM documents d
              WHERE EXISTS (SELECT 1 FROM doc_snapshots s WHERE s.doc_id = d.doc_id)
                 OR EXISTS (SELECT 1 FROM doc_changes c WHERE c.doc_id = d.doc_id)
              ORDER BY d.doc_id",
        )?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows
            .into_iter()
            .filter_map(|(id, site)| match id.parse::<DocumentId>() {
                Ok(doc) => Some((doc, site)),
                Err(_) => {
                    tracing::warn!(doc = %id, "a stored document id that does not parse");
                    None
                }
            })
            .collect())
    }

    /// The stored content of `doc` and the hashes of its change rows.
    fn content(&self, doc: &DocumentId) -> Result<(Automerge, Vec<Vec<u8>>), DocStoreError> {
        let id = doc.to_string();
        let corrupt = |why: String| DocStoreError::Corrupt {
            doc: id.clone(),
            why,
        };
        let snapshot: Option<Vec<u8>> = self
            .conn
            .prepare_cached("SELECT data FROM doc_snapshots WHERE doc_id = ?1")?
            .query_row(params![id], |r| r.get(0))
            .optional()?;
        let mut content = match snapshot {
            Some(bytes) => Automerge::load(&bytes).map_err(|e| corrupt(e.to_string()))?,
            None => Automerge::new(),
        };
        let mut stmt = self
            .conn
            .prepare_cached("SELECT hash, data FROM doc_changes WHERE doc_id = ?1")?;
        let rows = stmt
            .query_map(params![id], |r| {
                Ok((r.get::<_, Vec<u8>>(0)?, r.get::<_, Vec<u8>>(1)?))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let mut hashes = Vec::with_capacity(rows.len());
        let mut all = Vec::new();
        for (hash, bytes) in rows {
            all.extend_from_slice(&bytes);
            hashes.push(hash);
        }
        if !all.is_empty() {
            content
                .load_incremental(&all)
                .map_err(|e| corrupt(e.to_string()))?;
        }
        Ok((content, hashes))
    }

    /// Carry out `jobs` in one transaction (one fsync for all of them).
    /// `Err` means nothing was written; `Ok` gives each job's outcome (a
    /// job that failed alone was rolled back alone, `Err` in its slot).
    pub fn commit(
        &mut self,
        jobs: &[(DocumentId, WriteOp)],
    ) -> Result<Vec<Result<WriteOutcome, DocStoreError>>, DocStoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let now = now_ms();
        let mut outcomes = Vec::with_capacity(jobs.len());
        for (doc, op) in jobs {
            tx.execute_batch("SAVEPOINT job")?;
            let outcome = apply(&tx, doc, op, now);
            if outcome.is_err() || matches!(outcome, Ok(WriteOutcome::Conflict(_))) {
                tx.execute_batch("ROLLBACK TO job")?;
            }
            tx.execute_batch("RELEASE job")?;
            outcomes.push(outcome);
        }
        tx.commit()?;
        Ok(outcomes)
    }

    /// Free this connection's page cache (after a while with nothing to
    /// do; it fills again as documents are read). Best effort: a failure
    /// only means the memory stays.
    pub fn shrink_memory(&self) {
        if let Err(e) = self.conn.execute_batch("PRAGMA shrink_memory;") {
            tracing::debug!(error = %e, "shrinking SQLite's page cache failed");
        }
    }

    /// How many change rows `doc` has beyond its snapshot.
    pub fn change_rows(&self, doc: &DocumentId) -> Result<usize, DocStoreError> {
        let n: i64 = self
            .conn
            .prepare_cached("SELECT count(*) FROM doc_changes WHERE doc_id = ?1")?
            .query_row(params![doc.to_string()], |r| r.get(0))?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    /// Save `doc` as one snapshot replacing its change rows, if it has any.
    /// The snapshot is loaded back and must hold the document's heads and
    /// every row it replaces before anything is deleted. Returns how many
    /// rows it replaced.
    pub fn compact(&mut self, doc: &DocumentId) -> Result<usize, DocStoreError> {
        let (content, hashes) = self.content(doc)?;
        if hashes.is_empty() {
            return Ok(0);
        }
        let id = doc.to_string();
        let saved = content.save();
        let check = Automerge::load(&saved).map_err(|e| DocStoreError::Corrupt {
            doc: id.clone(),
            why: format!("a fresh snapshot does not load: {e}"),
        })?;
        let holds_all = check.get_heads() == content.get_heads()
            && hashes.iter().all(|h| {
                ChangeHash::try_from(h.as_slice())
                    .is_ok_and(|h| check.get_change_by_hash(&h).is_some())
            });
        if !holds_all {
            return Err(DocStoreError::Corrupt {
                doc: id,
                why: "a fresh snapshot lacks changes it would replace".into(),
            });
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO doc_snapshots (doc_id, data, saved_at) VALUES (?1, ?2, ?3)
             ON CONFLICT(doc_id) DO UPDATE SET data = excluded.data, saved_at = excluded.saved_at",
            params![id, saved, now_ms()],
        )?;
        {
            let mut delete =
                tx.prepare_cached("DELETE FROM doc_changes WHERE doc_id = ?1 AND hash = ?2")?;
            for hash in &hashes {
                delete.execute(params![id, hash])?;
            }
        }
        tx.commit()?;
        Ok(hashes.len())
    }

    /// Merge `content` into `doc` (a document the server itself writes: the
    /// demo's, an import), as one snapshot; nothing stored is lost.
    pub fn put_content(
        &mut self,
        doc: &DocumentId,
        content: &Automerge,
    ) -> Result<(), DocStoreError> {
        let (mut merged, hashes) = self.content(doc)?;
        let mut incoming = content.clone();
        merged
            .merge(&mut incoming)
            .map_err(|e| DocStoreError::Corrupt {
                doc: doc.to_string(),
                why: e.to_string(),
            })?;
        let id = doc.to_string();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO doc_snapshots (doc_id, data, saved_at) VALUES (?1, ?2, ?3)
             ON CONFLICT(doc_id) DO UPDATE SET data = excluded.data, saved_at = excluded.saved_at",
            params![id, merged.save(), now_ms()],
        )?;
        for hash in &hashes {
            tx.execute(
                "DELETE FROM doc_changes WHERE doc_id = ?1 AND hash = ?2",
                params![id, hash],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Make `doc` `site`'s as an uploaded document if it has no owner (the
    /// server's own records, e.g. the demo key register).
    pub fn claim_for_site(&mut self, doc: &DocumentId, site: &str) -> Result<Owner, DocStoreError> {
        self.conn.execute(
            "INSERT OR IGNORE INTO documents (doc_id, site, how, created_at)
             VALUES (?1, ?2, 'uploaded', ?3)",
            params![doc.to_string(), site, now_ms()],
        )?;
        owner_of(&self.conn, doc)?.ok_or_else(|| DocStoreError::Corrupt {
            doc: doc.to_string(),
            why: "no owner after claiming".into(),
        })
    }
}

/// One job inside [`DocStore::commit`]'s transaction.
fn apply(
    tx: &Connection,
    doc: &DocumentId,
    op: &WriteOp,
    now: i64,
) -> Result<WriteOutcome, DocStoreError> {
    let id = doc.to_string();
    match op {
        WriteOp::Register { site, purpose, by } => {
            let (by_device, by_supervisor) = uploader_columns(by);
            let registered = Owner {
                site: site.clone(),
                how: OwnerHow::Registered,
                kind: None,
            };
            match owner_of(tx, doc)? {
                None if created_today(tx, by, now)? >= MAX_NEW_DOCUMENTS_PER_DAY => {
                    Ok(WriteOutcome::OverLimit)
                }
                None => {
                    tx.execute(
                        "INSERT INTO documents (doc_id, site, how, purpose, by_device, by_supervisor, created_at)
                         VALUES (?1, ?2, 'registered', ?3, ?4, ?5, ?6)",
                        params![id, site, purpose, by_device, by_supervisor, now],
                    )?;
                    Ok(WriteOutcome::Registered(registered))
                }
                Some(owner) if owner.site == *site => {
                    if owner.how == OwnerHow::Uploaded {
                        tx.execute(
                            "UPDATE documents SET how = 'registered', purpose = ?2 WHERE doc_id = ?1",
                            params![id, purpose],
                        )?;
                        return Ok(WriteOutcome::Registered(registered));
                    }
                    Ok(WriteOutcome::Registered(owner))
                }
                Some(owner) if owner.how == OwnerHow::Uploaded => {
                    set_aside(tx, doc, &owner.site, now)?;
                    tx.execute(
                        "UPDATE documents SET site = ?2, how = 'registered', kind = NULL, purpose = ?3,
                             by_device = ?4, by_supervisor = ?5, created_at = ?6
                         WHERE doc_id = ?1",
                        params![id, site, purpose, by_device, by_supervisor, now],
                    )?;
                    Ok(WriteOutcome::Reclaimed {
                        owner: registered,
                        from: owner.site,
                    })
                }
                Some(owner) => Ok(WriteOutcome::Refused(owner)),
            }
        }
        WriteOp::Persist { changes, claim_for } => {
            if let Some(site) = claim_for {
                let by = changes.first().map_or(&Uploader::Server, |c| &c.by);
                if owner_of(tx, doc)?.is_none()
                    && created_today(tx, by, now)? >= MAX_NEW_DOCUMENTS_PER_DAY
                {
                    return Ok(WriteOutcome::OverLimit);
                }
                let (by_device, by_supervisor) = uploader_columns(by);
                tx.prepare_cached(
                    "INSERT OR IGNORE INTO documents (doc_id, site, how, by_device, by_supervisor, created_at)
                     VALUES (?1, ?2, 'uploaded', ?3, ?4, ?5)",
                )?
                .execute(params![id, site, by_device, by_supervisor, now])?;
            }
            let owner = owner_of(tx, doc)?.ok_or_else(|| DocStoreError::Corrupt {
                doc: id.clone(),
                why: "changes for a document nobody owns".into(),
            })?;
            if claim_for.as_ref().is_some_and(|site| *site != owner.site) {
                return Ok(WriteOutcome::Conflict(owner));
            }
            let mut change = tx.prepare_cached(
                "INSERT OR IGNORE INTO doc_changes (doc_id, hash, data) VALUES (?1, ?2, ?3)",
            )?;
            let mut receipt = tx.prepare_cached(
                "INSERT OR IGNORE INTO change_receipts
                     (doc_id, change_hash, received_at, by_device, by_supervisor)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            for c in changes {
                change.execute(params![id, c.hash.as_ref(), c.bytes])?;
                if !c.genesis {
                    let (by_device, by_supervisor) = uploader_columns(&c.by);
                    receipt.execute(params![
                        id,
                        c.hash.to_string(),
                        c.at_ms,
                        by_device,
                        by_supervisor
                    ])?;
                }
            }
            Ok(WriteOutcome::Persisted(owner))
        }
    }
}

/// Documents `by` created in the 24 hours before `now`.
fn created_today(tx: &Connection, by: &Uploader, now: i64) -> Result<i64, DocStoreError> {
    let since = now.saturating_sub(DAY_MS);
    let n = match by {
        Uploader::Device { id, .. } => tx
            .prepare_cached(
                "SELECT count(*) FROM documents WHERE by_device = ?1 AND created_at >= ?2",
            )?
            .query_row(params![id, since], |r| r.get(0))?,
        Uploader::Supervisor { name } => tx
            .prepare_cached(
                "SELECT count(*) FROM documents WHERE by_supervisor = ?1 AND created_at >= ?2",
            )?
            .query_row(params![name, since], |r| r.get(0))?,
        Uploader::Server => 0,
    };
    Ok(n)
}

/// The `by_device` / `by_supervisor` columns for `by`.
pub(crate) fn uploader_columns(by: &Uploader) -> (Option<i64>, Option<String>) {
    match by {
        Uploader::Device { id, .. } => (Some(*id), None),
        Uploader::Supervisor { name } => (None, Some(name.clone())),
        Uploader::Server => (None, None),
    }
}

/// Move everything stored of `doc` into `quarantined_docs` (one blob of
/// concatenated chunks automerge can load), with its receipts gone.
fn set_aside(tx: &Connection, doc: &DocumentId, site: &str, now: i64) -> Result<(), DocStoreError> {
    let id = doc.to_string();
    let mut blob: Vec<u8> = tx
        .query_row(
            "SELECT data FROM doc_snapshots WHERE doc_id = ?1",
            params![id],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or_default();
    {
        let mut stmt = tx.prepare_cached("SELECT data FROM doc_changes WHERE doc_id = ?1")?;
        let rows = stmt.query_map(params![id], |r| r.get::<_, Vec<u8>>(0))?;
        for row in rows {
            blob.extend_from_slice(&row?);
        }
    }
    if !blob.is_empty() {
        tx.execute(
            "INSERT INTO quarantined_docs (doc_id, site, moved_at, data) VALUES (?1, ?2, ?3, ?4)",
            params![id, site, now, blob],
        )?;
    }
    tx.execute("DELETE FROM doc_snapshots WHERE doc_id = ?1", params![id])?;
    tx.execute("DELETE FROM doc_changes WHERE doc_id = ?1", params![id])?;
    tx.execute("DELETE FROM change_receipts WHERE doc_id = ?1", params![id])?;
    tracing::warn!(doc = %id, from = %site, bytes = blob.len(), "set aside content another site uploaded to a registered id");
    Ok(())
}

/// What [`import_legacy`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Documents imported with content.
    pub documents: usize,
    /// Files automerge could not load (kept in the renamed directory).
    pub unreadable_files: usize,
    /// Owner rows of documents without any content (claims earlier
    /// servers made on a bare request) dropped.
    pub empty_claims_dropped: usize,
    /// Where the legacy directory was moved.
    pub moved_to: PathBuf,
}

/// Import the document directory of earlier servers (`<data>/docs`, samod's
/// filesystem layout `docs/<2 chars>/<rest of id>/<kind>/<name>`) into the
/// database, once: every readable chunk of every document is merged into
/// the stored content; unreadable files (a torn or zero-byte write) are
/// counted and logged. Owner rows of documents that turn out to have no
/// content at all are dropped (earlier servers gave a document to whoever
/// *asked* for it first). The directory is then renamed, never deleted.
/// `Ok(None)` when there is nothing to import.
pub fn import_legacy(data_dir: &Path) -> Result<Option<ImportReport>, DocStoreError> {
    let dir = data_dir.join(LEGACY_DOCS_DIR);
    if !dir.is_dir() {
        return Ok(None);
    }
    let mut store = DocStore::open(data_dir)?;
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| DocStoreError::Io { path, source }
    };
    let mut report = ImportReport::default();
    for first in std::fs::read_dir(&dir).map_err(io(&dir))? {
        let first = first.map_err(io(&dir))?.path();
        if !first.is_dir() {
            continue;
        }
        for second in std::fs::read_dir(&first).map_err(io(&first))? {
            let second = second.map_err(io(&first))?.path();
            let (Some(a), Some(b)) = (
                first.file_name().and_then(|n| n.to_str()),
                second.file_name().and_then(|n| n.to_str()),
            ) else {
                continue;
            };
            let Ok(doc) = format!("{a}{b}").parse::<DocumentId>() else {
                tracing::warn!(path = %second.display(), "not a document directory; left as is");
                continue;
            };
            let mut content = Automerge::new();
            let mut files = vec![second.clone()];
            while let Some(path) = files.pop() {
                if path.is_dir() {
                    for entry in std::fs::read_dir(&path).map_err(io(&path))? {
                        files.push(entry.map_err(io(&path))?.path());
                    }
                    continue;
                }
                let bytes = std::fs::read(&path).map_err(io(&path))?;
                let mut scratch = content.clone();
                if bytes.is_empty() || scratch.load_incremental(&bytes).is_err() {
                    tracing::warn!(path = %path.display(), "unreadable legacy document file; kept, not imported");
                    report.unreadable_files += 1;
                } else {
                    content = scratch;
                }
            }
            if !content.get_heads().is_empty() {
                store.put_content(&doc, &content)?;
                report.documents += 1;
            }
        }
    }
    report.empty_claims_dropped = store.conn.execute(
        "DELETE FROM documents WHERE how = 'uploaded'
             AND doc_id NOT IN (SELECT doc_id FROM doc_snapshots)
             AND doc_id NOT IN (SELECT doc_id FROM doc_changes)",
        [],
    )?;
    let moved_to = data_dir.join(format!("{LEGACY_DOCS_DIR}.imported-{}", now_ms()));
    std::fs::rename(&dir, &moved_to).map_err(io(&dir))?;
    report.moved_to = moved_to;
    Ok(Some(report))
}

#[cfg(test)]
mod tests;
