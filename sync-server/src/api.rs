//! The small JSON/text API: `GET /healthz` and `GET /api/device`.

use crate::error::AppError;
use crate::state::AppState;
use crate::store::AuthedDevice;
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// What `GET /api/device` tells an enrolled tablet about itself.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DeviceInfo {
    /// Site id, e.g. `demo`.
    pub site: String,
    /// Site display name.
    pub site_name: String,
    /// This device's name.
    pub device: String,
    /// The site key (64 hex digits) the tablet derives document ids from.
    /// A secret of the site: only its own devices ever receive it.
    pub site_key: String,
}

/// `GET /healthz`: 200 `ok` while the database answers and document
/// storage writes; 503 with the reason while a write fails (a full disk):
/// the server then acknowledges nothing.
pub async fn healthz(State(state): State<AppState>) -> Result<Response, AppError> {
    state.store.call(|s| s.ping()).await?;
    Ok(match state.sync.health().storage() {
        Ok(()) => "ok".into_response(),
        Err(why) => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("document storage is failing; nothing is acknowledged: {why}\n"),
        )
            .into_response(),
    })
}

/// `GET /api/device`: who the presented token belongs to.
pub async fn device(who: AuthedDevice) -> Result<impl IntoResponse, AppError> {
    let info = DeviceInfo {
        site: who.site.id,
        site_name: who.site.name,
        device: who.device.name,
        site_key: who.site.key.to_hex(),
    };
    // The body carries a secret: keep it out of every cache.
    Ok(([(header::CACHE_CONTROL, "no-store")], Json(info)))
}

/// Any other `/api/…` or `/sync/…` path.
pub async fn not_found() -> AppError {
    AppError::NotFound
}
