//! The message normaliser and the whole analysis: no panic, spans inside the text,
//! normalising twice changes nothing.
#![no_main]

use canhgiac_detect::message::normalize::{normalize, MAX_MESSAGE_CHARS};
use canhgiac_detect::message::Analyzer;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let chars = text.chars().count().min(MAX_MESSAGE_CHARS);
    let n = normalize(&text);
    for t in &n.tokens {
        assert!(t.start < t.end && t.end <= chars, "token span {}..{} of {chars}", t.start, t.end);
    }
    let once = n.text();
    assert_eq!(normalize(&once).text(), once, "normalising twice changed the text");
    let none = |_: &canhgiac_core::Identifier| None;
    let a = Analyzer::default().analyze(&text, &none, canhgiac_core::i18n::Lang::Vi);
    assert!((0.0..=1.0).contains(&a.likelihood));
    let all = text.chars().count();
    for f in &a.red_flags {
        assert!(f.start <= f.end && f.end <= all, "flag span {}..{} of {all}", f.start, f.end);
    }
});
