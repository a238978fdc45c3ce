//! Encryption of reporters' personal data at rest (XChaCha20-Poly1305) and keyed
//! fingerprints of reporters, so distinct reporters are counted without storing who.

use std::path::Path;

use base64::Engine;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};

use crate::StoreError;

const NONCE_LEN: usize = 24;

/// Seals and opens personal data with the data key.
#[derive(Clone)]
pub struct Sealer {
    cipher: XChaCha20Poly1305,
    fingerprint_key: [u8; 32],
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sealer(**redacted**)")
    }
}

fn decode_key(text: &str) -> Result<[u8; 32], StoreError> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .map_err(|_| StoreError::Config("the data key must be 32 bytes in base64".into()))?;
    bytes
        .try_into()
        .map_err(|_| StoreError::Config("the data key must be exactly 32 bytes (base64)".into()))
}

impl Sealer {
    /// A sealer from a raw key.
    pub fn new(key: [u8; 32]) -> Sealer {
        let fingerprint_key: [u8; 32] = Sha256::new()
            .chain_update(b"canhgiac reporter fingerprint v1")
            .chain_update(key)
            .finalize()
            .into();
        Sealer {
            cipher: XChaCha20Poly1305::new(Key::from_slice(&key)),
            fingerprint_key,
        }
    }

    /// The configured key, or the key file in the data directory (created on first start).
    pub fn from_config(key: Option<&SecretString>, data_dir: &Path) -> Result<Sealer, StoreError> {
        if let Some(key) = key {
            return Ok(Sealer::new(decode_key(key.expose_secret())?));
        }
        let dir = data_dir.join("keys");
        let path = dir.join("data.key");
        if path.exists() {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| StoreError::Io(format!("{}: {e}", path.display())))?;
            return Ok(Sealer::new(decode_key(&text)?));
        }
        std::fs::create_dir_all(&dir)
            .map_err(|e| StoreError::Io(format!("{}: {e}", dir.display())))?;
        let key: [u8; 32] = XChaCha20Poly1305::generate_key(&mut OsRng).into();
        let text = base64::engine::general_purpose::STANDARD.encode(key);
        write_private(&path, text.as_bytes())?;
        Ok(Sealer::new(key))
    }

    /// Encrypts: a random nonce followed by the ciphertext and tag.
    pub fn seal(&self, plaintext: &[u8]) -> Result<Vec<u8>, StoreError> {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let mut out = nonce.to_vec();
        out.extend(
            self.cipher
                .encrypt(&nonce, plaintext)
                .map_err(|_| StoreError::Crypto("encryption failed".into()))?,
        );
        Ok(out)
    }

    /// Decrypts what [`Sealer::seal`] produced.
    pub fn open(&self, sealed: &[u8]) -> Result<Vec<u8>, StoreError> {
        if sealed.len() < NONCE_LEN {
            return Err(StoreError::Crypto("sealed data too short".into()));
        }
        let (nonce, body) = sealed.split_at(NONCE_LEN);
        self.cipher
            .decrypt(XNonce::from_slice(nonce), body)
            .map_err(|_| {
                StoreError::Crypto("cannot decrypt: wrong data key or damaged data".into())
            })
    }

    /// A keyed, irreversible fingerprint of a reporter's identity.
    pub fn fingerprint(&self, identity: &str) -> String {
        #[expect(clippy::expect_used, reason = "HMAC accepts keys of any length")]
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(&self.fingerprint_key).expect("any key length");
        mac.update(identity.as_bytes());
        hex::encode(&mac.finalize().into_bytes()[..16])
    }

    /// A value that is the same for the same key and says nothing of it: kept in the
    /// database and in backups, to tell a wrong key before it is used.
    pub fn key_check(&self) -> String {
        self.fingerprint("canhgiac:key-check")
    }
}

fn write_private(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .map_err(|e| StoreError::Io(format!("{}: {e}", path.display())))?;
    file.write_all(bytes)
        .and_then(|_| file.sync_all())
        .map_err(|e| StoreError::Io(format!("{}: {e}", path.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_data_opens_with_the_same_key_only() {
        let a = Sealer::new([7; 32]);
        let b = Sealer::new([8; 32]);
        let sealed = a.seal(b"Nguyen Van A").expect("seals");
        assert!(!sealed.windows(6).any(|w| w == b"Nguyen"));
        assert_eq!(a.open(&sealed).expect("opens"), b"Nguyen Van A");
        assert!(b.open(&sealed).is_err());
        assert!(a.open(&sealed[..10]).is_err());
    }

    #[test]
    fn fingerprints_are_stable_per_key_and_differ_between_keys() {
        let a = Sealer::new([7; 32]);
        assert_eq!(
            a.fingerprint("phone:+84912345678"),
            a.fingerprint("phone:+84912345678")
        );
        assert_ne!(
            a.fingerprint("phone:+84912345678"),
            Sealer::new([8; 32]).fingerprint("phone:+84912345678")
        );
    }

    #[test]
    fn the_key_file_is_created_once_and_reused() {
        let dir = std::env::temp_dir().join(format!("canhgiac-key-test-{}", std::process::id()));
        let a = Sealer::from_config(None, &dir).expect("creates");
        let b = Sealer::from_config(None, &dir).expect("reads");
        let sealed = a.seal(b"x").expect("seals");
        assert_eq!(b.open(&sealed).expect("opens"), b"x");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
