//! Police units of the province: provincial departments, and the police of each
//! commune/ward. Created on first start from the province's divisions.

use serde::Serialize;

use crate::{Store, StoreError};

/// The provincial departments created on first start: (code, name).
pub const PROVINCIAL_UNITS: [(&str, &str); 3] = [
    (
        "PA05",
        "Phòng An ninh mạng và phòng, chống tội phạm sử dụng công nghệ cao",
    ),
    ("PC02", "Phòng Cảnh sát hình sự"),
    ("PC03", "Phòng Cảnh sát kinh tế"),
];

/// The unit that receives reports no one has assigned yet.
pub const INTAKE_UNIT: &str = "PA05";

/// One unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Unit {
    /// Id.
    pub id: i64,
    /// Code (`PA05`, or `X` + the commune code).
    pub code: String,
    /// Name.
    pub name: String,
    /// `province` or `commune`.
    pub kind: String,
    /// The commune/ward served.
    pub place_code: Option<i64>,
}

impl Store {
    /// Creates the units of the province if there are none.
    pub(crate) async fn create_units_if_empty(&self) -> Result<(), StoreError> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM units")
            .fetch_one(&self.pool)
            .await?;
        if n > 0 {
            return Ok(());
        }
        let mut tx = crate::db::begin_write(&self.pool).await?;
        for (code, name) in PROVINCIAL_UNITS {
            sqlx::query("INSERT INTO units (code, name, kind) VALUES ($1, $2, 'province')")
                .bind(code)
                .bind(format!("{name} Công an tỉnh {}", self.province.name))
                .execute(&mut *tx)
                .await?;
        }
        for place in &self.places {
            sqlx::query(
                "INSERT INTO units (code, name, kind, place_code) VALUES ($1, $2, 'commune', $3)",
            )
            .bind(format!("X{}", place.code))
            .bind(format!("Công an {}", lower_first(&place.name)))
            .bind(place.code)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Every unit, provincial departments first.
    pub async fn units(&self) -> Result<Vec<Unit>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT id, code, name, kind, place_code FROM units ORDER BY kind DESC, name",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    /// One unit by code.
    pub async fn unit_by_code(&self, code: &str) -> Result<Option<Unit>, StoreError> {
        Ok(
            sqlx::query_as("SELECT id, code, name, kind, place_code FROM units WHERE code = $1")
                .bind(code.trim())
                .fetch_optional(&self.pool)
                .await?,
        )
    }
}

/// "Phường Trấn Biên" → "phường Trấn Biên" (as in "Công an phường Trấn Biên").
fn lower_first(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn commune_unit_names_read_naturally() {
        assert_eq!(super::lower_first("Phường Trấn Biên"), "phường Trấn Biên");
        assert_eq!(super::lower_first("Xã Đại Phước"), "xã Đại Phước");
    }
}
