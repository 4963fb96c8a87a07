//! Records the localStorage builds wrote (`shiftbook.doc.<id>`, see
//! [`crate::platform::storage`]), moved into IndexedDB on the first start
//! of this build, offline too: each becomes one chunk and a meta record,
//! written in one strict transaction; only once that is on disk does the
//! localStorage key go, and only if no tab of an older build rewrote it
//! meanwhile (then it moves on the next start, or when that tab's write
//! is heard: [`super::sync_socket::install_listeners`]). A record that
//! cannot be read is set aside in localStorage as before, never deleted.
//! Receipts caches, the enrolment, the session and the start data stay in
//! localStorage: they are small, and the first screen reads them before
//! the engine runs.

use super::persist::{StoredMeta, chunk_name};
use crate::platform::idb::{self, Chunk, Put, StoredChunks};
use crate::platform::storage::{self, DOC_PREFIX, StorageError, StoredDoc};
use std::collections::BTreeMap;

/// A legacy record as a chunk and a meta record; `None` (and the record
/// set aside) when it cannot be read.
fn as_put(key: &str, raw: &str) -> Option<Put> {
    let id = key.strip_prefix(DOC_PREFIX)?;
    let parsed = serde_json::from_str::<StoredDoc>(raw)
        .map_err(|e| StorageError::Corrupt(e.to_string()))
        .and_then(|s| Ok((s.bytes()?, s)));
    match parsed {
        Ok((bytes, s)) => Some(Put {
            id: id.to_owned(),
            chunk: Some(Chunk {
                name: format!("ls-{}", chunk_name()),
                bytes,
            }),
            meta: Some(
                serde_json::to_string(&StoredMeta {
                    confirmed: s.confirmed,
                    purpose: s.purpose,
                })
                .unwrap_or_default(),
            ),
            delete: Vec::new(),
        }),
        Err(_) => {
            let _ = storage::quarantine(key, raw);
            None
        }
    }
}

/// Move every legacy record into IndexedDB; how many moved.
pub async fn migrate() -> Result<usize, StorageError> {
    let mut puts = Vec::new();
    let mut moved = Vec::new();
    for key in storage::keys_with_prefix(DOC_PREFIX) {
        let Some(raw) = storage::read_raw(&key) else {
            continue;
        };
        if let Some(put) = as_put(&key, &raw) {
            puts.push(put);
            moved.push((key, raw));
        }
    }
    if puts.is_empty() {
        return Ok(0);
    }
    idb::write(&puts).await?;
    for (key, raw) in &moved {
        if storage::read_raw(key).as_deref() == Some(raw.as_str()) {
            storage::remove_raw(key);
        }
    }
    crate::platform::log::web_sys_log(&format!(
        "shiftbook: {} record(s) moved from localStorage to IndexedDB",
        moved.len()
    ));
    Ok(moved.len())
}

/// The legacy records as stored chunks, for a tablet whose IndexedDB
/// cannot be opened: they show, and stay where they are.
pub fn in_local_storage() -> BTreeMap<String, StoredChunks> {
    storage::keys_with_prefix(DOC_PREFIX)
        .into_iter()
        .filter_map(|key| {
            let raw = storage::read_raw(&key)?;
            let put = as_put(&key, &raw)?;
            Some((
                put.id,
                StoredChunks {
                    chunks: put.chunk.into_iter().collect(),
                    meta: put.meta,
                },
            ))
        })
        .collect()
}
