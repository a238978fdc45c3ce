//! Our phone verdicts against libphonenumber's own (its Python port, `phonenumbers`,
//! at the metadata version the `phonenumber` crate embeds), over Vietnamese numbers of
//! every prefix and length and some foreign ones. The README's test command installs
//! the Python package; without it this test fails rather than being skipped.

use std::io::Write;
use std::process::{Command, Stdio};

use canhgiac_core::ident::{PhoneNumber, PhoneType};

const OLD_MOBILE: &[&str] = &[
    "120", "121", "122", "123", "124", "125", "126", "127", "128", "129", "162", "163", "164",
    "165", "166", "167", "168", "169", "186", "188", "199",
];

fn inputs() -> Vec<String> {
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut out = Vec::new();
    // National significant numbers of 7 to 11 digits over every 2- and 3-digit prefix.
    for prefix in 10..1000u64 {
        for len in 7..=11usize {
            let p = prefix.to_string();
            if p.len() >= len {
                continue;
            }
            let rest: String = (0..len - p.len())
                .map(|_| char::from(b'0' + (next() % 10) as u8))
                .collect();
            let national = format!("{p}{rest}");
            // Retired 11-digit mobile numbers (01xx …) are deliberately mapped to today's
            // prefixes, where libphonenumber calls them invalid: not compared here (they
            // have their own unit test).
            if national.len() == 10 && OLD_MOBILE.iter().any(|o| national.starts_with(o)) {
                continue;
            }
            // Both the national form and the international form.
            out.push(if next() % 2 == 0 {
                format!("0{national}")
            } else {
                format!("+84{national}")
            });
        }
    }
    for foreign in [
        "+16502530000",
        "+442079460958",
        "+85512345678",
        "+8613800138000",
        "+882123456789",
        "+94112345678",
        "+8801712345678",
        "+33123456789",
        "+66812345678",
    ] {
        out.push(foreign.to_string());
    }
    out
}

fn ours(input: &str) -> (bool, Option<String>, Option<&'static str>) {
    match PhoneNumber::parse(input) {
        Ok(p) => (
            true,
            Some(p.e164().to_string()),
            Some(match p.line_type() {
                PhoneType::Mobile => "mobile",
                PhoneType::FixedLine => "fixed_line",
                PhoneType::TollFree => "toll_free",
                PhoneType::PremiumRate => "premium_rate",
                PhoneType::Voip => "voip",
                PhoneType::Other => "other",
            }),
        ),
        Err(_) => (false, None, None),
    }
}

#[test]
fn phone_verdicts_agree_with_libphonenumber() {
    let inputs = inputs();
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/libphonenumber/verdicts.py"
    );
    let mut child = Command::new("python3")
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    {
        let mut stdin = child.stdin.take().expect("stdin");
        for i in &inputs {
            writeln!(stdin, "{i}").expect("write");
        }
    }
    let output = child.wait_with_output().expect("python3 finishes");
    assert!(
        output.status.success(),
        "libphonenumber (Python phonenumbers) is not available: run the README's test command, which installs tests/python-requirements.txt\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut compared = 0;
    let mut valid = 0;
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let reference: serde_json::Value = serde_json::from_str(line).expect("json line");
        let input = reference["input"].as_str().expect("input");
        let (ok, e164, kind) = ours(input);
        assert_eq!(
            ok,
            reference["valid"].as_bool().unwrap_or(false),
            "validity of {input}"
        );
        if ok {
            assert_eq!(
                e164.as_deref(),
                reference["e164"].as_str(),
                "E.164 of {input}"
            );
            assert_eq!(kind, reference["type"].as_str(), "type of {input}");
            valid += 1;
        }
        compared += 1;
    }
    assert_eq!(compared, inputs.len());
    assert!(valid > 300, "the sample holds many valid numbers ({valid})");
}
