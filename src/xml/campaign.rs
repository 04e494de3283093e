//! SMF upgrade-campaign XML (the OpenSAF UCS schema `SAI-AIS-SMF-UCS-A.01.02_OpenSAF.xsd`) and
//! the thesis's extensions of it (§4.5, §7.2.4 Fig. 7.9), read in three passes:
//!
//! 1. [`Positions`] indexes the raw text and checks it against [`ucs_rule`], a transcription of
//!    the schema's content models, attributes and unique constraints. This pass is what rejects
//!    the two schema-invalid corpus campaigns for xmllint's reasons (character data in the empty
//!    `callback`; a duplicate `attribute` name under `create`), because serde skips whitespace,
//!    does not see the order between different elements and knows no lines.
//! 2. serde DTOs (module `dto`) mirror the schema element by element: `@attr` for attributes,
//!    `$value` where an xs:choice or an ordered mix of children must be kept, `#[serde(default)]`
//!    on repeated elements. Content the model does not use (most of `amfEntityTypes`) is checked
//!    by pass 1 and not mapped.
//! 3. Conversion into the domain types below ([`Campaign`], [`Procedure`], [`Method`],
//!    [`StepSpec`] …), which parses typed values and checks what the schema leaves to prose, each
//!    error citing `file:line` and the element. Conversion walks the DTOs and the index side by
//!    side (the k-th DTO child is the k-th element child), which is why it is a set of functions
//!    taking the index rather than `TryFrom` impls.
//!
//! Thesis extensions: `saSmfStepInPhaseStep="1"` on `upgradeStep` marks an in-phase step (§4.1.2,
//! Fig. 7.9); `saSmfStepLockedReducedStep="1"` marks a locked reduced step (§4.1.1; the thesis
//! names no attribute, this one is our equally explicit choice); a `singleStepUpgrade` holding
//! several `upgradeScope`/`upgradeStep` pairs is an embedded step, outermost layer first (§4.1.3,
//! Fig. 7.8/7.9). Without a marker a step is reduced when it acts on components and
//! `saSmfStepRestartOption="1"`, out-of-phase (SMF's normal step) otherwise (docs/semantics.md §6).

use super::imm::rdns;
use super::position::{
    Attr, AttrType, ElementId, Positions, Rule, Unique, opt, read_file, req, strip_bom,
};
use crate::error::Error;
use crate::step::table::StepType;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

// ---------------------------------------------------------------------------------------------
// Domain types
// ---------------------------------------------------------------------------------------------

/// A parsed upgrade campaign.
#[derive(Clone, Debug, PartialEq)]
pub struct Campaign {
    /// The file it was read from, as given (used in messages).
    pub file: String,
    /// `safSmfCampaign`, e.g. `safSmfCampaign=campaign_rolling_comp`.
    pub name: String,
    /// `campaignPeriod/@saSmfCmpgExpectedTime`.
    pub expected_time: Option<i64>,
    /// `configurationBase/@saSmfCmpgConfigBase`.
    pub config_base: Option<i64>,
    pub init: Initialization,
    /// In document order (not sorted by execution level).
    pub procedures: Vec<Procedure>,
    pub wrapup: Wrapup,
}

impl Campaign {
    /// The procedures grouped by execution level, lowest first: the procedures of one level
    /// run in parallel, the next level starts when all of them have finished (docs/semantics.md §6).
    pub fn levels(&self) -> Vec<(u32, Vec<&Procedure>)> {
        let mut by_level: BTreeMap<u32, Vec<&Procedure>> = BTreeMap::new();
        for p in &self.procedures {
            by_level.entry(p.exec_level).or_default().push(p);
        }
        by_level.into_iter().collect()
    }

    pub fn procedure(&self, name: &str) -> Option<&Procedure> {
        self.procedures.iter().find(|p| p.name == name)
    }
}

/// `campaignInitialization`.
#[derive(Clone, Debug, PartialEq)]
pub struct Initialization {
    /// `addToImm/softwareBundle`.
    pub bundles: Vec<Bundle>,
    /// DNs of the AMF entity types `addToImm/amfEntityTypes` adds, base types and versioned types
    /// in document order (`safCompType=A`, `safVersion=1,safCompType=A`, …).
    pub entity_types: Vec<String>,
    /// The component types among them, with what a step type depends on.
    pub component_types: Vec<ComponentType>,
    /// The SG types among them, with their redundancy model (what an SG the campaign creates
    /// needs).
    pub sg_types: Vec<SgTypeDef>,
    pub callbacks_at_init: Vec<Callback>,
    pub callbacks_at_backup: Vec<Callback>,
    pub callbacks_at_rollback: Vec<Callback>,
    pub actions: Vec<CustomAction>,
}

/// A software bundle added by the campaign.
#[derive(Clone, Debug, PartialEq)]
pub struct Bundle {
    pub dn: String,
    pub remove_offline: Option<OfflineCli>,
    pub remove_online: Option<Cli>,
    pub install_offline: Option<OfflineCli>,
    pub install_online: Option<Cli>,
    pub default_timeout: Option<i64>,
    pub line: usize,
}

/// An offline (un)installation script with the scope it takes offline
/// (`saSmfBundleInstallOfflineScope` / `saSmfBundleRemoveOfflineScope`).
#[derive(Clone, Debug, PartialEq)]
pub struct OfflineCli {
    pub cli: Cli,
    pub scope: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Cli {
    pub command: String,
    pub args: Option<String>,
}

/// A versioned component type added by the campaign.
#[derive(Clone, Debug, PartialEq)]
pub struct ComponentType {
    pub dn: String,
    /// `swBundle/@saAmfCtSwBundle`.
    pub bundle: Option<String>,
    /// `compTypeDefaults/@saAmfCtDefDisableRestart="1"`: AMF will not restart such components,
    /// so OpenSAF falls back from a reduced to a normal step for them.
    pub restart_disabled: bool,
    pub line: usize,
}

/// A versioned SG type added by the campaign (`SGType`).
#[derive(Clone, Debug, PartialEq)]
pub struct SgTypeDef {
    pub dn: String,
    /// `redundancy/@saAmfSgtRedundancyModel`, as written.
    pub redundancy: String,
    pub line: usize,
}

/// An SMF callback (`callbackOptionsT`).
#[derive(Clone, Debug, PartialEq)]
pub struct Callback {
    pub label: String,
    pub time: Option<i64>,
    pub string_to_pass: Option<String>,
    pub line: usize,
}

/// A custom action (`actionT`): campaign init/complete/wrap-up, procedure init/wrap-up.
#[derive(Clone, Debug, PartialEq)]
pub struct CustomAction {
    pub kind: CustomActionKind,
    pub line: usize,
}

/// The four alternatives of `actionT`.
#[derive(Clone, Debug, PartialEq)]
pub enum CustomActionKind {
    Admin {
        forward: AdminOperation,
        undo: AdminOperation,
    },
    Ccb(Ccb),
    Cli {
        forward: Cli,
        undo: Cli,
        exec_envs: Vec<ExecEnv>,
    },
    Callback(Callback),
}

#[derive(Clone, Debug, PartialEq)]
pub struct AdminOperation {
    pub object_dn: Option<String>,
    pub operation: Option<String>,
    pub params: Vec<AdminParam>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AdminParam {
    pub name: String,
    pub value_type: ValueType,
    pub value: String,
}

/// `immCCB`: IMM operations applied as one configuration change bundle.
#[derive(Clone, Debug, PartialEq)]
pub struct Ccb {
    pub flags: u64,
    pub ops: Vec<CcbOp>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum CcbOp {
    Create(ImmCreate),
    Delete { dn: String, line: usize },
    Modify(ImmModify),
}

/// An IMM object creation (`immCreateT`: `create`, `added`).
#[derive(Clone, Debug, PartialEq)]
pub struct ImmCreate {
    pub class: String,
    pub parent_dn: String,
    pub attributes: Vec<ImmAttribute>,
    pub line: usize,
}

/// An IMM modification of one object (`immCCB/modify`).
#[derive(Clone, Debug, PartialEq)]
pub struct ImmModify {
    pub dn: String,
    pub operation: ModifyKind,
    pub attributes: Vec<ImmAttribute>,
    pub line: usize,
}

/// An attribute with its values (`attribute`).
#[derive(Clone, Debug, PartialEq)]
pub struct ImmAttribute {
    pub name: String,
    pub value_type: ValueType,
    pub values: Vec<String>,
}

/// `SaImmValueTypeT`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueType {
    Int32,
    Uint32,
    Int64,
    Uint64,
    Time,
    Name,
    Float,
    Double,
    String,
    Any,
}

const VALUE_TYPES: [(&str, ValueType); 10] = [
    ("SA_IMM_ATTR_SAINT32T", ValueType::Int32),
    ("SA_IMM_ATTR_SAUINT32T", ValueType::Uint32),
    ("SA_IMM_ATTR_SAINT64T", ValueType::Int64),
    ("SA_IMM_ATTR_SAUINT64T", ValueType::Uint64),
    ("SA_IMM_ATTR_SATIMET", ValueType::Time),
    ("SA_IMM_ATTR_SANAMET", ValueType::Name),
    ("SA_IMM_ATTR_SAFLOATT", ValueType::Float),
    ("SA_IMM_ATTR_SADOUBLET", ValueType::Double),
    ("SA_IMM_ATTR_SASTRINGT", ValueType::String),
    ("SA_IMM_ATTR_SAANYT", ValueType::Any),
];

/// `modifyOperationT`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModifyKind {
    Add,
    Delete,
    Replace,
}

const MODIFY_KINDS: [(&str, ModifyKind); 3] = [
    ("SA_IMM_ATTR_VALUES_ADD", ModifyKind::Add),
    ("SA_IMM_ATTR_VALUES_DELETE", ModifyKind::Delete),
    ("SA_IMM_ATTR_VALUES_REPLACE", ModifyKind::Replace),
];

/// `plmExecEnv`: where a CLI command or a bundle operation runs.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ExecEnv {
    pub plm_ee: Option<String>,
    pub clm_node: Option<String>,
    pub amf_node: Option<String>,
}

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

/// `swAdd` / `swRemove` / `softwareBundleDN`.
#[derive(Clone, Debug, PartialEq)]
pub struct BundleRef {
    pub dn: String,
    pub pathname_prefix: Option<String>,
    pub exec_envs: Vec<ExecEnv>,
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

/// `campaignWrapup`.
#[derive(Clone, Debug, PartialEq)]
pub struct Wrapup {
    pub complete_actions: Vec<CustomAction>,
    /// `waitToCommit/@time` as written (XSD default 0).
    pub wait_to_commit: Option<i64>,
    pub callbacks_at_commit: Vec<Callback>,
    pub wrapup_actions: Vec<CustomAction>,
    /// `waitToAllowNewCampaign/@time` as written (XSD default 0).
    pub wait_to_allow_new_campaign: Option<i64>,
    /// `removeFromImm/amfEntityTypeDN`.
    pub remove_entity_types: Vec<String>,
    /// `removeFromImm/softwareBundleDN`.
    pub remove_bundles: Vec<BundleRef>,
}

// ---------------------------------------------------------------------------------------------
// Entry points
// ---------------------------------------------------------------------------------------------

/// Reads, checks and converts a campaign file.
pub fn parse_campaign(path: impl AsRef<Path>) -> Result<Campaign, Error> {
    let path = path.as_ref();
    let text = read_file(path)?;
    parse_campaign_str(&path.display().to_string(), &text)
}

/// As [`parse_campaign`], from text; `file` is the name used in messages.
pub fn parse_campaign_str(file: &str, text: &str) -> Result<Campaign, Error> {
    // The index and serde must see the same bytes (their offsets are compared).
    let text = strip_bom(text);
    let pos = Positions::parse(file, text)?;
    pos.check(ucs_rule)?;
    let mut de = quick_xml::de::Deserializer::from_str(text);
    let raw = dto::UpgradeCampaign::deserialize(&mut de)
        .map_err(|e| pos.de_error(&e, de.get_ref().get_ref().buffer_position()))?;
    Cx { pos: &pos }.campaign(raw)
}

// ---------------------------------------------------------------------------------------------
// The UCS schema as content-model rules (pass 1)
// ---------------------------------------------------------------------------------------------

use AttrType::{Long, NonNegativeInteger as Uint, SaName, String as Str};

const VALUE_TYPE_NAMES: AttrType = AttrType::Enum(
    "SaImmValueTypeT",
    &[
        "SA_IMM_ATTR_SAINT32T",
        "SA_IMM_ATTR_SAUINT32T",
        "SA_IMM_ATTR_SAINT64T",
        "SA_IMM_ATTR_SAUINT64T",
        "SA_IMM_ATTR_SATIMET",
        "SA_IMM_ATTR_SANAMET",
        "SA_IMM_ATTR_SAFLOATT",
        "SA_IMM_ATTR_SADOUBLET",
        "SA_IMM_ATTR_SASTRINGT",
        "SA_IMM_ATTR_SAANYT",
    ],
);

const MODIFY_OPERATION: AttrType = AttrType::Enum(
    "modifyOperationT",
    &[
        "SA_IMM_ATTR_VALUES_ADD",
        "SA_IMM_ATTR_VALUES_DELETE",
        "SA_IMM_ATTR_VALUES_REPLACE",
    ],
);

/// `adminOperationIdT`: the union of the AMF, CLM, SMF and PLM operation ids (the patterns of
/// the AMF and PLM members are literal names, so they are listed here too).
const ADMIN_OPERATION: AttrType = AttrType::Enum(
    "adminOperationIdT",
    &[
        "SA_AMF_ADMIN_UNLOCK",
        "SA_AMF_ADMIN_LOCK",
        "SA_AMF_ADMIN_LOCK_INSTANTIATION",
        "SA_AMF_ADMIN_UNLOCK_INSTANTIATION",
        "SA_AMF_ADMIN_SHUTDOWN",
        "SA_AMF_ADMIN_SHUT_DOWN",
        "SA_AMF_ADMIN_RESTART",
        "SA_AMF_ADMIN_SI_SWAP",
        "SA_AMF_ADMIN_SG_ADJUST",
        "SA_AMF_ADMIN_REPAIRED",
        "SA_AMF_ADMIN_EAM_START",
        "SA_AMF_ADMIN_EAM_STOP",
        "SA_CLM_ADMIN_LOCK",
        "SA_CLM_ADMIN_UNLOCK",
        "SA_CLM_ADMIN_SHUTDOWN",
        "SA_SMF_CAMPAIGN_SUSPEND",
        "SA_PLM_ADMIN_UNLOCK",
        "SA_PLM_ADMIN_LOCK",
        "SA_PLM_ADMIN_SHUT_DOWN",
        "SA_PLM_ADMIN_LOCK_INSTANTIATION",
        "SA_PLM_ADMIN_UNLOCK_INSTANTIATION",
        "SA_PLM_ADMIN_RESTART",
        "SA_PLM_ADMIN_DEACTIVATE",
        "SA_PLM_ADMIN_ACTIVATE",
        "SA_PLM_ADMIN_RESET",
        "SA_PLM_ADMIN_REPAIRED",
        "SA_PLM_ADMIN_REMOVED",
    ],
);

const CLI: &[Attr] = &[req("command", Str), opt("args", Str)];
const CALLBACK: &[Attr] = &[
    req("callbackLabel", Str),
    opt("time", Long),
    opt("stringToPass", Str),
];
const IMM_OBJECT: &[Attr] = &[req("objectDN", SaName)];
const BUNDLE_REF: &[Attr] = &[req("bundleDN", SaName), opt("pathnamePrefix", Str)];
const VERSION: &[Attr] = &[req("safVersion", Str)];
/// `actionT`: the four alternatives are told apart during conversion; here only the names and
/// their order within an alternative.
const ACTION: Rule = Rule::seq(
    &[
        "doAdminOperation",
        "undoAdminOperation",
        "immCCB",
        "doCliCommand",
        "undoCliCommand",
        "plmExecEnv",
        "callback",
    ],
    &[],
);
const ATTRIBUTES: Rule = Rule::seq(&["attribute"], &["attribute"]);
const fn unique_attribute(constraint: &'static str) -> Unique {
    Unique {
        child: "attribute",
        attr: "name",
        constraint,
    }
}
/// `upgradeStep` attributes of both methods.
const STEP: &[Attr] = &[
    opt("saSmfStepRestartOption", Uint),
    opt("saSmfStepMaxRetry", Uint),
    // Thesis extensions (§4.5, Fig. 7.9; the locked-reduced marker is ours).
    opt("saSmfStepInPhaseStep", Uint),
    opt("saSmfStepLockedReducedStep", Uint),
];
const AMF_CT_COMMAND: Rule = Rule::seq(&["cmdArgv"], &[]);

/// The content model of each UCS element, looked up by its path (root first). Elements whose
/// name is used in several places with different models are told apart by their parent (and
/// grandparent); the parent's rule has already admitted the name when this is called.
pub fn ucs_rule(path: &[&str]) -> Option<Rule> {
    let rule = match path {
        ["upgradeCampaign"] => Rule::seq(
            &[
                "campaignInfo",
                "campaignInitialization",
                "upgradeProcedure",
                "campaignWrapup",
            ],
            &[
                "campaignInfo",
                "campaignInitialization",
                "upgradeProcedure",
                "campaignWrapup",
            ],
        )
        .with_attrs(const { &[req("safSmfCampaign", AttrType::Prefixed("safSmfCampaign="))] }),
        [_] => return None,
        // --- campaignInfo
        [.., "campaignInfo"] => Rule::seq(
            &["campaignPeriod", "configurationBase"],
            &["campaignPeriod"],
        ),
        [.., "campaignPeriod"] => Rule::empty(const { &[opt("saSmfCmpgExpectedTime", Long)] }),
        [.., "configurationBase"] => Rule::empty(const { &[req("saSmfCmpgConfigBase", Long)] }),
        // --- campaignInitialization
        [.., "campaignInitialization"] => Rule::seq(
            &[
                "addToImm",
                "callbackAtInit",
                "callbackAtBackup",
                "callbackAtRollback",
                "campInitAction",
            ],
            &["addToImm"],
        ),
        [.., "addToImm"] => Rule::seq(&["softwareBundle", "amfEntityTypes"], &[]),
        [.., "softwareBundle"] => Rule::seq(
            &["removal", "installation", "defaultCliTimeout"],
            &["removal", "installation", "defaultCliTimeout"],
        )
        .with_attrs(const { &[req("name", SaName)] }),
        [.., "removal" | "installation"] => Rule::seq(&["offline", "online"], &[]),
        [.., "removal", "offline"] => Rule::empty(
            const {
                &[
                    req("command", Str),
                    opt("args", Str),
                    req("saSmfBundleRemoveOfflineScope", Uint),
                ]
            },
        ),
        [.., "installation", "offline"] => Rule::empty(
            const {
                &[
                    req("command", Str),
                    opt("args", Str),
                    req("saSmfBundleInstallOfflineScope", Uint),
                ]
            },
        ),
        [.., "online"] => Rule::empty(CLI),
        [.., "defaultCliTimeout"] => {
            Rule::empty(const { &[opt("saSmfBundleDefaultCmdTimeout", Long)] })
        }
        [.., "amfEntityTypes"] => Rule::any_of(&[
            "CompBaseType",
            "SUBaseType",
            "SGBaseType",
            "AppBaseType",
            "CSBaseType",
            "ServiceBaseType",
        ]),
        [.., "CompBaseType"] => Rule::seq(&["CompType"], &["CompType"])
            .with_attrs(const { &[req("safCompType", SaName)] }),
        [.., "CompType"] => Rule::seq(
            &[
                "providesCSType",
                "compTypeDefaults",
                "instantiateCmd",
                "terminateCmd",
                "cleanupCmd",
                "amStartCmd",
                "amStopCmd",
                "osafHcCmd",
                "healthCheck",
                "swBundle",
            ],
            &["providesCSType", "compTypeDefaults"],
        )
        .with_attrs(VERSION),
        [.., "providesCSType"] => Rule::empty(
            const {
                &[
                    req("safSupportedCsType", SaName),
                    req("saAmfCtCompCapability", Uint),
                    opt("saAmfCtDefNumMaxActiveCsi", Uint),
                    opt("saAmfCtDefNumMaxStandbyCsi", Uint),
                ]
            },
        ),
        [.., "compTypeDefaults"] => Rule::seq(&["cmdEnv"], &[]).with_attrs(
            const {
                &[
                    req("saAmfCtCompCategory", Uint),
                    opt("saAmfCtDefClcCliTimeout", Long),
                    opt("saAmfCtDefCallbackTimeout", Long),
                    opt("saAmfCtDefInstantiationLevel", Uint),
                    opt("saAmfCtDefQuiescingCompleteTimeout", Long),
                    req("saAmfCtDefRecoveryOnError", Uint),
                    opt("saAmfCtDefDisableRestart", Uint),
                ]
            },
        ),
        [.., "cmdEnv" | "cmdArgv"] => Rule::text(&[]),
        [.., "instantiateCmd"] => {
            AMF_CT_COMMAND.with_attrs(const { &[opt("saAmfCtRelPathInstantiateCmd", Str)] })
        }
        [.., "terminateCmd"] => {
            AMF_CT_COMMAND.with_attrs(const { &[opt("saAmfCtRelPathTerminateCmd", Str)] })
        }
        [.., "cleanupCmd"] => {
            AMF_CT_COMMAND.with_attrs(const { &[opt("saAmfCtRelPathCleanupCmd", Str)] })
        }
        [.., "amStartCmd"] => {
            AMF_CT_COMMAND.with_attrs(const { &[opt("saAmfCtRelPathAmStartCmd", Str)] })
        }
        [.., "amStopCmd"] => {
            AMF_CT_COMMAND.with_attrs(const { &[opt("saAmfCtRelPathAmStopCmd", Str)] })
        }
        [.., "osafHcCmd"] => {
            AMF_CT_COMMAND.with_attrs(const { &[opt("osafAmfCtRelPathHcCmd", Str)] })
        }
        [.., "healthCheck"] => Rule::empty(
            const {
                &[
                    req("safHealthcheckKey", Str),
                    req("saAmfHealthcheckPeriod", Long),
                    req("saAmfHealthcheckMaxDuration", Long),
                ]
            },
        ),
        [.., "swBundle"] => Rule::empty(const { &[req("saAmfCtSwBundle", SaName)] }),
        [.., "SUBaseType"] => {
            Rule::seq(&["SUType"], &["SUType"]).with_attrs(const { &[req("safSuType", SaName)] })
        }
        [.., "SUType"] => Rule::seq(
            &["mandatoryAttrs", "componentType", "supportedSvcType"],
            &["mandatoryAttrs", "componentType", "supportedSvcType"],
        )
        .with_attrs(VERSION),
        [.., "mandatoryAttrs"] => Rule::empty(
            const {
                &[
                    req("saAmfSutIsExternal", Uint),
                    req("saAmfSutDefSUFailover", Uint),
                ]
            },
        ),
        [.., "componentType"] => Rule::empty(
            const {
                &[
                    req("safMemberCompType", SaName),
                    opt("saAmfSutMinNumComponents", Uint),
                    opt("saAmfSutMaxNumComponents", Uint),
                ]
            },
        ),
        [.., "supportedSvcType"] => {
            Rule::empty(const { &[req("saAmfSutProvidesSvcType", SaName)] })
        }
        [.., "SGBaseType"] => {
            Rule::seq(&["SGType"], &["SGType"]).with_attrs(const { &[req("safSgType", SaName)] })
        }
        [.., "SGType"] => Rule::seq(
            &[
                "suType",
                "redundancy",
                "compRestart",
                "suRestart",
                "autoAttrs",
            ],
            &[
                "suType",
                "redundancy",
                "compRestart",
                "suRestart",
                "autoAttrs",
            ],
        )
        .with_attrs(VERSION),
        [.., "suType"] => Rule::empty(const { &[req("saAmfSgtValidSuTypes", SaName)] }),
        [.., "redundancy"] => Rule::empty(const { &[req("saAmfSgtRedundancyModel", Uint)] }),
        [.., "compRestart"] => Rule::empty(
            const {
                &[
                    req("saAmfSgtDefCompRestartProb", Long),
                    req("saAmfSgtDefCompRestartMax", Uint),
                ]
            },
        ),
        [.., "suRestart"] => Rule::empty(
            const {
                &[
                    req("saAmfSgtDefSuRestartProb", Long),
                    req("saAmfSgtDefSuRestartMax", Uint),
                ]
            },
        ),
        [.., "autoAttrs"] => Rule::empty(
            const {
                &[
                    opt("safAmfSgtDefAutoAdjust", Uint),
                    opt("safAmfSgtDefAutoRepair", Uint),
                    req("saAmfSgtDefAutoAdjustProb", Long),
                ]
            },
        ),
        [.., "AppBaseType"] => {
            Rule::seq(&["AppType"], &["AppType"]).with_attrs(const { &[req("safAppType", SaName)] })
        }
        [.., "AppType"] => {
            Rule::seq(&["serviceGroupType"], &["serviceGroupType"]).with_attrs(VERSION)
        }
        [.., "serviceGroupType"] => Rule::empty(const { &[req("saAmfApptSGTypes", SaName)] }),
        [.., "CSBaseType"] => {
            Rule::seq(&["CSType"], &["CSType"]).with_attrs(const { &[req("safCSType", SaName)] })
        }
        [.., "CSType"] => Rule::seq(&["csAttribute"], &[]).with_attrs(VERSION),
        [.., "csAttribute"] => Rule::empty(const { &[req("saAmfCSAttrName", Str)] }),
        [.., "ServiceBaseType"] => Rule::seq(&["ServiceType"], &["ServiceType"])
            .with_attrs(const { &[req("safSvcType", SaName)] }),
        [.., "ServiceType"] => {
            Rule::seq(&["csType", "defWeights"], &["csType"]).with_attrs(VERSION)
        }
        [.., "csType"] => Rule::empty(
            const {
                &[
                    req("safMemberCSType", SaName),
                    opt("saAmfSvctMaxNumCSIs", Uint),
                ]
            },
        ),
        [.., "defWeights"] => Rule::empty(
            const {
                &[
                    opt("saAmfSvcDefActiveWeight", Str),
                    opt("saAmfSvcDefStandbyWeight", Str),
                ]
            },
        ),
        [
            ..,
            "callbackAtInit" | "callbackAtBackup" | "callbackAtRollback" | "callbackAtCommit"
            | "callback",
        ] => Rule::empty(CALLBACK),
        // --- actionT and what it holds
        [
            ..,
            "campInitAction" | "procInitAction" | "procWrapupAction" | "campCompleteAction"
            | "campWrapupAction",
        ] => ACTION,
        [.., "doAdminOperation" | "undoAdminOperation"] => Rule::seq(&["param"], &[])
            .with_attrs(const { &[opt("objectDN", SaName), opt("operationID", ADMIN_OPERATION)] }),
        [.., "param"] => Rule::seq(&["value"], &["value"])
            .with_attrs(const { &[req("name", Str), req("type", VALUE_TYPE_NAMES)] }),
        [.., "value"] => Rule::any(),
        [.., "immCCB"] => Rule::any_of(&["create", "delete", "modify"])
            .with_attrs(const { &[req("ccbFlags", Uint)] }),
        [.., "create"] => ATTRIBUTES
            .with_attrs(const { &[req("objectClassName", Str), req("parentObjectDN", SaName)] })
            .with_unique(unique_attribute("attribute_CCBCreate")),
        [.., "delete"] => Rule::empty(IMM_OBJECT),
        [.., "modify"] => ATTRIBUTES
            .with_attrs(const { &[req("operation", MODIFY_OPERATION), req("objectDN", SaName)] })
            .with_unique(unique_attribute("attribute_CCBModify")),
        [.., "attribute"] => Rule::seq(&["value"], &["value"])
            .with_attrs(const { &[req("name", Str), req("type", VALUE_TYPE_NAMES)] }),
        [.., "doCliCommand" | "undoCliCommand"] => Rule::empty(CLI),
        [.., "plmExecEnv"] => Rule::empty(
            const {
                &[
                    opt("plmExecEnviron", SaName),
                    opt("clmNode", SaName),
                    opt("amfNode", SaName),
                ]
            },
        ),
        // --- upgradeProcedure
        [.., "upgradeProcedure"] => Rule::seq(
            &[
                "outageInfo",
                "procInitAction",
                "upgradeMethod",
                "procWrapupAction",
            ],
            &["outageInfo", "upgradeMethod"],
        )
        .with_attrs(
            const {
                &[
                    req("safSmfProcedure", AttrType::Prefixed("safSmfProc=")),
                    opt("saSmfExecLevel", Uint),
                ]
            },
        ),
        [.., "outageInfo"] => Rule::seq(
            &["acceptableServiceOutage", "procedurePeriod"],
            &["acceptableServiceOutage", "procedurePeriod"],
        ),
        // all | none | (max?, (mayGoUnassignedSI+ | mustKeepAssignedSI+)?): the alternatives
        // are told apart during conversion.
        [.., "acceptableServiceOutage"] => Rule::seq(
            &[
                "all",
                "none",
                "max",
                "mayGoUnassignedSI",
                "mustKeepAssignedSI",
            ],
            &[],
        ),
        [.., "acceptableServiceOutage", "all" | "none"] => Rule::any(),
        [.., "max"] => Rule::empty(const { &[opt("value", Uint)] }),
        [.., "mayGoUnassignedSI"] => {
            Rule::empty(const { &[opt("saSmfProcAcceptSIOutage", SaName)] })
        }
        [.., "mustKeepAssignedSI"] => Rule::empty(const { &[opt("saSmfProcMustKeepSIs", SaName)] }),
        [.., "procedurePeriod"] => Rule::empty(const { &[req("saSmfProcPeriod", Long)] }),
        [.., "upgradeMethod"] => Rule::one_of(&["rollingUpgrade", "singleStepUpgrade"]),
        [.., "rollingUpgrade"] => Rule::seq(
            &["upgradeScope", "upgradeStep"],
            &["upgradeScope", "upgradeStep"],
        )
        .with_attrs(const { &[opt("saSmfProcDisableSimultanExec", Uint)] }),
        // One pair in the schema; several pairs are the thesis's embedded step.
        [.., "singleStepUpgrade"] => Rule::pairs(&["upgradeScope", "upgradeStep"]),
        [.., "rollingUpgrade", "upgradeScope"] => Rule::one_of(&["byTemplate"]),
        [.., "singleStepUpgrade", "upgradeScope"] => Rule::one_of(&["forAddRemove", "forModify"]),
        [.., "upgradeScope", "byTemplate"] => Rule::seq(
            &["targetNodeTemplate", "targetEntityTemplate"],
            &["targetNodeTemplate"],
        ),
        [.., "targetNodeTemplate"] => {
            Rule::seq(&["activationUnitTemplate", "swRemove", "swAdd"], &[]).with_attrs(IMM_OBJECT)
        }
        // entityTemplateT: (parent?, type?) repeated, i.e. any mix of the two.
        [.., "activationUnitTemplate"] | [.., "actedOn" | "removed", "byTemplate"] => {
            Rule::any_of(&["parent", "type"])
        }
        [.., "parent" | "type" | "byName" | "amfEntityTypeDN"] => Rule::empty(IMM_OBJECT),
        [.., "targetNodeTemplate", "swRemove" | "swAdd"]
        | [.., "forModify", "activationUnit", "swRemove" | "swAdd"] => Rule::empty(BUNDLE_REF),
        [.., "deactivationUnit", "swRemove"]
        | [.., "forAddRemove", "activationUnit", "swAdd"]
        | [.., "softwareBundleDN"] => Rule::seq(&["plmExecEnv"], &[]).with_attrs(BUNDLE_REF),
        [.., "targetEntityTemplate"] => {
            Rule::seq(&["parent", "type", "modifyOperation"], &["modifyOperation"])
        }
        // The unique constraint on modifyOperation is declared only under forModify.
        [.., "forModify", "targetEntityTemplate", "modifyOperation"] => ATTRIBUTES
            .with_attrs(const { &[req("operation", MODIFY_OPERATION), opt("objectRDN", Str)] })
            .with_unique(unique_attribute("attribute_modifyOperation")),
        [.., "modifyOperation"] => ATTRIBUTES
            .with_attrs(const { &[req("operation", MODIFY_OPERATION), opt("objectRDN", Str)] }),
        [.., "forAddRemove"] => Rule::seq(
            &["deactivationUnit", "activationUnit"],
            &["deactivationUnit", "activationUnit"],
        ),
        [.., "deactivationUnit"] => Rule::seq(&["actedOn", "removed", "swRemove"], &[]),
        [.., "forAddRemove", "activationUnit"] => Rule::seq(&["actedOn", "added", "swAdd"], &[]),
        [.., "forModify", "activationUnit"] => Rule::seq(&["actedOn", "swRemove", "swAdd"], &[]),
        [.., "actedOn" | "removed"] => Rule::any_of(&["byName", "byTemplate"]),
        [.., "added"] => ATTRIBUTES
            .with_attrs(const { &[req("objectClassName", Str), req("parentObjectDN", SaName)] })
            .with_unique(unique_attribute("attribute_immCreate")),
        [.., "forModify"] => Rule::seq(
            &["activationUnit", "targetEntityTemplate"],
            &["activationUnit", "targetEntityTemplate"],
        ),
        [.., "rollingUpgrade", "upgradeStep"] => {
            Rule::pairs(&["customizationTime", "callback"]).with_attrs(STEP)
        }
        [.., "singleStepUpgrade", "upgradeStep"] => {
            Rule::pairs(&["atAction", "callback"]).with_attrs(STEP)
        }
        [.., "customizationTime"] => Rule::seq(&["onStep", "atAction"], &["onStep", "atAction"]),
        [.., "onStep"] => Rule::one_of(&["onEveryStep", "onFirstStep", "onLastStep", "halfWay"]),
        [.., "atAction"] => Rule::one_of(&[
            "beforeLock",
            "beforeTermination",
            "afterImmModification",
            "afterInstantiation",
            "afterUnlock",
        ]),
        // Declared without a type, i.e. xs:anyType.
        [
            ..,
            "onEveryStep"
            | "onFirstStep"
            | "onLastStep"
            | "halfWay"
            | "beforeLock"
            | "beforeTermination"
            | "afterImmModification"
            | "afterInstantiation"
            | "afterUnlock",
        ] => Rule::any(),
        // --- campaignWrapup
        [.., "campaignWrapup"] => Rule::seq(
            &[
                "campCompleteAction",
                "waitToCommit",
                "callbackAtCommit",
                "campWrapupAction",
                "waitToAllowNewCampaign",
                "removeFromImm",
            ],
            &["waitToCommit", "waitToAllowNewCampaign", "removeFromImm"],
        ),
        [.., "waitToCommit" | "waitToAllowNewCampaign"] => {
            Rule::empty(const { &[opt("time", Long)] })
        }
        [.., "removeFromImm"] => Rule::seq(&["amfEntityTypeDN", "softwareBundleDN"], &[]),
        _ => return None,
    };
    Some(rule)
}

// ---------------------------------------------------------------------------------------------
// Raw DTOs (pass 2)
// ---------------------------------------------------------------------------------------------

/// serde mirrors of the UCS elements. Validation is pass 1's job (with lines), so these do not
/// deny unknown fields; attribute values stay strings until conversion parses them.
mod dto {
    use super::{ActionPoint, StepCount};
    use serde::Deserialize;

    #[derive(Deserialize)]
    pub struct UpgradeCampaign {
        #[serde(rename = "@safSmfCampaign")]
        pub name: String,
        #[serde(rename = "campaignInfo")]
        pub info: CampaignInfo,
        #[serde(rename = "campaignInitialization")]
        pub init: CampaignInitialization,
        #[serde(rename = "upgradeProcedure")]
        pub procedures: Vec<UpgradeProcedure>,
        #[serde(rename = "campaignWrapup")]
        pub wrapup: CampaignWrapup,
    }

    #[derive(Deserialize)]
    pub struct CampaignInfo {
        #[serde(rename = "campaignPeriod")]
        pub period: CampaignPeriod,
        #[serde(rename = "configurationBase")]
        pub config_base: Option<ConfigurationBase>,
    }

    #[derive(Deserialize)]
    pub struct CampaignPeriod {
        #[serde(rename = "@saSmfCmpgExpectedTime")]
        pub expected_time: Option<String>,
    }

    #[derive(Deserialize)]
    pub struct ConfigurationBase {
        #[serde(rename = "@saSmfCmpgConfigBase")]
        pub config_base: String,
    }

    #[derive(Deserialize)]
    pub struct CampaignInitialization {
        #[serde(rename = "addToImm")]
        pub add_to_imm: AddToImm,
        #[serde(rename = "callbackAtInit", default)]
        pub callbacks_at_init: Vec<CallbackOptions>,
        #[serde(rename = "callbackAtBackup", default)]
        pub callbacks_at_backup: Vec<CallbackOptions>,
        #[serde(rename = "callbackAtRollback", default)]
        pub callbacks_at_rollback: Vec<CallbackOptions>,
        #[serde(rename = "campInitAction", default)]
        pub actions: Vec<Action>,
    }

    #[derive(Deserialize)]
    pub struct AddToImm {
        #[serde(rename = "softwareBundle", default)]
        pub bundles: Vec<SoftwareBundle>,
        #[serde(rename = "amfEntityTypes")]
        pub entity_types: Option<AmfEntityTypes>,
    }

    #[derive(Deserialize)]
    pub struct SoftwareBundle {
        #[serde(rename = "@name")]
        pub name: String,
        pub removal: Removal,
        pub installation: Installation,
        #[serde(rename = "defaultCliTimeout")]
        pub default_timeout: DefaultCliTimeout,
    }

    #[derive(Deserialize)]
    pub struct Removal {
        pub offline: Option<RemoveOffline>,
        pub online: Option<Cli>,
    }

    #[derive(Deserialize)]
    pub struct Installation {
        pub offline: Option<InstallOffline>,
        pub online: Option<Cli>,
    }

    #[derive(Deserialize)]
    pub struct RemoveOffline {
        #[serde(rename = "@command")]
        pub command: String,
        #[serde(rename = "@args")]
        pub args: Option<String>,
        #[serde(rename = "@saSmfBundleRemoveOfflineScope")]
        pub scope: String,
    }

    #[derive(Deserialize)]
    pub struct InstallOffline {
        #[serde(rename = "@command")]
        pub command: String,
        #[serde(rename = "@args")]
        pub args: Option<String>,
        #[serde(rename = "@saSmfBundleInstallOfflineScope")]
        pub scope: String,
    }

    #[derive(Deserialize)]
    pub struct Cli {
        #[serde(rename = "@command")]
        pub command: String,
        #[serde(rename = "@args")]
        pub args: Option<String>,
    }

    #[derive(Deserialize)]
    pub struct DefaultCliTimeout {
        #[serde(rename = "@saSmfBundleDefaultCmdTimeout")]
        pub timeout: Option<String>,
    }

    #[derive(Deserialize)]
    pub struct AmfEntityTypes {
        #[serde(rename = "$value", default)]
        pub base_types: Vec<BaseType>,
    }

    /// The xs:choice of `amfEntityTypes`; only the DN-bearing parts are mapped.
    #[derive(Deserialize)]
    pub enum BaseType {
        #[serde(rename = "CompBaseType")]
        Comp {
            #[serde(rename = "@safCompType")]
            dn: String,
            #[serde(rename = "CompType")]
            versions: Vec<CompType>,
        },
        #[serde(rename = "SUBaseType")]
        Su {
            #[serde(rename = "@safSuType")]
            dn: String,
            #[serde(rename = "SUType")]
            versions: Vec<Versioned>,
        },
        #[serde(rename = "SGBaseType")]
        Sg {
            #[serde(rename = "@safSgType")]
            dn: String,
            #[serde(rename = "SGType")]
            versions: Vec<SgType>,
        },
        #[serde(rename = "AppBaseType")]
        App {
            #[serde(rename = "@safAppType")]
            dn: String,
            #[serde(rename = "AppType")]
            versions: Vec<Versioned>,
        },
        #[serde(rename = "CSBaseType")]
        Cs {
            #[serde(rename = "@safCSType")]
            dn: String,
            #[serde(rename = "CSType")]
            versions: Vec<Versioned>,
        },
        #[serde(rename = "ServiceBaseType")]
        Service {
            #[serde(rename = "@safSvcType")]
            dn: String,
            #[serde(rename = "ServiceType")]
            versions: Vec<Versioned>,
        },
    }

    #[derive(Deserialize)]
    pub struct SgType {
        #[serde(rename = "@safVersion")]
        pub version: String,
        pub redundancy: SgRedundancy,
    }

    #[derive(Deserialize)]
    pub struct SgRedundancy {
        #[serde(rename = "@saAmfSgtRedundancyModel")]
        pub model: String,
    }

    #[derive(Deserialize)]
    pub struct Versioned {
        #[serde(rename = "@safVersion")]
        pub version: String,
    }

    #[derive(Deserialize)]
    pub struct CompType {
        #[serde(rename = "@safVersion")]
        pub version: String,
        #[serde(rename = "compTypeDefaults")]
        pub defaults: CompTypeDefaults,
        #[serde(rename = "swBundle")]
        pub bundle: Option<SwBundle>,
    }

    #[derive(Deserialize)]
    pub struct CompTypeDefaults {
        #[serde(rename = "@saAmfCtDefDisableRestart")]
        pub disable_restart: Option<String>,
    }

    #[derive(Deserialize)]
    pub struct SwBundle {
        #[serde(rename = "@saAmfCtSwBundle")]
        pub dn: String,
    }

    #[derive(Deserialize)]
    pub struct CallbackOptions {
        #[serde(rename = "@callbackLabel")]
        pub label: String,
        #[serde(rename = "@time")]
        pub time: Option<String>,
        #[serde(rename = "@stringToPass")]
        pub string_to_pass: Option<String>,
    }

    /// `actionT`: the xs:choice is resolved during conversion.
    #[derive(Deserialize)]
    pub struct Action {
        #[serde(rename = "doAdminOperation")]
        pub do_admin: Option<AdminOperation>,
        #[serde(rename = "undoAdminOperation")]
        pub undo_admin: Option<AdminOperation>,
        #[serde(rename = "immCCB")]
        pub ccb: Option<ImmCcb>,
        #[serde(rename = "doCliCommand")]
        pub do_cli: Option<Cli>,
        #[serde(rename = "undoCliCommand")]
        pub undo_cli: Option<Cli>,
        #[serde(rename = "plmExecEnv", default)]
        pub exec_envs: Vec<PlmExecEnv>,
        pub callback: Option<CallbackOptions>,
    }

    #[derive(Deserialize)]
    pub struct AdminOperation {
        #[serde(rename = "@objectDN")]
        pub object_dn: Option<String>,
        #[serde(rename = "@operationID")]
        pub operation: Option<String>,
        #[serde(rename = "param", default)]
        pub params: Vec<Param>,
    }

    #[derive(Deserialize)]
    pub struct Param {
        #[serde(rename = "@name")]
        pub name: String,
        #[serde(rename = "@type")]
        pub value_type: String,
        pub value: String,
    }

    #[derive(Deserialize)]
    pub struct ImmCcb {
        #[serde(rename = "@ccbFlags")]
        pub flags: String,
        #[serde(rename = "$value", default)]
        pub ops: Vec<CcbOp>,
    }

    #[derive(Deserialize)]
    pub enum CcbOp {
        #[serde(rename = "create")]
        Create(ImmCreate),
        #[serde(rename = "delete")]
        Delete(ImmObject),
        #[serde(rename = "modify")]
        Modify(ImmModify),
    }

    #[derive(Deserialize)]
    pub struct ImmCreate {
        #[serde(rename = "@objectClassName")]
        pub class: String,
        #[serde(rename = "@parentObjectDN")]
        pub parent: String,
        #[serde(rename = "attribute", default)]
        pub attributes: Vec<Attribute>,
    }

    #[derive(Deserialize)]
    pub struct ImmModify {
        #[serde(rename = "@objectDN")]
        pub dn: String,
        #[serde(rename = "@operation")]
        pub operation: String,
        #[serde(rename = "attribute", default)]
        pub attributes: Vec<Attribute>,
    }

    #[derive(Deserialize)]
    pub struct Attribute {
        #[serde(rename = "@name")]
        pub name: String,
        #[serde(rename = "@type")]
        pub value_type: String,
        #[serde(rename = "value", default)]
        pub values: Vec<String>,
    }

    /// `immObjectT` (and everything that only extends it).
    #[derive(Deserialize)]
    pub struct ImmObject {
        #[serde(rename = "@objectDN")]
        pub dn: String,
    }

    #[derive(Deserialize)]
    pub struct PlmExecEnv {
        #[serde(rename = "@plmExecEnviron")]
        pub plm_ee: Option<String>,
        #[serde(rename = "@clmNode")]
        pub clm_node: Option<String>,
        #[serde(rename = "@amfNode")]
        pub amf_node: Option<String>,
    }

    #[derive(Deserialize)]
    pub struct UpgradeProcedure {
        #[serde(rename = "@safSmfProcedure")]
        pub name: String,
        #[serde(rename = "@saSmfExecLevel")]
        pub exec_level: Option<String>,
        #[serde(rename = "outageInfo")]
        pub outage: OutageInfo,
        #[serde(rename = "procInitAction", default)]
        pub init_actions: Vec<Action>,
        #[serde(rename = "upgradeMethod")]
        pub method: UpgradeMethod,
        #[serde(rename = "procWrapupAction", default)]
        pub wrapup_actions: Vec<Action>,
    }

    #[derive(Deserialize)]
    pub struct OutageInfo {
        #[serde(rename = "acceptableServiceOutage")]
        pub acceptable: AcceptableServiceOutage,
        #[serde(rename = "procedurePeriod")]
        pub period: ProcedurePeriod,
    }

    /// Marker for an element whose presence is all that matters (`<all/>`, `<none/>`).
    #[derive(Deserialize)]
    pub struct Present {}

    #[derive(Deserialize)]
    pub struct AcceptableServiceOutage {
        pub all: Option<Present>,
        pub none: Option<Present>,
        pub max: Option<Max>,
        #[serde(rename = "mayGoUnassignedSI", default)]
        pub may_go_unassigned: Vec<MayGoUnassigned>,
        #[serde(rename = "mustKeepAssignedSI", default)]
        pub must_keep_assigned: Vec<MustKeepAssigned>,
    }

    #[derive(Deserialize)]
    pub struct Max {
        #[serde(rename = "@value")]
        pub value: Option<String>,
    }

    #[derive(Deserialize)]
    pub struct MayGoUnassigned {
        #[serde(rename = "@saSmfProcAcceptSIOutage")]
        pub si: Option<String>,
    }

    #[derive(Deserialize)]
    pub struct MustKeepAssigned {
        #[serde(rename = "@saSmfProcMustKeepSIs")]
        pub si: Option<String>,
    }

    #[derive(Deserialize)]
    pub struct ProcedurePeriod {
        #[serde(rename = "@saSmfProcPeriod")]
        pub period: String,
    }

    #[derive(Deserialize)]
    pub struct UpgradeMethod {
        #[serde(rename = "$value")]
        pub method: Method,
    }

    #[derive(Deserialize)]
    pub enum Method {
        #[serde(rename = "rollingUpgrade")]
        Rolling(Box<RollingUpgrade>),
        #[serde(rename = "singleStepUpgrade")]
        SingleStep(SingleStepUpgrade),
    }

    #[derive(Deserialize)]
    pub struct RollingUpgrade {
        #[serde(rename = "@saSmfProcDisableSimultanExec")]
        pub disable_simultaneous_exec: Option<String>,
        #[serde(rename = "upgradeScope")]
        pub scope: RollingScope,
        #[serde(rename = "upgradeStep")]
        pub step: RollingStep,
    }

    #[derive(Deserialize)]
    pub struct RollingScope {
        #[serde(rename = "byTemplate")]
        pub by_template: ByTemplate,
    }

    #[derive(Deserialize)]
    pub struct ByTemplate {
        #[serde(rename = "targetNodeTemplate")]
        pub node_template: TargetNodeTemplate,
        #[serde(rename = "targetEntityTemplate", default)]
        pub targets: Vec<TargetEntityTemplate>,
    }

    #[derive(Deserialize)]
    pub struct TargetNodeTemplate {
        #[serde(rename = "@objectDN")]
        pub dn: String,
        #[serde(rename = "activationUnitTemplate")]
        pub activation_unit: Option<EntityTemplate>,
        #[serde(rename = "swRemove", default)]
        pub sw_remove: Vec<BundleRef>,
        #[serde(rename = "swAdd", default)]
        pub sw_add: Vec<BundleRef>,
    }

    /// `entityTemplateT`: `parent` and `type` in document order.
    #[derive(Deserialize)]
    pub struct EntityTemplate {
        #[serde(rename = "$value", default)]
        pub items: Vec<TemplateItem>,
    }

    #[derive(Deserialize)]
    pub enum TemplateItem {
        #[serde(rename = "parent")]
        Parent(ImmObject),
        #[serde(rename = "type")]
        Type(ImmObject),
    }

    #[derive(Deserialize)]
    pub struct BundleRef {
        #[serde(rename = "@bundleDN")]
        pub dn: String,
        #[serde(rename = "@pathnamePrefix")]
        pub pathname_prefix: Option<String>,
        #[serde(rename = "plmExecEnv", default)]
        pub exec_envs: Vec<PlmExecEnv>,
    }

    #[derive(Deserialize)]
    pub struct TargetEntityTemplate {
        pub parent: Option<ImmObject>,
        #[serde(rename = "type")]
        pub type_: Option<ImmObject>,
        #[serde(rename = "modifyOperation", default)]
        pub modifications: Vec<ModifyOperation>,
    }

    #[derive(Deserialize)]
    pub struct ModifyOperation {
        #[serde(rename = "@operation")]
        pub operation: String,
        #[serde(rename = "@objectRDN")]
        pub rdn: Option<String>,
        #[serde(rename = "attribute", default)]
        pub attributes: Vec<Attribute>,
    }

    /// `upgradeStep` attributes, shared by both methods (including the thesis's markers).
    #[derive(Deserialize)]
    pub struct RollingStep {
        #[serde(rename = "@saSmfStepRestartOption")]
        pub restart_option: Option<String>,
        #[serde(rename = "@saSmfStepMaxRetry")]
        pub max_retry: Option<String>,
        #[serde(rename = "@saSmfStepInPhaseStep")]
        pub in_phase: Option<String>,
        #[serde(rename = "@saSmfStepLockedReducedStep")]
        pub locked_reduced: Option<String>,
        #[serde(rename = "$value", default)]
        pub items: Vec<RollingStepItem>,
    }

    #[derive(Deserialize)]
    pub enum RollingStepItem {
        #[serde(rename = "customizationTime")]
        Time(CustomizationTime),
        #[serde(rename = "callback")]
        Callback(CallbackOptions),
    }

    #[derive(Deserialize)]
    pub struct CustomizationTime {
        #[serde(rename = "onStep")]
        pub on_step: OnStep,
        #[serde(rename = "atAction")]
        pub at_action: AtAction,
    }

    #[derive(Deserialize)]
    pub struct OnStep {
        #[serde(rename = "$value")]
        pub count: StepCount,
    }

    #[derive(Deserialize)]
    pub struct AtAction {
        #[serde(rename = "$value")]
        pub point: ActionPoint,
    }

    #[derive(Deserialize)]
    pub struct SingleStepUpgrade {
        /// `upgradeScope upgradeStep` pairs in document order.
        #[serde(rename = "$value", default)]
        pub items: Vec<SingleStepItem>,
    }

    #[derive(Deserialize)]
    pub enum SingleStepItem {
        #[serde(rename = "upgradeScope")]
        Scope(SingleScope),
        #[serde(rename = "upgradeStep")]
        Step(SingleStep),
    }

    #[derive(Deserialize)]
    pub struct SingleScope {
        #[serde(rename = "$value")]
        pub scope: Scope,
    }

    #[derive(Deserialize)]
    pub enum Scope {
        #[serde(rename = "forAddRemove")]
        AddRemove(ForAddRemove),
        #[serde(rename = "forModify")]
        Modify(ForModify),
    }

    #[derive(Deserialize)]
    pub struct ForAddRemove {
        #[serde(rename = "deactivationUnit")]
        pub deactivation: DeactivationUnit,
        #[serde(rename = "activationUnit")]
        pub activation: AddRemoveActivationUnit,
    }

    #[derive(Deserialize)]
    pub struct DeactivationUnit {
        #[serde(rename = "actedOn")]
        pub acted_on: Option<EntityList>,
        pub removed: Option<EntityList>,
        #[serde(rename = "swRemove", default)]
        pub sw_remove: Vec<BundleRef>,
    }

    #[derive(Deserialize)]
    pub struct AddRemoveActivationUnit {
        #[serde(rename = "actedOn")]
        pub acted_on: Option<EntityList>,
        #[serde(default)]
        pub added: Vec<ImmCreate>,
        #[serde(rename = "swAdd", default)]
        pub sw_add: Vec<BundleRef>,
    }

    #[derive(Deserialize)]
    pub struct ForModify {
        #[serde(rename = "activationUnit")]
        pub activation: ModifyActivationUnit,
        #[serde(rename = "targetEntityTemplate", default)]
        pub targets: Vec<TargetEntityTemplate>,
    }

    #[derive(Deserialize)]
    pub struct ModifyActivationUnit {
        #[serde(rename = "actedOn")]
        pub acted_on: Option<EntityList>,
        #[serde(rename = "swRemove", default)]
        pub sw_remove: Vec<BundleRef>,
        #[serde(rename = "swAdd", default)]
        pub sw_add: Vec<BundleRef>,
    }

    /// `entityListT`: `byName` and `byTemplate` in document order.
    #[derive(Deserialize)]
    pub struct EntityList {
        #[serde(rename = "$value", default)]
        pub items: Vec<EntityListItem>,
    }

    #[derive(Deserialize)]
    pub enum EntityListItem {
        #[serde(rename = "byName")]
        ByName(ImmObject),
        #[serde(rename = "byTemplate")]
        ByTemplate(EntityTemplate),
    }

    #[derive(Deserialize)]
    pub struct SingleStep {
        #[serde(rename = "@saSmfStepRestartOption")]
        pub restart_option: Option<String>,
        #[serde(rename = "@saSmfStepMaxRetry")]
        pub max_retry: Option<String>,
        #[serde(rename = "@saSmfStepInPhaseStep")]
        pub in_phase: Option<String>,
        #[serde(rename = "@saSmfStepLockedReducedStep")]
        pub locked_reduced: Option<String>,
        #[serde(rename = "$value", default)]
        pub items: Vec<SingleStepCallbackItem>,
    }

    #[derive(Deserialize)]
    pub enum SingleStepCallbackItem {
        #[serde(rename = "atAction")]
        At(AtAction),
        #[serde(rename = "callback")]
        Callback(CallbackOptions),
    }

    #[derive(Deserialize)]
    pub struct CampaignWrapup {
        #[serde(rename = "campCompleteAction", default)]
        pub complete_actions: Vec<Action>,
        #[serde(rename = "waitToCommit")]
        pub wait_to_commit: WaitTime,
        #[serde(rename = "callbackAtCommit", default)]
        pub callbacks_at_commit: Vec<CallbackOptions>,
        #[serde(rename = "campWrapupAction", default)]
        pub wrapup_actions: Vec<Action>,
        #[serde(rename = "waitToAllowNewCampaign")]
        pub wait_to_allow_new_campaign: WaitTime,
        #[serde(rename = "removeFromImm")]
        pub remove_from_imm: RemoveFromImm,
    }

    #[derive(Deserialize)]
    pub struct WaitTime {
        #[serde(rename = "@time")]
        pub time: Option<String>,
    }

    #[derive(Deserialize)]
    pub struct RemoveFromImm {
        #[serde(rename = "amfEntityTypeDN", default)]
        pub entity_types: Vec<ImmObject>,
        #[serde(rename = "softwareBundleDN", default)]
        pub bundles: Vec<BundleRef>,
    }
}

// ---------------------------------------------------------------------------------------------
// Conversion (pass 3)
// ---------------------------------------------------------------------------------------------

/// Conversion context: the index that gives every DTO node its element (and line).
struct Cx<'a> {
    pos: &'a Positions,
}

/// The attributes of `upgradeStep` shared by both methods.
struct StepAttrs {
    restart_option: Option<String>,
    max_retry: Option<String>,
    in_phase: Option<String>,
    locked_reduced: Option<String>,
}

impl Cx<'_> {
    /// The `k`-th child of `parent` named `name`. Pass 1 and serde have agreed on the shape
    /// already, so a miss is a bug in this module; it is still an error, not a panic.
    fn child(&self, parent: ElementId, name: &str, k: usize) -> Result<ElementId, Error> {
        self.pos.child(parent, name, k).ok_or_else(|| {
            self.pos.error(
                parent,
                format!("internal: no child `{name}` number {k} (DTO and index disagree)"),
            )
        })
    }

    /// The `k`-th element child of `parent`, whatever its name (for `$value` lists).
    fn nth_child(&self, parent: ElementId, k: usize) -> Result<ElementId, Error> {
        self.pos
            .get(parent)
            .children
            .get(k)
            .copied()
            .ok_or_else(|| {
                self.pos.error(
                    parent,
                    format!("internal: no child number {k} (DTO and index disagree)"),
                )
            })
    }

    fn u32(&self, id: ElementId, attr: &str, value: &str) -> Result<u32, Error> {
        value.trim().trim_start_matches('+').parse().map_err(|_| {
            self.pos.error(
                id,
                format!("attribute `{attr}`: '{value}' does not fit an SaUint32T"),
            )
        })
    }

    fn u64(&self, id: ElementId, attr: &str, value: &str) -> Result<u64, Error> {
        value.trim().trim_start_matches('+').parse().map_err(|_| {
            self.pos.error(
                id,
                format!("attribute `{attr}`: '{value}' does not fit an SaUint64T"),
            )
        })
    }

    fn i64(&self, id: ElementId, attr: &str, value: &str) -> Result<i64, Error> {
        value.trim().parse().map_err(|_| {
            self.pos.error(
                id,
                format!("attribute `{attr}`: '{value}' is not an SaTimeT"),
            )
        })
    }

    fn opt_i64(
        &self,
        id: ElementId,
        attr: &str,
        value: &Option<String>,
    ) -> Result<Option<i64>, Error> {
        value.as_deref().map(|v| self.i64(id, attr, v)).transpose()
    }

    /// A 0/1 flag (SaUint32T used as a boolean).
    fn flag(
        &self,
        id: ElementId,
        attr: &str,
        value: &Option<String>,
    ) -> Result<Option<bool>, Error> {
        match value.as_deref().map(str::trim) {
            None => Ok(None),
            Some("0") => Ok(Some(false)),
            Some("1") => Ok(Some(true)),
            Some(other) => Err(self
                .pos
                .error(id, format!("attribute `{attr}`: '{other}' is not 0 or 1"))),
        }
    }

    fn campaign(&self, d: dto::UpgradeCampaign) -> Result<Campaign, Error> {
        let root = self.pos.root();
        let info = self.child(root, "campaignInfo", 0)?;
        let period = self.child(info, "campaignPeriod", 0)?;
        let expected_time = self.opt_i64(
            period,
            "saSmfCmpgExpectedTime",
            &d.info.period.expected_time,
        )?;
        let config_base = match &d.info.config_base {
            Some(c) => {
                let id = self.child(info, "configurationBase", 0)?;
                Some(self.i64(id, "saSmfCmpgConfigBase", &c.config_base)?)
            }
            None => None,
        };
        let init = self.initialization(self.child(root, "campaignInitialization", 0)?, d.init)?;
        let procedures = d
            .procedures
            .into_iter()
            .enumerate()
            .map(|(k, p)| self.procedure(self.child(root, "upgradeProcedure", k)?, p))
            .collect::<Result<Vec<_>, _>>()?;
        let wrapup = self.wrapup(self.child(root, "campaignWrapup", 0)?, d.wrapup)?;
        Ok(Campaign {
            file: self.pos.file().to_string(),
            name: d.name.trim().to_string(),
            expected_time,
            config_base,
            init,
            procedures,
            wrapup,
        })
    }

    fn initialization(
        &self,
        id: ElementId,
        d: dto::CampaignInitialization,
    ) -> Result<Initialization, Error> {
        let add = self.child(id, "addToImm", 0)?;
        let bundles = d
            .add_to_imm
            .bundles
            .into_iter()
            .enumerate()
            .map(|(k, b)| self.bundle(self.child(add, "softwareBundle", k)?, b))
            .collect::<Result<Vec<_>, _>>()?;
        let mut entity_types = Vec::new();
        let mut component_types = Vec::new();
        let mut sg_types = Vec::new();
        if let Some(types) = d.add_to_imm.entity_types {
            let types_id = self.child(add, "amfEntityTypes", 0)?;
            for (k, base) in types.base_types.into_iter().enumerate() {
                let base_id = self.nth_child(types_id, k)?;
                let (dn, versions): (String, Vec<String>) = match base {
                    dto::BaseType::Comp { dn, versions } => {
                        let dn = dn.trim().to_string();
                        let mut names = Vec::new();
                        for (v, ct) in versions.into_iter().enumerate() {
                            let ct_id = self.child(base_id, "CompType", v)?;
                            let defaults = self.child(ct_id, "compTypeDefaults", 0)?;
                            let version_dn = format!("{},{dn}", ct.version.trim());
                            component_types.push(ComponentType {
                                dn: version_dn.clone(),
                                bundle: ct.bundle.map(|b| b.dn.trim().to_string()),
                                restart_disabled: self
                                    .flag(
                                        defaults,
                                        "saAmfCtDefDisableRestart",
                                        &ct.defaults.disable_restart,
                                    )?
                                    .unwrap_or(false),
                                line: self.pos.line(ct_id),
                            });
                            names.push(version_dn);
                        }
                        (dn, names)
                    }
                    dto::BaseType::Sg { dn, versions } => {
                        let dn = dn.trim().to_string();
                        let mut names = Vec::new();
                        for (v, t) in versions.into_iter().enumerate() {
                            let t_id = self.child(base_id, "SGType", v)?;
                            let version_dn = format!("{},{dn}", t.version.trim());
                            sg_types.push(SgTypeDef {
                                dn: version_dn.clone(),
                                redundancy: t.redundancy.model.trim().to_string(),
                                line: self.pos.line(t_id),
                            });
                            names.push(version_dn);
                        }
                        (dn, names)
                    }
                    dto::BaseType::Su { dn, versions }
                    | dto::BaseType::App { dn, versions }
                    | dto::BaseType::Cs { dn, versions }
                    | dto::BaseType::Service { dn, versions } => {
                        let dn = dn.trim().to_string();
                        let names = versions
                            .into_iter()
                            .map(|v| format!("{},{dn}", v.version.trim()))
                            .collect();
                        (dn, names)
                    }
                };
                entity_types.push(dn);
                entity_types.extend(versions);
            }
        }
        Ok(Initialization {
            bundles,
            entity_types,
            component_types,
            sg_types,
            callbacks_at_init: self.callbacks(id, "callbackAtInit", d.callbacks_at_init)?,
            callbacks_at_backup: self.callbacks(id, "callbackAtBackup", d.callbacks_at_backup)?,
            callbacks_at_rollback: self.callbacks(
                id,
                "callbackAtRollback",
                d.callbacks_at_rollback,
            )?,
            actions: self.actions(id, "campInitAction", d.actions)?,
        })
    }

    fn bundle(&self, id: ElementId, d: dto::SoftwareBundle) -> Result<Bundle, Error> {
        let removal = self.child(id, "removal", 0)?;
        let installation = self.child(id, "installation", 0)?;
        let remove_offline = match d.removal.offline {
            Some(o) => {
                let oid = self.child(removal, "offline", 0)?;
                Some(OfflineCli {
                    cli: cli(o.command, o.args),
                    scope: self.u32(oid, "saSmfBundleRemoveOfflineScope", &o.scope)?,
                })
            }
            None => None,
        };
        let install_offline = match d.installation.offline {
            Some(o) => {
                let oid = self.child(installation, "offline", 0)?;
                Some(OfflineCli {
                    cli: cli(o.command, o.args),
                    scope: self.u32(oid, "saSmfBundleInstallOfflineScope", &o.scope)?,
                })
            }
            None => None,
        };
        let timeout_id = self.child(id, "defaultCliTimeout", 0)?;
        Ok(Bundle {
            dn: d.name.trim().to_string(),
            remove_offline,
            remove_online: d.removal.online.map(|c| cli(c.command, c.args)),
            install_offline,
            install_online: d.installation.online.map(|c| cli(c.command, c.args)),
            default_timeout: self.opt_i64(
                timeout_id,
                "saSmfBundleDefaultCmdTimeout",
                &d.default_timeout.timeout,
            )?,
            line: self.pos.line(id),
        })
    }

    fn callbacks(
        &self,
        parent: ElementId,
        name: &str,
        d: Vec<dto::CallbackOptions>,
    ) -> Result<Vec<Callback>, Error> {
        d.into_iter()
            .enumerate()
            .map(|(k, c)| self.callback(self.child(parent, name, k)?, c))
            .collect()
    }

    fn callback(&self, id: ElementId, c: dto::CallbackOptions) -> Result<Callback, Error> {
        Ok(Callback {
            label: c.label,
            time: self.opt_i64(id, "time", &c.time)?,
            string_to_pass: c.string_to_pass,
            line: self.pos.line(id),
        })
    }

    fn actions(
        &self,
        parent: ElementId,
        name: &str,
        d: Vec<dto::Action>,
    ) -> Result<Vec<CustomAction>, Error> {
        d.into_iter()
            .enumerate()
            .map(|(k, a)| self.action(self.child(parent, name, k)?, a))
            .collect()
    }

    /// Resolves the xs:choice of `actionT`.
    fn action(&self, id: ElementId, a: dto::Action) -> Result<CustomAction, Error> {
        let kind = match a {
            dto::Action {
                do_admin: Some(forward),
                undo_admin: Some(undo),
                ccb: None,
                do_cli: None,
                undo_cli: None,
                callback: None,
                ref exec_envs,
            } if exec_envs.is_empty() => {
                let undo_id = self.child(id, "undoAdminOperation", 0)?;
                let do_id = self.child(id, "doAdminOperation", 0)?;
                CustomActionKind::Admin {
                    forward: self.admin(do_id, forward)?,
                    undo: self.admin(undo_id, undo)?,
                }
            }
            dto::Action {
                do_admin: None,
                undo_admin: None,
                ccb: Some(ccb),
                do_cli: None,
                undo_cli: None,
                callback: None,
                ref exec_envs,
            } if exec_envs.is_empty() => {
                CustomActionKind::Ccb(self.ccb(self.child(id, "immCCB", 0)?, ccb)?)
            }
            dto::Action {
                do_admin: None,
                undo_admin: None,
                ccb: None,
                do_cli: Some(forward),
                undo_cli: Some(undo),
                callback: None,
                exec_envs,
            } if !exec_envs.is_empty() => CustomActionKind::Cli {
                forward: cli(forward.command, forward.args),
                undo: cli(undo.command, undo.args),
                exec_envs: exec_envs.into_iter().map(exec_env).collect(),
            },
            dto::Action {
                do_admin: None,
                undo_admin: None,
                ccb: None,
                do_cli: None,
                undo_cli: None,
                callback: Some(c),
                ref exec_envs,
            } if exec_envs.is_empty() => {
                CustomActionKind::Callback(self.callback(self.child(id, "callback", 0)?, c)?)
            }
            _ => {
                return Err(self.pos.error(
                    id,
                    "a custom action (actionT) holds exactly one of: doAdminOperation undoAdminOperation; immCCB; doCliCommand undoCliCommand plmExecEnv+; callback",
                ));
            }
        };
        Ok(CustomAction {
            kind,
            line: self.pos.line(id),
        })
    }

    fn admin(&self, id: ElementId, d: dto::AdminOperation) -> Result<AdminOperation, Error> {
        let params = d
            .params
            .into_iter()
            .enumerate()
            .map(|(k, p)| {
                let pid = self.child(id, "param", k)?;
                Ok(AdminParam {
                    name: p.name,
                    value_type: self.value_type(pid, &p.value_type)?,
                    value: p.value,
                })
            })
            .collect::<Result<Vec<_>, Error>>()?;
        Ok(AdminOperation {
            object_dn: d.object_dn.map(|s| s.trim().to_string()),
            operation: d.operation.map(|s| s.trim().to_string()),
            params,
        })
    }

    fn value_type(&self, id: ElementId, s: &str) -> Result<ValueType, Error> {
        VALUE_TYPES
            .iter()
            .find(|(n, _)| *n == s.trim())
            .map(|(_, t)| *t)
            .ok_or_else(|| {
                self.pos.error(
                    id,
                    format!("attribute `type`: '{s}' is not an SaImmValueTypeT"),
                )
            })
    }

    fn modify_kind(&self, id: ElementId, s: &str) -> Result<ModifyKind, Error> {
        MODIFY_KINDS
            .iter()
            .find(|(n, _)| *n == s.trim())
            .map(|(_, t)| *t)
            .ok_or_else(|| {
                self.pos.error(
                    id,
                    format!("attribute `operation`: '{s}' is not a modifyOperationT"),
                )
            })
    }

    fn attributes(
        &self,
        id: ElementId,
        d: Vec<dto::Attribute>,
    ) -> Result<Vec<ImmAttribute>, Error> {
        d.into_iter()
            .enumerate()
            .map(|(k, a)| {
                let aid = self.child(id, "attribute", k)?;
                Ok(ImmAttribute {
                    name: a.name,
                    value_type: self.value_type(aid, &a.value_type)?,
                    values: a.values,
                })
            })
            .collect()
    }

    fn ccb(&self, id: ElementId, d: dto::ImmCcb) -> Result<Ccb, Error> {
        let flags = self.u64(id, "ccbFlags", &d.flags)?;
        let ops = d
            .ops
            .into_iter()
            .enumerate()
            .map(|(k, op)| {
                let oid = self.nth_child(id, k)?;
                Ok(match op {
                    dto::CcbOp::Create(c) => CcbOp::Create(self.create(oid, c)?),
                    dto::CcbOp::Delete(o) => CcbOp::Delete {
                        dn: o.dn.trim().to_string(),
                        line: self.pos.line(oid),
                    },
                    dto::CcbOp::Modify(m) => CcbOp::Modify(ImmModify {
                        dn: m.dn.trim().to_string(),
                        operation: self.modify_kind(oid, &m.operation)?,
                        attributes: self.attributes(oid, m.attributes)?,
                        line: self.pos.line(oid),
                    }),
                })
            })
            .collect::<Result<Vec<_>, Error>>()?;
        Ok(Ccb { flags, ops })
    }

    fn create(&self, id: ElementId, c: dto::ImmCreate) -> Result<ImmCreate, Error> {
        Ok(ImmCreate {
            class: c.class,
            parent_dn: c.parent.trim().to_string(),
            attributes: self.attributes(id, c.attributes)?,
            line: self.pos.line(id),
        })
    }

    fn procedure(&self, id: ElementId, d: dto::UpgradeProcedure) -> Result<Procedure, Error> {
        let exec_level = match &d.exec_level {
            Some(l) => self.u32(id, "saSmfExecLevel", l)?,
            None => 0,
        };
        let outage_info = self.child(id, "outageInfo", 0)?;
        let outage = self.outage(
            self.child(outage_info, "acceptableServiceOutage", 0)?,
            d.outage.acceptable,
        )?;
        let period = self.i64(
            self.child(outage_info, "procedurePeriod", 0)?,
            "saSmfProcPeriod",
            &d.outage.period.period,
        )?;
        let method_id = self.child(id, "upgradeMethod", 0)?;
        let method = self.method(self.nth_child(method_id, 0)?, d.method.method)?;
        Ok(Procedure {
            name: d.name.trim().to_string(),
            exec_level,
            outage,
            period,
            init_actions: self.actions(id, "procInitAction", d.init_actions)?,
            method,
            wrapup_actions: self.actions(id, "procWrapupAction", d.wrapup_actions)?,
            line: self.pos.line(id),
        })
    }

    /// Resolves `all | none | (max?, (mayGoUnassignedSI+ | mustKeepAssignedSI+)?)`.
    fn outage(&self, id: ElementId, d: dto::AcceptableServiceOutage) -> Result<Outage, Error> {
        let limited =
            d.max.is_some() || !d.may_go_unassigned.is_empty() || !d.must_keep_assigned.is_empty();
        let alternatives =
            usize::from(d.all.is_some()) + usize::from(d.none.is_some()) + usize::from(limited);
        let mixed_lists = !d.may_go_unassigned.is_empty() && !d.must_keep_assigned.is_empty();
        if alternatives > 1 || mixed_lists {
            return Err(self.pos.error(
                id,
                "acceptableServiceOutage holds exactly one of: all; none; max? followed by mayGoUnassignedSI+ or mustKeepAssignedSI+",
            ));
        }
        if d.all.is_some() {
            return Ok(Outage::All);
        }
        if d.none.is_some() {
            return Ok(Outage::None);
        }
        let max = match &d.max {
            Some(m) => {
                let mid = self.child(id, "max", 0)?;
                m.value
                    .as_deref()
                    .map(|v| self.u64(mid, "value", v))
                    .transpose()?
            }
            None => None,
        };
        // An SI entry without its attribute is schema-valid but names nothing; it is refused
        // rather than dropped, so the outage constraint checked is the one the author meant.
        let named = |name: &str, attr: &str, sis: Vec<Option<String>>| {
            sis.into_iter()
                .enumerate()
                .map(|(k, si)| {
                    let sid = self.child(id, name, k)?;
                    si.map(|s| s.trim().to_string()).ok_or_else(|| {
                        self.pos
                            .error(sid, format!("`{attr}` is missing: the element names no SI"))
                    })
                })
                .collect::<Result<Vec<_>, Error>>()
        };
        let sis = if !d.may_go_unassigned.is_empty() {
            SiConstraint::MayGoUnassigned(named(
                "mayGoUnassignedSI",
                "saSmfProcAcceptSIOutage",
                d.may_go_unassigned.into_iter().map(|s| s.si).collect(),
            )?)
        } else if !d.must_keep_assigned.is_empty() {
            SiConstraint::MustKeepAssigned(named(
                "mustKeepAssignedSI",
                "saSmfProcMustKeepSIs",
                d.must_keep_assigned.into_iter().map(|s| s.si).collect(),
            )?)
        } else {
            SiConstraint::Unrestricted
        };
        Ok(Outage::Limited { max, sis })
    }

    fn method(&self, id: ElementId, d: dto::Method) -> Result<Method, Error> {
        match d {
            dto::Method::Rolling(r) => {
                let scope_id = self.child(self.child(id, "upgradeScope", 0)?, "byTemplate", 0)?;
                let scope = self.by_template(scope_id, r.scope.by_template)?;
                let acts_on = units_of_templates(&scope.activation_unit);
                let step_id = self.child(id, "upgradeStep", 0)?;
                let attrs = StepAttrs {
                    restart_option: r.step.restart_option,
                    max_retry: r.step.max_retry,
                    in_phase: r.step.in_phase,
                    locked_reduced: r.step.locked_reduced,
                };
                // Pass 1 checked the alternation customizationTime, callback.
                let mut callbacks = Vec::new();
                let mut items = r.step.items.into_iter();
                let mut k = 0;
                while let (
                    Some(dto::RollingStepItem::Time(t)),
                    Some(dto::RollingStepItem::Callback(c)),
                ) = (items.next(), items.next())
                {
                    callbacks.push(StepCallback {
                        on_step: Some(t.on_step.count),
                        at: t.at_action.point,
                        callback: self.callback(self.nth_child(step_id, k + 1)?, c)?,
                    });
                    k += 2;
                }
                let step = self.step(step_id, attrs, acts_on, callbacks)?;
                Ok(Method::Rolling {
                    scope,
                    step,
                    disable_simultaneous_exec: self
                        .flag(
                            id,
                            "saSmfProcDisableSimultanExec",
                            &r.disable_simultaneous_exec,
                        )?
                        .unwrap_or(true),
                })
            }
            dto::Method::SingleStep(s) => {
                let mut scopes_and_steps = Vec::new();
                let mut items = s.items.into_iter().enumerate();
                while let (Some((ks, scope)), Some((kt, step))) = (items.next(), items.next()) {
                    let (dto::SingleStepItem::Scope(scope), dto::SingleStepItem::Step(step)) =
                        (scope, step)
                    else {
                        return Err(self
                            .pos
                            .error(id, "singleStepUpgrade holds upgradeScope upgradeStep pairs"));
                    };
                    let scope_id = self.nth_child(self.nth_child(id, ks)?, 0)?;
                    let scope = self.scope(scope_id, scope.scope)?;
                    let step_id = self.nth_child(id, kt)?;
                    let acts_on = match &scope {
                        Scope::AddRemove(a) => {
                            units_of_selectors(a.deactivation.iter().chain(&a.activation))
                        }
                        Scope::Modify(m) => units_of_selectors(m.activation.iter()),
                    };
                    let mut callbacks = Vec::new();
                    let mut step_items = step.items.into_iter();
                    let mut k = 0;
                    while let (
                        Some(dto::SingleStepCallbackItem::At(a)),
                        Some(dto::SingleStepCallbackItem::Callback(c)),
                    ) = (step_items.next(), step_items.next())
                    {
                        callbacks.push(StepCallback {
                            on_step: None,
                            at: a.point,
                            callback: self.callback(self.nth_child(step_id, k + 1)?, c)?,
                        });
                        k += 2;
                    }
                    let attrs = StepAttrs {
                        restart_option: step.restart_option,
                        max_retry: step.max_retry,
                        in_phase: step.in_phase,
                        locked_reduced: step.locked_reduced,
                    };
                    let step = self.step(step_id, attrs, acts_on, callbacks)?;
                    scopes_and_steps.push((scope, step));
                }
                Ok(Method::SingleStep { scopes_and_steps })
            }
        }
    }

    fn step(
        &self,
        id: ElementId,
        a: StepAttrs,
        acts_on: Units,
        callbacks: Vec<StepCallback>,
    ) -> Result<StepSpec, Error> {
        let restart_option = self
            .flag(id, "saSmfStepRestartOption", &a.restart_option)?
            .unwrap_or(false);
        let max_retry = a
            .max_retry
            .as_deref()
            .map(|v| self.u32(id, "saSmfStepMaxRetry", v))
            .transpose()?;
        let in_phase = self
            .flag(id, "saSmfStepInPhaseStep", &a.in_phase)?
            .unwrap_or(false);
        let locked_reduced = self
            .flag(id, "saSmfStepLockedReducedStep", &a.locked_reduced)?
            .unwrap_or(false);
        let marker = match (in_phase, locked_reduced) {
            (true, true) => {
                return Err(self.pos.error(
                    id,
                    "saSmfStepInPhaseStep=\"1\" and saSmfStepLockedReducedStep=\"1\" name two step types",
                ));
            }
            (true, false) => Some(StepType::InPhase),
            (false, true) => Some(StepType::LockedReduced),
            (false, false) => None,
        };
        Ok(StepSpec {
            restart_option,
            max_retry,
            marker,
            acts_on,
            callbacks,
            line: self.pos.line(id),
        })
    }

    fn by_template(&self, id: ElementId, d: dto::ByTemplate) -> Result<ByTemplate, Error> {
        let activation_unit = match d.node_template.activation_unit {
            Some(t) => templates(t),
            None => Vec::new(),
        };
        Ok(ByTemplate {
            node_template: d.node_template.dn.trim().to_string(),
            activation_unit,
            sw_remove: d
                .node_template
                .sw_remove
                .into_iter()
                .map(bundle_ref)
                .collect(),
            sw_add: d.node_template.sw_add.into_iter().map(bundle_ref).collect(),
            targets: self.targets(id, d.targets)?,
            line: self.pos.line(id),
        })
    }

    fn targets(
        &self,
        parent: ElementId,
        d: Vec<dto::TargetEntityTemplate>,
    ) -> Result<Vec<TargetEntityTemplate>, Error> {
        d.into_iter()
            .enumerate()
            .map(|(k, t)| {
                let tid = self.child(parent, "targetEntityTemplate", k)?;
                let modifications = t
                    .modifications
                    .into_iter()
                    .enumerate()
                    .map(|(m, op)| {
                        let mid = self.child(tid, "modifyOperation", m)?;
                        Ok(Modification {
                            rdn: op.rdn.map(|s| s.trim().to_string()),
                            operation: self.modify_kind(mid, &op.operation)?,
                            attributes: self.attributes(mid, op.attributes)?,
                        })
                    })
                    .collect::<Result<Vec<_>, Error>>()?;
                Ok(TargetEntityTemplate {
                    parent: t.parent.map(|o| o.dn.trim().to_string()),
                    type_dn: t.type_.map(|o| o.dn.trim().to_string()),
                    modifications,
                })
            })
            .collect()
    }

    fn scope(&self, id: ElementId, d: dto::Scope) -> Result<Scope, Error> {
        Ok(match d {
            dto::Scope::AddRemove(a) => {
                let act = self.child(id, "activationUnit", 0)?;
                let added = a
                    .activation
                    .added
                    .into_iter()
                    .enumerate()
                    .map(|(k, c)| self.create(self.child(act, "added", k)?, c))
                    .collect::<Result<Vec<_>, _>>()?;
                Scope::AddRemove(AddRemove {
                    deactivation: selectors(a.deactivation.acted_on),
                    removed: selectors(a.deactivation.removed),
                    sw_remove: a
                        .deactivation
                        .sw_remove
                        .into_iter()
                        .map(bundle_ref)
                        .collect(),
                    activation: selectors(a.activation.acted_on),
                    added,
                    sw_add: a.activation.sw_add.into_iter().map(bundle_ref).collect(),
                    line: self.pos.line(id),
                })
            }
            dto::Scope::Modify(m) => Scope::Modify(ForModify {
                activation: selectors(m.activation.acted_on),
                sw_remove: m.activation.sw_remove.into_iter().map(bundle_ref).collect(),
                sw_add: m.activation.sw_add.into_iter().map(bundle_ref).collect(),
                targets: self.targets(id, m.targets)?,
                line: self.pos.line(id),
            }),
        })
    }

    fn wrapup(&self, id: ElementId, d: dto::CampaignWrapup) -> Result<Wrapup, Error> {
        Ok(Wrapup {
            complete_actions: self.actions(id, "campCompleteAction", d.complete_actions)?,
            wait_to_commit: self.opt_i64(
                self.child(id, "waitToCommit", 0)?,
                "time",
                &d.wait_to_commit.time,
            )?,
            callbacks_at_commit: self.callbacks(id, "callbackAtCommit", d.callbacks_at_commit)?,
            wrapup_actions: self.actions(id, "campWrapupAction", d.wrapup_actions)?,
            wait_to_allow_new_campaign: self.opt_i64(
                self.child(id, "waitToAllowNewCampaign", 0)?,
                "time",
                &d.wait_to_allow_new_campaign.time,
            )?,
            remove_entity_types: d
                .remove_from_imm
                .entity_types
                .into_iter()
                .map(|o| o.dn.trim().to_string())
                .collect(),
            remove_bundles: d
                .remove_from_imm
                .bundles
                .into_iter()
                .map(bundle_ref)
                .collect(),
        })
    }
}

fn cli(command: String, args: Option<String>) -> Cli {
    Cli { command, args }
}

fn exec_env(e: dto::PlmExecEnv) -> ExecEnv {
    ExecEnv {
        plm_ee: e.plm_ee.map(|s| s.trim().to_string()),
        clm_node: e.clm_node.map(|s| s.trim().to_string()),
        amf_node: e.amf_node.map(|s| s.trim().to_string()),
    }
}

fn bundle_ref(b: dto::BundleRef) -> BundleRef {
    BundleRef {
        dn: b.dn.trim().to_string(),
        pathname_prefix: b.pathname_prefix,
        exec_envs: b.exec_envs.into_iter().map(exec_env).collect(),
    }
}

/// Groups `entityTemplateT`'s `(parent?, type?)*` into templates: a `type` right after a
/// `parent` belongs to it; anything else starts a new template. An empty list stays empty.
fn templates(t: dto::EntityTemplate) -> Vec<Template> {
    let mut out: Vec<Template> = Vec::new();
    for item in t.items {
        match item {
            dto::TemplateItem::Parent(o) => out.push(Template {
                parent: Some(o.dn.trim().to_string()),
                type_dn: None,
            }),
            dto::TemplateItem::Type(o) => {
                let dn = o.dn.trim().to_string();
                match out.last_mut() {
                    Some(last) if last.parent.is_some() && last.type_dn.is_none() => {
                        last.type_dn = Some(dn);
                    }
                    _ => out.push(Template {
                        parent: None,
                        type_dn: Some(dn),
                    }),
                }
            }
        }
    }
    out
}

fn selectors(list: Option<dto::EntityList>) -> Vec<Selector> {
    let mut out = Vec::new();
    for item in list.map(|l| l.items).unwrap_or_default() {
        match item {
            dto::EntityListItem::ByName(o) => out.push(Selector::ByName(o.dn.trim().to_string())),
            dto::EntityListItem::ByTemplate(t) => {
                let ts = templates(t);
                if ts.is_empty() {
                    // An empty byTemplate selects without restriction.
                    out.push(Selector::ByTemplate(Template::default()));
                }
                out.extend(ts.into_iter().map(Selector::ByTemplate));
            }
        }
    }
    out
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
fn units_of_templates(ts: &[Template]) -> Units {
    if ts.is_empty() {
        return Units::Uniform(EntityKind::Node);
    }
    ts.iter()
        .fold(Units::Nothing, |u, t| u.join(kind_of_template(t)))
}

fn units_of_selectors<'a>(sels: impl Iterator<Item = &'a Selector>) -> Units {
    sels.fold(Units::Nothing, |u, s| {
        u.join(match s {
            Selector::ByName(dn) => kind_of_dn(dn),
            Selector::ByTemplate(t) => kind_of_template(t),
        })
    })
}
