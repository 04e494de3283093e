//! One integration-test binary (one link step, shared helpers in support/): each module pins one aspect of smfcheck.

/// The bad-input corpus (tests/bad-inputs/MANIFEST): malformed XML, positions and encodings,
/// orphan IMM objects, deep nesting and large inputs — each refused with exit 2 and file:line.
mod bad_inputs;
/// `smfcheck explore` in headless chromium: open a counterexample, follow it, screenshot.
mod browser;
/// Campaign and procedure FSMs composed with the step core.
mod campaign;
/// `smfcheck check` on the thesis models: trace lines, the case study's catching, declared outages.
mod check_models;
/// The binary end to end: trace lines, property files, exit codes, bad input.
mod cli;
/// Completions, the manual and each subcommand's example, generated from the clap definitions.
mod cli_docs;
/// The OpenSAF corpus campaigns `smfcheck check` refuses, each with its recorded reason.
mod corpus_check;
/// `smfcheck explore` over HTTP: SMF action labels, claims per state, sequence diagrams, traces.
mod explore;
/// Small generated PLM/AMF systems (IMM XML) for the generator's tests.
mod gen_systems;
/// `smfcheck generate`: the case study's figures, random source/target pairs that verify, a
/// broken order caught, bad input refused.
mod generate;
/// Random valid embedded steps: the explorer terminates and the `always` claims hold.
mod generated;
/// `smfcheck graph` golden files: step FSMs and campaign structure (DOT, Mermaid), traces.
mod graph;
/// Hardening of the command line (#13): outputs, resource limits, untrusted traces, the explore
/// server under resets and descriptor exhaustion.
mod hardening_cli;
/// The IMM ledger: every object a campaign's custom actions touch, compared and named.
mod im_ledger;
/// Size boundaries of the explored state and references a campaign makes: refused, never
/// wrapped.
mod limits;
/// The model manifests (models/**/expect.json): every run's exit code, counts and verdicts, and
/// the READMEs' tables agree with them.
mod manifests;
/// The thesis example models (models/*/): they parse, every DN resolves, and replaying each
/// campaign on its configuration reaches the state its README states.
mod models_inputs;
/// Seeded defects in the tables and the FSM core, each killed by a named claim.
mod mutants;
/// Step-model verdicts under a base-type change, and their shortest counterexamples.
mod pins;

/// The compact encoding of campaign states is a bijection.
mod compact;
/// Symmetry reduction keeps every verdict, trace length and exit code.
mod reduction;
/// Report formats (golden), saved traces and replay, limits, progress and exit codes.
mod reports;
/// Damaged real inputs are errors, never panics.
mod robustness;
/// `check --shard I/N` and `merge`: shards as processes merge to the unsharded verdicts.
mod shards;
/// Every counterexample and witness is as short as an independent reference BFS says.
mod shortest;
/// The soundness models (models/soundness/): where violations are caught, seeded semantic
/// defects, refusals, the administrator's suspensions and retries.
mod soundness;
/// The standard step FSM (§2.8.6) is exactly the degree-1 case of the modified FSM (§4.4.1).
mod standard_fsm;
/// Our explorer visits exactly as many states as stateright's own BFS checker.
mod stateright_counts;
/// The shared harness: the binary runner, golden files, scratch directories, the OpenSAF tree,
/// the manifests, the mutant table, step-model builders, the Explorer process.
mod support;
/// The typed system configuration read from IMM.
mod system;
/// Verdicts, counts and traces identical on one and two threads.
mod threads;
/// Campaign and IMM XML: the OpenSAF corpus parses, bad input is reported with file:line.
mod xml;
