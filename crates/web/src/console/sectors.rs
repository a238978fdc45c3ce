//! Sector loopholes (`/console/lo-hong`, CSV at `/console/lo-hong.csv`; directive §2):
//! for a period, the bank accounts reported per bank and how each bank answered hold
//! requests, the numbers reported per carrier and number range, the platforms, wallet
//! chains and websites used, each with a proposal the police can send to the sector's
//! regulator. Police statistics roles only.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use canhgiac_core::banks::Banks;
use canhgiac_core::i18n::Lang;
use canhgiac_core::ident::phone::carrier_of_range;
use canhgiac_core::ident::social::Platform;
use canhgiac_core::roles::Permission;
use canhgiac_core::stats::{median_p90, StatsPeriod};
use canhgiac_store::sectors::IdentifierGroup;

use super::auth::Console;
use super::Frame;
use crate::pages::render;
use crate::pages::{PageError, PageResult};
use crate::spreadsheet::Format;
use crate::statistics::StatsQuery;
use crate::AppState;

/// One line of a sector table.
pub struct SectorLine {
    /// Who (a bank, a carrier's range, a platform…).
    pub name: String,
    /// Identifiers reported.
    pub identifiers: u64,
    /// Reports naming them.
    pub reports: u64,
    /// Verified as scams.
    pub verified: u64,
    /// Hold requests (banks only).
    pub holds: String,
    /// Hours to the bank's answer, median / 90% (banks only).
    pub answer_hours: String,
    /// What the police propose.
    pub proposal: String,
}

/// Every sector's lines.
pub struct Sectors {
    /// The period.
    pub period: StatsPeriod,
    /// Banks.
    pub banks: Vec<SectorLine>,
    /// Carriers, by number range.
    pub carriers: Vec<SectorLine>,
    /// Social platforms.
    pub platforms: Vec<SectorLine>,
    /// Crypto-wallet chains.
    pub wallets: Vec<SectorLine>,
    /// The most reported websites.
    pub websites: Vec<SectorLine>,
}

/// The sector group of an identifier key: a bank's BIN (`b:970436`), a number range
/// (`p:+8491`), a platform (`s:zalo`), a chain (`w:tron`), a website (`u:host`).
fn sector_of(key: &str) -> Option<String> {
    let (kind, rest) = key.split_once(':')?;
    match kind {
        "bank_account" => Some(format!("b:{}", rest.split(':').next()?)),
        "phone" => Some(format!("p:{}", rest.get(..5)?)),
        "social" => Some(format!("s:{}", rest.split(':').next()?)),
        "wallet" => Some(format!("w:{}", rest.split(':').next()?)),
        "url" => Some(format!("u:{rest}")),
        _ => None,
    }
}

fn line(g: &IdentifierGroup, name: String, proposal: String) -> SectorLine {
    SectorLine {
        name,
        identifiers: g.identifiers,
        reports: g.reports,
        verified: g.verified,
        holds: String::new(),
        answer_hours: String::new(),
        proposal,
    }
}

async fn sectors(
    state: &AppState,
    period: StatsPeriod,
    lang: Lang,
) -> Result<Sectors, canhgiac_store::StoreError> {
    let (from, to) = period.unix_bounds();
    let store = &state.store;
    let answers = store.hold_answers(from, to).await?;
    let groups = state.index.identifier_groups(from, to, sector_of);
    let part = |prefix: &str| -> Vec<IdentifierGroup> {
        groups
            .iter()
            .filter_map(|g| {
                let name = g.group.strip_prefix(prefix)?;
                Some(IdentifierGroup {
                    group: name.to_string(),
                    ..g.clone()
                })
            })
            .collect()
    };
    let (banks, phones, social, wallets, sites) =
        (part("b:"), part("p:"), part("s:"), part("w:"), part("u:"));
    // Hold answers by bank: requests, held, refused, hours to answer.
    let mut by_bank: BTreeMap<String, (u64, u64, u64, Vec<i64>)> = BTreeMap::new();
    for a in &answers {
        let e = by_bank.entry(a.bank_bin.clone()).or_default();
        e.0 += 1;
        match a.state.as_str() {
            "held" | "released" => e.1 += 1,
            "refused" => e.2 += 1,
            _ => {}
        }
        if let Some(t) = a.answered_at {
            e.3.push((t - a.sent_at).max(0) / 3600);
        }
    }
    let registry = Banks::get();
    let mut bank_lines: Vec<SectorLine> = banks
        .iter()
        .map(|g| {
            let name = registry
                .by_bin(&g.group)
                .map(|b| format!("{} ({})", b.short_name, b.bin))
                .unwrap_or_else(|| g.group.clone());
            let mut l = line(g, name, String::new());
            if let Some((requests, held, refused, hours)) = by_bank.get_mut(&g.group) {
                l.holds = format!(
                    "{requests} / {held} {} / {refused} {}",
                    lang.pick("giữ", "held"),
                    lang.pick("từ chối", "refused")
                );
                if let Some((median, p90)) = median_p90(hours) {
                    l.answer_hours = format!("{median} / {p90}");
                    if p90 > 24 {
                        l.proposal.push_str(lang.pick(
                            "Phản hồi đề nghị tạm giữ trong ngày (90% đang quá 24 giờ). ",
                            "Answer hold requests within the day (90% take over 24 hours). ",
                        ));
                    }
                }
                if *refused > 0 {
                    l.proposal.push_str(lang.pick(
                        "Nêu rõ lý do từ chối tạm giữ. ",
                        "Give the reason for refusing holds. ",
                    ));
                }
            }
            if g.identifiers > 0 {
                l.proposal.push_str(lang.pick(
                    "Rà soát định danh (eKYC) và dòng tiền của các tài khoản bị báo cáo; phong tỏa các tài khoản đã xác minh.",
                    "Review the identity checks (eKYC) and flows of the reported accounts; freeze the verified ones.",
                ));
            }
            l
        })
        .collect();
    // Banks with hold requests but no reported account in the period.
    for (bin, (requests, held, refused, _)) in &by_bank {
        if !banks.iter().any(|g| &g.group == bin) {
            bank_lines.push(SectorLine {
                name: registry
                    .by_bin(bin)
                    .map(|b| format!("{} ({})", b.short_name, b.bin))
                    .unwrap_or_else(|| bin.clone()),
                identifiers: 0,
                reports: 0,
                verified: 0,
                holds: format!("{requests} / {held} / {refused}"),
                answer_hours: String::new(),
                proposal: String::new(),
            });
        }
    }
    let carriers = phones
        .iter()
        .map(|g| {
            let range = g.group.strip_prefix("+84").unwrap_or(&g.group);
            let name = match carrier_of_range(range) {
                Some(c) => format!("{c} · 0{range}"),
                None if g.group.starts_with("+84") => format!("0{range}"),
                None => lang.pick("Số nước ngoài", "Foreign number").to_string(),
            };
            line(
                g,
                name,
                lang.pick(
                    "Rà soát chính chủ các thuê bao bị báo cáo; chặn cuộc gọi, tin nhắn từ các số đã xác minh.",
                    "Check the registration of the reported subscribers; block calls and messages from the verified numbers.",
                )
                .to_string(),
            )
        })
        .collect();
    let platforms = social
        .iter()
        .map(|g| {
            let name = Platform::from_name(&g.group)
                .map(|p| p.label().to_string())
                .unwrap_or_else(|| g.group.clone());
            line(
                g,
                name,
                lang.pick(
                    "Gỡ các tài khoản, trang đã xác minh lừa đảo; xác minh tài khoản quảng cáo, bán hàng.",
                    "Take down the accounts and pages verified as scams; verify advertising and shop accounts.",
                )
                .to_string(),
            )
        })
        .collect();
    let wallets = wallets
        .iter()
        .map(|g| {
            line(
                g,
                g.group.to_uppercase(),
                lang.pick(
                    "Đề nghị sàn giao dịch phong tỏa các ví đã xác minh.",
                    "Ask exchanges to freeze the verified wallets.",
                )
                .to_string(),
            )
        })
        .collect();
    let websites = sites
        .iter()
        .take(30)
        .map(|g| {
            line(
                g,
                g.group.clone(),
                lang.pick(
                    "Đề nghị chặn tên miền (VNNIC, nhà mạng) và gỡ ứng dụng khỏi kho ứng dụng.",
                    "Ask for the domain to be blocked (VNNIC, carriers) and the app removed from app stores.",
                )
                .to_string(),
            )
        })
        .collect();
    Ok(Sectors {
        period,
        banks: bank_lines,
        carriers,
        platforms,
        wallets,
        websites,
    })
}

#[derive(Template)]
#[template(path = "console/sectors.html")]
struct SectorsPage {
    f: Frame,
    title: String,
    key: String,
    s: Sectors,
}

async fn resolve(state: &AppState, q: &StatsQuery, lang: Lang) -> Result<Sectors, PageError> {
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let q = StatsQuery {
        unit: None,
        commune: None,
        ..q.clone()
    };
    let (period, _) = match q.resolve(state, now).await? {
        Ok(x) => x,
        Err(r) => return Err(PageError::refused(r)),
    };
    sectors(state, period, lang)
        .await
        .map_err(|e| PageError::unavailable("sector loopholes", e))
}

fn allowed(console: &Console) -> Result<(), PageError> {
    console.require(Permission::ViewStatistics)?;
    console.require(Permission::ViewReports)
}

/// `GET /console/lo-hong?ky=2026`.
pub async fn page(
    State(state): State<AppState>,
    console: Console,
    Query(q): Query<StatsQuery>,
) -> PageResult {
    allowed(&console)?;
    let s = resolve(&state, &q, console.lang).await?;
    Ok(render(
        StatusCode::OK,
        &SectorsPage {
            title: s.period.title(console.lang),
            key: s.period.key(),
            s,
            f: Frame::new(&console),
        },
    ))
}

/// `GET /console/lo-hong.csv?ky=2026`: every table in one file, with the proposals,
/// to send to the sectors' regulators.
pub async fn csv(state: State<AppState>, console: Console, q: Query<StatsQuery>) -> PageResult {
    export(state, console, q, Format::Csv).await
}

/// `GET /console/lo-hong.xlsx?ky=2026`: the same as a workbook.
pub async fn xlsx(state: State<AppState>, console: Console, q: Query<StatsQuery>) -> PageResult {
    export(state, console, q, Format::Xlsx).await
}

async fn export(
    State(state): State<AppState>,
    console: Console,
    Query(q): Query<StatsQuery>,
    format: Format,
) -> PageResult {
    allowed(&console)?;
    let lang = console.lang;
    let s = resolve(&state, &q, lang).await?;
    let mut rows = vec![[
        lang.pick("Lĩnh vực", "Sector"),
        lang.pick("Đơn vị", "Who"),
        lang.pick("Định danh bị báo cáo", "Identifiers reported"),
        lang.pick("Báo cáo", "Reports"),
        lang.pick("Đã xác minh lừa đảo", "Verified scams"),
        lang.pick(
            "Đề nghị tạm giữ / giữ / từ chối",
            "Hold requests / held / refused",
        ),
        lang.pick(
            "Giờ đến khi ngân hàng trả lời (trung vị / 90%)",
            "Hours to the bank's answer (median / 90%)",
        ),
        lang.pick("Đề xuất", "Proposal"),
    ]
    .map(str::to_string)
    .to_vec()];
    for (sector, lines) in [
        (lang.pick("Ngân hàng", "Banks"), &s.banks),
        (lang.pick("Viễn thông", "Carriers"), &s.carriers),
        (lang.pick("Mạng xã hội", "Platforms"), &s.platforms),
        (lang.pick("Ví tiền mã hóa", "Crypto wallets"), &s.wallets),
        (
            lang.pick("Trang web, ứng dụng", "Websites, apps"),
            &s.websites,
        ),
    ] {
        for l in lines {
            rows.push(vec![
                sector.to_string(),
                l.name.clone(),
                l.identifiers.to_string(),
                l.reports.to_string(),
                l.verified.to_string(),
                l.holds.clone(),
                l.answer_hours.clone(),
                l.proposal.clone(),
            ]);
        }
    }
    let key = s.period.key().replace("..", "_");
    crate::spreadsheet::download(
        &rows,
        &format!("lo-hong-{key}"),
        &format!(
            "{} {}",
            lang.pick("Lỗ hổng", "Loopholes"),
            s.period.title(lang)
        ),
        format,
    )
    .map_err(|e| PageError::unavailable("sector export", e))
}
