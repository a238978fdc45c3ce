//! The checks of a report's single fields: channel, method, times, the story,
//! amounts, the commune, evidence references.

use super::{clean_text, parse_when, Errors};
use crate::methods::Catalogue;
use crate::report::{Channel, MAX_AMOUNT_VND, MAX_NARRATIVE_CHARS};

pub(super) fn channel_of(e: &mut Errors, channel: &Option<String>) -> Option<Channel> {
    match clean_text(channel) {
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
    }
}

pub(super) fn method_of(e: &mut Errors, method: &Option<String>) -> Option<String> {
    match clean_text(method) {
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
    }
}

/// When the scammer made contact: not in the future.
pub(super) fn contacted_at_of(e: &mut Errors, text: &Option<String>, latest: i64) -> Option<i64> {
    match clean_text(text) {
        None => None,
        Some(t) => match parse_when(&t) {
            Some(at) if at > latest => {
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
    }
}

/// The story: required, at most [`MAX_NARRATIVE_CHARS`].
pub(super) fn narrative_of(e: &mut Errors, text: &Option<String>) -> String {
    let narrative = clean_text(text).unwrap_or_default();
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
    narrative
}

/// The commune or ward, if given, must be one of the province.
pub(super) fn place_of(
    e: &mut Errors,
    code: Option<i64>,
    places: &dyn Fn(i64) -> bool,
) -> Option<i64> {
    match code {
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
    }
}

/// Evidence references: SHA-256 digests of uploaded files, each once.
pub(super) fn evidence_of(e: &mut Errors, digests: &[String]) -> Vec<String> {
    let mut evidence = Vec::new();
    for (i, digest) in digests.iter().enumerate() {
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
    evidence
}

/// An amount in đồng: not negative, not absurd.
pub(super) fn check_amount(e: &mut Errors, field: &str, amount: Option<i64>) -> u64 {
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
