//! # smfcheck — a model checker for SA Forum SMF upgrade campaigns
//!
//! smfcheck encodes the upgrade-step FSMs of the SMF specification and of the thesis
//! *Upgrade of lower layers* (Katihar 2014) as transition systems over real layer state, explores
//! every reachable state with injected faults, retries, undo and rollback, and reports each named
//! claim as verified, or violated with the shortest counterexample in SMF terms.
//!
//! A tour:
//! * [`step::action`] — actions, Table 2.1 reverses, and their effect on a layer;
//! * [`step::table`] — the step types as rows of phase-tagged actions and rollback rows;
//! * [`step::embed`] — embedded steps (§4.1.3): rules of embedding, compiled walks;
//! * [`step::fsm`] — the one FSM core (§4.4.1; the standard §2.8.6 FSM is its n = 1 case);
//! * [`step::model`] — the step with its environment (procedure, administrator, faults) as a
//!   stateright `Model`;
//! * [`check`] — the sound explorer; [`report`] — its outcomes as text, JSON, JUnit and SARIF;
//!   [`properties`] — the claim registry;
//! * [`graph`] — the FSM of a nested step (DOT, Mermaid), derived from exploration, and a
//!   campaign's procedure/step structure;
//! * [`browse`] — the stateright Explorer over our models (`smfcheck explore`, browsing only),
//!   and paths as sequence diagrams (SVG, Mermaid);
//! * [`input`] — checked reading of input files; [`output`] — atomic output files and a
//!   standard output that survives a closed pipe;
//! * [`tracefile`] — saved counterexamples (`--trace-out`) and their replay on the current model;
//! * [`ucs`] — the campaign document's domain types (SMF Upgrade Campaign Specification), read
//!   by [`xml`];
//! * [`campaign`] — campaigns on real configurations; [`generate`] — the Chapter 6 generator;
//! * [`spec`] — the options that define a model (serde types: the command line fills them, a
//!   saved trace stores them); [`load`] — the one pipeline from a spec to a model;
//!   [`claim_sets`] — the default claim sets, from `properties/*.props`;
//! * [`cli`] — the command line: clap definitions, conversion to specs, dispatch.

pub mod browse;
pub mod campaign;
pub mod check;
pub mod claim_sets;
pub mod cli;
pub mod error;
pub mod generate;
pub mod graph;
pub mod input;
pub mod load;
pub mod output;
pub mod properties;
pub mod report;
pub mod spec;
pub mod step;
pub mod system;
pub mod tracefile;
pub mod ucs;
pub mod xml;
