//! Properties of message normalisation and analysis over generated text mixing
//! Vietnamese letters, teencode, separators, invisible characters and look-alikes.

use canhgiac_core::i18n::Lang;
use canhgiac_detect::message::normalize::normalize;
use canhgiac_detect::message::{Analyzer, Sender};
use proptest::prelude::*;

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9]{1,8}",
        Just("ck".to_string()),
        Just("stk".to_string()),
        Just("ko".to_string()),
        Just("chuyển khoản".to_string()),
        Just("đọc mã OTP".to_string()),
        Just("Tuyệt đối không".to_string()),
        Just("v.i.e.t.c.o.m.b.a.n.k".to_string()),
        Just("n h ậ n  t h ư ở n g".to_string()),
        Just("\u{200b}".to_string()),
        Just("\u{00ad}".to_string()),
        Just("а".to_string()), // Cyrillic
        Just("ο".to_string()), // Greek
        Just("e\u{301}".to_string()),
        Just("https://vcb-hotro.top/x".to_string()),
        Just("0912345678".to_string()),
        "[ .\\-_\\n]{1,3}",
        "\\PC{1,4}",
    ]
}

fn message() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..30).prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn normalising_twice_changes_nothing(text in message()) {
        let once = normalize(&text).text();
        prop_assert_eq!(normalize(&once).text(), once);
    }

    #[test]
    fn token_spans_are_inside_the_original(text in message()) {
        let chars = text.chars().count();
        for t in normalize(&text).tokens {
            prop_assert!(t.start < t.end && t.end <= chars);
            prop_assert_eq!(t.text.to_lowercase(), t.text.clone());
        }
    }

    #[test]
    fn analysis_never_panics_and_keeps_spans_in_bounds(text in message()) {
        let none = |_: &canhgiac_core::Identifier| None;
        let a = Analyzer::default().analyze(&text, &none, Lang::En);
        let chars = text.chars().count();
        prop_assert!((0.0..=1.0).contains(&a.likelihood));
        for f in &a.red_flags {
            prop_assert!(f.start <= f.end && f.end <= chars);
        }
        for i in &a.identifiers {
            prop_assert!(i.start <= i.end && i.end <= chars);
        }
    }

    #[test]
    fn any_sender_is_classified_or_refused_and_analysed_with_its_message(
        sender in "\\PC{0,30}|[0-9 +.]{0,16}|(zalo:|fb:)?[A-Za-z0-9 ._-]{0,14}",
        text in message(),
    ) {
        match Sender::parse(&sender) {
            Ok(parsed) => {
                let none = |_: &canhgiac_core::Identifier| None;
                let a = Analyzer::default().analyze_from(&text, parsed.as_ref(), &none, Lang::Vi);
                prop_assert!((0.0..=1.0).contains(&a.likelihood));
                prop_assert!(a.factors.iter().all(|f| !f.text.is_empty()));
            }
            Err(e) => {
                prop_assert!(e.code().starts_with("sender_"));
                prop_assert!(!e.message(Lang::Vi).is_empty());
            }
        }
    }
}
