//! The one way the tests run the `smfcheck` binary: from the repository root or a directory
//! under it, standard input closed, standard output and error collected as text (each drained
//! by its own thread, so a full pipe never blocks the child), the exit code required (a death
//! by signal fails the test). A test that must stay bounded (a run that might serve instead of
//! ending) says so with [`Smfcheck::within`].

use std::ffi::OsStr;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The repository root: the working directory of a run unless it says otherwise.
pub const ROOT: &str = env!("CARGO_MANIFEST_DIR");
/// The binary under test (the release build under `cargo test --release`).
pub const BIN: &str = env!("CARGO_BIN_EXE_smfcheck");

/// `models/`, or the file or folder `rel` under it.
pub fn models(rel: &str) -> PathBuf {
    Path::new(ROOT).join("models").join(rel)
}

/// One run of the binary, set up step by step and started by [`Smfcheck::run`].
pub struct Smfcheck {
    cmd: Command,
    stdout: Option<Stdio>,
    close_stdout: bool,
    limit: Option<Duration>,
}

impl Smfcheck {
    /// `smfcheck ARGS` from the repository root.
    pub fn new<S: AsRef<OsStr>>(args: impl IntoIterator<Item = S>) -> Smfcheck {
        let mut cmd = Command::new(BIN);
        cmd.args(args).current_dir(ROOT);
        Smfcheck::from(cmd)
    }

    /// `smfcheck ARGS` run by `sh -c SCRIPT` (the script ends in `exec "$@"`), for what only a
    /// shell sets up: `ulimit`, `trap`.
    pub fn under_shell<S: AsRef<OsStr>>(script: &str, args: impl IntoIterator<Item = S>) -> Self {
        let mut cmd = Command::new("sh");
        cmd.args(["-c", script, "sh", BIN])
            .args(args)
            .current_dir(ROOT);
        Smfcheck::from(cmd)
    }

    fn from(cmd: Command) -> Smfcheck {
        Smfcheck {
            cmd,
            stdout: None,
            close_stdout: false,
            limit: None,
        }
    }

    /// One more argument (a path, say).
    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Smfcheck {
        self.cmd.arg(arg);
        self
    }

    /// Run in `dir` (relative to the repository root, or absolute).
    pub fn dir(mut self, dir: impl AsRef<Path>) -> Smfcheck {
        self.cmd.current_dir(Path::new(ROOT).join(dir));
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Smfcheck {
        self.cmd.env(key, value);
        self
    }

    /// Send standard output there instead of collecting it (it then reads as empty).
    pub fn stdout(mut self, to: impl Into<Stdio>) -> Smfcheck {
        self.stdout = Some(to.into());
        self
    }

    /// Close the reading end of standard output before the binary writes anything.
    pub fn closed_stdout(mut self) -> Smfcheck {
        self.close_stdout = true;
        self
    }

    /// Kill the run and fail the test if it has not ended after `secs` seconds (for runs that
    /// might serve or block instead of ending; never a measure of speed).
    pub fn within(mut self, secs: u64) -> Smfcheck {
        self.limit = Some(Duration::from_secs(secs));
        self
    }

    /// Run to the end: exit code, standard output, standard error.
    pub fn run(mut self) -> (i32, String, String) {
        let collect = self.stdout.is_none();
        self.cmd
            .stdin(Stdio::null())
            .stdout(self.stdout.take().unwrap_or_else(Stdio::piped))
            .stderr(Stdio::piped());
        let mut child = self.cmd.spawn().expect("smfcheck runs");
        let out = child.stdout.take();
        let out = match (collect, self.close_stdout) {
            (true, false) => out.map(drain),
            _ => {
                drop(out);
                None
            }
        };
        let err = drain(child.stderr.take().unwrap());
        let status = match self.limit {
            None => child.wait().unwrap(),
            Some(limit) => {
                let deadline = Instant::now() + limit;
                loop {
                    if let Some(s) = child.try_wait().unwrap() {
                        break s;
                    }
                    if Instant::now() > deadline {
                        let _ = child.kill();
                        let _ = child.wait();
                        panic!("{:?} did not end within {limit:?}", self.cmd);
                    }
                    std::thread::sleep(Duration::from_millis(20));
                }
            }
        };
        let out = out.map(|h| h.join().unwrap()).unwrap_or_default();
        let err = err.join().unwrap();
        let code = status
            .code()
            .unwrap_or_else(|| panic!("{:?} ended by a signal ({status}): {err}", self.cmd));
        (code, out, err)
    }
}

/// Read a child's stream to its end in the background.
fn drain(mut r: impl Read + Send + 'static) -> JoinHandle<String> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = r.read_to_end(&mut bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// `smfcheck ARGS` from the repository root: exit code, standard output, standard error.
pub fn smfcheck<S: AsRef<OsStr>>(args: &[S]) -> (i32, String, String) {
    Smfcheck::new(args).run()
}

/// `smfcheck ARGS` in `dir` (relative to the repository root, or absolute).
pub fn smfcheck_in<S: AsRef<OsStr>>(dir: impl AsRef<Path>, args: &[S]) -> (i32, String, String) {
    Smfcheck::new(args).dir(dir).run()
}
