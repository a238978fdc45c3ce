//! Crypto-currency wallet addresses, validated by their checksums: Bitcoin
//! (base58check and bech32/bech32m), Ethereum (EIP-55) and TRON.

use sha2::{Digest, Sha256};
use sha3::Keccak256;

use crate::i18n::Lang;

/// A blockchain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chain {
    /// Bitcoin.
    Btc,
    /// Ethereum and EVM chains (the same address format; USDT-ERC20, BSC).
    Eth,
    /// TRON (USDT-TRC20, the favourite of Vietnamese investment scams).
    Tron,
}

impl Chain {
    /// Stable lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Chain::Btc => "btc",
            Chain::Eth => "eth",
            Chain::Tron => "tron",
        }
    }
}

/// A valid wallet address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wallet {
    chain: Chain,
    address: String,
}

/// Why a text is not a wallet address.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WalletError {
    /// It has no wallet's shape.
    #[error("not a wallet address")]
    Unrecognised,
    /// The shape is right but the checksum is wrong (a typo, or a forged address).
    #[error("checksum mismatch")]
    Checksum,
}

impl WalletError {
    /// Why, for people.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            WalletError::Unrecognised => lang.pick(
                "Không nhận ra địa chỉ ví (BTC, ETH, TRON).",
                "Not a recognised wallet address (BTC, ETH, TRON).",
            ),
            WalletError::Checksum => lang.pick(
                "Địa chỉ ví sai mã kiểm tra: có thể bị gõ nhầm.",
                "The wallet address fails its checksum: probably a typo.",
            ),
        }
        .to_string()
    }
}

fn sha256d(data: &[u8]) -> [u8; 32] {
    let first = Sha256::digest(data);
    Sha256::digest(first).into()
}

fn base58check(text: &str) -> Result<Vec<u8>, WalletError> {
    let bytes = bs58::decode(text)
        .into_vec()
        .map_err(|_| WalletError::Unrecognised)?;
    if bytes.len() != 25 {
        return Err(WalletError::Unrecognised);
    }
    let (payload, check) = bytes.split_at(21);
    if sha256d(payload)[..4] != *check {
        return Err(WalletError::Checksum);
    }
    Ok(payload.to_vec())
}

/// The EIP-55 mixed-case form of a 40-hex-digit address (without 0x).
fn eip55(hex_lower: &str) -> String {
    let hash = Keccak256::digest(hex_lower.as_bytes());
    hex_lower
        .chars()
        .enumerate()
        .map(|(i, c)| {
            let nibble = (hash[i / 2] >> if i % 2 == 0 { 4 } else { 0 }) & 0xf;
            if c.is_ascii_alphabetic() && nibble >= 8 {
                c.to_ascii_uppercase()
            } else {
                c
            }
        })
        .collect()
}

impl Wallet {
    /// Parses and validates an address.
    pub fn parse(text: &str) -> Result<Wallet, WalletError> {
        let text = text.trim();
        if text.len() > 100 {
            return Err(WalletError::Unrecognised);
        }
        if let Some(hex) = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
            if hex.len() != 40 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
                return Err(WalletError::Unrecognised);
            }
            let lower = hex.to_ascii_lowercase();
            let checked = eip55(&lower);
            let mixed = hex != lower && hex != hex.to_ascii_uppercase();
            if mixed && hex != checked {
                return Err(WalletError::Checksum);
            }
            return Ok(Wallet {
                chain: Chain::Eth,
                address: format!("0x{checked}"),
            });
        }
        let lower = text.to_ascii_lowercase();
        if lower.starts_with("bc1") {
            bech32::segwit::decode(text).map_err(|_| WalletError::Checksum)?;
            return Ok(Wallet {
                chain: Chain::Btc,
                address: lower,
            });
        }
        if text.starts_with('T') && text.len() == 34 {
            let payload = base58check(text)?;
            if payload.first() != Some(&0x41) {
                return Err(WalletError::Unrecognised);
            }
            return Ok(Wallet {
                chain: Chain::Tron,
                address: text.to_string(),
            });
        }
        if (text.starts_with('1') || text.starts_with('3')) && (26..=35).contains(&text.len()) {
            let payload = base58check(text)?;
            if !matches!(payload.first(), Some(0x00) | Some(0x05)) {
                return Err(WalletError::Unrecognised);
            }
            return Ok(Wallet {
                chain: Chain::Btc,
                address: text.to_string(),
            });
        }
        Err(WalletError::Unrecognised)
    }

    /// The chain.
    pub fn chain(&self) -> Chain {
        self.chain
    }

    /// The address as it should be shown (EIP-55 for Ethereum).
    pub fn address(&self) -> &str {
        &self.address
    }

    /// The address in the form used as a lookup key (Ethereum lower case).
    pub fn key_address(&self) -> String {
        match self.chain {
            Chain::Eth => self.address.to_ascii_lowercase(),
            _ => self.address.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ethereum_addresses_are_checked_with_eip55() {
        // Test vectors from EIP-55.
        for a in [
            "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
            "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
            "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
        ] {
            assert_eq!(
                Wallet::parse(a).map(|w| w.address().to_string()),
                Ok(a.to_string())
            );
            assert_eq!(
                Wallet::parse(&a.to_ascii_lowercase()).map(|w| w.address().to_string()),
                Ok(a.to_string())
            );
        }
        assert_eq!(
            Wallet::parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"),
            Err(WalletError::Checksum)
        );
    }

    #[test]
    fn bitcoin_addresses_of_every_kind_are_accepted() {
        for a in [
            "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
            "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy",
            "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
            "bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297",
        ] {
            assert_eq!(Wallet::parse(a).map(|w| w.chain()), Ok(Chain::Btc), "{a}");
        }
        assert_eq!(
            Wallet::parse("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb"),
            Err(WalletError::Checksum)
        );
    }

    #[test]
    fn tron_addresses_are_base58check_with_prefix_41() {
        assert_eq!(
            Wallet::parse("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t").map(|w| w.chain()),
            Ok(Chain::Tron)
        );
        assert_eq!(
            Wallet::parse("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u"),
            Err(WalletError::Checksum)
        );
    }
}
