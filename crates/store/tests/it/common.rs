//! Shared helpers: a store over a real SQLite file in a temporary directory.

use canhgiac_store::{Store, StoreConfig};

/// Opens (or creates) the store in `dir`.
pub async fn open(dir: &std::path::Path) -> Store {
    let database_url = canhgiac_store::testing::database_url_for(dir)
        .await
        .expect("test database");
    let store = Store::open(&StoreConfig {
        data_dir: dir.to_path_buf(),
        database_url,
        data_key: None,
        province: "Đồng Nai".into(),
        cache_mib: 8,
    })
    .await
    .expect("store opens");
    // Each read ranks the queue anew: the tests change reports and look at once.
    store.set_queue_ranking_ttl(std::time::Duration::ZERO);
    store
}
