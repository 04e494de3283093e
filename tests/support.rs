//! Builders shared by the test modules.

use smfcheck::check::{Limits, Outcome, Verdict, explore};
use smfcheck::model::StepModel;
use smfcheck::properties::step_claims;
use smfcheck::step::embed::{EmbeddedStep, Purpose};
use smfcheck::step::fsm::{Core, Mutant, Semantics};
use smfcheck::step::table::StepType;
use std::path::PathBuf;

/// The OpenSAF source tree the corpus tests read in place (sample campaigns under `samples/`,
/// class files and IMM configurations under `src/*/config/`), from `SMFCHECK_OPENSAF`. Unset: the
/// calling test reports itself skipped on stderr and should return (`let Some(os) = opensaf()
/// else { return };`), unless `SMFCHECK_REQUIRE_OPENSAF=1` makes that a failure (as CI does). Set
/// to something that is not a directory: a failure.
pub fn opensaf() -> Option<PathBuf> {
    opensaf_or("skipped")
}

/// [`opensaf`] for a test that does part of its work without the tree: unset, it says on stderr
/// what it leaves out (`unchecked`) instead of "skipped".
pub fn opensaf_or(unchecked: &str) -> Option<PathBuf> {
    match std::env::var_os("SMFCHECK_OPENSAF") {
        Some(dir) if !dir.is_empty() => {
            let dir = PathBuf::from(dir);
            assert!(
                dir.is_dir(),
                "SMFCHECK_OPENSAF={} is not a directory (point it at an OpenSAF source tree)",
                dir.display()
            );
            Some(dir)
        }
        _ => {
            assert!(
                std::env::var_os("SMFCHECK_REQUIRE_OPENSAF").is_none_or(|v| v != "1"),
                "SMFCHECK_REQUIRE_OPENSAF=1 but SMFCHECK_OPENSAF is not set (point it at an \
                 OpenSAF source tree)"
            );
            eprintln!(
                "{unchecked}: SMFCHECK_OPENSAF is not set (point it at an OpenSAF source tree)"
            );
            None
        }
    }
}

pub fn types(spec: &str) -> Vec<StepType> {
    spec.split(',').map(|s| s.parse().unwrap()).collect()
}

pub fn model(spec: &str, faults: u8, semantics: Semantics) -> StepModel {
    let step = EmbeddedStep::new(types(spec), Purpose::Upgrade).unwrap();
    let mut m = StepModel::new(Core::new(step, 1, semantics));
    m.faults = faults;
    m
}

pub fn mutant(spec: &str, faults: u8, mutant: Mutant) -> StepModel {
    let mut m = model(spec, faults, Semantics::Thesis);
    m.core.mutant = Some(mutant);
    m
}

pub fn check(m: &StepModel) -> Outcome<StepModel> {
    let (_, claims): (Vec<_>, Vec<_>) = step_claims(m, None).into_iter().unzip();
    explore(m, &claims, &Limits::default())
}

/// One letter per registry entry, in registry order: V verified, X violated, W witnessed,
/// U unreachable, - not applicable, ? inconclusive.
pub fn letters(o: &Outcome<StepModel>) -> String {
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

pub fn verdict(o: &Outcome<StepModel>, name: &str) -> Verdict {
    o.result(name)
        .unwrap_or_else(|| panic!("no claim {name}"))
        .verdict
}
