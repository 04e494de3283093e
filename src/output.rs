//! Writing outputs safely (issue #13). Files (`generate -o`, `--trace-out`) are written to a
//! temporary file in the target's directory and renamed into place, so a full disk or any other
//! write error leaves the old file (or none) rather than a truncated one; an output that is one
//! of the run's inputs is refused before anything is read or written. Standard output tolerates
//! a closed pipe (`smfcheck … | head`): the first `EPIPE` silences every later write and the
//! process ends with the exit code its verdict would have had; any other write error on standard
//! output is remembered and makes the run end with exit 2.

use crate::error::Error;
use std::io::{ErrorKind, Write};
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// `-o -`: the output is standard output.
pub const STDOUT_PATH: &str = "-";

static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);
static STDOUT_ERROR: Mutex<Option<String>> = Mutex::new(None);

/// Write `text` to standard output. A closed pipe is not an error (the reader has seen what it
/// wanted); another error is kept for [`stdout_error`].
pub fn print(text: &str) {
    if STDOUT_CLOSED.load(Ordering::Relaxed) {
        return;
    }
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        STDOUT_CLOSED.store(true, Ordering::Relaxed);
        if e.kind() != ErrorKind::BrokenPipe
            && let Ok(mut slot) = STDOUT_ERROR.lock()
        {
            slot.get_or_insert_with(|| e.to_string());
        }
    }
}

/// [`print`] followed by a newline.
pub fn println(text: &str) {
    print(&format!("{text}\n"));
}

/// A write error on standard output other than a closed pipe, if one happened.
pub fn stdout_error() -> Option<String> {
    STDOUT_ERROR.lock().ok().and_then(|s| s.clone())
}

/// A line on standard error; a closed or broken standard error is ignored (there is nowhere
/// left to say anything), where `eprintln!` would panic.
pub fn note(text: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}

/// Whether `output` is the same file as one of `inputs` (same device and inode, so hard links
/// and symbolic links count; an output that does not exist yet is none of them). Returns the
/// input's option and path.
pub fn same_file<'a>(output: &Path, inputs: &[(&'a str, &'a Path)]) -> Option<(&'a str, &'a Path)> {
    use std::os::unix::fs::MetadataExt;
    let out = std::fs::metadata(output).ok()?;
    inputs.iter().copied().find(|(_, p)| {
        std::fs::metadata(p).is_ok_and(|m| m.dev() == out.dev() && m.ino() == out.ino())
    })
}

/// Refuse `option output` if it is one of `inputs` (before anything is read or written).
pub fn refuse_input_as_output(
    option: &str,
    output: &Path,
    inputs: &[(&str, &Path)],
) -> Result<(), Error> {
    match same_file(output, inputs) {
        Some((what, p)) => Err(Error::Usage(format!(
            "{option} {}: output is an input (the same file as {what} {}); nothing read or written",
            output.display(),
            p.display()
        ))),
        None => Ok(()),
    }
}

/// The directory an output file goes to must exist (checked before a long run, so that the run
/// is not lost to a typo).
pub fn check_output_dir(option: &str, path: &Path) -> Result<(), Error> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !dir.is_dir() {
        return Err(Error::Usage(format!(
            "{option} {}: directory {} does not exist",
            path.display(),
            dir.display()
        )));
    }
    if std::fs::metadata(path).is_ok_and(|m| m.is_dir()) {
        return Err(Error::Usage(format!(
            "{option} {}: is a directory",
            path.display()
        )));
    }
    Ok(())
}

/// Write `bytes` to `path` whole or not at all: into a temporary file in the same directory
/// (a rename is atomic only within one file system), flushed to disk, then renamed over `path`.
/// On any error the temporary file is removed and `path` is left as it was.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let io = |source| Error::Io {
        path: path.display().to_string(),
        source,
    };
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".smfcheck-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(io)?;
    tmp.write_all(bytes).map_err(io)?;
    // Without the sync a crash after the rename could leave an empty file under the new name.
    tmp.as_file().sync_all().map_err(io)?;
    // The temporary file is created 0600; an output is an ordinary file for its reader.
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)
            .map(|m| m.permissions().mode() & 0o7777)
            .unwrap_or(0o644);
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(mode)).map_err(io)?;
    }
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

/// `print!` through [`print`]: formats and writes to standard output, tolerating a closed pipe.
macro_rules! out {
    ($($arg:tt)*) => { $crate::output::print(&format!($($arg)*)) };
}

/// `println!` through [`print`].
macro_rules! outln {
    () => { $crate::output::print("\n") };
    ($($arg:tt)*) => { $crate::output::println(&format!($($arg)*)) };
}

/// `eprintln!` through [`note`]: a broken standard error is no reason to panic.
macro_rules! errln {
    ($($arg:tt)*) => { $crate::output::note(&format!($($arg)*)) };
}

pub(crate) use {errln, out, outln};
