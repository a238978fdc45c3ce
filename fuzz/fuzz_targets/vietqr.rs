//! The VietQR TLV decoder: any text gives a payload or a specific error.
#![no_main]

use canhgiac_detect::vietqr::decode_payload;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = decode_payload(text);
    }
});
