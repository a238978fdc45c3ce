//! A4 administrative documents as PDF: text flowed down pages in Liberation Serif
//! (metric-compatible with Times New Roman, which Decree 30/2020/NĐ-CP asks for and
//! which we may not ship), justified paragraphs, side-by-side blocks (the header and
//! the signature), ruled tables that break between rows, and PNG pictures. Layout is
//! a pure step ([`Pages`] holds positioned items, tested without a PDF); [`Pages::pdf`]
//! draws them with krilla, which embeds and subsets the fonts.
//!
//! Written here because no crate lays out flowing text over krilla: krilla draws a
//! line of text where it is told; the line breaking, justification and pagination
//! are ours (widths come from the font's advances through ttf-parser).

use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Size, Transform};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font, TextDirection};
use krilla::Document;
use once_cell::sync::Lazy;

const REGULAR: &[u8] = include_bytes!("../../assets/fonts/LiberationSerif-Regular.ttf");
const BOLD: &[u8] = include_bytes!("../../assets/fonts/LiberationSerif-Bold.ttf");
const ITALIC: &[u8] = include_bytes!("../../assets/fonts/LiberationSerif-Italic.ttf");
const BOLD_ITALIC: &[u8] = include_bytes!("../../assets/fonts/LiberationSerif-BoldItalic.ttf");

/// A4 in points.
pub const PAGE_WIDTH: f32 = 595.28;
/// A4 in points.
pub const PAGE_HEIGHT: f32 = 841.89;
const MM: f32 = 72.0 / 25.4;
/// Decree 30's margins: top and bottom 20 mm, left 30 mm, right 15–20 mm.
const TOP: f32 = 20.0 * MM;
const BOTTOM: f32 = 20.0 * MM;
/// The left margin.
pub const LEFT: f32 = 30.0 * MM;
const RIGHT: f32 = 20.0 * MM;
/// The width text may take.
pub const TEXT_WIDTH: f32 = PAGE_WIDTH - LEFT - RIGHT;

/// Why a PDF could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// An embedded font did not load (a broken build).
    #[error("the document font does not load")]
    Font,
    /// A picture is not a PNG krilla reads.
    #[error("a picture does not load: {0}")]
    Picture(String),
    /// krilla refused the document.
    #[error("the PDF could not be written: {0:?}")]
    Pdf(krilla::error::KrillaError),
}

/// The four faces of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Face {
    /// Upright.
    Regular,
    /// Bold.
    Bold,
    /// Italic.
    Italic,
    /// Bold italic.
    BoldItalic,
}

struct Fonts {
    pdf: [Font; 4],
    metrics: [ttf_parser::Face<'static>; 4],
}

static FONTS: Lazy<Option<Fonts>> = Lazy::new(|| {
    let bytes = [REGULAR, BOLD, ITALIC, BOLD_ITALIC];
    let pdf = [
        Font::new(bytes[0].to_vec().into(), 0)?,
        Font::new(bytes[1].to_vec().into(), 0)?,
        Font::new(bytes[2].to_vec().into(), 0)?,
        Font::new(bytes[3].to_vec().into(), 0)?,
    ];
    let metrics = [
        ttf_parser::Face::parse(bytes[0], 0).ok()?,
        ttf_parser::Face::parse(bytes[1], 0).ok()?,
        ttf_parser::Face::parse(bytes[2], 0).ok()?,
        ttf_parser::Face::parse(bytes[3], 0).ok()?,
    ];
    Some(Fonts { pdf, metrics })
});

fn index(face: Face) -> usize {
    match face {
        Face::Regular => 0,
        Face::Bold => 1,
        Face::Italic => 2,
        Face::BoldItalic => 3,
    }
}

/// How text sits on its line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Flush left.
    Left,
    /// Centred.
    Center,
    /// Flush right.
    Right,
    /// Both edges (the last line flush left).
    Justify,
}

/// A run of text in one face and size.
#[derive(Debug, Clone)]
pub struct Style {
    /// Which face.
    pub face: Face,
    /// Points.
    pub size: f32,
    /// Where on the line.
    pub align: Align,
    /// Extra indent of the first line, in points.
    pub first_indent: f32,
}

impl Style {
    /// Upright text of `size` points, flush left.
    pub fn new(face: Face, size: f32) -> Style {
        Style {
            face,
            size,
            align: Align::Left,
            first_indent: 0.0,
        }
    }

    /// The same, aligned.
    pub fn align(mut self, align: Align) -> Style {
        self.align = align;
        self
    }

    /// The same, with its first line indented.
    pub fn indent(mut self, points: f32) -> Style {
        self.first_indent = points;
        self
    }

    fn line_height(&self) -> f32 {
        self.size * 1.2
    }
}

/// One thing placed on a page (coordinates from the top left, in points).
#[derive(Debug, Clone)]
pub enum Item {
    /// A word or a line of text; `y` is its baseline.
    Text {
        /// Left edge.
        x: f32,
        /// Baseline.
        y: f32,
        /// Face.
        face: Face,
        /// Points.
        size: f32,
        /// The text.
        text: String,
    },
    /// A thin line.
    Rule {
        /// Start.
        from: (f32, f32),
        /// End.
        to: (f32, f32),
    },
    /// A picture (an index into the pictures).
    Picture {
        /// Left edge.
        x: f32,
        /// Top edge.
        y: f32,
        /// Width drawn.
        width: f32,
        /// Height drawn.
        height: f32,
        /// Which picture.
        picture: usize,
    },
}

/// A cell of a table.
#[derive(Debug, Clone)]
pub struct Cell {
    /// Its text (lines separated by `\n`).
    pub text: String,
    /// How it is written.
    pub style: Style,
}

/// Text flowed down A4 pages.
pub struct Pages {
    /// The items of each page.
    pub pages: Vec<Vec<Item>>,
    pictures: Vec<Vec<u8>>,
    y: f32,
    number_pages: bool,
}

/// Width of `text` in `face` at `size` points.
pub fn width(face: Face, text: &str, size: f32) -> f32 {
    let Some(fonts) = FONTS.as_ref() else {
        return text.chars().count() as f32 * size * 0.5;
    };
    let f = &fonts.metrics[index(face)];
    let units: u32 = text
        .chars()
        .map(|c| {
            f.glyph_index(c)
                .and_then(|g| f.glyph_hor_advance(g))
                .map(u32::from)
                .unwrap_or(u32::from(f.units_per_em()) / 2)
        })
        .sum();
    units as f32 / f32::from(f.units_per_em()) * size
}

/// Breaks a paragraph into lines of words no wider than `max` (the first line
/// `first_max`); a word wider than a line is cut.
pub fn break_lines(
    face: Face,
    text: &str,
    size: f32,
    first_max: f32,
    max: f32,
) -> Vec<Vec<String>> {
    let space = width(face, " ", size);
    let mut lines: Vec<Vec<String>> = Vec::new();
    let mut line: Vec<String> = Vec::new();
    let mut used = 0.0;
    let limit = |lines: &Vec<Vec<String>>| if lines.is_empty() { first_max } else { max };
    for word in text.split_whitespace() {
        let w = width(face, word, size);
        let needed = if line.is_empty() { w } else { used + space + w };
        if needed <= limit(&lines) {
            line.push(word.to_string());
            used = needed;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if w <= limit(&lines) {
            line.push(word.to_string());
            used = w;
            continue;
        }
        // a single word wider than the line: cut it
        let mut piece = String::new();
        for c in word.chars() {
            piece.push(c);
            if width(face, &piece, size) > limit(&lines) {
                piece.pop();
                lines.push(vec![std::mem::take(&mut piece)]);
                piece.push(c);
            }
        }
        used = width(face, &piece, size);
        line.push(piece);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

impl Default for Pages {
    fn default() -> Self {
        Pages::new()
    }
}

impl Pages {
    /// An empty first page; pages after the first are numbered at the top, as
    /// Decree 30 asks.
    pub fn new() -> Pages {
        Pages {
            pages: vec![Vec::new()],
            pictures: Vec::new(),
            y: TOP,
            number_pages: true,
        }
    }

    fn bottom() -> f32 {
        PAGE_HEIGHT - BOTTOM
    }

    fn items(&mut self) -> &mut Vec<Item> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    /// Starts a new page.
    pub fn break_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = TOP;
    }

    /// Breaks the page unless `height` more fits.
    fn room_for(&mut self, height: f32) {
        if self.y + height > Self::bottom() && self.y > TOP + 1.0 {
            self.break_page();
        }
    }

    /// Vertical space.
    pub fn space(&mut self, points: f32) {
        self.y += points;
    }

    /// Places lines of words within `[x, x + w]`; returns the baseline after. A
    /// justified last line is stretched only when `stretch_last` (a paragraph placed
    /// line by line).
    fn place_lines(
        items: &mut Vec<Item>,
        lines: &[Vec<String>],
        style: &Style,
        (x, w): (f32, f32),
        mut y: f32,
        stretch_last: bool,
    ) -> f32 {
        let space = width(style.face, " ", style.size);
        for (i, words) in lines.iter().enumerate() {
            let indent = if i == 0 { style.first_indent } else { 0.0 };
            let avail = w - indent;
            let text = words.join(" ");
            let natural = width(style.face, &text, style.size);
            y += style.line_height();
            let last = i + 1 == lines.len() && !stretch_last;
            match style.align {
                Align::Justify if !last && words.len() > 1 => {
                    let words_width: f32 = words
                        .iter()
                        .map(|wd| width(style.face, wd, style.size))
                        .sum();
                    let gap = ((avail - words_width) / (words.len() - 1) as f32).max(space);
                    let mut at = x + indent;
                    for wd in words {
                        items.push(Item::Text {
                            x: at,
                            y: y - style.size * 0.25,
                            face: style.face,
                            size: style.size,
                            text: wd.clone(),
                        });
                        at += width(style.face, wd, style.size) + gap;
                    }
                }
                _ => {
                    let left = match style.align {
                        Align::Center => x + indent + (avail - natural).max(0.0) / 2.0,
                        Align::Right => x + indent + (avail - natural).max(0.0),
                        _ => x + indent,
                    };
                    items.push(Item::Text {
                        x: left,
                        y: y - style.size * 0.25,
                        face: style.face,
                        size: style.size,
                        text,
                    });
                }
            }
        }
        y
    }

    fn lines_of(text: &str, style: &Style, w: f32) -> Vec<Vec<String>> {
        text.split('\n')
            .flat_map(|p| {
                let lines = break_lines(style.face, p, style.size, w - style.first_indent, w);
                if lines.is_empty() {
                    vec![Vec::new()]
                } else {
                    lines
                }
            })
            .collect()
    }

    /// A paragraph across the text width, broken across pages between lines.
    pub fn paragraph(&mut self, text: &str, style: &Style) {
        let lines = break_lines(
            style.face,
            text,
            style.size,
            TEXT_WIDTH - style.first_indent,
            TEXT_WIDTH,
        );
        if lines.is_empty() {
            self.y += style.line_height();
            return;
        }
        let count = lines.len();
        for (i, line) in lines.iter().enumerate() {
            self.room_for(style.line_height());
            let mut s = style.clone();
            if i > 0 {
                s.first_indent = 0.0;
            }
            let mut placed = Vec::new();
            let y = Self::place_lines(
                &mut placed,
                std::slice::from_ref(line),
                &s,
                (LEFT, TEXT_WIDTH),
                self.y,
                i + 1 < count,
            );
            self.items().extend(placed);
            self.y = y;
        }
    }

    /// Blocks side by side (the header, the signature): each column a list of
    /// cells written one under the other; the page moves past the tallest.
    pub fn columns(&mut self, columns: &[(f32, Vec<Cell>)]) {
        let height: f32 = columns
            .iter()
            .map(|(w, cells)| {
                cells
                    .iter()
                    .map(|c| {
                        Self::lines_of(&c.text, &c.style, *w).len() as f32 * c.style.line_height()
                    })
                    .sum::<f32>()
            })
            .fold(0.0, f32::max);
        self.room_for(height);
        let top = self.y;
        let mut x = LEFT;
        let mut bottom = top;
        let mut placed = Vec::new();
        for (w, cells) in columns {
            let mut y = top;
            for c in cells {
                let lines = Self::lines_of(&c.text, &c.style, *w);
                y = Self::place_lines(&mut placed, &lines, &c.style, (x, *w), y, false);
            }
            bottom = bottom.max(y);
            x += w;
        }
        self.items().extend(placed);
        self.y = bottom;
    }

    /// A short rule centred under the text above (under the national motto).
    pub fn rule_under(&mut self, centre: f32, length: f32) {
        let y = self.y + 2.0;
        self.items().push(Item::Rule {
            from: (centre - length / 2.0, y),
            to: (centre + length / 2.0, y),
        });
        self.y += 4.0;
    }

    /// A ruled table; rows never split, the page breaks between them and the first
    /// row (the heading) is repeated on the new page.
    pub fn table(&mut self, widths: &[f32], rows: &[Vec<Cell>]) {
        const PAD: f32 = 3.0;
        let height_of = |row: &Vec<Cell>| -> f32 {
            row.iter()
                .zip(widths)
                .map(|(c, w)| {
                    Self::lines_of(&c.text, &c.style, w - 2.0 * PAD).len() as f32
                        * c.style.line_height()
                })
                .fold(0.0, f32::max)
                + 2.0 * PAD
        };
        let total: f32 = widths.iter().sum();
        let draw_row = |pages: &mut Pages, row: &Vec<Cell>, h: f32| {
            let top = pages.y;
            let mut x = LEFT;
            let mut placed = Vec::new();
            placed.push(Item::Rule {
                from: (LEFT, top),
                to: (LEFT + total, top),
            });
            placed.push(Item::Rule {
                from: (LEFT, top + h),
                to: (LEFT + total, top + h),
            });
            placed.push(Item::Rule {
                from: (x, top),
                to: (x, top + h),
            });
            for (c, w) in row.iter().zip(widths) {
                let lines = Self::lines_of(&c.text, &c.style, w - 2.0 * PAD);
                Self::place_lines(
                    &mut placed,
                    &lines,
                    &c.style,
                    (x + PAD, w - 2.0 * PAD),
                    top + PAD,
                    false,
                );
                x += w;
                placed.push(Item::Rule {
                    from: (x, top),
                    to: (x, top + h),
                });
            }
            pages.items().extend(placed);
            pages.y = top + h;
        };
        let Some(heading) = rows.first() else {
            return;
        };
        let heading_height = height_of(heading);
        self.room_for(heading_height * 2.0);
        draw_row(self, heading, heading_height);
        for row in &rows[1..] {
            let h = height_of(row);
            if self.y + h > Self::bottom() {
                self.break_page();
                draw_row(self, heading, heading_height);
            }
            draw_row(self, row, h);
        }
    }

    /// A PNG picture `width` points wide across the text, scaled to keep its
    /// proportions; on a new page if it does not fit.
    pub fn picture(&mut self, png: Vec<u8>, pixels: (u32, u32), width: f32) {
        let width = width.min(TEXT_WIDTH);
        let height = width * pixels.1 as f32 / pixels.0.max(1) as f32;
        self.room_for(height);
        let x = LEFT + (TEXT_WIDTH - width) / 2.0;
        let y = self.y;
        self.pictures.push(png);
        let picture = self.pictures.len() - 1;
        self.items().push(Item::Picture {
            x,
            y,
            width,
            height,
            picture,
        });
        self.y += height;
    }

    /// The text of every page in order (tests read documents through this).
    #[cfg(test)]
    pub fn text(&self) -> Vec<String> {
        self.pages
            .iter()
            .map(|items| {
                items
                    .iter()
                    .filter_map(|i| match i {
                        Item::Text { text, .. } => Some(text.as_str()),
                        _ => None,
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    /// The document as PDF bytes.
    pub fn pdf(&self, title: &str) -> Result<Vec<u8>, PdfError> {
        let fonts = FONTS.as_ref().ok_or(PdfError::Font)?;
        let pictures = self
            .pictures
            .iter()
            .map(|png| {
                krilla::image::Image::from_png(png.clone().into(), true).map_err(PdfError::Picture)
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mut document = Document::new();
        let mut metadata = krilla::metadata::Metadata::new().title(title.to_string());
        metadata = metadata.language("vi".to_string());
        document.set_metadata(metadata);
        let settings = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT).ok_or(PdfError::Font)?;
        let black = Fill {
            paint: rgb::Color::new(0, 0, 0).into(),
            opacity: NormalizedF32::ONE,
            rule: Default::default(),
        };
        for (n, items) in self.pages.iter().enumerate() {
            let mut page = document.start_page_with(settings.clone());
            let mut s = page.surface();
            s.set_fill(Some(black.clone()));
            if self.number_pages && n > 0 {
                let label = (n + 1).to_string();
                let w = width(Face::Regular, &label, 13.0);
                s.draw_text(
                    Point::from_xy(LEFT + (TEXT_WIDTH - w) / 2.0, TOP - 18.0),
                    fonts.pdf[0].clone(),
                    13.0,
                    &label,
                    false,
                    TextDirection::Auto,
                );
            }
            for item in items {
                match item {
                    Item::Text {
                        x,
                        y,
                        face,
                        size,
                        text,
                    } => s.draw_text(
                        Point::from_xy(*x, *y),
                        fonts.pdf[index(*face)].clone(),
                        *size,
                        text,
                        false,
                        TextDirection::Auto,
                    ),
                    Item::Rule { from, to } => {
                        let mut pb = PathBuilder::new();
                        pb.move_to(from.0, from.1);
                        pb.line_to(to.0, to.1);
                        if let Some(path) = pb.finish() {
                            s.set_fill(None);
                            s.set_stroke(Some(Stroke {
                                width: 0.6,
                                ..Default::default()
                            }));
                            s.draw_path(&path);
                            s.set_stroke(None);
                            s.set_fill(Some(black.clone()));
                        }
                    }
                    Item::Picture {
                        x,
                        y,
                        width,
                        height,
                        picture,
                    } => {
                        if let (Some(image), Some(size)) =
                            (pictures.get(*picture), Size::from_wh(*width, *height))
                        {
                            s.push_transform(&Transform::from_translate(*x, *y));
                            s.draw_image(image.clone(), size);
                            s.pop();
                        }
                    }
                }
            }
            s.finish();
            page.finish();
        }
        document.finish().map_err(PdfError::Pdf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_serif_font_has_every_vietnamese_letter() {
        let fonts = FONTS.as_ref().expect("fonts load");
        let letters = "ĐđƯưƠơÂâÊêÔôĂăẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặẸẹẺẻẼẽẾếỀềỂểỄễỆệỈỉỊịỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợỤụỦủỨứỪừỬửỮữỰựỲỳỴỵỶỷỸỹ";
        for face in &fonts.metrics {
            let missing: String = letters
                .chars()
                .filter(|c| face.glyph_index(*c).is_none())
                .collect();
            assert!(missing.is_empty(), "missing {missing}");
        }
    }

    #[test]
    fn justified_lines_fill_the_width_and_keep_every_word() {
        let text = "Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh về phòng ngừa, xử lý lừa đảo trên không gian mạng, Công an tỉnh Đồng Nai báo cáo kết quả tháng 11/2026 như sau, với nhiều chi tiết hơn nữa để câu này dài ra qua ba dòng.";
        let mut pages = Pages::new();
        pages.paragraph(
            text,
            &Style::new(Face::Regular, 13.0)
                .align(Align::Justify)
                .indent(28.0),
        );
        let items = &pages.pages[0];
        let words: Vec<&str> = items
            .iter()
            .filter_map(|i| match i {
                Item::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(
            words.join(" ").split_whitespace().collect::<Vec<_>>(),
            text.split_whitespace().collect::<Vec<_>>()
        );
        // every word inside the margins; the first line's last word ends at the right edge
        let mut first_line_end: f32 = 0.0;
        let first_y = match &items[0] {
            Item::Text { y, .. } => *y,
            _ => unreachable!(),
        };
        for i in items {
            if let Item::Text {
                x,
                y,
                text,
                face,
                size,
            } = i
            {
                let end = x + width(*face, text, *size);
                assert!(
                    *x >= LEFT - 0.01 && end <= LEFT + TEXT_WIDTH + 0.5,
                    "{text} at {x}..{end}"
                );
                if (*y - first_y).abs() < 0.01 {
                    first_line_end = first_line_end.max(end);
                }
            }
        }
        assert!(
            (first_line_end - (LEFT + TEXT_WIDTH)).abs() < 0.5,
            "{first_line_end}"
        );
    }

    #[test]
    fn long_text_breaks_onto_numbered_pages_and_tables_repeat_their_heading() {
        let mut pages = Pages::new();
        let body = Style::new(Face::Regular, 13.0).align(Align::Justify);
        for i in 0..60 {
            pages.paragraph(
                &format!("Đoạn {i}: người dân báo cáo lừa đảo qua điện thoại và mạng xã hội."),
                &body,
            );
        }
        let cell = |t: &str| Cell {
            text: t.to_string(),
            style: Style::new(Face::Regular, 12.0),
        };
        let mut rows = vec![vec![cell("Chỉ tiêu"), cell("Kỳ này")]];
        for i in 0..80 {
            rows.push(vec![
                cell(&format!("Chỉ tiêu số {i}")),
                cell(&i.to_string()),
            ]);
        }
        pages.table(&[300.0, 150.0], &rows);
        assert!(pages.pages.len() >= 3, "{} pages", pages.pages.len());
        let text = pages.text();
        let headed = text
            .iter()
            .filter(|t| t.contains("Chỉ tiêu Kỳ này"))
            .count();
        assert!(
            headed >= 2,
            "the heading is repeated on each page of the table"
        );
        for items in &pages.pages {
            for i in items {
                if let Item::Text { y, .. } = i {
                    assert!(*y <= PAGE_HEIGHT - BOTTOM + 0.01 && *y >= TOP);
                }
            }
        }
        let pdf = pages.pdf("Thử").expect("a PDF");
        assert!(pdf.starts_with(b"%PDF-"));
    }
}
