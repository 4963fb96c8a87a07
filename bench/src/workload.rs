//! What the tablets write: the day's checklist rounds of their site.
//!
//! Document `k` of a site is the round of built-in template `k mod 8` on
//! day `k div 8` after [`FIRST_DAY`]: its id is derived from the site key
//! and its genesis is deterministic, so every tablet of the site opens the
//! *same* document independently, as the app does at 06:00. A tablet's
//! first change to a round is its start (the template snapshot the first
//! time, and a `started` event); every later change is one mark of an item
//! (✓, or now and then × with a note), attributed to the tablet's staff
//! member at the wall-clock time, as the app writes them.

use crate::BenchError;
use automerge::{Automerge, ChangeHash};
use shiftbook_model::attribution::Attribution;
use shiftbook_model::checklist::{self, Status};
use shiftbook_model::roster::Role;
use shiftbook_model::schedule::Date;
use shiftbook_model::template::{Template, builtins};
use shiftbook_model::{DocumentId, SiteKey};

/// The first service day documents are opened for.
pub const FIRST_DAY: &str = "2026-11-23";

/// The slot every round is started and marked in.
pub const SLOT: &str = "0600";

/// One round a site's tablets open.
#[derive(Debug, Clone)]
pub struct DocSpec {
    /// The derived document id.
    pub id: DocumentId,
    /// The template it is a round of.
    pub template: Template,
    /// Its service day.
    pub date: String,
    /// Its genesis, built once and cloned by every tablet.
    genesis: Automerge,
}

impl DocSpec {
    /// A fresh copy of the round's genesis (identical on every tablet).
    pub fn genesis(&self) -> Automerge {
        self.genesis.clone()
    }
}

/// The first `count` rounds of the site `site` (its id, written into each
/// genesis) whose key is `key`.
pub fn site_documents(site: &str, key: &SiteKey, count: usize) -> Result<Vec<DocSpec>, BenchError> {
    let templates = builtins();
    let first = Date::parse(FIRST_DAY).map_err(|e| BenchError::Config(e.to_string()))?;
    (0..count)
        .map(|k| {
            let template = templates[k % templates.len()].clone();
            let day = i32::try_from(k / templates.len())
                .map_err(|_| BenchError::Config(format!("{count} documents is too many")))?;
            let date = first
                .checked_add_days(day)
                .ok_or_else(|| BenchError::Config(format!("{count} documents is too many")))?
                .to_string();
            let id = DocumentId::derive(key, &checklist::purpose(&template.id, &date));
            let genesis = checklist::genesis(site, &template.id, &date)?;
            Ok(DocSpec {
                id,
                template,
                date,
                genesis,
            })
        })
        .collect()
}

/// Milliseconds since the Unix epoch, for attributions.
fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// The staff member working on tablet `device`, acting now.
pub fn author(device: &str) -> Attribution {
    Attribution {
        person_id: format!("staff-of-{device}"),
        person: format!("staff of {device}"),
        role: Role::Staff,
        device: device.to_owned(),
        at_ms: now_ms(),
    }
}

/// Start (or resume) the round `doc` of `spec` as the staff of `device`.
pub fn start(doc: &mut Automerge, spec: &DocSpec, device: &str) -> Result<ChangeHash, BenchError> {
    Ok(checklist::start(
        doc,
        &spec.template,
        SLOT,
        &author(device),
    )?)
}

/// The `n`th mark on a started round `doc` of `spec` by `device`: the
/// template's items in turn, every 7th an × with a note.
pub fn edit(
    doc: &mut Automerge,
    spec: &DocSpec,
    device: &str,
    n: usize,
) -> Result<ChangeHash, BenchError> {
    let items = &spec.template.items;
    let Some(item) = items.get(n % items.len().max(1)) else {
        return Err(BenchError::Config(format!(
            "template {} has no items",
            spec.template.id
        )));
    };
    let (status, note) = if n % 7 == 6 {
        (Status::Abnormal, format!("bench note {n} from {device}"))
    } else {
        (Status::Normal, String::new())
    };
    Ok(checklist::mark(
        doc,
        SLOT,
        &item.id,
        status,
        &note,
        &author(device),
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::ActorId;

    #[test]
    fn every_tablet_of_a_site_opens_the_same_rounds_and_can_mark_them_many_times() {
        let key = SiteKey::from_random([7; 32]);
        let a = site_documents("bench-00", &key, 10).unwrap();
        let b = site_documents("bench-00", &key, 10).unwrap();
        assert_eq!(a.len(), 10);
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(x.id, y.id);
            assert_eq!(x.genesis().save(), y.genesis().save());
        }
        assert_eq!(a[0].date, FIRST_DAY);
        assert_eq!(a[8].date, "2026-11-24");
        let ids: std::collections::BTreeSet<_> = a.iter().map(|d| d.id).collect();
        assert_eq!(ids.len(), 10);
        let other = site_documents("bench-01", &SiteKey::from_random([8; 32]), 1).unwrap();
        assert_ne!(other[0].id, a[0].id);

        for spec in &a {
            let mut doc = spec.genesis().with_actor(ActorId::from(vec![1; 16]));
            start(&mut doc, spec, "t1").unwrap();
            for n in 0..30 {
                edit(&mut doc, spec, "t1", n).unwrap();
            }
            assert_eq!(doc.get_changes(&[]).len(), 32);
        }
    }
}
