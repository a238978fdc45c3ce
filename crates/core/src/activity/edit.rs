//! An agency's awareness activity as its liaison records it: the form as sent and
//! its checks (a known kind and audience, a day within the last year and not in
//! the future, a plausible reach, an http(s) link).

use serde::Deserialize;
use time::macros::format_description;
use time::Date;

use super::ActivityKind;
use crate::bulletin::Audience;
use crate::i18n::Lang;
use crate::intake::FieldError;

/// An activity to record (checked by [`validate`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewActivity {
    /// What was done.
    pub kind: ActivityKind,
    /// When.
    pub held_on: Date,
    /// For whom.
    pub audience: Audience,
    /// People reached.
    pub reached: i64,
    /// The bulletin used, if any.
    pub bulletin_id: Option<i64>,
    /// A link to a post, article or photo.
    pub link: String,
    /// Anything else.
    pub note: String,
}

/// Most people one activity may claim to reach.
pub const MAX_REACHED: i64 = 10_000_000;

/// An activity as the form sends it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ActivityForm {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub held_on: String,
    #[serde(default)]
    pub audience: String,
    #[serde(default)]
    pub reached: String,
    #[serde(default)]
    pub bulletin: String,
    #[serde(default)]
    pub link: String,
    #[serde(default)]
    pub note: String,
}

/// Checks an activity: a known kind and audience, a day in the last year and not in
/// the future, a plausible number of people, an http(s) link.
pub fn validate(
    form: &ActivityForm,
    today: Date,
    lang: Lang,
) -> Result<NewActivity, Vec<FieldError>> {
    let mut errors = Vec::new();
    let kind = ActivityKind::from_key(&form.kind);
    if kind.is_none() {
        errors.push(FieldError::new(
            "kind",
            "kind_invalid",
            lang.pick("Chọn hình thức.", "Choose the kind of activity."),
        ));
    }
    let audience = Audience::from_key(&form.audience);
    if audience.is_none() {
        errors.push(FieldError::new(
            "audience",
            "audience_invalid",
            lang.pick("Chọn đối tượng.", "Choose the audience."),
        ));
    }
    let held_on = Date::parse(
        form.held_on.trim(),
        &format_description!("[year]-[month]-[day]"),
    )
    .ok();
    match held_on {
        Some(d) if d <= today && (today - d).whole_days() <= 366 => {}
        _ => errors.push(FieldError::new(
            "held_on",
            "date_invalid",
            lang.pick(
                "Ngày thực hiện trong vòng một năm qua, không phải ngày tương lai (năm-tháng-ngày).",
                "The day is within the last year and not in the future (year-month-day).",
            ),
        )),
    }
    let reached = match form.reached.trim().replace(['.', ','], "").parse::<i64>() {
        Ok(n) if (0..=MAX_REACHED).contains(&n) => n,
        _ => {
            errors.push(FieldError::new(
                "reached",
                "reached_invalid",
                lang.pick(
                    "Số người được tuyên truyền là số từ 0 đến 10.000.000.",
                    "People reached is a number from 0 to 10,000,000.",
                ),
            ));
            0
        }
    };
    let bulletin_id = match form.bulletin.trim() {
        "" => None,
        b => match b.parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => {
                errors.push(FieldError::new(
                    "bulletin",
                    "bulletin_invalid",
                    lang.pick("Bản tin không hợp lệ.", "Not a valid bulletin."),
                ));
                None
            }
        },
    };
    let link = form.link.trim().to_string();
    if !link.is_empty()
        && (link.chars().count() > 500
            || !(link.starts_with("https://") || link.starts_with("http://")))
    {
        errors.push(FieldError::new(
            "link",
            "link_invalid",
            lang.pick(
                "Đường link bắt đầu bằng http:// hoặc https://, tối đa 500 ký tự.",
                "The link starts with http:// or https://, at most 500 characters.",
            ),
        ));
    }
    let note = form.note.trim().to_string();
    if note.chars().count() > 1000 {
        errors.push(FieldError::new(
            "note",
            "note_too_long",
            lang.pick(
                "Ghi chú tối đa 1000 ký tự.",
                "The note is at most 1000 characters.",
            ),
        ));
    }
    match (kind, audience, held_on) {
        (Some(kind), Some(audience), Some(held_on)) if errors.is_empty() => Ok(NewActivity {
            kind,
            held_on,
            audience,
            reached,
            bulletin_id,
            link,
            note,
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn an_activity_needs_a_past_day_a_kind_an_audience_and_a_plausible_reach() {
        let today = date!(2026 - 11 - 29);
        let good = ActivityForm {
            kind: "party_cell".into(),
            held_on: "2026-11-20".into(),
            audience: "officials".into(),
            reached: "1.250".into(),
            link: "https://example.vn/bai-viet".into(),
            ..Default::default()
        };
        let a = validate(&good, today, Lang::Vi).expect("valid");
        assert_eq!(a.reached, 1250);
        let bad = ActivityForm {
            kind: "party".into(),
            held_on: "2026-12-01".into(),
            audience: "".into(),
            reached: "-3".into(),
            link: "javascript:alert(1)".into(),
            ..Default::default()
        };
        let errors = validate(&bad, today, Lang::Vi).expect_err("refused");
        let codes: Vec<&str> = errors.iter().map(|e| e.code.as_str()).collect();
        assert_eq!(
            codes,
            [
                "kind_invalid",
                "audience_invalid",
                "date_invalid",
                "reached_invalid",
                "link_invalid"
            ]
        );
    }
}
