//! Enrolment: how a tablet learns which site it belongs to.
//!
//! The supervisor's enrolment link is `https://<server>/enroll#token=<T>`.
//! The token sits in the URL fragment, which browsers never send to the
//! server, so it cannot end up in a log. The app stores it, asks the
//! server who it is (`GET /api/device`), keeps the answer — including the
//! site key that derives document ids — and removes the token from the
//! address bar and history.

use serde::{Deserialize, Serialize};
use shiftbook_model::SiteKey;
use std::fmt;

/// What this tablet knows about itself once enrolled.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enrolment {
    /// The device token: authorises `/sync`. A secret.
    pub token: String,
    /// The site id.
    pub site: String,
    /// The site's display name.
    pub site_name: String,
    /// This device's enrolled name, e.g. 大堂平板1.
    pub device: String,
    /// The site's key for deriving document ids. A secret.
    pub site_key: SiteKey,
}

impl fmt::Debug for Enrolment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Secrets stay out of debug output and logs.
        f.debug_struct("Enrolment")
            .field("site", &self.site)
            .field("device", &self.device)
            .finish_non_exhaustive()
    }
}

/// The server's answer to `GET /api/device`.
#[derive(Debug, Clone, Deserialize)]
pub struct DeviceInfo {
    /// The site id.
    pub site: String,
    /// The site's display name.
    pub site_name: String,
    /// The device's name.
    pub device: String,
    /// The site key.
    pub site_key: SiteKey,
}

/// Why enrolment did not complete.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnrolError {
    /// The server does not accept the token (unknown or revoked).
    #[error("the server refused the token")]
    Refused,
    /// No network, or the server is unreachable.
    #[error("network: {0}")]
    Network(String),
    /// The server answered something unexpected.
    #[error("unexpected answer: {0}")]
    BadAnswer(String),
}

/// The token in an enrolment URL's path and fragment, if this is one.
pub fn token_from_url(path: &str, fragment: &str) -> Option<String> {
    if path.trim_end_matches('/') != "/enroll" {
        return None;
    }
    fragment
        .trim_start_matches('#')
        .split('&')
        .find_map(|pair| pair.strip_prefix("token="))
        .map(str::trim)
        .filter(|t| !t.is_empty() && t.len() <= 256 && t.bytes().all(|b| b.is_ascii_graphic()))
        .map(str::to_owned)
}

impl Enrolment {
    /// Combine a token with the server's description of its device.
    pub fn new(token: String, info: DeviceInfo) -> Self {
        Self {
            token,
            site: info.site,
            site_name: info.site_name,
            device: info.device,
            site_key: info.site_key,
        }
    }
}

/// Ask the server which device `token` belongs to.
pub async fn fetch_device(token: &str) -> Result<DeviceInfo, EnrolError> {
    get_json("/api/device", Some(token)).await
}

/// `GET url` (with a bearer token, else the browser's cookies) as JSON:
/// 401/403 are [`EnrolError::Refused`].
pub async fn get_json<T: serde::de::DeserializeOwned>(
    url: &str,
    bearer: Option<&str>,
) -> Result<T, EnrolError> {
    let mut request = gloo_net::http::Request::get(url);
    if let Some(token) = bearer {
        request = request.header("Authorization", &format!("Bearer {token}"));
    }
    let response = request
        .send()
        .await
        .map_err(|e| EnrolError::Network(e.to_string()))?;
    match response.status() {
        200 => response
            .json::<T>()
            .await
            .map_err(|e| EnrolError::BadAnswer(e.to_string())),
        401 | 403 => Err(EnrolError::Refused),
        other => Err(EnrolError::BadAnswer(format!("HTTP {other}"))),
    }
}

/// The stored enrolment, if any and readable.
pub fn load() -> Option<Enrolment> {
    let raw = crate::platform::storage::read_raw(crate::platform::storage::ENROLMENT_KEY)?;
    serde_json::from_str(&raw).ok()
}

/// Store the enrolment.
pub fn save(e: &Enrolment) -> Result<(), crate::platform::storage::StorageError> {
    let json = serde_json::to_string(e)
        .map_err(|err| crate::platform::storage::StorageError::Write(err.to_string()))?;
    crate::platform::storage::write_raw(crate::platform::storage::ENROLMENT_KEY, &json)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_comes_from_the_fragment_of_the_enrol_path_only() {
        assert_eq!(
            token_from_url("/enroll", "#token=abc_DEF-1").as_deref(),
            Some("abc_DEF-1")
        );
        assert_eq!(
            token_from_url("/enroll/", "token=abc").as_deref(),
            Some("abc")
        );
        assert_eq!(
            token_from_url("/enroll", "#x=1&token=abc").as_deref(),
            Some("abc")
        );
        assert_eq!(token_from_url("/", "#token=abc"), None);
        assert_eq!(token_from_url("/enroll", "#token="), None);
        assert_eq!(token_from_url("/enroll", "#token=a b"), None);
        assert_eq!(token_from_url("/enroll", ""), None);
    }

    #[test]
    fn debug_output_hides_the_secrets() {
        let e = Enrolment {
            token: "SECRET-TOKEN".into(),
            site: "demo".into(),
            site_name: "Demo".into(),
            device: "T1".into(),
            site_key: SiteKey::from_random([0xcd; 32]),
        };
        let shown = format!("{e:?}");
        assert!(!shown.contains("SECRET") && !shown.contains("cdcd"));
        let back: Enrolment = serde_json::from_str(&serde_json::to_string(&e).unwrap()).unwrap();
        assert_eq!(back, e);
    }
}
