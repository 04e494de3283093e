//! Symmetry reduction of campaign models (issue #11, item 3; docs/semantics.md §16): procedures
//! of one execution level that are identical up to a renaming of the entities they act on —
//! same step cores, same outage allowance, each acting on its own block of EEs, SUs and AMF
//! nodes, in a configuration where swapping two blocks changes nothing (hosting, placement,
//! compatibility, custom actions, initial states, expectations) — can be exchanged in any state
//! without changing what can happen next. SMF runs such procedures in parallel (§2.8.2), so a
//! campaign of P of them has up to P! arrangements of every situation; the explorer stores one
//! representative per arrangement class (the blocks sorted by their contents) instead.
//!
//! Soundness rests on two facts, both checked here before any reduction is used:
//!
//! * every exchange of two blocks is an automorphism of the model: [`Symmetry::detect`] builds
//!   the renaming of each candidate pair of procedures and compares every table of the model
//!   with its image (each table is destructured without `..`, so a new field of the model does
//!   not compile until it is considered here); the exchanges of one procedure with all others
//!   of its class generate every permutation of the class;
//! * every claim judges all procedures and entities alike (the registry quantifies over them;
//!   none names an index), so a state and its representative get the same verdicts.
//!
//! The model's own fixed orders are kept out of it: an EE that is a migratable VM, that a step
//! restarts, or that sponsors a migratable VM is never renamed (the model migrates the first
//! displaced VM and completes the first restart first, an order that is not symmetric). A
//! counterexample is found on representatives and replayed on the concrete states by the
//! explorer, so traces name the real procedures and entities.

use super::actions::{AdminTarget, Effect, Effects};
use super::model::{CampSysState, CampaignModel, ProcSpec, SystemPart};
use super::plan::{DepChange, LayerBinding};
use super::target::TargetExpect;
use crate::step::action::Action;
use crate::system::state::{Host, SysState, Upper, World};
use std::cmp::Ordering;

/// One class of interchangeable procedures with their blocks: `ees[i][j]` is the j-th EE of the
/// block of `procs[i]`, and the exchange of procedures i and i' renames `ees[i][j]` ↔
/// `ees[i'][j]` for every j (likewise SUs and AMF nodes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Class {
    pub procs: Vec<usize>,
    pub ees: Vec<Vec<usize>>,
    pub sus: Vec<Vec<usize>>,
    pub nodes: Vec<Vec<usize>>,
}

/// The symmetry a campaign model has: disjoint classes of interchangeable procedures.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Symmetry {
    pub classes: Vec<Class>,
}

/// A renaming of entities (an involution: a set of swapped pairs, identity elsewhere).
#[derive(Clone, Debug)]
struct Renaming {
    ee: Vec<usize>,
    su: Vec<usize>,
    node: Vec<usize>,
    procs: (usize, usize),
}

impl Renaming {
    fn ee(&self, e: usize) -> usize {
        self.ee.get(e).copied().unwrap_or(e)
    }
    fn su(&self, u: usize) -> usize {
        self.su.get(u).copied().unwrap_or(u)
    }
    fn node(&self, n: usize) -> usize {
        self.node.get(n).copied().unwrap_or(n)
    }
    fn proc(&self, p: usize) -> usize {
        match p {
            _ if p == self.procs.0 => self.procs.1,
            _ if p == self.procs.1 => self.procs.0,
            _ => p,
        }
    }
    /// A bit set over EEs (SUs, nodes) renamed.
    fn bits(&self, set: u128, f: impl Fn(&Self, usize) -> usize) -> Option<u128> {
        let mut out = 0u128;
        let mut rest = set;
        while rest != 0 {
            let i = rest.trailing_zeros() as usize;
            rest &= rest - 1;
            let j = f(self, i);
            if j >= 128 {
                return None;
            }
            out |= 1 << j;
        }
        Some(out)
    }
    fn binding(&self, b: &LayerBinding) -> LayerBinding {
        let LayerBinding {
            ees,
            sus,
            ee_side,
            su_side,
            su_node,
        } = b;
        LayerBinding {
            ees: ees.iter().map(|&e| self.ee(e)).collect(),
            sus: sus.iter().map(|&u| self.su(u)).collect(),
            ee_side: ee_side.clone(),
            su_side: su_side.clone(),
            su_node: su_node.iter().map(|n| n.map(|n| self.node(n))).collect(),
        }
    }
    fn effect(&self, e: &Effect) -> Option<Effect> {
        let target = |t: AdminTarget| -> Option<AdminTarget> {
            Some(match t {
                AdminTarget::Su(u) => AdminTarget::Su(self.su(u)),
                AdminTarget::Node(n) => {
                    AdminTarget::Node(u8::try_from(self.node(n as usize)).ok()?)
                }
                AdminTarget::Group(g) => AdminTarget::Group(g),
                AdminTarget::Si(i) => AdminTarget::Si(i),
            })
        };
        Some(match e {
            Effect::Deps { change, before } => Effect::Deps {
                change: DepChange {
                    vm: self.ee(change.vm),
                    mask: change.mask,
                },
                before: *before,
            },
            Effect::Admin {
                target: t,
                op,
                undo,
            } => Effect::Admin {
                target: target(*t)?,
                op: *op,
                undo: match undo {
                    Some((t, op)) => Some((target(*t)?, *op)),
                    None => None,
                },
            },
            Effect::Delete { sus, sis } => Effect::Delete {
                sus: self.bits(*sus, Self::su)?,
                sis: *sis,
            },
            Effect::Create { sus, sis } => Effect::Create {
                sus: self.bits(*sus, Self::su)?,
                sis: *sis,
            },
            Effect::Im { bit } => Effect::Im { bit: *bit },
        })
    }
    fn effects(&self, list: &[Effect]) -> Option<Vec<Effect>> {
        list.iter().map(|e| self.effect(e)).collect()
    }
    /// The image of a system state: entity slots moved, SI/SG/group/ledger parts unchanged.
    fn state(&self, s: &SysState) -> Option<SysState> {
        let SysState {
            ees,
            sus,
            at,
            allowed,
            placed,
            displaced,
            baseline,
            group_admin,
            nodes_locked,
            si_admin,
            deleted_sus,
            deleted_sis,
            im_done,
            restarting,
        } = s;
        let mut t = s.clone();
        for e in 0..ees.len() {
            let f = self.ee(e);
            t.ees[f] = ees[e];
            t.at[f] = at[e];
            t.allowed[f] = allowed[e];
        }
        for u in 0..sus.len() {
            let f = self.su(u);
            t.sus[f] = sus[u];
            t.placed[f] = placed[u];
        }
        t.displaced = self.bits(*displaced, Self::ee)?;
        t.restarting = self.bits(*restarting, Self::ee)?;
        t.deleted_sus = self.bits(*deleted_sus, Self::su)?;
        t.nodes_locked = self.bits(*nodes_locked, Self::node)?;
        // Fixed by every renaming: SIs, SGs, admin groups, ledger points.
        let _ = (baseline, group_admin, si_admin, deleted_sis, im_done);
        Some(t)
    }
}

/// Which side of an exchange an entity is on.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Mark {
    Free,
    /// Renamed to itself: shared, or reached through a relation from both sides alike.
    Fixed,
    /// In the block of the first procedure of the pair.
    First,
    /// In the block of the second.
    Second,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Ee,
    Su,
    Node,
}

/// Builds the renaming an exchange of two procedures implies: their bindings layer by layer,
/// closed under hosting, placement and the relations between EEs, SUs and nodes.
struct Builder<'a> {
    w: &'a World,
    map: [Vec<usize>; 3],
    mark: [Vec<Mark>; 3],
    queue: Vec<(Kind, usize, usize)>,
    ok: bool,
}

impl<'a> Builder<'a> {
    fn new(w: &'a World, n_ee: usize, n_su: usize, n_node: usize) -> Self {
        let id = |n: usize| (0..n).collect::<Vec<_>>();
        Builder {
            w,
            map: [id(n_ee), id(n_su), id(n_node)],
            mark: [
                vec![Mark::Free; n_ee],
                vec![Mark::Free; n_su],
                vec![Mark::Free; n_node],
            ],
            queue: Vec::new(),
            ok: true,
        }
    }

    /// `x` (first block) is renamed to `y` (second block), or fixed when they are equal.
    fn pair(&mut self, kind: Kind, x: usize, y: usize) {
        let k = kind as usize;
        if x >= self.mark[k].len() || y >= self.mark[k].len() {
            self.ok = false;
            return;
        }
        if x == y {
            match self.mark[k][x] {
                Mark::Free => {
                    self.mark[k][x] = Mark::Fixed;
                    self.queue.push((kind, x, x));
                }
                Mark::Fixed => {}
                _ => self.ok = false,
            }
            return;
        }
        match (self.mark[k][x], self.mark[k][y]) {
            (Mark::Free, Mark::Free) => {
                self.mark[k][x] = Mark::First;
                self.mark[k][y] = Mark::Second;
                self.map[k][x] = y;
                self.map[k][y] = x;
                self.queue.push((kind, x, y));
            }
            (Mark::First, Mark::Second) if self.map[k][x] == y => {}
            _ => self.ok = false,
        }
    }

    fn pairs(&mut self, kind: Kind, xs: &[usize], ys: &[usize]) {
        if xs.len() != ys.len() {
            self.ok = false;
            return;
        }
        for (&x, &y) in xs.iter().zip(ys) {
            self.pair(kind, x, y);
        }
    }

    fn close(&mut self) {
        let w = self.w;
        while let Some((kind, x, y)) = self.queue.pop() {
            if !self.ok {
                return;
            }
            match kind {
                Kind::Ee => {
                    match (&w.ee_host[x], &w.ee_host[y]) {
                        (Host::Platform, Host::Platform) => {}
                        (Host::Parent(a), Host::Parent(b)) => self.pair(Kind::Ee, *a, *b),
                        (
                            Host::Dependent {
                                parent: pa,
                                sponsors: sa,
                                min: ma,
                            },
                            Host::Dependent {
                                parent: pb,
                                sponsors: sb,
                                min: mb,
                            },
                        ) if ma == mb => {
                            match (pa, pb) {
                                (Some(a), Some(b)) => self.pair(Kind::Ee, *a, *b),
                                (None, None) => {}
                                _ => self.ok = false,
                            }
                            self.pairs(Kind::Ee, sa, sb);
                        }
                        // A migratable VM is never renamed (the model migrates the first
                        // displaced VM first).
                        _ if x != y => self.ok = false,
                        _ => {}
                    }
                    if x == y {
                        continue;
                    }
                    // What x hosts or sponsors, matched in index order with what y does.
                    let hosted = |e: usize| -> Vec<usize> {
                        (0..w.ee_host.len())
                            .filter(|&c| match &w.ee_host[c] {
                                Host::Parent(p) => *p == e,
                                Host::Dependent {
                                    parent, sponsors, ..
                                } => *parent == Some(e) || sponsors.contains(&e),
                                _ => false,
                            })
                            .collect()
                    };
                    let (hx, hy) = (hosted(x), hosted(y));
                    self.pairs(Kind::Ee, &hx, &hy);
                    if w.sponsors.iter().any(|s| s.contains(&x) || s.contains(&y)) {
                        // Sponsors of a migratable VM stay (its sponsor list is an order).
                        self.ok = false;
                    }
                    let on = |e: usize| -> Vec<usize> {
                        (0..w.su_nodes.len())
                            .filter(|&u| w.su_nodes[u].contains(&Some(e)))
                            .collect()
                    };
                    let (ux, uy) = (on(x), on(y));
                    self.pairs(Kind::Su, &ux, &uy);
                }
                Kind::Su => {
                    let (a, b) = (&w.su_nodes[x], &w.su_nodes[y]);
                    if a.len() != b.len() {
                        self.ok = false;
                        continue;
                    }
                    for (ea, eb) in a.iter().zip(b) {
                        match (ea, eb) {
                            (Some(ea), Some(eb)) => self.pair(Kind::Ee, *ea, *eb),
                            (None, None) => {}
                            _ => self.ok = false,
                        }
                    }
                    let (na, nb) = (w.su_node_ids[x].clone(), w.su_node_ids[y].clone());
                    self.pairs(Kind::Node, &na, &nb);
                }
                Kind::Node => {
                    if x == y {
                        continue;
                    }
                    let on = |n: usize| -> Vec<usize> {
                        (0..w.su_node_ids.len())
                            .filter(|&u| w.su_node_ids[u].contains(&n))
                            .collect()
                    };
                    let (ux, uy) = (on(x), on(y));
                    self.pairs(Kind::Su, &ux, &uy);
                }
            }
        }
    }

    /// The first block, per kind, in index order.
    fn first(&self, kind: Kind) -> Vec<usize> {
        let k = kind as usize;
        (0..self.mark[k].len())
            .filter(|&x| self.mark[k][x] == Mark::First)
            .collect()
    }
}

/// The number of AMF nodes the model refers to (node ids are indices).
fn node_count(m: &CampaignModel) -> usize {
    let Some(sys) = &m.system else {
        return 0;
    };
    let mut n = 0;
    for ids in &sys.world.su_node_ids {
        n = ids.iter().fold(n, |n, &i| n.max(i + 1));
    }
    for b in sys.bindings.iter().flatten().flatten() {
        n = b.su_node.iter().flatten().fold(n, |n, &i| n.max(i + 1));
    }
    n.max(128 - (sys.effects.initial_nodes_locked.leading_zeros() as usize))
}

/// A procedure's steps as data (the cores carry no entity: layers are abstract).
fn steps_key(p: &ProcSpec) -> String {
    format!("{:?}", p.steps)
}

/// Whether a layer that acts on EEs restarts them somewhere in its walks.
fn restarts(m: &CampaignModel, p: usize, k: usize, l: usize) -> bool {
    let step = &m.procs[p].steps[k].step;
    step.forward
        .iter()
        .chain(&step.rollback)
        .flat_map(|w| &w.ops)
        .any(|op| op.layer as usize == l && matches!(op.action, Action::Restart(_)))
}

impl Symmetry {
    /// The classes of interchangeable procedures of `m` (none when nothing is provably
    /// interchangeable: the reduction is then off).
    pub fn detect(m: &CampaignModel) -> Symmetry {
        let n = m.procs.len();
        let mut classes: Vec<Class> = Vec::new();
        let mut taken = vec![false; n];
        // Entities already in some class's block: classes must not share any.
        let sizes = m.system.as_ref().map_or((0, 0), |s| {
            (s.world.ee_host.len(), s.world.su_node_ids.len())
        });
        let n_node = node_count(m);
        let mut used = [
            vec![false; sizes.0],
            vec![false; sizes.1],
            vec![false; n_node],
        ];
        for p0 in 0..n {
            if taken[p0] {
                continue;
            }
            let key = steps_key(&m.procs[p0]);
            let mut class = Class {
                procs: vec![p0],
                ees: Vec::new(),
                sus: Vec::new(),
                nodes: Vec::new(),
            };
            let mut first: Option<[Vec<usize>; 3]> = None;
            for (p, &done) in taken.iter().enumerate().skip(p0 + 1) {
                if done
                    || m.procs[p].exec_level != m.procs[p0].exec_level
                    || steps_key(&m.procs[p]) != key
                {
                    continue;
                }
                let Some((r, blocks)) = exchange(m, p0, p, n_node) else {
                    continue;
                };
                if first.as_ref().is_some_and(|f| *f != blocks) {
                    continue;
                }
                let second = [
                    blocks[0].iter().map(|&e| r.ee(e)).collect::<Vec<_>>(),
                    blocks[1].iter().map(|&u| r.su(u)).collect(),
                    blocks[2].iter().map(|&x| r.node(x)).collect(),
                ];
                // Blocks of different procedures (and classes) must be disjoint.
                let clash = (0..3).any(|k| second[k].iter().any(|&x| used[k][x]));
                if clash {
                    continue;
                }
                if first.is_none() {
                    let clash0 = (0..3).any(|k| blocks[k].iter().any(|&x| used[k][x]));
                    if clash0 {
                        break;
                    }
                    for k in 0..3 {
                        for &x in &blocks[k] {
                            used[k][x] = true;
                        }
                    }
                    class.ees.push(blocks[0].clone());
                    class.sus.push(blocks[1].clone());
                    class.nodes.push(blocks[2].clone());
                    first = Some(blocks);
                }
                for k in 0..3 {
                    for &x in &second[k] {
                        used[k][x] = true;
                    }
                }
                let [e, u, x] = second;
                class.procs.push(p);
                class.ees.push(e);
                class.sus.push(u);
                class.nodes.push(x);
            }
            if class.procs.len() > 1 {
                for &p in &class.procs {
                    taken[p] = true;
                }
                classes.push(class);
            }
        }
        Symmetry { classes }
    }

    pub fn is_trivial(&self) -> bool {
        self.classes.is_empty()
    }

    /// One line for the report: which procedures are interchangeable.
    pub fn describe(&self, m: &CampaignModel) -> String {
        let classes: Vec<String> = self
            .classes
            .iter()
            .map(|c| {
                let names: Vec<&str> = c.procs.iter().map(|&p| m.procs[p].name.as_str()).collect();
                format!("{{{}}}", names.join(", "))
            })
            .collect();
        format!(
            "symmetry: interchangeable procedures {} (states counted up to their exchange; traces are concrete)",
            classes.join(", ")
        )
    }

    /// Replace `s` by the representative of its class: in every class, the blocks sorted by
    /// their contents (procedure state, then the states of its EEs, SUs and nodes).
    pub fn canonicalize(&self, s: &mut CampSysState) {
        for c in &self.classes {
            let k = c.procs.len();
            let mut order = [0u8; 256];
            let order = &mut order[..k];
            for (i, o) in order.iter_mut().enumerate() {
                *o = i as u8;
            }
            order.sort_by(|&a, &b| cmp_blocks(s, c, a as usize, b as usize));
            if order.iter().enumerate().all(|(i, &o)| i == o as usize) {
                continue;
            }
            // Only the class's blocks move: procedures by value (no clone of their runs), the
            // entity slots through one buffer of their old values.
            let mut old: Vec<Option<super::model::ProcRt>> = c
                .procs
                .iter()
                .map(|&p| Some(std::mem::take(&mut s.procs[p])))
                .collect();
            for (i, &o) in order.iter().enumerate() {
                s.procs[c.procs[i]] = old[o as usize].take().expect("each block moves once");
            }
            let Some(st) = s.sys.as_mut() else {
                continue;
            };
            let mut vals: Vec<u8> = Vec::with_capacity(k * 4);
            let mut bits: Vec<bool> = Vec::with_capacity(k * 4);
            for i in 0..k {
                for &e in &c.ees[i] {
                    vals.extend([st.ees[e].0, st.at[e], st.allowed[e]]);
                    bits.extend([bit(st.displaced, e) != 0, bit(st.restarting, e) != 0]);
                }
                for &u in &c.sus[i] {
                    vals.extend([st.sus[u].0, st.placed[u]]);
                    bits.push(bit(st.deleted_sus, u) != 0);
                }
                for &n in &c.nodes[i] {
                    bits.push(bit(st.nodes_locked, n) != 0);
                }
            }
            // Where block o's values start in the buffers.
            let per_vals = 3 * c.ees[0].len() + 2 * c.sus[0].len();
            let per_bits = 2 * c.ees[0].len() + c.sus[0].len() + c.nodes[0].len();
            for (i, &o) in order.iter().enumerate() {
                let o = o as usize;
                let mut v = vals[o * per_vals..].iter().copied();
                let mut b = bits[o * per_bits..].iter().copied();
                for &e in &c.ees[i] {
                    st.ees[e] = crate::step::action::LayerState(v.next().expect("value"));
                    st.at[e] = v.next().expect("value");
                    st.allowed[e] = v.next().expect("value");
                    set_bit(&mut st.displaced, e, b.next().expect("bit"));
                    set_bit(&mut st.restarting, e, b.next().expect("bit"));
                }
                for &u in &c.sus[i] {
                    st.sus[u] = crate::step::action::LayerState(v.next().expect("value"));
                    st.placed[u] = v.next().expect("value");
                    set_bit(&mut st.deleted_sus, u, b.next().expect("bit"));
                }
                for &n in &c.nodes[i] {
                    set_bit(&mut st.nodes_locked, n, b.next().expect("bit"));
                }
            }
        }
    }
}

fn set_bit(set: &mut u128, i: usize, on: bool) {
    *set = (*set & !(1 << i)) | ((on as u128) << i);
}

fn bit(set: u128, i: usize) -> u128 {
    (set >> i) & 1
}

/// Total order on the blocks of a class in one state (everything the exchange moves).
fn cmp_blocks(s: &CampSysState, c: &Class, a: usize, b: usize) -> Ordering {
    let by_proc = s.procs[c.procs[a]].cmp(&s.procs[c.procs[b]]);
    if by_proc != Ordering::Equal {
        return by_proc;
    }
    let Some(st) = &s.sys else {
        return Ordering::Equal;
    };
    for (&x, &y) in c.ees[a].iter().zip(&c.ees[b]) {
        let o = (
            st.ees[x],
            st.at[x],
            st.allowed[x],
            bit(st.displaced, x),
            bit(st.restarting, x),
        )
            .cmp(&(
                st.ees[y],
                st.at[y],
                st.allowed[y],
                bit(st.displaced, y),
                bit(st.restarting, y),
            ));
        if o != Ordering::Equal {
            return o;
        }
    }
    for (&x, &y) in c.sus[a].iter().zip(&c.sus[b]) {
        let o = (st.sus[x], st.placed[x], bit(st.deleted_sus, x)).cmp(&(
            st.sus[y],
            st.placed[y],
            bit(st.deleted_sus, y),
        ));
        if o != Ordering::Equal {
            return o;
        }
    }
    for (&x, &y) in c.nodes[a].iter().zip(&c.nodes[b]) {
        let o = bit(st.nodes_locked, x).cmp(&bit(st.nodes_locked, y));
        if o != Ordering::Equal {
            return o;
        }
    }
    Ordering::Equal
}

/// The renaming that exchanges procedures `p0` and `p`, if it is an automorphism of the model,
/// with the first block (EEs, SUs, nodes of `p0` that it renames).
fn exchange(
    m: &CampaignModel,
    p0: usize,
    p: usize,
    n_node: usize,
) -> Option<(Renaming, [Vec<usize>; 3])> {
    let (r, blocks) = match &m.system {
        None => (
            Renaming {
                ee: Vec::new(),
                su: Vec::new(),
                node: Vec::new(),
                procs: (p0, p),
            },
            [Vec::new(), Vec::new(), Vec::new()],
        ),
        Some(sys) => {
            let w = &sys.world;
            let mut b = Builder::new(w, w.ee_host.len(), w.su_node_ids.len(), n_node);
            let (s0, s1) = (&sys.bindings[p0], &sys.bindings[p]);
            if s0.len() != s1.len() {
                return None;
            }
            for (l0, l1) in s0.iter().zip(s1) {
                if l0.len() != l1.len() {
                    return None;
                }
                for (b0, b1) in l0.iter().zip(l1) {
                    if b0.su_node.len() != b1.su_node.len() {
                        return None;
                    }
                    b.pairs(Kind::Ee, &b0.ees, &b1.ees);
                    b.pairs(Kind::Su, &b0.sus, &b1.sus);
                    for (x, y) in b0.su_node.iter().zip(&b1.su_node) {
                        match (x, y) {
                            (Some(x), Some(y)) => b.pair(Kind::Node, *x, *y),
                            (None, None) => {}
                            _ => return None,
                        }
                    }
                }
            }
            b.close();
            if !b.ok {
                return None;
            }
            let blocks = [b.first(Kind::Ee), b.first(Kind::Su), b.first(Kind::Node)];
            let [ee, su, node] = b.map;
            (
                Renaming {
                    ee,
                    su,
                    node,
                    procs: (p0, p),
                },
                blocks,
            )
        }
    };
    // EEs restarted anywhere are never renamed, whichever procedure restarts them.
    if let Some(sys) = &m.system {
        for (q, steps) in sys.bindings.iter().enumerate() {
            for (k, layers) in steps.iter().enumerate() {
                for (l, lb) in layers.iter().enumerate() {
                    if lb.ees.iter().any(|&e| r.ee(e) != e) && restarts(m, q, k, l) {
                        return None;
                    }
                }
            }
        }
    }
    automorphism(m, &r).then_some((r, blocks))
}

/// Whether the renaming `r` (with its exchange of two procedures) maps the model onto itself.
/// Every table is destructured without `..`: a new field must be considered here.
fn automorphism(m: &CampaignModel, r: &Renaming) -> bool {
    let CampaignModel {
        procs,
        levels: _,
        faults: _,
        max_admin_retries: _,
        max_suspends: _,
        system,
        mutant: _,
        por_mutant: _,
        shard: _,
        symmetry: _,
        // Ample sets are chosen on the stored representatives (docs/semantics.md §16).
        por: _,
        layout: _,
    } = m;
    let (a, b) = r.procs;
    let spec = |p: &ProcSpec| {
        let ProcSpec {
            name: _,
            exec_level,
            steps,
            origin: _,
            step_origins: _,
        } = p;
        (*exec_level, format!("{steps:?}"))
    };
    if spec(&procs[a]) != spec(&procs[b]) {
        return false;
    }
    match system {
        None => true,
        Some(sys) => system_invariant(sys, r, procs.len()),
    }
}

fn system_invariant(sys: &SystemPart, r: &Renaming, n_procs: usize) -> bool {
    let SystemPart {
        world,
        bindings,
        outages,
        effects,
        restore_deps,
        initial,
        si_names: _,
        sg_pref: _,
        ee_names: _,
        su_names: _,
        strict: _,
        ee_expected,
        su_expected,
        target,
        ledger: _,
    } = sys;
    // Procedures: bindings renamed, outage allowances equal.
    for q in 0..n_procs {
        let image: Vec<Vec<LayerBinding>> = bindings[q]
            .iter()
            .map(|l| l.iter().map(|b| r.binding(b)).collect())
            .collect();
        if image != bindings[r.proc(q)] || outages[q] != outages[r.proc(q)] {
            return false;
        }
    }
    world_invariant(world, r)
        && effects_invariant(effects, r, n_procs)
        && restore_deps
            .iter()
            .map(|d| DepChange {
                vm: r.ee(d.vm),
                mask: d.mask,
            })
            .eq(restore_deps.iter().cloned())
        && initial_invariant(initial, r)
        && per_entity(ee_expected, |e| r.ee(e))
        && per_entity(su_expected, |u| r.su(u))
        && target.as_ref().is_none_or(|t| target_invariant(t, r))
}

/// `v[f(i)] == v[i]` for every i.
fn per_entity<T: PartialEq>(v: &[T], f: impl Fn(usize) -> usize) -> bool {
    (0..v.len()).all(|i| v.get(f(i)) == Some(&v[i]))
}

fn world_invariant(w: &World, r: &Renaming) -> bool {
    let World {
        ee_host,
        sponsors,
        su_nodes,
        compat,
        su_sg,
        si_sg: _,
        si_locked: _,
        own_ok,
        sg_cap: _,
        sg_sis: _,
        si_rank: _,
        si_pref_active: _,
        si_sponsors: _,
        mutant_in_flight_down: _,
        mutant_capacity_ignored: _,
        su_node_ids,
        su_groups,
    } = w;
    // (SIs and SGs are never renamed: the tables over them alone are unchanged.)
    let host = |h: &Host| -> Host {
        match h {
            Host::Platform => Host::Platform,
            Host::Parent(p) => Host::Parent(r.ee(*p)),
            Host::Migratable => Host::Migratable,
            Host::Dependent {
                parent,
                sponsors,
                min,
            } => Host::Dependent {
                parent: parent.map(|p| r.ee(p)),
                sponsors: sponsors.iter().map(|&s| r.ee(s)).collect(),
                min: *min,
            },
        }
    };
    let n_ee = ee_host.len();
    (0..n_ee).all(|e| {
        let f = r.ee(e);
        f < n_ee
            && ee_host[f] == host(&ee_host[e])
            && sponsors[f] == sponsors[e].iter().map(|&s| r.ee(s)).collect::<Vec<_>>()
            && own_ok[f] == own_ok[e]
    }) && (0..su_nodes.len()).all(|u| {
        let f = r.su(u);
        f < su_nodes.len()
            && su_nodes[f]
                == su_nodes[u]
                    .iter()
                    .map(|e| e.map(|e| r.ee(e)))
                    .collect::<Vec<_>>()
            && su_node_ids[f]
                == su_node_ids[u]
                    .iter()
                    .map(|&n| r.node(n))
                    .collect::<Vec<_>>()
            && su_sg[f] == su_sg[u]
            && su_groups[f] == su_groups[u]
    }) && compat.entries().all(|((upper, lower), bits)| {
        let upper = match upper {
            Upper::Ee(e) => Upper::Ee(r.ee(e)),
            Upper::Su(u) => Upper::Su(r.su(u)),
        };
        compat.bits_of(upper, r.ee(lower)) == bits
    })
}

fn effects_invariant(fx: &Effects, r: &Renaming, n_procs: usize) -> bool {
    let Effects {
        camp_init,
        camp_complete,
        camp_wrapup,
        proc_init,
        proc_wrapup,
        groups,
        created_sus,
        created_sis: _,
        initial_group_admin: _,
        initial_nodes_locked,
    } = fx;
    let same = |list: &[Effect]| r.effects(list).as_deref() == Some(list);
    let per_proc = |v: &[Vec<Effect>]| {
        (0..n_procs).all(|q| match (v.get(q), v.get(r.proc(q))) {
            (Some(x), Some(y)) => r.effects(x).as_ref() == Some(y),
            (None, None) => true,
            _ => false,
        })
    };
    same(camp_init)
        && same(camp_complete)
        && same(camp_wrapup)
        && per_proc(proc_init)
        && per_proc(proc_wrapup)
        && groups.iter().all(|g| {
            let mut a: Vec<usize> = g.sus.iter().map(|&u| r.su(u)).collect();
            let mut b = g.sus.clone();
            a.sort_unstable();
            b.sort_unstable();
            a == b
        })
        && r.bits(*created_sus, Renaming::su) == Some(*created_sus)
        && r.bits(*initial_nodes_locked, Renaming::node) == Some(*initial_nodes_locked)
}

/// The initial states are a set the renaming maps onto itself, and the first of them (what
/// `rollback-restores-source` compares entity states with) is its own image.
fn initial_invariant(initial: &[SysState], r: &Renaming) -> bool {
    let set: std::collections::HashSet<&SysState> = initial.iter().collect();
    let images: Option<Vec<SysState>> = initial.iter().map(|s| r.state(s)).collect();
    let Some(images) = images else {
        return false;
    };
    images.iter().all(|s| set.contains(s))
        && initial.first().zip(images.first()).is_none_or(|(s, t)| {
            s.ees == t.ees
                && s.sus == t.sus
                && s.allowed == t.allowed
                && s.nodes_locked == t.nodes_locked
                && s.deleted_sus == t.deleted_sus
        })
}

fn target_invariant(t: &TargetExpect, r: &Renaming) -> bool {
    let TargetExpect {
        ees,
        sus,
        deps,
        unreachable: _,
        im: _,
    } = t;
    per_entity(ees, |e| r.ee(e)) && per_entity(sus, |u| r.su(u)) && per_entity(deps, |e| r.ee(e))
}
