//! Step-model pins that need more than a run of the binary: verdicts under a base-type change
//! set on the model, and the shortest counterexamples behind them. The plain pins — verdicts,
//! unique-state and transition counts of every step type and embedded degrees 1–4 under fault
//! budgets 0–2 and both undo semantics — are runs of models/expect.json (tests/manifests.rs).
//!
//! Their fault-free counts are checked by hand: a degree-1 in-phase step is a chain of
//! 1 (initial) + Execute + delivery + 4 T + Phase-complete + IM + 4 B + Done + delivery (15) and
//! the same 14 again for the administrator's rollback = 29 states; a reduced step is
//! 1 + 9 + 9 = 19; a degree-2 in-phase step is 1 + 27 + 27 = 55.
//!
//! The reduced and locked-reduced runs there record a finding, not a defect of smfcheck: under
//! the thesis's undo (Table 2.1 reverses in reverse order, §2.8.4), a failure of the last action
//! (online uninstall old) is undone by restarting the unit *before* the IM is set back to old, so
//! the unit comes back on the new software that is then uninstalled under it
//! (`retry-starts-from-stable-state` violated at one fault, `undo-restores-pre-step-state` too at
//! two). OpenSAF's undo (the rollback list) restores the layer.

use super::support::*;
use smfcheck::check::Verdict;
use smfcheck::step::fsm::Semantics::{OpenSaf, Thesis};

/// Every claim of a degree-2 or deeper step holds or is witnessed (registry order, see
/// `support::letters`): undo-restores, retry-stable, completed-target, rollback-restores,
/// failure-propagates, rollback-failure-propagates, one-active, lower-layer-ready, terminates,
/// then the seven reachability witnesses.
const ALL_D2: &str = "VVVVVVVVVWWWWWWW";

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
