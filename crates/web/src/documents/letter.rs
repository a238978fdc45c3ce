//! The hold request as an official letter (DOCX, `docx-rs`) in the usual layout of a
//! Vietnamese administrative letter (Decree 30/2020): the issuing body and the national
//! motto side by side, number and date, subject, addressee, body, a table of the
//! accounts, recipients and the signature block; and as JSON for banks that integrate.

use canhgiac_core::verdict::format_vnd;
use canhgiac_store::holds::HoldRequest;
use docx_rs::{
    AlignmentType, Docx, PageMargin, Paragraph, Run, RunFonts, Table, TableBorders, TableCell,
    TableRow, WidthType,
};

/// What the letter needs besides the request.
pub struct LetterContext {
    /// "Đồng Nai".
    pub province: String,
    /// The bank's full name.
    pub bank_name: String,
    /// The unit's hotline.
    pub hotline: &'static str,
}

impl LetterContext {
    /// The context of a letter from the police of `province` to the bank `bank_bin`.
    pub fn new(province: &str, bank_bin: &str) -> LetterContext {
        LetterContext {
            province: province.to_string(),
            bank_name: bank_name(bank_bin),
            hotline: hotline(province),
        }
    }
}

/// The duty line printed on letters: the published PA05 hotline for Đồng Nai
/// (../shared/domain/FACTS.md §8), the national police number elsewhere.
fn hotline(province: &str) -> &'static str {
    if province == "Đồng Nai" {
        "0251 3685 134"
    } else {
        "113"
    }
}

/// A bank's name for letters: "Ngân hàng TMCP Ngoại thương Việt Nam (Vietcombank)".
pub fn bank_name(bin: &str) -> String {
    canhgiac_core::banks::Banks::get()
        .by_bin(bin)
        .map(|b| format!("{} ({})", b.name_vi, b.short_name))
        .unwrap_or_else(|| format!("Ngân hàng có mã BIN {bin}"))
}

/// Why a letter could not be written.
#[derive(Debug, thiserror::Error)]
#[error("the letter could not be written: {0}")]
pub struct LetterError(pub(crate) String);

const FONT: &str = "Times New Roman";
/// 13 pt, in half-points.
const SIZE: usize = 26;
/// A4 text width with 3 cm / 2 cm margins, in twentieths of a point.
pub(crate) const TEXT_WIDTH: usize = 9_070;

pub(crate) fn run(text: &str) -> Run {
    Run::new()
        .add_text(text)
        .fonts(
            RunFonts::new()
                .ascii(FONT)
                .hi_ansi(FONT)
                .cs(FONT)
                .east_asia(FONT),
        )
        .size(SIZE)
}

pub(crate) fn para(text: &str) -> Paragraph {
    Paragraph::new().add_run(run(text))
}

pub(crate) fn centered(text: &str, bold: bool) -> Paragraph {
    let r = if bold { run(text).bold() } else { run(text) };
    Paragraph::new().add_run(r).align(AlignmentType::Center)
}

pub(crate) fn cell(p: Paragraph, width: usize) -> TableCell {
    TableCell::new()
        .add_paragraph(p)
        .width(width, WidthType::Dxa)
}

pub(crate) fn date_line(province: &str, unix: i64) -> String {
    let d = canhgiac_core::clock::local_date(unix);
    format!(
        "{province}, ngày {:02} tháng {:02} năm {}",
        d.day(),
        u8::from(d.month()),
        d.year()
    )
}

fn time_text(unix: Option<i64>) -> String {
    unix.map(|t| {
        let t = time::OffsetDateTime::from_unix_timestamp(t)
            .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
            .to_offset(canhgiac_core::clock::VN_OFFSET);
        format!(
            "{:02}:{:02} {:02}/{:02}/{}",
            t.hour(),
            t.minute(),
            t.day(),
            u8::from(t.month()),
            t.year()
        )
    })
    .unwrap_or_else(|| "không rõ".into())
}

/// Upper case for headings ("Phòng An ninh mạng…" → "PHÒNG AN NINH MẠNG…").
pub(crate) fn upper(s: &str) -> String {
    s.to_uppercase()
}

/// The letter as a DOCX file.
pub fn docx(req: &HoldRequest, ctx: &LetterContext) -> Result<Vec<u8>, LetterError> {
    let half = TEXT_WIDTH / 2;
    let unit = req
        .unit_name
        .trim_end_matches(&format!(" Công an tỉnh {}", ctx.province))
        .to_string();
    let header = Table::new(vec![
        TableRow::new(vec![
            cell(centered(&format!("CÔNG AN TỈNH {}", upper(&ctx.province)), false), half),
            cell(centered("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", true), half),
        ]),
        TableRow::new(vec![
            cell(centered(&upper(&unit), true), half),
            cell(centered("Độc lập - Tự do - Hạnh phúc", true), half),
        ]),
        TableRow::new(vec![
            cell(centered(&format!("Số: {}", req.letter_no), false), half),
            cell(
                Paragraph::new().add_run(run(&date_line(&ctx.province, req.created_at)).italic()).align(AlignmentType::Center),
                half,
            ),
        ]),
        TableRow::new(vec![
            cell(centered("V/v đề nghị khẩn cấp tạm dừng giao dịch, tạm giữ tiền trong tài khoản nhận tiền lừa đảo", false), half),
            cell(para(""), half),
        ]),
    ])
    .set_borders(TableBorders::new().clear_all())
    .set_grid(vec![half, half]);

    let total: i64 = req.items.iter().map(|i| i.amount_vnd).sum();
    let mut victims: Vec<&str> = req.items.iter().map(|i| i.tracking_code.as_str()).collect();
    victims.sort_unstable();
    victims.dedup();
    let widths = [700, 2_300, 2_000, 2_070, 2_000];
    let heading = |t: &str, w: usize| cell(centered(t, true), w);
    let mut rows = vec![TableRow::new(vec![
        heading("STT", widths[0]),
        heading("Số tài khoản nhận", widths[1]),
        heading("Số tiền bị hại chuyển (đồng)", widths[2]),
        heading("Thời gian chuyển", widths[3]),
        heading("Mã tin báo của bị hại", widths[4]),
    ])];
    for (n, item) in req.items.iter().enumerate() {
        rows.push(TableRow::new(vec![
            cell(centered(&(n + 1).to_string(), false), widths[0]),
            cell(para(&item.account), widths[1]),
            cell(
                Paragraph::new()
                    .add_run(run(&format_vnd(item.amount_vnd.max(0) as u64)))
                    .align(AlignmentType::Right),
                widths[2],
            ),
            cell(para(&time_text(item.transferred_at)), widths[3]),
            cell(para(&item.tracking_code), widths[4]),
        ]));
    }
    let accounts = Table::new(rows).set_grid(widths.to_vec());

    let body = format!(
        "Qua tiếp nhận tin báo của công dân về hành vi lừa đảo chiếm đoạt tài sản trên không gian mạng, {unit} Công an tỉnh {} xác định các tài khoản dưới đây mở tại {} đã nhận tiền của bị hại. Để kịp thời ngăn chặn việc tẩu tán tài sản, đề nghị {} khẩn trương tạm dừng giao dịch, tạm giữ số tiền còn lại trong các tài khoản này, đồng thời cung cấp thông tin chủ tài khoản, sao kê giao dịch từ thời điểm nhận tiền để phục vụ công tác xác minh, giải quyết tin báo theo quy định của pháp luật.",
        ctx.province, ctx.bank_name, ctx.bank_name
    );
    let doc = Docx::new()
        .page_margin(PageMargin::new().top(1134).bottom(1134).left(1701).right(1134))
        .add_table(header)
        .add_paragraph(para(""))
        .add_paragraph(
            Paragraph::new()
                .add_run(run("Kính gửi: ").bold())
                .add_run(run(&ctx.bank_name).bold())
                .align(AlignmentType::Center),
        )
        .add_paragraph(para(""))
        .add_paragraph(para(&body).align(AlignmentType::Both))
        .add_paragraph(para(""))
        .add_table(accounts)
        .add_paragraph(para(""))
        .add_paragraph(para(&format!(
            "Tổng cộng: {} đồng, {} giao dịch, {} bị hại.",
            format_vnd(total.max(0) as u64),
            req.items.len(),
            victims.len()
        )))
        .add_paragraph(para(&format!(
            "Kết quả xin phản hồi ngay về {unit} Công an tỉnh {} (điện thoại trực ban: {}), ghi rõ số tiền đã tạm giữ trong từng tài khoản. Bản dữ liệu có cấu trúc của đề nghị này (JSON) kèm theo để hệ thống của ngân hàng xử lý tự động.",
            ctx.province, ctx.hotline
        )).align(AlignmentType::Both))
        .add_paragraph(para(""))
        .add_table(
            Table::new(vec![TableRow::new(vec![
                TableCell::new()
                    .add_paragraph(Paragraph::new().add_run(run("Nơi nhận:").bold().italic()))
                    .add_paragraph(para("- Như trên;"))
                    .add_paragraph(para(&format!("- Lưu: VT, {}.", req.unit_code)))
                    .width(half, WidthType::Dxa),
                TableCell::new()
                    .add_paragraph(centered("TRƯỞNG PHÒNG", true))
                    .add_paragraph(Paragraph::new().add_run(run("(Ký, ghi rõ họ tên, đóng dấu)").italic()).align(AlignmentType::Center))
                    .add_paragraph(para(""))
                    .add_paragraph(para(""))
                    .add_paragraph(centered(&format!("Cán bộ lập: {}", req.created_by), false))
                    .width(half, WidthType::Dxa),
            ])])
            .set_borders(TableBorders::new().clear_all())
            .set_grid(vec![half, half]),
        );
    let mut out = std::io::Cursor::new(Vec::new());
    doc.build()
        .pack(&mut out)
        .map_err(|e| LetterError(e.to_string()))?;
    Ok(out.into_inner())
}

/// The request for banks' systems.
pub fn json(req: &HoldRequest, ctx: &LetterContext) -> HoldLetter {
    let mut by_account: std::collections::BTreeMap<&str, Vec<&canhgiac_store::holds::HoldItem>> =
        Default::default();
    for i in &req.items {
        by_account.entry(i.account.as_str()).or_default().push(i);
    }
    let accounts = by_account
        .into_iter()
        .map(|(account, items)| LetterAccount {
            account: account.to_string(),
            amount_vnd: items.iter().map(|i| i.amount_vnd).sum(),
            transfers: items
                .iter()
                .map(|i| LetterTransfer {
                    amount_vnd: i.amount_vnd,
                    transferred_at: i.transferred_at.and_then(canhgiac_core::clock::rfc3339),
                    victim_report_code: i.tracking_code.clone(),
                })
                .collect(),
        })
        .collect();
    let mut victims: Vec<String> = req.items.iter().map(|i| i.tracking_code.clone()).collect();
    victims.sort_unstable();
    victims.dedup();
    HoldLetter {
        kind: "canhgiac.hold_request",
        version: 1,
        request_id: req.id,
        letter_no: req.letter_no.clone(),
        issued_at: canhgiac_core::clock::rfc3339(req.created_at),
        issued_by: LetterIssuer {
            unit: req.unit_name.clone(),
            unit_code: req.unit_code.clone(),
            hotline: ctx.hotline.to_string(),
            officer: req.created_by.clone(),
        },
        bank: LetterBank {
            bin: req.bank_bin.clone(),
            name: ctx.bank_name.clone(),
        },
        action: "hold_remaining_funds_and_report_account_owner",
        accounts,
        total_amount_vnd: req.items.iter().map(|i| i.amount_vnd).sum(),
        victim_report_codes: victims,
        state: req.state.clone(),
        held_amount_vnd: req.held_amount_vnd,
    }
}

/// A hold request for a bank's systems: `canhgiac.hold_request`, version 1.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct HoldLetter {
    /// Always `canhgiac.hold_request`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Format version: 1.
    pub version: u32,
    /// The request's id here.
    pub request_id: i64,
    /// The letter's number and symbol (`12/CV-CATP`).
    pub letter_no: String,
    /// When it was issued (RFC 3339).
    pub issued_at: Option<String>,
    /// Who asks.
    pub issued_by: LetterIssuer,
    /// The bank asked.
    pub bank: LetterBank,
    /// Always `hold_remaining_funds_and_report_account_owner`.
    pub action: &'static str,
    /// The accounts to hold, with the transfers into them.
    pub accounts: Vec<LetterAccount>,
    /// The sum of all transfers, VND.
    pub total_amount_vnd: i64,
    /// The victims' report codes.
    pub victim_report_codes: Vec<String>,
    /// `created`, `sent`, `held`, …
    pub state: String,
    /// What the bank held, VND.
    pub held_amount_vnd: i64,
}

/// The unit that asks.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct LetterIssuer {
    /// Unit name.
    pub unit: String,
    /// Unit code.
    pub unit_code: String,
    /// The unit's hotline.
    pub hotline: String,
    /// The officer who made the request.
    pub officer: String,
}

/// The bank asked.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct LetterBank {
    /// Its BIN (NAPAS).
    pub bin: String,
    /// Its name.
    pub name: String,
}

/// One account to hold.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct LetterAccount {
    /// Account number.
    pub account: String,
    /// The sum of the transfers into it, VND.
    pub amount_vnd: i64,
    /// The transfers.
    pub transfers: Vec<LetterTransfer>,
}

/// One transfer into an account.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct LetterTransfer {
    /// Amount, VND.
    pub amount_vnd: i64,
    /// When (RFC 3339), if the victim said.
    pub transferred_at: Option<String>,
    /// The victim's report code.
    pub victim_report_code: String,
}
