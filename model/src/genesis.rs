//! Deterministic genesis: the first change of every shared document kind.
//!
//! Devices that open the same record offline must create byte-identical
//! first changes, so the containers they later edit are one set of objects
//! everywhere (two replicas that each created a nested object under the same
//! key would keep only one visible). [`build`] commits the root fields with
//! a fixed actor at time 0; [`expect_schema`] checks a document's kind.

use crate::ModelError;
use automerge::{ActorId, Automerge, ROOT, ReadDoc, transaction::CommitOptions};
use autosurgeon::Reconcile;

/// The actor of every genesis change (of every document kind). Never used
/// for anything else.
const GENESIS_ACTOR: &[u8] = b"shiftbook-genesis";

/// Whether `actor` is the fixed actor of genesis changes, which every
/// device makes identically and so are nobody's unsynced work.
pub fn is_genesis_actor(actor: &ActorId) -> bool {
    actor.to_bytes() == GENESIS_ACTOR
}

/// A new document whose only change writes `root` into ROOT: identical on
/// every device for equal `root`s. `root` must contain every nested
/// container the document will ever have at a fixed key.
pub fn build(root: &impl Reconcile) -> Result<Automerge, ModelError> {
    let mut doc = Automerge::new().with_actor(ActorId::from(GENESIS_ACTOR));
    doc.transact_with(
        |_| {
            CommitOptions::default()
                .with_message("genesis")
                .with_time(0)
        },
        |tx| autosurgeon::reconcile(tx, root),
    )
    .map_err(|f| f.error)?;
    Ok(doc)
}

/// The container `key` of ROOT, which must be a `kind` object (genesis
/// made it); `Corrupt(key)` otherwise.
pub fn container(
    doc: &Automerge,
    key: &str,
    kind: automerge::ObjType,
) -> Result<automerge::ObjId, ModelError> {
    match doc.get(ROOT, key)? {
        Some((automerge::Value::Object(found), id)) if found == kind => Ok(id),
        _ => Err(ModelError::Corrupt(key.to_owned())),
    }
}

/// The container `key` of a document of the kind tagged `schema`, which
/// must be a `kind` object: `WrongSchema` or `Corrupt(key)` otherwise.
pub fn schema_container(
    doc: &Automerge,
    schema: &str,
    key: &str,
    kind: automerge::ObjType,
) -> Result<automerge::ObjId, ModelError> {
    expect_schema(doc, schema)?;
    container(doc, key, kind)
}

/// The document's `schema` tag as text (empty when absent).
pub fn schema_of(doc: &Automerge) -> Result<String, ModelError> {
    Ok(match doc.get(ROOT, "schema")? {
        Some((automerge::Value::Scalar(s), _)) => match s.as_ref() {
            automerge::ScalarValue::Str(s) => s.to_string(),
            other => other.to_string(),
        },
        Some((automerge::Value::Object(_), _)) => "(an object)".to_owned(),
        None => String::new(),
    })
}

/// `Ok` when `doc` is of the kind tagged `schema`, else `WrongSchema`.
pub fn expect_schema(doc: &Automerge, schema: &str) -> Result<(), ModelError> {
    let found = schema_of(doc)?;
    if found == schema {
        Ok(())
    } else {
        Err(ModelError::WrongSchema(found))
    }
}
