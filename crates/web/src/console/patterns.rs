//! New-pattern candidates (`/console/mau-moi`): groups of recent reports whose
//! narratives are alike ([`canhgiac_core::patterns::groups`]) and that no catalogue
//! method fits well: neither did most of their reporters choose one method, nor does
//! the message model's best method score, averaged over the group, reach 0.5. Each shows example narratives and the identifiers its reports share, and
//! one click starts a new catalogue entry from it.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use canhgiac_core::i18n::Lang;
use canhgiac_core::patterns::groups;
use canhgiac_core::roles::Permission;
use canhgiac_detect::message::Analyzer;
use canhgiac_store::trends::RecentNarrative;

use super::auth::Console;
use super::{fmt_datetime, Frame};
use crate::pages::render;
use crate::pages::{PageError, PageResult};
use crate::AppState;

/// Days of reports looked at.
pub const RECENT_DAYS: i64 = 90;
/// Reports looked at, newest first.
pub const RECENT_LIMIT: i64 = 3_000;
/// Smallest group shown.
pub const MIN_GROUP: usize = 3;
/// A group whose mean best-method score is below this fits no method well.
pub const FIT_BELOW: f32 = 0.5;

/// A candidate group.
pub struct Candidate {
    pub size: usize,
    pub first: String,
    pub last: String,
    pub best_method: String,
    pub fit: String,
    pub unlabelled: usize,
    pub examples: Vec<(String, String)>,
    pub shared: Vec<String>,
    pub ids: String,
}

#[derive(Template)]
#[template(path = "console/patterns.html")]
struct PatternsPage {
    f: Frame,
    looked_at: usize,
    groups_found: usize,
    candidates: Vec<Candidate>,
    can_create: bool,
}

pub(crate) struct Group {
    pub(crate) members: Vec<usize>,
    best_method: String,
    fit: f32,
}

/// Groups the narratives and keeps those no method fits (CPU work: run off the async
/// threads).
pub(crate) fn candidate_groups(
    state: &AppState,
    recent: &[RecentNarrative],
    lang: Lang,
) -> (usize, Vec<Group>) {
    let texts: Vec<&str> = recent.iter().map(|r| r.narrative.as_str()).collect();
    let found = groups(&texts, MIN_GROUP);
    let registry = state.registry();
    let analyzer = Analyzer::with_registry(&registry);
    let none = |_: &canhgiac_core::Identifier| None;
    let mut out = Vec::new();
    for members in &found {
        let mut fit = 0.0f32;
        let mut votes: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        for &i in members {
            let a = analyzer.analyze(texts[i], &none, lang);
            if let Some(m) = a.methods.first() {
                fit += m.score;
                *votes.entry(m.name.clone()).or_default() += 1;
            }
        }
        let model_fit = fit / members.len() as f32;
        // What the reporters chose: a group most of whose reporters named the same
        // catalogue method fits that method, whatever the model says of narratives
        // (it was trained on scam messages, not on victims' accounts).
        let mut labels: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for &i in members {
            if let Some(m) = recent[i].method.as_deref().filter(|m| *m != "other") {
                *labels.entry(m).or_default() += 1;
            }
        }
        let label = labels.into_iter().max_by_key(|(_, n)| *n);
        let label_fit = label
            .map(|(_, n)| n as f32 / members.len() as f32)
            .unwrap_or(0.0);
        let fit = model_fit.max(label_fit);
        if fit < FIT_BELOW {
            let best_method = if label_fit > model_fit {
                label
                    .and_then(|(k, _)| canhgiac_core::methods::Catalogue::get().by_key(k))
                    .map(|m| m.name(lang).to_string())
            } else {
                votes
                    .into_iter()
                    .max_by_key(|(_, n)| *n)
                    .map(|(name, _)| name)
            }
            .unwrap_or_else(|| lang.pick("(không thủ đoạn nào)", "(none)").to_string());
            out.push(Group {
                members: members.clone(),
                best_method,
                fit,
            });
        }
    }
    (found.len(), out)
}

fn excerpt(text: &str) -> String {
    let mut out: String = text.chars().take(280).collect();
    if text.chars().count() > 280 {
        out.push('…');
    }
    out
}

/// `GET /console/mau-moi`.
pub async fn page(State(state): State<AppState>, console: Console) -> PageResult {
    console.require(Permission::ViewReports)?;
    let lang = console.lang;
    let since = time::OffsetDateTime::now_utc().unix_timestamp() - RECENT_DAYS * 86_400;
    let recent = state.store.recent_narratives(since, RECENT_LIMIT).await?;
    let worker_state = state.clone();
    let (recent, (groups_found, found)) = match tokio::task::spawn_blocking(move || {
        let found = candidate_groups(&worker_state, &recent, lang);
        (recent, found)
    })
    .await
    {
        Ok(v) => v,
        Err(e) => return Err(PageError::unavailable("patterns", e)),
    };
    let mut candidates = Vec::new();
    for g in found.iter().take(20) {
        let ids: Vec<i64> = g.members.iter().map(|&i| recent[i].id).collect();
        let shared = state.store.shared_identifiers(&ids).await?;
        let times = g.members.iter().map(|&i| recent[i].created_at);
        candidates.push(Candidate {
            size: g.members.len(),
            first: times.clone().min().map(fmt_datetime).unwrap_or_default(),
            last: times.max().map(fmt_datetime).unwrap_or_default(),
            best_method: g.best_method.clone(),
            fit: format!("{:.2}", g.fit),
            unlabelled: g
                .members
                .iter()
                .filter(|&&i| recent[i].method.as_deref().is_none_or(|m| m == "other"))
                .count(),
            examples: g
                .members
                .iter()
                .take(3)
                .map(|&i| {
                    (
                        recent[i].tracking_code.clone(),
                        excerpt(&recent[i].narrative),
                    )
                })
                .collect(),
            shared,
            ids: ids
                .iter()
                .take(5)
                .map(|i| i.to_string())
                .collect::<Vec<_>>()
                .join(","),
        });
    }
    Ok(render(
        StatusCode::OK,
        &PatternsPage {
            f: Frame::new(&console),
            looked_at: recent.len(),
            groups_found,
            candidates,
            can_create: console.officer().role.can(Permission::EditCatalogue),
        },
    ))
}
