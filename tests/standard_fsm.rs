//! §4.4.1: "a non-embedded upgrade step is an embedded upgrade step with a degree of embedding
//! equal to one". The labelled transition graph of nested step 1 of a degree-1 step, as reached by
//! exploration, must be exactly the table of the standard step FSM (§2.8.6, Fig. 2.6), written
//! out here directly from the thesis text.

use super::support::*;
use smfcheck::graph::step_edges;
use smfcheck::step::fsm::Semantics;
use smfcheck::step::fsm::StepState::{self, *};
use std::collections::BTreeSet;

fn standard() -> BTreeSet<(StepState, String, StepState)> {
    [
        (Initial, "Proc: Execute", Executing),
        (Executing, "Done / Proc: Completed", Completed),
        (Executing, "Failure", Undoing),
        (Undoing, "Undo Failure / Proc: Failed", Failed),
        (Undoing, "Retry", Executing),
        (Undoing, "Retry Count Exceeded / Proc: Undone", Undone),
        (Undone, "Proc: Execute", Executing),
        (Completed, "Proc: Rollback", RollingBack),
        (RollingBack, "Done / Proc: Rolled Back", RolledBack),
        (RollingBack, "Failure", UndoingRollback),
        (UndoingRollback, "Retry", RollingBack),
        (
            UndoingRollback,
            "Retry Count Exceeded / Proc: Rollback Undone",
            RollbackUndone,
        ),
        (
            UndoingRollback,
            "Undo Failure / Proc: Rollback Failed",
            RollbackFailed,
        ),
    ]
    .into_iter()
    .map(|(a, l, b)| (a, l.to_string(), b))
    .collect()
}

#[test]
fn degree_one_is_the_standard_fsm_for_every_step_type() {
    for ty in ["out-of-phase", "reduced", "locked-reduced", "in-phase"] {
        for sem in [Semantics::Thesis, Semantics::OpenSaf] {
            let m = model(ty, 2, sem);
            let got = step_edges(&m, 0, false);
            assert_eq!(got, standard(), "{ty} {sem:?}");
        }
    }
}

/// The middle step of a degree-3 step shows every state of Fig. 4.3 and 4.4 (three faults: the
/// Partial Undone + inner Failed row needs two build-up failures of the outer step and an undo
/// failure of the inner one).
#[test]
fn middle_step_has_every_modified_state() {
    let m = model("in-phase,in-phase,in-phase", 3, Semantics::Thesis);
    let edges = step_edges(&m, 1, true);
    let states: BTreeSet<StepState> = edges.iter().flat_map(|(a, _, b)| [*a, *b]).collect();
    let all: BTreeSet<StepState> = StepState::ALL.into_iter().collect();
    assert_eq!(states, all);
    for (a, l, b) in [
        (Executing, "Phase-complete / inner: Execute", Waiting),
        (Waiting, "inner: Completed", Executing),
        (Waiting, "inner: Undone", PartialUndoing),
        (Waiting, "inner: Failed / outer: Failed", Failed),
        (Completed, "outer: Undo", PartialUndoing),
        (
            PartialUndoing,
            "Undo-Phase-Complete / inner: Undo",
            PartialUndone,
        ),
        (PartialUndoing, "Undo-Complete / outer: Undone", Undone),
        (PartialUndone, "inner: Undone", PartialUndoing),
        (PartialUndone, "inner: Failed / outer: Failed", Failed),
        (RollbackWaiting, "inner: Rolled Back", RollingBack),
        (
            RollbackWaiting,
            "inner: Rollback Undone / outer: Rollback Undone",
            RollbackPartialUndone,
        ),
        (
            RollbackWaiting,
            "inner: Rollback Failed / outer: Rollback Failed",
            RollbackFailed,
        ),
        (
            UndoingRollback,
            "Retry Count Exceeded / outer: Rollback Undone",
            RollbackPartialUndone,
        ),
    ] {
        assert!(
            edges.contains(&(a, l.to_string(), b)),
            "missing {a:?} --{l}--> {b:?}; have {edges:#?}"
        );
    }
}
