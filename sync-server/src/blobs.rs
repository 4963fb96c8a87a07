//! `PUT /api/blobs/{sha256}?doc={doc}` and `GET /api/blobs/{sha256}`:
//! attachments (photos) beside the documents, never inside them.
//!
//! A blob is named by the SHA-256 of its bytes, so an upload is
//! idempotent: a tablet whose connection dropped before the answer sends
//! it again and nothing changes. The upload names the record (document)
//! it is attached to; that record must be one the caller's site holds on
//! the server, which decides the site that holds the blob — never what the
//! client says about itself. The bytes must match their name, stay under
//! [`MAX_BLOB_BYTES`], be a photo ([`MEDIA_TYPES`]), and one uploader's
//! bytes per day are capped ([`crate::store::blobs::MAX_BLOB_BYTES_PER_DAY`]).
//! A read is answered only to the devices and supervisors of a site that
//! holds the blob; everyone else gets 404, as for a blob that does not
//! exist. The answer is `201 Created` once stored (on disk: the database
//! commits with `synchronous=FULL`), `200 OK` when the site held it
//! already.

use crate::error::AppError;
use crate::principal::Principal;
use crate::state::AppState;
use crate::store::blobs::{BlobStored, NewBlob};
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use sha2::{Digest, Sha256};
use shiftbook_model::DocumentId;

/// The largest attachment accepted, in bytes: the model's
/// [`shiftbook_model::attachment::MAX_BYTES`], which the app checks too.
/// The app sends photos resized to about 200 KB.
pub const MAX_BLOB_BYTES: usize = 4 * 1024 * 1024;

/// The media types accepted: photos, as the model says.
pub use shiftbook_model::attachment::MEDIA_TYPES;

/// The query of an upload.
#[derive(Debug, serde::Deserialize)]
pub struct UploadQuery {
    /// The document (record) the blob is attached to.
    doc: String,
}

/// A blob's name: 64 lowercase hex digits.
fn blob_name(path: Result<Path<String>, PathRejection>) -> Result<String, AppError> {
    let name = path
        .map_err(|_| AppError::BadRequest("not a SHA-256 name"))?
        .0;
    let hex = name.len() == 64
        && name
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if hex {
        Ok(name)
    } else {
        Err(AppError::BadRequest(
            "a blob is named by the SHA-256 of its bytes: 64 lowercase hex digits",
        ))
    }
}

/// The upload's media type, if it is one of [`MEDIA_TYPES`].
fn media_type(headers: &HeaderMap) -> Result<&'static str, AppError> {
    let given = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default();
    MEDIA_TYPES
        .iter()
        .find(|t| **t == given)
        .copied()
        .ok_or(AppError::UnsupportedMediaType)
}

/// `PUT /api/blobs/{sha256}?doc={doc}`: store a photo attached to record
/// `doc` of the caller's site.
pub async fn put(
    State(state): State<AppState>,
    who: Principal,
    name: Result<Path<String>, PathRejection>,
    query: Result<Query<UploadQuery>, QueryRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<impl IntoResponse, AppError> {
    let sha256 = blob_name(name)?;
    let doc: DocumentId = query
        .map_err(|_| AppError::BadRequest("say which record the blob belongs to: ?doc=<id>"))?
        .0
        .doc
        .parse()
        .map_err(|_| AppError::BadRequest("not a document id"))?;
    let media_type = media_type(&headers)?;
    let data = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::TooLarge
        } else {
            AppError::BadRequest("the body could not be read")
        }
    })?;
    if data.len() > MAX_BLOB_BYTES {
        return Err(AppError::TooLarge);
    }
    if hex_sha256(&data) != sha256 {
        return Err(AppError::BadRequest(
            "the bytes do not match their SHA-256 name",
        ));
    }
    let by = who.uploader();
    let per_day = state.blob_bytes_per_day;
    let upload = state
        .store
        .call(move |s| {
            Ok(match s.doc_owner(&doc)? {
                Some(site) if who.acts_for(&site) => Upload::Stored(s.put_blob(
                    &NewBlob {
                        site: &site,
                        sha256: &sha256,
                        media_type,
                        doc: &doc,
                        by: &by,
                        data: &data,
                    },
                    per_day,
                )?),
                Some(_) => Upload::NotTheirs,
                None => Upload::NoRecord,
            })
        })
        .await?;
    match upload {
        Upload::Stored(BlobStored::New) => Ok((StatusCode::CREATED, "stored\n")),
        Upload::Stored(BlobStored::AlreadyHeld) => Ok((StatusCode::OK, "held already\n")),
        Upload::Stored(BlobStored::OverDailyLimit) => Err(AppError::TooMany(
            "this device uploaded its day's share of photos; the rest wait on the tablet",
        )),
        Upload::NotTheirs => Err(AppError::NotFound),
        Upload::NoRecord => Err(AppError::Conflict(
            "the record is not on the server yet: send it first, then its photos",
        )),
    }
}

/// What an upload came to.
enum Upload {
    /// The record is the caller's site's: stored, or not (see the value).
    Stored(BlobStored),
    /// The record belongs to a site the caller does not act for.
    NotTheirs,
    /// The server does not hold the record yet.
    NoRecord,
}

/// `GET /api/blobs/{sha256}` (and `HEAD`): the photo, to the devices and
/// supervisors of a site that holds it; 404 for everyone else.
pub async fn get(
    State(state): State<AppState>,
    who: Principal,
    name: Result<Path<String>, PathRejection>,
) -> Result<impl IntoResponse, AppError> {
    let sha256 = blob_name(name)?;
    let blob = state
        .store
        .call(move |s| s.blob(&sha256, |site| who.acts_for(site)))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, blob.media_type),
            // Named by its content: it never changes.
            (
                header::CACHE_CONTROL,
                "private, max-age=31536000, immutable".to_owned(),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
        ],
        blob.data,
    ))
}

/// SHA-256 of `data`, lowercase hex.
fn hex_sha256(data: &[u8]) -> String {
    crate::token::hex(&Sha256::digest(data))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_server_takes_what_the_model_lets_a_tablet_attach() {
        assert_eq!(
            u64::try_from(super::MAX_BLOB_BYTES).ok(),
            Some(shiftbook_model::attachment::MAX_BYTES)
        );
    }
}
