//! Issue #11's family "P parallel procedures" (`benches/support/parallel.rs`): smfcheck's sound
//! explorer against stateright's own BFS checker on the same `CampaignModel`, in one bench run:
//! `cargo bench --bench parallel`.
//!
//! For each configuration (P procedures, F faults; default P=2 F=2, P=3 F=2, P=4 F=1, and P=6
//! F=2 reduced only; set `PARALLEL_BENCH_CONFIGS=2:2,4:2,7:2r` for others, `r` for the reduced
//! engines only), before criterion measures anything, one line per engine goes to standard
//! error, as the rows of a markdown table:
//!
//! * `smfcheck check` — the release binary on the generated files, as a user runs it: the wall
//!   time of the whole process (parsing, planning, every exploration it makes, the report, exit),
//!   with symmetry and partial-order reduction (its default) and with `--no-reduction`;
//! * `smfcheck explore` — one exploration with the default claims (`properties/campaign.props`),
//!   which is what criterion times below, without and with symmetry and partial-order reduction
//!   (the P procedures are interchangeable and run side by side);
//! * `stateright bfs` — `model.checker().threads(T).spawn_bfs().join()` with as many threads as
//!   the explorer uses: fingerprints only, stateright's trivial property, no claims.
//!
//! Each runs in a child process (this bench re-executed, or the binary), so that its peak RSS
//! (`ru_maxrss` from `wait4`) is its own and not the high-water mark of earlier configurations:
//! bytes/state from peak RSS is the figure the issue targets, next to the explorer's own table
//! estimate. The unique-state counts of the two engines must agree (stateright's is an
//! independent witness that the exploration is exhaustive, as in tests/stateright_counts.rs).
//!
//! Criterion then times `smfcheck explore` and `stateright bfs` per configuration with
//! `Throughput::Elements(unique states)`, so its report is in states/s. Sample size 10; long
//! configurations are sampled flat. `-- --test` (smoke) runs P=2 and P=3 once each.
//! `PARALLEL_BENCH_DIR=DIR` keeps the generated files there for `smfcheck check`.

/// The allocator of the binary (src/main.rs), so the figures are those users get.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "support/parallel.rs"]
mod parallel;

use criterion::{BatchSize, BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group};
use smfcheck::campaign::model::CampaignModel;
use smfcheck::campaign::plan::{Plan, PlanOptions};
use smfcheck::check::{Claim, Limits, Outcome, Verdict, explore, human_bytes};
use smfcheck::properties::{campaign_names, campaign_registry, read_selection_from};
use smfcheck::step::fsm::Semantics;
use smfcheck::xml::campaign::parse_campaign_str;
use smfcheck::xml::imm::parse_imm_str;
use stateright::{Checker, Model};
use std::hint::black_box;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// (P, F, reduced only) measured by default: P=4 F=2 unreduced (3.8 M states, about a minute per exploration) only on
/// request.
const DEFAULT_CONFIGS: &[(usize, u8, bool)] =
    &[(2, 2, false), (3, 2, false), (4, 1, false), (6, 2, true)];
/// The smoke run (`-- --test`): every code path, in seconds.
const SMOKE_CONFIGS: &[(usize, u8, bool)] = &[(2, 2, false), (3, 2, false), (4, 2, true)];
const SAMPLE_SIZE: usize = 10;
const WARM_UP: Duration = Duration::from_millis(500);
const MEASUREMENT: Duration = Duration::from_secs(3);
/// Set in a child process: `explore P F` or `stateright P F THREADS`.
const CHILD: &str = "PARALLEL_BENCH_CHILD";

/// One member of the family, built as `smfcheck check` builds it (src/load.rs `campaign_model`:
/// thesis semantics, default max-retry 1, the default claims).
struct Config {
    p: usize,
    faults: u8,
    /// Only the reduced engines (`P:Fr`): the full space is too large to explore.
    reduced_only: bool,
    model: CampaignModel,
    /// The same model with symmetry and partial-order reduction on (`CampaignModel::reduce`).
    reduced: CampaignModel,
    claims: Vec<Claim<CampaignModel>>,
}

impl Config {
    fn new(p: usize, faults: u8, reduced_only: bool) -> Self {
        let label = format!("P={p}");
        let cfg = parse_imm_str("parallel-config.xml", &parallel::config_xml(p))
            .unwrap_or_else(|e| panic!("{label}: generated configuration: {e}"));
        let campaign = parse_campaign_str("parallel-campaign.xml", &parallel::campaign_xml(p))
            .unwrap_or_else(|e| panic!("{label}: generated campaign: {e}"));
        let (_, sys) = smfcheck::campaign::system_for(&campaign, vec![cfg])
            .unwrap_or_else(|e| panic!("{label}: {e}"));
        let plan = Plan::build(
            &campaign,
            &sys,
            PlanOptions {
                semantics: Semantics::Thesis,
                default_max_retry: 1,
            },
        )
        .unwrap_or_else(|e| panic!("{label}: plan: {e}"));
        let mut model =
            CampaignModel::from_plan(&plan, &sys).unwrap_or_else(|e| panic!("{label}: {e}"));
        model.faults = faults;
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("properties/campaign.props");
        let selection = read_selection_from(&path, &campaign_names())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let claims = campaign_registry()
            .into_iter()
            .filter(|e| selection.iter().any(|n| n == e.name))
            .collect();
        let mut reduced = model.clone();
        assert!(
            reduced.reduce(),
            "{label}: the procedures are interchangeable"
        );
        Config {
            p,
            faults,
            reduced_only,
            model,
            reduced,
            claims,
        }
    }

    fn id(&self) -> String {
        format!("P={},F={}", self.p, self.faults)
    }

    fn explore(&self) -> Outcome<CampaignModel> {
        explore(&self.model, &self.claims, &Limits::default())
    }

    fn explore_reduced(&self) -> Outcome<CampaignModel> {
        explore(&self.reduced, &self.claims, &Limits::default())
    }
}

/// stateright's BFS on a copy of the model (`checker` takes it by value): the unique states.
fn stateright_bfs(model: CampaignModel, threads: usize) -> usize {
    model
        .checker()
        .threads(threads)
        .spawn_bfs()
        .join()
        .unique_state_count()
}

fn threads() -> usize {
    rayon::current_num_threads()
}

/// The child process: one run, its figures on standard output as `key=value` words.
fn child(spec: &str) {
    let w: Vec<&str> = spec.split_whitespace().collect();
    let num = |i: usize| -> usize {
        w.get(i).and_then(|v| v.parse().ok()).unwrap_or_else(|| {
            panic!(
                "{CHILD}={spec}: expected `explore P F`, `explore-sym P F` or `stateright P F T`"
            )
        })
    };
    let cfg = Config::new(num(1), num(2) as u8, false);
    match w[0] {
        "explore" | "explore-sym" => {
            let o = if w[0] == "explore" {
                cfg.explore()
            } else {
                cfg.explore_reduced()
            };
            let all_hold = o.cut_short.is_none()
                && o.results
                    .iter()
                    .all(|r| matches!(r.verdict, Verdict::Verified | Verdict::Witnessed));
            assert!(all_hold, "{}: a claim does not hold", cfg.id());
            println!(
                "states={} seconds={} explorer_bytes_per_state={}",
                o.stats.unique_states,
                o.stats.elapsed.as_secs_f64(),
                o.stats.bytes_per_state
            );
        }
        "stateright" => {
            let t = Instant::now();
            let n = stateright_bfs(cfg.model, num(3));
            println!("states={n} seconds={}", t.elapsed().as_secs_f64());
        }
        other => panic!("{CHILD}: unknown run `{other}`"),
    }
}

/// What a child process reported, with its wall time and peak RSS.
struct Measured {
    states: usize,
    /// The run's own time (the exploration; for `smfcheck check` the whole process).
    seconds: f64,
    wall: f64,
    peak_rss: u64,
    explorer_bytes_per_state: Option<f64>,
}

/// Run `cmd` to its end; its standard output, wall time and peak RSS (`wait4`'s `ru_maxrss`,
/// which is the child's own). Panics unless it exits with 0.
#[expect(
    clippy::zombie_processes,
    reason = "the child is reaped by wait4, which std's wait cannot replace: it also returns the child's rusage"
)]
fn run_measured(mut cmd: Command) -> (String, f64, u64) {
    let start = Instant::now();
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    let mut out = String::new();
    child
        .stdout
        .take()
        .expect("piped")
        .read_to_string(&mut out)
        .expect("child output");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: wait4 writes the status and the zeroed rusage we own; it reaps our own child,
    // which `child` (dropped without waiting) does not touch afterwards.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        let r = unsafe { libc::wait4(pid, &mut status, 0, &mut ru) };
        if r == pid {
            break;
        }
        let err = std::io::Error::last_os_error();
        assert!(
            err.kind() == std::io::ErrorKind::Interrupted,
            "wait4 {pid}: {err}"
        );
    }
    let wall = start.elapsed().as_secs_f64();
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "{cmd:?} failed (status {status}); output:\n{out}"
    );
    // ru_maxrss: kilobytes on Linux, bytes on macOS.
    let rss = ru.ru_maxrss.max(0) as u64;
    let rss = if cfg!(target_os = "macos") {
        rss
    } else {
        rss * 1024
    };
    (out, wall, rss)
}

fn field(out: &str, key: &str) -> Option<f64> {
    out.split_whitespace()
        .find_map(|w| w.strip_prefix(key)?.strip_prefix('='))
        .and_then(|v| v.parse().ok())
}

fn measure_child(spec: String) -> Measured {
    let mut cmd = Command::new(std::env::current_exe().expect("the bench binary"));
    cmd.env(CHILD, &spec);
    let (out, wall, peak_rss) = run_measured(cmd);
    let get = |k: &str| field(&out, k).unwrap_or_else(|| panic!("{spec}: no {k} in {out:?}"));
    Measured {
        states: get("states") as usize,
        seconds: get("seconds"),
        wall,
        peak_rss,
        explorer_bytes_per_state: field(&out, "explorer_bytes_per_state"),
    }
}

/// `smfcheck check` on the generated files, as a user runs it.
/// `reduce`: with symmetry and partial-order reduction (the default of `check`), else
/// `--no-reduction`.
fn measure_cli(dir: &Path, p: usize, faults: u8, reduce: bool) -> Measured {
    let (campaign, config) = parallel::write(dir, p).expect("write the generated files");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_smfcheck"));
    cmd.arg("check")
        .arg(&campaign)
        .arg("--config")
        .arg(&config)
        .args(["--faults", &faults.to_string(), "--quiet"]);
    if !reduce {
        cmd.arg("--no-reduction");
    }
    let (out, wall, peak_rss) = run_measured(cmd);
    let stats = out
        .lines()
        .find_map(|l| l.strip_prefix("statistics: "))
        .unwrap_or_else(|| panic!("no statistics line in:\n{out}"));
    let states = stats
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .expect("unique states");
    Measured {
        states,
        seconds: wall,
        wall,
        peak_rss,
        explorer_bytes_per_state: None,
    }
}

fn row(cfg: &Config, engine: &str, m: &Measured) {
    let line = format!(
        "| {} | {} | {engine} | {} | {:.3} s | {:.3} s | {:.0} | {} | {:.0} | {} |",
        cfg.p,
        cfg.faults,
        m.states,
        m.seconds,
        m.wall,
        m.states as f64 / m.seconds,
        human_bytes(m.peak_rss),
        m.peak_rss as f64 / m.states as f64,
        m.explorer_bytes_per_state
            .map(|b| format!("{b:.0}"))
            .unwrap_or_else(|| "-".into()),
    );
    eprintln!("{line}");
}

/// Measure every engine in child processes, print the table, and insist on equal counts. Per
/// configuration: the longer of the two in-process runs (to size criterion's window) and the
/// unique states.
fn report(configs: &[Config]) -> Vec<(Duration, usize)> {
    let keep = std::env::var_os("PARALLEL_BENCH_DIR").map(PathBuf::from);
    let tmp = tempfile::tempdir().expect("a temporary directory");
    let dir = keep.as_deref().unwrap_or(tmp.path());
    let t = threads();
    eprintln!(
        "| P | F | engine | unique states | time | process wall | states/s | peak RSS | B/state (peak RSS) | B/state (explorer) |\n|---|---|---|---|---|---|---|---|---|---|"
    );
    let mut once = Vec::new();
    for cfg in configs {
        let sym_cli = measure_cli(dir, cfg.p, cfg.faults, true);
        row(cfg, "smfcheck check, reduced (whole process)", &sym_cli);
        let sym = measure_child(format!("explore-sym {} {}", cfg.p, cfg.faults));
        row(cfg, "smfcheck explore, reduced", &sym);
        assert_eq!(
            sym_cli.states,
            sym.states,
            "{}: unique states of the reduced runs differ",
            cfg.id()
        );
        if cfg.reduced_only {
            once.push((Duration::from_secs_f64(sym.seconds), sym.states));
            continue;
        }
        let cli = measure_cli(dir, cfg.p, cfg.faults, false);
        row(cfg, "smfcheck check --no-reduction (whole process)", &cli);
        let ours = measure_child(format!("explore {} {}", cfg.p, cfg.faults));
        row(cfg, "smfcheck explore", &ours);
        let theirs = measure_child(format!("stateright {} {} {t}", cfg.p, cfg.faults));
        row(cfg, &format!("stateright bfs ({t} threads)"), &theirs);
        assert_eq!(
            (cli.states, ours.states),
            (theirs.states, theirs.states),
            "{}: unique states of smfcheck check, smfcheck explore and stateright's BFS differ",
            cfg.id()
        );
        let ratio = (ours.states as f64 / ours.seconds) / (theirs.states as f64 / theirs.seconds);
        let line = format!(
            "| {} | {} | smfcheck explore / stateright bfs | | | | {ratio:.2}× | | | |",
            cfg.p, cfg.faults
        );
        eprintln!("{line}");
        let line = format!(
            "| {} | {} | symmetry: full / reduced states, wall-time speed-up of the exploration | {:.1}× | {:.1}× | | | | | |",
            cfg.p,
            cfg.faults,
            ours.states as f64 / sym.states as f64,
            ours.seconds / sym.seconds
        );
        eprintln!("{line}");
        once.push((
            Duration::from_secs_f64(ours.seconds.max(theirs.seconds)),
            ours.states,
        ));
    }
    eprintln!(
        "(parallel: {t} threads; time = the run's own: the exploration, or the whole process for `check`)\n"
    );
    once
}

fn configs() -> Vec<Config> {
    let smoke = std::env::args().any(|a| a == "--test");
    // `P:F`, or `P:Fr` for the reduced engines only.
    let chosen: Vec<(usize, u8, bool)> = match std::env::var("PARALLEL_BENCH_CONFIGS") {
        Ok(v) => v
            .split(',')
            .map(|c| {
                let c = c.trim();
                let (c, reduced_only) = match c.strip_suffix('r') {
                    Some(c) => (c, true),
                    None => (c, false),
                };
                let (p, f) = c
                    .split_once(':')
                    .and_then(|(p, f)| Some((p.trim().parse().ok()?, f.trim().parse().ok()?)))
                    .unwrap_or_else(|| panic!("PARALLEL_BENCH_CONFIGS: `{c}` is not P:F or P:Fr"));
                (p, f, reduced_only)
            })
            .collect(),
        Err(_) if smoke => SMOKE_CONFIGS.to_vec(),
        Err(_) => DEFAULT_CONFIGS.to_vec(),
    };
    chosen
        .into_iter()
        .map(|(p, f, r)| Config::new(p, f, r))
        .collect()
}

fn parallel_procedures(c: &mut Criterion) {
    let configs = configs();
    let once = report(&configs);
    let mut g = c.benchmark_group("parallel");
    g.sample_size(SAMPLE_SIZE).warm_up_time(WARM_UP);
    for (cfg, &(once, states)) in configs.iter().zip(&once) {
        // Criterion's linear sampling runs 1+2+…+10 = 55 iterations at least; when that does not
        // fit in MEASUREMENT, take 10 flat samples over a window sized from the measured run.
        if once.mul_f64(55.0) > MEASUREMENT {
            g.sampling_mode(SamplingMode::Flat)
                .measurement_time(MEASUREMENT.max(once.mul_f64(SAMPLE_SIZE as f64 * 1.2)));
        } else {
            g.sampling_mode(SamplingMode::Auto)
                .measurement_time(MEASUREMENT);
        }
        g.throughput(Throughput::Elements(states as u64));
        if cfg.reduced_only {
            g.bench_with_input(
                BenchmarkId::new("smfcheck-symmetry", cfg.id()),
                cfg,
                |b, cfg| b.iter(|| black_box(cfg.explore_reduced())),
            );
            continue;
        }
        g.bench_with_input(BenchmarkId::new("smfcheck", cfg.id()), cfg, |b, cfg| {
            b.iter(|| black_box(cfg.explore()))
        });
        let t = threads();
        g.bench_with_input(
            BenchmarkId::new(format!("stateright-{t}-threads"), cfg.id()),
            cfg,
            |b, cfg| {
                b.iter_batched(
                    || cfg.model.clone(),
                    |m| black_box(stateright_bfs(m, t)),
                    BatchSize::PerIteration,
                )
            },
        );
    }
    g.finish();
}

criterion_group!(benches, parallel_procedures);

/// criterion_main!, with the child-process entry point first.
fn main() {
    if let Ok(spec) = std::env::var(CHILD) {
        child(&spec);
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
