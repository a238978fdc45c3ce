//! The money trail and the identifiers of a report: each transfer's receiving
//! account, and every phone, account, site or handle the reporter names, checked
//! and kept once per role.

use super::parts::check_amount;
use super::{clean_text, parse_when, Errors, IdentifierInput, Transfer, TransferInput};
use crate::i18n::Lang;
use crate::ident::{BankAccount, Identifier, IdentifierKind};
use crate::report::{Role, MAX_IDENTIFIERS, MAX_TRANSFERS};

/// The identifiers found so far, each once per role.
#[derive(Default)]
pub(super) struct Found(pub(super) Vec<(Identifier, Role)>);

impl Found {
    fn add(&mut self, identifier: Identifier, role: Role) {
        let key = identifier.key();
        if !self.0.iter().any(|(i, r)| *r == role && i.key() == key) {
            self.0.push((identifier, role));
        }
    }
}

/// The transfers: at most [`MAX_TRANSFERS`], each to a valid account, not in the future.
pub(super) fn transfers_of(
    e: &mut Errors,
    input: &[TransferInput],
    latest: i64,
    found: &mut Found,
) -> Vec<Transfer> {
    if input.len() > MAX_TRANSFERS {
        e.add(
            "transfers",
            "too_many_transfers",
            format!("Tối đa {MAX_TRANSFERS} lần chuyển tiền."),
            format!("At most {MAX_TRANSFERS} transfers."),
        );
    }
    let mut transfers = Vec::new();
    for (i, t) in input.iter().take(MAX_TRANSFERS).enumerate() {
        let field = format!("transfers[{i}]");
        let amount = check_amount(e, &format!("{field}.amount_vnd"), t.amount_vnd);
        let at = match clean_text(&t.at) {
            None => None,
            Some(s) => match parse_when(&s) {
                Some(at) if at <= latest => Some(at),
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
                found.add(
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
    transfers
}

/// The identifiers named: at most [`MAX_IDENTIFIERS`], each of a known kind and role.
pub(super) fn identifiers_of(e: &mut Errors, input: &[IdentifierInput], found: &mut Found) {
    if input.len() > MAX_IDENTIFIERS {
        e.add(
            "identifiers",
            "too_many_identifiers",
            format!("Tối đa {MAX_IDENTIFIERS} thông tin nhận dạng."),
            format!("At most {MAX_IDENTIFIERS} identifiers."),
        );
    }
    for (i, item) in input.iter().take(MAX_IDENTIFIERS).enumerate() {
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
                found.add(identifier, role);
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
}
