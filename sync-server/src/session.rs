//! Supervisors' login sessions: `POST /api/login`, `POST /api/logout`,
//! `GET /api/me`, and the login rate limit.
//!
//! A login checks the password (argon2id, see [`crate::password`]) and
//! answers with a session cookie `shiftbook_session`: 32 random bytes as
//! URL-safe base64, `HttpOnly; SameSite=Strict; Path=/` (and `Secure` when
//! the server runs with `--secure-cookies` behind HTTPS). The database
//! keeps only the cookie's SHA-256 with an expiry 12 hours after login, so
//! sessions survive a restart and a stolen database holds no usable
//! cookie. Logout deletes the session and closes its live sync sockets at
//! once; the revocation sweeper closes sockets of expired sessions.
//!
//! An unknown user and a wrong password get the same 401 body, and both
//! cost one argon2 verification (against a dummy hash for unknown users).
//!
//! **Rate limit** ([`LoginLimiter`], in memory, per user name as typed):
//! every attempt is counted as a failure when it starts and the count is
//! taken back if the password was right, so concurrent guesses count too.
//! Once a name has [`MAX_FAILURES`] failures within [`FAILURE_WINDOW`],
//! further attempts get 429 with `Retry-After` until the oldest failure
//! is a window old. A successful login does not forgive earlier failures;
//! they age out. The limiter is per process and forgets on restart; its
//! key is the name's first 64 characters (no real name is longer).
//!
//! Logs name the user (quoted) but never the password or the cookie.

use crate::error::AppError;
use crate::password;
use crate::state::AppState;
use crate::store::{Site, now_ms};
use crate::token::{MAX_TOKEN_LEN, TokenDigest, random_bytes};
use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "shiftbook_session";
/// How long a session lasts after login.
pub const SESSION_TTL: Duration = Duration::from_secs(12 * 60 * 60);
/// Failed logins per user name allowed within [`FAILURE_WINDOW`].
pub const MAX_FAILURES: usize = 5;
/// The rate limit's window.
pub const FAILURE_WINDOW: Duration = Duration::from_secs(60);
/// The user names the limiter remembers before it drops aged-out ones.
const LIMITER_PRUNE_AT: usize = 10_000;
/// The body of every 401 from `POST /api/login`.
pub const LOGIN_FAILED: &str = "wrong user name or password";

/// Failed logins per user name, in memory.
#[derive(Debug, Default)]
pub struct LoginLimiter {
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl LoginLimiter {
    /// Start an attempt for `user` at `now`: counted as a failure until
    /// [`LoginLimiter::succeeded`] takes it back. `Err(retry_after)` when
    /// the user has too many recent failures (nothing is counted then).
    pub fn begin(&self, user: &str, now: Instant) -> Result<Instant, Duration> {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= LIMITER_PRUNE_AT {
            map.retain(|_, times| {
                prune(times, now);
                !times.is_empty()
            });
        }
        let times = map.entry(user.to_owned()).or_default();
        prune(times, now);
        if times.len() >= MAX_FAILURES {
            let oldest = times.front().copied().unwrap_or(now);
            let wait = (oldest + FAILURE_WINDOW).saturating_duration_since(now);
            return Err(wait.max(Duration::from_secs(1)));
        }
        times.push_back(now);
        Ok(now)
    }

    /// The attempt begun at `at` was right: it is not a failure.
    pub fn succeeded(&self, user: &str, at: Instant) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(times) = map.get_mut(user) {
            if let Some(i) = times.iter().rposition(|t| *t == at) {
                times.remove(i);
            }
            if times.is_empty() {
                map.remove(user);
            }
        }
    }
}

fn prune(times: &mut VecDeque<Instant>, now: Instant) {
    while times
        .front()
        .is_some_and(|t| now.saturating_duration_since(*t) >= FAILURE_WINDOW)
    {
        times.pop_front();
    }
}

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
    // Real names have at most 64 characters; the limiter's key is bounded
    // so a flood of huge names cannot use much memory.
    let limit_key = loggable(&user);
    let attempt = match state.logins.begin(&limit_key, Instant::now()) {
        Ok(attempt) => attempt,
        Err(retry_after) => {
            tracing::warn!(user = ?loggable(&user), "login refused: too many failures");
            let mut response = json_error(
                StatusCode::TOO_MANY_REQUESTS,
                "too many failed logins for this user; try again later",
            );
            response.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from(retry_after.as_secs().max(1)),
            );
            return Ok(response);
        }
    };
    let (name, password) = (user.clone(), request.password);
    let ok = state
        .store
        .call(move |s| {
            let phc = s.supervisor_password(&name)?;
            Ok(password::verify_or_dummy(&password, phc.as_deref()))
        })
        .await?;
    if !ok {
        tracing::warn!(user = ?loggable(&user), "login failed");
        return Ok(json_error(StatusCode::UNAUTHORIZED, LOGIN_FAILED));
    }
    state.logins.succeeded(&limit_key, attempt);

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
    fn the_sixth_failure_within_a_minute_is_refused_until_the_first_ages_out() {
        let limiter = LoginLimiter::default();
        let t0 = Instant::now();
        for i in 0..5 {
            limiter.begin("zhang", t0 + Duration::from_secs(i)).unwrap();
        }
        let retry = limiter
            .begin("zhang", t0 + Duration::from_secs(10))
            .unwrap_err();
        assert_eq!(retry, Duration::from_secs(50));
        // Other names are not affected.
        limiter.begin("li", t0 + Duration::from_secs(10)).unwrap();
        // The first failure ages out after a minute.
        limiter
            .begin("zhang", t0 + Duration::from_secs(60))
            .unwrap();
    }

    #[test]
    fn a_success_is_not_a_failure_but_forgives_nothing() {
        let limiter = LoginLimiter::default();
        let t0 = Instant::now();
        for i in 0..4 {
            limiter.begin("zhang", t0 + Duration::from_secs(i)).unwrap();
        }
        let ok = limiter.begin("zhang", t0 + Duration::from_secs(5)).unwrap();
        limiter.succeeded("zhang", ok);
        // Four failures remain; one more is allowed, then none.
        limiter.begin("zhang", t0 + Duration::from_secs(6)).unwrap();
        assert!(limiter.begin("zhang", t0 + Duration::from_secs(7)).is_err());
    }

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
