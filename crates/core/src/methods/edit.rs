//! A method as analysts edit it in the console: the form as sent (lists one item
//! per line, examples as `message | source`) and its checks, giving the method to
//! store as a new version.

use serde::Deserialize;

use super::{Method, MethodExample};
use crate::i18n::Lang;
use crate::intake::FieldError;
use crate::report::Channel as ContactChannel;

/// Most lines in one list (steps, signs, advice).
const MAX_LINES: usize = 12;
/// Longest line.
const MAX_LINE: usize = 400;
/// Most example messages.
const MAX_EXAMPLES: usize = 10;

/// Channels a method can use: the report form's, plus e-mail and video calls.
pub fn channel_options(lang: Lang) -> Vec<(&'static str, &'static str)> {
    let mut out: Vec<(&'static str, &'static str)> = ContactChannel::ALL
        .iter()
        .filter(|c| c.as_str() != "other")
        .map(|c| (c.as_str(), c.label(lang)))
        .collect();
    out.push(("video_call", lang.pick("Gọi video", "Video call")));
    out.push(("email", lang.pick("Thư điện tử", "E-mail")));
    out
}

/// The edit form as sent (lists one item per line).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct MethodForm {
    #[serde(default)]
    pub key: String,
    #[serde(default)]
    pub group: String,
    #[serde(default)]
    pub name_vi: String,
    #[serde(default)]
    pub name_en: String,
    #[serde(default)]
    pub summary_vi: String,
    #[serde(default)]
    pub summary_en: String,
    #[serde(default)]
    pub how_it_works_vi: String,
    #[serde(default)]
    pub red_flags_vi: String,
    #[serde(default)]
    pub red_flags_en: String,
    #[serde(default)]
    pub advice_vi: String,
    #[serde(default)]
    pub advice_en: String,
    #[serde(default)]
    pub first_seen_year: String,
    /// One example per line: `message | source`.
    #[serde(default)]
    pub examples: String,
    #[serde(default)]
    pub note: String,
    /// The version the edit started from.
    #[serde(default)]
    pub base_version: String,
}

impl MethodForm {
    /// The form filled with a stored method.
    pub fn of(m: &Method) -> MethodForm {
        MethodForm {
            key: m.key.clone(),
            group: m.group.clone(),
            name_vi: m.name_vi.clone(),
            name_en: m.name_en.clone(),
            summary_vi: m.summary_vi.clone(),
            summary_en: m.summary_en.clone(),
            how_it_works_vi: m.how_it_works_vi.join("\n"),
            red_flags_vi: m.red_flags_vi.join("\n"),
            red_flags_en: m.red_flags_en.join("\n"),
            advice_vi: m.advice_vi.join("\n"),
            advice_en: m.advice_en.join("\n"),
            first_seen_year: m.first_seen_year.map(|y| y.to_string()).unwrap_or_default(),
            examples: m
                .examples
                .iter()
                .map(|x| format!("{} | {}", x.text.replace('\n', " "), x.source))
                .collect::<Vec<_>>()
                .join("\n"),
            note: String::new(),
            base_version: String::new(),
        }
    }
}

fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// Checks the form and builds the method (`base` carries what the form does not edit).
pub fn validate(
    form: &MethodForm,
    channels: Vec<String>,
    base: Option<&Method>,
    this_year: i32,
    lang: Lang,
) -> Result<(Method, String), Vec<FieldError>> {
    let mut errors = Vec::new();
    let key = form.key.trim().to_ascii_lowercase();
    if !(3..=40).contains(&key.len())
        || !key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        errors.push(FieldError::new(
            "key",
            "key_invalid",
            lang.pick(
                "Mã gồm 3–40 chữ thường không dấu, số hoặc '_'.",
                "The key is 3-40 lower-case letters, digits or '_'.",
            ),
        ));
    }
    let text = |field: &str,
                value: &str,
                range: std::ops::RangeInclusive<usize>,
                errors: &mut Vec<FieldError>| {
        let n = value.trim().chars().count();
        if !range.contains(&n) {
            errors.push(FieldError {
                field: field.into(),
                code: "length".into(),
                detail: format!(
                    "{} {}–{} {}",
                    lang.pick("Cần từ", "Needs"),
                    range.start(),
                    range.end(),
                    lang.pick("ký tự.", "characters.")
                ),
            });
        }
        value.trim().to_string()
    };
    let name_vi = text("name_vi", &form.name_vi, 3..=150, &mut errors);
    let name_en = text("name_en", &form.name_en, 0..=150, &mut errors);
    let summary_vi = text("summary_vi", &form.summary_vi, 10..=1500, &mut errors);
    let summary_en = text("summary_en", &form.summary_en, 0..=1500, &mut errors);
    let group = text("group", &form.group, 0..=40, &mut errors);
    let note = text("note", &form.note, 3..=500, &mut errors);
    let list = |field: &str, value: &str, required: bool, errors: &mut Vec<FieldError>| {
        let items = lines(value);
        if (required && items.is_empty())
            || items.len() > MAX_LINES
            || items.iter().any(|l| l.chars().count() > MAX_LINE)
        {
            errors.push(FieldError {
                field: field.into(),
                code: "list".into(),
                detail: format!(
                    "{} {MAX_LINES} {} {MAX_LINE} {}",
                    lang.pick(
                        if required {
                            "Cần 1 đến"
                        } else {
                            "Tối đa"
                        },
                        if required { "Needs 1 to" } else { "At most" }
                    ),
                    lang.pick("dòng, mỗi dòng tối đa", "lines of at most"),
                    lang.pick("ký tự.", "characters each.")
                ),
            });
        }
        items
    };
    let how_it_works_vi = list("how_it_works_vi", &form.how_it_works_vi, false, &mut errors);
    let red_flags_vi = list("red_flags_vi", &form.red_flags_vi, true, &mut errors);
    let red_flags_en = list("red_flags_en", &form.red_flags_en, false, &mut errors);
    let advice_vi = list("advice_vi", &form.advice_vi, true, &mut errors);
    let advice_en = list("advice_en", &form.advice_en, false, &mut errors);
    let first_seen_year = year_of(&form.first_seen_year, this_year, lang, &mut errors);
    let examples = examples_of(&form.examples, lang, &mut errors);
    let known: Vec<(&str, &str)> = channel_options(lang);
    let channels: Vec<String> = channels
        .into_iter()
        .filter(|c| known.iter().any(|(k, _)| k == c))
        .collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    let base = base.cloned().unwrap_or_default();
    let or = |text: String, fallback: &str| {
        if text.is_empty() {
            fallback.to_string()
        } else {
            text
        }
    };
    let method = Method {
        key,
        group: or(group, "other"),
        name_en: or(name_en, &name_vi),
        name_vi,
        summary_en: or(summary_en, &summary_vi),
        summary_vi,
        how_it_works_vi,
        red_flags_vi,
        red_flags_en,
        advice_vi,
        advice_en,
        channels,
        first_seen_year,
        examples,
        ..base
    };
    Ok((method, note))
}

/// `message | source` lines: at most [`MAX_EXAMPLES`], each with a real source.
fn examples_of(text: &str, lang: Lang, errors: &mut Vec<FieldError>) -> Vec<MethodExample> {
    let mut examples = Vec::new();
    for line in lines(text) {
        match line.rsplit_once(" | ") {
            Some((message, source))
                if !message.trim().is_empty()
                    && message.chars().count() <= 1_000
                    && (3..=300).contains(&source.trim().chars().count()) =>
            {
                examples.push(MethodExample {
                    text: message.trim().to_string(),
                    source: source.trim().to_string(),
                })
            }
            _ => {
                errors.push(FieldError::new(
                    "examples",
                    "example_invalid",
                    lang.pick(
                        "Mỗi dòng một tin nhắn thật, dạng: nội dung | nguồn (đường link hoặc nơi đăng).",
                        "One real message per line, as: message | source (a link or where it was published).",
                    ),
                ));
                break;
            }
        }
    }
    if examples.len() > MAX_EXAMPLES {
        errors.push(FieldError::new(
            "examples",
            "too_many",
            lang.pick("Tối đa 10 tin nhắn mẫu.", "At most 10 examples."),
        ));
    }
    examples
}

/// The year a method was first seen: empty, or from 2000 to this year.
fn year_of(text: &str, this_year: i32, lang: Lang, errors: &mut Vec<FieldError>) -> Option<u16> {
    match text.trim() {
        "" => None,
        y => match y.parse::<u16>() {
            Ok(y) if (2000..=this_year as u16).contains(&y) => Some(y),
            _ => {
                errors.push(FieldError::new(
                    "first_seen_year",
                    "year_invalid",
                    lang.pick(
                        "Năm xuất hiện từ 2000 đến năm nay.",
                        "The year is between 2000 and this year.",
                    ),
                ));
                None
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> MethodForm {
        MethodForm {
            key: "gia_danh_cong_an".into(),
            name_vi: "Giả danh công an".into(),
            summary_vi: "Gọi điện xưng là công an, đòi chuyển tiền để điều tra.".into(),
            red_flags_vi: "Đòi chuyển tiền vào tài khoản tạm giữ".into(),
            advice_vi: "Công an không làm việc qua điện thoại".into(),
            note: "Thêm mới".into(),
            ..MethodForm::default()
        }
    }

    fn fields(r: Result<(Method, String), Vec<FieldError>>) -> Vec<String> {
        r.err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| e.field)
            .collect()
    }

    #[test]
    fn a_complete_form_gives_the_method_with_english_falling_back_to_vietnamese() {
        let (m, note) = validate(
            &form(),
            vec!["call".into(), "nowhere".into()],
            None,
            2026,
            Lang::Vi,
        )
        .expect("valid");
        assert_eq!(
            (m.key.as_str(), m.group.as_str(), note.as_str()),
            ("gia_danh_cong_an", "other", "Thêm mới")
        );
        assert_eq!(m.name_en, m.name_vi);
        assert_eq!(
            m.channels,
            vec!["call".to_string()],
            "unknown channels are dropped"
        );
    }

    #[test]
    fn what_the_form_does_not_edit_is_kept_from_the_stored_version() {
        let base = Method {
            audiences_at_risk: vec!["elderly".into()],
            ..Method::default()
        };
        let (m, _) = validate(&form(), Vec::new(), Some(&base), 2026, Lang::Vi).expect("valid");
        assert_eq!(m.audiences_at_risk, vec!["elderly".to_string()]);
    }

    #[test]
    fn each_bad_field_is_named() {
        let mut f = form();
        f.key = "Gia Danh".into();
        f.red_flags_vi = String::new();
        f.first_seen_year = "2031".into();
        f.examples = "Tin nhắn không có nguồn".into();
        f.note = String::new();
        assert_eq!(
            fields(validate(&f, Vec::new(), None, 2026, Lang::En)),
            vec!["key", "note", "red_flags_vi", "first_seen_year", "examples"]
        );
    }

    #[test]
    fn examples_are_message_and_source() {
        let mut f = form();
        f.examples = "Bạn trúng thưởng 50 triệu | https://example.vn/bai-viet

"
        .into();
        let (m, _) = validate(&f, Vec::new(), None, 2026, Lang::Vi).expect("valid");
        assert_eq!(m.examples.len(), 1);
        assert_eq!(m.examples[0].source, "https://example.vn/bai-viet");
        f.examples = "Tin | https://a.vn
"
        .repeat(MAX_EXAMPLES + 1);
        assert_eq!(
            fields(validate(&f, Vec::new(), None, 2026, Lang::Vi)),
            vec!["examples"]
        );
    }
}
