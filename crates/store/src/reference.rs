//! Reference data loaded on first start: the scam-method catalogue, the banks and the
//! communes/wards of every province (2025 divisions, from the PyPI package
//! vietnam-provinces 2025.10.1; `data/divisions-vn-2025.json`).

use crate::db::Pool;
use canhgiac_core::banks::Banks;
use canhgiac_core::fold::fold;
use canhgiac_core::methods::Catalogue;
use serde::Deserialize;

use crate::StoreError;

const DIVISIONS_JSON: &str = include_str!("../../../data/divisions-vn-2025.json");

/// A province.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Province {
    /// Code in the 2025 divisions.
    pub code: i64,
    /// Name ("Đồng Nai").
    pub name: String,
}

/// A commune or ward.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Place {
    /// Code in the 2025 divisions.
    pub code: i64,
    /// Name ("Phường Trấn Biên").
    pub name: String,
}

#[derive(Deserialize)]
struct Divisions {
    provinces: Vec<DivProvince>,
}

#[derive(Deserialize)]
struct DivProvince {
    code: i64,
    name: String,
    wards: Vec<DivWard>,
}

#[derive(Deserialize)]
struct DivWard {
    code: i64,
    name: String,
    #[serde(rename = "type")]
    kind: String,
}

fn divisions() -> Result<Divisions, StoreError> {
    serde_json::from_str(DIVISIONS_JSON)
        .map_err(|e| StoreError::Corrupt(format!("divisions data: {e}")))
}

/// Loads each reference table that is still empty.
pub(crate) async fn load_if_empty(pool: &Pool) -> Result<(), StoreError> {
    let mut tx = pool.begin().await?;
    let (methods,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM methods")
        .fetch_one(&mut *tx)
        .await?;
    if methods == 0 {
        for m in Catalogue::get().all() {
            let data = serde_json::to_string(m).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            sqlx::query(
                "INSERT INTO methods (key, grp, name_vi, name_en, data) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(&m.key)
            .bind(&m.group)
            .bind(&m.name_vi)
            .bind(&m.name_en)
            .bind(&data)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO method_versions (key, version, data) VALUES ($1, 1, $2) ON CONFLICT DO NOTHING",
            )
            .bind(&m.key)
            .bind(&data)
            .execute(&mut *tx)
            .await?;
        }
    }
    let (banks,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM banks")
        .fetch_one(&mut *tx)
        .await?;
    if banks == 0 {
        for b in Banks::get().all() {
            sqlx::query("INSERT INTO banks (code, bin, short_name, name_vi, name_en) VALUES ($1, $2, $3, $4, $5)")
                .bind(&b.code)
                .bind(&b.bin)
                .bind(&b.short_name)
                .bind(&b.name_vi)
                .bind(&b.name_en)
                .execute(&mut *tx)
                .await?;
        }
    }
    let (places,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM places")
        .fetch_one(&mut *tx)
        .await?;
    if places == 0 {
        for p in divisions()?.provinces {
            sqlx::query(
                "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT(key) DO NOTHING",
            )
            .bind(format!("province:{}", p.code))
            .bind(&p.name)
            .execute(&mut *tx)
            .await?;
            for w in p.wards {
                sqlx::query(
                    "INSERT INTO places (code, province_code, name, kind) VALUES ($1, $2, $3, $4)",
                )
                .bind(w.code)
                .bind(p.code)
                .bind(&w.name)
                .bind(&w.kind)
                .execute(&mut *tx)
                .await?;
            }
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Finds the configured province by code or by name, with or without diacritics and
/// the "Thành phố"/"Tỉnh" prefix.
pub(crate) async fn province(pool: &Pool, wanted: &str) -> Result<Province, StoreError> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT key, value FROM settings WHERE key LIKE 'province:%'")
            .fetch_all(pool)
            .await?;
    let want = fold(wanted.trim());
    let strip = |s: &str| -> String {
        let f = fold(s);
        f.strip_prefix("thanh pho ")
            .or_else(|| f.strip_prefix("tinh "))
            .unwrap_or(&f)
            .to_string()
    };
    for (key, name) in &rows {
        let code: i64 = key
            .trim_start_matches("province:")
            .parse()
            .map_err(|_| StoreError::Corrupt(key.clone()))?;
        if want == code.to_string() || strip(name) == strip(&want) {
            return Ok(Province {
                code,
                name: name.clone(),
            });
        }
    }
    let names: Vec<&str> = rows.iter().map(|(_, n)| n.as_str()).collect();
    Err(StoreError::Config(format!(
        "unknown province {wanted:?}; known: {}",
        names.join(", ")
    )))
}

/// The communes and wards of a province, sorted by code.
pub(crate) async fn places(pool: &Pool, province_code: i64) -> Result<Vec<Place>, StoreError> {
    Ok(
        sqlx::query_as("SELECT code, name FROM places WHERE province_code = $1 ORDER BY code")
            .bind(province_code)
            .fetch_all(pool)
            .await?,
    )
}
