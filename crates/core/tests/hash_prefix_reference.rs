//! The reference client of the hash-prefix lookups (`contrib/hashprefix/`, Python)
//! against the server's own normalisation and hash, over 10,000 phones, bank accounts
//! and websites written the many ways people write them. The README's test command
//! installs Python's `idna`; without it this test fails rather than being skipped.

use std::io::Write;
use std::process::{Command, Stdio};

use canhgiac_core::hash_prefix::full_hash;
use canhgiac_core::{Identifier, IdentifierKind};

const SALT: &str = "canhgiac-hp-v1:00112233445566778899aabbccddeeff:";
const WANTED: usize = 10_000;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
    fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + self.below(10) as u8))
            .collect()
    }
}

/// A Vietnamese number, written one of the usual ways.
fn phone(r: &mut Rng) -> String {
    let prefixes = [
        "90", "91", "93", "94", "96", "97", "98", "86", "88", "89", "32", "33", "35", "39", "70",
        "76", "77", "79", "81", "83", "84", "85", "56", "58", "59", "162", "169", "120", "126",
        "186", "199", "28", "251", "24",
    ];
    let p = r.pick(&prefixes);
    let len = if p.len() == 3 && p.starts_with('1') {
        10
    } else {
        9
    };
    let national = format!("{p}{}", r.digits(len - p.len()));
    let spaced = |s: &str, sep: &str| {
        s.as_bytes()
            .chunks(3)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join(sep)
    };
    match r.below(9) {
        0 => format!("0{national}"),
        1 => format!("+84{national}"),
        2 => format!("+84 {}", spaced(&national, " ")),
        3 => format!("0{}", spaced(&national, ".")),
        4 => format!("0084{national}"),
        5 => format!("84{national}"),
        6 => format!("(+84) {}", spaced(&national, "-")),
        7 => format!("tel:+84{national}"),
        _ => format!("0{national}")
            .chars()
            .map(|c| char::from_u32(c as u32 - '0' as u32 + 0xFF10).unwrap_or(c))
            .collect(),
    }
}

/// A bank account: a BIN and a number with the usual separators.
fn account(r: &mut Rng) -> (String, String) {
    let bins = [
        "970436", "970407", "970415", "970418", "970422", "970423", "970432", "970403", "970441",
        "970448",
    ];
    let n = 6 + r.below(12);
    let mut number = r.digits(n);
    match r.below(5) {
        0 => {
            number = number
                .as_bytes()
                .chunks(4)
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .collect::<Vec<_>>()
                .join(" ")
        }
        1 => {
            number = number
                .as_bytes()
                .chunks(3)
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .collect::<Vec<_>>()
                .join("-")
        }
        2 => number = format!("vn{number}"),
        3 => number = format!(" {number}."),
        _ => {}
    }
    (r.pick(&bins).to_string(), number)
}

/// A website: sub-domains, Vietnamese labels, capitals, schemes, ports, paths.
fn website(r: &mut Rng) -> String {
    let words = [
        "vietcombank",
        "hotro",
        "nganhang",
        "ngânhàng",
        "thanhtoán",
        "khuyến-mãi",
        "lua-dao",
        "VNeID",
        "dichvucong",
        "bidv",
        "shopee",
        "quà-tặng",
        "xn--abc",
        "vay-nhanh",
        "tiktok",
        "zalo",
        "cskh",
        "Điện-lực",
        "mb",
    ];
    let suffixes = [
        "vn", "com.vn", "com", "net", "xyz", "top", "org.vn", "edu.vn", "gov.vn", "info",
    ];
    let mut labels: Vec<String> = Vec::new();
    for _ in 0..1 + r.below(3) {
        let mut w = r.pick(&words).to_string();
        if r.below(3) == 0 {
            w.push_str(&r.digits(2));
        }
        labels.push(w);
    }
    let mut host = format!("{}.{}", labels.join("."), r.pick(&suffixes));
    if r.below(4) == 0 {
        host = format!("www.{host}");
    }
    if r.below(4) == 0 {
        host = host.to_uppercase();
    }
    if r.below(10) == 0 {
        host.push('.');
    }
    let scheme = r.pick(&["", "http://", "https://", "HTTPS://"]);
    let port = if r.below(8) == 0 { ":8443" } else { "" };
    let path = r.pick(&[
        "",
        "/",
        "/login",
        "/dang-nhap?ref=zalo&utm_source=x",
        "/a/b#top",
    ]);
    format!("{scheme}{host}{port}{path}")
}

#[test]
fn the_reference_client_hashes_10000_identifiers_as_the_server_does() {
    let mut r = Rng(0x9E37_79B9_7F4A_7C15);
    let mut lines = Vec::new();
    let mut expected = Vec::new();
    let mut kinds = [0usize; 3];
    while expected.len() < WANTED {
        let (kind, line, parsed) = match r.below(3) {
            0 => {
                let p = phone(&mut r);
                let parsed = Identifier::parse_as(IdentifierKind::Phone, &p, None);
                (0, format!("phone\t{p}"), parsed)
            }
            1 => {
                let (bin, number) = account(&mut r);
                let parsed = Identifier::parse_as(IdentifierKind::BankAccount, &number, Some(&bin));
                (1, format!("bank_account\t{number}\t{bin}"), parsed)
            }
            _ => {
                let w = website(&mut r);
                let parsed = Identifier::parse_as(IdentifierKind::Url, &w, None);
                (2, format!("url\t{w}"), parsed)
            }
        };
        // Only what the server accepts is listed, so only that must agree.
        let Ok(identifier) = parsed else { continue };
        kinds[kind] += 1;
        lines.push(line);
        expected.push((hex(&full_hash(SALT, &identifier.key())), identifier.key()));
    }
    assert!(kinds.iter().all(|&n| n > 2_000), "{kinds:?}");
    eprintln!("phones, accounts, websites: {kinds:?}");

    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../contrib/hashprefix/canhgiac_hashprefix.py"
    );
    let mut child = Command::new("python3")
        .args([script, "hash", "--salt", SALT])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    let mut stdin = child.stdin.take().expect("stdin");
    let input = lines.join("\n") + "\n";
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().expect("output");
    writer.join().expect("writer").expect("written");
    assert!(
        out.status.success(),
        "the reference client failed (pip install -r tests/python-requirements.txt): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(got.len(), WANTED);
    let differ: Vec<String> = got
        .iter()
        .zip(&expected)
        .zip(&lines)
        .filter(|((g, (e, _)), _)| g != &e)
        .map(|((g, (_, key)), line)| format!("{line:?}: server {key}, client {g}"))
        .collect();
    assert!(
        differ.is_empty(),
        "{} of {WANTED} differ, e.g.:\n{}",
        differ.len(),
        differ
            .iter()
            .take(10)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
