//! Spreadsheet exports that are safe to open. In CSV, a cell that a spreadsheet
//! program would read as a formula (`=`, `+`, `-`, `@`, a tab or a carriage return
//! first) is prefixed with `'`, as OWASP's "CSV injection" advice says; every CSV the
//! console serves goes through [`csv_bytes`]. XLSX ([`xlsx_bytes`], written by
//! rust_xlsxwriter) stores text as text cells, never formulas, and whole numbers as
//! numbers so that they add up.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use std::borrow::Cow;

/// The two formats of a table export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// UTF-8 CSV with a byte-order mark.
    Csv,
    /// An Excel workbook of one sheet.
    Xlsx,
}

impl Format {
    fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
}

/// Why an export could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The CSV writer failed.
    #[error("csv: {0}")]
    Csv(#[from] csv::Error),
    /// The XLSX writer failed.
    #[error("xlsx: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
}

/// The rows (the first one the heading) as a download named `{stem}.csv|xlsx`.
pub fn download(
    rows: &[Vec<String>],
    stem: &str,
    sheet: &str,
    format: Format,
) -> Result<Response, ExportError> {
    let bytes = match format {
        Format::Csv => csv_bytes(rows)?,
        Format::Xlsx => xlsx_bytes(rows, sheet)?,
    };
    Ok((
        [
            (header::CONTENT_TYPE, format.content_type().to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{stem}.{}\"", format.extension()),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        bytes,
    )
        .into_response())
}

/// A cell's number when it is one: "120", "-3", "1.234.567" (Vietnamese thousands
/// separators) or "12,5" (a decimal comma). "< 5", "+12,5%", "—" and codes with a
/// leading zero stay text.
pub fn number_of(cell: &str) -> Option<f64> {
    let t = cell.trim();
    let digits = t.strip_prefix('-').unwrap_or(t);
    if digits.is_empty()
        || (digits.len() > 1 && digits.starts_with('0') && !digits.starts_with("0,"))
    {
        return None;
    }
    let (whole, fraction) = match digits.split_once(',') {
        Some((w, f)) if !f.is_empty() && f.chars().all(|c| c.is_ascii_digit()) => (w, Some(f)),
        Some(_) => return None,
        None => (digits, None),
    };
    let groups: Vec<&str> = whole.split('.').collect();
    let grouped =
        groups.len() == 1 || (groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3));
    if !grouped
        || !groups
            .iter()
            .all(|g| !g.is_empty() && g.chars().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    let plain = format!(
        "{}{}{}",
        if t.starts_with('-') { "-" } else { "" },
        groups.concat(),
        fraction.map(|f| format!(".{f}")).unwrap_or_default()
    );
    plain.parse().ok()
}

/// One sheet: the first row bold, numbers as numbers, every other cell as text.
pub fn xlsx_bytes(
    rows: &[Vec<String>],
    sheet: &str,
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let ws = book.add_worksheet();
    // a sheet name is at most 31 characters, without []:*?/\
    let name: String = sheet
        .chars()
        .filter(|c| !"[]*?".contains(*c))
        .map(|c| if "/\\:".contains(c) { '-' } else { c })
        .take(31)
        .collect();
    if !name.is_empty() {
        ws.set_name(name)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = u32::try_from(r).unwrap_or(u32::MAX);
        for (c, cell) in row.iter().enumerate() {
            let c = u16::try_from(c).unwrap_or(u16::MAX);
            if r == 0 {
                ws.write_string_with_format(r, c, cell, &bold)?;
            } else if let Some(n) = number_of(cell) {
                ws.write_number(r, c, n)?;
            } else {
                ws.write_string(r, c, cell)?;
            }
        }
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofit();
    book.save_to_buffer()
}

/// Characters that make a spreadsheet cell a formula when they come first.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// The cell as a spreadsheet program must see it: text, never a formula.
pub fn safe_cell(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// UTF-8 CSV with a byte-order mark (so that spreadsheet programs read Vietnamese
/// letters), every cell neutralised.
pub fn csv_bytes(rows: &[Vec<String>]) -> Result<Vec<u8>, csv::Error> {
    let mut out = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    for row in rows {
        out.write_record(row.iter().map(|c| safe_cell(c).into_owned()))?;
    }
    out.into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_become_text_and_other_cells_stay() {
        for bad in [
            "=HYPERLINK(\"http://evil.example/\",\"Click\")",
            "+1+1",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ] {
            assert_eq!(safe_cell(bad), format!("'{bad}"));
        }
        for good in ["Phát tờ rơi", "2026-11-30", "120", "", "a=b"] {
            assert_eq!(safe_cell(good), good);
        }
    }

    #[test]
    fn numbers_are_read_the_vietnamese_way_and_the_rest_stays_text() {
        assert_eq!(number_of("120"), Some(120.0));
        assert_eq!(number_of("1.234.567"), Some(1_234_567.0));
        assert_eq!(number_of("12,5"), Some(12.5));
        assert_eq!(number_of("-3"), Some(-3.0));
        for text in [
            "< 5",
            "+12,5%",
            "—",
            "0912345678",
            "1.23",
            "12.3456",
            "",
            "a1",
            "1,",
            "mới",
        ] {
            assert_eq!(number_of(text), None, "{text}");
        }
    }

    #[test]
    fn an_xlsx_keeps_text_as_text_and_numbers_as_numbers() {
        let rows = vec![
            vec!["Chỉ tiêu".to_string(), "Tháng 11/2026".to_string()],
            vec!["Thiệt hại (đồng)".to_string(), "1.234.567".to_string()],
            vec![
                "=HYPERLINK(\"http://evil.example\")".to_string(),
                "< 5".to_string(),
            ],
        ];
        let bytes = xlsx_bytes(&rows, "Thống kê [11/2026]").expect("xlsx");
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
        let read = |zip: &mut zip::ZipArchive<_>, name: &str| {
            let mut out = String::new();
            std::io::Read::read_to_string(&mut zip.by_name(name).expect(name), &mut out)
                .expect("utf-8");
            out
        };
        let sheet = read(&mut zip, "xl/worksheets/sheet1.xml");
        let strings = read(&mut zip, "xl/sharedStrings.xml");
        let book = read(&mut zip, "xl/workbook.xml");
        assert!(!sheet.contains("<f>"), "no formula cell: {sheet}");
        assert!(sheet.contains("<v>1234567</v>"), "a number cell: {sheet}");
        assert!(strings.contains("=HYPERLINK") && strings.contains("&lt; 5"));
        assert!(strings.contains("Thiệt hại (đồng)"));
        assert!(book.contains("name=\"Thống kê 11-2026\""), "{book}");
    }

    #[test]
    fn the_file_has_a_byte_order_mark_and_neutral_cells() {
        let rows = vec![vec!["ghi_chu".to_string()], vec!["=1+1".to_string()]];
        let bytes = csv_bytes(&rows).expect("csv");
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
        assert_eq!(&bytes[3..], b"ghi_chu\n'=1+1\n");
    }
}
