//! The command line (clap derive stays in this file). Exit codes: 0 verified, 1 violated,
//! 2 bad input or usage, 3 inconclusive.

use crate::check::{Limits, explore, report};
use crate::error::Error;
use crate::model::StepModel;
use crate::properties;
use crate::step::embed::{EmbeddedStep, Purpose};
use crate::step::fsm::{Core, Semantics};
use crate::step::table::StepType;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

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
    after_help = "Exit codes: 0 every claim verified or witnessed, 1 a claim violated or a witness unreachable, 2 bad input or usage, 3 inconclusive (a limit cut the exploration short)."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check one (embedded) upgrade step under faults, retries, undo and rollback.
    Fsm(FsmArgs),
    /// Write the FSM of one nested step as Graphviz DOT (Fig. 2.6 for degree 1, Fig. 4.3/4.4 for
    /// a middle step of an embedded step).
    Graph(GraphArgs),
    /// Check an upgrade campaign (XML) on a configuration (IMM XML): availability, compatibility,
    /// migration, failure handling and rollback under injected faults.
    Check(CheckArgs),
    /// Generate an upgrade campaign from a source and a target configuration (thesis Chapter 6),
    /// verified on the source before it is written.
    Generate(crate::generate::run::GenerateArgs),
    /// List the registered properties.
    Properties,
}

#[derive(clap::Args, Debug)]
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
    /// Stop after this many unique states (inconclusive, exit 3).
    #[arg(long)]
    pub max_states: Option<usize>,
    /// Stop after this many seconds (inconclusive, exit 3).
    #[arg(long)]
    pub timeout: Option<u64>,
}

/// The claims `smfcheck check` selects when no property file is given.
const DEFAULT_CAMPAIGN_CLAIMS: &[&str] = &[
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

fn run_check(a: &CheckArgs) -> Result<u8, Error> {
    use crate::campaign::model::CampaignModel;
    use crate::campaign::plan::{Plan, PlanOptions};
    use crate::system::config::SystemConfig;
    use crate::xml::{campaign::parse_campaign, imm};
    if a.faults > 8 {
        return Err(usage(format!(
            "--faults {} is out of range 0..=8",
            a.faults
        )));
    }
    let campaign = parse_campaign(&a.campaign)?;
    let mut files = Vec::new();
    for f in a.config.iter().chain(a.compat.iter()) {
        files.push(imm::parse_imm(f)?);
    }
    let target = if a.target.is_empty() {
        None
    } else {
        let mut t = Vec::new();
        for f in a.target.iter().chain(a.compat.iter()) {
            t.push(imm::parse_imm(f)?);
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
    if let (Some((source, target)), Some(sys)) = (&target, model.system.as_mut()) {
        let tcfg = SystemConfig::from_imm(target)?;
        sys.target = Some(crate::campaign::target::TargetExpect::build(
            &cfg, &plan, source, target, &tcfg,
        ));
    }
    if let Some(sys) = model.system.as_mut() {
        sys.strict = a.strict_availability;
    }
    let selection: Vec<String> = match &a.properties {
        Some(p) => properties::read_selection_from(p, &properties::campaign_names())?,
        None => DEFAULT_CAMPAIGN_CLAIMS
            .iter()
            .map(|s| s.to_string())
            .collect(),
    };
    let entries: Vec<_> = properties::campaign_registry()
        .into_iter()
        .filter(|e| selection.iter().any(|n| n == e.name))
        .collect();
    let claims: Vec<_> = entries.iter().map(|e| (e.build)(&model)).collect();
    let limits = Limits {
        max_states: a.max_states,
        timeout: a.timeout.map(Duration::from_secs),
    };
    let outcome = explore(&model, &claims, &limits);
    let title = format!(
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
    );
    print!("{}", report::render(&model, &title, &entries, &outcome));
    // The XSD lets a procedure accept an outage; an accepted outage is still worth knowing about,
    // so when availability holds only thanks to an allowance, show the shortest such outage.
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
        let o = explore(&model, &strict, &limits);
        if let Some(t) = o.results.first().and_then(|r| r.trace.as_ref()) {
            println!(
                "\nnote: an outage the campaign declares acceptable (outageInfo/acceptableServiceOutage) happens; shortest ({} steps):",
                t.len()
            );
            print!("{}", report::render_trace(&model, t));
        }
    }
    Ok(outcome.exit_code())
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SemanticsArg {
    /// Undo = Table 2.1 reverses of the executed actions, phase-wise for nested steps (§2.8.4, §4.2).
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
    /// Layer L (1-based) changes base type (repeatable, or comma-separated); layer L−1's
    /// software must then be (un)installed on the matching generation of layer L.
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
}

#[derive(clap::Args, Debug)]
pub struct GraphArgs {
    #[command(flatten)]
    pub step: StepArgs,
    /// Which nested step to draw (1-based; default: 2 if the degree is at least 3, else 1).
    #[arg(long)]
    pub nested: Option<usize>,
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
        if l < 2 || l as usize > n {
            return Err(usage(format!(
                "--base-type-change {l} is out of range 2..={n}: layer L must have a layer L−1 above it in the step"
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

fn run_fsm(a: &FsmArgs) -> Result<u8, Error> {
    let model = build_model(&a.step)?;
    let selection = match &a.properties {
        Some(p) => Some(properties::read_selection(p)?),
        None => None,
    };
    let pairs = properties::step_claims(&model, selection.as_deref());
    let (entries, claims): (Vec<_>, Vec<_>) = pairs.into_iter().unzip();
    let limits = Limits {
        max_states: a.max_states,
        timeout: a.timeout.map(Duration::from_secs),
    };
    let outcome = explore(&model, &claims, &limits);
    print!(
        "{}",
        report::render(&model, &title(&model), &entries, &outcome)
    );
    Ok(outcome.exit_code())
}

fn run_graph(a: &GraphArgs) -> Result<u8, Error> {
    let model = build_model(&a.step)?;
    let n = model.degree();
    let k = a.nested.unwrap_or(if n >= 3 { 2 } else { 1 });
    if k == 0 || k > n {
        return Err(usage(format!("--nested {k} is out of range 1..={n}")));
    }
    print!("{}", crate::graph::dot(&model, k - 1));
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
        Command::Properties => {
            for e in properties::step_registry() {
                println!(
                    "{:<34} {:<17} {:<40} {}",
                    e.name,
                    e.kind.word(),
                    e.section,
                    e.doc
                );
            }
            Ok(0)
        }
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
