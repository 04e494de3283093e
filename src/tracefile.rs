//! Saved counterexamples (`--trace-out FILE`, schema `smfcheck-trace/1`, docs/report-schema.md):
//! the arguments that rebuild the model, the property, and the path as the `Debug` strings of
//! its actions, with the trace lines and state summaries for a reader. [`replay`] follows the
//! saved actions on the *current* model — a trace saved before the model changed may no longer
//! be a path of it (stale), or may be a path on which the property now holds. `smfcheck replay`
//! and the explore web UI both use it.

use crate::check::{Check, Checked, Claim, Trace};
use crate::error::Error;
use serde::{Deserialize, Serialize};
use std::fmt::Debug;
use std::hash::Hash;
use std::path::Path;

/// The value of the `schema` field.
pub const SCHEMA: &str = "smfcheck-trace/1";

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct SavedTrace {
    pub schema: String,
    /// `fsm` or `check`: the subcommand that built the model.
    pub command: String,
    /// The arguments after `command` that define the model, normalized: every model option with
    /// its value, defaults included; report, limit and property-selection options left out.
    /// `smfcheck COMMAND ARGS…` rebuilds the model (paths are as given: replay from the
    /// directory the check ran in).
    pub args: Vec<String>,
    pub property: String,
    /// For a run that never ends: the index in `states` where the repeated cycle starts.
    #[serde(default)]
    pub loop_start: Option<usize>,
    /// `Debug` of each action: what replay matches against the enabled actions.
    pub actions: Vec<String>,
    /// The trace line of each step when the trace was saved.
    pub describe: Vec<String>,
    /// The summary of each state, the initial one first (one more than `actions`).
    pub states: Vec<String>,
}

/// The subcommands whose models a trace can belong to.
pub const COMMANDS: &[&str] = &["fsm", "check"];

impl SavedTrace {
    /// Record `trace` of `property` on the model that `smfcheck COMMAND ARGS…` builds.
    pub fn new<M>(
        model: &M,
        command: &str,
        args: Vec<String>,
        property: &str,
        trace: &Trace<M>,
    ) -> SavedTrace
    where
        M: Checked,
        M::State: Clone + Eq + Hash + Send + Sync + Debug,
        M::Action: Clone + Send + Sync + Debug,
    {
        SavedTrace {
            schema: SCHEMA.to_string(),
            command: command.to_string(),
            args,
            property: property.to_string(),
            loop_start: trace.loop_start,
            actions: trace.actions.iter().map(|a| format!("{a:?}")).collect(),
            describe: trace
                .actions
                .iter()
                .enumerate()
                .map(|(i, a)| model.describe(&trace.states[i], a, &trace.states[i + 1]))
                .collect(),
            states: trace.states.iter().map(|s| model.summary(s)).collect(),
        }
    }

    pub fn to_json(&self) -> String {
        let mut out = serde_json::to_string_pretty(self).expect("a trace serializes");
        out.push('\n');
        out
    }
}

/// Write a saved trace to `path`.
pub fn save(path: &Path, trace: &SavedTrace) -> Result<(), Error> {
    std::fs::write(path, trace.to_json()).map_err(|source| Error::Io {
        path: path.display().to_string(),
        source,
    })
}

/// Read a saved trace and check that it is one: the schema, the command and its arguments,
/// and that the lists agree in length.
pub fn load(path: &Path) -> Result<SavedTrace, Error> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.display().to_string(),
        source,
    })?;
    parse(&path.display().to_string(), &bytes)
}

/// As [`load`], from the bytes of a file; `path` is the name used in messages (the fuzz target
/// `fuzz/fuzz_targets/trace.rs` calls this).
pub fn parse(path: &str, bytes: &[u8]) -> Result<SavedTrace, Error> {
    let bad = |message: String| Error::TraceFile {
        path: path.to_string(),
        message,
    };
    let text = std::str::from_utf8(bytes).map_err(|e| {
        bad(format!(
            "not JSON: invalid UTF-8 at byte {}",
            e.valid_up_to()
        ))
    })?;
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| bad(format!("not JSON: {e}")))?;
    // The schema first, so that a file of another version says so rather than what it lacks.
    match value.get("schema").and_then(|s| s.as_str()) {
        Some(SCHEMA) => {}
        Some(other) => {
            return Err(bad(format!(
                "schema `{other}` is not supported (expected `{SCHEMA}`)"
            )));
        }
        None => {
            return Err(bad(format!(
                "not a saved smfcheck trace (no `schema`: `{SCHEMA}`)"
            )));
        }
    }
    let t: SavedTrace = serde_json::from_value(value)
        .map_err(|e| bad(format!("not a saved smfcheck trace: {e}")))?;
    if !COMMANDS.contains(&t.command.as_str()) {
        return Err(bad(format!(
            "unknown command `{}` (expected `fsm` or `check`)",
            t.command
        )));
    }
    if t.states.len() != t.actions.len() + 1 || t.describe.len() != t.actions.len() {
        return Err(bad(format!(
            "{} actions need {} states and {} trace lines; the file has {} and {}",
            t.actions.len(),
            t.actions.len() + 1,
            t.actions.len(),
            t.states.len(),
            t.describe.len()
        )));
    }
    if t.loop_start.is_some_and(|k| k >= t.states.len()) {
        return Err(bad("loop_start is past the last state".into()));
    }
    Ok(t)
}

/// What following a saved trace on the current model found.
pub enum ReplayResult<M: stateright::Model> {
    /// Every saved action was enabled in turn. `still_violates`: the claim fails on the path;
    /// `differs_at`: the first step (1-based, 0 for the initial state) whose trace line or state
    /// summary is not the saved one (the model's wording or state changed).
    Followed {
        still_violates: bool,
        trace: Trace<M>,
        differs_at: Option<usize>,
    },
    /// The saved path is not a path of the current model.
    Stale { at_step: usize, reason: String },
}

/// Follow `saved` on `model` from an initial state (the one whose summary is the saved first
/// state first, then the others) by matching each saved action with the `Debug` string of an
/// enabled action, and judge `claim` on the path.
pub fn replay<M>(model: &M, claim: &Claim<M>, saved: &SavedTrace) -> ReplayResult<M>
where
    M: Checked,
    M::State: Clone + Eq + Hash + Send + Sync + Debug,
    M::Action: Clone + Send + Sync + Debug,
{
    if saved.states.len() != saved.actions.len() + 1 || saved.describe.len() != saved.actions.len()
    {
        return ReplayResult::Stale {
            at_step: 0,
            reason: "the saved lists of actions, trace lines and states disagree in length".into(),
        };
    }
    if !claim.applies {
        return ReplayResult::Stale {
            at_step: 0,
            reason: format!(
                "property `{}` does not apply to the current model",
                saved.property
            ),
        };
    }
    let mut inits = model.init_states();
    // Several initial states (placements of VMs and SUs): the saved one first.
    inits.sort_by_cached_key(|s| model.summary(s) != saved.states[0]);
    // The deepest failure over all initial states is the most telling one.
    let mut stale: Option<(usize, String)> = None;
    for init in inits {
        match follow(model, init, saved) {
            Ok(trace) => {
                let differs_at = first_difference(model, &trace, saved);
                return ReplayResult::Followed {
                    still_violates: violates(model, claim, &trace),
                    trace,
                    differs_at,
                };
            }
            Err(step) => {
                if stale.as_ref().is_none_or(|(at, _)| step > *at) {
                    let i = step - 1;
                    stale = Some((
                        step,
                        format!(
                            "step {step} `{}` ({}) is not enabled in the current model",
                            saved.actions[i], saved.describe[i]
                        ),
                    ));
                }
            }
        }
    }
    let (at_step, reason) =
        stale.unwrap_or((0, "the current model has no initial state".to_string()));
    ReplayResult::Stale { at_step, reason }
}

/// The path from `init` along the saved actions, or the 1-based step that is not enabled.
fn follow<M>(model: &M, init: M::State, saved: &SavedTrace) -> Result<Trace<M>, usize>
where
    M: Checked,
    M::State: Clone + Eq + Hash + Send + Sync + Debug,
    M::Action: Clone + Send + Sync + Debug,
{
    let mut t: Trace<M> = Trace {
        states: vec![init],
        actions: Vec::new(),
        loop_start: saved.loop_start,
    };
    for (i, want) in saved.actions.iter().enumerate() {
        let s = t.states.last().expect("non-empty").clone();
        let mut acts = Vec::new();
        model.actions(&s, &mut acts);
        let next = acts
            .into_iter()
            .filter(|a| format!("{a:?}") == *want)
            .find_map(|a| model.next_state(&s, a.clone()).map(|n| (a, n)));
        match next {
            Some((a, n)) => {
                t.actions.push(a);
                t.states.push(n);
            }
            None => return Err(i + 1),
        }
    }
    Ok(t)
}

fn first_difference<M>(model: &M, t: &Trace<M>, saved: &SavedTrace) -> Option<usize>
where
    M: Checked,
    M::State: Clone + Eq + Hash + Send + Sync + Debug,
    M::Action: Clone + Send + Sync + Debug,
{
    if model.summary(&t.states[0]) != saved.states[0] {
        return Some(0);
    }
    (0..t.actions.len()).find_map(|i| {
        let (s, a, n) = (&t.states[i], &t.actions[i], &t.states[i + 1]);
        (model.describe(s, a, n) != saved.describe[i] || model.summary(n) != saved.states[i + 1])
            .then_some(i + 1)
    })
}

fn has_successor<M: Checked>(model: &M, s: &M::State) -> bool
where
    M::State: Clone + Eq + Hash + Send + Sync + Debug,
    M::Action: Clone + Send + Sync + Debug,
{
    let mut acts = Vec::new();
    model.actions(s, &mut acts);
    acts.into_iter().any(|a| model.next_state(s, a).is_some())
}

/// Whether some check of `claim` fails on the path (for a reachability claim: whether the path
/// still witnesses it).
pub fn violates<M>(model: &M, claim: &Claim<M>, t: &Trace<M>) -> bool
where
    M: Checked,
    M::State: Clone + Eq + Hash + Send + Sync + Debug,
    M::Action: Clone + Send + Sync + Debug,
{
    let last = t.states.last().expect("non-empty trace");
    claim.checks.iter().any(|c| match c {
        Check::Always(p) => t.states.iter().any(|s| !p(model, s)),
        Check::OnStep(p) => {
            (0..t.actions.len()).any(|i| !p(model, &t.states[i], &t.actions[i], &t.states[i + 1]))
        }
        Check::AtEnd(p) => !has_successor(model, last) && !p(model, last),
        Check::Sometimes(p) => t.states.iter().any(|s| p(model, s)),
        Check::Terminates => match t.loop_start {
            // A lasso: the path returns to where its cycle starts, through non-final states.
            Some(k) => {
                t.states.get(k) == Some(last) && t.states[k..].iter().all(|s| !model.is_final(s))
            }
            // A deadlock: the path ends in a state without successors that is not final.
            None => !has_successor(model, last) && !model.is_final(last),
        },
    })
}
