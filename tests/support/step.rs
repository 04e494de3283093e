//! Step models built from the library, as `smfcheck fsm` builds them, and their verdicts read
//! as letters or by claim name.

use smfcheck::check::{Limits, Outcome, Verdict, explore};
use smfcheck::properties::step_claims;
use smfcheck::step::embed::{EmbeddedStep, Purpose};
use smfcheck::step::fsm::{Core, Mutant, Semantics};
use smfcheck::step::model::StepModel;
use smfcheck::step::table::StepType;

/// `in-phase,out-of-phase` → the step types, outermost first.
pub fn types(spec: &str) -> Vec<StepType> {
    spec.split(',').map(|s| s.parse().unwrap()).collect()
}

/// An upgrade step of the given types with max-retry 1 and `faults` injected failures.
pub fn model(spec: &str, faults: u8, semantics: Semantics) -> StepModel {
    let step = EmbeddedStep::new(types(spec), Purpose::Upgrade).unwrap();
    let mut m = StepModel::new(Core::new(step, 1, semantics));
    m.faults = faults;
    m
}

/// [`model`] under the thesis's semantics with a seeded defect.
pub fn mutant(spec: &str, faults: u8, mutant: Mutant) -> StepModel {
    let mut m = model(spec, faults, Semantics::Thesis);
    m.core.mutant = Some(mutant);
    m
}

/// Every registry claim explored on `m` without limits.
pub fn check(m: &StepModel) -> Outcome<StepModel> {
    let claims = step_claims(None);
    explore(m, &claims, &Limits::default())
}

/// One letter per checked claim, in registry order: V verified, X violated, W witnessed,
/// U unreachable, - not applicable, ? inconclusive.
pub fn letters<M: stateright::Model>(o: &Outcome<M>) -> String {
    o.results
        .iter()
        .map(|r| match r.verdict {
            Verdict::Verified => 'V',
            Verdict::Violated => 'X',
            Verdict::Witnessed => 'W',
            Verdict::Unreachable => 'U',
            Verdict::NotApplicable => '-',
            Verdict::Inconclusive => '?',
        })
        .collect()
}

/// The verdict of the claim `name` (a failure if it was not checked).
pub fn verdict(o: &Outcome<StepModel>, name: &str) -> Verdict {
    o.result(name)
        .unwrap_or_else(|| panic!("no claim {name}"))
        .verdict
}
