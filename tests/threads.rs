//! Deterministic output whatever the thread count: on every pinned campaign model (the thesis
//! models and the soundness models) and on pinned step models, the explorer run on one thread and
//! on two gives the same verdicts, the same unique-state and transition counts and the same
//! traces (states and actions).

use smfcheck::campaign::model::CampaignModel;
use smfcheck::check::{Checked, Claim, Limits, Outcome, explore};
use smfcheck::cli::{CheckArgs, build_campaign};
use smfcheck::properties::{campaign_registry, step_registry};
use std::path::Path;

fn on_threads<T: Send>(n: usize, f: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(n)
        .build()
        .unwrap()
        .install(f)
}

/// What must not depend on the thread count.
fn fingerprint<M: Checked>(o: &Outcome<M>) -> String
where
    M::State: Clone + Eq + std::hash::Hash + Send + Sync + std::fmt::Debug,
    M::Action: Clone + Send + Sync + std::fmt::Debug,
{
    let mut out = format!(
        "{} states, {} transitions, depth {}\n",
        o.stats.unique_states, o.stats.transitions, o.stats.max_depth
    );
    for r in &o.results {
        out.push_str(&format!("{} {:?}\n", r.name, r.verdict));
        if let Some(t) = &r.trace {
            out.push_str(&format!(
                "  {:?}\n  {:?}\n  {:?}\n",
                t.actions, t.states, t.loop_start
            ));
        }
    }
    out
}

fn campaign_models() -> Vec<(String, CampaignModel)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("models");
    let mut cases: Vec<(&str, &str, &str, &str)> = vec![
        (
            "vlc-2n",
            "rolling-os-upgrade.xml",
            "config.xml",
            "compat.xml",
        ),
        (
            "vlc-2n",
            "broken-removal-before-addition.xml",
            "config.xml",
            "compat.xml",
        ),
        (
            "ubuntu-to-windows",
            "in-phase.xml",
            "config.xml",
            "compat.xml",
        ),
        (
            "ubuntu-to-windows",
            "out-of-phase.xml",
            "config.xml",
            "compat.xml",
        ),
        ("vm-vmm", "campaign.xml", "source.xml", "compat.xml"),
        ("vm-vmm", "broken-uncaught.xml", "source.xml", "compat.xml"),
        (
            "thesis-case-study",
            "expected-campaign.xml",
            "source.xml",
            "compat.xml",
        ),
    ];
    let soundness = std::fs::read_to_string(root.join("soundness/README.md")).unwrap();
    let rows: Vec<Vec<String>> = soundness
        .lines()
        .filter(|l| l.starts_with("| `"))
        .map(|l| {
            l.split('|')
                .map(|x| x.trim().trim_matches('`').to_string())
                .collect()
        })
        .collect();
    let rows: Vec<(String, String, String, String)> = rows
        .into_iter()
        .map(|c| {
            (
                format!("soundness/{}", c[1]),
                c[2].clone(),
                c[3].clone(),
                c[4].clone(),
            )
        })
        .collect();
    for r in &rows {
        cases.push((&r.0, &r.1, &r.2, &r.3));
    }
    cases
        .into_iter()
        .map(|(dir, campaign, config, compat)| {
            let d = root.join(dir);
            let m = build_campaign(&CheckArgs {
                campaign: d.join(campaign),
                config: vec![d.join(config)],
                compat: Some(d.join(compat)),
                faults: 1,
                default_max_retry: 1,
                ..CheckArgs::default()
            })
            .unwrap_or_else(|e| panic!("{dir}/{campaign}: {e}"));
            (format!("{dir}/{campaign} ({config}, {compat})"), m)
        })
        .collect()
}

#[test]
fn campaign_models_explore_identically_on_one_and_two_threads() {
    let entries = campaign_registry();
    for (name, m) in campaign_models() {
        let claims: Vec<Claim<CampaignModel>> = entries.iter().map(|e| (e.build)(&m)).collect();
        let one = on_threads(1, || fingerprint(&explore(&m, &claims, &Limits::default())));
        let two = on_threads(2, || fingerprint(&explore(&m, &claims, &Limits::default())));
        assert_eq!(one, two, "{name}");
    }
}

#[test]
fn step_models_explore_identically_on_one_and_two_threads() {
    use smfcheck::step::fsm::Semantics;
    let entries = step_registry();
    for (spec, btc) in [
        ("in-phase,in-phase", 0b10),
        ("out-of-phase,in-phase", 0b10),
        ("reduced", 0),
        ("in-phase,in-phase,locked-reduced", 0),
    ] {
        for sem in [Semantics::Thesis, Semantics::OpenSaf] {
            let mut m = super::support::model(spec, 2, sem);
            m.base_type_change = btc;
            let claims: Vec<_> = entries.iter().map(|e| (e.build)(&m)).collect();
            let one = on_threads(1, || fingerprint(&explore(&m, &claims, &Limits::default())));
            let two = on_threads(2, || fingerprint(&explore(&m, &claims, &Limits::default())));
            assert_eq!(one, two, "{spec} {sem:?}");
        }
    }
}
