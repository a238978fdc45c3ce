//! STIX 2.1 objects for indicators: per indicator a cyber-observable object (the
//! phone, account, domain…), an `observed-data` (how often and when the reports saw
//! it) and an `indicator` (the pattern partners match on). Identifiers are UUIDv5 of
//! the lookup key, so a later export names the same objects and a revoked indicator
//! replaces the active one a partner holds. Written as a stream: a head, objects, a
//! tail, so a million indicators never sit in memory at once.

use serde_json::{json, Value};
use uuid::Uuid;

use super::{timestamp, Indicator, IndicatorStatus};
use crate::ident::IdentifierKind;

/// The namespace STIX 2.1 fixes for cyber-observable identifiers (§2.9).
const SCO_NAMESPACE: Uuid = uuid::uuid!("00abedb4-aa42-466c-9c01-fed23315a9b7");
/// canhgiac's namespace for the objects it authors.
const CANHGIAC_NAMESPACE: Uuid = uuid::uuid!("6b1f4e0c-7d0a-5c55-9a58-63616e686769");

/// The producer of an export (an `identity` object).
#[derive(Debug, Clone)]
pub struct Producer {
    /// The organisation's name ("Công an tỉnh Đồng Nai").
    pub name: String,
    /// Unix seconds the identity object is dated.
    pub since: i64,
}

impl Producer {
    /// The identity's STIX identifier.
    pub fn id(&self) -> String {
        format!(
            "identity--{}",
            Uuid::new_v5(
                &CANHGIAC_NAMESPACE,
                format!("identity:{}", self.name).as_bytes()
            )
        )
    }

    fn object(&self) -> Value {
        let at = timestamp(self.since);
        json!({
            "type": "identity",
            "spec_version": "2.1",
            "id": self.id(),
            "created": at,
            "modified": at,
            "name": self.name,
            "identity_class": "organization",
            "sectors": ["government-public-services"],
        })
    }
}

/// The custom observables and properties, each declared by an `extension-definition`
/// (STIX 2.1 §7.3): (kind, name, what it holds, extension type, top-level properties).
const EXTENSIONS: [(&str, &str, &str, &str, &[&str]); 4] = [
    (
        "x-canhgiac-phone-number",
        "canhgiac phone number",
        "A telephone number in E.164 (value), as canhgiac normalises it.",
        "new-sco",
        &[],
    ),
    (
        "x-canhgiac-bank-account",
        "canhgiac bank account",
        "A bank account: value is BIN:NUMBER; bank_code is the bank's 6-digit BIN (NAPAS), account_number the number in upper case without separators.",
        "new-sco",
        &[],
    ),
    (
        "x-canhgiac-crypto-wallet",
        "canhgiac crypto wallet",
        "A crypto-currency wallet: value is the address, chain one of btc, eth, tron.",
        "new-sco",
        &[],
    ),
    (
        "indicator",
        "canhgiac indicator facts",
        "x_canhgiac_report_count: reports naming the identifier; x_canhgiac_status: active (verified by the police) or revoked (cleared after review).",
        "toplevel-property-extension",
        &["x_canhgiac_report_count", "x_canhgiac_status"],
    ),
];

/// The identifier of the extension that declares `kind` (a custom observable type, or
/// `indicator` for the indicator's own properties).
fn extension_id(kind: &str) -> String {
    format!(
        "extension-definition--{}",
        Uuid::new_v5(&CANHGIAC_NAMESPACE, format!("extension:{kind}").as_bytes())
    )
}

fn extension_objects(producer: &Producer) -> Vec<Value> {
    let at = timestamp(producer.since);
    EXTENSIONS
        .iter()
        .map(|(kind, name, schema, extension_type, properties)| {
            let mut o = json!({
                "type": "extension-definition",
                "spec_version": "2.1",
                "id": extension_id(kind),
                "created_by_ref": producer.id(),
                "created": at,
                "modified": at,
                "name": name,
                "description": schema,
                "schema": schema,
                "version": "1.0.0",
                "extension_types": [extension_type],
            });
            if !properties.is_empty() {
                o["extension_properties"] = json!(properties);
            }
            o
        })
        .collect()
}

/// The start of a bundle, up to and including the producer and the extension
/// definitions: objects follow, each written by [`object_chunk`], then [`BUNDLE_TAIL`].
pub fn bundle_head(producer: &Producer, random: [u8; 16]) -> String {
    let id = uuid::Builder::from_random_bytes(random).into_uuid();
    let mut head = format!(
        "{{\"type\":\"bundle\",\"id\":\"bundle--{id}\",\"objects\":[{}",
        producer.object()
    );
    for extension in extension_objects(producer) {
        head.push(',');
        head.push_str(&extension.to_string());
    }
    head
}

/// What closes a bundle.
pub const BUNDLE_TAIL: &str = "]}\n";

/// The three objects of one indicator, each preceded by a comma (they follow the
/// producer in the bundle).
pub fn object_chunk(indicator: &Indicator, producer_id: &str, out: &mut String) {
    for object in objects(indicator, producer_id) {
        out.push(',');
        out.push_str(&object.to_string());
    }
}

/// The observable, the observed data and the indicator.
pub fn objects(indicator: &Indicator, producer_id: &str) -> [Value; 3] {
    let observable = observable(indicator);
    let observable_id = observable["id"].as_str().unwrap_or_default().to_string();
    let created = timestamp(indicator.created_at);
    let modified = timestamp(indicator.modified_at());
    let revoked = indicator.status == IndicatorStatus::Revoked;
    let first = indicator.first_seen.unwrap_or(indicator.created_at);
    let last = indicator.last_seen.unwrap_or(first).max(first);
    let observed = json!({
        "type": "observed-data",
        "spec_version": "2.1",
        "id": sdo_id("observed-data", &indicator.key),
        "created": created,
        "modified": modified,
        "created_by_ref": producer_id,
        "first_observed": timestamp(first),
        "last_observed": timestamp(last),
        "number_observed": indicator.report_count.max(1),
        "object_refs": [observable_id],
        "revoked": revoked,
    });
    let mut found = json!({
        "type": "indicator",
        "spec_version": "2.1",
        "id": sdo_id("indicator", &indicator.key),
        "created": created,
        "modified": modified,
        "created_by_ref": producer_id,
        "name": format!("{}: {}", indicator.kind.label(crate::i18n::Lang::En), indicator.display),
        "description": description(indicator),
        "indicator_types": ["malicious-activity"],
        "pattern": pattern(indicator),
        "pattern_type": "stix",
        "pattern_version": "2.1",
        "valid_from": created,
        "revoked": revoked,
        "confidence": if revoked { 0 } else { 85 },
        "x_canhgiac_report_count": indicator.report_count,
        "x_canhgiac_status": indicator.status.as_str(),
        "extensions": {
            extension_id("indicator"): {"extension_type": "toplevel-property-extension"}
        },
    });
    if !indicator.methods.is_empty() {
        found["labels"] = json!(indicator.methods);
    }
    [observable, observed, found]
}

fn description(indicator: &Indicator) -> String {
    match indicator.status {
        IndicatorStatus::Active => format!(
            "Verified as a scam by the police; named in {} report(s).",
            indicator.report_count
        ),
        IndicatorStatus::Revoked => "Cleared after review: delete it from blocklists.".to_string(),
    }
}

/// The deterministic identifier of an object canhgiac authors for a key.
fn sdo_id(kind: &str, key: &str) -> String {
    format!(
        "{kind}--{}",
        Uuid::new_v5(&CANHGIAC_NAMESPACE, format!("{kind}:{key}").as_bytes())
    )
}

/// The STIX 2.1 deterministic identifier of an observable (§2.9): UUIDv5 of its
/// contributing properties as canonical JSON (keys sorted, no spaces).
fn sco_id(kind: &str, contributing: &Value) -> String {
    format!(
        "{kind}--{}",
        Uuid::new_v5(&SCO_NAMESPACE, contributing.to_string().as_bytes())
    )
}

/// What an observable of this kind is called in STIX, and the properties it has.
fn observable(indicator: &Indicator) -> Value {
    let (kind, props) = observable_parts(indicator);
    // serde_json's map keeps keys sorted: the canonical form of the contributing props.
    let mut object = json!({"type": kind, "spec_version": "2.1", "id": sco_id(kind, &props)});
    if kind.starts_with("x-canhgiac-") {
        object["extensions"] = json!({
            extension_id(kind): {"extension_type": "new-sco"}
        });
    }
    if let (Some(o), Some(p)) = (object.as_object_mut(), props.as_object()) {
        for (k, v) in p {
            o.insert(k.clone(), v.clone());
        }
    }
    object
}

fn observable_parts(indicator: &Indicator) -> (&'static str, Value) {
    let value = indicator.value.as_str();
    match indicator.kind {
        IdentifierKind::Url => match value.parse::<std::net::IpAddr>() {
            Ok(std::net::IpAddr::V4(_)) => ("ipv4-addr", json!({"value": value})),
            Ok(std::net::IpAddr::V6(_)) => ("ipv6-addr", json!({"value": value})),
            Err(_) => ("domain-name", json!({"value": value})),
        },
        IdentifierKind::Email => ("email-addr", json!({"value": value})),
        IdentifierKind::Social => {
            let (platform, id) = value.split_once(':').unwrap_or(("", value));
            (
                "user-account",
                json!({"account_type": platform, "user_id": id}),
            )
        }
        IdentifierKind::Phone => ("x-canhgiac-phone-number", json!({"value": value})),
        IdentifierKind::BankAccount => {
            let (bin, number) = value.split_once(':').unwrap_or(("", value));
            (
                "x-canhgiac-bank-account",
                json!({"value": value, "bank_code": bin, "account_number": number}),
            )
        }
        IdentifierKind::Wallet => {
            let (chain, address) = value.split_once(':').unwrap_or(("", value));
            (
                "x-canhgiac-crypto-wallet",
                json!({"value": address, "chain": chain}),
            )
        }
    }
}

/// A STIX string literal: quotes and backslashes escaped.
fn literal(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    for c in value.chars() {
        if c == '\'' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('\'');
    out
}

/// The pattern that matches the indicator.
pub fn pattern(indicator: &Indicator) -> String {
    let (kind, props) = observable_parts(indicator);
    let Some(props) = props.as_object() else {
        return String::new();
    };
    let comparisons: Vec<String> = props
        .iter()
        .filter(|(k, _)| {
            // One comparison per thing that identifies it (the bank account's value
            // already holds its BIN and number).
            !(kind == "x-canhgiac-bank-account" && *k != "value")
        })
        .map(|(k, v)| format!("{kind}:{k} = {}", literal(v.as_str().unwrap_or_default())))
        .collect();
    format!("[{}]", comparisons.join(" AND "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicator::sample;

    fn producer() -> Producer {
        Producer {
            name: "Công an tỉnh Đồng Nai".to_string(),
            since: 1_700_000_000,
        }
    }

    #[test]
    fn a_domain_has_the_standard_deterministic_identifier() {
        let i = sample(IdentifierKind::Url, "example.com", IndicatorStatus::Active);
        let [sco, observed, found] = objects(&i, &producer().id());
        // The identifier the STIX 2.1 specification's own example gives for example.com.
        assert_eq!(
            sco["id"],
            "domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7"
        );
        assert_eq!(found["pattern"], "[domain-name:value = 'example.com']");
        assert_eq!(observed["object_refs"][0], sco["id"]);
        assert_eq!(found["revoked"], false);
    }

    #[test]
    fn the_same_key_names_the_same_objects_and_a_clearance_revokes_them() {
        let active = sample(
            IdentifierKind::Phone,
            "+84912345678",
            IndicatorStatus::Active,
        );
        let mut cleared = active.clone();
        cleared.status = IndicatorStatus::Revoked;
        cleared.changed_at += 3600;
        let a = objects(&active, "identity--x");
        let c = objects(&cleared, "identity--x");
        for n in 0..3 {
            assert_eq!(a[n]["id"], c[n]["id"]);
        }
        assert_eq!(c[2]["revoked"], true);
        assert_eq!(c[2]["created"], a[2]["created"]);
        assert!(c[2]["modified"].as_str() > a[2]["modified"].as_str());
    }

    #[test]
    fn patterns_escape_quotes_and_name_every_part() {
        let mut social = sample(
            IdentifierKind::Social,
            "facebook:o'brien",
            IndicatorStatus::Active,
        );
        social.value = "facebook:o'brien\\x".to_string();
        assert_eq!(
            pattern(&social),
            "[user-account:account_type = 'facebook' AND user-account:user_id = 'o\\'brien\\\\x']"
        );
        let account = sample(
            IdentifierKind::BankAccount,
            "970436:0123456789",
            IndicatorStatus::Active,
        );
        assert_eq!(
            pattern(&account),
            "[x-canhgiac-bank-account:value = '970436:0123456789']"
        );
    }

    #[test]
    fn a_bundle_is_json() {
        let mut text = bundle_head(&producer(), [7; 16]);
        let p = producer().id();
        object_chunk(
            &sample(IdentifierKind::Email, "a@b.vn", IndicatorStatus::Active),
            &p,
            &mut text,
        );
        text.push_str(BUNDLE_TAIL);
        let v: Value = serde_json::from_str(&text).expect("json");
        // The producer, four extension definitions, three objects.
        assert_eq!(v["objects"].as_array().map(Vec::len), Some(8));
        assert!(v["id"].as_str().is_some_and(|s| s.starts_with("bundle--")));
    }
}
