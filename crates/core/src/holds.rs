//! Urgent requests to banks to hold the accounts that received victims' money: their
//! states, and the figure to drive down, the time from a report to its hold request.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::i18n::Lang;

/// Where a hold request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum HoldState {
    /// The letter is made, not yet sent.
    Created,
    /// Sent to the bank.
    Sent,
    /// The bank acknowledged it.
    Acknowledged,
    /// The bank holds money (the amount is recorded).
    Held,
    /// The bank refused (for example the money had already left).
    Refused,
    /// The hold was lifted (money returned to victims or released by decision).
    Released,
}

impl HoldState {
    /// Every state, in order.
    pub const ALL: [HoldState; 6] = [
        HoldState::Created,
        HoldState::Sent,
        HoldState::Acknowledged,
        HoldState::Held,
        HoldState::Refused,
        HoldState::Released,
    ];

    /// The stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            HoldState::Created => "created",
            HoldState::Sent => "sent",
            HoldState::Acknowledged => "acknowledged",
            HoldState::Held => "held",
            HoldState::Refused => "refused",
            HoldState::Released => "released",
        }
    }

    /// Parses the stable name.
    pub fn parse(s: &str) -> Option<HoldState> {
        HoldState::ALL.into_iter().find(|h| h.as_str() == s)
    }

    /// Words for people.
    pub fn label(self, lang: Lang) -> &'static str {
        let (vi, en) = match self {
            HoldState::Created => ("Đã lập, chưa gửi", "Drafted, not sent"),
            HoldState::Sent => ("Đã gửi ngân hàng", "Sent to the bank"),
            HoldState::Acknowledged => ("Ngân hàng đã nhận", "Acknowledged by the bank"),
            HoldState::Held => ("Đang tạm giữ", "Money held"),
            HoldState::Refused => ("Ngân hàng từ chối", "Refused by the bank"),
            HoldState::Released => ("Đã giải tỏa", "Released"),
        };
        lang.pick(vi, en)
    }

    /// Whether a request may move from this state to `next`. Recording `held` again
    /// updates the amount held.
    pub fn can_go_to(self, next: HoldState) -> bool {
        use HoldState::*;
        matches!(
            (self, next),
            (Created, Sent)
                | (Sent, Acknowledged | Held | Refused)
                | (Acknowledged, Held | Refused)
                | (Held, Held | Released)
        )
    }
}

/// What a bank says it did with a hold request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum BankAnswer {
    /// Received; being worked on.
    Acknowledged,
    /// Money held on the account (an amount and when; again to change the amount).
    Held,
    /// Nothing left on the account to hold.
    NothingLeft,
    /// The account is closed.
    AccountClosed,
    /// Held money was returned to the victims (an amount and when).
    Returned,
}

impl BankAnswer {
    /// Every answer, in order.
    pub const ALL: [BankAnswer; 5] = [
        BankAnswer::Acknowledged,
        BankAnswer::Held,
        BankAnswer::NothingLeft,
        BankAnswer::AccountClosed,
        BankAnswer::Returned,
    ];

    /// The stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            BankAnswer::Acknowledged => "acknowledged",
            BankAnswer::Held => "held",
            BankAnswer::NothingLeft => "nothing_left",
            BankAnswer::AccountClosed => "account_closed",
            BankAnswer::Returned => "returned",
        }
    }

    /// Parses the stable name.
    pub fn parse(s: &str) -> Option<BankAnswer> {
        BankAnswer::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// The state the request reaches.
    pub fn state(self) -> HoldState {
        match self {
            BankAnswer::Acknowledged => HoldState::Acknowledged,
            BankAnswer::Held => HoldState::Held,
            BankAnswer::NothingLeft | BankAnswer::AccountClosed => HoldState::Refused,
            BankAnswer::Returned => HoldState::Released,
        }
    }

    /// Whether the answer carries an amount and a time.
    pub fn needs_amount(self) -> bool {
        matches!(self, BankAnswer::Held | BankAnswer::Returned)
    }

    /// Words for people.
    pub fn label(self, lang: Lang) -> &'static str {
        let (vi, en) = match self {
            BankAnswer::Acknowledged => ("Ngân hàng đã nhận", "Acknowledged"),
            BankAnswer::Held => ("Đã tạm giữ", "Held"),
            BankAnswer::NothingLeft => ("Tài khoản không còn tiền", "Nothing left on the account"),
            BankAnswer::AccountClosed => ("Tài khoản đã đóng", "Account closed"),
            BankAnswer::Returned => ("Đã trả lại bị hại", "Returned to the victims"),
        };
        lang.pick(vi, en)
    }
}

/// The Monday of a date's ISO week.
pub fn week_of(d: Date) -> Date {
    d - time::Duration::days(i64::from(d.weekday().number_days_from_monday()))
}

/// Median per week: `samples` are (day, seconds); the answer is (Monday, median
/// seconds, samples), oldest week first.
pub fn weekly_medians(samples: &[(Date, i64)]) -> Vec<(Date, i64, usize)> {
    let mut by_week: std::collections::BTreeMap<Date, Vec<i64>> = Default::default();
    for (day, secs) in samples {
        by_week.entry(week_of(*day)).or_default().push(*secs);
    }
    by_week
        .into_iter()
        .map(|(week, mut v)| {
            v.sort_unstable();
            let n = v.len();
            let median = if n % 2 == 1 {
                v[n / 2]
            } else {
                (v[n / 2 - 1] + v[n / 2]) / 2
            };
            (week, median, n)
        })
        .collect()
}

/// A duration for people: "3 giờ 05 phút", "2 ngày 4 giờ".
pub fn duration_text(secs: i64, lang: Lang) -> String {
    let secs = secs.max(0);
    let (d, h, m) = (secs / 86_400, secs % 86_400 / 3_600, secs % 3_600 / 60);
    match lang {
        Lang::Vi if d > 0 => format!("{d} ngày {h} giờ"),
        Lang::Vi => format!("{h} giờ {m:02} phút"),
        Lang::En if d > 0 => format!("{d} d {h} h"),
        Lang::En => format!("{h} h {m:02} min"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bank_answers_reach_states_a_request_may_move_to() {
        assert!(HoldState::Sent.can_go_to(BankAnswer::Acknowledged.state()));
        assert!(HoldState::Sent.can_go_to(BankAnswer::NothingLeft.state()));
        assert!(HoldState::Acknowledged.can_go_to(BankAnswer::AccountClosed.state()));
        assert!(HoldState::Held.can_go_to(BankAnswer::Held.state()));
        assert!(HoldState::Held.can_go_to(BankAnswer::Returned.state()));
        assert!(!HoldState::Sent.can_go_to(BankAnswer::Returned.state()));
        assert!(!HoldState::Created.can_go_to(BankAnswer::Acknowledged.state()));
        for a in BankAnswer::ALL {
            assert_eq!(BankAnswer::parse(a.as_str()), Some(a));
        }
    }
    use time::macros::date;

    #[test]
    fn states_move_forward_only() {
        use HoldState::*;
        assert!(Created.can_go_to(Sent));
        assert!(!Created.can_go_to(Held));
        assert!(Sent.can_go_to(Held) && Acknowledged.can_go_to(Refused));
        assert!(Held.can_go_to(Held) && Held.can_go_to(Released));
        assert!(!Refused.can_go_to(Held) && !Released.can_go_to(Held));
        for s in HoldState::ALL {
            assert_eq!(HoldState::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn medians_per_iso_week() {
        // Monday 2026-11-23 .. Sunday 2026-11-29, then the next week.
        let samples = [
            (date!(2026 - 11 - 23), 3_600),
            (date!(2026 - 11 - 29), 7_200),
            (date!(2026 - 11 - 25), 600),
            (date!(2026 - 11 - 30), 100),
            (date!(2026 - 12 - 01), 300),
        ];
        assert_eq!(
            weekly_medians(&samples),
            vec![
                (date!(2026 - 11 - 23), 3_600, 3),
                (date!(2026 - 11 - 30), 200, 2)
            ]
        );
        assert_eq!(week_of(date!(2026 - 11 - 29)), date!(2026 - 11 - 23));
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration_text(3 * 3600 + 5 * 60, Lang::Vi), "3 giờ 05 phút");
        assert_eq!(
            duration_text(2 * 86_400 + 4 * 3600, Lang::Vi),
            "2 ngày 4 giờ"
        );
        assert_eq!(duration_text(59, Lang::En), "0 h 00 min");
    }
}
