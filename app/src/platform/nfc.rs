//! NFC tags read with Web NFC (`NDEFReader`, Chrome on Android): a
//! checkpoint's tag carries the same text as its QR label, as a text or
//! URL record. Most browsers have no Web NFC; [`available`] says whether
//! this one has.

use crate::platform::js::{self, JsFailure, call, get, set, wait};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// Whether the browser can read NFC tags.
pub fn available() -> bool {
    web_sys::window().is_some_and(|w| get(&w.into(), "NDEFReader").is_function())
}

/// NFC reading in progress; reading stops when it is dropped.
pub struct NfcReader {
    abort: JsValue,
    _on_reading: Closure<dyn FnMut(JsValue)>,
}

impl std::fmt::Debug for NfcReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NfcReader")
    }
}

/// The texts of an NDEF message's text and URL records.
fn texts(message: &JsValue) -> Vec<String> {
    let mut out = Vec::new();
    for record in js_sys::Array::from(&get(message, "records")).iter() {
        let kind = get(&record, "recordType").as_string().unwrap_or_default();
        if kind != "text" && kind != "url" {
            continue;
        }
        let encoding = get(&record, "encoding")
            .as_string()
            .unwrap_or_else(|| "utf-8".to_owned());
        let Some(window) = web_sys::window() else {
            continue;
        };
        let Ok(class) = get(&window.into(), "TextDecoder").dyn_into::<js_sys::Function>() else {
            continue;
        };
        let decoder = js_sys::Reflect::construct(&class, &js_sys::Array::of1(&encoding.into()));
        if let Ok(decoder) = decoder
            && let Ok(text) = call(&decoder, "decode", &[get(&record, "data")])
            && let Some(text) = text.as_string()
        {
            out.push(text);
        }
    }
    out
}

impl NfcReader {
    /// Start reading tags; `on_text` gets the text of every record read.
    pub async fn start(mut on_text: impl FnMut(String) + 'static) -> Result<NfcReader, JsFailure> {
        let window: JsValue = web_sys::window()
            .ok_or_else(|| js::failure("window", ()))?
            .into();
        let class: js_sys::Function = get(&window, "NDEFReader")
            .dyn_into()
            .map_err(|e| js::failure("NDEFReader", e))?;
        let reader = js_sys::Reflect::construct(&class, &js_sys::Array::new())
            .map_err(|e| js::failure("NDEFReader", e))?;
        let abort_class: js_sys::Function = get(&window, "AbortController")
            .dyn_into()
            .map_err(|e| js::failure("AbortController", e))?;
        let abort = js_sys::Reflect::construct(&abort_class, &js_sys::Array::new())
            .map_err(|e| js::failure("AbortController", e))?;
        let on_reading = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
            for text in texts(&get(&event, "message")) {
                on_text(text);
            }
        });
        set(&reader, "onreading", on_reading.as_ref().clone());
        let options = js_sys::Object::new();
        set(&options, "signal", get(&abort, "signal"));
        wait(call(&reader, "scan", &[options.into()])?)
            .await
            .map_err(|e| js::failure("scan", e))?;
        Ok(NfcReader {
            abort,
            _on_reading: on_reading,
        })
    }
}

impl Drop for NfcReader {
    fn drop(&mut self) {
        let _ = call(&self.abort, "abort", &[]);
    }
}
