//! The demo site that `serve --demo` sets up on first start, and the
//! enrolment links the commands print.

use crate::store::{Device, Site, Store, StoreError};
use crate::token::DeviceToken;

/// The demo site's id.
pub const DEMO_SITE: &str = "demo";
/// The demo site's display name.
pub const DEMO_SITE_NAME: &str = "演示物业 · 世纪花园";
/// The tablets enrolled with the demo site.
pub const DEMO_DEVICES: [&str; 2] = ["大堂平板1", "大堂平板2"];

/// What `ensure_demo` found or did.
#[derive(Debug)]
pub enum DemoSetup {
    /// The site was created now, with these devices and their tokens.
    Created {
        /// The new site.
        site: Site,
        /// Its devices and their one-time tokens.
        devices: Vec<(Device, DeviceToken)>,
    },
    /// The site existed already; nothing was changed.
    Exists {
        /// The existing site.
        site: Site,
    },
}

/// Create the demo site and its tablets unless the site exists.
pub fn ensure_demo(store: &Store) -> Result<DemoSetup, StoreError> {
    if let Some(site) = store.site(DEMO_SITE)? {
        return Ok(DemoSetup::Exists { site });
    }
    let mut devices = Vec::new();
    let mut site = None;
    for name in DEMO_DEVICES {
        let e = store.enroll(DEMO_SITE, DEMO_SITE_NAME, name)?;
        site = Some(e.site);
        devices.push((e.device, e.token));
    }
    match site {
        Some(site) => Ok(DemoSetup::Created { site, devices }),
        // DEMO_DEVICES is not empty, so the loop ran.
        None => Err(StoreError::NoSuchDevice(DEMO_DEVICES.join(", "))),
    }
}

/// The link that enrols a tablet: the app reads the token from the
/// fragment, which browsers never send to a server or log.
pub fn enrolment_link(base_url: &str, token: &DeviceToken) -> String {
    format!(
        "{}/enroll#token={}",
        base_url.trim_end_matches('/'),
        token.reveal()
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_is_created_once() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let DemoSetup::Created { site, devices } = ensure_demo(&store).unwrap() else {
            panic!("expected creation");
        };
        assert_eq!(site.name, DEMO_SITE_NAME);
        let names: Vec<&str> = devices.iter().map(|(d, _)| d.name.as_str()).collect();
        assert_eq!(names, DEMO_DEVICES);
        assert!(matches!(
            ensure_demo(&store).unwrap(),
            DemoSetup::Exists { .. }
        ));
        let link = enrolment_link("http://127.0.0.1:8080/", &devices[0].1);
        assert_eq!(
            link,
            format!(
                "http://127.0.0.1:8080/enroll#token={}",
                devices[0].1.reveal()
            )
        );
    }
}
