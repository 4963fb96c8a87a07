//! Random bytes from the platform's secure generator (WebCrypto), for
//! record ids and salts.

/// Random bytes from the platform's secure generator.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut buf = [0u8; N];
    if getrandom::fill(&mut buf).is_err() {
        // Never expected in a browser with WebCrypto; degrade, don't die.
        for b in &mut buf {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    buf
}
