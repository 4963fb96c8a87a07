//! The store's side of photos: keeping a photo taken for a record
//! ([`Store::add_photo`]: prepared by [`crate::platform::photo`], its
//! bytes written to IndexedDB before the record names it), sending the
//! bytes the server does not have (`PUT /api/blobs/{sha256}?doc=`) with
//! the model's [`UploadQueue`] — two at a time, retried with backoff,
//! rebuilt from IndexedDB's unsent photos at every start, so a photo
//! waits through reloads, crashes and days offline — and showing a photo
//! ([`photo_url`]: from IndexedDB, else fetched from the server and kept).

use super::Store;
use crate::core::error::{AppError, AppProblem};
use crate::platform::idb::{self, Blob};
use crate::platform::log::web_sys_log;
use crate::platform::photo::{self, PhotoError};
use leptos::prelude::Set;
use shiftbook_model::DocumentId;
use shiftbook_model::attachment::Attachment;
use shiftbook_model::upload_queue::{Answer, UploadQueue};
use std::cell::RefCell;

thread_local! {
    static QUEUE: RefCell<UploadQueue> = RefCell::new(UploadQueue::new());
    /// When the one wake-up timer fires, if one is set.
    static WAKE_AT: std::cell::Cell<Option<i64>> = const { std::cell::Cell::new(None) };
}

/// `request` with this device's token, when it has one (a supervisor's
/// desktop sends its session cookie instead).
fn authorized(
    store: &Store,
    request: gloo_net::http::RequestBuilder,
) -> gloo_net::http::RequestBuilder {
    let token = store.borrow(|i| i.enrolment.token.clone());
    if token.is_empty() {
        request
    } else {
        request.header("Authorization", &format!("Bearer {token}"))
    }
}

impl Store {
    /// Keep the photo in `file` for `record` of document `id`, taken by
    /// the signed-in person: stamped and resized, its bytes on disk, then
    /// named in the record, then queued for the server.
    pub async fn add_photo(
        &self,
        id: DocumentId,
        record: String,
        file: wasm_bindgen::JsValue,
    ) -> Result<(), AppError> {
        let now = crate::platform::clock::now_ms();
        let by = self.signed_in(now)?;
        let when = crate::platform::clock::local(now)
            .map(|t| t.to_string())
            .unwrap_or_default();
        let site = self.borrow(|i| i.enrolment.site.clone());
        let stamp = photo::stamp_text(&when, &site, &by.person, &by.device);
        let prepared = photo::prepare(&file, &stamp).await.map_err(|e| {
            web_sys_log(&format!("shiftbook: {e}"));
            match e {
                PhotoError::Unreadable(_) => AppProblem::PhotoUnreadable,
                PhotoError::Failed(_) => AppProblem::PhotoFailed,
            }
        })?;
        let size = prepared.bytes.len() as u64;
        let bytes = js_sys::Uint8Array::from(prepared.bytes.as_slice());
        let attachment = Attachment::new(&prepared.sha256, size, prepared.media_type, &by)
            .map_err(|e| self.refused(e))?;
        let blob = Blob {
            sha256: prepared.sha256.clone(),
            bytes,
            media_type: prepared.media_type.to_owned(),
            doc: id.to_string(),
            sent: false,
            kept_ms: now,
        };
        let mut kept = idb::put_blob(&blob).await;
        if matches!(kept, Err(crate::platform::storage::StorageError::Quota(_))) {
            // Room first from the photos the server has, then once more.
            self.evict_sent_photos().await;
            kept = idb::put_blob(&blob).await;
        }
        if let Err(e) = kept {
            web_sys_log(&format!("shiftbook: photo not kept: {e}"));
            if matches!(e, crate::platform::storage::StorageError::Quota(_)) {
                self.signals.storage_full.set(true);
                self.signals.storage_failed.set(true);
            }
            return Err(AppProblem::PhotoFailed.into());
        }
        let result = self.edit_as(&id, &by, |doc, by| {
            match shiftbook_model::photos::add(doc, &record, &attachment, by) {
                Err(shiftbook_model::ModelError::EmptyChange) => Ok(()),
                other => other.map(|_| ()),
            }
        });
        result?;
        self.queue_upload(&blob.sha256, id, &blob.media_type, size);
        Ok(())
    }

    /// Queue photo `sha256` of document `id` for the server.
    fn queue_upload(&self, sha256: &str, id: DocumentId, media_type: &str, size: u64) {
        let now = crate::platform::clock::now_ms();
        QUEUE.with(|q| q.borrow_mut().add(sha256, id, media_type, size, now));
        self.send_photos();
    }

    /// At start: every photo the server does not have goes in the queue.
    pub(crate) async fn queue_unsent_photos(&self) {
        match idb::unsent_blobs().await {
            Ok(unsent) => {
                for blob in unsent {
                    if let Ok(id) = blob.doc.parse() {
                        let now = crate::platform::clock::now_ms();
                        QUEUE.with(|q| {
                            q.borrow_mut().add(
                                &blob.sha256,
                                id,
                                &blob.media_type,
                                u64::from(blob.bytes.length()),
                                now,
                            )
                        });
                    }
                }
                self.send_photos();
            }
            Err(e) => web_sys_log(&format!("shiftbook: unsent photos unreadable: {e}")),
        }
    }

    /// The connection is back: photos waiting for their backoff go now.
    pub(crate) fn photos_online(&self) {
        QUEUE.with(|q| q.borrow_mut().online(crate::platform::clock::now_ms()));
        self.send_photos();
    }

    /// Send the photos that are due, and look again when the next is.
    pub(crate) fn send_photos(&self) {
        let now = crate::platform::clock::now_ms();
        let (due, unsent, next) = QUEUE.with(|q| {
            let mut q = q.borrow_mut();
            (q.due(now), q.unsent(), q.next_due_ms())
        });
        self.signals.unsent_photos.set(unsent);
        for pending in due {
            let store = self.clone();
            leptos::task::spawn_local(async move {
                let answer = store.send_photo(&pending.sha256, &pending.doc).await;
                let random = u32::from_le_bytes(crate::platform::random::random_bytes::<4>());
                if answer == Answer::Held
                    && let Err(e) = idb::blob_sent(&pending.sha256).await
                {
                    web_sys_log(&format!("shiftbook: {e}"));
                }
                QUEUE.with(|q| {
                    q.borrow_mut().answered(
                        &pending.sha256,
                        answer,
                        crate::platform::clock::now_ms(),
                        random,
                    )
                });
                store.send_photos();
            });
        }
        // One timer at a time: a new one only when the next photo is due
        // before the one set.
        if let Some(at) = next
            && WAKE_AT.with(|w| w.get().is_none_or(|set| at < set))
        {
            WAKE_AT.with(|w| w.set(Some(at)));
            let store = self.clone();
            let wait = (at - now).clamp(0, 600_000) as i32;
            leptos::task::spawn_local(async move {
                crate::platform::clock::sleep_ms(wait).await;
                WAKE_AT.with(|w| {
                    if w.get() == Some(at) {
                        w.set(None);
                    }
                });
                store.send_photos();
            });
        }
    }

    /// One `PUT`: the server's answer ([`Answer::Failed`] when none).
    async fn send_photo(&self, sha256: &str, doc: &DocumentId) -> Answer {
        let Ok(Some(blob)) = idb::blob(sha256).await else {
            // Nothing to send: the server is asked again when a screen
            // shows it; the queue lets it go.
            return Answer::Held;
        };
        let url = format!("/api/blobs/{sha256}?doc={doc}");
        let request = authorized(
            self,
            gloo_net::http::Request::put(&url).header("Content-Type", &blob.media_type),
        );
        match request.body(blob.bytes) {
            Ok(request) => match request.send().await {
                Ok(response) => Answer::of_status(response.status()),
                Err(_) => Answer::Failed,
            },
            Err(_) => Answer::Failed,
        }
    }
}

/// An address the page can show photo `sha256` from: kept on this tablet,
/// or fetched from the server (with this device's token) and kept, marked
/// sent; `None` while neither has it.
pub async fn photo_url(store: &Store, sha256: &str, doc: &DocumentId) -> Option<String> {
    let blob = match idb::blob(sha256).await {
        Ok(Some(blob)) => blob,
        _ => {
            let request = authorized(
                store,
                gloo_net::http::Request::get(&format!("/api/blobs/{sha256}")),
            );
            let response = request.send().await.ok()?;
            if response.status() != 200 {
                return None;
            }
            let media_type = response
                .headers()
                .get("Content-Type")
                .unwrap_or_else(|| "image/jpeg".into());
            let buffer = web_sys::Response::from(response).array_buffer().ok()?;
            let buffer = wasm_bindgen_futures::JsFuture::from(buffer).await.ok()?;
            let bytes = js_sys::Uint8Array::new(&buffer);
            let blob = Blob {
                sha256: sha256.to_owned(),
                bytes,
                media_type,
                doc: doc.to_string(),
                sent: true,
                kept_ms: crate::platform::clock::now_ms(),
            };
            if let Err(e) = idb::put_blob(&blob).await {
                web_sys_log(&format!("shiftbook: photo not kept: {e}"));
            }
            blob
        }
    };
    let parts: js_sys::Array = [blob.bytes].iter().collect();
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(&blob.media_type);
    let js_blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).ok()?;
    web_sys::Url::create_object_url_with_blob(&js_blob).ok()
}
