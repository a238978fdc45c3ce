//! Telephone numbers: every form people write, canonical E.164, type and the
//! original carrier of Vietnamese mobile numbers.
//!
//! Validity and type come from the `phonenumber` crate (libphonenumber's metadata);
//! this module only cleans the input, maps the old 11-digit mobile prefixes (retired
//! in 2018) to today's, and names the carrier from the prefix table of the domain facts.

use phonenumber::country::Id;
use phonenumber::{Mode, Type};
use serde::Serialize;

use crate::i18n::Lang;

/// The longest input accepted as a phone number, in bytes.
const MAX_INPUT: usize = 64;

/// What kind of line a number is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PhoneType {
    /// A mobile number.
    Mobile,
    /// A fixed line.
    FixedLine,
    /// A toll-free number (1800…).
    TollFree,
    /// A premium-rate number (1900…).
    PremiumRate,
    /// Voice over IP.
    Voip,
    /// Anything else libphonenumber knows (UAN, shared cost, …).
    Other,
}

/// A valid telephone number in canonical E.164 form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneNumber {
    e164: String,
    country_code: u16,
    line: PhoneType,
    carrier: Option<&'static str>,
}

/// Why a text is not a valid phone number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    /// No digits at all.
    #[error("no digits")]
    Empty,
    /// Letters or symbols that never appear in a phone number.
    #[error("unexpected character {0:?}")]
    BadCharacter(char),
    /// Too few digits.
    #[error("too short: {0} digits")]
    TooShort(usize),
    /// Too many digits.
    #[error("too long: {0} digits")]
    TooLong(usize),
    /// A Vietnamese number whose prefix is assigned to nobody.
    #[error("prefix {0} is not in use in Vietnam")]
    UnknownPrefix(String),
    /// libphonenumber does not accept it.
    #[error("not a valid number")]
    Invalid,
}

impl PhoneError {
    /// A stable snake_case code.
    pub fn code(&self) -> &'static str {
        match self {
            PhoneError::Empty => "phone_empty",
            PhoneError::BadCharacter(_) => "phone_bad_character",
            PhoneError::TooShort(_) => "phone_too_short",
            PhoneError::TooLong(_) => "phone_too_long",
            PhoneError::UnknownPrefix(_) => "phone_unknown_prefix",
            PhoneError::Invalid => "phone_invalid",
        }
    }

    /// Why, for people.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (PhoneError::Empty, Lang::Vi) => "Chưa nhập số điện thoại.".into(),
            (PhoneError::Empty, Lang::En) => "No phone number was given.".into(),
            (PhoneError::BadCharacter(c), Lang::Vi) => format!("Số điện thoại không được chứa ký tự “{c}”."),
            (PhoneError::BadCharacter(c), Lang::En) => format!("A phone number cannot contain “{c}”."),
            (PhoneError::TooShort(n), Lang::Vi) => format!("Số điện thoại quá ngắn ({n} chữ số); số di động Việt Nam có 10 chữ số, ví dụ 0912 345 678."),
            (PhoneError::TooShort(n), Lang::En) => format!("The phone number is too short ({n} digits); Vietnamese mobile numbers have 10 digits, e.g. 0912 345 678."),
            (PhoneError::TooLong(n), Lang::Vi) => format!("Số điện thoại quá dài ({n} chữ số)."),
            (PhoneError::TooLong(n), Lang::En) => format!("The phone number is too long ({n} digits)."),
            (PhoneError::UnknownPrefix(p), Lang::Vi) => format!("Đầu số {p} không thuộc nhà mạng nào ở Việt Nam."),
            (PhoneError::UnknownPrefix(p), Lang::En) => format!("The prefix {p} is not assigned to any Vietnamese network."),
            (PhoneError::Invalid, Lang::Vi) => "Đây không phải là một số điện thoại hợp lệ.".into(),
            (PhoneError::Invalid, Lang::En) => "This is not a valid phone number.".into(),
        }
    }
}

/// Old 11-digit mobile prefixes (without the leading 0) and their 10-digit replacements.
const OLD_MOBILE_PREFIXES: &[(&str, &str)] = &[
    ("162", "32"),
    ("163", "33"),
    ("164", "34"),
    ("165", "35"),
    ("166", "36"),
    ("167", "37"),
    ("168", "38"),
    ("169", "39"),
    ("120", "70"),
    ("121", "79"),
    ("122", "77"),
    ("126", "76"),
    ("128", "78"),
    ("123", "83"),
    ("124", "84"),
    ("125", "85"),
    ("127", "81"),
    ("129", "82"),
    ("186", "56"),
    ("188", "58"),
    ("199", "59"),
];

/// The original carrier of a Vietnamese mobile range: the two digits after the 0
/// ("91" → VinaPhone). Numbers can be ported: a hint, not a fact.
pub fn carrier_of_range(two_digits: &str) -> Option<&'static str> {
    CARRIERS
        .iter()
        .find(|(prefix, _)| *prefix == two_digits)
        .map(|(_, carrier)| *carrier)
}

/// Mobile prefixes (two digits after the 0) and their original carriers.
const CARRIERS: &[(&str, &str)] = &[
    ("32", "Viettel"),
    ("33", "Viettel"),
    ("34", "Viettel"),
    ("35", "Viettel"),
    ("36", "Viettel"),
    ("37", "Viettel"),
    ("38", "Viettel"),
    ("39", "Viettel"),
    ("86", "Viettel"),
    ("96", "Viettel"),
    ("97", "Viettel"),
    ("98", "Viettel"),
    ("81", "VinaPhone"),
    ("82", "VinaPhone"),
    ("83", "VinaPhone"),
    ("84", "VinaPhone"),
    ("85", "VinaPhone"),
    ("88", "VinaPhone"),
    ("91", "VinaPhone"),
    ("94", "VinaPhone"),
    ("70", "MobiFone"),
    ("76", "MobiFone"),
    ("77", "MobiFone"),
    ("78", "MobiFone"),
    ("79", "MobiFone"),
    ("89", "MobiFone"),
    ("90", "MobiFone"),
    ("93", "MobiFone"),
    ("52", "Vietnamobile"),
    ("56", "Vietnamobile"),
    ("58", "Vietnamobile"),
    ("92", "Vietnamobile"),
    ("59", "Gmobile"),
    ("99", "Gmobile"),
    ("87", "Itelecom"),
    ("55", "Reddi"),
];

/// Cleans the text: keeps digits and one leading `+`, drops separators people use.
/// Returns the digits and whether the number was written in international form.
fn clean(input: &str) -> Result<(String, bool), PhoneError> {
    let input = input.trim();
    let input = input
        .strip_prefix("tel:")
        .or_else(|| input.strip_prefix("TEL:"))
        .unwrap_or(input);
    let mut digits = String::with_capacity(16);
    let mut plus = false;
    for c in input.chars() {
        match c {
            '0'..='9' => digits.push(c),
            '+' if digits.is_empty() && !plus => plus = true,
            // Full-width digits from some phone keyboards.
            '０'..='９' => digits.push(char::from(b'0' + (c as u32 - '０' as u32) as u8)),
            ' ' | '.' | '-' | '(' | ')' | '/' | '\u{a0}' | '_' => {}
            c => return Err(PhoneError::BadCharacter(c)),
        }
    }
    if digits.is_empty() {
        return Err(PhoneError::Empty);
    }
    if !plus {
        if let Some(rest) = digits.strip_prefix("00") {
            digits = rest.to_string();
            plus = true;
        }
    }
    Ok((digits, plus))
}

/// Rewrites an old 11-digit mobile number's national part (without the 0) to today's.
fn modernise(national: &str) -> Option<String> {
    if national.len() != 10 {
        return None;
    }
    OLD_MOBILE_PREFIXES
        .iter()
        .find(|(old, _)| national.starts_with(old))
        .map(|(old, new)| format!("{new}{}", &national[old.len()..]))
}

fn line_type(t: Type) -> PhoneType {
    match t {
        Type::Mobile | Type::FixedLineOrMobile => PhoneType::Mobile,
        Type::FixedLine => PhoneType::FixedLine,
        Type::TollFree => PhoneType::TollFree,
        Type::PremiumRate => PhoneType::PremiumRate,
        Type::Voip => PhoneType::Voip,
        _ => PhoneType::Other,
    }
}

fn carrier_of(national: &str) -> Option<&'static str> {
    CARRIERS
        .iter()
        .find(|(p, _)| national.starts_with(p))
        .map(|(_, c)| *c)
}

/// Why a Vietnamese national number that libphonenumber rejects is wrong.
fn invalid_vn(national: &str) -> PhoneError {
    if national.len() == 9 {
        PhoneError::UnknownPrefix(format!("0{}", &national[..2]))
    } else if national.len() < 9 {
        PhoneError::TooShort(national.len() + 1)
    } else {
        PhoneError::Invalid
    }
}

/// One number-type descriptor of libphonenumber's VN metadata, with its pattern
/// compiled once and matched against the whole national number, as libphonenumber
/// does (`matchesEntirely`). The `phonenumber` crate 0.3.10 only requires a match at
/// the start, which accepts numbers libphonenumber rejects (e.g. +84 1991 4731).
struct VnDescriptor {
    kind: Type,
    lengths: Vec<u16>,
    pattern: regex::Regex,
}

impl VnDescriptor {
    fn is_match(&self, national: &str) -> bool {
        (self.lengths.is_empty() || self.lengths.contains(&(national.len() as u16)))
            && self.pattern.is_match(national)
    }
}

struct VnMetadata {
    general: VnDescriptor,
    /// In the validator's order: premium, toll-free, shared cost, VoIP, personal,
    /// pager, UAN, voicemail.
    special: Vec<VnDescriptor>,
    fixed_line: Option<VnDescriptor>,
    mobile: Option<VnDescriptor>,
    fixed_equals_mobile: bool,
}

static VN: once_cell::sync::Lazy<Option<VnMetadata>> = once_cell::sync::Lazy::new(|| {
    let meta = phonenumber::metadata::DATABASE.by_id("VN")?;
    let compile = |kind: Type| -> Option<VnDescriptor> {
        let d = meta.descriptors().get(kind)?;
        let pattern = regex::RegexBuilder::new(&format!("^(?:{})$", d.national_number().as_str()))
            .ignore_whitespace(true)
            .build()
            .ok()?;
        Some(VnDescriptor {
            kind,
            lengths: d.possible_length().to_vec(),
            pattern,
        })
    };
    let general = meta.descriptors().general();
    let general = VnDescriptor {
        kind: Type::Unknown,
        lengths: general.possible_length().to_vec(),
        pattern: regex::RegexBuilder::new(&format!("^(?:{})$", general.national_number().as_str()))
            .ignore_whitespace(true)
            .build()
            .ok()?,
    };
    let special = [
        Type::PremiumRate,
        Type::TollFree,
        Type::SharedCost,
        Type::Voip,
        Type::PersonalNumber,
        Type::Pager,
        Type::Uan,
        Type::Voicemail,
    ]
    .into_iter()
    .filter_map(compile)
    .collect();
    let fixed_equals_mobile = meta
        .descriptors()
        .fixed_line()
        .map(|d| d.national_number().as_str())
        == meta
            .descriptors()
            .mobile()
            .map(|d| d.national_number().as_str());
    Some(VnMetadata {
        general,
        special,
        fixed_line: compile(Type::FixedLine),
        mobile: compile(Type::Mobile),
        fixed_equals_mobile,
    })
});

/// The type libphonenumber gives a Vietnamese national significant number: the
/// metadata's descriptors in libphonenumber's order. `crates/core/tests/libphonenumber.rs`
/// checks the verdicts against libphonenumber itself. `None` if the metadata has no VN entry.
fn vn_number_type(national: &str) -> Option<Type> {
    let meta = VN.as_ref()?;
    if !meta.general.is_match(national) {
        return Some(Type::Unknown);
    }
    if let Some(d) = meta.special.iter().find(|d| d.is_match(national)) {
        return Some(d.kind);
    }
    let mobile = |n: &str| meta.mobile.as_ref().is_some_and(|d| d.is_match(n));
    if meta
        .fixed_line
        .as_ref()
        .is_some_and(|d| d.is_match(national))
    {
        return Some(if meta.fixed_equals_mobile || mobile(national) {
            Type::FixedLineOrMobile
        } else {
            Type::FixedLine
        });
    }
    Some(if mobile(national) {
        Type::Mobile
    } else {
        Type::Unknown
    })
}

impl PhoneNumber {
    /// Parses a number as people write it. Numbers without a country code are Vietnamese.
    pub fn parse(input: &str) -> Result<PhoneNumber, PhoneError> {
        if input.len() > MAX_INPUT {
            return Err(PhoneError::TooLong(
                input.chars().filter(char::is_ascii_digit).count(),
            ));
        }
        let (digits, international) = clean(input)?;
        // Work out the Vietnamese national significant number, if it is one.
        let vn_national: Option<String> = if international {
            digits.strip_prefix("84").map(str::to_string)
        } else if let Some(rest) = digits.strip_prefix('0') {
            Some(rest.to_string())
        } else if digits.starts_with("84") && (digits.len() == 11 || digits.len() == 12) {
            Some(digits[2..].to_string())
        } else {
            Some(digits.clone())
        };
        let text = match vn_national {
            Some(national) => {
                let national = national.strip_prefix('0').unwrap_or(&national).to_string();
                let national = modernise(&national).unwrap_or(national);
                // Shorter numbers are judged by libphonenumber's metadata (some 7-digit
                // fixed lines are valid); nothing Vietnamese is longer than 10 digits.
                if national.len() < 3 {
                    return Err(PhoneError::TooShort(national.len() + 1));
                }
                if national.len() > 10 {
                    return Err(PhoneError::TooLong(national.len() + 1));
                }
                format!("+84{national}")
            }
            None => format!("+{digits}"),
        };
        // Vietnamese numbers are classified straight from libphonenumber's VN metadata
        // (the same descriptors, in the same order, as the crate's own validator): the
        // crate's text parser costs ~9 µs a number, too slow for extraction.
        if let Some(national) = text.strip_prefix("+84").filter(|n| !n.starts_with('0')) {
            let line = match vn_number_type(national) {
                Some(Type::Unknown) => return Err(invalid_vn(national)),
                Some(t) => line_type(t),
                None => return Err(PhoneError::Invalid),
            };
            let carrier = if line == PhoneType::Mobile {
                carrier_of(national)
            } else {
                None
            };
            return Ok(PhoneNumber {
                e164: text,
                country_code: 84,
                line,
                carrier,
            });
        }
        let number = phonenumber::parse(Some(Id::VN), &text).map_err(|_| PhoneError::Invalid)?;
        if !phonenumber::is_valid(&number) {
            return Err(PhoneError::Invalid);
        }
        let e164 = number.format().mode(Mode::E164).to_string();
        let line = line_type(number.number_type(&phonenumber::metadata::DATABASE));
        let country_code = number.code().value();
        let carrier = if country_code == 84 && line == PhoneType::Mobile {
            carrier_of(&e164[3..])
        } else {
            None
        };
        Ok(PhoneNumber {
            e164,
            country_code,
            line,
            carrier,
        })
    }

    /// `+84912345678`.
    pub fn e164(&self) -> &str {
        &self.e164
    }

    /// The country calling code (84 for Vietnam).
    pub fn country_code(&self) -> u16 {
        self.country_code
    }

    /// The line type.
    pub fn line_type(&self) -> PhoneType {
        self.line
    }

    /// The original carrier of a Vietnamese mobile number (numbers can be ported:
    /// a hint, not a fact).
    pub fn carrier(&self) -> Option<&'static str> {
        self.carrier
    }

    /// Whether it is a Vietnamese number.
    pub fn is_vietnamese(&self) -> bool {
        self.country_code == 84
    }

    /// How Vietnamese people write it: `0912 345 678`; foreign numbers stay E.164.
    pub fn national_display(&self) -> String {
        if !self.is_vietnamese() {
            return self.e164.clone();
        }
        let national = format!("0{}", &self.e164[3..]);
        if national.len() == 10 && self.line == PhoneType::Mobile {
            format!("{} {} {}", &national[..4], &national[4..7], &national[7..])
        } else {
            national
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e164(input: &str) -> String {
        match PhoneNumber::parse(input) {
            Ok(p) => p.e164().to_string(),
            Err(e) => format!("error: {e}"),
        }
    }

    #[test]
    fn every_common_way_of_writing_a_mobile_number_gives_the_same_e164() {
        for input in [
            "0912 345 678",
            "0912345678",
            "+84 912.345.678",
            "84912345678",
            "+84912345678",
            "0084 912 345 678",
            "(+84) 912-345-678",
            "091.234.5678",
            "tel:+84912345678",
            "+84 0912 345 678",
        ] {
            assert_eq!(e164(input), "+84912345678", "{input}");
        }
    }

    #[test]
    fn old_eleven_digit_mobile_numbers_map_to_todays_prefixes() {
        assert_eq!(e164("01662 345 678"), "+84362345678");
        assert_eq!(e164("0123 456 7890"), "+84834567890");
        assert_eq!(e164("0199 123 4567"), "+84591234567");
        assert_eq!(e164("+84 1693 456 789"), "+84393456789");
    }

    #[test]
    fn landlines_of_dong_nai_and_binh_phuoc_are_fixed_lines() {
        let p = PhoneNumber::parse("(0251) 3822 123").expect("valid landline");
        assert_eq!(p.e164(), "+842513822123");
        assert_eq!(p.line_type(), PhoneType::FixedLine);
        assert_eq!(
            PhoneNumber::parse("02513.685.134").map(|p| p.line_type()),
            Ok(PhoneType::FixedLine)
        );
    }

    #[test]
    fn mobile_numbers_name_their_original_carrier() {
        let cases = [
            ("0912345678", "VinaPhone"),
            ("0987654321", "Viettel"),
            ("0901234567", "MobiFone"),
            ("0921234567", "Vietnamobile"),
            ("0591234567", "Gmobile"),
        ];
        for (n, carrier) in cases {
            let p = PhoneNumber::parse(n).expect(n);
            assert_eq!(p.line_type(), PhoneType::Mobile, "{n}");
            assert_eq!(p.carrier(), Some(carrier), "{n}");
        }
    }

    #[test]
    fn foreign_numbers_are_kept_in_e164() {
        assert_eq!(e164("+1 650-253-0000"), "+16502530000");
        assert_eq!(e164("+855 12 345 678"), "+85512345678");
        assert_eq!(e164("0044 20 7946 0958"), "+442079460958");
    }

    #[test]
    fn premium_and_toll_free_numbers_are_recognised() {
        assert_eq!(
            PhoneNumber::parse("1900 2929 00").map(|p| p.line_type()),
            Ok(PhoneType::PremiumRate)
        );
        assert_eq!(
            PhoneNumber::parse("1800 1091").map(|p| p.line_type()),
            Ok(PhoneType::TollFree)
        );
    }

    #[test]
    fn bad_numbers_say_why() {
        assert_eq!(PhoneNumber::parse("").err(), Some(PhoneError::Empty));
        assert_eq!(
            PhoneNumber::parse("0912abc678").err(),
            Some(PhoneError::BadCharacter('a'))
        );
        assert!(matches!(
            PhoneNumber::parse("09123"),
            Err(PhoneError::TooShort(_))
        ));
        assert!(matches!(
            PhoneNumber::parse("091234567890123"),
            Err(PhoneError::TooLong(_))
        ));
        assert!(matches!(
            PhoneNumber::parse("0612345678"),
            Err(PhoneError::UnknownPrefix(_))
        ));
        assert!(PhoneNumber::parse(&"9".repeat(500)).is_err());
    }

    #[test]
    fn display_is_the_vietnamese_way() {
        let p = PhoneNumber::parse("+84912345678").expect("valid");
        assert_eq!(p.national_display(), "0912 345 678");
    }
}
