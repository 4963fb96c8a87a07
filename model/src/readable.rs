//! Lists of records as far as this build can read them.
//!
//! Every build of the app in the field appends records (events, entries,
//! marks, counts, signatures) to the same documents. A newer build may
//! append one this build cannot read: a word its enums do not have yet (a
//! new event kind, a new state, a new signature meaning) or a shape it does
//! not know. Such a record is skipped where its list is read — never an
//! error for the whole document — so everything else in the document stays
//! readable and writable on the older tablet. The record itself is not
//! lost: it stays in the document, which syncs and is stored as automerge
//! changes whatever a build understood of them, and the next build reads
//! it. Nor is it hidden silently: [`unreadable_records`] counts what a
//! document holds out of this build's sight, and the app says so and asks
//! for the update.
//!
//! Only a record that fails to hydrate is skipped (an unexpected value or
//! a missing field, [`autosurgeon::HydrateError::Unexpected`]); automerge's
//! own errors are still errors. The roster is read person by person the
//! same way (someone with a role a newer build added cannot sign in on an
//! older one; everyone else can), and so are a site's templates and its
//! show flats' item lists, one by one (a stored template this build cannot
//! read hides the built-in of its id too, so an older desktop cannot
//! overwrite it). The template and item-list snapshots a round or a count
//! day starts with are JSON values: one a newer build wrote with words this
//! build does not know (a serde *data* error, not a syntax error) is left
//! out and counted, and the screen shows the site's current template or
//! list instead. The settings are plain integers under their own keys (a
//! key this build does not know is simply not read).

use crate::ModelError;
use automerge::{Automerge, ObjId, ObjType, ROOT, ReadDoc, Value, ValueRef};
use autosurgeon::{Hydrate, HydrateError};

/// Whether `error` means "written by a build that knows more", as opposed
/// to a failure of automerge itself.
fn from_newer_build(error: &HydrateError) -> bool {
    matches!(
        error,
        HydrateError::Unexpected(_) | HydrateError::ParseMapKey(_)
    )
}

/// A JSON snapshot as a `T`; `None` when a newer build wrote it (well
/// formed, but with a word or shape this build does not know). Malformed
/// JSON is `Corrupt`, named `what`.
pub(crate) fn json<T: serde::de::DeserializeOwned>(
    json: &str,
    what: &str,
) -> Result<Option<T>, ModelError> {
    match serde_json::from_str(json) {
        Ok(t) => Ok(Some(t)),
        Err(e) if e.classify() == serde_json::error::Category::Data => Ok(None),
        Err(e) => Err(ModelError::Corrupt(format!("{what}: {e}"))),
    }
}

/// How many JSON snapshots at the document's root under `key` a reader of
/// `T` leaves out (malformed ones are errors where they are read, not
/// counted here).
fn skipped_json<T: serde::de::DeserializeOwned>(
    doc: &Automerge,
    key: &str,
) -> Result<usize, ModelError> {
    let mut out = 0;
    for (value, _) in doc.get_all(ROOT, key)? {
        if let Value::Scalar(s) = value
            && let automerge::ScalarValue::Str(text) = s.as_ref()
            && matches!(json::<T>(text, key), Ok(None))
        {
            out += 1;
        }
    }
    Ok(out)
}

/// The whole version at `key` of a map of whole versions (a site's
/// templates, flat item lists, equipment lists: each write puts a fresh
/// map): `None` when there is none, `Some(None)` when this build cannot
/// read it; automerge's pick among concurrent versions.
pub(crate) fn version<T: Hydrate>(
    doc: &Automerge,
    versions: &ObjId,
    key: &str,
) -> Result<Option<Option<T>>, ModelError> {
    match doc.get(versions, key)? {
        Some((Value::Object(ObjType::Map), obj)) => Ok(Some(map(doc, &obj)?)),
        _ => Ok(None),
    }
}

/// Every key of a map of whole versions with its [`version`], by key.
pub(crate) fn all_versions<T: Hydrate>(
    doc: &Automerge,
    versions: &ObjId,
) -> Result<Vec<(String, Option<T>)>, ModelError> {
    let mut out = Vec::new();
    for key in doc.keys(versions) {
        if let Some(v) = version(doc, versions, &key)? {
            out.push((key, v));
        }
    }
    Ok(out)
}

/// The differing whole versions concurrent writes left at `key` (those
/// this build can read); empty when there is no conflict.
pub(crate) fn conflicting_versions<T: Hydrate + PartialEq>(
    doc: &Automerge,
    versions: &ObjId,
    key: &str,
) -> Result<Vec<T>, ModelError> {
    let mut values = Vec::new();
    for (value, obj) in doc.get_all(versions, key)? {
        if let Value::Object(ObjType::Map) = value
            && let Some(t) = map::<T>(doc, &obj)?
        {
            values.push(t);
        }
    }
    let differ = values.windows(2).any(|w| w[0] != w[1]);
    Ok(if differ { values } else { Vec::new() })
}

/// The map `obj` as a `T`; `None` when this build cannot read it.
pub(crate) fn map<T: Hydrate>(doc: &Automerge, obj: &ObjId) -> Result<Option<T>, ModelError> {
    match T::hydrate_map(doc, obj) {
        Ok(t) => Ok(Some(t)),
        Err(e) if from_newer_build(&e) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// [`map`], kept from an earlier read of this document when the caller
/// keeps records ([`crate::record_cache`]).
pub(crate) fn kept_map<T: Hydrate + Clone + 'static>(
    doc: &Automerge,
    obj: &ObjId,
) -> Result<Option<T>, ModelError> {
    crate::record_cache::record(doc, obj, || map::<T>(doc, obj))
}

/// Every map of `list` this build can read, with its id (the automerge id
/// of the map, the same on every replica), in list order. Elements that are
/// not maps, and maps this build cannot read, are left out.
pub(crate) fn maps<T: Hydrate + Clone + 'static>(
    doc: &Automerge,
    list: &ObjId,
) -> Result<Vec<(String, T)>, ModelError> {
    let mut out = Vec::new();
    for id in list_maps(doc, list) {
        if let Some(t) = kept_map::<T>(doc, &id)? {
            out.push((id.to_string(), t));
        }
    }
    Ok(out)
}

/// The maps of `list` whose text field `field` is `value`, as
/// [`maps`] reads them: only `field` is read of the others (a write that
/// needs one record of a busy list reads that one, not all).
pub(crate) fn maps_where<T: Hydrate + Clone + 'static>(
    doc: &Automerge,
    list: &ObjId,
    field: &str,
    value: &str,
) -> Result<Vec<(String, T)>, ModelError> {
    let mut out = Vec::new();
    for id in list_maps_where(doc, list, field, value)? {
        if let Some(t) = kept_map::<T>(doc, &id)? {
            out.push((id.to_string(), t));
        }
    }
    Ok(out)
}

/// The ids of the maps of `list` whose text field `field` is `value`, in
/// list order, reading only that field of each.
pub(crate) fn list_maps_where(
    doc: &Automerge,
    list: &ObjId,
    field: &str,
    value: &str,
) -> Result<Vec<ObjId>, ModelError> {
    let mut out = Vec::new();
    for id in list_maps(doc, list) {
        if matches!(
            doc.get(&id, field)?,
            Some((Value::Scalar(s), _)) if s.as_str() == Some(value)
        ) {
            out.push(id);
        }
    }
    Ok(out)
}

/// The ids of the maps of `list`, in list order, in one pass over the
/// list: looking each element up by its index costs a seek from the
/// list's start, which made reading a list quadratic in its length.
pub(crate) fn list_maps(doc: &Automerge, list: &ObjId) -> Vec<ObjId> {
    doc.list_range(list, ..)
        .filter(|item| matches!(item.value, ValueRef::Object(ObjType::Map)))
        .map(|item| item.id())
        .collect()
}

/// The list at the document's root under `key`; `Corrupt` when there is
/// none.
fn root_list(doc: &Automerge, key: &str) -> Result<ObjId, ModelError> {
    match doc.get(ROOT, key)? {
        Some((Value::Object(ObjType::List), id)) => Ok(id),
        _ => Err(ModelError::Corrupt(key.to_owned())),
    }
}

/// Every record of the root list `key` this build can read, in list order.
pub(crate) fn at_root<T: Hydrate + Clone + 'static>(
    doc: &Automerge,
    key: &str,
) -> Result<Vec<T>, ModelError> {
    Ok(maps(doc, &root_list(doc, key)?)?
        .into_iter()
        .map(|(_, t)| t)
        .collect())
}

/// How many maps of the root list `key` a reader of `T` leaves out (none
/// when the document has no such list).
pub(crate) fn skipped<T: Hydrate>(doc: &Automerge, key: &str) -> Result<usize, ModelError> {
    let Ok(list) = root_list(doc, key) else {
        return Ok(0);
    };
    let mut out = 0;
    for id in list_maps(doc, &list) {
        if map::<T>(doc, &id)?.is_none() {
            out += 1;
        }
    }
    Ok(out)
}

/// How many values of the root map `key` (automerge's pick for each key) a
/// reader of `T` leaves out (none when there is no such map).
pub(crate) fn skipped_in_map<T: Hydrate>(doc: &Automerge, key: &str) -> Result<usize, ModelError> {
    let Some((Value::Object(ObjType::Map), map_id)) = doc.get(ROOT, key)? else {
        return Ok(0);
    };
    Ok(all_versions::<T>(doc, &map_id)?
        .iter()
        .filter(|(_, v)| v.is_none())
        .count())
}

/// How many records of `doc` this build cannot read (and so leaves out of
/// every screen): 0 for a document written by this build or an older one,
/// and for kinds of document not read record by record.
pub fn unreadable_records(doc: &Automerge) -> Result<usize, ModelError> {
    use crate::handover::pending;
    use crate::{
        checklist, complaint, duty_log, followup, handover, key_register, owner_visit, roster,
        security_log, show_flat, signature, template, templates, visitor_log, work_permit,
    };
    let schema = crate::genesis::schema_of(doc)?;
    let records = match schema.as_str() {
        complaint::SCHEMA => skipped::<complaint::ComplaintEvent>(doc, "events")?,
        followup::SCHEMA => skipped::<followup::FollowUpEvent>(doc, "events")?,
        work_permit::SCHEMA => skipped::<work_permit::PermitEvent>(doc, "events")?,
        owner_visit::SCHEMA => skipped::<owner_visit::VisitEvent>(doc, "events")?,
        pending::SCHEMA => skipped::<pending::PendingEvent>(doc, "events")?,
        handover::SCHEMA => skipped::<handover::HandoverEvent>(doc, "events")?,
        security_log::SCHEMA => skipped::<security_log::SecurityEvent>(doc, "events")?,
        key_register::SCHEMA => skipped::<key_register::KeyEvent>(doc, "events")?,
        visitor_log::SCHEMA => skipped::<visitor_log::VisitEvent>(doc, "events")?,
        duty_log::SCHEMA => {
            skipped::<duty_log::Record>(doc, "entries")?
                + skipped::<duty_log::Amendment>(doc, "amendments")?
        }
        checklist::SCHEMA | checklist::SCHEMA_V2 => {
            skipped::<checklist::Mark>(doc, "log")?
                + skipped::<checklist::ProgressEvent>(doc, "progress")?
                + skipped_json::<template::Template>(doc, "template")?
        }
        show_flat::SCHEMA => {
            skipped_json::<show_flat::FlatItems>(doc, "flat_snapshot")?
                + skipped::<show_flat::Count>(doc, "log")?
                + skipped::<show_flat::VisitorEntry>(doc, "visitor_log")?
                + skipped::<show_flat::Feedback>(doc, "feedback")?
        }
        roster::SCHEMA => skipped_in_map::<roster::StaffMember>(doc, "staff")?,
        templates::SCHEMA => skipped_in_map::<template::Template>(doc, "templates")?,
        handover::equipment_lists::SCHEMA => {
            skipped_in_map::<handover::equipment_lists::EquipmentList>(doc, "lists")?
        }
        show_flat::INVENTORY_SCHEMA => skipped_in_map::<show_flat::FlatItems>(doc, "flats")?,
        _ => 0,
    };
    Ok(records + skipped::<signature::Signature>(doc, "signatures")?)
}

#[cfg(test)]
mod tests;
