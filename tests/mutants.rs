//! Mutation testing: each seeded defect of the tables or the FSM core must be killed by the named
//! claim, and the same claim must hold on the unmutated model (so the kill is the mutant's doing).
//! The table of mutants and their killing claims is `support::mutants::KILLS`.

use super::support::*;
use smfcheck::check::Verdict;
use smfcheck::step::fsm::{ALL_MUTANTS, Mutant, Semantics};

#[test]
fn every_mutant_is_killed_by_its_named_claim() {
    assert_eq!(KILLS.len(), ALL_MUTANTS.len(), "a mutant without a kill");
    let mut survivors = Vec::new();
    for &(seeded, spec, faults, claim) in KILLS {
        let healthy = check(&model(spec, faults, Semantics::Thesis));
        assert!(
            matches!(
                verdict(&healthy, claim),
                Verdict::Verified | Verdict::Witnessed
            ),
            "{claim} must hold on the unmutated {spec}"
        );
        let o = check(&mutant(spec, faults, seeded));
        let v = verdict(&o, claim);
        if !v.is_failure() {
            survivors.push(format!("{seeded:?} survived {claim} on {spec} (got {v:?})"));
        }
        assert_eq!(o.exit_code(), 1, "{seeded:?}: the run must fail");
    }
    assert!(survivors.is_empty(), "{}", survivors.join("\n"));
}

/// A mutant's counterexample is a real path: replaying it through the model reproduces it.
#[test]
fn mutant_counterexamples_replay() {
    use stateright::Model;
    let m = mutant("in-phase,in-phase", 2, Mutant::NoFailedSignal);
    let o = check(&m);
    let t = o
        .result("failure-propagates")
        .unwrap()
        .trace
        .clone()
        .unwrap();
    let mut s = m.init_states()[0];
    for (a, want) in t.actions.iter().zip(&t.states[1..]) {
        s = m.next_state(&s, *a).expect("enabled");
        assert_eq!(&s, want);
    }
}
