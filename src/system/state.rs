//! The runtime state of the system under an upgrade and what it means for service (thesis §2.7,
//! §3.1, §5.1, §5.3; docs/semantics.md §7–§11): which execution environments and service units run what,
//! which are locked, where each live-migratable VM is hosted right now, and from that, which SUs
//! are in service, which SIs are provided, and whether anything runs on an incompatible lower
//! layer.
//!
//! Each entity's own state is one [`LayerState`] byte, the same the step core works on, so a step
//! action applies to every entity of its layer unchanged. What depends on other entities (hosting,
//! in-service, availability, compatibility) is derived, never stored. Live migration is explicit:
//! when a VMM leaves service, each migratable VM on it becomes *displaced* and the model must take
//! one migration transition per VM, to any sponsor that is in service and allowed by the current
//! `saPlmDepNames` (every choice is explored), before anything else happens.

use super::config::{EeId, SuHost, SuId, SystemConfig};
use crate::error::Error;
use crate::step::action::{Action, LayerState, Ver};

/// Largest number of sponsors one migratable VM may have (a byte mask in the state).
pub const MAX_SPONSORS: usize = 8;

/// Static facts the derived predicates need, precomputed from the configuration and from what
/// the campaign changes (old and new identity of every entity: bundle or type DN).
#[derive(Clone, Debug)]
pub struct World {
    pub ee_host: Vec<Host>,
    /// For each migratable VM (by EE id), its sponsors in configuration order.
    pub sponsors: Vec<Vec<EeId>>,
    /// For each SU: the EE of each node it may be placed on (None: a node without an EE).
    pub su_nodes: Vec<Vec<Option<EeId>>>,
    /// `compat_ee[e][v][w]`: EE `e` running (or (un)installing) generation `v` may sit on its
    /// host running generation `w` — indexed by `Ver as usize`, for the *current* host.
    /// Hosts differ for migratable VMs, so the table is per (upper, lower) pair.
    pub compat: CompatTable,
    pub su_sg: Vec<usize>,
    pub si_sg: Vec<usize>,
    pub si_locked: Vec<bool>,
    /// `own_ok[e]`: bit `2*v + w` set when an online (un)installation of generation `v` of EE
    /// `e`'s own software may run on `e` while `e` runs generation `w` (a running layer is the
    /// execution environment of its own online operations, §3.2.2, §4.1.2, §4.1.3).
    pub own_ok: Vec<u8>,
    /// What AMF can assign, per SG (§2.3; OpenSAF amfd's assignment loops).
    pub sg_cap: Vec<SgCapacity>,
    /// SIs of each SG in AMF's assignment order: by rank (1 highest, 0 lowest), then in
    /// configuration order.
    pub sg_sis: Vec<Vec<usize>>,
    /// The rank of each SI (0 already mapped to the lowest, `u32::MAX`).
    pub si_rank: Vec<u32>,
    /// `saAmfSIPrefActiveAssignments` of each SI (N-way-active only).
    pub si_pref_active: Vec<u32>,
    /// The SIs each SI depends on (`SaAmfSIDependency`); empty for most.
    pub si_sponsors: Vec<Vec<usize>>,
    /// Seeded defect (tests): a live-migrating VM counts as out of service while in flight.
    pub mutant_in_flight_down: bool,
    /// Seeded defect (tests): an SI is assigned while any SU of its SG is in service.
    pub mutant_capacity_ignored: bool,
    /// For each SU: the AMF node of each place it may be placed on.
    pub su_node_ids: Vec<Vec<usize>>,
    /// For each SU: the admin-operation groups (SGs, applications, AMF nodes a campaign's
    /// custom actions lock) it belongs to (bit per group, ≤ 64).
    pub su_groups: Vec<u64>,
}

/// The assignment capacity of a service group (see [`SysState::sg_assignment`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SgCapacity {
    pub redundancy: super::config::Redundancy,
    /// N+M: `saAmfSGNumPrefActiveSUs` (default 1).
    pub pref_active_sus: u32,
    /// `saAmfSGMaxActiveSIsperSU` (N+M, N-way, N-way-active; unset or 0: no limit).
    pub max_active_per_su: Option<u32>,
    /// `saAmfSGNumPrefInserviceSUs` (unset or 0: every SU of the SG).
    pub pref_inservice: Option<u32>,
}

/// Where an EE runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Host {
    /// Directly on hardware (or on a platform outside the model): always there.
    Platform,
    /// Contained in this EE.
    Parent(EeId),
    /// A live-migratable VM: on one of its sponsors at a time.
    Migratable,
    /// A plain PLM dependency: needs `min` of these sponsors in service (plus its parent, if any).
    Dependent {
        parent: Option<EeId>,
        sponsors: Vec<EeId>,
        min: u32,
    },
}

/// Compatibility between the generations of an upper entity and the generations of a lower EE.
#[derive(Clone, Debug, Default)]
pub struct CompatTable {
    /// Indexed by (upper key, lower EE): 4 bits, bit `2*v + w` set when generation `v` of the
    /// upper is compatible with generation `w` of the lower.
    bits: rustc_hash::FxHashMap<(Upper, EeId), u8>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Upper {
    Ee(EeId),
    Su(SuId),
}

impl CompatTable {
    pub fn set(&mut self, upper: Upper, lower: EeId, v: Ver, w: Ver, ok: bool) {
        let bit = 1u8 << (2 * v as u8 + w as u8);
        let e = self.bits.entry((upper, lower)).or_insert(0b1111);
        if ok {
            *e |= bit;
        } else {
            *e &= !bit;
        }
    }
    /// Every (upper, lower) pair the table restricts, with its bits (symmetry detection
    /// compares the table with its image under a renaming of entities).
    pub fn entries(&self) -> impl Iterator<Item = ((Upper, EeId), u8)> + '_ {
        self.bits.iter().map(|(k, v)| (*k, *v))
    }
    /// The bits of a pair (`0b1111`, all compatible, for a pair the table does not restrict).
    pub fn bits_of(&self, upper: Upper, lower: EeId) -> u8 {
        self.bits.get(&(upper, lower)).copied().unwrap_or(0b1111)
    }
    /// Unknown pairs are compatible (§3.1: compatibility is an input; what it does not restrict
    /// is allowed).
    pub fn ok(&self, upper: Upper, lower: EeId, v: Ver, w: Ver) -> bool {
        self.bits
            .get(&(upper, lower))
            .is_none_or(|b| b & (1 << (2 * v as u8 + w as u8)) != 0)
    }
}

/// Old and new identity (bundle or type DN) of an entity, for compatibility.
#[derive(Clone, Debug, Default)]
pub struct Identity {
    pub old: Option<String>,
    pub new: Option<String>,
}

/// Everything an upper entity runs in each generation, for compatibility (§3.1: "for the
/// installation, the un-installation and the execution of a layer a compatible and running lower
/// layer is required"): an EE's type (`saPlmEEType`) and the bundle a step installs on it; an
/// SU's component software (each component type's `saAmfCtSwBundle`) and the bundles a step
/// adds to or removes from it. An entity no step acts on has the same software in both
/// generations, and it is checked all the same.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Software {
    pub old: Vec<String>,
    pub new: Vec<String>,
    /// The bundles a step (un)installs on the entity itself, per generation (for the
    /// base-type rule of an EE's own online operations).
    pub own_old: Vec<String>,
    pub own_new: Vec<String>,
}

impl World {
    /// Build the derived-predicate tables. `ee_sw[e]` / `su_sw[s]`: what an upper entity runs
    /// in each generation (type and bundle DNs); `ee_type[e]`: the EE type DN of each
    /// generation of a lower EE.
    pub fn new(
        cfg: &SystemConfig,
        ee_sw: &[Software],
        su_sw: &[Software],
        ee_type: &[Identity],
    ) -> Result<World, Error> {
        let ee_host = cfg
            .ees
            .iter()
            .map(|e| match (&e.dependency, e.parent) {
                (Some(_), None) if e.is_migratable() => Host::Migratable,
                (Some(d), parent) => Host::Dependent {
                    parent,
                    sponsors: d.sponsors.clone(),
                    min: d.min,
                },
                (None, Some(p)) => Host::Parent(p),
                (None, None) => Host::Platform,
            })
            .collect::<Vec<_>>();
        let sponsors = cfg
            .ees
            .iter()
            .map(|e| match &e.dependency {
                Some(d) if e.is_migratable() => d.sponsors.clone(),
                _ => Vec::new(),
            })
            .collect();
        let su_nodes: Vec<Vec<Option<EeId>>> = cfg
            .sus
            .iter()
            .map(|s| match &s.host {
                SuHost::Node(n) => vec![cfg.nodes[*n].ee],
                SuHost::AnyOf(ns) => ns.iter().map(|n| cfg.nodes[*n].ee).collect(),
            })
            .collect();
        let mut compat = CompatTable::default();
        let gens = [Ver::Old, Ver::New];
        let lower_type = |lower: EeId, w: Ver| match w {
            Ver::Old => ee_type[lower].old.as_deref(),
            Ver::New => ee_type[lower].new.as_deref(),
        };
        // Generation v of the upper is compatible with generation w of the lower when every
        // piece of its software is (an upper without software is compatible with anything).
        let mut relate = |upper: Upper, sw: &Software, lower: EeId| {
            for v in gens {
                let mine = match v {
                    Ver::Old => &sw.old,
                    Ver::New => &sw.new,
                };
                for w in gens {
                    let l = lower_type(lower, w);
                    let ok = mine.iter().all(|u| cfg.compatible(u, l));
                    compat.set(upper, lower, v, w, ok);
                }
            }
        };
        for (e, host) in ee_host.iter().enumerate() {
            let lowers: Vec<EeId> = match host {
                Host::Platform => vec![],
                Host::Parent(p) => vec![*p],
                Host::Migratable => cfg.ees[e].dependency.as_ref().unwrap().sponsors.clone(),
                Host::Dependent {
                    parent, sponsors, ..
                } => parent.iter().chain(sponsors).copied().collect(),
            };
            for l in lowers {
                relate(Upper::Ee(e), &ee_sw[e], l);
            }
        }
        for (s, nodes) in su_nodes.iter().enumerate() {
            for l in nodes.iter().flatten() {
                relate(Upper::Su(s), &su_sw[s], *l);
            }
        }
        // An EE's own online operations run on the EE itself while it runs (§3.2.2: "the
        // online installation of the new software (Windows OS based) on the Ubuntu OS; thus
        // resulting in a failure"; §4.1.3: "the online installation of Windows OS cannot be
        // performed on the Ubuntu OS"). Across a change of base type (the type version moves to
        // another `safEEType`, §3.1.1) the other generation's image cannot be (un)installed
        // online on the running one; within one base type it can (§3.2.1.1 "in the version
        // change of the OS the online operations can be performed on the old version"). A
        // compatibility entry for the bundle refines this either way.
        let own_ok = (0..cfg.ees.len())
            .map(|e| {
                let base = |t: Option<&str>| {
                    t.map(|t| crate::xml::imm::parent_dn(t).unwrap_or(t).to_string())
                };
                let changes_base = ee_type[e].old.is_some()
                    && ee_type[e].new.is_some()
                    && base(ee_type[e].old.as_deref()) != base(ee_type[e].new.as_deref());
                let mut bits = 0u8;
                for v in gens {
                    let bundles = sw_own(&ee_sw[e], v);
                    for w in gens {
                        let ok = v == w
                            || (if bundles.is_empty() {
                                !changes_base
                            } else {
                                bundles.iter().all(|b| {
                                    if cfg.compat.contains_key(b) {
                                        cfg.compatible(b, lower_type(e, w))
                                    } else {
                                        !changes_base
                                    }
                                })
                            });
                        if ok {
                            bits |= 1 << (2 * v as u8 + w as u8);
                        }
                    }
                }
                bits
            })
            .collect();
        let sg_cap = cfg
            .sgs
            .iter()
            .map(|g| SgCapacity {
                redundancy: g.redundancy,
                pref_active_sus: g.pref_active_sus.unwrap_or(1),
                max_active_per_su: g.max_active_per_su.filter(|&m| m > 0),
                pref_inservice: g.pref_inservice.filter(|&m| m > 0),
            })
            .collect();
        let si_rank: Vec<u32> = cfg
            .sis
            .iter()
            .map(|s| if s.rank == 0 { u32::MAX } else { s.rank })
            .collect();
        let sg_sis = (0..cfg.sgs.len())
            .map(|g| {
                let mut v: Vec<usize> =
                    (0..cfg.sis.len()).filter(|&i| cfg.sis[i].sg == g).collect();
                v.sort_by_key(|&i| si_rank[i]);
                v
            })
            .collect();
        let w = World {
            ee_host,
            sponsors,
            su_nodes,
            compat,
            su_sg: cfg.sus.iter().map(|s| s.sg).collect(),
            si_sg: cfg.sis.iter().map(|s| s.sg).collect(),
            si_locked: cfg.sis.iter().map(|s| s.initially_locked).collect(),
            own_ok,
            sg_cap,
            sg_sis,
            si_pref_active: cfg.sis.iter().map(|s| s.pref_active_assignments).collect(),
            si_sponsors: cfg.sis.iter().map(|s| s.sponsors.clone()).collect(),
            si_rank,
            mutant_in_flight_down: false,
            mutant_capacity_ignored: false,
            su_groups: vec![0; cfg.sus.len()],
            su_node_ids: cfg
                .sus
                .iter()
                .map(|s| match &s.host {
                    SuHost::Node(n) => vec![*n],
                    SuHost::AnyOf(ns) => ns.clone(),
                })
                .collect(),
        };
        w.check_acyclic(cfg)?;
        for (e, s) in w.sponsors.iter().enumerate() {
            if s.len() > MAX_SPONSORS {
                return Err(Error::Config {
                    origin: cfg.ees[e].origin.clone(),
                    message: format!(
                        "`{}` has {} sponsors; at most {MAX_SPONSORS} are supported",
                        cfg.ees[e].dn,
                        s.len()
                    ),
                });
            }
        }
        Ok(w)
    }

    /// Whether an online (un)installation of generation `v` of EE `e`'s own software may run
    /// while `e` runs generation `w`.
    pub fn own_op_ok(&self, e: EeId, v: Ver, w: Ver) -> bool {
        self.own_ok[e] & (1 << (2 * v as u8 + w as u8)) != 0
    }

    /// What an EE runs on, in every possible placement.
    fn lowers(&self, e: EeId) -> Vec<EeId> {
        match &self.ee_host[e] {
            Host::Platform => vec![],
            Host::Parent(p) => vec![*p],
            Host::Migratable => self.sponsors[e].clone(),
            Host::Dependent {
                parent, sponsors, ..
            } => parent.iter().chain(sponsors).copied().collect(),
        }
    }

    /// Hosting must be a DAG, or "in service" would be undefined (and recursion endless).
    fn check_acyclic(&self, cfg: &SystemConfig) -> Result<(), Error> {
        let n = self.ee_host.len();
        let mut colour = vec![0u8; n];
        fn visit(w: &World, e: EeId, colour: &mut [u8], path: &mut Vec<EeId>) -> Option<Vec<EeId>> {
            colour[e] = 1;
            path.push(e);
            for l in w.lowers(e) {
                match colour[l] {
                    1 => {
                        let at = path.iter().position(|&x| x == l).unwrap_or(0);
                        let mut cycle = path[at..].to_vec();
                        cycle.push(l);
                        return Some(cycle);
                    }
                    0 => {
                        if let Some(c) = visit(w, l, colour, path) {
                            return Some(c);
                        }
                    }
                    _ => {}
                }
            }
            path.pop();
            colour[e] = 2;
            None
        }
        for e in 0..n {
            if colour[e] == 0
                && let Some(cycle) = visit(self, e, &mut colour, &mut Vec::new())
            {
                let names: Vec<&str> = cycle.iter().map(|&x| cfg.ees[x].dn.as_str()).collect();
                return Err(Error::Config {
                    origin: cfg.ees[cycle[0]].origin.clone(),
                    message: format!("EEs host each other in a cycle: {}", names.join(" → ")),
                });
            }
        }
        Ok(())
    }
}

/// The SIs of one SG that AMF keeps assigned (bit per SI).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SgAssignment {
    /// Assigned whatever order AMF takes among equal ranks.
    pub assigned: u64,
    /// The group of equal rank capacity ends in: `maybe_dropped` of these are not assigned,
    /// which ones is AMF's choice.
    pub maybe: u64,
    pub maybe_dropped: u32,
}

/// The bundle a step (un)installs on an EE itself, per generation.
fn sw_own(sw: &Software, v: Ver) -> &[String] {
    match v {
        Ver::Old => &sw.own_old,
        Ver::New => &sw.own_new,
    }
}

/// The explored part of the system: compact, indices only.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SysState {
    pub ees: Vec<LayerState>,
    pub sus: Vec<LayerState>,
    /// For each EE: index into its sponsor list where a migratable VM runs now (0 otherwise).
    pub at: Vec<u8>,
    /// For each EE: mask over its sponsor list of what `saPlmDepNames` currently allows.
    pub allowed: Vec<u8>,
    /// For each SU: index into its possible nodes where AMF placed it.
    pub placed: Vec<u8>,
    /// Migratable VMs whose VMM left service and that must migrate next (bit per EE, ≤ 128 EEs).
    pub displaced: u128,
    /// SIs (bit per SI, ≤ 64) that were provided when the campaign started: an SI that is not
    /// provided before the campaign (e.g. its SUs are locked for instantiation) is not an outage
    /// the campaign causes.
    pub baseline: u64,
    /// Admin state of each admin-operation group (2 bits per group: 0 unlocked, 1 locked,
    /// 2 locked-instantiation), set by the campaign's custom actions.
    pub group_admin: u128,
    /// AMF nodes locked (configured, or by an admin operation; bit per node, ≤ 128).
    pub nodes_locked: u128,
    /// SIs locked (`saAmfSIAdminState` 2 or 3 in the configuration, or an admin operation).
    pub si_admin: u64,
    /// SUs and SIs deleted by a CCB of the campaign (bit per SU ≤ 128, per SI ≤ 64).
    pub deleted_sus: u128,
    pub deleted_sis: u64,
    /// The custom-action points whose IMM changes are applied (bit per point of the campaign's
    /// `crate::campaign::im::Ledger`, ≤ 64).
    pub im_done: u64,
    /// EEs being restarted (bit per EE): down until the model completes the restart. An EE's
    /// restart is taken as not faster than a switch-over (§3.2.2: "restart time of EEs are
    /// generally very high"), so it is an outage of everything it hosts; an SU or component
    /// restart (a reduced step's precondition, §2.8.1.2) is taken as instantaneous.
    pub restarting: u128,
}

// Clone by hand for `clone_from`, which reuses the vectors (the explorer copies a state into a
// scratch successor per transition: `CampSysState::clone_from`). Every field is destructured,
// so a new one does not compile until it is copied here.
impl Clone for SysState {
    fn clone(&self) -> Self {
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
        } = self;
        SysState {
            ees: ees.clone(),
            sus: sus.clone(),
            at: at.clone(),
            allowed: allowed.clone(),
            placed: placed.clone(),
            displaced: *displaced,
            baseline: *baseline,
            group_admin: *group_admin,
            nodes_locked: *nodes_locked,
            si_admin: *si_admin,
            deleted_sus: *deleted_sus,
            deleted_sis: *deleted_sis,
            im_done: *im_done,
            restarting: *restarting,
        }
    }
    fn clone_from(&mut self, source: &Self) {
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
        } = source;
        self.ees.clone_from(ees);
        self.sus.clone_from(sus);
        self.at.clone_from(at);
        self.allowed.clone_from(allowed);
        self.placed.clone_from(placed);
        self.displaced = *displaced;
        self.baseline = *baseline;
        self.group_admin = *group_admin;
        self.nodes_locked = *nodes_locked;
        self.si_admin = *si_admin;
        self.deleted_sus = *deleted_sus;
        self.deleted_sis = *deleted_sis;
        self.im_done = *im_done;
        self.restarting = *restarting;
    }
}

impl SysState {
    /// Current host EE of `e` for the single-host cases.
    pub fn host_of(&self, w: &World, e: EeId) -> Option<EeId> {
        match &w.ee_host[e] {
            Host::Platform => None,
            Host::Parent(p) => Some(*p),
            Host::Migratable => Some(w.sponsors[e][self.at[e] as usize]),
            Host::Dependent { parent, .. } => *parent,
        }
    }

    /// An EE provides service: it runs, is unlocked, and what it runs on provides service and is
    /// compatible with what it runs (§3.1).
    pub fn ee_in_service(&self, w: &World, e: EeId) -> bool {
        let me = self.ees[e];
        let Some(v) = me.running() else {
            return false;
        };
        if me.has(LayerState::LOCKED) {
            return false;
        }
        let on = |l: EeId| -> bool {
            self.ee_in_service(w, l)
                && w.compat.ok(
                    Upper::Ee(e),
                    l,
                    v,
                    self.ees[l].running().unwrap_or(Ver::Old),
                )
        };
        match &w.ee_host[e] {
            Host::Platform => true,
            Host::Parent(p) => on(*p),
            // A live-migrating VM is "continuously powered-up" (§2.1.2): while it moves to
            // another sponsor it stays in service. The migration is the next transition; if no
            // sponsor can take it, that transition leaves it on its host, out of service.
            Host::Migratable if self.displaced & (1 << e) != 0 && !w.mutant_in_flight_down => true,
            Host::Migratable => on(w.sponsors[e][self.at[e] as usize]),
            Host::Dependent {
                parent,
                sponsors,
                min,
            } => {
                parent.is_none_or(on)
                    && sponsors
                        .iter()
                        .filter(|&&s| self.ee_in_service(w, s))
                        .count() as u32
                        >= *min
            }
        }
    }

    /// An SU is in service: instantiated, unlocked, on a node whose EE is in service and
    /// compatible with the SU's software.
    pub fn su_in_service(&self, w: &World, s: SuId) -> bool {
        let me = self.sus[s];
        let Some(v) = me.running() else {
            return false;
        };
        if me.has(LayerState::LOCKED) || self.deleted_sus & (1 << s) != 0 {
            return false;
        }
        // On a locked AMF node.
        let node = w.su_node_ids[s][self.placed[s] as usize];
        if node < 128 && self.nodes_locked & (1 << node) != 0 {
            return false;
        }
        // Locked with its SG or application.
        let mut groups = w.su_groups[s];
        while groups != 0 {
            let g = groups.trailing_zeros();
            if (self.group_admin >> (2 * g)) & 0b11 != 0 {
                return false;
            }
            groups &= groups - 1;
        }
        match w.su_nodes[s][self.placed[s] as usize] {
            None => true,
            Some(ee) => {
                self.ee_in_service(w, ee)
                    && w.compat.ok(
                        Upper::Su(s),
                        ee,
                        v,
                        self.ees[ee].running().unwrap_or(Ver::Old),
                    )
            }
        }
    }

    /// An SI is provided: AMF assigns it ACTIVE to an in-service SU of its SG in every order
    /// AMF may take among SIs of equal rank (see [`SysState::sg_assignment`]).
    pub fn si_available(&self, w: &World, si: usize) -> bool {
        if w.si_sponsors.iter().all(Vec::is_empty) {
            return self.sg_assignment(w, w.si_sg[si], 0).assigned & (1 << si) != 0;
        }
        self.assignment(w)[w.si_sg[si]].assigned & (1 << si) != 0
    }

    /// Every SG's assignment, with SI dependencies: AMF assigns a dependent SI only while every
    /// SI it depends on is assigned (amfd `si_dep.cc`), so dependents of an unassigned sponsor
    /// are left out, and the capacity they free goes to the others — to a fixpoint (leaving out
    /// a dependent never unassigns a sponsor, so at most one round per SI).
    pub fn assignment(&self, w: &World) -> Vec<SgAssignment> {
        let mut excluded = 0u64;
        loop {
            let a: Vec<SgAssignment> = (0..w.sg_cap.len())
                .map(|g| self.sg_assignment(w, g, excluded))
                .collect();
            let assigned = a.iter().fold(0u64, |m, x| m | x.assigned);
            let next = (0..w.si_sponsors.len())
                .filter(|&i| w.si_sponsors[i].iter().any(|&p| assigned & (1 << p) == 0))
                .fold(excluded, |m, i| m | (1 << i));
            if next == excluded {
                return a;
            }
            excluded = next;
        }
    }

    /// The SIs every SG can keep assigned now, from the SUs in service and the SG's capacity,
    /// as OpenSAF's AMF director assigns them (amfd `sg_2n_fsm.cc`, `sg_npm_fsm.cc`,
    /// `sg_nway_fsm.cc`, `sg_nwayact_fsm.cc`, `sg_nored_fsm.cc`): the SIs of the SG, unlocked,
    /// in rank order (rank 1 highest, 0 the lowest), each placed while capacity lasts:
    ///
    /// * 2N: every SI on the one active SU (`saAmfSGMaxActiveSIsperSU` is not read for 2N);
    /// * N+M: `saAmfSGNumPrefActiveSUs` active SUs, each up to `saAmfSGMaxActiveSIsperSU`;
    /// * N-way: one active per SI, every in-service SU up to `saAmfSGMaxActiveSIsperSU`;
    /// * N-way-active: each SI, in rank order, takes up to `saAmfSIPrefActiveAssignments`
    ///   active assignments on distinct SUs with room (least loaded first) before the next SI
    ///   gets one, so a higher-ranked SI may use up what a lower one needed;
    /// * no-redundancy: one SI per in-service SU.
    ///
    /// At most `saAmfSGNumPrefInserviceSUs` SUs are in service at once (the rest are spares).
    /// Assignments are recomputed from the SUs in service (AMF's steady state; the transient
    /// switch-over itself is instantaneous, as for every SU, §2.3). AMF's order among SIs of
    /// equal rank is its IMM extent order, arbitrary in practice: when capacity ends inside a
    /// group of equal rank, its members are *maybe* assigned, and claims consider every choice
    /// of which of them AMF drops.
    pub fn sg_assignment(&self, w: &World, g: usize, excluded: u64) -> SgAssignment {
        use super::config::Redundancy as R;
        let cap = w.sg_cap[g];
        let mut in_service = (0..self.sus.len())
            .filter(|&s| w.su_sg[s] == g && self.su_in_service(w, s))
            .count() as u64;
        if let Some(p) = cap.pref_inservice {
            in_service = in_service.min(p as u64);
        }
        let per_su = cap.max_active_per_su.map(u64::from);
        let eligible: Vec<usize> = w.sg_sis[g]
            .iter()
            .copied()
            .filter(|&i| (self.si_admin | self.deleted_sis | excluded) & (1 << i) == 0)
            .collect();
        let n = eligible.len() as u64;
        let times = |sus: u64| per_su.map_or(if sus > 0 { n } else { 0 }, |c| sus * c);
        let k = match cap.redundancy {
            _ if w.mutant_capacity_ignored => {
                if in_service > 0 {
                    n
                } else {
                    0
                }
            }
            R::TwoN => {
                if in_service > 0 {
                    n
                } else {
                    0
                }
            }
            R::NPlusM => times(in_service.min(cap.pref_active_sus as u64)),
            R::NWay => times(in_service),
            R::NoRedundancy => in_service,
            R::NWayActive => match per_su {
                None => {
                    if in_service > 0 {
                        n
                    } else {
                        0
                    }
                }
                Some(c) => {
                    // Least-loaded first: with equal capacities, the loads stay within one of
                    // each other, so only the number of SUs at each load matters.
                    let mut load = vec![0u64; in_service as usize];
                    let mut placed = 0u64;
                    for &i in &eligible {
                        let want = w.si_pref_active[i].max(1) as usize;
                        let mut got = 0;
                        load.sort_unstable();
                        for l in load.iter_mut() {
                            if got == want {
                                break;
                            }
                            if *l < c {
                                *l += 1;
                                got += 1;
                            }
                        }
                        if got == 0 {
                            break;
                        }
                        placed += 1;
                    }
                    placed
                }
            },
        }
        .min(n) as usize;
        let mut out = SgAssignment::default();
        if k == eligible.len() {
            out.assigned = eligible.iter().fold(0, |m, &i| m | (1 << i));
            return out;
        }
        // The group of equal rank that capacity ends in.
        let rank_at = w.si_rank[eligible[k]];
        let start = eligible
            .iter()
            .position(|&i| w.si_rank[i] == rank_at)
            .unwrap_or(k);
        let end = eligible
            .iter()
            .rposition(|&i| w.si_rank[i] == rank_at)
            .map_or(k, |p| p + 1);
        out.assigned = eligible[..start].iter().fold(0, |m, &i| m | (1 << i));
        if start < k {
            out.maybe = eligible[start..end].iter().fold(0, |m, &i| m | (1 << i));
            out.maybe_dropped = (end - k) as u32;
        }
        out
    }

    /// Number of SUs of `sg` in service (the `redundancy-kept` claim).
    pub fn in_service_sus(&self, w: &World, sg: usize) -> usize {
        (0..self.sus.len())
            .filter(|&s| w.su_sg[s] == sg && self.su_in_service(w, s))
            .count()
    }

    /// Apply a step action to an EE. Every running migratable VM whose host leaves service by it
    /// (directly, or because something under the host went down), or whose host chain is
    /// restarted, becomes displaced (§2.7: "when a VMM is locked all the VMs that depend on the
    /// locked VMM … migrate to the other sponsoring VMM").
    pub fn apply_ee(&mut self, w: &World, e: EeId, a: Action) {
        let vms: Vec<EeId> = (0..self.ees.len())
            .filter(|&vm| w.ee_host[vm] == Host::Migratable && self.ees[vm].running().is_some())
            .collect();
        let before: Vec<bool> = vms
            .iter()
            .map(|&vm| self.ee_in_service(w, w.sponsors[vm][self.at[vm] as usize]))
            .collect();
        let restarted = matches!(a, Action::Restart(_));
        if restarted {
            // Down now; `finish_restart` brings it back up on what its IM says.
            self.ees[e] = Action::Terminate(crate::step::action::Unit::Sau).apply(self.ees[e]);
            self.restarting |= 1 << e;
        } else {
            self.ees[e] = a.apply(self.ees[e]);
        }
        for (&vm, was) in vms.iter().zip(before) {
            let host = w.sponsors[vm][self.at[vm] as usize];
            let lost = was && !self.ee_in_service(w, host);
            if lost || (restarted && self.runs_on(w, host, e)) {
                self.displaced |= 1 << vm;
            }
        }
    }

    /// Whether `e` is `x` or somewhere below it.
    fn runs_on(&self, w: &World, x: EeId, e: EeId) -> bool {
        let mut cur = Some(x);
        let mut hops = 0;
        while let Some(c) = cur {
            if c == e {
                return true;
            }
            cur = self.host_of(w, c);
            hops += 1;
            if hops > self.ees.len() {
                return false;
            }
        }
        false
    }

    /// The first EE still restarting, if any.
    pub fn pending_restart(&self) -> Option<EeId> {
        (self.restarting != 0).then(|| self.restarting.trailing_zeros() as usize)
    }

    /// Complete the restart of `e`: it comes up on the software its IM names.
    pub fn finish_restart(&mut self, e: EeId) {
        self.restarting &= !(1 << e);
        self.ees[e] = Action::Restart(crate::step::action::Unit::Sau).apply(self.ees[e]);
    }

    pub fn apply_su(&mut self, s: SuId, a: Action) {
        self.sus[s] = a.apply(self.sus[s]);
    }

    /// The first displaced VM and every sponsor it may move to: allowed by `saPlmDepNames` now,
    /// not its current host, and in service. An empty list means the VM stays where it is and is
    /// out of service until its host returns.
    pub fn migration_choices(&self, w: &World) -> Option<(EeId, Vec<u8>)> {
        if self.displaced == 0 {
            return None;
        }
        let vm = self.displaced.trailing_zeros() as usize;
        let choices = (0..w.sponsors[vm].len() as u8)
            .filter(|&k| {
                k != self.at[vm]
                    && self.allowed[vm] & (1 << k) != 0
                    && self.ee_in_service(w, w.sponsors[vm][k as usize])
            })
            .collect();
        Some((vm, choices))
    }

    /// Take a migration decision (`to = None`: nowhere to go).
    pub fn migrate(&mut self, vm: EeId, to: Option<u8>) {
        self.displaced &= !(1 << vm);
        if let Some(k) = to {
            self.at[vm] = k;
        }
    }

    /// Whether VM `vm` running generation `v` is compatible with sponsor number `k` as it runs now
    /// (the `no-incompatible-hosting` claim checks every migration with this).
    pub fn compatible_on(&self, w: &World, vm: EeId, k: u8) -> bool {
        let host = w.sponsors[vm][k as usize];
        let v = self.ees[vm].running().unwrap_or(Ver::Old);
        w.compat.ok(
            Upper::Ee(vm),
            host,
            v,
            self.ees[host].running().unwrap_or(Ver::Old),
        )
    }
}
