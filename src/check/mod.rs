//! The sound explorer (docs/semantics.md §14: stateright's checkers are not trusted for verdicts): an
//! exhaustive, level-synchronous breadth-first search over any stateright [`Model`], with
//!
//! * the shortest counterexample (or witness) for every claim — every state of depth d is
//!   examined before any of depth d+1, and within a level in a fixed order, so the first hit is
//!   shortest and the same whatever the number of threads;
//! * a termination check of our own: every reachable state without successors must be a declared
//!   final state, and no cycle may avoid the final states (a lasso is reported otherwise);
//! * limits that end a run as *inconclusive*, never as verified;
//! * statistics: unique states, transitions, depth, states/s, bytes/state (the explorer's tables,
//!   and the process's peak RSS);
//! * the reductions a model offers: symmetry ([`Checked::canonicalize`]) and partial order
//!   ([`Checked::ample`], with the cycle proviso added here and traces that stay the shortest,
//!   docs/semantics.md §16).
//!
//! States are stored exactly (no hash compaction), so no collision can hide a state. Successor
//! generation and claim evaluation of each level run on all cores (rayon); insertion into the
//! visited set is sequential and in frontier order, which keeps ids, counts and traces
//! deterministic.
//!
//! The explorer returns typed outcomes (verdicts, the [`LimitHit`] that cut a run short,
//! statistics); [`crate::report`] words them for people and tools.

mod claim;

pub use claim::{Check, Claim, Kind, every_model};

use hashbrown::HashTable;
use rayon::prelude::*;
use rustc_hash::FxBuildHasher;
use stateright::Model;
use std::borrow::Cow;
use std::fmt::Debug;
use std::hash::BuildHasher;
use std::hash::Hash;
use std::time::{Duration, Instant};

/// What the explorer needs beyond stateright's [`Model`]. The bounds on the states and actions
/// are the trait's own (associated-type bounds of the supertrait), so every `M: Checked` implies
/// them and no function repeats them.
pub trait Checked:
    Model<
        State: Clone + Eq + Hash + Send + Sync + Debug,
        Action: Clone + PartialEq + Send + Sync + Debug,
    > + Sync
{
    /// [`Model::next_state`] into `t`, reusing its allocations (the explorer keeps one scratch
    /// successor per batch for the transitions whose successors it packs): whether `a` is
    /// enabled; `t` is unspecified when it is not.
    fn next_state_into(&self, s: &Self::State, a: Self::Action, t: &mut Self::State) -> bool {
        match self.next_state(s, a) {
            Some(x) => {
                *t = x;
                true
            }
            None => false,
        }
    }
    /// Declared final states: a run may end here (termination check).
    fn is_final(&self, s: &Self::State) -> bool;
    /// One trace line for the transition `s --a--> t`, in SMF terms.
    fn describe(&self, s: &Self::State, a: &Self::Action, t: &Self::State) -> String;
    /// A short description of a state (printed after a counterexample).
    fn summary(&self, s: &Self::State) -> String;
    /// Where in the model's input the transition `s --a--> t` is written (`file`, 1-based
    /// line), for reports that annotate the input (SARIF, JSON). Models built from no file have
    /// none.
    fn location(
        &self,
        _s: &Self::State,
        _a: &Self::Action,
        _t: &Self::State,
    ) -> Option<(String, usize)> {
        None
    }
    /// The entities whose state the transition `s --a--> t` changes, named as [`summary`] names
    /// them: every summary line of `t` that is not a line of `s`, up to its first `:`. A model
    /// whose summary is not one line per entity overrides this.
    ///
    /// [`summary`]: Checked::summary
    fn entities(&self, s: &Self::State, _a: &Self::Action, t: &Self::State) -> Vec<String> {
        let before = self.summary(s);
        let before: Vec<&str> = before.lines().collect();
        let mut out: Vec<String> = Vec::new();
        for line in self.summary(t).lines() {
            if before.contains(&line) {
                continue;
            }
            let name = line.split(':').next().unwrap_or(line).trim().to_string();
            if !name.is_empty() && !out.contains(&name) {
                out.push(name);
            }
        }
        out
    }
    /// Symmetry reduction: replace `s` by the representative of its class of interchangeable
    /// states (the explorer stores representatives only). It must map every state to a state
    /// the model's symmetry maps it to, and every claim must judge both alike. Default: none.
    fn canonicalize(&self, _s: &mut Self::State) {}
    /// Whether [`canonicalize`] reduces, and how (a line for the report). Traces are then
    /// replayed on concrete states, never shown as representatives.
    ///
    /// [`canonicalize`]: Checked::canonicalize
    fn reduction(&self) -> Option<String> {
        None
    }
    /// Partial-order reduction: the indices (into `acts`, the actions of `s` in
    /// [`Model::actions`] order) of an ample set of `s` into `out`, or nothing to expand `s`
    /// fully. The model answers for conditions C0–C2 of an ample set (non-empty; independent
    /// of every action outside it on every path from `s` that avoids it; invisible to every
    /// claim); the explorer adds the cycle proviso C3 and expands `s` fully where it fails.
    /// Called only when [`partial_order`] says the model offers ample sets. Default: none.
    ///
    /// [`partial_order`]: Checked::partial_order
    fn ample(&self, _s: &Self::State, _acts: &[Self::Action], _out: &mut Vec<usize>) {}
    /// Whether [`ample`](Checked::ample) may give ample sets, and how (a line for the report).
    fn partial_order(&self) -> Option<String> {
        None
    }
    /// A premise of the model's ample sets that is a property of its reachable states (one
    /// that no ample action can change, so the reduced exploration meets a state that breaks
    /// it if the full one does): a state for which it is false makes the explorer start again
    /// without partial-order reduction. Default: always true.
    fn ample_premise(&self, _s: &Self::State) -> bool {
        true
    }
    /// Whether no ample move can be pending in `s`: every procedure (component) whose moves
    /// an ample set may hold has moved on to where it has none (for a campaign: no procedure
    /// runs). A predicate no ample move changes. A check that fires in settled states only
    /// keeps its breadth-first distance under partial-order reduction, so its trace needs no
    /// second search ([`explore_with_progress`]). Default: every state is settled.
    fn ample_settled(&self, _s: &Self::State) -> bool {
        true
    }
    /// A fixed-length byte encoding of the model's states for the visited set: its length, or
    /// `None` to store the states as they are. With one, the explorer keeps each state as that
    /// many bytes in one flat table (no heap part per state, comparison and hashing on bytes),
    /// decoding a state when it expands it. [`pack`] must write exactly that many bytes and be
    /// injective; [`unpack`] must invert it.
    ///
    /// [`pack`]: Checked::pack
    /// [`unpack`]: Checked::unpack
    fn packed_len(&self) -> Option<usize> {
        None
    }
    /// Parts of the packed record (disjoint byte ranges, in order) that the visited set stores
    /// once per distinct value and refers to by a 4-byte number, as SPIN's and LTSmin's state
    /// compression do: worth it for parts that take few values across many states (a
    /// procedure's state in a campaign). The rest of the record is kept as it is. Default:
    /// none.
    fn packed_parts(&self) -> Vec<std::ops::Range<usize>> {
        Vec::new()
    }
    fn pack(&self, _s: &Self::State, _out: &mut [u8]) {
        unreachable!("pack without packed_len")
    }
    fn unpack(&self, _bytes: &[u8]) -> Self::State {
        unreachable!("unpack without packed_len")
    }
    /// [`unpack`](Checked::unpack) into an existing state, reusing its allocations (the
    /// explorer decodes every state it expands into one scratch state per batch).
    fn unpack_into(&self, bytes: &[u8], s: &mut Self::State) {
        *s = self.unpack(bytes);
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Verified,
    Violated,
    /// A reachability claim with a witness.
    Witnessed,
    /// A reachability claim proven unreachable by an exhaustive run.
    Unreachable,
    /// The run was cut short before the claim could be decided.
    Inconclusive,
    NotApplicable,
}

impl Verdict {
    pub fn word(self) -> &'static str {
        match self {
            Verdict::Verified => "verified",
            Verdict::Violated => "VIOLATED",
            Verdict::Witnessed => "witnessed",
            Verdict::Unreachable => "UNREACHABLE",
            Verdict::Inconclusive => "inconclusive",
            Verdict::NotApplicable => "n/a",
        }
    }
    pub fn is_failure(self) -> bool {
        matches!(self, Verdict::Violated | Verdict::Unreachable)
    }
}

/// A path from an initial state. For a non-terminating lasso, `loop_start` is the index in
/// `states` where the cycle re-enters.
#[derive(Clone, Debug)]
pub struct Trace<M: Model> {
    pub states: Vec<M::State>,
    pub actions: Vec<M::Action>,
    pub loop_start: Option<usize>,
}

impl<M: Model> Trace<M> {
    pub fn len(&self) -> usize {
        self.actions.len()
    }
    pub fn is_empty(&self) -> bool {
        self.actions.is_empty()
    }
}

pub struct ClaimResult<M: Model> {
    pub name: &'static str,
    pub verdict: Verdict,
    pub trace: Option<Trace<M>>,
    /// The trace is a shortest one (breadth-first). Always, except after partial-order
    /// reduction when a limit stopped the search for the shortest traces (see
    /// [`explore_with_progress`]).
    pub shortest: bool,
}

#[derive(Clone, Debug, Default)]
pub struct Stats {
    pub unique_states: usize,
    pub transitions: usize,
    pub max_depth: usize,
    pub elapsed: Duration,
    pub state_bytes: usize,
    /// Memory held by the explorer per state (visited set, parents, edges), measured from the
    /// capacities of its tables.
    pub bytes_per_state: f64,
    pub threads: usize,
    /// The process's peak resident set size when the exploration ended ([`peak_resident_bytes`]):
    /// what the run really cost in memory, the heap parts of the states included, which the
    /// table estimate above leaves out. It is the high-water mark of the whole process, so
    /// earlier work in the same process (another exploration) counts too. `None` where the
    /// platform does not tell.
    pub peak_rss: Option<u64>,
    /// The reduction the exploration used ([`Checked::reduction`]): states are then counted up
    /// to it.
    pub reduction: Option<String>,
    /// States expanded by an ample set only (partial-order reduction; 0 without).
    pub reduction_ample: usize,
}

/// Fewest unique states for which the reports show the peak-RSS figure. Below it the process's
/// fixed footprint (the binary, thread stacks, allocator arenas, the parsed inputs: 10–20 MB)
/// outweighs the states and a per-state figure would measure the baseline, not the explorer.
/// It also keeps the figure, which differs from machine to machine, out of small runs (the
/// golden reports are all far below it).
pub const PEAK_RSS_MIN_STATES: usize = 100_000;

impl Stats {
    pub fn states_per_sec(&self) -> f64 {
        let s = self.elapsed.as_secs_f64();
        if s > 0.0 {
            self.unique_states as f64 / s
        } else {
            0.0
        }
    }
    /// The peak RSS and the peak RSS per unique state, when the reports show them: the platform
    /// told the peak and the run has at least [`PEAK_RSS_MIN_STATES`] states.
    pub fn peak_rss_per_state(&self) -> Option<(u64, f64)> {
        let rss = self.peak_rss?;
        (self.unique_states >= PEAK_RSS_MIN_STATES)
            .then(|| (rss, rss as f64 / self.unique_states as f64))
    }
}

#[derive(Clone, Debug, Default)]
pub struct Limits {
    pub max_states: Option<usize>,
    pub timeout: Option<Duration>,
    /// Bytes of memory the process may hold: its resident set size (`VmRSS` of
    /// `/proc/self/status`), or where that cannot be read, the explorer's own tables.
    pub max_memory: Option<u64>,
    /// `max_memory` is [`default_max_memory`], not a `--max-memory` the user gave (the report
    /// says so when it ends a run).
    pub memory_is_default: bool,
    /// States and transitions the explorer can number: [`CAPACITY`] unless a test lowers it to
    /// see a run end on it.
    pub capacity: Option<usize>,
}

/// The most states, and the most transitions, one exploration can store: ids and transition
/// indices are 4 bytes (`u32::MAX` itself marks "no parent"). A run that would pass it ends as
/// inconclusive ([`LimitHit::Capacity`]) before anything wraps. Some 4 × 10^9 states would take
/// hundreds of GB, so the memory limit ends nearly every such run first.
pub const CAPACITY: usize = u32::MAX as usize - 1;

/// The share of memory a run may use when `--max-memory` is not given, in percent: enough for
/// any run that could finish, with room left for the rest of the machine, so that a run that
/// would not fit ends as inconclusive (exit 3) instead of being killed by the OOM killer.
pub const DEFAULT_MEMORY_PERCENT: u64 = 75;

/// The memory a run may use by default: [`DEFAULT_MEMORY_PERCENT`] of the physical memory
/// (`MemTotal` of `/proc/meminfo`) or of the cgroup's memory limit if that is lower (a
/// container's `memory.max`, or cgroup v1's `memory.limit_in_bytes`). `None` where neither can
/// be read (no limit then).
pub fn default_max_memory() -> Option<u64> {
    let total = mem_total();
    let limit = match (total, cgroup_limit()) {
        (Some(t), Some(c)) => Some(t.min(c)),
        (t, c) => t.or(c),
    }?;
    Some(limit / 100 * DEFAULT_MEMORY_PERCENT)
}

fn mem_total() -> Option<u64> {
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = info.lines().find(|l| l.starts_with("MemTotal:"))?;
    let kb: u64 = line
        .trim_start_matches("MemTotal:")
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    kb.checked_mul(1024)
}

/// The lowest memory limit of this process's cgroup and its ancestors (v2: `memory.max` along
/// the path of `0::` in `/proc/self/cgroup`; v1: the memory controller's
/// `memory.limit_in_bytes`). `max` and v1's "unlimited" (a value near `i64::MAX`) are none.
fn cgroup_limit() -> Option<u64> {
    let read = |p: &std::path::Path| -> Option<u64> {
        std::fs::read_to_string(p).ok()?.trim().parse::<u64>().ok()
    };
    let cgroups = std::fs::read_to_string("/proc/self/cgroup").unwrap_or_default();
    let mut best: Option<u64> = None;
    let mut take = |v: Option<u64>| {
        if let Some(v) = v.filter(|&v| v < (1u64 << 62)) {
            best = Some(best.map_or(v, |b| b.min(v)));
        }
    };
    if let Some(rel) = cgroups.lines().find_map(|l| l.strip_prefix("0::")) {
        let root = std::path::Path::new("/sys/fs/cgroup");
        let mut dir = root.join(rel.trim_start_matches('/'));
        loop {
            take(read(&dir.join("memory.max")));
            if dir == root || !dir.pop() {
                break;
            }
        }
    }
    take(read(std::path::Path::new(
        "/sys/fs/cgroup/memory/memory.limit_in_bytes",
    )));
    best
}

/// Which limit ended a run, with what the limit was (and for memory, what was in use): the
/// report words it ([`crate::report::limit_message`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LimitHit {
    /// More than `max` unique states were stored (`--max-states`).
    MaxStates { max: usize },
    /// The run took longer than `limit` (`--timeout`).
    Timeout { limit: Duration },
    /// The memory in use passed `max` (`--max-memory`); `is_default`: `max` is
    /// [`default_max_memory`], not a limit the user gave.
    MaxMemory {
        max: u64,
        in_use: u64,
        is_default: bool,
    },
    /// The next states or transitions would pass what the explorer can number ([`CAPACITY`]).
    Capacity { max: usize },
}

impl LimitHit {
    /// The command-line flag that sets the limit, without its dashes.
    pub fn flag(self) -> &'static str {
        match self {
            LimitHit::MaxStates { .. } => "max-states",
            LimitHit::Timeout { .. } => "timeout",
            LimitHit::MaxMemory { .. } => "max-memory",
            // No flag sets it: the name of the limit in the JSON report.
            LimitHit::Capacity { .. } => "capacity",
        }
    }
}

/// A snapshot of a running exploration, for a progress display.
#[derive(Clone, Copy, Debug)]
pub struct Progress {
    pub states: usize,
    pub transitions: usize,
    pub depth: usize,
    /// States discovered but not yet expanded.
    pub queue: usize,
    /// What [`Limits::max_memory`] is measured against, in bytes.
    pub memory: u64,
    pub elapsed: Duration,
}

pub struct Outcome<M: Model> {
    pub results: Vec<ClaimResult<M>>,
    pub stats: Stats,
    /// The limit that cut the run short, if one did (then nothing is verified).
    pub cut_short: Option<LimitHit>,
}

impl<M: Model> Outcome<M> {
    pub fn result(&self, name: &str) -> Option<&ClaimResult<M>> {
        self.results.iter().find(|r| r.name == name)
    }
    /// 0 all verified / witnessed, 1 something violated, 3 inconclusive.
    pub fn exit_code(&self) -> u8 {
        if self.results.iter().any(|r| r.verdict.is_failure()) {
            1
        } else if self
            .results
            .iter()
            .any(|r| r.verdict == Verdict::Inconclusive)
        {
            3
        } else {
            0
        }
    }
}

const NONE: u32 = u32::MAX;

/// The visited set: states stored exactly, in discovery order (the id of a state is its index).
/// States are kept as they are, or, for a model with a byte encoding
/// ([`Checked::packed_len`]), as fixed-length records in one flat table.
pub struct Store<S> {
    states: Vec<S>,
    /// The packed states, `stride` bytes each (`stride` 0: states kept as they are), in
    /// segments of [`SEGMENT`] states: the table grows without moving what it holds (a single
    /// doubling vector copies every state on each growth) and without doubling's slack.
    segments: Vec<Vec<u8>>,
    packed: usize,
    stride: usize,
    /// The model's record ([`Checked::packed_len`]) and how it is stored: its
    /// [`Checked::packed_parts`] once per distinct value, the rest (`inline`) in the stored
    /// record, followed by the number of each part's value (4 bytes each). `stride` is the
    /// stored record's length.
    wide: usize,
    inline: Vec<std::ops::Range<usize>>,
    parts: Vec<Part>,
    /// A stored record being built (sequential phase).
    scratch: Vec<u8>,
    /// The ids, hashed by their states. Only the id is kept (4 bytes and a control byte per
    /// bucket, a quarter of an id with its hash): a growing table rehashes from the states
    /// themselves, which are at hand, and a probe compares a state only when the 7 bits of hash
    /// in the control byte match.
    table: HashTable<u32>,
}

/// The hash of stored state `id` (for rehashing when the table grows).
fn stored_hash<S: Hash>(states: &[S], segments: &[Vec<u8>], stride: usize, id: u32) -> u64 {
    let id = id as usize;
    if stride == 0 {
        FxBuildHasher.hash_one(&states[id])
    } else {
        let at = (id % SEGMENT) * stride;
        FxBuildHasher.hash_one(&segments[id / SEGMENT][at..at + stride])
    }
}

impl<S: Eq + Hash + Clone> Store<S> {
    fn new() -> Self {
        Store {
            states: Vec::new(),
            segments: Vec::new(),
            packed: 0,
            stride: 0,
            wide: 0,
            inline: Vec::new(),
            parts: Vec::new(),
            scratch: Vec::new(),
            table: HashTable::new(),
        }
    }
    pub fn hash(s: &S) -> u64 {
        FxBuildHasher.hash_one(s)
    }
    pub fn hash_bytes(b: &[u8]) -> u64 {
        FxBuildHasher.hash_one(b)
    }
    pub fn len(&self) -> usize {
        if self.stride == 0 {
            self.states.len()
        } else {
            self.packed
        }
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    fn reserve(&mut self, more: usize) {
        if self.stride == 0 {
            self.states.reserve(more);
        }
        let Store {
            states,
            segments,
            stride,
            table,
            ..
        } = self;
        table.reserve(more, |&id| stored_hash(states, segments, *stride, id));
    }
    /// Insert a state with its precomputed hash; returns its id and whether it is new.
    fn insert(&mut self, hash: u64, s: S) -> (usize, bool) {
        debug_assert_eq!(self.stride, 0);
        let Store {
            states,
            segments,
            table,
            ..
        } = self;
        match table.entry(
            hash,
            |&id| states[id as usize] == s,
            |&id| stored_hash(states, segments, 0, id),
        ) {
            hashbrown::hash_table::Entry::Occupied(e) => (*e.get() as usize, false),
            hashbrown::hash_table::Entry::Vacant(e) => {
                let id = states.len();
                e.insert(u32::try_from(id).expect("at most 2^32 states are stored"));
                states.push(s);
                (id, true)
            }
        }
    }
    /// Insert a packed state (the model's record, `wide` bytes); returns its id and whether it
    /// is new. Its parts' values are stored if they are new.
    fn insert_packed(&mut self, wide: &[u8]) -> (usize, bool) {
        let mut rec = std::mem::take(&mut self.scratch);
        rec.clear();
        for r in &self.inline {
            rec.extend_from_slice(&wide[r.clone()]);
        }
        for p in self.parts.iter_mut() {
            let k = p.intern(&wide[p.at.clone()]);
            rec.extend_from_slice(&k.to_le_bytes());
        }
        let out = self.insert_narrow(Self::hash_bytes(&rec), &rec);
        self.scratch = rec;
        out
    }
    /// The stored record of the model's record `wide` into `out` (`stride` bytes), if every
    /// part's value is already stored (read-only: the parallel phase narrows most successors
    /// this way, and leaves the others to [`Store::insert_packed`]).
    ///
    /// `like`: the model's record and the stored record of a state the successor is likely to
    /// share parts with (its source: a transition changes one procedure and the entities it
    /// acts on), whose numbers are taken for the parts whose bytes are equal, without a lookup.
    fn try_narrow(&self, wide: &[u8], like: (&[u8], &[u8]), out: &mut [u8]) -> bool {
        let mut at = 0;
        for r in &self.inline {
            out[at..at + r.len()].copy_from_slice(&wide[r.clone()]);
            at += r.len();
        }
        let (like_wide, like_rec) = like;
        for p in &self.parts {
            let v = &wide[p.at.clone()];
            if *v == like_wide[p.at.clone()] {
                out[at..at + 4].copy_from_slice(&like_rec[at..at + 4]);
            } else {
                let Some(k) = p.find(v) else {
                    return false;
                };
                out[at..at + 4].copy_from_slice(&k.to_le_bytes());
            }
            at += 4;
        }
        true
    }
    /// Insert a stored record (`stride` bytes) with its hash; returns its id and whether it is
    /// new.
    fn insert_narrow(&mut self, hash: u64, b: &[u8]) -> (usize, bool) {
        let Store {
            states,
            segments,
            stride,
            table,
            packed,
            ..
        } = self;
        let n = *stride;
        debug_assert_eq!(b.len(), n);
        let record = |id: usize| {
            let at = (id % SEGMENT) * n;
            &segments[id / SEGMENT][at..at + n]
        };
        match table.entry(
            hash,
            |&id| record(id as usize) == b,
            |&id| stored_hash(states, segments, n, id),
        ) {
            hashbrown::hash_table::Entry::Occupied(e) => (*e.get() as usize, false),
            hashbrown::hash_table::Entry::Vacant(e) => {
                let id = *packed;
                e.insert(u32::try_from(id).expect("at most 2^32 states are stored"));
                if id.is_multiple_of(SEGMENT) {
                    segments.push(Vec::with_capacity(SEGMENT * n));
                }
                segments.last_mut().expect("a segment").extend_from_slice(b);
                *packed += 1;
                (id, true)
            }
        }
    }
    /// The id of a stored record (`stride` bytes) with its hash, if it is stored (read-only:
    /// the parallel phase asks it for the cycle proviso of partial-order reduction).
    fn find_narrow(&self, hash: u64, b: &[u8]) -> Option<usize> {
        self.table
            .find(hash, |&id| self.record(id as usize) == b)
            .map(|&id| id as usize)
    }
    /// The id of a state kept as it is, if it is stored (read-only, as [`Store::find_narrow`]).
    fn find(&self, hash: u64, s: &S) -> Option<usize> {
        self.table
            .find(hash, |&id| self.states[id as usize] == *s)
            .map(|&id| id as usize)
    }
    /// The model's record of packed state `i`, rebuilt from the stored one into `out`.
    fn widen(&self, i: usize, out: &mut Vec<u8>) {
        let rec = self.record(i);
        out.resize(self.wide, 0);
        let mut at = 0;
        for r in &self.inline {
            out[r.clone()].copy_from_slice(&rec[at..at + r.len()]);
            at += r.len();
        }
        for p in &self.parts {
            let k = u32::from_le_bytes(rec[at..at + 4].try_into().expect("4 bytes"));
            out[p.at.clone()].copy_from_slice(p.value(k));
            at += 4;
        }
    }
    /// Pack every stored state (`stride` bytes each) and keep them packed from now on; ids are
    /// kept, the table is rebuilt with the hashes of the records.
    fn pack_all<M: Checked<State = S>>(&mut self, model: &M, wide: usize) {
        debug_assert_eq!(self.stride, 0);
        let states = std::mem::take(&mut self.states);
        let ranges = model.packed_parts();
        let mut at = 0;
        for r in &ranges {
            assert!(
                at <= r.start && r.start < r.end && r.end <= wide,
                "parts in order"
            );
            if at < r.start {
                self.inline.push(at..r.start);
            }
            at = r.end;
        }
        if at < wide {
            self.inline.push(at..wide);
        }
        self.parts = ranges.into_iter().map(Part::new).collect();
        self.wide = wide;
        self.stride = self.inline.iter().map(|r| r.len()).sum::<usize>() + 4 * self.parts.len();
        self.table.clear();
        self.table.reserve(states.len(), |_| {
            unreachable!("an empty table reserves without rehashing")
        });
        let mut buf = vec![0u8; wide];
        for s in &states {
            model.pack(s, &mut buf);
            let (_, new) = self.insert_packed(&buf);
            assert!(new, "distinct states pack distinctly");
        }
        // The states' heap parts go on all threads, as in `free`.
        if std::mem::needs_drop::<S>() && states.len() >= FREE_PAR_MIN {
            states.into_par_iter().for_each(drop);
        }
    }

    /// The record of packed state `i`.
    fn record(&self, i: usize) -> &[u8] {
        let at = (i % SEGMENT) * self.stride;
        &self.segments[i / SEGMENT][at..at + self.stride]
    }
    /// State `i`: borrowed, or decoded from its record.
    pub fn get<'a, M: Checked<State = S>>(&'a self, model: &M, i: usize) -> Cow<'a, S> {
        if self.stride == 0 {
            Cow::Borrowed(&self.states[i])
        } else {
            let mut buf = Vec::new();
            self.widen(i, &mut buf);
            Cow::Owned(model.unpack(&buf))
        }
    }
    fn bytes(&self) -> usize {
        self.states.capacity() * std::mem::size_of::<S>()
            // The records written (a segment's capacity is reserved up front, but its pages
            // are touched only as records are written).
            + self.packed * self.stride
            + self.table.capacity() * 5
            + self.parts.iter().map(Part::bytes).sum::<usize>()
    }
}

impl<S: Send> Store<S> {
    /// Drop every state, on all threads when there are many that own heap parts: the teardown
    /// is one `free` per heap part of every state (a campaign state has several), so on a large
    /// run it is worth spreading like the expansion. States without drop glue, and packed
    /// states, cost nothing.
    fn free(self) {
        let Store { states, table, .. } = self;
        drop(table);
        if std::mem::needs_drop::<S>() && states.len() >= FREE_PAR_MIN {
            states.into_par_iter().for_each(drop);
        } else {
            drop(states);
        }
    }
}

/// One part of the packed records ([`Checked::packed_parts`]): each distinct value once, numbered
/// in order of first appearance.
struct Part {
    at: std::ops::Range<usize>,
    values: Vec<u8>,
    table: HashTable<u32>,
}

impl Part {
    fn new(at: std::ops::Range<usize>) -> Self {
        Part {
            at,
            values: Vec::new(),
            table: HashTable::new(),
        }
    }
    fn value(&self, k: u32) -> &[u8] {
        let n = self.at.len();
        &self.values[k as usize * n..(k as usize + 1) * n]
    }
    /// The number of `v`, if it is stored.
    fn find(&self, v: &[u8]) -> Option<u32> {
        self.table
            .find(FxBuildHasher.hash_one(v), |&k| self.value(k) == v)
            .copied()
    }
    /// The number of `v`, which is stored if it is new.
    fn intern(&mut self, v: &[u8]) -> u32 {
        let n = self.at.len();
        let Part { values, table, .. } = self;
        let value = |k: u32| &values[k as usize * n..(k as usize + 1) * n];
        match table.entry(
            FxBuildHasher.hash_one(v),
            |&k| value(k) == v,
            |&k| FxBuildHasher.hash_one(value(k)),
        ) {
            hashbrown::hash_table::Entry::Occupied(e) => *e.get(),
            hashbrown::hash_table::Entry::Vacant(e) => {
                // No more values than states, whose number is checked against 2^32.
                let k = u32::try_from(values.len() / n).expect("at most 2^32 values of a part");
                e.insert(k);
                values.extend_from_slice(v);
                k
            }
        }
    }
    fn bytes(&self) -> usize {
        self.values.capacity() + self.table.capacity() * 5
    }
}

/// A growing array of small records in fixed-size chunks (the parents of the states): no
/// doubling, so neither the slack of a doubled vector nor the copy of its contents when it
/// grows (both counted in the peak RSS of a run of millions of states).
struct Chunked<T> {
    chunks: Vec<Vec<T>>,
    len: usize,
}

impl<T: Copy> Chunked<T> {
    fn new() -> Self {
        Chunked {
            chunks: Vec::new(),
            len: 0,
        }
    }
    fn push(&mut self, v: T) {
        // A chunk grows by doubling up to its full size (a power of two, so its last doubling
        // ends there), so that a small run does not reserve a whole chunk.
        if self.len.is_multiple_of(SEGMENT) {
            self.chunks.push(Vec::new());
        }
        self.chunks.last_mut().expect("a chunk").push(v);
        self.len += 1;
    }
    fn get(&self, i: usize) -> T {
        self.chunks[i / SEGMENT][i % SEGMENT]
    }
    fn bytes(&self) -> usize {
        self.len * std::mem::size_of::<T>()
    }
}

/// States per segment of the packed table (a few MB each).
const SEGMENT: usize = 1 << 16;

/// Fewest states worth freeing in parallel (below it, waking the pool costs more).
const FREE_PAR_MIN: usize = 1 << 14;

/// Where a check fired first.
#[derive(Clone, Copy)]
enum Hit {
    State(u32),
    Edge(u32, u16),
}

/// The result of the parallel phase for a contiguous range of frontier states: successors in
/// one flat vector (no allocation per state), and only the claim hits that occurred.
struct Batch<S> {
    /// (action index, hash of successor); the successors themselves are in `states` (kept
    /// as they are) or `packed` (`stride` bytes each), in the same order.
    succ: Vec<(u16, u64)>,
    states: Vec<S>,
    packed: Vec<u8>,
    /// The successors whose stored record could not be made in the parallel phase (a part's
    /// value was new): their indices in `succ`, and their model records (`wide` bytes each).
    pending: Vec<u32>,
    wide: Vec<u8>,
    /// `succ[ends[i-1]..ends[i]]` are the successors of the i-th state of the range.
    ends: Vec<u32>,
    /// (state offset in the range, bit c set: state check c fires)
    state_hits: Vec<(u32, u64)>,
    /// (state offset, check, action index): the first transition on which an edge check fires.
    edge_hits: Vec<(u32, usize, u16)>,
    /// First state of the range without successors that is not final.
    deadlock: Option<u32>,
    /// The range's declared final states (offsets), for the cycle search.
    finals: Vec<u32>,
    /// States of the range expanded by an ample set only (partial-order reduction).
    reduced: usize,
    /// A state of the range breaks the premise of the model's ample sets
    /// ([`Checked::ample_premise`]).
    premise_broken: bool,
    /// Bit c set: state check c fires in a state of the range that is not settled
    /// ([`Checked::ample_settled`]).
    unsettled: u64,
}

/// Successors of one chunk that are the same state, found on all cores before the sequential
/// insertion: a chunk's successors are mostly the next level's states, each reached from
/// several parents (P = 4, F = 2: 15.9 M successors, 5.8 M distinct within their chunks), and
/// every probe of the visited set costs the sequential phase a cache miss or two. A duplicate
/// takes the id of its first occurrence, so ids are those of inserting every successor in
/// order.
/// Fewest successors in a chunk for which [`Dedup`] looks for duplicates.
const DEDUP_MIN: usize = 1 << 12;

#[derive(Default)]
struct Dedup {
    /// Per successor of the chunk: the index of its first occurrence if it is a later one,
    /// else `NONE`.
    lead: Vec<u32>,
    /// Per successor of the chunk: its id, once inserted.
    tid: Vec<u32>,
    /// One table per thread, kept for their capacity.
    tables: Vec<HashTable<((u32, u32), u32)>>,
}

impl Dedup {
    /// Fill `lead`. The successors are split by hash among the threads (equal states hash
    /// alike), and each thread walks the chunk in order with a table of the first occurrences
    /// it has seen: small enough to stay in cache, unlike the visited set.
    fn find<S: Eq + Hash + Sync>(&mut self, batches: &[Batch<S>], stride: usize) {
        let n: usize = batches.iter().map(|b| b.succ.len()).sum();
        self.lead.clear();
        self.lead.resize(n, NONE);
        self.tid.clear();
        self.tid.resize(n, NONE);
        // A small chunk (a narrow level) is inserted sooner than the threads are woken.
        if n < DEDUP_MIN {
            return;
        }
        let parts = rayon::current_num_threads().clamp(1, 64);
        self.tables.resize_with(parts, HashTable::new);
        let record = |bi: u32, j: u32| -> &[u8] {
            let j = j as usize;
            &batches[bi as usize].packed[j * stride..(j + 1) * stride]
        };
        let same = |(ba, ja): (u32, u32), (bc, jc): (u32, u32)| -> bool {
            if stride == 0 {
                batches[ba as usize].states[ja as usize] == batches[bc as usize].states[jc as usize]
            } else {
                record(ba, ja) == record(bc, jc)
            }
        };
        let hash_of = |(bi, j): (u32, u32)| batches[bi as usize].succ[j as usize].1;
        let dups: Vec<Vec<(u32, u32)>> = self
            .tables
            .par_iter_mut()
            .enumerate()
            .map(|(t, table)| {
                table.clear();
                let mut dups = Vec::new();
                let mut g = 0u32;
                for (bi, b) in batches.iter().enumerate() {
                    // Successors whose stored record is not made yet (a new part value) are
                    // new states, and so are all states equal to them: the sequential phase
                    // inserts them.
                    let mut pending = b.pending.iter().peekable();
                    for (j, &(_, h)) in b.succ.iter().enumerate() {
                        let here = g;
                        g += 1;
                        if pending.next_if(|&&x| x as usize == j).is_some()
                            || (h >> 57) as usize % parts != t
                        {
                            continue;
                        }
                        let me = (bi as u32, j as u32);
                        match table.entry(h, |&(e, _)| same(e, me), |&(e, _)| hash_of(e)) {
                            hashbrown::hash_table::Entry::Occupied(o) => {
                                dups.push((here, o.get().1));
                            }
                            hashbrown::hash_table::Entry::Vacant(v) => {
                                v.insert((me, here));
                            }
                        }
                    }
                }
                dups
            })
            .collect();
        for (g, first) in dups.into_iter().flatten() {
            self.lead[g as usize] = first;
        }
    }
}

impl<S> Batch<S> {
    fn new() -> Self {
        Batch {
            succ: Vec::new(),
            states: Vec::new(),
            packed: Vec::new(),
            pending: Vec::new(),
            wide: Vec::new(),
            ends: Vec::new(),
            state_hits: Vec::new(),
            edge_hits: Vec::new(),
            deadlock: None,
            finals: Vec::new(),
            reduced: 0,
            premise_broken: false,
            unsettled: 0,
        }
    }
    /// Empty, keeping the capacity.
    fn clear(&mut self) {
        self.succ.clear();
        self.states.clear();
        self.packed.clear();
        self.pending.clear();
        self.wide.clear();
        self.ends.clear();
        self.state_hits.clear();
        self.edge_hits.clear();
        self.deadlock = None;
        self.finals.clear();
        self.reduced = 0;
        self.premise_broken = false;
        self.unsettled = 0;
    }
}

/// Explore `model` exhaustively (or until a limit) and decide every claim.
pub fn explore<M: Checked>(model: &M, claims: &[Claim<M>], limits: &Limits) -> Outcome<M> {
    explore_with_progress(model, claims, limits, None)
}

/// How often the explorer measures memory and reports progress: reading `/proc` for every chunk
/// of a deep, narrow model would cost more than the exploration.
const TICK: Duration = Duration::from_millis(50);

/// The resident set size of this process, where the platform tells it (Linux `/proc`).
pub fn resident_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line
        .trim_start_matches("VmRSS:")
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kb * 1024)
}

/// The peak resident set size of this process so far (`getrusage`'s `ru_maxrss`, the kernel's
/// high-water mark: the same as `VmHWM` of `/proc/self/status` on Linux), in bytes. One system
/// call, cheap enough to take at the end of every exploration. `None` where it fails.
pub fn peak_resident_bytes() -> Option<u64> {
    // SAFETY: getrusage only writes the struct it is given, which is zeroed and ours.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut u) } != 0 {
        return None;
    }
    let max = u64::try_from(u.ru_maxrss).ok().filter(|&m| m > 0)?;
    // Linux and the BSDs count kilobytes, macOS bytes.
    if cfg!(target_os = "macos") {
        Some(max)
    } else {
        max.checked_mul(1024)
    }
}

/// [`explore`], calling `progress` after the first chunk of states and then about every 50 ms.
/// Memory is measured only when `progress` or `--max-memory` needs it, so that plain runs (and
/// the benches) do not pay for it.
pub fn explore_with_progress<M: Checked>(
    model: &M,
    claims: &[Claim<M>],
    limits: &Limits,
    mut progress: Option<&mut dyn FnMut(&Progress)>,
) -> Outcome<M> {
    if let Some(por) = model.partial_order() {
        let reborrow = progress
            .as_mut()
            .map(|p| &mut **p as &mut dyn FnMut(&Progress));
        if let Some(mut o) = explore_run(model, claims, limits, reborrow, Some(por), None) {
            shortest_traces(model, claims, limits, progress, &mut o);
            return o;
        }
    }
    explore_run(model, claims, limits, progress, None, None).expect("no premise without reduction")
}

/// What a search for shortest traces looks for: the claims whose trace is wanted, and the
/// depth by which each has one.
struct Goal {
    claims: Vec<bool>,
    depth: usize,
}

/// Partial-order reduction keeps every hit reachable, not always its breadth-first distance: a
/// state where a procedure still runs may sit behind a move an ample set put first. A check
/// that fires only in settled states ([`Checked::ample_settled`]: no procedure runs; deadlocks)
/// keeps its distance: a shortest run to such a state takes a move of every procedure that has
/// ample moves on the way, and the first of them can be taken first (it commutes with what
/// precedes it), so breadth-first order on the reduced graph meets the hit as early. Whether a
/// check fired in an unsettled state is itself invisible to ample moves, so the reduced run
/// sees it if the full one would. Every other trace (an availability or compatibility
/// violation in mid-run, a transition check) is searched again without partial-order
/// reduction (symmetry stays), breadth-first, level by level until each such claim has its
/// hit, at most to the depth of its reduced trace: then it is the shortest, as without
/// reduction. Verdicts, counts and lassos stay the reduced run's. If a limit stops the search,
/// the reduced traces are kept, made shorter by dropping moves the hit does not need
/// ([`shorten`]), and marked as not proven shortest; the run counts as cut short.
fn shortest_traces<M: Checked>(
    model: &M,
    claims: &[Claim<M>],
    limits: &Limits,
    progress: Option<&mut dyn FnMut(&Progress)>,
    o: &mut Outcome<M>,
) {
    let wanted = |r: &ClaimResult<M>| {
        !r.shortest && r.trace.as_ref().is_some_and(|t| t.loop_start.is_none())
    };
    let goal = Goal {
        claims: o.results.iter().map(wanted).collect(),
        depth: o
            .results
            .iter()
            .filter(|r| wanted(r))
            .filter_map(|r| r.trace.as_ref().map(Trace::len))
            .max()
            .unwrap_or(0),
    };
    if !goal.claims.contains(&true) || o.stats.reduction_ample == 0 {
        return;
    }
    let again = explore_run(model, claims, limits, progress, None, Some(&goal))
        .expect("no premise without reduction");
    for (i, (r, a)) in o.results.iter_mut().zip(again.results).enumerate() {
        if !goal.claims[i] {
            continue;
        }
        match (a.trace, &again.cut_short) {
            (Some(t), _) => {
                r.trace = Some(t);
                r.shortest = true;
            }
            (None, Some(_)) => {
                let check = claims[i]
                    .checks
                    .iter()
                    .find(|c| !matches!(c, Check::Terminates));
                if let (Some(t), Some(c)) = (r.trace.as_mut(), check) {
                    shorten(model, t, c);
                }
                r.shortest = false;
            }
            (None, None) => unreachable!("a hit of the reduced run is found within its depth"),
        }
    }
    if let Some(hit) = again.cut_short {
        for r in &mut o.results {
            if matches!(r.verdict, Verdict::Verified | Verdict::Unreachable) {
                r.verdict = Verdict::Inconclusive;
            }
        }
        o.cut_short = Some(hit);
    }
}

/// One exploration, with partial-order reduction (`por`: its report line) or without. `None`
/// when a reachable state breaks the premise of the model's ample sets
/// ([`Checked::ample_premise`]): the caller then explores without reduction.
fn explore_run<M: Checked>(
    model: &M,
    claims: &[Claim<M>],
    limits: &Limits,
    mut progress: Option<&mut dyn FnMut(&Progress)>,
    por: Option<String>,
    goal: Option<&Goal>,
) -> Option<Outcome<M>> {
    let start = Instant::now();
    let mut last_tick: Option<Instant> = None;
    let ticks = progress.is_some() || limits.max_memory.is_some();
    let applies: Vec<bool> = claims.iter().map(|c| (c.applies)(model)).collect();
    // Flatten the checks: (claim index, check).
    let flat: Vec<(usize, &Check<M>)> = claims
        .iter()
        .enumerate()
        .filter(|&(i, _)| applies[i])
        .flat_map(|(i, c)| c.checks.iter().map(move |k| (i, k)))
        .collect();
    assert!(flat.len() <= 64, "at most 64 checks per run");
    let mut first: Vec<Option<Hit>> = vec![None; flat.len()];

    // A model with an encoding has its states packed from the start. (Until round 3 of
    // docs/perf.md they were packed past 65 536 states only, as encoding every state cost small
    // models more than it saved; once successors were made without allocating and numbered
    // parts shared with their source, packing from the start measured as fast on the thesis
    // models and up to 1.6× faster on the larger benches, at a fraction of the memory.)
    let packing = model.packed_len();
    let mut seen: Store<M::State> = Store::new();
    let mut parent: Chunked<u32> = Chunked::new();
    let mut parent_act: Chunked<u16> = Chunked::new();
    // The transitions, for the termination check's search for cycles: `edges[edge_start[i]..
    // edge_start[i + 1]]` are the targets of state i. A campaign's graph is acyclic but not
    // graded (an undone action leads back to a state first reached on a shorter path), so
    // about a tenth of the transitions lead to older states and the search has to be done;
    // recomputing the transitions for it instead of keeping them costs more time than the
    // exploration (measured: P = 4, F = 2, 8 s on one core after 6 s on two).
    let mut edge_start: Chunked<u32> = Chunked::new();
    edge_start.push(0);
    let mut edges: Chunked<u32> = Chunked::new();
    // Transitions to a state of no higher id than their source. Every cycle has one (the
    // transition leaving its state of highest id), so without any the graph is acyclic and
    // needs no search.
    let mut backward = 0usize;
    // The declared final states, in id order (few: a campaign's ends), noted while each state
    // is expanded so that the cycle search does not decode every state again to ask.
    let mut finals: Vec<u32> = Vec::new();
    let mut deadlock: Option<u32> = None;
    let mut transitions = 0usize;
    let symmetry = model.reduction();
    let ample = por.is_some();
    // States expanded by an ample set only.
    let mut ample_states = 0usize;
    // Bit c: state check c fired in a state that is not settled.
    let mut unsettled = 0u64;
    for mut s in model.init_states() {
        model.canonicalize(&mut s);
        if seen.insert(Store::hash(&s), s).1 {
            parent.push(NONE);
            parent_act.push(0);
        }
    }
    let mut level_lo = 0usize;
    let mut depth = 0usize;
    let mut cut_short = None;
    const CHUNK: usize = 1 << 14;
    const PAR_MIN: usize = 256;
    // The batches of the parallel phase, kept from chunk to chunk: their vectors keep their
    // capacity, so the expansion does not allocate (and the kernel does not zero) fresh
    // buffers for every chunk.
    let mut pool: Vec<Batch<M::State>> = Vec::new();
    let mut dedup = Dedup::default();
    'levels: while level_lo < seen.len() {
        let level_hi = seen.len();
        let mut lo = level_lo;
        while lo < level_hi {
            if seen.stride == 0
                && let Some(len) = packing
            {
                seen.pack_all(model, len);
            }
            let hi = (lo + CHUNK).min(level_hi);
            // Small frontiers (deep, narrow graphs) are cheaper on one thread than the cost of
            // waking the pool for every level; large ones are cut into a few ranges per thread.
            let ranges: Vec<std::ops::Range<usize>> = if hi - lo < PAR_MIN {
                std::iter::once(lo..hi).collect()
            } else {
                let per = ((hi - lo) / (4 * rayon::current_num_threads())).max(64);
                (lo..hi)
                    .step_by(per)
                    .map(|a| a..(a + per).min(hi))
                    .collect()
            };
            if pool.len() < ranges.len() {
                pool.resize_with(ranges.len(), Batch::new);
            }
            let batches = &mut pool[..ranges.len()];
            if ranges.len() == 1 {
                expand_batch(
                    model,
                    &flat,
                    &seen,
                    ranges[0].clone(),
                    ample,
                    &mut batches[0],
                );
            } else {
                batches
                    .par_iter_mut()
                    .zip(ranges.into_par_iter())
                    .for_each(|(b, r)| expand_batch(model, &flat, &seen, r, ample, b));
            }
            if batches.iter().any(|b| b.premise_broken) {
                return None;
            }
            ample_states += batches.iter().map(|b| b.reduced).sum::<usize>();
            unsettled |= batches.iter().fold(0, |u, b| u | b.unsettled);
            let mut base = lo as u32;
            let more: usize = batches.iter().map(|b| b.succ.len()).sum();
            let capacity = limits.capacity.unwrap_or(CAPACITY);
            if seen.len() + more > capacity || edges.len + more > capacity {
                cut_short = Some(LimitHit::Capacity { max: capacity });
                break 'levels;
            }
            seen.reserve(more);
            dedup.find(batches, seen.stride);
            let mut g = 0usize;
            for b in batches.iter_mut() {
                for &(off, bits) in &b.state_hits {
                    for (c, hit) in first.iter_mut().enumerate() {
                        if hit.is_none() && bits & (1 << c) != 0 {
                            *hit = Some(Hit::State(base + off));
                        }
                    }
                }
                for &(off, c, k) in &b.edge_hits {
                    if first[c].is_none() {
                        first[c] = Some(Hit::Edge(base + off, k));
                    }
                }
                if deadlock.is_none() {
                    deadlock = b.deadlock.map(|off| base + off);
                }
                finals.extend(b.finals.iter().map(|&off| base + off));
                transitions += b.succ.len();
                let mut it = b.succ.iter().copied().enumerate();
                let mut states = b.states.drain(..);
                let mut pending = b.pending.iter().enumerate().peekable();
                let mut prev = 0u32;
                for (off, &end) in b.ends.iter().enumerate() {
                    let id = base + off as u32;
                    for (j, (k, h)) in it.by_ref().take((end - prev) as usize) {
                        let lead = dedup.lead[g];
                        let (tid, new) = if lead != NONE {
                            // An earlier successor of this chunk is the same state.
                            if seen.stride == 0 {
                                states.next().expect("one state per successor");
                            }
                            (dedup.tid[lead as usize] as usize, false)
                        } else if seen.stride == 0 {
                            seen.insert(h, states.next().expect("one state per successor"))
                        } else if let Some((p, _)) = pending.next_if(|&(_, &x)| x as usize == j) {
                            let w = seen.wide;
                            seen.insert_packed(&b.wide[p * w..(p + 1) * w])
                        } else {
                            let n = seen.stride;
                            seen.insert_narrow(h, &b.packed[j * n..(j + 1) * n])
                        };
                        if new {
                            parent.push(id);
                            parent_act.push(k);
                        }
                        dedup.tid[g] = tid as u32;
                        g += 1;
                        backward += usize::from(tid as u32 <= id);
                        edges.push(tid as u32);
                    }
                    prev = end;
                    // Within `CAPACITY`, checked before the chunk was inserted.
                    edge_start.push(edges.len as u32);
                }
                base += b.ends.len() as u32;
            }
            lo = hi;
            if let Some(max) = limits.max_states
                && seen.len() > max
            {
                cut_short = Some(LimitHit::MaxStates { max });
                break 'levels;
            }
            if let Some(t) = limits.timeout
                && start.elapsed() > t
            {
                cut_short = Some(LimitHit::Timeout { limit: t });
                break 'levels;
            }
            if ticks && last_tick.is_none_or(|t| t.elapsed() >= TICK) {
                last_tick = Some(Instant::now());
                let tables = seen.bytes()
                    + parent.bytes()
                    + parent_act.bytes()
                    + edge_start.bytes()
                    + edges.bytes();
                let memory = resident_bytes().unwrap_or(tables as u64);
                if let Some(show) = progress.as_mut() {
                    show(&Progress {
                        states: seen.len(),
                        transitions,
                        depth,
                        queue: seen.len() - lo,
                        memory,
                        elapsed: start.elapsed(),
                    });
                }
                if let Some(max) = limits.max_memory
                    && memory > max
                {
                    cut_short = Some(LimitHit::MaxMemory {
                        max,
                        in_use: memory,
                        is_default: limits.memory_is_default,
                    });
                    break 'levels;
                }
            }
        }
        level_lo = level_hi;
        if let Some(g) = goal {
            // A search for shortest traces ends with the level by which every wanted claim has
            // its hit (a whole level: a state hit at this depth is shorter than a transition
            // hit from it).
            let found = |ci: usize| {
                flat.iter()
                    .zip(&first)
                    .any(|((owner, _), hit)| *owner == ci && hit.is_some())
                    || (deadlock.is_some()
                        && flat
                            .iter()
                            .any(|(owner, c)| *owner == ci && matches!(c, Check::Terminates)))
            };
            if depth >= g.depth || (0..claims.len()).all(|ci| !g.claims[ci] || found(ci)) {
                break 'levels;
            }
        }
        if level_lo < seen.len() {
            depth += 1;
        }
    }
    let complete = cut_short.is_none() && goal.is_none();

    // Termination: deadlocks first (shortest, found in BFS order), then cycles avoiding finals.
    let mut lasso: Option<(u32, Vec<u32>)> = None;
    if complete && deadlock.is_none() && backward > 0 {
        lasso = find_cycle(seen.len(), &finals, &edge_start, &edges);
    }

    // Symmetry stores representatives: traces are replayed on concrete states. (Partial-order
    // reduction stores concrete states and numbers actions as the full model does.)
    let concrete = symmetry.is_some();
    let path_to =
        |id: u32| -> Trace<M> { rebuild(model, &seen, &parent, &parent_act, id, concrete) };
    let mut results = Vec::with_capacity(claims.len());
    for (ci, claim) in claims.iter().enumerate() {
        if !applies[ci] {
            results.push(ClaimResult {
                name: claim.name,
                verdict: Verdict::NotApplicable,
                trace: None,
                shortest: true,
            });
            continue;
        }
        let witness = claim.is_witness();
        // After partial-order reduction a hit keeps its breadth-first distance when its check
        // fires in settled states only (a state check, and every state it fired in settled;
        // deadlocks are settled: a pending ample move would be enabled there). Otherwise its
        // trace is searched again ([`shortest_traces`]).
        // (Only an exhaustive run shows where a check fires.)
        let exact = ample_states == 0
            || complete
                && flat.iter().enumerate().all(|(c, (owner, _))| {
                    *owner != ci
                        || match first[c] {
                            None => true,
                            Some(Hit::State(_)) => unsettled & (1 << c) == 0,
                            Some(Hit::Edge(..)) => false,
                        }
                });
        // The shortest hit among this claim's checks.
        let mut best: Option<Trace<M>> = None;
        let mut consider = |t: Trace<M>| {
            if best.as_ref().is_none_or(|b| t.len() < b.len()) {
                best = Some(t);
            }
        };
        for (c, (owner, check)) in flat.iter().enumerate() {
            if *owner != ci {
                continue;
            }
            match (check, first[c]) {
                (_, Some(Hit::State(id))) => consider(path_to(id)),
                (_, Some(Hit::Edge(id, k))) => {
                    let mut t = path_to(id);
                    if concrete {
                        let Check::OnStep(p) = check else {
                            unreachable!("edge hits come from OnStep checks")
                        };
                        extend_like(model, &mut t, &seen.get(model, id as usize), k, *p);
                    } else {
                        extend_by(model, &mut t, k);
                    }
                    consider(t);
                }
                (Check::Terminates, None) => {
                    if let Some(id) = deadlock {
                        consider(path_to(id));
                    } else if let Some((entry, cycle)) = &lasso {
                        let mut t = path_to(*entry);
                        let loop_start = t.states.len() - 1;
                        // On representatives the cycle may come back to another arrangement of
                        // its first state: go round until the concrete state itself recurs
                        // (within the order of the symmetry, a few rounds).
                        for _round in 0..MAX_ROUNDS {
                            for w in cycle.windows(2) {
                                let next = seen.get(model, w[1] as usize);
                                let (a, s) = step_to(model, t.states.last().unwrap(), &next);
                                t.actions.push(a);
                                t.states.push(s);
                            }
                            if t.states.last() == t.states.get(loop_start) {
                                break;
                            }
                        }
                        assert!(
                            t.states.last() == t.states.get(loop_start),
                            "a cycle of representatives closes on concrete states"
                        );
                        t.loop_start = Some(loop_start);
                        consider(t);
                    }
                }
                _ => {}
            }
        }
        let verdict = match (witness, best.is_some(), complete) {
            (true, true, _) => Verdict::Witnessed,
            (true, false, true) => Verdict::Unreachable,
            (false, true, _) => Verdict::Violated,
            (false, false, true) => Verdict::Verified,
            (_, false, false) => Verdict::Inconclusive,
        };
        results.push(ClaimResult {
            name: claim.name,
            verdict,
            trace: best,
            shortest: exact,
        });
    }

    let unique_states = seen.len();
    let n = unique_states.max(1);
    let mem =
        seen.bytes() + parent.bytes() + parent_act.bytes() + edge_start.bytes() + edges.bytes();
    // The tables are freed here, inside the measured time: freeing millions of states that own
    // heap parts takes a noticeable share of a run (docs/perf.md, "Where the wall time goes"),
    // and an elapsed time that leaves it out does not explain the wall time.
    seen.free();
    let stats = Stats {
        unique_states,
        transitions,
        max_depth: depth,
        elapsed: start.elapsed(),
        state_bytes: std::mem::size_of::<M::State>(),
        bytes_per_state: mem as f64 / n as f64,
        threads: rayon::current_num_threads(),
        peak_rss: peak_resident_bytes(),
        reduction: reduction_line(symmetry, por, ample_states),
        reduction_ample: ample_states,
    };
    Some(Outcome {
        results,
        stats,
        cut_short,
    })
}

/// The report's line for the reductions at work: symmetry, partial order (with how many states
/// an ample set expanded), or both.
fn reduction_line(symmetry: Option<String>, por: Option<String>, ample: usize) -> Option<String> {
    // A run in which no state had an ample set explored the full graph: nothing to report.
    let por = por
        .filter(|_| ample > 0)
        .map(|p| format!("{p} ({ample} states expanded by an ample set)"));
    match (symmetry, por) {
        (Some(s), Some(p)) => Some(format!("{s}; {p}")),
        (s, p) => s.or(p),
    }
}

/// Bytes in binary units, as `--max-memory` takes them (`512M` = 512 MiB).
pub fn human_bytes(b: u64) -> String {
    const UNITS: [(u64, &str); 4] = [
        (1 << 40, "T"),
        (1 << 30, "G"),
        (1 << 20, "M"),
        (1 << 10, "K"),
    ];
    for (size, unit) in UNITS {
        if b >= size {
            return if b.is_multiple_of(size) {
                format!("{}{unit}", b / size)
            } else {
                format!("{:.1}{unit}", b as f64 / size as f64)
            };
        }
    }
    format!("{b}")
}

/// Parse a memory size: a whole or decimal number with an optional binary unit `K`, `M`, `G`
/// or `T` (optionally followed by `B` or `iB`, any case): `512M`, `2G`, `1.5GiB`, `1048576`.
pub fn parse_bytes(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let unit = unit.trim().to_ascii_uppercase();
    let unit = unit
        .strip_suffix("IB")
        .or_else(|| unit.strip_suffix('B'))
        .unwrap_or(&unit);
    let scale: u64 = match unit {
        "" => 1,
        "K" => 1 << 10,
        "M" => 1 << 20,
        "G" => 1 << 30,
        "T" => 1 << 40,
        _ => {
            return Err(format!(
                "`{text}` is not a size (examples: 512M, 2G, 1048576)"
            ));
        }
    };
    let n: f64 = num
        .parse()
        .map_err(|_| format!("`{text}` is not a size (examples: 512M, 2G, 1048576)"))?;
    let bytes = n * scale as f64;
    // A value past u64 is too large, not too small: say which (a NaN cannot come from digits).
    if bytes >= u64::MAX as f64 {
        return Err(format!("`{text}` is too large (a size is at most 16 EiB)"));
    }
    if bytes < 1.0 {
        return Err(format!("`{text}` is out of range: give at least one byte"));
    }
    Ok(bytes as u64)
}

fn successors<M: Checked>(model: &M, s: &M::State) -> Vec<(u16, M::Action, M::State)> {
    let mut acts = Vec::new();
    model.actions(s, &mut acts);
    acts.into_iter()
        .enumerate()
        .filter_map(|(k, a)| model.next_state(s, a.clone()).map(|t| (k as u16, a, t)))
        .collect()
}

fn expand_batch<M: Checked>(
    model: &M,
    flat: &[(usize, &Check<M>)],
    seen: &Store<M::State>,
    range: std::ops::Range<usize>,
    por: bool,
    b: &mut Batch<M::State>,
) {
    let stride = seen.stride;
    // The ample set of the state being expanded (indices into its actions).
    let mut ample: Vec<usize> = Vec::new();
    let mut narrow: Vec<u8> = vec![0; stride];
    b.clear();
    let mut acts: Vec<M::Action> = Vec::new();
    // Packed states are decoded into one scratch state, whose allocations are reused.
    let mut scratch: Option<M::State> = None;
    // The model's records of the state being expanded and of a successor.
    let mut source: Vec<u8> = Vec::new();
    let mut record: Vec<u8> = Vec::new();
    let mut next: Option<M::State> = None;
    for (off, id) in range.enumerate() {
        let s: &M::State = if stride == 0 {
            &seen.states[id]
        } else {
            seen.widen(id, &mut source);
            match scratch.as_mut() {
                Some(x) => model.unpack_into(&source, x),
                None => scratch = Some(model.unpack(&source)),
            }
            scratch.as_ref().expect("decoded")
        };
        let off = off as u32;
        acts.clear();
        model.actions(s, &mut acts);
        ample.clear();
        if por {
            b.premise_broken |= !model.ample_premise(s);
            model.ample(s, &acts, &mut ample);
        }
        // Partial-order reduction: the state is expanded by its ample set only if every ample
        // successor is a state not stored yet or stored with a higher id (it will get one
        // above every id of this chunk). Then every transition of the explored graph that
        // leads to a state of no higher id leaves a fully expanded state, and as every cycle
        // has such a transition, every cycle of the explored graph has a fully expanded state:
        // the cycle proviso (C3) that keeps an action from being ignored around a cycle
        // (Clarke, Grumberg, Peled, Model Checking, §10; the breadth-first form of
        // Bošnački, Leue, Lluch-Lafuente 2009 with ids for the queue order).
        let reduce = !ample.is_empty()
            && ample.len() < acts.len()
            && ample.iter().all(|&k| {
                let t = next.get_or_insert_with(|| s.clone());
                if !model.next_state_into(s, acts[k].clone(), t) {
                    return false;
                }
                model.canonicalize(t);
                let found = if stride == 0 {
                    seen.find(Store::hash(&*t), t)
                } else {
                    record.resize(seen.wide, 0);
                    model.pack(t, &mut record);
                    if seen.try_narrow(&record, (&source, seen.record(id)), &mut narrow) {
                        seen.find_narrow(Store::<M::State>::hash_bytes(&narrow), &narrow)
                    } else {
                        // A part's value is new: so is the state.
                        None
                    }
                };
                found.is_none_or(|tid| tid > id)
            });
        b.reduced += usize::from(reduce);
        // Each successor is judged by the transition checks, then reduced to its representative
        // and stored (packed) at once: it is never moved through an intermediate list.
        let mut successors = 0usize;
        let mut edge_done = 0u64;
        for (k, a) in acts.drain(..).enumerate() {
            if reduce && !ample.contains(&k) {
                continue;
            }
            // A successor that is stored as it is is made afresh; one that is packed is made in
            // the batch's scratch successor, whose allocations every transition reuses.
            let mut owned: Option<M::State> = None;
            let t: &mut M::State = if stride == 0 {
                let Some(x) = model.next_state(s, a.clone()) else {
                    continue;
                };
                owned.insert(x)
            } else {
                let t = next.get_or_insert_with(|| s.clone());
                if !model.next_state_into(s, a.clone(), t) {
                    continue;
                }
                t
            };
            successors += 1;
            for (c, (_, check)) in flat.iter().enumerate() {
                // The first transition (in action order) on which a check fails.
                if let Check::OnStep(p) = check
                    && edge_done & (1 << c) == 0
                    && !p(model, s, &a, t)
                {
                    b.edge_hits.push((off, c, k as u16));
                    edge_done |= 1 << c;
                }
            }
            // The checks judged the concrete transition; the store keeps representatives.
            model.canonicalize(t);
            if stride == 0 {
                b.succ.push((k as u16, Store::hash(&*t)));
                b.states.push(owned.take().expect("made afresh"));
            } else {
                record.resize(seen.wide, 0);
                model.pack(t, &mut record);
                let at = b.packed.len();
                b.packed.resize(at + stride, 0);
                if seen.try_narrow(&record, (&source, seen.record(id)), &mut b.packed[at..]) {
                    b.succ
                        .push((k as u16, Store::<M::State>::hash_bytes(&b.packed[at..])));
                } else {
                    b.pending.push(b.succ.len() as u32);
                    b.wide.extend_from_slice(&record);
                    b.succ.push((k as u16, 0));
                }
            }
        }
        let mut hits = 0u64;
        for (c, (_, check)) in flat.iter().enumerate() {
            let fires = match check {
                Check::Always(p) => !p(model, s),
                Check::Sometimes(p) => p(model, s),
                Check::AtEnd(p) => successors == 0 && !p(model, s),
                Check::OnStep(_) | Check::Terminates => false,
            };
            if fires {
                hits |= 1 << c;
            }
        }
        if hits != 0 {
            b.state_hits.push((off, hits));
            if por && !model.ample_settled(s) {
                b.unsettled |= hits;
            }
        }
        if model.is_final(s) {
            b.finals.push(off);
        } else if successors == 0 && b.deadlock.is_none() {
            b.deadlock = Some(off);
        }
        b.ends.push(b.succ.len() as u32);
    }
}

/// How often a cycle of representatives is followed on concrete states before it must close
/// (the order of any permutation of up to 256 procedures' blocks is far below what one
/// exploration can hold; a bound keeps a defect from looping).
const MAX_ROUNDS: usize = 1 << 16;

/// The trace from an initial state to state `id`. With a reduction, the stored states are
/// representatives and `parent_act` numbers the actions of a representative: the trace is
/// replayed on concrete states instead, each step the action whose successor has the next
/// stored representative (a concrete state and its representative have the same successors up
/// to the symmetry, so one exists, and the trace is as short).
fn rebuild<M: Checked>(
    model: &M,
    seen: &Store<M::State>,
    parent: &Chunked<u32>,
    parent_act: &Chunked<u16>,
    id: u32,
    concrete: bool,
) -> Trace<M> {
    let mut ids = vec![id];
    let mut cur = id;
    while parent.get(cur as usize) != NONE {
        cur = parent.get(cur as usize);
        ids.push(cur);
    }
    ids.reverse();
    let mut t = Trace {
        states: vec![seen.get(model, ids[0] as usize).into_owned()],
        actions: Vec::new(),
        loop_start: None,
    };
    for &next in &ids[1..] {
        if concrete {
            let (a, s) = step_to(
                model,
                t.states.last().expect("non-empty"),
                &seen.get(model, next as usize),
            );
            t.actions.push(a);
            t.states.push(s);
        } else {
            extend_by(model, &mut t, parent_act.get(next as usize));
        }
    }
    t
}

/// With a reduction: extend a concrete trace, whose last state has representative `rep`, by
/// the concrete counterpart of the transition `rep --action k--> …` on which `check` fails.
fn extend_like<M: Checked>(
    model: &M,
    t: &mut Trace<M>,
    rep: &M::State,
    k: u16,
    check: fn(&M, &M::State, &M::Action, &M::State) -> bool,
) {
    let mut acts = Vec::new();
    model.actions(rep, &mut acts);
    let mut target = model
        .next_state(rep, acts[k as usize].clone())
        .expect("the hit's action is enabled");
    model.canonicalize(&mut target);
    let s = t.states.last().expect("non-empty trace").clone();
    let (a, next) = successors(model, &s)
        .into_iter()
        .find(|(_, a, n)| {
            let mut c = n.clone();
            model.canonicalize(&mut c);
            c == target && !check(model, &s, a, n)
        })
        .map(|(_, a, n)| (a, n))
        .expect("the symmetric transition fails the check too");
    t.actions.push(a);
    t.states.push(next);
}

/// Replay action number `k` of the last state of the trace.
fn extend_by<M: Checked>(model: &M, t: &mut Trace<M>, k: u16) {
    let s = t.states.last().expect("non-empty trace").clone();
    let mut acts = Vec::new();
    model.actions(&s, &mut acts);
    let a = acts[k as usize].clone();
    let next = model
        .next_state(&s, a.clone())
        .expect("replayed action is enabled");
    t.actions.push(a);
    t.states.push(next);
}

/// A trace kept from a run with partial-order reduction when a limit stopped the search for the
/// shortest one ([`shortest_traces`]) may take moves an ample set put first that its hit does
/// not need. They are removed: from the last to the first, each action is dropped if the rest of
/// the trace, replayed on the model, is still a run (every action one of its state's actions)
/// whose end fires the same check (a state check on its last state, a transition check on its
/// last transition). The result is a run of the model, as short or shorter.
fn shorten<M: Checked>(model: &M, t: &mut Trace<M>, check: &Check<M>) {
    let fires = |states: &[M::State], actions: &[M::Action]| -> bool {
        let last = states.last().expect("a trace has a state");
        match check {
            Check::Always(p) => !p(model, last),
            Check::Sometimes(p) => p(model, last),
            Check::OnStep(p) => match (actions.last(), states.len().checked_sub(2)) {
                (Some(a), Some(i)) => !p(model, &states[i], a, last),
                _ => false,
            },
            // A deadlock needs every move before it: nothing to drop.
            Check::AtEnd(_) | Check::Terminates => false,
        }
    };
    if t.loop_start.is_some() || !fires(&t.states, &t.actions) {
        return;
    }
    // A transition check's hit is its last action: that one stays.
    let keep_last = usize::from(matches!(check, Check::OnStep(_)));
    let mut j = t.actions.len().saturating_sub(keep_last);
    let mut states: Vec<M::State> = Vec::new();
    let mut acts: Vec<M::Action> = Vec::new();
    while j > 0 {
        j -= 1;
        // Replay the actions after j from the state before j.
        states.clear();
        states.push(t.states[j].clone());
        let replayed = t.actions[j + 1..].iter().all(|a| {
            // Enabled: one of the state's actions (the successor function alone may apply an
            // action the state does not offer).
            let last = states.last().expect("a state");
            acts.clear();
            model.actions(last, &mut acts);
            if !acts.contains(a) {
                return false;
            }
            match model.next_state(last, a.clone()) {
                Some(x) => {
                    states.push(x);
                    true
                }
                None => false,
            }
        });
        if replayed && fires(&states, &t.actions[j + 1..]) {
            t.actions.remove(j);
            t.states.truncate(j);
            t.states.append(&mut states);
        }
    }
}

/// The transition from `s` to a state whose representative is `target` (the state itself when
/// the model does not reduce).
fn step_to<M: Checked>(model: &M, s: &M::State, target: &M::State) -> (M::Action, M::State) {
    successors(model, s)
        .into_iter()
        .find(|(_, _, t)| {
            let mut c = t.clone();
            model.canonicalize(&mut c);
            c == *target
        })
        .map(|(_, a, t)| (a, t))
        .expect("cycle edge exists")
}

/// A cycle through non-final states only: returns the entry state and the cycle as a list of ids
/// starting and ending at the entry. Iterative DFS with colours over the stored edges.
fn find_cycle(
    n: usize,
    finals: &[u32],
    edge_start: &Chunked<u32>,
    edges: &Chunked<u32>,
) -> Option<(u32, Vec<u32>)> {
    let mut fin = vec![false; n];
    for &f in finals {
        fin[f as usize] = true;
    }
    // 0 white, 1 on stack, 2 done
    let mut colour = vec![0u8; n];
    let mut stack: Vec<(u32, u32)> = Vec::new();
    for root in 0..n {
        if colour[root] != 0 || fin[root] {
            continue;
        }
        stack.push((root as u32, edge_start.get(root)));
        colour[root] = 1;
        while let Some(&mut (v, ref mut e)) = stack.last_mut() {
            let end = edge_start.get(v as usize + 1);
            if *e < end {
                let w = edges.get(*e as usize);
                *e += 1;
                if fin[w as usize] {
                    continue;
                }
                match colour[w as usize] {
                    0 => {
                        colour[w as usize] = 1;
                        stack.push((w, edge_start.get(w as usize)));
                    }
                    1 => {
                        let pos = stack.iter().position(|(x, _)| *x == w).expect("on stack");
                        let mut cycle: Vec<u32> = stack[pos..].iter().map(|(x, _)| *x).collect();
                        cycle.push(w);
                        return Some((w, cycle));
                    }
                    _ => {}
                }
            } else {
                colour[v as usize] = 2;
                stack.pop();
            }
        }
    }
    None
}

impl std::fmt::Display for Progress {
    /// The live progress line: `1234567 states (1.3 M/s), depth 45, queue 12345, memory
    /// 120.5M, 3.2 s`, short enough for an 80-column terminal up to millions of states.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let secs = self.elapsed.as_secs_f64();
        let rate = if secs > 0.0 {
            self.states as f64 / secs
        } else {
            0.0
        };
        let rate = if rate >= 1e6 {
            format!("{:.1} M/s", rate / 1e6)
        } else if rate >= 1e3 {
            format!("{:.1} K/s", rate / 1e3)
        } else {
            format!("{rate:.0}/s")
        };
        write!(
            f,
            "{} states ({rate}), depth {}, queue {}, memory {}, {secs:.1} s",
            self.states,
            self.depth,
            self.queue,
            human_bytes(self.memory)
        )
    }
}

#[cfg(test)]
mod tests {
    //! The packed visited set (records, parts stored once, ids only in the table) against the
    //! plain one, on a toy model with levels wide enough for the search for duplicates: the
    //! same states, transitions, verdicts, shortest counterexample and lasso.
    use super::*;

    /// Six counters 0..=6, each step raising one; from all sixes, the last counter drops to
    /// zero (a cycle). `packed`: states are stored as bytes, counters 1–2 and 4–5 as parts.
    struct Grid {
        packed: bool,
    }

    impl Model for Grid {
        type State = [u8; 6];
        type Action = usize;
        fn init_states(&self) -> Vec<[u8; 6]> {
            vec![[0; 6]]
        }
        fn actions(&self, s: &[u8; 6], out: &mut Vec<usize>) {
            out.extend((0..6).filter(|&i| s[i] < 6));
            if s.iter().all(|&c| c == 6) {
                out.push(6);
            }
        }
        fn next_state(&self, s: &[u8; 6], a: usize) -> Option<[u8; 6]> {
            let mut t = *s;
            if a == 6 {
                t[5] = 0;
            } else {
                t[a] += 1;
            }
            Some(t)
        }
    }

    impl Checked for Grid {
        fn is_final(&self, _s: &[u8; 6]) -> bool {
            false
        }
        fn describe(&self, _s: &[u8; 6], a: &usize, _t: &[u8; 6]) -> String {
            format!("{a}")
        }
        fn summary(&self, s: &[u8; 6]) -> String {
            format!("{s:?}")
        }
        fn packed_len(&self) -> Option<usize> {
            self.packed.then_some(6)
        }
        fn packed_parts(&self) -> Vec<std::ops::Range<usize>> {
            vec![1..3, 4..6]
        }
        fn pack(&self, s: &[u8; 6], out: &mut [u8]) {
            out.copy_from_slice(s);
        }
        fn unpack(&self, b: &[u8]) -> [u8; 6] {
            b.try_into().expect("6 bytes")
        }
    }

    fn claims() -> Vec<Claim<Grid>> {
        let claim = |name, checks: Vec<Check<Grid>>| Claim {
            name,
            kind: Kind::Always,
            doc: "",
            section: "",
            checks,
            applies: |_| true,
        };
        vec![
            claim(
                "below-five",
                vec![Check::Always(|_, s: &[u8; 6]| s.iter().any(|&c| c < 5))],
            ),
            claim("ends", vec![Check::Terminates]),
            claim(
                "steps-up",
                vec![Check::OnStep(|_, s: &[u8; 6], _, t: &[u8; 6]| {
                    t.iter().sum::<u8>() > s.iter().sum::<u8>()
                })],
            ),
        ]
    }

    #[test]
    fn packed_and_plain_stores_agree() {
        let limits = Limits::default();
        let plain = explore(&Grid { packed: false }, &claims(), &limits);
        let packed = explore(&Grid { packed: true }, &claims(), &limits);
        assert_eq!(plain.stats.unique_states, 7usize.pow(6));
        assert_eq!(packed.stats.unique_states, plain.stats.unique_states);
        assert_eq!(packed.stats.transitions, plain.stats.transitions);
        for (p, q) in plain.results.iter().zip(&packed.results) {
            assert_eq!(p.verdict, Verdict::Violated, "{}", p.name);
            assert_eq!(q.verdict, p.verdict, "{}", p.name);
            let (p, q) = (p.trace.as_ref().unwrap(), q.trace.as_ref().unwrap());
            assert_eq!(q.states, p.states);
            assert_eq!(q.actions, p.actions);
            assert_eq!(q.loop_start, p.loop_start);
        }
        // The shortest counterexample of `below-five` climbs to five everywhere: 30 steps,
        // found after the store was packed.
        assert_eq!(packed.results[0].trace.as_ref().unwrap().len(), 30);
        assert!(
            packed.results[1]
                .trace
                .as_ref()
                .unwrap()
                .loop_start
                .is_some()
        );
        // Records: 2 inline bytes and two part numbers, and parts of 49 values each.
        assert!(packed.stats.bytes_per_state < plain.stats.bytes_per_state);
    }

    /// A run that would number more states or transitions than the explorer can ends as
    /// inconclusive before anything wraps (the capacity lowered to see it).
    #[test]
    fn a_run_past_the_capacity_is_inconclusive() {
        for packed in [false, true] {
            let limits = Limits {
                capacity: Some(100_000),
                ..Limits::default()
            };
            let out = explore(&Grid { packed }, &claims()[1..], &limits);
            assert_eq!(out.cut_short, Some(LimitHit::Capacity { max: 100_000 }));
            assert!(out.stats.unique_states <= 100_000);
            // Both are violated only by the move back from all sixes, past the capacity.
            assert_eq!(out.results[0].verdict, Verdict::Inconclusive);
            assert_eq!(out.results[1].verdict, Verdict::Inconclusive);
            assert_eq!(out.exit_code(), 3);
        }
    }

    /// A component that toggles forever (`a`, always enabled, an ample set on its own) beside
    /// a counter `b` that a claim watches. Without the cycle proviso the reduced graph would
    /// toggle between two states and never move `b`: the claim would be verified wrongly.
    struct Toggle {
        /// Offer ample sets.
        por: bool,
        /// The ample sets' premise fails once `b` reaches 2.
        premise_breaks: bool,
    }

    impl Model for Toggle {
        type State = [u8; 2];
        type Action = usize;
        fn init_states(&self) -> Vec<[u8; 2]> {
            vec![[0, 0]]
        }
        fn actions(&self, s: &[u8; 2], out: &mut Vec<usize>) {
            out.push(0);
            if s[1] < 3 {
                out.push(1);
            }
        }
        fn next_state(&self, s: &[u8; 2], a: usize) -> Option<[u8; 2]> {
            let mut t = *s;
            match a {
                0 => t[0] ^= 1,
                _ => t[1] += 1,
            }
            Some(t)
        }
    }

    impl Checked for Toggle {
        fn is_final(&self, _s: &[u8; 2]) -> bool {
            false
        }
        fn describe(&self, _s: &[u8; 2], a: &usize, _t: &[u8; 2]) -> String {
            format!("{a}")
        }
        fn summary(&self, s: &[u8; 2]) -> String {
            format!("{s:?}")
        }
        fn partial_order(&self) -> Option<String> {
            self.por.then(|| "toggle first".to_string())
        }
        fn ample(&self, _s: &[u8; 2], acts: &[usize], out: &mut Vec<usize>) {
            out.extend(acts.iter().position(|&a| a == 0));
        }
        fn ample_premise(&self, s: &[u8; 2]) -> bool {
            !self.premise_breaks || s[1] < 2
        }
        fn ample_settled(&self, _s: &[u8; 2]) -> bool {
            false
        }
    }

    fn below_three() -> Vec<Claim<Toggle>> {
        vec![Claim {
            name: "b-below-three",
            kind: Kind::Always,
            doc: "",
            section: "",
            checks: vec![Check::Always(|_, s: &[u8; 2]| s[1] < 3)],
            applies: |_| true,
        }]
    }

    /// The cycle proviso: states whose ample successor is older are expanded fully, so the
    /// counter moves and the violation is found, with the shortest trace (searched again
    /// without the reduction, as the check fires in unsettled states).
    #[test]
    fn the_cycle_proviso_keeps_a_move_from_being_ignored() {
        let limits = Limits::default();
        let full = explore(
            &Toggle {
                por: false,
                premise_breaks: false,
            },
            &below_three(),
            &limits,
        );
        let m = Toggle {
            por: true,
            premise_breaks: false,
        };
        let reduced = explore(&m, &below_three(), &limits);
        for o in [&full, &reduced] {
            assert_eq!(o.results[0].verdict, Verdict::Violated);
            let t = o.results[0].trace.as_ref().unwrap();
            assert_eq!(t.actions, [1, 1, 1]);
            assert!(o.results[0].shortest);
        }
        assert!(reduced.stats.reduction_ample > 0);
        assert!(
            reduced
                .stats
                .reduction
                .as_deref()
                .unwrap()
                .contains("toggle first")
        );
        assert!(reduced.stats.unique_states <= full.stats.unique_states);
    }

    /// A premise that fails in a reachable state: the run is the unreduced one.
    #[test]
    fn a_broken_premise_explores_without_the_reduction() {
        let limits = Limits::default();
        let full = explore(
            &Toggle {
                por: false,
                premise_breaks: false,
            },
            &below_three(),
            &limits,
        );
        let again = explore(
            &Toggle {
                por: true,
                premise_breaks: true,
            },
            &below_three(),
            &limits,
        );
        assert_eq!(again.stats.reduction, None);
        assert_eq!(again.stats.reduction_ample, 0);
        assert_eq!(again.stats.unique_states, full.stats.unique_states);
        assert_eq!(again.stats.transitions, full.stats.transitions);
        assert_eq!(
            again.results[0].trace.as_ref().unwrap().actions,
            full.results[0].trace.as_ref().unwrap().actions
        );
    }
}
