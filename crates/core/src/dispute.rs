//! Validation of a request for review (dispute) from the owner of a listed phone
//! number, account or website: every field checked at once, errors in the caller's
//! language.

use serde::Deserialize;

use crate::i18n::Lang;
use crate::ident::phone::PhoneNumber;
use crate::ident::Email;
use crate::intake::FieldError;
use crate::recognize::{recognize, Query};
use crate::Identifier;

/// Shortest explanation, in characters.
pub const MIN_EXPLANATION: usize = 20;
/// Longest explanation, in characters.
pub const MAX_EXPLANATION: usize = 5_000;

/// A dispute as sent.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DisputeInput {
    /// The listed phone number, "BANK ACCOUNT", website, social account or wallet.
    #[serde(default)]
    pub identifier: String,
    /// The requester's full name.
    #[serde(default)]
    pub name: String,
    /// A phone number or e-mail to answer on.
    #[serde(default)]
    pub contact: String,
    /// Why the listing is wrong (20 to 5,000 characters).
    #[serde(default)]
    pub explanation: String,
}

/// A valid dispute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidDispute {
    /// The identifier.
    pub identifier: Identifier,
    /// Name, trimmed.
    pub name: String,
    /// E.164 phone or e-mail.
    pub contact: String,
    /// Explanation, trimmed.
    pub explanation: String,
}

fn error(field: &str, code: &str, lang: Lang, vi: &str, en: &str) -> FieldError {
    FieldError {
        field: field.into(),
        code: code.into(),
        detail: lang.pick(vi, en).into(),
    }
}

/// Checks every field.
pub fn validate(input: &DisputeInput, lang: Lang) -> Result<ValidDispute, Vec<FieldError>> {
    let mut errors = Vec::new();
    let identifier = match recognize(&input.identifier) {
        Ok(Query::One(i)) => Some(i),
        // A bare number is the phone number it makes; an account needs its bank.
        Ok(Query::Number { phone: Some(p), .. }) => Some(Identifier::Phone(p)),
        Ok(Query::Text(_) | Query::Number { phone: None, .. }) => {
            errors.push(error("identifier", "identifier_not_recognised", lang,
                "Hãy nhập đúng một số điện thoại, tài khoản (kèm ngân hàng), trang web, tài khoản mạng xã hội hoặc ví.",
                "Type exactly one phone number, account (with its bank), website, social account or wallet."));
            None
        }
        Err(crate::recognize::QueryError::Empty) => {
            errors.push(error(
                "identifier",
                "required",
                lang,
                "Cần nhập định danh bị cảnh báo.",
                "The listed identifier is required.",
            ));
            None
        }
        Err(e) => {
            errors.push(FieldError {
                field: "identifier".into(),
                code: "identifier_invalid".into(),
                detail: e.message(lang),
            });
            None
        }
    };
    let name = input.name.trim();
    if name.chars().count() < 2 || name.chars().count() > 100 {
        errors.push(error(
            "name",
            "name_invalid",
            lang,
            "Họ tên cần từ 2 đến 100 ký tự.",
            "The name needs 2 to 100 characters.",
        ));
    }
    let contact_text = input.contact.trim();
    let contact = if contact_text.contains('@') {
        Email::parse(contact_text)
            .ok()
            .map(|e| e.as_str().to_string())
    } else {
        PhoneNumber::parse(contact_text)
            .ok()
            .map(|p| p.e164().to_string())
    };
    if contact.is_none() {
        errors.push(error(
            "contact",
            "contact_invalid",
            lang,
            "Cần một số điện thoại hoặc địa chỉ thư điện tử hợp lệ để cán bộ trả lời.",
            "A valid phone number or e-mail address is needed for the answer.",
        ));
    }
    let explanation = input.explanation.trim();
    let n = explanation.chars().count();
    if n < MIN_EXPLANATION {
        errors.push(error("explanation", "explanation_too_short", lang,
            "Hãy giải thích rõ hơn (ít nhất 20 ký tự): định danh này của ai, dùng vào việc gì.",
            "Explain more (at least 20 characters): whose identifier it is and what it is used for."));
    } else if n > MAX_EXPLANATION {
        errors.push(error(
            "explanation",
            "explanation_too_long",
            lang,
            "Phần giải thích tối đa 5.000 ký tự.",
            "The explanation is 5,000 characters at most.",
        ));
    }
    match (identifier, contact, errors.is_empty()) {
        (Some(identifier), Some(contact), true) => Ok(ValidDispute {
            identifier,
            name: name.to_string(),
            contact,
            explanation: explanation.to_string(),
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(identifier: &str, name: &str, contact: &str, explanation: &str) -> DisputeInput {
        DisputeInput {
            identifier: identifier.into(),
            name: name.into(),
            contact: contact.into(),
            explanation: explanation.into(),
        }
    }

    #[test]
    fn a_complete_dispute_is_normalised() {
        let v = validate(
            &input(
                " 0912 345 678 ",
                "Nguyễn Văn Bình",
                "0987.654.321",
                "Đây là số của cửa hàng tôi, dùng để giao hàng.",
            ),
            Lang::Vi,
        )
        .expect("valid");
        assert_eq!(v.identifier.key(), "phone:+84912345678");
        assert_eq!(v.contact, "+84987654321");
        let v = validate(
            &input(
                "VCB 0123456789",
                "Bình",
                "binh@example.vn",
                "Tài khoản lương của tôi, không liên quan.",
            ),
            Lang::Vi,
        )
        .expect("valid");
        assert_eq!(v.contact, "binh@example.vn");
    }

    #[test]
    fn every_bad_field_is_named_at_once() {
        let errors =
            validate(&input("gọi cho tôi", "B", "không có", "sai"), Lang::En).expect_err("invalid");
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["identifier", "name", "contact", "explanation"]);
        assert!(errors.iter().all(|e| !e.detail.is_empty()));
        let errors = validate(
            &input("", "Bình", "0987654321", &"x".repeat(5_001)),
            Lang::Vi,
        )
        .expect_err("invalid");
        assert_eq!(errors[0].code, "required");
        assert_eq!(errors[1].code, "explanation_too_long");
    }
}
