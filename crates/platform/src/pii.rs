//! 个人信息保护 Personal data (PIPL): resident ID numbers are stored encrypted with
//! XChaCha20-Poly1305 (authenticated encryption) and found again through a keyed hash
//! (HMAC-SHA256), never stored in clear.

use std::io::Write;
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

#[derive(Debug, thiserror::Error)]
pub enum PiiError {
    #[error("个人信息密钥无效：{0}")]
    BadKey(String),
    #[error("个人信息密钥文件无法读写：{0}")]
    Io(#[from] std::io::Error),
    #[error("密文无法解密（密钥不符或数据被改动）")]
    Decrypt,
}

/// The keys for personal data.
#[derive(Clone)]
pub struct Pii {
    cipher: XChaCha20Poly1305,
    mac: Hmac<Sha256>,
}

impl std::fmt::Debug for Pii {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pii(***)")
    }
}

const KEY_FILE: &str = "keys/pii.key";

impl Pii {
    /// From 64 raw bytes: 32 for encryption, 32 for the lookup hash.
    pub fn from_bytes(bytes: &[u8]) -> Result<Pii, PiiError> {
        if bytes.len() != 64 {
            return Err(PiiError::BadKey(format!("需要 64 字节，实际 {} 字节", bytes.len())));
        }
        let cipher = XChaCha20Poly1305::new_from_slice(&bytes[..32]).map_err(|e| PiiError::BadKey(e.to_string()))?;
        let mac = <Hmac<Sha256> as Mac>::new_from_slice(&bytes[32..]).map_err(|e| PiiError::BadKey(e.to_string()))?;
        Ok(Pii { cipher, mac })
    }

    /// The key given in configuration (base64), or the key file in the data directory,
    /// generated with mode 0600 on first run.
    pub fn load_or_create(configured_b64: &str, data_dir: &Path) -> Result<Pii, PiiError> {
        if !configured_b64.trim().is_empty() {
            let bytes = B64.decode(configured_b64.trim()).map_err(|e| PiiError::BadKey(e.to_string()))?;
            return Pii::from_bytes(&bytes);
        }
        let path = data_dir.join(KEY_FILE);
        if path.exists() {
            let text = std::fs::read_to_string(&path)?;
            let bytes = B64.decode(text.trim()).map_err(|e| PiiError::BadKey(e.to_string()))?;
            return Pii::from_bytes(&bytes);
        }
        let mut bytes = [0u8; 64];
        rand::rng().fill_bytes(&mut bytes);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let mut f = opts.open(&path)?;
        f.write_all(B64.encode(bytes).as_bytes())?;
        f.sync_all()?;
        Pii::from_bytes(&bytes)
    }

    /// Encrypt: `v1:` + base64(nonce ‖ ciphertext).
    pub fn encrypt(&self, plain: &str) -> String {
        let mut nonce = [0u8; 24];
        rand::rng().fill_bytes(&mut nonce);
        // Encryption with a valid key and a fresh nonce cannot fail for in-memory input.
        let ct = self.cipher.encrypt(XNonce::from_slice(&nonce), plain.as_bytes()).unwrap_or_default();
        let mut out = Vec::with_capacity(24 + ct.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&ct);
        format!("v1:{}", B64.encode(out))
    }

    pub fn decrypt(&self, stored: &str) -> Result<String, PiiError> {
        let body = stored.strip_prefix("v1:").ok_or(PiiError::Decrypt)?;
        let raw = B64.decode(body).map_err(|_| PiiError::Decrypt)?;
        if raw.len() < 24 {
            return Err(PiiError::Decrypt);
        }
        let (nonce, ct) = raw.split_at(24);
        let plain = self.cipher.decrypt(XNonce::from_slice(nonce), ct).map_err(|_| PiiError::Decrypt)?;
        String::from_utf8(plain).map_err(|_| PiiError::Decrypt)
    }

    /// The keyed lookup hash of a normalised value (hex HMAC-SHA256).
    pub fn lookup_hash(&self, normalised: &str) -> String {
        let mut mac = self.mac.clone();
        mac.update(normalised.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_tamper_and_key_file() {
        let dir = tempfile::tempdir().unwrap();
        let pii = Pii::load_or_create("", dir.path()).unwrap();
        let enc = pii.encrypt("410922195001010013");
        assert!(!enc.contains("410922"));
        assert_eq!(pii.decrypt(&enc).unwrap(), "410922195001010013");
        let mut tampered = enc.clone();
        tampered.replace_range(10..11, if &enc[10..11] == "A" { "B" } else { "A" });
        assert!(pii.decrypt(&tampered).is_err());
        // Same key on the next start; same lookup hash.
        let again = Pii::load_or_create("", dir.path()).unwrap();
        assert_eq!(again.decrypt(&enc).unwrap(), "410922195001010013");
        assert_eq!(pii.lookup_hash("x"), again.lookup_hash("x"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(KEY_FILE)).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert!(Pii::load_or_create("bm90IDY0IGJ5dGVz", dir.path()).is_err());
    }
}
