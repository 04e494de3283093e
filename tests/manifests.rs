//! The model manifests (`models/**/expect.json`, TLA+-Examples style: every model is a
//! regression test): one table-driven test runs every listed run through the release binary
//! and compares its exit code, unique-state and transition counts and the verdict of every
//! claim; the tables of the models' READMEs must agree with the manifests, so the documentation
//! cannot drift from what is checked.

use super::support::manifest::{Located, manifests, runs};
use super::support::{opensaf_or, smfcheck_in};
use rayon::prelude::*;
use smfcheck::report::json::Report;
use std::collections::BTreeMap;

/// What is wrong with one run, if anything (`os`: the OpenSAF tree for runs that name it).
fn judge(r: &Located, os: Option<&std::path::Path>) -> Option<String> {
    let want = &r.run;
    let mut argv = r.argv(os);
    argv.extend(["--format".into(), "json".into()]);
    let (code, out, err) = smfcheck_in(r.dir(), &argv);
    if code != want.exit {
        return Some(format!("exit {code}, expected {}: {out}{err}", want.exit));
    }
    if code == 2 {
        return None;
    }
    let report: Report = match serde_json::from_str(&out) {
        Ok(report) => report,
        Err(e) => return Some(format!("no JSON report ({e}): {out}{err}")),
    };
    let stats = report
        .statistics
        .as_ref()
        .expect("a check reports statistics");
    let got_verdicts: BTreeMap<String, String> = report
        .properties
        .iter()
        .map(|p| (p.name.clone(), p.verdict.clone()))
        .collect();
    let mut wrong = Vec::new();
    if Some(stats.unique_states) != want.states {
        wrong.push(format!(
            "{} unique states, expected {:?}",
            stats.unique_states, want.states
        ));
    }
    if want.transitions.is_some_and(|t| t != stats.transitions) {
        wrong.push(format!(
            "{} transitions, expected {:?}",
            stats.transitions, want.transitions
        ));
    }
    // Only a cut-short run is inconclusive; anything else explored every reachable state.
    if report.exploration.exhaustive != (code != 3) {
        wrong.push(format!(
            "exploration {:?} with exit {code}",
            report.exploration
        ));
    }
    for (claim, verdict) in &want.verdicts {
        match got_verdicts.get(claim) {
            Some(v) if v == verdict => {}
            Some(v) => wrong.push(format!("{claim}: {v}, expected {verdict}")),
            None => wrong.push(format!("{claim}: not checked, expected {verdict}")),
        }
    }
    for (claim, v) in &got_verdicts {
        if !want.verdicts.contains_key(claim) {
            wrong.push(format!("{claim}: {v}, not in the manifest"));
        }
    }
    (!wrong.is_empty()).then(|| wrong.join("; "))
}

/// Every run of every manifest gives what its manifest says.
#[test]
fn every_manifest_run_holds() {
    let all = runs();
    // A manifest entry must pin something beyond "it ran": a run that explores pins its count
    // and every verdict; a refusal (exit 2) pins that it is refused.
    for r in &all {
        let w = &r.run;
        assert!(
            [0, 1, 2, 3].contains(&w.exit),
            "{}: exit {}",
            r.name(),
            w.exit
        );
        let explores = w.exit != 2;
        assert_eq!(
            (w.states.is_some(), !w.verdicts.is_empty()),
            (explores, explores),
            "{}: states and verdicts are pinned exactly when the run explores",
            r.name()
        );
        assert!(
            w.transitions.is_none() || explores,
            "{}: transitions of a refusal",
            r.name()
        );
    }
    let os = if all.iter().any(Located::needs_opensaf) {
        opensaf_or("the manifest runs that name {opensaf} are unchecked")
    } else {
        None
    };
    let todo: Vec<&Located> = all
        .iter()
        .filter(|r| os.is_some() || !r.needs_opensaf())
        .collect();
    let failures: Vec<String> = todo
        .par_iter()
        .filter_map(|r| {
            let why = judge(r, os.as_deref())?;
            let note = r.run.note.as_deref().unwrap_or("");
            Some(format!("{} ({note}): {why}", r.name()))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(todo.len() >= 100, "only {} manifest runs", todo.len());
}

/// A manifest with nothing in it, or two runs with the same arguments in one folder, is a
/// mistake.
#[test]
fn manifests_have_distinct_runs_and_say_what_they_are() {
    let all = manifests();
    assert!(all.len() >= 13, "{} manifests", all.len());
    for (folder, m) in &all {
        assert!(!m.about.trim().is_empty(), "models/{folder}: no `about`");
        assert!(!m.runs.is_empty(), "models/{folder}: no runs");
        let mut seen = std::collections::HashSet::new();
        for r in &m.runs {
            assert!(seen.insert(&r.args), "models/{folder}: {:?} twice", r.args);
        }
    }
}

/// The run of `folder` with exactly these arguments.
fn find<'a>(all: &'a [Located], folder: &str, args: &[&str]) -> &'a Located {
    all.iter()
        .find(|r| r.folder == folder && r.run.args == args)
        .unwrap_or_else(|| panic!("models/{folder}/expect.json has no run {args:?}"))
}

/// The catalogue of step models in models/README.md and the table of models/soundness/README.md
/// say what the manifests pin: each catalogue row is a run of models/expect.json with its exit
/// code; each soundness row is two runs (faults 0 and 1) of its folder's manifest with its exit
/// code, the claim it names violated, and its two state counts.
#[test]
fn readme_tables_agree_with_the_manifests() {
    let all = runs();
    let text = std::fs::read_to_string(super::support::models("README.md")).unwrap();
    let begin = text.find("<!-- models:begin -->").unwrap();
    let end = text.find("<!-- models:end -->").unwrap();
    let mut rows = 0;
    for line in text[begin..end].lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let mut args = vec!["fsm"];
        args.extend(cells[1].trim_matches('`').split_whitespace());
        let exit: i32 = cells[2].parse().unwrap();
        assert_eq!(find(&all, "", &args).run.exit, exit, "{line}");
        rows += 1;
    }
    assert!(rows >= 10, "catalogue too short: {rows}");

    let text = std::fs::read_to_string(super::support::models("soundness/README.md")).unwrap();
    let mut rows = 0;
    for line in text.lines().filter(|l| l.starts_with("| `")) {
        let c: Vec<&str> = line
            .split('|')
            .map(|x| x.trim().trim_matches('`'))
            .collect();
        let (folder, verdict, claim, command, states) = (c[1], c[5], c[6], c[8], c[9]);
        let exit = if verdict.contains("exit 1") { 1 } else { 0 };
        let states: Vec<usize> = states
            .split('/')
            .map(|n| n.trim().parse().expect("state count"))
            .collect();
        let argv: Vec<&str> = command
            .split("&& smfcheck ")
            .nth(1)
            .expect("cd FOLDER && smfcheck …")
            .split_whitespace()
            .collect();
        assert_eq!(argv[argv.len() - 2..], ["--faults", "0"], "{line}");
        for (faults, states) in ["0", "1"].into_iter().zip(states) {
            let mut args = argv[..argv.len() - 1].to_vec();
            args.push(faults);
            let r = &find(&all, &format!("soundness/{folder}"), &args).run;
            assert_eq!(r.exit, exit, "{line}");
            assert_eq!(r.states, Some(states), "{line} (faults {faults})");
            if exit == 1 {
                assert_eq!(r.verdicts[claim], "violated", "{line}");
            }
        }
        rows += 1;
    }
    assert!(rows >= 20, "soundness table too short: {rows}");
}
