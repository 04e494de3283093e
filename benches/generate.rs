//! Generation plus verification (thesis Chapter 6 + `smfcheck check`): the §7.2 case study and
//! the case study scaled to H = 4, 8, 16, 32 hosts (every host OS, VMM and VM upgraded; one
//! procedure per host). Reported as time per generate+verify and explored states per second.

/// The allocator of the binary (src/main.rs), so the figures are those users get.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "../tests/gen_systems.rs"]
#[allow(dead_code)]
mod gen_systems;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use smfcheck::check::Limits;
use smfcheck::generate::{generate, run};
use smfcheck::xml::imm::{ImmFile, merge, parse_imm, parse_imm_str};
use std::hint::black_box;

const CASE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/models/thesis-case-study/");

fn inputs(name: &str) -> (Vec<ImmFile>, Vec<ImmFile>) {
    if name == "case-study" {
        let f = |w: &str| {
            vec![
                parse_imm(format!("{CASE}{w}.xml")).unwrap(),
                parse_imm(format!("{CASE}compat.xml")).unwrap(),
            ]
        };
        return (f("source"), f("target"));
    }
    let h: usize = name.trim_start_matches("H=").parse().unwrap();
    let (s, t) = gen_systems::scaled(h);
    (
        vec![parse_imm_str("source.xml", &s.imm()).unwrap()],
        vec![parse_imm_str("target.xml", &t.imm()).unwrap()],
    )
}

/// Generate and verify once; the number of explored states.
fn once(sf: &[ImmFile], tf: &[ImmFile]) -> usize {
    let (s, t) = (merge(sf).unwrap(), merge(tf).unwrap());
    let g = generate(&s, &t, "bench").unwrap();
    let m = run::model_against_target("bench.xml", &g.xml, sf, &s, &t, 1).unwrap();
    let (_, o) = run::verify(&m, &Limits::default());
    assert_eq!(o.exit_code(), 0, "the generated campaign verifies");
    o.stats.unique_states
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("generate+verify");
    group.sample_size(10);
    for name in ["case-study", "H=4", "H=8", "H=16", "H=32"] {
        let (sf, tf) = inputs(name);
        let states = once(&sf, &tf);
        eprintln!("{name}: {states} states");
        group.throughput(Throughput::Elements(states as u64));
        group.bench_function(name, |b| b.iter(|| black_box(once(&sf, &tf))));
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
