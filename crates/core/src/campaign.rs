//! Peak campaigns ("đợt cao điểm tấn công trấn áp"): a named period with a scope of
//! communes, methods and channels, and optionally a target for holds ("hold within 24 h
//! for 80% of the reports with a transfer"). What a leader types is checked here.

use std::collections::HashSet;

use time::Date;

use crate::i18n::Lang;
use crate::intake::FieldError;
use crate::report::Channel;

/// The longest campaign, in days.
pub const MAX_DAYS: i64 = 366;
/// The longest name, in characters.
pub const MAX_NAME_CHARS: usize = 200;

/// What a campaign covers: a report is in it when it matches every non-empty list.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CampaignScope {
    /// Commune codes.
    pub communes: Vec<i64>,
    /// Method keys.
    pub methods: Vec<String>,
    /// Channel names.
    pub channels: Vec<String>,
}

impl CampaignScope {
    /// Whether a report with these facts is in scope.
    pub fn matches(&self, place: Option<i64>, method: Option<&str>, channel: &str) -> bool {
        (self.communes.is_empty() || place.is_some_and(|p| self.communes.contains(&p)))
            && (self.methods.is_empty()
                || method.is_some_and(|m| self.methods.iter().any(|x| x == m)))
            && (self.channels.is_empty() || self.channels.iter().any(|c| c == channel))
    }

    /// Whether nothing narrows it.
    pub fn is_empty(&self) -> bool {
        self.communes.is_empty() && self.methods.is_empty() && self.channels.is_empty()
    }
}

/// A target on holds: `percent` of the campaign's hold requests held within `hours`
/// of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct HoldTarget {
    /// Hours from the report.
    pub hours: u32,
    /// Share of the hold requests, percent.
    pub percent: u8,
}

/// A campaign as checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCampaign {
    /// Its name.
    pub name: String,
    /// First day.
    pub first: Date,
    /// Last day.
    pub last: Date,
    /// What it covers.
    pub scope: CampaignScope,
    /// Its target, if any.
    pub target: Option<HoldTarget>,
}

/// The form as sent (repeated fields gathered).
#[derive(Debug, Clone, Default)]
pub struct CampaignForm {
    /// Name.
    pub name: String,
    /// First day, `YYYY-MM-DD`.
    pub from: String,
    /// Last day.
    pub to: String,
    /// Commune codes.
    pub communes: Vec<String>,
    /// Method keys.
    pub methods: Vec<String>,
    /// Channel names.
    pub channels: Vec<String>,
    /// Target hours (empty: no target).
    pub target_hours: String,
    /// Target percent.
    pub target_percent: String,
}

fn day(text: &str) -> Option<Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(text.trim(), &format).ok()
}

/// Checks a campaign form against the calendar and the registries; every problem is
/// reported, each on its field.
pub fn validate(
    form: &CampaignForm,
    is_commune: &dyn Fn(i64) -> bool,
    is_method: &dyn Fn(&str) -> bool,
    lang: Lang,
) -> Result<NewCampaign, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut err = |field: &str, code: &str, vi: &str, en: &str| {
        errors.push(FieldError::new(field, code, lang.pick(vi, en)));
    };
    let name = form.name.trim().to_string();
    if name.is_empty() {
        err(
            "name",
            "name_missing",
            "Đặt tên cho đợt cao điểm.",
            "Give the campaign a name.",
        );
    } else if name.chars().count() > MAX_NAME_CHARS {
        err(
            "name",
            "name_too_long",
            "Tên dài quá 200 ký tự.",
            "The name is longer than 200 characters.",
        );
    }
    let first = day(&form.from);
    let last = day(&form.to);
    match (first, last) {
        (None, _) => err(
            "from",
            "date_invalid",
            "Ngày bắt đầu không hợp lệ; nhập theo dạng năm-tháng-ngày.",
            "Invalid first day; use year-month-day.",
        ),
        (_, None) => err(
            "to",
            "date_invalid",
            "Ngày kết thúc không hợp lệ; nhập theo dạng năm-tháng-ngày.",
            "Invalid last day; use year-month-day.",
        ),
        (Some(a), Some(b)) if b < a => err(
            "to",
            "range_reversed",
            "Ngày kết thúc đứng trước ngày bắt đầu.",
            "The last day is before the first day.",
        ),
        (Some(a), Some(b)) if (b - a).whole_days() >= MAX_DAYS => err(
            "to",
            "range_too_long",
            "Một đợt cao điểm dài tối đa một năm.",
            "A campaign lasts at most a year.",
        ),
        _ => {}
    }
    let mut scope = CampaignScope::default();
    let mut seen = HashSet::new();
    for c in &form.communes {
        match c.trim().parse::<i64>() {
            Ok(code) if is_commune(code) => {
                if seen.insert(code) {
                    scope.communes.push(code);
                }
            }
            _ => err(
                "communes",
                "commune_unknown",
                "Có xã, phường không thuộc tỉnh; chọn trong danh sách.",
                "A commune is not in the province; choose from the list.",
            ),
        }
    }
    for m in &form.methods {
        let m = m.trim();
        if is_method(m) {
            if !scope.methods.iter().any(|x| x == m) {
                scope.methods.push(m.to_string());
            }
        } else {
            err(
                "methods",
                "method_unknown",
                "Có thủ đoạn không có trong danh mục.",
                "A method is not in the catalogue.",
            );
        }
    }
    for c in &form.channels {
        match Channel::parse(c.trim()) {
            Some(ch) => {
                let key = ch.as_str().to_string();
                if !scope.channels.contains(&key) {
                    scope.channels.push(key);
                }
            }
            None => err(
                "channels",
                "channel_unknown",
                "Có kênh liên lạc không hợp lệ.",
                "A channel is not valid.",
            ),
        }
    }
    if scope.is_empty()
        && form.communes.is_empty()
        && form.methods.is_empty()
        && form.channels.is_empty()
    {
        err(
            "scope",
            "scope_empty",
            "Chọn phạm vi của đợt: ít nhất một xã, phường, một thủ đoạn hoặc một kênh.",
            "Choose the campaign's scope: at least one commune, method or channel.",
        );
    }
    let hours = form.target_hours.trim();
    let percent = form.target_percent.trim();
    let target = match (hours.is_empty(), percent.is_empty()) {
        (true, true) => None,
        _ => {
            let h = hours.parse::<u32>().ok().filter(|h| (1..=720).contains(h));
            let p = percent.parse::<u8>().ok().filter(|p| (1..=100).contains(p));
            if h.is_none() {
                err(
                    "target_hours",
                    "target_hours_invalid",
                    "Số giờ của chỉ tiêu từ 1 đến 720.",
                    "The target's hours are 1 to 720.",
                );
            }
            if p.is_none() {
                err(
                    "target_percent",
                    "target_percent_invalid",
                    "Tỷ lệ của chỉ tiêu từ 1 đến 100 phần trăm.",
                    "The target's share is 1 to 100 percent.",
                );
            }
            h.zip(p)
                .map(|(hours, percent)| HoldTarget { hours, percent })
        }
    };
    match (errors.is_empty(), first, last) {
        (true, Some(first), Some(last)) => Ok(NewCampaign {
            name,
            first,
            last,
            scope,
            target,
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> CampaignForm {
        CampaignForm {
            name: "Cao điểm tháng 12".into(),
            from: "2026-12-01".into(),
            to: "2026-12-31".into(),
            communes: vec!["26734".into()],
            methods: vec!["romance".into()],
            channels: vec!["zalo".into()],
            target_hours: "24".into(),
            target_percent: "80".into(),
        }
    }

    fn check(f: &CampaignForm) -> Result<NewCampaign, Vec<FieldError>> {
        validate(f, &|c| c == 26734, &|m| m == "romance", Lang::Vi)
    }

    fn codes(f: &CampaignForm) -> Vec<String> {
        check(f)
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| e.code)
            .collect()
    }

    #[test]
    fn a_good_campaign_passes_and_matches_only_its_scope() {
        let c = check(&form()).expect("valid");
        assert_eq!(
            c.target,
            Some(HoldTarget {
                hours: 24,
                percent: 80
            })
        );
        assert!(c.scope.matches(Some(26734), Some("romance"), "zalo"));
        assert!(!c.scope.matches(Some(26734), Some("romance"), "sms"));
        assert!(!c.scope.matches(None, Some("romance"), "zalo"));
        let wide = CampaignScope {
            methods: vec!["romance".into()],
            ..Default::default()
        };
        assert!(wide.matches(None, Some("romance"), "sms"));
    }

    #[test]
    fn every_bad_field_is_named() {
        let mut f = form();
        f.communes.clear();
        f.methods.clear();
        f.channels.clear();
        assert_eq!(codes(&f), vec!["scope_empty"]);
        let mut f = form();
        f.to = "2026-11-01".into();
        f.name = " ".into();
        assert_eq!(codes(&f), vec!["name_missing", "range_reversed"]);
        let mut f = form();
        f.communes = vec!["1".into()];
        f.methods = vec!["nope".into()];
        f.channels = vec!["fax".into()];
        f.target_percent = "120".into();
        assert_eq!(
            codes(&f),
            vec![
                "commune_unknown",
                "method_unknown",
                "channel_unknown",
                "target_percent_invalid"
            ]
        );
        let mut f = form();
        f.from = "2026-02-30".into();
        assert_eq!(codes(&f), vec!["date_invalid"]);
        let mut f = form();
        f.target_hours.clear();
        f.target_percent.clear();
        assert_eq!(check(&f).expect("no target").target, None);
    }
}
