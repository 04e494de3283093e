//! The SARIF 2.1.0 report, for code-scanning tools: one rule per checked property (its doc line
//! and thesis section), one result per violated property, located at the campaign XML line of
//! the procedure or nested step that the last located step of the counterexample acts on, with
//! the located steps as a code flow (at the campaign's first line when no step is located). Step
//! models (`fsm`) have no file: their results carry no location. Rendered from the JSON
//! [`Report`].

use super::json::{PropertyReport, Report, StepReport, TraceReport, trace_text};
use serde_json::{Value, json};

pub const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// `tool.driver.informationUri`: the crate's `package.homepage` (Cargo.toml, the one place it
/// is set). Code-scanning tools link the tool's name to it.
pub const INFORMATION_URI: &str = env!("CARGO_PKG_HOMEPAGE");

/// The report as a SARIF 2.1.0 log, pretty-printed, with a final newline.
pub fn render(report: &Report) -> String {
    let mut out = serde_json::to_string_pretty(&log(report)).expect("SARIF serializes");
    out.push('\n');
    out
}

pub fn log(report: &Report) -> Value {
    let rules: Vec<Value> = report.properties.iter().map(rule).collect();
    let input = report.input.as_deref();
    let mut results: Vec<Value> = Vec::new();
    for (i, p) in report.properties.iter().enumerate() {
        match p.verdict.as_str() {
            "violated" => {
                let t = p.counterexample.as_ref();
                let text = match t {
                    Some(t) => format!(
                        "{} violated: {} ({}). Shortest counterexample, {} steps:\n{}",
                        p.name,
                        p.doc,
                        p.section,
                        t.length,
                        trace_text(t)
                    ),
                    None => format!("{} violated: {} ({})", p.name, p.doc, p.section),
                };
                results.push(result(input, i, p, "error", "fail", text, t));
            }
            "unreachable" => {
                let text = format!(
                    "{} is unreachable under these bounds: {} ({})",
                    p.name, p.doc, p.section
                );
                results.push(result(input, i, p, "error", "fail", text, None));
            }
            "stale" => {
                let why: Vec<&str> = report
                    .notes
                    .iter()
                    .filter(|n| n.property == p.name)
                    .map(|n| n.message.as_str())
                    .collect();
                let text = format!(
                    "{}: the saved trace is not a path of the current model: {}",
                    p.name,
                    why.join("; ")
                );
                results.push(result(input, i, p, "warning", "open", text, None));
            }
            _ => {}
        }
    }
    // A replay's notes restate its one verdict; only a check's notes are findings of their own.
    let notes = if report.command == "replay" {
        &[][..]
    } else {
        &report.notes[..]
    };
    for n in notes {
        if let Some(i) = report.properties.iter().position(|p| p.name == n.property) {
            let p = &report.properties[i];
            let text = match &n.trace {
                Some(t) => format!(
                    "{} Shortest, {} steps:\n{}",
                    n.message,
                    t.length,
                    trace_text(t)
                ),
                None => n.message.clone(),
            };
            results.push(result(
                input,
                i,
                p,
                "note",
                "informational",
                text,
                n.trace.as_ref(),
            ));
        }
    }
    let mut notifications: Vec<Value> = Vec::new();
    if let Some(l) = &report.exploration.limit {
        notifications.push(json!({
            "level": "warning",
            "message": {"text": format!("exploration incomplete ({}): undecided claims are inconclusive, nothing is reported verified", l.message)},
        }));
    }
    let mut run = json!({
        "tool": {"driver": {
            "name": report.tool.name,
            "version": report.tool.version,
            "informationUri": INFORMATION_URI,
            "rules": rules,
        }},
        "invocations": [{
            "executionSuccessful": true,
            "exitCode": report.exit_code,
            "toolExecutionNotifications": notifications,
        }],
        "results": results,
        "properties": {
            "title": report.title,
            "verdict": report.verdict,
        },
    });
    if let Some(s) = &report.statistics {
        run["properties"]["statistics"] = json!({
            "uniqueStates": s.unique_states,
            "transitions": s.transitions,
            "maxDepth": s.max_depth,
            "statesStored": s.states_stored,
        });
    }
    json!({
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [run],
    })
}

fn rule(p: &PropertyReport) -> Value {
    json!({
        "id": p.name,
        "shortDescription": {"text": p.doc},
        "fullDescription": {"text": format!("{} ({}; thesis {})", p.doc, p.kind, p.section)},
        // Code scanning shows `help` with an alert (and requires it).
        "help": {"text": format!(
            "smfcheck claim `{}` ({}): {}. Thesis {}. A violation comes with the shortest counterexample; `smfcheck properties` lists every claim.",
            p.name, p.kind, p.doc, p.section
        )},
        "defaultConfiguration": {"level": "error"},
        "properties": {
            "kind": p.kind,
            "section": p.section,
        },
    })
}

fn result(
    input: Option<&str>,
    index: usize,
    p: &PropertyReport,
    level: &str,
    kind: &str,
    text: String,
    trace: Option<&TraceReport>,
) -> Value {
    let mut r = json!({
        "ruleId": p.name,
        "ruleIndex": index,
        "level": level,
        "kind": kind,
        "message": {"text": text},
    });
    let located: Vec<&StepReport> = trace
        .map(|t| t.steps.iter().filter(|s| s.location.is_some()).collect())
        .unwrap_or_default();
    // The step nearest the violation that the model can place in the input.
    if let Some(last) = located.last()
        && let Some(loc) = physical(last)
    {
        r["locations"] = json!([{"physicalLocation": loc}]);
        let flow: Vec<Value> = located
            .iter()
            .filter_map(|s| {
                physical(s).map(|loc| {
                    json!({
                        "location": {
                            "physicalLocation": loc,
                            "message": {"text": format!("step {}: {}", s.step, s.action)},
                        },
                        "executionOrder": s.step,
                    })
                })
            })
            .collect();
        r["codeFlows"] = json!([{"threadFlows": [{"locations": flow}]}]);
    } else if let Some(file) = input {
        // Code scanning needs a location: without a step placed in the input (the violation
        // happens before any procedure acts, or the claim is unreachable), the file itself.
        r["locations"] = json!([{"physicalLocation": {
            "artifactLocation": {"uri": uri(file)},
            "region": {"startLine": 1},
        }}]);
    }
    r
}

fn physical(s: &StepReport) -> Option<Value> {
    let (file, line) = s.location.as_deref()?.rsplit_once(':')?;
    let line: usize = line.parse().ok()?;
    Some(json!({
        "artifactLocation": {"uri": uri(file)},
        "region": {"startLine": line},
    }))
}

/// A relative file path as a URI reference: forward slashes, and the characters a URI cannot
/// hold percent-encoded.
fn uri(path: &str) -> String {
    let mut out = String::new();
    for c in path.replace('\\', "/").chars() {
        match c {
            'A'..='Z' | 'a'..='z' | '0'..='9' | '-' | '.' | '_' | '~' | '/' => out.push(c),
            _ => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
        }
    }
    out
}
