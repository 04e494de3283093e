//! The command line, kept thin: `args.rs` declares it (clap), `convert.rs` turns the parsed
//! arguments into specs ([`crate::spec`]) and limits, `run.rs` builds the model with
//! [`crate::load`], explores and reports. Exit codes: 0 verified, 1 violated, 2 bad input or
//! usage, 3 inconclusive.
//!
//! [`build_campaign`], [`build_model`] and [`DEFAULT_CAMPAIGN_CLAIMS`] are the entry points
//! that tests used before the spec and the loader existed; they go through the same pipeline.

mod args;
mod convert;
mod run;

pub use crate::load::Built;
pub use args::{
    CheckArgs, Cli, Command, CompletionsArgs, EXIT_CODES, ExploreArgs, Format, FsmArgs,
    GenerateArgs, GraphArgs, GraphFormat, LimitArgs, ManArgs, ModelArgs, PurposeArg, ReplayArgs,
    RunArgs, SemanticsArg, StepArgs, parse_size,
};
pub use run::main;

use crate::campaign::model::CampaignModel;
use crate::error::Error;
use crate::step::model::StepModel;
use std::sync::LazyLock;

/// Read, plan and build the campaign model of `check`'s arguments (claims and limits aside).
pub fn build_campaign(a: &CheckArgs) -> Result<CampaignModel, Error> {
    crate::load::campaign(&a.spec())
}

/// Check the step arguments and build their model.
pub fn build_model(a: &StepArgs) -> Result<StepModel, Error> {
    crate::load::step(&a.spec())
}

/// The claims `smfcheck check` selects when no property file is given: those of
/// `properties/campaign.props` ([`crate::claim_sets::campaign`], which reports rather than
/// panics when the set cannot be read).
pub static DEFAULT_CAMPAIGN_CLAIMS: LazyLock<&'static [&'static str]> = LazyLock::new(|| {
    crate::claim_sets::campaign().expect("the bundled properties/campaign.props reads")
});
