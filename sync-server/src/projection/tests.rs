//! The projection kept up document by document equals one rebuilt from
//! the stored documents, after any interleaving of edits on several
//! tablets, merges, uploads and projector batches.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::worker::project_all;
use super::*;
use crate::doc_store::{NewChange, WriteOp};
use crate::principal::Uploader;
use crate::store::Store;
use automerge::ActorId;
use proptest::prelude::*;
use shiftbook_model::attribution::Attribution;
use shiftbook_model::checklist::{self, Status};
use shiftbook_model::roster::Role;
use shiftbook_model::template::{Template, builtins};
use std::collections::{BTreeSet, HashSet};

const SITE: &str = "demo";
const DAYS: [&str; 2] = ["2026-11-23", "2026-11-24"];
const ITEMS: [&str; 4] = ["doors", "escalators", "lighting", "decoration"];

#[derive(Debug, Clone)]
enum Op {
    /// Tablet `tablet` marks `item` of `slot` on `day` at minute `minute`
    /// after 08:00.
    Mark {
        tablet: usize,
        day: usize,
        slot: usize,
        item: usize,
        abnormal: bool,
        minute: i64,
    },
    /// Tablet `tablet` finishes `slot` on `day` (if begun there).
    Finish {
        tablet: usize,
        day: usize,
        slot: usize,
        minute: i64,
    },
    /// Tablets `a` and `b` merge their copies of `day`.
    Merge { a: usize, b: usize, day: usize },
    /// Tablet `tablet` uploads `day`; the server stores what it lacks.
    Upload { tablet: usize, day: usize },
    /// The projector projects what was uploaded since it last did.
    Project,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..3usize, 0..2usize, 0..2usize, 0..4usize, any::<bool>(), 0..240i64)
            .prop_map(|(tablet, day, slot, item, abnormal, minute)| Op::Mark { tablet, day, slot, item, abnormal, minute }),
        1 => (0..3usize, 0..2usize, 0..2usize, 0..240i64)
            .prop_map(|(tablet, day, slot, minute)| Op::Finish { tablet, day, slot, minute }),
        1 => (0..3usize, 0..3usize, 0..2usize).prop_map(|(a, b, day)| Op::Merge { a, b, day }),
        3 => (0..3usize, 0..2usize).prop_map(|(tablet, day)| Op::Upload { tablet, day }),
        1 => Just(Op::Project),
    ]
}

fn slot(n: usize) -> String {
    if n == 0 {
        "0830".to_owned()
    } else {
        checklist::on_demand_slot([1, 2, 3, 4])
    }
}

fn by(tablet: usize, day: usize, minute: i64) -> Attribution {
    let date = LocalDateTime::parse(&format!("{} 08:00", DAYS[day])).unwrap();
    Attribution {
        person_id: format!("p{tablet}"),
        person: ["张伟", "李娜", "王芳"][tablet].to_owned(),
        role: Role::Staff,
        device: format!("平板{tablet}"),
        at_ms: (date.epoch_minutes() + minute - i64::from(UTC_OFFSET_MIN)) * 60_000,
    }
}

use shiftbook_model::schedule::LocalDateTime;

struct World {
    _dir: tempfile::TempDir,
    data: std::path::PathBuf,
    docs: DocStore,
    projection: Projection,
    template: Template,
    ids: [DocumentId; 2],
    tablets: Vec<[Automerge; 2]>,
    dirty: BTreeSet<DocumentId>,
}

impl World {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().to_path_buf();
        let store = Store::open(&data).unwrap();
        store.enroll(SITE, SITE, "平板0").unwrap();
        let template = builtins()
            .into_iter()
            .find(|t| t.id == "lobby-opening")
            .unwrap();
        let tablets = (0..3)
            .map(|t| {
                DAYS.map(|d| {
                    let mut doc = checklist::genesis(SITE, &template.id, d).unwrap();
                    doc.set_actor(ActorId::from(vec![t as u8 + 1; 16]));
                    doc
                })
            })
            .collect();
        Self {
            docs: DocStore::open(&data).unwrap(),
            projection: Projection::open(&data).unwrap(),
            _dir: dir,
            data,
            template,
            ids: [
                DocumentId::from_random([1; 16]),
                DocumentId::from_random([2; 16]),
            ],
            tablets,
            dirty: BTreeSet::new(),
        }
    }

    fn apply(&mut self, op: &Op) {
        match *op {
            Op::Mark {
                tablet,
                day,
                slot: s,
                item,
                abnormal,
                minute,
            } => {
                let status = if abnormal {
                    Status::Abnormal
                } else {
                    Status::Normal
                };
                let note = if abnormal { "坏了" } else { "" };
                let doc = &mut self.tablets[tablet][day];
                checklist::mark_starting(
                    doc,
                    &self.template,
                    &slot(s),
                    ITEMS[item],
                    status,
                    note,
                    &by(tablet, day, minute),
                )
                .unwrap();
            }
            Op::Finish {
                tablet,
                day,
                slot: s,
                minute,
            } => {
                let doc = &mut self.tablets[tablet][day];
                // Refused when not begun on this copy: nothing happens.
                let _ = checklist::finish(doc, &slot(s), &by(tablet, day, minute));
            }
            Op::Merge { a, b, day } if a != b => {
                let mut other = self.tablets[b][day].clone();
                self.tablets[a][day].merge(&mut other).unwrap();
            }
            Op::Merge { .. } => {}
            Op::Upload { tablet, day } => {
                let id = self.ids[day];
                let stored = self.docs.load(&id).unwrap().doc;
                let have: HashSet<_> = stored.get_changes(&[]).iter().map(|c| c.hash()).collect();
                let changes: Vec<NewChange> = self.tablets[tablet][day]
                    .get_changes(&[])
                    .into_iter()
                    .filter(|c| !have.contains(&c.hash()))
                    .map(|c| {
                        NewChange::of(
                            &c,
                            Uploader::Device {
                                id: 1,
                                name: "平板0".into(),
                            },
                            0,
                        )
                    })
                    .collect();
                if changes.is_empty() {
                    return;
                }
                let op = WriteOp::Persist {
                    changes,
                    claim_for: Some(SITE.into()),
                };
                self.docs
                    .commit(&[(id, op)])
                    .unwrap()
                    .pop()
                    .unwrap()
                    .unwrap();
                self.dirty.insert(id);
            }
            Op::Project => self.project(),
        }
    }

    fn project(&mut self) {
        project_all(
            &self.docs,
            &mut self.projection,
            &std::mem::take(&mut self.dirty),
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn kept_up_equals_rebuilt(ops in proptest::collection::vec(op(), 1..40)) {
        let mut w = World::new();
        for op in &ops {
            w.apply(op);
        }
        w.project();
        let kept = w.projection.dump().unwrap();
        // A rebuild into a projection of its own, from the same documents.
        let other = tempfile::tempdir().unwrap();
        let mut rebuilt = Projection::open(other.path()).unwrap();
        rebuilt.rebuild(&DocStore::open(&w.data).unwrap()).unwrap();
        prop_assert_eq!(kept, rebuilt.dump().unwrap());
        // And projecting everything again changes nothing.
        let all: BTreeSet<_> = w.ids.into_iter().collect();
        project_all(&w.docs, &mut w.projection, &all);
        prop_assert_eq!(w.projection.dump().unwrap(), rebuilt.dump().unwrap());
    }
}

#[test]
fn an_older_state_never_replaces_a_newer_one() {
    let mut w = World::new();
    w.apply(&Op::Mark {
        tablet: 0,
        day: 0,
        slot: 0,
        item: 0,
        abnormal: false,
        minute: 35,
    });
    w.apply(&Op::Upload { tablet: 0, day: 0 });
    let older = w.docs.load(&w.ids[0]).unwrap().doc;
    w.apply(&Op::Mark {
        tablet: 0,
        day: 0,
        slot: 0,
        item: 2,
        abnormal: true,
        minute: 36,
    });
    w.apply(&Op::Upload { tablet: 0, day: 0 });
    w.project();
    let newer = w.projection.dump().unwrap();
    assert!(newer.iter().any(|l| l.contains("lighting")), "{newer:?}");
    assert_eq!(
        w.projection.project(&w.ids[0], SITE, &older).unwrap(),
        Projected::Older
    );
    assert_eq!(w.projection.dump().unwrap(), newer);
}

#[test]
fn rows_say_what_the_rounds_did() {
    let mut w = World::new();
    w.apply(&Op::Mark {
        tablet: 0,
        day: 0,
        slot: 0,
        item: 0,
        abnormal: false,
        minute: 35,
    });
    w.apply(&Op::Mark {
        tablet: 0,
        day: 0,
        slot: 0,
        item: 2,
        abnormal: true,
        minute: 36,
    });
    w.apply(&Op::Finish {
        tablet: 0,
        day: 0,
        slot: 0,
        minute: 50,
    });
    w.apply(&Op::Upload { tablet: 0, day: 0 });
    w.project();
    let rounds = w
        .projection
        .rounds(SITE, "2026-11-01", "2026-11-30")
        .unwrap();
    assert_eq!(rounds.len(), 1);
    let r = &rounds[0];
    assert_eq!(
        (
            r.slot.as_str(),
            r.state.as_str(),
            r.marked,
            r.abnormal,
            r.started.as_deref()
        ),
        ("0830", "on_time", 2, 1, Some("2026-11-23 08:35"))
    );
    assert!(
        w.projection
            .rounds("other", "2026-11-01", "2026-11-30")
            .unwrap()
            .is_empty()
    );
    assert!(
        w.projection
            .rounds(SITE, "2026-11-24", "2026-11-30")
            .unwrap()
            .is_empty()
    );
}

#[test]
fn a_projection_of_another_version_is_dropped_and_rebuilt() {
    let mut w = World::new();
    w.apply(&Op::Mark {
        tablet: 0,
        day: 0,
        slot: 0,
        item: 0,
        abnormal: false,
        minute: 35,
    });
    w.apply(&Op::Upload { tablet: 0, day: 0 });
    w.project();
    assert!(!w.projection.is_complete().unwrap());
    let before = w.projection.dump().unwrap();
    assert!(!before.is_empty());
    let conn = rusqlite::Connection::open(w.data.join(FILE)).unwrap();
    conn.execute("UPDATE proj_meta SET value = '0' WHERE key = 'version'", [])
        .unwrap();
    let mut reopened = Projection::open(&w.data).unwrap();
    assert!(reopened.dump().unwrap().is_empty(), "dropped");
    assert!(!reopened.is_complete().unwrap());
    let report = reopened.rebuild(&w.docs).unwrap();
    assert_eq!(
        (report.documents, report.with_rows, report.failed),
        (1, 1, 0)
    );
    assert!(reopened.is_complete().unwrap());
    assert_eq!(reopened.dump().unwrap(), before);
}
