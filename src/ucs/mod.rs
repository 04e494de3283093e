//! The SMF Upgrade Campaign Specification (UCS, the schema of an upgrade-campaign document:
//! thesis §2.8.4, with the thesis's extensions of §4.1 and Fig. 7.9) as domain types: what a
//! campaign says — its initialization, procedures, steps, custom actions and wrap-up — apart
//! from how the XML spells it. [`crate::xml::campaign`] reads a document into these types (and
//! re-exports them under its own path); the campaign model, the checker and the properties work
//! on them.
//!
//! * `campaign.rs` — the campaign, its initialization and wrap-up, the bundles it adds and
//!   removes;
//! * `action.rs` — custom actions (`actionT`): administrative operations, IMM CCBs, CLI
//!   commands, callbacks;
//! * `procedure.rs` — procedures, their outage allowance, upgrade methods and scopes;
//! * `step.rs` — an upgrade step and what decides its step type (the entities it acts on).

mod action;
mod campaign;
mod procedure;
mod step;

pub use action::{
    AdminOperation, AdminParam, Callback, Ccb, CcbOp, Cli, CustomAction, CustomActionKind, ExecEnv,
    ImmAttribute, ImmCreate, ImmModify, ModifyKind, ValueType,
};
pub use campaign::{
    Bundle, BundleRef, Campaign, ComponentType, Initialization, OfflineCli, SgTypeDef, Wrapup,
};
pub use procedure::{
    AddRemove, ByTemplate, ForModify, Method, Modification, Outage, Procedure, Scope, Selector,
    SiConstraint, TargetEntityTemplate, Template,
};
pub use step::{
    ActionPoint, EntityKind, StepCallback, StepCount, StepSpec, Units, kind_of_dn, kind_of_template,
};
pub(crate) use step::{units_of_selectors, units_of_templates};
