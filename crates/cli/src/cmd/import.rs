//! `canhgiac import <file.csv|file.jsonl>`: bulk reports with a progress bar. Every
//! bad row is reported with its line number on standard error and written, with its
//! errors, to a reject file beside the input; nothing is dropped silently. Rows whose
//! idempotency key was already imported are skipped and counted, so an import can be
//! run again after an interruption.

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use canhgiac_core::i18n::Lang;
use canhgiac_core::intake::{
    parse_when, validate, FieldError, IdentifierInput, ReportInput, ReporterInput,
};
use canhgiac_store::{NewReport, Source, Store};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::{json, Value};

use crate::config::StoreArgs;

/// Reports written per transaction.
const BATCH: usize = 50_000;
/// Files larger than this are imported with the secondary indexes suspended.
const BULK_BYTES: u64 = 32 * 1024 * 1024;

#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// The file: .csv (header row; see docs/import.md) or .jsonl (one report per line,
    /// as the API takes it, plus an optional "received_at").
    file: PathBuf,
    /// Where to write rejected rows. Default: <file>.rejects.jsonl
    #[arg(long)]
    rejects: Option<PathBuf>,
    /// Error messages in English.
    #[arg(long)]
    english: bool,
    /// No progress bar.
    #[arg(long)]
    quiet: bool,
}

/// A row as it was in the file, for the reject file.
enum Raw {
    None,
    Csv(Vec<String>),
    Line(String),
}

/// One row read from the file.
struct Row {
    line: u64,
    raw: Raw,
    parsed: Result<(ReportInput, Option<i64>), Vec<FieldError>>,
}

struct Rejects {
    path: PathBuf,
    out: Option<BufWriter<File>>,
    count: u64,
}

impl Rejects {
    fn add(&mut self, line: u64, errors: &[FieldError], raw: &Raw) -> anyhow::Result<()> {
        let raw = match raw {
            Raw::None => Value::Null,
            Raw::Csv(cells) => Value::Array(cells.iter().cloned().map(Value::String).collect()),
            Raw::Line(text) => {
                serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.clone()))
            }
        };
        if self.out.is_none() {
            self.out = Some(BufWriter::new(
                File::create(&self.path)
                    .with_context(|| format!("creating {}", self.path.display()))?,
            ));
        }
        if let Some(out) = self.out.as_mut() {
            serde_json::to_writer(
                &mut *out,
                &json!({ "line": line, "errors": errors, "record": raw }),
            )?;
            out.write_all(b"\n")?;
        }
        self.count += 1;
        Ok(())
    }
}

fn error(field: &str, code: &str, detail: String) -> FieldError {
    FieldError {
        field: field.into(),
        code: code.into(),
        detail,
    }
}

/// Takes `received_at` out of a JSON object and parses the rest as a report.
fn from_json(mut value: Value, lang: Lang) -> Result<(ReportInput, Option<i64>), Vec<FieldError>> {
    let received = match value.as_object_mut().and_then(|o| o.remove("received_at")) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => match parse_when(&s) {
            Some(t) => Some(t),
            None => {
                return Err(vec![error(
                    "received_at",
                    "received_at_invalid",
                    lang.pick("Thời điểm nhận không hợp lệ.", "Invalid received_at.")
                        .into(),
                )])
            }
        },
        Some(_) => {
            return Err(vec![error(
                "received_at",
                "received_at_invalid",
                lang.pick(
                    "Thời điểm nhận phải là chuỗi ngày giờ.",
                    "received_at must be a date-time string.",
                )
                .into(),
            )])
        }
    };
    serde_json::from_value::<ReportInput>(value)
        .map(|r| (r, received))
        .map_err(|e| vec![error("", "json_invalid_field", e.to_string())])
}

/// The CSV columns understood.
const CSV_COLUMNS: &[&str] = &[
    "channel",
    "method",
    "contacted_at",
    "received_at",
    "narrative",
    "amount_lost_vnd",
    "place_code",
    "phones",
    "bank_accounts",
    "urls",
    "socials",
    "emails",
    "wallets",
    "reporter_name",
    "reporter_phone",
    "reporter_citizen_id",
    "reporter_address",
    "reporter_email",
    "idempotency_key",
];

fn csv_row_to_json(
    headers: &[String],
    record: &csv::StringRecord,
    lang: Lang,
) -> Result<Value, Vec<FieldError>> {
    let get = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .and_then(|i| record.get(i))
            .map(str::trim)
            .filter(|s| !s.is_empty())
    };
    let mut errors = Vec::new();
    let mut identifiers = Vec::new();
    for (column, kind) in [
        ("phones", "phone"),
        ("bank_accounts", "bank_account"),
        ("urls", "url"),
        ("socials", "social"),
        ("emails", "email"),
        ("wallets", "wallet"),
    ] {
        if let Some(cell) = get(column) {
            for value in cell.split(';').map(str::trim).filter(|v| !v.is_empty()) {
                identifiers.push(IdentifierInput {
                    kind: Some(kind.into()),
                    value: Some(value.into()),
                    bank: None,
                    role: None,
                });
            }
        }
    }
    let number = |name: &str, errors: &mut Vec<FieldError>| -> Option<i64> {
        let cell = get(name)?;
        let digits: String = cell
            .chars()
            .filter(|c| !matches!(c, '.' | ',' | ' '))
            .collect();
        match digits.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                errors.push(error(
                    name,
                    "number_invalid",
                    match lang {
                        Lang::Vi => format!("“{cell}” không phải là số."),
                        Lang::En => format!("“{cell}” is not a number."),
                    },
                ));
                None
            }
        }
    };
    let amount = number("amount_lost_vnd", &mut errors);
    let place = number("place_code", &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    let reporter = ReporterInput {
        name: get("reporter_name").map(str::to_string),
        phone: get("reporter_phone").map(str::to_string),
        citizen_id: get("reporter_citizen_id").map(str::to_string),
        address: get("reporter_address").map(str::to_string),
        email: get("reporter_email").map(str::to_string),
    };
    let input = ReportInput {
        channel: get("channel").map(str::to_string),
        method: get("method").map(str::to_string),
        contacted_at: get("contacted_at").map(str::to_string),
        narrative: get("narrative").map(str::to_string),
        amount_lost_vnd: amount,
        identifiers,
        place_code: place,
        reporter: (reporter != ReporterInput::default()).then_some(reporter),
        idempotency_key: get("idempotency_key").map(str::to_string),
        ..ReportInput::default()
    };
    let mut value =
        serde_json::to_value(input).map_err(|e| vec![error("", "internal", e.to_string())])?;
    if let (Some(o), Some(r)) = (value.as_object_mut(), get("received_at")) {
        o.insert("received_at".into(), Value::String(r.to_string()));
    }
    Ok(value)
}

fn progress(bytes: u64, quiet: bool) -> ProgressBar {
    if quiet {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(bytes);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} ({eta}) {msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

struct Totals {
    imported: u64,
    skipped: u64,
    /// Idempotency keys written by this import.
    keys: HashSet<String>,
}

/// The insert of the previous batch, running while the next batch is parsed.
type Pending = Option<tokio::task::JoinHandle<Result<usize, canhgiac_store::StoreError>>>;

async fn wait(pending: &mut Pending, totals: &mut Totals) -> anyhow::Result<()> {
    if let Some(handle) = pending.take() {
        totals.imported += handle.await?? as u64;
    }
    Ok(())
}

/// Validates a batch and starts writing it; the previous batch's write is awaited first.
/// What an import carries from batch to batch.
struct Importer {
    store: Arc<Store>,
    rejects: Rejects,
    totals: Totals,
    pending: Pending,
    lang: Lang,
    bar: ProgressBar,
}

async fn flush(importer: &mut Importer, rows: &mut Vec<Row>) -> anyhow::Result<()> {
    let Importer {
        store,
        rejects,
        totals,
        pending,
        lang,
        bar,
    } = importer;
    let lang = *lang;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let keys: Vec<String> = rows
        .iter()
        .filter_map(|r| r.parsed.as_ref().ok())
        .filter_map(|(i, _)| i.idempotency_key.clone())
        .collect();
    let mut seen: HashSet<String> = store.existing_idempotency_keys(&keys).await?;
    // Keys of batches still being written are not in the database yet.
    seen.extend(totals.keys.iter().cloned());
    let mut batch = Vec::with_capacity(rows.len());
    for row in rows.drain(..) {
        let (input, received) = match row.parsed {
            Ok(x) => x,
            Err(errors) => {
                report_bad(bar, row.line, &errors);
                rejects.add(row.line, &errors, &row.raw)?;
                continue;
            }
        };
        if let Some(k) = &input.idempotency_key {
            if !seen.insert(k.clone()) || !totals.keys.insert(k.clone()) {
                totals.skipped += 1;
                continue;
            }
        }
        match validate(&input, lang, now, &|c| store.has_place(c)) {
            Ok(report) => batch.push(NewReport {
                report,
                source: Source::Import,
                created_at: received.unwrap_or(now),
                idempotency_key: input.idempotency_key.clone(),
                request_hash: None,
            }),
            Err(errors) => {
                report_bad(bar, row.line, &errors);
                rejects.add(row.line, &errors, &row.raw)?;
            }
        }
    }
    // Sealing and keys are computed while the previous batch is still being written.
    let prepared = store.prepare(batch)?;
    wait(pending, totals).await?;
    if !prepared.is_empty() {
        let store = store.clone();
        // The search index is written once at the end (its own file, see `search`).
        *pending = Some(tokio::spawn(async move {
            store.insert_prepared(prepared).await.map(|r| r.len())
        }));
    }
    bar.set_message(format!(
        "{} imported, {} rejected",
        totals.imported, rejects.count
    ));
    Ok(())
}

fn report_bad(bar: &ProgressBar, line: u64, errors: &[FieldError]) {
    let detail: Vec<String> = errors
        .iter()
        .map(|e| {
            if e.field.is_empty() {
                e.detail.clone()
            } else {
                format!("{}: {}", e.field, e.detail)
            }
        })
        .collect();
    bar.suspend(|| eprintln!("line {line}: {}", detail.join("; ")));
}

fn default_rejects(file: &Path) -> PathBuf {
    let mut name = file
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".rejects.jsonl");
    file.with_file_name(name)
}

pub async fn run(args: ImportArgs) -> anyhow::Result<ExitCode> {
    let lang = if args.english { Lang::En } else { Lang::Vi };
    let ext = args
        .file
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    anyhow::ensure!(
        matches!(ext.as_str(), "csv" | "jsonl" | "ndjson"),
        "{}: the file must end in .csv or .jsonl",
        args.file.display()
    );
    let size = std::fs::metadata(&args.file)
        .with_context(|| format!("reading {}", args.file.display()))?
        .len();
    let mut config = args.store.resolve()?;
    // A bulk import inserts at random places in several indexes: keep them in memory.
    config.cache_mib = 512;
    let store = Arc::new(Store::open(&config).await?);
    let started = Instant::now();
    // Secondary indexes are built once at the end (see `store::bulk`); an interrupted
    // import leaves them to the next start.
    let bulk = size > BULK_BYTES;
    if bulk {
        store.bulk_load_begin().await?;
    }
    let rejects = Rejects {
        path: args
            .rejects
            .clone()
            .unwrap_or_else(|| default_rejects(&args.file)),
        out: None,
        count: 0,
    };
    let totals = Totals {
        imported: 0,
        skipped: 0,
        keys: HashSet::new(),
    };
    let mut importer = Importer {
        store,
        rejects,
        totals,
        pending: None,
        lang,
        bar: progress(size, args.quiet),
    };
    let mut rows: Vec<Row> = Vec::with_capacity(BATCH);
    let file =
        File::open(&args.file).with_context(|| format!("opening {}", args.file.display()))?;

    if ext == "csv" {
        read_csv(file, &mut importer, &mut rows, lang).await?;
    } else {
        read_jsonl(file, &mut importer, &mut rows, lang).await?;
    }
    flush(&mut importer, &mut rows).await?;
    wait(&mut importer.pending, &mut importer.totals).await?;
    if bulk {
        importer.bar.set_message("indexes");
        importer.store.ensure_indexes().await?;
    }
    let imported_in = started.elapsed();
    let Importer {
        mut rejects,
        totals,
        bar,
        store,
        ..
    } = importer;
    if let Some(out) = rejects.out.as_mut() {
        out.flush()?;
    }
    bar.finish_and_clear();
    let secs = imported_in.as_secs_f64();
    eprintln!(
        "imported {} reports in {:.1} s ({:.0}/s); {} rejected{}; {} already imported",
        totals.imported,
        secs,
        totals.imported as f64 / secs.max(0.001),
        rejects.count,
        if rejects.count > 0 {
            format!(" (see {})", rejects.path.display())
        } else {
            String::new()
        },
        totals.skipped
    );
    // The reports are durable and checkable; now make their narratives searchable.
    let search_started = Instant::now();
    let search_bar = if args.quiet {
        ProgressBar::hidden()
    } else {
        let b = ProgressBar::new(totals.imported);
        b.set_style(
            ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        b.set_message("search index");
        b
    };
    let indexed = store
        .index_search_tail(&|n| search_bar.inc(n as u64))
        .await?;
    search_bar.finish_and_clear();
    eprintln!(
        "indexed {indexed} narratives for search in {:.1} s",
        search_started.elapsed().as_secs_f64()
    );
    Ok(if rejects.count > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Reads a CSV file into batches of rows (a malformed record is rejected with its line;
/// a broken file stops the reading).
async fn read_csv(
    file: File,
    importer: &mut Importer,
    rows: &mut Vec<Row>,
    lang: Lang,
) -> anyhow::Result<()> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(BufReader::with_capacity(1 << 20, file));
    let headers: Vec<String> = reader
        .headers()
        .context("reading the CSV header")?
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    let unknown: Vec<&String> = headers
        .iter()
        .filter(|h| !CSV_COLUMNS.contains(&h.as_str()))
        .collect();
    anyhow::ensure!(
        unknown.is_empty(),
        "unknown CSV columns {unknown:?}; known: {}",
        CSV_COLUMNS.join(", ")
    );
    let mut record = csv::StringRecord::new();
    loop {
        let line = reader.position().line();
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = record.position().map(|p| p.line()).unwrap_or(line);
                let raw = Raw::Csv(record.iter().map(str::to_string).collect());
                let parsed =
                    csv_row_to_json(&headers, &record, lang).and_then(|v| from_json(v, lang));
                rows.push(Row { line, raw, parsed });
            }
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(line + 1);
                let errors = vec![error("", "csv_invalid", e.to_string())];
                report_bad(&importer.bar, line, &errors);
                importer.rejects.add(line, &errors, &Raw::None)?;
                if !matches!(
                    e.kind(),
                    csv::ErrorKind::UnequalLengths { .. } | csv::ErrorKind::Utf8 { .. }
                ) {
                    break;
                }
            }
        }
        importer.bar.set_position(reader.position().byte());
        if rows.len() >= BATCH {
            flush(importer, rows).await?;
        }
    }
    Ok(())
}

/// Reads a JSON Lines file into batches of rows (a malformed line is rejected with its
/// number).
async fn read_jsonl(
    file: File,
    importer: &mut Importer,
    rows: &mut Vec<Row>,
    lang: Lang,
) -> anyhow::Result<()> {
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let mut buf = Vec::new();
    let mut line = 0u64;
    let mut read = 0u64;
    loop {
        buf.clear();
        let n = reader.read_until(b'\n', &mut buf)?;
        if n == 0 {
            break;
        }
        line += 1;
        read += n as u64;
        let text = String::from_utf8_lossy(&buf);
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        let row = match serde_json::from_str::<Value>(text) {
            Ok(value) => Row {
                line,
                parsed: from_json(value, lang),
                raw: Raw::Line(text.to_string()),
            },
            Err(e) => Row {
                line,
                raw: Raw::Line(text.chars().take(2000).collect()),
                parsed: Err(vec![error("", "json_malformed", e.to_string())]),
            },
        };
        rows.push(row);
        if rows.len() >= BATCH {
            importer.bar.set_position(read);
            flush(importer, rows).await?;
        }
    }
    Ok(())
}
