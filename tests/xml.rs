//! The XML input layer against real inputs: every campaign and IMM file of the OpenSAF corpus
//! (read in place from the OpenSAF source tree that `SMFCHECK_OPENSAF` names; those tests report
//! themselves skipped without it) parses, or fails for the reason `xmllint --schema` gives, with
//! `file:line`; structural facts of the campaigns are pinned; the thesis's extensions
//! (models/extension-embedded.xml) parse into nested steps; bad input is an error naming file,
//! line and element, never a panic.

use smfcheck::error::Error;
use smfcheck::step::embed::{EmbeddedStep, Purpose};
use smfcheck::step::table::StepType::{InPhase, LockedReduced, OutOfPhase, Reduced};
use smfcheck::xml::campaign::{
    Campaign, CcbOp, CustomActionKind, EntityKind, Method, ModifyKind, Outage, Scope, Selector,
    SiConstraint, Template, Units, parse_campaign, parse_campaign_str,
};
use smfcheck::xml::imm::{Duplicates, ImmFile, merge, merge_with, parse_imm, parse_imm_str};

use super::support::opensaf;
use std::path::Path;

const SMFSV: &str = "samples/smfsv/campaigns/";

/// `rel` in the OpenSAF tree `os`.
fn corpus(os: &Path, rel: &str) -> String {
    os.join(rel).to_str().unwrap().to_string()
}

fn campaign(os: &Path, rel: &str) -> Campaign {
    parse_campaign(corpus(os, rel)).unwrap_or_else(|e| panic!("{e}"))
}

fn imm(os: &Path, rel: &str) -> ImmFile {
    parse_imm(corpus(os, rel)).unwrap_or_else(|e| panic!("{e}"))
}

// ---------------------------------------------------------------------------------------------
// Campaigns of the corpus
// ---------------------------------------------------------------------------------------------

#[test]
fn every_schema_valid_corpus_campaign_parses_with_its_procedures_and_levels() {
    let Some(os) = opensaf() else { return };
    // (file, campaign name, execution level of each procedure in document order)
    let table: [(&str, &str, &[u32]); 15] = [
        ("campaign_TestRollback.xml", "TestRollback", &[0]),
        (
            "campaign_increase_demoapp.xml",
            "campaign_increase_demoapp",
            &[0],
        ),
        (
            "campaign_install_demoapp.xml",
            "campaign_install_demoapp",
            &[0],
        ),
        (
            "campaign_remove_demoapp.xml",
            "campaign_remove_demoapp",
            &[0, 100],
        ),
        (
            "campaign_remove_demoapp2.xml",
            "campaign_remove_demoapp2",
            &[0, 100, 200],
        ),
        (
            "campaign_rolling_comp.xml",
            "campaign_rolling_comp",
            &[2, 3, 4, 5, 5, 6],
        ),
        (
            "campaign_rolling_nodes.xml",
            "campaign_rolling_nodes",
            &[2, 3, 4],
        ),
        (
            "campaign_rolling_nodes_callback_receiver.xml",
            "campaign_rolling_nodes_callback_receiver",
            &[1],
        ),
        (
            "campaign_rolling_nodes_os_installremove.xml",
            "OpenSAFSampleCamp",
            &[2, 3],
        ),
        (
            "campaign_rolling_su.xml",
            "campaign_rolling_su",
            &[2, 3, 4, 6, 6],
        ),
        (
            "campaign_single_comp.xml",
            "campaign_single_comp",
            &[2, 3, 4, 5, 6, 7, 8],
        ),
        // The file reuses single_comp's campaign name.
        ("campaign_single_node.xml", "campaign_single_comp", &[2]),
        ("install_bundles_testcampaign.xml", "install_bundles", &[0]),
        ("remove_bundles_testcampaign.xml", "remove_bundles", &[0]),
        (
            "../../amf/campaigns/NwayInstallationCampaign.xml",
            "AmfDemoNway-InstCamp",
            &[0],
        ),
    ];
    for (file, name, levels) in table {
        let c = campaign(&os, &format!("{SMFSV}{file}"));
        assert_eq!(c.name, format!("safSmfCampaign={name}"), "{file}");
        let got: Vec<u32> = c.procedures.iter().map(|p| p.exec_level).collect();
        assert_eq!(got, levels, "{file}");
        // No corpus campaign uses the thesis's embedded step.
        assert!(
            c.procedures.iter().all(|p| !p.method.is_embedded()),
            "{file}"
        );
    }
}

#[test]
fn howtowrite_is_rejected_like_xmllint_for_a_duplicate_attribute_name_in_create() {
    let Some(os) = opensaf() else { return };
    // xmllint: campaign_howtowrite.xml:318: element attribute: Schemas validity error : Element
    // 'attribute': Duplicate key-sequence ['saSmfBundleRemoveOfflineCmdUri'] in unique
    // identity-constraint 'attribute_CCBCreate'.
    let file = corpus(&os, "samples/smfsv/campaign_howtowrite.xml");
    let err = parse_campaign(&file).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{file}:318: element `attribute`: duplicate key-sequence ['saSmfBundleRemoveOfflineCmdUri'] in unique identity-constraint 'attribute_CCBCreate' (first at line 303)"
        )
    );
    assert!(matches!(err, Error::Xml { line: 318, .. }));
}

#[test]
fn rolling_comp_agent_is_rejected_like_xmllint_for_character_data_in_an_empty_callback() {
    let Some(os) = opensaf() else { return };
    // xmllint: campaign_rolling_comp_agent.xml:180: element callback: Schemas validity error :
    // Element 'callback': Character content is not allowed, because the content type is empty.
    // (`<callback …> </callback>`: a single space is character content.)
    let file = corpus(&os, &format!("{SMFSV}campaign_rolling_comp_agent.xml"));
    assert_eq!(
        parse_campaign(&file).unwrap_err().to_string(),
        format!(
            "{file}:180: element `callback`: character content is not allowed, because the content type is empty"
        )
    );
}

#[test]
fn rolling_comp_agent_has_two_more_errors_behind_the_first_both_of_element_order() {
    let Some(os) = opensaf() else { return };
    // xmllint also reports line 182 (callbackAtInit after campInitAction) and line 462
    // (callbackAtCommit after removeFromImm). Remove the spaces, then each is the first error.
    let text = std::fs::read_to_string(corpus(
        &os,
        &format!("{SMFSV}campaign_rolling_comp_agent.xml"),
    ))
    .unwrap()
    .replace("\"> </callback>", "\"></callback>")
    .replace("\" > </callback>", "\"></callback>");
    assert_eq!(
        parse_campaign_str("agent.xml", &text)
            .unwrap_err()
            .to_string(),
        "agent.xml:182: element `callbackAtInit`: this element is not expected here: in `campaignInitialization` it must come before `campInitAction` (line 168)"
    );
    let mut lines: Vec<&str> = text.lines().collect();
    // Move the three init callbacks before the first campInitAction (line numbers unchanged).
    let callbacks: Vec<&str> = lines.drain(181..184).collect();
    for (k, l) in callbacks.into_iter().enumerate() {
        lines.insert(167 + k, l);
    }
    assert_eq!(
        parse_campaign_str("agent.xml", &lines.join("\n"))
            .unwrap_err()
            .to_string(),
        "agent.xml:462: element `callbackAtCommit`: this element is not expected here: in `campaignWrapup` it must come before `waitToAllowNewCampaign` (line 459)"
    );
}

#[test]
fn rolling_comp_has_six_rolling_procedures_two_in_parallel_at_level_5() {
    let Some(os) = opensaf() else { return };
    let c = campaign(&os, &format!("{SMFSV}campaign_rolling_comp.xml"));
    assert_eq!(c.procedures.len(), 6);
    let levels: Vec<(u32, usize)> = c.levels().iter().map(|(l, ps)| (*l, ps.len())).collect();
    assert_eq!(levels, vec![(2, 1), (3, 1), (4, 1), (5, 2), (6, 1)]);
    let at5: Vec<&str> = c.levels()[3].1.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        at5,
        vec![
            "safSmfProc=RollingSUfromNoExistingSG_ParExec1_CompRestart",
            "safSmfProc=RollingSUfromNoExistingSG_ParExec2_CompRestart"
        ]
    );
    // Restart option 0 locks the SU (normal step); 1 restarts the component (reduced step).
    let rows: Vec<_> = c
        .procedures
        .iter()
        .map(|p| {
            let s = p.method.steps().next().unwrap();
            (
                p.line,
                s.line,
                s.restart_option,
                s.max_retry,
                p.step_types(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            (185, 212, false, Some(8), vec![OutOfPhase]),
            (220, 250, true, Some(8), vec![Reduced]),
            (258, 287, false, Some(8), vec![OutOfPhase]),
            (296, 323, true, Some(8), vec![Reduced]),
            (332, 360, true, Some(8), vec![Reduced]),
            (368, 396, true, Some(8), vec![Reduced]),
        ]
    );
    let Method::Rolling {
        scope,
        step,
        disable_simultaneous_exec,
    } = &c.procedures[1].method
    else {
        panic!("procedure 2 is a rolling upgrade");
    };
    assert!(*disable_simultaneous_exec, "XSD default 1");
    assert_eq!(step.acts_on, Units::Uniform(EntityKind::Component));
    assert_eq!(
        scope.node_template,
        "safAmfNodeGroup=AllNodes,safAmfCluster=myAmfCluster"
    );
    assert_eq!(
        scope.activation_unit,
        vec![Template {
            parent: Some("safSg=AmfDemo,safApp=AmfDemo1".into()),
            type_dn: Some("safVersion=5.5.5,safCompType=AmfDemo1".into()),
        }]
    );
    assert_eq!(
        scope.sw_remove[0].dn,
        "safSmfBundle=5.5.5,safApp=safSmfService"
    );
    assert_eq!(
        scope.sw_add[0].dn,
        "safSmfBundle=6.6.6,safApp=safSmfService"
    );
    assert_eq!(
        scope.sw_add[0].pathname_prefix.as_deref(),
        Some("/opt/amf_demo")
    );
    let m = &scope.targets[0].modifications[0];
    assert_eq!(m.operation, ModifyKind::Replace);
    assert_eq!(m.attributes[0].name, "saAmfCompType");
    assert_eq!(
        m.attributes[0].values,
        vec!["safVersion=6.6.6,safCompType=AmfDemo1"]
    );
    // Whitespace in an SaNameT is collapsed, as the schema does (`safApp=2nApp ` in the file).
    let Method::Rolling { scope, .. } = &c.procedures[3].method else {
        panic!()
    };
    assert_eq!(
        scope.activation_unit[0].parent.as_deref(),
        Some("safSg=SG_dummy_2n,safApp=2nApp")
    );
    assert_eq!(c.init.bundles.len(), 3);
    assert_eq!(
        c.init
            .component_types
            .iter()
            .map(|t| t.restart_disabled)
            .collect::<Vec<_>>(),
        vec![false, true, false],
        "6.6.6 disables restart"
    );
    assert_eq!(c.init.actions.len(), 2);
    let CustomActionKind::Cli { exec_envs, .. } = &c.init.actions[0].kind else {
        panic!("a CLI action")
    };
    assert_eq!(
        exec_envs[1].amf_node.as_deref(),
        Some("safAmfNode=PL-3,safAmfCluster=myAmfCluster")
    );
    assert_eq!(c.wrapup.wait_to_commit, Some(123456));
    assert_eq!(c.wrapup.wait_to_allow_new_campaign, Some(10000));
}

#[test]
fn single_comp_has_seven_single_step_procedures_at_levels_2_to_8() {
    let Some(os) = opensaf() else { return };
    let c = campaign(&os, &format!("{SMFSV}campaign_single_comp.xml"));
    let rows: Vec<_> = c
        .procedures
        .iter()
        .map(|p| {
            let Method::SingleStep { scopes_and_steps } = &p.method else {
                panic!("{} is a single step", p.name)
            };
            assert_eq!(scopes_and_steps.len(), 1);
            let (scope, step) = &scopes_and_steps[0];
            let kind = match scope {
                Scope::Modify(_) => "modify",
                Scope::AddRemove(_) => "add-remove",
            };
            (
                p.exec_level,
                p.line,
                kind,
                step.restart_option,
                step.step_type(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            (2, 282, "modify", true, Reduced),
            (3, 316, "modify", false, OutOfPhase),
            (4, 351, "add-remove", true, Reduced),
            (5, 393, "add-remove", false, OutOfPhase),
            (6, 435, "add-remove", true, Reduced),
            (7, 479, "add-remove", false, OutOfPhase),
            (8, 533, "add-remove", false, OutOfPhase),
        ]
    );
    let Method::SingleStep { scopes_and_steps } = &c.procedures[2].method else {
        panic!()
    };
    let Scope::AddRemove(a) = &scopes_and_steps[0].0 else {
        panic!()
    };
    assert_eq!(
        a.deactivation,
        vec![
            Selector::ByName("safComp=AmfDemo,safSu=SU1,safSg=AmfDemo,safApp=AmfDemo1".into()),
            Selector::ByName("safComp=AmfDemo,safSu=SU2,safSg=AmfDemo,safApp=AmfDemo1".into()),
        ]
    );
    assert_eq!(
        a.removed,
        vec![Selector::ByName("safApp=TestDummyApp1".into())]
    );
    assert_eq!(a.added[0].class, "SaAmfApplication");
    assert_eq!(a.added[0].parent_dn, "=");
    assert_eq!(
        a.added[0].attributes[0].values,
        vec!["safApp=TestDummyApp2"]
    );
    assert_eq!(a.sw_remove[0].dn, "safSmfBundle=7.7.7");
    assert_eq!(a.sw_add[0].dn, "safSmfBundle=8.8.8");
}

#[test]
fn restart_option_on_service_units_or_nodes_still_gives_a_normal_step() {
    let Some(os) = opensaf() else { return };
    // docs/semantics.md §6: only components are restarted in a reduced step.
    let su = campaign(&os, &format!("{SMFSV}campaign_rolling_su.xml"));
    for p in &su.procedures {
        let s = p.method.steps().next().unwrap();
        assert!(s.restart_option, "{}", p.name);
        assert_eq!(
            s.acts_on,
            Units::Uniform(EntityKind::ServiceUnit),
            "{}",
            p.name
        );
        assert_eq!(s.step_type(), OutOfPhase, "{}", p.name);
    }
    let nodes = campaign(&os, &format!("{SMFSV}campaign_rolling_nodes.xml"));
    for p in &nodes.procedures {
        let s = p.method.steps().next().unwrap();
        // No activationUnitTemplate: the node is the unit.
        assert_eq!(s.acts_on, Units::Uniform(EntityKind::Node), "{}", p.name);
        assert_eq!(s.step_type(), OutOfPhase, "{}", p.name);
    }
    let bundles = campaign(&os, &format!("{SMFSV}install_bundles_testcampaign.xml"));
    let s = bundles.procedures[0].method.steps().next().unwrap();
    assert_eq!(s.acts_on, Units::Nothing);
}

#[test]
fn a_missing_max_retry_is_recorded_as_absent_not_defaulted() {
    let Some(os) = opensaf() else { return };
    let node = campaign(&os, &format!("{SMFSV}campaign_single_node.xml"));
    let s = node.procedures[0].method.steps().next().unwrap();
    assert_eq!((s.max_retry, s.restart_option, s.line), (None, false, 136));
    let receiver = campaign(
        &os,
        &format!("{SMFSV}campaign_rolling_nodes_callback_receiver.xml"),
    );
    let s = receiver.procedures[0].method.steps().next().unwrap();
    assert_eq!(s.max_retry, Some(0));
    let labels: Vec<(&str, usize)> = s
        .callbacks
        .iter()
        .map(|c| (c.callback.label.as_str(), c.callback.line))
        .collect();
    assert_eq!(
        labels,
        vec![
            ("OsafSmfCbkUtil-Cmd", 56),
            ("OsafSmfCbkUtil-UpgradeCmd", 61),
            ("OsafSmfCbkUtil-RollbackCmd", 66)
        ]
    );
}

#[test]
fn custom_actions_ccbs_and_added_types_are_kept() {
    let Some(os) = opensaf() else { return };
    let rollback = campaign(&os, &format!("{SMFSV}campaign_TestRollback.xml"));
    let p = &rollback.procedures[0];
    assert_eq!(
        (
            rollback.init.actions.len(),
            p.init_actions.len(),
            p.wrapup_actions.len(),
            rollback.wrapup.complete_actions.len(),
            rollback.wrapup.wrapup_actions.len()
        ),
        (12, 14, 20, 11, 3)
    );
    assert_eq!(rollback.init.bundles[0].dn, "safSmfBundle=NewDummy");
    let b = &rollback.init.bundles[0];
    assert_eq!(b.install_offline.as_ref().map(|o| o.scope), Some(2));
    assert_eq!(b.remove_offline.as_ref().map(|o| o.scope), Some(1));
    assert_eq!(b.default_timeout, Some(60_000_000_000));

    let nway = campaign(
        &os,
        &format!("{SMFSV}../../amf/campaigns/NwayInstallationCampaign.xml"),
    );
    let p = &nway.procedures[0];
    assert_eq!(p.outage, Outage::All);
    let CustomActionKind::Ccb(ccb) = &p.init_actions[0].kind else {
        panic!("a CCB")
    };
    assert_eq!(ccb.ops.len(), 26);
    let CcbOp::Create(first) = &ccb.ops[0] else {
        panic!("a create")
    };
    assert_eq!(
        (first.class.as_str(), first.parent_dn.as_str()),
        ("SaAmfApplication", "=")
    );
    assert_eq!(
        nway.init.component_types[0].bundle.as_deref(),
        Some("safSmfBundle=AmfDemoNway.1")
    );

    let install = campaign(&os, &format!("{SMFSV}campaign_install_demoapp.xml"));
    assert_eq!(install.init.entity_types.len(), 12);
    assert_eq!(install.init.entity_types[6], "safCompType=AmfDemo1");
    assert_eq!(
        install.init.entity_types[7],
        "safVersion=4.0.0,safCompType=AmfDemo1"
    );
}

// ---------------------------------------------------------------------------------------------
// The thesis's extensions
// ---------------------------------------------------------------------------------------------

#[test]
fn thesis_embedded_in_phase_step_of_degree_3_parses_into_three_nested_steps() {
    let c = parse_campaign(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/models/extension-embedded.xml"
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(c.procedures.len(), 2);
    let p = &c.procedures[0];
    assert!(p.method.is_embedded());
    assert_eq!(p.step_types(), vec![InPhase, InPhase, InPhase]);
    assert_eq!(p.outage, Outage::None);
    let Method::SingleStep { scopes_and_steps } = &p.method else {
        panic!()
    };
    // Outermost layer first: the VMs, their VMM, the host OS (Fig. 7.9).
    let first_dns: Vec<(&str, usize, Option<u32>)> = scopes_and_steps
        .iter()
        .map(|(scope, step)| {
            let Scope::Modify(m) = scope else { panic!() };
            let Selector::ByName(dn) = &m.activation[0] else {
                panic!()
            };
            assert_eq!(step.acts_on, Units::Uniform(EntityKind::ExecEnv));
            (dn.as_str(), step.line, step.max_retry)
        })
        .collect();
    assert_eq!(
        first_dns,
        vec![
            ("safEE=VMx1-M,safDomain=domain_1", 69, Some(2)),
            ("safEE=VMM1,safEE=hostOS-1,safDomain=domain_1", 89, None),
            ("safEE=hostOS-1,safDomain=domain_1", 109, None),
        ]
    );
    EmbeddedStep::new(p.step_types(), Purpose::Upgrade).expect("valid embedding");

    // An in-phase step embedding a locked reduced one (§4.1.1 innermost).
    let p = &c.procedures[1];
    assert_eq!(p.step_types(), vec![InPhase, LockedReduced]);
    assert_eq!(
        p.outage,
        Outage::Limited {
            max: Some(1),
            sis: SiConstraint::MustKeepAssigned(vec!["safSi=media,safApp=media".into()]),
        }
    );
    assert_eq!(
        EmbeddedStep::new(p.step_types(), Purpose::Upgrade)
            .unwrap()
            .degree(),
        2
    );
    // The caught VMs (Fig. 7.7) and their release (Fig. 7.10).
    let CustomActionKind::Ccb(ccb) = &c.init.actions[0].kind else {
        panic!()
    };
    let CcbOp::Modify(m) = &ccb.ops[0] else {
        panic!()
    };
    assert_eq!(
        m.attributes[0].values,
        vec!["safEE=VMM1,safEE=hostOS-1,safDomain=domain_1"]
    );
    assert_eq!(c.wrapup.wrapup_actions.len(), 1);
}

// ---------------------------------------------------------------------------------------------
// Bad campaign input
// ---------------------------------------------------------------------------------------------

/// A schema-valid campaign (checked with xmllint) that the cases below break one way each.
const MINIMAL: &str = r#"<upgradeCampaign safSmfCampaign="safSmfCampaign=t">
  <campaignInfo>
    <campaignPeriod/>
  </campaignInfo>
  <campaignInitialization>
    <addToImm/>
  </campaignInitialization>
  <upgradeProcedure safSmfProcedure="safSmfProc=p" saSmfExecLevel="1">
    <outageInfo>
      <acceptableServiceOutage>
        <all/>
      </acceptableServiceOutage>
      <procedurePeriod saSmfProcPeriod="1"/>
    </outageInfo>
    <upgradeMethod>
      <singleStepUpgrade>
        <upgradeScope>
          <forModify>
            <activationUnit>
              <actedOn>
                <byName objectDN="safComp=c,safSu=s,safSg=g,safApp=a"/>
              </actedOn>
            </activationUnit>
            <targetEntityTemplate>
              <modifyOperation operation="SA_IMM_ATTR_VALUES_REPLACE">
                <attribute name="saAmfCompType" type="SA_IMM_ATTR_SANAMET">
                  <value>safVersion=2,safCompType=c</value>
                </attribute>
              </modifyOperation>
            </targetEntityTemplate>
          </forModify>
        </upgradeScope>
        <upgradeStep saSmfStepRestartOption="1"/>
      </singleStepUpgrade>
    </upgradeMethod>
  </upgradeProcedure>
  <campaignWrapup>
    <waitToCommit/>
    <waitToAllowNewCampaign/>
    <removeFromImm/>
  </campaignWrapup>
</upgradeCampaign>
"#;

#[test]
fn the_minimal_campaign_is_a_reduced_single_step() {
    let c = parse_campaign_str("min.xml", MINIMAL).unwrap();
    assert_eq!(c.procedures[0].step_types(), vec![Reduced]);
    assert_eq!(c.procedures[0].line, 8);
    assert_eq!(c.procedures[0].method.steps().next().unwrap().line, 33);
}

#[test]
fn a_wrong_attribute_value_in_a_file_names_file_line_and_element() {
    let dir = super::support::scratch("xml-bad-level");
    let path = dir.join("bad-level.xml");
    std::fs::write(
        &path,
        MINIMAL.replace("saSmfExecLevel=\"1\"", "saSmfExecLevel=\"x\""),
    )
    .unwrap();
    let err = parse_campaign(&path).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{}:8: element `upgradeProcedure`: attribute `saSmfExecLevel`: 'x' is not a valid value: expected a non-negative integer",
            path.display()
        )
    );
    let Error::Xml { line, element, .. } = err else {
        panic!("an XML error")
    };
    assert_eq!((line, element.as_deref()), (8, Some("upgradeProcedure")));
}

#[test]
fn bad_campaign_input_is_an_error_with_file_line_and_element() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "saSmfExecLevel=\"1\"",
            "saSmfExecLevel=\"4294967296\"",
            "bad.xml:8: element `upgradeProcedure`: attribute `saSmfExecLevel`: '4294967296' does not fit an SaUint32T",
        ),
        (
            "saSmfStepRestartOption=\"1\"",
            "saSmfStepRestartOption=\"2\"",
            "bad.xml:33: element `upgradeStep`: attribute `saSmfStepRestartOption`: '2' is not 0 or 1",
        ),
        (
            "saSmfStepRestartOption=\"1\"",
            "saSmfStepInPhaseStep=\"1\" saSmfStepLockedReducedStep=\"1\"",
            "bad.xml:33: element `upgradeStep`: saSmfStepInPhaseStep=\"1\" and saSmfStepLockedReducedStep=\"1\" name two step types",
        ),
        (
            "saSmfStepRestartOption=\"1\"",
            "saSmfStepRestartOptoin=\"1\"",
            "bad.xml:33: element `upgradeStep`: the attribute `saSmfStepRestartOptoin` is not allowed",
        ),
        (
            "<all/>",
            "<all/><none/>",
            "bad.xml:10: element `acceptableServiceOutage`: acceptableServiceOutage holds exactly one of: all; none; max? followed by mayGoUnassignedSI+ or mustKeepAssignedSI+",
        ),
        (
            "      <procedurePeriod saSmfProcPeriod=\"1\"/>\n",
            "",
            "bad.xml:9: element `outageInfo`: missing child element `procedurePeriod`",
        ),
        (
            "<upgradeStep saSmfStepRestartOption=\"1\"/>",
            "<upgradeStpe/>",
            "bad.xml:33: element `upgradeStpe`: this element is not expected in `singleStepUpgrade`; expected one of `upgradeScope`, `upgradeStep`",
        ),
        (
            "<upgradeStep saSmfStepRestartOption=\"1\"/>",
            "",
            "bad.xml:16: element `singleStepUpgrade`: missing child element `upgradeStep` after the last `upgradeScope`",
        ),
        (
            "objectDN=\"safComp=c,",
            "objectDN=\"safComp c,",
            "bad.xml:21: element `byName`: attribute `objectDN`: 'safComp c,safSu=s,safSg=g,safApp=a' is not a valid value: an SaNameT is `name=value` pairs separated by commas, of letters, digits and `_.\\=-` (at `safComp c`)",
        ),
        (
            "safSmfProcedure=\"safSmfProc=p\"",
            "safSmfProcedure=\"p\"",
            "bad.xml:8: element `upgradeProcedure`: attribute `safSmfProcedure`: 'p' is not a valid value: expected `safSmfProc=` followed by a name",
        ),
        (
            "SA_IMM_ATTR_VALUES_REPLACE",
            "SA_IMM_ATTR_VALUES_SET",
            "bad.xml:25: element `modifyOperation`: attribute `operation`: 'SA_IMM_ATTR_VALUES_SET' is not a valid value: not an element of the set {'SA_IMM_ATTR_VALUES_ADD', 'SA_IMM_ATTR_VALUES_DELETE', 'SA_IMM_ATTR_VALUES_REPLACE'} of modifyOperationT",
        ),
        (
            "safApp=a\"/>",
            "safApp=a\">x</byName>",
            "bad.xml:21: element `byName`: character content is not allowed, because the content type is empty",
        ),
        (
            "<actedOn>",
            "<actedOn>junk",
            "bad.xml:20: element `actedOn`: character content other than whitespace is not allowed, because the content type is element-only (found `junk`)",
        ),
        (
            "</modifyOperation>",
            "</modifyOperation><modifyOperation operation=\"SA_IMM_ATTR_VALUES_ADD\"><attribute name=\"a\" type=\"SA_IMM_ATTR_SAINT32T\"><value>1</value></attribute><attribute name=\"a\" type=\"SA_IMM_ATTR_SAINT32T\"><value>2</value></attribute></modifyOperation>",
            "bad.xml:29: element `attribute`: duplicate key-sequence ['a'] in unique identity-constraint 'attribute_modifyOperation' (first at line 29)",
        ),
        (
            "<addToImm/>",
            "<addToImm/><campInitAction><doCliCommand command=\"a\"/><undoCliCommand command=\"b\"/></campInitAction>",
            "bad.xml:6: element `campInitAction`: a custom action (actionT) holds exactly one of: doAdminOperation undoAdminOperation; immCCB; doCliCommand undoCliCommand plmExecEnv+; callback",
        ),
        (
            "<waitToCommit/>",
            "<waitToCommit time=\"soon\"/>",
            "bad.xml:38: element `waitToCommit`: attribute `time`: 'soon' is not a valid value: expected an integer in the range of xs:long (SaTimeT)",
        ),
        (
            "  </upgradeProcedure>",
            "  </upgradeProcdure>",
            "bad.xml:36: not well-formed XML: ill-formed document: expected `</upgradeProcedure>`, but `</upgradeProcdure>` was found",
        ),
        (
            "<upgradeCampaign ",
            "<upgradeCampagn ",
            "bad.xml:1: element `upgradeCampagn`: unexpected root element",
        ),
    ];
    for (from, to, expected) in cases {
        assert!(MINIMAL.contains(from), "{from}");
        let text = MINIMAL.replacen(from, to, 1);
        let text = if from.starts_with("<upgradeCampaign") {
            text.replace("</upgradeCampaign>", "</upgradeCampagn>")
        } else {
            text
        };
        match parse_campaign_str("bad.xml", &text) {
            Ok(_) => panic!("accepted: {to}"),
            Err(e) => assert_eq!(e.to_string(), *expected, "{from} → {to}"),
        }
    }
}

#[test]
fn a_missing_campaign_file_is_an_io_error_naming_it() {
    let err = parse_campaign("/nonexistent/c.xml").unwrap_err();
    assert!(matches!(err, Error::Io { .. }));
    assert!(err.to_string().starts_with("/nonexistent/c.xml: "), "{err}");
}

// ---------------------------------------------------------------------------------------------
// IMM configurations
// ---------------------------------------------------------------------------------------------

#[test]
fn imm_sample_has_347_objects_and_its_stray_text_is_ignored_as_immcfg_ignores_it() {
    let Some(os) = opensaf() else { return };
    let sample = imm(&os, "src/imm/config/imm.xml.sample");
    assert_eq!((sample.classes.len(), sample.objects.len()), (65, 347));
    let imm = merge(std::slice::from_ref(&sample)).unwrap();
    let counts = imm.class_counts();
    for (class, n) in [
        ("SaAmfComp", 49),
        ("SaAmfCSI", 37),
        ("SaAmfSU", 7),
        ("SaAmfSI", 6),
        ("SaAmfSG", 2),
        ("SaAmfNode", 5),
        ("SaClmNode", 6),
        ("SaAmfApplication", 9),
        ("SaSmfSwBundle", 1),
    ] {
        assert_eq!(counts.get(class), Some(&n), "{class}");
    }
    assert!(
        counts.keys().all(|c| !c.starts_with("SaPlm")),
        "no PLM objects"
    );
    // Line 2961 is `<attr>=`: the attribute after the stray `=` is read normally.
    let sg_type = imm
        .get("safVersion=4.0.0,safSgType=OpenSafSgTypeNoRed")
        .unwrap();
    assert_eq!(sg_type.line, 2959);
    assert_eq!(sg_type.value("saAmfSgtRedundancyModel"), Some("5"));
    assert_eq!(
        imm.values(
            "safVersion=4.0.0,safAppType=OpenSafApplicationType",
            "saAmfApptSGTypes"
        ),
        Some(
            &[
                "safVersion=4.0.0,safSgType=OpenSafSgType2N".to_string(),
                "safVersion=4.0.0,safSgType=OpenSafSgTypeNoRed".to_string()
            ][..]
        )
    );
    let class = imm.class("SaAmfSU").unwrap();
    assert_eq!(
        (class.category.as_str(), class.rdn.name.as_str()),
        ("SA_CONFIG", "safSu")
    );
}

#[test]
fn every_corpus_imm_file_but_the_pc_variant_parses() {
    let Some(os) = opensaf() else { return };
    let table: [(&str, usize, usize); 11] = [
        // Less the orphaned `SaAmfNodeSwBundle`s that `opensaf()` blanks (support::CORPUS_ORPHANS).
        ("samples/amf/sa_aware/AppConfig-2N.xml", 0, 30 - 2),
        ("samples/amf/sa_aware/AppConfig-nwayactive.xml", 0, 44 - 5),
        ("src/plm/config/plmsv_classes.xml", 11, 0),
        ("src/plm/config/plmsv_objects.xml", 0, 14),
        ("src/plm/config/plmsv_objects.xml.atca", 0, 34),
        ("src/plm/config/plmsv_objects.xml.hp", 0, 26),
        ("src/amf/config/amf_classes.xml", 36, 0),
        ("src/clm/config/clmsv_classes.xml", 2, 0),
        ("src/smf/config/smfsv_classes.xml", 15, 0),
        ("samples/smfsv/campaigns/smfsv_test_classes.xml", 1, 0),
        ("src/imm/config/imm.xml.sample", 65, 347),
    ];
    for (file, classes, objects) in table {
        let f = imm(&os, file);
        assert_eq!(
            (f.classes.len(), f.objects.len()),
            (classes, objects),
            "{file}"
        );
    }
    // The class files of the components are disjoint and merge.
    let classes = merge(&[
        imm(&os, "src/amf/config/amf_classes.xml"),
        imm(&os, "src/clm/config/clmsv_classes.xml"),
        imm(&os, "src/plm/config/plmsv_classes.xml"),
        imm(&os, "src/smf/config/smfsv_classes.xml"),
        imm(&os, "samples/smfsv/campaigns/smfsv_test_classes.xml"),
    ])
    .unwrap();
    assert_eq!(classes.classes().count(), 65);
    assert!(classes.is_empty());
    let ee = classes.class("SaPlmEE").unwrap();
    assert!(ee.attr("saPlmEEType").is_some());
}

#[test]
fn the_pc_plm_objects_file_is_rejected_at_its_malformed_first_line() {
    let Some(os) = opensaf() else { return };
    // xmllint: plmsv_objects.xml.pc:1: parser error : Start tag expected, '<' not found
    let file = corpus(&os, "src/plm/config/plmsv_objects.xml.pc");
    assert_eq!(
        parse_imm(&file).unwrap_err().to_string(),
        format!(
            "{file}:1: character data `n?xml version=\"1.0\" encoding=\"utf-8\"?>` before the root element"
        )
    );
}

#[test]
fn sample_and_the_2n_demo_app_merge() {
    let Some(os) = opensaf() else { return };
    let imm = merge(&[
        imm(&os, "src/imm/config/imm.xml.sample"),
        imm(&os, "samples/amf/sa_aware/AppConfig-2N.xml"),
    ])
    .unwrap();
    // 347 + 30 less the two orphans blanked out (support::CORPUS_ORPHANS).
    assert_eq!(imm.len(), 347 + 28);
    assert_eq!(imm.of_class("SaAmfSU").count(), 9);
    let su1 = imm.get("safSu=SU1,safSg=AmfDemo,safApp=AmfDemo1").unwrap();
    assert!(su1.file.ends_with("AppConfig-2N.xml"));
    assert_eq!(su1.parent_dn(), Some("safSg=AmfDemo,safApp=AmfDemo1"));
    assert_eq!(
        imm.children("safSg=AmfDemo,safApp=AmfDemo1")
            .map(|o| o.dn.as_str())
            .collect::<Vec<_>>(),
        vec![
            "safSu=SU1,safSg=AmfDemo,safApp=AmfDemo1",
            "safSu=SU2,safSg=AmfDemo,safApp=AmfDemo1"
        ]
    );
    assert!(imm.skipped().is_empty());
}

#[test]
fn the_atca_plm_objects_repeat_nine_objects_of_the_sample() {
    let Some(os) = opensaf() else { return };
    let files = [
        imm(&os, "src/imm/config/imm.xml.sample"),
        imm(&os, "samples/amf/sa_aware/AppConfig-2N.xml"),
        imm(&os, "src/plm/config/plmsv_objects.xml.atca"),
    ];
    let sample = corpus(&os, "src/imm/config/imm.xml.sample");
    let atca = corpus(&os, "src/plm/config/plmsv_objects.xml.atca");
    assert_eq!(
        merge(&files).unwrap_err().to_string(),
        format!(
            "{atca}:28: IMM object `safCompType=OpenSafCompTypePLMS` is already defined at {sample}:3195"
        )
    );
    // Importing with immcfg keeps the first definition of each repeated object (all nine have
    // the same class), so the atca variant's PLMS component type is not applied.
    let imm = merge_with(&files, Duplicates::LikeImmcfg).unwrap();
    assert_eq!(imm.len(), 347 + 28 + 34 - 9);
    assert_eq!(imm.skipped().len(), 9);
    let plms = imm
        .get("safVersion=4.0.0,safCompType=OpenSafCompTypePLMS")
        .unwrap();
    assert_eq!(
        plms.value("saAmfCtRelPathInstantiateCmd"),
        Some("plms_script")
    );
    assert_eq!(imm.of_class("SaPlmEE").count(), 4);
    let deps: Vec<_> = imm.of_class("SaPlmDependency").collect();
    assert_eq!(deps.len(), 2);
    assert_eq!(deps[0].value("saPlmDepMinNumber"), Some("1"));
    assert_eq!(deps[0].values("saPlmDepNames").len(), 2);
}

#[test]
fn immcfg_refuses_a_repeated_dn_of_another_class_and_so_do_we() {
    let a = parse_imm_str(
        "a.xml",
        "<imm:IMM-contents xmlns:imm=\"x\">\n<object class=\"A\"><dn>x=1</dn></object>\n</imm:IMM-contents>",
    )
    .unwrap();
    let b = parse_imm_str(
        "b.xml",
        "<imm:IMM-contents xmlns:imm=\"x\">\n\n<object class=\"B\"><dn>x=1</dn></object>\n</imm:IMM-contents>",
    )
    .unwrap();
    assert_eq!(
        merge_with(&[a.clone(), b], Duplicates::LikeImmcfg)
            .unwrap_err()
            .to_string(),
        "b.xml:3: IMM object `x=1` of class `B` is not of the same class as the existing object of class `A` (first defined at a.xml:2)"
    );
    // The same file twice is not "already defined at" its own line: it says so.
    assert_eq!(
        merge(&[a.clone(), a]).unwrap_err().to_string(),
        "a.xml: this configuration file is given twice; give each file once (its objects would all be defined twice)"
    );
}

#[test]
fn bad_imm_input_is_an_error_with_file_line_and_element() {
    let cases = [
        (
            "<imm:IMM-contents xmlns:imm=\"x\">\n<object class=\"A\">\n<attr><name>n</name></attr>\n</object>\n</imm:IMM-contents>",
            "t.xml:2: element `object`: missing child element `dn`",
        ),
        (
            "<IMM-contents>\n</IMM-contents>",
            "t.xml:1: element `IMM-contents`: unknown tag `IMM-contents` (immcfg expects `imm:IMM-contents`)",
        ),
        (
            "<imm:IMM-contents xmlns:imm=\"x\">\n<object><dn>a=1</dn></object>\n</imm:IMM-contents>",
            "t.xml:2: element `object`: the attribute `class` is required but missing",
        ),
        (
            "<imm:IMM-contents xmlns:imm=\"x\">\n<object class=\"A\"><dn>a=1</dn>\n</imm:IMM-contents>",
            "t.xml:3: not well-formed XML: ill-formed document: expected `</object>`, but `</imm:IMM-contents>` was found",
        ),
    ];
    for (text, expected) in cases {
        assert_eq!(
            parse_imm_str("t.xml", text).unwrap_err().to_string(),
            expected
        );
    }
}

#[test]
fn what_serde_alone_refuses_is_still_reported_with_a_line() {
    // The content model lets `attr` and `rdn` mix in a class (immcfg does); the DTO wants the
    // `attr` list in one run, so serde refuses, and the error still names file and line.
    let text = "<imm:IMM-contents xmlns:imm=\"x\">\n<class name=\"A\">\n<category>SA_CONFIG</category>\n<attr><name>a</name><type>SA_UINT32_T</type></attr>\n<rdn><name>r</name><type>SA_NAME_T</type></rdn>\n<attr><name>b</name><type>SA_UINT32_T</type></attr>\n</class>\n</imm:IMM-contents>";
    let err = parse_imm_str("t.xml", text).unwrap_err();
    assert_eq!(
        err.to_string(),
        "t.xml:6: element `class`: duplicate field `attr`: the `attr` elements of one `class` must follow each other"
    );
}

#[test]
fn positions_find_procedures_and_objects_by_their_names() {
    let Some(os) = opensaf() else { return };
    use smfcheck::xml::position::Positions;
    let file = corpus(&os, &format!("{SMFSV}campaign_rolling_comp.xml"));
    let pos = Positions::parse(&file, &std::fs::read_to_string(&file).unwrap()).unwrap();
    let id = pos
        .find_by_attr(
            "upgradeProcedure",
            "safSmfProcedure",
            "safSmfProc=RollingCompFromType_CompRestart_2",
        )
        .unwrap();
    assert_eq!(pos.line(id), 368);
    assert_eq!(pos.line_of("upgradeStep", 1), Some(250));
    assert_eq!(pos.descendants(id, "upgradeStep").len(), 1);
    let file = corpus(&os, "src/imm/config/imm.xml.sample");
    let pos = Positions::parse(&file, &std::fs::read_to_string(&file).unwrap()).unwrap();
    let id = pos
        .find_by_child_text(
            "object",
            "dn",
            "safVersion=4.0.0,safSgType=OpenSafSgTypeNoRed",
        )
        .unwrap();
    assert_eq!(pos.line(id), 2959);
    assert_eq!(
        pos.line_of("object", 346).is_some(),
        pos.line_of("object", 347).is_none()
    );
}
