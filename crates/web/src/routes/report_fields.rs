//! What the report form carried, read into a report: the fields by name, amounts as
//! people write them, the identifiers offered for confirmation, and which input each
//! error belongs to.

use std::collections::HashMap;

use canhgiac_core::i18n::Lang;
use canhgiac_core::intake::{IdentifierInput, ReportInput, ReporterInput, TransferInput};
use canhgiac_core::Identifier;

use super::report_page::{IDENTIFIER_ROWS, TRANSFER_ROWS};

/// The input a field error belongs to: `transfers[0].amount_vnd` is `t_amount_0`.
pub(super) fn anchor(field: &str) -> String {
    let indexed = |prefix: &str, rest: &str| -> Option<(String, String)> {
        let rest = rest.strip_prefix(prefix)?.strip_prefix('[')?;
        let (n, sub) = rest.split_once(']')?;
        Some((n.to_string(), sub.trim_start_matches('.').to_string()))
    };
    if let Some((n, sub)) = indexed("transfers", field) {
        let name = match sub.as_str() {
            "amount_vnd" => "t_amount",
            "at" => "t_at",
            "bank" => "t_bank",
            _ => "t_account",
        };
        return format!("{name}_{n}");
    }
    if let Some((n, sub)) = indexed("identifiers", field) {
        let name = match sub.as_str() {
            "kind" => "i_kind",
            "bank" => "i_bank",
            _ => "i_value",
        };
        return format!("{name}_{n}");
    }
    if let Some(sub) = field.strip_prefix("reporter.") {
        return format!("reporter_{sub}");
    }
    match field {
        "amount_lost_vnd" => "amount_lost".into(),
        f if f.starts_with("evidence") => "evidence".into(),
        f => f.to_string(),
    }
}

/// What the form carried.
#[derive(Default, Clone)]
pub(super) struct FormValues {
    pub(super) fields: HashMap<String, String>,
    pub(super) confirm: Vec<String>,
    pub(super) evidence: Vec<String>,
    pub(super) confirmed: bool,
}

impl FormValues {
    pub(super) fn get(&self, name: &str) -> String {
        self.fields.get(name).cloned().unwrap_or_default()
    }

    pub(super) fn opt(&self, name: &str) -> Option<String> {
        self.fields
            .get(name)
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    }
}

/// Parses an amount as people write it ("5.000.000", "15 triệu", "1,5 tỷ", "2tr5"; see
/// `core::money`).
pub(super) fn parse_amount(text: &str) -> Result<Option<i64>, ()> {
    match canhgiac_core::money::parse_vnd(text) {
        Ok(a) => Ok(a.and_then(|v| i64::try_from(v).ok())),
        Err(_) => Err(()),
    }
}

/// The amounts of a report as they were read, to echo back on the receipt.
pub(super) fn amounts_read(input: &ReportInput, lang: Lang) -> Vec<(String, String)> {
    let vnd = |a: i64| format!("{} đ", canhgiac_core::verdict::format_vnd(a.max(0) as u64));
    let total = input
        .amount_lost_vnd
        .filter(|a| *a > 0)
        .map(|a| (amount_label("amount_lost", lang), vnd(a)));
    let transfers = input.transfers.iter().enumerate().filter_map(|(i, t)| {
        let a = t.amount_vnd.filter(|a| *a > 0)?;
        Some((amount_label(&format!("t_amount_{i}"), lang), vnd(a)))
    });
    total.into_iter().chain(transfers).collect()
}

/// The words for a field's amount in errors and on the receipt.
pub(super) fn amount_label(field: &str, lang: Lang) -> String {
    match field
        .strip_prefix("t_amount_")
        .and_then(|n| n.parse::<usize>().ok())
    {
        Some(n) => match lang {
            Lang::Vi => format!("Số tiền của lần chuyển thứ {}", n + 1),
            Lang::En => format!("Amount of transfer {}", n + 1),
        },
        None => lang.pick("Tổng số tiền bị mất", "Total lost").to_string(),
    }
}

pub(super) fn confirm_token(i: &Identifier) -> String {
    match i {
        Identifier::BankAccount(a) => format!("bank_account|{}|{}", a.bin(), a.number()),
        other => format!("{}|{}", other.kind().as_str(), other.normalized()),
    }
}

pub(super) fn from_confirm_token(token: &str) -> IdentifierInput {
    let mut parts = token.splitn(3, '|');
    let kind = parts.next().unwrap_or("").to_string();
    let (bank, value) = match (parts.next(), parts.next()) {
        (Some(bin), Some(number)) => (Some(bin.to_string()), number.to_string()),
        (Some(value), None) => (None, value.to_string()),
        _ => (None, String::new()),
    };
    // Social accounts are stored as "platform:id"; give them back in a parseable form.
    let value = if kind == "social" {
        value.replacen(':', " ", 1)
    } else {
        value
    };
    IdentifierInput {
        kind: Some(kind),
        value: Some(value),
        bank,
        role: None,
    }
}

/// Builds the report input; amount and place errors found here are returned beside it.
pub(super) fn to_input(v: &FormValues, lang: Lang) -> (ReportInput, Vec<(String, String, String)>) {
    let mut errors = Vec::new();
    let mut amount = |field: &str| match parse_amount(&v.get(field)) {
        Ok(a) => a,
        Err(()) => {
            errors.push((
                field.to_string(),
                "amount_invalid".to_string(),
                match lang {
                    Lang::Vi => format!(
                        "{}: không đọc được “{}”. Viết như 15.000.000, 15 triệu hoặc 1,5 tỷ.",
                        amount_label(field, lang),
                        v.get(field).chars().take(40).collect::<String>()
                    ),
                    Lang::En => format!(
                        "{}: “{}” is not an amount. Write it as 15,000,000, 15 triệu or 1,5 tỷ.",
                        amount_label(field, lang),
                        v.get(field).chars().take(40).collect::<String>()
                    ),
                },
            ));
            None
        }
    };
    let amount_lost_vnd = amount("amount_lost");
    let mut transfers = Vec::new();
    for i in 0..TRANSFER_ROWS {
        let (bank, account) = (
            v.opt(&format!("t_bank_{i}")),
            v.opt(&format!("t_account_{i}")),
        );
        if bank.is_none() && account.is_none() {
            continue;
        }
        let amount_vnd = amount(&format!("t_amount_{i}"));
        transfers.push(TransferInput {
            bank,
            account,
            amount_vnd,
            at: v.opt(&format!("t_at_{i}")),
        });
    }
    let mut identifiers = Vec::new();
    for i in 0..IDENTIFIER_ROWS {
        let Some(value) = v.opt(&format!("i_value_{i}")) else {
            continue;
        };
        identifiers.push(IdentifierInput {
            kind: v.opt(&format!("i_kind_{i}")),
            value: Some(value),
            bank: v.opt(&format!("i_bank_{i}")),
            role: None,
        });
    }
    identifiers.extend(v.confirm.iter().take(20).map(|t| from_confirm_token(t)));
    let place_code = match v.opt("place_code") {
        None => None,
        Some(p) => match p.parse::<i64>() {
            Ok(c) => Some(c),
            Err(_) => {
                errors.push((
                    "place_code".into(),
                    "place_unknown".into(),
                    lang.pick("Xã, phường không hợp lệ.", "Invalid commune or ward.")
                        .into(),
                ));
                None
            }
        },
    };
    let reporter = ReporterInput {
        name: v.opt("reporter_name"),
        phone: v.opt("reporter_phone"),
        citizen_id: v.opt("reporter_citizen_id"),
        address: v.opt("reporter_address"),
        email: v.opt("reporter_email"),
    };
    let input = ReportInput {
        channel: v.opt("channel"),
        method: v.opt("method"),
        contacted_at: v.opt("contacted_at"),
        narrative: v.opt("narrative"),
        amount_lost_vnd,
        transfers,
        identifiers,
        place_code,
        evidence: v.evidence.clone(),
        reporter: (reporter != ReporterInput::default()).then_some(reporter),
        idempotency_key: None,
    };
    (input, errors)
}
