//! Builders shared by the test modules.

use smfcheck::check::{Limits, Outcome, Verdict, explore};
use smfcheck::model::StepModel;
use smfcheck::properties::step_claims;
use smfcheck::step::embed::{EmbeddedStep, Purpose};
use smfcheck::step::fsm::{Core, Mutant, Semantics};
use smfcheck::step::table::StepType;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The OpenSAF files holding IMM objects whose parent is in no corpus configuration: the
/// `SaAmfNodeSwBundle`s of the sample applications hang under `safAmfNode=SC-1` (SC-2, PL-3…5),
/// which `imm.xml.sample` names `SC_2_1`… — immcfg, and so smfcheck, refuses such an orphan
/// (`orphans_of_the_corpus_are_refused` in tests/bad_inputs.rs pins that).
pub const CORPUS_ORPHANS: &[&str] = &[
    "samples/amf/sa_aware/AppConfig-2N.xml",
    "samples/amf/sa_aware/AppConfig-nwayactive.xml",
];

/// A copy of the tree `os` (under the test target's scratch directory, made once per run) in
/// which the [`CORPUS_ORPHANS`] files have their `SaAmfNodeSwBundle` objects blanked out line
/// for line, so that every other line number — and so every pinned message — stays as in the
/// real files, while the corpus tests still reach the model.
fn without_orphans(os: &Path) -> PathBuf {
    static COPY: OnceLock<PathBuf> = OnceLock::new();
    COPY.get_or_init(|| {
        let copy = Path::new(env!("CARGO_TARGET_TMPDIR")).join("opensaf-without-orphans");
        let _ = std::fs::remove_dir_all(&copy);
        copy_tree(os, &copy);
        for rel in CORPUS_ORPHANS {
            let path = copy.join(rel);
            let text = std::fs::read_to_string(&path).unwrap();
            let mut out = String::with_capacity(text.len());
            let mut rest = text.as_str();
            while let Some(start) = rest.find("<object class=\"SaAmfNodeSwBundle\">") {
                let end = start + rest[start..].find("</object>").unwrap() + "</object>".len();
                out.push_str(&rest[..start]);
                out.extend(rest[start..end].matches('\n').map(|_| '\n'));
                rest = &rest[end..];
            }
            out.push_str(rest);
            std::fs::write(&path, out).unwrap();
        }
        copy
    })
    .clone()
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The real OpenSAF tree of `SMFCHECK_OPENSAF` (not [`opensaf`]'s copy), for the tests of what
/// the copy leaves out.
pub fn opensaf_as_is() -> Option<PathBuf> {
    opensaf().and(std::env::var_os("SMFCHECK_OPENSAF").map(PathBuf::from))
}

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
            Some(without_orphans(&dir))
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
