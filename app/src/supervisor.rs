//! A supervisor's desktop session: signed in with user name and password
//! against the server (online), which sets an HttpOnly session cookie; the
//! cookie then authorises sync. The browser keeps the user name and the
//! user's sites (with their keys, as enrolled tablets do).

use crate::enrolment::{EnrolError, Enrolment};
use serde::{Deserialize, Serialize};
use shiftbook_model::SiteKey;

/// Key of the stored supervisor session description.
pub const SUPERVISOR_KEY: &str = "shiftbook.supervisor";

/// One site a supervisor works on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupervisorSite {
    /// Site id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// The site's key for deriving document ids.
    pub site_key: SiteKey,
}

/// What the server says about a signed-in supervisor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupervisorSession {
    /// User name.
    pub user: String,
    /// Sites.
    pub sites: Vec<SupervisorSite>,
}

impl SupervisorSession {
    /// The desktop's view of `site` as if it were an enrolment without a
    /// token (the cookie authorises sync).
    pub fn enrolment(&self, site: &SupervisorSite) -> Enrolment {
        Enrolment {
            token: String::new(),
            site: site.id.clone(),
            site_name: site.name.clone(),
            device: format!("桌面·{}", self.user),
            site_key: site.site_key.clone(),
        }
    }
}

/// Why a login failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginError {
    /// Wrong user name or password.
    Wrong,
    /// Too many failures: try later.
    TooMany,
    /// Network or server trouble.
    Other(String),
}

/// `POST /api/login`.
pub async fn login(user: &str, password: &str) -> Result<SupervisorSession, LoginError> {
    let body = serde_json::json!({ "user": user, "password": password });
    let request = gloo_net::http::Request::post("/api/login")
        .json(&body)
        .map_err(|e| LoginError::Other(e.to_string()))?;
    let response = request
        .send()
        .await
        .map_err(|e| LoginError::Other(e.to_string()))?;
    match response.status() {
        200 => response
            .json::<SupervisorSession>()
            .await
            .map_err(|e| LoginError::Other(e.to_string())),
        401 => Err(LoginError::Wrong),
        429 => Err(LoginError::TooMany),
        other => Err(LoginError::Other(format!("HTTP {other}"))),
    }
}

/// `GET /api/me`: is the session still valid?
pub async fn fetch_me() -> Result<SupervisorSession, EnrolError> {
    crate::enrolment::get_json("/api/me", None).await
}

/// `POST /api/logout`, then forget the session here.
pub async fn logout() {
    let _ = gloo_net::http::Request::post("/api/logout").send().await;
    <gloo_storage::LocalStorage as gloo_storage::Storage>::delete(SUPERVISOR_KEY);
}

/// The stored session description, if any.
pub fn load() -> Option<SupervisorSession> {
    serde_json::from_str(&crate::storage::read_raw(SUPERVISOR_KEY)?).ok()
}

/// Store the session description.
pub fn save(s: &SupervisorSession) -> Result<(), crate::storage::StorageError> {
    let json =
        serde_json::to_string(s).map_err(|e| crate::storage::StorageError::Write(e.to_string()))?;
    crate::storage::write_raw(SUPERVISOR_KEY, &json)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_server_answer_parses_and_becomes_a_tokenless_enrolment() {
        let key = "ab".repeat(32);
        let json = format!(
            r#"{{"user":"zhuguan","sites":[{{"id":"demo","name":"演示","site_key":"{key}"}}]}}"#
        );
        let s: SupervisorSession = serde_json::from_str(&json).unwrap();
        let e = s.enrolment(&s.sites[0]);
        assert_eq!((e.token.as_str(), e.site.as_str()), ("", "demo"));
        assert_eq!(e.device, "桌面·zhuguan");
    }
}
