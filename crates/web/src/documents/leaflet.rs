//! The printable A5 leaflet of a bulletin, as PDF: a red band with the heading,
//! the warning signs, what to do, the police hotline in large type, and a QR code
//! that opens the check page. Text is Noto Sans (embedded, subset by krilla), wrapped
//! by hand from the font's advance widths; the QR code is drawn as squares.

use crate::pages::PageError;
use canhgiac_core::bulletin::{Leaflet, HOTLINE};
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::Fill;
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use krilla::Document;
use once_cell::sync::Lazy;

const REGULAR: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Regular.ttf");
const BOLD: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Bold.ttf");

/// A5 in points.
const WIDTH: f32 = 419.53;
const HEIGHT: f32 = 595.28;
const MARGIN: f32 = 28.0;

/// Why a leaflet could not be made.
#[derive(Debug, thiserror::Error)]
pub enum LeafletError {
    /// The embedded font did not load (a broken build).
    #[error("the leaflet font does not load")]
    Font,
    /// The link does not fit a QR code.
    #[error("the link does not fit a QR code: {0}")]
    Qr(#[from] qrcode::types::QrError),
    /// krilla refused the document.
    #[error("the PDF could not be written: {0:?}")]
    Pdf(krilla::error::KrillaError),
}

struct Fonts {
    regular: Font,
    bold: Font,
    regular_face: ttf_parser::Face<'static>,
    bold_face: ttf_parser::Face<'static>,
}

static FONTS: Lazy<Option<Fonts>> = Lazy::new(|| {
    Some(Fonts {
        regular: Font::new(REGULAR.to_vec().into(), 0)?,
        bold: Font::new(BOLD.to_vec().into(), 0)?,
        regular_face: ttf_parser::Face::parse(REGULAR, 0).ok()?,
        bold_face: ttf_parser::Face::parse(BOLD, 0).ok()?,
    })
});

/// Width of `text` at `size` points.
fn width(face: &ttf_parser::Face<'_>, text: &str, size: f32) -> f32 {
    let units: u32 = text
        .chars()
        .map(|c| {
            face.glyph_index(c)
                .and_then(|g| face.glyph_hor_advance(g))
                .map(u32::from)
                .unwrap_or(u32::from(face.units_per_em()) / 2)
        })
        .sum();
    units as f32 / f32::from(face.units_per_em()) * size
}

/// Breaks `text` into lines no wider than `max` (a word longer than a line is cut).
fn wrap(face: &ttf_parser::Face<'_>, text: &str, size: f32, max: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if width(face, &candidate, size) <= max {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        // a single word wider than the line: cut it
        let mut piece = String::new();
        for c in word.chars() {
            piece.push(c);
            if width(face, &piece, size) > max {
                piece.pop();
                lines.push(std::mem::take(&mut piece));
                piece.push(c);
            }
        }
        line = piece;
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

fn fill(surface: &mut Surface<'_>, r: u8, g: u8, b: u8) {
    surface.set_fill(Some(Fill {
        paint: rgb::Color::new(r, g, b).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }));
}

fn rect(surface: &mut Surface<'_>, x: f32, y: f32, w: f32, h: f32) {
    let mut pb = PathBuilder::new();
    if let Some(r) = Rect::from_xywh(x, y, w, h) {
        pb.push_rect(r);
    }
    if let Some(path) = pb.finish() {
        surface.draw_path(&path);
    }
}

/// Writes lines from `y` (the first baseline) down; returns the next baseline.
fn lines(
    surface: &mut Surface<'_>,
    font: &Font,
    rows: &[String],
    x: f32,
    mut y: f32,
    size: f32,
) -> f32 {
    for row in rows {
        surface.draw_text(
            Point::from_xy(x, y),
            font.clone(),
            size,
            row,
            false,
            TextDirection::Auto,
        );
        y += size * 1.3;
    }
    y
}

/// The leaflet as PDF bytes. `check_url` goes in the QR code and under it.
pub fn render(leaflet: &Leaflet, check_url: &str, issuer: &str) -> Result<Vec<u8>, LeafletError> {
    let fonts = FONTS.as_ref().ok_or(LeafletError::Font)?;
    let qr = qrcode::QrCode::new(check_url.as_bytes())?;
    let mut document = Document::new();
    let settings = PageSettings::from_wh(WIDTH, HEIGHT).ok_or(LeafletError::Font)?;
    let mut page = document.start_page_with(settings);
    let mut s = page.surface();
    let band = draw_heading(&mut s, fonts, &leaflet.heading);
    draw_lists(&mut s, fonts, leaflet, band);
    draw_footer(&mut s, fonts, &qr, check_url);
    draw_issuer(&mut s, fonts, issuer);
    s.finish();
    page.finish();
    document.finish().map_err(LeafletError::Pdf)
}

/// The red band with the heading, shrunk until it fits in three lines; answers
/// the band's height.
fn draw_heading(s: &mut Surface<'_>, fonts: &Fonts, text: &str) -> f32 {
    let text_width = WIDTH - 2.0 * MARGIN;
    let mut heading_size = 26.0;
    let mut heading = wrap(&fonts.bold_face, text, heading_size, text_width);
    while heading.len() > 3 && heading_size > 14.0 {
        heading_size -= 2.0;
        heading = wrap(&fonts.bold_face, text, heading_size, text_width);
    }
    let band = 24.0 + heading.len() as f32 * heading_size * 1.3;
    fill(s, 185, 28, 28);
    rect(s, 0.0, 0.0, WIDTH, band);
    fill(s, 255, 255, 255);
    lines(
        s,
        &fonts.bold,
        &heading,
        MARGIN,
        14.0 + heading_size,
        heading_size,
    );
    band
}

/// The two lists, shrunk together until they leave room for the footer.
fn draw_lists(s: &mut Surface<'_>, fonts: &Fonts, leaflet: &Leaflet, band: f32) {
    let text_width = WIDTH - 2.0 * MARGIN;
    let footer_top = HEIGHT - 150.0;
    let mut size = 14.0;
    let layout = |size: f32| -> (Vec<String>, Vec<String>) {
        let bullets = |items: &[String]| -> Vec<String> {
            items
                .iter()
                .flat_map(|item| {
                    let mut rows = wrap(&fonts.regular_face, item, size, text_width - 12.0);
                    if let Some(first) = rows.first_mut() {
                        *first = format!("• {first}");
                    }
                    for row in rows.iter_mut().skip(1) {
                        *row = format!("   {row}");
                    }
                    rows
                })
                .collect()
        };
        (bullets(&leaflet.red_flags), bullets(&leaflet.advice))
    };
    let (mut flags, mut advice) = layout(size);
    let height = |size: f32, n: usize| 2.0 * (size * 1.6 + 10.0) + n as f32 * size * 1.3;
    while band + 18.0 + height(size, flags.len() + advice.len()) > footer_top && size > 8.0 {
        size -= 1.0;
        (flags, advice) = layout(size);
    }
    let mut y = band + 18.0 + size * 1.2;
    fill(s, 185, 28, 28);
    y = lines(
        s,
        &fonts.bold,
        &["DẤU HIỆU LỪA ĐẢO".to_string()],
        MARGIN,
        y,
        size * 1.2,
    );
    fill(s, 17, 24, 39);
    y = lines(s, &fonts.regular, &flags, MARGIN, y + 2.0, size) + 8.0;
    fill(s, 21, 94, 58);
    y = lines(
        s,
        &fonts.bold,
        &["CẦN LÀM NGAY".to_string()],
        MARGIN,
        y,
        size * 1.2,
    );
    fill(s, 17, 24, 39);
    lines(s, &fonts.regular, &advice, MARGIN, y + 2.0, size);
}

/// The footer: the hotline on the left, the QR code of the check page on the right.
fn draw_footer(s: &mut Surface<'_>, fonts: &Fonts, qr: &qrcode::QrCode, check_url: &str) {
    let text_width = WIDTH - 2.0 * MARGIN;
    let qr_size = 110.0;
    let cells = qr.width() as f32 + 8.0; // 4 cells of quiet zone each side
    let cell = qr_size / cells;
    let qr_x = WIDTH - MARGIN - qr_size;
    let qr_y = HEIGHT - MARGIN - qr_size - 12.0;
    fill(s, 255, 255, 255);
    rect(s, qr_x, qr_y, qr_size, qr_size);
    fill(s, 0, 0, 0);
    let mut pb = PathBuilder::new();
    let n = qr.width();
    for (i, c) in qr.to_colors().iter().enumerate() {
        if *c == qrcode::Color::Dark {
            let (col, row) = ((i % n) as f32 + 4.0, (i / n) as f32 + 4.0);
            if let Some(r) = Rect::from_xywh(qr_x + col * cell, qr_y + row * cell, cell, cell) {
                pb.push_rect(r);
            }
        }
    }
    if let Some(path) = pb.finish() {
        s.draw_path(&path);
    }
    let url_rows = wrap(&fonts.regular_face, check_url, 7.0, qr_size + 10.0);
    lines(
        s,
        &fonts.regular,
        &url_rows,
        qr_x,
        qr_y + qr_size + 9.0,
        7.0,
    );

    let left = text_width - qr_size - 12.0;
    fill(s, 185, 28, 28);
    let y = lines(
        s,
        &fonts.bold,
        &wrap(
            &fonts.bold_face,
            "Bị lừa hoặc nghi ngờ? Gọi ngay",
            13.0,
            left,
        ),
        MARGIN,
        qr_y + 14.0,
        13.0,
    );
    lines(
        s,
        &fonts.bold,
        &[HOTLINE.to_string()],
        MARGIN,
        y + 34.0,
        48.0,
    );
    fill(s, 17, 24, 39);
    lines(
        s,
        &fonts.regular,
        &wrap(
            &fonts.regular_face,
            "hoặc đến Công an xã, phường nơi gần nhất. Quét mã để kiểm tra số điện thoại, tài khoản, đường link trước khi chuyển tiền.",
            9.0,
            left,
        ),
        MARGIN,
        y + 56.0,
        9.0,
    );
}

/// Who issued the leaflet, at its foot.
fn draw_issuer(s: &mut Surface<'_>, fonts: &Fonts, issuer: &str) {
    fill(s, 75, 85, 99);
    let rows = wrap(
        &fonts.regular_face,
        &format!("Phát hành: {issuer}"),
        8.0,
        WIDTH - 2.0 * MARGIN,
    );
    lines(
        s,
        &fonts.regular,
        &rows[..rows.len().min(1)],
        MARGIN,
        HEIGHT - 10.0,
        8.0,
    );
}

/// The leaflet of a bulletin as a PDF response; its QR code leads to the check
/// page of the site at `public_url`; `issuer` is printed at its foot.
pub fn response(
    public_url: &str,
    issuer: &str,
    b: &canhgiac_store::bulletins::Bulletin,
) -> Result<axum::response::Response, PageError> {
    let check_url = format!("{public_url}/kiem-tra");
    match render(&b.drafts.leaflet, &check_url, issuer) {
        Ok(pdf) => Ok(axum::response::IntoResponse::into_response((
            [
                (
                    axum::http::header::CONTENT_TYPE,
                    "application/pdf".to_string(),
                ),
                (
                    axum::http::header::CONTENT_DISPOSITION,
                    format!("inline; filename=\"to-roi-canh-bao-{}.pdf\"", b.id),
                ),
            ],
            pdf,
        ))),
        Err(e) => Err(PageError::unavailable("leaflet", e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_wraps_within_the_width_and_keeps_every_word() {
        let fonts = FONTS.as_ref().expect("fonts load");
        let text = "Không chuyển tiền, không đọc mã OTP cho bất kỳ ai tự xưng là công an, ngân hàng hay nhà mạng";
        let rows = wrap(&fonts.regular_face, text, 14.0, 200.0);
        assert!(rows.len() > 2);
        assert!(rows
            .iter()
            .all(|r| width(&fonts.regular_face, r, 14.0) <= 200.0));
        assert_eq!(rows.join(" "), text);
    }

    #[test]
    fn a_leaflet_renders_with_an_embedded_font() {
        let leaflet = Leaflet {
            heading: "CẢNH GIÁC: GIẢ DANH CÔNG AN".into(),
            red_flags: vec!["Người lạ xưng công an gọi điện lấy lời khai".into()],
            advice: vec!["Cúp máy; không chuyển tiền.".into()],
        };
        let pdf = render(
            &leaflet,
            "https://example.vn/kiem-tra",
            "Công an tỉnh Đồng Nai",
        )
        .expect("renders");
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(
            pdf.len() < 200_000,
            "{} bytes: the font is subset",
            pdf.len()
        );
    }
}
