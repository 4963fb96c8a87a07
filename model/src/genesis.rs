//! Deterministic genesis: the first change of every shared document kind.
//!
//! Devices that open the same record offline must create byte-identical
//! first changes, so the containers they later edit are one set of objects
//! everywhere (two replicas that each created a nested object under the same
//! key would keep only one visible). [`build`] commits the root fields with
//! a fixed actor at time 0; [`expect_schema`] checks a document's kind and
//! [`schema_container`] finds a container genesis made in it. Most kinds'
//! roots are a [`Root`]: the schema, the identity, empty containers.

use crate::ModelError;
use automerge::{ActorId, Automerge, ROOT, ReadDoc, transaction::CommitOptions};
use autosurgeon::reconcile::{MapReconciler, NoKey};
use autosurgeon::{Reconcile, Reconciler};
use std::collections::BTreeMap;

/// The actor of every genesis change (of every document kind) and of the
/// extensions that add a container to a kind later ([`extend`]). Never
/// used for anything else.
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

/// The changes that add `extensions` (containers a kind gained after its
/// first version, in the order they were added) to a document whose
/// genesis is `genesis`: one change each, by the genesis actor at time 0,
/// built on genesis alone. Identical on every device, like genesis itself:
/// two tablets that extend one document offline make the same changes,
/// and their merge has one container, not two competing ones.
pub(crate) fn extension_changes(
    genesis: &Automerge,
    extensions: &[(&str, Container)],
) -> Result<Vec<automerge::Change>, ModelError> {
    let mut base = genesis.clone();
    base.set_actor(ActorId::from(GENESIS_ACTOR));
    for (key, container) in extensions {
        base.transact_with(
            |_| {
                CommitOptions::default()
                    .with_message(format!("extend {key}"))
                    .with_time(0)
            },
            |tx| {
                use automerge::transaction::Transactable;
                tx.put_object(ROOT, *key, container.obj_type())
            },
        )
        .map_err(|f| f.error)?;
    }
    Ok(base.get_changes(&genesis.get_heads()))
}

/// Give `doc` (whose first change is `genesis`) the containers of
/// `extensions` it lacks, as [`extension_changes`]; nothing when it has
/// them. A document of another genesis is refused (`Corrupt`).
pub(crate) fn extend(
    doc: &mut Automerge,
    genesis: &Automerge,
    extensions: &[(&str, Container)],
) -> Result<(), ModelError> {
    let has_all = extensions
        .iter()
        .all(|(key, c)| container(doc, key, c.obj_type()).is_ok());
    if has_all {
        return Ok(());
    }
    if genesis
        .get_heads()
        .iter()
        .any(|h| doc.get_change_by_hash(h).is_none())
    {
        return Err(ModelError::Corrupt("genesis".to_owned()));
    }
    doc.apply_changes(extension_changes(genesis, extensions)?)?;
    Ok(())
}

/// An empty container a [`Root`] creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Container {
    /// A list (events, signatures, entries…).
    List,
    /// A map (an open index's `open`, a site's `templates`…).
    Map,
}

impl Container {
    fn obj_type(self) -> automerge::ObjType {
        match self {
            Container::List => automerge::ObjType::List,
            Container::Map => automerge::ObjType::Map,
        }
    }
}

/// A document root as most kinds' genesis writes it, in this order: the
/// `schema` tag, the identity as texts (`site`, `book`, `month`, `date`…),
/// then the empty containers later changes fill. Written exactly as a
/// struct with those fields in that order would be, so kinds that used
/// their own struct keep their first change byte for byte.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Root<'a> {
    /// The kind's schema tag.
    pub(crate) schema: &'a str,
    /// The identity fields, (key, text), in order.
    pub(crate) identity: &'a [(&'a str, &'a str)],
    /// The containers, (key, kind), in order.
    pub(crate) containers: &'a [(&'a str, Container)],
}

impl Reconcile for Root<'_> {
    type Key<'k> = NoKey;

    fn reconcile<R: Reconciler>(&self, mut reconciler: R) -> Result<(), R::Error> {
        let mut map = reconciler.map()?;
        map.put("schema", self.schema)?;
        for (key, value) in self.identity {
            map.put(key, value)?;
        }
        for (key, container) in self.containers {
            match container {
                Container::List => map.put(key, Vec::<String>::new())?,
                Container::Map => map.put(key, BTreeMap::<String, String>::new())?,
            }
        }
        Ok(())
    }
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

#[cfg(test)]
mod tests {
    use crate::{
        checklist, checkpoints, complaint, duty_log, followup, handover, key_register, owner_visit,
        roster, security_log, settings, show_flat, templates, visitor_log, work_permit,
    };

    /// The hash of the only change of `doc`.
    fn first_change(doc: &automerge::Automerge) -> String {
        let heads = doc.get_heads();
        assert_eq!(heads.len(), 1);
        assert_eq!(doc.get_changes(&[]).len(), 1, "genesis is one change");
        heads[0].to_string()
    }

    #[test]
    fn every_document_kind_keeps_the_first_change_it_always_had() {
        // Devices with documents made by earlier versions must keep making
        // the very same first change, or two roots would exist; these
        // hashes were taken before the schemas' genesis code was shared.
        let kinds = [
            (
                "checklist",
                checklist::genesis("demo", "lobby-opening", "2026-11-23"),
                "f2d294c65d3e14c234d67634857c324d938d2379d1f880c69cba35d32a67c09a",
            ),
            (
                "complaint board",
                complaint::genesis("demo", "2026-11"),
                "7d2b2023300bf7a923105cb3a6cc7226ac1578c6ac132e72b4cf2948100fdb7a",
            ),
            (
                "complaint index",
                complaint::index_genesis("demo"),
                "9657ad53394ab92035be4faea50cfb9668e4f3921b2dae43ae1613540acdeae5",
            ),
            (
                "duty log",
                duty_log::genesis("demo", "2026-11-23"),
                "49b212e8c788bf7a6e2aad1537ba72ab720442621acc34853eafb54b667066ab",
            ),
            (
                "follow-up board",
                followup::genesis("demo", "2026-11"),
                "115be018bc6998a0fc2dbf8edb1d75e3677a29f6c47e0ce38a386bafa4c4f7f1",
            ),
            (
                "follow-up index",
                followup::index_genesis("demo"),
                "7a18161708de6c2df8148097d4ddcdd5f83644b463d56ab3cbda47abe4fe6faa",
            ),
            (
                "hand-over day",
                handover::genesis("demo", "lobby", "2026-11-23"),
                "a32174abc925c086fae05ad04c3028589e340927bba7c0f8ed928b61c14b5c3d",
            ),
            (
                "pending board",
                handover::pending::genesis("demo", "lobby", "2026-11"),
                "e3a3f61502f0ca10ed2177c6dc2273b95159cb70cd451ce28687ca2b05f54e29",
            ),
            (
                "pending index",
                handover::pending::index_genesis("demo", "lobby"),
                "9007fb44fdb1f65fcec84ef465b6e2a03c45a34cae3db3565937c94e9bb91725",
            ),
            (
                "key register",
                key_register::genesis("demo"),
                "3943bcc82a0eefa6f3aae653856c073076e5017066aa9e4ae649d8723490ce70",
            ),
            (
                "owner visits",
                owner_visit::genesis("demo", "2026-11"),
                "2c8d8c032db0ff36e71354be77d5743ecae4770ef4441bc643e5f8619e6415a3",
            ),
            (
                "roster",
                roster::genesis("demo"),
                "c0c1e904eee2811c4a153f964d81979f9240a1c32a9fa793b4e25b96d3eab7ed",
            ),
            (
                "security log",
                security_log::genesis("demo", "2026-11-23"),
                "d1566f00ed76f2b02bf3d765a2ee2a7d66409279422e2beb20ce6fd2fbeabcb2",
            ),
            (
                "settings",
                settings::genesis("demo"),
                "88a548cc43dc161f8c87c561a746ec38a931d9824fabf27b83a7d91490839fb4",
            ),
            (
                "show-flat inventory",
                show_flat::inventory_genesis("demo"),
                "358ce200cdd1e091697b53b8c6aa0a6cbc502d0f1b685c7b3b186fc21efcc825",
            ),
            (
                "show-flat day",
                show_flat::genesis("demo", "flat-a", "2026-11-23"),
                "81fe3d3302174a1b6d1f0bfbdc01f6965d6044ccaaf40285d7422f12b86f80f0",
            ),
            (
                "checkpoints",
                checkpoints::genesis("demo"),
                "affcc3a860b90c30b6a4b081c89071dd8295d126794853b47791ca9d02e6a490",
            ),
            (
                "templates",
                templates::genesis("demo"),
                "cc03b8693c3184629f626a9232b1d0d8f147efa58a0e901f2a737bf897bb8008",
            ),
            (
                "visitor day",
                visitor_log::genesis("demo", "2026-11-23"),
                "e9945ce054df6b9b903034168fce9c2f6aac8ec650a70d462bdb4d0bca5b5ca5",
            ),
            (
                "visitor index",
                visitor_log::index_genesis("demo"),
                "e9ca3c5dd214bdb35b769e1e87ff57a321f6e23f1e6d21b7ab53996226c968f0",
            ),
            (
                "permit board",
                work_permit::genesis("demo", "2026-11"),
                "bd06bbe670cbf945b084b20b882a2ec9dd011ea2fc237db565f1494f5b1c1beb",
            ),
        ];
        for (kind, doc, hash) in kinds {
            assert_eq!(first_change(&doc.unwrap()), hash, "{kind}");
        }
    }

    #[test]
    fn an_extension_is_the_same_change_everywhere_and_made_once() {
        use super::{Container, extend, extension_changes};
        let first = checklist::genesis("demo", "lobby-opening", "2026-11-23").unwrap();
        let exts = [("scans", Container::List)];
        let changes = extension_changes(&first, &exts).unwrap();
        assert_eq!(changes.len(), 1);
        assert_eq!(
            changes[0].hash().to_string(),
            "958760e70585266b6d07e655d5112319f5ab8bd7aa68b1f02dbfe65fce805647",
            "devices of every build must make this very change"
        );
        let mut a = first.clone();
        a.set_actor(automerge::ActorId::from(vec![1; 16]));
        extend(&mut a, &first, &exts).unwrap();
        let heads = a.get_heads();
        extend(&mut a, &first, &exts).unwrap();
        assert_eq!(a.get_heads(), heads, "a second time adds nothing");
        assert_eq!(heads, vec![changes[0].hash()]);
        let other = checklist::genesis("demo", "lobby-opening", "2026-11-24").unwrap();
        let mut b = other.clone();
        assert!(
            extend(&mut b, &first, &exts).is_err(),
            "another day's genesis"
        );
    }
}
