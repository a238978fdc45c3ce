//! Message analysis, stage by stage, on a typical 160-character SMS.
//! Target (issue 4): ≥ 20,000 messages per second on one core for the full analysis.

use std::hint::black_box;

use canhgiac_core::i18n::Lang;
use canhgiac_detect::message::{features, normalize, rules, Analyzer};
use criterion::{criterion_group, criterion_main, Criterion};

const SCAM: &str = "Vietcombank thong bao: tai khoan cua Quy khach se bi tam khoa sau 24h do chua cap nhat sinh trac hoc. Vui long xac thuc tai https://vcb-xacthuc.top ngay.";
const LEGIT: &str = "SD TK 0071000123456 +2,500,000VND luc 28-11-2026 08:15:32. SD 14,200,000VND. Ref MBVCB.3278614.NGUYEN VAN AN chuyen tien hoc phi thang 12 cho con";

fn stages(c: &mut Criterion) {
    let analyzer = Analyzer::default();
    let none = |_: &canhgiac_core::Identifier| None;
    for (name, text) in [("scam", SCAM), ("legit", LEGIT)] {
        let tokens = normalize::normalize(text).tokens;
        c.bench_function(&format!("message/{name}/normalize"), |b| {
            b.iter(|| normalize::normalize(black_box(text)))
        });
        c.bench_function(&format!("message/{name}/rules"), |b| {
            b.iter(|| rules::phrases(black_box(&tokens)))
        });
        c.bench_function(&format!("message/{name}/features"), |b| {
            let mut out = Vec::with_capacity(1024);
            b.iter(|| {
                out.clear();
                features::word_features(black_box(&tokens), &mut out);
                out.len()
            })
        });
        c.bench_function(&format!("message/{name}/extract"), |b| {
            b.iter(|| canhgiac_core::extract::extract_unique(black_box(text)))
        });
        c.bench_function(&format!("message/{name}/likelihood"), |b| {
            b.iter(|| analyzer.likelihood(black_box(text)))
        });
        c.bench_function(&format!("message/{name}/analyze"), |b| {
            b.iter(|| analyzer.analyze(black_box(text), &none, Lang::Vi))
        });
    }
}

criterion_group!(benches, stages);
criterion_main!(benches);
