//! The documents every site has from the day it is created, in one list:
//! roster, settings, checklist templates, show-flat inventory, hand-over
//! equipment lists and checkpoints.
//!
//! Each one's id is derived from the site key and its purpose
//! ([`crate::ids::Derive`]), so the server and every device of the site
//! find the same document without asking. Only supervisors change them;
//! devices read them. The server registers them as the site's own when it
//! creates the site (their purpose is also their kind there), so no device
//! can ever claim one; the app asks for them at start — the roster is
//! needed to sign in, offline too — and its retention keeps them for good.
//! A new kind of site document is one line here.

use crate::DocumentId;
use crate::ids::Derive;

/// The purposes the site documents' ids are derived from.
pub const SITE_DOCUMENTS: [&str; 6] = [
    crate::roster::PURPOSE,
    crate::settings::PURPOSE,
    crate::templates::PURPOSE,
    crate::show_flat::INVENTORY_PURPOSE,
    crate::handover::equipment_lists::PURPOSE,
    crate::checkpoints::PURPOSE,
];

/// The site's documents: (purpose, id).
pub fn site_documents(site_key: &impl Derive) -> impl Iterator<Item = (&'static str, DocumentId)> {
    SITE_DOCUMENTS
        .into_iter()
        .map(move |purpose| (purpose, site_key.derive(purpose)))
}

/// Whether `purpose` is one of the site documents'.
pub fn is_site_document(purpose: &str) -> bool {
    SITE_DOCUMENTS.contains(&purpose)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::SiteKey;

    #[test]
    fn each_family_derives_its_site_document_from_the_listed_purpose() {
        let key = SiteKey::from_random([7; 32]);
        let ids: Vec<DocumentId> = site_documents(&key).map(|(_, id)| id).collect();
        assert_eq!(
            ids,
            [
                crate::roster::document_id(&key),
                crate::settings::document_id(&key),
                crate::templates::document_id(&key),
                crate::show_flat::inventory_document_id(&key),
                crate::handover::equipment_lists::document_id(&key),
                crate::checkpoints::document_id(&key),
            ]
        );
        let distinct: std::collections::BTreeSet<_> = ids.iter().collect();
        assert_eq!(distinct.len(), SITE_DOCUMENTS.len());
        assert!(is_site_document("roster"));
        assert!(!is_site_document("keys"));
    }
}
