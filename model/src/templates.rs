//! A site's checklist templates: one document per site that supervisors
//! edit and tablets read (the server shares it read-only with devices).
//!
//! ```text
//! ROOT
//! ├── schema     "shiftbook/templates/1"
//! ├── site                                   ← written once, by genesis
//! └── templates  { template id → Template }  one fresh map per write
//! ```
//!
//! The id is `DocumentId::derive(site_key, PURPOSE)` with a deterministic
//! genesis, like the roster's. [`put_template`] writes a *fresh* map at
//! `templates[id]`, so two supervisors editing one template concurrently
//! leave two whole versions ([`SiteTemplates::conflicts`]) instead of a
//! mix of both; the one shown meanwhile is automerge's pick, the same on
//! every device. Templates are never deleted: a retired one is saved with
//! `active: false`, so its past rounds stay readable.
//!
//! The built-in templates ([`crate::template::builtins`]) are every site's
//! defaults: a stored template replaces the built-in of its id, the other
//! built-ins stay (retire one by saving it with `active: false`). A device
//! the document has not reached yet sees the built-ins.
//!
//! Templates are read one by one: a template a newer build saved with a
//! word this build does not know (a new kind of schedule, a new
//! department) is left out — with the built-in of its id, which it
//! replaced, so an older desktop cannot offer the built-in for editing
//! and overwrite the newer version — and counted by
//! [`crate::readable::unreadable_records`]; every other template reads.

use crate::ModelError;
use crate::attribution::Attribution;
use crate::genesis::{Container, Root};
use crate::template::{Template, builtins};
use automerge::{Automerge, ChangeHash, ObjType};
use std::collections::BTreeMap;

/// The schema tag of templates documents.
pub const SCHEMA: &str = "shiftbook/templates/1";

/// The purpose that derives a site's templates document id.
pub const PURPOSE: &str = "templates";

/// The site's templates document id.
pub fn document_id(site_key: &impl crate::ids::Derive) -> crate::DocumentId {
    site_key.derive(PURPOSE)
}

/// Build the document's first change, identical on every device.
pub fn genesis(site: &str) -> Result<Automerge, ModelError> {
    crate::genesis::build(&Root {
        schema: SCHEMA,
        identity: &[("site", site)],
        containers: &[("templates", Container::Map)],
    })
}

fn templates_map(doc: &Automerge) -> Result<automerge::ObjId, ModelError> {
    crate::genesis::schema_container(doc, SCHEMA, "templates", ObjType::Map)
}

/// Add or replace `template` as one change by `by` (a fresh map at
/// `templates[id]`). An invalid template is refused, nothing written.
pub fn put_template(
    doc: &mut Automerge,
    template: &Template,
    by: &Attribution,
) -> Result<ChangeHash, ModelError> {
    template.validate()?;
    let map = templates_map(doc)?;
    let options = by.commit_options(&format!("template put {}", template.id));
    crate::write::put_fresh_change(doc, &map, &template.id, template, options)
}

/// A read-only view of a site's templates; `None` documents (not synced
/// yet, or never created) read as the built-in templates.
#[derive(Debug, Clone, Copy)]
pub struct SiteTemplates<'a> {
    doc: Option<&'a Automerge>,
}

impl<'a> SiteTemplates<'a> {
    /// View `doc` after checking it is a templates document.
    pub fn new(doc: &'a Automerge) -> Result<Self, ModelError> {
        templates_map(doc)?;
        Ok(Self { doc: Some(doc) })
    }

    /// The built-in templates only.
    pub fn builtin() -> Self {
        Self { doc: None }
    }

    /// Every template: the built-ins in their order, each replaced by the
    /// stored template of its id (automerge's pick among concurrent
    /// versions), then the site's own templates by id.
    pub fn all(&self) -> Result<Vec<Template>, ModelError> {
        let mut stored: BTreeMap<String, Option<Template>> = match self.doc {
            Some(doc) => crate::readable::all_versions(doc, &templates_map(doc)?)?
                .into_iter()
                .collect(),
            None => BTreeMap::new(),
        };
        let mut out: Vec<Template> = builtins()
            .into_iter()
            .filter_map(|b| stored.remove(&b.id).unwrap_or(Some(b)))
            .collect();
        out.extend(stored.into_values().flatten());
        Ok(out)
    }

    /// The templates in use (not retired).
    pub fn active(&self) -> Result<Vec<Template>, ModelError> {
        Ok(self.all()?.into_iter().filter(|t| t.active).collect())
    }

    /// The template `id`, if there is one.
    pub fn get(&self, id: &str) -> Result<Option<Template>, ModelError> {
        Ok(self.all()?.into_iter().find(|t| t.id == id))
    }

    /// The differing versions concurrent edits left for template `id`
    /// (those this build can read); empty when there is no conflict.
    pub fn conflicts(&self, id: &str) -> Result<Vec<Template>, ModelError> {
        match self.doc {
            Some(doc) => crate::readable::conflicting_versions(doc, &templates_map(doc)?, id),
            None => Ok(Vec::new()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::lobby_opening;
    use crate::test_support::{office_supervisor, on_tablet};

    fn supervisor(n: u8) -> Attribution {
        office_supervisor(n, i64::from(n))
    }

    fn replica(n: u8) -> Automerge {
        on_tablet(genesis("demo").unwrap(), n)
    }

    #[test]
    fn the_builtins_are_defaults_a_stored_template_replaces_its_own() {
        assert_eq!(SiteTemplates::builtin().all().unwrap(), builtins());
        let mut doc = replica(1);
        assert_eq!(SiteTemplates::new(&doc).unwrap().all().unwrap(), builtins());
        let mut t = lobby_opening();
        t.items.truncate(3);
        put_template(&mut doc, &t, &supervisor(1)).unwrap();
        let mut own = lobby_opening();
        own.id = "garage-night".into();
        put_template(&mut doc, &own, &supervisor(1)).unwrap();
        let view = SiteTemplates::new(&doc).unwrap();
        let all = view.all().unwrap();
        assert_eq!(all.len(), builtins().len() + 1);
        assert_eq!(
            all[0], t,
            "the stored lobby opening, in the built-in's place"
        );
        assert_eq!(all.last(), Some(&own), "the site's own after the built-ins");
        assert_eq!(view.get("lobby-opening").unwrap(), Some(t.clone()));
        t.active = false;
        put_template(&mut doc, &t, &supervisor(1)).unwrap();
        let view = SiteTemplates::new(&doc).unwrap();
        assert_eq!(view.active().unwrap().len(), builtins().len());
        assert!(
            view.active()
                .unwrap()
                .iter()
                .all(|x| x.id != "lobby-opening")
        );
        assert_eq!(
            view.all().unwrap().len(),
            builtins().len() + 1,
            "retired, not deleted"
        );
        let last = crate::attribution::history(&doc).pop().unwrap();
        assert_eq!(last.summary, "template put lobby-opening");
    }

    #[test]
    fn invalid_templates_are_refused_without_a_change() {
        let mut doc = replica(1);
        let heads = doc.get_heads();
        let mut t = lobby_opening();
        t.items.clear();
        assert!(matches!(
            put_template(&mut doc, &t, &supervisor(1)),
            Err(ModelError::BadTemplate(_))
        ));
        assert_eq!(doc.get_heads(), heads);
        assert!(matches!(
            SiteTemplates::new(&crate::roster::genesis("demo").unwrap()),
            Err(ModelError::WrongSchema(_))
        ));
    }

    #[test]
    fn concurrent_edits_of_one_template_conflict_as_whole_versions() {
        assert_eq!(replica(1).save(), replica(2).save());
        let (mut a, mut b) = (replica(1), replica(2));
        let base = lobby_opening();
        put_template(&mut a, &base, &supervisor(1)).unwrap();
        b.merge(&mut a.clone()).unwrap();
        let mut renamed = base.clone();
        renamed.title.zh = "大堂早班巡查".into();
        let mut shorter = base.clone();
        shorter.items.truncate(2);
        put_template(&mut a, &renamed, &supervisor(1)).unwrap();
        put_template(&mut b, &shorter, &supervisor(2)).unwrap();
        let mut ab = a.clone();
        ab.merge(&mut b.clone()).unwrap();
        let mut ba = b.clone();
        ba.merge(&mut a.clone()).unwrap();
        for doc in [&ab, &ba] {
            let view = SiteTemplates::new(doc).unwrap();
            let versions = view.conflicts("lobby-opening").unwrap();
            assert_eq!(versions.len(), 2);
            assert!(versions.contains(&renamed) && versions.contains(&shorter));
            let shown = view.get("lobby-opening").unwrap().unwrap();
            assert!(shown == renamed || shown == shorter, "one whole version");
        }
        assert_eq!(
            SiteTemplates::new(&ab).unwrap().all().unwrap(),
            SiteTemplates::new(&ba).unwrap().all().unwrap()
        );
    }
}
