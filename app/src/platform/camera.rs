//! The camera as a checkpoint scanner: the back camera's stream shown in a
//! `<video>` element (`getUserMedia`), read a frame at a time for QR codes
//! — by the browser's `BarcodeDetector` where it has one, else by
//! [`crate::platform::qr`] from the frame's pixels drawn on a canvas.
//! [`Camera::stop`] (or dropping it) turns the camera off.

use crate::platform::js::{self, JsFailure, call, get, number, set, wait};
use wasm_bindgen::{JsCast, JsValue};

/// Why the camera could not be used.
#[derive(Debug, thiserror::Error)]
pub enum CameraError {
    /// The browser has no camera access (`navigator.mediaDevices`), e.g.
    /// not a secure page.
    #[error("this browser gives no camera access")]
    Unsupported,
    /// The person (or the browser's settings) refused the camera, or there
    /// is none.
    #[error("the camera was refused or is missing: {0}")]
    Refused(String),
    /// A browser call failed.
    #[error(transparent)]
    Failed(#[from] JsFailure),
}

/// An open camera showing in a `<video>` element.
#[derive(Debug)]
pub struct Camera {
    stream: JsValue,
    video: JsValue,
    detector: Option<JsValue>,
    canvas: Option<JsValue>,
}

/// `new BarcodeDetector({formats: ["qr_code"]})`, when the browser has it.
fn barcode_detector() -> Option<JsValue> {
    let window: JsValue = web_sys::window()?.into();
    let class = get(&window, "BarcodeDetector");
    let class: js_sys::Function = class.dyn_into().ok()?;
    let options = js_sys::Object::new();
    set(&options, "formats", js_sys::Array::of1(&"qr_code".into()));
    js_sys::Reflect::construct(&class, &js_sys::Array::of1(&options)).ok()
}

impl Camera {
    /// Turn the back camera on and show it in `video` (a `<video>`).
    pub async fn open(video: &web_sys::Element) -> Result<Camera, CameraError> {
        let window: JsValue = web_sys::window().ok_or(CameraError::Unsupported)?.into();
        let devices = get(&get(&window, "navigator"), "mediaDevices");
        if devices.is_undefined() || devices.is_null() {
            return Err(CameraError::Unsupported);
        }
        let want = js_sys::Object::new();
        let constraints = js_sys::Object::new();
        set(&constraints, "facingMode", "environment");
        let ideal = |n: u32| {
            let o = js_sys::Object::new();
            set(&o, "ideal", n);
            o
        };
        set(&constraints, "width", ideal(1280));
        set(&constraints, "height", ideal(720));
        set(&want, "video", constraints);
        set(&want, "audio", false);
        let stream = wait(call(&devices, "getUserMedia", &[want.into()])?)
            .await
            .map_err(|e| CameraError::Refused(format!("{e:?}")))?;
        let video: JsValue = video.clone().into();
        set(&video, "muted", true);
        set(&video, "playsInline", true);
        set(&video, "srcObject", stream.clone());
        let camera = Camera {
            stream,
            video,
            detector: barcode_detector(),
            canvas: None,
        };
        wait(call(&camera.video, "play", &[])?)
            .await
            .map_err(|e| js::failure("play", e))?;
        Ok(camera)
    }

    /// The texts of the QR codes in the frame showing now; empty until the
    /// video has a frame.
    pub async fn read(&mut self) -> Result<Vec<String>, CameraError> {
        let (w, h) = (
            number(&self.video, "videoWidth"),
            number(&self.video, "videoHeight"),
        );
        if w < 1.0 || h < 1.0 {
            return Ok(Vec::new());
        }
        if let Some(detector) = &self.detector {
            let found = wait(call(detector, "detect", std::slice::from_ref(&self.video))?)
                .await
                .map_err(|e| js::failure("detect", e))?;
            return Ok(js_sys::Array::from(&found)
                .iter()
                .filter_map(|b| get(&b, "rawValue").as_string())
                .collect());
        }
        // Drawn no larger than the decoder takes, proportions kept.
        let scale = (crate::platform::qr::MAX_PIXELS as f64 / (w * h))
            .sqrt()
            .min(1.0);
        let (cw, ch) = ((w * scale).floor().max(1.0), (h * scale).floor().max(1.0));
        let canvas = match &self.canvas {
            Some(c) => c.clone(),
            None => {
                let document = get(
                    &web_sys::window().ok_or(CameraError::Unsupported)?.into(),
                    "document",
                );
                let c = call(&document, "createElement", &["canvas".into()])?;
                self.canvas = Some(c.clone());
                c
            }
        };
        set(&canvas, "width", cw);
        set(&canvas, "height", ch);
        let options = js_sys::Object::new();
        set(&options, "willReadFrequently", true);
        let ctx = call(&canvas, "getContext", &["2d".into(), options.into()])?;
        call(
            &ctx,
            "drawImage",
            &[self.video.clone(), 0.into(), 0.into(), cw.into(), ch.into()],
        )?;
        let image = call(
            &ctx,
            "getImageData",
            &[0.into(), 0.into(), cw.into(), ch.into()],
        )?;
        let data = js_sys::Uint8ClampedArray::from(get(&image, "data")).to_vec();
        // Whole pixels: the sizes are small positive integers.
        Ok(crate::platform::qr::decode_rgba(
            &data,
            cw as usize,
            ch as usize,
        ))
    }

    /// Turn the camera off.
    pub fn stop(&self) {
        if let Ok(tracks) = call(&self.stream, "getTracks", &[]) {
            for track in js_sys::Array::from(&tracks).iter() {
                let _ = call(&track, "stop", &[]);
            }
        }
        set(&self.video, "srcObject", JsValue::NULL);
    }
}

impl Drop for Camera {
    fn drop(&mut self) {
        self.stop();
    }
}
