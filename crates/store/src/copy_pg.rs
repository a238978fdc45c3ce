//! Bulk writes on PostgreSQL with `COPY … FROM STDIN` (text format): a batch of an
//! import is streamed into each table instead of being sent as multi-row `INSERT`s
//! whose thousands of parameters PostgreSQL parses, plans and binds one statement at
//! a time. sqlx's `Any` driver has no `COPY`, so this runs on a native connection of
//! its own ([`CopyPool`]), opened on first use with the store's URL.
//!
//! The text format is written here by hand: it is four escapes (backslash, tab, line
//! feed, carriage return), `\N` for NULL and `\\x…` for bytes, and the tables copied
//! hold only integers, text and bytes.

use sqlx::postgres::{PgConnection, PgPoolOptions};
use sqlx::PgPool;

use crate::StoreError;

/// How much COPY data is gathered before it is sent, bytes.
const SEND_BYTES: usize = 1 << 20;

/// The native connections a bulk import copies through, opened on first use.
pub(crate) struct CopyPool {
    url: String,
    pool: tokio::sync::OnceCell<PgPool>,
}

impl CopyPool {
    pub(crate) fn new(url: String) -> CopyPool {
        CopyPool {
            url,
            pool: tokio::sync::OnceCell::new(),
        }
    }

    /// The pool: two connections, so a search batch and a report batch written at the
    /// same moment by one process do not wait for each other.
    pub(crate) async fn get(&self) -> Result<&PgPool, StoreError> {
        self.pool
            .get_or_try_init(|| async {
                PgPoolOptions::new()
                    .max_connections(2)
                    .acquire_timeout(std::time::Duration::from_secs(10))
                    .connect(&self.url)
                    .await
            })
            .await
            .map_err(StoreError::from)
    }
}

/// One row of COPY text being written: values are added in column order.
pub(crate) struct CopyRow<'a> {
    out: &'a mut Vec<u8>,
    first: bool,
}

impl CopyRow<'_> {
    fn separate(&mut self) {
        if !self.first {
            self.out.push(b'\t');
        }
        self.first = false;
    }

    /// A text value, escaped.
    pub(crate) fn text(&mut self, value: &str) -> &mut Self {
        self.separate();
        for &b in value.as_bytes() {
            match b {
                b'\\' => self.out.extend_from_slice(b"\\\\"),
                b'\t' => self.out.extend_from_slice(b"\\t"),
                b'\n' => self.out.extend_from_slice(b"\\n"),
                b'\r' => self.out.extend_from_slice(b"\\r"),
                _ => self.out.push(b),
            }
        }
        self
    }

    /// A text value or NULL.
    pub(crate) fn opt_text(&mut self, value: Option<&str>) -> &mut Self {
        match value {
            Some(v) => self.text(v),
            None => self.null(),
        }
    }

    /// An integer.
    pub(crate) fn int(&mut self, value: i64) -> &mut Self {
        self.separate();
        self.out.extend_from_slice(value.to_string().as_bytes());
        self
    }

    /// An integer or NULL.
    pub(crate) fn opt_int(&mut self, value: Option<i64>) -> &mut Self {
        match value {
            Some(v) => self.int(v),
            None => self.null(),
        }
    }

    /// Bytes (`bytea`, hex form; the backslash itself escaped for COPY).
    pub(crate) fn bytes(&mut self, value: &[u8]) -> &mut Self {
        self.separate();
        self.out.extend_from_slice(b"\\\\x");
        self.out.extend_from_slice(hex::encode(value).as_bytes());
        self
    }

    /// Bytes or NULL.
    pub(crate) fn opt_bytes(&mut self, value: Option<&[u8]>) -> &mut Self {
        match value {
            Some(v) => self.bytes(v),
            None => self.null(),
        }
    }

    /// NULL.
    pub(crate) fn null(&mut self) -> &mut Self {
        self.separate();
        self.out.extend_from_slice(b"\\N");
        self
    }
}

/// COPY text for one table, sent in pieces of about [`SEND_BYTES`].
pub(crate) struct CopyText {
    buf: Vec<u8>,
}

impl CopyText {
    pub(crate) fn new() -> CopyText {
        CopyText {
            buf: Vec::with_capacity(SEND_BYTES + 64 * 1024),
        }
    }

    /// Writes one row with `fill`, which adds its values in column order.
    pub(crate) fn row(&mut self, fill: impl FnOnce(&mut CopyRow<'_>)) {
        let mut row = CopyRow {
            out: &mut self.buf,
            first: true,
        };
        fill(&mut row);
        self.buf.push(b'\n');
    }

    fn full(&self) -> bool {
        self.buf.len() >= SEND_BYTES
    }
}

/// Streams `rows` into the table with `statement` (a `COPY … FROM STDIN`), each row
/// written by `write`. Returns how many rows were copied.
pub(crate) async fn copy_rows<T>(
    conn: &mut PgConnection,
    statement: &str,
    rows: &[T],
    write: fn(&mut CopyText, &T),
) -> Result<u64, StoreError> {
    let mut copy = conn.copy_in_raw(statement).await?;
    let mut text = CopyText::new();
    let mut sent: Result<(), sqlx::Error> = Ok(());
    for item in rows {
        write(&mut text, item);
        if text.full() {
            sent = copy.send(std::mem::take(&mut text.buf)).await.map(|_| ());
            if sent.is_err() {
                break;
            }
            text.buf.reserve(SEND_BYTES + 64 * 1024);
        }
    }
    if let Err(e) = sent {
        // The connection must leave copy mode either way; the send's error is the one
        // worth reporting.
        let _ = copy.abort("canhgiac: sending COPY data failed").await;
        return Err(e.into());
    }
    if !text.buf.is_empty() {
        if let Err(e) = copy.send(text.buf).await {
            let _ = copy.abort("canhgiac: sending COPY data failed").await;
            return Err(e.into());
        }
    }
    Ok(copy.finish().await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one_row(fill: impl FnOnce(&mut CopyRow<'_>)) -> String {
        let mut text = CopyText::new();
        text.row(fill);
        String::from_utf8(text.buf).unwrap_or_default()
    }

    #[test]
    fn text_values_escape_what_copy_reads_as_syntax() {
        let row = one_row(|r| {
            r.text("a\tb\nc\rd\\e đ");
        });
        assert_eq!(row, "a\\tb\\nc\\rd\\\\e đ\n");
    }

    #[test]
    fn columns_are_tab_separated_with_null_and_bytes() {
        let row = one_row(|r| {
            r.int(-5)
                .opt_int(None)
                .opt_text(Some("x"))
                .opt_text(None)
                .bytes(&[0, 0xab])
                .opt_bytes(None);
        });
        assert_eq!(row, "-5\t\\N\tx\t\\N\t\\\\x00ab\t\\N\n");
    }

    #[test]
    fn a_backslash_n_in_text_is_not_read_as_null() {
        let row = one_row(|r| {
            r.text("\\N");
        });
        assert_eq!(row, "\\\\N\n");
    }
}
