//! The VietQR decoder against payloads made by an independent implementation (the
//! PyPI package vietnam-qr-pay, installed by the README's test command; without it this
//! test fails rather than being skipped).

use std::process::Command;

use canhgiac_detect::vietqr::decode_payload;

#[test]
fn payloads_from_an_independent_implementation_decode_to_what_it_encoded() {
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/vietqr/generate.py"
    );
    let output = Command::new("python3")
        .args([script, "300", "11"])
        .output()
        .expect("python3 runs");
    assert!(
        output.status.success(),
        "the VietQR reference (PyPI vietnam-qr-pay) is not available: run the README's test command, which installs tests/python-requirements.txt\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut checked = 0;
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let case: serde_json::Value = serde_json::from_str(line).expect("json line");
        let payload = case["payload"].as_str().expect("payload");
        let decoded = decode_payload(payload).unwrap_or_else(|e| panic!("{payload}: {e}"));
        assert_eq!(
            Some(decoded.bank_bin.as_str()),
            case["bin"].as_str(),
            "{payload}"
        );
        assert_eq!(
            Some(decoded.account.as_str()),
            case["account"].as_str(),
            "{payload}"
        );
        assert_eq!(
            decoded.amount_vnd,
            case["amount"]
                .as_str()
                .map(|a| a.parse::<u64>().expect("digits")),
            "{payload}"
        );
        assert_eq!(
            decoded.purpose.as_deref(),
            case["purpose"].as_str(),
            "{payload}"
        );
        assert_eq!(
            decoded.initiation,
            if case["amount"].is_null() {
                "static"
            } else {
                "dynamic"
            }
        );
        checked += 1;
    }
    assert_eq!(checked, 300);
}
