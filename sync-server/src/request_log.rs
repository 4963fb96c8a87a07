//! Request logging that cannot leak tokens.
//!
//! Devices may pass their token in the query string (`/sync?token=…`) or in
//! the `Authorization` header, so the usual trace layers, which log the
//! full URI, must not be used. This middleware logs the method, the path
//! (never the query), the status and the latency — nothing else.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use std::time::Instant;

/// Log one request after it has been answered.
pub async fn log_requests(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16();
    let ms = started.elapsed().as_millis();
    if response.status().is_server_error() {
        tracing::warn!(%method, %path, status, ms, "request");
    } else {
        tracing::info!(%method, %path, status, ms, "request");
    }
    response
}
