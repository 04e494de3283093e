//! The test harness every module shares: running the binary ([`run`]), golden files
//! ([`golden`]), scratch directories ([`scratch`]), the OpenSAF tree of `SMFCHECK_OPENSAF`
//! ([`opensaf`]), the model manifests under `models/` ([`manifest`]), the seeded mutants and
//! their killing claims ([`mutants`]), step models built from the library ([`step`]), the
//! verdicts of a JSON report ([`verdicts`]) and a running Explorer ([`explorer`]). Everything is re-exported here, so a module writes
//! `use super::support::*;` or names what it uses.

pub mod explorer;
pub mod golden;
pub mod manifest;
pub mod mutants;
pub mod opensaf;
pub mod run;
pub mod scratch;
pub mod step;
pub mod verdicts;

pub use explorer::{Explorer, base_type_model, get, write_counterexample};
pub use golden::{assert_golden, golden_differs};
pub use mutants::KILLS;
pub use opensaf::{CORPUS_ORPHANS, opensaf, opensaf_as_is, opensaf_or};
pub use run::{BIN, ROOT, Smfcheck, models, smfcheck, smfcheck_in};
pub use scratch::{Scratch, scratch};
pub use step::{check, letters, model, mutant, verdict};
pub use verdicts::claim_verdicts;
