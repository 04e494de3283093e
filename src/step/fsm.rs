//! The one FSM core: nested step i of n under the thesis's modified step FSM (§4.4.1, Fig. 4.3
//! normal execution and undo, Fig. 4.4 rollback). A non-embedded step is the case n = 1 and then
//! behaves exactly as the standard step FSM of §2.8.6 (Fig. 2.6); a test compares the two.
//!
//! The core interprets the compiled walks of [`EmbeddedStep`]: it never looks at step types.
//! Each nested step keeps its FSM state, its `phase` attribute (0 tear-down, 1 build-up), a cursor
//! into its walk and its retry count. Signals between neighbours (Execute, Completed, Undo, Undone,
//! Failed, Rollback, Rolled Back, Rollback Undone, Rollback Failed) travel through a one-message
//! channel: a step that sends enters a state in which it waits, so at most one signal is ever in
//! flight, and every delivery is a transition of its own (visible in traces). A signal the
//! receiver has no row for is not delivered: the run deadlocks and `terminates-in-final-state`
//! reports it.

use super::action::{Action, LayerState};
use super::embed::{EmbeddedStep, MAX_DEGREE, Op, Walk};
use std::fmt;

/// The states of the modified step FSM (§4.4.1). The first eleven are the standard ones (§2.8.6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
#[repr(u8)]
pub enum StepState {
    #[default]
    Initial,
    Executing,
    Undoing,
    Completed,
    Undone,
    Failed,
    RollingBack,
    UndoingRollback,
    RolledBack,
    RollbackUndone,
    RollbackFailed,
    Waiting,
    PartialUndoing,
    PartialUndone,
    RollbackWaiting,
    RollbackPartialUndone,
}

impl StepState {
    /// States in which the step itself executes actions (the `one-nested-step-active` claim).
    pub fn is_active(self) -> bool {
        matches!(
            self,
            StepState::Executing
                | StepState::Undoing
                | StepState::PartialUndoing
                | StepState::RollingBack
                | StepState::UndoingRollback
        )
    }

    pub fn name(self) -> &'static str {
        match self {
            StepState::Initial => "Initial",
            StepState::Executing => "Executing",
            StepState::Undoing => "Undoing",
            StepState::Completed => "Completed",
            StepState::Undone => "Undone",
            StepState::Failed => "Failed",
            StepState::RollingBack => "Rolling Back",
            StepState::UndoingRollback => "Undoing Rollback",
            StepState::RolledBack => "Rolled Back",
            StepState::RollbackUndone => "Rollback Undone",
            StepState::RollbackFailed => "Rollback Failed",
            StepState::Waiting => "Waiting",
            StepState::PartialUndoing => "Partial Undoing",
            StepState::PartialUndone => "Partial Undone",
            StepState::RollbackWaiting => "Rollback Waiting",
            StepState::RollbackPartialUndone => "Rollback Partial Undone",
        }
    }

    pub const ALL: [StepState; 16] = [
        StepState::Initial,
        StepState::Executing,
        StepState::Undoing,
        StepState::Completed,
        StepState::Undone,
        StepState::Failed,
        StepState::RollingBack,
        StepState::UndoingRollback,
        StepState::RolledBack,
        StepState::RollbackUndone,
        StepState::RollbackFailed,
        StepState::Waiting,
        StepState::PartialUndoing,
        StepState::PartialUndone,
        StepState::RollbackWaiting,
        StepState::RollbackPartialUndone,
    ];
}

impl fmt::Display for StepState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Signals between a nested step and its neighbours (or the procedure, for step 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Signal {
    Execute,
    Completed,
    Undo,
    Undone,
    Failed,
    Rollback,
    RolledBack,
    RollbackUndone,
    RollbackFailed,
}

impl Signal {
    pub fn name(self) -> &'static str {
        match self {
            Signal::Execute => "Execute",
            Signal::Completed => "Completed",
            Signal::Undo => "Undo",
            Signal::Undone => "Undone",
            Signal::Failed => "Failed",
            Signal::Rollback => "Rollback",
            Signal::RolledBack => "Rolled Back",
            Signal::RollbackUndone => "Rollback Undone",
            Signal::RollbackFailed => "Rollback Failed",
        }
    }
}

/// A signal in flight. `to == 0` is the party outside the embedded step (the procedure);
/// `to == k` is nested step k (1-based, as in the thesis). `from` uses the same numbering.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Msg {
    pub from: u8,
    pub to: u8,
    pub sig: Signal,
}

/// The per-nested-step part of the state: 4 bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Nested {
    pub st: StepState,
    /// The `phase` attribute of §4.4.1: 0 tear-down, 1 build-up.
    pub phase: u8,
    /// Cursor into the walk. Executing / Rolling Back: actions done so far. Undoing (thesis
    /// semantics): actions not yet reversed; it counts down to the start of the phase being
    /// undone. Undoing (OpenSAF semantics): actions of the undo list done so far.
    pub pc: u8,
    pub retries: u8,
}

/// The state of one embedded step and the layers it acts on. Slots beyond the degree stay zero.
// `Ord` only orders interchangeable procedures for symmetry reduction (any total order does).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, PartialOrd, Ord)]
pub struct Run {
    pub steps: [Nested; MAX_DEGREE],
    pub layers: [LayerState; MAX_DEGREE],
    pub msg: Option<Msg>,
}

impl Nested {
    fn packed(self) -> u32 {
        u32::from_le_bytes([self.st as u8, self.phase, self.pc, self.retries])
    }
}

/// Hashing packs the state into a few machine words: the explorer hashes every successor, and a
/// field-by-field hash costs several times more rounds. Equal runs pack equally, so this agrees
/// with the derived `Eq`.
impl std::hash::Hash for Run {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        for pair in self.steps.chunks(2) {
            h.write_u64(u64::from(pair[0].packed()) | (u64::from(pair[1].packed()) << 32));
        }
        h.write_u64(u64::from_le_bytes(self.layers.map(|l| l.0)));
        let msg = match self.msg {
            None => 0,
            Some(m) => {
                1 | (u32::from(m.from) << 8) | (u32::from(m.to) << 16) | ((m.sig as u32) << 24)
            }
        };
        h.write_u32(msg);
    }
}

/// How an upgrade step is undone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Semantics {
    /// §2.8.4 / §4.2: the Table 2.1 reverses of the successfully executed actions, in reverse
    /// order; for a nested step only the current phase, for the innermost step the whole step.
    #[default]
    Thesis,
    /// OpenSAF smfd: undo runs the whole rollback list of the step type, and undoing a failed
    /// rollback runs the forward list (docs/semantics.md §6). For nested steps the counterpart of the phase
    /// being undone is used (the rollback's tear-down undoes a build-up and vice versa; the
    /// innermost step uses the whole list).
    OpenSaf,
}

/// Seeded defects for mutation testing: each must be killed by a named claim. They are part of the
/// public API only so that the integration tests can reach them.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mutant {
    /// Waiting has no row for `inner: Completed` (a dropped transition).
    DropWaitingCompleted,
    /// Table 2.1 row 4 wrong: offline uninstall old is reversed by an *online* install old.
    WrongReverseOfflineUninstall,
    /// Undo Failure moves to Failed without signalling the outer step (a missing propagation).
    NoFailedSignal,
    /// The retry counter never increases (an unbounded retry).
    UnboundedRetry,
    /// The innermost step, after undoing itself wholly, retries in the phase it failed in.
    PhaseNotReset,
    /// Rollback Waiting reacts to `inner: Rollback Undone` by undoing its own rollback.
    OuterUndoesRollback,
    /// The innermost step reports Done after its tear-down phase.
    SkipBuildUp,
    /// An outer step undoing its build-up also reverses its tear-down.
    OuterUndoesWholeStep,
    /// Phase-complete sends `inner: Execute` but the step keeps executing.
    NoWaiting,
    /// The rollback forgets to set the IM back to old.
    RollbackForgetsIm,
    /// Undo Failure is treated as a successful undo (Undone).
    UndoFailureIsUndone,
    /// Partial Undone has no row for `inner: Failed`.
    PartialUndoneIgnoresFailed,
}

pub const ALL_MUTANTS: [Mutant; 12] = [
    Mutant::DropWaitingCompleted,
    Mutant::WrongReverseOfflineUninstall,
    Mutant::NoFailedSignal,
    Mutant::UnboundedRetry,
    Mutant::PhaseNotReset,
    Mutant::OuterUndoesRollback,
    Mutant::SkipBuildUp,
    Mutant::OuterUndoesWholeStep,
    Mutant::NoWaiting,
    Mutant::RollbackForgetsIm,
    Mutant::UndoFailureIsUndone,
    Mutant::PartialUndoneIgnoresFailed,
];

/// A move of the embedded step itself (the procedure's moves live in the model around it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Move {
    /// Nested step `step` (0-based) attempts its next action; `fail` injects a fault.
    Run { step: u8, fail: bool },
    /// Nested step `step` has finished its current segment and takes the FSM transition the
    /// segment end calls for (Phase-complete, Done, Retry, Retry Count Exceeded, Undo-Complete,
    /// Undo-Phase-Complete).
    Settle { step: u8 },
    /// The signal in flight reaches its receiver.
    Deliver,
}

/// The FSM core for one embedded step: the compiled walks plus the options that shape behaviour.
#[derive(Clone, Debug)]
pub struct Core {
    pub step: EmbeddedStep,
    /// saSmfStepMaxRetry (XSD default 1).
    pub max_retry: u8,
    pub semantics: Semantics,
    #[doc(hidden)]
    pub mutant: Option<Mutant>,
}

/// Which walk an active state uses, and in which direction.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Dir {
    Forward,
    Rollback,
    UndoForward,
    UndoRollback,
}

impl Core {
    pub fn new(step: EmbeddedStep, max_retry: u8, semantics: Semantics) -> Self {
        Core {
            step,
            max_retry,
            semantics,
            mutant: None,
        }
    }

    pub fn degree(&self) -> usize {
        self.step.degree()
    }

    fn innermost(&self, i: usize) -> bool {
        i + 1 == self.degree()
    }

    fn mutant(&self, m: Mutant) -> bool {
        self.mutant == Some(m)
    }

    /// The layers before the step.
    pub fn initial_run(&self) -> Run {
        let mut run = Run::default();
        for l in 0..self.degree() {
            run.layers[l] = self.step.source(l);
        }
        run
    }

    fn dir(st: StepState) -> Option<Dir> {
        match st {
            StepState::Executing => Some(Dir::Forward),
            StepState::RollingBack => Some(Dir::Rollback),
            StepState::Undoing | StepState::PartialUndoing => Some(Dir::UndoForward),
            StepState::UndoingRollback => Some(Dir::UndoRollback),
            _ => None,
        }
    }

    fn walk(&self, i: usize, rollback: bool) -> &Walk {
        if rollback {
            &self.step.rollback[i]
        } else {
            &self.step.forward[i]
        }
    }

    /// Where undoing the current phase stops: the innermost step undoes itself wholly (§4.2),
    /// an outer step only the phase it is in.
    fn undo_floor(&self, i: usize, n: &Nested, w: &Walk) -> usize {
        if self.innermost(i) || n.phase == 0 {
            0
        } else {
            w.boundary
        }
    }

    /// The list OpenSAF's undo runs for the phase being undone (see [`Semantics::OpenSaf`]).
    fn opensaf_undo_list(&self, i: usize, n: &Nested, undoing_rollback: bool) -> &[Op] {
        // Undoing a forward phase runs the rollback walk's counterpart and vice versa.
        let other = self.walk(i, !undoing_rollback);
        if self.innermost(i) {
            &other.ops
        } else if n.phase == 1 {
            other.phase0()
        } else {
            other.phase1()
        }
    }

    /// End of the segment the step is walking forward in.
    fn segment_end(&self, n: &Nested, w: &Walk) -> usize {
        if n.phase == 0 { w.boundary } else { w.len() }
    }

    /// The next action nested step `i` would attempt, if its segment is not finished.
    pub fn next_op(&self, run: &Run, i: usize) -> Option<Op> {
        let n = &run.steps[i];
        let dir = Self::dir(n.st)?;
        let pc = n.pc as usize;
        match dir {
            Dir::Forward | Dir::Rollback => {
                let w = self.walk(i, dir == Dir::Rollback);
                (pc < self.segment_end(n, w)).then(|| w.ops[pc])
            }
            Dir::UndoForward | Dir::UndoRollback => {
                let undoing_rollback = dir == Dir::UndoRollback;
                match self.semantics {
                    Semantics::Thesis => {
                        let w = self.walk(i, undoing_rollback);
                        let floor = if self.mutant(Mutant::OuterUndoesWholeStep) {
                            0
                        } else {
                            self.undo_floor(i, n, w)
                        };
                        (pc > floor).then(|| {
                            let op = w.ops[pc - 1];
                            Op {
                                layer: op.layer,
                                action: self.reverse(op.action),
                            }
                        })
                    }
                    Semantics::OpenSaf => self
                        .opensaf_undo_list(i, n, undoing_rollback)
                        .get(pc)
                        .copied(),
                }
            }
        }
    }

    fn reverse(&self, a: Action) -> Action {
        use super::action::{Mode, Ver};
        if self.mutant(Mutant::WrongReverseOfflineUninstall)
            && a == Action::Uninstall(Mode::Offline, Ver::Old)
        {
            return Action::Install(Mode::Online, Ver::Old);
        }
        a.reverse()
    }

    /// Every move the embedded step can make now. `can_fail` says whether the fault budget allows
    /// one more injected failure.
    pub fn moves(&self, run: &Run, can_fail: bool, out: &mut Vec<Move>) {
        if let Some(m) = run.msg {
            if m.to != 0 && self.accepts(run, m) {
                out.push(Move::Deliver);
            }
            return;
        }
        for i in 0..self.degree() {
            if Self::dir(run.steps[i].st).is_none() {
                continue;
            }
            let step = i as u8;
            if self.next_op(run, i).is_some() {
                out.push(Move::Run { step, fail: false });
                if can_fail {
                    out.push(Move::Run { step, fail: true });
                }
            } else {
                out.push(Move::Settle { step });
            }
        }
    }

    fn send(run: &mut Run, from: usize, to: usize, sig: Signal) {
        debug_assert!(run.msg.is_none(), "two signals in flight");
        run.msg = Some(Msg {
            from: from as u8,
            to: to as u8,
            sig,
        });
    }

    /// Signal to the outer neighbour of nested step `i` (0-based): step i−1, or the procedure.
    fn send_outer(run: &mut Run, i: usize, sig: Signal) {
        Self::send(run, i + 1, i, sig);
    }

    fn send_inner(run: &mut Run, i: usize, sig: Signal) {
        Self::send(run, i + 1, i + 2, sig);
    }

    /// Apply a move to the FSM part of `run` and to `run.layers`. Returns `false` if the move is
    /// not enabled (never for moves from [`Core::moves`]).
    pub fn apply(&self, run: &mut Run, mv: Move) -> bool {
        match self.step(run, mv) {
            None => false,
            Some(effect) => {
                if let Some(op) = effect {
                    let l = op.layer as usize;
                    run.layers[l] = op.action.apply(run.layers[l]);
                }
                true
            }
        }
    }

    /// Apply a move to the FSM part of `run` only, and return the action whose effect the caller
    /// must apply to the entities of the layer (`Some(None)`: no effect; `None`: not enabled).
    /// This is how compositions (procedures, campaigns) map layer actions onto real entities.
    pub fn step(&self, run: &mut Run, mv: Move) -> Option<Option<Op>> {
        match mv {
            Move::Run { step, fail } => self.run_action(run, step as usize, fail),
            Move::Settle { step } => self.settle(run, step as usize).then_some(None),
            Move::Deliver => match run.msg {
                Some(m) if m.to != 0 => {
                    run.msg = None;
                    self.receive(run, m.to as usize - 1, m.sig).then_some(None)
                }
                _ => None,
            },
        }
    }

    fn run_action(&self, run: &mut Run, i: usize, fail: bool) -> Option<Option<Op>> {
        let op = self.next_op(run, i)?;
        let dir = Self::dir(run.steps[i].st).expect("active");
        let n = &mut run.steps[i];
        if fail {
            match dir {
                // Executing --Failure--> Undoing (§4.4.1: reverses only the current phase).
                Dir::Forward | Dir::Rollback => {
                    n.st = if dir == Dir::Forward {
                        StepState::Undoing
                    } else {
                        StepState::UndoingRollback
                    };
                    if self.semantics == Semantics::OpenSaf {
                        n.pc = 0;
                    }
                }
                // Undoing --Undo Failure / outer: Failed--> Failed; Undoing Rollback --Undo
                // Failure / outer: Rollback Failed--> Rollback Failed.
                Dir::UndoForward => {
                    if self.mutant(Mutant::UndoFailureIsUndone) {
                        n.st = StepState::Undone;
                        n.pc = 0;
                        n.phase = 0;
                        Self::send_outer(run, i, Signal::Undone);
                    } else {
                        n.st = StepState::Failed;
                        if !self.mutant(Mutant::NoFailedSignal) {
                            Self::send_outer(run, i, Signal::Failed);
                        }
                    }
                }
                Dir::UndoRollback => {
                    n.st = StepState::RollbackFailed;
                    Self::send_outer(run, i, Signal::RollbackFailed);
                }
            }
            return Some(None);
        }
        let skip = self.mutant(Mutant::RollbackForgetsIm)
            && dir == Dir::Rollback
            && matches!(op.action, Action::ModifyIm(_));
        let n = &mut run.steps[i];
        let thesis_undo = self.semantics == Semantics::Thesis
            && matches!(dir, Dir::UndoForward | Dir::UndoRollback);
        if thesis_undo {
            n.pc -= 1;
        } else {
            n.pc += 1;
        }
        Some((!skip).then_some(op))
    }

    fn retry_allowed(&self, n: &Nested) -> bool {
        n.retries < self.max_retry
    }

    fn settle(&self, run: &mut Run, i: usize) -> bool {
        if self.next_op(run, i).is_some() {
            return false;
        }
        let inner = self.innermost(i);
        let n0 = run.steps[i];
        let Some(dir) = Self::dir(n0.st) else {
            return false;
        };
        let w = self.walk(i, matches!(dir, Dir::Rollback | Dir::UndoRollback));
        let floor = self.undo_floor(i, &n0, w) as u8;
        let n = &mut run.steps[i];
        match dir {
            Dir::Forward | Dir::Rollback => {
                let rb = dir == Dir::Rollback;
                if n.phase == 0 && !(inner && self.mutant(Mutant::SkipBuildUp) && !rb) {
                    if inner {
                        // Phase-complete, i = n / phase := 1: continue with the build-up.
                        n.phase = 1;
                    } else if self.mutant(Mutant::NoWaiting) && !rb {
                        n.phase = 1;
                        Self::send_inner(run, i, Signal::Execute);
                    } else {
                        // Phase-complete, i < n / inner: Execute (or Rollback) → Waiting.
                        n.st = if rb {
                            StepState::RollbackWaiting
                        } else {
                            StepState::Waiting
                        };
                        Self::send_inner(
                            run,
                            i,
                            if rb {
                                Signal::Rollback
                            } else {
                                Signal::Execute
                            },
                        );
                    }
                } else {
                    // Done / outer: Completed (Rolled Back).
                    n.st = if rb {
                        StepState::RolledBack
                    } else {
                        StepState::Completed
                    };
                    Self::send_outer(
                        run,
                        i,
                        if rb {
                            Signal::RolledBack
                        } else {
                            Signal::Completed
                        },
                    );
                }
            }
            Dir::UndoForward | Dir::UndoRollback => {
                let rb = dir == Dir::UndoRollback;
                let partial = n.st == StepState::PartialUndoing;
                n.pc = floor;
                if !partial && self.retry_allowed(n) {
                    // Retry: back to Executing (Rolling Back) in the same phase; the innermost step
                    // undid itself wholly, so it starts again from its tear-down.
                    if !self.mutant(Mutant::UnboundedRetry) {
                        n.retries += 1;
                    }
                    if inner && !self.mutant(Mutant::PhaseNotReset) {
                        n.phase = 0;
                        n.pc = 0;
                    } else if inner {
                        n.pc = if n.phase == 0 { 0 } else { w.boundary as u8 };
                    }
                    n.st = if rb {
                        StepState::RollingBack
                    } else {
                        StepState::Executing
                    };
                } else if inner || n.phase == 0 {
                    // Retry Count Exceeded (or Undo-Complete in Partial Undoing), fully reversed.
                    n.phase = 0;
                    n.st = if rb {
                        StepState::RollbackUndone
                    } else {
                        StepState::Undone
                    };
                    Self::send_outer(
                        run,
                        i,
                        if rb {
                            Signal::RollbackUndone
                        } else {
                            Signal::Undone
                        },
                    );
                } else if rb {
                    // Only the rollback's build-up reversed: escalate, do not undo further.
                    n.st = StepState::RollbackPartialUndone;
                    Self::send_outer(run, i, Signal::RollbackUndone);
                } else {
                    // Only the build-up reversed / inner: Undo → Partial Undone.
                    n.st = StepState::PartialUndone;
                    Self::send_inner(run, i, Signal::Undo);
                }
            }
        }
        true
    }

    /// Whether nested step `m.to` has a row for the signal in its current state.
    pub fn accepts(&self, run: &Run, m: Msg) -> bool {
        let mut probe = *run;
        probe.msg = None;
        self.receive(&mut probe, m.to as usize - 1, m.sig)
    }

    /// The receiving rows of Fig. 4.3 and Fig. 4.4.
    fn receive(&self, run: &mut Run, i: usize, sig: Signal) -> bool {
        use StepState as S;
        let w_fwd = self.walk(i, false).clone_meta();
        let w_rb = self.walk(i, true).clone_meta();
        let opensaf = self.semantics == Semantics::OpenSaf;
        let n = &mut run.steps[i];
        match (n.st, sig) {
            // outer: Execute / phase := 0 (Initial, or Undone for a forced retry).
            (S::Initial | S::Undone, Signal::Execute) => {
                *n = Nested {
                    st: S::Executing,
                    phase: 0,
                    pc: 0,
                    retries: n.retries,
                };
            }
            // inner: Completed / phase := 1.
            (S::Waiting, Signal::Completed) if !self.mutant(Mutant::DropWaitingCompleted) => {
                n.st = S::Executing;
                n.phase = 1;
                n.pc = w_fwd.0;
            }
            // inner: Undone → Partial Undoing (undo the tear-down done before waiting).
            (S::Waiting, Signal::Undone) => {
                n.st = S::PartialUndoing;
                n.pc = if opensaf { 0 } else { w_fwd.0 };
            }
            // inner: Undone / phase := 0 → Partial Undoing.
            (S::PartialUndone, Signal::Undone) => {
                n.st = S::PartialUndoing;
                n.phase = 0;
                n.pc = if opensaf { 0 } else { w_fwd.0 };
            }
            // inner: Failed / outer: Failed.
            (S::Waiting, Signal::Failed) => {
                n.st = S::Failed;
                Self::send_outer(run, i, Signal::Failed);
            }
            (S::PartialUndone, Signal::Failed)
                if !self.mutant(Mutant::PartialUndoneIgnoresFailed) =>
            {
                n.st = S::Failed;
                Self::send_outer(run, i, Signal::Failed);
            }
            // outer: Undo → Partial Undoing of the build-up.
            (S::Completed, Signal::Undo) => {
                n.st = S::PartialUndoing;
                n.phase = 1;
                n.pc = if opensaf { 0 } else { w_fwd.1 };
            }
            // outer: Rollback / phase := 0 (retry count starts afresh for the rollback).
            (S::Completed, Signal::Rollback) => {
                *n = Nested {
                    st: S::RollingBack,
                    phase: 0,
                    pc: 0,
                    retries: 0,
                };
            }
            // inner: Rolled Back / phase := 1.
            (S::RollbackWaiting, Signal::RolledBack) => {
                n.st = S::RollingBack;
                n.phase = 1;
                n.pc = w_rb.0;
            }
            // inner: Rollback Failed / outer: Rollback Failed.
            (S::RollbackWaiting, Signal::RollbackFailed) => {
                n.st = S::RollbackFailed;
                Self::send_outer(run, i, Signal::RollbackFailed);
            }
            // inner: Rollback Undone / outer: Rollback Undone: escalate without undoing.
            (S::RollbackWaiting, Signal::RollbackUndone) => {
                if self.mutant(Mutant::OuterUndoesRollback) {
                    n.st = S::UndoingRollback;
                    n.pc = if opensaf { 0 } else { w_rb.0 };
                } else {
                    n.st = S::RollbackPartialUndone;
                    Self::send_outer(run, i, Signal::RollbackUndone);
                }
            }
            _ => return false,
        }
        true
    }
}

trait WalkMeta {
    /// (boundary, len) as cursor values.
    fn clone_meta(&self) -> (u8, u8);
}

impl WalkMeta for Walk {
    fn clone_meta(&self) -> (u8, u8) {
        (self.boundary as u8, self.len() as u8)
    }
}
