//! VietQR: the EMVCo merchant-presented QR payload that Vietnamese banks use for
//! transfers (NAPAS). Every field is TLV (2-digit tag, 2-digit length, value); tag 38
//! holds GUID A000000727 and the beneficiary {00: BIN, 01: account}; tag 63 is a
//! CRC-16/CCITT-FALSE over everything before its 4 hex digits.

use std::io::Cursor;

use canhgiac_core::banks::Banks;
use canhgiac_core::i18n::Lang;
use serde::Serialize;

/// The longest payload accepted (EMVCo caps a payload at 512 characters).
pub const MAX_PAYLOAD: usize = 512;
/// The largest image accepted, bytes.
pub const MAX_IMAGE_BYTES: usize = 5 * 1024 * 1024;
/// The largest image side accepted, pixels.
/// Longest side of a picture decoded: a phone photo (4032×3024) fits.
const MAX_IMAGE_SIDE: u32 = 4_096;

const VIETQR_GUID: &str = "A000000727";

/// A decoded VietQR code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VietQr {
    /// "static" (reusable, tag 01 = 11) or "dynamic" (one payment, 12).
    pub initiation: &'static str,
    /// The beneficiary bank's NAPAS BIN.
    pub bank_bin: String,
    /// The bank's short name.
    pub bank: String,
    /// The beneficiary account or card number.
    pub account: String,
    /// QRIBFTTA (to an account) or QRIBFTTC (to a card), when given.
    pub service: Option<String>,
    /// Amount in VND, when the code fixes one.
    pub amount_vnd: Option<u64>,
    /// Currency code (704 = VND).
    pub currency: Option<String>,
    /// Country code (VN).
    pub country: Option<String>,
    /// Merchant name, when given.
    pub merchant_name: Option<String>,
    /// Merchant city, when given.
    pub merchant_city: Option<String>,
    /// The transfer message (tag 62, sub-tag 08).
    pub purpose: Option<String>,
    /// Bill number (tag 62, sub-tag 01).
    pub bill_number: Option<String>,
}

/// Why a code cannot be read as VietQR.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QrError {
    /// Nothing given.
    #[error("empty payload")]
    Empty,
    /// Longer than any QR payload.
    #[error("payload too long")]
    TooLong,
    /// Not an EMVCo payload at all (for example a URL or plain text).
    #[error("not an EMVCo payment code")]
    NotEmv,
    /// A field runs past the end of the payload.
    #[error("truncated field at offset {0}")]
    Truncated(usize),
    /// A tag or length that is not two digits.
    #[error("malformed field at offset {0}")]
    Malformed(usize),
    /// No CRC field at the end.
    #[error("missing CRC")]
    MissingCrc,
    /// The CRC does not match: the code was altered or misread.
    #[error("CRC mismatch: code says {found}, content gives {expected}")]
    BadCrc {
        /// What the payload's content gives.
        expected: String,
        /// What the payload says.
        found: String,
    },
    /// A payment code of another scheme (VNPAY-QR, a card scheme…).
    #[error("not VietQR ({0})")]
    NotVietQr(String),
    /// VietQR without beneficiary.
    #[error("no beneficiary account")]
    MissingAccount,
    /// A BIN no known bank has.
    #[error("unknown bank BIN {0}")]
    UnknownBin(String),
    /// An amount that is not a number of VND.
    #[error("invalid amount {0:?}")]
    BadAmount(String),
    /// The image could not be read.
    #[error("unreadable image")]
    ImageUnreadable,
    /// The image is too large.
    #[error("image too large")]
    ImageTooLarge,
    /// No QR code found in the image.
    #[error("no QR code in the image")]
    NoQrInImage,
}

impl QrError {
    /// A stable snake_case code.
    pub fn code(&self) -> &'static str {
        match self {
            QrError::Empty => "qr_empty",
            QrError::TooLong => "qr_too_long",
            QrError::NotEmv => "qr_not_payment",
            QrError::Truncated(_) => "qr_truncated",
            QrError::Malformed(_) => "qr_malformed",
            QrError::MissingCrc => "qr_missing_crc",
            QrError::BadCrc { .. } => "qr_bad_crc",
            QrError::NotVietQr(_) => "qr_not_vietqr",
            QrError::MissingAccount => "qr_missing_account",
            QrError::UnknownBin(_) => "qr_unknown_bin",
            QrError::BadAmount(_) => "qr_bad_amount",
            QrError::ImageUnreadable => "qr_image_unreadable",
            QrError::ImageTooLarge => "qr_image_too_large",
            QrError::NoQrInImage => "qr_not_found",
        }
    }

    /// Why, for people.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (QrError::Empty, Lang::Vi) => "Chưa có nội dung mã QR.".into(),
            (QrError::Empty, Lang::En) => "No QR content was given.".into(),
            (QrError::TooLong, Lang::Vi) => format!("Nội dung mã QR quá dài (tối đa {MAX_PAYLOAD} ký tự)."),
            (QrError::TooLong, Lang::En) => format!("The QR content is too long (at most {MAX_PAYLOAD} characters)."),
            (QrError::NotEmv, Lang::Vi) => "Đây không phải là mã QR thanh toán (VietQR).".into(),
            (QrError::NotEmv, Lang::En) => "This is not a payment QR code (VietQR).".into(),
            (QrError::Truncated(at), Lang::Vi) => format!("Mã QR bị cắt cụt ở vị trí {at}: có thể chụp thiếu hoặc bị sửa."),
            (QrError::Truncated(at), Lang::En) => format!("The QR content is cut short at position {at}: misread or altered."),
            (QrError::Malformed(at), Lang::Vi) => format!("Mã QR sai cấu trúc ở vị trí {at}."),
            (QrError::Malformed(at), Lang::En) => format!("The QR content is malformed at position {at}."),
            (QrError::MissingCrc, Lang::Vi) => "Mã QR thiếu mã kiểm tra (CRC): không phải mã VietQR hợp lệ.".into(),
            (QrError::MissingCrc, Lang::En) => "The QR content has no checksum (CRC): not a valid VietQR code.".into(),
            (QrError::BadCrc { .. }, Lang::Vi) => "Mã kiểm tra (CRC) không khớp: mã QR đã bị sửa hoặc đọc sai. Đừng chuyển tiền theo mã này.".into(),
            (QrError::BadCrc { .. }, Lang::En) => "The checksum (CRC) does not match: the code was altered or misread. Do not pay with it.".into(),
            (QrError::NotVietQr(scheme), Lang::Vi) => format!("Đây là mã thanh toán {scheme}, không phải VietQR chuyển khoản ngân hàng."),
            (QrError::NotVietQr(scheme), Lang::En) => format!("This is a {scheme} payment code, not a VietQR bank transfer."),
            (QrError::MissingAccount, Lang::Vi) => "Mã VietQR không ghi tài khoản nhận.".into(),
            (QrError::MissingAccount, Lang::En) => "The VietQR code names no receiving account.".into(),
            (QrError::UnknownBin(bin), Lang::Vi) => format!("Mã ngân hàng (BIN) {bin} không thuộc ngân hàng nào đã biết."),
            (QrError::UnknownBin(bin), Lang::En) => format!("The bank code (BIN) {bin} belongs to no known bank."),
            (QrError::BadAmount(a), Lang::Vi) => format!("Số tiền “{a}” trong mã QR không hợp lệ."),
            (QrError::BadAmount(a), Lang::En) => format!("The amount “{a}” in the code is invalid."),
            (QrError::ImageUnreadable, Lang::Vi) => "Không đọc được ảnh (chỉ nhận PNG, JPEG).".into(),
            (QrError::ImageUnreadable, Lang::En) => "The image cannot be read (PNG or JPEG only).".into(),
            (QrError::ImageTooLarge, Lang::Vi) => "Ảnh quá lớn.".into(),
            (QrError::ImageTooLarge, Lang::En) => "The image is too large.".into(),
            (QrError::NoQrInImage, Lang::Vi) => "Không tìm thấy mã QR trong ảnh; hãy chụp rõ và thẳng hơn.".into(),
            (QrError::NoQrInImage, Lang::En) => "No QR code was found in the image; take a sharper, straighter picture.".into(),
        }
    }
}

/// CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final xor).
pub fn crc16(data: &[u8]) -> u16 {
    let mut crc: u16 = 0xFFFF;
    for byte in data {
        crc ^= u16::from(*byte) << 8;
        for _ in 0..8 {
            crc = if crc & 0x8000 != 0 {
                (crc << 1) ^ 0x1021
            } else {
                crc << 1
            };
        }
    }
    crc
}

/// One TLV field: tag, value, and the character offset of the tag.
struct Field<'a> {
    tag: &'a str,
    value: &'a str,
    at: usize,
}

/// Splits a TLV string (lengths count characters). `base` is the offset of `text`
/// within the whole payload, for error positions.
fn fields(text: &str, base: usize) -> Result<Vec<Field<'_>>, QrError> {
    let mut out = Vec::new();
    let mut rest = text;
    let mut at = base;
    while !rest.is_empty() {
        let head = rest.get(..4).ok_or(QrError::Truncated(at))?;
        if !head.bytes().all(|b| b.is_ascii_digit()) {
            return Err(QrError::Malformed(at));
        }
        let tag = &head[..2];
        let len: usize = head[2..].parse().map_err(|_| QrError::Malformed(at))?;
        let body = &rest[4..];
        let end = body
            .char_indices()
            .nth(len)
            .map(|(i, _)| i)
            .or_else(|| (body.chars().count() == len).then_some(body.len()))
            .ok_or(QrError::Truncated(at))?;
        out.push(Field {
            tag,
            value: &body[..end],
            at,
        });
        at += 4 + len;
        rest = &body[end..];
    }
    Ok(out)
}

fn find<'a>(fields: &'a [Field<'a>], tag: &str) -> Option<&'a Field<'a>> {
    fields.iter().find(|f| f.tag == tag)
}

/// The payment scheme of a merchant-account GUID, for a clear "not VietQR" message.
fn scheme_of(guid: &str) -> String {
    match guid {
        "A000000775" => "VNPAY-QR".into(),
        g if g.starts_with("A000000003") => "Visa".into(),
        g if g.starts_with("A000000004") => "Mastercard".into(),
        g if g.starts_with("A000000333") => "UnionPay".into(),
        g if g.starts_with("A000000025") => "American Express".into(),
        g if g.starts_with("A000000065") => "JCB".into(),
        "" => "?".into(),
        g => g.chars().take(32).collect(),
    }
}

/// Decodes a VietQR payload as read from a QR code.
pub fn decode_payload(text: &str) -> Result<VietQr, QrError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(QrError::Empty);
    }
    if text.chars().count() > MAX_PAYLOAD {
        return Err(QrError::TooLong);
    }
    if !text.starts_with("000201") {
        return Err(QrError::NotEmv);
    }
    let all = fields(text, 0)?;
    let crc = all
        .last()
        .filter(|f| f.tag == "63")
        .ok_or(QrError::MissingCrc)?;
    if crc.value.len() != 4 {
        return Err(QrError::Malformed(crc.at));
    }
    let covered = &text[..text.len() - 4];
    let expected = format!("{:04X}", crc16(covered.as_bytes()));
    if !crc.value.eq_ignore_ascii_case(&expected) {
        return Err(QrError::BadCrc {
            expected,
            found: crc.value.to_ascii_uppercase(),
        });
    }
    // Tag 38 is VietQR; any other merchant-account tag (02–51) names another scheme.
    let Some(merchant) = find(&all, "38") else {
        let other = all
            .iter()
            .find(|f| f.tag.parse::<u8>().is_ok_and(|t| (2..=51).contains(&t)))
            .map(|f| {
                fields(f.value, f.at + 4)
                    .ok()
                    .and_then(|sub| find(&sub, "00").map(|g| scheme_of(g.value)))
                    .unwrap_or_else(|| scheme_of(f.value))
            })
            .unwrap_or_else(|| "?".into());
        return Err(QrError::NotVietQr(other));
    };
    let sub = fields(merchant.value, merchant.at + 4)?;
    let guid = find(&sub, "00").map(|f| f.value).unwrap_or("");
    if guid != VIETQR_GUID {
        return Err(QrError::NotVietQr(scheme_of(guid)));
    }
    let beneficiary = find(&sub, "01").ok_or(QrError::MissingAccount)?;
    let inner = fields(beneficiary.value, beneficiary.at + 4)?;
    let bin = find(&inner, "00")
        .map(|f| f.value.to_string())
        .ok_or(QrError::MissingAccount)?;
    let account = find(&inner, "01")
        .map(|f| f.value.to_string())
        .filter(|a| !a.is_empty())
        .ok_or(QrError::MissingAccount)?;
    let bank = Banks::get()
        .by_bin(&bin)
        .ok_or_else(|| QrError::UnknownBin(bin.chars().take(12).collect()))?;
    let amount_vnd = match find(&all, "54") {
        None => None,
        Some(f) => {
            let (whole, fraction) = f.value.split_once('.').unwrap_or((f.value, ""));
            if whole.is_empty()
                || !whole.bytes().all(|b| b.is_ascii_digit())
                || !fraction.bytes().all(|b| b == b'0')
            {
                return Err(QrError::BadAmount(f.value.chars().take(20).collect()));
            }
            Some(
                whole
                    .parse::<u64>()
                    .map_err(|_| QrError::BadAmount(f.value.chars().take(20).collect()))?,
            )
        }
    };
    let additional = match find(&all, "62") {
        Some(f) => fields(f.value, f.at + 4)?,
        None => Vec::new(),
    };
    let text_of = |list: &[Field<'_>], tag: &str| {
        find(list, tag)
            .map(|f| f.value.to_string())
            .filter(|v| !v.is_empty())
    };
    Ok(VietQr {
        initiation: match find(&all, "01").map(|f| f.value) {
            Some("12") => "dynamic",
            _ => "static",
        },
        bank_bin: bin,
        bank: bank.short_name.clone(),
        account,
        service: text_of(&sub, "02"),
        amount_vnd,
        currency: text_of(&all, "53"),
        country: text_of(&all, "58"),
        merchant_name: text_of(&all, "59"),
        merchant_city: text_of(&all, "60"),
        purpose: text_of(&additional, "08"),
        bill_number: text_of(&additional, "01"),
    })
}

/// Finds a QR code in an image (PNG or JPEG) and returns its text.
pub fn read_qr_image(bytes: &[u8]) -> Result<String, QrError> {
    if bytes.len() > MAX_IMAGE_BYTES {
        return Err(QrError::ImageTooLarge);
    }
    let mut reader = image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|_| QrError::ImageUnreadable)?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_IMAGE_SIDE);
    limits.max_image_height = Some(MAX_IMAGE_SIDE);
    limits.max_alloc = Some(96 * 1024 * 1024);
    reader.limits(limits);
    let img = reader.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => QrError::ImageTooLarge,
        _ => QrError::ImageUnreadable,
    })?;
    let mut prepared = rqrr::PreparedImage::prepare(img.to_luma8());
    for grid in prepared.detect_grids() {
        if let Ok((_, content)) = grid.decode() {
            return Ok(content);
        }
    }
    Err(QrError::NoQrInImage)
}

/// Decodes a VietQR code from an image.
pub fn decode_image(bytes: &[u8]) -> Result<VietQr, QrError> {
    decode_payload(&read_qr_image(bytes)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Real payloads from the vietnam-qr-pay project's README and tests (CRC checked).
    const ACB_STATIC: &str = "00020101021138530010A0000007270123000697041601092576788590208QRIBFTTA53037045802VN6304AE9F";
    const ACB_DYNAMIC: &str = "00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA53037045405100005802VN62150811Chuyen tien630453E6";
    const TCB_STATIC: &str = "00020101021138580010A000000727012800069704070114190304136010180208QRIBFTTA53037045802VN63040283";

    #[test]
    fn real_static_and_dynamic_codes_decode() {
        let acb = decode_payload(ACB_STATIC).expect("valid");
        assert_eq!(
            (
                acb.bank_bin.as_str(),
                acb.bank.as_str(),
                acb.account.as_str()
            ),
            ("970416", "ACB", "257678859")
        );
        assert_eq!(
            (acb.initiation, acb.amount_vnd, acb.service.as_deref()),
            ("static", None, Some("QRIBFTTA"))
        );
        let dynamic = decode_payload(ACB_DYNAMIC).expect("valid");
        assert_eq!(
            (
                dynamic.initiation,
                dynamic.amount_vnd,
                dynamic.purpose.as_deref()
            ),
            ("dynamic", Some(10_000), Some("Chuyen tien"))
        );
        let tcb = decode_payload(TCB_STATIC).expect("valid");
        assert_eq!(
            (tcb.bank.as_str(), tcb.account.as_str()),
            ("Techcombank", "19030413601018")
        );
    }

    #[test]
    fn crc16_matches_the_ccitt_false_check_value() {
        assert_eq!(crc16(b"123456789"), 0x29B1);
    }

    #[test]
    fn altered_truncated_and_foreign_codes_say_why() {
        let altered = ACB_STATIC.replace("257678859", "257678850");
        assert!(matches!(
            decode_payload(&altered),
            Err(QrError::BadCrc { .. })
        ));
        assert!(matches!(
            decode_payload(&ACB_STATIC[..60]),
            Err(QrError::Truncated(_))
        ));
        assert_eq!(
            decode_payload("https://vietcombank.com.vn"),
            Err(QrError::NotEmv)
        );
        assert_eq!(decode_payload(""), Err(QrError::Empty));
        assert_eq!(decode_payload(&"0".repeat(600)), Err(QrError::TooLong));
        let no_crc = &ACB_STATIC[..ACB_STATIC.len() - 8];
        assert_eq!(decode_payload(no_crc), Err(QrError::MissingCrc));
    }

    fn tlv(tag: &str, value: &str) -> String {
        format!("{tag}{:02}{value}", value.chars().count())
    }

    fn with_crc(body: &str) -> String {
        let covered = format!("{body}6304");
        format!("{covered}{:04X}", crc16(covered.as_bytes()))
    }

    #[test]
    fn other_schemes_and_unknown_banks_are_named() {
        let merchant = format!("{}{}", tlv("00", "A000000775"), tlv("01", "0105314314"));
        let vnpay = with_crc(
            &[
                tlv("00", "01"),
                tlv("01", "12"),
                tlv("26", &merchant),
                tlv("53", "704"),
                tlv("54", "100000"),
                tlv("58", "VN"),
                tlv("59", "VNPAY"),
            ]
            .concat(),
        );
        assert_eq!(
            decode_payload(&vnpay),
            Err(QrError::NotVietQr("VNPAY-QR".into()))
        );
        let unknown_bin = with_crc(
            "00020101021138530010A0000007270123000699999901092576788590208QRIBFTTA53037045802VN",
        );
        assert_eq!(
            decode_payload(&unknown_bin),
            Err(QrError::UnknownBin("999999".into()))
        );
        let bad_amount = with_crc("00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA5303704540510.505802VN");
        assert!(matches!(
            decode_payload(&bad_amount),
            Err(QrError::BadAmount(_))
        ));
    }

    #[test]
    fn a_qr_image_is_read_and_decoded() {
        let code = qrcode::QrCode::new(ACB_DYNAMIC.as_bytes()).expect("encodes");
        let img = code
            .render::<image::Luma<u8>>()
            .min_dimensions(300, 300)
            .build();
        let mut png = Vec::new();
        image::DynamicImage::ImageLuma8(img)
            .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
            .expect("png");
        let decoded = decode_image(&png).expect("decoded");
        assert_eq!(
            (decoded.account.as_str(), decoded.amount_vnd),
            ("257678859", Some(10_000))
        );
        assert_eq!(decode_image(b"not an image"), Err(QrError::ImageUnreadable));
        let blank = image::GrayImage::from_pixel(200, 200, image::Luma([255u8]));
        let mut blank_png = Vec::new();
        image::DynamicImage::ImageLuma8(blank)
            .write_to(&mut Cursor::new(&mut blank_png), image::ImageFormat::Png)
            .expect("png");
        assert_eq!(decode_image(&blank_png), Err(QrError::NoQrInImage));
    }
}
