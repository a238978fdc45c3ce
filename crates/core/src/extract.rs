//! Finding every identifier in free Vietnamese text, with its span.
//!
//! Websites, e-mail addresses, wallets and social handles are found by pattern and
//! then validated by their parsers. Digit runs become bank accounts when a bank is
//! named right beside them ("STK 0123456789 Vietcombank", "VCB: 0123 456 789") and
//! phone numbers otherwise, when they are valid numbers.

use once_cell::sync::Lazy;
use regex::Regex;

use crate::banks::Banks;
use crate::fold::fold;
use crate::ident::{
    BankAccount, Email, Identifier, PhoneNumber, Platform, SocialAccount, Wallet, Website,
};

/// Text longer than this is cut before extraction (bytes).
pub const MAX_TEXT: usize = 100_000;

/// An identifier found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The identifier.
    pub identifier: Identifier,
    /// Byte offset of the first byte in the original text.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
}

impl Found {
    /// The span in characters (Unicode scalar values) of `text`, for clients that count so.
    pub fn char_span(&self, text: &str) -> (usize, usize) {
        let start = text
            .get(..self.start)
            .map(|s| s.chars().count())
            .unwrap_or(0);
        let len = text
            .get(self.start..self.end)
            .map(|s| s.chars().count())
            .unwrap_or(0);
        (start, start + len)
    }
}

#[expect(clippy::unwrap_used, reason = "constant patterns, covered by tests")]
static URL_RE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i)(?:(?:https?|hxxps?)(?:://|\[:\]//)[^\s<>]+|(?:[\p{L}\p{N}][\p{L}\p{N}-]*(?:\.|\[\.\]|\(\.\)|\[dot\]))+\p{L}{2,}(?:[/?][^\s<>]*)?)").unwrap()
});
#[expect(clippy::unwrap_used, reason = "constant patterns, covered by tests")]
static EMAIL_RE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}").unwrap()
});
#[expect(clippy::unwrap_used, reason = "constant patterns, covered by tests")]
static WALLET_RE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?-u:\b)(?:0x[0-9a-fA-F]{40}|T[1-9A-HJ-NP-Za-km-z]{33}|(?i:bc1[02-9ac-hj-np-z]{8,87})|[13][1-9A-HJ-NP-Za-km-z]{25,34})(?-u:\b)").unwrap()
});
#[expect(clippy::unwrap_used, reason = "constant patterns, covered by tests")]
static HANDLE_RE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i)(?-u:\b)(telegram|tele|tiktok|facebook|fb)\s*:?\s*(@[A-Za-z0-9._]{3,64}|[A-Za-z][A-Za-z0-9._]*[0-9_][A-Za-z0-9._]*)").unwrap()
});
#[expect(clippy::unwrap_used, reason = "constant patterns, covered by tests")]
static NUMBER_RE: Lazy<Regex> =
    Lazy::new(|| Regex::new(r"(?:\(\+?\d{2,4}\)[ .\-]?|\+)?\d(?:[ .\-]?\d)*").unwrap());

/// Words that may stand between a bank's name and its account number.
const ACCOUNT_CONNECTORS: &[&str] = &[
    "stk", "so", "tai", "khoan", "tk", "ngan", "hang", "nh", "account", "acc", "no", "number",
    "ck", "chuyen", "vao", "qua", "cua", "bank", "ngân", "hàng", "the", "atm",
];
/// Words that say a number is a telephone number.
const PHONE_WORDS: &[&str] = &[
    "sdt", "dt", "hotline", "goi", "lh", "phone", "tel", "dien", "thoai", "zalo", "zl", "viber",
    "alo", "nhan", "tin", "sms",
];
/// Words that say a number is an account.
const ACCOUNT_WORDS: &[&str] = &["stk", "tk", "khoan", "account", "acc", "ck"];

struct Token {
    start: usize,
    end: usize,
}

impl Token {
    fn folded(&self, text: &str) -> String {
        fold(&text[self.start..self.end])
    }
}

/// Whether a character is part of a word; Vietnamese letters are answered from
/// their Unicode block without the general-category tables.
fn is_word_char(c: char) -> bool {
    match c as u32 {
        0..=0x7F => c.is_ascii_alphanumeric(),
        0xC0..=0x24F => c != '×' && c != '÷',
        0x300..=0x36F | 0x1E00..=0x1EFF => true,
        _ => c.is_alphanumeric(),
    }
}

fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        if is_word_char(c) {
            if start.is_none() {
                start = Some(i);
            }
        } else if let Some(s) = start.take() {
            tokens.push(Token { start: s, end: i });
        }
    }
    if let Some(s) = start {
        tokens.push(Token {
            start: s,
            end: text.len(),
        });
    }
    tokens
}

/// A bank named by 1-3 tokens ending at (backwards) or starting at (forwards) `at`.
fn bank_at(
    text: &str,
    tokens: &[Token],
    at: usize,
    forwards: bool,
) -> Option<&'static crate::banks::Bank> {
    let banks = Banks::get();
    for len in (1..=3).rev() {
        let range = if forwards {
            if at + len > tokens.len() {
                continue;
            }
            at..at + len
        } else {
            if len > at + 1 {
                continue;
            }
            at + 1 - len..at + 1
        };
        let squashed: String = tokens[range].iter().map(|t| t.folded(text)).collect();
        if squashed.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        if let Some(bank) = banks.find_squashed(&squashed) {
            return Some(bank);
        }
    }
    None
}

struct Context {
    bank: Option<&'static crate::banks::Bank>,
    phone_word: bool,
    account_word: bool,
}

fn context(text: &str, tokens: &[Token], start: usize, end: usize) -> Context {
    let mut ctx = Context {
        bank: None,
        phone_word: false,
        account_word: false,
    };
    // Backwards from the number.
    let before = tokens.iter().rposition(|t| t.end <= start);
    if let Some(mut k) = before {
        let mut steps = 0;
        loop {
            let word_owned = tokens[k].folded(text);
            let word = word_owned.as_str();
            ctx.phone_word |= PHONE_WORDS.contains(&word);
            ctx.account_word |= ACCOUNT_WORDS.contains(&word);
            if ctx.bank.is_none() {
                ctx.bank = bank_at(text, tokens, k, false)
                    .filter(|_| !ACCOUNT_CONNECTORS.contains(&word) || word == "bank");
            }
            if ctx.bank.is_some() || !ACCOUNT_CONNECTORS.contains(&word) || k == 0 || steps > 5 {
                break;
            }
            k -= 1;
            steps += 1;
        }
        // A phone word a little further back still counts ("gọi hotline Vietcombank 09…").
        let from = k.saturating_sub(3);
        ctx.phone_word |= tokens[from..=k]
            .iter()
            .any(|t| PHONE_WORDS.contains(&t.folded(text).as_str()));
    }
    // Forwards from the number.
    if ctx.bank.is_none() {
        if let Some(mut k) = tokens.iter().position(|t| t.start >= end) {
            let mut steps = 0;
            while k < tokens.len() && steps <= 5 {
                let word_owned = tokens[k].folded(text);
                let word = word_owned.as_str();
                if let Some(bank) = bank_at(text, tokens, k, true) {
                    if !ACCOUNT_CONNECTORS.contains(&word) || word == "bank" {
                        ctx.bank = Some(bank);
                        break;
                    }
                }
                if !ACCOUNT_CONNECTORS.contains(&word) {
                    break;
                }
                ctx.account_word |= ACCOUNT_WORDS.contains(&word);
                k += 1;
                steps += 1;
            }
        }
    }
    ctx
}

fn trim_url_end(text: &str, start: usize, end: usize) -> usize {
    let mut end = end;
    while end > start {
        let Some(c) = text[start..end].chars().next_back() else {
            break;
        };
        if ".,;:!?)\"'”’»…]".contains(c) {
            // Keep a closing bracket that closes one opened inside the URL.
            if c == ')' && text[start..end].contains('(') {
                break;
            }
            end -= c.len_utf8();
        } else {
            break;
        }
    }
    end
}

fn overlaps(taken: &[(usize, usize)], start: usize, end: usize) -> bool {
    taken.iter().any(|&(s, e)| start < e && s < end)
}

/// Whether [`URL_RE`] can match at all: it needs a scheme, or a dot (or a written-out
/// dot) followed by a letter. Most messages have neither, and this costs less than
/// the pattern.
fn may_hold_url(text: &str) -> bool {
    if text.contains("://") || text.contains("[:]//") {
        return true;
    }
    let bytes = text.as_bytes();
    bytes.iter().enumerate().any(|(i, &b)| match b {
        b'.' => text
            .get(i + 1..)
            .and_then(|rest| rest.chars().next())
            .is_some_and(char::is_alphabetic),
        b'[' | b'(' => {
            let rest = &bytes[i + 1..];
            rest.starts_with(b".]") || rest.starts_with(b".)") || {
                rest.len() >= 4 && rest[..4].eq_ignore_ascii_case(b"dot]")
            }
        }
        _ => false,
    })
}

/// The most digits one number can have (a 19-digit account).
const MAX_DIGITS: usize = 19;

/// Splits a run of digit groups that is too long to be one number ("0912345678 0987654321"
/// written with single spaces) into the longest phone numbers it holds.
fn split_number_run(text: &str, start: usize, end: usize) -> Vec<(usize, usize)> {
    let run = &text[start..end];
    if run.bytes().filter(u8::is_ascii_digit).count() <= MAX_DIGITS {
        return vec![(start, end)];
    }
    // Groups of digits separated by one separator character.
    let mut groups: Vec<(usize, usize)> = Vec::new();
    let mut group_start: Option<usize> = None;
    for (i, b) in run.bytes().enumerate() {
        if b.is_ascii_digit() {
            group_start.get_or_insert(i);
        } else if let Some(s) = group_start.take() {
            groups.push((start + s, start + i));
        }
    }
    if let Some(s) = group_start {
        groups.push((start + s, end));
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < groups.len() {
        let mut best = None;
        let mut digits = 0;
        for j in i..groups.len() {
            digits += groups[j].1 - groups[j].0;
            if digits > 12 {
                break;
            }
            if PhoneNumber::parse(&text[groups[i].0..groups[j].1]).is_ok() {
                best = Some(j);
            }
        }
        match best {
            Some(j) => {
                out.push((groups[i].0, groups[j].1));
                i = j + 1;
            }
            None => i += 1,
        }
    }
    out
}

/// Finds every identifier in `text`, in order of appearance.
pub fn extract(text: &str) -> Vec<Found> {
    let text = if text.len() > MAX_TEXT {
        let mut cut = MAX_TEXT;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        &text[..cut]
    } else {
        text
    };
    // The most specific shapes first: a number inside a link or an e-mail address
    // is not read again on its own.
    let mut spans = Spans::default();
    emails(text, &mut spans);
    links(text, &mut spans);
    wallets(text, &mut spans);
    handles(text, &mut spans);
    numbers(text, &mut spans);
    let mut found = spans.found;
    found.sort_by_key(|f| f.start);
    found
}

/// What was found so far, and where.
#[derive(Default)]
struct Spans {
    found: Vec<Found>,
    taken: Vec<(usize, usize)>,
}

impl Spans {
    fn push(&mut self, identifier: Identifier, start: usize, end: usize) {
        self.taken.push((start, end));
        self.found.push(Found {
            identifier,
            start,
            end,
        });
    }

    fn overlaps(&self, start: usize, end: usize) -> bool {
        overlaps(&self.taken, start, end)
    }
}

/// E-mail addresses.
fn emails(text: &str, spans: &mut Spans) {
    for m in EMAIL_RE.find_iter(if text.contains('@') { text } else { "" }) {
        if let Ok(e) = Email::parse(m.as_str()) {
            spans.push(Identifier::Email(e), m.start(), m.end());
        }
    }
}

/// Links: a social network's profile, or a website.
fn links(text: &str, spans: &mut Spans) {
    if may_hold_url(text) {
        for m in URL_RE.find_iter(text) {
            let end = trim_url_end(text, m.start(), m.end());
            if spans.overlaps(m.start(), end) {
                continue;
            }
            let candidate = &text[m.start()..end];
            // Numbers written with dots ("0912.345.678", "5.000.000") are not websites.
            if candidate.chars().all(|c| c.is_ascii_digit() || c == '.') {
                continue;
            }
            if let Some(s) = SocialAccount::from_url(candidate) {
                spans.push(Identifier::Social(s), m.start(), end);
            } else if let Ok(w) = Website::parse(candidate) {
                spans.push(Identifier::Url(w), m.start(), end);
            }
        }
    }
}

/// Crypto wallet addresses.
fn wallets(text: &str, spans: &mut Spans) {
    for m in WALLET_RE.find_iter(text) {
        if spans.overlaps(m.start(), m.end()) {
            continue;
        }
        if let Ok(w) = Wallet::parse(m.as_str()) {
            spans.push(Identifier::Wallet(w), m.start(), m.end());
        }
    }
}

/// Handles written after a platform's name ("Zalo: abc", "Telegram @abc").
fn handles(text: &str, spans: &mut Spans) {
    for c in HANDLE_RE.captures_iter(text) {
        let (Some(all), Some(name), Some(handle)) = (c.get(0), c.get(1), c.get(2)) else {
            continue;
        };
        if spans.overlaps(all.start(), all.end()) {
            continue;
        }
        let Some(platform) = Platform::from_name(name.as_str()) else {
            continue;
        };
        if let Ok(s) = SocialAccount::new(platform, handle.as_str()) {
            spans.push(Identifier::Social(s), handle.start(), handle.end());
        }
    }
}

/// Digit runs: a phone number or, next to a bank's name, an account.
fn numbers(text: &str, spans: &mut Spans) {
    if text.bytes().any(|b| b.is_ascii_digit()) {
        let tokens = tokenize(text);
        let candidates = NUMBER_RE
            .find_iter(text)
            .flat_map(|m| split_number_run(text, m.start(), m.end()));
        for (start, end) in candidates {
            let candidate = &text[start..end];
            let digits = candidate.bytes().filter(u8::is_ascii_digit).count();
            if !(6..=19).contains(&digits) || spans.overlaps(start, end) {
                continue;
            }
            // Commas group the thousands of an amount ("+2,500,000VND"); no phone
            // number or account is written with them.
            if candidate.contains(',') {
                continue;
            }
            // A digit run glued to letters is a code or a word, not a number.
            let glued_before = text[..start]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric);
            let glued_after = text[end..]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric);
            if glued_before || glued_after {
                continue;
            }
            let ctx = context(text, &tokens, start, end);
            // "00…" is the international prefix only in theory: in Vietnamese texts it
            // starts an account (Vietcombank's all do), so it is read as a phone number
            // only next to a phone word (and foreign parsing, ~9 µs, is not paid for it).
            let phone = if candidate.starts_with("00") && !ctx.phone_word {
                None
            } else {
                PhoneNumber::parse(candidate)
                    .ok()
                    .filter(|p| p.is_vietnamese() || candidate.starts_with('+'))
            };
            let account = ctx
                .bank
                .and_then(|b| BankAccount::parse(&b.bin, candidate).ok());
            let identifier = match (phone, account) {
                (Some(p), Some(_)) if ctx.phone_word && !ctx.account_word => Identifier::Phone(p),
                (_, Some(a)) => Identifier::BankAccount(a),
                (Some(p), None) if digits >= 8 => Identifier::Phone(p),
                _ => continue,
            };
            spans.push(identifier, start, end);
        }
    }
}

/// The distinct identifiers of a text, first occurrence kept.
pub fn extract_unique(text: &str) -> Vec<Found> {
    let mut seen = std::collections::HashSet::new();
    extract(text)
        .into_iter()
        .filter(|f| seen.insert(f.identifier.key()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<String> {
        extract(text).iter().map(|f| f.identifier.key()).collect()
    }

    proptest::proptest! {
        #[test]
        fn the_url_gate_never_hides_a_url(text in "[a-zA-Zà-ỹ0-9 .:/\\[\\]()hxtpsdoDOT-]{0,40}") {
            if URL_RE.is_match(&text) {
                proptest::prop_assert!(may_hold_url(&text), "{text}");
            }
        }
    }

    #[test]
    fn the_url_gate_opens_for_every_written_form_of_a_link() {
        for text in [
            "vao vietcombank.com.vn ngay",
            "hxxps[:]//x",
            "vcb[.]vn",
            "vcb(.)vn",
            "vcb[DOT]vn",
            "bộ.công.an",
        ] {
            assert!(may_hold_url(text) && URL_RE.is_match(text), "{text}");
        }
        assert!(!may_hold_url("Gọi 0912.345.678. Hết."));
    }

    #[test]
    fn phone_numbers_in_a_message_are_found_with_their_spans() {
        let text = "Gọi ngay 0912 345 678 hoặc +84 987.654.321 để nhận thưởng";
        let found = extract(text);
        assert_eq!(found.len(), 2);
        assert_eq!(&text[found[0].start..found[0].end], "0912 345 678");
        assert_eq!(found[0].identifier.key(), "phone:+84912345678");
        assert_eq!(found[1].identifier.key(), "phone:+84987654321");
    }

    #[test]
    fn an_account_number_beside_a_bank_name_is_a_bank_account() {
        assert_eq!(
            keys("Chuyển vào STK 0123456789 Vietcombank, chủ TK Nguyen Van A"),
            vec!["bank_account:970436:0123456789"]
        );
        assert_eq!(
            keys("ck qua VCB: 0123 456 789 nhé"),
            vec!["bank_account:970436:0123456789"]
        );
        assert_eq!(
            keys("STK: 19030413601018 - Ngân hàng Techcombank"),
            vec!["bank_account:970407:19030413601018"]
        );
        assert_eq!(
            keys("số tài khoản 0912345678 ngân hàng MB"),
            vec!["bank_account:970422:0912345678"]
        );
    }

    #[test]
    fn a_hotline_beside_a_bank_name_stays_a_phone_number() {
        assert_eq!(
            keys("gọi hotline Vietcombank 0912345678"),
            vec!["phone:+84912345678"]
        );
    }

    #[test]
    fn websites_emails_wallets_and_social_accounts_are_found() {
        let text = "Truy cập https://vietcombank-hotro.com.vn/login?x=1, hoặc hxxp://evil[.]top. Email: hotro@vcb-cskh.com. Nạp USDT vào TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t, nhắn telegram @hotro_vayvon hoặc fb.com/nguyen.van.a";
        assert_eq!(
            keys(text),
            vec![
                "url:vietcombank-hotro.com.vn",
                "url:evil.top",
                "email:hotro@vcb-cskh.com",
                "wallet:tron:TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t",
                "social:telegram:hotro_vayvon",
                "social:facebook:nguyen.van.a",
            ]
        );
    }

    #[test]
    fn amounts_dates_and_abbreviations_are_not_identifiers() {
        assert!(keys(
            "Chuyển 5.000.000 đồng ngày 12/03/2025 lúc 10:30, TP.HCM, v.v. Mã OTP 123456"
        )
        .is_empty());
        assert!(keys("Đơn hàng DH12345678 đã giao").is_empty());
    }

    #[test]
    fn spans_can_be_given_in_characters() {
        let text = "Số điện thoại 0912345678";
        let found = extract(text);
        assert_eq!(found[0].char_span(text), (14, 24));
    }

    #[test]
    fn oversized_text_is_cut_not_rejected() {
        let text = "0912345678 ".repeat(20_000);
        assert!(!extract(&text).is_empty());
    }
}
