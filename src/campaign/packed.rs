//! The compact encoding of campaign states in the visited set (issue #11 item 1, docs/perf.md
//! "Compact campaign states"): a state is stored as a fixed number of bytes for its model —
//! the campaign's counters, per procedure its state, current step and the runs of its steps
//! (only the nested-step slots its degree uses), per entity its layer byte, host and placement
//! indices, and every bit set with just the bits its model can set — instead of a vector tree on
//! the heap. The explorer decodes a state when it expands it and encodes every successor; the
//! encoding is a bijection on the model's states (each field in full, every bit set checked
//! against its width on encoding: a state that does not fit is a defect and panics rather than
//! being confused with another), so states are still stored exactly.

use super::actions::{AdminTarget, Effect};
use super::model::{CampState, CampSysState, CampaignModel, ProcRt, ProcState};
use crate::step::action::LayerState;
use crate::step::fsm::{Msg, Nested, Run, Signal, StepState};
use crate::system::state::SysState;

const CAMP: [CampState; 16] = [
    CampState::Initial,
    CampState::Executing,
    CampState::SuspendingExecution,
    CampState::ExecutionSuspended,
    CampState::ErrorDetectedInSuspending,
    CampState::ErrorDetected,
    CampState::SuspendedByErrorDetected,
    CampState::ExecutionCompleted,
    CampState::Committed,
    CampState::ExecutionFailed,
    CampState::RollingBack,
    CampState::SuspendingRollback,
    CampState::RollbackSuspended,
    CampState::RollbackCompleted,
    CampState::RollbackCommitted,
    CampState::RollbackFailed,
];

const PROC: [ProcState; 10] = [
    ProcState::Initial,
    ProcState::Executing,
    ProcState::Suspended,
    ProcState::Completed,
    ProcState::StepUndone,
    ProcState::Failed,
    ProcState::RollingBack,
    ProcState::RollbackSuspended,
    ProcState::RolledBack,
    ProcState::RollbackFailed,
];

const STEP: [StepState; 16] = StepState::ALL;

const SIGNAL: [Signal; 9] = [
    Signal::Execute,
    Signal::Completed,
    Signal::Undo,
    Signal::Undone,
    Signal::Failed,
    Signal::Rollback,
    Signal::RolledBack,
    Signal::RollbackUndone,
    Signal::RollbackFailed,
];

/// The code of `v`: its discriminant (the tables list every variant in declaration order,
/// which `tables_follow_the_declarations` checks; a state is encoded for every successor, so
/// this is a cast rather than a search).
fn code<T: PartialEq + Copy + std::fmt::Debug>(table: &[T], v: T, d: u8) -> u8 {
    debug_assert_eq!(table[d as usize], v, "encoding table out of order");
    let _ = table;
    d
}

/// The shape of a model's states: what the encoding has room for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layout {
    /// Per procedure, the degree of each of its steps.
    degrees: Vec<Vec<usize>>,
    /// `None`: a campaign of abstract steps (no system part).
    sys: Option<SysLayout>,
    len: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct SysLayout {
    ees: usize,
    sus: usize,
    /// Bits of each bit set, in the order they are written.
    widths: [u32; 9],
}

/// Bytes of a bit set of `bits` bits.
fn bytes_of(bits: u32) -> usize {
    bits.div_ceil(8) as usize
}

/// The highest bit a value may use, plus one.
fn width(v: u128) -> u32 {
    128 - v.leading_zeros()
}

impl Layout {
    pub fn of(m: &CampaignModel) -> Layout {
        let degrees: Vec<Vec<usize>> = m
            .procs
            .iter()
            .map(|p| p.steps.iter().map(|c| c.degree()).collect())
            .collect();
        let sys = m.system.as_ref().map(|sys| {
            let ees = sys.world.ee_host.len();
            let sus = sys.world.su_node_ids.len();
            let sis = sys.si_names.len().max(sys.world.si_sg.len());
            let groups = sys.effects.groups.len();
            // AMF nodes: every node an SU can be on, an admin operation targets, or that is
            // locked before the campaign.
            let mut nodes = width(sys.effects.initial_nodes_locked);
            for ids in &sys.world.su_node_ids {
                for &n in ids {
                    nodes = nodes.max(n as u32 + 1);
                }
            }
            let fx = &sys.effects;
            for e in fx
                .camp_init
                .iter()
                .chain(&fx.camp_complete)
                .chain(&fx.camp_wrapup)
                .chain(fx.proc_init.iter().flatten())
                .chain(fx.proc_wrapup.iter().flatten())
            {
                if let Effect::Admin { target, undo, .. } = e {
                    for t in std::iter::once(target).chain(undo.as_ref().map(|(t, _)| t)) {
                        if let AdminTarget::Node(n) = t {
                            nodes = nodes.max(*n as u32 + 1);
                        }
                    }
                }
            }
            let points = width(sys.ledger.all() as u128);
            let ees_bits = ees as u32;
            let widths = [
                ees_bits,          // displaced
                sis as u32,        // baseline
                2 * groups as u32, // group_admin
                nodes.min(128),    // nodes_locked
                sis as u32,        // si_admin
                sus as u32,        // deleted_sus
                sis as u32,        // deleted_sis
                points,            // im_done
                ees_bits,          // restarting
            ];
            SysLayout { ees, sus, widths }
        });
        let mut len = 5;
        for d in &degrees {
            len += 2;
            for &k in d {
                len += 5 * k + 3;
            }
        }
        if let Some(s) = &sys {
            len += 3 * s.ees + 2 * s.sus;
            len += s.widths.iter().map(|&w| bytes_of(w)).sum::<usize>();
        }
        Layout { degrees, sys, len }
    }

    /// The record's parts that the visited set stores once each and refers to by number
    /// ([`crate::check::Checked::packed_parts`]): every procedure's bytes (its state, current
    /// step and runs), and the system part. They change independently of one another (a
    /// transition moves one procedure and the entities it acts on), so each takes far fewer
    /// values than the states do; the campaign's counters stay in the record itself.
    pub fn parts(&self) -> Vec<std::ops::Range<usize>> {
        let mut out = Vec::with_capacity(self.degrees.len() + 1);
        let mut at = 5;
        for d in &self.degrees {
            let len = 2 + d.iter().map(|&k| 5 * k + 3).sum::<usize>();
            out.push(at..at + len);
            at += len;
        }
        if at < self.len {
            out.push(at..self.len);
        }
        out
    }

    /// Bytes per state.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Write `s` into `out` (exactly [`Layout::len`] bytes).
    pub fn encode(&self, s: &CampSysState, out: &mut [u8]) {
        let mut w = Writer { out, at: 0 };
        w.byte(code(&CAMP, s.camp, s.camp as u8));
        w.byte(s.level);
        w.byte(s.faults);
        w.byte(s.admin_retries);
        w.byte(s.suspends);
        assert_eq!(s.procs.len(), self.degrees.len(), "procedures");
        for (rt, degrees) in s.procs.iter().zip(&self.degrees) {
            w.byte(code(&PROC, rt.st, rt.st as u8));
            w.byte(rt.cur);
            assert_eq!(rt.runs.len(), degrees.len(), "steps");
            for (run, &d) in rt.runs.iter().zip(degrees) {
                for i in 0..d {
                    let n = run.steps[i];
                    w.byte(code(&STEP, n.st, n.st as u8));
                    w.byte(n.phase);
                    w.byte(n.pc);
                    w.byte(n.retries);
                    w.byte(run.layers[i].0);
                }
                // The step core never touches a slot beyond the degree (the round-trip test
                // checks it on every model); checked in debug builds, as it costs a tenth of the
                // encoding.
                debug_assert!(
                    run.steps[d..].iter().all(|n| *n == Nested::default())
                        && run.layers[d..].iter().all(|l| *l == LayerState::default()),
                    "a nested-step slot beyond the degree is in use"
                );
                match run.msg {
                    None => {
                        w.byte(0);
                        w.byte(0);
                        w.byte(0);
                    }
                    Some(m) => {
                        w.byte(1 + code(&SIGNAL, m.sig, m.sig as u8));
                        w.byte(m.from);
                        w.byte(m.to);
                    }
                }
            }
        }
        match (&self.sys, &s.sys) {
            (None, None) => {}
            (Some(l), Some(st)) => {
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
                } = st;
                assert!(ees.len() == l.ees && sus.len() == l.sus, "entities");
                for e in 0..l.ees {
                    w.byte(ees[e].0);
                    w.byte(at[e]);
                    w.byte(allowed[e]);
                }
                for u in 0..l.sus {
                    w.byte(sus[u].0);
                    w.byte(placed[u]);
                }
                let sets = [
                    *displaced,
                    *baseline as u128,
                    *group_admin,
                    *nodes_locked,
                    *si_admin as u128,
                    *deleted_sus,
                    *deleted_sis as u128,
                    *im_done as u128,
                    *restarting,
                ];
                for (k, (&v, &bits)) in sets.iter().zip(&l.widths).enumerate() {
                    assert!(
                        width(v) <= bits,
                        "bit set {k} of a state uses bit {} of {bits}",
                        width(v)
                    );
                    w.bits(v, bits);
                }
            }
            _ => panic!("a state with a system part in a model without one, or the reverse"),
        }
        assert_eq!(w.at, self.len, "encoded length");
    }

    /// Decode `b` into `s`, a state of the same model, reusing its vectors (no allocation):
    /// every field is overwritten.
    pub fn decode_into(&self, b: &[u8], s: &mut CampSysState) {
        let same_shape = s.procs.len() == self.degrees.len()
            && s.procs
                .iter()
                .zip(&self.degrees)
                .all(|(rt, d)| rt.runs.len() == d.len())
            && match (&s.sys, &self.sys) {
                (None, None) => true,
                (Some(st), Some(l)) => st.ees.len() == l.ees && st.sus.len() == l.sus,
                _ => false,
            };
        if !same_shape {
            *s = self.shape();
        }
        let mut r = Reader { b, at: 0 };
        s.camp = CAMP[r.byte() as usize];
        s.level = r.byte();
        s.faults = r.byte();
        s.admin_retries = r.byte();
        s.suspends = r.byte();
        for (rt, degrees) in s.procs.iter_mut().zip(&self.degrees) {
            rt.st = PROC[r.byte() as usize];
            rt.cur = r.byte();
            for (run, &d) in rt.runs.iter_mut().zip(degrees) {
                *run = Run::default();
                read_run(&mut r, run, d);
            }
        }
        if let (Some(st), Some(l)) = (s.sys.as_mut(), &self.sys) {
            for e in 0..l.ees {
                st.ees[e] = LayerState(r.byte());
                st.at[e] = r.byte();
                st.allowed[e] = r.byte();
            }
            for u in 0..l.sus {
                st.sus[u] = LayerState(r.byte());
                st.placed[u] = r.byte();
            }
            let mut sets = [0u128; 9];
            for (v, &bits) in sets.iter_mut().zip(&l.widths) {
                *v = r.bits(bits);
            }
            st.displaced = sets[0];
            st.baseline = sets[1] as u64;
            st.group_admin = sets[2];
            st.nodes_locked = sets[3];
            st.si_admin = sets[4] as u64;
            st.deleted_sus = sets[5];
            st.deleted_sis = sets[6] as u64;
            st.im_done = sets[7] as u64;
            st.restarting = sets[8];
        }
    }

    /// The state encoded in `b`.
    pub fn decode(&self, b: &[u8]) -> CampSysState {
        let mut s = self.shape();
        self.decode_into(b, &mut s);
        s
    }

    /// A state of this model's shape (every vector at its length), to decode into.
    fn shape(&self) -> CampSysState {
        CampSysState {
            camp: CampState::Initial,
            procs: self
                .degrees
                .iter()
                .map(|d| ProcRt {
                    st: ProcState::Initial,
                    cur: 0,
                    runs: vec![Run::default(); d.len()],
                })
                .collect(),
            level: 0,
            faults: 0,
            admin_retries: 0,
            suspends: 0,
            sys: self.sys.as_ref().map(|l| SysState {
                ees: vec![LayerState::default(); l.ees],
                sus: vec![LayerState::default(); l.sus],
                at: vec![0; l.ees],
                allowed: vec![0; l.ees],
                placed: vec![0; l.sus],
                displaced: 0,
                baseline: 0,
                group_admin: 0,
                nodes_locked: 0,
                si_admin: 0,
                deleted_sus: 0,
                deleted_sis: 0,
                im_done: 0,
                restarting: 0,
            }),
        }
    }
}

/// One run's record (`run` zeroed, `d` nested-step slots).
fn read_run(r: &mut Reader, run: &mut Run, d: usize) {
    for i in 0..d {
        run.steps[i] = Nested {
            st: STEP[r.byte() as usize],
            phase: r.byte(),
            pc: r.byte(),
            retries: r.byte(),
        };
        run.layers[i] = LayerState(r.byte());
    }
    let tag = r.byte();
    let from = r.byte();
    let to = r.byte();
    run.msg = (tag != 0).then(|| Msg {
        from,
        to,
        sig: SIGNAL[tag as usize - 1],
    });
}

struct Writer<'a> {
    out: &'a mut [u8],
    at: usize,
}

impl Writer<'_> {
    fn byte(&mut self, v: u8) {
        self.out[self.at] = v;
        self.at += 1;
    }
    fn bits(&mut self, v: u128, bits: u32) {
        for k in 0..bytes_of(bits) {
            self.byte((v >> (8 * k)) as u8);
        }
    }
}

struct Reader<'a> {
    b: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn byte(&mut self) -> u8 {
        let v = self.b[self.at];
        self.at += 1;
        v
    }
    fn bits(&mut self, bits: u32) -> u128 {
        let mut v = 0u128;
        for k in 0..bytes_of(bits) {
            v |= (self.byte() as u128) << (8 * k);
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every table lists its enum's variants in declaration order, so a discriminant is an
    /// index into it (decoding reads the tables).
    #[test]
    fn tables_follow_the_declarations() {
        for (i, v) in CAMP.iter().enumerate() {
            assert_eq!(*v as usize, i);
        }
        for (i, v) in PROC.iter().enumerate() {
            assert_eq!(*v as usize, i);
        }
        for (i, v) in STEP.iter().enumerate() {
            assert_eq!(*v as usize, i);
        }
        for (i, v) in SIGNAL.iter().enumerate() {
            assert_eq!(*v as usize, i);
        }
    }
}
