//! Checklist templates: which items a round checks, grouped by area, in
//! Chinese and English, for which post, on which schedule.
//!
//! The built-in templates ([`builtin`], in `template/builtin.rs`) are the
//! seeds' patrol forms; a site's own templates live in its templates
//! document ([`crate::templates`]), which supervisors edit. Fields added
//! after the first version (post, schedule, per-item note rule and
//! department) read with defaults from older documents.

use crate::followup::Department;
use crate::schedule::Schedule;
use autosurgeon::{Hydrate, Reconcile};

mod builtin;
pub use builtin::{
    BUILTIN_IDS, after_construction_sweep, builtin, builtins, lobby_opening, public_area_patrol,
    show_flat_closing, show_flat_fire_safety, show_flat_night_round, show_flat_opening,
    supervisor_show_flat,
};

/// A text in the two UI languages.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize)]
pub struct Bilingual {
    /// Simplified Chinese, the staff's language.
    pub zh: String,
    /// English.
    pub en: String,
}

impl Bilingual {
    /// Build from two literals.
    pub fn new(zh: &str, en: &str) -> Self {
        Self {
            zh: zh.to_owned(),
            en: en.to_owned(),
        }
    }

    /// The text in `lang`.
    pub fn get(&self, lang: crate::Lang) -> &str {
        match lang {
            crate::Lang::Zh => &self.zh,
            crate::Lang::En => &self.en,
        }
    }
}

fn engineering() -> Department {
    Department::Engineering
}

/// One thing to check.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize)]
pub struct TemplateItem {
    /// Stable id, unique within the template; marks are keyed by it.
    #[key]
    pub id: String,
    /// The area the item belongs to, for grouping on screen.
    pub area: Bilingual,
    /// What to check.
    pub label: Bilingual,
    /// An × on this item must say what is wrong.
    #[autosurgeon(missing = "Default::default")]
    #[serde(default)]
    pub note_required: bool,
    /// Who a follow-up of an × goes to by default.
    #[autosurgeon(missing = "engineering")]
    #[serde(default = "engineering")]
    pub department: Department,
    /// The item may be marked only within this many minutes after a scan
    /// at a checkpoint that proves it ([`crate::checkpoints::proof`]);
    /// `None`: no scan needed.
    #[autosurgeon(missing = "Default::default")]
    #[serde(default)]
    pub scan_within_min: Option<u32>,
}

/// A checklist template.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate, serde::Serialize, serde::Deserialize)]
pub struct Template {
    /// Stable id, part of derived document ids.
    pub id: String,
    /// Shown as the round's title.
    pub title: Bilingual,
    /// Where the template comes from in the site's procedures.
    pub source: String,
    /// The post that walks it (`lobby`, `show-flat`, `security`,
    /// `customer-service`, `supervisor`).
    #[autosurgeon(missing = "Default::default")]
    #[serde(default)]
    pub post: String,
    /// When rounds are due; `None` for rounds started when needed (the
    /// sweep after construction work).
    #[autosurgeon(missing = "Default::default")]
    #[serde(default)]
    pub schedule: Option<Schedule>,
    /// The items, in walking order.
    pub items: Vec<TemplateItem>,
    /// Still in use; retired templates keep their past rounds readable.
    #[autosurgeon(missing = "active_default")]
    #[serde(default = "active_default")]
    pub active: bool,
    /// The least time, in seconds, a guard needs to walk from one
    /// checkpoint to the next; scans closer together are flagged as walked
    /// too fast. `None`: no pace is checked.
    #[autosurgeon(missing = "Default::default")]
    #[serde(default)]
    pub min_walk_s: Option<u32>,
}

/// The longest scan window of an item, in minutes.
pub const MAX_SCAN_WITHIN_MIN: u32 = 240;

/// The longest minimum walking time between checkpoints, in seconds.
pub const MAX_MIN_WALK_S: u32 = 3_600;

fn active_default() -> bool {
    true
}

impl Template {
    /// The item `id`, if the template has it.
    pub fn item(&self, id: &str) -> Option<&TemplateItem> {
        self.items.iter().find(|i| i.id == id)
    }

    /// Check what a supervisor saved: an id, a title, at least one item,
    /// unique non-empty item ids with labels, a valid schedule.
    pub fn validate(&self) -> Result<(), crate::ModelError> {
        let bad = |why: &str| Err(crate::ModelError::BadTemplate(why.to_owned()));
        if !crate::ids::is_key(&self.id) {
            return bad("the id is 1–64 letters, digits, - or _");
        }
        if self.title.zh.trim().is_empty() && self.title.en.trim().is_empty() {
            return bad("no title");
        }
        if self.items.is_empty() {
            return bad("no items");
        }
        let mut seen = std::collections::BTreeSet::new();
        for item in &self.items {
            if item.id.trim().is_empty() || item.id.contains(['/', ' ']) {
                return bad("an item id is empty or has a space or /");
            }
            if !seen.insert(item.id.as_str()) {
                return bad(&format!("item {} twice", item.id));
            }
            if item.label.zh.trim().is_empty() && item.label.en.trim().is_empty() {
                return bad(&format!("item {} has no label", item.id));
            }
            if item
                .scan_within_min
                .is_some_and(|m| !(1..=MAX_SCAN_WITHIN_MIN).contains(&m))
            {
                return bad(&format!(
                    "item {}: a scan window is 1–{MAX_SCAN_WITHIN_MIN} minutes",
                    item.id
                ));
            }
        }
        if self
            .min_walk_s
            .is_some_and(|s| !(1..=MAX_MIN_WALK_S).contains(&s))
        {
            return bad(&format!(
                "the walking time between checkpoints is 1–{MAX_MIN_WALK_S} seconds"
            ));
        }
        if let Some(schedule) = &self.schedule {
            schedule
                .validate()
                .map_err(|e| crate::ModelError::BadTemplate(e.to_string()))?;
        }
        Ok(())
    }
}

/// The name of post `id` in `lang` (the posts of the built-in templates);
/// `None` for a post a site made up, which is shown by its id.
pub fn post_name(id: &str, lang: crate::Lang) -> Option<&'static str> {
    let (zh, en) = match id {
        "lobby" => ("大堂岗", "Lobby"),
        "show-flat" => ("样板房岗", "Show flat"),
        "security" => ("安管岗", "Security"),
        "customer-service" => ("客服", "Customer service"),
        "supervisor" => ("主管", "Supervisor"),
        _ => return None,
    };
    Some(match lang {
        crate::Lang::Zh => zh,
        crate::Lang::En => en,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_builtin_is_valid_bilingual_and_found_by_its_id() {
        let all = builtins();
        assert_eq!(all.len(), 8);
        assert_eq!(
            all.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(),
            BUILTIN_IDS
        );
        for t in &all {
            t.validate().unwrap();
            assert!(!t.title.zh.is_empty() && !t.title.en.is_empty() && !t.post.is_empty());
            let ids: HashSet<_> = t.items.iter().map(|i| i.id.as_str()).collect();
            assert_eq!(ids.len(), t.items.len());
            for i in &t.items {
                assert!(!i.label.zh.is_empty() && !i.label.en.is_empty());
                assert!(!i.area.zh.is_empty() && !i.area.en.is_empty());
            }
            assert_eq!(builtin(&t.id).as_ref(), Some(t));
        }
        assert_eq!(builtin("nope"), None);
        assert!(
            all.iter().any(|t| t.schedule.is_none()),
            "the after-construction sweep is started when needed"
        );
    }

    #[test]
    fn bad_templates_are_refused_with_a_reason() {
        let good = lobby_opening();
        let mut t = good.clone();
        t.id = "has space".into();
        assert!(t.validate().is_err());
        let mut t = good.clone();
        t.items.clear();
        assert!(t.validate().is_err());
        let mut t = good.clone();
        t.items.push(t.items[0].clone());
        assert!(t.validate().is_err());
        let mut t = good.clone();
        t.items[0].id = "a/b".into();
        assert!(t.validate().is_err());
        let mut t = good.clone();
        t.title = Bilingual::new(" ", "");
        assert!(t.validate().is_err());
        let mut t = good.clone();
        t.items[0].scan_within_min = Some(0);
        assert!(t.validate().is_err());
        t.items[0].scan_within_min = Some(MAX_SCAN_WITHIN_MIN + 1);
        assert!(t.validate().is_err());
        t.items[0].scan_within_min = Some(10);
        t.min_walk_s = Some(MAX_MIN_WALK_S + 1);
        assert!(t.validate().is_err());
        t.min_walk_s = Some(60);
        assert!(t.validate().is_ok());
    }

    #[test]
    fn templates_written_before_posts_and_schedules_still_read() {
        // The shape checklist v2 geneses stored: no post, schedule,
        // note rule, department or active flag.
        let mut doc = automerge::Automerge::new();
        doc.transact::<_, _, automerge::AutomergeError>(|tx| {
            use automerge::transaction::Transactable;
            let t = tx.put_object(automerge::ROOT, "t", automerge::ObjType::Map)?;
            tx.put(&t, "id", "old")?;
            let title = tx.put_object(&t, "title", automerge::ObjType::Map)?;
            tx.put(&title, "zh", "旧")?;
            tx.put(&title, "en", "Old")?;
            tx.put(&t, "source", "")?;
            let items = tx.put_object(&t, "items", automerge::ObjType::List)?;
            let i = tx.insert_object(&items, 0, automerge::ObjType::Map)?;
            tx.put(&i, "id", "doors")?;
            for key in ["area", "label"] {
                let b = tx.put_object(&i, key, automerge::ObjType::Map)?;
                tx.put(&b, "zh", "门")?;
                tx.put(&b, "en", "Doors")?;
            }
            Ok(())
        })
        .unwrap();
        let t: Template = autosurgeon::hydrate_prop(&doc, automerge::ROOT, "t").unwrap();
        assert_eq!(
            (t.post.as_str(), t.schedule.is_none(), t.active),
            ("", true, true)
        );
        assert!(!t.items[0].note_required);
        assert_eq!((t.items[0].scan_within_min, t.min_walk_s), (None, None));
        assert_eq!(t.items[0].department, Department::Engineering);
    }
}
