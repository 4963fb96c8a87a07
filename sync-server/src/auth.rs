//! Authentication for `/sync` and `/api/*`.
//!
//! A device presents its token as `Authorization: Bearer <token>` or, where
//! a header cannot be set (a browser's `WebSocket`), as `?token=<token>`.
//! The header wins when both are present. A supervisor's browser presents
//! its session cookie instead (see [`crate::session`]); on `/sync` a token,
//! if present, wins over a cookie. Every request is checked against the
//! database; nothing is cached, so a revocation made by the `revoke`
//! command, or a logout, applies to the very next request.
//!
//! Handlers take the caller as an extractor: [`Principal`] (a device or a
//! supervisor) or [`AuthedDevice`] (devices only). Either rejects with
//! [`AppError::Unauthorized`] before the handler runs.

use crate::error::AppError;
use crate::principal::Principal;
use crate::session::presented_session;
use crate::state::AppState;
use crate::store::{AuthedDevice, Store};
use crate::token::{MAX_TOKEN_LEN, TokenDigest};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, Uri, header};

#[derive(serde::Deserialize)]
struct TokenQuery {
    token: Option<String>,
}

/// The token a request presents, if any.
pub fn presented_token(headers: &HeaderMap, uri: &Uri) -> Option<String> {
    let from_header = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let (scheme, rest) = v.split_once(' ')?;
            scheme
                .eq_ignore_ascii_case("bearer")
                .then(|| rest.trim().to_owned())
        });
    let token = from_header.or_else(|| {
        axum::extract::Query::<TokenQuery>::try_from_uri(uri)
            .ok()
            .and_then(|q| q.0.token)
    })?;
    (!token.is_empty()).then_some(token)
}

/// The live device behind the request's token, or [`AppError::Unauthorized`].
pub async fn authenticate(
    store: &Store,
    headers: &HeaderMap,
    uri: &Uri,
) -> Result<AuthedDevice, AppError> {
    let token = presented_token(headers, uri).ok_or(AppError::Unauthorized)?;
    if token.len() > MAX_TOKEN_LEN {
        return Err(AppError::Unauthorized);
    }
    let digest = TokenDigest::of(&token);
    store
        .call(move |s| s.authenticate(&digest))
        .await?
        .ok_or(AppError::Unauthorized)
}

/// Who opens a sync connection: the device of the presented token, or
/// else the supervisor of the presented session cookie.
///
/// A cookie is sent by the browser whatever page opened the socket, so a
/// cookie-authenticated upgrade whose `Origin` names another host than the
/// request's `Host` is refused (cross-site WebSocket hijacking). A
/// reverse proxy in front of the server must therefore pass the browser's
/// `Host` header through unchanged.
pub async fn authenticate_connection(
    store: &Store,
    headers: &HeaderMap,
    uri: &Uri,
) -> Result<Principal, AppError> {
    if presented_token(headers, uri).is_some() {
        let who = authenticate(store, headers, uri).await?;
        return Ok(Principal::Device {
            device: who.device,
            site_key: who.site.key,
        });
    }
    let digest = presented_session(headers).ok_or(AppError::Unauthorized)?;
    if !same_origin(headers) {
        return Err(AppError::Unauthorized);
    }
    let d = digest.clone();
    let session = store
        .call(move |s| s.session(&d))
        .await?
        .ok_or(AppError::Unauthorized)?;
    Ok(Principal::Supervisor {
        name: session.name,
        sites: session.sites.into_iter().map(|s| (s.id, s.key)).collect(),
        session: digest.as_hex().to_owned(),
    })
}

/// The caller of a sync connection or a read of its site's data: a device
/// (token) or a supervisor (session cookie), see [`authenticate_connection`].
impl FromRequestParts<AppState> for Principal {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        authenticate_connection(&state.store, &parts.headers, &parts.uri).await
    }
}

/// The caller of a device-only endpoint, see [`authenticate`].
impl FromRequestParts<AppState> for AuthedDevice {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        authenticate(&state.store, &parts.headers, &parts.uri).await
    }
}

/// Whether the request's `Origin`, if it has one, is its own host.
fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let origin_host = origin
        .to_str()
        .ok()
        .and_then(|o| o.split_once("://"))
        .map(|(_, rest)| rest.trim_end_matches('/'));
    matches!((origin_host, host), (Some(o), Some(h)) if o.eq_ignore_ascii_case(h))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn uri(s: &str) -> Uri {
        s.parse().unwrap()
    }

    #[test]
    fn tokens_come_from_the_bearer_header_or_the_query() {
        let mut h = HeaderMap::new();
        assert_eq!(presented_token(&h, &uri("/sync")), None);
        assert_eq!(
            presented_token(&h, &uri("/sync?token=abc-_1")).as_deref(),
            Some("abc-_1")
        );
        assert_eq!(presented_token(&h, &uri("/sync?token=")), None);
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer xyz"),
        );
        assert_eq!(
            presented_token(&h, &uri("/sync?token=abc")).as_deref(),
            Some("xyz")
        );
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("Basic xyz"));
        assert_eq!(
            presented_token(&h, &uri("/sync?token=abc")).as_deref(),
            Some("abc")
        );
    }

    #[test]
    fn a_cross_site_origin_is_not_same_origin() {
        let mut h = HeaderMap::new();
        assert!(same_origin(&h), "native clients send no Origin");
        h.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://127.0.0.1:8080"),
        );
        assert!(same_origin(&h));
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("https://evil.example"),
        );
        assert!(!same_origin(&h));
    }
}
