//! Running the command line: each subcommand's parsed arguments (src/cli/args.rs) become a
//! spec and limits (src/cli/convert.rs), the model is built by [`crate::load`], explored, and
//! the verdicts reported and mapped to the exit code: 0 verified, 1 violated, 2 bad input or
//! usage, 3 inconclusive.

use super::args::{
    CheckArgs, Cli, Command, CompletionsArgs, ExploreArgs, Format, FsmArgs, GraphArgs, GraphFormat,
    ManArgs, ModelArgs, ReplayArgs, RunArgs,
};
use crate::campaign::model::CampaignModel;
use crate::check::{Checked, Claim, Limits, Outcome, Progress, explore_with_progress};
use crate::error::Error;
use crate::load::{self, Built};
use crate::output::{errln, out, outln};
use crate::properties;
use crate::report::{json, junit, sarif, text};
use crate::spec::{CampaignOptions, CampaignSpec, ModelSpec};
use crate::step::fsm::Semantics;
use crate::step::model::StepModel;
use crate::tracefile::{self, ReplayResult, SavedTrace};
use clap::{CommandFactory, Parser};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn check_title(spec: &CampaignSpec, model: &CampaignModel) -> String {
    let semantics: Semantics = spec.options.semantics.into();
    format!(
        "smfcheck check {} ({} procedures; semantics {:?}; faults {}; availability {}{})",
        spec.campaign.display(),
        model.procs.len(),
        semantics,
        model.faults,
        if spec.options.strict_availability {
            "strict"
        } else {
            "as declared by outageInfo"
        },
        match model.shard {
            Some((i, n)) => format!("; shard {i}/{n}"),
            None => String::new(),
        }
    )
}

/// The files `check` reads, with their options (for "output is an input").
fn check_inputs<'a>(
    spec: &'a CampaignSpec,
    properties: Option<&'a PathBuf>,
) -> Vec<(&'a str, &'a Path)> {
    let mut v: Vec<(&str, &Path)> = spec
        .inputs()
        .into_iter()
        .map(|(option, p)| {
            (
                if option == "campaign" {
                    "the campaign"
                } else {
                    option
                },
                p,
            )
        })
        .collect();
    v.extend(properties.map(|p| ("--properties", p.as_path())));
    v
}

fn run_check(a: &CheckArgs) -> Result<u8, Error> {
    let spec = a.spec();
    check_trace_out(&a.run, &check_inputs(&spec, a.properties.as_ref()))?;
    let mut model = load::campaign(&spec)?;
    model.shard = a.shard;
    if !a.no_reduction {
        model.reduce();
        model.por = !a.no_partial_order;
    }
    let selection: Vec<String> = match &a.properties {
        Some(p) => {
            check_properties_file(p)?;
            properties::read_selection_from(p, &properties::campaign_names())?
        }
        None => names(crate::claim_sets::campaign()?),
    };
    let claims: Vec<_> = properties::campaign_registry()
        .into_iter()
        .filter(|e| selection.iter().any(|n| n == e.name))
        .collect();
    check_trace_args(&a.run, &claims)?;
    let limits = a.limits.spec().limits();
    let outcome = explore_live(&model, &claims, &limits, a.run.quiet);
    let title = check_title(&spec, &model);
    // The XSD lets a procedure accept an outage; an accepted outage is still worth knowing about,
    // so when availability holds only thanks to an allowance, show the shortest such outage
    // (found on the same model with strict availability).
    // When every procedure declares `none`, the strict run is the run just made: skip it (it
    // would explore the whole model a second time for nothing).
    let mut accepted = None;
    let allowance = model.system.as_ref().is_some_and(|s| {
        s.outages
            .iter()
            .any(|o| !matches!(o, crate::xml::campaign::Outage::None))
    });
    if !spec.options.strict_availability
        && allowance
        && outcome.cut_short.is_none()
        && outcome
            .result("si-always-available")
            .is_some_and(|r| r.verdict == crate::check::Verdict::Verified)
    {
        let mut strict_model = model.clone();
        load::set_options(
            &mut strict_model,
            &CampaignOptions {
                strict_availability: true,
                ..spec.options.clone()
            },
        );
        let strict: Vec<_> = properties::campaign_registry()
            .into_iter()
            .filter(|e| e.name == "si-always-available")
            .collect();
        let mut o = explore_live(&strict_model, &strict, &limits, a.run.quiet);
        accepted = o.results.pop().and_then(|r| r.trace);
    }
    const ACCEPTED: &str =
        "an outage the campaign declares acceptable (outageInfo/acceptableServiceOutage) happens";
    if a.run.format == Format::Text {
        out!("{}", text::render(&model, &title, &claims, &outcome));
        if let Some(t) = &accepted {
            outln!("\nnote: {ACCEPTED}; shortest ({} steps):", t.len());
            out!("{}", text::render_trace(&model, t));
        }
    } else {
        let mut r = json::build(
            &model,
            "check",
            &title,
            Some(&spec.campaign.display().to_string()),
            &claims,
            &outcome,
        );
        r.shard = a.shard.map(|(index, count)| json::Shard { index, count });
        if let Some(t) = &accepted {
            r.notes.push(json::Note {
                property: "si-always-available".into(),
                message: format!("{ACCEPTED}."),
                trace: Some(json::trace_report(&model, t)),
            });
        }
        out!("{}", render_as(a.run.format, &r));
    }
    save_trace(&model, &ModelSpec::Campaign(spec), &outcome, &a.run)?;
    Ok(outcome.exit_code())
}

/// A default claim set as a selection.
fn names(set: &[&str]) -> Vec<String> {
    set.iter().map(|s| s.to_string()).collect()
}

/// A machine-readable rendering of a report (the text format is rendered from the outcome).
fn render_as(format: Format, r: &json::Report) -> String {
    match format {
        Format::Text | Format::Json => json::render(r),
        Format::Junit => junit::render(r),
        Format::Sarif => sarif::render(r),
    }
}

/// `--trace-out` must be writable and none of the run's `inputs`, and `--trace-property` name a
/// property of this run: all checked before anything is read, so that a long run is not lost to
/// a typo and no input is overwritten by a trace.
fn check_trace_out(run: &RunArgs, inputs: &[(&str, &Path)]) -> Result<(), Error> {
    if let Some(path) = &run.trace_out {
        if path.as_os_str() == crate::output::STDOUT_PATH {
            return Err(usage(
                "--trace-out -: the report is on standard output; give the trace a file",
            ));
        }
        crate::output::check_output_dir("--trace-out", path)?;
        crate::output::refuse_input_as_output("--trace-out", path, inputs)?;
    }
    Ok(())
}

/// `--trace-property` must name a property of this run (checked before exploring).
fn check_trace_args<M: stateright::Model>(run: &RunArgs, claims: &[Claim<M>]) -> Result<(), Error> {
    match &run.trace_property {
        Some(name) if !claims.iter().any(|e| e.name == name) => Err(usage(format!(
            "--trace-property `{name}` is not among the checked properties: {}",
            claims.iter().map(|e| e.name).collect::<Vec<_>>().join(", ")
        ))),
        _ => Ok(()),
    }
}

/// Explore with a live progress line on standard error when that is a terminal and not
/// `--quiet`; on anything else (a pipe, a file, CI logs) nothing is drawn.
fn explore_live<M: Checked>(
    model: &M,
    claims: &[Claim<M>],
    limits: &Limits,
    quiet: bool,
) -> Outcome<M> {
    let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
        let bar =
            indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr());
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {wide_msg}")
                .expect("a valid template"),
        );
        bar
    });
    match bar {
        Some(bar) => {
            let mut show = |p: &Progress| {
                bar.set_message(p.to_string());
                bar.tick();
            };
            let outcome = explore_with_progress(model, claims, limits, Some(&mut show));
            bar.finish_and_clear();
            outcome
        }
        None => explore_with_progress(model, claims, limits, None),
    }
}

/// `--trace-out`: save the counterexample of the chosen property (the first violated one by
/// default) with the spec of its model. A run without one writes nothing and says so.
fn save_trace<M: Checked>(
    model: &M,
    spec: &ModelSpec,
    outcome: &Outcome<M>,
    run: &RunArgs,
) -> Result<(), Error> {
    let Some(path) = &run.trace_out else {
        return Ok(());
    };
    let violated = |r: &&crate::check::ClaimResult<M>| r.verdict == crate::check::Verdict::Violated;
    let pick = match &run.trace_property {
        Some(name) => outcome
            .results
            .iter()
            .find(|r| r.name == name)
            .filter(violated),
        None => outcome.results.iter().find(violated),
    };
    match pick.and_then(|r| r.trace.as_ref().map(|t| (r.name, t))) {
        Some((name, t)) => {
            // Input paths relative to the trace's own directory, where replay resolves them.
            let spec = tracefile::spec_for_trace(spec, path);
            tracefile::save(path, &SavedTrace::with_spec(model, spec, name, t))?;
            if !run.quiet {
                errln!(
                    "smfcheck: counterexample of {name} saved to {}",
                    path.display()
                );
            }
        }
        None => errln!(
            "smfcheck: no counterexample{} to save; {} not written",
            run.trace_property
                .as_ref()
                .map(|n| format!(" of {n}"))
                .unwrap_or_default(),
            path.display()
        ),
    }
    Ok(())
}

fn usage(msg: impl Into<String>) -> Error {
    Error::Usage(msg.into())
}

fn title(m: &StepModel) -> String {
    let btc: Vec<String> = (0..m.degree())
        .filter(|&l| m.changes_base_type(l))
        .map(|l| (l + 1).to_string())
        .collect();
    format!(
        "smfcheck fsm --step {} (degree {}; semantics {:?}; faults {}; max-retry {}; re-executions {}; rollback {}; base-type change {})",
        m.step(),
        m.degree(),
        m.core.semantics,
        m.faults,
        m.core.max_retry,
        m.max_reexec,
        if m.allow_rollback { "allowed" } else { "off" },
        if btc.is_empty() {
            "none".into()
        } else {
            btc.join(",")
        }
    )
}

fn run_fsm(a: &FsmArgs) -> Result<u8, Error> {
    let inputs: Vec<(&str, &Path)> = a
        .properties
        .iter()
        .map(|p| ("--properties", p.as_path()))
        .collect();
    check_trace_out(&a.run, &inputs)?;
    let spec = a.step.spec();
    let model = load::step(&spec)?;
    let selection = match &a.properties {
        Some(p) => {
            check_properties_file(p)?;
            properties::read_selection(p)?
        }
        None => names(crate::claim_sets::step()?),
    };
    let claims = properties::step_claims(Some(&selection));
    check_trace_args(&a.run, &claims)?;
    let limits = a.limits.spec().limits();
    let outcome = explore_live(&model, &claims, &limits, a.run.quiet);
    if a.run.format == Format::Text {
        out!(
            "{}",
            text::render(&model, &title(&model), &claims, &outcome)
        );
    } else {
        let r = json::build(&model, "fsm", &title(&model), None, &claims, &outcome);
        out!("{}", render_as(a.run.format, &r));
    }
    save_trace(&model, &ModelSpec::Step(spec), &outcome, &a.run)?;
    // With the default claim set, a reachability witness the given bounds make unreachable
    // (e.g. reaches-failed under one fault) is reported with its hint but does not fail the run:
    // only violations do. A claim the user selected with --properties fails the run either way.
    if a.properties.is_none()
        && outcome
            .results
            .iter()
            .all(|r| r.verdict != crate::check::Verdict::Violated)
        && outcome
            .results
            .iter()
            .all(|r| r.verdict != crate::check::Verdict::Inconclusive)
    {
        return Ok(0);
    }
    Ok(outcome.exit_code())
}

/// The model a saved trace records: a `smfcheck-trace/2` spec (paths resolved against the
/// trace, files checked), or the model a `smfcheck-trace/1` argument list builds when parsed as
/// `smfcheck COMMAND ARGS…` would be (options other than the model's refused first).
fn trace_spec(saved: &SavedTrace, trace: &Path) -> Result<ModelSpec, Error> {
    if let Some(spec) = tracefile::model_spec(saved, trace)? {
        return Ok(spec);
    }
    let (argv, _) = tracefile::model_argv(saved, trace)?;
    let bad = |message: String| Error::TraceFile {
        path: trace.display().to_string(),
        message,
    };
    let command = Cli::try_parse_from(argv).map_err(|e| {
        bad(format!(
            "`args` do not rebuild a `{}` model: {}",
            saved.command,
            e.to_string()
                .lines()
                .next()
                .unwrap_or_default()
                .trim_start_matches("error: ")
        ))
    })?;
    match command.command {
        Command::Fsm(f) => Ok(ModelSpec::Step(f.step.spec())),
        Command::Check(c) => Ok(ModelSpec::Campaign(c.spec())),
        _ => Err(bad(format!(
            "command `{}` builds no model to replay on",
            saved.command
        ))),
    }
}

/// An error building the model a trace file names: said as the trace's, since the files and
/// values came from it.
fn from_trace(trace: &Path, saved: &SavedTrace, e: Error) -> Error {
    match e {
        // Already names the trace (the input checks of the trace's files).
        Error::TraceFile { .. } => e,
        e => Error::TraceFile {
            path: trace.display().to_string(),
            message: format!(
                "the model {} cannot be built: {e}",
                if saved.spec.is_some() {
                    "its `spec` names"
                } else {
                    "its `args` name"
                }
            ),
        },
    }
}

/// The model of a saved trace.
fn trace_model(saved: &SavedTrace, trace: &Path) -> Result<(ModelSpec, Built), Error> {
    let spec = trace_spec(saved, trace)?;
    let built = load::model(&spec).map_err(|e| from_trace(trace, saved, e))?;
    Ok((spec, built))
}

/// `smfcheck replay FILE`: rebuild the model from the saved spec and follow the trace.
fn run_replay(a: &ReplayArgs) -> Result<u8, Error> {
    let saved = tracefile::load(&a.file)?;
    let file = a.file.display().to_string();
    let not_registered = |known: Vec<&str>| Error::TraceFile {
        path: file.clone(),
        message: format!(
            "stale: property `{}` is not in the current registry; available: {}",
            saved.property,
            known.join(", ")
        ),
    };
    // The model is rebuilt from the model-defining options only, with the files resolved
    // against the trace's directory.
    match trace_model(&saved, &a.file)? {
        (_, Built::Step(model)) => {
            let claim = properties::step_registry()
                .into_iter()
                .find(|e| e.name == saved.property)
                .ok_or_else(|| not_registered(properties::all_names()))?;
            Ok(replay_report(
                &model,
                &title(&model),
                None,
                &claim,
                &saved,
                &file,
                a.format,
            ))
        }
        (spec, Built::Campaign(model)) => {
            let ModelSpec::Campaign(c) = spec else {
                unreachable!("a campaign model is built from a campaign spec")
            };
            let claim = properties::campaign_registry()
                .into_iter()
                .find(|e| e.name == saved.property)
                .ok_or_else(|| not_registered(properties::campaign_names()))?;
            let title = check_title(&c, &model);
            Ok(replay_report(
                &*model,
                &title,
                Some(&c.campaign.display().to_string()),
                &claim,
                &saved,
                &file,
                a.format,
            ))
        }
    }
}

/// Replay `saved` on `model`, print the result in `format` and return the exit code:
/// 1 still a counterexample, 0 followed but the claim holds on it, 2 stale.
fn replay_report<M: Checked>(
    model: &M,
    model_title: &str,
    input: Option<&str>,
    claim: &Claim<M>,
    saved: &SavedTrace,
    file: &str,
    format: Format,
) -> u8 {
    let result = tracefile::replay(model, claim, saved);
    let (verdict, code, message, trace, differs_at) = match &result {
        ReplayResult::Followed {
            still_violates: true,
            trace,
            differs_at,
        } => (
            "violated",
            1,
            format!(
                "trace still a counterexample for {} ({} steps): {}",
                claim.name,
                trace.len(),
                claim.doc
            ),
            Some(trace),
            *differs_at,
        ),
        ReplayResult::Followed {
            still_violates: false,
            trace,
            differs_at,
        } => (
            "holds",
            0,
            format!(
                "trace followed ({} steps), but {} now holds along it: {}",
                trace.len(),
                claim.name,
                claim.doc
            ),
            Some(trace),
            *differs_at,
        ),
        ReplayResult::Stale { reason, .. } => ("stale", 2, format!("stale: {reason}"), None, None),
    };
    let differs = differs_at.map(|k| {
        format!("from step {k} on, the trace lines or states differ from the saved ones: the model changed since the trace was saved")
    });
    let title = format!("smfcheck replay {file}: {} on {model_title}", claim.name);
    if format == Format::Text {
        outln!("{title}\n\n{message}");
        if let Some(t) = trace {
            out!("{}", text::render_trace(model, t));
        }
        if let Some(d) = &differs {
            outln!("note: {d}");
        }
        return code;
    }
    let path = trace.map(|t| json::trace_report(model, t));
    let mut notes = vec![json::Note {
        property: claim.name.to_string(),
        message,
        trace: if verdict == "holds" {
            path.clone()
        } else {
            None
        },
    }];
    if let Some(d) = differs {
        notes.push(json::Note {
            property: claim.name.to_string(),
            message: d,
            trace: None,
        });
    }
    let r = json::Report {
        schema: json::SCHEMA.to_string(),
        tool: json::tool(),
        command: "replay".into(),
        title,
        input: input.map(str::to_string),
        verdict: verdict.into(),
        exit_code: code,
        exploration: json::Exploration {
            exhaustive: false,
            limit: None,
        },
        statistics: None,
        shard: None,
        properties: vec![json::PropertyReport {
            name: claim.name.to_string(),
            kind: claim.kind.word().to_string(),
            section: claim.section.to_string(),
            doc: claim.doc.to_string(),
            verdict: verdict.into(),
            counterexample: if verdict == "violated" { path } else { None },
            witness: None,
        }],
        notes,
    };
    out!("{}", render_as(format, &r));
    code
}

fn run_graph(a: &GraphArgs) -> Result<u8, Error> {
    use crate::browse::trace_picture;
    let mermaid = a.format == Some(GraphFormat::Mermaid);
    if let Some(path) = &a.trace {
        if a.format == Some(GraphFormat::Dot) || a.nested.is_some() {
            return Err(usage(
                "--trace is drawn as a sequence diagram: --format mermaid or svg",
            ));
        }
        let t = crate::tracefile::load(path)?;
        let svg = a.format == Some(GraphFormat::Svg);
        out!(
            "{}",
            match built_for(&a.model, Some((&t, path.as_path())))? {
                Built::Step(m) => trace_picture(&m, &t, path, svg)?,
                Built::Campaign(m) => trace_picture(&*m, &t, path, svg)?,
            }
        );
        return Ok(0);
    }
    if a.format == Some(GraphFormat::Svg) {
        return Err(usage("--format svg draws a trace: give --trace FILE"));
    }
    match load::model(&a.model.spec()?)? {
        Built::Step(model) => {
            let n = model.degree();
            let k = a.nested.unwrap_or(if n >= 3 { 2 } else { 1 });
            if k == 0 || k > n {
                return Err(usage(format!("--nested {k} is out of range 1..={n}")));
            }
            if mermaid {
                out!("{}", crate::graph::mermaid(&model, k - 1));
            } else {
                out!("{}", crate::graph::dot(&model, k - 1));
            }
        }
        Built::Campaign(model) => {
            if a.nested.is_some() {
                return Err(usage(
                    "--nested draws a step FSM: give --step, not a campaign",
                ));
            }
            if mermaid {
                out!("{}", crate::graph::campaign_mermaid(&model));
            } else {
                out!("{}", crate::graph::campaign_dot(&model));
            }
        }
    }
    Ok(0)
}

/// The model of `explore` / `graph`: from the arguments, else from the model the trace file
/// records.
fn built_for(
    m: &ModelArgs,
    trace: Option<(&crate::browse::TraceFile, &Path)>,
) -> Result<Built, Error> {
    match trace {
        Some((t, path)) if !m.given() => Ok(trace_model(t, path)?.1),
        _ => load::model(&m.spec()?),
    }
}

/// The registry claims a property-set file selects (all if none).
fn selected<M: stateright::Model>(
    registry: Vec<Claim<M>>,
    file: Option<&PathBuf>,
) -> Result<Vec<Claim<M>>, Error> {
    let Some(f) = file else { return Ok(registry) };
    let known: Vec<&'static str> = registry.iter().map(|e| e.name).collect();
    check_properties_file(f)?;
    let sel = properties::read_selection_from(f, &known)?;
    Ok(registry
        .into_iter()
        .filter(|e| sel.iter().any(|n| n == e.name))
        .collect())
}

fn run_explore(a: &ExploreArgs) -> Result<u8, Error> {
    use crate::browse::browse_model;
    let limits = crate::browse::BrowseLimits {
        max_states: a.max_states,
        max_memory: a.max_memory.or_else(crate::check::default_max_memory),
    };
    let trace = a.trace.as_deref().map(crate::tracefile::load).transpose()?;
    let t = trace.as_ref().zip(a.trace.as_deref());
    match built_for(&a.model, t)? {
        Built::Step(m) => {
            let e = selected(properties::step_registry(), a.properties.as_ref())?;
            browse_model(m, &e, a.port, t, limits)
        }
        Built::Campaign(m) => {
            let e = selected(properties::campaign_registry(), a.properties.as_ref())?;
            browse_model(*m, &e, a.port, t, limits)
        }
    }
}

/// A property-set file passes the input checks (regular file, size cap, text) before
/// `properties::read_selection*` reads it (src/properties.rs reads the file itself).
fn check_properties_file(p: &Path) -> Result<(), Error> {
    crate::input::check(
        p,
        crate::input::Kind::Properties,
        &crate::input::Origin::CommandLine,
    )
}

/// `smfcheck completions SHELL`: the completion script clap_complete derives from the
/// definitions in src/cli/args.rs.
fn run_completions(a: &CompletionsArgs) -> Result<u8, Error> {
    let mut cmd = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(a.shell, &mut cmd, "smfcheck", &mut script);
    out!("{}", String::from_utf8_lossy(&script));
    Ok(0)
}

/// `smfcheck man [SUBCOMMAND]`: the manual page clap_mangen derives from the definitions in
/// src/cli/args.rs (a subcommand's page is `smfcheck-SUBCOMMAND(1)`).
fn run_man(a: &ManArgs) -> Result<u8, Error> {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    // Built, the subcommands are named `smfcheck-SUBCOMMAND`, as their pages are.
    cmd.build();
    let page = match &a.subcommand {
        None => cmd,
        Some(name) => cmd.find_subcommand(name).cloned().ok_or_else(|| {
            usage(format!(
                "`{name}` is not a subcommand; available: {}",
                cmd.get_subcommands()
                    .map(|c| c.get_name())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?,
    };
    let mut roff = Vec::new();
    clap_mangen::Man::new(page)
        // Every page is of smfcheck at this version (a subcommand has no version of its own).
        .source(format!("smfcheck {}", env!("CARGO_PKG_VERSION")))
        .render(&mut roff)
        .map_err(|e| usage(format!("rendering the manual page: {e}")))?;
    out!("{}", String::from_utf8_lossy(&roff));
    Ok(0)
}

fn run_properties() -> Result<u8, Error> {
    // Both registries: the step claims (`smfcheck fsm`), then the campaign claims
    // (`smfcheck check`); the default sets are those of properties/*.props.
    outln!("step claims (smfcheck fsm):");
    for e in properties::step_registry() {
        outln!(
            "  {:<34} {:<17} {:<40} {}",
            e.name,
            e.kind.word(),
            e.section,
            e.doc
        );
    }
    outln!("campaign claims (smfcheck check, smfcheck generate):");
    for e in properties::campaign_registry() {
        outln!(
            "  {:<34} {:<17} {:<40} {}",
            e.name,
            e.kind.word(),
            e.section,
            e.doc
        );
    }
    Ok(0)
}

/// Parse arguments, run, and map the outcome to an exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let result = match &cli.command {
        Command::Fsm(a) => run_fsm(a),
        Command::Graph(a) => run_graph(a),
        Command::Check(a) => run_check(a),
        Command::Generate(a) => crate::generate::run::run(&a.options()),
        Command::Replay(a) => run_replay(a),
        Command::Explore(a) => run_explore(a),
        Command::Properties => run_properties(),
        Command::Completions(a) => run_completions(a),
        Command::Man(a) => run_man(a),
        Command::Merge(a) => run_merge(a),
    };
    // A closed pipe on standard output is not an error (`smfcheck … | head`): the verdict's
    // code stands. Any other failure to write the report is: the report is lost.
    if let Some(e) = crate::output::stdout_error() {
        errln!("error: writing standard output: {e}");
        return ExitCode::from(2);
    }
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            errln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// `smfcheck merge`: the shards' JSON reports combined ([`crate::report::merge`]).
fn run_merge(a: &super::args::MergeArgs) -> Result<u8, Error> {
    let mut reports = Vec::new();
    for p in &a.reports {
        let text = crate::input::read_text(
            p,
            crate::input::Kind::Report,
            &crate::input::Origin::CommandLine,
        )?;
        let r: json::Report = serde_json::from_str(&text).map_err(|e| {
            usage(format!(
                "{}: not a JSON report of `smfcheck check --format json` ({e})",
                p.display()
            ))
        })?;
        reports.push((p.display().to_string(), r));
    }
    let merged = crate::report::merge::merge(&reports).map_err(usage)?;
    match a.format {
        Format::Json => outln!(
            "{}",
            serde_json::to_string_pretty(&merged).expect("a report serializes")
        ),
        _ => out!("{}", crate::report::merge::render(&merged)),
    }
    Ok(merged.exit_code)
}
