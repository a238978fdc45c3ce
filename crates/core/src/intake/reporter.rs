//! The reporter's own contact details (kept encrypted, shown only to officers
//! who need them).

use super::{clean_text, Errors, ReporterContact, ReporterInput};
use crate::i18n::Lang;
use crate::ident::PhoneNumber;

pub(super) fn validate_reporter(e: &mut Errors, r: &ReporterInput) -> ReporterContact {
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
