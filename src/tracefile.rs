//! Saved counterexamples (`--trace-out FILE`, schema `smfcheck-trace/2`, docs/report-schema.md):
//! the options that define the model (a [`ModelSpec`]), the property, and the path as the
//! `Debug` strings of its actions, with the trace lines and state summaries for a reader.
//! [`replay`] follows the saved actions on the *current* model — a trace saved before the model
//! changed may no longer be a path of it (stale), or may be a path on which the property now
//! holds. `smfcheck replay` and the explore web UI both use it. Files of the earlier schema
//! `smfcheck-trace/1`, which recorded the model as command-line arguments (`args`), are still
//! read.
//!
//! A trace file is untrusted input (it may come from anyone). A `/2` spec holds only the
//! options that define a model (its serde types refuse any other field); a `/1` argument list
//! goes through [`model_argv`], which lets through only those options (no `--trace-out`,
//! `--properties` or anything else that would write or read more). Either way the input paths
//! are resolved relative to the trace file's directory, and every such file is checked with
//! [`crate::input`]'s checks before it is read, the messages saying which trace named it and
//! never quoting the file.

use crate::check::{Check, Checked, Claim, Trace};
use crate::error::Error;
use crate::input::{Kind, Origin};
use crate::spec::{CampaignSpec, ModelSpec, StepSpec};
use serde::{Deserialize, Serialize};
use std::fmt::Debug;
use std::path::{Component, Path, PathBuf};

/// The value of the `schema` field of the traces written now.
pub const SCHEMA: &str = "smfcheck-trace/2";
/// The earlier schema, still read: the model as command-line arguments.
pub const SCHEMA_V1: &str = "smfcheck-trace/1";

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct SavedTrace {
    pub schema: String,
    /// `fsm` or `check`: the subcommand that builds the model.
    pub command: String,
    /// `smfcheck-trace/1` only: the arguments after `command` that define the model,
    /// normalized (`smfcheck COMMAND ARGS…` rebuilds it); empty in a `/2` trace.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<String>,
    /// `smfcheck-trace/2`: the options that define the model. Input paths are relative to the
    /// trace file's directory (absolute when the two share no directory below `/`), so a trace
    /// moves with its inputs and replays from any working directory.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spec: Option<ModelSpec>,
    pub property: String,
    /// For a run that never ends: the index in `states` where the repeated cycle starts.
    pub loop_start: Option<usize>,
    /// `Debug` of each action: what replay matches against the enabled actions.
    pub actions: Vec<String>,
    /// The trace line of each step when the trace was saved.
    pub describe: Vec<String>,
    /// The summary of each state, the initial one first (one more than `actions`).
    pub states: Vec<String>,
}

/// A trace file as read, before the model part is checked against its schema.
#[derive(Deserialize)]
struct RawTrace {
    command: String,
    #[serde(default)]
    args: Option<Vec<String>>,
    #[serde(default)]
    spec: Option<serde_json::Value>,
    property: String,
    #[serde(default)]
    loop_start: Option<usize>,
    actions: Vec<String>,
    describe: Vec<String>,
    states: Vec<String>,
}

/// The subcommands whose models a trace can belong to.
pub const COMMANDS: &[&str] = &["fsm", "check"];

impl SavedTrace {
    /// Record `trace` of `property` on the model `spec` defines (`smfcheck-trace/2`). Its paths
    /// are saved as given: see [`spec_for_trace`] for a trace file.
    pub fn with_spec<M>(model: &M, spec: ModelSpec, property: &str, trace: &Trace<M>) -> SavedTrace
    where
        M: Checked,
    {
        SavedTrace {
            schema: SCHEMA.to_string(),
            command: spec.command().to_string(),
            spec: Some(spec),
            ..SavedTrace::new(model, "", Vec::new(), property, trace)
        }
    }

    /// Record `trace` of `property` on the model that `smfcheck COMMAND ARGS…` builds, as a
    /// `smfcheck-trace/1` trace (the arguments are its model; for callers that have arguments
    /// rather than a spec).
    pub fn new<M>(
        model: &M,
        command: &str,
        args: Vec<String>,
        property: &str,
        trace: &Trace<M>,
    ) -> SavedTrace
    where
        M: Checked,
    {
        SavedTrace {
            schema: SCHEMA_V1.to_string(),
            command: command.to_string(),
            args,
            spec: None,
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

/// Write a saved trace to `path`, whole or not at all ([`crate::output::write_atomically`]).
pub fn save(path: &Path, trace: &SavedTrace) -> Result<(), Error> {
    crate::output::write_atomically(path, trace.to_json().as_bytes())
}

/// Read a saved trace and check that it is one: the schema, the command and its model (a
/// spec's fields and types, or an argument list), and that the lists agree in length.
pub fn load(path: &Path) -> Result<SavedTrace, Error> {
    let text = crate::input::read_text(path, Kind::Trace, &Origin::CommandLine)?;
    parse(&path.display().to_string(), text.as_bytes())
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
    let schema = match value.get("schema").and_then(|s| s.as_str()) {
        Some(s @ (SCHEMA | SCHEMA_V1)) => s.to_string(),
        Some(other) => {
            return Err(bad(format!(
                "schema `{other}` is not supported (expected `{SCHEMA_V1}` or `{SCHEMA}`)"
            )));
        }
        None => {
            return Err(bad(format!(
                "not a saved smfcheck trace (no `schema`: `{SCHEMA}`)"
            )));
        }
    };
    let raw: RawTrace = serde_json::from_value(value)
        .map_err(|e| bad(format!("not a saved smfcheck trace: {e}")))?;
    if !COMMANDS.contains(&raw.command.as_str()) {
        return Err(bad(format!(
            "unknown command `{}` (expected `fsm` or `check`)",
            raw.command
        )));
    }
    // Each schema has its own form of the model, and only that one.
    let (args, spec) = match (schema.as_str(), raw.args, raw.spec) {
        (SCHEMA_V1, Some(args), None) => (args, None),
        (SCHEMA_V1, None, _) => {
            return Err(bad(
                "not a saved smfcheck trace: missing field `args`".into()
            ));
        }
        (SCHEMA_V1, Some(_), Some(_)) => {
            return Err(bad(format!(
                "`spec` is the model of a `{SCHEMA}` trace; this `{SCHEMA_V1}` trace has `args`"
            )));
        }
        (_, None, Some(spec)) => {
            let spec = match raw.command.as_str() {
                "fsm" => serde_json::from_value::<StepSpec>(spec).map(ModelSpec::Step),
                _ => serde_json::from_value::<CampaignSpec>(spec).map(ModelSpec::Campaign),
            }
            .map_err(|e| {
                bad(format!(
                    "not a saved smfcheck trace: `spec` of a `{}` model: {e}",
                    raw.command
                ))
            })?;
            (Vec::new(), Some(spec))
        }
        (_, _, None) => {
            return Err(bad(
                "not a saved smfcheck trace: missing field `spec`".into()
            ));
        }
        (_, Some(_), Some(_)) => {
            return Err(bad(format!(
                "`args` is the model of a `{SCHEMA_V1}` trace; this `{SCHEMA}` trace has `spec`"
            )));
        }
    };
    let t = SavedTrace {
        schema,
        command: raw.command,
        args,
        spec,
        property: raw.property,
        loop_start: raw.loop_start,
        actions: raw.actions,
        describe: raw.describe,
        states: raw.states,
    };
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

/// The model spec of a `smfcheck-trace/2` trace read from `trace` (the trace file's path), with
/// its input paths resolved against the trace file's directory and every file it names checked
/// (the messages name the trace, never quote the file). `None` for a `smfcheck-trace/1` trace:
/// its model is an argument list, see [`model_argv`].
pub fn model_spec(saved: &SavedTrace, trace: &Path) -> Result<Option<ModelSpec>, Error> {
    let Some(spec) = &saved.spec else {
        return Ok(None);
    };
    if spec.command() != saved.command {
        return Err(Error::TraceFile {
            path: trace.display().to_string(),
            message: format!(
                "`spec` defines a `{}` model, `command` is `{}`",
                spec.command(),
                saved.command
            ),
        });
    }
    let ModelSpec::Campaign(c) = spec else {
        return Ok(Some(spec.clone()));
    };
    let base = trace_dir(trace);
    let c = c.with_paths(|p| resolve(&base, &p.display().to_string()));
    for (option, path) in c.inputs() {
        let kind = if option == "campaign" {
            Kind::Campaign
        } else {
            Kind::Imm
        };
        let origin = Origin::Trace {
            option: option.to_string(),
            trace: trace.to_path_buf(),
        };
        crate::input::check(path, kind, &origin)?;
    }
    Ok(Some(ModelSpec::Campaign(c)))
}

/// `spec` as a trace file at `trace` records it: each input path relative to the trace file's
/// directory, where [`model_spec`] resolves it (absolute when the two share nothing but `/`).
pub fn spec_for_trace(spec: &ModelSpec, trace: &Path) -> ModelSpec {
    match spec {
        ModelSpec::Step(_) => spec.clone(),
        ModelSpec::Campaign(c) => {
            let base = trace_dir(trace);
            ModelSpec::Campaign(c.with_paths(|p| {
                let abs = std::fs::canonicalize(p).unwrap_or_else(|_| absolute(p));
                // As text: a trace is JSON, and JSON strings are Unicode.
                PathBuf::from(relative(&abs, &base).unwrap_or(abs).display().to_string())
            }))
        }
    }
}

/// The options the `args` of a `smfcheck-trace/1` trace may hold, per command: (name, takes a
/// value, names an input file of this kind). Everything else (`--trace-out`, `--properties`,
/// `--format`, limits, `--`) is refused: a trace rebuilds a model, it does not choose what is
/// read besides or written.
fn allowed_options(command: &str) -> &'static [(&'static str, bool, Option<Kind>)] {
    match command {
        "check" => &[
            ("--config", true, Some(Kind::Imm)),
            ("--compat", true, Some(Kind::Imm)),
            ("--target", true, Some(Kind::Imm)),
            ("--faults", true, None),
            ("--semantics", true, None),
            ("--default-max-retry", true, None),
            ("--max-admin-retries", true, None),
            ("--max-suspends", true, None),
            ("--strict-availability", false, None),
        ],
        "fsm" => &[
            ("--step", true, None),
            ("--faults", true, None),
            ("--max-retry", true, None),
            ("--max-reexec", true, None),
            ("--semantics", true, None),
            ("--for", true, None),
            ("--base-type-change", true, None),
            ("--no-rollback", false, None),
        ],
        _ => &[],
    }
}

/// An input file a trace names: the option (`campaign` for the positional argument), the path
/// as resolved, and what it must hold.
pub struct NamedInput {
    pub option: String,
    pub path: PathBuf,
    pub kind: Kind,
}

/// The argument vector (`smfcheck COMMAND ARGS…`) that rebuilds the model of `saved`, read from
/// `trace` (the trace file's path), with the input files it names resolved against the trace
/// file's directory; and those files, for checking before they are read. Refuses any option
/// that does not define a model.
pub fn model_argv(
    saved: &SavedTrace,
    trace: &Path,
) -> Result<(Vec<String>, Vec<NamedInput>), Error> {
    let bad = |message: String| Error::TraceFile {
        path: trace.display().to_string(),
        message,
    };
    let allowed = allowed_options(&saved.command);
    if allowed.is_empty() {
        return Err(bad(format!(
            "command `{}` builds no model (expected `fsm` or `check`)",
            saved.command
        )));
    }
    let base = trace_dir(trace);
    let mut argv = vec!["smfcheck".to_string(), saved.command.clone()];
    let mut inputs = Vec::new();
    // `explore --trace` once accepted the command repeated as the first argument.
    let skip = usize::from(saved.args.first() == Some(&saved.command));
    let mut it = saved.args.iter().skip(skip);
    let mut positional = 0;
    while let Some(a) = it.next() {
        if a.starts_with('-') {
            let Some(&(name, takes, kind)) = allowed.iter().find(|(n, _, _)| n == a) else {
                return Err(bad(format!(
                    "`args` do not rebuild a `{}` model: unexpected argument '{a}' (a trace holds only the options that define the model: {})",
                    saved.command,
                    allowed
                        .iter()
                        .map(|(n, _, _)| *n)
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            };
            argv.push(a.clone());
            if takes {
                let Some(v) = it.next() else {
                    return Err(bad(format!(
                        "`args` end after `{name}`, which takes a value"
                    )));
                };
                match kind {
                    Some(kind) => {
                        let p = resolve(&base, v);
                        argv.push(p.display().to_string());
                        inputs.push(NamedInput {
                            option: name.to_string(),
                            path: p,
                            kind,
                        });
                    }
                    None => argv.push(v.clone()),
                }
            }
        } else if saved.command == "check" && positional == 0 {
            positional += 1;
            let p = resolve(&base, a);
            argv.push(p.display().to_string());
            inputs.push(NamedInput {
                option: "campaign".into(),
                path: p,
                kind: Kind::Campaign,
            });
        } else {
            return Err(bad(format!(
                "`args` do not rebuild a `{}` model: unexpected argument '{a}'",
                saved.command
            )));
        }
    }
    // Every file is checked now, with the trace named in the message: a trace that names
    // `/etc/passwd` as a configuration gets "not an IMM XML file", never a quote of the file.
    for i in &inputs {
        let origin = Origin::Trace {
            option: i.option.clone(),
            trace: trace.to_path_buf(),
        };
        crate::input::check(&i.path, i.kind, &origin)?;
    }
    Ok((argv, inputs))
}

/// The trace file's directory, absolute (canonical where it exists).
fn trace_dir(trace: &Path) -> PathBuf {
    let dir = trace
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::canonicalize(dir).unwrap_or_else(|_| absolute(dir))
}

fn absolute(p: &Path) -> PathBuf {
    normalize(&std::env::current_dir().unwrap_or_default().join(p))
}

/// `p` without `.` and with each `..` taking off the component before it (lexically).
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// A path named in a trace, resolved against the trace's directory `base`, then shown relative
/// to the working directory when it lies under it (messages and SARIF locations stay short).
fn resolve(base: &Path, p: &str) -> PathBuf {
    let abs = normalize(&base.join(p));
    // Not relative to `/`: `etc/passwd` would read as a path somewhere else.
    let cwd = std::env::current_dir()
        .ok()
        .and_then(|d| std::fs::canonicalize(d).ok())
        .filter(|d| d.components().count() > 1);
    match cwd.as_deref().and_then(|c| abs.strip_prefix(c).ok()) {
        Some(rel) if !rel.as_os_str().is_empty() => rel.to_path_buf(),
        _ => abs,
    }
}

/// `path` relative to `base` (both absolute and normalized), when they share a directory below
/// the root.
fn relative(path: &Path, base: &Path) -> Option<PathBuf> {
    let p: Vec<Component> = path.components().collect();
    let b: Vec<Component> = base.components().collect();
    let common = p.iter().zip(&b).take_while(|(x, y)| x == y).count();
    if common < 2 {
        return None;
    }
    let mut out = PathBuf::new();
    for _ in common..b.len() {
        out.push("..");
    }
    for c in &p[common..] {
        out.push(c);
    }
    Some(out)
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
pub fn replay<M: Checked>(model: &M, claim: &Claim<M>, saved: &SavedTrace) -> ReplayResult<M> {
    if saved.states.len() != saved.actions.len() + 1 || saved.describe.len() != saved.actions.len()
    {
        return ReplayResult::Stale {
            at_step: 0,
            reason: "the saved lists of actions, trace lines and states disagree in length".into(),
        };
    }
    if !(claim.applies)(model) {
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
fn follow<M: Checked>(model: &M, init: M::State, saved: &SavedTrace) -> Result<Trace<M>, usize> {
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

fn first_difference<M: Checked>(model: &M, t: &Trace<M>, saved: &SavedTrace) -> Option<usize> {
    if model.summary(&t.states[0]) != saved.states[0] {
        return Some(0);
    }
    (0..t.actions.len()).find_map(|i| {
        let (s, a, n) = (&t.states[i], &t.actions[i], &t.states[i + 1]);
        (model.describe(s, a, n) != saved.describe[i] || model.summary(n) != saved.states[i + 1])
            .then_some(i + 1)
    })
}

fn has_successor<M: Checked>(model: &M, s: &M::State) -> bool {
    let mut acts = Vec::new();
    model.actions(s, &mut acts);
    acts.into_iter().any(|a| model.next_state(s, a).is_some())
}

/// Whether some check of `claim` fails on the path (for a reachability claim: whether the path
/// still witnesses it).
pub fn violates<M: Checked>(model: &M, claim: &Claim<M>, t: &Trace<M>) -> bool {
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

#[cfg(test)]
mod tests {
    //! The two schemas as read: each with its own form of the model and only that one, a spec
    //! with only the model's fields, and paths that survive the way to a trace file and back.
    use super::*;
    use crate::spec::{CampaignOptions, SemanticsName};

    fn trace(schema: &str, model: (&str, serde_json::Value)) -> String {
        let mut v = serde_json::json!({
            "schema": schema,
            "command": "fsm",
            "property": "terminates-in-final-state",
            "loop_start": null,
            "actions": [],
            "describe": [],
            "states": ["s0"],
        });
        v[model.0] = model.1;
        v.to_string()
    }

    fn step_spec() -> serde_json::Value {
        serde_json::to_value(StepSpec {
            step: vec!["in-phase".into()],
            ..StepSpec::default()
        })
        .unwrap()
    }

    fn error(text: &str) -> String {
        parse("t.json", text.as_bytes()).unwrap_err().to_string()
    }

    #[test]
    fn each_schema_has_its_own_model() {
        let v2 = parse("t.json", trace(SCHEMA, ("spec", step_spec())).as_bytes()).unwrap();
        assert!(matches!(&v2.spec, Some(ModelSpec::Step(s)) if s.step == ["in-phase"]));
        assert!(v2.args.is_empty());
        let args = serde_json::json!(["--step", "in-phase"]);
        let v1 = parse(
            "t.json",
            trace(SCHEMA_V1, ("args", args.clone())).as_bytes(),
        )
        .unwrap();
        assert_eq!((v1.args.len(), v1.spec.is_none()), (2, true));
        let mut both: serde_json::Value =
            serde_json::from_str(&trace(SCHEMA, ("spec", step_spec()))).unwrap();
        both["args"] = args;
        assert!(error(&both.to_string()).contains("`args` is the model of"));
        assert!(
            error(&trace(SCHEMA, ("args", both["args"].clone()))).contains("missing field `spec`")
        );
        assert!(error(&trace(SCHEMA_V1, ("spec", step_spec()))).contains("missing field `args`"));
        assert!(
            error(&trace("smfcheck-trace/3", ("spec", step_spec())))
                .contains("is not supported (expected `smfcheck-trace/1` or `smfcheck-trace/2`)")
        );
    }

    /// A spec holds the model's options only: an option that would write or read more is an
    /// unknown field, a value of the wrong type is refused by its type.
    #[test]
    fn a_spec_holds_only_model_options() {
        for (field, value) in [
            ("trace_out", serde_json::json!("/tmp/victim")),
            ("properties", serde_json::json!("/etc/passwd")),
            ("semantics", serde_json::json!("mine")),
            ("faults", serde_json::json!("many")),
        ] {
            let mut spec = step_spec();
            spec[field] = value;
            let e = error(&trace(SCHEMA, ("spec", spec)));
            assert!(e.contains("`spec` of a `fsm` model"), "{field}: {e}");
        }
    }

    /// Paths are saved relative to the trace's directory and resolved back to the same files,
    /// and each file is checked as the kind its field names.
    #[test]
    fn spec_paths_go_to_the_trace_and_back() {
        let models = Path::new(env!("CARGO_MANIFEST_DIR")).join("models");
        let spec = ModelSpec::Campaign(CampaignSpec {
            campaign: models.join("broken/undo-cannot-restore.xml"),
            config: vec![models.join("vlc-2n/config.xml")],
            compat: Some(models.join("vlc-2n/compat.xml")),
            target: Vec::new(),
            options: CampaignOptions {
                semantics: SemanticsName::Opensaf,
                ..CampaignOptions::default()
            },
        });
        let at = models.join("traces-test/t.json");
        let saved = spec_for_trace(&spec, &at);
        let ModelSpec::Campaign(c) = &saved else {
            panic!("a campaign")
        };
        assert_eq!(c.campaign, Path::new("../broken/undo-cannot-restore.xml"));
        assert_eq!(c.options.semantics, SemanticsName::Opensaf);
        let t = SavedTrace {
            schema: SCHEMA.into(),
            command: "check".into(),
            args: Vec::new(),
            spec: Some(saved.clone()),
            property: "rollback-restores-source".into(),
            loop_start: None,
            actions: Vec::new(),
            describe: Vec::new(),
            states: vec!["s0".into()],
        };
        // The trace's directory need not exist for its paths to resolve.
        let Some(ModelSpec::Campaign(back)) = model_spec(&t, &at).unwrap() else {
            panic!("a campaign")
        };
        let canonical = |p: &Path| std::fs::canonicalize(p).unwrap();
        let ModelSpec::Campaign(given) = &spec else {
            unreachable!()
        };
        for ((_, a), (_, b)) in back.inputs().into_iter().zip(given.inputs()) {
            assert_eq!(canonical(a), canonical(b));
        }
        // The campaign field holds a campaign, the others IMM files.
        let mut swapped = t.clone();
        if let Some(ModelSpec::Campaign(c)) = &mut swapped.spec {
            std::mem::swap(&mut c.campaign, &mut c.config[0]);
        }
        let e = model_spec(&swapped, &at).unwrap_err().to_string();
        assert!(e.contains("not an upgrade-campaign XML file"), "{e}");
        assert!(e.contains("named by trace"), "{e}");
    }
}
