//! Group commit for reports from the web and the API. Each report used to be its own
//! write transaction behind the write lock (about 4 ms with a million reports), so
//! under load they queued for seconds. Now a report joins a queue, then waits for the
//! write lock; whoever gets the lock writes every report queued so far in one
//! transaction and answers each. Nobody is answered before the transaction that holds
//! their report has committed, so an acknowledged report is as durable as before.
//!
//! One report must not fail the others: idempotency keys are looked up (and repeated
//! keys within the queue answered from the first) before the write, and when the
//! transaction fails anyway, each report is written again on its own and gets its own
//! answer.

use std::collections::HashMap;

use crate::db::Pool;
use tokio::sync::oneshot;

use crate::crypto::Sealer;
use crate::reports::{insert_with_retries, NewReport, PreparedReport, Receipt};
use crate::search::SearchRows;
use crate::{Store, StoreError};

/// A report waiting to be written, and where its answer goes.
pub(crate) struct Pending {
    prepared: PreparedReport,
    folded: String,
    done: oneshot::Sender<Result<Receipt, StoreError>>,
}

/// The queue of reports waiting for the write lock.
#[derive(Default)]
pub(crate) struct Intake {
    queue: std::sync::Mutex<Vec<Pending>>,
    /// When a group last found the database unreachable (unix milliseconds; 0: it
    /// answered since). Groups within [`UNREACHABLE_FOR_MS`] of it are refused at once
    /// instead of each waiting the pool's time-out again behind the write lock.
    unreachable_at: std::sync::Arc<std::sync::atomic::AtomicI64>,
}

/// How long a database found unreachable is taken to be so without asking again.
const UNREACHABLE_FOR_MS: i64 = 1_000;

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default()
}

/// What writing a group needs, owned: the group is written in its own task, so a
/// request that is cancelled (its client left, its time ran out) while it writes for
/// others does not leave them without an answer.
#[derive(Clone)]
pub(crate) struct Writer {
    pub(crate) pool: Pool,
    pub(crate) sealer: Sealer,
    unreachable_at: std::sync::Arc<std::sync::atomic::AtomicI64>,
}

impl Intake {
    fn push(&self, pending: Pending) {
        self.queue
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(pending);
    }

    fn drain(&self) -> Vec<Pending> {
        std::mem::take(&mut *self.queue.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

impl Store {
    /// Writes one report durably and returns its receipt. A retry with the same
    /// idempotency key and content returns the first receipt; with other content it
    /// is a [`StoreError::Conflict`].
    pub async fn insert_report(&self, report: NewReport) -> Result<Receipt, StoreError> {
        let folded = canhgiac_core::fold::fold(&report.report.narrative);
        let prepared = self
            .prepare(vec![report])?
            .pop()
            .ok_or_else(|| StoreError::Corrupt("nothing prepared".into()))?;
        let (done, mut answer) = oneshot::channel();
        self.intake.push(Pending {
            prepared,
            folded,
            done,
        });
        let guard = self.write_lock.clone().lock_owned().await;
        // Written by whoever held the lock before us?
        if let Ok(result) = answer.try_recv() {
            return result;
        }
        let queued = self.intake.drain();
        let writer = Writer {
            pool: self.pool.clone(),
            sealer: self.sealer.clone(),
            unreachable_at: self.intake.unreachable_at.clone(),
        };
        let group = tokio::spawn(async move {
            let rows = writer.write_queued(queued).await;
            drop(guard);
            rows
        });
        let rows = group.await.unwrap_or_else(|e| {
            tracing::error!(error = %e, "writing a group of reports failed");
            Vec::new()
        });
        self.index_search_logged(&rows).await;
        answer.await.unwrap_or_else(|_| {
            Err(StoreError::Corrupt(
                "a queued report was not answered".into(),
            ))
        })
    }
}

impl Writer {
    /// Whether a connection error means the database is away rather than every
    /// connection busy: a pool at its size limit timed out because of load (the
    /// connections are open), one below it could not open new connections.
    fn database_down(&self) -> bool {
        self.pool.size() < self.pool.options().get_max_connections()
    }

    /// Writes the queued reports (the caller holds the write lock), answers each, and
    /// returns the narratives to index for search.
    async fn write_queued(&self, queued: Vec<Pending>) -> SearchRows {
        let mut batch: Vec<Pending> = Vec::with_capacity(queued.len());
        // Later reports of the queue with a key already in it: (report, index in batch).
        let mut repeats: Vec<(Pending, usize)> = Vec::new();
        let mut keys: HashMap<String, usize> = HashMap::new();
        // Once the database proves unreachable, the rest of the queue is answered at
        // once (each look-up would wait the pool's whole time-out again), and so are
        // the groups of the next second.
        use std::sync::atomic::Ordering;
        let since = self.unreachable_at.load(Ordering::Relaxed);
        let mut unreachable: Option<String> = (since > 0 && now_ms() - since < UNREACHABLE_FOR_MS)
            .then(|| "the database did not answer a moment ago".to_string());
        for pending in queued {
            if let Some(why) = &unreachable {
                let _ = pending.done.send(Err(unreachable_error(why)));
                continue;
            }
            let new = &pending.prepared.new;
            if let Some(key) = new.idempotency_key.clone() {
                match self.replay(&key, new.request_hash.as_deref()).await {
                    Ok(None) => {}
                    Err(e) if e.is_unreachable() => {
                        if self.database_down() {
                            self.unreachable_at.store(now_ms(), Ordering::Relaxed);
                        }
                        unreachable = Some(e.to_string());
                        let _ = pending.done.send(Err(e));
                        continue;
                    }
                    answered => {
                        let _ = pending.done.send(answered.and_then(|r| {
                            r.ok_or_else(|| StoreError::Corrupt("no receipt".into()))
                        }));
                        continue;
                    }
                }
                if let Some(&first) = keys.get(&key) {
                    repeats.push((pending, first));
                    continue;
                }
                keys.insert(key, batch.len());
            }
            batch.push(pending);
        }
        if batch.is_empty() && repeats.is_empty() {
            return SearchRows::new();
        }
        let mut prepared = Vec::with_capacity(batch.len());
        let mut answers = Vec::with_capacity(batch.len());
        let mut folded = Vec::with_capacity(batch.len());
        for p in batch {
            prepared.push(p.prepared);
            answers.push(p.done);
            folded.push(p.folded);
        }
        let written: Vec<Result<(Receipt, i64), StoreError>> = match insert_with_retries(
            &self.pool,
            &mut prepared,
        )
        .await
        {
            Ok(first_id) => {
                self.unreachable_at.store(0, Ordering::Relaxed);
                prepared
                    .iter()
                    .enumerate()
                    .map(|(i, p)| Ok((p.receipt(), first_id + i as i64)))
                    .collect()
            }
            Err(e) if prepared.len() == 1 => vec![Err(e)],
            // Writing each alone would wait for the database once per report.
            Err(e) if e.is_unreachable() => {
                if self.database_down() {
                    self.unreachable_at.store(now_ms(), Ordering::Relaxed);
                }
                let why = e.to_string();
                prepared
                    .iter()
                    .map(|_| Err(unreachable_error(&why)))
                    .collect()
            }
            Err(e) => {
                tracing::warn!(error = %e, reports = prepared.len(), "a group of reports failed; writing each alone");
                let mut each = Vec::with_capacity(prepared.len());
                for p in prepared.iter_mut() {
                    let alone = insert_with_retries(&self.pool, std::slice::from_mut(p))
                        .await
                        .map(|id| (p.receipt(), id));
                    each.push(alone);
                }
                each
            }
        };
        let mut rows = Vec::new();
        let mut receipts: Vec<Option<Receipt>> = Vec::with_capacity(written.len());
        for ((result, done), text) in written.into_iter().zip(answers).zip(folded) {
            match result {
                Ok((receipt, id)) => {
                    rows.push((id, text));
                    receipts.push(Some(receipt.clone()));
                    let _ = done.send(Ok(receipt));
                }
                Err(e) => {
                    receipts.push(None);
                    let _ = done.send(Err(e));
                }
            }
        }
        for (pending, first) in repeats {
            let same = pending.prepared.new.request_hash == prepared_hash(&prepared, first);
            let answer = match receipts.get(first).cloned().flatten() {
                Some(receipt) if same => Ok(Receipt {
                    replayed: true,
                    ..receipt
                }),
                Some(_) => Err(StoreError::Conflict(
                    "idempotency key reused with different content".into(),
                )),
                None => Err(StoreError::Conflict(
                    "the first report with this idempotency key was not stored; send it again"
                        .into(),
                )),
            };
            let _ = pending.done.send(answer);
        }
        rows
    }

    /// The receipt of an earlier report with this idempotency key, if any; a
    /// [`StoreError::Conflict`] when its content differed.
    pub(crate) async fn replay(
        &self,
        key: &str,
        request_hash: Option<&str>,
    ) -> Result<Option<Receipt>, StoreError> {
        replay_of(&self.pool, &self.sealer, key, request_hash).await
    }
}

/// The receipt of an earlier report with this idempotency key, if any; a
/// [`StoreError::Conflict`] when its content differed.
async fn replay_of(
    pool: &Pool,
    sealer: &Sealer,
    key: &str,
    request_hash: Option<&str>,
) -> Result<Option<Receipt>, StoreError> {
    let row: Option<(String, Vec<u8>, Option<String>)> = sqlx::query_as(
        "SELECT tracking_code, secret_sealed, request_hash FROM reports WHERE idempotency_key = $1",
    )
    .bind(key)
    .fetch_optional(pool)
    .await?;
    let Some((code, sealed, hash)) = row else {
        return Ok(None);
    };
    if hash.as_deref() != request_hash {
        return Err(StoreError::Conflict(
            "idempotency key reused with different content".into(),
        ));
    }
    let secret =
        String::from_utf8(sealer.open(&sealed)?).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let tracking_code = canhgiac_core::tracking::TrackingCode::parse(&code)
        .map_err(|_| StoreError::Corrupt(code.clone()))?;
    Ok(Some(Receipt {
        tracking_code,
        secret,
        replayed: true,
    }))
}

impl Store {
    /// The receipts of an earlier batch whose reports carry these idempotency keys
    /// (stored all or none), if any; a [`StoreError::Conflict`] when its content differed.
    pub async fn replay_batch(
        &self,
        keys: &[String],
        request_hash: &str,
    ) -> Result<Option<Vec<Receipt>>, StoreError> {
        let mut out = Vec::with_capacity(keys.len());
        for key in keys {
            match replay_of(&self.pool, &self.sealer, key, Some(request_hash)).await? {
                Some(r) => out.push(r),
                None if out.is_empty() => return Ok(None),
                None => {
                    return Err(StoreError::Corrupt(format!(
                        "batch {key}: part of a batch stored"
                    )))
                }
            }
        }
        Ok(Some(out))
    }
}

fn prepared_hash(prepared: &[PreparedReport], index: usize) -> Option<String> {
    prepared.get(index).and_then(|p| p.new.request_hash.clone())
}

/// The error each report of a group gets when the database could not be reached.
fn unreachable_error(why: &str) -> StoreError {
    StoreError::Unavailable(sqlx::Error::Io(std::io::Error::new(
        std::io::ErrorKind::NotConnected,
        why.to_string(),
    )))
}
