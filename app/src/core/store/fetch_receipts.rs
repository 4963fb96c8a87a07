//! The store's side of receipt times: fetching a document's receipts from
//! the server (`GET /api/receipts/<doc>`) soon after a sync event, once
//! at a time per document, and keeping the answer in the store's signals
//! and the storage cache. What receipts are, how they are cached and
//! which documents show them is [`crate::core::receipts`].

use super::Store;
use crate::core::receipts::{
    RECEIPTS_PREFIX, UPLOADS_PREFIX, differing, merge, missing, shown_for,
};
use crate::platform::log::web_sys_log;
use leptos::prelude::{Update, WithUntracked};
use leptos::wasm_split::{SplitLoaderError, wasm_split};
use shiftbook_model::DocumentId;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

/// How long to wait after a sync event before asking: the server writes
/// receipts just after it answered.
const DELAY_MS: i32 = 1_500;

/// The server's answer.
#[derive(Debug, serde::Deserialize)]
struct Answer {
    receipts: BTreeMap<String, i64>,
    /// Change hash → the device (or `桌面·<user>`) whose connection
    /// uploaded it; servers before version 4 did not say.
    #[serde(default)]
    uploaded_by: BTreeMap<String, String>,
}

thread_local! {
    /// Documents with a fetch scheduled or under way.
    static PENDING: RefCell<BTreeSet<DocumentId>> = const { RefCell::new(BTreeSet::new()) };
}

/// Fetch `id`'s receipts soon, unless a fetch is already scheduled or no
/// screen shows them.
pub fn refresh(store: &Store, id: DocumentId) {
    if !store.read(&id, shown_for).unwrap_or(false) {
        return;
    }
    let fresh = PENDING.with(|p| p.borrow_mut().insert(id));
    if !fresh {
        return;
    }
    let store = store.clone();
    leptos::task::spawn_local(async move {
        crate::platform::clock::sleep_ms(DELAY_MS).await;
        PENDING.with(|p| p.borrow_mut().remove(&id));
        match ask(store, id).await {
            Ok(asking) => asking.await,
            Err(e) => web_sys_log(&format!("shiftbook: receipts of {id}: {e}")),
        }
    });
}

/// Asking the server and keeping its answer: a split point into the
/// engine's piece.
#[allow(unsafe_code, improper_ctypes_definitions)] // an extern "C" import the build links (wasm-split)
#[wasm_split(engine, wasm_split_path = ::leptos::wasm_split, fallible)]
fn ask(
    store: Store,
    id: DocumentId,
) -> Result<std::pin::Pin<Box<dyn std::future::Future<Output = ()>>>, SplitLoaderError> {
    Ok(Box::pin(async move {
        let token = store.borrow(|i| i.enrolment.token.clone());
        let bearer = (!token.is_empty()).then_some(token.as_str());
        let url = format!("/api/receipts/{id}");
        match crate::core::enrolment::get_json::<Answer>(&url, bearer).await {
            Ok(answer) => {
                store_uploads(&store, id, &answer.uploaded_by);
                store_answer(&store, id, answer.receipts);
            }
            Err(e) => web_sys_log(&format!("shiftbook: receipts of {id}: {e}")),
        }
    }))
}

fn store_answer(store: &Store, id: DocumentId, fresh: BTreeMap<String, i64>) {
    let mut updated = None;
    store.signals.receipts.update(|all| {
        let known = all.entry(id).or_default();
        if merge(known, fresh) {
            updated = serde_json::to_string(known).ok();
        }
    });
    if let Some(json) = updated {
        // A cache: losing it only means asking the server again.
        let _ = crate::platform::storage::write_raw(&format!("{RECEIPTS_PREFIX}{id}"), &json);
    }
}

fn store_uploads(store: &Store, id: DocumentId, uploaded_by: &BTreeMap<String, String>) {
    let fresh = store
        .read(&id, |doc| differing(doc, uploaded_by))
        .unwrap_or_default();
    if fresh.is_empty() {
        return;
    }
    let mut updated = None;
    store.signals.uploads.update(|all| {
        let known = all.entry(id).or_default();
        let before = known.len();
        known.extend(fresh);
        if known.len() != before {
            updated = serde_json::to_string(known).ok();
        }
    });
    if let Some(json) = updated {
        let _ = crate::platform::storage::write_raw(&format!("{UPLOADS_PREFIX}{id}"), &json);
    }
}

/// Ask again for every document with confirmed changes that lack a receipt.
pub fn refresh_missing(store: &Store) {
    let ids: Vec<DocumentId> = store.signals.receipts.with_untracked(|known| {
        store.with(|inner| {
            let ids: Vec<DocumentId> = inner.client.documents().copied().collect();
            ids.into_iter()
                .filter(|id| {
                    inner.client.doc(id).is_some_and(|doc| {
                        shown_for(doc)
                            && !missing(doc, &inner.client.confirmed_heads(id), known.get(id))
                                .is_empty()
                    })
                })
                .collect()
        })
    });
    for id in ids {
        refresh(store, id);
    }
}
