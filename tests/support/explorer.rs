//! A running `smfcheck explore` for the tests of the Explorer (over HTTP, in a browser, under
//! resource exhaustion), a plain HTTP GET to ask it, and the counterexample they open: the
//! §4.1.2 acceptance case written as a `smfcheck-trace/1` file.

use super::run::{BIN, ROOT};
use super::step::model;
use smfcheck::check::{Limits, explore};
use smfcheck::properties::step_claims;
use smfcheck::step::fsm::Semantics;
use smfcheck::step::model::StepModel;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The §4.1.2 acceptance case: an out-of-phase step over a layer that changes base type
/// installs on a layer that runs the wrong generation (`lower-layer-ready-for-install`, 3 steps).
pub fn base_type_model() -> StepModel {
    let mut m = model("out-of-phase,in-phase", 2, Semantics::Thesis);
    m.base_type_change = 0b10;
    m
}

/// A counterexample as `smfcheck fsm` finds it, written as a `smfcheck-trace/1` file in `dir`;
/// returns the file and the trace lines of its steps.
pub fn write_counterexample(dir: &Path) -> (PathBuf, Vec<String>) {
    let m = base_type_model();
    let claims = step_claims(None);
    let outcome = explore(&m, &claims, &Limits::default());
    let trace = outcome
        .result("lower-layer-ready-for-install")
        .and_then(|r| r.trace.clone())
        .expect("the acceptance case has a counterexample");
    let describe: Vec<String> = trace
        .actions
        .iter()
        .enumerate()
        .map(|(i, a)| m.describe(&trace.states[i], a, &trace.states[i + 1]))
        .collect();
    let json = serde_json::json!({
        "schema": "smfcheck-trace/1",
        "command": "fsm",
        "args": ["--step", "out-of-phase,in-phase", "--base-type-change", "2"],
        "property": "lower-layer-ready-for-install",
        "actions": trace.actions.iter().map(|a| format!("{a:?}")).collect::<Vec<_>>(),
        "describe": describe,
        "states": trace.states.iter().map(|s| format!("{s:?}")).collect::<Vec<_>>(),
    });
    std::fs::create_dir_all(dir).unwrap();
    let path = dir.join("counterexample.json");
    std::fs::write(&path, serde_json::to_string_pretty(&json).unwrap()).unwrap();
    (path, describe)
}

/// A running `smfcheck explore ARGS --port 0` (killed when dropped), the addresses it printed
/// and its standard error so far.
pub struct Explorer {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    pub addr: SocketAddr,
    /// The address of the trace, if one was opened.
    pub trace_url: Option<String>,
    err: Arc<Mutex<String>>,
}

impl Explorer {
    /// Start it from the repository root and wait until it answers.
    pub fn start(args: &[&str]) -> Explorer {
        Explorer::spawn(Command::new(BIN), args)
    }

    /// [`Explorer::start`] with at most `nofile` open file descriptors (`ulimit -n`).
    pub fn start_with_nofile(nofile: u32, args: &[&str]) -> Explorer {
        let mut sh = Command::new("sh");
        sh.args([
            "-c",
            &format!("ulimit -n {nofile} && exec \"$@\""),
            "sh",
            BIN,
        ]);
        Explorer::spawn(sh, args)
    }

    fn spawn(mut cmd: Command, args: &[&str]) -> Explorer {
        let mut child = cmd
            .arg("explore")
            .args(args)
            .args(["--port", "0"])
            .current_dir(ROOT)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("smfcheck runs");
        let err = collect(child.stderr.take().unwrap());
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut base = None;
        let mut trace_url = None;
        for line in lines.by_ref() {
            let line = line.unwrap();
            if let Some(i) = line.find("http://") {
                let url = line[i..].split_whitespace().next().unwrap().to_string();
                if url.contains("#/steps/") {
                    trace_url = Some(url);
                } else if base.is_none() {
                    base = Some(url.trim_end_matches('/').to_string());
                }
            }
            if line.starts_with("Stop with Ctrl-C") {
                break;
            }
        }
        // Keep draining stdout so that the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        let base = base.unwrap_or_else(|| {
            panic!(
                "explore prints no address: {}",
                err.lock().unwrap().as_str()
            )
        });
        let addr = base
            .trim_start_matches("http://")
            .to_socket_addrs()
            .unwrap()
            .next()
            .unwrap();
        let e = Explorer {
            child,
            base,
            addr,
            trace_url,
            err,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while get(&e.base, "/.status").is_err() {
            assert!(Instant::now() < deadline, "the explorer does not answer");
            std::thread::sleep(Duration::from_millis(50));
        }
        e
    }

    /// Whether the server is still running.
    pub fn alive(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    /// What it wrote to standard error so far.
    pub fn stderr(&self) -> String {
        self.err.lock().unwrap().clone()
    }
}

impl Drop for Explorer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Collect a child's stream in the background, readable while the child runs.
fn collect(mut r: impl Read + Send + 'static) -> Arc<Mutex<String>> {
    let buf = Arc::new(Mutex::new(String::new()));
    let b = Arc::clone(&buf);
    std::thread::spawn(move || {
        let mut chunk = [0u8; 4096];
        while let Ok(n) = r.read(&mut chunk) {
            if n == 0 {
                break;
            }
            b.lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&chunk[..n]));
        }
    });
    buf
}

/// GET `path` from `base` (`http://127.0.0.1:PORT`), every wait bounded (30 s): the body if the
/// status is 200, else the status line (or the connection's error).
pub fn get(base: &str, path: &str) -> Result<String, String> {
    let host = base.trim_start_matches("http://");
    let addr = host
        .to_socket_addrs()
        .map_err(|e| e.to_string())?
        .next()
        .ok_or("no address")?;
    let mut s =
        TcpStream::connect_timeout(&addr, Duration::from_secs(30)).map_err(|e| e.to_string())?;
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .map_err(|e| e.to_string())?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&raw).to_string();
    let (head, body) = text.split_once("\r\n\r\n").ok_or("no HTTP header")?;
    if !head.starts_with("HTTP/1.1 200") {
        return Err(head.lines().next().unwrap_or("").to_string());
    }
    Ok(body.to_string())
}
