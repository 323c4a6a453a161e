//! PKCE (RFC 7636, `S256`) and the random values of a sign-in: the code verifier, its
//! challenge, and the `state` that ties a callback to the browser that started the sign-in.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ring::rand::{SecureRandom, SystemRandom};

/// `n` bytes from the operating system's generator, base64url (no padding). `None` only if the
/// OS generator fails.
pub fn random_b64(n: usize) -> Option<String> {
    let mut bytes = vec![0u8; n];
    SystemRandom::new().fill(&mut bytes).ok()?;
    Some(URL_SAFE_NO_PAD.encode(bytes))
}

/// A fresh code verifier: 32 random bytes → 43 characters of `[A-Za-z0-9_-]`.
pub fn verifier() -> Option<String> {
    random_b64(32)
}

/// The `S256` challenge of `verifier`: base64url(SHA-256(verifier)).
pub fn challenge(verifier: &str) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, verifier.as_bytes());
    URL_SAFE_NO_PAD.encode(digest.as_ref())
}

/// A fresh `state` (or session id): 24 random bytes.
pub fn state() -> Option<String> {
    random_b64(24)
}

/// Compare two secrets in constant time.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn challenge_is_rfc7636_appendix_b() {
        assert_eq!(
            challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn verifiers_are_long_enough_unreserved_and_fresh() {
        let a = verifier().unwrap_or_default();
        let b = verifier().unwrap_or_default();
        assert_eq!(a.len(), 43);
        assert!(a
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'));
        assert_ne!(a, b);
        assert_ne!(state(), state());
    }

    #[test]
    fn constant_time_comparison() {
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "ab"));
    }
}
