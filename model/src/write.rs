//! The two ways records are written into documents (ARCHITECTURE
//! invariant 1): appended to a list that genesis created, or put as a
//! *fresh* map under a key, so that concurrent writes of one key stay two
//! whole values (a visible conflict) instead of mixing fields — inside a
//! transaction ([`append`], [`put_fresh`]) or as a change of their own
//! ([`append_all`], [`put_fresh_change`]).

use crate::ModelError;
use automerge::transaction::{Transactable, Transaction};
use automerge::{ObjId, ObjType, ReadDoc};
use autosurgeon::Reconcile;

/// Append `value` as a new element at the end of `list`.
pub(crate) fn append<T: Reconcile>(
    tx: &mut Transaction<'_>,
    list: &ObjId,
    value: &T,
) -> Result<(), ModelError> {
    let len = tx.length(list);
    autosurgeon::reconcile_insert(tx, list.clone(), len, value)?;
    Ok(())
}

/// Put `value` at `map[key]` as a fresh map (never reusing the map a
/// concurrent writer may also be filling).
pub(crate) fn put_fresh<T: Reconcile>(
    tx: &mut Transaction<'_>,
    map: &ObjId,
    key: &str,
    value: &T,
) -> Result<(), ModelError> {
    tx.put_object(map, key, ObjType::Map)?;
    autosurgeon::reconcile_prop(tx, map, key, value)?;
    Ok(())
}

/// The hash of the change a `transact_with` of records committed; a
/// refusal inside the transaction is rolled back and returned as is.
pub(crate) fn commit(
    result: automerge::transaction::Result<(), ModelError>,
) -> Result<automerge::ChangeHash, ModelError> {
    match result {
        Ok(success) => success.hash.ok_or(ModelError::EmptyChange),
        Err(failure) => Err(failure.error),
    }
}

/// Put `value` at `map[key]` as a fresh map ([`put_fresh`]) in one change
/// of `doc` with `options`, and return the change's hash.
pub(crate) fn put_fresh_change<T: Reconcile>(
    doc: &mut automerge::Automerge,
    map: &ObjId,
    key: &str,
    value: &T,
    options: automerge::transaction::CommitOptions,
) -> Result<automerge::ChangeHash, ModelError> {
    commit(doc.transact_with(|_| options, |tx| put_fresh(tx, map, key, value)))
}

/// Append every one of `values` to `list` in one change of `doc` with
/// `options` (an attributed commit, [`crate::attribution::Attribution::commit_options`]),
/// and return the change's hash. Nothing is written when any value fails
/// or `values` is empty ([`ModelError::EmptyChange`]).
pub(crate) fn append_all<T: Reconcile>(
    doc: &mut automerge::Automerge,
    list: &ObjId,
    values: &[T],
    options: automerge::transaction::CommitOptions,
) -> Result<automerge::ChangeHash, ModelError> {
    if values.is_empty() {
        return Err(ModelError::EmptyChange);
    }
    commit(doc.transact_with(
        |_| options,
        |tx| -> Result<(), ModelError> {
            for value in values {
                append(tx, list, value)?;
            }
            Ok(())
        },
    ))
}
