//! The statutory clock of a report (Criminal Procedure Code 2015, Art. 147-149).
//!
//! The clock starts when an officer formally receives (tiếp nhận) a report:
//! - a decision is due within **20 days** (calendar days);
//! - for a complex matter a leader may extend it, in one or more steps, to at most
//!   **2 months** after receipt;
//! - after that the procuracy may extend it **once more**, by at most **2 months**;
//! - a suspension (tạm đình chỉ) stops the clock; a resumption (phục hồi) gives
//!   **1 month** from the day of resumption;
//! - a decision (open a case, do not open, transfer) stops it for good.
//!
//! Months are calendar months: the same day of the month, or the last day of a
//! shorter month (31 January + 1 month = 28 or 29 February). Days are local days in
//! Vietnam (UTC+7). Everything here is pure and replayable from the recorded events.

use time::{Date, Month, OffsetDateTime, UtcOffset};

/// Days to decide after formal receipt (Art. 147(1)).
pub const BASE_DAYS: i64 = 20;
/// The longest a leader's extension may reach, in months after receipt (Art. 147(2)).
pub const EXTENSION_MONTHS: u8 = 2;
/// The procuracy's one further extension, in months (Art. 147(2)).
pub const PROCURACY_MONTHS: u8 = 2;
/// Time to finish after a resumption, in months (Art. 149).
pub const RESUME_MONTHS: u8 = 1;
/// Items due within this many days are "due soon".
pub const DUE_SOON_DAYS: i64 = 5;

/// Vietnam's time zone.
pub const VN_OFFSET: UtcOffset = match UtcOffset::from_hms(7, 0, 0) {
    Ok(o) => o,
    Err(_) => UtcOffset::UTC,
};

/// The local date in Vietnam of a unix time.
pub fn local_date(unix: i64) -> Date {
    OffsetDateTime::from_unix_timestamp(unix)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
        .to_offset(VN_OFFSET)
        .date()
}

/// `d` plus `n` calendar months, clamped to the last day of a shorter month.
pub fn add_months(d: Date, n: u8) -> Date {
    let months = d.year() * 12 + (d.month() as i32 - 1) + i32::from(n);
    let (year, month0) = (months.div_euclid(12), months.rem_euclid(12));
    let month = Month::try_from(month0 as u8 + 1).unwrap_or(Month::December);
    let last = month.length(year);
    Date::from_calendar_date(year, month, d.day().min(last)).unwrap_or(d)
}

/// One recorded step of a report's handling that moves its clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockEvent {
    /// Formally received: the clock starts.
    Received(Date),
    /// A leader extended the limit to `until`.
    Extended {
        /// Day of the approval.
        on: Date,
        /// New deadline.
        until: Date,
    },
    /// The procuracy extended the limit to `until`.
    ProcuracyExtended {
        /// Day of the procuracy's decision.
        on: Date,
        /// New deadline.
        until: Date,
    },
    /// Handling suspended (tạm đình chỉ).
    Suspended(Date),
    /// Handling resumed (phục hồi).
    Resumed(Date),
    /// A decision closed the matter (case opened, not opened, or transferred).
    Decided(Date),
}

/// Where the clock stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockState {
    /// Counting down to the deadline.
    Running,
    /// Stopped by a suspension.
    Suspended,
    /// Stopped by a decision.
    Closed,
}

/// How pressing a report is by its clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Urgency {
    /// Past the deadline.
    Overdue,
    /// Due within [`DUE_SOON_DAYS`].
    DueSoon,
    /// Running, with time left.
    OnTime,
    /// Not running (suspended or decided).
    Stopped,
}

/// Why a step cannot be recorded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClockError {
    /// The first event must be the formal receipt, and only once.
    #[error("the clock starts with the formal receipt, once")]
    NotStarted,
    /// The step does not fit the state (for example resuming a running clock).
    #[error("this step is not possible while the clock is {0:?}")]
    WrongState(ClockState),
    /// An event dated before the previous one.
    #[error("the date {0} is before the previous step")]
    BeforePrevious(Date),
    /// An extension past what the law allows.
    #[error("the extension may reach at most {max}")]
    TooLong {
        /// The latest allowed deadline.
        max: Date,
    },
    /// An extension that does not move the deadline later.
    #[error("the new deadline must be after the current one ({current})")]
    NotLater {
        /// The current deadline.
        current: Date,
    },
    /// The procuracy extends once, and only after a leader's extension.
    #[error("the procuracy extends once, after the unit's own extension")]
    ProcuracyNotAllowed,
}

/// The clock of one report, replayed from its events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clock {
    /// Day of formal receipt.
    pub received: Date,
    /// Day a decision is due (the last day allowed).
    pub deadline: Date,
    /// Running, suspended or closed.
    pub state: ClockState,
    /// Whether a leader extended it.
    pub extended: bool,
    /// Whether the procuracy extended it.
    pub procuracy_extended: bool,
    /// Day of the latest step.
    pub last_step: Date,
}

impl Clock {
    /// A clock started by a formal receipt.
    pub fn start(received: Date) -> Clock {
        Clock {
            received,
            deadline: received + time::Duration::days(BASE_DAYS),
            state: ClockState::Running,
            extended: false,
            procuracy_extended: false,
            last_step: received,
        }
    }

    /// Replays recorded events; the first must be [`ClockEvent::Received`].
    pub fn replay(events: &[ClockEvent]) -> Result<Clock, ClockError> {
        let (first, rest) = events.split_first().ok_or(ClockError::NotStarted)?;
        let ClockEvent::Received(day) = first else {
            return Err(ClockError::NotStarted);
        };
        let mut clock = Clock::start(*day);
        for e in rest {
            clock.apply(*e)?;
        }
        Ok(clock)
    }

    /// The latest deadline a leader's extension may set, if one is possible now.
    pub fn max_extension(&self) -> Option<Date> {
        let max = add_months(self.received, EXTENSION_MONTHS);
        (self.state == ClockState::Running && !self.procuracy_extended && self.deadline < max)
            .then_some(max)
    }

    /// The latest deadline the procuracy's extension may set, if one is possible now.
    pub fn max_procuracy_extension(&self) -> Option<Date> {
        (self.state == ClockState::Running && self.extended && !self.procuracy_extended)
            .then(|| add_months(self.deadline, PROCURACY_MONTHS))
    }

    /// Records one step, or says why it is not possible (the clock is unchanged then).
    pub fn apply(&mut self, event: ClockEvent) -> Result<(), ClockError> {
        let on = match event {
            ClockEvent::Received(_) => return Err(ClockError::NotStarted),
            ClockEvent::Extended { on, .. }
            | ClockEvent::ProcuracyExtended { on, .. }
            | ClockEvent::Suspended(on)
            | ClockEvent::Resumed(on)
            | ClockEvent::Decided(on) => on,
        };
        if on < self.last_step {
            return Err(ClockError::BeforePrevious(on));
        }
        let need_running = |c: &Clock| {
            if c.state == ClockState::Running {
                Ok(())
            } else {
                Err(ClockError::WrongState(c.state))
            }
        };
        match event {
            ClockEvent::Received(_) => return Err(ClockError::NotStarted),
            ClockEvent::Extended { until, .. } => {
                need_running(self)?;
                let max = self
                    .max_extension()
                    .ok_or(ClockError::TooLong { max: self.deadline })?;
                if until <= self.deadline {
                    return Err(ClockError::NotLater {
                        current: self.deadline,
                    });
                }
                if until > max {
                    return Err(ClockError::TooLong { max });
                }
                self.deadline = until;
                self.extended = true;
            }
            ClockEvent::ProcuracyExtended { until, .. } => {
                need_running(self)?;
                let max = self
                    .max_procuracy_extension()
                    .ok_or(ClockError::ProcuracyNotAllowed)?;
                if until <= self.deadline {
                    return Err(ClockError::NotLater {
                        current: self.deadline,
                    });
                }
                if until > max {
                    return Err(ClockError::TooLong { max });
                }
                self.deadline = until;
                self.procuracy_extended = true;
            }
            ClockEvent::Suspended(_) => {
                need_running(self)?;
                self.state = ClockState::Suspended;
            }
            ClockEvent::Resumed(day) => {
                if self.state != ClockState::Suspended {
                    return Err(ClockError::WrongState(self.state));
                }
                self.state = ClockState::Running;
                self.deadline = add_months(day, RESUME_MONTHS);
            }
            ClockEvent::Decided(_) => {
                need_running(self)?;
                self.state = ClockState::Closed;
            }
        }
        self.last_step = on;
        Ok(())
    }

    /// Days left until the deadline (0 on the last day, negative when overdue);
    /// `None` when the clock is not running.
    pub fn days_left(&self, today: Date) -> Option<i64> {
        (self.state == ClockState::Running).then(|| (self.deadline - today).whole_days())
    }

    /// How pressing it is today.
    pub fn urgency(&self, today: Date) -> Urgency {
        match self.days_left(today) {
            None => Urgency::Stopped,
            Some(d) if d < 0 => Urgency::Overdue,
            Some(d) if d <= DUE_SOON_DAYS => Urgency::DueSoon,
            Some(_) => Urgency::OnTime,
        }
    }
}

/// A moment as RFC 3339 text (`2026-12-01T03:20:00Z`), for machines.
pub fn rfc3339(unix: i64) -> Option<String> {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn twenty_calendar_days_from_receipt() {
        let c = Clock::start(date!(2026 - 01 - 01));
        assert_eq!(c.deadline, date!(2026 - 01 - 21));
        assert_eq!(c.days_left(date!(2026 - 01 - 21)), Some(0));
        assert_eq!(c.days_left(date!(2026 - 01 - 22)), Some(-1));
        assert_eq!(c.urgency(date!(2026 - 01 - 22)), Urgency::Overdue);
        assert_eq!(c.urgency(date!(2026 - 01 - 16)), Urgency::DueSoon);
        assert_eq!(c.urgency(date!(2026 - 01 - 15)), Urgency::OnTime);
        // Across a year end.
        assert_eq!(
            Clock::start(date!(2026 - 12 - 20)).deadline,
            date!(2027 - 01 - 09)
        );
    }

    #[test]
    fn months_clamp_to_the_end_of_shorter_months() {
        assert_eq!(add_months(date!(2026 - 01 - 31), 1), date!(2026 - 02 - 28));
        assert_eq!(add_months(date!(2028 - 01 - 31), 1), date!(2028 - 02 - 29));
        assert_eq!(add_months(date!(2026 - 12 - 31), 2), date!(2027 - 02 - 28));
        assert_eq!(add_months(date!(2026 - 11 - 15), 2), date!(2027 - 01 - 15));
    }

    #[test]
    fn a_leader_extends_to_at_most_two_months_after_receipt() {
        let mut c = Clock::start(date!(2026 - 03 - 10));
        assert_eq!(c.max_extension(), Some(date!(2026 - 05 - 10)));
        assert_eq!(
            c.apply(ClockEvent::Extended {
                on: date!(2026 - 03 - 25),
                until: date!(2026 - 05 - 11)
            }),
            Err(ClockError::TooLong {
                max: date!(2026 - 05 - 10)
            })
        );
        assert_eq!(
            c.apply(ClockEvent::Extended {
                on: date!(2026 - 03 - 25),
                until: date!(2026 - 03 - 30)
            }),
            Err(ClockError::NotLater {
                current: date!(2026 - 03 - 30)
            })
        );
        // In two steps.
        c.apply(ClockEvent::Extended {
            on: date!(2026 - 03 - 25),
            until: date!(2026 - 04 - 20),
        })
        .expect("first step");
        c.apply(ClockEvent::Extended {
            on: date!(2026 - 04 - 15),
            until: date!(2026 - 05 - 10),
        })
        .expect("second step");
        assert_eq!(c.deadline, date!(2026 - 05 - 10));
        assert_eq!(c.max_extension(), None);
    }

    #[test]
    fn the_procuracy_extends_once_after_the_unit() {
        let mut c = Clock::start(date!(2026 - 03 - 10));
        assert_eq!(
            c.apply(ClockEvent::ProcuracyExtended {
                on: date!(2026 - 03 - 20),
                until: date!(2026 - 04 - 20)
            }),
            Err(ClockError::ProcuracyNotAllowed)
        );
        c.apply(ClockEvent::Extended {
            on: date!(2026 - 03 - 25),
            until: date!(2026 - 05 - 10),
        })
        .expect("leader");
        assert_eq!(c.max_procuracy_extension(), Some(date!(2026 - 07 - 10)));
        c.apply(ClockEvent::ProcuracyExtended {
            on: date!(2026 - 05 - 08),
            until: date!(2026 - 07 - 10),
        })
        .expect("procuracy");
        assert_eq!(
            c.apply(ClockEvent::ProcuracyExtended {
                on: date!(2026 - 06 - 08),
                until: date!(2026 - 07 - 11)
            }),
            Err(ClockError::ProcuracyNotAllowed)
        );
        assert_eq!(c.max_extension(), None);
        // The longest possible handling: 20 days + 2 months + 2 months ≈ 4 months.
        assert_eq!(c.deadline, add_months(c.received, 4));
    }

    #[test]
    fn suspension_stops_and_resumption_gives_one_month() {
        let c = Clock::replay(&[
            ClockEvent::Received(date!(2026 - 01 - 05)),
            ClockEvent::Suspended(date!(2026 - 01 - 20)),
        ])
        .expect("valid");
        assert_eq!(c.state, ClockState::Suspended);
        assert_eq!(c.days_left(date!(2026 - 06 - 01)), None);
        assert_eq!(c.urgency(date!(2026 - 06 - 01)), Urgency::Stopped);
        let c = Clock::replay(&[
            ClockEvent::Received(date!(2026 - 01 - 05)),
            ClockEvent::Suspended(date!(2026 - 01 - 20)),
            ClockEvent::Resumed(date!(2026 - 03 - 31)),
        ])
        .expect("valid");
        assert_eq!(c.deadline, date!(2026 - 04 - 30));
        assert_eq!(c.state, ClockState::Running);
    }

    #[test]
    fn impossible_steps_are_refused() {
        let start = ClockEvent::Received(date!(2026 - 01 - 05));
        assert_eq!(Clock::replay(&[]), Err(ClockError::NotStarted));
        assert_eq!(
            Clock::replay(&[ClockEvent::Suspended(date!(2026 - 01 - 05))]),
            Err(ClockError::NotStarted)
        );
        assert_eq!(Clock::replay(&[start, start]), Err(ClockError::NotStarted));
        assert_eq!(
            Clock::replay(&[start, ClockEvent::Resumed(date!(2026 - 01 - 06))]),
            Err(ClockError::WrongState(ClockState::Running))
        );
        assert_eq!(
            Clock::replay(&[start, ClockEvent::Decided(date!(2026 - 01 - 04))]),
            Err(ClockError::BeforePrevious(date!(2026 - 01 - 04)))
        );
        let decided = [start, ClockEvent::Decided(date!(2026 - 01 - 10))];
        let mut c = Clock::replay(&decided).expect("valid");
        assert_eq!(
            c.apply(ClockEvent::Suspended(date!(2026 - 01 - 11))),
            Err(ClockError::WrongState(ClockState::Closed))
        );
        assert_eq!(c.state, ClockState::Closed);
    }

    #[test]
    fn local_dates_are_vietnamese_days() {
        // 2026-01-01 17:30 UTC is already 2 January in Vietnam.
        assert_eq!(local_date(1_767_288_600), date!(2026 - 01 - 02));
        assert_eq!(local_date(1_767_225_600), date!(2026 - 01 - 01));
    }
}
