//! The relational projection: every site's records as rows a supervisor's
//! figures are counted from, in their own SQLite file beside the documents
//! (`projection.sqlite3`).
//!
//! The documents stay the truth. A document's rows are always *all* of
//! what its current content says, written in one transaction with the
//! heads they were read at: projecting a document again at the same heads
//! does nothing, at new heads replaces its rows — so the projection is
//! idempotent, order does not matter, and catching up after a crash is
//! projecting again. [`VERSION`] names what the rows mean; a server that
//! finds another version drops the tables and rebuilds them from the
//! documents, as `sync-server reproject` does on demand.
//!
//! Its own file keeps its writes off the documents' write lock (a rebuild
//! never delays an acknowledgement), and it needs no `synchronous=FULL`:
//! what a crash loses is projected again on start.
//!
//! * `rounds`: a checklist document's rounds and current marks (pure).
//! * the site's templates document: its templates (built-ins included).
//! * `worker`: the thread that projects documents as they are written.

mod rounds;
pub mod worker;

pub use rounds::{MarkRow, RoundRows, local, round_rows};

use crate::doc_store::DocStore;
use automerge::{Automerge, ReadDoc};
use rusqlite::{Connection, OptionalExtension, params};
use shiftbook_model::DocumentId;
use shiftbook_model::checklist;
use shiftbook_model::round_figures::{ProjectedRound, RoundState};
use shiftbook_model::template::{Template, builtins};
use shiftbook_model::templates::{self, SiteTemplates};
use std::path::Path;

/// The projection's file in the data directory.
pub const FILE: &str = "projection.sqlite3";

/// What the rows mean; a different stored version is rebuilt.
pub const VERSION: i64 = 1;

/// The sites' wall clock, minutes east of UTC: device clocks (milliseconds
/// since the epoch) become the local times the paper forms use. Every
/// site runs on China's time today.
pub const UTC_OFFSET_MIN: i32 = 480;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS proj_meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS proj_docs (
    doc_id TEXT PRIMARY KEY NOT NULL,
    site   TEXT NOT NULL,
    schema TEXT NOT NULL,
    heads  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS proj_rounds (
    doc_id      TEXT NOT NULL,
    slot        TEXT NOT NULL,
    site        TEXT NOT NULL,
    template_id TEXT NOT NULL,
    title       TEXT NOT NULL,
    post        TEXT NOT NULL,
    date        TEXT NOT NULL,
    due         TEXT,
    started     TEXT,
    started_by  TEXT,
    finished    TEXT,
    finished_by TEXT,
    items       INTEGER NOT NULL,
    marked      INTEGER NOT NULL,
    abnormal    INTEGER NOT NULL,
    state       TEXT NOT NULL,
    PRIMARY KEY (doc_id, slot)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS proj_rounds_site_date ON proj_rounds (site, date);
CREATE TABLE IF NOT EXISTS proj_templates (
    doc_id      TEXT NOT NULL,
    site        TEXT NOT NULL,
    position    INTEGER NOT NULL,
    template_id TEXT NOT NULL,
    json        TEXT NOT NULL,
    PRIMARY KEY (doc_id, position)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS proj_templates_site ON proj_templates (site);
CREATE TABLE IF NOT EXISTS proj_marks (
    doc_id    TEXT NOT NULL,
    slot      TEXT NOT NULL,
    item      TEXT NOT NULL,
    n         INTEGER NOT NULL,
    status    TEXT NOT NULL,
    note      TEXT NOT NULL,
    by_name   TEXT NOT NULL,
    person_id TEXT NOT NULL,
    device    TEXT NOT NULL,
    at        TEXT NOT NULL,
    PRIMARY KEY (doc_id, slot, item, n)
) WITHOUT ROWID;
";

/// The tables, newest first when dropped.
const TABLES: [&str; 5] = [
    "proj_templates",
    "proj_marks",
    "proj_rounds",
    "proj_docs",
    "proj_meta",
];

/// The tables of rows (all but the bookkeeping), each with its order.
const ROW_TABLES: [(&str, &str); 3] = [
    ("proj_rounds", "doc_id, slot"),
    ("proj_marks", "doc_id, slot, item, n"),
    ("proj_templates", "doc_id, position"),
];

/// Why projecting failed.
#[derive(Debug, thiserror::Error)]
pub enum ProjectionError {
    /// SQLite failed.
    #[error("projection database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The documents could not be read.
    #[error(transparent)]
    Documents(#[from] crate::doc_store::DocStoreError),
    /// A row could not be encoded.
    #[error("cannot encode a projected row: {0}")]
    Encode(String),
    /// The projector's thread could not start.
    #[error("cannot start the projector: {0}")]
    Thread(std::io::Error),
}

/// What projecting one document did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Projected {
    /// Its rows were written anew.
    Replaced,
    /// It was projected at these heads already.
    Unchanged,
    /// It was projected from newer content already (a rebuild read it
    /// before the projector got a later write): nothing changed.
    Older,
    /// Not a kind the projection has rows for (yet), or content the
    /// model refuses; recorded, so it is not read again at these heads.
    NoRows,
}

/// What a rebuild did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rebuilt {
    /// Documents read.
    pub documents: usize,
    /// Of them, with rows.
    pub with_rows: usize,
    /// Documents that could not be loaded (logged; the rest goes on).
    pub failed: usize,
}

/// A connection to the projection.
#[derive(Debug)]
pub struct Projection {
    conn: Connection,
}

impl Projection {
    /// Open (or create) the projection in `data_dir`. Tables of another
    /// [`VERSION`] are dropped: [`Self::is_complete`] is then false until
    /// [`Self::rebuild`] ran.
    pub fn open(data_dir: &Path) -> Result<Self, ProjectionError> {
        let conn = Connection::open(data_dir.join(FILE))?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let _mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
        conn.execute_batch("PRAGMA synchronous=NORMAL;")?;
        conn.execute_batch(SCHEMA)?;
        let stored = meta(&conn, "version")?;
        if stored.as_deref() != Some(&VERSION.to_string()) {
            if let Some(v) = stored {
                tracing::info!(stored = %v, now = VERSION, "the projection's rows changed meaning; rebuilding it");
            }
            for t in TABLES {
                conn.execute_batch(&format!("DROP TABLE IF EXISTS {t};"))?;
            }
            conn.execute_batch(SCHEMA)?;
            conn.execute(
                "INSERT INTO proj_meta (key, value) VALUES ('version', ?1)",
                params![VERSION.to_string()],
            )?;
        }
        Ok(Self { conn })
    }

    /// Open the projection in `data_dir` to read it (what the dashboard
    /// does): no tables are made or dropped; a missing projection is an
    /// error.
    pub fn open_read(data_dir: &Path) -> Result<Self, ProjectionError> {
        let conn = Connection::open_with_flags(
            data_dir.join(FILE),
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        Ok(Self { conn })
    }

    /// Whether every stored document has been projected once (a rebuild
    /// finished since the tables were made).
    pub fn is_complete(&self) -> Result<bool, ProjectionError> {
        Ok(meta(&self.conn, "complete")?.as_deref() == Some("1"))
    }

    /// Project `doc`, owned by `site`, from its content.
    pub fn project(
        &mut self,
        doc: &DocumentId,
        site: &str,
        content: &Automerge,
    ) -> Result<Projected, ProjectionError> {
        let id = doc.to_string();
        let heads = heads_text(content);
        if self.heads_of(&id)?.as_deref() == Some(heads.as_str()) {
            return Ok(Projected::Unchanged);
        }
        let schema = shiftbook_model::genesis::schema_of(content).unwrap_or_default();
        let rows = rows_of(&id, &schema, content);
        // Immediate: nobody projects this document between the look at
        // its stored heads and the write.
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let known: Option<String> = tx
            .prepare_cached("SELECT heads FROM proj_docs WHERE doc_id = ?1")?
            .query_row(params![id], |r| r.get(0))
            .optional()?;
        if known.as_deref() == Some(heads.as_str()) {
            return Ok(Projected::Unchanged);
        }
        if known.is_some_and(|k| !contains_heads(content, &k)) {
            return Ok(Projected::Older);
        }
        for (table, _) in ROW_TABLES {
            tx.execute(
                &format!("DELETE FROM {table} WHERE doc_id = ?1"),
                params![id],
            )?;
        }
        let projected = match &rows {
            Some(Rows::Rounds(rows)) => {
                write_rounds(&tx, &id, site, rows)?;
                Projected::Replaced
            }
            Some(Rows::Templates(templates)) => {
                write_templates(&tx, &id, site, templates)?;
                Projected::Replaced
            }
            None => Projected::NoRows,
        };
        tx.execute(
            "INSERT INTO proj_docs (doc_id, site, schema, heads) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(doc_id) DO UPDATE SET site = excluded.site, schema = excluded.schema, heads = excluded.heads",
            params![id, site, schema, heads],
        )?;
        tx.commit()?;
        Ok(projected)
    }

    /// The heads `doc` was last projected at.
    fn heads_of(&self, id: &str) -> Result<Option<String>, rusqlite::Error> {
        self.conn
            .prepare_cached("SELECT heads FROM proj_docs WHERE doc_id = ?1")?
            .query_row(params![id], |r| r.get(0))
            .optional()
    }

    /// Throw every row away and project every stored document of `store`
    /// again; marks the projection complete.
    pub fn rebuild(&mut self, store: &DocStore) -> Result<Rebuilt, ProjectionError> {
        {
            let tx = self.conn.transaction()?;
            for (t, _) in ROW_TABLES {
                tx.execute_batch(&format!("DELETE FROM {t};"))?;
            }
            tx.execute_batch("DELETE FROM proj_docs;")?;
            tx.execute("DELETE FROM proj_meta WHERE key = 'complete'", [])?;
            tx.commit()?;
        }
        let mut report = Rebuilt::default();
        for (doc, site) in store.documents()? {
            report.documents += 1;
            match store.load(&doc) {
                Ok(stored) => {
                    if self.project(&doc, &site, &stored.doc)? == Projected::Replaced {
                        report.with_rows += 1;
                    }
                }
                Err(e) => {
                    report.failed += 1;
                    tracing::error!(doc = %doc, error = %e, "a document the projection cannot load");
                }
            }
        }
        self.conn.execute(
            "INSERT INTO proj_meta (key, value) VALUES ('complete', '1')
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [],
        )?;
        Ok(report)
    }

    /// The rounds of `site` with service dates in `[from, to]`
    /// (`YYYY-MM-DD`), by date, due time and slot.
    pub fn rounds(
        &self,
        site: &str,
        from: &str,
        to: &str,
    ) -> Result<Vec<ProjectedRound>, ProjectionError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT doc_id, slot, template_id, title, post, date, due, started, started_by,
                    finished, finished_by, items, marked, abnormal, state
               FROM proj_rounds WHERE site = ?1 AND date BETWEEN ?2 AND ?3
              ORDER BY date, due, slot, doc_id",
        )?;
        let rows = stmt
            .query_map(params![site, from, to], |r| {
                Ok(ProjectedRound {
                    doc_id: r.get(0)?,
                    slot: r.get(1)?,
                    template_id: r.get(2)?,
                    title: r.get(3)?,
                    post: r.get(4)?,
                    date: r.get(5)?,
                    due: r.get(6)?,
                    started: r.get(7)?,
                    started_by: r.get(8)?,
                    finished: r.get(9)?,
                    finished_by: r.get(10)?,
                    items: r.get(11)?,
                    marked: r.get(12)?,
                    abnormal: r.get(13)?,
                    state: {
                        let word: String = r.get(14)?;
                        RoundState::parse(&word).ok_or_else(|| {
                            rusqlite::Error::FromSqlConversionFailure(
                                14,
                                rusqlite::types::Type::Text,
                                format!("not a round state: {word}").into(),
                            )
                        })?
                    },
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// The templates of `site`: its templates document's, or the
    /// built-ins when none has been stored (as on a tablet).
    pub fn templates(&self, site: &str) -> Result<Vec<Template>, ProjectionError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT json FROM proj_templates WHERE site = ?1 ORDER BY doc_id, position",
        )?;
        let json = stmt
            .query_map(params![site], |r| r.get::<_, String>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        if json.is_empty() {
            return Ok(builtins());
        }
        Ok(json
            .iter()
            .filter_map(|j| serde_json::from_str::<Template>(j).ok())
            .collect())
    }

    /// Every row of every table but the bookkeeping, as text, sorted: two
    /// projections of the same documents print the same.
    pub fn dump(&self) -> Result<Vec<String>, ProjectionError> {
        let mut out = Vec::new();
        for (table, order) in ROW_TABLES.into_iter().chain([("proj_docs", "doc_id")]) {
            let mut stmt = self
                .conn
                .prepare(&format!("SELECT * FROM {table} ORDER BY {order}"))?;
            let columns = stmt.column_count();
            let rows = stmt
                .query_map([], |r| {
                    let mut line = table.to_owned();
                    for c in 0..columns {
                        let v: rusqlite::types::Value = r.get(c)?;
                        line.push_str(&format!(" | {v:?}"));
                    }
                    Ok(line)
                })?
                .collect::<Result<Vec<_>, _>>()?;
            out.extend(rows);
        }
        Ok(out)
    }
}

/// What a document becomes in the projection.
enum Rows {
    /// A checklist's rounds and marks.
    Rounds(RoundRows),
    /// A site's templates.
    Templates(Vec<Template>),
}

/// The rows of `content` (schema `schema`); `None` for a kind without
/// rows, or content the model cannot read (logged).
fn rows_of(id: &str, schema: &str, content: &Automerge) -> Option<Rows> {
    let rows = if schema == checklist::SCHEMA || schema == checklist::SCHEMA_V2 {
        round_rows(id, content, UTC_OFFSET_MIN).map(Rows::Rounds)
    } else if schema == templates::SCHEMA {
        let all = || -> Result<Vec<Template>, Box<shiftbook_model::ModelError>> {
            Ok(SiteTemplates::new(content)?.all()?)
        };
        all().map(Rows::Templates)
    } else {
        return None;
    };
    rows.map_err(
        |e| tracing::warn!(doc = %id, %schema, error = %e, "a document the projection cannot read"),
    )
    .ok()
}

fn write_templates(
    tx: &rusqlite::Transaction<'_>,
    id: &str,
    site: &str,
    templates: &[Template],
) -> Result<(), ProjectionError> {
    let mut insert = tx.prepare_cached(
        "INSERT INTO proj_templates (doc_id, site, position, template_id, json) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (n, t) in templates.iter().enumerate() {
        let json = serde_json::to_string(t).map_err(|e| ProjectionError::Encode(e.to_string()))?;
        insert.execute(params![id, site, n, t.id, json])?;
    }
    Ok(())
}

fn meta(conn: &Connection, key: &str) -> Result<Option<String>, rusqlite::Error> {
    conn.query_row(
        "SELECT value FROM proj_meta WHERE key = ?1",
        params![key],
        |r| r.get(0),
    )
    .optional()
}

/// Whether `content` holds every change of the heads `text` (written by
/// [`heads_text`]): it is the state those rows were read from or newer.
fn contains_heads(content: &Automerge, text: &str) -> bool {
    text.split(',').filter(|h| !h.is_empty()).all(|h| {
        h.parse::<automerge::ChangeHash>()
            .is_ok_and(|h| content.get_change_by_hash(&h).is_some())
    })
}

/// The heads of `content`, sorted, as one text.
fn heads_text(content: &Automerge) -> String {
    let mut heads: Vec<String> = content.get_heads().iter().map(|h| h.to_string()).collect();
    heads.sort();
    heads.join(",")
}

fn write_rounds(
    tx: &rusqlite::Transaction<'_>,
    id: &str,
    site: &str,
    rows: &RoundRows,
) -> Result<(), rusqlite::Error> {
    let mut round = tx.prepare_cached(
        "INSERT INTO proj_rounds (doc_id, slot, site, template_id, title, post, date, due,
            started, started_by, finished, finished_by, items, marked, abnormal, state)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
    )?;
    for r in &rows.rounds {
        round.execute(params![
            id,
            r.slot,
            site,
            r.template_id,
            r.title,
            r.post,
            r.date,
            r.due,
            r.started,
            r.started_by,
            r.finished,
            r.finished_by,
            r.items,
            r.marked,
            r.abnormal,
            r.state.as_str()
        ])?;
    }
    let mut mark = tx.prepare_cached(
        "INSERT INTO proj_marks (doc_id, slot, item, n, status, note, by_name, person_id, device, at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    let mut last: Option<(&str, &str)> = None;
    let mut n = 0_u32;
    for m in &rows.marks {
        let key = (m.slot.as_str(), m.item.as_str());
        n = if last == Some(key) { n + 1 } else { 0 };
        last = Some(key);
        mark.execute(params![
            id,
            m.slot,
            m.item,
            n,
            m.status.as_str(),
            m.note,
            m.by,
            m.person_id,
            m.device,
            m.at
        ])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
