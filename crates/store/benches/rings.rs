//! Fraud rings over 1,000,000 reports. Targets (issue 3): all rings computed in ≤ 5 s;
//! adding one report updates its ring in ≤ 1 ms.

use std::hint::black_box;
use std::time::{Duration, Instant};

use canhgiac_store::changes_for_bench::{report_added, synthetic, Change};
use canhgiac_store::rings::Rings;
use canhgiac_store::LookupIndex;
use criterion::{criterion_group, criterion_main, Criterion};

const REPORTS: i64 = 1_000_000;

fn keys_of(changes: &[(i64, Change)]) -> Vec<(i64, Vec<String>)> {
    changes
        .iter()
        .filter_map(|(id, c)| match c {
            Change::ReportAdded(r) => Some((*id, r.keys.clone())),
            _ => None,
        })
        .collect()
}

fn benches(c: &mut Criterion) {
    let changes = synthetic(REPORTS);
    let reports = keys_of(&changes);
    let mut group = c.benchmark_group("rings over 1M reports");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(30));
    group.bench_function("compute all rings (union-find)", |b| {
        b.iter(|| {
            let mut rings = Rings::new();
            for (id, keys) in &reports {
                rings.add(*id, keys);
            }
            black_box(rings.len())
        })
    });
    group.bench_function("load the whole index: statistics and rings", |b| {
        b.iter(|| {
            let index = LookupIndex::new();
            for batch in changes.chunks(100_000) {
                index.apply(batch);
            }
            black_box(index.reports())
        })
    });
    group.finish();

    // One more report joins a ring of the loaded index: the path of a new report.
    let index = LookupIndex::new();
    for batch in changes.chunks(100_000) {
        index.apply(batch);
    }
    let (largest, size) = index.largest_rings(2, 1)[0];
    println!(
        "largest ring: #{largest} with {size} reports; {} rings of 2 or more",
        index.largest_rings(2, usize::MAX).len()
    );
    let mut group = c.benchmark_group("rings with 1M reports loaded");
    let mut next_id = REPORTS + 1;
    group.bench_function("add one report (statistics + ring)", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let keys = vec![
                    format!("phone:+849{:08}", next_id % 450_000),
                    format!("url:new{next_id}.top"),
                ];
                let change = [(
                    next_id,
                    report_added(next_id, 1_800_000_000, 5_000_000, None, "new", keys),
                )];
                let start = Instant::now();
                index.apply(black_box(&change));
                total += start.elapsed();
                next_id += 1;
            }
            total
        })
    });
    group.bench_function("ring of a report (id and size)", |b| {
        b.iter(|| index.ring_of(black_box(123_456)))
    });
    group.finish();
}

criterion_group!(group, benches);
criterion_main!(group);
