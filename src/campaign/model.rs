//! The campaign and procedure FSMs composed with the step core (docs/semantics.md §6; SMF
//! `SaSmfCmpgStateT` / `SaSmfProcStateT` as OpenSAF's smfd drives them):
//!
//! * procedures at the lowest pending execution level start together; the next level starts when
//!   all of them completed; steps of a procedure run one after the other;
//! * a step Undone → procedure Step Undone → campaign Error Detected: the other procedures stop
//!   at their next step boundary, then Suspended By Error Detected, from where the administrator
//!   may Execute again (the undone step is retried; bounded) or Roll Back;
//! * a step Failed → procedure Failed → campaign Execution Failed, a dead end (backup restore);
//! * Execution Completed → Commit, or Roll Back: procedures roll back by *descending* execution
//!   level, each its completed steps in reverse order; a step that ends Rollback Undone, Rollback
//!   Partial Undone or Rollback Failed makes the procedure and the campaign Rollback Failed;
//!   Rollback Completed → Commit.
//!
//! * the administrator's Suspend (`--max-suspends N`, default 0): Suspending Execution →
//!   Execution Suspended (or Error Detected In Suspending when a step was undone meanwhile), then
//!   Execute (resume) or Roll Back; Suspending Rollback → Rollback Suspended, then Roll Back
//!   (resume);
//! * custom actions run at smfd's points ([`super::actions`]); a rollback commit runs the undo of
//!   every `campWrapupAction` admin operation (smfd `rollbackCampWrapup`); the IMM objects they
//!   touch are the ledger's ([`super::im`]).
//!
//! Each step works on its own abstract layers (as `smfcheck fsm` does); mapping the layers onto
//! the entities of a configuration is the system model's job (`crate::system`).

use super::actions::{AdminOp, AdminTarget, Effect};
use super::plan::{DepChange, LayerBinding, Plan, Side};
use crate::check::Checked;
use crate::error::Error;
use crate::step::action::LayerState;
use crate::step::fsm::{Core, Move, Msg, Run, Signal, StepState};
use crate::system::config::{SuHost, SystemConfig};
use crate::system::state::{Host, SysState, World};
use crate::xml::campaign::Outage;

/// An AMF administrative operation of a custom action on the system state.
fn admin(st: &mut SysState, target: AdminTarget, op: AdminOp) {
    use crate::step::action::{Action, Unit};
    match target {
        AdminTarget::Su(u) => {
            let a = match op {
                AdminOp::Lock => Action::Lock(Unit::Du),
                AdminOp::Unlock => Action::Unlock(Unit::Du),
                AdminOp::LockInstantiation => Action::Terminate(Unit::Du),
                // Instantiated on what its IM names (as a symmetric unit).
                AdminOp::UnlockInstantiation => Action::Instantiate(Unit::Sau),
                AdminOp::Restart => return,
            };
            st.sus[u] = a.apply(st.sus[u]);
        }
        AdminTarget::Group(g) => {
            let v: u128 = match op {
                AdminOp::Unlock => 0,
                AdminOp::Lock | AdminOp::UnlockInstantiation => 1,
                AdminOp::LockInstantiation => 2,
                AdminOp::Restart => return,
            };
            let shift = 2 * g as u32;
            st.group_admin = (st.group_admin & !(0b11 << shift)) | (v << shift);
        }
        AdminTarget::Node(n) => match op {
            AdminOp::Unlock => st.nodes_locked &= !(1 << n),
            AdminOp::Lock | AdminOp::LockInstantiation | AdminOp::UnlockInstantiation => {
                st.nodes_locked |= 1 << n
            }
            AdminOp::Restart => {}
        },
        AdminTarget::Si(i) => match op {
            AdminOp::Lock => st.si_admin |= 1 << i,
            AdminOp::Unlock => st.si_admin &= !(1 << i),
            _ => {}
        },
    }
}
use stateright::{Model, Property};
use std::fmt::Write;

/// One procedure: its execution level and its steps (each an embedded step with its core).
#[derive(Clone, Debug)]
pub struct ProcSpec {
    pub name: String,
    pub exec_level: u32,
    pub steps: Vec<Core>,
    /// Where the procedure and each step come from (`file:line`), for trace lines.
    pub origin: Option<String>,
    /// `step_origins[k][i]`: where nested step i of step k is written.
    pub step_origins: Vec<Vec<String>>,
}

/// The system the campaign runs on: which entities each step layer acts on, the derived-state
/// tables, what each procedure allows as outage, and the dependency changes of the
/// initialisation and the wrap-up.
#[derive(Clone, Debug)]
pub struct SystemPart {
    pub world: World,
    /// `bindings[p][k][l]`: the entities of layer l of step k of procedure p.
    pub bindings: Vec<Vec<Vec<LayerBinding>>>,
    pub outages: Vec<Outage>,
    /// What the custom actions do at each execution point (`crate::campaign::actions`).
    pub effects: super::actions::Effects,
    /// Every migratable VM's `saPlmDepNames` as configured: what the rollback of the
    /// initialization restores.
    pub restore_deps: Vec<DepChange>,
    pub initial: Vec<SysState>,
    pub si_names: Vec<String>,
    pub sg_pref: Vec<Option<u32>>,
    pub ee_names: Vec<String>,
    pub su_names: Vec<String>,
    /// Ignore the procedures' acceptable outage (`--strict-availability`).
    pub strict: bool,
    /// What every EE / SU must look like after a committed campaign: each step's forward row,
    /// restricted to the side of the step the entity is on, applied in execution order to its
    /// state before the campaign (`None`: no step touches it, so it is left as it was).
    pub ee_expected: Vec<Option<LayerState>>,
    pub su_expected: Vec<Option<LayerState>>,
    /// When the campaign is checked against a target configuration (`check --target`, and
    /// always for generated campaigns): what "reaches the target" means instead of
    /// `ee_expected`/`su_expected`.
    pub target: Option<super::target::TargetExpect>,
    /// The IMM objects the campaign's custom actions, `addToImm` and `removeFromImm` touch
    /// (compared by `success-reaches-target` and `rollback-restores-source`).
    pub ledger: super::im::Ledger,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CampState {
    Initial,
    Executing,
    /// The administrator suspended the execution: procedures stop at their next step boundary.
    SuspendingExecution,
    ExecutionSuspended,
    /// A step was undone while suspending.
    ErrorDetectedInSuspending,
    ErrorDetected,
    SuspendedByErrorDetected,
    ExecutionCompleted,
    Committed,
    ExecutionFailed,
    RollingBack,
    /// The administrator suspended the rollback: procedures stop at their next step boundary.
    SuspendingRollback,
    RollbackSuspended,
    RollbackCompleted,
    RollbackCommitted,
    RollbackFailed,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum ProcState {
    #[default]
    Initial,
    Executing,
    /// Paused at a step boundary because the campaign detected an error elsewhere.
    Suspended,
    Completed,
    StepUndone,
    Failed,
    RollingBack,
    /// Paused between two steps of its rollback (the campaign's rollback is suspended); `cur`
    /// is the next step to roll back.
    RollbackSuspended,
    RolledBack,
    RollbackFailed,
}

#[derive(Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct ProcRt {
    pub st: ProcState,
    /// The current step (Executing: the one running; Rolling Back: the one rolling back).
    pub cur: u8,
    /// One run per step, kept after the step finished (its layers are the step's result).
    pub runs: Vec<Run>,
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct CampSysState {
    pub camp: CampState,
    pub procs: Vec<ProcRt>,
    /// Index into the distinct execution levels: the level executing (or rolling back).
    pub level: u8,
    pub faults: u8,
    pub admin_retries: u8,
    /// How often the administrator suspended the campaign so far.
    pub suspends: u8,
    /// The system's entities (absent for a campaign of abstract steps).
    pub sys: Option<SysState>,
}

// Clone by hand for `clone_from`: the explorer copies a state into one scratch successor per
// transition (`Checked::next_state_into`), and a derived `clone_from` allocates anew where
// this one reuses the vectors. Both destructure every field, so a new field does not compile
// until it is copied here.
impl Clone for ProcRt {
    fn clone(&self) -> Self {
        let ProcRt { st, cur, runs } = self;
        ProcRt {
            st: *st,
            cur: *cur,
            runs: runs.clone(),
        }
    }
    fn clone_from(&mut self, source: &Self) {
        let ProcRt { st, cur, runs } = source;
        self.st = *st;
        self.cur = *cur;
        self.runs.clone_from(runs);
    }
}

impl Clone for CampSysState {
    fn clone(&self) -> Self {
        let CampSysState {
            camp,
            procs,
            level,
            faults,
            admin_retries,
            suspends,
            sys,
        } = self;
        CampSysState {
            camp: *camp,
            procs: procs.clone(),
            level: *level,
            faults: *faults,
            admin_retries: *admin_retries,
            suspends: *suspends,
            sys: sys.clone(),
        }
    }
    fn clone_from(&mut self, source: &Self) {
        let CampSysState {
            camp,
            procs,
            level,
            faults,
            admin_retries,
            suspends,
            sys,
        } = source;
        self.camp = *camp;
        self.procs.clone_from(procs);
        self.level = *level;
        self.faults = *faults;
        self.admin_retries = *admin_retries;
        self.suspends = *suspends;
        self.sys.clone_from(sys);
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CampAction {
    /// A displaced migratable VM moves to sponsor number `to` (or stays down: `None`).
    Migrate {
        vm: u16,
        to: Option<u8>,
    },
    /// A restarting EE is back up.
    RestartDone {
        ee: u16,
    },
    /// Administrator: Execute (start, resume a suspended execution, or execute again after an
    /// error).
    Execute,
    /// Administrator: Suspend the execution or the rollback (SMF's suspend operation).
    Suspend,
    Rollback,
    Commit,
    /// Procedure `proc` takes the signal its current step sent to it.
    ProcReceive {
        proc: u8,
    },
    /// The campaign reacts to its procedures (level done, error detected, failure …).
    React,
    /// A move of the current step of procedure `proc`.
    Step {
        proc: u8,
        mv: Move,
    },
}

/// A campaign of abstract procedures.
#[derive(Clone, Debug)]
pub struct CampaignModel {
    pub procs: Vec<ProcSpec>,
    /// Distinct execution levels, ascending.
    pub levels: Vec<u32>,
    pub faults: u8,
    /// How often the administrator may Execute again after Error Detected.
    pub max_admin_retries: u8,
    /// How often the administrator may suspend the campaign (each suspension is followed by a
    /// resume, a rollback or, for a suspended rollback, its resumption); bounded so that every
    /// run ends.
    pub max_suspends: u8,
    pub system: Option<SystemPart>,
    /// A seeded defect of the campaign FSM (tests prove the campaign claims catch each).
    pub mutant: Option<CampMutant>,
    /// A seeded defect of the partial-order reduction (tests prove the comparison with the
    /// full exploration catches each).
    pub por_mutant: Option<PorMutant>,
    /// `check --shard I/N`: explore only the initial states whose index is I-1 modulo N (the
    /// initial states are the placements AMF and the hypervisors may have chosen; every run
    /// starts from one of them, so the N shards together explore the whole model).
    pub shard: Option<(u32, u32)>,
    /// Interchangeable procedures (symmetry reduction, [`super::symmetry`]); `None`: off
    /// (`check --no-reduction`, and every model until [`CampaignModel::reduce`] is called).
    pub symmetry: Option<super::symmetry::Symmetry>,
    /// Partial-order reduction ([`Checked::ample`]): a procedure's moves inside its step that
    /// touch nothing but that step's FSM are taken first, without interleaving them with
    /// other procedures' moves; `false`: off (`check --no-reduction`, and every model until
    /// [`CampaignModel::reduce`] is called).
    pub por: bool,
    /// The byte layout of the states in the visited set ([`super::packed`]), made on first
    /// use: it depends on the procedures, their steps and the system's entities only.
    pub layout: std::sync::OnceLock<super::packed::Layout>,
}

/// Seeded defects of the campaign and procedure FSMs (docs/semantics.md §6), each killed by a named claim
/// (tests/campaign.rs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CampMutant {
    /// Execute starts the procedures of every execution level at once.
    StartAllLevels,
    /// Rollback starts every procedure's rollback at once instead of by descending level.
    RollbackAllLevels,
    /// A procedure whose step Failed counts as completed: the campaign carries on.
    FailureCompletes,
    /// A procedure whose rollback failed counts as rolled back.
    RollbackFailureIgnored,
    /// Soundness defects of the system semantics (#9), each killed on a model of
    /// `models/soundness/`:
    /// a live-migrating VM counts as out of service while in flight (migration split from the
    /// lock that displaces it);
    InFlightDown,
    /// `acceptableServiceOutage/max` ignored (any number of SIs may go);
    OutageMaxIgnored,
    /// an EE's own online operations are always ready (a host-less EE on the hardware);
    OwnOperationsIgnored,
    /// SG capacity ignored: an SI is assigned while any SU of its SG is in service;
    CapacityIgnored,
    /// the custom actions of the campaign have no effect;
    CustomActionsIgnored,
    /// the undo of a custom-action point leaves its IMM changes in place (an object a CCB
    /// created stays after rollback).
    CcbUndoSkipped,
}

/// Seeded defects of the ample sets (docs/semantics.md §16): each makes an ample set of
/// moves that are not independent of, or not invisible to, what runs beside them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PorMutant {
    /// Every step move counts as the step's own (also those that act on entities or inject a
    /// fault): a procedure runs its step without interleaving.
    StepMovesAmple,
    /// A procedure taking its step's signal counts as a move of its own (it reads the
    /// campaign's state: suspension, an error detected elsewhere).
    ReceiveAmple,
}

pub const ALL_POR_MUTANTS: [PorMutant; 2] = [PorMutant::StepMovesAmple, PorMutant::ReceiveAmple];

impl CampaignModel {
    /// Seed a defect (tests): the FSM ones are read where they act, the system ones switch the
    /// world's semantics.
    pub fn seed(&mut self, mutant: CampMutant) {
        self.mutant = Some(mutant);
        if let Some(sys) = &mut self.system {
            sys.world.mutant_in_flight_down = mutant == CampMutant::InFlightDown;
            sys.world.mutant_capacity_ignored = mutant == CampMutant::CapacityIgnored;
        }
    }
}

impl CampaignModel {
    /// The byte layout of this model's states (made once).
    pub fn layout(&self) -> &super::packed::Layout {
        self.layout.get_or_init(|| super::packed::Layout::of(self))
    }

    /// Switch partial-order reduction on, and symmetry reduction where the model has provably
    /// interchangeable procedures (returns whether it has). Call it once the model's options and target are set: the
    /// detection compares every table of the model.
    pub fn reduce(&mut self) -> bool {
        self.por = true;
        self.symmetry = None;
        let sym = super::symmetry::Symmetry::detect(self);
        if sym.is_trivial() {
            return false;
        }
        self.symmetry = Some(sym);
        true
    }

    pub fn new(procs: Vec<ProcSpec>) -> Self {
        let mut levels: Vec<u32> = procs.iter().map(|p| p.exec_level).collect();
        levels.sort_unstable();
        levels.dedup();
        CampaignModel {
            procs,
            levels,
            faults: 1,
            max_admin_retries: 1,
            max_suspends: 0,
            system: None,
            mutant: None,
            por_mutant: None,
            shard: None,
            symmetry: None,
            por: false,
            layout: std::sync::OnceLock::new(),
        }
    }

    /// A campaign on a real configuration, from its plan.
    pub fn from_plan(plan: &Plan, cfg: &SystemConfig) -> Result<Self, Error> {
        // Fixed-width indices of the explored state, checked here (never a wrap): procedure
        // numbers and execution levels are bytes, a procedure's step counter is a byte, an SU's
        // placement is a byte.
        let limit = |line: usize, element: &str, message: String| Error::Xml {
            file: plan.file.clone(),
            line,
            element: Some(element.into()),
            message,
        };
        if plan.procs.len() > 256 {
            return Err(limit(
                plan.procs[256].line,
                "upgradeProcedure",
                format!("{} procedures: at most 256 are supported", plan.procs.len()),
            ));
        }
        let mut levels: Vec<u32> = plan.procs.iter().map(|p| p.exec_level).collect();
        levels.sort_unstable();
        levels.dedup();
        if levels.len() > 256 {
            return Err(limit(
                plan.procs[0].line,
                "upgradeProcedure",
                format!(
                    "{} distinct execution levels: at most 256 are supported",
                    levels.len()
                ),
            ));
        }
        for p in &plan.procs {
            if p.steps.is_empty() {
                return Err(limit(
                    p.line,
                    "upgradeProcedure",
                    format!(
                        "procedure `{}` has no activation unit: its scope selects no entity of the configuration (an empty node group, or a template that matches nothing)",
                        p.name
                    ),
                ));
            }
            if p.steps.len() > 255 {
                return Err(limit(
                    p.line,
                    "upgradeProcedure",
                    format!(
                        "procedure `{}` has {} steps: at most 255 are supported",
                        p.name,
                        p.steps.len()
                    ),
                ));
            }
        }
        for su in &cfg.sus {
            if let SuHost::AnyOf(ns) = &su.host {
                if ns.is_empty() {
                    return Err(Error::Config {
                        origin: su.origin.clone(),
                        message: format!(
                            "`{}` may be placed on no node: its node group is empty",
                            su.dn
                        ),
                    });
                }
                if ns.len() > 256 {
                    return Err(Error::Config {
                        origin: su.origin.clone(),
                        message: format!(
                            "`{}` may be placed on {} nodes: at most 256 are supported",
                            su.dn,
                            ns.len()
                        ),
                    });
                }
            }
        }
        let procs = plan
            .procs
            .iter()
            .map(|p| ProcSpec {
                name: p.name.clone(),
                exec_level: p.exec_level,
                steps: p.steps.iter().map(|s| s.core.clone()).collect(),
                origin: Some(format!("{}:{}", plan.file, p.line)),
                step_origins: p
                    .steps
                    .iter()
                    .map(|s| {
                        s.nested_lines
                            .iter()
                            .map(|l| format!("{}:{l}", plan.file))
                            .collect()
                    })
                    .collect(),
            })
            .collect();
        // Displaced VMs and restarting EEs are 128-bit sets.
        if cfg.ees.len() > 128 {
            return Err(Error::Config {
                origin: cfg.ees[128].origin.clone(),
                message: format!(
                    "`{}` is execution environment number 129 of {}: at most 128 are supported",
                    cfg.ees[128].dn,
                    cfg.ees.len()
                ),
            });
        }
        if cfg.sis.len() > 64 {
            return Err(Error::Config {
                origin: cfg.sis[64].origin.clone(),
                message: format!(
                    "`{}` is SI number 65 of {}: at most 64 are supported",
                    cfg.sis[64].dn,
                    cfg.sis.len()
                ),
            });
        }
        let mut m = CampaignModel::new(procs);
        let mut world = World::new(cfg, &plan.ee_sw, &plan.su_sw, &plan.ee_type)?;
        for (g, group) in plan.effects.groups.iter().enumerate() {
            for &s in &group.sus {
                world.su_groups[s] |= 1 << g;
            }
        }
        // Every placement AMF or the hypervisors may have chosen before the campaign starts: each
        // migratable VM on any of its sponsors, each SU on any node it may be hosted on.
        let base = SysState {
            ees: (0..cfg.ees.len())
                .map(|e| {
                    if plan.ee_absent[e] {
                        LayerState::default()
                    } else {
                        LayerState::source(plan.ee_offline[e])
                    }
                })
                .collect(),
            sus: (0..cfg.sus.len())
                .map(|s| {
                    // An SU a CCB creates is there, as configured, once the CCB has run (until
                    // then it is marked deleted); one an addition adds starts with nothing.
                    let by_ccb = s < 128 && plan.effects.created_sus & (1 << s) != 0;
                    if plan.su_absent[s] && !by_ccb {
                        return LayerState::default();
                    }
                    use crate::step::action::{Action, Unit};
                    let l = LayerState::source(plan.su_offline[s]);
                    match cfg.sus[s].admin_state {
                        // LOCKED: out of service but instantiated.
                        2 => Action::Lock(Unit::Du).apply(l),
                        // LOCKED-INSTANTIATION: not even instantiated.
                        3 => Action::Terminate(Unit::Du).apply(Action::Lock(Unit::Du).apply(l)),
                        _ => l,
                    }
                })
                .collect(),
            at: vec![0; cfg.ees.len()],
            // Only the configured sponsors are allowed at the start (the campaign's CCBs may
            // allow more later).
            allowed: cfg
                .ees
                .iter()
                .map(|e| match &e.dependency {
                    Some(d) if e.is_migratable() => ((1u16 << d.configured) - 1) as u8,
                    _ => 0,
                })
                .collect(),
            placed: vec![0; cfg.sus.len()],
            displaced: 0,
            baseline: 0,
            group_admin: plan.effects.initial_group_admin,
            nodes_locked: plan.effects.initial_nodes_locked,
            si_admin: cfg
                .sis
                .iter()
                .enumerate()
                .filter(|(_, s)| s.initially_locked)
                .fold(0u64, |m, (i, _)| m | (1 << i)),
            deleted_sus: plan.effects.created_sus,
            deleted_sis: plan.effects.created_sis,
            im_done: 0,
            restarting: 0,
        };
        // Every placement multiplies the initial states: count them before building any, so
        // that a configuration with too many refuses at once instead of exhausting memory.
        let mut count: u64 = 1;
        for (e, ee) in cfg.ees.iter().enumerate() {
            if world.ee_host[e] == Host::Migratable {
                let k = ee.dependency.as_ref().map_or(1, |d| d.configured.max(1)) as u64;
                count = count.saturating_mul(k);
                if count > 4096 {
                    return Err(Error::Config {
                        origin: ee.origin.clone(),
                        message: format!(
                            "with `{}`, more than 4096 initial placements of VMs and SUs: too many to explore",
                            ee.dn
                        ),
                    });
                }
            }
        }
        for (su, nodes) in world.su_nodes.iter().enumerate() {
            if matches!(cfg.sus[su].host, SuHost::AnyOf(_)) {
                count = count.saturating_mul(nodes.len() as u64);
                if count > 4096 {
                    return Err(Error::Config {
                        origin: cfg.sus[su].origin.clone(),
                        message: format!(
                            "with `{}`, more than 4096 initial placements of VMs and SUs: too many to explore",
                            cfg.sus[su].dn
                        ),
                    });
                }
            }
        }
        let mut initial = vec![base];
        for e in 0..world.sponsors.len() {
            if world.ee_host[e] != Host::Migratable {
                continue;
            }
            let configured = cfg.ees[e].dependency.as_ref().map_or(0, |d| d.configured);
            initial = initial
                .into_iter()
                .flat_map(|s| {
                    (0..configured as u8).map(move |k| {
                        let mut t = s.clone();
                        t.at[e] = k;
                        t
                    })
                })
                .collect();
        }
        for (su, nodes) in world.su_nodes.iter().enumerate() {
            if !matches!(cfg.sus[su].host, SuHost::AnyOf(_)) {
                continue;
            }
            initial = initial
                .into_iter()
                .flat_map(|s| {
                    (0..nodes.len()).map(move |k| {
                        let k = k as u8; // ≤ 256 nodes, checked above
                        let mut t = s.clone();
                        t.placed[su] = k;
                        t
                    })
                })
                .collect();
        }
        for s in &mut initial {
            s.baseline = (0..cfg.sis.len())
                .filter(|&i| s.si_available(&world, i))
                .fold(0u64, |m, i| m | (1 << i));
        }
        // Every bound entity carries its side (a binding built by hand without one would be
        // silently ignored by the effect routing).
        for b in plan
            .procs
            .iter()
            .flat_map(|p| &p.steps)
            .flat_map(|s| &s.layers)
        {
            assert!(
                b.ees.len() == b.ee_side.len()
                    && b.sus.len() == b.su_side.len()
                    && b.sus.len() == b.su_node.len(),
                "layer binding without sides"
            );
        }
        let mut ee_expected: Vec<Option<LayerState>> = vec![None; cfg.ees.len()];
        let mut su_expected: Vec<Option<LayerState>> = vec![None; cfg.sus.len()];
        let first = initial[0].clone();
        let mut order: Vec<usize> = (0..plan.procs.len()).collect();
        order.sort_by_key(|&p| plan.procs[p].exec_level);
        for p in order {
            for st in &plan.procs[p].steps {
                for (l, b) in st.layers.iter().enumerate() {
                    let row = st.core.step.types[l].forward();
                    let fold = |start: LayerState, side: Side, sus: bool| {
                        row.all()
                            .filter(|a| side.reached_by(Side::of(*a)))
                            .filter(|a| !sus || b.reaches_sus(*a))
                            .fold(start, |x, a| a.apply(x))
                    };
                    for (&e, &side) in b.ees.iter().zip(&b.ee_side) {
                        let start = ee_expected[e].unwrap_or(first.ees[e]);
                        ee_expected[e] = Some(fold(start, side, false));
                    }
                    for (&u, &side) in b.sus.iter().zip(&b.su_side) {
                        let start = su_expected[u].unwrap_or(first.sus[u]);
                        su_expected[u] = Some(fold(start, side, true));
                    }
                }
            }
        }
        let restore_deps = (0..initial[0].allowed.len())
            .filter(|&vm| world.ee_host[vm] == Host::Migratable)
            .map(|vm| DepChange {
                vm,
                mask: initial[0].allowed[vm],
            })
            .collect();
        m.system = Some(SystemPart {
            world,
            bindings: plan
                .procs
                .iter()
                .map(|p| p.steps.iter().map(|s| s.layers.clone()).collect())
                .collect(),
            outages: plan.procs.iter().map(|p| p.outage.clone()).collect(),
            effects: plan.effects.clone(),
            restore_deps,
            initial,
            si_names: cfg.sis.iter().map(|s| s.dn.clone()).collect(),
            sg_pref: cfg.sgs.iter().map(|g| g.pref_inservice).collect(),
            ee_names: cfg.ees.iter().map(|e| e.dn.clone()).collect(),
            su_names: cfg.sus.iter().map(|s| s.dn.clone()).collect(),
            strict: false,
            ee_expected,
            su_expected,
            target: None,
            ledger: plan.ledger.clone(),
        });
        Ok(m)
    }

    /// Run the custom actions of one execution point (`undo`: their undo, last first).
    fn apply_effects(&self, s: &mut CampSysState, effects: &[Effect], undo: bool) {
        let Some(st) = s.sys.as_mut() else {
            return;
        };
        if self.mutant == Some(CampMutant::CustomActionsIgnored) {
            return;
        }
        let mut run = |e: &Effect| match e {
            Effect::Deps { change, before } => {
                let mask = if undo { *before } else { change.mask };
                st.allowed[change.vm] = mask;
                // A VM whose current sponsor is no longer allowed must move (catching, §5.3.2).
                if mask & (1 << st.at[change.vm]) == 0 && st.ees[change.vm].running().is_some() {
                    st.displaced |= 1 << change.vm;
                }
            }
            Effect::Admin {
                target,
                op,
                undo: back,
            } => {
                let (target, op) = if undo {
                    match back {
                        Some(b) => *b,
                        None => return,
                    }
                } else {
                    (*target, *op)
                };
                admin(st, target, op);
            }
            Effect::Create { sus, sis } => {
                if undo {
                    st.deleted_sus |= sus;
                    st.deleted_sis |= sis;
                } else {
                    st.deleted_sus &= !sus;
                    st.deleted_sis &= !sis;
                }
            }
            Effect::Delete { sus, sis } => {
                if undo {
                    st.deleted_sus &= !sus;
                    st.deleted_sis &= !sis;
                } else {
                    st.deleted_sus |= sus;
                    st.deleted_sis |= sis;
                }
            }
            Effect::Im { bit } => {
                if undo && self.mutant == Some(CampMutant::CcbUndoSkipped) {
                    return;
                }
                if undo {
                    st.im_done &= !(1 << bit);
                } else {
                    st.im_done |= 1 << bit;
                }
            }
        };
        if undo {
            effects.iter().rev().for_each(&mut run);
        } else {
            effects.iter().for_each(&mut run);
        }
    }

    /// A procedure starts: its `procInitAction`s run, then its first step.
    fn start_proc(&self, s: &mut CampSysState, p: usize) {
        if let (Some(sys), ProcState::Initial) = (&self.system, s.procs[p].st) {
            self.apply_effects(s, &sys.effects.proc_init[p], false);
        }
        self.start_step(s, p);
    }

    fn apply_deps(&self, s: &mut CampSysState, deps: &[DepChange]) {
        let (Some(sys), Some(st)) = (&self.system, s.sys.as_mut()) else {
            return;
        };
        for d in deps {
            st.allowed[d.vm] = d.mask;
            // A VM whose current sponsor is no longer allowed must move (catching, §5.3.2).
            if d.mask & (1 << st.at[d.vm]) == 0 && st.ees[d.vm].running().is_some() {
                st.displaced |= 1 << d.vm;
            }
        }
        let _ = sys;
    }

    fn at_level(&self, s: &CampSysState) -> impl Iterator<Item = usize> + '_ {
        let lvl = self.levels.get(s.level as usize).copied();
        (0..self.procs.len()).filter(move |&p| Some(self.procs[p].exec_level) == lvl)
    }

    fn send(run: &mut Run, sig: Signal) {
        run.msg = Some(Msg {
            from: 0,
            to: 1,
            sig,
        });
    }

    fn start_step(&self, s: &mut CampSysState, p: usize) {
        let rt = &mut s.procs[p];
        rt.st = ProcState::Executing;
        let cur = rt.cur as usize;
        for n in &mut rt.runs[cur].steps {
            n.retries = 0;
        }
        Self::send(&mut rt.runs[cur], Signal::Execute);
    }

    /// Start rolling back procedure `p`: its completed steps, last first.
    ///
    /// smfd's procedure rollback: the `procWrapupAction`s undone (last first), then the steps,
    /// then the `procInitAction`s undone (`SmfProcState.cc` `rollbackWrapup`, `rollbackStep`,
    /// `rollbackInit`).
    fn start_rollback(&self, s: &mut CampSysState, p: usize) {
        if let (Some(sys), ProcState::Completed) = (&self.system, s.procs[p].st) {
            self.apply_effects(s, &sys.effects.proc_wrapup[p], true);
        }
        let rt = &mut s.procs[p];
        match rt.st {
            ProcState::Initial => rt.st = ProcState::RolledBack,
            _ if rt.cur == 0 => {
                rt.st = ProcState::RolledBack;
                self.rolled_back(s, p);
            }
            _ => {
                rt.st = ProcState::RollingBack;
                rt.cur -= 1;
                let cur = rt.cur as usize;
                Self::send(&mut rt.runs[cur], Signal::Rollback);
            }
        }
    }

    /// A started procedure is rolled back: its `procInitAction`s are undone.
    fn rolled_back(&self, s: &mut CampSysState, p: usize) {
        if let Some(sys) = &self.system {
            self.apply_effects(s, &sys.effects.proc_init[p], true);
        }
    }

    /// What the procedure does with a signal from its current step.
    fn proc_receive(&self, s: &mut CampSysState, p: usize) -> bool {
        let cur = s.procs[p].cur as usize;
        let Some(m) = s.procs[p].runs[cur].msg.filter(|m| m.to == 0) else {
            return false;
        };
        s.procs[p].runs[cur].msg = None;
        // At a step boundary a procedure stops when the campaign detected an error elsewhere or
        // the administrator suspended it (smfd's SUSPEND to every procedure).
        let suspend = matches!(
            s.camp,
            CampState::ErrorDetected
                | CampState::SuspendingExecution
                | CampState::ErrorDetectedInSuspending
        );
        let suspend_rollback = s.camp == CampState::SuspendingRollback;
        let n = self.procs[p].steps.len();
        let rt = &mut s.procs[p];
        match (rt.st, m.sig) {
            (ProcState::Executing, Signal::Completed) => {
                rt.cur += 1;
                if rt.cur as usize == n {
                    rt.st = ProcState::Completed;
                    // procWrapupAction: after the last step (smfd `executeWrapup`).
                    if let Some(sys) = &self.system {
                        self.apply_effects(s, &sys.effects.proc_wrapup[p], false);
                    }
                } else if suspend {
                    rt.st = ProcState::Suspended;
                } else {
                    self.start_step(s, p);
                }
            }
            (ProcState::Executing, Signal::Undone) => rt.st = ProcState::StepUndone,
            (ProcState::Executing, Signal::Failed) => {
                rt.st = if self.mutant == Some(CampMutant::FailureCompletes) {
                    ProcState::Completed
                } else {
                    ProcState::Failed
                }
            }
            (ProcState::RollingBack, Signal::RolledBack) => {
                if rt.cur == 0 {
                    rt.st = ProcState::RolledBack;
                    self.rolled_back(s, p);
                } else if suspend_rollback {
                    rt.cur -= 1;
                    rt.st = ProcState::RollbackSuspended;
                } else {
                    rt.cur -= 1;
                    let c = rt.cur as usize;
                    Self::send(&mut rt.runs[c], Signal::Rollback);
                }
            }
            (ProcState::RollingBack, Signal::RollbackUndone | Signal::RollbackFailed) => {
                rt.st = if self.mutant == Some(CampMutant::RollbackFailureIgnored) {
                    ProcState::RolledBack
                } else {
                    ProcState::RollbackFailed
                }
            }
            _ => return false,
        }
        true
    }

    /// The campaign's automatic reaction, if one is due.
    /// Whether [`Self::react`] changes `s`, without cloning it (it is asked once per state):
    /// the same conditions as `react`'s arms, in the same order. A divergence would add or
    /// drop React transitions, which the pinned state and transition counts catch.
    fn reacts(&self, s: &CampSysState) -> bool {
        use ProcState as P;
        let any = |f: &dyn Fn(P) -> bool| s.procs.iter().any(|r| f(r.st));
        match s.camp {
            CampState::Executing
            | CampState::ErrorDetected
            | CampState::SuspendingExecution
            | CampState::ErrorDetectedInSuspending
                if any(&|st| st == P::Failed) =>
            {
                true
            }
            CampState::SuspendingExecution if any(&|st| st == P::StepUndone) => true,
            CampState::SuspendingExecution | CampState::ErrorDetectedInSuspending => {
                !any(&|st| st == P::Executing)
            }
            CampState::SuspendingRollback if any(&|st| st == P::RollbackFailed) => true,
            CampState::SuspendingRollback => !any(&|st| st == P::RollingBack),
            CampState::Executing if any(&|st| st == P::StepUndone) => true,
            CampState::Executing => self.at_level(s).all(|p| s.procs[p].st == P::Completed),
            CampState::ErrorDetected => !any(&|st| st == P::Executing),
            CampState::RollingBack if any(&|st| st == P::RollbackFailed) => true,
            CampState::RollingBack => self.at_level(s).all(|p| s.procs[p].st == P::RolledBack),
            _ => false,
        }
    }

    fn react(&self, s: &mut CampSysState) -> bool {
        use ProcState as P;
        let any = |s: &CampSysState, f: &dyn Fn(P) -> bool| s.procs.iter().any(|r| f(r.st));
        match s.camp {
            CampState::Executing
            | CampState::ErrorDetected
            | CampState::SuspendingExecution
            | CampState::ErrorDetectedInSuspending
                if any(s, &|st| st == P::Failed) =>
            {
                s.camp = CampState::ExecutionFailed;
            }
            CampState::SuspendingExecution if any(s, &|st| st == P::StepUndone) => {
                s.camp = CampState::ErrorDetectedInSuspending;
            }
            // Every procedure stopped at a step boundary (or finished): suspended. The next
            // level, or completion, waits for the resume.
            CampState::SuspendingExecution => {
                if any(s, &|st| st == P::Executing) {
                    return false;
                }
                s.camp = CampState::ExecutionSuspended;
            }
            CampState::ErrorDetectedInSuspending => {
                if any(s, &|st| st == P::Executing) {
                    return false;
                }
                s.camp = CampState::SuspendedByErrorDetected;
            }
            CampState::SuspendingRollback if any(s, &|st| st == P::RollbackFailed) => {
                s.camp = CampState::RollbackFailed;
            }
            CampState::SuspendingRollback => {
                if any(s, &|st| st == P::RollingBack) {
                    return false;
                }
                s.camp = CampState::RollbackSuspended;
            }
            CampState::Executing if any(s, &|st| st == P::StepUndone) => {
                s.camp = CampState::ErrorDetected;
            }
            CampState::Executing => {
                let done = self.at_level(s).all(|p| s.procs[p].st == P::Completed);
                if !done {
                    return false;
                }
                if (s.level as usize) + 1 < self.levels.len() {
                    s.level += 1;
                    // (Every procedure of the next level is Initial unless a seeded defect
                    // started it early.)
                    for p in self.at_level(s).collect::<Vec<_>>() {
                        if s.procs[p].st == ProcState::Initial {
                            self.start_proc(s, p);
                        }
                    }
                } else {
                    s.camp = CampState::ExecutionCompleted;
                    // campCompleteAction (smfd `SmfCampaignWrapup::executeCampComplete`).
                    if let Some(sys) = &self.system {
                        self.apply_effects(s, &sys.effects.camp_complete, false);
                    }
                }
            }
            CampState::ErrorDetected => {
                // Wait until no procedure is still inside a step.
                if any(s, &|st| st == P::Executing) {
                    return false;
                }
                s.camp = CampState::SuspendedByErrorDetected;
            }
            CampState::RollingBack if any(s, &|st| st == P::RollbackFailed) => {
                s.camp = CampState::RollbackFailed;
            }
            CampState::RollingBack => {
                let done = self.at_level(s).all(|p| s.procs[p].st == P::RolledBack);
                if !done {
                    return false;
                }
                if s.level == 0 {
                    s.camp = CampState::RollbackCompleted;
                    // Rolling back the campaign initialization (last, after every procedure)
                    // undoes its CCBs, as OpenSAF's SmfCampaignInit::rollback does: every VM's
                    // saPlmDepNames is as configured again (the caught VMs are released).
                    if let Some(sys) = &self.system {
                        self.apply_effects(s, &sys.effects.camp_init, true);
                        self.apply_deps(s, &sys.restore_deps);
                    }
                } else {
                    s.level -= 1;
                    // (No procedure of the lower level has started rolling back unless a seeded
                    // defect started it early.)
                    for p in self.at_level(s).collect::<Vec<_>>() {
                        if !matches!(
                            s.procs[p].st,
                            P::RollingBack | P::RolledBack | P::RollbackFailed
                        ) {
                            self.start_rollback(s, p);
                        }
                    }
                }
            }
            _ => return false,
        }
        true
    }

    pub fn describe_state(&self, s: &CampSysState) -> String {
        let mut out = format!("campaign: {:?}", s.camp);
        for (p, rt) in s.procs.iter().enumerate() {
            let _ = write!(
                out,
                "\n  procedure {} (level {}): {:?}, step {}/{}",
                self.procs[p].name,
                self.procs[p].exec_level,
                rt.st,
                (rt.cur as usize + 1).min(self.procs[p].steps.len()),
                self.procs[p].steps.len()
            );
            if let Some(run) = rt.runs.get(rt.cur as usize) {
                let core = &self.procs[p].steps[rt.cur as usize];
                for k in 0..core.degree() {
                    let _ = write!(
                        out,
                        "\n    nested step {}: {:<22} layer {}",
                        k + 1,
                        run.steps[k].st.name(),
                        run.layers[k]
                    );
                }
            }
        }
        out
    }
}

impl Model for CampaignModel {
    type State = CampSysState;
    type Action = CampAction;

    fn init_states(&self) -> Vec<CampSysState> {
        let systems: Vec<Option<SysState>> = match &self.system {
            None => vec![None],
            Some(sys) => sys.initial.iter().cloned().map(Some).collect(),
        };
        systems
            .into_iter()
            .map(|sys| CampSysState {
                camp: CampState::Initial,
                procs: self
                    .procs
                    .iter()
                    .map(|p| ProcRt {
                        st: ProcState::Initial,
                        cur: 0,
                        runs: p.steps.iter().map(Core::initial_run).collect(),
                    })
                    .collect(),
                level: 0,
                faults: 0,
                admin_retries: 0,
                suspends: 0,
                sys,
            })
            .enumerate()
            .filter(|(k, _)| {
                self.shard
                    .is_none_or(|(i, n)| *k as u64 % n as u64 == (i - 1) as u64)
            })
            .map(|(_, s)| s)
            .collect()
    }

    fn actions(&self, s: &CampSysState, out: &mut Vec<CampAction>) {
        // A displaced VM migrates before anything else happens (live migration is immediate).
        if let (Some(sys), Some(st)) = (&self.system, &s.sys)
            && let Some((vm, choices)) = st.migration_choices(&sys.world)
        {
            if choices.is_empty() {
                out.push(CampAction::Migrate {
                    vm: vm as u16,
                    to: None,
                });
            }
            out.extend(choices.into_iter().map(|k| CampAction::Migrate {
                vm: vm as u16,
                to: Some(k),
            }));
            return;
        }
        if let Some(e) = s.sys.as_ref().and_then(SysState::pending_restart) {
            out.push(CampAction::RestartDone { ee: e as u16 });
            return;
        }
        match s.camp {
            CampState::Initial => out.push(CampAction::Execute),
            CampState::SuspendedByErrorDetected => {
                if s.admin_retries < self.max_admin_retries {
                    out.push(CampAction::Execute);
                }
                out.push(CampAction::Rollback);
            }
            CampState::ExecutionCompleted => {
                out.push(CampAction::Commit);
                out.push(CampAction::Rollback);
            }
            CampState::RollbackCompleted => out.push(CampAction::Commit),
            // Resume, or roll back (smfd accepts rollback in Execution Suspended).
            CampState::ExecutionSuspended => {
                out.push(CampAction::Execute);
                out.push(CampAction::Rollback);
            }
            // Resume the rollback.
            CampState::RollbackSuspended => out.push(CampAction::Rollback),
            _ => {}
        }
        if matches!(s.camp, CampState::Executing | CampState::RollingBack)
            && s.suspends < self.max_suspends
        {
            out.push(CampAction::Suspend);
        }
        if self.reacts(s) {
            out.push(CampAction::React);
        }
        let mut moves = Vec::new();
        for (p, rt) in s.procs.iter().enumerate() {
            if !matches!(rt.st, ProcState::Executing | ProcState::RollingBack) {
                continue;
            }
            let cur = rt.cur as usize;
            let run = &rt.runs[cur];
            if run.msg.is_some_and(|m| m.to == 0) {
                out.push(CampAction::ProcReceive { proc: p as u8 });
                continue;
            }
            moves.clear();
            self.procs[p].steps[cur].moves(run, s.faults < self.faults, &mut moves);
            out.extend(
                moves
                    .iter()
                    .map(|&mv| CampAction::Step { proc: p as u8, mv }),
            );
        }
    }

    fn next_state(&self, s: &CampSysState, a: CampAction) -> Option<CampSysState> {
        let mut t = s.clone();
        self.apply(s, a, &mut t).map(|()| t)
    }

    fn properties(&self) -> Vec<Property<Self>> {
        vec![Property::always("explores-everything", |_, _| true)]
    }
}

impl CampaignModel {
    /// The transition `s --a-->` applied to `t`, a copy of `s` (`None`: `a` is not enabled;
    /// `t` is then garbage). [`Model::next_state`] on a fresh copy, the explorer on a reused
    /// one ([`Checked::next_state_into`]).
    fn apply(&self, s: &CampSysState, a: CampAction, t: &mut CampSysState) -> Option<()> {
        match a {
            CampAction::Migrate { vm, to } => {
                t.sys.as_mut()?.migrate(vm as usize, to);
            }
            CampAction::RestartDone { ee } => {
                t.sys.as_mut()?.finish_restart(ee as usize);
            }
            CampAction::Execute if s.camp == CampState::Initial => {
                t.camp = CampState::Executing;
                // addToImm, then campInitAction (smfd `SmfCampaignInit::execute`).
                if let Some(sys) = &self.system {
                    self.apply_effects(t, &sys.effects.camp_init, false);
                }
                let start: Vec<usize> = if self.mutant == Some(CampMutant::StartAllLevels) {
                    (0..self.procs.len()).collect()
                } else {
                    self.at_level(t).collect()
                };
                for p in start {
                    self.start_proc(t, p);
                }
            }
            CampAction::Suspend => {
                t.suspends += 1;
                t.camp = match s.camp {
                    CampState::Executing => CampState::SuspendingExecution,
                    CampState::RollingBack => CampState::SuspendingRollback,
                    _ => return None,
                };
            }
            CampAction::Execute if s.camp == CampState::ExecutionSuspended => {
                t.camp = CampState::Executing;
                for p in 0..t.procs.len() {
                    if t.procs[p].st == ProcState::Suspended {
                        self.start_step(t, p);
                    }
                }
            }
            CampAction::Rollback if s.camp == CampState::RollbackSuspended => {
                t.camp = CampState::RollingBack;
                for rt in &mut t.procs {
                    if rt.st == ProcState::RollbackSuspended {
                        rt.st = ProcState::RollingBack;
                        let c = rt.cur as usize;
                        Self::send(&mut rt.runs[c], Signal::Rollback);
                    }
                }
            }
            CampAction::Execute => {
                t.camp = CampState::Executing;
                t.admin_retries += 1;
                for p in 0..t.procs.len() {
                    if matches!(t.procs[p].st, ProcState::StepUndone | ProcState::Suspended) {
                        self.start_step(t, p);
                    }
                }
            }
            CampAction::Rollback => {
                // From Execution Completed the campCompleteAction CCBs and operations are
                // undone first (smfd `rollbackCampComplete`).
                if let (CampState::ExecutionCompleted, Some(sys)) = (s.camp, &self.system) {
                    self.apply_effects(t, &sys.effects.camp_complete, true);
                }
                t.camp = CampState::RollingBack;
                let start: Vec<usize> = if self.mutant == Some(CampMutant::RollbackAllLevels) {
                    (0..self.procs.len()).collect()
                } else {
                    self.at_level(t).collect()
                };
                for p in start {
                    self.start_rollback(t, p);
                }
            }
            CampAction::Commit => {
                t.camp = match s.camp {
                    CampState::ExecutionCompleted => CampState::Committed,
                    _ => CampState::RollbackCommitted,
                };
                // campWrapupAction runs when the campaign is committed. A rollback commit runs
                // instead the undo of every campWrapupAction admin operation and CLI command —
                // never executed — in document order, and skips its CCBs (smfd
                // `SmfCampRollbackCompleted::commit` → `SmfCampaignWrapup::rollbackCampWrapup`).
                match (t.camp, &self.system) {
                    (CampState::Committed, Some(sys)) => {
                        self.apply_effects(t, &sys.effects.camp_wrapup, false);
                    }
                    (CampState::RollbackCommitted, Some(sys)) => {
                        for e in &sys.effects.camp_wrapup {
                            if matches!(e, Effect::Admin { .. }) {
                                self.apply_effects(t, std::slice::from_ref(e), true);
                            }
                        }
                    }
                    _ => {}
                }
            }
            CampAction::ProcReceive { proc } => {
                if !self.proc_receive(t, proc as usize) {
                    return None;
                }
            }
            CampAction::React => {
                if !self.react(t) {
                    return None;
                }
            }
            CampAction::Step { proc, mv } => {
                let p = proc as usize;
                let cur = t.procs[p].cur as usize;
                if let Move::Run { fail: true, .. } = mv {
                    t.faults += 1;
                }
                let core = &self.procs[p].steps[cur];
                let effect = core.step(&mut t.procs[p].runs[cur], mv)?;
                if let Some(op) = effect {
                    let l = op.layer as usize;
                    let run = &mut t.procs[p].runs[cur];
                    run.layers[l] = op.action.apply(run.layers[l]);
                    if let (Some(sys), Some(st)) = (&self.system, t.sys.as_mut()) {
                        let b = &sys.bindings[p][cur][l];
                        let side = Side::of(op.action);
                        for (&e, s) in b.ees.iter().zip(&b.ee_side) {
                            if s.reached_by(side) {
                                st.apply_ee(&sys.world, e, op.action);
                            }
                        }
                        for (i, (&su, s)) in b.sus.iter().zip(&b.su_side).enumerate() {
                            let on = sys.world.su_node_ids[su][st.placed[su] as usize];
                            if s.reached_by(side) && b.reaches_sus(op.action) && b.su_here(i, on) {
                                st.apply_su(su, op.action);
                            }
                        }
                    }
                }
            }
        }
        Some(())
    }
}

impl Checked for CampaignModel {
    fn next_state_into(&self, s: &CampSysState, a: CampAction, t: &mut CampSysState) -> bool {
        t.clone_from(s);
        self.apply(s, a, t).is_some()
    }

    fn canonicalize(&self, s: &mut CampSysState) {
        if let Some(sym) = &self.symmetry {
            sym.canonicalize(s);
        }
    }

    fn reduction(&self) -> Option<String> {
        self.symmetry.as_ref().map(|s| s.describe(self))
    }

    fn partial_order(&self) -> Option<String> {
        // The seeded defects of the campaign FSM break the rules the independence argument
        // rests on (a procedure started twice, a campaign completed while a procedure still
        // runs): a model with one is explored without partial-order reduction.
        let fsm_mutant = matches!(
            self.mutant,
            Some(
                CampMutant::StartAllLevels
                    | CampMutant::RollbackAllLevels
                    | CampMutant::FailureCompletes
                    | CampMutant::RollbackFailureIgnored
            )
        );
        (self.por && !fsm_mutant)
            .then(|| "partial order: a procedure's moves inside its step first".to_string())
    }

    /// The ample set of `s` (docs/semantics.md §16): the moves of the first procedure whose
    /// every enabled move settles a nested step or delivers a signal between nested steps.
    /// Such a move reads and writes that procedure's current step run only — its nested
    /// steps' FSM states, retry counts and the signal in flight, never the layers, the
    /// entities, the fault budget, the procedure's state or the campaign's:
    ///
    /// * C0: the set is not empty.
    /// * C1 (independence): while procedure p is Executing or RollingBack, no action but p's
    ///   own writes p's record (the campaign starts, resumes and rolls back only procedures
    ///   that do not run: Initial, Suspended, Step Undone, Completed, Rollback Suspended), and
    ///   no action but p's own reads p's step run (the campaign reads procedure states only,
    ///   a step move reads its own procedure and the entities). So on every path from `s`,
    ///   p's enabled moves stay those of `s` until one of them is taken, every other action
    ///   commutes with them, and a move of another procedure that gives priority to a
    ///   migration or a restart only delays them.
    /// * C2 (invisibility): the claims read step FSM states only in Committed and Rollback
    ///   Committed states, in which no procedure runs ([`Checked::ample_premise`], checked on
    ///   every explored state), and in end states, which have no enabled move; transition
    ///   checks judge moves with an operation and migrations only. So every claim has the same
    ///   value before and after an ample move.
    ///
    /// The explorer adds the cycle proviso (C3).
    fn ample(&self, _s: &CampSysState, acts: &[CampAction], out: &mut Vec<usize>) {
        let proc_of = |a: &CampAction| match *a {
            CampAction::Step { proc, .. } | CampAction::ProcReceive { proc } => Some(proc),
            _ => None,
        };
        let local = |a: &CampAction| match (a, self.por_mutant) {
            (CampAction::Step { .. }, Some(PorMutant::StepMovesAmple))
            | (CampAction::ProcReceive { .. }, Some(PorMutant::ReceiveAmple)) => true,
            _ => matches!(
                a,
                CampAction::Step {
                    mv: Move::Settle { .. } | Move::Deliver,
                    ..
                }
            ),
        };
        for (k, a) in acts.iter().enumerate() {
            let Some(p) = proc_of(a) else { continue };
            if acts[..k].iter().any(|b| proc_of(b) == Some(p)) {
                continue;
            }
            let mine = || {
                acts.iter()
                    .enumerate()
                    .filter(|(_, b)| proc_of(b) == Some(p))
            };
            if mine().all(|(_, b)| local(b)) {
                out.extend(mine().map(|(j, _)| j));
                return;
            }
        }
    }

    fn ample_settled(&self, s: &CampSysState) -> bool {
        !s.procs
            .iter()
            .any(|r| matches!(r.st, ProcState::Executing | ProcState::RollingBack))
    }

    fn ample_premise(&self, s: &CampSysState) -> bool {
        !matches!(s.camp, CampState::Committed | CampState::RollbackCommitted)
            || !s
                .procs
                .iter()
                .any(|r| matches!(r.st, ProcState::Executing | ProcState::RollingBack))
    }

    fn packed_len(&self) -> Option<usize> {
        Some(self.layout().len())
    }

    fn packed_parts(&self) -> Vec<std::ops::Range<usize>> {
        self.layout().parts()
    }

    fn pack(&self, s: &CampSysState, out: &mut [u8]) {
        self.layout().encode(s, out);
    }

    fn unpack(&self, bytes: &[u8]) -> CampSysState {
        self.layout().decode(bytes)
    }

    fn unpack_into(&self, bytes: &[u8], s: &mut CampSysState) {
        self.layout().decode_into(bytes, s);
    }

    fn is_final(&self, s: &CampSysState) -> bool {
        matches!(
            s.camp,
            CampState::Committed
                | CampState::ExecutionFailed
                | CampState::RollbackCommitted
                | CampState::RollbackFailed
        )
    }

    fn describe(&self, s: &CampSysState, a: &CampAction, t: &CampSysState) -> String {
        let mut line = self.describe_plain(s, a, t);
        // System events the transition causes: SIs that lose or regain their last SU in service.
        if let (Some(sys), Some(before), Some(after)) = (&self.system, &s.sys, &t.sys) {
            for (i, name) in sys.si_names.iter().enumerate() {
                match (
                    before.si_available(&sys.world, i),
                    after.si_available(&sys.world, i),
                ) {
                    (true, false) => line.push_str(&format!(
                        "; SI {name}: unassigned (no in-service SU can take it)"
                    )),
                    (false, true) => line.push_str(&format!("; SI {name}: assigned again")),
                    _ => {}
                }
            }
        }
        match self.origin(s, a) {
            Some(o) => format!("{line}  [{o}]"),
            None => line,
        }
    }

    fn summary(&self, s: &CampSysState) -> String {
        self.summary_text(s)
    }

    fn location(
        &self,
        s: &CampSysState,
        a: &CampAction,
        _t: &CampSysState,
    ) -> Option<(String, usize)> {
        let (file, line) = self.origin(s, a)?.rsplit_once(':')?;
        Some((file.to_string(), line.parse().ok()?))
    }
}

impl CampaignModel {
    /// Where the nested step or procedure that `a` acts on is written (`file:line`).
    fn origin<'a>(&'a self, s: &CampSysState, a: &CampAction) -> Option<&'a str> {
        match a {
            CampAction::Step { proc, mv } => {
                let p = *proc as usize;
                let cur = s.procs[p].cur as usize;
                let nested = match mv {
                    Move::Run { step, .. } | Move::Settle { step } => *step as usize,
                    Move::Deliver => s.procs[p].runs[cur]
                        .msg
                        .map(|m| (m.to as usize).saturating_sub(1))
                        .unwrap_or(0),
                };
                self.procs[p]
                    .step_origins
                    .get(cur)
                    .and_then(|o| o.get(nested))
                    .map(String::as_str)
            }
            CampAction::ProcReceive { proc } => self.procs[*proc as usize].origin.as_deref(),
            _ => None,
        }
    }
}

impl CampaignModel {
    fn describe_plain(&self, s: &CampSysState, a: &CampAction, t: &CampSysState) -> String {
        match a {
            CampAction::Migrate { vm, to } => {
                let sys = self.system.as_ref().expect("migrations need a system");
                let vm = *vm as usize;
                match to {
                    Some(k) => {
                        let host = sys.world.sponsors[vm][*k as usize];
                        let st = t.sys.as_ref().expect("system state");
                        format!(
                            "PLM: VM {} migrates to {} (runs {}){}",
                            sys.ee_names[vm],
                            sys.ee_names[host],
                            match st.ees[host].running() {
                                Some(crate::step::action::Ver::New) => "new",
                                Some(crate::step::action::Ver::Old) => "old",
                                None => "nothing",
                            },
                            if st.compatible_on(&sys.world, vm, *k) {
                                ""
                            } else {
                                " — INCOMPATIBLE"
                            }
                        )
                    }
                    None => format!(
                        "PLM: VM {} has no sponsor in service to migrate to; it is out of service",
                        sys.ee_names[vm]
                    ),
                }
            }
            CampAction::RestartDone { ee } => {
                let sys = self.system.as_ref().expect("restarts need a system");
                format!(
                    "PLM: EE {} is back up after its restart",
                    sys.ee_names[*ee as usize]
                )
            }
            CampAction::Execute => format!("administrator: Execute → campaign {:?}", t.camp),
            CampAction::Suspend => format!("administrator: Suspend → campaign {:?}", t.camp),
            CampAction::Rollback => format!("administrator: Rollback → campaign {:?}", t.camp),
            CampAction::Commit => format!("administrator: Commit → campaign {:?}", t.camp),
            CampAction::React => format!("campaign: {:?} → {:?}", s.camp, t.camp),
            CampAction::ProcReceive { proc } => {
                let p = *proc as usize;
                let sig = s.procs[p].runs[s.procs[p].cur as usize]
                    .msg
                    .map(|m| m.sig.name())
                    .unwrap_or("?");
                format!(
                    "procedure {} ← step {}: {sig} → {:?}",
                    self.procs[p].name,
                    s.procs[p].cur + 1,
                    t.procs[p].st
                )
            }
            CampAction::Step { proc, mv } => {
                let p = *proc as usize;
                let cur = s.procs[p].cur as usize;
                let core = &self.procs[p].steps[cur];
                let (a, b) = (&s.procs[p].runs[cur], &t.procs[p].runs[cur]);
                let what = match mv {
                    Move::Run { step, fail } => {
                        let op = core.next_op(a, *step as usize);
                        format!(
                            "nested step {}: {} — {}",
                            step + 1,
                            op.map(|o| o.to_string()).unwrap_or_default(),
                            if *fail { "FAILED" } else { "ok" }
                        )
                    }
                    Move::Settle { step } => format!(
                        "nested step {}: {} → {}",
                        step + 1,
                        a.steps[*step as usize].st.name(),
                        b.steps[*step as usize].st.name()
                    ),
                    Move::Deliver => match a.msg {
                        Some(m) => format!("nested step {} ← {}", m.to, m.sig.name()),
                        None => "deliver".into(),
                    },
                };
                format!("procedure {} step {}: {what}", self.procs[p].name, cur + 1)
            }
        }
    }

    fn summary_text(&self, s: &CampSysState) -> String {
        let mut out = self.describe_state(s);
        if let (Some(sys), Some(st)) = (&self.system, &s.sys) {
            for (e, name) in sys.ee_names.iter().enumerate() {
                let _ = write!(
                    out,
                    "\n  EE {name}: {}{}",
                    st.ees[e],
                    if st.ee_in_service(&sys.world, e) {
                        ""
                    } else {
                        " — out of service"
                    }
                );
            }
            for (u, name) in sys.su_names.iter().enumerate() {
                let _ = write!(
                    out,
                    "\n  SU {name}: {}{}",
                    st.sus[u],
                    if st.su_in_service(&sys.world, u) {
                        ""
                    } else {
                        " — out of service"
                    }
                );
            }
            for (i, name) in sys.si_names.iter().enumerate() {
                if !st.si_available(&sys.world, i) {
                    let _ = write!(
                        out,
                        "\n  SI {name}: unassigned (no in-service SU can take it)"
                    );
                }
            }
            // The IMM objects custom actions, addToImm and removeFromImm touched, where they
            // differ from the configuration before the campaign (and at commit, the points
            // whose changes are missing).
            let committed = s.camp == CampState::Committed;
            for line in sys.ledger.diff_from_source(st.im_done, committed) {
                let _ = write!(out, "\n  {line}");
            }
            if committed {
                for line in sys.ledger.missing(st.im_done) {
                    let _ = write!(out, "\n  {line}");
                }
            }
        }
        out
    }
}

/// The final FSM state of a step run, for claims.
pub fn outer_state(run: &Run) -> StepState {
    run.steps[0].st
}

/// The "P parallel procedures" family of the benches (procedures at one level: Error Detected
/// while others still run, parallel rollbacks), for the test below.
#[cfg(test)]
#[path = "../../benches/support/parallel.rs"]
mod parallel_family;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::{CampaignOptions, CampaignSpec};
    use parallel_family as parallel;

    /// Campaigns with several levels, parallel procedures, faults, suspensions and retries,
    /// each with every reachable state (depth-first, no reduction).
    fn bundled() -> Vec<(&'static str, CampaignModel, Vec<CampSysState>)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("models");
        let tmp = tempfile::tempdir().unwrap();
        let mut out = Vec::new();
        for (dir, campaign, config, compat, faults, suspends) in [
            (
                "thesis-case-study",
                "expected-campaign.xml",
                "source.xml",
                "compat.xml",
                1,
                1,
            ),
            (
                "vm-vmm",
                "broken-uncaught.xml",
                "source.xml",
                "compat.xml",
                1,
                0,
            ),
            (
                "vlc-2n",
                "rolling-os-upgrade.xml",
                "config.xml",
                "compat.xml",
                2,
                1,
            ),
            ("parallel", "campaign.xml", "config.xml", "compat.xml", 2, 1),
        ] {
            let d = if dir == "parallel" {
                let d = tmp.path().to_path_buf();
                let (c, k) = parallel::write(&d, 2).unwrap();
                std::fs::rename(c, d.join(campaign)).unwrap();
                std::fs::rename(k, d.join(config)).unwrap();
                std::fs::write(
                    d.join(compat),
                    std::fs::read(root.join("vlc-2n/compat.xml")).unwrap(),
                )
                .unwrap();
                d
            } else {
                root.join(dir)
            };
            if !d.join(campaign).exists() {
                panic!("{dir}/{campaign} missing");
            }
            let spec = CampaignSpec {
                campaign: d.join(campaign),
                config: vec![d.join(config)],
                compat: Some(d.join(compat)),
                target: vec![],
                options: CampaignOptions {
                    faults,
                    max_suspends: suspends,
                    ..CampaignOptions::default()
                },
            };
            let m = crate::load::campaign(&spec).unwrap_or_else(|e| panic!("{dir}: {e}"));
            let mut seen: std::collections::HashSet<CampSysState> = Default::default();
            let mut queue: Vec<CampSysState> = m.init_states();
            let mut acts = Vec::new();
            while let Some(s) = queue.pop() {
                if !seen.insert(s.clone()) {
                    continue;
                }
                acts.clear();
                m.actions(&s, &mut acts);
                for a in acts.drain(..) {
                    if let Some(t) = m.next_state(&s, a) {
                        queue.push(t);
                    }
                }
            }
            assert!(seen.len() > 100, "{dir}: {} states", seen.len());
            out.push((dir, m, seen.into_iter().collect()));
        }
        out
    }

    /// `reacts` (asked once per state, without a clone) agrees with `react` on every reachable
    /// state of the bundled campaigns.
    #[test]
    fn reacts_agrees_with_react_on_every_reachable_state() {
        for (dir, m, states) in bundled() {
            let mut reacting = 0;
            for s in &states {
                let mut probe = s.clone();
                let r = m.react(&mut probe);
                assert_eq!(m.reacts(s), r, "{dir}: {}", m.describe_state(s));
                reacting += r as usize;
            }
            assert!(reacting > 0, "{dir}");
        }
    }

    /// What the ample sets rest on (docs/semantics.md §16), on every reachable state and
    /// transition of the bundled campaigns:
    /// * an ample move changes its procedure's current step FSM only (not its layers, its
    ///   procedure's state or step, any other procedure, the entities or the counters), and
    ///   every transition check passes on it;
    /// * no action but a procedure's own changes a running procedure;
    /// * an ample move commutes with every other enabled action: each stays enabled after the
    ///   other (unless a migration or a restart takes priority) and both orders end in the
    ///   same state;
    /// * every state check judges the state before and after an ample move alike, and the move
    ///   does not end the campaign.
    #[test]
    fn ample_sets_meet_their_premises_on_every_reachable_state() {
        let mut checked = 0usize;
        for (dir, mut m, states) in bundled() {
            m.por = true;
            checked += premises(dir, &m, &states).unwrap_or_else(|e| panic!("{e}"));
        }
        assert!(checked > 1000, "{checked} pairs");
    }

    /// Each seeded defect of the ample sets breaks a premise on some bundled campaign.
    #[test]
    fn every_reduction_mutant_breaks_a_premise() {
        let models = bundled();
        for mutant in ALL_POR_MUTANTS {
            let caught = models.iter().any(|(dir, m, states)| {
                let mut m = m.clone();
                m.por = true;
                m.por_mutant = Some(mutant);
                premises(dir, &m, states).is_err()
            });
            assert!(caught, "{mutant:?} meets every premise");
        }
    }

    /// The premises of the ample sets on `states`: the number of commuting pairs checked, or
    /// the first premise broken.
    fn premises(dir: &str, m: &CampaignModel, states: &[CampSysState]) -> Result<usize, String> {
        use crate::check::Check;
        let claims = crate::properties::campaign_registry();
        let running = |r: &ProcRt| matches!(r.st, ProcState::Executing | ProcState::RollingBack);
        let owner = |a: &CampAction| match *a {
            CampAction::Step { proc, .. } | CampAction::ProcReceive { proc } => Some(proc as usize),
            _ => None,
        };
        let forced = |m: &CampaignModel, s: &CampSysState| {
            let mut acts = Vec::new();
            m.actions(s, &mut acts);
            matches!(
                acts.first(),
                Some(CampAction::Migrate { .. } | CampAction::RestartDone { .. })
            )
        };
        let fail = |what: String| Err(format!("{dir}: {what}"));
        let mut checked = 0usize;
        let mut acts = Vec::new();
        let mut after = Vec::new();
        let mut ample = Vec::new();
        for s in states {
            if !m.ample_premise(s) {
                return fail(format!("premise broken in {}", m.describe_state(s)));
            }
            acts.clear();
            m.actions(s, &mut acts);
            ample.clear();
            m.ample(s, &acts, &mut ample);
            for (k, b) in acts.iter().enumerate() {
                let Some(t) = m.next_state(s, *b) else {
                    continue;
                };
                for (p, r) in s.procs.iter().enumerate() {
                    if running(r) && owner(b) != Some(p) && t.procs[p] != *r {
                        return fail(format!("{b:?} changes procedure {p}"));
                    }
                }
                if !ample.contains(&k) {
                    continue;
                }
                let p = owner(b).expect("an ample move is a procedure's");
                let c = s.procs[p].cur as usize;
                let mut same = t.clone();
                same.procs[p].runs[c].steps = s.procs[p].runs[c].steps;
                same.procs[p].runs[c].msg = s.procs[p].runs[c].msg;
                if same != *s {
                    return fail(format!("{b:?} changes more than its step FSM"));
                }
                for claim in &claims {
                    for check in &claim.checks {
                        let alike = match check {
                            Check::Always(f) | Check::Sometimes(f) => f(m, s) == f(m, &t),
                            Check::OnStep(f) => f(m, s, b, &t),
                            // End checks judge states without a move, and a state with an ample
                            // move has one (as has every state it reaches without taking it);
                            // the final states are the campaign's.
                            Check::AtEnd(_) | Check::Terminates => m.is_final(s) == m.is_final(&t),
                        };
                        if !alike {
                            return fail(format!("{b:?} is visible to {}", claim.name));
                        }
                    }
                }
                for (j, o) in acts.iter().enumerate() {
                    if ample.contains(&j) {
                        continue;
                    }
                    let Some(u) = m.next_state(s, *o) else {
                        continue;
                    };
                    after.clear();
                    m.actions(&t, &mut after);
                    if !after.contains(o) {
                        return fail(format!("{b:?} disables {o:?}"));
                    }
                    after.clear();
                    m.actions(&u, &mut after);
                    if !after.contains(b) && !forced(m, &u) {
                        return fail(format!("{o:?} disables {b:?}"));
                    }
                    let bo = m.next_state(&t, *o).expect("enabled");
                    let ob = m.next_state(&u, *b).expect("enabled");
                    if bo != ob {
                        return fail(format!("{b:?} and {o:?} do not commute"));
                    }
                    checked += 1;
                }
            }
        }
        Ok(checked)
    }
}
