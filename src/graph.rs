//! The FSM of one nested step, derived from exploration rather than drawn by hand: every
//! reachable transition of the step model is projected onto the states of nested step k and
//! labelled "input / output" in the notation of the thesis (§2.8.6 conventions; Fig. 2.6, 4.3,
//! 4.4). Transitions that neither change the step's FSM state nor exchange a signal (the actions
//! executed inside Executing, Undoing, …, and the Phase-complete self-loop of the innermost
//! step) are internal and left out. Output as Graphviz DOT or Mermaid `stateDiagram-v2`.
//!
//! Also a campaign's procedure/step structure (execution levels, procedures, steps, the nested
//! steps of an embedded step and the EEs and SUs each acts on), from the built campaign model,
//! as DOT or a Mermaid flowchart.

use crate::campaign::model::CampaignModel;
use crate::step::fsm::{Move, Msg, StepState};
use crate::step::model::{StepAction, StepModel, StepSysState, settle_event};
use rustc_hash::FxHashSet;
use stateright::Model;
use std::collections::BTreeSet;
use std::fmt::Write;

/// A labelled FSM edge of one nested step.
pub type Edge = (StepState, String, StepState);

fn peer(other: u8) -> String {
    // Step numbers are 1-based in messages; 0 is the procedure.
    if other == 0 {
        "Proc".into()
    } else {
        format!("Step {other}")
    }
}

fn relative(k: usize, other: u8) -> String {
    let me = k as u8 + 1;
    if other == 0 {
        "Proc".into()
    } else if other < me {
        "outer".into()
    } else {
        "inner".into()
    }
}

fn output(k: usize, s: &StepSysState, t: &StepSysState, generic: bool) -> Option<String> {
    match t.run.msg {
        Some(Msg { from, to, sig }) if from == k as u8 + 1 && s.run.msg != t.run.msg => {
            let who = if generic { relative(k, to) } else { peer(to) };
            Some(format!("{who}: {}", sig.name()))
        }
        _ => None,
    }
}

/// The projection of one transition onto nested step `k`, if it is visible there.
pub fn project(
    s: &StepSysState,
    a: &StepAction,
    t: &StepSysState,
    k: usize,
    generic: bool,
) -> Option<Edge> {
    let (from, to) = (s.run.steps[k].st, t.run.steps[k].st);
    let input = match a {
        StepAction::Step(Move::Deliver) => {
            let msg = s.run.msg?;
            if msg.to != k as u8 + 1 {
                return None;
            }
            let who = if generic {
                relative(k, msg.from)
            } else {
                peer(msg.from)
            };
            format!("{who}: {}", msg.sig.name())
        }
        StepAction::Step(Move::Run { step, fail }) if *step as usize == k => {
            if !fail {
                if from == to {
                    return None;
                }
                "Done".into()
            } else if matches!(from, StepState::Executing | StepState::RollingBack) {
                "Failure".into()
            } else {
                "Undo Failure".into()
            }
        }
        StepAction::Step(Move::Settle { step }) if *step as usize == k => {
            settle_event(from, to, s.run.steps[k].phase, t.run.steps[k].phase).to_string()
        }
        _ => return None,
    };
    let out = output(k, s, t, generic);
    if from == to && out.is_none() && !matches!(a, StepAction::Step(Move::Deliver)) {
        return None;
    }
    let label = match out {
        Some(o) => format!("{input} / {o}"),
        None => input,
    };
    // Drop the bookkeeping part of the label so that n = 1 reads like Fig. 2.6.
    let label = label.replace("Phase-complete / phase := 1", "Phase-complete");
    if from == to && label == "Phase-complete" {
        return None;
    }
    Some((from, label, to))
}

/// Every reachable labelled edge of nested step `k` (0-based) of `m`.
pub fn step_edges(m: &StepModel, k: usize, generic: bool) -> BTreeSet<Edge> {
    let mut seen: FxHashSet<StepSysState> = FxHashSet::default();
    let mut queue: Vec<StepSysState> = m.init_states();
    seen.extend(queue.iter().copied());
    let mut edges = BTreeSet::new();
    let mut acts = Vec::new();
    while let Some(s) = queue.pop() {
        acts.clear();
        m.actions(&s, &mut acts);
        for a in &acts {
            if let Some(t) = m.next_state(&s, *a) {
                if let Some(e) = project(&s, a, &t, k, generic) {
                    edges.insert(e);
                }
                if seen.insert(t) {
                    queue.push(t);
                }
            }
        }
    }
    edges
}

/// Graphviz DOT for nested step `k`.
pub fn dot(m: &StepModel, k: usize) -> String {
    let edges = step_edges(m, k, m.degree() > 1);
    let mut states: BTreeSet<StepState> = BTreeSet::new();
    for (a, _, b) in &edges {
        states.insert(*a);
        states.insert(*b);
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "// FSM of nested step {} of the embedded step {} (derived by smfcheck from exploration)",
        k + 1,
        m.step()
    );
    let _ = writeln!(
        out,
        "digraph step_fsm {{\n  rankdir=TB;\n  node [shape=circle];"
    );
    for st in &states {
        let shape = match st {
            StepState::Initial => ", shape=doublecircle",
            s if is_final(*s) => ", penwidth=3",
            _ => "",
        };
        let _ = writeln!(out, "  \"{}\" [label=\"{}\"{shape}];", st.name(), st.name());
    }
    for (a, l, b) in &edges {
        let _ = writeln!(
            out,
            "  \"{}\" -> \"{}\" [label=\"{}\"];",
            a.name(),
            b.name(),
            l
        );
    }
    out.push_str("}\n");
    out
}

fn is_final(s: StepState) -> bool {
    matches!(
        s,
        StepState::Failed
            | StepState::RolledBack
            | StepState::RollbackUndone
            | StepState::RollbackPartialUndone
            | StepState::RollbackFailed
    )
}

/// A Mermaid identifier for an FSM state (its variant name has no spaces).
fn mermaid_id(s: StepState) -> String {
    format!("{s:?}")
}

/// Mermaid `stateDiagram-v2` for nested step `k`: the same edges as [`dot`].
pub fn mermaid(m: &StepModel, k: usize) -> String {
    let edges = step_edges(m, k, m.degree() > 1);
    let mut states: BTreeSet<StepState> = BTreeSet::new();
    for (a, _, b) in &edges {
        states.insert(*a);
        states.insert(*b);
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "---\ntitle: FSM of nested step {} of the embedded step {} (derived by smfcheck from exploration)\n---\nstateDiagram-v2",
        k + 1,
        m.step()
    );
    for st in &states {
        let _ = writeln!(out, "    state \"{}\" as {}", st.name(), mermaid_id(*st));
    }
    if states.contains(&StepState::Initial) {
        let _ = writeln!(out, "    [*] --> {}", mermaid_id(StepState::Initial));
    }
    for (a, l, b) in &edges {
        // `:` ends the state names in a transition line; the label's own colons become `·`.
        let _ = writeln!(
            out,
            "    {} --> {} : {}",
            mermaid_id(*a),
            mermaid_id(*b),
            l.replace(": ", " · ")
        );
    }
    for st in states.iter().filter(|s| is_final(**s)) {
        let _ = writeln!(out, "    {} --> [*]", mermaid_id(*st));
    }
    out
}

/// The line of a `file:line` origin.
fn line_of(origin: &str) -> &str {
    origin.rsplit(':').next().unwrap_or(origin)
}

/// One node of a campaign's structure: a nested step with what it acts on.
struct NestedNode {
    id: String,
    label: String,
    entities: Vec<String>,
}

/// The structure of a campaign, level by level: (level, [(procedure label, [[nested node]]
/// per step])]).
type Structure = Vec<(u32, Vec<(String, Vec<Vec<NestedNode>>)>)>;

fn campaign_structure(m: &CampaignModel) -> Structure {
    use crate::browse::sequence::short;
    let mut out: Structure = Vec::new();
    for &level in &m.levels {
        let mut procs = Vec::new();
        for (p, spec) in m.procs.iter().enumerate() {
            if spec.exec_level != level {
                continue;
            }
            let label = format!(
                "procedure {}{}",
                short(&spec.name),
                spec.origin
                    .as_deref()
                    .map(|o| format!(" (line {})", line_of(o)))
                    .unwrap_or_default()
            );
            let mut steps = Vec::new();
            for (k, core) in spec.steps.iter().enumerate() {
                let mut nested = Vec::new();
                for (i, ty) in core.step.types.iter().enumerate() {
                    let mut entities = Vec::new();
                    if let Some(sys) = &m.system {
                        let b = &sys.bindings[p][k][i];
                        entities.extend(
                            b.ees
                                .iter()
                                .map(|&e| format!("EE {}", short(&sys.ee_names[e]))),
                        );
                        entities.extend(
                            b.sus
                                .iter()
                                .map(|&u| format!("SU {}", short(&sys.su_names[u]))),
                        );
                    }
                    let at = spec
                        .step_origins
                        .get(k)
                        .and_then(|o| o.get(i))
                        .map(|o| format!(" (line {})", line_of(o)))
                        .unwrap_or_default();
                    let label = if core.degree() == 1 {
                        format!("step {}: {ty}{at}", k + 1)
                    } else {
                        format!("step {} nested {}: {ty}{at}", k + 1, i + 1)
                    };
                    nested.push(NestedNode {
                        id: format!("p{p}s{k}n{i}"),
                        label,
                        entities,
                    });
                }
                steps.push(nested);
            }
            procs.push((label, steps));
        }
        out.push((level, procs));
    }
    out
}

fn dot_text(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// A campaign's procedure/step structure as Graphviz DOT: execution levels (in order), their
/// procedures, each procedure's steps (in order; an embedded step with its nested steps,
/// outermost first) and the EEs and SUs each nested step acts on.
pub fn campaign_dot(m: &CampaignModel) -> String {
    let st = campaign_structure(m);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "// Procedure/step structure of campaign {} (derived by smfcheck from its plan)",
        m.procs
            .first()
            .and_then(|p| p.origin.as_deref())
            .map(|o| o.rsplit_once(':').map(|(f, _)| f).unwrap_or(o))
            .unwrap_or("?")
    );
    out.push_str("digraph campaign {\n  rankdir=TB;\n  compound=true;\n  node [shape=box, fontsize=10];\n  edge [fontsize=9];\n");
    let mut entities: BTreeSet<String> = BTreeSet::new();
    let mut level_anchor: Vec<String> = Vec::new();
    for (li, (level, procs)) in st.iter().enumerate() {
        let _ = writeln!(
            out,
            "  subgraph cluster_l{li} {{\n    label=\"execution level {level}\";\n    style=rounded;"
        );
        for (pi, (label, steps)) in procs.iter().enumerate() {
            let _ = writeln!(
                out,
                "    subgraph cluster_l{li}p{pi} {{\n      label=\"{}\";\n      style=filled;\n      fillcolor=\"#eef2f8\";",
                dot_text(label)
            );
            let mut prev: Option<&str> = None;
            for (k, nested) in steps.iter().enumerate() {
                if nested.len() > 1 {
                    let _ = writeln!(
                        out,
                        "      subgraph cluster_{} {{\n        label=\"step {} (embedded)\";\n        style=dashed;",
                        nested[0].id,
                        k + 1
                    );
                }
                let ind = if nested.len() > 1 {
                    "        "
                } else {
                    "      "
                };
                for n in nested {
                    let _ = writeln!(out, "{ind}\"{}\" [label=\"{}\"];", n.id, dot_text(&n.label));
                }
                for w in nested.windows(2) {
                    let _ = writeln!(
                        out,
                        "{ind}\"{}\" -> \"{}\" [label=\"embeds\"];",
                        w[0].id, w[1].id
                    );
                }
                if nested.len() > 1 {
                    out.push_str("      }\n");
                }
                if let (Some(p), Some(first)) = (prev, nested.first()) {
                    let _ = writeln!(
                        out,
                        "      \"{p}\" -> \"{}\" [label=\"then\", style=bold];",
                        first.id
                    );
                }
                prev = nested.first().map(|n| n.id.as_str());
                if level_anchor.len() == li {
                    level_anchor.push(nested[0].id.clone());
                }
            }
            out.push_str("    }\n");
        }
        out.push_str("  }\n");
        for (_, steps) in procs {
            for n in steps.iter().flatten() {
                for e in &n.entities {
                    entities.insert(e.clone());
                    let _ = writeln!(
                        out,
                        "  \"{}\" -> \"{}\" [style=dashed, arrowhead=open];",
                        n.id,
                        dot_text(e)
                    );
                }
            }
        }
    }
    for e in &entities {
        let _ = writeln!(out, "  \"{}\" [shape=ellipse];", dot_text(e));
    }
    for (i, w) in level_anchor.windows(2).enumerate() {
        let _ = writeln!(
            out,
            "  \"{}\" -> \"{}\" [ltail=cluster_l{i}, lhead=cluster_l{}, label=\"next level\", style=bold];",
            w[0],
            w[1],
            i + 1
        );
    }
    out.push_str("}\n");
    out
}

fn mermaid_label(s: &str) -> String {
    s.replace('"', "#quot;")
}

/// The same structure as [`campaign_dot`], as a Mermaid flowchart.
pub fn campaign_mermaid(m: &CampaignModel) -> String {
    let st = campaign_structure(m);
    let mut out = String::from("flowchart TB\n");
    let mut entities: Vec<String> = Vec::new();
    let mut links = String::new();
    for (li, (level, procs)) in st.iter().enumerate() {
        let _ = writeln!(out, "    subgraph l{li}[\"execution level {level}\"]");
        for (pi, (label, steps)) in procs.iter().enumerate() {
            let _ = writeln!(
                out,
                "        subgraph l{li}p{pi}[\"{}\"]",
                mermaid_label(label)
            );
            let mut prev: Option<&str> = None;
            for nested in steps {
                for n in nested {
                    let _ = writeln!(out, "            {}[\"{}\"]", n.id, mermaid_label(&n.label));
                }
                for w in nested.windows(2) {
                    let _ = writeln!(out, "            {} -->|embeds| {}", w[0].id, w[1].id);
                }
                if let (Some(p), Some(first)) = (prev, nested.first()) {
                    let _ = writeln!(out, "            {p} ==>|then| {}", first.id);
                }
                prev = nested.first().map(|n| n.id.as_str());
            }
            out.push_str("        end\n");
        }
        out.push_str("    end\n");
        for n in procs.iter().flat_map(|(_, s)| s.iter().flatten()) {
            for e in &n.entities {
                let i = match entities.iter().position(|x| x == e) {
                    Some(i) => i,
                    None => {
                        entities.push(e.clone());
                        entities.len() - 1
                    }
                };
                let _ = writeln!(links, "    {} -.-> e{i}", n.id);
            }
        }
    }
    for (i, e) in entities.iter().enumerate() {
        let _ = writeln!(out, "    e{i}([\"{}\"])", mermaid_label(e));
    }
    out.push_str(&links);
    for i in 1..st.len() {
        let _ = writeln!(out, "    l{} ==>|next level| l{i}", i - 1);
    }
    out
}
