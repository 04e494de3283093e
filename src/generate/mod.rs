//! Upgrade-campaign generation from a source and a target configuration (thesis Chapter 6, with
//! the VM strategy of Chapter 5), written so that `smfcheck check` can verify the result before
//! it is handed out.
//!
//! * §6.4.1 — one tree of PLM EEs per configuration: the domain is the root; host OSs and
//!   live-migratable VMs hang under it; a VMM under its host OS, a plain VM under its VMM.
//! * §6.4.2 — every EE is ADD / REMOVE / MODIFY / NO_OPERATION by DN and attribute comparison.
//! * §5.3.2, §6.4.4 — catching: a removed or modified migratable VM is caught on one sponsor (a
//!   modified VM only on a modified or unchanged VMM); an added VM is added on one sponsor. The
//!   choice is deterministic: the first sponsor of the VM's `saPlmDepNames` in this preference
//!   order — removed VM: a removed VMM, then an unchanged, then a modified one; modified VM: a
//!   sponsor compatible with both its old and new type, unchanged or modified; added VM: an
//!   added VMM, then an unchanged, then a modified one on which its type may run when additions
//!   run (before any modification, §5.2.1 assumption 4). The caught VM becomes the VMM's child.
//! * §6.5.1 — initialisation: new bundles (`addToImm`), new types (CCB create), the catching
//!   (`saPlmDepNames` replaced by the one sponsor).
//! * §6.5.2 — procedures: one per maximal ADD sub-tree of the target tree (first), one per
//!   MODIFY-rooted hybrid sub-tree of the source tree whose ancestors are unchanged, one per
//!   removal-only sub-tree (last), all at sequential execution levels; each a single-step
//!   procedure whose step is embedded with one in-phase nested step per tree level, outermost
//!   (upper) layer first (Fig. 7.9); the AMF entities hosted by the EEs go with them (SUs that
//!   come or go on an EE that is only modified get a nested step of their own above the EE's).
//! * §6.5.3 — wrap-up (`campWrapupAction`): the target's dependency lists, then the old types
//!   deleted and the old bundles removed (`removeFromImm`).
//!
//! Software bundles are not linked to PLM EE types by any IMM attribute, so the generator uses a
//! naming convention: the bundle of `safVersion=V,safEEType=B` is, in the configuration that
//! holds the type, the one of `safSmfBundle=B` followed by the letters and digits of V
//! (`UbuntuHostOS1204` for 12.04, Fig. 7.9's names), `B-V` (`Xen-4.3.0`), `B_V`, `BV` that
//! exists, else `B`; two of the versioned names for one type are ambiguous and refused. When the
//! configuration has none of them (nor the other configuration an object of the first name),
//! the bundle is derived: the first name, `safSmfBundle=B` + the letters and digits of V,
//! declared in `addToImm` with placeholder scripts. One derived for an old type is removed in
//! the wrap-up with its type, so the step still removes the old software as §6.5.2 writes it.

pub mod attr_types;
mod out;
pub mod run;

use crate::campaign::target::same_object;
use crate::error::Error;
use crate::system::config::{SuHost, SystemConfig};
use crate::xml::imm::{Imm, ImmObject, parent_dn, rdns};
use out::El;
use std::collections::{BTreeMap, BTreeSet};

/// What the generator does to an EE (§6.4.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Op {
    Add,
    Modify,
    Remove,
    NoOp,
}

/// One generated procedure, for summaries and structural tests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProcSummary {
    pub name: String,
    pub exec_level: u32,
    /// The nested steps, outermost first: the DNs each acts on and what it does to them.
    pub nested: Vec<(Op, Vec<String>)>,
}

#[derive(Clone, Debug)]
pub struct Generated {
    pub xml: String,
    pub procedures: Vec<ProcSummary>,
    /// (VM, sponsor it is caught or added on).
    pub caught: Vec<(String, String)>,
    /// (VM, the target's sponsors) restored in the wrap-up.
    pub released: Vec<(String, Vec<String>)>,
    /// The bundles declared because no configuration has one for their EE type.
    pub derived_bundles: Vec<DerivedBundle>,
}

/// An input outside the assumptions of §5.2.1 / §6.2 (exit 2).
fn assumption(section: &str, o: Option<&ImmObject>, entity: &str, message: String) -> Error {
    Error::Config {
        origin: o.map(|o| o.origin()).unwrap_or_else(|| "generate".into()),
        message: format!("{entity}: {message} (outside the generator's assumptions, {section})"),
    }
}

struct Ee {
    dn: String,
    op: Op,
    s: Option<usize>,
    t: Option<usize>,
    /// Tree parents (entry indices; `None`: the domain) after catching.
    s_parent: Option<usize>,
    t_parent: Option<usize>,
}

/// The classes whose objects are hosted by an EE through AMF/CLM (§6.5.2).
fn is_type_class(class: &str) -> bool {
    class.contains("Type") && class != "SaAmfCompCsType"
}

/// The IMM value type of attribute `name` in the XSD's `SA_IMM_ATTR_…` spelling: from a class
/// definition in the inputs, else OpenSAF's classes, else guessed from the values.
fn imm_type(imm: &Imm, class: &str, name: &str, values: &[String]) -> &'static str {
    let t = imm
        .class(class)
        .and_then(|c| c.attr(name))
        .map(|a| a.value_type.clone())
        .or_else(|| {
            attr_types::ATTR_TYPES
                .binary_search_by(|(n, _)| n.cmp(&name))
                .ok()
                .map(|i| attr_types::ATTR_TYPES[i].1.to_string())
        });
    match t.as_deref() {
        Some("SA_NAME_T") => "SA_IMM_ATTR_SANAMET",
        Some("SA_STRING_T") => "SA_IMM_ATTR_SASTRINGT",
        Some("SA_UINT32_T") => "SA_IMM_ATTR_SAUINT32T",
        Some("SA_INT32_T") => "SA_IMM_ATTR_SAINT32T",
        Some("SA_UINT64_T") => "SA_IMM_ATTR_SAUINT64T",
        Some("SA_INT64_T") => "SA_IMM_ATTR_SAINT64T",
        Some("SA_TIME_T") => "SA_IMM_ATTR_SATIMET",
        Some("SA_FLOAT_T") => "SA_IMM_ATTR_SAFLOATT",
        Some("SA_DOUBLE_T") => "SA_IMM_ATTR_SADOUBLET",
        Some("SA_ANY_T") => "SA_IMM_ATTR_SAANYT",
        _ if values.iter().all(|v| v.contains('=')) => "SA_IMM_ATTR_SANAMET",
        _ if values.iter().all(|v| v.parse::<u32>().is_ok()) => "SA_IMM_ATTR_SAUINT32T",
        _ => "SA_IMM_ATTR_SASTRINGT",
    }
}

fn attribute(imm: &Imm, class: &str, name: &str, values: &[String]) -> El {
    El::new("attribute")
        .attr("name", name)
        .attr("type", imm_type(imm, class, name, values))
        .children(values.iter().map(|v| El::new("value").text(v)))
}

/// `<added>` / CCB `<create>` of an object as the target configuration defines it.
fn create(tag: &'static str, imm: &Imm, o: &ImmObject) -> El {
    let mut el = El::new(tag)
        .attr("objectClassName", &o.class)
        // A root object's parent is written "=" (OpenSAF's campaigns; the XSD needs a SaNameT).
        .attr("parentObjectDN", parent_dn(&o.dn).unwrap_or("="));
    let rdn = rdns(&o.dn)[0];
    let key = rdn.split('=').next().unwrap_or("");
    el.push(attribute(imm, &o.class, key, &[rdn.to_string()]));
    for a in o
        .attrs
        .iter()
        .filter(|a| a.name != key && !a.values.is_empty())
    {
        el.push(attribute(imm, &o.class, &a.name, &a.values));
    }
    el
}

fn by_name(dns: impl IntoIterator<Item = String>) -> Vec<El> {
    dns.into_iter()
        .map(|d| El::new("byName").attr("objectDN", d))
        .collect()
}

/// Which configuration holds an EE type whose bundle is looked up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Side {
    Source,
    Target,
}

/// A software bundle the campaign declares (`addToImm`) because the configuration holding its EE
/// type has no `SaSmfSwBundle` for it (see the module doc).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DerivedBundle {
    /// `safSmfBundle=` + base type name + the letters and digits of the version.
    pub bundle: String,
    pub ee_type: String,
    /// The configurations that hold the type without a bundle for it (at least one).
    pub in_source: bool,
    pub in_target: bool,
}

impl DerivedBundle {
    /// The line `smfcheck generate` prints for it.
    pub fn note(&self) -> String {
        let which = match (self.in_source, self.in_target) {
            (true, true) => "source and target configurations",
            (true, false) => "source configuration",
            _ => "target configuration",
        };
        format!(
            "note: no SaSmfSwBundle for {} in the {which}: the campaign declares {} (derived from the type)",
            self.ee_type, self.bundle
        )
    }
}

/// The base type name, the version, and the version's letters and digits of EE type DN `ty`
/// (`safVersion=V,safEEType=B`).
fn type_parts(ty: &str) -> (String, String, String) {
    let rd = rdns(ty);
    let version = rd
        .first()
        .and_then(|r| r.strip_prefix("safVersion="))
        .unwrap_or("");
    let base = rd
        .get(1)
        .and_then(|r| r.split_once('=').map(|(_, v)| v))
        .unwrap_or("");
    let digits: String = version
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    (base.to_string(), version.to_string(), digits)
}

/// Finds the software bundle of each EE type (naming convention, see the module doc) and
/// remembers the bundles it had to derive, which the campaign must then declare.
struct Bundles<'a> {
    source: &'a Imm,
    target: &'a Imm,
    /// In order of first use, so that the campaign declares them in a stable order.
    derived: Vec<DerivedBundle>,
    /// Bundles that install a target type: the wrap-up must not remove them even when only the
    /// source configuration holds their `SaSmfSwBundle` object.
    for_target: BTreeSet<String>,
}

impl<'a> Bundles<'a> {
    fn new(source: &'a Imm, target: &'a Imm) -> Self {
        Bundles {
            source,
            target,
            derived: Vec::new(),
            for_target: BTreeSet::new(),
        }
    }

    /// The bundle of EE type `ty` of the `side` configuration.
    fn of(&mut self, side: Side, ty: &str) -> Result<String, Error> {
        let (imm, other) = match side {
            Side::Source => (self.source, self.target),
            Side::Target => (self.target, self.source),
        };
        let origin = imm.get(ty);
        let is_bundle =
            |imm: &Imm, dn: &str| imm.get(dn).is_some_and(|o| o.class == "SaSmfSwBundle");
        let (base, version, digits) = type_parts(ty);
        let derived_name = format!("safSmfBundle={base}{digits}");
        // The versioned forms name one version; two of them for one type leave the choice to
        // the order of the list, which is no ground for installing software: refused. The bare
        // `B` is the fallback of a version without a bundle of its own (e.g. the one version
        // named before versioned names were needed), so it yields to a versioned one.
        let mut versioned: Vec<String> = Vec::new();
        for cand in [
            derived_name.clone(),
            format!("safSmfBundle={base}-{version}"),
            format!("safSmfBundle={base}_{version}"),
            format!("safSmfBundle={base}{version}"),
        ] {
            if is_bundle(imm, &cand) && !versioned.contains(&cand) {
                versioned.push(cand);
            }
        }
        let found = match versioned.as_slice() {
            [one] => Some(one.clone()),
            [] => {
                let bare = format!("safSmfBundle={base}");
                is_bundle(imm, &bare).then_some(bare)
            }
            many => {
                return Err(assumption(
                    "§6.2 (6)",
                    origin,
                    ty,
                    format!(
                        "which software bundle installs this EE type is ambiguous: {} of the same configuration all match the naming convention (rename or remove all but one)",
                        many.iter()
                            .map(|c| format!("`{c}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
        };
        let name = match found {
            Some(b) => b,
            None if base.is_empty() || digits.is_empty() => {
                // Without a base type name and a version there is nothing to derive a name from.
                return Err(assumption(
                    "§6.2 (6)",
                    origin,
                    ty,
                    format!(
                        "no software bundle installs this EE type and none can be derived from its name: expected an SaSmfSwBundle `safSmfBundle={base}{digits}`, `{base}-{version}`, `{base}_{version}`, `{base}{version}` or `{base}` in the same configuration"
                    ),
                ));
            }
            // The other configuration's object of that name is that bundle: it exists when the
            // step runs (source) or is added by addToImm (target), so nothing is declared.
            None if is_bundle(other, &derived_name) => derived_name,
            None => {
                if let Some(d) = self.derived.iter_mut().find(|d| d.bundle == derived_name) {
                    if d.ee_type != ty {
                        // One bundle cannot install two types (e.g. versions 1.0 and 10).
                        return Err(assumption(
                            "§6.2 (6)",
                            origin,
                            ty,
                            format!(
                                "no software bundle installs this EE type, and the name derived for it, `{derived_name}`, is also derived for `{}`: add an SaSmfSwBundle for one of them",
                                d.ee_type
                            ),
                        ));
                    }
                    d.in_source |= side == Side::Source;
                    d.in_target |= side == Side::Target;
                } else {
                    self.derived.push(DerivedBundle {
                        bundle: derived_name.clone(),
                        ee_type: ty.to_string(),
                        in_source: side == Side::Source,
                        in_target: side == Side::Target,
                    });
                }
                derived_name
            }
        };
        if side == Side::Target {
            self.for_target.insert(name.clone());
        }
        Ok(name)
    }

    fn is_derived(&self, bundle: &str) -> bool {
        self.derived.iter().any(|d| d.bundle == bundle)
    }
}

/// The `SaSmfSwBundle` object a derived bundle is declared as. Its scripts are placeholders in
/// the layout, scope and timeout of the case study's EE bundles
/// (`/hostfs/smf/bundles/<name>/install-online.sh`, …), for the operator to provide: the
/// configurations say nothing about the software, and SMF needs a script for each phase.
fn derived_bundle_object(d: &DerivedBundle) -> ImmObject {
    let name = d.bundle.strip_prefix("safSmfBundle=").unwrap_or(&d.bundle);
    let script = |what: &str| format!("/hostfs/smf/bundles/{name}/{what}.sh");
    let attr = |n: &str, v: String| crate::xml::imm::ImmAttr {
        name: n.to_string(),
        values: vec![v],
    };
    ImmObject {
        class: "SaSmfSwBundle".into(),
        dn: d.bundle.clone(),
        attrs: vec![
            attr("saSmfBundleDefaultCmdTimeout", "600000000000".into()),
            attr("saSmfBundleInstallOnlineCmdUri", script("install-online")),
            attr("saSmfBundleInstallOfflineCmdUri", script("install-offline")),
            attr("saSmfBundleInstallOfflineScope", "5".into()),
            attr("saSmfBundleRemoveOnlineCmdUri", script("remove-online")),
            attr("saSmfBundleRemoveOfflineCmdUri", script("remove-offline")),
            attr("saSmfBundleRemoveOfflineScope", "5".into()),
        ],
        file: "generate".into(),
        line: 0,
    }
}

/// `<softwareBundle>` of `addToImm` from an `SaSmfSwBundle` object.
fn software_bundle(o: &ImmObject) -> El {
    let cli = |tag: &'static str, cmd: &str, args: &str, scope: Option<(&'static str, &str)>| {
        let mut el = El::new(tag).attr("command", o.value(cmd).unwrap_or("/bin/true"));
        if let Some(a) = o.value(args) {
            el = el.attr("args", a);
        }
        if let Some((k, attr)) = scope {
            el = el.attr(k, o.value(attr).unwrap_or("1"));
        }
        el
    };
    El::new("softwareBundle")
        .attr("name", &o.dn)
        .child(
            El::new("removal")
                .child(cli(
                    "offline",
                    "saSmfBundleRemoveOfflineCmdUri",
                    "saSmfBundleRemoveOfflineCmdArgs",
                    Some((
                        "saSmfBundleRemoveOfflineScope",
                        "saSmfBundleRemoveOfflineScope",
                    )),
                ))
                .child(cli(
                    "online",
                    "saSmfBundleRemoveOnlineCmdUri",
                    "saSmfBundleRemoveOnlineCmdArgs",
                    None,
                )),
        )
        .child(
            El::new("installation")
                .child(cli(
                    "offline",
                    "saSmfBundleInstallOfflineCmdUri",
                    "saSmfBundleInstallOfflineCmdArgs",
                    Some((
                        "saSmfBundleInstallOfflineScope",
                        "saSmfBundleInstallOfflineScope",
                    )),
                ))
                .child(cli(
                    "online",
                    "saSmfBundleInstallOnlineCmdUri",
                    "saSmfBundleInstallOnlineCmdArgs",
                    None,
                )),
        )
        .child(
            El::new("defaultCliTimeout").attr(
                "saSmfBundleDefaultCmdTimeout",
                o.value("saSmfBundleDefaultCmdTimeout")
                    .unwrap_or("600000000000"),
            ),
        )
}

fn dep_modify(dep_dn: &str, sponsors: &[String]) -> El {
    El::new("modify")
        .attr("objectDN", dep_dn)
        .attr("operation", "SA_IMM_ATTR_VALUES_REPLACE")
        .child(
            El::new("attribute")
                .attr("name", "saPlmDepNames")
                .attr("type", "SA_IMM_ATTR_SANAMET")
                .children(sponsors.iter().map(|v| El::new("value").text(v))),
        )
}

fn ccb(ops: Vec<El>) -> El {
    El::new("immCCB").attr("ccbFlags", "0").children(ops)
}

/// The name of a procedure acting on the sub-tree rooted at `dn` (Fig. 7.8:
/// `ModifyUpgradeProcedureAthostOS-1`).
fn proc_name(kind: &str, dn: &str) -> String {
    let value = rdns(dn)[0].split_once('=').map_or(dn, |(_, v)| v);
    format!("safSmfProc={kind}UpgradeProcedureAt{value}")
}

/// Generate the campaign taking `source` to `target` (both merged IMM configurations, each with
/// the compatibility objects, if any). `name` is the campaign's RDN value.
pub fn generate(source: &Imm, target: &Imm, name: &str) -> Result<Generated, Error> {
    let scfg = SystemConfig::from_imm(source)?;
    let tcfg = SystemConfig::from_imm(target)?;
    // §6.2 (4): one domain, the same in both.
    let domains =
        |imm: &Imm| -> Vec<String> { imm.of_class("SaPlmDomain").map(|o| o.dn.clone()).collect() };
    let (sd, td) = (domains(source), domains(target));
    if sd.len() != 1 || sd != td {
        // Name a file: the source's domain, else the target's, else the source's first object.
        let at = source
            .of_class("SaPlmDomain")
            .next()
            .or_else(|| target.of_class("SaPlmDomain").next())
            .or_else(|| source.objects().first());
        return Err(assumption(
            "§6.2 (4)",
            at,
            "SaPlmDomain",
            format!(
                "source and target must have the same single PLM domain (source {sd:?}, target {td:?})"
            ),
        ));
    }
    if !same_object(source.get(&sd[0]), target.get(&td[0])) {
        return Err(assumption(
            "§6.2 (4)",
            target.get(&td[0]),
            &td[0],
            "the domain object changes".into(),
        ));
    }

    // §6.4.1/§6.4.2: every EE of either configuration, source order first.
    let mut ees: Vec<Ee> = Vec::new();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    for (i, e) in scfg.ees.iter().enumerate() {
        index.insert(e.dn.clone(), ees.len());
        ees.push(Ee {
            dn: e.dn.clone(),
            op: Op::Remove,
            s: Some(i),
            t: None,
            s_parent: None,
            t_parent: None,
        });
    }
    for (i, e) in tcfg.ees.iter().enumerate() {
        match index.get(&e.dn) {
            Some(&k) => {
                ees[k].t = Some(i);
                ees[k].op = if same_object(source.get(&e.dn), target.get(&e.dn)) {
                    Op::NoOp
                } else {
                    Op::Modify
                };
            }
            None => {
                index.insert(e.dn.clone(), ees.len());
                ees.push(Ee {
                    dn: e.dn.clone(),
                    op: Op::Add,
                    s: None,
                    t: Some(i),
                    s_parent: None,
                    t_parent: None,
                });
            }
        }
    }
    let obj = |dn: &str| source.get(dn).or_else(|| target.get(dn));
    // Containment and the assumptions about it.
    for ee in ees.iter_mut() {
        for (cfg, side) in [(&scfg, ee.s), (&tcfg, ee.t)] {
            let Some(i) = side else { continue };
            let e = &cfg.ees[i];
            let mut depth = 1;
            let mut p = e.parent;
            while let Some(x) = p {
                depth += 1;
                p = cfg.ees[x].parent;
            }
            if depth > 3 {
                return Err(assumption(
                    "§6.2 (7)",
                    obj(&e.dn),
                    &e.dn,
                    format!("contained {depth} EEs deep: at most three layers (host OS, VMM, VM)"),
                ));
            }
            if e.dependency.is_some() && !e.is_migratable() {
                return Err(assumption(
                    "§6.2 (1), (3)",
                    obj(&e.dn),
                    &e.dn,
                    "has a dependency but is not a child of the domain: every dependency must be the migration dependency of a VM".into(),
                ));
            }
            if let Some(d) = &e.dependency {
                for &sp in &d.sponsors {
                    if cfg.ees[sp].is_migratable() {
                        return Err(assumption(
                            "§6.2 (2)",
                            obj(&e.dn),
                            &e.dn,
                            format!(
                                "its sponsor {} is itself a migratable VM; sponsors are VMMs",
                                cfg.ees[sp].dn
                            ),
                        ));
                    }
                }
            }
        }
        let parent_in = |cfg: &SystemConfig, i: Option<usize>| {
            i.and_then(|i| cfg.ees[i].parent)
                .map(|p| index[&cfg.ees[p].dn])
        };
        ee.s_parent = parent_in(&scfg, ee.s);
        ee.t_parent = parent_in(&tcfg, ee.t);
        if let (Some(s), Some(t)) = (ee.s, ee.t)
            && scfg.ees[s].is_migratable() != tcfg.ees[t].is_migratable()
        {
            return Err(assumption(
                "§6.2 (1)",
                obj(&ee.dn),
                &ee.dn,
                "is a migratable VM in one configuration and not in the other".into(),
            ));
        }
    }
    let ops: Vec<Op> = ees.iter().map(|e| e.op).collect();
    let op_of = |dn: &str| index.get(dn).map(|&k| ops[k]);
    let type_of =
        |cfg: &SystemConfig, dn: &str| cfg.ee(dn).and_then(|i| cfg.ees[i].ee_type.clone());
    // May upper type/bundle `u` run on lower EE type `l` according to `cfg`'s compatibility?
    let fits = |cfg: &SystemConfig, u: &Option<String>, l: &Option<String>| {
        u.as_deref().is_none_or(|u| cfg.compatible(u, l.as_deref()))
    };
    // Every VM of the target can run on one of its sponsors (§5.2.1 (5)).
    for e in &tcfg.ees {
        if let (true, Some(d)) = (e.is_migratable(), &e.dependency)
            && !d
                .sponsors
                .iter()
                .any(|&s| fits(&tcfg, &e.ee_type, &tcfg.ees[s].ee_type))
        {
            return Err(assumption(
                "§5.2.1 (5)",
                target.get(&e.dn),
                &e.dn,
                "no sponsor of the target configuration is compatible with its type".into(),
            ));
        }
    }

    // §5.3.2 / §6.4.4: catching.
    let mut caught: Vec<(usize, usize)> = Vec::new(); // (VM entry, sponsor entry)
    for (k, ee) in ees.iter().enumerate() {
        let (op, s, t) = (ee.op, ee.s, ee.t);
        let dn = ee.dn.clone();
        let migratable = s.map(|i| scfg.ees[i].is_migratable()).unwrap_or(false)
            || t.map(|i| tcfg.ees[i].is_migratable()).unwrap_or(false);
        if !migratable || op == Op::NoOp {
            continue;
        }
        let names = |cfg: &SystemConfig, i: Option<usize>| -> Vec<String> {
            i.and_then(|i| cfg.ees[i].dependency.as_ref())
                .map(|d| d.sponsors.iter().map(|&x| cfg.ees[x].dn.clone()).collect())
                .unwrap_or_default()
        };
        let pick = |cands: Vec<String>, prefs: &[Op], ok: &dyn Fn(&str) -> bool| {
            prefs.iter().find_map(|p| {
                cands
                    .iter()
                    .find(|c| op_of(c) == Some(*p) && ok(c))
                    .cloned()
            })
        };
        let vm_old = s.and_then(|i| scfg.ees[i].ee_type.clone());
        let vm_new = t.and_then(|i| tcfg.ees[i].ee_type.clone());
        let chosen = match op {
            Op::Remove => pick(
                names(&scfg, s),
                &[Op::Remove, Op::NoOp, Op::Modify],
                &|_| true,
            ),
            Op::Modify => {
                let cands = names(&scfg, s);
                let both = |c: &str| {
                    fits(&scfg, &vm_old, &type_of(&scfg, c))
                        && fits(&tcfg, &vm_new, &type_of(&tcfg, c))
                };
                let chosen = pick(cands.clone(), &[Op::NoOp, Op::Modify], &both)
                    .or_else(|| pick(cands, &[Op::NoOp, Op::Modify], &|_| true));
                if chosen.is_none() {
                    return Err(assumption(
                        "§5.2.1 (5), §5.3.2",
                        obj(&dn),
                        &dn,
                        "is modified but none of its sponsors is kept (unchanged or modified) to catch it on".into(),
                    ));
                }
                chosen
            }
            Op::Add => {
                // Additions run first, on the lower layers as they are then (§5.2.1 (4)).
                let then = |c: &str| {
                    if op_of(c) == Some(Op::Add) {
                        type_of(&tcfg, c)
                    } else {
                        type_of(&scfg, c)
                    }
                };
                let chosen = pick(names(&tcfg, t), &[Op::Add, Op::NoOp, Op::Modify], &|c| {
                    fits(&tcfg, &vm_new, &then(c))
                });
                if chosen.is_none() {
                    return Err(assumption(
                        "§5.2.1 (4)",
                        obj(&dn),
                        &dn,
                        "is added but no sponsor can host its type when the additions run (before any modification)".into(),
                    ));
                }
                chosen
            }
            Op::NoOp => None,
        };
        let Some(c) = chosen else { continue };
        caught.push((k, index[&c]));
    }
    for &(k, sk) in &caught {
        if ees[k].op != Op::Add {
            ees[k].s_parent = Some(sk);
        }
        if ees[k].op != Op::Remove {
            ees[k].t_parent = Some(sk);
        }
    }

    // AMF and CLM objects hosted by each EE (§6.5.2), and changes outside them.
    let hosted = |imm: &Imm, cfg: &SystemConfig, ee_dn: &str| -> Vec<String> {
        let mut roots: Vec<String> = Vec::new();
        for clm in imm
            .of_class("SaClmNode")
            .filter(|o| o.value("saClmNodeEE") == Some(ee_dn))
        {
            roots.push(clm.dn.clone());
            for amf in imm
                .of_class("SaAmfNode")
                .filter(|o| o.value("saAmfNodeClmNode") == Some(clm.dn.as_str()))
            {
                roots.push(amf.dn.clone());
                let n = cfg.node(&amf.dn);
                for su in &cfg.sus {
                    if n.is_some() && su.host == SuHost::Node(n.expect("checked")) {
                        roots.push(su.dn.clone());
                    }
                }
            }
        }
        roots
    };
    // Objects at or under `roots` (DN suffix), not EEs.
    let subtree = |imm: &Imm, roots: &[String]| -> Vec<String> {
        let mut v: Vec<&ImmObject> = imm
            .objects()
            .iter()
            .filter(|o| o.class != "SaPlmEE")
            .filter(|o| {
                roots
                    .iter()
                    .any(|r| o.dn == *r || o.dn.ends_with(&format!(",{r}")))
            })
            .collect();
        v.sort_by_key(|o| rdns(&o.dn).len());
        v.into_iter().map(|o| o.dn.clone()).collect()
    };
    let mut owner: BTreeMap<String, usize> = BTreeMap::new();
    for (k, e) in ees.iter().enumerate() {
        let mut objs = Vec::new();
        if e.s.is_some() {
            let r = hosted(source, &scfg, &e.dn);
            objs.extend(subtree(source, &r));
        }
        if e.t.is_some() {
            let r = hosted(target, &tcfg, &e.dn);
            objs.extend(subtree(target, &r));
        }
        // The EE's own non-EE children (its dependency) belong to it too.
        for imm in [source, target] {
            objs.extend(
                imm.children(&e.dn)
                    .filter(|o| o.class != "SaPlmEE")
                    .map(|o| o.dn.clone()),
            );
        }
        for o in objs {
            owner.entry(o).or_insert(k);
        }
    }
    let all_dns: BTreeSet<&str> = source
        .objects()
        .iter()
        .chain(target.objects())
        .map(|o| o.dn.as_str())
        .collect();
    for dn in all_dns {
        let (a, b) = (source.get(dn), target.get(dn));
        let o = a.or(b).expect("from one of them");
        if o.class == "SaPlmEE"
            || o.class == "SmfcheckCompatibility"
            || o.class == "SaSmfSwBundle"
            || same_object(a, b)
        {
            continue;
        }
        match owner.get(dn) {
            Some(&k) => {
                let ee = &ees[k];
                // An SU (with its components) may also come or go on an EE that is modified:
                // its own nested step in that EE's procedure adds or removes it.
                let in_su = rdns(dn).iter().any(|r| r.starts_with("safSu="));
                let ok = match (a.is_some(), b.is_some()) {
                    (false, true) => ee.op == Op::Add || (ee.op == Op::Modify && in_su),
                    (true, false) => ee.op == Op::Remove || (ee.op == Op::Modify && in_su),
                    _ => {
                        ee.op == Op::Modify && matches!(o.class.as_str(), "SaAmfSU" | "SaAmfComp")
                            || o.class == "SaPlmDependency"
                    }
                };
                if !ok {
                    return Err(assumption(
                        "§6.5.2",
                        b.or(a),
                        dn,
                        format!(
                            "changes ({}) but its EE {} is {:?}: AMF entities are added, removed or modified together with the EE that hosts them (on a modified EE: SUs and their components only)",
                            match (a.is_some(), b.is_some()) {
                                (false, true) => "added",
                                (true, false) => "removed",
                                _ => "modified",
                            },
                            ee.dn,
                            ee.op
                        ),
                    ));
                }
            }
            None if is_type_class(&o.class) && !(a.is_some() && b.is_some()) => {}
            None => {
                return Err(assumption(
                    "§6.5.2",
                    b.or(a),
                    dn,
                    "changes but is neither a type, a bundle, nor hosted by an EE: the generator only adds, removes and modifies EEs and what they host".into(),
                ));
            }
        }
    }

    // Tree traversal in pre-order (configuration order; caught VMs after a VMM's own children).
    let children = |parent_of: &dyn Fn(&Ee) -> Option<usize>, exists: &dyn Fn(&Ee) -> bool| {
        let mut ch: Vec<Vec<usize>> = vec![Vec::new(); ees.len() + 1];
        for (k, e) in ees.iter().enumerate() {
            if exists(e) {
                ch[parent_of(e).unwrap_or(ees.len())].push(k);
            }
        }
        ch
    };
    let s_children = children(&|e| e.s_parent, &|e| e.s.is_some());
    let t_children = children(&|e| e.t_parent, &|e| e.t.is_some());
    fn preorder(ch: &[Vec<usize>], at: usize, out: &mut Vec<usize>) {
        for &c in &ch[at] {
            out.push(c);
            preorder(ch, c, out);
        }
    }
    let mut s_order = Vec::new();
    preorder(&s_children, ees.len(), &mut s_order);
    let mut t_order = Vec::new();
    preorder(&t_children, ees.len(), &mut t_order);
    let ancestors = |k: usize, parent_of: &dyn Fn(&Ee) -> Option<usize>| {
        let mut v = Vec::new();
        let mut p = parent_of(&ees[k]);
        while let Some(x) = p {
            v.push(x);
            p = parent_of(&ees[x]);
        }
        v
    };

    let mut roots: Vec<(&str, usize, bool)> = Vec::new(); // (kind, root, in target tree)
    for &k in &t_order {
        if ees[k].op == Op::Add && ees[k].t_parent.is_none_or(|p| ees[p].op != Op::Add) {
            roots.push(("Add", k, true));
        }
    }
    for &k in &s_order {
        if ees[k].op == Op::Modify
            && ancestors(k, &|e| e.s_parent)
                .iter()
                .all(|&a| ees[a].op == Op::NoOp)
        {
            roots.push(("Modify", k, false));
        }
    }
    for &k in &s_order {
        let anc = ancestors(k, &|e| e.s_parent);
        if ees[k].op == Op::Remove
            && anc.first().is_none_or(|&p| ees[p].op != Op::Remove)
            && anc.iter().all(|&a| ees[a].op != Op::Modify)
        {
            roots.push(("Remove", k, false));
        }
    }

    if roots.is_empty() {
        return Err(Error::Usage(
            "the target adds, removes and modifies no EE: there is nothing to upgrade (a campaign needs at least one procedure)".into(),
        ));
    }
    // The procedures.
    let mut procedures = Vec::new();
    let mut proc_els = Vec::new();
    let mut used_bundles: BTreeSet<String> = BTreeSet::new();
    let mut bundles = Bundles::new(source, target);
    for (level, &(kind, root, in_target)) in roots.iter().enumerate() {
        let ch = if in_target { &t_children } else { &s_children };
        // Tree levels of the sub-tree, root (lowest layer) first.
        let mut levels: Vec<Vec<usize>> = vec![vec![root]];
        loop {
            let next: Vec<usize> = levels
                .last()
                .expect("non-empty")
                .iter()
                .flat_map(|&k| ch[k].iter().copied())
                .collect();
            if next.is_empty() {
                break;
            }
            levels.push(next);
        }
        // One nested step per tree level and kind of change (outermost = upper layer first).
        // (what, EEs, SUs): an EE nested step, or (EEs empty) an SU nested step.
        let mut nested: Vec<(Op, Vec<usize>, Vec<String>)> = Vec::new();
        let su_dns = |imm: &Imm, cfg: &SystemConfig, ee: &str| -> Vec<String> {
            hosted(imm, cfg, ee)
                .into_iter()
                .filter(|d| imm.get(d).is_some_and(|o| o.class == "SaAmfSU"))
                .collect()
        };
        for lv in levels.iter().rev() {
            // SUs that come or go on a modified EE of this level: a nested step of their own,
            // above the EE's (§6.5.2: the AMF changes go with the EE's procedure; the SU layer
            // sits on the EE, so it is torn down first and built up last).
            let (mut gone, mut new_sus) = (Vec::new(), Vec::new());
            for &k in lv {
                if ees[k].op != Op::Modify {
                    continue;
                }
                gone.extend(
                    su_dns(source, &scfg, &ees[k].dn)
                        .into_iter()
                        .filter(|d| target.get(d).is_none()),
                );
                new_sus.extend(
                    su_dns(target, &tcfg, &ees[k].dn)
                        .into_iter()
                        .filter(|d| source.get(d).is_none()),
                );
            }
            if !gone.is_empty() {
                nested.push((Op::Remove, Vec::new(), gone));
            }
            if !new_sus.is_empty() {
                nested.push((Op::Add, Vec::new(), new_sus));
            }
            let mut groups: BTreeMap<(Op, Option<String>, Option<String>), Vec<usize>> =
                BTreeMap::new();
            for &k in lv {
                let e = &ees[k];
                if e.op == Op::NoOp {
                    continue;
                }
                let old = e.s.and_then(|i| scfg.ees[i].ee_type.clone());
                let new = e.t.and_then(|i| tcfg.ees[i].ee_type.clone());
                groups.entry((e.op, old, new)).or_default().push(k);
            }
            nested.extend(
                groups
                    .into_iter()
                    .map(|((op, _, _), ks)| (op, ks, Vec::new())),
            );
        }
        let name = proc_name(kind, &ees[root].dn);
        let mut single = El::new("singleStepUpgrade");
        let mut summary = Vec::new();
        for (op, ks, su_step) in &nested {
            if ks.is_empty() {
                summary.push((*op, su_step.clone()));
                let scope = if *op == Op::Add {
                    let mut au = El::new("activationUnit")
                        .child(El::new("actedOn").children(by_name(su_step.clone())));
                    for o in subtree(target, su_step) {
                        if let Some(x) = target.get(&o) {
                            au.push(create("added", target, x));
                        }
                    }
                    El::new("forAddRemove")
                        .child(El::new("deactivationUnit"))
                        .child(au)
                } else {
                    El::new("forAddRemove")
                        .child(
                            El::new("deactivationUnit")
                                .child(El::new("actedOn").children(by_name(su_step.clone())))
                                .child(El::new("removed").children(by_name(su_step.clone()))),
                        )
                        .child(El::new("activationUnit"))
                };
                single.push(El::new("upgradeScope").child(scope));
                single.push(
                    El::new("upgradeStep")
                        .attr("saSmfStepMaxRetry", "1")
                        .attr("saSmfStepInPhaseStep", "1"),
                );
                continue;
            }
            let dns: Vec<String> = ks.iter().map(|&k| ees[k].dn.clone()).collect();
            summary.push((*op, dns.clone()));
            let first = &ees[ks[0]];
            let old_type = first.s.and_then(|i| scfg.ees[i].ee_type.clone());
            let new_type = first.t.and_then(|i| tcfg.ees[i].ee_type.clone());
            let mut sus: Vec<String> = Vec::new();
            for &k in ks {
                let (imm, cfg) = if ees[k].t.is_some() && *op != Op::Remove {
                    (target, &tcfg)
                } else {
                    (source, &scfg)
                };
                sus.extend(
                    hosted(imm, cfg, &ees[k].dn)
                        .into_iter()
                        .filter(|d| imm.get(d).is_some_and(|o| o.class == "SaAmfSU")),
                );
            }
            let scope = match op {
                Op::Modify => {
                    let mut au = El::new("activationUnit");
                    let mut acted = by_name(dns.clone());
                    // Modified SUs go with their EE (§6.5.2).
                    let modified_sus: Vec<&String> = sus
                        .iter()
                        .filter(|d| {
                            source.get(d).is_some()
                                && target.get(d).is_some()
                                && !same_object(source.get(d), target.get(d))
                        })
                        .collect();
                    acted.extend(by_name(modified_sus.iter().map(|d| (*d).clone())));
                    au.push(El::new("actedOn").children(acted));
                    if old_type != new_type {
                        let (Some(o), Some(n)) = (&old_type, &new_type) else {
                            return Err(assumption(
                                "§6.4.2",
                                obj(&first.dn),
                                &first.dn,
                                "an EE without saPlmEEType cannot be upgraded".into(),
                            ));
                        };
                        let ob = bundles.of(Side::Source, o)?;
                        let nb = bundles.of(Side::Target, n)?;
                        used_bundles.insert(ob.clone());
                        used_bundles.insert(nb.clone());
                        au.push(El::new("swRemove").attr("bundleDN", ob));
                        au.push(El::new("swAdd").attr("bundleDN", nb));
                    }
                    let mut fm = El::new("forModify").child(au);
                    // The EE's changed attributes, on the entities of its old type.
                    let (a, b) = (
                        source.get(&first.dn).expect("modified"),
                        target.get(&first.dn).expect("modified"),
                    );
                    fm.push(template(target, old_type.as_deref().unwrap_or(""), a, b));
                    for d in modified_sus {
                        let (a, b) = (
                            source.get(d).expect("modified"),
                            target.get(d).expect("modified"),
                        );
                        if a.value("saAmfSUType").is_none() {
                            return Err(assumption(
                                "§6.5.2",
                                Some(b),
                                d,
                                "a modified SU without saAmfSUType cannot be written as a targetEntityTemplate".into(),
                            ));
                        }
                        fm.push(template(target, a.value("saAmfSUType").unwrap_or(""), a, b));
                    }
                    fm
                }
                Op::Add => {
                    let mut au = El::new("activationUnit");
                    let mut acted = by_name(dns.clone());
                    acted.extend(by_name(sus.clone()));
                    au.push(El::new("actedOn").children(acted));
                    for &k in ks {
                        let dn = &ees[k].dn;
                        let mut objs = vec![dn.clone()];
                        objs.extend(subtree(target, std::slice::from_ref(dn)));
                        objs.extend(subtree(target, &hosted(target, &tcfg, dn)));
                        for o in objs {
                            let Some(x) = target.get(&o) else { continue };
                            if x.class == "SaPlmEE" && o != *dn {
                                continue;
                            }
                            let mut el = create("added", target, x);
                            // An added VM is added on one sponsor (§5.3.2).
                            if x.class == "SaPlmDependency"
                                && let Some(&(_, sk)) = caught.iter().find(|(v, _)| *v == k)
                            {
                                el = create_with_deps(target, x, &ees[sk].dn);
                            }
                            au.push(el);
                        }
                    }
                    if let Some(n) = &new_type {
                        let nb = bundles.of(Side::Target, n)?;
                        used_bundles.insert(nb.clone());
                        au.push(El::new("swAdd").attr("bundleDN", nb));
                    }
                    El::new("forAddRemove")
                        .child(El::new("deactivationUnit"))
                        .child(au)
                }
                Op::Remove => {
                    let mut du = El::new("deactivationUnit");
                    let mut acted = by_name(dns.clone());
                    acted.extend(by_name(sus.clone()));
                    du.push(El::new("actedOn").children(acted));
                    let mut removed = dns.clone();
                    for &k in ks {
                        removed.extend(hosted(source, &scfg, &ees[k].dn));
                    }
                    du.push(El::new("removed").children(by_name(removed)));
                    if let Some(o) = &old_type {
                        let ob = bundles.of(Side::Source, o)?;
                        used_bundles.insert(ob.clone());
                        du.push(El::new("swRemove").attr("bundleDN", ob));
                    }
                    El::new("forAddRemove")
                        .child(du)
                        .child(El::new("activationUnit"))
                }
                Op::NoOp => unreachable!("unchanged EEs get no nested step"),
            };
            single.push(El::new("upgradeScope").child(scope));
            single.push(
                El::new("upgradeStep")
                    .attr("saSmfStepMaxRetry", "1")
                    .attr("saSmfStepInPhaseStep", "1"),
            );
        }
        proc_els.push(
            El::new("upgradeProcedure")
                .attr("safSmfProcedure", &name)
                .attr("saSmfExecLevel", level.to_string())
                .child(
                    El::new("outageInfo")
                        .child(El::new("acceptableServiceOutage").child(El::new("none")))
                        .child(El::new("procedurePeriod").attr("saSmfProcPeriod", "600000000000")),
                )
                .child(El::new("upgradeMethod").child(single)),
        );
        procedures.push(ProcSummary {
            name,
            exec_level: level as u32,
            nested: summary,
        });
    }

    // §6.5.1: initialisation.
    let new_objs = |a: &Imm, b: &Imm, pred: &dyn Fn(&ImmObject) -> bool| -> Vec<ImmObject> {
        let mut v: Vec<ImmObject> = b
            .objects()
            .iter()
            .filter(|o| a.get(&o.dn).is_none() && pred(o))
            .cloned()
            .collect();
        v.sort_by_key(|o| rdns(&o.dn).len());
        v
    };
    let is_type = |o: &ImmObject| is_type_class(&o.class) && !owner.contains_key(&o.dn);
    let is_bundle = |o: &ImmObject| o.class == "SaSmfSwBundle";
    let mut init = El::new("campaignInitialization");
    let mut added_bundles = new_objs(source, target, &is_bundle);
    // Derived bundles after the configured ones, so that inputs with bundles for every type
    // give the same campaign as before bundles were derived.
    added_bundles.extend(bundles.derived.iter().map(derived_bundle_object));
    // The XSD requires addToImm, even when empty.
    init.push(El::new("addToImm").children(added_bundles.iter().map(software_bundle)));
    let added_types = new_objs(source, target, &is_type);
    if !added_types.is_empty() {
        init.push(
            El::new("campInitAction").child(ccb(added_types
                .iter()
                .map(|o| create("create", target, o))
                .collect())),
        );
    }
    let dep_of = |imm: &Imm, vm: &str| -> Option<String> {
        imm.children(vm)
            .find(|o| o.class == "SaPlmDependency")
            .map(|o| o.dn.clone())
    };
    let catching: Vec<El> = caught
        .iter()
        .filter(|(v, _)| ees[*v].op != Op::Add)
        .filter_map(|&(v, sk)| {
            dep_of(source, &ees[v].dn).map(|d| dep_modify(&d, &[ees[sk].dn.clone()]))
        })
        .collect();
    if !catching.is_empty() {
        init = init
            .comment("Catching the VMs (§5.3.2, §6.5.1, Fig. 7.7): each on one sponsor")
            .child(El::new("campInitAction").child(ccb(catching)));
    }

    // §6.5.3: wrap-up.
    let mut released = Vec::new();
    let mut release_ops = Vec::new();
    for (k, e) in ees.iter().enumerate() {
        let Some(t) = e.t else { continue };
        let Some(d) = &tcfg.ees[t].dependency else {
            continue;
        };
        if !tcfg.ees[t].is_migratable() {
            continue;
        }
        let want: Vec<String> = d.sponsors.iter().map(|&x| tcfg.ees[x].dn.clone()).collect();
        let now: Vec<String> = match caught.iter().find(|(v, _)| *v == k) {
            Some(&(_, sk)) => vec![ees[sk].dn.clone()],
            None => {
                e.s.and_then(|s| scfg.ees[s].dependency.as_ref())
                    .map(|sd| {
                        sd.sponsors
                            .iter()
                            .map(|&x| scfg.ees[x].dn.clone())
                            .collect()
                    })
                    .unwrap_or_default()
            }
        };
        if now != want {
            release_ops.push(dep_modify(&d.dn, &want));
            released.push((e.dn.clone(), want));
        }
    }
    let mut wrapup = El::new("campaignWrapup").child(El::new("waitToCommit"));
    if !release_ops.is_empty() {
        wrapup = wrapup
            .comment("Releasing the VMs (§5.3.4, §6.5.3, Fig. 7.10): the target's dependencies")
            .child(El::new("campWrapupAction").child(ccb(release_ops)));
    }
    let mut old_types = new_objs(target, source, &is_type);
    old_types.reverse();
    if !old_types.is_empty() {
        wrapup.push(
            El::new("campWrapupAction").child(ccb(old_types
                .iter()
                .map(|o| El::new("delete").attr("objectDN", &o.dn))
                .collect())),
        );
    }
    wrapup.push(El::new("waitToAllowNewCampaign"));
    let mut old_bundles: Vec<String> = new_objs(target, source, &is_bundle)
        .into_iter()
        .map(|o| o.dn)
        .filter(|b| !bundles.for_target.contains(b))
        .collect();
    // A bundle derived for an old type leaves the IMM with its type (deleted above when the
    // target does not hold it); while the type stays, the bundle stays as the record of the
    // software still installed for it. Declaring it at all (rather than omitting the swRemove)
    // keeps the step's removal of the old software, as §6.5.2 writes it, with the scripts SMF
    // needs to run it.
    old_bundles.extend(
        bundles
            .derived
            .iter()
            .filter(|d| d.in_source && !d.in_target && target.get(&d.ee_type).is_none())
            .map(|d| d.bundle.clone()),
    );
    // The XSD requires removeFromImm, even when empty.
    {
        wrapup.push(
            El::new("removeFromImm").children(
                old_bundles
                    .iter()
                    .map(|b| El::new("softwareBundleDN").attr("bundleDN", b)),
            ),
        );
    }
    // A bundle a step uses must exist when it runs: old ones in the source, new ones added,
    // derived ones declared.
    for b in &used_bundles {
        if source.get(b).is_none() && target.get(b).is_none() && !bundles.is_derived(b) {
            return Err(assumption("§6.5.1", None, b, "bundle missing".into()));
        }
    }

    let root = El::new("upgradeCampaign")
        .attr("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance")
        .attr("safSmfCampaign", format!("safSmfCampaign={name}"))
        .child(
            El::new("campaignInfo")
                .child(El::new("campaignPeriod").attr("saSmfCmpgExpectedTime", "3600000000000")),
        )
        .child(init)
        .children(proc_els)
        .child(wrapup);
    let xml = out::document(
        &root,
        "  Generated by smfcheck generate (thesis Chapter 6): initialization catches the VMs,\n  additions first, then one procedure per modified sub-tree, removals last, each an\n  embedded step of in-phase nested steps; the wrap-up releases the VMs.",
    );
    Ok(Generated {
        xml,
        procedures,
        caught: caught
            .iter()
            .map(|&(v, s)| (ees[v].dn.clone(), ees[s].dn.clone()))
            .collect(),
        released,
        derived_bundles: bundles.derived,
    })
}

/// `<added>` of a VM's dependency object with only the sponsor it is added on.
fn create_with_deps(imm: &Imm, o: &ImmObject, sponsor: &str) -> El {
    let mut x = o.clone();
    for a in &mut x.attrs {
        if a.name == "saPlmDepNames" {
            a.values = vec![sponsor.to_string()];
        }
    }
    create("added", imm, &x)
}

/// `<targetEntityTemplate>`: on the entities of type `ty`, replace every attribute that differs
/// between `a` (source) and `b` (target).
fn template(imm: &Imm, ty: &str, a: &ImmObject, b: &ImmObject) -> El {
    let mut mo = El::new("modifyOperation").attr("operation", "SA_IMM_ATTR_VALUES_REPLACE");
    for attr in &b.attrs {
        if a.values(&attr.name) != attr.values.as_slice() && !attr.values.is_empty() {
            mo.push(attribute(imm, &b.class, &attr.name, &attr.values));
        }
    }
    El::new("targetEntityTemplate")
        .child(El::new("type").attr("objectDN", ty))
        .child(mo)
}
