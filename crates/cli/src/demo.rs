//! Realistic synthetic reports for demos and benchmarks: two years of reports over
//! the province's communes, with methods, channels, amounts and Vietnamese
//! narratives drawn from the catalogue, and scammer identifiers shared between
//! reports so that rings exist (a few large rings, many small ones).

use canhgiac_core::intake::{IdentifierInput, ReportInput, ReporterInput, TransferInput};
use canhgiac_core::methods::{Catalogue, Method};
use canhgiac_core::verdict::format_vnd;
use canhgiac_store::{NewReport, Source, Store};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

const TWO_YEARS: i64 = 2 * 365 * 86_400;
const MOBILE_PREFIXES: &[&str] = &[
    "32", "33", "34", "35", "36", "37", "38", "39", "86", "96", "97", "98", "81", "82", "83", "84",
    "85", "88", "91", "94", "70", "76", "77", "78", "79", "89", "90", "93", "56", "58", "92", "59",
];
const BANKS: &[(&str, usize)] = &[
    ("VCB", 13),
    ("ICB", 12),
    ("BIDV", 14),
    ("VBA", 13),
    ("MB", 12),
    ("TCB", 14),
    ("ACB", 9),
    ("VPB", 10),
    ("STB", 12),
    ("TPB", 11),
    ("SHB", 10),
    ("HDB", 12),
    ("VIB", 12),
    ("OCB", 10),
    ("MSB", 13),
];
const FAMILY: &[&str] = &[
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý",
];
const MIDDLE: &[&str] = &[
    "Văn", "Thị", "Hữu", "Minh", "Thanh", "Ngọc", "Đức", "Thu", "Quốc", "Kim",
];
const GIVEN: &[&str] = &[
    "An", "Bình", "Chi", "Dũng", "Hà", "Hải", "Hạnh", "Hùng", "Lan", "Linh", "Long", "Mai", "Nam",
    "Nga", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Vy", "Yến",
];
const SITE_WORDS: &[&str] = &[
    "hotro",
    "cskh",
    "online",
    "khuyenmai",
    "xacthuc",
    "dichvu",
    "vn",
    "app",
    "login",
    "nhanqua",
    "uudai",
];
const SITE_BRANDS: &[&str] = &[
    "vietcombank",
    "vietinbank",
    "bidv",
    "agribank",
    "techcombank",
    "mbbank",
    "evn",
    "dichvucong",
    "vneid",
    "shopee",
    "lazada",
    "ghn",
    "viettel",
    "thue",
];
const TLDS: &[&str] = &[
    "com", "net", "top", "xyz", "vip", "online", "site", "cc", "com.vn", "info",
];

/// A group of identifiers used by one scam operation.
struct Ring {
    method: usize,
    phones: Vec<String>,
    accounts: Vec<(String, String)>,
    sites: Vec<String>,
    socials: Vec<String>,
}

/// Makes demo reports deterministically from a seed.
pub struct Generator {
    rng: StdRng,
    rings: Vec<Ring>,
    places: Vec<i64>,
    now: i64,
}

/// A random mobile number that libphonenumber accepts (some prefixes are only
/// partly assigned, e.g. 089 only from 0896).
fn phone(rng: &mut StdRng) -> String {
    loop {
        let prefix = MOBILE_PREFIXES.choose(rng).copied().unwrap_or("91");
        let number = format!("0{prefix}{:07}", rng.gen_range(0..10_000_000));
        if canhgiac_core::ident::PhoneNumber::parse(&number).is_ok() {
            return number;
        }
    }
}

fn account(rng: &mut StdRng) -> (String, String) {
    let (bank, len) = BANKS.choose(rng).copied().unwrap_or(("VCB", 13));
    let number: String = (0..len)
        .map(|i| {
            char::from(
                b'0' + if i == 0 {
                    rng.gen_range(1..10)
                } else {
                    rng.gen_range(0..10)
                },
            )
        })
        .collect();
    (bank.to_string(), number)
}

fn site(rng: &mut StdRng) -> String {
    let brand = SITE_BRANDS.choose(rng).copied().unwrap_or("vietcombank");
    let word = SITE_WORDS.choose(rng).copied().unwrap_or("hotro");
    let tld = TLDS.choose(rng).copied().unwrap_or("com");
    format!("{brand}-{word}{}.{tld}", rng.gen_range(1..999))
}

fn social(rng: &mut StdRng) -> String {
    match rng.gen_range(0..3) {
        0 => format!(
            "https://t.me/hotro_{}{}",
            SITE_WORDS.choose(rng).copied().unwrap_or("vn"),
            rng.gen_range(10..9999)
        ),
        1 => format!(
            "https://www.facebook.com/profile.php?id=1000{:011}",
            rng.gen_range(0..99_999_999_999u64)
        ),
        _ => format!(
            "https://www.tiktok.com/@shop.{}{}",
            SITE_WORDS.choose(rng).copied().unwrap_or("sale"),
            rng.gen_range(10..9999)
        ),
    }
}

fn channel_for(method: &Method, rng: &mut StdRng) -> String {
    const KNOWN: &[&str] = &[
        "call",
        "sms",
        "zalo",
        "facebook",
        "telegram",
        "website",
        "app",
        "in_person",
        "other",
    ];
    let usable: Vec<&str> = method
        .channels
        .iter()
        .map(String::as_str)
        .filter(|c| KNOWN.contains(c))
        .collect();
    usable
        .choose(rng)
        .map(|c| c.to_string())
        .unwrap_or_else(|| KNOWN[rng.gen_range(0..KNOWN.len())].to_string())
}

impl Generator {
    /// A generator for `reports` reports ending now.
    pub fn new(reports: usize, seed: u64, places: Vec<i64>, now: i64) -> Generator {
        let mut rng = StdRng::seed_from_u64(seed);
        let methods = Catalogue::get().all().len().max(1);
        let ring_count = (reports / 6).max(3);
        let rings = (0..ring_count)
            .map(|_| {
                let method = rng.gen_range(0..methods);
                let phones = (0..rng.gen_range(1..4)).map(|_| phone(&mut rng)).collect();
                let accounts = (0..rng.gen_range(1..3))
                    .map(|_| account(&mut rng))
                    .collect();
                let sites = if rng.gen_bool(0.3) {
                    vec![site(&mut rng)]
                } else {
                    Vec::new()
                };
                let socials = if rng.gen_bool(0.3) {
                    vec![social(&mut rng)]
                } else {
                    Vec::new()
                };
                Ring {
                    method,
                    phones,
                    accounts,
                    sites,
                    socials,
                }
            })
            .collect();
        Generator {
            rng,
            rings,
            places,
            now,
        }
    }

    /// The next report and when it was received.
    pub fn next_report(&mut self) -> (ReportInput, i64) {
        let rng = &mut self.rng;
        // Ring sizes follow a heavy tail: a few rings get many reports.
        let n = self.rings.len();
        let pick = ((rng.gen::<f64>().powf(2.0)) * n as f64) as usize;
        let ring = &self.rings[pick.min(n - 1)];
        let catalogue = Catalogue::get();
        let method = &catalogue.all()[ring.method.min(catalogue.all().len() - 1)];
        let channel = channel_for(method, rng);
        // More reports recently.
        let age = (rng.gen::<f64>().powf(1.6) * TWO_YEARS as f64) as i64;
        let received = self.now - age;
        let contacted = received - rng.gen_range(0..3 * 86_400);
        let lost = rng.gen_bool(0.8);
        let amount: i64 = if lost {
            (10f64.powf(rng.gen_range(5.5..8.8)) as i64 / 1000) * 1000
        } else {
            0
        };
        let scam_phone = ring
            .phones
            .choose(rng)
            .cloned()
            .unwrap_or_else(|| phone(rng));
        let (bank, number) = ring
            .accounts
            .choose(rng)
            .cloned()
            .unwrap_or_else(|| account(rng));
        let flag = method.red_flags_vi.choose(rng).cloned().unwrap_or_default();
        let opening = opening(&channel, &scam_phone);
        let money = if lost {
            format!(
                " Tôi đã chuyển {} đồng vào STK {number} {bank}.",
                format_vnd(amount as u64)
            )
        } else {
            " Tôi nghi ngờ nên chưa chuyển tiền.".to_string()
        };
        let narrative = format!(
            "{opening} {} {flag}.{money}",
            method.summary_vi.split(". ").next().unwrap_or("")
        );
        let mut identifiers = vec![IdentifierInput {
            kind: Some("phone".into()),
            value: Some(scam_phone),
            bank: None,
            role: None,
        }];
        if let Some(s) = ring.sites.first().filter(|_| rng.gen_bool(0.7)) {
            identifiers.push(IdentifierInput {
                kind: Some("url".into()),
                value: Some(s.clone()),
                bank: None,
                role: None,
            });
        }
        if let Some(s) = ring.socials.first().filter(|_| rng.gen_bool(0.7)) {
            identifiers.push(IdentifierInput {
                kind: Some("social".into()),
                value: Some(s.clone()),
                bank: None,
                role: None,
            });
        }
        let transfers = if lost {
            vec![TransferInput {
                bank: Some(bank),
                account: Some(number),
                amount_vnd: Some(amount),
                at: canhgiac_core::clock::rfc3339((contacted + 3600).min(self.now - 60)),
            }]
        } else {
            Vec::new()
        };
        let reporter = fake_reporter(rng);
        let input = ReportInput {
            channel: Some(channel),
            method: Some(method.key.clone()),
            contacted_at: canhgiac_core::clock::rfc3339(contacted),
            narrative: Some(narrative),
            amount_lost_vnd: Some(amount),
            transfers,
            identifiers,
            place_code: self.places.choose(rng).copied(),
            evidence: Vec::new(),
            reporter,
            idempotency_key: None,
        };
        (input, received)
    }
}

/// How the reporter's story begins, by channel.
fn opening(channel: &str, scam_phone: &str) -> String {
    match channel {
        "call" => format!("Tôi nhận cuộc gọi từ số {scam_phone}."),
        "sms" => format!("Tôi nhận tin nhắn từ số {scam_phone}."),
        "zalo" => format!("Một tài khoản Zalo dùng số {scam_phone} nhắn tin cho tôi."),
        "facebook" => "Một tài khoản Facebook nhắn tin làm quen với tôi.".to_string(),
        "telegram" => "Tôi được mời vào một nhóm Telegram.".to_string(),
        "website" => "Tôi vào một trang web được gửi qua tin nhắn.".to_string(),
        "app" => "Tôi được hướng dẫn cài một ứng dụng lạ.".to_string(),
        _ => format!("Có người liên hệ với tôi qua số {scam_phone}."),
    }
}

/// A made-up reporter, seven times in ten.
fn fake_reporter(rng: &mut StdRng) -> Option<ReporterInput> {
    rng.gen_bool(0.7).then(|| ReporterInput {
        name: Some(format!(
            "{} {} {}",
            FAMILY.choose(rng).copied().unwrap_or("Nguyễn"),
            MIDDLE.choose(rng).copied().unwrap_or("Văn"),
            GIVEN.choose(rng).copied().unwrap_or("An")
        )),
        phone: Some(phone(rng)),
        citizen_id: rng
            .gen_bool(0.5)
            .then(|| format!("0{:011}", rng.gen_range(0..99_999_999_999u64))),
        address: None,
        email: None,
    })
}

/// Inserts `count` demo reports into the store, in batches.
pub async fn fill(
    store: &Store,
    count: usize,
    seed: u64,
    show_progress: bool,
) -> anyhow::Result<()> {
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let places = store.places().iter().map(|p| p.code).collect();
    let mut generator = Generator::new(count, seed, places, now);
    let bar = if show_progress {
        indicatif::ProgressBar::new(count as u64)
    } else {
        indicatif::ProgressBar::hidden()
    };
    let mut done = 0;
    while done < count {
        let n = (count - done).min(5_000);
        let mut batch = Vec::with_capacity(n);
        for _ in 0..n {
            let (input, received) = generator.next_report();
            let report =
                canhgiac_core::intake::validate(&input, canhgiac_core::i18n::Lang::Vi, now, &|c| {
                    store.has_place(c)
                })
                .map_err(|e| anyhow::anyhow!("generated an invalid report: {e:?}"))?;
            batch.push(NewReport {
                report,
                source: Source::Demo,
                created_at: received,
                idempotency_key: None,
                request_hash: None,
            });
        }
        store.insert_reports(batch).await?;
        done += n;
        bar.set_position(done as u64);
    }
    bar.finish_and_clear();
    Ok(())
}

/// Demo officer accounts, one per role, created when there are no accounts yet.
/// They share one random password, printed once to the terminal (never logged).
pub async fn officers(store: &Store) -> anyhow::Result<()> {
    use base64::Engine;
    use canhgiac_core::roles::Role;
    use canhgiac_store::officers::NewOfficer;
    if !store.officers().await?.is_empty() {
        return Ok(());
    }
    let password =
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(rand::random::<[u8; 12]>());
    let accounts = [
        ("demo.quantri", "Quản trị Demo", Role::Admin),
        ("demo.lanhdao", "Trần Văn Lãnh", Role::Leader),
        ("demo.thuly", "Nguyễn Thị Thu", Role::Investigator),
        ("demo.phantich", "Lê Minh Phân", Role::Analyst),
        ("demo.lienlac", "Phạm Thị Liên", Role::Liaison),
        ("demo.giamsat", "Võ Thị Giám", Role::Oversight),
    ];
    for (username, name, role) in accounts {
        let created = store
            .add_officer(
                NewOfficer {
                    username: username.into(),
                    display_name: name.into(),
                    role,
                    unit_code: canhgiac_store::units::INTAKE_UNIT.into(),
                    password: password.clone(),
                },
                &canhgiac_store::audit::Actor::cli(),
            )
            .await?;
        if let Err(e) = created {
            anyhow::bail!("demo account {username}: {e}");
        }
    }
    // The liaison speaks for the first provincial department of the registry.
    let agencies = store.agencies().await?;
    let department = agencies
        .iter()
        .find(|a| a.kind == canhgiac_core::activity::AgencyKind::Department);
    if let Some(agency) = department {
        if let Err(e) = store.set_liaison_agency("demo.lienlac", agency.id).await? {
            anyhow::bail!("demo liaison: {e}");
        }
    }
    eprintln!(
        "demo officer accounts (console at /console): demo.quantri, demo.lanhdao, demo.thuly, demo.phantich, demo.lienlac (agency liaison), demo.giamsat (oversight: statistics only); password: {password}"
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_reports_are_valid_and_share_identifiers() {
        let mut g = Generator::new(600, 7, vec![1, 2, 3], 1_760_000_000);
        let mut seen = std::collections::HashMap::new();
        for _ in 0..600 {
            let (input, received) = g.next_report();
            assert!(received <= 1_760_000_000 && received > 1_760_000_000 - TWO_YEARS - 1);
            let r = canhgiac_core::intake::validate(
                &input,
                canhgiac_core::i18n::Lang::Vi,
                1_760_000_000,
                &|_| true,
            )
            .expect("valid");
            for (i, _) in &r.identifiers {
                *seen.entry(i.key()).or_insert(0) += 1;
            }
        }
        let shared = seen.values().filter(|n| **n > 1).count();
        assert!(
            shared > 20,
            "identifiers shared between reports form rings: {shared}"
        );
        assert!(seen.values().any(|n| *n >= 10), "some rings are large");
    }
}
