//! Lookalike check speed with 500 protected domains.
//! Target (issue 4): ≤ 10 µs per check.

use std::hint::black_box;

use canhgiac_core::ident::Website;
use canhgiac_detect::lookalike::{Brand, Registry};
use criterion::{criterion_group, criterion_main, Criterion};

/// The shipped brands plus synthetic ones up to 500 domains.
fn registry_with_500_domains() -> Registry {
    let mut brands: Vec<Brand> = Registry::default_brands().brands().to_vec();
    let syllables = [
        "viet", "nam", "phu", "tan", "long", "an", "binh", "minh", "hoa", "thanh", "dong", "sai",
        "gon", "ha", "noi", "kim", "bao", "tin", "phat", "loc",
    ];
    let suffixes = ["com.vn", "vn", "com"];
    let mut n = 0;
    while brands.iter().map(|b| b.domains.len()).sum::<usize>() < 500 {
        let name = format!(
            "{}{}{}",
            syllables[n % 20],
            syllables[(n / 20) % 20],
            syllables[(n / 400 + 7) % 20]
        );
        brands.push(Brand {
            key: format!("{name}{n}"),
            name: name.clone(),
            category: "bank".into(),
            domains: vec![format!("{name}bank.{}", suffixes[n % 3])],
            owned: Vec::new(),
            aliases: Vec::new(),
        });
        n += 1;
    }
    Registry::new(brands)
}

fn benches(c: &mut Criterion) {
    let registry = registry_with_500_domains();
    let domains: usize = registry.brands().iter().map(|b| b.domains.len()).sum();
    assert!(domains >= 500);
    let mut group = c.benchmark_group("lookalike with 500 protected domains");
    for (name, input) in [
        ("established site", "vnexpress.net"),
        ("unknown site", "banhmi-saigon-ngon.com.vn"),
        ("short brand", "113momo.site"),
        ("real domain", "www.vietcombank.com.vn"),
        ("typo", "vietcombnak.com.vn"),
        ("combosquatting", "vietcombank-hotro.com.vn"),
        ("homoglyph IDN", "vietcombаnk.com"),
        ("subdomain abuse", "vietcombank.com.vn.secure-login.top"),
    ] {
        let site = Website::parse(input).expect("a website");
        group.bench_function(name, |b| b.iter(|| registry.check(black_box(&site))));
    }
    group.finish();
}

criterion_group!(group, benches);
criterion_main!(group);
