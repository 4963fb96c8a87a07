//! An index of open records held as scalars: record id → the period (a
//! day `YYYY-MM-DD` or a month `YYYY-MM`) whose board document holds the
//! record, so a device knows which older boards to load to show every
//! record still open (a visitor still inside since yesterday).
//!
//! The index is a map created by its document's genesis and only ever
//! holds plain strings, never nested objects, so concurrent writers cannot
//! hide each other's containers (ARCHITECTURE invariant 1); concurrent
//! puts of one id leave several values, all read ([`values`]). The board is
//! the truth and the index only a hint: writers edit the board first, then
//! the index, and a reconcile repairs the index from a board. The same
//! scheme as [`crate::followup`]'s open index; new indexes use this module.

use crate::ModelError;
use crate::attribution::Attribution;
use automerge::transaction::Transactable;
use automerge::{Automerge, ChangeHash, ObjId, ReadDoc, ScalarValue, Value};
use std::collections::BTreeSet;

/// The string values the index holds for `id` (several after concurrent
/// puts).
pub(crate) fn values(index: &Automerge, map: &ObjId, id: &str) -> Result<Vec<String>, ModelError> {
    Ok(index
        .get_all(map, id)?
        .into_iter()
        .filter_map(|(v, _)| match v {
            Value::Scalar(s) => match s.as_ref() {
                ScalarValue::Str(s) => Some(s.to_string()),
                _ => None,
            },
            Value::Object(_) => None,
        })
        .collect())
}

/// One edit of the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Edit {
    /// Point `id` at a period.
    Put(String, String),
    /// Remove `id`.
    Delete(String),
}

/// The edit that makes `id` map to exactly `period`, if it does not yet.
pub(crate) fn put(
    index: &Automerge,
    map: &ObjId,
    id: &str,
    period: &str,
) -> Result<Option<Edit>, ModelError> {
    let strings = values(index, map, id)?;
    let exact = !strings.is_empty() && strings.iter().all(|v| v == period);
    let only_strings = index.get_all(map, id)?.len() == strings.len();
    Ok((!(exact && only_strings)).then(|| Edit::Put(id.to_owned(), period.to_owned())))
}

/// The edit that removes `id`, if the index holds it.
pub(crate) fn delete(index: &Automerge, map: &ObjId, id: &str) -> Result<Option<Edit>, ModelError> {
    Ok(index
        .get(map, id)?
        .is_some()
        .then(|| Edit::Delete(id.to_owned())))
}

/// Apply `edits` to the map as one change by `by`; `None` when there are
/// none.
pub(crate) fn apply(
    index: &mut Automerge,
    map: &ObjId,
    edits: &[Edit],
    summary: &str,
    by: &Attribution,
) -> Result<Option<ChangeHash>, ModelError> {
    if edits.is_empty() {
        return Ok(None);
    }
    crate::write::commit(index.transact_with(
        |_| by.commit_options(summary),
        |tx| -> Result<(), ModelError> {
            for edit in edits {
                match edit {
                    Edit::Put(id, period) => tx.put(map, id.as_str(), period.as_str())?,
                    Edit::Delete(id) => tx.delete(map, id.as_str())?,
                }
            }
            Ok(())
        },
    ))
    .map(Some)
}

/// Every (id, period) the map lists whose period `valid` accepts, sorted;
/// an id with concurrent different periods is listed once per period.
pub(crate) fn entries(
    index: &Automerge,
    map: &ObjId,
    valid: impl Fn(&str) -> bool,
) -> Result<Vec<(String, String)>, ModelError> {
    let mut out = BTreeSet::new();
    for id in index.keys(map) {
        for period in values(index, map, &id)? {
            if valid(&period) {
                out.insert((id.clone(), period));
            }
        }
    }
    Ok(out.into_iter().collect())
}
