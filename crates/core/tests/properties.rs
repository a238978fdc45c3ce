//! Property tests: normalising twice changes nothing, and no input makes the parsers panic.

use canhgiac_core::banks::Banks;
use canhgiac_core::extract::extract;
use canhgiac_core::fold::fold;
use canhgiac_core::ident::{BankAccount, PhoneNumber, Website};
use canhgiac_core::recognize::recognize;
use proptest::prelude::*;

const MOBILE: &[&str] = &[
    "32", "33", "34", "35", "36", "37", "38", "39", "70", "76", "77", "78", "79", "81", "82", "83",
    "84", "85", "86", "88", "90", "91", "93", "94", "96", "97", "98",
];

fn separated(digits: String, seps: Vec<u8>) -> String {
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 {
            match seps.get(i).copied().unwrap_or(0) % 6 {
                1 => out.push(' '),
                2 => out.push('.'),
                3 => out.push('-'),
                _ => {}
            }
        }
        out.push(c);
    }
    out
}

proptest! {
    #[test]
    fn a_phone_number_normalises_to_one_e164_whatever_its_form(
        prefix in prop::sample::select(MOBILE),
        rest in "[0-9]{7}",
        form in 0u8..4,
        seps in prop::collection::vec(any::<u8>(), 12),
    ) {
        let national = format!("{prefix}{rest}");
        let written = match form {
            0 => format!("0{}", separated(national.clone(), seps)),
            1 => format!("+84 {}", separated(national.clone(), seps)),
            2 => format!("84{national}"),
            _ => format!("0084{}", separated(national.clone(), seps)),
        };
        let first = PhoneNumber::parse(&written).expect("a valid mobile number");
        prop_assert_eq!(first.e164(), format!("+84{national}"));
        let again = PhoneNumber::parse(first.e164()).expect("E.164 parses");
        prop_assert_eq!(again.e164(), first.e164());
        let from_display = PhoneNumber::parse(&first.national_display()).expect("display parses");
        prop_assert_eq!(from_display.e164(), first.e164());
    }

    #[test]
    fn a_website_normalises_to_one_host_whatever_its_form(
        labels in prop::collection::vec("[a-z][a-z0-9-]{0,10}[a-z0-9]", 1..4),
        tld in prop::sample::select(&["com", "vn", "com.vn", "top", "xyz", "net", "gov.vn"][..]),
        upper in any::<bool>(),
        scheme in prop::sample::select(&["", "http://", "https://", "hxxps://", "https://www."][..]),
        path in "(/[a-z0-9]{0,8}){0,2}(\\?utm_source=[a-z]{1,5})?",
    ) {
        // "xn--" starts a punycode label, which random letters rarely are.
        prop_assume!(!labels.iter().any(|l| l.starts_with("xn--")));
        let host = format!("{}.{tld}", labels.join("."));
        let written = format!("{scheme}{}{path}", if upper { host.to_uppercase() } else { host.clone() });
        let first = Website::parse(&written).expect("valid website");
        prop_assert_eq!(first.host(), host.as_str());
        let again = Website::parse(first.host()).expect("host parses");
        prop_assert_eq!(again.host(), first.host());
        let from_url = Website::parse(first.url()).expect("url parses");
        prop_assert_eq!(from_url.host(), first.host());
        prop_assert_eq!(from_url.url(), first.url());
    }

    #[test]
    fn a_bank_account_normalises_to_one_key_whatever_its_form(
        bank in 0usize..50,
        number in "[0-9]{6,19}",
        seps in prop::collection::vec(any::<u8>(), 20),
        by in 0u8..3,
    ) {
        let b = &Banks::get().all()[bank % Banks::get().all().len()];
        let name = match by { 0 => b.code.clone(), 1 => b.short_name.clone(), _ => b.bin.clone() };
        let first = BankAccount::parse(&name, &separated(number.clone(), seps)).expect("valid account");
        prop_assert_eq!(first.number(), number.as_str());
        let again = BankAccount::parse(first.bin(), first.number()).expect("normalised parses");
        prop_assert_eq!((again.bin(), again.number()), (first.bin(), first.number()));
    }

    #[test]
    fn folding_twice_changes_nothing(text in "\\PC{0,80}") {
        let once = fold(&text);
        prop_assert_eq!(fold(&once), once);
    }

    #[test]
    fn extraction_never_panics_and_spans_point_into_the_text(text in "\\PC{0,300}") {
        for found in extract(&text) {
            prop_assert!(text.is_char_boundary(found.start) && text.is_char_boundary(found.end) && found.start < found.end);
            let again = canhgiac_core::Identifier::parse_as(found.identifier.kind(), &text[found.start..found.end], match &found.identifier {
                canhgiac_core::Identifier::BankAccount(a) => Some(a.bin()),
                _ => None,
            });
            if let Ok(again) = again {
                prop_assert_eq!(again.key(), found.identifier.key());
            }
        }
        let _ = recognize(&text);
    }
}
