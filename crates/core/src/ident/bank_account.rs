//! Bank accounts: the bank (by BIN, short name or full name) and the account number.

use crate::banks::{Bank, Banks};
use crate::i18n::Lang;

/// The longest account identifier NAPAS accepts.
const MAX_LEN: usize = 19;
/// Shorter than this is no account number anyone uses.
const MIN_LEN: usize = 6;

/// A bank account at a known bank.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankAccount {
    bin: String,
    bank_name: String,
    number: String,
}

/// Why a bank account is not valid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BankAccountError {
    /// No bank was named.
    #[error("no bank given")]
    MissingBank,
    /// The bank is not known; the closest known names are given.
    #[error("unknown bank {given:?}")]
    UnknownBank {
        /// What was typed.
        given: String,
        /// Short names of the closest known banks.
        suggestions: Vec<String>,
    },
    /// No account number.
    #[error("no account number")]
    MissingNumber,
    /// A character that is not a letter or digit.
    #[error("unexpected character {0:?}")]
    BadCharacter(char),
    /// Shorter than any real account.
    #[error("too short")]
    TooShort(usize),
    /// Longer than NAPAS allows.
    #[error("too long")]
    TooLong(usize),
}

impl BankAccountError {
    /// A stable snake_case code.
    pub fn code(&self) -> &'static str {
        match self {
            BankAccountError::MissingBank => "bank_missing",
            BankAccountError::UnknownBank { .. } => "bank_unknown",
            BankAccountError::MissingNumber => "account_missing",
            BankAccountError::BadCharacter(_) => "account_bad_character",
            BankAccountError::TooShort(_) => "account_too_short",
            BankAccountError::TooLong(_) => "account_too_long",
        }
    }

    /// Why, for people.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (BankAccountError::MissingBank, Lang::Vi) => {
                "Hãy ghi tên ngân hàng kèm số tài khoản, ví dụ “VCB 0123456789”.".into()
            }
            (BankAccountError::MissingBank, Lang::En) => {
                "Give the bank with the account number, e.g. “VCB 0123456789”.".into()
            }
            (BankAccountError::UnknownBank { given, suggestions }, Lang::Vi) => {
                format!(
                    "Không biết ngân hàng “{given}”. Có phải là: {}?",
                    suggestions.join(", ")
                )
            }
            (BankAccountError::UnknownBank { given, suggestions }, Lang::En) => {
                format!(
                    "Unknown bank “{given}”. Did you mean: {}?",
                    suggestions.join(", ")
                )
            }
            (BankAccountError::MissingNumber, Lang::Vi) => "Chưa nhập số tài khoản.".into(),
            (BankAccountError::MissingNumber, Lang::En) => "No account number was given.".into(),
            (BankAccountError::BadCharacter(c), Lang::Vi) => {
                format!("Số tài khoản không được chứa ký tự “{c}”.")
            }
            (BankAccountError::BadCharacter(c), Lang::En) => {
                format!("An account number cannot contain “{c}”.")
            }
            (BankAccountError::TooShort(n), Lang::Vi) => {
                format!("Số tài khoản quá ngắn ({n} ký tự; tối thiểu {MIN_LEN}).")
            }
            (BankAccountError::TooShort(n), Lang::En) => {
                format!("The account number is too short ({n} characters; at least {MIN_LEN}).")
            }
            (BankAccountError::TooLong(n), Lang::Vi) => {
                format!("Số tài khoản quá dài ({n} ký tự; tối đa {MAX_LEN}).")
            }
            (BankAccountError::TooLong(n), Lang::En) => {
                format!("The account number is too long ({n} characters; at most {MAX_LEN}).")
            }
        }
    }
}

fn clean_number(value: &str) -> Result<String, BankAccountError> {
    let mut out = String::with_capacity(value.len());
    for c in value.trim().chars() {
        match c {
            '0'..='9' | 'A'..='Z' => out.push(c),
            'a'..='z' => out.push(c.to_ascii_uppercase()),
            ' ' | '.' | '-' | '_' | '\u{a0}' => {}
            c => return Err(BankAccountError::BadCharacter(c)),
        }
    }
    if out.is_empty() {
        return Err(BankAccountError::MissingNumber);
    }
    if out.len() < MIN_LEN {
        return Err(BankAccountError::TooShort(out.len()));
    }
    if out.len() > MAX_LEN {
        return Err(BankAccountError::TooLong(out.len()));
    }
    Ok(out)
}

fn find_bank(name: &str) -> Result<&'static Bank, BankAccountError> {
    let banks = Banks::get();
    if name.trim().is_empty() {
        return Err(BankAccountError::MissingBank);
    }
    banks
        .find(name)
        .ok_or_else(|| BankAccountError::UnknownBank {
            given: name.trim().chars().take(40).collect(),
            suggestions: banks
                .closest(name, 3)
                .iter()
                .map(|b| b.short_name.clone())
                .collect(),
        })
}

impl BankAccount {
    /// Parses a bank (any name or BIN) and an account number.
    pub fn parse(bank: &str, number: &str) -> Result<BankAccount, BankAccountError> {
        let bank = find_bank(bank)?;
        let number = clean_number(number)?;
        Ok(BankAccount {
            bin: bank.bin.clone(),
            bank_name: bank.short_name.clone(),
            number,
        })
    }

    /// Parses "BANK ACCOUNT" or "ACCOUNT BANK" ("VCB 0123456789", "0123456789 - Vietcombank",
    /// "Techcombank: 1903 0413 6010 18").
    pub fn parse_combined(text: &str) -> Result<BankAccount, BankAccountError> {
        let text = text.trim();
        let separators = |c: char| c == ':' || c == '-' || c == ',' || c == '/' || c == '|';
        // Split into the part that holds digits and the part that names the bank.
        let first_digit = text.find(|c: char| c.is_ascii_digit());
        let Some(first_digit) = first_digit else {
            return Err(BankAccountError::MissingNumber);
        };
        let (bank, number) = if first_digit == 0
            || text[..first_digit]
                .trim_matches(separators)
                .trim()
                .is_empty()
        {
            // "0123456789 Vietcombank": the number runs until the first letter after it.
            let end = text
                .char_indices()
                .find(|(_, c)| c.is_alphabetic())
                .map(|(i, _)| i)
                .unwrap_or(text.len());
            (&text[end..], &text[..end])
        } else {
            (&text[..first_digit], &text[first_digit..])
        };
        let bank = bank.trim().trim_matches(separators).trim();
        let bank = bank
            .strip_prefix("tại ")
            .or_else(|| bank.strip_prefix("tai "))
            .unwrap_or(bank);
        let number = number.trim().trim_matches(separators).trim();
        Self::parse(bank, number)
    }

    /// The bank's NAPAS BIN.
    pub fn bin(&self) -> &str {
        &self.bin
    }

    /// The bank's short name.
    pub fn bank_name(&self) -> &str {
        &self.bank_name
    }

    /// The account number, separators removed, letters upper case.
    pub fn number(&self) -> &str {
        &self.number
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bank_and_number_are_normalised_whichever_way_they_are_written() {
        for (bank, number) in [
            ("VCB", "0123456789"),
            ("vietcombank", "0123 456 789"),
            ("970436", "0123.456.789"),
            ("Ngân hàng Ngoại thương", "0123-456-789"),
        ] {
            let a = BankAccount::parse(bank, number).expect("valid");
            assert_eq!((a.bin(), a.number()), ("970436", "0123456789"));
        }
    }

    #[test]
    fn combined_forms_put_the_bank_before_or_after_the_number() {
        for text in [
            "VCB 0123456789",
            "0123456789 VCB",
            "Vietcombank: 0123 456 789",
            "0123456789 - Vietcombank",
            "0123456789 tại Vietcombank",
        ] {
            let a = BankAccount::parse_combined(text).expect(text);
            assert_eq!((a.bin(), a.number()), ("970436", "0123456789"), "{text}");
        }
        let tcb = BankAccount::parse_combined("Techcombank 1903 0413 6010 18").expect("valid");
        assert_eq!((tcb.bin(), tcb.number()), ("970407", "19030413601018"));
    }

    #[test]
    fn an_unknown_bank_suggests_the_closest_known_banks() {
        match BankAccount::parse("Vietcombnk", "0123456789") {
            Err(BankAccountError::UnknownBank { suggestions, .. }) => {
                assert_eq!(suggestions.first().map(String::as_str), Some("Vietcombank"))
            }
            other => panic!("expected unknown bank, got {other:?}"),
        }
    }

    #[test]
    fn bad_account_numbers_say_why() {
        assert_eq!(
            BankAccount::parse("VCB", "").err(),
            Some(BankAccountError::MissingNumber)
        );
        assert_eq!(
            BankAccount::parse("VCB", "123").err(),
            Some(BankAccountError::TooShort(3))
        );
        assert_eq!(
            BankAccount::parse("VCB", &"1".repeat(20)).err(),
            Some(BankAccountError::TooLong(20))
        );
        assert_eq!(
            BankAccount::parse("VCB", "12345#789").err(),
            Some(BankAccountError::BadCharacter('#'))
        );
        assert_eq!(
            BankAccount::parse("", "123456789").err(),
            Some(BankAccountError::MissingBank)
        );
    }
}
