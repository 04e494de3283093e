//! The reports of an exploration, apart from the explorer that decides them ([`crate::check`]
//! returns typed outcomes; these modules word them): [`text`] for people, [`json`] (schema
//! `smfcheck-report/1`, docs/report-schema.md) for tools, and [`junit`] and [`sarif`] rendered
//! from the JSON report so that the machine-readable three never disagree.

pub mod json;
pub mod junit;
pub mod merge;
pub mod sarif;
pub mod text;

use crate::check::{DEFAULT_MEMORY_PERCENT, LimitHit, human_bytes};

/// What a limit that cut a run short says in a report: the flag and its value, and for memory
/// what was in use (and whether the limit was the default, which the user may not know of).
pub fn limit_message(limit: &LimitHit) -> String {
    match *limit {
        LimitHit::MaxStates { max } => format!("--max-states {max} reached"),
        LimitHit::Timeout { limit } => format!("--timeout {}s reached", limit.as_secs()),
        LimitHit::MaxMemory {
            max,
            in_use,
            is_default,
        } => format!(
            "--max-memory {} reached ({} in use{}): memory limit",
            human_bytes(max),
            human_bytes(in_use),
            if is_default {
                format!("; the default, {DEFAULT_MEMORY_PERCENT} % of physical memory")
            } else {
                String::new()
            }
        ),
        LimitHit::Capacity { max } => format!(
            "the explorer's capacity reached: it numbers at most {max} states and as many transitions"
        ),
    }
}
