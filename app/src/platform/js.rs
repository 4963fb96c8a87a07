//! Calling browser APIs the `web-sys` features of this build do not cover
//! (image bitmaps, canvases, media streams, barcode detection), through
//! `js_sys::Reflect`: a method call, a promise awaited, a property read or
//! set. A failed call says which method failed and how.

use js_sys::{Array, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// A browser call that failed: the method and what the browser said.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what}: {detail}")]
pub struct JsFailure {
    /// The method or property.
    pub what: String,
    /// The browser's error, as text.
    pub detail: String,
}

/// A failure of `what`, described by `e`.
pub fn failure(what: &str, e: impl std::fmt::Debug) -> JsFailure {
    JsFailure {
        what: what.to_owned(),
        detail: format!("{e:?}"),
    }
}

/// `target.method(...args)`.
pub fn call(target: &JsValue, method: &str, args: &[JsValue]) -> Result<JsValue, JsFailure> {
    let f: js_sys::Function = Reflect::get(target, &method.into())
        .and_then(JsCast::dyn_into)
        .map_err(|e| failure(method, e))?;
    let args: Array = args.iter().collect();
    Reflect::apply(&f, target, &args).map_err(|e| failure(method, e))
}

/// The value `promise` settles with.
pub async fn wait(promise: JsValue) -> Result<JsValue, JsValue> {
    JsFuture::from(promise.unchecked_into::<Promise>()).await
}

/// `target[key] = value`, ignoring a refusal (a frozen object).
pub fn set(target: &JsValue, key: &str, value: impl Into<JsValue>) {
    let _ = Reflect::set(target, &key.into(), &value.into());
}

/// `target[key]`; `undefined` when it cannot be read.
pub fn get(target: &JsValue, key: &str) -> JsValue {
    Reflect::get(target, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

/// `target[key]` as a number; 0 when it is not one.
pub fn number(target: &JsValue, key: &str) -> f64 {
    get(target, key).as_f64().unwrap_or(0.0)
}
