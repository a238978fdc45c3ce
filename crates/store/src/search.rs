//! Full-text search over narratives, diacritics ignored: an FTS5 index in its own
//! SQLite file (`search.db` beside the database), attached to every connection as
//! `search`. It is derived data: a report from the web or the API is indexed right
//! after it is committed; a bulk import leaves its reports to
//! [`Store::index_search_tail`] (run by the import at its end, and by the server as it
//! follows the changes log); the server also fills any gap at start, so a lost file is
//! rebuilt.
//!
//! Narratives are stored folded (lower case, marks removed, đ → d, `core::fold`) and
//! queries are folded the same way, so the plain ASCII tokenizer suffices. Contentless
//! and without positions (`detail=none`): words are found, phrases are not.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

use crate::copy_pg::CopyPool;
use crate::db::{Pool, Sql};
use crate::{Store, StoreError};

/// A batch of narratives to index: (report id, folded narrative).
pub type SearchRows = Vec<(i64, String)>;

const CREATE: &str = "CREATE VIRTUAL TABLE IF NOT EXISTS report_search USING fts5(narrative, content = '', detail = none, columnsize = 0, tokenize = 'ascii')";
/// Which reports are indexed (a contentless index cannot be scanned).
const CREATE_DOCS: &str = "CREATE TABLE IF NOT EXISTS search_docs (id INTEGER PRIMARY KEY)";

/// Where narratives are indexed.
pub(crate) enum SearchIndex {
    /// An FTS5 table in its own SQLite file, written through one connection and
    /// attached to the main connections as `search`.
    Sqlite(SqlitePool),
    /// A `tsvector` column (`simple` configuration: the text is folded already) in the
    /// main PostgreSQL database, with a GIN index.
    Postgres,
}

/// The search file for a database file.
pub(crate) fn path_for(data_dir: &Path) -> PathBuf {
    data_dir.join("search.db")
}

/// The `ATTACH` statement for the main connections.
pub(crate) fn attach_sql(path: &Path) -> String {
    format!(
        "ATTACH DATABASE '{}' AS search",
        path.display().to_string().replace('\'', "''")
    )
}

impl SearchIndex {
    /// Opens (creating) the search file with one writer connection.
    pub(crate) async fn open_sqlite(path: &Path) -> Result<SearchIndex, StoreError> {
        let options = SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // Derived data: a crash loses at most the last batches, which the check at
            // start indexes again.
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .after_release(|conn, _meta| Box::pin(crate::pool_health::sqlite_still_usable(conn)))
            .connect_with(options)
            .await?;
        sqlx::query(CREATE).execute(&pool).await?;
        sqlx::query(CREATE_DOCS).execute(&pool).await?;
        Ok(SearchIndex::Sqlite(pool))
    }

    /// The table (as the main connections name it) listing the indexed reports' ids.
    pub(crate) fn docs_table(&self) -> &'static str {
        match self {
            SearchIndex::Sqlite(_) => "search.search_docs",
            SearchIndex::Postgres => "report_search",
        }
    }

    /// Up to 20,000 reports after `$1` (`$2` is the same) that the index lacks.
    fn backlog_sql(&self) -> &'static str {
        match self {
            SearchIndex::Sqlite(_) => "SELECT id, narrative FROM reports WHERE id > $1 AND id NOT IN (SELECT id FROM search.search_docs WHERE id > $2) ORDER BY id LIMIT 20000",
            // An anti-join: PostgreSQL ran the `NOT IN` form as a 73 s subplan over
            // 1,000,000 indexed reports at every start.
            SearchIndex::Postgres => "SELECT r.id, r.narrative FROM reports r WHERE r.id > $1 AND r.id > $2 AND NOT EXISTS (SELECT 1 FROM report_search s WHERE s.id = r.id) ORDER BY r.id LIMIT 20000",
        }
    }

    /// Appends `SELECT <report ids> …` matching every word of a folded query.
    pub(crate) fn push_matches(&self, q: &mut Sql<'_>, words: &str) {
        match self {
            SearchIndex::Sqlite(_) => {
                q.push("SELECT rowid FROM search.report_search WHERE report_search MATCH ")
                    .push_bind(words.to_string());
            }
            SearchIndex::Postgres => {
                q.push("SELECT id FROM report_search WHERE doc @@ plainto_tsquery('simple', ")
                    .push_bind(words.to_string())
                    .push(")");
            }
        }
    }

    /// Writes a batch of narratives into the index; on PostgreSQL a large batch is
    /// copied through `copy` and turned into `tsvector`s by one statement.
    pub(crate) async fn write(
        &self,
        main: &Pool,
        copy: Option<&CopyPool>,
        rows: &[(i64, String)],
    ) -> Result<(), StoreError> {
        if rows.is_empty() {
            return Ok(());
        }
        match self {
            SearchIndex::Postgres if rows.len() >= COPY_MIN_ROWS && copy.is_some() => {
                if let Some(copy) = copy {
                    write_copied(copy, rows).await?;
                }
            }
            SearchIndex::Sqlite(pool) => {
                let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
                for part in rows.chunks(400) {
                    let mut q = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
                        "INSERT INTO report_search (rowid, narrative) ",
                    );
                    q.push_values(part, |mut b, (id, text)| {
                        b.push_bind(*id).push_bind(text.as_str());
                    });
                    q.build().execute(&mut *tx).await?;
                    let mut q =
                        sqlx::QueryBuilder::<sqlx::Sqlite>::new("INSERT INTO search_docs (id) ");
                    q.push_values(part, |mut b, (id, _)| {
                        b.push_bind(*id);
                    });
                    q.push(" ON CONFLICT DO NOTHING");
                    q.build().execute(&mut *tx).await?;
                }
                tx.commit().await?;
            }
            SearchIndex::Postgres => {
                let mut tx = main.begin().await?;
                for part in rows.chunks(400) {
                    let mut q = Sql::new("INSERT INTO report_search (id, doc) ");
                    q.push_values(part, |mut b, (id, text)| {
                        b.push_bind(*id)
                            .push("to_tsvector('simple', ")
                            .push_bind_unseparated(text.as_str())
                            .push_unseparated(")");
                    });
                    q.push(" ON CONFLICT (id) DO NOTHING");
                    q.build().execute(&mut *tx).await?;
                }
                tx.commit().await?;
            }
        }
        Ok(())
    }
}

/// Batches at least this large are copied on PostgreSQL (a single report from the web
/// is not worth a second connection).
const COPY_MIN_ROWS: usize = 1_000;

/// A tail at least this long is indexed on PostgreSQL with the word index dropped and
/// built once at the end: building a GIN index from sorted entries is several times
/// faster than merging a million documents into it.
const REBUILD_WORD_INDEX_AFTER: i64 = 100_000;

/// The word index of the PostgreSQL search table.
pub(crate) const WORD_INDEX: &str =
    "CREATE INDEX IF NOT EXISTS report_search_by_word ON report_search USING GIN (doc)";

async fn write_copied(copy: &CopyPool, rows: &[(i64, String)]) -> Result<(), StoreError> {
    let mut tx = copy.get().await?.begin().await?;
    sqlx::query("CREATE TEMP TABLE IF NOT EXISTS import_search (id BIGINT NOT NULL, narrative TEXT NOT NULL) ON COMMIT DELETE ROWS")
        .execute(&mut *tx)
        .await?;
    crate::copy_pg::copy_rows(
        &mut tx,
        "COPY import_search (id, narrative) FROM STDIN",
        rows,
        |text, (id, narrative)| {
            text.row(|row| {
                row.int(*id).text(narrative);
            })
        },
    )
    .await?;
    sqlx::query("INSERT INTO report_search (id, doc) SELECT id, to_tsvector('simple', narrative) FROM import_search ON CONFLICT (id) DO NOTHING")
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

impl Store {
    /// One round of the search follower: the reports stored after the last indexed one
    /// or, after a search write failed (a full disk), every report without an entry.
    /// Returns how many were indexed.
    pub async fn follow_search_index(&self) -> Result<usize, StoreError> {
        use std::sync::atomic::Ordering;
        if !self.search_gap.swap(false, Ordering::SeqCst) {
            return self.index_search_tail(&|_| {}).await;
        }
        let filled = self.index_search_backlog().await;
        if filled.is_err() {
            self.search_gap.store(true, Ordering::SeqCst);
        }
        filled
    }

    /// Indexes the reports stored after the last indexed one (a bulk import writes
    /// none itself). Returns how many; `progress` hears each batch.
    pub async fn index_search_tail(
        &self,
        progress: &(dyn Fn(usize) + Sync),
    ) -> Result<usize, StoreError> {
        let (after,): (i64,) = sqlx::query_as(&format!(
            "SELECT COALESCE(MAX(id), 0) FROM {}",
            self.search.docs_table()
        ))
        .fetch_one(&self.pool)
        .await?;
        let rebuild = matches!(self.search, SearchIndex::Postgres) && {
            let (pending,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM reports WHERE id > $1")
                .bind(after)
                .fetch_one(&self.pool)
                .await?;
            pending >= REBUILD_WORD_INDEX_AFTER
        };
        if rebuild {
            sqlx::query("DROP INDEX IF EXISTS report_search_by_word")
                .execute(&self.pool)
                .await?;
        }
        let done = self.index_search_from(after, progress).await;
        if rebuild {
            // Built again even when the tail failed half-way (and at every open).
            self.build_word_index().await?;
        }
        done
    }

    /// Builds the PostgreSQL word index if it is missing, with room to sort in memory.
    pub(crate) async fn build_word_index(&self) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("SET LOCAL maintenance_work_mem = '256MB'")
            .execute(&mut *tx)
            .await?;
        sqlx::query(WORD_INDEX).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn index_search_from(
        &self,
        mut after: i64,
        progress: &(dyn Fn(usize) + Sync),
    ) -> Result<usize, StoreError> {
        let mut done = 0;
        loop {
            let rows: Vec<(i64, String)> = sqlx::query_as(
                "SELECT id, narrative FROM reports WHERE id > $1 ORDER BY id LIMIT 20000",
            )
            .bind(after)
            .fetch_all(&self.pool)
            .await?;
            let Some(last) = rows.last().map(|r| r.0) else {
                return Ok(done);
            };
            let folded: SearchRows = rows
                .into_iter()
                .map(|(id, t)| (id, canhgiac_core::fold::fold(&t)))
                .collect();
            self.search
                .write(&self.pool, self.copy.as_ref(), &folded)
                .await?;
            done += folded.len();
            progress(folded.len());
            after = last;
        }
    }

    /// Indexes every report the search file lacks, gaps included (a write that failed
    /// after its report was committed, a lost file). Returns how many.
    pub async fn index_search_backlog(&self) -> Result<usize, StoreError> {
        let mut done = self.index_search_tail(&|_| {}).await?;
        let mut after = 0i64;
        loop {
            let rows: Vec<(i64, String)> = sqlx::query_as(self.search.backlog_sql())
                .bind(after)
                .bind(after)
                .fetch_all(&self.pool)
                .await?;
            let Some(last) = rows.last().map(|r| r.0) else {
                return Ok(done);
            };
            let folded: SearchRows = rows
                .into_iter()
                .map(|(id, t)| (id, canhgiac_core::fold::fold(&t)))
                .collect();
            self.search
                .write(&self.pool, self.copy.as_ref(), &folded)
                .await?;
            done += folded.len();
            after = last;
        }
    }

    /// Writes narratives into the search index (after their reports were committed).
    pub async fn index_search(&self, rows: &[(i64, String)]) -> Result<(), StoreError> {
        self.search
            .write(&self.pool, self.copy.as_ref(), rows)
            .await
    }
}
