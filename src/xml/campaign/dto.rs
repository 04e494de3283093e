//! The raw DTOs of a campaign document, pass 2 of reading it: serde mirrors of the UCS
//! elements, element by element — `@attr` for attributes, `$value` where an xs:choice or an
//! ordered mix of children must be kept, `#[serde(default)]` on repeated elements. Validation is
//! pass 1's job (with lines), so these do not deny unknown fields; attribute values stay strings
//! until conversion parses them.

use crate::ucs::{ActionPoint, StepCount};
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
