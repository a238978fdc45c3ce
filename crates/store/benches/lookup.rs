//! The public check in process, with 1,000,000 reports in the lookup index.
//! Target (issue 2): median ≤ 1 µs for a normalised identifier.

use std::hint::black_box;

use canhgiac_core::i18n::Lang;
use canhgiac_core::recognize::{recognize, Query};
use canhgiac_core::verdict::verdict;
use canhgiac_store::changes_for_bench::synthetic;
use canhgiac_store::LookupIndex;
use criterion::{criterion_group, criterion_main, Criterion};

const REPORTS: i64 = 1_000_000;

/// One million reports naming phones and accounts drawn from rings of shared
/// identifiers, as the demo generator makes them.
fn loaded_index() -> LookupIndex {
    let index = LookupIndex::new();
    for batch in synthetic(REPORTS).chunks(100_000) {
        index.apply(batch);
    }
    index
}

fn benches(c: &mut Criterion) {
    let index = loaded_index();
    assert_eq!(index.reports(), REPORTS as u64);
    let known = "phone:+84900000003";
    assert!(index.report_count(known) > 0);
    let mut group = c.benchmark_group("check with 1M reports");
    group.bench_function("index lookup, known key", |b| {
        b.iter(|| index.get(black_box(known)))
    });
    group.bench_function("index lookup, unknown key", |b| {
        b.iter(|| index.get(black_box("phone:+84399999999")))
    });
    let Ok(Query::Number {
        phone: Some(phone), ..
    }) = recognize("0900 000 003")
    else {
        panic!("a phone")
    };
    let identifier = canhgiac_core::Identifier::Phone(phone);
    group.bench_function("lookup + verdict (vi)", |b| {
        b.iter(|| {
            verdict(
                &identifier,
                index.lookup(black_box(&identifier)).as_ref(),
                Lang::Vi,
            )
        })
    });
    group.bench_function("recognize + lookup + verdict", |b| {
        b.iter(|| {
            let Ok(Query::Number { phone: Some(p), .. }) = recognize(black_box("0900 000 003"))
            else {
                return None;
            };
            let i = canhgiac_core::Identifier::Phone(p);
            Some(verdict(&i, index.lookup(&i).as_ref(), Lang::Vi))
        })
    });
    group.finish();
}

criterion_group!(group, benches);
criterion_main!(group);
