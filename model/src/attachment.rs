//! A photo attached to a record: the bytes stay beside the documents (on
//! the tablet until the server has them, then on the server,
//! `PUT /api/blobs/{sha256}`), never inside them; the record holds what
//! names and describes them — the SHA-256 of the bytes, their size and
//! media type, and who took the photo, on which device and when.
//!
//! The hash names the photo everywhere: a tablet that holds the record
//! but not the bytes fetches them by it, and the server checks the bytes
//! against it. The limits are the server's, so a photo the tablet accepts
//! is one the server takes.

use crate::ModelError;
use crate::attribution::Attribution;
use autosurgeon::{Hydrate, Reconcile};
use serde::{Deserialize, Serialize};

/// The media types a photo may have.
pub const MEDIA_TYPES: &[&str] = &["image/jpeg", "image/png", "image/webp"];

/// The largest photo, in bytes (the server refuses larger ones). The app
/// resizes photos to about 200 KB.
pub const MAX_BYTES: u64 = 4 * 1024 * 1024;

/// A photo a record refers to.
#[derive(Debug, Clone, PartialEq, Eq, Reconcile, Hydrate, Serialize, Deserialize)]
pub struct Attachment {
    /// SHA-256 of the bytes, 64 lowercase hex digits.
    pub sha256: String,
    /// Size in bytes.
    pub size: u64,
    /// One of [`MEDIA_TYPES`].
    pub media_type: String,
    /// Who took it: roster id.
    pub person_id: String,
    /// Who took it: name.
    pub by: String,
    /// On which device.
    pub device: String,
    /// When (device clock, ms since the Unix epoch).
    pub at_ms: i64,
}

impl Attachment {
    /// The photo `sha256` of `size` bytes and `media_type`, taken by `by`;
    /// refused when the hash, the size or the type would not be taken by
    /// the server.
    pub fn new(
        sha256: &str,
        size: u64,
        media_type: &str,
        by: &Attribution,
    ) -> Result<Self, ModelError> {
        let attachment = Self {
            sha256: sha256.to_owned(),
            size,
            media_type: media_type.to_owned(),
            person_id: by.person_id.clone(),
            by: by.person.clone(),
            device: by.device.clone(),
            at_ms: by.at_ms,
        };
        attachment.check()?;
        Ok(attachment)
    }

    /// Whether the server would take this photo: a SHA-256 name, a size
    /// from 1 byte to [`MAX_BYTES`], a type of [`MEDIA_TYPES`].
    pub fn check(&self) -> Result<(), ModelError> {
        if !is_sha256_hex(&self.sha256) {
            return Err(ModelError::BadAttachment(format!(
                "{:?} is not a SHA-256 (64 lowercase hex digits)",
                self.sha256
            )));
        }
        if self.size == 0 || self.size > MAX_BYTES {
            return Err(ModelError::BadAttachment(format!(
                "{} bytes: a photo is 1 byte to {MAX_BYTES} bytes",
                self.size
            )));
        }
        if !MEDIA_TYPES.contains(&self.media_type.as_str()) {
            return Err(ModelError::BadAttachment(format!(
                "{:?} is not a photo type ({})",
                self.media_type,
                MEDIA_TYPES.join(", ")
            )));
        }
        Ok(())
    }
}

/// Whether `s` is 64 lowercase hex digits.
pub fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roster::Role;
    use automerge::{AutoCommit, ROOT};

    const HASH: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    fn zhang() -> Attribution {
        Attribution {
            person_id: "p-zhang".into(),
            person: "张三".into(),
            role: Role::Staff,
            device: "大堂平板1".into(),
            at_ms: 1_700_000_000_000,
        }
    }

    #[test]
    fn a_photo_names_its_bytes_and_who_took_it_and_survives_the_document() {
        let a = Attachment::new(HASH, 201_000, "image/jpeg", &zhang()).unwrap();
        assert_eq!((a.by.as_str(), a.device.as_str()), ("张三", "大堂平板1"));
        let mut doc = AutoCommit::new();
        autosurgeon::reconcile_prop(&mut doc, ROOT, "photo", &a).unwrap();
        let back: Attachment = autosurgeon::hydrate_prop(&doc, ROOT, "photo").unwrap();
        assert_eq!(back, a);
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(serde_json::from_str::<Attachment>(&json).unwrap(), a);
    }

    #[test]
    fn what_the_server_would_refuse_is_refused_here() {
        let by = zhang();
        for (hash, size, kind) in [
            ("abc", 10, "image/jpeg"),
            (&HASH.to_uppercase()[..], 10, "image/jpeg"),
            (HASH, 0, "image/jpeg"),
            (HASH, MAX_BYTES + 1, "image/jpeg"),
            (HASH, 10, "text/html"),
        ] {
            assert!(
                matches!(
                    Attachment::new(hash, size, kind, &by),
                    Err(ModelError::BadAttachment(_))
                ),
                "{hash} {size} {kind}"
            );
        }
        for kind in MEDIA_TYPES {
            assert!(Attachment::new(HASH, MAX_BYTES, kind, &by).is_ok());
        }
    }
}
