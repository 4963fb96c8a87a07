//! The projector: one thread that keeps the projection up with the
//! documents. The writer tells it which documents it just put on disk
//! ([`Projector::written`], never blocking); it gathers what arrives in a
//! short while into a set — a burst of changes to one document, a tablet
//! catching up after a 12-hour shift, is projected once — loads each from
//! the database and projects it. On start it rebuilds the projection first
//! when it is not complete (new, or of another [`super::VERSION`]).

use super::{Projection, ProjectionError};
use crate::doc_store::DocStore;
use shiftbook_model::DocumentId;
use std::collections::BTreeSet;
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

/// How long the projector gathers notices after the first before it
/// projects them.
const GATHER: Duration = Duration::from_millis(100);

/// Documents projected in one go at most; the rest wait for the next.
const MAX_BATCH: usize = 256;

/// The writer's handle on the projector.
#[derive(Debug, Clone)]
pub struct Projector {
    tx: mpsc::Sender<DocumentId>,
}

impl Projector {
    /// `doc` was written: project it soon. A projector that stopped is
    /// ignored (the next start's rebuild or projection catches up).
    pub fn written(&self, doc: DocumentId) {
        let _ = self.tx.send(doc);
    }
}

/// Start the projector on the database in `data_dir`.
pub fn start(data_dir: &Path) -> Result<(Projector, std::thread::JoinHandle<()>), ProjectionError> {
    let store = DocStore::open(data_dir)?;
    let projection = Projection::open(data_dir)?;
    let (tx, rx) = mpsc::channel();
    let handle = std::thread::Builder::new()
        .name("projector".into())
        .spawn(move || run(store, projection, &rx))
        .map_err(ProjectionError::Thread)?;
    Ok((Projector { tx }, handle))
}

fn run(store: DocStore, mut projection: Projection, rx: &mpsc::Receiver<DocumentId>) {
    match projection.is_complete() {
        Ok(true) => {}
        Ok(false) => match projection.rebuild(&store) {
            Ok(r) => tracing::info!(
                documents = r.documents,
                with_rows = r.with_rows,
                failed = r.failed,
                "projection rebuilt"
            ),
            Err(e) => {
                tracing::error!(error = %e, "rebuilding the projection failed; it stays incomplete")
            }
        },
        Err(e) => tracing::error!(error = %e, "cannot read the projection's state"),
    }
    loop {
        let Ok(first) = rx.recv() else { return };
        let mut dirty = BTreeSet::from([first]);
        let until = std::time::Instant::now() + GATHER;
        while dirty.len() < MAX_BATCH {
            let left = until.saturating_duration_since(std::time::Instant::now());
            match rx.recv_timeout(left) {
                Ok(doc) => {
                    dirty.insert(doc);
                }
                Err(mpsc::RecvTimeoutError::Timeout) => break,
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    project_all(&store, &mut projection, &dirty);
                    return;
                }
            }
        }
        project_all(&store, &mut projection, &dirty);
    }
}

/// Project `docs` as stored now; a failure is logged and leaves that
/// document's rows as they were (the next write of it tries again).
pub fn project_all(store: &DocStore, projection: &mut Projection, docs: &BTreeSet<DocumentId>) {
    for doc in docs {
        let stored = match store.load(doc) {
            Ok(s) => s,
            Err(e) => {
                tracing::error!(doc = %doc, error = %e, "the projector cannot load a document");
                continue;
            }
        };
        let Some(owner) = stored.owner else { continue };
        if let Err(e) = projection.project(doc, &owner.site, &stored.doc) {
            tracing::error!(doc = %doc, error = %e, "projecting a document failed");
        }
    }
}
