//! `smfcheck explore` without a browser: the Explorer's HTTP API serves SMF trace lines as
//! action labels, the claims in each state and a sequence-diagram SVG; a saved counterexample is
//! followed to its Explorer address; bad input is exit 2. Also the helpers the browser test
//! shares: a real counterexample written as a trace file, and an explorer child process.

use super::support::model;
use smfcheck::check::{Limits, explore};
use smfcheck::explore::{Explorable, follow, path_url};
use smfcheck::model::StepModel;
use smfcheck::properties::{step_claims, step_registry};
use smfcheck::step::fsm::Semantics;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The §4.1.2 acceptance case: an out-of-phase step over a layer that changes base type
/// installs on a layer that runs the wrong generation (`lower-layer-ready-for-install`, 3 steps).
pub fn base_type_model() -> StepModel {
    let mut m = model("out-of-phase,in-phase", 2, Semantics::Thesis);
    m.base_type_change = 0b10;
    m
}

/// A counterexample as `smfcheck fsm` finds it, written as a `smfcheck-trace/1` file; returns
/// the file and the trace lines of its steps.
pub fn write_counterexample(dir: &Path) -> (PathBuf, Vec<String>) {
    let m = base_type_model();
    let (_, claims): (Vec<_>, Vec<_>) = step_claims(&m, None).into_iter().unzip();
    let outcome = explore(&m, &claims, &Limits::default());
    let trace = outcome
        .result("lower-layer-ready-for-install")
        .and_then(|r| r.trace.clone())
        .expect("the acceptance case has a counterexample");
    let describe: Vec<String> = trace
        .actions
        .iter()
        .enumerate()
        .map(|(i, a)| m.describe(&trace.states[i], a, &trace.states[i + 1]))
        .collect();
    let json = serde_json::json!({
        "schema": "smfcheck-trace/1",
        "command": "fsm",
        "args": ["--step", "out-of-phase,in-phase", "--base-type-change", "2"],
        "property": "lower-layer-ready-for-install",
        "actions": trace.actions.iter().map(|a| format!("{a:?}")).collect::<Vec<_>>(),
        "describe": describe,
        "states": trace.states.iter().map(|s| format!("{s:?}")).collect::<Vec<_>>(),
    });
    std::fs::create_dir_all(dir).unwrap();
    let path = dir.join("counterexample.json");
    std::fs::write(&path, serde_json::to_string_pretty(&json).unwrap()).unwrap();
    (path, describe)
}

/// A scratch directory of this test run.
pub fn scratch(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("explore-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A running `smfcheck explore` (killed when dropped) and the addresses it printed.
pub struct Explorer {
    child: Child,
    pub base: String,
    /// The address of the trace, if one was opened.
    pub trace_url: Option<String>,
}

impl Explorer {
    pub fn start(args: &[&str]) -> Explorer {
        let mut child = Command::new(env!("CARGO_BIN_EXE_smfcheck"))
            .arg("explore")
            .args(args)
            .args(["--port", "0"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("smfcheck runs");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut base = None;
        let mut trace_url = None;
        for line in lines.by_ref() {
            let line = line.unwrap();
            if let Some(i) = line.find("http://") {
                let url = line[i..].split_whitespace().next().unwrap().to_string();
                if url.contains("#/steps/") {
                    trace_url = Some(url);
                } else if base.is_none() {
                    base = Some(url.trim_end_matches('/').to_string());
                }
            }
            if line.starts_with("Stop with Ctrl-C") {
                break;
            }
        }
        // Keep draining stdout so that the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        let e = Explorer {
            child,
            base: base.expect("explore prints its address"),
            trace_url,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while get(&e.base, "/.status").is_err() {
            assert!(Instant::now() < deadline, "the explorer does not answer");
            std::thread::sleep(Duration::from_millis(50));
        }
        e
    }
}

impl Drop for Explorer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// GET `path` from `base` (`http://127.0.0.1:PORT`); the body if the status is 200.
pub fn get(base: &str, path: &str) -> Result<String, String> {
    let host = base.trim_start_matches("http://");
    let mut s = TcpStream::connect(host).map_err(|e| e.to_string())?;
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .map_err(|e| e.to_string())?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&raw).to_string();
    let (head, body) = text.split_once("\r\n\r\n").ok_or("no HTTP header")?;
    if !head.starts_with("HTTP/1.1 200") {
        return Err(head.lines().next().unwrap_or("").to_string());
    }
    Ok(body.to_string())
}

#[test]
fn follow_finds_the_explorer_path_of_a_counterexample() {
    let dir = scratch("follow");
    let (file, describe) = write_counterexample(&dir);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    let actions: Vec<String> = json["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    let m = base_type_model();
    let f = follow(&m, &actions, None).unwrap();
    assert_eq!(f.init, 0);
    assert_eq!(f.trace.actions.len(), describe.len());
    // Each index names the trace's action among the actions of its state.
    use stateright::Model;
    let mut s = m.init_states()[0];
    for (k, want) in f.indices.iter().zip(&actions) {
        let mut acts = Vec::new();
        m.actions(&s, &mut acts);
        assert_eq!(format!("{:?}", acts[*k]), *want);
        s = m.next_state(&s, acts[*k]).unwrap();
    }
    let url = path_url(3000, f.init, &f.indices);
    assert!(url.starts_with("http://127.0.0.1:3000/#/steps/0/"), "{url}");
    assert_eq!(url.matches('/').count(), 5 + f.indices.len(), "{url}");
    // An action that is not enabled is reported with what is.
    let mut bad = actions.clone();
    bad[1] = "Rollback".into();
    let e = follow(&m, &bad, None).err().unwrap();
    assert!(
        e.contains("step 2 of the trace, `Rollback`, is not enabled"),
        "{e}"
    );
}

#[test]
fn the_explorer_model_labels_actions_and_judges_claims_per_state() {
    use stateright::Model;
    let m = Explorable::new(base_type_model(), &step_registry());
    // Claims of a single kind are handed to stateright too.
    let props: Vec<&str> = m.properties().iter().map(|p| p.name).collect();
    assert!(props.contains(&"undo-restores-pre-step-state"), "{props:?}");
    assert!(props.contains(&"reaches-completed"), "{props:?}");
    assert!(!props.contains(&"terminates-in-final-state"), "{props:?}");
    let init = m.init_states()[0];
    let mut acts = Vec::new();
    m.actions(&init, &mut acts);
    assert_eq!(m.format_action(&acts[0]), "procedure: Execute → step 1");
    let text = m.format_step(&init, acts[0].clone()).unwrap();
    for name in smfcheck::properties::all_names() {
        assert!(text.contains(name), "{name} missing:\n{text}");
    }
    assert!(text.contains("✓ undo-restores-pre-step-state"), "{text}");
    assert!(text.contains("Browsing only"), "{text}");
}

#[test]
fn explorer_serves_labels_claims_and_a_sequence_diagram_for_a_trace() {
    let dir = scratch("http");
    let (file, describe) = write_counterexample(&dir);
    // No model arguments: the model is rebuilt from the `fsm` command the trace records.
    let e = Explorer::start(&["--trace", file.to_str().unwrap()]);
    let url = e.trace_url.clone().expect("the trace's address is printed");
    let path = url.split("#/steps").nth(1).unwrap().to_string();
    let status = get(&e.base, "/.status").unwrap();
    assert!(
        status.contains(r#"["Always","undo-restores-pre-step-state",null]"#),
        "{status}"
    );
    // The state before the last step offers the last step of the trace, labelled as the trace
    // line, and the state it leads to shows the violation and the diagram.
    let before = &path[..path.rfind('/').unwrap()];
    let body = get(&e.base, &format!("/.states{before}")).unwrap();
    let states: serde_json::Value = serde_json::from_str(&body).unwrap();
    let last = describe.last().unwrap();
    let step = states
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["action"] == *last.as_str())
        .unwrap_or_else(|| panic!("no action `{last}` in {body}"));
    let outcome = step["outcome"].as_str().unwrap();
    assert!(
        outcome.contains(
            "✗ lower-layer-ready-for-install      always            VIOLATED: violated by the transition into this state"
        ),
        "{outcome}"
    );
    let svg = step["svg"].as_str().unwrap();
    assert!(svg.starts_with("<svg"), "{svg}");
    for lane in [
        "procedure",
        "step 1 (out-of-phase)",
        "step 2 (in-phase)",
        "layer 1",
    ] {
        assert!(svg.contains(&format!(">{lane}</text>")), "{lane}: {svg}");
    }
    assert!(svg.contains("online install new — ok"), "{svg}");
    // A path that does not exist is the Explorer's 404, not a crash.
    assert!(get(&e.base, "/.states/0/99").is_err());
    assert!(get(&e.base, "/.status").is_ok());
}

#[test]
fn explorer_serves_a_campaign_with_its_lifelines() {
    let e = Explorer::start(&[
        "models/thesis-case-study/expected-campaign.xml",
        "--config",
        "models/thesis-case-study/source.xml",
        "--compat",
        "models/thesis-case-study/compat.xml",
        "--faults",
        "0",
    ]);
    let body = get(&e.base, "/.states/0/0").unwrap();
    let states: serde_json::Value = serde_json::from_str(&body).unwrap();
    let first = &states.as_array().unwrap()[0];
    assert!(
        first["action"].as_str().unwrap().starts_with(
            "procedure safSmfProc=ModifyUpgradeProcedureAthostOS-1 step 1: nested step 1 ← Execute"
        ),
        "{body}"
    );
    let svg = first["svg"].as_str().unwrap();
    assert!(svg.contains(">procedure ModifyUpgradeProcedureAthostOS-1</text>"));
    // A nested step's lifeline is named on two lines: its procedure, then `nested i`.
    assert!(svg.contains(">ModifyUpgradeProcedureAthostOS-1</text>"));
    assert!(svg.contains(">nested 3</text>"));
    assert!(
        first["outcome"]
            .as_str()
            .unwrap()
            .contains("si-always-available")
    );
}

/// Run smfcheck on input it must refuse; a run that serves instead is killed after 60 s (the
/// test then fails on its exit code rather than hanging).
fn smfcheck(args: &[&str]) -> (i32, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_smfcheck"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn explore_rejects_bad_input_with_exit_2() {
    let dir = scratch("bad");
    let (file, _) = write_counterexample(&dir);
    let file = file.to_str().unwrap();
    // A trace that does not fit the model given (a step's trace on a campaign).
    let (code, err) = smfcheck(&[
        "explore",
        "models/thesis-case-study/expected-campaign.xml",
        "--config",
        "models/thesis-case-study/source.xml",
        "--trace",
        file,
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("does not fit this model"), "{err}");
    // Not a trace file, another schema, no model at all.
    let junk = dir.join("junk.json");
    std::fs::write(&junk, "{ not json").unwrap();
    let (code, err) = smfcheck(&["explore", "--trace", junk.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("not JSON"), "{err}");
    let other = dir.join("other.json");
    std::fs::write(&other, r#"{"schema":"other/9","actions":[]}"#).unwrap();
    let (code, err) = smfcheck(&["explore", "--trace", other.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("is not supported (expected `smfcheck-trace/1`)"),
        "{err}"
    );
    let (code, err) = smfcheck(&["explore"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("give a campaign"), "{err}");
    let (code, err) = smfcheck(&["explore", "models/thesis-case-study/expected-campaign.xml"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("needs --config"), "{err}");
    // A port in use is an error, not a panic inside the server.
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port().to_string();
    let (code, err) = smfcheck(&["explore", "--step", "in-phase", "--port", &port]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("cannot listen on 127.0.0.1"), "{err}");
}
