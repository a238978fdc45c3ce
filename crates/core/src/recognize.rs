//! Recognising what a person typed into the check box: one identifier of any kind,
//! or free text in which every identifier is found.

use crate::extract::{extract_unique, Found};
use crate::i18n::Lang;
use crate::ident::{
    BankAccount, BankAccountError, Email, Identifier, ParseError, PhoneNumber, SocialAccount,
    Wallet, Website,
};

/// The longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 5_000;

/// What a query turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Query {
    /// One identifier.
    One(Identifier),
    /// Free text, with every identifier found in it (possibly none).
    Text(Vec<Found>),
    /// A bare number that can be an account at some bank: people look an account up
    /// by its number alone. `phone` is set when the same digits are also a valid
    /// Vietnamese phone number.
    Number {
        /// The digits.
        digits: String,
        /// The phone number the digits also make, if any.
        phone: Option<PhoneNumber>,
    },
}

/// Why a query cannot be checked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    /// Nothing typed.
    #[error("empty query")]
    Empty,
    /// Too long.
    #[error("query too long")]
    TooLong,
    /// It looks like one identifier, but that identifier is invalid.
    #[error(transparent)]
    Invalid(#[from] ParseError),
}

impl QueryError {
    /// A stable snake_case code.
    pub fn code(&self) -> &'static str {
        match self {
            QueryError::Empty => "query_empty",
            QueryError::TooLong => "query_too_long",
            QueryError::Invalid(e) => e.code(),
        }
    }

    /// Why, for people.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            QueryError::Empty => lang
                .pick(
                    "Hãy nhập số điện thoại, số tài khoản kèm ngân hàng, trang web hoặc đoạn tin nhắn cần kiểm tra.",
                    "Type a phone number, a bank account with its bank, a website or a message to check.",
                )
                .to_string(),
            QueryError::TooLong => match lang {
                Lang::Vi => format!("Nội dung quá dài (tối đa {MAX_QUERY_CHARS} ký tự)."),
                Lang::En => format!("The text is too long (at most {MAX_QUERY_CHARS} characters)."),
            },
            QueryError::Invalid(e) => e.message(lang),
        }
    }
}

fn is_phoneish(text: &str) -> bool {
    let digits = text.chars().filter(char::is_ascii_digit).count();
    digits > 0
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || " .-()+/".contains(c))
}

/// The digits of a bare number that can be a bank account: 6 to 19 digits, written
/// without a `+` (`+84…` is a phone number; `00…` starts Vietcombank's accounts).
fn account_digits(text: &str) -> Option<String> {
    if text.contains('+') {
        return None;
    }
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    (6..=19).contains(&digits.len()).then_some(digits)
}

/// "BANK ACCOUNT" or "ACCOUNT BANK": one number and a few words.
fn looks_like_bank_account(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    let has_letters = text.chars().any(char::is_alphabetic);
    let digit_groups = text
        .split(|c: char| !(c.is_ascii_digit() || c == ' ' || c == '.' || c == '-'))
        .filter(|g| g.chars().filter(char::is_ascii_digit).count() >= 6)
        .count();
    has_letters && digit_groups == 1 && words.len() <= 8
}

/// Works out what `input` is.
pub fn recognize(input: &str) -> Result<Query, QueryError> {
    let text = input.trim();
    if text.is_empty() {
        return Err(QueryError::Empty);
    }
    if text.chars().count() > MAX_QUERY_CHARS {
        return Err(QueryError::TooLong);
    }
    let single = !text.contains(char::is_whitespace);
    if single {
        if let Ok(w) = Wallet::parse(text) {
            return Ok(Query::One(Identifier::Wallet(w)));
        }
        if text.contains('@') && !text.starts_with('@') {
            return Email::parse(text)
                .map(|e| Query::One(Identifier::Email(e)))
                .map_err(|e| QueryError::Invalid(e.into()));
        }
        if let Some(s) = SocialAccount::from_url(text) {
            return Ok(Query::One(Identifier::Social(s)));
        }
        if text.contains('.') && !is_phoneish(text) || text.contains("://") {
            return Website::parse(text)
                .map(|w| Query::One(Identifier::Url(w)))
                .map_err(|e| QueryError::Invalid(e.into()));
        }
    }
    if is_phoneish(text) {
        let phone = PhoneNumber::parse(text);
        if let Some(digits) = account_digits(text) {
            let phone = phone.ok().filter(PhoneNumber::is_vietnamese);
            return Ok(Query::Number { digits, phone });
        }
        return phone
            .map(|p| Query::One(Identifier::Phone(p)))
            .map_err(|e| QueryError::Invalid(e.into()));
    }
    if let Ok(s) = SocialAccount::parse(text) {
        return Ok(Query::One(Identifier::Social(s)));
    }
    if looks_like_bank_account(text) {
        match BankAccount::parse_combined(text) {
            Ok(a) => return Ok(Query::One(Identifier::BankAccount(a))),
            // A short "name number" query with an unknown name: say which banks are close,
            // unless the text is a sentence (then it is free text).
            Err(e @ BankAccountError::UnknownBank { .. })
                if text.split_whitespace().count() <= 3 =>
            {
                let found = extract_unique(text);
                if found.is_empty() {
                    return Err(QueryError::Invalid(e.into()));
                }
                return Ok(Query::Text(found));
            }
            Err(_) => {}
        }
    }
    Ok(Query::Text(extract_unique(text)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(text: &str) -> String {
        match recognize(text) {
            Ok(Query::One(i)) => i.key(),
            Ok(Query::Number { digits, phone }) => format!(
                "number:{digits}{}",
                phone
                    .map(|p| format!("|{}", Identifier::Phone(p).key()))
                    .unwrap_or_default()
            ),
            Ok(Query::Text(found)) => format!(
                "text[{}]",
                found
                    .iter()
                    .map(|f| f.identifier.key())
                    .collect::<Vec<_>>()
                    .join(",")
            ),
            Err(e) => format!("error:{}", e.code()),
        }
    }

    #[test]
    fn each_kind_of_query_is_recognised() {
        // A bare number may be a phone number and an account at some bank.
        assert_eq!(key("0912 345 678"), "number:0912345678|phone:+84912345678");
        assert_eq!(key("+84912345678"), "phone:+84912345678");
        // Numbers that no phone can be are accounts, looked up at every bank.
        assert_eq!(key("82353350040"), "number:82353350040");
        assert_eq!(key("1012345678"), "number:1012345678");
        assert_eq!(key("0071 0001 234567"), "number:00710001234567");
        assert_eq!(key("VCB 0123456789"), "bank_account:970436:0123456789");
        assert_eq!(
            key("0123456789 Vietcombank"),
            "bank_account:970436:0123456789"
        );
        assert_eq!(
            key("https://VietcomBank-hotro.com.vn/login?x=1"),
            "url:vietcombank-hotro.com.vn"
        );
        assert_eq!(
            key("vietcombank-hotro.com.vn"),
            "url:vietcombank-hotro.com.vn"
        );
        assert_eq!(
            key("facebook.com/nguyen.van.a"),
            "social:facebook:nguyen.van.a"
        );
        assert_eq!(key("telegram @hotro_vay"), "social:telegram:hotro_vay");
        assert_eq!(
            key("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"),
            "wallet:eth:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"
        );
        assert_eq!(key("hotro@vcb-cskh.com"), "email:hotro@vcb-cskh.com");
    }

    #[test]
    fn free_text_is_searched_for_every_identifier() {
        assert_eq!(
            key("Anh ơi chuyển giúp em vào STK 0123456789 VCB, gọi em 0987654321 nhé"),
            "text[bank_account:970436:0123456789,phone:+84987654321]"
        );
        assert_eq!(key("xin chào"), "text[]");
    }

    #[test]
    fn bad_queries_say_why() {
        assert_eq!(key("   "), "error:query_empty");
        assert_eq!(key("09123"), "error:phone_too_short");
        assert_eq!(key("Vietcombnk 0123456789"), "error:bank_unknown");
        assert_eq!(key(&"a ".repeat(3000)), "error:query_too_long");
    }
}
