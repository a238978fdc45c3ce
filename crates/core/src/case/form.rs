//! A step as officers send it, from the report page's forms or the API: the
//! action's name and the fields it needs, read into a [`Step`].

use serde::Deserialize;
use time::macros::format_description;
use time::Date;

use super::Step;

/// The fields of every step form (each step uses some).
#[derive(Debug, Default, Deserialize)]
pub struct StepForm {
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub until: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub request_id: String,
    #[serde(default)]
    pub unit_id: String,
    #[serde(default)]
    pub to: String,
}

/// Why a step form could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepFormError {
    /// Unknown action.
    Action,
    /// A date was needed.
    Date,
    /// A number was needed.
    Number(&'static str),
}

impl StepForm {
    /// The step asked for.
    pub fn step(&self) -> Result<Step, StepFormError> {
        let date = || {
            Date::parse(
                self.until.trim(),
                &format_description!("[year]-[month]-[day]"),
            )
            .ok()
            .ok_or(StepFormError::Date)
        };
        let num = |s: &str, name| {
            s.trim()
                .parse::<i64>()
                .map_err(|_| StepFormError::Number(name))
        };
        let reason = self.reason.clone();
        Ok(match self.action.as_str() {
            "receive" => Step::Receive,
            "request_extension" => Step::RequestExtension {
                until: date()?,
                reason,
            },
            "approve_extension" => Step::ApproveExtension {
                request_id: num(&self.request_id, "request_id")?,
            },
            "refuse_extension" => Step::RefuseExtension {
                request_id: num(&self.request_id, "request_id")?,
                reason,
            },
            "procuracy_extension" => Step::ProcuracyExtension {
                until: date()?,
                reason,
            },
            "suspend" => Step::Suspend { reason },
            "resume" => Step::Resume { reason },
            "open_case" => Step::OpenCase { reason },
            "no_case" => Step::NoCase { reason },
            "transfer_unit" => Step::TransferUnit {
                unit_id: num(&self.unit_id, "unit_id")?,
                reason,
            },
            "transfer_out" => Step::TransferOut {
                to: self.to.clone(),
                reason,
            },
            _ => return Err(StepFormError::Action),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_read_into_steps() {
        let form = |action: &str, until: &str, id: &str| StepForm {
            action: action.into(),
            until: until.into(),
            reason: "Vì".into(),
            request_id: id.into(),
            ..StepForm::default()
        };
        assert_eq!(form("receive", "", "").step(), Ok(Step::Receive));
        assert!(matches!(
            form("request_extension", "2026-12-20", "").step(),
            Ok(Step::RequestExtension { .. })
        ));
        assert_eq!(
            form("request_extension", "20/12/2026", "").step(),
            Err(StepFormError::Date)
        );
        assert_eq!(
            form("approve_extension", "", "x").step(),
            Err(StepFormError::Number("request_id"))
        );
        assert_eq!(form("explode", "", "").step(), Err(StepFormError::Action));
    }
}
