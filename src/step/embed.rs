//! Embedded steps as composition (thesis §4.1.3, Fig. 4.1 and 4.2): an ordered list of nested
//! steps, outermost (layer 1) first, validated against the rules of embedding (§4.1.3.1), and
//! compiled into one action list per nested step that the FSM core walks.
//!
//! Compilation encodes the execution order of Fig. 4.1: T of step 1, …, T of step n, then the
//! reconfiguration of every nested step, then B of step n, …, B of step 1. Nested step i < n owns
//! `T_i` (phase 0) and `B_i` (phase 1). The innermost step n owns `T_n`, then the reconfiguration
//! actions of *all* nested steps (outermost first), then `B_n`: the IM modifications happen after
//! every tear-down and before any build-up, and undoing the innermost step as a whole (§4.2)
//! reverses them, which is exactly "the opposite of Fig. 4.1". For n = 1 this is T R B, the
//! standard step. Rollback is compiled the same way from the rollback rows (Fig. 4.2).

use super::action::{Action, LayerState};
use super::table::{Row, StepType};
use std::fmt;
use thiserror::Error;

/// The largest degree of embedding the compact state supports.
pub const MAX_DEGREE: usize = 8;

/// What the embedded step does to its layers; the rules of embedding differ for addition and
/// removal (§4.1.3.1 rule 2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Purpose {
    #[default]
    Upgrade,
    Addition,
    Removal,
}

#[derive(Debug, Error, PartialEq, Eq)]
pub enum EmbedError {
    #[error("an embedded step needs at least one nested step (the list is empty)")]
    Empty,
    #[error("degree of embedding {0} exceeds the supported maximum {MAX_DEGREE}")]
    TooDeep(usize),
    #[error(
        "rule of embedding §4.1.3.1 (1) violated: nested step {position} is {ty}, but reduced and locked-reduced steps cannot embed a further step and may only be the innermost step"
    )]
    ReducedNotInnermost { position: usize, ty: StepType },
    #[error(
        "rule of embedding §4.1.3.1 (2) violated: for {purpose} every nested step except the innermost must be in-phase normal, but nested step {position} is {ty}"
    )]
    AddRemoveNeedsInPhase {
        position: usize,
        ty: StepType,
        purpose: &'static str,
    },
    #[error(
        "rule of embedding §4.1.3.1 (2) violated: for {purpose} the innermost step must be in-phase or out-of-phase normal, but it is {ty}"
    )]
    AddRemoveInnermost { ty: StepType, purpose: &'static str },
}

/// One action bound to the layer it acts on (0-based index; layer 1 of the thesis is index 0).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Op {
    pub layer: u8,
    pub action: Action,
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "layer {}: {}", self.layer + 1, self.action)
    }
}

/// The action list one nested step walks for one direction (forward or rollback), with the index
/// where its phase 1 starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Walk {
    pub ops: Vec<Op>,
    /// First index of phase 1 (build-up). Phase 0 is `ops[..boundary]`.
    pub boundary: usize,
}

impl Walk {
    pub fn len(&self) -> usize {
        self.ops.len()
    }
    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }
    pub fn phase0(&self) -> &[Op] {
        &self.ops[..self.boundary]
    }
    pub fn phase1(&self) -> &[Op] {
        &self.ops[self.boundary..]
    }
}

/// A validated embedded step of degree n ≥ 1 (a non-embedded step is degree 1, §4.4.1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmbeddedStep {
    pub types: Vec<StepType>,
    pub purpose: Purpose,
    /// `forward[i]` is the walk of nested step i (0-based) during normal execution.
    pub forward: Vec<Walk>,
    /// `rollback[i]` is its walk during rollback.
    pub rollback: Vec<Walk>,
}

fn purpose_name(p: Purpose) -> &'static str {
    match p {
        Purpose::Upgrade => "upgrade",
        Purpose::Addition => "addition",
        Purpose::Removal => "removal",
    }
}

impl EmbeddedStep {
    pub fn new(types: Vec<StepType>, purpose: Purpose) -> Result<Self, EmbedError> {
        let n = types.len();
        if n == 0 {
            return Err(EmbedError::Empty);
        }
        if n > MAX_DEGREE {
            return Err(EmbedError::TooDeep(n));
        }
        for (i, ty) in types.iter().enumerate() {
            if i + 1 < n && !ty.can_embed() {
                return Err(EmbedError::ReducedNotInnermost {
                    position: i + 1,
                    ty: *ty,
                });
            }
        }
        if purpose != Purpose::Upgrade {
            let purpose = purpose_name(purpose);
            for (i, ty) in types.iter().enumerate() {
                if i + 1 < n && *ty != StepType::InPhase {
                    return Err(EmbedError::AddRemoveNeedsInPhase {
                        position: i + 1,
                        ty: *ty,
                        purpose,
                    });
                }
            }
            let last = types[n - 1];
            if !matches!(last, StepType::InPhase | StepType::OutOfPhase) {
                return Err(EmbedError::AddRemoveInnermost { ty: last, purpose });
            }
        }
        let forward = compile(&types, StepType::forward);
        let rollback = compile(&types, StepType::rollback);
        Ok(EmbeddedStep {
            types,
            purpose,
            forward,
            rollback,
        })
    }

    pub fn degree(&self) -> usize {
        self.types.len()
    }

    /// The layer state before the step (and after a successful rollback or a complete undo).
    pub fn source(&self, layer: usize) -> LayerState {
        LayerState::source(self.types[layer].has_offline())
    }

    /// The layer state a completed step must leave.
    pub fn target(&self, layer: usize) -> LayerState {
        LayerState::target(self.types[layer].has_offline())
    }

    /// The flat execution order of Fig. 4.1 (or Fig. 4.2 for rollback) without faults.
    pub fn happy_path(&self, rollback: bool) -> Vec<Op> {
        let walks = if rollback {
            &self.rollback
        } else {
            &self.forward
        };
        let n = self.degree();
        let mut out = Vec::new();
        for w in &walks[..n - 1] {
            out.extend_from_slice(w.phase0());
        }
        out.extend_from_slice(&walks[n - 1].ops);
        for w in walks[..n - 1].iter().rev() {
            out.extend_from_slice(w.phase1());
        }
        out
    }
}

fn compile(types: &[StepType], row: fn(StepType) -> Row) -> Vec<Walk> {
    let n = types.len();
    let bind = |layer: usize, acts: &[Action]| -> Vec<Op> {
        acts.iter()
            .map(|&action| Op {
                layer: layer as u8,
                action,
            })
            .collect()
    };
    (0..n)
        .map(|i| {
            let r = row(types[i]);
            let mut ops = bind(i, r.t);
            let boundary = ops.len();
            if i + 1 == n {
                // The innermost step carries the reconfiguration of every nested step
                // (Fig. 4.1: all tear-downs, then all IM modifications, then all build-ups).
                for (j, ty) in types.iter().enumerate() {
                    ops.extend(bind(j, row(*ty).r));
                }
            }
            ops.extend(bind(i, r.b));
            Walk { ops, boundary }
        })
        .collect()
}

impl fmt::Display for EmbeddedStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.types.iter().map(|t| t.name()).collect();
        f.write_str(&names.join(","))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use StepType::*;

    #[test]
    fn rules_of_embedding() {
        assert_eq!(
            EmbeddedStep::new(vec![], Purpose::Upgrade),
            Err(EmbedError::Empty)
        );
        assert!(matches!(
            EmbeddedStep::new(vec![Reduced, InPhase], Purpose::Upgrade),
            Err(EmbedError::ReducedNotInnermost { position: 1, .. })
        ));
        assert!(matches!(
            EmbeddedStep::new(vec![InPhase, LockedReduced, InPhase], Purpose::Upgrade),
            Err(EmbedError::ReducedNotInnermost { position: 2, .. })
        ));
        assert!(
            EmbeddedStep::new(vec![OutOfPhase, InPhase, LockedReduced], Purpose::Upgrade).is_ok()
        );
        assert!(matches!(
            EmbeddedStep::new(vec![OutOfPhase, InPhase], Purpose::Addition),
            Err(EmbedError::AddRemoveNeedsInPhase { position: 1, .. })
        ));
        assert!(EmbeddedStep::new(vec![InPhase, OutOfPhase], Purpose::Removal).is_ok());
        assert!(matches!(
            EmbeddedStep::new(vec![InPhase, Reduced], Purpose::Addition),
            Err(EmbedError::AddRemoveInnermost { .. })
        ));
        assert!(matches!(
            EmbeddedStep::new(vec![InPhase; 9], Purpose::Upgrade),
            Err(EmbedError::TooDeep(9))
        ));
    }

    /// Fig. 4.1 taken literally: the happy path of every degree-2 combination ends at the target
    /// and its rollback returns to the source.
    #[test]
    fn happy_path_reaches_target() {
        for outer in [InPhase, OutOfPhase] {
            for inner in crate::step::table::ALL_TYPES {
                let e = EmbeddedStep::new(vec![outer, inner], Purpose::Upgrade).unwrap();
                let mut layers: Vec<LayerState> = (0..2).map(|l| e.source(l)).collect();
                for op in e.happy_path(false) {
                    layers[op.layer as usize] = op.action.apply(layers[op.layer as usize]);
                }
                for (l, s) in layers.iter().enumerate() {
                    assert_eq!(*s, e.target(l), "{e} layer {l}");
                }
                for op in e.happy_path(true) {
                    layers[op.layer as usize] = op.action.apply(layers[op.layer as usize]);
                }
                for (l, s) in layers.iter().enumerate() {
                    assert_eq!(*s, e.source(l), "{e} rollback layer {l}");
                }
            }
        }
    }
}
