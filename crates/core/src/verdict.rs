//! The public verdict on an identifier: a level, the reasons, counts, dates and advice.
//! Never the word "safe", never a reporter's data, always a way to report.

use serde::Serialize;
use time::OffsetDateTime;

use crate::i18n::Lang;
use crate::ident::Identifier;
use crate::methods::Catalogue;

/// Independent reporters from which an identifier is `suspicious`.
pub const SUSPICIOUS_REPORTERS: u32 = 3;

/// Where a citizen reports.
pub const REPORT_PATH: &str = "/bao-cao";

/// How worried to be, lowest to highest (`cleared` stands apart).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Level {
    /// Nobody has reported it (yet).
    NoReports,
    /// Unverified reports from the public.
    Reported,
    /// Several independent reporters, or a detector fired.
    Suspicious,
    /// Verified as a scam by an officer.
    Dangerous,
    /// Reviewed after a dispute and found innocent.
    Cleared,
}

impl Level {
    /// The stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::NoReports => "no_reports",
            Level::Reported => "reported",
            Level::Suspicious => "suspicious",
            Level::Dangerous => "dangerous",
            Level::Cleared => "cleared",
        }
    }

    /// A short title for people.
    pub fn title(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Level::NoReports, Lang::Vi) => "Chưa có báo cáo",
            (Level::NoReports, Lang::En) => "No reports yet",
            (Level::Reported, Lang::Vi) => "Đã bị báo cáo",
            (Level::Reported, Lang::En) => "Reported",
            (Level::Suspicious, Lang::Vi) => "Đáng ngờ",
            (Level::Suspicious, Lang::En) => "Suspicious",
            (Level::Dangerous, Lang::Vi) => "Nguy hiểm: đã xác minh lừa đảo",
            (Level::Dangerous, Lang::En) => "Dangerous: verified scam",
            (Level::Cleared, Lang::Vi) => "Đã được xem xét và gỡ cảnh báo",
            (Level::Cleared, Lang::En) => "Reviewed and cleared",
        }
    }

    /// The title for what is known, so that more evidence never reads milder: a
    /// detector alone is "suspicious", a report is "reported", a detector with reports
    /// or several independent reporters say more, a police verdict most.
    pub fn title_for(self, report_count: u32, reporter_count: u32, lang: Lang) -> &'static str {
        match self {
            Level::Suspicious if reporter_count >= SUSPICIOUS_REPORTERS => {
                lang.pick("Nhiều người đã báo cáo lừa đảo", "Reported by many people")
            }
            Level::Suspicious if report_count > 0 => {
                lang.pick("Đã bị báo cáo và đáng ngờ", "Reported and suspicious")
            }
            level => level.title(lang),
        }
    }
}

/// What is known about one identifier, kept in the lookup index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IdentStats {
    /// Reports that name it.
    pub report_count: u32,
    /// Distinct reporters among them.
    pub reporter_count: u32,
    /// Unix seconds of the first report.
    pub first_seen: i64,
    /// Unix seconds of the latest report.
    pub last_seen: i64,
    /// Sum of the losses of those reports, VND.
    pub loss_vnd: u64,
    /// (method index in the catalogue, report count), most reported first after `sort`.
    pub methods: Vec<(u16, u32)>,
    /// When an officer verified it as a scam (unix seconds).
    pub verified_at: Option<i64>,
    /// When an officer cleared it after review (unix seconds).
    pub cleared_at: Option<i64>,
    /// Partners' blocklists that name it (never a police verdict).
    pub partner_marks: Vec<PartnerMark>,
}

/// A partner's blocklist naming an identifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerMark {
    /// The list.
    pub list_id: i64,
    /// The partner's name.
    pub partner: String,
    /// The day the partner says it listed it (unix seconds).
    pub listed_on: i64,
    /// The partner's confidence, 0–100.
    pub confidence: u8,
}

/// A partner's report as the check shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartnerReport {
    /// The partner (a bank, a carrier, a platform…).
    pub partner: String,
    /// The day it listed it (YYYY-MM-DD).
    pub listed_on: String,
    /// Its confidence, 0–100.
    pub confidence: u8,
}

impl IdentStats {
    /// Adds one report.
    pub fn add_report(&mut self, at: i64, loss_vnd: u64, method: Option<u16>, new_reporter: bool) {
        if self.report_count == 0 || at < self.first_seen {
            self.first_seen = at;
        }
        if self.report_count == 0 || at > self.last_seen {
            self.last_seen = at;
        }
        self.report_count += 1;
        if new_reporter {
            self.reporter_count += 1;
        }
        self.loss_vnd = self.loss_vnd.saturating_add(loss_vnd);
        if let Some(m) = method {
            match self.methods.iter_mut().find(|(k, _)| *k == m) {
                Some((_, n)) => *n += 1,
                None => self.methods.push((m, 1)),
            }
        }
    }

    /// The level these facts give.
    pub fn level(&self) -> Level {
        match (self.cleared_at, self.verified_at) {
            (Some(c), Some(v)) if c >= v => Level::Cleared,
            (Some(_), None) => Level::Cleared,
            (_, Some(_)) => Level::Dangerous,
            _ if self.reporter_count >= SUSPICIOUS_REPORTERS => Level::Suspicious,
            _ if self.report_count > 0 || !self.partner_marks.is_empty() => Level::Reported,
            _ => Level::NoReports,
        }
    }
}

/// One reason for a verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reason {
    /// Stable code.
    pub code: &'static str,
    /// For people.
    pub text: String,
}

/// A method named in reports, with how many reports name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MethodCount {
    /// Catalogue key.
    pub key: &'static str,
    /// Name in the asked language.
    pub name: &'static str,
    /// Reports naming it.
    pub count: u32,
}

/// The verdict on one identifier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Verdict {
    /// Identifier kind.
    pub kind: &'static str,
    /// Canonical value.
    pub normalized: String,
    /// Readable value.
    pub display: String,
    /// The level.
    pub level: Level,
    /// The level's title in the asked language.
    pub title: &'static str,
    /// Why.
    pub reasons: Vec<Reason>,
    /// Reports naming it.
    pub report_count: u32,
    /// Distinct reporters.
    pub reporter_count: u32,
    /// Date of the first report (YYYY-MM-DD).
    pub first_seen: Option<String>,
    /// Date of the latest report.
    pub last_seen: Option<String>,
    /// Methods named, most reported first.
    pub methods: Vec<MethodCount>,
    /// Sum of reported losses, VND.
    pub reported_loss_vnd: u64,
    /// What to do.
    pub advice: String,
    /// Where to report.
    pub report_url: &'static str,
    /// What the identifier itself tells: line type and original carrier of a phone
    /// number, the bank of an account, the registrable domain of a website.
    pub details: Vec<Detail>,
    /// Partners' blocklists that name it: reported by them, not verified by the
    /// police (none once the police cleared it).
    pub partner_reports: Vec<PartnerReport>,
}

/// One fact about an identifier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Detail {
    /// Stable key (`line_type`, `carrier`, `country_code`, `bank`, `bin`, `registrable_domain`, `platform`, `chain`).
    pub key: &'static str,
    /// Value.
    pub value: std::borrow::Cow<'static, str>,
}

fn details(identifier: &Identifier) -> Vec<Detail> {
    fn d(key: &'static str, value: impl Into<std::borrow::Cow<'static, str>>) -> Detail {
        Detail {
            key,
            value: value.into(),
        }
    }
    match identifier {
        Identifier::Phone(p) => {
            let line = match p.line_type() {
                crate::ident::PhoneType::Mobile => "mobile",
                crate::ident::PhoneType::FixedLine => "fixed_line",
                crate::ident::PhoneType::TollFree => "toll_free",
                crate::ident::PhoneType::PremiumRate => "premium_rate",
                crate::ident::PhoneType::Voip => "voip",
                crate::ident::PhoneType::Other => "other",
            };
            let mut out = vec![
                d("country_code", p.country_code().to_string()),
                d("line_type", line),
            ];
            if let Some(c) = p.carrier() {
                out.push(d("carrier", c));
            }
            out
        }
        Identifier::BankAccount(a) => vec![
            d("bank", a.bank_name().to_string()),
            d("bin", a.bin().to_string()),
        ],
        Identifier::Url(w) => vec![d("registrable_domain", w.registrable().to_string())],
        Identifier::Social(s) => vec![d("platform", s.platform().as_str())],
        Identifier::Email(_) => Vec::new(),
        Identifier::Wallet(w) => vec![d("chain", w.chain().as_str())],
    }
}

/// A day as people in Vietnam write it: `08/12/2024`.
pub fn day(unix: i64) -> String {
    date(unix)
        .map(|iso| {
            let mut parts = iso.split('-');
            let (y, m, d) = (parts.next(), parts.next(), parts.next());
            format!(
                "{}/{}/{}",
                d.unwrap_or(""),
                m.unwrap_or(""),
                y.unwrap_or("")
            )
        })
        .unwrap_or_default()
}

fn date(unix: i64) -> Option<String> {
    let d = OffsetDateTime::from_unix_timestamp(unix)
        .ok()?
        .to_offset(time::macros::offset!(+7))
        .date();
    Some(format!(
        "{:04}-{:02}-{:02}",
        d.year(),
        u8::from(d.month()),
        d.day()
    ))
}

/// Formats VND with dots as thousands separators, the Vietnamese way.
pub fn format_vnd(amount: u64) -> String {
    let digits = amount.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// Builds the verdict for an identifier from what the index knows (`None`: nothing).
pub fn verdict(identifier: &Identifier, stats: Option<&IdentStats>, lang: Lang) -> Verdict {
    let empty = IdentStats::default();
    let stats = stats.unwrap_or(&empty);
    let level = stats.level();
    let catalogue = Catalogue::get();
    let mut methods: Vec<MethodCount> = stats
        .methods
        .iter()
        .filter_map(|(i, n)| {
            catalogue.by_index(*i).map(|m| MethodCount {
                key: m.key.as_str(),
                name: m.name(lang),
                count: *n,
            })
        })
        .collect();
    methods.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(b.key)));

    let first = date(stats.first_seen).unwrap_or_default();
    let last = date(stats.last_seen).unwrap_or_default();
    let reasons = reasons_of(
        stats,
        level,
        &day(stats.first_seen),
        &day(stats.last_seen),
        lang,
    );
    let advice = advice_of(level, methods.first().map(|m| m.key), lang);
    Verdict {
        kind: identifier.kind().as_str(),
        normalized: identifier.normalized(),
        display: identifier.display(),
        level,
        title: level.title_for(stats.report_count, stats.reporter_count, lang),
        reasons,
        report_count: stats.report_count,
        reporter_count: stats.reporter_count,
        first_seen: (stats.report_count > 0).then_some(first),
        last_seen: (stats.report_count > 0).then_some(last),
        methods,
        reported_loss_vnd: stats.loss_vnd,
        advice,
        report_url: REPORT_PATH,
        details: details(identifier),
        partner_reports: if level == Level::Cleared {
            Vec::new()
        } else {
            stats
                .partner_marks
                .iter()
                .map(|m| PartnerReport {
                    partner: m.partner.clone(),
                    listed_on: date(m.listed_on).unwrap_or_default(),
                    confidence: m.confidence,
                })
                .collect()
        },
    }
}

/// Why the verdict is what it is, in the reader's language.
fn reasons_of(
    stats: &IdentStats,
    level: Level,
    first: &str,
    last: &str,
    lang: Lang,
) -> Vec<Reason> {
    let mut reasons = Vec::new();
    match level {
        Level::Cleared => reasons.push(Reason {
            code: "cleared_after_review",
            text: match lang {
                Lang::Vi => format!(
                    "Cơ quan công an đã xem xét khiếu nại và gỡ cảnh báo ngày {}.",
                    stats.cleared_at.map(day).unwrap_or_default()
                ),
                Lang::En => format!(
                    "The police reviewed a dispute and cleared it on {}.",
                    stats.cleared_at.map(day).unwrap_or_default()
                ),
            },
        }),
        Level::Dangerous => reasons.push(Reason {
            code: "verified_by_police",
            text: match lang {
                Lang::Vi => format!(
                    "Cơ quan công an đã xác minh đây là lừa đảo ngày {}.",
                    stats.verified_at.map(day).unwrap_or_default()
                ),
                Lang::En => format!(
                    "The police verified it as a scam on {}.",
                    stats.verified_at.map(day).unwrap_or_default()
                ),
            },
        }),
        _ => {}
    }
    if stats.report_count > 0 && level != Level::Cleared {
        reasons.push(Reason {
            code: "reported_by_public",
            text: match lang {
                Lang::Vi => format!(
                    "{} báo cáo từ {} người báo, từ {} đến {}.",
                    stats.report_count, stats.reporter_count, first, last
                ),
                Lang::En => format!(
                    "{} reports from {} reporters, {} to {}.",
                    stats.report_count, stats.reporter_count, first, last
                ),
            },
        });
        if stats.reporter_count >= SUSPICIOUS_REPORTERS {
            reasons.push(Reason {
                code: "several_independent_reporters",
                text: lang
                    .pick(
                        "Nhiều người báo cáo độc lập với nhau.",
                        "Several people reported it independently.",
                    )
                    .to_string(),
            });
        }
        if stats.loss_vnd > 0 {
            reasons.push(Reason {
                code: "reported_losses",
                text: match lang {
                    Lang::Vi => format!(
                        "Tổng thiệt hại được báo: {} đồng.",
                        format_vnd(stats.loss_vnd)
                    ),
                    Lang::En => {
                        format!("Total reported losses: {} VND.", format_vnd(stats.loss_vnd))
                    }
                },
            });
        }
    }
    if level != Level::Cleared {
        for mark in stats.partner_marks.iter().take(3) {
            reasons.push(Reason {
                code: "reported_by_partner",
                text: match lang {
                    Lang::Vi => format!(
                        "Được đối tác {} báo cáo ngày {} (độ tin cậy {}%); chưa được công an xác minh.",
                        mark.partner,
                        day(mark.listed_on),
                        mark.confidence
                    ),
                    Lang::En => format!(
                        "Reported by partner {} on {} (confidence {}%); not verified by the police.",
                        mark.partner,
                        day(mark.listed_on),
                        mark.confidence
                    ),
                },
            });
        }
    }
    if level == Level::NoReports {
        reasons.push(Reason {
            code: "no_reports_yet",
            text: lang
                .pick(
                    "Chưa ai báo cáo, nhưng điều đó không có nghĩa là đáng tin.",
                    "Nobody has reported it. That does not mean it can be trusted.",
                )
                .to_string(),
        });
    }
    reasons
}

/// What to do: the level's advice, then the most reported method's first advice.
fn advice_of(level: Level, top_method: Option<&str>, lang: Lang) -> String {
    let general = match (level, lang) {
        (Level::Dangerous, Lang::Vi) => "Tuyệt đối không chuyển tiền, không cung cấp mã OTP. Nếu đã chuyển tiền, gọi ngay ngân hàng của bạn để yêu cầu phong tỏa và báo cho công an.",
        (Level::Dangerous, Lang::En) => "Do not send money or share any OTP. If you already paid, call your bank at once to ask for a hold, and report to the police.",
        (Level::Suspicious | Level::Reported, Lang::Vi) => "Hãy dừng lại: không chuyển tiền, không cung cấp mã OTP hay thông tin cá nhân. Kiểm tra lại qua kênh chính thức hoặc hỏi người thân.",
        (Level::Suspicious | Level::Reported, Lang::En) => "Stop: do not send money, OTP codes or personal details. Verify through an official channel or ask someone you trust.",
        (Level::Cleared, Lang::Vi) => "Vẫn luôn cảnh giác: không chuyển tiền cho người lạ, không cung cấp mã OTP.",
        (Level::Cleared, Lang::En) => "Stay alert: never send money to strangers or share OTP codes.",
        (Level::NoReports, Lang::Vi) => "Không chuyển tiền cho người lạ, không cung cấp mã OTP; nếu nghi ngờ, hãy báo cáo.",
        (Level::NoReports, Lang::En) => "Never send money to strangers or share OTP codes; if in doubt, report it.",
    };
    let method_advice = top_method
        .and_then(|key| Catalogue::get().by_key(key))
        .and_then(|m| m.advice(lang).first())
        .filter(|_| {
            matches!(
                level,
                Level::Reported | Level::Suspicious | Level::Dangerous
            )
        });
    let advice = match method_advice {
        Some(extra) => format!("{general} {extra}"),
        None => general.to_string(),
    };
    advice
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ident::PhoneNumber;

    fn phone() -> Identifier {
        Identifier::Phone(PhoneNumber::parse("0912345678").expect("valid"))
    }

    #[test]
    fn a_partner_list_reports_but_never_verifies_nor_outranks_a_clearance() {
        let mark = PartnerMark {
            list_id: 1,
            partner: "Viettel".into(),
            listed_on: 1_764_460_800,
            confidence: 80,
        };
        let listed = IdentStats {
            partner_marks: vec![mark.clone()],
            ..IdentStats::default()
        };
        let v = verdict(&phone(), Some(&listed), Lang::Vi);
        assert_eq!(v.level, Level::Reported);
        assert!(v.reasons.iter().any(|r| r.code == "reported_by_partner"
            && r.text.contains("Viettel")
            && r.text.contains("chưa được công an xác minh")));
        assert_eq!(v.partner_reports.len(), 1);
        let cleared = IdentStats {
            cleared_at: Some(1_764_500_000),
            ..listed.clone()
        };
        let v = verdict(&phone(), Some(&cleared), Lang::En);
        assert_eq!(v.level, Level::Cleared);
        assert!(v.partner_reports.is_empty());
        assert!(!v.reasons.iter().any(|r| r.code == "reported_by_partner"));
        let verified = IdentStats {
            verified_at: Some(1_764_500_000),
            report_count: 1,
            reporter_count: 1,
            ..listed
        };
        assert_eq!(
            verdict(&phone(), Some(&verified), Lang::En).level,
            Level::Dangerous
        );
    }

    #[test]
    fn nothing_known_is_no_reports_and_never_safe() {
        for lang in [Lang::Vi, Lang::En] {
            let v = verdict(&phone(), None, lang);
            assert_eq!(v.level, Level::NoReports);
            let all = serde_json::to_string(&v)
                .expect("serialises")
                .to_lowercase();
            assert!(!all.contains("safe") && !all.contains("an toàn"), "{all}");
            assert_eq!(v.report_url, "/bao-cao");
            let facts: Vec<(&str, &str)> = v
                .details
                .iter()
                .map(|d| (d.key, d.value.as_ref()))
                .collect();
            assert_eq!(
                facts,
                vec![
                    ("country_code", "84"),
                    ("line_type", "mobile"),
                    ("carrier", "VinaPhone")
                ]
            );
        }
    }

    #[test]
    fn levels_rise_with_reporters_and_verification_and_fall_on_clearing() {
        let mut s = IdentStats::default();
        s.add_report(1_700_000_000, 5_000_000, Some(0), true);
        assert_eq!(s.level(), Level::Reported);
        s.add_report(1_700_100_000, 0, Some(0), true);
        s.add_report(1_700_200_000, 1_000, Some(1), false);
        assert_eq!(
            s.level(),
            Level::Reported,
            "two distinct reporters are not yet several"
        );
        s.add_report(1_700_300_000, 0, None, true);
        assert_eq!(s.level(), Level::Suspicious);
        s.verified_at = Some(1_700_400_000);
        assert_eq!(s.level(), Level::Dangerous);
        s.cleared_at = Some(1_700_500_000);
        assert_eq!(s.level(), Level::Cleared);
        let v = verdict(&phone(), Some(&s), Lang::Vi);
        assert_eq!(v.report_count, 4);
        assert_eq!(v.reported_loss_vnd, 5_001_000);
        assert_eq!(v.methods.first().map(|m| m.count), Some(2));
        assert_eq!(v.first_seen.as_deref(), Some("2023-11-15"));
    }

    #[test]
    fn vnd_is_grouped_with_dots() {
        assert_eq!(format_vnd(5_000_000), "5.000.000");
        assert_eq!(format_vnd(999), "999");
        assert_eq!(format_vnd(0), "0");
    }
}
