//! The seeded defects of the step tables and the FSM core (`smfcheck::step::fsm::Mutant`), each
//! with the model and fault budget on which it shows and the claim that kills it: one table for
//! the mutation test (tests/mutants.rs) and the replay of the killing counterexamples
//! (tests/reports.rs).

use smfcheck::step::fsm::Mutant;

/// (mutant, step model, fault budget, the claim that kills it) — every mutant once.
pub const KILLS: &[(Mutant, &str, u8, &str)] = &[
    (
        Mutant::DropWaitingCompleted,
        "in-phase,in-phase",
        0,
        "terminates-in-final-state",
    ),
    (
        Mutant::WrongReverseOfflineUninstall,
        "in-phase",
        1,
        "retry-starts-from-stable-state",
    ),
    (
        Mutant::NoFailedSignal,
        "in-phase,in-phase",
        2,
        "failure-propagates",
    ),
    (Mutant::UnboundedRetry, "in-phase", 2, "reaches-undone"),
    (
        Mutant::PhaseNotReset,
        "in-phase",
        2,
        "retry-starts-from-stable-state",
    ),
    (
        Mutant::OuterUndoesRollback,
        "in-phase,in-phase",
        2,
        "rollback-failure-propagates",
    ),
    (Mutant::SkipBuildUp, "in-phase", 0, "completed-means-target"),
    (
        Mutant::OuterUndoesWholeStep,
        "in-phase,in-phase",
        1,
        "retry-starts-from-stable-state",
    ),
    (
        Mutant::NoWaiting,
        "in-phase,in-phase",
        0,
        "one-nested-step-active",
    ),
    (
        Mutant::RollbackForgetsIm,
        "in-phase",
        0,
        "rollback-restores-source",
    ),
    (
        Mutant::UndoFailureIsUndone,
        "in-phase",
        2,
        "undo-restores-pre-step-state",
    ),
    (
        Mutant::PartialUndoneIgnoresFailed,
        "in-phase,in-phase",
        3,
        "terminates-in-final-state",
    ),
];
