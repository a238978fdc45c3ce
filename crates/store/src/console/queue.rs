//! The triage queue: filtered, ranked by urgency, one page.

use crate::db::{Backend, Sql};
use crate::search::SearchIndex;
use canhgiac_core::clock::local_date;
use canhgiac_core::triage::{TriageFacts, Urgency};
use canhgiac_core::verdict::Level;
use serde::Serialize;

use std::sync::Arc;

use super::ranking::{Plan, Ranking, ViewKey};
use crate::officers::Officer;
use crate::{LookupIndex, Store, StoreError};

use super::scope::{push_scope, OPEN_STATUSES};

/// Reports ranked in full per queue view: this many largest losses, a quarter as many
/// longest waiting, and every report with a transfer in the golden hours.
pub const QUEUE_CANDIDATES: i64 = 2_000;
/// The most reports a search ranks (a search of common words may match many).
pub const SEARCH_CANDIDATES: i64 = 10_000;

/// Matching reports are counted up to this many ("10,000+").
pub const COUNT_CAP: i64 = 10_000;

/// Queue rows per page.
pub const QUEUE_PAGE: usize = 50;

/// Filters of the triage queue. Empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct QueueFilter {
    /// Statuses; empty means the open ones.
    pub statuses: Vec<String>,
    /// Method key.
    pub method: Option<String>,
    /// Channel key.
    pub channel: Option<String>,
    /// Commune/ward code.
    pub place_code: Option<i64>,
    /// Submitted at or after (unix seconds).
    pub from: Option<i64>,
    /// Submitted before (unix seconds).
    pub to: Option<i64>,
    /// Least loss, VND.
    pub min_amount: Option<i64>,
    /// Largest loss, VND.
    pub max_amount: Option<i64>,
    /// Unit id.
    pub unit_id: Option<i64>,
    /// Assignee id (`Some(0)`: nobody).
    pub assignee_id: Option<i64>,
    /// Words to find in the narrative, diacritics ignored.
    pub search: Option<String>,
    /// Page, from 0.
    pub page: usize,
}

/// One row of the queue.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueueItem {
    /// Report id.
    pub id: i64,
    /// Tracking code.
    pub tracking_code: String,
    /// Status key.
    pub status: String,
    /// Channel key.
    pub channel: String,
    /// Method key.
    pub method_key: Option<String>,
    /// Loss, VND.
    pub amount_lost_vnd: i64,
    /// Commune/ward code.
    pub place_code: Option<i64>,
    /// Submitted (unix seconds).
    pub created_at: i64,
    /// Assignee's name.
    pub assignee: Option<String>,
    /// Unit's name.
    pub unit: Option<String>,
    /// Start of the narrative.
    pub excerpt: String,
    /// Why it ranks where it does.
    pub urgency: Urgency,
    /// Other reports in its ring.
    pub linked_reports: u32,
    /// Its identifiers verified as scams.
    pub verified_identifiers: u32,
    /// Days left on the statutory clock (when running).
    pub days_left: Option<i64>,
}

/// A page of the queue.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueuePage {
    /// Rows of this page, most urgent first.
    pub items: Vec<QueueItem>,
    /// Matching reports (up to [`COUNT_CAP`]).
    pub total: i64,
    /// Whether more than [`COUNT_CAP`] match.
    pub total_capped: bool,
    /// Page number.
    pub page: usize,
}

#[derive(sqlx::FromRow)]
struct QueueRow {
    id: i64,
    tracking_code: String,
    status: String,
    channel: String,
    method_key: Option<String>,
    amount_lost_vnd: i64,
    place_code: Option<i64>,
    created_at: i64,
    assignee: Option<String>,
    unit: Option<String>,
    excerpt: String,
    last_transfer_at: Option<i64>,
}

/// What an officer typed in the queue's search box, read the way the public check
/// reads it: a tracking code, the keys of the identifiers it names (a bare number is
/// a phone number and an account at every bank), and the words for the narratives.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Search {
    /// A tracking code.
    pub code: Option<String>,
    /// Identifier keys.
    pub keys: Vec<String>,
    /// The FTS5 query of the words.
    pub words: Option<String>,
}

impl Search {
    /// Reads the search box.
    pub fn of(text: &str) -> Search {
        use canhgiac_core::recognize::{recognize, Query};
        let text = text.trim();
        if let Ok(code) = canhgiac_core::tracking::TrackingCode::parse(text) {
            return Search {
                code: Some(code.as_str().to_string()),
                ..Search::default()
            };
        }
        let keys = match recognize(text) {
            Ok(Query::One(i)) => vec![i.key()],
            Ok(Query::Number { digits, phone }) => {
                let accounts = canhgiac_core::banks::Banks::get()
                    .all()
                    .iter()
                    .filter_map(|b| {
                        canhgiac_core::ident::BankAccount::parse(&b.bin, &digits)
                            .ok()
                            .map(|a| canhgiac_core::Identifier::BankAccount(a).key())
                    });
                phone
                    .map(|p| canhgiac_core::Identifier::Phone(p).key())
                    .into_iter()
                    .chain(accounts)
                    .collect()
            }
            Ok(Query::Text(found)) => found.iter().map(|f| f.identifier.key()).collect(),
            Err(_) => Vec::new(),
        };
        Search {
            code: None,
            keys,
            words: search_query(text),
        }
    }
}

/// An FTS5 query from free words: each word folded and quoted, all required.
pub fn search_query(text: &str) -> Option<String> {
    let folded = canhgiac_core::fold::fold(text);
    let words: Vec<String> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(12)
        .map(|w| format!("\"{w}\""))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

impl Store {
    /// The triage queue for an officer: filtered, ranked by urgency, one page. The
    /// ranking of the view is shared and at most [`super::ranking::RANKING_TTL`] old;
    /// the page's rows are read now.
    pub async fn queue(
        &self,
        officer: &Officer,
        filter: &QueueFilter,
        index: &LookupIndex,
        now: i64,
    ) -> Result<QueuePage, StoreError> {
        let view = ViewKey::of(officer, filter);
        let ranking = match self.rankings.plan(&view).await {
            Plan::Serve(ranking) => ranking,
            Plan::Compute(_turn) => {
                let ranking = Arc::new(self.rank(officer, filter, index, now).await?);
                self.rankings.put(&view, ranking.clone());
                ranking
            }
        };
        let page_ids: Vec<i64> = ranking
            .ids
            .iter()
            .skip(filter.page * QUEUE_PAGE)
            .take(QUEUE_PAGE)
            .copied()
            .collect();
        let mut items = self
            .queue_items(officer, filter, &page_ids, index, now)
            .await?;
        let position: std::collections::HashMap<i64, usize> = page_ids
            .iter()
            .enumerate()
            .map(|(i, id)| (*id, i))
            .collect();
        items.sort_by_key(|i| position.get(&i.id).copied().unwrap_or(usize::MAX));
        let today = local_date(now);
        let running: Vec<i64> = items
            .iter()
            .filter(|i| i.status == "accepted")
            .map(|i| i.id)
            .collect();
        let clocks = self.clocks_of(&running).await?;
        for item in &mut items {
            if let Some(clock) = clocks.get(&item.id) {
                item.days_left = clock.days_left(today);
            }
        }
        Ok(QueuePage {
            items,
            total: ranking.total,
            total_capped: ranking.total_capped,
            page: filter.page,
        })
    }

    /// How long a ranking of the queue serves before it is computed again (default
    /// [`super::ranking::RANKING_TTL`]; zero: every read ranks).
    pub fn set_queue_ranking_ttl(&self, ttl: std::time::Duration) {
        self.rankings.set_ttl(ttl);
    }

    /// Ranks the reports of a view: reads the candidates, adds the ring and the
    /// verified identifiers from the index, sorts by urgency; and counts the matches.
    async fn rank(
        &self,
        officer: &Officer,
        filter: &QueueFilter,
        index: &LookupIndex,
        now: i64,
    ) -> Result<Ranking, StoreError> {
        let _turn = self
            .heavy_reads
            .acquire()
            .await
            .map_err(|_| StoreError::Corrupt("the store is closing".into()))?;
        // Candidates, each read through an index: the largest losses, the longest
        // waiting, and every report with a transfer in the golden hours. The rest of the
        // ranking (ring, verified identifiers) is added in memory below.
        let golden_since = now - canhgiac_core::triage::GOLDEN_HOURS * 3600;
        let searching = filter
            .search
            .as_deref()
            .map(Search::of)
            .is_some_and(|s| s.code.is_some() || !s.keys.is_empty() || s.words.is_some());
        // `+r.status` keeps SQLite off the status index (it would sort every open
        // report; the amount index gives the order directly). PostgreSQL plans by cost.
        let status_hint = match self.backend {
            Backend::Sqlite => "+r.status",
            Backend::Postgres => "r.status",
        };
        let mut q = if searching {
            // A search names few reports: read them through the search itself (walking
            // the amount index for them read all 1,000,000 reports, 0.4 s), then rank.
            let mut q = Sql::on(
                self.backend,
                "WITH cand(id) AS (SELECT r.id FROM reports r WHERE 1 = 1",
            );
            push_filter_with(&mut q, &self.search, officer, filter, status_hint);
            q.push(" LIMIT ").push_bind(SEARCH_CANDIDATES).push(")");
            q
        } else {
            let mut q = Sql::on(
                self.backend,
                "WITH cand(id) AS (SELECT id FROM (SELECT r.id FROM reports r WHERE 1 = 1",
            );
            push_candidates(
                &mut q,
                &self.search,
                status_hint,
                officer,
                filter,
                golden_since,
                now,
            );
            q
        };
        q.push(
            " SELECT r.id, r.amount_lost_vnd, r.created_at, (SELECT MAX(t.transferred_at) FROM transfers t WHERE t.report_id = r.id) AS last_transfer_at FROM reports r WHERE r.id IN (SELECT id FROM cand)",
        );
        let candidates: Vec<(i64, i64, i64, Option<i64>)> =
            q.build_query_as().fetch_all(&self.pool).await?;

        // Counting stops at the cap: a filter on an unindexed column would otherwise
        // read every report.
        let mut count = Sql::on(
            self.backend,
            "SELECT COUNT(*) FROM (SELECT 1 FROM reports r WHERE 1 = 1",
        );
        push_filter(&mut count, &self.search, officer, filter);
        count
            .push(" LIMIT ")
            .push_bind(COUNT_CAP + 1)
            .push(") AS capped");
        let (counted,): (i64,) = count.build_query_as().fetch_one(&self.pool).await?;

        let ids: Vec<i64> = candidates.iter().map(|c| c.0).collect();
        let keys = self.identifier_keys_of(&ids).await?;
        let mut ranked: Vec<(f64, i64, i64)> = candidates
            .into_iter()
            .map(|(id, amount, created_at, last_transfer_at)| {
                let urgency = urgency_of(
                    id,
                    amount,
                    created_at,
                    last_transfer_at,
                    keys.get(&id).map(Vec::as_slice),
                    index,
                    now,
                );
                (urgency.score(), created_at, id)
            })
            .collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        Ok(Ranking {
            computed: std::time::Instant::now(),
            ids: ranked.into_iter().map(|(_, _, id)| id).collect(),
            total: counted.min(COUNT_CAP),
            total_capped: counted > COUNT_CAP,
        })
    }

    /// The rows of a page, read now: those of `ids` still in the view (a report closed
    /// or taken since the ranking leaves the page until the next one), with their
    /// urgency as of now.
    async fn queue_items(
        &self,
        officer: &Officer,
        filter: &QueueFilter,
        ids: &[i64],
        index: &LookupIndex,
        now: i64,
    ) -> Result<Vec<QueueItem>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut q = Sql::on(
            self.backend,
            "SELECT r.id, r.tracking_code, r.status, r.channel, r.method_key, r.amount_lost_vnd, r.place_code, r.created_at, o.display_name AS assignee, u.name AS unit, substr(r.narrative, 1, 160) AS excerpt, (SELECT MAX(t.transferred_at) FROM transfers t WHERE t.report_id = r.id) AS last_transfer_at FROM reports r LEFT JOIN officers o ON o.id = r.assignee_id LEFT JOIN units u ON u.id = r.unit_id WHERE r.id IN (",
        );
        let mut list = q.separated(", ");
        for id in ids {
            list.push_bind(*id);
        }
        q.push(")");
        // The search is not asked again: a narrative does not change.
        let unsearched = QueueFilter {
            search: None,
            ..filter.clone()
        };
        // `+r.status` on SQLite: with the status index it walked every report of the
        // statuses instead of reading 50 by id (0.29 s against 0.7 ms at 1,000,000).
        let status_hint = match self.backend {
            Backend::Sqlite => "+r.status",
            Backend::Postgres => "r.status",
        };
        push_filter_with(&mut q, &self.search, officer, &unsearched, status_hint);
        let rows: Vec<QueueRow> = q.build_query_as().fetch_all(&self.pool).await?;
        let keys = self.identifier_keys_of(ids).await?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let urgency = urgency_of(
                    r.id,
                    r.amount_lost_vnd,
                    r.created_at,
                    r.last_transfer_at,
                    keys.get(&r.id).map(Vec::as_slice),
                    index,
                    now,
                );
                QueueItem {
                    id: r.id,
                    tracking_code: r.tracking_code,
                    status: r.status,
                    channel: r.channel,
                    method_key: r.method_key,
                    amount_lost_vnd: r.amount_lost_vnd,
                    place_code: r.place_code,
                    created_at: r.created_at,
                    assignee: r.assignee,
                    unit: r.unit,
                    excerpt: r.excerpt,
                    linked_reports: urgency.1,
                    verified_identifiers: urgency.2,
                    urgency: urgency.0,
                    days_left: None,
                }
            })
            .collect())
    }

    /// Identifier keys of reports, by report id.
    pub(crate) async fn identifier_keys_of(
        &self,
        ids: &[i64],
    ) -> Result<std::collections::HashMap<i64, Vec<String>>, StoreError> {
        let mut out: std::collections::HashMap<i64, Vec<String>> = Default::default();
        for part in ids.chunks(400) {
            let mut q = Sql::on(
                self.backend,
                "SELECT report_id, identifier_key FROM report_identifiers WHERE report_id IN (",
            );
            let mut list = q.separated(", ");
            for id in part {
                list.push_bind(*id);
            }
            q.push(")");
            let rows: Vec<(i64, String)> = q.build_query_as().fetch_all(&self.pool).await?;
            for (id, key) in rows {
                out.entry(id).or_default().push(key);
            }
        }
        Ok(out)
    }
}

/// The urgency of a report, with the ring's other reports and the verified
/// identifiers it counts.
struct Urgent(Urgency, u32, u32);

impl Urgent {
    fn score(&self) -> f64 {
        self.0.score()
    }
}

fn urgency_of(
    id: i64,
    amount_lost_vnd: i64,
    submitted_at: i64,
    last_transfer_at: Option<i64>,
    keys: Option<&[String]>,
    index: &LookupIndex,
    now: i64,
) -> Urgent {
    let verified = verified_count(keys, index);
    let linked = index
        .ring_of(id)
        .map(|(_, n)| n.saturating_sub(1) as u32)
        .unwrap_or(0);
    let urgency = Urgency::of(
        &TriageFacts {
            last_transfer_at,
            amount_lost_vnd: amount_lost_vnd.max(0) as u64,
            linked_reports: linked,
            verified_identifiers: verified,
            submitted_at,
        },
        now,
    );
    Urgent(urgency, linked, verified)
}

/// Identifiers of a report verified as scams.
fn verified_count(keys: Option<&[String]>, index: &LookupIndex) -> u32 {
    keys.unwrap_or_default()
        .iter()
        .filter(|k| index.get(k).is_some_and(|s| s.level() == Level::Dangerous))
        .count() as u32
}

fn push_filter(q: &mut Sql<'_>, search: &SearchIndex, officer: &Officer, f: &QueueFilter) {
    push_filter_with(q, search, officer, f, "r.status");
}

fn push_filter_with(
    q: &mut Sql<'_>,
    search: &SearchIndex,
    officer: &Officer,
    f: &QueueFilter,
    status_column: &str,
) {
    push_scope(q, officer);
    let statuses: Vec<String> = if f.statuses.is_empty() {
        OPEN_STATUSES.iter().map(|s| s.to_string()).collect()
    } else {
        f.statuses.clone()
    };
    q.push(" AND ").push(status_column).push(" IN (");
    let mut list = q.separated(", ");
    for s in statuses {
        list.push_bind(s);
    }
    q.push(")");
    if let Some(m) = &f.method {
        q.push(" AND r.method_key = ").push_bind(m.clone());
    }
    if let Some(c) = &f.channel {
        q.push(" AND r.channel = ").push_bind(c.clone());
    }
    if let Some(p) = f.place_code {
        q.push(" AND r.place_code = ").push_bind(p);
    }
    if let Some(t) = f.from {
        q.push(" AND r.created_at >= ").push_bind(t);
    }
    if let Some(t) = f.to {
        q.push(" AND r.created_at < ").push_bind(t);
    }
    if let Some(a) = f.min_amount {
        q.push(" AND r.amount_lost_vnd >= ").push_bind(a);
    }
    if let Some(a) = f.max_amount {
        q.push(" AND r.amount_lost_vnd <= ").push_bind(a);
    }
    if let Some(u) = f.unit_id {
        q.push(" AND r.unit_id = ").push_bind(u);
    }
    match f.assignee_id {
        Some(0) => {
            q.push(" AND r.assignee_id IS NULL");
        }
        Some(a) => {
            q.push(" AND r.assignee_id = ").push_bind(a);
        }
        None => {}
    }
    if let Some(text) = f.search.as_deref() {
        push_search(q, search, &Search::of(text));
    }
}

/// The candidates of the queue without a search, each read through an index: the
/// largest losses, the longest waiting, and every report with a transfer in the golden
/// hours. Closes the `cand` table.
fn push_candidates(
    q: &mut Sql<'_>,
    search: &SearchIndex,
    status_hint: &str,
    officer: &Officer,
    filter: &QueueFilter,
    golden_since: i64,
    now: i64,
) {
    // `status_hint` (see `queue`): the amount index (or the commune's) gives the order.
    push_filter_with(q, search, officer, filter, status_hint);
    q.push(" ORDER BY r.amount_lost_vnd DESC LIMIT ")
        .push_bind(QUEUE_CANDIDATES)
        .push(") AS by_amount UNION SELECT id FROM (SELECT r.id FROM reports r WHERE 1 = 1");
    push_filter(q, search, officer, filter);
    q.push(" ORDER BY r.created_at LIMIT ")
        .push_bind(QUEUE_CANDIDATES / 4)
        .push(") AS by_age UNION SELECT r.id FROM reports r WHERE r.id IN (SELECT report_id FROM transfers WHERE transferred_at >= ")
        .push_bind(golden_since)
        .push(" AND transferred_at <= ")
        .push_bind(now + 300)
        .push(")");
    // The hint again: SQLite otherwise walks every open report through the status
    // index to test it against the few transfers of the day (0.73 s of 0.88 s with
    // 1,000,000 reports); with it, the day's transfers lead to their reports by id.
    push_filter_with(q, search, officer, filter, status_hint);
    q.push(")");
}

/// Reports with the tracking code; or naming one of the identifiers, or whose
/// narrative has all the words.
fn push_search(q: &mut Sql<'_>, search: &SearchIndex, s: &Search) {
    if let Some(code) = &s.code {
        q.push(" AND r.tracking_code = ").push_bind(code.clone());
        return;
    }
    if s.keys.is_empty() && s.words.is_none() {
        return;
    }
    // One `IN` over a union, so that SQLite reads the few matching reports by id
    // instead of testing every report against two lists (0.65 s for a phone number
    // among 1,000,000 reports with `IN (…) OR IN (…)`).
    q.push(" AND r.id IN (");
    let mut first = true;
    if !s.keys.is_empty() {
        q.push("SELECT report_id FROM report_identifiers WHERE identifier_key IN (");
        let mut list = q.separated(", ");
        for k in s.keys.iter().take(80) {
            list.push_bind(k.clone());
        }
        q.push(")");
        first = false;
    }
    if let Some(words) = &s.words {
        if !first {
            q.push(" UNION ");
        }
        search.push_matches(q, words);
    }
    q.push(")");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_words_are_folded_and_quoted() {
        assert_eq!(
            search_query("Lừa đảo  \"OR\" *"),
            Some("\"lua\" \"dao\" \"or\"".into())
        );
        assert_eq!(search_query("  !! "), None);
    }
}
