//! Hardening of the command line (issue #13), one reproducer per defect class, run on the binary:
//! outputs (an output that is an input, a failed write, `-o -`, a closed standard output),
//! unbounded resources (inputs that are not regular files or are too large, sizes too large,
//! limits of `generate`), untrusted trace files (files they name are checked and never quoted,
//! options beyond the model refused, paths relative to the trace), and the explore server
//! (reset connections, running out of file descriptors). Every wait is bounded; the servers
//! listen on 127.0.0.1 only.

use super::support::{Explorer, ROOT, Smfcheck, get, scratch};
use std::io::Write;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

fn case_study(file: &str) -> PathBuf {
    Path::new(ROOT).join("models/thesis-case-study").join(file)
}

/// `smfcheck ARGS` from the repository root, killed and failed if it has not ended in 120 s.
fn smfcheck(args: &[&str]) -> (i32, String, String) {
    Smfcheck::new(args).within(120).run()
}

fn no_panic(err: &str) {
    assert!(
        !err.contains("panicked") && !err.contains("stack backtrace"),
        "{err}"
    );
}

// ------------------------------------------------------------------------------------------
// 1. Outputs
// ------------------------------------------------------------------------------------------

/// `generate -o` naming one of its inputs (directly, by a symbolic link or a hard link) and
/// `--trace-out` naming an input are refused before anything is read or written.
#[test]
fn an_output_that_is_an_input_is_refused() {
    let d = scratch("out-is-in");
    let src = d.join("source.xml");
    std::fs::copy(case_study("source.xml"), &src).unwrap();
    let before = std::fs::read(&src).unwrap();
    std::os::unix::fs::symlink(&src, d.join("link.xml")).unwrap();
    std::fs::hard_link(&src, d.join("hard.xml")).unwrap();
    let target = case_study("target.xml");
    let compat = case_study("compat.xml");
    for out in ["source.xml", "link.xml", "hard.xml"] {
        let o = d.join(out);
        let (code, _, err) = smfcheck(&[
            "generate",
            "--source",
            src.to_str().unwrap(),
            "--target",
            target.to_str().unwrap(),
            "--compat",
            compat.to_str().unwrap(),
            "-o",
            o.to_str().unwrap(),
        ]);
        assert_eq!(code, 2, "{out}: {err}");
        assert!(err.contains("output is an input"), "{err}");
        assert!(err.contains("--source"), "{err}");
        assert_eq!(std::fs::read(&src).unwrap(), before, "{out}");
    }
    // The target and the compatibility file count too.
    let (code, _, err) = smfcheck(&[
        "generate",
        "--source",
        src.to_str().unwrap(),
        "--target",
        target.to_str().unwrap(),
        "--compat",
        compat.to_str().unwrap(),
        "-o",
        compat.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("output is an input") && err.contains("--compat"),
        "{err}"
    );
    // --trace-out on the configuration of a check.
    let (code, _, err) = smfcheck(&[
        "check",
        "models/broken/undo-cannot-restore.xml",
        "--config",
        d.join("hard.xml").to_str().unwrap(),
        "--trace-out",
        src.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("--trace-out") && err.contains("output is an input"),
        "{err}"
    );
    assert_eq!(std::fs::read(&src).unwrap(), before);
    let (code, _, err) = smfcheck(&["fsm", "--step", "reduced", "--trace-out", "-"]);
    assert_eq!(code, 2, "{err}");
}

/// A write that fails half-way (here: the file-size limit, as a full disk would) leaves the
/// previous output intact and no temporary file behind; exit 2 naming the output.
#[test]
fn a_failed_write_leaves_no_truncated_output() {
    let d = scratch("write-fails");
    let out = d.join("campaign.xml");
    std::fs::write(&out, "previous content\n").unwrap();
    let trace = d.join("t.json");
    std::fs::write(&trace, "previous trace\n").unwrap();
    // `trap '' XFSZ`: the write fails with EFBIG instead of the signal killing the process.
    let script = r#"trap '' XFSZ; ulimit -f 1; exec "$@""#;
    let (code, _, err) = Smfcheck::under_shell(script, ["generate", "--no-verify", "--source"])
        .arg(case_study("source.xml"))
        .arg("--target")
        .arg(case_study("target.xml"))
        .arg("--compat")
        .arg(case_study("compat.xml"))
        .arg("-o")
        .arg(&out)
        .within(60)
        .run();
    assert_eq!(code, 2, "{err}");
    assert!(err.contains(out.to_str().unwrap()), "{err}");
    no_panic(&err);
    let (code, _, err) = Smfcheck::under_shell(script, ["fsm", "--step", "reduced", "--trace-out"])
        .arg(&trace)
        .within(60)
        .run();
    assert_eq!(code, 2, "{err}");
    assert!(err.contains(trace.to_str().unwrap()), "{err}");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "previous content\n");
    assert_eq!(std::fs::read_to_string(&trace).unwrap(), "previous trace\n");
    let left: Vec<_> = std::fs::read_dir(&d)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left.len(), 2, "temporary files left behind: {left:?}");
}

/// `-o -` writes the campaign on standard output, the summary and report on standard error.
#[test]
fn generate_to_standard_output() {
    let (code, out, err) = smfcheck(&[
        "generate",
        "--source",
        "models/thesis-case-study/source.xml",
        "--target",
        "models/thesis-case-study/target.xml",
        "--compat",
        "models/thesis-case-study/compat.xml",
        "--name",
        "thesis_case_study",
        "-o",
        "-",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("<?xml"), "{out}");
    assert!(out.contains("<upgradeCampaign"), "{out}");
    assert!(err.contains("wrote standard output"), "{err}");
    assert!(err.contains("exploration: exhaustive"), "{err}");
    assert!(!Path::new(ROOT).join("-").exists());
}

/// A reader that closes the pipe early (`smfcheck … | head`) ends the run quietly with the
/// verdict's exit code; any other write error on standard output is exit 2.
#[test]
fn a_closed_standard_output_is_not_a_panic() {
    for (args, code) in [
        (&["fsm", "--step", "in-phase,in-phase"][..], 0),
        (&["fsm", "--step", "reduced"][..], 1),
        (&["graph", "--step", "in-phase,in-phase,in-phase"][..], 0),
        (&["properties"][..], 0),
        (
            &[
                "check",
                "models/broken/undo-cannot-restore.xml",
                "--config",
                "models/vlc-2n/config.xml",
                "--compat",
                "models/vlc-2n/compat.xml",
                "--faults",
                "2",
                "--format",
                "json",
            ][..],
            1,
        ),
    ] {
        // The reader is gone before smfcheck writes anything.
        let (got, _, err) = Smfcheck::new(args).closed_stdout().within(60).run();
        assert_eq!(got, code, "{args:?}: {err}");
        no_panic(&err);
        assert!(err.is_empty(), "{args:?}: {err}");
    }
    // /dev/full: the report cannot be written, which is an error.
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full");
    if let Ok(full) = full {
        let (code, _, err) = Smfcheck::new(["fsm", "--step", "in-phase"])
            .stdout(full)
            .run();
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("writing standard output"), "{err}");
    }
}

// ------------------------------------------------------------------------------------------
// 2. Unbounded resources
// ------------------------------------------------------------------------------------------

/// Inputs that are not regular files are refused naming the path, without blocking on a FIFO
/// or reading `/dev/zero` forever.
#[test]
fn inputs_must_be_regular_files() {
    let d = scratch("irregular");
    let fifo = d.join("fifo.xml");
    let made = Command::new("mkfifo").arg(&fifo).status();
    let mut cases: Vec<(Vec<String>, String, &str)> = vec![
        (
            vec![
                "check".into(),
                "/dev/zero".into(),
                "--config".into(),
                "x.xml".into(),
            ],
            "/dev/zero".into(),
            "not a regular file",
        ),
        (
            vec![
                "check".into(),
                "models/broken/undo-cannot-restore.xml".into(),
                "--config".into(),
                d.display().to_string(),
            ],
            d.display().to_string(),
            "is a directory",
        ),
        (
            vec![
                "fsm".into(),
                "--step".into(),
                "in-phase".into(),
                "--properties".into(),
                "/dev/zero".into(),
            ],
            "/dev/zero".into(),
            "not a regular file",
        ),
        (
            vec!["replay".into(), "/dev/zero".into()],
            "/dev/zero".into(),
            "not a regular file",
        ),
        (
            vec![
                "generate".into(),
                "--source".into(),
                "/dev/zero".into(),
                "--target".into(),
                "/dev/zero".into(),
                "-o".into(),
                d.join("o.xml").display().to_string(),
            ],
            "/dev/zero".into(),
            "not a regular file",
        ),
    ];
    if made.is_ok_and(|s| s.success()) {
        cases.push((
            vec![
                "check".into(),
                "models/broken/undo-cannot-restore.xml".into(),
                "--config".into(),
                fifo.display().to_string(),
            ],
            fifo.display().to_string(),
            "is a FIFO",
        ));
    }
    for (args, path, says) in cases {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, _, err) = smfcheck(&a);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(&path) && err.contains(says), "{args:?}: {err}");
    }
}

/// Inputs above the cap (`SMFCHECK_MAX_INPUT_SIZE`, default 256 MiB) are refused naming it.
#[test]
fn inputs_are_capped() {
    let (code, _, err) = Smfcheck::new([
        "check",
        "models/thesis-case-study/expected-campaign.xml",
        "--config",
        "models/thesis-case-study/source.xml",
    ])
    .env("SMFCHECK_MAX_INPUT_SIZE", "1K")
    .within(60)
    .run();
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("input cap of 1K"), "{err}");
    assert!(err.contains("SMFCHECK_MAX_INPUT_SIZE"), "{err}");
    let (code, _, err) = Smfcheck::new(["replay", "docs/img/base-type-counterexample.json"])
        .env("SMFCHECK_MAX_INPUT_SIZE", "lots")
        .within(60)
        .run();
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("SMFCHECK_MAX_INPUT_SIZE: `lots` is not a size"),
        "{err}"
    );
}

/// A size past 16 EiB is too large, not "less than one byte"; other numbers too large for
/// their option are usage errors, never panics.
#[test]
fn oversized_numbers_say_too_large() {
    let (code, _, err) = smfcheck(&[
        "fsm",
        "--step",
        "in-phase",
        "--max-memory",
        "99999999999999999999G",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("too large"), "{err}");
    assert!(!err.contains("at least one byte"), "{err}");
    for (flag, value, says) in [
        ("--max-states", "99999999999999999999999", "too large"),
        ("--timeout", "99999999999999999999999", "too large"),
        ("--faults", "256", "not in 0..=255"),
        ("--faults", "9", "out of range 0..=8"),
    ] {
        let (code, _, err) = smfcheck(&["fsm", "--step", "in-phase", flag, value]);
        assert_eq!(code, 2, "{flag}: {err}");
        assert!(err.contains(says), "{flag}: {err}");
        no_panic(&err);
    }
    // The largest timeout is accepted and does not overflow.
    let (code, _, err) = smfcheck(&[
        "fsm",
        "--step",
        "in-phase",
        "--timeout",
        "18446744073709551615",
    ]);
    assert_eq!(code, 0, "{err}");
}

/// The default memory limit is a documented share of physical memory; `generate` takes the
/// limits of its verification and ends inconclusive (exit 3, nothing written) when one cuts it.
#[test]
fn memory_limit_by_default_and_limits_of_generate() {
    let total = smfcheck::check::default_max_memory().expect("/proc/meminfo is readable");
    assert!(total > 0);
    let (_, out, _) = smfcheck(&["check", "--help"]);
    assert!(out.contains("75 % of physical memory"), "{out}");
    let d = scratch("gen-limits");
    let o = d.join("c.xml");
    for (flag, value, says) in [
        ("--max-memory", "1K", "--max-memory 1K reached"),
        ("--max-states", "10", "--max-states 10 reached"),
        ("--timeout", "0", "--timeout 0s reached"),
    ] {
        let (code, out, err) = smfcheck(&[
            "generate",
            "--source",
            "models/thesis-case-study/source.xml",
            "--target",
            "models/thesis-case-study/target.xml",
            "--compat",
            "models/thesis-case-study/compat.xml",
            "-o",
            o.to_str().unwrap(),
            flag,
            value,
        ]);
        assert_eq!(code, 3, "{flag}: {out}{err}");
        assert!(out.contains(says), "{out}");
        assert!(out.contains("nothing written"), "{out}");
        assert!(!o.exists());
    }
}

// ------------------------------------------------------------------------------------------
// 3. Trace files are untrusted
// ------------------------------------------------------------------------------------------

/// A campaign trace (`check --trace-out`) in `dir`.
fn campaign_trace(dir: &Path) -> (PathBuf, serde_json::Value) {
    let t = dir.join("c.json");
    let (code, _, err) = smfcheck(&[
        "check",
        "models/broken/undo-cannot-restore.xml",
        "--config",
        "models/vlc-2n/config.xml",
        "--compat",
        "models/vlc-2n/compat.xml",
        "--faults",
        "2",
        "--quiet",
        "--trace-out",
        t.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    let v = serde_json::from_str(&std::fs::read_to_string(&t).unwrap()).unwrap();
    (t, v)
}

/// A trace that names a file that is not of the expected kind gets "not an IMM XML file",
/// with the trace named, and never a quote of that file; in replay, explore and graph.
#[test]
fn files_named_by_a_trace_are_checked_and_never_quoted() {
    let d = scratch("evil-trace");
    let (_, good) = campaign_trace(&d);
    let secret = d.join("secret.txt");
    std::fs::write(&secret, "SECRET-FIRST-LINE root:x:0:0\n<oops>\n").unwrap();
    let xml_secret = d.join("secret.xml");
    std::fs::write(
        &xml_secret,
        "<?xml version=\"1.0\"?>\n<other>SECRET-XML</other>\n",
    )
    .unwrap();
    let cases: Vec<(usize, PathBuf, &str)> = vec![
        (2, secret.clone(), "not an IMM XML file"),
        (2, xml_secret, "not an IMM XML file"),
        (0, secret, "not an upgrade-campaign XML file"),
        (4, PathBuf::from("/etc/passwd"), "not an IMM XML file"),
    ];
    for (index, file, says) in cases {
        let mut v = good.clone();
        let f: serde_json::Value = file.display().to_string().into();
        match index {
            0 => v["spec"]["campaign"] = f,
            2 => v["spec"]["config"][0] = f,
            _ => v["spec"]["compat"] = f,
        }
        let t = d.join(format!("evil-{index}.json"));
        std::fs::write(&t, v.to_string()).unwrap();
        let tp = t.to_str().unwrap();
        for args in [
            vec!["replay", tp],
            vec!["graph", "--trace", tp],
            vec!["explore", "--trace", tp, "--port", "0"],
        ] {
            let (code, out, err) = smfcheck(&args);
            assert_eq!(code, 2, "{args:?}: {out}{err}");
            assert!(err.contains(says), "{args:?}: {err}");
            assert!(
                err.contains(&format!("named by trace {tp}")),
                "{args:?}: {err}"
            );
            for leak in ["SECRET", "root:x", "oops"] {
                assert!(
                    !err.contains(leak) && !out.contains(leak),
                    "{args:?}: {err}"
                );
            }
        }
    }
}

/// A trace holds only the options that define its model: one that adds `--trace-out` (which
/// would write a file) or `--properties` (which would read one) is refused, nothing written.
#[test]
fn a_trace_cannot_add_options_beyond_the_model() {
    let d = scratch("trace-options");
    let (_, good) = campaign_trace(&d);
    let victim = d.join("victim.json");
    for extra in [
        vec!["trace_out", victim.to_str().unwrap()],
        vec!["properties", "/etc/passwd"],
        vec!["format", "json"],
    ] {
        let mut v = good.clone();
        v["spec"][extra[0]] = extra[1].into();
        let t = d.join("extra.json");
        std::fs::write(&t, v.to_string()).unwrap();
        let (code, _, err) = smfcheck(&["replay", t.to_str().unwrap()]);
        assert_eq!(code, 2, "{extra:?}: {err}");
        assert!(err.contains("unknown field"), "{err}");
        assert!(!victim.exists());
        assert!(!err.contains("root:x"), "{err}");
    }
}

/// Input paths are saved relative to the trace file's directory and resolved against it, so a
/// trace moved with its inputs replays from any working directory.
#[test]
fn trace_paths_are_relative_to_the_trace() {
    let d = scratch("relative");
    for f in [
        "vlc-2n/config.xml",
        "vlc-2n/compat.xml",
        "broken/undo-cannot-restore.xml",
    ] {
        std::fs::create_dir_all(d.join("models").join(f).parent().unwrap()).unwrap();
        std::fs::copy(
            Path::new(ROOT).join("models").join(f),
            d.join("models").join(f),
        )
        .unwrap();
    }
    std::fs::create_dir_all(d.join("traces")).unwrap();
    let (code, _, err) = Smfcheck::new([
        "check",
        "models/broken/undo-cannot-restore.xml",
        "--config",
        "models/vlc-2n/config.xml",
        "--compat",
        "models/vlc-2n/compat.xml",
        "--faults",
        "2",
        "--quiet",
        "--trace-out",
        "traces/t.json",
    ])
    .dir(&d)
    .within(60)
    .run();
    assert_eq!(code, 1, "{err}");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("traces/t.json")).unwrap()).unwrap();
    assert_eq!(
        v["spec"]["campaign"],
        "../models/broken/undo-cannot-restore.xml"
    );
    assert_eq!(v["spec"]["config"][0], "../models/vlc-2n/config.xml");
    // Moved elsewhere together, replayed from another directory.
    let moved = scratch("relative-moved");
    std::fs::rename(d.join("models"), moved.join("models")).unwrap();
    std::fs::rename(d.join("traces"), moved.join("traces")).unwrap();
    let (code, out, err) = Smfcheck::new(["replay", moved.join("traces/t.json").to_str().unwrap()])
        .dir("/")
        .within(60)
        .run();
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("trace still a counterexample"), "{out}");
    // A relative path is never taken relative to the working directory.
    let (code, _, err) = Smfcheck::new(["replay", "t.json"])
        .dir(moved.join("traces"))
        .within(60)
        .run();
    assert_eq!(code, 1, "{err}");
}

// ------------------------------------------------------------------------------------------
// 4. The explore server
// ------------------------------------------------------------------------------------------

/// Close `s` with a reset (SO_LINGER 0) instead of an orderly shutdown.
fn reset(s: TcpStream) {
    use std::os::fd::AsRawFd;
    let linger = libc::linger {
        l_onoff: 1,
        l_linger: 0,
    };
    // SAFETY: a valid socket descriptor and a correctly sized `linger` value; std has no
    // stable `set_linger`.
    unsafe {
        libc::setsockopt(
            s.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_LINGER,
            (&linger as *const libc::linger).cast(),
            std::mem::size_of::<libc::linger>() as libc::socklen_t,
        );
    }
    drop(s);
}

/// Clients that reset their connection right after a request: no panic backtrace, the
/// server keeps serving.
#[test]
fn explore_survives_reset_connections() {
    let mut server = Explorer::start(&["--step", "in-phase"]);
    for i in 0..30 {
        let mut s = TcpStream::connect_timeout(&server.addr, Duration::from_secs(5)).unwrap();
        let path = if i % 2 == 0 {
            "/knockout-3.5.0.js"
        } else {
            "/.states/0"
        };
        let _ = write!(s, "GET {path} HTTP/1.1\r\nHost: x\r\n\r\n");
        reset(s);
    }
    // Connections that send half a request, or nothing, and reset.
    for _ in 0..10 {
        let mut s = TcpStream::connect_timeout(&server.addr, Duration::from_secs(5)).unwrap();
        let _ = s.write_all(b"GET /app.js HT");
        reset(s);
    }
    std::thread::sleep(Duration::from_millis(300));
    get(&server.base, "/").expect("serves /");
    get(&server.base, "/.status").expect("serves /.status");
    assert!(server.alive());
    no_panic(&server.stderr());
}

/// Out of file descriptors (`ulimit -n 128`, 200 connections that send nothing): the server
/// neither exits nor stops accepting; once they go, it answers.
#[test]
fn explore_survives_running_out_of_file_descriptors() {
    let mut server = Explorer::start_with_nofile(128, &["--step", "in-phase"]);
    let mut held = Vec::new();
    for _ in 0..200 {
        // Past the connection cap and the backlog a connect may not complete: bounded wait.
        if let Ok(s) = TcpStream::connect_timeout(&server.addr, Duration::from_millis(300)) {
            held.push(s);
        }
    }
    assert!(held.len() > 100, "{} connections", held.len());
    std::thread::sleep(Duration::from_millis(500));
    assert!(server.alive(), "{}", server.stderr());
    drop(held);
    get(&server.base, "/.status").expect("serves /.status");
    get(&server.base, "/").expect("serves /");
    assert!(server.alive());
    no_panic(&server.stderr());
}
