//! The public warnings: `/canh-bao` (published bulletins, the newest and the most
//! reported methods), one page per method, one per bulletin with its leaflet, and the
//! feeds other sites and the press follow (Atom and JSON Feed 1.1).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use canhgiac_core::i18n::Lang;
use canhgiac_core::report::Channel as ContactChannel;
use canhgiac_store::bulletins::Bulletin;
use canhgiac_store::catalogue::MethodEntry;

use crate::lang::ReqLang;
use crate::pages::format::{fmt_datetime, month_start, vnd, L};
use crate::pages::render;
use crate::pages::Id;
use crate::pages::{PageError, PageResult};
use crate::AppState;

/// Bulletins on the warnings page and in the feeds.
pub const FEED_ITEMS: i64 = 50;

/// A method is "new" when it was first seen this year or last, or added here in the
/// last 180 days.
pub fn is_new(entry: &MethodEntry, now: i64) -> bool {
    let year = time::OffsetDateTime::from_unix_timestamp(now)
        .map(|t| t.year())
        .unwrap_or(2026);
    entry
        .method
        .first_seen_year
        .is_some_and(|y| i32::from(y) >= year - 1)
        || entry.created_at.is_some_and(|t| now - t < 180 * 86_400)
}

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// A method in a list.
pub struct MethodCard {
    pub key: String,
    pub name: String,
    pub summary: String,
    pub is_new: bool,
    /// Reports this month as the public sees them ("< 5" below 5).
    pub reports: String,
    pub loss: String,
    pub first_seen: String,
}

fn card(e: &MethodEntry, lang: Lang, now: i64) -> MethodCard {
    MethodCard {
        key: e.method.key.clone(),
        name: e.method.name(lang).to_string(),
        summary: e.method.summary(lang).to_string(),
        is_new: is_new(e, now),
        reports: canhgiac_core::stats::suppressed(u64::try_from(e.period_reports).unwrap_or(0)),
        // the loss of fewer than 5 reports would say what one victim lost
        loss: if (1..canhgiac_core::stats::SUPPRESS_BELOW as i64).contains(&e.period_reports) {
            "—".to_string()
        } else {
            format!("{} đ", vnd(e.period_loss_vnd))
        },
        first_seen: e
            .method
            .first_seen_year
            .map(|y| y.to_string())
            .unwrap_or_default(),
    }
}

/// A bulletin in a list.
pub struct BulletinCard {
    pub id: i64,
    pub title: String,
    pub audience: &'static str,
    pub published: String,
}

fn bulletin_card(b: &Bulletin) -> BulletinCard {
    BulletinCard {
        id: b.id,
        title: b.drafts.title.clone(),
        audience: b.audience.label(),
        published: b.published_at.map(fmt_datetime).unwrap_or_default(),
    }
}

#[derive(Template)]
#[template(path = "warnings.html")]
struct WarningsPage {
    l: L,
    bulletins: Vec<BulletinCard>,
    newest: Vec<MethodCard>,
    most_reported: Vec<MethodCard>,
    all: Vec<MethodCard>,
}

/// `GET /canh-bao`.
pub async fn index(State(state): State<AppState>, ReqLang(lang): ReqLang) -> PageResult {
    let at = now();
    let (entries, bulletins) = tokio::try_join!(
        state.store.catalogue(Some(month_start(at))),
        state.store.published_bulletins(FEED_ITEMS)
    )?;
    let mut newest: Vec<&MethodEntry> = entries.iter().filter(|e| is_new(e, at)).collect();
    newest.sort_by_key(|e| {
        (
            std::cmp::Reverse(e.created_at.unwrap_or(0)),
            std::cmp::Reverse(e.method.first_seen_year.unwrap_or(0)),
        )
    });
    let mut most: Vec<&MethodEntry> = entries.iter().filter(|e| e.period_reports > 0).collect();
    most.sort_by_key(|e| std::cmp::Reverse((e.period_reports, e.period_loss_vnd)));
    let mut all: Vec<MethodCard> = entries.iter().map(|e| card(e, lang, at)).collect();
    // Vietnamese order: by the name without diacritics or opening quotes.
    all.sort_by_cached_key(|c| canhgiac_core::fold::fold(c.name.trim_start_matches(['“', '"'])));
    Ok(render(
        StatusCode::OK,
        &WarningsPage {
            l: L(lang),
            bulletins: bulletins.iter().map(bulletin_card).collect(),
            newest: newest.iter().take(6).map(|e| card(e, lang, at)).collect(),
            most_reported: most.iter().take(10).map(|e| card(e, lang, at)).collect(),
            all,
        },
    ))
}

#[derive(Template)]
#[template(path = "method.html")]
struct MethodPage {
    l: L,
    c: MethodCard,
    other_name: String,
    how: Vec<String>,
    red_flags: Vec<String>,
    advice: Vec<String>,
    channels: Vec<&'static str>,
    examples: Vec<(String, String)>,
    version: i64,
    updated: String,
}

/// `GET /canh-bao/thu-doan/{key}`.
pub async fn method(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    Path(key): Path<String>,
) -> PageResult {
    let at = now();
    let entry = match state
        .store
        .catalogue_method(&key, Some(month_start(at)))
        .await
    {
        Ok(Some(e)) => e,
        Ok(None) => return Err(PageError::NotFound),
        Err(e) => return Err(PageError::unavailable("method page", e)),
    };
    let m = &entry.method;
    Ok(render(
        StatusCode::OK,
        &MethodPage {
            l: L(lang),
            c: card(&entry, lang, at),
            other_name: m.name(other(lang)).to_string(),
            how: m.how_it_works(lang).to_vec(),
            red_flags: m.red_flags(lang).to_vec(),
            advice: m.advice(lang).to_vec(),
            channels: m
                .channels
                .iter()
                .map(|c| match c.as_str() {
                    "email" => lang.pick("Thư điện tử", "E-mail"),
                    "video_call" => lang.pick("Gọi video", "Video call"),
                    other => ContactChannel::parse(other)
                        .map(|ch| ch.label(lang))
                        .unwrap_or("—"),
                })
                .collect(),
            examples: m
                .examples
                .iter()
                .map(|x| (x.text.clone(), x.source.clone()))
                .collect(),
            version: entry.version,
            updated: entry.updated_at.map(fmt_datetime).unwrap_or_default(),
        },
    ))
}

fn other(lang: Lang) -> Lang {
    match lang {
        Lang::Vi => Lang::En,
        Lang::En => Lang::Vi,
    }
}

#[derive(Template)]
#[template(path = "bulletin.html")]
pub struct BulletinPage {
    pub l: L,
    pub b: BulletinCard,
    pub methods: Vec<(String, String)>,
    pub zalo: String,
    pub fanpage: String,
    pub sms: String,
    pub sms_plain: String,
    /// The channels the bulletin was written for (only those are shown).
    pub show: Shown,
}

/// Which texts of a bulletin its author chose to publish.
pub struct Shown {
    pub sms: bool,
    pub zalo: bool,
    pub fanpage: bool,
    pub leaflet: bool,
}

/// The bulletin's main text for the page and the feeds: the Zalo post, else the
/// fanpage post, else the SMS, as the author chose channels.
fn main_text(b: &Bulletin) -> &str {
    let s = Shown::of(b);
    if s.zalo {
        &b.drafts.zalo
    } else if s.fanpage {
        &b.drafts.fanpage
    } else if s.sms {
        &b.drafts.sms
    } else {
        &b.drafts.title
    }
}

impl Shown {
    fn of(b: &Bulletin) -> Shown {
        use canhgiac_core::bulletin::Channel;
        Shown {
            sms: b.channels.contains(&Channel::Sms),
            zalo: b.channels.contains(&Channel::Zalo),
            fanpage: b.channels.contains(&Channel::Fanpage),
            leaflet: b.channels.contains(&Channel::Leaflet),
        }
    }
}

async fn published(state: &AppState, id: i64) -> Result<Option<Bulletin>, PageError> {
    match state.store.bulletin(id).await {
        Ok(Some(b)) if b.published => Ok(Some(b)),
        Ok(_) => Ok(None),
        Err(e) => Err(PageError::unavailable("bulletin", e)),
    }
}

/// `GET /canh-bao/ban-tin/{id}`.
pub async fn bulletin(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    Id(id): Id,
) -> PageResult {
    let b = match published(&state, id).await {
        Ok(Some(b)) => b,
        Ok(None) => return Err(PageError::NotFound),
        Err(r) => return Err(r),
    };
    let catalogue = state.store.catalogue(None).await?;
    let methods = b
        .method_keys
        .iter()
        .filter_map(|k| catalogue.iter().find(|e| &e.method.key == k))
        .map(|e| (e.method.key.clone(), e.method.name(lang).to_string()))
        .collect();
    Ok(render(
        StatusCode::OK,
        &BulletinPage {
            l: L(lang),
            b: bulletin_card(&b),
            methods,
            show: Shown::of(&b),
            zalo: b.drafts.zalo,
            fanpage: b.drafts.fanpage,
            sms: b.drafts.sms,
            sms_plain: b.drafts.sms_plain,
        },
    ))
}

/// `GET /canh-bao/ban-tin/{id}/to-roi.pdf`.
pub async fn leaflet(State(state): State<AppState>, Id(id): Id) -> PageResult {
    let b = published(&state, id).await?.ok_or(PageError::NotFound)?;
    if !Shown::of(&b).leaflet {
        return Err(PageError::NotFound);
    }
    crate::documents::leaflet::response(&state.public_url, &state.issuer, &b)
}

fn rfc3339(unix: i64) -> String {
    canhgiac_core::clock::rfc3339(unix).unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string())
}

/// `GET /canh-bao/atom.xml`: published bulletins as an Atom feed (RFC 4287).
pub async fn atom(State(state): State<AppState>) -> PageResult {
    use atom_syndication::{
        ContentBuilder, EntryBuilder, FeedBuilder, FixedDateTime, LinkBuilder, PersonBuilder,
    };
    let bulletins = state.store.published_bulletins(FEED_ITEMS).await?;
    let base = &state.public_url;
    let date = |unix: i64| {
        FixedDateTime::parse_from_rfc3339(&rfc3339(unix))
            .unwrap_or_else(|_| FixedDateTime::default())
    };
    let updated = bulletins
        .iter()
        .filter_map(|b| b.published_at)
        .max()
        .unwrap_or(0);
    let author = PersonBuilder::default()
        .name(format!("Công an tỉnh {}", state.store.province().name))
        .uri(Some(base.clone()))
        .build();
    let entries = bulletins
        .iter()
        .map(|b| {
            let url = format!("{base}/canh-bao/ban-tin/{}", b.id);
            EntryBuilder::default()
                .id(url.clone())
                .title(b.drafts.title.clone())
                .updated(date(b.updated_at))
                .published(b.published_at.map(date))
                .authors(vec![author.clone()])
                .links(vec![LinkBuilder::default()
                    .href(url)
                    .rel("alternate")
                    .mime_type(Some("text/html".to_string()))
                    .build()])
                .content(Some(
                    ContentBuilder::default()
                        .value(Some(main_text(b).to_string()))
                        .content_type(Some("text".to_string()))
                        .lang(Some("vi".to_string()))
                        .build(),
                ))
                .build()
        })
        .collect::<Vec<_>>();
    let feed = FeedBuilder::default()
        .id(format!("{base}/canh-bao"))
        .title("Cảnh giác — Cảnh báo lừa đảo")
        .subtitle(Some(
            format!(
                "Cảnh báo các thủ đoạn lừa đảo qua mạng của Công an tỉnh {}",
                state.store.province().name
            )
            .into(),
        ))
        .updated(date(updated))
        .lang(Some("vi".to_string()))
        .authors(vec![author])
        .links(vec![
            LinkBuilder::default()
                .href(format!("{base}/canh-bao/atom.xml"))
                .rel("self")
                .mime_type(Some("application/atom+xml".to_string()))
                .build(),
            LinkBuilder::default()
                .href(format!("{base}/canh-bao"))
                .rel("alternate")
                .mime_type(Some("text/html".to_string()))
                .build(),
        ])
        .entries(entries)
        .build();
    Ok((
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        feed.to_string(),
    )
        .into_response())
}

/// `GET /canh-bao/feed.json`: published bulletins as JSON Feed 1.1.
pub async fn json_feed(State(state): State<AppState>) -> PageResult {
    let bulletins = state.store.published_bulletins(FEED_ITEMS).await?;
    let base = &state.public_url;
    let items: Vec<serde_json::Value> = bulletins
        .iter()
        .map(|b| {
            let url = format!("{base}/canh-bao/ban-tin/{}", b.id);
            serde_json::json!({
                "id": url,
                "url": url,
                "title": b.drafts.title,
                "content_text": main_text(b),
                "summary": b.drafts.sms,
                "date_published": b.published_at.map(rfc3339),
                "date_modified": rfc3339(b.updated_at),
                "language": "vi",
                "tags": b.method_keys.iter().cloned().chain([format!("audience:{}", b.audience.key())]).collect::<Vec<_>>(),
                "attachments": [{
                    "url": format!("{url}/to-roi.pdf"),
                    "mime_type": "application/pdf",
                    "title": "Tờ rơi A5"
                }]
            })
        })
        .collect();
    let feed = serde_json::json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Cảnh giác — Cảnh báo lừa đảo",
        "home_page_url": format!("{base}/canh-bao"),
        "feed_url": format!("{base}/canh-bao/feed.json"),
        "description": format!("Cảnh báo các thủ đoạn lừa đảo qua mạng của Công an tỉnh {}", state.store.province().name),
        "language": "vi",
        "authors": [{"name": format!("Công an tỉnh {}", state.store.province().name), "url": base}],
        "items": items,
    });
    Ok((
        [(header::CONTENT_TYPE, "application/feed+json; charset=utf-8")],
        feed.to_string(),
    )
        .into_response())
}
