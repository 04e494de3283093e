//! Campaigns as composition (thesis §2.8.2, §2.8.6; SMF's procedure and campaign FSMs as OpenSAF
//! implements them, docs/semantics.md §6): a campaign runs its procedures by ascending execution level
//! (equal levels in parallel), each procedure runs its steps in sequence through the step core, and
//! the campaign reacts to what the procedures report. See [`model`].

pub mod actions;
pub mod coverage;
pub mod im;
pub mod model;
pub mod packed;
pub mod plan;
pub mod symmetry;
pub mod target;

use crate::error::Error;
use crate::system::config::SystemConfig;
use crate::xml::campaign::Campaign;
use crate::xml::imm::{Imm, ImmFile, merge};

/// The system a campaign is explored on: the configuration files merged with what the campaign
/// creates (indexed up front, absent until an addition brings it up), with every sponsor the
/// campaign's CCBs name made a sponsor ([`plan::widen_sponsors`]).
pub fn system_for(
    campaign: &Campaign,
    mut files: Vec<ImmFile>,
) -> Result<(Imm, SystemConfig), Error> {
    let source = std::sync::Arc::new(merge(&files)?);
    files.push(plan::created_objects(campaign));
    let merged = merge(&files)?;
    let mut cfg = SystemConfig::from_imm(&merged)?;
    cfg.source_imm = crate::system::config::SourceImm(Some(source));
    plan::widen_sponsors(campaign, &mut cfg);
    Ok((merged, cfg))
}
