//! The browser's localStorage (through gloo-storage): small records the
//! first screen reads before the engine runs, and the records of older
//! builds until they move to IndexedDB
//! ([`crate::platform::idb`], moved by the store's `legacy_records`).
//!
//! Keys:
//! * `shiftbook.enrolment`: this tablet's [`crate::core::enrolment::Enrolment`];
//! * `shiftbook.lang`: the chosen UI language;
//! * the session, the start data, receipts caches (their modules say);
//! * `shiftbook.doc.<document id>`: a [`StoredDoc`] of a localStorage
//!   build — the automerge bytes and the heads the server is known to
//!   hold — until it moved;
//! * `shiftbook.quarantine.<key>.<ms>`: a record that could not be read,
//!   kept verbatim so nothing is ever deleted.
//!
//! A write the browser refuses for lack of space is
//! [`StorageError::Quota`] (IndexedDB's refusals map to the same errors).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use gloo_storage::{LocalStorage, Storage as _};
use serde::{Deserialize, Serialize};
use shiftbook_model::Lang;

/// Key prefix of documents.
pub const DOC_PREFIX: &str = "shiftbook.doc.";
/// Key of the enrolment.
pub const ENROLMENT_KEY: &str = "shiftbook.enrolment";
/// Key of the language.
pub const LANG_KEY: &str = "shiftbook.lang";
const QUARANTINE_PREFIX: &str = "shiftbook.quarantine.";

/// A document as the localStorage builds stored it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredDoc {
    /// `Automerge::save()` bytes, base64.
    pub bytes: String,
    /// Heads the server is known to hold, hex.
    pub confirmed: Vec<String>,
    /// The purpose a derived id came from, so a document made offline is
    /// registered with the server after a reload too (absent in records
    /// of older builds and for random ids).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
}

/// Why storage failed.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The browser refused the write (private mode…).
    #[error("the tablet's storage refused the write: {0}")]
    Write(String),
    /// The browser refused the write because its storage is full.
    #[error("the tablet's storage is full: {0}")]
    Quota(String),
    /// A stored record is not valid.
    #[error("stored record is unreadable: {0}")]
    Corrupt(String),
}

impl StoredDoc {
    /// The automerge bytes.
    pub fn bytes(&self) -> Result<Vec<u8>, StorageError> {
        STANDARD
            .decode(&self.bytes)
            .map_err(|e| StorageError::Corrupt(e.to_string()))
    }
}

/// Every key that starts with `prefix`.
pub fn keys_with_prefix(prefix: &str) -> Vec<String> {
    let storage = LocalStorage::raw();
    let len = storage.length().unwrap_or(0);
    (0..len)
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter(|k| k.starts_with(prefix))
        .collect()
}

/// Delete the record under `key`; the bytes it took, key included. Never
/// for quarantined records.
pub fn remove_raw(key: &str) -> usize {
    if key.starts_with(QUARANTINE_PREFIX) {
        return 0;
    }
    let size = read_raw(key).map_or(0, |value| key.len() + value.len());
    LocalStorage::delete(key);
    size
}

/// Ask the browser to keep this origin's storage under pressure
/// (`navigator.storage.persist()`); a refusal changes nothing, so the
/// answer is only logged.
pub fn ask_persistent() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(promise) = window.navigator().storage().persist() else {
        return;
    };
    leptos::task::spawn_local(async move {
        let granted = wasm_bindgen_futures::JsFuture::from(promise)
            .await
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        crate::platform::log::web_sys_log(&format!(
            "shiftbook: persistent storage granted: {granted}"
        ));
    });
}

/// How many bytes this origin stores and may store
/// (`navigator.storage.estimate()`: the browser's figures, rounded by it);
/// `None` where the browser does not say.
pub async fn estimate() -> Option<(u64, u64)> {
    let promise = web_sys::window()?.navigator().storage().estimate().ok()?;
    let figures = wasm_bindgen_futures::JsFuture::from(promise).await.ok()?;
    let get = |k: &str| {
        js_sys::Reflect::get(&figures, &k.into())
            .ok()
            .and_then(|v| v.as_f64())
            .map(|v| v.max(0.0) as u64)
    };
    Some((get("usage")?, get("quota")?))
}

/// Copy an unreadable record aside, then remove it from its key so the app
/// can start; the copy stays for a supervisor or a later version to recover.
pub fn quarantine(key: &str, raw: &str) -> Result<(), StorageError> {
    let aside = format!(
        "{QUARANTINE_PREFIX}{key}.{}",
        crate::platform::clock::now_ms()
    );
    write_raw(&aside, raw)?;
    LocalStorage::delete(key);
    Ok(())
}

/// Write a string; a refused write is an error, never ignored.
pub fn write_raw(key: &str, value: &str) -> Result<(), StorageError> {
    LocalStorage::raw().set_item(key, value).map_err(|e| {
        use wasm_bindgen::JsCast;
        let name = e
            .dyn_ref::<web_sys::DomException>()
            .map(web_sys::DomException::name);
        refusal(name.as_deref(), format!("{e:?}"))
    })
}

/// The error of a refused write, from the `DOMException`'s name: Chromium
/// and Safari say `QuotaExceededError`, Firefox `NS_ERROR_DOM_QUOTA_REACHED`.
pub fn refusal(name: Option<&str>, detail: String) -> StorageError {
    match name {
        Some("QuotaExceededError" | "NS_ERROR_DOM_QUOTA_REACHED") => StorageError::Quota(detail),
        _ => StorageError::Write(detail),
    }
}

/// Read a string.
pub fn read_raw(key: &str) -> Option<String> {
    LocalStorage::raw().get_item(key).ok().flatten()
}

/// The language the user chose last time; Chinese by default.
pub fn stored_lang() -> Lang {
    match read_raw(LANG_KEY).as_deref() {
        Some("en") => Lang::En,
        _ => Lang::Zh,
    }
}

/// Remember the chosen language.
pub fn store_lang(lang: Lang) {
    let _ = write_raw(LANG_KEY, if lang == Lang::En { "en" } else { "zh" });
}

#[cfg(test)]
mod tests {
    use super::*;
    use shiftbook_model::checklist;
    use shiftbook_model::template::lobby_opening;

    #[test]
    fn only_a_full_storage_is_a_quota_error() {
        assert!(matches!(
            refusal(Some("QuotaExceededError"), "full".into()),
            StorageError::Quota(_)
        ));
        assert!(matches!(
            refusal(Some("NS_ERROR_DOM_QUOTA_REACHED"), "full".into()),
            StorageError::Quota(_)
        ));
        assert!(matches!(
            refusal(Some("SecurityError"), "private".into()),
            StorageError::Write(_)
        ));
        assert!(matches!(refusal(None, "?".into()), StorageError::Write(_)));
    }

    #[test]
    fn a_legacy_record_gives_its_bytes_or_is_corrupt() {
        let doc = checklist::genesis("demo", &lobby_opening().id, "2026-11-23").unwrap();
        let saved = doc.save();
        let stored = StoredDoc {
            bytes: STANDARD.encode(&saved),
            confirmed: vec![],
            purpose: None,
        };
        assert_eq!(stored.bytes().unwrap(), saved);
        // Records of older builds have no purpose, and still read.
        let back: StoredDoc = serde_json::from_str(r#"{"bytes":"","confirmed":["ab"]}"#).unwrap();
        assert_eq!(back.purpose, None);
        let bad = StoredDoc {
            bytes: "!!!".into(),
            confirmed: vec![],
            purpose: None,
        };
        assert!(matches!(bad.bytes(), Err(StorageError::Corrupt(_))));
    }
}
