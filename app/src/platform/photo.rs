//! A photo as the tablet keeps it: the picked or taken image (a `File`
//! from `<input type="file" accept="image/*" capture="environment">`)
//! drawn upright (`createImageBitmap`, EXIF orientation applied) on a
//! canvas no larger than [`LONG_EDGE`] px, stamped along its bottom with
//! when, where and who — as paper-era evidence was — and encoded again as
//! JPEG of about [`TARGET_BYTES`] (re-encoding drops every other EXIF
//! field, the location too); then named by its SHA-256 (WebCrypto).
//! Browser APIs are called through `js_sys::Reflect`, like
//! [`crate::platform::pin_crypto`].

use crate::platform::js::{self, number, set, wait};
use js_sys::{Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

/// The longest edge of a kept photo, px.
pub const LONG_EDGE: u32 = 1600;
/// About how large a kept photo is.
pub const TARGET_BYTES: usize = 220 * 1024;
/// JPEG qualities tried in turn until the photo is small enough.
const QUALITIES: [f64; 4] = [0.82, 0.7, 0.58, 0.45];

/// Why a photo could not be kept.
#[derive(Debug, thiserror::Error)]
pub enum PhotoError {
    /// The file is not an image the browser can read.
    #[error("not a readable image: {0}")]
    Unreadable(String),
    /// Drawing, encoding or hashing failed.
    #[error("the photo could not be prepared: {0}")]
    Failed(String),
}

/// A photo ready to keep.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// JPEG bytes.
    pub bytes: Vec<u8>,
    /// Their SHA-256, hex.
    pub sha256: String,
    /// `image/jpeg`.
    pub media_type: &'static str,
}

/// The size to draw a `width` × `height` image at: its long edge at most
/// [`LONG_EDGE`], the proportions kept, never enlarged, never 0.
pub fn fit(width: u32, height: u32) -> (u32, u32) {
    let long = width.max(height).max(1);
    if long <= LONG_EDGE {
        return (width.max(1), height.max(1));
    }
    let scale =
        |side: u32| ((u64::from(side) * u64::from(LONG_EDGE) / u64::from(long)) as u32).max(1);
    (scale(width), scale(height))
}

/// The stamp's text: when (local `YYYY-MM-DD HH:MM`), the site, who, on
/// which device.
pub fn stamp_text(local_time: &str, site: &str, person: &str, device: &str) -> String {
    format!("{local_time} · {site} · {person} · {device}")
}

fn failed(what: &str, e: impl std::fmt::Debug) -> PhotoError {
    PhotoError::Failed(format!("{what}: {e:?}"))
}

fn call(target: &JsValue, method: &str, args: &[JsValue]) -> Result<JsValue, PhotoError> {
    js::call(target, method, args).map_err(|f| PhotoError::Failed(f.to_string()))
}

/// Prepare `file` (a `File` or `Blob`), stamped with `stamp`.
pub async fn prepare(file: &JsValue, stamp: &str) -> Result<Prepared, PhotoError> {
    let window: JsValue = web_sys::window()
        .ok_or_else(|| failed("window", ()))?
        .into();
    let options = Object::new();
    set(&options, "imageOrientation", "from-image");
    let bitmap = wait(call(
        &window,
        "createImageBitmap",
        &[file.clone(), options.into()],
    )?)
    .await
    .map_err(|e| PhotoError::Unreadable(format!("{e:?}")))?;
    let (width, height) = fit(
        number(&bitmap, "width") as u32,
        number(&bitmap, "height") as u32,
    );
    let document: JsValue =
        Reflect::get(&window, &"document".into()).map_err(|e| failed("document", e))?;
    let canvas = call(&document, "createElement", &["canvas".into()])?;
    set(&canvas, "width", width);
    set(&canvas, "height", height);
    let ctx = call(&canvas, "getContext", &["2d".into()])?;
    let (w, h) = (f64::from(width), f64::from(height));
    call(
        &ctx,
        "drawImage",
        &[bitmap.clone(), 0.into(), 0.into(), w.into(), h.into()],
    )?;
    let _ = call(&bitmap, "close", &[]);
    // The stamp: white text on a dark band along the bottom edge.
    let band = (h / 22.0).max(22.0);
    set(&ctx, "fillStyle", "rgba(0, 0, 0, 0.6)");
    call(
        &ctx,
        "fillRect",
        &[0.into(), (h - band).into(), w.into(), band.into()],
    )?;
    set(&ctx, "fillStyle", "#ffffff");
    set(
        &ctx,
        "font",
        format!("{}px sans-serif", (band * 0.6).round()),
    );
    set(&ctx, "textBaseline", "middle");
    call(
        &ctx,
        "fillText",
        &[
            stamp.into(),
            (band * 0.4).into(),
            (h - band / 2.0).into(),
            (w - band * 0.8).into(),
        ],
    )?;
    let mut blob = JsValue::UNDEFINED;
    for quality in QUALITIES {
        let encoded = Promise::new(&mut |resolve, _| {
            let _ = call(
                &canvas,
                "toBlob",
                &[resolve.into(), "image/jpeg".into(), quality.into()],
            );
        });
        blob = JsFuture::from(encoded)
            .await
            .map_err(|e| failed("toBlob", e))?;
        if number(&blob, "size") as usize <= TARGET_BYTES {
            break;
        }
    }
    if blob.is_null() || blob.is_undefined() {
        return Err(failed("toBlob", "no image"));
    }
    let buffer = wait(call(&blob, "arrayBuffer", &[])?)
        .await
        .map_err(|e| failed("arrayBuffer", e))?;
    let bytes = Uint8Array::new(&buffer).to_vec();
    let sha256 = sha256_hex(&window, &bytes).await?;
    Ok(Prepared {
        bytes,
        sha256,
        media_type: "image/jpeg",
    })
}

/// SHA-256 of `bytes`, lowercase hex, by WebCrypto.
async fn sha256_hex(window: &JsValue, bytes: &[u8]) -> Result<String, PhotoError> {
    let crypto = Reflect::get(window, &"crypto".into()).map_err(|e| failed("crypto", e))?;
    let subtle = Reflect::get(&crypto, &"subtle".into()).map_err(|e| failed("subtle", e))?;
    let data = Uint8Array::from(bytes);
    let digest = wait(call(&subtle, "digest", &["SHA-256".into(), data.into()])?)
        .await
        .map_err(|e| failed("digest", e))?;
    Ok(Uint8Array::new(&digest)
        .to_vec()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_photo_fits_its_long_edge_and_keeps_its_shape() {
        assert_eq!(fit(4032, 3024), (1600, 1200));
        assert_eq!(fit(3024, 4032), (1200, 1600));
        assert_eq!(fit(800, 600), (800, 600), "never enlarged");
        assert_eq!(fit(20000, 1), (1600, 1), "never 0");
        assert_eq!(fit(0, 0), (1, 1));
    }

    #[test]
    fn the_stamp_says_when_where_and_who() {
        assert_eq!(
            stamp_text("2026-12-07 08:31", "demo", "张伟", "大堂平板1"),
            "2026-12-07 08:31 · demo · 张伟 · 大堂平板1"
        );
    }
}
