//! Indicators as CSV rows, one per indicator, with a heading row.

use super::{timestamp, Indicator};

/// The heading row's columns.
pub const COLUMNS: [&str; 11] = [
    "kind",
    "value",
    "display",
    "status",
    "methods",
    "report_count",
    "first_seen",
    "last_seen",
    "created_at",
    "changed_at",
    "key",
];

/// The heading row.
pub fn heading() -> String {
    row(COLUMNS.iter().map(|c| c.to_string()))
}

/// One indicator's row.
pub fn indicator_row(indicator: &Indicator) -> String {
    let opt = |t: Option<i64>| t.map(timestamp).unwrap_or_default();
    row([
        indicator.kind.as_str().to_string(),
        indicator.value.clone(),
        indicator.display.clone(),
        indicator.status.as_str().to_string(),
        indicator.methods.join(";"),
        indicator.report_count.to_string(),
        opt(indicator.first_seen),
        opt(indicator.last_seen),
        timestamp(indicator.created_at),
        timestamp(indicator.modified_at()),
        indicator.key.clone(),
    ])
}

fn row(fields: impl IntoIterator<Item = String>) -> String {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Writing to memory fails only on a bug in csv; an empty row is the fallback.
    let fields: Vec<String> = fields.into_iter().map(|f| defuse(&f)).collect();
    if writer.write_record(&fields).is_err() {
        return "\r\n".to_string();
    }
    writer
        .into_inner()
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .unwrap_or_default()
}

/// A cell a spreadsheet would run as a formula gets a leading apostrophe.
fn defuse(field: &str) -> String {
    match field.chars().next() {
        Some('=' | '@' | '\t' | '\r') => format!("'{field}"),
        Some('-') if field.len() > 1 => format!("'{field}"),
        _ => field.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicator::{sample, IndicatorStatus};
    use crate::IdentifierKind;

    #[test]
    fn rows_quote_and_defuse() {
        let mut i = sample(
            IdentifierKind::Social,
            "facebook:a,b",
            IndicatorStatus::Active,
        );
        i.display = "=HYPERLINK(\"x\")".to_string();
        let line = indicator_row(&i);
        assert!(line.starts_with("social,\"facebook:a,b\",\"'=HYPERLINK(\"\"x\"\")\",active,"));
        assert!(line.ends_with("\r\n"));
        assert_eq!(heading().split(',').count(), COLUMNS.len());
    }
}
