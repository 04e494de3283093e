//! The typed system configuration (src/system/config.rs) read from real IMM files: counts checked
//! against the files (grep of `class="…"`), redundancy models, SU placement, PLM containment and
//! dependencies, and dangling references reported with file:line. The real files come from the
//! OpenSAF source tree that `SMFCHECK_OPENSAF` names; without it those tests report themselves
//! skipped.

use super::support::opensaf;
use smfcheck::system::config::{Redundancy, SuHost, SystemConfig};
use smfcheck::xml::imm::{Duplicates, merge, merge_with, parse_imm, parse_imm_str};
use std::path::Path;

/// `files` of the OpenSAF tree `os`, merged.
fn config(os: &Path, files: &[&str], dups: Duplicates) -> SystemConfig {
    let parsed: Vec<_> = files
        .iter()
        .map(|f| parse_imm(os.join(f)).unwrap())
        .collect();
    SystemConfig::from_imm(&merge_with(&parsed, dups).unwrap()).unwrap()
}

#[test]
fn sample_cluster_with_the_2n_demo_app() {
    let Some(os) = opensaf() else { return };
    let c = config(
        &os,
        &[
            "src/imm/config/imm.xml.sample",
            "samples/amf/sa_aware/AppConfig-2N.xml",
        ],
        Duplicates::Reject,
    );
    // imm.xml.sample: 5 nodes, 3 node groups, 2 SGs, 7 SUs, 6 SIs; AppConfig-2N adds 1 SG, 2 SUs, 1 SI.
    assert_eq!(
        (
            c.nodes.len(),
            c.node_groups.len(),
            c.sgs.len(),
            c.sus.len(),
            c.sis.len()
        ),
        (5, 3, 3, 9, 7)
    );
    assert!(c.ees.is_empty(), "imm.xml.sample has no PLM objects");
    let demo = c.sg("safSg=AmfDemo,safApp=AmfDemo1").unwrap();
    assert_eq!(c.sgs[demo].redundancy, Redundancy::TwoN);
    // SU1/SU2 have no host node: AMF places them on the SG's node group (SC-1, SC-2).
    let su1 = c.su("safSu=SU1,safSg=AmfDemo,safApp=AmfDemo1").unwrap();
    assert_eq!(c.sus[su1].host, SuHost::AnyOf(vec![0, 1]));
    assert_eq!(
        c.sgs[c.sg("safSg=NoRed,safApp=OpenSAF").unwrap()].redundancy,
        Redundancy::NoRedundancy
    );
    // The empty saClmNodeEE of the sample means "no EE".
    assert!(c.nodes.iter().all(|n| n.ee.is_none()));
}

#[test]
fn nway_active_app_and_atca_plm() {
    let Some(os) = opensaf() else { return };
    let c = config(
        &os,
        &[
            "src/imm/config/imm.xml.sample",
            "samples/amf/sa_aware/AppConfig-nwayactive.xml",
        ],
        Duplicates::Reject,
    );
    let sg = c.sgs.iter().find(|g| g.dn.contains("AmfDemo")).unwrap();
    assert_eq!(sg.redundancy, Redundancy::NWayActive);
    assert_eq!(sg.sus.len(), 5);

    let c = config(
        &os,
        &[
            "src/imm/config/imm.xml.sample",
            "src/plm/config/plmsv_objects.xml.atca",
        ],
        Duplicates::LikeImmcfg,
    );
    assert_eq!(c.ees.len(), 4);
    let blade = c
        .ee("safEE=Linux_os_hosting_clm_node,safHE=f120_slot_1,safDomain=domain_1")
        .unwrap();
    let dep = c.ees[blade].dependency.as_ref().unwrap();
    assert_eq!((dep.sponsors.len(), dep.min), (2, 1));
    // Its parent is an HE, not the domain: a plain PLM dependency, not a migratable VM.
    assert!(!c.ees[blade].is_migratable());
}

#[test]
fn migratable_vm_compatibility_and_dangling_references() {
    let text = r#"<?xml version="1.0"?>
<imm:IMM-contents xmlns:imm="http://www.saforum.org/IMMSchema">
  <object class="SaPlmDomain"><dn>safDomain=d</dn></object>
  <object class="SaPlmEE"><dn>safEE=os1,safDomain=d</dn></object>
  <object class="SaPlmEE"><dn>safEE=vmm1,safEE=os1,safDomain=d</dn></object>
  <object class="SaPlmEE"><dn>safEE=os2,safDomain=d</dn></object>
  <object class="SaPlmEE"><dn>safEE=vmm2,safEE=os2,safDomain=d</dn></object>
  <object class="SaPlmEE"><dn>safEE=vm1,safDomain=d</dn></object>
  <object class="SaPlmDependency"><dn>safDependency=mig,safEE=vm1,safDomain=d</dn>
    <attr><name>saPlmDepNames</name><value>safEE=vmm1,safEE=os1,safDomain=d</value><value>safEE=vmm2,safEE=os2,safDomain=d</value></attr>
    <attr><name>saPlmDepMinNumber</name><value>1</value></attr></object>
  <object class="SmfcheckCompatibility"><dn>smfcheckCompat=a</dn>
    <attr><name>smfcheckUpper</name><value>safSmfBundle=WinVLC</value></attr>
    <attr><name>smfcheckLower</name><value>safVersion=8,safEEType=Windows</value></attr></object>
</imm:IMM-contents>"#;
    let imm = merge(&[parse_imm_str("mem.xml", text).unwrap()]).unwrap();
    let c = SystemConfig::from_imm(&imm).unwrap();
    let vm = c.ee("safEE=vm1,safDomain=d").unwrap();
    assert!(c.ees[vm].is_migratable());
    let vmm1 = c.ee("safEE=vmm1,safEE=os1,safDomain=d").unwrap();
    assert_eq!(c.ees[vmm1].parent, c.ee("safEE=os1,safDomain=d"));
    assert!(c.compatible(
        "safSmfBundle=WinVLC",
        Some("safVersion=8,safEEType=Windows")
    ));
    assert!(!c.compatible(
        "safSmfBundle=WinVLC",
        Some("safVersion=10.04,safEEType=Ubuntu")
    ));
    assert!(c.compatible(
        "safSmfBundle=Other",
        Some("safVersion=10.04,safEEType=Ubuntu")
    ));

    let broken = text.replace(
        "<value>safEE=vmm2,safEE=os2,safDomain=d</value>",
        "<value>safEE=vmm9,safDomain=d</value>",
    );
    let imm = merge(&[parse_imm_str("mem.xml", &broken).unwrap()]).unwrap();
    let err = SystemConfig::from_imm(&imm).unwrap_err().to_string();
    assert!(err.starts_with("mem.xml:9: "), "{err}");
    assert!(
        err.contains("saPlmDepNames refers to `safEE=vmm9,safDomain=d`"),
        "{err}"
    );
}

/// Runtime semantics on a small virtualised cluster: two host OSs, a VMM on each, one migratable
/// VM sponsored by both hosting AMF node N1, and a second node N2 directly on host OS 2; a 2N SG
/// with SU1 on N1 and SU2 on N2 protecting one SI.
mod runtime {
    use smfcheck::step::action::{Action, LayerState, Unit, Ver};
    use smfcheck::system::config::SystemConfig;
    use smfcheck::system::state::{Identity, Software, SysState, World};
    use smfcheck::xml::imm::{merge, parse_imm_str};

    const CLUSTER: &str = r#"<?xml version="1.0"?>
<imm:IMM-contents xmlns:imm="http://www.saforum.org/IMMSchema">
  <object class="SaPlmDomain"><dn>safDomain=d</dn></object>
  <object class="SaPlmEE"><dn>safEE=os1,safDomain=d</dn></object>
  <object class="SaPlmEE"><dn>safEE=vmm1,safEE=os1,safDomain=d</dn></object>
  <object class="SaPlmEE"><dn>safEE=os2,safDomain=d</dn></object>
  <object class="SaPlmEE"><dn>safEE=vmm2,safEE=os2,safDomain=d</dn></object>
  <object class="SaPlmEE"><dn>safEE=vm1,safDomain=d</dn></object>
  <object class="SaPlmDependency"><dn>safDependency=mig,safEE=vm1,safDomain=d</dn>
    <attr><name>saPlmDepNames</name><value>safEE=vmm1,safEE=os1,safDomain=d</value><value>safEE=vmm2,safEE=os2,safDomain=d</value></attr></object>
  <!-- the parents of the nodes, the SG and its type: immcfg (and smfcheck) refuse an orphan -->
  <object class="SaClmCluster"><dn>safCluster=c</dn></object>
  <object class="SaAmfCluster"><dn>safAmfCluster=c</dn></object>
  <object class="SaAmfSGBaseType"><dn>safSgType=T</dn></object>
  <object class="SaAmfApplication"><dn>safApp=A</dn></object>
  <object class="SaClmNode"><dn>safNode=n1,safCluster=c</dn><attr><name>saClmNodeEE</name><value>safEE=vm1,safDomain=d</value></attr></object>
  <object class="SaClmNode"><dn>safNode=n2,safCluster=c</dn><attr><name>saClmNodeEE</name><value>safEE=os2,safDomain=d</value></attr></object>
  <object class="SaAmfNode"><dn>safAmfNode=N1,safAmfCluster=c</dn><attr><name>saAmfNodeClmNode</name><value>safNode=n1,safCluster=c</value></attr></object>
  <object class="SaAmfNode"><dn>safAmfNode=N2,safAmfCluster=c</dn><attr><name>saAmfNodeClmNode</name><value>safNode=n2,safCluster=c</value></attr></object>
  <object class="SaAmfSGType"><dn>safVersion=1,safSgType=T</dn><attr><name>saAmfSgtRedundancyModel</name><value>1</value></attr></object>
  <object class="SaAmfSG"><dn>safSg=G,safApp=A</dn><attr><name>saAmfSGType</name><value>safVersion=1,safSgType=T</value></attr></object>
  <object class="SaAmfSU"><dn>safSu=SU1,safSg=G,safApp=A</dn><attr><name>saAmfSUHostNodeOrNodeGroup</name><value>safAmfNode=N1,safAmfCluster=c</value></attr></object>
  <object class="SaAmfSU"><dn>safSu=SU2,safSg=G,safApp=A</dn><attr><name>saAmfSUHostNodeOrNodeGroup</name><value>safAmfNode=N2,safAmfCluster=c</value></attr></object>
  <object class="SaAmfSI"><dn>safSi=S,safApp=A</dn><attr><name>saAmfSIProtectedbySG</name><value>safSg=G,safApp=A</value></attr></object>
  <object class="SmfcheckCompatibility"><dn>smfcheckCompat=vm-new</dn>
    <attr><name>smfcheckUpper</name><value>safVersion=2,safEEType=VM</value></attr>
    <attr><name>smfcheckLower</name><value>safVersion=2,safEEType=VMM</value></attr></object>
</imm:IMM-contents>"#;

    fn setup() -> (World, SysState, SystemConfig) {
        let imm = merge(&[parse_imm_str("cluster.xml", CLUSTER).unwrap()]).unwrap();
        let cfg = SystemConfig::from_imm(&imm).unwrap();
        let n = cfg.ees.len();
        let mut ident = vec![Software::default(); n];
        let mut types = vec![Identity::default(); n];
        let vm = cfg.ee("safEE=vm1,safDomain=d").unwrap();
        ident[vm] = Software {
            old: vec!["safVersion=1,safEEType=VM".into()],
            new: vec!["safVersion=2,safEEType=VM".into()],
            ..Software::default()
        };
        for vmm in [
            "safEE=vmm1,safEE=os1,safDomain=d",
            "safEE=vmm2,safEE=os2,safDomain=d",
        ] {
            types[cfg.ee(vmm).unwrap()] = Identity {
                old: Some("safVersion=1,safEEType=VMM".into()),
                new: Some("safVersion=2,safEEType=VMM".into()),
            };
        }
        let w = World::new(
            &cfg,
            &ident,
            &vec![Software::default(); cfg.sus.len()],
            &types,
        )
        .unwrap();
        let up = LayerState::source(true);
        let s = SysState {
            ees: vec![up; n],
            sus: vec![up; cfg.sus.len()],
            at: vec![0; n],
            allowed: vec![0b11; n],
            placed: vec![0; cfg.sus.len()],
            displaced: 0,
            baseline: 0,
            group_admin: 0,
            nodes_locked: 0,
            si_admin: 0,
            deleted_sus: 0,
            deleted_sis: 0,
            im_done: 0,
            restarting: 0,
        };
        (w, s, cfg)
    }

    #[test]
    fn locking_a_vmm_displaces_its_vm_and_every_sponsor_choice_is_offered() {
        let (w, mut s, cfg) = setup();
        let vm = cfg.ee("safEE=vm1,safDomain=d").unwrap();
        let vmm1 = cfg.ee("safEE=vmm1,safEE=os1,safDomain=d").unwrap();
        assert!(s.si_available(&w, 0));
        assert_eq!(s.in_service_sus(&w, 0), 2);
        s.apply_ee(&w, vmm1, Action::Lock(Unit::Du));
        // Live migration keeps the VM "continuously powered-up" (§2.1.2): in flight, it and
        // what it hosts stay in service.
        assert!(s.ee_in_service(&w, vm), "a migrating VM stays in service");
        assert_eq!(s.in_service_sus(&w, 0), 2);
        let mut split = w.clone();
        split.mutant_in_flight_down = true;
        assert!(
            !s.ee_in_service(&split, vm),
            "the seeded defect counts it down"
        );
        assert_eq!(s.in_service_sus(&split, 0), 1);
        assert!(s.si_available(&w, 0), "SU2 still provides the SI");
        let (who, choices) = s.migration_choices(&w).unwrap();
        assert_eq!((who, choices.clone()), (vm, vec![1]));
        s.migrate(vm, Some(choices[0]));
        assert!(s.ee_in_service(&w, vm));
        assert_eq!(s.in_service_sus(&w, 0), 2);
        // Catching the VM on VMM1 (saPlmDepNames narrowed) leaves it nowhere to go.
        let (_, mut t, _) = setup();
        t.allowed[vm] = 0b01;
        t.apply_ee(&w, vmm1, Action::Lock(Unit::Du));
        assert_eq!(t.migration_choices(&w).unwrap().1, Vec::<u8>::new());
        // Nowhere to go: the VM stays on its locked host and is out of service.
        t.migrate(vm, None);
        assert!(!t.ee_in_service(&w, vm));
        assert_eq!(t.in_service_sus(&w, 0), 1);
    }

    #[test]
    fn a_new_vm_on_an_old_vmm_is_incompatible_and_out_of_service() {
        let (w, mut s, cfg) = setup();
        let vm = cfg.ee("safEE=vm1,safDomain=d").unwrap();
        s.apply_ee(&w, vm, Action::Instantiate(Unit::Au));
        assert_eq!(s.ees[vm].running(), Some(Ver::New));
        assert!(!s.compatible_on(&w, vm, 0));
        assert!(!s.ee_in_service(&w, vm));
        let vmm1 = cfg.ee("safEE=vmm1,safEE=os1,safDomain=d").unwrap();
        s.apply_ee(&w, vmm1, Action::Instantiate(Unit::Au));
        assert!(s.compatible_on(&w, vm, 0));
        assert!(s.ee_in_service(&w, vm));
        // Terminating the host OS takes the VMM and the VM (with node N1 and SU1) down.
        let os1 = cfg.ee("safEE=os1,safDomain=d").unwrap();
        s.apply_ee(&w, os1, Action::Terminate(Unit::Du));
        assert!(!s.ee_in_service(&w, vmm1));
        // (the VM is in flight, still in service until its migration is decided)
        assert_eq!(s.in_service_sus(&w, 0), 2);
        // … and the VM must migrate, but VMM2 still runs the old generation: no compatible
        // sponsor is offered as compatible.
        let (who, choices) = s.migration_choices(&w).unwrap();
        assert_eq!((who, choices.clone()), (vm, vec![1]));
        assert!(!s.compatible_on(&w, vm, 1));
    }

    /// An EE restart is not faster than a switch-over (§3.2.2): while the host OS restarts, what
    /// it hosts is out of service and the VM on it must migrate; afterwards it runs what its IM
    /// says.
    #[test]
    fn an_ee_restart_is_an_outage_of_what_it_hosts() {
        let (w, mut s, cfg) = setup();
        let os1 = cfg.ee("safEE=os1,safDomain=d").unwrap();
        let vmm1 = cfg.ee("safEE=vmm1,safEE=os1,safDomain=d").unwrap();
        let vm = cfg.ee("safEE=vm1,safDomain=d").unwrap();
        s.apply_ee(&w, os1, Action::Restart(Unit::Sau));
        assert_eq!(s.pending_restart(), Some(os1));
        assert!(!s.ee_in_service(&w, vmm1));
        assert_eq!(s.migration_choices(&w).unwrap().0, vm);
        s.finish_restart(os1);
        assert_eq!(s.pending_restart(), None);
        assert!(s.ee_in_service(&w, vmm1));
        assert_eq!(
            s.ees[os1].running(),
            Some(Ver::Old),
            "IM still old: back on the old OS"
        );
    }
}
