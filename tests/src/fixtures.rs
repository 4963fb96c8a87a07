//! Small things most server and browser tests need: a staff attribution,
//! a device's site key, a supervisor login.

use crate::server_process::{HttpResponse, http_get, http_request_from};
use shiftbook_model::SiteKey;
use shiftbook_model::attribution::Attribution;
use shiftbook_model::roster::Role;
use std::net::{IpAddr, SocketAddr};

/// Errors of this module.
pub type FixtureError = Box<dyn std::error::Error + Send + Sync>;

/// A staff member of `device` acting at `at_ms`.
pub fn staff_author(device: &str, at_ms: i64) -> Attribution {
    Attribution {
        person_id: format!("staff-of-{device}"),
        person: format!("staff of {device}"),
        role: Role::Staff,
        device: device.to_owned(),
        at_ms,
    }
}

/// The site key `GET /api/device` gives the device with `token`.
pub async fn site_key(addr: SocketAddr, token: &str) -> Result<SiteKey, FixtureError> {
    let (status, body) = http_get(addr, "/api/device", Some(token)).await?;
    if status != 200 {
        return Err(format!("GET /api/device: {status} {body}").into());
    }
    let json: serde_json::Value = serde_json::from_str(&body)?;
    let hex = json["site_key"].as_str().ok_or("no site_key")?;
    Ok(SiteKey::from_hex(hex)?)
}

/// `POST /api/login` as `user` with `password`; the whole answer.
pub async fn login(
    addr: SocketAddr,
    user: &str,
    password: &str,
) -> Result<HttpResponse, FixtureError> {
    login_from(None, addr, user, password).await
}

/// [`login`] from the loopback source address `from` (many clients
/// from one machine; `None`: the default).
pub async fn login_from(
    from: Option<IpAddr>,
    addr: SocketAddr,
    user: &str,
    password: &str,
) -> Result<HttpResponse, FixtureError> {
    let body = serde_json::json!({ "user": user, "password": password }).to_string();
    Ok(http_request_from(
        from,
        addr,
        "POST",
        "/api/login",
        &[("Content-Type", "application/json")],
        Some(&body),
    )
    .await?)
}
