//! canhgiac-detect: detectors over bytes and text, with no I/O.
//!
//! - [`vietqr`]: decodes VietQR payment codes (EMVCo merchant-presented payloads) from
//!   text or from an image, so that the receiving account can be checked before paying.
//! - [`lookalike`]: names the brand a website imitates and the technique (typo,
//!   homoglyph, TLD swap, combosquatting, subdomain abuse).

pub mod lookalike;
pub mod vietqr;
