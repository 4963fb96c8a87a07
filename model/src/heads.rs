//! Which of some change hashes (heads, confirmed changes) a document
//! holds. `get_missing_deps` looks them up in the change graph;
//! `get_change_by_hash` would rebuild each change from the document's
//! operations, and these questions are asked on every read, every badge
//! count and every storage write.

use automerge::{Automerge, ChangeHash, ReadDoc};

/// Those of `hashes` that `doc` does not hold, in their order.
pub fn absent(doc: &Automerge, hashes: &[ChangeHash]) -> Vec<ChangeHash> {
    let missing = doc.get_missing_deps(hashes);
    hashes
        .iter()
        .filter(|h| missing.contains(h))
        .copied()
        .collect()
}

/// Those of `hashes` that `doc` holds, in their order.
pub fn held(doc: &Automerge, hashes: &[ChangeHash]) -> Vec<ChangeHash> {
    let missing = doc.get_missing_deps(hashes);
    hashes
        .iter()
        .filter(|h| !missing.contains(h))
        .copied()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::transaction::Transactable;
    use automerge::{ActorId, ROOT};

    fn with_change(actor: u8) -> Automerge {
        let mut doc = Automerge::new();
        doc.set_actor(ActorId::from(vec![actor; 16]));
        doc.transact::<_, _, automerge::AutomergeError>(|tx| {
            tx.put(ROOT, "by", i64::from(actor))?;
            Ok(())
        })
        .unwrap();
        doc
    }

    #[test]
    fn a_document_holds_its_own_heads_and_not_another_documents() {
        let mine = with_change(1);
        let other = with_change(2);
        let both = [mine.get_heads(), other.get_heads()].concat();
        assert_eq!(held(&mine, &both), mine.get_heads());
        assert_eq!(absent(&mine, &both), other.get_heads());
        assert!(absent(&mine, &mine.get_heads()).is_empty());
        assert!(held(&mine, &[]).is_empty());
    }
}
