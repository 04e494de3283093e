//! `smfcheck explore` without a browser: the Explorer's HTTP API serves SMF trace lines as
//! action labels, the claims in each state and a sequence-diagram SVG; a saved counterexample is
//! followed to its Explorer address; bad input is exit 2. (The explorer process and the
//! counterexample it opens are `support::explorer`'s, shared with the browser test.)

use super::support::{Explorer, Smfcheck, base_type_model, get, scratch, write_counterexample};
use smfcheck::browse::{Explorable, follow, path_url};
use smfcheck::properties::step_registry;

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

/// Run smfcheck on input it must refuse: exit code and standard error. A run that serves
/// instead is killed after 60 s (the test then fails rather than hanging).
fn smfcheck(args: &[&str]) -> (i32, String) {
    let (code, _, err) = Smfcheck::new(args).within(60).run();
    (code, err)
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
        err.contains("is not supported (expected `smfcheck-trace/1` or `smfcheck-trace/2`)"),
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
