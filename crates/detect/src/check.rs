//! The public check without a transport: what `GET /api/v1/check`, the check page and
//! `canhgiac check` all answer for what a citizen typed. One identifier gets its
//! verdict; a VietQR payload is checked by its receiving account; free text gets the
//! verdict of each identifier in it (with where it was found) and is read as a message.

use canhgiac_core::banks::Banks;
use canhgiac_core::i18n::Lang;
use canhgiac_core::ident::{BankAccount, PhoneNumber};
use canhgiac_core::recognize::{recognize, Query, QueryError};
use canhgiac_core::verdict::{IdentStats, Level, Verdict};
use canhgiac_core::Identifier;
use serde::Serialize;

use crate::lookalike::Registry;
use crate::message::{Analyzer, MessageAnalysis};

/// An identifier found in free text, with its verdict and where it was found
/// (offsets in characters of the query).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FoundVerdict {
    /// The verdict.
    #[serde(flatten)]
    pub verdict: Verdict,
    /// First character of the identifier in the query.
    pub start: usize,
    /// One past its last character.
    pub end: usize,
    /// The text as it appeared.
    pub text: String,
}

/// Free text: one verdict per identifier found, and the text read as a message.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemsResponse {
    /// Each identifier found.
    pub items: Vec<FoundVerdict>,
    /// The text analysed as a message (likelihood, methods, red flags).
    pub message: Box<MessageAnalysis>,
}

/// A bare number: the phone number it makes (if any) and every bank at which an
/// account of that number has been reported.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NumberResponse {
    /// The digits looked up.
    pub number: String,
    /// The verdict on the phone number the digits make, when they make one.
    pub phone: Option<Box<Verdict>>,
    /// The verdict on the account of this number at each bank that has reports or a
    /// police verdict for it (none: no bank has). The bank itself is asked only when
    /// a report is filed.
    pub accounts: Vec<Verdict>,
}

/// One verdict, or the verdicts of every identifier found in free text.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum CheckResponse {
    /// The query was one identifier (or a payment code's account).
    One(Box<Verdict>),
    /// The query was free text.
    Text(ItemsResponse),
    /// The query was a bare number that can be an account (and maybe a phone).
    Number(NumberResponse),
}

impl CheckResponse {
    /// Every verdict in the answer.
    pub fn verdicts(&self) -> Vec<&Verdict> {
        match self {
            CheckResponse::One(v) => vec![v.as_ref()],
            CheckResponse::Text(t) => t.items.iter().map(|i| &i.verdict).collect(),
            CheckResponse::Number(n) => n
                .phone
                .iter()
                .map(|v| v.as_ref())
                .chain(&n.accounts)
                .collect(),
        }
    }

    /// The message analysis, for free text.
    pub fn message(&self) -> Option<&MessageAnalysis> {
        match self {
            CheckResponse::One(_) | CheckResponse::Number(_) => None,
            CheckResponse::Text(t) => Some(&t.message),
        }
    }
}

/// The check over a registry of protected brands and what the reports say.
pub struct Checker<'a> {
    registry: &'a Registry,
    lookup: &'a dyn Fn(&Identifier) -> Option<IdentStats>,
    /// Whether some bank has reports on an account number (skips the look-up at every
    /// bank for numbers no bank has).
    account_numbers: Option<&'a dyn Fn(&str) -> bool>,
}

impl<'a> Checker<'a> {
    /// A checker; `lookup` gives the reports' statistics of an identifier.
    pub fn new(
        registry: &'a Registry,
        lookup: &'a dyn Fn(&Identifier) -> Option<IdentStats>,
    ) -> Checker<'a> {
        Checker {
            registry,
            lookup,
            account_numbers: None,
        }
    }

    /// Tells the checker which account numbers some bank has reports on.
    pub fn with_account_numbers(mut self, known: &'a dyn Fn(&str) -> bool) -> Checker<'a> {
        self.account_numbers = Some(known);
        self
    }

    fn verdict(&self, identifier: &Identifier, lang: Lang) -> Verdict {
        crate::judge_in(
            self.registry,
            identifier,
            (self.lookup)(identifier).as_ref(),
            lang,
        )
    }

    /// A bare number: the accounts of that number at every bank that has something on
    /// them, and the phone number the digits make. A phone number no bank knows as an
    /// account is answered as a phone number alone.
    fn number(&self, digits: String, phone: Option<PhoneNumber>, lang: Lang) -> CheckResponse {
        let unknown = self.account_numbers.is_some_and(|known| !known(&digits));
        let banks = if unknown { &[][..] } else { Banks::get().all() };
        let accounts: Vec<Verdict> = banks
            .iter()
            .filter_map(|bank| BankAccount::parse(&bank.bin, &digits).ok())
            .map(Identifier::BankAccount)
            .filter_map(|account| {
                let stats = (self.lookup)(&account)?;
                (stats.level() != Level::NoReports)
                    .then(|| crate::judge_in(self.registry, &account, Some(&stats), lang))
            })
            .collect();
        let phone = phone.map(|p| Box::new(self.verdict(&Identifier::Phone(p), lang)));
        match phone {
            Some(verdict) if accounts.is_empty() => CheckResponse::One(verdict),
            phone => CheckResponse::Number(NumberResponse {
                number: digits,
                phone,
                accounts,
            }),
        }
    }

    /// Checks what a citizen typed.
    pub fn check(&self, q: &str, lang: Lang) -> Result<CheckResponse, QueryError> {
        if q.trim_start().starts_with("000201") {
            if let Ok(code) = crate::vietqr::decode_payload(q) {
                if let Ok(account) = BankAccount::parse(&code.bank_bin, &code.account) {
                    let identifier = Identifier::BankAccount(account);
                    return Ok(CheckResponse::One(Box::new(
                        self.verdict(&identifier, lang),
                    )));
                }
            }
        }
        Ok(match recognize(q)? {
            Query::One(identifier) => CheckResponse::One(Box::new(self.verdict(&identifier, lang))),
            Query::Number { digits, phone } => self.number(digits, phone, lang),
            Query::Text(found) => {
                let text = q.trim();
                let message =
                    Analyzer::with_registry(self.registry).analyze(text, self.lookup, lang);
                CheckResponse::Text(ItemsResponse {
                    message: Box::new(message),
                    items: found
                        .iter()
                        .map(|f| {
                            let (start, end) = f.char_span(text);
                            FoundVerdict {
                                verdict: self.verdict(&f.identifier, lang),
                                start,
                                end,
                                text: text.get(f.start..f.end).unwrap_or_default().to_string(),
                            }
                        })
                        .collect(),
                })
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_identifier_a_payment_code_and_free_text() {
        let registry = Registry::default_brands();
        let lookup = |_: &Identifier| None;
        let checker = Checker::new(registry, &lookup);
        let one = checker.check("0912 345 678", Lang::Vi).expect("phone");
        assert_eq!(one.verdicts().len(), 1);
        assert!(one.message().is_none());
        let qr = "00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA53037045405100005802VN62150811Chuyen tien630453E6";
        let paid = checker.check(qr, Lang::Vi).expect("payment code");
        assert_eq!(paid.verdicts()[0].display, "ACB 257678859");
        let text = "Gọi 0912345678 hoặc vào vietcombank-hotro.com ngay";
        let CheckResponse::Text(t) = checker.check(text, Lang::Vi).expect("text") else {
            panic!("free text");
        };
        assert_eq!(t.items.len(), 2);
        assert_eq!(t.items[0].text, "0912345678");
        let chars: Vec<char> = text.chars().collect();
        let quoted: String = chars[t.items[1].start..t.items[1].end].iter().collect();
        assert_eq!(quoted, t.items[1].text);
        assert!(checker.check("", Lang::Vi).is_err());
    }

    #[test]
    fn a_bare_number_is_looked_up_as_an_account_at_every_bank() {
        let registry = Registry::default_brands();
        let reported = |i: &Identifier| {
            let key = i.key();
            let known = [
                "bank_account:970416:82353350040",
                "bank_account:970422:82353350040",
                "bank_account:970436:0912345678",
            ];
            known.contains(&key.as_str()).then(|| {
                let mut s = IdentStats::default();
                s.add_report(1_700_000_000, 5_000_000, None, true);
                s
            })
        };
        let checker = Checker::new(registry, &reported);
        // Not a phone number: the accounts of that number at ACB and MB.
        let CheckResponse::Number(n) = checker.check("82353350040", Lang::Vi).expect("number")
        else {
            panic!("a number");
        };
        assert!(n.phone.is_none());
        let banks: Vec<&str> = n.accounts.iter().map(|v| v.display.as_str()).collect();
        assert_eq!(banks.len(), 2, "{banks:?}");
        assert!(
            banks.iter().all(|b| b.ends_with("82353350040")),
            "{banks:?}"
        );
        // A phone number that is also a reported account: both answers.
        let CheckResponse::Number(both) = checker.check("0912 345 678", Lang::Vi).expect("both")
        else {
            panic!("a number");
        };
        assert_eq!(both.phone.as_ref().map(|v| v.kind), Some("phone"));
        assert_eq!(both.accounts.len(), 1);
        // No bank knows it: said so, not refused as a bad phone number.
        let CheckResponse::Number(none) = checker.check("1012345678", Lang::Vi).expect("none")
        else {
            panic!("a number");
        };
        assert!(none.accounts.is_empty() && none.phone.is_none());
    }
}
