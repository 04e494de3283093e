//! `smfcheck check` on the campaigns of the OpenSAF corpus that it refuses (exit 2), against the
//! corpus configuration (imm.xml.sample + AppConfig-2N.xml) and on the 5-node cluster of
//! models/opensaf-5node: the precise reason each cannot be checked (yet), as models/README.md
//! and models/opensaf-5node/README.md record it. The campaigns that check — their verdicts and
//! counts — are runs of models/expect.json and models/opensaf-5node/expect.json
//! (tests/manifests.rs). The corpus is the OpenSAF source tree that `SMFCHECK_OPENSAF` names;
//! without it the tests report themselves skipped.

use super::support::{models, opensaf, smfcheck_in};

/// (campaign, a fragment of the refusal) on imm.xml.sample + AppConfig-2N.xml.
const REFUSED: &[(&str, &str)] = &[
    // Its campInitAction creates an application whose SUs are hosted on `SC-1`, `SC-2`: the
    // sample configuration names its nodes `SC_2_1`… (the corpus targets another cluster).
    (
        "samples/smfsv/campaigns/campaign_TestRollback.xml",
        "campaign_TestRollback.xml:211: `safSu=SmfTestSU1,safSg=SmfTest,safApp=SmfTest` saAmfSUHostNodeOrNodeGroup refers to `safAmfNode=SC-1,safAmfCluster=myAmfCluster`, which is not in the configuration",
    ),
    // AppConfig-2N.xml has AmfDemo1's types at version 1; the campaigns delete the version
    // 4.0.0 objects campaign_install_demoapp.xml creates: IMM refuses the wrap-up's CCB.
    (
        "samples/smfsv/campaigns/campaign_remove_demoapp.xml",
        "campaign_remove_demoapp.xml:104: element `immCCB`: the procWrapupAction of safSmfProc=removeAmfDemo deletes `safSupportedCsType=safVersion=4.0.0\\,safCSType=AmfDemo1,safComp=AmfDemo,safSu=SU1,safSg=AmfDemo,safApp=AmfDemo1`, which does not exist then (IMM refuses the CCB: SA_AIS_ERR_NOT_EXIST)",
    ),
    (
        "samples/smfsv/campaigns/campaign_remove_demoapp2.xml",
        "campaign_remove_demoapp2.xml:97: element `immCCB`: the procWrapupAction of safSmfProc=removeAmfDemo deletes `safSupportedCsType=safVersion=4.0.0\\,safCSType=AmfDemo1,safComp=AmfDemo,safSu=SU1,safSg=AmfDemo,safApp=AmfDemo1`, which does not exist then (IMM refuses the CCB: SA_AIS_ERR_NOT_EXIST)",
    ),
    // It removes the bundle install_bundles_testcampaign.xml adds: it is meant to run after
    // that one, not on the sample configuration, whose IMM has no such bundle.
    (
        "samples/smfsv/campaigns/remove_bundles_testcampaign.xml",
        "remove_bundles_testcampaign.xml:48: element `swRemove`: software bundle `safSmfBundle=TestBundle1` is neither an SaSmfSwBundle of the configuration nor added by the campaign's addToImm",
    ),
    (
        "samples/smfsv/campaigns/campaign_increase_demoapp.xml",
        "campaign_increase_demoapp.xml:63: `safSu=SU3,safSg=AmfDemo,safApp=AmfDemo1` saAmfSUHostNodeOrNodeGroup refers to `safAmfNode=PL-3,safAmfCluster=myAmfCluster`, which is not in the configuration",
    ),
    (
        "samples/smfsv/campaigns/campaign_install_demoapp.xml",
        "campaign_install_demoapp.xml:159: IMM object `safApp=AmfDemo1` is already defined at samples/amf/sa_aware/AppConfig-2N.xml:183",
    ),
    (
        "samples/smfsv/campaigns/campaign_single_comp.xml",
        "campaign_single_comp.xml:292: element `byTemplate`: the template's type `safVersion=4.0.0,safCompType=AmfDemo1` is not an object of the configuration (nor added by the campaign): smfd cannot calculate the procedure's steps",
    ),
    // The same for the rolling campaigns: their activation-unit templates name AmfDemo1's
    // 4.0.0 types, which AppConfig-2N.xml does not have (version 1).
    (
        "samples/smfsv/campaigns/campaign_rolling_su.xml",
        "campaign_rolling_su.xml:161: element `byTemplate`: the template's type `safVersion=4.0.0,safSuType=AmfDemo1` is not an object of the configuration (nor added by the campaign)",
    ),
    (
        "samples/smfsv/campaigns/campaign_rolling_comp.xml",
        "campaign_rolling_comp.xml:195: element `byTemplate`: the template's type `safVersion=4.0.0,safCompType=AmfDemo1` is not an object of the configuration (nor added by the campaign)",
    ),
    (
        "samples/smfsv/campaigns/campaign_single_node.xml",
        "campaign_single_node.xml:100: element `byName`: `safAmfNode=SC-1,safAmfCluster=myAmfCluster` is not an EE, SU, component, SG, application, AMF node or CLM node of the configuration",
    ),
    (
        "samples/amf/campaigns/NwayInstallationCampaign.xml",
        "NwayInstallationCampaign.xml:162: `safSu=AmfDemoNway-0,safSg=SGNway,safApp=AmfDemoNway` saAmfSUHostNodeOrNodeGroup refers to `safAmfNode=PL-3,safAmfCluster=myAmfCluster`, which is not in the configuration",
    ),
    (
        "samples/smfsv/campaigns/campaign_rolling_comp_agent.xml",
        "campaign_rolling_comp_agent.xml:180: element `callback`: character content is not allowed",
    ),
    (
        "samples/smfsv/campaign_howtowrite.xml",
        "campaign_howtowrite.xml:318: element `attribute`: duplicate key-sequence",
    ),
];

#[test]
fn corpus_campaigns_refused_on_the_sample_configuration() {
    let Some(os) = opensaf() else { return };
    for &(campaign, fragment) in REFUSED {
        let (code, out, err) = smfcheck_in(
            &os,
            &[
                "check",
                campaign,
                "--config",
                "src/imm/config/imm.xml.sample",
                "--config",
                "samples/amf/sa_aware/AppConfig-2N.xml",
            ],
        );
        let text = format!("{out}{err}");
        assert_eq!(code, 2, "{campaign}: {text}");
        assert!(text.contains(fragment), "{campaign}: {text}");
    }
}

/// (campaign, the configuration files of models/opensaf-5node it runs on, a fragment of the
/// refusal)
const REFUSED_ON_5NODE: &[(&str, &[&str], &str)] = &[
    (
        "samples/smfsv/campaigns/campaign_rolling_comp_agent.xml",
        &["cluster.xml", "amfdemo1.xml"],
        "campaign_rolling_comp_agent.xml:180: element `callback`: character content is not allowed",
    ),
    (
        "samples/smfsv/campaign_howtowrite.xml",
        &["cluster.xml"],
        "campaign_howtowrite.xml:318: element `attribute`: duplicate key-sequence",
    ),
];

/// Corpus campaigns refused on the cluster they were written for (models/opensaf-5node: the
/// 5-node cluster, and AmfDemo1 as campaign_install_demoapp.xml leaves it).
#[test]
fn corpus_campaigns_refused_on_the_5_node_cluster() {
    let Some(os) = opensaf() else { return };
    for &(campaign, configs, fragment) in REFUSED_ON_5NODE {
        let mut args: Vec<String> = vec!["check".into(), campaign.into()];
        for c in configs {
            args.push("--config".into());
            args.push(models("opensaf-5node").join(c).display().to_string());
        }
        let (code, out, err) = smfcheck_in(&os, &args);
        let text = format!("{out}{err}");
        assert_eq!(code, 2, "{campaign}: {text}");
        assert!(
            text.contains(fragment),
            "{campaign}: `{fragment}` not in\n{text}"
        );
    }
}
