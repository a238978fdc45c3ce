//! A report's case: its statuses and what they mean, for officers and for the person
//! who reported. Stored as the stable names of [`Status::as_str`].

mod event;
mod form;
mod step;

pub use event::EventKind;
pub use form::{StepForm, StepFormError};
pub use step::{plan, reason_of, Effect, Facts, Step, StepError, Transition, MAX_REASON_CHARS};

use crate::i18n::Lang;

/// Where a report stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// Submitted, not yet formally received (no clock yet).
    Received,
    /// Formally received: the statutory clock runs.
    Accepted,
    /// Handling suspended (the clock stops).
    Suspended,
    /// A criminal case was opened.
    CaseOpened,
    /// Decided: no criminal case.
    NoCase,
    /// Passed to the competent police elsewhere.
    Transferred,
    /// Set aside: no sign of a crime.
    NotCrime,
    /// Merged into a duplicate.
    Merged,
}

impl Status {
    /// Every status.
    pub const ALL: [Status; 8] = [
        Status::Received,
        Status::Accepted,
        Status::Suspended,
        Status::CaseOpened,
        Status::NoCase,
        Status::Transferred,
        Status::NotCrime,
        Status::Merged,
    ];

    /// The stable name stored and sent in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Received => "received",
            Status::Accepted => "accepted",
            Status::Suspended => "suspended",
            Status::CaseOpened => "case_opened",
            Status::NoCase => "no_case",
            Status::Transferred => "transferred",
            Status::NotCrime => "not_crime",
            Status::Merged => "merged",
        }
    }

    /// Parses a stable name.
    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Still waiting for a decision.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            Status::Received | Status::Accepted | Status::Suspended
        )
    }

    /// An officer's words for the status.
    pub fn officer_label(self, lang: Lang) -> &'static str {
        let (vi, en) = match self {
            Status::Received => ("Mới, chờ tiếp nhận", "New, not yet received"),
            Status::Accepted => ("Đã tiếp nhận, đang xác minh", "Received, being verified"),
            Status::Suspended => ("Tạm đình chỉ", "Suspended"),
            Status::CaseOpened => ("Đã khởi tố vụ án", "Criminal case opened"),
            Status::NoCase => ("Không khởi tố vụ án", "No case opened"),
            Status::Transferred => ("Đã chuyển tỉnh khác", "Transferred to another province"),
            Status::NotCrime => ("Không có dấu hiệu tội phạm", "Not a crime"),
            Status::Merged => ("Đã gộp vào báo cáo khác", "Merged into another report"),
        };
        lang.pick(vi, en)
    }

    /// Plain words for the person who reported: a title and a sentence (never an
    /// internal note or an officer's name).
    pub fn citizen_text(self, lang: Lang) -> (&'static str, &'static str) {
        let (vi, en) = match self {
        Status::Received => (
            ("Đã nhận, chờ cán bộ xem xét", "Báo cáo đã được lưu. Cán bộ công an sẽ xem xét; nếu cần thêm thông tin, cán bộ sẽ liên hệ với bạn."),
            ("Received, waiting for an officer", "Your report is saved. A police officer will review it and contact you if more information is needed."),
        ),
        Status::Accepted => (
            ("Công an đã tiếp nhận, đang xác minh", "Cơ quan công an đã chính thức tiếp nhận tin báo và đang xác minh. Theo luật, thời hạn giải quyết là 20 ngày, có thể gia hạn với vụ việc phức tạp."),
            ("Accepted by the police, being verified", "The police have formally accepted your report and are verifying it. By law they decide within 20 days, longer for complex matters."),
        ),
        Status::Suspended => (
            ("Tạm dừng giải quyết", "Việc giải quyết tạm dừng trong khi chờ kết quả giám định hoặc tài liệu. Cán bộ sẽ tiếp tục khi có kết quả."),
            ("Paused", "Handling is paused while waiting for an expert opinion or documents. It will resume when they arrive."),
        ),
        Status::CaseOpened => (
            ("Đã khởi tố vụ án", "Cơ quan công an đã khởi tố vụ án hình sự. Cán bộ điều tra có thể liên hệ bạn để lấy lời khai."),
            ("A criminal case was opened", "The police opened a criminal case. An investigator may contact you for a statement."),
        ),
        Status::NoCase => (
            ("Đã có kết luận, không khởi tố", "Cơ quan công an đã xem xét và quyết định không khởi tố vụ án. Bạn có thể liên hệ công an xã, phường để được giải thích."),
            ("Decided: no criminal case", "The police reviewed your report and decided not to open a criminal case. Your commune or ward police can explain why."),
        ),
        Status::Transferred => (
            ("Đã chuyển cơ quan có thẩm quyền", "Tin báo đã được chuyển đến cơ quan công an có thẩm quyền ở địa phương khác để giải quyết."),
            ("Transferred", "Your report was passed to the competent police in another province."),
        ),
        Status::NotCrime => (
            ("Không có dấu hiệu tội phạm", "Cán bộ đã xem xét và thấy sự việc không có dấu hiệu tội phạm (ví dụ tranh chấp dân sự). Thông tin vẫn được dùng để cảnh báo."),
            ("Not a crime", "An officer found no sign of a crime (for example a civil dispute). The information still helps warn others."),
        ),
        Status::Merged => (
            ("Đã gộp với báo cáo trùng", "Báo cáo của bạn trùng với một báo cáo khác về cùng sự việc và được giải quyết chung."),
            ("Merged with a duplicate", "Your report describes the same events as another one and is handled together with it."),
        ),
        };
        match lang {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_every_status_has_words() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(s));
            for lang in [Lang::Vi, Lang::En] {
                assert!(!s.officer_label(lang).is_empty());
                let (title, text) = s.citizen_text(lang);
                assert!(!title.is_empty() && !text.is_empty());
            }
        }
        assert_eq!(Status::parse("flying"), None);
        let open: Vec<_> = Status::ALL.into_iter().filter(|s| s.is_open()).collect();
        assert_eq!(
            open,
            [Status::Received, Status::Accepted, Status::Suspended]
        );
    }
}
