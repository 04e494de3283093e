//! The UCS schema (`SAI-AIS-SMF-UCS-A.01.02_OpenSAF.xsd`, plus the thesis's extension
//! attributes of §4.5 and Fig. 7.9) as a table of content-model rules, pass 1 of reading a
//! campaign: the children each element admits and in what order, its attributes with their
//! types, and the unique constraints. It is what rejects a schema-invalid campaign for
//! xmllint's reasons, with lines, before serde sees it.

use crate::xml::position::{Attr, AttrType, Rule, Unique, opt, req};
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
