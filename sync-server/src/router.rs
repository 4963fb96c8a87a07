//! The HTTP routes.
//!
//! | path | what |
//! |---|---|
//! | `GET /healthz` | 200 `ok` while the database answers |
//! | `GET /api/device` | the token's device and site, JSON; 401 otherwise |
//! | `POST /api/login` | supervisor login, JSON; sets the session cookie |
//! | `POST /api/logout` | ends the session, clears the cookie; 204 |
//! | `GET /api/me` | the session's supervisor and sites, JSON; 401 otherwise |
//! | `GET /api/receipts/{doc}` | when the server first held each change of a document of the caller's site(s), JSON; device token or session cookie; 401 / 400 (bad id) / 404 (not the caller's or no owner) |
//! | `PUT /api/blobs/{sha256}?doc={doc}` | store a photo attached to a record of the caller's site; 201 stored, 200 held already; 400 bad name or bytes not matching it, 404 not the caller's record, 409 record not on the server yet, 413 over 4 MiB, 415 not a photo, 429 the uploader's daily bytes used up (see [`crate::blobs`]) |
//! | `GET /api/blobs/{sha256}` | the photo, to a site that holds it; 404 otherwise |
//! | `GET /sync` | the sync WebSocket for a device token or a session cookie; 401 before any upgrade |
//! | `/api/…`, `/sync/…` | 404 |
//! | anything else | the built app, with SPA fallback to `index.html` |
//!
//! Every request is logged by path only (see [`crate::request_log`]).

use crate::state::AppState;
use crate::{api, assets, blobs, dashboard, export, receipts, request_log, session, sync_socket};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{any, get, post};

/// The whole HTTP application, testable without a socket.
pub fn app(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(api::healthz))
        .route("/api/device", get(api::device))
        .route("/api/login", post(session::login))
        .route("/api/logout", post(session::logout))
        .route("/api/me", get(session::me))
        .route("/api/receipts/{doc}", get(receipts::get))
        .route("/api/dashboard/rounds", get(dashboard::rounds))
        .route("/api/dashboard/slots", get(dashboard::slots))
        .route("/api/export/rounds", get(export::rounds))
        .route(
            "/api/blobs/{sha256}",
            get(blobs::get)
                .put(blobs::put)
                .layer(DefaultBodyLimit::max(blobs::MAX_BLOB_BYTES)),
        )
        .route("/api", any(api::not_found))
        .route("/api/{*rest}", any(api::not_found))
        .route("/sync", get(sync_socket::upgrade))
        .route("/sync/{*rest}", any(api::not_found))
        .fallback(assets::serve_app)
        .layer(axum::middleware::from_fn(request_log::log_requests))
        .with_state(state)
}
