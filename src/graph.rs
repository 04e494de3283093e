//! The FSM of one nested step, derived from exploration rather than drawn by hand: every
//! reachable transition of the step model is projected onto the states of nested step k and
//! labelled "input / output" in the notation of the thesis (§2.8.6 conventions; Fig. 2.6, 4.3,
//! 4.4). Transitions that neither change the step's FSM state nor exchange a signal (the actions
//! executed inside Executing, Undoing, …, and the Phase-complete self-loop of the innermost
//! step) are internal and left out.

use crate::model::{StepAction, StepModel, StepSysState, settle_event};
use crate::step::fsm::{Move, Msg, StepState};
use rustc_hash::FxHashSet;
use stateright::Model;
use std::collections::BTreeSet;
use std::fmt::Write;

/// A labelled FSM edge of one nested step.
pub type Edge = (StepState, String, StepState);

fn peer(other: u8) -> String {
    // Step numbers are 1-based in messages; 0 is the procedure.
    if other == 0 {
        "Proc".into()
    } else {
        format!("Step {other}")
    }
}

fn relative(k: usize, other: u8) -> String {
    let me = k as u8 + 1;
    if other == 0 {
        "Proc".into()
    } else if other < me {
        "outer".into()
    } else {
        "inner".into()
    }
}

fn output(k: usize, s: &StepSysState, t: &StepSysState, generic: bool) -> Option<String> {
    match t.run.msg {
        Some(Msg { from, to, sig }) if from == k as u8 + 1 && s.run.msg != t.run.msg => {
            let who = if generic { relative(k, to) } else { peer(to) };
            Some(format!("{who}: {}", sig.name()))
        }
        _ => None,
    }
}

/// The projection of one transition onto nested step `k`, if it is visible there.
pub fn project(
    s: &StepSysState,
    a: &StepAction,
    t: &StepSysState,
    k: usize,
    generic: bool,
) -> Option<Edge> {
    let (from, to) = (s.run.steps[k].st, t.run.steps[k].st);
    let input = match a {
        StepAction::Step(Move::Deliver) => {
            let msg = s.run.msg?;
            if msg.to != k as u8 + 1 {
                return None;
            }
            let who = if generic {
                relative(k, msg.from)
            } else {
                peer(msg.from)
            };
            format!("{who}: {}", msg.sig.name())
        }
        StepAction::Step(Move::Run { step, fail }) if *step as usize == k => {
            if !fail {
                if from == to {
                    return None;
                }
                "Done".into()
            } else if matches!(from, StepState::Executing | StepState::RollingBack) {
                "Failure".into()
            } else {
                "Undo Failure".into()
            }
        }
        StepAction::Step(Move::Settle { step }) if *step as usize == k => {
            settle_event(from, to, s.run.steps[k].phase, t.run.steps[k].phase).to_string()
        }
        _ => return None,
    };
    let out = output(k, s, t, generic);
    if from == to && out.is_none() && !matches!(a, StepAction::Step(Move::Deliver)) {
        return None;
    }
    let label = match out {
        Some(o) => format!("{input} / {o}"),
        None => input,
    };
    // Drop the bookkeeping part of the label so that n = 1 reads like Fig. 2.6.
    let label = label.replace("Phase-complete / phase := 1", "Phase-complete");
    if from == to && label == "Phase-complete" {
        return None;
    }
    Some((from, label, to))
}

/// Every reachable labelled edge of nested step `k` (0-based) of `m`.
pub fn step_edges(m: &StepModel, k: usize, generic: bool) -> BTreeSet<Edge> {
    let mut seen: FxHashSet<StepSysState> = FxHashSet::default();
    let mut queue: Vec<StepSysState> = m.init_states();
    seen.extend(queue.iter().copied());
    let mut edges = BTreeSet::new();
    let mut acts = Vec::new();
    while let Some(s) = queue.pop() {
        acts.clear();
        m.actions(&s, &mut acts);
        for a in &acts {
            if let Some(t) = m.next_state(&s, *a) {
                if let Some(e) = project(&s, a, &t, k, generic) {
                    edges.insert(e);
                }
                if seen.insert(t) {
                    queue.push(t);
                }
            }
        }
    }
    edges
}

/// Graphviz DOT for nested step `k`.
pub fn dot(m: &StepModel, k: usize) -> String {
    let edges = step_edges(m, k, m.degree() > 1);
    let mut states: BTreeSet<StepState> = BTreeSet::new();
    for (a, _, b) in &edges {
        states.insert(*a);
        states.insert(*b);
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "// FSM of nested step {} of the embedded step {} (derived by smfcheck from exploration)",
        k + 1,
        m.step()
    );
    let _ = writeln!(
        out,
        "digraph step_fsm {{\n  rankdir=TB;\n  node [shape=circle];"
    );
    for st in &states {
        let shape = match st {
            StepState::Initial => ", shape=doublecircle",
            s if is_final(*s) => ", penwidth=3",
            _ => "",
        };
        let _ = writeln!(out, "  \"{}\" [label=\"{}\"{shape}];", st.name(), st.name());
    }
    for (a, l, b) in &edges {
        let _ = writeln!(
            out,
            "  \"{}\" -> \"{}\" [label=\"{}\"];",
            a.name(),
            b.name(),
            l
        );
    }
    out.push_str("}\n");
    out
}

fn is_final(s: StepState) -> bool {
    matches!(
        s,
        StepState::Failed
            | StepState::RolledBack
            | StepState::RollbackUndone
            | StepState::RollbackPartialUndone
            | StepState::RollbackFailed
    )
}
