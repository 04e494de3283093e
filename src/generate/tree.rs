//! The upgrade tree (thesis §6.4.1) and what happens to each of its EEs (§6.4.2).
//!
//! Each configuration is one tree of PLM EEs: the domain is the root; host OSs and
//! live-migratable VMs hang under it; a VMM under its host OS, a plain VM under its VMM. The
//! generator holds both trees over one list of entries, an entry per EE DN of either
//! configuration (source order first), so that an EE present in both is one entry with a parent
//! on each side. Comparing the two sides by DN and attributes gives the EE's operation: ADD,
//! REMOVE, MODIFY or NO_OPERATION (§6.4.2). Building the trees is also where the assumptions
//! about their shape are checked (§6.2 (1)–(4), (7)): what the thesis does not cover is refused
//! rather than guessed at.

use super::Op;
use super::context::{Cx, Side, assumption};
use crate::campaign::target::same_object;
use crate::error::Error;
use crate::system::config::SystemConfig;
use crate::xml::imm::Imm;
use std::collections::BTreeMap;

/// One EE of either configuration.
pub(super) struct Ee {
    pub dn: String,
    pub op: Op,
    /// Its index in the source's and the target's EEs, where it exists.
    pub s: Option<usize>,
    pub t: Option<usize>,
    /// Tree parents (entry indices; `None`: the domain) after catching.
    pub s_parent: Option<usize>,
    pub t_parent: Option<usize>,
}

impl Ee {
    /// Its parent in the `side` tree.
    pub fn parent(&self, side: Side) -> Option<usize> {
        match side {
            Side::Source => self.s_parent,
            Side::Target => self.t_parent,
        }
    }

    /// Whether it is in the `side` tree.
    pub fn is_in(&self, side: Side) -> bool {
        match side {
            Side::Source => self.s.is_some(),
            Side::Target => self.t.is_some(),
        }
    }
}

/// The two trees over one list of entries.
pub(super) struct Tree {
    pub ees: Vec<Ee>,
    /// Entry of each EE DN.
    pub index: BTreeMap<String, usize>,
}

impl Tree {
    /// The trees of the two configurations, each EE with its operation, or the first assumption
    /// the inputs break.
    pub fn build(cx: &Cx) -> Result<Tree, Error> {
        let (source, target, scfg, tcfg) = (cx.source, cx.target, &cx.scfg, &cx.tcfg);
        // §6.2 (4): one domain, the same in both: the common root.
        let domains = |imm: &Imm| -> Vec<String> {
            imm.of_class("SaPlmDomain").map(|o| o.dn.clone()).collect()
        };
        let (sd, td) = (domains(source), domains(target));
        if sd.len() != 1 || sd != td {
            // Name a file: the source's domain, else the target's, else the source's first
            // object.
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
        // Containment and the assumptions about it.
        for ee in ees.iter_mut() {
            for (cfg, side) in [(scfg, ee.s), (tcfg, ee.t)] {
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
                        cx.obj(&e.dn),
                        &e.dn,
                        format!(
                            "contained {depth} EEs deep: at most three layers (host OS, VMM, VM)"
                        ),
                    ));
                }
                if e.dependency.is_some() && !e.is_migratable() {
                    return Err(assumption(
                        "§6.2 (1), (3)",
                        cx.obj(&e.dn),
                        &e.dn,
                        "has a dependency but is not a child of the domain: every dependency must be the migration dependency of a VM".into(),
                    ));
                }
                if let Some(d) = &e.dependency {
                    for &sp in &d.sponsors {
                        if cfg.ees[sp].is_migratable() {
                            return Err(assumption(
                                "§6.2 (2)",
                                cx.obj(&e.dn),
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
            ee.s_parent = parent_in(scfg, ee.s);
            ee.t_parent = parent_in(tcfg, ee.t);
            if let (Some(s), Some(t)) = (ee.s, ee.t)
                && scfg.ees[s].is_migratable() != tcfg.ees[t].is_migratable()
            {
                return Err(assumption(
                    "§6.2 (1)",
                    cx.obj(&ee.dn),
                    &ee.dn,
                    "is a migratable VM in one configuration and not in the other".into(),
                ));
            }
        }
        Ok(Tree { ees, index })
    }

    /// The children of every entry in the `side` tree, in configuration order (caught VMs after
    /// a VMM's own children); the last list, at index `ees.len()`, is the domain's.
    pub fn children(&self, side: Side) -> Vec<Vec<usize>> {
        let mut ch: Vec<Vec<usize>> = vec![Vec::new(); self.ees.len() + 1];
        for (k, e) in self.ees.iter().enumerate() {
            if e.is_in(side) {
                ch[e.parent(side).unwrap_or(self.ees.len())].push(k);
            }
        }
        ch
    }

    /// The entries of the tree with children `ch` in pre-order, without the domain.
    pub fn preorder(&self, ch: &[Vec<usize>]) -> Vec<usize> {
        fn walk(ch: &[Vec<usize>], at: usize, out: &mut Vec<usize>) {
            for &c in &ch[at] {
                out.push(c);
                walk(ch, c, out);
            }
        }
        let mut out = Vec::new();
        walk(ch, self.ees.len(), &mut out);
        out
    }

    /// The ancestors of entry `k` in the `side` tree, nearest first, without the domain.
    pub fn ancestors(&self, k: usize, side: Side) -> Vec<usize> {
        let mut v = Vec::new();
        let mut p = self.ees[k].parent(side);
        while let Some(x) = p {
            v.push(x);
            p = self.ees[x].parent(side);
        }
        v
    }
}
