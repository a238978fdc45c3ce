//! Writing and reading reports. A report, its identifiers, links, transfers,
//! evidence links and its `changes` row are written in one transaction; the caller
//! acknowledges the report only after this returns.

use crate::db::Sql;
use canhgiac_core::intake::{ReporterContact, ValidReport};
use canhgiac_core::tracking::{generate_secret, TrackingCode};
use sqlx::Transaction;

use crate::changes::ReportAdded;
use crate::search::SearchRows;
use crate::{Store, StoreError};

/// Where a report came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The public web form.
    Web,
    /// The JSON API.
    Api,
    /// A bulk import.
    Import,
    /// Synthetic demo data.
    Demo,
    /// A partner's bulk submission (the partner's id).
    Partner(i64),
}

impl Source {
    /// The stored name: `web`, `api`, `import`, `demo` or `partner:<id>`.
    pub fn as_str(self) -> std::borrow::Cow<'static, str> {
        match self {
            Source::Web => "web".into(),
            Source::Api => "api".into(),
            Source::Import => "import".into(),
            Source::Demo => "demo".into(),
            Source::Partner(id) => format!("partner:{id}").into(),
        }
    }
}

/// A validated report ready to be written.
#[derive(Debug, Clone)]
pub struct NewReport {
    /// The validated content.
    pub report: ValidReport,
    /// Where it came from.
    pub source: Source,
    /// Unix seconds when it was received.
    pub created_at: i64,
    /// The client's idempotency key, if any.
    pub idempotency_key: Option<String>,
    /// A hash of the request, to tell a true retry from a reused key.
    pub request_hash: Option<String>,
}

/// What the reporter gets back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    /// The tracking code.
    pub tracking_code: TrackingCode,
    /// The secret that opens the status page.
    pub secret: String,
    /// True when this answers a retry of an earlier submission.
    pub replayed: bool,
}

/// One identifier of a stored report.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredIdentifier {
    /// Kind.
    pub kind: String,
    /// Readable value.
    pub display: String,
    /// Role key.
    pub role: String,
}

/// A report as its reporter may see it (with code and secret).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ReportView {
    /// Tracking code.
    pub tracking_code: String,
    /// Status key.
    pub status: String,
    /// Channel key.
    pub channel: String,
    /// Method key.
    pub method_key: Option<String>,
    /// Narrative.
    pub narrative: String,
    /// Loss.
    pub amount_lost_vnd: i64,
    /// Commune/ward code.
    pub place_code: Option<i64>,
    /// Unix seconds received.
    pub created_at: i64,
    /// Identifiers.
    #[sqlx(skip)]
    pub identifiers: Vec<StoredIdentifier>,
    /// Evidence files attached.
    #[sqlx(skip)]
    pub evidence_count: i64,
    /// The statutory deadline (YYYY-MM-DD), once the police formally received it.
    #[sqlx(skip)]
    pub deadline: Option<String>,
    /// Hold requests sent to banks for its transfers, and how many of them the bank
    /// answered by holding money (drafts not yet sent are not counted).
    #[sqlx(skip)]
    pub holds: (i64, i64),
}

/// A `reports` row as the reporter's view needs it.
#[derive(sqlx::FromRow)]
struct ReportRow {
    id: i64,
    secret_sealed: Vec<u8>,
    #[sqlx(flatten)]
    view: ReportView,
}

/// Rows per multi-row INSERT statement (well under SQLite's variable limit).
const CHUNK: usize = 400;

/// One identifier of a prepared report, as written.
struct IdentRow {
    key: String,
    kind: &'static str,
    display: String,
    role: &'static str,
}

/// One transfer row: report id, sequence, BIN, account, amount, time.
type TransferRow<'a> = (i64, i64, &'a str, &'a str, i64, Option<i64>);

/// A report with everything computed that does not need the database: codes,
/// sealed data, fingerprints, identifier keys, the change payload. Preparing is CPU
/// work that a bulk import does in parallel with the previous batch's write.
pub struct PreparedReport {
    code: TrackingCode,
    secret: String,
    secret_sealed: Vec<u8>,
    reporter_sealed: Option<Vec<u8>>,
    reporter_fp: String,
    identifiers: Vec<IdentRow>,
    /// The change payload after `"report_id":N,`.
    change_tail: String,
    pub(crate) new: NewReport,
}

impl PreparedReport {
    /// What its reporter gets back once it is written.
    pub(crate) fn receipt(&self) -> Receipt {
        Receipt {
            tracking_code: self.code.clone(),
            secret: self.secret.clone(),
            replayed: false,
        }
    }
}

impl Store {
    /// Writes many reports in one transaction (bulk import). All or none are written.
    pub async fn insert_reports(
        &self,
        reports: Vec<NewReport>,
    ) -> Result<Vec<Receipt>, StoreError> {
        let folded: Vec<String> = reports
            .iter()
            .map(|r| canhgiac_core::fold::fold(&r.report.narrative))
            .collect();
        let prepared = self.prepare(reports)?;
        let (receipts, first_id) = {
            let _guard = self.write_lock.lock().await;
            self.insert_locked(prepared).await?
        };
        let rows: SearchRows = folded
            .into_iter()
            .enumerate()
            .map(|(i, f)| (first_id + i as i64, f))
            .collect();
        self.index_search_logged(&rows).await;
        Ok(receipts)
    }

    /// Writes prepared reports in one transaction (all or none). Their narratives are
    /// not indexed for search here: a bulk import indexes them at its end
    /// ([`Store::index_search_tail`]).
    pub async fn insert_prepared(
        &self,
        prepared: Vec<PreparedReport>,
    ) -> Result<Vec<Receipt>, StoreError> {
        let _guard = self.write_lock.lock().await;
        Ok(self.insert_locked(prepared).await?.0)
    }

    /// Indexes committed reports for search; a failure only delays their search (the
    /// search follower fills the gap at its next round), so it is logged, not returned.
    pub(crate) async fn index_search_logged(&self, rows: &[(i64, String)]) {
        if let Err(e) = self.index_search(rows).await {
            self.search_gap
                .store(true, std::sync::atomic::Ordering::SeqCst);
            tracing::warn!(error = %e, reports = rows.len(), "search index write failed; indexed again by the search follower");
        }
    }

    /// Does the CPU work of writing reports: codes, secrets, sealing, keys.
    pub fn prepare(&self, reports: Vec<NewReport>) -> Result<Vec<PreparedReport>, StoreError> {
        reports
            .into_iter()
            .map(|new| {
                let code = TrackingCode::generate();
                let secret = generate_secret();
                let secret_sealed = self.sealer.seal(secret.as_bytes())?;
                let (reporter_sealed, reporter_fp) =
                    self.seal_reporter(new.report.reporter.as_ref())?;
                let identifiers: Vec<IdentRow> = new
                    .report
                    .identifiers
                    .iter()
                    .map(|(i, role)| IdentRow {
                        key: i.key(),
                        kind: i.kind().as_str(),
                        display: i.display(),
                        role: role.as_str(),
                    })
                    .collect();
                let change = ReportAdded {
                    report_id: 0,
                    at: new.created_at,
                    loss: new.report.amount_lost_vnd,
                    method: new.report.method_key.clone(),
                    reporter: reporter_fp.clone(),
                    keys: identifiers.iter().map(|i| i.key.clone()).collect(),
                };
                let json = serde_json::to_string(&change)
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?;
                let change_tail = json
                    .strip_prefix("{\"report_id\":0,")
                    .map(str::to_string)
                    .ok_or_else(|| StoreError::Corrupt("change payload layout".into()))?;
                Ok(PreparedReport {
                    code,
                    secret,
                    secret_sealed,
                    reporter_sealed,
                    reporter_fp,
                    identifiers,
                    change_tail,
                    new,
                })
            })
            .collect()
    }

    async fn insert_locked(
        &self,
        mut prepared: Vec<PreparedReport>,
    ) -> Result<(Vec<Receipt>, i64), StoreError> {
        let first_id = match &self.copy {
            Some(copy) => insert_with_retries_copy(&self.pool, copy, &mut prepared).await?,
            None => insert_with_retries(&self.pool, &mut prepared).await?,
        };
        Ok((
            prepared.iter().map(PreparedReport::receipt).collect(),
            first_id,
        ))
    }
}

/// Writes prepared reports in one transaction (the caller holds the write lock);
/// returns the first id. A tracking-code collision (rare: 30^8 codes) aborts the
/// transaction: it is tried again with new codes.
pub(crate) async fn insert_with_retries(
    pool: &crate::db::Pool,
    prepared: &mut [PreparedReport],
) -> Result<i64, StoreError> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        match try_insert(pool, prepared).await {
            Err(StoreError::Unavailable(e))
                if StoreError::is_unique_violation(&e) && attempt < 4 =>
            {
                if e.as_database_error()
                    .is_some_and(|d| d.message().contains("idempotency_key"))
                {
                    return Err(StoreError::Conflict("idempotency key already used".into()));
                }
                for p in prepared.iter_mut() {
                    p.code = TrackingCode::generate();
                }
            }
            other => return other,
        }
    }
}

/// Writes prepared reports through `COPY` on PostgreSQL (bulk imports), with
/// collisions of tracking codes retried like [`insert_with_retries`]. A batch that
/// links evidence goes through the statements (each link checks its file exists).
pub(crate) async fn insert_with_retries_copy(
    pool: &crate::db::Pool,
    copy: &crate::copy_pg::CopyPool,
    prepared: &mut [PreparedReport],
) -> Result<i64, StoreError> {
    if prepared.iter().any(|p| !p.new.report.evidence.is_empty()) {
        return insert_with_retries(pool, prepared).await;
    }
    let copy = copy.get().await?;
    let mut attempt = 0;
    loop {
        attempt += 1;
        match try_insert_copy(copy, prepared).await {
            Err(StoreError::Unavailable(e))
                if StoreError::is_unique_violation(&e) && attempt < 4 =>
            {
                if e.as_database_error()
                    .is_some_and(|d| d.message().contains("idempotency_key"))
                {
                    return Err(StoreError::Conflict("idempotency key already used".into()));
                }
                for p in prepared.iter_mut() {
                    p.code = TrackingCode::generate();
                }
            }
            other => return other,
        }
    }
}

/// The columns a bulk copy writes into `reports`, in the order of [`copy_report`].
const COPY_REPORTS: &str = "COPY reports (id, tracking_code, secret_sealed, idempotency_key, request_hash, channel, method_key, contacted_at, narrative, amount_lost_vnd, place_code, reporter_sealed, reporter_fp, source, created_at) FROM STDIN";

fn copy_report(text: &mut crate::copy_pg::CopyText, id: i64, p: &PreparedReport) {
    let r = &p.new.report;
    text.row(|row| {
        row.int(id)
            .text(p.code.as_str())
            .bytes(&p.secret_sealed)
            .opt_text(p.new.idempotency_key.as_deref())
            .opt_text(p.new.request_hash.as_deref())
            .text(r.channel.as_str())
            .opt_text(r.method_key.as_deref())
            .opt_int(r.contacted_at)
            .text(&r.narrative)
            .int(r.amount_lost_vnd as i64)
            .opt_int(r.place_code)
            .opt_bytes(p.reporter_sealed.as_deref())
            .text(&p.reporter_fp)
            .text(&p.new.source.as_str())
            .int(p.new.created_at);
    });
}

/// One transaction of `COPY`s: reports, identifiers (through a temporary table, as
/// those already known are kept), their links, transfers and the changes log.
async fn try_insert_copy(
    pool: &sqlx::PgPool,
    prepared: &[PreparedReport],
) -> Result<i64, StoreError> {
    use crate::copy_pg::copy_rows;
    let mut tx = pool.begin().await?;
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(crate::db::WRITE_LOCK_KEY)
        .execute(&mut *tx)
        .await?;
    let (next_id,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(id), 0) + 1 FROM reports")
        .fetch_one(&mut *tx)
        .await?;
    let (next_seq,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(seq), 0) + 1 FROM changes")
        .fetch_one(&mut *tx)
        .await?;
    // Rows are gathered into vectors before each copy: iterators of borrowing
    // closures held across an await make the future not `Send`.
    let ids: Vec<(i64, &PreparedReport)> = (next_id..).zip(prepared).collect();
    copy_rows(&mut tx, COPY_REPORTS, &ids, |text, &(id, p)| {
        copy_report(text, id, p)
    })
    .await?;

    // Identifiers: each new one once, with the time of its first report here.
    let mut seen = std::collections::HashSet::new();
    let mut firsts: Vec<(i64, &IdentRow)> = Vec::new();
    let mut links: Vec<(i64, &IdentRow)> = Vec::new();
    let mut linked = std::collections::HashSet::new();
    let mut transfers: Vec<TransferRow> = Vec::new();
    for &(id, p) in &ids {
        for i in &p.identifiers {
            if seen.insert(i.key.as_str()) {
                firsts.push((p.new.created_at, i));
            }
            if linked.insert((id, i.key.as_str(), i.role)) {
                links.push((id, i));
            }
        }
        for (seq, t) in p.new.report.transfers.iter().enumerate() {
            transfers.push((
                id,
                seq as i64,
                t.account.bin(),
                t.account.number(),
                t.amount_vnd as i64,
                t.at,
            ));
        }
    }
    sqlx::query("CREATE TEMP TABLE IF NOT EXISTS import_identifiers (key TEXT NOT NULL, kind TEXT NOT NULL, display TEXT NOT NULL, created_at BIGINT NOT NULL) ON COMMIT DELETE ROWS")
        .execute(&mut *tx)
        .await?;
    copy_rows(
        &mut tx,
        "COPY import_identifiers (key, kind, display, created_at) FROM STDIN",
        &firsts,
        |text, &(at, i)| {
            text.row(|row| {
                row.text(&i.key).text(i.kind).text(&i.display).int(at);
            })
        },
    )
    .await?;
    sqlx::query("INSERT INTO identifiers (key, kind, display, created_at) SELECT key, kind, display, created_at FROM import_identifiers ON CONFLICT (key) DO NOTHING")
        .execute(&mut *tx)
        .await?;
    copy_rows(
        &mut tx,
        "COPY report_identifiers (report_id, identifier_key, role) FROM STDIN",
        &links,
        |text, &(id, i)| {
            text.row(|row| {
                row.int(id).text(&i.key).text(i.role);
            })
        },
    )
    .await?;
    copy_rows(
        &mut tx,
        "COPY transfers (report_id, seq, bank_bin, account, amount_vnd, transferred_at) FROM STDIN",
        &transfers,
        |text, &(id, seq, bin, account, amount, at)| {
            text.row(|row| {
                row.int(id)
                    .int(seq)
                    .text(bin)
                    .text(account)
                    .int(amount)
                    .opt_int(at);
            })
        },
    )
    .await?;
    let changes: Vec<(i64, i64, &PreparedReport)> = (next_seq..)
        .zip(ids.iter().copied())
        .map(|(seq, (id, p))| (seq, id, p))
        .collect();
    copy_rows(
        &mut tx,
        "COPY changes (seq, kind, payload, created_at) FROM STDIN",
        &changes,
        |text, &(seq, id, p)| {
            text.row(|row| {
                row.int(seq)
                    .text(crate::changes::KIND_REPORT_ADDED)
                    .text(&format!("{{\"report_id\":{id},{}", p.change_tail))
                    .int(p.new.created_at);
            })
        },
    )
    .await?;
    tx.commit().await?;
    Ok(next_id)
}

/// Writes prepared reports in one transaction; returns the first id.
pub(crate) async fn try_insert(
    pool: &crate::db::Pool,
    prepared: &[PreparedReport],
) -> Result<i64, StoreError> {
    {
        let backend = crate::db::backend_of(pool);
        let mut tx = crate::db::begin_write(pool).await?;
        let (next_id,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(id), 0) + 1 FROM reports")
            .fetch_one(&mut *tx)
            .await?;
        let (next_seq,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(seq), 0) + 1 FROM changes")
            .fetch_one(&mut *tx)
            .await?;
        for (i, chunk) in prepared.chunks(CHUNK).enumerate() {
            insert_chunk(&mut tx, backend, next_id + (i * CHUNK) as i64, chunk).await?;
        }
        // The change log, in report order.
        for (i, chunk) in prepared.chunks(CHUNK).enumerate() {
            let first = (i * CHUNK) as i64;
            let mut q = Sql::on(
                backend,
                "INSERT INTO changes (seq, kind, payload, created_at) ",
            );
            q.push_values(chunk.iter().enumerate(), |mut b, (j, p)| {
                let id = next_id + first + j as i64;
                b.push_bind(next_seq + first + j as i64)
                    .push_bind(crate::changes::KIND_REPORT_ADDED)
                    .push_bind(format!("{{\"report_id\":{id},{}", p.change_tail))
                    .push_bind(p.new.created_at);
            });
            q.build().execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(next_id)
    }
}

impl Store {
    fn seal_reporter(
        &self,
        reporter: Option<&ReporterContact>,
    ) -> Result<(Option<Vec<u8>>, String), StoreError> {
        // Anonymous reports each count as their own reporter.
        let anonymous = || format!("anon:{}", hex::encode(rand::random::<[u8; 12]>()));
        match reporter {
            None => Ok((None, anonymous())),
            Some(contact) => {
                let json =
                    serde_json::to_vec(contact).map_err(|e| StoreError::Corrupt(e.to_string()))?;
                let fp = contact
                    .identity()
                    .map(|id| self.sealer.fingerprint(&id))
                    .unwrap_or_else(anonymous);
                Ok((Some(self.sealer.seal(&json)?), fp))
            }
        }
    }

    /// The report with this code, if the secret matches. `None` for a wrong code or
    /// secret alike, so codes cannot be probed.
    pub async fn report_for_reporter(
        &self,
        code: &TrackingCode,
        secret: &str,
    ) -> Result<Option<ReportView>, StoreError> {
        let row: Option<ReportRow> = sqlx::query_as(
            "SELECT id, secret_sealed, tracking_code, status, channel, method_key, narrative, amount_lost_vnd, place_code, created_at FROM reports WHERE tracking_code = $1",
        )
        .bind(code.as_str())
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let stored = self.sealer.open(&row.secret_sealed)?;
        let given = secret.trim().to_ascii_uppercase();
        if !constant_time_eq(&stored, given.as_bytes()) {
            return Ok(None);
        }
        let identifiers: Vec<StoredIdentifier> = sqlx::query_as(
            "SELECT i.kind, i.display, ri.role FROM report_identifiers ri JOIN identifiers i ON i.key = ri.identifier_key WHERE ri.report_id = $1 ORDER BY i.kind, i.display",
        )
        .bind(row.id)
        .fetch_all(&self.pool)
        .await?;
        let (evidence_count,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM report_evidence WHERE report_id = $1")
                .bind(row.id)
                .fetch_one(&self.pool)
                .await?;
        let events: Vec<(String, Option<String>, Option<String>)> = sqlx::query_as(
            "SELECT kind, on_date, until_date FROM report_events WHERE report_id = $1 ORDER BY id",
        )
        .bind(row.id)
        .fetch_all(&self.pool)
        .await?;
        let clock_events: Vec<canhgiac_core::clock::ClockEvent> = events
            .iter()
            .filter_map(|(kind, on, until)| {
                let on = crate::console::parse_date(on.as_deref()?)?;
                let until = until.as_deref().and_then(crate::console::parse_date);
                canhgiac_core::case::EventKind::parse(kind)?.clock_event(on, until)
            })
            .collect();
        let deadline = canhgiac_core::clock::Clock::replay(&clock_events)
            .ok()
            .map(|c| c.deadline.to_string());
        let holds: (i64, i64) = sqlx::query_as(
            "SELECT CAST(COALESCE(SUM(CASE WHEN h.state <> 'created' THEN 1 ELSE 0 END), 0) AS BIGINT), CAST(COALESCE(SUM(CASE WHEN h.state = 'held' THEN 1 ELSE 0 END), 0) AS BIGINT) FROM hold_requests h WHERE h.id IN (SELECT request_id FROM hold_items WHERE report_id = $1)",
        )
        .bind(row.id)
        .fetch_one(&self.pool)
        .await?;
        Ok(Some(ReportView {
            identifiers,
            evidence_count,
            deadline,
            holds,
            ..row.view
        }))
    }

    /// Which of these idempotency keys are already used.
    pub async fn existing_idempotency_keys(
        &self,
        keys: &[String],
    ) -> Result<std::collections::HashSet<String>, StoreError> {
        let mut found = std::collections::HashSet::new();
        for part in keys.chunks(CHUNK) {
            let mut q = Sql::on(
                self.backend,
                "SELECT idempotency_key FROM reports WHERE idempotency_key IN (",
            );
            let mut list = q.separated(", ");
            for k in part {
                list.push_bind(k.clone());
            }
            q.push(")");
            let rows: Vec<(String,)> = q.build_query_as().fetch_all(&self.pool).await?;
            found.extend(rows.into_iter().map(|(k,)| k));
        }
        Ok(found)
    }

    /// How many reports are stored.
    pub async fn report_count(&self) -> Result<i64, StoreError> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM reports")
            .fetch_one(&self.pool)
            .await?;
        Ok(n)
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

async fn insert_chunk(
    tx: &mut Transaction<'_, crate::db::Db>,
    backend: crate::db::Backend,
    first_id: i64,
    chunk: &[PreparedReport],
) -> Result<(), StoreError> {
    let mut q = Sql::on(backend,
        "INSERT INTO reports (id, tracking_code, secret_sealed, idempotency_key, request_hash, channel, method_key, contacted_at, narrative, amount_lost_vnd, place_code, reporter_sealed, reporter_fp, source, created_at) ",
    );
    q.push_values(chunk.iter().enumerate(), |mut b, (i, p)| {
        let r = &p.new.report;
        b.push_bind(first_id + i as i64)
            .push_bind(p.code.as_str())
            .push_bind(p.secret_sealed.as_slice())
            .push_bind(p.new.idempotency_key.as_deref())
            .push_bind(p.new.request_hash.as_deref())
            .push_bind(r.channel.as_str())
            .push_bind(r.method_key.as_deref())
            .push_bind(r.contacted_at)
            .push_bind(r.narrative.as_str())
            .push_bind(r.amount_lost_vnd as i64)
            .push_bind(r.place_code)
            .push_bind(p.reporter_sealed.as_deref())
            .push_bind(p.reporter_fp.as_str())
            .push_bind(p.new.source.as_str().into_owned())
            .push_bind(p.new.created_at);
    });
    q.build().execute(&mut **tx).await?;

    let idents: Vec<(&PreparedReport, &IdentRow)> = chunk
        .iter()
        .flat_map(|p| p.identifiers.iter().map(move |i| (p, i)))
        .collect();
    for part in idents.chunks(CHUNK * 2) {
        let mut q = Sql::on(
            backend,
            "INSERT INTO identifiers (key, kind, display, created_at) ",
        );
        q.push_values(part, |mut b, (p, i)| {
            b.push_bind(i.key.as_str())
                .push_bind(i.kind)
                .push_bind(i.display.as_str())
                .push_bind(p.new.created_at);
        });
        q.push(" ON CONFLICT(key) DO NOTHING");
        q.build().execute(&mut **tx).await?;
    }
    let links: Vec<(i64, &str, &'static str)> = chunk
        .iter()
        .enumerate()
        .flat_map(|(i, p)| {
            p.identifiers
                .iter()
                .map(move |r| (first_id + i as i64, r.key.as_str(), r.role))
        })
        .collect();
    for part in links.chunks(CHUNK * 2) {
        let mut q = Sql::on(
            backend,
            "INSERT INTO report_identifiers (report_id, identifier_key, role) ",
        );
        q.push_values(part, |mut b, (id, key, role)| {
            b.push_bind(*id).push_bind(*key).push_bind(*role);
        });
        q.push(" ON CONFLICT DO NOTHING");
        q.build().execute(&mut **tx).await?;
    }
    let transfers: Vec<TransferRow> = chunk
        .iter()
        .enumerate()
        .flat_map(|(i, p)| {
            p.new
                .report
                .transfers
                .iter()
                .enumerate()
                .map(move |(seq, t)| {
                    (
                        first_id + i as i64,
                        seq as i64,
                        t.account.bin(),
                        t.account.number(),
                        t.amount_vnd as i64,
                        t.at,
                    )
                })
        })
        .collect();
    for part in transfers.chunks(CHUNK) {
        let mut q = Sql::on(backend, "INSERT INTO transfers (report_id, seq, bank_bin, account, amount_vnd, transferred_at) ");
        q.push_values(part, |mut b, (id, seq, bin, account, amount, at)| {
            b.push_bind(*id)
                .push_bind(*seq)
                .push_bind(*bin)
                .push_bind(*account)
                .push_bind(*amount)
                .push_bind(*at);
        });
        q.build().execute(&mut **tx).await?;
    }
    for (i, p) in chunk.iter().enumerate() {
        for digest in &p.new.report.evidence {
            let done = sqlx::query("INSERT INTO report_evidence (report_id, sha256) SELECT $1, sha256 FROM evidence WHERE sha256 = $2 ON CONFLICT DO NOTHING")
                .bind(first_id + i as i64)
                .bind(digest)
                .execute(&mut **tx)
                .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
        }
    }
    Ok(())
}
