//! The campaign and procedure FSMs composed with the step core (src/campaign/model.rs): verdicts
//! of the campaign claims, hand-derived and stateright-cross-checked state counts, error handling
//! (Error Detected → administrator retry or rollback, Execution Failed, Rollback Failed), and the
//! execution-level order.

use super::support::letters;
use smfcheck::campaign::model::{CampState, CampaignModel, ProcSpec};
use smfcheck::check::{Check, Claim, Limits, Verdict, explore};
use smfcheck::properties::campaign_registry;
use smfcheck::step::embed::{EmbeddedStep, Purpose};
use smfcheck::step::fsm::{Core, Semantics};
use stateright::{Checker, Model};

fn proc(name: &str, level: u32, steps: &[&str]) -> ProcSpec {
    ProcSpec {
        name: name.into(),
        exec_level: level,
        steps: steps
            .iter()
            .map(|s| {
                let types = s.split(',').map(|t| t.parse().unwrap()).collect();
                Core::new(
                    EmbeddedStep::new(types, Purpose::Upgrade).unwrap(),
                    1,
                    Semantics::Thesis,
                )
            })
            .collect(),
        origin: None,
        step_origins: Vec::new(),
    }
}

fn verdicts(m: &CampaignModel) -> (String, usize) {
    let claims: Vec<Claim<CampaignModel>> = campaign_registry();
    let o = explore(m, &claims, &Limits::default());
    (letters(&o), o.stats.unique_states)
}

fn reachable(
    m: &CampaignModel,
    f: fn(&CampaignModel, &smfcheck::campaign::model::CampSysState) -> bool,
) -> bool {
    let c = Claim::ad_hoc("probe", vec![Check::Sometimes(f)]);
    explore(m, &[c], &Limits::default()).results[0].verdict == Verdict::Witnessed
}

/// One procedure, one in-phase step, no faults: 1 + 15 to Execution Completed, then Commit (1)
/// or the 16 transitions of the rollback up to Rollback Committed = 33 states.
#[test]
fn fault_free_single_step_campaign_count_by_hand() {
    let mut m = CampaignModel::new(vec![proc("P", 0, &["in-phase"])]);
    m.faults = 0;
    assert_eq!(verdicts(&m), ("----VVVVVWW".to_string(), 33));
    assert_eq!(m.checker().spawn_bfs().join().unique_state_count(), 33);
}

#[test]
fn parallel_procedures_and_levels_verify_under_single_faults() {
    let m = CampaignModel::new(vec![
        proc("A", 0, &["in-phase", "in-phase"]),
        proc("B", 0, &["in-phase,in-phase"]),
        proc("C", 1, &["out-of-phase"]),
    ]);
    let (letters, states) = verdicts(&m);
    assert_eq!(letters, "----VVVVVWW");
    assert_eq!(
        states,
        m.clone().checker().spawn_bfs().join().unique_state_count()
    );
    // Error Detected is reachable with one fault only if retries are exhausted: max-retry 1 needs
    // two failures, so with one fault nothing is ever undone.
    assert!(!reachable(&m, |_, s| s.camp == CampState::ErrorDetected));
}

#[test]
fn undone_steps_suspend_the_campaign_and_failures_end_it() {
    let mut m = CampaignModel::new(vec![
        proc("A", 0, &["in-phase"]),
        proc("B", 0, &["in-phase", "in-phase"]),
        proc("C", 1, &["in-phase"]),
    ]);
    m.faults = 2;
    let (letters, states) = verdicts(&m);
    assert_eq!(letters, "----VVVVVWW");
    assert_eq!(
        states,
        m.clone().checker().spawn_bfs().join().unique_state_count()
    );
    assert!(reachable(&m, |_, s| s.camp == CampState::SuspendedByErrorDetected));
    assert!(reachable(&m, |_, s| s.camp == CampState::ExecutionFailed));
    assert!(reachable(&m, |_, s| s.camp == CampState::RollbackFailed));
    // A second procedure stops at its step boundary while the campaign handles the error.
    assert!(reachable(&m, |_, s| s.procs.iter().any(
        |p| p.st == smfcheck::campaign::model::ProcState::Suspended
    )));
}

#[test]
fn the_restart_finding_reaches_the_campaign() {
    // Under the thesis's undo, the reduced step's undo leaves the unit running the new software
    // (README, "A finding"). The administrator then rolls the campaign back: the undone step has
    // nothing to roll back, the rollback commits, and the layer is not at its source — caught by
    // rollback-restores-source (4th letter). A retry instead reaches the target, so
    // success-reaches-target holds.
    let mut m = CampaignModel::new(vec![proc("R", 0, &["reduced"])]);
    m.faults = 2;
    assert_eq!(verdicts(&m).0, "----VVVXVWW");
    for s in &mut m.procs[0].steps {
        s.semantics = Semantics::OpenSaf;
    }
    assert_eq!(verdicts(&m).0, "----VVVVVWW");
}

/// Seeded campaign-FSM defects, each killed by the claim named for it (and the unmutated model
/// verifies that claim): the campaign claims can fail.
#[test]
fn campaign_mutants_are_killed_by_their_claims() {
    use smfcheck::campaign::model::CampMutant;
    let base = || {
        let mut m = CampaignModel::new(vec![
            proc("A", 0, &["in-phase"]),
            proc("B", 1, &["in-phase"]),
        ]);
        m.faults = 2;
        m
    };
    let verdict = |m: &CampaignModel, name: &str| {
        let claims: Vec<Claim<CampaignModel>> = campaign_registry()
            .into_iter()
            .filter(|e| e.name == name)
            .collect();
        explore(m, &claims, &Limits::default()).results[0].verdict
    };
    for (mutant, killer) in [
        (CampMutant::StartAllLevels, "exec-levels-respected"),
        (CampMutant::RollbackAllLevels, "exec-levels-respected"),
        (
            CampMutant::FailureCompletes,
            "failure-escalates-to-campaign",
        ),
        (
            CampMutant::RollbackFailureIgnored,
            "failure-escalates-to-campaign",
        ),
    ] {
        assert_eq!(verdict(&base(), killer), Verdict::Verified, "{killer}");
        let mut m = base();
        m.mutant = Some(mutant);
        assert_eq!(
            verdict(&m, killer),
            Verdict::Violated,
            "{mutant:?} survives {killer}"
        );
    }
}
