//! The parts of a citizen's report that are pure domain: channels, identifier
//! roles, field limits.

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

/// The longest narrative, in characters.
pub const MAX_NARRATIVE_CHARS: usize = 10_000;
/// The most identifiers one report may name.
pub const MAX_IDENTIFIERS: usize = 50;
/// The most transfers one report may list.
pub const MAX_TRANSFERS: usize = 50;
/// The largest loss accepted, VND (one hundred thousand billion; anything above is a typo).
pub const MAX_AMOUNT_VND: u64 = 100_000_000_000_000;

macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $key:literal, $vi:literal, $en:literal;)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* $variant,)* }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            /// The stable snake_case key.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $key,)* }
            }

            /// Parses the stable key.
            pub fn parse(key: &str) -> Option<$name> {
                match key { $($key => Some($name::$variant),)* _ => None }
            }

            /// A label for people.
            pub fn label(self, lang: Lang) -> &'static str {
                match self { $($name::$variant => lang.pick($vi, $en),)* }
            }
        }
    };
}

string_enum! {
    /// How the scammer first made contact.
    Channel {
        /// A phone call.
        Call = "call", "Cuộc gọi điện thoại", "Phone call";
        /// SMS.
        Sms = "sms", "Tin nhắn SMS", "SMS";
        /// Zalo.
        Zalo = "zalo", "Zalo", "Zalo";
        /// Facebook or Messenger.
        Facebook = "facebook", "Facebook / Messenger", "Facebook / Messenger";
        /// Telegram.
        Telegram = "telegram", "Telegram", "Telegram";
        /// A website.
        Website = "website", "Trang web", "Website";
        /// An app.
        App = "app", "Ứng dụng điện thoại", "Mobile app";
        /// In person.
        InPerson = "in_person", "Gặp trực tiếp", "In person";
        /// Anything else.
        Other = "other", "Khác", "Other";
    }
}

string_enum! {
    /// What an identifier was to the scam.
    Role {
        /// The number the scammer called or texted from.
        ScammerPhone = "scammer_phone", "Số điện thoại kẻ gian", "Scammer's phone";
        /// The account that received the victim's money.
        ReceivingAccount = "receiving_account", "Tài khoản nhận tiền", "Receiving account";
        /// A fake website.
        FakeWebsite = "fake_website", "Trang web giả", "Fake website";
        /// The scammer's social or messenger account.
        ScammerSocial = "scammer_social", "Tài khoản mạng xã hội kẻ gian", "Scammer's social account";
        /// The scammer's e-mail.
        ScammerEmail = "scammer_email", "Email kẻ gian", "Scammer's e-mail";
        /// A wallet that received crypto.
        ReceivingWallet = "receiving_wallet", "Ví nhận tiền mã hóa", "Receiving wallet";
        /// Named in the narrative and confirmed by the reporter.
        Mentioned = "mentioned", "Được nhắc đến", "Mentioned";
    }
}

impl Role {
    /// The usual role of an identifier of a kind.
    pub fn default_for(kind: crate::ident::IdentifierKind) -> Role {
        use crate::ident::IdentifierKind as K;
        match kind {
            K::Phone => Role::ScammerPhone,
            K::BankAccount => Role::ReceivingAccount,
            K::Url => Role::FakeWebsite,
            K::Social => Role::ScammerSocial,
            K::Email => Role::ScammerEmail,
            K::Wallet => Role::ReceivingWallet,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_channel_round_trips_through_its_key() {
        for c in Channel::ALL {
            assert_eq!(Channel::parse(c.as_str()), Some(*c));
            assert!(!c.label(Lang::Vi).is_empty());
        }
        assert_eq!(Channel::parse("fax"), None);
    }
}
