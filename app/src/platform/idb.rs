//! The tablet's records in IndexedDB, through web-sys's own bindings.
//!
//! Database `shiftbook`, version 2, four object stores:
//! * `chunks`: key `[document id, chunk name]`, value a `Uint8Array` of
//!   automerge bytes — a whole saved document or the changes one write
//!   added. A document is every chunk under its id, loaded together
//!   ([`crate::platform::record_chunks`]); writers only ever add chunks,
//!   and delete only chunks whose content they hold in memory, so two tabs
//!   never overwrite each other's changes.
//! * `meta`: key document id, value a JSON string of
//!   [`crate::platform::record_chunks::StoredMeta`] (confirmed heads,
//!   purpose).
//! * `quarantine`: key `[document id, chunk name, ms]`, a chunk that could
//!   not be read, kept verbatim. Never deleted by the app.
//! * `blobs` (version 2): key a photo's SHA-256, value `{bytes, type, doc,
//!   sent}`: its bytes, media type, the document whose record shows it,
//!   and whether the server has them ([`Blob`]). An unsent photo is never
//!   deleted.
//!
//! Every write is one transaction with `durability: "strict"` (the browser
//! flushes it to disk before `complete`; browsers without the option
//! ignore it), committed as soon as its requests are issued, and the
//! future resolves only on `complete`. A transaction
//! aborted for lack of space is [`StorageError::Quota`].
//!
//! Each operation issues all its requests, their handlers in place,
//! before awaiting any: no request depends on a transaction staying active
//! across a turn of the event loop, and no answer arrives unheard.

use crate::platform::storage::StorageError;
use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbKeyRange, IdbObjectStore, IdbRequest, IdbTransaction};

const NAME: &str = "shiftbook";
const VERSION: u32 = 2;
const CHUNKS: &str = "chunks";
const META: &str = "meta";
const QUARANTINE: &str = "quarantine";
const BLOBS: &str = "blobs";

/// One stored chunk of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    /// Its name, unique under the document.
    pub name: String,
    /// Automerge bytes.
    pub bytes: Vec<u8>,
}

/// What storage holds of one document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoredChunks {
    /// Its chunks, by name.
    pub chunks: Vec<Chunk>,
    /// Its meta record (JSON), if written.
    pub meta: Option<String>,
}

/// One document's part of a write.
#[derive(Debug, Clone, Default)]
pub struct Put {
    /// The document.
    pub id: String,
    /// A chunk to add.
    pub chunk: Option<Chunk>,
    /// A new meta record.
    pub meta: Option<String>,
    /// Chunks to delete (their content is in `chunk`).
    pub delete: Vec<String>,
}

thread_local! {
    static DB: RefCell<Option<IdbDatabase>> = const { RefCell::new(None) };
}

fn failed(what: &str, e: impl std::fmt::Debug) -> StorageError {
    StorageError::Write(format!("{what}: {e:?}"))
}

/// The open database (opened, and created or upgraded, on first use).
async fn database() -> Result<IdbDatabase, StorageError> {
    if let Some(db) = DB.with(|d| d.borrow().clone()) {
        return Ok(db);
    }
    let factory = web_sys::window()
        .ok_or_else(|| failed("no window", ()))?
        .indexed_db()
        .map_err(|e| failed("IndexedDB refused", e))?
        .ok_or_else(|| failed("no IndexedDB", ()))?;
    let open = factory
        .open_with_u32(NAME, VERSION)
        .map_err(|e| failed("open", e))?;
    let opening = open.clone();
    let upgrade = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
        let Ok(db) = opening.result().and_then(|r| r.dyn_into::<IdbDatabase>()) else {
            return;
        };
        let names = db.object_store_names();
        for store in [CHUNKS, META, QUARANTINE, BLOBS] {
            if !names.contains(store) {
                let _ = db.create_object_store(store);
            }
        }
    });
    open.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
    let result = request(&open).await;
    open.set_onupgradeneeded(None);
    drop(upgrade);
    let db: IdbDatabase = result?
        .dyn_into()
        .map_err(|e| failed("open gave no database", e))?;
    // A newer build upgrading the database waits for this connection:
    // close it, and open again on the next use.
    let closing = db.clone();
    let on_version_change = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
        closing.close();
        DB.with(|d| d.borrow_mut().take());
    });
    db.set_onversionchange(Some(on_version_change.as_ref().unchecked_ref()));
    // Lives as long as the connection.
    on_version_change.forget();
    DB.with(|d| *d.borrow_mut() = Some(db.clone()));
    Ok(db)
}

/// The result of `req`, once its `success` (or `error`) event fired. The
/// handlers are in place when this returns, so requests of one
/// transaction can all be asked for before any is awaited.
fn request(req: &IdbRequest) -> impl std::future::Future<Output = Result<JsValue, StorageError>> {
    let settle: Rc<RefCell<Option<(Function, Function)>>> = Rc::default();
    let keep = settle.clone();
    let promise = Promise::new(&mut |resolve, reject| {
        *keep.borrow_mut() = Some((resolve, reject));
    });
    let handlers = settle.borrow_mut().take().map(|(resolve, reject)| {
        let done = req.clone();
        let ok = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            let _ = resolve.call1(&JsValue::NULL, &done.result().unwrap_or_default());
        });
        let refused = req.clone();
        let err = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            let why = refused.error().ok().flatten().map(JsValue::from);
            let _ = reject.call1(&JsValue::NULL, &why.unwrap_or_default());
        });
        req.set_onsuccess(Some(ok.as_ref().unchecked_ref()));
        req.set_onerror(Some(err.as_ref().unchecked_ref()));
        (ok, err)
    });
    let req = req.clone();
    async move {
        if handlers.is_none() {
            return Err(failed("promise", ()));
        }
        let result = JsFuture::from(promise).await;
        req.set_onsuccess(None);
        req.set_onerror(None);
        drop(handlers);
        result.map_err(refusal)
    }
}

/// Resolves once `tx` completed (its writes are on disk); an abort is the
/// transaction's error.
async fn completed(tx: &IdbTransaction) -> Result<(), StorageError> {
    let settle: Rc<RefCell<Option<(Function, Function)>>> = Rc::default();
    let keep = settle.clone();
    let promise = Promise::new(&mut |resolve, reject| {
        *keep.borrow_mut() = Some((resolve, reject));
    });
    let Some((resolve, reject)) = settle.borrow_mut().take() else {
        return Err(failed("promise", ()));
    };
    let ok = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
        let _ = resolve.call0(&JsValue::NULL);
    });
    let aborted = tx.clone();
    let err = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
        let why = aborted.error().map(JsValue::from);
        let _ = reject.call1(&JsValue::NULL, &why.unwrap_or_default());
    });
    tx.set_oncomplete(Some(ok.as_ref().unchecked_ref()));
    tx.set_onabort(Some(err.as_ref().unchecked_ref()));
    let result = JsFuture::from(promise).await;
    tx.set_oncomplete(None);
    tx.set_onabort(None);
    result.map(|_| ()).map_err(refusal)
}

/// The error a refused request or aborted transaction came to.
fn refusal(e: JsValue) -> StorageError {
    let name = e
        .dyn_ref::<web_sys::DomException>()
        .map(web_sys::DomException::name);
    crate::platform::storage::refusal(name.as_deref(), format!("{e:?}"))
}

/// A transaction over `stores`; a writing one is strict.
fn transaction(
    db: &IdbDatabase,
    stores: &[&str],
    write: bool,
) -> Result<IdbTransaction, StorageError> {
    let names: Array = stores.iter().map(|s| JsValue::from_str(s)).collect();
    if !write {
        return db
            .transaction_with_str_sequence(&names)
            .map_err(|e| failed("transaction", e));
    }
    // `durability` is not in web-sys's stable bindings: the options
    // object is passed by hand.
    let options = Object::new();
    let _ = Reflect::set(&options, &"durability".into(), &"strict".into());
    let open: Function = Reflect::get(db, &"transaction".into())
        .and_then(JsCast::dyn_into)
        .map_err(|e| failed("transaction", e))?;
    open.call3(db, &names, &"readwrite".into(), &options)
        .and_then(JsCast::dyn_into)
        .map_err(refusal)
}

/// Commit `tx` now rather than when the event loop next turns, so the
/// request is with the browser before anything else can happen to the tab
/// (`commit()` is deprecated in web-sys's bindings, not in browsers;
/// where it is missing the transaction commits by itself).
fn commit(tx: &IdbTransaction) {
    if let Ok(commit) = Reflect::get(tx, &"commit".into()).and_then(JsCast::dyn_into::<Function>) {
        let _ = commit.call0(tx);
    }
}

fn store(tx: &IdbTransaction, name: &str) -> Result<IdbObjectStore, StorageError> {
    tx.object_store(name).map_err(|e| failed(name, e))
}

fn chunk_key(id: &str, name: &str) -> JsValue {
    Array::of2(&id.into(), &name.into()).into()
}

/// Every key under document `id` in `chunks`.
fn doc_range(id: &str) -> Result<IdbKeyRange, StorageError> {
    let lower: JsValue = Array::of1(&id.into()).into();
    let upper: JsValue = Array::of2(&id.into(), &"\u{ffff}".into()).into();
    IdbKeyRange::bound(&lower, &upper).map_err(|e| failed("key range", e))
}

/// Pair `getAllKeys` and `getAll` answers of `chunks` into documents.
fn group(keys: JsValue, values: JsValue, into: &mut BTreeMap<String, StoredChunks>) {
    let keys: Array = keys.unchecked_into();
    let values: Array = values.unchecked_into();
    for (key, value) in keys.iter().zip(values.iter()) {
        let key: Array = key.unchecked_into();
        let (Some(id), Some(name)) = (key.get(0).as_string(), key.get(1).as_string()) else {
            continue;
        };
        let Some(bytes) = value.dyn_ref::<Uint8Array>().map(Uint8Array::to_vec) else {
            continue;
        };
        into.entry(id)
            .or_default()
            .chunks
            .push(Chunk { name, bytes });
    }
}

/// Everything stored, by document id.
pub async fn read_all() -> Result<BTreeMap<String, StoredChunks>, StorageError> {
    let db = database().await?;
    let tx = transaction(&db, &[CHUNKS, META], false)?;
    let (chunks, meta) = (store(&tx, CHUNKS)?, store(&tx, META)?);
    let issue = |r: Result<IdbRequest, JsValue>| r.map_err(|e| failed("read", e));
    let chunk_keys = issue(chunks.get_all_keys())?;
    let chunk_values = issue(chunks.get_all())?;
    let meta_keys = issue(meta.get_all_keys())?;
    let meta_values = issue(meta.get_all())?;
    let asked = [
        request(&chunk_keys),
        request(&chunk_values),
        request(&meta_keys),
        request(&meta_values),
    ];
    let mut answers = Vec::with_capacity(asked.len());
    for answer in asked {
        answers.push(answer.await?);
    }
    let [chunk_keys, chunk_values, meta_keys, meta_values] =
        <[JsValue; 4]>::try_from(answers).map_err(|_| failed("read", ()))?;
    let mut out = BTreeMap::new();
    group(chunk_keys, chunk_values, &mut out);
    let keys: Array = meta_keys.unchecked_into();
    let values: Array = meta_values.unchecked_into();
    for (key, value) in keys.iter().zip(values.iter()) {
        if let (Some(id), Some(meta)) = (key.as_string(), value.as_string()) {
            out.entry(id).or_default().meta = Some(meta);
        }
    }
    Ok(out)
}

/// What is stored of document `id`.
pub async fn read_doc(id: &str) -> Result<StoredChunks, StorageError> {
    let db = database().await?;
    let tx = transaction(&db, &[CHUNKS, META], false)?;
    let (chunks, meta) = (store(&tx, CHUNKS)?, store(&tx, META)?);
    let range = doc_range(id)?;
    let issue = |r: Result<IdbRequest, JsValue>| r.map_err(|e| failed("read", e));
    let keys = issue(chunks.get_all_keys_with_key(&range))?;
    let values = issue(chunks.get_all_with_key(&range))?;
    let meta = issue(meta.get(&id.into()))?;
    let asked = (request(&keys), request(&values), request(&meta));
    let (keys, values, meta) = (asked.0.await?, asked.1.await?, asked.2.await?);
    let mut out = BTreeMap::new();
    group(keys, values, &mut out);
    let mut stored = out.remove(id).unwrap_or_default();
    stored.meta = meta.as_string();
    Ok(stored)
}

/// Ids of every document with a meta record (every document written).
pub async fn stored_ids() -> Result<Vec<String>, StorageError> {
    let db = database().await?;
    let tx = transaction(&db, &[META], false)?;
    let keys = store(&tx, META)?
        .get_all_keys()
        .map_err(|e| failed("read", e))?;
    let keys: Array = request(&keys).await?.unchecked_into();
    Ok(keys.iter().filter_map(|k| k.as_string()).collect())
}

/// Write `puts` in one strict transaction; resolves once it is on disk.
pub async fn write(puts: &[Put]) -> Result<(), StorageError> {
    let db = database().await?;
    let tx = begin_write(&db, puts)?;
    completed(&tx).await
}

/// A write under way: issued, not yet on disk.
pub struct Writing(IdbTransaction);

impl Writing {
    /// Resolves once the write is on disk.
    pub async fn done(self) -> Result<(), StorageError> {
        completed(&self.0).await
    }
}

/// [`write`] in two steps: issue the transaction now (the whole cost on
/// the main thread), wait for the disk with [`Writing::done`].
pub async fn start_write(puts: &[Put]) -> Result<Writing, StorageError> {
    let db = database().await?;
    begin_write(&db, puts).map(Writing)
}

/// Issue `puts` in one strict transaction and commit it.
fn begin_write(db: &IdbDatabase, puts: &[Put]) -> Result<IdbTransaction, StorageError> {
    let tx = transaction(db, &[CHUNKS, META], true)?;
    let (chunks, meta) = (store(&tx, CHUNKS)?, store(&tx, META)?);
    for put in puts {
        if let Some(chunk) = &put.chunk {
            let bytes = Uint8Array::from(chunk.bytes.as_slice());
            chunks
                .put_with_key(&bytes, &chunk_key(&put.id, &chunk.name))
                .map_err(refusal)?;
        }
        if let Some(json) = &put.meta {
            meta.put_with_key(&json.into(), &put.id.as_str().into())
                .map_err(refusal)?;
        }
        for name in &put.delete {
            chunks
                .delete(&chunk_key(&put.id, name))
                .map_err(|e| failed("delete", e))?;
        }
    }
    commit(&tx);
    Ok(tx)
}

/// Delete document `id`: its chunks and meta record.
pub async fn remove_doc(id: &str) -> Result<(), StorageError> {
    let db = database().await?;
    let tx = transaction(&db, &[CHUNKS, META], true)?;
    store(&tx, CHUNKS)?
        .delete(&doc_range(id)?.into())
        .map_err(|e| failed("delete", e))?;
    store(&tx, META)?
        .delete(&id.into())
        .map_err(|e| failed("delete", e))?;
    commit(&tx);
    completed(&tx).await
}

/// Move chunk `chunk` of document `id` aside: copied verbatim into
/// `quarantine`, then removed from the document.
pub async fn quarantine(id: &str, chunk: &Chunk, at_ms: i64) -> Result<(), StorageError> {
    let db = database().await?;
    let tx = transaction(&db, &[CHUNKS, QUARANTINE], true)?;
    let key: JsValue = Array::of3(
        &id.into(),
        &chunk.name.as_str().into(),
        &(at_ms as f64).into(),
    )
    .into();
    store(&tx, QUARANTINE)?
        .put_with_key(&Uint8Array::from(chunk.bytes.as_slice()), &key)
        .map_err(refusal)?;
    store(&tx, CHUNKS)?
        .delete(&chunk_key(id, &chunk.name))
        .map_err(|e| failed("delete", e))?;
    commit(&tx);
    completed(&tx).await
}

/// A photo's bytes as the tablet keeps them.
#[derive(Debug, Clone)]
pub struct Blob {
    /// SHA-256, hex.
    pub sha256: String,
    /// The bytes, left on the JavaScript side: stored, sent and shown
    /// without a copy into the wasm memory, which never shrinks.
    pub bytes: Uint8Array,
    /// Media type.
    pub media_type: String,
    /// The document whose record shows it.
    pub doc: String,
    /// The server has it.
    pub sent: bool,
    /// When it came to this tablet (taken here, or fetched for a screen):
    /// a sent photo leaves after the site's days ([`remove_sent_blobs`]).
    pub kept_ms: i64,
}

fn blob_value(blob: &Blob) -> JsValue {
    let value = Object::new();
    let set = |k: &str, v: &JsValue| {
        let _ = Reflect::set(&value, &k.into(), v);
    };
    set("bytes", &blob.bytes);
    set("type", &blob.media_type.as_str().into());
    set("doc", &blob.doc.as_str().into());
    set("sent", &blob.sent.into());
    // A time in ms is exact in a double.
    set("at", &(blob.kept_ms as f64).into());
    value.into()
}

/// Whether a stored photo is sent, and when it was kept: read without
/// copying its bytes (a build before the time was kept says 0).
fn blob_facts(value: &JsValue) -> (bool, i64) {
    let get = |k: &str| Reflect::get(value, &k.into()).ok();
    let sent = get("sent").and_then(|v| v.as_bool()).unwrap_or(false);
    let at = get("at").and_then(|v| v.as_f64()).unwrap_or(0.0) as i64;
    (sent, at)
}

fn blob_of(sha256: &str, value: &JsValue) -> Option<Blob> {
    let get = |k: &str| Reflect::get(value, &k.into()).ok();
    Some(Blob {
        sha256: sha256.to_owned(),
        bytes: get("bytes")?.dyn_into::<Uint8Array>().ok()?,
        media_type: get("type")?.as_string()?,
        doc: get("doc")?.as_string()?,
        sent: get("sent")?.as_bool().unwrap_or(false),
        kept_ms: blob_facts(value).1,
    })
}

/// Keep `blob` (strict: on disk before it resolves).
pub async fn put_blob(blob: &Blob) -> Result<(), StorageError> {
    let db = database().await?;
    let tx = transaction(&db, &[BLOBS], true)?;
    store(&tx, BLOBS)?
        .put_with_key(&blob_value(blob), &blob.sha256.as_str().into())
        .map_err(refusal)?;
    commit(&tx);
    completed(&tx).await
}

/// The photo `sha256`, if this tablet keeps it.
pub async fn blob(sha256: &str) -> Result<Option<Blob>, StorageError> {
    let db = database().await?;
    let tx = transaction(&db, &[BLOBS], false)?;
    let req = store(&tx, BLOBS)?
        .get(&sha256.into())
        .map_err(|e| failed("read", e))?;
    let value = request(&req).await?;
    Ok(if value.is_undefined() {
        None
    } else {
        blob_of(sha256, &value)
    })
}

/// Every photo the server does not have yet, without its bytes' copy
/// kept (the uploader reads each when it sends it).
pub async fn unsent_blobs() -> Result<Vec<Blob>, StorageError> {
    let db = database().await?;
    let tx = transaction(&db, &[BLOBS], false)?;
    let blobs = store(&tx, BLOBS)?;
    let keys = blobs.get_all_keys().map_err(|e| failed("read", e))?;
    let values = blobs.get_all().map_err(|e| failed("read", e))?;
    let asked = (request(&keys), request(&values));
    let keys: Array = asked.0.await?.unchecked_into();
    let values: Array = asked.1.await?.unchecked_into();
    Ok(keys
        .iter()
        .zip(values.iter())
        .filter(|(_, v)| !blob_facts(v).0)
        .filter_map(|(k, v)| blob_of(&k.as_string()?, &v))
        .collect())
}

/// Delete every photo the server has that came to this tablet before
/// `kept_before_ms` (a screen showing one fetches it again); unsent ones
/// are never deleted, whatever their age. Returns how many went and their
/// bytes.
pub async fn remove_sent_blobs(kept_before_ms: i64) -> Result<(usize, u64), StorageError> {
    let db = database().await?;
    let gone = {
        let tx = transaction(&db, &[BLOBS], false)?;
        let blobs = store(&tx, BLOBS)?;
        let keys: Array = request(&blobs.get_all_keys().map_err(|e| failed("read", e))?)
            .await?
            .unchecked_into();
        // One value at a time: a day's photos never sit in memory at once.
        let mut gone = Vec::new();
        for key in keys.iter() {
            let tx = transaction(&db, &[BLOBS], false)?;
            let req = store(&tx, BLOBS)?
                .get(&key)
                .map_err(|e| failed("read", e))?;
            let value = request(&req).await?;
            if value.is_undefined() {
                continue;
            }
            let (sent, at) = blob_facts(&value);
            if sent && at < kept_before_ms {
                let bytes = Reflect::get(&value, &"bytes".into())
                    .ok()
                    .and_then(|b| b.dyn_ref::<Uint8Array>().map(|b| u64::from(b.length())))
                    .unwrap_or(0);
                gone.push((key, bytes));
            }
        }
        gone
    };
    if gone.is_empty() {
        return Ok((0, 0));
    }
    let tx = transaction(&db, &[BLOBS], true)?;
    let blobs = store(&tx, BLOBS)?;
    for (key, _) in &gone {
        blobs.delete(key).map_err(|e| failed("delete", e))?;
    }
    commit(&tx);
    completed(&tx).await?;
    Ok((gone.len(), gone.iter().map(|(_, b)| b).sum()))
}

/// The server has photo `sha256`.
pub async fn blob_sent(sha256: &str) -> Result<(), StorageError> {
    let Some(mut blob) = blob(sha256).await? else {
        return Ok(());
    };
    blob.sent = true;
    put_blob(&blob).await
}
