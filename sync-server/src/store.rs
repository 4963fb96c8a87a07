//! The server's SQLite database: sites, enrolled devices, supervisors,
//! which site owns each document, and when the server first held each
//! change.
//!
//! The database lives at `<data>/shiftbook.sqlite3` in WAL mode with a
//! busy timeout, so the `enroll` and `revoke` commands can write to it
//! while a server process reads it. Nothing here caches anything: every
//! question is asked of the database, which is what lets a revocation made
//! by another process take effect at once.
//!
//! ```text
//! sites     (id PRIMARY KEY, name, site_key_hex, created_at)
//! devices   (id PRIMARY KEY, site → sites, name, token_sha256 UNIQUE,
//!            created_at, revoked_at NULL while live)
//!            + unique index on name among live (non-revoked) devices
//! doc_owner (doc_id PRIMARY KEY, site → sites, first_device → devices,
//!            claimed_at)
//! site_documents   (doc_id PRIMARY KEY, site → sites, kind)
//!            documents the server registered for a site (its roster and
//!            settings): owned by that site from the start, never claimed
//! supervisors      (id, name UNIQUE, password_phc, created_at, disabled_at)
//! supervisor_sites (name → supervisors, site → sites)
//! sessions         (token_sha256 PRIMARY KEY, supervisor, created_at,
//!            expires_at): supervisors' login sessions, cookie hashed
//! change_receipts  (doc_id, change_hash, received_at,
//!            PRIMARY KEY (doc_id, change_hash)): when the server first held
//!            each change of each document (see [`crate::receipts`])
//! ```
//!
//! Passwords are stored only as argon2id PHC strings (see
//! [`crate::password`]), session cookies only as SHA-256.
//!
//! Times are milliseconds since the Unix epoch. Calls block; async code
//! goes through [`Store::call`], which runs them on tokio's blocking pool.

use crate::token::{DeviceToken, RandomError, TokenDigest, random_bytes};
use automerge::ChangeHash;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use shiftbook_model::{DocumentId, SiteKey};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// File name of the database inside the data directory.
pub const DB_FILE: &str = "shiftbook.sqlite3";

/// How long a writer waits for another process's lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The schema version this code writes (`PRAGMA user_version`). Every
/// table is created with `IF NOT EXISTS`, so older databases are upgraded
/// in place; a server older than the database refuses it. Version 3 added
/// `change_receipts`.
const SCHEMA_VERSION: i64 = 3;

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
CREATE TABLE IF NOT EXISTS doc_owner (
    doc_id       TEXT PRIMARY KEY NOT NULL,
    site         TEXT NOT NULL REFERENCES sites(id),
    first_device INTEGER NOT NULL REFERENCES devices(id),
    claimed_at   INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS site_documents (
    doc_id       TEXT PRIMARY KEY NOT NULL,
    site         TEXT NOT NULL REFERENCES sites(id),
    kind         TEXT NOT NULL
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
    doc_id       TEXT NOT NULL,
    change_hash  TEXT NOT NULL,
    received_at  INTEGER NOT NULL,
    PRIMARY KEY (doc_id, change_hash)
) WITHOUT ROWID;
";

/// Kind of a site's roster document (see [`site_documents`](Store::site_document)).
pub const KIND_ROSTER: &str = "roster";
/// Kind of a site's checklist templates document.
pub const KIND_TEMPLATES: &str = "templates";
/// Kind of a site's settings document.
pub const KIND_SETTINGS: &str = "settings";
/// Kind of a site's show-flat inventory (item lists) document.
pub const KIND_INVENTORY: &str = "inventory";
/// Kind of a site's hand-over equipment lists document.
pub const KIND_HANDOVER_EQUIPMENT: &str = "handover-equipment";
/// Site-document kinds only supervisors may change; devices read them.
pub const SUPERVISOR_ONLY_KINDS: [&str; 5] = [
    KIND_ROSTER,
    KIND_TEMPLATES,
    KIND_SETTINGS,
    KIND_INVENTORY,
    KIND_HANDOVER_EQUIPMENT,
];
/// The purpose string the roster's id is derived from:
/// `DocumentId::derive(&site_key, ROSTER_PURPOSE)`.
pub const ROSTER_PURPOSE: &str = shiftbook_model::roster::PURPOSE;
/// The purpose string the templates document's id is derived from.
pub const TEMPLATES_PURPOSE: &str = shiftbook_model::templates::PURPOSE;
/// The purpose string the settings document's id is derived from.
pub const SETTINGS_PURPOSE: &str = shiftbook_model::settings::PURPOSE;
/// Every document the server registers for each site: (purpose its id is
/// derived from, kind).
pub const SITE_DOCUMENTS: [(&str, &str); 5] = [
    (ROSTER_PURPOSE, KIND_ROSTER),
    (SETTINGS_PURPOSE, KIND_SETTINGS),
    (TEMPLATES_PURPOSE, KIND_TEMPLATES),
    (
        shiftbook_model::show_flat::INVENTORY_PURPOSE,
        KIND_INVENTORY,
    ),
    (
        shiftbook_model::handover::equipment_lists::PURPOSE,
        KIND_HANDOVER_EQUIPMENT,
    ),
];

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
        conn.execute_batch("PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;")?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version > SCHEMA_VERSION {
            return Err(StoreError::SchemaTooNew(version));
        }
        conn.execute_batch(SCHEMA)?;
        conn.execute_batch(&format!("PRAGMA user_version = {SCHEMA_VERSION}"))?;
        register_all_site_documents(&conn)?;
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

    /// The site that owns document `doc`, if any: the site it is
    /// registered for as a site document, else the site that claimed it.
    pub fn doc_owner(&self, doc: &DocumentId) -> Result<Option<String>, StoreError> {
        Ok(self.doc_info(doc)?.map(|(site, _kind)| site))
    }

    /// The owner of `doc` and, for a registered site document, its kind.
    pub fn doc_info(
        &self,
        doc: &DocumentId,
    ) -> Result<Option<(String, Option<String>)>, StoreError> {
        let conn = self.lock();
        let doc = doc.to_string();
        let registered: Option<(String, String)> = conn
            .query_row(
                "SELECT site, kind FROM site_documents WHERE doc_id = ?1",
                params![doc],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        if let Some((site, kind)) = registered {
            return Ok(Some((site, Some(kind))));
        }
        let claimed: Option<String> = conn
            .query_row(
                "SELECT site FROM doc_owner WHERE doc_id = ?1",
                params![doc],
                |r| r.get(0),
            )
            .optional()?;
        Ok(claimed.map(|site| (site, None)))
    }

    /// The registered site document `doc`: (site, kind).
    pub fn site_document(&self, doc: &DocumentId) -> Result<Option<(String, String)>, StoreError> {
        Ok(self
            .lock()
            .query_row(
                "SELECT site, kind FROM site_documents WHERE doc_id = ?1",
                params![doc.to_string()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    /// Claim `doc` for `site` (by `device_id`) unless it already has an
    /// owner; return the owner either way. Safe against concurrent claims:
    /// the first insert wins and everyone reads the winner.
    pub fn claim_doc(
        &self,
        doc: &DocumentId,
        site: &str,
        device_id: i64,
    ) -> Result<String, StoreError> {
        Ok(self.claim_doc_info(doc, site, device_id)?.0)
    }

    /// [`Store::claim_doc`], also telling the kind of a registered site
    /// document (which is never claimed: its site owns it from the start).
    pub fn claim_doc_info(
        &self,
        doc: &DocumentId,
        site: &str,
        device_id: i64,
    ) -> Result<(String, Option<String>), StoreError> {
        let conn = self.lock();
        let doc = doc.to_string();
        let registered: Option<(String, String)> = conn
            .query_row(
                "SELECT site, kind FROM site_documents WHERE doc_id = ?1",
                params![doc],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        if let Some((site, kind)) = registered {
            // Registered site documents are owned from the start.
            return Ok((site, Some(kind)));
        }
        conn.execute(
            "INSERT OR IGNORE INTO doc_owner (doc_id, site, first_device, claimed_at)
             VALUES (?1, ?2, ?3, ?4)",
            params![doc, site, device_id, now_ms()],
        )?;
        let owner: String = conn.query_row(
            "SELECT site FROM doc_owner WHERE doc_id = ?1",
            params![doc],
            |r| r.get(0),
        )?;
        Ok((owner, None))
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

    /// Record that the server held the changes `hashes` of `doc` at
    /// `received_at` (ms since the epoch), in one transaction. A change
    /// recorded before keeps its earlier time. Returns how many rows were
    /// new.
    pub fn record_receipts(
        &self,
        doc: &DocumentId,
        hashes: &[ChangeHash],
        received_at: i64,
    ) -> Result<usize, StoreError> {
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let doc = doc.to_string();
        let mut inserted = 0;
        {
            let mut stmt = tx.prepare_cached(
                "INSERT OR IGNORE INTO change_receipts (doc_id, change_hash, received_at)
                 VALUES (?1, ?2, ?3)",
            )?;
            for hash in hashes {
                inserted += stmt.execute(params![doc, hash.to_string(), received_at])?;
            }
        }
        tx.commit()?;
        Ok(inserted)
    }

    /// Every recorded change of `doc`: change hash (hex) → when the server
    /// first held it (ms since the epoch).
    pub fn receipts(&self, doc: &DocumentId) -> Result<BTreeMap<String, i64>, StoreError> {
        let conn = self.lock();
        let mut stmt = conn.prepare_cached(
            "SELECT change_hash, received_at FROM change_receipts WHERE doc_id = ?1",
        )?;
        let rows = stmt
            .query_map(params![doc.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<BTreeMap<String, i64>, _>>()?;
        Ok(rows)
    }
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

/// Register every one of `site`'s [`SITE_DOCUMENTS`] that is not yet.
fn register_site_documents(conn: &Connection, site: &Site) -> Result<(), StoreError> {
    let mut stmt = conn.prepare_cached(
        "INSERT OR IGNORE INTO site_documents (doc_id, site, kind) VALUES (?1, ?2, ?3)",
    )?;
    for (purpose, kind) in SITE_DOCUMENTS {
        let doc = DocumentId::derive(&site.key, purpose);
        stmt.execute(params![doc.to_string(), site.id, kind])?;
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
    fn the_first_claim_wins() {
        let (_dir, store) = store();
        let a = store.enroll("a", "a", "ta").unwrap();
        let b = store.enroll("b", "b", "tb").unwrap();
        let doc = DocumentId::from_random([3; 16]);
        assert_eq!(store.doc_owner(&doc).unwrap(), None);
        assert_eq!(store.claim_doc(&doc, "a", a.device.id).unwrap(), "a");
        assert_eq!(store.claim_doc(&doc, "b", b.device.id).unwrap(), "a");
        assert_eq!(store.doc_owner(&doc).unwrap().as_deref(), Some("a"));
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
                store.site_document(&doc).unwrap(),
                Some(("a".to_owned(), kind.to_owned()))
            );
        }
        let b = store.enroll("b", "b", "tb").unwrap();
        // Nobody claims them away, not even another site asking first.
        for doc in [roster, settings, templates, inventory, equipment] {
            assert_eq!(store.claim_doc(&doc, "b", b.device.id).unwrap(), "a");
            assert_eq!(store.doc_owner(&doc).unwrap().as_deref(), Some("a"));
        }
    }

    #[test]
    fn opening_an_older_database_registers_the_missing_site_documents() {
        let (dir, store) = store();
        let e = store.enroll("a", "a", "ta").unwrap();
        let settings = shiftbook_model::settings::document_id(&e.site.key);
        // A version-2 database: sites had only their roster registered,
        // and there was no receipts table.
        store
            .lock()
            .execute_batch(
                "DELETE FROM site_documents WHERE kind = 'settings';
                 DROP TABLE change_receipts;
                 PRAGMA user_version = 2;",
            )
            .unwrap();
        assert_eq!(store.site_document(&settings).unwrap(), None);
        drop(store);
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(
            store.site_document(&settings).unwrap(),
            Some(("a".to_owned(), KIND_SETTINGS.to_owned()))
        );
        assert!(store.receipts(&settings).unwrap().is_empty());
        let version: i64 = store
            .lock()
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
    fn a_receipt_keeps_the_first_time_and_survives_reopening() {
        let (dir, store) = store();
        let doc = DocumentId::from_random([7; 16]);
        let other = DocumentId::from_random([8; 16]);
        let (h1, h2) = (ChangeHash([1; 32]), ChangeHash([2; 32]));
        assert_eq!(store.record_receipts(&doc, &[h1], 1_000).unwrap(), 1);
        assert_eq!(store.record_receipts(&doc, &[h1, h2], 2_000).unwrap(), 1);
        assert_eq!(store.record_receipts(&other, &[h1], 3_000).unwrap(), 1);
        let expected = BTreeMap::from([(h1.to_string(), 1_000), (h2.to_string(), 2_000)]);
        assert_eq!(store.receipts(&doc).unwrap(), expected);
        drop(store);
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.receipts(&doc).unwrap(), expected);
        assert_eq!(
            store.receipts(&other).unwrap(),
            BTreeMap::from([(h1.to_string(), 3_000)])
        );
        assert!(
            store
                .receipts(&DocumentId::from_random([9; 16]))
                .unwrap()
                .is_empty()
        );
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
        for (purpose, _) in SITE_DOCUMENTS {
            assert!(
                store
                    .site_document(&DocumentId::derive(&new_key, purpose))
                    .unwrap()
                    .is_some(),
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
