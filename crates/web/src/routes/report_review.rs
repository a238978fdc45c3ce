//! The "check before you send" screen of the report form: every answer as it was
//! read (amounts as numbers, times as dd/mm/yyyy HH:MM, names not keys), grouped by
//! the screen where it can be changed.

use canhgiac_core::i18n::Lang;
use canhgiac_core::intake::parse_when;
use canhgiac_core::methods::Catalogue;
use canhgiac_core::report::Channel;
use canhgiac_core::IdentifierKind;

use super::report_fields::{amount_label, parse_amount, FormValues};
use super::report_page::{IDENTIFIER_ROWS, TRANSFER_ROWS};
use super::report_steps::{FormStep, QUESTION_STEPS};
use crate::pages::format::fmt_datetime;

/// The answers of one screen.
pub struct ReviewSection {
    /// The screen's number, for its "change" button.
    pub step: usize,
    pub title: String,
    /// (what, answer); empty when nothing was given.
    pub rows: Vec<(String, String)>,
}

fn amount(text: &str) -> String {
    match parse_amount(text) {
        Ok(Some(a)) => format!(
            "{} đ",
            canhgiac_core::verdict::format_vnd(u64::try_from(a).unwrap_or(0))
        ),
        _ => text.trim().to_string(),
    }
}

fn when(text: &str) -> String {
    parse_when(text)
        .map(fmt_datetime)
        .unwrap_or_else(|| text.trim().to_string())
}

/// Every answer of the form, by screen. `place` names a commune or ward by its code.
pub(super) fn review(
    v: &FormValues,
    lang: Lang,
    place: &dyn Fn(i64) -> Option<String>,
    found: &[String],
) -> Vec<ReviewSection> {
    QUESTION_STEPS
        .iter()
        .map(|&step| ReviewSection {
            step: step.number(),
            title: step.title(lang).to_string(),
            rows: rows_of(step, v, lang, place, found),
        })
        .collect()
}

fn rows_of(
    step: FormStep,
    v: &FormValues,
    lang: Lang,
    place: &dyn Fn(i64) -> Option<String>,
    found: &[String],
) -> Vec<(String, String)> {
    let mut rows = Vec::new();
    let mut row = |what: &str, answer: String| {
        if !answer.trim().is_empty() {
            rows.push((what.to_string(), answer));
        }
    };
    match step {
        FormStep::Happened => {
            let channel = Channel::parse(&v.get("channel")).map(|c| c.label(lang).to_string());
            row(
                lang.pick("Liên lạc qua", "Contacted by"),
                channel.unwrap_or_default(),
            );
            let method = Catalogue::get()
                .by_key(&v.get("method"))
                .map(|m| m.name(lang).to_string());
            row(
                lang.pick("Thủ đoạn", "Method"),
                method.unwrap_or_else(|| lang.pick("Không rõ", "Not sure").to_string()),
            );
            row(lang.pick("Thời điểm", "When"), when(&v.get("contacted_at")));
            row(lang.pick("Lời kể", "Your account"), v.get("narrative"));
            if !v.evidence.is_empty() {
                row(
                    lang.pick("Bằng chứng", "Evidence"),
                    match lang {
                        Lang::Vi => format!("{} tệp", v.evidence.len()),
                        Lang::En => format!("{} file(s)", v.evidence.len()),
                    },
                );
            }
        }
        FormStep::Paid => {
            row(
                &amount_label("amount_lost", lang),
                amount(&v.get("amount_lost")),
            );
            for i in 0..TRANSFER_ROWS {
                let parts: Vec<String> = [
                    format!(
                        "{} {}",
                        v.get(&format!("t_bank_{i}")).trim(),
                        v.get(&format!("t_account_{i}")).trim()
                    ),
                    amount(&v.get(&format!("t_amount_{i}"))),
                    when(&v.get(&format!("t_at_{i}"))),
                ]
                .into_iter()
                .map(|p| p.trim().to_string())
                .filter(|p| !p.is_empty())
                .collect();
                let what = match lang {
                    Lang::Vi => format!("Lần chuyển {}", i + 1),
                    Lang::En => format!("Transfer {}", i + 1),
                };
                row(&what, parts.join(" · "));
            }
        }
        FormStep::Contacted => {
            for i in 0..IDENTIFIER_ROWS {
                let value = v.get(&format!("i_value_{i}"));
                let kind = IdentifierKind::parse(&v.get(&format!("i_kind_{i}")))
                    .map(|k| k.label(lang).to_string())
                    .unwrap_or_else(|| lang.pick("Thông tin", "Detail").to_string());
                let bank = v.get(&format!("i_bank_{i}"));
                let answer = format!("{} {}", bank.trim(), value.trim());
                if !value.trim().is_empty() {
                    row(&kind, answer.trim().to_string());
                }
            }
            for f in found {
                row(
                    lang.pick("Tìm thấy trong lời kể", "Found in your account"),
                    f.clone(),
                );
            }
        }
        FormStep::You => {
            let commune = v
                .get("place_code")
                .trim()
                .parse::<i64>()
                .ok()
                .and_then(place);
            row(
                lang.pick("Xã, phường", "Commune or ward"),
                commune.unwrap_or_default(),
            );
            for (field, what) in [
                ("reporter_name", lang.pick("Họ và tên", "Full name")),
                ("reporter_phone", lang.pick("Số điện thoại", "Phone number")),
                ("reporter_citizen_id", lang.pick("Số CCCD", "Citizen ID")),
                ("reporter_address", lang.pick("Địa chỉ", "Address")),
                ("reporter_email", "Email"),
            ] {
                row(what, v.get(field));
            }
        }
        FormStep::Review => {}
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_shown_as_they_were_read() {
        let mut v = FormValues::default();
        for (k, val) in [
            ("channel", "call"),
            ("narrative", "Bị lừa"),
            ("contacted_at", "2026-11-30T09:05"),
            ("amount_lost", "15tr"),
            ("t_bank_0", "ACB"),
            ("t_account_0", "82353350040"),
            ("t_amount_0", "1,5 tỷ"),
            ("reporter_name", "An"),
            ("place_code", "26734"),
        ] {
            v.fields.insert(k.into(), val.into());
        }
        let sections = review(&v, Lang::Vi, &|c| Some(format!("Xã {c}")), &[]);
        assert_eq!(sections.len(), 4);
        let happened = &sections[0].rows;
        let call = Channel::parse("call").map(|c| c.label(Lang::Vi).to_string());
        assert_eq!(Some(happened[0].1.clone()), call);
        assert!(happened.contains(&("Thời điểm".into(), "30/11/2026 09:05".into())));
        assert!(happened.contains(&("Thủ đoạn".into(), "Không rõ".into())));
        let paid = &sections[1].rows;
        assert_eq!(paid[0].1, "15.000.000 đ");
        assert_eq!(paid[1].1, "ACB 82353350040 · 1.500.000.000 đ");
        assert!(sections[2].rows.is_empty());
        assert_eq!(
            sections[3].rows[0],
            ("Xã, phường".into(), "Xã 26734".into())
        );
        assert_eq!(sections[3].step, 4);
    }
}
