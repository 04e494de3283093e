//! The machine-readable report, schema `smfcheck-report/1` (docs/report-schema.md): the verdict
//! of every property, the statistics, and every counterexample or witness as a list of steps
//! {action in SMF terms, entities changed, state summary, campaign `file:line`}. The JUnit and
//! SARIF reports are rendered from this same structure, so the three never disagree.

use crate::check::{Checked, Claim, Outcome, Trace, Verdict};
use serde::{Deserialize, Serialize};
use std::fmt::Debug;
use std::fmt::Write;

/// The value of the `schema` field; bumped whenever a field changes meaning or disappears.
pub const SCHEMA: &str = "smfcheck-report/1";

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Report {
    pub schema: String,
    pub tool: Tool,
    /// `fsm`, `check` or `replay`.
    pub command: String,
    /// The same headline as the text report.
    pub title: String,
    /// The input file the model was built from (the campaign of `check`), as given.
    pub input: Option<String>,
    /// `verified`, `violated` or `inconclusive`: what the exit code says.
    pub verdict: String,
    pub exit_code: u8,
    pub exploration: Exploration,
    /// Absent for `replay`, which follows one path instead of exploring.
    pub statistics: Option<Statistics>,
    pub properties: Vec<PropertyReport>,
    /// Findings that are not verdicts (an outage the campaign declares acceptable).
    pub notes: Vec<Note>,
    /// `check --shard I/N`: which part of the initial states this report explored (`null`
    /// otherwise; `smfcheck merge` combines the N parts).
    #[serde(default)]
    pub shard: Option<Shard>,
}

/// The I-th (1-based) of N parts of the initial states.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Exploration {
    /// Every reachable state was visited; only then can anything be `verified`.
    pub exhaustive: bool,
    pub limit: Option<Limit>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Limit {
    /// The flag that set the limit: `max-states`, `timeout` or `max-memory`.
    pub flag: String,
    pub message: String,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Statistics {
    pub unique_states: usize,
    pub transitions: usize,
    pub max_depth: usize,
    /// Size of one state value (its heap parts not counted).
    pub state_bytes: usize,
    /// Memory of the explorer's tables per state.
    pub bytes_per_state: f64,
    /// `exactly`: every state is stored whole, never as a fingerprint.
    pub states_stored: String,
    /// The probability that two distinct states were taken for one: 0 when stored exactly.
    pub hash_collision_probability: f64,
    /// The three fields below vary from run to run (golden tests mask them).
    pub elapsed_seconds: f64,
    pub states_per_second: f64,
    pub threads: usize,
    /// The process's peak resident set size in bytes, and that per unique state: what the run
    /// really held, the states' heap parts included (`bytes_per_state` counts the tables only).
    /// Machine-dependent, and present only from [`PEAK_RSS_MIN_STATES`] states on, where the
    /// states outweigh the process's fixed footprint.
    ///
    /// [`PEAK_RSS_MIN_STATES`]: super::PEAK_RSS_MIN_STATES
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peak_rss_bytes: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peak_rss_bytes_per_state: Option<f64>,
    /// The reduction the exploration used (`symmetry: …`): the counts are then of
    /// representatives, and `check --no-reduction` counts every state. Absent without one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reduction: Option<String>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct PropertyReport {
    pub name: String,
    /// `always`, `always+eventually`, `reachable` or `termination`.
    pub kind: String,
    pub section: String,
    pub doc: String,
    /// `verified`, `violated`, `witnessed`, `unreachable`, `inconclusive`, `not-applicable`;
    /// in a replay also `holds` (the path is followed and the claim holds along it) and `stale`.
    pub verdict: String,
    pub counterexample: Option<TraceReport>,
    pub witness: Option<TraceReport>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct TraceReport {
    /// Number of steps (transitions).
    pub length: usize,
    /// For a run that never ends: the step (1-based) where the repeated cycle starts.
    pub loop_start: Option<usize>,
    pub initial_state: String,
    pub steps: Vec<StepReport>,
    /// `false` (written only then) when a limit stopped the search for the shortest trace
    /// after partial-order reduction: the trace is a run of the model that violates the claim,
    /// possibly longer than the shortest.
    #[serde(default = "yes", skip_serializing_if = "is_yes")]
    pub shortest: bool,
}

fn yes() -> bool {
    true
}

fn is_yes(b: &bool) -> bool {
    *b
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct StepReport {
    /// 1-based.
    pub step: usize,
    /// The trace line in SMF terms (the model's `describe`).
    pub action: String,
    /// The entities (and state machines) whose state this step changes.
    pub entities: Vec<String>,
    /// The state after this step.
    pub state_summary: String,
    /// `file:line` of the procedure or step this step belongs to, when the model has a file.
    pub location: Option<String>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Note {
    pub property: String,
    pub message: String,
    pub trace: Option<TraceReport>,
}

pub fn verdict_word(v: Verdict) -> &'static str {
    match v {
        Verdict::Verified => "verified",
        Verdict::Violated => "violated",
        Verdict::Witnessed => "witnessed",
        Verdict::Unreachable => "unreachable",
        Verdict::Inconclusive => "inconclusive",
        Verdict::NotApplicable => "not-applicable",
    }
}

/// The overall verdict an exit code stands for.
pub fn overall_word(exit_code: u8) -> &'static str {
    match exit_code {
        0 => "verified",
        1 => "violated",
        3 => "inconclusive",
        _ => "error",
    }
}

pub fn trace_report<M: Checked>(model: &M, t: &Trace<M>) -> TraceReport {
    let steps = t
        .actions
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let (s, n) = (&t.states[i], &t.states[i + 1]);
            StepReport {
                step: i + 1,
                action: model.describe(s, a, n),
                entities: model.entities(s, a, n),
                state_summary: model.summary(n),
                location: model.location(s, a, n).map(|(f, l)| format!("{f}:{l}")),
            }
        })
        .collect();
    TraceReport {
        length: t.len(),
        loop_start: t.loop_start.map(|i| i + 1),
        initial_state: model.summary(&t.states[0]),
        steps,
        shortest: true,
    }
}

/// The report of one exploration; `command` is `fsm` or `check`, `input` the file the model
/// was read from.
pub fn build<M: Checked>(
    model: &M,
    command: &str,
    title: &str,
    input: Option<&str>,
    claims: &[Claim<M>],
    outcome: &Outcome<M>,
) -> Report {
    let properties = claims
        .iter()
        .zip(&outcome.results)
        .map(|(e, r)| {
            let trace = r.trace.as_ref().map(|t| TraceReport {
                shortest: r.shortest,
                ..trace_report(model, t)
            });
            let (counterexample, witness) = match r.verdict {
                Verdict::Witnessed => (None, trace),
                _ => (trace, None),
            };
            PropertyReport {
                name: e.name.to_string(),
                kind: e.kind.word().to_string(),
                section: e.section.to_string(),
                doc: e.doc.to_string(),
                verdict: verdict_word(r.verdict).to_string(),
                counterexample,
                witness,
            }
        })
        .collect();
    let s = &outcome.stats;
    let exit_code = outcome.exit_code();
    Report {
        schema: SCHEMA.to_string(),
        tool: tool(),
        command: command.to_string(),
        title: title.to_string(),
        input: input.map(str::to_string),
        verdict: overall_word(exit_code).to_string(),
        exit_code,
        exploration: Exploration {
            exhaustive: outcome.cut_short.is_none(),
            limit: outcome.cut_short.map(|l| Limit {
                flag: l.flag().to_string(),
                message: super::limit_message(&l),
            }),
        },
        statistics: Some(Statistics {
            unique_states: s.unique_states,
            transitions: s.transitions,
            max_depth: s.max_depth,
            state_bytes: s.state_bytes,
            bytes_per_state: (s.bytes_per_state * 10.0).round() / 10.0,
            states_stored: "exactly".to_string(),
            hash_collision_probability: 0.0,
            elapsed_seconds: s.elapsed.as_secs_f64(),
            states_per_second: s.states_per_sec().round(),
            threads: s.threads,
            peak_rss_bytes: s.peak_rss_per_state().map(|(rss, _)| rss),
            peak_rss_bytes_per_state: s
                .peak_rss_per_state()
                .map(|(_, per)| (per * 10.0).round() / 10.0),
            reduction: s.reduction.clone(),
        }),
        properties,
        notes: Vec::new(),
        shard: None,
    }
}

pub fn tool() -> Tool {
    Tool {
        name: "smfcheck".to_string(),
        version: env!("CARGO_PKG_VERSION").to_string(),
    }
}

/// The report as pretty-printed JSON, with a final newline.
pub fn render(report: &Report) -> String {
    let mut out = serde_json::to_string_pretty(report).expect("a report serializes");
    out.push('\n');
    out
}

/// A trace as the text report prints it (numbered steps, cycle marks, the end state): the body
/// of a JUnit failure and of a SARIF message.
pub fn trace_text(t: &TraceReport) -> String {
    let mut out = String::new();
    for s in &t.steps {
        if t.loop_start == Some(s.step) {
            out.push_str("   -- cycle starts here --\n");
        }
        let _ = writeln!(out, "{:>4}  {}", s.step, s.action);
    }
    if t.loop_start.is_some() {
        out.push_str("   -- back to the start of the cycle --\n");
    }
    let last = t
        .steps
        .last()
        .map(|s| &s.state_summary)
        .unwrap_or(&t.initial_state);
    let _ = writeln!(out, "  end state:");
    for line in last.lines() {
        let _ = writeln!(out, "    {line}");
    }
    out
}
