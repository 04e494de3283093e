//! The binary end to end: the acceptance commands of the core issue read as SMF trace lines,
//! property files, exit codes 0/1/2/3, and bad input reported as a clear error (never a panic).
//! The verdicts and counts of the acceptance commands and of the models/README.md catalogue are
//! runs of models/expect.json (tests/manifests.rs).

use super::support::{ROOT, scratch, smfcheck};
use std::path::Path;

#[test]
fn out_of_phase_over_base_type_change_is_caught() {
    let (code, out, _) = smfcheck(&[
        "fsm",
        "--step",
        "out-of-phase,in-phase",
        "--base-type-change",
        "2",
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("lower-layer-ready-for-install    always             VIOLATED           3"),
        "{out}"
    );
    assert!(out.contains("counterexample for lower-layer-ready-for-install (3 steps, shortest)"));
    assert!(out.contains("   1  procedure: Execute → step 1\n"), "{out}");
    assert!(out.contains("   2  step 1 (layer 1) ← procedure: Execute → Executing (phase 0)\n"));
    assert!(out.contains("   3  step 1 (layer 1): online install new — ok\n"));
}

#[test]
fn failures_read_in_smf_terms() {
    let (code, out, _) = smfcheck(&["fsm", "--step", "reduced"]);
    assert_eq!(code, 1);
    assert!(
        out.contains("   7  step 1 (layer 1): online uninstall old — FAILED → Undoing (phase 1)\n"),
        "{out}"
    );
    assert!(out.contains("Retry Count Exceeded → Undone; signal Undone to procedure"));
    // OpenSAF's undo runs the rollback list and restores the layer.
    let (code, _, _) = smfcheck(&["fsm", "--step", "reduced", "--semantics", "opensaf"]);
    assert_eq!(code, 0);
}

#[test]
fn property_files_select_registry_entries() {
    for file in ["properties/default.props", "properties/undo-rollback.props"] {
        assert!(Path::new(ROOT).join(file).exists());
        let (code, out, err) =
            smfcheck(&["fsm", "--step", "in-phase,in-phase", "--properties", file]);
        assert_eq!(code, 0, "{file}: {out}{err}");
    }
    let (_, out, _) = smfcheck(&[
        "fsm",
        "--step",
        "in-phase",
        "--properties",
        "properties/undo-rollback.props",
    ]);
    assert!(out.contains("undo-restores-pre-step-state"));
    assert!(!out.contains("one-nested-step-active"), "{out}");
}

#[test]
fn limits_end_inconclusive() {
    let (code, out, _) = smfcheck(&["fsm", "--step", "in-phase,in-phase", "--max-states", "50"]);
    assert_eq!(code, 3, "{out}");
    assert!(out.contains("INCOMPLETE (--max-states 50 reached)"));
    assert!(out.contains("inconclusive"));
    assert!(!out.contains(" verified "), "{out}");
}

#[test]
fn bad_input_is_exit_2_with_a_clear_error() {
    let dir = scratch("cli-bad-input");
    let props = dir.join("bad.props");
    std::fs::write(
        &props,
        "# a set\nundo-restores-pre-step-state\nno-such-claim\n",
    )
    .unwrap();
    let props = props.to_str().unwrap().to_string();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["fsm", "--step", "sideways"],
            "unknown step type `sideways`",
        ),
        (vec!["fsm", "--step", ""], "unknown step type ``"),
        (vec!["fsm", "--step", "reduced,in-phase"], "§4.1.3.1 (1)"),
        (
            vec![
                "fsm",
                "--step",
                "out-of-phase,in-phase",
                "--for",
                "addition",
            ],
            "§4.1.3.1 (2)",
        ),
        (
            vec!["fsm", "--step", "in-phase", "--faults", "9"],
            "--faults 9 is out of range",
        ),
        (
            vec!["fsm", "--step", "in-phase", "--max-retry", "6"],
            "--max-retry 6",
        ),
        (
            vec![
                "fsm",
                "--step",
                "in-phase,in-phase",
                "--base-type-change",
                "3",
            ],
            "out of range 1..=2",
        ),
        (
            vec!["fsm", "--step", "in-phase", "--properties", &props],
            ":3: unknown property `no-such-claim`; available: undo-restores-pre-step-state",
        ),
        (
            vec![
                "fsm",
                "--step",
                "in-phase",
                "--properties",
                "/nonexistent.props",
            ],
            "/nonexistent.props",
        ),
        (vec!["fsm", "--step", "in-phase", "--faults", "300"], "300"),
        (vec!["fsm"], "--step"),
        (
            vec!["graph", "--step", "in-phase", "--nested", "2"],
            "--nested 2 is out of range 1..=1",
        ),
        (vec!["frobnicate"], "unrecognized subcommand"),
    ];
    for (args, msg) in cases {
        let (code, out, err) = smfcheck(&args);
        assert_eq!(code, 2, "{args:?}: {out}{err}");
        assert!(err.contains(msg), "{args:?}: stderr was {err}");
        assert!(!err.contains("panicked"), "{args:?}");
    }
}

#[test]
fn graph_writes_the_standard_fsm_as_dot() {
    let (code, out, _) = smfcheck(&["graph", "--step", "in-phase"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("// FSM of nested step 1"));
    assert!(
        out.contains("\"Executing\" -> \"Completed\" [label=\"Done / Proc: Completed\"];"),
        "{out}"
    );
    let (code, out, _) = smfcheck(&["graph", "--step", "in-phase,in-phase,in-phase"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("\"Waiting\" -> \"Partial Undoing\" [label=\"inner: Undone\"];"),
        "{out}"
    );
}
