//! The report form as a guided form: what happened → how you paid → who contacted
//! you → you → check and send. Each screen is one POST; the answers of the other
//! screens travel as hidden fields, so it works without JavaScript, and a screen
//! is checked before the next is shown (GOV.UK "question pages" and "check answers").

use canhgiac_core::i18n::Lang;

use super::report_fields::{anchor, FormValues};

/// One screen of the guided form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum FormStep {
    Happened,
    Paid,
    Contacted,
    You,
    Review,
}

/// The screens the reporter fills in (the review is not counted).
pub(super) const QUESTION_STEPS: [FormStep; 4] = [
    FormStep::Happened,
    FormStep::Paid,
    FormStep::Contacted,
    FormStep::You,
];

impl FormStep {
    /// 1 to 5, as written in the form's `step` field.
    pub(super) fn number(self) -> usize {
        self as usize + 1
    }

    pub(super) fn from_number(text: &str) -> Option<FormStep> {
        match text.trim() {
            "1" => Some(FormStep::Happened),
            "2" => Some(FormStep::Paid),
            "3" => Some(FormStep::Contacted),
            "4" => Some(FormStep::You),
            "5" => Some(FormStep::Review),
            _ => None,
        }
    }

    pub(super) fn next(self) -> FormStep {
        match self {
            FormStep::Happened => FormStep::Paid,
            FormStep::Paid => FormStep::Contacted,
            FormStep::Contacted => FormStep::You,
            FormStep::You | FormStep::Review => FormStep::Review,
        }
    }

    pub(super) fn previous(self) -> FormStep {
        match self {
            FormStep::Happened | FormStep::Paid => FormStep::Happened,
            FormStep::Contacted => FormStep::Paid,
            FormStep::You => FormStep::Contacted,
            FormStep::Review => FormStep::You,
        }
    }

    /// The screen's question, also its heading.
    pub(super) fn title(self, lang: Lang) -> &'static str {
        match self {
            FormStep::Happened => lang.pick("Chuyện gì đã xảy ra?", "What happened?"),
            FormStep::Paid => lang.pick("Bạn đã mất tiền thế nào?", "How did you pay?"),
            FormStep::Contacted => lang.pick(
                "Kẻ gian đã liên lạc với bạn bằng gì?",
                "Who contacted you, and how?",
            ),
            FormStep::You => lang.pick("Thông tin của bạn", "About you"),
            FormStep::Review => lang.pick("Kiểm tra lại trước khi gửi", "Check before you send"),
        }
    }

    /// The screen a form input belongs to (`t_amount_0` → how you paid); `None` for
    /// the form's own fields (`step`, `go`, the idempotency key).
    pub(super) fn of_input(name: &str) -> Option<FormStep> {
        match name {
            "channel" | "method" | "contacted_at" | "narrative" | "evidence" => {
                Some(FormStep::Happened)
            }
            "amount_lost" => Some(FormStep::Paid),
            "place_code" => Some(FormStep::You),
            n if n.starts_with("t_") => Some(FormStep::Paid),
            "confirm_ident" => Some(FormStep::Contacted),
            n if n.starts_with("i_") => Some(FormStep::Contacted),
            n if n.starts_with("reporter_") => Some(FormStep::You),
            _ => None,
        }
    }

    /// The screen an error belongs to (`transfers[0].at` → how you paid); errors about
    /// the whole form stay on the screen that was sent.
    pub(super) fn of_error(field: &str, sent: FormStep) -> FormStep {
        FormStep::of_input(&anchor(field)).unwrap_or(sent)
    }
}

/// What the reporter asked for with the button they pressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Move {
    /// Check this screen and show the next.
    Next,
    /// Show the previous screen; nothing is checked.
    Back,
    /// Change the answers of an earlier screen (from the review).
    Edit(FormStep),
    /// Check everything and store the report.
    Send,
}

/// The screen that was sent and the button pressed. A form without `step` (an older
/// page, a script) is sent whole: everything is checked and stored.
pub(super) fn move_of(v: &FormValues) -> (FormStep, Move) {
    let Some(sent) = v.opt("step").as_deref().and_then(FormStep::from_number) else {
        return (FormStep::Review, Move::Send);
    };
    let go = v.opt("go").unwrap_or_default();
    let chosen = match go.as_str() {
        "back" => Move::Back,
        "send" => Move::Send,
        g => match g.strip_prefix("edit-").and_then(FormStep::from_number) {
            Some(s) if s < sent => Move::Edit(s),
            _ => Move::Next,
        },
    };
    let chosen = match (sent, chosen) {
        // Only the review sends; elsewhere "send" is "next".
        (FormStep::Review, _) => chosen,
        (_, Move::Send) => Move::Next,
        _ => chosen,
    };
    (sent, chosen)
}

/// The answers of the other screens, carried as hidden fields (only the filled ones).
pub(super) fn carried(v: &FormValues, shown: FormStep) -> Vec<(String, String)> {
    let mut kept: Vec<(String, String)> = v
        .fields
        .iter()
        .filter(|(name, value)| {
            !value.trim().is_empty() && FormStep::of_input(name).is_some_and(|step| step != shown)
        })
        .map(|(name, value)| (name.clone(), value.clone()))
        .collect();
    kept.sort();
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(pairs: &[(&str, &str)]) -> FormValues {
        let mut v = FormValues::default();
        for (k, val) in pairs {
            v.fields.insert(k.to_string(), val.to_string());
        }
        v
    }

    #[test]
    fn every_input_and_error_belongs_to_one_screen() {
        for (input, step) in [
            ("narrative", FormStep::Happened),
            ("evidence", FormStep::Happened),
            ("amount_lost", FormStep::Paid),
            ("t_at_1", FormStep::Paid),
            ("i_bank_0", FormStep::Contacted),
            ("confirm_ident", FormStep::Contacted),
            ("place_code", FormStep::You),
            ("reporter_email", FormStep::You),
        ] {
            assert_eq!(FormStep::of_input(input), Some(step), "{input}");
        }
        for meta in ["step", "go", "idempotency_key", "confirmed"] {
            assert_eq!(FormStep::of_input(meta), None, "{meta}");
        }
        assert_eq!(
            FormStep::of_error("transfers[1].amount_vnd", FormStep::You),
            FormStep::Paid
        );
        assert_eq!(
            FormStep::of_error("reporter.phone", FormStep::Review),
            FormStep::You
        );
        assert_eq!(FormStep::of_error("form", FormStep::Paid), FormStep::Paid);
    }

    #[test]
    fn buttons_move_between_screens_and_only_the_review_sends() {
        let at = |step: &str, go: &str| move_of(&values(&[("step", step), ("go", go)]));
        assert_eq!(at("1", "next"), (FormStep::Happened, Move::Next));
        assert_eq!(at("3", "back"), (FormStep::Contacted, Move::Back));
        assert_eq!(at("2", "send"), (FormStep::Paid, Move::Next));
        assert_eq!(at("5", "send"), (FormStep::Review, Move::Send));
        assert_eq!(
            at("5", "edit-2"),
            (FormStep::Review, Move::Edit(FormStep::Paid))
        );
        // Editing a later screen is not a way to skip the checks.
        assert_eq!(at("1", "edit-4"), (FormStep::Happened, Move::Next));
        assert_eq!(at("9", "next"), (FormStep::Review, Move::Send));
        assert_eq!(move_of(&values(&[])), (FormStep::Review, Move::Send));
        assert_eq!(FormStep::Happened.previous(), FormStep::Happened);
        assert_eq!(FormStep::You.next(), FormStep::Review);
    }

    #[test]
    fn the_other_screens_answers_are_carried() {
        let v = values(&[
            ("narrative", "Bị lừa"),
            ("amount_lost", "5 triệu"),
            ("t_bank_0", ""),
            ("reporter_name", "An"),
            ("step", "2"),
            ("idempotency_key", "K"),
        ]);
        let kept = carried(&v, FormStep::Paid);
        assert_eq!(
            kept,
            vec![
                ("narrative".to_string(), "Bị lừa".to_string()),
                ("reporter_name".to_string(), "An".to_string()),
            ]
        );
    }
}
