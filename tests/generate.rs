//! `smfcheck generate` (thesis Chapter 6): the case study reproduces Fig. 7.7–7.10 (golden file
//! and structure) and verifies; random small source/target pairs always give campaigns that
//! verify; a generator with a deliberately broken order is caught; inputs outside the
//! assumptions of §5.2.1 / §6.2 are refused with exit 2.

use super::support::{Smfcheck, assert_golden, smfcheck_in};
use proptest::prelude::*;
use smfcheck::check::{Limits, Verdict};
use smfcheck::generate::{Op, generate, run};
use smfcheck::xml::campaign::{CcbOp, CustomActionKind, Method, Scope, parse_campaign_str};
use smfcheck::xml::imm::{Imm, ImmFile, merge, parse_imm, parse_imm_str};

const CASE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/models/thesis-case-study/");

fn case_files(which: &str) -> Vec<ImmFile> {
    vec![
        parse_imm(format!("{CASE}{which}.xml")).unwrap(),
        parse_imm(format!("{CASE}compat.xml")).unwrap(),
    ]
}

/// Generate, then verify on the source against the target; the verdicts by claim name.
fn generate_and_verify(
    sfiles: &[ImmFile],
    source: &Imm,
    target: &Imm,
) -> (String, Vec<(&'static str, Verdict)>) {
    let g =
        generate(source, target, "thesis_case_study").unwrap_or_else(|e| panic!("generate: {e}"));
    let m = run::model_against_target("gen.xml", &g.xml, sfiles, source, target, 1)
        .unwrap_or_else(|e| panic!("{e}\n{}", g.xml));
    let (_, o) = run::verify(&m, &Limits::default());
    for d in run::target_differences(&m, &o) {
        eprintln!("differs from the target: {d}");
    }
    (
        g.xml,
        o.results.iter().map(|r| (r.name, r.verdict)).collect(),
    )
}

fn all_good(v: &[(&str, Verdict)]) -> bool {
    v.iter()
        .all(|(_, x)| matches!(x, Verdict::Verified | Verdict::Witnessed))
}

#[test]
fn case_study_matches_the_golden_file_and_verifies() {
    let (sf, tf) = (case_files("source"), case_files("target"));
    let (s, t) = (merge(&sf).unwrap(), merge(&tf).unwrap());
    let (xml, verdicts) = generate_and_verify(&sf, &s, &t);
    assert!(all_good(&verdicts), "{verdicts:?}");
    assert_golden("models/thesis-case-study/generated-campaign.xml", &xml);
}

/// The values of every `saPlmDepNames` replacement of a list of custom actions, by object.
fn dep_changes(actions: &[smfcheck::xml::campaign::CustomAction]) -> Vec<(String, Vec<String>)> {
    let mut v: Vec<(String, Vec<String>)> = actions
        .iter()
        .filter_map(|a| match &a.kind {
            CustomActionKind::Ccb(c) => Some(c),
            _ => None,
        })
        .flat_map(|c| &c.ops)
        .filter_map(|op| match op {
            CcbOp::Modify(m) => m
                .attributes
                .iter()
                .find(|a| a.name == "saPlmDepNames")
                .map(|a| (m.dn.clone(), a.values.clone())),
            _ => None,
        })
        .collect();
    v.sort();
    v
}

#[test]
fn case_study_has_the_structure_of_figures_7_7_to_7_10() {
    let xml = std::fs::read_to_string(format!("{CASE}generated-campaign.xml")).unwrap();
    let c = parse_campaign_str("generated-campaign.xml", &xml).unwrap();
    let hand =
        smfcheck::xml::campaign::parse_campaign(format!("{CASE}expected-campaign.xml")).unwrap();
    // Fig. 7.7: six catching modifications, VMx* on VMM1 and VMy* on VMM3.
    let init = dep_changes(&c.init.actions);
    assert_eq!(init.len(), 6);
    for (dn, v) in &init {
        let vmm = if dn.contains("VMx") { "VMM1" } else { "VMM3" };
        let host = if dn.contains("VMx") {
            "hostOS-1"
        } else {
            "hostOS-3"
        };
        assert_eq!(
            v,
            &vec![format!("safEE={vmm},safEE={host},safDomain=domain_1")],
            "{dn}"
        );
    }
    assert_eq!(init, dep_changes(&hand.init.actions));
    // Fig. 7.10: six releases to {VMM1, VMM2} / {VMM3, VMM4}.
    let wrap = dep_changes(&c.wrapup.wrapup_actions);
    assert_eq!(wrap.len(), 6);
    assert_eq!(wrap, dep_changes(&hand.wrapup.wrapup_actions));
    // Fig. 7.8 / 7.9: four procedures at levels 0..3, degrees 3, 2, 3, 2, every nested step
    // in-phase, acting on the VMs / the VMM / the host OS.
    let procs: Vec<(String, u32, Vec<Vec<String>>)> = c
        .procedures
        .iter()
        .map(|p| {
            let Method::SingleStep { scopes_and_steps } = &p.method else {
                panic!("{} is not single-step", p.name)
            };
            for (_, step) in scopes_and_steps {
                assert_eq!(
                    step.step_type(),
                    smfcheck::step::table::StepType::InPhase,
                    "{}",
                    p.name
                );
            }
            let layers = scopes_and_steps
                .iter()
                .map(|(scope, _)| match scope {
                    Scope::Modify(m) => m
                        .activation
                        .iter()
                        .map(|s| format!("{s:?}"))
                        .collect::<Vec<_>>(),
                    _ => panic!("only modifications in the case study"),
                })
                .collect();
            (p.name.clone(), p.exec_level, layers)
        })
        .collect();
    let names: Vec<(&str, u32, usize)> = procs
        .iter()
        .map(|(n, l, ls)| (n.as_str(), *l, ls.len()))
        .collect();
    assert_eq!(
        names,
        vec![
            ("safSmfProc=ModifyUpgradeProcedureAthostOS-1", 0, 3),
            ("safSmfProc=ModifyUpgradeProcedureAthostOS-2", 1, 2),
            ("safSmfProc=ModifyUpgradeProcedureAthostOS-3", 2, 3),
            ("safSmfProc=ModifyUpgradeProcedureAthostOS-4", 3, 2),
        ]
    );
    let first = &procs[0].2;
    assert!(first[0].len() == 3 && first[0].iter().all(|s| s.contains("VMx")));
    assert!(first[1].len() == 1 && first[1][0].contains("safEE=VMM1,"));
    assert!(first[2].len() == 1 && first[2][0].contains("safEE=hostOS-1,"));
    // Same procedures, scopes and bundles as the campaign written by hand from the figures.
    for (g, h) in c.procedures.iter().zip(&hand.procedures) {
        assert_eq!((&g.name, g.exec_level), (&h.name, h.exec_level));
        let strip = |m: &Method| {
            let Method::SingleStep { scopes_and_steps } = m else {
                unreachable!()
            };
            scopes_and_steps
                .iter()
                .map(|(s, _)| match s {
                    Scope::Modify(m) => (
                        format!("{:?}", m.activation),
                        format!(
                            "{:?}",
                            m.sw_remove.iter().map(|b| &b.dn).collect::<Vec<_>>()
                        ),
                        format!("{:?}", m.sw_add.iter().map(|b| &b.dn).collect::<Vec<_>>()),
                    ),
                    _ => unreachable!(),
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(strip(&g.method), strip(&h.method), "{}", g.name);
    }
    // The old bundles leave the IMM.
    assert_eq!(
        c.wrapup.remove_bundles.len(),
        3,
        "{:?}",
        c.wrapup.remove_bundles
    );
}

#[test]
fn the_success_claim_compares_with_the_target_configuration() {
    // The hand-written campaign of the figures also reaches target.xml ...
    let (sf, tf) = (case_files("source"), case_files("target"));
    let (s, t) = (merge(&sf).unwrap(), merge(&tf).unwrap());
    let hand = std::fs::read_to_string(format!("{CASE}expected-campaign.xml")).unwrap();
    let m = run::model_against_target("expected-campaign.xml", &hand, &sf, &s, &t, 1).unwrap();
    let (_, o) = run::verify(&m, &Limits::default());
    assert_eq!(o.exit_code(), 0, "every claim verified or witnessed");
    // ... but not a target in which VMM4 keeps its old version.
    let text = std::fs::read_to_string(format!("{CASE}target.xml")).unwrap();
    let vmm4 = text.find("<dn>safEE=VMM4,").unwrap();
    let at = vmm4 + text[vmm4..].find("safVersion=4.3.6").unwrap();
    let other = format!(
        "{}safVersion=4.3.0{}",
        &text[..at],
        &text[at + "safVersion=4.3.6".len()..]
    );
    // The old VMM type stays in that target.
    let other = other.replace(
        "<dn>safVersion=4.3.6,safEEType=VirtualBoxVMM</dn>",
        "<dn>safVersion=4.3.6,safEEType=VirtualBoxVMM</dn>\n  </object>\n  <object class=\"SaPlmEEType\">\n    <dn>safVersion=4.3.0,safEEType=VirtualBoxVMM</dn>",
    );
    let tf2 = vec![
        parse_imm_str("target-vmm4-old.xml", &other).unwrap(),
        parse_imm(format!("{CASE}compat.xml")).unwrap(),
    ];
    let t2 = merge(&tf2).unwrap();
    let m = run::model_against_target("expected-campaign.xml", &hand, &sf, &s, &t2, 1);
    match m {
        Ok(m) => {
            let (_, o) = run::verify(&m, &Limits::default());
            assert_eq!(
                o.result("success-reaches-target").unwrap().verdict,
                Verdict::Violated
            );
        }
        Err(e) => panic!("{e}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Random small configurations (the proptest) and the broken-order generator.
// ---------------------------------------------------------------------------------------------

use crate::gen_systems::{Host, SGS, Sys, Vm};

/// A source system: hosts on both sides, VMs whose SUs cover every SG on both sides.
fn arb_source() -> impl Strategy<Value = Sys> {
    (1usize..=2, 1usize..=2, 0usize..=1).prop_flat_map(|(nx, ny, extra)| {
        let nvms = 2 * SGS + extra;
        (
            prop::collection::vec(any::<bool>(), nvms),
            prop::collection::vec(any::<bool>(), nvms),
        )
            .prop_map(move |(pick_a, pick_b)| {
                let mut hosts = Vec::new();
                for i in 0..nx {
                    hosts.push(Host {
                        name: format!("hx{i}"),
                        y: false,
                        host_gen: 1,
                        vmm_gen: 1,
                    });
                }
                for i in 0..ny {
                    hosts.push(Host {
                        name: format!("hy{i}"),
                        y: true,
                        host_gen: 1,
                        vmm_gen: 1,
                    });
                }
                let side = |y: bool| -> Vec<String> {
                    hosts
                        .iter()
                        .filter(|h| h.y == y)
                        .map(|h| h.name.clone())
                        .collect()
                };
                let vms = (0..nvms)
                    .map(|i| {
                        let y = i % 2 == 1;
                        let hs = side(y);
                        // One or both of the side's VMMs sponsor it.
                        let mut sp: Vec<String> = hs
                            .iter()
                            .enumerate()
                            .filter(|(k, _)| {
                                if pick_a[i] {
                                    *k == 0
                                } else {
                                    pick_b[i] || *k == 0
                                }
                            })
                            .map(|(_, h)| h.clone())
                            .collect();
                        if sp.is_empty() {
                            sp.push(hs[0].clone());
                        }
                        Vm {
                            name: format!("vm{i}"),
                            y,
                            vm_gen: 1,
                            sponsors: sp,
                            sg: (i / 2) % SGS,
                            rank: 1,
                            extra_su: (pick_a[i] && pick_b[i]).then_some(i % SGS),
                        }
                    })
                    .collect();
                Sys { hosts, vms }
            })
    })
}

/// One change of the target (§6.4.2 operations on host OSs, VMMs, VMs and their SUs).
#[derive(Clone, Debug)]
enum Change {
    ModifyHost(usize),
    ModifyVmm(usize),
    ModifyVm(usize, bool),
    AddHost(bool),
    AddVm(bool, usize),
    RemoveVm(usize),
    RemoveHost(usize),
    /// A second SU on a VM (that is modified with it, §6.5.2), or its removal.
    AddSu(usize, usize),
    RemoveSu(usize),
}

fn arb_change() -> impl Strategy<Value = Change> {
    prop_oneof![
        (0usize..4).prop_map(Change::ModifyHost),
        (0usize..4).prop_map(Change::ModifyVmm),
        (0usize..6, any::<bool>()).prop_map(|(v, su)| Change::ModifyVm(v, su)),
        any::<bool>().prop_map(Change::AddHost),
        (any::<bool>(), 0usize..SGS).prop_map(|(y, sg)| Change::AddVm(y, sg)),
        (0usize..6).prop_map(Change::RemoveVm),
        (0usize..4).prop_map(Change::RemoveHost),
        (0usize..6, 0usize..SGS).prop_map(|(v, g)| Change::AddSu(v, g)),
        (0usize..6).prop_map(Change::RemoveSu),
    ]
}

fn apply(src: &Sys, changes: &[Change]) -> Sys {
    let mut t = src.clone();
    for (n, c) in changes.iter().enumerate() {
        match *c {
            Change::ModifyHost(i) => {
                let k = i % t.hosts.len();
                t.hosts[k].host_gen = 2;
            }
            Change::ModifyVmm(i) => {
                let k = i % t.hosts.len();
                t.hosts[k].vmm_gen = 2;
            }
            Change::ModifyVm(i, su) => {
                if !t.vms.is_empty() {
                    let k = i % t.vms.len();
                    t.vms[k].vm_gen = 2;
                    if su {
                        t.vms[k].rank = 2;
                    }
                }
            }
            Change::AddHost(y) => {
                let name = format!("new{n}");
                t.hosts.push(Host {
                    name: name.clone(),
                    y,
                    host_gen: 2,
                    vmm_gen: 2,
                });
            }
            Change::AddVm(y, sg) => {
                let sp: Vec<String> = t
                    .hosts
                    .iter()
                    .filter(|h| h.y == y)
                    .map(|h| h.name.clone())
                    .take(2)
                    .collect();
                t.vms.push(Vm {
                    name: format!("nvm{n}"),
                    y,
                    vm_gen: 2,
                    sponsors: sp,
                    sg,
                    rank: 1,
                    extra_su: None,
                });
            }
            Change::AddSu(i, g) => {
                let k = i % t.vms.len();
                if t.vms[k].extra_su.is_none() {
                    t.vms[k].extra_su = Some(g);
                    t.vms[k].vm_gen = 2;
                }
            }
            Change::RemoveSu(i) => {
                let k = i % t.vms.len();
                if t.vms[k].extra_su.is_some() {
                    t.vms[k].extra_su = None;
                    t.vms[k].vm_gen = 2;
                }
            }
            Change::RemoveHost(i) => {
                // A host OS with its VMM leaves when its side keeps a host and every VM it
                // sponsors keeps another sponsor (§5.2.1 assumption 5).
                let k = i % t.hosts.len();
                let h = t.hosts[k].clone();
                let side_left = t.hosts.iter().filter(|x| x.y == h.y).count() > 1;
                let orphan = t
                    .vms
                    .iter()
                    .any(|v| v.sponsors.len() == 1 && v.sponsors[0] == h.name);
                if side_left && !orphan {
                    t.hosts.remove(k);
                    for v in &mut t.vms {
                        v.sponsors.retain(|s| *s != h.name);
                    }
                }
            }
            Change::RemoveVm(i) => {
                // Keep an SU of every SG on both sides (the target is a valid configuration
                // with the redundancy of assumption 3).
                let k = i % t.vms.len();
                let v = &t.vms[k];
                let others = t
                    .vms
                    .iter()
                    .filter(|w| w.name != v.name && w.sg == v.sg && w.y == v.y)
                    .count();
                if others > 0 {
                    t.vms.remove(k);
                }
            }
        }
    }
    t
}

fn files_of(name: &str, sys: &Sys) -> Vec<ImmFile> {
    vec![parse_imm_str(name, &sys.imm()).unwrap()]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    /// Every generated campaign verifies: availability, compatibility, termination, the target
    /// reached on commit and the source restored on rollback.
    #[test]
    fn every_generated_campaign_verifies(
        src in arb_source(),
        changes in prop::collection::vec(arb_change(), 1..4),
    ) {
        let tgt = apply(&src, &changes);
        prop_assume!(tgt.imm() != src.imm(), "nothing changes");
        let sf = files_of("source.xml", &src);
        let tf = files_of("target.xml", &tgt);
        let (s, t) = (merge(&sf).unwrap(), merge(&tf).unwrap());
        let (xml, verdicts) = generate_and_verify(&sf, &s, &t);
        prop_assert!(all_good(&verdicts), "{:?}\n{}\n--- source\n{}\n--- target\n{}", verdicts, xml, src.imm(), tgt.imm());
    }
}

/// The scenario where order matters: SG0's only x-side SU moves from vm0 (removed) to a new VM,
/// and SG0's y-side SU's VM is removed too with its replacement added: removing before adding
/// leaves SI0 without any SU.
fn replacement_pair() -> (Sys, Sys) {
    let src = Sys {
        hosts: vec![Host::new("hx0", false), Host::new("hy0", true)],
        vms: vec![
            Vm::new("vm0", false, &["hx0"], 0),
            Vm::new("vm1", true, &["hy0"], 0),
            Vm::new("vm2", false, &["hx0"], 1),
            Vm::new("vm3", true, &["hy0"], 1),
        ],
    };
    let mut tgt = src.clone();
    tgt.vms.retain(|v| v.name != "vm0" && v.name != "vm1");
    tgt.vms.push(Vm::new("vm4", false, &["hx0"], 0));
    (src, tgt)
}

#[test]
fn additions_come_first_and_a_generator_removing_first_is_caught() {
    let (src, tgt) = replacement_pair();
    let sf = files_of("source.xml", &src);
    let (s, t) = (
        merge(&sf).unwrap(),
        merge(&files_of("target.xml", &tgt)).unwrap(),
    );
    let g = generate(&s, &t, "order").unwrap();
    let kinds: Vec<Op> = g.procedures.iter().map(|p| p.nested[0].0).collect();
    assert_eq!(
        kinds,
        vec![Op::Add, Op::Remove, Op::Remove],
        "{:?}",
        g.procedures
    );
    let (_, v) = generate_and_verify(&sf, &s, &t);
    assert!(all_good(&v), "{v:?}");
    // The same campaign with the removals scheduled before the addition (execution levels
    // rotated): SI0 loses its last SU.
    let broken = g
        .xml
        .replace("saSmfExecLevel=\"0\"", "saSmfExecLevel=\"9\"");
    let m = run::model_against_target("broken.xml", &broken, &sf, &s, &t, 1).unwrap();
    let (_, o) = run::verify(&m, &Limits::default());
    assert_eq!(
        o.result("si-always-available").unwrap().verdict,
        Verdict::Violated
    );
}

// ---------------------------------------------------------------------------------------------
// Bad input through the binary: exit 2, the assumption and the entity named.
// ---------------------------------------------------------------------------------------------

fn smfcheck_generate(source: &str, target: &str, compat: bool) -> (i32, String) {
    let (code, text, _) = smfcheck_generate_written(source, target, compat);
    (code, text)
}

/// `smfcheck generate` on the two texts: exit code, standard output and error, the campaign it
/// wrote (if any).
fn smfcheck_generate_written(
    source: &str,
    target: &str,
    compat: bool,
) -> (i32, String, Option<String>) {
    let dir = super::support::scratch("generate");
    let (s, t) = (dir.join("source.xml"), dir.join("target.xml"));
    std::fs::write(&s, source).unwrap();
    std::fs::write(&t, target).unwrap();
    let out_path = dir.join("out.xml");
    let mut run = Smfcheck::new(["generate", "--source"])
        .arg(&s)
        .arg("--target")
        .arg(&t)
        .arg("-o")
        .arg(&out_path);
    if compat {
        run = run.arg("--compat").arg(format!("{CASE}compat.xml"));
    }
    let (code, out, err) = run.run();
    let written = std::fs::read_to_string(&out_path).ok();
    (code, format!("{out}{err}"), written)
}

fn case_text(which: &str) -> String {
    std::fs::read_to_string(format!("{CASE}{which}.xml")).unwrap()
}

#[test]
fn the_case_study_round_trips_through_the_binary() {
    let (code, out) = smfcheck_generate(&case_text("source"), &case_text("target"), true);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("4 procedure(s), 6 VM(s) caught, 6 released"),
        "{out}"
    );
    assert!(out.contains("success-reaches-target         always             verified"));
}

#[test]
fn bad_inputs_name_the_assumption_and_the_entity() {
    let (src, tgt) = (case_text("source"), case_text("target"));
    let cases: Vec<(&str, String, bool, &str)> = vec![
        ("no change", src.clone(), true, "nothing to upgrade"),
        (
            "different domains",
            tgt.replace("domain_1", "domain_2"),
            true,
            "§6.2 (4)",
        ),
        (
            "dangling sponsor",
            tgt.replacen(
                "<value>safEE=VMM2,safEE=hostOS-2,safDomain=domain_1</value>",
                "<value>safEE=VMM9,safEE=hostOS-2,safDomain=domain_1</value>",
                1,
            ),
            true,
            "saPlmDepNames refers to `safEE=VMM9,safEE=hostOS-2,safDomain=domain_1`",
        ),
        (
            "a target VM with no compatible sponsor",
            {
                let at = tgt.find("<dn>safEE=VMx1-M,").unwrap();
                let v = at + tgt[at..].find("safVersion=4.3.6,safEEType=VirtualBoxVM<").unwrap();
                format!(
                    "{}safVersion=4.3.0{}",
                    &tgt[..v],
                    &tgt[v + "safVersion=4.3.6".len()..]
                )
                .replace(
                    "<dn>safVersion=4.3.6,safEEType=VirtualBoxVM</dn>",
                    "<dn>safVersion=4.3.6,safEEType=VirtualBoxVM</dn>\n  </object>\n  <object class=\"SaPlmEEType\">\n    <dn>safVersion=4.3.0,safEEType=VirtualBoxVM</dn>",
                )
            },
            true,
            "safEE=VMx1-M,safDomain=domain_1: no sponsor of the target configuration is compatible",
        ),
        (
            "a change outside the EEs (an SI)",
            tgt.replacen(
                "<name>saAmfSIProtectedbySG</name>",
                "<name>saAmfSIRank</name>\n      <value>7</value>\n    </attr>\n    <attr>\n      <name>saAmfSIProtectedbySG</name>",
                1,
            ),
            true,
            "§6.5.2",
        ),
        (
            "a VM sponsored by a VM (hosting that could cycle)",
            tgt.replacen(
                "<value>safEE=VMM2,safEE=hostOS-2,safDomain=domain_1</value>",
                "<value>safEE=VMy1-M,safDomain=domain_1</value>",
                1,
            ),
            true,
            "§6.2 (2)",
        ),
        (
            "two bundles of the target match one type",
            tgt.replacen(
                "<object class=\"SaSmfSwBundle\">",
                "<object class=\"SaSmfSwBundle\">\n    <dn>safSmfBundle=UbuntuHostOS-12.04</dn>\n  </object>\n  <object class=\"SaSmfSwBundle\">",
                1,
            ),
            true,
            "safVersion=12.04,safEEType=UbuntuHostOS: which software bundle installs this EE type is ambiguous: `safSmfBundle=UbuntuHostOS1204`, `safSmfBundle=UbuntuHostOS-12.04`",
        ),
        (
            "four layers of containment",
            tgt.replacen(
                "<object class=\"SaPlmEE\">",
                "<object class=\"SaPlmEE\">\n    <dn>safEE=g,safEE=v,safEE=VMM1,safEE=hostOS-1,safDomain=domain_1</dn>\n  </object>\n  <object class=\"SaPlmEE\">\n    <dn>safEE=v,safEE=VMM1,safEE=hostOS-1,safDomain=domain_1</dn>\n  </object>\n  <object class=\"SaPlmEE\">",
                1,
            ),
            true,
            "§6.2 (7)",
        ),
    ];
    for (what, target, compat, want) in cases {
        let (code, out) = smfcheck_generate(&src, &target, compat);
        assert_eq!(code, 2, "{what}: {out}");
        assert!(out.contains(want), "{what}: wanted `{want}` in:\n{out}");
        assert!(!out.contains("panicked"), "{what}: {out}");
    }
}

#[test]
fn check_with_a_target_compares_the_end_state_with_it() {
    let run = |target: &str| {
        smfcheck_in(
            CASE,
            &[
                "check",
                "expected-campaign.xml",
                "--config",
                "source.xml",
                "--compat",
                "compat.xml",
                "--target",
                target,
            ],
        )
    };
    let (code, out, err) = run("target.xml");
    assert_eq!(code, 0, "{out}{err}");
    // Against the source as "target", committing is a violation with a counterexample.
    let (code, out, _) = run("source.xml");
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("counterexample for success-reaches-target"),
        "{out}"
    );
}

#[test]
fn the_scaled_case_study_generates_one_procedure_per_host_and_verifies() {
    for h in [4, 8] {
        let (src, tgt) = crate::gen_systems::scaled(h);
        let sf = files_of("source.xml", &src);
        let (s, t) = (
            merge(&sf).unwrap(),
            merge(&files_of("t.xml", &tgt)).unwrap(),
        );
        let g = generate(&s, &t, "scaled").unwrap();
        assert_eq!(g.procedures.len(), h, "one hybrid sub-tree per host");
        let (_, v) = generate_and_verify(&sf, &s, &t);
        assert!(all_good(&v), "H={h}: {v:?}");
    }
}

#[test]
fn a_removed_host_with_its_vmm_is_one_removal_procedure_after_the_modifications() {
    let src = Sys {
        hosts: vec![
            Host::new("hx0", false),
            Host::new("hx1", false),
            Host::new("hy0", true),
        ],
        vms: vec![
            Vm::new("vm0", false, &["hx0", "hx1"], 0),
            Vm::new("vm1", true, &["hy0"], 0),
            Vm::new("vm2", false, &["hx1", "hx0"], 1),
            Vm::new("vm3", true, &["hy0"], 1),
        ],
    };
    let mut tgt = src.clone();
    tgt.hosts.retain(|h| h.name != "hx1");
    for v in &mut tgt.vms {
        v.sponsors.retain(|s| s != "hx1");
    }
    tgt.vms[0].vm_gen = 2;
    let sf = files_of("source.xml", &src);
    let (s, t) = (
        merge(&sf).unwrap(),
        merge(&files_of("t.xml", &tgt)).unwrap(),
    );
    let g = generate(&s, &t, "rm").unwrap();
    // vm0 is modified: caught on the kept VMM of hx0, never on the removed one (§5.3.2).
    assert_eq!(
        g.caught,
        vec![(
            "safEE=vm0,safDomain=domain_1".to_string(),
            "safEE=VMM-hx0,safEE=hx0,safDomain=domain_1".to_string()
        )]
    );
    let shape: Vec<(u32, Vec<Op>)> = g
        .procedures
        .iter()
        .map(|p| (p.exec_level, p.nested.iter().map(|n| n.0).collect()))
        .collect();
    assert_eq!(
        shape,
        vec![(0, vec![Op::Modify]), (1, vec![Op::Remove, Op::Remove])],
        "{:?}",
        g.procedures
    );
    // vm2 keeps running: it migrates off the removed VMM and the wrap-up drops hx1 from its list;
    // vm0, caught on VMM-hx0, already has the target's list.
    assert_eq!(
        g.released,
        vec![(
            "safEE=vm2,safDomain=domain_1".to_string(),
            vec!["safEE=VMM-hx0,safEE=hx0,safDomain=domain_1".to_string()]
        )]
    );
    let (_, v) = generate_and_verify(&sf, &s, &t);
    assert!(all_good(&v), "{v:?}");
}

/// The §5.3 example (models/vm-vmm): additions first (VMM-A2 with VM-A1, VM-A2 added on it), then
/// VMM-M3 with the VMs caught on it, VMM-M4 with its contained VM, removals last (VMM-R1 with
/// VM-R1, VM-R2 caught on it) — the order §5.3.3 describes — and it verifies.
#[test]
fn the_chapter_5_example_is_generated_as_section_5_3_describes() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/models/vm-vmm/");
    let files = |w: &str| {
        vec![
            parse_imm(format!("{dir}{w}.xml")).unwrap(),
            parse_imm(format!("{dir}compat.xml")).unwrap(),
        ]
    };
    let (sf, tf) = (files("source"), files("target"));
    let (s, t) = (merge(&sf).unwrap(), merge(&tf).unwrap());
    let g = generate(&s, &t, "vm_vmm").unwrap();
    let shape: Vec<(&str, Vec<(Op, usize)>)> = g
        .procedures
        .iter()
        .map(|p| {
            (
                p.name.as_str(),
                p.nested.iter().map(|(op, dns)| (*op, dns.len())).collect(),
            )
        })
        .collect();
    assert_eq!(
        shape,
        vec![
            (
                "safSmfProc=AddUpgradeProcedureAtVMM-A2",
                vec![(Op::Add, 2), (Op::Add, 1)]
            ),
            (
                "safSmfProc=ModifyUpgradeProcedureAtVMM-M3",
                vec![(Op::Modify, 2), (Op::Modify, 1)]
            ),
            (
                "safSmfProc=ModifyUpgradeProcedureAtVMM-M4",
                vec![(Op::Modify, 1), (Op::Modify, 1)]
            ),
            (
                "safSmfProc=RemoveUpgradeProcedureAtVMM-R1",
                vec![(Op::Remove, 2), (Op::Remove, 1)]
            ),
        ]
    );
    // §5.3.2: modified VMs on the modified VMM-M3, removed ones on the removed VMM-R1, added ones
    // on the added VMM-A2.
    let on = |vm: &str| {
        g.caught
            .iter()
            .find(|(v, _)| v.contains(&format!("safEE={vm},")))
            .map(|(_, s)| s.split(',').next().unwrap().to_string())
    };
    assert_eq!(on("VM-M1").as_deref(), Some("safEE=VMM-M3"));
    assert_eq!(on("VM-R1").as_deref(), Some("safEE=VMM-R1"));
    assert_eq!(on("VM-A1").as_deref(), Some("safEE=VMM-A2"));
    assert_eq!(g.released.len(), 4, "{:?}", g.released);
    let m = run::model_against_target("gen.xml", &g.xml, &sf, &s, &t, 1).unwrap();
    let (_, o) = run::verify(&m, &Limits::default());
    assert_eq!(o.exit_code(), 0);
    // As many states as the campaign written by hand from §5.3 (models/vm-vmm/campaign.xml).
    assert_eq!(o.stats.unique_states, 1940);
}

/// A removed VM whose only sponsor is modified is caught there and removed inside that VMM's
/// hybrid procedure (§6.5.2.2: hybrid sub-trees hold removals and modifications): one nested
/// step removes it, the next upgrades the VMM, and the campaign verifies.
#[test]
fn a_hybrid_sub_tree_removes_and_modifies_in_one_procedure() {
    let src = Sys {
        hosts: vec![Host::new("hx0", false), Host::new("hy0", true)],
        vms: vec![
            Vm::new("vm0", false, &["hx0"], 0),
            Vm::new("vm1", true, &["hy0"], 0),
            Vm::new("vm2", false, &["hx0"], 1),
            Vm::new("vm3", true, &["hy0"], 1),
            Vm::new("vm4", false, &["hx0"], 0),
        ],
    };
    let mut tgt = src.clone();
    tgt.vms.retain(|v| v.name != "vm4");
    tgt.hosts[0].vmm_gen = 2;
    let sf = files_of("source.xml", &src);
    let (s, t) = (
        merge(&sf).unwrap(),
        merge(&files_of("t.xml", &tgt)).unwrap(),
    );
    let g = generate(&s, &t, "hybrid").unwrap();
    let shape: Vec<Vec<Op>> = g
        .procedures
        .iter()
        .map(|p| p.nested.iter().map(|n| n.0).collect())
        .collect();
    assert_eq!(
        shape,
        vec![vec![Op::Remove, Op::Modify]],
        "{:?}",
        g.procedures
    );
    let (_, v) = generate_and_verify(&sf, &s, &t);
    assert!(all_good(&v), "{v:?}");
}

/// An SU that comes (or goes) on a VM that is modified gets a nested step of its own above the
/// VM's in the VM's procedure (§6.5.2), and the campaign verifies.
#[test]
fn sus_added_and_removed_on_a_modified_vm_ride_in_its_procedure() {
    let src = Sys {
        hosts: vec![Host::new("hx0", false), Host::new("hy0", true)],
        vms: vec![
            Vm {
                extra_su: Some(1),
                ..Vm::new("vm0", false, &["hx0"], 0)
            },
            Vm::new("vm1", true, &["hy0"], 0),
            Vm::new("vm2", false, &["hx0"], 1),
            Vm::new("vm3", true, &["hy0"], 1),
        ],
    };
    let mut tgt = src.clone();
    tgt.vms[0].extra_su = None;
    tgt.vms[0].vm_gen = 2;
    tgt.vms[2].extra_su = Some(0);
    tgt.vms[2].vm_gen = 2;
    let sf = files_of("source.xml", &src);
    let (s, t) = (
        merge(&sf).unwrap(),
        merge(&files_of("t.xml", &tgt)).unwrap(),
    );
    let g = generate(&s, &t, "sus").unwrap();
    let nested: Vec<Vec<(Op, Vec<String>)>> =
        g.procedures.iter().map(|p| p.nested.clone()).collect();
    assert_eq!(
        nested,
        vec![
            vec![(Op::Modify, vec!["safEE=vm0,safDomain=domain_1".to_string()])],
            vec![(Op::Modify, vec!["safEE=vm2,safDomain=domain_1".to_string()])],
        ]
        .into_iter()
        .zip([
            (Op::Remove, "safSu=SU2-vm0,safSg=SG1,safApp=A"),
            (Op::Add, "safSu=SU2-vm2,safSg=SG0,safApp=A"),
        ])
        .map(|(mut v, (op, su))| {
            v.insert(0, (op, vec![su.to_string()]));
            v
        })
        .collect::<Vec<_>>(),
        "{:?}",
        g.procedures
    );
    let (_, v) = generate_and_verify(&sf, &s, &t);
    assert!(all_good(&v), "{v:?}");
}

/// A target with a new EE base type (host OS 4 moves to Debian): the new base type is created
/// at the root (`parentObjectDN="="`, as OpenSAF's campaigns write it) before its version, the
/// campaign reads back and verifies (without the case study's compatibility, which ties the VMMs
/// to Ubuntu).
#[test]
fn a_new_base_type_is_created_at_the_root() {
    let src = std::fs::read_to_string(format!("{CASE}source.xml")).unwrap();
    let tgt = std::fs::read_to_string(format!("{CASE}target.xml")).unwrap();
    let at = tgt.find("<dn>safEE=hostOS-4,").unwrap();
    let v = at
        + tgt[at..]
            .find("safVersion=12.04,safEEType=UbuntuHostOS")
            .unwrap();
    let tgt = format!(
        "{}safVersion=7,safEEType=DebianHostOS{}",
        &tgt[..v],
        &tgt[v + "safVersion=12.04,safEEType=UbuntuHostOS".len()..]
    )
    .replace(
        "</imm:IMM-contents>",
        "  <object class=\"SaPlmEEBaseType\">\n    <dn>safEEType=DebianHostOS</dn>\n  </object>\n  <object class=\"SaPlmEEType\">\n    <dn>safVersion=7,safEEType=DebianHostOS</dn>\n  </object>\n  <object class=\"SaSmfSwBundle\">\n    <dn>safSmfBundle=DebianHostOS7</dn>\n  </object>\n</imm:IMM-contents>",
    );
    let sf = vec![parse_imm_str("source.xml", &src).unwrap()];
    let (s, t) = (
        merge(&sf).unwrap(),
        merge(&[parse_imm_str("target.xml", &tgt).unwrap()]).unwrap(),
    );
    let (xml, v) = generate_and_verify(&sf, &s, &t);
    assert!(
        xml.contains("<create objectClassName=\"SaPlmEEBaseType\" parentObjectDN=\"=\">"),
        "{xml}"
    );
    assert!(xml.contains("<swAdd bundleDN=\"safSmfBundle=DebianHostOS7\"/>"));
    assert!(all_good(&v), "{v:?}");
}

// ---------------------------------------------------------------------------------------------
// Configurations without SaSmfSwBundle objects: the bundles are derived from the EE types.
// ---------------------------------------------------------------------------------------------

/// `xml` without its `SaSmfSwBundle` objects.
fn without_bundles(xml: &str) -> String {
    const OPEN: &str = "<object class=\"SaSmfSwBundle\">";
    let mut out = String::new();
    let mut rest = xml;
    while let Some(at) = rest.find(OPEN) {
        // From the start of the object's line to the end of its `</object>` line.
        let line = rest[..at].rfind('\n').map_or(0, |n| n + 1);
        out.push_str(&rest[..line]);
        let end = at + rest[at..].find("</object>").expect("closed") + "</object>".len();
        rest = rest[end..].strip_prefix('\n').unwrap_or(&rest[end..]);
    }
    out.push_str(rest);
    out
}

/// The `softwareBundle` names of a campaign's addToImm and the `bundleDN`s of its
/// removeFromImm.
fn declared_and_removed(xml: &str) -> (Vec<String>, Vec<String>) {
    let c = parse_campaign_str("gen.xml", xml).unwrap();
    (
        c.init.bundles.iter().map(|b| b.dn.clone()).collect(),
        c.wrapup
            .remove_bundles
            .iter()
            .map(|b| b.dn.clone())
            .collect(),
    )
}

#[test]
fn a_case_study_without_bundles_gets_bundles_derived_from_the_types() {
    let (src, tgt) = (
        without_bundles(&case_text("source")),
        without_bundles(&case_text("target")),
    );
    assert!(!src.contains("SaSmfSwBundle") && !tgt.contains("SaSmfSwBundle"));
    let (code, out, written) = smfcheck_generate_written(&src, &tgt, true);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("success-reaches-target         always             verified"),
        "{out}"
    );
    let xml = written.expect("written");
    // One note per derived bundle: the old types' in the source, the new ones' in the target.
    let types = [
        ("10.04", "UbuntuHostOS", "1004", "source"),
        ("12.04", "UbuntuHostOS", "1204", "target"),
        ("4.3.0", "VirtualBoxVMM", "430", "source"),
        ("4.3.6", "VirtualBoxVMM", "436", "target"),
        ("4.3.0", "VirtualBoxVM", "430", "source"),
        ("4.3.6", "VirtualBoxVM", "436", "target"),
    ];
    for (v, b, digits, side) in types {
        let note = format!(
            "note: no SaSmfSwBundle for safVersion={v},safEEType={b} in the {side} configuration: the campaign declares safSmfBundle={b}{digits} (derived from the type)"
        );
        assert!(out.contains(&note), "wanted `{note}` in:\n{out}");
    }
    assert_eq!(out.matches("note: no SaSmfSwBundle").count(), 6, "{out}");
    // Every derived bundle is declared; the old ones leave the IMM with their types.
    let (mut declared, mut removed) = declared_and_removed(&xml);
    declared.sort();
    removed.sort();
    let names = |side: Option<&str>| -> Vec<String> {
        let mut v: Vec<String> = types
            .iter()
            .filter(|t| side.is_none_or(|s| t.3 == s))
            .map(|(_, b, d, _)| format!("safSmfBundle={b}{d}"))
            .collect();
        v.sort();
        v
    };
    assert_eq!(declared, names(None));
    assert_eq!(removed, names(Some("source")));
    // Steps install the new bundles and remove the old ones, with placeholder scripts in the
    // case study's layout.
    assert!(xml.contains("<swRemove bundleDN=\"safSmfBundle=UbuntuHostOS1004\"/>"));
    assert!(xml.contains("<swAdd bundleDN=\"safSmfBundle=UbuntuHostOS1204\"/>"));
    assert!(
        xml.contains(
            "<online command=\"/hostfs/smf/bundles/UbuntuHostOS1204/install-online.sh\"/>"
        )
    );
    // The same procedures as with the case study's bundles.
    let (sf, tf) = (case_files("source"), case_files("target"));
    let with = generate(&merge(&sf).unwrap(), &merge(&tf).unwrap(), "w").unwrap();
    let sf = vec![
        parse_imm_str("source.xml", &src).unwrap(),
        parse_imm(format!("{CASE}compat.xml")).unwrap(),
    ];
    let tf = vec![
        parse_imm_str("target.xml", &tgt).unwrap(),
        parse_imm(format!("{CASE}compat.xml")).unwrap(),
    ];
    let without = generate(&merge(&sf).unwrap(), &merge(&tf).unwrap(), "w").unwrap();
    assert_eq!(with.procedures, without.procedures);
    assert!(with.derived_bundles.is_empty());
    assert_eq!(without.derived_bundles.len(), 6);
}

#[test]
fn a_bundle_is_derived_only_where_the_configuration_has_none() {
    // The target keeps its bundles, the source has none: only the old types' are derived.
    let (code, out, written) = smfcheck_generate_written(
        &without_bundles(&case_text("source")),
        &case_text("target"),
        true,
    );
    assert_eq!(code, 0, "{out}");
    assert_eq!(out.matches("note: no SaSmfSwBundle").count(), 3, "{out}");
    assert!(out.contains("safSmfBundle=UbuntuHostOS1004 (derived from the type)"));
    let (declared, removed) = declared_and_removed(&written.expect("written"));
    assert_eq!(declared.len(), 6, "{declared:?}");
    assert_eq!(removed.len(), 3, "{removed:?}");
    // A versioned bundle next to the bare one is not ambiguous: it names the version.
    let src = case_text("source").replacen(
        "<object class=\"SaSmfSwBundle\">",
        "<object class=\"SaSmfSwBundle\">\n    <dn>safSmfBundle=UbuntuHostOS1004</dn>\n  </object>\n  <object class=\"SaSmfSwBundle\">",
        1,
    );
    let (code, out, written) = smfcheck_generate_written(&src, &case_text("target"), true);
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("note:"), "{out}");
    let xml = written.expect("written");
    assert!(xml.contains("<swRemove bundleDN=\"safSmfBundle=UbuntuHostOS1004\"/>"));
    assert!(!xml.contains("<swRemove bundleDN=\"safSmfBundle=UbuntuHostOS\"/>"));
}

#[test]
fn an_ambiguous_bundle_is_refused_even_when_others_are_derived() {
    // No bundles at all but two versioned ones for Ubuntu 12.04.
    let tgt = without_bundles(&case_text("target")).replace(
        "</imm:IMM-contents>",
        "  <object class=\"SaSmfSwBundle\">\n    <dn>safSmfBundle=UbuntuHostOS_12.04</dn>\n  </object>\n  <object class=\"SaSmfSwBundle\">\n    <dn>safSmfBundle=UbuntuHostOS1204</dn>\n  </object>\n</imm:IMM-contents>",
    );
    let (code, out, written) =
        smfcheck_generate_written(&without_bundles(&case_text("source")), &tgt, true);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("safVersion=12.04,safEEType=UbuntuHostOS: which software bundle installs this EE type is ambiguous: `safSmfBundle=UbuntuHostOS1204`, `safSmfBundle=UbuntuHostOS_12.04`"),
        "{out}"
    );
    assert!(written.is_none(), "nothing written");
}

#[test]
fn two_types_deriving_one_bundle_name_are_refused() {
    // Versions 1 and `1.` of the VM type both derive safSmfBundle=VM1.
    let src = Sys {
        hosts: vec![Host::new("hx0", false), Host::new("hy0", true)],
        vms: vec![
            Vm::new("vm0", false, &["hx0"], 0),
            Vm::new("vm1", true, &["hy0"], 0),
            Vm::new("vm2", false, &["hx0"], 1),
            Vm::new("vm3", true, &["hy0"], 1),
        ],
    };
    let mut tgt = src.clone();
    tgt.vms[0].vm_gen = 2;
    let s = without_bundles(&src.imm());
    let t = without_bundles(&tgt.imm())
        .replace("safVersion=2,safEEType=VM", "safVersion=1.,safEEType=VM");
    let (s, t) = (
        merge(&[parse_imm_str("source.xml", &s).unwrap()]).unwrap(),
        merge(&[parse_imm_str("target.xml", &t).unwrap()]).unwrap(),
    );
    let e = generate(&s, &t, "collide").unwrap_err().to_string();
    assert!(
        e.contains("safVersion=1.,safEEType=VM: no software bundle installs this EE type, and the name derived for it, `safSmfBundle=VM1`, is also derived for `safVersion=1,safEEType=VM`"),
        "{e}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, failure_persistence: None, ..ProptestConfig::default() })]

    /// Random pairs with the bundles of the source, the target or both left out: the campaign
    /// declares what it derives, references only bundles that exist (the checker refuses the
    /// others), and verifies.
    #[test]
    fn generated_campaigns_without_bundles_verify(
        src in arb_source(),
        changes in prop::collection::vec(arb_change(), 1..4),
        strip in 1u8..=3,
    ) {
        let tgt = apply(&src, &changes);
        prop_assume!(tgt.imm() != src.imm(), "nothing changes");
        let strip_if = |bit: u8, text: String| if strip & bit != 0 { without_bundles(&text) } else { text };
        let sf = vec![parse_imm_str("source.xml", &strip_if(1, src.imm())).unwrap()];
        let tf = vec![parse_imm_str("target.xml", &strip_if(2, tgt.imm())).unwrap()];
        let (s, t) = (merge(&sf).unwrap(), merge(&tf).unwrap());
        let g = generate(&s, &t, "nb").unwrap_or_else(|e| panic!("generate: {e}"));
        let (declared, _) = declared_and_removed(&g.xml);
        for d in &g.derived_bundles {
            prop_assert!(declared.contains(&d.bundle), "{} not declared:\n{}", d.bundle, g.xml);
        }
        let (xml, verdicts) = generate_and_verify(&sf, &s, &t);
        prop_assert!(all_good(&verdicts), "{:?}\n{}", verdicts, xml);
    }
}
