//! E-mail addresses.

use crate::i18n::Lang;

/// A syntactically valid e-mail address on a real top-level domain, lower case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

/// Why a text is not an e-mail address.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not an e-mail address")]
pub struct EmailError;

impl EmailError {
    /// Why, for people.
    pub fn message(&self, lang: Lang) -> String {
        lang.pick(
            "Địa chỉ thư điện tử không hợp lệ.",
            "The e-mail address is not valid.",
        )
        .to_string()
    }
}

impl Email {
    /// Parses an address; the domain must have a known public suffix.
    pub fn parse(text: &str) -> Result<Email, EmailError> {
        let text = text.trim().trim_start_matches("mailto:");
        if text.len() > 254 {
            return Err(EmailError);
        }
        let (local, domain) = text.rsplit_once('@').ok_or(EmailError)?;
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && local
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "._%+-".contains(c));
        if !local_ok {
            return Err(EmailError);
        }
        let site = crate::ident::website::Website::parse(domain).map_err(|_| EmailError)?;
        if domain.contains('/') || domain.contains(':') {
            return Err(EmailError);
        }
        let host = domain.trim_end_matches('.').to_ascii_lowercase();
        let host = if host.is_ascii() {
            host
        } else {
            site.host().to_string()
        };
        Ok(Email(format!("{}@{}", local.to_ascii_lowercase(), host)))
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_lower_cased_and_checked() {
        assert_eq!(
            Email::parse("Ho.Tro@VietcomBank-CSKH.com").map(|e| e.0),
            Ok("ho.tro@vietcombank-cskh.com".into())
        );
        assert!(Email::parse("a@b").is_err());
        assert!(Email::parse("no at sign").is_err());
        assert!(Email::parse(".a@example.com").is_err());
        assert!(Email::parse("a@example.notatld").is_err());
    }
}
