//! Supervisors' login sessions: `POST /api/login`, `POST /api/logout`,
//! `GET /api/me`, and the login rate limit.
//!
//! A login checks the password (argon2id, see [`crate::password`]) and
//! answers with a session cookie `shiftbook_session`: 32 random bytes as
//! URL-safe base64, `HttpOnly; SameSite=Strict; Path=/; Secure` (without
//! `Secure` only when the server runs with `--insecure-cookies`). The database
//! keeps only the cookie's SHA-256 with an expiry 12 hours after login, so
//! sessions survive a restart and a stolen database holds no usable
//! cookie. Logout deletes the session and closes its live sync sockets at
//! once; the revocation sweeper closes sockets of expired sessions.
//!
//! An unknown user and a wrong password get the same 401 body, and both
//! cost one argon2 verification (against a dummy hash for unknown users).
//!
//! **Limits**, before any password is hashed: per address and per name
//! from an address ([`crate::login_limiter`]), answered 429 with
//! `Retry-After`; then the bounded password pool
//! ([`crate::password_checks`]), answered 503 with `Retry-After: 1` when
//! full. Refusals are logged (user name and address).
//!
//! Logs name the user (quoted) but never the password or the cookie.

use crate::client_addr::ClientAddr;
use crate::error::AppError;
use crate::login_limiter::Refusal;
use crate::password_checks::CheckError;
use crate::state::AppState;
use crate::store::{Site, now_ms};
use crate::token::{MAX_TOKEN_LEN, TokenDigest, random_bytes};
use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use std::collections::HashSet;
use std::time::{Duration, Instant};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "shiftbook_session";
/// How long a session lasts after login.
pub const SESSION_TTL: Duration = Duration::from_secs(12 * 60 * 60);
/// The body of every 401 from `POST /api/login`.
pub const LOGIN_FAILED: &str = "wrong user name or password";

/// What `POST /api/login` expects.
#[derive(serde::Deserialize)]
pub struct LoginRequest {
    /// The supervisor's user name.
    pub user: String,
    /// The password.
    pub password: String,
}

/// A site as a supervisor sees it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SiteInfo {
    /// Site id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// The site key (64 hex digits), to derive the site's document ids.
    pub site_key: String,
}

/// What `POST /api/login` and `GET /api/me` answer.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MeInfo {
    /// The supervisor's user name.
    pub user: String,
    /// Its sites.
    pub sites: Vec<SiteInfo>,
}

impl MeInfo {
    fn new(user: String, sites: &[Site]) -> Self {
        Self {
            user,
            sites: sites
                .iter()
                .map(|s| SiteInfo {
                    id: s.id.clone(),
                    name: s.name.clone(),
                    site_key: s.key.to_hex(),
                })
                .collect(),
        }
    }
}

/// An error the client may retry after `after`.
fn retry_later(status: StatusCode, message: &str, after: Duration) -> Response {
    let mut response = json_error(status, message);
    response.headers_mut().insert(
        header::RETRY_AFTER,
        HeaderValue::from(after.as_secs().max(1)),
    );
    response
}

fn json_error(status: StatusCode, message: &str) -> Response {
    (
        status,
        [(header::CACHE_CONTROL, "no-store")],
        Json(serde_json::json!({ "error": message })),
    )
        .into_response()
}

/// The user name as it may appear in a log line: at most 64 characters.
fn loggable(user: &str) -> String {
    user.chars().take(64).collect()
}

/// The session cookie a request presents, if any.
pub fn presented_session(headers: &HeaderMap) -> Option<TokenDigest> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.trim())
        .filter(|v| !v.is_empty() && v.len() <= MAX_TOKEN_LEN)
        .map(TokenDigest::of)
}

fn set_cookie(value: &str, max_age: u64, secure: bool) -> Option<HeaderValue> {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={value}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age}{secure}"
    ))
    .ok()
}

/// `POST /api/login`.
pub async fn login(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    body: Result<Json<LoginRequest>, JsonRejection>,
) -> Result<Response, AppError> {
    let request = match body {
        Ok(Json(request)) => request,
        Err(rejection) => {
            let message = format!(
                "expected a JSON body {{\"user\": \"…\", \"password\": \"…\"}} with Content-Type: application/json ({})",
                rejection.body_text()
            );
            return Ok(json_error(StatusCode::BAD_REQUEST, &message));
        }
    };
    let user = request.user;
    let attempt = match state.logins.begin(addr, &user, Instant::now()) {
        Ok(attempt) => attempt,
        Err(refusal) => {
            let message = match refusal {
                Refusal::Address(_) => "too many logins from this address; try again later",
                Refusal::User(_) => "too many failed logins for this user; try again later",
            };
            tracing::warn!(user = ?loggable(&user), %addr, "login refused: {message}");
            return Ok(retry_later(
                StatusCode::TOO_MANY_REQUESTS,
                message,
                refusal.retry_after(),
            ));
        }
    };
    let ok = match state
        .password_checks
        .verify(user.clone(), request.password)
        .await
    {
        Ok(ok) => ok,
        Err(busy @ CheckError::Busy) => {
            tracing::warn!(user = ?loggable(&user), %addr, "login refused: {busy}");
            return Ok(retry_later(
                StatusCode::SERVICE_UNAVAILABLE,
                &busy.to_string(),
                Duration::from_secs(1),
            ));
        }
        Err(CheckError::Store(e)) => return Err(e.into()),
    };
    if !ok {
        tracing::warn!(user = ?loggable(&user), %addr, "login failed");
        return Ok(json_error(StatusCode::UNAUTHORIZED, LOGIN_FAILED));
    }
    state.logins.succeeded(&attempt);

    let cookie = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(random_bytes::<32>().map_err(|e| AppError::Store(e.into()))?);
    let digest = TokenDigest::of(&cookie);
    let ttl_ms = i64::try_from(SESSION_TTL.as_millis()).unwrap_or(i64::MAX);
    let expires_at = now_ms().saturating_add(ttl_ms);
    let name = user.clone();
    let session = state
        .store
        .call(move |s| {
            s.create_session(&name, &digest, expires_at)?;
            s.session(&digest)
        })
        .await?
        .ok_or(AppError::Unauthorized)?;
    tracing::info!(user = ?loggable(&user), sites = session.sites.len(), "supervisor logged in");
    let mut response = (
        [(header::CACHE_CONTROL, "no-store")],
        Json(MeInfo::new(session.name, &session.sites)),
    )
        .into_response();
    if let Some(value) = set_cookie(&cookie, SESSION_TTL.as_secs(), state.secure_cookies) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    Ok(response)
}

/// `POST /api/logout`: end the session (if any), close its sync sockets,
/// clear the cookie. Always 204.
pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    if let Some(digest) = presented_session(&headers) {
        let d = digest.clone();
        let ended = state.store.call(move |s| s.end_session(&d)).await?;
        let closed = state
            .peers
            .disconnect_sessions(&HashSet::from([digest.as_hex().to_owned()]));
        if ended {
            tracing::info!(connections = closed, "supervisor logged out");
        }
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    if let Some(value) = set_cookie("", 0, state.secure_cookies) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    Ok(response)
}

/// `GET /api/me`: the logged-in supervisor and its sites, or 401.
pub async fn me(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, AppError> {
    let Some(digest) = presented_session(&headers) else {
        return Ok(json_error(StatusCode::UNAUTHORIZED, "not logged in"));
    };
    match state.store.call(move |s| s.session(&digest)).await? {
        Some(session) => Ok((
            [(header::CACHE_CONTROL, "no-store")],
            Json(MeInfo::new(session.name, &session.sites)),
        )
            .into_response()),
        None => Ok(json_error(StatusCode::UNAUTHORIZED, "not logged in")),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let mut h = HeaderMap::new();
        assert!(presented_session(&h).is_none());
        h.append(
            header::COOKIE,
            HeaderValue::from_static("a=1; shiftbook_session=abc; b=2"),
        );
        assert_eq!(presented_session(&h), Some(TokenDigest::of("abc")));
        let mut h = HeaderMap::new();
        h.append(
            header::COOKIE,
            HeaderValue::from_static("shiftbook_session="),
        );
        assert!(presented_session(&h).is_none());
    }
}
