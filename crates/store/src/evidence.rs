//! Evidence files (screenshots, photos): type and size checked, stored
//! content-addressed under `data_dir/evidence/ab/cd/<sha256>`.

use std::io::Write;

use sha2::{Digest, Sha256};

use crate::{Store, StoreError};

/// The largest evidence file accepted.
pub const MAX_EVIDENCE_BYTES: usize = 5 * 1024 * 1024;

/// Why an evidence file is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EvidenceError {
    /// Empty file.
    #[error("empty file")]
    Empty,
    /// Larger than [`MAX_EVIDENCE_BYTES`].
    #[error("file too large")]
    TooLarge,
    /// Not a JPEG, PNG, WebP or GIF image.
    #[error("unsupported file type")]
    UnsupportedType,
}

/// The image type of a file from its first bytes (never from its name or the
/// client's word): JPEG, PNG, WebP, GIF.
pub fn sniff_image(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("image/gif")
    } else {
        None
    }
}

impl Store {
    /// Checks and stores an evidence image; returns its SHA-256 (hex). Storing the
    /// same bytes twice keeps one file.
    pub async fn save_evidence(
        &self,
        bytes: &[u8],
        now: i64,
    ) -> Result<Result<String, EvidenceError>, StoreError> {
        if bytes.is_empty() {
            return Ok(Err(EvidenceError::Empty));
        }
        if bytes.len() > MAX_EVIDENCE_BYTES {
            return Ok(Err(EvidenceError::TooLarge));
        }
        let Some(content_type) = sniff_image(bytes) else {
            return Ok(Err(EvidenceError::UnsupportedType));
        };
        let digest = hex::encode(Sha256::digest(bytes));
        let dir = self
            .data_dir
            .join("evidence")
            .join(&digest[..2])
            .join(&digest[2..4]);
        let path = dir.join(&digest);
        if !path.exists() {
            let data = bytes.to_vec();
            let dir2 = dir.clone();
            let path2 = path.clone();
            tokio::task::spawn_blocking(move || -> std::io::Result<()> {
                std::fs::create_dir_all(&dir2)?;
                let tmp = dir2.join(format!(".{}.tmp", std::process::id()));
                let mut f = std::fs::File::create(&tmp)?;
                f.write_all(&data)?;
                f.sync_all()?;
                std::fs::rename(&tmp, &path2)?;
                std::fs::File::open(&dir2)?.sync_all()
            })
            .await
            .map_err(|e| StoreError::Io(e.to_string()))?
            .map_err(|e| StoreError::Io(format!("{}: {e}", path.display())))?;
        }
        sqlx::query("INSERT INTO evidence (sha256, content_type, size, created_at) VALUES (?, ?, ?, ?) ON CONFLICT(sha256) DO NOTHING")
            .bind(&digest)
            .bind(content_type)
            .bind(bytes.len() as i64)
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(Ok(digest))
    }

    /// Whether an evidence file with this digest is stored.
    pub async fn evidence_exists(&self, digest: &str) -> Result<bool, StoreError> {
        let row: Option<(i64,)> = sqlx::query_as("SELECT 1 FROM evidence WHERE sha256 = ?")
            .bind(digest)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_recognised_by_their_bytes() {
        assert_eq!(sniff_image(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(sniff_image(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("image/jpeg"));
        assert_eq!(sniff_image(b"RIFF\0\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(sniff_image(b"%PDF-1.7"), None);
        assert_eq!(sniff_image(b"<svg"), None);
    }
}
