//! Reports, saved traces, limits and exit codes end to end (issue #5 parts 2, 4–6): every report
//! format golden-tested on a verified and a violated step model, a run cut short, and a violated
//! campaign; the JSON, JUnit and SARIF reports checked against their schemas' rules; saved traces
//! replayed as still violating, now holding, or stale; every limit ends in "inconclusive".
//!
//! `UPDATE_GOLDEN=1 cargo test --release --test main reports` rewrites tests/golden/ from the
//! current binary; review the diff before committing it.

use super::support::{BIN, ROOT, golden_differs, scratch, smfcheck, smfcheck_in};
use smfcheck::check::{Claim, Limits, Verdict, explore, human_bytes, parse_bytes};
use smfcheck::report::json::Report;
use smfcheck::spec::{ModelSpec, PurposeName, SemanticsName, StepSpec};
use smfcheck::step::fsm::Semantics;
use smfcheck::tracefile::{self, ReplayResult, SavedTrace};
use std::path::Path;
use std::process::Command;

/// The golden runs: (name, working directory under the crate, arguments, exit code).
const GOLDEN: &[(&str, &str, &[&str], i32)] = &[
    ("fsm-verified", "", &["fsm", "--step", "in-phase"], 0),
    ("fsm-violated", "", &["fsm", "--step", "reduced"], 1),
    (
        "fsm-inconclusive",
        "",
        &["fsm", "--step", "in-phase,in-phase", "--max-states", "50"],
        3,
    ),
    (
        "check-violated",
        "models",
        &[
            "check",
            "broken/undo-cannot-restore.xml",
            "--config",
            "vlc-2n/config.xml",
            "--compat",
            "vlc-2n/compat.xml",
            "--faults",
            "2",
        ],
        1,
    ),
    // Symmetry reduction: the report names the interchangeable procedures, the counterexample
    // is concrete (the real procedures and SUs).
    (
        "check-symmetry-violated",
        "models",
        &[
            "check",
            "parallel/campaign.xml",
            "--config",
            "parallel/config-no-spare.xml",
        ],
        1,
    ),
];

const FORMATS: &[(&str, &str)] = &[
    ("text", "txt"),
    ("json", "json"),
    ("junit", "junit.xml"),
    ("sarif", "sarif"),
];

/// Replace what varies from run to run — elapsed time, states/s, thread count — by fixed
/// values, line by line, so that everything else is compared byte for byte.
fn mask(format: &str, out: &str) -> String {
    let mut masked: Vec<String> = Vec::new();
    for line in out.lines() {
        let l = match format {
            "text" if line.starts_with("statistics: ") => line
                .split(", ")
                .map(|f| {
                    if f.ends_with(" s") {
                        "T s".to_string()
                    } else if f.ends_with(" states/s") {
                        "R states/s".to_string()
                    } else if f.ends_with(" threads") {
                        "N threads".to_string()
                    } else {
                        f.to_string()
                    }
                })
                .collect::<Vec<_>>()
                .join(", "),
            "json" => {
                let key = [
                    "\"elapsed_seconds\": ",
                    "\"states_per_second\": ",
                    "\"threads\": ",
                ]
                .into_iter()
                .find(|k| line.trim_start().starts_with(k));
                match key {
                    Some(k) => {
                        let indent = &line[..line.len() - line.trim_start().len()];
                        let comma = if line.ends_with(',') { "," } else { "" };
                        format!("{indent}{k}0{comma}")
                    }
                    None => line.to_string(),
                }
            }
            "junit" => match line.find(" time=\"") {
                Some(i) => {
                    let end = line[i + 7..].find('"').unwrap() + i + 7;
                    format!("{} time=\"0\"{}", &line[..i], &line[end + 1..])
                }
                None => line.to_string(),
            },
            _ => line.to_string(),
        };
        masked.push(l);
    }
    masked.join("\n") + "\n"
}

#[test]
fn every_report_format_matches_its_golden_file() {
    let mut stale = Vec::new();
    for (name, dir, args, code) in GOLDEN {
        for (format, ext) in FORMATS {
            let mut argv = args.to_vec();
            argv.extend(["--format", format]);
            let (got, out, err) = smfcheck_in(dir, &argv);
            assert_eq!(got, *code, "{name} {format}: {err}");
            stale.extend(golden_differs(
                &format!("tests/golden/{name}.{ext}"),
                &mask(format, &out),
            ));
        }
    }
    assert!(
        stale.is_empty(),
        "{}\nrerun with UPDATE_GOLDEN=1 if the change is intended",
        stale.join("\n")
    );
}

/// `--format text` is the default, and the same bytes.
#[test]
fn text_is_the_default_format() {
    let (_, default, _) = smfcheck(&["fsm", "--step", "reduced"]);
    let (_, text, _) = smfcheck(&["fsm", "--step", "reduced", "--format", "text"]);
    assert_eq!(mask("text", &default), mask("text", &text));
    assert!(default.contains("counterexample for undo-restores-pre-step-state (13 steps"));
}

fn campaign_args(format: &str) -> Vec<&str> {
    let mut a = GOLDEN[3].2.to_vec();
    a.extend(["--format", format]);
    a
}

/// The JSON report parses into the documented structure and says what the text report says.
#[test]
fn json_report_follows_schema_one() {
    let (code, out, _) = smfcheck_in("models", &campaign_args("json"));
    assert_eq!(code, 1);
    let r: Report = serde_json::from_str(&out).expect("schema smfcheck-report/1");
    assert_eq!(r.schema, "smfcheck-report/1");
    assert_eq!(
        (r.command.as_str(), r.verdict.as_str()),
        ("check", "violated")
    );
    assert_eq!(r.input.as_deref(), Some("broken/undo-cannot-restore.xml"));
    assert!(r.exploration.exhaustive && r.exploration.limit.is_none());
    let stats = r.statistics.as_ref().unwrap();
    assert_eq!(stats.states_stored, "exactly");
    assert_eq!(stats.hash_collision_probability, 0.0);
    let p = r
        .properties
        .iter()
        .find(|p| p.name == "rollback-restores-source")
        .unwrap();
    assert_eq!(p.verdict, "violated");
    let t = p.counterexample.as_ref().unwrap();
    assert_eq!(t.length, t.steps.len());
    for (i, s) in t.steps.iter().enumerate() {
        assert_eq!(s.step, i + 1);
    }
    // Every step of the campaign's procedure cites the campaign, and its line opens an element.
    let text =
        std::fs::read_to_string(Path::new(ROOT).join("models/broken/undo-cannot-restore.xml"))
            .unwrap();
    let located: Vec<_> = t.steps.iter().filter_map(|s| s.location.as_ref()).collect();
    assert!(!located.is_empty());
    for loc in located {
        let (file, line) = loc.rsplit_once(':').unwrap();
        assert_eq!(file, "broken/undo-cannot-restore.xml");
        let line: usize = line.parse().unwrap();
        let src = text.lines().nth(line - 1).unwrap();
        assert!(src.trim_start().starts_with('<'), "{loc}: {src}");
    }
    // Trace lines are the text report's, and the steps name the entities they change.
    let (_, txt, _) = smfcheck_in("models", &campaign_args("text"));
    for s in &t.steps {
        assert!(txt.contains(&s.action), "{}", s.action);
    }
    assert!(
        t.steps
            .iter()
            .any(|s| s.entities.iter().any(|e| e.starts_with("SU ")))
    );
}

/// JUnit: one testcase per property, a failure (with the trace) per violated one, and counts
/// that agree.
#[test]
fn junit_has_one_testcase_per_property() {
    use quick_xml::Reader;
    use quick_xml::events::Event;
    let (_, json, _) = smfcheck(&["fsm", "--step", "reduced", "--format", "json"]);
    let r: Report = serde_json::from_str(&json).unwrap();
    let (code, xml, _) = smfcheck(&["fsm", "--step", "reduced", "--format", "junit"]);
    assert_eq!(code, 1);
    let mut reader = Reader::from_str(&xml);
    let (mut cases, mut failures, mut skipped) = (Vec::new(), 0, 0);
    let mut suite_counts = None;
    let mut in_failure = false;
    let mut failure_text = String::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) | Event::Empty(e) => {
                let attr = |k: &str| {
                    e.try_get_attribute(k).unwrap().map(|a| {
                        a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                            .unwrap()
                            .to_string()
                    })
                };
                match e.name().as_ref() {
                    "testsuite" => {
                        suite_counts = Some((attr("tests").unwrap(), attr("failures").unwrap()))
                    }
                    "testcase" => cases.push(attr("name").unwrap()),
                    "failure" => {
                        failures += 1;
                        in_failure = true;
                    }
                    "skipped" => skipped += 1,
                    _ => {}
                }
            }
            Event::Text(t) if in_failure => failure_text.push_str(&t.xml10_content()),
            Event::End(e) if e.name().as_ref() == "failure" => in_failure = false,
            Event::Eof => break,
            _ => {}
        }
    }
    let names: Vec<_> = r.properties.iter().map(|p| p.name.clone()).collect();
    assert_eq!(cases, names);
    let violated = r
        .properties
        .iter()
        .filter(|p| p.verdict == "violated")
        .count();
    assert_eq!(failures, violated);
    assert_eq!(
        skipped,
        r.properties
            .iter()
            .filter(|p| p.verdict == "not-applicable")
            .count()
    );
    assert_eq!(
        suite_counts,
        Some((names.len().to_string(), violated.to_string()))
    );
    assert!(failure_text.contains("  13  step 1 (layer 1): Retry Count Exceeded → Undone"));
}

/// SARIF 2.1.0: rules for every property, one result per violation with a valid rule index,
/// located in the campaign for `check` and without a location for `fsm`.
#[test]
fn sarif_locates_campaign_violations_in_the_xml() {
    let (code, out, _) = smfcheck_in("models", &campaign_args("sarif"));
    assert_eq!(code, 1);
    let log: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(log["version"], "2.1.0");
    assert!(log["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(
        rules
            .iter()
            .all(|r| r["shortDescription"]["text"].is_string()
                && r["properties"]["section"].as_str().unwrap().contains('§'))
    );
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 1);
    let res = &results[0];
    let i = res["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(rules[i]["id"], res["ruleId"]);
    assert_eq!(res["ruleId"], "rollback-restores-source");
    let loc = &res["locations"][0]["physicalLocation"];
    assert_eq!(
        loc["artifactLocation"]["uri"],
        "broken/undo-cannot-restore.xml"
    );
    let line = loc["region"]["startLine"].as_u64().unwrap() as usize;
    let text =
        std::fs::read_to_string(Path::new(ROOT).join("models/broken/undo-cannot-restore.xml"))
            .unwrap();
    let src = text.lines().nth(line - 1).unwrap();
    assert!(
        src.contains("Procedure") || src.contains("Step"),
        "{line}: {src}"
    );
    assert!(
        !res["codeFlows"][0]["threadFlows"][0]["locations"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    let (_, out, _) = smfcheck(&["fsm", "--step", "reduced", "--format", "sarif"]);
    let log: serde_json::Value = serde_json::from_str(&out).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    assert!(results.iter().all(|r| r.get("locations").is_none()));
}

/// The JSON report's trace text equals the text report's (JUnit and SARIF carry that text).
#[test]
fn report_trace_text_is_the_text_reports() {
    let (_, json, _) = smfcheck(&["fsm", "--step", "reduced", "--format", "json"]);
    let (_, text, _) = smfcheck(&["fsm", "--step", "reduced"]);
    let r: Report = serde_json::from_str(&json).unwrap();
    for p in &r.properties {
        if let Some(t) = &p.counterexample {
            let body = smfcheck::report::json::trace_text(t);
            assert!(text.contains(&body), "{}", p.name);
        }
    }
}

/// Every limit ends the run as inconclusive, exit 3, names itself, and verifies nothing.
#[test]
fn limits_end_inconclusive_and_say_which() {
    let base = ["fsm", "--step", "in-phase,in-phase"];
    for (flag, value, says) in [
        ("--max-states", "50", "--max-states 50 reached"),
        ("--timeout", "0", "--timeout 0s reached"),
        ("--max-memory", "1K", "--max-memory 1K reached"),
    ] {
        let mut args = base.to_vec();
        args.extend([flag, value]);
        let (code, out, err) = smfcheck(&args);
        assert_eq!(code, 3, "{flag}: {out}{err}");
        assert!(
            out.contains(&format!("exploration: INCOMPLETE ({says}")),
            "{out}"
        );
        assert!(!out.contains(" verified "), "{out}");
        args.extend(["--format", "json"]);
        let (code, out, _) = smfcheck(&args);
        assert_eq!(code, 3);
        let r: Report = serde_json::from_str(&out).unwrap();
        assert_eq!(r.verdict, "inconclusive");
        assert!(!r.exploration.exhaustive);
        let limit = r.exploration.limit.unwrap();
        assert_eq!(limit.flag, flag.trim_start_matches("--"));
        assert!(limit.message.starts_with(says), "{}", limit.message);
        assert!(r.properties.iter().all(|p| p.verdict != "verified"));
    }
    // The same for a campaign.
    let mut args = GOLDEN[3].2.to_vec();
    args.extend(["--max-memory", "1M"]);
    let (code, out, _) = smfcheck_in("models", &args);
    assert_eq!(code, 3, "{out}");
    assert!(out.contains("INCOMPLETE (--max-memory 1M reached"), "{out}");
    // A generous limit does not cut the run.
    let (code, out, _) = smfcheck(&["fsm", "--step", "in-phase", "--max-memory", "64G"]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn memory_sizes_parse_in_binary_units() {
    assert_eq!(parse_bytes("512M"), Ok(512 << 20));
    assert_eq!(parse_bytes("2G"), Ok(2 << 30));
    assert_eq!(parse_bytes("1.5GiB"), Ok(3 << 29));
    assert_eq!(parse_bytes("64kb"), Ok(64 << 10));
    assert_eq!(parse_bytes("1048576"), Ok(1 << 20));
    for bad in ["", "0", "-1", "12X", "M", "1e3"] {
        assert!(parse_bytes(bad).is_err(), "{bad}");
    }
    assert_eq!(human_bytes(512 << 20), "512M");
    assert_eq!(human_bytes(3 << 29), "1.5G");
    assert_eq!(human_bytes(1000), "1000");
    let (code, _, err) = smfcheck(&["fsm", "--step", "in-phase", "--max-memory", "lots"]);
    assert_eq!(code, 2);
    assert!(err.contains("`lots` is not a size"), "{err}");
}

/// No progress line when standard error is not a terminal (here a pipe), even for a run long
/// enough to draw one; on a terminal (a pseudo-terminal from `script`) there is one, and
/// `--quiet` silences it.
#[test]
fn progress_only_on_a_terminal() {
    let long = [
        "fsm",
        "--step",
        "in-phase,in-phase,in-phase,in-phase",
        "--faults",
        "4",
        "--max-retry",
        "2",
    ];
    let (code, out, err) = smfcheck(&long);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(err, "", "stderr of a non-terminal run");
    assert!(!out.contains(" states ("));

    let bin = BIN;
    let tty = |quiet: bool| {
        // stdout to /dev/null: what `script` records is then standard error alone.
        let cmd = format!(
            "{bin} {}{} > /dev/null",
            long.join(" "),
            if quiet { " --quiet" } else { "" }
        );
        let out = Command::new("script")
            .args(["-qec", &cmd, "/dev/null"])
            .output()
            .expect("`script` (util-linux) runs the binary on a pseudo-terminal");
        assert!(out.status.success());
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    let shown = tty(false);
    assert!(shown.contains(" states ("), "{shown:?}");
    assert!(shown.contains("/s), depth "), "{shown:?}");
    assert!(shown.contains("depth ") && shown.contains("queue ") && shown.contains("memory "));
    let quiet = tty(true);
    assert!(quiet.is_empty(), "{quiet:?}");
}

/// `--help` of the binary and of every subcommand that runs a check states the exit codes.
#[test]
fn help_states_the_exit_codes() {
    for args in [
        vec!["--help"],
        vec!["fsm", "--help"],
        vec!["check", "--help"],
        vec!["replay", "--help"],
    ] {
        let (code, out, _) = smfcheck(&args);
        assert_eq!(code, 0);
        for needle in [
            "Exit codes:",
            "  0  every claim verified",
            "  1  a claim violated",
            "  2  bad input or usage",
            "  3  inconclusive",
        ] {
            assert!(out.contains(needle), "{args:?}: {needle}\n{out}");
        }
    }
}

/// Each exit code through the binary, for `fsm`, `check` and `replay`.
#[test]
fn exit_codes_end_to_end() {
    let dir = scratch("exit");
    let trace = dir.join("t.json");
    let trace = trace.to_str().unwrap();
    let cases: Vec<(&str, Vec<&str>, i32)> = vec![
        ("", vec!["fsm", "--step", "in-phase"], 0),
        ("", vec!["fsm", "--step", "reduced"], 1),
        ("", vec!["fsm", "--step", "sideways"], 2),
        ("", vec!["fsm", "--step", "in-phase", "--format", "yaml"], 2),
        (
            "",
            vec!["fsm", "--step", "in-phase", "--max-states", "10"],
            3,
        ),
        (
            "models",
            vec![
                "check",
                "vlc-2n/rolling-os-upgrade.xml",
                "--config",
                "vlc-2n/config.xml",
                "--compat",
                "vlc-2n/compat.xml",
            ],
            0,
        ),
        ("models", GOLDEN[3].2.to_vec(), 1),
        (
            "models",
            vec!["check", "no-such.xml", "--config", "vlc-2n/config.xml"],
            2,
        ),
        (
            "models",
            vec![
                "check",
                "vlc-2n/rolling-os-upgrade.xml",
                "--config",
                "vlc-2n/config.xml",
                "--max-states",
                "10",
            ],
            3,
        ),
        (
            "",
            vec!["fsm", "--step", "reduced", "--trace-out", trace],
            1,
        ),
        ("", vec!["replay", trace], 1),
        ("", vec!["replay", "/nonexistent/trace.json"], 2),
    ];
    for (dir, args, want) in cases {
        let (code, out, err) = smfcheck_in(dir, &args);
        assert_eq!(code, want, "{args:?}: {out}{err}");
        if want == 2 {
            assert!(
                err.starts_with("error: ") || out.starts_with("stale:"),
                "{err}"
            );
            assert!(!err.contains("panicked"));
        }
    }
}

/// A saved trace replays as still a counterexample on the same model (exit 1), as a path on
/// which the claim now holds when the model changed that way (exit 0), and as stale when a
/// saved action is no longer enabled (exit 2); in every format.
#[test]
fn saved_traces_replay_against_the_current_model() {
    let dir = scratch("replay");
    let path = dir.join("ready.json");
    let p = path.to_str().unwrap();
    let (code, _, err) = smfcheck(&[
        "fsm",
        "--step",
        "out-of-phase,in-phase",
        "--base-type-change",
        "2",
        "--trace-out",
        p,
    ]);
    assert_eq!(code, 1);
    assert!(
        err.contains("counterexample of lower-layer-ready-for-install saved to"),
        "{err}"
    );
    let saved = tracefile::load(&path).unwrap();
    assert_eq!(saved.schema, "smfcheck-trace/2");
    assert_eq!(saved.command, "fsm");
    assert_eq!(saved.property, "lower-layer-ready-for-install");
    assert_eq!(saved.actions.len(), 3);
    assert_eq!(
        saved.describe[2],
        "step 1 (layer 1): online install new — ok"
    );
    assert_eq!(saved.states.len(), 4);
    // The model's options, defaults spelled out, output options left out.
    assert_eq!(
        saved.spec,
        Some(ModelSpec::Step(StepSpec {
            step: vec!["out-of-phase".into(), "in-phase".into()],
            faults: 2,
            max_retry: 1,
            max_reexec: 1,
            allow_rollback: true,
            base_type_change: vec![2],
            semantics: SemanticsName::Thesis,
            purpose: PurposeName::Upgrade,
        }))
    );

    let (code, out, _) = smfcheck(&["replay", p]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("trace still a counterexample for lower-layer-ready-for-install (3 steps)")
    );
    assert!(out.contains("   3  step 1 (layer 1): online install new — ok\n"));
    for (format, check) in [
        ("json", "\"verdict\": \"violated\""),
        ("junit", "<failure"),
        ("sarif", "\"ruleId\": \"lower-layer-ready-for-install\""),
    ] {
        let (code, out, _) = smfcheck(&["replay", p, "--format", format]);
        assert_eq!(code, 1);
        assert!(out.contains(check), "{format}: {out}");
    }

    // Without the base-type change the same path exists, and the claim holds on it.
    let mut holds = saved.clone();
    let Some(ModelSpec::Step(step)) = &mut holds.spec else {
        panic!("a step spec")
    };
    step.base_type_change.clear();
    let holds_path = dir.join("holds.json");
    tracefile::save(&holds_path, &holds).unwrap();
    let (code, out, _) = smfcheck(&["replay", holds_path.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("trace followed (3 steps), but lower-layer-ready-for-install now holds"));
    let (_, out, _) = smfcheck(&["replay", holds_path.to_str().unwrap(), "--format", "json"]);
    let r: Report = serde_json::from_str(&out).unwrap();
    assert_eq!((r.verdict.as_str(), r.exit_code), ("holds", 0));

    // A changed model whose actions differ: stale at the step that is no longer enabled.
    let mut stale = saved.clone();
    stale.actions[1] = "Step(Run { step: 7, fail: false })".into();
    let stale_path = dir.join("stale.json");
    tracefile::save(&stale_path, &stale).unwrap();
    let (code, out, _) = smfcheck(&["replay", stale_path.to_str().unwrap()]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("stale: step 2 `Step(Run { step: 7, fail: false })` (step 1 (layer 1) ← procedure: Execute → Executing (phase 0)) is not enabled in the current model"),
        "{out}"
    );
    let (code, out, _) = smfcheck(&["replay", stale_path.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 2);
    let r: Report = serde_json::from_str(&out).unwrap();
    assert_eq!(r.properties[0].verdict, "stale");
}

/// A campaign's trace records the check arguments and replays from the same directory.
#[test]
fn campaign_traces_replay() {
    let dir = scratch("campaign");
    let path = dir.join("c.json");
    let p = path.to_str().unwrap();
    let mut args = GOLDEN[3].2.to_vec();
    args.extend(["--trace-out", p, "--quiet"]);
    let (code, _, err) = smfcheck_in("models", &args);
    assert_eq!(code, 1);
    assert_eq!(err, "", "--quiet");
    let saved = tracefile::load(&path).unwrap();
    assert_eq!(saved.command, "check");
    // Input paths are relative to the trace's directory (absolute when that shares nothing
    // with them but `/`): wherever the repository and the temporary directory are, each names
    // the model file from the trace's directory.
    let models = std::fs::canonicalize(Path::new(ROOT).join("models")).unwrap();
    let trace_dir = std::fs::canonicalize(&dir).unwrap();
    let resolved = |arg: &str| std::fs::canonicalize(trace_dir.join(arg)).unwrap();
    let abs = |p: &str| models.join(p).display().to_string();
    let Some(ModelSpec::Campaign(c)) = &saved.spec else {
        panic!("a campaign spec: {saved:?}")
    };
    assert_eq!(
        resolved(c.campaign.to_str().unwrap()),
        models.join("broken/undo-cannot-restore.xml")
    );
    assert_eq!(
        resolved(c.config[0].to_str().unwrap()),
        models.join("vlc-2n/config.xml")
    );
    assert_eq!(
        resolved(c.compat.as_ref().unwrap().to_str().unwrap()),
        models.join("vlc-2n/compat.xml")
    );
    assert_eq!(
        (
            c.options.faults,
            c.options.semantics,
            c.options.default_max_retry
        ),
        (2, SemanticsName::Thesis, 1)
    );
    let (code, out, _) = smfcheck_in("models", &["replay", p]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("trace still a counterexample for rollback-restores-source"));
    let (code, out, _) = smfcheck_in("models", &["replay", p, "--format", "sarif"]);
    assert_eq!(code, 1);
    assert!(
        out.contains("\"uri\": \"broken/undo-cannot-restore.xml\""),
        "{out}"
    );
    // The migration counterexample of vm-vmm/broken-uncaught.xml (several initial placements)
    // replayed on the fixed campaign: the same path exists and no longer breaks compatibility.
    let broken = dir.join("vm.json");
    let (code, _, _) = smfcheck_in(
        "models",
        &[
            "check",
            "vm-vmm/broken-uncaught.xml",
            "--config",
            "vm-vmm/source.xml",
            "--compat",
            "vm-vmm/compat.xml",
            "--quiet",
            "--trace-out",
            broken.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 1);
    let (code, out, _) = smfcheck_in("models", &["replay", broken.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("trace still a counterexample for no-incompatible-hosting (24 steps)"));
    let mut fixed = tracefile::load(&broken).unwrap();
    let Some(ModelSpec::Campaign(c)) = &mut fixed.spec else {
        panic!("a campaign spec")
    };
    c.campaign = abs("vm-vmm/campaign.xml").into();
    let fixed_path = dir.join("vm-fixed.json");
    tracefile::save(&fixed_path, &fixed).unwrap();
    let (code, out, _) = smfcheck_in("models", &["replay", fixed_path.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("trace followed (24 steps), but no-incompatible-hosting now holds"));
}

/// `--trace-property` picks the property; one without a counterexample writes nothing and says
/// so; one that is not checked is a usage error.
#[test]
fn trace_property_selects_what_is_saved() {
    let dir = scratch("select");
    let path = dir.join("retry.json");
    let p = path.to_str().unwrap();
    let (code, _, _) = smfcheck(&[
        "fsm",
        "--step",
        "reduced",
        "--trace-out",
        p,
        "--trace-property",
        "retry-starts-from-stable-state",
    ]);
    assert_eq!(code, 1);
    assert_eq!(tracefile::load(&path).unwrap().actions.len(), 11);

    let none = dir.join("none.json");
    let (code, _, err) = smfcheck(&[
        "fsm",
        "--step",
        "in-phase",
        "--trace-out",
        none.to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    assert!(err.contains("no counterexample to save"), "{err}");
    assert!(!none.exists());

    let (code, _, err) = smfcheck(&[
        "fsm",
        "--step",
        "in-phase",
        "--trace-out",
        none.to_str().unwrap(),
        "--trace-property",
        "no-such-claim",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("--trace-property `no-such-claim` is not among the checked properties"));

    // An unwritable destination is refused before exploring.
    let (code, out, err) = smfcheck(&[
        "fsm",
        "--step",
        "reduced",
        "--trace-out",
        "/nonexistent-dir/t.json",
    ]);
    assert_eq!(code, 2);
    assert!(out.is_empty(), "{out}");
    assert!(
        err.contains(
            "--trace-out /nonexistent-dir/t.json: directory /nonexistent-dir does not exist"
        ),
        "{err}"
    );
}

/// Damaged trace files are exit 2 with the reason, never a panic.
#[test]
fn unreadable_traces_are_bad_input() {
    let dir = scratch("damaged");
    let (_, _, _) = smfcheck(&[
        "fsm",
        "--step",
        "reduced",
        "--trace-out",
        dir.join("good.json").to_str().unwrap(),
    ]);
    let good: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("good.json")).unwrap()).unwrap();
    let mut cases: Vec<(String, &str)> = vec![
        ("not json".into(), "not JSON"),
        ("{}".into(), "no `schema`"),
        (
            r#"{"schema":"smfcheck-trace/9"}"#.into(),
            "schema `smfcheck-trace/9` is not supported",
        ),
    ];
    let mut edit = |f: &dyn Fn(&mut serde_json::Value), why: &'static str| {
        let mut v = good.clone();
        f(&mut v);
        cases.push((v.to_string(), why));
    };
    edit(
        &|v| v["command"] = "graph".into(),
        "unknown command `graph`",
    );
    edit(
        &|v| v["spec"] = "--step reduced".into(),
        "not a saved smfcheck trace: `spec` of a `fsm` model: invalid type",
    );
    edit(
        &|v| v["spec"]["steps"] = serde_json::json!(["reduced"]),
        "unknown field `steps`",
    );
    edit(
        &|v| v["args"] = serde_json::json!(["--step", "reduced"]),
        "`args` is the model of a `smfcheck-trace/1` trace",
    );
    edit(
        &|v| {
            v["states"].as_array_mut().unwrap().pop();
        },
        "13 actions need 14 states",
    );
    edit(
        &|v| v["spec"]["semantics"] = "mine".into(),
        "unknown variant `mine`, expected `thesis` or `opensaf`",
    );
    edit(
        &|v| v["spec"]["step"][0] = "sideways".into(),
        "unknown step type `sideways`",
    );
    edit(
        &|v| v["property"] = "no-such-claim".into(),
        "stale: property `no-such-claim` is not in the current registry",
    );
    for (i, (text, why)) in cases.iter().enumerate() {
        let path = dir.join(format!("bad{i}.json"));
        std::fs::write(&path, text).unwrap();
        let (code, out, err) = smfcheck(&["replay", path.to_str().unwrap()]);
        assert_eq!(code, 2, "{why}: {out}{err}");
        assert!(err.contains(why), "{why}: {err}");
        assert!(!err.contains("panicked"));
    }
}

/// Library level: for every seeded mutant (`support::mutants::KILLS`), the killing
/// counterexample replays as still violating on the mutant, and on the healthy model (where the
/// claim holds) it is either not a path any more or a path on which the claim holds — never a
/// counterexample. A mutant killed by a reachability claim has no counterexample (its witness is
/// gone: `unreachable`), so nothing to replay.
#[test]
fn mutant_counterexamples_replay_on_mutant_not_on_healthy_model() {
    use super::support::{KILLS, model, mutant};
    use smfcheck::properties::step_claims;
    let claim_of = |_: &smfcheck::step::model::StepModel,
                    name: &str|
     -> Claim<smfcheck::step::model::StepModel> {
        step_claims(Some(&[name.to_string()])).pop().unwrap()
    };
    for &(mt, spec, faults, name) in KILLS {
        let bad = mutant(spec, faults, mt);
        let claim = claim_of(&bad, name);
        let o = explore(&bad, std::slice::from_ref(&claim), &Limits::default());
        let Some(t) = o.results[0].trace.as_ref() else {
            assert_eq!(
                o.results[0].verdict,
                Verdict::Unreachable,
                "{mt:?} is killed"
            );
            continue;
        };
        let args = vec!["--step".to_string(), spec.to_string()];
        let saved = SavedTrace::new(&bad, "fsm", args, name, t);
        match tracefile::replay(&bad, &claim, &saved) {
            ReplayResult::Followed {
                still_violates,
                differs_at,
                ..
            } => {
                assert!(still_violates, "{mt:?}");
                assert_eq!(differs_at, None, "{mt:?}");
            }
            ReplayResult::Stale { reason, .. } => panic!("{mt:?}: {reason}"),
        }
        let good = model(spec, faults, Semantics::Thesis);
        if let ReplayResult::Followed { still_violates, .. } =
            tracefile::replay(&good, &claim_of(&good, name), &saved)
        {
            assert!(
                !still_violates,
                "{mt:?}: a counterexample on the healthy model"
            );
        }
    }
}

/// A ring 0 → 1 → 2 → 0 that may leave for the final state 100 only from 0 (or, with
/// `exit_at_2`, also from 2): the step models are acyclic, so this is the model whose
/// non-termination is a lasso.
struct Ring {
    exit_at_2: bool,
}

impl stateright::Model for Ring {
    type State = u8;
    type Action = &'static str;
    fn init_states(&self) -> Vec<u8> {
        vec![0]
    }
    fn actions(&self, s: &u8, acts: &mut Vec<&'static str>) {
        if *s != 100 {
            acts.push("next");
        }
        if *s == 0 {
            acts.push("leave");
        }
    }
    fn next_state(&self, s: &u8, a: &'static str) -> Option<u8> {
        Some(match a {
            "leave" => 100,
            _ if *s == 2 && self.exit_at_2 => 100,
            _ => (s + 1) % 3,
        })
    }
}

impl smfcheck::check::Checked for Ring {
    fn is_final(&self, s: &u8) -> bool {
        *s == 100
    }
    fn describe(&self, s: &u8, a: &&'static str, t: &u8) -> String {
        format!("{s} {a} {t}")
    }
    fn summary(&self, s: &u8) -> String {
        format!("at {s}")
    }
}

#[test]
fn a_lasso_replays_as_a_cycle() {
    let terminates = || Claim::ad_hoc("terminates", vec![smfcheck::check::Check::Terminates]);
    let ring = Ring { exit_at_2: false };
    let o = explore(&ring, &[terminates()], &Limits::default());
    let t = o.results[0].trace.as_ref().unwrap();
    assert_eq!(t.loop_start, Some(0));
    let saved = SavedTrace::new(&ring, "fsm", vec![], "terminates", t);
    assert_eq!(saved.actions, ["\"next\"", "\"next\"", "\"next\""]);
    assert_eq!(saved.states, ["at 0", "at 1", "at 2", "at 0"]);
    assert!(matches!(
        tracefile::replay(&ring, &terminates(), &saved),
        ReplayResult::Followed {
            still_violates: true,
            differs_at: None,
            ..
        }
    ));
    // With an exit from 2 the last step leaves the ring: followed, no longer a cycle.
    let open = Ring { exit_at_2: true };
    assert!(matches!(
        tracefile::replay(&open, &terminates(), &saved),
        ReplayResult::Followed {
            still_violates: false,
            differs_at: Some(3),
            ..
        }
    ));
}

/// An outage the campaign declares acceptable is verified, and still reported: a note with its
/// trace in JSON, a `note`-level result in SARIF.
#[test]
fn accepted_outage_is_a_note_in_json_and_sarif() {
    let text = std::fs::read_to_string(
        Path::new(ROOT).join("models/vlc-2n/broken-both-nodes-one-procedure.xml"),
    )
    .unwrap();
    let dir = scratch("outage");
    let path = dir.join("all.xml");
    std::fs::write(&path, text.replace("<none/>", "<all/>")).unwrap();
    let args = |format: &'static str| {
        vec![
            "check".to_string(),
            path.to_str().unwrap().to_string(),
            "--config".into(),
            "vlc-2n/config.xml".into(),
            "--compat".into(),
            "vlc-2n/compat.xml".into(),
            "--format".into(),
            format.into(),
        ]
    };
    let run = |format| {
        let a = args(format);
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        smfcheck_in("models", &a)
    };
    let (code, out, _) = run("json");
    assert_eq!(code, 0, "{out}");
    let r: Report = serde_json::from_str(&out).unwrap();
    assert_eq!(r.verdict, "verified");
    assert_eq!(r.notes.len(), 1);
    assert_eq!(r.notes[0].property, "si-always-available");
    assert!(r.notes[0].message.contains("declares acceptable"));
    assert!(r.notes[0].trace.as_ref().unwrap().length > 0);
    let (code, out, _) = run("sarif");
    assert_eq!(code, 0);
    let log: serde_json::Value = serde_json::from_str(&out).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 1);
    assert_eq!(results[0]["level"], "note");
    assert_eq!(results[0]["ruleId"], "si-always-available");
}

/// The plain-shell CI gate of docs/ci-example.md, run as written on a violated and a verified
/// campaign (its placeholder paths replaced by the models').
#[test]
fn ci_example_shell_gate_runs_as_documented() {
    let doc = std::fs::read_to_string(Path::new(ROOT).join("docs/ci-example.md")).unwrap();
    let section = &doc[doc.find("## Any other CI").unwrap()..];
    let start = section.find("```sh\n").unwrap() + 6;
    let script = &section[start..start + section[start..].find("```").unwrap()];
    let bin_dir = Path::new(BIN).parent().unwrap();
    let models = Path::new(ROOT).join("models");
    let m = |f: &str| models.join(f).to_str().unwrap().to_string();
    let run = |campaign: &str| {
        let dir = scratch(&format!("ci-{}", campaign.replace('/', "-")));
        let script = script
            .replace("campaigns/upgrade.xml", &m(campaign))
            .replace("config/cluster.xml", &m("vlc-2n/config.xml"))
            .replace("config/compat.xml", &m("vlc-2n/compat.xml"));
        let out = Command::new("bash")
            .args(["-c", &script])
            .current_dir(&dir)
            .env(
                "PATH",
                format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap()),
            )
            .output()
            .unwrap();
        let junit = std::fs::read_to_string(dir.join("smfcheck-junit.xml")).unwrap();
        (
            out.status.code().unwrap(),
            String::from_utf8(out.stdout).unwrap(),
            junit,
        )
    };
    let (code, out, junit) = run("vlc-2n/broken-both-nodes-one-procedure.xml");
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("smfcheck: VIOLATED — counterexample:"),
        "{out}"
    );
    assert!(
        out.contains("trace still a counterexample for si-always-available"),
        "{out}"
    );
    assert!(
        junit.contains(
            "<testcase name=\"si-always-available\" classname=\"smfcheck.check\">\n      <failure"
        ),
        "{junit}"
    );
    let (code, out, junit) = run("vlc-2n/rolling-os-upgrade.xml");
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("smfcheck: campaign verified"));
    assert!(junit.contains("failures=\"0\""));
}

/// docs/report-schema.md documents every field the JSON report and the saved trace have.
#[test]
fn schema_doc_names_every_field() {
    fn keys(v: &serde_json::Value, out: &mut std::collections::BTreeSet<String>) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, v) in m {
                    out.insert(k.clone());
                    keys(v, out);
                }
            }
            serde_json::Value::Array(a) => a.iter().for_each(|v| keys(v, out)),
            _ => {}
        }
    }
    let doc = std::fs::read_to_string(Path::new(ROOT).join("docs/report-schema.md")).unwrap();
    let mut all = std::collections::BTreeSet::new();
    for golden in [
        "check-violated.json",
        "fsm-verified.json",
        "fsm-inconclusive.json",
    ] {
        let text =
            std::fs::read_to_string(Path::new(ROOT).join("tests/golden").join(golden)).unwrap();
        keys(&serde_json::from_str(&text).unwrap(), &mut all);
    }
    let dir = scratch("schema-doc");
    let trace = dir.join("t.json");
    let (code, _, _) = smfcheck(&[
        "fsm",
        "--step",
        "reduced",
        "--quiet",
        "--trace-out",
        trace.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    keys(
        &serde_json::from_str(&std::fs::read_to_string(&trace).unwrap()).unwrap(),
        &mut all,
    );
    assert!(all.len() > 40, "{all:?}");
    let missing: Vec<_> = all
        .iter()
        .filter(|k| !doc.contains(&format!("`{k}`")) && !doc.contains(&format!("{k}:")))
        .collect();
    assert!(missing.is_empty(), "undocumented fields: {missing:?}");
}
