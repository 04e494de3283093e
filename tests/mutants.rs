//! Mutation testing: each seeded defect of the tables or the FSM core must be killed by the named
//! claim, and the same claim must hold on the unmutated model (so the kill is the mutant's doing).

use super::support::*;
use smfcheck::check::Verdict;
use smfcheck::step::fsm::{ALL_MUTANTS, Mutant, Semantics};

/// (mutant, model, fault budget, the claim that kills it)
const KILLS: &[(Mutant, &str, u8, &str)] = &[
    (
        Mutant::DropWaitingCompleted,
        "in-phase,in-phase",
        0,
        "terminates-in-final-state",
    ),
    (
        Mutant::WrongReverseOfflineUninstall,
        "in-phase",
        1,
        "retry-starts-from-stable-state",
    ),
    (
        Mutant::NoFailedSignal,
        "in-phase,in-phase",
        2,
        "failure-propagates",
    ),
    (Mutant::UnboundedRetry, "in-phase", 2, "reaches-undone"),
    (
        Mutant::PhaseNotReset,
        "in-phase",
        2,
        "retry-starts-from-stable-state",
    ),
    (
        Mutant::OuterUndoesRollback,
        "in-phase,in-phase",
        2,
        "rollback-failure-propagates",
    ),
    (Mutant::SkipBuildUp, "in-phase", 0, "completed-means-target"),
    (
        Mutant::OuterUndoesWholeStep,
        "in-phase,in-phase",
        1,
        "retry-starts-from-stable-state",
    ),
    (
        Mutant::NoWaiting,
        "in-phase,in-phase",
        0,
        "one-nested-step-active",
    ),
    (
        Mutant::RollbackForgetsIm,
        "in-phase",
        0,
        "rollback-restores-source",
    ),
    (
        Mutant::UndoFailureIsUndone,
        "in-phase",
        2,
        "undo-restores-pre-step-state",
    ),
    (
        Mutant::PartialUndoneIgnoresFailed,
        "in-phase,in-phase",
        3,
        "terminates-in-final-state",
    ),
];

#[test]
fn every_mutant_is_killed_by_its_named_claim() {
    assert_eq!(KILLS.len(), ALL_MUTANTS.len(), "a mutant without a kill");
    let mut survivors = Vec::new();
    for &(mutant, spec, faults, claim) in KILLS {
        let healthy = check(&model(spec, faults, Semantics::Thesis));
        assert!(
            matches!(
                verdict(&healthy, claim),
                Verdict::Verified | Verdict::Witnessed
            ),
            "{claim} must hold on the unmutated {spec}"
        );
        let o = check(&super::support::mutant(spec, faults, mutant));
        let v = verdict(&o, claim);
        if !v.is_failure() {
            survivors.push(format!("{mutant:?} survived {claim} on {spec} (got {v:?})"));
        }
        assert_eq!(o.exit_code(), 1, "{mutant:?}: the run must fail");
    }
    assert!(survivors.is_empty(), "{}", survivors.join("\n"));
}

/// A mutant's counterexample is a real path: replaying it through the model reproduces it.
#[test]
fn mutant_counterexamples_replay() {
    use stateright::Model;
    let m = super::support::mutant("in-phase,in-phase", 2, Mutant::NoFailedSignal);
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
