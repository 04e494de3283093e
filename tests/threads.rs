//! Deterministic output whatever the thread count: on every pinned campaign model (each `check`
//! run of the model manifests, models/**/expect.json, that needs no OpenSAF tree) and on pinned
//! step models, the explorer run on one thread and on two gives the same verdicts, the same
//! unique-state and transition counts and the same traces (states and actions).

use super::support::manifest::runs;
use smfcheck::campaign::model::CampaignModel;
use smfcheck::check::{Checked, Claim, Limits, Outcome, explore};
use smfcheck::cli::build_campaign;
use smfcheck::properties::{campaign_registry, step_registry};

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

/// The campaign model of every `check` run of the manifests that explores (exit 0 or 1).
fn campaign_models() -> Vec<(String, CampaignModel)> {
    let models: Vec<(String, CampaignModel)> = runs()
        .into_iter()
        .filter(|r| matches!(r.run.exit, 0 | 1))
        .filter_map(|r| {
            let args = r.check_args()?;
            let m = build_campaign(&args).unwrap_or_else(|e| panic!("{}: {e}", r.name()));
            Some((r.name(), m))
        })
        .collect();
    assert!(models.len() >= 50, "{} campaign models", models.len());
    models
}

#[test]
fn campaign_models_explore_identically_on_one_and_two_threads() {
    let claims: Vec<Claim<CampaignModel>> = campaign_registry();
    for (name, m) in campaign_models() {
        // As built (every state), and reduced as `check` reduces by default (symmetry and
        // partial order: the cycle proviso reads the visited set, as of each chunk's start).
        let mut reduced = m.clone();
        reduced.reduce();
        for (how, m) in [("full", &m), ("reduced", &reduced)] {
            let one = on_threads(1, || fingerprint(&explore(m, &claims, &Limits::default())));
            let two = on_threads(2, || fingerprint(&explore(m, &claims, &Limits::default())));
            assert_eq!(one, two, "{name} ({how})");
        }
    }
}

#[test]
fn step_models_explore_identically_on_one_and_two_threads() {
    use smfcheck::step::fsm::Semantics;
    let claims = step_registry();
    for (spec, btc) in [
        ("in-phase,in-phase", 0b10),
        ("out-of-phase,in-phase", 0b10),
        ("reduced", 0),
        ("in-phase,in-phase,locked-reduced", 0),
    ] {
        for sem in [Semantics::Thesis, Semantics::OpenSaf] {
            let mut m = super::support::model(spec, 2, sem);
            m.base_type_change = btc;
            let one = on_threads(1, || fingerprint(&explore(&m, &claims, &Limits::default())));
            let two = on_threads(2, || fingerprint(&explore(&m, &claims, &Limits::default())));
            assert_eq!(one, two, "{spec} {sem:?}");
        }
    }
}
