//! Golden files: output compared byte for byte with a file in the repository, or written to it
//! when `UPDATE_GOLDEN` is set (`UPDATE_GOLDEN=1 cargo test --release`; review the diff before
//! committing it). A changed output is a failing test until its file is regenerated.

use super::run::ROOT;
use std::path::Path;

/// Whether this run rewrites the golden files instead of comparing with them.
pub fn updating() -> bool {
    std::env::var_os("UPDATE_GOLDEN").is_some()
}

/// Compare `actual` with the file `rel` (relative to the repository root), or write it when
/// updating: `None` if they agree (or it was written), else what differs, for a test that
/// reports several files at once.
pub fn golden_differs(rel: &str, actual: &str) -> Option<String> {
    let path = Path::new(ROOT).join(rel);
    if updating() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return None;
    }
    let want = match std::fs::read_to_string(&path) {
        Ok(want) => want,
        Err(e) => return Some(format!("{rel}: {e} (UPDATE_GOLDEN=1 writes it)")),
    };
    if want == actual {
        return None;
    }
    let (line, got) = want
        .lines()
        .zip(actual.lines())
        .enumerate()
        .find(|(_, (w, a))| w != a)
        .map(|(i, (_, a))| (i + 1, format!("{a:?}")))
        .unwrap_or_else(|| {
            let shorter = want.lines().count().min(actual.lines().count());
            (shorter + 1, "a different end".to_string())
        });
    Some(format!(
        "{rel} differs at line {line}: the output has {got} (UPDATE_GOLDEN=1 regenerates it)"
    ))
}

/// [`golden_differs`] for one file: fails the test if it differs.
pub fn assert_golden(rel: &str, actual: &str) {
    if let Some(why) = golden_differs(rel, actual) {
        panic!("{why}\n--- output:\n{actual}");
    }
}
