//! canhgiac-store: everything canhgiac keeps.
//!
//! SQLite through sqlx (WAL, `synchronous=FULL`, so an acknowledged report survives a
//! power cut), migrations applied at start, reference data loaded on first start,
//! reports written with their identifiers and a `changes` row in one transaction, and
//! the in-memory [`LookupIndex`] that the public check reads, fed by that `changes` log.

pub mod agencies;
pub mod audit;
pub mod backup;
mod backup_pg;
pub mod brands;
mod bulk;
pub mod bulletins;
pub mod campaigns;
pub mod catalogue;
mod changes;
pub mod console;
mod copy_pg;
pub mod crypto;
pub mod db;
pub mod disputes;
mod error;
mod evidence;
mod group_commit;
pub mod handling;
pub mod holds;
pub mod index;
pub mod indicators;
pub mod nodes;
pub mod officers;
pub mod partner_holds;
pub mod partner_lists;
pub mod partners;
pub mod periodic;
mod pool_health;
pub mod rate;
mod reference;
mod reports;
pub mod retention;
pub mod rings;
pub mod search;
pub mod sectors;
pub mod stats;
#[doc(hidden)]
pub mod testing;
pub mod trends;
pub mod units;
pub mod webhooks;

use std::path::{Path, PathBuf};

use crate::db::Pool;
use secrecy::SecretString;
use sqlx::any::AnyPoolOptions;

pub use changes::Change;

/// Builds `changes` entries for benchmarks and tests of the index without a database.
#[doc(hidden)]
pub mod changes_for_bench {
    pub use crate::changes::{Change, ReportAdded};

    /// A `report_added` change.
    pub fn report_added(
        report_id: i64,
        at: i64,
        loss: u64,
        method: Option<&str>,
        reporter: &str,
        keys: Vec<String>,
    ) -> Change {
        Change::ReportAdded(ReportAdded {
            report_id,
            at,
            loss,
            method: method.map(str::to_string),
            reporter: reporter.to_string(),
            keys,
        })
    }

    /// `n` synthetic reports naming phones and accounts drawn from 150,000 rings of
    /// shared identifiers (and a website for one in four), as the demo generator
    /// makes them; deterministic.
    pub fn synthetic(n: i64) -> Vec<(i64, Change)> {
        let mut state: u64 = 42;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        (1..=n)
            .map(|id| {
                let ring = next() % 150_000;
                let phone = format!("phone:+849{:08}", ring * 3 + next() % 3);
                let account = format!("bank_account:970436:{:013}", ring * 2 + next() % 2);
                let keys = if next() % 4 == 0 {
                    vec![phone, account, format!("url:site{}.top", ring % 20_000)]
                } else {
                    vec![phone, account]
                };
                let reporter = format!("r{}", next() % 900_000);
                (
                    id,
                    report_added(
                        id,
                        1_700_000_000 + id,
                        1_000_000,
                        Some("impersonate_authority"),
                        &reporter,
                        keys,
                    ),
                )
            })
            .collect()
    }
}
pub use crypto::Sealer;
pub use error::StoreError;
pub use evidence::{sniff_image, EvidenceError, MAX_EVIDENCE_BYTES};
pub use index::LookupIndex;
pub use reference::{Place, Province};
pub use reports::{NewReport, PreparedReport, Receipt, ReportView, Source, StoredIdentifier};
pub use sqlx::Error as SqlxError;

/// Console queue reads that may run at once (see `Store::heavy_reads`); the pools hold
/// 8 (SQLite) and 16 (PostgreSQL) connections.
const HEAVY_READS: usize = 3;

/// How to open the store.
#[derive(Debug, Clone)]
pub struct StoreConfig {
    /// Directory for the database, keys and evidence files.
    pub data_dir: PathBuf,
    /// `sqlite://…` URL; `None` puts `canhgiac.db` in the data directory.
    pub database_url: Option<String>,
    /// Base64 32-byte key that encrypts reporters' data; `None` uses (and on first
    /// start creates) `data_dir/keys/data.key`.
    pub data_key: Option<SecretString>,
    /// The province served, by name ("Đồng Nai") or code.
    pub province: String,
    /// SQLite page cache per connection, MiB (allocated as used). Bulk imports
    /// want more: random-key index inserts then stay in memory.
    pub cache_mib: u32,
}

impl StoreConfig {
    /// The defaults for a data directory: SQLite file inside it, Đồng Nai, 32 MiB cache.
    pub fn in_dir(data_dir: impl Into<PathBuf>) -> StoreConfig {
        StoreConfig {
            data_dir: data_dir.into(),
            database_url: None,
            data_key: None,
            province: "Đồng Nai".into(),
            cache_mib: 32,
        }
    }
}

/// The store: a connection pool and what is needed to seal personal data.
pub struct Store {
    pool: Pool,
    /// Which database it is.
    backend: db::Backend,
    /// The PostgreSQL URL, for the connection that listens for changes.
    database_url: Option<String>,
    /// Where narratives are indexed for search.
    search: search::SearchIndex,
    /// The native connection bulk writes copy through (PostgreSQL only).
    copy: Option<copy_pg::CopyPool>,
    sealer: Sealer,
    data_dir: PathBuf,
    province: Province,
    places: Vec<Place>,
    /// Serialises writers inside this process, so ids and change sequence numbers are
    /// assigned without gaps or retries.
    write_lock: std::sync::Arc<tokio::sync::Mutex<()>>,
    /// Reports waiting to be written together (group commit).
    intake: group_commit::Intake,
    /// Console queue reads running at once, at most [`HEAVY_READS`]: each holds a
    /// connection for up to a second or two with a million reports, and without a bound
    /// they took every connection of the pool from the reports under load.
    heavy_reads: tokio::sync::Semaphore,
    /// The triage queue's rankings, shared by the requests of a view for a few seconds.
    rankings: console::ranking::Rankings,
    /// Set when narratives were stored but their search entries could not be (a full
    /// disk): the next [`Store::follow_search`] reads the whole backlog, not the tail.
    search_gap: std::sync::atomic::AtomicBool,
    /// What statistics need of each report, kept in memory.
    facts: stats::facts::FactsCache,
}

impl Store {
    /// Opens (creating if needed) the store, applies migrations and loads reference data.
    pub async fn open(config: &StoreConfig) -> Result<Store, StoreError> {
        std::fs::create_dir_all(&config.data_dir).map_err(|e| {
            StoreError::Io(format!("data directory {}: {e}", config.data_dir.display()))
        })?;
        let url = match &config.database_url {
            Some(url) => url.clone(),
            None => format!("sqlite://{}", config.data_dir.join("canhgiac.db").display()),
        };
        let backend = db::Backend::of_url(&url).ok_or_else(|| {
            StoreError::Config(format!(
                "the database URL must start with sqlite:// or postgres://, not {}",
                url.split(':').next().unwrap_or_default()
            ))
        })?;
        sqlx::any::install_default_drivers();
        let (pool, search) = match backend {
            db::Backend::Sqlite => open_sqlite(config, &url).await?,
            db::Backend::Postgres => open_postgres(&url).await?,
        };
        let sealer = Sealer::from_config(config.data_key.as_ref(), &config.data_dir)?;
        check_key(&pool, &sealer).await?;
        reference::load_if_empty(&pool).await?;
        let province = reference::province(&pool, &config.province).await?;
        let places = reference::places(&pool, province.code).await?;
        let store = Store {
            pool,
            search,
            backend,
            copy: (backend == db::Backend::Postgres).then(|| copy_pg::CopyPool::new(url.clone())),
            database_url: (backend == db::Backend::Postgres).then(|| url.clone()),
            sealer,
            data_dir: config.data_dir.clone(),
            province,
            places,
            write_lock: std::sync::Arc::new(tokio::sync::Mutex::new(())),
            search_gap: std::sync::atomic::AtomicBool::new(false),
            intake: group_commit::Intake::default(),
            heavy_reads: tokio::sync::Semaphore::new(HEAVY_READS),
            rankings: Default::default(),
            facts: Default::default(),
        };
        store.create_units_if_empty().await?;
        store.ensure_indexes().await?;
        store.seed_agencies().await?;
        Ok(store)
    }

    /// The connection pool, for health checks.
    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    /// Which database the store runs on.
    pub fn backend(&self) -> db::Backend {
        self.backend
    }

    /// The data directory.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The province served.
    pub fn province(&self) -> &Province {
        &self.province
    }

    /// Communes and wards of the province, by name.
    pub fn places(&self) -> &[Place] {
        &self.places
    }

    /// Whether a commune/ward code belongs to the province.
    pub fn has_place(&self, code: i64) -> bool {
        self.places.binary_search_by_key(&code, |p| p.code).is_ok()
    }

    /// The name of a commune/ward.
    pub fn place_name(&self, code: i64) -> Option<&str> {
        self.places
            .iter()
            .find(|p| p.code == code)
            .map(|p| p.name.as_str())
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }
}

/// Opens the SQLite file (WAL, `synchronous=FULL`, foreign keys on) with the search
/// file attached to every connection, and applies the migrations.
async fn open_sqlite(
    config: &StoreConfig,
    url: &str,
) -> Result<(Pool, search::SearchIndex), StoreError> {
    let url = if url.contains('?') {
        url.to_string()
    } else {
        format!("{url}?mode=rwc")
    };
    let search_path = search::path_for(&config.data_dir);
    let search = search::SearchIndex::open_sqlite(&search_path).await?;
    let setup = format!(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; \
         PRAGMA cache_size = -{}; PRAGMA temp_store = MEMORY; PRAGMA busy_timeout = 10000; {}",
        u64::from(config.cache_mib.max(2)) * 1024,
        search::attach_sql(&search_path)
    );
    let pool = AnyPoolOptions::new()
        .max_connections(8)
        .after_release(|conn, _meta| Box::pin(pool_health::still_usable(conn)))
        .after_connect(move |conn, _meta| {
            let setup = setup.clone();
            Box::pin(async move {
                sqlx::Executor::execute(conn, setup.as_str()).await?;
                Ok(())
            })
        })
        .connect(&url)
        .await?;
    sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
    Ok((pool, search))
}

/// Connects to PostgreSQL and applies its migrations (sqlx takes an advisory lock, so
/// nodes starting together apply them once).
async fn open_postgres(url: &str) -> Result<(Pool, search::SearchIndex), StoreError> {
    let pool = AnyPoolOptions::new()
        .max_connections(16)
        // A database that does not answer fails requests fast (503) instead of
        // holding them until the request's own time limit.
        .acquire_timeout(std::time::Duration::from_secs(2))
        .connect(url)
        .await?;
    sqlx::migrate!("./migrations/postgres").run(&pool).await?;
    Ok((pool, search::SearchIndex::Postgres))
}

/// Refuses a data key other than the one the database was first opened with (a lost
/// key file silently replaced by a new one would make every sealed record unreadable
/// and seal new ones with a key nobody kept).
async fn check_key(pool: &Pool, sealer: &Sealer) -> Result<(), StoreError> {
    let check = sealer.key_check();
    let stored: Option<String> = sqlx::query_scalar("SELECT value FROM key_check WHERE id = 1")
        .fetch_optional(pool)
        .await?;
    match stored {
        Some(value) if value == check => Ok(()),
        Some(_) => Err(StoreError::Config(
            "the data key is not the one this database was written with: set CANHGIAC_DATA_KEY to that key, or put its keys/data.key back in the data directory".into(),
        )),
        None => {
            sqlx::query("INSERT INTO key_check (id, value) VALUES (1, $1) ON CONFLICT(id) DO NOTHING")
                .bind(&check)
                .execute(pool)
                .await?;
            Ok(())
        }
    }
}
