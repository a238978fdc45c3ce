//! Statistics periods and the rules for showing small counts.
//!
//! A period is a calendar month (`2026-11`), quarter (`2026-Q4`), half-year
//! (`2026-H2`), year (`2026`) or a custom range of days. Each is compared with the
//! period just before it (of the same kind, or the same number of days for a custom
//! range) and with the same days one year earlier. Days are local days in Vietnam.

use time::{Date, Duration, Month};

use crate::clock::{add_months, VN_OFFSET};
use crate::i18n::Lang;

/// Counts below this are shown as "< 5" to roles that may not see reports (oversight,
/// the public), so that a commune or a method with few reports does not point to a
/// person.
pub const SUPPRESS_BELOW: u64 = 5;

/// The longest custom range, in days.
pub const MAX_CUSTOM_DAYS: i64 = 3 * 366;

/// What kind of period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodKind {
    /// A calendar month.
    Month,
    /// A calendar quarter.
    Quarter,
    /// January–June or July–December.
    HalfYear,
    /// A calendar year.
    Year,
    /// Any range of whole days.
    Custom,
}

/// A statistics period: whole local days, first and last inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatsPeriod {
    /// What kind.
    pub kind: PeriodKind,
    /// First day.
    pub first: Date,
    /// Last day.
    pub last: Date,
}

/// Why a period was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    /// Not a month, quarter, half-year or year key.
    #[error("unknown period")]
    Unknown,
    /// A custom day that is not `YYYY-MM-DD`.
    #[error("bad date")]
    BadDate,
    /// The last day is before the first.
    #[error("reversed range")]
    Reversed,
    /// The period starts after today.
    #[error("period in the future")]
    Future,
    /// A custom range longer than [`MAX_CUSTOM_DAYS`].
    #[error("range too long")]
    TooLong,
}

impl PeriodError {
    /// A stable code for API clients.
    pub fn code(self) -> &'static str {
        match self {
            PeriodError::Unknown => "period_unknown",
            PeriodError::BadDate => "date_invalid",
            PeriodError::Reversed => "range_reversed",
            PeriodError::Future => "period_future",
            PeriodError::TooLong => "range_too_long",
        }
    }

    /// The message for people.
    pub fn message(self, lang: Lang) -> &'static str {
        match self {
            PeriodError::Unknown => lang.pick(
                "Kỳ không hợp lệ: dùng tháng (2026-11), quý (2026-Q4), 6 tháng (2026-H2), năm (2026) hoặc chọn từ ngày đến ngày.",
                "Unknown period: use a month (2026-11), a quarter (2026-Q4), a half-year (2026-H2), a year (2026) or a range of days.",
            ),
            PeriodError::BadDate => lang.pick(
                "Ngày không hợp lệ; nhập theo dạng năm-tháng-ngày, ví dụ 2026-11-30.",
                "Invalid date; use year-month-day, e.g. 2026-11-30.",
            ),
            PeriodError::Reversed => lang.pick(
                "Ngày kết thúc đứng trước ngày bắt đầu.",
                "The last day is before the first day.",
            ),
            PeriodError::Future => lang.pick(
                "Kỳ này chưa bắt đầu; chọn một kỳ đã qua hoặc kỳ hiện tại.",
                "This period has not started yet; choose a past or the current period.",
            ),
            PeriodError::TooLong => lang.pick(
                "Khoảng thời gian dài quá 3 năm.",
                "The range is longer than 3 years.",
            ),
        }
    }
}

fn day(text: &str) -> Result<Date, PeriodError> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(text.trim(), &format).map_err(|_| PeriodError::BadDate)
}

fn month_span(year: i32, first_month: u8, months: u8) -> Option<(Date, Date)> {
    let first = Date::from_calendar_date(year, Month::try_from(first_month).ok()?, 1).ok()?;
    let last = add_months(first, months).previous_day()?;
    Some((first, last))
}

impl StatsPeriod {
    /// The month holding `day`.
    pub fn month_of(day: Date) -> StatsPeriod {
        let first = day.replace_day(1).unwrap_or(day);
        let last = add_months(first, 1).previous_day().unwrap_or(first);
        StatsPeriod {
            kind: PeriodKind::Month,
            first,
            last,
        }
    }

    /// Parses a period key (`2026-11`, `2026-Q4`, `2026-H2`, `2026`), or a custom
    /// range when `key` is `custom` (`tu-chon`) with `from` and `to` days. Refuses a
    /// period that starts after `today`.
    pub fn parse(
        key: &str,
        from: Option<&str>,
        to: Option<&str>,
        today: Date,
    ) -> Result<StatsPeriod, PeriodError> {
        let key = key.trim();
        let period = if key == "custom" || key == "tu-chon" {
            let first = day(from.unwrap_or(""))?;
            let last = day(to.unwrap_or(""))?;
            if last < first {
                return Err(PeriodError::Reversed);
            }
            if (last - first).whole_days() >= MAX_CUSTOM_DAYS {
                return Err(PeriodError::TooLong);
            }
            StatsPeriod {
                kind: PeriodKind::Custom,
                first,
                last,
            }
        } else {
            Self::parse_key(key).ok_or(PeriodError::Unknown)?
        };
        if period.first > today {
            return Err(PeriodError::Future);
        }
        Ok(period)
    }

    fn parse_key(key: &str) -> Option<StatsPeriod> {
        let (year_text, rest) = match key.split_once('-') {
            Some((y, r)) => (y, Some(r)),
            None => (key, None),
        };
        let year: i32 = year_text.parse().ok()?;
        if !(2000..=2100).contains(&year) {
            return None;
        }
        let (kind, (first, last)) = match rest {
            None => (PeriodKind::Year, month_span(year, 1, 12)?),
            Some(r) => {
                if let Some(q) = r.strip_prefix(['Q', 'q']) {
                    let q: u8 = q.parse().ok().filter(|q| (1..=4).contains(q))?;
                    (PeriodKind::Quarter, month_span(year, (q - 1) * 3 + 1, 3)?)
                } else if let Some(h) = r.strip_prefix(['H', 'h']) {
                    let h: u8 = h.parse().ok().filter(|h| (1..=2).contains(h))?;
                    (PeriodKind::HalfYear, month_span(year, (h - 1) * 6 + 1, 6)?)
                } else {
                    let m: u8 = r.parse().ok().filter(|m| (1..=12).contains(m))?;
                    (PeriodKind::Month, month_span(year, m, 1)?)
                }
            }
        };
        Some(StatsPeriod { kind, first, last })
    }

    /// The latest `n` periods of a kind that have started by `today`, newest first
    /// (the current one included). `kind` Custom gives nothing.
    pub fn latest(kind: PeriodKind, n: usize, today: Date) -> Vec<StatsPeriod> {
        let m = u8::from(today.month());
        let key = match kind {
            PeriodKind::Month => format!("{}-{m:02}", today.year()),
            PeriodKind::Quarter => format!("{}-Q{}", today.year(), (m - 1) / 3 + 1),
            PeriodKind::HalfYear => format!("{}-H{}", today.year(), (m - 1) / 6 + 1),
            PeriodKind::Year => today.year().to_string(),
            PeriodKind::Custom => return Vec::new(),
        };
        let Some(mut p) = Self::parse_key(&key) else {
            return Vec::new();
        };
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            out.push(p);
            p = p.previous();
        }
        out
    }

    /// Its key: `2026-11`, `2026-Q4`, `2026-H2`, `2026` or `2026-01-05..2026-02-04`.
    pub fn key(&self) -> String {
        let y = self.first.year();
        let m = u8::from(self.first.month());
        match self.kind {
            PeriodKind::Month => format!("{y}-{m:02}"),
            PeriodKind::Quarter => format!("{y}-Q{}", (m - 1) / 3 + 1),
            PeriodKind::HalfYear => format!("{y}-H{}", (m - 1) / 6 + 1),
            PeriodKind::Year => format!("{y}"),
            PeriodKind::Custom => format!("{}..{}", self.first, self.last),
        }
    }

    /// Its name for people: "tháng 11/2026", "quý IV/2026", "6 tháng cuối năm 2026"…
    pub fn title(&self, lang: Lang) -> String {
        let y = self.first.year();
        let m = u8::from(self.first.month());
        let fmt = |d: Date| format!("{:02}/{:02}/{}", d.day(), u8::from(d.month()), d.year());
        match (self.kind, lang) {
            (PeriodKind::Month, Lang::Vi) => format!("tháng {m:02}/{y}"),
            (PeriodKind::Month, Lang::En) => format!("{m:02}/{y}"),
            (PeriodKind::Quarter, Lang::Vi) => {
                format!(
                    "quý {}/{y}",
                    ["I", "II", "III", "IV"][usize::from((m - 1) / 3)]
                )
            }
            (PeriodKind::Quarter, Lang::En) => format!("Q{} {y}", (m - 1) / 3 + 1),
            (PeriodKind::HalfYear, Lang::Vi) if m <= 6 => format!("6 tháng đầu năm {y}"),
            (PeriodKind::HalfYear, Lang::Vi) => format!("6 tháng cuối năm {y}"),
            (PeriodKind::HalfYear, Lang::En) => format!("H{} {y}", (m - 1) / 6 + 1),
            (PeriodKind::Year, Lang::Vi) => format!("năm {y}"),
            (PeriodKind::Year, Lang::En) => format!("{y}"),
            (PeriodKind::Custom, Lang::Vi) => {
                format!("từ {} đến {}", fmt(self.first), fmt(self.last))
            }
            (PeriodKind::Custom, Lang::En) => {
                format!("{} to {}", fmt(self.first), fmt(self.last))
            }
        }
    }

    /// Days in it.
    pub fn days(&self) -> i64 {
        (self.last - self.first).whole_days() + 1
    }

    /// The period just before: the previous month, quarter, half-year or year, or the
    /// same number of days before a custom range.
    pub fn previous(&self) -> StatsPeriod {
        let months = match self.kind {
            PeriodKind::Month => 1,
            PeriodKind::Quarter => 3,
            PeriodKind::HalfYear => 6,
            PeriodKind::Year => 12,
            PeriodKind::Custom => {
                let last = self.first.previous_day().unwrap_or(self.first);
                let first = last - Duration::days(self.days() - 1);
                return StatsPeriod {
                    kind: self.kind,
                    first,
                    last,
                };
            }
        };
        let first = back_months(self.first, months);
        StatsPeriod {
            kind: self.kind,
            first,
            last: self.first.previous_day().unwrap_or(first),
        }
    }

    /// The same days one year earlier (29 February becomes 28 February).
    pub fn a_year_before(&self) -> StatsPeriod {
        let shift = |d: Date| {
            d.replace_year(d.year() - 1)
                .or_else(|_| d.replace_day(28).and_then(|x| x.replace_year(d.year() - 1)))
                .unwrap_or(d)
        };
        let last = if self.kind == PeriodKind::Custom {
            shift(self.last)
        } else {
            // a whole month's period ends on the last day of its month a year before
            add_months(back_months(self.first, 12), self.months())
                .previous_day()
                .unwrap_or(self.last)
        };
        StatsPeriod {
            kind: self.kind,
            first: shift(self.first),
            last,
        }
    }

    fn months(&self) -> u8 {
        match self.kind {
            PeriodKind::Month => 1,
            PeriodKind::Quarter => 3,
            PeriodKind::HalfYear => 6,
            PeriodKind::Year | PeriodKind::Custom => 12,
        }
    }

    /// The first second (unix) of the first day and the first second after the last
    /// day, in Vietnam time.
    pub fn unix_bounds(&self) -> (i64, i64) {
        let start = |d: Date| d.midnight().assume_offset(VN_OFFSET).unix_timestamp();
        let end = self.last.next_day().map(start).unwrap_or(i64::MAX);
        (start(self.first), end)
    }

    /// Whether a local day falls in it.
    pub fn contains(&self, day: Date) -> bool {
        self.first <= day && day <= self.last
    }
}

fn back_months(d: Date, n: u8) -> Date {
    let months = d.year() * 12 + (i32::from(u8::from(d.month())) - 1) - i32::from(n);
    let (year, month0) = (months.div_euclid(12), months.rem_euclid(12));
    let month = Month::try_from(month0 as u8 + 1).unwrap_or(Month::January);
    Date::from_calendar_date(year, month, d.day().min(month.length(year))).unwrap_or(d)
}

/// A count as a role that may not see reports sees it: "< 5" below
/// [`SUPPRESS_BELOW`] (but 0 stays 0: nothing to point to).
pub fn suppressed(count: u64) -> String {
    if count > 0 && count < SUPPRESS_BELOW {
        format!("< {SUPPRESS_BELOW}")
    } else {
        count.to_string()
    }
}

/// The change from `before` to `now` for people: "+12,5%", "−3,0%", or "mới" when
/// there was nothing before.
pub fn change(now: u64, before: u64, lang: Lang) -> String {
    if before == 0 {
        return if now == 0 {
            "0%".into()
        } else {
            lang.pick("mới", "new").into()
        };
    }
    let pct = (now as f64 - before as f64) * 100.0 / before as f64;
    let text = format!("{:+.1}%", pct);
    match lang {
        Lang::Vi => text.replace('.', ",").replace('-', "−"),
        Lang::En => text.replace('-', "−"),
    }
}

/// The median and 90th percentile of some durations, nearest rank.
pub fn median_p90(values: &mut [i64]) -> Option<(i64, i64)> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let rank = |p: f64| {
        let r = (p * values.len() as f64).ceil() as usize;
        values[r.clamp(1, values.len()) - 1]
    };
    Some((rank(0.5), rank(0.9)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 30);

    fn p(key: &str) -> Result<StatsPeriod, PeriodError> {
        StatsPeriod::parse(key, None, None, TODAY)
    }

    #[test]
    fn keys_parse_into_whole_calendar_periods() {
        let m = p("2026-02").expect("month");
        assert_eq!(
            (m.first, m.last),
            (date!(2026 - 02 - 01), date!(2026 - 02 - 28))
        );
        let q = p("2026-Q4").expect("quarter");
        assert_eq!(
            (q.first, q.last),
            (date!(2026 - 10 - 01), date!(2026 - 12 - 31))
        );
        let h = p("2026-H1").expect("half");
        assert_eq!(
            (h.first, h.last),
            (date!(2026 - 01 - 01), date!(2026 - 06 - 30))
        );
        let y = p("2025").expect("year");
        assert_eq!(
            (y.first, y.last),
            (date!(2025 - 01 - 01), date!(2025 - 12 - 31))
        );
        for k in ["2026-02", "2026-Q4", "2026-H1", "2025"] {
            assert_eq!(p(k).expect(k).key(), k);
        }
        assert_eq!(p("2026-13"), Err(PeriodError::Unknown));
        assert_eq!(p("2026-Q5"), Err(PeriodError::Unknown));
        assert_eq!(p("1999"), Err(PeriodError::Unknown));
        assert_eq!(p("x"), Err(PeriodError::Unknown));
    }

    #[test]
    fn future_reversed_long_and_bad_ranges_are_refused() {
        assert_eq!(p("2026-12"), Err(PeriodError::Future));
        assert_eq!(p("2027"), Err(PeriodError::Future));
        assert!(p("2026-11").is_ok() && p("2026").is_ok());
        let custom = |a, b| StatsPeriod::parse("custom", Some(a), Some(b), TODAY);
        assert_eq!(
            custom("2026-03-01", "2026-02-01"),
            Err(PeriodError::Reversed)
        );
        assert_eq!(
            custom("2026-02-30", "2026-03-01"),
            Err(PeriodError::BadDate)
        );
        assert_eq!(
            custom("2020-01-01", "2026-01-01"),
            Err(PeriodError::TooLong)
        );
        assert_eq!(custom("2026-12-01", "2026-12-02"), Err(PeriodError::Future));
        let c = custom("2026-03-10", "2026-03-19").expect("custom");
        assert_eq!(c.days(), 10);
        assert_eq!(c.previous().first, date!(2026 - 02 - 28));
        assert_eq!(c.previous().last, date!(2026 - 03 - 09));
        for e in [
            PeriodError::Unknown,
            PeriodError::Future,
            PeriodError::Reversed,
        ] {
            assert_ne!(e.message(Lang::Vi), e.message(Lang::En));
        }
    }

    #[test]
    fn comparisons_are_the_period_before_and_the_same_period_a_year_before() {
        let q = p("2026-Q1").expect("q");
        assert_eq!(q.previous().key(), "2025-Q4");
        assert_eq!(q.a_year_before().key(), "2025-Q1");
        let m = p("2024-02").expect("m");
        assert_eq!(m.previous().key(), "2024-01");
        let before = m.a_year_before();
        assert_eq!(
            (before.first, before.last),
            (date!(2023 - 02 - 01), date!(2023 - 02 - 28))
        );
        assert_eq!(p("2026-H1").expect("h").previous().key(), "2025-H2");
        assert_eq!(p("2026").expect("y").previous().key(), "2025");
        let (from, to) = p("2026-11").expect("m").unix_bounds();
        assert_eq!(to - from, 30 * 86_400);
        // midnight in Vietnam is 17:00 UTC the day before
        assert_eq!(from % 86_400, 17 * 3600);
    }

    #[test]
    fn the_latest_periods_end_with_the_current_one() {
        let keys = |kind, n| {
            StatsPeriod::latest(kind, n, TODAY)
                .iter()
                .map(StatsPeriod::key)
                .collect::<Vec<_>>()
        };
        assert_eq!(keys(PeriodKind::Month, 2), ["2026-11", "2026-10"]);
        assert_eq!(keys(PeriodKind::Quarter, 2), ["2026-Q4", "2026-Q3"]);
        assert_eq!(keys(PeriodKind::HalfYear, 2), ["2026-H2", "2026-H1"]);
        assert_eq!(keys(PeriodKind::Year, 3), ["2026", "2025", "2024"]);
        assert!(keys(PeriodKind::Custom, 2).is_empty());
    }

    #[test]
    fn small_counts_are_suppressed_and_changes_are_signed() {
        assert_eq!(suppressed(0), "0");
        assert_eq!(suppressed(4), "< 5");
        assert_eq!(suppressed(5), "5");
        assert_eq!(change(110, 100, Lang::Vi), "+10,0%");
        assert_eq!(change(90, 100, Lang::En), "−10.0%");
        assert_eq!(change(3, 0, Lang::Vi), "mới");
        let mut v = vec![5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
        assert_eq!(median_p90(&mut v), Some((5, 9)));
        assert_eq!(median_p90(&mut []), None);
    }
}
