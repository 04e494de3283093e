//! The AMF and CLM entities an EE hosts, which go with it (thesis §6.5.2): the procedure that
//! adds, removes or modifies an EE adds, removes or modifies what runs on it in the same step.
//! An EE hosts the CLM nodes on it, their AMF nodes and the SUs on those, with everything under
//! them, and its own non-EE children (its dependency). Every change of the configuration outside
//! EEs, types and bundles must be such an entity of an EE changed the same way (on a modified EE:
//! SUs and their components only): anything else is refused, since the generator would not act
//! on it.

use super::Op;
use super::context::{Cx, assumption, is_type_class};
use super::tree::Tree;
use crate::campaign::target::same_object;
use crate::error::Error;
use crate::system::config::{SuHost, SystemConfig};
use crate::xml::imm::{Imm, ImmObject, rdns};
use std::collections::{BTreeMap, BTreeSet};

/// The roots of what EE `ee_dn` hosts in `imm`: its CLM nodes, their AMF nodes, the SUs on
/// those.
pub(super) fn hosted(imm: &Imm, cfg: &SystemConfig, ee_dn: &str) -> Vec<String> {
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
}

/// The SUs among what EE `ee_dn` hosts in `imm`.
pub(super) fn hosted_sus(imm: &Imm, cfg: &SystemConfig, ee_dn: &str) -> Vec<String> {
    hosted(imm, cfg, ee_dn)
        .into_iter()
        .filter(|d| imm.get(d).is_some_and(|o| o.class == "SaAmfSU"))
        .collect()
}

/// Objects at or under `roots` (DN suffix), not EEs, parents first.
pub(super) fn subtree(imm: &Imm, roots: &[String]) -> Vec<String> {
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
}

/// The entry of the EE that hosts each hosted object of either configuration (the first EE
/// that does), once every changed object is known to go with its EE; else the first change that
/// does not.
pub(super) fn owners(cx: &Cx, tree: &Tree) -> Result<BTreeMap<String, usize>, Error> {
    let (source, target) = (cx.source, cx.target);
    let mut owner: BTreeMap<String, usize> = BTreeMap::new();
    for (k, e) in tree.ees.iter().enumerate() {
        let mut objs = Vec::new();
        if e.s.is_some() {
            let r = hosted(source, &cx.scfg, &e.dn);
            objs.extend(subtree(source, &r));
        }
        if e.t.is_some() {
            let r = hosted(target, &cx.tcfg, &e.dn);
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
                let ee = &tree.ees[k];
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
    Ok(owner)
}
