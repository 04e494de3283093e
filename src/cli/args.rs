//! The command line as clap definitions, and nothing else: every subcommand, option, help text
//! and example is here; src/cli/convert.rs turns the parsed arguments into specs and limits,
//! src/cli/run.rs runs them. `smfcheck completions` and `smfcheck man` are generated from these
//! definitions, so what is declared here is what the shell and the manual know.

use crate::spec::{PurposeName, SemanticsName};
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// The exit-code text, as a literal so that it can be joined with each subcommand's example.
macro_rules! exit_codes {
    () => {
        "Exit codes:
  0  every claim verified (or witnessed) by an exhaustive exploration
     (replay: the saved path is followed and the claim now holds on it)
  1  a claim violated, or a reachability claim unreachable
     (replay: the saved trace is still a counterexample)
  2  bad input or usage (replay: the trace is stale or unreadable)
  3  inconclusive: --max-states, --max-memory or --timeout cut the exploration short;
     nothing is reported verified"
    };
}

/// The exit codes, as `--help` of every subcommand that checks states them.
pub const EXIT_CODES: &str = exit_codes!();

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
    #[command(after_help = concat!(
        exit_codes!(),
        "\n\nExample (the §4.1.2 counterexample, saved for `smfcheck replay`):\n  \
         smfcheck fsm --step out-of-phase,in-phase --base-type-change 2 --trace-out cex.json"
    ))]
    Fsm(FsmArgs),
    /// Draw the FSM of one nested step (Fig. 2.6 for degree 1, Fig. 4.3/4.4 for a middle step of
    /// an embedded step) or a campaign's procedure/step structure, as Graphviz DOT or Mermaid; or
    /// a saved trace as a Mermaid sequence diagram.
    #[command(after_help = "Example (Fig. 2.6, the standard step FSM):\n  \
         smfcheck graph --step in-phase | dot -Tsvg > fig-2.6.svg")]
    Graph(GraphArgs),
    /// Check an upgrade campaign (XML) on a configuration (IMM XML): availability, compatibility,
    /// migration, failure handling and rollback under injected faults.
    #[command(after_help = concat!(
        exit_codes!(),
        "\n\nExample (the thesis case study, from the repository's models/):\n  \
         smfcheck check thesis-case-study/expected-campaign.xml \
         --config thesis-case-study/source.xml --compat thesis-case-study/compat.xml"
    ))]
    Check(CheckArgs),
    /// Generate an upgrade campaign from a source and a target configuration (thesis Chapter 6),
    /// verified on the source before it is written.
    #[command(after_help = "The limits bound the verification.\n\n\
         Example (the thesis case study, in models/thesis-case-study/):\n  \
         smfcheck generate --source source.xml --target target.xml --compat compat.xml \
         -o campaign.xml")]
    Generate(GenerateArgs),
    /// List the registered properties.
    #[command(after_help = "Example:\n  smfcheck properties | grep campaign")]
    Properties,
    /// Follow a trace saved by `--trace-out` on the current model and say whether it is still a
    /// counterexample, now holds, or is stale (no longer a path of the model).
    #[command(after_help = concat!(
        exit_codes!(),
        "\n\nExample:\n  smfcheck replay cex.json --format json"
    ))]
    Replay(ReplayArgs),
    /// Serve the stateright Explorer on 127.0.0.1 to browse a step or campaign model (and open a
    /// saved counterexample); for browsing only, verdicts come from `fsm` / `check`.
    #[command(
        after_help = "Example (open a saved counterexample at http://127.0.0.1:3000/):\n  \
         smfcheck explore --trace cex.json"
    )]
    Explore(ExploreArgs),
    /// Combine the JSON reports of `check --shard I/N` (I = 1..N) into one: a property is
    /// violated (witnessed) when it is in some shard, with the shortest trace among them.
    #[command(after_help = concat!(
        exit_codes!(),
        "\n\nEach shard, e.g. one CI job each (I = 1, 2, 3):\n  \
         smfcheck check c.xml --config cluster.xml --shard I/3 --format json > sI.json\n\n\
         Example (the merge):\n  \
         smfcheck merge s1.json s2.json s3.json"
    ))]
    Merge(MergeArgs),
    /// Print a shell completion script, generated from these options.
    #[command(after_help = "Example (bash):\n  \
         smfcheck completions bash > /etc/bash_completion.d/smfcheck")]
    Completions(CompletionsArgs),
    /// Print the manual page (roff) of smfcheck, or of one of its subcommands.
    #[command(after_help = "Example:\n  smfcheck man check | man -l -")]
    Man(ManArgs),
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

/// The limits of an exploration, shared by `fsm`, `check` and `generate` (its verification).
#[derive(clap::Args, Debug, Default, Clone, Copy)]
pub struct LimitArgs {
    /// Stop after this many unique states (inconclusive, exit 3).
    #[arg(long)]
    pub max_states: Option<usize>,
    /// Stop after this many seconds (inconclusive, exit 3).
    #[arg(long)]
    pub timeout: Option<u64>,
    /// Stop when the process's resident memory exceeds this size (512M, 2G, …; binary units):
    /// inconclusive, exit 3. Default: 75 % of physical memory, or of the cgroup's memory limit
    /// if lower.
    #[arg(long, value_parser = parse_size)]
    pub max_memory: Option<u64>,
}

/// Output and progress, shared by `fsm` and `check`.
#[derive(clap::Args, Debug, Default)]
pub struct RunArgs {
    /// Report format on standard output.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Nothing on standard error but errors and warnings: no live progress line (drawn only
    /// when standard error is a terminal), no note that --trace-out saved a trace.
    #[arg(long, short)]
    pub quiet: bool,
    /// Save the counterexample of the first violated property (or of --trace-property) as JSON
    /// for `smfcheck replay`.
    #[arg(long)]
    pub trace_out: Option<PathBuf>,
    /// Which property's counterexample --trace-out saves.
    #[arg(long, requires = "trace_out")]
    pub trace_property: Option<String>,
}

/// `--shard I/N`: the I-th (1-based) of N parts.
pub fn parse_shard(s: &str) -> Result<(u32, u32), String> {
    let bad = || format!("`{s}` is not I/N with 1 ≤ I ≤ N ≤ 4096 (e.g. 2/3)");
    let (i, n) = s.split_once('/').ok_or_else(bad)?;
    let (i, n): (u32, u32) = (
        i.trim().parse().map_err(|_| bad())?,
        n.trim().parse().map_err(|_| bad())?,
    );
    if i == 0 || i > n || n > 4096 {
        return Err(bad());
    }
    Ok((i, n))
}

#[derive(clap::Args, Debug)]
pub struct MergeArgs {
    /// The JSON reports (`check --shard I/N --format json`) of every shard 1..N.
    #[arg(required = true)]
    pub reports: Vec<PathBuf>,
    /// Report format on standard output (text or json).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// `--max-memory` (a size in binary units); see [`crate::spec::LimitSpec::limits`] for its
/// default.
pub fn parse_size(s: &str) -> Result<u64, String> {
    crate::check::parse_bytes(s)
}

#[derive(clap::Args, Debug)]
pub struct ReplayArgs {
    /// A trace saved by `smfcheck fsm|check --trace-out`.
    pub file: PathBuf,
    /// Report format on standard output.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
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
    /// Explore only the I-th of N disjoint parts of the initial states (the placements of
    /// migratable VMs and of SUs AMF places), `I/N` with 1 ≤ I ≤ N ≤ 4096; `smfcheck merge`
    /// combines the N JSON reports into the verdict of the whole campaign.
    #[arg(long, value_parser = parse_shard)]
    pub shard: Option<(u32, u32)>,
    /// Explore every state: no symmetry and no partial-order reduction. By default,
    /// procedures of one execution level that are identical up to a renaming of their
    /// entities (proved on the model's tables) are explored once per arrangement, and a
    /// procedure's moves inside its step that touch nothing else are not interleaved with
    /// other procedures' moves; verdicts are the same either way, traces are concrete runs,
    /// only the state counts differ.
    #[arg(long)]
    pub no_reduction: bool,
    /// Keep symmetry reduction but explore every interleaving (no partial-order reduction).
    #[arg(long)]
    pub no_partial_order: bool,
    #[command(flatten)]
    pub limits: LimitArgs,
    #[command(flatten)]
    pub run: RunArgs,
}

/// The undo semantics as the command line names it (one definition with the spec's).
pub type SemanticsArg = SemanticsName;
/// What an embedded step does, as the command line names it.
pub type PurposeArg = PurposeName;

#[derive(clap::Args, Debug)]
pub struct StepArgs {
    /// Nested step types, outermost (layer 1) first: out-of-phase, reduced, locked-reduced,
    /// in-phase.
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
    /// A property-set file selecting registry entries (default: properties/default.props' set,
    /// every step property).
    #[arg(long)]
    pub properties: Option<PathBuf>,
    #[command(flatten)]
    pub limits: LimitArgs,
    #[command(flatten)]
    pub run: RunArgs,
}

#[derive(clap::Args, Debug)]
pub struct GenerateArgs {
    /// The source configuration (IMM XML; repeatable, merged).
    #[arg(long, required = true)]
    pub source: Vec<PathBuf>,
    /// The target configuration (IMM XML; repeatable, merged).
    #[arg(long, required = true)]
    pub target: Vec<PathBuf>,
    /// Layer compatibility (IMM XML with SmfcheckCompatibility objects), for both.
    #[arg(long)]
    pub compat: Option<PathBuf>,
    /// Where to write the campaign (nothing is written unless it verifies; `-` is standard
    /// output, the summary and report then go to standard error). The file is written whole or
    /// not at all (a temporary file renamed into place), and must not be one of the inputs.
    #[arg(short = 'o', long)]
    pub output: PathBuf,
    /// The campaign's name (`safSmfCampaign=NAME`).
    #[arg(long, default_value = "generated")]
    pub name: String,
    /// Write without verifying.
    #[arg(long)]
    pub no_verify: bool,
    /// Fault budget of the verification (0..=8).
    #[arg(long, default_value_t = 1)]
    pub faults: u8,
    #[command(flatten)]
    pub limits: LimitArgs,
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
    /// Draw this saved trace (smfcheck-trace/1 or /2) as a sequence diagram; without model
    /// arguments the model is rebuilt from the one the trace records.
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

/// `explore`'s limits bound the Explorer server, not a check: they are its own options.
#[derive(clap::Args, Debug)]
pub struct ExploreArgs {
    #[command(flatten)]
    pub model: ModelArgs,
    /// Port on 127.0.0.1 (0: any free port; the address is printed).
    #[arg(long, default_value_t = 3000)]
    pub port: u16,
    /// Open this saved counterexample (smfcheck-trace/1 or /2): its address in the Explorer is
    /// printed. Without model arguments the model is rebuilt from the one the trace records.
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

#[derive(clap::Args, Debug)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(clap::Args, Debug)]
pub struct ManArgs {
    /// A subcommand whose page to print (default: smfcheck's own, which lists them all).
    pub subcommand: Option<String>,
}
