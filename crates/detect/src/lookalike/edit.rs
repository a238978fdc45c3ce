//! A protected brand as an officer edits it: the input (form or API) and its
//! checks. A domain that is another brand's real domain is refused, so a brand
//! cannot be made to vouch for someone else's site.

use canhgiac_core::brand::BrandRecord;
use canhgiac_core::i18n::Lang;
use canhgiac_core::ident::website::Website;
use canhgiac_core::intake::FieldError;
use serde::Deserialize;

use super::{Brand, CATEGORIES};

/// Most domains one brand may list.
pub const MAX_DOMAINS: usize = 30;

/// A brand as sent.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BrandInput {
    /// Name for people.
    #[serde(default)]
    pub name: String,
    /// One of `bank`, `carrier`, `delivery`, `ecommerce`, `ewallet`, `government`,
    /// `police`, `social`, `travel`, `utility`.
    #[serde(default)]
    pub category: String,
    /// Its real domains (registrable domains or hosts, no paths).
    #[serde(default)]
    pub domains: Vec<String>,
    /// The brand's `fingerprint` as you read it from `GET /api/v1/brands` (`new` when
    /// creating one): if the brand changed since, the edit is refused with 409
    /// `changed_meanwhile`. Without it, the last edit wins.
    #[serde(default)]
    pub base: Option<String>,
}

/// Checks a brand; a domain that is another brand's real domain is refused.
pub fn validate(
    key: &str,
    input: &BrandInput,
    others: &[Brand],
    lang: Lang,
) -> Result<BrandRecord, Vec<FieldError>> {
    let mut errors = Vec::new();
    let key = key.trim().to_ascii_lowercase();
    if !(2..=40).contains(&key.len())
        || !key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        errors.push(FieldError::new(
            "key",
            "key_invalid",
            lang.pick(
                "Mã thương hiệu gồm 2–40 chữ thường, số, '-' hoặc '_'.",
                "The key is 2-40 lower-case letters, digits, '-' or '_'.",
            ),
        ));
    }
    let name = input.name.trim();
    if !(2..=100).contains(&name.chars().count()) {
        errors.push(FieldError::new(
            "name",
            "name_invalid",
            lang.pick(
                "Tên cần từ 2 đến 100 ký tự.",
                "The name needs 2 to 100 characters.",
            ),
        ));
    }
    if !CATEGORIES.contains(&input.category.as_str()) {
        errors.push(FieldError::new(
            "category",
            "category_invalid",
            format!(
                "{}: {}",
                lang.pick("Nhóm phải là một trong", "The category must be one of"),
                CATEGORIES.join(", ")
            ),
        ));
    }
    let mut domains: Vec<String> = Vec::new();
    if input.domains.is_empty() || input.domains.len() > MAX_DOMAINS {
        errors.push(FieldError::new(
            "domains",
            "domains_count",
            lang.pick(
                "Cần từ 1 đến 30 tên miền thật.",
                "Between 1 and 30 real domains are needed.",
            ),
        ));
    }
    for (i, raw) in input.domains.iter().take(MAX_DOMAINS).enumerate() {
        let field = format!("domains[{i}]");
        let text = raw.trim();
        match Website::parse(text) {
            Ok(site)
                if site.host() == site.registrable()
                    || site.host().ends_with(&format!(".{}", site.registrable())) =>
            {
                let host = site.host().to_string();
                if let Some(owner) = others.iter().find(|b| {
                    b.key != key && b.domains.iter().any(|d| d.eq_ignore_ascii_case(&host))
                }) {
                    errors.push(FieldError::new(
                        &field,
                        "domain_taken",
                        format!(
                            "{} {} ({})",
                            host,
                            lang.pick("đã là tên miền của", "already belongs to"),
                            owner.name
                        ),
                    ));
                } else if !domains.contains(&host) {
                    domains.push(host);
                }
            }
            Ok(_) | Err(_) => errors.push(FieldError::new(
                &field,
                "domain_invalid",
                format!(
                    "{}: {}",
                    lang.pick("Tên miền không hợp lệ", "Not a valid domain"),
                    text.chars().take(80).collect::<String>()
                ),
            )),
        }
    }
    if errors.is_empty() {
        Ok(BrandRecord {
            key,
            name: name.to_string(),
            category: input.category.clone(),
            domains,
        })
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn others() -> Vec<Brand> {
        vec![Brand {
            key: "vietcombank".into(),
            name: "Vietcombank".into(),
            category: "bank".into(),
            domains: vec!["vietcombank.com.vn".into()],
            owned: Vec::new(),
            aliases: Vec::new(),
        }]
    }

    #[test]
    fn a_brand_is_normalised_and_cannot_take_another_brands_domain() {
        let ok = validate(
            " Dongnai-Water ",
            &BrandInput {
                name: "Cấp nước Đồng Nai".into(),
                category: "utility".into(),
                domains: vec!["https://DNW.com.vn/".into(), "dnw.com.vn".into()],
                base: None,
            },
            &others(),
            Lang::Vi,
        )
        .expect("valid");
        assert_eq!(
            (ok.key.as_str(), ok.domains.clone()),
            ("dongnai-water", vec!["dnw.com.vn".to_string()])
        );
        let errors = validate(
            "x",
            &BrandInput {
                name: "".into(),
                category: "shop".into(),
                domains: vec!["vietcombank.com.vn".into(), "not a domain".into()],
                base: None,
            },
            &others(),
            Lang::En,
        )
        .expect_err("invalid");
        let codes: Vec<&str> = errors.iter().map(|e| e.code.as_str()).collect();
        assert_eq!(
            codes,
            [
                "key_invalid",
                "name_invalid",
                "category_invalid",
                "domain_taken",
                "domain_invalid"
            ]
        );
        // Editing a brand keeps its own domains.
        assert!(validate(
            "vietcombank",
            &BrandInput {
                name: "Vietcombank".into(),
                category: "bank".into(),
                domains: vec!["vietcombank.com.vn".into(), "vcb.com.vn".into()],
                base: None,
            },
            &others(),
            Lang::Vi
        )
        .is_ok());
    }
}
