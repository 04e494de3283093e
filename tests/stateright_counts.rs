//! Cross-check of the explorer against stateright's own BFS checker on the same `Model`: the
//! unique-state counts must agree for every model the suite pins (docs/semantics.md §14: stateright keeps
//! fingerprints only and is not trusted for verdicts, but its count is an independent witness
//! that our exploration is exhaustive).

use super::support::*;
use smfcheck::step::fsm::{ALL_MUTANTS, Semantics};
use stateright::{Checker, Model};

fn stateright_count(m: smfcheck::step::model::StepModel) -> usize {
    m.checker().spawn_bfs().join().unique_state_count()
}

#[test]
fn unique_state_counts_match_stateright_bfs() {
    let specs = [
        "out-of-phase",
        "reduced",
        "locked-reduced",
        "in-phase",
        "in-phase,in-phase",
        "out-of-phase,in-phase",
        "in-phase,reduced",
        "in-phase,in-phase,locked-reduced",
        "in-phase,in-phase,in-phase,in-phase",
        "out-of-phase,in-phase,in-phase,reduced",
    ];
    for spec in specs {
        for faults in [0, 1, 2] {
            for sem in [Semantics::Thesis, Semantics::OpenSaf] {
                let m = model(spec, faults, sem);
                let ours = check(&m).stats.unique_states;
                assert_eq!(ours, stateright_count(m), "{spec} faults {faults} {sem:?}");
            }
        }
    }
    for mutant in ALL_MUTANTS {
        let m = super::support::mutant("in-phase,in-phase,in-phase", 2, mutant);
        let ours = check(&m).stats.unique_states;
        assert_eq!(ours, stateright_count(m), "{mutant:?}");
    }
}
