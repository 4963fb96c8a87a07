//! The server's SQLite database: sites, enrolled devices, supervisors,
//! sessions, whose each document is, the documents themselves, and when
//! (and from whom) the server first held each change.
//!
//! The database lives at `<data>/shiftbook.sqlite3` in WAL mode with a
//! busy timeout, so the `enroll` and `revoke` commands can write to it
//! while a server process reads it. Nothing here caches anything: every
//! question is asked of the database, which is what lets a revocation made
//! by another process take effect at once. Documents are read and written
//! through their own connections ([`crate::doc_store`]); this module only
//! creates their tables.
//!
//! ```text
//! sites     (id PRIMARY KEY, name, site_key_hex, created_at)
//! devices   (id PRIMARY KEY, site → sites, name, token_sha256 UNIQUE,
//!            created_at, revoked_at NULL while live)
//!            + unique index on name among live (non-revoked) devices
//! documents (doc_id PRIMARY KEY, site → sites, how, kind, purpose,
//!            by_device, by_supervisor, created_at): whose each document
//!            is — `site` documents registered at the site's creation
//!            (kind: roster, settings…), `registered` by purpose, or
//!            `uploaded` (see [`crate::ownership`])
//! doc_snapshots (doc_id PRIMARY KEY, data, saved_at): a document's
//!            compacted content
//! doc_changes   (doc_id, hash, data, PRIMARY KEY (doc_id, hash)): changes
//!            stored since the snapshot
//! quarantined_docs (doc_id, site, moved_at, data): content another site
//!            uploaded to an id its owner registered later, set aside
//! supervisors      (id, name UNIQUE, password_phc, created_at, disabled_at)
//! supervisor_sites (name → supervisors, site → sites)
//! sessions         (token_sha256 PRIMARY KEY, supervisor, created_at,
//!            expires_at): supervisors' login sessions, cookie hashed
//! change_receipts  (doc_id, change_hash, received_at, by_device,
//!            by_supervisor, PRIMARY KEY (doc_id, change_hash)): when the
//!            server first held each change of each document, and whose
//!            connection uploaded it
//! blobs      (sha256 PRIMARY KEY, size, data, created_at): attachments'
//!            bytes, once per content ([`blobs`])
//! site_blobs (site, sha256, size, media_type, doc_id, by_device,
//!            by_supervisor, created_at, PRIMARY KEY (site, sha256)):
//!            which site holds which attachment, for which record
//! ```
//!
//! Passwords are stored only as argon2id PHC strings (see
//! [`crate::password`]), session cookies only as SHA-256.
//!
//! Times are milliseconds since the Unix epoch. Calls block; async code
//! goes through [`Store::call`], which runs them on tokio's blocking pool.

use crate::ownership::{Owner, OwnerHow};
use crate::principal::Uploader;
use crate::token::{DeviceToken, RandomError, TokenDigest, random_bytes};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use shiftbook_model::site_documents::site_documents;
use shiftbook_model::{DocumentId, SiteKey};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub mod blobs;

/// File name of the database inside the data directory.
pub const DB_FILE: &str = "shiftbook.sqlite3";

/// How long a writer waits for another process's lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The schema version this code writes (`PRAGMA user_version`). Every
/// table is created with `IF NOT EXISTS`, so older databases are upgraded
/// in place; a server older than the database refuses it. Version 3 added
/// `change_receipts`; version 4 keeps documents in the database
/// (`doc_snapshots`, `doc_changes`) and ownership in `documents` (it
/// replaces `doc_owner` and `site_documents`, see [`upgrade_to_v4`]).
pub(crate) const SCHEMA_VERSION: i64 = 4;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS sites (
    id           TEXT PRIMARY KEY NOT NULL,
    name         TEXT NOT NULL,
    site_key_hex TEXT NOT NULL,
    created_at   INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS devices (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    site         TEXT NOT NULL REFERENCES sites(id),
    name         TEXT NOT NULL,
    token_sha256 TEXT NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL,
    revoked_at   INTEGER
);
CREATE UNIQUE INDEX IF NOT EXISTS devices_live_name
    ON devices(name) WHERE revoked_at IS NULL;
CREATE TABLE IF NOT EXISTS documents (
    doc_id        TEXT PRIMARY KEY NOT NULL,
    site          TEXT NOT NULL REFERENCES sites(id),
    how           TEXT NOT NULL CHECK (how IN ('site', 'registered', 'uploaded')),
    kind          TEXT,
    purpose       TEXT,
    by_device     INTEGER,
    by_supervisor TEXT,
    created_at    INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_by_device
    ON documents (by_device, created_at) WHERE by_device IS NOT NULL;
CREATE INDEX IF NOT EXISTS documents_by_supervisor
    ON documents (by_supervisor, created_at) WHERE by_supervisor IS NOT NULL;
CREATE TABLE IF NOT EXISTS doc_snapshots (
    doc_id       TEXT PRIMARY KEY NOT NULL,
    data         BLOB NOT NULL,
    saved_at     INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS doc_changes (
    doc_id       TEXT NOT NULL,
    hash         BLOB NOT NULL,
    data         BLOB NOT NULL,
    PRIMARY KEY (doc_id, hash)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS quarantined_docs (
    doc_id       TEXT NOT NULL,
    site         TEXT NOT NULL,
    moved_at     INTEGER NOT NULL,
    data         BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS supervisors (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    name         TEXT NOT NULL UNIQUE,
    password_phc TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    disabled_at  INTEGER
);
CREATE TABLE IF NOT EXISTS supervisor_sites (
    name         TEXT NOT NULL REFERENCES supervisors(name),
    site         TEXT NOT NULL REFERENCES sites(id),
    PRIMARY KEY (name, site)
);
CREATE TABLE IF NOT EXISTS sessions (
    token_sha256 TEXT PRIMARY KEY NOT NULL,
    supervisor   TEXT NOT NULL REFERENCES supervisors(name),
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS change_receipts (
    doc_id        TEXT NOT NULL,
    change_hash   TEXT NOT NULL,
    received_at   INTEGER NOT NULL,
    by_device     INTEGER,
    by_supervisor TEXT,
    PRIMARY KEY (doc_id, change_hash)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS blobs (
    sha256     TEXT PRIMARY KEY NOT NULL,
    size       INTEGER NOT NULL,
    data       BLOB NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS site_blobs (
    site          TEXT NOT NULL REFERENCES sites(id),
    sha256        TEXT NOT NULL REFERENCES blobs(sha256),
    size          INTEGER NOT NULL,
    media_type    TEXT NOT NULL,
    doc_id        TEXT NOT NULL,
    by_device     INTEGER,
    by_supervisor TEXT,
    created_at    INTEGER NOT NULL,
    PRIMARY KEY (site, sha256)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS site_blobs_by_uploader
    ON site_blobs (by_device, by_supervisor, created_at);
";

// A site's documents (`shiftbook_model::site_documents`) are registered
// with their purpose as their kind.
/// Kind of a site's roster document (a site document, see
/// [`crate::ownership`]).
pub const KIND_ROSTER: &str = shiftbook_model::roster::PURPOSE;
/// Kind of a site's checklist templates document.
pub const KIND_TEMPLATES: &str = shiftbook_model::templates::PURPOSE;
/// Kind of a site's settings document.
pub const KIND_SETTINGS: &str = shiftbook_model::settings::PURPOSE;
/// Kind of a site's show-flat inventory (item lists) document.
pub const KIND_INVENTORY: &str = shiftbook_model::show_flat::INVENTORY_PURPOSE;
/// Kind of a site's hand-over equipment lists document.
pub const KIND_HANDOVER_EQUIPMENT: &str = shiftbook_model::handover::equipment_lists::PURPOSE;
/// The purpose string the roster's id is derived from:
/// `DocumentId::derive(&site_key, ROSTER_PURPOSE)`.
pub const ROSTER_PURPOSE: &str = shiftbook_model::roster::PURPOSE;

/// Why a database operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite reported an error.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The data directory could not be created.
    #[error("cannot create data directory {path}: {source}")]
    CreateDir {
        /// The directory.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The database was written by a newer version of the server.
    #[error("database schema version {0} is newer than this server understands ({SCHEMA_VERSION})")]
    SchemaTooNew(i64),
    /// No randomness for a key or token.
    #[error(transparent)]
    Random(#[from] RandomError),
    /// A site id must be 1–64 characters of ASCII letters, digits, `-` or `_`.
    #[error("invalid site id {0:?}: use 1–64 ASCII letters, digits, '-' or '_'")]
    BadSiteId(String),
    /// A device or site display name must be 1–64 printable characters.
    #[error("invalid name {0:?}: use 1–64 printable characters")]
    BadName(String),
    /// Another live device already has this name.
    #[error("a device named {0:?} is already enrolled (revoke it first)")]
    DeviceNameTaken(String),
    /// No live device has this name.
    #[error("no enrolled (non-revoked) device is named {0:?}")]
    NoSuchDevice(String),
    /// A stored site key is not 64 hex digits.
    #[error("site {0:?} has a corrupt site key in the database")]
    CorruptSiteKey(String),
    /// A supervisor with this name exists already.
    #[error("a supervisor named {0:?} exists already")]
    SupervisorNameTaken(String),
    /// A supervisor needs at least one site.
    #[error("a supervisor needs at least one --site")]
    NoSites,
    /// A stored owner row says something this server does not know.
    #[error("document {0} has a corrupt owner row")]
    CorruptOwner(String),
    /// The blocking task running a query died.
    #[error("database task failed: {0}")]
    Task(String),
}

/// A site (one property, 物业项目).
#[derive(Debug, Clone)]
pub struct Site {
    /// Short id used in commands and documents, e.g. `demo`.
    pub id: String,
    /// Display name, e.g. 演示物业 · 世纪花园.
    pub name: String,
    /// The secret from which the site's document ids are derived.
    pub key: SiteKey,
}

/// An enrolled device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    /// Database id.
    pub id: i64,
    /// The site it belongs to.
    pub site: String,
    /// Its unique name, e.g. 大堂平板1.
    pub name: String,
}

/// A live device that presented a valid token, with its site.
#[derive(Debug, Clone)]
pub struct AuthedDevice {
    /// The device.
    pub device: Device,
    /// Its site.
    pub site: Site,
}

/// The result of enrolling a device.
#[derive(Debug)]
pub struct Enrolment {
    /// The site, created or found.
    pub site: Site,
    /// Whether the site was created by this enrolment.
    pub site_created: bool,
    /// The new device.
    pub device: Device,
    /// Its token; the only copy there will ever be.
    pub token: DeviceToken,
}

/// A supervisor with a live session, and the sites it supervises.
#[derive(Debug, Clone)]
pub struct SupervisorSession {
    /// The supervisor's user name.
    pub name: String,
    /// Its sites, ordered by id.
    pub sites: Vec<Site>,
    /// When the session ends by itself (ms since the epoch).
    pub expires_at: i64,
}

/// The result of adding a supervisor.
#[derive(Debug)]
pub struct NewSupervisor {
    /// The user name.
    pub name: String,
    /// Its sites, in the order given.
    pub sites: Vec<Site>,
    /// Ids of the sites created for it.
    pub created_sites: Vec<String>,
}

/// A handle on the database, cheap to clone.
#[derive(Clone)]
pub struct Store {
    conn: Arc<Mutex<Connection>>,
    path: PathBuf,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// Check a site id.
pub fn validate_site_id(id: &str) -> Result<(), StoreError> {
    let ok = (1..=64).contains(&id.len())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(StoreError::BadSiteId(id.chars().take(80).collect()))
    }
}

/// Check and trim a display name.
pub fn validate_name(name: &str) -> Result<String, StoreError> {
    let trimmed = name.trim();
    let n = trimmed.chars().count();
    if (1..=64).contains(&n) && !trimmed.chars().any(char::is_control) {
        Ok(trimmed.to_owned())
    } else {
        Err(StoreError::BadName(name.chars().take(80).collect()))
    }
}

impl Store {
    /// Open (creating if needed) the database in `data_dir`.
    pub fn open(data_dir: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(data_dir).map_err(|source| StoreError::CreateDir {
            path: data_dir.to_owned(),
            source,
        })?;
        let path = data_dir.join(DB_FILE);
        let conn = Connection::open(&path)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        let _mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
        // FULL: a commit is on disk (the WAL fsynced) before it returns;
        // see ARCHITECTURE "acknowledged means durable".
        conn.execute_batch(
            "PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL; PRAGMA cache_size=-1024;",
        )?;
        let mut conn = conn;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version > SCHEMA_VERSION {
            return Err(StoreError::SchemaTooNew(version));
        }
        tx.execute_batch(SCHEMA)?;
        upgrade_to_v4(&tx)?;
        tx.execute_batch(&format!("PRAGMA user_version = {SCHEMA_VERSION}"))?;
        register_all_site_documents(&tx)?;
        tx.commit()?;
        Ok(Self {
            conn: Arc::new(Mutex::new(conn)),
            path,
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave SQLite inconsistent:
        // an open transaction rolls back when dropped. Carry on.
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Run blocking database work on tokio's blocking pool.
    pub async fn call<R, F>(&self, f: F) -> Result<R, StoreError>
    where
        R: Send + 'static,
        F: FnOnce(&Store) -> Result<R, StoreError> + Send + 'static,
    {
        let store = self.clone();
        tokio::task::spawn_blocking(move || f(&store))
            .await
            .map_err(|e| StoreError::Task(e.to_string()))?
    }

    /// Whether the database answers.
    pub fn ping(&self) -> Result<(), StoreError> {
        let _: i64 = self.lock().query_row("SELECT 1", [], |r| r.get(0))?;
        Ok(())
    }

    /// The site `id`, if it exists.
    pub fn site(&self, id: &str) -> Result<Option<Site>, StoreError> {
        let row: Option<(String, String, String)> = self
            .lock()
            .query_row(
                "SELECT id, name, site_key_hex FROM sites WHERE id = ?1",
                params![id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        row.map(site_from_row).transpose()
    }

    /// Enrol a new device `device_name` at `site_id`. If the site does not
    /// exist it is created with a fresh random key and the display name
    /// `new_site_name`. Atomic: either both exist afterwards or neither.
    pub fn enroll(
        &self,
        site_id: &str,
        new_site_name: &str,
        device_name: &str,
    ) -> Result<Enrolment, StoreError> {
        validate_site_id(site_id)?;
        let new_site_name = validate_name(new_site_name)?;
        let device_name = validate_name(device_name)?;
        let token = DeviceToken::generate()?;
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let now = now_ms();
        let (site, site_created) = ensure_site(&tx, site_id, new_site_name, now)?;
        let taken: Option<i64> = tx
            .query_row(
                "SELECT id FROM devices WHERE name = ?1 AND revoked_at IS NULL",
                params![device_name],
                |r| r.get(0),
            )
            .optional()?;
        if taken.is_some() {
            return Err(StoreError::DeviceNameTaken(device_name));
        }
        tx.execute(
            "INSERT INTO devices (site, name, token_sha256, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![site.id, device_name, token.digest().as_hex(), now],
        )?;
        let id = tx.last_insert_rowid();
        tx.commit()?;
        Ok(Enrolment {
            device: Device {
                id,
                site: site.id.clone(),
                name: device_name,
            },
            site,
            site_created,
            token,
        })
    }

    /// Revoke the live device named `name`; its token stops working at once.
    pub fn revoke(&self, name: &str) -> Result<Device, StoreError> {
        let name = validate_name(name)?;
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let device: Option<(i64, String)> = tx
            .query_row(
                "SELECT id, site FROM devices WHERE name = ?1 AND revoked_at IS NULL",
                params![name],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((id, site)) = device else {
            return Err(StoreError::NoSuchDevice(name));
        };
        tx.execute(
            "UPDATE devices SET revoked_at = ?1 WHERE id = ?2",
            params![now_ms(), id],
        )?;
        tx.commit()?;
        Ok(Device { id, site, name })
    }

    /// The live device whose token hashes to `digest`, with its site.
    pub fn authenticate(&self, digest: &TokenDigest) -> Result<Option<AuthedDevice>, StoreError> {
        let row: Option<(i64, String, String, String, String)> = self
            .lock()
            .query_row(
                "SELECT d.id, d.name, s.id, s.name, s.site_key_hex
                 FROM devices d JOIN sites s ON s.id = d.site
                 WHERE d.token_sha256 = ?1 AND d.revoked_at IS NULL",
                params![digest.as_hex()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()?;
        let Some((device_id, device_name, site_id, site_name, key_hex)) = row else {
            return Ok(None);
        };
        let site = site_from_row((site_id, site_name, key_hex))?;
        Ok(Some(AuthedDevice {
            device: Device {
                id: device_id,
                site: site.id.clone(),
                name: device_name,
            },
            site,
        }))
    }

    /// Which of `device_ids` are still live (exist and are not revoked).
    pub fn live_devices(&self, device_ids: &[i64]) -> Result<HashSet<i64>, StoreError> {
        let conn = self.lock();
        let mut stmt =
            conn.prepare_cached("SELECT 1 FROM devices WHERE id = ?1 AND revoked_at IS NULL")?;
        let mut live = HashSet::new();
        for id in device_ids {
            if stmt.exists(params![id])? {
                live.insert(*id);
            }
        }
        Ok(live)
    }

    /// The site that owns document `doc`, if any.
    pub fn doc_owner(&self, doc: &DocumentId) -> Result<Option<String>, StoreError> {
        Ok(self.owner(doc)?.map(|o| o.site))
    }

    /// Whose document `doc` is, if anyone's (see [`crate::ownership`]).
    pub fn owner(&self, doc: &DocumentId) -> Result<Option<Owner>, StoreError> {
        owner_of(&self.lock(), doc)
    }

    /// Add supervisor `name` with the argon2id hash `password_phc` (see
    /// [`crate::password::hash`]) for `sites`, creating missing sites like
    /// [`Store::enroll`] does. Atomic.
    pub fn add_supervisor(
        &self,
        name: &str,
        password_phc: &str,
        sites: &[String],
    ) -> Result<NewSupervisor, StoreError> {
        let name = validate_name(name)?;
        if sites.is_empty() {
            return Err(StoreError::NoSites);
        }
        for site in sites {
            validate_site_id(site)?;
        }
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let now = now_ms();
        let taken: Option<i64> = tx
            .query_row(
                "SELECT id FROM supervisors WHERE name = ?1",
                params![name],
                |r| r.get(0),
            )
            .optional()?;
        if taken.is_some() {
            return Err(StoreError::SupervisorNameTaken(name));
        }
        tx.execute(
            "INSERT INTO supervisors (name, password_phc, created_at) VALUES (?1, ?2, ?3)",
            params![name, password_phc, now],
        )?;
        let mut out = NewSupervisor {
            name: name.clone(),
            sites: Vec::new(),
            created_sites: Vec::new(),
        };
        for site_id in sites {
            let (site, created) = ensure_site(&tx, site_id, site_id.clone(), now)?;
            tx.execute(
                "INSERT OR IGNORE INTO supervisor_sites (name, site) VALUES (?1, ?2)",
                params![name, site.id],
            )?;
            if created {
                out.created_sites.push(site.id.clone());
            }
            out.sites.push(site);
        }
        tx.commit()?;
        Ok(out)
    }

    /// The password hash of the enabled supervisor `name`, if there is one.
    pub fn supervisor_password(&self, name: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .lock()
            .query_row(
                "SELECT password_phc FROM supervisors WHERE name = ?1 AND disabled_at IS NULL",
                params![name],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Start a session for supervisor `name` under the cookie digest
    /// `digest`, ending by itself at `expires_at`. Drops expired sessions.
    pub fn create_session(
        &self,
        name: &str,
        digest: &TokenDigest,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        let conn = self.lock();
        let now = now_ms();
        conn.execute("DELETE FROM sessions WHERE expires_at <= ?1", params![now])?;
        conn.execute(
            "INSERT INTO sessions (token_sha256, supervisor, created_at, expires_at)
             VALUES (?1, ?2, ?3, ?4)",
            params![digest.as_hex(), name, now, expires_at],
        )?;
        Ok(())
    }

    /// The supervisor behind a live (unexpired, not logged out, supervisor
    /// not disabled) session, with its sites.
    pub fn session(&self, digest: &TokenDigest) -> Result<Option<SupervisorSession>, StoreError> {
        let conn = self.lock();
        let row: Option<(String, i64)> = conn
            .query_row(
                "SELECT s.supervisor, s.expires_at FROM sessions s
                 JOIN supervisors v ON v.name = s.supervisor
                 WHERE s.token_sha256 = ?1 AND s.expires_at > ?2 AND v.disabled_at IS NULL",
                params![digest.as_hex(), now_ms()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((name, expires_at)) = row else {
            return Ok(None);
        };
        let sites = supervisor_sites(&conn, &name)?;
        Ok(Some(SupervisorSession {
            name,
            sites,
            expires_at,
        }))
    }

    /// End the session `digest`; whether there was one.
    pub fn end_session(&self, digest: &TokenDigest) -> Result<bool, StoreError> {
        Ok(self.lock().execute(
            "DELETE FROM sessions WHERE token_sha256 = ?1",
            params![digest.as_hex()],
        )? > 0)
    }

    /// Which of the session digests (hex) are still live.
    pub fn live_sessions(&self, digests: &[String]) -> Result<HashSet<String>, StoreError> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(
            "SELECT 1 FROM sessions s JOIN supervisors v ON v.name = s.supervisor
             WHERE s.token_sha256 = ?1 AND s.expires_at > ?2 AND v.disabled_at IS NULL",
        )?;
        let now = now_ms();
        let mut live = HashSet::new();
        for d in digests {
            if stmt.exists(params![d, now])? {
                live.insert(d.clone());
            }
        }
        Ok(live)
    }

    /// Every recorded change of `doc`: change hash (hex) → when the server
    /// first held it and who uploaded it.
    pub fn receipts(&self, doc: &DocumentId) -> Result<BTreeMap<String, Receipt>, StoreError> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(
            "SELECT r.change_hash, r.received_at, d.name, r.by_supervisor
             FROM change_receipts r LEFT JOIN devices d ON d.id = r.by_device
             WHERE r.doc_id = ?1",
        )?;
        let rows = stmt
            .query_map(params![doc.to_string()], |r| {
                let device: Option<String> = r.get(2)?;
                let supervisor: Option<String> = r.get(3)?;
                let by = match (device, supervisor) {
                    (Some(name), _) => Some(Uploader::Device { id: 0, name }.device_label()),
                    (None, Some(name)) => Some(Uploader::Supervisor { name }.device_label()),
                    (None, None) => None,
                };
                Ok((r.get(0)?, Receipt { at: r.get(1)?, by }))
            })?
            .collect::<Result<BTreeMap<String, Receipt>, _>>()?;
        Ok(rows)
    }
}

/// When the server first held a change, and whose connection uploaded it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    /// Server time, ms since the Unix epoch.
    pub at: i64,
    /// The uploader as the device name its changes are attributed to
    /// ([`Uploader::device_label`]); `None` for changes received before
    /// uploaders were recorded.
    pub by: Option<String>,
}

/// Whose document `doc` is, on an open connection.
pub fn owner_of(conn: &Connection, doc: &DocumentId) -> Result<Option<Owner>, StoreError> {
    let row: Option<(String, String, Option<String>)> = conn
        .prepare_cached("SELECT site, how, kind FROM documents WHERE doc_id = ?1")?
        .query_row(params![doc.to_string()], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    row.map(|(site, how, kind)| {
        let how = OwnerHow::parse(&how).ok_or_else(|| StoreError::CorruptOwner(doc.to_string()))?;
        Ok(Owner { site, how, kind })
    })
    .transpose()
}

/// Move a version-3 database's ownership tables into `documents`: the
/// server's site documents first (they win), then every claim, which
/// version 3 made on the first *mention* of an id and version 4 counts as
/// an upload (a claim without content is dropped when the legacy document
/// directory is imported, see [`crate::doc_store::import_legacy`]); and
/// give receipts their uploader columns.
fn upgrade_to_v4(conn: &Connection) -> Result<(), StoreError> {
    if table_exists(conn, "site_documents")? {
        conn.execute_batch(
            "INSERT INTO documents (doc_id, site, how, kind, created_at)
                 SELECT doc_id, site, 'site', kind, 0 FROM site_documents WHERE true
                 ON CONFLICT(doc_id) DO UPDATE SET site = excluded.site, how = 'site', kind = excluded.kind;
             DROP TABLE site_documents;",
        )?;
    }
    if table_exists(conn, "doc_owner")? {
        conn.execute_batch(
            "INSERT OR IGNORE INTO documents (doc_id, site, how, by_device, created_at)
                 SELECT doc_id, site, 'uploaded', first_device, claimed_at FROM doc_owner;
             DROP TABLE doc_owner;",
        )?;
    }
    let columns: Vec<String> = conn
        .prepare("SELECT name FROM pragma_table_info('change_receipts')")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    for (column, ty) in [("by_device", "INTEGER"), ("by_supervisor", "TEXT")] {
        if !columns.iter().any(|c| c == column) {
            conn.execute_batch(&format!(
                "ALTER TABLE change_receipts ADD COLUMN {column} {ty}"
            ))?;
        }
    }
    Ok(())
}

fn table_exists(conn: &Connection, name: &str) -> Result<bool, StoreError> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1")?
        .exists(params![name])?)
}

/// The sites of supervisor `name`, ordered by id.
fn supervisor_sites(conn: &Connection, name: &str) -> Result<Vec<Site>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT s.id, s.name, s.site_key_hex FROM supervisor_sites v
         JOIN sites s ON s.id = v.site WHERE v.name = ?1 ORDER BY s.id",
    )?;
    let rows = stmt
        .query_map(params![name], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<Vec<(String, String, String)>, _>>()?;
    rows.into_iter().map(site_from_row).collect()
}

/// The site `site_id`, created with a fresh key and display name `name`
/// (and its site documents registered) if absent; whether it was created.
fn ensure_site(
    conn: &Connection,
    site_id: &str,
    name: String,
    now: i64,
) -> Result<(Site, bool), StoreError> {
    let existing: Option<(String, String, String)> = conn
        .query_row(
            "SELECT id, name, site_key_hex FROM sites WHERE id = ?1",
            params![site_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    if let Some(row) = existing {
        return Ok((site_from_row(row)?, false));
    }
    let key = SiteKey::from_random(random_bytes::<32>()?);
    conn.execute(
        "INSERT INTO sites (id, name, site_key_hex, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![site_id, name, key.to_hex(), now],
    )?;
    let site = Site {
        id: site_id.to_owned(),
        name,
        key,
    };
    register_site_documents(conn, &site)?;
    Ok((site, true))
}

/// Register every one of `site`'s documents
/// ([`shiftbook_model::site_documents`]) as its own, each with its purpose
/// as its kind (a row
/// another site somehow holds is left alone: only the owner site's key
/// derives these ids).
fn register_site_documents(conn: &Connection, site: &Site) -> Result<(), StoreError> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO documents (doc_id, site, how, kind, purpose, created_at)
         VALUES (?1, ?2, 'site', ?3, ?4, ?5)
         ON CONFLICT(doc_id) DO UPDATE SET how = 'site', kind = excluded.kind,
             purpose = excluded.purpose
         WHERE documents.site = excluded.site
             AND (documents.how != 'site' OR documents.purpose IS NULL)",
    )?;
    let now = now_ms();
    for (purpose, doc) in site_documents(&site.key) {
        stmt.execute(params![doc.to_string(), site.id, purpose, purpose, now])?;
    }
    Ok(())
}

/// Register the site documents of every site (sites made before a kind
/// of site document existed get theirs on the next start).
fn register_all_site_documents(conn: &Connection) -> Result<(), StoreError> {
    let rows = conn
        .prepare("SELECT id, name, site_key_hex FROM sites")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<Vec<(String, String, String)>, _>>()?;
    for row in rows {
        register_site_documents(conn, &site_from_row(row)?)?;
    }
    Ok(())
}

fn site_from_row((id, name, key_hex): (String, String, String)) -> Result<Site, StoreError> {
    let key = SiteKey::from_hex(&key_hex).map_err(|_| StoreError::CorruptSiteKey(id.clone()))?;
    Ok(Site { id, name, key })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        (dir, store)
    }

    #[test]
    fn enrolling_creates_the_site_once_and_authenticates_the_token() {
        let (_dir, store) = store();
        let e1 = store.enroll("demo", "demo", "大堂平板1").unwrap();
        assert!(e1.site_created);
        assert_eq!(e1.site.name, "demo");
        let e2 = store.enroll("demo", "ignored", "大堂平板2").unwrap();
        assert!(!e2.site_created);
        assert_eq!(e2.site.key, e1.site.key, "the site key is drawn once");

        let who = store.authenticate(&e1.token.digest()).unwrap().unwrap();
        assert_eq!(who.device, e1.device);
        assert_eq!(who.site.id, "demo");
        assert!(
            store
                .authenticate(&TokenDigest::of("nope"))
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn tokens_are_stored_only_as_digests() {
        let (dir, store) = store();
        let e = store.enroll("demo", "demo", "t1").unwrap();
        drop(store);
        let raw = std::fs::read(dir.path().join(DB_FILE)).unwrap();
        let wal = std::fs::read(dir.path().join(format!("{DB_FILE}-wal"))).unwrap_or_default();
        let needle = e.token.reveal().as_bytes();
        for bytes in [raw, wal] {
            assert!(!bytes.windows(needle.len()).any(|w| w == needle));
        }
    }

    #[test]
    fn names_are_unique_among_live_devices_and_reusable_after_revocation() {
        let (_dir, store) = store();
        let first = store.enroll("a", "a", "tablet").unwrap();
        assert!(matches!(
            store.enroll("b", "b", "tablet"),
            Err(StoreError::DeviceNameTaken(_))
        ));
        let revoked = store.revoke("tablet").unwrap();
        assert_eq!(revoked.id, first.device.id);
        assert!(store.authenticate(&first.token.digest()).unwrap().is_none());
        assert!(matches!(
            store.revoke("tablet"),
            Err(StoreError::NoSuchDevice(_))
        ));
        let again = store.enroll("a", "a", "tablet").unwrap();
        assert_eq!(
            store
                .live_devices(&[first.device.id, again.device.id])
                .unwrap(),
            HashSet::from([again.device.id])
        );
    }

    #[test]
    fn bad_ids_and_names_are_refused() {
        let (_dir, store) = store();
        assert!(matches!(
            store.enroll("no spaces", "x", "t"),
            Err(StoreError::BadSiteId(_))
        ));
        assert!(matches!(
            store.enroll("ok", "x", "  "),
            Err(StoreError::BadName(_))
        ));
        assert!(matches!(
            store.enroll("ok", "x", "a\nb"),
            Err(StoreError::BadName(_))
        ));
        assert!(store.site("ok").unwrap().is_none(), "nothing half-created");
    }

    #[test]
    fn a_second_handle_sees_revocations_at_once() {
        let (dir, store) = store();
        let e = store.enroll("a", "a", "t").unwrap();
        let other = Store::open(dir.path()).unwrap();
        assert!(other.authenticate(&e.token.digest()).unwrap().is_some());
        store.revoke("t").unwrap();
        assert!(other.authenticate(&e.token.digest()).unwrap().is_none());
    }

    #[test]
    fn a_new_site_owns_its_roster_settings_and_templates_from_the_start() {
        let (_dir, store) = store();
        let e = store.enroll("a", "a", "ta").unwrap();
        let roster = DocumentId::derive(&e.site.key, ROSTER_PURPOSE);
        let settings = shiftbook_model::settings::document_id(&e.site.key);
        let templates = shiftbook_model::templates::document_id(&e.site.key);
        let inventory = shiftbook_model::show_flat::inventory_document_id(&e.site.key);
        let equipment = shiftbook_model::handover::equipment_lists::document_id(&e.site.key);
        for (doc, kind) in [
            (roster, KIND_ROSTER),
            (settings, KIND_SETTINGS),
            (templates, KIND_TEMPLATES),
            (inventory, KIND_INVENTORY),
            (equipment, KIND_HANDOVER_EQUIPMENT),
        ] {
            assert_eq!(
                store.owner(&doc).unwrap(),
                Some(Owner {
                    site: "a".into(),
                    how: OwnerHow::Site,
                    kind: Some(kind.to_owned())
                })
            );
        }
    }

    #[test]
    fn a_version_3_database_is_upgraded_with_its_owners_and_receipts() {
        let dir = tempfile::tempdir().unwrap();
        let key = SiteKey::from_random([4; 32]);
        let roster = DocumentId::derive(&key, ROSTER_PURPOSE);
        let claimed = DocumentId::from_random([5; 16]);
        {
            let conn = Connection::open(dir.path().join(DB_FILE)).unwrap();
            conn.execute_batch(&format!(
                "CREATE TABLE sites (id TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL,
                     site_key_hex TEXT NOT NULL, created_at INTEGER NOT NULL);
                 CREATE TABLE devices (id INTEGER PRIMARY KEY AUTOINCREMENT, site TEXT NOT NULL,
                     name TEXT NOT NULL, token_sha256 TEXT NOT NULL UNIQUE,
                     created_at INTEGER NOT NULL, revoked_at INTEGER);
                 CREATE TABLE doc_owner (doc_id TEXT PRIMARY KEY NOT NULL, site TEXT NOT NULL,
                     first_device INTEGER NOT NULL, claimed_at INTEGER NOT NULL);
                 CREATE TABLE site_documents (doc_id TEXT PRIMARY KEY NOT NULL,
                     site TEXT NOT NULL, kind TEXT NOT NULL);
                 CREATE TABLE change_receipts (doc_id TEXT NOT NULL, change_hash TEXT NOT NULL,
                     received_at INTEGER NOT NULL, PRIMARY KEY (doc_id, change_hash)) WITHOUT ROWID;
                 INSERT INTO sites VALUES ('a', 'A', '{key}', 1);
                 INSERT INTO devices VALUES (1, 'a', 't1', 'digest', 1, NULL);
                 INSERT INTO site_documents VALUES ('{roster}', 'a', 'roster');
                 INSERT INTO doc_owner VALUES ('{claimed}', 'a', 1, 7);
                 INSERT INTO change_receipts VALUES ('{claimed}', '{hash}', 9);
                 PRAGMA user_version = 3;",
                key = key.to_hex(),
                hash = "ab".repeat(32),
            ))
            .unwrap();
        }
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(
            store.owner(&roster).unwrap(),
            Some(Owner {
                site: "a".into(),
                how: OwnerHow::Site,
                kind: Some(KIND_ROSTER.into())
            })
        );
        assert_eq!(
            store.owner(&claimed).unwrap(),
            Some(Owner {
                site: "a".into(),
                how: OwnerHow::Uploaded,
                kind: None
            })
        );
        // Site documents the version-3 server did not know are registered.
        let settings = shiftbook_model::settings::document_id(&key);
        assert_eq!(store.doc_owner(&settings).unwrap().as_deref(), Some("a"));
        assert_eq!(
            store.receipts(&claimed).unwrap(),
            BTreeMap::from([("ab".repeat(32), Receipt { at: 9, by: None })])
        );
        let conn = store.lock();
        assert!(!table_exists(&conn, "doc_owner").unwrap());
        assert!(!table_exists(&conn, "site_documents").unwrap());
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, SCHEMA_VERSION);
    }

    #[test]
    fn a_newer_database_is_refused() {
        let (dir, store) = store();
        store
            .lock()
            .execute_batch(&format!("PRAGMA user_version = {}", SCHEMA_VERSION + 1))
            .unwrap();
        drop(store);
        assert!(matches!(
            Store::open(dir.path()),
            Err(StoreError::SchemaTooNew(v)) if v == SCHEMA_VERSION + 1
        ));
    }

    #[test]
    fn supervisors_are_stored_with_their_sites_and_sessions_hashed() {
        let (dir, store) = store();
        store.enroll("a", "Site A", "ta").unwrap();
        let phc = crate::password::hash("secret-pass").unwrap();
        let added = store
            .add_supervisor("zhang", &phc, &["a".into(), "new".into()])
            .unwrap();
        assert_eq!(added.created_sites, ["new"]);
        let new_key = added.sites[1].key.clone();
        for (purpose, doc) in site_documents(&new_key) {
            assert!(
                store.owner(&doc).unwrap().is_some(),
                "created sites get their {purpose} registered"
            );
        }
        assert!(matches!(
            store.add_supervisor("zhang", &phc, &["a".into()]),
            Err(StoreError::SupervisorNameTaken(_))
        ));
        assert!(matches!(
            store.add_supervisor("li", &phc, &[]),
            Err(StoreError::NoSites)
        ));
        assert_eq!(store.supervisor_password("zhang").unwrap(), Some(phc));
        assert_eq!(store.supervisor_password("nobody").unwrap(), None);

        let cookie = "a-session-cookie-value";
        let digest = TokenDigest::of(cookie);
        store
            .create_session("zhang", &digest, now_ms() + 60_000)
            .unwrap();
        let session = store.session(&digest).unwrap().unwrap();
        assert_eq!(session.name, "zhang");
        let ids: Vec<&str> = session.sites.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["a", "new"]);
        assert_eq!(
            store
                .live_sessions(&[digest.as_hex().to_owned(), "x".into()])
                .unwrap(),
            HashSet::from([digest.as_hex().to_owned()])
        );
        // Expired sessions do not authenticate.
        let old = TokenDigest::of("old");
        store.create_session("zhang", &old, now_ms() - 1).unwrap();
        assert!(store.session(&old).unwrap().is_none());
        // Logout ends it for every handle at once.
        let other = Store::open(dir.path()).unwrap();
        assert!(store.end_session(&digest).unwrap());
        assert!(other.session(&digest).unwrap().is_none());
        assert!(!store.end_session(&digest).unwrap());
        drop((store, other));
        let raw = std::fs::read(dir.path().join(DB_FILE)).unwrap();
        let wal = std::fs::read(dir.path().join(format!("{DB_FILE}-wal"))).unwrap_or_default();
        for bytes in [raw, wal] {
            for needle in [cookie.as_bytes(), b"secret-pass"] {
                assert!(!bytes.windows(needle.len()).any(|w| w == needle));
            }
        }
    }
}
