//! Awareness activities that agencies report: what kind, for whom, how many people,
//! and the periods the police review them by.

pub mod edit;

use serde::{Deserialize, Serialize};
use time::{Date, Month};

macro_rules! labelled {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $key:literal, $vi:literal;)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* $variant,)* }

        impl $name {
            /// Every value, in menu order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            /// Stable key.
            pub fn key(self) -> &'static str {
                match self { $($name::$variant => $key,)* }
            }

            /// From its key.
            pub fn from_key(key: &str) -> Option<$name> {
                match key { $($key => Some($name::$variant),)* _ => None }
            }

            /// Vietnamese name.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $vi,)* }
            }
        }
    };
}

labelled! {
    /// What kind of body an agency is.
    AgencyKind {
        /// A provincial department, board or mass organisation.
        Department = "department", "Sở, ban, ngành, đoàn thể";
        /// A commune or ward People's Committee.
        Commune = "commune", "UBND xã, phường";
        /// A school, college or university.
        School = "school", "Trường học";
        /// An industrial park or a large employer.
        IndustrialPark = "industrial_park", "Khu công nghiệp, doanh nghiệp";
        /// A newspaper, radio or television.
        Press = "press", "Cơ quan báo chí";
        /// Anything else.
        Other = "other", "Khác";
    }
}

labelled! {
    /// What an agency did to warn people.
    ActivityKind {
        /// A Party-cell meeting.
        PartyCell = "party_cell", "Sinh hoạt chi bộ";
        /// A residents' group or self-managed group meeting.
        ResidentsGroup = "residents_group", "Họp tổ dân phố, tổ tự quản";
        /// Leaflets handed out or posted.
        Leaflets = "leaflets", "Phát, dán tờ rơi";
        /// A fanpage post.
        Fanpage = "fanpage", "Đăng fanpage";
        /// A Zalo Official Account message.
        ZaloOa = "zalo_oa", "Tin Zalo OA";
        /// SMS sent.
        Sms = "sms", "Nhắn tin SMS";
        /// A session at a school.
        SchoolSession = "school_session", "Buổi tuyên truyền ở trường";
        /// A press article or broadcast.
        Press = "press", "Bài báo, phóng sự";
    }
}

/// A reporting period: a calendar month or quarter, as first and last day (inclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// First day.
    pub first: Date,
    /// Last day.
    pub last: Date,
}

impl Period {
    /// The month holding `day`.
    pub fn month_of(day: Date) -> Period {
        let first = day.replace_day(1).unwrap_or(day);
        let last = first
            .replace_day(day.month().length(day.year()))
            .unwrap_or(first);
        Period { first, last }
    }

    /// The quarter holding `day`.
    pub fn quarter_of(day: Date) -> Period {
        let q = (u8::from(day.month()) - 1) / 3;
        let first_month = Month::try_from(q * 3 + 1).unwrap_or(Month::January);
        let last_month = Month::try_from(q * 3 + 3).unwrap_or(Month::December);
        let first = Date::from_calendar_date(day.year(), first_month, 1).unwrap_or(day);
        let last = Date::from_calendar_date(day.year(), last_month, last_month.length(day.year()))
            .unwrap_or(day);
        Period { first, last }
    }

    /// Parses `2026-11` (a month) or `2026-Q4` (a quarter).
    pub fn parse(text: &str) -> Option<Period> {
        let (year, rest) = text.trim().split_once('-')?;
        let year: i32 = year.parse().ok()?;
        if !(2000..=2100).contains(&year) {
            return None;
        }
        if let Some(q) = rest.strip_prefix(['Q', 'q']) {
            let q: u8 = q.parse().ok()?;
            if !(1..=4).contains(&q) {
                return None;
            }
            let month = Month::try_from((q - 1) * 3 + 1).ok()?;
            return Some(Period::quarter_of(
                Date::from_calendar_date(year, month, 1).ok()?,
            ));
        }
        let month: u8 = rest.parse().ok()?;
        let month = Month::try_from(month).ok()?;
        Some(Period::month_of(
            Date::from_calendar_date(year, month, 1).ok()?,
        ))
    }

    /// Its key: `2026-11` or `2026-Q4`.
    pub fn key(&self) -> String {
        if self.first.month() == self.last.month() {
            format!("{}-{:02}", self.first.year(), u8::from(self.first.month()))
        } else {
            format!(
                "{}-Q{}",
                self.first.year(),
                (u8::from(self.first.month()) - 1) / 3 + 1
            )
        }
    }

    /// Whether a day falls in it.
    pub fn contains(&self, day: Date) -> bool {
        self.first <= day && day <= self.last
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn months_and_quarters_cover_whole_calendar_periods() {
        let m = Period::month_of(date!(2026 - 02 - 14));
        assert_eq!(
            (m.first, m.last),
            (date!(2026 - 02 - 01), date!(2026 - 02 - 28))
        );
        assert_eq!(m.key(), "2026-02");
        let q = Period::quarter_of(date!(2026 - 11 - 29));
        assert_eq!(
            (q.first, q.last),
            (date!(2026 - 10 - 01), date!(2026 - 12 - 31))
        );
        assert_eq!(q.key(), "2026-Q4");
        assert_eq!(Period::parse("2026-Q4"), Some(q));
        assert_eq!(Period::parse("2026-02"), Some(m));
        assert_eq!(Period::parse("2026-13"), None);
        assert_eq!(Period::parse("2026-Q5"), None);
        assert_eq!(Period::parse("x"), None);
        assert!(q.contains(date!(2026 - 12 - 31)) && !q.contains(date!(2027 - 01 - 01)));
    }

    #[test]
    fn keys_round_trip() {
        for k in ActivityKind::ALL {
            assert_eq!(ActivityKind::from_key(k.key()), Some(*k));
        }
        for k in AgencyKind::ALL {
            assert_eq!(AgencyKind::from_key(k.key()), Some(*k));
        }
    }
}
