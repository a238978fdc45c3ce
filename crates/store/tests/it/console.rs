//! Accounts, sessions, the audit chain, the queue and report handling against a real
//! SQLite file.

use canhgiac_core::i18n::Lang;
use canhgiac_core::intake::{validate, ReportInput};
use canhgiac_core::roles::Role;
use canhgiac_store::audit::{Actor, AuditCheck};
use canhgiac_store::console::QueueFilter;
use canhgiac_store::db::Backend;
use canhgiac_store::handling::{BulkAction, Step, StepError};
use canhgiac_store::officers::{AccountError, LoginOutcome, NewOfficer, Officer};
use canhgiac_store::{LookupIndex, NewReport, Source, Store};

use crate::common::open;

const NOW: i64 = 1_780_000_000;
const PASSWORD: &str = "mật khẩu đủ dài 2026";

fn report(json: &str, created_at: i64) -> NewReport {
    let input: ReportInput = serde_json::from_str(json).expect("json");
    let report = validate(&input, Lang::Vi, created_at, &|_| true).expect("valid");
    NewReport {
        report,
        source: Source::Api,
        created_at,
        idempotency_key: None,
        request_hash: None,
    }
}

async fn officer(store: &Store, name: &str, role: Role, unit: &str) -> Officer {
    store
        .add_officer(
            NewOfficer {
                username: name.into(),
                display_name: format!("Cán bộ {name}"),
                role,
                unit_code: unit.into(),
                password: PASSWORD.into(),
            },
            &Actor::cli(),
        )
        .await
        .expect("store")
        .expect("valid account");
    match store.login(name, PASSWORD).await.expect("store") {
        LoginOutcome::Ok { officer, .. } => officer,
        other => panic!("login failed: {other:?}"),
    }
}

#[tokio::test]
async fn accounts_lock_after_five_failures_and_sessions_open_with_tokens() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(dir.path()).await;
    let created = store
        .add_officer(
            NewOfficer {
                username: "lan".into(),
                display_name: "Lan".into(),
                role: Role::Investigator,
                unit_code: "NOPE".into(),
                password: PASSWORD.into(),
            },
            &Actor::cli(),
        )
        .await
        .expect("store");
    assert_eq!(created, Err(AccountError::UnknownUnit("NOPE".into())));
    let lan = officer(&store, "lan", Role::Investigator, "PA05").await;
    assert!(lan.provincial);
    assert!(lan.unit_name.contains("Công nghệ cao") || lan.unit_name.contains("công nghệ cao"));

    for _ in 0..4 {
        assert_eq!(
            store.login("lan", "sai mật khẩu rồi").await.expect("store"),
            LoginOutcome::Invalid
        );
    }
    assert!(matches!(
        store.login("lan", "sai mật khẩu rồi").await.expect("store"),
        LoginOutcome::Locked { .. }
    ));
    // Even the right password is refused while locked.
    assert!(matches!(
        store.login("LAN", PASSWORD).await.expect("store"),
        LoginOutcome::Locked { .. }
    ));
    assert_eq!(
        store.login("nobody", PASSWORD).await.expect("store"),
        LoginOutcome::Invalid
    );

    let store2 = open(tempfile::tempdir().expect("tempdir").path()).await;
    drop(store2);
    let minh = officer(&store, "minh", Role::Leader, "PA05").await;
    let LoginOutcome::Ok { token, csrf, .. } = store.login("minh", PASSWORD).await.expect("store")
    else {
        panic!("login");
    };
    let session = store.session(&token).await.expect("store").expect("valid");
    assert_eq!(session.officer, minh);
    assert_eq!(session.csrf, csrf);
    assert!(store.session("forged").await.expect("store").is_none());
    store.logout(&token, &minh).await.expect("logout");
    assert!(store.session(&token).await.expect("store").is_none());

    // The audit log has every attempt and is intact.
    let actions: Vec<String> = store
        .audit_entries(None, 100, None)
        .await
        .expect("audit")
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(actions.iter().filter(|a| *a == "login.failed").count(), 4);
    assert!(actions.contains(&"login.lockout".to_string()));
    assert!(actions.contains(&"login.locked".to_string()));
    assert!(matches!(
        store.verify_audit().await.expect("verify"),
        AuditCheck::Intact { .. }
    ));
}

#[tokio::test]
async fn a_changed_or_removed_audit_entry_breaks_the_chain() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(dir.path()).await;
    for name in ["anh", "binh", "chi"] {
        officer(&store, name, Role::Analyst, "PA05").await;
    }
    let AuditCheck::Intact { entries, .. } = store.verify_audit().await.expect("verify") else {
        panic!("intact at first");
    };
    assert_eq!(entries, 6);
    // The triggers refuse edits through SQL...
    let refused = sqlx::query("UPDATE audit_log SET reason = 'x' WHERE seq = 2")
        .execute(store.pool())
        .await;
    assert!(refused.is_err());
    assert!(sqlx::query("DELETE FROM audit_log WHERE seq = 2")
        .execute(store.pool())
        .await
        .is_err());
    // ...and someone who drops them is caught by the hashes.
    let on_table = match store.backend() {
        Backend::Sqlite => "",
        Backend::Postgres => " ON audit_log",
    };
    sqlx::query(&format!("DROP TRIGGER audit_log_no_update{on_table}"))
        .execute(store.pool())
        .await
        .expect("drop");
    sqlx::query("UPDATE audit_log SET target = 'officer:mallory' WHERE seq = 3")
        .execute(store.pool())
        .await
        .expect("tamper");
    assert!(matches!(
        store.verify_audit().await.expect("verify"),
        AuditCheck::Broken { seq: 3, .. }
    ));
    sqlx::query(&format!("DROP TRIGGER audit_log_no_delete{on_table}"))
        .execute(store.pool())
        .await
        .expect("drop");
    sqlx::query("DELETE FROM audit_log WHERE seq IN (3, 4)")
        .execute(store.pool())
        .await
        .expect("tamper");
    assert!(matches!(
        store.verify_audit().await.expect("verify"),
        AuditCheck::Broken { seq: 3, .. }
    ));
}

const CALL: &str = r#"{"channel": "call", "narrative": "Kẻ gian giả danh công an, nói tôi liên quan đường dây lừa đảo và bắt chuyển tiền", "amount_lost_vnd": 5000000, "place_code": 26041,
  "identifiers": [{"kind": "phone", "value": "0912 345 678"}],
  "reporter": {"name": "Trần Thị Bích Ngọc", "phone": "0987 111 222"}}"#;
const SHOP: &str = r#"{"channel": "facebook", "narrative": "Mua hàng online, chuyển khoản xong thì bị chặn", "amount_lost_vnd": 800000000,
  "identifiers": [{"kind": "phone", "value": "0912 345 678"}]}"#;
const SMALL: &str =
    r#"{"channel": "sms", "narrative": "Tin nhắn trúng thưởng", "amount_lost_vnd": 100000}"#;

/// The tracking code of the SMS report, as the queue lists it.
async fn page_code(store: &Store, lead: &Officer, index: &LookupIndex) -> String {
    let filter = QueueFilter {
        channel: Some("sms".into()),
        ..QueueFilter::default()
    };
    let page = store.queue(lead, &filter, index, NOW).await.expect("queue");
    page.items[0].tracking_code.clone()
}

#[tokio::test]
async fn the_queue_ranks_filters_searches_and_respects_units() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(dir.path()).await;
    store
        .insert_report(report(SMALL, NOW - 10 * 86_400))
        .await
        .expect("stored");
    store
        .insert_report(report(CALL, NOW - 3_600))
        .await
        .expect("stored");
    store
        .insert_report(report(SHOP, NOW - 7_200))
        .await
        .expect("stored");
    let index = LookupIndex::new();
    index.catch_up(&store).await.expect("index");
    let lead = officer(&store, "lead", Role::Leader, "PA05").await;

    let page = store
        .queue(&lead, &QueueFilter::default(), &index, NOW)
        .await
        .expect("queue");
    assert_eq!(page.total, 3);
    let order: Vec<&str> = page.items.iter().map(|i| i.channel.as_str()).collect();
    assert_eq!(order, ["facebook", "call", "sms"], "the biggest loss first");
    assert_eq!(page.items[0].linked_reports, 1);

    let search = |q: &str| QueueFilter {
        search: Some(q.into()),
        ..QueueFilter::default()
    };
    for q in ["lua dao", "LỪA ĐẢO", "gia danh cong an", "đường dây"] {
        let page = store
            .queue(&lead, &search(q), &index, NOW)
            .await
            .expect("queue");
        assert_eq!(page.total, 1, "{q}");
        assert_eq!(page.items[0].channel, "call");
    }
    // An identifier in any spelling finds the reports that name it (the CALL and SHOP
    // reports both name 0912 345 678), and a tracking code its report.
    for q in ["0912345678", "+84 912.345.678", "84912345678"] {
        let page = store
            .queue(&lead, &search(q), &index, NOW)
            .await
            .expect("queue");
        let mut channels: Vec<&str> = page.items.iter().map(|i| i.channel.as_str()).collect();
        channels.sort_unstable();
        assert_eq!(channels, ["call", "facebook"], "{q}");
    }
    let code = page_code(&store, &lead, &index).await;
    let page = store
        .queue(&lead, &search(&code.to_lowercase()), &index, NOW)
        .await
        .expect("queue");
    assert_eq!(page.total, 1);
    assert_eq!(page.items[0].tracking_code, code);
    let page = store
        .queue(&lead, &search("\"OR\" NEAR(*"), &index, NOW)
        .await
        .expect("hostile query is only words");
    assert_eq!(page.total, 0);
    let filter = QueueFilter {
        min_amount: Some(1_000_000),
        channel: Some("call".into()),
        ..QueueFilter::default()
    };
    assert_eq!(
        store
            .queue(&lead, &filter, &index, NOW)
            .await
            .expect("queue")
            .total,
        1
    );

    // A commune unit sees only its commune's unassigned reports.
    let commune = officer(&store, "congan.xa", Role::Investigator, "X26041").await;
    let page = store
        .queue(&commune, &QueueFilter::default(), &index, NOW)
        .await
        .expect("queue");
    assert_eq!(page.total, 1);
    assert_eq!(page.items[0].channel, "call");
}

#[tokio::test]
async fn handling_follows_the_statutory_clock_and_roles() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(dir.path()).await;
    store
        .insert_report(report(CALL, NOW - 3_600))
        .await
        .expect("stored");
    store
        .insert_report(report(SMALL, NOW - 3_600))
        .await
        .expect("stored");
    store
        .insert_report(report(SMALL, NOW - 3_600))
        .await
        .expect("stored");
    let index = LookupIndex::new();
    index.catch_up(&store).await.expect("index");
    let inv = officer(&store, "inv", Role::Investigator, "PA05").await;
    let other = officer(&store, "other", Role::Investigator, "PA05").await;
    let lead = officer(&store, "lead", Role::Leader, "PA05").await;
    let analyst = officer(&store, "ana", Role::Analyst, "PA05").await;

    assert_eq!(
        store
            .record_step(&analyst, 1, Step::Receive, NOW)
            .await
            .expect("store"),
        Err(StepError::Forbidden)
    );
    store
        .record_step(&inv, 1, Step::Receive, NOW)
        .await
        .expect("store")
        .expect("received");
    assert_eq!(
        store
            .record_step(&other, 1, Step::Receive, NOW)
            .await
            .expect("store"),
        Err(StepError::NotAssignee)
    );
    let r = store
        .officer_report(&inv, 1, &index)
        .await
        .expect("store")
        .expect("visible");
    assert_eq!(r.status, "accepted");
    assert_eq!(r.assignee.as_ref().map(|a| a.0), Some(inv.id));
    let clock = r.clock.expect("clock runs");
    assert_eq!((clock.deadline - clock.received).whole_days(), 20);

    // Only the assignee asks; only a leader approves; the law caps the date.
    let too_far = clock.received + time::Duration::days(70);
    assert_eq!(
        store
            .record_step(
                &other,
                1,
                Step::RequestExtension {
                    until: too_far,
                    reason: "phức tạp".into()
                },
                NOW
            )
            .await
            .expect("store"),
        Err(StepError::NotAssignee)
    );
    assert!(matches!(
        store
            .record_step(
                &inv,
                1,
                Step::RequestExtension {
                    until: too_far,
                    reason: "phức tạp".into()
                },
                NOW
            )
            .await
            .expect("store"),
        Err(StepError::Clock(_))
    ));
    let until = clock.received + time::Duration::days(50);
    store
        .record_step(
            &inv,
            1,
            Step::RequestExtension {
                until,
                reason: "Cần xác minh ở nhiều nơi".into(),
            },
            NOW,
        )
        .await
        .expect("store")
        .expect("requested");
    let pending = store
        .officer_report(&lead, 1, &index)
        .await
        .expect("store")
        .expect("visible")
        .pending_extension
        .expect("pending");
    assert_eq!(
        store
            .record_step(
                &inv,
                1,
                Step::ApproveExtension {
                    request_id: pending.0
                },
                NOW
            )
            .await
            .expect("store"),
        Err(StepError::Forbidden)
    );
    store
        .record_step(
            &lead,
            1,
            Step::ApproveExtension {
                request_id: pending.0,
            },
            NOW,
        )
        .await
        .expect("store")
        .expect("approved");
    let r = store
        .officer_report(&inv, 1, &index)
        .await
        .expect("store")
        .expect("visible");
    assert_eq!(r.clock.expect("clock").deadline, until);
    assert!(r.pending_extension.is_none());

    // Decisions are a leader's.
    assert_eq!(
        store
            .record_step(
                &inv,
                1,
                Step::OpenCase {
                    reason: "QĐ 12".into()
                },
                NOW
            )
            .await
            .expect("store"),
        Err(StepError::Forbidden)
    );
    assert_eq!(
        store
            .record_step(&lead, 1, Step::OpenCase { reason: " ".into() }, NOW)
            .await
            .expect("store"),
        Err(StepError::ReasonRequired)
    );
    store
        .record_step(
            &lead,
            1,
            Step::OpenCase {
                reason: "Quyết định khởi tố số 12".into(),
            },
            NOW,
        )
        .await
        .expect("store")
        .expect("decided");
    assert_eq!(
        store
            .officer_report(&inv, 1, &index)
            .await
            .expect("store")
            .expect("visible")
            .status,
        "case_opened"
    );

    // Bulk: merge the duplicate, then not-a-crime needs a reason.
    assert_eq!(
        store
            .bulk(&inv, &[2, 3], BulkAction::Merge, NOW)
            .await
            .expect("store"),
        Err(StepError::Forbidden)
    );
    assert_eq!(
        store
            .bulk(&lead, &[2, 3], BulkAction::Merge, NOW)
            .await
            .expect("store"),
        Ok(1)
    );
    assert_eq!(
        store
            .bulk(
                &lead,
                &[2],
                BulkAction::NotCrime {
                    reason: String::new()
                },
                NOW
            )
            .await
            .expect("store"),
        Err(StepError::ReasonRequired)
    );
    assert_eq!(
        store
            .bulk(
                &lead,
                &[2],
                BulkAction::NotCrime {
                    reason: "Tranh chấp dân sự".into()
                },
                NOW
            )
            .await
            .expect("store"),
        Ok(1)
    );

    // Reporter contact: never for analysts; audited for others.
    assert_eq!(
        store
            .reporter_contact(&analyst, 1, "xem")
            .await
            .expect("store"),
        Err(StepError::Forbidden)
    );
    let contact = store
        .reporter_contact(&inv, 1, "Gọi lại để lấy lời khai")
        .await
        .expect("store")
        .expect("allowed")
        .expect("given");
    assert_eq!(contact.name.as_deref(), Some("Trần Thị Bích Ngọc"));
    let views = store
        .audit_entries(None, 10, Some("reporter.view"))
        .await
        .expect("audit");
    assert_eq!(views.len(), 1);
    assert_eq!(views[0].reason, "Gọi lại để lấy lời khai");

    // Verifying an identifier reaches the public index through the changes log.
    store
        .set_identifier_status(
            &inv,
            "phone:+84912345678",
            true,
            Some("none"),
            "Đã xác minh qua 3 vụ",
            NOW,
        )
        .await
        .expect("store")
        .expect("verified");
    index.catch_up(&store).await.expect("index");
    let stats = index.get("phone:+84912345678").expect("known");
    assert_eq!(stats.level(), canhgiac_core::Level::Dangerous);
    store
        .set_identifier_status(
            &lead,
            "phone:+84912345678",
            false,
            Some("verified"),
            "Khiếu nại hợp lệ",
            NOW + 60,
        )
        .await
        .expect("store")
        .expect("cleared");
    index.catch_up(&store).await.expect("index");
    assert_eq!(
        index.get("phone:+84912345678").expect("known").level(),
        canhgiac_core::Level::Cleared
    );

    // Partners read the decisions: by key in pages, and by sequence as a feed.
    let decided = store.decided_page("", None, 10).await.expect("page");
    assert_eq!(decided.len(), 1);
    assert_eq!(decided[0].key, "phone:+84912345678");
    assert!(!decided[0].verified);
    assert_eq!(decided[0].decided_at, NOW + 60);
    let phones = store
        .decided_page("", Some(canhgiac_core::IdentifierKind::Phone), 10)
        .await
        .expect("page");
    assert_eq!(phones.len(), 1);
    let urls = store
        .decided_page("", Some(canhgiac_core::IdentifierKind::Url), 10)
        .await
        .expect("page");
    assert!(urls.is_empty());
    assert!(store
        .decided_page("phone:+84912345678", None, 10)
        .await
        .expect("page")
        .is_empty());
    let feed = store.decision_changes(0, 10).await.expect("feed");
    assert_eq!(feed.len(), 2);
    assert!(feed[0].decided.verified && !feed[1].decided.verified);
    let after = store.decision_changes(feed[0].seq, 10).await.expect("feed");
    assert_eq!(after.len(), 1);
    assert_eq!(after[0].seq, feed[1].seq);
    assert!(matches!(
        store.verify_audit().await.expect("verify"),
        AuditCheck::Intact { .. }
    ));
}

#[tokio::test]
async fn retention_removes_contacts_of_closed_matters_and_keeps_statistics() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(dir.path()).await;
    store
        .insert_report(report(CALL, NOW - 400 * 86_400))
        .await
        .expect("stored");
    store
        .insert_report(report(CALL, NOW - 400 * 86_400))
        .await
        .expect("stored");
    let lead = officer(&store, "lead", Role::Leader, "PA05").await;
    // Report 1 is closed (not a crime); report 2 is still open.
    store
        .bulk(
            &lead,
            &[1],
            BulkAction::NotCrime {
                reason: "Dân sự".into(),
            },
            NOW - 380 * 86_400,
        )
        .await
        .expect("store")
        .expect("closed");
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let dry = store
        .purge_personal_data(now + 1, true, &Actor::cli())
        .await
        .expect("dry run");
    assert_eq!(dry.reports, 1);
    assert!(
        store
            .reporter_contact(&lead, 1, "kiểm tra")
            .await
            .expect("store")
            .expect("allowed")
            .is_some(),
        "a dry run removes nothing"
    );
    let done = store
        .purge_personal_data(now + 1, false, &Actor::cli())
        .await
        .expect("purge");
    assert_eq!(done.reports, 1);
    assert_eq!(
        store
            .reporter_contact(&lead, 1, "kiểm tra")
            .await
            .expect("store")
            .expect("allowed"),
        None
    );
    assert!(
        store
            .reporter_contact(&lead, 2, "kiểm tra")
            .await
            .expect("store")
            .expect("allowed")
            .is_some(),
        "open reports keep it"
    );
    // Statistics are unchanged.
    let index = LookupIndex::new();
    index.catch_up(&store).await.expect("index");
    let stats = index.get("phone:+84912345678").expect("known");
    assert_eq!((stats.report_count, stats.reporter_count), (2, 1));
    let purges = store
        .audit_entries(None, 10, Some("retention.purge"))
        .await
        .expect("audit");
    assert_eq!(purges.len(), 1);
    assert!(matches!(
        store.verify_audit().await.expect("verify"),
        AuditCheck::Intact { .. }
    ));
}

#[tokio::test]
async fn a_lost_search_file_is_rebuilt_at_start() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(dir.path()).await;
    store
        .insert_report(report(CALL, NOW - 3_600))
        .await
        .expect("stored");
    store
        .insert_report(report(SHOP, NOW - 3_600))
        .await
        .expect("stored");
    let lead = officer(&store, "lead", Role::Leader, "PA05").await;
    let index = LookupIndex::new();
    let search = QueueFilter {
        search: Some("duong day".into()),
        ..QueueFilter::default()
    };
    assert_eq!(
        store
            .queue(&lead, &search, &index, NOW)
            .await
            .expect("queue")
            .total,
        1
    );
    match store.backend() {
        // The index is a file of its own: lose it.
        Backend::Sqlite => {
            drop(store);
            for name in ["search.db", "search.db-wal", "search.db-shm"] {
                let _ = std::fs::remove_file(dir.path().join(name));
            }
        }
        // The index is a table: empty it.
        Backend::Postgres => {
            sqlx::query("DELETE FROM report_search")
                .execute(store.pool())
                .await
                .expect("emptied");
            drop(store);
        }
    }
    let store = open(dir.path()).await;
    assert_eq!(
        store
            .queue(&lead, &search, &index, NOW)
            .await
            .expect("queue")
            .total,
        0,
        "the file is new"
    );
    assert_eq!(store.index_search_backlog().await.expect("backlog"), 2);
    assert_eq!(
        store
            .queue(&lead, &search, &index, NOW)
            .await
            .expect("queue")
            .total,
        1,
        "reindexed"
    );
}

#[tokio::test]
async fn a_shared_ranking_shows_rows_as_they_are_now() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(dir.path()).await;
    store.set_queue_ranking_ttl(std::time::Duration::from_secs(300));
    for r in [report(CALL, NOW - 3_600), report(SMALL, NOW - 3_600)] {
        store.insert_report(r).await.expect("stored");
    }
    let index = LookupIndex::new();
    index.catch_up(&store).await.expect("index");
    let inv = officer(&store, "inv", Role::Investigator, "PA05").await;
    let lead = officer(&store, "lead", Role::Leader, "PA05").await;
    let unassigned = QueueFilter {
        assignee_id: Some(0),
        ..QueueFilter::default()
    };
    let before = store
        .queue(&lead, &unassigned, &index, NOW)
        .await
        .expect("queue");
    assert_eq!(before.items.len(), 2);

    // Taken after the ranking: the shared ranking still names it, the page does not
    // show it as unassigned any more.
    store
        .record_step(&inv, before.items[0].id, Step::Receive, NOW)
        .await
        .expect("store")
        .expect("received");
    let after = store
        .queue(&lead, &unassigned, &index, NOW)
        .await
        .expect("queue");
    assert_eq!(after.items.len(), 1);
    assert_eq!(after.items[0].id, before.items[1].id);
    let all = store
        .queue(&lead, &QueueFilter::default(), &index, NOW)
        .await
        .expect("queue");
    let taken = all
        .items
        .iter()
        .find(|i| i.id == before.items[0].id)
        .expect("still open");
    assert_eq!(taken.status, "accepted");
    assert_eq!(taken.assignee.as_deref(), Some("Cán bộ inv"));

    // A report that arrives later joins the view at the next ranking.
    store
        .insert_report(report(SHOP, NOW - 60))
        .await
        .expect("stored");
    index.catch_up(&store).await.expect("index");
    let cached = store
        .queue(&lead, &QueueFilter::default(), &index, NOW)
        .await
        .expect("queue");
    assert_eq!(cached.items.len(), 2, "the ranking is shared for its time");
    store.set_queue_ranking_ttl(std::time::Duration::ZERO);
    let ranked = store
        .queue(&lead, &QueueFilter::default(), &index, NOW)
        .await
        .expect("queue");
    assert_eq!(ranked.items.len(), 3);
}

/// Makes every search write fail (as a full disk does) until `restore_search_writes`.
async fn fail_search_writes(store: &Store) {
    let statements: &[&str] = match store.backend() {
        Backend::Sqlite => &["CREATE TRIGGER search.fail_search BEFORE INSERT ON search_docs BEGIN SELECT RAISE(ABORT, 'database or disk is full (test)'); END"],
        Backend::Postgres => &[
            "CREATE FUNCTION fail_search() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full (test)'; END $$",
            "CREATE TRIGGER fail_search BEFORE INSERT ON report_search FOR EACH ROW EXECUTE FUNCTION fail_search()",
        ],
    };
    for sql in statements {
        sqlx::query(sql)
            .execute(store.pool())
            .await
            .expect("trigger");
    }
}

async fn restore_search_writes(store: &Store) {
    let sql = match store.backend() {
        Backend::Sqlite => "DROP TRIGGER search.fail_search",
        Backend::Postgres => "DROP TRIGGER fail_search ON report_search",
    };
    sqlx::query(sql)
        .execute(store.pool())
        .await
        .expect("dropped");
}

async fn search_entries(store: &Store) -> i64 {
    let sql = match store.backend() {
        Backend::Sqlite => "SELECT COUNT(*) FROM search.search_docs",
        Backend::Postgres => "SELECT COUNT(*) FROM report_search",
    };
    sqlx::query_scalar(sql)
        .fetch_one(store.pool())
        .await
        .expect("count")
}

#[tokio::test]
async fn a_failed_search_write_is_filled_by_the_follower_without_a_restart() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(dir.path()).await;
    store
        .insert_reports(vec![report(CALL, NOW - 3_600)])
        .await
        .expect("stored");
    assert_eq!(search_entries(&store).await, 1);
    fail_search_writes(&store).await;
    store
        .insert_reports(vec![report(SHOP, NOW - 3_000)])
        .await
        .expect("the report stands although its search entry could not be written");
    restore_search_writes(&store).await;
    // A later report is indexed: the gap is no longer at the tail.
    store
        .insert_reports(vec![report(CALL, NOW - 2_000)])
        .await
        .expect("stored");
    assert_eq!(search_entries(&store).await, 2);
    assert_eq!(
        store.follow_search_index().await.expect("follower"),
        1,
        "the follower reads the whole backlog after a failed write"
    );
    assert_eq!(search_entries(&store).await, 3);
    assert_eq!(store.follow_search_index().await.expect("follower"), 0);
}

/// The indexes (and on PostgreSQL the foreign keys) a bulk import suspends.
async fn bulk_suspended_parts(store: &Store) -> (i64, i64) {
    let (indexes, keys) = match store.backend() {
        Backend::Sqlite => (
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name IN \
             ('reports_by_status', 'reports_by_amount', 'reports_by_place', \
              'transfers_by_time', 'reports_by_time', 'report_identifiers_by_identifier')",
            "SELECT 0",
        ),
        Backend::Postgres => (
            "SELECT COUNT(*) FROM pg_indexes WHERE indexname IN \
             ('reports_by_status', 'reports_by_amount', 'reports_by_place', \
              'transfers_by_time', 'reports_by_time', 'report_identifiers_by_identifier')",
            "SELECT COUNT(*) FROM pg_constraint WHERE contype = 'f' AND convalidated \
             AND conrelid IN ('reports'::regclass, 'transfers'::regclass, \
                              'report_identifiers'::regclass)",
        ),
    };
    let indexes: i64 = sqlx::query_scalar(indexes)
        .fetch_one(store.pool())
        .await
        .expect("indexes");
    let keys: i64 = sqlx::query_scalar(keys)
        .fetch_one(store.pool())
        .await
        .expect("keys");
    (indexes, keys)
}

#[tokio::test]
async fn a_bulk_load_suspends_indexes_and_keys_and_an_open_puts_them_back_checked() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(dir.path()).await;
    let keys = match store.backend() {
        Backend::Sqlite => 0,
        Backend::Postgres => 8,
    };
    assert_eq!(bulk_suspended_parts(&store).await, (6, keys));
    store.bulk_load_begin().await.expect("bulk load");
    assert_eq!(bulk_suspended_parts(&store).await, (0, 0));
    store
        .insert_reports(vec![report(CALL, NOW - 3_600), report(SHOP, NOW - 3_000)])
        .await
        .expect("stored while suspended");
    // An import killed here: the next start puts everything back.
    drop(store);
    let store = open(dir.path()).await;
    assert_eq!(bulk_suspended_parts(&store).await, (6, keys));
    assert_eq!(store.report_count().await.expect("count"), 2);
    if store.backend() == Backend::Postgres {
        let orphan = sqlx::query(
            "INSERT INTO report_identifiers (report_id, identifier_key, role) \
             VALUES (999999, 'phone:+84900000000', 'contact')",
        )
        .execute(store.pool())
        .await;
        assert!(orphan.is_err(), "the foreign keys are enforced again");
    }
}
