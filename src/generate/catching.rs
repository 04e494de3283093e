//! Catching and releasing the VMs (thesis §6.4.4, with the VM strategy of §5.3.2 and §5.3.4).
//!
//! A live-migratable VM runs on one of the VMMs of its dependency's `saPlmDepNames` at a time
//! and SMF may move it among them, so a procedure that upgrades a VMM or the VM itself cannot
//! know where the VM is. The campaign therefore catches each VM it acts on: the initialization
//! replaces its sponsors by one, and the VM becomes that VMM's child in the upgrade trees, to be
//! upgraded with it. A removed or modified VM is caught on one sponsor (a modified VM only on a
//! modified or unchanged VMM); an added VM is added on one sponsor. The choice is deterministic:
//! the first sponsor of the VM's `saPlmDepNames` in this preference order — removed VM: a removed
//! VMM, then an unchanged, then a modified one; modified VM: a sponsor compatible with both its
//! old and new type, unchanged or modified; added VM: an added VMM, then an unchanged, then a
//! modified one on which its type may run when additions run (before any modification, §5.2.1
//! assumption 4). The wrap-up releases every VM whose sponsors then differ from the target's.

use super::Op;
use super::context::{Cx, assumption};
use super::tree::Tree;
use crate::error::Error;
use crate::system::config::SystemConfig;

/// (VM entry, sponsor entry) of every caught or added-on-one-sponsor VM, in entry order.
pub(super) type Caught = Vec<(usize, usize)>;

/// A VM the wrap-up gives back the target's sponsors.
pub(super) struct Release {
    pub vm: String,
    /// Its `SaPlmDependency` in the target.
    pub dependency: String,
    pub sponsors: Vec<String>,
}

/// Chooses the sponsor of each VM to catch and hangs the VM under it in `tree`, or refuses a VM
/// that has no sponsor to catch it on.
pub(super) fn catch(cx: &Cx, tree: &mut Tree) -> Result<Caught, Error> {
    let (scfg, tcfg) = (&cx.scfg, &cx.tcfg);
    let ops: Vec<Op> = tree.ees.iter().map(|e| e.op).collect();
    let index = &tree.index;
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
                .any(|&s| fits(tcfg, &e.ee_type, &tcfg.ees[s].ee_type))
        {
            return Err(assumption(
                "§5.2.1 (5)",
                cx.target.get(&e.dn),
                &e.dn,
                "no sponsor of the target configuration is compatible with its type".into(),
            ));
        }
    }

    let mut caught: Caught = Vec::new();
    for (k, ee) in tree.ees.iter().enumerate() {
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
            Op::Remove => pick(names(scfg, s), &[Op::Remove, Op::NoOp, Op::Modify], &|_| {
                true
            }),
            Op::Modify => {
                let cands = names(scfg, s);
                let both = |c: &str| {
                    fits(scfg, &vm_old, &type_of(scfg, c)) && fits(tcfg, &vm_new, &type_of(tcfg, c))
                };
                let chosen = pick(cands.clone(), &[Op::NoOp, Op::Modify], &both)
                    .or_else(|| pick(cands, &[Op::NoOp, Op::Modify], &|_| true));
                if chosen.is_none() {
                    return Err(assumption(
                        "§5.2.1 (5), §5.3.2",
                        cx.obj(&dn),
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
                        type_of(tcfg, c)
                    } else {
                        type_of(scfg, c)
                    }
                };
                let chosen = pick(names(tcfg, t), &[Op::Add, Op::NoOp, Op::Modify], &|c| {
                    fits(tcfg, &vm_new, &then(c))
                });
                if chosen.is_none() {
                    return Err(assumption(
                        "§5.2.1 (4)",
                        cx.obj(&dn),
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
    // The caught VM becomes the VMM's child: it is upgraded in the VMM's procedure.
    for &(k, sk) in &caught {
        if tree.ees[k].op != Op::Add {
            tree.ees[k].s_parent = Some(sk);
        }
        if tree.ees[k].op != Op::Remove {
            tree.ees[k].t_parent = Some(sk);
        }
    }
    Ok(caught)
}

/// The VMs of the target whose sponsors, after the campaign's catching, are not the target's
/// (§5.3.4, §6.5.3): each gets the target's `saPlmDepNames` back in the wrap-up.
pub(super) fn released(cx: &Cx, tree: &Tree, caught: &Caught) -> Vec<Release> {
    let (scfg, tcfg) = (&cx.scfg, &cx.tcfg);
    let mut released = Vec::new();
    for (k, e) in tree.ees.iter().enumerate() {
        let Some(t) = e.t else { continue };
        let Some(d) = &tcfg.ees[t].dependency else {
            continue;
        };
        if !tcfg.ees[t].is_migratable() {
            continue;
        }
        let want: Vec<String> = d.sponsors.iter().map(|&x| tcfg.ees[x].dn.clone()).collect();
        let now: Vec<String> = match caught.iter().find(|(v, _)| *v == k) {
            Some(&(_, sk)) => vec![tree.ees[sk].dn.clone()],
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
            released.push(Release {
                vm: e.dn.clone(),
                dependency: d.dn.clone(),
                sponsors: want,
            });
        }
    }
    released
}
