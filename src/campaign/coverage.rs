//! What `smfcheck check` does with every element and attribute of the UCS schema
//! (`SAI-AIS-SMF-UCS-A.01.02_OpenSAF.xsd`) and of the thesis's extensions: each either has its
//! effect in the model, has no effect on any entity a claim compares (and the entry says why),
//! or makes the run refuse the campaign with exit 2 and `file:line` where the model cannot
//! follow it. Nothing is dropped silently: a test walks the schema's element and attribute names
//! and requires an entry for each (and no entry for a name the schema lacks).

/// How a name of the schema is treated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Treatment {
    /// It has its effect in the explored model.
    Modelled,
    /// It changes nothing a claim compares (timing, bookkeeping, descriptions); the reason says
    /// why.
    NoEffect,
    /// Modelled in the cases the reason names; every other use is refused with exit 2.
    Partly,
}

use Treatment::{Modelled, NoEffect, Partly};

/// Every element and attribute name of the schema (and the thesis's extension attributes), with
/// its treatment and the reason.
pub const UCS: &[(&str, Treatment, &str)] = &[
    // Campaign structure.
    (
        "upgradeCampaign",
        Modelled,
        "the campaign FSM (SaSmfCmpgStateT as smfd drives it)",
    ),
    (
        "safSmfCampaign",
        NoEffect,
        "the campaign's name, printed in reports",
    ),
    (
        "campaignInfo",
        NoEffect,
        "holds the campaign period and configuration base only",
    ),
    (
        "campaignPeriod",
        NoEffect,
        "an expected duration; the model has no time",
    ),
    (
        "saSmfCmpgExpectedTime",
        NoEffect,
        "an expected duration; the model has no time",
    ),
    (
        "configurationBase",
        NoEffect,
        "smfd's prerequisite check of the IMM version; the configuration given is the base",
    ),
    (
        "saSmfCmpgConfigBase",
        NoEffect,
        "smfd's prerequisite check of the IMM version",
    ),
    (
        "campaignInitialization",
        Modelled,
        "addToImm, callbacks and campInitAction at Execute",
    ),
    (
        "addToImm",
        Modelled,
        "bundles and AMF types the campaign declares (bundle references are checked against them); created at Execute, removed on rollback, in the IMM ledger (crate::campaign::im)",
    ),
    (
        "softwareBundle",
        Modelled,
        "a bundle the campaign adds: references to it resolve",
    ),
    (
        "name",
        Partly,
        "names of bundles, attributes and parameters: modelled where the element they name is",
    ),
    (
        "removal",
        NoEffect,
        "the bundle's removal scripts: the step tables say when a bundle is removed online and offline",
    ),
    (
        "installation",
        NoEffect,
        "the bundle's installation scripts: the step tables say when a bundle is installed",
    ),
    (
        "offline",
        NoEffect,
        "an offline script: the step tables place offline operations",
    ),
    (
        "online",
        NoEffect,
        "an online script: the step tables place online operations",
    ),
    ("command", NoEffect, "a script's command line"),
    ("args", NoEffect, "a script's arguments"),
    (
        "saSmfBundleInstallOfflineScope",
        NoEffect,
        "the scope an offline installation takes down: the step's units are taken down by the step tables",
    ),
    (
        "saSmfBundleRemoveOfflineScope",
        NoEffect,
        "the scope an offline removal takes down: the step's units are taken down by the step tables",
    ),
    (
        "defaultCliTimeout",
        NoEffect,
        "a timeout; the model has no time",
    ),
    (
        "saSmfBundleDefaultCmdTimeout",
        NoEffect,
        "a timeout; the model has no time",
    ),
    (
        "amfEntityTypes",
        Modelled,
        "component types (software bundle, restart) and SG types (redundancy model) are indexed; the other types are referenced by name only",
    ),
    (
        "AppBaseType",
        NoEffect,
        "an application type: no claim reads it",
    ),
    (
        "AppType",
        NoEffect,
        "an application type version: no claim reads it",
    ),
    ("safAppType", NoEffect, "an application type name"),
    (
        "serviceGroupType",
        NoEffect,
        "the SG types an application type allows",
    ),
    (
        "saAmfApptSGTypes",
        NoEffect,
        "the SG types an application type allows",
    ),
    (
        "SGBaseType",
        Modelled,
        "an SG type (its versions are indexed)",
    ),
    (
        "SGType",
        Modelled,
        "an SG type version with its redundancy model",
    ),
    ("safSgType", Modelled, "the SG type's name"),
    (
        "redundancy",
        Modelled,
        "the redundancy model decides the SG's capacity",
    ),
    (
        "saAmfSgtRedundancyModel",
        Modelled,
        "2N, N+M, N-way, N-way-active, no-redundancy: what AMF can assign",
    ),
    ("suType", NoEffect, "the SU types an SG type allows"),
    (
        "saAmfSgtValidSuTypes",
        NoEffect,
        "the SU types an SG type allows",
    ),
    (
        "compRestart",
        NoEffect,
        "AMF's restart escalation; SU and component restarts are instantaneous in the model",
    ),
    (
        "saAmfSgtDefCompRestartProb",
        NoEffect,
        "restart escalation timing",
    ),
    (
        "saAmfSgtDefCompRestartMax",
        NoEffect,
        "restart escalation count",
    ),
    ("suRestart", NoEffect, "AMF's restart escalation"),
    (
        "saAmfSgtDefSuRestartProb",
        NoEffect,
        "restart escalation timing",
    ),
    (
        "saAmfSgtDefSuRestartMax",
        NoEffect,
        "restart escalation count",
    ),
    (
        "autoAttrs",
        NoEffect,
        "AMF's auto-adjust and auto-repair defaults: assignments are recomputed from the SUs in service",
    ),
    (
        "safAmfSgtDefAutoAdjust",
        NoEffect,
        "assignments are recomputed from the SUs in service",
    ),
    (
        "safAmfSgtDefAutoRepair",
        NoEffect,
        "repairs of failed entities are outside a campaign",
    ),
    ("saAmfSgtDefAutoAdjustProb", NoEffect, "auto-adjust timing"),
    (
        "SUBaseType",
        NoEffect,
        "an SU type: SUs are selected by the configured types",
    ),
    ("SUType", NoEffect, "an SU type version"),
    ("safSuType", NoEffect, "an SU type name"),
    (
        "mandatoryAttrs",
        NoEffect,
        "SU type attributes no claim reads",
    ),
    (
        "saAmfSutIsExternal",
        NoEffect,
        "external SUs are not in the configurations smfcheck reads",
    ),
    (
        "saAmfSutDefSUFailover",
        NoEffect,
        "failover policy after a fault; the model's faults are step actions",
    ),
    (
        "componentType",
        NoEffect,
        "the component types an SU type allows",
    ),
    (
        "saAmfSutMaxNumComponents",
        NoEffect,
        "an SU type bound no claim reads",
    ),
    (
        "saAmfSutMinNumComponents",
        NoEffect,
        "an SU type bound no claim reads",
    ),
    (
        "supportedSvcType",
        NoEffect,
        "the service types an SU type provides",
    ),
    (
        "saAmfSutProvidesSvcType",
        NoEffect,
        "the service types an SU type provides",
    ),
    (
        "CompBaseType",
        Modelled,
        "a component type (its versions are indexed)",
    ),
    (
        "CompType",
        Modelled,
        "a component type version with its software bundle",
    ),
    ("safCompType", Modelled, "the component type's name"),
    (
        "providesCSType",
        NoEffect,
        "CSI types: assignments are modelled per SI",
    ),
    ("safSupportedCsType", NoEffect, "CSI types"),
    (
        "saAmfCtCompCapability",
        NoEffect,
        "CSI capability: assignments are modelled per SI",
    ),
    (
        "saAmfCtDefNumMaxActiveCsi",
        NoEffect,
        "CSI capacity: SI capacity comes from the SG",
    ),
    ("saAmfCtDefNumMaxStandbyCsi", NoEffect, "CSI capacity"),
    (
        "compTypeDefaults",
        Modelled,
        "saAmfCtDefDisableRestart decides between a reduced and a normal step",
    ),
    ("saAmfCtCompCategory", NoEffect, "the component category"),
    ("saAmfCtDefCallbackTimeout", NoEffect, "a timeout"),
    ("saAmfCtDefClcCliTimeout", NoEffect, "a timeout"),
    ("saAmfCtDefQuiescingCompleteTimeout", NoEffect, "a timeout"),
    (
        "saAmfCtDefRecoveryOnError",
        NoEffect,
        "recovery policy after a fault; the model's faults are step actions",
    ),
    (
        "saAmfCtDefDisableRestart",
        Modelled,
        "a component AMF will not restart makes OpenSAF use a normal step instead of a reduced one",
    ),
    (
        "saAmfCtDefInstantiationLevel",
        NoEffect,
        "instantiation order inside an SU",
    ),
    ("instantiateCmd", NoEffect, "a CLC-CLI command"),
    ("terminateCmd", NoEffect, "a CLC-CLI command"),
    ("cleanupCmd", NoEffect, "a CLC-CLI command"),
    ("amStartCmd", NoEffect, "a CLC-CLI command"),
    ("amStopCmd", NoEffect, "a CLC-CLI command"),
    ("osafHcCmd", NoEffect, "a health-check command"),
    ("saAmfCtRelPathInstantiateCmd", NoEffect, "a CLC-CLI path"),
    ("saAmfCtRelPathTerminateCmd", NoEffect, "a CLC-CLI path"),
    ("saAmfCtRelPathCleanupCmd", NoEffect, "a CLC-CLI path"),
    ("saAmfCtRelPathAmStartCmd", NoEffect, "a CLC-CLI path"),
    ("saAmfCtRelPathAmStopCmd", NoEffect, "a CLC-CLI path"),
    ("osafAmfCtRelPathHcCmd", NoEffect, "a health-check path"),
    ("cmdArgv", NoEffect, "CLC-CLI arguments"),
    ("cmdEnv", NoEffect, "CLC-CLI environment"),
    (
        "healthCheck",
        NoEffect,
        "health checks detect faults at run time; the model's faults are step actions",
    ),
    ("safHealthcheckKey", NoEffect, "a health-check key"),
    ("saAmfHealthcheckPeriod", NoEffect, "health-check timing"),
    (
        "saAmfHealthcheckMaxDuration",
        NoEffect,
        "health-check timing",
    ),
    (
        "swBundle",
        Modelled,
        "the component type's software: compatibility of what runs",
    ),
    (
        "saAmfCtSwBundle",
        Modelled,
        "the component type's software: compatibility of what runs",
    ),
    (
        "CSBaseType",
        NoEffect,
        "a CS type: assignments are modelled per SI",
    ),
    ("CSType", NoEffect, "a CS type version"),
    ("safCSType", NoEffect, "a CS type name"),
    ("csAttribute", NoEffect, "CSI attributes"),
    ("saAmfCSAttrName", NoEffect, "a CSI attribute name"),
    ("ServiceBaseType", NoEffect, "a service type"),
    ("ServiceType", NoEffect, "a service type version"),
    ("safSvcType", NoEffect, "a service type name"),
    ("csType", NoEffect, "the CS types of a service type"),
    (
        "safMemberCSType",
        NoEffect,
        "the CS types of a service type",
    ),
    ("saAmfSvctMaxNumCSIs", NoEffect, "a service type bound"),
    ("defWeights", NoEffect, "load weights"),
    ("saAmfSvcDefActiveWeight", NoEffect, "a load weight"),
    ("saAmfSvcDefStandbyWeight", NoEffect, "a load weight"),
    ("safVersion", Modelled, "the version part of type names"),
    (
        "safMemberCompType",
        NoEffect,
        "the component types of an SU type",
    ),
    (
        "callbackAtInit",
        NoEffect,
        "a failing callback leaves the campaign Initial (smfd SmfCampState.cc): nothing has changed, no claim concerns it",
    ),
    ("callbackAtBackup", NoEffect, "as callbackAtInit"),
    (
        "callbackAtRollback",
        NoEffect,
        "its failure ends the rollback Rollback Failed with the entities as the state before — already judged (README: custom action failures)",
    ),
    ("callbackAtCommit", NoEffect, "smfd ignores its failure"),
    (
        "callback",
        NoEffect,
        "a callback changes no modelled entity; its failure ends the campaign in a state already judged (README)",
    ),
    ("callbackLabel", NoEffect, "the callback's label"),
    ("time", NoEffect, "a time or timeout; the model has no time"),
    ("stringToPass", NoEffect, "data for the callback"),
    (
        "campInitAction",
        Modelled,
        "its actions run at Execute, undone last on rollback",
    ),
    // Custom actions.
    (
        "doAdminOperation",
        Partly,
        "lock, unlock, lock-instantiation, unlock-instantiation, shutdown, restart on SUs, SGs, applications, AMF nodes and SIs (lock/unlock); other operations or targets are refused",
    ),
    (
        "undoAdminOperation",
        Partly,
        "the undo run on rollback; as doAdminOperation",
    ),
    (
        "objectDN",
        Modelled,
        "the object an operation, a CCB operation or a selection names",
    ),
    ("operationID", Partly, "as doAdminOperation"),
    (
        "param",
        NoEffect,
        "parameters of an admin operation; none of the modelled operations takes one",
    ),
    (
        "value",
        Partly,
        "values of attributes and parameters: modelled where their attribute is",
    ),
    (
        "type",
        Partly,
        "an attribute's value type, or a template's type selection (modelled)",
    ),
    (
        "doCliCommand",
        NoEffect,
        "a command on some node changes no modelled entity; its failure ends the campaign in a state already judged (README)",
    ),
    ("undoCliCommand", NoEffect, "as doCliCommand"),
    (
        "plmExecEnv",
        NoEffect,
        "where a command or a bundle operation runs: an entity's software is (un)installed where the entity is hosted",
    ),
    ("plmExecEnviron", NoEffect, "as plmExecEnv"),
    ("amfNode", NoEffect, "as plmExecEnv"),
    ("clmNode", NoEffect, "as plmExecEnv"),
    (
        "immCCB",
        Partly,
        "saPlmDepNames replacements, creations and deletions of SUs and SIs (and of what contains them); every object and attribute it touches is in the IMM ledger (crate::campaign::im), compared after commit and rollback; a CCB IMM refuses before commit, creating or deleting EEs, nodes, node groups or components of a remaining SU, or changing an attribute the model reads, is refused",
    ),
    ("ccbFlags", NoEffect, "CCB flags"),
    ("create", Partly, "as immCCB"),
    ("objectClassName", Modelled, "decides what a creation does"),
    (
        "parentObjectDN",
        Modelled,
        "where an object is created (checked to exist)",
    ),
    ("attribute", Partly, "as immCCB and targetEntityTemplate"),
    ("delete", Partly, "as immCCB"),
    ("modify", Partly, "as immCCB"),
    (
        "operation",
        Partly,
        "SA_IMM_ATTR_VALUES_REPLACE of saPlmDepNames; other changes of read attributes are refused",
    ),
    // Procedures.
    (
        "upgradeProcedure",
        Modelled,
        "the procedure FSM (SaSmfProcStateT as smfd drives it)",
    ),
    (
        "safSmfProcedure",
        Modelled,
        "the procedure's name (checked unique)",
    ),
    (
        "saSmfExecLevel",
        Modelled,
        "procedures of one level run in parallel, levels in order",
    ),
    ("outageInfo", Modelled, "what si-always-available allows"),
    (
        "acceptableServiceOutage",
        Modelled,
        "all, none, or max with mayGoUnassignedSI / mustKeepAssignedSI",
    ),
    (
        "all",
        Modelled,
        "every SI may go unassigned while the procedure runs",
    ),
    ("none", Modelled, "no SI may go unassigned"),
    (
        "max",
        Modelled,
        "at most this many SIs unassigned at once, charged to the procedure",
    ),
    ("mayGoUnassignedSI", Modelled, "only these SIs may go"),
    ("saSmfProcAcceptSIOutage", Modelled, "an SI that may go"),
    ("mustKeepAssignedSI", Modelled, "these SIs must stay"),
    ("saSmfProcMustKeepSIs", Modelled, "an SI that must stay"),
    (
        "procedurePeriod",
        NoEffect,
        "an expected duration; the model has no time",
    ),
    ("saSmfProcPeriod", NoEffect, "an expected duration"),
    (
        "procInitAction",
        Modelled,
        "run before the procedure's first step, undone after its steps roll back",
    ),
    (
        "procWrapupAction",
        Modelled,
        "run after its last step, undone first on rollback",
    ),
    ("upgradeMethod", Modelled, "rolling or single step"),
    (
        "rollingUpgrade",
        Partly,
        "one step per node of the node template with an activation unit; rolling over SUs that AMF places on a node group is refused",
    ),
    (
        "saSmfProcDisableSimultanExec",
        NoEffect,
        "steps of a rolling procedure run one after the other, as smfd runs them whatever this says (SmfProcedureThread.cc: not read)",
    ),
    (
        "singleStepUpgrade",
        Modelled,
        "one step; several scope/step pairs are the thesis's embedded step (§4.1.3)",
    ),
    ("upgradeScope", Modelled, "what a step acts on"),
    (
        "byTemplate",
        Partly,
        "rolling scopes; activation units by template in a single step are refused",
    ),
    (
        "targetNodeTemplate",
        Modelled,
        "the node, node group or cluster rolled over",
    ),
    (
        "activationUnitTemplate",
        Modelled,
        "which SUs or components on each node form the activation unit",
    ),
    ("parent", Modelled, "a template's parent selection"),
    (
        "swAdd",
        Modelled,
        "the bundles the step installs (checked declared)",
    ),
    (
        "swRemove",
        Modelled,
        "the bundles the step removes (checked declared)",
    ),
    ("bundleDN", Modelled, "a bundle reference"),
    ("pathnamePrefix", NoEffect, "where a bundle's files are"),
    (
        "targetEntityTemplate",
        Partly,
        "saPlmEEType (the EE's new type), saAmfCompType (components' new software), saAmfSUType (no software); other attributes the model reads are refused",
    ),
    ("modifyOperation", Partly, "as targetEntityTemplate"),
    (
        "objectRDN",
        NoEffect,
        "a child of the selected entity whose attributes no claim reads",
    ),
    (
        "forAddRemove",
        Modelled,
        "a step that removes its deactivation unit and adds its activation unit (§4.1.3.1 rule 2)",
    ),
    ("deactivationUnit", Modelled, "what the step takes down"),
    ("activationUnit", Modelled, "what the step brings up"),
    ("actedOn", Modelled, "the entities a unit acts on"),
    (
        "byName",
        Modelled,
        "an EE, SU, component, AMF node or CLM node by DN",
    ),
    ("removed", Modelled, "entities the step removes"),
    (
        "added",
        Modelled,
        "entities the step adds (indexed up front, absent until it brings them up)",
    ),
    (
        "forModify",
        Modelled,
        "a step that upgrades its activation unit in place",
    ),
    ("upgradeStep", Modelled, "the step type and its retries"),
    (
        "saSmfStepMaxRetry",
        Modelled,
        "how often a step is retried after an undo",
    ),
    (
        "saSmfStepRestartOption",
        Modelled,
        "a restartable step on components is a reduced step",
    ),
    (
        "saSmfStepInPhaseStep",
        Modelled,
        "thesis extension: an in-phase normal step (§4.1.2)",
    ),
    (
        "saSmfStepLockedReducedStep",
        Modelled,
        "thesis extension: a locked reduced step (§4.1.1)",
    ),
    (
        "customizationTime",
        NoEffect,
        "a step callback point: its failure is the step's failure at that point, which every action's possible failure already covers (README)",
    ),
    (
        "onStep",
        NoEffect,
        "which steps of a rolling procedure call back",
    ),
    ("onEveryStep", NoEffect, "as onStep"),
    ("onFirstStep", NoEffect, "as onStep"),
    ("onLastStep", NoEffect, "as onStep"),
    ("halfWay", NoEffect, "as onStep"),
    ("atAction", NoEffect, "as customizationTime"),
    ("beforeLock", NoEffect, "as customizationTime"),
    ("beforeTermination", NoEffect, "as customizationTime"),
    ("afterImmModification", NoEffect, "as customizationTime"),
    ("afterInstantiation", NoEffect, "as customizationTime"),
    ("afterUnlock", NoEffect, "as customizationTime"),
    // Wrap-up.
    (
        "campaignWrapup",
        Modelled,
        "completion, commit and the wrap-up actions",
    ),
    (
        "campCompleteAction",
        Modelled,
        "run when the last procedure completes, undone first on rollback",
    ),
    ("waitToCommit", NoEffect, "a delay before commit"),
    (
        "campWrapupAction",
        Modelled,
        "run at commit (smfd ignores its failures); its admin operations' undo runs at rollback commit (smfd rollbackCampWrapup)",
    ),
    ("waitToAllowNewCampaign", NoEffect, "a delay after commit"),
    (
        "removeFromImm",
        Modelled,
        "bundles and types removed at commit, in the IMM ledger (bundle references are checked)",
    ),
    (
        "amfEntityTypeDN",
        Modelled,
        "a type removed at commit (IMM ledger): compared with the target",
    ),
    (
        "softwareBundleDN",
        Modelled,
        "a bundle removed after commit (checked declared)",
    ),
];

/// The treatment of a schema name, if it has one.
pub fn treatment(name: &str) -> Option<(Treatment, &'static str)> {
    UCS.iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, t, why)| (*t, *why))
}
