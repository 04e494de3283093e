//! Step types as data: each type is one row of forward actions tagged with their phase
//! (tear-down T, reconfiguration R, build-up B) and one rollback row, transcribed from the thesis
//! (§2.8.1.1 Fig. 2.4, §2.8.1.2 Fig. 2.5, §2.8.5, §4.1.1, §4.1.2, §4.3). Out-of-phase actions keep
//! the position they have in the row (an online install in T, an online uninstall in B).
//!
//! Adding a step type is adding a variant and its two rows here; the FSM core never matches on
//! the step type.

use super::action::{Action, Mode, Unit, Ver};
use std::fmt;
use std::str::FromStr;

use Action::*;
use Mode::{Offline, Online};
use Ver::{New, Old};

/// The non-embedded step types (§2.8.1, §4.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StepType {
    /// SMF's "normal" step, called "Out-Of-Phase" normal in the thesis (§2.8.1.1).
    OutOfPhase,
    /// SMF's reduced step (§2.8.1.2).
    Reduced,
    /// The thesis's locked reduced step (§4.1.1).
    LockedReduced,
    /// The thesis's "In-Phase" normal step (§4.1.2).
    InPhase,
}

/// A row split by phase. `t` runs in the tear-down phase, `r` in the reconfiguration phase, `b`
/// in the build-up phase.
#[derive(Clone, Copy, Debug)]
pub struct Row {
    pub t: &'static [Action],
    pub r: &'static [Action],
    pub b: &'static [Action],
}

impl Row {
    pub fn all(&self) -> impl Iterator<Item = Action> + '_ {
        self.t.iter().chain(self.r).chain(self.b).copied()
    }
}

pub const ALL_TYPES: [StepType; 4] = [
    StepType::OutOfPhase,
    StepType::Reduced,
    StepType::LockedReduced,
    StepType::InPhase,
];

impl StepType {
    /// The forward row.
    pub fn forward(self) -> Row {
        match self {
            // §2.8.1.1, Fig. 2.4 (rightmost sequence): online install moved into T, online
            // uninstall moved into B.
            StepType::OutOfPhase => Row {
                t: &[
                    Install(Online, New),
                    Lock(Unit::Du),
                    Terminate(Unit::Du),
                    Uninstall(Offline, Old),
                ],
                r: &[ModifyIm(New)],
                b: &[
                    Install(Offline, New),
                    Instantiate(Unit::Au),
                    Unlock(Unit::Au),
                    Uninstall(Online, Old),
                ],
            },
            // §2.8.1.2, Fig. 2.5: offline operations removed, terminate + instantiate merged
            // into a restart of the symmetric activation unit.
            StepType::Reduced => Row {
                t: &[Install(Online, New)],
                r: &[ModifyIm(New)],
                b: &[Restart(Unit::Sau), Uninstall(Online, Old)],
            },
            // §4.1.1 items 1–6.
            StepType::LockedReduced => Row {
                t: &[Install(Online, New), Lock(Unit::Sau)],
                r: &[ModifyIm(New)],
                b: &[
                    Restart(Unit::Sau),
                    Unlock(Unit::Sau),
                    Uninstall(Online, Old),
                ],
            },
            // §4.1.2 items 1–9.
            StepType::InPhase => Row {
                t: &[
                    Lock(Unit::Du),
                    Terminate(Unit::Du),
                    Uninstall(Offline, Old),
                    Uninstall(Online, Old),
                ],
                r: &[ModifyIm(New)],
                b: &[
                    Install(Online, New),
                    Install(Offline, New),
                    Instantiate(Unit::Au),
                    Unlock(Unit::Au),
                ],
            },
        }
    }

    /// The rollback row. Its phases follow §4.3: the rollback tears down what the forward
    /// build-up brought (the AU, the new software), reconfigures the IM back, and builds up the
    /// old software and the DU.
    pub fn rollback(self) -> Row {
        match self {
            // §2.8.5 "Rollback of normal upgrade step" items 1–9.
            StepType::OutOfPhase => Row {
                t: &[
                    Install(Online, Old),
                    Lock(Unit::Au),
                    Terminate(Unit::Au),
                    Uninstall(Offline, New),
                ],
                r: &[ModifyIm(Old)],
                b: &[
                    Install(Offline, Old),
                    Instantiate(Unit::Du),
                    Unlock(Unit::Du),
                    Uninstall(Online, New),
                ],
            },
            // §2.8.5 "Reduced upgrade step" items 1–4.
            StepType::Reduced => Row {
                t: &[Install(Online, Old)],
                r: &[ModifyIm(Old)],
                b: &[Restart(Unit::Sau), Uninstall(Online, New)],
            },
            // §4.3 "Rollback of locked reduced upgrade step" items 1–6.
            StepType::LockedReduced => Row {
                t: &[Install(Online, Old), Lock(Unit::Sau)],
                r: &[ModifyIm(Old)],
                b: &[
                    Restart(Unit::Sau),
                    Unlock(Unit::Sau),
                    Uninstall(Online, New),
                ],
            },
            // §4.3 "Rollback of the In-Phase normal upgrade step" items 1–9.
            StepType::InPhase => Row {
                t: &[
                    Lock(Unit::Au),
                    Terminate(Unit::Au),
                    Uninstall(Offline, New),
                    Uninstall(Online, New),
                ],
                r: &[ModifyIm(Old)],
                b: &[
                    Install(Online, Old),
                    Install(Offline, Old),
                    Instantiate(Unit::Du),
                    Unlock(Unit::Du),
                ],
            },
        }
    }

    /// Reduced and locked reduced steps may only be the innermost nested step (§4.1.3.1 rule 1).
    pub fn can_embed(self) -> bool {
        !matches!(self, StepType::Reduced | StepType::LockedReduced)
    }

    /// Whether the bundles this step handles have offline parts at all (a reduced step requires
    /// that they have none, §2.8.1.2 / §3.2.1.2 condition 3).
    pub fn has_offline(self) -> bool {
        self.forward().all().any(Action::is_offline)
    }

    pub fn name(self) -> &'static str {
        match self {
            StepType::OutOfPhase => "out-of-phase",
            StepType::Reduced => "reduced",
            StepType::LockedReduced => "locked-reduced",
            StepType::InPhase => "in-phase",
        }
    }
}

impl fmt::Display for StepType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for StepType {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim() {
            "out-of-phase" | "normal" | "out-of-phase-normal" => Ok(StepType::OutOfPhase),
            "reduced" => Ok(StepType::Reduced),
            "locked-reduced" => Ok(StepType::LockedReduced),
            "in-phase" | "in-phase-normal" => Ok(StepType::InPhase),
            other => Err(format!(
                "unknown step type `{other}` (expected one of: out-of-phase, reduced, locked-reduced, in-phase)"
            )),
        }
    }
}

/// Every action that appears in some row (used by table sanity tests).
pub fn all_actions() -> Vec<Action> {
    let mut v: Vec<Action> = ALL_TYPES
        .iter()
        .flat_map(|t| {
            t.forward()
                .all()
                .chain(t.rollback().all())
                .collect::<Vec<_>>()
        })
        .collect();
    v.dedup();
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::step::action::LayerState;

    /// Every forward row takes the source layer to the target layer, and every rollback row takes
    /// it back: a check of the transcription, not of the FSM.
    #[test]
    fn rows_go_from_source_to_target_and_back() {
        for ty in ALL_TYPES {
            let off = ty.has_offline();
            let fwd = ty
                .forward()
                .all()
                .fold(LayerState::source(off), |l, a| a.apply(l));
            assert_eq!(fwd, LayerState::target(off), "{ty} forward");
            let back = ty.rollback().all().fold(fwd, |l, a| a.apply(l));
            assert_eq!(back, LayerState::source(off), "{ty} rollback");
        }
    }

    #[test]
    fn reduced_types_have_no_offline_operations() {
        assert!(!StepType::Reduced.has_offline());
        assert!(!StepType::LockedReduced.has_offline());
        assert!(StepType::InPhase.has_offline());
        assert!(StepType::OutOfPhase.has_offline());
    }
}
