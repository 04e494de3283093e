//! From parsed arguments (src/cli/args.rs) to specs (src/spec.rs) and limits: each conversion
//! once. The values are checked by the loader ([`crate::load`]), not here, so that a spec from
//! a saved trace is checked exactly as one from the command line.

use super::args::{CheckArgs, GenerateArgs, LimitArgs, ModelArgs, StepArgs};
use crate::error::Error;
use crate::generate::run::GenerateOptions;
use crate::spec::{CampaignOptions, CampaignSpec, LimitSpec, ModelSpec, PurposeName, StepSpec};

impl LimitArgs {
    pub fn spec(&self) -> LimitSpec {
        LimitSpec {
            max_states: self.max_states,
            timeout: self.timeout,
            max_memory: self.max_memory,
        }
    }
}

impl StepArgs {
    pub fn spec(&self) -> StepSpec {
        StepSpec {
            step: self.step.clone(),
            faults: self.faults,
            max_retry: self.max_retry,
            max_reexec: self.max_reexec,
            allow_rollback: !self.no_rollback,
            base_type_change: self.base_type_change.clone(),
            semantics: self.semantics,
            purpose: self.purpose,
        }
    }
}

impl CheckArgs {
    pub fn spec(&self) -> CampaignSpec {
        let defaults = CampaignOptions::default();
        CampaignSpec {
            campaign: self.campaign.clone(),
            config: self.config.clone(),
            compat: self.compat.clone(),
            target: self.target.clone(),
            options: CampaignOptions {
                semantics: self.semantics,
                faults: self.faults,
                default_max_retry: self.default_max_retry,
                max_admin_retries: self.max_admin_retries.unwrap_or(defaults.max_admin_retries),
                max_suspends: self.max_suspends.unwrap_or(defaults.max_suspends),
                strict_availability: self.strict_availability,
            },
        }
    }
}

impl GenerateArgs {
    pub fn options(&self) -> GenerateOptions {
        GenerateOptions {
            source: self.source.clone(),
            target: self.target.clone(),
            compat: self.compat.clone(),
            output: self.output.clone(),
            name: self.name.clone(),
            verify: !self.no_verify,
            faults: self.faults,
            limits: self.limits.spec(),
        }
    }
}

impl ModelArgs {
    /// Whether model arguments were given at all (else `--trace` names the model).
    pub fn given(&self) -> bool {
        self.campaign.is_some() || !self.step.is_empty()
    }

    /// The model these arguments name: a campaign or a step, never both, and no argument that
    /// the chosen model does not read (a mistake, not something to ignore).
    pub fn spec(&self) -> Result<ModelSpec, Error> {
        let step_only = self.max_retry != 1
            || self.max_reexec != 1
            || self.no_rollback
            || !self.base_type_change.is_empty()
            || self.purpose != PurposeName::Upgrade;
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
            (Some(c), true) => {
                let defaults = CampaignOptions::default();
                Ok(ModelSpec::Campaign(CampaignSpec {
                    campaign: c.clone(),
                    config: self.config.clone(),
                    compat: self.compat.clone(),
                    target: Vec::new(),
                    options: CampaignOptions {
                        semantics: self.semantics,
                        faults: self.faults.unwrap_or(defaults.faults),
                        default_max_retry: self.default_max_retry,
                        strict_availability: self.strict_availability,
                        ..defaults
                    },
                }))
            }
            (None, false) => Ok(ModelSpec::Step(StepSpec {
                step: self.step.clone(),
                faults: self.faults.unwrap_or(StepSpec::default().faults),
                max_retry: self.max_retry,
                max_reexec: self.max_reexec,
                allow_rollback: !self.no_rollback,
                base_type_change: self.base_type_change.clone(),
                semantics: self.semantics,
                purpose: self.purpose,
            })),
        }
    }
}

fn usage(msg: &str) -> Error {
    Error::Usage(msg.into())
}
