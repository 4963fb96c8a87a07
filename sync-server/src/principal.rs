//! Who is on the other end of a request or a sync connection: an
//! enrolled device of one site, or a supervisor's login session for a set
//! of sites. Authentication ([`crate::auth`]) makes one; everything after
//! that trusts only it, never what a client or a change says about itself.

use crate::store::Device;
use shiftbook_model::{DocumentId, SiteKey};
use std::collections::BTreeMap;

/// An authenticated caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// An enrolled device (tablet) of one site.
    Device {
        /// The device.
        device: Device,
        /// Its site's key, from which the site's derived ids come.
        site_key: SiteKey,
    },
    /// A logged-in supervisor of a set of sites.
    Supervisor {
        /// The supervisor's user name.
        name: String,
        /// The sites it supervises, with their keys.
        sites: BTreeMap<String, SiteKey>,
        /// The SHA-256 (hex) of the session cookie that authenticated the
        /// caller; a connection lives only as long as that session.
        session: String,
    },
}

/// Who uploaded a change, as the server records it: what authenticated
/// the connection, never what the change says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Uploader {
    /// An enrolled device: its database id and name.
    Device {
        /// Database id.
        id: i64,
        /// Enrolled name, e.g. 大堂平板1.
        name: String,
    },
    /// A supervisor's session.
    Supervisor {
        /// User name.
        name: String,
    },
    /// The server itself (demo data, migrations).
    Server,
}

impl Uploader {
    /// The device name the app writes into the attributions of changes
    /// this uploader makes: a device's enrolled name, `桌面·<user>` for a
    /// supervisor's desktop (see the app's `supervisor.rs`), `sync-server`
    /// for the server's own.
    pub fn device_label(&self) -> String {
        match self {
            Self::Device { name, .. } => name.clone(),
            Self::Supervisor { name } => format!("{DESKTOP_DEVICE_PREFIX}{name}"),
            Self::Server => SERVER_DEVICE.to_owned(),
        }
    }
}

/// What a supervisor's desktop calls itself in attributions, before the
/// user name.
pub const DESKTOP_DEVICE_PREFIX: &str = "桌面·";
/// What the server calls itself in the attributions of its own changes.
pub const SERVER_DEVICE: &str = "sync-server";

impl Principal {
    /// The same device or supervisor (peer ids may be shared by its
    /// connections, not by anyone else's).
    pub fn same_identity(&self, other: &Self) -> bool {
        match (self, other) {
            (Self::Device { device: a, .. }, Self::Device { device: b, .. }) => a.id == b.id,
            (Self::Supervisor { name: a, .. }, Self::Supervisor { name: b, .. }) => a == b,
            _ => false,
        }
    }

    /// A name for logs.
    pub fn label(&self) -> &str {
        match self {
            Self::Device { device, .. } => &device.name,
            Self::Supervisor { name, .. } => name,
        }
    }

    /// Whether the caller may read and write documents of `site` at all.
    pub fn acts_for(&self, site: &str) -> bool {
        match self {
            Self::Device { device, .. } => device.site == site,
            Self::Supervisor { sites, .. } => sites.contains_key(site),
        }
    }

    /// The site an upload of an unowned, unregistered document is claimed
    /// for: a device's own site, or a supervisor's only site. A supervisor
    /// of several sites must register the document first (whose would it
    /// be otherwise?).
    pub fn upload_site(&self) -> Option<&str> {
        match self {
            Self::Device { device, .. } => Some(&device.site),
            Self::Supervisor { sites, .. } if sites.len() == 1 => {
                sites.keys().next().map(String::as_str)
            }
            Self::Supervisor { .. } => None,
        }
    }

    /// The site and key a registration names: a device's own site (a
    /// named site must be it), or the named site of a supervisor's (a
    /// supervisor of one site may leave it out). `None` when the caller
    /// may not register for that site.
    pub fn registration_site(&self, named: Option<&str>) -> Option<(&str, &SiteKey)> {
        match self {
            Self::Device { device, site_key } => match named {
                Some(site) if site != device.site => None,
                _ => Some((&device.site, site_key)),
            },
            Self::Supervisor { sites, .. } => match named {
                Some(site) => sites.get_key_value(site).map(|(s, k)| (s.as_str(), k)),
                None if sites.len() == 1 => sites.iter().next().map(|(s, k)| (s.as_str(), k)),
                None => None,
            },
        }
    }

    /// The id `purpose` derives to under the site a registration names,
    /// with that site; see [`Principal::registration_site`].
    pub fn derive(&self, named: Option<&str>, purpose: &str) -> Option<(String, DocumentId)> {
        let (site, key) = self.registration_site(named)?;
        Some((site.to_owned(), DocumentId::derive(key, purpose)))
    }

    /// Who uploads what this caller sends.
    pub fn uploader(&self) -> Uploader {
        match self {
            Self::Device { device, .. } => Uploader::Device {
                id: device.id,
                name: device.name.clone(),
            },
            Self::Supervisor { name, .. } => Uploader::Supervisor { name: name.clone() },
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn key(b: u8) -> SiteKey {
        SiteKey::from_random([b; 32])
    }

    fn device(site: &str) -> Principal {
        Principal::Device {
            device: Device {
                id: 1,
                site: site.into(),
                name: "t1".into(),
            },
            site_key: key(1),
        }
    }

    fn supervisor(sites: &[(&str, u8)]) -> Principal {
        Principal::Supervisor {
            name: "zhang".into(),
            sites: sites
                .iter()
                .map(|(s, b)| ((*s).to_owned(), key(*b)))
                .collect(),
            session: "x".into(),
        }
    }

    #[test]
    fn a_device_registers_and_uploads_for_its_own_site_only() {
        let d = device("a");
        assert_eq!(d.upload_site(), Some("a"));
        assert_eq!(
            d.derive(None, "roster"),
            Some(("a".into(), DocumentId::derive(&key(1), "roster")))
        );
        assert!(d.derive(Some("a"), "roster").is_some());
        assert_eq!(d.derive(Some("b"), "roster"), None);
        assert!(d.acts_for("a") && !d.acts_for("b"));
    }

    #[test]
    fn a_supervisor_names_one_of_its_sites_unless_it_has_only_one() {
        let one = supervisor(&[("a", 2)]);
        assert_eq!(one.upload_site(), Some("a"));
        assert_eq!(one.derive(None, "p").map(|(s, _)| s), Some("a".to_owned()));
        let two = supervisor(&[("a", 2), ("b", 3)]);
        assert_eq!(two.upload_site(), None);
        assert_eq!(two.derive(None, "p"), None);
        assert_eq!(
            two.derive(Some("b"), "p"),
            Some(("b".into(), DocumentId::derive(&key(3), "p")))
        );
        assert_eq!(two.derive(Some("c"), "p"), None);
        assert!(two.acts_for("b") && !two.acts_for("c"));
        assert_eq!(two.uploader().device_label(), "桌面·zhang");
    }
}
