//! Social network and messenger accounts: Facebook, Zalo, Telegram, TikTok, Viber.

use crate::i18n::Lang;
use crate::ident::phone::PhoneNumber;

/// A platform where scammers hold accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Platform {
    /// Facebook / Messenger.
    Facebook,
    /// Zalo.
    Zalo,
    /// Telegram.
    Telegram,
    /// TikTok.
    TikTok,
    /// Viber.
    Viber,
}

impl Platform {
    /// Stable lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Facebook => "facebook",
            Platform::Zalo => "zalo",
            Platform::Telegram => "telegram",
            Platform::TikTok => "tiktok",
            Platform::Viber => "viber",
        }
    }

    /// Name for people.
    pub fn label(self) -> &'static str {
        match self {
            Platform::Facebook => "Facebook",
            Platform::Zalo => "Zalo",
            Platform::Telegram => "Telegram",
            Platform::TikTok => "TikTok",
            Platform::Viber => "Viber",
        }
    }

    /// Recognises a platform name or common abbreviation.
    pub fn from_name(name: &str) -> Option<Platform> {
        Some(
            match name.trim().trim_end_matches(':').to_lowercase().as_str() {
                "facebook" | "fb" | "messenger" | "face" => Platform::Facebook,
                "zalo" | "zl" => Platform::Zalo,
                "telegram" | "tele" | "tg" => Platform::Telegram,
                "tiktok" | "tik tok" | "tt" => Platform::TikTok,
                "viber" => Platform::Viber,
                _ => return None,
            },
        )
    }

    fn from_host(host: &str) -> Option<Platform> {
        let host = host.strip_prefix("www.").unwrap_or(host);
        let host = host
            .strip_prefix("m.")
            .or_else(|| host.strip_prefix("web."))
            .unwrap_or(host);
        Some(match host {
            "facebook.com" | "fb.com" | "fb.me" | "messenger.com" | "m.me" => Platform::Facebook,
            "zalo.me" | "chat.zalo.me" => Platform::Zalo,
            "t.me" | "telegram.me" | "telegram.dog" => Platform::Telegram,
            "tiktok.com" | "vt.tiktok.com" => Platform::TikTok,
            "viber.com" | "invite.viber.com" => Platform::Viber,
            _ => return None,
        })
    }
}

/// An account on a platform.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SocialAccount {
    platform: Platform,
    id: String,
}

/// Why a text is not a social account.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SocialError {
    /// The platform was not named or not recognised.
    #[error("unknown platform")]
    UnknownPlatform,
    /// The account name is empty or has characters no platform allows.
    #[error("bad account name")]
    BadHandle,
}

impl SocialError {
    /// Why, for people.
    pub fn message(&self, lang: Lang) -> String {
        lang.pick(
            match self {
                SocialError::UnknownPlatform => "Hãy ghi rõ nền tảng và tài khoản, ví dụ “facebook.com/ten.tai.khoan”, “t.me/tentaikhoan” hoặc “zalo 0912345678”.",
                SocialError::BadHandle => "Tên tài khoản mạng xã hội không hợp lệ.",
            },
            match self {
                SocialError::UnknownPlatform => "Name the platform and the account, e.g. “facebook.com/some.name”, “t.me/somename” or “zalo 0912345678”.",
                SocialError::BadHandle => "The account name is not valid.",
            },
        )
        .to_string()
    }
}

fn clean_handle(platform: Platform, handle: &str) -> Result<String, SocialError> {
    let handle = handle.trim().trim_start_matches('@').trim_end_matches('/');
    if handle.is_empty() || handle.len() > 100 {
        return Err(SocialError::BadHandle);
    }
    // Zalo and Viber accounts are phone numbers.
    if matches!(platform, Platform::Zalo | Platform::Viber) {
        if let Ok(p) = PhoneNumber::parse(handle) {
            return Ok(p.e164().to_string());
        }
    }
    if !handle
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_' || c == '-')
    {
        return Err(SocialError::BadHandle);
    }
    Ok(handle.to_ascii_lowercase())
}

impl SocialAccount {
    /// Builds an account from a platform and a handle.
    pub fn new(platform: Platform, handle: &str) -> Result<SocialAccount, SocialError> {
        Ok(SocialAccount {
            platform,
            id: clean_handle(platform, handle)?,
        })
    }

    /// Parses "facebook.com/x", "t.me/x", "zalo 0912…", "telegram: @x", "tiktok @x".
    pub fn parse(text: &str) -> Result<SocialAccount, SocialError> {
        let text = text.trim();
        if let Some(account) = Self::from_url(text) {
            return Ok(account);
        }
        let (name, handle) = text
            .split_once(|c: char| c == ':' || c.is_whitespace())
            .ok_or(SocialError::UnknownPlatform)?;
        let platform = Platform::from_name(name).ok_or(SocialError::UnknownPlatform)?;
        Self::new(platform, handle.trim_start_matches(':'))
    }

    /// Recognises a profile link on a known platform; `None` for any other URL.
    pub fn from_url(text: &str) -> Option<SocialAccount> {
        let text = crate::ident::website::refang(text);
        let with_scheme = if text.contains("://") {
            text
        } else {
            format!("https://{text}")
        };
        let url = url::Url::parse(&with_scheme).ok()?;
        let platform = Platform::from_host(url.host_str()?)?;
        let mut segments = url.path_segments()?.filter(|s| !s.is_empty());
        let first = segments.next()?;
        let handle = match platform {
            Platform::Facebook if first == "profile.php" => url
                .query_pairs()
                .find(|(k, _)| k == "id")
                .map(|(_, v)| v.into_owned())?,
            Platform::Facebook if first == "people" => {
                let _name = segments.next()?;
                segments.next()?.to_string()
            }
            Platform::Facebook if matches!(first, "groups" | "pages" | "share") => {
                format!("{first}/{}", segments.next()?)
            }
            Platform::TikTok => first.strip_prefix('@')?.to_string(),
            Platform::Viber => url
                .query_pairs()
                .find(|(k, _)| k == "number")
                .map(|(_, v)| v.into_owned())
                .unwrap_or_else(|| first.to_string()),
            _ => first.to_string(),
        };
        if handle.contains('/') {
            let (prefix, rest) = handle.split_once('/')?;
            let id = clean_handle(platform, rest).ok()?;
            return Some(SocialAccount {
                platform,
                id: format!("{prefix}/{id}"),
            });
        }
        SocialAccount::new(platform, &handle).ok()
    }

    /// The platform.
    pub fn platform(&self) -> Platform {
        self.platform
    }

    /// The account id: lower-case handle, numeric id, or E.164 for phone-based accounts.
    pub fn id(&self) -> &str {
        &self.id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(text: &str) -> Option<String> {
        SocialAccount::parse(text)
            .ok()
            .map(|s| format!("{}:{}", s.platform().as_str(), s.id()))
    }

    #[test]
    fn profile_links_and_handles_become_platform_and_id() {
        assert_eq!(
            key("https://www.facebook.com/Nguyen.Van.A?ref=xyz").as_deref(),
            Some("facebook:nguyen.van.a")
        );
        assert_eq!(
            key("m.facebook.com/profile.php?id=100012345678").as_deref(),
            Some("facebook:100012345678")
        );
        assert_eq!(
            key("fb.com/nguyen.van.a").as_deref(),
            Some("facebook:nguyen.van.a")
        );
        assert_eq!(
            key("https://t.me/HoTroVayVon").as_deref(),
            Some("telegram:hotrovayvon")
        );
        assert_eq!(
            key("telegram: @HoTroVayVon").as_deref(),
            Some("telegram:hotrovayvon")
        );
        assert_eq!(
            key("https://www.tiktok.com/@shop.sale99").as_deref(),
            Some("tiktok:shop.sale99")
        );
        assert_eq!(
            key("tiktok @shop.sale99").as_deref(),
            Some("tiktok:shop.sale99")
        );
        assert_eq!(
            key("zalo.me/0912345678").as_deref(),
            Some("zalo:+84912345678")
        );
        assert_eq!(
            key("zalo 0912 345 678").as_deref(),
            Some("zalo:+84912345678")
        );
        assert_eq!(
            key("viber 0912345678").as_deref(),
            Some("viber:+84912345678")
        );
    }

    #[test]
    fn other_links_and_bad_handles_are_not_social_accounts() {
        assert!(SocialAccount::from_url("https://example.com/abc").is_none());
        assert_eq!(
            SocialAccount::parse("myspace abc"),
            Err(SocialError::UnknownPlatform)
        );
        assert_eq!(
            SocialAccount::parse("telegram @a b!"),
            Err(SocialError::BadHandle)
        );
    }
}
