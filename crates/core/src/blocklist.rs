//! Partners' blocklists, parsed whole or not at all: CSV (`kind,value[,bank]`), plain
//! lists of domains or URLs (one a line, `#` comments), or STIX 2.1 bundles (the
//! simple patterns of `indicator` objects). Every row that cannot be read is reported
//! with its line number, and then nothing is imported.

use serde::Serialize;

use crate::i18n::Lang;
use crate::ident::{Identifier, IdentifierKind};

/// Most entries in one list.
pub const MAX_ENTRIES: usize = 200_000;
/// Most row errors reported (the rest are counted).
pub const MAX_ERRORS: usize = 100;

/// The formats a list comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ListFormat {
    /// CSV with a heading row naming `kind` and `value` (and `bank` for accounts).
    Csv,
    /// One domain or URL a line.
    Domains,
    /// A STIX 2.1 bundle.
    Stix,
}

impl ListFormat {
    /// Parses the stable name.
    pub fn parse(name: &str) -> Option<ListFormat> {
        match name.trim().to_ascii_lowercase().as_str() {
            "csv" => Some(ListFormat::Csv),
            "domains" | "txt" | "hosts" => Some(ListFormat::Domains),
            "stix" | "stix2" | "stix21" => Some(ListFormat::Stix),
            _ => None,
        }
    }

    /// The stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            ListFormat::Csv => "csv",
            ListFormat::Domains => "domains",
            ListFormat::Stix => "stix",
        }
    }
}

/// One identifier of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListEntry {
    /// The line it was on.
    pub line: usize,
    /// The identifier.
    pub identifier: Identifier,
}

/// A row that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RowError {
    /// Its line (1 is the first line of the file).
    pub line: usize,
    /// A stable code.
    pub code: String,
    /// What is wrong, for people.
    pub message: String,
}

/// Why a list was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// The first [`MAX_ERRORS`] rows that could not be read.
    pub errors: Vec<RowError>,
    /// How many rows could not be read in all.
    pub total: usize,
}

struct Collector {
    entries: Vec<ListEntry>,
    errors: Vec<RowError>,
    total: usize,
    lang: Lang,
}

impl Collector {
    fn error(&mut self, line: usize, code: &str, vi: String, en: String) {
        self.total += 1;
        if self.errors.len() < MAX_ERRORS {
            self.errors.push(RowError {
                line,
                code: code.to_string(),
                message: match self.lang {
                    Lang::Vi => vi,
                    Lang::En => en,
                },
            });
        }
    }

    fn add(&mut self, line: usize, parsed: Result<Identifier, crate::ident::ParseError>) {
        match parsed {
            Ok(identifier) => {
                if self.entries.len() >= MAX_ENTRIES {
                    self.error(
                        line,
                        "too_many_entries",
                        format!("Danh sách quá dài (tối đa {MAX_ENTRIES} mục)."),
                        format!("The list is too long (at most {MAX_ENTRIES} entries)."),
                    );
                } else {
                    self.entries.push(ListEntry { line, identifier });
                }
            }
            Err(e) => {
                let (vi, en) = (e.message(Lang::Vi), e.message(Lang::En));
                self.error(line, e.code(), vi, en)
            }
        }
    }

    fn finish(self) -> Result<Vec<ListEntry>, Refused> {
        if self.total > 0 {
            return Err(Refused {
                errors: self.errors,
                total: self.total,
            });
        }
        if self.entries.is_empty() {
            return Err(Refused {
                errors: vec![RowError {
                    line: 1,
                    code: "empty_list".to_string(),
                    message: Lang::pick(
                        self.lang,
                        "Danh sách không có mục nào.",
                        "The list has no entries.",
                    )
                    .to_string(),
                }],
                total: 1,
            });
        }
        Ok(self.entries)
    }
}

/// Parses a whole list: every entry, or every row error.
pub fn parse(format: ListFormat, text: &str, lang: Lang) -> Result<Vec<ListEntry>, Refused> {
    let mut c = Collector {
        entries: Vec::new(),
        errors: Vec::new(),
        total: 0,
        lang,
    };
    match format {
        ListFormat::Domains => domains(text, &mut c),
        ListFormat::Csv => csv_rows(text, &mut c),
        ListFormat::Stix => stix(text, &mut c),
    }
    c.finish()
}

fn domains(text: &str, c: &mut Collector) {
    for (i, raw) in text.lines().enumerate() {
        let line = raw.split('#').next().unwrap_or_default().trim();
        if line.is_empty() {
            continue;
        }
        // The hosts-file form "0.0.0.0 lua-dao.vn" names the domain second.
        let value = match line.split_whitespace().collect::<Vec<_>>().as_slice() {
            [ip, host] if matches!(*ip, "0.0.0.0" | "127.0.0.1" | "::") => *host,
            [one] => *one,
            _ => {
                c.error(
                    i + 1,
                    "bad_row",
                    "Mỗi dòng một tên miền hoặc địa chỉ.".to_string(),
                    "One domain or address a line.".to_string(),
                );
                continue;
            }
        };
        c.add(
            i + 1,
            Identifier::parse_as(IdentifierKind::Url, value, None),
        );
    }
}

fn csv_rows(text: &str, c: &mut Collector) {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = match reader.headers() {
        Ok(h) => h.iter().map(|h| h.to_ascii_lowercase()).collect::<Vec<_>>(),
        Err(_) => {
            c.error(
                1,
                "bad_heading",
                "Dòng đầu phải là tiêu đề CSV (kind,value,bank).".to_string(),
                "The first line must be a CSV heading (kind,value,bank).".to_string(),
            );
            return;
        }
    };
    let col = |name: &str| headers.iter().position(|h| h == name);
    let (Some(kind_col), Some(value_col)) = (col("kind"), col("value")) else {
        c.error(
            1,
            "bad_heading",
            "Tiêu đề phải có cột kind và value (và bank cho tài khoản).".to_string(),
            "The heading must name the columns kind and value (and bank for accounts).".to_string(),
        );
        return;
    };
    let bank_col = col("bank");
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                c.error(
                    line,
                    "bad_row",
                    "Dòng CSV không đọc được.".to_string(),
                    "The CSV row cannot be read.".to_string(),
                );
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line() as usize);
        if record.iter().all(str::is_empty) {
            continue;
        }
        let kind_text = record.get(kind_col).unwrap_or_default();
        let Some(kind) = IdentifierKind::parse(kind_text) else {
            c.error(
                line,
                "invalid_kind",
                format!("Loại không hợp lệ: «{kind_text}» (phone, bank_account, url, social, email, wallet)."),
                format!("Unknown kind «{kind_text}» (phone, bank_account, url, social, email, wallet)."),
            );
            continue;
        };
        let value = record.get(value_col).unwrap_or_default();
        let bank = bank_col.and_then(|b| record.get(b));
        c.add(line, Identifier::parse_as(kind, value, bank));
    }
}

/// The line of the first occurrence of `needle`, 1-based.
fn line_of(text: &str, needle: &str) -> usize {
    text.find(needle).map_or(1, |at| {
        text[..at].bytes().filter(|b| *b == b'\n').count() + 1
    })
}

fn stix(text: &str, c: &mut Collector) {
    let bundle: serde_json::Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            c.error(
                e.line(),
                "bad_json",
                format!("JSON không hợp lệ: {e}"),
                format!("Invalid JSON: {e}"),
            );
            return;
        }
    };
    let Some(objects) = bundle
        .get("objects")
        .and_then(|o| o.as_array())
        .filter(|_| bundle["type"] == "bundle")
    else {
        c.error(
            1,
            "not_a_bundle",
            "Cần một STIX 2.1 bundle có mảng objects.".to_string(),
            "A STIX 2.1 bundle with an objects array is needed.".to_string(),
        );
        return;
    };
    for object in objects {
        if object["type"] != "indicator" {
            continue;
        }
        let id = object["id"].as_str().unwrap_or_default();
        let line = line_of(text, id);
        if object["revoked"] == true {
            continue;
        }
        if object["pattern_type"] != "stix" {
            c.error(
                line,
                "unsupported_pattern",
                "Chỉ nhận pattern_type stix.".to_string(),
                "Only pattern_type stix is read.".to_string(),
            );
            continue;
        }
        match simple_pattern(object["pattern"].as_str().unwrap_or_default()) {
            Some((IdentifierKind::BankAccount, value)) => {
                // `BIN:NUMBER`, as canhgiac's own exports write it.
                let (bin, number) = value.split_once(':').unwrap_or(("", value.as_str()));
                let bank = Some(bin).filter(|b| !b.is_empty());
                c.add(
                    line,
                    Identifier::parse_as(IdentifierKind::BankAccount, number, bank),
                )
            }
            Some((kind, value)) => c.add(line, Identifier::parse_as(kind, &value, None)),
            None => c.error(
                line,
                "unsupported_pattern",
                "Chỉ nhận mẫu một phép so sánh bằng: [domain-name:value = '…'], url, email-addr, x-canhgiac-phone-number, x-canhgiac-bank-account.".to_string(),
                "Only single-equality patterns are read: [domain-name:value = '…'], url, email-addr, x-canhgiac-phone-number, x-canhgiac-bank-account.".to_string(),
            ),
        }
    }
}

/// `[type:value = 'literal']` → the kind and the value.
fn simple_pattern(pattern: &str) -> Option<(IdentifierKind, String)> {
    let inner = pattern.trim().strip_prefix('[')?.strip_suffix(']')?;
    let (path, literal) = inner.split_once('=')?;
    let kind = match path.trim() {
        "domain-name:value" | "url:value" => IdentifierKind::Url,
        "email-addr:value" => IdentifierKind::Email,
        "x-canhgiac-phone-number:value" => IdentifierKind::Phone,
        "x-canhgiac-bank-account:value" => IdentifierKind::BankAccount,
        _ => return None,
    };
    // A second comparison leaves an unescaped quote inside: refused below.
    let literal = literal.trim().strip_prefix('\'')?.strip_suffix('\'')?;
    let mut value = String::with_capacity(literal.len());
    let mut chars = literal.chars();
    while let Some(ch) = chars.next() {
        match ch {
            '\\' => value.push(chars.next()?),
            '\'' => return None,
            other => value.push(other),
        }
    }
    Some((kind, value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_domain_list_reads_hosts_files_and_comments() {
        let text = "# list of 2026-12-01\nlua-dao.vn\n\n0.0.0.0 vietcombank-hotro.com.vn # hosts form\nhttps://www.Shopee-quatang.xyz/login\n";
        let entries = parse(ListFormat::Domains, text, Lang::Vi).expect("list");
        let keys: Vec<String> = entries.iter().map(|e| e.identifier.key()).collect();
        assert_eq!(
            keys,
            [
                "url:lua-dao.vn",
                "url:vietcombank-hotro.com.vn",
                "url:shopee-quatang.xyz"
            ]
        );
        assert_eq!(entries[1].line, 4);
    }

    #[test]
    fn one_bad_row_refuses_the_list_with_every_line_named() {
        let text = "kind,value,bank\nphone,0912 345 678,\nbank_account,0123456789,VCB\nfax,123,\nphone,12,\nurl,lua-dao.vn,\n";
        let refused = parse(ListFormat::Csv, text, Lang::En).expect_err("refused");
        assert_eq!(refused.total, 2);
        assert_eq!(refused.errors[0].line, 4);
        assert_eq!(refused.errors[0].code, "invalid_kind");
        assert_eq!(refused.errors[1].line, 5);
        let ok = parse(
            ListFormat::Csv,
            "value,kind,bank\n0123456789,bank_account,Vietcombank\n",
            Lang::Vi,
        )
        .expect("list");
        assert_eq!(ok[0].identifier.key(), "bank_account:970436:0123456789");
        assert_eq!(
            parse(ListFormat::Csv, "a,b\n1,2\n", Lang::Vi)
                .expect_err("no heading")
                .errors[0]
                .code,
            "bad_heading"
        );
        assert_eq!(
            parse(ListFormat::Domains, "# nothing\n", Lang::Vi)
                .expect_err("empty")
                .errors[0]
                .code,
            "empty_list"
        );
    }

    #[test]
    fn stix_bundles_give_their_simple_patterns_and_skip_revoked_ones() {
        let text = r#"{"type": "bundle", "id": "bundle--1", "objects": [
  {"type": "identity", "id": "identity--1"},
  {"type": "indicator", "id": "indicator--a", "pattern_type": "stix", "pattern": "[domain-name:value = 'lua-dao.vn']"},
  {"type": "indicator", "id": "indicator--b", "pattern_type": "stix", "pattern": "[x-canhgiac-phone-number:value = '+84912345678']"},
  {"type": "indicator", "id": "indicator--c", "pattern_type": "stix", "revoked": true, "pattern": "[domain-name:value = 'old.vn']"}
]}"#;
        let entries = parse(ListFormat::Stix, text, Lang::Vi).expect("list");
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[1].identifier.key(), "phone:+84912345678");
        assert_eq!(entries[1].line, 4);
        let bad = text.replace(
            "[x-canhgiac-phone-number:value = '+84912345678']",
            "[ipv4-addr:value = '1.2.3.4'] OR [url:value = 'x']",
        );
        let refused = parse(ListFormat::Stix, &bad, Lang::Vi).expect_err("refused");
        assert_eq!(refused.errors[0].line, 4);
        assert_eq!(
            parse(
                ListFormat::Stix,
                "{\"type\": \"bundle\",\n\"objects\": [",
                Lang::Vi
            )
            .expect_err("json")
            .errors[0]
                .code,
            "bad_json"
        );
    }
}
