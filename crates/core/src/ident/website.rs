//! Websites: URLs and bare domains, defanged forms accepted, IDN to punycode,
//! tracking parameters dropped, registrable domain through the Public Suffix List.

use crate::i18n::Lang;

/// The longest URL accepted, in bytes.
const MAX_URL: usize = 2048;

/// Query parameters that only track the click and never identify the site.
const TRACKING_PARAMS: &[&str] = &[
    "fbclid", "gclid", "dclid", "msclkid", "zarsrc", "gidzl", "igshid", "mc_cid", "mc_eid",
    "_hsenc", "_hsmi", "ref_src", "yclid", "ttclid",
];

/// A website identified by its host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Website {
    url: String,
    host: String,
    registrable: String,
}

/// Why a text is not a website.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebsiteError {
    /// Nothing given.
    #[error("empty")]
    Empty,
    /// Too long.
    #[error("too long")]
    TooLong,
    /// Not parseable as a URL.
    #[error("not a URL")]
    Malformed,
    /// The top-level domain is not in the Public Suffix List.
    #[error("unknown top-level domain {0:?}")]
    UnknownSuffix(String),
    /// A scheme other than http(s).
    #[error("unsupported scheme {0:?}")]
    Scheme(String),
}

impl WebsiteError {
    /// Why, for people.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (WebsiteError::Empty, Lang::Vi) => "Chưa nhập địa chỉ trang web.".into(),
            (WebsiteError::Empty, Lang::En) => "No website was given.".into(),
            (WebsiteError::TooLong, Lang::Vi) => {
                format!("Địa chỉ trang web quá dài (tối đa {MAX_URL} ký tự).")
            }
            (WebsiteError::TooLong, Lang::En) => {
                format!("The address is too long (at most {MAX_URL} characters).")
            }
            (WebsiteError::Malformed, Lang::Vi) => {
                "Đây không phải là một địa chỉ trang web hợp lệ.".into()
            }
            (WebsiteError::Malformed, Lang::En) => "This is not a valid web address.".into(),
            (WebsiteError::UnknownSuffix(s), Lang::Vi) => {
                format!("Tên miền cấp cao “{s}” không tồn tại.")
            }
            (WebsiteError::UnknownSuffix(s), Lang::En) => {
                format!("The top-level domain “{s}” does not exist.")
            }
            (WebsiteError::Scheme(s), Lang::Vi) => {
                format!("Chỉ kiểm tra được địa chỉ http(s), không phải “{s}”.")
            }
            (WebsiteError::Scheme(s), Lang::En) => {
                format!("Only http(s) addresses can be checked, not “{s}”.")
            }
        }
    }
}

/// Undoes the usual defanging: `hxxp`, `[.]`, `(.)`, `[dot]`, `[:]`.
pub fn refang(text: &str) -> String {
    let mut s = text.trim().to_string();
    for (from, to) in [
        ("[.]", "."),
        ("(.)", "."),
        ("{.}", "."),
        ("[dot]", "."),
        ("(dot)", "."),
        ("[:]", ":"),
        ("[://]", "://"),
    ] {
        s = replace_ignoring_case(&s, from, to);
    }
    let lower = s.to_ascii_lowercase();
    for (from, to) in [
        ("hxxps://", "https://"),
        ("hxxp://", "http://"),
        ("hxxps[:]//", "https://"),
        ("hxxp[:]//", "http://"),
    ] {
        if lower.starts_with(from) {
            s = format!("{to}{}", &s[from.len()..]);
            break;
        }
    }
    s
}

/// Replaces every occurrence of an ASCII pattern, whatever its case (`[DOT]`, `(Dot)`).
fn replace_ignoring_case(text: &str, from: &str, to: &str) -> String {
    let lower = text.to_ascii_lowercase();
    if !lower.contains(from) {
        return text.to_string();
    }
    // ASCII lower-casing keeps byte offsets, so positions found in `lower` hold in `text`.
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (at, _) in lower.match_indices(from) {
        out.push_str(&text[last..at]);
        out.push_str(to);
        last = at + from.len();
    }
    out.push_str(&text[last..]);
    out
}

impl Website {
    /// Parses a URL or a bare domain.
    pub fn parse(input: &str) -> Result<Website, WebsiteError> {
        let text = refang(input);
        if text.is_empty() {
            return Err(WebsiteError::Empty);
        }
        if text.len() > MAX_URL {
            return Err(WebsiteError::TooLong);
        }
        if text.chars().any(char::is_whitespace) {
            return Err(WebsiteError::Malformed);
        }
        let with_scheme = if text.contains("://") {
            text
        } else {
            format!("http://{text}")
        };
        let mut url = url::Url::parse(&with_scheme).map_err(|_| WebsiteError::Malformed)?;
        match url.scheme() {
            "http" | "https" => {}
            other => return Err(WebsiteError::Scheme(other.to_string())),
        }
        let host = url
            .host_str()
            .ok_or(WebsiteError::Malformed)?
            .trim_end_matches('.')
            .to_string();
        let is_ip = matches!(
            url.host(),
            Some(url::Host::Ipv4(_)) | Some(url::Host::Ipv6(_))
        );
        let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
        // A domain name is letters, digits and hyphens (IDNs arrive here as punycode);
        // `url` lets through characters such as parentheses that no DNS name has.
        if !is_ip
            && !host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'))
        {
            return Err(WebsiteError::Malformed);
        }
        let registrable = if is_ip {
            host.clone()
        } else {
            if !host.contains('.') {
                return Err(WebsiteError::Malformed);
            }
            match psl::suffix(host.as_bytes()) {
                Some(s) if s.is_known() => {}
                _ => {
                    return Err(WebsiteError::UnknownSuffix(
                        host.rsplit('.').next().unwrap_or("").to_string(),
                    ))
                }
            }
            // A host that is itself a public suffix (hu.net, blogspot.com: private
            // suffixes that are also sites) registers as a whole.
            psl::domain_str(&host).unwrap_or(&host).to_string()
        };
        // Drop tracking parameters and the fragment; keep what identifies the page.
        let kept: Vec<(String, String)> = url
            .query_pairs()
            .filter(|(k, _)| !k.starts_with("utm_") && !TRACKING_PARAMS.contains(&k.as_ref()))
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        if kept.is_empty() {
            url.set_query(None);
        } else {
            url.query_pairs_mut().clear().extend_pairs(kept);
        }
        url.set_fragment(None);
        Ok(Website {
            url: url.to_string(),
            host,
            registrable,
        })
    }

    /// The normalised URL (lower-case punycode host, no tracking parameters).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The host name without `www.`, in punycode: the lookup value.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The registrable domain (`vietcombank-hotro.com.vn` for `a.b.vietcombank-hotro.com.vn`).
    pub fn registrable(&self) -> &str {
        &self.registrable
    }

    /// The host with IDN labels shown in Unicode.
    pub fn display_host(&self) -> String {
        let (unicode, result) = idna::domain_to_unicode(&self.host);
        if result.is_ok() {
            unicode
        } else {
            self.host.clone()
        }
    }

    /// The host and each parent domain down to the registrable domain, most specific
    /// first: what a lookup tries.
    pub fn lookup_hosts(&self) -> Vec<&str> {
        let mut out = vec![self.host.as_str()];
        let mut rest = self.host.as_str();
        while rest.len() > self.registrable.len() {
            match rest.split_once('.') {
                Some((_, parent)) => {
                    rest = parent;
                    out.push(rest);
                }
                None => break,
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_and_its_bare_domain_meet() {
        let a = Website::parse("https://VietcomBank-hotro.com.vn/login?x=1").expect("valid");
        let b = Website::parse("vietcombank-hotro.com.vn").expect("valid");
        assert_eq!(a.host(), b.host());
        assert_eq!(a.host(), "vietcombank-hotro.com.vn");
        assert_eq!(a.registrable(), "vietcombank-hotro.com.vn");
    }

    #[test]
    fn defanged_urls_are_accepted() {
        for input in [
            "hxxps://evil[.]example[.]com/a",
            "hxxp://evil(.)example(.)com",
            "evil[dot]example[.]com",
        ] {
            assert_eq!(
                Website::parse(input).map(|w| w.host().to_string()),
                Ok("evil.example.com".to_string()),
                "{input}"
            );
        }
    }

    #[test]
    fn idn_hosts_become_punycode_and_display_in_unicode() {
        let w = Website::parse("https://vietcombаnk.com").expect("valid"); // Cyrillic а
        assert!(w.host().starts_with("xn--"), "{}", w.host());
        assert_eq!(w.display_host(), "vietcombаnk.com");
        let v = Website::parse("dịchvụcông.vn").expect("valid");
        assert!(v.host().starts_with("xn--"));
    }

    #[test]
    fn tracking_parameters_and_www_are_dropped() {
        let w = Website::parse("https://www.example.com/p?id=7&utm_source=fb&fbclid=abc#top")
            .expect("valid");
        assert_eq!(w.url(), "https://www.example.com/p?id=7");
        assert_eq!(w.host(), "example.com");
    }

    #[test]
    fn subdomains_look_up_their_parents_down_to_the_registrable_domain() {
        let w = Website::parse("vietcombank.com.vn.secure-login.top").expect("valid");
        assert_eq!(w.registrable(), "secure-login.top");
        assert_eq!(
            w.lookup_hosts(),
            vec![
                "vietcombank.com.vn.secure-login.top",
                "com.vn.secure-login.top",
                "vn.secure-login.top",
                "secure-login.top"
            ]
        );
    }

    #[test]
    fn a_host_that_is_a_public_suffix_is_its_own_registrable_domain() {
        let w = Website::parse("hu.net").expect("valid");
        assert_eq!((w.host(), w.registrable()), ("hu.net", "hu.net"));
    }

    #[test]
    fn bad_websites_say_why() {
        assert_eq!(Website::parse(""), Err(WebsiteError::Empty));
        assert!(matches!(
            Website::parse("example.notatld"),
            Err(WebsiteError::UnknownSuffix(_))
        ));
        assert!(matches!(
            Website::parse("ftp://example.com"),
            Err(WebsiteError::Scheme(_))
        ));
        assert_eq!(
            Website::parse("hello world.com"),
            Err(WebsiteError::Malformed)
        );
        assert_eq!(
            Website::parse(&format!("{}.com", "a".repeat(3000))),
            Err(WebsiteError::TooLong)
        );
    }
}

#[cfg(test)]
mod fuzz_findings {
    use super::*;

    /// Found by `cargo fuzz run website`: a defanged dot in another case stayed in
    /// the host, so the canonical URL did not parse back to the same host.
    #[test]
    fn defanging_is_undone_in_any_case_and_odd_hosts_are_refused() {
        assert_eq!(
            Website::parse("as(dOt)c.cY").map(|w| w.host().to_string()),
            Ok("as.c.cy".into())
        );
        assert_eq!(
            Website::parse("evil[DOT]com").map(|w| w.host().to_string()),
            Ok("evil.com".into())
        );
        assert_eq!(
            Website::parse("http://a(b).com"),
            Err(WebsiteError::Malformed)
        );
        for input in ["as(dOt)c.cY", "x[Dot]y.com.vn/a?b=1"] {
            let once = Website::parse(input).expect("parses");
            let again = Website::parse(once.url()).expect("parses again");
            assert_eq!(again.host(), once.host());
        }
    }
}
