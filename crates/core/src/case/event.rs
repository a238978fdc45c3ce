//! The steps recorded on a report, by kind: stored as the stable names of
//! [`EventKind::as_str`], shown with [`EventKind::officer_label`], and read back into
//! the statutory clock ([`EventKind::clock_event`]).

use time::Date;

use crate::clock::ClockEvent;
use crate::i18n::Lang;

/// What a recorded step was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventKind {
    /// Formal receipt: the clock starts.
    Received,
    /// Given to an officer.
    Assigned,
    /// An officer asked a leader for more time.
    ExtensionRequested,
    /// A leader extended the limit.
    Extended,
    /// A leader refused the extension.
    ExtensionRefused,
    /// The procuracy extended the limit.
    ProcuracyExtended,
    /// Handling suspended.
    Suspended,
    /// Handling resumed.
    Resumed,
    /// A criminal case was opened.
    CaseOpened,
    /// Decided not to open a case.
    NoCase,
    /// Handed to another unit of the province.
    Transferred,
    /// Handed to another province.
    TransferredOut,
    /// Set aside: no sign of a crime.
    NotCrime,
    /// Merged into a duplicate.
    Merged,
}

impl EventKind {
    /// Every kind.
    pub const ALL: [EventKind; 14] = [
        EventKind::Received,
        EventKind::Assigned,
        EventKind::ExtensionRequested,
        EventKind::Extended,
        EventKind::ExtensionRefused,
        EventKind::ProcuracyExtended,
        EventKind::Suspended,
        EventKind::Resumed,
        EventKind::CaseOpened,
        EventKind::NoCase,
        EventKind::Transferred,
        EventKind::TransferredOut,
        EventKind::NotCrime,
        EventKind::Merged,
    ];

    /// The stable name stored and sent in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Received => "received",
            EventKind::Assigned => "assigned",
            EventKind::ExtensionRequested => "extension_requested",
            EventKind::Extended => "extended",
            EventKind::ExtensionRefused => "extension_refused",
            EventKind::ProcuracyExtended => "procuracy_extended",
            EventKind::Suspended => "suspended",
            EventKind::Resumed => "resumed",
            EventKind::CaseOpened => "case_opened",
            EventKind::NoCase => "no_case",
            EventKind::Transferred => "transferred",
            EventKind::TransferredOut => "transferred_out",
            EventKind::NotCrime => "not_crime",
            EventKind::Merged => "merged",
        }
    }

    /// Parses a stable name.
    pub fn parse(s: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// An officer's words for the step.
    pub fn officer_label(self, lang: Lang) -> &'static str {
        let (vi, en) = match self {
            EventKind::Received => (
                "Tiếp nhận (bắt đầu tính thời hạn)",
                "Formally received (clock starts)",
            ),
            EventKind::Assigned => ("Phân công", "Assigned"),
            EventKind::ExtensionRequested => ("Đề nghị gia hạn", "Extension requested"),
            EventKind::Extended => (
                "Lãnh đạo phê duyệt gia hạn",
                "Extension approved by a leader",
            ),
            EventKind::ExtensionRefused => ("Không phê duyệt gia hạn", "Extension refused"),
            EventKind::ProcuracyExtended => ("Viện kiểm sát gia hạn", "Extended by the procuracy"),
            EventKind::Suspended => ("Tạm đình chỉ giải quyết", "Handling suspended"),
            EventKind::Resumed => ("Phục hồi giải quyết", "Handling resumed"),
            EventKind::CaseOpened => ("Quyết định khởi tố vụ án", "Criminal case opened"),
            EventKind::NoCase => ("Quyết định không khởi tố", "Decided not to open a case"),
            EventKind::Transferred => ("Chuyển đơn vị", "Transferred to another unit"),
            EventKind::TransferredOut => ("Chuyển tỉnh khác", "Transferred to another province"),
            EventKind::NotCrime => ("Không có dấu hiệu tội phạm", "Not a crime"),
            EventKind::Merged => ("Gộp vào báo cáo khác", "Merged"),
        };
        lang.pick(vi, en)
    }

    /// What the step does to the statutory clock, if anything (`until`: the new
    /// deadline of an extension).
    pub fn clock_event(self, on: Date, until: Option<Date>) -> Option<ClockEvent> {
        Some(match (self, until) {
            (EventKind::Received, _) => ClockEvent::Received(on),
            (EventKind::Extended, Some(until)) => ClockEvent::Extended { on, until },
            (EventKind::ProcuracyExtended, Some(until)) => {
                ClockEvent::ProcuracyExtended { on, until }
            }
            (EventKind::Suspended, _) => ClockEvent::Suspended(on),
            (EventKind::Resumed, _) => ClockEvent::Resumed(on),
            (EventKind::CaseOpened | EventKind::NoCase | EventKind::TransferredOut, _) => {
                ClockEvent::Decided(on)
            }
            _ => return None,
        })
    }

    /// Whether the step ends a pending extension request (answered, or moot).
    pub fn ends_extension_request(self) -> bool {
        matches!(
            self,
            EventKind::Extended
                | EventKind::ExtensionRefused
                | EventKind::CaseOpened
                | EventKind::NoCase
                | EventKind::TransferredOut
                | EventKind::Suspended
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_every_kind_has_words() {
        for k in EventKind::ALL {
            assert_eq!(EventKind::parse(k.as_str()), Some(k));
            assert_ne!(k.officer_label(Lang::Vi), k.officer_label(Lang::En));
        }
        assert_eq!(EventKind::parse("exploded"), None);
    }

    #[test]
    fn decisions_stop_the_clock_and_assignments_do_not_touch_it() {
        let on = time::macros::date!(2026 - 11 - 02);
        assert_eq!(
            EventKind::NoCase.clock_event(on, None),
            Some(ClockEvent::Decided(on))
        );
        assert_eq!(EventKind::Assigned.clock_event(on, None), None);
        // An extension without its date is not read as one.
        assert_eq!(EventKind::Extended.clock_event(on, None), None);
    }
}
