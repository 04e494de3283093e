//! An upgrade step (UCS `upgradeStep`) and what decides its step type: a thesis marker
//! attribute (in-phase §4.1.2, locked reduced §4.1.1), else the entities it acts on — a
//! restartable step on components is reduced, any other SMF's normal out-of-phase step
//! (§2.8.1.2, docs/semantics.md §6). The kind of entity a DN or a template selects is derived
//! here for that reason.
//!
//! [`StepCount`] and [`ActionPoint`] are read by serde straight from their UCS enumerations
//! (their only spelling), so they carry the schema's names.

use super::{Callback, Selector, Template};
use crate::step::table::StepType;
use crate::xml::imm::rdns;
use serde::Deserialize;

/// `upgradeStep`, with what decides its step type.
#[derive(Clone, Debug, PartialEq)]
pub struct StepSpec {
    /// `saSmfStepRestartOption="1"` (XSD default 0).
    pub restart_option: bool,
    /// `saSmfStepMaxRetry` as written: `None` when absent, because the XSD default (1) and
    /// OpenSAF's (0) differ and the caller decides.
    pub max_retry: Option<u32>,
    /// The step type named by a thesis marker attribute, if any.
    pub marker: Option<StepType>,
    /// What the step's units are, from its scope.
    pub acts_on: Units,
    pub callbacks: Vec<StepCallback>,
    pub line: usize,
}

impl StepSpec {
    /// The step type: the marker's if there is one (§4.1.1, §4.1.2), else reduced for a
    /// restartable step on components and out-of-phase otherwise (docs/semantics.md §6, §2.8.1.2).
    pub fn step_type(&self) -> StepType {
        match self.marker {
            Some(t) => t,
            None if self.restart_option
                && self.acts_on == Units::Uniform(EntityKind::Component) =>
            {
                StepType::Reduced
            }
            None => StepType::OutOfPhase,
        }
    }
}

/// A step callback: `customizationTime`/`atAction` followed by `callback`.
#[derive(Clone, Debug, PartialEq)]
pub struct StepCallback {
    /// `customizationTime/onStep` (rolling upgrades only).
    pub on_step: Option<StepCount>,
    pub at: ActionPoint,
    pub callback: Callback,
}

/// `StepCountT`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
pub enum StepCount {
    #[serde(rename = "onEveryStep")]
    EveryStep,
    #[serde(rename = "onFirstStep")]
    FirstStep,
    #[serde(rename = "onLastStep")]
    LastStep,
    #[serde(rename = "halfWay")]
    HalfWay,
}

/// `ActionCountT`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
pub enum ActionPoint {
    #[serde(rename = "beforeLock")]
    BeforeLock,
    #[serde(rename = "beforeTermination")]
    BeforeTermination,
    #[serde(rename = "afterImmModification")]
    AfterImmModification,
    #[serde(rename = "afterInstantiation")]
    AfterInstantiation,
    #[serde(rename = "afterUnlock")]
    AfterUnlock,
}

/// What kind of AMF/PLM entity a DN or a template selects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntityKind {
    Component,
    ServiceUnit,
    ServiceGroup,
    Application,
    Node,
    NodeGroup,
    Cluster,
    ExecEnv,
    Other,
}

/// What a step acts on (its activation and deactivation units).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Units {
    /// No acted-on entities (e.g. a software-only step).
    Nothing,
    Uniform(EntityKind),
    Mixed,
}

impl Units {
    fn join(self, kind: EntityKind) -> Units {
        match self {
            Units::Nothing => Units::Uniform(kind),
            Units::Uniform(k) if k == kind => self,
            _ => Units::Mixed,
        }
    }
}

/// The attribute name of a DN's first RDN (`safComp` for `safComp=A,safSu=B`).
fn first_rdn_attr(dn: &str) -> &str {
    rdns(dn)
        .first()
        .and_then(|r| r.split('=').next())
        .unwrap_or("")
}

/// The kind of the entity a DN names.
pub fn kind_of_dn(dn: &str) -> EntityKind {
    match first_rdn_attr(dn) {
        "safComp" => EntityKind::Component,
        "safSu" => EntityKind::ServiceUnit,
        "safSg" => EntityKind::ServiceGroup,
        "safApp" => EntityKind::Application,
        "safAmfNode" => EntityKind::Node,
        "safAmfNodeGroup" => EntityKind::NodeGroup,
        "safAmfCluster" => EntityKind::Cluster,
        "safEE" => EntityKind::ExecEnv,
        _ => EntityKind::Other,
    }
}

/// The kind of the entities a template selects: those of its type (a component type selects
/// components, an SU type SUs), else the children of its parent (an SU's children are
/// components, an SG's are SUs, an application's are SGs).
pub fn kind_of_template(t: &Template) -> EntityKind {
    if let Some(type_dn) = &t.type_dn {
        let attrs: Vec<&str> = rdns(type_dn)
            .iter()
            .filter_map(|r| r.split('=').next())
            .collect();
        if attrs.contains(&"safCompType") {
            EntityKind::Component
        } else if attrs.contains(&"safSuType") {
            EntityKind::ServiceUnit
        } else {
            EntityKind::Other
        }
    } else if let Some(parent) = &t.parent {
        match kind_of_dn(parent) {
            EntityKind::ServiceUnit => EntityKind::Component,
            EntityKind::ServiceGroup => EntityKind::ServiceUnit,
            EntityKind::Application => EntityKind::ServiceGroup,
            _ => EntityKind::Other,
        }
    } else {
        EntityKind::Other
    }
}

/// The units of a rolling step: with no activation-unit template the unit is the node itself
/// (SMF spec; OpenSAF builds node units then).
pub(crate) fn units_of_templates(ts: &[Template]) -> Units {
    if ts.is_empty() {
        return Units::Uniform(EntityKind::Node);
    }
    ts.iter()
        .fold(Units::Nothing, |u, t| u.join(kind_of_template(t)))
}

pub(crate) fn units_of_selectors<'a>(sels: impl Iterator<Item = &'a Selector>) -> Units {
    sels.fold(Units::Nothing, |u, s| {
        u.join(match s {
            Selector::ByName(dn) => kind_of_dn(dn),
            Selector::ByTemplate(t) => kind_of_template(t),
        })
    })
}
