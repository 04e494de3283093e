//! Explorer throughput on embedded steps: `cargo bench --bench explore`.
//!
//! Every configuration is explored exhaustively with the thesis semantics, max-retry 1 and all
//! default claims, exactly as `smfcheck fsm --step ... --faults ...` would. Before benchmarking,
//! one line per configuration is printed to stderr with the state-space statistics; criterion
//! then reports the time per exploration and, via `Throughput::Elements(unique_states)`, the
//! states explored per second.

/// The allocator of the binary (src/main.rs), so the figures are those users get.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use smfcheck::check::{Claim, Limits, Outcome, explore};
use smfcheck::properties::step_claims;
use smfcheck::step::embed::{EmbeddedStep, Purpose};
use smfcheck::step::fsm::{Core, Semantics};
use smfcheck::step::model::StepModel;
use smfcheck::step::table::StepType;
use std::hint::black_box;
use std::time::Duration;

/// Degrees of the all-in-phase embedded steps.
const DEGREES: std::ops::RangeInclusive<usize> = 1..=6;
/// Fault budgets for the all-in-phase embedded steps.
const FAULTS: std::ops::RangeInclusive<u8> = 0..=2;
/// Mixed embedded steps (outermost first) and their fault budgets.
const MIXED: &[(&str, u8)] = &[
    ("in-phase,in-phase,locked-reduced", 2),
    ("out-of-phase,in-phase,reduced", 2),
];
const MAX_RETRY: u8 = 1;
/// Large state spaces for throughput: (degree, faults, max-retry, administrator re-executions).
const LARGE: &[(usize, u8, u8, u8)] = &[(6, 6, 2, 2), (6, 8, 2, 2)];
const SEMANTICS: Semantics = Semantics::Thesis;
const SAMPLE_SIZE: usize = 10;
const WARM_UP: Duration = Duration::from_millis(500);
const MEASUREMENT: Duration = Duration::from_secs(2);

/// One configuration: the model with all its default claims.
struct Config {
    label: String,
    model: StepModel,
    claims: Vec<Claim<StepModel>>,
}

impl Config {
    fn new(spec: &str, faults: u8) -> Self {
        let types = spec
            .split(',')
            .map(|s| s.parse::<StepType>().expect("step type"))
            .collect::<Vec<_>>();
        let step = EmbeddedStep::new(types, Purpose::Upgrade).expect("valid embedded step");
        let mut model = StepModel::new(Core::new(step, MAX_RETRY, SEMANTICS));
        model.faults = faults;
        let claims = step_claims(None);
        Config {
            label: format!("step={spec}"),
            model,
            claims,
        }
    }

    fn in_phase(degree: usize, faults: u8) -> Self {
        let mut c = Config::new(&vec!["in-phase"; degree].join(","), faults);
        c.label = format!("d={degree}");
        c
    }

    fn faults(&self) -> u8 {
        self.model.faults
    }

    fn run(&self) -> Outcome<StepModel> {
        explore(&self.model, &self.claims, &Limits::default())
    }

    /// Explore once, print the statistics line, and return the number of unique states.
    fn report(&self) -> usize {
        let o = self.run();
        assert!(o.cut_short.is_none(), "{}: cut short", self.label);
        let s = &o.stats;
        eprintln!(
            "{} faults={} unique_states={} transitions={} state_bytes={} explorer_bytes_per_state={:.1}",
            self.label,
            self.faults(),
            s.unique_states,
            s.transitions,
            s.state_bytes,
            s.bytes_per_state
        );
        s.unique_states
    }
}

fn bench_configs(c: &mut Criterion, group: &str, configs: &[Config]) {
    let states: Vec<usize> = configs.iter().map(Config::report).collect();
    let mut g = c.benchmark_group(group);
    g.sample_size(SAMPLE_SIZE)
        .warm_up_time(WARM_UP)
        .measurement_time(MEASUREMENT);
    for (cfg, &n) in configs.iter().zip(&states) {
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(
            BenchmarkId::new(&cfg.label, format!("faults={}", cfg.faults())),
            cfg,
            |b, cfg| b.iter(|| black_box(cfg.run())),
        );
    }
    g.finish();
}

fn embedded_in_phase(c: &mut Criterion) {
    let configs: Vec<Config> = DEGREES
        .flat_map(|d| FAULTS.map(move |f| Config::in_phase(d, f)))
        .collect();
    bench_configs(c, "embedded_in_phase", &configs);
}

fn mixed(c: &mut Criterion) {
    let configs: Vec<Config> = MIXED
        .iter()
        .map(|&(spec, f)| Config::new(spec, f))
        .collect();
    bench_configs(c, "mixed", &configs);
}

fn large(c: &mut Criterion) {
    let configs: Vec<Config> = LARGE
        .iter()
        .map(|&(d, f, retry, reexec)| {
            let mut c = Config::in_phase(d, f);
            c.model.core.max_retry = retry;
            c.model.max_reexec = reexec;
            c.label = format!("d={d},retry={retry},reexec={reexec}");
            c
        })
        .collect();
    bench_configs(c, "large", &configs);
}

criterion_group!(benches, embedded_in_phase, mixed, large);
criterion_main!(benches);
