//! Shortest counterexamples, proven against an independent reference: a plain breadth-first
//! search (std collections, no parallelism, nothing shared with the explorer) computes the depth
//! of every reachable state, and every counterexample or witness the explorer reports must be
//! exactly as long as the shallowest violating state or transition.

use super::support::*;
use smfcheck::check::Check;
use smfcheck::properties::step_claims;
use smfcheck::step::fsm::{ALL_MUTANTS, Semantics};
use smfcheck::step::model::{StepModel, StepSysState};
use stateright::Model;
use std::collections::{HashMap, VecDeque};

fn depths(m: &StepModel) -> HashMap<StepSysState, usize> {
    let mut d = HashMap::new();
    let mut q = VecDeque::new();
    for s in m.init_states() {
        d.insert(s, 0);
        q.push_back(s);
    }
    while let Some(s) = q.pop_front() {
        let k = d[&s];
        let mut acts = Vec::new();
        m.actions(&s, &mut acts);
        for a in acts {
            if let Some(t) = m.next_state(&s, a) {
                d.entry(t).or_insert_with(|| {
                    q.push_back(t);
                    k + 1
                });
            }
        }
    }
    d
}

/// The length of the shortest path exhibiting one check, by brute force over all states.
fn shortest(
    m: &StepModel,
    d: &HashMap<StepSysState, usize>,
    check: &Check<StepModel>,
) -> Option<usize> {
    let mut best: Option<usize> = None;
    let mut note = |n: usize| best = Some(best.map_or(n, |b: usize| b.min(n)));
    for (s, &k) in d {
        let mut acts = Vec::new();
        m.actions(s, &mut acts);
        let succ: Vec<_> = acts
            .into_iter()
            .filter_map(|a| m.next_state(s, a).map(|t| (a, t)))
            .collect();
        match check {
            Check::Always(p) if !p(m, s) => note(k),
            Check::Sometimes(p) if p(m, s) => note(k),
            Check::AtEnd(p) if succ.is_empty() && !p(m, s) => note(k),
            Check::OnStep(p) if succ.iter().any(|(a, t)| !p(m, s, a, t)) => note(k + 1),
            _ => {}
        }
    }
    best
}

fn assert_shortest(m: &StepModel, label: &str) {
    let d = depths(m);
    let o = check(m);
    assert_eq!(o.stats.unique_states, d.len(), "{label}");
    for (claim, r) in step_claims(None).iter().zip(&o.results) {
        if !(claim.applies)(m) || claim.checks.iter().any(|c| matches!(c, Check::Terminates)) {
            continue;
        }
        let want = claim.checks.iter().filter_map(|c| shortest(m, &d, c)).min();
        let got = r.trace.as_ref().map(|t| t.len());
        assert_eq!(got, want, "{label}: {}", claim.name);
    }
}

#[test]
fn counterexamples_and_witnesses_are_shortest() {
    for spec in [
        "in-phase",
        "reduced",
        "in-phase,in-phase",
        "out-of-phase,in-phase,locked-reduced",
    ] {
        for sem in [Semantics::Thesis, Semantics::OpenSaf] {
            let mut m = model(spec, 2, sem);
            assert_shortest(&m, &format!("{spec} {sem:?}"));
            m.base_type_change = if m.degree() > 1 { 0b10 } else { 0 };
            assert_shortest(&m, &format!("{spec} {sem:?} btc"));
        }
    }
    for mutant in ALL_MUTANTS {
        let m = super::support::mutant("in-phase,in-phase,in-phase", 2, mutant);
        assert_shortest(&m, &format!("{mutant:?}"));
    }
}
