//! The upgrade procedures (thesis §6.5.2): one per maximal ADD sub-tree of the target tree
//! (first), one per MODIFY-rooted hybrid sub-tree of the source tree whose ancestors are
//! unchanged, one per removal-only sub-tree (last), all at sequential execution levels. Each is a
//! single-step procedure whose step is embedded with one in-phase nested step per tree level and
//! kind of change, outermost (upper) layer first (Fig. 7.9), so that a layer is torn down before
//! the one it runs on and built up after it. The AMF entities hosted by the EEs go with them;
//! SUs that come or go on an EE that is only modified get a nested step of their own above the
//! EE's.

use super::bundles::Bundles;
use super::catching::Caught;
use super::context::{Cx, Side, assumption};
use super::elements::{by_name, create, template};
use super::hosted::{hosted, hosted_sus, subtree};
use super::out::El;
use super::tree::Tree;
use super::{Op, ProcSummary};
use crate::campaign::target::same_object;
use crate::error::Error;
use crate::xml::imm::{Imm, ImmObject, rdns};
use std::collections::BTreeMap;

/// The procedures' sub-trees, in execution order: (kind, root entry, whether the sub-tree is
/// the target's), or an error when the target changes no EE.
fn roots(
    tree: &Tree,
    s_order: &[usize],
    t_order: &[usize],
) -> Result<Vec<(&'static str, usize, bool)>, Error> {
    let ees = &tree.ees;
    let mut roots: Vec<(&str, usize, bool)> = Vec::new();
    for &k in t_order {
        if ees[k].op == Op::Add && ees[k].t_parent.is_none_or(|p| ees[p].op != Op::Add) {
            roots.push(("Add", k, true));
        }
    }
    for &k in s_order {
        if ees[k].op == Op::Modify
            && tree
                .ancestors(k, Side::Source)
                .iter()
                .all(|&a| ees[a].op == Op::NoOp)
        {
            roots.push(("Modify", k, false));
        }
    }
    for &k in s_order {
        let anc = tree.ancestors(k, Side::Source);
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
    Ok(roots)
}

/// The `<upgradeProcedure>` elements and their summaries, the bundles they use looked up in
/// `bundles`.
pub(super) fn procedures(
    cx: &Cx,
    tree: &Tree,
    caught: &Caught,
    bundles: &mut Bundles,
) -> Result<(Vec<El>, Vec<ProcSummary>), Error> {
    let (source, target, scfg, tcfg) = (cx.source, cx.target, &cx.scfg, &cx.tcfg);
    let ees = &tree.ees;
    let s_children = tree.children(Side::Source);
    let t_children = tree.children(Side::Target);
    let s_order = tree.preorder(&s_children);
    let t_order = tree.preorder(&t_children);
    let roots = roots(tree, &s_order, &t_order)?;

    let mut procedures = Vec::new();
    let mut proc_els = Vec::new();
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
                    hosted_sus(source, scfg, &ees[k].dn)
                        .into_iter()
                        .filter(|d| target.get(d).is_none()),
                );
                new_sus.extend(
                    hosted_sus(target, tcfg, &ees[k].dn)
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
                    (target, tcfg)
                } else {
                    (source, scfg)
                };
                sus.extend(hosted_sus(imm, cfg, &ees[k].dn));
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
                                cx.obj(&first.dn),
                                &first.dn,
                                "an EE without saPlmEEType cannot be upgraded".into(),
                            ));
                        };
                        let ob = bundles.of(Side::Source, o)?;
                        let nb = bundles.of(Side::Target, n)?;
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
                        objs.extend(subtree(target, &hosted(target, tcfg, dn)));
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
                        removed.extend(hosted(source, scfg, &ees[k].dn));
                    }
                    du.push(El::new("removed").children(by_name(removed)));
                    if let Some(o) = &old_type {
                        let ob = bundles.of(Side::Source, o)?;
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
    Ok((proc_els, procedures))
}

/// The name of a procedure acting on the sub-tree rooted at `dn` (Fig. 7.8:
/// `ModifyUpgradeProcedureAthostOS-1`).
fn proc_name(kind: &str, dn: &str) -> String {
    let value = rdns(dn)[0].split_once('=').map_or(dn, |(_, v)| v);
    format!("safSmfProc={kind}UpgradeProcedureAt{value}")
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
