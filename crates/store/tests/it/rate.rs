//! Rate limits kept in the database (shared by every node on PostgreSQL).

use std::sync::Arc;
use std::time::Duration;

use canhgiac_store::rate::RateRule;

use crate::common::open;

const T0: i64 = 1_800_000_000_000;

#[tokio::test]
async fn a_client_gets_its_quota_and_the_window_slides() {
    let dir = tempfile::tempdir().expect("dir");
    let store = open(dir.path()).await;
    let rule = RateRule {
        bucket: "test",
        per_client: 2,
        window: Duration::from_secs(60),
    };
    let take = |client: &'static str, at: i64| {
        let store = &store;
        async move { store.rate_take(&rule, client, at).await.expect("counted") }
    };
    assert_eq!(take("a", T0).await, Ok(()));
    assert_eq!(take("a", T0 + 1_000).await, Ok(()));
    assert_eq!(take("a", T0 + 2_000).await, Err(Duration::from_secs(58)));
    assert_eq!(take("b", T0 + 2_000).await, Ok(()), "another client");
    assert_eq!(take("a", T0 + 61_000).await, Ok(()), "the window slides");

    let clients: Vec<String> = sqlx::query_scalar("SELECT client FROM rate_events")
        .fetch_all(store.pool())
        .await
        .expect("rows");
    assert_eq!(
        clients.len(),
        2,
        "a client's expired events go as it is counted"
    );
    assert!(
        clients
            .iter()
            .all(|c| c.len() == 32 && c != "a" && c != "b"),
        "clients are kept as fingerprints: {clients:?}"
    );
    assert_eq!(
        store
            .sweep_rate_events(T0 + 3_700_000)
            .await
            .expect("swept"),
        2
    );
}

#[tokio::test]
async fn concurrent_takes_never_exceed_the_quota() {
    let dir = tempfile::tempdir().expect("dir");
    let store = Arc::new(open(dir.path()).await);
    let rule = RateRule {
        bucket: "test",
        per_client: 5,
        window: Duration::from_secs(600),
    };
    let mut tasks = Vec::new();
    for i in 0..20 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            store.rate_take(&rule, "same", T0 + i).await
        }));
    }
    let mut allowed = 0;
    for t in tasks {
        if t.await.expect("joined").expect("counted").is_ok() {
            allowed += 1;
        }
    }
    assert_eq!(allowed, 5, "exactly the quota, whatever the interleaving");
}
