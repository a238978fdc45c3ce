//! No input makes the detectors panic (property tests; cargo-fuzz needs a nightly
//! toolchain, which this project's machines do not have).

use canhgiac_core::ident::Website;
use canhgiac_detect::lookalike::Registry;
use canhgiac_detect::vietqr::{crc16, decode_image, decode_payload};
use proptest::prelude::*;

const ACB_DYNAMIC: &str = "00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA53037045405100005802VN62150811Chuyen tien630453E6";

proptest! {
    #[test]
    fn any_text_decodes_or_fails_cleanly(text in "\\PC{0,600}") {
        let _ = decode_payload(&text);
    }

    #[test]
    fn emv_shaped_text_decodes_or_fails_cleanly(body in "(0[0-9]{3}[0-9A-Za-z ]{0,30}){0,12}") {
        let covered = format!("000201{body}6304");
        let payload = format!("{covered}{:04X}", crc16(covered.as_bytes()));
        let _ = decode_payload(&payload);
    }

    #[test]
    fn a_mutated_real_code_never_decodes_to_a_different_account_silently(pos in 0usize..ACB_DYNAMIC.len() - 4, c in "[0-9A-Z]") {
        let mut bytes = ACB_DYNAMIC.as_bytes().to_vec();
        bytes[pos] = c.as_bytes()[0];
        let mutated = String::from_utf8(bytes).expect("ascii");
        if let Ok(code) = decode_payload(&mutated) {
            // Only a mutation that changed nothing can still pass the CRC.
            prop_assert_eq!(mutated, ACB_DYNAMIC);
            prop_assert_eq!(code.account, "257678859");
        }
    }

    #[test]
    fn any_bytes_as_an_image_fail_cleanly(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let _ = decode_image(&bytes);
    }

    #[test]
    fn any_website_is_checked_without_panicking(host in "[a-z0-9\\-\\.а-яàáâãèéêìíòóôõùúýđ]{1,60}\\.(com|vn|com\\.vn|top|xyz)") {
        if let Ok(site) = Website::parse(&host) {
            let _ = Registry::default_brands().check(&site);
        }
    }
}
