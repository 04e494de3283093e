//! The command line (clap derive stays in this file). Exit codes: 0 verified, 1 violated,
//! 2 bad input or usage, 3 inconclusive.

use crate::campaign::model::CampaignModel;
use crate::check::{
    Checked, Limits, Outcome, Progress, explore_with_progress, json, junit, report, sarif,
};
use crate::error::Error;
use crate::model::StepModel;
use crate::output::{errln, out, outln};
use crate::properties::{self, Entry};
use crate::step::embed::{EmbeddedStep, Purpose};
use crate::step::fsm::{Core, Semantics};
use crate::step::table::StepType;
use crate::tracefile::{self, ReplayResult, SavedTrace};
use clap::{Parser, Subcommand, ValueEnum};
use std::fmt::Debug;
use std::hash::Hash;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

/// The exit codes, as `--help` of every subcommand states them.
pub const EXIT_CODES: &str = "Exit codes:
  0  every claim verified (or witnessed) by an exhaustive exploration
     (replay: the saved path is followed and the claim now holds on it)
  1  a claim violated, or a reachability claim unreachable
     (replay: the saved trace is still a counterexample)
  2  bad input or usage (replay: the trace is stale or unreadable)
  3  inconclusive: --max-states, --max-memory or --timeout cut the exploration short;
     nothing is reported verified";

/// smfcheck: model checking of SMF upgrade steps and campaigns (thesis: Katihar 2014).
///
/// Exit codes: 0 every claim verified (or witnessed), 1 some claim violated (or a witness
/// unreachable), 2 bad input or usage, 3 inconclusive (a limit cut the exploration short).
#[derive(Parser, Debug)]
#[command(
    name = "smfcheck",
    version,
    about,
    long_about = None,
    after_help = EXIT_CODES
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check one (embedded) upgrade step under faults, retries, undo and rollback.
    #[command(after_help = EXIT_CODES)]
    Fsm(FsmArgs),
    /// Draw the FSM of one nested step (Fig. 2.6 for degree 1, Fig. 4.3/4.4 for a middle step of
    /// an embedded step) or a campaign's procedure/step structure, as Graphviz DOT or Mermaid; or
    /// a saved trace as a Mermaid sequence diagram.
    Graph(GraphArgs),
    /// Check an upgrade campaign (XML) on a configuration (IMM XML): availability, compatibility,
    /// migration, failure handling and rollback under injected faults.
    #[command(after_help = EXIT_CODES)]
    Check(CheckArgs),
    /// Generate an upgrade campaign from a source and a target configuration (thesis Chapter 6),
    /// verified on the source before it is written.
    Generate(crate::generate::run::GenerateArgs),
    /// List the registered properties.
    Properties,
    /// Follow a trace saved by `--trace-out` on the current model and say whether it is still a
    /// counterexample, now holds, or is stale (no longer a path of the model).
    #[command(after_help = EXIT_CODES)]
    Replay(ReplayArgs),
    /// Serve the stateright Explorer on 127.0.0.1 to browse a step or campaign model (and open a
    /// saved counterexample); for browsing only, verdicts come from `fsm` / `check`.
    Explore(ExploreArgs),
}

/// How the verdicts are reported on standard output.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Format {
    /// The verdict table, statistics and counterexamples in SMF terms.
    #[default]
    Text,
    /// Schema `smfcheck-report/1` (docs/report-schema.md).
    Json,
    /// JUnit XML: one testcase per property, the trace as failure text.
    Junit,
    /// SARIF 2.1.0: one result per violated property, at the campaign line involved.
    Sarif,
}

/// Output, progress and the limits beyond `--max-states` and `--timeout`, shared by `fsm` and
/// `check`.
#[derive(clap::Args, Debug, Default)]
pub struct RunArgs {
    /// Report format on standard output.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Nothing on standard error but errors and warnings: no live progress line (drawn only
    /// when standard error is a terminal), no note that --trace-out saved a trace.
    #[arg(long, short)]
    pub quiet: bool,
    /// Stop when the process's resident memory exceeds this size (512M, 2G, …; binary units):
    /// inconclusive, exit 3. Default: 75 % of physical memory, or of the cgroup's memory limit
    /// if lower.
    #[arg(long, value_parser = parse_size)]
    pub max_memory: Option<u64>,
    /// Save the counterexample of the first violated property (or of --trace-property) as JSON
    /// for `smfcheck replay`.
    #[arg(long)]
    pub trace_out: Option<PathBuf>,
    /// Which property's counterexample --trace-out saves.
    #[arg(long, requires = "trace_out")]
    pub trace_property: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct ReplayArgs {
    /// A trace saved by `smfcheck fsm|check --trace-out`.
    pub file: PathBuf,
    /// Report format on standard output.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// `--max-memory` (a size in binary units); see [`limits`] for its default.
pub fn parse_size(s: &str) -> Result<u64, String> {
    crate::check::parse_bytes(s)
}

/// The limits of a run from its options. Without `--max-memory` the run may use
/// [`crate::check::DEFAULT_MEMORY_PERCENT`] % of physical memory (or of the cgroup's limit), so
/// that a state space too large for the machine ends as inconclusive (exit 3) rather than in
/// the OOM killer.
pub fn limits(max_states: Option<usize>, timeout: Option<u64>, max_memory: Option<u64>) -> Limits {
    let (max_memory, memory_is_default) = match max_memory {
        Some(m) => (Some(m), false),
        None => (crate::check::default_max_memory(), true),
    };
    Limits {
        max_states,
        timeout: timeout.map(Duration::from_secs),
        max_memory,
        memory_is_default,
    }
}

#[derive(clap::Args, Debug, Default)]
pub struct CheckArgs {
    /// The upgrade-campaign XML.
    pub campaign: PathBuf,
    /// IMM configuration files, merged as immcfg would (repeatable).
    #[arg(long, required = true)]
    pub config: Vec<PathBuf>,
    /// Layer compatibility (IMM XML with SmfcheckCompatibility objects).
    #[arg(long)]
    pub compat: Option<PathBuf>,
    /// A target configuration (IMM XML, repeatable): success-reaches-target then means "the
    /// configuration after commit equals this one" (every EE, SU and VM dependency list).
    #[arg(long)]
    pub target: Vec<PathBuf>,
    /// A property-set file selecting campaign claims (default: properties/campaign.props' set).
    #[arg(long)]
    pub properties: Option<PathBuf>,
    /// Fault budget over the whole campaign (0..=8).
    #[arg(long, default_value_t = 1)]
    pub faults: u8,
    /// Undo semantics.
    #[arg(long, value_enum, default_value_t = SemanticsArg::Thesis)]
    pub semantics: SemanticsArg,
    /// Report every outage, ignoring the procedures' acceptableServiceOutage.
    #[arg(long)]
    pub strict_availability: bool,
    /// saSmfStepMaxRetry when a step does not set it: the XSD's 1, or OpenSAF's 0.
    #[arg(long, default_value_t = 1)]
    pub default_max_retry: u8,
    /// How often the administrator may Execute again after an error (Suspended By Error
    /// Detected), 0..=3 [default: 1].
    #[arg(long)]
    pub max_admin_retries: Option<u8>,
    /// How often the administrator may suspend the execution or the rollback (each suspension
    /// is then resumed or, for an execution, rolled back), 0..=3 [default: 0].
    #[arg(long)]
    pub max_suspends: Option<u8>,
    /// Stop after this many unique states (inconclusive, exit 3).
    #[arg(long)]
    pub max_states: Option<usize>,
    /// Stop after this many seconds (inconclusive, exit 3).
    #[arg(long)]
    pub timeout: Option<u64>,
    #[command(flatten)]
    pub run: RunArgs,
}

/// The claims `smfcheck check` selects when no property file is given.
pub const DEFAULT_CAMPAIGN_CLAIMS: &[&str] = &[
    "si-always-available",
    "no-incompatible-hosting",
    "lower-layer-ready-for-install",
    "failure-escalates-to-campaign",
    "exec-levels-respected",
    "success-reaches-target",
    "rollback-restores-source",
    "terminates-in-final-state",
    "campaign-can-commit",
    "campaign-can-roll-back",
];

/// The `check` arguments that define the model, normalized (defaults spelled out), as
/// `--trace-out` records them: `smfcheck check ARGS…` rebuilds the model.
pub fn check_argv(a: &CheckArgs) -> Vec<String> {
    let mut v = vec![a.campaign.display().to_string()];
    for c in &a.config {
        v.extend(["--config".to_string(), c.display().to_string()]);
    }
    if let Some(c) = &a.compat {
        v.extend(["--compat".to_string(), c.display().to_string()]);
    }
    // The target configuration defines what success-reaches-target means.
    for t in &a.target {
        v.extend(["--target".to_string(), t.display().to_string()]);
    }
    v.extend([
        "--faults".to_string(),
        a.faults.to_string(),
        "--semantics".to_string(),
        value_name(a.semantics),
        "--default-max-retry".to_string(),
        a.default_max_retry.to_string(),
    ]);
    // The administrator's bounds, when not the defaults (older traces have neither).
    if let Some(n) = a.max_admin_retries.filter(|&n| n != 1) {
        v.extend(["--max-admin-retries".to_string(), n.to_string()]);
    }
    if let Some(n) = a.max_suspends.filter(|&n| n != 0) {
        v.extend(["--max-suspends".to_string(), n.to_string()]);
    }
    if a.strict_availability {
        v.push("--strict-availability".into());
    }
    v
}

/// Read, plan and build the campaign model of `check`'s arguments (claims and limits aside).
pub fn build_campaign(a: &CheckArgs) -> Result<crate::campaign::model::CampaignModel, Error> {
    use crate::campaign::model::CampaignModel;
    use crate::campaign::plan::{Plan, PlanOptions};
    use crate::system::config::SystemConfig;
    use crate::xml::imm;
    if a.faults > 8 {
        return Err(usage(format!(
            "--faults {} is out of range 0..=8",
            a.faults
        )));
    }
    let campaign = crate::input::campaign(&a.campaign)?;
    let mut files = Vec::new();
    for f in a.config.iter().chain(a.compat.iter()) {
        files.push(crate::input::imm(f)?);
    }
    let target = if a.target.is_empty() {
        None
    } else {
        let mut t = Vec::new();
        for f in a.target.iter().chain(a.compat.iter()) {
            t.push(crate::input::imm(f)?);
        }
        Some((imm::merge(&files)?, imm::merge(&t)?))
    };
    let (_, cfg) = crate::campaign::system_for(&campaign, files)?;
    let semantics = match a.semantics {
        SemanticsArg::Thesis => Semantics::Thesis,
        SemanticsArg::Opensaf => Semantics::OpenSaf,
    };
    let plan = Plan::build(
        &campaign,
        &cfg,
        PlanOptions {
            semantics,
            default_max_retry: a.default_max_retry.min(5),
        },
    )?;
    let mut model = CampaignModel::from_plan(&plan, &cfg)?;
    model.faults = a.faults;
    for (name, v) in [
        ("--max-admin-retries", a.max_admin_retries),
        ("--max-suspends", a.max_suspends),
    ] {
        if let Some(n) = v.filter(|&n| n > 3) {
            return Err(usage(format!("{name} {n} is out of range 0..=3")));
        }
    }
    model.max_admin_retries = a.max_admin_retries.unwrap_or(1);
    model.max_suspends = a.max_suspends.unwrap_or(0);
    if let (Some((source, target)), Some(sys)) = (&target, model.system.as_mut()) {
        let tcfg = SystemConfig::from_imm(target)?;
        sys.target = Some(crate::campaign::target::TargetExpect::build(
            &cfg, &plan, source, target, &tcfg,
        ));
    }
    if let Some(sys) = model.system.as_mut() {
        sys.strict = a.strict_availability;
    }
    Ok(model)
}

fn check_title(a: &CheckArgs, model: &CampaignModel) -> String {
    let semantics = match a.semantics {
        SemanticsArg::Thesis => Semantics::Thesis,
        SemanticsArg::Opensaf => Semantics::OpenSaf,
    };
    format!(
        "smfcheck check {} ({} procedures; semantics {:?}; faults {}; availability {})",
        a.campaign.display(),
        model.procs.len(),
        semantics,
        model.faults,
        if a.strict_availability {
            "strict"
        } else {
            "as declared by outageInfo"
        }
    )
}

/// The files `check` reads, with their options (for "output is an input").
fn check_inputs(a: &CheckArgs) -> Vec<(&'static str, &Path)> {
    let mut v: Vec<(&'static str, &Path)> = vec![("the campaign", a.campaign.as_path())];
    v.extend(a.config.iter().map(|p| ("--config", p.as_path())));
    v.extend(a.compat.iter().map(|p| ("--compat", p.as_path())));
    v.extend(a.target.iter().map(|p| ("--target", p.as_path())));
    v.extend(a.properties.iter().map(|p| ("--properties", p.as_path())));
    v
}

fn run_check(a: &CheckArgs) -> Result<u8, Error> {
    check_trace_out(&a.run, &check_inputs(a))?;
    let mut model = build_campaign(a)?;
    let selection: Vec<String> = match &a.properties {
        Some(p) => {
            check_properties_file(p)?;
            properties::read_selection_from(p, &properties::campaign_names())?
        }
        None => DEFAULT_CAMPAIGN_CLAIMS
            .iter()
            .map(|s| s.to_string())
            .collect(),
    };
    let entries: Vec<_> = properties::campaign_registry()
        .into_iter()
        .filter(|e| selection.iter().any(|n| n == e.name))
        .collect();
    check_trace_args(&a.run, &entries)?;
    let claims: Vec<_> = entries.iter().map(|e| (e.build)(&model)).collect();
    let limits = limits(a.max_states, a.timeout, a.run.max_memory);
    let outcome = explore_live(&model, &claims, &limits, a.run.quiet);
    let title = check_title(a, &model);
    // The XSD lets a procedure accept an outage; an accepted outage is still worth knowing about,
    // so when availability holds only thanks to an allowance, show the shortest such outage.
    let mut accepted = None;
    if !a.strict_availability
        && outcome.cut_short.is_none()
        && outcome
            .result("si-always-available")
            .is_some_and(|r| r.verdict == crate::check::Verdict::Verified)
    {
        if let Some(sys) = model.system.as_mut() {
            sys.strict = true;
        }
        let strict: Vec<_> = properties::campaign_registry()
            .into_iter()
            .filter(|e| e.name == "si-always-available")
            .map(|e| (e.build)(&model))
            .collect();
        let mut o = explore_live(&model, &strict, &limits, a.run.quiet);
        accepted = o.results.pop().and_then(|r| r.trace);
        if let Some(sys) = model.system.as_mut() {
            sys.strict = a.strict_availability;
        }
    }
    const ACCEPTED: &str =
        "an outage the campaign declares acceptable (outageInfo/acceptableServiceOutage) happens";
    if a.run.format == Format::Text {
        out!("{}", report::render(&model, &title, &entries, &outcome));
        if let Some(t) = &accepted {
            outln!("\nnote: {ACCEPTED}; shortest ({} steps):", t.len());
            out!("{}", report::render_trace(&model, t));
        }
    } else {
        let mut r = json::build(
            &model,
            "check",
            &title,
            Some(&a.campaign.display().to_string()),
            &entries,
            &outcome,
        );
        if let Some(t) = &accepted {
            r.notes.push(json::Note {
                property: "si-always-available".into(),
                message: format!("{ACCEPTED}."),
                trace: Some(json::trace_report(&model, t)),
            });
        }
        out!("{}", render_as(a.run.format, &r));
    }
    save_trace(&model, "check", check_argv(a), &outcome, &a.run)?;
    Ok(outcome.exit_code())
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
fn check_trace_args<M: stateright::Model>(
    run: &RunArgs,
    entries: &[Entry<M>],
) -> Result<(), Error> {
    match &run.trace_property {
        Some(name) if !entries.iter().any(|e| e.name == name) => Err(usage(format!(
            "--trace-property `{name}` is not among the checked properties: {}",
            entries
                .iter()
                .map(|e| e.name)
                .collect::<Vec<_>>()
                .join(", ")
        ))),
        _ => Ok(()),
    }
}

/// Explore with a live progress line on standard error when that is a terminal and not
/// `--quiet`; on anything else (a pipe, a file, CI logs) nothing is drawn.
fn explore_live<M>(
    model: &M,
    claims: &[crate::check::Claim<M>],
    limits: &Limits,
    quiet: bool,
) -> Outcome<M>
where
    M: Checked,
    M::State: Clone + Eq + Hash + Send + Sync + Debug,
    M::Action: Clone + Send + Sync + Debug,
{
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
/// default). A run without one writes nothing and says so.
fn save_trace<M>(
    model: &M,
    command: &str,
    args: Vec<String>,
    outcome: &Outcome<M>,
    run: &RunArgs,
) -> Result<(), Error>
where
    M: Checked,
    M::State: Clone + Eq + Hash + Send + Sync + Debug,
    M::Action: Clone + Send + Sync + Debug,
{
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
            let args = tracefile::args_for_trace(command, args, path);
            tracefile::save(path, &SavedTrace::new(model, command, args, name, t))?;
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

fn value_name<T: ValueEnum>(v: T) -> String {
    v.to_possible_value()
        .expect("no variant is skipped")
        .get_name()
        .to_string()
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum SemanticsArg {
    /// Undo = Table 2.1 reverses of the executed actions, phase-wise for nested steps (§2.8.4, §4.2).
    #[default]
    Thesis,
    /// Undo = the whole rollback list; undoing a rollback = the forward list (OpenSAF smfd).
    Opensaf,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum PurposeArg {
    Upgrade,
    Addition,
    Removal,
}

#[derive(clap::Args, Debug)]
pub struct StepArgs {
    /// Nested step types, outermost (layer 1) first: out-of-phase, reduced, locked-reduced, in-phase.
    #[arg(long, value_delimiter = ',', required = true)]
    pub step: Vec<String>,
    /// Fault budget: how many actions (forward, undo, rollback) may fail in one run (0..=8).
    #[arg(long, default_value_t = 2)]
    pub faults: u8,
    /// saSmfStepMaxRetry: retries after an undo (0..=5; XSD default 1).
    #[arg(long, default_value_t = 1)]
    pub max_retry: u8,
    /// How often the administrator may re-execute an Undone step (0..=3).
    #[arg(long, default_value_t = 1)]
    pub max_reexec: u8,
    /// Do not let the administrator roll back a completed step.
    #[arg(long)]
    pub no_rollback: bool,
    /// Layer L (1-based) changes base type (repeatable, or comma-separated): layer L−1's
    /// software must then be (un)installed on the matching generation of layer L, and layer L's
    /// own image cannot be (un)installed online while layer L runs the other generation.
    #[arg(long, value_delimiter = ',')]
    pub base_type_change: Vec<u8>,
    /// Undo semantics.
    #[arg(long, value_enum, default_value_t = SemanticsArg::Thesis)]
    pub semantics: SemanticsArg,
    /// What the embedded step does (the rules of embedding differ for addition and removal).
    #[arg(long = "for", value_enum, default_value_t = PurposeArg::Upgrade)]
    pub purpose: PurposeArg,
}

#[derive(clap::Args, Debug)]
pub struct FsmArgs {
    #[command(flatten)]
    pub step: StepArgs,
    /// A property-set file selecting registry entries (default: every step property).
    #[arg(long)]
    pub properties: Option<PathBuf>,
    /// Stop after this many unique states (the verdict is then inconclusive, exit 3).
    #[arg(long)]
    pub max_states: Option<usize>,
    /// Stop after this many seconds (inconclusive, exit 3).
    #[arg(long)]
    pub timeout: Option<u64>,
    #[command(flatten)]
    pub run: RunArgs,
}

#[derive(clap::Args, Debug)]
pub struct GraphArgs {
    #[command(flatten)]
    pub model: ModelArgs,
    /// Which nested step to draw (1-based; default: 2 if the degree is at least 3, else 1).
    #[arg(long)]
    pub nested: Option<usize>,
    /// Output format (default: dot; a trace: mermaid, or svg as the Explorer draws it).
    #[arg(long, value_enum)]
    pub format: Option<GraphFormat>,
    /// Draw this saved trace (smfcheck-trace/1) as a sequence diagram; without model arguments
    /// the model is rebuilt from the command the trace records.
    #[arg(long)]
    pub trace: Option<PathBuf>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum GraphFormat {
    Dot,
    Mermaid,
    /// A trace's sequence diagram as SVG (traces only).
    Svg,
}

#[derive(clap::Args, Debug)]
pub struct ExploreArgs {
    #[command(flatten)]
    pub model: ModelArgs,
    /// Port on 127.0.0.1 (0: any free port; the address is printed).
    #[arg(long, default_value_t = 3000)]
    pub port: u16,
    /// Open this saved counterexample (smfcheck-trace/1): its address in the Explorer is printed.
    /// Without model arguments the model is rebuilt from the command the trace records.
    #[arg(long)]
    pub trace: Option<PathBuf>,
    /// A property-set file selecting the claims shown (default: every registered claim).
    #[arg(long)]
    pub properties: Option<PathBuf>,
    /// Bound the Explorer's own exploration ("Run to completion") to about this many states.
    #[arg(long)]
    pub max_states: Option<usize>,
    /// End the server with exit 3 when the process's resident memory exceeds this size (512M,
    /// 2G). Default: 75 % of physical memory, or of the cgroup's memory limit if lower.
    #[arg(long, value_parser = parse_size)]
    pub max_memory: Option<u64>,
}

/// The model arguments of `graph` and `explore`: a campaign as for `check`, or `--step` as for
/// `fsm`.
#[derive(clap::Args, Debug)]
pub struct ModelArgs {
    /// The upgrade-campaign XML (with --config); or give --step instead.
    pub campaign: Option<PathBuf>,
    /// IMM configuration files of the campaign (repeatable).
    #[arg(long)]
    pub config: Vec<PathBuf>,
    /// Layer compatibility of the campaign (IMM XML).
    #[arg(long)]
    pub compat: Option<PathBuf>,
    /// Report every outage of the campaign, ignoring acceptableServiceOutage.
    #[arg(long)]
    pub strict_availability: bool,
    /// saSmfStepMaxRetry when a campaign step does not set it.
    #[arg(long, default_value_t = 1)]
    pub default_max_retry: u8,
    /// Nested step types, outermost first (instead of a campaign).
    #[arg(long, value_delimiter = ',')]
    pub step: Vec<String>,
    /// Fault budget (default: 1 for a campaign, 2 for --step).
    #[arg(long)]
    pub faults: Option<u8>,
    /// saSmfStepMaxRetry of --step.
    #[arg(long, default_value_t = 1)]
    pub max_retry: u8,
    /// How often the administrator may re-execute an Undone --step.
    #[arg(long, default_value_t = 1)]
    pub max_reexec: u8,
    /// Do not let the administrator roll back a completed --step.
    #[arg(long)]
    pub no_rollback: bool,
    /// Layer L of --step changes base type (repeatable, or comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub base_type_change: Vec<u8>,
    /// Undo semantics.
    #[arg(long, value_enum, default_value_t = SemanticsArg::Thesis)]
    pub semantics: SemanticsArg,
    /// What the --step does.
    #[arg(long = "for", value_enum, default_value_t = PurposeArg::Upgrade)]
    pub purpose: PurposeArg,
}

/// A model built from [`ModelArgs`] or from the command a trace file records.
pub enum Built {
    Step(StepModel),
    Campaign(Box<crate::campaign::model::CampaignModel>),
}

impl ModelArgs {
    fn given(&self) -> bool {
        self.campaign.is_some() || !self.step.is_empty()
    }

    pub fn build(&self) -> Result<Built, Error> {
        // An argument the chosen model does not read is a mistake, not something to ignore.
        let step_only = self.max_retry != 1
            || self.max_reexec != 1
            || self.no_rollback
            || !self.base_type_change.is_empty()
            || self.purpose != PurposeArg::Upgrade;
        let campaign_only = !self.config.is_empty()
            || self.compat.is_some()
            || self.strict_availability
            || self.default_max_retry != 1;
        if self.campaign.is_some() && step_only {
            return Err(usage(
                "--max-retry, --max-reexec, --no-rollback, --base-type-change and --for apply to --step only",
            ));
        }
        if self.campaign.is_none() && campaign_only {
            return Err(usage(
                "--config, --compat, --strict-availability and --default-max-retry apply to a campaign only",
            ));
        }
        match (&self.campaign, self.step.is_empty()) {
            (Some(_), false) => Err(usage("give a campaign or --step, not both")),
            (None, true) => Err(usage(
                "give a campaign (CAMPAIGN.xml --config FILE …) or --step TYPE[,TYPE…]",
            )),
            (Some(_), true) if self.config.is_empty() => {
                Err(usage("a campaign needs --config FILE"))
            }
            (Some(c), true) => Ok(Built::Campaign(Box::new(build_campaign(&CheckArgs {
                campaign: c.clone(),
                config: self.config.clone(),
                compat: self.compat.clone(),
                faults: self.faults.unwrap_or(1),
                semantics: self.semantics,
                strict_availability: self.strict_availability,
                default_max_retry: self.default_max_retry,
                ..Default::default()
            })?))),
            (None, false) => Ok(Built::Step(build_model(&StepArgs {
                step: self.step.clone(),
                faults: self.faults.unwrap_or(2),
                max_retry: self.max_retry,
                max_reexec: self.max_reexec,
                no_rollback: self.no_rollback,
                base_type_change: self.base_type_change.clone(),
                semantics: self.semantics,
                purpose: self.purpose,
            })?)),
        }
    }
}

/// The model of `explore` / `graph`: from the arguments, else from the `fsm` or `check` command
/// the trace file records.
fn built_for(
    m: &ModelArgs,
    trace: Option<(&crate::explore::TraceFile, &Path)>,
) -> Result<Built, Error> {
    match trace {
        Some((t, path)) if !m.given() => {
            let (argv, _) = tracefile::model_argv(t, path)?;
            match Cli::try_parse_from(&argv).map(|c| c.command) {
                Ok(Command::Fsm(a)) => Ok(Built::Step(
                    build_model(&a.step).map_err(|e| from_trace(path, e))?,
                )),
                Ok(Command::Check(a)) => Ok(Built::Campaign(Box::new(
                    build_campaign(&a).map_err(|e| from_trace(path, e))?,
                ))),
                _ => Err(usage(format!(
                    "the trace records `{}`, not an `fsm` or `check` command: give the model arguments",
                    argv[1..].join(" ")
                ))),
            }
        }
        _ => m.build(),
    }
}

/// An error building the model a trace file names: said as the trace's, since the files and
/// values came from it.
fn from_trace(trace: &Path, e: Error) -> Error {
    match e {
        // Already names the trace (the input checks of `tracefile::model_argv`).
        Error::TraceFile { .. } => e,
        e => Error::TraceFile {
            path: trace.display().to_string(),
            message: format!("the model its `args` name cannot be built: {e}"),
        },
    }
}

/// The registry entries a property-set file selects (all if none).
fn selected<M: stateright::Model>(
    registry: Vec<properties::Entry<M>>,
    file: Option<&PathBuf>,
) -> Result<Vec<properties::Entry<M>>, Error> {
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
    use crate::explore::explore_model;
    let limits = crate::explore::ExploreLimits {
        max_states: a.max_states,
        max_memory: a.max_memory.or_else(crate::check::default_max_memory),
    };
    let trace = a.trace.as_deref().map(crate::tracefile::load).transpose()?;
    let t = trace.as_ref().zip(a.trace.as_deref());
    match built_for(&a.model, t)? {
        Built::Step(m) => {
            let e = selected(properties::step_registry(), a.properties.as_ref())?;
            explore_model(m, &e, a.port, t, limits)
        }
        Built::Campaign(m) => {
            let e = selected(properties::campaign_registry(), a.properties.as_ref())?;
            explore_model(*m, &e, a.port, t, limits)
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

fn usage(msg: impl Into<String>) -> Error {
    Error::Usage(msg.into())
}

/// Validate the step arguments into a model.
pub fn build_model(a: &StepArgs) -> Result<StepModel, Error> {
    let types = a
        .step
        .iter()
        .map(|s| {
            s.parse::<StepType>()
                .map_err(|e| usage(format!("--step: {e}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let purpose = match a.purpose {
        PurposeArg::Upgrade => Purpose::Upgrade,
        PurposeArg::Addition => Purpose::Addition,
        PurposeArg::Removal => Purpose::Removal,
    };
    let step = EmbeddedStep::new(types, purpose)?;
    if a.faults > 8 {
        return Err(usage(format!(
            "--faults {} is out of range 0..=8",
            a.faults
        )));
    }
    if a.max_retry > 5 {
        return Err(usage(format!(
            "--max-retry {} is out of range 0..=5",
            a.max_retry
        )));
    }
    if a.max_reexec > 3 {
        return Err(usage(format!(
            "--max-reexec {} is out of range 0..=3",
            a.max_reexec
        )));
    }
    let n = step.degree();
    let mut btc = 0u8;
    for &l in &a.base_type_change {
        if l < 1 || l as usize > n {
            return Err(usage(format!(
                "--base-type-change {l} is out of range 1..={n} (the layers of the step)"
            )));
        }
        btc |= 1 << (l - 1);
    }
    let semantics = match a.semantics {
        SemanticsArg::Thesis => Semantics::Thesis,
        SemanticsArg::Opensaf => Semantics::OpenSaf,
    };
    let mut m = StepModel::new(Core::new(step, a.max_retry, semantics));
    m.faults = a.faults;
    m.max_reexec = a.max_reexec;
    m.allow_rollback = !a.no_rollback;
    m.base_type_change = btc;
    Ok(m)
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

/// The `fsm` arguments that define the model, normalized (defaults spelled out), as
/// `--trace-out` records them: `smfcheck fsm ARGS…` rebuilds the model.
pub fn fsm_argv(a: &StepArgs) -> Vec<String> {
    let mut v = vec![
        "--step".to_string(),
        a.step.join(","),
        "--faults".into(),
        a.faults.to_string(),
        "--max-retry".into(),
        a.max_retry.to_string(),
        "--max-reexec".into(),
        a.max_reexec.to_string(),
        "--semantics".into(),
        value_name(a.semantics),
        "--for".into(),
        value_name(a.purpose),
    ];
    if a.no_rollback {
        v.push("--no-rollback".into());
    }
    if !a.base_type_change.is_empty() {
        let layers: Vec<String> = a.base_type_change.iter().map(u8::to_string).collect();
        v.extend(["--base-type-change".to_string(), layers.join(",")]);
    }
    v
}

fn run_fsm(a: &FsmArgs) -> Result<u8, Error> {
    let inputs: Vec<(&str, &Path)> = a
        .properties
        .iter()
        .map(|p| ("--properties", p.as_path()))
        .collect();
    check_trace_out(&a.run, &inputs)?;
    let model = build_model(&a.step)?;
    let selection = match &a.properties {
        Some(p) => {
            check_properties_file(p)?;
            Some(properties::read_selection(p)?)
        }
        None => None,
    };
    let pairs = properties::step_claims(&model, selection.as_deref());
    let (entries, claims): (Vec<_>, Vec<_>) = pairs.into_iter().unzip();
    check_trace_args(&a.run, &entries)?;
    let limits = limits(a.max_states, a.timeout, a.run.max_memory);
    let outcome = explore_live(&model, &claims, &limits, a.run.quiet);
    if a.run.format == Format::Text {
        out!(
            "{}",
            report::render(&model, &title(&model), &entries, &outcome)
        );
    } else {
        let r = json::build(&model, "fsm", &title(&model), None, &entries, &outcome);
        out!("{}", render_as(a.run.format, &r));
    }
    save_trace(&model, "fsm", fsm_argv(&a.step), &outcome, &a.run)?;
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

/// `smfcheck replay FILE`: rebuild the model from the saved arguments and follow the trace.
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
    // The model is rebuilt exactly as `smfcheck COMMAND ARGS…` would build it, from the
    // model-defining options only, with the files resolved against the trace's directory.
    let (argv, _) = tracefile::model_argv(&saved, &a.file)?;
    let command = Cli::try_parse_from(argv).map_err(|e| Error::TraceFile {
        path: file.clone(),
        message: format!(
            "`args` do not rebuild a `{}` model: {}",
            saved.command,
            e.to_string()
                .lines()
                .next()
                .unwrap_or_default()
                .trim_start_matches("error: ")
        ),
    })?;
    match command.command {
        Command::Fsm(f) => {
            let model = build_model(&f.step).map_err(|e| from_trace(&a.file, e))?;
            let entry = properties::step_registry()
                .into_iter()
                .find(|e| e.name == saved.property)
                .ok_or_else(|| not_registered(properties::all_names()))?;
            Ok(replay_report(
                &model,
                &title(&model),
                None,
                &entry,
                &saved,
                &file,
                a.format,
            ))
        }
        Command::Check(c) => {
            let model = build_campaign(&c).map_err(|e| from_trace(&a.file, e))?;
            let entry = properties::campaign_registry()
                .into_iter()
                .find(|e| e.name == saved.property)
                .ok_or_else(|| not_registered(properties::campaign_names()))?;
            let title = check_title(&c, &model);
            Ok(replay_report(
                &model,
                &title,
                Some(&c.campaign.display().to_string()),
                &entry,
                &saved,
                &file,
                a.format,
            ))
        }
        _ => Err(Error::TraceFile {
            path: file.clone(),
            message: format!("command `{}` builds no model to replay on", saved.command),
        }),
    }
}

/// Replay `saved` on `model`, print the result in `format` and return the exit code:
/// 1 still a counterexample, 0 followed but the claim holds on it, 2 stale.
fn replay_report<M>(
    model: &M,
    model_title: &str,
    input: Option<&str>,
    entry: &Entry<M>,
    saved: &SavedTrace,
    file: &str,
    format: Format,
) -> u8
where
    M: Checked,
    M::State: Clone + Eq + Hash + Send + Sync + Debug,
    M::Action: Clone + Send + Sync + Debug,
{
    let claim = (entry.build)(model);
    let result = tracefile::replay(model, &claim, saved);
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
                entry.name,
                trace.len(),
                entry.doc
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
                entry.name,
                entry.doc
            ),
            Some(trace),
            *differs_at,
        ),
        ReplayResult::Stale { reason, .. } => ("stale", 2, format!("stale: {reason}"), None, None),
    };
    let differs = differs_at.map(|k| {
        format!("from step {k} on, the trace lines or states differ from the saved ones: the model changed since the trace was saved")
    });
    let title = format!("smfcheck replay {file}: {} on {model_title}", entry.name);
    if format == Format::Text {
        outln!("{title}\n\n{message}");
        if let Some(t) = trace {
            out!("{}", report::render_trace(model, t));
        }
        if let Some(d) = &differs {
            outln!("note: {d}");
        }
        return code;
    }
    let path = trace.map(|t| json::trace_report(model, t));
    let mut notes = vec![json::Note {
        property: entry.name.to_string(),
        message,
        trace: if verdict == "holds" {
            path.clone()
        } else {
            None
        },
    }];
    if let Some(d) = differs {
        notes.push(json::Note {
            property: entry.name.to_string(),
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
        properties: vec![json::PropertyReport {
            name: entry.name.to_string(),
            kind: entry.kind.word().to_string(),
            section: entry.section.to_string(),
            doc: entry.doc.to_string(),
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
    use crate::explore::trace_picture;
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
    match a.model.build()? {
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
        Command::Generate(a) => crate::generate::run::run(a),
        Command::Replay(a) => run_replay(a),
        Command::Explore(a) => run_explore(a),
        Command::Properties => {
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
