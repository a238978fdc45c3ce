//! The public check: `GET /api/v1/check?q=` and the page `/kiem-tra`. Answers come
//! from the in-memory lookup index only; no SQL runs on this path.

use std::cell::RefCell;

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use canhgiac_core::i18n::Lang;
use canhgiac_core::recognize::QueryError;
use canhgiac_core::verdict::{format_vnd, Verdict};
use canhgiac_core::Identifier;
use canhgiac_detect::check::Checker;
use canhgiac_detect::lookalike::Registry;
use canhgiac_detect::message::{MessageAnalysis, Risk};
use canhgiac_store::index::Probe;
use serde::Deserialize;

use crate::check_cache::{CachedAnswer, CheckCache};
use crate::error::ApiError;
use crate::lang::ReqLang;
use crate::pages::{render, L};
use crate::AppState;

/// The query.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct CheckParams {
    /// What to check: a phone number, "BANK ACCOUNT", a URL or domain, a social
    /// account, a wallet, an e-mail, or free text (up to 5,000 characters).
    #[param(required = true, min_length = 1, max_length = 5000, pattern = r"\S")]
    q: Option<String>,
    /// Page only: the tab shown (`so`, `web`, `tin-nhan`, `qr`).
    #[param(ignore)]
    #[serde(default)]
    tab: Option<String>,
}

pub use canhgiac_detect::check::CheckResponse;

/// Runs the check ([`canhgiac_detect::check::Checker`], shared with `canhgiac check`)
/// over the index and the brands in force, and counts the answers for `/metrics`.
pub fn run_check(state: &AppState, q: &str, lang: Lang) -> Result<CheckResponse, QueryError> {
    let answer = check_traced(state, &state.registry(), q, lang, &mut Vec::new())?;
    count_answer(
        state,
        &verdict_levels(&answer),
        answer.message().map(|m| m.level.as_str()),
    );
    Ok(answer)
}

/// The check, noting in `probes` everything it read from the index.
fn check_traced(
    state: &AppState,
    registry: &Registry,
    q: &str,
    lang: Lang,
    probes: &mut Vec<Probe>,
) -> Result<CheckResponse, QueryError> {
    let probes = RefCell::new(probes);
    let lookup = |i: &Identifier| state.index.lookup_traced(i, &mut probes.borrow_mut());
    let accounts = |number: &str| {
        state
            .index
            .knows_account_number_traced(number, &mut probes.borrow_mut())
    };
    Checker::new(registry, &lookup)
        .with_account_numbers(&accounts)
        .check(q, lang)
}

fn verdict_levels(answer: &CheckResponse) -> Vec<&'static str> {
    answer.verdicts().iter().map(|v| v.level.as_str()).collect()
}

fn count_answer(state: &AppState, verdict_levels: &[&'static str], message_level: Option<&str>) {
    for level in verdict_levels {
        state.metrics.check_answered(level);
    }
    if let Some(level) = message_level {
        state.metrics.message_analyzed(level);
    }
}

fn json_body(body: Bytes) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response()
}

/// Check what a citizen typed.
#[utoipa::path(
    get,
    path = "/api/v1/check",
    tag = "check",
    params(CheckParams),
    responses(
        (status = 200, description = "The verdict (never \"safe\": at best \"no_reports\")", body = CheckResponse),
        (status = 422, description = "Empty, too long, or one invalid identifier", body = crate::error::ErrorBody)
    )
)]
pub async fn api_check(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    crate::json::ApiQuery(params): crate::json::ApiQuery<CheckParams>,
) -> Response {
    let q = params.q.unwrap_or_default();
    let (brands_generation, registry) = state.registry_in_force();
    if let Some(kept) = state
        .check_cache
        .get(&q, lang, &state.index, brands_generation)
    {
        count_answer(&state, &kept.verdict_levels, kept.message_level);
        return json_body(kept.body.clone());
    }
    let mut probes = Vec::new();
    let answer = match check_traced(&state, &registry, &q, lang, &mut probes) {
        Ok(answer) => answer,
        Err(e) => {
            return ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, e.code(), e.message(lang))
                .into_response()
        }
    };
    let body = match serde_json::to_vec(&answer) {
        Ok(body) => Bytes::from(body),
        Err(e) => {
            tracing::error!(error = %e, "a check answer could not be written as JSON");
            return ApiError::localized(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                lang,
                "Hệ thống đang gặp sự cố nên chưa tra cứu được; vui lòng thử lại sau.",
                "Something went wrong on our side and the check could not be answered; please try again later.",
            )
            .into_response();
        }
    };
    let levels = verdict_levels(&answer);
    let message_level = answer.message().map(|m| m.level.as_str());
    count_answer(&state, &levels, message_level);
    if CheckCache::keeps(&q) {
        state.check_cache.put(
            &q,
            lang,
            CachedAnswer::new(
                body.clone(),
                levels,
                message_level,
                probes,
                brands_generation,
            ),
        );
    }
    json_body(body)
}

/// A verdict ready for the page.
pub struct VerdictView {
    verdict: Verdict,
    kind_label: &'static str,
    /// Facts about the identifier for people ("Viettel", "mobile").
    facts: String,
    loss: String,
    report_link: String,
    /// First and latest report, as `dd/mm/yyyy` (empty without reports).
    first_seen: String,
    last_seen: String,
    /// Where the owner asks for a review (only when something is held against it).
    dispute_link: Option<String>,
}

impl VerdictView {
    pub fn new(verdict: Verdict, lang: Lang) -> VerdictView {
        let kind_label = canhgiac_core::IdentifierKind::parse(verdict.kind)
            .map(|k| k.label(lang))
            .unwrap_or("");
        let loss = format_vnd(verdict.reported_loss_vnd);
        let report_link = format!(
            "/bao-cao?{}",
            serde_urlencoded::to_string([
                ("kind", verdict.kind),
                ("value", verdict.display.as_str())
            ])
            .unwrap_or_default()
        );
        let listed =
            verdict.report_count > 0 || matches!(verdict.level, canhgiac_core::Level::Dangerous);
        let dispute_link = listed.then(|| {
            format!(
                "/khieu-nai?{}",
                serde_urlencoded::to_string([("q", verdict.display.as_str())]).unwrap_or_default()
            )
        });
        let vn_day = |iso: &Option<String>| {
            iso.as_deref()
                .and_then(|d| {
                    let mut p = d.split('-');
                    Some(format!("{2}/{1}/{0}", p.next()?, p.next()?, p.next()?))
                })
                .unwrap_or_default()
        };
        VerdictView {
            first_seen: vn_day(&verdict.first_seen),
            last_seen: vn_day(&verdict.last_seen),
            dispute_link,
            facts: facts_line(&verdict, lang),
            verdict,
            kind_label,
            loss,
            report_link,
        }
    }
}

/// The identifier's own facts in words: "di động · nhà mạng gốc Viettel".
fn facts_line(verdict: &Verdict, lang: Lang) -> String {
    verdict
        .details
        .iter()
        .filter_map(|d| match (d.key, d.value.as_ref()) {
            ("carrier", c) => Some(match lang {
                Lang::Vi => format!("nhà mạng gốc {c}"),
                Lang::En => format!("original network {c}"),
            }),
            ("line_type", t) => Some(
                match (t, lang) {
                    ("mobile", Lang::Vi) => "di động",
                    ("mobile", Lang::En) => "mobile",
                    ("fixed_line", Lang::Vi) => "cố định",
                    ("fixed_line", Lang::En) => "landline",
                    ("premium_rate", Lang::Vi) => "đầu số tính cước cao",
                    ("premium_rate", Lang::En) => "premium rate",
                    ("toll_free", Lang::Vi) => "miễn cước",
                    ("toll_free", Lang::En) => "toll-free",
                    _ => return None,
                }
                .to_string(),
            ),
            ("country_code", c) if c != "84" => Some(match lang {
                Lang::Vi => format!("số nước ngoài (+{c})"),
                Lang::En => format!("foreign number (+{c})"),
            }),
            ("registrable_domain", r) if verdict.normalized != r => Some(match lang {
                Lang::Vi => format!("tên miền chính {r}"),
                Lang::En => format!("registered domain {r}"),
            }),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The tabs of the check page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    /// Phone number, bank account, any identifier.
    Identifier,
    /// Website.
    Website,
    /// Message.
    Message,
    /// Payment QR code.
    Qr,
}

impl Tab {
    fn parse(s: Option<&str>) -> Tab {
        match s {
            Some("web") => Tab::Website,
            Some("tin-nhan") => Tab::Message,
            Some("qr") => Tab::Qr,
            _ => Tab::Identifier,
        }
    }

    /// The `tab` parameter of the page.
    fn key(self) -> &'static str {
        match self {
            Tab::Identifier => "so",
            Tab::Website => "web",
            Tab::Message => "tin-nhan",
            Tab::Qr => "qr",
        }
    }
}

/// A piece of the message as shown, highlighted when a red flag covers it.
pub struct Segment {
    /// The text.
    pub text: String,
    /// The red flags covering it (labels for people), empty when none.
    pub flags: String,
    /// Their keys.
    pub keys: String,
}

/// A message analysis ready for the page.
pub struct MessageView {
    /// The analysis.
    pub analysis: MessageAnalysis,
    /// The message cut into highlighted and plain pieces.
    pub segments: Vec<Segment>,
    /// Likelihood in percent.
    pub percent: u32,
    /// Verdicts of the identifiers found.
    pub identifiers: Vec<VerdictView>,
    /// CSS class of the level.
    pub css: &'static str,
    /// Each kind of red flag once: (key, text).
    pub flag_kinds: Vec<(&'static str, &'static str)>,
}

impl MessageView {
    /// Cuts the text at every red-flag boundary.
    pub fn new(text: &str, analysis: MessageAnalysis, lang: Lang) -> MessageView {
        let chars: Vec<char> = text.chars().collect();
        let mut cuts: Vec<usize> = vec![0, chars.len()];
        for f in &analysis.red_flags {
            cuts.push(f.start.min(chars.len()));
            cuts.push(f.end.min(chars.len()));
        }
        cuts.sort_unstable();
        cuts.dedup();
        let segments = cuts
            .windows(2)
            .map(|w| {
                let covering: Vec<_> = analysis
                    .red_flags
                    .iter()
                    .filter(|f| f.start <= w[0] && f.end >= w[1])
                    .collect();
                let mut labels: Vec<&str> = covering.iter().map(|f| f.text).collect();
                labels.dedup();
                let mut keys: Vec<&str> = covering.iter().map(|f| f.label).collect();
                keys.dedup();
                Segment {
                    text: chars[w[0]..w[1]].iter().collect(),
                    flags: labels.join("; "),
                    keys: keys.join(" "),
                }
            })
            .collect();
        let identifiers = analysis
            .identifiers
            .iter()
            .map(|i| VerdictView::new(i.verdict.clone(), lang))
            .collect();
        let mut flag_kinds: Vec<(&'static str, &'static str)> = Vec::new();
        for f in &analysis.red_flags {
            if !flag_kinds.iter().any(|(k, _)| *k == f.label) {
                flag_kinds.push((f.label, f.text));
            }
        }
        MessageView {
            flag_kinds,
            percent: (analysis.likelihood * 100.0).round() as u32,
            css: match analysis.level {
                Risk::High => "dangerous",
                Risk::Suspicious => "suspicious",
                Risk::Low => "low",
            },
            segments,
            identifiers,
            analysis,
        }
    }
}

/// A decoded payment QR code ready for the page.
pub struct QrView {
    /// The code.
    pub code: canhgiac_detect::vietqr::VietQr,
    /// The amount, formatted.
    pub amount: String,
    /// The verdict on the receiving account.
    pub verdict: Option<VerdictView>,
}

#[derive(Template)]
#[template(path = "check.html")]
pub(crate) struct CheckPage {
    pub(crate) l: L,
    pub(crate) tab: Tab,
    pub(crate) query: String,
    /// The message's sender, as typed.
    pub(crate) sender: String,
    pub(crate) error: Option<(String, String)>,
    pub(crate) free_text: bool,
    pub(crate) items: Vec<VerdictView>,
    pub(crate) message: Option<MessageView>,
    pub(crate) qr: Option<QrView>,
    /// A bare number looked up at every bank.
    pub(crate) number: Option<NumberView>,
    /// The language switch: the same check in the other language.
    pub(crate) lang_href: String,
}

/// A bare number looked up as an account at every bank (and as a phone number).
pub(crate) struct NumberView {
    /// The digits.
    pub(crate) digits: String,
    /// How many banks have reports on an account of this number.
    pub(crate) banks: usize,
    /// The digits are also a phone number (its verdict comes first).
    pub(crate) is_phone: bool,
}

impl CheckPage {
    pub(crate) fn new(lang: Lang, tab: Tab) -> CheckPage {
        CheckPage {
            l: L(lang),
            tab,
            query: String::new(),
            sender: String::new(),
            error: None,
            free_text: false,
            items: Vec::new(),
            message: None,
            qr: None,
            number: None,
            lang_href: lang_href(lang, tab, ""),
        }
    }
}

/// The check page in the other language, with the same tab and query.
fn lang_href(lang: Lang, tab: Tab, query: &str) -> String {
    let other = match lang {
        Lang::Vi => "en",
        Lang::En => "vi",
    };
    let mut pairs = vec![("lang", other), ("tab", tab.key())];
    if !query.trim().is_empty() && query.len() <= 500 {
        pairs.push(("q", query));
    }
    format!(
        "/kiem-tra?{}",
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    )
}

/// `GET /kiem-tra?q=&tab=`.
pub async fn page_check(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    Query(params): Query<CheckParams>,
) -> Response {
    let query = params.q.unwrap_or_default();
    let tab = Tab::parse(params.tab.as_deref());
    let mut page = CheckPage::new(lang, tab);
    page.query = query.clone();
    if matches!(tab, Tab::Identifier | Tab::Website) {
        page.lang_href = lang_href(lang, tab, &query);
    }
    let mut status = StatusCode::OK;
    if !query.trim().is_empty() {
        match run_check(&state, &query, lang) {
            Ok(CheckResponse::One(v)) => page.items.push(VerdictView::new(*v, lang)),
            Ok(CheckResponse::Number(n)) => {
                page.number = Some(NumberView {
                    digits: n.number,
                    banks: n.accounts.len(),
                    is_phone: n.phone.is_some(),
                });
                page.items = n
                    .phone
                    .map(|v| *v)
                    .into_iter()
                    .chain(n.accounts)
                    .map(|v| VerdictView::new(v, lang))
                    .collect();
            }
            Ok(CheckResponse::Text(items)) => {
                page.free_text = true;
                page.message = Some(MessageView::new(query.trim(), *items.message, lang));
                page.items = items
                    .items
                    .into_iter()
                    .map(|f| VerdictView::new(f.verdict, lang))
                    .collect();
            }
            Err(e) => {
                status = StatusCode::UNPROCESSABLE_ENTITY;
                page.error = Some((e.code().to_string(), e.message(lang)));
            }
        }
    }
    render(status, &page)
}
