//! The OpenSAF source tree the corpus tests read (sample campaigns under `samples/`, class files
//! and IMM configurations under `src/*/config/`), from `SMFCHECK_OPENSAF`. Unset, a test that
//! needs it says on standard error that it is skipped and passes — unless
//! `SMFCHECK_REQUIRE_OPENSAF=1` (as CI sets it), which makes a missing tree a failure. This is
//! the one place that reads either variable.

use super::scratch::run_dir;
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

/// The tree the corpus tests read in place: a copy of `SMFCHECK_OPENSAF` (made once per run)
/// without the [`CORPUS_ORPHANS`]. Unset: the calling test reports itself skipped on stderr and
/// should return (`let Some(os) = opensaf() else { return };`), unless
/// `SMFCHECK_REQUIRE_OPENSAF=1` makes that a failure. Set to something that is not a directory:
/// a failure.
pub fn opensaf() -> Option<PathBuf> {
    opensaf_or("skipped")
}

/// [`opensaf`] for a test that does part of its work without the tree: unset, it says on stderr
/// what it leaves out (`unchecked`) instead of "skipped".
pub fn opensaf_or(unchecked: &str) -> Option<PathBuf> {
    opensaf_tree(unchecked).map(|dir| without_orphans(&dir))
}

/// The real tree of `SMFCHECK_OPENSAF` (not [`opensaf`]'s copy), for the tests of what the copy
/// leaves out.
pub fn opensaf_as_is() -> Option<PathBuf> {
    opensaf_tree("skipped")
}

/// `SMFCHECK_OPENSAF` checked, or `None` after saying what is `unchecked` (a failure instead
/// under `SMFCHECK_REQUIRE_OPENSAF=1`).
fn opensaf_tree(unchecked: &str) -> Option<PathBuf> {
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

/// A copy of the tree `os` in which the [`CORPUS_ORPHANS`] files have their
/// `SaAmfNodeSwBundle` objects blanked out line for line, so that every other line number — and
/// so every pinned message — stays as in the real files, while the corpus tests still reach the
/// model.
fn without_orphans(os: &Path) -> PathBuf {
    static COPY: OnceLock<PathBuf> = OnceLock::new();
    COPY.get_or_init(|| {
        let copy = run_dir("opensaf-without-orphans");
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
