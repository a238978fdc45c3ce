//! A citizen's report as it arrives (JSON, form, CSV row), and its validation into a
//! [`ValidReport`] with field errors that say, in the reporter's language, what is wrong.

use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime, PrimitiveDateTime, Time};

mod identifiers;
mod parts;
mod reporter;

use crate::extract::extract_unique;
use crate::i18n::Lang;
use crate::ident::{BankAccount, Identifier};
use crate::report::{Channel, Role};

/// How far in the future a time may be (the reporter's clock may run fast).
pub const MAX_CLOCK_SKEW_SECS: i64 = 10 * 60;

/// A report as submitted.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportInput {
    /// How the scammer made contact: call, sms, zalo, facebook, telegram, website, app, in_person, other.
    pub channel: Option<String>,
    /// Catalogue key of the method, or null / "unknown" when not known.
    #[serde(default)]
    pub method: Option<String>,
    /// When contact was made: RFC 3339 or YYYY-MM-DD (Vietnam time).
    #[serde(default)]
    pub contacted_at: Option<String>,
    /// What happened.
    pub narrative: Option<String>,
    /// Money lost, VND.
    #[serde(default)]
    pub amount_lost_vnd: Option<i64>,
    /// Transfers made to the scammer.
    #[serde(default)]
    pub transfers: Vec<TransferInput>,
    /// The scammer's identifiers.
    #[serde(default)]
    pub identifiers: Vec<IdentifierInput>,
    /// Commune/ward code (2025 divisions).
    #[serde(default)]
    pub place_code: Option<i64>,
    /// Evidence files uploaded before, by SHA-256.
    #[serde(default)]
    pub evidence: Vec<String>,
    /// The reporter's contact details (optional; encrypted at rest).
    #[serde(default)]
    pub reporter: Option<ReporterInput>,
    /// A client-chosen key that makes a resubmission return the first answer.
    #[serde(default)]
    pub idempotency_key: Option<String>,
}

/// One transfer.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TransferInput {
    /// The receiving bank (any name or BIN).
    pub bank: Option<String>,
    /// The receiving account number.
    pub account: Option<String>,
    /// Amount, VND.
    #[serde(default)]
    pub amount_vnd: Option<i64>,
    /// When: RFC 3339 or YYYY-MM-DD.
    #[serde(default)]
    pub at: Option<String>,
}

/// One identifier.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IdentifierInput {
    /// phone, bank_account, url, social, email, wallet.
    pub kind: Option<String>,
    /// The value as the reporter wrote it.
    pub value: Option<String>,
    /// The bank, for bank accounts.
    #[serde(default)]
    pub bank: Option<String>,
    /// The role (scammer_phone, receiving_account, …); default by kind.
    #[serde(default)]
    pub role: Option<String>,
}

/// The reporter's contact details.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReporterInput {
    /// Full name.
    #[serde(default)]
    pub name: Option<String>,
    /// Phone number.
    #[serde(default)]
    pub phone: Option<String>,
    /// Citizen ID (CCCD, 12 digits; old CMND, 9).
    #[serde(default)]
    pub citizen_id: Option<String>,
    /// Address.
    #[serde(default)]
    pub address: Option<String>,
    /// E-mail.
    #[serde(default)]
    pub email: Option<String>,
}

/// A validated transfer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfer {
    /// The receiving account.
    pub account: BankAccount,
    /// Amount, VND.
    pub amount_vnd: u64,
    /// Unix seconds, when known.
    pub at: Option<i64>,
}

/// Validated contact details (normalised; never logged).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReporterContact {
    /// Full name.
    pub name: Option<String>,
    /// E.164 phone.
    pub phone: Option<String>,
    /// Citizen ID digits.
    pub citizen_id: Option<String>,
    /// Address.
    pub address: Option<String>,
    /// E-mail.
    pub email: Option<String>,
}

impl ReporterContact {
    /// Whether nothing was given.
    pub fn is_empty(&self) -> bool {
        self.name.is_none()
            && self.phone.is_none()
            && self.citizen_id.is_none()
            && self.address.is_none()
            && self.email.is_none()
    }

    /// What identifies the reporter as a person, for counting distinct reporters.
    pub fn identity(&self) -> Option<String> {
        self.citizen_id
            .as_ref()
            .map(|c| format!("cid:{c}"))
            .or_else(|| self.phone.as_ref().map(|p| format!("phone:{p}")))
            .or_else(|| self.email.as_ref().map(|e| format!("email:{e}")))
    }
}

/// A report that passed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidReport {
    /// Channel.
    pub channel: Channel,
    /// Catalogue key, if known.
    pub method_key: Option<String>,
    /// Unix seconds of first contact.
    pub contacted_at: Option<i64>,
    /// Narrative, trimmed.
    pub narrative: String,
    /// Loss, VND.
    pub amount_lost_vnd: u64,
    /// Transfers.
    pub transfers: Vec<Transfer>,
    /// Identifiers with roles, distinct by (key, role); receiving accounts of transfers included.
    pub identifiers: Vec<(Identifier, Role)>,
    /// Commune/ward code.
    pub place_code: Option<i64>,
    /// Evidence SHA-256 digests (lower-case hex).
    pub evidence: Vec<String>,
    /// Contact details, if any.
    pub reporter: Option<ReporterContact>,
}

/// What is wrong with one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// The field's path (`identifiers[0].value`).
    pub field: String,
    /// Stable snake_case code.
    pub code: String,
    /// For people, in their language.
    pub detail: String,
}

impl FieldError {
    /// An error on `field` with a stable `code` and words for people.
    pub fn new(field: &str, code: &str, detail: impl Into<String>) -> FieldError {
        FieldError {
            field: field.into(),
            code: code.into(),
            detail: detail.into(),
        }
    }
}

struct Errors {
    lang: Lang,
    list: Vec<FieldError>,
}

impl Errors {
    fn add(
        &mut self,
        field: impl Into<String>,
        code: &str,
        vi: impl Into<String>,
        en: impl Into<String>,
    ) {
        let detail = match self.lang {
            Lang::Vi => vi.into(),
            Lang::En => en.into(),
        };
        self.list.push(FieldError {
            field: field.into(),
            code: code.to_string(),
            detail,
        });
    }
}

/// Parses a date or date-time; dates without an offset are Vietnam time (UTC+7).
pub fn parse_when(text: &str) -> Option<i64> {
    let text = text.trim();
    if let Ok(t) = OffsetDateTime::parse(text, &Rfc3339) {
        return Some(t.unix_timestamp());
    }
    let vn = time::macros::offset!(+7);
    let date_fmt = time::macros::format_description!("[year]-[month]-[day]");
    if let Ok(d) = Date::parse(text, date_fmt) {
        return Some(
            PrimitiveDateTime::new(d, Time::MIDNIGHT)
                .assume_offset(vn)
                .unix_timestamp(),
        );
    }
    let local_fmt = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]");
    if let Ok(t) = PrimitiveDateTime::parse(text, local_fmt) {
        return Some(t.assume_offset(vn).unix_timestamp());
    }
    let dmy = time::macros::format_description!("[day]/[month]/[year]");
    if let Ok(d) = Date::parse(text, dmy) {
        return Some(
            PrimitiveDateTime::new(d, Time::MIDNIGHT)
                .assume_offset(vn)
                .unix_timestamp(),
        );
    }
    None
}

fn clean_text(value: &Option<String>) -> Option<String> {
    value
        .as_ref()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// Validates a report. `places` says whether a commune/ward code exists; `now` is unix seconds.
pub fn validate(
    input: &ReportInput,
    lang: Lang,
    now: i64,
    places: &dyn Fn(i64) -> bool,
) -> Result<ValidReport, Vec<FieldError>> {
    let mut e = Errors {
        lang,
        list: Vec::new(),
    };
    // Nothing after now, but for ten minutes of clock skew (times without an offset
    // are read as Vietnam's).
    let latest = now + MAX_CLOCK_SKEW_SECS;
    let channel = parts::channel_of(&mut e, &input.channel);
    let method_key = parts::method_of(&mut e, &input.method);
    let contacted_at = parts::contacted_at_of(&mut e, &input.contacted_at, latest);
    let narrative = parts::narrative_of(&mut e, &input.narrative);
    let amount_lost_vnd = parts::check_amount(&mut e, "amount_lost_vnd", input.amount_lost_vnd);
    let mut found = identifiers::Found::default();
    let transfers = identifiers::transfers_of(&mut e, &input.transfers, latest, &mut found);
    identifiers::identifiers_of(&mut e, &input.identifiers, &mut found);
    let place_code = parts::place_of(&mut e, input.place_code, places);
    let evidence = parts::evidence_of(&mut e, &input.evidence);
    let reporter = input
        .reporter
        .as_ref()
        .map(|r| reporter::validate_reporter(&mut e, r))
        .filter(|r| !r.is_empty());
    match channel {
        Some(channel) if e.list.is_empty() => Ok(ValidReport {
            channel,
            method_key,
            contacted_at,
            narrative,
            amount_lost_vnd,
            transfers,
            identifiers: found.0,
            place_code,
            evidence,
            reporter,
        }),
        _ => Err(e.list),
    }
}

/// Identifiers found in the narrative that the report does not list yet: offered to
/// the reporter to confirm.
pub fn suggestions(report: &ValidReport) -> Vec<Identifier> {
    let listed: std::collections::HashSet<String> =
        report.identifiers.iter().map(|(i, _)| i.key()).collect();
    extract_unique(&report.narrative)
        .into_iter()
        .map(|f| f.identifier)
        .filter(|i| !listed.contains(&i.key()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ident::IdentifierKind;

    const NOW: i64 = 1_760_000_000;

    fn example() -> ReportInput {
        serde_json::from_str(
            r#"{"channel": "call", "narrative": "Có người gọi xưng công an, bảo chuyển tiền vào STK 0123456789 VCB", "amount_lost_vnd": 5000000,
                "identifiers": [{"kind": "phone", "value": "0912 345 678"}, {"kind": "bank_account", "bank": "VCB", "value": "0123456789"}, {"kind": "url", "value": "https://VietcomBank-hotro.com.vn/login?x=1"}],
                "reporter": {"name": "Nguyễn Văn A", "phone": "0987654321", "citizen_id": "001234567890", "address": "Biên Hòa"}}"#,
        )
        .expect("example parses")
    }

    #[test]
    fn the_documented_example_is_valid() {
        let r = validate(&example(), Lang::Vi, NOW, &|_| true).expect("valid");
        assert_eq!(r.channel, Channel::Call);
        assert_eq!(r.amount_lost_vnd, 5_000_000);
        let keys: Vec<String> = r.identifiers.iter().map(|(i, _)| i.key()).collect();
        assert_eq!(
            keys,
            vec![
                "phone:+84912345678",
                "bank_account:970436:0123456789",
                "url:vietcombank-hotro.com.vn"
            ]
        );
        assert_eq!(
            r.reporter.as_ref().and_then(|c| c.phone.clone()).as_deref(),
            Some("+84987654321")
        );
    }

    #[test]
    fn every_bad_field_gets_its_own_message_in_the_asked_language() {
        let mut input = example();
        input.channel = Some("fax".into());
        input.amount_lost_vnd = Some(-5);
        input.identifiers.push(IdentifierInput {
            kind: Some("phone".into()),
            value: Some("09123".into()),
            ..Default::default()
        });
        input.identifiers.push(IdentifierInput {
            kind: Some("bank_account".into()),
            value: Some("0123456789".into()),
            bank: Some("Vietcombnk".into()),
            role: None,
        });
        input.reporter = Some(ReporterInput {
            citizen_id: Some("12ab".into()),
            ..Default::default()
        });
        input.method = Some("no_such_method".into());
        let errors = validate(&input, Lang::En, NOW, &|_| true).expect_err("invalid");
        let codes: Vec<(&str, &str)> = errors
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect();
        assert_eq!(
            codes,
            vec![
                ("channel", "channel_invalid"),
                ("method", "method_unknown"),
                ("amount_lost_vnd", "amount_negative"),
                ("identifiers[3].value", "phone_too_short"),
                ("identifiers[4].bank", "bank_unknown"),
                ("reporter.citizen_id", "citizen_id_invalid"),
            ]
        );
        assert!(
            errors[4].detail.contains("Vietcombank"),
            "{}",
            errors[4].detail
        );
        let vi = validate(&input, Lang::Vi, NOW, &|_| true).expect_err("invalid");
        assert!(vi[0].detail.contains("không hợp lệ"));
    }

    #[test]
    fn transfers_add_their_receiving_accounts_once() {
        let mut input = example();
        input.transfers = vec![TransferInput {
            bank: Some("vietcombank".into()),
            account: Some("0123 456 789".into()),
            amount_vnd: Some(1000),
            at: Some("2025-03-01".into()),
        }];
        let r = validate(&input, Lang::Vi, NOW, &|_| true).expect("valid");
        assert_eq!(
            r.identifiers
                .iter()
                .filter(|(i, _)| i.kind() == IdentifierKind::BankAccount)
                .count(),
            1
        );
        assert_eq!(r.transfers[0].at, parse_when("2025-03-01T00:00:00+07:00"));
    }

    #[test]
    fn identifiers_in_the_narrative_are_suggested_when_not_listed() {
        let mut input = example();
        input.identifiers.clear();
        let r = validate(&input, Lang::Vi, NOW, &|_| true).expect("valid");
        let s: Vec<String> = suggestions(&r).iter().map(|i| i.key()).collect();
        assert_eq!(s, vec!["bank_account:970436:0123456789"]);
    }

    #[test]
    fn unknown_places_and_future_dates_are_refused() {
        let mut input = example();
        input.place_code = Some(99_999);
        input.contacted_at = Some("2999-01-01".into());
        let errors = validate(&input, Lang::Vi, NOW, &|c| c == 1).expect_err("invalid");
        let codes: Vec<&str> = errors.iter().map(|e| e.code.as_str()).collect();
        assert_eq!(codes, vec!["contacted_at_future", "place_unknown"]);
    }

    #[test]
    fn a_time_later_than_now_is_refused_beyond_clock_skew() {
        let rfc = |unix: i64| {
            time::OffsetDateTime::from_unix_timestamp(unix)
                .expect("time")
                .format(&Rfc3339)
                .expect("format")
        };
        // Two hours ahead: the day was mistyped, or the clock is wrong.
        let mut input = example();
        input.contacted_at = Some(rfc(NOW + 2 * 3600));
        input.transfers = vec![TransferInput {
            bank: Some("VCB".into()),
            account: Some("0123456789".into()),
            amount_vnd: Some(1_000_000),
            at: Some(rfc(NOW + 3600)),
        }];
        let errors = validate(&input, Lang::Vi, NOW, &|_| true).expect_err("future");
        let codes: Vec<&str> = errors.iter().map(|e| e.code.as_str()).collect();
        assert_eq!(codes, vec!["contacted_at_future", "transfer_at_future"]);
        // A reporter's clock five minutes fast is not a mistake.
        input.contacted_at = Some(rfc(NOW + 300));
        input.transfers[0].at = Some(rfc(NOW + 300));
        assert!(validate(&input, Lang::Vi, NOW, &|_| true).is_ok());
    }
}
