//! A supervisor's desktop session: signed in with user name and password
//! against the server (online), which sets an HttpOnly session cookie; the
//! cookie then authorises sync. The browser keeps the user name and the
//! user's sites (with their keys, as enrolled tablets do).

use crate::core::enrolment::{EnrolError, Enrolment};
use serde::{Deserialize, Serialize};
use shiftbook_model::SiteKey;

/// Key of the stored supervisor session description.
pub const SUPERVISOR_KEY: &str = "shiftbook.supervisor";
/// Key of the site the desktop shows (the supervisor's choice).
pub const SITE_CHOICE_KEY: &str = "shiftbook.supervisor.site";

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
    /// The site `choice` names if it is one of this supervisor's, else the
    /// first one; `None` for a supervisor without sites.
    pub fn site(&self, choice: Option<&str>) -> Option<&SupervisorSite> {
        choice
            .and_then(|c| self.sites.iter().find(|s| s.id == c))
            .or_else(|| self.sites.first())
    }

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
    crate::core::enrolment::get_json("/api/me", None).await
}

/// `POST /api/logout`, then forget the session here.
pub async fn logout() {
    let _ = gloo_net::http::Request::post("/api/logout").send().await;
    forget();
}

/// Forget the session description (the documents stay stored, so
/// unsynced changes sync after the next login).
pub fn forget() {
    <gloo_storage::LocalStorage as gloo_storage::Storage>::delete(SUPERVISOR_KEY);
}

/// Remember which site the desktop shows.
pub fn choose_site(site: &str) {
    let _ = crate::platform::storage::write_raw(SITE_CHOICE_KEY, site);
}

/// The site the supervisor chose last, if any.
pub fn chosen_site() -> Option<String> {
    crate::platform::storage::read_raw(SITE_CHOICE_KEY)
}

/// The stored session description, if any.
pub fn load() -> Option<SupervisorSession> {
    serde_json::from_str(&crate::platform::storage::read_raw(SUPERVISOR_KEY)?).ok()
}

/// Store the session description.
pub fn save(s: &SupervisorSession) -> Result<(), crate::platform::storage::StorageError> {
    let json = serde_json::to_string(s)
        .map_err(|e| crate::platform::storage::StorageError::Write(e.to_string()))?;
    crate::platform::storage::write_raw(SUPERVISOR_KEY, &json)
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

    #[test]
    fn the_chosen_site_must_be_one_of_the_supervisors() {
        let key = "ab".repeat(32);
        let json = format!(
            r#"{{"user":"u","sites":[{{"id":"a","name":"A","site_key":"{key}"}},{{"id":"b","name":"B","site_key":"{key}"}}]}}"#
        );
        let s: SupervisorSession = serde_json::from_str(&json).unwrap();
        assert_eq!(s.site(Some("b")).unwrap().id, "b");
        assert_eq!(s.site(Some("zz")).unwrap().id, "a");
        assert_eq!(s.site(None).unwrap().id, "a");
    }
}
