//! Stored automerge bytes — a saved document or changes, as a device's
//! storage keeps them in chunks — added to a document, counted against
//! the receive budget first ([`crate::client::RECEIVE_BUDGET`]): a chunk
//! claiming billions of rows, or change times automerge panics on, is
//! refused before automerge expands it, and so is one that is not
//! automerge at all (which `load_incremental` would skip without a word).

use crate::chunk_budget;
use crate::client::RECEIVE_BUDGET;
use automerge::Automerge;

/// Why stored bytes were refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unreadable stored bytes: {0}")]
pub struct BadBytes(pub String);

/// Add `bytes` to `doc`. Changes whose dependencies are not in `doc` yet
/// wait inside it until they are.
pub fn load_into(doc: &mut Automerge, bytes: &[u8]) -> Result<(), BadBytes> {
    chunk_budget::count(bytes, &RECEIVE_BUDGET).map_err(|e| BadBytes(e.to_string()))?;
    doc.load_incremental(bytes)
        .map(|_| ())
        .map_err(|e| BadBytes(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::ReadDoc as _;
    use automerge::transaction::Transactable as _;

    #[test]
    fn a_saved_document_and_later_changes_load_in_any_order() {
        let mut source = Automerge::new();
        let put = |doc: &mut Automerge, key: &str| {
            doc.transact::<_, _, automerge::AutomergeError>(|tx| {
                tx.put(automerge::ROOT, key, 1)?;
                Ok(())
            })
            .unwrap();
        };
        put(&mut source, "a");
        let saved = source.save();
        let base = source.get_heads();
        put(&mut source, "b");
        let added = source.save_after(&base);
        let mut doc = Automerge::new();
        load_into(&mut doc, &added).unwrap();
        assert!(doc.get_heads().is_empty(), "changes wait for their base");
        load_into(&mut doc, &saved).unwrap();
        assert_eq!(doc.get_heads(), source.get_heads());
        assert!(doc.get_missing_deps(&[]).is_empty());
    }

    #[test]
    fn a_stored_memory_bomb_is_refused_not_loaded() {
        // 951 bytes with valid checksums whose change metadata claims 242
        // trillion changes: automerge allocates beyond 4 GiB loading it
        // (in the browser: the app gone, on every start). Found by fuzzing.
        // Read at run time (not include_bytes!): a path outside the crate
        // is kept absolute in cargo's dep-info, so CI's build from a new
        // clone would rebuild this test binary every run.
        let path = std::path::Path::new(&std::env::var("CARGO_MANIFEST_DIR").unwrap())
            .join("../fuzz/crashes/doc-handover_pending/memory-bomb-242-trillion-changes.bin");
        let file = std::fs::read(path).unwrap();
        let mut doc = Automerge::new();
        let refused = load_into(&mut doc, &file[1..]);
        assert!(
            matches!(&refused, Err(BadBytes(why)) if why.contains("automerge data")),
            "{refused:?}"
        );
    }

    #[test]
    fn what_is_not_automerge_is_refused() {
        let mut doc = Automerge::new();
        assert!(load_into(&mut doc, b"not automerge").is_err());
        assert!(doc.get_heads().is_empty());
    }
}
