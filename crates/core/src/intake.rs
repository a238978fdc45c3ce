//! A citizen's report as it arrives (JSON, form, CSV row), and its validation into a
//! [`ValidReport`] with field errors that say, in the reporter's language, what is wrong.

use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime, PrimitiveDateTime, Time};

use crate::extract::extract_unique;
use crate::i18n::Lang;
use crate::ident::{BankAccount, Identifier, IdentifierKind, PhoneNumber};
use crate::methods::Catalogue;
use crate::report::{
    Channel, Role, MAX_AMOUNT_VND, MAX_IDENTIFIERS, MAX_NARRATIVE_CHARS, MAX_TRANSFERS,
};

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
    let tomorrow = now + 86_400;

    let channel = match clean_text(&input.channel) {
        None => {
            e.add(
                "channel",
                "channel_missing",
                "Hãy chọn cách kẻ gian liên lạc với bạn.",
                "Choose how the scammer contacted you.",
            );
            None
        }
        Some(c) => match Channel::parse(&c) {
            Some(c) => Some(c),
            None => {
                let keys: Vec<&str> = Channel::ALL.iter().map(|c| c.as_str()).collect();
                e.add(
                    "channel",
                    "channel_invalid",
                    format!(
                        "Kênh liên lạc “{c}” không hợp lệ; chọn một trong: {}.",
                        keys.join(", ")
                    ),
                    format!("Unknown channel “{c}”; use one of: {}.", keys.join(", ")),
                );
                None
            }
        },
    };

    let method_key = match clean_text(&input.method) {
        None => None,
        Some(m) if matches!(m.as_str(), "unknown" | "khong_ro" | "không rõ") => None,
        Some(m) => match Catalogue::get().by_key(&m) {
            Some(found) => Some(found.key.clone()),
            None => {
                e.add(
                    "method",
                    "method_unknown",
                    format!("Không có thủ đoạn “{m}” trong danh mục."),
                    format!("There is no method “{m}” in the catalogue."),
                );
                None
            }
        },
    };

    let contacted_at = match clean_text(&input.contacted_at) {
        None => None,
        Some(t) => match parse_when(&t) {
            Some(at) if at > tomorrow => {
                e.add(
                    "contacted_at",
                    "contacted_at_future",
                    "Thời điểm liên lạc không thể ở tương lai.",
                    "The contact time cannot be in the future.",
                );
                None
            }
            Some(at) => Some(at),
            None => {
                e.add(
                    "contacted_at",
                    "contacted_at_invalid",
                    "Thời điểm không hợp lệ; dùng dạng 2025-03-01 hoặc 2025-03-01T10:30.",
                    "Invalid time; use 2025-03-01 or 2025-03-01T10:30.",
                );
                None
            }
        },
    };

    let narrative = clean_text(&input.narrative).unwrap_or_default();
    let narrative_chars = narrative.chars().count();
    if narrative.is_empty() {
        e.add(
            "narrative",
            "narrative_missing",
            "Hãy kể lại sự việc đã xảy ra.",
            "Describe what happened.",
        );
    } else if narrative_chars > MAX_NARRATIVE_CHARS {
        e.add("narrative", "narrative_too_long", format!("Phần kể lại quá dài ({narrative_chars} ký tự; tối đa {MAX_NARRATIVE_CHARS})."), format!("The description is too long ({narrative_chars} characters; at most {MAX_NARRATIVE_CHARS})."));
    }

    let amount_lost_vnd = check_amount(&mut e, "amount_lost_vnd", input.amount_lost_vnd);

    let mut identifiers: Vec<(Identifier, Role)> = Vec::new();
    let mut add_identifier = |identifier: Identifier, role: Role| {
        let key = identifier.key();
        if !identifiers
            .iter()
            .any(|(i, r)| *r == role && i.key() == key)
        {
            identifiers.push((identifier, role));
        }
    };

    if input.transfers.len() > MAX_TRANSFERS {
        e.add(
            "transfers",
            "too_many_transfers",
            format!("Tối đa {MAX_TRANSFERS} lần chuyển tiền."),
            format!("At most {MAX_TRANSFERS} transfers."),
        );
    }
    let mut transfers = Vec::new();
    for (i, t) in input.transfers.iter().take(MAX_TRANSFERS).enumerate() {
        let field = format!("transfers[{i}]");
        let amount = check_amount(&mut e, &format!("{field}.amount_vnd"), t.amount_vnd);
        let at = match clean_text(&t.at) {
            None => None,
            Some(s) => match parse_when(&s) {
                Some(at) if at <= tomorrow => Some(at),
                Some(_) => {
                    e.add(
                        format!("{field}.at"),
                        "transfer_at_future",
                        "Thời điểm chuyển tiền không thể ở tương lai.",
                        "The transfer time cannot be in the future.",
                    );
                    None
                }
                None => {
                    e.add(
                        format!("{field}.at"),
                        "transfer_at_invalid",
                        "Thời điểm chuyển tiền không hợp lệ.",
                        "Invalid transfer time.",
                    );
                    None
                }
            },
        };
        match BankAccount::parse(
            t.bank.as_deref().unwrap_or(""),
            t.account.as_deref().unwrap_or(""),
        ) {
            Ok(account) => {
                add_identifier(
                    Identifier::BankAccount(account.clone()),
                    Role::ReceivingAccount,
                );
                transfers.push(Transfer {
                    account,
                    amount_vnd: amount,
                    at,
                });
            }
            Err(err) => {
                let sub = if matches!(err.code(), "bank_missing" | "bank_unknown") {
                    "bank"
                } else {
                    "account"
                };
                e.add(
                    format!("{field}.{sub}"),
                    err.code(),
                    err.message(Lang::Vi),
                    err.message(Lang::En),
                );
            }
        }
    }

    if input.identifiers.len() > MAX_IDENTIFIERS {
        e.add(
            "identifiers",
            "too_many_identifiers",
            format!("Tối đa {MAX_IDENTIFIERS} thông tin nhận dạng."),
            format!("At most {MAX_IDENTIFIERS} identifiers."),
        );
    }
    for (i, item) in input.identifiers.iter().take(MAX_IDENTIFIERS).enumerate() {
        let field = format!("identifiers[{i}]");
        let Some(kind) = clean_text(&item.kind) else {
            e.add(
                format!("{field}.kind"),
                "identifier_kind_missing",
                "Hãy chọn loại thông tin (số điện thoại, tài khoản, trang web…).",
                "Choose the kind of identifier (phone, account, website…).",
            );
            continue;
        };
        let Some(kind) = IdentifierKind::parse(&kind) else {
            e.add(
                format!("{field}.kind"),
                "identifier_kind_invalid",
                format!("Loại thông tin “{kind}” không hợp lệ."),
                format!("Unknown identifier kind “{kind}”."),
            );
            continue;
        };
        let Some(value) = clean_text(&item.value) else {
            e.add(
                format!("{field}.value"),
                "identifier_value_missing",
                "Chưa nhập giá trị.",
                "No value was given.",
            );
            continue;
        };
        let role = match clean_text(&item.role) {
            None => None,
            Some(r) => match Role::parse(&r) {
                Some(r) => Some(r),
                None => {
                    e.add(
                        format!("{field}.role"),
                        "identifier_role_invalid",
                        format!("Vai trò “{r}” không hợp lệ."),
                        format!("Unknown role “{r}”."),
                    );
                    continue;
                }
            },
        };
        match Identifier::parse_as(kind, &value, item.bank.as_deref()) {
            Ok(identifier) => {
                let role = role.unwrap_or_else(|| Role::default_for(identifier.kind()));
                add_identifier(identifier, role);
            }
            Err(err) => {
                let sub = if matches!(err.code(), "bank_missing" | "bank_unknown") {
                    "bank"
                } else {
                    "value"
                };
                e.add(
                    format!("{field}.{sub}"),
                    err.code(),
                    err.message(Lang::Vi),
                    err.message(Lang::En),
                );
            }
        }
    }

    let place_code = match input.place_code {
        None => None,
        Some(code) if places(code) => Some(code),
        Some(code) => {
            e.add(
                "place_code",
                "place_unknown",
                format!("Không có xã, phường mã {code} trong tỉnh."),
                format!("There is no commune or ward with code {code} in the province."),
            );
            None
        }
    };

    let mut evidence = Vec::new();
    for (i, digest) in input.evidence.iter().enumerate() {
        let d = digest.trim().to_ascii_lowercase();
        if d.len() == 64 && d.bytes().all(|b| b.is_ascii_hexdigit()) {
            if !evidence.contains(&d) {
                evidence.push(d);
            }
        } else {
            e.add(
                format!("evidence[{i}]"),
                "evidence_invalid",
                "Mã tệp bằng chứng không hợp lệ.",
                "Invalid evidence reference.",
            );
        }
    }

    let reporter = input
        .reporter
        .as_ref()
        .map(|r| validate_reporter(&mut e, r))
        .filter(|r| !r.is_empty());

    match channel {
        Some(channel) if e.list.is_empty() => Ok(ValidReport {
            channel,
            method_key,
            contacted_at,
            narrative,
            amount_lost_vnd,
            transfers,
            identifiers,
            place_code,
            evidence,
            reporter,
        }),
        _ => Err(e.list),
    }
}

fn check_amount(e: &mut Errors, field: &str, amount: Option<i64>) -> u64 {
    match amount {
        None => 0,
        Some(a) if a < 0 => {
            e.add(
                field,
                "amount_negative",
                "Số tiền không thể âm.",
                "The amount cannot be negative.",
            );
            0
        }
        Some(a) if a as u64 > MAX_AMOUNT_VND => {
            e.add(
                field,
                "amount_too_large",
                "Số tiền quá lớn; hãy kiểm tra lại số chữ số.",
                "The amount is too large; check the number of digits.",
            );
            0
        }
        Some(a) => a as u64,
    }
}

fn validate_reporter(e: &mut Errors, r: &ReporterInput) -> ReporterContact {
    let mut out = ReporterContact::default();
    if let Some(name) = clean_text(&r.name) {
        if name.chars().count() > 200 {
            e.add(
                "reporter.name",
                "reporter_name_too_long",
                "Họ tên quá dài (tối đa 200 ký tự).",
                "The name is too long (at most 200 characters).",
            );
        } else {
            out.name = Some(name);
        }
    }
    if let Some(phone) = clean_text(&r.phone) {
        match PhoneNumber::parse(&phone) {
            Ok(p) => out.phone = Some(p.e164().to_string()),
            Err(err) => e.add(
                "reporter.phone",
                err.code(),
                err.message(Lang::Vi),
                err.message(Lang::En),
            ),
        }
    }
    if let Some(id) = clean_text(&r.citizen_id) {
        let digits: String = id.chars().filter(|c| !c.is_whitespace()).collect();
        if digits.chars().all(|c| c.is_ascii_digit()) && (digits.len() == 12 || digits.len() == 9) {
            out.citizen_id = Some(digits);
        } else {
            e.add(
                "reporter.citizen_id",
                "citizen_id_invalid",
                "Số CCCD phải có 12 chữ số (CMND cũ: 9 chữ số).",
                "A citizen ID has 12 digits (old ID cards: 9).",
            );
        }
    }
    if let Some(address) = clean_text(&r.address) {
        if address.chars().count() > 500 {
            e.add(
                "reporter.address",
                "reporter_address_too_long",
                "Địa chỉ quá dài (tối đa 500 ký tự).",
                "The address is too long (at most 500 characters).",
            );
        } else {
            out.address = Some(address);
        }
    }
    if let Some(email) = clean_text(&r.email) {
        match crate::ident::Email::parse(&email) {
            Ok(m) => out.email = Some(m.as_str().to_string()),
            Err(err) => e.add(
                "reporter.email",
                "email_invalid",
                err.message(Lang::Vi),
                err.message(Lang::En),
            ),
        }
    }
    out
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
}
