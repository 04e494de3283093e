//! The environment around one (embedded) step as a stateright [`Model`] (thesis §2.8.6, §4.4.1):
//! the procedure sends Execute; any action, undo action and rollback action may fail within a
//! fault budget; the administrator may re-execute an Undone step (bounded, the retry counts start
//! afresh, docs/semantics.md §6) and may order the rollback of a Completed step.
//!
//! Base-type changes (§3.1.1, §3.2.2 "incompatible actions") are recorded per layer: if layer L
//! changes base type, the software of layer L−1 can only be (un)installed on the matching
//! generation of layer L. The graph is finite: every loop (retry, re-execution) consumes a bounded
//! counter held in the state.

use crate::check::Checked;
use crate::step::action::{Action, LayerState};
use crate::step::embed::{EmbeddedStep, Op};
use crate::step::fsm::{Core, Move, Msg, Run, Signal, StepState};
use stateright::{Model, Property};
use std::fmt::Write;

/// What the procedure (and its administrator) knows about the step: its view of the step's
/// outcome, not the SMF procedure FSM (that is [`crate::campaign::model::ProcState`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum ProcView {
    #[default]
    Idle,
    Running,
    Completed,
    Undone,
    Failed,
    RollingBack,
    RolledBack,
    RollbackUndone,
    RollbackFailed,
}

impl ProcView {
    pub fn name(self) -> &'static str {
        match self {
            ProcView::Idle => "Initial",
            ProcView::Running => "Executing",
            ProcView::Completed => "step Completed",
            ProcView::Undone => "step Undone",
            ProcView::Failed => "step Failed",
            ProcView::RollingBack => "Rolling Back",
            ProcView::RolledBack => "step Rolled Back",
            ProcView::RollbackUndone => "step Rollback Undone",
            ProcView::RollbackFailed => "step Rollback Failed",
        }
    }
}

/// One explored state: the embedded step, the procedure, and the environment's counters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct StepSysState {
    pub run: Run,
    pub proc: ProcView,
    pub faults: u8,
    pub reexec: u8,
    pub rolled_back: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StepAction {
    /// The procedure (first time) or the administrator (forced retry) sends Execute.
    Execute,
    /// The administrator orders the rollback of the completed step.
    Rollback,
    Step(Move),
}

/// Parameters of the step model.
#[derive(Clone, Debug)]
pub struct StepModel {
    pub core: Core,
    /// Fault budget: how many actions (forward, undo, rollback, undo of rollback) may fail.
    pub faults: u8,
    /// How often the administrator may re-execute an Undone step.
    pub max_reexec: u8,
    /// Whether the administrator may order a rollback of a Completed step.
    pub allow_rollback: bool,
    /// Bit l set: layer l (0-based) changes base type.
    pub base_type_change: u8,
}

impl StepModel {
    pub fn new(core: Core) -> Self {
        StepModel {
            core,
            faults: 2,
            max_reexec: 1,
            allow_rollback: true,
            base_type_change: 0,
        }
    }

    pub fn step(&self) -> &EmbeddedStep {
        &self.core.step
    }

    pub fn degree(&self) -> usize {
        self.core.degree()
    }

    pub fn changes_base_type(&self, layer: usize) -> bool {
        self.base_type_change & (1 << layer) != 0
    }

    /// The operation a step action would perform, if it is an action attempt.
    pub fn op_of(&self, s: &StepSysState, a: &StepAction) -> Option<Op> {
        match a {
            StepAction::Step(Move::Run { step, .. }) => self.core.next_op(&s.run, *step as usize),
            _ => None,
        }
    }

    /// §3.1 / §4.1.2: an (un)installation of software `v` on layer i needs layer i+1 running and,
    /// if layer i+1 changes base type, running the generation `v` is built for. The innermost layer
    /// sits on the platform outside the step, which is taken as always ready.
    ///
    /// A running layer is also the execution environment of its *own* online operations
    /// (§3.2.2: "the online installation of the new software (Windows OS based) on the Ubuntu
    /// OS; thus resulting in a failure"; §4.1.3: "the online installation of Windows OS cannot
    /// be performed on the Ubuntu OS; therefore upgrade step for Layer 2 is also In-Phase"): if
    /// layer i changes base type, an online (un)installation of generation `v` of its own image
    /// while it runs the other generation is not ready. Offline operations run while the layer
    /// is down, and an online one on a layer that is down runs on what hosts it.
    pub fn install_ready(&self, s: &StepSysState, op: Op) -> bool {
        let Some(v) = op.action.installs() else {
            return true;
        };
        let me = op.layer as usize;
        if !op.action.is_offline()
            && self.changes_base_type(me)
            && s.run.layers[me].running().is_some_and(|w| w != v)
        {
            return false;
        }
        let below = op.layer as usize + 1;
        if below >= self.degree() {
            return true;
        }
        match s.run.layers[below].running() {
            None => false,
            Some(w) => !self.changes_base_type(below) || w == v,
        }
    }

    fn deliver_to_proc(&self, s: &mut StepSysState, m: Msg) -> bool {
        use ProcView as P;
        s.proc = match (s.proc, m.sig) {
            (P::Running, Signal::Completed) => P::Completed,
            (P::Running, Signal::Undone) => P::Undone,
            (P::Running, Signal::Failed) => P::Failed,
            (P::RollingBack, Signal::RolledBack) => P::RolledBack,
            (P::RollingBack, Signal::RollbackUndone) => P::RollbackUndone,
            (P::RollingBack, Signal::RollbackFailed) => P::RollbackFailed,
            _ => return false,
        };
        s.run.msg = None;
        true
    }

    fn send_to_step1(s: &mut StepSysState, sig: Signal) {
        s.run.msg = Some(Msg {
            from: 0,
            to: 1,
            sig,
        });
    }

    /// One trace line in SMF terms.
    pub fn describe(&self, s: &StepSysState, a: &StepAction, t: &StepSysState) -> String {
        let mut out = String::new();
        match a {
            StepAction::Execute if s.proc == ProcView::Idle => {
                out.push_str("procedure: Execute → step 1")
            }
            StepAction::Execute => out.push_str("administrator: Execute (forced retry) → step 1"),
            StepAction::Rollback => out.push_str("administrator: Rollback → step 1"),
            StepAction::Step(Move::Deliver) => {
                let m = s.run.msg.expect("deliver needs a message");
                let from = if m.from == 0 {
                    "procedure".to_string()
                } else {
                    format!("step {}", m.from)
                };
                if m.to == 0 {
                    let _ = write!(
                        out,
                        "procedure ← {from}: {} → {}",
                        m.sig.name(),
                        t.proc.name()
                    );
                } else {
                    let k = m.to as usize - 1;
                    let _ = write!(
                        out,
                        "step {} (layer {}) ← {from}: {} → {}",
                        m.to,
                        m.to,
                        m.sig.name(),
                        self.state_label(t, k)
                    );
                }
            }
            StepAction::Step(Move::Run { step, fail }) => {
                let k = *step as usize;
                let op = self.core.next_op(&s.run, k).expect("run needs an op");
                let verdict = if *fail { "FAILED" } else { "ok" };
                let _ = write!(
                    out,
                    "step {} (layer {}): {} — {verdict}",
                    k + 1,
                    op.layer + 1,
                    op.action
                );
                if s.run.steps[k].st != t.run.steps[k].st {
                    let _ = write!(out, " → {}", self.state_label(t, k));
                }
            }
            StepAction::Step(Move::Settle { step }) => {
                let k = *step as usize;
                let (from, to) = (s.run.steps[k], t.run.steps[k]);
                let event = settle_event(from.st, to.st, from.phase, to.phase);
                let _ = write!(
                    out,
                    "step {} (layer {}): {event} → {}",
                    k + 1,
                    k + 1,
                    self.state_label(t, k)
                );
            }
        }
        if let Some(m) = t.run.msg
            && s.run.msg != t.run.msg
            && !matches!(a, StepAction::Execute | StepAction::Rollback)
        {
            let to = if m.to == 0 {
                "procedure".to_string()
            } else {
                format!("step {}", m.to)
            };
            let _ = write!(out, "; signal {} to {to}", m.sig.name());
        }
        out
    }

    fn state_label(&self, s: &StepSysState, k: usize) -> String {
        let n = s.run.steps[k];
        let phased = matches!(
            n.st,
            StepState::Executing
                | StepState::Undoing
                | StepState::PartialUndoing
                | StepState::RollingBack
                | StepState::UndoingRollback
        );
        if phased {
            format!("{} (phase {})", n.st, n.phase)
        } else {
            n.st.to_string()
        }
    }

    /// A short multi-line summary of a state (used under a counterexample).
    pub fn summary(&self, s: &StepSysState) -> String {
        let mut out = format!("procedure: {}", s.proc.name());
        for k in 0..self.degree() {
            let _ = write!(
                out,
                "\n  step {} ({}): {:<24} layer {}: {}",
                k + 1,
                self.step().types[k],
                self.state_label(s, k),
                k + 1,
                s.run.layers[k]
            );
        }
        out
    }

    /// The layer a nested step's phase must start from (§4.2: the closest stable state): for
    /// phase 0 the source (forward) or target (rollback), for phase 1 after its own tear-down and,
    /// for outer steps, after its own reconfiguration (done by the innermost step, Fig. 4.1).
    pub fn phase_start(&self, k: usize, rollback: bool, phase: u8) -> LayerState {
        let ty = self.step().types[k];
        let start = if rollback {
            self.step().target(k)
        } else {
            self.step().source(k)
        };
        if phase == 0 {
            return start;
        }
        let row = if rollback {
            ty.rollback()
        } else {
            ty.forward()
        };
        let inner = k + 1 == self.degree();
        let mut acts: Vec<Action> = row.t.to_vec();
        if !inner {
            acts.extend_from_slice(row.r);
        }
        acts.iter().fold(start, |l, a| a.apply(l))
    }
}

/// The FSM event a settle transition stands for (the labels of Fig. 2.6, 4.3 and 4.4).
pub fn settle_event(from: StepState, to: StepState, phase_from: u8, phase_to: u8) -> &'static str {
    use StepState as S;
    match (from, to) {
        (S::Executing, S::Executing) | (S::RollingBack, S::RollingBack)
            if phase_from != phase_to =>
        {
            "Phase-complete / phase := 1"
        }
        (S::Executing, S::Waiting) | (S::RollingBack, S::RollbackWaiting) => "Phase-complete",
        (S::Executing, S::Completed) | (S::RollingBack, S::RolledBack) => "Done",
        (S::Undoing, S::Executing) | (S::UndoingRollback, S::RollingBack) => "Retry",
        (S::Undoing, _) | (S::UndoingRollback, _) => "Retry Count Exceeded",
        (S::PartialUndoing, S::Undone) => "Undo-Complete",
        (S::PartialUndoing, S::PartialUndone) => "Undo-Phase-Complete",
        _ => "settle",
    }
}

impl Model for StepModel {
    type State = StepSysState;
    type Action = StepAction;

    fn init_states(&self) -> Vec<StepSysState> {
        vec![StepSysState {
            run: self.core.initial_run(),
            proc: ProcView::Idle,
            faults: 0,
            reexec: 0,
            rolled_back: false,
        }]
    }

    fn actions(&self, s: &StepSysState, actions: &mut Vec<StepAction>) {
        if let Some(m) = s.run.msg {
            if m.to == 0 {
                let mut probe = *s;
                if self.deliver_to_proc(&mut probe, m) {
                    actions.push(StepAction::Step(Move::Deliver));
                }
                return;
            }
        } else {
            match s.proc {
                ProcView::Idle => actions.push(StepAction::Execute),
                ProcView::Undone if s.reexec < self.max_reexec => actions.push(StepAction::Execute),
                ProcView::Completed if self.allow_rollback && !s.rolled_back => {
                    actions.push(StepAction::Rollback)
                }
                _ => {}
            }
        }
        let mut moves = Vec::new();
        self.core.moves(&s.run, s.faults < self.faults, &mut moves);
        actions.extend(moves.into_iter().map(StepAction::Step));
    }

    fn next_state(&self, s: &StepSysState, a: StepAction) -> Option<StepSysState> {
        let mut t = *s;
        match a {
            StepAction::Execute => {
                if t.proc == ProcView::Undone {
                    t.reexec += 1;
                    for n in &mut t.run.steps {
                        n.retries = 0;
                    }
                }
                t.proc = ProcView::Running;
                Self::send_to_step1(&mut t, Signal::Execute);
            }
            StepAction::Rollback => {
                t.proc = ProcView::RollingBack;
                t.rolled_back = true;
                Self::send_to_step1(&mut t, Signal::Rollback);
            }
            StepAction::Step(Move::Deliver) if matches!(s.run.msg, Some(m) if m.to == 0) => {
                let m = s.run.msg?;
                if !self.deliver_to_proc(&mut t, m) {
                    return None;
                }
            }
            StepAction::Step(mv) => {
                if let Move::Run { fail: true, .. } = mv {
                    t.faults += 1;
                }
                if !self.core.apply(&mut t.run, mv) {
                    return None;
                }
            }
        }
        Some(t)
    }

    fn properties(&self) -> Vec<Property<Self>> {
        // Only for stateright's own checkers (the state-count cross-check): a property that always
        // holds makes its BFS visit every reachable state.
        vec![Property::always("explores-everything", |_, _| true)]
    }
}

impl Checked for StepModel {
    fn is_final(&self, s: &StepSysState) -> bool {
        s.run.msg.is_none()
            && matches!(
                s.proc,
                ProcView::Completed
                    | ProcView::Undone
                    | ProcView::Failed
                    | ProcView::RolledBack
                    | ProcView::RollbackUndone
                    | ProcView::RollbackFailed
            )
    }

    fn describe(&self, s: &StepSysState, a: &StepAction, t: &StepSysState) -> String {
        StepModel::describe(self, s, a, t)
    }

    fn summary(&self, s: &StepSysState) -> String {
        StepModel::summary(self, s)
    }
}
