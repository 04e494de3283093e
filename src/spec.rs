//! The options that define a model, as serde types: a step model ([`StepSpec`], what `smfcheck
//! fsm` builds) or a campaign on a configuration ([`CampaignSpec`], what `smfcheck check`
//! builds), and the limits of a run ([`LimitSpec`]). The command line fills them
//! (src/cli/convert.rs), a saved trace stores the model's ([`ModelSpec`], schema
//! `smfcheck-trace/2`), and [`crate::load`] builds the model from them. Every value is checked
//! in one place, [`StepSpec::validate`] and [`CampaignOptions::validate`], which the loader
//! calls: a spec read from an untrusted trace gets the checks a command line gets.
//!
//! The option names of the undo semantics and of a step's purpose are defined here once, for
//! clap (`--semantics thesis`) and serde (`"semantics": "thesis"`) alike.

use crate::campaign::plan::PlanOptions;
use crate::check::Limits;
use crate::error::Error;
use crate::step::embed::{EmbeddedStep, Purpose};
use crate::step::fsm::Semantics;
use crate::step::table::StepType;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The largest fault budget: each fault multiplies the state space, and a byte counts them.
pub const MAX_FAULTS: u8 = 8;
/// The largest `saSmfStepMaxRetry` a step model takes.
pub const MAX_RETRY: u8 = 5;
/// The largest number of re-executions, administrator retries or suspensions.
pub const MAX_ADMIN: u8 = 3;

/// How an upgrade step is undone, as options and traces name it.
#[derive(
    Serialize, Deserialize, clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Hash, Default,
)]
#[serde(rename_all = "lowercase")]
pub enum SemanticsName {
    /// Undo = Table 2.1 reverses of the executed actions, phase-wise for nested steps (§2.8.4,
    /// §4.2).
    #[default]
    Thesis,
    /// Undo = the whole rollback list; undoing a rollback = the forward list (OpenSAF smfd).
    Opensaf,
}

impl From<SemanticsName> for Semantics {
    fn from(s: SemanticsName) -> Semantics {
        match s {
            SemanticsName::Thesis => Semantics::Thesis,
            SemanticsName::Opensaf => Semantics::OpenSaf,
        }
    }
}

/// What an embedded step does, as options and traces name it.
#[derive(
    Serialize, Deserialize, clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Hash, Default,
)]
#[serde(rename_all = "lowercase")]
pub enum PurposeName {
    #[default]
    Upgrade,
    Addition,
    Removal,
}

impl From<PurposeName> for Purpose {
    fn from(p: PurposeName) -> Purpose {
        match p {
            PurposeName::Upgrade => Purpose::Upgrade,
            PurposeName::Addition => Purpose::Addition,
            PurposeName::Removal => Purpose::Removal,
        }
    }
}

/// One (embedded) upgrade step with its environment: the model of `smfcheck fsm`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct StepSpec {
    /// Nested step types, outermost (layer 1) first: `out-of-phase`, `reduced`,
    /// `locked-reduced`, `in-phase`.
    pub step: Vec<String>,
    /// How many actions (forward, undo, rollback) may fail in one run (0..=8).
    pub faults: u8,
    /// saSmfStepMaxRetry: retries after an undo (0..=5).
    pub max_retry: u8,
    /// How often the administrator may re-execute an Undone step (0..=3).
    pub max_reexec: u8,
    /// Whether the administrator may roll back a completed step.
    pub allow_rollback: bool,
    /// The layers (1-based) that change base type.
    pub base_type_change: Vec<u8>,
    pub semantics: SemanticsName,
    pub purpose: PurposeName,
}

impl Default for StepSpec {
    /// The defaults of `smfcheck fsm` (a step list must still be given).
    fn default() -> Self {
        StepSpec {
            step: Vec::new(),
            faults: 2,
            max_retry: 1,
            max_reexec: 1,
            allow_rollback: true,
            base_type_change: Vec::new(),
            semantics: SemanticsName::Thesis,
            purpose: PurposeName::Upgrade,
        }
    }
}

/// A checked [`StepSpec`]: the embedded step and the layers that change base type as a mask
/// (bit L−1 for layer L).
pub struct ValidStep {
    pub step: EmbeddedStep,
    pub base_type_change: u8,
}

impl StepSpec {
    /// Check every value, in the order the command line always has: the step types, the rules
    /// of embedding, then the numbers.
    pub fn validate(&self) -> Result<ValidStep, Error> {
        let types = self
            .step
            .iter()
            .map(|s| {
                s.parse::<StepType>()
                    .map_err(|e| usage(format!("--step: {e}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let step = EmbeddedStep::new(types, self.purpose.into())?;
        check_faults(self.faults)?;
        in_range("--max-retry", self.max_retry, MAX_RETRY)?;
        in_range("--max-reexec", self.max_reexec, MAX_ADMIN)?;
        let n = step.degree();
        let mut mask = 0u8;
        for &l in &self.base_type_change {
            if l < 1 || l as usize > n {
                return Err(usage(format!(
                    "--base-type-change {l} is out of range 1..={n} (the layers of the step)"
                )));
            }
            mask |= 1 << (l - 1);
        }
        Ok(ValidStep {
            step,
            base_type_change: mask,
        })
    }
}

/// An upgrade campaign on a configuration: the model of `smfcheck check`. Paths are as given
/// (relative to the working directory), or in a saved trace relative to the trace's directory.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
#[serde(deny_unknown_fields)]
pub struct CampaignSpec {
    /// The upgrade-campaign XML.
    pub campaign: PathBuf,
    /// IMM configuration files, merged as immcfg would.
    pub config: Vec<PathBuf>,
    /// Layer compatibility (IMM XML with SmfcheckCompatibility objects).
    pub compat: Option<PathBuf>,
    /// The target configuration (IMM XML): success-reaches-target then compares with it.
    pub target: Vec<PathBuf>,
    pub options: CampaignOptions,
}

impl CampaignSpec {
    /// The files the model reads, each with the option that names it (`campaign` for the
    /// campaign itself).
    pub fn inputs(&self) -> Vec<(&'static str, &Path)> {
        let mut v: Vec<(&'static str, &Path)> = vec![("campaign", self.campaign.as_path())];
        v.extend(self.config.iter().map(|p| ("--config", p.as_path())));
        v.extend(self.compat.iter().map(|p| ("--compat", p.as_path())));
        v.extend(self.target.iter().map(|p| ("--target", p.as_path())));
        v
    }

    /// The same spec with every input path mapped by `f` (a saved trace's paths are relative
    /// to the trace).
    pub fn with_paths(&self, f: impl Fn(&Path) -> PathBuf) -> CampaignSpec {
        CampaignSpec {
            campaign: f(&self.campaign),
            config: self.config.iter().map(|p| f(p)).collect(),
            compat: self.compat.as_deref().map(&f),
            target: self.target.iter().map(|p| f(p)).collect(),
            options: self.options.clone(),
        }
    }
}

/// The options of a campaign model beyond its files (also those of `smfcheck generate`'s
/// verification, which has its campaign in memory).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct CampaignOptions {
    pub semantics: SemanticsName,
    /// Fault budget over the whole campaign (0..=8).
    pub faults: u8,
    /// saSmfStepMaxRetry when a step does not set it: the XSD's 1, or OpenSAF's 0 (more is
    /// taken as 5, the most a step model takes).
    pub default_max_retry: u8,
    /// How often the administrator may Execute again after an error (0..=3).
    pub max_admin_retries: u8,
    /// How often the administrator may suspend the execution or the rollback (0..=3).
    pub max_suspends: u8,
    /// Report every outage, ignoring the procedures' acceptableServiceOutage.
    pub strict_availability: bool,
}

impl Default for CampaignOptions {
    /// The defaults of `smfcheck check`.
    fn default() -> Self {
        CampaignOptions {
            semantics: SemanticsName::Thesis,
            faults: 1,
            default_max_retry: 1,
            max_admin_retries: 1,
            max_suspends: 0,
            strict_availability: false,
        }
    }
}

impl CampaignOptions {
    /// Check every value.
    pub fn validate(&self) -> Result<(), Error> {
        check_faults(self.faults)?;
        in_range("--max-admin-retries", self.max_admin_retries, MAX_ADMIN)?;
        in_range("--max-suspends", self.max_suspends, MAX_ADMIN)
    }

    /// How the plan reads the campaign.
    pub fn plan_options(&self) -> PlanOptions {
        PlanOptions {
            semantics: self.semantics.into(),
            default_max_retry: self.default_max_retry.min(MAX_RETRY),
        }
    }
}

/// The model of a saved trace: a step or a campaign. Serialized as the spec alone (the trace's
/// `command` says which).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(untagged)]
pub enum ModelSpec {
    Step(StepSpec),
    Campaign(CampaignSpec),
}

impl ModelSpec {
    /// The subcommand that builds this model: `fsm` or `check`.
    pub fn command(&self) -> &'static str {
        match self {
            ModelSpec::Step(_) => "fsm",
            ModelSpec::Campaign(_) => "check",
        }
    }
}

/// The limits of a run: unique states, seconds, resident memory in bytes.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(deny_unknown_fields)]
pub struct LimitSpec {
    pub max_states: Option<usize>,
    pub timeout: Option<u64>,
    pub max_memory: Option<u64>,
}

impl LimitSpec {
    /// The explorer's limits. Without a memory limit the run may use
    /// [`crate::check::DEFAULT_MEMORY_PERCENT`] % of physical memory (or of the cgroup's
    /// limit), so that a state space too large for the machine ends as inconclusive (exit 3)
    /// rather than in the OOM killer.
    pub fn limits(&self) -> Limits {
        let (max_memory, memory_is_default) = match self.max_memory {
            Some(m) => (Some(m), false),
            None => (crate::check::default_max_memory(), true),
        };
        Limits {
            max_states: self.max_states,
            timeout: self.timeout.map(Duration::from_secs),
            max_memory,
            memory_is_default,
            capacity: None,
        }
    }
}

fn usage(msg: String) -> Error {
    Error::Usage(msg)
}

fn check_faults(faults: u8) -> Result<(), Error> {
    in_range("--faults", faults, MAX_FAULTS)
}

fn in_range(option: &str, value: u8, max: u8) -> Result<(), Error> {
    if value > max {
        return Err(usage(format!("{option} {value} is out of range 0..={max}")));
    }
    Ok(())
}
