//! Supervisor passwords: argon2id in PHC string form.
//!
//! Passwords are chosen by people, so unlike device tokens they need a
//! slow, salted hash. [`hash`] uses argon2id with the `argon2` crate's
//! default parameters and a fresh 16-byte salt from the operating system;
//! the PHC string (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`) records all of
//! it, so stored hashes stay verifiable if the defaults change.
//!
//! [`verify_or_dummy`] checks a login: for an unknown user it verifies the
//! password against a fixed dummy hash anyway, so a wrong user name costs
//! the same time as a wrong password and timing does not tell them apart.
//!
//! Passwords are never logged: the functions here take `&str` and return
//! only hashes or booleans.

use crate::token::{RandomError, random_bytes};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use std::sync::OnceLock;

/// Shortest password `add-supervisor` accepts, in characters.
pub const MIN_PASSWORD_CHARS: usize = 8;
/// Longest password accepted anywhere, in bytes; longer ones are refused
/// before hashing so nobody can make the server hash megabytes.
pub const MAX_PASSWORD_BYTES: usize = 1024;

/// Why a password could not be set.
#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    /// Shorter than [`MIN_PASSWORD_CHARS`].
    #[error("the password must have at least {MIN_PASSWORD_CHARS} characters")]
    TooShort,
    /// Longer than [`MAX_PASSWORD_BYTES`].
    #[error("the password must be at most {MAX_PASSWORD_BYTES} bytes")]
    TooLong,
    /// No randomness for the salt.
    #[error(transparent)]
    Random(#[from] RandomError),
    /// argon2 failed (it does not with the default parameters).
    #[error("password hashing failed: {0}")]
    Hash(String),
}

/// Check a new password's length.
pub fn validate(password: &str) -> Result<(), PasswordError> {
    if password.len() > MAX_PASSWORD_BYTES {
        Err(PasswordError::TooLong)
    } else if password.chars().count() < MIN_PASSWORD_CHARS {
        Err(PasswordError::TooShort)
    } else {
        Ok(())
    }
}

/// Hash `password` with argon2id and a random salt; the PHC string.
pub fn hash(password: &str) -> Result<String, PasswordError> {
    let salt = SaltString::encode_b64(&random_bytes::<16>()?)
        .map_err(|e| PasswordError::Hash(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| PasswordError::Hash(e.to_string()))
}

/// Whether `password` matches the PHC string `phc`. A malformed stored
/// hash never matches.
pub fn verify(password: &str, phc: &str) -> bool {
    if password.len() > MAX_PASSWORD_BYTES {
        return false;
    }
    PasswordHash::new(phc).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// A hash of a random password with the same parameters as real ones,
/// made once per process.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let secret = crate::token::hex(&random_bytes::<16>().unwrap_or([7; 16]));
        // Hashing a 32-character password with the defaults cannot fail;
        // if it somehow did, an unparsable string still never verifies.
        hash(&secret).unwrap_or_default()
    })
}

/// Verify against `phc`, or against the dummy hash when the user is
/// unknown (then always `false`), taking about the same time either way.
pub fn verify_or_dummy(password: &str, phc: Option<&str>) -> bool {
    match phc {
        Some(phc) => verify(password, phc),
        None => {
            let _ = verify(password, dummy_hash());
            false
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_salted_argon2id_and_verify() {
        let a = hash("correct horse").unwrap();
        let b = hash("correct horse").unwrap();
        assert!(a.starts_with("$argon2id$"), "{a}");
        assert_ne!(a, b, "a fresh salt every time");
        assert!(!a.contains("correct horse"));
        assert!(verify("correct horse", &a));
        assert!(!verify("correct horsE", &a));
        assert!(!verify("correct horse", "not a phc string"));
        assert!(!verify_or_dummy("correct horse", None));
        assert!(verify_or_dummy("correct horse", Some(&b)));
    }

    #[test]
    fn short_and_huge_passwords_are_refused() {
        assert!(matches!(validate("1234567"), Err(PasswordError::TooShort)));
        assert!(validate("12345678").is_ok());
        assert!(
            validate("八个汉字的密码呀").is_ok(),
            "characters, not bytes"
        );
        let huge = "x".repeat(MAX_PASSWORD_BYTES + 1);
        assert!(matches!(validate(&huge), Err(PasswordError::TooLong)));
    }
}
