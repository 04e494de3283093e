//! The text report: a verdict table (property, kind, verdict, length of witness or
//! counterexample), the statistics, and every counterexample as numbered steps in SMF terms.

use crate::check::{Checked, Claim, Outcome, Trace, Verdict};
use std::fmt::Write;

pub fn render_trace<M: Checked>(model: &M, t: &Trace<M>) -> String {
    let mut out = String::new();
    for (i, a) in t.actions.iter().enumerate() {
        if t.loop_start == Some(i) {
            out.push_str("   -- cycle starts here --\n");
        }
        let _ = writeln!(
            out,
            "{:>4}  {}",
            i + 1,
            model.describe(&t.states[i], a, &t.states[i + 1])
        );
    }
    if t.loop_start.is_some() {
        out.push_str("   -- back to the start of the cycle --\n");
    }
    let last = t.states.last().expect("trace has a state");
    let _ = writeln!(out, "  end state:");
    for line in model.summary(last).lines() {
        let _ = writeln!(out, "    {line}");
    }
    out
}

pub fn render<M: Checked>(
    model: &M,
    title: &str,
    claims: &[Claim<M>],
    outcome: &Outcome<M>,
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{title}\n");
    let w = claims
        .iter()
        .map(|e| e.name.len())
        .max()
        .unwrap_or(8)
        .max(8);
    let _ = writeln!(
        out,
        "{:<w$}  {:<17}  {:<12}  {:>6}  section",
        "property", "kind", "verdict", "length"
    );
    for (e, r) in claims.iter().zip(&outcome.results) {
        let len = r
            .trace
            .as_ref()
            .map(|t| t.len().to_string())
            .unwrap_or_else(|| "-".into());
        let _ = writeln!(
            out,
            "{:<w$}  {:<17}  {:<12}  {:>6}  {}",
            e.name,
            e.kind.word(),
            r.verdict.word(),
            len,
            e.section
        );
    }
    let s = &outcome.stats;
    // Next to the tables' estimate, what the process really held (large runs only, see
    // `PEAK_RSS_MIN_STATES`): the tables leave out the heap parts of the states.
    let peak = s
        .peak_rss_per_state()
        .map(|(rss, per)| format!(", {per:.0} B/state (peak RSS {})", super::human_bytes(rss)))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "\nstatistics: {} unique states, {} transitions, depth {}, {:.3} s, {:.0} states/s, {} B/state (state), {:.0} B/state (explorer){peak}, {} threads",
        s.unique_states,
        s.transitions,
        s.max_depth,
        s.elapsed.as_secs_f64(),
        s.states_per_sec(),
        s.state_bytes,
        s.bytes_per_state,
        s.threads
    );
    match &outcome.cut_short {
        Some(limit) => {
            let _ = writeln!(
                out,
                "exploration: INCOMPLETE ({}); undecided claims are inconclusive",
                super::limit_message(limit)
            );
        }
        None => {
            let _ = writeln!(out, "exploration: exhaustive (states stored exactly)");
        }
    }
    if let Some(r) = &s.reduction {
        let _ = writeln!(out, "reduction: {r}");
    }
    for (e, r) in claims.iter().zip(&outcome.results) {
        let Some(t) = &r.trace else { continue };
        let what = match r.verdict {
            Verdict::Violated => "counterexample",
            Verdict::Witnessed => continue,
            _ => "trace",
        };
        let _ = writeln!(
            out,
            "\n{what} for {} ({} steps, {}): {}",
            e.name,
            t.len(),
            if r.shortest {
                "shortest"
            } else {
                "not proven shortest: a limit stopped the search"
            },
            e.doc
        );
        out.push_str(&render_trace(model, t));
    }
    for (e, r) in claims.iter().zip(&outcome.results) {
        if r.verdict == Verdict::Unreachable {
            let _ = writeln!(
                out,
                "\n{} is UNREACHABLE under these bounds ({}); raise --faults if it needs more failures",
                e.name, e.doc
            );
        }
    }
    out
}
