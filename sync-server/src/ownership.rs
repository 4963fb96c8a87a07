//! Whose a document is, and what that lets a caller do with it.
//!
//! A document belongs to exactly one site, decided by the server from the
//! authenticated caller, never from who happens to mention an id first
//! (ARCHITECTURE invariant 5):
//!
//! * **site documents** (roster, settings, templates, show-flat inventory,
//!   hand-over equipment lists) are registered for their site when it is
//!   created; devices only read them, the site's supervisors write;
//! * **registered**: a device (or a supervisor, naming one of its sites)
//!   names the *purpose* of a derived-id document; the server derives the
//!   id from that site's key, so nobody can register an id of another
//!   site;
//! * **uploaded**: a document nobody registered belongs to the site of the
//!   first caller that uploads *content* to it (a plain automerge-repo
//!   client's random-id `create`). A bare request never claims anything.
//!
//! A registration beats an upload claim of another site: only the owner
//! site's key derives the id from the purpose, whereas anyone could upload
//! first. The squatter's content is set aside, never served to the
//! rightful site (see [`crate::doc_store`]).

use crate::principal::Principal;
use shiftbook_model::site_documents::is_site_document;

/// How a document came to be owned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnerHow {
    /// A site document the server registered when the site was created.
    Site,
    /// A derived id registered by purpose by a caller of the site.
    Registered,
    /// Claimed by the first upload of content.
    Uploaded,
}

impl OwnerHow {
    /// The word stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Site => "site",
            Self::Registered => "registered",
            Self::Uploaded => "uploaded",
        }
    }

    /// The stored word back; `None` for anything else.
    pub fn parse(word: &str) -> Option<Self> {
        match word {
            "site" => Some(Self::Site),
            "registered" => Some(Self::Registered),
            "uploaded" => Some(Self::Uploaded),
            _ => None,
        }
    }
}

/// Whose a document is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    /// The owner site.
    pub site: String,
    /// How it came to be owned.
    pub how: OwnerHow,
    /// For site documents, their kind (`roster`, `settings`…).
    pub kind: Option<String>,
}

impl Owner {
    /// Whether only supervisors may change it (devices read it).
    pub fn supervisor_only(&self) -> bool {
        self.how == OwnerHow::Site && self.kind.as_deref().is_some_and(is_site_document)
    }
}

/// What a caller may do with a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Read and write.
    ReadWrite,
    /// Read only: the server sends its changes and ignores the caller's.
    ReadOnly,
    /// Nothing: the caller hears `doc-unavailable`, exactly as for a
    /// document that does not exist.
    Denied,
}

/// What `who` may do with a document owned by `owner`.
pub fn access(owner: &Owner, who: &Principal) -> Access {
    if !who.acts_for(&owner.site) {
        return Access::Denied;
    }
    match who {
        Principal::Device { .. } if owner.supervisor_only() => Access::ReadOnly,
        _ => Access::ReadWrite,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::store::{Device, KIND_ROSTER};
    use shiftbook_model::SiteKey;

    fn device(site: &str) -> Principal {
        Principal::Device {
            device: Device {
                id: 1,
                site: site.into(),
                name: "t".into(),
            },
            site_key: SiteKey::from_random([1; 32]),
        }
    }

    fn supervisor(sites: &[&str]) -> Principal {
        Principal::Supervisor {
            name: "zhang".into(),
            sites: sites
                .iter()
                .map(|s| ((*s).to_owned(), SiteKey::from_random([2; 32])))
                .collect(),
            session: "x".into(),
        }
    }

    fn owner(how: OwnerHow, kind: Option<&str>) -> Owner {
        Owner {
            site: "a".into(),
            how,
            kind: kind.map(str::to_owned),
        }
    }

    #[test]
    fn the_owner_sites_callers_share_and_everyone_else_is_denied() {
        for how in [OwnerHow::Registered, OwnerHow::Uploaded, OwnerHow::Site] {
            let o = owner(how, None);
            assert_eq!(access(&o, &device("a")), Access::ReadWrite);
            assert_eq!(access(&o, &device("b")), Access::Denied);
            assert_eq!(access(&o, &supervisor(&["b", "a"])), Access::ReadWrite);
            assert_eq!(access(&o, &supervisor(&["b"])), Access::Denied);
        }
    }

    #[test]
    fn supervisor_only_site_documents_are_read_only_for_devices() {
        let roster = owner(OwnerHow::Site, Some(KIND_ROSTER));
        assert!(roster.supervisor_only());
        assert_eq!(access(&roster, &device("a")), Access::ReadOnly);
        assert_eq!(access(&roster, &supervisor(&["a"])), Access::ReadWrite);
        assert_eq!(access(&roster, &device("b")), Access::Denied);
        // The kind only counts for documents the server registered.
        assert!(!owner(OwnerHow::Registered, Some(KIND_ROSTER)).supervisor_only());
        for how in [OwnerHow::Site, OwnerHow::Registered, OwnerHow::Uploaded] {
            assert_eq!(OwnerHow::parse(how.as_str()), Some(how));
        }
        assert_eq!(OwnerHow::parse("claimed"), None);
    }
}
