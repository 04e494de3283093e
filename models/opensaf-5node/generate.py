#!/usr/bin/env python3
"""Generate the IMM configuration of the 5-node OpenSAF cluster the sample campaigns were written
for (cluster.xml), of the AmfDemo1 application as campaign_install_demoapp.xml leaves it
(amfdemo1.xml), and of the test bundles install_bundles_testcampaign.xml leaves (testbundles.xml).

The cluster is built the way OpenSAF's immxml tools build one (immxml-clustersize -s 2 -p 3 writes
nodes.cfg "SC SC-1 SC-1" ... "PL PL-5 PL-5"; immxml-nodegen instantiates the SC/PL node templates
once per line, replacing the template node name, CLM_TOKEN, NoRed_TOKEN by NoRed<N> and Rank_TOKEN
by <N>, N the line number, and writes the node groups SCs, PLs, AllNodes; immxml-merge adds the
*_classes.xml and *_objects.xml of the services). The node templates are those of imm.xml.sample
(src/imm/config): per SC a 2N OpenSAF SU and a NoRed SU, per PL a NoRed SU, one NoRed SI per node,
with the middleware components imm.xml.sample gives them. Attribute names are the ones of the
class files (src/amf/config/amf_classes.xml, src/clm/config/clmsv_classes.xml,
src/smf/config/smfsv_classes.xml), whose class definitions are embedded below; every object
attribute written is checked against them.

Standard library only; reads nothing. Run from anywhere: writes next to this file.
"""
import os
import sys

# --- Class definitions (from the OpenSAF class files, compacted) ----------------------------------
# (class, category, "rdn TYPE CAT[/FLAGS]", ["attr TYPE CAT[/FLAGS][ = default]", ...])
# CAT: C SA_CONFIG, R SA_RUNTIME. FLAGS: I INITIALIZED, W WRITABLE, M MULTI_VALUE, P PERSISTENT,
# K CACHED, D NO_DUPLICATES, N NOTIFY, G NO_DANGLING, S STRONG_DEFAULT, X DN.
CLASSES = [
    # src/amf/config/amf_classes.xml
    ('SaAmfCluster', 'C', 'safAmfCluster STRING C/I', [
        'saAmfClusterClmCluster NAME C/W',
        'saAmfClusterStartupTimeout TIME C/WI',
        'saAmfClusterAdminState UINT32 R/PK = 1',
    ]),
    ('SaAmfNode', 'C', 'safAmfNode STRING C/I', [
        'saAmfNodeClmNode NAME C/W',
        'saAmfNodeCapacity STRING C/WM',
        'saAmfNodeSuFailOverProb TIME C/WI',
        'saAmfNodeSuFailoverMax UINT32 C/WI',
        'saAmfNodeAutoRepair UINT32 C/W = 1',
        'saAmfNodeFailfastOnTerminationFailure UINT32 C/W = 0',
        'saAmfNodeFailfastOnInstantiationFailure UINT32 C/W = 0',
        'saAmfNodeAdminState UINT32 R/PK = 1',
        'saAmfNodeOperState UINT32 R/K',
    ]),
    ('SaAmfNodeGroup', 'C', 'safAmfNodeGroup STRING C/I', [
        'saAmfNGNodeList NAME C/MIW',
        'saAmfNGAdminState UINT32 R/PK = 1',
    ]),
    ('SaAmfNodeSwBundle', 'C', 'safInstalledSwBundle NAME C/I', [
        'saAmfNodeSwBundlePathPrefix STRING C/I',
    ]),
    ('SaAmfApplication', 'C', 'safApp STRING C/I', [
        'saAmfAppType NAME C/WI',
        'saAmfApplicationAdminState UINT32 R/PK = 1',
        'saAmfApplicationCurrNumSGs UINT32 R',
    ]),
    ('SaAmfAppType', 'C', 'safVersion STRING C/I', [
        'saAmfApptSGTypes NAME C/WIM',
    ]),
    ('SaAmfAppBaseType', 'C', 'safAppType STRING C/I', [
    ]),
    ('SaAmfSG', 'C', 'safSg STRING C/I', [
        'saAmfSGType NAME C/WI',
        'saAmfSGSuHostNodeGroup NAME C/W',
        'saAmfSGAutoRepair UINT32 C/W',
        'saAmfSGAutoAdjust UINT32 C/W',
        'saAmfSGNumPrefActiveSUs UINT32 C/W = 1',
        'saAmfSGNumPrefStandbySUs UINT32 C/W = 1',
        'saAmfSGNumPrefInserviceSUs UINT32 C/W',
        'saAmfSGNumPrefAssignedSUs UINT32 C/W',
        'saAmfSGMaxActiveSIsperSU UINT32 C/W',
        'saAmfSGMaxStandbySIsperSU UINT32 C/W',
        'saAmfSGAutoAdjustProb TIME C/W',
        'saAmfSGCompRestartProb TIME C/W',
        'saAmfSGCompRestartMax UINT32 C/W',
        'saAmfSGSuRestartProb TIME C/W',
        'saAmfSGSuRestartMax UINT32 C/W',
        'saAmfSGAdminState UINT32 R/PK = 1',
        'saAmfSGNumCurrAssignedSUs UINT32 R',
        'saAmfSGNumCurrNonInstantiatedSpareSUs UINT32 R',
        'saAmfSGNumCurrInstantiatedSpareSUs UINT32 R',
        'osafAmfSGSuOperationList NAME R/MK',
        'osafAmfSGFsmState UINT32 R/K = 0',
    ]),
    ('SaAmfSGType', 'C', 'safVersion STRING C/I', [
        'saAmfSgtRedundancyModel UINT32 C/I',
        'saAmfSgtValidSuTypes NAME C/WMI',
        'saAmfSgtDefAutoRepair UINT32 C/W = 1',
        'saAmfSgtDefAutoAdjust UINT32 C/W = 0',
        'saAmfSgtDefAutoAdjustProb TIME C/WI',
        'saAmfSgtDefCompRestartProb TIME C/WI',
        'saAmfSgtDefCompRestartMax UINT32 C/WI',
        'saAmfSgtDefSuRestartProb TIME C/WI',
        'saAmfSgtDefSuRestartMax UINT32 C/WI',
    ]),
    ('SaAmfSGBaseType', 'C', 'safSgType STRING C/I', [
    ]),
    ('SaAmfSU', 'C', 'safSu STRING C/I', [
        'saAmfSUType NAME C/WI',
        'saAmfSURank UINT32 C/W = 0',
        'saAmfSUHostNodeOrNodeGroup NAME C/W',
        'saAmfSUFailover UINT32 C/W',
        'saAmfSUMaintenanceCampaign NAME C/W',
        'saAmfSUPreInstantiable UINT32 R/K',
        'saAmfSUOperState UINT32 R/K',
        'saAmfSUAdminState UINT32 R/PK = 1',
        'saAmfSUReadinessState UINT32 R/K',
        'saAmfSUPresenceState UINT32 R/K',
        'saAmfSUAssignedSIs NAME R/M',
        'saAmfSUHostedByNode NAME R/K',
        'saAmfSUNumCurrActiveSIs UINT32 R',
        'saAmfSUNumCurrStandbySIs UINT32 R',
        'saAmfSURestartCount UINT32 R',
        'osafAmfSUSwitch UINT32 R/K = 0',
    ]),
    ('SaAmfSUType', 'C', 'safVersion STRING C/I', [
        'saAmfSutIsExternal UINT32 C/I',
        'saAmfSutDefSUFailover UINT32 C/WI',
        'saAmfSutProvidesSvcTypes NAME C/MIW',
    ]),
    ('SaAmfSUBaseType', 'C', 'safSuType STRING C/I', [
    ]),
    ('SaAmfSutCompType', 'C', 'safMemberCompType NAME C/I', [
        'saAmfSutMaxNumComponents UINT32 C',
        'saAmfSutMinNumComponents UINT32 C = 1',
    ]),
    ('SaAmfSI', 'C', 'safSi STRING C/I', [
        'saAmfSvcType NAME C/WI',
        'saAmfSIProtectedbySG NAME C/W',
        'saAmfSIRank UINT32 C/W = 0',
        'saAmfSIActiveWeight STRING C/WM',
        'saAmfSIStandbyWeight STRING C/WM',
        'saAmfSIPrefActiveAssignments UINT32 C/W = 1',
        'saAmfSIPrefStandbyAssignments UINT32 C/W = 1',
        'saAmfSIAdminState UINT32 R/PK = 1',
        'saAmfSIAssignmentState UINT32 R/K',
        'saAmfSINumCurrActiveAssignments UINT32 R',
        'saAmfSINumCurrStandbyAssignments UINT32 R',
        'saAmfUnassignedAlarmStatus UINT32 R/PK = 0',
    ]),
    ('SaAmfSvcType', 'C', 'safVersion STRING C/I', [
        'saAmfSvcDefActiveWeight STRING C/WM',
        'saAmfSvcDefStandbyWeight STRING C/WM',
    ]),
    ('SaAmfSvcBaseType', 'C', 'safSvcType STRING C/I', [
    ]),
    ('SaAmfSIDependency', 'C', 'safDepend NAME C/I', [
        'saAmfToleranceTime TIME C/W',
    ]),
    ('SaAmfSIRankedSU', 'C', 'safRankedSu NAME C/I', [
        'saAmfRank UINT32 C/WI',
    ]),
    ('SaAmfSIAssignment', 'R', 'safSISU NAME R/K', [
        'saAmfSISUHAState UINT32 R/K',
        'saAmfSISUHAReadinessState UINT32 R/K',
        'osafAmfSISUFsmState UINT32 R/K = 0',
    ]),
    ('SaAmfSvcTypeCSTypes', 'C', 'safMemberCSType NAME C/I', [
        'saAmfSvctMaxNumCSIs UINT32 C/W',
    ]),
    ('SaAmfCSI', 'C', 'safCsi STRING C/I', [
        'saAmfCSType NAME C/WI',
        'saAmfCSIDependencies NAME C/WM',
        'osafAmfCSICommunicateCsiAttributeChange UINT32 C/W',
    ]),
    ('SaAmfCSType', 'C', 'safVersion STRING C/I', [
        'saAmfCSAttrName STRING C/WM',
    ]),
    ('SaAmfCSBaseType', 'C', 'safCSType STRING C/I', [
    ]),
    ('SaAmfCSIAttribute', 'C', 'safCsiAttr STRING C/I', [
        'saAmfCSIAttriValue STRING C/WM',
    ]),
    ('SaAmfCSIAssignment', 'R', 'safCSIComp NAME R/K', [
        'saAmfCSICompHAState UINT32 R/K',
        'saAmfCSICompHAReadinessState UINT32 R/K',
    ]),
    ('SaAmfCompType', 'C', 'safVersion STRING C/I', [
        'saAmfCtCompCategory UINT32 C/I',
        'saAmfCtSwBundle NAME C',
        'saAmfCtDefCmdEnv STRING C/M',
        'saAmfCtDefClcCliTimeout TIME C/W',
        'saAmfCtDefCallbackTimeout TIME C/W',
        'saAmfCtRelPathInstantiateCmd STRING C',
        'saAmfCtDefInstantiateCmdArgv STRING C/WM',
        'saAmfCtDefInstantiationLevel UINT32 C/W',
        'saAmfCtRelPathTerminateCmd STRING C',
        'saAmfCtDefTerminateCmdArgv STRING C/WM',
        'saAmfCtRelPathCleanupCmd STRING C',
        'saAmfCtDefCleanupCmdArgv STRING C/WM',
        'saAmfCtRelPathAmStartCmd STRING C',
        'saAmfCtDefAmStartCmdArgv STRING C/WM',
        'saAmfCtRelPathAmStopCmd STRING C',
        'saAmfCtDefAmStopCmdArgv STRING C/WM',
        'osafAmfCtRelPathHcCmd STRING C',
        'osafAmfCtDefHcCmdArgv STRING C/WM',
        'saAmfCtDefQuiescingCompleteTimeout TIME C/W',
        'saAmfCtDefRecoveryOnError UINT32 C/WI',
        'saAmfCtDefDisableRestart UINT32 C/W',
    ]),
    ('SaAmfCompBaseType', 'C', 'safCompType STRING C/I', [
    ]),
    ('SaAmfCtCsType', 'C', 'safSupportedCsType NAME C/I', [
        'saAmfCtCompCapability UINT32 C/I',
        'saAmfCtDefNumMaxActiveCSIs UINT32 C',
        'saAmfCtDefNumMaxStandbyCSIs UINT32 C',
    ]),
    ('SaAmfComp', 'C', 'safComp STRING C/I', [
        'saAmfCompType NAME C/WI',
        'saAmfCompCmdEnv STRING C/WM',
        'saAmfCompInstantiateCmdArgv STRING C/WM',
        'saAmfCompInstantiateTimeout TIME C/W',
        'saAmfCompInstantiationLevel UINT32 C/W',
        'saAmfCompNumMaxInstantiateWithoutDelay UINT32 C/W',
        'saAmfCompNumMaxInstantiateWithDelay UINT32 C/W',
        'saAmfCompDelayBetweenInstantiateAttempts TIME C/W',
        'saAmfCompTerminateCmdArgv STRING C/WM',
        'saAmfCompTerminateTimeout TIME C/W',
        'saAmfCompCleanupCmdArgv STRING C/WM',
        'saAmfCompCleanupTimeout TIME C/W',
        'saAmfCompAmStartCmdArgv STRING C/WM',
        'saAmfCompAmStartTimeout TIME C/W',
        'saAmfCompNumMaxAmStartAttempts UINT32 C/W',
        'saAmfCompAmStopCmdArgv STRING C/WM',
        'saAmfCompAmStopTimeout TIME C/W',
        'osafAmfCompHcCmdArgv STRING C/WM',
        'saAmfCompNumMaxAmStopAttempts UINT32 C/W',
        'saAmfCompCSISetCallbackTimeout TIME C/W',
        'saAmfCompCSIRmvCallbackTimeout TIME C/W',
        'saAmfCompQuiescingCompleteTimeout TIME C/W',
        'saAmfCompRecoveryOnError UINT32 C/W',
        'saAmfCompDisableRestart UINT32 C/W',
        'saAmfCompProxyCsi NAME C/W',
        'saAmfCompContainerCsi NAME C/W',
        'saAmfCompOperState UINT32 R/K',
        'saAmfCompReadinessState UINT32 R/K',
        'saAmfCompPresenceState UINT32 R/K',
        'saAmfCompRestartCount UINT32 R',
        'saAmfCompCurrProxyName NAME R',
        'saAmfCompCurrProxiedNames NAME R/M',
    ]),
    ('SaAmfCompCsType', 'C', 'safSupportedCsType NAME C/I', [
        'saAmfCompNumMaxActiveCSIs UINT32 C/W',
        'saAmfCompNumMaxStandbyCSIs UINT32 C/W',
        'saAmfCompNumCurrActiveCSIs UINT32 R',
        'saAmfCompNumCurrStandbyCSIs UINT32 R',
        'saAmfCompAssignedCsi NAME R',
    ]),
    ('SaAmfCompGlobalAttributes', 'C', 'safRdn STRING C/I', [
        'saAmfNumMaxInstantiateWithoutDelay UINT32 C/W',
        'saAmfNumMaxInstantiateWithDelay UINT32 C/W',
        'saAmfNumMaxAmStartAttempts UINT32 C/W',
        'saAmfNumMaxAmStopAttempts UINT32 C/W',
        'saAmfDelayBetweenInstantiateAttempts TIME C/W',
    ]),
    ('SaAmfHealthcheck', 'C', 'safHealthcheckKey STRING C/I', [
        'saAmfHealthcheckPeriod TIME C/W',
        'saAmfHealthcheckMaxDuration TIME C/W',
    ]),
    ('SaAmfHealthcheckType', 'C', 'safHealthcheckKey STRING C/I', [
        'saAmfHctDefPeriod TIME C/WI',
        'saAmfHctDefMaxDuration TIME C/WI',
    ]),
    ('SaSmfSwBundle', 'C', 'safSmfBundle STRING C/I', [
        'saSmfBundleDefaultCmdTimeout TIME C/W',
        'saSmfBundleInstallOnlineCmdUri STRING C/W',
        'saSmfBundleInstallOnlineCmdArgs STRING C/W',
        'saSmfBundleInstallOfflineCmdUri STRING C/W',
        'saSmfBundleInstallOfflineCmdArgs STRING C/W',
        'saSmfBundleInstallOfflineScope UINT32 C/W',
        'saSmfBundleRemoveOnlineCmdUri STRING C/W',
        'saSmfBundleRemoveOnlineCmdArgs STRING C/W',
        'saSmfBundleRemoveOfflineCmdUri STRING C/W',
        'saSmfBundleRemoveOfflineCmdArgs STRING C/W',
        'saSmfBundleRemoveOfflineScope UINT32 C/W',
    ]),
    ('OpenSafAmfConfig', 'C', 'amfConfig STRING C/I', [
        'osafAmfRestrictAutoRepairEnable UINT32 C/W',
    ]),
    # src/clm/config/clmsv_classes.xml
    ('SaClmNode', 'C', 'safNode STRING C/I', [
        'saClmNodeDisableReboot UINT32 C/W = 0',
        'saClmNodeEE NAME C/W',
        'saClmNodeAddressFamily UINT32 C/W',
        'saClmNodeAddress STRING C/W',
        'saClmNodeLockCallbackTimeout TIME C/W',
        'saClmNodeID UINT32 R/K',
        'saClmNodeIsMember UINT32 R/K',
        'saClmNodeBootTimeStamp TIME R/K',
        'saClmNodeInitialViewNumber UINT64 R/K',
        'saClmNodeCurrAddressFamily UINT32 R/K',
        'saClmNodeCurrAddress STRING R/K',
        'saClmNodeAdminState UINT32 R/PK = 1',
    ]),
    ('SaClmCluster', 'C', 'safCluster STRING C/I', [
        'saClmClusterNumNodes UINT32 R/K',
        'saClmClusterInitTimestamp TIME R/K',
    ]),
    # src/smf/config/smfsv_classes.xml
    ('SaSmfCampaign', 'C', 'safSmfCampaign STRING C/I', [
        'saSmfCmpgFileUri STRING C/W',
        'saSmfCmpgConfigBase TIME R/PK',
        'saSmfCmpgExpectedTime TIME R/PK',
        'saSmfCmpgElapsedTime TIME R/PK',
        'saSmfCmpgState UINT32 R/PK = 1',
        'saSmfCmpgError STRING R/PKM',
    ]),
    ('SaSmfProcedure', 'R', 'safSmfProcedure STRING R/PK', [
        'saSmfProcExecLevel UINT32 R/PK',
        'saSmfProcMustKeepSIs NAME R/PKM',
        'saSmfProcAcceptSIOutage NAME R/PKM',
        'saSmfProcMaxNumSIsOutage UINT32 R/PK',
        'saSmfProcUpgrMethod UINT32 R/PK',
        'saSmfProcDisableSimultanExec UINT32 R/PK',
        'saSmfProcPeriod TIME R/PK',
        'saSmfProcState UINT32 R/PK',
        'saSmfProcError STRING R/PKM',
    ]),
    ('SaSmfStep', 'R', 'safSmfStep STRING R/PK', [
        'saSmfStepMaxRetry UINT32 R/PK',
        'saSmfStepRetryCount UINT32 R/PK',
        'saSmfStepRestartOption UINT32 R/PK',
        'saSmfStepState UINT32 R/PK',
        'saSmfStepError STRING R/PKM',
    ]),
    ('SaSmfDeactivationUnit', 'R', 'safSmfDu STRING R/PK', [
        'saSmfDuActedOn NAME R/PKM',
        'saSmfDuEntityToRemove NAME R/PKM',
    ]),
    ('SaSmfActivationUnit', 'R', 'safSmfAu STRING R/PK', [
        'saSmfAuActedOn NAME R/PKM',
        'saSmfAuEntityToAdd NAME R/PKM',
    ]),
    ('SaSmfImageNodes', 'R', 'safImageNode STRING R/PK', [
        'saSmfINSwBundle NAME R/PK',
        'saSmfINNode NAME R/PKM',
    ]),
    ('OpenSafSmfConfig', 'C', 'smfConfig STRING C/I', [
        'smfBackupCreateCmd STRING C/IW',
        'smfBundleCheckCmd STRING C/IW',
        'smfNodeCheckCmd STRING C/IW',
        'smfRepositoryCheckCmd STRING C/IW',
        'smfClusterRebootCmd STRING C/IW',
        'smfAdminOpTimeout TIME C/IW',
        'smfCliTimeout TIME C/IW',
        'smfRebootTimeout TIME C/IW',
        'smfNodeBundleActCmd STRING C/W',
        'smfSiSwapSiName STRING C/W',
        'smfSiSwapMaxRetry UINT32 C/W',
        'smfCampMaxRestart UINT32 C/W',
        'smfImmPersistCmd STRING C/W',
        'smfNodeRebootCmd STRING C/W',
        'smfInactivatePbeDuringUpgrade UINT32 C/W',
        'smfVerifyEnable UINT32 C/W = 0',
        'smfVerifyTimeout TIME C/W = 100000000000',
        'smfClusterControllers STRING C/WM',
        'smfSSAffectedNodesEnable UINT32 C/W = 0',
        'smfKeepDuState UINT32 C/W = 0',
        'openSafSmfExecControl STRING C/W',
        'smfProtectExecControlDuringInit UINT32 C/W = 0',
    ]),
    ('OpenSafSmfCampRestartInfo', 'R', 'smfRestartInfo STRING R/PK', [
        'smfCampRestartCnt UINT32 R/PK',
    ]),
    ('OpenSafSmfSingleStepInfo', 'R', 'smfSingleStepInfo STRING R/PK', [
        'smfRebootType UINT32 R/PK',
    ]),
    ('OpenSafSmfCampRestartIndicator', 'R', 'smfCampaignRestartIndicator STRING R/PK', [
    ]),
    ('OpenSafSmfPbeIndicator', 'R', 'safRdn STRING R/PK', [
    ]),
    ('OpenSafSmfRollbackElement', 'R', 'smfRollbackElement STRING R/PK', [
    ]),
    ('OpenSafSmfRollbackData', 'R', 'smfRollbackData STRING R/PK', [
        'smfRollbackType STRING R/PK',
        'smfRollbackDn NAME R/PK',
        'smfRollbackClass STRING R/PK',
        'smfRollbackAttrValue STRING R/PKM',
    ]),
    ('OpenSafSmfMisc', 'C', 'openSafSmfMisc STRING C/I', [
        'reason STRING C/W',
    ]),
    ('OpenSafSmfExecControl', 'C', 'openSafSmfExecControl STRING C', [
        'procExecMode UINT32 C/W = 0',
        'numberOfSingleSteps UINT32 C/W',
        'nodesForSingleStep STRING C/WM',
    ]),
]

CATEGORY = {"C": "SA_CONFIG", "R": "SA_RUNTIME"}
FLAG = {"I": "SA_INITIALIZED", "W": "SA_WRITABLE", "M": "SA_MULTI_VALUE", "P": "SA_PERSISTENT",
        "K": "SA_CACHED", "D": "SA_NO_DUPLICATES", "N": "SA_NOTIFY", "G": "SA_NO_DANGLING",
        "S": "SA_STRONG_DEFAULT", "X": "SA_DN"}


def parse_attr(spec):
    spec, _, default = spec.partition(" = ")
    name, typ, catflags = spec.split()
    cat, _, flags = catflags.partition("/")
    return name, "SA_%s_T" % typ, CATEGORY[cat], [FLAG[f] for f in flags], (default if _ else None)


def esc(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def class_xml(cls):
    name, cat, rdn, attrs = cls
    out = ['\t<class name="%s">' % name, "\t\t<category>%s</category>" % CATEGORY[cat]]
    for tag, spec in [("rdn", rdn)] + [("attr", a) for a in attrs]:
        n, t, c, flags, default = parse_attr(spec)
        s = "<name>%s</name><type>%s</type><category>%s</category>" % (n, t, c)
        s += "".join("<flag>%s</flag>" % f for f in flags)
        if default is not None:
            s += "<default-value>%s</default-value>" % esc(default)
        out.append("\t\t<%s>%s</%s>" % (tag, s, tag))
    out.append("\t</class>")
    return "\n".join(out)


ATTRS = {c[0]: {parse_attr(a)[0]: parse_attr(a) for a in c[3]} for c in CLASSES}


class Imm:
    """Objects in the order written; attributes checked against the class definitions."""

    def __init__(self):
        self.objects = []
        self.dns = set()

    def add(self, cls, dn, **attrs):
        if cls not in ATTRS:
            sys.exit("unknown class %s" % cls)
        if dn in self.dns:
            sys.exit("duplicate DN %s" % dn)
        for a, v in attrs.items():
            if a not in ATTRS[cls]:
                sys.exit("%s has no attribute %s (%s)" % (cls, a, dn))
            values = v if isinstance(v, list) else [v]
            if len(values) > 1 and "SA_MULTI_VALUE" not in ATTRS[cls][a][3]:
                sys.exit("%s.%s is single-valued (%s)" % (cls, a, dn))
        self.dns.add(dn)
        self.objects.append((cls, dn, attrs))

    def xml(self, header, classes=()):
        out = ['<?xml version="1.0" encoding="utf-8"?>', header,
               '<imm:IMM-contents xmlns:imm="http://www.saforum.org/IMMSchema" '
               'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
               'xsi:noNamespaceSchemaLocation="SAI-AIS-IMM-XSD-A.02.13.xsd">']
        out += [class_xml(c) for c in classes]
        for cls, dn, attrs in self.objects:
            out.append('\t<object class="%s">' % cls)
            out.append("\t\t<dn>%s</dn>" % esc(dn))
            for a, v in attrs.items():
                values = v if isinstance(v, list) else [v]
                out.append("\t\t<attr><name>%s</name>%s</attr>"
                           % (a, "".join("<value>%s</value>" % esc(str(x)) for x in values)))
            out.append("\t</object>")
        out.append("</imm:IMM-contents>")
        return "\n".join(out) + "\n"


def esc_rdn(dn):
    """A DN used as an RDN value (safMemberCompType=..., safSupportedCsType=...): commas escaped."""
    return dn.replace(",", "\\,")


# --- The cluster (immxml-clustersize -s 2 -p 3) ---------------------------------------------------
NODES = [("SC", "SC-1"), ("SC", "SC-2"), ("PL", "PL-3"), ("PL", "PL-4"), ("PL", "PL-5")]
AMF_CLUSTER = "safAmfCluster=myAmfCluster"
CLM_CLUSTER = "safCluster=myClmCluster"
LIBDIR = "/usr/local/lib/opensaf"  # xxLIBDIRxx after configure (default prefix)
V = "safVersion=4.0.0"
APP = "safApp=OpenSAF"


def amf_node(n):
    return "safAmfNode=%s,%s" % (n, AMF_CLUSTER)


# Middleware component types as imm.xml.sample has them:
# name: (instantiate cmd, argv, cleanup cmd, argv, recovery on error, disable restart, inst. level)
COMP_TYPES = {
    "RDE": ("rde_script", "instantiate", "rde_script", "cleanup", 5, None, None),
    "FMS": ("opensaf_fms", "instantiate", "opensaf_fms", "cleanup", 5, None, None),
    "IMMD": ("immd_script", "instantiate", "immd_script", "cleanup", 5, 1, None),
    "PLMS": ("plms_script", "instantiate", "plms_script", "cleanup", 5, 1, None),
    "LOG": ("opensaf_lgs", "instantiate", "opensaf_lgs", "cleanup", 5, 1, None),
    "NTF": ("opensaf_ntfs", "instantiate", "opensaf_ntfs", "cleanup", 5, 1, 2),
    "CPD": ("ncs_cpd_start", None, "ncs_cpd_clean", None, 5, None, None),
    "EDS": ("ncs_eds_start", None, "ncs_eds_clean", None, 5, 1, None),
    "GLD": ("ncs_gld_start", None, "ncs_gld_clean", None, 5, None, None),
    "MQD": ("ncs_mqd_start", None, "ncs_mqd_clean", None, 5, None, None),
    "SMF": ("smfd_script", "instantiate", "smfd_script", "cleanup", 5, None, None),
    "CLMS": ("opensaf_clms", "instantiate", "opensaf_clms", "cleanup", 5, 1, 2),
    "IMMND": ("immnd_script", "instantiate", "immnd_script", "cleanup", 2, None, None),
    "CPND": ("ncs_cpnd_start", None, "ncs_cpnd_clean", None, 2, None, None),
    "MQND": ("ncs_mqnd_start", None, "ncs_mqnd_clean", None, 2, None, None),
    "GLND": ("ncs_glnd_start", None, "ncs_glnd_clean", None, 2, None, None),
    "SMFND": ("smfnd_script", "instantiate", "smfnd_script", "cleanup", 2, None, None),
}
SC_2N_COMPS = ["RDE", "FMS", "IMMD", "PLMS", "LOG", "NTF", "CPD", "EDS", "GLD", "MQD", "SMF", "CLMS"]
NORED_COMPS = ["IMMND", "CPND", "MQND", "GLND", "SMFND"]
SU_TYPE = {"2N": "%s,safSuType=OpenSafSuTypeServer" % V, "NoRed": "%s,safSuType=OpenSafSuTypeND" % V}
SVC_TYPE = {"2N": "%s,safSvcType=SC-2N-OpenSAF" % V, "NoRed": "%s,safSvcType=NoRed-OpenSAF" % V}


def comp_type(c):
    return "%s,safCompType=OpenSafCompType%s" % (V, c)


def cs_type(c):
    return "%s,safCSType=%s-OpenSAF" % (V, c)


def cluster():
    imm = Imm()
    # *_objects.xml: the services' applications and configuration objects.
    imm.add("SaClmCluster", CLM_CLUSTER)
    imm.add("SaAmfCluster", AMF_CLUSTER, saAmfClusterStartupTimeout=10000000000,
            saAmfClusterClmCluster=CLM_CLUSTER)
    imm.add("SaAmfAppBaseType", "safAppType=OpenSafApplicationType")
    imm.add("SaAmfAppType", "%s,safAppType=OpenSafApplicationType" % V,
            saAmfApptSGTypes=["%s,safSgType=OpenSafSgType2N" % V, "%s,safSgType=OpenSafSgTypeNoRed" % V])
    for app in ["safApp=safAmfService", APP, "safApp=safSmfService"]:
        imm.add("SaAmfApplication", app, saAmfAppType="%s,safAppType=OpenSafApplicationType" % V)
    imm.add("SaAmfCompGlobalAttributes", "safRdn=compGlobalAttributes,safApp=safAmfService")
    imm.add("OpenSafSmfConfig", "smfConfig=1,safApp=safSmfService",
            smfBackupCreateCmd=LIBDIR + "/smf-backup-create",
            smfBundleCheckCmd=LIBDIR + "/smf-bundle-check",
            smfNodeCheckCmd=LIBDIR + "/smf-node-check",
            smfRepositoryCheckCmd=LIBDIR + "/smf-repository-check",
            smfClusterRebootCmd=LIBDIR + "/smf-cluster-reboot",
            smfAdminOpTimeout=600000000000, smfCliTimeout=600000000000,
            smfRebootTimeout=600000000000)
    imm.add("SaSmfSwBundle", "safSmfBundle=OpenSAF")
    # SG, SU, service and CS types of the middleware.
    for red, model, sut in [("2N", 1, "OpenSafSuTypeServer"), ("NoRed", 5, "OpenSafSuTypeND")]:
        imm.add("SaAmfSGBaseType", "safSgType=OpenSafSgType%s" % red)
        imm.add("SaAmfSGType", "%s,safSgType=OpenSafSgType%s" % (V, red),
                saAmfSgtRedundancyModel=model, saAmfSgtValidSuTypes=SU_TYPE[red],
                saAmfSgtDefAutoAdjustProb=10000000, saAmfSgtDefCompRestartProb=4000000,
                saAmfSgtDefCompRestartMax=10, saAmfSgtDefSuRestartProb=4000000,
                saAmfSgtDefSuRestartMax=10)
        imm.add("SaAmfSUBaseType", "safSuType=%s" % sut)
        imm.add("SaAmfSUType", SU_TYPE[red], saAmfSutIsExternal=0, saAmfSutDefSUFailover=1,
                saAmfSutProvidesSvcTypes=SVC_TYPE[red])
        imm.add("SaAmfSvcBaseType", SVC_TYPE[red].split(",", 1)[1])
        imm.add("SaAmfSvcType", SVC_TYPE[red])
        for c in SC_2N_COMPS if red == "2N" else NORED_COMPS:
            inst, iargv, clean, cargv, recovery, disable, level = COMP_TYPES[c]
            attrs = {"saAmfCtSwBundle": "safSmfBundle=OpenSAF", "saAmfCtCompCategory": 1,
                     "saAmfCtDefClcCliTimeout": 10000000000,
                     "saAmfCtDefCallbackTimeout": 10000000000,
                     "saAmfCtRelPathInstantiateCmd": inst}
            if iargv:
                attrs["saAmfCtDefInstantiateCmdArgv"] = iargv
            if level:
                attrs["saAmfCtDefInstantiationLevel"] = level
            attrs["saAmfCtRelPathCleanupCmd"] = clean
            if cargv:
                attrs["saAmfCtDefCleanupCmdArgv"] = cargv
            attrs["saAmfCtDefRecoveryOnError"] = recovery
            if disable:
                attrs["saAmfCtDefDisableRestart"] = disable
            imm.add("SaAmfCompBaseType", "safCompType=OpenSafCompType%s" % c)
            imm.add("SaAmfCompType", comp_type(c), **attrs)
            imm.add("SaAmfCtCsType", "safSupportedCsType=%s,%s" % (esc_rdn(cs_type(c)), comp_type(c)),
                    saAmfCtCompCapability=1)
            imm.add("SaAmfHealthcheckType", "safHealthcheckKey=%s,%s"
                    % ("A1B2" if c.startswith("SMF") else "Default", comp_type(c)),
                    saAmfHctDefPeriod=240000000000, saAmfHctDefMaxDuration=180000000000)
            imm.add("SaAmfSutCompType", "safMemberCompType=%s,%s" % (esc_rdn(comp_type(c)), SU_TYPE[red]))
            imm.add("SaAmfCSBaseType", "safCSType=%s-OpenSAF" % c)
            imm.add("SaAmfCSType", cs_type(c))
            imm.add("SaAmfSvcTypeCSTypes", "safMemberCSType=%s,%s" % (esc_rdn(cs_type(c)), SVC_TYPE[red]))
    # The two middleware SGs and the SC 2N SI with one CSI per 2N component.
    sg_attrs = dict(saAmfSGAutoRepair=0, saAmfSGAutoAdjust=0, saAmfSGNumPrefInserviceSUs=10,
                    saAmfSGNumPrefAssignedSUs=10, saAmfSGMaxActiveSIsperSU=1,
                    saAmfSGMaxStandbySIsperSU=1)
    imm.add("SaAmfSG", "safSg=2N," + APP, saAmfSGType="%s,safSgType=OpenSafSgType2N" % V,
            saAmfSGSuHostNodeGroup="safAmfNodeGroup=SCs," + AMF_CLUSTER, **sg_attrs)
    imm.add("SaAmfSG", "safSg=NoRed," + APP, saAmfSGType="%s,safSgType=OpenSafSgTypeNoRed" % V,
            saAmfSGSuHostNodeGroup="safAmfNodeGroup=AllNodes," + AMF_CLUSTER,
            saAmfSGAutoAdjustProb=0, **sg_attrs)
    imm.add("SaAmfSI", "safSi=SC-2N," + APP, saAmfSvcType=SVC_TYPE["2N"],
            saAmfSIProtectedbySG="safSg=2N," + APP)
    for c in SC_2N_COMPS:
        imm.add("SaAmfCSI", "safCsi=%s,safSi=SC-2N,%s" % (c, APP), saAmfCSType=cs_type(c))
    # immxml-nodegen: the SC or PL template once per line of nodes.cfg.
    for n, (kind, name) in enumerate(NODES, start=1):
        clm = "safNode=%s,%s" % (name, CLM_CLUSTER)
        imm.add("SaClmNode", clm, saClmNodeLockCallbackTimeout=50000000000)
        imm.add("SaAmfNode", amf_node(name), saAmfNodeSuFailoverMax=2,
                saAmfNodeSuFailOverProb=1200000000000, saAmfNodeClmNode=clm)
        imm.add("SaAmfNodeSwBundle", "safInstalledSwBundle=safSmfBundle=OpenSAF," + amf_node(name),
                saAmfNodeSwBundlePathPrefix=LIBDIR)
        sus = (["2N"] if kind == "SC" else []) + ["NoRed"]
        for red in sus:
            su = "safSu=%s,safSg=%s,%s" % (name, red, APP)
            imm.add("SaAmfSU", su, saAmfSUType=SU_TYPE[red],
                    saAmfSUHostNodeOrNodeGroup=amf_node(name), saAmfSUFailover=1)
            for c in SC_2N_COMPS if red == "2N" else NORED_COMPS:
                comp = "safComp=%s,%s" % (c, su)
                imm.add("SaAmfComp", comp, saAmfCompType=comp_type(c))
                imm.add("SaAmfCompCsType", "safSupportedCsType=%s,%s" % (esc_rdn(cs_type(c)), comp))
        si = "safSi=NoRed%d,%s" % (n, APP)
        imm.add("SaAmfSI", si, saAmfSvcType=SVC_TYPE["NoRed"],
                saAmfSIProtectedbySG="safSg=NoRed," + APP, saAmfSIRank=n)
        for c in NORED_COMPS:
            imm.add("SaAmfCSI", "safCsi=%s,%s" % (c, si), saAmfCSType=cs_type(c))
    # immxml-nodegen's node groups.
    scs = [amf_node(name) for kind, name in NODES if kind == "SC"]
    pls = [amf_node(name) for kind, name in NODES if kind == "PL"]
    imm.add("SaAmfNodeGroup", "safAmfNodeGroup=SCs," + AMF_CLUSTER, saAmfNGNodeList=scs)
    imm.add("SaAmfNodeGroup", "safAmfNodeGroup=PLs," + AMF_CLUSTER, saAmfNGNodeList=pls)
    imm.add("SaAmfNodeGroup", "safAmfNodeGroup=AllNodes," + AMF_CLUSTER, saAmfNGNodeList=scs + pls)
    return imm


# --- AmfDemo1 as campaign_install_demoapp.xml leaves it ------------------------------------------
DEMO = "safApp=AmfDemo1"
DEMO_SG = "safSg=AmfDemo," + DEMO
DEMO_CT = "%s,safCompType=AmfDemo1" % V
DEMO_CST = "%s,safCSType=AmfDemo1" % V
DEMO_SVT = "%s,safSvcType=AmfDemo1" % V
DEMO_SUT = "%s,safSuType=AmfDemo1" % V


def amfdemo1():
    imm = Imm()
    # campaignInitialization/addToImm: the bundle and the types.
    imm.add("SaSmfSwBundle", "safSmfBundle=AmfDemo",
            saSmfBundleRemoveOfflineCmdUri="/bin/logger",
            saSmfBundleRemoveOfflineCmdArgs="-t SMF AmfDemo removal offline",
            saSmfBundleRemoveOfflineScope=1,
            saSmfBundleRemoveOnlineCmdUri="/bin/logger",
            saSmfBundleRemoveOnlineCmdArgs="-t SMF AmfDemo removal online",
            saSmfBundleInstallOfflineCmdUri="/bin/logger",
            saSmfBundleInstallOfflineCmdArgs="-t SMF AmfDemo installation offline",
            saSmfBundleInstallOfflineScope=2,
            saSmfBundleInstallOnlineCmdUri="/bin/logger",
            saSmfBundleInstallOnlineCmdArgs="-t SMF AmfDemo installation online",
            saSmfBundleDefaultCmdTimeout=60000000000)
    imm.add("SaAmfAppBaseType", "safAppType=AmfDemo1")
    imm.add("SaAmfAppType", "%s,safAppType=AmfDemo1" % V, saAmfApptSGTypes="%s,safSgType=AmfDemo1" % V)
    imm.add("SaAmfSGBaseType", "safSgType=AmfDemo1")
    imm.add("SaAmfSGType", "%s,safSgType=AmfDemo1" % V, saAmfSgtValidSuTypes=DEMO_SUT,
            saAmfSgtRedundancyModel=1, saAmfSgtDefCompRestartProb=4000000,
            saAmfSgtDefCompRestartMax=10, saAmfSgtDefSuRestartProb=4000000,
            saAmfSgtDefSuRestartMax=10, saAmfSgtDefAutoAdjust=0, saAmfSgtDefAutoRepair=1,
            saAmfSgtDefAutoAdjustProb=10000000)
    imm.add("SaAmfSUBaseType", "safSuType=AmfDemo1")
    imm.add("SaAmfSUType", DEMO_SUT, saAmfSutIsExternal=0, saAmfSutDefSUFailover=1,
            saAmfSutProvidesSvcTypes=DEMO_SVT)
    imm.add("SaAmfSutCompType", "safMemberCompType=%s,%s" % (esc_rdn(DEMO_CT), DEMO_SUT),
            saAmfSutMinNumComponents=1)
    imm.add("SaAmfCompBaseType", "safCompType=AmfDemo1")
    imm.add("SaAmfCompType", DEMO_CT, saAmfCtCompCategory=1, saAmfCtDefDisableRestart=0,
            saAmfCtDefClcCliTimeout=10000000000, saAmfCtDefCallbackTimeout=10000000000,
            saAmfCtDefRecoveryOnError=2, saAmfCtRelPathInstantiateCmd="amf_demo_script",
            saAmfCtDefInstantiateCmdArgv="instantiate", saAmfCtRelPathCleanupCmd="amf_demo_script",
            saAmfCtDefCleanupCmdArgv="cleanup", saAmfCtSwBundle="safSmfBundle=AmfDemo")
    imm.add("SaAmfCtCsType", "safSupportedCsType=%s,%s" % (esc_rdn(DEMO_CST), DEMO_CT),
            saAmfCtCompCapability=1)
    imm.add("SaAmfHealthcheckType", "safHealthcheckKey=AmfDemo," + DEMO_CT,
            saAmfHctDefPeriod=10000000000, saAmfHctDefMaxDuration=6000000000)
    imm.add("SaAmfCSBaseType", "safCSType=AmfDemo1")
    imm.add("SaAmfCSType", DEMO_CST)
    imm.add("SaAmfSvcBaseType", "safSvcType=AmfDemo1")
    imm.add("SaAmfSvcType", DEMO_SVT)
    imm.add("SaAmfSvcTypeCSTypes", "safMemberCSType=%s,%s" % (esc_rdn(DEMO_CST), DEMO_SVT))
    # The procedure's swAdd: the bundle installed on SC-1 and SC-2.
    for n in ["SC-1", "SC-2"]:
        imm.add("SaAmfNodeSwBundle", "safInstalledSwBundle=safSmfBundle=AmfDemo," + amf_node(n),
                saAmfNodeSwBundlePathPrefix="/opt/amf_demo")
    # The activation unit's added objects, with the admin states after the step: the SUs were
    # created LOCKED-INSTANTIATION (3) and the step instantiated and unlocked its activation
    # units (UNLOCKED, 1); the SI was created LOCKED (2) and nothing unlocks it.
    imm.add("SaAmfApplication", DEMO, saAmfAppType="%s,safAppType=AmfDemo1" % V)
    imm.add("SaAmfSG", DEMO_SG, saAmfSGType="%s,safSgType=AmfDemo1" % V,
            saAmfSGSuHostNodeGroup="safAmfNodeGroup=SCs," + AMF_CLUSTER,
            saAmfSGNumPrefStandbySUs=1, saAmfSGNumPrefInserviceSUs=10,
            saAmfSGNumPrefAssignedSUs=10, saAmfSGNumPrefActiveSUs=1,
            saAmfSGMaxStandbySIsperSU=1, saAmfSGMaxActiveSIsperSU=1,
            saAmfSGAutoRepair=0, saAmfSGAutoAdjust=0)
    imm.add("SaAmfSI", "safSi=AmfDemo," + DEMO, saAmfSvcType=DEMO_SVT, saAmfSIRank=0,
            saAmfSIProtectedbySG=DEMO_SG, saAmfSIPrefStandbyAssignments=1,
            saAmfSIPrefActiveAssignments=1, saAmfSIAdminState=SI_ADMIN)
    for su, node, arg in [("SU1", "SC-1", "comparg1"), ("SU2", "SC-2", "comparg2")]:
        su_dn = "safSu=%s,%s" % (su, DEMO_SG)
        imm.add("SaAmfSU", su_dn, saAmfSUType=DEMO_SUT, saAmfSUHostNodeOrNodeGroup=amf_node(node),
                saAmfSUAdminState=SU_ADMIN)
        comp = "safComp=AmfDemo," + su_dn
        imm.add("SaAmfComp", comp, saAmfCompType=DEMO_CT, saAmfCompInstantiateCmdArgv=[arg, node],
                saAmfCompDisableRestart=0)
        imm.add("SaAmfCompCsType", "safSupportedCsType=%s,%s" % (esc_rdn(DEMO_CST), comp))
    imm.add("SaAmfCSI", "safCsi=AmfDemo,safSi=AmfDemo," + DEMO, saAmfCSType=DEMO_CST)
    return imm


def testbundles():
    """safSmfBundle=TestBundle1..3 as install_bundles_testcampaign.xml leaves them: the bundles
    (addToImm) and their SaAmfNodeSwBundle on every node (swAdd)."""
    imm = Imm()
    for b in ["TestBundle1", "TestBundle2", "TestBundle3"]:
        attrs = {}
        for op, dir_ in [("Remove", "removal"), ("Install", "installation")]:
            for mode in ["Offline", "Online"]:
                attrs["saSmfBundle%s%sCmdUri" % (op, mode)] = "/bin/logger"
                attrs["saSmfBundle%s%sCmdArgs" % (op, mode)] = "-t %s %s %s" % (b, dir_, mode.lower())
            attrs["saSmfBundle%sOfflineScope" % op] = 0
        imm.add("SaSmfSwBundle", "safSmfBundle=" + b, **attrs)
    for b in ["TestBundle1", "TestBundle2", "TestBundle3"]:
        for n in ["PL-3", "PL-4", "PL-5", "SC-1", "SC-2"]:
            imm.add("SaAmfNodeSwBundle", "safInstalledSwBundle=safSmfBundle=%s,%s" % (b, amf_node(n)),
                    saAmfNodeSwBundlePathPrefix="/home/saf/" + b)
    return imm


SU_ADMIN = 1  # UNLOCKED after the install step
SI_ADMIN = 2  # LOCKED as created

HEADER_CLUSTER = """<!--
  Generated by generate.py (do not edit): the 5-node OpenSAF cluster the sample campaigns of
  samples/smfsv/campaigns target (SC-1, SC-2, PL-3, PL-4, PL-5; node groups SCs, PLs, AllNodes),
  without AmfDemo1. Class definitions from OpenSAF's amf_classes.xml, clmsv_classes.xml and
  smfsv_classes.xml (LGPL-2.1, The OpenSAF Foundation).
-->"""
HEADER_DEMO = """<!--
  Generated by generate.py (do not edit): AmfDemo1 as campaign_install_demoapp.xml leaves it
  after commit (addToImm types and bundle, swAdd on SC-1 and SC-2, the activation unit's added
  objects with their admin states after the step). Load after cluster.xml, which defines the classes.
-->"""
HEADER_TESTBUNDLES = """<!--
  Generated by generate.py (do not edit): the TestBundle1..3 that install_bundles_testcampaign.xml
  adds and installs on every node; what remove_bundles_testcampaign.xml expects. Load after
  cluster.xml.
-->"""


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "cluster.xml"), "w") as f:
        f.write(cluster().xml(HEADER_CLUSTER, CLASSES))
    with open(os.path.join(here, "amfdemo1.xml"), "w") as f:
        f.write(amfdemo1().xml(HEADER_DEMO))
    with open(os.path.join(here, "testbundles.xml"), "w") as f:
        f.write(testbundles().xml(HEADER_TESTBUNDLES))


if __name__ == "__main__":
    main()
