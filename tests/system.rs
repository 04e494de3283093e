//! The typed system configuration (src/system/config.rs) read from real IMM files: counts checked
//! against the files (grep of `class="…"`), redundancy models, SU placement, PLM containment and
//! dependencies, and dangling references reported with file:line.

use smfcheck::system::config::{Redundancy, SuHost, SystemConfig};
use smfcheck::xml::imm::{Duplicates, merge, merge_with, parse_imm, parse_imm_str};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus/opensaf/");

fn config(files: &[&str], dups: Duplicates) -> SystemConfig {
    let parsed: Vec<_> = files
        .iter()
        .map(|f| parse_imm(format!("{CORPUS}{f}")).unwrap())
        .collect();
    SystemConfig::from_imm(&merge_with(&parsed, dups).unwrap()).unwrap()
}

#[test]
fn sample_cluster_with_the_2n_demo_app() {
    let c = config(
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
    let c = config(
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
