//! `smfcheck graph` golden files (tests/golden/graph-*; regenerate with `UPDATE_GOLDEN=1 cargo
//! test --release graph`): the step FSMs (standard and nested) as DOT and Mermaid, a campaign's
//! procedure/step structure as DOT and Mermaid, and a saved counterexample as a Mermaid sequence
//! diagram. A changed picture is a failing test until the golden file is regenerated and
//! reviewed in the diff.

use super::support::{Smfcheck, assert_golden, scratch, write_counterexample};

/// `smfcheck graph ARGS` from the repository root.
fn graph(args: &[&str]) -> (i32, String, String) {
    Smfcheck::new(std::iter::once(&"graph").chain(args)).run()
}

/// Compare `actual` with `tests/golden/NAME` (or write it under `UPDATE_GOLDEN`).
fn golden(name: &str, actual: &str) {
    assert_golden(&format!("tests/golden/{name}"), actual);
}

const CAMPAIGN: &[&str] = &[
    "models/thesis-case-study/expected-campaign.xml",
    "--config",
    "models/thesis-case-study/source.xml",
    "--compat",
    "models/thesis-case-study/compat.xml",
];

#[test]
fn step_fsm_pictures_match_their_golden_files() {
    for (name, args) in [
        ("graph-in-phase.dot", vec!["--step", "in-phase"]),
        (
            "graph-in-phase.mmd",
            vec!["--step", "in-phase", "--format", "mermaid"],
        ),
        (
            "graph-nested-2-of-3.dot",
            vec!["--step", "in-phase,in-phase,in-phase"],
        ),
        (
            "graph-nested-2-of-3.mmd",
            vec![
                "--step",
                "in-phase,in-phase,in-phase",
                "--format",
                "mermaid",
            ],
        ),
    ] {
        let (code, out, err) = graph(&args);
        assert_eq!(code, 0, "{name}: {err}");
        golden(name, &out);
    }
}

#[test]
fn campaign_structure_pictures_match_their_golden_files() {
    let (code, dot, err) = graph(CAMPAIGN);
    assert_eq!(code, 0, "{err}");
    golden("graph-campaign-thesis.dot", &dot);
    let mut args = CAMPAIGN.to_vec();
    args.extend(["--format", "mermaid"]);
    let (code, mmd, err) = graph(&args);
    assert_eq!(code, 0, "{err}");
    golden("graph-campaign-thesis.mmd", &mmd);
    // Four execution levels in order, and the nested steps of the first procedure act on the
    // VMs, the VMM and the host OS, outermost first.
    assert!(dot.contains("label=\"execution level 3\""));
    assert!(dot.contains("\"p0s0n0\" -> \"EE VMx1-M\""));
    assert!(dot.contains("\"p0s0n2\" -> \"EE hostOS-1\""));
}

#[test]
fn a_trace_renders_as_a_mermaid_sequence_diagram() {
    let dir = scratch("graph-trace");
    let (file, describe) = write_counterexample(&dir);
    let (code, out, err) = graph(&["--trace", file.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    golden("graph-trace-base-type.mmd", &out);
    assert!(out.starts_with("sequenceDiagram\n"));
    assert_eq!(
        out.lines()
            .filter(|l| l.contains(": ") && !l.contains("participant"))
            .count(),
        describe.len(),
        "one row per step:\n{out}"
    );
    // The same diagram as the Explorer draws it, as SVG.
    let (code, svg, err) = graph(&["--trace", file.to_str().unwrap(), "--format", "svg"]);
    assert_eq!(code, 0, "{err}");
    assert!(svg.starts_with("<svg"), "{svg}");
    assert!(svg.contains("counterexample for lower-layer-ready-for-install (3 steps)"));
    assert!(svg.contains(">online install new — ok</text>"), "{svg}");
}

#[test]
fn graph_rejects_bad_combinations_with_exit_2() {
    for (args, msg) in [
        (vec![], "give a campaign"),
        (
            vec!["--step", "in-phase", "--nested", "3"],
            "--nested 3 is out of range",
        ),
        (
            [CAMPAIGN, &["--nested", "1"][..]].concat(),
            "--nested draws a step FSM",
        ),
        (vec!["--step", "in-phase", CAMPAIGN[0]], "not both"),
        (
            vec!["--step", "in-phase", "--config", CAMPAIGN[2]],
            "apply to a campaign only",
        ),
        (
            [CAMPAIGN, &["--base-type-change", "2"][..]].concat(),
            "apply to --step only",
        ),
        (vec!["--trace", "no/such/file.json"], "no/such/file.json"),
        (
            vec!["--step", "in-phase", "--format", "svg"],
            "--format svg draws a trace",
        ),
    ] {
        let (code, _, err) = graph(&args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(msg), "{args:?}: {err}");
    }
}
