//! Sealed cookies: a value encrypted and authenticated with ChaCha20-Poly1305 (ring) under a
//! 32-byte key read from a file, so any number of proxy replicas given the same key file read
//! each other's cookies and nothing else can read or forge them.
//!
//! Format: `base64url(nonce ‖ ciphertext ‖ tag)`, the 12-byte nonce random per value. The cookie's
//! name is the associated data (a value sealed for one cookie does not open as another), and the
//! plaintext carries its own expiry ([`SealKey::open`] refuses it afterwards): a cookie whose
//! browser-side lifetime was stretched still dies on time.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, CHACHA20_POLY1305, NONCE_LEN};
use ring::rand::{SecureRandom, SystemRandom};
use std::path::Path;

/// The sealing key. Its `Debug` never shows it.
pub struct SealKey(LessSafeKey);

impl std::fmt::Debug for SealKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SealKey(<redacted>)")
    }
}

/// Why a sealed value was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// Not ours: malformed, tampered with, sealed with another key or for another cookie.
    Invalid,
    /// Ours, but past its expiry.
    Expired,
}

impl SealKey {
    /// A key from 32 bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<SealKey, String> {
        if bytes.len() != 32 {
            return Err(format!(
                "a cookie key is 32 bytes, got {}; make one with `head -c 32 /dev/urandom | base64 > FILE`",
                bytes.len()
            ));
        }
        let key = UnboundKey::new(&CHACHA20_POLY1305, bytes)
            .map_err(|_| "the cookie key was refused".to_string())?;
        Ok(SealKey(LessSafeKey::new(key)))
    }

    /// A key file: 32 bytes in base64 (`head -c 32 /dev/urandom | base64`), or 64 hex digits.
    pub fn parse(text: &str) -> Result<SealKey, String> {
        let t = text.trim();
        if t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()) {
            let bytes: Vec<u8> = (0..32)
                .filter_map(|i| u8::from_str_radix(t.get(2 * i..2 * i + 2)?, 16).ok())
                .collect();
            return Self::from_bytes(&bytes);
        }
        let bytes = STANDARD
            .decode(t)
            .or_else(|_| URL_SAFE_NO_PAD.decode(t))
            .map_err(|_| {
                "the cookie key file must hold 32 bytes in base64 (or 64 hex digits)".to_string()
            })?;
        Self::from_bytes(&bytes)
    }

    /// Read a key file (never printed).
    pub fn from_file(path: &Path) -> Result<SealKey, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read the cookie key file {}: {e}", path.display()))?;
        Self::parse(&text).map_err(|e| format!("{e} ({})", path.display()))
    }

    /// A random key (one process, e.g. tests or a single replica without a key file).
    pub fn random() -> Result<SealKey, String> {
        let mut bytes = [0u8; 32];
        SystemRandom::new()
            .fill(&mut bytes)
            .map_err(|_| "the system's random generator failed".to_string())?;
        Self::from_bytes(&bytes)
    }

    /// Seal `plain` for the cookie `name`, valid until `expires_s` (seconds since the epoch).
    pub fn seal(&self, name: &str, plain: &[u8], expires_s: u64) -> Option<String> {
        let mut nonce = [0u8; NONCE_LEN];
        SystemRandom::new().fill(&mut nonce).ok()?;
        let mut data = Vec::with_capacity(8 + plain.len() + 16);
        data.extend_from_slice(&expires_s.to_be_bytes());
        data.extend_from_slice(plain);
        self.0
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(name.as_bytes()),
                &mut data,
            )
            .ok()?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&data);
        Some(URL_SAFE_NO_PAD.encode(out))
    }

    /// Open a value sealed for the cookie `name`, if it is authentic and not expired at `now_s`.
    pub fn open(&self, name: &str, sealed: &str, now_s: u64) -> Result<Vec<u8>, Refused> {
        let raw = URL_SAFE_NO_PAD
            .decode(sealed.trim())
            .map_err(|_| Refused::Invalid)?;
        if raw.len() < NONCE_LEN + 8 + 16 {
            return Err(Refused::Invalid);
        }
        let (nonce, rest) = raw.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| Refused::Invalid)?;
        let mut data = rest.to_vec();
        let plain = self
            .0
            .open_in_place(nonce, Aad::from(name.as_bytes()), &mut data)
            .map_err(|_| Refused::Invalid)?;
        let (expiry, body) = plain.split_at(8);
        let mut e = [0u8; 8];
        e.copy_from_slice(expiry);
        if u64::from_be_bytes(e) <= now_s {
            return Err(Refused::Expired);
        }
        Ok(body.to_vec())
    }
}

/// Seconds since the epoch, now.
pub fn now_s() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(b: u8) -> SealKey {
        SealKey::from_bytes(&[b; 32]).unwrap()
    }

    #[test]
    fn a_sealed_value_opens_with_the_same_key_and_name_only() {
        let k = key(1);
        let s = k.seal("sc_ws_dev", b"hello", 2000).unwrap();
        assert!(!s.contains("hello"));
        assert_eq!(k.open("sc_ws_dev", &s, 1000).unwrap(), b"hello");
        // Another replica with the same key file reads it.
        assert_eq!(key(1).open("sc_ws_dev", &s, 1000).unwrap(), b"hello");
        assert_eq!(key(2).open("sc_ws_dev", &s, 1000), Err(Refused::Invalid));
        assert_eq!(k.open("sc_ws_prod", &s, 1000), Err(Refused::Invalid));
    }

    #[test]
    fn tampering_is_detected() {
        let k = key(1);
        let s = k.seal("c", b"alice", 2000).unwrap();
        let mut raw = URL_SAFE_NO_PAD.decode(&s).unwrap();
        for i in [0, 12, raw.len() - 1] {
            raw[i] ^= 1;
            let t = URL_SAFE_NO_PAD.encode(&raw);
            assert_eq!(k.open("c", &t, 1000), Err(Refused::Invalid), "byte {i}");
            raw[i] ^= 1;
        }
        assert_eq!(k.open("c", "", 1000), Err(Refused::Invalid));
        assert_eq!(k.open("c", "not base64!", 1000), Err(Refused::Invalid));
        assert_eq!(k.open("c", &s[..s.len() - 4], 1000), Err(Refused::Invalid));
    }

    #[test]
    fn expired_values_are_refused() {
        let k = key(1);
        let s = k.seal("c", b"x", 2000).unwrap();
        assert_eq!(k.open("c", &s, 2000), Err(Refused::Expired));
        assert_eq!(k.open("c", &s, 1999).unwrap(), b"x");
    }

    #[test]
    fn nonces_differ_and_key_files_parse() {
        let k = key(1);
        assert_ne!(k.seal("c", b"x", 9), k.seal("c", b"x", 9));
        assert!(SealKey::parse(&STANDARD.encode([7u8; 32])).is_ok());
        assert!(SealKey::parse(&"ab".repeat(32)).is_ok());
        assert!(SealKey::parse(&STANDARD.encode([7u8; 16])).is_err());
        assert!(SealKey::parse("hello").is_err());
        assert_eq!(format!("{k:?}"), "SealKey(<redacted>)");
    }
}
