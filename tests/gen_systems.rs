//! Small PLM/AMF systems for the generator's tests and bench, written as IMM XML: host OSs each
//! with a VMM, on an x or a y side; migratable VMs sponsored by VMMs of their side, each hosting
//! one SU; every SG has SUs on both sides (the redundancy of §5.2.1 assumption 3, as in the §7.2
//! case study).

use std::fmt::Write;

/// A host OS with its VMM, on side x or y (redundant SUs are never under the same side's VMMs,
/// §5.2.1 assumption 3). `gen` selects the type version (1 or 2).
#[derive(Clone, Debug)]
pub struct Host {
    pub name: String,
    pub y: bool,
    pub host_gen: u8,
    pub vmm_gen: u8,
}

/// A migratable VM sponsored by some VMMs of its side, hosting one SU of SG `sg`.
#[derive(Clone, Debug)]
pub struct Vm {
    pub name: String,
    pub y: bool,
    pub vm_gen: u8,
    pub sponsors: Vec<String>,
    pub sg: usize,
    pub rank: u8,
    /// A second SU on the VM, in this SG.
    pub extra_su: Option<usize>,
}

#[derive(Clone, Debug)]
pub struct Sys {
    pub hosts: Vec<Host>,
    pub vms: Vec<Vm>,
}

fn obj(out: &mut String, class: &str, dn: &str, attrs: &[(&str, Vec<String>)]) {
    let _ = writeln!(out, "  <object class=\"{class}\">\n    <dn>{dn}</dn>");
    for (n, vs) in attrs {
        let _ = writeln!(out, "    <attr>\n      <name>{n}</name>");
        for v in vs {
            let _ = writeln!(out, "      <value>{v}</value>");
        }
        let _ = writeln!(out, "    </attr>");
    }
    let _ = writeln!(out, "  </object>");
}

const D: &str = "safDomain=domain_1";
impl Host {
    /// A host OS with its VMM, both at version 1.
    pub fn new(name: &str, y: bool) -> Host {
        Host {
            name: name.into(),
            y,
            host_gen: 1,
            vmm_gen: 1,
        }
    }
}

impl Vm {
    /// A VM at version 1 on `sponsors` (host names), hosting one SU of SG `sg`.
    pub fn new(name: &str, y: bool, sponsors: &[&str], sg: usize) -> Vm {
        Vm {
            name: name.into(),
            y,
            vm_gen: 1,
            sponsors: sponsors.iter().map(|s| s.to_string()).collect(),
            sg,
            rank: 1,
            extra_su: None,
        }
    }
}

pub const SGS: usize = 2;

fn ee_dn(name: &str, host: Option<&str>) -> String {
    match host {
        Some(h) => format!("safEE={name},safEE={h},{D}"),
        None => format!("safEE={name},{D}"),
    }
}

impl Sys {
    pub fn imm(&self) -> String {
        let mut o = String::from(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<imm:IMM-contents xmlns:imm=\"http://www.saforum.org/IMMSchema\">\n",
        );
        obj(&mut o, "SaPlmDomain", D, &[]);
        let mut gens = [(0u8, "HostOS"), (0, "VMM"), (0, "VM")];
        let used = |kind: &str, g: u8| match kind {
            "HostOS" => self.hosts.iter().any(|h| h.host_gen == g),
            "VMM" => self.hosts.iter().any(|h| h.vmm_gen == g),
            _ => self.vms.iter().any(|v| v.vm_gen == g),
        };
        for (_, kind) in &mut gens {
            obj(&mut o, "SaPlmEEBaseType", &format!("safEEType={kind}"), &[]);
            for g in [1u8, 2] {
                if used(kind, g) {
                    obj(
                        &mut o,
                        "SaPlmEEType",
                        &format!("safVersion={g},safEEType={kind}"),
                        &[],
                    );
                    obj(
                        &mut o,
                        "SaSmfSwBundle",
                        &format!("safSmfBundle={kind}{g}"),
                        &[(
                            "saSmfBundleInstallOnlineCmdUri",
                            vec![format!("/bin/install-{kind}{g}")],
                        )],
                    );
                }
            }
        }
        for h in &self.hosts {
            let hdn = ee_dn(&h.name, None);
            obj(
                &mut o,
                "SaPlmEE",
                &hdn,
                &[(
                    "saPlmEEType",
                    vec![format!("safVersion={},safEEType=HostOS", h.host_gen)],
                )],
            );
            obj(
                &mut o,
                "SaPlmEE",
                &ee_dn(&format!("VMM-{}", h.name), Some(&h.name)),
                &[(
                    "saPlmEEType",
                    vec![format!("safVersion={},safEEType=VMM", h.vmm_gen)],
                )],
            );
        }
        obj(&mut o, "SaClmCluster", "safCluster=c", &[]);
        obj(&mut o, "SaAmfCluster", "safAmfCluster=c", &[]);
        obj(&mut o, "SaAmfApplication", "safApp=A", &[]);
        obj(&mut o, "SaAmfSGBaseType", "safSgType=NWA", &[]);
        obj(&mut o, "SaAmfSUBaseType", "safSuType=S", &[]);
        obj(&mut o, "SaAmfSUType", "safVersion=1,safSuType=S", &[]);
        obj(&mut o, "SaAmfCompBaseType", "safCompType=C", &[]);
        obj(&mut o, "SaAmfCompType", "safVersion=1,safCompType=C", &[]);
        obj(
            &mut o,
            "SaAmfSGType",
            "safVersion=1,safSgType=NWA",
            &[("saAmfSgtRedundancyModel", vec!["4".into()])],
        );
        for g in 0..SGS {
            let sg = format!("safSg=SG{g},safApp=A");
            obj(
                &mut o,
                "SaAmfSG",
                &sg,
                &[("saAmfSGType", vec!["safVersion=1,safSgType=NWA".into()])],
            );
            obj(
                &mut o,
                "SaAmfSI",
                &format!("safSi=SI{g},safApp=A"),
                &[("saAmfSIProtectedbySG", vec![sg.clone()])],
            );
        }
        for v in &self.vms {
            let dn = ee_dn(&v.name, None);
            obj(
                &mut o,
                "SaPlmEE",
                &dn,
                &[(
                    "saPlmEEType",
                    vec![format!("safVersion={},safEEType=VM", v.vm_gen)],
                )],
            );
            obj(
                &mut o,
                "SaPlmDependency",
                &format!("safDependency=Mig,{dn}"),
                &[
                    (
                        "saPlmDepNames",
                        v.sponsors
                            .iter()
                            .map(|h| ee_dn(&format!("VMM-{h}"), Some(h)))
                            .collect(),
                    ),
                    ("saPlmDepMinNumber", vec!["1".into()]),
                ],
            );
            let clm = format!("safNode={},safCluster=c", v.name);
            obj(
                &mut o,
                "SaClmNode",
                &clm,
                &[("saClmNodeEE", vec![dn.clone()])],
            );
            let amf = format!("safAmfNode={},safAmfCluster=c", v.name);
            obj(
                &mut o,
                "SaAmfNode",
                &amf,
                &[("saAmfNodeClmNode", vec![clm.clone()])],
            );
            obj(
                &mut o,
                "SaAmfSU",
                &format!("safSu=SU-{},safSg=SG{},safApp=A", v.name, v.sg),
                &[
                    ("saAmfSUType", vec!["safVersion=1,safSuType=S".into()]),
                    ("saAmfSUHostNodeOrNodeGroup", vec![amf.clone()]),
                    ("saAmfSURank", vec![v.rank.to_string()]),
                ],
            );
            if let Some(g) = v.extra_su {
                let su = format!("safSu=SU2-{},safSg=SG{g},safApp=A", v.name);
                obj(
                    &mut o,
                    "SaAmfSU",
                    &su,
                    &[
                        ("saAmfSUType", vec!["safVersion=1,safSuType=S".into()]),
                        ("saAmfSUHostNodeOrNodeGroup", vec![amf.clone()]),
                    ],
                );
                obj(
                    &mut o,
                    "SaAmfComp",
                    &format!("safComp=C,{su}"),
                    &[("saAmfCompType", vec!["safVersion=1,safCompType=C".into()])],
                );
            }
        }
        o.push_str("</imm:IMM-contents>\n");
        o
    }
}

/// The case study scaled to `h` hosts (h/2 per side, every layer upgraded from version 1 to 2):
/// `min(h, 12)` migratable VMs, VM i on the VMM pair i of its side (at most 4096 initial
/// placements).
pub fn scaled(h: usize) -> (Sys, Sys) {
    let half = h / 2;
    let mut hosts = Vec::new();
    for y in [false, true] {
        for i in 0..half {
            hosts.push(Host {
                name: format!("h{}{i}", if y { 'y' } else { 'x' }),
                y,
                host_gen: 1,
                vmm_gen: 1,
            });
        }
    }
    let vms = (0..h.min(12))
        .map(|i| {
            let y = i % 2 == 1;
            let side = if y { 'y' } else { 'x' };
            let pair = (i / 2) % (half / 2).max(1);
            let sponsors = [2 * pair, 2 * pair + 1]
                .iter()
                .filter(|&&k| k < half)
                .map(|k| format!("h{side}{k}"))
                .collect();
            Vm {
                name: format!("vm{i}"),
                y,
                vm_gen: 1,
                sponsors,
                sg: (i / 2) % SGS,
                rank: 1,
                extra_su: None,
            }
        })
        .collect();
    let src = Sys { hosts, vms };
    let mut tgt = src.clone();
    for x in &mut tgt.hosts {
        x.host_gen = 2;
        x.vmm_gen = 2;
    }
    for v in &mut tgt.vms {
        v.vm_gen = 2;
    }
    (src, tgt)
}
