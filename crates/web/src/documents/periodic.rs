//! The periodic report to the People's Committee as a DOCX file in the layout of
//! Decree 30/2020/NĐ-CP: the issuing body and the national motto side by side, number
//! and symbol, place and date, the title, the addressee, the body in sections (the
//! situation, new methods, results of the fight with a table of figures, awareness
//! work, difficulties, proposals), "Nơi nhận" and the signature block; Times New Roman
//! 13 pt. The figures come from the snapshot stored with the report, so a report opened
//! again reads as it was sent.

use canhgiac_core::verdict::format_vnd;
use docx_rs::{
    AlignmentType, Docx, PageMargin, Paragraph, Table, TableBorders, TableCell, TableRow, WidthType,
};
use serde::{Deserialize, Serialize};

use super::chart::{self, Png};
use super::letter::{cell, centered, date_line, para, run, upper, LetterError, TEXT_WIDTH};
use super::pdf_pages::{self, Align, Cell, Face, Pages, PdfError, Style};
use crate::statistics::{Audience, Breakdown, Figure, FigureUnit, Line, Statistics};

/// The figures of a report as drafted.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Snapshot {
    /// `2026-11`…
    pub period_key: String,
    /// "tháng 11/2026"…
    pub title: String,
    /// The period before.
    pub previous_title: String,
    /// The same period a year before.
    pub year_title: String,
    /// Every figure.
    pub figures: Vec<Figure>,
    /// The methods with the most reports (at most 10).
    pub methods: Vec<Line>,
    /// The communes with the most reports (at most 10).
    pub communes: Vec<Line>,
    /// Reports by channel.
    pub channels: Vec<Line>,
    /// Reports per day (per week for periods over two months), the period and a
    /// year before; absent in reports drafted before charts were kept.
    #[serde(default)]
    pub series: Option<Series>,
}

/// Counts over the period for the chart, a point per day or week.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Series {
    /// "01/11"… one per point.
    pub labels: Vec<String>,
    /// The period.
    pub now: Vec<u32>,
    /// The same days a year before.
    pub year_before: Vec<u32>,
}

/// How many methods and communes a report lists.
const TOP: usize = 10;

impl Snapshot {
    /// The snapshot of computed statistics (police figures; the report carries no
    /// narrative, name or identifier).
    pub fn of(stats: &Statistics, places: &std::collections::HashMap<i64, String>) -> Snapshot {
        let lang = canhgiac_core::i18n::Lang::Vi;
        let lines = |by| {
            let mut l = stats.lines(by, Audience::Police, lang, places);
            l.truncate(TOP);
            l
        };
        Snapshot {
            period_key: stats.now.period.key(),
            title: stats.now.period.title(lang),
            previous_title: stats.previous.period.title(lang),
            year_title: stats.year_before.period.title(lang),
            figures: stats.figures(Audience::Police, lang),
            methods: lines(Breakdown::Method),
            communes: lines(Breakdown::Commune),
            channels: lines(Breakdown::Channel),
            series: Some({
                let (starts, now, year_before) = stats.series();
                Series {
                    labels: starts
                        .iter()
                        .map(|d| format!("{:02}/{:02}", d.day(), u8::from(d.month())))
                        .collect(),
                    now,
                    year_before,
                }
            }),
        }
    }

    /// The charts of the report as PNG, with their captions: the period against a
    /// year before, and the methods with the most reports.
    pub fn charts(&self) -> Vec<(String, Png)> {
        let mut out = Vec::new();
        if let Some(series) = &self.series {
            let caption = "Biểu đồ 1. Số báo cáo trong kỳ và cùng kỳ năm trước";
            let lines = [
                (self.title.clone(), series.now.clone()),
                (self.year_title.clone(), series.year_before.clone()),
            ];
            // the caption is printed under the picture
            let chart = chart::Lines {
                caption: "",
                labels: &series.labels,
                series: &lines,
                spikes: &[],
                unit: "báo cáo",
            };
            if let Some(png) = chart::png(&chart, 3) {
                out.push((caption.to_string(), png));
            }
        }
        let bars: Vec<(String, u64)> = self
            .methods
            .iter()
            .filter_map(|l| Some((l.label.clone(), l.reports?)))
            .filter(|(_, n)| *n > 0)
            .collect();
        let caption = format!(
            "Biểu đồ {}. Các thủ đoạn có nhiều báo cáo nhất",
            out.len() + 1
        );
        let chart = chart::Bars {
            caption: "",
            rows: &bars,
            unit: "báo cáo",
        };
        if let Some(png) = chart::png(&chart, 3) {
            out.push((caption.clone(), png));
        }
        out
    }

    /// A figure's value.
    pub fn value(&self, key: &str) -> i64 {
        self.figures
            .iter()
            .find(|f| f.key == key)
            .and_then(|f| f.value)
            .unwrap_or(0)
    }

    fn figure(&self, key: &str) -> Option<&Figure> {
        self.figures.iter().find(|f| f.key == key)
    }

    /// "(tăng 12,5% so với tháng 10/2026; giảm 3,0% so với cùng kỳ tháng 11/2025)".
    fn compared(&self, key: &str) -> String {
        let Some(f) = self.figure(key) else {
            return String::new();
        };
        let lang = canhgiac_core::i18n::Lang::Vi;
        format!(
            "({} so với {}; {} so với cùng kỳ {})",
            words(&f.change(0, &lang)),
            self.previous_title,
            words(&f.change(1, &lang)),
            self.year_title
        )
    }
}

/// "+12,5%" → "tăng 12,5%", "−3,0%" → "giảm 3,0%".
fn words(change: &str) -> String {
    if let Some(x) = change.strip_prefix('+') {
        format!("tăng {x}")
    } else if let Some(x) = change.strip_prefix('−') {
        format!("giảm {x}")
    } else if change == "0%" {
        "không đổi".into()
    } else if change == "mới" {
        "tăng từ 0".into()
    } else {
        change.into()
    }
}

/// One section of the body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    /// Stable key.
    pub key: String,
    /// Heading ("I. TÌNH HÌNH…").
    pub title: String,
    /// Text, paragraphs separated by blank lines.
    pub text: String,
}

/// The longest text of a section, in characters.
pub const MAX_SECTION_CHARS: usize = 20_000;

/// What the draft needs besides the figures.
pub struct DraftContext<'a> {
    /// "Đồng Nai".
    pub province: &'a str,
    /// Methods new in the period (names).
    pub new_methods: Vec<String>,
    /// Sizes of the groups of alike reports that fit no catalogue method.
    pub new_pattern_groups: Vec<usize>,
    /// Agencies that recorded no activity in the period (names).
    pub silent_agencies: Vec<String>,
    /// The peak campaigns that overlap the period, one line each.
    pub campaigns: Vec<String>,
}

fn list(items: &[String]) -> String {
    items
        .iter()
        .map(|s| format!("- {s}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn top_lines(lines: &[Line]) -> Vec<String> {
    lines
        .iter()
        .filter(|l| l.reports.unwrap_or(0) > 0)
        .map(|l| {
            format!(
                "{}: {} báo cáo, thiệt hại {} đồng",
                l.label,
                l.reports.unwrap_or(0),
                format_vnd(l.loss_vnd.unwrap_or(0).max(0) as u64)
            )
        })
        .collect()
}

/// The draft text of every section, filled from the figures.
pub fn draft(s: &Snapshot, ctx: &DraftContext<'_>) -> Vec<Section> {
    let situation = format!(
        "Trong {}, Công an tỉnh {} tiếp nhận {} báo cáo của người dân về lừa đảo trên không gian mạng {}. Tổng thiệt hại người dân báo là {} đồng {}.\n\nCác kênh liên lạc kẻ gian dùng nhiều nhất:\n{}\n\nCác thủ đoạn có nhiều báo cáo nhất:\n{}\n\nCác xã, phường có nhiều báo cáo nhất:\n{}",
        s.title,
        ctx.province,
        s.value("reports"),
        s.compared("reports"),
        format_vnd(s.value("loss_vnd").max(0) as u64),
        s.compared("loss_vnd"),
        list(&top_lines(&s.channels)),
        list(&top_lines(&s.methods)),
        list(&top_lines(&s.communes)),
    );
    let mut methods = if ctx.new_methods.is_empty() {
        "Trong kỳ không ghi nhận thủ đoạn mới trong danh mục; các thủ đoạn đã biết tiếp tục được kẻ gian sử dụng (xem phần I).".to_string()
    } else {
        format!(
            "Các thủ đoạn mới được đưa vào danh mục hoặc xuất hiện lần đầu trong năm:\n{}",
            list(&ctx.new_methods)
        )
    };
    if !ctx.new_pattern_groups.is_empty() {
        let sizes: Vec<String> = ctx
            .new_pattern_groups
            .iter()
            .map(|n| n.to_string())
            .collect();
        methods.push_str(&format!(
            "\n\nNgoài ra, có {} nhóm báo cáo mô tả cách thức giống nhau nhưng chưa khớp thủ đoạn nào trong danh mục (lần lượt {} báo cáo); đang được phân tích để bổ sung danh mục.",
            ctx.new_pattern_groups.len(),
            sizes.join(", ")
        ));
    }
    let results = format!(
        "Tiếp nhận chính thức {} tin báo. Quyết định khởi tố vụ án: {}; không khởi tố: {}; tạm đình chỉ: {}; chuyển cơ quan có thẩm quyền: {}. Giải quyết trong thời hạn: {}; quá hạn: {}; gia hạn: {}; quá hạn chưa giải quyết cuối kỳ: {}.\n\nPhát hiện {} đường dây (các báo cáo có chung số điện thoại, tài khoản hoặc trang web).\n\nGửi {} đề nghị tạm giữ đến ngân hàng; đã tạm giữ {} tài khoản với số tiền {} đồng; ngân hàng từ chối {} đề nghị. Thời gian từ khi người dân báo đến khi tạm giữ: trung vị {} giờ, 90% trong {} giờ. Trả lại cho bị hại {} lần, số tiền {} đồng.",
        s.value("received"),
        s.value("case_opened"),
        s.value("no_case"),
        s.value("suspended"),
        s.value("transferred_out"),
        s.value("decided_in_time"),
        s.value("decided_late"),
        s.value("extended"),
        s.value("overdue"),
        s.value("rings"),
        s.value("hold_requests"),
        s.value("holds"),
        format_vnd(s.value("held_vnd").max(0) as u64),
        s.value("hold_refused"),
        s.figure("hours_to_hold_median").map(|f| f.cell(0)).unwrap_or_default(),
        s.figure("hours_to_hold_p90").map(|f| f.cell(0)).unwrap_or_default(),
        s.value("returned"),
        format_vnd(s.value("returned_vnd").max(0) as u64),
    );
    let results = if ctx.campaigns.is_empty() {
        results
    } else {
        format!(
            "{results}\n\nCác đợt cao điểm trong kỳ:\n{}",
            list(&ctx.campaigns)
        )
    };
    let awareness = format!(
        "Phát hành {} bản tin cảnh báo. Các cơ quan, đơn vị báo cáo {} hoạt động tuyên truyền, tiếp cận {} lượt người; {} cơ quan có báo cáo.{}",
        s.value("bulletins"),
        s.value("activities"),
        s.value("reached"),
        s.value("agencies_active"),
        if ctx.silent_agencies.is_empty() {
            String::new()
        } else {
            format!(
                "\n\nCác cơ quan, đơn vị chưa báo cáo kết quả tuyên truyền trong kỳ:\n{}",
                list(&ctx.silent_agencies)
            )
        }
    );
    let difficulties = format!(
        "Thời gian từ khi người dân báo đến khi ngân hàng tạm giữ còn dài (90% trong {} giờ), trong khi tiền bị chuyển tiếp trong vài phút; {} đề nghị tạm giữ bị từ chối. (Cán bộ bổ sung các khó khăn khác trước khi xuất báo cáo.)",
        s.figure("hours_to_hold_p90").map(|f| f.cell(0)).unwrap_or_default(),
        s.value("hold_refused"),
    );
    let proposals = "Đề nghị UBND tỉnh chỉ đạo các sở, ngành, địa phương tiếp tục tuyên truyền theo các bản tin cảnh báo; các ngân hàng phản hồi đề nghị tạm giữ trong ngày; các doanh nghiệp viễn thông rà soát các số điện thoại bị báo cáo nhiều. (Cán bộ bổ sung, chỉnh sửa trước khi xuất báo cáo.)".to_string();
    [
        (
            "situation",
            "I. TÌNH HÌNH LỪA ĐẢO TRÊN KHÔNG GIAN MẠNG",
            situation,
        ),
        ("methods", "II. PHƯƠNG THỨC, THỦ ĐOẠN MỚI", methods),
        ("results", "III. KẾT QUẢ ĐẤU TRANH, XỬ LÝ", results),
        (
            "awareness",
            "IV. CÔNG TÁC TUYÊN TRUYỀN CỦA CÁC CƠ QUAN, ĐƠN VỊ",
            awareness,
        ),
        ("difficulties", "V. KHÓ KHĂN, VƯỚNG MẮC", difficulties),
        ("proposals", "VI. ĐỀ XUẤT, KIẾN NGHỊ", proposals),
    ]
    .into_iter()
    .map(|(key, title, text)| Section {
        key: key.into(),
        title: title.into(),
        text,
    })
    .collect()
}

/// What the document needs besides the sections and figures.
pub struct PeriodicContext<'a> {
    /// "Đồng Nai".
    pub province: &'a str,
    /// Number and symbol.
    pub number: &'a str,
    /// When drafted (the date line).
    pub dated: i64,
}

fn figures_table(s: &Snapshot) -> Table {
    let widths = [3_470, 1_400, 1_400, 1_400, 1_400];
    let heading = |t: &str, w: usize| cell(centered(t, true), w);
    let right = |t: &str, w: usize| {
        cell(
            Paragraph::new().add_run(run(t)).align(AlignmentType::Right),
            w,
        )
    };
    let mut rows = vec![TableRow::new(vec![
        heading("Chỉ tiêu", widths[0]),
        heading(&s.title, widths[1]),
        heading(&s.previous_title, widths[2]),
        heading(&format!("Cùng kỳ {}", s.year_title), widths[3]),
        heading("So với cùng kỳ", widths[4]),
    ])];
    let lang = canhgiac_core::i18n::Lang::Vi;
    for f in &s.figures {
        let value = |i: usize| figure_value(f, i);
        rows.push(TableRow::new(vec![
            cell(para(&f.label), widths[0]),
            right(&value(0), widths[1]),
            right(&value(1), widths[2]),
            right(&value(2), widths[3]),
            right(&f.change(1, &lang), widths[4]),
        ]));
    }
    Table::new(rows).set_grid(widths.to_vec())
}

/// The report as a DOCX file.
pub fn docx(
    s: &Snapshot,
    sections: &[Section],
    ctx: &PeriodicContext<'_>,
) -> Result<Vec<u8>, LetterError> {
    let half = TEXT_WIDTH / 2;
    let header = Table::new(vec![
        TableRow::new(vec![
            cell(
                centered(&format!("UBND TỈNH {}", upper(ctx.province)), false),
                half,
            ),
            cell(centered("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", true), half),
        ]),
        TableRow::new(vec![
            cell(
                centered(&format!("CÔNG AN TỈNH {}", upper(ctx.province)), true),
                half,
            ),
            cell(centered("Độc lập - Tự do - Hạnh phúc", true), half),
        ]),
        TableRow::new(vec![
            cell(centered(&format!("Số: {}", ctx.number), false), half),
            cell(
                Paragraph::new()
                    .add_run(run(&date_line(ctx.province, ctx.dated)).italic())
                    .align(AlignmentType::Center),
                half,
            ),
        ]),
    ])
    .set_borders(TableBorders::new().clear_all())
    .set_grid(vec![half, half]);
    let mut doc = Docx::new()
        .page_margin(PageMargin::new().top(1134).bottom(1134).left(1701).right(1134))
        .add_table(header)
        .add_paragraph(para(""))
        .add_paragraph(centered("BÁO CÁO", true))
        .add_paragraph(centered(
            &format!(
                "Kết quả công tác phòng ngừa, đấu tranh với tội phạm lừa đảo chiếm đoạt tài sản trên không gian mạng {}",
                s.title
            ),
            true,
        ))
        .add_paragraph(para(""))
        .add_paragraph(
            Paragraph::new()
                .add_run(run("Kính gửi: ").bold())
                .add_run(run(&format!("Ủy ban nhân dân tỉnh {}", ctx.province)).bold())
                .align(AlignmentType::Center),
        )
        .add_paragraph(para(""))
        .add_paragraph(
            para(&format!(
                "Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh về phòng ngừa, xử lý lừa đảo trên không gian mạng, Công an tỉnh {} báo cáo kết quả {} như sau:",
                ctx.province, s.title
            ))
            .align(AlignmentType::Both),
        );
    for section in sections {
        doc = doc.add_paragraph(Paragraph::new().add_run(run(&section.title).bold()));
        for text in section.text.split('\n') {
            doc = doc.add_paragraph(para(text.trim_end()).align(AlignmentType::Both));
        }
        if section.key == "results" {
            doc = doc
                .add_paragraph(para(""))
                .add_paragraph(Paragraph::new().add_run(run("Bảng số liệu").bold().italic()))
                .add_table(figures_table(s))
                .add_paragraph(para(""));
            for (caption, png) in s.charts() {
                // 16 cm across the text, in EMU (360,000 a centimetre)
                let width = 5_760_000u32;
                let height =
                    (u64::from(width) * u64::from(png.height) / u64::from(png.width.max(1))) as u32;
                let pic = docx_rs::Pic::new_with_dimensions(png.bytes, png.width, png.height)
                    .size(width, height);
                doc = doc
                    .add_paragraph(
                        Paragraph::new()
                            .add_run(docx_rs::Run::new().add_image(pic))
                            .align(AlignmentType::Center),
                    )
                    .add_paragraph(
                        Paragraph::new()
                            .add_run(run(&caption).italic())
                            .align(AlignmentType::Center),
                    );
            }
        }
    }
    doc = doc.add_paragraph(para("")).add_table(
        Table::new(vec![TableRow::new(vec![
            TableCell::new()
                .add_paragraph(Paragraph::new().add_run(run("Nơi nhận:").bold().italic()))
                .add_paragraph(para(&format!("- UBND tỉnh {} (để báo cáo);", ctx.province)))
                .add_paragraph(para("- Các sở, ngành liên quan;"))
                .add_paragraph(para("- Lưu: VT, PA05."))
                .width(half, WidthType::Dxa),
            TableCell::new()
                .add_paragraph(centered("GIÁM ĐỐC", true))
                .add_paragraph(
                    Paragraph::new()
                        .add_run(run("(Ký, ghi rõ họ tên, đóng dấu)").italic())
                        .align(AlignmentType::Center),
                )
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

/// The head of the PDF: the issuing body beside the national motto, then the number
/// beside the place and date.
fn pdf_header(pages: &mut Pages, ctx: &PeriodicContext<'_>) {
    let half = pdf_pages::TEXT_WIDTH / 2.0;
    let centred = |face, size: f32, text: String| Cell {
        text,
        style: Style::new(face, size).align(Align::Center),
    };
    pages.columns(&[
        (
            half * 0.8,
            vec![
                centred(
                    Face::Regular,
                    12.0,
                    format!("UBND TỈNH {}", upper(ctx.province)),
                ),
                centred(
                    Face::Bold,
                    12.0,
                    format!("CÔNG AN TỈNH {}", upper(ctx.province)),
                ),
            ],
        ),
        (
            half * 1.2,
            vec![
                centred(
                    Face::Bold,
                    12.0,
                    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM".into(),
                ),
                centred(Face::Bold, 13.0, "Độc lập - Tự do - Hạnh phúc".into()),
            ],
        ),
    ]);
    pages.rule_under(pdf_pages::LEFT + half * 0.8 + half * 0.6, 150.0);
    pages.space(6.0);
    pages.columns(&[
        (
            half * 0.8,
            vec![centred(Face::Regular, 13.0, format!("Số: {}", ctx.number))],
        ),
        (
            half * 1.2,
            vec![centred(
                Face::Italic,
                13.0,
                date_line(ctx.province, ctx.dated),
            )],
        ),
    ]);
}

/// The report as a PDF file: the same layout and content as [`docx`] (Liberation
/// Serif for Times New Roman), with the charts as pictures.
pub fn pdf(
    s: &Snapshot,
    sections: &[Section],
    ctx: &PeriodicContext<'_>,
) -> Result<Vec<u8>, PdfError> {
    let body = Style::new(Face::Regular, 13.0)
        .align(Align::Justify)
        .indent(1.0 * 72.0 / 2.54);
    let bold_centred = Style::new(Face::Bold, 14.0).align(Align::Center);
    let mut pages = Pages::new();
    pdf_header(&mut pages, ctx);
    pages.space(18.0);
    pages.paragraph("BÁO CÁO", &bold_centred);
    pages.paragraph(
        &format!(
            "Kết quả công tác phòng ngừa, đấu tranh với tội phạm lừa đảo chiếm đoạt tài sản trên không gian mạng {}",
            s.title
        ),
        &Style::new(Face::Bold, 14.0).align(Align::Center),
    );
    pages.space(10.0);
    pages.paragraph(
        &format!("Kính gửi: Ủy ban nhân dân tỉnh {}", ctx.province),
        &Style::new(Face::Bold, 13.0).align(Align::Center),
    );
    pages.space(10.0);
    pages.paragraph(
        &format!(
            "Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh về phòng ngừa, xử lý lừa đảo trên không gian mạng, Công an tỉnh {} báo cáo kết quả {} như sau:",
            ctx.province, s.title
        ),
        &body,
    );
    for section in sections {
        pages.space(6.0);
        pages.paragraph(
            &section.title,
            &Style::new(Face::Bold, 13.0).align(Align::Justify),
        );
        for text in section.text.split('\n') {
            pages.space(3.0);
            pages.paragraph(text.trim_end(), &body);
        }
        if section.key == "results" {
            pages.space(8.0);
            pages.paragraph("Bảng số liệu", &Style::new(Face::BoldItalic, 13.0));
            pages.space(3.0);
            pages.table(&figure_widths(), &figure_rows(s));
            for (caption, png) in s.charts() {
                pages.space(8.0);
                pages.picture(png.bytes, (png.width, png.height), pdf_pages::TEXT_WIDTH);
                pages.paragraph(
                    &caption,
                    &Style::new(Face::Italic, 12.0).align(Align::Center),
                );
            }
        }
    }
    pages.space(16.0);
    let half = pdf_pages::TEXT_WIDTH / 2.0;
    let small = |face, text: &str| Cell {
        text: text.to_string(),
        style: Style::new(face, 11.0),
    };
    pages.columns(&[
        (
            half,
            vec![
                Cell {
                    text: "Nơi nhận:".into(),
                    style: Style::new(Face::BoldItalic, 12.0),
                },
                small(
                    Face::Regular,
                    &format!("- UBND tỉnh {} (để báo cáo);", ctx.province),
                ),
                small(Face::Regular, "- Các sở, ngành liên quan;"),
                small(Face::Regular, "- Lưu: VT, PA05."),
            ],
        ),
        (
            half,
            vec![
                Cell {
                    text: "GIÁM ĐỐC".into(),
                    style: Style::new(Face::Bold, 13.0).align(Align::Center),
                },
                Cell {
                    text: "(Ký, ghi rõ họ tên, đóng dấu)".into(),
                    style: Style::new(Face::Italic, 13.0).align(Align::Center),
                },
            ],
        ),
    ]);
    pages.pdf(&format!("Báo cáo {}", s.title))
}

fn figure_widths() -> [f32; 5] {
    let w = pdf_pages::TEXT_WIDTH;
    let rest = w * 0.62 / 4.0;
    [w - 4.0 * rest, rest, rest, rest, rest]
}

/// The figures table as cells: a heading row, then one row per figure.
fn figure_rows(s: &Snapshot) -> Vec<Vec<Cell>> {
    let heading = |t: &str| Cell {
        text: t.to_string(),
        style: Style::new(Face::Bold, 11.0).align(Align::Center),
    };
    let right = |t: String| Cell {
        text: t,
        style: Style::new(Face::Regular, 11.0).align(Align::Right),
    };
    let mut rows = vec![vec![
        heading("Chỉ tiêu"),
        heading(&s.title),
        heading(&s.previous_title),
        heading(&format!("Cùng kỳ {}", s.year_title)),
        heading("So với cùng kỳ"),
    ]];
    let lang = canhgiac_core::i18n::Lang::Vi;
    for f in &s.figures {
        let value = |i: usize| figure_value(f, i);
        rows.push(vec![
            Cell {
                text: f.label.clone(),
                style: Style::new(Face::Regular, 11.0),
            },
            right(value(0)),
            right(value(1)),
            right(value(2)),
            right(f.change(1, &lang)),
        ]);
    }
    rows
}

/// A figure as the tables print it: "—" when unknown, money with separators.
fn figure_value(f: &Figure, i: usize) -> String {
    match (f.unit, [f.value, f.previous, f.year_before][i]) {
        (_, None) => "—".to_string(),
        (FigureUnit::Vnd, Some(v)) => format_vnd(v.max(0) as u64),
        (_, Some(v)) => v.to_string(),
    }
}
