//! The system configuration as typed, indexed entities, read from a merged IMM configuration
//! (thesis §2.3 AMF, §2.4 CLM, §2.5 PLM; docs/semantics.md §7–§11): execution environments with their
//! containment and dependencies, CLM and AMF nodes, node groups, service groups with their
//! redundancy model, service units with where they may be hosted, service instances and what
//! protects them, and the layer compatibility the thesis takes as an input (§3.1).
//!
//! Every reference is resolved here, once: a dangling DN is an error naming the object's
//! `file:line`, the attribute and the missing DN. The explored state later refers to entities by
//! index only.

use crate::error::Error;
use crate::xml::imm::{Imm, ImmObject};
use std::collections::BTreeMap;

pub type EeId = usize;
pub type NodeId = usize;
pub type SgId = usize;
pub type SuId = usize;

/// An execution environment (`SaPlmEE`): a host OS, a VMM or a VM (§2.5).
#[derive(Clone, Debug, PartialEq)]
pub struct Ee {
    pub dn: String,
    /// `saPlmEEType`: the DN of the EE type version (what compatibility is stated about).
    pub ee_type: Option<String>,
    /// The EE this one is contained in (a VMM in its host OS, a non-migratable VM in its VMM).
    pub parent: Option<EeId>,
    /// `SaPlmDependency` children: sponsors and how many must be in service.
    pub dependency: Option<Dependency>,
    /// The parent object is the `SaPlmDomain` (not an HE, not an EE).
    pub under_domain: bool,
    pub origin: String,
}

impl Ee {
    /// A VM capable of live migration: a child of the domain with a dependency on its sponsoring
    /// VMMs (§2.5: "such a VM will be child of the object of class SaPlmDomain"; §6.2); it runs
    /// on exactly one of its sponsors at a time. Any other dependency (e.g. an EE on a blade
    /// that depends on other EEs, as in plmsv_objects.xml.atca) only requires `min` sponsors in
    /// service.
    pub fn is_migratable(&self) -> bool {
        self.under_domain && self.parent.is_none() && self.dependency.is_some()
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Dependency {
    pub dn: String,
    /// The configured `saPlmDepNames` first, then sponsors a campaign's CCBs add later (a new
    /// VMM named in the wrap-up's dependency lists, §5.3.4, §6.5.3).
    pub sponsors: Vec<EeId>,
    /// How many of `sponsors` the configuration names (the rest become sponsors only when a CCB
    /// of the campaign allows them).
    pub configured: usize,
    pub min: u32,
}

/// An AMF node with the EE that hosts it (AMF node → CLM node → EE, §2.4).
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub dn: String,
    pub clm_node: Option<String>,
    pub ee: Option<EeId>,
    /// `saAmfNodeAdminState` (1 unlocked when absent; 2 locked, 3 locked-instantiation).
    pub admin_state: u8,
    pub origin: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Redundancy {
    TwoN,
    NPlusM,
    NWay,
    NWayActive,
    NoRedundancy,
}

impl Redundancy {
    fn from_code(code: &str) -> Option<Redundancy> {
        match code.trim() {
            "1" => Some(Redundancy::TwoN),
            "2" => Some(Redundancy::NPlusM),
            "3" => Some(Redundancy::NWay),
            "4" => Some(Redundancy::NWayActive),
            "5" => Some(Redundancy::NoRedundancy),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Sg {
    pub dn: String,
    pub redundancy: Redundancy,
    /// `saAmfSGSuHostNodeGroup`: where AMF may place an SU without a configured host.
    pub su_host_node_group: Option<Vec<NodeId>>,
    /// `saAmfSGNumPrefInserviceSUs`, if configured.
    pub pref_inservice: Option<u32>,
    /// `saAmfSGNumPrefActiveSUs` (read for N+M only, as OpenSAF's amfd does).
    pub pref_active_sus: Option<u32>,
    /// `saAmfSGMaxActiveSIsperSU` (read for N+M, N-way and N-way-active; 0 means no limit).
    pub max_active_per_su: Option<u32>,
    /// `saAmfSGAdminState` (1 unlocked when absent).
    pub admin_state: u8,
    pub sus: Vec<SuId>,
    pub origin: String,
}

/// Where an SU may run: configured on one node, or on any node of a node group (its own
/// `saAmfSUHostNodeOrNodeGroup`, or its SG's `saAmfSGSuHostNodeGroup`). AMF chooses within the
/// group; the campaign model explores every choice.
#[derive(Clone, Debug, PartialEq)]
pub enum SuHost {
    Node(NodeId),
    AnyOf(Vec<NodeId>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Su {
    pub dn: String,
    pub sg: SgId,
    pub host: SuHost,
    pub su_type: Option<String>,
    /// `saAmfSUAdminState` 2 (locked) or 3 (locked-instantiation) at the start.
    pub initially_locked: bool,
    /// `saAmfSUAdminState` as configured (1 unlocked when absent).
    pub admin_state: u8,
    pub comps: Vec<String>,
    /// `saAmfCompType` of each component, in the order of `comps`.
    pub comp_types: Vec<Option<String>>,
    /// `saAmfCtSwBundle` of each component's type, in the order of `comps` (what runs).
    pub comp_bundles: Vec<Option<String>>,
    pub origin: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Si {
    pub dn: String,
    pub sg: SgId,
    pub initially_locked: bool,
    /// `saAmfSIRank` as configured (0, the default, is the lowest rank).
    pub rank: u32,
    /// `saAmfSIPrefActiveAssignments` (default 1; 0 means every SU of the SG).
    pub pref_active_assignments: u32,
    /// The SIs this one depends on (`SaAmfSIDependency` children): AMF assigns it only while
    /// each of them is assigned.
    pub sponsors: Vec<usize>,
    pub origin: String,
}

/// The configuration as loaded, before anything a campaign creates is merged in (what the
/// campaign's IMM ledger compares with, `crate::campaign::im`). Equal when it is the same load.
#[derive(Clone, Debug, Default)]
pub struct SourceImm(pub Option<std::sync::Arc<Imm>>);

impl PartialEq for SourceImm {
    fn eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (Some(a), Some(b)) => std::sync::Arc::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        }
    }
}

/// The whole system, by index.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SystemConfig {
    /// The configuration files alone (set by `crate::campaign::system_for`).
    pub source_imm: SourceImm,
    pub ees: Vec<Ee>,
    pub nodes: Vec<Node>,
    pub sgs: Vec<Sg>,
    pub sus: Vec<Su>,
    pub sis: Vec<Si>,
    pub node_groups: BTreeMap<String, Vec<NodeId>>,
    /// `SmfcheckCompatibility`: upper software bundle or EE type DN → the lower EE types it may
    /// be (un)installed on and run on. An upper without an entry is compatible with every lower.
    pub compat: BTreeMap<String, Vec<String>>,
    /// `saAmfCtSwBundle` of every component type version of the configuration.
    pub comp_type_bundles: BTreeMap<String, String>,
    /// The DN of every object of the configuration (what a CCB may create under).
    pub dns: std::collections::HashSet<String>,
    /// Every `SaSmfSwBundle` of the configuration.
    pub bundles: std::collections::BTreeSet<String>,
    /// `saAmfApplicationAdminState` of every application that is not unlocked.
    pub locked_apps: BTreeMap<String, u8>,
}

/// A DN-valued attribute; an empty value (as imm.xml.sample writes `<value></value>` for "no EE")
/// means unset.
fn dn<'a>(o: &'a ImmObject, attr: &str) -> Option<&'a str> {
    o.value(attr).map(str::trim).filter(|v| !v.is_empty())
}

fn dangling(o: &ImmObject, attr: &str, dn: &str) -> Error {
    Error::Config {
        origin: o.origin(),
        message: format!(
            "`{}` {attr} refers to `{dn}`, which is not in the configuration",
            o.dn
        ),
    }
}

/// An AMF admin state attribute: 1 unlocked (also when absent), 2 locked, 3
/// locked-instantiation (4 shutting-down counts as locked).
fn admin(o: &ImmObject, attr: &str) -> Result<u8, Error> {
    match number(o, attr)? {
        None | Some(1) => Ok(1),
        Some(2 | 4) => Ok(2),
        Some(3) => Ok(3),
        Some(v) => Err(bad(
            o,
            format!("{attr} `{v}` of `{}` is not an admin state 1..=4", o.dn),
        )),
    }
}

/// An unsigned 32-bit attribute, if configured.
fn number(o: &ImmObject, attr: &str) -> Result<Option<u32>, Error> {
    match o.value(attr) {
        None => Ok(None),
        Some(v) => v.trim().parse().map(Some).map_err(|_| {
            bad(
                o,
                format!(
                    "{attr} `{v}` of `{}` is not a number in 0..=4294967295",
                    o.dn
                ),
            )
        }),
    }
}

fn bad(o: &ImmObject, message: String) -> Error {
    Error::Config {
        origin: o.origin(),
        message,
    }
}

impl SystemConfig {
    pub fn ee(&self, dn: &str) -> Option<EeId> {
        self.ees.iter().position(|e| e.dn == dn)
    }
    pub fn node(&self, dn: &str) -> Option<NodeId> {
        self.nodes.iter().position(|n| n.dn == dn)
    }
    pub fn sg(&self, dn: &str) -> Option<SgId> {
        self.sgs.iter().position(|g| g.dn == dn)
    }
    pub fn su(&self, dn: &str) -> Option<SuId> {
        self.sus.iter().position(|s| s.dn == dn)
    }

    /// Whether upper software or EE type `upper` may sit on an EE of type `lower` (§3.1).
    pub fn compatible(&self, upper: &str, lower: Option<&str>) -> bool {
        match (self.compat.get(upper), lower) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(lowers), Some(l)) => lowers.iter().any(|x| x == l),
        }
    }

    /// Read the typed configuration from a merged IMM.
    pub fn from_imm(imm: &Imm) -> Result<SystemConfig, Error> {
        let mut c = SystemConfig::default();
        // Execution environments, then containment and dependencies (two passes: DNs first).
        let ee_objs: Vec<&ImmObject> = imm.of_class("SaPlmEE").collect();
        for o in &ee_objs {
            c.ees.push(Ee {
                dn: o.dn.clone(),
                ee_type: dn(o, "saPlmEEType").map(str::to_string),
                parent: None,
                dependency: None,
                under_domain: o
                    .parent_dn()
                    .and_then(|p| imm.get(p))
                    .is_some_and(|p| p.class == "SaPlmDomain"),
                origin: o.origin(),
            });
        }
        for (i, o) in ee_objs.iter().enumerate() {
            if let Some(t) = &c.ees[i].ee_type
                && imm.get(t).is_none()
            {
                return Err(dangling(o, "saPlmEEType", t));
            }
            c.ees[i].parent = o.parent_dn().and_then(|p| c.ee(p));
        }
        for o in imm.of_class("SaPlmDependency") {
            let owner = o
                .parent_dn()
                .and_then(|p| c.ee(p))
                .ok_or_else(|| bad(o, format!("`{}` is not the child of an EE", o.dn)))?;
            let mut sponsors = Vec::new();
            for dn in o.values("saPlmDepNames") {
                sponsors.push(c.ee(dn).ok_or_else(|| dangling(o, "saPlmDepNames", dn))?);
            }
            let min = match o.value("saPlmDepMinNumber") {
                None => 1,
                Some(v) => v
                    .trim()
                    .parse()
                    .map_err(|_| bad(o, format!("saPlmDepMinNumber `{v}` is not a number")))?,
            };
            // A VM capable of live migration runs on one of its sponsors: it needs one.
            if sponsors.is_empty() && c.ees[owner].under_domain && c.ees[owner].parent.is_none() {
                return Err(bad(
                    o,
                    format!(
                        "`{}` names no saPlmDepNames: the migratable VM `{}` needs at least one sponsoring VMM",
                        o.dn, c.ees[owner].dn
                    ),
                ));
            }
            if c.ees[owner].dependency.is_some() {
                return Err(bad(
                    o,
                    format!("EE `{}` has two dependency objects", c.ees[owner].dn),
                ));
            }
            c.ees[owner].dependency = Some(Dependency {
                dn: o.dn.clone(),
                configured: sponsors.len(),
                sponsors,
                min,
            });
        }
        // CLM and AMF nodes.
        let clm_ee: BTreeMap<&str, Option<&str>> = imm
            .of_class("SaClmNode")
            .map(|o| (o.dn.as_str(), dn(o, "saClmNodeEE")))
            .collect();
        for o in imm.of_class("SaClmNode") {
            if let Some(ee) = dn(o, "saClmNodeEE")
                && c.ee(ee).is_none()
            {
                return Err(dangling(o, "saClmNodeEE", ee));
            }
        }
        for o in imm.of_class("SaAmfNode") {
            let clm = dn(o, "saAmfNodeClmNode");
            let ee = match clm {
                None => None,
                Some(clm) => match clm_ee.get(clm) {
                    None => return Err(dangling(o, "saAmfNodeClmNode", clm)),
                    Some(ee) => ee.and_then(|dn| c.ee(dn)),
                },
            };
            c.nodes.push(Node {
                dn: o.dn.clone(),
                clm_node: clm.map(str::to_string),
                ee,
                admin_state: admin(o, "saAmfNodeAdminState")?,
                origin: o.origin(),
            });
        }
        for o in imm.of_class("SaAmfNodeGroup") {
            let mut members = Vec::new();
            for dn in o.values("saAmfNGNodeList") {
                members.push(
                    c.node(dn)
                        .ok_or_else(|| dangling(o, "saAmfNGNodeList", dn))?,
                );
            }
            c.node_groups.insert(o.dn.clone(), members);
        }
        // Service groups, service units, service instances.
        for o in imm.of_class("SaAmfSG") {
            let sgt = o
                .value("saAmfSGType")
                .ok_or_else(|| bad(o, format!("`{}` has no saAmfSGType", o.dn)))?;
            let t = imm
                .get(sgt)
                .ok_or_else(|| dangling(o, "saAmfSGType", sgt))?;
            let code = t
                .value("saAmfSgtRedundancyModel")
                .ok_or_else(|| bad(t, format!("`{}` has no saAmfSgtRedundancyModel", t.dn)))?;
            let redundancy = Redundancy::from_code(code)
                .ok_or_else(|| bad(t, format!("saAmfSgtRedundancyModel `{code}` is not 1..5")))?;
            let su_host_node_group = match dn(o, "saAmfSGSuHostNodeGroup") {
                None => None,
                Some(g) => Some(
                    c.node_groups
                        .get(g)
                        .cloned()
                        .ok_or_else(|| dangling(o, "saAmfSGSuHostNodeGroup", g))?,
                ),
            };
            let pref_inservice = number(o, "saAmfSGNumPrefInserviceSUs")?;
            let pref_active_sus = number(o, "saAmfSGNumPrefActiveSUs")?;
            let max_active_per_su = number(o, "saAmfSGMaxActiveSIsperSU")?;
            c.sgs.push(Sg {
                dn: o.dn.clone(),
                redundancy,
                su_host_node_group,
                pref_inservice,
                pref_active_sus,
                max_active_per_su,
                admin_state: admin(o, "saAmfSGAdminState")?,
                sus: Vec::new(),
                origin: o.origin(),
            });
        }
        for o in imm.of_class("SaAmfSU") {
            let sg_dn = o.parent_dn().unwrap_or("");
            let sg = c
                .sg(sg_dn)
                .ok_or_else(|| bad(o, format!("`{}` is not the child of a service group", o.dn)))?;
            let host = match dn(o, "saAmfSUHostNodeOrNodeGroup") {
                Some(h) => match (c.node(h), c.node_groups.get(h)) {
                    (Some(n), _) => SuHost::Node(n),
                    (None, Some(g)) => SuHost::AnyOf(g.clone()),
                    (None, None) => return Err(dangling(o, "saAmfSUHostNodeOrNodeGroup", h)),
                },
                None => match &c.sgs[sg].su_host_node_group {
                    Some(g) => SuHost::AnyOf(g.clone()),
                    // Without either, AMF may use any node of the cluster.
                    None => SuHost::AnyOf((0..c.nodes.len()).collect()),
                },
            };
            let initially_locked = matches!(o.value("saAmfSUAdminState"), Some("2" | "3"));
            let admin_state = match o.value("saAmfSUAdminState").map(str::trim) {
                Some("2") => 2,
                Some("3") => 3,
                _ => 1,
            };
            let comp_objs: Vec<&ImmObject> = imm
                .children(&o.dn)
                .filter(|x| x.class == "SaAmfComp")
                .collect();
            let comps = comp_objs.iter().map(|x| x.dn.clone()).collect();
            let comp_types: Vec<Option<String>> = comp_objs
                .iter()
                .map(|x| dn(x, "saAmfCompType").map(str::to_string))
                .collect();
            let comp_bundles = comp_types
                .iter()
                .map(|t| {
                    t.as_deref()
                        .and_then(|t| imm.get(t))
                        .and_then(|t| dn(t, "saAmfCtSwBundle"))
                        .map(str::to_string)
                })
                .collect();
            let id = c.sus.len();
            c.sgs[sg].sus.push(id);
            c.sus.push(Su {
                dn: o.dn.clone(),
                sg,
                host,
                su_type: dn(o, "saAmfSUType").map(str::to_string),
                initially_locked,
                admin_state,
                comps,
                comp_types,
                comp_bundles,
                origin: o.origin(),
            });
        }
        for o in imm.of_class("SaAmfSI") {
            let by = o
                .value("saAmfSIProtectedbySG")
                .ok_or_else(|| bad(o, format!("`{}` has no saAmfSIProtectedbySG", o.dn)))?;
            let sg = c
                .sg(by)
                .ok_or_else(|| dangling(o, "saAmfSIProtectedbySG", by))?;
            let pref = number(o, "saAmfSIPrefActiveAssignments")?.unwrap_or(1);
            c.sis.push(Si {
                dn: o.dn.clone(),
                sg,
                initially_locked: matches!(o.value("saAmfSIAdminState"), Some("2" | "3")),
                rank: number(o, "saAmfSIRank")?.unwrap_or(0),
                sponsors: Vec::new(),
                pref_active_assignments: if pref == 0 {
                    c.sgs[sg].sus.len().max(1) as u32
                } else {
                    pref
                },
                origin: o.origin(),
            });
        }
        c.dns = imm.objects().iter().map(|o| o.dn.clone()).collect();
        for o in imm.of_class("SaSmfSwBundle") {
            c.bundles.insert(o.dn.clone());
        }
        for o in imm.of_class("SaAmfApplication") {
            let a = admin(o, "saAmfApplicationAdminState")?;
            if a != 1 {
                c.locked_apps.insert(o.dn.clone(), a);
            }
        }
        for o in imm.of_class("SaAmfCompType") {
            if let Some(b) = dn(o, "saAmfCtSwBundle") {
                c.comp_type_bundles.insert(o.dn.clone(), b.to_string());
            }
        }
        // SI dependencies: `safDepend=<sponsor SI DN, commas escaped>,<dependent SI DN>`.
        for o in imm.of_class("SaAmfSIDependency") {
            let dependent = o
                .parent_dn()
                .and_then(|p| c.sis.iter().position(|s| s.dn == p));
            let Some(dependent) = dependent else {
                return Err(bad(o, format!("`{}` is not the child of an SI", o.dn)));
            };
            let rdn = crate::xml::imm::rdns(&o.dn)
                .into_iter()
                .next()
                .unwrap_or_default();
            let sponsor_dn = rdn
                .strip_prefix("safDepend=")
                .unwrap_or(rdn)
                .replace("\\,", ",");
            let Some(sponsor) = c.sis.iter().position(|s| s.dn == sponsor_dn) else {
                return Err(dangling(o, "safDepend", &sponsor_dn));
            };
            c.sis[dependent].sponsors.push(sponsor);
        }
        for o in imm.of_class("SmfcheckCompatibility") {
            let upper = o
                .value("smfcheckUpper")
                .ok_or_else(|| bad(o, format!("`{}` has no smfcheckUpper", o.dn)))?;
            let lowers = o.values("smfcheckLower").to_vec();
            if lowers.is_empty() {
                return Err(bad(o, format!("`{}` lists no smfcheckLower", o.dn)));
            }
            c.compat
                .entry(upper.to_string())
                .or_default()
                .extend(lowers);
        }
        Ok(c)
    }
}
