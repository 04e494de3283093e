//! Claims as the explorer checks them and the reports print them: one value carries a claim's
//! name, kind, doc line, thesis section, checks, and the models it applies to. The registry
//! ([`crate::properties`]) is a list of these values, so each name is written once.

use stateright::Model;

/// How a claim is judged (shown in the verdict table).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// In every reachable state (or on every transition).
    Always,
    /// Every run ends in a state that satisfies it (checked soundly: with termination, at every
    /// state without successors).
    Eventually,
    /// Some reachable state satisfies it (a witness is shown).
    Reachable,
    /// Every run ends in a declared final state.
    Termination,
}

impl Kind {
    pub fn word(self) -> &'static str {
        match self {
            Kind::Always => "always",
            Kind::Eventually => "always+eventually",
            Kind::Reachable => "reachable",
            Kind::Termination => "termination",
        }
    }

    /// The kind a list of checks amounts to: a reachability witness (all `Sometimes`),
    /// termination, an end-of-run condition (with termination, "eventually"), else a safety
    /// claim.
    pub fn of<M: Model>(checks: &[Check<M>]) -> Kind {
        if !checks.is_empty() && checks.iter().all(Check::is_witness) {
            Kind::Reachable
        } else if checks.iter().any(|c| matches!(c, Check::Terminates)) {
            Kind::Termination
        } else if checks.iter().any(|c| matches!(c, Check::AtEnd(_))) {
            Kind::Eventually
        } else {
            Kind::Always
        }
    }
}

/// One way a claim is checked.
pub enum Check<M: Model> {
    /// Must hold in every reachable state.
    Always(fn(&M, &M::State) -> bool),
    /// Must hold on every reachable transition.
    OnStep(fn(&M, &M::State, &M::Action, &M::State) -> bool),
    /// Must hold in every reachable state without successors (with termination, this is
    /// "eventually, for good").
    AtEnd(fn(&M, &M::State) -> bool),
    /// Some reachable state satisfies it (a reachability witness).
    Sometimes(fn(&M, &M::State) -> bool),
    /// Every run ends in a declared final state (no deadlock elsewhere, no cycle avoiding them).
    Terminates,
}

// By hand: a derive would ask `M: Clone`, and a check is only function pointers.
impl<M: Model> Clone for Check<M> {
    fn clone(&self) -> Self {
        match self {
            Check::Always(f) => Check::Always(*f),
            Check::OnStep(f) => Check::OnStep(*f),
            Check::AtEnd(f) => Check::AtEnd(*f),
            Check::Sometimes(f) => Check::Sometimes(*f),
            Check::Terminates => Check::Terminates,
        }
    }
}

impl<M: Model> Check<M> {
    fn is_witness(&self) -> bool {
        matches!(self, Check::Sometimes(_))
    }
}

/// A named claim: what it says (for the reports and `smfcheck properties`) and how it is checked
/// (for the explorer).
pub struct Claim<M: Model> {
    pub name: &'static str,
    pub kind: Kind,
    /// One line: what the claim means, in SMF terms.
    pub doc: &'static str,
    /// The thesis (or SMF, UCS, OpenSAF) sections it encodes.
    pub section: &'static str,
    pub checks: Vec<Check<M>>,
    /// Whether the claim applies to a model; one that does not is reported as n/a, never as
    /// verified (a campaign claim about entities on a campaign model without a configuration).
    pub applies: fn(&M) -> bool,
}

// By hand, as for `Check`.
impl<M: Model> Clone for Claim<M> {
    fn clone(&self) -> Self {
        Claim {
            name: self.name,
            kind: self.kind,
            doc: self.doc,
            section: self.section,
            checks: self.checks.clone(),
            applies: self.applies,
        }
    }
}

/// [`Claim::applies`] of a claim that applies to every model.
pub fn every_model<M>(_: &M) -> bool {
    true
}

impl<M: Model> Claim<M> {
    /// A claim outside the registry (a probe of a test, a bench): its kind follows from its
    /// checks, it has no doc line or section, and it applies to every model.
    pub fn ad_hoc(name: &'static str, checks: Vec<Check<M>>) -> Self {
        Claim {
            name,
            kind: Kind::of(&checks),
            doc: "",
            section: "",
            checks,
            applies: every_model,
        }
    }

    pub fn is_witness(&self) -> bool {
        self.checks.iter().all(Check::is_witness)
    }
}
