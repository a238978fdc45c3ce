//! Amounts of money as people in Vietnam write them: "15.000.000", "15,000,000 đ",
//! "15 triệu", "15tr", "1,5 tỷ", "2tr5", "500k", "2 triệu 500 nghìn". The answer is in
//! đồng, to be echoed back as a number for the writer to confirm.

/// The largest amount accepted: a thousand billion đồng.
pub const MAX_VND: u64 = 1_000_000_000_000_000;

/// Why an amount could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    /// Not a number of đồng.
    #[error("not an amount")]
    Unreadable,
    /// More than [`MAX_VND`].
    #[error("amount too large")]
    TooLarge,
}

const UNITS: [(&str, u64); 12] = [
    ("tỷ", 1_000_000_000),
    ("tỉ", 1_000_000_000),
    ("ty", 1_000_000_000),
    ("triệu", 1_000_000),
    ("trieu", 1_000_000),
    ("tr", 1_000_000),
    ("củ", 1_000_000),
    ("nghìn", 1_000),
    ("ngàn", 1_000),
    ("nghin", 1_000),
    ("ngan", 1_000),
    ("k", 1_000),
];

/// Reads an amount in đồng; `Ok(None)` when nothing was written.
pub fn parse_vnd(text: &str) -> Result<Option<u64>, AmountError> {
    let mut t = text.trim().to_lowercase();
    for currency in ["vnđ", "vnd", "đồng", "dong", "đ"] {
        if let Some(stripped) = t.strip_suffix(currency) {
            t = stripped.trim_end().to_string();
        }
    }
    if t.is_empty() {
        return Ok(None);
    }
    let total = if t.chars().any(char::is_alphabetic) {
        with_units(&t)?
    } else {
        plain(&t)?
    };
    if total > MAX_VND as f64 {
        return Err(AmountError::TooLarge);
    }
    Ok(Some(total.round() as u64))
}

/// Digits with thousands separators: "15.000.000", "15,000,000", "15 000 000".
fn plain(t: &str) -> Result<f64, AmountError> {
    let digits: String = t
        .chars()
        .filter(|c| !matches!(c, '.' | ',' | ' ' | '\u{a0}'))
        .collect();
    if digits.is_empty() || digits.len() > 19 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(AmountError::Unreadable);
    }
    digits
        .parse::<u64>()
        .map(|n| n as f64)
        .map_err(|_| AmountError::TooLarge)
}

/// "1,5 tỷ", "2 triệu 500 nghìn", "2tr5", "500k": each number times the unit after it;
/// a bare number after a unit is a fraction of it ("2tr5" is 2.5 million).
fn with_units(t: &str) -> Result<f64, AmountError> {
    let mut total = 0.0;
    let mut rest = t.trim();
    let mut last_unit: Option<u64> = None;
    while !rest.is_empty() {
        let number_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
            .unwrap_or(rest.len());
        if number_len == 0 {
            return Err(AmountError::Unreadable);
        }
        let number = decimal(&rest[..number_len])?;
        rest = rest[number_len..].trim_start();
        match UNITS.iter().find(|(name, _)| rest.starts_with(name)) {
            Some((name, unit)) => {
                if last_unit.is_some_and(|last| *unit >= last) {
                    return Err(AmountError::Unreadable);
                }
                total += number * *unit as f64;
                last_unit = Some(*unit);
                rest = rest[name.len()..].trim_start();
            }
            None if rest.is_empty() => {
                // "2tr5": the digits after the last unit are a fraction of it.
                let Some(unit) = last_unit else {
                    return Err(AmountError::Unreadable);
                };
                let digits = number_len as i32;
                total += number * unit as f64 / 10f64.powi(digits);
            }
            None => return Err(AmountError::Unreadable),
        }
    }
    Ok(total)
}

/// "1,5" or "1.5" (one separator: a decimal point), "15" or "1.500" (thousands).
fn decimal(s: &str) -> Result<f64, AmountError> {
    let separators = s.matches(['.', ',']).count();
    let normal = match separators {
        0 => s.to_string(),
        1 => {
            let (whole, frac) = s.split_once(['.', ',']).unwrap_or((s, ""));
            if frac.len() == 3 && !whole.is_empty() {
                format!("{whole}{frac}")
            } else {
                format!("{whole}.{frac}")
            }
        }
        _ => s.replace(['.', ','], ""),
    };
    normal.parse::<f64>().map_err(|_| AmountError::Unreadable)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_as_people_write_them() {
        for (text, vnd) in [
            ("15.000.000", 15_000_000),
            ("15,000,000", 15_000_000),
            ("15 000 000 đ", 15_000_000),
            ("15.000.000 VNĐ", 15_000_000),
            ("15 triệu", 15_000_000),
            ("15tr", 15_000_000),
            ("15 TR", 15_000_000),
            ("1,5 tỷ", 1_500_000_000),
            ("1.5 tỷ", 1_500_000_000),
            ("2tr5", 2_500_000),
            ("2 triệu 500 nghìn", 2_500_000),
            ("1 tỷ 200 triệu", 1_200_000_000),
            ("500k", 500_000),
            ("500 ngàn đồng", 500_000),
            ("3 củ", 3_000_000),
        ] {
            assert_eq!(parse_vnd(text), Ok(Some(vnd)), "{text}");
        }
    }

    #[test]
    fn nothing_is_none_and_nonsense_is_refused() {
        assert_eq!(parse_vnd("  "), Ok(None));
        assert_eq!(parse_vnd("đ"), Ok(None));
        for text in ["năm triệu", "-5", "5 triệu 3 tỷ", "abc", "tr5", "1e9"] {
            assert_eq!(parse_vnd(text), Err(AmountError::Unreadable), "{text}");
        }
        assert_eq!(parse_vnd("9999999 tỷ"), Err(AmountError::TooLarge));
    }
}
