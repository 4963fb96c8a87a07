//! Identifiers: automerge-repo document ids, site keys, and the derivation
//! that lets two offline tablets open *the same* document for the same
//! record without talking to each other.
//!
//! A document id is 16 bytes shown as base58check, as automerge-repo does.
//! Ids of records that several tablets may start independently (today's
//! checklist for a post, say) are derived: `HMAC-SHA256(site key, purpose)`
//! truncated to 16 bytes. The site key is a random secret that only the
//! site's enrolled devices receive, so the ids look random to everyone
//! else and cannot be guessed across sites (the server enforces site
//! ownership as well).

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use std::{fmt, str::FromStr};

/// Whether `key` is usable inside a purpose or a stored key (template,
/// slot, flat, room and item ids): 1–64 ASCII letters, digits, `-` or `_`
/// — no `/`, which separates the parts of purposes and mark keys.
pub fn is_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= 64
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// An automerge-repo document id.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocumentId([u8; 16]);

/// A string or byte slice that is not a document id.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("not a document id: {0}")]
pub struct BadDocumentId(String);

impl DocumentId {
    /// A document id from 16 random bytes the caller drew.
    pub fn from_random(bytes: [u8; 16]) -> Self {
        Self(bytes)
    }

    /// A document id from raw bytes, which must be exactly 16.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, BadDocumentId> {
        let arr: [u8; 16] = bytes
            .try_into()
            .map_err(|_| BadDocumentId(format!("{} bytes, expected 16", bytes.len())))?;
        Ok(Self(arr))
    }

    /// The id of the document that records `purpose` for a site.
    pub fn derive(site_key: &SiteKey, purpose: &str) -> Self {
        let mut mac = match Hmac::<Sha256>::new_from_slice(&site_key.0) {
            Ok(mac) => mac,
            // HMAC accepts keys of any length; this arm is unreachable.
            Err(_) => return Self([0; 16]),
        };
        mac.update(b"shiftbook/document-id/v1\0");
        mac.update(purpose.as_bytes());
        let out = mac.finalize().into_bytes();
        let mut id = [0u8; 16];
        id.copy_from_slice(&out[..16]);
        Self(id)
    }

    /// The raw bytes.
    pub fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }

    /// The `automerge:` URL other automerge-repo tools understand.
    pub fn url(&self) -> String {
        format!("automerge:{self}")
    }
}

/// The 4 bytes base58check appends: the start of SHA-256 of SHA-256 of
/// the payload (as automerge-repo writes document ids).
fn check_bytes(payload: &[u8]) -> [u8; 4] {
    use sha2::Digest;
    let twice = Sha256::digest(Sha256::digest(payload));
    [twice[0], twice[1], twice[2], twice[3]]
}

impl fmt::Display for DocumentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut checked = [0u8; 20];
        checked[..16].copy_from_slice(&self.0);
        checked[16..].copy_from_slice(&check_bytes(&self.0));
        f.write_str(&bs58::encode(checked).into_string())
    }
}

impl fmt::Debug for DocumentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DocumentId({self})")
    }
}

impl FromStr for DocumentId {
    type Err = BadDocumentId;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.strip_prefix("automerge:").unwrap_or(s);
        let bad = || BadDocumentId(s.chars().take(64).collect());
        let checked = bs58::decode(s).into_vec().map_err(|_| bad())?;
        let (payload, check) = checked
            .len()
            .checked_sub(4)
            .map(|at| checked.split_at(at))
            .ok_or_else(bad)?;
        if check != check_bytes(payload) {
            return Err(bad());
        }
        Self::from_bytes(payload)
    }
}

impl serde::Serialize for DocumentId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for DocumentId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Derives a site's document ids from purposes: the [`SiteKey`] itself, or
/// something holding it that also notes every purpose it derives (the
/// app's, which registers purposes with the server before syncing). Every
/// `document_id` function of the record families takes one.
pub trait Derive {
    /// The id of the document that records `purpose` for the site.
    fn derive(&self, purpose: &str) -> DocumentId;
}

impl Derive for SiteKey {
    fn derive(&self, purpose: &str) -> DocumentId {
        DocumentId::derive(self, purpose)
    }
}

/// A site's secret key for deriving document ids, 32 bytes shown as hex.
#[derive(Clone, PartialEq, Eq)]
pub struct SiteKey([u8; 32]);

/// Text that is not a site key.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("a site key is 64 hex digits")]
pub struct BadSiteKey;

impl SiteKey {
    /// A site key from 32 random bytes the caller drew.
    pub fn from_random(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// The key as 64 lowercase hex digits.
    pub fn to_hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Parse 64 hex digits.
    pub fn from_hex(s: &str) -> Result<Self, BadSiteKey> {
        if s.len() != 64 || !s.is_ascii() {
            return Err(BadSiteKey);
        }
        let mut out = [0u8; 32];
        for (i, byte) in out.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).map_err(|_| BadSiteKey)?;
        }
        Ok(Self(out))
    }
}

impl fmt::Debug for SiteKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never print the secret.
        f.write_str("SiteKey(…)")
    }
}

impl serde::Serialize for SiteKey {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_hex())
    }
}

impl<'de> serde::Deserialize<'de> for SiteKey {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::from_hex(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn keys_are_short_plain_words() {
        for good in ["lobby-opening", "0830", "demo_flat-A", &"k".repeat(64)] {
            assert!(is_key(good), "{good}");
        }
        for bad in ["", "a/b", "a b", "大堂", &"k".repeat(65)] {
            assert!(!is_key(bad), "{bad}");
        }
    }
    use super::*;

    #[test]
    fn document_ids_round_trip_through_text() {
        let id = DocumentId::from_random([42; 16]);
        let text = id.to_string();
        assert_eq!(text.parse::<DocumentId>().unwrap(), id);
        assert_eq!(id.url().parse::<DocumentId>().unwrap(), id);
    }

    #[test]
    fn document_ids_are_written_as_automerge_repo_writes_them() {
        // Base58check worked out independently (Python: base58 of the 16
        // bytes and the first 4 of SHA-256 of their SHA-256).
        assert_eq!(
            DocumentId::from_random([42; 16]).to_string(),
            "b56iBSEKUikofQ1eb4cGFkEf8dJ"
        );
        // An id from automerge-repo's own documentation.
        let theirs = "4NMNnkMhL8jXrdJ9jamS58PAVdXu";
        let id: DocumentId = format!("automerge:{theirs}").parse().unwrap();
        assert_eq!(id.to_string(), theirs);
        // Too short to hold a checksum.
        assert!("2g".parse::<DocumentId>().is_err());
    }

    #[test]
    fn a_corrupted_id_is_refused() {
        let mut text = DocumentId::from_random([1; 16]).to_string();
        let last = text.pop().unwrap();
        text.push(if last == 'a' { 'b' } else { 'a' });
        assert!(text.parse::<DocumentId>().is_err());
        assert!("".parse::<DocumentId>().is_err());
    }

    #[test]
    fn derived_ids_depend_on_key_and_purpose() {
        let k1 = SiteKey::from_random([1; 32]);
        let k2 = SiteKey::from_random([2; 32]);
        let a = DocumentId::derive(&k1, "checklist/lobby-opening/2026-11-23");
        assert_eq!(
            a,
            DocumentId::derive(&k1, "checklist/lobby-opening/2026-11-23")
        );
        assert_ne!(
            a,
            DocumentId::derive(&k2, "checklist/lobby-opening/2026-11-23")
        );
        assert_ne!(
            a,
            DocumentId::derive(&k1, "checklist/lobby-opening/2026-11-24")
        );
    }

    #[test]
    fn site_keys_round_trip_through_hex_and_hide_in_debug() {
        let k = SiteKey::from_random([0xab; 32]);
        assert_eq!(SiteKey::from_hex(&k.to_hex()).unwrap(), k);
        assert!(SiteKey::from_hex("zz").is_err());
        assert!(!format!("{k:?}").contains("ab"));
    }
}
