//! `smfcheck explore`: the stateright Explorer (a web UI for browsing a model's state space one
//! transition at a time) over a step or campaign model, made to speak SMF:
//!
//! * every action is labelled with its trace line (what `smfcheck fsm` / `check` print in a
//!   counterexample), so the "Next Action Choices" read as SMF events;
//! * the pane of a state shows what happened, the state summary, and the status of every selected
//!   claim *in that state* (evaluated by our own code: an `always` part holds or not here, an
//!   on-transition part on the transition that led here, an end-of-run part only in a state
//!   without successors, a reachability part is witnessed here or not);
//! * `Model::as_svg` draws the path so far as a sequence diagram (procedure ↔ nested steps ↔
//!   system, [`sequence`]);
//! * claims whose checks are all `always` (all `sometimes`) are also handed to stateright as
//!   `Property::always` (`sometimes`), so its "Run to completion" can look for them. Those
//!   global verdicts are stateright's and are for browsing only: docs/semantics.md §14 lists measured
//!   defects of its checkers, so verdicts come from `smfcheck fsm` / `smfcheck check`;
//! * a saved counterexample (a trace file) opens at its last state: the Explorer addresses a path
//!   as `#/steps/<init index>/<action index>/…` (indices into `init_states()` and into
//!   `actions()` of each state; stateright 0.31 `explorer.rs`, `Path::from_action_indices`), so
//!   the trace's actions are matched by their `Debug` text against the enabled actions.

pub mod front;
pub mod sequence;

use crate::check::{Check, Checked, Claim, Kind, Trace};
use crate::error::Error;
use sequence::Sequence;
use stateright::{Model, Path, Property};
use std::fmt::{Debug, Write as _};
use std::io::Write as _;

/// An action with the trace line it stands for in the state it is enabled in (the Explorer's
/// `format_action` sees only the action, and a bare `Step(Deliver)` says nothing).
#[derive(Clone, PartialEq)]
pub struct Labeled<A> {
    pub inner: A,
    pub label: String,
}

impl<A> Debug for Labeled<A> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.label)
    }
}

/// The note shown with every state: where verdicts come from.
pub const BROWSING_NOTE: &str = "Browsing only: verdicts come from `smfcheck fsm` / `smfcheck check` (stateright's own checkers have measured defects, docs/semantics.md §14).";

/// A model (step or campaign) with the claims to show, as a stateright [`Model`] for the
/// Explorer.
pub struct Explorable<M: Model> {
    pub inner: M,
    /// The claims, in registry order.
    pub claims: Vec<Claim<M>>,
    /// Whether each claim applies to `inner`.
    applies: Vec<bool>,
    /// Claims handed to stateright: (claim index, `true` for always, `false` for sometimes).
    mapped: Vec<(usize, bool)>,
}

impl<M> Explorable<M>
where
    M: Sequence,
{
    pub fn new(inner: M, claims: &[Claim<M>]) -> Self {
        let claims = claims.to_vec();
        let applies: Vec<bool> = claims.iter().map(|c| (c.applies)(&inner)).collect();
        let mut mapped = Vec::new();
        for (i, c) in claims.iter().enumerate() {
            if !applies[i] || c.checks.is_empty() || mapped.len() == TRAMPOLINES {
                continue;
            }
            if c.checks.iter().all(|k| matches!(k, Check::Always(_))) {
                mapped.push((i, true));
            } else if c.checks.iter().all(|k| matches!(k, Check::Sometimes(_))) {
                mapped.push((i, false));
            }
        }
        Explorable {
            inner,
            claims,
            applies,
            mapped,
        }
    }

    /// The names of the claims stateright also checks (its "Properties" panel).
    pub fn stateright_properties(&self) -> Vec<&'static str> {
        self.mapped
            .iter()
            .map(|&(i, _)| self.claims[i].name)
            .collect()
    }

    /// Condition of stateright property number `i` (see [`trampoline`]).
    fn holds(&self, i: usize, s: &M::State) -> bool {
        let (c, always) = self.mapped[i];
        let checks = &self.claims[c].checks;
        if always {
            checks.iter().all(|k| match k {
                Check::Always(f) => f(&self.inner, s),
                _ => true,
            })
        } else {
            checks.iter().any(|k| match k {
                Check::Sometimes(f) => f(&self.inner, s),
                _ => false,
            })
        }
    }

    fn successors(&self, s: &M::State) -> usize {
        let mut acts = Vec::new();
        self.inner.actions(s, &mut acts);
        acts.into_iter()
            .filter(|a| self.inner.next_state(s, a.clone()).is_some())
            .count()
    }

    /// The status of every claim in state `s`, reached by `prev` (the previous state and the
    /// action taken) unless `s` is initial: one line per claim and whether it is bad here.
    pub fn claim_status(
        &self,
        prev: Option<(&M::State, &M::Action)>,
        s: &M::State,
    ) -> Vec<(String, bool)> {
        let end = self.successors(s) == 0;
        let m = &self.inner;
        let mut out = Vec::new();
        for (c, applies) in self.claims.iter().zip(&self.applies) {
            let (name, kind) = (c.name, &c.kind);
            let mut bad: Vec<&str> = Vec::new();
            let mut witnessed = false;
            let mut pending = false;
            for k in &c.checks {
                match k {
                    Check::Always(f) => {
                        if !f(m, s) {
                            bad.push("violated in this state");
                        }
                    }
                    Check::OnStep(f) => {
                        if let Some((p, a)) = prev
                            && !f(m, p, a, s)
                        {
                            bad.push("violated by the transition into this state");
                        }
                    }
                    Check::AtEnd(f) => {
                        if !end {
                            pending = true;
                        } else if !f(m, s) {
                            bad.push("violated in this end state");
                        }
                    }
                    Check::Sometimes(f) => witnessed |= f(m, s),
                    Check::Terminates => {
                        if !end {
                            pending = true;
                        } else if !m.is_final(s) {
                            bad.push("DEADLOCK: no successor and not a final state");
                        }
                    }
                }
            }
            let (mark, text) = if !applies {
                ("–", "n/a for this model".to_string())
            } else if !bad.is_empty() {
                ("✗", format!("VIOLATED: {}", bad.join("; ")))
            } else if c.is_witness() {
                if witnessed {
                    ("◎", "witnessed in this state".to_string())
                } else {
                    ("·", "not in this state".to_string())
                }
            } else if pending && *kind == Kind::Termination {
                ("…", "judged where the run ends".to_string())
            } else if pending {
                (
                    "✓",
                    "holds here (its end-of-run part is judged where the run ends)".to_string(),
                )
            } else if end && *kind == Kind::Termination {
                ("✓", "the run ends here, in a final state".to_string())
            } else {
                ("✓", "holds here".to_string())
            };
            out.push((
                format!("{mark} {name:<34} {:<17} {text}", kind.word()),
                !bad.is_empty(),
            ));
        }
        out
    }

    /// The text of the state pane for the state reached by `a` from `s`.
    fn step_text(&self, s: &M::State, a: &M::Action, t: &M::State) -> String {
        let mut out = format!("{}\n\n", self.inner.describe(s, a, t));
        out.push_str(&self.inner.summary(t));
        out.push_str("\n\nclaims in this state:\n");
        for (line, _) in self.claim_status(Some((s, a)), t) {
            let _ = writeln!(out, "  {line}");
        }
        let _ = write!(out, "\n{BROWSING_NOTE}");
        out
    }
}

/// How many claims can be handed to stateright (one monomorphised condition function each).
const TRAMPOLINES: usize = 24;

macro_rules! trampolines {
    ($($i:literal)*) => {
        /// Condition function of stateright property `i`: `Property::condition` is a plain `fn`
        /// pointer, so each index gets its own function that looks its claim up in the model.
        fn trampoline<M>(i: usize) -> fn(&Explorable<M>, &M::State) -> bool
        where
            M: Sequence,
        {
            $({
                fn at<M>(m: &Explorable<M>, s: &M::State) -> bool
                where
                    M: Sequence,
                {
                    m.holds($i, s)
                }
                if i == $i {
                    return at::<M>;
                }
            })*
            unreachable!("at most {TRAMPOLINES} claims are mapped")
        }
    };
}
trampolines!(0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23);

impl<M> Model for Explorable<M>
where
    M: Sequence,
    M::Action: PartialEq,
{
    type State = M::State;
    type Action = Labeled<M::Action>;

    fn init_states(&self) -> Vec<M::State> {
        self.inner.init_states()
    }

    fn actions(&self, s: &M::State, out: &mut Vec<Self::Action>) {
        let mut acts = Vec::new();
        self.inner.actions(s, &mut acts);
        out.extend(acts.into_iter().map(|a| {
            let label = match self.inner.next_state(s, a.clone()) {
                Some(t) => self.inner.describe(s, &a, &t),
                None => format!("{a:?} (not enabled)"),
            };
            Labeled { inner: a, label }
        }));
    }

    fn next_state(&self, s: &M::State, a: Self::Action) -> Option<M::State> {
        self.inner.next_state(s, a.inner)
    }

    fn properties(&self) -> Vec<Property<Self>> {
        self.mapped
            .iter()
            .enumerate()
            .map(|(i, &(c, always))| {
                let name = self.claims[c].name;
                if always {
                    Property::always(name, trampoline::<M>(i))
                } else {
                    Property::sometimes(name, trampoline::<M>(i))
                }
            })
            .collect()
    }

    fn format_action(&self, a: &Self::Action) -> String {
        a.label.clone()
    }

    fn format_step(&self, s: &M::State, a: Self::Action) -> Option<String> {
        let t = self.inner.next_state(s, a.inner.clone())?;
        Some(self.step_text(s, &a.inner, &t))
    }

    fn as_svg(&self, path: Path<M::State, Self::Action>) -> Option<String> {
        // Keep only transitions that happen (a URL may name an action that is not enabled; the
        // Explorer then stays in the same state).
        let pairs = path.into_vec();
        let mut states = vec![pairs.first()?.0.clone()];
        let mut actions = Vec::new();
        for (s, a) in &pairs {
            if let Some(a) = a
                && let Some(t) = self.inner.next_state(s, a.inner.clone())
            {
                actions.push(a.inner.clone());
                states.push(t);
            }
        }
        let last = states.last()?;
        let prev = match (states.len().checked_sub(2), actions.last()) {
            (Some(i), Some(a)) => Some((&states[i], a)),
            _ => None,
        };
        let mut footer = vec![(
            format!("claims in this state (step {}):", actions.len()),
            false,
        )];
        footer.extend(self.claim_status(prev, last));
        let header = vec![BROWSING_NOTE.to_string()];
        Some(sequence::svg(
            &self.inner,
            &states,
            &actions,
            &header,
            &footer,
        ))
    }
}

/// A saved counterexample (`smfcheck-trace/2` or `/1`, src/tracefile.rs): the options that
/// define the model, the claim, and the path as the `Debug` text of each action.
pub use crate::tracefile::SavedTrace as TraceFile;

/// The first state as text, if the file records it (to pick among several initial states).
fn first_state(t: &TraceFile) -> Option<&str> {
    t.states.first().map(String::as_str)
}

/// A path found in a model: the index of its initial state, the index of each action among the
/// actions of its state, and the trace itself.
pub struct Followed<M: Model> {
    pub init: usize,
    pub indices: Vec<usize>,
    pub trace: Trace<M>,
}

/// Follow the actions of a trace (their `Debug` text) from the initial states of `m`: at each
/// state the enabled action with that text is taken. The initial state whose `Debug` text or
/// summary is `first` is tried first, then the others.
pub fn follow<M: Checked>(
    m: &M,
    actions: &[String],
    first: Option<&str>,
) -> Result<Followed<M>, String> {
    let inits = m.init_states();
    let mut order: Vec<usize> = (0..inits.len()).collect();
    if let Some(f) = first {
        let f = f.trim();
        order.sort_by_key(|&i| {
            let s = &inits[i];
            !(format!("{s:?}") == f || format!("{s:#?}") == f || m.summary(s).trim() == f)
        });
    }
    let mut furthest: (usize, String) = (0, String::new());
    'inits: for &i in &order {
        let mut s = inits[i].clone();
        let mut trace = Trace {
            states: vec![s.clone()],
            actions: Vec::new(),
            loop_start: None,
        };
        let mut indices = Vec::new();
        for (n, want) in actions.iter().enumerate() {
            let mut acts = Vec::new();
            m.actions(&s, &mut acts);
            let hit = acts.iter().enumerate().find_map(|(k, a)| {
                (format!("{a:?}") == *want)
                    .then(|| m.next_state(&s, a.clone()).map(|t| (k, a.clone(), t)))
                    .flatten()
            });
            match hit {
                Some((k, a, t)) => {
                    indices.push(k);
                    trace.actions.push(a);
                    trace.states.push(t.clone());
                    s = t;
                }
                None => {
                    if n >= furthest.0 {
                        let enabled: Vec<String> = acts
                            .iter()
                            .filter(|a| m.next_state(&s, (*a).clone()).is_some())
                            .map(|a| format!("`{a:?}`"))
                            .collect();
                        furthest = (
                            n,
                            format!(
                                "step {} of the trace, `{want}`, is not enabled (enabled: {})",
                                n + 1,
                                if enabled.is_empty() {
                                    "none".to_string()
                                } else {
                                    enabled.join(", ")
                                }
                            ),
                        );
                    }
                    continue 'inits;
                }
            }
        }
        return Ok(Followed {
            init: i,
            indices,
            trace,
        });
    }
    Err(format!(
        "the trace does not fit this model from any of its {} initial states: {}",
        inits.len(),
        furthest.1
    ))
}

/// The Explorer's address of a path: `#/steps/<init>/<action index>/…`.
pub fn path_url(port: u16, init: usize, indices: &[usize]) -> String {
    let mut url = format!("http://127.0.0.1:{port}/#/steps/{init}");
    for i in indices {
        let _ = write!(url, "/{i}");
    }
    url
}

/// Listen on 127.0.0.1:`port` (0: any free one), so that a port in use is a clear error rather
/// than a panic inside stateright's server.
pub fn listen(port: u16) -> Result<std::net::TcpListener, Error> {
    std::net::TcpListener::bind(("127.0.0.1", port)).map_err(|e| {
        Error::Usage(format!(
            "--port {port}: cannot listen on 127.0.0.1:{port}: {e}"
        ))
    })
}

/// Reserve the port (0: any free one) and return it (the listener is closed again).
pub fn pick_port(port: u16) -> Result<u16, Error> {
    let l = listen(port)?;
    let got = l
        .local_addr()
        .map_err(|e| Error::Usage(format!("--port {port}: {e}")))?
        .port();
    Ok(got)
}

/// What bounds the Explorer's own exploration ("Run to completion" explores the whole model in
/// this process).
#[derive(Clone, Copy, Debug, Default)]
pub struct BrowseLimits {
    /// stateright's `target_state_count`.
    pub max_states: Option<usize>,
    /// Resident memory at which the process ends with exit 3 (a watchdog checks every 250 ms).
    pub max_memory: Option<u64>,
}

/// End the process with exit 3 when its resident memory passes `max`: the Explorer's "Run to
/// completion" is stateright's and cannot be stopped from outside, so the limit stops the
/// whole server rather than let the OOM killer do it.
fn memory_watchdog(max: u64) {
    let _ = std::thread::Builder::new()
        .name("explore-memory".into())
        .stack_size(64 * 1024)
        .spawn(move || {
            loop {
                std::thread::sleep(std::time::Duration::from_millis(250));
                if let Some(rss) = crate::check::resident_bytes()
                    && rss > max
                {
                    crate::output::note(&format!(
                        "smfcheck explore: inconclusive: memory limit --max-memory {} reached ({} in use); stopping",
                        crate::check::human_bytes(max),
                        crate::check::human_bytes(rss)
                    ));
                    std::process::exit(3);
                }
            }
        });
}

/// Serve the Explorer on `listener` (127.0.0.1) until the process is stopped, through
/// [`front`]: stateright's own server listens on a private port behind it. `open` is a path to
/// announce (a trace), with the words to announce it with.
pub fn serve<M>(
    model: Explorable<M>,
    listener: std::net::TcpListener,
    open: Option<(&str, usize, &[usize])>,
    limits: BrowseLimits,
) -> Result<(), Error>
where
    M: Sequence + Send + Sync + 'static,
    M::Action: PartialEq,
{
    let port = listener
        .local_addr()
        .map_err(|e| Error::Usage(format!("--port: {e}")))?
        .port();
    let inits = model.inner.init_states().len();
    front::quiet_server_panics();
    if let Some(max) = limits.max_memory {
        memory_watchdog(max);
    }
    let private = pick_port(0)?;
    let mut builder = model.checker();
    if let Some(n) = limits.max_states {
        builder = builder.target_state_count(n);
    }
    // stateright's `serve` does not return: it joins its never-ending request loop.
    std::thread::Builder::new()
        .name("explorer".into())
        .spawn(move || {
            let _checker = builder.serve(("127.0.0.1", private));
        })
        .map_err(|e| Error::Usage(format!("cannot start the Explorer: {e}")))?;
    let front = front::Front::new(std::net::SocketAddr::from(([127, 0, 0, 1], private)));
    if !front.wait_ready(250) {
        return Err(Error::Usage(format!(
            "the Explorer's server did not start on 127.0.0.1:{private}"
        )));
    }
    let mut out = std::io::stdout();
    let _ = writeln!(
        out,
        "smfcheck explore: the stateright Explorer on http://127.0.0.1:{port}/ ({inits} initial states)"
    );
    if let Some((what, init, indices)) = open {
        let _ = writeln!(out, "{what}: {}", path_url(port, init, indices));
    }
    let _ = writeln!(out, "{BROWSING_NOTE}");
    let _ = writeln!(out, "Stop with Ctrl-C.");
    let _ = out.flush();
    front.run(listener)
}

/// `smfcheck graph --trace`: the trace followed in `m`, as a Mermaid sequence diagram or as the
/// Explorer's SVG.
pub fn trace_picture<M: Sequence>(
    m: &M,
    t: &TraceFile,
    path: &std::path::Path,
    svg: bool,
) -> Result<String, Error> {
    let f = follow(m, &t.actions, first_state(t))
        .map_err(|e| Error::Usage(format!("{}: {e}", path.display())))?;
    if !svg {
        return Ok(sequence::mermaid_sequence(m, &f.trace));
    }
    let title = format!(
        "counterexample for {} ({} steps)",
        t.property,
        f.trace.len()
    );
    let mut svg = sequence::svg(m, &f.trace.states, &f.trace.actions, &[title], &[]);
    svg.push('\n');
    Ok(svg)
}

/// `smfcheck explore` on a built model: follow the trace if one is given (a trace that does not
/// fit the model is an error before anything is served), then serve until stopped.
pub fn browse_model<M>(
    m: M,
    claims: &[Claim<M>],
    port: u16,
    trace: Option<(&TraceFile, &std::path::Path)>,
    limits: BrowseLimits,
) -> Result<u8, Error>
where
    M: Sequence + Send + Sync + 'static,
    M::Action: PartialEq,
{
    let followed = match trace {
        Some((t, path)) => Some(
            follow(&m, &t.actions, first_state(t))
                .map_err(|e| Error::Usage(format!("{}: {e}", path.display())))?,
        ),
        None => None,
    };
    let listener = listen(port)?;
    let what = match trace {
        Some((t, path)) => format!(
            "{} (counterexample for {}, {} steps)",
            path.display(),
            t.property,
            t.actions.len()
        ),
        None => String::new(),
    };
    let model = Explorable::new(m, claims);
    let open = followed
        .as_ref()
        .map(|f| (what.as_str(), f.init, f.indices.as_slice()));
    serve(model, listener, open, limits)?;
    Ok(0)
}
