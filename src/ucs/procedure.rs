//! An upgrade procedure (UCS `upgradeProcedure`, thesis §2.8.4): its acceptable service outage,
//! its upgrade method — a rolling upgrade over a node template, or a single step whose several
//! scope/step pairs are the thesis's embedded step (§4.1.3, Fig. 7.9) — and the scopes that say
//! which entities a step takes down, removes, adds and modifies, and which software it swaps.

use super::{BundleRef, CustomAction, ImmAttribute, ImmCreate, ModifyKind, StepSpec};
use crate::step::table::StepType;

/// An upgrade procedure.
#[derive(Clone, Debug, PartialEq)]
pub struct Procedure {
    /// `safSmfProcedure`, e.g. `safSmfProc=RollingCompFromType_CompRestart_2`.
    pub name: String,
    /// `saSmfExecLevel` (XSD default 0).
    pub exec_level: u32,
    pub outage: Outage,
    /// `procedurePeriod/@saSmfProcPeriod`.
    pub period: i64,
    pub init_actions: Vec<CustomAction>,
    pub method: Method,
    pub wrapup_actions: Vec<CustomAction>,
    pub line: usize,
}

impl Procedure {
    /// The types of its step shape: one for a rolling upgrade and for a single step, one per
    /// nested step (outermost first) for an embedded step.
    pub fn step_types(&self) -> Vec<StepType> {
        self.method.steps().map(StepSpec::step_type).collect()
    }
}

/// `outageInfo/acceptableServiceOutage`.
#[derive(Clone, Debug, PartialEq)]
pub enum Outage {
    /// `all`: every SI may go unassigned.
    All,
    /// `none`: no SI may go unassigned.
    None,
    /// The third alternative: at most `max` SIs unassigned (unbounded if absent), and the SIs
    /// named in one of the two lists.
    Limited { max: Option<u64>, sis: SiConstraint },
}

#[derive(Clone, Debug, PartialEq)]
pub enum SiConstraint {
    Unrestricted,
    /// `mayGoUnassignedSI`: only these SIs may lose their assignment.
    MayGoUnassigned(Vec<String>),
    /// `mustKeepAssignedSI`: these SIs must keep theirs.
    MustKeepAssigned(Vec<String>),
}

/// `upgradeMethod`.
#[derive(Clone, Debug, PartialEq)]
pub enum Method {
    /// One step per deactivation/activation unit pair, sequentially.
    Rolling {
        scope: ByTemplate,
        step: StepSpec,
        /// `saSmfProcDisableSimultanExec` (XSD default 1).
        disable_simultaneous_exec: bool,
    },
    /// One step. Several pairs are the thesis's embedded step, outermost layer first.
    SingleStep {
        scopes_and_steps: Vec<(Scope, StepSpec)>,
    },
}

impl Method {
    pub fn steps(&self) -> impl Iterator<Item = &StepSpec> {
        let (one, many) = match self {
            Method::Rolling { step, .. } => (Some(step), &[][..]),
            Method::SingleStep { scopes_and_steps } => (None, &scopes_and_steps[..]),
        };
        one.into_iter().chain(many.iter().map(|(_, s)| s))
    }

    /// A single step with more than one nested step (§4.1.3).
    pub fn is_embedded(&self) -> bool {
        matches!(self, Method::SingleStep { scopes_and_steps } if scopes_and_steps.len() > 1)
    }
}

/// The scope of a rolling upgrade (`upgradeScope/byTemplate`).
#[derive(Clone, Debug, PartialEq)]
pub struct ByTemplate {
    /// `targetNodeTemplate/@objectDN`: the node, node group or cluster rolled over.
    pub node_template: String,
    /// `activationUnitTemplate`: which entities on each node form the activation unit; empty
    /// means the node itself.
    pub activation_unit: Vec<Template>,
    pub sw_remove: Vec<BundleRef>,
    pub sw_add: Vec<BundleRef>,
    pub targets: Vec<TargetEntityTemplate>,
    pub line: usize,
}

/// The scope of one step of a single-step upgrade.
#[derive(Clone, Debug, PartialEq)]
pub enum Scope {
    AddRemove(AddRemove),
    Modify(ForModify),
}

/// `forAddRemove`.
#[derive(Clone, Debug, PartialEq)]
pub struct AddRemove {
    pub deactivation: Vec<Selector>,
    pub removed: Vec<Selector>,
    pub sw_remove: Vec<BundleRef>,
    pub activation: Vec<Selector>,
    pub added: Vec<ImmCreate>,
    pub sw_add: Vec<BundleRef>,
    pub line: usize,
}

/// `forModify`.
#[derive(Clone, Debug, PartialEq)]
pub struct ForModify {
    pub activation: Vec<Selector>,
    pub sw_remove: Vec<BundleRef>,
    pub sw_add: Vec<BundleRef>,
    pub targets: Vec<TargetEntityTemplate>,
    pub line: usize,
}

/// One entry of an entity list (`entityListT`).
#[derive(Clone, Debug, PartialEq)]
pub enum Selector {
    ByName(String),
    ByTemplate(Template),
}

/// One `parent?` `type?` group of an `entityTemplateT`.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Template {
    pub parent: Option<String>,
    pub type_dn: Option<String>,
}

/// `targetEntityTemplate`: the IM modifications of the reconfiguration phase.
#[derive(Clone, Debug, PartialEq)]
pub struct TargetEntityTemplate {
    pub parent: Option<String>,
    pub type_dn: Option<String>,
    pub modifications: Vec<Modification>,
}

/// `modifyOperation`.
#[derive(Clone, Debug, PartialEq)]
pub struct Modification {
    pub rdn: Option<String>,
    pub operation: ModifyKind,
    pub attributes: Vec<ImmAttribute>,
}
