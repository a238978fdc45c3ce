//! A MISP event (the JSON of MISP's event export and feeds) holding indicators as
//! attributes. Revoked indicators are attributes marked `deleted`, with `to_ids`
//! off, so a MISP that pulls the event again drops them from its exports.

use serde_json::{json, Value};
use uuid::Uuid;

use super::{timestamp, Indicator, IndicatorStatus};
use crate::ident::IdentifierKind;

const MISP_NAMESPACE: Uuid = uuid::uuid!("3c1f9a1e-4b0e-5d7a-8f3e-6d6973702d63");

/// The event's fixed fields.
#[derive(Debug, Clone)]
pub struct Event {
    /// What the event is ("canhgiac: chỉ dấu lừa đảo đã xác minh").
    pub info: String,
    /// The producing organisation.
    pub org: String,
    /// Unix seconds of the export.
    pub at: i64,
}

/// The start of `{"Event": {…, "Attribute": [`; attributes follow, then [`EVENT_TAIL`].
pub fn event_head(event: &Event) -> String {
    let date = timestamp(event.at);
    let mut head = json!({
        "uuid": Uuid::new_v5(&MISP_NAMESPACE, format!("event:{}", event.org).as_bytes()).to_string(),
        "info": event.info,
        "date": &date[..10],
        "timestamp": event.at.to_string(),
        "publish_timestamp": event.at.to_string(),
        "published": true,
        "threat_level_id": "2",
        "analysis": "2",
        "distribution": "0",
        "Orgc": {"name": event.org},
        "Tag": [{"name": "tlp:green"}],
    })
    .to_string();
    // Reopen the object to stream the attributes into it.
    head.pop();
    format!("{{\"Event\":{head},\"Attribute\":[")
}

/// What closes the event.
pub const EVENT_TAIL: &str = "]}}\n";

/// One attribute, with a comma before it unless it is the first.
pub fn attribute_chunk(indicator: &Indicator, first: bool, out: &mut String) {
    if !first {
        out.push(',');
    }
    out.push_str(&attribute(indicator).to_string());
}

/// The MISP attribute of an indicator.
pub fn attribute(indicator: &Indicator) -> Value {
    let (kind, category, value) = typed(indicator);
    let active = indicator.status == IndicatorStatus::Active;
    let mut tags: Vec<Value> = indicator
        .methods
        .iter()
        .map(|m| json!({"name": format!("canhgiac:method=\"{m}\"")}))
        .collect();
    tags.push(json!({"name": format!("canhgiac:status=\"{}\"", indicator.status.as_str())}));
    let first = indicator.first_seen.unwrap_or(indicator.created_at);
    let mut attribute = json!({
        "uuid": Uuid::new_v5(&MISP_NAMESPACE, indicator.key.as_bytes()).to_string(),
        "type": kind,
        "category": category,
        "value": value,
        "to_ids": active,
        "deleted": !active,
        "timestamp": indicator.modified_at().to_string(),
        "first_seen": timestamp(first),
        "last_seen": timestamp(indicator.last_seen.unwrap_or(first).max(first)),
        "comment": comment(indicator),
        "Tag": tags,
    });
    if indicator.kind == IdentifierKind::BankAccount {
        if let Some((bin, _)) = indicator.value.split_once(':') {
            attribute["comment"] = json!(format!("BIN {bin}. {}", comment(indicator)));
        }
    }
    attribute
}

fn comment(indicator: &Indicator) -> String {
    match indicator.status {
        IndicatorStatus::Active => format!(
            "{} — verified by the police, {} report(s)",
            indicator.display, indicator.report_count
        ),
        IndicatorStatus::Revoked => format!("{} — cleared after review", indicator.display),
    }
}

/// MISP's attribute type and category for the kind, and the value it holds.
fn typed(indicator: &Indicator) -> (&'static str, &'static str, String) {
    let value = indicator.value.as_str();
    match indicator.kind {
        IdentifierKind::Phone => ("phone-number", "Financial fraud", value.to_string()),
        IdentifierKind::BankAccount => (
            "bank-account-nr",
            "Financial fraud",
            value.split_once(':').map_or(value, |(_, n)| n).to_string(),
        ),
        IdentifierKind::Url => match value.parse::<std::net::IpAddr>() {
            Ok(_) => ("ip-dst", "Network activity", value.to_string()),
            Err(_) => ("domain", "Network activity", value.to_string()),
        },
        IdentifierKind::Email => ("email-src", "Payload delivery", value.to_string()),
        IdentifierKind::Wallet => match value.split_once(':') {
            Some(("btc", address)) => ("btc", "Financial fraud", address.to_string()),
            Some(("eth", address)) => ("eth", "Financial fraud", address.to_string()),
            _ => ("text", "Financial fraud", value.to_string()),
        },
        IdentifierKind::Social => ("text", "Social network", value.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicator::sample;

    #[test]
    fn an_event_streams_into_valid_json() {
        let event = Event {
            info: "canhgiac".to_string(),
            org: "Công an tỉnh Đồng Nai".to_string(),
            at: 1_764_667_800,
        };
        let mut text = event_head(&event);
        attribute_chunk(
            &sample(
                IdentifierKind::BankAccount,
                "970436:0123456789",
                IndicatorStatus::Active,
            ),
            true,
            &mut text,
        );
        attribute_chunk(
            &sample(
                IdentifierKind::Phone,
                "+84912345678",
                IndicatorStatus::Revoked,
            ),
            false,
            &mut text,
        );
        text.push_str(EVENT_TAIL);
        let v: Value = serde_json::from_str(&text).expect("json");
        let attrs = v["Event"]["Attribute"].as_array().expect("attributes");
        assert_eq!(attrs.len(), 2);
        assert_eq!(attrs[0]["type"], "bank-account-nr");
        assert_eq!(attrs[0]["value"], "0123456789");
        assert_eq!(attrs[0]["to_ids"], true);
        assert_eq!(attrs[1]["deleted"], true);
        assert_eq!(attrs[1]["to_ids"], false);
        assert_eq!(v["Event"]["date"], "2025-12-02");
    }
}
