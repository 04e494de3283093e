//! Pinned verdicts and unique-state counts (TLA+-Examples style: every model is a regression
//! test). Letters follow the registry order (see `support::letters`):
//! undo-restores, retry-stable, completed-target, rollback-restores, failure-propagates,
//! rollback-failure-propagates, one-active, lower-layer-ready, terminates, then the seven
//! reachability witnesses (completed, undone, failed, rolled back, rollback undone, rollback
//! partial undone, rollback failed).
//!
//! The fault-free counts are checked by hand: a degree-1 in-phase step is a chain of
//! 1 (initial) + Execute + delivery + 4 T + Phase-complete + IM + 4 B + Done + delivery (15) and
//! the same 14 again for the administrator's rollback = 29 states; a reduced step is
//! 1 + 9 + 9 = 19; a degree-2 in-phase step is 1 + 27 + 27 = 55.
//!
//! The reduced and locked-reduced rows record a finding, not a defect of smfcheck: under the
//! thesis's undo (Table 2.1 reverses in reverse order, §2.8.4), a failure of the last action
//! (online uninstall old) is undone by restarting the unit *before* the IM is set back to old, so
//! the unit comes back on the new software that is then uninstalled under it. OpenSAF's undo (the
//! rollback list) restores the layer.

use super::support::*;
use smfcheck::check::Verdict;
use smfcheck::step::fsm::Semantics::{self, OpenSaf, Thesis};

const F0_D1: &str = "VVVVVVVVVWUUWU-U";
const F1_D1: &str = "VVVVVVVVVWUUWU-U";
const ALL_D1: &str = "VVVVVVVVVWWWWW-W";
const F0_D2: &str = "VVVVVVVVVWUUWUUU";
const ALL_D2: &str = "VVVVVVVVVWWWWWWW";
/// The restart-before-IM finding of the reduced steps (thesis undo), one fault.
const RESTART_F1_D1: &str = "VXVVVVVVVWUUWU-U";
const RESTART_F1_D2: &str = "VXVVVVVVVWUUWUUU";
const RESTART_F2_D1: &str = "XXVVVVVVVWWWWW-W";
const RESTART_F2_D2: &str = "XXVVVVVVVWWWWWWW";

#[rustfmt::skip]
const PINS: &[(&str, u8, Semantics, usize, usize, &str)] = &[
    // step, faults, semantics, unique states, transitions, verdicts
    ("out-of-phase", 0, Thesis, 29, 28, F0_D1),
    ("out-of-phase", 1, Thesis, 95, 110, F1_D1),
    ("out-of-phase", 2, Thesis, 223, 262, ALL_D1),
    ("reduced", 0, Thesis, 19, 18, F0_D1),
    ("reduced", 1, Thesis, 68, 73, RESTART_F1_D1),
    ("reduced", 2, Thesis, 157, 176, RESTART_F2_D1),
    ("locked-reduced", 0, Thesis, 23, 22, F0_D1),
    ("locked-reduced", 1, Thesis, 88, 97, RESTART_F1_D1),
    ("locked-reduced", 2, Thesis, 215, 246, RESTART_F2_D1),
    ("in-phase", 0, Thesis, 29, 28, F0_D1),
    ("in-phase", 1, Thesis, 95, 110, F1_D1),
    ("in-phase", 2, Thesis, 223, 262, ALL_D1),
    ("out-of-phase", 2, OpenSaf, 538, 577, ALL_D1),
    ("reduced", 2, OpenSaf, 201, 215, ALL_D1),
    ("locked-reduced", 2, OpenSaf, 343, 367, ALL_D1),
    ("in-phase", 2, OpenSaf, 502, 541, ALL_D1),
    ("in-phase,in-phase", 0, Thesis, 55, 54, F0_D2),
    ("in-phase,in-phase", 2, Thesis, 644, 754, ALL_D2),
    ("in-phase,out-of-phase", 2, Thesis, 644, 754, ALL_D2),
    ("out-of-phase,in-phase", 2, Thesis, 644, 754, ALL_D2),
    ("in-phase,reduced", 1, Thesis, 192, 214, RESTART_F1_D2),
    ("in-phase,reduced", 2, Thesis, 561, 643, RESTART_F2_D2),
    ("in-phase,locked-reduced", 2, Thesis, 651, 749, RESTART_F2_D2),
    ("in-phase,in-phase", 2, OpenSaf, 1361, 1471, ALL_D2),
    ("in-phase,reduced", 2, OpenSaf, 870, 945, ALL_D2),
    ("in-phase,in-phase,locked-reduced", 2, Thesis, 1356, 1553, RESTART_F2_D2),
    ("in-phase,in-phase,locked-reduced", 2, OpenSaf, 2313, 2499, ALL_D2),
    ("in-phase,in-phase,in-phase", 0, Thesis, 81, 80, F0_D2),
    ("in-phase,in-phase,in-phase", 2, Thesis, 1325, 1538, ALL_D2),
    ("out-of-phase,in-phase,out-of-phase", 2, Thesis, 1325, 1538, ALL_D2),
    ("in-phase,in-phase,in-phase,in-phase", 2, Thesis, 2339, 2686, ALL_D2),
    ("in-phase,in-phase,in-phase,in-phase", 2, OpenSaf, 4517, 4864, ALL_D2),
    ("out-of-phase,in-phase,in-phase,reduced", 2, Thesis, 2238, 2541, RESTART_F2_D2),
    ("out-of-phase,in-phase,in-phase,reduced", 2, OpenSaf, 3554, 3846, ALL_D2),
];

#[test]
fn pinned_verdicts_and_state_counts() {
    let mut failures = Vec::new();
    for &(spec, faults, sem, states, transitions, want) in PINS {
        let o = check(&model(spec, faults, sem));
        let got = (o.stats.unique_states, o.stats.transitions, letters(&o));
        if got != (states, transitions, want.to_string()) {
            failures.push(format!(
                "{spec} faults {faults} {sem:?}: want ({states}, {transitions}, {want}) got {got:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The acceptance pair of the issue: out-of-phase on top of a layer that changes base type
/// installs the new software on the old lower layer; in-phase does not (§4.1.2).
#[test]
fn base_type_change_needs_in_phase_outer_step() {
    let mut bad = model("out-of-phase,in-phase", 2, Thesis);
    bad.base_type_change = 0b10;
    let o = check(&bad);
    assert_eq!(
        verdict(&o, "lower-layer-ready-for-install"),
        Verdict::Violated
    );
    let t = o
        .result("lower-layer-ready-for-install")
        .unwrap()
        .trace
        .as_ref()
        .unwrap();
    // Execute, delivery, then the online install of the new layer-1 software on old layer 2.
    assert_eq!(t.len(), 3);
    assert_eq!(o.exit_code(), 1);

    let mut good = model("in-phase,in-phase", 2, Thesis);
    good.base_type_change = 0b10;
    let o = check(&good);
    assert_eq!(letters(&o), ALL_D2);
    assert_eq!(o.exit_code(), 0);

    // Undo and rollback of the in-phase pair also respect the base-type change under OpenSAF's
    // undo semantics.
    let mut good = model("in-phase,in-phase,in-phase", 2, OpenSaf);
    good.base_type_change = 0b110;
    assert_eq!(letters(&check(&good)), ALL_D2);
}

/// A layer that changes base type is the execution environment of its own online operations
/// (§3.2.2, §4.1.2, §4.1.3): only the in-phase step (un)installs its image while it is down.
#[test]
fn a_base_type_change_of_one_layer_needs_the_in_phase_step() {
    for (spec, btc, want) in [
        ("out-of-phase", 0b1, Verdict::Violated),
        ("reduced", 0b1, Verdict::Violated),
        ("locked-reduced", 0b1, Verdict::Violated),
        ("in-phase", 0b1, Verdict::Verified),
        ("in-phase,out-of-phase", 0b10, Verdict::Violated),
        ("in-phase,in-phase", 0b11, Verdict::Verified),
        ("out-of-phase", 0b0, Verdict::Verified),
    ] {
        for sem in [Thesis, OpenSaf] {
            let mut m = model(spec, 1, sem);
            m.base_type_change = btc;
            let o = check(&m);
            assert_eq!(
                verdict(&o, "lower-layer-ready-for-install"),
                want,
                "{spec} btc {btc:#b} {sem:?}"
            );
            if want == Verdict::Violated {
                // The first (un)installation of the other generation while the layer runs: at
                // once for one layer, after the outer tear-down for the inner one.
                let t = o
                    .result("lower-layer-ready-for-install")
                    .unwrap()
                    .trace
                    .as_ref()
                    .unwrap();
                assert!(t.len() <= 9, "{spec}: {} steps", t.len());
            }
        }
    }
}

/// Shortest counterexamples: the restart finding is found at the first failure that can expose
/// it (11 transitions for the retry claim), whatever the thread count.
#[test]
fn counterexamples_are_shortest_and_deterministic() {
    let m = model("reduced", 2, Thesis);
    let a = check(&m);
    let b = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap()
        .install(|| check(&m));
    let ta = a
        .result("retry-starts-from-stable-state")
        .unwrap()
        .trace
        .as_ref()
        .unwrap();
    let tb = b
        .result("retry-starts-from-stable-state")
        .unwrap()
        .trace
        .as_ref()
        .unwrap();
    assert_eq!(ta.len(), 11);
    assert_eq!(ta.states, tb.states);
    assert_eq!(ta.actions, tb.actions);
    assert_eq!(a.stats.unique_states, b.stats.unique_states);
}
