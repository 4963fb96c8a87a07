//! The HTTP error type: every handler failure becomes one of these, and
//! each variant knows its response.
//!
//! Client errors say what is wrong in a short plain-text body. Server
//! errors log their details and answer an opaque 500, so nothing about
//! the database or the file system leaks to a client.

use crate::store::StoreError;
use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// A failed HTTP request.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// No token, or a token of no live device.
    #[error("unauthorized")]
    Unauthorized,
    /// Nothing at this path, or nothing the caller may see.
    #[error("not found")]
    NotFound,
    /// The request is malformed; the text says how.
    #[error("bad request: {0}")]
    BadRequest(&'static str),
    /// `/sync` was asked for without a valid WebSocket upgrade.
    #[error("not a websocket upgrade: {0}")]
    NotWebSocket(#[from] WebSocketUpgradeRejection),
    /// The body is larger than the endpoint takes.
    #[error("payload too large")]
    TooLarge,
    /// The body's media type is not one the endpoint takes.
    #[error("unsupported media type")]
    UnsupportedMediaType,
    /// The request cannot be carried out yet; the text says why.
    #[error("conflict: {0}")]
    Conflict(&'static str),
    /// The caller used up a limit; the text says which.
    #[error("too many requests: {0}")]
    TooMany(&'static str),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Authenticated, but not someone this is for.
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    /// The projection failed.
    #[error(transparent)]
    Projection(#[from] crate::projection::ProjectionError),
    /// An export could not be written.
    #[error(transparent)]
    Export(crate::export::ExportError),
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match self {
            Self::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                [(header::WWW_AUTHENTICATE, "Bearer")],
                "unauthorized: missing, unknown or revoked device token\n",
            )
                .into_response(),
            Self::NotFound => (StatusCode::NOT_FOUND, "not found\n").into_response(),
            Self::BadRequest(why) => {
                (StatusCode::BAD_REQUEST, format!("bad request: {why}\n")).into_response()
            }
            Self::NotWebSocket(rejection) => rejection.into_response(),
            Self::TooLarge => {
                (StatusCode::PAYLOAD_TOO_LARGE, "payload too large\n").into_response()
            }
            Self::UnsupportedMediaType => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported media type: send image/jpeg, image/png or image/webp\n",
            )
                .into_response(),
            Self::Conflict(why) => {
                (StatusCode::CONFLICT, format!("conflict: {why}\n")).into_response()
            }
            Self::TooMany(why) => (
                StatusCode::TOO_MANY_REQUESTS,
                format!("too many requests: {why}\n"),
            )
                .into_response(),
            Self::Store(e) => {
                tracing::error!(error = %e, "request failed");
                (StatusCode::INTERNAL_SERVER_ERROR, "internal server error\n").into_response()
            }
            Self::Forbidden(why) => {
                (StatusCode::FORBIDDEN, format!("forbidden: {why}\n")).into_response()
            }
            Self::Projection(e) => {
                tracing::error!(error = %e, "reading the figures failed");
                (StatusCode::INTERNAL_SERVER_ERROR, "internal server error\n").into_response()
            }
            Self::Export(e) => {
                tracing::error!(error = %e, "writing an export failed");
                (StatusCode::INTERNAL_SERVER_ERROR, "internal server error\n").into_response()
            }
        }
    }
}
