//! From a spec ([`crate::spec`]) to a model: the one pipeline that `smfcheck fsm`, `check`,
//! `replay`, `graph`, `explore` and `generate` build their models with. A campaign goes
//! parse → system (the configuration with the campaign's created objects) → plan → model →
//! options; [`set_options`] is the one place that sets the options on a built campaign model,
//! and [`campaign_model`] the one place that sets its target.

use crate::campaign::model::CampaignModel;
use crate::campaign::plan::Plan;
use crate::campaign::target::TargetExpect;
use crate::error::Error;
use crate::spec::{CampaignOptions, CampaignSpec, ModelSpec, StepSpec};
use crate::step::fsm::Core;
use crate::step::model::StepModel;
use crate::system::config::SystemConfig;
use crate::xml::campaign::Campaign;
use crate::xml::imm::{self, Imm, ImmFile};

/// A model built from a [`ModelSpec`].
pub enum Built {
    Step(StepModel),
    Campaign(Box<CampaignModel>),
}

/// Build the model a spec names.
pub fn model(spec: &ModelSpec) -> Result<Built, Error> {
    Ok(match spec {
        ModelSpec::Step(s) => Built::Step(step(s)?),
        ModelSpec::Campaign(c) => Built::Campaign(Box::new(campaign(c)?)),
    })
}

/// The step model of a spec (checked first).
pub fn step(spec: &StepSpec) -> Result<StepModel, Error> {
    let valid = spec.validate()?;
    let mut m = StepModel::new(Core::new(valid.step, spec.max_retry, spec.semantics.into()));
    m.faults = spec.faults;
    m.max_reexec = spec.max_reexec;
    m.allow_rollback = spec.allow_rollback;
    m.base_type_change = valid.base_type_change;
    Ok(m)
}

/// Read the files of a spec (with [`crate::input`]'s checks) and build its campaign model. The
/// options are checked before anything is read.
pub fn campaign(spec: &CampaignSpec) -> Result<CampaignModel, Error> {
    spec.options.validate()?;
    let campaign = crate::input::campaign(&spec.campaign)?;
    let mut files = Vec::new();
    for f in spec.config.iter().chain(spec.compat.iter()) {
        files.push(crate::input::imm(f)?);
    }
    // The target is read with the compatibility entries, as the source is.
    let target = if spec.target.is_empty() {
        None
    } else {
        let mut t = Vec::new();
        for f in spec.target.iter().chain(spec.compat.iter()) {
            t.push(crate::input::imm(f)?);
        }
        Some((imm::merge(&files)?, imm::merge(&t)?))
    };
    campaign_model(
        &campaign,
        files,
        target.as_ref().map(|(s, t)| (s, t)),
        &spec.options,
    )
}

/// The campaign model of a parsed campaign on the configuration `config` (its IMM files,
/// compatibility included), judged against `target` = (the merged source, the merged target)
/// when given: `success-reaches-target` then means "the configuration after commit equals the
/// target".
pub fn campaign_model(
    campaign: &Campaign,
    config: Vec<ImmFile>,
    target: Option<(&Imm, &Imm)>,
    options: &CampaignOptions,
) -> Result<CampaignModel, Error> {
    options.validate()?;
    let (_, cfg) = crate::campaign::system_for(campaign, config)?;
    let plan = Plan::build(campaign, &cfg, options.plan_options())?;
    let mut model = CampaignModel::from_plan(&plan, &cfg)?;
    set_options(&mut model, options);
    if let (Some((source, target)), Some(sys)) = (target, model.system.as_mut()) {
        let tcfg = SystemConfig::from_imm(target)?;
        sys.target = Some(TargetExpect::build(&cfg, &plan, source, target, &tcfg));
    }
    Ok(model)
}

/// Set the options on a built campaign model: the fault budget, the administrator's bounds and
/// the availability rule (the plan already has the semantics and the default retries).
pub fn set_options(model: &mut CampaignModel, options: &CampaignOptions) {
    model.faults = options.faults;
    model.max_admin_retries = options.max_admin_retries;
    model.max_suspends = options.max_suspends;
    if let Some(sys) = model.system.as_mut() {
        sys.strict = options.strict_availability;
    }
}
