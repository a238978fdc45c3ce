//! Formatting shared by the public pages and the console: page language, dates and
//! amounts in Vietnamese style, field errors.

use canhgiac_core::i18n::Lang;
use canhgiac_core::intake::FieldError;

/// Page texts in the page language: `{{ l.t("Tiếng Việt", "English") }}`. Every
/// page writes its words this way, both languages side by side (see
/// `docs/decisions/0004-page-texts-inline.md`).
#[derive(Debug, Clone, Copy)]
pub struct L(pub Lang);

impl L {
    /// The text in the page language.
    pub fn t<'a>(&self, vi: &'a str, en: &'a str) -> &'a str {
        self.0.pick(vi, en)
    }

    /// `vi` or `en`.
    pub fn code(&self) -> &'static str {
        self.0.code()
    }

    /// The other language's code, for the language switch.
    pub fn other_code(&self) -> &'static str {
        self.other().code()
    }

    /// The other language's name, in that language.
    pub fn other_name(&self) -> &'static str {
        match self.other() {
            Lang::Vi => "Tiếng Việt",
            Lang::En => "English",
        }
    }

    fn other(&self) -> Lang {
        match self.0 {
            Lang::Vi => Lang::En,
            Lang::En => Lang::Vi,
        }
    }
}

/// `dd/mm/yyyy HH:MM` in Vietnam.
pub fn fmt_datetime(unix: i64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp(unix)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        .to_offset(canhgiac_core::clock::VN_OFFSET);
    format!(
        "{:02}/{:02}/{} {:02}:{:02}",
        t.day(),
        u8::from(t.month()),
        t.year(),
        t.hour(),
        t.minute()
    )
}

/// A `time::Date` as `dd/mm/yyyy`.
pub fn fmt_day(d: time::Date) -> String {
    format!("{:02}/{:02}/{}", d.day(), u8::from(d.month()), d.year())
}

/// A stored `YYYY-MM-DD` as `dd/mm/yyyy`.
pub fn fmt_stored_day(s: &str) -> String {
    canhgiac_store::console::parse_date(s)
        .map(fmt_day)
        .unwrap_or_else(|| s.to_string())
}

/// One field's error, as forms and the API report it.
pub fn field_error(field: &str, code: &str, detail: impl Into<String>) -> FieldError {
    FieldError::new(field, code, detail)
}

/// VND with dot grouping.
pub fn vnd(amount: i64) -> String {
    canhgiac_core::verdict::format_vnd(amount.max(0) as u64)
}

/// The first moment of the current month in Vietnam, unix seconds.
pub fn month_start(now: i64) -> i64 {
    let t = time::OffsetDateTime::from_unix_timestamp(now)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        .to_offset(canhgiac_core::clock::VN_OFFSET);
    t.replace_day(1)
        .map(|d| d.replace_time(time::Time::MIDNIGHT).unix_timestamp())
        .unwrap_or(now)
}
