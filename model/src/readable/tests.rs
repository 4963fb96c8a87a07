//! Every document read record by record reads around records a newer
//! build wrote, and counts them.

use super::unreadable_records;
use crate::handover::pending;
use crate::{
    ModelError, checklist, complaint, duty_log, followup, handover, key_register, owner_visit,
    security_log, show_flat, signature, visitor_log, work_permit,
};
use automerge::transaction::Transactable;
use automerge::{Automerge, ObjType, ROOT, ReadDoc, Value};

type Reader = fn(&Automerge) -> Result<usize, ModelError>;

/// Each kind of document with record lists: a fresh one, and its readers'
/// count of the records they return.
fn kinds() -> Vec<(&'static str, Automerge, Reader)> {
    vec![
        (
            "complaints",
            complaint::genesis("demo", "2026-11").unwrap(),
            |d| Ok(complaint::events(d)?.len()),
        ),
        (
            "follow-ups",
            followup::genesis("demo", "2026-11").unwrap(),
            |d| Ok(followup::events(d)?.len()),
        ),
        (
            "permits",
            work_permit::genesis("demo", "2026-11").unwrap(),
            |d| Ok(work_permit::events(d)?.len()),
        ),
        (
            "owner visits",
            owner_visit::genesis("demo", "2026-11").unwrap(),
            |d| Ok(owner_visit::events(d)?.len()),
        ),
        (
            "pending items",
            pending::genesis("demo", "lobby", "2026-11").unwrap(),
            |d| Ok(pending::events(d)?.len()),
        ),
        (
            "hand-over day",
            handover::genesis("demo", "lobby", "2026-11-23").unwrap(),
            |d| Ok(handover::events(d)?.len()),
        ),
        (
            "security log",
            security_log::genesis("demo", "2026-11-23").unwrap(),
            |d| Ok(security_log::events(d)?.len()),
        ),
        (
            "key register",
            key_register::genesis("demo").unwrap(),
            |d| Ok(key_register::KeyRegister::new(d)?.entries()?.len()),
        ),
        (
            "visitor day",
            visitor_log::genesis("demo", "2026-11-23").unwrap(),
            |d| Ok(visitor_log::VisitorDay::new(d)?.events()?.len()),
        ),
        (
            "duty log",
            duty_log::genesis("demo", "2026-11-23").unwrap(),
            |d| {
                let log = duty_log::DutyLog::new(d)?;
                Ok(log.records()?.len() + log.amendments()?.len())
            },
        ),
        (
            "checklist",
            checklist::genesis("demo", "lobby-opening", "2026-11-23").unwrap(),
            |d| {
                let c = checklist::Checklist::new(d)?;
                Ok(c.history()?.len() + c.progress_events()?.len())
            },
        ),
        (
            "show-flat day",
            show_flat::genesis("demo", "flat-a", "2026-11-23").unwrap(),
            |d| {
                let day = show_flat::ShowFlatDay::new(d)?;
                Ok(day.history()?.len() + day.visitor_log()?.len() + day.feedback()?.len())
            },
        ),
    ]
}

/// Append to every list at `doc`'s root a record no build of today can
/// read; how many lists took one.
fn append_everywhere(doc: &mut Automerge) -> usize {
    let lists: Vec<_> = doc
        .keys(ROOT)
        .filter_map(|key| match doc.get(ROOT, key.as_str()).unwrap() {
            Some((Value::Object(ObjType::List), id)) => Some(id),
            _ => None,
        })
        .collect();
    let mut tx = doc.transaction();
    for list in &lists {
        let at = tx.length(list);
        let record = tx.insert_object(list, at, ObjType::Map).unwrap();
        tx.put(&record, "written_by", "a newer build").unwrap();
        tx.put(&record, "kind", "a word from the future").unwrap();
    }
    tx.commit();
    lists.len()
}

#[test]
fn every_record_list_reads_around_a_record_it_cannot_read_and_counts_it() {
    for (kind, mut doc, read) in kinds() {
        assert_eq!(unreadable_records(&doc).unwrap(), 0, "{kind}: fresh");
        let lists = append_everywhere(&mut doc);
        assert!(lists >= 1, "{kind} has record lists");
        assert_eq!(
            unreadable_records(&doc).unwrap(),
            lists,
            "{kind}: one counted per list"
        );
        assert_eq!(read(&doc).unwrap(), 0, "{kind}: read, the record left out");
        if doc.get(ROOT, "signatures").unwrap().is_some() {
            assert!(signature::signatures(&doc).unwrap().is_empty(), "{kind}");
        }
    }
}

#[test]
fn documents_not_read_record_by_record_count_nothing() {
    let docs = [
        crate::roster::genesis("demo").unwrap(),
        crate::settings::genesis("demo").unwrap(),
        complaint::index_genesis("demo").unwrap(),
        Automerge::new(),
    ];
    for doc in docs {
        assert_eq!(unreadable_records(&doc).unwrap(), 0);
    }
}

/// Put under the root map `key` at `id` a map no build of today can read.
fn put_unreadable(doc: &mut Automerge, key: &str, id: &str) {
    let Some((Value::Object(ObjType::Map), map)) = doc.get(ROOT, key).unwrap() else {
        panic!("no map {key}");
    };
    let mut tx = doc.transaction();
    let record = tx.put_object(&map, id, ObjType::Map).unwrap();
    tx.put(&record, "written_by", "a newer build").unwrap();
    tx.put(&record, "schedule", "a word from the future")
        .unwrap();
    tx.commit();
}

#[test]
fn a_template_a_newer_build_saved_is_left_out_with_the_builtin_it_replaced() {
    use crate::template::{builtins, lobby_opening};
    use crate::templates::{self, SiteTemplates};
    let mut doc = templates::genesis("demo").unwrap();
    let mut own = lobby_opening();
    own.id = "garage-night".into();
    let by = crate::test_support::office_supervisor(1, 1);
    templates::put_template(&mut doc, &own, &by).unwrap();
    put_unreadable(&mut doc, "templates", "lobby-opening");
    put_unreadable(&mut doc, "templates", "quarterly-audit");
    assert_eq!(unreadable_records(&doc).unwrap(), 2);
    let view = SiteTemplates::new(&doc).unwrap();
    let ids: Vec<String> = view.all().unwrap().into_iter().map(|t| t.id).collect();
    assert!(ids.contains(&"garage-night".to_owned()), "{ids:?}");
    assert!(
        !ids.contains(&"lobby-opening".to_owned()),
        "not the built-in in the newer version's place: {ids:?}"
    );
    assert_eq!(ids.len(), builtins().len(), "{ids:?}");
    assert_eq!(view.get("lobby-opening").unwrap(), None);
    assert!(view.conflicts("lobby-opening").unwrap().is_empty());
}

#[test]
fn a_flat_list_a_newer_build_saved_is_left_out_and_the_others_read() {
    let mut doc = show_flat::inventory_genesis("demo").unwrap();
    let by = crate::test_support::office_supervisor(1, 1);
    let flat = show_flat::demo_flat();
    show_flat::put_flat(&mut doc, &flat, &by).unwrap();
    put_unreadable(&mut doc, "flats", "flat-b");
    assert_eq!(unreadable_records(&doc).unwrap(), 1);
    let view = show_flat::SiteInventory::new(&doc).unwrap();
    assert_eq!(view.flats().unwrap(), vec![flat.clone()]);
    assert_eq!(view.flat("flat-b").unwrap(), None);
    assert_eq!(view.flat(&flat.flat_id).unwrap(), Some(flat));
}

#[test]
fn an_equipment_list_a_newer_build_saved_shows_no_list_not_the_builtin() {
    use crate::handover::books;
    use crate::handover::equipment_lists::{self, SiteEquipment};
    let mut doc = equipment_lists::genesis("demo").unwrap();
    put_unreadable(&mut doc, "lists", "lobby");
    assert_eq!(unreadable_records(&doc).unwrap(), 1);
    let view = SiteEquipment::new(&doc).unwrap();
    assert!(view.apply(books::lobby()).unwrap().equipment.is_empty());
    let flat = books::builtin("show-flat").unwrap();
    assert_eq!(view.apply(flat.clone()).unwrap(), flat);
}

/// `doc`'s root `key` after a newer build wrote `json` there.
fn put_root_json(doc: &mut Automerge, key: &str, json: &str) {
    let mut tx = doc.transaction();
    tx.put(ROOT, key, json).unwrap();
    tx.commit();
}

fn root_text(doc: &Automerge, key: &str) -> String {
    match doc.get(ROOT, key).unwrap() {
        Some((Value::Scalar(s), _)) => s.as_str().unwrap_or_default().to_owned(),
        other => panic!("{key}: {other:?}"),
    }
}

#[test]
fn a_round_started_by_a_newer_build_is_walked_against_this_builds_template_and_its_snapshot_kept() {
    use crate::template::lobby_opening;
    let template = lobby_opening();
    let mut doc = checklist::genesis("demo", &template.id, "2026-11-23").unwrap();
    let mut newer = serde_json::to_value(&template).unwrap();
    newer["items"][0]["department"] = "a-department-from-the-future".into();
    let newer = newer.to_string();
    put_root_json(&mut doc, "template", &newer);
    assert_eq!(
        checklist::Checklist::new(&doc).unwrap().template().unwrap(),
        None
    );
    assert_eq!(unreadable_records(&doc).unwrap(), 1);
    let item = &template.items[1].id;
    let by = crate::test_support::staff(1, 1_000);
    checklist::mark_starting(
        &mut doc,
        &template,
        "s1",
        item,
        checklist::Status::Normal,
        "",
        &by,
    )
    .unwrap();
    assert_eq!(
        root_text(&doc, "template"),
        newer,
        "the newer snapshot kept"
    );
    let c = checklist::Checklist::new(&doc).unwrap();
    assert!(c.progress("s1").unwrap().started.is_some());
    assert_eq!(c.history().unwrap().len(), 1);
    checklist::mark_starting(
        &mut doc,
        &template,
        "s1",
        item,
        checklist::Status::Abnormal,
        "x",
        &by,
    )
    .unwrap();
    let c = checklist::Checklist::new(&doc).unwrap();
    assert_eq!(c.progress_events().unwrap().len(), 1, "started once");
    // Malformed JSON is corruption, not a newer build.
    put_root_json(&mut doc, "template", "{not json");
    assert!(matches!(
        checklist::Checklist::new(&doc).unwrap().template(),
        Err(ModelError::Corrupt(_))
    ));
}

#[test]
fn a_count_day_a_newer_build_started_is_counted_against_the_sites_list_and_its_snapshot_kept() {
    let flat = show_flat::demo_flat();
    let mut doc = show_flat::genesis("demo", &flat.flat_id, "2026-11-23").unwrap();
    let mut newer = serde_json::to_value(&flat).unwrap();
    newer["rooms"] = "rooms as a newer build keeps them".into();
    let newer = newer.to_string();
    put_root_json(&mut doc, "flat_snapshot", &newer);
    assert_eq!(
        show_flat::ShowFlatDay::new(&doc).unwrap().flat().unwrap(),
        None
    );
    assert_eq!(unreadable_records(&doc).unwrap(), 1);
    let (_, item) = flat.items().next().unwrap();
    let item = item.id.clone();
    show_flat::count(
        &mut doc,
        &flat,
        show_flat::CountSession::Opening,
        &item,
        1,
        show_flat::Condition::InPlace,
        "",
        &crate::test_support::staff(1, 1_000),
    )
    .unwrap();
    assert_eq!(
        root_text(&doc, "flat_snapshot"),
        newer,
        "the newer list kept"
    );
    assert_eq!(
        show_flat::ShowFlatDay::new(&doc)
            .unwrap()
            .history()
            .unwrap()
            .len(),
        1
    );
}
