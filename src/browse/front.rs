//! A thin HTTP front for the stateright Explorer (issue #13). stateright 0.31 serves its
//! Explorer with tiny_http 0.12, which is not robust against its clients: a client that resets
//! its connection right after a request panics a connection thread (`client.rs:153`, the peer
//! address unwrapped) or the request loop (`explorer.rs`, `rq.respond(..).unwrap()`, which then
//! ends the process with exit 101); when file descriptors run out, its accept thread panics
//! (`refined_tcp_stream.rs:18`, `try_clone().unwrap()`) or stops on the first accept error, and
//! the Explorer never accepts again.
//!
//! So stateright's server listens on a private port of 127.0.0.1, and only this front talks to
//! it: one well-formed `HTTP/1.0` request at a time (its request loop is single-threaded
//! anyway), whose response is always read to the end. The front takes the browser's
//! connections: at most [`max_connections`] at once (derived from the file-descriptor limit;
//! more wait in the kernel's backlog), each with a deadline for its request head, one request
//! per connection; an accept error (EMFILE included) is waited out and accepting resumes; a
//! client that goes away mid-response is simply dropped. Nothing here panics.
//!
//! Left as a limit: another local process that connects to the private port directly reaches
//! tiny_http unguarded (127.0.0.1 only; the port is not announced). If stateright's request
//! loop stops that way, the front answers 502 and says so on standard error.

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

/// How long a client may take to send its request head: a connection that sends nothing
/// (half-open, or a slow client) gives its slot back after this.
const HEAD_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a write to a client may block (a client that stops reading).
const WRITE_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a write of a request to the Explorer may block. Its answer is waited for without
/// a deadline: giving up on it would close the connection under stateright's
/// `respond(..).unwrap()` and end its request loop for good.
const UPSTREAM_TIMEOUT: Duration = Duration::from_secs(300);
/// The largest request head accepted; the Explorer's longest URLs are paths of action indices.
const MAX_HEAD: usize = 64 * 1024;
/// The largest request body (the Explorer's one POST has none).
const MAX_BODY: usize = 1 << 20;
/// The largest response passed on (a state's JSON with its successors' SVGs).
const MAX_RESPONSE: usize = 256 << 20;

/// How many client connections are served at once: half of the file descriptors left after a
/// reserve for the process itself and for the connection to the Explorer (each client costs
/// one descriptor here; the Explorer's side costs three, one request at a time), at most 64.
pub fn max_connections() -> usize {
    let soft = open_files_limit().unwrap_or(1024);
    (soft.saturating_sub(32) / 2).clamp(1, 64) as usize
}

/// The soft `RLIMIT_NOFILE` ("Max open files" of `/proc/self/limits`).
fn open_files_limit() -> Option<u64> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    let soft = line
        .trim_start_matches("Max open files")
        .split_whitespace()
        .next()?;
    soft.parse().ok()
}

/// Connection slots: a count with a condition variable, so that the accept loop waits for a
/// free slot before it takes another connection off the backlog.
struct Slots {
    used: Mutex<usize>,
    freed: Condvar,
    max: usize,
}

impl Slots {
    fn acquire(&self) {
        let mut used = self.used.lock().unwrap_or_else(|p| p.into_inner());
        while *used >= self.max {
            used = self.freed.wait(used).unwrap_or_else(|p| p.into_inner());
        }
        *used += 1;
    }
    fn release(&self) {
        let mut used = self.used.lock().unwrap_or_else(|p| p.into_inner());
        *used = used.saturating_sub(1);
        self.freed.notify_one();
    }
}

/// Gives the slot back however the connection's thread ends.
struct SlotGuard(Arc<Slots>);

impl Drop for SlotGuard {
    fn drop(&mut self) {
        self.0.release();
    }
}

/// The front's shared state.
pub struct Front {
    upstream: SocketAddr,
    /// One request at a time to the Explorer: its request loop is sequential, and one
    /// connection at a time bounds the descriptors its side uses.
    lock: Mutex<()>,
    slots: Arc<Slots>,
    /// Set once the Explorer stopped answering, to say so once.
    down: AtomicBool,
}

impl Front {
    pub fn new(upstream: SocketAddr) -> Arc<Front> {
        Arc::new(Front {
            upstream,
            lock: Mutex::new(()),
            slots: Arc::new(Slots {
                used: Mutex::new(0),
                freed: Condvar::new(),
                max: max_connections(),
            }),
            down: AtomicBool::new(false),
        })
    }

    /// Accept and serve connections on `listener` until the process ends.
    pub fn run(self: &Arc<Front>, listener: TcpListener) -> ! {
        loop {
            self.slots.acquire();
            let guard = SlotGuard(Arc::clone(&self.slots));
            let sock = match listener.accept() {
                Ok((sock, _)) => sock,
                Err(e) => {
                    drop(guard);
                    // Out of descriptors (EMFILE/ENFILE) or memory: wait for connections to
                    // end; an aborted handshake: just go on. Never give up accepting.
                    if !matches!(
                        e.kind(),
                        ErrorKind::ConnectionAborted | ErrorKind::Interrupted
                    ) {
                        std::thread::sleep(Duration::from_millis(100));
                    }
                    continue;
                }
            };
            let me = Arc::clone(self);
            let spawned = std::thread::Builder::new()
                .name("explore-front".into())
                .stack_size(256 * 1024)
                .spawn(move || {
                    let _guard = guard;
                    me.serve(sock);
                });
            // No thread to be had: the socket and the slot went back with the closure.
            if spawned.is_err() {
                std::thread::sleep(Duration::from_millis(100));
            }
        }
    }

    /// One request on one client connection; every error ends the connection quietly.
    fn serve(&self, mut sock: TcpStream) {
        let _ = sock.set_read_timeout(Some(HEAD_TIMEOUT));
        let _ = sock.set_write_timeout(Some(WRITE_TIMEOUT));
        let response = match read_request(&mut sock) {
            Ok(Some((method, target, version))) => {
                for_client(self.forward(&method, &target), &version)
            }
            Ok(None) => return,
            Err(status) => simple(status),
        };
        let _ = sock.write_all(&response);
        let _ = sock.flush();
        let _ = sock.shutdown(Shutdown::Both);
    }

    /// Pass `method target` to the Explorer and return its whole response (or a 502).
    fn forward(&self, method: &str, target: &str) -> Vec<u8> {
        let _one = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        match self.ask(method, target) {
            Ok(r) => r,
            Err(e) => {
                if !self.down.swap(true, Ordering::Relaxed) {
                    crate::output::note(&format!(
                        "smfcheck explore: the Explorer does not answer ({e}); requests get 502"
                    ));
                }
                simple("502 Bad Gateway")
            }
        }
    }

    fn ask(&self, method: &str, target: &str) -> std::io::Result<Vec<u8>> {
        let mut up = TcpStream::connect_timeout(&self.upstream, Duration::from_secs(5))?;
        up.set_write_timeout(Some(UPSTREAM_TIMEOUT))?;
        // HTTP/1.0 without keep-alive: tiny_http answers without chunking and closes after the
        // response, so the response is everything up to the end of the stream.
        write!(
            up,
            "{method} {target} HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n"
        )?;
        up.flush()?;
        let mut out = Vec::new();
        let mut buf = [0u8; 64 * 1024];
        let mut too_big = false;
        loop {
            match up.read(&mut buf) {
                Ok(0) => break,
                // Always read to the end, even past the cap: closing early would make
                // stateright's `respond(..).unwrap()` panic.
                Ok(n) if out.len() + n <= MAX_RESPONSE => out.extend_from_slice(&buf[..n]),
                Ok(_) => too_big = true,
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        if too_big {
            return Ok(simple("502 Bad Gateway"));
        }
        Ok(out)
    }
}

/// The Explorer's HTTP/1.0 response as the client's version, closing the connection: its
/// status line carries `version`, and its `Connection` header (if any) says `close` (the body
/// is delimited by its length or by the end of the stream, as in HTTP/1.0).
fn for_client(response: Vec<u8>, version: &str) -> Vec<u8> {
    let Some(end) = find(&response, b"\r\n\r\n") else {
        return response;
    };
    let Ok(head) = std::str::from_utf8(&response[..end]) else {
        return response;
    };
    let mut lines = head.split("\r\n");
    let status = lines.next().unwrap_or_default();
    let Some((_, rest)) = status.split_once(' ') else {
        return response;
    };
    let mut out = format!("{version} {rest}\r\n");
    for h in lines {
        let name = h.split(':').next().unwrap_or_default();
        if !name.eq_ignore_ascii_case("connection") {
            out.push_str(h);
            out.push_str("\r\n");
        }
    }
    out.push_str("Connection: close\r\n\r\n");
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(&response[end + 4..]);
    bytes
}

/// A response without a body, closing the connection.
fn simple(status: &str) -> Vec<u8> {
    format!("HTTP/1.0 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").into_bytes()
}

/// Read one request head (and a small body, discarded): method, target and HTTP version, or
/// `Ok(None)` if the client sent nothing
/// usable in time or went away, `Err(status)` for a request to refuse.
fn read_request(sock: &mut TcpStream) -> Result<Option<(String, String, String)>, &'static str> {
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    let end = loop {
        if let Some(i) = find(&head, b"\r\n\r\n") {
            break i + 4;
        }
        if head.len() > MAX_HEAD {
            return Err("431 Request Header Fields Too Large");
        }
        match sock.read(&mut buf) {
            Ok(0) | Err(_) => return Ok(None),
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    };
    let Ok(text) = std::str::from_utf8(&head[..end]) else {
        return Err("400 Bad Request");
    };
    let mut lines = text.split("\r\n");
    let mut first = lines.next().unwrap_or_default().split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (first.next(), first.next(), first.next(), first.next())
    else {
        return Err("400 Bad Request");
    };
    if version != "HTTP/1.0" && version != "HTTP/1.1" {
        return Err("400 Bad Request");
    }
    if method != "GET" && method != "POST" {
        return Err("405 Method Not Allowed");
    }
    // Passed on verbatim: it must be an origin-form path of visible ASCII (no CR/LF/space that
    // could smuggle a header into the request to the Explorer).
    if !target.starts_with('/') || !target.bytes().all(|b| b.is_ascii_graphic()) {
        return Err("400 Bad Request");
    }
    let mut length = 0usize;
    for h in lines {
        let Some((name, value)) = h.split_once(':') else {
            continue;
        };
        if name.eq_ignore_ascii_case("transfer-encoding") {
            return Err("501 Not Implemented");
        }
        if name.eq_ignore_ascii_case("content-length") {
            length = value.trim().parse().map_err(|_| "400 Bad Request")?;
        }
    }
    if length > MAX_BODY {
        return Err("413 Content Too Large");
    }
    // Discard the body (the Explorer's POST carries none that it reads).
    let mut left = length.saturating_sub(head.len() - end);
    while left > 0 {
        match sock.read(&mut buf[..left.min(4096)]) {
            Ok(0) | Err(_) => return Ok(None),
            Ok(n) => left -= n,
        }
    }
    Ok(Some((
        method.to_string(),
        target.to_string(),
        version.to_string(),
    )))
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

impl Front {
    /// Wait until the Explorer answers (its server starts in its own thread): a whole request,
    /// since a bare connect-and-close is just what makes tiny_http panic.
    pub fn wait_ready(&self, tries: usize) -> bool {
        for _ in 0..tries {
            if self.ask("GET", "/app.css").is_ok() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }
}

/// Silence the panics of tiny_http's and stateright's server threads (the defects the module
/// docs list: they print a backtrace per reset connection) to one line; every other panic goes
/// to the default hook.
pub fn quiet_server_panics() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let file = info.location().map(|l| l.file()).unwrap_or_default();
        if file.contains("tiny_http") || file.ends_with("checker/explorer.rs") {
            crate::output::note(&format!(
                "smfcheck explore: a connection of the Explorer's server failed ({file})"
            ));
        } else {
            default(info);
        }
    }));
}
