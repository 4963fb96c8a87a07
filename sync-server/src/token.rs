//! Device tokens: the bearer secret an enrolled tablet presents.
//!
//! A token is 32 random bytes from the operating system, written as
//! URL-safe base64 without padding (43 characters) so it can travel in a
//! URL fragment or query string unescaped. The server stores only the
//! SHA-256 of the token text, in hex. Tokens are high-entropy random
//! values, so a fast hash is the right tool: there is nothing to brute
//! force, and a slow password hash would only slow every request down.
//!
//! [`DeviceToken`] deliberately has no `Debug` or `Display` output that
//! reveals the secret, so it cannot end up in a log line by accident.

use base64::Engine as _;
use sha2::{Digest, Sha256};
use std::fmt;

/// Longest token text the server will even hash. Real tokens are 43
/// characters; anything much longer is garbage.
pub const MAX_TOKEN_LEN: usize = 256;

/// A freshly drawn device token. The secret leaves this type only through
/// [`DeviceToken::reveal`], which the enrol command calls to print it once.
pub struct DeviceToken(String);

/// The operating system could not supply random bytes.
#[derive(Debug, thiserror::Error)]
#[error("the operating system's random number generator failed: {0}")]
pub struct RandomError(String);

impl DeviceToken {
    /// Draw a new token from the operating system's CSPRNG.
    pub fn generate() -> Result<Self, RandomError> {
        let bytes: [u8; 32] = random_bytes()?;
        Ok(Self(
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes),
        ))
    }

    /// The token text, to hand to the device exactly once.
    pub fn reveal(&self) -> &str {
        &self.0
    }

    /// The digest stored in the database.
    pub fn digest(&self) -> TokenDigest {
        TokenDigest::of(&self.0)
    }
}

impl fmt::Debug for DeviceToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DeviceToken(…)")
    }
}

/// The SHA-256 of a token's text as 64 lowercase hex digits: what the
/// `devices.token_sha256` column holds.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct TokenDigest(String);

impl TokenDigest {
    /// Hash presented token text.
    pub fn of(token: &str) -> Self {
        Self(hex(&Sha256::digest(token.as_bytes())))
    }

    /// The hex digest.
    pub fn as_hex(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for TokenDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A digest is not a secret, but there is no reason to spread it either.
        write!(f, "TokenDigest({}…)", &self.0[..8.min(self.0.len())])
    }
}

/// `N` random bytes from the operating system.
pub fn random_bytes<const N: usize>() -> Result<[u8; N], RandomError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| RandomError(e.to_string()))?;
    Ok(bytes)
}

/// Lowercase hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    use fmt::Write as _;
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        // Writing to a String cannot fail.
        let _ = write!(out, "{b:02x}");
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_43_url_safe_characters_and_differ() {
        let a = DeviceToken::generate().unwrap();
        let b = DeviceToken::generate().unwrap();
        assert_eq!(a.reveal().len(), 43);
        assert!(
            a.reveal()
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        );
        assert_ne!(a.reveal(), b.reveal());
    }

    #[test]
    fn the_digest_is_sha256_hex_of_the_text() {
        // Known answer: SHA-256("abc").
        assert_eq!(
            TokenDigest::of("abc").as_hex(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let t = DeviceToken::generate().unwrap();
        assert_eq!(t.digest(), TokenDigest::of(t.reveal()));
        assert_eq!(t.digest().as_hex().len(), 64);
    }

    #[test]
    fn debug_output_never_shows_the_secret() {
        let t = DeviceToken::generate().unwrap();
        assert!(!format!("{t:?}").contains(t.reveal()));
        assert!(!format!("{:?}", t.digest()).contains(t.digest().as_hex()));
    }
}
