//! Open indexes: a small per-site document that says which monthly boards
//! still hold open records, so a tablet loads the current month's board
//! and only those older ones (`months_to_load`).
//!
//! ```text
//! ROOT
//! ├── schema  "<the family's index schema>"
//! ├── site                                 ← written once, by genesis
//! └── open    { record id → "YYYY-MM" }    scalars only
//! ```
//!
//! Rules (the same as [`crate::followup`]'s index, written once here for
//! the families that came after it):
//!
//! * **Scalars only**: `open` maps an id to its board's month as a plain
//!   string, never a nested object, so concurrent writers can never hide
//!   each other's containers; concurrent puts of one id write the same
//!   month.
//! * **The board is the truth.** A family's writes change the board first
//!   and the index second, as two changes; views read only boards. A crash
//!   between the two, or a put concurrent with a delete (automerge keeps
//!   the put), leaves the index out of step until [`reconcile_edits`]
//!   repairs it from a board: every id the board shows open is put with
//!   the board's month, every id it shows closed is removed if the index
//!   points it at that month, and ids the board does not know are left
//!   alone (the board copy may not have synced yet).

use crate::ModelError;
use crate::attribution::Attribution;
use automerge::{Automerge, ChangeHash, ObjId, ObjType, ROOT, ReadDoc, ScalarValue, Value};
use autosurgeon::{Hydrate, Reconcile, hydrate_prop};
use std::collections::{BTreeMap, BTreeSet};

/// The fields an index's genesis writes.
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
struct Genesis {
    schema: String,
    site: String,
    open: BTreeMap<String, String>,
}

/// One edit of an index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Edit {
    /// Map the id to the month.
    Put(String, String),
    /// Remove the id.
    Delete(String),
}

/// The index's first change for `site`, identical on every device.
pub(crate) fn genesis(schema: &str, site: &str) -> Result<Automerge, ModelError> {
    crate::genesis::build(&Genesis {
        schema: schema.to_owned(),
        site: site.to_owned(),
        open: BTreeMap::new(),
    })
}

/// The index's `open` map, after checking the schema.
fn open_map(index: &Automerge, schema: &str) -> Result<ObjId, ModelError> {
    crate::genesis::expect_schema(index, schema)?;
    crate::genesis::container(index, "open", ObjType::Map)
}

/// The site the index belongs to, after checking the schema and `open`.
pub(crate) fn site(index: &Automerge, schema: &str) -> Result<String, ModelError> {
    open_map(index, schema)?;
    Ok(hydrate_prop(index, ROOT, "site")?)
}

/// The string values the index holds for `id` (several after concurrent
/// puts), and whether every value is a string.
fn values(index: &Automerge, open: &ObjId, id: &str) -> Result<(Vec<String>, bool), ModelError> {
    let all = index.get_all(open, id)?;
    let strings: Vec<String> = all
        .iter()
        .filter_map(|(v, _)| match v {
            Value::Scalar(s) => match s.as_ref() {
                ScalarValue::Str(s) => Some(s.to_string()),
                _ => None,
            },
            Value::Object(_) => None,
        })
        .collect();
    let only_strings = strings.len() == all.len();
    Ok((strings, only_strings))
}

/// The edit that makes `id` map to exactly `month`, if one is needed.
pub(crate) fn put_edit(
    index: &Automerge,
    schema: &str,
    id: &str,
    month: &str,
) -> Result<Option<Edit>, ModelError> {
    let open = open_map(index, schema)?;
    let (values, only_strings) = values(index, &open, id)?;
    let exact = !values.is_empty() && only_strings && values.iter().all(|v| v == month);
    Ok((!exact).then(|| Edit::Put(id.to_owned(), month.to_owned())))
}

/// The edit that removes `id`, if the index holds it.
pub(crate) fn delete_edit(
    index: &Automerge,
    schema: &str,
    id: &str,
) -> Result<Option<Edit>, ModelError> {
    let open = open_map(index, schema)?;
    Ok((index.get(&open, id)?.is_some()).then(|| Edit::Delete(id.to_owned())))
}

/// The edits that make the index agree with a board of `month` whose
/// records are `records` (id, open?): open ones put with `month`, closed
/// ones removed where the index points them at `month`.
pub(crate) fn reconcile_edits(
    index: &Automerge,
    schema: &str,
    month: &str,
    records: impl IntoIterator<Item = (String, bool)>,
) -> Result<Vec<Edit>, ModelError> {
    let open = open_map(index, schema)?;
    let mut edits = Vec::new();
    for (id, is_open) in records {
        if is_open {
            edits.extend(put_edit(index, schema, &id, month)?);
        } else if values(index, &open, &id)?.0.iter().any(|m| m == month) {
            edits.push(Edit::Delete(id));
        }
    }
    Ok(edits)
}

/// Apply `edits` to the index as one change by `by` summarised
/// `summary`; `None` when there are none.
pub(crate) fn apply(
    index: &mut Automerge,
    schema: &str,
    edits: &[Edit],
    summary: &str,
    by: &Attribution,
) -> Result<Option<ChangeHash>, ModelError> {
    if edits.is_empty() {
        return Ok(None);
    }
    let open = open_map(index, schema)?;
    let result = index.transact_with(
        |_| by.commit_options(summary),
        |tx| -> Result<(), ModelError> {
            for edit in edits {
                match edit {
                    Edit::Put(id, month) => automerge::transaction::Transactable::put(
                        tx,
                        &open,
                        id.as_str(),
                        month.as_str(),
                    )?,
                    Edit::Delete(id) => {
                        automerge::transaction::Transactable::delete(tx, &open, id.as_str())?;
                    }
                }
            }
            Ok(())
        },
    );
    match result {
        Ok(success) => success.hash.map(Some).ok_or(ModelError::EmptyChange),
        Err(failure) => Err(failure.error),
    }
}

/// Every (id, month) the index lists, sorted; an id with concurrent
/// different months is listed once per month. Values that are not months
/// are skipped: the index is only a hint of which boards to load.
pub(crate) fn entries(
    index: &Automerge,
    schema: &str,
) -> Result<Vec<(String, String)>, ModelError> {
    let open = open_map(index, schema)?;
    let mut out = BTreeSet::new();
    for id in index.keys(&open) {
        for month in values(index, &open, &id)?.0 {
            if crate::input::validate_month(&month).is_ok() {
                out.insert((id.clone(), month));
            }
        }
    }
    Ok(out.into_iter().collect())
}

/// The months whose boards a device loads to show every open record:
/// `current` and every month in the index, oldest first, each once.
pub(crate) fn months_to_load(
    index: &Automerge,
    schema: &str,
    current: &str,
) -> Result<Vec<String>, ModelError> {
    crate::input::validate_month(current)?;
    let mut months: BTreeSet<String> = entries(index, schema)?
        .into_iter()
        .map(|(_, month)| month)
        .collect();
    months.insert(current.to_owned());
    Ok(months.into_iter().collect())
}
