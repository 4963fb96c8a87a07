//! Device authentication for `/sync` and `/api/*`.
//!
//! A device presents its token as `Authorization: Bearer <token>` or, where
//! a header cannot be set (a browser's `WebSocket`), as `?token=<token>`.
//! The header wins when both are present. Every request is checked against
//! the database; nothing is cached, so a revocation made by the `revoke`
//! command applies to the very next request.

use crate::error::AppError;
use crate::store::{AuthedDevice, Store};
use crate::token::{MAX_TOKEN_LEN, TokenDigest};
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
}
