//! Spreadsheet exports (CSV) that are safe to open: a cell that a spreadsheet program
//! would read as a formula (`=`, `+`, `-`, `@`, a tab or a carriage return first) is
//! prefixed with `'`, as OWASP's "CSV injection" advice says. Every CSV the console
//! serves goes through [`csv_bytes`].

use std::borrow::Cow;

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
    fn the_file_has_a_byte_order_mark_and_neutral_cells() {
        let rows = vec![vec!["ghi_chu".to_string()], vec!["=1+1".to_string()]];
        let bytes = csv_bytes(&rows).expect("csv");
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
        assert_eq!(&bytes[3..], b"ghi_chu\n'=1+1\n");
    }
}
