//! Identifier extraction and parsing speed.
//! Target (issue 2): extraction from a 500-character message ≤ 20 µs.

use std::hint::black_box;

use canhgiac_core::extract::extract;
use canhgiac_core::recognize::recognize;
use criterion::{criterion_group, criterion_main, Criterion};

/// A realistic scam message of about 500 characters with a phone number, an
/// account, a link and an amount.
const MESSAGE: &str = "Công an tỉnh Đồng Nai thông báo: tài khoản định danh điện tử của bạn liên quan đến đường dây rửa tiền đang bị điều tra. \
Để chứng minh tiền sạch, yêu cầu chuyển toàn bộ số dư 45.000.000 đồng vào tài khoản tạm giữ STK 0123456789 Vietcombank, chủ TK NGUYEN VAN B. \
Liên hệ ngay cán bộ thụ lý qua số 0912 345 678 hoặc Zalo 0987.654.321 và truy cập https://dichvucong-gov.vn-xacthuc.top/login?utm_source=sms để cập nhật. \
Không được tiết lộ với bất kỳ ai, kể cả người thân. Quá hạn 24 giờ sẽ bị khởi tố.";

fn benches(c: &mut Criterion) {
    assert!(
        (450..=560).contains(&MESSAGE.chars().count()),
        "{}",
        MESSAGE.chars().count()
    );
    assert_eq!(extract(MESSAGE).len(), 4);
    c.bench_function("extract/500-char message", |b| {
        b.iter(|| extract(black_box(MESSAGE)))
    });
    c.bench_function("recognize/phone", |b| {
        b.iter(|| recognize(black_box("0912 345 678")))
    });
    c.bench_function("recognize/bank account", |b| {
        b.iter(|| recognize(black_box("VCB 0123456789")))
    });
    c.bench_function("recognize/url", |b| {
        b.iter(|| recognize(black_box("https://VietcomBank-hotro.com.vn/login?x=1")))
    });
}

criterion_group!(group, benches);
criterion_main!(group);
