//! URL and domain parsing, and the lookalike check of whatever parses.
#![no_main]

use canhgiac_core::ident::Website;
use canhgiac_detect::lookalike::Registry;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(site) = Website::parse(text) {
        let registry = Registry::default_brands();
        let _ = registry.check(&site);
        let _ = registry.official(&site);
        // a parsed website parses again to itself
        let again = Website::parse(site.url()).expect("a canonical URL parses");
        assert_eq!(again.host(), site.host());
    }
});
