//! The tablet's own storage (the browser's localStorage, through
//! gloo-storage). Every edit is written here before the UI calls it saved.
//!
//! Layout, one key per record:
//! * `shiftbook.enrolment`: this tablet's [`crate::core::enrolment::Enrolment`];
//! * `shiftbook.lang`: the chosen UI language;
//! * `shiftbook.doc.<document id>`: a [`StoredDoc`] — the automerge bytes and
//!   the heads the server is known to hold;
//! * `shiftbook.quarantine.<key>.<ms>`: a record that could not be read, kept
//!   verbatim so nothing is ever deleted.
//!
//! Writes merge: a document is read back and merged before it is written,
//! so two tabs of one tablet never overwrite each other's marks. Reading
//! back is skipped while the record is still the one this tab last wrote
//! or merged ([`read_doc_news`]): on a busy day that read-back (decode and
//! load a whole document) was a third of every tap's work. A write
//! the browser refuses for lack of space is [`StorageError::Quota`]; the
//! store then removes old synced documents ([`crate::core::retention`]) and
//! tries once more. Quarantined records are never removed.

use automerge::{Automerge, ChangeHash};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use gloo_storage::{LocalStorage, Storage as _};
use serde::{Deserialize, Serialize};
use shiftbook_model::chunk_budget;
use shiftbook_model::client::RECEIVE_BUDGET;
use shiftbook_model::{DocumentId, Lang};
use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

/// Key prefix of documents.
pub const DOC_PREFIX: &str = "shiftbook.doc.";
/// Key of the enrolment.
pub const ENROLMENT_KEY: &str = "shiftbook.enrolment";
/// Key of the language.
pub const LANG_KEY: &str = "shiftbook.lang";
const QUARANTINE_PREFIX: &str = "shiftbook.quarantine.";

/// A document as stored.
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
    /// Encode a document, its confirmed heads and its purpose.
    pub fn encode(doc: &Automerge, confirmed: &[ChangeHash], purpose: Option<&str>) -> Self {
        Self {
            bytes: STANDARD.encode(doc.save()),
            confirmed: confirmed.iter().map(ToString::to_string).collect(),
            purpose: purpose.map(str::to_owned),
        }
    }

    /// Decode into a document and its confirmed heads.
    pub fn decode(&self) -> Result<(Automerge, Vec<ChangeHash>), StorageError> {
        let bytes = STANDARD
            .decode(&self.bytes)
            .map_err(|e| StorageError::Corrupt(e.to_string()))?;
        // Counted before automerge expands anything: bytes claiming
        // billions of rows, or change times automerge panics on, would
        // take the app down on every start instead of being quarantined.
        chunk_budget::count(&bytes, &RECEIVE_BUDGET)
            .map_err(|e| StorageError::Corrupt(e.to_string()))?;
        let doc = Automerge::load(&bytes).map_err(|e| StorageError::Corrupt(e.to_string()))?;
        let confirmed = self
            .confirmed
            .iter()
            .map(|h| h.parse::<ChangeHash>())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| StorageError::Corrupt(e.to_string()))?;
        Ok((doc, confirmed))
    }
}

/// A stored document: its content, confirmed heads and purpose.
pub type Record = (Automerge, Vec<ChangeHash>, Option<String>);

/// Read one document. `Ok(None)` when absent; a corrupt record is
/// quarantined (copied aside verbatim) and reported as an error.
pub fn read_doc(id: &DocumentId) -> Result<Option<Record>, StorageError> {
    let key = format!("{DOC_PREFIX}{id}");
    let Some(raw) = read_raw(&key) else {
        return Ok(None);
    };
    parse(&key, &raw).map(Some)
}

/// A stored record under `key`; a corrupt one is quarantined.
fn parse(key: &str, raw: &str) -> Result<Record, StorageError> {
    let parsed = serde_json::from_str::<StoredDoc>(raw)
        .map_err(|e| StorageError::Corrupt(e.to_string()))
        .and_then(|s| {
            let (doc, confirmed) = s.decode()?;
            Ok((doc, confirmed, s.purpose))
        });
    if parsed.is_err() {
        quarantine(key, raw)?;
    }
    parsed
}

/// A stored record's length and hash: whether it is still the one this
/// tab last wrote or merged. (A record another tab wrote that matched both
/// by chance would not be merged before this tab's next write: one in 2⁶⁴.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fingerprint(usize, u64);

impl Fingerprint {
    fn of(raw: &str) -> Self {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        raw.hash(&mut hasher);
        Self(raw.len(), hasher.finish())
    }
}

thread_local! {
    /// Per document, the stored record this tab's copy in memory holds.
    static HELD: RefCell<HashMap<DocumentId, Fingerprint>> = RefCell::new(HashMap::new());
}

/// [`read_doc`], but `Ok(None)` also when the stored record is the one this
/// tab last wrote or [`merged`]: there is nothing in it to merge.
pub fn read_doc_news(id: &DocumentId) -> Result<Option<(Record, Fingerprint)>, StorageError> {
    let key = format!("{DOC_PREFIX}{id}");
    let Some(raw) = read_raw(&key) else {
        return Ok(None);
    };
    let seen = Fingerprint::of(&raw);
    if HELD.with(|h| h.borrow().get(id) == Some(&seen)) {
        return Ok(None);
    }
    parse(&key, &raw).map(|record| Some((record, seen)))
}

/// The copy in memory of `id` now holds the stored record `seen`.
pub fn merged(id: &DocumentId, seen: Fingerprint) {
    HELD.with(|h| h.borrow_mut().insert(*id, seen));
}

/// Ids of every stored document.
pub fn stored_doc_ids() -> Vec<DocumentId> {
    keys_with_prefix(DOC_PREFIX)
        .iter()
        .filter_map(|k| k.strip_prefix(DOC_PREFIX).and_then(|id| id.parse().ok()))
        .collect()
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

/// Delete document `id`'s record (the server holds the document); the
/// bytes it took, key included (0 if there was none).
pub fn remove_doc(id: &DocumentId) -> usize {
    remove_raw(&format!("{DOC_PREFIX}{id}"))
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

/// Write one document.
pub fn write_doc(
    id: &DocumentId,
    doc: &Automerge,
    confirmed: &[ChangeHash],
    purpose: Option<&str>,
) -> Result<(), StorageError> {
    let json = serde_json::to_string(&StoredDoc::encode(doc, confirmed, purpose))
        .map_err(|e| StorageError::Write(e.to_string()))?;
    write_raw(&format!("{DOC_PREFIX}{id}"), &json)?;
    merged(id, Fingerprint::of(&json));
    Ok(())
}

/// Copy an unreadable record aside, then remove it from its key so the app
/// can start; the copy stays for a supervisor or a later version to recover.
fn quarantine(key: &str, raw: &str) -> Result<(), StorageError> {
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
fn refusal(name: Option<&str>, detail: String) -> StorageError {
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
    fn a_document_round_trips_with_its_confirmed_heads_and_purpose() {
        let doc = checklist::genesis("demo", &lobby_opening().id, "2026-11-23").unwrap();
        let heads = doc.get_heads();
        let purpose = checklist::purpose(&lobby_opening().id, "2026-11-23");
        let stored = StoredDoc::encode(&doc, &heads, Some(&purpose));
        let json = serde_json::to_string(&stored).unwrap();
        let back: StoredDoc = serde_json::from_str(&json).unwrap();
        let (doc2, confirmed) = back.decode().unwrap();
        assert_eq!(doc2.get_heads(), heads);
        assert_eq!(confirmed, heads);
        assert_eq!(back.purpose, Some(purpose));
        // Records of older builds have no purpose, and still read.
        let older = json.replace(&format!(",\"purpose\":\"{}\"", back.purpose.unwrap()), "");
        assert!(!older.contains("purpose"));
        let back: StoredDoc = serde_json::from_str(&older).unwrap();
        assert_eq!(back.purpose, None);
        assert!(
            !serde_json::to_string(&StoredDoc::encode(&doc, &heads, None))
                .unwrap()
                .contains("purpose")
        );
    }

    #[test]
    fn a_stored_memory_bomb_is_corrupt_not_loaded() {
        // 951 bytes with valid checksums whose change metadata claims 242
        // trillion changes: Automerge::load allocates beyond 4 GiB (in the
        // browser: the app gone, on every start). Found by fuzzing.
        let file = include_bytes!(
            "../../../fuzz/crashes/doc-handover_pending/memory-bomb-242-trillion-changes.bin"
        );
        let stored = StoredDoc {
            bytes: STANDARD.encode(&file[1..]),
            confirmed: vec![],
            purpose: None,
        };
        let refused = stored.decode();
        assert!(
            matches!(&refused, Err(StorageError::Corrupt(why)) if why.contains("automerge data")),
            "{:?}",
            refused.map(|_| ())
        );
    }

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
    fn corrupt_records_are_errors_not_panics() {
        let bad = StoredDoc {
            bytes: "!!!".into(),
            confirmed: vec![],
            purpose: None,
        };
        assert!(matches!(bad.decode(), Err(StorageError::Corrupt(_))));
        let bad = StoredDoc {
            bytes: STANDARD.encode(b"not automerge"),
            confirmed: vec![],
            purpose: None,
        };
        assert!(matches!(bad.decode(), Err(StorageError::Corrupt(_))));
        let doc = checklist::genesis("demo", &lobby_opening().id, "2026-11-23").unwrap();
        let mut ok = StoredDoc::encode(&doc, &[], None);
        ok.confirmed.push("zz".into());
        assert!(matches!(ok.decode(), Err(StorageError::Corrupt(_))));
    }
}
