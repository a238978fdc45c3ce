//! A bulletin as an analyst edits it: the form as sent and its checks (lengths per
//! channel, the leaflet's lines, GSM-7 for the plain SMS).

use serde::Deserialize;

use super::{limits, Drafts, Leaflet};
use crate::i18n::Lang;
use crate::intake::FieldError;
use crate::sms;

/// The edit form as sent.
#[derive(Deserialize, Default)]
pub struct EditForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub sms: String,
    #[serde(default)]
    pub sms_plain: String,
    #[serde(default)]
    pub zalo: String,
    #[serde(default)]
    pub fanpage: String,
    #[serde(default)]
    pub heading: String,
    #[serde(default)]
    pub red_flags: String,
    #[serde(default)]
    pub advice: String,
}

/// Checks an edited bulletin.
pub fn validate(form: &EditForm, lang: Lang) -> Result<Drafts, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut field = |name: &str, value: &str, min: usize, max: usize| {
        let text = value.trim().replace("\r\n", "\n");
        let n = text.chars().count();
        if n < min || n > max {
            errors.push(FieldError {
                field: name.into(),
                code: "length".into(),
                detail: format!(
                    "{} {min}–{max} {}",
                    lang.pick("Cần từ", "Needs"),
                    lang.pick("ký tự.", "characters.")
                ),
            });
        }
        text
    };
    let title = field("title", &form.title, 5, limits::TITLE);
    let sms = field("sms", &form.sms, 0, limits::SMS);
    let sms_plain = field("sms_plain", &form.sms_plain, 0, limits::SMS);
    let zalo = field("zalo", &form.zalo, 0, limits::ZALO);
    let fanpage = field("fanpage", &form.fanpage, 0, limits::FANPAGE);
    let heading = field("heading", &form.heading, 0, limits::TITLE);
    let list = |text: &str| -> Vec<String> {
        text.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect()
    };
    let red_flags = list(&form.red_flags);
    let advice = list(&form.advice);
    for (name, items) in [("red_flags", &red_flags), ("advice", &advice)] {
        if items.len() > limits::LEAFLET_LINES
            || items
                .iter()
                .any(|l| l.chars().count() > limits::LEAFLET_LINE)
        {
            errors.push(FieldError::new(
                name,
                "leaflet_lines",
                lang.pick(
                    "Tờ rơi: tối đa 6 dòng, mỗi dòng tối đa 200 ký tự.",
                    "Leaflet: at most 6 lines of at most 200 characters.",
                ),
            ));
        }
    }
    if !sms_plain.is_empty() && !sms::is_gsm7(&sms_plain) {
        errors.push(FieldError::new(
            "sms_plain",
            "not_gsm7",
            lang.pick(
                "Tin không dấu chỉ được dùng ký tự GSM-7 (không dấu tiếng Việt, không biểu tượng cảm xúc).",
                "The plain SMS may only use GSM-7 characters (no Vietnamese diacritics, no emoji).",
            ),
        ));
    }
    if errors.is_empty() {
        Ok(Drafts {
            title,
            sms,
            sms_plain,
            zalo,
            fanpage,
            leaflet: Leaflet {
                heading,
                red_flags,
                advice,
            },
        })
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_sms_with_diacritics_is_refused_with_a_reason() {
        let form = EditForm {
            title: "Cảnh giác".into(),
            sms_plain: "Cảnh giác".into(),
            ..Default::default()
        };
        let errors = validate(&form, Lang::Vi).expect_err("refused");
        assert!(errors.iter().any(|e| e.code == "not_gsm7"));
        let ok = EditForm {
            title: "Cảnh giác lừa đảo".into(),
            sms: "Cảnh giác".into(),
            sms_plain: "Canh giac".into(),
            red_flags: "a\n\n b ".into(),
            ..Default::default()
        };
        let d = validate(&ok, Lang::Vi).expect("valid");
        assert_eq!(d.leaflet.red_flags, ["a", "b"]);
    }
}
