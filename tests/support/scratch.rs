//! Scratch directories, all under the test target's own temporary directory
//! (`CARGO_TARGET_TMPDIR`, inside `target/`), never the system's: a test's directory is fresh,
//! empty, unique to the call (tests run in parallel) and removed when the test drops it, so
//! runs leave nothing behind.

use std::ops::Deref;
use std::path::{Path, PathBuf};

/// A fresh empty directory, removed when dropped; it derefs to its path. Keep it bound for as
/// long as its files are used (`let dir = scratch("x");`, not `scratch("x").join(…)`).
pub struct Scratch(tempfile::TempDir);

impl Deref for Scratch {
    type Target = Path;
    fn deref(&self) -> &Path {
        self.0.path()
    }
}

impl AsRef<Path> for Scratch {
    fn as_ref(&self) -> &Path {
        self.0.path()
    }
}

/// A new scratch directory whose name starts with `name` (for a human reading `target/tmp`).
pub fn scratch(name: &str) -> Scratch {
    Scratch(
        tempfile::Builder::new()
            .prefix(&format!("{name}-"))
            .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
            .expect("a scratch directory under CARGO_TARGET_TMPDIR"),
    )
}

/// A directory that lives for the whole test run and is shared by its tests (a copy made once
/// per run, such as the OpenSAF tree without its orphans): the same path every run, emptied at
/// its first use in the run by the caller's `OnceLock`.
pub fn run_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
