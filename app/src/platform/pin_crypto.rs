//! PIN keys derived by the browser: PBKDF2-HMAC-SHA256 through WebCrypto
//! (`crypto.subtle.deriveBits`), native code instead of wasm, so a PIN
//! hash can take several times the iterations in the same wait (see
//! `shiftbook_model::roster::PIN_ITERATIONS`). The function is the model's
//! [`derive_pin`]; native builds (the app's unit tests) use that directly.
//!
//! [`derive_pin`]: shiftbook_model::roster::derive_pin

use shiftbook_model::roster::{PinHash, is_valid_pin};

/// WebCrypto is missing or refused (a page not in a secure context).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the browser could not derive the PIN key: {0}")]
pub struct PinCryptoError(pub String);

/// The 32-byte PBKDF2-HMAC-SHA256 key of `pin` with `salt`.
pub async fn derive(pin: &str, salt: &[u8], iterations: u32) -> Result<[u8; 32], PinCryptoError> {
    #[cfg(target_arch = "wasm32")]
    {
        web::derive(pin, salt, iterations).await
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        Ok(shiftbook_model::roster::derive_pin(pin, salt, iterations))
    }
}

/// A new PIN's stored hash with `salt` and `iterations`.
pub async fn hash(pin: &str, salt: [u8; 16], iterations: u32) -> Result<PinHash, PinCryptoError> {
    let key = derive(pin, &salt, iterations).await?;
    PinHash::from_derived(salt, iterations, &key).map_err(|e| PinCryptoError(e.to_string()))
}

/// Whether `pin` is the one `hash` was made from. Malformed PINs and
/// stored hashes never match (and cost no derivation).
pub async fn matches(hash: &PinHash, pin: &str) -> Result<bool, PinCryptoError> {
    if !is_valid_pin(pin) {
        return Ok(false);
    }
    let Some((salt, iterations)) = hash.derivation() else {
        return Ok(false);
    };
    Ok(hash.matches(&derive(pin, &salt, iterations).await?))
}

#[cfg(target_arch = "wasm32")]
mod web {
    //! `crypto.subtle` called through `js_sys::Reflect`.
    use super::PinCryptoError;
    use js_sys::{Array, Object, Reflect, Uint8Array};
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;

    fn err(what: &str, e: JsValue) -> PinCryptoError {
        PinCryptoError(format!(
            "{what}: {}",
            e.as_string().unwrap_or_else(|| format!("{e:?}"))
        ))
    }

    fn call(target: &JsValue, method: &str, args: &Array) -> Result<JsValue, PinCryptoError> {
        let f = Reflect::get(target, &method.into())
            .map_err(|e| err(method, e))?
            .dyn_into::<js_sys::Function>()
            .map_err(|e| err(method, e))?;
        Reflect::apply(&f, target, args).map_err(|e| err(method, e))
    }

    async fn promised(value: JsValue, what: &str) -> Result<JsValue, PinCryptoError> {
        let promise = value
            .dyn_into::<js_sys::Promise>()
            .map_err(|e| err(what, e))?;
        JsFuture::from(promise).await.map_err(|e| err(what, e))
    }

    pub(super) async fn derive(
        pin: &str,
        salt: &[u8],
        iterations: u32,
    ) -> Result<[u8; 32], PinCryptoError> {
        let global = js_sys::global();
        let crypto = Reflect::get(&global, &"crypto".into()).map_err(|e| err("crypto", e))?;
        let subtle = Reflect::get(&crypto, &"subtle".into()).map_err(|e| err("subtle", e))?;
        if subtle.is_undefined() {
            return Err(PinCryptoError(
                "crypto.subtle is not available (not a secure context)".into(),
            ));
        }
        let usages = Array::of1(&"deriveBits".into());
        let key = promised(
            call(
                &subtle,
                "importKey",
                &Array::of5(
                    &"raw".into(),
                    &Uint8Array::from(pin.as_bytes()).into(),
                    &"PBKDF2".into(),
                    &JsValue::FALSE,
                    &usages.into(),
                ),
            )?,
            "importKey",
        )
        .await?;
        let params = Object::new();
        let set = |k: &str, v: JsValue| {
            Reflect::set(&params, &k.into(), &v).map_err(|e| err("parameters", e))
        };
        set("name", "PBKDF2".into())?;
        set("hash", "SHA-256".into())?;
        set("salt", Uint8Array::from(salt).into())?;
        set("iterations", iterations.into())?;
        let bits = promised(
            call(
                &subtle,
                "deriveBits",
                &Array::of3(&params.into(), &key, &256u32.into()),
            )?,
            "deriveBits",
        )
        .await?;
        let bytes = Uint8Array::new(&bits).to_vec();
        bytes
            .try_into()
            .map_err(|_| PinCryptoError("deriveBits returned other than 32 bytes".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shiftbook_model::roster::derive_pin;

    fn block_on<F: std::future::Future>(f: F) -> F::Output {
        // The native path never awaits anything pending.
        let waker = std::task::Waker::noop();
        let mut cx = std::task::Context::from_waker(waker);
        let mut f = std::pin::pin!(f);
        match f.as_mut().poll(&mut cx) {
            std::task::Poll::Ready(v) => v,
            std::task::Poll::Pending => panic!("pending"),
        }
    }

    #[test]
    fn hashes_verify_with_the_models_function() {
        let hash = block_on(hash("135790", [3; 16], 1_000)).unwrap();
        assert!(
            hash.verify("135790"),
            "the model verifies what the browser hashed"
        );
        assert!(block_on(matches(&hash, "135790")).unwrap());
        assert!(!block_on(matches(&hash, "135791")).unwrap());
        assert!(!block_on(matches(&hash, "13579a")).unwrap());
        assert_eq!(
            block_on(derive("1", b"salt", 1)).unwrap(),
            derive_pin("1", b"salt", 1)
        );
    }
}
