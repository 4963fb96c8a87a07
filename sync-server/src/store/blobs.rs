//! Attachments (photos) in the database, beside the documents and never
//! inside them: the bytes once per content (`blobs`, keyed by their
//! SHA-256), and which site holds each (`site_blobs`: the record it was
//! attached to, its media type, who uploaded it and when). A site reads
//! only the blobs it holds; the same photo uploaded by two sites is kept
//! once and held by both.

use super::{Store, StoreError, now_ms};
use crate::principal::Uploader;
use rusqlite::{OptionalExtension, TransactionBehavior, params};
use shiftbook_model::DocumentId;

/// How many bytes of attachments one device (or supervisor) may upload in
/// 24 hours by default: about 2,500 photos of 200 KB. One client cannot
/// fill the server's disk for everyone.
pub const MAX_BLOB_BYTES_PER_DAY: i64 = 512 * 1024 * 1024;

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// One upload, checked by the caller: `sha256` is the hash of `data`, and
/// `site` holds the record `doc` it is attached to.
#[derive(Debug)]
pub struct NewBlob<'a> {
    /// The site that holds it.
    pub site: &'a str,
    /// SHA-256 of `data`, 64 lowercase hex digits.
    pub sha256: &'a str,
    /// Its media type, e.g. `image/jpeg`.
    pub media_type: &'a str,
    /// The record it is attached to.
    pub doc: &'a DocumentId,
    /// Whose connection uploaded it.
    pub by: &'a Uploader,
    /// The bytes.
    pub data: &'a [u8],
}

/// What storing an upload did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlobStored {
    /// The site holds it now.
    New,
    /// The site held it already; nothing changed.
    AlreadyHeld,
    /// The uploader's bytes of the last 24 hours would pass its daily
    /// limit ([`MAX_BLOB_BYTES_PER_DAY`] by default); nothing was stored.
    OverDailyLimit,
}

/// A stored attachment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blob {
    /// Its media type.
    pub media_type: String,
    /// The bytes.
    pub data: Vec<u8>,
}

impl Store {
    /// Store `blob` for its site, in one transaction, unless its uploader
    /// stored `bytes_per_day` or more in the last 24 hours: on disk when
    /// this returns `New` or `AlreadyHeld` (the database commits with
    /// `synchronous=FULL`).
    pub fn put_blob(
        &self,
        blob: &NewBlob<'_>,
        bytes_per_day: i64,
    ) -> Result<BlobStored, StoreError> {
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let held: Option<i64> = tx
            .query_row(
                "SELECT 1 FROM site_blobs WHERE site = ?1 AND sha256 = ?2",
                params![blob.site, blob.sha256],
                |r| r.get(0),
            )
            .optional()?;
        if held.is_some() {
            return Ok(BlobStored::AlreadyHeld);
        }
        let now = now_ms();
        let (by_device, by_supervisor) = crate::doc_store::uploader_columns(blob.by);
        let size = i64::try_from(blob.data.len()).unwrap_or(i64::MAX);
        let today: i64 = tx.query_row(
            "SELECT COALESCE(SUM(size), 0) FROM site_blobs
             WHERE by_device IS ?1 AND by_supervisor IS ?2 AND created_at > ?3",
            params![by_device, by_supervisor, now - DAY_MS],
            |r| r.get(0),
        )?;
        if today.saturating_add(size) > bytes_per_day {
            return Ok(BlobStored::OverDailyLimit);
        }
        tx.execute(
            "INSERT OR IGNORE INTO blobs (sha256, size, data, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![blob.sha256, size, blob.data, now],
        )?;
        tx.execute(
            "INSERT INTO site_blobs
                 (site, sha256, size, media_type, doc_id, by_device, by_supervisor, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                blob.site,
                blob.sha256,
                size,
                blob.media_type,
                blob.doc.to_string(),
                by_device,
                by_supervisor,
                now
            ],
        )?;
        tx.commit()?;
        Ok(BlobStored::New)
    }

    /// The attachment `sha256` as a site `may_read` holds it, if one does.
    pub fn blob(
        &self,
        sha256: &str,
        may_read: impl Fn(&str) -> bool,
    ) -> Result<Option<Blob>, StoreError> {
        let conn = self.lock();
        let mut holders =
            conn.prepare("SELECT site, media_type FROM site_blobs WHERE sha256 = ?1")?;
        let held: Vec<(String, String)> = holders
            .query_map(params![sha256], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        let Some((_, media_type)) = held.into_iter().find(|(site, _)| may_read(site)) else {
            return Ok(None);
        };
        let data: Option<Vec<u8>> = conn
            .query_row(
                "SELECT data FROM blobs WHERE sha256 = ?1",
                params![sha256],
                |r| r.get(0),
            )
            .optional()?;
        Ok(data.map(|data| Blob { media_type, data }))
    }
}
