//! `GET /api/receipts/{doc}`: when the server first held each change of a
//! document, and whose connection uploaded it.
//!
//! Every change a person makes carries its attribution (person, role,
//! device, device time) in its commit message — what the *tablet* says.
//! The receipt is what the *server* knows: its own clock when it first held
//! the change, and the authenticated device (or supervisor session) whose
//! connection uploaded it. Both are written in the same transaction as the
//! change itself ([`crate::doc_store`]), so a receipt exists exactly for
//! the changes the server stored, and keeps its first time for good.
//! Genesis changes (the fixed genesis actor, identical on every device)
//! are nobody's and get none.
//!
//! The app compares the two: a change whose attribution names another
//! device than the one that uploaded it is shown as unconfirmed (see
//! ARCHITECTURE, "What the server vouches for").

use crate::error::AppError;
use crate::principal::Principal;
use crate::state::AppState;
use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::IntoResponse;
use shiftbook_model::DocumentId;
use std::collections::BTreeMap;

/// What `GET /api/receipts/{doc}` answers.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ReceiptsInfo {
    /// The document id, base58check.
    pub doc: String,
    /// Change hash (64 hex digits) → when the server first held that
    /// change (ms since the Unix epoch). Genesis changes are not listed.
    pub receipts: BTreeMap<String, i64>,
    /// Change hash → the device name of the connection that uploaded it,
    /// as the app writes device names into attributions (a device's
    /// enrolled name, `桌面·<user>` for a supervisor's desktop). Changes
    /// received before uploaders were recorded are not listed.
    #[serde(default)]
    pub uploaded_by: BTreeMap<String, String>,
}

/// `GET /api/receipts/{doc}`: the receipts of a document of the caller's
/// site (a device token) or of one of its sites (a supervisor's session
/// cookie). 401 without valid credentials, 400 for a malformed id, 404
/// for a document the caller may not read or that has no owner.
pub async fn get(
    State(state): State<AppState>,
    who: Principal,
    doc: Result<Path<String>, PathRejection>,
) -> Result<impl IntoResponse, AppError> {
    let doc: DocumentId = doc
        .map_err(|_| AppError::BadRequest("not a document id"))?
        .0
        .parse()
        .map_err(|_| AppError::BadRequest("not a document id"))?;
    let receipts = state
        .store
        .call(move |s| match s.doc_owner(&doc)? {
            Some(site) if who.acts_for(&site) => s.receipts(&doc).map(Some),
            _ => Ok(None),
        })
        .await?
        .ok_or(AppError::NotFound)?;
    let mut info = ReceiptsInfo {
        doc: doc.to_string(),
        receipts: BTreeMap::new(),
        uploaded_by: BTreeMap::new(),
    };
    for (hash, receipt) in receipts {
        if let Some(by) = receipt.by {
            info.uploaded_by.insert(hash.clone(), by);
        }
        info.receipts.insert(hash, receipt.at);
    }
    Ok(([(header::CACHE_CONTROL, "no-store")], Json(info)))
}
