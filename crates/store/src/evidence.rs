//! Evidence files (screenshots, photos): type and size checked, stored
//! content-addressed under `data_dir/evidence/ab/cd/<sha256>`.

use std::io::Write;
use std::path::Path;

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

/// Writes `data` to `path` (named by its SHA-256, `digest`) so that parallel writers
/// never share a file: each writes its own temporary file in the same directory,
/// checks the hash of what reached the disk, and renames it into place atomically.
/// A file already there with the right hash is kept; one with another is replaced.
fn write_content_addressed(
    dir: &Path,
    path: &Path,
    data: &[u8],
    digest: &str,
) -> Result<(), StoreError> {
    let io =
        |what: &str, e: std::io::Error| StoreError::Io(format!("{what} {}: {e}", path.display()));
    let hash_of = |p: &Path| -> std::io::Result<String> {
        Ok(hex::encode(Sha256::digest(std::fs::read(p)?)))
    };
    if path.exists() && hash_of(path).is_ok_and(|h| h == digest) {
        return Ok(());
    }
    std::fs::create_dir_all(dir).map_err(|e| io("creating the folder of", e))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".evidence-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| io("creating a temporary file for", e))?;
    tmp.write_all(data)
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| io("writing", e))?;
    let written = hash_of(tmp.path()).map_err(|e| io("reading back", e))?;
    if written != digest {
        return Err(StoreError::Io(format!(
            "{}: wrote {written}, expected {digest}",
            path.display()
        )));
    }
    tmp.persist(path)
        .map_err(|e| io("renaming into", e.error))?;
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| io("syncing the folder of", e))
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
        let data = bytes.to_vec();
        let expected = digest.clone();
        tokio::task::spawn_blocking(move || write_content_addressed(&dir, &path, &data, &expected))
            .await
            .map_err(|e| StoreError::Io(e.to_string()))??;
        sqlx::query("INSERT INTO evidence (sha256, content_type, size, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT(sha256) DO NOTHING")
            .bind(&digest)
            .bind(content_type)
            .bind(bytes.len() as i64)
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(Ok(digest))
    }

    /// Deletes evidence uploaded before `before` (unix seconds) that no report names,
    /// rows and files; with `dry_run`, only counts. An upload that was never attached
    /// to a report is anonymous data nobody reads: kept a day at most.
    pub async fn sweep_unattached_evidence(
        &self,
        before: i64,
        dry_run: bool,
    ) -> Result<u64, StoreError> {
        const DUE: &str = "FROM evidence e WHERE e.created_at < $1 AND NOT EXISTS (SELECT 1 FROM report_evidence re WHERE re.sha256 = e.sha256)";
        let _guard = self.write_lock.lock().await;
        let mut tx = crate::db::begin_write(&self.pool).await?;
        let due: Vec<(String,)> = sqlx::query_as(&format!("SELECT e.sha256 {DUE} LIMIT 10000"))
            .bind(before)
            .fetch_all(&mut *tx)
            .await?;
        if dry_run || due.is_empty() {
            return Ok(due.len() as u64);
        }
        for (digest,) in &due {
            sqlx::query("DELETE FROM evidence WHERE sha256 = $1 AND NOT EXISTS (SELECT 1 FROM report_evidence re WHERE re.sha256 = $2)")
                .bind(digest)
                .bind(digest)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        // The rows are gone first: a file without a row is never served, and a new
        // upload of the same bytes writes it again.
        let root = self.data_dir.join("evidence");
        let digests: Vec<String> = due.into_iter().map(|(d,)| d).collect();
        let n = digests.len() as u64;
        tokio::task::spawn_blocking(move || {
            for d in digests.iter().filter(|d| d.len() == 64 && d.bytes().all(|b| b.is_ascii_hexdigit())) {
                let path = root.join(&d[..2]).join(&d[2..4]).join(d);
                if let Err(e) = std::fs::remove_file(&path) {
                    if e.kind() != std::io::ErrorKind::NotFound {
                        tracing::warn!(error = %e, "an unattached evidence file could not be removed");
                    }
                }
            }
        })
        .await
        .map_err(|e| StoreError::Io(e.to_string()))?;
        Ok(n)
    }

    /// Whether an evidence file with this digest is stored.
    pub async fn evidence_exists(&self, digest: &str) -> Result<bool, StoreError> {
        let row: Option<(i64,)> = sqlx::query_as("SELECT 1 FROM evidence WHERE sha256 = $1")
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

    #[test]
    fn parallel_writers_each_store_their_own_bytes() {
        let root = tempfile::tempdir().expect("temp dir");
        // The same bytes sixteen times, and eight different files in one folder.
        let mut jobs: Vec<Vec<u8>> = (0..16).map(|_| vec![7u8; 100_000]).collect();
        jobs.extend((0..8u8).map(|i| vec![i; 50_000 + usize::from(i)]));
        std::thread::scope(|s| {
            for data in &jobs {
                let dir = root.path().join("ab");
                s.spawn(move || {
                    let digest = hex::encode(Sha256::digest(data));
                    let path = dir.join(&digest);
                    write_content_addressed(&dir, &path, data, &digest).expect("stored");
                });
            }
        });
        for data in &jobs {
            let digest = hex::encode(Sha256::digest(data));
            let stored = std::fs::read(root.path().join("ab").join(&digest)).expect("file");
            assert_eq!(&stored, data);
        }
        let left: Vec<_> = std::fs::read_dir(root.path().join("ab"))
            .expect("folder")
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(left.is_empty(), "temporary files left: {left:?}");
    }

    #[test]
    fn a_damaged_file_is_replaced_and_a_wrong_digest_refused() {
        let root = tempfile::tempdir().expect("temp dir");
        let data = b"evidence".to_vec();
        let digest = hex::encode(Sha256::digest(&data));
        let path = root.path().join(&digest);
        std::fs::write(&path, b"damaged").expect("write");
        write_content_addressed(root.path(), &path, &data, &digest).expect("stored");
        assert_eq!(std::fs::read(&path).expect("read"), data);
        let other = root.path().join("x");
        assert!(write_content_addressed(root.path(), &other, &data, "00").is_err());
        assert!(!other.exists());
    }
}
