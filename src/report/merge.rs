//! `smfcheck merge`: the JSON reports of `check --shard I/N` for I = 1..N combined into the
//! report of the whole campaign. Every run of a campaign starts from one of its initial states
//! (the placements AMF and the hypervisors may have chosen), and the shards partition them, so
//! the states reachable in the whole model are the union of the shards' — and a claim checked on
//! every reachable state or path holds in the whole model exactly when it holds in every shard:
//! * `always`, `always+eventually`, `termination`: violated when some shard's is, with the
//!   shortest counterexample among the shards (shortest in the whole model: a shortest
//!   counterexample starts from some initial state, and that state's shard finds it or a
//!   shorter one); otherwise inconclusive when some shard's is; otherwise verified;
//! * `reachable`: witnessed when some shard's is (the shortest witness); otherwise inconclusive
//!   when some shard's is; otherwise unreachable;
//! * not applicable stays not applicable.
//!
//! State and transition counts are the shards' sums: a state reachable from initial states of
//! several shards is counted in each, so the sum bounds the whole model's count from above
//! (the merged report says so). Every shard 1..N must be there exactly once, from the same
//! command on the same campaign and claims; anything else is refused.

use super::json::{Report, Statistics};
use std::fmt::Write as _;

/// The merged report, or why the reports do not form one sharded run.
pub fn merge(reports: &[(String, Report)]) -> Result<Report, String> {
    let (first_name, first) = reports.first().ok_or("no report to merge")?;
    let count = first
        .shard
        .ok_or_else(|| format!("{first_name}: not a report of `check --shard I/N`"))?
        .count;
    let mut seen = vec![false; count as usize];
    for (name, r) in reports {
        let Some(sh) = r.shard else {
            return Err(format!("{name}: not a report of `check --shard I/N`"));
        };
        if sh.count != count {
            return Err(format!(
                "{name}: shard {}/{} of another split than {first_name} ({}/{count})",
                sh.index,
                sh.count,
                first.shard.map_or(0, |s| s.index)
            ));
        }
        if r.command != first.command
            || r.input != first.input
            || base(&r.title) != base(&first.title)
        {
            return Err(format!(
                "{name}: another run than {first_name} (`{}` against `{}`)",
                r.title, first.title
            ));
        }
        let names = |r: &Report| {
            r.properties
                .iter()
                .map(|p| p.name.clone())
                .collect::<Vec<_>>()
        };
        if names(r) != names(first) {
            return Err(format!("{name}: other properties than {first_name}"));
        }
        let k = (sh.index as usize).wrapping_sub(1);
        if k >= seen.len() {
            return Err(format!(
                "{name}: shard {}/{count} is out of range",
                sh.index
            ));
        }
        if std::mem::replace(&mut seen[k], true) {
            return Err(format!("{name}: shard {}/{count} given twice", sh.index));
        }
    }
    let missing: Vec<String> = (0..count as usize)
        .filter(|&k| !seen[k])
        .map(|k| format!("{}/{count}", k + 1))
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "shard{} {} missing: the merged verdict needs every part of the initial states",
            if missing.len() > 1 { "s" } else { "" },
            missing.join(", ")
        ));
    }
    let mut out = first.clone();
    out.shard = None;
    out.title = format!("{} — merged from {count} shards", base(&first.title));
    out.notes = reports.iter().flat_map(|(_, r)| r.notes.clone()).collect();
    out.exploration.exhaustive = reports.iter().all(|(_, r)| r.exploration.exhaustive);
    out.exploration.limit = reports
        .iter()
        .find_map(|(_, r)| r.exploration.limit.clone());
    for (i, p) in out.properties.iter_mut().enumerate() {
        let all: Vec<&super::json::PropertyReport> =
            reports.iter().map(|(_, r)| &r.properties[i]).collect();
        let any = |w: &str| all.iter().any(|q| q.verdict == w);
        let shortest =
            |f: fn(&super::json::PropertyReport) -> Option<&super::json::TraceReport>| {
                all.iter()
                    .filter_map(|q| f(q))
                    .min_by_key(|t| t.length)
                    .cloned()
            };
        (p.verdict, p.counterexample, p.witness) = if any("violated") {
            (
                "violated".into(),
                shortest(|q| q.counterexample.as_ref()),
                None,
            )
        } else if any("witnessed") {
            ("witnessed".into(), None, shortest(|q| q.witness.as_ref()))
        } else if any("inconclusive") {
            ("inconclusive".into(), None, None)
        } else if all.iter().all(|q| q.verdict == "not-applicable") {
            ("not-applicable".into(), None, None)
        } else if p.kind == "reachable" {
            ("unreachable".into(), None, None)
        } else {
            ("verified".into(), None, None)
        };
    }
    out.exit_code = if out
        .properties
        .iter()
        .any(|p| p.verdict == "violated" || p.verdict == "unreachable")
    {
        1
    } else if !out.exploration.exhaustive
        || out.properties.iter().any(|p| p.verdict == "inconclusive")
    {
        3
    } else {
        0
    };
    out.verdict = super::json::overall_word(out.exit_code).to_string();
    let stats: Vec<&Statistics> = reports
        .iter()
        .filter_map(|(_, r)| r.statistics.as_ref())
        .collect();
    if let Some(s) = out.statistics.as_mut() {
        s.unique_states = stats.iter().map(|x| x.unique_states).sum();
        s.transitions = stats.iter().map(|x| x.transitions).sum();
        s.max_depth = stats.iter().map(|x| x.max_depth).max().unwrap_or(0);
        s.elapsed_seconds = stats.iter().map(|x| x.elapsed_seconds).sum();
        s.states_per_second = if s.elapsed_seconds > 0.0 {
            (s.unique_states as f64 / s.elapsed_seconds).round()
        } else {
            0.0
        };
        s.peak_rss_bytes = stats.iter().filter_map(|x| x.peak_rss_bytes).max();
        s.peak_rss_bytes_per_state = None;
    }
    Ok(out)
}

/// A title without its `; shard I/N` part.
fn base(title: &str) -> String {
    match title.rfind("; shard ") {
        Some(k) => {
            let rest = &title[k..];
            let close = rest.find(')').unwrap_or(rest.len());
            format!("{}{}", &title[..k], &rest[close..])
        }
        None => title.to_string(),
    }
}

/// The merged verdict table (the counterexamples are in the shards' own reports; the shortest
/// is named here with its length).
pub fn render(r: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}\n", r.title);
    let w = r
        .properties
        .iter()
        .map(|p| p.name.len())
        .max()
        .unwrap_or(8)
        .max(8);
    let _ = writeln!(
        out,
        "{:<w$}  {:<17}  {:<12}  {:>6}  section",
        "property", "kind", "verdict", "length"
    );
    for p in &r.properties {
        let len = p
            .counterexample
            .as_ref()
            .or(p.witness.as_ref())
            .map_or("-".to_string(), |t| t.length.to_string());
        let verdict = match p.verdict.as_str() {
            "violated" => "VIOLATED".to_string(),
            v => v.to_string(),
        };
        let _ = writeln!(
            out,
            "{:<w$}  {:<17}  {:<12}  {:>6}  {}",
            p.name, p.kind, verdict, len, p.section
        );
    }
    if let Some(s) = &r.statistics {
        let _ = writeln!(
            out,
            "\nstatistics: {} unique states, {} transitions over the shards (a state reachable from several shards' initial states is counted in each), depth {}",
            s.unique_states, s.transitions, s.max_depth
        );
    }
    let _ = writeln!(
        out,
        "exploration: {}",
        if r.exploration.exhaustive {
            "exhaustive in every shard (states stored exactly)"
        } else {
            "cut short in some shard: inconclusive"
        }
    );
    out
}
